//! Upstream `sync.go`: finding or creating the new ReplicaSet and keeping revisions in step
//! (§4.1), proportional scaling (§3), history cleanup (§4.5) and the status calculation (§7.1).

use super::util::{self, *};
use super::Ctx;
use crate::api::apps::{
    DeploymentStatus, ReplicaSet, ReplicaSetSpec, ANNOTATIONS_TO_SKIP, DESIRED_REPLICAS,
    MAX_REPLICAS, POD_TEMPLATE_HASH, REVISION, REVISION_HISTORY,
};
use crate::api::hash::compute_hash;
use crate::api::meta::{LabelSelector, ObjectMeta};
use crate::apiserver::{self, CreateError};
use crate::sim::Sim;

/// Upstream caps the revision-history annotation at this many characters.
const MAX_REV_HISTORY_CHARS: usize = 2000;

/// The result of `getAllReplicaSetsAndSyncRevision`: the new ReplicaSet's name (if any) and
/// the old ones'.
/// The sync stopped early (hash collision or a failed create); the next reconcile retries it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Requeue;

pub struct Sets {
    pub new: Option<String>,
    pub old: Vec<String>,
}

pub fn all_replica_sets_and_sync_revision(
    sim: &mut Sim,
    ctx: &mut Ctx,
    create: bool,
) -> Result<Sets, Requeue> {
    let refs: Vec<&ReplicaSet> = ctx.rss.iter().collect();
    let existing = find_new_replica_set(&ctx.d, &refs).map(|rs| rs.metadata.name.clone());
    let old: Vec<String> = ctx
        .rss
        .iter()
        .map(|r| r.metadata.name.clone())
        .filter(|n| Some(n) != existing.as_ref())
        .collect();
    let new = get_new_replica_set(sim, ctx, existing, &old, create)?;
    Ok(Sets { new, old })
}

