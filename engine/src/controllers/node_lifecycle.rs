//! Nodes: their registration, the node lifecycle controller (a node whose kubelet stops
//! renewing its lease turns NotReady/Unknown after the grace period and is tainted
//! unreachable), taint-based eviction after the pods' toleration (300 s by default), and the
//! cordon taint (k8s-semantics.md §11; v1.32+ timings).

use super::kubelet::{self, NodeRuntime};
use crate::api::core::{
    Node, NodeAddress, NodeCondition, NodeSpec, NodeStatus, NodeSystemInfo, Pod, PodCondition,
    Taint,
};
use crate::api::meta::Quantity;
use crate::apiserver;
use crate::cluster::{NodeConfig, KUBERNETES_VERSION};
use crate::sim::{ObjRef, Sim};
use crate::time::{Time, SECOND};
use std::collections::BTreeMap;

pub const UNREACHABLE: &str = "node.kubernetes.io/unreachable";
pub const UNSCHEDULABLE: &str = "node.kubernetes.io/unschedulable";
/// The kubelet renews its lease every 10 s.
const LEASE_RENEW: u64 = 10 * SECOND;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct State {
    /// Pods with a pending taint eviction, by UID → when it fires.
    evictions: BTreeMap<String, Time>,
    /// Which silent nodes get the NoExecute taint, and when.
    pub(crate) tainter: super::disruption::Tainter,
}

pub fn new_node(sim: &mut Sim, cfg: &NodeConfig, index: usize) -> Node {
    let mut meta = apiserver::new_meta(sim, &cfg.name, None);
    for (k, v) in [
        ("beta.kubernetes.io/arch", "amd64"),
        ("beta.kubernetes.io/os", "linux"),
        ("kubernetes.io/arch", "amd64"),
        ("kubernetes.io/hostname", cfg.name.as_str()),
        ("kubernetes.io/os", "linux"),
    ] {
        meta.labels.insert(k.into(), v.into());
    }
    for (k, v) in &cfg.labels {
        meta.labels.insert(k.clone(), v.clone());
    }
    let rt = NodeRuntime::new(index);
    let resources: BTreeMap<String, Quantity> = [
        ("cpu", format_cpu(cfg.cpu_milli)),
        ("ephemeral-storage", "102350Mi".to_string()),
        ("memory", format!("{}Ki", cfg.memory_bytes / 1024)),
        ("pods", cfg.pods.to_string()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), Quantity(v)))
    .collect();
    let now = sim.api_now();
    let cidr = format!("10.244.{}.0/24", index + 1);
    let node = Node {
        api_version: "v1".into(),
        kind: "Node".into(),
        metadata: meta,
        spec: NodeSpec {
            pod_cidr: Some(cidr.clone()),
            pod_cidrs: vec![cidr],
            unschedulable: false,
            taints: Vec::new(),
        },
        status: NodeStatus {
            capacity: resources.clone(),
            allocatable: resources,
            conditions: healthy_conditions(now),
            addresses: vec![
                NodeAddress {
                    type_: "InternalIP".into(),
                    address: rt.ip(),
                },
                NodeAddress {
                    type_: "Hostname".into(),
                    address: cfg.name.clone(),
                },
            ],
            node_info: NodeSystemInfo {
                architecture: "amd64".into(),
                container_runtime_version: "containerd://2.1.1".into(),
                kernel_version: "6.8.0-60-generic".into(),
                kubelet_version: KUBERNETES_VERSION.into(),
                operating_system: "linux".into(),
                os_image: "Debian GNU/Linux 12 (bookworm)".into(),
            },
        },
    };
    sim.kubelet.nodes.insert(cfg.name.clone(), rt);
    node
}

fn format_cpu(milli: i64) -> String {
    if milli % 1000 == 0 {
        (milli / 1000).to_string()
    } else {
        format!("{milli}m")
    }
}

fn healthy_conditions(now: Time) -> Vec<NodeCondition> {
    [
        (
            "MemoryPressure",
            "False",
            "KubeletHasSufficientMemory",
            "kubelet has sufficient memory available",
        ),
        (
            "DiskPressure",
            "False",
            "KubeletHasNoDiskPressure",
            "kubelet has no disk pressure",
        ),
        (
            "PIDPressure",
            "False",
            "KubeletHasSufficientPID",
            "kubelet has sufficient PID available",
        ),
        (
            "Ready",
            "True",
            "KubeletReady",
            "kubelet is posting ready status",
        ),
    ]
    .into_iter()
    .map(|(t, s, r, m)| NodeCondition {
        type_: t.into(),
        status: s.into(),
        last_heartbeat_time: now,
        last_transition_time: now,
        reason: r.into(),
        message: m.into(),
    })
    .collect()
}

