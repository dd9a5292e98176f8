//! Pure helpers of the Deployment controller (upstream `deployment/util/deployment_util.go`):
//! the surge/unavailable arithmetic, which ReplicaSet is new, proportions, completeness.

use crate::api::apps::{
    revision_of, Deployment, DeploymentCondition, DeploymentStatus, ReplicaSet, MAX_REPLICAS,
    POD_TEMPLATE_HASH,
};
use crate::api::core::PodTemplateSpec;
use crate::api::meta::IntOrString;
use crate::time::Time;

/// `ResolveFenceposts`: surge rounds up, unavailable rounds down, and if both come out 0,
/// unavailable becomes 1 (k8s-semantics.md §1.1).
pub fn resolve_fenceposts(
    max_surge: &IntOrString,
    max_unavailable: &IntOrString,
    desired: i64,
) -> (i64, i64) {
    let surge = max_surge.scaled(desired, true).unwrap_or(0);
    let mut unavailable = max_unavailable.scaled(desired, false).unwrap_or(0);
    if surge == 0 && unavailable == 0 {
        unavailable = 1;
    }
    (surge, unavailable)
}

/// `MaxUnavailable`: 0 for Recreate or zero replicas, clamped to the replica count.
pub fn max_unavailable(d: &Deployment) -> i64 {
    let r = d.replicas();
    if d.is_recreate() || r == 0 {
        return 0;
    }
    let (s, u) = d.rolling_params();
    resolve_fenceposts(&s, &u, r).1.min(r)
}

/// `MaxSurge`: 0 for Recreate, not clamped.
pub fn max_surge(d: &Deployment) -> i64 {
    if d.is_recreate() {
        return 0;
    }
    let (s, u) = d.rolling_params();
    resolve_fenceposts(&s, &u, d.replicas()).0
}

/// `NewRSNewReplicas` (§1.3): how far the new ReplicaSet may grow now.
pub fn new_rs_new_replicas(d: &Deployment, all: &[&ReplicaSet], new_rs_spec: i64) -> i64 {
    let r = d.replicas();
    if d.is_recreate() {
        return r;
    }
    let current: i64 = all.iter().map(|rs| rs.spec.replicas).sum();
    let max_total = r + max_surge(d);
    if current >= max_total {
        return new_rs_spec;
    }
    let scale_up = (max_total - current).min(r - new_rs_spec);
    new_rs_spec + scale_up
}

/// Templates equal when the `pod-template-hash` label is ignored (`EqualIgnoreHash`).
pub fn equal_ignore_hash(a: &PodTemplateSpec, b: &PodTemplateSpec) -> bool {
    let strip = |t: &PodTemplateSpec| {
        let mut t = t.clone();
        t.metadata.labels.remove(POD_TEMPLATE_HASH);
        t
    };
    strip(a) == strip(b)
}

/// `ReplicaSetsByCreationTimestamp`: oldest first, ties by name.
pub fn sort_by_creation(rss: &mut [&ReplicaSet]) {
    crate::order::sort_by(rss, |a, b| {
        a.metadata
            .created()
            .cmp(&b.metadata.created())
            .then_with(|| a.metadata.name.cmp(&b.metadata.name))
    });
}

fn creation_less(a: &ReplicaSet, b: &ReplicaSet) -> std::cmp::Ordering {
    a.metadata
        .created()
        .cmp(&b.metadata.created())
        .then_with(|| a.metadata.name.cmp(&b.metadata.name))
}

/// `ReplicaSetsBySizeNewer`: larger first; ties newer first.
pub fn sort_by_size_newer(rss: &mut [&ReplicaSet]) {
    crate::order::sort_by(rss, |a, b| {
        b.spec
            .replicas
            .cmp(&a.spec.replicas)
            .then_with(|| creation_less(b, a))
    });
}

/// `ReplicaSetsBySizeOlder`: larger first; ties older first.
pub fn sort_by_size_older(rss: &mut [&ReplicaSet]) {
    crate::order::sort_by(rss, |a, b| {
        b.spec
            .replicas
            .cmp(&a.spec.replicas)
            .then_with(|| creation_less(a, b))
    });
}

/// `ReplicaSetsByRevision`: lowest revision first; ties by creation time, then name.
pub fn sort_by_revision(rss: &mut [&ReplicaSet]) {
    crate::order::sort_by(rss, |a, b| {
        revision_of(&a.metadata)
            .cmp(&revision_of(&b.metadata))
            .then_with(|| creation_less(a, b))
    });
}