fn get_new_replica_set(
    sim: &mut Sim,
    ctx: &mut Ctx,
    existing: Option<String>,
    old: &[String],
    create: bool,
) -> Result<Option<String>, Requeue> {
    let old_refs: Vec<&ReplicaSet> = old.iter().filter_map(|n| ctx.rs(n)).collect();
    let new_revision = max_revision(&old_refs) + 1;
    let now = sim.api_now();

    if let Some(name) = existing {
        let Some(mut rs) = ctx.rs(&name).cloned() else {
            return Ok(None);
        };
        let annotations_updated = set_new_replica_set_annotations(ctx, &mut rs, new_revision, true);
        let min_ready_changed = rs.spec.min_ready_seconds != ctx.d.min_ready_seconds();
        if annotations_updated || min_ready_changed {
            rs.spec.min_ready_seconds = ctx.d.min_ready_seconds();
            write_rs(sim, ctx, rs);
            return Ok(Some(name));
        }
        let rev = rs.metadata.annotation(REVISION).unwrap_or("").to_string();
        let mut needs_update = set_deployment_revision(ctx, &rev);
        if has_progress_deadline(&ctx.d) && ctx.d.condition(PROGRESSING).is_none() {
            let msg = format!("Found new replica set {:?}", rs.metadata.name);
            set_condition(
                &mut ctx.d.status,
                new_condition(PROGRESSING, "True", FOUND_NEW_RS, msg, now),
            );
            needs_update = true;
        }
        if needs_update {
            apiserver::update_deployment_status(sim, &ctx.d);
        }
        return Ok(Some(name));
    }
    if !create {
        return Ok(None);
    }

    // The new ReplicaSet: the template plus the hash label, named after the hash.
    let mut template = ctx.d.spec.template.clone();
    let hash = compute_hash(&template, ctx.d.status.collision_count);
    template
        .metadata
        .labels
        .insert(POD_TEMPLATE_HASH.into(), hash.clone());
    let mut selector: LabelSelector = ctx.d.selector();
    selector
        .match_labels
        .insert(POD_TEMPLATE_HASH.into(), hash.clone());
    let mut rs = ReplicaSet {
        api_version: "apps/v1".into(),
        kind: "ReplicaSet".into(),
        metadata: ObjectMeta {
            name: format!("{}-{}", ctx.d.metadata.name, hash),
            namespace: Some(ctx.ns()),
            owner_references: vec![super::controller_ref(&ctx.d)],
            labels: template.metadata.labels.clone(),
            ..Default::default()
        },
        spec: ReplicaSetSpec {
            replicas: 0,
            min_ready_seconds: ctx.d.min_ready_seconds(),
            selector,
            template,
        },
        status: Default::default(),
    };
    let mut all: Vec<&ReplicaSet> = old_refs.clone();
    all.push(&rs);
    let new_replicas = new_rs_new_replicas(&ctx.d, &all, 0);
    rs.spec.replicas = new_replicas;
    set_new_replica_set_annotations(ctx, &mut rs, new_revision, false);

    let mut already_exists = false;
    let created = match apiserver::create_replicaset(sim, rs) {
        Ok(created) => created,
        Err(CreateError::AlreadyExists(found)) => {
            let found = *found;
            let ours = found
                .metadata
                .controller_ref()
                .is_some_and(|o| o.uid == ctx.d.metadata.uid());
            if ours && equal_ignore_hash(&ctx.d.spec.template, &found.spec.template) {
                already_exists = true;
                found
            } else {
                // A hash collision: bump collisionCount so the next sync hashes differently.
                *ctx.d.status.collision_count.get_or_insert(0) += 1;
                apiserver::update_deployment_status(sim, &ctx.d);
                sim.wake_at(sim.now);
                return Err(Requeue);
            }
        }
        Err(CreateError::Invalid(err)) => {
            let msg = format!(
                "Failed to create new replica set \"{}-{}\": {}",
                ctx.d.metadata.name, hash, err
            );
            if has_progress_deadline(&ctx.d) {
                set_condition(
                    &mut ctx.d.status,
                    new_condition(PROGRESSING, "False", FAILED_RS_CREATE, msg.clone(), now),
                );
                apiserver::update_deployment_status(sim, &ctx.d);
            }
            sim.record_event(
                ctx.obj(),
                "Warning",
                FAILED_RS_CREATE,
                msg,
                "deployment-controller",
                None,
            );
            return Err(Requeue);
        }
    };
    let name = created.metadata.name.clone();
    if !already_exists && new_replicas > 0 {
        let msg = format!("Scaled up replica set {} from 0 to {}", name, new_replicas);
        sim.record_event(
            ctx.obj(),
            "Normal",
            "ScalingReplicaSet",
            msg,
            "deployment-controller",
            None,
        );
    }
    if ctx.rs(&name).is_none() {
        ctx.rss.push(created);
    }
    let mut needs_update = set_deployment_revision(ctx, &new_revision.to_string());
    if !already_exists && has_progress_deadline(&ctx.d) {
        let msg = format!("Created new replica set {:?}", name);
        set_condition(
            &mut ctx.d.status,
            new_condition(PROGRESSING, "True", NEW_RS_CREATED, msg, now),
        );
        needs_update = true;
    }
    if needs_update {
        apiserver::update_deployment_status(sim, &ctx.d);
    }
    Ok(Some(name))
}

