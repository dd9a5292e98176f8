//! Read-only views of the cluster for the UI: Deployments with their ReplicaSets and pods in
//! display order, each pod with the status kubectl would print; Services with their
//! endpoints, and the simulated client traffic. The UI renders these and holds no cluster
//! logic of its own.

use crate::api::apps::{Deployment, ReplicaSet};
use crate::api::core::Pod;
use crate::controllers::deployment::util::{equal_ignore_hash, find_new_replica_set};
use crate::controllers::node_lifecycle::is_ready;
use crate::controllers::replicaset::{is_pod_available, is_pod_ready};
use crate::kubectl::printers;
use crate::sim::Sim;
use crate::store::key;
use crate::time::Time;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone, PartialEq)]
pub struct ClusterView {
    pub now: Time,
    pub deployments: Vec<DeploymentView>,
    /// ReplicaSets no Deployment owns (orphaned by `delete --cascade=orphan`), with their
    /// pods.
    pub replicasets: Vec<ReplicaSetView>,
    /// Pods no controller owns (`kubectl run`, a Pod manifest): nothing replaces them.
    pub pods: Vec<PodView>,
    pub nodes: Vec<NodeView>,
    /// Why the node controller holds evictions back, when a disruption mode does.
    pub node_notice: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DeploymentView {
    pub namespace: String,
    pub name: String,
    pub images: Vec<String>,
    /// Container names, in the order of `images` (for `kubectl set image`).
    pub containers: Vec<String>,
    pub replicas: i64,
    pub ready: i64,
    pub updated: i64,
    pub available: i64,
    pub strategy: String,
    pub paused: bool,
    pub revision: i64,
    /// `(type, status, reason, message)`
    pub conditions: Vec<(String, String, String, String)>,
    /// Newest revision first.
    pub replicasets: Vec<ReplicaSetView>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ReplicaSetView {
    pub namespace: String,
    pub name: String,
    pub hash: String,
    pub revision: i64,
    pub images: Vec<String>,
    pub desired: i64,
    pub current: i64,
    pub ready: i64,
    pub available: i64,
    /// The ReplicaSet whose template is the Deployment's current one.
    pub is_new: bool,
    pub pods: Vec<PodView>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PodView {
    pub namespace: String,
    pub name: String,
    pub uid: String,
    /// kubectl's STATUS column.
    pub status: String,
    /// kubectl's READY column (`1/1`).
    pub ready_text: String,
    pub ready: bool,
    pub available: bool,
    pub restarts: i64,
    pub node: Option<String>,
    pub terminating: bool,
    /// One of `pending`, `creating`, `running`, `ready`, `failing`, `terminating`, `lost`.
    pub phase: &'static str,
    pub revision: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NodeView {
    pub name: String,
    pub status: String,
    pub ready: bool,
    pub up: bool,
    pub cordoned: bool,
    pub pod_capacity: i64,
    pub pods: Vec<PodView>,
}

pub fn cluster(sim: &Sim) -> ClusterView {
    let deployments = sim
        .store
        .deployments
        .values()
        .map(|d| deployment(sim, d))
        .collect();
    let nodes = sim
        .store
        .nodes
        .values()
        .map(|n| {
            let name = n.metadata.name.clone();
            let mut pods: Vec<PodView> = sim
                .store
                .pods
                .values()
                .filter(|p| p.spec.node_name.as_deref() == Some(name.as_str()))
                .map(|p| pod(sim, p, revision_of_pod(sim, p)))
                .collect();
            crate::order::sort_by(&mut pods, |a, b| a.name.cmp(&b.name));
            NodeView {
                status: printers::node_status(n),
                ready: crate::controllers::node_lifecycle::is_ready(n),
                up: crate::controllers::kubelet::node_up(sim, &name),
                cordoned: n.spec.unschedulable,
                pod_capacity: n
                    .status
                    .allocatable
                    .get("pods")
                    .and_then(|q| q.milli())
                    .map_or(110, |m| (m / 1000) as i64),
                name,
                pods,
            }
        })
        .collect();
    let replicasets = sim
        .store
        .replicasets
        .values()
        .filter(|rs| {
            uncontrolled(
                &rs.metadata,
                sim.store.deployments.values().map(|d| &d.metadata),
            )
        })
        .map(|rs| replicaset(sim, rs, false))
        .collect();
    // A pod whose owner is not a ReplicaSet the view shows is drawn on its own.
    let pods = sim
        .store
        .pods
        .values()
        .filter(|p| {
            uncontrolled(
                &p.metadata,
                sim.store.replicasets.values().map(|rs| &rs.metadata),
            )
        })
        .map(|p| pod(sim, p, 0))
        .collect();
    ClusterView {
        now: sim.now,
        deployments,
        replicasets,
        pods,
        nodes,
        node_notice: sim.node_lifecycle.tainter.notice(),
    }
}

/// Whether no object of `owners` controls `meta`: it names no controller, or none of its
/// namespace has that UID (the cluster view finds owned objects by UID).
fn uncontrolled<'a>(
    meta: &crate::api::meta::ObjectMeta,
    mut owners: impl Iterator<Item = &'a crate::api::meta::ObjectMeta>,
) -> bool {
    meta.controller_ref()
        .is_none_or(|o| !owners.any(|m| m.ns() == meta.ns() && m.uid() == o.uid))
}

pub(crate) fn revision_of_pod(sim: &Sim, p: &Pod) -> i64 {
    p.metadata
        .controller_ref()
        .and_then(|o| sim.store.replicasets.get(&key(p.metadata.ns(), &o.name)))
        .map_or(0, |rs| rs.revision())
}

fn images(t: &crate::api::core::PodTemplateSpec) -> Vec<String> {
    t.spec
        .containers
        .iter()
        .map(|c| c.image().to_string())
        .collect()
}

fn replicaset(sim: &Sim, rs: &ReplicaSet, is_new: bool) -> ReplicaSetView {
    let rev = rs.revision();
    let mut pods: Vec<PodView> = sim
        .store
        .pods_owned_by(rs.metadata.ns(), rs.metadata.uid())
        .map(|p| pod(sim, p, rev))
        .collect();
    // By name only, as `kubectl get pods` lists them: a pod keeps its place when it starts
    // terminating, so its tile shrinks where it was and no other tile moves.
    crate::order::sort_by(&mut pods, |a, b| a.name.cmp(&b.name));
    ReplicaSetView {
        namespace: rs.metadata.ns().to_string(),
        name: rs.metadata.name.clone(),
        hash: rs
            .metadata
            .labels
            .get(crate::api::apps::POD_TEMPLATE_HASH)
            .cloned()
            .unwrap_or_default(),
        revision: rev,
        images: images(&rs.spec.template),
        desired: rs.spec.replicas,
        current: rs.status.replicas,
        ready: rs.status.ready_replicas,
        available: rs.status.available_replicas,
        is_new,
        pods,
    }
}

fn deployment(sim: &Sim, d: &Deployment) -> DeploymentView {
    let ns = d.metadata.ns();
    let owned: Vec<&ReplicaSet> = sim
        .store
        .replicasets_owned_by(ns, d.metadata.uid())
        .collect();
    let new_name = find_new_replica_set(d, &owned).map(|r| r.metadata.name.clone());
    let mut replicasets: Vec<ReplicaSetView> = owned
        .iter()
        .map(|rs| {
            let is_new = Some(&rs.metadata.name) == new_name.as_ref()
                && equal_ignore_hash(&rs.spec.template, &d.spec.template);
            replicaset(sim, rs, is_new)
        })
        .collect();
    crate::order::sort_by(&mut replicasets, |a, b| {
        b.revision
            .cmp(&a.revision)
            .then_with(|| a.name.cmp(&b.name))
    });
    DeploymentView {
        namespace: ns.to_string(),
        name: d.metadata.name.clone(),
        images: images(&d.spec.template),
        containers: d
            .spec
            .template
            .spec
            .containers
            .iter()
            .map(|c| c.name.clone())
            .collect(),
        replicas: d.replicas(),
        ready: d.status.ready_replicas,
        updated: d.status.updated_replicas,
        available: d.status.available_replicas,
        strategy: d.strategy_type().to_string(),
        paused: d.is_paused(),
        revision: d.revision(),
        conditions: d
            .status
            .conditions
            .iter()
            .map(|c| {
                (
                    c.type_.clone(),
                    c.status.clone(),
                    c.reason.clone(),
                    c.message.clone(),
                )
            })
            .collect(),
        replicasets,
    }
}

fn pod(sim: &Sim, p: &Pod, revision: i64) -> PodView {
    let status = printers::pod_status(p);
    let ready = is_pod_ready(p);
    let terminating = p.metadata.is_terminating();
    // Lost once the control plane says so: the node controller marks a node that stopped
    // reporting NotReady (Ready Unknown) after the grace period; until then the API, and so
    // the view, still shows what the kubelet last wrote.
    let node_down = p
        .spec
        .node_name
        .as_deref()
        .and_then(|n| sim.store.nodes.get(n))
        .is_some_and(|n| {
            !n.status
                .conditions
                .iter()
                .any(|c| c.type_ == "Ready" && c.status == "True")
        });
    let phase = if terminating {
        "terminating"
    } else if node_down {
        "lost"
    } else if ready {
        "ready"
    } else {
        match status.as_str() {
            "Pending" => "pending",
            "ContainerCreating" | "PodInitializing" => "creating",
            "Running" => "running",
            // `Init:1/2`: init containers at work; `Init:Error` and the like fail.
            s if s
                .strip_prefix("Init:")
                .and_then(|r| r.split_once('/'))
                .is_some_and(|(a, b)| a.parse::<u32>().is_ok() && b.parse::<u32>().is_ok()) =>
            {
                "creating"
            }
            _ => "failing",
        }
    };
    let rs_min_ready = p
        .metadata
        .controller_ref()
        .and_then(|o| sim.store.replicasets.get(&key(p.metadata.ns(), &o.name)))
        .map_or(0, |rs| rs.spec.min_ready_seconds);
    PodView {
        namespace: p.metadata.ns().to_string(),
        name: p.metadata.name.clone(),
        uid: p.metadata.uid().to_string(),
        ready_text: printers::pod_ready(p),
        status,
        ready,
        available: is_pod_available(p, rs_min_ready, sim.now),
        restarts: p
            .status
            .container_statuses
            .iter()
            .map(|c| c.restart_count)
            .sum(),
        node: p.spec.node_name.clone(),
        terminating,
        phase,
        revision,
    }
}

/// Names of a Deployment's live pods (not terminating), sorted by name.
pub fn deployment_pods(sim: &Sim, ns: &str, deployment: &str) -> Vec<String> {
    let Some(d) = sim.store.deployments.get(&key(ns, deployment)) else {
        return Vec::new();
    };
    let rs_uids: Vec<String> = sim
        .store
        .replicasets_owned_by(ns, d.metadata.uid())
        .map(|r| r.metadata.uid().to_string())
        .collect();
    let mut names: Vec<String> = rs_uids
        .iter()
        .flat_map(|u| sim.store.pods_owned_by(ns, u))
        .filter(|p| !p.metadata.is_terminating())
        .map(|p| p.metadata.name.clone())
        .collect();
    crate::order::sort(&mut names);
    names
}

/// The rollout panel: the two limits with their resolved numbers, and in words what the
/// controller is waiting for now.
#[derive(Debug, Clone, PartialEq)]
pub struct RolloutInsight {
    pub strategy: String,
    pub replicas: i64,
    /// `(resolved, as written)`, e.g. `(3, "25%")`.
    pub max_surge: (i64, String),
    pub max_unavailable: (i64, String),
    /// Σ spec.replicas of all ReplicaSets (what the surge limit bounds).
    pub total_desired: i64,
    /// Pod objects that exist, Terminating ones included.
    pub pods_existing: i64,
    pub max_total: i64,
    pub available: i64,
    pub min_available: i64,
    pub updated: i64,
    pub paused: bool,
    pub complete: bool,
    /// Seconds until the progress deadline passes, while a rollout is in progress.
    pub deadline_in: Option<i64>,
    pub deadline_exceeded: bool,
    /// Sentences, most important first.
    pub waiting_for: Vec<String>,
}

pub fn rollout_insight(sim: &Sim, ns: &str, name: &str) -> Option<RolloutInsight> {
    use crate::controllers::deployment::util as u;
    let d = sim.store.deployments.get(&key(ns, name))?;
    let owned: Vec<&ReplicaSet> = sim
        .store
        .replicasets_owned_by(ns, d.metadata.uid())
        .collect();
    let new_rs = find_new_replica_set(d, &owned);
    let r = d.replicas();
    let (surge_src, unavail_src) = d.rolling_params();
    let surge = u::max_surge(d);
    let unavailable = u::max_unavailable(d);
    let total_desired: i64 = owned.iter().map(|rs| rs.spec.replicas).sum();
    let pods_existing = owned
        .iter()
        .map(|rs| sim.store.pods_owned_by(ns, rs.metadata.uid()).count() as i64)
        .sum();
    let available = d.status.available_replicas;
    let complete = u::deployment_complete(d, &d.status);
    let progressing = d.condition(u::PROGRESSING);
    let deadline_exceeded = progressing.is_some_and(|c| c.reason == u::TIMED_OUT);
    let deadline_in = match progressing {
        Some(c)
            if !complete
                && !d.is_paused()
                && !deadline_exceeded
                && c.reason != u::NEW_RS_AVAILABLE =>
        {
            let deadline = c
                .last_update_time
                .plus_secs(d.spec.progress_deadline_seconds.unwrap_or(600));
            Some(((deadline.0 as i64 - sim.now.0 as i64) / 1000).max(0))
        }
        _ => None,
    };
    let mut waiting = Vec::new();
    let old_spec: i64 = owned
        .iter()
        .filter(|rs| Some(rs.metadata.name.as_str()) != new_rs.map(|n| n.metadata.name.as_str()))
        .map(|rs| rs.spec.replicas)
        .sum();
    let new_spec = new_rs.map_or(0, |rs| rs.spec.replicas);
    let new_avail = new_rs.map_or(0, |rs| rs.status.available_replicas);
    let new_not_ready = new_spec - new_avail;
    if deadline_exceeded {
        waiting.push(
            "The progress deadline passed: Kubernetes only reports it and does not roll back. Fix the template or run `kubectl rollout undo`."
                .into(),
        );
    }
    if let Some(c) = d
        .condition(u::REPLICA_FAILURE)
        .filter(|c| c.status == "True")
    {
        waiting.push(format!("Pods cannot be created: {}.", c.message));
    }
    // "New" only while old ReplicaSets still have pods to hand over: after a rollout the
    // new ReplicaSet's pods are simply the Deployment's pods.
    let (pods, new) = if old_spec > 0 {
        ("New pods", "new ")
    } else {
        ("Pods", "")
    };
    if let Some(reason) = failing_reason(sim, new_rs) {
        waiting.push(format!("{pods} are failing: {reason}."));
    }
    match probe_not_passing(sim, new_rs) {
        0 => {}
        1 => waiting.push(format!(
            "1 {new}pod runs but is not ready: its readiness probe fails."
        )),
        n => waiting.push(format!(
            "{n} {new}pods run but are not ready: their readiness probe fails."
        )),
    }
    if d.is_paused() {
        waiting.push("Paused: the controller only scales; template changes wait for `kubectl rollout resume`.".into());
    } else if complete {
        waiting.push(
            "Rollout complete: every replica runs the current template and is available.".into(),
        );
    } else if d.is_recreate() {
        let old_pods: i64 = owned
            .iter()
            .filter(|rs| {
                Some(rs.metadata.name.as_str()) != new_rs.map(|n| n.metadata.name.as_str())
            })
            .map(|rs| sim.store.pods_owned_by(ns, rs.metadata.uid()).count() as i64)
            .sum();
        if old_pods > 0 {
            waiting.push(format!(
                "Recreate: waiting for {old_pods} old pod(s) to be gone before starting new ones."
            ));
        } else if new_not_ready > 0 {
            waiting.push(format!(
                "Waiting for {new_not_ready} new pod(s) to become available."
            ));
        }
    } else {
        if new_spec < r && total_desired >= r + surge {
            waiting.push(format!(
                "The new ReplicaSet cannot grow: the ReplicaSets already ask for {total_desired} pods, the surge limit is {} ({r} + maxSurge {surge}).",
                r + surge
            ));
        }
        if old_spec > 0 && available <= r - unavailable {
            waiting.push(format!(
                "Old pods cannot be removed: {available} available, the minimum is {} ({r} − maxUnavailable {unavailable}).",
                r - unavailable
            ));
        }
        if new_not_ready > 0 {
            waiting.push(format!(
                "Waiting for {new_not_ready} new pod(s) to become available."
            ));
        }
    }
    if let Some(s) = deadline_in {
        waiting.push(format!(
            "Progress deadline in {s} s unless the rollout makes progress."
        ));
    }
    Some(RolloutInsight {
        strategy: d.strategy_type().to_string(),
        replicas: r,
        max_surge: (surge, surge_src.display()),
        max_unavailable: (unavailable, unavail_src.display()),
        total_desired,
        pods_existing,
        max_total: r + surge,
        available,
        min_available: r - unavailable,
        updated: d.status.updated_replicas,
        paused: d.is_paused(),
        complete,
        deadline_in,
        deadline_exceeded,
        waiting_for: waiting,
    })
}

/// The commonest failure among the new ReplicaSet's pods (`ImagePullBackOff`, …, or a node
/// that is not ready). A running pod whose readiness probe fails is not counted here: it may
/// only be starting (see `probe_not_passing`).
fn failing_reason(sim: &Sim, new_rs: Option<&ReplicaSet>) -> Option<String> {
    let rs = new_rs?;
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    // Pods on lost nodes count as one failure, whichever node they are on.
    let mut lost_nodes: BTreeSet<&str> = BTreeSet::new();
    const LOST: &str = "";
    for p in sim.store.pods_owned_by(rs.metadata.ns(), rs.metadata.uid()) {
        let s = printers::pod_status(p);
        let node = p.spec.node_name.as_deref().unwrap_or("");
        let node_ready = sim.store.nodes.get(node).is_none_or(is_ready);
        let failure = match s.as_str() {
            "ErrImagePull"
            | "ImagePullBackOff"
            | "CrashLoopBackOff"
            | "Error"
            | "ErrImageNeverPull"
            | "CreateContainerConfigError" => s.clone(),
            "Running" if !node_ready => {
                lost_nodes.insert(node);
                LOST.to_string()
            }
            _ => continue,
        };
        *counts.entry(failure).or_insert(0) += 1;
    }
    let (failure, count) = counts.into_iter().max_by_key(|(_, c)| *c)?;
    let what = match (failure.as_str(), lost_nodes.len()) {
        (LOST, 1) => format!(
            "on {}, which is not ready",
            lost_nodes.first().copied().unwrap_or("")
        ),
        (LOST, _) => format!(
            "on nodes that are not ready ({})",
            lost_nodes.into_iter().collect::<Vec<_>>().join(", ")
        ),
        _ => failure,
    };
    Some(format!("{count} × {what}"))
}

/// New pods that run but are not ready because their last readiness probe failed.
fn probe_not_passing(sim: &Sim, new_rs: Option<&ReplicaSet>) -> usize {
    let Some(rs) = new_rs else {
        return 0;
    };
    sim.store
        .pods_owned_by(rs.metadata.ns(), rs.metadata.uid())
        // STATUS Running: a crash-looping container is reported as such, not as a probe.
        .filter(|p| printers::pod_status(p) == "Running" && !p.metadata.is_terminating())
        .filter(|p| !is_pod_ready(p) && probe_failing(sim, p))
        .count()
}

fn probe_failing(sim: &Sim, p: &Pod) -> bool {
    let has_probe = p
        .spec
        .containers
        .iter()
        .any(|c| c.readiness_probe.is_some());
    has_probe
        && sim
            .kubelet
            .pods
            .get(p.metadata.uid())
            .is_some_and(|rt| rt.probe_failing())
}

/// One row of the revision history.
#[derive(Debug, Clone, PartialEq)]
pub struct RevisionView {
    pub revision: i64,
    pub replicaset: String,
    pub images: Vec<String>,
    pub change_cause: Option<String>,
    pub created: Time,
    pub current: bool,
    pub replicas: i64,
    /// Earlier numbers this ReplicaSet had (rollbacks renumber it).
    pub previous_revisions: Vec<String>,
    /// The revision listed before this one, which `changes` compare against (none for the
    /// oldest kept).
    pub since: Option<i64>,
    /// What this revision's pod template changed, `spec.template.…: old → new`: the change
    /// that made the Deployment controller create (or reuse) its ReplicaSet.
    pub changes: Vec<String>,
}

/// A Deployment's revisions, oldest first (what `kubectl rollout history` lists).
pub fn revisions(sim: &Sim, ns: &str, name: &str) -> Vec<RevisionView> {
    let Some(d) = sim.store.deployments.get(&key(ns, name)) else {
        return Vec::new();
    };
    let owned: Vec<&ReplicaSet> = sim
        .store
        .replicasets_owned_by(ns, d.metadata.uid())
        .collect();
    let current = find_new_replica_set(d, &owned).map(|r| r.metadata.name.clone());
    let mut out: Vec<RevisionView> = owned
        .iter()
        .map(|rs| RevisionView {
            revision: rs.revision(),
            replicaset: rs.metadata.name.clone(),
            images: images(&rs.spec.template),
            change_cause: rs
                .metadata
                .annotation(crate::api::apps::CHANGE_CAUSE)
                .map(str::to_string),
            created: rs.metadata.created(),
            current: Some(&rs.metadata.name) == current.as_ref(),
            replicas: rs.spec.replicas,
            previous_revisions: rs
                .metadata
                .annotation(crate::api::apps::REVISION_HISTORY)
                .map(|h| {
                    h.split(',')
                        .filter(|s| !s.is_empty())
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default(),
            since: None,
            changes: Vec::new(),
        })
        .collect();
    crate::order::sort_by_key(&mut out, |r| r.revision);
    // Each template against the one before it, as a value tree without the hash label, which
    // differs between any two ReplicaSets and is not part of what the user changed.
    let template = |name: &str| {
        owned.iter().find(|rs| rs.metadata.name == name).map(|rs| {
            let mut t = rs.spec.template.clone();
            t.metadata
                .labels
                .remove(crate::api::apps::POD_TEMPLATE_HASH);
            crate::api::yaml::to_value(&t)
        })
    };
    let mut before = None;
    for r in &mut out {
        let Some(now) = template(&r.replicaset) else {
            continue;
        };
        if let Some((revision, old)) = &before {
            r.since = Some(*revision);
            crate::kubectl::apply::diff_values("spec.template", old, &now, &mut r.changes);
        }
        before = Some((r.revision, now));
    }
    out
}

/// One row of the events panel (`kubectl get events`, newest last).
#[derive(Debug, Clone, PartialEq)]
pub struct EventView {
    /// `namespace/name` of the Event object: a row keeps it while its count and age change.
    pub id: String,
    pub last_seen: Time,
    pub type_: String,
    pub reason: String,
    /// `deployment/web`, `pod/web-…`
    pub object: String,
    pub message: String,
    pub count: i64,
}

pub fn events(sim: &Sim) -> Vec<EventView> {
    let mut v: Vec<EventView> = sim
        .store
        .events
        .iter()
        .map(|e| EventView {
            id: format!("{}/{}", e.metadata.ns(), e.metadata.name),
            last_seen: e.last_timestamp,
            type_: e.type_.clone(),
            reason: e.reason.clone(),
            object: format!(
                "{}/{}",
                e.involved_object.kind.to_lowercase(),
                e.involved_object.name
            ),
            message: e.message.clone(),
            count: e.count,
        })
        .collect();
    crate::order::sort_by_key(&mut v, |e| e.last_seen);
    v
}

/// How many new events a narration reads out word for word.
const NARRATED: usize = 3;

/// What happened since the event resource version `after`, in a few sentences for a screen
/// reader's live region or captions (none when no event is newer), and the newest event's
/// resource version, from which the next narration goes on. A few events are read word for
/// word; of more, the Deployment controller's and the warnings are (three at most) and the
/// rest are counted by what they say happened: `7 pods created, 7 pods scheduled`.
pub fn narration(sim: &Sim, after: u64) -> (Option<String>, u64) {
    let version = |e: &crate::api::core::Event| {
        e.metadata
            .resource_version
            .as_deref()
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or(0)
    };
    // One pass over the events: the newest version, and those newer than `after`.
    let mut latest = 0;
    let mut new: Vec<(u64, &crate::api::core::Event)> = Vec::new();
    for e in &sim.store.events {
        let v = version(e);
        latest = latest.max(v);
        if v > after {
            new.push((v, e));
        }
    }
    if new.is_empty() {
        return (None, latest);
    }
    crate::order::sort_by_key(&mut new, |(v, _)| *v);
    let notable = |e: &crate::api::core::Event| {
        e.involved_object.kind == "Deployment" || e.type_ == "Warning"
    };
    let mut read: Vec<&crate::api::core::Event> = if new.len() <= NARRATED {
        new.iter().map(|(_, e)| *e).collect()
    } else {
        new.iter()
            .map(|(_, e)| *e)
            .filter(|e| notable(e))
            .take(NARRATED)
            .collect()
    };
    // The Deployment controller's first, then the warnings, each oldest first.
    crate::order::sort_by_key(&mut read, |e| e.involved_object.kind != "Deployment");
    let mut text = format!("At t = {}: ", sim.now.clock());
    for e in &read {
        text.push_str(&format!(
            "{}/{}: {}",
            e.involved_object.kind.to_lowercase(),
            e.involved_object.name,
            e.message.trim_end_matches('.')
        ));
        if e.count > 1 {
            text.push_str(&format!(" ({} times)", e.count));
        }
        text.push_str(". ");
    }
    // The others, counted by reason in the order they first happened.
    let mut counted: Vec<(&str, usize)> = Vec::new();
    for (_, e) in &new {
        if read.iter().any(|r| std::ptr::eq(*r, *e)) {
            continue;
        }
        match counted.iter_mut().find(|(reason, _)| *reason == e.reason) {
            Some((_, n)) => *n += 1,
            None => counted.push((&e.reason, 1)),
        }
    }
    let phrases: Vec<String> = counted
        .iter()
        .map(|(reason, n)| {
            let (one, many) = match *reason {
                "SuccessfulCreate" => ("pod created", "pods created"),
                "SuccessfulDelete" => ("pod deleted", "pods deleted"),
                "Scheduled" => ("pod scheduled", "pods scheduled"),
                "Pulling" => ("image pull started", "image pulls started"),
                "Pulled" => ("image ready", "images ready"),
                "Created" => ("container created", "containers created"),
                "Started" => ("container started", "containers started"),
                "Killing" => ("container stopped", "containers stopped"),
                "ScalingReplicaSet" => ("ReplicaSet scaled", "ReplicaSet scalings"),
                "BackOff" => ("back-off", "back-offs"),
                "Failed" => ("failure", "failures"),
                "Unhealthy" => ("failed probe", "failed probes"),
                _ => ("", ""),
            };
            match (one, *n) {
                ("", 1) => format!("1 {reason} event"),
                ("", n) => format!("{n} {reason} events"),
                (one, 1) => format!("1 {one}"),
                (_, n) => format!("{n} {many}"),
            }
        })
        .collect();
    if !phrases.is_empty() {
        text.push_str(&phrases.join(", "));
        text.push('.');
    }
    (Some(text.trim_end().to_string()), latest)
}

/// One endpoint of a Service, as its EndpointSlices list it now.
#[derive(Debug, Clone, PartialEq)]
pub struct EndpointView {
    pub pod: String,
    pub ip: String,
    pub node: Option<String>,
    /// The revision of the pod's ReplicaSet (0 if unknown).
    pub revision: i64,
    /// Receives traffic: Ready and not terminating.
    pub ready: bool,
    /// The pod's Ready condition (still true for a while when terminating).
    pub serving: bool,
    pub terminating: bool,
}

/// A Service with its ClusterIP and endpoints.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceView {
    pub namespace: String,
    pub name: String,
    /// `ClusterIP`, `NodePort`, …
    pub type_: String,
    pub cluster_ip: Option<String>,
    /// kubectl's PORT(S) column, e.g. `80/TCP`.
    pub ports: String,
    /// `app=web`
    pub selector: String,
    /// In pod name order.
    pub endpoints: Vec<EndpointView>,
}

/// Every Service, by namespace and name.
pub fn services(sim: &Sim) -> Vec<ServiceView> {
    sim.store
        .services
        .values()
        .map(|s| {
            let ns = s.metadata.ns();
            ServiceView {
                namespace: ns.to_string(),
                name: s.metadata.name.clone(),
                type_: s.spec.type_.clone().unwrap_or_else(|| "ClusterIP".into()),
                cluster_ip: s.spec.cluster_ip.clone(),
                ports: s
                    .spec
                    .ports
                    .iter()
                    .map(|p| match p.node_port {
                        Some(n) => {
                            format!("{}:{n}/{}", p.port, p.protocol.as_deref().unwrap_or("TCP"))
                        }
                        None => format!("{}/{}", p.port, p.protocol.as_deref().unwrap_or("TCP")),
                    })
                    .collect::<Vec<_>>()
                    .join(","),
                selector: printers::format_labels(&s.spec.selector),
                endpoints: service_endpoints(sim, ns, &s.metadata.name),
            }
        })
        .collect()
}

/// The endpoints of a Service's EndpointSlices, in pod name order.
pub fn service_endpoints(sim: &Sim, ns: &str, name: &str) -> Vec<EndpointView> {
    let mut out: Vec<EndpointView> = sim
        .store
        .slices_of_service(ns, name)
        .flat_map(|s| s.endpoints.iter())
        .map(|e| {
            let pod = e.pod_name().unwrap_or_default().to_string();
            let revision = sim
                .store
                .pods
                .get(&key(ns, &pod))
                .map_or(0, |p| revision_of_pod(sim, p));
            EndpointView {
                ip: e.addresses.first().cloned().unwrap_or_default(),
                node: e.node_name.clone(),
                revision,
                ready: e.is_ready(),
                serving: e.is_serving(),
                terminating: e.is_terminating(),
                pod,
            }
        })
        .collect();
    crate::order::sort_by(&mut out, |a, b| a.pod.cmp(&b.pod));
    out
}

/// The traffic panel: every Service that has (or had) simulated client load.
#[derive(Debug, Clone, PartialEq)]
pub struct TrafficView {
    pub now: Time,
    pub services: Vec<ServiceTrafficView>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ServiceTrafficView {
    pub namespace: String,
    pub service: String,
    /// Requests per simulated second now (0: stopped).
    pub rps: u32,
    /// The revision of the Deployment behind the Service: requests its pods serve are "new".
    pub current_revision: Option<i64>,
    /// Where requests can go now.
    pub endpoints: Vec<EndpointView>,
    /// One entry per simulated second, oldest first (at most the last 30 minutes).
    pub seconds: Vec<TrafficSecondView>,
    pub totals: TrafficTotalsView,
    /// The latest requests, oldest first (at most 50).
    pub recent: Vec<RequestView>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TrafficSecondView {
    pub start: Time,
    /// Requests served, by the revision of the pod that served them.
    pub served: BTreeMap<i64, u32>,
    pub failed: u32,
    /// The fewest endpoints requests could go to during this second (the capacity left).
    pub endpoints: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TrafficTotalsView {
    /// When counting started: the latest rollout (revision change), or the first request.
    pub since: Time,
    pub revision: Option<i64>,
    /// Served by pods of `revision`.
    pub served_new: u64,
    /// Served by pods of older (or other) revisions.
    pub served_old: u64,
    pub failed: u64,
    /// Failures by reason (`no ready endpoints`, `pod not serving yet`, …).
    pub failed_by_reason: BTreeMap<String, u64>,
    /// Seconds since `since` in which nothing was served and something failed.
    pub outage_seconds: u64,
    /// Since the stream started.
    pub all_served: u64,
    pub all_failed: u64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RequestView {
    pub at: Time,
    /// The pod it was sent to (none when there was no endpoint).
    pub pod: Option<String>,
    pub revision: Option<i64>,
    pub ok: bool,
    /// Why it failed.
    pub error: Option<String>,
}

/// The simulated client load and its outcome, or `None` if no traffic was ever configured.
pub fn traffic(sim: &Sim) -> Option<TrafficView> {
    if sim.traffic.is_empty() {
        return None;
    }
    let services = sim
        .traffic
        .streams()
        .map(|((ns, name), s)| ServiceTrafficView {
            namespace: ns.clone(),
            service: name.clone(),
            rps: s.rps,
            current_revision: crate::traffic::current_revision(sim, &key(ns, name)),
            endpoints: service_endpoints(sim, ns, name),
            seconds: s
                .seconds
                .iter()
                .map(|b| TrafficSecondView {
                    start: b.start,
                    served: b.served.iter().copied().collect(),
                    failed: b.failed,
                    endpoints: b.endpoints,
                })
                .collect(),
            totals: TrafficTotalsView {
                since: s.totals.since,
                revision: s.totals.revision,
                served_new: s.totals.served_new,
                served_old: s.totals.served_old,
                failed: s.totals.failed,
                failed_by_reason: s
                    .totals
                    .failed_by
                    .iter()
                    .map(|(f, n)| (f.text().to_string(), *n))
                    .collect(),
                outage_seconds: s.totals.outage_seconds,
                all_served: s.served,
                all_failed: s.failed,
            },
            recent: s
                .recent
                .iter()
                .map(|r| RequestView {
                    at: r.at,
                    pod: r.pod.clone(),
                    revision: r.revision,
                    ok: r.failure.is_none(),
                    error: r.failure.map(|f| f.text().to_string()),
                })
                .collect(),
        })
        .collect();
    Some(TrafficView {
        now: sim.now,
        services,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::ClusterConfig;
    use crate::command::Command;

    fn pod_names(sim: &Sim) -> Vec<(String, bool)> {
        cluster(sim).deployments[0].replicasets[0]
            .pods
            .iter()
            .map(|p| (p.name.clone(), p.terminating))
            .collect()
    }

    #[test]
    fn a_terminating_pod_keeps_its_place_among_its_replicaset_pods() {
        let mut sim = Sim::new(ClusterConfig::default(), 1);
        let run = |sim: &mut Sim, line: &str| {
            let out = sim.execute(&Command::Kubectl(line.into()));
            assert!(out.success(), "{line}: {}", out.text());
        };
        run(
            &mut sim,
            "kubectl create deployment web --image=nginx:1.27 --replicas=3",
        );
        sim.advance_to(Time(60_000));
        let before = pod_names(&sim);
        assert_eq!(before.len(), 3);
        let first = before[0].0.clone();
        run(
            &mut sim,
            &format!("kubectl delete pod {first} --wait=false"),
        );
        sim.advance_to(Time(60_100));
        let after = pod_names(&sim);
        // Listed by name as `kubectl get pods` does: the deleted pod, now terminating, stays
        // where its name puts it (first of the old three) instead of moving to the end.
        assert!(after.contains(&(first, true)), "{after:?}");
        let mut names: Vec<&str> = after.iter().map(|(n, _)| n.as_str()).collect();
        let listed = names.clone();
        crate::order::sort(&mut names);
        assert_eq!(names, listed);
        assert_eq!(after.iter().filter(|(_, t)| !*t).count(), 3, "{after:?}");
    }

    /// What the rollout panel says about pods that fail or are not ready.
    fn failing(sim: &Sim) -> Vec<String> {
        let insight = rollout_insight(sim, "default", "web").expect("web");
        insight
            .waiting_for
            .into_iter()
            .filter(|w| w.contains("are failing") || w.contains("readiness probe"))
            .collect()
    }

    #[test]
    fn a_running_pod_is_reported_for_a_failed_probe_or_a_lost_node_not_while_it_starts() {
        let mut sim = Sim::new(ClusterConfig::default(), 1);
        // The probe asks a port nginx does not serve, from 20 s after the start on.
        let yaml = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.27\n        readinessProbe:\n          initialDelaySeconds: 20\n          periodSeconds: 5\n          httpGet:\n            port: 9999\n";
        let out = sim.execute(&Command::Apply {
            file: "web.yaml".into(),
            yaml: yaml.into(),
        });
        assert!(out.success(), "{}", out.text());
        // Running but not yet probed: still starting, not failing.
        sim.advance_to(Time(15_000));
        assert!(sim.store.pods.values().all(|p| p.status.phase == "Running"));
        assert_eq!(failing(&sim), Vec::<String>::new());
        sim.advance_to(Time(40_000));
        assert_eq!(
            failing(&sim),
            ["2 pods run but are not ready: their readiness probe fails."]
        );

        // A ready pod on a node that stopped reporting is failing because of its node.
        let mut sim = Sim::new(ClusterConfig::default(), 1);
        let out = sim.execute(&Command::Kubectl(
            "kubectl create deployment web --image=nginx:1.27 --replicas=3".into(),
        ));
        assert!(out.success());
        sim.advance_to(Time(30_000));
        assert_eq!(failing(&sim), Vec::<String>::new());
        let node = sim
            .store
            .pods
            .values()
            .next()
            .unwrap()
            .spec
            .node_name
            .clone()
            .unwrap();
        let on_node = sim
            .store
            .pods
            .values()
            .filter(|p| p.spec.node_name.as_deref() == Some(node.as_str()))
            .count();
        sim.execute(&Command::Sim(crate::command::SimAction::StopNode(
            node.clone(),
        )));
        sim.advance_to(Time(120_000));
        assert_eq!(
            failing(&sim),
            [format!(
                "Pods are failing: {on_node} × on {node}, which is not ready."
            )]
        );
    }

    #[test]
    fn each_revision_lists_what_its_template_changed_from_the_one_before() {
        let mut sim = Sim::new(ClusterConfig::default(), 1);
        let run = |sim: &mut Sim, line: &str, until: u64| {
            let out = sim.execute(&Command::Kubectl(line.into()));
            assert!(out.success(), "{line}: {}", out.text());
            sim.advance_to(Time(until));
        };
        run(
            &mut sim,
            "kubectl create deployment web --image=nginx:1.27",
            60_000,
        );
        run(
            &mut sim,
            "kubectl set image deployment/web nginx=nginx:1.28",
            120_000,
        );
        let changes = |sim: &Sim| -> Vec<(i64, Option<i64>, Vec<String>)> {
            revisions(sim, "default", "web")
                .into_iter()
                .map(|r| (r.revision, r.since, r.changes))
                .collect()
        };
        let image = |from: &str, to: &str| {
            vec![format!(
                "spec.template.spec.containers[0].image: nginx:{from} → nginx:{to}"
            )]
        };
        // The first revision has nothing before it; the pod-template-hash label, different
        // in every ReplicaSet, is not a change.
        assert_eq!(
            changes(&sim),
            [(1, None, vec![]), (2, Some(1), image("1.27", "1.28"))]
        );
        // Undo copies revision 1's template into a new revision 3 (k8s-semantics.md,
        // rollback): revision 1 is gone, and 3 changes the image back.
        run(&mut sim, "kubectl rollout undo deployment/web", 180_000);
        assert_eq!(
            changes(&sim),
            [(2, None, vec![]), (3, Some(2), image("1.28", "1.27"))]
        );
        // A restart changes only the template's restartedAt annotation, which is why it
        // makes a new ReplicaSet.
        run(&mut sim, "kubectl rollout restart deployment/web", 240_000);
        let last = changes(&sim).pop().expect("a revision");
        assert_eq!((last.0, last.1), (4, Some(3)));
        assert_eq!(last.2.len(), 1, "{:?}", last.2);
        assert!(
            last.2[0].starts_with(
                "spec.template.metadata.annotations.kubectl.kubernetes.io/restartedAt: (none) → "
            ),
            "{:?}",
            last.2
        );
    }

    #[test]
    fn a_narration_reads_the_deployment_first_counts_the_rest_and_goes_on_from_there() {
        let mut sim = Sim::new(ClusterConfig::default(), 1);
        let out = sim.execute(&Command::Kubectl(
            "kubectl create deployment web --image=nginx:1.27 --replicas=2".into(),
        ));
        assert!(out.success(), "{}", out.text());
        sim.advance_to(Time(30_000));
        let (text, latest) = narration(&sim, 0);
        let text = text.expect("events happened");
        let rs = &sim
            .store
            .replicasets
            .values()
            .next()
            .expect("a ReplicaSet")
            .metadata
            .name;
        // Many events: the Deployment controller's word for word (k8s-semantics.md, events
        // table), the others counted in the order they first happened — the ReplicaSet
        // creates the pods, the scheduler places them, the kubelets pull, create and start.
        assert_eq!(
            text,
            format!("At t = 30s: deployment/web: Scaled up replica set {rs} from 0 to 2. 2 pods created, 2 pods scheduled, 2 image pulls started, 2 images ready, 2 containers created, 2 containers started.")
        );
        assert!(latest > 0);
        // Nothing new since: nothing to say, and the same place to go on from.
        sim.advance_to(Time(31_000));
        assert_eq!(narration(&sim, latest), (None, latest));
        // A failed pull is a warning: read before the pod's normal events, with its count.
        let out = sim.execute(&Command::Kubectl(
            "kubectl set image deployment/web nginx=nginx:no-such-tag".into(),
        ));
        assert!(out.success(), "{}", out.text());
        sim.advance_to(Time(90_000));
        let (text, newer) = narration(&sim, latest);
        let text = text.expect("the rollout's events");
        assert!(newer > latest);
        assert!(
            text.starts_with("At t = 90s: deployment/web: Scaled up replica set "),
            "{text}"
        );
        // Then the warnings word for word, each with its count; the rest counted.
        let sentences: Vec<&str> = text.split(". pod/").collect();
        assert_eq!(sentences.len(), 3, "{text}");
        let pod = sentences[1].split(':').next().unwrap_or_default();
        assert!(
            sentences[1].starts_with(&format!(
                "{pod}: Failed to pull image \"nginx:no-such-tag\": rpc error: code = NotFound"
            )) && sentences[1].ends_with(" (3 times)"),
            "{text}"
        );
        assert_eq!(
            sentences[2],
            format!("{pod}: Error: ErrImagePull (3 times). 1 pod created, 1 pod scheduled, 1 image pull started, 1 back-off, 1 failure.")
        );
        // A few events are all read word for word.
        let mut quiet = Sim::new(ClusterConfig::default(), 1);
        let out = quiet.execute(&Command::Kubectl("kubectl run p --image=nginx:1.27".into()));
        assert!(out.success(), "{}", out.text());
        let node = quiet
            .store
            .pods
            .values()
            .next()
            .and_then(|p| p.spec.node_name.clone());
        let (text, _) = narration(&quiet, 0);
        assert_eq!(
            text,
            Some(format!(
                "At t = 0s: pod/p: Successfully assigned default/p to {}.",
                node.expect("scheduled")
            ))
        );
    }
}
