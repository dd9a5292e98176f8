//! `kubectl run` and `kubectl expose`: the Pod and the Service that kubectl's generators
//! build from flags (`BasicPod`, `ServiceGeneratorV2`), created through the same API paths as
//! `apply`, with a client dry run printing the object as kubectl sends it (fields in Go's
//! order for JSON; the YAML printer sorts them).

use super::args::Args;
use super::resources::{select, Kind};
use crate::command::Output;
use crate::sim::Sim;
use crate::store::key;
use serde_yaml::Value;

/// A mapping from entries in the given order (Go's field order, for a client dry run's JSON).
pub(super) fn map(entries: Vec<(&str, Value)>) -> Value {
    Value::Mapping(
        entries
            .into_iter()
            .map(|(k, v)| (Value::String(k.into()), v))
            .collect(),
    )
}

pub(super) fn text(s: &str) -> Value {
    Value::String(s.to_string())
}

/// Labels (or a selector) as a mapping.
pub(super) fn labels_value<'a>(
    labels: impl IntoIterator<Item = (&'a String, &'a String)>,
) -> Value {
    map(labels
        .into_iter()
        .map(|(k, v)| (k.as_str(), text(v)))
        .collect())
}

/// `key=value,…` as `generate.ParseLabels` reads it.
fn parse_labels(spec: &str) -> Result<Vec<(String, String)>, String> {
    // `generate.ParseLabels` (run) and expose's `parseLabels`: `k=v` pairs split on `,` and
    // `=`, so a value holding `=` is refused; a repeated key keeps its last value.
    let mut out: Vec<(String, String)> = Vec::new();
    for pair in spec.split(',') {
        let parts: Vec<&str> = pair.split('=').collect();
        let [k, v] = parts.as_slice() else {
            return Err(format!("error: unexpected label spec: {pair}\n"));
        };
        if k.is_empty() {
            return Err("error: unexpected empty label key\n".into());
        }
        out.retain(|(key, _)| key != k);
        out.push((k.to_string(), v.to_string()));
    }
    crate::order::sort(&mut out);
    Ok(out)
}

/// An object a generator built, and how the API creates it.
struct Generated<'a> {
    kind: Kind,
    name: &'a str,
    object: Value,
    /// The printed operation: "created", "exposed".
    verb: &'a str,
    create: fn(&mut Sim, Value, String) -> Result<(), String>,
}

/// What the generated object becomes: created (or checked, in a server dry run), or printed
/// as built in a client dry run.
fn finish(sim: &mut Sim, a: &Args, note: Option<&str>, g: Generated) -> Output {
    let Generated {
        kind,
        name,
        object: built,
        verb,
        create,
    } = g;
    let output = match super::mutate::output_format(a) {
        Ok(o) => o,
        Err(e) => return e,
    };
    let resource = format!("{}/{name}", kind.qualified());
    let line = |note: &str| match output {
        Some("name") => format!("{resource}\n"),
        _ => format!("{resource} {verb}{note}\n"),
    };
    let printed = |object: &Value, note: &str| match output {
        Some("json") if note == " (dry run)" => crate::api::json::to_json_pretty_in_order(object),
        Some("kyaml") if note == " (dry run)" => crate::api::kyaml::to_kyaml_in_order(object),
        Some(format @ ("yaml" | "json" | "kyaml")) => super::get::render_as(object, format),
        _ => line(note),
    };
    if note == Some(" (dry run)") {
        return Output::ok(printed(&built, " (dry run)"));
    }
    let ns = a.namespace();
    if super::mutate::exists(sim, kind, &ns, name).is_ok() {
        return Output::err(format!(
            "Error from server (AlreadyExists): {} {name:?} already exists\n",
            kind.group_resource()
        ));
    }
    let mut copy = None;
    let target = match note {
        Some(_) => copy.insert(sim.clone()),
        None => sim,
    };
    if let Err(e) = create(target, built, ns.clone()) {
        return Output::err(format!("{}\n", e.trim_end()));
    }
    match super::get::find(target, kind, &ns, name) {
        Some(o) if super::mutate::prints_object(output) => {
            Output::ok(printed(&o.value(), note.unwrap_or("")))
        }
        _ => Output::ok(line(note.unwrap_or(""))),
    }
}

