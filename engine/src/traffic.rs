//! Simulated client load on Services: each stream sends a fixed number of requests per
//! simulated second to one Service, spread round-robin over the endpoints kube-proxy would
//! pick at that instant — the ready ones, or, when none is ready, those still serving while
//! they terminate (`ProxyTerminatingEndpoints`). A request fails when there is no endpoint,
//! or when the pod behind the chosen endpoint does not really answer: Ready (it has no
//! readiness probe) while its program is still starting, shutting down, listening on another
//! port, or on a node that is down.
//!
//! Requests are produced lazily by [`run_until`], which [`Sim::advance_to`] calls before each
//! instant at which the cluster changes: between two changes the endpoints are constant, so
//! the outcome of every request in between is known, and how time is split into
//! `advance_to` calls changes nothing. A request at exactly the instant of a change sees the
//! cluster after it. Nothing here touches the RNG or the store.

use crate::api::apps::Deployment;
use crate::api::core::PodTemplateSpec;
use crate::api::endpoints::Endpoint;
use crate::controllers::deployment::util::find_new_replica_set;
use crate::controllers::kubelet::{self, NoAnswer};
use crate::sim::Sim;
use crate::store::{key, Key};
use crate::time::{Time, SECOND};
use std::collections::{BTreeMap, VecDeque};

/// Per-second history kept (30 simulated minutes).
const KEEP_SECONDS: usize = 1800;
/// Individual requests kept, for animating them.
const KEEP_REQUESTS: usize = 50;
/// The largest load a stream may be given.
pub const MAX_RPS: u32 = 1000;

/// Why a request failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Failure {
    /// The Service does not exist (the name does not resolve).
    NoService,
    /// The Service has no endpoint to send to.
    NoEndpoints,
    /// The pod is Ready (it has no readiness probe) but its program has not started serving.
    NotServingYet,
    /// Nothing listens: the container is not running, is shutting down, or uses another port.
    Refused,
    /// The program answers with an error.
    ServerError,
    /// The pod's node is down; the kubelet cannot report it, so it stays an endpoint until
    /// the node lifecycle controller marks it not ready.
    TimedOut,
}

impl Failure {
    pub fn text(self) -> &'static str {
        match self {
            Failure::NoService => "service not found",
            Failure::NoEndpoints => "no ready endpoints",
            Failure::NotServingYet => "pod not serving yet",
            Failure::Refused => "connection refused",
            Failure::ServerError => "HTTP 503 from pod",
            Failure::TimedOut => "connection timed out",
        }
    }
}

/// Every load generator of the simulation, by Service `(namespace, name)`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Traffic {
    pub(crate) streams: BTreeMap<Key, Stream>,
}

/// The load on one Service and what became of it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Stream {
    pub rps: u32,
    /// Request `k` of the current schedule is sent at `start + k·1000/rps` ms.
    start: Time,
    next: u64,
    /// Round-robin position over the endpoints.
    turn: u64,
    pub seconds: VecDeque<Second>,
    pub totals: Totals,
    pub recent: VecDeque<Request>,
    pub served: u64,
    pub failed: u64,
    /// The Deployment behind the Service (UID) and its pod template when counting started.
    rollout: Option<(String, PodTemplateSpec)>,
}

/// One simulated second of a stream.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Second {
    pub start: Time,
    /// `(revision, requests served by its pods)`, by revision.
    pub served: Vec<(i64, u32)>,
    pub failed: u32,
    /// The fewest endpoints requests could go to during the second (the capacity left).
    pub endpoints: u32,
}

impl Second {
    /// Nothing served and something failed: the Service was down for this second.
    pub fn is_outage(&self) -> bool {
        self.failed > 0 && self.served.iter().all(|(_, n)| *n == 0)
    }
}

