//! The endpoints controller (upstream `pkg/controller/endpoint`): for every Service with a
//! selector it keeps an Endpoints object of the same name whose `addresses` are the ready
//! pods the selector picks and whose `notReadyAddresses` are the others. Terminating pods
//! leave it at once (unless the Service publishes not-ready addresses), and it is deleted
//! with its Service. The shared pod and port rules live here too, for the EndpointSlice
//! controller.

use crate::api::core::{ObjectReference, Pod};
use crate::api::endpoints::{
    EndpointAddress, EndpointPort, EndpointSubset, Endpoints, ENDPOINTS_CONTROLLER,
    ENDPOINTS_MANAGED_BY, LABEL_HEADLESS, LAST_CHANGE_TRIGGER_TIME,
};
use crate::api::meta::{IntOrString, ObjectMeta};
use crate::api::service::{Service, ServicePort};
use crate::apiserver;
use crate::controllers::replicaset::is_pod_ready;
use crate::sim::Sim;
use crate::store::Key;
use std::collections::BTreeMap;

pub fn sync(sim: &mut Sim) {
    let stale: Vec<Key> = sim
        .store
        .endpoints
        .keys()
        .filter(|k| !sim.store.services.contains_key(*k))
        .cloned()
        .collect();
    for k in stale {
        apiserver::delete_endpoints(sim, &k);
    }
    let services: Vec<Key> = sim.store.services.keys().cloned().collect();
    for k in services {
        sync_service(sim, &k);
    }
}

/// `syncService` for one Service.
fn sync_service(sim: &mut Sim, k: &Key) {
    let Some(svc) = sim.store.services.get(k) else {
        return;
    };
    if !manages(svc) {
        return;
    }
    let publish = publish_not_ready(svc);
    let mut pairs: Vec<Pair> = Vec::new();
    for pod in selected_pods(sim, svc) {
        if !should_pod_be_in_endpoints(pod, publish) {
            continue;
        }
        let addr = pod_address(pod);
        let ready = publish || is_pod_ready(pod);
        if svc.spec.ports.is_empty() {
            // A headless Service may have no ports: its addresses alone are the endpoints.
            if is_headless(svc) {
                pairs.push((addr, ready, Vec::new()));
            }
            continue;
        }
        let ports: Vec<EndpointPort> = svc
            .spec
            .ports
            .iter()
            .filter_map(|sp| {
                find_port(pod, sp).map(|port| EndpointPort {
                    name: sp.name.clone().unwrap_or_default(),
                    port,
                    protocol: sp.protocol.clone().unwrap_or_else(|| "TCP".into()),
                })
            })
            .collect();
        for p in ports {
            pairs.push((addr.clone(), ready, vec![p]));
        }
    }
    let subsets = repack(pairs);
    let mut labels = svc.metadata.labels.clone();
    if !service_ip_set(svc) {
        labels.insert(LABEL_HEADLESS.into(), String::new());
    } else {
        labels.remove(LABEL_HEADLESS);
    }
    labels.insert(ENDPOINTS_MANAGED_BY.into(), ENDPOINTS_CONTROLLER.into());
    let name = svc.metadata.name.clone();
    if let Some(cur) = sim.store.endpoints.get(k) {
        if cur.subsets == subsets && cur.metadata.labels == labels {
            return;
        }
    }
    let mut annotations = sim
        .store
        .endpoints
        .get(k)
        .map(|e| e.metadata.annotations.clone())
        .unwrap_or_default();
    annotations.insert(LAST_CHANGE_TRIGGER_TIME.into(), sim.api_now().rfc3339());
    apiserver::put_endpoints(
        sim,
        Endpoints {
            metadata: ObjectMeta {
                name,
                namespace: Some(k.0.clone()),
                labels,
                annotations,
                ..Default::default()
            },
            subsets,
            ..Default::default()
        },
    );
}

/// Services of type ExternalName, and those without a selector, get no managed endpoints.
pub fn manages(svc: &Service) -> bool {
    svc.spec.type_.as_deref() != Some("ExternalName") && !svc.spec.selector.is_empty()
}

pub fn is_headless(svc: &Service) -> bool {
    svc.spec.cluster_ip.as_deref() == Some("None")
}

/// `IsServiceIPSet`: a ClusterIP that is neither empty nor `None`.
pub fn service_ip_set(svc: &Service) -> bool {
    !is_headless(svc)
        && svc
            .spec
            .cluster_ip
            .as_deref()
            .is_some_and(|ip| !ip.is_empty())
}

pub fn publish_not_ready(svc: &Service) -> bool {
    svc.spec
        .extra
        .get("publishNotReadyAddresses")
        .and_then(serde_yaml::Value::as_bool)
        .unwrap_or(false)
}

/// The pods in the Service's namespace whose labels match its selector, by name.
pub fn selected_pods<'a>(sim: &'a Sim, svc: &'a Service) -> impl Iterator<Item = &'a Pod> + 'a {
    sim.store.pods_in(svc.metadata.ns()).filter(|p| {
        svc.spec
            .selector
            .iter()
            .all(|(k, v)| p.metadata.labels.get(k) == Some(v))
    })
}

/// `ShouldPodBeInEndpoints`: not finished, has an IP, and (unless terminating pods are
/// wanted) not terminating.
pub fn should_pod_be_in_endpoints(pod: &Pod, include_terminating: bool) -> bool {
    if pod.status.phase == "Succeeded" || pod.status.phase == "Failed" {
        return false;
    }
    if pod.status.pod_ip.as_deref().is_none_or(str::is_empty) {
        return false;
    }
    include_terminating || !pod.metadata.is_terminating()
}