/// `kubectl run NAME --image=IMAGE`: a bare Pod labelled `run=NAME` (or `--labels`), one
/// container named after the pod, restart policy Always, DNS policy ClusterFirst; words after
/// the name become the container's args (its command with `--command`).
pub fn run(sim: &mut Sim, a: &Args, note: Option<&str>) -> Output {
    // cobra checks the required --image before `Validate` looks at the name.
    let Some(image) = a.get("image") else {
        return Output::err("error: required flag(s) \"image\" not set\n");
    };
    let Some((name, rest)) = a.positional.split_first() else {
        return Output::err("error: NAME is required for run\n");
    };
    if image.is_empty() {
        return Output::err("error: --image is required\n");
    }
    if crate::registry::ImageRef::parse(image).is_none() {
        return Output::err(format!(
            "error: Invalid image name {image:?}: invalid reference format\n"
        ));
    }
    match a.get("restart").unwrap_or("Always") {
        "" | "Always" => {}
        "OnFailure" | "Never" => {
            return Output::err(
                "error: --restart=OnFailure and --restart=Never are not simulated: the kubelet here restarts every container (restartPolicy Always)\n",
            )
        }
        other => return Output::err(format!("error: invalid restart policy: {other}\n")),
    }
    let labels = match a.get("labels").filter(|l| !l.is_empty()) {
        Some(spec) => match parse_labels(spec) {
            Ok(l) => l,
            Err(e) => return Output::err(e),
        },
        None => vec![("run".to_string(), name.clone())],
    };
    let mut container = vec![("name", text(name)), ("image", text(image))];
    if !rest.is_empty() {
        let words = Value::Sequence(rest.iter().map(|w| text(w)).collect());
        container.push((if a.bool("command") { "command" } else { "args" }, words));
    }
    if let Some(port) = a.get("port").filter(|p| !p.is_empty()) {
        let Ok(port) = port.parse::<i64>() else {
            return Output::err(format!(
                "error: strconv.Atoi: parsing {port:?}: invalid syntax\n"
            ));
        };
        // The API server's port validation (the Pod path of `apply` has no port checks).
        if !(1..=65535).contains(&port) {
            return Output::err(format!(
                "The Pod {name:?} is invalid: spec.containers[0].ports[0].containerPort: Invalid value: {port}: must be between 1 and 65535, inclusive\n"
            ));
        }
        let port = map(vec![("containerPort", Value::Number(port.into()))]);
        container.push(("ports", Value::Sequence(vec![port])));
    }
    let mut env = Vec::new();
    for pair in a.all("env") {
        let Some((k, v)) = pair.split_once('=').filter(|(k, _)| !k.is_empty()) else {
            return Output::err(format!("error: invalid env: {pair}\n"));
        };
        env.push(map(vec![("name", text(k)), ("value", text(v))]));
    }
    if !env.is_empty() {
        container.push(("env", Value::Sequence(env)));
    }
    container.push(("resources", map(Vec::new())));
    let mut meta = vec![("name", text(name))];
    if a.get("namespace").is_some() {
        meta.push(("namespace", text(&a.namespace())));
    }
    meta.push(("labels", labels_value(labels.iter().map(|(k, v)| (k, v)))));
    let pod = map(vec![
        ("kind", text("Pod")),
        ("apiVersion", text("v1")),
        ("metadata", map(meta)),
        (
            "spec",
            map(vec![
                ("containers", Value::Sequence(vec![map(container)])),
                ("restartPolicy", text("Always")),
                ("dnsPolicy", text("ClusterFirst")),
            ]),
        ),
        ("status", map(Vec::new())),
    ]);
    let pod = Generated {
        kind: Kind::Pod,
        name,
        object: pod,
        verb: "created",
        create: super::apply::create_pod,
    };
    finish(sim, a, note, pod)
}

