//! The garbage collector: dependents whose controlling owner is gone are deleted
//! (background propagation, kubectl's default) — ReplicaSets, pods and EndpointSlices —
//! and owners deleted in the foreground wait for theirs.

use crate::apiserver::{self, Propagation};
use crate::sim::Sim;
use crate::store::Key;
use std::collections::BTreeSet;

pub fn sync(sim: &mut Sim) {
    foreground(sim);
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

/// Foreground deletion: an owner held by the `foregroundDeletion` finalizer has its
/// dependents deleted — ReplicaSets in the foreground too, since they block their owner's
/// deletion — and goes once none is left. Pods go after their grace period, so a
/// ReplicaSet, then its Deployment, stays visible until its pods are gone.
fn foreground(sim: &mut Sim) {
    let held = |m: &crate::api::meta::ObjectMeta| {
        m.finalizers
            .iter()
            .any(|f| f == apiserver::FOREGROUND_DELETION)
    };
    let owned_by = |uid: &str, m: &crate::api::meta::ObjectMeta| {
        m.controller_ref().is_some_and(|o| o.uid == uid)
    };
    let replicasets: Vec<(Key, String)> = sim
        .store
        .replicasets
        .iter()
        .filter(|(_, rs)| held(&rs.metadata))
        .map(|(k, rs)| (k.clone(), rs.metadata.uid().to_string()))
        .collect();
    for ((ns, name), uid) in replicasets {
        let pods: Vec<(String, bool)> = sim
            .store
            .pods_in(&ns)
            .filter(|p| owned_by(&uid, &p.metadata))
            .map(|p| (p.metadata.name.clone(), p.metadata.is_terminating()))
            .collect();
        release(
            sim,
            pods,
            |sim| {
                apiserver::delete_replicaset(sim, &ns, &name, Propagation::Background);
            },
            |sim, pod| {
                let _ = apiserver::delete_pod(sim, &ns, pod, None);
            },
        );
    }
    let deployments: Vec<(Key, String)> = sim
        .store
        .deployments
        .iter()
        .filter(|(_, d)| held(&d.metadata))
        .map(|(k, d)| (k.clone(), d.metadata.uid().to_string()))
        .collect();
    for ((ns, name), uid) in deployments {
        let owned: Vec<(String, bool)> = sim
            .store
            .replicasets_in(&ns)
            .filter(|rs| owned_by(&uid, &rs.metadata))
            .map(|rs| (rs.metadata.name.clone(), rs.metadata.is_terminating()))
            .collect();
        release(
            sim,
            owned,
            |sim| {
                let _ = apiserver::delete_deployment(sim, &ns, &name, Propagation::Background);
            },
            |sim, rs| {
                apiserver::delete_replicaset(sim, &ns, rs, Propagation::Foreground);
            },
        );
    }
}

/// One owner held in the foreground: it goes once no dependent is left; until then each
/// dependent not yet on its way out (name, terminating) is deleted.
fn release(
    sim: &mut Sim,
    dependents: Vec<(String, bool)>,
    delete_owner: impl FnOnce(&mut Sim),
    mut delete_dependent: impl FnMut(&mut Sim, &str),
) {
    if dependents.is_empty() {
        delete_owner(sim);
    }
    for (name, terminating) in dependents {
        if !terminating {
            delete_dependent(sim, &name);
        }
    }
}
