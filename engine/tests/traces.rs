//! The six worked rollout traces of k8s-semantics.md §12, step by step: ReplicaSet sizes
//! at each instant, the controller's events, and the Deployment's status and conditions.
//! Every pod becomes available exactly D after creation (§12.0).

mod common;

use common::*;
use kubesim::Time;

const D: u64 = 10_000;

/// Creates the Deployment, lets it settle, then changes its image at T0 = 100 s.
fn start(replicas: i64, strategy: &str) -> (kubesim::Sim, usize, Time) {
    let mut sim = uniform_cluster(D as f64 / 1000.0);
    apply(
        &mut sim,
        &deployment_yaml("web", replicas, strategy, "nginx:1.27"),
    );
    sim.advance_to(Time(100_000));
    let d = sim.store.deployments.values().next().unwrap();
    assert_eq!(
        d.status.available_replicas, replicas,
        "settled before the rollout"
    );
    let from = sim.journal.len();
    let t0 = sim.now;
    kubectl(&mut sim, "kubectl set image deployment/web web=nginx:1.28");
    (sim, from, t0)
}

#[test]
fn trace_a_defaults_with_ten_replicas() {
    let (mut sim, from, t0) = start(10, &rolling("25%", "25%"));
    sim.advance_to(t0.plus_ms(3 * D));
    assert_eq!(
        rs_steps(&sim, from, t0),
        vec![
            (0, map(&[(1, 8), (2, 3)])),
            (0, map(&[(1, 8), (2, 5)])),
            (D, map(&[(1, 3), (2, 5)])),
            (D, map(&[(1, 3), (2, 10)])),
            (2 * D, map(&[(1, 0), (2, 10)])),
        ]
    );
    let (a, b) = (rs_name(&sim, 1), rs_name(&sim, 2));
    assert_eq!(
        deployment_events(&sim, from),
        vec![
            format!("Scaled up replica set {b} from 0 to 3"),
            format!("Scaled down replica set {a} from 10 to 8"),
            format!("Scaled up replica set {b} from 3 to 5"),
            format!("Scaled down replica set {a} from 8 to 3"),
            format!("Scaled up replica set {b} from 5 to 10"),
            format!("Scaled down replica set {a} from 3 to 0"),
        ]
    );
    let d = sim.store.deployments.values().next().unwrap();
    let c = d.condition("Progressing").unwrap();
    assert_eq!(
        (c.status.as_str(), c.reason.as_str()),
        ("True", "NewReplicaSetAvailable")
    );
    assert_eq!(
        c.message,
        format!("ReplicaSet {b:?} has successfully progressed.")
    );
    assert_eq!(
        kubectl(&mut sim, "kubectl rollout status deployment/web"),
        "deployment \"web\" successfully rolled out\n"
    );
}

#[test]
fn trace_a_status_after_each_step() {
    // §12.a second table: status and rollout-status line after each settled step.
    let (mut sim, _, t0) = start(10, &rolling("25%", "25%"));
    let status = |sim: &mut kubesim::Sim| {
        let d = sim.store.deployments.values().next().unwrap().clone();
        let line = kubesim::kubectl::rollout::status_line(&d).unwrap().0;
        (
            d.status.replicas,
            d.status.updated_replicas,
            d.status.available_replicas,
            d.status.unavailable_replicas,
            line,
        )
    };
    let w = |s: &str| format!("Waiting for deployment \"web\" rollout to finish: {s}");
    assert_eq!(
        status(&mut sim),
        (
            13,
            5,
            8,
            5,
            w("5 out of 10 new replicas have been updated...")
        )
    );
    sim.advance_to(t0.plus_ms(D));
    assert_eq!(
        status(&mut sim),
        (13, 10, 8, 5, w("3 old replicas are pending termination..."))
    );
    sim.advance_to(t0.plus_ms(2 * D));
    assert_eq!(
        status(&mut sim),
        (
            10,
            10,
            10,
            0,
            "deployment \"web\" successfully rolled out".into()
        )
    );
}

