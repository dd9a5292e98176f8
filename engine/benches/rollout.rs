//! Prints how fast a 1,000-replica rolling update with default settings simulates to
//! completion (a figure for the README, not a pass/fail test).

use kubesim::cluster::{ClusterConfig, NodeConfig};
use kubesim::{Command, Sim, Time};
use std::time::Instant;

fn main() {
    let config = ClusterConfig {
        nodes: (1..=10)
            .map(|i| NodeConfig::sized(&format!("node-{i}"), 250, 64_000, 256 << 30))
            .collect(),
        ..ClusterConfig::default()
    };
    let mut sim = Sim::new(config, 1);
    let start = Instant::now();
    let out = sim.execute(&Command::Kubectl(
        "kubectl create deployment web --image=nginx:1.27 --replicas=1000".into(),
    ));
    assert!(out.success(), "{}", out.text());
    sim.advance_to(Time(120_000));
    let created = start.elapsed();
    let t0 = Instant::now();
    let out = sim.execute(&Command::Kubectl(
        "kubectl set image deployment/web nginx=nginx:1.28".into(),
    ));
    assert!(out.success(), "{}", out.text());
    let mut until = sim.now;
    loop {
        until = until.plus_ms(60_000);
        sim.advance_to(until);
        let d = sim.store.deployments.values().next().expect("deployment");
        if d.status.updated_replicas == 1000
            && d.status.available_replicas == 1000
            && d.status.replicas == 1000
        {
            break;
        }
        assert!(
            until.0 < 3_600_000,
            "rollout did not finish within an hour of simulated time"
        );
    }
    let rolled = t0.elapsed();
    println!(
        "create 1000 replicas and start them: {:.1} ms",
        created.as_secs_f64() * 1000.0
    );
    println!(
        "rolling update of 1000 replicas (25%/25%): {:.1} ms wall clock for {:.0} s of simulated time, {} events",
        rolled.as_secs_f64() * 1000.0,
        (until.0 - 120_000) as f64 / 1000.0,
        sim.journal.len()
    );
}