/// `FindNewReplicaSet`: the oldest ReplicaSet whose template equals the Deployment's.
pub fn find_new_replica_set<'a>(d: &Deployment, rss: &[&'a ReplicaSet]) -> Option<&'a ReplicaSet> {
    let mut sorted: Vec<&ReplicaSet> = rss.to_vec();
    sort_by_creation(&mut sorted);
    sorted
        .into_iter()
        .find(|rs| equal_ignore_hash(&rs.spec.template, &d.spec.template))
}

/// `MaxRevision`.
pub fn max_revision(rss: &[&ReplicaSet]) -> i64 {
    rss.iter()
        .map(|rs| revision_of(&rs.metadata))
        .max()
        .unwrap_or(0)
}

/// `FindActiveOrLatest`: the single active ReplicaSet, or the newest one if none is active.
pub fn find_active_or_latest<'a>(
    new_rs: Option<&'a ReplicaSet>,
    old: &[&'a ReplicaSet],
) -> Option<&'a ReplicaSet> {
    if new_rs.is_none() && old.is_empty() {
        return None;
    }
    let mut olds: Vec<&ReplicaSet> = old.to_vec();
    sort_by_creation(&mut olds);
    olds.reverse();
    let mut all = olds.clone();
    all.extend(new_rs);
    let active: Vec<&ReplicaSet> = all.into_iter().filter(|rs| rs.spec.replicas > 0).collect();
    match active.len() {
        0 => new_rs.or_else(|| olds.first().copied()),
        1 => Some(active[0]),
        _ => None,
    }
}

/// `IsSaturated`: the new ReplicaSet has all replicas, annotated for this size, all available.
pub fn is_saturated(d: &Deployment, rs: Option<&ReplicaSet>) -> bool {
    let Some(rs) = rs else { return false };
    let Some(desired) = rs
        .metadata
        .annotation(crate::api::apps::DESIRED_REPLICAS)
        .and_then(|v| v.parse::<i64>().ok())
    else {
        return false;
    };
    let r = d.replicas();
    rs.spec.replicas == r && desired == r && rs.status.available_replicas == r
}

/// `GetReplicaSetProportion` with `getReplicaSetFraction` (§3.2).
pub fn replica_set_proportion(rs: &ReplicaSet, d: &Deployment, to_add: i64, added: i64) -> i64 {
    if rs.spec.replicas == 0 || to_add == 0 || to_add == added {
        return 0;
    }
    let fraction = replica_set_fraction(rs, d);
    let allowed = to_add - added;
    if to_add > 0 {
        fraction.min(allowed)
    } else {
        fraction.max(allowed)
    }
}

fn replica_set_fraction(rs: &ReplicaSet, d: &Deployment) -> i64 {
    let r = d.replicas();
    if r == 0 {
        return -rs.spec.replicas;
    }
    let max_replicas = r + max_surge(d);
    let mut before = rs
        .metadata
        .annotation(MAX_REPLICAS)
        .and_then(|v| v.parse::<i64>().ok())
        .unwrap_or(0);
    if before == 0 {
        before = d.status.replicas;
        if before == 0 {
            return 0;
        }
    }
    // `getReplicaSetFraction`'s order: the integer product spec × max, then one float
    // division, rounded half away from zero (17 × 42 / 28 = 25.5 rounds to 26, where
    // 17 / 28 × 42 would give 25.499… and 25).
    // In i128: a surge of an 18-digit percentage must not overflow the product.
    let size = (i128::from(rs.spec.replicas) * i128::from(max_replicas)) as f64 / before as f64;
    size.round() as i64 - rs.spec.replicas
}

/// `DeploymentComplete`.
pub fn deployment_complete(d: &Deployment, status: &DeploymentStatus) -> bool {
    let r = d.replicas();
    status.updated_replicas == r
        && status.replicas == r
        && status.available_replicas == r
        && status.observed_generation.unwrap_or(0) >= d.metadata.generation.unwrap_or(0)
}

/// `DeploymentProgressing`: any count moved the right way since the previous status.
pub fn deployment_progressing(old: &DeploymentStatus, new: &DeploymentStatus) -> bool {
    let old_old = old.replicas - old.updated_replicas;
    let new_old = new.replicas - new.updated_replicas;
    new.updated_replicas > old.updated_replicas
        || new_old < old_old
        || new.ready_replicas > old.ready_replicas
        || new.available_replicas > old.available_replicas
}

pub fn has_progress_deadline(d: &Deployment) -> bool {
    d.spec
        .progress_deadline_seconds
        .is_some_and(|s| s != i32::MAX as i64)
}

