//! The scheduler: binds each unassigned pod to a node that passes the filters (not cordoned,
//! taints tolerated, pod count and cpu/memory requests fit, nodeSelector), preferring the node
//! with the fewest pods of the same ReplicaSet, then the least requested one. When no node fits
//! it records `FailedScheduling` in the v1.35 wording and retries when capacity changes.

use crate::api::core::{Node, Pod, PodCondition};
use crate::apiserver;
use crate::sim::{ObjRef, Sim};
use crate::store::Key;
use crate::time::{Time, MINUTE, SECOND};
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct State {
    /// Bumped whenever capacity may have freed up (pod deleted, node changed).
    pub epoch: u64,
    /// Pods that did not fit: the epoch they failed at, when they may retry, attempts.
    unschedulable: BTreeMap<String, Failed>,
}

#[derive(Debug, Clone, PartialEq)]
struct Failed {
    epoch: u64,
    at: Time,
    not_before: Time,
    attempts: u32,
}

/// Requests assumed for containers without any (the scheduler's non-zero defaults, for scoring).
const DEFAULT_CPU_MILLI: i128 = 100;
const DEFAULT_MEMORY_BYTES: i128 = 200 * 1024 * 1024;

pub fn sync(sim: &mut Sim) {
    // Pods still backing off after a failed attempt wait in the unschedulable queue; only the
    // others are worth copying and trying (thousands may wait on a full cluster).
    let due = |uid: &str| {
        sim.scheduler.unschedulable.get(uid).is_none_or(|f| {
            let capacity_changed = f.epoch != sim.scheduler.epoch;
            let periodic = sim.now >= f.at.plus_ms(5 * MINUTE);
            sim.now >= f.not_before && (capacity_changed || periodic)
        })
    };
    let mut pending: Vec<(Time, Key)> = sim
        .store
        .pods
        .iter()
        .filter(|(_, p)| {
            p.spec.node_name.as_deref().unwrap_or("").is_empty()
                && !p.metadata.is_terminating()
                && due(p.metadata.uid())
        })
        .map(|(k, p)| (p.metadata.created(), k.clone()))
        .collect();
    // Forget the back-off of pods that are gone (only worth a scan when there is any).
    if !sim.scheduler.unschedulable.is_empty() {
        let live: std::collections::BTreeSet<&str> =
            sim.store.pods.values().map(|p| p.metadata.uid()).collect();
        sim.scheduler
            .unschedulable
            .retain(|uid, _| live.contains(uid.as_str()));
    }
    if pending.is_empty() {
        return;
    }
    crate::order::sort(&mut pending);
    let mut usage = node_usage(sim);
    // Node capacities are parsed once per sync, in node order (binding pods changes no node).
    let capacity: Vec<Capacity> = sim.store.nodes.values().map(Capacity::of).collect();
    for (_, k) in pending {
        let Some(pod) = sim.store.pods.get(&k).cloned() else {
            continue;
        };
        schedule_one(sim, pod, &mut usage, &capacity);
    }
}

/// What a node offers: pods, cpu millicores, memory bytes (`status.allocatable`).
struct Capacity {
    pods: i128,
    cpu: i128,
    mem: i128,
}

impl Capacity {
    fn of(n: &Node) -> Capacity {
        let milli = |k: &str| {
            n.status
                .allocatable
                .get(k)
                .and_then(|q| q.milli())
                .unwrap_or(0)
        };
        Capacity {
            pods: milli("pods") / 1000,
            cpu: milli("cpu"),
            mem: milli("memory") / 1000,
        }
    }
}

/// What is already placed on each node: pod count, requests, and pods per owner.
#[derive(Default)]
struct Usage {
    count: i128,
    cpu: i128,
    mem: i128,
    score_cpu: i128,
    score_mem: i128,
    owners: BTreeMap<String, usize>,
}

impl Usage {
    fn add(&mut self, p: &Pod) {
        let (c, m) = pod_requests(p);
        let (sc, sm) = scoring_requests(p);
        self.count += 1;
        // Requests can be written enormous (`1e35`): sums saturate rather than wrap.
        self.cpu = self.cpu.saturating_add(c);
        self.mem = self.mem.saturating_add(m);
        self.score_cpu = self.score_cpu.saturating_add(sc);
        self.score_mem = self.score_mem.saturating_add(sm);
        if let Some(o) = p.metadata.controller_ref() {
            *self.owners.entry(o.uid.clone()).or_insert(0) += 1;
        }
    }
}

/// Pods bound to a node hold its resources until they are finished.
fn node_usage(sim: &Sim) -> BTreeMap<String, Usage> {
    let mut usage: BTreeMap<String, Usage> = BTreeMap::new();
    for p in sim.store.pods.values() {
        let Some(node) = p.spec.node_name.as_deref().filter(|n| !n.is_empty()) else {
            continue;
        };
        if p.status.phase == "Succeeded" || p.status.phase == "Failed" {
            continue;
        }
        usage.entry(node.to_string()).or_default().add(p);
    }
    usage
}

