//! Cluster settings: the nodes, their size, and the timings of the simulated kubelet and
//! node lifecycle controller. A scenario's `cluster:` block fills this in.

use crate::registry::Registry;

pub const KUBERNETES_VERSION: &str = "v1.35.0";

#[derive(Debug, Clone, PartialEq)]
pub struct NodeConfig {
    pub name: String,
    pub pods: i64,
    /// Allocatable CPU in millicores.
    pub cpu_milli: i64,
    /// Allocatable memory in bytes.
    pub memory_bytes: i64,
    pub labels: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ClusterConfig {
    pub nodes: Vec<NodeConfig>,
    /// Default image pull duration for images that do not declare their own.
    pub image_pull_seconds: f64,
    /// Container create + start (the Created → Started gap).
    pub container_start_seconds: f64,
    /// Between scheduling and the kubelet creating the pod sandbox (the `Pending` phase).
    pub sandbox_seconds: f64,
    /// A failed pull that cannot resolve the reference fails after this long.
    pub pull_failure_seconds: f64,
    /// `--node-monitor-grace-period` of kube-controller-manager.
    pub node_monitor_grace_period_seconds: i64,
    /// `--node-monitor-period`.
    pub node_monitor_period_seconds: i64,
    /// `--default-not-ready-toleration-seconds` / `--default-unreachable-toleration-seconds`.
    pub not_ready_toleration_seconds: i64,
    pub registry: Registry,
}

impl Default for ClusterConfig {
    fn default() -> Self {
        ClusterConfig {
            nodes: (1..=3)
                .map(|i| NodeConfig::sized(&format!("node-{i}"), 110, 4000, 8 * 1024 * 1024 * 1024))
                .collect(),
            image_pull_seconds: 2.5,
            container_start_seconds: 1.0,
            sandbox_seconds: 1.0,
            pull_failure_seconds: 1.0,
            node_monitor_grace_period_seconds: 50,
            node_monitor_period_seconds: 5,
            not_ready_toleration_seconds: 300,
            registry: Registry::builtin(),
        }
    }
}

impl NodeConfig {
    pub fn sized(name: &str, pods: i64, cpu_milli: i64, memory_bytes: i64) -> NodeConfig {
        NodeConfig {
            name: name.to_string(),
            pods,
            cpu_milli,
            memory_bytes,
            labels: Vec::new(),
        }
    }
}
