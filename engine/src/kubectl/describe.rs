//! `kubectl describe` for Deployments, ReplicaSets, pods, nodes, namespaces, services,
//! Endpoints, EndpointSlices and resource quotas (plus kubectl's generic describer for
//! events), laid out by the describe tabwriter exactly as kubectl's describers write it
//! (kubectl-formats.md §1, §8b; k8s-semantics.md §7.3). Also the Pod Template block
//! `rollout history` reuses.

use super::args::{self, flag, Flag};
use super::get::{find, gvr, list, not_found, quota_used, Obj};
use super::printers::{
    age, format_label_selector, format_labels, format_quantity, is_binary, join_host_port,
    node_role_list, rfc1123z, selector_string, DescribeWriter,
};
use super::resources::{select, Kind, Selection};
use crate::api::apps::{Deployment, ReplicaSet};
use crate::api::core::{
    Container, ContainerPort, ContainerState, ContainerStatus, Event, Extra, Namespace, Node, Pod,
    PodTemplateSpec, Probe, ResourceQuota, Toleration,
};
use crate::api::endpoints::{Endpoint, EndpointAddress, EndpointSlice, Endpoints};
use crate::api::meta::{
    parse_label_selector, IntOrString, LabelSelector, Labels, ObjectMeta, Quantity,
};
use crate::api::service::Service;
use crate::command::Output;
use crate::controllers::deployment::util::find_new_replica_set;
use crate::sim::Sim;
use crate::time::Time;
use serde_yaml::Value;
use std::collections::BTreeMap;

const FLAGS: &[Flag] = &[
    flag("selector", Some('l'), true),
    flag("all-namespaces", Some('A'), false),
    flag("show-events", None, false),
    flag("chunk-size", None, true),
];

const NO_TYPE: &str = "error: You must specify the type of resource to describe. Use \"kubectl api-resources\" for a complete list of supported resources.\n";

/// `printAnnotationsMultiline`'s limit for `key: value` on one line.
const MAX_ANNOTATION_LEN: usize = 140;

pub fn run(sim: &mut Sim, rest: &[String]) -> Output {
    let a = match args::parse(rest, FLAGS) {
        Ok(a) => a,
        Err(e) => return super::flag_error("describe", &e),
    };
    if a.bool("help") {
        return Output::ok(super::help::command_help("describe").unwrap_or_default());
    }
    if a.positional.is_empty() {
        return Output::err(NO_TYPE);
    }
    let sel = match select(&a.positional) {
        Ok(s) => s,
        Err(e) => return Output::err(format!("{e}\n")),
    };
    let named = sel.items.iter().any(|(_, n)| !n.is_empty());
    if named && a.has("selector") {
        return Output::err("error: name cannot be provided when a selector is specified\n");
    }
    let all_ns = a.bool("all-namespaces");
    if named && all_ns {
        return Output::err(
            "error: a resource cannot be retrieved by name across all namespaces\n",
        );
    }
    let ns = a.namespace();
    let labels = match a.get("selector").map(parse_label_selector) {
        None => None,
        Some(Ok(l)) => Some(l),
        Some(Err(e)) => return selector_error(&sel, a.get("selector").unwrap_or(""), &e),
    };
    let show_events = a
        .get("show-events")
        .is_none_or(|v| !matches!(v, "false" | "0" | "f" | "F" | "FALSE" | "False"));
    let ctx = Ctx {
        sim: &*sim,
        show_events,
        events_by_uid: Default::default(),
    };
    let scope = (!all_ns).then_some(ns.as_str());
    let (objs, errors) = collect(ctx.sim, &sel, &ns, scope, labels.as_ref());
    // `DescribeMatchingResources`: `describe TYPE NAME` falls back to a name prefix.
    if let ([(kind, names)], [_, _], [err]) = (
        sel.items.as_slice(),
        a.positional.as_slice(),
        errors.as_slice(),
    ) {
        if objs.is_empty() && names.len() == 1 && !sel.all {
            return describe_prefix(&ctx, *kind, &ns, &names[0], err);
        }
    }
    let mut out = Output::default();
    if sel.items.iter().any(|(k, _)| *k == Kind::Endpoints) {
        out.stderr.push_str(super::get::ENDPOINTS_DEPRECATED);
    }
    for (i, o) in objs.iter().enumerate() {
        if i > 0 {
            out.stdout.push_str("\n\n");
        }
        out.stdout.push_str(&describe(&ctx, o));
    }
    if objs.is_empty() && errors.is_empty() {
        out.stderr = if all_ns {
            "No resources found\n".into()
        } else {
            format!("No resources found in {ns} namespace.\n")
        };
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

/// The server's 400 for a list with a label selector it cannot parse, once per kind.
fn selector_error(sel: &Selection, text: &str, reason: &str) -> Output {
    let lines: String = sel
        .items
        .iter()
        .map(|(k, _)| {
            format!(
                "Error from server (BadRequest): Unable to find {:?} that match label selector {text:?}, field selector \"\": {reason}\n",
                gvr(*k)
            )
        })
        .collect();
    Output::err(lines)
}

/// The objects asked for, in argument order, and the NotFound errors for missing names.
fn collect(
    sim: &Sim,
    sel: &Selection,
    ns: &str,
    scope: Option<&str>,
    labels: Option<&LabelSelector>,
) -> (Vec<Obj>, Vec<String>) {
    let mut objs: Vec<Obj> = Vec::new();
    let mut errors: Vec<String> = Vec::new();
    for (kind, names) in &sel.items {
        if names.is_empty() {
            let scope = if kind.namespaced() { scope } else { None };
            let matching = list(sim, *kind, scope)
                .into_iter()
                .filter(|o| labels.is_none_or(|l| l.matches(&o.meta().labels)));
            objs.extend(matching);
            continue;
        }
        for name in names {
            match find(sim, *kind, ns, name) {
                Some(o) => objs.push(o),
                None => errors.push(not_found(*kind, name)),
            }
        }
    }
    (objs, errors)
}

fn describe_prefix(ctx: &Ctx, kind: Kind, ns: &str, prefix: &str, err: &str) -> Output {
    let scope = if kind.namespaced() { Some(ns) } else { None };
    let matching: Vec<Obj> = list(ctx.sim, kind, scope)
        .into_iter()
        .filter(|o| o.meta().name.starts_with(prefix))
        .collect();
    if matching.is_empty() {
        return Output::err(format!("{err}\n"));
    }
    Output::ok(
        matching
            .iter()
            .map(|o| format!("{}\n", describe(ctx, o)))
            .collect::<String>(),
    )
}

/// What every describer needs.
struct Ctx<'a> {
    sim: &'a Sim,
    show_events: bool,
    /// Events by the UID of their involved object, built on first use: describing
    /// thousands of pods would otherwise scan every event once per pod.
    events_by_uid: std::cell::OnceCell<BTreeMap<&'a str, Vec<&'a Event>>>,
}

impl Ctx<'_> {
    fn now(&self) -> Time {
        self.sim.now
    }
}

fn describe(ctx: &Ctx, o: &Obj) -> String {
    match o {
        Obj::Deployment(d) => deployment(ctx, d),
        Obj::ReplicaSet(rs) => replicaset(ctx, rs),
        Obj::Pod(p) => pod(ctx, p),
        Obj::Node(n) => node(ctx, n),
        Obj::Namespace(n) => namespace(ctx, n),
        Obj::Service(s) => service(ctx, s),
        Obj::Endpoints(e) => endpoints(ctx, e),
        Obj::EndpointSlice(e) => endpoint_slice(ctx, e),
        Obj::Quota(q) => quota(ctx, q),
        Obj::Event(_) => generic(ctx, o),
    }
}

// ---------------------------------------------------------------------------------------
// Shared pieces (describe.go helpers)

/// `printLabelsMultiline`: sorted `k=v`, continuation lines start with a tab.
fn labels_multiline(w: &mut DescribeWriter, level: usize, title: &str, labels: &Labels) {
    w.write(level, &format!("{title}:\t"));
    if labels.is_empty() {
        w.line(level, "<none>");
        return;
    }
    for (i, (k, v)) in labels.iter().enumerate() {
        if i > 0 {
            w.write(level, "\t");
        }
        w.line(level, &format!("{k}={v}"));
    }
}

