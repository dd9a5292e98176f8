//! `kubectl apply -f FILE`: multi-document YAML, strict decoding, defaulting and validation by
//! the API server, the three-way merge against `last-applied-configuration`, and one outcome
//! per object (`created`, `configured`, `unchanged`, or its error). Also the editor's preview:
//! what an apply would do to each Deployment, computed by applying to a copy of the cluster.

use super::args::{self, flag, Flag};
use crate::api::apps::{Deployment, LAST_APPLIED};
use crate::api::core::{Namespace, Pod, ResourceQuota};
use crate::api::meta::{parse_label_selector, LabelSelector};
use crate::api::service::Service;
use crate::api::{defaults, json, merge, schema, validation, yaml};
use crate::apiserver::{self, ApiError};
use crate::command::Output;
use crate::controllers::deployment::util::{equal_ignore_hash, find_new_replica_set};
use crate::sim::Sim;
use crate::store::key;
use serde_yaml::Value;

const FLAGS: &[Flag] = &[
    flag("filename", Some('f'), true),
    args::DRY_RUN,
    flag("validate", None, true),
    flag("output", Some('o'), true),
    flag("record", None, false),
    flag("server-side", None, false),
    flag("force", None, false),
    flag("prune", None, false),
    flag("all", None, false),
    flag("selector", Some('l'), true),
];

/// The kinds `apply` writes.
const SUPPORTED_KINDS: [&str; 5] = ["Deployment", "Namespace", "Pod", "ResourceQuota", "Service"];

/// The kinds a v1.35 API server serves, with every version it serves them in: the REST
/// mapper finds these, and no others.
const SERVED_KINDS: &[(&str, &[&str])] = &[
    ("Deployment", &["apps/v1"]),
    ("Namespace", &["v1"]),
    ("Pod", &["v1"]),
    ("ResourceQuota", &["v1"]),
    ("Service", &["v1"]),
    ("ReplicaSet", &["apps/v1"]),
    ("StatefulSet", &["apps/v1"]),
    ("DaemonSet", &["apps/v1"]),
    ("ControllerRevision", &["apps/v1"]),
    ("ConfigMap", &["v1"]),
    ("Secret", &["v1"]),
    ("ServiceAccount", &["v1"]),
    ("PersistentVolumeClaim", &["v1"]),
    ("PersistentVolume", &["v1"]),
    ("LimitRange", &["v1"]),
    ("Endpoints", &["v1"]),
    ("Node", &["v1"]),
    ("Event", &["v1", "events.k8s.io/v1"]),
    ("PodTemplate", &["v1"]),
    ("ReplicationController", &["v1"]),
    ("Job", &["batch/v1"]),
    ("CronJob", &["batch/v1"]),
    (
        "HorizontalPodAutoscaler",
        &["autoscaling/v2", "autoscaling/v1"],
    ),
    ("PodDisruptionBudget", &["policy/v1"]),
    ("Ingress", &["networking.k8s.io/v1"]),
    ("IngressClass", &["networking.k8s.io/v1"]),
    ("NetworkPolicy", &["networking.k8s.io/v1"]),
    ("ServiceCIDR", &["networking.k8s.io/v1"]),
    ("IPAddress", &["networking.k8s.io/v1"]),
    ("EndpointSlice", &["discovery.k8s.io/v1"]),
    ("Role", &["rbac.authorization.k8s.io/v1"]),
    ("RoleBinding", &["rbac.authorization.k8s.io/v1"]),
    ("ClusterRole", &["rbac.authorization.k8s.io/v1"]),
    ("ClusterRoleBinding", &["rbac.authorization.k8s.io/v1"]),
    ("StorageClass", &["storage.k8s.io/v1"]),
    ("CSIDriver", &["storage.k8s.io/v1"]),
    ("CSINode", &["storage.k8s.io/v1"]),
    ("VolumeAttachment", &["storage.k8s.io/v1"]),
    ("PriorityClass", &["scheduling.k8s.io/v1"]),
    ("RuntimeClass", &["node.k8s.io/v1"]),
    ("Lease", &["coordination.k8s.io/v1"]),
    ("CertificateSigningRequest", &["certificates.k8s.io/v1"]),
    (
        "ValidatingWebhookConfiguration",
        &["admissionregistration.k8s.io/v1"],
    ),
    (
        "MutatingWebhookConfiguration",
        &["admissionregistration.k8s.io/v1"],
    ),
    (
        "ValidatingAdmissionPolicy",
        &["admissionregistration.k8s.io/v1"],
    ),
    (
        "ValidatingAdmissionPolicyBinding",
        &["admissionregistration.k8s.io/v1"],
    ),
    ("FlowSchema", &["flowcontrol.apiserver.k8s.io/v1"]),
    (
        "PriorityLevelConfiguration",
        &["flowcontrol.apiserver.k8s.io/v1"],
    ),
    ("DeviceClass", &["resource.k8s.io/v1"]),
    ("ResourceClaim", &["resource.k8s.io/v1"]),
    ("ResourceClaimTemplate", &["resource.k8s.io/v1"]),
    ("CustomResourceDefinition", &["apiextensions.k8s.io/v1"]),
    ("APIService", &["apiregistration.k8s.io/v1"]),
];

/// Whether the API server serves `kind` in `api_version`.
fn served(kind: &str, api_version: &str) -> bool {
    SERVED_KINDS
        .iter()
        .any(|(k, versions)| *k == kind && versions.contains(&api_version))
}

/// kubectl's error for an object whose kind and version the REST mapper does not find.
fn unmapped(name: &str, namespace: &str, file: &str, kind: &str, api_version: &str) -> String {
    format!(
        "error: resource mapping not found for name: {name:?} namespace: {namespace:?} from {file:?}: no matches for kind {kind:?} in version {api_version:?}\nensure CRDs are installed first"
    )
}