/// `SetNewReplicaSetAnnotations`: copy the Deployment's annotations, raise the revision (keeping
/// the old number in revision-history when an existing ReplicaSet is reused, §4.1), and on
/// creation stamp desired/max replicas.
fn set_new_replica_set_annotations(
    ctx: &Ctx,
    rs: &mut ReplicaSet,
    new_revision: i64,
    exists: bool,
) -> bool {
    let mut changed = false;
    for (k, v) in &ctx.d.metadata.annotations {
        if ANNOTATIONS_TO_SKIP.contains(&k.as_str()) {
            continue;
        }
        if rs.metadata.annotations.get(k) != Some(v) {
            rs.metadata.annotations.insert(k.clone(), v.clone());
            changed = true;
        }
    }
    let old_rev_str = rs.metadata.annotations.get(REVISION).cloned();
    let old_rev = match old_rev_str.as_deref() {
        None | Some("") => 0,
        Some(s) => match s.parse::<i64>() {
            Ok(v) => v,
            Err(_) => return false,
        },
    };
    if old_rev < new_revision {
        rs.metadata
            .annotations
            .insert(REVISION.into(), new_revision.to_string());
        changed = true;
        if let Some(old) = old_rev_str.filter(|s| !s.is_empty()) {
            append_revision_history(rs, &old);
        }
    }
    if !exists
        && set_replicas_annotations(rs, ctx.d.replicas(), ctx.d.replicas() + max_surge(&ctx.d))
    {
        changed = true;
    }
    changed
}

fn append_revision_history(rs: &mut ReplicaSet, old: &str) {
    let history = rs
        .metadata
        .annotations
        .get(REVISION_HISTORY)
        .cloned()
        .unwrap_or_default();
    if history.is_empty() {
        rs.metadata
            .annotations
            .insert(REVISION_HISTORY.into(), old.to_string());
        return;
    }
    let mut parts: Vec<&str> = history.split(',').collect();
    let mut total = history.len() + old.len() + 1;
    let mut start = 0;
    while total > MAX_REV_HISTORY_CHARS && start < parts.len() {
        total -= parts[start].len() + 1;
        start += 1;
    }
    if total <= MAX_REV_HISTORY_CHARS {
        parts = parts.split_off(start);
        parts.push(old);
        rs.metadata
            .annotations
            .insert(REVISION_HISTORY.into(), parts.join(","));
    }
}

fn set_replicas_annotations(rs: &mut ReplicaSet, desired: i64, max: i64) -> bool {
    let mut changed = false;
    for (k, v) in [(DESIRED_REPLICAS, desired), (MAX_REPLICAS, max)] {
        let v = v.to_string();
        if rs.metadata.annotations.get(k) != Some(&v) {
            rs.metadata.annotations.insert(k.into(), v);
            changed = true;
        }
    }
    changed
}

fn set_deployment_revision(ctx: &mut Ctx, revision: &str) -> bool {
    if ctx.d.metadata.annotation(REVISION) == Some(revision) {
        return false;
    }
    ctx.d
        .metadata
        .annotations
        .insert(REVISION.into(), revision.to_string());
    true
}

/// Writes a ReplicaSet and keeps the controller's copy in step.
pub fn write_rs(sim: &mut Sim, ctx: &mut Ctx, rs: ReplicaSet) {
    let written = apiserver::update_replicaset(sim, rs);
    if let Some(slot) = ctx.rs_mut(&written.metadata.name) {
        *slot = written;
    }
}

/// `scaleReplicaSetAndRecordEvent`: scale if the size differs; returns whether it scaled.
pub fn scale_and_record(sim: &mut Sim, ctx: &mut Ctx, name: &str, new_scale: i64) -> bool {
    let Some(current) = ctx.rs(name).map(|r| r.spec.replicas) else {
        return false;
    };
    if current == new_scale {
        return false;
    }
    let op = if current < new_scale { "up" } else { "down" };
    scale_replica_set(sim, ctx, name, new_scale, op)
}