/// `printAnnotationsMultiline`: the last-applied configuration is never shown; long or
/// multi-line values go on their own lines, shortened to 138 characters.
fn annotations_multiline(
    w: &mut DescribeWriter,
    level: usize,
    title: &str,
    annotations: &BTreeMap<String, String>,
) {
    w.write(level, &format!("{title}:\t"));
    let shown: Vec<(&String, &String)> = annotations
        .iter()
        .filter(|(k, _)| k.as_str() != crate::api::apps::LAST_APPLIED)
        .collect();
    if shown.is_empty() {
        w.line(level, "<none>");
        return;
    }
    for (i, (k, v)) in shown.into_iter().enumerate() {
        if i > 0 {
            w.write(level, "\t");
        }
        let value = v.strip_suffix('\n').unwrap_or(v);
        if value.len() + k.len() + 2 > MAX_ANNOTATION_LEN || value.contains('\n') {
            w.line(level, &format!("{k}:"));
            for s in value.split('\n') {
                w.line(
                    level,
                    &format!("\t  {}", shorten(s, MAX_ANNOTATION_LEN - 2)),
                );
            }
        } else {
            w.line(level, &format!("{k}: {value}"));
        }
    }
}

fn shorten(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_string();
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}...", &s[..end])
}

/// `printPodTolerationsMultiline`: sorted by key, `key[=value][:effect][ op=Exists][ for Ns]`.
fn tolerations_multiline(
    w: &mut DescribeWriter,
    level: usize,
    title: &str,
    tolerations: &[Toleration],
) {
    w.write(level, &format!("{title}:\t"));
    if tolerations.is_empty() {
        w.line(level, "<none>");
        return;
    }
    let mut sorted: Vec<&Toleration> = tolerations.iter().collect();
    crate::order::sort_by(&mut sorted, |a, b| {
        a.key
            .as_deref()
            .unwrap_or("")
            .cmp(b.key.as_deref().unwrap_or(""))
    });
    for (i, t) in sorted.into_iter().enumerate() {
        if i > 0 {
            w.write(level, "\t");
        }
        w.line(level, &toleration_text(t));
    }
}

fn toleration_text(t: &Toleration) -> String {
    let key = t.key.as_deref().unwrap_or("");
    let value = t.value.as_deref().unwrap_or("");
    let effect = t.effect.as_deref().unwrap_or("");
    let mut s = key.to_string();
    if !value.is_empty() {
        s.push_str(&format!("={value}"));
    }
    if !effect.is_empty() {
        s.push_str(&format!(":{effect}"));
    }
    if t.operator.as_deref() == Some("Exists") && value.is_empty() {
        s.push_str(if key.is_empty() && effect.is_empty() {
            "op=Exists"
        } else {
            " op=Exists"
        });
    }
    if let Some(secs) = t.toleration_seconds {
        s.push_str(&format!(" for {secs}s"));
    }
    s
}

/// `DescribeEvents`. A non-empty table is aligned on its own (the writer is flushed first);
/// `Events: <none>` joins the block before it.
fn events_section(ctx: &Ctx, w: &mut DescribeWriter, mut events: Vec<&Event>) {
    if !ctx.show_events {
        return;
    }
    if events.is_empty() {
        w.line(0, "Events:\t<none>");
        return;
    }
    w.flush();
    // `SortableEvents`: ascending lastTimestamp (stable here, so deterministic).
    crate::order::sort_by_key(&mut events, |e| e.last_timestamp);
    w.line(0, "Events:\n  Type\tReason\tAge\tFrom\tMessage");
    w.line(1, "----\t------\t----\t----\t-------");
    let now = ctx.now();
    for e in events {
        let interval = super::printers::event_interval(e, now);
        let from = if e.source.component.is_empty() {
            &e.reporting_component
        } else {
            &e.source.component
        };
        let mut message = e.message.trim().to_string();
        // kubectl ≥ 1.35 names the sub-object (kubectl-formats.md §1c).
        if let Some(fp) = e
            .involved_object
            .field_path
            .as_deref()
            .filter(|f| !f.is_empty())
        {
            message = format!("{fp}: {message}");
        }
        w.line(
            1,
            &format!("{}\t{}\t{interval}\t{from}\t{message}", e.type_, e.reason),
        );
    }
}

/// `searchEvents` by involved object: kind (unless `None`, as for pods), namespace, name
/// and one of `uids`; in list order (namespace, event name).
fn events_for<'a>(
    ctx: &Ctx<'a>,
    kind: Option<&str>,
    meta: &ObjectMeta,
    namespaced: bool,
    uids: &[&str],
) -> Vec<&'a Event> {
    let by_uid = ctx.events_by_uid.get_or_init(|| {
        let mut m: BTreeMap<&str, Vec<&Event>> = BTreeMap::new();
        for e in &ctx.sim.store.events {
            m.entry(e.involved_object.uid.as_str()).or_default().push(e);
        }
        m
    });
    let mut evs: Vec<&Event> = uids
        .iter()
        .flat_map(|u| by_uid.get(u).into_iter().flatten().copied())
        .filter(|e| {
            let o = &e.involved_object;
            kind.is_none_or(|k| o.kind == k)
                && o.name == meta.name
                && uids.contains(&o.uid.as_str())
                && (!namespaced || o.namespace.as_deref().unwrap_or("") == meta.ns())
        })
        .collect();
    crate::order::sort_by(&mut evs, |a, b| {
        (a.metadata.ns(), &a.metadata.name).cmp(&(b.metadata.ns(), &b.metadata.name))
    });
    evs
}

fn object_events<'a>(ctx: &Ctx<'a>, kind: &str, meta: &ObjectMeta) -> Vec<&'a Event> {
    events_for(ctx, Some(kind), meta, true, &[meta.uid()])
}

fn controlled_by(meta: &ObjectMeta) -> Option<String> {
    meta.controller_ref()
        .map(|o| format!("{}/{}", o.kind, o.name))
}

fn value_str<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

fn value_bool(v: &Value, key: &str) -> bool {
    v.get(key).and_then(Value::as_bool).unwrap_or(false)
}

fn seq(v: Option<&Value>) -> &[Value] {
    v.and_then(Value::as_sequence)
        .map(Vec::as_slice)
        .unwrap_or(&[])
}

fn extra_str<'a>(extra: &'a Extra, key: &str) -> Option<&'a str> {
    extra
        .get(key)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
}

/// Go's `%v` of a decoded JSON scalar.
fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::Null => "<nil>".into(),
        other => crate::api::json::to_json_compact(other),
    }
}

// ---------------------------------------------------------------------------------------
// Pod template and containers

/// `DescribePodTemplate`, written at `level` (a nested PrefixWriter's indent).
pub fn pod_template(t: &PodTemplateSpec, w: &mut DescribeWriter, level: usize) {
    w.line(level, "Pod Template:");
    labels_multiline(w, level, "  Labels", &t.metadata.labels);
    if !t.metadata.annotations.is_empty() {
        annotations_multiline(w, level, "  Annotations", &t.metadata.annotations);
    }
    if let Some(sa) = extra_str(&t.spec.extra, "serviceAccountName") {
        w.line(level + 1, &format!("Service Account:\t{sa}"));
    }
    let init = t.spec.init_containers();
    if !init.is_empty() {
        containers(w, level, "Init Containers", &init, &[], None, "  ");
    }
    containers(w, level, "Containers", &t.spec.containers, &[], None, "  ");
    volumes(w, level, &t.spec.extra, "  ");
    if let Some(pc) = extra_str(&t.spec.extra, "priorityClassName") {
        w.line(level + 1, &format!("Priority Class Name:\t{pc}"));
    }
    labels_multiline(w, level, "  Node-Selectors", &t.spec.node_selector);
    tolerations_multiline(w, level, "  Tolerations", &t.spec.tolerations);
}

/// The template as `rollout history --revision=N` prints it: no tabwriter, raw tabs.
pub fn pod_template_raw(t: &PodTemplateSpec) -> String {
    let mut w = DescribeWriter::new();
    pod_template(t, &mut w, 0);
    w.into_raw()
}

