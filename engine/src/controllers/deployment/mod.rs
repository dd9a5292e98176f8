//! The Deployment controller (upstream `deployment_controller.go` `syncDeployment`): claims
//! ReplicaSets, then pauses, scales or rolls out — one decision per sync (k8s-semantics.md §1.2).

pub mod progress;
pub mod recreate;
pub mod rolling;
pub mod sync;
pub mod util;

use crate::api::apps::{Deployment, ReplicaSet};
use crate::api::meta::OwnerReference;
use crate::sim::{ObjRef, Sim};
use crate::store::Key;

/// The Deployment being synced plus the ReplicaSets it owns, as the controller saw them.
pub struct Ctx {
    pub d: Deployment,
    /// Owned ReplicaSets keyed by name; refreshed from the store after every write.
    pub rss: Vec<ReplicaSet>,
    /// The sync's clock reading, truncated to seconds as API timestamps are.
    pub now: crate::time::Time,
}

impl Ctx {
    pub fn obj(&self) -> ObjRef {
        ObjRef::namespaced("Deployment", &self.d.metadata)
    }
    pub fn ns(&self) -> String {
        self.d.metadata.ns().to_string()
    }
    pub fn rs(&self, name: &str) -> Option<&ReplicaSet> {
        self.rss.iter().find(|r| r.metadata.name == name)
    }
    pub fn rs_mut(&mut self, name: &str) -> Option<&mut ReplicaSet> {
        self.rss.iter_mut().find(|r| r.metadata.name == name)
    }
}

/// One sync of one Deployment.
pub fn sync(sim: &mut Sim, key: &Key) {
    let Some(d) = sim.store.deployments.get(key).cloned() else {
        return;
    };
    if d.metadata.is_terminating() {
        return;
    }
    let rss = claim_replica_sets(sim, &d);
    let mut ctx = Ctx {
        d,
        rss,
        now: sim.api_now(),
    };

    progress::check_paused_conditions(sim, &mut ctx);
    if ctx.d.is_paused() {
        sync::sync(sim, &mut ctx);
        return;
    }
    if sync::is_scaling_event(sim, &mut ctx) {
        sync::sync(sim, &mut ctx);
        return;
    }
    if ctx.d.is_recreate() {
        recreate::rollout_recreate(sim, &mut ctx);
    } else {
        rolling::rollout_rolling(sim, &mut ctx);
    }
}

/// `ClaimReplicaSets`: adopt orphans whose labels match the selector, release owned ones
/// that no longer match (§8.5).
fn claim_replica_sets(sim: &mut Sim, d: &Deployment) -> Vec<ReplicaSet> {
    let ns = d.metadata.ns().to_string();
    let uid = d.metadata.uid().to_string();
    let selector = d.selector();
    let mut owned = Vec::new();
    let matches = |rs: &ReplicaSet| !selector.is_empty() && selector.matches(&rs.metadata.labels);
    // Only this Deployment's ReplicaSets and orphans it may adopt are copied: a namespace
    // with many Deployments would otherwise copy every ReplicaSet on every sync.
    let candidates: Vec<ReplicaSet> = sim
        .store
        .replicasets_in(&ns)
        .filter(|rs| match rs.metadata.controller_ref() {
            Some(o) => o.uid == uid,
            None => matches(rs),
        })
        .cloned()
        .collect();
    for mut rs in candidates {
        let matches = matches(&rs);
        match rs.metadata.controller_ref() {
            Some(o) if o.uid == uid => {
                if matches {
                    owned.push(rs);
                } else {
                    rs.metadata.owner_references.retain(|o| o.uid != uid);
                    crate::apiserver::update_replicaset(sim, rs);
                }
            }
            None if matches && !rs.metadata.is_terminating() => {
                rs.metadata.owner_references.push(controller_ref(d));
                crate::apiserver::update_replicaset(sim, rs.clone());
                owned.push(rs);
            }
            _ => {}
        }
    }
    owned
}

pub fn controller_ref(d: &Deployment) -> OwnerReference {
    OwnerReference {
        api_version: "apps/v1".into(),
        kind: "Deployment".into(),
        name: d.metadata.name.clone(),
        uid: d.metadata.uid().to_string(),
        controller: Some(true),
        block_owner_deletion: Some(true),
    }
}