fn schedule_one(
    sim: &mut Sim,
    mut pod: Pod,
    usage: &mut BTreeMap<String, Usage>,
    capacity: &[Capacity],
) {
    // Decide on borrowed nodes (no copy per pod: a burst of pods meets every node each).
    let decision: Result<String, String> = {
        let nodes: Vec<&Node> = sim.store.nodes.values().collect();
        let mut reasons: Vec<Vec<(String, bool)>> = Vec::new();
        let mut feasible: Vec<(&Node, &Capacity)> = Vec::new();
        for (n, cap) in nodes.iter().zip(capacity) {
            match filter(&pod, n, cap, usage.get(&n.metadata.name)) {
                Ok(()) => feasible.push((n, cap)),
                Err(rs) => reasons.push(rs),
            }
        }
        match pick(&pod, &feasible, usage) {
            Some(best) => Ok(best.metadata.name.clone()),
            None => Err(failed_message(nodes.len(), &reasons)),
        }
    };
    let uid = pod.metadata.uid().to_string();
    let obj = ObjRef::namespaced("Pod", &pod.metadata);
    let node = match decision {
        Ok(node) => node,
        Err(msg) => {
            set_scheduled_condition(
                sim,
                &mut pod,
                "False",
                Some("Unschedulable"),
                Some(msg.clone()),
            );
            apiserver::update_pod(sim, pod);
            sim.record_event(
                obj,
                "Warning",
                "FailedScheduling",
                msg,
                "default-scheduler",
                None,
            );
            let now = sim.now;
            let epoch = sim.scheduler.epoch;
            let f = sim.scheduler.unschedulable.entry(uid).or_insert(Failed {
                epoch,
                at: now,
                not_before: now,
                attempts: 0,
            });
            f.attempts += 1;
            f.epoch = epoch;
            f.at = now;
            // Per-pod back-off 1 s doubling to 10 s, and a periodic retry after 5 minutes.
            let backoff = (SECOND << (f.attempts.min(5) - 1)).min(10 * SECOND);
            f.not_before = now.plus_ms(backoff);
            let (nb, periodic) = (f.not_before, now.plus_ms(5 * MINUTE));
            sim.wake_at(nb);
            sim.wake_at(periodic);
            return;
        }
    };
    sim.scheduler.unschedulable.remove(&uid);
    pod.spec.node_name = Some(node.clone());
    usage.entry(node.clone()).or_default().add(&pod);
    set_scheduled_condition(sim, &mut pod, "True", None, None);
    let msg = format!(
        "Successfully assigned {}/{} to {}",
        pod.metadata.ns(),
        pod.metadata.name,
        node
    );
    apiserver::update_pod(sim, pod);
    sim.record_event(obj, "Normal", "Scheduled", msg, "default-scheduler", None);
}

fn set_scheduled_condition(
    sim: &Sim,
    pod: &mut Pod,
    status: &str,
    reason: Option<&str>,
    message: Option<String>,
) {
    let now = sim.api_now();
    pod.status.conditions.retain(|c| c.type_ != "PodScheduled");
    pod.status.conditions.push(PodCondition {
        type_: "PodScheduled".into(),
        status: status.into(),
        last_probe_time: None,
        last_transition_time: Some(now),
        reason: reason.map(str::to_string),
        message,
        observed_generation: pod.metadata.generation,
    });
}

/// Total requests of a pod: (cpu millicores, memory bytes).
pub fn pod_requests(p: &Pod) -> (i128, i128) {
    let mut cpu = 0;
    let mut mem = 0;
    for c in &p.spec.containers {
        if let Some(r) = &c.resources {
            let c = r.requests.get("cpu").and_then(|q| q.milli()).unwrap_or(0);
            let m = r.requests.get("memory").and_then(|q| q.milli());
            cpu = c.saturating_add(cpu);
            mem = m.map_or(0, |m| m / 1000).saturating_add(mem);
        }
    }
    (cpu, mem)
}

