//! kubesim's engine: a deterministic simulation of the Kubernetes Deployment and ReplicaSet
//! controllers, the scheduler, the kubelet, the node lifecycle controller and the endpoints
//! controllers, with simulated client traffic to Services and the kubectl commands users drive
//! it with. No web dependencies, no wall-clock time, no global RNG.

pub mod api;
pub mod apiserver;
pub mod cluster;
pub mod command;
pub mod controllers;
pub mod correlator;
pub mod goal;
pub mod kubectl;
pub mod lesson;
pub mod network;
pub mod order;
pub mod registry;
pub mod rng;
pub mod scenario;
pub mod session;
pub mod share;
pub mod shell;
pub mod sim;
pub mod store;
pub mod time;
pub mod trace;
pub mod traffic;
pub mod view;

pub use command::{Command, Output};
pub use sim::Sim;
pub use time::Time;
