//! Init containers (`spec.initContainers`): the kubelet runs them one after another, each to
//! completion, before it starts the app container (`computePodActions`). Each one is pulled,
//! created and started like the app container, with its own events
//! (`spec.initContainers{NAME}`); a shell image's script decides how long it runs and its
//! exit code. Exit 0 completes it (`Completed`, ready) and the next one starts; another
//! code restarts it with the crash-loop back-off (`Init:Error`, then
//! `Init:CrashLoopBackOff`), as the pods of a Deployment restart always. Until the last one
//! completes the pod is `Pending`, `Initialized` is false and the app container waits as
//! `PodInitializing`.

use super::{program, rt_mut, set_condition, waiting, write_status, PodRuntime};
use crate::api::core::{Container, ContainerState, ContainerStatus, Pod, StateRunning};
use crate::sim::Sim;
use crate::time::Time;
use std::collections::BTreeMap;

/// How far the pod's init containers have come.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Progress {
    /// Init containers in the spec.
    pub total: usize,
    /// Init containers that have completed.
    pub done: usize,
    /// The latest run of each init container that has run: its start and, once over, its end.
    pub runs: BTreeMap<usize, (Time, Option<Time>)>,
}

/// The container the kubelet works on: the next init container until every one has
/// completed, then the app container.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    Init(usize),
    App,
}

impl Slot {
    pub fn of(rt: &PodRuntime) -> Slot {
        if rt.init.done < rt.init.total {
            Slot::Init(rt.init.done)
        } else {
            Slot::App
        }
    }

    /// The slot of a pod the kubelet runs (the app container for one it does not).
    pub fn of_pod(sim: &Sim, p: &Pod) -> Slot {
        sim.kubelet
            .pods
            .get(p.metadata.uid())
            .map_or(Slot::App, Slot::of)
    }

    pub fn container(self, p: &Pod) -> Option<Container> {
        match self {
            Slot::App => p.spec.containers.first().cloned(),
            Slot::Init(i) => p.spec.init_containers().into_iter().nth(i),
        }
    }

    /// The container's name, without copying its spec (events name it on every write).
    pub fn name(self, p: &Pod) -> Option<String> {
        match self {
            Slot::App => p.spec.containers.first().map(|c| c.name.clone()),
            Slot::Init(_) => self.container(p).map(|c| c.name),
        }
    }

    pub fn status(self, p: &Pod) -> Option<&ContainerStatus> {
        match self {
            Slot::App => p.status.container_statuses.first(),
            Slot::Init(i) => p.status.init_container_statuses.get(i),
        }
    }

    pub fn status_mut(self, p: &mut Pod) -> Option<&mut ContainerStatus> {
        match self {
            Slot::App => p.status.container_statuses.first_mut(),
            Slot::Init(i) => p.status.init_container_statuses.get_mut(i),
        }
    }

    /// The container's `fieldPath` in the kubelet's events.
    pub fn field_path(self, name: &str) -> String {
        match self {
            Slot::App => format!("spec.containers{{{name}}}"),
            Slot::Init(_) => format!("spec.initContainers{{{name}}}"),
        }
    }
}

/// At admission: every container waits as `PodInitializing` (the kubelet's default waiting
/// state for a pod with init containers), and the pod is not initialized.
/// A pod admitted again (its node came back) runs its init containers again: each keeps
/// its restart count and last container, so the new run counts as a restart.
pub fn admit(sim: &Sim, p: &mut Pod, rt: &mut PodRuntime) {
    let inits = p.spec.init_containers();
    rt.init.total = inits.len();
    if inits.is_empty() {
        return;
    }
    let before = std::mem::take(&mut p.status.init_container_statuses);
    p.status.init_container_statuses = inits
        .iter()
        .map(|c| {
            let old = before.iter().find(|cs| cs.name == c.name);
            ContainerStatus {
                name: c.name.clone(),
                image: c.image().to_string(),
                state: waiting("PodInitializing", None),
                restart_count: old.map_or(0, |cs| cs.restart_count),
                container_id: old.map(|cs| cs.container_id.clone()).unwrap_or_default(),
                ..Default::default()
            }
        })
        .collect();
    for cs in &mut p.status.container_statuses {
        cs.state = waiting("PodInitializing", None);
    }
    // `getPhase`: Pending while an init container has not completed.
    p.status.phase = "Pending".into();
    not_initialized(sim, p, &inits);
}

fn not_initialized(sim: &Sim, p: &mut Pod, pending: &[Container]) {
    let names: Vec<&str> = pending.iter().map(|c| c.name.as_str()).collect();
    set_condition(
        sim,
        p,
        "Initialized",
        "False",
        Some("ContainersNotInitialized"),
        Some(format!(
            "containers with incomplete status: [{}]",
            names.join(" ")
        )),
    );
}

/// Init container `i` was created and started: it runs until its program exits.
pub fn started(sim: &mut Sim, mut p: Pod, i: usize, container_id: String) {
    let Some(c) = Slot::Init(i).container(&p) else {
        return;
    };
    let now = sim.now;
    let exits_after = program(sim, &c).exits_after(sim, &p, &c, now);
    let api_now = sim.api_now();
    if let Some(cs) = Slot::Init(i).status_mut(&mut p) {
        // A container ran before in this slot: this one is a restart.
        if !cs.container_id.is_empty() {
            cs.restart_count += 1;
        }
        if let Some(t) = cs.state.terminated.take() {
            cs.last_state = ContainerState {
                terminated: Some(t),
                ..Default::default()
            };
        }
        cs.image = c.image().to_string();
        cs.container_id = container_id;
        cs.ready = false;
        cs.state = ContainerState {
            running: Some(StateRunning {
                started_at: api_now,
            }),
            ..Default::default()
        };
    }
    if let Some(rt) = rt_mut(sim, &p) {
        rt.stage = super::Stage::Running;
        rt.stage_at = None;
        rt.exit_at = exits_after.map(|(s, _)| now.plus_ms(super::secs(s)));
        rt.exit_code = exits_after.map_or(0, |(_, code)| code);
        rt.init.runs.insert(i, (now, None));
    }
    write_status(sim, p);
}

/// Init container `i` exited with 0: it is complete, and the next container's turn comes.
/// Returns the pod for the app container once the last one has completed.
pub fn completed(sim: &mut Sim, mut p: Pod, i: usize) -> Pod {
    if let Some(cs) = Slot::Init(i).status_mut(&mut p) {
        cs.ready = true;
    }
    if let Some(rt) = rt_mut(sim, &p) {
        rt.init.done = i + 1;
        // Back-off is kept per container: the next one starts without any.
        rt.crash_backoff = None;
        rt.pull_backoff = None;
    }
    let inits = p.spec.init_containers();
    if i + 1 < inits.len() {
        not_initialized(sim, &mut p, &inits[i + 1..]);
    } else {
        set_condition(sim, &mut p, "Initialized", "True", None, None);
    }
    p
}

/// The latest run of the named init container: its start and end.
pub fn run_of(sim: &Sim, p: &Pod, name: &str) -> Option<(Time, Option<Time>)> {
    let i = p
        .spec
        .init_containers()
        .iter()
        .position(|c| c.name == name)?;
    sim.kubelet
        .pods
        .get(p.metadata.uid())
        .and_then(|rt| rt.init.runs.get(&i).copied())
}