/// `kubectl expose TYPE NAME`: a Service selecting what the Deployment, ReplicaSet, Pod or
/// Service selects, on `--port` (else the pod template's container ports), target port
/// `--target-port` or the same port, named `--name` or after the object, with its labels.
pub fn expose(sim: &mut Sim, a: &Args, note: Option<&str>) -> Output {
    let usage = "See 'kubectl expose -h' for help and examples";
    let sel = match select(&a.positional) {
        Ok(s) => s,
        Err(e) => return Output::err(format!("{e}\n")),
    };
    let target = match sel.items.as_slice() {
        [(kind, names)] if names.len() == 1 => (*kind, names[0].clone()),
        _ => return Output::err(super::mutate::NO_RESOURCES),
    };
    let ns = a.namespace();
    let (kind, object) = target;
    let k = key(&ns, &object);
    let found = match kind {
        Kind::Deployment => sim.store.deployments.get(&k).map(|d| {
            let sel = d.spec.selector.clone().unwrap_or_default();
            (
                sel.match_labels,
                !sel.match_expressions.is_empty(),
                d.spec.template.spec.containers.clone(),
                d.metadata.labels.clone(),
            )
        }),
        Kind::ReplicaSet => sim.store.replicasets.get(&k).map(|r| {
            let sel = r.spec.selector.clone();
            (
                sel.match_labels,
                !sel.match_expressions.is_empty(),
                r.spec.template.spec.containers.clone(),
                r.metadata.labels.clone(),
            )
        }),
        Kind::Pod => sim.store.pods.get(&k).map(|p| {
            (
                p.metadata.labels.clone(),
                false,
                p.spec.containers.clone(),
                p.metadata.labels.clone(),
            )
        }),
        Kind::Service => sim.store.services.get(&k).map(|s| {
            (
                s.spec.selector.clone(),
                false,
                Vec::new(),
                s.metadata.labels.clone(),
            )
        }),
        other => return Output::err(format!("error: cannot expose a {}\n", other.name())),
    };
    let Some((selector, expressions, containers, object_labels)) = found else {
        return Output::err(super::mutate::not_found(kind, &object));
    };
    // `--selector` replaces the one read from the object (`MapBasedSelectorForObject`).
    let given = a.get("selector").filter(|s| !s.is_empty());
    let (selector, expressions) = match given.map(parse_labels) {
        Some(Ok(pairs)) => (pairs.into_iter().collect(), false),
        Some(Err(e)) => return Output::err(e),
        None => (selector, expressions),
    };
    if expressions {
        return Output::err(format!("error: couldn't retrieve selectors via --selector flag or introspection: the {} selector has matchExpressions, which a Service selector cannot hold\n{usage}\n", kind.name()));
    }
    if selector.is_empty() {
        // `MapBasedSelectorForObject`'s words for a pod and a Service.
        let why = match kind {
            Kind::Pod => "the pod has no labels and cannot be exposed".to_string(),
            Kind::Service => "the service has no pod selector set".to_string(),
            other => format!("the {} has no selector", other.name()),
        };
        return Output::err(format!(
            "error: couldn't retrieve selectors via --selector flag or introspection: {why}\n{usage}\n"
        ));
    }
    let protocol = a.get("protocol").unwrap_or("TCP");
    let target_port =
        a.get("target-port")
            .filter(|t| !t.is_empty())
            .map(|t| match t.parse::<i64>() {
                Ok(n) => Value::Number(n.into()),
                Err(_) => text(t),
            });
    let ports: Vec<(i64, String)> = match a.get("port").filter(|p| !p.is_empty()) {
        Some(p) => match p.parse::<i64>() {
            Ok(p) => vec![(p, protocol.to_string())],
            Err(_) => {
                return Output::err(format!(
                    "error: strconv.Atoi: parsing {p:?}: invalid syntax\n"
                ))
            }
        },
        // `PortsForObject`: every container port of the template, in order.
        None => containers
            .iter()
            .flat_map(|c| &c.ports)
            .map(|p| {
                let proto = p.protocol.clone().unwrap_or_else(|| protocol.to_string());
                (p.container_port, proto)
            })
            .collect(),
    };
    if ports.is_empty() {
        return Output::err(format!(
            "error: couldn't find port via --port flag or introspection\n{usage}\n"
        ));
    }
    let several = ports.len() > 1;
    let port_values = ports.iter().enumerate().map(|(i, (port, proto))| {
        let mut fields = Vec::new();
        if several {
            fields.push(("name", text(&format!("port-{}", i + 1))));
        }
        fields.push(("protocol", text(proto)));
        fields.push(("port", Value::Number((*port).into())));
        let target = target_port
            .clone()
            .unwrap_or_else(|| Value::Number((*port).into()));
        fields.push(("targetPort", target));
        map(fields)
    });
    let name = a
        .get("name")
        .filter(|n| !n.is_empty())
        .unwrap_or(&object)
        .to_string();
    let labels: Vec<(String, String)> = match a.get("labels").filter(|l| !l.is_empty()) {
        Some(spec) => match parse_labels(spec) {
            Ok(l) => l,
            Err(e) => return Output::err(e),
        },
        None => object_labels.into_iter().collect(),
    };
    let mut meta = vec![("name", text(&name))];
    if a.get("namespace").is_some() {
        meta.push(("namespace", text(&ns)));
    }
    if !labels.is_empty() {
        meta.push(("labels", labels_value(labels.iter().map(|(k, v)| (k, v)))));
    }
    let selector: Vec<(String, String)> = selector.into_iter().collect();
    let mut spec = vec![
        ("ports", Value::Sequence(port_values.collect())),
        (
            "selector",
            labels_value(selector.iter().map(|(k, v)| (k, v))),
        ),
    ];
    if let Some(t) = a.get("type").filter(|t| !t.is_empty()) {
        spec.push(("type", text(t)));
    }
    let service = service_object(meta, spec);
    let service = Generated {
        kind: Kind::Service,
        name: &name,
        object: service,
        verb: "exposed",
        create: super::apply::create_service,
    };
    finish(sim, a, note, service)
}