/// The filter plugins in upstream order; each failing node contributes its reasons, plus
/// whether preemption could help (resource shortages) or not (everything else).
fn filter(
    pod: &Pod,
    n: &Node,
    cap: &Capacity,
    used: Option<&Usage>,
) -> Result<(), Vec<(String, bool)>> {
    let empty = Usage::default();
    let used = used.unwrap_or(&empty);
    let tolerates = |key: &str, effect: &str| {
        pod.spec.tolerations.iter().any(|t| {
            t.tolerates(&crate::api::core::Taint {
                key: key.into(),
                value: None,
                effect: effect.into(),
                time_added: None,
            })
        })
    };
    if n.spec.unschedulable && !tolerates("node.kubernetes.io/unschedulable", "NoSchedule") {
        return Err(vec![("node(s) were unschedulable".into(), false)]);
    }
    let untolerated = n.spec.taints.iter().any(|t| {
        (t.effect == "NoSchedule" || t.effect == "NoExecute")
            && !pod.spec.tolerations.iter().any(|tol| tol.tolerates(t))
    });
    if untolerated {
        return Err(vec![("node(s) had untolerated taint(s)".into(), false)]);
    }
    if !pod
        .spec
        .node_selector
        .iter()
        .all(|(k, v)| n.metadata.labels.get(k) == Some(v))
    {
        return Err(vec![(
            "node(s) didn't match Pod's node affinity/selector".into(),
            false,
        )]);
    }
    let mut reasons = Vec::new();
    if used.count + 1 > cap.pods {
        reasons.push(("Too many pods".to_string(), true));
    }
    let (cpu, mem) = pod_requests(pod);
    if cpu > 0 || mem > 0 {
        let (used_cpu, used_mem) = (used.cpu, used.mem);
        if cpu > 0 && used_cpu.saturating_add(cpu) > cap.cpu {
            reasons.push(("Insufficient cpu".into(), true));
        }
        if mem > 0 && used_mem.saturating_add(mem) > cap.mem {
            reasons.push(("Insufficient memory".into(), true));
        }
    }
    if reasons.is_empty() {
        Ok(())
    } else {
        Err(reasons)
    }
}

/// Spread pods of one ReplicaSet first, then prefer the least requested node, then by name.
fn pick<'a>(
    pod: &Pod,
    feasible: &[(&'a Node, &Capacity)],
    usage: &BTreeMap<String, Usage>,
) -> Option<&'a Node> {
    let owner = pod.metadata.controller_ref().map(|o| o.uid.as_str());
    let empty = Usage::default();
    feasible
        .iter()
        .map(|&(n, cap)| {
            let u = usage.get(&n.metadata.name).unwrap_or(&empty);
            let same_owner = owner.and_then(|o| u.owners.get(o)).copied().unwrap_or(0);
            let fraction = |used: i128, allocatable: i128| {
                (used.saturating_mul(1000) / allocatable.max(1)).min(1000)
            };
            (
                same_owner,
                fraction(u.score_cpu, cap.cpu) + fraction(u.score_mem, cap.mem),
                n,
            )
        })
        .min_by(|a, b| (a.0, a.1, &a.2.metadata.name).cmp(&(b.0, b.1, &b.2.metadata.name)))
        .map(|(_, _, n)| n)
}

fn scoring_requests(p: &Pod) -> (i128, i128) {
    let (cpu, mem) = pod_requests(p);
    (
        if cpu == 0 { DEFAULT_CPU_MILLI } else { cpu },
        if mem == 0 { DEFAULT_MEMORY_BYTES } else { mem },
    )
}

/// `FitError.Error()` with the DefaultPreemption post-filter message (v1.34+ adds the
/// dynamic-resource-allocation note before it). `per_node` holds each failing node's reasons
/// and whether preempting lower-priority pods could free room (resource shortages only).
fn failed_message(total: usize, per_node: &[Vec<(String, bool)>]) -> String {
    if total == 0 {
        return "no nodes available to schedule pods".into();
    }
    let filter_part = histogram(per_node.iter().flatten().map(|(r, _)| r.as_str()));
    let preemption = histogram(per_node.iter().map(|rs| {
        if rs.iter().all(|(_, p)| *p) {
            "No preemption victims found for incoming pod"
        } else {
            "Preemption is not helpful for scheduling"
        }
    }));
    format!(
        "0/{total} nodes are available: {filter_part}. no new claims to deallocate, preemption: 0/{total} nodes are available: {preemption}."
    )
}

/// `"<count> <reason>"` entries, sorted as strings (so "10 …" comes before "2 …"), joined.
fn histogram<'a>(items: impl Iterator<Item = &'a str>) -> String {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for r in items {
        *counts.entry(r).or_insert(0) += 1;
    }
    let mut parts: Vec<String> = counts
        .into_iter()
        .map(|(r, c)| format!("{c} {r}"))
        .collect();
    crate::order::sort(&mut parts);
    parts.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failed_message_sorts_counts_as_strings() {
        let mut reasons = Vec::new();
        for _ in 0..10 {
            reasons.push(vec![("Too many pods".to_string(), true)]);
        }
        reasons.push(vec![("node(s) were unschedulable".to_string(), false)]);
        reasons.push(vec![("node(s) were unschedulable".to_string(), false)]);
        let m = failed_message(12, &reasons);
        assert_eq!(
            m,
            "0/12 nodes are available: 10 Too many pods, 2 node(s) were unschedulable. no new claims to deallocate, \
             preemption: 0/12 nodes are available: 10 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling."
        );
    }
}
