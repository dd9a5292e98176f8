//! The ReplicaSet controller (upstream `replica_set.go`): adopt and release pods, create the
//! missing ones in slow-start batches, delete the surplus by upstream's ranking, and count
//! replicas, ready and available pods (k8s-semantics.md §8).

use crate::api::apps::{ReplicaSet, ReplicaSetCondition, ReplicaSetStatus, POD_DELETION_COST};
use crate::api::core::Pod;
use crate::api::meta::{ObjectMeta, OwnerReference};
use crate::apiserver;
use crate::sim::{ObjRef, Sim};
use crate::store::Key;
use crate::time::{Time, SECOND};
use std::cmp::Ordering;
use std::collections::BTreeMap;

/// Upstream `burstReplicas`: at most this many creates or deletes per sync.
const BURST_REPLICAS: i64 = 500;

pub fn sync(sim: &mut Sim, k: &Key) {
    let Some(rs) = sim.store.replicasets.get(k).cloned() else {
        return;
    };
    claim_pods(sim, &rs);
    let backoff_until = sim.rs_backoff.get(k).map(|b| b.retry_at);
    let mut manage_err = None;
    if !rs.metadata.is_terminating() && backoff_until.is_none_or(|t| t <= sim.now) {
        manage_err = manage_replicas(sim, &rs);
        match &manage_err {
            None => {
                sim.rs_backoff.remove(k);
            }
            Some(_) => {
                let b = sim.rs_backoff.entry(k.clone()).or_default();
                b.failures += 1;
                // The workqueue's exponential limiter: 5 ms doubling, capped at 1000 s.
                let delay = 5u64
                    .saturating_mul(1u64 << b.failures.min(40).saturating_sub(1))
                    .min(1_000_000);
                b.retry_at = sim.now.plus_ms(delay);
                let t = b.retry_at;
                sim.wake_at(t);
            }
        }
    } else if let Some(t) = backoff_until {
        sim.wake_at(t);
        // Still short of pods: upstream retries on every pod event and fails again, so its
        // ReplicaFailure condition stays while this model waits out the back-off.
        let active = sim
            .store
            .pods_owned_by(&k.0, rs.metadata.uid())
            .filter(|p| is_active(p))
            .count() as i64;
        if active < rs.spec.replicas {
            manage_err = rs
                .status
                .conditions
                .iter()
                .find(|c| c.type_ == "ReplicaFailure")
                .map(|c| c.message.clone());
        }
    }
    // Count what exists after this sync's creates and deletes (the controller's next status
    // write, folded into this one).
    let Some(rs) = sim.store.replicasets.get(k).cloned() else {
        return;
    };
    let (status, wakes) = {
        let owned: Vec<&Pod> = sim.store.pods_owned_by(&k.0, rs.metadata.uid()).collect();
        let active: Vec<&Pod> = owned.iter().copied().filter(|p| is_active(p)).collect();
        let terminating = owned
            .iter()
            .filter(|p| {
                p.metadata.is_terminating()
                    && p.status.phase != "Succeeded"
                    && p.status.phase != "Failed"
            })
            .count() as i64;
        (
            calculate_status(sim, &rs, &active, terminating, manage_err),
            availability_wakes(sim, &rs, &active),
        )
    };
    for t in wakes {
        sim.wake_at(t);
    }
    apiserver::update_replicaset_status(sim, k, status);
}

/// `IsPodActive`: not finished and not marked for deletion.
pub fn is_active(p: &Pod) -> bool {
    p.status.phase != "Succeeded" && p.status.phase != "Failed" && !p.metadata.is_terminating()
}

pub fn is_pod_ready(p: &Pod) -> bool {
    p.status
        .conditions
        .iter()
        .any(|c| c.type_ == "Ready" && c.status == "True")
}

pub fn ready_since(p: &Pod) -> Option<Time> {
    p.status
        .conditions
        .iter()
        .find(|c| c.type_ == "Ready" && c.status == "True")
        .and_then(|c| c.last_transition_time)
}

/// `IsPodAvailable`: ready for longer than `minReadySeconds`.
pub fn is_pod_available(p: &Pod, min_ready_seconds: i64, now: Time) -> bool {
    if !is_pod_ready(p) {
        return false;
    }
    if min_ready_seconds == 0 {
        return true;
    }
    ready_since(p).is_some_and(|t| t.plus_secs(min_ready_seconds) < now)
}

