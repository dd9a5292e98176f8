//! The kubelet: runs the pods bound to each node through sandbox creation, image pulls (with
//! ErrImagePull / ImagePullBackOff back-off), container creation and start, readiness and
//! liveness probes (a liveness failure kills and restarts the container), crashes
//! (CrashLoopBackOff, restart counts) and graceful termination, writing pod status and
//! events as a v1.35 kubelet does (k8s-semantics.md §9.2–§9.3). What a shell image's
//! container does comes from running its command in the `shell` module.
//!
//! Per-pod progress lives in [`Runtime`], outside the API objects, as a real kubelet keeps it.

pub mod init;
pub mod logs;
pub mod pod_files;

use crate::api::core::{
    Container, ContainerState, ContainerStatus, Pod, PodCondition, PodIp, Probe, StateRunning,
    StateTerminated, StateWaiting,
};
use crate::apiserver;
use crate::registry::{Behaviour, ImageInfo, ImageRef, Lookup};
use crate::shell;
use crate::sim::{ObjRef, Sim};
use crate::store::{key, Key};
use crate::time::{Time, SECOND};
use init::Slot;
use std::collections::{BTreeMap, BTreeSet};

/// Image pull and crash-loop back-off: 10 s doubling to 300 s, forgotten after 600 s.
const BACKOFF_INITIAL: u64 = 10 * SECOND;
const BACKOFF_MAX: u64 = 300 * SECOND;
/// The pod worker's re-sync after an error (`backOffPeriod`).
const WORKER_RESYNC: u64 = 10 * SECOND;
/// The PLEG relist period: how soon the kubelet notices a container exit.
const PLEG_RELIST: u64 = SECOND;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Runtime {
    pub pods: BTreeMap<String, PodRuntime>,
    pub nodes: BTreeMap<String, NodeRuntime>,
    exits: ExitMemo,
}

/// The latest container commands whose exit was worked out, with what they read: the
/// replicas of a Deployment run one command, so each later start of it (a new replica, a
/// restart) that would read the same inputs reuses the answer instead of running the script
/// again. A cache, not cluster state: it takes no part in comparisons.
#[derive(Debug, Clone, Default)]
struct ExitMemo(std::cell::RefCell<Vec<Exit>>);

#[derive(Debug, Clone)]
struct Exit {
    argv: Vec<String>,
    env: shell::Env,
    reads: shell::Reads,
    exit: Option<(u64, i64)>,
}

/// Commands the memo keeps.
const EXITS_KEPT: usize = 16;

impl PartialEq for ExitMemo {
    fn eq(&self, _: &ExitMemo) -> bool {
        true
    }
}

impl ExitMemo {
    fn find(&self, argv: &[String], env: &shell::Env) -> Option<Option<(u64, i64)>> {
        self.0
            .borrow()
            .iter()
            .find(|e| e.argv == argv && e.reads.agree(&e.env, env))
            .map(|e| e.exit)
    }

