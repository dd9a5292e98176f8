//! Commands that keep printing as the cluster changes (`kubectl get -w`, `kubectl rollout
//! status`). The caller polls after every step of simulated time.

use crate::command::Output;
use crate::sim::Sim;

#[derive(Debug, Clone, PartialEq)]
pub enum Watch {
    Get(super::get::GetWatch),
    RolloutStatus(super::rollout::StatusWatch),
}

impl Watch {
    /// What the command printed since the last poll (empty when nothing changed).
    pub fn poll(&mut self, sim: &Sim) -> Output {
        match self {
            Watch::Get(w) => w.poll(sim),
            Watch::RolloutStatus(w) => w.poll(sim),
        }
    }

    /// The command has exited (a rollout finished or failed); `get -w` never ends by itself.
    pub fn finished(&self) -> bool {
        match self {
            Watch::Get(_) => false,
            Watch::RolloutStatus(w) => w.finished(),
        }
    }
}
