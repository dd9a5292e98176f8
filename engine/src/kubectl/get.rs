//! `kubectl get`: tables (default, `-o wide`, `--show-labels`, `-L`, `-A`, `--no-headers`),
//! `-o name|yaml|json`, label/field selectors, `--sort-by`, NotFound and "No resources found"
//! texts, `get all`, and `-w`/`--watch-only` through [`GetWatch`] (kubectl-formats.md §2, §3,
//! §7, §8a; k8s-semantics.md §9.1).

use super::args::{self, flag, Args, Flag};
use super::gotemplate::GoTemplate;
use super::printers::{
    self, age, format_labels, pod_ready, pod_restarts, pod_status, selector_string,
};
use super::resources::{select, Kind, Selection};
use super::watch::Watch;
use crate::api::apps::{Deployment, ReplicaSet};
use crate::api::core::{Container, Event, Namespace, Node, Pod, ResourceQuota};
use crate::api::endpoints::{EndpointSlice, Endpoints};
use crate::api::meta::{parse_label_selector, LabelSelector, ObjectMeta};
use crate::api::service::Service;
use crate::command::Output;
use crate::sim::Sim;
use crate::store::{key, Written};
use crate::time::Time;
use serde_yaml::Value;
use std::collections::BTreeMap;

const FLAGS: &[Flag] = &[
    flag("output", Some('o'), true),
    flag("selector", Some('l'), true),
    flag("field-selector", None, true),
    flag("all-namespaces", Some('A'), false),
    flag("show-labels", None, false),
    flag("show-kind", None, false),
    flag("label-columns", Some('L'), true),
    flag("no-headers", None, false),
    flag("watch", Some('w'), false),
    flag("watch-only", None, false),
    flag("output-watch-events", None, false),
    flag("ignore-not-found", None, false),
    flag("sort-by", None, true),
    flag("chunk-size", None, true),
    flag("template", None, true),
];

const NO_TYPE: &str = "You must specify the type of resource to get. Use \"kubectl api-resources\" for a complete list of supported resources.\n\nerror: Required resource not specified.\nUse \"kubectl explain <resource>\" for a detailed description of that resource (e.g. kubectl explain pods).\nSee 'kubectl get -h' for help and examples\n";

const PRINTER_ERROR: &str = "allowed formats are: custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,kyaml,name,template,templatefile,wide,yaml";

/// The API server's warning on every v1 Endpoints request since v1.33, which kubectl prints.
pub(crate) const ENDPOINTS_DEPRECATED: &str =
    "Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice\n";

/// One stored object of any kind `get` lists.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Obj {
    Pod(Pod),
    Service(Service),
    Endpoints(Endpoints),
    EndpointSlice(EndpointSlice),
    Deployment(Deployment),
    ReplicaSet(ReplicaSet),
    Node(Node),
    Namespace(Namespace),
    Event(Event),
    Quota(ResourceQuota),
}

impl Obj {
    pub(crate) fn meta(&self) -> &ObjectMeta {
        match self {
            Obj::Pod(o) => &o.metadata,
            Obj::Service(o) => &o.metadata,
            Obj::Endpoints(o) => &o.metadata,
            Obj::EndpointSlice(o) => &o.metadata,
            Obj::Deployment(o) => &o.metadata,
            Obj::ReplicaSet(o) => &o.metadata,
            Obj::Node(o) => &o.metadata,
            Obj::Namespace(o) => &o.metadata,
            Obj::Event(o) => &o.metadata,
            Obj::Quota(o) => &o.metadata,
        }
    }

    pub(crate) fn kind(&self) -> Kind {
        match self {
            Obj::Pod(_) => Kind::Pod,
            Obj::Service(_) => Kind::Service,
            Obj::Endpoints(_) => Kind::Endpoints,
            Obj::EndpointSlice(_) => Kind::EndpointSlice,
            Obj::Deployment(_) => Kind::Deployment,
            Obj::ReplicaSet(_) => Kind::ReplicaSet,
            Obj::Node(_) => Kind::Node,
            Obj::Namespace(_) => Kind::Namespace,
            Obj::Event(_) => Kind::Event,
            Obj::Quota(_) => Kind::ResourceQuota,
        }
    }

    /// `(namespace, name)`; cluster-scoped objects have an empty namespace.
    fn key(&self) -> (String, String) {
        let ns = if self.kind().namespaced() {
            self.meta().ns().to_string()
        } else {
            String::new()
        };
        (ns, self.meta().name.clone())
    }

    /// The object as the API serves it, `apiVersion` and `kind` filled in.
    pub(crate) fn value(&self) -> Value {
        use crate::api::yaml::to_value;
        let mut v = match self {
            Obj::Pod(o) => to_value(&crate::api::service_account::served(o)),
            Obj::Service(o) => to_value(o),
            Obj::Endpoints(o) => to_value(o),
            Obj::EndpointSlice(o) => to_value(o),
            Obj::Deployment(o) => to_value(o),
            Obj::ReplicaSet(o) => to_value(o),
            Obj::Node(o) => to_value(o),
            Obj::Namespace(o) => to_value(o),
            Obj::Event(o) => to_value(o),
            Obj::Quota(o) => to_value(o),
        };
        if let Value::Mapping(m) = &mut v {
            let kind = self.kind();
            for (k, val) in [("apiVersion", kind.api_version()), ("kind", kind.name())] {
                let missing = m.get(k).and_then(Value::as_str).is_none_or(str::is_empty);
                if missing {
                    m.insert(Value::String(k.into()), Value::String(val.into()));
                }
            }
        }
        v
    }
}

/// Objects of `kind` in API list order (namespace, then name); `ns` `None` = all namespaces.
pub(crate) fn list(sim: &Sim, kind: Kind, ns: Option<&str>) -> Vec<Obj> {
    fn scoped<'a, T: 'a>(
        map: &'a BTreeMap<(String, String), T>,
        ns: Option<&'a str>,
    ) -> impl Iterator<Item = &'a T> + 'a {
        map.iter()
            .filter(move |(k, _)| ns.is_none_or(|n| k.0 == n))
            .map(|(_, v)| v)
    }
    let s = &sim.store;
    match kind {
        Kind::Pod => scoped(&s.pods, ns).cloned().map(Obj::Pod).collect(),
        Kind::Service => scoped(&s.services, ns).cloned().map(Obj::Service).collect(),
        Kind::Deployment => scoped(&s.deployments, ns)
            .cloned()
            .map(Obj::Deployment)
            .collect(),
        Kind::ReplicaSet => scoped(&s.replicasets, ns)
            .cloned()
            .map(Obj::ReplicaSet)
            .collect(),
        Kind::ResourceQuota => scoped(&s.quotas, ns).cloned().map(Obj::Quota).collect(),
        Kind::Node => s.nodes.values().cloned().map(Obj::Node).collect(),
        Kind::Namespace => s.namespaces.values().cloned().map(Obj::Namespace).collect(),
        Kind::Event => {
            let mut evs: Vec<&Event> = s
                .events
                .iter()
                .filter(|e| ns.is_none_or(|n| e.metadata.ns() == n))
                .collect();
            // etcd key order: namespace, then event name (kubectl-formats.md §2).
            crate::order::sort_by(&mut evs, |a, b| {
                (a.metadata.ns(), &a.metadata.name).cmp(&(b.metadata.ns(), &b.metadata.name))
            });
            evs.into_iter().cloned().map(Obj::Event).collect()
        }
        Kind::Endpoints => scoped(&s.endpoints, ns)
            .cloned()
            .map(Obj::Endpoints)
            .collect(),
        Kind::EndpointSlice => scoped(&s.endpoint_slices, ns)
            .cloned()
            .map(Obj::EndpointSlice)
            .collect(),
    }
}