#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Created,
    Configured,
    Unchanged,
    /// The object was rejected; `location` is the 1-based (line, column) in the input.
    Failed {
        message: String,
        location: Option<(usize, usize)>,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct ObjectResult {
    pub kind: String,
    pub name: String,
    pub namespace: Option<String>,
    pub outcome: Outcome,
    /// A warning kubectl writes while applying it.
    pub warning: Option<String>,
}

/// An error message and its 1-based (line, column) in the applied text, where known.
pub type ErrorAt = (String, Option<(usize, usize)>);

#[derive(Debug, Clone, PartialEq, Default)]
pub struct ApplyReport {
    pub results: Vec<ObjectResult>,
    /// A syntax error stops the stream: objects before it were applied.
    pub syntax_error: Option<(String, yaml::YamlError)>,
    /// The note a dry run's lines end with (`" (dry run)"`, `" (server dry run)"`).
    pub dry_run: Option<&'static str>,
    /// `-o name`: each object as `resource/name` only.
    pub names_only: bool,
}

impl ApplyReport {
    /// What kubectl prints for this apply.
    pub fn output(&self) -> Output {
        let mut out = Output::default();
        let dry = self.dry_run.unwrap_or("");
        for r in &self.results {
            let q = qualified(&r.kind);
            if let Some(w) = &r.warning {
                out.stderr.push_str(w);
            }
            match &r.outcome {
                Outcome::Created | Outcome::Configured | Outcome::Unchanged if self.names_only => {
                    out.stdout.push_str(&format!("{q}/{}\n", r.name))
                }
                Outcome::Created => out
                    .stdout
                    .push_str(&format!("{q}/{} created{dry}\n", r.name)),
                Outcome::Configured => out
                    .stdout
                    .push_str(&format!("{q}/{} configured{dry}\n", r.name)),
                Outcome::Unchanged => out
                    .stdout
                    .push_str(&format!("{q}/{} unchanged{dry}\n", r.name)),
                Outcome::Failed { message, .. } => {
                    out.stderr.push_str(message);
                    out.stderr.push('\n');
                    out.exit_code = 1;
                }
            }
        }
        if let Some((msg, _)) = &self.syntax_error {
            out.stderr.push_str(msg);
            out.stderr.push('\n');
            out.exit_code = 1;
        } else if self.results.is_empty() {
            out.stderr.push_str("error: no objects passed to apply\n");
            out.exit_code = 1;
        }
        out
    }

    /// Every error with its position, for the editor's markers.
    pub fn errors(&self) -> Vec<ErrorAt> {
        let mut v: Vec<ErrorAt> = self
            .results
            .iter()
            .filter_map(|r| match &r.outcome {
                Outcome::Failed { message, location } => Some((message.clone(), *location)),
                _ => None,
            })
            .collect();
        if let Some((msg, e)) = &self.syntax_error {
            v.push((msg.clone(), Some((e.line, e.column))));
        }
        v
    }
}

fn qualified(kind: &str) -> &'static str {
    match kind {
        "Deployment" => "deployment.apps",
        "Namespace" => "namespace",
        "Service" => "service",
        "ResourceQuota" => "resourcequota",
        _ => "pod",
    }
}

pub fn run(sim: &mut Sim, rest: &[String]) -> Output {
    let a = match args::parse(rest, FLAGS) {
        Ok(a) => a,
        Err(e) => return super::flag_error("apply", &e),
    };
    let mut out = apply_args(sim, &a);
    a.warn_deprecated_dry_run(&mut out, sim.now);
    out
}

fn apply_args(sim: &mut Sim, a: &args::Args) -> Output {
    if a.bool("help") {
        return Output::ok(super::help::command_help("apply").unwrap_or_default());
    }
    match a.positional.first().map(String::as_str) {
        None => {}
        Some(sub @ ("edit-last-applied" | "set-last-applied" | "view-last-applied")) => {
            return Output::err(format!(
                "error: \"kubectl apply {sub}\" is not available in this simulator\n"
            ))
        }
        Some(_) => {
            return Output::err(format!(
                "error: Unexpected args: [{}]\nSee 'kubectl apply -h' for help and examples\n",
                a.positional.join(" ")
            ))
        }
    }
    let Some(file) = a.get("filename") else {
        return Output::err("error: must specify one of -f and -k\n");
    };
    let Some(text) = sim.files.get(file).cloned() else {
        let known: Vec<&str> = sim.files.keys().map(String::as_str).collect();
        let hint = if known.is_empty() {
            String::new()
        } else {
            format!(" (files here: {})", known.join(", "))
        };
        return Output::err(format!("error: the path {file:?} does not exist{hint}\n"));
    };
    let note = match a.dry_run() {
        Ok(note) => note,
        Err(e) => return Output::err(e),
    };
    let selector = match a.get("selector").map(parse_label_selector) {
        None => None,
        Some(Ok(sel)) => Some(sel),
        Some(Err(e)) => return Output::err(format!("error: {e}\n")),
    };
    if a.bool("all") && selector.is_some() {
        return Output::err("error: cannot set --all and --selector at the same time\n");
    }
    // validatePruneAll: pruning everything must be asked for.
    if a.bool("prune") && !a.bool("all") && selector.is_none() {
        return Output::err("error: all resources selected for prune without explicitly passing --all. To prune all resources, pass the --all flag. If you did not mean to prune all resources, specify a label selector\n");
    }
    let ns = a.get("namespace").map(str::to_string);
    let mut copy = None;
    let target = match note {
        Some(_) => copy.insert(sim.clone()),
        None => sim,
    };
    // -l applies only the file's objects it selects (the builder's LabelSelectorParam).
    let selected = |v: &Value| {
        selector.as_ref().is_none_or(|s| {
            let labels: crate::api::meta::Labels = v
                .get("metadata")
                .and_then(|m| m.get("labels"))
                .and_then(Value::as_mapping)
                .map(|m| {
                    m.iter()
                        .filter_map(|(k, v)| {
                            Some((k.as_str()?.to_string(), v.as_str()?.to_string()))
                        })
                        .collect()
                })
                .unwrap_or_default();
            s.matches(&labels)
        })
    };
    let mut report = apply_documents(target, file, &text, ns.as_deref(), &selected);
    report.dry_run = note;
    report.names_only = a.get("output") == Some("name");
    let mut out = report.output();
    // kubectl's Run returns at the first error, before printing objects or pruning.
    if !out.success() {
        return out;
    }
    if let Some(format @ ("yaml" | "json" | "kyaml")) = a.get("output") {
        out.stdout = printed_objects(target, &report, format);
    }
    if a.bool("prune") {
        for name in prune(target, &report, selector.as_ref()) {
            out.stdout.push_str(&if report.names_only {
                format!("{name}\n")
            } else {
                format!("{name} pruned{}\n", note.unwrap_or(""))
            });
        }
    }
    out
}