#[test]
fn trace_b_surge_one_unavailable_zero() {
    let (mut sim, from, t0) = start(3, &rolling("1", "0"));
    sim.advance_to(t0.plus_ms(4 * D));
    assert_eq!(
        rs_steps(&sim, from, t0),
        vec![
            (0, map(&[(1, 3), (2, 1)])),
            (D, map(&[(1, 2), (2, 1)])),
            (D, map(&[(1, 2), (2, 2)])),
            (2 * D, map(&[(1, 1), (2, 2)])),
            (2 * D, map(&[(1, 1), (2, 3)])),
            (3 * D, map(&[(1, 0), (2, 3)])),
        ]
    );
    let d = sim.store.deployments.values().next().unwrap();
    assert_eq!(d.condition("Available").unwrap().status, "True");
}

#[test]
fn trace_c_surge_zero_unavailable_one() {
    let (mut sim, from, t0) = start(3, &rolling("0", "1"));
    sim.advance_to(t0.plus_ms(4 * D));
    assert_eq!(
        rs_steps(&sim, from, t0),
        vec![
            (0, map(&[(1, 2), (2, 0)])),
            (0, map(&[(1, 2), (2, 1)])),
            (D, map(&[(1, 1), (2, 1)])),
            (D, map(&[(1, 1), (2, 2)])),
            (2 * D, map(&[(1, 0), (2, 2)])),
            (2 * D, map(&[(1, 0), (2, 3)])),
        ]
    );
    let (a, b) = (rs_name(&sim, 1), rs_name(&sim, 2));
    // The new ReplicaSet is created at 0 replicas silently; its first event is 0 → 1.
    assert_eq!(
        deployment_events(&sim, from)[..2],
        [
            format!("Scaled down replica set {a} from 3 to 2"),
            format!("Scaled up replica set {b} from 0 to 1"),
        ]
    );
}

#[test]
fn trace_d_half_at_a_time() {
    let (mut sim, from, t0) = start(4, &rolling("50%", "50%"));
    sim.advance_to(t0.plus_ms(2 * D));
    assert_eq!(
        rs_steps(&sim, from, t0),
        vec![
            (0, map(&[(1, 2), (2, 2)])),
            (0, map(&[(1, 2), (2, 4)])),
            (D, map(&[(1, 0), (2, 4)])),
        ]
    );
}

#[test]
fn trace_e_scaling_mid_rollout_is_proportional() {
    let (mut sim, from, t0) = start(10, &rolling("25%", "25%"));
    kubectl(&mut sim, "kubectl scale deployment web --replicas=20");
    let (a, b) = (rs_name(&sim, 1), rs_name(&sim, 2));
    let d = sim.store.deployments.values().next().unwrap();
    assert_eq!(
        d.condition("Available").unwrap().reason,
        "MinimumReplicasUnavailable"
    );
    for name in [&a, &b] {
        let rs = sim
            .store
            .replicasets
            .values()
            .find(|r| &r.metadata.name == name)
            .unwrap();
        assert_eq!(
            rs.metadata
                .annotation("deployment.kubernetes.io/desired-replicas"),
            Some("20")
        );
        assert_eq!(
            rs.metadata
                .annotation("deployment.kubernetes.io/max-replicas"),
            Some("25")
        );
    }
    sim.advance_to(t0.plus_ms(3 * D));
    assert_eq!(
        rs_steps(&sim, from, t0),
        vec![
            (0, map(&[(1, 8), (2, 3)])),
            (0, map(&[(1, 8), (2, 5)])),
            (0, map(&[(1, 15), (2, 10)])),
            (D, map(&[(1, 5), (2, 10)])),
            (D, map(&[(1, 5), (2, 20)])),
            (2 * D, map(&[(1, 0), (2, 20)])),
        ]
    );
    let events = deployment_events(&sim, from);
    assert_eq!(
        events[3..5],
        [
            format!("Scaled up replica set {a} from 8 to 15"),
            format!("Scaled up replica set {b} from 5 to 10"),
        ]
    );
}

#[test]
fn trace_e_variant_scale_at_half_d_kills_old_newcomers() {
    let (mut sim, from, t0) = start(10, &rolling("25%", "25%"));
    sim.advance_to(t0.plus_ms(D / 2));
    kubectl(&mut sim, "kubectl scale deployment web --replicas=20");
    sim.advance_to(t0.plus_ms(3 * D));
    assert_eq!(
        rs_steps(&sim, from, t0),
        vec![
            (0, map(&[(1, 8), (2, 3)])),
            (0, map(&[(1, 8), (2, 5)])),
            (D / 2, map(&[(1, 15), (2, 10)])),
            (D, map(&[(1, 10), (2, 10)])),
            (D, map(&[(1, 10), (2, 15)])),
            (3 * D / 2, map(&[(1, 5), (2, 15)])),
            (3 * D / 2, map(&[(1, 5), (2, 20)])),
            (2 * D, map(&[(1, 0), (2, 20)])),
        ]
    );
    let d = sim.store.deployments.values().next().unwrap();
    assert_eq!(d.status.available_replicas, 20);
}

