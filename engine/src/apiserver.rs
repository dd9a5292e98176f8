//! What the API server does on every write: server-set metadata (uid, resourceVersion,
//! generation, timestamps), defaulting, validation, generateName, admission (default
//! tolerations, pod quota), graceful deletion and cascading deletes.

use crate::api::apps::{Deployment, ReplicaSet};
use crate::api::core::{Namespace, NamespaceStatus, Node, Pod, Toleration};
use crate::api::endpoints::{EndpointSlice, Endpoints};
use crate::api::meta::ObjectMeta;
use crate::api::service::Service;
use crate::api::{defaults, validation};
use crate::sim::Sim;
use crate::store::{key, Key, Written};
use crate::time::Time;

#[derive(Debug, Clone, PartialEq)]
pub enum CreateError {
    AlreadyExists(Box<ReplicaSet>),
    Invalid(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Propagation {
    Background,
    Foreground,
    Orphan,
}

/// An API error as kubectl prints it (`Error from server (NotFound): …` or a validation text).
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    NotFound(String),
    AlreadyExists(String),
    /// Full text, e.g. `The Deployment "web" is invalid: …`, and the offending field paths.
    Invalid {
        message: String,
        fields: Vec<String>,
    },
    BadRequest(String),
    Forbidden(String),
}

impl ApiError {
    /// The Status message itself, as `err.Error()` gives it to a command that wraps it:
    /// `Deployment.apps "web" is invalid: …` (several causes in brackets), `deployments.apps
    /// "web" not found`. `group` is the object's API group, empty for the core group.
    pub fn server_message(&self, group: &str) -> String {
        match self {
            ApiError::Invalid { message, .. } => validation::status_error_text(message, group),
            ApiError::NotFound(m)
            | ApiError::AlreadyExists(m)
            | ApiError::BadRequest(m)
            | ApiError::Forbidden(m) => m.clone(),
        }
    }