pub(crate) fn find(sim: &Sim, kind: Kind, ns: &str, name: &str) -> Option<Obj> {
    let s = &sim.store;
    let k = key(ns, name);
    match kind {
        Kind::Pod => s.pods.get(&k).cloned().map(Obj::Pod),
        Kind::Service => s.services.get(&k).cloned().map(Obj::Service),
        Kind::Deployment => s.deployments.get(&k).cloned().map(Obj::Deployment),
        Kind::ReplicaSet => s.replicasets.get(&k).cloned().map(Obj::ReplicaSet),
        Kind::ResourceQuota => s.quotas.get(&k).cloned().map(Obj::Quota),
        Kind::Node => s.nodes.get(name).cloned().map(Obj::Node),
        Kind::Namespace => s.namespaces.get(name).cloned().map(Obj::Namespace),
        Kind::Event => s
            .events
            .iter()
            .find(|e| e.metadata.ns() == ns && e.metadata.name == name)
            .cloned()
            .map(Obj::Event),
        Kind::Endpoints => s.endpoints.get(&k).cloned().map(Obj::Endpoints),
        Kind::EndpointSlice => s.endpoint_slices.get(&k).cloned().map(Obj::EndpointSlice),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Table,
    Wide,
    Name,
    Yaml,
    Json,
    /// `-o kyaml` (kubectl ≥ 1.35 by default).
    Kyaml,
    /// `-o jsonpath=…`, the template in `View::template`.
    JsonPath,
    /// `-o custom-columns=…`, the columns in `View::columns`.
    CustomColumns,
    /// `-o go-template=…` (or `--template`), the template in `View::go_template`.
    GoTemplate,
}

/// How rows are laid out.
#[derive(Debug, Clone, PartialEq)]
struct View {
    format: Format,
    template: Option<super::jsonpath::Template>,
    go_template: Option<GoTemplate>,
    columns: Vec<(String, super::jsonpath::Template)>,
    all_namespaces: bool,
    show_labels: bool,
    label_columns: Vec<String>,
    no_headers: bool,
    with_kind: bool,
    watch_events: bool,
}

impl View {
    /// The JSONPath or Go template run on `root`: its text, or what it printed until it
    /// failed and kubectl's error.
    fn run_template(&self, root: &Value) -> Result<String, (String, String)> {
        match (&self.template, &self.go_template) {
            (Some(t), _) => t.try_execute(root),
            (_, Some(t)) => t.execute(root),
            _ => Ok(String::new()),
        }
    }

    fn wide(&self) -> bool {
        self.format == Format::Wide
    }
    fn with_namespace(&self, kind: Kind) -> bool {
        self.all_namespaces && kind.namespaced()
    }
}

/// Which objects a request (or a watch) covers.
#[derive(Debug, Clone, PartialEq)]
struct Scope {
    kind: Kind,
    /// `None` with `-A`.
    namespace: Option<String>,
    labels: Option<LabelSelector>,
    fields: Vec<FieldReq>,
    /// A watch on one named object.
    name: Option<String>,
}

impl Scope {
    /// Whether `o` (of this scope's kind) is one of the objects the scope covers.
    fn covers(&self, o: &Obj) -> bool {
        let meta = o.meta();
        let namespaced = self.kind.namespaced();
        let ns = if self.name.is_some() {
            Some(self.namespace.as_deref().unwrap_or("default"))
        } else if namespaced {
            self.namespace.as_deref()
        } else {
            None
        };
        ns.is_none_or(|ns| meta.ns() == ns)
            && self.name.as_ref().is_none_or(|n| meta.name == *n)
            && self.labels.as_ref().is_none_or(|l| l.matches(&meta.labels))
            && self.fields.iter().all(|f| f.matches(o))
    }

    fn objects(&self, sim: &Sim) -> Vec<Obj> {
        if let Some(name) = &self.name {
            return find(
                sim,
                self.kind,
                self.namespace.as_deref().unwrap_or("default"),
                name,
            )
            .into_iter()
            .collect();
        }
        let ns = if self.kind.namespaced() {
            self.namespace.as_deref()
        } else {
            None
        };
        list(sim, self.kind, ns)
            .into_iter()
            .filter(|o| {
                self.labels
                    .as_ref()
                    .is_none_or(|l| l.matches(&o.meta().labels))
            })
            .filter(|o| self.fields.iter().all(|f| f.matches(o)))
            .collect()
    }
}

#[derive(Debug, Clone, PartialEq)]
struct FieldReq {
    field: String,
    equal: bool,
    value: String,
}

impl FieldReq {
    fn matches(&self, o: &Obj) -> bool {
        (field_value(o, &self.field).unwrap_or_default() == self.value) == self.equal
    }
}

/// `fields.ParseSelector`: `a=b,c==d,e!=f`.
fn parse_fields(text: &str) -> Result<Vec<FieldReq>, String> {
    let mut out = Vec::new();
    for term in text.split(',').filter(|t| !t.is_empty()) {
        let (field, equal, value) = if let Some((f, v)) = term.split_once("!=") {
            (f, false, v)
        } else if let Some((f, v)) = term.split_once("==").or_else(|| term.split_once('=')) {
            (f, true, v)
        } else {
            return Err(format!(
                "invalid selector: '{text}'; can't understand '{term}'"
            ));
        };
        out.push(FieldReq {
            field: field.trim().into(),
            equal,
            value: value.trim().into(),
        });
    }
    Ok(out)
}

/// The field labels each registry's `GetAttrs` supports.
fn supported_field(kind: Kind, field: &str) -> bool {
    let extra: &[&str] = match kind {
        Kind::Pod => &[
            "spec.nodeName",
            "spec.restartPolicy",
            "spec.schedulerName",
            "spec.serviceAccountName",
            "status.phase",
            "status.podIP",
            "status.nominatedNodeName",
        ],
        Kind::Event => &[
            "involvedObject.kind",
            "involvedObject.namespace",
            "involvedObject.name",
            "involvedObject.uid",
            "involvedObject.apiVersion",
            "involvedObject.resourceVersion",
            "involvedObject.fieldPath",
            "reason",
            "reportingComponent",
            "source",
            "type",
        ],
        Kind::Node => &["spec.unschedulable"],
        Kind::ReplicaSet => &["status.replicas"],
        Kind::Namespace => &["status.phase"],
        Kind::Service => &["spec.clusterIP", "spec.type"],
        _ => &[],
    };
    field == "metadata.name" || field == "metadata.namespace" || extra.contains(&field)
}

fn field_value(o: &Obj, field: &str) -> Option<String> {
    match (o, field) {
        (_, "metadata.name") => return Some(o.meta().name.clone()),
        (_, "metadata.namespace") => return Some(o.key().0),
        (Obj::Event(e), "source") => return Some(e.source.component.clone()),
        (Obj::Service(s), "spec.type") => {
            return Some(s.spec.type_.clone().unwrap_or_else(|| "ClusterIP".into()))
        }
        (Obj::Node(n), "spec.unschedulable") => return Some(n.spec.unschedulable.to_string()),
        (Obj::ReplicaSet(r), "status.replicas") => return Some(r.status.replicas.to_string()),
        _ => {}
    }
    scalar_text(lookup(&o.value(), field)?)
}

fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A dotted path with optional `[i]` indices (`.status.containerStatuses[0].restartCount`).
fn lookup<'a>(v: &'a Value, path: &str) -> Option<&'a Value> {
    let path = path
        .trim()
        .trim_start_matches('{')
        .trim_end_matches('}')
        .trim_start_matches('.');
    let mut cur = v;
    for seg in path.split('.').filter(|s| !s.is_empty()) {
        let (name, indices) = match seg.find('[') {
            Some(i) => (&seg[..i], &seg[i..]),
            None => (seg, ""),
        };
        if !name.is_empty() {
            cur = cur.get(name)?;
        }
        for idx in indices.split('[').filter(|s| !s.is_empty()) {
            cur = cur.get(idx.trim_end_matches(']').parse::<usize>().ok()?)?;
        }
    }
    Some(cur)
}