    fn keep(&self, e: Exit) {
        if e.reads.network {
            return;
        }
        let mut kept = self.0.borrow_mut();
        if kept.len() >= EXITS_KEPT {
            kept.remove(0);
        }
        kept.push(e);
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct NodeRuntime {
    pub up: bool,
    /// When the kubelet stopped (for the node lifecycle controller's lease arithmetic).
    pub down_since: Option<Time>,
    pub images: BTreeSet<String>,
    pub index: usize,
    next_ip: u32,
}

impl NodeRuntime {
    pub fn new(index: usize) -> NodeRuntime {
        NodeRuntime {
            up: true,
            down_since: None,
            images: BTreeSet::new(),
            index,
            next_ip: 2,
        }
    }
    pub fn ip(&self) -> String {
        format!("172.18.0.{}", self.index + 2)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stage {
    /// Bound, sandbox being created: STATUS `Pending`.
    Sandbox,
    /// `ContainerCreating` while the image is pulled.
    Pulling,
    /// A pull failed: `ErrImagePull` until the next pod sync.
    PullFailed,
    /// `ImagePullBackOff`: waiting to retry the pull.
    PullBackOff,
    /// Container being created and started (still `ContainerCreating`).
    Creating,
    Running,
    /// The container exited; STATUS shows `Error`/`Completed` until the kubelet notices.
    Exited,
    /// `CrashLoopBackOff`: waiting to restart.
    CrashBackOff,
    /// SIGTERM sent; the pod disappears when the container exits.
    Stopping,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PodRuntime {
    /// Where the pod is in the store.
    pub key: Key,
    pub node: String,
    pub admitted_at: Time,
    pub stage: Stage,
    /// When the current stage ends.
    pub stage_at: Option<Time>,
    pub probe_at: Option<Time>,
    /// The liveness prober's next tick.
    pub live_at: Option<Time>,
    /// Liveness probes failed in a row.
    live_failures: i64,
    /// The startup prober's next tick, while the container has not passed its startup
    /// probe; liveness and readiness wait for that.
    pub start_at: Option<Time>,
    start_failures: i64,
    started_up: bool,
    /// The running container is being killed for a failed liveness or startup probe.
    probe_kill: bool,
    /// The files of a container run whose script has settled (its `container_seq`), for
    /// exec probes.
    probe_files: Option<(u64, BTreeMap<String, String>)>,
    /// When the running container exits by itself.
    pub exit_at: Option<Time>,
    pub started_at: Option<Time>,
    /// When the current run ended, if it has (to the millisecond, where the status has
    /// seconds).
    pub ended_at: Option<Time>,
    /// The run before the current one: its start and end.
    pub previous_run: Option<(Time, Time)>,
    pub ready: bool,
    successes: i64,
    failures: i64,
    pull_backoff: Option<(Time, u64)>,
    crash_backoff: Option<(Time, u64)>,
    pull_started: Option<Time>,
    ip: Option<String>,
    container_seq: u64,
    exit_code: i64,
    /// The pod's init containers, which run before the app container.
    pub init: init::Progress,
    /// What commands run through `kubectl exec` wrote in the app container run
    /// (`container_seq`); a new container starts from its image again.
    exec_files: Option<(u64, ExecFiles)>,
    /// The exit code of the running container a deletion is stopping.
    stopping_exit: Option<i64>,
    /// When the container was last sent SIGTERM (a deletion, a failed probe): the run that
    /// was going then ends as its handler makes it, and logs it.
    term_at: Option<Time>,
}

/// Files commands run through `kubectl exec` wrote (`Some`) or removed (`None`), each with
/// what the container's own process had there at that moment: once the process writes the
/// file again, its own content wins.
pub type ExecFiles = BTreeMap<String, (Option<String>, Option<String>)>;

/// The most files `kubectl exec` commands may leave in one container.
const MAX_EXEC_FILES: usize = 1000;

impl PodRuntime {
    /// The last readiness probe failed (not merely: none has passed yet).
    pub fn probe_failing(&self) -> bool {
        self.failures > 0
    }
}

/// What a container of this pod does once started, from the registry and the pod spec.
struct Program {
    info: ImageInfo,
    /// The first environment variable the program needs and was not given.
    missing_env: Option<String>,
}

/// An event about the pod's container: the kubelet refers to it by `fieldPath`
/// (`GenerateContainerRef`), which kubectl ≥ 1.35 shows before the message.
fn event(sim: &mut Sim, p: &Pod, type_: &str, reason: &str, msg: String) {
    let mut obj = ObjRef::namespaced("Pod", &p.metadata);
    let slot = Slot::of_pod(sim, p);
    obj.field_path = slot.name(p).map(|name| slot.field_path(&name));
    let node = p.spec.node_name.clone();
    sim.record_event(obj, type_, reason, msg, "kubelet", node.as_deref());
}

pub fn node_up(sim: &Sim, node: &str) -> bool {
    sim.kubelet.nodes.get(node).is_some_and(|n| n.up)
}

/// Drops the runtime of a pod that left the API.
pub fn forget(sim: &mut Sim, uid: &str) {
    sim.kubelet.pods.remove(uid);
}

/// The pod of a runtime entry, if it is still the same object.
fn pod_ref<'a>(sim: &'a Sim, uid: &str) -> Option<&'a Pod> {
    let rt = sim.kubelet.pods.get(uid)?;
    sim.store
        .pods
        .get(&rt.key)
        .filter(|p| p.metadata.uid() == uid)
}

/// A copy of the pod of a runtime entry, to change and write back.
fn pod_of(sim: &Sim, uid: &str) -> Option<Pod> {
    pod_ref(sim, uid).cloned()
}

/// Admits newly bound pods and starts terminating pods marked for deletion.
pub fn sync(sim: &mut Sim) {
    let work: Vec<Key> = sim
        .store
        .pods
        .iter()
        .filter(|(_, p)| {
            let Some(node) = p.spec.node_name.as_deref().filter(|n| !n.is_empty()) else {
                return false;
            };
            let todo = match sim.kubelet.pods.get(p.metadata.uid()) {
                None => true,
                Some(rt) => p.metadata.is_terminating() && rt.stage != Stage::Stopping,
            };
            todo && node_up(sim, node)
        })
        .map(|(k, _)| k.clone())
        .collect();
    for k in work {
        let Some(p) = sim.store.pods.get(&k).cloned() else {
            continue;
        };
        let node = p.spec.node_name.clone().unwrap_or_default();
        if sim.kubelet.pods.contains_key(p.metadata.uid()) {
            begin_termination(sim, &p);
        } else {
            admit(sim, p, node);
        }
    }
}

fn admit(sim: &mut Sim, mut p: Pod, node: String) {
    let uid = p.metadata.uid().to_string();
    let now = sim.now;
    let mut rt = PodRuntime {
        key: key(p.metadata.ns(), &p.metadata.name),
        node,
        admitted_at: now,
        stage: Stage::Sandbox,
        stage_at: Some(now.plus_ms(secs(sim.config.sandbox_seconds))),
        probe_at: None,
        live_at: None,
        live_failures: 0,
        start_at: None,
        start_failures: 0,
        started_up: true,
        probe_kill: false,
        probe_files: None,
        exit_at: None,
        started_at: None,
        ended_at: None,
        previous_run: None,
        ready: false,
        successes: 0,
        failures: 0,
        pull_backoff: None,
        crash_backoff: None,
        pull_started: None,
        ip: None,
        container_seq: 0,
        exit_code: 0,
        init: init::Progress::default(),
        exec_files: None,
        stopping_exit: None,
        term_at: None,
    };
    if p.metadata.is_terminating() {
        rt.stage = Stage::Stopping;
        rt.stage_at = Some(now);
    }
    let host_ip = sim.kubelet.nodes.get(&rt.node).map(NodeRuntime::ip);
    p.status.host_ips = PodIp::list(host_ip.as_deref());
    p.status.host_ip = host_ip;
    p.status.start_time = Some(sim.api_now());
    set_condition(sim, &mut p, "Initialized", "True", None, None);
    set_condition(
        sim,
        &mut p,
        "PodReadyToStartContainers",
        "False",
        None,
        None,
    );
    refresh_ready_conditions(sim, &mut p, false, "ContainersNotReady");
    // A pod admitted again after its node came back keeps its restart count.
    let restarts = |name: &str| {
        p.status
            .container_statuses
            .iter()
            .find(|cs| cs.name == name)
            .map_or(0, |cs| cs.restart_count)
    };
    p.status.container_statuses = p
        .spec
        .containers
        .iter()
        .map(|c| ContainerStatus {
            name: c.name.clone(),
            image: c.image().to_string(),
            state: waiting("ContainerCreating", None),
            restart_count: restarts(&c.name),
            ..Default::default()
        })
        .collect();
    init::admit(sim, &mut p, &mut rt);
    let at = rt.stage_at;
    sim.kubelet.pods.insert(uid.clone(), rt);
    write_status(sim, p);
    if let Some(t) = at {
        sim.pod_timer(t, &uid);
    }
}

/// A status write of this kubelet: it says which pod generation the status reflects.
fn write_status(sim: &mut Sim, mut p: Pod) {
    p.status.observed_generation = p.metadata.generation;
    apiserver::update_pod(sim, p);
}

fn secs(s: f64) -> u64 {
    Time::from_secs_f64(s).0
}

fn waiting(reason: &str, message: Option<String>) -> ContainerState {
    ContainerState {
        waiting: Some(StateWaiting {
            reason: reason.into(),
            message,
        }),
        ..Default::default()
    }
}

/// Handles everything due for the pod with this UID.
pub fn on_timer(sim: &mut Sim, uid: &str) {
    let Some(rt) = sim.kubelet.pods.get(uid) else {
        return;
    };
    if !node_up(sim, &rt.node) {
        return;
    }
    let (exit_at, probe_at, live_at, start_at, running) = (
        rt.exit_at,
        rt.probe_at,
        rt.live_at,
        rt.start_at,
        rt.stage == Stage::Running,
    );
    if pod_ref(sim, uid).is_none() {
        sim.kubelet.pods.remove(uid);
        return;
    }
    let now = sim.now;
    if exit_at.is_some_and(|t| t <= now) && running {
        if let Some(pod) = pod_of(sim, uid) {
            container_exited(sim, &pod);
        }
    }
    if probe_at.is_some_and(|t| t <= now) && running {
        probe(sim, uid);
    }
    if start_at.is_some_and(|t| t <= now) && running {
        health(sim, uid, Health::Startup);
    }
    if live_at.is_some_and(|t| t <= now) && running {
        health(sim, uid, Health::Liveness);
    }
    let due = sim
        .kubelet
        .pods
        .get(uid)
        .filter(|rt| rt.stage_at.is_some_and(|t| t <= now))
        .map(|rt| rt.stage.clone());
    if let Some(stage) = due {
        if let Some(pod) = pod_of(sim, uid) {
            advance_stage(sim, pod, stage);
        }
    }
    schedule_next(sim, uid);
}

fn schedule_next(sim: &mut Sim, uid: &str) {
    let Some(rt) = sim.kubelet.pods.get(uid) else {
        return;
    };
    let times = [
        rt.stage_at,
        rt.probe_at,
        rt.live_at,
        rt.start_at,
        rt.exit_at,
    ];
    let next = times
        .iter()
        .flatten()
        .filter(|t| **t > sim.now)
        .min()
        .copied();
    let due_now = times.iter().flatten().any(|t| *t <= sim.now);
    if let Some(t) = next {
        sim.pod_timer(t, uid);
    }
    if due_now {
        sim.pod_timer(sim.now, uid);
    }
}

fn advance_stage(sim: &mut Sim, pod: Pod, stage: Stage) {
    match stage {
        Stage::Sandbox => sandbox_ready(sim, pod),
        Stage::Pulling => pull_finished(sim, pod),
        Stage::PullFailed | Stage::PullBackOff => pull_backoff_sync(sim, pod),
        Stage::Creating => container_started(sim, pod),
        Stage::Exited | Stage::CrashBackOff => crash_backoff_sync(sim, pod),
        Stage::Stopping => {
            // The container has stopped: the kubelet writes the terminal status, and the
            // pod goes at its next relist, once the status is written (so a log being
            // followed gets the container's last lines).
            let uid = pod.metadata.uid().to_string();
            let now = sim.now;
            let stopped = sim
                .kubelet
                .pods
                .get_mut(&uid)
                .filter(|rt| rt.stopping_exit.is_some())
                .map(|rt| end_run(rt, now))
                .is_some();
            if stopped {
                terminal_status(sim, pod);
                if let Some(rt) = sim.kubelet.pods.get_mut(&uid) {
                    rt.stopping_exit = None;
                    rt.stage_at = Some(sim.now.plus_ms(PLEG_RELIST));
                }
            } else {
                let k = key(pod.metadata.ns(), &pod.metadata.name);
                apiserver::remove_pod(sim, &k);
            }
        }
        Stage::Running => {
            if let Some(rt) = sim.kubelet.pods.get_mut(pod.metadata.uid()) {
                rt.stage_at = None;
            }
        }
    }
}

fn rt_mut<'a>(sim: &'a mut Sim, p: &Pod) -> Option<&'a mut PodRuntime> {
    sim.kubelet.pods.get_mut(p.metadata.uid())
}

fn sandbox_ready(sim: &mut Sim, mut p: Pod) {
    let uid = p.metadata.uid().to_string();
    let Some(rt) = sim.kubelet.pods.get(&uid).cloned() else {
        return;
    };
    let ip = match rt.ip {
        Some(ip) => ip,
        None => {
            let Some(n) = sim.kubelet.nodes.get_mut(&rt.node) else {
                return;
            };
            let ip = format!("10.244.{}.{}", n.index + 1, n.next_ip);
            n.next_ip = if n.next_ip >= 254 { 2 } else { n.next_ip + 1 };
            ip
        }
    };
    p.status.pod_ips = PodIp::list(Some(&ip));
    p.status.pod_ip = Some(ip.clone());
    set_condition(sim, &mut p, "PodReadyToStartContainers", "True", None, None);
    if let Some(r) = rt_mut(sim, &p) {
        r.ip = Some(ip);
    }
    write_status(sim, p.clone());
    ensure_image(sim, p);
}

/// `EnsureImageExists`: pull unless the image is present and the policy allows reuse.
fn ensure_image(sim: &mut Sim, mut p: Pod) {
    let slot = Slot::of_pod(sim, &p);
    let Some(c) = slot.container(&p) else {
        return;
    };
    let image = c.image().to_string();
    let policy = c
        .image_pull_policy
        .clone()
        .unwrap_or_else(|| "IfNotPresent".into());
    let node = p.spec.node_name.clone().unwrap_or_default();
    let full = ImageRef::parse(&image)
        .map(|r| r.full())
        .unwrap_or_else(|| image.clone());
    let present = sim
        .kubelet
        .nodes
        .get(&node)
        .is_some_and(|n| n.images.contains(&full));
    if present && policy != "Always" {
        let msg = format!(
            "Container image {image:?} already present on machine and can be accessed by the pod"
        );
        event(sim, &p, "Normal", "Pulled", msg);
        if let (Some(cs), Some(r)) = (slot.status_mut(&mut p), ImageRef::parse(&image)) {
            if cs.image_id.is_empty() {
                cs.image_id = image_id(&r);
            }
        }
        begin_create(sim, p);
        return;
    }
    if policy == "Never" {
        let msg = format!("Container image {image:?} is not present with pull policy of Never");
        set_waiting(&mut p, slot, "ErrImageNeverPull", Some(msg.clone()));
        write_status(sim, p.clone());
        event(sim, &p, "Warning", "ErrImageNeverPull", msg);
        if let Some(r) = rt_mut(sim, &p) {
            r.stage = Stage::PullFailed;
            r.stage_at = None;
        }
        return;
    }
    event(
        sim,
        &p,
        "Normal",
        "Pulling",
        format!("Pulling image {image:?}"),
    );
    let duration = match ImageRef::parse(&image)
        .map(|r| (sim.config.registry.lookup(&r).found().cloned(), r))
    {
        Some((Some(info), _)) if present => secs(0.3).max(1).min(secs(
            info.pull_seconds.unwrap_or(sim.config.image_pull_seconds),
        )),
        Some((Some(info), _)) => secs(info.pull_seconds.unwrap_or(sim.config.image_pull_seconds)),
        _ => secs(sim.config.pull_failure_seconds),
    };
    let now = sim.now;
    if let Some(r) = rt_mut(sim, &p) {
        r.stage = Stage::Pulling;
        r.stage_at = Some(now.plus_ms(duration));
        r.pull_started = Some(now);
    }
    show_creating(&mut p, slot);
    write_status(sim, p);
}

fn pull_finished(sim: &mut Sim, mut p: Pod) {
    let slot = Slot::of_pod(sim, &p);
    let Some(c) = slot.container(&p) else {
        return;
    };
    let image = c.image().to_string();
    let node = p.spec.node_name.clone().unwrap_or_default();
    let parsed = ImageRef::parse(&image);
    let lookup = parsed.as_ref().map(|r| sim.config.registry.lookup(r));
    match (lookup, parsed) {
        (Some(Lookup::Found(info)), Some(r)) => {
            let size = info.size_bytes;
            let took = sim
                .kubelet
                .pods
                .get(p.metadata.uid())
                .and_then(|rt| rt.pull_started)
                .map_or(0, |t| sim.now.since(t));
            let d = crate::time::go_duration(took);
            let msg = format!("Successfully pulled image {image:?} in {d} ({d} including waiting). Image size: {size} bytes.");
            if let Some(n) = sim.kubelet.nodes.get_mut(&node) {
                n.images.insert(r.full());
            }
            if let Some(cs) = slot.status_mut(&mut p) {
                cs.image_id = image_id(&r);
            }
            event(sim, &p, "Normal", "Pulled", msg);
            if let Some(rt) = rt_mut(sim, &p) {
                rt.pull_backoff = None;
            }
            begin_create(sim, p);
        }
        (lookup, parsed) => {
            let err = pull_error(&image, parsed.as_ref(), lookup);
            event(
                sim,
                &p,
                "Warning",
                "Failed",
                format!("Failed to pull image {image:?}: {err}"),
            );
            event(sim, &p, "Warning", "Failed", "Error: ErrImagePull".into());
            set_waiting(&mut p, slot, "ErrImagePull", Some(err));
            let now = sim.now;
            if let Some(rt) = rt_mut(sim, &p) {
                rt.pull_backoff = Some(next_backoff(rt.pull_backoff, now));
                rt.stage = Stage::PullFailed;
                rt.stage_at = Some(now.plus_ms(WORKER_RESYNC));
            }
            write_status(sim, p);
        }
    }
}

impl<'a> Lookup<'a> {
    fn found(&self) -> Option<&'a ImageInfo> {
        match self {
            Lookup::Found(i) => Some(i),
            _ => None,
        }
    }
}