/// `--prune`: Services and Deployments that an earlier apply made (they carry the
/// last-applied configuration), in the namespaces this file touched, matching the selector
/// and not in the file, are deleted, in the order of kubectl's prune list (Services before
/// Deployments). Returns each one's `kind/name`.
fn prune(sim: &mut Sim, report: &ApplyReport, selector: Option<&LabelSelector>) -> Vec<String> {
    let namespaces: std::collections::BTreeSet<String> = report
        .results
        .iter()
        .filter_map(|r| r.namespace.clone())
        .collect();
    let doomed =
        |kind: &str, objects: Vec<&crate::api::meta::ObjectMeta>| -> Vec<(String, String)> {
            let applied = |m: &crate::api::meta::ObjectMeta| {
                report.results.iter().any(|r| {
                    r.kind == kind && r.name == m.name && r.namespace.as_deref() == Some(m.ns())
                })
            };
            objects
                .into_iter()
                .filter(|m| namespaces.contains(m.ns()))
                .filter(|m| m.annotation(LAST_APPLIED).is_some())
                .filter(|m| selector.is_none_or(|s| s.matches(&m.labels)))
                .filter(|m| !applied(m))
                .map(|m| (m.ns().to_string(), m.name.clone()))
                .collect()
        };
    let services = doomed(
        "Service",
        sim.store.services.values().map(|s| &s.metadata).collect(),
    );
    let deployments = doomed(
        "Deployment",
        sim.store
            .deployments
            .values()
            .map(|d| &d.metadata)
            .collect(),
    );
    let mut pruned = Vec::new();
    // In a dry run `sim` is a copy of the cluster.
    for (ns, name) in services {
        apiserver::delete_service(sim, &ns, &name);
        pruned.push(format!("service/{name}"));
    }
    for (ns, name) in deployments {
        let _ = apiserver::delete_deployment(sim, &ns, &name, apiserver::Propagation::Background);
        pruned.push(format!("deployment.apps/{name}"));
    }
    pruned
}

/// `apply -o yaml|json`: the objects as the server returned them, several in a `List`.
fn printed_objects(sim: &Sim, report: &ApplyReport, format: &str) -> String {
    let mut objects: Vec<Value> = report
        .results
        .iter()
        .filter(|r| !matches!(r.outcome, Outcome::Failed { .. }))
        .filter_map(|r| {
            let kind = super::resources::Kind::resolve(&r.kind.to_lowercase())?;
            let ns = r.namespace.as_deref().unwrap_or("");
            super::get::find(sim, kind, ns, &r.name).map(|o| o.value())
        })
        .collect();
    let shown = match objects.len() {
        0 => return String::new(),
        1 => objects.remove(0),
        _ => super::get::list_value(objects),
    };
    super::get::render_as(&shown, format)
}

/// The objects a file names, in order, as (kind, namespace if given, name): what
/// `delete -f` acts on. Errors are kubectl's for a missing or unreadable file.
pub(super) fn file_objects(
    sim: &Sim,
    file: &str,
) -> Result<Vec<(super::resources::Kind, Option<String>, String)>, String> {
    let text = sim
        .files
        .get(file)
        .ok_or_else(|| format!("error: the path {file:?} does not exist\n"))?;
    let docs = yaml::split_documents(text)
        .map_err(|e| format!("error: error reading {file:?}: {}\n", e.message))?;
    let mut out = Vec::new();
    for doc in &docs {
        let value = yaml::parse(doc).map_err(|e| {
            let rel = e.line.saturating_sub(doc.first_line) + 1;
            format!("error: error parsing {file}: error converting YAML to JSON: yaml: line {rel}: {}\n", e.message)
        })?;
        if value.is_null() {
            continue;
        }
        let text_at = |path: &[&str]| {
            let mut v = &value;
            for p in path {
                v = v.get(*p)?;
            }
            v.as_str().map(str::to_string)
        };
        let kind_name = text_at(&["kind"]).unwrap_or_default();
        let api_version = text_at(&["apiVersion"]).unwrap_or_default();
        let object_name = text_at(&["metadata", "name"]).unwrap_or_default();
        if !served(&kind_name, &api_version) {
            let ns = text_at(&["metadata", "namespace"]).unwrap_or_default();
            return Err(unmapped(&object_name, &ns, file, &kind_name, &api_version) + "\n");
        }
        // A manifest names its kind exactly (`Deployment`), not by a short name.
        let kind = super::resources::Kind::resolve(&kind_name.to_lowercase())
            .filter(|k| k.name() == kind_name)
            .ok_or_else(|| {
                format!("error: {kind_name} {object_name:?} from {file:?}: kind {kind_name:?} is not simulated\n")
            })?;
        let name = text_at(&["metadata", "name"])
            .filter(|n| !n.is_empty())
            .ok_or_else(|| format!("error: error when retrieving current configuration of an object in {file:?}: resource name may not be empty\n"))?;
        out.push((kind, text_at(&["metadata", "namespace"]), name));
    }
    Ok(out)
}

