//! The API server's own Service, `default/kubernetes`, with the Endpoints and EndpointSlice
//! that point at the API server (upstream `pkg/controlplane/controller/kubernetesservice`
//! and the master endpoint reconciler). A cluster starts with all three; one that is deleted
//! comes back, and one whose ports or type were changed gets them back, at the controller's
//! next pass, which runs every 10 s upstream.
//!
//! The control plane is not one of the simulated nodes: the API server listens on
//! `172.18.0.1:6443`, next to the nodes' kind-style addresses.

use crate::api::endpoints::{
    Endpoint, EndpointConditions, EndpointPort, EndpointSlice, EndpointSubset, Endpoints,
    SlicePort, LABEL_SERVICE_NAME,
};
use crate::api::meta::{IntOrString, ObjectMeta};
use crate::api::service::{Service, ServicePort, ServiceSpec};
use crate::apiserver;
use crate::rng::Rng;
use crate::sim::Sim;
use crate::store::key;

pub const NAME: &str = "kubernetes";
const NAMESPACE: &str = "default";
/// The first address of the service CIDR, which the allocator keeps for this Service.
const CLUSTER_IP: &str = "10.96.0.1";
const API_SERVER_IP: &str = "172.18.0.1";
const API_SERVER_PORT: i64 = 6443;
/// The Service controller's and the endpoint reconciler's interval (`EndpointInterval`).
const INTERVAL_SECONDS: i64 = 10;

/// Writes the three objects into a new cluster. Their UIDs come from a stream of their own,
/// so the simulation's RNG (pod names, addresses) draws the same as a cluster without them.
pub fn bootstrap(sim: &mut Sim) {
    let mut uids = Rng::new(sim.seed ^ 0x6b75_6265_726e_6574);
    ensure(sim, Some(&mut uids));
}

/// Re-creates what was deleted, and puts back the Service's ports and type if they were
/// changed (`getMasterServiceUpdateIfNeeded`), at the controller's next pass after it saw it.
pub fn sync(sim: &mut Sim) {
    let k = key(NAMESPACE, NAME);
    let expected = service().spec;
    let drifted = sim.store.services.get(&k).is_some_and(|s| {
        s.spec.ports != expected.ports
            || s.spec.type_.as_deref().unwrap_or("ClusterIP") != "ClusterIP"
    });
    let complete = sim.store.services.contains_key(&k)
        && sim.store.endpoints.contains_key(&k)
        && sim.store.endpoint_slices.contains_key(&k)
        && !drifted;
    match sim.kubernetes_service_due {
        _ if complete => sim.kubernetes_service_due = None,
        None => {
            let due = sim.now.plus_secs(INTERVAL_SECONDS);
            sim.kubernetes_service_due = Some(due);
            sim.wake_at(due);
        }
        Some(due) if due <= sim.now => {
            sim.kubernetes_service_due = None;
            if drifted {
                if let Some(mut svc) = sim.store.services.get(&k).cloned() {
                    svc.spec.ports = expected.ports;
                    svc.spec.type_ = expected.type_;
                    svc.metadata.resource_version = Some(sim.store.next_resource_version());
                    sim.store.services.insert(k, svc);
                    sim.wrote();
                }
            }
            ensure(sim, None);
        }
        Some(_) => {}
    }
}

/// Writes whichever of the three objects is missing; UIDs from `uids`, else the simulation's RNG.
fn ensure(sim: &mut Sim, mut uids: Option<&mut Rng>) {
    let k = key(NAMESPACE, NAME);
    if !sim.store.services.contains_key(&k) {
        let mut svc = service();
        svc.metadata = meta(sim, &mut uids);
        svc.metadata.labels = [("component", "apiserver"), ("provider", "kubernetes")]
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .into();
        // Fails only if a user took 10.96.0.1 meanwhile; the API server then retries later.
        if apiserver::default_service_addresses(sim, &mut svc, None).is_ok() {
            sim.store.services.insert(k.clone(), svc);
            sim.wrote();
        }
    }
    if !sim.store.endpoints.contains_key(&k) {
        let mut ep = endpoints();
        ep.metadata = meta(sim, &mut uids);
        ep.metadata.labels.insert(
            "endpointslice.kubernetes.io/skip-mirror".into(),
            "true".into(),
        );
        sim.store.endpoints.insert(k.clone(), ep);
        sim.wrote();
    }
    if !sim.store.endpoint_slices.contains_key(&k) {
        let mut slice = endpoint_slice();
        slice.metadata = meta(sim, &mut uids);
        slice.metadata.generation = Some(1);
        slice
            .metadata
            .labels
            .insert(LABEL_SERVICE_NAME.into(), NAME.into());
        sim.store.endpoint_slices.insert(k, slice);
        sim.wrote();
    }
}

fn meta(sim: &mut Sim, uids: &mut Option<&mut Rng>) -> ObjectMeta {
    let uid = match uids {
        Some(r) => r.uid(),
        None => sim.rng.uid(),
    };
    ObjectMeta {
        name: NAME.into(),
        namespace: Some(NAMESPACE.into()),
        uid: Some(uid),
        resource_version: Some(sim.store.next_resource_version()),
        creation_timestamp: Some(sim.api_now()),
        ..Default::default()
    }
}

fn service() -> Service {
    Service {
        api_version: "v1".into(),
        kind: "Service".into(),
        metadata: ObjectMeta::default(),
        spec: ServiceSpec {
            ports: vec![ServicePort {
                name: Some("https".into()),
                port: 443,
                target_port: Some(IntOrString::Int(API_SERVER_PORT)),
                protocol: Some("TCP".into()),
                node_port: None,
            }],
            type_: Some("ClusterIP".into()),
            cluster_ip: Some(CLUSTER_IP.into()),
            session_affinity: Some("None".into()),
            ..Default::default()
        },
    }
}

fn endpoints() -> Endpoints {
    Endpoints {
        api_version: "v1".into(),
        kind: "Endpoints".into(),
        metadata: ObjectMeta::default(),
        subsets: vec![EndpointSubset {
            addresses: vec![crate::api::endpoints::EndpointAddress {
                ip: API_SERVER_IP.into(),
                node_name: None,
                target_ref: None,
            }],
            not_ready_addresses: Vec::new(),
            ports: vec![EndpointPort {
                name: "https".into(),
                port: API_SERVER_PORT,
                protocol: "TCP".into(),
            }],
        }],
    }
}

fn endpoint_slice() -> EndpointSlice {
    EndpointSlice {
        api_version: "discovery.k8s.io/v1".into(),
        kind: "EndpointSlice".into(),
        metadata: ObjectMeta::default(),
        address_type: "IPv4".into(),
        endpoints: vec![Endpoint {
            addresses: vec![API_SERVER_IP.into()],
            conditions: EndpointConditions {
                ready: Some(true),
                serving: None,
                terminating: None,
            },
            node_name: None,
            target_ref: None,
            zone: None,
        }],
        ports: vec![SlicePort {
            name: Some("https".into()),
            port: Some(API_SERVER_PORT),
            protocol: Some("TCP".into()),
        }],
    }
}