/// Counts since the latest rollout of the Deployment behind the Service started (its pod
/// template changed), or since the stream started.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Totals {
    pub since: Time,
    /// The revision of the Deployment's new ReplicaSet (none while Recreate has not created
    /// it yet): requests its pods serve count as new, the others as old. Without a
    /// Deployment behind the Service every served request counts as new.
    pub revision: Option<i64>,
    tracked: bool,
    pub served_new: u64,
    pub served_old: u64,
    pub failed: u64,
    pub failed_by: BTreeMap<Failure, u64>,
    /// Seconds (from `since` on) in which nothing was served and something failed.
    pub outage_seconds: u64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    pub at: Time,
    /// The pod the request was sent to.
    pub pod: Option<String>,
    pub revision: Option<i64>,
    pub failure: Option<Failure>,
}

impl Stream {
    fn time_of(&self, k: u64) -> Time {
        self.start.plus_ms(k * SECOND / self.rps.max(1) as u64)
    }

    fn due_before(&self, t: Time) -> bool {
        self.rps > 0 && self.time_of(self.next) < t
    }

    fn record(&mut self, r: Request, endpoints: u32) {
        let start = Time(r.at.0 / SECOND * SECOND);
        let gap = self.seconds.back().map(|b| b.start);
        match gap {
            Some(last) if last == start => {}
            Some(last) if start.since(last) / SECOND <= KEEP_SECONDS as u64 => {
                let mut t = last.plus_ms(SECOND);
                while t < start {
                    self.seconds.push_back(Second {
                        start: t,
                        ..Default::default()
                    });
                    t = t.plus_ms(SECOND);
                }
                self.seconds.push_back(new_second(start, endpoints));
            }
            _ => {
                self.seconds.clear();
                self.seconds.push_back(new_second(start, endpoints));
            }
        }
        while self.seconds.len() > KEEP_SECONDS {
            self.seconds.pop_front();
        }
        let counts = start.plus_ms(SECOND) > self.totals.since;
        let second = self.seconds.back_mut().expect("pushed above");
        let was_outage = second.is_outage();
        second.endpoints = second.endpoints.min(endpoints);
        match (r.failure, r.revision) {
            (None, rev) => {
                let rev = rev.unwrap_or(0);
                match second.served.iter_mut().find(|(x, _)| *x == rev) {
                    Some((_, n)) => *n += 1,
                    None => {
                        second.served.push((rev, 1));
                        crate::order::sort(&mut second.served);
                    }
                }
                self.served += 1;
                if !self.totals.tracked || self.totals.revision == Some(rev) {
                    self.totals.served_new += 1;
                } else {
                    self.totals.served_old += 1;
                }
            }
            (Some(f), _) => {
                second.failed += 1;
                self.failed += 1;
                self.totals.failed += 1;
                *self.totals.failed_by.entry(f).or_insert(0) += 1;
            }
        }
        if counts && second.is_outage() && !was_outage {
            self.totals.outage_seconds += 1;
        } else if counts && was_outage && !second.is_outage() {
            self.totals.outage_seconds -= 1;
        }
        self.recent.push_back(r);
        while self.recent.len() > KEEP_REQUESTS {
            self.recent.pop_front();
        }
    }
}

fn new_second(start: Time, endpoints: u32) -> Second {
    Second {
        start,
        endpoints,
        ..Default::default()
    }
}

impl Traffic {
    /// Sends `rps` requests per second to the Service from `from` on (0 stops the stream;
    /// its history is kept).
    pub fn set(&mut self, ns: &str, service: &str, rps: u32, from: Time) {
        let s = self.streams.entry(key(ns, service)).or_default();
        s.rps = rps.min(MAX_RPS);
        s.start = from;
        s.next = 0;
    }

    pub fn is_empty(&self) -> bool {
        self.streams.is_empty()
    }

    pub fn stream(&self, ns: &str, service: &str) -> Option<&Stream> {
        self.streams.get(&key(ns, service))
    }

    pub fn streams(&self) -> impl Iterator<Item = (&Key, &Stream)> {
        self.streams.iter()
    }
}

/// One endpoint requests may go to, and how its pod answers.
pub(crate) struct Backend {
    pub(crate) pod: String,
    pub(crate) revision: i64,
    /// From when the pod's program answers, or why it does not.
    pub(crate) answer: Result<Time, Failure>,
}