/// `describeContainers`; `statuses` and `pod` are given for a pod, empty for a template.
fn containers(
    w: &mut DescribeWriter,
    level: usize,
    label: &str,
    list: &[Container],
    statuses: &[ContainerStatus],
    pod: Option<&Pod>,
    space: &str,
) {
    let none = if list.is_empty() { " <none>" } else { "" };
    w.line(level, &format!("{space}{label}:{none}"));
    for c in list {
        let status = statuses.iter().find(|s| s.name == c.name);
        container_basics(w, level, c, status, space);
        container_command(w, level, c);
        if let Some(s) = status {
            container_state(w, level, s);
        }
        container_resources(w, level, c);
        container_probes(w, level, c);
        container_env_from(w, level, c);
        container_env(w, level, c, pod);
        container_mounts(w, level, c);
    }
}

fn container_basics(
    w: &mut DescribeWriter,
    level: usize,
    c: &Container,
    status: Option<&ContainerStatus>,
    space: &str,
) {
    let indent = if space.is_empty() { "" } else { " " };
    w.line(level + 1, &format!("{indent}{}:", c.name));
    if let Some(s) = status {
        w.line(level + 2, &format!("Container ID:\t{}", s.container_id));
    }
    w.line(level + 2, &format!("Image:\t{}", c.image()));
    if let Some(s) = status {
        w.line(level + 2, &format!("Image ID:\t{}", s.image_id));
    }
    let port_text = |host: bool| -> String {
        let parts: Vec<String> = c.ports.iter().map(|p| port_string(p, host)).collect();
        parts.join(", ")
    };
    let ports = port_text(false);
    if ports.contains(',') {
        w.line(level + 2, &format!("Ports:\t{ports}"));
    } else {
        w.line(level + 2, &format!("Port:\t{}", or_none(&ports)));
    }
    let host_ports = port_text(true);
    if host_ports.contains(',') {
        w.line(level + 2, &format!("Host Ports:\t{host_ports}"));
    } else {
        w.line(level + 2, &format!("Host Port:\t{}", or_none(&host_ports)));
    }
}

fn port_string(p: &ContainerPort, host: bool) -> String {
    let proto = p.protocol.as_deref().unwrap_or("TCP");
    let number = if host {
        p.extra.get("hostPort").and_then(Value::as_i64).unwrap_or(0)
    } else {
        p.container_port
    };
    match p.name.as_deref().filter(|n| !n.is_empty()) {
        Some(name) => format!("{number}/{proto} ({name})"),
        None => format!("{number}/{proto}"),
    }
}

fn or_none(s: &str) -> String {
    if s.is_empty() {
        "<none>".into()
    } else {
        s.to_string()
    }
}

fn container_command(w: &mut DescribeWriter, level: usize, c: &Container) {
    for (key, title) in [("command", "Command:"), ("args", "Args:")] {
        let items = seq(c.extra.get(key));
        if items.is_empty() {
            continue;
        }
        w.line(level + 2, title);
        for item in items {
            for s in scalar(item).split('\n') {
                w.line(level + 3, s);
            }
        }
    }
}

fn container_state(w: &mut DescribeWriter, level: usize, s: &ContainerStatus) {
    state_lines(w, level, "State", &s.state);
    if s.last_state.terminated.is_some() {
        state_lines(w, level, "Last State", &s.last_state);
    }
    w.line(
        level + 2,
        &format!("Ready:\t{}", if s.ready { "True" } else { "False" }),
    );
    w.line(level + 2, &format!("Restart Count:\t{}", s.restart_count));
}

fn state_lines(w: &mut DescribeWriter, level: usize, name: &str, st: &ContainerState) {
    if let Some(r) = &st.running {
        w.line(level + 2, &format!("{name}:\tRunning"));
        w.line(level + 3, &format!("Started:\t{}", rfc1123z(r.started_at)));
    } else if let Some(wt) = &st.waiting {
        w.line(level + 2, &format!("{name}:\tWaiting"));
        if !wt.reason.is_empty() {
            w.line(level + 3, &format!("Reason:\t{}", wt.reason));
        }
    } else if let Some(t) = &st.terminated {
        w.line(level + 2, &format!("{name}:\tTerminated"));
        if !t.reason.is_empty() {
            w.line(level + 3, &format!("Reason:\t{}", t.reason));
        }
        w.line(level + 3, &format!("Exit Code:\t{}", t.exit_code));
        w.line(level + 3, &format!("Started:\t{}", rfc1123z(t.started_at)));
        w.line(
            level + 3,
            &format!("Finished:\t{}", rfc1123z(t.finished_at)),
        );
    } else {
        w.line(level + 2, &format!("{name}:\tWaiting"));
    }
}

fn container_resources(w: &mut DescribeWriter, level: usize, c: &Container) {
    let Some(r) = &c.resources else { return };
    for (title, map) in [("Limits:", &r.limits), ("Requests:", &r.requests)] {
        if map.is_empty() {
            continue;
        }
        w.line(level + 2, title);
        for (name, q) in map {
            w.line(level + 3, &format!("{name}:\t{}", q.canonical()));
        }
    }
}

fn container_probes(w: &mut DescribeWriter, level: usize, c: &Container) {
    let from_extra = |k: &str| {
        c.extra
            .get(k)
            .and_then(|v| crate::api::yaml::from_value::<Probe>(v.clone()).ok())
    };
    let probes = [
        (
            "Liveness",
            from_extra("livenessProbe"),
            c.extra.get("livenessProbe"),
        ),
        ("Readiness", c.readiness_probe.clone(), None),
        (
            "Startup",
            from_extra("startupProbe"),
            c.extra.get("startupProbe"),
        ),
    ];
    for (title, probe, raw) in probes {
        if let Some(p) = probe {
            let grpc = raw
                .and_then(|v| v.get("grpc"))
                .or_else(|| p.extra.get("grpc"));
            w.line(level + 2, &format!("{title}:\t{}", probe_text(&p, grpc)));
        }
    }
}

/// `DescribeProbe`, with the API defaults for unset timings.
fn probe_text(p: &Probe, grpc: Option<&Value>) -> String {
    let attrs = format!(
        "delay={}s timeout={}s period={}s #success={} #failure={}",
        p.initial_delay_seconds.unwrap_or(0),
        p.timeout_seconds.unwrap_or(1),
        p.period_seconds.unwrap_or(10),
        p.success_threshold.unwrap_or(1),
        p.failure_threshold.unwrap_or(3)
    );
    if let Some(e) = &p.exec {
        return format!("exec [{}] {attrs}", e.command.join(" "));
    }
    if let Some(h) = &p.http_get {
        let scheme = h.scheme.as_deref().unwrap_or("HTTP").to_lowercase();
        let host = join_host_port(h.host.as_deref().unwrap_or(""), &h.port.display());
        let path = h.path.as_deref().unwrap_or("");
        let slash = if !path.is_empty() && !path.starts_with('/') {
            "/"
        } else {
            ""
        };
        let prefix = if scheme.is_empty() {
            String::new()
        } else {
            format!("{scheme}:")
        };
        return format!("http-get {prefix}//{host}{slash}{path} {attrs}");
    }
    if let Some(t) = &p.tcp_socket {
        return format!(
            "tcp-socket {}:{} {attrs}",
            t.host.as_deref().unwrap_or(""),
            t.port.display()
        );
    }
    if let Some(g) = grpc {
        let port = g.get("port").map(scalar).unwrap_or_default();
        return format!("grpc <pod>:{port} {} {attrs}", value_str(g, "service"));
    }
    format!("unknown {attrs}")
}

fn container_env_from(w: &mut DescribeWriter, level: usize, c: &Container) {
    let items = seq(c.extra.get("envFrom"));
    if items.is_empty() {
        return;
    }
    w.line(level + 2, "Environment Variables from:");
    for e in items {
        let (from, r) = match (e.get("configMapRef"), e.get("secretRef")) {
            (Some(r), _) => ("ConfigMap", Some(r)),
            (None, Some(r)) => ("Secret", Some(r)),
            _ => ("", None),
        };
        let name = r.map(|r| value_str(r, "name")).unwrap_or("");
        let optional = r.is_some_and(|r| value_bool(r, "optional"));
        let prefix = value_str(e, "prefix");
        if prefix.is_empty() {
            w.line(level + 3, &format!("{name}\t{from}\tOptional: {optional}"));
        } else {
            w.line(
                level + 3,
                &format!("{name}\t{from} with prefix '{prefix}'\tOptional: {optional}"),
            );
        }
    }
}