/// `--sort-by`: stable, objects without the field first.
fn sort_objects(objs: Vec<Obj>, path: &str) -> Vec<Obj> {
    let mut keyed: Vec<(Option<Value>, Obj)> = objs
        .into_iter()
        .map(|o| (lookup(&o.value(), path).cloned(), o))
        .collect();
    // Mixed numbers and strings do not compare transitively: sort the tolerant way.
    crate::order::sort_by(&mut keyed, |a, b| {
        compare_values(a.0.as_ref(), b.0.as_ref())
    });
    keyed.into_iter().map(|(_, o)| o).collect()
}

fn compare_values(a: Option<&Value>, b: Option<&Value>) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    match (a, b) {
        (None, None) => Ordering::Equal,
        (None, _) => Ordering::Less,
        (_, None) => Ordering::Greater,
        (Some(Value::Number(x)), Some(Value::Number(y))) => x
            .as_f64()
            .unwrap_or(0.0)
            .partial_cmp(&y.as_f64().unwrap_or(0.0))
            .unwrap_or(Ordering::Equal),
        (Some(x), Some(y)) => scalar_text(x)
            .unwrap_or_default()
            .cmp(&scalar_text(y).unwrap_or_default()),
    }
}

/// `group/version, Resource=plural` as list errors name it.
pub(crate) fn gvr(kind: Kind) -> String {
    let plural = kind.resource();
    let gv = kind.api_version();
    let gv = if gv.contains('/') {
        gv.to_string()
    } else {
        format!("/{gv}")
    };
    format!("{gv}, Resource={plural}")
}

pub(crate) fn not_found(kind: Kind, name: &str) -> String {
    format!(
        "Error from server (NotFound): {} {name:?} not found",
        kind.group_resource()
    )
}

// ---------------------------------------------------------------------------------------
// Columns

fn base_headers(kind: Kind, wide: bool) -> Vec<&'static str> {
    let (base, extra): (&[&str], &[&str]) = match kind {
        Kind::Pod => (
            &["NAME", "READY", "STATUS", "RESTARTS", "AGE"],
            &["IP", "NODE", "NOMINATED NODE", "READINESS GATES"],
        ),
        Kind::Deployment => (
            &["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"],
            &["CONTAINERS", "IMAGES", "SELECTOR"],
        ),
        Kind::ReplicaSet => (
            &["NAME", "DESIRED", "CURRENT", "READY", "AGE"],
            &["CONTAINERS", "IMAGES", "SELECTOR"],
        ),
        Kind::Service => (
            &[
                "NAME",
                "TYPE",
                "CLUSTER-IP",
                "EXTERNAL-IP",
                "PORT(S)",
                "AGE",
            ],
            &["SELECTOR"],
        ),
        Kind::Node => (
            &["NAME", "STATUS", "ROLES", "AGE", "VERSION"],
            &[
                "INTERNAL-IP",
                "EXTERNAL-IP",
                "OS-IMAGE",
                "KERNEL-VERSION",
                "CONTAINER-RUNTIME",
            ],
        ),
        Kind::Namespace => (&["NAME", "STATUS", "AGE"], &[]),
        Kind::Event if wide => (
            &[
                "LAST SEEN",
                "TYPE",
                "REASON",
                "OBJECT",
                "SUBOBJECT",
                "SOURCE",
                "MESSAGE",
                "FIRST SEEN",
                "COUNT",
                "NAME",
            ],
            &[],
        ),
        Kind::Event => (&["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"], &[]),
        Kind::ResourceQuota => (&["NAME", "AGE", "REQUEST", "LIMIT"], &[]),
        Kind::Endpoints => (&["NAME", "ENDPOINTS", "AGE"], &[]),
        Kind::EndpointSlice => (&["NAME", "ADDRESSTYPE", "PORTS", "ENDPOINTS", "AGE"], &[]),
    };
    let mut h = base.to_vec();
    if wide {
        h.extend_from_slice(extra);
    }
    h
}

fn headers(kind: Kind, v: &View) -> Vec<String> {
    let mut h: Vec<String> = Vec::new();
    if v.watch_events {
        h.push("EVENT".into());
    }
    if v.with_namespace(kind) {
        h.push("NAMESPACE".into());
    }
    h.extend(base_headers(kind, v.wide()).into_iter().map(String::from));
    for l in &v.label_columns {
        h.push(l.rsplit('/').next().unwrap_or(l).to_uppercase());
    }
    if v.show_labels {
        h.push("LABELS".into());
    }
    h
}

fn row(sim: &Sim, o: &Obj, v: &View, event: Option<&str>) -> Vec<String> {
    let mut r: Vec<String> = Vec::new();
    if let Some(e) = event {
        r.push(e.to_string());
    }
    let kind = o.kind();
    if v.with_namespace(kind) {
        r.push(o.meta().ns().to_string());
    }
    let mut cells = base_cells(sim, o, v.wide());
    if v.with_kind {
        if let Some(i) = base_headers(kind, v.wide())
            .iter()
            .position(|h| *h == "NAME")
        {
            if let Some(c) = cells.get_mut(i) {
                *c = format!("{}/{c}", kind.qualified());
            }
        }
    }
    r.extend(cells);
    for l in &v.label_columns {
        r.push(o.meta().labels.get(l).cloned().unwrap_or_default());
    }
    if v.show_labels {
        r.push(format_labels(&o.meta().labels));
    }
    r
}

fn base_cells(sim: &Sim, o: &Obj, wide: bool) -> Vec<String> {
    let now = sim.now;
    let (mut cells, extra) = match o {
        Obj::Pod(p) => pod_cells(p, now),
        Obj::Deployment(d) => deployment_cells(d, now),
        Obj::ReplicaSet(rs) => replicaset_cells(rs, now),
        Obj::Service(s) => service_cells(s, now),
        Obj::Endpoints(e) => (endpoints_cells(e, now), vec![]),
        Obj::EndpointSlice(e) => (endpoint_slice_cells(e, now), vec![]),
        Obj::Node(n) => node_cells(n, now),
        Obj::Namespace(n) => (
            vec![
                n.metadata.name.clone(),
                n.status.phase.clone(),
                age(now, n.metadata.creation_timestamp),
            ],
            vec![],
        ),
        Obj::Event(e) => return event_cells(e, now, wide),
        Obj::Quota(q) => (quota_cells(sim, q), vec![]),
    };
    if wide {
        cells.extend(extra);
    }
    cells
}

type Cells = (Vec<String>, Vec<String>);