    pub fn kubectl_text(&self) -> String {
        match self {
            ApiError::NotFound(m) => format!("Error from server (NotFound): {m}"),
            ApiError::AlreadyExists(m) => format!("Error from server (AlreadyExists): {m}"),
            ApiError::Invalid { message, .. } => message.clone(),
            ApiError::BadRequest(m) => format!("Error from server (BadRequest): {m}"),
            ApiError::Forbidden(m) => format!("Error from server (Forbidden): {m}"),
        }
    }
}

pub const SYSTEM_NAMESPACES: &[&str] =
    &["default", "kube-node-lease", "kube-public", "kube-system"];

/// The objects a fresh cluster has: the system namespaces, the configured nodes and the
/// API server's `kubernetes` Service.
pub fn bootstrap(sim: &mut Sim) {
    for ns in SYSTEM_NAMESPACES {
        create_namespace_object(sim, ns);
    }
    let nodes = sim.config.nodes.clone();
    for (i, n) in nodes.iter().enumerate() {
        let node = crate::controllers::node_lifecycle::new_node(sim, n, i);
        sim.store.nodes.insert(node.metadata.name.clone(), node);
    }
    crate::controllers::kubernetes_service::bootstrap(sim);
}

pub fn create_namespace_object(sim: &mut Sim, name: &str) -> Namespace {
    let mut meta = new_meta(sim, name, None);
    meta.labels
        .insert("kubernetes.io/metadata.name".into(), name.to_string());
    let ns = Namespace {
        api_version: "v1".into(),
        kind: "Namespace".into(),
        metadata: meta,
        status: NamespaceStatus {
            phase: "Active".into(),
        },
    };
    sim.store.namespaces.insert(name.to_string(), ns.clone());
    sim.wrote();
    ns
}

/// Server-set metadata for a new object.
pub fn new_meta(sim: &mut Sim, name: &str, namespace: Option<&str>) -> ObjectMeta {
    ObjectMeta {
        name: name.to_string(),
        namespace: namespace.map(str::to_string),
        uid: Some(sim.rng.uid()),
        resource_version: Some(sim.store.next_resource_version()),
        creation_timestamp: Some(sim.api_now()),
        ..Default::default()
    }
}

fn stamp_new(sim: &mut Sim, meta: &mut ObjectMeta) {
    meta.uid = Some(sim.rng.uid());
    meta.resource_version = Some(sim.store.next_resource_version());
    meta.creation_timestamp = Some(sim.api_now());
    meta.generation = Some(1);
    meta.deletion_timestamp = None;
    meta.deletion_grace_period_seconds = None;
}

/// Validation errors become one `Invalid` error, as the API server returns them.
pub fn invalid_if_any(
    kind: &str,
    name: &str,
    errs: Vec<validation::FieldError>,
) -> Result<(), ApiError> {
    if errs.is_empty() {
        return Ok(());
    }
    Err(ApiError::Invalid {
        message: validation::format_invalid(kind, name, &errs),
        fields: errs.iter().map(|e| e.path.clone()).collect(),
    })
}

// ---------------------------------------------------------------------------------------
// Deployments (user writes)

/// Pods here run one container (after their init containers); a template with more could
/// never make a pod, so it is refused when the Deployment is written, as a pod with more is
/// at admission.
fn one_container(d: &Deployment) -> Result<(), ApiError> {
    match running_containers(&d.spec.template.spec) {
        Some(why) => Err(ApiError::Forbidden(format!(
            "deployments.apps {:?} is forbidden: kubesim simulates one container per pod, and this pod template has {why}",
            d.metadata.name
        ))),
        None => Ok(()),
    }
}

/// What makes a pod run more than one container at a time: more than one container, or a
/// sidecar (an init container with `restartPolicy: Always`, which keeps running).
fn running_containers(spec: &crate::api::core::PodSpec) -> Option<String> {
    let n = spec.containers.len();
    if n > 1 {
        return Some(n.to_string());
    }
    let sidecar = spec
        .extra
        .get("initContainers")
        .and_then(|v| v.as_sequence())
        .into_iter()
        .flatten()
        .find(|c| c.get("restartPolicy").and_then(|r| r.as_str()) == Some("Always"))?;
    let name = sidecar.get("name").and_then(|n| n.as_str()).unwrap_or("");
    Some(format!(
        "a sidecar container, init container {name:?} with restartPolicy Always"
    ))
}

/// Creates a Deployment after defaulting and validation.
pub fn create_deployment(sim: &mut Sim, mut d: Deployment) -> Result<Deployment, ApiError> {
    let ns = d.metadata.ns().to_string();
    d.metadata.namespace = Some(ns.clone());
    defaults::deployment(&mut d);
    invalid_if_any(
        "Deployment",
        &d.metadata.name,
        validation::validate_deployment(&d, None),
    )?;
    one_container(&d)?;
    check_namespace(sim, &ns)?;
    let k = key(&ns, &d.metadata.name);
    if sim.store.deployments.contains_key(&k) {
        return Err(ApiError::AlreadyExists(format!(
            "deployments.apps {:?} already exists",
            d.metadata.name
        )));
    }
    stamp_new(sim, &mut d.metadata);
    d.status = Default::default();
    sim.store.deployments.insert(k.clone(), d.clone());
    sim.store.deployment_written(&k);
    sim.wrote();
    Ok(d)
}

/// Replaces a Deployment's spec, labels and annotations (status is kept). Returns the stored
/// object and whether anything changed. Spec or annotation changes bump `generation`
/// (the registry strategy does this because annotations are copied to ReplicaSets).
pub fn update_deployment(sim: &mut Sim, mut d: Deployment) -> Result<(Deployment, bool), ApiError> {
    let ns = d.metadata.ns().to_string();
    let k = key(&ns, &d.metadata.name);
    let Some(old) = sim.store.deployments.get(&k).cloned() else {
        return Err(ApiError::NotFound(format!(
            "deployments.apps {:?} not found",
            d.metadata.name
        )));
    };
    defaults::deployment(&mut d);
    invalid_if_any(
        "Deployment",
        &d.metadata.name,
        validation::validate_deployment(&d, Some(&old)),
    )?;
    one_container(&d)?;
    let mut next = old.clone();
    next.spec = d.spec;
    next.metadata.labels = d.metadata.labels;
    next.metadata.annotations = d.metadata.annotations;
    if next == old {
        return Ok((old, false));
    }
    if next.spec != old.spec || next.metadata.annotations != old.metadata.annotations {
        next.metadata.generation = Some(old.metadata.generation.unwrap_or(0) + 1);
    }
    next.metadata.resource_version = Some(sim.store.next_resource_version());
    sim.store.deployments.insert(k.clone(), next.clone());
    sim.store.deployment_written(&k);
    sim.wrote();
    Ok((next, true))
}

/// The controller's status write; also persists annotations (the status strategy resets only
/// spec and labels, which is how the revision annotation reaches the Deployment).
pub fn update_deployment_status(sim: &mut Sim, d: &Deployment) {
    let k = key(d.metadata.ns(), &d.metadata.name);
    let Some(stored) = sim.store.deployments.get(&k) else {
        return;
    };
    if stored.metadata.uid != d.metadata.uid {
        return;
    }
    let mut next = stored.clone();
    next.status = d.status.clone();
    next.metadata.annotations = d.metadata.annotations.clone();
    if next == *stored {
        return;
    }
    next.metadata.resource_version = Some(sim.store.next_resource_version());
    sim.store.deployments.insert(k.clone(), next);
    sim.store.deployment_written(&k);
    sim.wrote();
}

pub fn delete_deployment(
    sim: &mut Sim,
    ns: &str,
    name: &str,
    propagation: Propagation,
) -> Result<(), ApiError> {
    if propagation == Propagation::Foreground {
        let (now, rv) = (sim.api_now(), sim.store.resource_version + 1);
        let Some(d) = sim.store.deployments.get_mut(&key(ns, name)) else {
            return Err(ApiError::NotFound(format!(
                "deployments.apps {name:?} not found"
            )));
        };
        if mark_foreground(&mut d.metadata, now, rv) {
            sim.store.resource_version = rv;
            sim.store.deployment_written(&key(ns, name));
            sim.wrote();
        }
        return Ok(());
    }
    let Some(d) = sim.store.deployments.remove(&key(ns, name)) else {
        return Err(ApiError::NotFound(format!(
            "deployments.apps {name:?} not found"
        )));
    };
    sim.store
        .written(|_| Some(Written::Deployment(d.clone())), true);
    sim.wrote();
    if propagation == Propagation::Orphan {
        orphan_dependents(sim, ns, d.metadata.uid());
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// ReplicaSets

pub fn create_replicaset(sim: &mut Sim, mut rs: ReplicaSet) -> Result<ReplicaSet, CreateError> {
    let ns = rs.metadata.ns().to_string();
    let k = key(&ns, &rs.metadata.name);
    if let Some(existing) = sim.store.replicasets.get(&k) {
        return Err(CreateError::AlreadyExists(Box::new(existing.clone())));
    }
    if rs.metadata.name.len() > 253 {
        return Err(CreateError::Invalid(format!(
            "ReplicaSet.apps {:?} is invalid: metadata.name: Invalid value: {:?}: must be no more than 253 characters",
            rs.metadata.name, rs.metadata.name
        )));
    }
    stamp_new(sim, &mut rs.metadata);
    sim.store.replicasets.insert(k.clone(), rs.clone());
    sim.store.replicaset_written(&k);
    sim.wrote();
    Ok(rs)
}

/// Writes a ReplicaSet (spec, metadata); a spec change bumps `generation`. No-op if unchanged.
pub fn update_replicaset(sim: &mut Sim, mut rs: ReplicaSet) -> ReplicaSet {
    let k = key(rs.metadata.ns(), &rs.metadata.name);
    let Some(old) = sim.store.replicasets.get(&k) else {
        return rs;
    };
    rs.status = old.status.clone();
    if rs == *old {
        return rs;
    }
    if rs.spec != old.spec {
        rs.metadata.generation = Some(old.metadata.generation.unwrap_or(0) + 1);
    }
    rs.metadata.resource_version = Some(sim.store.next_resource_version());
    sim.store.replicasets.insert(k.clone(), rs.clone());
    sim.store.replicaset_written(&k);
    sim.wrote();
    rs
}

pub fn update_replicaset_status(
    sim: &mut Sim,
    k: &Key,
    status: crate::api::apps::ReplicaSetStatus,
) {
    let Some(rs) = sim.store.replicasets.get_mut(k) else {
        return;
    };
    if rs.status == status {
        return;
    }
    rs.status = status;
    sim.store.resource_version += 1;
    rs.metadata.resource_version = Some(sim.store.resource_version.to_string());
    sim.store.replicaset_written(k);
    sim.wrote();
}

pub fn delete_replicaset(sim: &mut Sim, ns: &str, name: &str, propagation: Propagation) -> bool {
    if propagation == Propagation::Foreground {
        let (now, rv) = (sim.api_now(), sim.store.resource_version + 1);
        let Some(rs) = sim.store.replicasets.get_mut(&key(ns, name)) else {
            return false;
        };
        if mark_foreground(&mut rs.metadata, now, rv) {
            sim.store.resource_version = rv;
            sim.store.replicaset_written(&key(ns, name));
            sim.wrote();
        }
        return true;
    }
    let Some(rs) = sim.store.replicasets.remove(&key(ns, name)) else {
        return false;
    };
    sim.store
        .written(|_| Some(Written::ReplicaSet(rs.clone())), true);
    sim.rs_backoff.remove(&key(ns, name));
    sim.wrote();
    if propagation == Propagation::Orphan {
        orphan_dependents(sim, ns, rs.metadata.uid());
    }
    true
}

/// The finalizer that holds an object deleted in the foreground until its dependents are gone.
pub const FOREGROUND_DELETION: &str = "foregroundDeletion";

/// `--cascade=foreground`: the object stays, with a deletion timestamp and the
/// `foregroundDeletion` finalizer, while the garbage collector deletes its dependents.
/// Says whether it changed.
fn mark_foreground(meta: &mut ObjectMeta, now: Time, rv: u64) -> bool {
    if meta.is_terminating() {
        return false;
    }
    meta.deletion_timestamp = Some(now);
    meta.deletion_grace_period_seconds = Some(0);
    meta.finalizers.push(FOREGROUND_DELETION.into());
    meta.resource_version = Some(rv.to_string());
    true
}

/// `--cascade=orphan`: dependents lose their owner reference instead of being deleted.
fn orphan_dependents(sim: &mut Sim, ns: &str, owner_uid: &str) {
    let rs_keys: Vec<Key> = sim
        .store
        .replicasets_in(ns)
        .filter(|r| {
            r.metadata
                .owner_references
                .iter()
                .any(|o| o.uid == owner_uid)
        })
        .map(|r| key(ns, &r.metadata.name))
        .collect();
    for k in rs_keys {
        if let Some(r) = sim.store.replicasets.get_mut(&k) {
            r.metadata.owner_references.retain(|o| o.uid != owner_uid);
            sim.store.replicaset_written(&k);
        }
    }
    let pod_keys: Vec<Key> = sim
        .store
        .pods_in(ns)
        .filter(|p| {
            p.metadata
                .owner_references
                .iter()
                .any(|o| o.uid == owner_uid)
        })
        .map(|p| key(ns, &p.metadata.name))
        .collect();
    for k in pod_keys {
        if let Some(p) = sim.store.pods.get_mut(&k) {
            p.metadata.owner_references.retain(|o| o.uid != owner_uid);
        }
    }
    sim.wrote();
}

// ---------------------------------------------------------------------------------------
// Pods

/// Creates a pod: generateName (prefix cut to 58 characters + 5 random ones), pod defaults,
/// the DefaultTolerationSeconds admission plugin, then the pod-count quota check.
/// Most pods the simulation holds at once.
pub const MAX_PODS: usize = 5_000;

pub fn create_pod(sim: &mut Sim, mut pod: Pod) -> Result<Pod, String> {
    let ns = pod.metadata.ns().to_string();
    pod.api_version = "v1".into();
    pod.kind = "Pod".into();
    if let Some(prefix) = pod.metadata.generate_name.clone() {
        let base: String = prefix.chars().take(58).collect();
        loop {
            let name = format!("{base}{}", sim.rng.name_suffix(5));
            if !sim.store.pods.contains_key(&key(&ns, &name)) {
                pod.metadata.name = name;
                break;
            }
        }
    }
    defaults::pod(&mut pod.spec);
    add_default_tolerations(sim, &mut pod);
    pod.spec
        .extra
        .entry("enableServiceLinks".into())
        .or_insert(serde_yaml::Value::Bool(true));
    pod.spec
        .extra
        .entry("preemptionPolicy".into())
        .or_insert_with(|| "PreemptLowerPriority".into());
    pod.spec
        .extra
        .entry("priority".into())
        .or_insert(serde_yaml::Value::Number(0.into()));
    pod.spec
        .extra
        .entry("serviceAccountName".into())
        .or_insert_with(|| "default".into());
    pod.spec
        .extra
        .entry("serviceAccount".into())
        .or_insert_with(|| "default".into());
    // A browser page cannot simulate unbounded clusters (a hostile link could ask for a
    // million replicas); past the cap creations fail like a quota refusal.
    if sim.store.pods.len() >= MAX_PODS {
        return Err(format!(
            "pods {:?} is forbidden: kubesim simulates at most {MAX_PODS} pods",
            pod.metadata.name
        ));
    }
    // The kubelet here runs one container per pod; a second one would never start, so the
    // pod would show Ready with a container that never ran. Refused like an admission denial.
    if let Some(why) = running_containers(&pod.spec) {
        return Err(format!(
            "pods {:?} is forbidden: kubesim simulates one container per pod, and this pod has {why}",
            pod.metadata.name
        ));
    }
    crate::controllers::replicaset::check_pod_quota(sim, &ns, &pod.metadata.name)?;
    // Pods carry a generation since v1.33 (KEP 5067).
    stamp_new(sim, &mut pod.metadata);
    pod.status = crate::api::core::PodStatus {
        phase: "Pending".into(),
        qos_class: Some(qos_class(&pod)),
        ..Default::default()
    };
    sim.store
        .pods
        .insert(key(&ns, &pod.metadata.name), pod.clone());
    sim.store.pod_written(&pod, false);
    sim.wrote();
    Ok(pod)
}

fn add_default_tolerations(sim: &Sim, pod: &mut Pod) {
    for k in [
        "node.kubernetes.io/not-ready",
        "node.kubernetes.io/unreachable",
    ] {
        let has = pod.spec.tolerations.iter().any(|t| {
            (t.key.as_deref() == Some(k)
                || t.key.is_none() && t.operator.as_deref() == Some("Exists"))
                && t.effect
                    .as_deref()
                    .is_none_or(|e| e.is_empty() || e == "NoExecute")
        });
        if !has {
            pod.spec.tolerations.push(Toleration {
                key: Some(k.into()),
                operator: Some("Exists".into()),
                value: None,
                effect: Some("NoExecute".into()),
                toleration_seconds: Some(sim.config.not_ready_toleration_seconds),
            });
        }
    }
}

fn qos_class(pod: &Pod) -> String {
    let cs = &pod.spec.containers;
    let any_req = cs.iter().any(|c| {
        c.resources
            .as_ref()
            .is_some_and(|r| !r.requests.is_empty() || !r.limits.is_empty())
    });
    if !any_req {
        return "BestEffort".into();
    }
    let guaranteed = cs.iter().all(|c| {
        c.resources.as_ref().is_some_and(|r| {
            ["cpu", "memory"]
                .iter()
                .all(|k| r.limits.contains_key(*k) && r.requests.get(*k) == r.limits.get(*k))
        })
    });
    if guaranteed {
        "Guaranteed"
    } else {
        "Burstable"
    }
    .into()
}

/// Deletes a Service (its Endpoints and slices go with it as their controllers sync).
pub fn delete_service(sim: &mut Sim, ns: &str, name: &str) {
    if sim.store.services.remove(&key(ns, name)).is_some() {
        sim.wrote();
    }
}

/// Writes a pod's status (and conditions) if it changed.
pub fn update_pod(sim: &mut Sim, pod: Pod) {
    let k = key(pod.metadata.ns(), &pod.metadata.name);
    let Some(old) = sim.store.pods.get(&k) else {
        return;
    };
    if *old == pod || old.metadata.uid != pod.metadata.uid {
        return;
    }
    let mut pod = pod;
    pod.metadata.resource_version = Some(sim.store.next_resource_version());
    sim.store.pod_written(&pod, false);
    sim.store.pods.insert(k, pod);
    sim.wrote();
}

/// Graceful deletion: `deletionTimestamp = now + grace`. Pods never scheduled, or already
/// finished, are removed at once (the pod strategy's `CheckGracefulDelete`).
pub fn delete_pod(sim: &mut Sim, ns: &str, name: &str, grace: Option<i64>) -> Result<(), ApiError> {
    let k = key(ns, name);
    let Some(pod) = sim.store.pods.get(&k).cloned() else {
        return Err(ApiError::NotFound(format!("pods {name:?} not found")));
    };
    let mut grace = grace
        .unwrap_or_else(|| pod.spec.termination_grace_period_seconds.unwrap_or(30))
        .max(0);
    let unscheduled = pod.spec.node_name.as_deref().unwrap_or("").is_empty();
    if unscheduled || pod.status.phase == "Succeeded" || pod.status.phase == "Failed" {
        grace = 0;
    }
    if grace == 0 {
        remove_pod(sim, &k);
        return Ok(());
    }
    if let Some(existing) = pod.metadata.deletion_timestamp {
        // A second delete may only shorten the grace period.
        let proposed = sim.api_now().plus_secs(grace);
        if proposed >= existing {
            return Ok(());
        }
    }
    let mut p = pod;
    p.metadata.deletion_timestamp = Some(sim.api_now().plus_secs(grace));
    p.metadata.deletion_grace_period_seconds = Some(grace);
    p.metadata.resource_version = Some(sim.store.next_resource_version());
    sim.store.pod_written(&p, false);
    sim.store.pods.insert(k, p);
    sim.scheduler.epoch += 1;
    sim.wrote();
    Ok(())
}

/// The object is gone from the API (after termination, or a zero-grace delete).
pub fn remove_pod(sim: &mut Sim, k: &Key) {
    if let Some(p) = sim.store.pods.remove(k) {
        sim.store.pod_written(&p, true);
        crate::controllers::kubelet::forget(sim, p.metadata.uid());
        sim.scheduler.epoch += 1;
        sim.wrote();
    }
}

/// Deleting a Node: its pods are force-deleted at once (the pod garbage collector removes
/// pods bound to nodes that no longer exist).
pub fn delete_node(sim: &mut Sim, name: &str) {
    if sim.store.nodes.remove(name).is_none() {
        return;
    }
    sim.kubelet.nodes.remove(name);
    let bound: Vec<Key> = sim
        .store
        .pods
        .iter()
        .filter(|(_, p)| p.spec.node_name.as_deref() == Some(name))
        .map(|(k, _)| k.clone())
        .collect();
    for k in bound {
        remove_pod(sim, &k);
    }
    sim.scheduler.epoch += 1;
    sim.wrote();
}

/// Deleting a Namespace: it turns `Terminating`, everything in it is deleted, and it
/// disappears once its last pod is gone.
pub fn delete_namespace(sim: &mut Sim, name: &str) -> Result<(), ApiError> {
    if SYSTEM_NAMESPACES.contains(&name) {
        return Err(ApiError::Forbidden(format!(
            "namespaces {name:?} is forbidden: this namespace may not be deleted"
        )));
    }
    let Some(ns) = sim.store.namespaces.get_mut(name) else {
        return Err(ApiError::NotFound(format!("namespaces {name:?} not found")));
    };
    if ns.status.phase == "Terminating" {
        return Ok(());
    }
    ns.status.phase = "Terminating".into();
    ns.metadata.deletion_timestamp = Some(sim.now);
    let in_ns = |k: &Key| k.0 == name;
    let gone: Vec<Written> = if sim.store.writes.is_some() {
        let deployments = sim.store.deployments.iter().filter(|(k, _)| in_ns(k));
        let replicasets = sim.store.replicasets.iter().filter(|(k, _)| in_ns(k));
        deployments
            .map(|(_, d)| Written::Deployment(d.clone()))
            .chain(replicasets.map(|(_, r)| Written::ReplicaSet(r.clone())))
            .collect()
    } else {
        Vec::new()
    };
    for object in gone {
        sim.store.written(|_| Some(object), true);
    }
    sim.store.deployments.retain(|k, _| !in_ns(k));
    sim.store.services.retain(|k, _| !in_ns(k));
    sim.store.endpoints.retain(|k, _| !in_ns(k));
    sim.store.endpoint_slices.retain(|k, _| !in_ns(k));
    sim.store.quotas.retain(|k, _| !in_ns(k));
    sim.store.replicasets.retain(|k, _| !in_ns(k));
    let pods: Vec<Key> = sim
        .store
        .pods
        .keys()
        .filter(|k| in_ns(k))
        .cloned()
        .collect();
    for k in pods {
        let _ = delete_pod(sim, &k.0, &k.1, None);
    }
    sim.wrote();
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Services, Endpoints, EndpointSlices

/// kubeadm's default `--service-cluster-ip-range`, 10.96.0.0/12.
const SERVICE_CIDR_BASE: u32 = 0x0A60_0000;
const SERVICE_CIDR_SIZE: u32 = 1 << 20;
/// The allocator keeps the low band (`min(max(16, size/16), 256)` addresses: 10.96.0.1 for
/// `kubernetes`, 10.96.0.10 for DNS) for IPs users ask for; dynamic ones come from above.
const SERVICE_STATIC_BAND: u32 = 256;
/// `--service-node-port-range`, 30000-32767.
const NODE_PORT_MIN: i64 = 30000;
const NODE_PORT_COUNT: u64 = 2768;

/// A stable starting point for the allocators from a UID, so an address depends on the
/// seeded UID only and costs no draw from the simulation's RNG.
fn fnv(text: &str) -> u64 {
    crate::api::hash::fnv64(text.bytes())
}

fn ipv4(n: u32) -> String {
    format!(
        "{}.{}.{}.{}",
        n >> 24,
        (n >> 16) & 255,
        (n >> 8) & 255,
        n & 255
    )
}

/// `dropTypeDependentFields`: on an update that changes the type, the fields the new
/// type has no use for are wiped when the user left them as they were (node ports, the
/// external and internal traffic policies, the cluster IPs of a Service turning into an
/// ExternalName one, a load balancer's own fields), so that `kubectl apply` or `patch`
/// from NodePort back to ClusterIP passes validation as on a real cluster.
pub fn drop_type_dependent_fields(new: &mut Service, old: &Service) {
    let type_of = |s: &Service| s.spec.type_.clone().unwrap_or_else(|| "ClusterIP".into());
    let (was, is) = (type_of(old), type_of(new));
    let node_ports = |t: &str| t == "NodePort" || t == "LoadBalancer";
    let node_port_set = |s: &Service| -> Vec<i64> {
        s.spec
            .ports
            .iter()
            .filter_map(|p| p.node_port)
            .filter(|n| *n != 0)
            .collect()
    };
    let same = |k: &str, new: &Service| new.spec.extra.get(k) == old.spec.extra.get(k);
    if node_ports(&was) && !node_ports(&is) {
        let old_ports = node_port_set(old);
        // Ports may be added, removed or changed, as long as no node port is new.
        if node_port_set(new).iter().all(|n| old_ports.contains(n)) {
            for p in &mut new.spec.ports {
                p.node_port = None;
            }
        }
    }
    if !node_ports(&is) && same("externalTrafficPolicy", new) {
        new.spec.extra.remove("externalTrafficPolicy");
    }
    if was != "ExternalName" && is == "ExternalName" {
        if new.spec.cluster_ip == old.spec.cluster_ip && same("clusterIPs", new) {
            new.spec.cluster_ip = None;
            new.spec.extra.remove("clusterIPs");
        }
        for k in ["ipFamilies", "ipFamilyPolicy", "internalTrafficPolicy"] {
            if same(k, new) {
                new.spec.extra.remove(k);
            }
        }
    }
    if was == "LoadBalancer" && is != "LoadBalancer" {
        for k in [
            "healthCheckNodePort",
            "allocateLoadBalancerNodePorts",
            "loadBalancerClass",
        ] {
            if same(k, new) {
                new.spec.extra.remove(k);
            }
        }
    }
}

/// What the Service REST storage and `SetDefaults_Service` add to a Service being written:
/// a ClusterIP from the dynamic band of the service CIDR (kept from `live` on updates), the
/// IP family fields of a single-stack IPv4 cluster, the traffic policies and node ports.
/// An address the user asked for is checked as the allocators check it: in range, free,
/// and on updates unchanged. `s.metadata.uid` must be set.
pub fn default_service_addresses(
    sim: &Sim,
    s: &mut Service,
    live: Option<&Service>,
) -> Result<(), Vec<validation::FieldError>> {
    use serde_yaml::Value;
    use validation::{ErrorType, FieldError};
    let type_ = s.spec.type_.clone().unwrap_or_else(|| "ClusterIP".into());
    if type_ == "ExternalName" {
        return Ok(());
    }
    let node_ports = type_ == "NodePort" || type_ == "LoadBalancer";
    let str_list = |v: &[&str]| Value::Sequence(v.iter().map(|x| Value::from(*x)).collect());
    let ip_error = |path: &str, ip: &str, detail: String| FieldError {
        path: path.into(),
        error: ErrorType::Invalid(
            format!("[]string{{{}}}", crate::api::json::quote(ip)),
            detail,
        ),
    };
    for p in &mut s.spec.ports {
        if p.node_port == Some(0) {
            p.node_port = None;
        }
    }
    // An ExternalName Service had no address: turning it into another type allocates one,
    // as on create (`validateUpgradeDowngradeClusterIPs` skips it).
    let live = live.filter(|l| l.spec.type_.as_deref() != Some("ExternalName"));
    if let Some(l) = live {
        let old = l.spec.cluster_ip.as_deref().unwrap_or("");
        match s.spec.cluster_ip.as_deref() {
            None | Some("") => s.spec.cluster_ip = l.spec.cluster_ip.clone(),
            // The cluster IP is allocated once: `ValidateServiceUpdate` refuses a new one.
            Some(ip) if ip != old => {
                return Err(vec![ip_error(
                    "spec.clusterIPs[0]",
                    ip,
                    "may not change once set".into(),
                )])
            }
            Some(_) => {}
        }
        for k in ["clusterIPs", "ipFamilies", "ipFamilyPolicy"] {
            if let (false, Some(v)) = (s.spec.extra.contains_key(k), l.spec.extra.get(k)) {
                s.spec.extra.insert(k.into(), v.clone());
            }
        }
        for p in s.spec.ports.iter_mut().filter(|_| node_ports) {
            if p.node_port.is_none() {
                p.node_port = l
                    .spec
                    .ports
                    .iter()
                    .find(|lp| lp.port == p.port)
                    .and_then(|lp| lp.node_port);
            }
        }
    }
    let others = || {
        sim.store
            .services
            .values()
            .filter(|x| x.metadata.uid != s.metadata.uid)
    };
    match s.spec.cluster_ip.clone().as_deref() {
        None | Some("") => {
            let used: Vec<&str> = others()
                .filter_map(|x| x.spec.cluster_ip.as_deref())
                .collect();
            let span = SERVICE_CIDR_SIZE - SERVICE_STATIC_BAND - 1;
            let start = (fnv(s.metadata.uid()) % span as u64) as u32;
            let ip = (0..span)
                .map(|i| ipv4(SERVICE_CIDR_BASE + SERVICE_STATIC_BAND + (start + i) % span))
                .find(|ip| !used.contains(&ip.as_str()));
            s.spec.cluster_ip = ip;
        }
        Some("None") => {}
        Some(ip) if live.is_none() => {
            let in_range = match ip.parse::<std::net::IpAddr>() {
                Ok(std::net::IpAddr::V4(v4)) => {
                    let n = u32::from(v4).wrapping_sub(SERVICE_CIDR_BASE);
                    // The network and broadcast addresses are never handed out.
                    (1..SERVICE_CIDR_SIZE - 1).contains(&n)
                }
                Ok(std::net::IpAddr::V6(_)) => {
                    let detail = "IPv6 is not configured on this cluster".to_string();
                    return Err(vec![ip_error("spec.clusterIPs[0]", ip, detail)]);
                }
                // `validate_service` has refused it already.
                Err(_) => false,
            };
            let taken = others().any(|x| x.spec.cluster_ip.as_deref() == Some(ip));
            let inside = ip
                .parse::<std::net::Ipv4Addr>()
                .is_ok_and(|v4| u32::from(v4).wrapping_sub(SERVICE_CIDR_BASE) < SERVICE_CIDR_SIZE);
            // The ServiceCIDR allocator (stable since v1.33) finds no range for an address
            // outside every ServiceCIDR; inside, the range's own allocator keeps its first
            // and last address.
            let why = if !inside {
                "the provided network does not match the current range".to_string()
            } else if !in_range {
                format!(
                    "the provided IP ({ip}) is not in the valid range. The range of valid IPs is {}/12",
                    ipv4(SERVICE_CIDR_BASE)
                )
            } else if taken {
                "provided IP is already allocated".to_string()
            } else {
                String::new()
            };
            if !why.is_empty() {
                let detail = format!("failed to allocate IP {ip}: {why}");
                return Err(vec![ip_error("spec.clusterIPs", ip, detail)]);
            }
        }
        Some(_) => {}
    }
    let ip = s.spec.cluster_ip.clone().unwrap_or_default();
    let defaults = [
        ("clusterIPs", str_list(&[ip.as_str()])),
        ("ipFamilies", str_list(&["IPv4"])),
        ("ipFamilyPolicy", Value::from("SingleStack")),
        ("internalTrafficPolicy", Value::from("Cluster")),
    ];
    for (k, v) in defaults {
        s.spec.extra.entry(k.into()).or_insert(v);
    }
    if !node_ports {
        return Ok(());
    }
    s.spec
        .extra
        .entry("externalTrafficPolicy".into())
        .or_insert_with(|| Value::from("Cluster"));
    let mut used: Vec<i64> = others()
        .flat_map(|x| x.spec.ports.iter().filter_map(|p| p.node_port))
        .collect();
    let range = NODE_PORT_MIN..NODE_PORT_MIN + NODE_PORT_COUNT as i64;
    for (i, p) in s.spec.ports.iter().enumerate() {
        let Some(n) = p.node_port else { continue };
        // `initNodePorts`: the same port number over another protocol shares its node port.
        let shared = s.spec.ports[..i]
            .iter()
            .any(|q| q.port == p.port && q.node_port == Some(n));
        let why = if shared {
            continue;
        } else if !range.contains(&n) {
            format!(
                "provided port is not in the valid range. The range of valid ports is {}-{}",
                range.start,
                range.end - 1
            )
        } else if used.contains(&n) {
            "provided port is already allocated".to_string()
        } else {
            used.push(n);
            continue;
        };
        // The allocator stops at its first refusal.
        return Err(vec![FieldError {
            path: format!("spec.ports[{i}].nodePort"),
            error: ErrorType::Invalid(n.to_string(), why),
        }]);
    }
    let seed = fnv(s.metadata.uid());
    for i in 0..s.spec.ports.len() {
        if s.spec.ports[i].node_port.is_some() {
            continue;
        }
        let number = s.spec.ports[i].port;
        let sibling = s.spec.ports[..i]
            .iter()
            .find(|q| q.port == number)
            .and_then(|q| q.node_port);
        let p = &mut s.spec.ports[i];
        if sibling.is_some() {
            p.node_port = sibling;
            continue;
        }
        let start = (seed.wrapping_add(i as u64 * 7919)) % NODE_PORT_COUNT;
        let port = (0..NODE_PORT_COUNT)
            .map(|j| NODE_PORT_MIN + ((start + j) % NODE_PORT_COUNT) as i64)
            .find(|n| !used.contains(n));
        if let Some(n) = port {
            used.push(n);
            p.node_port = Some(n);
        }
    }
    Ok(())
}

/// The endpoints controller's create-or-update of an Endpoints object; a no-op if nothing
/// but server-set fields would change.
pub fn put_endpoints(sim: &mut Sim, mut ep: Endpoints) {
    ep.api_version = "v1".into();
    ep.kind = "Endpoints".into();
    let k = key(ep.metadata.ns(), &ep.metadata.name);
    match sim.store.endpoints.get(&k) {
        Some(old) => {
            let mut same = ep.clone();
            same.metadata = old.metadata.clone();
            same.metadata.labels = ep.metadata.labels.clone();
            same.metadata.annotations = ep.metadata.annotations.clone();
            if same == *old {
                return;
            }
            same.metadata.resource_version = Some(sim.store.next_resource_version());
            sim.store.endpoints.insert(k, same);
        }
        None => {
            let meta = new_meta(sim, &ep.metadata.name, Some(&k.0));
            ep.metadata = ObjectMeta {
                labels: ep.metadata.labels,
                annotations: ep.metadata.annotations,
                ..meta
            };
            sim.store.endpoints.insert(k, ep);
        }
    }
    sim.wrote();
}

pub fn delete_endpoints(sim: &mut Sim, k: &Key) {
    if sim.store.endpoints.remove(k).is_some() {
        sim.wrote();
    }
}

/// Creates an EndpointSlice from its `generateName`; returns the name it got.
pub fn create_endpoint_slice(sim: &mut Sim, mut slice: EndpointSlice) -> String {
    slice.api_version = "discovery.k8s.io/v1".into();
    slice.kind = "EndpointSlice".into();
    let ns = slice.metadata.ns().to_string();
    let prefix = slice.metadata.generate_name.clone().unwrap_or_default();
    let name = loop {
        let name = format!("{prefix}{}", sim.rng.name_suffix(5));
        if !sim.store.endpoint_slices.contains_key(&key(&ns, &name)) {
            break name;
        }
    };
    slice.metadata.name = name.clone();
    slice.metadata.namespace = Some(ns.clone());
    stamp_new(sim, &mut slice.metadata);
    sim.store.endpoint_slices.insert(key(&ns, &name), slice);
    sim.wrote();
    name
}

/// Replaces a slice's endpoints, ports, labels and annotations; `generation` counts changes.
pub fn update_endpoint_slice(sim: &mut Sim, slice: EndpointSlice) {
    let k = key(slice.metadata.ns(), &slice.metadata.name);
    let Some(old) = sim.store.endpoint_slices.get(&k) else {
        return;
    };
    let mut next = old.clone();
    next.endpoints = slice.endpoints;
    next.ports = slice.ports;
    next.metadata.labels = slice.metadata.labels;
    next.metadata.annotations = slice.metadata.annotations;
    if next == *old {
        return;
    }
    next.metadata.generation = Some(old.metadata.generation.unwrap_or(0) + 1);
    next.metadata.resource_version = Some(sim.store.next_resource_version());
    sim.store.endpoint_slices.insert(k, next);
    sim.wrote();
}

pub fn delete_endpoint_slice(sim: &mut Sim, k: &Key) {
    if sim.store.endpoint_slices.remove(k).is_some() {
        sim.wrote();
    }
}

pub fn check_namespace(sim: &Sim, ns: &str) -> Result<(), ApiError> {
    match sim.store.namespaces.get(ns) {
        None => Err(ApiError::NotFound(format!("namespaces {ns:?} not found"))),
        Some(n) if n.status.phase == "Terminating" => Err(ApiError::Forbidden(format!(
            "unable to create new content in namespace {ns} because it is being terminated"
        ))),
        Some(_) => Ok(()),
    }
}

/// Nodes are written by the kubelet and the node lifecycle controller.
pub fn update_node(sim: &mut Sim, node: Node) {
    let Some(old) = sim.store.nodes.get(&node.metadata.name) else {
        return;
    };
    if *old == node {
        return;
    }
    let mut node = node;
    node.metadata.resource_version = Some(sim.store.next_resource_version());
    sim.store.nodes.insert(node.metadata.name.clone(), node);
    sim.scheduler.epoch += 1;
    sim.wrote();
}

pub fn now_plus(sim: &Sim, secs: i64) -> Time {
    sim.api_now().plus_secs(secs)
}