fn container_env(w: &mut DescribeWriter, level: usize, c: &Container, pod: Option<&Pod>) {
    let env = seq(c.extra.get("env"));
    w.line(
        level + 2,
        if env.is_empty() {
            "Environment:\t<none>"
        } else {
            "Environment:"
        },
    );
    for e in env {
        let name = value_str(e, "name");
        let Some(from) = e.get("valueFrom") else {
            let value = e.get("value").map(scalar).unwrap_or_default();
            for (i, s) in value.split('\n').enumerate() {
                let text = if i == 0 {
                    format!("{name}:\t{s}")
                } else {
                    format!("\t{s}")
                };
                w.line(level + 3, &text);
            }
            continue;
        };
        if let Some(text) = env_from_text(name, from, c, pod) {
            w.line(level + 3, &text);
        }
    }
}

fn env_from_text(name: &str, from: &Value, c: &Container, pod: Option<&Pod>) -> Option<String> {
    if let Some(f) = from.get("fieldRef") {
        let api = match value_str(f, "apiVersion") {
            "" => "v1",
            v => v,
        };
        let path = value_str(f, "fieldPath");
        let value = pod.map(|p| pod_field(p, path)).unwrap_or_default();
        return Some(format!("{name}:\t{value} ({api}:{path})"));
    }
    if let Some(r) = from.get("resourceFieldRef") {
        let resource = value_str(r, "resource");
        return Some(format!(
            "{name}:\t{} ({resource})",
            resource_value(c, resource)
        ));
    }
    let keyed = |r: &Value, what: &str| {
        let optional = value_bool(r, "optional");
        format!(
            "{name}:\t<set to the key '{}' {what} '{}'>\tOptional: {optional}",
            value_str(r, "key"),
            value_str(r, "name")
        )
    };
    if let Some(r) = from.get("secretKeyRef") {
        return Some(keyed(r, "in secret"));
    }
    from.get("configMapKeyRef")
        .map(|r| keyed(r, "of config map"))
}

/// `fieldpath.ExtractFieldPathAsString` for the paths a downward-API env var can use.
fn pod_field(p: &Pod, path: &str) -> String {
    let bracket = |prefix: &str, map: &BTreeMap<String, String>| -> Option<String> {
        let k = path.strip_prefix(prefix)?.strip_suffix("']")?;
        Some(map.get(k).cloned().unwrap_or_default())
    };
    if let Some(v) = bracket("metadata.labels['", &p.metadata.labels) {
        return v;
    }
    if let Some(v) = bracket("metadata.annotations['", &p.metadata.annotations) {
        return v;
    }
    match path {
        "metadata.name" => p.metadata.name.clone(),
        "metadata.namespace" => p.metadata.ns().to_string(),
        "metadata.uid" => p.metadata.uid().to_string(),
        "spec.nodeName" => p.spec.node_name.clone().unwrap_or_default(),
        "spec.serviceAccountName" => extra_str(&p.spec.extra, "serviceAccountName")
            .unwrap_or("")
            .to_string(),
        "status.podIP" | "status.podIPs" => p.status.pod_ip.clone().unwrap_or_default(),
        "status.hostIP" | "status.hostIPs" => p.status.host_ip.clone().unwrap_or_default(),
        _ => String::new(),
    }
}

/// `ExtractContainerResourceValue` with the default divisor: cpu in whole cores rounded
/// up, other resources in units; an unset limit reads as node allocatable.
fn resource_value(c: &Container, resource: &str) -> String {
    let (section, name) = resource.split_once('.').unwrap_or(("", resource));
    let res = c.resources.as_ref();
    let q = match section {
        "limits" => res.and_then(|r| r.limits.get(name)),
        "requests" => res.and_then(|r| r.requests.get(name)),
        _ => None,
    };
    let milli = q.and_then(Quantity::milli).unwrap_or(0);
    if milli == 0 && section == "limits" && (name == "cpu" || name == "memory") {
        return "node allocatable".into();
    }
    (milli + 999).div_euclid(1000).to_string()
}

fn container_mounts(w: &mut DescribeWriter, level: usize, c: &Container) {
    let mut mounts: Vec<&Value> = seq(c.extra.get("volumeMounts")).iter().collect();
    w.line(
        level + 2,
        if mounts.is_empty() {
            "Mounts:\t<none>"
        } else {
            "Mounts:"
        },
    );
    crate::order::sort_by(&mut mounts, |a, b| {
        value_str(a, "mountPath").cmp(value_str(b, "mountPath"))
    });
    for m in mounts {
        let mut flags = vec![if value_bool(m, "readOnly") {
            "ro".to_string()
        } else {
            "rw".to_string()
        }];
        let sub = value_str(m, "subPath");
        if !sub.is_empty() {
            flags.push(format!("path={sub:?}"));
        }
        w.line(
            level + 3,
            &format!(
                "{} from {} ({})",
                value_str(m, "mountPath"),
                value_str(m, "name"),
                flags.join(",")
            ),
        );
    }
}

/// `describeVolumes` for the volume sources a simulated pod can carry.
fn volumes(w: &mut DescribeWriter, level: usize, extra: &Extra, space: &str) {
    let vols = seq(extra.get("volumes"));
    if vols.is_empty() {
        w.line(level, &format!("{space}Volumes:\t<none>"));
        return;
    }
    w.line(level, &format!("{space}Volumes:"));
    let indent = if space.is_empty() { "" } else { " " };
    for v in vols {
        w.line(level + 1, &format!("{indent}{}:", value_str(v, "name")));
        w.line(
            level + 2,
            &volume_source(v).unwrap_or_else(|| "<unknown>".into()),
        );
    }
}

fn volume_source(v: &Value) -> Option<String> {
    if let Some(e) = v.get("emptyDir") {
        let limit = e
            .get("sizeLimit")
            .map(scalar)
            .filter(|s| !s.is_empty() && s != "0")
            .unwrap_or("<unset>".into());
        return Some(format!(
            "Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n    Medium:\t{}\n    SizeLimit:\t{limit}",
            value_str(e, "medium")
        ));
    }
    if let Some(c) = v.get("configMap") {
        return Some(format!(
            "Type:\tConfigMap (a volume populated by a ConfigMap)\n    Name:\t{}\n    Optional:\t{}",
            value_str(c, "name"),
            value_bool(c, "optional")
        ));
    }
    if let Some(s) = v.get("secret") {
        return Some(format!(
            "Type:\tSecret (a volume populated by a Secret)\n    SecretName:\t{}\n    Optional:\t{}",
            value_str(s, "secretName"),
            value_bool(s, "optional")
        ));
    }
    if let Some(h) = v.get("hostPath") {
        let t = match value_str(h, "type") {
            "" => "<none>",
            t => t,
        };
        return Some(format!(
            "Type:\tHostPath (bare host directory volume)\n    Path:\t{}\n    HostPathType:\t{t}",
            value_str(h, "path")
        ));
    }
    if let Some(p) = v.get("projected") {
        let mut text =
            "Type:\tProjected (a volume that contains injected data from multiple sources)"
                .to_string();
        for source in seq(p.get("sources")) {
            let part = if let Some(s) = source.get("secret") {
                format!(
                    "SecretName:\t{}\n    Optional:\t{}",
                    value_str(s, "name"),
                    value_bool(s, "optional")
                )
            } else if source.get("downwardAPI").is_some() {
                "DownwardAPI:\ttrue".to_string()
            } else if let Some(c) = source.get("configMap") {
                format!(
                    "ConfigMapName:\t{}\n    Optional:\t{}",
                    value_str(c, "name"),
                    value_bool(c, "optional")
                )
            } else if let Some(t) = source.get("serviceAccountToken") {
                format!(
                    "TokenExpirationSeconds:\t{}",
                    t.get("expirationSeconds").map(scalar).unwrap_or_default()
                )
            } else {
                continue;
            };
            text.push_str("\n    ");
            text.push_str(&part);
        }
        return Some(text);
    }
    let c = v.get("persistentVolumeClaim")?;
    Some(format!(
        "Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n    ClaimName:\t{}\n    ReadOnly:\t{}",
        value_str(c, "claimName"),
        value_bool(c, "readOnly")
    ))
}

