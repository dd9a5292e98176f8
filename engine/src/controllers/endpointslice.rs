//! The EndpointSlice controller (upstream `pkg/controller/endpointslice` with the reconciler
//! of `staging/src/k8s.io/endpointslice`): for every Service with a selector it keeps
//! EndpointSlices listing each selected pod that has an IP, with the conditions kube-proxy
//! routes by — `ready` (Ready and not terminating), `serving` (Ready) and `terminating`.
//! Slices hold at most 100 endpoints, keep their names across updates (a slice that would be
//! deleted is reused for one that would be created), and a Service whose selector picks no
//! pod still gets one empty placeholder slice.

use super::endpoints::{
    find_port, manages, pod_reference, publish_not_ready, selected_pods, service_ip_set,
    should_pod_be_in_endpoints,
};
use crate::api::core::{Node, Pod};
use crate::api::endpoints::{
    Endpoint, EndpointConditions, EndpointSlice, SlicePort, ENDPOINTSLICE_CONTROLLER,
    LABEL_HEADLESS, LABEL_MANAGED_BY, LABEL_SERVICE_NAME, LAST_CHANGE_TRIGGER_TIME,
};
use crate::api::meta::{Labels, ObjectMeta, OwnerReference};
use crate::api::service::Service;
use crate::apiserver;
use crate::controllers::replicaset::is_pod_ready;
use crate::sim::Sim;
use crate::store::{key, Key};
use std::collections::BTreeMap;

/// `--max-endpoints-per-slice` default.
const MAX_ENDPOINTS_PER_SLICE: usize = 100;
/// `v1.LabelTopologyZone`.
const LABEL_ZONE: &str = "topology.kubernetes.io/zone";

pub fn sync(sim: &mut Sim) {
    let services: Vec<Key> = sim.store.services.keys().cloned().collect();
    for k in services {
        if let Some(svc) = sim.store.services.get(&k).cloned() {
            if manages(&svc) {
                reconcile(sim, &svc);
            }
        }
    }
}

/// The endpoints one group of slices (same ports) should hold, keyed by pod name.
type Desired = BTreeMap<String, Endpoint>;

/// `Reconcile` for the IPv4 address type (the only family of the simulated cluster).
fn reconcile(sim: &mut Sim, svc: &Service) {
    let ns = svc.metadata.ns().to_string();
    let publish = publish_not_ready(svc);
    let mut desired: BTreeMap<Vec<SlicePort>, Desired> = BTreeMap::new();
    for pod in selected_pods(sim, svc) {
        // Terminating pods stay listed (with ready=false) until they are gone.
        if !should_pod_be_in_endpoints(pod, true) {
            continue;
        }
        let node = pod
            .spec
            .node_name
            .as_deref()
            .and_then(|n| sim.store.nodes.get(n));
        // A pod bound to a Node that does not exist is skipped until the pod GC removes it.
        if node.is_none() && !publish {
            continue;
        }
        desired
            .entry(endpoint_ports(svc, pod))
            .or_default()
            .insert(pod.metadata.name.clone(), pod_to_endpoint(pod, node, svc));
    }
    let labels = slice_labels(svc);
    let mut to_delete: Vec<EndpointSlice> = Vec::new();
    let mut existing: BTreeMap<Vec<SlicePort>, Vec<EndpointSlice>> = BTreeMap::new();
    let mut existing_count = 0;
    for s in sim.store.slices_of_service(&ns, &svc.metadata.name) {
        if s.metadata.labels.get(LABEL_MANAGED_BY).map(String::as_str)
            != Some(ENDPOINTSLICE_CONTROLLER)
        {
            continue;
        }
        existing_count += 1;
        if owned_by(s, svc) {
            existing
                .entry(sorted(s.ports.clone()))
                .or_default()
                .push(s.clone());
        } else {
            to_delete.push(s.clone());
        }
    }
    let mut to_create: Vec<EndpointSlice> = Vec::new();
    let mut to_update: Vec<EndpointSlice> = Vec::new();
    for (ports, wanted) in desired {
        let slices = existing.remove(&sorted(ports.clone())).unwrap_or_default();
        let (c, u, d) = reconcile_by_ports(svc, slices, wanted, &ports, &labels);
        to_create.extend(c);
        to_update.extend(u);
        to_delete.extend(d);
    }
    // Port combinations no pod has any more.
    to_delete.extend(existing.into_values().flatten());
    // A Service always has at least one slice: an empty placeholder if nothing else.
    if existing_count == to_delete.len() && to_create.is_empty() {
        let placeholder = new_slice(svc, Vec::new(), &labels);
        if to_delete.len() == 1 && same_placeholder(&to_delete[0], &placeholder) {
            to_delete.clear();
        } else {
            to_create.push(placeholder);
        }
    }
    finalize(sim, svc, to_create, to_update, to_delete);
}