/// Adopt orphans that match the selector, release owned pods that no longer match (§8.5).
fn claim_pods(sim: &mut Sim, rs: &ReplicaSet) {
    let ns = rs.metadata.ns().to_string();
    let uid = rs.metadata.uid().to_string();
    let selector = &rs.spec.selector;
    let changes: Vec<(Key, bool)> = sim
        .store
        .pods
        .range(crate::store::key(&ns, "")..)
        .take_while(|(k, _)| k.0 == ns)
        .filter(|(_, p)| is_active(p))
        .filter_map(|(k, p)| {
            // Pods of other controllers are neither adopted nor released: no need to match.
            let owned = match p.metadata.controller_ref() {
                Some(o) if o.uid == uid => true,
                Some(_) => return None,
                None if rs.metadata.is_terminating() => return None,
                None => false,
            };
            let matches = !selector.is_empty() && selector.matches(&p.metadata.labels);
            match (owned, matches) {
                (true, false) => Some((k.clone(), false)),
                (false, true) => Some((k.clone(), true)),
                _ => None,
            }
        })
        .collect();
    for (k, adopt) in changes {
        let Some(mut p) = sim.store.pods.get(&k).cloned() else {
            continue;
        };
        if adopt {
            p.metadata.owner_references.push(owner_ref(rs));
        } else {
            p.metadata.owner_references.retain(|o| o.uid != uid);
        }
        write_pod_meta(sim, p);
    }
}

fn write_pod_meta(sim: &mut Sim, p: Pod) {
    apiserver::update_pod(sim, p);
}

fn owner_ref(rs: &ReplicaSet) -> OwnerReference {
    OwnerReference {
        api_version: "apps/v1".into(),
        kind: "ReplicaSet".into(),
        name: rs.metadata.name.clone(),
        uid: rs.metadata.uid().to_string(),
        controller: Some(true),
        block_owner_deletion: Some(true),
    }
}

fn rs_obj(rs: &ReplicaSet) -> ObjRef {
    ObjRef::namespaced("ReplicaSet", &rs.metadata)
}

/// `manageReplicas`: returns the error of a failed create, if any.
fn manage_replicas(sim: &mut Sim, rs: &ReplicaSet) -> Option<String> {
    let ns = rs.metadata.ns();
    let active = sim
        .store
        .pods_owned_by(ns, rs.metadata.uid())
        .filter(|p| is_active(p))
        .count();
    let diff = active as i64 - rs.spec.replicas;
    if diff < 0 {
        let count = (-diff).min(BURST_REPLICAS);
        return create_in_slow_start_batches(sim, rs, count);
    }
    if diff > 0 {
        let count = diff.min(BURST_REPLICAS) as usize;
        let victims: Vec<String> = {
            let pods: Vec<&Pod> = sim
                .store
                .pods_owned_by(ns, rs.metadata.uid())
                .filter(|p| is_active(p))
                .collect();
            pods_to_delete(sim, rs, &pods, count)
                .into_iter()
                .map(|p| p.metadata.name.clone())
                .collect()
        };
        for name in victims {
            if apiserver::delete_pod(sim, ns, &name, None).is_ok() {
                let msg = format!("Deleted pod: {name}");
                sim.record_event(
                    rs_obj(rs),
                    "Normal",
                    "SuccessfulDelete",
                    msg,
                    "replicaset-controller",
                    None,
                );
            }
        }
    }
    None
}

/// `slowStartBatch`: batches of 1, 2, 4, … ; a batch with a failure stops the rest.
fn create_in_slow_start_batches(sim: &mut Sim, rs: &ReplicaSet, count: i64) -> Option<String> {
    let mut remaining = count;
    let mut batch = 1i64;
    while remaining > 0 {
        let size = batch.min(remaining);
        let mut first_err = None;
        for _ in 0..size {
            match apiserver::create_pod(sim, pod_from_template(rs)) {
                Ok(p) => {
                    let msg = format!("Created pod: {}", p.metadata.name);
                    sim.record_event(
                        rs_obj(rs),
                        "Normal",
                        "SuccessfulCreate",
                        msg,
                        "replicaset-controller",
                        None,
                    );
                }
                Err(e) => {
                    sim.record_event(
                        rs_obj(rs),
                        "Warning",
                        "FailedCreate",
                        format!("Error creating: {e}"),
                        "replicaset-controller",
                        None,
                    );
                    first_err.get_or_insert(e);
                }
            }
        }
        if first_err.is_some() {
            return first_err;
        }
        remaining -= size;
        batch = (batch * 2).min(remaining.max(1));
    }
    None
}