/// containerd's error for a reference that does not resolve.
fn pull_error(image: &str, r: Option<&ImageRef>, lookup: Option<Lookup<'_>>) -> String {
    let Some(r) = r else {
        return format!("rpc error: code = InvalidArgument desc = failed to pull and unpack image {image:?}: invalid reference format");
    };
    let full = r.full();
    match lookup {
        Some(Lookup::NoSuchTag) => format!(
            "rpc error: code = NotFound desc = failed to pull and unpack image {full:?}: failed to resolve reference {full:?}: {full}: not found"
        ),
        _ => format!(
            "rpc error: code = Unknown desc = failed to pull and unpack image {full:?}: failed to resolve reference {full:?}: pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed"
        ),
    }
}

/// `flowcontrol.Backoff.Next`: 10 s, doubling, capped at 300 s; reset after 600 s idle.
fn next_backoff(prev: Option<(Time, u64)>, now: Time) -> (Time, u64) {
    match prev {
        Some((last, d)) if now.since(last) <= 2 * BACKOFF_MAX => (now, (d * 2).min(BACKOFF_MAX)),
        _ => (now, BACKOFF_INITIAL),
    }
}

/// A pod sync while a pull is failing: retry once the back-off has passed, otherwise report
/// `ImagePullBackOff` and look again after the worker's re-sync period.
fn pull_backoff_sync(sim: &mut Sim, mut p: Pod) {
    let Some(rt) = sim.kubelet.pods.get(p.metadata.uid()).cloned() else {
        return;
    };
    let now = sim.now;
    let in_backoff = rt.pull_backoff.is_some_and(|(last, d)| now.since(last) < d);
    if !in_backoff {
        ensure_image(sim, p);
        return;
    }
    let slot = Slot::of(&rt);
    let image = slot
        .container(&p)
        .map(|c| c.image().to_string())
        .unwrap_or_default();
    let prev = slot
        .status(&p)
        .and_then(|c| c.state.waiting.as_ref())
        .and_then(|w| w.message.clone())
        .unwrap_or_default();
    let prev_err = prev
        .split_once(": ErrImagePull: ")
        .map_or(prev.as_str(), |(_, e)| e)
        .to_string();
    event(
        sim,
        &p,
        "Normal",
        "BackOff",
        format!("Back-off pulling image {image:?}"),
    );
    event(
        sim,
        &p,
        "Warning",
        "Failed",
        "Error: ImagePullBackOff".into(),
    );
    set_waiting(
        &mut p,
        slot,
        "ImagePullBackOff",
        Some(format!(
            "Back-off pulling image {image:?}: ErrImagePull: {prev_err}"
        )),
    );
    let (last, d) = rt.pull_backoff.unwrap_or((now, BACKOFF_INITIAL));
    let retry = last.plus_ms(d);
    if let Some(r) = rt_mut(sim, &p) {
        r.stage = Stage::PullBackOff;
        r.stage_at = Some(now.plus_ms(WORKER_RESYNC).min(retry).max(now.plus_ms(1)));
    }
    write_status(sim, p);
}

fn image_id(r: &ImageRef) -> String {
    let h = crate::api::hash::fnv64(r.full().bytes());
    format!(
        "{}@sha256:{:016x}{:016x}{:016x}{:016x}",
        r.repository,
        h,
        h.rotate_left(17),
        h.rotate_left(31),
        h.rotate_left(47)
    )
}

fn begin_create(sim: &mut Sim, mut p: Pod) {
    let now = sim.now;
    let start = secs(sim.config.container_start_seconds);
    let slot = Slot::of_pod(sim, &p);
    if let Some(rt) = rt_mut(sim, &p) {
        rt.stage = Stage::Creating;
        rt.stage_at = Some(now.plus_ms(start));
    }
    show_creating(&mut p, slot);
    write_status(sim, p);
}

fn program(sim: &Sim, c: &Container) -> Program {
    let info = ImageRef::parse(c.image())
        .and_then(|r| sim.config.registry.lookup(&r).found().cloned())
        .unwrap_or_else(|| ImageInfo::server(1, 0.0, 0));
    let given = container_env(c);
    let missing_env = info
        .required_env
        .iter()
        .find(|k| !given.contains(k))
        .cloned();
    Program { info, missing_env }
}

impl Program {
    /// When a run started at `started` exits by itself (seconds after its start) and with
    /// which code; `None` runs until stopped.
    fn exits_after(&self, sim: &Sim, p: &Pod, c: &Container, started: Time) -> Option<(f64, i64)> {
        if self.missing_env.is_some() {
            return Some((0.1, 1));
        }
        match &self.info.behaviour {
            Behaviour::Crash {
                after_seconds,
                exit_code,
            } => Some((*after_seconds, *exit_code)),
            Behaviour::Shell => {
                let env = logs::environment(sim, p, c, started);
                let command = argv(c, &env);
                let exit = match sim.kubelet.exits.find(&command, &env) {
                    Some(exit) => exit,
                    None => {
                        let run = run_process(sim, p, c, &env, u64::MAX, shell::Mode::Exit);
                        sim.kubelet.exits.keep(Exit {
                            argv: command,
                            env,
                            reads: run.reads,
                            exit: run.exit,
                        });
                        run.exit
                    }
                };
                exit.map(|(ms, code)| (ms as f64 / 1000.0, code))
            }
            _ => None,
        }
    }
}