/// `reconcileByPortMapping`: keep endpoints where they are, refresh changed ones, drop the
/// unwanted, then fill slices being updated, then an unchanged slice that fits, then new ones.
fn reconcile_by_ports(
    svc: &Service,
    existing: Vec<EndpointSlice>,
    mut wanted: Desired,
    ports: &[SlicePort],
    labels: &Labels,
) -> (Vec<EndpointSlice>, Vec<EndpointSlice>, Vec<EndpointSlice>) {
    let mut to_update: Vec<EndpointSlice> = Vec::new();
    let mut to_delete: Vec<EndpointSlice> = Vec::new();
    let mut unchanged: Vec<EndpointSlice> = Vec::new();
    for slice in existing {
        let mut kept: Vec<Endpoint> = Vec::new();
        let mut changed = false;
        for ep in &slice.endpoints {
            let Some(name) = ep.pod_name() else {
                continue;
            };
            let same_pod = wanted
                .get(name)
                .is_some_and(|w| w.target_ref == ep.target_ref);
            if same_pod {
                let w = wanted.remove(name).expect("checked above");
                changed |= w != *ep;
                kept.push(w);
            }
        }
        let labels_changed = slice.metadata.labels != *labels;
        if changed || kept.len() != slice.endpoints.len() {
            if kept.is_empty() {
                to_delete.push(slice);
            } else {
                let mut s = slice;
                s.endpoints = kept;
                s.metadata.labels = labels.clone();
                to_update.push(s);
            }
        } else if labels_changed {
            let mut s = slice;
            s.metadata.labels = labels.clone();
            to_update.push(s);
        } else {
            unchanged.push(slice);
        }
    }
    if !wanted.is_empty() && !to_update.is_empty() {
        // Fill the fullest slices first.
        crate::order::sort_by_key(&mut to_update, |s| std::cmp::Reverse(s.endpoints.len()));
        for s in &mut to_update {
            fill(s, &mut wanted);
        }
    }
    let mut to_create: Vec<EndpointSlice> = Vec::new();
    while !wanted.is_empty() {
        let target = if wanted.len() < MAX_ENDPOINTS_PER_SLICE {
            slice_to_fill(&unchanged, wanted.len())
        } else {
            None
        };
        let mut s = match target {
            Some(i) => unchanged.remove(i),
            None => new_slice(svc, ports.to_vec(), labels),
        };
        fill(&mut s, &mut wanted);
        if s.metadata.name.is_empty() {
            to_create.push(s);
        } else {
            to_update.push(s);
        }
    }
    (to_create, to_update, to_delete)
}

/// Moves wanted endpoints (in pod name order) into the slice until it is full.
fn fill(s: &mut EndpointSlice, wanted: &mut Desired) {
    while s.endpoints.len() < MAX_ENDPOINTS_PER_SLICE {
        match wanted.pop_first() {
            Some((_, e)) => s.endpoints.push(e),
            None => break,
        }
    }
}

/// `getSliceToFill`: the unchanged slice that would be closest to full.
fn slice_to_fill(slices: &[EndpointSlice], adding: usize) -> Option<usize> {
    let mut best: Option<(usize, usize)> = None;
    for (i, s) in slices.iter().enumerate() {
        let total = adding + s.endpoints.len();
        if total > MAX_ENDPOINTS_PER_SLICE {
            continue;
        }
        let diff = MAX_ENDPOINTS_PER_SLICE - total;
        if best.is_none_or(|(_, d)| diff < d) {
            best = Some((i, diff));
        }
    }
    best.map(|(i, _)| i)
}

/// `finalize`: creates paired with deletes become updates of the deleted slices (so names
/// survive), then the API writes, each slice stamped with the trigger time.
fn finalize(
    sim: &mut Sim,
    svc: &Service,
    mut to_create: Vec<EndpointSlice>,
    mut to_update: Vec<EndpointSlice>,
    mut to_delete: Vec<EndpointSlice>,
) {
    let mut i = 0;
    while i < to_delete.len() && !to_create.is_empty() {
        if owned_by(&to_delete[i], svc) && to_delete[i].address_type == "IPv4" {
            let mut s = to_create.pop().expect("not empty");
            s.metadata.name = to_delete[i].metadata.name.clone();
            to_update.push(s);
            to_delete.remove(i);
        } else {
            i += 1;
        }
    }
    let trigger = sim.api_now().rfc3339();
    for mut s in to_create {
        s.metadata
            .annotations
            .insert(LAST_CHANGE_TRIGGER_TIME.into(), trigger.clone());
        apiserver::create_endpoint_slice(sim, s);
    }
    for mut s in to_update {
        s.metadata
            .annotations
            .insert(LAST_CHANGE_TRIGGER_TIME.into(), trigger.clone());
        apiserver::update_endpoint_slice(sim, s);
    }
    for s in to_delete {
        apiserver::delete_endpoint_slice(sim, &key(s.metadata.ns(), &s.metadata.name));
    }
}