fn pod_from_template(rs: &ReplicaSet) -> Pod {
    let t = &rs.spec.template;
    Pod {
        metadata: ObjectMeta {
            generate_name: Some(format!("{}-", rs.metadata.name)),
            namespace: Some(rs.metadata.ns().to_string()),
            labels: t.metadata.labels.clone(),
            annotations: t.metadata.annotations.clone(),
            owner_references: vec![owner_ref(rs)],
            ..Default::default()
        },
        spec: t.spec.clone(),
        ..Default::default()
    }
}

/// The pod-count quota admission check for a new pod in `ns`.
pub fn check_pod_quota(sim: &Sim, ns: &str, pod_name: &str) -> Result<(), String> {
    for ((qns, qname), q) in &sim.store.quotas {
        if qns != ns {
            continue;
        }
        let Some(limit) = q
            .spec
            .hard
            .get("pods")
            .and_then(|v| v.milli())
            .map(|m| i64::try_from(m / 1000).unwrap_or(i64::MAX))
        else {
            continue;
        };
        let used = sim
            .store
            .pods_in(ns)
            .filter(|p| counts_for_quota(sim, p))
            .count() as i64;
        if used + 1 > limit {
            return Err(format!(
                "pods {pod_name:?} is forbidden: exceeded quota: {qname}, requested: pods=1, used: pods={used}, limited: pods={limit}"
            ));
        }
    }
    Ok(())
}

/// `QuotaV1Pod`: finished pods do not count; a terminating pod stops counting once its grace
/// period has passed.
fn counts_for_quota(sim: &Sim, p: &Pod) -> bool {
    if p.status.phase == "Succeeded" || p.status.phase == "Failed" {
        return false;
    }
    match (
        p.metadata.deletion_timestamp,
        p.metadata.deletion_grace_period_seconds,
    ) {
        (Some(t), Some(g)) => sim.now <= t.plus_secs(g),
        _ => true,
    }
}

/// `getPodsToDelete` with `ActivePodsWithRanks` (§8.3).
fn pods_to_delete<'a>(sim: &Sim, rs: &ReplicaSet, pods: &[&'a Pod], count: usize) -> Vec<&'a Pod> {
    if count >= pods.len() {
        return pods.to_vec();
    }
    // Rank = active pods of the whole Deployment (all its ReplicaSets) on the pod's node.
    let ns = rs.metadata.ns();
    let mut on_node: BTreeMap<String, i64> = BTreeMap::new();
    let siblings: Vec<String> = match rs.metadata.controller_ref() {
        Some(owner) => sim
            .store
            .replicasets_in(ns)
            .filter(|r| {
                r.metadata
                    .controller_ref()
                    .is_some_and(|o| o.uid == owner.uid)
            })
            .map(|r| r.metadata.uid().to_string())
            .collect(),
        None => vec![rs.metadata.uid().to_string()],
    };
    for uid in &siblings {
        for p in sim.store.pods_owned_by(ns, uid).filter(|p| is_active(p)) {
            *on_node
                .entry(p.spec.node_name.clone().unwrap_or_default())
                .or_insert(0) += 1;
        }
    }
    let mut ranked: Vec<(&Pod, i64)> = pods
        .iter()
        .map(|&p| {
            let node = p.spec.node_name.as_deref().unwrap_or("");
            (p, *on_node.get(node).unwrap_or(&0))
        })
        .collect();
    let now = sim.now;
    // Upstream's ranking is not a total order: sort the way Go tolerates (crate::order).
    crate::order::sort_by(&mut ranked, |a, b| {
        compare_for_deletion(a.0, a.1, b.0, b.1, now)
    });
    ranked.into_iter().take(count).map(|(p, _)| p).collect()
}