/// Sends every request due before `t`, against the cluster as it is now.
pub(crate) fn run_until(sim: &mut Sim, t: Time) {
    if sim.traffic.streams.is_empty() {
        return;
    }
    let mut traffic = std::mem::take(&mut sim.traffic);
    for (k, s) in traffic.streams.iter_mut() {
        s.run_until(sim, k, t);
    }
    sim.traffic = traffic;
}

impl Stream {
    fn run_until(&mut self, sim: &Sim, k: &Key, t: Time) {
        let deployment = backing_deployment(sim, k);
        let same_rollout = match (&self.rollout, deployment) {
            (Some((uid, tpl)), Some(d)) => uid == d.metadata.uid() && *tpl == d.spec.template,
            (None, None) => self.served + self.failed > 0,
            _ => false,
        };
        if !same_rollout {
            // A new rollout (or the first look at the Deployment): start counting again.
            let since = if self.served + self.failed == 0 {
                self.time_of(self.next).max(sim.now)
            } else {
                sim.now
            };
            self.rollout =
                deployment.map(|d| (d.metadata.uid().to_string(), d.spec.template.clone()));
            self.totals = Totals {
                since,
                tracked: deployment.is_some(),
                ..Default::default()
            };
        }
        self.totals.revision = deployment.and_then(|d| new_revision(sim, d));
        if !self.due_before(t) {
            return;
        }
        let route = sim
            .store
            .services
            .get(k)
            .ok_or(Failure::NoService)
            .and_then(|svc| {
                let sp = svc.spec.ports.first().ok_or(Failure::NoEndpoints)?;
                backends(sim, k, sp.name.as_deref().unwrap_or(""))
            });
        let endpoints = route.as_ref().map_or(0, |b| b.len() as u32);
        while self.due_before(t) {
            let at = self.time_of(self.next);
            self.next += 1;
            let r = match &route {
                Err(f) => Request {
                    at,
                    pod: None,
                    revision: None,
                    failure: Some(*f),
                },
                Ok(list) => {
                    let b = &list[(self.turn % list.len() as u64) as usize];
                    self.turn += 1;
                    let failure = match b.answer {
                        Ok(from) if at >= from => None,
                        Ok(_) => Some(Failure::NotServingYet),
                        Err(f) => Some(f),
                    };
                    Request {
                        at,
                        pod: Some(b.pod.clone()),
                        revision: Some(b.revision),
                        failure,
                    }
                }
            };
            self.record(r, endpoints);
        }
    }
}

/// The endpoints kube-proxy would balance the Service's port `port_name` over now, in pod
/// name order.
pub(crate) fn backends(sim: &Sim, k: &Key, port_name: &str) -> Result<Vec<Backend>, Failure> {
    let mut all: Vec<(&Endpoint, i64)> = Vec::new();
    for slice in sim.store.slices_of_service(&k.0, &k.1) {
        let Some(port) = slice
            .ports
            .iter()
            .find(|p| p.name.as_deref().unwrap_or("") == port_name)
            .and_then(|p| p.port)
        else {
            continue;
        };
        all.extend(
            slice
                .endpoints
                .iter()
                .filter(|e| e.pod_name().is_some())
                .map(|e| (e, port)),
        );
    }
    // `CategorizeEndpoints`: the ready endpoints; when there are none, the ones still serving
    // while they terminate.
    let mut chosen: Vec<(&Endpoint, i64)> =
        all.iter().copied().filter(|(e, _)| e.is_ready()).collect();
    if chosen.is_empty() {
        chosen = all
            .into_iter()
            .filter(|(e, _)| e.is_serving() && e.is_terminating())
            .collect();
    }
    if chosen.is_empty() {
        return Err(Failure::NoEndpoints);
    }
    let mut out: Vec<Backend> = chosen
        .into_iter()
        .map(|(e, port)| {
            let name = e.pod_name().unwrap_or_default().to_string();
            let pod = sim.store.pods.get(&key(&k.0, &name)).filter(|p| {
                e.target_ref
                    .as_ref()
                    .is_some_and(|r| r.uid == p.metadata.uid())
            });
            let revision = pod.map_or(0, |p| crate::view::revision_of_pod(sim, p));
            let answer = match pod {
                None => Err(Failure::Refused),
                Some(p) => kubelet::answers(sim, p, port).map_err(|e| match e {
                    NoAnswer::NodeDown => Failure::TimedOut,
                    NoAnswer::Refused => Failure::Refused,
                    NoAnswer::Unhealthy => Failure::ServerError,
                }),
            };
            Backend {
                pod: name,
                revision,
                answer,
            }
        })
        .collect();
    crate::order::sort_by(&mut out, |a, b| a.pod.cmp(&b.pod));
    Ok(out)
}