/// Applies every document of `text` in order (the file is called `file` in messages).
pub fn apply_text(sim: &mut Sim, file: &str, text: &str, ns_flag: Option<&str>) -> ApplyReport {
    apply_documents(sim, file, text, ns_flag, &|_| true)
}

/// Applies the documents of `text` that `selected` keeps, in order.
fn apply_documents(
    sim: &mut Sim,
    file: &str,
    text: &str,
    ns_flag: Option<&str>,
    selected: &dyn Fn(&Value) -> bool,
) -> ApplyReport {
    let mut report = ApplyReport::default();
    let docs = match yaml::split_documents(text) {
        Ok(d) => d,
        Err(e) => {
            report.syntax_error =
                Some((format!("error: error reading {file:?}: {}", e.message), e));
            return report;
        }
    };
    for doc in &docs {
        let value = match yaml::parse(doc) {
            Ok(v) => v,
            Err(e) => {
                let rel = e.line.saturating_sub(doc.first_line) + 1;
                let msg = format!("error: error parsing {file}: error converting YAML to JSON: yaml: line {rel}: {}", e.message);
                report.syntax_error = Some((msg, e));
                return report;
            }
        };
        // sigs.k8s.io/yaml marshals the YAML to JSON, which has no NaN or infinity.
        if let Some(f) = non_finite(&value) {
            let name = if f.is_nan() {
                "NaN"
            } else if f > 0.0 {
                "+Inf"
            } else {
                "-Inf"
            };
            let msg = format!("error: error parsing {file}: error converting YAML to JSON: json: unsupported value: {name}");
            let e = yaml::YamlError {
                line: doc.first_line,
                column: 1,
                message: msg.clone(),
            };
            report.syntax_error = Some((msg, e));
            return report;
        }
        if value.is_null() || !selected(&value) {
            continue;
        }
        let result = apply_document(sim, file, doc, value, ns_flag);
        // kubectl validates each document as its stream reaches it: a client-side refusal
        // ends the stream, so later documents are not applied (server refusals do not).
        let client_side = matches!(&result.outcome, Outcome::Failed { message, .. }
            if message.starts_with("error: error validating"));
        report.results.push(result);
        if client_side {
            break;
        }
    }
    report
}

/// The first NaN or infinite number in `v`, depth first.
fn non_finite(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64().filter(|f| !f.is_finite()),
        Value::Sequence(items) => items.iter().find_map(non_finite),
        Value::Mapping(m) => m
            .iter()
            .find_map(|(k, v)| non_finite(k).or_else(|| non_finite(v))),
        Value::Tagged(t) => non_finite(&t.value),
        _ => None,
    }
}

fn failed(
    kind: &str,
    name: &str,
    ns: Option<String>,
    message: String,
    location: Option<(usize, usize)>,
) -> ObjectResult {
    ObjectResult {
        kind: kind.into(),
        name: name.into(),
        namespace: ns,
        outcome: Outcome::Failed { message, location },
        warning: None,
    }
}