/// `scaleReplicaSet`: writes the size and the desired/max annotations; emits
/// `ScalingReplicaSet` when the size changed.
pub fn scale_replica_set(
    sim: &mut Sim,
    ctx: &mut Ctx,
    name: &str,
    new_scale: i64,
    op: &str,
) -> bool {
    let Some(mut rs) = ctx.rs(name).cloned() else {
        return false;
    };
    let desired = ctx.d.replicas();
    let max = desired + max_surge(&ctx.d);
    let size_changed = rs.spec.replicas != new_scale;
    let annotations_stale = rs.metadata.annotation(DESIRED_REPLICAS)
        != Some(desired.to_string().as_str())
        || rs.metadata.annotation(MAX_REPLICAS) != Some(max.to_string().as_str());
    if !size_changed && !annotations_stale {
        return false;
    }
    let old = rs.spec.replicas;
    rs.spec.replicas = new_scale;
    set_replicas_annotations(&mut rs, desired, max);
    write_rs(sim, ctx, rs);
    if size_changed {
        let msg = format!("Scaled {op} replica set {name} from {old} to {new_scale}");
        sim.record_event(
            ctx.obj(),
            "Normal",
            "ScalingReplicaSet",
            msg,
            "deployment-controller",
            None,
        );
    }
    size_changed
}

/// `isScalingEvent`: an active ReplicaSet annotated for a different replica count (§3.1).
pub fn is_scaling_event(sim: &mut Sim, ctx: &mut Ctx) -> bool {
    let Ok(sets) = all_replica_sets_and_sync_revision(sim, ctx, false) else {
        return false;
    };
    let r = ctx.d.replicas().to_string();
    sets.old.iter().chain(sets.new.iter()).filter_map(|n| ctx.rs(n)).filter(|rs| rs.spec.replicas > 0).any(|rs| {
        matches!(rs.metadata.annotation(DESIRED_REPLICAS), Some(v) if v.parse::<i64>().is_ok() && v != r)
    })
}

/// `sync`: scaling only (paused Deployments and scaling events).
pub fn sync(sim: &mut Sim, ctx: &mut Ctx) {
    let Ok(sets) = all_replica_sets_and_sync_revision(sim, ctx, false) else {
        return;
    };
    scale(sim, ctx, &sets);
    if ctx.d.is_paused() {
        cleanup(sim, ctx, &sets.old);
    }
    sync_deployment_status(sim, ctx, sets.new.as_deref());
}

/// `scale` (§3.2).
fn scale(sim: &mut Sim, ctx: &mut Ctx, sets: &Sets) {
    let r = ctx.d.replicas();
    let new_rs = sets.new.as_deref().and_then(|n| ctx.rs(n));
    let olds: Vec<&ReplicaSet> = sets.old.iter().filter_map(|n| ctx.rs(n)).collect();
    if let Some(target) = find_active_or_latest(new_rs, &olds).map(|rs| rs.metadata.name.clone()) {
        if ctx.rs(&target).is_some_and(|rs| rs.spec.replicas != r) {
            scale_and_record(sim, ctx, &target, r);
        }
        return;
    }
    if is_saturated(&ctx.d, new_rs) {
        let active: Vec<String> = olds
            .iter()
            .filter(|rs| rs.spec.replicas > 0)
            .map(|rs| rs.metadata.name.clone())
            .collect();
        for name in active {
            scale_and_record(sim, ctx, &name, 0);
        }
        return;
    }
    if ctx.d.is_recreate() {
        return;
    }
    let mut active: Vec<&ReplicaSet> = olds
        .iter()
        .copied()
        .chain(new_rs)
        .filter(|rs| rs.spec.replicas > 0)
        .collect();
    let current: i64 = active.iter().map(|rs| rs.spec.replicas).sum();
    let allowed = if r > 0 { r + max_surge(&ctx.d) } else { 0 };
    let to_add = allowed - current;
    let op = match to_add.cmp(&0) {
        std::cmp::Ordering::Greater => {
            sort_by_size_newer(&mut active);
            "up"
        }
        std::cmp::Ordering::Less => {
            sort_by_size_older(&mut active);
            "down"
        }
        std::cmp::Ordering::Equal => "",
    };
    let mut added = 0;
    let mut sizes: Vec<(String, i64)> = Vec::new();
    for rs in &active {
        let proportion = if to_add != 0 {
            util::replica_set_proportion(rs, &ctx.d, to_add, added)
        } else {
            0
        };
        sizes.push((rs.metadata.name.clone(), rs.spec.replicas + proportion));
        added += proportion;
    }
    // Leftovers go to the first (largest) ReplicaSet, never below zero.
    if let Some(first) = sizes.first_mut() {
        if to_add != 0 {
            first.1 = (first.1 + to_add - added).max(0);
        }
    }
    for (name, size) in sizes {
        scale_replica_set(sim, ctx, &name, size, op);
    }
}

