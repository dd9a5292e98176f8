//! Commands that keep printing as the cluster changes (`kubectl get -w`, `kubectl rollout
//! status`, `kubectl wait`, `kubectl logs -f`). The caller polls after every step of simulated time.

use crate::command::Output;
use crate::sim::Sim;
use crate::time::Time;

#[derive(Debug, Clone, PartialEq)]
pub enum Watch {
    Get(Box<super::get::GetWatch>),
    RolloutStatus(super::rollout::StatusWatch),
    Wait(Box<super::wait::WaitWatch>),
    Logs(Box<super::logs::LogsWatch>),
}

impl Watch {
    /// What the command printed since the last poll (empty when nothing changed).
    pub fn poll(&mut self, sim: &Sim) -> Output {
        match self {
            Watch::Get(w) => w.poll(sim),
            Watch::RolloutStatus(w) => w.poll(sim),
            Watch::Wait(w) => w.poll(sim),
            Watch::Logs(w) => w.poll(sim),
        }
    }

    /// When the command must be polled even if nothing changes: `rollout status --timeout`
    /// and `wait` give up at their deadline, not at the next change; `logs -f` prints a
    /// line when the container writes it.
    pub fn wake_at(&self) -> Option<Time> {
        match self {
            Watch::Get(_) => None,
            Watch::RolloutStatus(w) => w.wake_at(),
            Watch::Wait(w) => w.wake_at(),
            Watch::Logs(w) => w.wake_at(),
        }
    }

    /// Whether the watch reads every write, which the store then keeps for it.
    pub fn wants_writes(&self) -> bool {
        match self {
            Watch::Get(w) => w.wants_writes(),
            Watch::RolloutStatus(_) | Watch::Wait(_) | Watch::Logs(_) => false,
        }
    }

    /// The command has exited: a rollout finished or failed, a wait ended, or a `get -w`
    /// template failed (otherwise `get -w` never ends by itself).
    pub fn finished(&self) -> bool {
        match self {
            Watch::Get(w) => w.finished(),
            Watch::RolloutStatus(w) => w.finished(),
            Watch::Wait(w) => w.finished(),
            Watch::Logs(w) => w.finished(),
        }
    }
}

/// The next time the simulation must stop to poll `watches`: its next timer or the earliest
/// watch deadline, whichever comes first.
pub fn next_stop(sim: &Sim, watches: &[Watch]) -> Option<Time> {
    watches
        .iter()
        .filter_map(Watch::wake_at)
        .chain(sim.next_timer())
        .min()
}

/// Polls every watch: what each printed, the empty outputs left out, in order. The watches
/// that ended are dropped and the store forgets the writes they have all read.
pub fn poll_all(sim: &mut Sim, watches: &mut Vec<Watch>) -> Vec<Output> {
    if watches.is_empty() {
        return Vec::new();
    }
    let printed = watches
        .iter_mut()
        .map(|w| w.poll(sim))
        .filter(|o| !o.stdout.is_empty() || !o.stderr.is_empty())
        .collect();
    watches.retain(|w| !w.finished());
    keep_writes(sim, watches, true);
    printed
}

/// The store keeps writes while one of `watches` reads them; `read` empties the log once
/// every watch has had them (after a poll).
pub fn keep_writes(sim: &mut Sim, watches: &[Watch], read: bool) {
    let wanted = watches.iter().any(Watch::wants_writes);
    let mut log = sim.store.writes.take();
    if read {
        log.iter_mut().for_each(Vec::clear);
    }
    sim.store.writes = wanted.then(|| log.unwrap_or_default());
}