/// Runs the own process of container `c` of `p` (a shell image's), which started at
/// `env.started`, up to `horizon` ms: what it asks the cluster DNS is answered as the DNS
/// answered at that moment.
fn run_process(
    sim: &Sim,
    p: &Pod,
    c: &Container,
    env: &shell::Env,
    horizon: u64,
    mode: shell::Mode,
) -> shell::Outcome {
    let net = crate::network::Client::process(sim, p, c);
    shell::run_asking(&argv(c, env), env, horizon, mode, &net)
}

/// When the container in `slot` started its current run.
fn run_start(rt: &PodRuntime, slot: Slot) -> Option<Time> {
    match slot {
        Slot::Init(i) => rt.init.runs.get(&i).map(|(start, _)| *start),
        Slot::App => rt.started_at,
    }
}

/// The current run of the container the kubelet works on ended at `now`.
fn end_run(rt: &mut PodRuntime, now: Time) {
    match Slot::of(rt) {
        Slot::Init(i) => {
            if let Some(run) = rt.init.runs.get_mut(&i) {
                run.1 = Some(now);
            }
        }
        Slot::App => rt.ended_at = Some(now),
    }
}

/// SIGTERM now to the running container `c` of `p` (started at `started`), SIGKILL `grace`
/// ms later: how long it takes to stop and its exit code. A shell image's script exits as
/// its `trap` makes it (the signal goes to process 1, the shell, which without a trap
/// ignores it); another known program as the catalogue says; one still running at the end
/// of the grace period is killed (137).
fn stopping(sim: &Sim, p: &Pod, c: &Container, started: Time, grace: u64) -> (u64, i64) {
    let now = sim.now;
    let killed = (grace, 137);
    if runs_shell(sim, c) {
        let mut env = logs::environment(sim, p, c, started);
        let term = now.since(started);
        env.term_at = Some(term);
        let run = run_process(
            sim,
            p,
            c,
            &env,
            term.saturating_add(grace),
            shell::Mode::Exit,
        );
        return match run.exit {
            Some((ms, code)) if ms <= term.saturating_add(grace) => (ms.saturating_sub(term), code),
            _ => killed,
        };
    }
    match program(sim, c).info.shutdown_seconds.map(secs) {
        Some(s) if s <= grace => (s, 0),
        _ => killed,
    }
}

/// Whether the container's own command asks the cluster DNS, so that its run depends on
/// the Services.
fn asks_dns(c: &Container) -> bool {
    ["command", "args"].iter().any(|k| {
        c.extra
            .get(*k)
            .and_then(|v| v.as_sequence())
            .is_some_and(|words| {
                words
                    .iter()
                    .any(|w| w.as_str().is_some_and(|w| w.contains("nslookup")))
            })
    })
}

/// The Services the cluster DNS serves changed: each running container whose own command
/// asks the DNS may now exit at another time (no sooner than now, as the answers it had
/// until now stand), so its exit is worked out again.
pub fn services_changed(sim: &mut Sim) {
    let asking: Vec<(String, Slot)> = sim
        .kubelet
        .pods
        .iter()
        // A container a probe is killing already has its end.
        .filter(|(_, rt)| rt.stage == Stage::Running && !rt.probe_kill)
        .map(|(uid, rt)| (uid.clone(), Slot::of(rt)))
        .collect();
    for (uid, slot) in asking {
        let Some(p) = pod_ref(sim, &uid) else {
            continue;
        };
        let Some(c) = slot
            .container(p)
            .filter(|c| asks_dns(c) && runs_shell(sim, c))
        else {
            continue;
        };
        let Some(started) = sim
            .kubelet
            .pods
            .get(&uid)
            .and_then(|rt| run_start(rt, slot))
        else {
            continue;
        };
        let exits_after = program(sim, &c).exits_after(sim, p, &c, started);
        let now = sim.now;
        if let Some(rt) = sim.kubelet.pods.get_mut(&uid) {
            rt.exit_at = exits_after.map(|(s, _)| started.plus_ms(secs(s)).max(now));
            rt.exit_code = exits_after.map_or(0, |(_, code)| code);
        }
        schedule_next(sim, &uid);
    }
}

fn container_env(c: &Container) -> Vec<String> {
    let Some(serde_yaml::Value::Sequence(env)) = c.extra.get("env") else {
        return Vec::new();
    };
    env.iter()
        .filter_map(|e| e.get("name").and_then(|n| n.as_str()).map(str::to_string))
        .collect()
}