/// `ActivePodsWithRanks.Less`: `Less` means "delete first".
pub fn compare_for_deletion(a: &Pod, rank_a: i64, b: &Pod, rank_b: i64, now: Time) -> Ordering {
    let (na, nb) = (
        a.spec.node_name.as_deref().unwrap_or(""),
        b.spec.node_name.as_deref().unwrap_or(""),
    );
    // 1. unassigned before assigned
    if na != nb && (na.is_empty() || nb.is_empty()) {
        return if na.is_empty() {
            Ordering::Less
        } else {
            Ordering::Greater
        };
    }
    // 2. Pending < Unknown < Running
    let phase = |p: &Pod| match p.status.phase.as_str() {
        "Pending" => 0,
        "Unknown" => 1,
        "Running" => 2,
        _ => 0,
    };
    if phase(a) != phase(b) {
        return phase(a).cmp(&phase(b));
    }
    // 3. not ready before ready
    let (ra, rb) = (is_pod_ready(a), is_pod_ready(b));
    if ra != rb {
        return if !ra {
            Ordering::Less
        } else {
            Ordering::Greater
        };
    }
    // 4. lower pod-deletion-cost first
    let cost = |p: &Pod| {
        p.metadata
            .annotation(POD_DELETION_COST)
            .and_then(|v| v.parse::<i32>().ok())
            .unwrap_or(0)
    };
    if cost(a) != cost(b) {
        return cost(a).cmp(&cost(b));
    }
    // 5. more pods of the same Deployment on the node first
    if rank_a != rank_b {
        return rank_b.cmp(&rank_a);
    }
    // 6. both ready: more recently ready first, in log2 buckets of age
    if ra && rb {
        if let Some(o) = compare_times_logarithmic(ready_since(a), ready_since(b), a, b, now) {
            return o;
        }
    }
    // 7. more restarts first
    if a.max_restarts() != b.max_restarts() {
        return b.max_restarts().cmp(&a.max_restarts());
    }
    // 8. newer first, in log2 buckets of age
    compare_times_logarithmic(
        a.metadata.creation_timestamp,
        b.metadata.creation_timestamp,
        a,
        b,
        now,
    )
    .unwrap_or(Ordering::Equal)
}

/// LogarithmicScaleDown: younger first when the ages fall in different power-of-two brackets
/// (of nanoseconds); inside a bracket, by UID. `None` when the times are equal.
fn compare_times_logarithmic(
    ta: Option<Time>,
    tb: Option<Time>,
    a: &Pod,
    b: &Pod,
    now: Time,
) -> Option<Ordering> {
    if ta == tb {
        return None;
    }
    let (Some(ta), Some(tb)) = (ta, tb) else {
        // A zero time counts as the most recent.
        return Some(if ta.is_none() {
            Ordering::Less
        } else {
            Ordering::Greater
        });
    };
    let bucket = |t: Time| -> i64 {
        let nanos = now.0.saturating_sub(t.0) as f64 * 1e6;
        if nanos > 0.0 {
            nanos.log2().floor() as i64
        } else {
            -1
        }
    };
    let diff = bucket(ta) - bucket(tb);
    Some(if diff == 0 {
        a.metadata.uid().cmp(b.metadata.uid())
    } else {
        diff.cmp(&0)
    })
}

/// `calculateStatus` (§8.4).
fn calculate_status(
    sim: &Sim,
    rs: &ReplicaSet,
    active: &[&Pod],
    terminating: i64,
    err: Option<String>,
) -> ReplicaSetStatus {
    let mut st = rs.status.clone();
    let template_labels = &rs.spec.template.metadata.labels;
    st.fully_labeled_replicas = active
        .iter()
        .filter(|p| {
            template_labels
                .iter()
                .all(|(k, v)| p.metadata.labels.get(k) == Some(v))
        })
        .count() as i64;
    st.ready_replicas = active.iter().filter(|p| is_pod_ready(p)).count() as i64;
    st.available_replicas = active
        .iter()
        .filter(|p| is_pod_available(p, rs.spec.min_ready_seconds, sim.now))
        .count() as i64;
    st.replicas = active.len() as i64;
    st.terminating_replicas = Some(terminating);
    st.observed_generation = rs.metadata.generation;
    let has_failure = st.conditions.iter().any(|c| c.type_ == "ReplicaFailure");
    match err {
        Some(message) if !has_failure => {
            let diff = active.len() as i64 - rs.spec.replicas;
            let reason = if diff < 0 {
                "FailedCreate"
            } else {
                "FailedDelete"
            };
            st.conditions.push(ReplicaSetCondition {
                type_: "ReplicaFailure".into(),
                status: "True".into(),
                last_transition_time: sim.api_now(),
                reason: reason.into(),
                message,
            });
        }
        None if has_failure => st.conditions.retain(|c| c.type_ != "ReplicaFailure"),
        _ => {}
    }
    st
}

/// A ready pod becomes available `minReadySeconds` later; re-count then (upstream re-queues
/// the ReplicaSet after minReadySeconds + 1 s).
fn availability_wakes(sim: &Sim, rs: &ReplicaSet, active: &[&Pod]) -> Vec<Time> {
    let m = rs.spec.min_ready_seconds;
    if m <= 0 {
        return Vec::new();
    }
    active
        .iter()
        .filter(|p| is_pod_ready(p) && !is_pod_available(p, m, sim.now))
        .filter_map(|p| ready_since(p))
        .map(|t| t.plus_secs(m).plus_ms(SECOND))
        .collect()
}
