//! The cluster DNS (CoreDNS's `kubernetes` plugin) as it changes over time: the Services it
//! serves, each with the moments it started and stopped serving it, so a container's own
//! script can be answered as the DNS answered at the moment it asked (the documentation's
//! init container that loops on `nslookup myservice` until the Service exists).
//!
//! A container's run is worked out from its start whenever it is needed (its exit, its log),
//! so the answers must not change after the fact: the past comes from these records and the
//! future is taken to be the present. When a Service appears, goes or changes its address,
//! the kubelet works out again when each running container that asks the DNS will exit.

use crate::api::service::Service;
use crate::controllers::kubelet;
use crate::sim::Sim;
use crate::store::Key;
use crate::time::Time;
use std::collections::BTreeMap;

/// Records kept for one Service name: the latest ones. (Names are as many as Services
/// ever created, each one command's work.)
const SPANS_PER_NAME: usize = 64;

/// One Service as the DNS served it, from `from` until `to` (still served while `None`).
#[derive(Debug, Clone, PartialEq)]
struct Span {
    from: Time,
    to: Option<Time>,
    service: Service,
}

impl Span {
    fn covers(&self, t: Time) -> bool {
        self.from <= t && self.to.is_none_or(|to| t < to)
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Records {
    names: BTreeMap<Key, Vec<Span>>,
    /// Changes so far: what was worked out from the records before may be out of date.
    changes: u64,
}

impl Records {
    pub fn changes(&self) -> u64 {
        self.changes
    }

    /// The Service the DNS served under `k` at `t` (the one served now, for a later `t`).
    pub fn at(&self, k: &Key, t: Time) -> Option<&Service> {
        self.names
            .get(k)?
            .iter()
            .rev()
            .find(|s| s.covers(t))
            .map(|s| &s.service)
    }

    /// Every Service served at `t`.
    pub fn all_at(&self, t: Time) -> impl Iterator<Item = &Service> {
        self.names
            .values()
            .filter_map(move |spans| spans.iter().rev().find(|s| s.covers(t)))
            .map(|s| &s.service)
    }
}

/// What of a Service its DNS records follow: its address and whether it is an alias.
fn same_records(a: &Service, b: &Service) -> bool {
    a.spec.cluster_ip == b.spec.cluster_ip
        && a.spec.type_ == b.spec.type_
        && a.spec.extra.get("externalName") == b.spec.extra.get("externalName")
}

/// Notes what changed since the last round; the kubelet re-plans the containers that ask.
pub fn sync(sim: &mut Sim) {
    let now = sim.now;
    let mut changed = false;
    let records = &mut sim.dns.names;
    for (k, spans) in records.iter_mut() {
        let Some(open) = spans.last_mut().filter(|s| s.to.is_none()) else {
            continue;
        };
        if !sim
            .store
            .services
            .get(k)
            .is_some_and(|svc| same_records(svc, &open.service))
        {
            open.to = Some(now);
            changed = true;
        }
    }
    for (k, svc) in &sim.store.services {
        let spans = records.entry(k.clone()).or_default();
        if spans.last().is_some_and(|s| s.to.is_none()) {
            continue;
        }
        spans.push(Span {
            from: now,
            to: None,
            service: svc.clone(),
        });
        if spans.len() > SPANS_PER_NAME {
            spans.remove(0);
        }
        changed = true;
    }
    if changed {
        sim.dns.changes += 1;
        kubelet::services_changed(sim);
    }
}
