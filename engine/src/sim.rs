//! The simulation: virtual clock, seeded RNG, object store, timers and the reconcile loop
//! that runs every controller until the cluster is quiet (k8s-semantics.md Appendix B).
//!
//! Everything that changes the cluster goes through [`Sim::execute`] (a user command) or
//! [`Sim::advance_to`] (time passing). Both are deterministic: the same seed, configuration
//! and commands at the same times give the same journal, byte for byte.

use crate::api::core::{Event, EventSource, ObjectReference};
use crate::cluster::ClusterConfig;
use crate::controllers::{
    cluster_dns, deployment, endpoints, endpointslice, garbage_collector, kubelet,
    kubernetes_service, node_lifecycle, replicaset, scheduler,
};
use crate::correlator::COMBINED;
use crate::rng::Rng;
use crate::store::{Key, Store};
use crate::time::{Time, SECOND};
use std::collections::{BTreeMap, BTreeSet};

/// What the simulation wrote down as it ran, in order: the raw material of transcripts,
/// traces and the UI's change feed.
#[derive(Debug, Clone, PartialEq)]
pub enum Journal {
    Event {
        t: Time,
        type_: String,
        reason: String,
        /// `Kind/namespace/name`
        object: String,
        message: String,
    },
    /// The revision → `spec.replicas` map of a Deployment's ReplicaSets changed.
    ReplicaSets {
        t: Time,
        deployment: Key,
        replicas: BTreeMap<i64, i64>,
        available: BTreeMap<i64, i64>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Timer {
    /// The kubelet has something to do for the pod with this UID.
    Pod(String),
    /// A controller asked to be re-queued (availability re-count, progress deadline, retries).
    Wake,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Timers {
    queue: BTreeSet<(Time, u64, Timer)>,
    seq: u64,
    /// Pending wake-up times, so repeated re-queues for one instant stay one timer.
    wakes: BTreeSet<Time>,
}

impl Timers {
    pub fn at(&mut self, t: Time, what: Timer) {
        if what == Timer::Wake && !self.wakes.insert(t) {
            return;
        }
        self.seq += 1;
        self.queue.insert((t, self.seq, what));
    }
    pub fn next_time(&self) -> Option<Time> {
        self.queue.first().map(|(t, _, _)| *t)
    }
    fn pop_due(&mut self, now: Time) -> Option<Timer> {
        if self.queue.first().is_none_or(|(t, _, _)| *t > now) {
            return None;
        }
        let (t, _, w) = self.queue.pop_first()?;
        if w == Timer::Wake {
            self.wakes.remove(&t);
        }
        Some(w)
    }
}

/// Re-queue state of a controller key after a failure (the workqueue's exponential limiter).
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Backoff {
    pub failures: u32,
    pub retry_at: Time,
}

/// A reference to an object for events.
#[derive(Debug, Clone, PartialEq)]
pub struct ObjRef {
    pub kind: &'static str,
    pub namespace: Option<String>,
    pub name: String,
    pub uid: String,
    /// The part of the object the event is about: `spec.containers{web}`.
    pub field_path: Option<String>,
}

impl ObjRef {
    /// The whole of a namespaced object.
    pub fn namespaced(kind: &'static str, meta: &crate::api::meta::ObjectMeta) -> ObjRef {
        ObjRef {
            kind,
            namespace: Some(meta.ns().to_string()),
            name: meta.name.clone(),
            uid: meta.uid().to_string(),
            field_path: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Sim {
    pub now: Time,
    pub seed: u64,
    pub rng: Rng,
    pub store: Store,
    pub config: ClusterConfig,
    pub journal: Vec<Journal>,
    /// Files `kubectl apply -f NAME` can read (the scenario's manifests, the editor).
    pub files: BTreeMap<String, String>,
    /// Simulated client load on Services and what became of it.
    pub traffic: crate::traffic::Traffic,
    pub(crate) kubelet: kubelet::Runtime,
    /// The Services the cluster DNS has served, and when.
    pub(crate) dns: cluster_dns::Records,
    pub(crate) timers: Timers,
    pub(crate) rs_backoff: BTreeMap<Key, Backoff>,
    pub(crate) scheduler: scheduler::State,
    pub(crate) node_lifecycle: node_lifecycle::State,
    /// When the deleted `default/kubernetes` Service (or its endpoints) comes back.
    pub(crate) kubernetes_service_due: Option<Time>,
    /// Incremented by every store write; the reconcile loop stops when a round writes nothing.
    pub(crate) writes: u64,
    last_rs_maps: BTreeMap<Key, BTreeMap<i64, i64>>,
    event_seq: u64,
    /// `kubectl exec` commands run so far: each draws its own kube-proxy picks, so the same
    /// request repeated at one paused instant can reach another pod, as it would.
    pub(crate) exec_seq: u64,
    /// Work done so far, in rough units (a pod's timer, a pass of the controllers over a
    /// few dozen pods): what bounds replaying a saved state.
    pub(crate) work: u64,
    /// Where each distinct event is in `store.events`, for aggregation, under a hash of what
    /// makes two events the same; colliding events take the next free hash.
    event_index: BTreeMap<u64, usize>,
    /// The earliest time an event can have outlived `EVENT_TTL` since its last update (a
    /// repeated event's update postpones only its own expiry).
    events_expire_at: u64,
    /// Similar events and event bursts, as the recorders' `EventCorrelator` tracks them.
    correlator: crate::correlator::Correlator,
    /// Occurrences the spam filter held back, by event key hash: how many and since when.
    /// The recorder keeps counting them, and the next write that passes carries them.
    held_back: BTreeMap<u64, (i64, Time)>,
}

/// Events live one hour after their last update in the API server (`--event-ttl`).
const EVENT_TTL: u64 = 3_600_000;

/// When an event last updated at `t` (ms) is gone: its TTL has passed at the next whole
/// minute, as etcd leases shared by the events of a minute (`--lease-reuse-duration-seconds`)
/// expire together. Expiring a minute's events in one pass keeps a long session from
/// re-indexing the events at every timer.
fn expiry_pass(t: u64) -> u64 {
    (t + EVENT_TTL + 1).div_ceil(60_000) * 60_000
}

/// What makes two events "the same" for aggregation: object kind, name and UID, the field
/// path (which container), reason, message, type and reporting component.
#[derive(Clone, Copy)]
struct EventKey<'a>([&'a str; 8]);

impl<'a> EventKey<'a> {
    fn of(e: &'a Event) -> EventKey<'a> {
        let o = &e.involved_object;
        // A combined event stands for all its similar events, whatever its latest message.
        let message = if e.message.starts_with(COMBINED) {
            COMBINED
        } else {
            &e.message
        };
        EventKey([
            &o.kind,
            &o.name,
            &o.uid,
            // The container an event is about (`getEventKey` includes the field path).
            o.field_path.as_deref().unwrap_or(""),
            &e.reason,
            message,
            &e.type_,
            &e.source.component,
        ])
    }

    /// FNV-1a over the fields, each ended by a byte no UTF-8 text contains.
    fn hash(self) -> u64 {
        let fields = self.0.into_iter();
        crate::api::hash::fnv64(fields.flat_map(|f| f.bytes().chain([0xff])))
    }
}

/// The index of the event `key` names, or the free slot it would take.
fn find_event(index: &BTreeMap<u64, usize>, events: &[Event], key: EventKey) -> Result<usize, u64> {
    let mut h = key.hash();
    while let Some(&i) = index.get(&h) {
        if events.get(i).is_some_and(|e| EventKey::of(e).0 == key.0) {
            return Ok(i);
        }
        h = h.wrapping_add(1);
    }
    Err(h)
}

fn index_events(events: &[Event]) -> BTreeMap<u64, usize> {
    let mut index = BTreeMap::new();
    for (i, e) in events.iter().enumerate() {
        if let Err(slot) = find_event(&index, events, EventKey::of(e)) {
            index.insert(slot, i);
        }
    }
    index
}

/// Upper bound of controller rounds at one instant; reaching it means a controller bug,
/// reported as a warning event instead of hanging the page.
const MAX_ROUNDS: usize = 10_000;

impl Sim {
    pub fn new(config: ClusterConfig, seed: u64) -> Sim {
        let mut sim = Sim {
            now: Time::ZERO,
            seed,
            rng: Rng::new(seed),
            store: Store::default(),
            config,
            journal: Vec::new(),
            files: BTreeMap::new(),
            traffic: Default::default(),
            kubelet: kubelet::Runtime::default(),
            dns: cluster_dns::Records::default(),
            timers: Timers::default(),
            rs_backoff: BTreeMap::new(),
            scheduler: scheduler::State::default(),
            node_lifecycle: node_lifecycle::State::default(),
            kubernetes_service_due: None,
            writes: 0,
            last_rs_maps: BTreeMap::new(),
            event_seq: 0,
            exec_seq: 0,
            work: 0,
            event_index: BTreeMap::new(),
            events_expire_at: u64::MAX,
            correlator: Default::default(),
            held_back: BTreeMap::new(),
        };
        crate::apiserver::bootstrap(&mut sim);
        sim.reconcile();
        sim
    }

    /// Time truncated to whole seconds, as the API server stores timestamps.
    pub fn api_now(&self) -> Time {
        Time(self.now.0 / SECOND * SECOND)
    }

    /// Changes whenever anything in the cluster changed (for renderers that redraw on change).
    pub fn revision(&self) -> u64 {
        self.writes
    }

    /// The work done so far, in the units that bound a restore.
    pub fn work_done(&self) -> u64 {
        self.work
    }

    pub fn next_timer(&self) -> Option<Time> {
        self.timers.next_time()
    }

    /// Runs the cluster forward to `t`, handling every timer on the way. Client requests
    /// due before each change are sent against the cluster as it was until then.
    pub fn advance_to(&mut self, t: Time) {
        while let Some(next) = self.timers.next_time() {
            if next > t {
                break;
            }
            crate::traffic::run_until(self, next);
            self.now = self.now.max(next);
            let before = self.writes;
            // The controllers act on what is stored: after timers that only re-armed
            // themselves (a readiness probe with the same answer), a pass would change
            // nothing, and skipping it keeps long runs of many probed pods cheap. A wake-up
            // is a controller's own request to look again, so it always gets its pass.
            if self.fire_due_timers() || self.writes != before {
                self.reconcile();
            }
        }
        crate::traffic::run_until(self, t);
        self.now = self.now.max(t);
        // Expiry is not a controller's write, but renderers should show the shorter list.
        if self.expire_events() {
            self.writes += 1;
        }
    }

    /// Runs to the next moment something happens and returns it (`None` when nothing is
    /// scheduled: the cluster is settled).
    pub fn step(&mut self) -> Option<Time> {
        let next = self.timers.next_time()?;
        self.advance_to(next);
        Some(next)
    }

    /// Steps until a timer changes something visible (a write), or until `limit`.
    pub fn step_to_change(&mut self, limit: Time) -> Option<Time> {
        let start = self.writes;
        while let Some(next) = self.timers.next_time() {
            if next > limit {
                self.advance_to(limit);
                return None;
            }
            self.advance_to(next);
            if self.writes != start {
                return Some(next);
            }
        }
        None
    }

    /// Handles every timer due now; whether one of them was a controller's wake-up.
    fn fire_due_timers(&mut self) -> bool {
        let mut woke = false;
        while let Some(timer) = self.timers.pop_due(self.now) {
            self.work += 1;
            match timer {
                Timer::Pod(uid) => kubelet::on_timer(self, &uid),
                Timer::Wake => woke = true,
            }
        }
        woke
    }

    /// Runs every controller until a whole round writes nothing.
    pub(crate) fn reconcile(&mut self) {
        for _ in 0..MAX_ROUNDS {
            self.work += 1 + self.store.pods.len() as u64 / 32;
            let before = self.writes;
            garbage_collector::sync(self);
            node_lifecycle::sync(self);
            let deployments: Vec<Key> = self.store.deployments.keys().cloned().collect();
            for k in &deployments {
                deployment::sync(self, k);
                self.note_replica_sets(k);
            }
            let replicasets: Vec<Key> = self.store.replicasets.keys().cloned().collect();
            for k in &replicasets {
                replicaset::sync(self, k);
            }
            for k in &deployments {
                self.note_replica_sets(k);
            }
            scheduler::sync(self);
            kubelet::sync(self);
            endpoints::sync(self);
            endpointslice::sync(self);
            kubernetes_service::sync(self);
            cluster_dns::sync(self);
            if self.writes == before {
                return;
            }
        }
        self.record_event(
            ObjRef {
                kind: "Node",
                namespace: None,
                name: "kubesim".into(),
                uid: String::new(),
                field_path: None,
            },
            "Warning",
            "ReconcileLimit",
            "controllers did not settle; the simulation stopped this instant early".into(),
            "kubesim",
            None,
        );
    }

    pub(crate) fn wake_at(&mut self, t: Time) {
        let t = t.max(self.now);
        self.timers.at(t, Timer::Wake);
    }

    pub(crate) fn pod_timer(&mut self, t: Time, uid: &str) {
        self.timers.at(t.max(self.now), Timer::Pod(uid.to_string()));
    }

    pub(crate) fn wrote(&mut self) {
        self.writes += 1;
    }

    /// Records an event the way `record.EventRecorder` does: an identical event (same object,
    /// type, reason, message, source) bumps the existing one's count and last timestamp.
    pub fn record_event(
        &mut self,
        obj: ObjRef,
        type_: &str,
        reason: &str,
        message: String,
        component: &str,
        host: Option<&str>,
    ) {
        let now = self.api_now();
        let object = match &obj.namespace {
            Some(ns) => format!("{}/{}/{}", obj.kind, ns, obj.name),
            None => format!("{}/{}", obj.kind, obj.name),
        };
        self.journal.push(Journal::Event {
            t: self.now,
            type_: type_.to_string(),
            reason: reason.to_string(),
            object,
            message: message.clone(),
        });
        // Within a reconcile round expiry counts as no write, so the round can still settle.
        self.expire_events();
        let ns = obj.namespace.as_deref().unwrap_or("");
        let source = format!("{component}\u{0}{}", host.unwrap_or(""));
        let object = format!("{}\u{0}{ns}\u{0}{}\u{0}{}", obj.kind, obj.name, obj.uid);
        // The scheduler writes events.k8s.io events, which this correlator does not touch.
        let correlated = component != "default-scheduler";
        let similar = format!("{source}\u{0}{object}\u{0}{type_}\u{0}{reason}");
        let (message, key_message) =
            if correlated && self.correlator.combines(similar, &message, self.now) {
                (format!("{COMBINED}{message}"), COMBINED.to_string())
            } else {
                (message.clone(), message)
            };
        let key = EventKey([
            obj.kind,
            &obj.name,
            &obj.uid,
            obj.field_path.as_deref().unwrap_or(""),
            reason,
            &key_message,
            type_,
            component,
        ]);
        if correlated
            && !self
                .correlator
                .accepts(format!("{source}\u{0}{object}"), self.now)
        {
            // Counts held back for over an hour would only revive an expired event.
            if self.held_back.len() >= 4096 && self.held_back.len().is_power_of_two() {
                let now_ms = now.0;
                self.held_back
                    .retain(|_, (_, first)| now_ms.saturating_sub(first.0) < EVENT_TTL);
            }
            let held = self.held_back.entry(key.hash()).or_insert((0, now));
            held.0 += 1;
            return;
        }
        let (held, first) = self.held_back.remove(&key.hash()).unwrap_or((0, now));
        let slot = match find_event(&self.event_index, &self.store.events, key) {
            Ok(i) => {
                let e = &mut self.store.events[i];
                e.count += 1 + held;
                e.last_timestamp = now;
                e.message = message;
                self.store.resource_version += 1;
                e.metadata.resource_version = Some(self.store.resource_version.to_string());
                return;
            }
            Err(slot) => slot,
        };
        self.event_seq += 1;
        let nanos = (crate::time::EPOCH_UNIX_SECONDS as u64 * 1_000_000_000)
            .wrapping_add(self.now.0 * 1_000_000)
            .wrapping_add(self.event_seq);
        let rv = self.store.next_resource_version();
        let uid = self.rng.uid();
        let ns = obj.namespace.clone().unwrap_or_else(|| "default".into());
        let api_version = match obj.kind {
            "Deployment" | "ReplicaSet" => Some("apps/v1".to_string()),
            _ => Some("v1".to_string()),
        };
        self.event_index.insert(slot, self.store.events.len());
        self.store.events.push(Event {
            api_version: "v1".into(),
            kind: "Event".into(),
            metadata: crate::api::meta::ObjectMeta {
                name: format!("{}.{:x}", obj.name, nanos),
                namespace: Some(ns),
                uid: Some(uid),
                resource_version: Some(rv),
                creation_timestamp: Some(now),
                ..Default::default()
            },
            involved_object: ObjectReference {
                kind: obj.kind.to_string(),
                namespace: obj.namespace,
                name: obj.name,
                uid: obj.uid,
                api_version,
                field_path: obj.field_path,
            },
            reason: reason.to_string(),
            message,
            source: EventSource {
                component: component.to_string(),
                host: host.map(str::to_string),
            },
            first_timestamp: first,
            last_timestamp: now,
            count: 1 + held,
            type_: type_.to_string(),
            reporting_component: component.to_string(),
            reporting_instance: host.unwrap_or("").to_string(),
        });
        self.events_expire_at = self.events_expire_at.min(expiry_pass(now.0));
    }

    /// Drops the events whose last update is more than `EVENT_TTL` ago; says whether any went.
    fn expire_events(&mut self) -> bool {
        if self.now.0 < self.events_expire_at {
            return false;
        }
        let now = self.now.0;
        let before = self.store.events.len();
        self.store
            .events
            .retain(|e| expiry_pass(e.last_timestamp.0) > now);
        self.event_index = index_events(&self.store.events);
        let oldest = self.store.events.iter().map(|e| e.last_timestamp.0).min();
        self.events_expire_at = oldest.map_or(u64::MAX, expiry_pass);
        self.store.events.len() < before
    }

    /// Journals the revision → replicas map of a Deployment's ReplicaSets when it changed.
    fn note_replica_sets(&mut self, dkey: &Key) {
        let Some(d) = self.store.deployments.get(dkey) else {
            self.last_rs_maps.remove(dkey);
            return;
        };
        let uid = d.metadata.uid().to_string();
        let mut replicas = BTreeMap::new();
        let mut available = BTreeMap::new();
        for rs in self.store.replicasets_owned_by(&dkey.0, &uid) {
            *replicas.entry(rs.revision()).or_insert(0) += rs.spec.replicas;
            *available.entry(rs.revision()).or_insert(0) += rs.status.available_replicas;
        }
        if self.last_rs_maps.get(dkey) != Some(&replicas) {
            self.last_rs_maps.insert(dkey.clone(), replicas.clone());
            self.journal.push(Journal::ReplicaSets {
                t: self.now,
                deployment: dkey.clone(),
                replicas,
                available,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pod(name: &str) -> ObjRef {
        ObjRef {
            kind: "Pod",
            namespace: Some("default".into()),
            name: name.into(),
            uid: format!("uid-{name}"),
            field_path: None,
        }
    }

    fn record(sim: &mut Sim, name: &str, reason: &str) {
        let message = format!("{reason} {name}");
        sim.record_event(
            pod(name),
            "Normal",
            reason,
            message,
            "kubelet",
            Some("node-1"),
        );
    }

    fn events(sim: &Sim) -> Vec<(String, i64)> {
        let list = sim.store.events.iter();
        list.map(|e| (e.reason.clone(), e.count)).collect()
    }

    #[test]
    fn the_same_event_again_counts_up_and_a_different_one_is_new() {
        let mut sim = Sim::new(ClusterConfig::default(), 1);
        record(&mut sim, "a", "Pulled");
        record(&mut sim, "a", "Pulled");
        record(&mut sim, "b", "Pulled");
        record(&mut sim, "a", "Started");
        record(&mut sim, "a", "Pulled");
        let want = [("Pulled", 3), ("Pulled", 1), ("Started", 1)];
        let want: Vec<_> = want.iter().map(|(r, c)| (r.to_string(), *c)).collect();
        assert_eq!(events(&sim), want);
    }

    #[test]
    fn each_event_expires_in_the_minute_after_an_hour_since_its_last_update() {
        let mut sim = Sim::new(ClusterConfig::default(), 1);
        // The first event keeps being repeated; the second is never updated again.
        record(&mut sim, "a", "BackOff");
        record(&mut sim, "b", "Killing");
        for minute in (10..=70).step_by(10) {
            sim.advance_to(Time(minute * 60_000));
            record(&mut sim, "a", "BackOff");
        }
        assert_eq!(events(&sim), [("BackOff".to_string(), 8)]);
        // With nothing recorded any more, the last one goes an hour after its last update,
        // at the next whole minute (the minute's shared etcd lease expires).
        sim.advance_to(Time(130 * 60_000 + 1));
        assert_eq!(events(&sim).len(), 1);
        sim.advance_to(Time(131 * 60_000 - 1));
        assert_eq!(events(&sim).len(), 1);
        let writes = sim.writes;
        sim.advance_to(Time(131 * 60_000));
        assert!(events(&sim).is_empty());
        assert!(sim.writes > writes, "renderers learn that the list changed");
        // An event recorded after that is new again and is found for aggregation.
        record(&mut sim, "a", "BackOff");
        record(&mut sim, "a", "BackOff");
        assert_eq!(events(&sim), [("BackOff".to_string(), 2)]);
    }
}