// ---------------------------------------------------------------------------------------
// Deployment and ReplicaSet

/// `describeDeployment` (k8s-semantics.md §7.3).
fn deployment(ctx: &Ctx, d: &Deployment) -> String {
    let mut w = DescribeWriter::new();
    let m = &d.metadata;
    w.line(0, &format!("Name:\t{}", m.name));
    w.line(0, &format!("Namespace:\t{}", m.ns()));
    w.line(0, &format!("CreationTimestamp:\t{}", rfc1123z(m.created())));
    labels_multiline(&mut w, 0, "Labels", &m.labels);
    annotations_multiline(&mut w, 0, "Annotations", &m.annotations);
    w.line(0, &format!("Selector:\t{}", selector_string(&d.selector())));
    let st = &d.status;
    w.line(
        0,
        &format!(
            "Replicas:\t{} desired | {} updated | {} total | {} available | {} unavailable",
            d.replicas(),
            st.updated_replicas,
            st.replicas,
            st.available_replicas,
            st.unavailable_replicas
        ),
    );
    w.line(0, &format!("StrategyType:\t{}", d.strategy_type()));
    w.line(0, &format!("MinReadySeconds:\t{}", d.min_ready_seconds()));
    if let Some(ru) = d
        .spec
        .strategy
        .as_ref()
        .and_then(|s| s.rolling_update.as_ref())
    {
        let text = |v: &Option<IntOrString>| {
            v.as_ref()
                .map(IntOrString::display)
                .unwrap_or_else(|| "0".into())
        };
        w.line(
            0,
            &format!(
                "RollingUpdateStrategy:\t{} max unavailable, {} max surge",
                text(&ru.max_unavailable),
                text(&ru.max_surge)
            ),
        );
    }
    pod_template(&d.spec.template, &mut w, 0);
    if !st.conditions.is_empty() {
        w.line(0, "Conditions:\n  Type\tStatus\tReason");
        w.line(1, "----\t------\t------");
        for c in &st.conditions {
            w.line(1, &format!("{} \t{}\t{}", c.type_, c.status, c.reason));
        }
    }
    let (old, new) = replica_sets(ctx.sim, d);
    if !old.is_empty() || new.is_some() {
        w.line(0, &format!("OldReplicaSets:\t{}", rs_list(&old)));
        w.line(
            0,
            &format!(
                "NewReplicaSet:\t{}",
                rs_list(&new.into_iter().collect::<Vec<_>>())
            ),
        );
    }
    events_section(ctx, &mut w, object_events(ctx, "Deployment", m));
    w.finish()
}

/// The Deployment's ReplicaSets (controller ref): the new one (template equal ignoring the
/// hash, oldest first) and every other one, in list order, drained ones included.
fn replica_sets<'a>(
    sim: &'a Sim,
    d: &'a Deployment,
) -> (Vec<&'a ReplicaSet>, Option<&'a ReplicaSet>) {
    let owned: Vec<&ReplicaSet> = sim
        .store
        .replicasets_owned_by(d.metadata.ns(), d.metadata.uid())
        .collect();
    let new = find_new_replica_set(d, &owned);
    let old = owned
        .into_iter()
        .filter(|rs| new.is_none_or(|n| n.metadata.uid != rs.metadata.uid))
        .collect();
    (old, new)
}

/// `printReplicaSetsByLabels`.
fn rs_list(rss: &[&ReplicaSet]) -> String {
    let parts: Vec<String> = rss
        .iter()
        .map(|rs| {
            format!(
                "{} ({}/{} replicas created)",
                rs.metadata.name, rs.status.replicas, rs.spec.replicas
            )
        })
        .collect();
    if parts.is_empty() {
        "<none>".into()
    } else {
        parts.join(", ")
    }
}

/// `describeReplicaSet`.
fn replicaset(ctx: &Ctx, rs: &ReplicaSet) -> String {
    let mut w = DescribeWriter::new();
    let m = &rs.metadata;
    w.line(0, &format!("Name:\t{}", m.name));
    w.line(0, &format!("Namespace:\t{}", m.ns()));
    w.line(
        0,
        &format!("Selector:\t{}", format_label_selector(&rs.spec.selector)),
    );
    labels_multiline(&mut w, 0, "Labels", &m.labels);
    annotations_multiline(&mut w, 0, "Annotations", &m.annotations);
    if let Some(c) = controlled_by(m) {
        w.line(0, &format!("Controlled By:\t{c}"));
    }
    w.line(
        0,
        &format!(
            "Replicas:\t{} current / {} desired",
            rs.status.replicas, rs.spec.replicas
        ),
    );
    let (running, waiting, succeeded, failed) = pod_phases(ctx.sim, m, &rs.spec.selector);
    w.line(0, &format!("Pods Status:\t{running} Running / {waiting} Waiting / {succeeded} Succeeded / {failed} Failed"));
    pod_template(&rs.spec.template, &mut w, 0);
    if !rs.status.conditions.is_empty() {
        w.line(0, "Conditions:\n  Type\tStatus\tReason");
        w.line(1, "----\t------\t------");
        for c in &rs.status.conditions {
            w.line(1, &format!("{} \t{}\t{}", c.type_, c.status, c.reason));
        }
    }
    events_section(ctx, &mut w, object_events(ctx, "ReplicaSet", m));
    w.finish()
}

/// `getPodStatusForController`: pods matching the selector and controlled by this object,
/// counted by phase (Pending counts as Waiting).
fn pod_phases(
    sim: &Sim,
    owner: &ObjectMeta,
    selector: &LabelSelector,
) -> (usize, usize, usize, usize) {
    let mut counts = (0, 0, 0, 0);
    for p in sim.store.pods_in(owner.ns()) {
        let owned = p
            .metadata
            .controller_ref()
            .is_some_and(|o| o.uid == owner.uid());
        if !owned || !selector.matches(&p.metadata.labels) {
            continue;
        }
        match p.status.phase.as_str() {
            "Running" => counts.0 += 1,
            "Pending" => counts.1 += 1,
            "Succeeded" => counts.2 += 1,
            "Failed" => counts.3 += 1,
            _ => {}
        }
    }
    counts
}

// ---------------------------------------------------------------------------------------
// Pod

/// `describePod`.
fn pod(ctx: &Ctx, p: &Pod) -> String {
    let p = &crate::api::service_account::served(p);
    let mut w = DescribeWriter::new();
    pod_header(ctx, &mut w, p);
    let init = p.spec.init_containers();
    if !init.is_empty() {
        containers(
            &mut w,
            0,
            "Init Containers",
            &init,
            &p.status.init_container_statuses,
            Some(p),
            "",
        );
    }
    containers(
        &mut w,
        0,
        "Containers",
        &p.spec.containers,
        &p.status.container_statuses,
        Some(p),
        "",
    );
    if !p.status.conditions.is_empty() {
        w.line(0, "Conditions:\n  Type\tStatus");
        for c in &p.status.conditions {
            w.line(1, &format!("{} \t{} ", c.type_, c.status));
        }
    }
    volumes(&mut w, 0, &p.spec.extra, "");
    w.line(
        0,
        &format!(
            "QoS Class:\t{}",
            p.status.qos_class.as_deref().unwrap_or("BestEffort")
        ),
    );
    labels_multiline(&mut w, 0, "Node-Selectors", &p.spec.node_selector);
    tolerations_multiline(&mut w, 0, "Tolerations", &p.spec.tolerations);
    let m = &p.metadata;
    events_section(ctx, &mut w, events_for(ctx, None, m, true, &[m.uid()]));
    w.finish()
}