/// The Deployment whose pods the Service selects (the first by name if several do).
fn backing_deployment<'a>(sim: &'a Sim, k: &Key) -> Option<&'a Deployment> {
    let svc = sim.store.services.get(k)?;
    if svc.spec.selector.is_empty() {
        return None;
    }
    sim.store
        .deployments
        .values()
        .filter(|d| d.metadata.ns() == k.0)
        .find(|d| {
            svc.spec
                .selector
                .iter()
                .all(|(l, v)| d.spec.template.metadata.labels.get(l) == Some(v))
        })
}

/// The revision of the Deployment's new ReplicaSet, if it exists yet.
fn new_revision(sim: &Sim, d: &Deployment) -> Option<i64> {
    let owned: Vec<_> = sim
        .store
        .replicasets_owned_by(d.metadata.ns(), d.metadata.uid())
        .collect();
    find_new_replica_set(d, &owned).map(|rs| rs.revision())
}

/// The revision whose pods' answers count as new for the Service's traffic.
pub(crate) fn current_revision(sim: &Sim, k: &Key) -> Option<i64> {
    backing_deployment(sim, k).and_then(|d| new_revision(sim, d))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn served(at: u64, rev: i64) -> Request {
        Request {
            at: Time(at),
            pod: Some("web-1".into()),
            revision: Some(rev),
            failure: None,
        }
    }

    fn failed(at: u64) -> Request {
        Request {
            at: Time(at),
            pod: None,
            revision: None,
            failure: Some(Failure::NoEndpoints),
        }
    }

    #[test]
    fn requests_are_spread_evenly_over_each_second() {
        let mut t = Traffic::default();
        t.set("default", "web", 3, Time(1_000));
        let s = t.stream("default", "web").unwrap();
        let times: Vec<u64> = (0..5).map(|k| s.time_of(k).0).collect();
        assert_eq!(times, vec![1_000, 1_333, 1_666, 2_000, 2_333]);
        assert!(s.due_before(Time(1_001)) && !s.due_before(Time(1_000)));
    }

    #[test]
    fn an_outage_second_counts_until_something_is_served_in_it() {
        let mut s = Stream {
            rps: 10,
            totals: Totals {
                tracked: true,
                revision: Some(2),
                ..Default::default()
            },
            ..Default::default()
        };
        s.record(failed(1_000), 0);
        assert_eq!(s.totals.outage_seconds, 1);
        s.record(served(1_500, 2), 1);
        assert_eq!(
            s.totals.outage_seconds, 0,
            "the second was not a full outage"
        );
        s.record(failed(4_200), 0);
        assert_eq!(s.totals.outage_seconds, 1);
        // Seconds without requests in between are kept, empty, so the history is contiguous.
        let starts: Vec<u64> = s.seconds.iter().map(|b| b.start.0).collect();
        assert_eq!(starts, vec![1_000, 2_000, 3_000, 4_000]);
        assert_eq!(s.seconds[0].endpoints, 0);
        s.record(served(4_300, 1), 1);
        assert_eq!((s.totals.served_new, s.totals.served_old), (1, 1));
        assert_eq!(s.seconds[3].served, vec![(1, 1)]);
    }

    #[test]
    fn history_is_bounded() {
        let mut s = Stream {
            rps: 1,
            ..Default::default()
        };
        for i in 0..(KEEP_SECONDS as u64 + 100) {
            s.record(served(i * 1_000, 1), 1);
        }
        assert_eq!(s.seconds.len(), KEEP_SECONDS);
        assert_eq!(s.recent.len(), KEEP_REQUESTS);
        assert_eq!(s.seconds[0].start, Time(100_000));
    }
}