fn apply_document(
    sim: &mut Sim,
    file: &str,
    doc: &yaml::Document,
    value: Value,
    ns_flag: Option<&str>,
) -> ObjectResult {
    let (api_version, kind, name, namespace) = yaml::kind_of(&value);
    let at = |path: &str| yaml::locate(doc, path).or(Some((doc.first_line, 1)));
    let (Some(api_version), Some(kind)) = (api_version.clone(), kind.clone()) else {
        let mut missing = Vec::new();
        if api_version.is_none() {
            missing.push("apiVersion not set");
        }
        if kind.is_none() {
            missing.push("kind not set");
        }
        // An aggregate of one error prints without brackets.
        let errors = match missing.as_slice() {
            [one] => one.to_string(),
            more => format!("[{}]", more.join(", ")),
        };
        let msg = format!(
            "error: error validating {file:?}: error validating data: {errors}; if you choose to ignore these errors, turn validation off with --validate=false"
        );
        return failed(
            kind.as_deref().unwrap_or(""),
            name.as_deref().unwrap_or(""),
            None,
            msg,
            Some((doc.first_line, 1)),
        );
    };
    let name = name.unwrap_or_default();
    let ns_shown = if kind == "Namespace" {
        String::new()
    } else {
        namespace.clone().unwrap_or_default()
    };
    if !served(&kind, &api_version) {
        // A kind the API server does not serve, or not in this version.
        let known = SERVED_KINDS.iter().any(|(k, _)| *k == kind);
        let msg = unmapped(&name, &ns_shown, file, &kind, &api_version);
        return failed(
            &kind,
            &name,
            namespace,
            msg,
            at(if known { "apiVersion" } else { "kind" }),
        );
    }
    if !SUPPORTED_KINDS.contains(&kind.as_str()) {
        let (last, others) = SUPPORTED_KINDS.split_last().unwrap_or((&"", &[]));
        let msg = format!(
            "error: {kind} {name:?} from {file:?} cannot be applied here: kubesim applies only {} and {last} objects",
            others.join(", ")
        );
        return failed(&kind, &name, namespace, msg, at("kind"));
    }
    if name.is_empty() {
        let generate = value
            .get("metadata")
            .and_then(|m| m.get("generateName"))
            .and_then(Value::as_str)
            .filter(|g| !g.is_empty());
        let msg = match generate {
            // applyOneObject refuses generated names before asking the server.
            Some(g) => format!("error: from {g}: cannot use generate name with apply"),
            None => {
                // GroupVersion strings of the core group start with `/`; the builder has
                // already put a namespaced object in its default namespace.
                let gv = if api_version.contains('/') {
                    api_version.clone()
                } else {
                    format!("/{api_version}")
                };
                let ns_used = if kind == "Namespace" {
                    String::new()
                } else {
                    namespace
                        .clone()
                        .or(ns_flag.map(str::to_string))
                        .unwrap_or_else(|| "default".into())
                };
                format!("error: error when retrieving current configuration of:\nResource: \"{gv}, Resource={}\", GroupVersionKind: \"{gv}, Kind={kind}\"\nName: \"\", Namespace: {ns_used:?}\nfrom server for: {file:?}: resource name may not be empty", plural(&kind))
            }
        };
        return failed(&kind, &name, namespace, msg, at("metadata"));
    }
    let ns = if kind == "Namespace" {
        None
    } else {
        match (namespace.as_deref(), ns_flag) {
            (Some(a), Some(b)) if a != b => {
                let msg = format!("error: the namespace from the provided object {a:?} does not match the namespace {b:?}. You must pass '--namespace={a}' to perform this operation.");
                return failed(
                    &kind,
                    &name,
                    namespace.clone(),
                    msg,
                    at("metadata.namespace"),
                );
            }
            (Some(a), _) => Some(a.to_string()),
            (None, Some(b)) => Some(b.to_string()),
            (None, None) => Some("default".to_string()),
        }
    };
    let exists = object_exists(sim, &kind, ns.as_deref().unwrap_or(""), &name);
    if let Some((text, path)) = schema::strict_error_at(&kind, &value) {
        let verb = if exists { "patching" } else { "creating" };
        let msg = format!(
            "Error from server (BadRequest): error when {verb} {file:?}: {kind} in version \"v1\" cannot be handled as a {kind}: {text}"
        );
        return failed(&kind, &name, ns, msg, at(&path));
    }
    // Objects made by `kubectl create` or `expose` have no last-applied configuration to
    // merge with.
    let k = key(ns.as_deref().unwrap_or(""), &name);
    let unannotated = match kind.as_str() {
        "Deployment" => sim.store.deployments.get(&k).map(|d| &d.metadata),
        "Service" => sim.store.services.get(&k).map(|s| &s.metadata),
        _ => None,
    }
    .is_some_and(|m| m.annotation(LAST_APPLIED).is_none());
    let warning = unannotated.then(|| format!("Warning: resource {}/{name} is missing the {LAST_APPLIED} annotation which is required by kubectl apply. kubectl apply should only be used on resources created declaratively by either kubectl create --save-config or kubectl apply. The missing annotation will be patched automatically.\n", plural(&kind)));
    let result = match kind.as_str() {
        "Deployment" => apply_deployment(sim, value, ns.clone().unwrap_or_default()),
        "Namespace" => apply_namespace(sim, value),
        "Service" => apply_service(sim, value, ns.clone().unwrap_or_default()),
        "ResourceQuota" => apply_quota(sim, value, ns.clone().unwrap_or_default()),
        _ => apply_pod(sim, value, ns.clone().unwrap_or_default()),
    };
    // kubectl warns about the missing annotation before it sends the patch, so a refused
    // patch has the warning too.
    let mut r = match result {
        Ok(outcome) => ObjectResult {
            kind,
            name,
            namespace: ns,
            outcome,
            warning: None,
        },
        Err(ApiError::Invalid { message, fields }) => {
            let loc = fields
                .first()
                .and_then(|f| yaml::locate(doc, f))
                .or(Some((doc.first_line, 1)));
            failed(&kind, &name, ns, message, loc)
        }
        Err(ApiError::BadRequest(m)) => {
            let verb = if exists { "patching" } else { "creating" };
            let msg = format!("Error from server (BadRequest): error when {verb} {file:?}: {kind} in version \"v1\" cannot be handled as a {kind}: {m}");
            failed(&kind, &name, ns, msg, Some((doc.first_line, 1)))
        }
        // A refused create names the file it came from (`cmdutil.AddSourceToErr`).
        Err(e) if !exists && matches!(e, ApiError::NotFound(_) | ApiError::Forbidden(_)) => {
            let text = e.kubectl_text();
            let (reason, m) = text.split_once(": ").unwrap_or(("", &text));
            let msg = format!("{reason}: error when creating {file:?}: {m}");
            failed(&kind, &name, ns, msg, Some((doc.first_line, 1)))
        }
        Err(e) => failed(
            &kind,
            &name,
            ns,
            e.kubectl_text().to_string(),
            Some((doc.first_line, 1)),
        ),
    };
    r.warning = warning;
    r
}

fn plural(kind: &str) -> String {
    format!("{}s", kind.to_lowercase())
}

fn object_exists(sim: &Sim, kind: &str, ns: &str, name: &str) -> bool {
    let k = key(ns, name);
    match kind {
        "Deployment" => sim.store.deployments.contains_key(&k),
        "Namespace" => sim.store.namespaces.contains_key(name),
        "Service" => sim.store.services.contains_key(&k),
        "ResourceQuota" => sim.store.quotas.contains_key(&k),
        _ => sim.store.pods.contains_key(&k),
    }
}

/// The applied document as kubectl stores it in `last-applied-configuration`.
fn last_applied(value: &Value) -> String {
    let mut v = value.clone();
    if let Some(Value::Mapping(ann)) = v.get_mut("metadata").and_then(|m| m.get_mut("annotations"))
    {
        ann.remove(LAST_APPLIED);
    }
    format!("{}\n", json::to_json_compact(&v))
}

