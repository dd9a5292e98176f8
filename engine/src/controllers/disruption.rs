//! The node lifecycle controller's NoExecute tainter (`node_lifecycle_controller.go`): a
//! silent node waits in its zone's queue for the `unreachable:NoExecute` taint, which the
//! zone hands out at `--node-eviction-rate` (one node every 10 s). How much of a zone is
//! not ready sets that rate: a zone with more than two nodes and at least 55 % of them not
//! ready is partially disrupted and taints no more (one node every 100 s above 50 nodes);
//! when every node of every zone is not ready, the controller assumes the fault is its own
//! or the network's ("master disruption mode"): it removes the NoExecute taints and
//! taints nothing until a node is ready again.

use super::node_lifecycle::{is_ready, UNREACHABLE};
use crate::api::core::{Node, Taint};
use crate::apiserver;
use crate::sim::Sim;
use crate::time::{Time, SECOND};
use std::collections::BTreeMap;

/// `--node-eviction-rate` 0.1: one taint every 10 s, with a burst of one.
const NORMAL_INTERVAL: u64 = 10 * SECOND;
/// `--secondary-node-eviction-rate` 0.01, for partially disrupted zones of more than
/// `--large-cluster-size-threshold` (50) nodes; smaller ones stop.
const SECONDARY_INTERVAL: u64 = 100 * SECOND;
const LARGE_CLUSTER: usize = 50;
/// `--unhealthy-zone-threshold`.
const UNHEALTHY_ZONE: f64 = 0.55;
const NOT_READY: &str = "node.kubernetes.io/not-ready";
/// Nodes with this label are left out of the zone counts.
const EXCLUDE: &str = "node.kubernetes.io/exclude-disruption";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ZoneState {
    Normal,
    Partial,
    Full,
}

#[derive(Debug, Clone, PartialEq)]
struct Zone {
    state: ZoneState,
    /// Time between taints (`None`: the never limiter).
    interval: Option<u64>,
    /// When the next taint may be added (with `interval` set).
    next_taint: Time,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Tainter {
    zones: BTreeMap<String, Zone>,
    /// Silent nodes waiting for the NoExecute taint, in the order they were found.
    queue: Vec<String>,
    /// Every zone is fully disrupted ("master disruption mode").
    all_disrupted: bool,
}

impl Tainter {
    /// A node that is ready again leaves the queue (`markNodeAsReachable`).
    pub fn forget(&mut self, node: &str) {
        self.queue.retain(|n| n != node);
    }

    /// Why lost nodes keep their pods, in words, while a disruption mode holds evictions
    /// back (none otherwise).
    pub fn notice(&self) -> Option<String> {
        if self.all_disrupted {
            return Some("Every node is NotReady: the node controller takes the fault for its own or the network's and evicts no pod until a node is Ready again.".into());
        }
        let waiting = self.queue.len();
        let stopped = self
            .zones
            .values()
            .any(|z| z.state == ZoneState::Partial && z.interval.is_none());
        (stopped && waiting > 0).then(|| {
            format!(
                "Most nodes are NotReady (at least 55 %, more than two): in a cluster of up to 50 nodes the node controller stops marking nodes for eviction, so the pods of {} lost {} stay where they are.",
                waiting,
                if waiting == 1 { "node" } else { "nodes" }
            )
        })
    }
}

/// `GetZoneKey`: region and zone labels (empty for a cluster without topology labels).
fn zone_of(n: &Node) -> String {
    let label = |k: &str| n.metadata.labels.get(k).cloned().unwrap_or_default();
    format!(
        "{}:\u{0}:{}",
        label("topology.kubernetes.io/region"),
        label("topology.kubernetes.io/zone")
    )
}

fn silent(n: &Node) -> bool {
    n.status
        .conditions
        .iter()
        .any(|c| c.type_ == "Ready" && c.status == "Unknown")
}

/// The node controller's own NoExecute taints (unreachable, not-ready).
fn controller_no_execute(t: &Taint) -> bool {
    t.effect == "NoExecute" && (t.key == UNREACHABLE || t.key == NOT_READY)
}

fn has_no_execute(n: &Node) -> bool {
    n.spec.taints.iter().any(controller_no_execute)
}

/// One pass: queue the silent nodes, update the zones' states and rates
/// (`handleDisruption`), then taint what the rates allow (`doNoExecuteTaintingPass`).
/// Returns the nodes whose NoExecute taint was removed.
pub fn sync(sim: &mut Sim) -> Vec<String> {
    let silent_nodes: Vec<String> = sim
        .store
        .nodes
        .values()
        .filter(|n| silent(n) && !has_no_execute(n))
        .map(|n| n.metadata.name.clone())
        .collect();
    for name in silent_nodes {
        if !sim.node_lifecycle.tainter.queue.contains(&name) {
            sim.node_lifecycle.tainter.queue.push(name);
        }
    }
    let cleared = handle_disruption(sim);
    taint_queued(sim);
    cleared
}

fn handle_disruption(sim: &mut Sim) -> Vec<String> {
    let mut counts: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for n in sim.store.nodes.values() {
        if n.metadata.labels.contains_key(EXCLUDE) {
            continue;
        }
        let c = counts.entry(zone_of(n)).or_default();
        if is_ready(n) {
            c.0 += 1;
        } else {
            c.1 += 1;
        }
    }
    // `ComputeZoneState`.
    let states: BTreeMap<String, (ZoneState, usize)> = counts
        .into_iter()
        .map(|(zone, (ready, not_ready))| {
            let state = if ready == 0 && not_ready > 0 {
                ZoneState::Full
            } else if not_ready > 2
                && not_ready as f64 / (ready + not_ready) as f64 >= UNHEALTHY_ZONE
            {
                ZoneState::Partial
            } else {
                ZoneState::Normal
            };
            (zone, (state, ready + not_ready))
        })
        .collect();
    let now = sim.now;
    let t = &mut sim.node_lifecycle.tainter;
    let all_full = !states.is_empty() && states.values().all(|(s, _)| *s == ZoneState::Full);
    if all_full && !t.all_disrupted {
        t.all_disrupted = true;
        t.queue.clear();
        for (zone, (state, _)) in &states {
            let z = zone_entry(&mut t.zones, zone, now);
            z.state = *state;
            z.interval = None;
        }
        return clear_no_execute(sim);
    }
    if all_full {
        return Vec::new();
    }
    let leaving = std::mem::take(&mut t.all_disrupted);
    for (zone, (state, size)) in states {
        let z = zone_entry(&mut t.zones, &zone, now);
        if z.state != state || leaving {
            z.state = state;
            swap_limiter(z, rate(state, size), now);
        }
    }
    Vec::new()
}

fn zone_entry<'a>(zones: &'a mut BTreeMap<String, Zone>, zone: &str, now: Time) -> &'a mut Zone {
    zones.entry(zone.to_string()).or_insert(Zone {
        state: ZoneState::Normal,
        interval: Some(NORMAL_INTERVAL),
        next_taint: now,
    })
}