/// `podToEndpoint`: serving is the pod's readiness; ready also requires that it is not
/// terminating (unless the Service publishes not-ready addresses).
fn pod_to_endpoint(pod: &Pod, node: Option<&Node>, svc: &Service) -> Endpoint {
    let serving = is_pod_ready(pod);
    let terminating = pod.metadata.is_terminating();
    let ready = publish_not_ready(svc) || (serving && !terminating);
    Endpoint {
        addresses: vec![pod.status.pod_ip.clone().unwrap_or_default()],
        conditions: EndpointConditions {
            ready: Some(ready),
            serving: Some(serving),
            terminating: Some(terminating),
        },
        node_name: pod.spec.node_name.clone().filter(|n| !n.is_empty()),
        target_ref: Some(pod_reference(pod)),
        zone: node.and_then(|n| n.metadata.labels.get(LABEL_ZONE).cloned()),
    }
}

/// `getEndpointPorts`: each Service port the pod can serve, by number.
fn endpoint_ports(svc: &Service, pod: &Pod) -> Vec<SlicePort> {
    svc.spec
        .ports
        .iter()
        .filter_map(|sp| {
            find_port(pod, sp).map(|port| SlicePort {
                name: Some(sp.name.clone().unwrap_or_default()),
                port: Some(port),
                protocol: Some(sp.protocol.clone().unwrap_or_else(|| "TCP".into())),
            })
        })
        .collect()
}

/// The ports as a set (`NewPortMapKey` ignores order).
fn sorted(mut ports: Vec<SlicePort>) -> Vec<SlicePort> {
    crate::order::sort(&mut ports);
    ports
}

/// `setEndpointSliceLabels`: the Service's labels plus the reserved ones.
fn slice_labels(svc: &Service) -> Labels {
    let mut labels: Labels = svc
        .metadata
        .labels
        .iter()
        .filter(|(k, _)| {
            ![LABEL_SERVICE_NAME, LABEL_MANAGED_BY, LABEL_HEADLESS].contains(&k.as_str())
        })
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    if !service_ip_set(svc) {
        labels.insert(LABEL_HEADLESS.into(), String::new());
    }
    labels.insert(LABEL_SERVICE_NAME.into(), svc.metadata.name.clone());
    labels.insert(LABEL_MANAGED_BY.into(), ENDPOINTSLICE_CONTROLLER.into());
    labels
}

/// `newEndpointSlice`: `generateName: <service>-`, owned by the Service.
fn new_slice(svc: &Service, ports: Vec<SlicePort>, labels: &Labels) -> EndpointSlice {
    EndpointSlice {
        metadata: ObjectMeta {
            generate_name: Some(format!("{}-", svc.metadata.name)),
            namespace: Some(svc.metadata.ns().to_string()),
            labels: labels.clone(),
            owner_references: vec![OwnerReference {
                api_version: "v1".into(),
                kind: "Service".into(),
                name: svc.metadata.name.clone(),
                uid: svc.metadata.uid().to_string(),
                controller: Some(true),
                block_owner_deletion: Some(true),
            }],
            ..Default::default()
        },
        address_type: "IPv4".into(),
        endpoints: Vec::new(),
        ports,
        ..Default::default()
    }
}

fn owned_by(s: &EndpointSlice, svc: &Service) -> bool {
    s.metadata
        .owner_references
        .iter()
        .any(|o| o.uid == svc.metadata.uid() && o.kind == "Service" && o.api_version == "v1")
}

/// `placeholderSliceCompare`: namespace, labels, owners, address type, no endpoints, no ports.
fn same_placeholder(a: &EndpointSlice, b: &EndpointSlice) -> bool {
    a.metadata.namespace == b.metadata.namespace
        && a.metadata.labels == b.metadata.labels
        && a.metadata.owner_references == b.metadata.owner_references
        && a.address_type == b.address_type
        && a.endpoints == b.endpoints
        && a.ports == b.ports
}
