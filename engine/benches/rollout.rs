//! Prints how fast the engine simulates heavy clusters (figures for the README, not pass/fail
//! tests): a 1,000-replica rolling update with default settings, 1,000 one-replica
//! Deployments, and 5,000 pods with readiness probes over ten simulated minutes (what opening
//! a shared link of such a cluster costs), and a crash-looping Deployment over six hours
//! (the longest session).

use kubesim::cluster::{ClusterConfig, NodeConfig};
use kubesim::{Command, Sim, Time};
use std::time::Instant;

fn main() {
    rolling_update();
    many_deployments();
    probed_pods();
    crash_loop();
}

fn rolling_update() {
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

/// A cluster of `n` nodes that hold up to 110 pods each (the kubelet's default).
fn cluster(n: usize) -> ClusterConfig {
    ClusterConfig {
        nodes: (1..=n)
            .map(|i| NodeConfig::sized(&format!("node-{i}"), 110, 64_000, 256 << 30))
            .collect(),
        ..ClusterConfig::default()
    }
}

fn many_deployments() {
    let mut sim = Sim::new(cluster(10), 1);
    let manifests: Vec<String> = (0..1000)
        .map(|i| {
            format!(
                "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d{i}\nspec:\n  replicas: 1\n  selector:\n    matchLabels: {{app: d{i}}}\n  template:\n    metadata:\n      labels: {{app: d{i}}}\n    spec:\n      containers:\n      - name: c\n        image: nginx:1.27\n"
            )
        })
        .collect();
    let start = Instant::now();
    let out = sim.execute(&Command::Apply {
        file: "many.yaml".into(),
        yaml: manifests.join("---\n"),
    });
    assert!(out.success(), "{}", out.text());
    sim.advance_to(Time(60_000));
    let ready: i64 = sim
        .store
        .deployments
        .values()
        .map(|d| d.status.ready_replicas)
        .sum();
    assert_eq!(ready, 1000, "every Deployment has its pod ready");
    println!(
        "apply 1000 one-replica Deployments and run 60 s: {:.1} ms",
        start.elapsed().as_secs_f64() * 1000.0
    );
}

fn probed_pods() {
    let mut sim = Sim::new(cluster(50), 1);
    let start = Instant::now();
    let out = sim.execute(&Command::Apply {
        file: "web.yaml".into(),
        yaml: "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 5000\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n      - name: c\n        image: nginx:1.27\n        readinessProbe:\n          httpGet: {path: /, port: 80}\n          periodSeconds: 10\n".into(),
    });
    assert!(out.success(), "{}", out.text());
    sim.advance_to(Time(600_000));
    let d = sim.store.deployments.values().next().expect("deployment");
    assert_eq!(d.status.ready_replicas, 5000, "every pod is ready");
    println!(
        "5000 pods with readiness probes over 600 s: {:.1} ms",
        start.elapsed().as_secs_f64() * 1000.0
    );
}

fn crash_loop() {
    let mut config = cluster(3);
    let image = kubesim::registry::ImageInfo {
        behaviour: kubesim::registry::Behaviour::Crash {
            after_seconds: 5.0,
            exit_code: 1,
        },
        ..kubesim::registry::ImageInfo::server(50, 0.5, 80)
    };
    config.registry.add("example/app", "1", image);
    let mut sim = Sim::new(config, 1);
    let start = Instant::now();
    let out = sim.execute(&Command::Kubectl(
        "kubectl create deployment web --image=example/app:1 --replicas=3".into(),
    ));
    assert!(out.success(), "{}", out.text());
    sim.advance_to(Time(6 * 3_600_000));
    let restarts: i64 = sim
        .store
        .pods
        .values()
        .map(|p| p.status.container_statuses[0].restart_count)
        .sum();
    assert!(
        restarts > 3 * 60,
        "the pods crash-loop all along ({restarts} restarts)"
    );
    println!(
        "3 crash-looping pods over 6 h: {:.1} ms",
        start.elapsed().as_secs_f64() * 1000.0
    );
}
