//! Upstream `recreate.go`: scale every old ReplicaSet to zero, wait until their pods are gone
//! from the API (Terminating ones included), then create the new ReplicaSet at full size (§2).

use super::progress::sync_rollout_status;
use super::sync::{all_replica_sets_and_sync_revision, cleanup, scale_and_record};
use super::util::deployment_complete;
use super::Ctx;
use crate::sim::Sim;

pub fn rollout_recreate(sim: &mut Sim, ctx: &mut Ctx) {
    let Ok(sets) = all_replica_sets_and_sync_revision(sim, ctx, false) else {
        return;
    };
    let active_old: Vec<String> = sets
        .old
        .iter()
        .filter(|n| ctx.rs(n).is_some_and(|rs| rs.spec.replicas > 0))
        .cloned()
        .collect();
    let mut scaled_down = false;
    for name in &active_old {
        scaled_down |= scale_and_record(sim, ctx, name, 0);
    }
    if scaled_down {
        sync_rollout_status(sim, ctx, sets.new.as_deref());
        return;
    }
    if old_pods_running(sim, ctx, sets.new.as_deref()) {
        sync_rollout_status(sim, ctx, sets.new.as_deref());
        return;
    }
    let sets = if sets.new.is_none() {
        match all_replica_sets_and_sync_revision(sim, ctx, true) {
            Ok(s) => s,
            Err(_) => return,
        }
    } else {
        sets
    };
    if let Some(new_name) = &sets.new {
        let r = ctx.d.replicas();
        scale_and_record(sim, ctx, new_name, r);
    }
    if deployment_complete(&ctx.d, &ctx.d.status) {
        cleanup(sim, ctx, &sets.old);
    }
    sync_rollout_status(sim, ctx, sets.new.as_deref());
}

/// `oldPodsRunning`: any old ReplicaSet still counts pods, or any pod of an old ReplicaSet
/// exists that has not finished — Terminating pods included.
fn old_pods_running(sim: &Sim, ctx: &Ctx, new_name: Option<&str>) -> bool {
    let old: Vec<&crate::api::apps::ReplicaSet> = ctx
        .rss
        .iter()
        .filter(|rs| Some(rs.metadata.name.as_str()) != new_name)
        .collect();
    if old.iter().map(|rs| rs.status.replicas).sum::<i64>() > 0 {
        return true;
    }
    let ns = ctx.ns();
    let selector = ctx.d.selector();
    old.iter().any(|rs| {
        sim.store.pods_owned_by(&ns, rs.metadata.uid()).any(|p| {
            selector.matches(&p.metadata.labels)
                && p.status.phase != "Succeeded"
                && p.status.phase != "Failed"
        })
    })
}