fn pod_cells(p: &Pod, now: Time) -> Cells {
    let base = vec![
        p.metadata.name.clone(),
        pod_ready(p),
        pod_status(p),
        pod_restarts(p, now),
        age(now, p.metadata.creation_timestamp),
    ];
    let gates = match p
        .spec
        .extra
        .get("readinessGates")
        .and_then(Value::as_sequence)
    {
        Some(g) if !g.is_empty() => {
            let ok = g
                .iter()
                .filter_map(|x| x.get("conditionType").and_then(Value::as_str))
                .filter(|t| {
                    p.status
                        .conditions
                        .iter()
                        .any(|c| c.type_ == *t && c.status == "True")
                })
                .count();
            format!("{ok}/{}", g.len())
        }
        _ => "<none>".into(),
    };
    let wide = vec![
        p.status.pod_ip.clone().unwrap_or_else(|| "<none>".into()),
        p.spec
            .node_name
            .clone()
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| "<none>".into()),
        "<none>".into(),
        gates,
    ];
    (base, wide)
}

fn container_cells(containers: &[Container]) -> (String, String) {
    let names: Vec<&str> = containers.iter().map(|c| c.name.as_str()).collect();
    let images: Vec<&str> = containers.iter().map(|c| c.image()).collect();
    (names.join(","), images.join(","))
}

fn deployment_cells(d: &Deployment, now: Time) -> Cells {
    let base = vec![
        d.metadata.name.clone(),
        format!("{}/{}", d.status.ready_replicas, d.replicas()),
        d.status.updated_replicas.to_string(),
        d.status.available_replicas.to_string(),
        age(now, d.metadata.creation_timestamp),
    ];
    let (names, images) = container_cells(&d.spec.template.spec.containers);
    (base, vec![names, images, selector_string(&d.selector())])
}

fn replicaset_cells(rs: &ReplicaSet, now: Time) -> Cells {
    let base = vec![
        rs.metadata.name.clone(),
        rs.spec.replicas.to_string(),
        rs.status.replicas.to_string(),
        rs.status.ready_replicas.to_string(),
        age(now, rs.metadata.creation_timestamp),
    ];
    let (names, images) = container_cells(&rs.spec.template.spec.containers);
    (
        base,
        vec![names, images, selector_string(&rs.spec.selector)],
    )
}