/// `cleanupDeployment` (§4.5): delete the lowest-revision drained old ReplicaSets beyond
/// `revisionHistoryLimit`.
pub fn cleanup(sim: &mut Sim, ctx: &mut Ctx, old: &[String]) {
    let Some(limit) = ctx
        .d
        .spec
        .revision_history_limit
        .filter(|l| *l != i32::MAX as i64)
    else {
        return;
    };
    let mut candidates: Vec<&ReplicaSet> = old
        .iter()
        .filter_map(|n| ctx.rs(n))
        .filter(|rs| !rs.metadata.is_terminating())
        .collect();
    let diff = candidates.len() as i64 - limit;
    if diff <= 0 {
        return;
    }
    sort_by_revision(&mut candidates);
    let doomed: Vec<String> = candidates
        .iter()
        .take(diff as usize)
        .filter(|rs| {
            rs.status.replicas == 0
                && rs.spec.replicas == 0
                && rs.metadata.generation.unwrap_or(0) <= rs.status.observed_generation.unwrap_or(0)
        })
        .map(|rs| rs.metadata.name.clone())
        .collect();
    let ns = ctx.ns();
    for name in doomed {
        apiserver::delete_replicaset(sim, &ns, &name, crate::apiserver::Propagation::Background);
        ctx.rss.retain(|r| r.metadata.name != name);
    }
}

/// `calculateStatus` (§7.1).
pub fn calculate_status(ctx: &Ctx, new_name: Option<&str>) -> DeploymentStatus {
    let d = &ctx.d;
    let available: i64 = ctx.rss.iter().map(|r| r.status.available_replicas).sum();
    let total_spec: i64 = ctx.rss.iter().map(|r| r.spec.replicas).sum();
    let terminating: i64 = ctx
        .rss
        .iter()
        .filter_map(|r| r.status.terminating_replicas)
        .sum();
    let mut status = DeploymentStatus {
        observed_generation: d.metadata.generation,
        replicas: ctx.rss.iter().map(|r| r.status.replicas).sum(),
        updated_replicas: new_name
            .and_then(|n| ctx.rs(n))
            .map_or(0, |r| r.status.replicas),
        ready_replicas: ctx.rss.iter().map(|r| r.status.ready_replicas).sum(),
        available_replicas: available,
        unavailable_replicas: (total_spec - available).max(0),
        terminating_replicas: Some(terminating),
        conditions: d.status.conditions.clone(),
        collision_count: d.status.collision_count,
    };
    let now = ctx.now;
    if available >= d.replicas() - max_unavailable(d) {
        let c = new_condition(
            AVAILABLE,
            "True",
            "MinimumReplicasAvailable",
            "Deployment has minimum availability.".into(),
            now,
        );
        set_condition(&mut status, c);
    } else {
        let c = new_condition(
            AVAILABLE,
            "False",
            "MinimumReplicasUnavailable",
            "Deployment does not have minimum availability.".into(),
            now,
        );
        set_condition(&mut status, c);
    }
    status
}

/// `syncDeploymentStatus`: a plain status update, no Progressing evaluation.
pub fn sync_deployment_status(sim: &mut Sim, ctx: &mut Ctx, new_name: Option<&str>) {
    let status = calculate_status(ctx, new_name);
    if status != ctx.d.status {
        ctx.d.status = status;
        apiserver::update_deployment_status(sim, &ctx.d);
    }
}