pub fn is_ready(n: &Node) -> bool {
    n.status
        .conditions
        .iter()
        .any(|c| c.type_ == "Ready" && c.status == "True")
}

fn node_obj(n: &Node) -> ObjRef {
    ObjRef {
        kind: "Node",
        namespace: None,
        name: n.metadata.name.clone(),
        uid: n.metadata.name.clone(),
        field_path: None,
    }
}

fn pod_obj(p: &Pod) -> ObjRef {
    ObjRef::namespaced("Pod", &p.metadata)
}

pub fn sync(sim: &mut Sim) {
    let nodes: Vec<Node> = sim.store.nodes.values().cloned().collect();
    for n in nodes {
        let up = kubelet::node_up(sim, &n.metadata.name);
        let down_since = sim
            .kubelet
            .nodes
            .get(&n.metadata.name)
            .and_then(|r| r.down_since);
        match (up, down_since) {
            (false, Some(since)) => monitor_silent_node(sim, n, since),
            (true, _) if !is_ready(&n) => node_recovered(sim, n),
            _ => cordon_taint(sim, n),
        }
    }
    for node in super::disruption::sync(sim) {
        cancel_evictions(sim, &node);
    }
    taint_eviction(sim);
}

/// The node monitor (every 5 s) flips a node to Unknown once its lease is older than the
/// grace period and taints it `unreachable:NoSchedule` (the NoExecute taint is the
/// tainter's, see [`super::disruption`]).
fn monitor_silent_node(sim: &mut Sim, mut n: Node, since: Time) {
    let last_renew = Time(since.0 / LEASE_RENEW * LEASE_RENEW);
    let grace = sim.config.node_monitor_grace_period_seconds.max(0) as u64 * SECOND;
    let period = sim.config.node_monitor_period_seconds.max(1) as u64 * SECOND;
    let stale_after = last_renew.0 + grace;
    let detect = Time((stale_after / period + 1) * period);
    if sim.now < detect {
        sim.wake_at(detect);
        return;
    }
    if !is_ready(&n)
        && n.status
            .conditions
            .iter()
            .any(|c| c.type_ == "Ready" && c.status == "Unknown")
    {
        return;
    }
    let now = sim.api_now();
    for c in &mut n.status.conditions {
        if c.status != "Unknown" {
            c.status = "Unknown".into();
            c.reason = "NodeStatusUnknown".into();
            c.message = "Kubelet stopped posting node status.".into();
            c.last_transition_time = now;
        }
    }
    if !n
        .spec
        .taints
        .iter()
        .any(|t| t.key == UNREACHABLE && t.effect == "NoSchedule")
    {
        n.spec.taints.push(Taint {
            key: UNREACHABLE.into(),
            value: None,
            effect: "NoSchedule".into(),
            time_added: Some(now),
        });
    }
    let name = n.metadata.name.clone();
    let obj = node_obj(&n);
    apiserver::update_node(sim, n);
    sim.record_event(
        obj,
        "Normal",
        "NodeNotReady",
        format!("Node {name} status is now: NodeNotReady"),
        "node-controller",
        None,
    );
    mark_pods_not_ready(sim, &name);
}

/// `MarkPodsNotReady`: only the pods' Ready condition changes (the containers' own ready
/// flags stay as the dead kubelet last wrote them).
fn mark_pods_not_ready(sim: &mut Sim, node: &str) {
    let pods: Vec<Pod> = sim
        .store
        .pods
        .values()
        .filter(|p| p.spec.node_name.as_deref() == Some(node))
        .cloned()
        .collect();
    let now = sim.api_now();
    for mut p in pods {
        let Some(c) = p.status.conditions.iter_mut().find(|c| c.type_ == "Ready") else {
            continue;
        };
        if c.status == "False" {
            continue;
        }
        c.status = "False".into();
        c.last_transition_time = Some(now);
        let obj = pod_obj(&p);
        apiserver::update_pod(sim, p);
        sim.record_event(
            obj,
            "Warning",
            "NodeNotReady",
            "Node is not ready".into(),
            "node-controller",
            None,
        );
    }
}

