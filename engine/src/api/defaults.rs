//! apps/v1 and core/v1 defaulting (`SetDefaults_Deployment`, `SetDefaults_PodSpec`,
//! `SetDefaults_Container`, probes), so stored objects look like a real cluster's.

use super::apps::{Deployment, DeploymentStrategy, RollingUpdateDeployment};
use super::core::{Container, PodSpec, PodTemplateSpec, Probe, ResourceRequirements};
use super::meta::IntOrString;
use super::service::Service;
use crate::registry::ImageRef;
use serde_yaml::Value;

pub fn deployment(d: &mut Deployment) {
    d.api_version = "apps/v1".into();
    d.kind = "Deployment".into();
    let s = &mut d.spec;
    s.replicas.get_or_insert(1);
    let strategy = s.strategy.get_or_insert_with(DeploymentStrategy::default);
    let type_ = strategy
        .type_
        .get_or_insert_with(|| "RollingUpdate".into())
        .clone();
    if type_ == "RollingUpdate" {
        let ru = strategy
            .rolling_update
            .get_or_insert_with(RollingUpdateDeployment::default);
        ru.max_unavailable
            .get_or_insert_with(|| IntOrString::Str("25%".into()));
        ru.max_surge
            .get_or_insert_with(|| IntOrString::Str("25%".into()));
    }
    s.revision_history_limit.get_or_insert(10);
    s.progress_deadline_seconds.get_or_insert(600);
    pod_template(&mut s.template);
}

pub fn pod_template(t: &mut PodTemplateSpec) {
    pod_spec(&mut t.spec);
}

/// A pod's spec: the pod template's defaults, and `SetDefaults_Pod`'s requests, which
/// default to the limits when only limits are given (on pods only, not on templates).
pub fn pod(s: &mut PodSpec) {
    pod_spec(s);
    for c in &mut s.containers {
        if let Some(res) = &mut c.resources {
            for (k, v) in res.limits.clone() {
                res.requests.entry(k).or_insert(v);
            }
        }
    }
}

pub fn pod_spec(s: &mut PodSpec) {
    s.restart_policy.get_or_insert_with(|| "Always".into());
    s.termination_grace_period_seconds.get_or_insert(30);
    s.dns_policy.get_or_insert_with(|| "ClusterFirst".into());
    s.scheduler_name
        .get_or_insert_with(|| "default-scheduler".into());
    s.extra
        .entry("securityContext".into())
        .or_insert_with(|| Value::Mapping(Default::default()));
    for c in &mut s.containers {
        container(c);
    }
}

pub fn container(c: &mut Container) {
    if c.image_pull_policy.is_none() {
        // `latest` or no tag at all → Always; anything else → IfNotPresent.
        let always = c
            .image
            .as_deref()
            .and_then(ImageRef::parse)
            .map(|r| r.digest.is_none() && (!r.explicit_tag || r.tag == "latest"))
            .unwrap_or(false);
        c.image_pull_policy = Some(if always { "Always" } else { "IfNotPresent" }.into());
    }
    c.termination_message_path
        .get_or_insert_with(|| "/dev/termination-log".into());
    c.termination_message_policy
        .get_or_insert_with(|| "File".into());
    let res = c
        .resources
        .get_or_insert_with(ResourceRequirements::default);
    // The API server stores quantities in their canonical form (`0.5` → `500m`).
    for q in res.limits.values_mut().chain(res.requests.values_mut()) {
        q.0 = q.canonical();
    }
    for p in &mut c.ports {
        p.protocol.get_or_insert_with(|| "TCP".into());
    }
    if let Some(p) = &mut c.readiness_probe {
        probe(p);
    }
    for key in ["livenessProbe", "startupProbe"] {
        if let Some(v) = c.extra.get_mut(key) {
            if let Ok(mut p) = super::yaml::from_value::<Probe>(v.clone()) {
                probe(&mut p);
                *v = super::yaml::to_value(&p);
            }
        }
    }
}

/// `SetDefaults_Probe`: unset or zero fields take their defaults.
pub fn probe(p: &mut Probe) {
    for (field, default) in [
        (&mut p.timeout_seconds, 1),
        (&mut p.period_seconds, 10),
        (&mut p.success_threshold, 1),
        (&mut p.failure_threshold, 3),
    ] {
        if field.is_none_or(|v| v == 0) {
            *field = Some(default);
        }
    }
    if let Some(h) = &mut p.http_get {
        h.scheme.get_or_insert_with(|| "HTTP".into());
    }
}

pub fn service(s: &mut Service) {
    s.api_version = "v1".into();
    s.kind = "Service".into();
    s.spec.type_.get_or_insert_with(|| "ClusterIP".into());
    s.spec.session_affinity.get_or_insert_with(|| "None".into());
    for p in &mut s.spec.ports {
        p.protocol.get_or_insert_with(|| "TCP".into());
        if p.target_port.is_none() {
            p.target_port = Some(IntOrString::Int(p.port));
        }
    }
}