/// `FindPort`: a numeric targetPort is used as is; a named one is looked up among the pod's
/// container ports of the same protocol (no match: the pod is left out for that port).
pub fn find_port(pod: &Pod, sp: &ServicePort) -> Option<i64> {
    let protocol = sp.protocol.as_deref().unwrap_or("TCP");
    match sp.target_port.clone().unwrap_or(IntOrString::Int(sp.port)) {
        IntOrString::Int(n) => Some(n),
        IntOrString::Str(name) => pod
            .spec
            .containers
            .iter()
            .flat_map(|c| c.ports.iter())
            .find(|cp| {
                cp.name.as_deref() == Some(name.as_str())
                    && cp.protocol.as_deref().unwrap_or("TCP") == protocol
            })
            .map(|cp| cp.container_port),
    }
}

pub fn pod_reference(pod: &Pod) -> ObjectReference {
    ObjectReference {
        kind: "Pod".into(),
        namespace: Some(pod.metadata.ns().to_string()),
        name: pod.metadata.name.clone(),
        uid: pod.metadata.uid().to_string(),
        api_version: None,
        field_path: None,
    }
}

fn pod_address(pod: &Pod) -> EndpointAddress {
    EndpointAddress {
        ip: pod.status.pod_ip.clone().unwrap_or_default(),
        node_name: pod.spec.node_name.clone().filter(|n| !n.is_empty()),
        target_ref: Some(pod_reference(pod)),
    }
}

/// An IPv4 address as a number, for `LessEndpointAddress`'s byte order.
pub fn ip_order(ip: &str) -> (u32, String) {
    let n = ip
        .split('.')
        .map(|o| o.parse::<u32>().unwrap_or(0))
        .fold(0u32, |acc, o| acc.wrapping_mul(256).wrapping_add(o));
    (n, ip.to_string())
}

/// One address of a pod with its readiness and the ports it serves.
type Pair = (EndpointAddress, bool, Vec<EndpointPort>);

/// `RepackSubsets`: every (address, port) pair regrouped so that addresses sharing the same
/// set of ports form one subset; addresses sorted by IP then UID.
fn repack(pairs: Vec<Pair>) -> Vec<EndpointSubset> {
    // address (by IP and UID) → (address, ready, ports)
    let mut by_addr: BTreeMap<((u32, String), String), Pair> = BTreeMap::new();
    for (addr, ready, ports) in pairs {
        let uid = addr
            .target_ref
            .as_ref()
            .map(|r| r.uid.clone())
            .unwrap_or_default();
        let e = by_addr
            .entry((ip_order(&addr.ip), uid))
            .or_insert_with(|| (addr, ready, Vec::new()));
        e.2.extend(ports);
    }
    let mut groups: BTreeMap<Vec<EndpointPort>, EndpointSubset> = BTreeMap::new();
    for (_, (addr, ready, mut ports)) in by_addr {
        crate::order::sort(&mut ports);
        ports.dedup();
        let subset = groups
            .entry(ports.clone())
            .or_insert_with(|| EndpointSubset {
                ports,
                ..Default::default()
            });
        if ready {
            subset.addresses.push(addr);
        } else {
            subset.not_ready_addresses.push(addr);
        }
    }
    groups.into_values().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn addr(ip: &str) -> EndpointAddress {
        EndpointAddress {
            ip: ip.into(),
            node_name: None,
            target_ref: None,
        }
    }

    fn port(name: &str, n: i64) -> EndpointPort {
        EndpointPort {
            name: name.into(),
            port: n,
            protocol: "TCP".into(),
        }
    }

    #[test]
    fn repacking_sorts_addresses_by_ip_and_groups_them_by_ports() {
        let pairs = vec![
            (addr("10.244.1.10"), true, vec![port("", 80)]),
            (addr("10.244.1.9"), true, vec![port("", 80)]),
            (addr("10.244.2.3"), false, vec![port("", 80)]),
            (addr("10.244.1.9"), true, vec![port("metrics", 9090)]),
        ];
        let subsets = repack(pairs);
        assert_eq!(subsets.len(), 2);
        let ips = |v: &[EndpointAddress]| v.iter().map(|a| a.ip.clone()).collect::<Vec<_>>();
        assert_eq!(ips(&subsets[0].addresses), vec!["10.244.1.10"]);
        assert_eq!(subsets[0].ports, vec![port("", 80)]);
        assert_eq!(ips(&subsets[0].not_ready_addresses), vec!["10.244.2.3"]);
        assert_eq!(ips(&subsets[1].addresses), vec!["10.244.1.9"]);
        assert_eq!(subsets[1].ports, vec![port("", 80), port("metrics", 9090)]);
    }

    #[test]
    fn named_target_ports_are_looked_up_in_the_pod() {
        let pod: Pod = serde_yaml::from_str(
            "spec: {containers: [{name: a, ports: [{name: http, containerPort: 8080}]}]}",
        )
        .unwrap();
        let sp = |target: IntOrString| ServicePort {
            port: 80,
            target_port: Some(target),
            ..Default::default()
        };
        assert_eq!(
            find_port(&pod, &sp(IntOrString::Str("http".into()))),
            Some(8080)
        );
        assert_eq!(find_port(&pod, &sp(IntOrString::Str("grpc".into()))), None);
        assert_eq!(find_port(&pod, &sp(IntOrString::Int(81))), Some(81));
    }
}