fn string_list(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_sequence)
        .map(|s| {
            s.iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// `printService`: CLUSTER-IP from `clusterIPs[0]`, EXTERNAL-IP by type, `port[:nodePort]/proto`.
fn service_cells(s: &Service, now: Time) -> Cells {
    let type_ = s.spec.type_.clone().unwrap_or_else(|| "ClusterIP".into());
    let cluster_ip = string_list(s.spec.extra.get("clusterIPs"))
        .into_iter()
        .next()
        .or_else(|| s.spec.cluster_ip.clone())
        .filter(|ip| !ip.is_empty())
        .unwrap_or_else(|| "<none>".into());
    let external = string_list(s.spec.extra.get("externalIPs"));
    let external_ip = match type_.as_str() {
        "ClusterIP" | "NodePort" if !external.is_empty() => external.join(","),
        "ClusterIP" | "NodePort" => "<none>".into(),
        "LoadBalancer" if !external.is_empty() => external.join(","),
        "LoadBalancer" => "<pending>".into(),
        "ExternalName" => s
            .spec
            .extra
            .get("externalName")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string(),
        _ => "<unknown>".into(),
    };
    let ports: Vec<String> = s
        .spec
        .ports
        .iter()
        .map(|p| {
            let proto = p.protocol.as_deref().unwrap_or("TCP");
            match p.node_port.filter(|n| *n > 0) {
                Some(np) => format!("{}:{np}/{proto}", p.port),
                None => format!("{}/{proto}", p.port),
            }
        })
        .collect();
    let ports = if ports.is_empty() {
        "<none>".into()
    } else {
        ports.join(",")
    };
    let base = vec![
        s.metadata.name.clone(),
        type_,
        cluster_ip,
        external_ip,
        ports,
        age(now, s.metadata.creation_timestamp),
    ];
    (base, vec![format_labels(&s.spec.selector)])
}

/// `printEndpoints`: the ready `ip:port` pairs, three at most then `+ N more...`; `<none>`
/// without subsets, an empty cell when every address is not ready.
fn endpoints_cells(e: &Endpoints, now: Time) -> Vec<String> {
    vec![
        e.metadata.name.clone(),
        format_endpoints(e),
        age(now, e.metadata.creation_timestamp),
    ]
}

/// `formatEndpoints(endpoints, nil)`.
pub(crate) fn format_endpoints(e: &Endpoints) -> String {
    if e.subsets.is_empty() {
        return "<none>".into();
    }
    const MAX: usize = 3;
    let mut list: Vec<String> = Vec::new();
    let mut more = false;
    let mut count = 0;
    for ss in &e.subsets {
        if ss.ports.is_empty() {
            // Headless services may have no ports.
            count += ss.addresses.len();
            for a in &ss.addresses {
                if list.len() == MAX {
                    more = true;
                    break;
                }
                list.push(a.ip.clone());
            }
            continue;
        }
        for port in &ss.ports {
            count += ss.addresses.len();
            for a in &ss.addresses {
                if list.len() == MAX {
                    more = true;
                    break;
                }
                list.push(printers::join_host_port(&a.ip, &port.port.to_string()));
            }
        }
    }
    let text = list.join(",");
    if more {
        format!("{text} + {} more...", count - MAX)
    } else {
        text
    }
}

/// `printEndpointSlice`: NAME, ADDRESSTYPE, PORTS and ENDPOINTS (every address, whatever
/// its conditions), each list cut at three with `+ N more...`, `<unset>` when empty.
fn endpoint_slice_cells(e: &EndpointSlice, now: Time) -> Vec<String> {
    let ports: Vec<String> = e
        .ports
        .iter()
        .map(|p| match (p.port, &p.name) {
            (Some(n), _) => n.to_string(),
            (None, Some(name)) => name.clone(),
            (None, None) => "*".into(),
        })
        .collect();
    let addresses: Vec<String> = e
        .endpoints
        .iter()
        .flat_map(|ep| ep.addresses.iter().cloned())
        .collect();
    vec![
        e.metadata.name.clone(),
        e.address_type.clone(),
        list_with_more(&ports),
        list_with_more(&addresses),
        age(now, e.metadata.creation_timestamp),
    ]
}

/// `listWithMoreString` with kubectl's limit of three.
fn list_with_more(items: &[String]) -> String {
    const MAX: usize = 3;
    if items.len() > MAX {
        return format!("{} + {} more...", items[..MAX].join(","), items.len() - MAX);
    }
    if items.is_empty() {
        return "<unset>".into();
    }
    items.join(",")
}

fn node_cells(n: &Node, now: Time) -> Cells {
    let info = &n.status.node_info;
    let address = |t: &str| {
        n.status
            .addresses
            .iter()
            .find(|a| a.type_ == t)
            .map(|a| a.address.clone())
            .unwrap_or_else(|| "<none>".into())
    };
    let or_unknown = |s: &str| {
        if s.is_empty() {
            "<unknown>".to_string()
        } else {
            s.to_string()
        }
    };
    let base = vec![
        n.metadata.name.clone(),
        printers::node_status(n),
        printers::node_roles(n),
        age(now, n.metadata.creation_timestamp),
        info.kubelet_version.clone(),
    ];
    let wide = vec![
        address("InternalIP"),
        address("ExternalIP"),
        or_unknown(&info.os_image),
        or_unknown(&info.kernel_version),
        or_unknown(&info.container_runtime_version),
    ];
    (base, wide)
}

/// `printEvent`: OBJECT is `lower(kind)/name`; wide adds SUBOBJECT, SOURCE, FIRST SEEN, COUNT, NAME.
fn event_cells(e: &Event, now: Time, wide: bool) -> Vec<String> {
    let last = age(now, Some(e.last_timestamp));
    let target = if e.involved_object.name.is_empty() {
        e.involved_object.kind.to_lowercase()
    } else {
        format!(
            "{}/{}",
            e.involved_object.kind.to_lowercase(),
            e.involved_object.name
        )
    };
    let message = e.message.trim().to_string();
    if !wide {
        return vec![last, e.type_.clone(), e.reason.clone(), target, message];
    }
    let component = if e.source.component.is_empty() {
        &e.reporting_component
    } else {
        &e.source.component
    };
    let host = e
        .source
        .host
        .clone()
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| e.reporting_instance.clone());
    let source = if host.is_empty() {
        component.clone()
    } else {
        format!("{component}, {host}")
    };
    vec![
        last,
        e.type_.clone(),
        e.reason.clone(),
        target,
        e.involved_object.field_path.clone().unwrap_or_default(),
        source,
        message,
        age(now, Some(e.first_timestamp)),
        e.count.max(1).to_string(),
        e.metadata.name.clone(),
    ]
}

/// `printResourceQuota`: `resource: used/hard` pairs, `limits.*` in the LIMIT column.
fn quota_cells(sim: &Sim, q: &ResourceQuota) -> Vec<String> {
    let mut request = Vec::new();
    let mut limit = Vec::new();
    for (res, hard) in &q.spec.hard {
        let used = printers::format_quantity(quota_used(sim, q, res), printers::is_binary(hard));
        let text = format!("{res}: {used}/{}", hard.canonical());
        if res.split('.').next() == Some("limits") && res.contains('.') {
            limit.push(text);
        } else {
            request.push(text);
        }
    }
    vec![
        q.metadata.name.clone(),
        age(sim.now, q.metadata.creation_timestamp),
        request.join(", "),
        limit.join(", "),
    ]
}

/// What the quota controller would report as `status.used` for one resource, in thousandths.
pub(crate) fn quota_used(sim: &Sim, q: &ResourceQuota, resource: &str) -> i128 {
    let ns = q.metadata.ns();
    let counting: Vec<&Pod> = sim
        .store
        .pods_in(ns)
        .filter(|p| counts_for_quota(sim, p))
        .collect();
    let sum = |pick: &dyn Fn(&Container) -> Option<i128>| -> i128 {
        counting
            .iter()
            .flat_map(|p| p.spec.containers.iter())
            .filter_map(pick)
            .fold(0, i128::saturating_add)
    };
    let request = |c: &Container, r: &str| {
        c.resources
            .as_ref()
            .and_then(|x| x.requests.get(r))
            .and_then(|v| v.milli())
    };
    let limit = |c: &Container, r: &str| {
        c.resources
            .as_ref()
            .and_then(|x| x.limits.get(r))
            .and_then(|v| v.milli())
    };
    let count = |n: usize| n as i128 * 1000;
    match resource {
        "pods" => count(counting.len()),
        "count/pods" => count(sim.store.pods_in(ns).count()),
        "cpu" | "requests.cpu" => sum(&|c| request(c, "cpu")),
        "memory" | "requests.memory" => sum(&|c| request(c, "memory")),
        "limits.cpu" => sum(&|c| limit(c, "cpu")),
        "limits.memory" => sum(&|c| limit(c, "memory")),
        "count/deployments.apps" => {
            count(sim.store.deployments.keys().filter(|k| k.0 == ns).count())
        }
        "count/replicasets.apps" => count(sim.store.replicasets_in(ns).count()),
        "services" | "count/services" => {
            count(sim.store.services.keys().filter(|k| k.0 == ns).count())
        }
        _ => 0,
    }
}

/// `QuotaV1Pod`, as the engine's admission check counts pods (controllers/replicaset.rs).
fn counts_for_quota(sim: &Sim, p: &Pod) -> bool {
    if p.status.phase == "Succeeded" || p.status.phase == "Failed" {
        return false;
    }
    match (
        p.metadata.deletion_timestamp,
        p.metadata.deletion_grace_period_seconds,
    ) {
        (Some(t), Some(g)) => sim.now <= t.plus_secs(g),
        _ => true,
    }
}

// ---------------------------------------------------------------------------------------
// The command

/// A parsed `kubectl get` invocation.
struct Request {
    sel: Selection,
    namespace: String,
    labels: Option<LabelSelector>,
    label_text: String,
    label_error: Option<String>,
    fields: Vec<FieldReq>,
    field_text: String,
    field_error: Option<String>,
    view: View,
    sort_by: Option<String>,
    ignore_not_found: bool,
    watch: bool,
    watch_only: bool,
}

pub fn run(sim: &mut Sim, rest: &[String]) -> (Output, Option<Watch>) {
    let a = match args::parse(rest, FLAGS) {
        Ok(a) => a,
        Err(e) => return (super::flag_error("get", &e), None),
    };
    if a.bool("help") {
        return (
            Output::ok(super::help::command_help("get").unwrap_or_default()),
            None,
        );
    }
    let req = match request(&a) {
        Ok(r) => r,
        Err(out) => return (out, None),
    };
    if req.watch || req.watch_only {
        return start_watch(sim, &req);
    }
    (get(sim, &req), None)
}

fn request(a: &Args) -> Result<Request, Output> {
    if a.positional.is_empty() {
        return Err(Output::err(NO_TYPE));
    }
    let sel = select(&a.positional).map_err(|e| Output::err(format!("{e}\n")))?;
    let template_flag = a.get("template").unwrap_or("");
    let output = match a.get("output").unwrap_or("") {
        // get_flags.go: a template without an output format is a Go template.
        "" if !template_flag.is_empty() => "go-template",
        o => o,
    };
    let format = output_format(output)?;
    // With `--template`, `-o` must name the bare format.
    if !template_flag.is_empty()
        && matches!(
            format,
            Format::JsonPath | Format::GoTemplate | Format::CustomColumns
        )
        && output.contains('=')
    {
        return Err(Output::err(format!(
            "error: unable to match a printer suitable for the output format {output:?}, {PRINTER_ERROR}\n"
        )));
    }
    // The template (or columns) come from `--template`, which get_flags.go hands to the
    // custom-columns printer too, else from after the format's `=`.
    let text = match template_flag {
        "" => output.split_once('=').map_or("", |(_, t)| t),
        t => t,
    };
    let template_text = || {
        if text.is_empty() {
            Err(Output::err(
                "error: template format specified but no template given\n",
            ))
        } else {
            Ok(text)
        }
    };
    let (template, go_template, columns) = match format {
        Format::JsonPath => {
            let text = template_text()?;
            let t = super::jsonpath::Template::parse(text)
                .map_err(|e| Output::err(format!("error: error parsing jsonpath {text}, {e}\n")))?;
            (Some(t), None, Vec::new())
        }
        Format::GoTemplate => {
            let text = template_text()?;
            let t = GoTemplate::parse(text)
                .map_err(|e| Output::err(format!("error: error parsing template {text}, {e}\n")))?;
            (None, Some(t), Vec::new())
        }
        Format::CustomColumns => {
            let cols = super::jsonpath::custom_columns(text)
                .map_err(|e| Output::err(format!("error: {e}\n")))?;
            (None, None, cols)
        }
        _ => (None, None, Vec::new()),
    };
    let show_labels = a.bool("show-labels");
    if show_labels && !matches!(format, Format::Table | Format::Wide) {
        let o = a.get("output").unwrap_or("");
        return Err(Output::err(format!(
            "error: --show-labels option cannot be used with {o} printer\n"
        )));
    }
    let watch = a.bool("watch");
    let watch_only = a.bool("watch-only");
    let watch_events = a.bool("output-watch-events");
    if watch_events && !(watch || watch_only) {
        return Err(Output::err(
            "error: --output-watch-events option can only be used with --watch or --watch-only\n",
        ));
    }
    let all_namespaces = a.bool("all-namespaces");
    let named = sel.items.iter().any(|(_, n)| !n.is_empty());
    let label_text = a.get("selector").unwrap_or("").to_string();
    if named && a.has("selector") {
        return Err(Output::err(
            "error: name cannot be provided when a selector is specified\n",
        ));
    }
    if named && all_namespaces {
        return Err(Output::err(
            "error: a resource cannot be retrieved by name across all namespaces\n",
        ));
    }
    let (labels, label_error) = match a.get("selector") {
        None => (None, None),
        Some(s) => match parse_label_selector(s) {
            Ok(l) => (Some(l), None),
            Err(e) => (None, Some(e)),
        },
    };
    let field_text = a.get("field-selector").unwrap_or("").to_string();
    let (fields, field_error) = match parse_fields(&field_text) {
        Ok(f) => (f, None),
        Err(e) => (Vec::new(), Some(e)),
    };
    let label_columns = a
        .all("label-columns")
        .iter()
        .flat_map(|s| s.split(','))
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect();
    let view = View {
        format,
        template,
        go_template,
        columns,
        all_namespaces,
        show_labels,
        label_columns,
        no_headers: a.bool("no-headers"),
        with_kind: a.bool("show-kind"),
        watch_events,
    };
    Ok(Request {
        sel,
        namespace: a.namespace(),
        labels,
        label_text,
        label_error,
        fields,
        field_text,
        field_error,
        view,
        sort_by: a.get("sort-by").filter(|s| !s.is_empty()).map(String::from),
        ignore_not_found: a.bool("ignore-not-found"),
        watch,
        watch_only,
    })
}

/// `-o`: the printers `get` has, kubectl's error for an unknown one.
fn output_format(o: &str) -> Result<Format, Output> {
    let simulated = [
        "jsonpath-file",
        "jsonpath-as-json",
        "custom-columns-file",
        "go-template-file",
        "templatefile",
    ];
    match o {
        "" => Ok(Format::Table),
        "wide" => Ok(Format::Wide),
        "name" => Ok(Format::Name),
        "yaml" => Ok(Format::Yaml),
        "json" => Ok(Format::Json),
        "kyaml" => Ok(Format::Kyaml),
        o if simulated.iter().any(|p| o.starts_with(p)) => Err(Output::err(format!(
            "error: output format {o:?} is not available in this simulator; use -o wide, -o name, -o yaml, -o json, -o jsonpath=… -o custom-columns=… or -o go-template=…\n"
        ))),
        "jsonpath" | "custom-columns" => Ok(if o == "jsonpath" { Format::JsonPath } else { Format::CustomColumns }),
        "go-template" | "template" => Ok(Format::GoTemplate),
        o if o.starts_with("go-template=") || o.starts_with("template=") => Ok(Format::GoTemplate),
        o if o.starts_with("jsonpath=") => Ok(Format::JsonPath),
        o if o.starts_with("custom-columns=") => Ok(Format::CustomColumns),
        o => Err(Output::err(format!(
            "error: unable to match a printer suitable for the output format {o:?}, {PRINTER_ERROR}\n"
        ))),
    }
}

impl Request {
    fn scope(&self, kind: Kind) -> Scope {
        Scope {
            kind,
            namespace: (!self.view.all_namespaces).then(|| self.namespace.clone()),
            labels: self.labels.clone(),
            fields: self.fields.clone(),
            name: None,
        }
    }

    /// The server's 400 for a list with a bad selector, wrapped as kubectl does.
    fn list_error(&self, kind: Kind) -> Option<String> {
        let reason = self
            .label_error
            .clone()
            .or_else(|| self.field_error.clone())
            .or_else(|| {
                self.fields
                    .iter()
                    .find(|f| !supported_field(kind, &f.field))
                    .map(|f| format!("field label not supported: {}", f.field))
            })?;
        Some(format!(
            "Error from server (BadRequest): Unable to find {:?} that match label selector {:?}, field selector {:?}: {reason}",
            gvr(kind),
            self.label_text,
            self.field_text
        ))
    }

    fn no_resources(&self) -> String {
        if self.view.all_namespaces {
            "No resources found\n".into()
        } else {
            format!("No resources found in {} namespace.\n", self.namespace)
        }
    }
}

/// One requested kind's results: a list, or the named objects that were found.
struct Group {
    kind: Kind,
    objs: Vec<Obj>,
}

fn collect(sim: &Sim, req: &Request) -> (Vec<Group>, Vec<String>) {
    let mut groups = Vec::new();
    let mut errors = Vec::new();
    for (kind, names) in &req.sel.items {
        let kind = *kind;
        if names.is_empty() {
            if let Some(e) = req.list_error(kind) {
                errors.push(e);
                continue;
            }
            let mut objs = req.scope(kind).objects(sim);
            if let Some(path) = &req.sort_by {
                objs = sort_objects(objs, path);
            }
            groups.push(Group { kind, objs });
            continue;
        }
        let mut objs = Vec::new();
        for name in names {
            match find(sim, kind, &req.namespace, name) {
                Some(o) => objs.push(o),
                None if req.ignore_not_found => {}
                None => errors.push(not_found(kind, name)),
            }
        }
        if !objs.is_empty() {
            groups.push(Group { kind, objs });
        }
    }
    (groups, errors)
}

/// Most objects one `get` prints: a request naming the same type many times over thousands
/// of pods would build more text than a browser tab can hold.
const MAX_PRINTED: usize = 10_000;

fn get(sim: &Sim, req: &Request) -> Output {
    let (groups, errors) = collect(sim, req);
    let printed: usize = groups.iter().map(|g| g.objs.len()).sum();
    if printed > MAX_PRINTED {
        return Output::err(format!(
            "error: this would print {printed} objects; kubesim prints at most {MAX_PRINTED} per command (name fewer types, or use -l or a namespace)\n"
        ));
    }
    // sorter.go: a field that none of a list's objects has is an error, not an order.
    if let Some(path) = &req.sort_by {
        let missing = |g: &Group| {
            !g.objs.is_empty() && g.objs.iter().all(|o| lookup(&o.value(), path).is_none())
        };
        if groups.iter().any(missing) {
            let field = format!(
                "{{.{}}}",
                path.trim_start_matches('{')
                    .trim_end_matches('}')
                    .trim_start_matches('.')
            );
            return Output::err(format!(
                "error: couldn't find any field with path {field:?} in the list of objects\n"
            ));
        }
    }
    let mut view = req.view.clone();
    let mut kinds: Vec<Kind> = groups.iter().map(|g| g.kind).collect();
    crate::order::sort(&mut kinds);
    kinds.dedup();
    // `multipleGVKsRequested`: every list request counts, even an empty one.
    view.with_kind |= kinds.len() > 1;
    let mut out = match view.format {
        Format::Table | Format::Wide => Output::ok(tables(sim, &groups, &view)),
        Format::Name => Output::ok(names(&groups)),
        Format::JsonPath | Format::GoTemplate => {
            let root = document(&groups, single_item_implied(&req.sel));
            match view.run_template(&root) {
                Ok(text) => Output::ok(text),
                Err((printed, error)) => Output {
                    stdout: printed,
                    stderr: error,
                    exit_code: 1,
                    lead: 0,
                },
            }
        }
        Format::CustomColumns => {
            if errors.len() == 1 && single_item_implied(&req.sel) {
                Output::default()
            } else {
                let objs: Vec<&Obj> = groups.iter().flat_map(|g| g.objs.iter()).collect();
                Output::ok(custom_rows(&objs, &view))
            }
        }
        Format::Yaml | Format::Json | Format::Kyaml => {
            if errors.len() == 1 && single_item_implied(&req.sel) {
                Output::default()
            } else {
                Output::ok(serialized(
                    &groups,
                    view.format,
                    single_item_implied(&req.sel),
                ))
            }
        }
    };
    if req.sel.items.iter().any(|(k, _)| *k == Kind::Endpoints) {
        out.stderr.push_str(ENDPOINTS_DEPRECATED);
    }
    let printed = !out.stdout.is_empty();
    // Only the human-readable printers say "No resources found"; printGeneric prints what
    // the template makes of the list, which may be nothing.
    let structured = !matches!(view.format, Format::Table | Format::Wide);
    if !printed && errors.is_empty() && !req.ignore_not_found && !structured {
        out.stderr.push_str(&req.no_resources());
    }
    for e in &errors {
        out.stderr.push_str(e);
        out.stderr.push('\n');
    }
    if !errors.is_empty() {
        out.exit_code = 1;
    }
    out
}

fn tables(sim: &Sim, groups: &[Group], view: &View) -> String {
    let mut text = String::new();
    for g in groups.iter().filter(|g| !g.objs.is_empty()) {
        let mut rows = Vec::new();
        if !view.no_headers {
            rows.push(headers(g.kind, view));
        }
        rows.extend(
            g.objs
                .iter()
                .map(|o| row(sim, o, view, view.watch_events.then_some("ADDED"))),
        );
        if !text.is_empty() && !view.no_headers {
            text.push('\n');
        }
        text.push_str(&printers::table(&rows));
    }
    text
}

/// `-o custom-columns` (`CustomColumnsPrinter`): the header, even over an empty list, then a
/// row per object; a column with no value shows `<none>`, several values are joined by commas.
fn custom_rows(objs: &[&Obj], view: &View) -> String {
    let mut rows = Vec::new();
    if !view.no_headers {
        rows.push(view.columns.iter().map(|(h, _)| h.clone()).collect());
    }
    for o in objs {
        let v = o.value();
        rows.push(
            view.columns
                .iter()
                .map(|(_, t)| {
                    let values = t.values(&v);
                    if values.is_empty() {
                        "<none>".to_string()
                    } else {
                        values.join(",")
                    }
                })
                .collect(),
        );
    }
    printers::table(&rows)
}

fn names(groups: &[Group]) -> String {
    groups
        .iter()
        .flat_map(|g| g.objs.iter())
        .map(|o| format!("{}/{}\n", o.kind().qualified(), o.meta().name))
        .collect()
}

fn single_item_implied(sel: &Selection) -> bool {
    !sel.all && sel.items.len() == 1 && sel.items[0].1.len() == 1
}

fn serialized(groups: &[Group], format: Format, single: bool) -> String {
    render(&document(groups, single), format)
}

/// What a structured printer gets: the one object asked for by name, else a `List`.
fn document(groups: &[Group], single: bool) -> Value {
    let objs: Vec<&Obj> = groups.iter().flat_map(|g| g.objs.iter()).collect();
    match objs.as_slice() {
        [one] if single => one.value(),
        _ => list_value(objs.iter().map(|o| o.value()).collect()),
    }
}

/// The `v1 List` kubectl wraps several objects in.
pub(crate) fn list_value(items: Vec<Value>) -> Value {
    let mut meta = serde_yaml::Mapping::new();
    meta.insert(
        Value::String("resourceVersion".into()),
        Value::String(String::new()),
    );
    let mut m = serde_yaml::Mapping::new();
    m.insert(
        Value::String("apiVersion".into()),
        Value::String("v1".into()),
    );
    m.insert(Value::String("items".into()), Value::Sequence(items));
    m.insert(Value::String("kind".into()), Value::String("List".into()));
    m.insert(Value::String("metadata".into()), Value::Mapping(meta));
    Value::Mapping(m)
}

/// `-o json`, `-o kyaml` or `-o yaml` (anything else) of one object or list.
pub(crate) fn render_as(v: &Value, format: &str) -> String {
    render(
        v,
        match format {
            "json" => Format::Json,
            "kyaml" => Format::Kyaml,
            _ => Format::Yaml,
        },
    )
}

fn render(v: &Value, format: Format) -> String {
    let mut s = match format {
        Format::Json => crate::api::json::to_json_pretty(v),
        Format::Kyaml => crate::api::kyaml::to_kyaml(v),
        _ => crate::api::yaml::to_yaml(v),
    };
    if !s.ends_with('\n') {
        s.push('\n');
    }
    s
}

// ---------------------------------------------------------------------------------------
// Watching

/// `kubectl get -w`: remembers every watched object's resourceVersion and prints a row for
/// each change, reusing the column widths of what it printed before (kubectl-formats.md §3).
#[derive(Debug, Clone, PartialEq)]
pub struct GetWatch {
    scope: Scope,
    view: View,
    seen: BTreeMap<(String, String), Obj>,
    widths: Vec<usize>,
    header_printed: bool,
    printed: usize,
    /// The writes this watch has read ([`crate::store::Store::write_count`]).
    writes_read: u64,
    /// A template that failed on an object: kubectl prints the error and exits.
    error: Option<String>,
    ended: bool,
}

fn start_watch(sim: &Sim, req: &Request) -> (Output, Option<Watch>) {
    let multi = "error: watch is only supported on individual resources and resource collections - more than 1 resource was found\n";
    if req.sel.all || req.sel.items.len() != 1 {
        return (Output::err(multi), None);
    }
    let (kind, names) = &req.sel.items[0];
    if names.len() > 1 {
        let msg = format!(
            "error: watch is only supported on individual resources and resource collections - {} resources were found\n",
            names.len()
        );
        return (Output::err(msg), None);
    }
    let mut scope = req.scope(*kind);
    let mut out = Output::default();
    if req.sort_by.is_some() {
        out.stderr
            .push_str("warning: --watch or --watch-only requested, --sort-by will be ignored\n");
    }
    if let Some(name) = names.first() {
        if find(sim, *kind, &req.namespace, name).is_none() {
            out.stderr.push_str(&not_found(*kind, name));
            out.stderr.push('\n');
            out.exit_code = 1;
            return (out, None);
        }
        scope.namespace = Some(req.namespace.clone());
        scope.name = Some(name.clone());
    } else if let Some(e) = req.list_error(*kind) {
        out.stderr.push_str(&e);
        out.stderr.push('\n');
        out.exit_code = 1;
        return (out, None);
    }
    let objs = scope.objects(sim);
    let mut w = GetWatch {
        scope,
        view: req.view.clone(),
        seen: objs.iter().map(|o| (o.key(), o.clone())).collect(),
        widths: Vec::new(),
        header_printed: false,
        printed: 0,
        // Only writes after the watch starts are its events.
        writes_read: sim.store.write_count,
        error: None,
        ended: false,
    };
    if !req.watch_only {
        let items: Vec<(&str, &Obj)> = objs.iter().map(|o| ("ADDED", o)).collect();
        let text = w.print(sim, &items);
        let listed = w.output(text, true);
        out.stdout = listed.stdout;
        out.stderr.push_str(&listed.stderr);
        out.exit_code = listed.exit_code;
    }
    let watch = (!w.ended).then(|| Watch::Get(Box::new(w)));
    (out, watch)
}

/// The object a DELETED event carries: a pod always went through graceful deletion, so its
/// last state has a deletionTimestamp (STATUS `Terminating`) even if no poll saw it.
fn as_deleted(o: Obj, now: Time) -> Obj {
    match o {
        Obj::Pod(mut p) => {
            p.metadata.deletion_timestamp.get_or_insert(now);
            Obj::Pod(p)
        }
        other => other,
    }
}

impl GetWatch {
    /// The watch ended: a template failed on an object.
    pub fn finished(&self) -> bool {
        self.ended
    }

    /// What a poll printed; a template that failed ends the watch. get.go reports a failure
    /// in the first listing; on a later event its watch loop ends without a word, leaving
    /// what the printer wrote.
    fn output(&mut self, stdout: String, listing: bool) -> Output {
        match self.error.take() {
            Some(error) if listing => {
                self.ended = true;
                let reason = error.strip_prefix("error: ").unwrap_or(&error);
                Output {
                    stdout,
                    stderr: format!("error: unable to output the provided object: {reason}"),
                    exit_code: 1,
                    lead: 0,
                }
            }
            Some(_) => {
                self.ended = true;
                Output::ok(stdout)
            }
            None => Output::ok(stdout),
        }
    }

    /// Whether this watch reads every write ([`crate::store::Store::writes`]).
    pub fn wants_writes(&self) -> bool {
        matches!(
            self.scope.kind,
            Kind::Pod | Kind::ReplicaSet | Kind::Deployment
        )
    }

    /// Rows for objects added, changed (new resourceVersion) or deleted since the last poll:
    /// pods, ReplicaSets and Deployments write by write, as the API server's watch sends
    /// them, other kinds as they are now.
    pub fn poll(&mut self, sim: &Sim) -> Output {
        if self.ended {
            return Output::default();
        }
        if let Some(writes) = sim.store.writes.as_ref().filter(|_| self.wants_writes()) {
            // The watch cache's rules, write by write: a pod entering the scope is ADDED, a
            // change within it MODIFIED, one leaving it (deleted, or relabelled out of the
            // selector) DELETED.
            let mut known: std::collections::BTreeSet<(String, String)> =
                self.seen.keys().cloned().collect();
            let mut rows: Vec<(&str, Obj)> = Vec::new();
            for w in writes.iter().filter(|w| w.seq > self.writes_read) {
                let o = match &w.object {
                    Written::Pod(p) if self.scope.kind == Kind::Pod => Obj::Pod(p.clone()),
                    Written::ReplicaSet(r) if self.scope.kind == Kind::ReplicaSet => {
                        Obj::ReplicaSet(r.clone())
                    }
                    Written::Deployment(d) if self.scope.kind == Kind::Deployment => {
                        Obj::Deployment(d.clone())
                    }
                    _ => continue,
                };
                let k = o.key();
                let was = known.contains(&k);
                let now = !w.deleted && self.scope.covers(&o);
                match (was, now) {
                    (false, true) => {
                        known.insert(k);
                        rows.push(("ADDED", o));
                    }
                    (true, true) => rows.push(("MODIFIED", o)),
                    (true, false) => {
                        known.remove(&k);
                        rows.push(("DELETED", as_deleted(o, sim.api_now())));
                    }
                    (false, false) => {}
                }
            }
            self.writes_read = sim.store.write_count;
            let items: Vec<(&str, &Obj)> = rows.iter().map(|(e, o)| (*e, o)).collect();
            let text = self.print(sim, &items);
            self.seen = self
                .scope
                .objects(sim)
                .into_iter()
                .map(|o| (o.key(), o))
                .collect();
            return self.output(text, false);
        }
        let current: BTreeMap<(String, String), Obj> = self
            .scope
            .objects(sim)
            .into_iter()
            .map(|o| (o.key(), o))
            .collect();
        let mut changed: Vec<(u64, &'static str, Obj)> = Vec::new();
        let mut deleted: Vec<Obj> = Vec::new();
        for (k, old) in &self.seen {
            match current.get(k) {
                None => deleted.push(old.clone()),
                Some(new) if new.meta().uid != old.meta().uid => deleted.push(old.clone()),
                _ => {}
            }
        }
        for (k, new) in &current {
            let event = match self.seen.get(k) {
                Some(old) if old.meta().uid == new.meta().uid => {
                    if old.meta().resource_version == new.meta().resource_version {
                        continue;
                    }
                    "MODIFIED"
                }
                _ => "ADDED",
            };
            let rv = new
                .meta()
                .resource_version
                .as_deref()
                .and_then(|r| r.parse().ok())
                .unwrap_or(0);
            changed.push((rv, event, new.clone()));
        }
        // Watch events arrive in resourceVersion order; deletions come last.
        crate::order::sort_by_key(&mut changed, |c| c.0);
        let deleted: Vec<Obj> = deleted
            .into_iter()
            .map(|o| as_deleted(o, sim.api_now()))
            .collect();
        let mut items: Vec<(&str, &Obj)> = changed.iter().map(|(_, e, o)| (*e, o)).collect();
        items.extend(deleted.iter().map(|o| ("DELETED", o)));
        let text = self.print(sim, &items);
        self.seen = current;
        self.output(text, false)
    }

    fn print(&mut self, sim: &Sim, items: &[(&str, &Obj)]) -> String {
        if items.is_empty() {
            return String::new();
        }
        match self.view.format {
            Format::Name => items
                .iter()
                .map(|(_, o)| format!("{}/{}\n", o.kind().qualified(), o.meta().name))
                .collect(),
            Format::Yaml | Format::Json | Format::Kyaml => {
                let mut text = String::new();
                for (_, o) in items {
                    if self.view.format == Format::Yaml && self.printed > 0 {
                        text.push_str("---\n");
                    }
                    self.printed += 1;
                    text.push_str(&render(&o.value(), self.view.format));
                }
                text
            }
            // A template that fails on an object ends the watch after what it printed.
            Format::JsonPath | Format::GoTemplate => {
                let mut text = String::new();
                for (_, o) in items {
                    match self.view.run_template(&o.value()) {
                        Ok(printed) => text.push_str(&printed),
                        Err((printed, error)) => {
                            text.push_str(&printed);
                            self.error = Some(error);
                            break;
                        }
                    }
                }
                text
            }
            Format::CustomColumns => {
                let objs: Vec<&Obj> = items.iter().map(|(_, o)| *o).collect();
                // The header comes once, with the first rows.
                let mut view = self.view.clone();
                view.no_headers |= self.printed > 0;
                self.printed += 1;
                custom_rows(&objs, &view)
            }
            Format::Table | Format::Wide => self.print_rows(sim, items),
        }
    }

    fn print_rows(&mut self, sim: &Sim, items: &[(&str, &Obj)]) -> String {
        let mut rows = Vec::new();
        if !self.header_printed && !self.view.no_headers {
            rows.push(headers(self.scope.kind, &self.view));
        }
        self.header_printed = true;
        for (event, o) in items {
            rows.push(row(
                sim,
                o,
                &self.view,
                self.view.watch_events.then_some(*event),
            ));
        }
        printers::table_remembering(&rows, &mut self.widths)
    }
}