/// `DeploymentTimedOut`: no progress for `progressDeadlineSeconds` (§7.2).
pub fn deployment_timed_out(d: &Deployment, status: &DeploymentStatus, now: Time) -> bool {
    if !has_progress_deadline(d) {
        return false;
    }
    let Some(c) = status.conditions.iter().find(|c| c.type_ == PROGRESSING) else {
        return false;
    };
    match c.reason.as_str() {
        NEW_RS_AVAILABLE => false,
        TIMED_OUT => true,
        _ => {
            let deadline = c
                .last_update_time
                .plus_secs(d.spec.progress_deadline_seconds.unwrap_or(600));
            deadline < now
        }
    }
}

pub const AVAILABLE: &str = "Available";
pub const PROGRESSING: &str = "Progressing";
pub const REPLICA_FAILURE: &str = "ReplicaFailure";
pub const NEW_RS_CREATED: &str = "NewReplicaSetCreated";
pub const FOUND_NEW_RS: &str = "FoundNewReplicaSet";
pub const RS_UPDATED: &str = "ReplicaSetUpdated";
pub const NEW_RS_AVAILABLE: &str = "NewReplicaSetAvailable";
pub const TIMED_OUT: &str = "ProgressDeadlineExceeded";
pub const PAUSED: &str = "DeploymentPaused";
pub const RESUMED: &str = "DeploymentResumed";
pub const FAILED_RS_CREATE: &str = "ReplicaSetCreateError";

pub fn new_condition(
    type_: &str,
    status: &str,
    reason: &str,
    message: String,
    now: Time,
) -> DeploymentCondition {
    DeploymentCondition {
        type_: type_.into(),
        status: status.into(),
        last_update_time: now,
        last_transition_time: now,
        reason: reason.into(),
        message,
    }
}

/// `SetDeploymentCondition`: same status and reason → unchanged; same status → keep the
/// transition time; the condition moves to the end of the list.
pub fn set_condition(status: &mut DeploymentStatus, mut c: DeploymentCondition) {
    if let Some(cur) = status.conditions.iter().find(|x| x.type_ == c.type_) {
        if cur.status == c.status && cur.reason == c.reason {
            return;
        }
        if cur.status == c.status {
            c.last_transition_time = cur.last_transition_time;
        }
    }
    status.conditions.retain(|x| x.type_ != c.type_);
    status.conditions.push(c);
}

