//! Upstream `progress.go` and the paused-condition check: the Progressing condition, the
//! progress deadline and its re-check timer, and ReplicaFailure (k8s-semantics.md §6.1, §7.2).

use super::sync::calculate_status;
use super::util::*;
use super::Ctx;
use crate::api::apps::DeploymentCondition;
use crate::apiserver;
use crate::sim::Sim;
use crate::time::SECOND;

/// `checkPausedConditions`: Progressing Unknown/DeploymentPaused while paused, then
/// Unknown/DeploymentResumed — whose fresh timestamp restarts the deadline.
pub fn check_paused_conditions(sim: &mut Sim, ctx: &mut Ctx) {
    if !has_progress_deadline(&ctx.d) {
        return;
    }
    let cond = ctx.d.condition(PROGRESSING);
    if cond.is_some_and(|c| c.reason == TIMED_OUT) {
        return;
    }
    let paused_exists = cond.is_some_and(|c| c.reason == PAUSED);
    let now = ctx.now;
    let c = if ctx.d.is_paused() && !paused_exists {
        new_condition(
            PROGRESSING,
            "Unknown",
            PAUSED,
            "Deployment is paused".into(),
            now,
        )
    } else if !ctx.d.is_paused() && paused_exists {
        new_condition(
            PROGRESSING,
            "Unknown",
            RESUMED,
            "Deployment is resumed".into(),
            now,
        )
    } else {
        return;
    };
    set_condition(&mut ctx.d.status, c);
    apiserver::update_deployment_status(sim, &ctx.d);
}

/// `syncRolloutStatus`: status plus Progressing and ReplicaFailure, and the re-queue that
/// notices a missed deadline.
pub fn sync_rollout_status(sim: &mut Sim, ctx: &mut Ctx, new_name: Option<&str>) {
    let mut status = calculate_status(ctx, new_name);
    let d = &ctx.d;
    let now = ctx.now;
    if !has_progress_deadline(d) {
        remove_condition(&mut status, PROGRESSING);
    }
    let current = d.condition(PROGRESSING).cloned();
    let complete_rollout = status.replicas == status.updated_replicas
        && current
            .as_ref()
            .is_some_and(|c| c.reason == NEW_RS_AVAILABLE);
    if has_progress_deadline(d) && !complete_rollout {
        let subject = match new_name {
            Some(n) => format!("ReplicaSet {n:?}"),
            None => format!("Deployment {:?}", d.metadata.name),
        };
        if deployment_complete(d, &status) {
            let msg = format!("{subject} has successfully progressed.");
            set_condition(
                &mut status,
                new_condition(PROGRESSING, "True", NEW_RS_AVAILABLE, msg, now),
            );
        } else if deployment_progressing(&d.status, &status) {
            let msg = format!("{subject} is progressing.");
            let mut c = new_condition(PROGRESSING, "True", RS_UPDATED, msg, now);
            // Progress refreshes lastUpdateTime even when the reason is unchanged.
            if let Some(cur) = &current {
                if cur.status == "True" {
                    c.last_transition_time = cur.last_transition_time;
                }
                remove_condition(&mut status, PROGRESSING);
            }
            set_condition(&mut status, c);
        } else if deployment_timed_out(d, &status, sim.now) {
            let msg = format!("{subject} has timed out progressing.");
            set_condition(
                &mut status,
                new_condition(PROGRESSING, "False", TIMED_OUT, msg, now),
            );
        }
    }
    match replica_failure(ctx, new_name) {
        Some(c) => set_condition(&mut status, c),
        None => remove_condition(&mut status, REPLICA_FAILURE),
    }
    if status == ctx.d.status {
        requeue_stuck_deployment(sim, ctx);
        return;
    }
    ctx.d.status = status;
    apiserver::update_deployment_status(sim, &ctx.d);
}

/// `getReplicaFailures`: the new ReplicaSet's failure, else the first old one's.
fn replica_failure(ctx: &Ctx, new_name: Option<&str>) -> Option<DeploymentCondition> {
    let from_rs = |rs: &crate::api::apps::ReplicaSet| {
        rs.status
            .conditions
            .iter()
            .find(|c| c.type_ == "ReplicaFailure")
            .map(|c| DeploymentCondition {
                type_: REPLICA_FAILURE.into(),
                status: c.status.clone(),
                last_update_time: c.last_transition_time,
                last_transition_time: c.last_transition_time,
                reason: c.reason.clone(),
                message: c.message.clone(),
            })
    };
    if let Some(c) = new_name.and_then(|n| ctx.rs(n)).and_then(from_rs) {
        return Some(c);
    }
    ctx.rss.iter().find_map(from_rs)
}

/// `requeueStuckDeployment`: check again one second after the deadline would pass.
fn requeue_stuck_deployment(sim: &mut Sim, ctx: &Ctx) {
    let d = &ctx.d;
    let Some(cur) = d.condition(PROGRESSING) else {
        return;
    };
    if !has_progress_deadline(d) || deployment_complete(d, &d.status) || cur.reason == TIMED_OUT {
        return;
    }
    // After a completed rollout `DeploymentTimedOut` never fires (reason
    // NewReplicaSetAvailable), so upstream's rate-limited requeues of a Deployment whose
    // pods later fail change nothing; a state change syncs it anyway. Skipping them keeps a
    // crash-looping Deployment from waking the simulation every few milliseconds.
    if cur.reason == NEW_RS_AVAILABLE {
        return;
    }
    let deadline = cur
        .last_update_time
        .plus_secs(d.spec.progress_deadline_seconds.unwrap_or(600));
    let after = deadline.0 as i64 - sim.now.0 as i64;
    if after < SECOND as i64 {
        // Upstream re-queues at once (rate limited); the deadline passes just after it.
        sim.wake_at(deadline.plus_ms(1).max(sim.now.plus_ms(5)));
    } else {
        sim.wake_at(deadline.plus_ms(SECOND));
    }
}
