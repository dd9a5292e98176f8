//! The controllers, each named after the Kubernetes component it models.

pub mod cluster_dns;
pub mod deployment;
pub mod disruption;
pub mod endpoints;
pub mod endpointslice;
pub mod garbage_collector;
pub mod kubelet;
pub mod kubernetes_service;
pub mod node_lifecycle;
pub mod replicaset;
pub mod scheduler;