fn pod_header(ctx: &Ctx, w: &mut DescribeWriter, p: &Pod) {
    let m = &p.metadata;
    w.line(0, &format!("Name:\t{}", m.name));
    w.line(0, &format!("Namespace:\t{}", m.ns()));
    if let Some(prio) = p.spec.extra.get("priority") {
        w.line(0, &format!("Priority:\t{}", scalar(prio)));
    }
    for (key, title) in [
        ("priorityClassName", "Priority Class Name"),
        ("runtimeClassName", "Runtime Class Name"),
        ("serviceAccountName", "Service Account"),
    ] {
        if let Some(v) = extra_str(&p.spec.extra, key) {
            w.line(0, &format!("{title}:\t{v}"));
        }
    }
    match p.spec.node_name.as_deref().filter(|n| !n.is_empty()) {
        Some(n) => w.line(
            0,
            &format!("Node:\t{n}/{}", p.status.host_ip.as_deref().unwrap_or("")),
        ),
        None => w.line(0, "Node:\t<none>"),
    }
    if let Some(t) = p.status.start_time {
        w.line(0, &format!("Start Time:\t{}", rfc1123z(t)));
    }
    labels_multiline(w, 0, "Labels", &m.labels);
    annotations_multiline(w, 0, "Annotations", &m.annotations);
    let terminal = p.status.phase == "Succeeded" || p.status.phase == "Failed";
    match m.deletion_timestamp {
        Some(t) if !terminal => {
            w.line(
                0,
                &format!("Status:\tTerminating (lasts {})", age(ctx.now(), Some(t))),
            );
            let grace = m
                .deletion_grace_period_seconds
                .or(p.spec.termination_grace_period_seconds)
                .unwrap_or(0);
            w.line(0, &format!("Termination Grace Period:\t{grace}s"));
        }
        _ => w.line(0, &format!("Status:\t{}", p.status.phase)),
    }
    if let Some(r) = p.status.reason.as_deref().filter(|r| !r.is_empty()) {
        w.line(0, &format!("Reason:\t{r}"));
    }
    if let Some(msg) = p.status.message.as_deref().filter(|r| !r.is_empty()) {
        w.line(0, &format!("Message:\t{msg}"));
    }
    w.line(
        0,
        &format!("IP:\t{}", p.status.pod_ip.as_deref().unwrap_or("")),
    );
    // status.podIPs mirrors podIP for a single-stack cluster.
    match p.status.pod_ip.as_deref().filter(|ip| !ip.is_empty()) {
        Some(ip) => {
            w.line(0, "IPs:");
            w.line(1, &format!("IP:\t{ip}"));
        }
        None => w.line(0, "IPs:\t<none>"),
    }
    if let Some(c) = controlled_by(m) {
        w.line(0, &format!("Controlled By:\t{c}"));
    }
}

// ---------------------------------------------------------------------------------------
// Node

/// `describeNode`.
fn node(ctx: &Ctx, n: &Node) -> String {
    let mut w = DescribeWriter::new();
    let m = &n.metadata;
    w.line(0, &format!("Name:\t{}", m.name));
    let roles = node_role_list(n);
    w.line(
        0,
        &format!(
            "Roles:\t{}",
            if roles.is_empty() {
                "<none>".into()
            } else {
                roles.join(",")
            }
        ),
    );
    labels_multiline(&mut w, 0, "Labels", &m.labels);
    annotations_multiline(&mut w, 0, "Annotations", &m.annotations);
    w.line(0, &format!("CreationTimestamp:\t{}", rfc1123z(m.created())));
    node_taints(&mut w, n);
    w.line(0, &format!("Unschedulable:\t{}", n.spec.unschedulable));
    node_lease(ctx, &mut w, n);
    if !n.status.conditions.is_empty() {
        w.line(
            0,
            "Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage",
        );
        w.line(
            1,
            "----\t------\t-----------------\t------------------\t------\t-------",
        );
        for c in &n.status.conditions {
            w.line(
                1,
                &format!(
                    "{} \t{} \t{} \t{} \t{} \t{}",
                    c.type_,
                    c.status,
                    rfc1123z(c.last_heartbeat_time),
                    rfc1123z(c.last_transition_time),
                    c.reason,
                    c.message
                ),
            );
        }
    }
    w.line(0, "Addresses:");
    for a in &n.status.addresses {
        w.line(1, &format!("{}:\t{}", a.type_, a.address));
    }
    for (title, list) in [
        ("Capacity:", &n.status.capacity),
        ("Allocatable:", &n.status.allocatable),
    ] {
        if !list.is_empty() {
            w.line(0, title);
            for (res, q) in list {
                w.line(0, &format!("  {res}:\t{}", q.canonical()));
            }
        }
    }
    node_system_info(&mut w, n);
    node_pods(ctx, &mut w, n);
    let uids = [m.uid(), m.name.as_str()];
    events_section(ctx, &mut w, events_for(ctx, Some("Node"), m, false, &uids));
    w.finish()
}

fn node_taints(w: &mut DescribeWriter, n: &Node) {
    w.write(0, "Taints:\t");
    if n.spec.taints.is_empty() {
        w.line(0, "<none>");
        return;
    }
    let mut taints: Vec<_> = n.spec.taints.iter().collect();
    crate::order::sort_by_key(&mut taints, |t| format!("{},{}", t.effect, t.key));
    for (i, t) in taints.into_iter().enumerate() {
        if i > 0 {
            w.write(0, "\t");
        }
        let text = match t.value.as_deref().filter(|v| !v.is_empty()) {
            Some(v) => format!("{}={v}:{}", t.key, t.effect),
            None => format!("{}:{}", t.key, t.effect),
        };
        w.line(0, &text);
    }
}

/// The kubelet's lease in kube-node-lease, renewed every 10 s while the kubelet runs
/// (controllers/node_lifecycle.rs does the same arithmetic).
fn node_lease(ctx: &Ctx, w: &mut DescribeWriter, n: &Node) {
    const RENEW_MS: u64 = 10_000;
    let runtime = ctx.sim.kubelet.nodes.get(&n.metadata.name);
    let last = match runtime {
        Some(rt) if !rt.up => rt.down_since.unwrap_or(ctx.now()),
        _ => ctx.now(),
    };
    let created = n.metadata.created();
    let renew = Time(last.0.saturating_sub(created.0) / RENEW_MS * RENEW_MS + created.0);
    w.line(0, "Lease:");
    w.line(1, &format!("HolderIdentity:\t{}", n.metadata.name));
    w.line(1, "AcquireTime:\t<unset>");
    w.line(1, &format!("RenewTime:\t{}", rfc1123z(renew)));
}

fn node_system_info(w: &mut DescribeWriter, n: &Node) {
    let i = &n.status.node_info;
    w.line(0, "System Info:");
    for (title, value) in [
        ("Machine ID", ""),
        ("System UUID", ""),
        ("Boot ID", ""),
        ("Kernel Version", i.kernel_version.as_str()),
        ("OS Image", i.os_image.as_str()),
        ("Operating System", i.operating_system.as_str()),
        ("Architecture", i.architecture.as_str()),
        (
            "Container Runtime Version",
            i.container_runtime_version.as_str(),
        ),
        ("Kubelet Version", i.kubelet_version.as_str()),
    ] {
        w.line(0, &format!("  {title}:\t{value}"));
    }
    if let Some(cidr) = n.spec.pod_cidr.as_deref().filter(|c| !c.is_empty()) {
        w.line(0, &format!("PodCIDR:\t{cidr}"));
        // The node IPAM controller sets podCIDRs together with podCIDR.
        w.line(0, &format!("PodCIDRs:\t{cidr}"));
    }
}

/// Requests or limits of one resource summed over a pod's containers, with the format of
/// the first quantity found.
fn pod_resource(p: &Pod, limits: bool, name: &str) -> (i128, Option<bool>) {
    let mut total: i128 = 0;
    let mut binary = None;
    for c in &p.spec.containers {
        let Some(r) = &c.resources else { continue };
        let q = if limits {
            r.limits.get(name)
        } else {
            r.requests.get(name)
        };
        if let Some(q) = q {
            total = total.saturating_add(q.milli().unwrap_or(0));
            binary.get_or_insert(is_binary(q));
        }
    }
    (total, binary)
}

fn percent(value: i128, of: i128) -> i64 {
    if of == 0 {
        return 0;
    }
    (value as f64 / of as f64 * 100.0) as i64
}

