//! Shared set-up for the engine's scenario tests: clusters whose pods become available a
//! fixed time after creation, and readers of the simulation's journal.

#![allow(dead_code)]

use kubesim::cluster::ClusterConfig;
use kubesim::command::Output;
use kubesim::sim::Journal;
use kubesim::{Command, Sim, Time};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// A cluster where every pod is available exactly `d_secs` after it is created (no sandbox or
/// pull time, container start takes `d_secs`) — the model of k8s-semantics.md §12.0.
pub fn uniform_cluster(d_secs: f64) -> Sim {
    let c = ClusterConfig {
        sandbox_seconds: 0.0,
        image_pull_seconds: 0.0,
        container_start_seconds: d_secs,
        ..ClusterConfig::default()
    };
    Sim::new(c, 42)
}

pub fn deployment_yaml(name: &str, replicas: i64, strategy: &str, image: &str) -> String {
    format!(
        "apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
spec:
  replicas: {replicas}
  selector:
    matchLabels:
      app: {name}
  strategy:
{strategy}
  template:
    metadata:
      labels:
        app: {name}
    spec:
      containers:
      - name: {name}
        image: {image}
"
    )
}

pub fn rolling(surge: &str, unavailable: &str) -> String {
    format!("    type: RollingUpdate\n    rollingUpdate:\n      maxSurge: {surge}\n      maxUnavailable: {unavailable}")
}

pub fn apply(sim: &mut Sim, yaml: &str) {
    let out = sim.execute(&Command::Apply {
        file: "web.yaml".into(),
        yaml: yaml.into(),
    });
    assert!(out.success(), "apply failed: {}", out.text());
}

/// A kubectl line as the console runs it, without recording it as a command.
pub fn run(sim: &mut Sim, line: &str) -> Output {
    kubesim::kubectl::run(sim, line)
}

/// A kubectl line that must succeed, run as the console runs it: recorded, and the
/// controllers act on what it changed.
pub fn act(sim: &mut Sim, line: &str) -> Output {
    let out = sim.execute(&Command::Kubectl(line.into()));
    assert!(out.success(), "{line}: {}", out.text());
    out
}

/// What a line that must succeed without a message prints.
pub fn ok(sim: &mut Sim, line: &str) -> String {
    let out = run(sim, line);
    assert_eq!((out.exit_code, out.stderr.as_str()), (0, ""), "{line}");
    out.stdout
}

/// The message of a line that must fail with exit code 1.
pub fn err(sim: &mut Sim, line: &str) -> String {
    let out = run(sim, line);
    assert_eq!(out.exit_code, 1, "{line}: {}", out.text());
    out.stderr
}

pub fn kubectl(sim: &mut Sim, line: &str) -> String {
    let out = sim.execute(&Command::Kubectl(line.into()));
    assert!(out.success(), "{line} failed: {}", out.text());
    out.stdout
}

/// The revision → spec.replicas maps journaled after `from`, with times relative to it.
pub fn rs_steps(sim: &Sim, from_index: usize, t0: Time) -> Vec<(u64, BTreeMap<i64, i64>)> {
    sim.journal[from_index..]
        .iter()
        .filter_map(|j| match j {
            Journal::ReplicaSets { t, replicas, .. } => Some((t.0 - t0.0, replicas.clone())),
            _ => None,
        })
        .collect()
}

/// Deployment events (`ScalingReplicaSet` …) journaled after `from`, names shortened by `rename`.
pub fn deployment_events(sim: &Sim, from_index: usize) -> Vec<String> {
    sim.journal[from_index..]
        .iter()
        .filter_map(|j| match j {
            Journal::Event {
                object, message, ..
            } if object.starts_with("Deployment/") => Some(message.clone()),
            _ => None,
        })
        .collect()
}

pub fn map(pairs: &[(i64, i64)]) -> BTreeMap<i64, i64> {
    pairs.iter().copied().collect()
}

/// The name of the ReplicaSet with this revision.
pub fn rs_name(sim: &Sim, revision: i64) -> String {
    sim.store
        .replicasets
        .values()
        .find(|rs| rs.revision() == revision)
        .map(|rs| rs.metadata.name.clone())
        .unwrap_or_default()
}

/// Runs until `t` and returns the journal length before the run.
pub fn settle(sim: &mut Sim, t: Time) {
    sim.advance_to(t);
}

/// The repository's root (the engine is one folder down).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// (file stem, text) of every `.yaml` file in a folder of the repository, sorted by name.
pub fn yaml_files(dir: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = std::fs::read_dir(repo().join(dir))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .map(|p| {
            let stem = p.file_stem().unwrap().to_string_lossy().to_string();
            (stem, std::fs::read_to_string(&p).unwrap())
        })
        .collect();
    kubesim::order::sort(&mut out);
    out
}