fn decode<T: serde::de::DeserializeOwned>(v: Value) -> Result<T, ApiError> {
    yaml::from_value(v).map_err(ApiError::BadRequest)
}

/// Create, or three-way merge with the live object (§ kubectl apply), then update.
fn apply_deployment(sim: &mut Sim, value: Value, ns: String) -> Result<Outcome, ApiError> {
    let applied = last_applied(&value);
    let name = yaml::kind_of(&value).2.unwrap_or_default();
    let live = sim.store.deployments.get(&key(&ns, &name)).cloned();
    let Some(live) = live else {
        let mut d: Deployment = decode(value)?;
        d.metadata.namespace = Some(ns);
        d.metadata.annotations.insert(LAST_APPLIED.into(), applied);
        apiserver::create_deployment(sim, d)?;
        return Ok(Outcome::Created);
    };
    let previous = live
        .metadata
        .annotation(LAST_APPLIED)
        .and_then(|t| serde_yaml::from_str::<Value>(t).ok());
    let merged = merge::three_way_merge(previous.as_ref(), &value, &yaml::to_value(&live));
    let mut d: Deployment = decode(merged)?;
    d.metadata.namespace = Some(ns);
    d.metadata.annotations.insert(LAST_APPLIED.into(), applied);
    let (_, changed) = apiserver::update_deployment(sim, d)?;
    Ok(if changed {
        Outcome::Configured
    } else {
        Outcome::Unchanged
    })
}

fn apply_namespace(sim: &mut Sim, value: Value) -> Result<Outcome, ApiError> {
    let ns: Namespace = decode(value)?;
    let name = ns.metadata.name.clone();
    apiserver::invalid_if_any(
        "Namespace",
        &name,
        validation::validate_name("Namespace", &name),
    )?;
    match sim.store.namespaces.get(&name).cloned() {
        Some(mut live) => {
            let mut labels = ns.metadata.labels.clone();
            labels.insert("kubernetes.io/metadata.name".into(), name.clone());
            if live.metadata.labels == labels
                && live.metadata.annotations == ns.metadata.annotations
            {
                return Ok(Outcome::Unchanged);
            }
            live.metadata.labels = labels;
            live.metadata.annotations = ns.metadata.annotations;
            sim.store.namespaces.insert(name, live);
            sim.wrote();
            Ok(Outcome::Configured)
        }
        None => {
            let created = apiserver::create_namespace_object(sim, &name);
            if let Some(n) = sim.store.namespaces.get_mut(&name) {
                n.metadata.labels.extend(ns.metadata.labels);
                n.metadata.annotations = ns.metadata.annotations;
            }
            let _ = created;
            Ok(Outcome::Created)
        }
    }
}

/// Create, or three-way merge with the live Service, as for a Deployment.
fn apply_service(sim: &mut Sim, value: Value, ns: String) -> Result<Outcome, ApiError> {
    let applied = last_applied(&value);
    let name = yaml::kind_of(&value).2.unwrap_or_default();
    let value = match sim.store.services.get(&key(&ns, &name)) {
        Some(live) => {
            let previous = live
                .metadata
                .annotation(LAST_APPLIED)
                .and_then(|t| serde_yaml::from_str::<Value>(t).ok());
            merge::three_way_merge(previous.as_ref(), &value, &yaml::to_value(live))
        }
        None => value,
    };
    let mut s: Service = decode(value)?;
    s.metadata.annotations.insert(LAST_APPLIED.into(), applied);
    write_service(sim, s, ns)
}

/// Creates or replaces a Service after defaulting and validation.
fn write_service(sim: &mut Sim, mut s: Service, ns: String) -> Result<Outcome, ApiError> {
    s.metadata.namespace = Some(ns.clone());
    defaults::service(&mut s);
    let name = s.metadata.name.clone();
    let k = key(&ns, &name);
    if let Some(live) = sim.store.services.get(&k) {
        apiserver::drop_type_dependent_fields(&mut s, live);
    }
    let mut errs = validation::validate_name("Service", &name);
    errs.extend(validation::validate_service(&s));
    apiserver::invalid_if_any("Service", &name, errs)?;
    apiserver::check_namespace(sim, &ns)?;
    match sim.store.services.get(&k).cloned() {
        Some(mut live) => {
            s.metadata.uid = live.metadata.uid.clone();
            apiserver::default_service_addresses(sim, &mut s, Some(&live))
                .or_else(|errs| apiserver::invalid_if_any("Service", &name, errs))?;
            if live.spec == s.spec
                && live.metadata.labels == s.metadata.labels
                && live.metadata.annotations == s.metadata.annotations
            {
                return Ok(Outcome::Unchanged);
            }
            live.spec = s.spec;
            live.metadata.labels = s.metadata.labels;
            live.metadata.annotations = s.metadata.annotations;
            live.metadata.resource_version = Some(sim.store.next_resource_version());
            sim.store.services.insert(k, live);
            sim.wrote();
            Ok(Outcome::Configured)
        }
        None => {
            let meta = apiserver::new_meta(sim, &name, Some(&ns));
            s.metadata = crate::api::meta::ObjectMeta {
                labels: s.metadata.labels,
                annotations: s.metadata.annotations,
                ..meta
            };
            apiserver::default_service_addresses(sim, &mut s, None)
                .or_else(|errs| apiserver::invalid_if_any("Service", &name, errs))?;
            sim.store.services.insert(k, s);
            sim.wrote();
            Ok(Outcome::Created)
        }
    }
}

/// Writes a patched Service; whether it changed.
pub(super) fn update_service(sim: &mut Sim, value: Value, ns: String) -> Result<bool, ApiError> {
    write_service(sim, decode(value)?, ns).map(|o| o == Outcome::Configured)
}

