//! The garbage collector: dependents whose controlling owner is gone are deleted
//! (background propagation, kubectl's default) — ReplicaSets, pods and EndpointSlices.

use crate::apiserver::{self, Propagation};
use crate::sim::Sim;
use crate::store::Key;
use std::collections::BTreeSet;

pub fn sync(sim: &mut Sim) {
    let deployment_uids: BTreeSet<&str> = sim
        .store
        .deployments
        .values()
        .map(|d| d.metadata.uid())
        .collect();
    let orphaned_rs: Vec<Key> = sim
        .store
        .replicasets
        .iter()
        .filter(|(_, rs)| {
            rs.metadata.controller_ref().is_some_and(|o| {
                o.kind == "Deployment" && !deployment_uids.contains(o.uid.as_str())
            })
        })
        .map(|(k, _)| k.clone())
        .collect();
    for (ns, name) in orphaned_rs {
        apiserver::delete_replicaset(sim, &ns, &name, Propagation::Background);
    }
    let rs_uids: BTreeSet<&str> = sim
        .store
        .replicasets
        .values()
        .map(|r| r.metadata.uid())
        .collect();
    let orphaned_pods: Vec<Key> = sim
        .store
        .pods
        .iter()
        .filter(|(_, p)| !p.metadata.is_terminating())
        .filter(|(_, p)| {
            p.metadata
                .controller_ref()
                .is_some_and(|o| o.kind == "ReplicaSet" && !rs_uids.contains(o.uid.as_str()))
        })
        .map(|(k, _)| k.clone())
        .collect();
    for (ns, name) in orphaned_pods {
        let _ = apiserver::delete_pod(sim, &ns, &name, None);
    }
    let service_uids: BTreeSet<&str> = sim
        .store
        .services
        .values()
        .map(|s| s.metadata.uid())
        .collect();
    let orphaned_slices: Vec<Key> = sim
        .store
        .endpoint_slices
        .iter()
        .filter(|(_, s)| {
            s.metadata
                .controller_ref()
                .is_some_and(|o| o.kind == "Service" && !service_uids.contains(o.uid.as_str()))
        })
        .map(|(k, _)| k.clone())
        .collect();
    for k in orphaned_slices {
        apiserver::delete_endpoint_slice(sim, &k);
    }
    let finished: Vec<String> = sim
        .store
        .namespaces
        .iter()
        .filter(|(name, n)| {
            n.status.phase == "Terminating" && sim.store.pods_in(name).next().is_none()
        })
        .map(|(name, _)| name.clone())
        .collect();
    for name in finished {
        sim.store.namespaces.remove(&name);
        sim.wrote();
    }
}