pub fn remove_condition(status: &mut DeploymentStatus, type_: &str) {
    status.conditions.retain(|x| x.type_ != type_);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::apps::{DeploymentStrategy, RollingUpdateDeployment};

    fn pct(s: &str) -> IntOrString {
        IntOrString::Str(s.into())
    }

    fn deployment(r: i64, surge: IntOrString, unavail: IntOrString) -> Deployment {
        let mut d = Deployment::default();
        d.spec.replicas = Some(r);
        d.spec.strategy = Some(DeploymentStrategy {
            type_: Some("RollingUpdate".into()),
            rolling_update: Some(RollingUpdateDeployment {
                max_surge: Some(surge),
                max_unavailable: Some(unavail),
            }),
        });
        d
    }

    #[test]
    fn surge_rounds_up_unavailable_rounds_down() {
        // k8s-semantics.md §1.1 table for the 25%/25% defaults.
        for (r, s, u) in [
            (1, 1, 0),
            (2, 1, 0),
            (3, 1, 0),
            (4, 1, 1),
            (5, 2, 1),
            (10, 3, 2),
            (20, 5, 5),
        ] {
            assert_eq!(
                resolve_fenceposts(&pct("25%"), &pct("25%"), r),
                (s, u),
                "R = {r}"
            );
        }
    }

    #[test]
    fn both_limits_zero_after_rounding_forces_one_unavailable() {
        assert_eq!(
            resolve_fenceposts(&IntOrString::Int(0), &pct("25%"), 3),
            (0, 1)
        );
        assert_eq!(
            resolve_fenceposts(&IntOrString::Int(0), &IntOrString::Int(0), 5),
            (0, 1)
        );
        assert_eq!(resolve_fenceposts(&pct("0%"), &pct("10%"), 9), (0, 1));
    }

    #[test]
    fn hundred_percent_and_zero_replicas() {
        assert_eq!(resolve_fenceposts(&pct("100%"), &pct("0%"), 4), (4, 0));
        assert_eq!(resolve_fenceposts(&pct("25%"), &pct("25%"), 0), (0, 1));
        let d = deployment(0, pct("25%"), pct("25%"));
        assert_eq!(
            max_unavailable(&d),
            0,
            "zero replicas allow no unavailability"
        );
        let d = deployment(2, IntOrString::Int(0), IntOrString::Int(5));
        assert_eq!(max_unavailable(&d), 2, "clamped to replicas");
        let d = deployment(2, IntOrString::Int(7), IntOrString::Int(0));
        assert_eq!(max_surge(&d), 7, "surge is not clamped");
    }

    #[test]
    fn new_rs_growth_respects_surge_and_replicas() {
        let d = deployment(10, pct("25%"), pct("25%"));
        let mut old = ReplicaSet::default();
        old.spec.replicas = 10;
        let new = ReplicaSet::default();
        // Trace (a) sync 1: 13 − 10 = 3.
        assert_eq!(new_rs_new_replicas(&d, &[&old, &new], 0), 3);
        old.spec.replicas = 8;
        let mut new3 = ReplicaSet::default();
        new3.spec.replicas = 3;
        assert_eq!(new_rs_new_replicas(&d, &[&old, &new3], 3), 5);
        old.spec.replicas = 10;
        assert_eq!(
            new_rs_new_replicas(&d, &[&old, &new3], 3),
            3,
            "at maxTotal it cannot grow"
        );
    }

    #[test]
    fn proportions_match_the_documented_example() {
        // §3.3: R 10 → 15, maxSurge 3, old 8 / new 5, max-replicas 13 → 11 / 7.
        let d = deployment(15, IntOrString::Int(3), IntOrString::Int(2));
        let mut old = ReplicaSet::default();
        old.spec.replicas = 8;
        old.metadata
            .annotations
            .insert(MAX_REPLICAS.into(), "13".into());
        let mut new = ReplicaSet::default();
        new.spec.replicas = 5;
        new.metadata
            .annotations
            .insert(MAX_REPLICAS.into(), "13".into());
        let p_old = replica_set_proportion(&old, &d, 5, 0);
        assert_eq!(p_old, 3);
        assert_eq!(replica_set_proportion(&new, &d, 5, p_old), 2);
        // Scale-down to 5 with the defaults: old −4, new −2.
        let d = deployment(5, pct("25%"), pct("25%"));
        let p_old = replica_set_proportion(&old, &d, -6, 0);
        assert_eq!(p_old, -4);
        assert_eq!(replica_set_proportion(&new, &d, -6, p_old), -2);
    }

    #[test]
    fn a_fraction_of_exactly_one_half_rounds_away_from_zero() {
        // 22 → 33 replicas (maxSurge 25 % of 33 = 9, so 42 at most) with old 17 / new 11 of
        // max-replicas 28: 17 × 42 / 28 = 25.5 → 26 (+9), then 11 × 42 / 28 = 16.5 → 17,
        // capped by the 14 − 9 = 5 left to add.
        let d = deployment(33, pct("25%"), pct("25%"));
        let rs = |replicas: i64| {
            let mut rs = ReplicaSet::default();
            rs.spec.replicas = replicas;
            rs.metadata
                .annotations
                .insert(MAX_REPLICAS.into(), "28".into());
            rs
        };
        let p_old = replica_set_proportion(&rs(17), &d, 14, 0);
        assert_eq!(p_old, 9);
        assert_eq!(replica_set_proportion(&rs(11), &d, 14, p_old), 5);
    }

    #[test]
    fn conditions_keep_transition_time_when_status_is_unchanged() {
        let mut st = DeploymentStatus::default();
        set_condition(
            &mut st,
            new_condition(PROGRESSING, "True", NEW_RS_CREATED, "a".into(), Time(1000)),
        );
        set_condition(
            &mut st,
            new_condition(
                AVAILABLE,
                "True",
                "MinimumReplicasAvailable",
                "b".into(),
                Time(1000),
            ),
        );
        set_condition(
            &mut st,
            new_condition(PROGRESSING, "True", RS_UPDATED, "c".into(), Time(5000)),
        );
        let p = st.conditions.last().unwrap();
        assert_eq!(
            (p.type_.as_str(), p.last_transition_time, p.last_update_time),
            (PROGRESSING, Time(1000), Time(5000))
        );
        set_condition(
            &mut st,
            new_condition(PROGRESSING, "True", RS_UPDATED, "d".into(), Time(9000)),
        );
        assert_eq!(
            st.conditions.last().unwrap().message,
            "c",
            "same status and reason: unchanged"
        );
    }
}