/// `setLimiterInZone`: a partially disrupted zone slows down (stops when small); a fully
/// disrupted one keeps the normal rate unless every zone is.
fn rate(state: ZoneState, size: usize) -> Option<u64> {
    match state {
        ZoneState::Normal | ZoneState::Full => Some(NORMAL_INTERVAL),
        ZoneState::Partial if size > LARGE_CLUSTER => Some(SECONDARY_INTERVAL),
        ZoneState::Partial => None,
    }
}

/// `SwapLimiter`: a new token bucket of one, drained when the old one had no token left.
fn swap_limiter(z: &mut Zone, interval: Option<u64>, now: Time) {
    if z.interval == interval {
        return;
    }
    let had_token = z.interval.is_some() && z.next_taint <= now;
    z.interval = interval;
    if let Some(i) = interval {
        z.next_taint = if had_token { now } else { now.plus_ms(i) };
    }
}

/// `markNodeAsReachable` on every node: the NoExecute taints go.
fn clear_no_execute(sim: &mut Sim) -> Vec<String> {
    let tainted: Vec<Node> = sim
        .store
        .nodes
        .values()
        .filter(|n| has_no_execute(n))
        .cloned()
        .collect();
    let mut cleared = Vec::new();
    for mut n in tainted {
        n.spec.taints.retain(|t| !controller_no_execute(t));
        cleared.push(n.metadata.name.clone());
        apiserver::update_node(sim, n);
    }
    cleared
}

/// `doNoExecuteTaintingPass`: queued nodes that are still silent get the taint as fast as
/// their zone allows.
fn taint_queued(sim: &mut Sim) {
    let now = sim.now;
    let queue = std::mem::take(&mut sim.node_lifecycle.tainter.queue);
    let mut waiting = Vec::new();
    for name in queue {
        let Some(node) = sim.store.nodes.get(&name).filter(|n| silent(n)).cloned() else {
            continue;
        };
        let zone = zone_entry(&mut sim.node_lifecycle.tainter.zones, &zone_of(&node), now);
        let Some(interval) = zone.interval else {
            waiting.push(name);
            continue;
        };
        if zone.next_taint > now {
            let at = zone.next_taint;
            waiting.push(name);
            sim.wake_at(at);
            continue;
        }
        zone.next_taint = now.plus_ms(interval);
        let mut node = node;
        if !has_no_execute(&node) {
            let added = sim.api_now();
            node.spec.taints.push(Taint {
                key: UNREACHABLE.into(),
                value: None,
                effect: "NoExecute".into(),
                time_added: Some(added),
            });
            apiserver::update_node(sim, node);
        }
    }
    sim.node_lifecycle.tainter.queue = waiting;
}