/// The process a shell image runs: `command` then `args`, with `$(VAR)` replaced from the
/// container's variables (`ExpandContainerCommandAndArgs`); without a command, `args` replace
/// the image's default command, which for these images is a shell (that exits at once, as
/// it has no input).
fn argv(c: &Container, env: &shell::Env) -> Vec<String> {
    // The kubelet expands with the container's own and the Services' variables only.
    let known: BTreeMap<String, String> = env
        .vars
        .iter()
        .filter(|(k, _)| !matches!(k.as_str(), "PATH" | "HOSTNAME" | "HOME"))
        .cloned()
        .collect();
    let words = |key: &str| -> Vec<String> {
        c.extra
            .get(key)
            .and_then(|v| v.as_sequence())
            .map(|seq| {
                seq.iter()
                    .filter_map(|v| v.as_str())
                    .map(|w| {
                        if w.contains("$(") {
                            logs::expand_references(w, &known)
                        } else {
                            w.to_string()
                        }
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    let (command, args) = (words("command"), words("args"));
    match (command.is_empty(), args.is_empty()) {
        (false, _) => command.into_iter().chain(args).collect(),
        (true, false) => args,
        (true, true) => vec!["sh".into()],
    }
}

/// A container start's share of the simulation's work (its writes, events and copies), in
/// the units of [`Sim::work_done`].
const START_WORK: u64 = 20;

fn container_started(sim: &mut Sim, mut p: Pod) {
    sim.work += START_WORK;
    let slot = Slot::of_pod(sim, &p);
    if let Slot::Init(i) = slot {
        let id = format!(
            "containerd://{:016x}{:016x}{:016x}{:016x}",
            sim.rng.next_u64(),
            sim.rng.next_u64(),
            sim.rng.next_u64(),
            sim.rng.next_u64()
        );
        event(sim, &p, "Normal", "Created", "Container created".into());
        event(sim, &p, "Normal", "Started", "Container started".into());
        init::started(sim, p, i, id);
        return;
    }
    let Some(c) = p.spec.containers.first().cloned() else {
        return;
    };
    let prog = program(sim, &c);
    let now = sim.now;
    let exits_after = prog.exits_after(sim, &p, &c, now);
    let liveness = probe_of(&c, Health::Liveness);
    let startup = probe_of(&c, Health::Startup);
    let uid = p.metadata.uid().to_string();
    let seq = sim.kubelet.pods.get(&uid).map_or(0, |r| r.container_seq) + 1;
    let container_id = format!(
        "containerd://{:016x}{:016x}{:016x}{:016x}",
        sim.rng.next_u64(),
        sim.rng.next_u64(),
        sim.rng.next_u64(),
        seq
    );
    event(sim, &p, "Normal", "Created", "Container created".into());
    event(sim, &p, "Normal", "Started", "Container started".into());
    let has_probe = c.readiness_probe.is_some();
    // With a startup probe the container is neither started nor ready until it passes.
    let ready = !has_probe && startup.is_none();
    let api_now = sim.api_now();
    if let Some(cs) = p.status.container_statuses.first_mut() {
        // A restart: the new container's attempt number counts it, and the exit it replaces
        // becomes the last state.
        if seq > 1 {
            cs.restart_count += 1;
        }
        if let Some(t) = cs.state.terminated.take() {
            cs.last_state = ContainerState {
                terminated: Some(t),
                ..Default::default()
            };
        }
        // Still running: the container the kubelet killed for a new image (SIGTERM, which
        // the simulated programs obey with exit code 0).
        if let Some(r) = cs.state.running.take() {
            cs.last_state = ContainerState {
                terminated: Some(StateTerminated {
                    exit_code: 0,
                    reason: "Completed".into(),
                    started_at: r.started_at,
                    finished_at: api_now,
                    container_id: cs.container_id.clone(),
                }),
                ..Default::default()
            };
        }
        cs.image = c.image().to_string();
        cs.container_id = container_id;
        cs.started = startup.is_none();
        cs.state = ContainerState {
            running: Some(StateRunning {
                started_at: api_now,
            }),
            ..Default::default()
        };
        cs.ready = ready;
    }
    p.status.phase = "Running".into();
    if let Some(rt) = rt_mut(sim, &p) {
        rt.stage = Stage::Running;
        rt.stage_at = None;
        if let Some(start) = rt.started_at {
            rt.previous_run = Some((start, rt.ended_at.unwrap_or(now)));
        }
        rt.started_at = Some(now);
        rt.ended_at = None;
        rt.container_seq = seq;
        rt.successes = 0;
        rt.failures = 0;
        rt.ready = ready;
        rt.exit_at = exits_after.map(|(s, _)| now.plus_ms(secs(s)));
        rt.exit_code = exits_after.map_or(0, |(_, code)| code);
        // The first readiness probe runs as soon as the container has started.
        rt.probe_at = has_probe.then_some(now);
        rt.live_failures = 0;
        rt.probe_files = None;
        // Liveness and startup, unlike readiness, wait for their workers' next tick.
        rt.live_at = liveness.as_ref().map(|pr| tick(rt, pr, now).0);
        rt.start_at = startup.as_ref().map(|pr| tick(rt, pr, now).0);
        rt.start_failures = 0;
        rt.started_up = startup.is_none();
        rt.probe_kill = false;
    }
    refresh_ready_conditions(sim, &mut p, ready, "ContainersNotReady");
    write_status(sim, p);
}

/// Whether the program answers the network probe `pr` at time `now`, and the failure text
/// if not.
fn serving(sim: &Sim, c: &Container, rt: &PodRuntime, pr: &Probe) -> Result<(), String> {
    let prog = program(sim, c);
    let ip = rt.ip.clone().unwrap_or_default();
    let port = probe_port(c, pr).unwrap_or(0);
    let is_http = pr.http_get.is_some();
    // The prober's URL: the probe's path, with the leading slash Go's URL adds.
    let path = pr
        .http_get
        .as_ref()
        .and_then(|h| h.path.as_deref())
        .unwrap_or("/");
    let slash = if path.starts_with('/') { "" } else { "/" };
    let scheme = pr
        .http_get
        .as_ref()
        .and_then(|h| h.scheme.as_deref())
        .unwrap_or("HTTP")
        .to_ascii_lowercase();
    let refused = || {
        if is_http {
            format!(
                "Get \"{scheme}://{ip}:{port}{slash}{path}\": dial tcp {ip}:{port}: connect: connection refused"
            )
        } else {
            format!("dial tcp {ip}:{port}: connect: connection refused")
        }
    };
    let up_since = rt
        .started_at
        .map(|t| t.plus_ms(secs(prog.info.start_seconds)));
    if prog.info.port != Some(port) || up_since.is_none_or(|t| sim.now < t) {
        return Err(refused());
    }
    if prog.info.behaviour == Behaviour::NeverReady {
        return Err(if is_http {
            "HTTP probe failed with statuscode: 503".into()
        } else {
            refused()
        });
    }
    Ok(())
}

/// One probe of the pod's container (prober `runProbe`): an exec probe runs its command in
/// the container, HTTP and TCP probes ask the program on the network, and a gRPC probe
/// (not simulated) succeeds. `files` caches what an exec probe found, for the caller to keep.
fn check(
    sim: &Sim,
    p: &Pod,
    c: &Container,
    rt: &PodRuntime,
    pr: &Probe,
    files: &mut Option<(u64, BTreeMap<String, String>)>,
) -> Result<(), String> {
    match &pr.exec {
        Some(exec) => exec_probe(sim, p, c, rt, &exec.command, pr.timeout_seconds, files),
        None if pr.http_get.is_some() || pr.tcp_socket.is_some() => serving(sim, c, rt, pr),
        None => Ok(()),
    }
}

/// An exec probe's output is cut at 10 KiB, as the prober reads it.
const PROBE_OUTPUT_MAX: usize = 10 * 1024;

/// An exec probe: the command runs beside the container's process (see [`exec`]); a
/// failure reports the command's output, as the prober's `exec` does. Only shell images'
/// files are simulated: in other images an exec probe succeeds.
fn exec_probe(
    sim: &Sim,
    p: &Pod,
    c: &Container,
    rt: &PodRuntime,
    command: &[String],
    timeout: Option<i64>,
    cache: &mut Option<(u64, BTreeMap<String, String>)>,
) -> Result<(), String> {
    let prog = program(sim, c);
    if prog.info.behaviour != Behaviour::Shell || prog.missing_env.is_some() {
        return Ok(());
    }
    let timeout = (timeout.unwrap_or(1).max(1) as u64).saturating_mul(SECOND);
    let (env, mut files) = inside(sim, p, c, rt, cache);
    with_exec_files(rt, &mut files);
    match shell::exec_in(command, &env, files, timeout, None) {
        (Some(0), _) => Ok(()),
        (Some(_), printed) => {
            // The kubelet reports the command's combined output.
            let mut output = printed.stdout + &printed.stderr;
            let mut cut = PROBE_OUTPUT_MAX.min(output.len());
            while !output.is_char_boundary(cut) {
                cut -= 1;
            }
            output.truncate(cut);
            Err(output.trim_end_matches('\n').to_string())
        }
        (None, _) => Err(format!("command {:?} timed out", command.join(" "))),
    }
}

/// Whether the container's image is a shell image, whose commands and files the `shell`
/// module simulates.
pub fn runs_shell(sim: &Sim, c: &Container) -> bool {
    program(sim, c).info.behaviour == Behaviour::Shell
}

/// Runs `command` in the pod's running container, as `kubectl exec` and exec probes do: in
/// the container's shell, with its environment and the files its own process has written
/// by now and those earlier `kubectl exec` commands left, reaching `net` with `wget` and
/// `curl`. Returns the exit status (`None` if it ran longer than `timeout` ms), what it
/// printed, and the files it wrote or removed, for [`keep_exec_files`].
pub fn exec(
    sim: &Sim,
    p: &Pod,
    c: &Container,
    command: &[String],
    timeout: u64,
    net: Option<&dyn shell::Network>,
) -> (Option<i64>, shell::Printed, ExecFiles) {
    let Some(rt) = sim.kubelet.pods.get(p.metadata.uid()) else {
        return (None, shell::Printed::default(), ExecFiles::new());
    };
    let (env, own) = inside(sim, p, c, rt, &mut rt.probe_files.clone());
    let mut seen = own.clone();
    with_exec_files(rt, &mut seen);
    let (status, printed) = shell::exec_in(command, &env, seen.clone(), timeout, net);
    let mut written = ExecFiles::new();
    for path in seen.keys().chain(printed.files.keys()) {
        let after = printed.files.get(path);
        if after != seen.get(path) {
            written.insert(path.clone(), (after.cloned(), own.get(path).cloned()));
        }
    }
    (status, printed, written)
}

/// Keeps what a `kubectl exec` command wrote in the pod's running app container, for the
/// commands and exec probes after it.
pub fn keep_exec_files(sim: &mut Sim, p: &Pod, written: ExecFiles) {
    let Some(rt) = rt_mut(sim, p) else {
        return;
    };
    if written.is_empty() || Slot::of(rt) != Slot::App {
        return;
    }
    let seq = rt.container_seq;
    let kept = match &mut rt.exec_files {
        Some((s, kept)) if *s == seq => kept,
        slot => &mut slot.insert((seq, ExecFiles::new())).1,
    };
    for (path, change) in written {
        if kept.len() < MAX_EXEC_FILES || kept.contains_key(&path) {
            kept.insert(path, change);
        }
    }
}

/// The files of the running app container: its process's own, with what `kubectl exec`
/// commands left where the process has not written since.
fn with_exec_files(rt: &PodRuntime, files: &mut BTreeMap<String, String>) {
    let Some((seq, kept)) = &rt.exec_files else {
        return;
    };
    if *seq != rt.container_seq || Slot::of(rt) != Slot::App {
        return;
    }
    for (path, (value, own_then)) in kept {
        if files.get(path) == own_then.as_ref() {
            match value {
                Some(v) => files.insert(path.clone(), v.clone()),
                None => files.remove(path),
            };
        }
    }
}

/// What a command run in the container sees: its environment, with the clock at now, and
/// the files the container's process has written by now.
fn inside(
    sim: &Sim,
    p: &Pod,
    c: &Container,
    rt: &PodRuntime,
    cache: &mut Option<(u64, BTreeMap<String, String>)>,
) -> (shell::Env, BTreeMap<String, String>) {
    let init = Slot::of(rt) != Slot::App;
    let started = if init {
        logs::running_since(sim, p, &c.name)
    } else {
        rt.started_at
    }
    .unwrap_or(sim.now);
    let env = logs::environment(sim, p, c, started);
    let main = argv(c, &env);
    let files = match cache {
        Some((seq, files)) if *seq == rt.container_seq && !init => files.clone(),
        // Other images' files are not simulated, nor is a script that writes none.
        _ if !runs_shell(sim, c) || !shell::writes_files(&main) => env.files.clone(),
        _ => {
            let state = run_process(sim, p, c, &env, sim.now.since(started), shell::Mode::State);
            // What a script that asks the DNS has written can change with the Services.
            if state.settled && !asks_dns(c) {
                *cache = Some((rt.container_seq, state.files.clone()));
            }
            state.files
        }
    };
    let env = shell::Env {
        started: sim.now,
        ..env
    };
    (env, files)
}

/// The probes that can restart a container.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Health {
    Liveness,
    Startup,
}

impl Health {
    fn name(self) -> &'static str {
        match self {
            Health::Liveness => "Liveness",
            Health::Startup => "Startup",
        }
    }
}

/// The container's liveness or startup probe.
fn probe_of(c: &Container, kind: Health) -> Option<Probe> {
    let key = match kind {
        Health::Liveness => "livenessProbe",
        Health::Startup => "startupProbe",
    };
    crate::api::yaml::from_value::<Probe>(c.extra.get(key)?.clone()).ok()
}

/// A prober worker's timing: its next tick (every period from the pod's admission), and
/// whether the probe runs at this one (the initial delay after the container's start has
/// passed).
fn tick(rt: &PodRuntime, pr: &Probe, now: Time) -> (Time, bool) {
    let period = pr.period_seconds.unwrap_or(10).max(1) as u64 * SECOND;
    let since = now.since(rt.admitted_at);
    let next = rt.admitted_at.plus_ms((since / period + 1) * period);
    let initial = pr.initial_delay_seconds.unwrap_or(0).max(0) as u64 * SECOND;
    (next, rt.started_at.is_some_and(|s| now.since(s) >= initial))
}

/// One liveness or startup probe. After `failureThreshold` failures in a row the kubelet
/// kills the container — SIGTERM, then SIGKILL at the end of the grace period — and
/// restarts it. Liveness waits until a startup probe has passed; a startup probe that
/// passes marks the container started (and ready, when it has no readiness probe) and
/// stops.
fn health(sim: &mut Sim, uid: &str, kind: Health) {
    let (Some(p), Some(rt)) = (pod_ref(sim, uid), sim.kubelet.pods.get(uid)) else {
        return;
    };
    let Some(c) = p.spec.containers.first() else {
        return;
    };
    let Some(pr) = probe_of(c, kind) else {
        return;
    };
    let (next_tick, due) = tick(rt, &pr, sim.now);
    let due = due && (kind == Health::Startup || rt.started_up);
    let mut files = rt.probe_files.clone();
    let result = due.then(|| check(sim, p, c, rt, &pr, &mut files));
    let threshold = pr.failure_threshold.unwrap_or(3).max(1);
    // The probe's own grace period wins over the pod's; `killContainer` gives at least 2 s.
    let grace = (pr
        .extra
        .get("terminationGracePeriodSeconds")
        .and_then(|v| v.as_i64())
        .or(p.spec.termination_grace_period_seconds)
        .unwrap_or(30)
        .max(2) as u64)
        .saturating_mul(SECOND);
    let name = c.name.clone();
    let readiness = c.readiness_probe.is_some();
    // This failure kills the container when it makes `threshold` in a row.
    let failing = 1 + match kind {
        Health::Liveness => rt.live_failures,
        Health::Startup => rt.start_failures,
    };
    let stop = match (result.as_ref(), rt.started_at) {
        (Some(Err(_)), Some(started)) if failing >= threshold => {
            Some(stopping(sim, p, c, started, grace))
        }
        _ => None,
    };
    let Some(r) = sim.kubelet.pods.get_mut(uid) else {
        return;
    };
    r.probe_files = files;
    let (at, failures) = match kind {
        Health::Liveness => (&mut r.live_at, &mut r.live_failures),
        Health::Startup => (&mut r.start_at, &mut r.start_failures),
    };
    *at = Some(next_tick);
    let msg = match result {
        None => return,
        Some(Ok(())) => {
            *failures = 0;
            if kind == Health::Startup {
                started_up(sim, uid, readiness);
            }
            return;
        }
        Some(Err(msg)) => msg,
    };
    *failures += 1;
    let killed = *failures >= threshold;
    if killed {
        *at = None;
        *failures = 0;
        // A program that handles SIGTERM in time exits by itself; one that does not, or
        // needs longer than the grace period, is killed.
        let (after, code) = stop.unwrap_or((grace, 137));
        let at = sim.now.plus_ms(after);
        if r.exit_at.is_none_or(|t| t > at) {
            r.exit_at = Some(at);
            r.exit_code = code;
            r.probe_kill = true;
            r.term_at = Some(sim.now);
        }
        r.live_at = None;
        r.start_at = None;
    }
    let Some(p) = pod_of(sim, uid) else {
        return;
    };
    let probe = kind.name();
    event(
        sim,
        &p,
        "Warning",
        "Unhealthy",
        format!("{probe} probe failed: {msg}"),
    );
    if killed {
        event(
            sim,
            &p,
            "Normal",
            "Killing",
            format!(
                "Container {name} failed {} probe, will be restarted",
                probe.to_lowercase()
            ),
        );
    }
}

/// The startup probe has passed: the container counts as started, and as ready when no
/// readiness probe decides that.
fn started_up(sim: &mut Sim, uid: &str, readiness: bool) {
    let Some(r) = sim.kubelet.pods.get_mut(uid) else {
        return;
    };
    r.started_up = true;
    r.start_at = None;
    if !readiness {
        r.ready = true;
    }
    let Some(mut p) = pod_of(sim, uid) else {
        return;
    };
    if let Some(cs) = p.status.container_statuses.first_mut() {
        cs.started = true;
        if !readiness {
            cs.ready = true;
        }
    }
    if !readiness {
        refresh_ready_conditions(sim, &mut p, true, "ContainersNotReady");
    }
    write_status(sim, p);
}

/// Why the program in a pod cannot answer a request right now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoAnswer {
    /// The node's machine is down: nothing answers and the connection times out.
    NodeDown,
    /// Nothing listens on the port: the container is not running, is shutting down after
    /// SIGTERM, or the program listens on another port.
    Refused,
    /// The program runs but answers every request with an error (a `never-ready` image).
    Unhealthy,
}

/// How the program in the pod's first container answers a request on `port`: from the
/// returned instant on (container start plus the image's start time), until the kubelet
/// next changes the pod. A program that ignores SIGTERM keeps answering while it stops.
pub fn answers(sim: &Sim, p: &Pod, port: i64) -> Result<Time, NoAnswer> {
    let node = p.spec.node_name.as_deref().unwrap_or("");
    if !node_up(sim, node) {
        return Err(NoAnswer::NodeDown);
    }
    let rt = sim
        .kubelet
        .pods
        .get(p.metadata.uid())
        .ok_or(NoAnswer::Refused)?;
    let c = p.spec.containers.first().ok_or(NoAnswer::Refused)?;
    if Slot::of(rt) != Slot::App {
        return Err(NoAnswer::Refused);
    }
    let prog = program(sim, c);
    let up = match rt.stage {
        Stage::Running => true,
        Stage::Stopping => prog.info.shutdown_seconds.is_none(),
        _ => false,
    };
    let Some(started) = rt.started_at.filter(|_| up) else {
        return Err(NoAnswer::Refused);
    };
    if prog.info.port != Some(port) {
        return Err(NoAnswer::Refused);
    }
    if prog.info.behaviour == Behaviour::NeverReady {
        return Err(NoAnswer::Unhealthy);
    }
    Ok(started.plus_ms(secs(prog.info.start_seconds)))
}

fn probe_port(c: &Container, pr: &Probe) -> Option<i64> {
    let port = pr
        .http_get
        .as_ref()
        .map(|h| h.port.clone())
        .or_else(|| pr.tcp_socket.as_ref().map(|t| t.port.clone()))?;
    match port {
        crate::api::meta::IntOrString::Int(i) => Some(i),
        crate::api::meta::IntOrString::Str(name) => c
            .ports
            .iter()
            .find(|p| p.name.as_deref() == Some(name.as_str()))
            .map(|p| p.container_port),
    }
}

/// One readiness probe (prober `worker.doProbe`).
fn probe(sim: &mut Sim, uid: &str) {
    // The pod is read in place and copied only when the probe changes it or reports a
    // failure: thousands of probed pods would otherwise copy a pod each every period.
    let (Some(p), Some(rt)) = (pod_ref(sim, uid), sim.kubelet.pods.get(uid)) else {
        return;
    };
    let Some(c) = p.spec.containers.first() else {
        return;
    };
    let Some(pr) = c.readiness_probe.as_ref() else {
        return;
    };
    let (next_tick, due) = tick(rt, pr, sim.now);
    // Readiness waits for a startup probe to pass.
    let due = due && rt.started_up;
    let thresholds = (
        pr.success_threshold.unwrap_or(1),
        pr.failure_threshold.unwrap_or(3),
    );
    let mut files = rt.probe_files.clone();
    let result = due.then(|| check(sim, p, c, rt, pr, &mut files));
    let Some(r) = sim.kubelet.pods.get_mut(uid) else {
        return;
    };
    r.probe_at = Some(next_tick);
    r.probe_files = files;
    let Some(result) = result else {
        return;
    };
    match &result {
        Ok(()) => {
            r.successes += 1;
            r.failures = 0;
        }
        Err(_) => {
            r.failures += 1;
            r.successes = 0;
        }
    }
    let was = r.ready;
    if !r.ready && r.successes >= thresholds.0 {
        r.ready = true;
    } else if r.ready && r.failures >= thresholds.1 {
        r.ready = false;
    }
    let (ready, changed) = (r.ready, r.ready != was);
    if result.is_ok() && !changed {
        return;
    }
    let Some(mut p) = pod_of(sim, uid) else {
        return;
    };
    if let Err(msg) = result {
        event(
            sim,
            &p,
            "Warning",
            "Unhealthy",
            format!("Readiness probe failed: {msg}"),
        );
    }
    if changed {
        if let Some(cs) = p.status.container_statuses.first_mut() {
            cs.ready = ready;
        }
        refresh_ready_conditions(sim, &mut p, ready, "ContainersNotReady");
        write_status(sim, p);
    }
}

fn container_exited(sim: &mut Sim, p: &Pod) {
    let mut p = p.clone();
    let Some(rt) = sim.kubelet.pods.get(p.metadata.uid()).cloned() else {
        return;
    };
    let code = rt.exit_code;
    let api_now = sim.api_now();
    let slot = Slot::of(&rt);
    if let Some(cs) = slot.status_mut(&mut p) {
        set_terminated(cs, code, api_now);
    }
    let now = sim.now;
    if let Some(r) = rt_mut(sim, &p) {
        end_run(r, now);
    }
    if let Slot::Init(i) = slot {
        if let Some(r) = rt_mut(sim, &p) {
            r.exit_at = None;
        }
        if code == 0 {
            let p = init::completed(sim, p, i);
            ensure_image(sim, p);
            return;
        }
    }
    if let Some(r) = rt_mut(sim, &p) {
        r.stage = Stage::Exited;
        r.stage_at = Some(now.plus_ms(PLEG_RELIST));
        r.exit_at = None;
        r.probe_at = None;
        r.live_at = None;
        r.start_at = None;
        r.ready = false;
    }
    refresh_ready_conditions(sim, &mut p, false, "ContainersNotReady");
    write_status(sim, p);
}

/// A container's image was changed in the pod: the new spec hash has no back-off, so the
/// kubelet starts the new image at once — killing a running container first (it is no
/// longer ready), or retrying a failing one without waiting out the old back-off.
pub fn definition_changed(sim: &mut Sim, p: &Pod) {
    let uid = p.metadata.uid().to_string();
    let Some(stage) = sim
        .kubelet
        .pods
        .get(&uid)
        .filter(|rt| node_up(sim, &rt.node))
        .map(|rt| rt.stage.clone())
    else {
        return;
    };
    // The app container's image: it runs once the init containers have completed.
    if p.metadata.is_terminating() || Slot::of_pod(sim, p) != Slot::App {
        return;
    }
    let mut p = p.clone();
    match stage {
        Stage::Running => {
            let name = p.spec.containers.first().map(|c| c.name.clone());
            event(
                sim,
                &p,
                "Normal",
                "Killing",
                format!(
                    "Container {} definition changed, will be restarted",
                    name.unwrap_or_default()
                ),
            );
            if let Some(cs) = p.status.container_statuses.first_mut() {
                cs.ready = false;
            }
            refresh_ready_conditions(sim, &mut p, false, "ContainersNotReady");
            write_status(sim, p.clone());
        }
        Stage::PullFailed | Stage::PullBackOff | Stage::Exited | Stage::CrashBackOff => {}
        // A sandbox or a start under way picks the new image up as it goes.
        _ => return,
    }
    if let Some(r) = rt_mut(sim, &p) {
        r.exit_at = None;
        r.probe_at = None;
        r.live_at = None;
        r.start_at = None;
        r.ready = false;
        r.pull_backoff = None;
        r.crash_backoff = None;
    }
    ensure_image(sim, p);
    schedule_next(sim, &uid);
}

/// `doBackOff`: restart at once after the first exit, then wait 10 s, 20 s, … (§9.2).
fn crash_backoff_sync(sim: &mut Sim, mut p: Pod) {
    let uid = p.metadata.uid().to_string();
    let Some(rt) = sim.kubelet.pods.get(&uid).cloned() else {
        return;
    };
    let slot = Slot::of(&rt);
    let finished = slot
        .status(&p)
        .and_then(|c| {
            c.state
                .terminated
                .as_ref()
                .map(|t| t.finished_at)
                .or_else(|| c.last_state.terminated.as_ref().map(|t| t.finished_at))
        })
        .unwrap_or(sim.api_now());
    let exited_at = rt
        .started_at
        .map_or(sim.now, |_| sim.now.min(rt.stage_at.unwrap_or(sim.now)))
        .max(finished);
    let now = sim.now;
    // A probe kill and the restart after it happen in one pod sync, whose back-off check
    // (`doBackOff`) reads the pod status from before the kill: it measures from the end of
    // the run before, so slow kill cycles restart at once until the back-off outgrows them.
    if rt.probe_kill && rt.stage == Stage::Exited {
        let before = rt.previous_run.map(|(_, end)| end);
        let waits = before.is_some_and(|ts| {
            rt.crash_backoff
                .is_some_and(|(last, d)| ts.since(last) <= 2 * BACKOFF_MAX && now.since(ts) < d)
        });
        if !waits {
            if let Some(r) = rt_mut(sim, &p) {
                r.probe_kill = false;
                if let Some(ts) = before {
                    r.crash_backoff = Some(next_backoff(r.crash_backoff, ts));
                }
            }
            ensure_image(sim, p);
            return;
        }
    }
    let in_backoff = rt
        .crash_backoff
        .is_some_and(|(_, d)| now.since(exited_at.min(now)) < d && rt.stage == Stage::Exited)
        || rt.stage == Stage::CrashBackOff && rt.stage_at.is_some_and(|t| t > now);
    if in_backoff
        || (rt.stage == Stage::Exited
            && rt
                .crash_backoff
                .is_some_and(|(last, d)| now.since(last) < d + PLEG_RELIST))
    {
        let (_, d) = rt.crash_backoff.unwrap_or((now, BACKOFF_INITIAL));
        let name = slot.name(&p).unwrap_or_default();
        let who = format!("{}_{}({})", p.metadata.name, p.metadata.ns(), uid);
        event(
            sim,
            &p,
            "Warning",
            "BackOff",
            format!("Back-off restarting failed container {name} in pod {who}"),
        );
        let msg = format!(
            "back-off {} restarting failed container={name} pod={who}",
            crate::time::go_duration(d)
        );
        if let Some(cs) = slot.status_mut(&mut p) {
            if let Some(t) = cs.state.terminated.take() {
                cs.last_state = ContainerState {
                    terminated: Some(t),
                    ..Default::default()
                };
            }
            cs.state = waiting("CrashLoopBackOff", Some(msg));
        }
        let restart_at = exit_time(&rt, now).plus_ms(d);
        if let Some(r) = rt_mut(sim, &p) {
            r.stage = Stage::CrashBackOff;
            r.stage_at = Some(restart_at.max(now.plus_ms(1)));
        }
        write_status(sim, p);
        return;
    }
    // Out of back-off: restart the container (the back-off grows for the next exit). The
    // status keeps showing the exit or CrashLoopBackOff until the new container runs.
    if let Some(r) = rt_mut(sim, &p) {
        let exited = exit_time(r, now);
        r.crash_backoff = Some(next_backoff(r.crash_backoff, exited));
    }
    ensure_image(sim, p);
}

/// When the last container exit happened (the stage's start, one relist before it ends).
fn exit_time(rt: &PodRuntime, now: Time) -> Time {
    match rt.stage {
        Stage::Exited => Time(rt.stage_at.unwrap_or(now).0.saturating_sub(PLEG_RELIST)),
        _ => rt.crash_backoff.map_or(now, |(last, _)| last),
    }
}

/// The container's run is over with `code` (`Completed` for 0, `Error` otherwise).
fn set_terminated(cs: &mut ContainerStatus, code: i64, now: Time) {
    let started = cs.state.running.as_ref().map_or(now, |r| r.started_at);
    cs.state = ContainerState {
        terminated: Some(StateTerminated {
            exit_code: code,
            reason: if code == 0 { "Completed" } else { "Error" }.into(),
            started_at: started,
            finished_at: now,
            container_id: cs.container_id.clone(),
        }),
        ..Default::default()
    };
    cs.ready = false;
    cs.started = false;
}

/// A deleted pod whose running container has stopped is terminal before it goes: the kubelet
/// writes phase `Succeeded` (exit 0) or `Failed` with the container's last state
/// (`getPhase` with `podIsTerminal`), which a watch shows as `Completed` or `Error`, 0/1.
fn terminal_status(sim: &mut Sim, mut p: Pod) {
    let Some(rt) = sim.kubelet.pods.get(p.metadata.uid()) else {
        return;
    };
    let (Some(code), slot) = (rt.stopping_exit, Slot::of(rt)) else {
        return;
    };
    let api_now = sim.api_now();
    if let Some(cs) = slot.status_mut(&mut p) {
        set_terminated(cs, code, api_now);
    }
    // An init container stopped before the pod was initialized fails it.
    p.status.phase = if code == 0 && slot == Slot::App {
        "Succeeded"
    } else {
        "Failed"
    }
    .into();
    set_condition(
        sim,
        &mut p,
        "PodReadyToStartContainers",
        "False",
        None,
        None,
    );
    refresh_ready_conditions(sim, &mut p, false, "PodCompleted");
    write_status(sim, p);
}

/// SIGTERM: the pod goes once the program exits, or at the end of the grace period.
fn begin_termination(sim: &mut Sim, p: &Pod) {
    let uid = p.metadata.uid().to_string();
    let Some(rt) = sim.kubelet.pods.get(&uid).cloned() else {
        return;
    };
    let grace = p
        .metadata
        .deletion_grace_period_seconds
        .unwrap_or(30)
        .max(0) as u64
        * SECOND;
    let running = rt.stage == Stage::Running;
    let now = sim.now;
    // The running container, an init container's too, is stopped the same way.
    let slot = Slot::of(&rt);
    let stop = match (running, slot.container(p), run_start(&rt, slot)) {
        (true, Some(c), Some(started)) => {
            event(
                sim,
                p,
                "Normal",
                "Killing",
                format!("Stopping container {}", c.name),
            );
            let (after, code) = stopping(sim, p, &c, started, grace);
            // A program killed at the end of the grace period goes after at least 2 s.
            Some((
                if code == 137 {
                    after.max(2 * SECOND)
                } else {
                    after
                },
                code,
            ))
        }
        _ => None,
    };
    let stop_after = stop.map_or(secs(0.5).min(grace.max(1)), |(after, _)| after);
    if let Some(r) = sim.kubelet.pods.get_mut(&uid) {
        r.stopping_exit = stop.map(|(_, code)| code);
        r.term_at = running.then_some(now);
        r.stage = Stage::Stopping;
        r.stage_at = Some(now.plus_ms(stop_after));
        r.probe_at = None;
        r.live_at = None;
        r.start_at = None;
        r.exit_at = None;
    }
    schedule_next(sim, &uid);
}

/// `ContainerCreating` while an image is pulled or a container created, for a container that
/// has shown nothing else: otherwise the kubelet keeps reporting the last exit, or the last
/// error from its reason cache (`ImagePullBackOff`, `CrashLoopBackOff`), until a new
/// container runs (`convertToAPIContainerStatuses`; k8s-semantics.md §9.2).
fn show_creating(p: &mut Pod, slot: Slot) {
    let shows_nothing = slot.status(p).is_some_and(|cs| {
        cs.state.terminated.is_none() && cs.state.running.is_none() && cs.state.waiting.is_none()
    });
    if shows_nothing {
        set_waiting(p, slot, "ContainerCreating", None);
    }
}

fn set_waiting(p: &mut Pod, slot: Slot, reason: &str, message: Option<String>) {
    if let Some(cs) = slot.status_mut(p) {
        cs.state = waiting(reason, message);
        cs.ready = false;
    }
}

/// Sets a pod condition; the transition time changes only when the status does.
pub fn set_condition(
    sim: &Sim,
    p: &mut Pod,
    type_: &str,
    status: &str,
    reason: Option<&str>,
    message: Option<String>,
) {
    let now = sim.api_now();
    let order = [
        "PodReadyToStartContainers",
        "Initialized",
        "Ready",
        "ContainersReady",
        "PodScheduled",
    ];
    if let Some(c) = p.status.conditions.iter_mut().find(|c| c.type_ == type_) {
        if c.status != status {
            c.last_transition_time = Some(now);
        }
        c.status = status.into();
        c.reason = reason.map(str::to_string);
        c.message = message;
        c.observed_generation = p.metadata.generation;
    } else {
        p.status.conditions.push(PodCondition {
            type_: type_.into(),
            status: status.into(),
            last_probe_time: None,
            last_transition_time: Some(now),
            reason: reason.map(str::to_string),
            message,
            observed_generation: p.metadata.generation,
        });
    }
    crate::order::sort_by_key(&mut p.status.conditions, |c| {
        order
            .iter()
            .position(|o| *o == c.type_)
            .unwrap_or(order.len())
    });
}

fn refresh_ready_conditions(sim: &Sim, p: &mut Pod, ready: bool, reason: &str) {
    if ready {
        set_condition(sim, p, "ContainersReady", "True", None, None);
        set_condition(sim, p, "Ready", "True", None, None);
    } else {
        let names: Vec<&str> = p.spec.containers.iter().map(|c| c.name.as_str()).collect();
        let msg = format!("containers with unready status: [{}]", names.join(" "));
        set_condition(
            sim,
            p,
            "ContainersReady",
            "False",
            Some(reason),
            Some(msg.clone()),
        );
        set_condition(sim, p, "Ready", "False", Some(reason), Some(msg));
    }
}

/// The node's kubelet stops: pods freeze where they are (nothing reports for them).
pub fn stop_node(sim: &mut Sim, node: &str) {
    let now = sim.now;
    if let Some(n) = sim.kubelet.nodes.get_mut(node) {
        if n.up {
            n.up = false;
            n.down_since = Some(now);
            // Nothing in the API changes until the node controller notices, but the machine
            // state is part of what the views show.
            sim.wrote();
        }
    }
}

/// The kubelet comes back: terminating pods are finished off, the others' containers are
/// re-created in a new sandbox (restart count +1 for those that had started).
pub fn start_node(sim: &mut Sim, node: &str) {
    let was_down = sim.kubelet.nodes.get(node).is_some_and(|n| !n.up);
    if !was_down {
        return;
    }
    if let Some(n) = sim.kubelet.nodes.get_mut(node) {
        n.up = true;
        n.down_since = None;
    }
    let pods: Vec<Pod> = sim
        .store
        .pods
        .values()
        .filter(|p| p.spec.node_name.as_deref() == Some(node))
        .cloned()
        .collect();
    for mut p in pods {
        let uid = p.metadata.uid().to_string();
        if p.metadata.is_terminating() {
            let k = key(p.metadata.ns(), &p.metadata.name);
            apiserver::remove_pod(sim, &k);
            continue;
        }
        sim.kubelet.pods.remove(&uid);
        // About the pod as a whole: no field path.
        sim.record_event(
            ObjRef::namespaced("Pod", &p.metadata),
            "Normal",
            "SandboxChanged",
            "Pod sandbox changed, it will be killed and re-created.".into(),
            "kubelet",
            Some(node),
        );
        for cs in &mut p.status.container_statuses {
            if cs.started || cs.state.running.is_some() {
                cs.restart_count += 1;
            }
        }
        write_status(sim, p.clone());
        admit(sim, p, node.to_string());
    }
}

#[cfg(test)]
mod tests {
    use crate::cluster::ClusterConfig;

    #[test]
    fn a_pod_restarted_with_its_node_counts_the_restart() {
        let mut sim = Sim::new(ClusterConfig::default(), 1);
        let out = sim.execute(&crate::command::Command::Kubectl(
            "kubectl create deployment web --image=nginx:1.27 --replicas=1".into(),
        ));
        assert!(out.success());
        sim.advance_to(Time(30 * SECOND));
        let node = sim
            .store
            .pods
            .values()
            .next()
            .unwrap()
            .spec
            .node_name
            .clone()
            .unwrap();
        stop_node(&mut sim, &node);
        sim.advance_to(Time(40 * SECOND));
        start_node(&mut sim, &node);
        sim.advance_to(Time(60 * SECOND));
        // SandboxChanged: the containers that had started count one restart each.
        let p = sim.store.pods.values().next().unwrap();
        assert_eq!(p.status.container_statuses[0].restart_count, 1);
        assert!(p.status.container_statuses[0].state.running.is_some());
    }

    #[test]
    fn a_stopped_machine_is_a_change_the_views_see_at_once() {
        let mut sim = Sim::new(ClusterConfig::default(), 1);
        let before = sim.revision();
        stop_node(&mut sim, "node-1");
        assert!(
            sim.revision() > before,
            "the node view redraws on a revision change"
        );
        let after = sim.revision();
        stop_node(&mut sim, "node-1");
        assert_eq!(sim.revision(), after, "stopping it again changes nothing");
    }
    use super::*;

    #[test]
    fn backoff_doubles_to_five_minutes_and_resets_after_ten() {
        let t = |s: u64| Time(s * SECOND);
        let mut b = next_backoff(None, t(0));
        assert_eq!(b.1, 10 * SECOND);
        for expected in [20, 40, 80, 160, 300, 300] {
            b = next_backoff(Some(b), t(1));
            assert_eq!(b.1, expected * SECOND);
        }
        assert_eq!(
            next_backoff(Some((t(0), 300 * SECOND)), t(601)).1,
            10 * SECOND
        );
    }
}
