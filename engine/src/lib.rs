//! kubesim's engine: a deterministic simulation of the Kubernetes Deployment and ReplicaSet
//! controllers, the scheduler, the kubelet and the node lifecycle controller, with the kubectl
//! commands users drive it with. No web dependencies, no wall-clock time, no global RNG.

pub mod api;
pub mod apiserver;
pub mod cluster;
pub mod command;
pub mod controllers;
pub mod kubectl;
pub mod registry;
pub mod rng;
pub mod scenario;
pub mod session;
pub mod share;
pub mod sim;
pub mod store;
pub mod time;
pub mod trace;
pub mod view;

pub use command::{Command, Output};
pub use sim::Sim;
pub use time::Time;