#[test]
fn trace_f_broken_image_stalls_then_times_out_and_undo_recovers() {
    let mut sim = uniform_cluster(D as f64 / 1000.0);
    apply(
        &mut sim,
        &deployment_yaml("web", 5, &rolling("25%", "25%"), "nginx:1.27"),
    );
    sim.advance_to(Time(100_000));
    let from = sim.journal.len();
    let t0 = sim.now;
    kubectl(&mut sim, "kubectl set image deployment/web web=nginx:1.2x");
    sim.advance_to(t0.plus_ms(600_000));
    assert_eq!(
        rs_steps(&sim, from, t0),
        vec![(0, map(&[(1, 4), (2, 2)])), (0, map(&[(1, 4), (2, 3)]))]
    );
    let d = sim.store.deployments.values().next().unwrap().clone();
    assert_eq!(
        (
            d.status.replicas,
            d.status.updated_replicas,
            d.status.ready_replicas,
            d.status.available_replicas,
            d.status.unavailable_replicas
        ),
        (7, 3, 4, 4, 3)
    );
    assert_eq!(d.condition("Available").unwrap().status, "True");
    assert_eq!(
        d.condition("Progressing").unwrap().reason,
        "ReplicaSetUpdated"
    );
    // The deadline counts from the last progress (t0); it is noticed one second after it.
    sim.advance_to(t0.plus_ms(601_000 - 1));
    assert_eq!(
        sim.store
            .deployments
            .values()
            .next()
            .unwrap()
            .condition("Progressing")
            .unwrap()
            .reason,
        "ReplicaSetUpdated"
    );
    sim.advance_to(t0.plus_ms(601_000));
    let d = sim.store.deployments.values().next().unwrap().clone();
    let c = d.condition("Progressing").unwrap();
    assert_eq!(
        (c.status.as_str(), c.reason.as_str()),
        ("False", "ProgressDeadlineExceeded")
    );
    assert_eq!(
        c.message,
        format!(
            "ReplicaSet {:?} has timed out progressing.",
            rs_name(&sim, 2)
        )
    );
    let out = sim.execute(&kubesim::Command::Kubectl(
        "kubectl rollout status deployment/web".into(),
    ));
    assert_eq!(
        (out.exit_code, out.stderr.as_str()),
        (
            1,
            "error: deployment \"web\" exceeded its progress deadline\n"
        )
    );
    // Nothing else happens: the broken pods stay.
    assert_eq!(rs_steps(&sim, from, t0).len(), 2);

    let before_undo = sim.journal.len();
    let t = sim.now;
    assert_eq!(
        kubectl(&mut sim, "kubectl rollout undo deployment/web"),
        "deployment.apps/web rolled back\n"
    );
    let a = rs_name(&sim, 3);
    let b = rs_name(&sim, 2);
    assert_eq!(
        deployment_events(&sim, before_undo),
        vec![
            format!("Scaled down replica set {b} from 3 to 0"),
            format!("Scaled up replica set {a} from 4 to 5"),
        ]
    );
    assert_eq!(
        rs_steps(&sim, before_undo, t),
        vec![(0, map(&[(2, 0), (3, 4)])), (0, map(&[(2, 0), (3, 5)]))]
    );
    let rs_a = sim
        .store
        .replicasets
        .values()
        .find(|r| r.metadata.name == a)
        .unwrap();
    assert_eq!(
        rs_a.metadata
            .annotation("deployment.kubernetes.io/revision-history"),
        Some("1")
    );
    sim.advance_to(t.plus_ms(D));
    let d = sim.store.deployments.values().next().unwrap();
    assert_eq!(
        d.condition("Progressing").unwrap().reason,
        "NewReplicaSetAvailable"
    );
    assert_eq!(d.status.available_replicas, 5);
    let history = kubectl(&mut sim, "kubectl rollout history deployment/web");
    assert_eq!(
        history,
        "deployment.apps/web \nREVISION  CHANGE-CAUSE\n2         <none>\n3         <none>\n\n"
    );
}