/// A Service as kubectl's generators send it, in Go's field order.
fn service_object(meta: Vec<(&str, Value)>, spec: Vec<(&str, Value)>) -> Value {
    map(vec![
        ("kind", text("Service")),
        ("apiVersion", text("v1")),
        ("metadata", map(meta)),
        ("spec", map(spec)),
        ("status", map(vec![("loadBalancer", map(Vec::new()))])),
    ])
}

/// `kubectl create service clusterip|nodeport|loadbalancer|externalname NAME`: a Service of
/// that type labelled and selecting `app=NAME`, one TCP port per `--tcp=port[:targetPort]`
/// named after it (`5678-8080`), as kubectl's `ServiceOptions.createService` builds it.
pub fn create_service(sim: &mut Sim, a: &Args, note: Option<&str>, sub: &str) -> Output {
    let type_ = match sub {
        "clusterip" => "ClusterIP",
        "nodeport" => "NodePort",
        "loadbalancer" => "LoadBalancer",
        "externalname" => "ExternalName",
        // `RequireNoArguments`: every word after `service` is the unknown command.
        _ => {
            let words: Vec<&str> = std::iter::once(sub)
                .chain(a.positional.iter().map(String::as_str))
                .collect();
            return Output::err(format!(
                "error: unknown command {:?}\nSee 'kubectl create service -h' for help and examples\n",
                words.join(" ")
            ));
        }
    };
    let external_name = a.get("external-name").unwrap_or("");
    // cobra checks the required flag before the command looks at its arguments.
    if type_ == "ExternalName" && !a.has("external-name") {
        return Output::err("error: required flag(s) \"external-name\" not set\n");
    }
    let [name] = a.positional.as_slice() else {
        return Output::err(format!(
            "error: exactly one NAME is required, got {}\nSee 'kubectl create service {sub} -h' for help and examples\n",
            a.positional.len()
        ));
    };
    // `--tcp` is a string slice: repeated, or several pairs split on commas.
    let tcp: Vec<&str> = a
        .all("tcp")
        .into_iter()
        .flat_map(|t| t.split(','))
        .collect();
    // Only `clusterip` has the flag (`ClusterIP=None` elsewhere cannot be asked for).
    let cluster_ip = a.get("clusterip").unwrap_or("");
    if cluster_ip != "None" && tcp.is_empty() && type_ != "ExternalName" {
        return Output::err("error: at least one tcp port specifier must be provided\n");
    }
    if type_ == "ExternalName"
        && !crate::api::validation::is_dns1123_subdomain(external_name).is_empty()
    {
        return Output::err(format!(
            "error: invalid service external name {external_name}\n"
        ));
    }
    let node_port = match a.get("node-port").map(str::parse::<i64>) {
        None => 0,
        Some(Ok(n)) => n,
        Some(Err(_)) => {
            return super::flag_error(
                &format!("create service {sub}"),
                &format!(
                    "invalid argument {:?} for \"--node-port\" flag: strconv.ParseInt: parsing {:?}: invalid syntax",
                    a.get("node-port").unwrap_or(""),
                    a.get("node-port").unwrap_or("")
                ),
            )
        }
    };
    let mut ports = Vec::new();
    for pair in &tcp {
        match service_port(pair, node_port) {
            Ok(p) => ports.push(p),
            Err(e) => return Output::err(format!("error: {e}\n")),
        }
    }
    let app = [("app".to_string(), name.clone())];
    let mut meta = vec![("name", text(name))];
    if a.get("namespace").is_some() {
        meta.push(("namespace", text(&a.namespace())));
    }
    meta.push(("labels", labels_value(app.iter().map(|(k, v)| (k, v)))));
    // `ports` is `omitempty`: a Service without ports has none in what kubectl sends.
    let mut spec = Vec::new();
    if !ports.is_empty() {
        spec.push(("ports", Value::Sequence(ports)));
    }
    spec.push(("selector", labels_value(app.iter().map(|(k, v)| (k, v)))));
    if !cluster_ip.is_empty() {
        spec.push(("clusterIP", text(cluster_ip)));
    }
    spec.push(("type", text(type_)));
    if !external_name.is_empty() {
        spec.push(("externalName", text(external_name)));
    }
    let service = service_object(meta, spec);
    let mut out = finish(
        sim,
        a,
        note,
        Generated {
            kind: Kind::Service,
            name,
            object: service,
            verb: "created",
            create: super::apply::create_service,
        },
    );
    // kubectl wraps what the API server refused: `failed to create ClusterIP service: …`.
    if out.stderr.starts_with("Error from server (") || out.stderr.starts_with("The ") {
        let reason = out
            .stderr
            .trim_end()
            .split_once("): ")
            .filter(|(head, _)| head.starts_with("Error from server ("))
            .map_or(out.stderr.trim_end(), |(_, rest)| rest);
        let reason = reason.strip_prefix("The ").unwrap_or(reason);
        // The API server's own message, which kubectl lists as `* cause` lines: one cause
        // after the colon, several in brackets (`errors.NewInvalid`'s aggregate).
        let (head, causes) = reason.split_once(" \n* ").unwrap_or((reason, ""));
        let causes: Vec<&str> = causes.split("\n* ").filter(|c| !c.is_empty()).collect();
        let reason = match causes.as_slice() {
            [] => head.to_string(),
            [one] => format!("{head} {one}"),
            many => format!("{head} [{}]", many.join(", ")),
        };
        out.stderr = format!("error: failed to create {type_} service: {reason}\n");
    }
    out
}