/// `describeNodeResource`: non-terminated pods and the allocated totals.
fn node_pods(ctx: &Ctx, w: &mut DescribeWriter, n: &Node) {
    let pods: Vec<&Pod> = ctx
        .sim
        .store
        .pods
        .values()
        .filter(|p| p.spec.node_name.as_deref() == Some(n.metadata.name.as_str()))
        .filter(|p| p.status.phase != "Succeeded" && p.status.phase != "Failed")
        .collect();
    let alloc = if n.status.allocatable.is_empty() {
        &n.status.capacity
    } else {
        &n.status.allocatable
    };
    let alloc_of = |r: &str| alloc.get(r).and_then(Quantity::milli).unwrap_or(0);
    w.line(
        0,
        &format!("Non-terminated Pods:\t({} in total)", pods.len()),
    );
    w.line(
        1,
        "Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge",
    );
    w.line(
        1,
        "---------\t----\t\t------------\t----------\t---------------\t-------------\t---",
    );
    let cell = |(v, binary): (i128, Option<bool>), r: &str| {
        format!(
            "{} ({}%)",
            format_quantity(v, binary.unwrap_or(false)),
            percent(v, alloc_of(r))
        )
    };
    for p in &pods {
        w.line(
            1,
            &format!(
                "{}\t{}\t\t{}\t{}\t{}\t{}\t{}",
                p.metadata.ns(),
                p.metadata.name,
                cell(pod_resource(p, false, "cpu"), "cpu"),
                cell(pod_resource(p, true, "cpu"), "cpu"),
                cell(pod_resource(p, false, "memory"), "memory"),
                cell(pod_resource(p, true, "memory"), "memory"),
                age(ctx.now(), p.metadata.creation_timestamp)
            ),
        );
    }
    w.line(
        0,
        "Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)",
    );
    w.line(1, "Resource\tRequests\tLimits");
    w.line(1, "--------\t--------\t------");
    let total = |limits: bool, r: &str| {
        pods.iter()
            .map(|p| pod_resource(p, limits, r))
            .fold((0i128, None), |(t, b), (v, pb)| {
                (t.saturating_add(v), b.or(pb))
            })
    };
    let mut names: Vec<String> = vec!["cpu".into(), "memory".into(), "ephemeral-storage".into()];
    names.extend(
        alloc
            .keys()
            .filter(|k| k.starts_with("hugepages-"))
            .cloned(),
    );
    for r in names {
        w.line(
            1,
            &format!(
                "{r}\t{}\t{}",
                cell(total(false, &r), &r),
                cell(total(true, &r), &r)
            ),
        );
    }
}

// ---------------------------------------------------------------------------------------
// Namespace, Service, ResourceQuota, generic

/// `describeNamespace` with its quota and limit-range summaries.
fn namespace(ctx: &Ctx, n: &Namespace) -> String {
    let mut w = DescribeWriter::new();
    let m = &n.metadata;
    w.line(0, &format!("Name:\t{}", m.name));
    labels_multiline(&mut w, 0, "Labels", &m.labels);
    annotations_multiline(&mut w, 0, "Annotations", &m.annotations);
    w.line(0, &format!("Status:\t{}", n.status.phase));
    w.line(0, "");
    let quotas: Vec<&ResourceQuota> = ctx
        .sim
        .store
        .quotas
        .iter()
        .filter(|(k, _)| k.0 == m.name)
        .map(|(_, q)| q)
        .collect();
    if quotas.is_empty() {
        w.line(0, "No resource quota.");
    } else {
        w.line(0, "Resource Quotas");
        for q in quotas {
            w.line(1, &format!("Name:\t{}", q.metadata.name));
            w.line(1, "Resource\tUsed\tHard");
            w.line(1, "--------\t---\t---");
            for (res, used, hard) in quota_rows(ctx, q) {
                w.line(1, &format!("{res}\t{used}\t{hard}"));
            }
        }
    }
    w.line(0, "");
    w.line(0, "No LimitRange resource.");
    w.finish()
}

/// Each hard limit with what is used, the used amount in the hard limit's format.
fn quota_rows(ctx: &Ctx, q: &ResourceQuota) -> Vec<(String, String, String)> {
    q.spec
        .hard
        .iter()
        .map(|(res, hard)| {
            let used = format_quantity(quota_used(ctx.sim, q, res), is_binary(hard));
            (res.clone(), used, hard.canonical())
        })
        .collect()
}

/// `describeQuota`.
fn quota(ctx: &Ctx, q: &ResourceQuota) -> String {
    let mut w = DescribeWriter::new();
    w.line(0, &format!("Name:\t{}", q.metadata.name));
    w.line(0, &format!("Namespace:\t{}", q.metadata.ns()));
    w.line(0, "Resource\tUsed\tHard");
    w.line(0, "--------\t----\t----");
    for (res, used, hard) in quota_rows(ctx, q) {
        w.line(0, &format!("{res}\t{used}\t{hard}"));
    }
    w.finish()
}

/// `describeService`; the Endpoints lines come from the Service's EndpointSlices.
fn service(ctx: &Ctx, s: &Service) -> String {
    let mut w = DescribeWriter::new();
    let m = &s.metadata;
    let spec = &s.spec;
    name_namespace_labels_annotations(&mut w, m);
    w.line(0, &format!("Selector:\t{}", format_labels(&spec.selector)));
    w.line(
        0,
        &format!("Type:\t{}", spec.type_.as_deref().unwrap_or("ClusterIP")),
    );
    if let Some(p) = extra_str(&spec.extra, "ipFamilyPolicy") {
        w.line(0, &format!("IP Family Policy:\t{p}"));
    }
    let families = string_list(spec.extra.get("ipFamilies"));
    w.line(
        0,
        &format!("IP Families:\t{}", or_none(&families.join(","))),
    );
    w.line(
        0,
        &format!("IP:\t{}", spec.cluster_ip.as_deref().unwrap_or("")),
    );
    let ips = string_list(spec.extra.get("clusterIPs"));
    w.line(0, &format!("IPs:\t{}", or_none(&ips.join(","))));
    let external = string_list(spec.extra.get("externalIPs"));
    if !external.is_empty() {
        w.line(0, &format!("External IPs:\t{}", external.join(",")));
    }
    if let Some(ip) = extra_str(&spec.extra, "loadBalancerIP") {
        w.line(0, &format!("Desired LoadBalancer IP:\t{ip}"));
    }
    if let Some(name) = extra_str(&spec.extra, "externalName") {
        w.line(0, &format!("External Name:\t{name}"));
    }
    let slices: Vec<&EndpointSlice> = ctx.sim.store.slices_of_service(m.ns(), &m.name).collect();
    for sp in &spec.ports {
        let port_name = sp.name.as_deref().unwrap_or("");
        let name = if port_name.is_empty() {
            "<unset>"
        } else {
            port_name
        };
        let proto = sp.protocol.as_deref().unwrap_or("TCP");
        w.line(0, &format!("Port:\t{name}\t{}/{proto}", sp.port));
        let target = sp.target_port.clone().unwrap_or(IntOrString::Int(sp.port));
        w.line(0, &format!("TargetPort:\t{}/{proto}", target.display()));
        if let Some(np) = sp.node_port.filter(|n| *n > 0) {
            w.line(0, &format!("NodePort:\t{name}\t{np}/{proto}"));
        }
        w.line(
            0,
            &format!("Endpoints:\t{}", format_endpoint_slices(&slices, port_name)),
        );
    }
    w.line(
        0,
        &format!(
            "Session Affinity:\t{}",
            spec.session_affinity.as_deref().unwrap_or("None")
        ),
    );
    for (key, title) in [
        ("externalTrafficPolicy", "External Traffic Policy"),
        ("internalTrafficPolicy", "Internal Traffic Policy"),
        ("trafficDistribution", "Traffic Distribution"),
    ] {
        if let Some(v) = extra_str(&spec.extra, key) {
            w.line(0, &format!("{title}:\t{v}"));
        }
    }
    events_section(ctx, &mut w, object_events(ctx, "Service", m));
    w.finish()
}

fn string_list(v: Option<&Value>) -> Vec<String> {
    seq(v)
        .iter()
        .filter_map(|x| x.as_str().map(str::to_string))
        .collect()
}