/// Creates a Service that `kubectl expose` built (the caller has checked that it is new).
pub(super) fn create_service(sim: &mut Sim, value: Value, ns: String) -> Result<(), String> {
    decode(value)
        .and_then(|s| write_service(sim, s, ns))
        .map(|_| ())
        .map_err(|e| e.kubectl_text())
}

/// Creates a Namespace that `kubectl create namespace` built (the caller has checked that it
/// is new).
pub(super) fn create_namespace(sim: &mut Sim, value: Value, _ns: String) -> Result<(), String> {
    apply_namespace(sim, value)
        .map(|_| ())
        .map_err(|e| e.kubectl_text())
}

/// Creates a Pod that `kubectl run` built (the caller has checked that it is new).
pub(super) fn create_pod(sim: &mut Sim, value: Value, ns: String) -> Result<(), String> {
    apply_pod(sim, value, ns)
        .map(|_| ())
        .map_err(|e| e.kubectl_text())
}

fn apply_quota(sim: &mut Sim, value: Value, ns: String) -> Result<Outcome, ApiError> {
    let mut q: ResourceQuota = decode(value)?;
    q.api_version = "v1".into();
    q.kind = "ResourceQuota".into();
    let name = q.metadata.name.clone();
    let mut errs = validation::validate_name("ResourceQuota", &name);
    errs.extend(validation::validate_quota(&q));
    apiserver::invalid_if_any("ResourceQuota", &name, errs)?;
    apiserver::check_namespace(sim, &ns)?;
    let k = key(&ns, &name);
    match sim.store.quotas.get(&k).cloned() {
        Some(mut live) if live.spec == q.spec => {
            live.metadata.labels = q.metadata.labels;
            Ok(Outcome::Unchanged)
        }
        Some(mut live) => {
            live.spec = q.spec;
            sim.store.quotas.insert(k, live);
            sim.wrote();
            Ok(Outcome::Configured)
        }
        None => {
            let meta = apiserver::new_meta(sim, &name, Some(&ns));
            q.metadata = crate::api::meta::ObjectMeta {
                labels: q.metadata.labels,
                ..meta
            };
            sim.store.quotas.insert(k, q);
            sim.wrote();
            Ok(Outcome::Created)
        }
    }
}

/// A bare pod: created once; pods are immutable apart from a few fields, so any other change
/// is refused as the API server refuses it.
fn apply_pod(sim: &mut Sim, value: Value, ns: String) -> Result<Outcome, ApiError> {
    let mut p: Pod = decode(value)?;
    p.metadata.namespace = Some(ns.clone());
    let name = p.metadata.name.clone();
    let mut errs = validation::validate_name("Pod", &name);
    let mut defaulted = p.clone();
    defaults::pod(&mut defaulted.spec);
    errs.extend(validation::validate_pod(&defaulted));
    apiserver::invalid_if_any("Pod", &name, errs)?;
    apiserver::check_namespace(sim, &ns)?;
    if let Some(live) = sim.store.pods.get(&key(&ns, &name)).cloned() {
        let mut wanted = p.spec.clone();
        defaults::pod(&mut wanted);
        // ValidatePodUpdate: of the containers only the images may change.
        let without_image = |c: &crate::api::core::Container| {
            let mut c = c.clone();
            c.image = None;
            c
        };
        let same_containers = live
            .spec
            .containers
            .iter()
            .map(without_image)
            .eq(wanted.containers.iter().map(without_image));
        if !same_containers {
            return Err(ApiError::Invalid {
                message: format!("The Pod {name:?} is invalid: spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)"),
                fields: vec!["spec".into()],
            });
        }
        let mut updated = live.clone();
        updated.metadata.labels = p.metadata.labels.clone();
        for (c, w) in updated.spec.containers.iter_mut().zip(&wanted.containers) {
            c.image = w.image.clone();
        }
        if updated == live {
            return Ok(Outcome::Unchanged);
        }
        let images_changed = updated.spec.containers != live.spec.containers;
        // A spec change is a new pod generation (KEP 5067); labels are metadata.
        if images_changed {
            updated.metadata.generation = Some(live.metadata.generation.unwrap_or(0) + 1);
        }
        apiserver::update_pod(sim, updated.clone());
        if images_changed {
            crate::controllers::kubelet::definition_changed(sim, &updated);
        }
        return Ok(Outcome::Configured);
    }
    apiserver::create_pod(sim, p).map_err(ApiError::Forbidden)?;
    Ok(Outcome::Created)
}

// ---------------------------------------------------------------------------------------
// Preview

/// What applying the text would do to one object, in words.
#[derive(Debug, Clone, PartialEq)]
pub struct Preview {
    pub kind: String,
    pub name: String,
    pub namespace: Option<String>,
    /// One sentence: "starts a rollout …", "scales from 3 to 5 …", "no change", or the error.
    pub summary: String,
    /// Changed fields, `path: old → new`.
    pub changes: Vec<String>,
    pub error: bool,
}