/// One `--tcp` pair as kubectl's `parsePorts` reads it: the port (0 to 65535) and the target
/// port, a number or a port name, the port itself when not given.
fn service_port(pair: &str, node_port: i64) -> Result<Value, String> {
    let mut parts = pair.split(':');
    let first = parts.next().unwrap_or("");
    // Go's `ParseUint(s, 10, 16)`: digits only (no sign), and at most 65535.
    if first.is_empty() || !first.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "strconv.ParseUint: parsing {first:?}: invalid syntax"
        ));
    }
    let port = match first.parse::<u64>() {
        Ok(p) if p <= 65535 => p as i64,
        _ => {
            return Err(format!(
                "strconv.ParseUint: parsing {first:?}: value out of range"
            ))
        }
    };
    let target = match parts.next() {
        None => Value::Number(port.into()),
        Some(t) => match t.parse::<i64>() {
            Ok(n) if (1..=65535).contains(&n) => Value::Number(n.into()),
            Ok(_) => return Err("must be between 1 and 65535, inclusive".into()),
            Err(_) => {
                let errs = crate::api::validation::is_valid_port_name(t);
                if !errs.is_empty() {
                    return Err(errs.join(","));
                }
                text(t)
            }
        },
    };
    let mut fields = vec![
        ("name", text(&pair.replace(':', "-"))),
        ("protocol", text("TCP")),
        ("port", Value::Number(port.into())),
        ("targetPort", target),
    ];
    if node_port != 0 {
        fields.push(("nodePort", Value::Number(node_port.into())));
    }
    Ok(map(fields))
}

/// `kubectl create namespace NAME`: a Namespace with that name and nothing else.
pub fn create_namespace(sim: &mut Sim, a: &Args, note: Option<&str>) -> Output {
    let [name] = a.positional.as_slice() else {
        return Output::err(format!(
            "error: exactly one NAME is required, got {}\nSee 'kubectl create namespace -h' for help and examples\n",
            a.positional.len()
        ));
    };
    let namespace = map(vec![
        ("kind", text("Namespace")),
        ("apiVersion", text("v1")),
        ("metadata", map(vec![("name", text(name))])),
        ("spec", map(Vec::new())),
        ("status", map(Vec::new())),
    ]);
    finish(
        sim,
        a,
        note,
        Generated {
            kind: Kind::Namespace,
            name,
            object: namespace,
            verb: "created",
            create: super::apply::create_namespace,
        },
    )
}
