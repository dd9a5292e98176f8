//! Upstream `rolling.go`: grow the new ReplicaSet within maxSurge, or shrink old ones within
//! maxUnavailable — never both in one sync (k8s-semantics.md §1.2–§1.4).

use super::progress::sync_rollout_status;
use super::sync::{all_replica_sets_and_sync_revision, cleanup, scale_and_record};
use super::util::*;
use super::Ctx;
use crate::api::apps::ReplicaSet;
use crate::sim::Sim;

pub fn rollout_rolling(sim: &mut Sim, ctx: &mut Ctx) {
    let Ok(sets) = all_replica_sets_and_sync_revision(sim, ctx, true) else {
        return;
    };
    let Some(new_name) = sets.new.clone() else {
        return;
    };
    if reconcile_new_replica_set(sim, ctx, &new_name) {
        sync_rollout_status(sim, ctx, Some(&new_name));
        return;
    }
    if reconcile_old_replica_sets(sim, ctx, &sets.old, &new_name) {
        sync_rollout_status(sim, ctx, Some(&new_name));
        return;
    }
    if deployment_complete(&ctx.d, &ctx.d.status) {
        cleanup(sim, ctx, &sets.old);
    }
    sync_rollout_status(sim, ctx, Some(&new_name));
}

/// `reconcileNewReplicaSet`: scale the new ReplicaSet toward `replicas` within the surge.
fn reconcile_new_replica_set(sim: &mut Sim, ctx: &mut Ctx, new_name: &str) -> bool {
    let r = ctx.d.replicas();
    let Some(spec) = ctx.rs(new_name).map(|rs| rs.spec.replicas) else {
        return false;
    };
    if spec == r {
        return false;
    }
    if spec > r {
        return scale_and_record(sim, ctx, new_name, r);
    }
    let all: Vec<&ReplicaSet> = ctx.rss.iter().collect();
    let target = new_rs_new_replicas(&ctx.d, &all, spec);
    scale_and_record(sim, ctx, new_name, target)
}

/// `reconcileOldReplicaSets` (§1.4): the scale-down budget `maxScaledDown`, spent first on
/// unavailable replicas (phase 1), then on available ones above `minAvailable` (phase 2).
fn reconcile_old_replica_sets(
    sim: &mut Sim,
    ctx: &mut Ctx,
    old: &[String],
    new_name: &str,
) -> bool {
    let old_pods: i64 = old
        .iter()
        .filter_map(|n| ctx.rs(n))
        .map(|rs| rs.spec.replicas)
        .sum();
    if old_pods == 0 {
        return false;
    }
    let all_pods: i64 = ctx.rss.iter().map(|rs| rs.spec.replicas).sum();
    let min_available = ctx.d.replicas() - max_unavailable(&ctx.d);
    let new_rs_unavailable = ctx
        .rs(new_name)
        .map_or(0, |rs| rs.spec.replicas - rs.status.available_replicas);
    let max_scaled_down = all_pods - min_available - new_rs_unavailable;
    if max_scaled_down <= 0 {
        return false;
    }
    let active_old: Vec<String> = sorted_active(ctx, old);
    let Some(cleaned) = cleanup_unhealthy_replicas(sim, ctx, &active_old, max_scaled_down) else {
        return false;
    };
    let scaled = scale_down_old_for_rolling_update(sim, ctx, &active_old, new_name);
    cleaned + scaled > 0
}

/// Active old ReplicaSets, oldest first.
fn sorted_active(ctx: &Ctx, old: &[String]) -> Vec<String> {
    let mut rss: Vec<&ReplicaSet> = old
        .iter()
        .filter_map(|n| ctx.rs(n))
        .filter(|rs| rs.spec.replicas > 0)
        .collect();
    sort_by_creation(&mut rss);
    rss.into_iter().map(|rs| rs.metadata.name.clone()).collect()
}

/// `cleanupUnhealthyReplicas`: remove only the unavailable part of each old ReplicaSet,
/// oldest first, within `max_cleanup`. `None` when a ReplicaSet reports more available
/// replicas than it wants (upstream aborts the scale-down for this sync).
fn cleanup_unhealthy_replicas(
    sim: &mut Sim,
    ctx: &mut Ctx,
    old: &[String],
    max_cleanup: i64,
) -> Option<i64> {
    let mut total = 0;
    for name in old {
        if total >= max_cleanup {
            break;
        }
        let (spec, avail) = ctx
            .rs(name)
            .map(|rs| (rs.spec.replicas, rs.status.available_replicas))?;
        if spec == 0 || spec == avail {
            continue;
        }
        let count = (max_cleanup - total).min(spec - avail);
        if count < 0 {
            return None;
        }
        scale_and_record(sim, ctx, name, spec - count);
        total += count;
    }
    Some(total)
}

/// `scaleDownOldReplicaSetsForRollingUpdate`: available replicas above `minAvailable` may go,
/// oldest ReplicaSet first, each drained before the next is touched.
fn scale_down_old_for_rolling_update(
    sim: &mut Sim,
    ctx: &mut Ctx,
    old: &[String],
    _new_name: &str,
) -> i64 {
    let min_available = ctx.d.replicas() - max_unavailable(&ctx.d);
    let available: i64 = ctx.rss.iter().map(|rs| rs.status.available_replicas).sum();
    if available <= min_available {
        return 0;
    }
    let budget = available - min_available;
    let mut total = 0;
    for name in old {
        if total >= budget {
            break;
        }
        let Some(spec) = ctx.rs(name).map(|rs| rs.spec.replicas) else {
            continue;
        };
        if spec == 0 {
            continue;
        }
        let count = spec.min(budget - total);
        scale_and_record(sim, ctx, name, spec - count);
        total += count;
    }
    total
}