/// The kubelet posts Ready again: taints go, pending evictions are cancelled.
fn node_recovered(sim: &mut Sim, mut n: Node) {
    let now = sim.api_now();
    n.status.conditions = healthy_conditions(now);
    n.spec
        .taints
        .retain(|t| t.key != UNREACHABLE && t.key != "node.kubernetes.io/not-ready");
    let name = n.metadata.name.clone();
    let obj = node_obj(&n);
    apiserver::update_node(sim, n);
    sim.record_event(
        obj.clone(),
        "Normal",
        "Starting",
        "Starting kubelet.".into(),
        "kubelet",
        Some(&name),
    );
    sim.record_event(
        obj,
        "Normal",
        "NodeReady",
        format!("Node {name} status is now: NodeReady"),
        "kubelet",
        Some(&name),
    );
    sim.node_lifecycle.tainter.forget(&name);
    cancel_evictions(sim, &name);
}

/// The node's NoExecute taint is gone: its pods' pending evictions are cancelled.
fn cancel_evictions(sim: &mut Sim, node: &str) {
    let cancelled: Vec<Pod> = sim
        .store
        .pods
        .values()
        .filter(|p| p.spec.node_name.as_deref() == Some(node))
        .filter(|p| sim.node_lifecycle.evictions.contains_key(p.metadata.uid()))
        .cloned()
        .collect();
    for p in cancelled {
        sim.node_lifecycle.evictions.remove(p.metadata.uid());
        let msg = format!(
            "Cancelling deletion of Pod {}/{}",
            p.metadata.ns(),
            p.metadata.name
        );
        sim.record_event(
            pod_obj(&p),
            "Normal",
            "TaintManagerEviction",
            msg,
            "taint-eviction-controller",
            None,
        );
    }
}

/// `spec.unschedulable` mirrored as the `node.kubernetes.io/unschedulable:NoSchedule` taint.
fn cordon_taint(sim: &mut Sim, mut n: Node) {
    let has = n.spec.taints.iter().any(|t| t.key == UNSCHEDULABLE);
    if n.spec.unschedulable == has {
        return;
    }
    if n.spec.unschedulable {
        let now = sim.api_now();
        n.spec.taints.push(Taint {
            key: UNSCHEDULABLE.into(),
            value: None,
            effect: "NoSchedule".into(),
            time_added: Some(now),
        });
    } else {
        n.spec.taints.retain(|t| t.key != UNSCHEDULABLE);
    }
    apiserver::update_node(sim, n);
}

/// The taint-eviction controller: pods on a node with a NoExecute taint are deleted when
/// their toleration for it runs out (at once if they do not tolerate it).
fn taint_eviction(sim: &mut Sim) {
    if !sim
        .store
        .nodes
        .values()
        .any(|n| n.spec.taints.iter().any(|t| t.effect == "NoExecute"))
    {
        sim.node_lifecycle.evictions.clear();
        return;
    }
    let mut due: Vec<Pod> = Vec::new();
    let mut pending: BTreeMap<String, Time> = BTreeMap::new();
    for p in sim.store.pods.values() {
        if p.metadata.is_terminating() {
            continue;
        }
        let Some(node) = p
            .spec
            .node_name
            .as_deref()
            .and_then(|n| sim.store.nodes.get(n))
        else {
            continue;
        };
        let mut at: Option<Time> = None;
        for t in node.spec.taints.iter().filter(|t| t.effect == "NoExecute") {
            let added = t.time_added.unwrap_or_default();
            let tol = p
                .spec
                .tolerations
                .iter()
                .filter(|tol| tol.tolerates(t))
                .map(|tol| tol.toleration_seconds)
                .min();
            let when = match tol {
                None => added,
                Some(None) => continue,
                Some(Some(s)) => added.plus_secs(s.max(0)),
            };
            at = Some(at.map_or(when, |a: Time| a.min(when)));
        }
        let Some(at) = at else { continue };
        if at <= sim.now {
            due.push(p.clone());
        } else {
            pending.insert(p.metadata.uid().to_string(), at);
        }
    }
    for t in pending.values() {
        sim.wake_at(*t);
    }
    sim.node_lifecycle.evictions = pending;
    for mut p in due {
        let msg = format!(
            "Marking for deletion Pod {}/{}",
            p.metadata.ns(),
            p.metadata.name
        );
        sim.record_event(
            pod_obj(&p),
            "Normal",
            "TaintManagerEviction",
            msg,
            "taint-eviction-controller",
            None,
        );
        let now = sim.api_now();
        p.status.conditions.push(PodCondition {
            type_: "DisruptionTarget".into(),
            status: "True".into(),
            last_probe_time: None,
            last_transition_time: Some(now),
            reason: Some("DeletionByTaintManager".into()),
            message: Some("Taint manager: deleting due to NoExecute taint".into()),
            observed_generation: p.metadata.generation,
        });
        let (ns, name) = (p.metadata.ns().to_string(), p.metadata.name.clone());
        apiserver::update_pod(sim, p);
        let _ = apiserver::delete_pod(sim, &ns, &name, None);
    }
}