/// `formatEndpointSlices` for one Service port: the ready endpoints as `ip:port`, three at
/// most and then `+ N more...`; `<none>` when the Service has no slice at all.
fn format_endpoint_slices(slices: &[&EndpointSlice], port_name: &str) -> String {
    const MAX: usize = 3;
    if slices.is_empty() {
        return "<none>".into();
    }
    let mut list: Vec<String> = Vec::new();
    let mut more = false;
    let mut count = 0;
    let mut add = |addr: String, ready: bool, list: &mut Vec<String>| {
        // Upstream marks "more" on reaching the limit before skipping a not-ready endpoint,
        // so a full list followed only by not-ready endpoints ends in "+ 0 more...".
        if list.len() == MAX {
            more = true;
        }
        if !ready {
            return;
        }
        if !more {
            list.push(addr);
        }
        count += 1;
    };
    for slice in slices {
        let first = |ep: &Endpoint| ep.addresses.first().cloned().unwrap_or_default();
        if slice.ports.is_empty() {
            // Headless services may have no ports.
            for ep in &slice.endpoints {
                add(first(ep), ep.is_ready(), &mut list);
            }
            continue;
        }
        for port in &slice.ports {
            if port.name.as_deref().unwrap_or("") != port_name {
                continue;
            }
            let number = port.port.unwrap_or(0).to_string();
            for ep in &slice.endpoints {
                add(
                    join_host_port(&first(ep), &number),
                    ep.is_ready(),
                    &mut list,
                );
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

/// The opening lines most describers share: Name, Namespace, Labels, Annotations.
fn name_namespace_labels_annotations(w: &mut DescribeWriter, m: &ObjectMeta) {
    w.line(0, &format!("Name:\t{}", m.name));
    w.line(0, &format!("Namespace:\t{}", m.ns()));
    labels_multiline(w, 0, "Labels", &m.labels);
    annotations_multiline(w, 0, "Annotations", &m.annotations);
}

/// `describeEndpoints`: each subset's ready and not-ready addresses and its ports.
fn endpoints(ctx: &Ctx, e: &Endpoints) -> String {
    let mut w = DescribeWriter::new();
    let m = &e.metadata;
    name_namespace_labels_annotations(&mut w, m);
    w.line(0, "Subsets:");
    let ips = |a: &[EndpointAddress]| {
        or_none(
            &a.iter()
                .map(|x| x.ip.as_str())
                .collect::<Vec<_>>()
                .join(","),
        )
    };
    for ss in &e.subsets {
        w.line(1, &format!("Addresses:\t{}", ips(&ss.addresses)));
        w.line(
            1,
            &format!("NotReadyAddresses:\t{}", ips(&ss.not_ready_addresses)),
        );
        if !ss.ports.is_empty() {
            w.line(1, "Ports:");
            w.line(2, "Name\tPort\tProtocol");
            w.line(2, "----\t----\t--------");
            for p in &ss.ports {
                let name = if p.name.is_empty() {
                    "<unset>"
                } else {
                    &p.name
                };
                w.line(2, &format!("{name}\t{}\t{}", p.port, p.protocol));
            }
        }
        w.line(0, "");
    }
    events_section(ctx, &mut w, object_events(ctx, "Endpoints", m));
    w.finish()
}

/// `describeEndpointSliceV1`: ports, then each endpoint with its Ready condition.
fn endpoint_slice(ctx: &Ctx, e: &EndpointSlice) -> String {
    let mut w = DescribeWriter::new();
    let m = &e.metadata;
    name_namespace_labels_annotations(&mut w, m);
    w.line(0, &format!("AddressType:\t{}", e.address_type));
    if e.ports.is_empty() {
        w.line(0, "Ports: <unset>");
    } else {
        w.line(0, "Ports:");
        w.line(1, "Name\tPort\tProtocol");
        w.line(1, "----\t----\t--------");
        for p in &e.ports {
            let name = p
                .name
                .as_deref()
                .filter(|n| !n.is_empty())
                .unwrap_or("<unset>");
            let port = p.port.map_or("<unset>".into(), |n| n.to_string());
            let proto = p.protocol.as_deref().unwrap_or("");
            w.line(1, &format!("{name}\t{port}\t{proto}"));
        }
    }
    if e.endpoints.is_empty() {
        w.line(0, "Endpoints: <none>");
    } else {
        w.line(0, "Endpoints:");
        for ep in &e.endpoints {
            w.line(
                1,
                &format!("- Addresses:\t{}", or_none(&ep.addresses.join(", "))),
            );
            w.line(2, "Conditions:");
            let ready = ep
                .conditions
                .ready
                .map_or("<unset>".into(), |r| r.to_string());
            w.line(3, &format!("Ready:\t{ready}"));
            w.line(2, "Hostname:\t<unset>");
            if let Some(r) = &ep.target_ref {
                w.line(2, &format!("TargetRef:\t{}/{}", r.kind, r.name));
            }
            let node = ep.node_name.as_deref().unwrap_or("<unset>");
            w.line(2, &format!("NodeName:\t{node}"));
            let zone = ep.zone.as_deref().unwrap_or("<unset>");
            w.line(2, &format!("Zone:\t{zone}"));
        }
    }
    events_section(ctx, &mut w, object_events(ctx, "EndpointSlice", m));
    w.finish()
}

/// kubectl's generic describer (used for Events): metadata, then every field of the object
/// under a "smart" label, then the object's own events.
fn generic(ctx: &Ctx, o: &Obj) -> String {
    let mut w = DescribeWriter::new();
    let m = o.meta();
    w.line(0, &format!("Name:\t{}", m.name));
    w.line(
        0,
        &format!(
            "Namespace:\t{}",
            if o.kind().namespaced() { m.ns() } else { "" }
        ),
    );
    labels_multiline(&mut w, 0, "Labels", &m.labels);
    annotations_multiline(&mut w, 0, "Annotations", &m.annotations);
    if let Value::Mapping(map) = o.value() {
        let skip = [
            ".metadata.managedFields",
            ".metadata.name",
            ".metadata.namespace",
            ".metadata.labels",
            ".metadata.annotations",
        ];
        unstructured(&mut w, 0, &map, "", &skip);
    }
    events_section(
        ctx,
        &mut w,
        events_for(
            ctx,
            Some(o.kind().name()),
            m,
            o.kind().namespaced(),
            &[m.uid()],
        ),
    );
    w.finish()
}

fn unstructured(
    w: &mut DescribeWriter,
    level: usize,
    map: &serde_yaml::Mapping,
    prefix: &str,
    skip: &[&str],
) {
    let mut fields: Vec<(&str, &Value)> = map
        .iter()
        .filter_map(|(k, v)| Some((k.as_str()?, v)))
        .collect();
    crate::order::sort_by(&mut fields, |a, b| a.0.cmp(b.0));
    for (field, value) in fields {
        let path = format!("{prefix}.{field}");
        if skip.contains(&path.as_str()) {
            continue;
        }
        match value {
            Value::Mapping(inner) => {
                w.line(level, &format!("{}:", smart_label(field)));
                unstructured(w, level + 1, inner, &path, skip);
            }
            Value::Sequence(items) => {
                w.line(level, &format!("{}:", smart_label(field)));
                for item in items {
                    match item {
                        Value::Mapping(inner) => unstructured(w, level + 1, inner, &path, skip),
                        other => w.line(level + 1, &scalar(other)),
                    }
                }
            }
            other => w.line(
                level,
                &format!("{}:\t{}", smart_label(field), scalar(other)),
            ),
        }
    }
}

/// `smartLabelFor`: `involvedObject` → `Involved Object`, `apiVersion` → `API Version`.
fn smart_label(field: &str) -> String {
    if field.chars().any(|c| !c.is_alphabetic() && c != '-') {
        return field.to_string();
    }
    let mut parts: Vec<String> = Vec::new();
    for c in field.chars() {
        let boundary = c.is_uppercase()
            && parts
                .last()
                .is_some_and(|p| p.chars().last().is_some_and(char::is_lowercase));
        match parts.last_mut() {
            Some(p) if !boundary => p.push(c),
            _ => parts.push(c.to_string()),
        }
    }
    parts
        .into_iter()
        .map(|p| {
            let upper = p.to_uppercase();
            if ["API", "URL", "UID", "GUID"].contains(&upper.as_str()) {
                upper
            } else if p.chars().all(char::is_lowercase) {
                let mut cs = p.chars();
                cs.next()
                    .map(|f| f.to_uppercase().chain(cs).collect())
                    .unwrap_or_default()
            } else {
                p
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}
