//! Lost nodes: the node lifecycle controller's NoExecute tainter, its rate and its
//! disruption modes (`node_lifecycle_controller.go`: `ComputeZoneState`,
//! `handleDisruption`, `--node-eviction-rate`).

use kubesim::cluster::{ClusterConfig, NodeConfig};
use kubesim::{Command, Sim, Time};

/// Four nodes, eight pods of `web`, two on each.
fn cluster() -> Sim {
    let config = ClusterConfig {
        nodes: (1..=4)
            .map(|i| NodeConfig::sized(&format!("node-{i}"), 110, 4000, 8 << 30))
            .collect(),
        ..ClusterConfig::default()
    };
    let mut sim = Sim::new(config, 1);
    let out = sim.execute(&Command::Kubectl(
        "kubectl create deployment web --image=nginx:1.27 --replicas=8".into(),
    ));
    assert!(out.success(), "{}", out.text());
    sim.advance_to(Time(20_000));
    sim
}

fn stop(sim: &mut Sim, node: &str) {
    let out = sim.execute(&Command::parse(&format!("kubesim node stop {node}")).unwrap());
    assert!(out.success(), "{}", out.text());
}

/// When each node got its `unreachable:NoExecute` taint (seconds), if it has one.
fn no_execute_since(sim: &Sim) -> Vec<(String, Option<u64>)> {
    sim.store
        .nodes
        .values()
        .map(|n| {
            let t = n
                .spec
                .taints
                .iter()
                .find(|t| t.effect == "NoExecute")
                .map(|t| t.time_added.unwrap_or_default().0 / 1000);
            (n.metadata.name.clone(), t)
        })
        .collect()
}

fn pods_on(sim: &Sim, node: &str) -> usize {
    sim.store
        .pods
        .values()
        .filter(|p| p.spec.node_name.as_deref() == Some(node) && !p.metadata.is_terminating())
        .count()
}

#[test]
fn silent_nodes_are_tainted_one_every_ten_seconds() {
    let mut sim = cluster();
    stop(&mut sim, "node-1");
    stop(&mut sim, "node-2");
    sim.advance_to(Time(120_000));
    // Both are found silent at 75 s (lease renewed at 20 s + 50 s grace, next 5 s pass); the
    // zone's token bucket of one hands out a taint every 10 s.
    let taints = no_execute_since(&sim);
    assert_eq!(taints[0], ("node-1".to_string(), Some(75)));
    assert_eq!(taints[1], ("node-2".to_string(), Some(85)));
    assert_eq!(taints[2].1, None);
    // Each node's pods go when their 300 s toleration of that taint runs out.
    sim.advance_to(Time(376_000));
    assert_eq!((pods_on(&sim, "node-1"), pods_on(&sim, "node-2")), (0, 2));
    sim.advance_to(Time(386_000));
    assert_eq!(pods_on(&sim, "node-2"), 0);
}

#[test]
fn a_partially_disrupted_small_zone_taints_no_more_nodes() {
    let mut sim = cluster();
    stop(&mut sim, "node-1");
    sim.advance_to(Time(50_000));
    stop(&mut sim, "node-2");
    stop(&mut sim, "node-3");
    sim.advance_to(Time(600_000));
    // node-1 went alone (1 of 4 not ready: normal). When node-2 and node-3 follow, 3 of 4
    // (≥ 55 %, more than 2) is a partial disruption: a zone of at most 50 nodes stops tainting.
    let taints = no_execute_since(&sim);
    assert_eq!(taints[0].1, Some(75));
    assert_eq!((taints[1].1, taints[2].1), (None, None));
    assert_eq!(pods_on(&sim, "node-1"), 0);
    assert_eq!((pods_on(&sim, "node-2"), pods_on(&sim, "node-3")), (2, 2));
}

#[test]
fn with_every_node_lost_nothing_is_evicted_until_one_returns() {
    let mut sim = cluster();
    stop(&mut sim, "node-1");
    sim.advance_to(Time(100_000));
    assert_eq!(no_execute_since(&sim)[0].1, Some(75));
    for n in ["node-2", "node-3", "node-4"] {
        stop(&mut sim, n);
    }
    sim.advance_to(Time(600_000));
    // Master disruption mode: node-1's taint is removed, its pods' evictions are cancelled,
    // and no node is tainted while none is ready.
    assert!(no_execute_since(&sim).iter().all(|(_, t)| t.is_none()));
    assert_eq!(sim.store.pods.len(), 8, "no pod was evicted or replaced");
    let cancelled = sim
        .store
        .events
        .iter()
        .filter(|e| {
            e.message
                .starts_with("Cancelling deletion of Pod default/web-")
        })
        .count();
    assert_eq!(cancelled, 2);
    // node-4 comes back at 600 s: the mode ends with drained limiters, so the first taint
    // waits one interval (10 s), then one every 10 s. 3 of 4 silent is a partial
    // disruption though, which in a zone this small taints nothing.
    let out = sim.execute(&Command::parse("kubesim node start node-4").unwrap());
    assert!(out.success(), "{}", out.text());
    sim.advance_to(Time(700_000));
    assert!(no_execute_since(&sim).iter().all(|(_, t)| t.is_none()));
    // node-3 too: 2 of 4 silent is normal again, and node-1 and node-2 are tainted 10 s apart.
    let out = sim.execute(&Command::parse("kubesim node start node-3").unwrap());
    assert!(out.success(), "{}", out.text());
    sim.advance_to(Time(800_000));
    let taints = no_execute_since(&sim);
    let (a, b) = (taints[0].1.unwrap(), taints[1].1.unwrap());
    assert_eq!(b - a, 10, "{taints:?}");
}

#[test]
fn the_view_says_why_lost_nodes_keep_their_pods() {
    let mut sim = cluster();
    stop(&mut sim, "node-1");
    sim.advance_to(Time(100_000));
    assert_eq!(
        kubesim::view::cluster(&sim).node_notice,
        None,
        "one lost node is evicted as usual"
    );
    stop(&mut sim, "node-2");
    stop(&mut sim, "node-3");
    sim.advance_to(Time(200_000));
    let partial = kubesim::view::cluster(&sim).node_notice.unwrap_or_default();
    assert!(partial.starts_with("Most nodes are NotReady"), "{partial}");
    assert!(
        partial.contains("the pods of 2 lost nodes stay where they are"),
        "{partial}"
    );
    stop(&mut sim, "node-4");
    sim.advance_to(Time(300_000));
    let full = kubesim::view::cluster(&sim).node_notice.unwrap_or_default();
    assert!(full.starts_with("Every node is NotReady"), "{full}");
}