/// Applies to a copy of the cluster and compares, so the preview is the engine's answer,
/// not a guess.
pub fn preview(sim: &Sim, file: &str, text: &str) -> (Vec<Preview>, ApplyReport) {
    let mut copy = sim.clone();
    let report = apply_text(&mut copy, file, text, None);
    copy.reconcile();
    let mut out = Vec::new();
    for r in &report.results {
        let ns = r.namespace.clone().unwrap_or_default();
        let (summary, changes, error) = match &r.outcome {
            Outcome::Failed { message, .. } => (message.clone(), Vec::new(), true),
            Outcome::Unchanged => ("no change".to_string(), Vec::new(), false),
            Outcome::Created if r.kind == "Deployment" => (
                describe_new_deployment(&copy, &ns, &r.name),
                Vec::new(),
                false,
            ),
            Outcome::Created => (
                format!("creates {} {:?}", r.kind, r.name),
                Vec::new(),
                false,
            ),
            Outcome::Configured if r.kind == "Deployment" => {
                describe_deployment_change(sim, &copy, &ns, &r.name)
            }
            Outcome::Configured => (
                format!("updates {} {:?}", r.kind, r.name),
                Vec::new(),
                false,
            ),
        };
        out.push(Preview {
            kind: r.kind.clone(),
            name: r.name.clone(),
            namespace: r.namespace.clone(),
            summary,
            changes,
            error,
        });
    }
    (out, report)
}

fn describe_new_deployment(after: &Sim, ns: &str, name: &str) -> String {
    let Some(d) = after.store.deployments.get(&key(ns, name)) else {
        return format!("creates Deployment {name:?}");
    };
    let rss: Vec<_> = after
        .store
        .replicasets_owned_by(ns, d.metadata.uid())
        .collect();
    match find_new_replica_set(d, &rss) {
        Some(rs) => format!(
            "creates Deployment {name:?}: ReplicaSet {} (revision {}) starts {} pod(s)",
            rs.metadata.name,
            rs.revision(),
            d.replicas()
        ),
        None => format!("creates Deployment {name:?} (paused: no ReplicaSet until it is resumed)"),
    }
}

fn describe_deployment_change(
    before: &Sim,
    after: &Sim,
    ns: &str,
    name: &str,
) -> (String, Vec<String>, bool) {
    let (Some(old), Some(new)) = (
        before.store.deployments.get(&key(ns, name)),
        after.store.deployments.get(&key(ns, name)),
    ) else {
        return (format!("updates Deployment {name:?}"), Vec::new(), false);
    };
    let mut changes = Vec::new();
    diff_values(
        "spec",
        &yaml::to_value(&old.spec),
        &yaml::to_value(&new.spec),
        &mut changes,
    );
    diff_values(
        "metadata.labels",
        &yaml::to_value(&old.metadata.labels),
        &yaml::to_value(&new.metadata.labels),
        &mut changes,
    );
    let template_changed = !equal_ignore_hash(&old.spec.template, &new.spec.template);
    if template_changed {
        if new.is_paused() {
            return (
                format!("changes the pod template, but {name:?} is paused: no rollout until `kubectl rollout resume deployment/{name}`"),
                changes,
                false,
            );
        }
        let rss: Vec<_> = after
            .store
            .replicasets_owned_by(ns, new.metadata.uid())
            .collect();
        if let Some(rs) = find_new_replica_set(new, &rss) {
            let existed = before.store.replicasets.get(&key(ns, &rs.metadata.name));
            let strategy = if new.is_recreate() {
                "Recreate: all old pods stop first"
            } else {
                "RollingUpdate"
            };
            return match existed {
                Some(prev) => (
                    format!(
                        "goes back to the template of ReplicaSet {} (revision {} becomes revision {}); {strategy}",
                        rs.metadata.name,
                        prev.revision(),
                        rs.revision()
                    ),
                    changes,
                    false,
                ),
                None => (
                    format!("starts a rollout: new ReplicaSet {} (revision {}); {strategy}", rs.metadata.name, rs.revision()),
                    changes,
                    false,
                ),
            };
        }
    }
    if old.replicas() != new.replicas() && !template_changed {
        return (
            format!(
                "scales from {} to {} replicas (no new ReplicaSet, no rollout)",
                old.replicas(),
                new.replicas()
            ),
            changes,
            false,
        );
    }
    if changes.is_empty() {
        return (
            "updates annotations only (no rollout)".into(),
            changes,
            false,
        );
    }
    (
        "updates settings only (no new ReplicaSet, no rollout)".into(),
        changes,
        false,
    )
}

/// Leaf-level differences between two values as `path: old → new` lines (at most 20).
pub fn diff_values(path: &str, a: &Value, b: &Value, out: &mut Vec<String>) {
    if out.len() >= 20 || a == b {
        return;
    }
    let empty = Value::Mapping(Default::default());
    // A map that appears or goes away is listed key by key, like one that changed.
    let (a, b) = match (a, b) {
        (Value::Null, Value::Mapping(_)) => (&empty, b),
        (Value::Mapping(_), Value::Null) => (a, &empty),
        _ => (a, b),
    };
    match (a, b) {
        (Value::Mapping(ma), Value::Mapping(mb)) => {
            let mut keys: Vec<&Value> = ma.keys().chain(mb.keys()).collect();
            crate::order::sort_by_key(&mut keys, |k| k.as_str().unwrap_or("").to_string());
            keys.dedup();
            for k in keys {
                let ks = k.as_str().unwrap_or("?");
                let va = ma.get(k).unwrap_or(&Value::Null);
                let vb = mb.get(k).unwrap_or(&Value::Null);
                diff_values(&format!("{path}.{ks}"), va, vb, out);
            }
        }
        (Value::Sequence(sa), Value::Sequence(sb)) if sa.len() == sb.len() => {
            for (i, (va, vb)) in sa.iter().zip(sb).enumerate() {
                diff_values(&format!("{path}[{i}]"), va, vb, out);
            }
        }
        _ => out.push(format!("{path}: {} → {}", short(a), short(b))),
    }
}

fn short(v: &Value) -> String {
    match v {
        Value::Null => "(none)".into(),
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        other => {
            let s = json::to_json_compact(other);
            if s.len() > 60 {
                format!(
                    "{}…",
                    &s[..s.char_indices().nth(57).map_or(s.len(), |(i, _)| i)]
                )
            } else {
                s
            }
        }
    }
}
