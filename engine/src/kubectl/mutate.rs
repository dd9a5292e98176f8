//! The kubectl commands that change objects in place: `scale`, `set image`, `set resources`
//! (and `set env`, in [`super::set_env`]),
//! `create deployment`, `run`, `expose`, `delete`, `annotate`, `label`, `cordon`, `uncordon`,
//! `drain` (`run` and `expose` build their objects in [`super::generate`]).

use super::args::{self, flag, Args, Flag};
use super::get::Obj;
use super::resources::{select, Kind};
use crate::api::apps::{Deployment, CHANGE_CAUSE};
use crate::api::core::{Container, ContainerPort, Pod};
use crate::api::meta::{parse_label_selector, LabelSelector, Labels, ObjectMeta};
use crate::apiserver::{self, ApiError, Propagation};
use crate::command::Output;
use crate::sim::Sim;
use crate::store::key;
use serde_yaml::Value;

const FLAGS: &[Flag] = &[
    flag("replicas", None, true),
    flag("current-replicas", None, true),
    flag("image", None, true),
    flag("port", None, true),
    flag("record", None, false),
    args::DRY_RUN,
    flag("output", Some('o'), true),
    flag("overwrite", None, false),
    flag("selector", Some('l'), true),
    flag("all", None, false),
    flag("all-namespaces", Some('A'), false),
    flag("grace-period", None, true),
    flag("force", None, false),
    flag("ignore-not-found", None, false),
    flag("list", None, false),
    flag("now", None, false),
    flag("wait", None, false),
    flag("cascade", None, true),
    flag("ignore-daemonsets", None, false),
    flag("delete-emptydir-data", None, false),
    flag("timeout", None, true),
    flag("filename", Some('f'), true),
    flag("labels", None, true),
    flag("restart", None, true),
    flag("env", None, true),
    flag("command", None, false),
    flag("target-port", None, true),
    flag("name", None, true),
    flag("type", None, true),
    flag("protocol", None, true),
];

/// The flags of `verb`: `run` and `expose` take `-l` for `--labels`, and only `expose` has
/// a `--selector` (long form only).
fn flags_for(verb: &str) -> Vec<Flag> {
    let mut flags = FLAGS.to_vec();
    if verb == "set env" {
        // set_env.go has no --record.
        flags.retain(|f| f.long != "record");
        for f in &mut flags {
            if f.long == "env" {
                f.short = Some('e');
            }
        }
        flags.extend([
            flag("containers", Some('c'), true),
            flag("from", None, true),
            flag("prefix", None, true),
            flag("keys", None, true),
            flag("resolve", None, false),
            flag("local", None, false),
        ]);
    }
    if verb == "set resources" {
        flags.extend([
            flag("containers", Some('c'), true),
            flag("limits", None, true),
            flag("requests", None, true),
        ]);
    }
    // Each `create service` subcommand has its own flags (create_service.go).
    if let Some(sub) = verb.strip_prefix("create service ") {
        flags.push(flag("tcp", None, true));
        match sub {
            "clusterip" => flags.push(flag("clusterip", None, true)),
            "nodeport" => flags.push(flag("node-port", None, true)),
            "externalname" => flags.push(flag("external-name", None, true)),
            _ => {}
        }
    }
    if matches!(verb, "run" | "expose") {
        flags.retain(|f| f.long != "selector" || verb == "expose");
        for f in &mut flags {
            f.short = match f.long {
                "selector" => None,
                "labels" => Some('l'),
                _ => f.short,
            };
        }
    }
    flags
}

/// kubectl's answer when a command names no objects.
pub(super) const NO_RESOURCES: &str = "error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'\n";

pub fn run(sim: &mut Sim, verb: &str, rest: &[String]) -> Output {
    let mut full_verb = match (verb, rest.first().map(String::as_str)) {
        ("set", Some(sub)) | ("create", Some(sub)) if !sub.starts_with('-') => {
            format!("{verb} {sub}")
        }
        _ => verb.to_string(),
    };
    // `create service` has a subcommand of its own, the Service's type.
    if matches!(full_verb.as_str(), "create service" | "create svc") {
        full_verb = "create service".into();
        if let Some(sub) = rest.get(1).filter(|s| !s.starts_with('-')) {
            full_verb = format!("create service {sub}");
        }
    }
    let tokens = &rest[full_verb.split(' ').count() - 1..];
    let a = match args::parse(tokens, &flags_for(&full_verb)) {
        Ok(a) => a,
        Err(e) => return super::flag_error(&full_verb, &e),
    };
    if a.bool("help") {
        return Output::ok(super::help::command_help(&full_verb).unwrap_or_default());
    }
    if a.has("filename") && full_verb != "delete" {
        return Output::err(format!(
            "error: \"kubectl {full_verb} -f\" is not available in this simulator; name the objects instead (TYPE NAME)\n"
        ));
    }
    let record = a
        .bool("record")
        .then(|| format!("kubectl {verb} {}", rest.join(" ")));
    let note = match a.dry_run() {
        Ok(note) => note,
        Err(e) => return Output::err(e),
    };
    if full_verb == "create ns" {
        full_verb = "create namespace".into();
    }
    let own_dry_run = full_verb.starts_with("create service ")
        || full_verb == "create namespace"
        || matches!(
            full_verb.as_str(),
            "scale"
                | "set image"
                | "set resources"
                | "set env"
                | "create deployment"
                | "create deploy"
                | "delete"
                | "drain"
                | "run"
                | "expose"
        );
    let mut out = match note {
        // The other commands run on a copy of the cluster and mark every line they print.
        Some(note) if !own_dry_run => {
            let mut copy = sim.clone();
            let mut out = dispatch(&mut copy, &full_verb, &a, record.as_deref(), None);
            out.stdout = noted(&out.stdout, note);
            out
        }
        _ => dispatch(sim, &full_verb, &a, record.as_deref(), note),
    };
    a.warn_deprecated_dry_run(&mut out, sim.now);
    // cobra warns about a deprecated flag while parsing, whatever the command does next.
    if record.is_some() {
        out.stderr.insert_str(
            0,
            "Flag --record has been deprecated, --record will be removed in the future\n",
        );
    }
    out
}

/// Runs one command; `note` is the dry-run note for the commands that do their own dry run.
fn dispatch(
    sim: &mut Sim,
    full_verb: &str,
    a: &Args,
    record: Option<&str>,
    note: Option<&'static str>,
) -> Output {
    match full_verb {
        "scale" => scale(sim, a, note),
        "set image" => set_image(sim, a, record, note),
        "set resources" => set_resources(sim, a, record, note),
        "set env" => super::set_env::set_env(sim, a, record, note),
        "set" => Output::err("error: unknown command \"set\" without a subcommand; use `kubectl set image`, `kubectl set resources` or `kubectl set env`\n"),
        "create deployment" | "create deploy" => create_deployment(sim, a, note),
        "create namespace" => super::generate::create_namespace(sim, a, note),
        // Without a type, cobra prints the command's help and fails.
        "create service" => Output {
            stderr: super::help::command_help("create service").unwrap_or_default(),
            exit_code: 1,
            ..Output::default()
        },
        v if v.starts_with("create service ") => {
            super::generate::create_service(sim, a, note, &v["create service ".len()..])
        }
        v if v.starts_with("create") => Output::err(format!(
            "error: \"kubectl {v}\" is not simulated; use `kubectl create deployment NAME --image=IMAGE`, `kubectl create service TYPE NAME`, `kubectl create namespace NAME` or `kubectl apply -f FILE`\n"
        )),
        "delete" => delete(sim, a, note),
        "run" => super::generate::run(sim, a, note),
        "expose" => super::generate::expose(sim, a, note),
        "annotate" => annotate_or_label(sim, a, false),
        "label" => annotate_or_label(sim, a, true),
        "cordon" => cordon(sim, a, true),
        "uncordon" => cordon(sim, a, false),
        "drain" => drain(sim, a, note),
        v => match v.strip_prefix("set ") {
            Some(sub @ ("selector" | "serviceaccount" | "subject")) => {
                Output::err(format!(
                    "error: \"kubectl set {sub}\" is not available in this simulator; use `kubectl set image`, `kubectl set resources` or `kubectl set env`\n"
                ))
            }
            // `set` runs RequireNoArguments: every word after it is the "command".
            Some(sub) => {
                let words: Vec<&str> = std::iter::once(sub)
                    .chain(a.positional.iter().map(String::as_str))
                    .collect();
                Output::err(format!(
                    "error: unknown command {:?}\nSee 'kubectl set -h' for help and examples\n",
                    words.join(" ")
                ))
            }
            None => Output::err(format!("error: unknown command {v:?} for \"kubectl\"\n")),
        },
    }
}

pub(super) fn not_found(kind: Kind, name: &str) -> String {
    format!(
        "Error from server (NotFound): {} {name:?} not found\n",
        kind.group_resource()
    )
}

/// `TYPE NAME…` / `TYPE/NAME…` for commands that need names.
pub(super) fn named_targets(a: &Args) -> Result<Vec<(Kind, String)>, String> {
    let sel = select(&a.positional).map_err(|e| format!("{e}\n"))?;
    let mut out = Vec::new();
    for (k, names) in sel.items {
        for n in names {
            out.push((k, n));
        }
    }
    Ok(out)
}

fn scale(sim: &mut Sim, a: &Args, note: Option<&str>) -> Output {
    let replicas = match a.int("replicas", 64) {
        Some(Ok(r)) => r,
        Some(Err(e)) => return super::flag_error("scale", &e),
        None if a.positional.is_empty() => return Output::err(NO_RESOURCES),
        None => return Output::err("error: required flag(s) \"replicas\" not set\n"),
    };
    // kubectl builds its printer before it checks the count.
    let wants_object = match output_format(a) {
        Ok(o) => prints_object(o),
        Err(e) => return e,
    };
    if replicas < 0 {
        return Output::err("error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0\n");
    }
    if replicas > apiserver::MAX_PODS as i64 {
        return Output::err(format!(
            "error: --replicas={replicas} is more than this simulator can run ({} pods)\n",
            apiserver::MAX_PODS
        ));
    }
    let targets = match scale_targets(sim, a) {
        Ok(t) => t,
        Err(e) => return Output::err(e),
    };
    let mut copy = None;
    let sim = acting_on(sim, &mut copy, note.is_some());
    let ns = a.namespace();
    let mut out = Output::default();
    for (kind, name) in targets {
        let current = match kind {
            Kind::Deployment => sim
                .store
                .deployments
                .get(&key(&ns, &name))
                .map(|d| d.replicas()),
            Kind::ReplicaSet => sim
                .store
                .replicasets
                .get(&key(&ns, &name))
                .map(|r| r.spec.replicas),
            _ => {
                out.stderr.push_str(&format!(
                    "error: cannot scale {}: the resource has no scale subresource\n",
                    kind.group_resource()
                ));
                out.exit_code = 1;
                continue;
            }
        };
        let Some(current) = current else {
            // v1.35 prints the NotFound as other commands do (kubernetes PR 134017).
            out.stderr.push_str(&not_found(kind, &name));
            out.exit_code = 1;
            continue;
        };
        if let Some(cr) = a
            .get("current-replicas")
            .and_then(|v| v.parse::<i64>().ok())
        {
            if cr != current {
                out.stderr.push_str(&format!(
                    "error: Expected replicas to be {cr}, was {current}\n"
                ));
                out.exit_code = 1;
                continue;
            }
        }
        let res = match kind {
            Kind::Deployment => {
                sim.store
                    .deployments
                    .get(&key(&ns, &name))
                    .cloned()
                    .map(|mut d| {
                        d.spec.replicas = Some(replicas);
                        // kubectl prints the object it read, the new size written into it.
                        let shown = wants_object.then(|| Obj::Deployment(d.clone()).value());
                        apiserver::update_deployment(sim, d).map(|_| shown)
                    })
            }
            _ => sim
                .store
                .replicasets
                .get(&key(&ns, &name))
                .cloned()
                .map(|mut rs| {
                    rs.spec.replicas = replicas;
                    let shown = wants_object.then(|| Obj::ReplicaSet(rs.clone()).value());
                    apiserver::update_replicaset(sim, rs);
                    Ok(shown)
                }),
        };
        match res {
            Some(Ok(shown)) => changed(
                &mut out.stdout,
                a,
                &format!("{}/{name}", kind.qualified()),
                "scaled",
                note,
                shown,
            ),
            Some(Err(e)) => {
                out.stderr.push_str(&format!("{}\n", e.kubectl_text()));
                out.exit_code = 1;
            }
            None => {}
        }
    }
    out
}

fn set_image(sim: &mut Sim, a: &Args, record: Option<&str>, note: Option<&str>) -> Output {
    let (resources, pairs): (Vec<String>, Vec<String>) =
        a.positional.iter().cloned().partition(|p| !p.contains('='));
    if pairs.is_empty() {
        return Output::err("error: at least one image update is required\n");
    }
    if pairs.len() > 1 && pairs.iter().any(|p| p.starts_with("*=")) {
        return Output::err("error: all containers are already specified by *, but saw more than one container_name=container_image pairs\n");
    }
    // Containers that are not there are reported after the objects, as kubectl collects
    // them while the images it did find are still set.
    let mut missing = String::new();
    let mut out = set_on_deployments(sim, a, resources, (record, note), "image", &mut |d| {
        for pair in &pairs {
            let (container, image) = pair.split_once('=').unwrap_or((pair.as_str(), ""));
            let mut found = false;
            for c in d
                .spec
                .template
                .spec
                .containers
                .iter_mut()
                .filter(|c| container == "*" || c.name == container)
            {
                c.image = Some(image.to_string());
                found = true;
            }
            // `UpdatePodSpecForObject` visits the init containers too.
            if let Some(serde_yaml::Value::Sequence(inits)) =
                d.spec.template.spec.extra.get_mut("initContainers")
            {
                for c in inits.iter_mut().filter_map(|c| c.as_mapping_mut()) {
                    let named = c.get("name").and_then(|n| n.as_str()) == Some(container);
                    if container == "*" || named {
                        c.insert("image".into(), image.into());
                        found = true;
                    }
                }
            }
            if !found {
                missing.push_str(&format!(
                    "error: unable to find container named {container:?}\n"
                ));
            }
        }
        Ok(())
    });
    if !missing.is_empty() {
        out.stderr.push_str(&missing);
        out.exit_code = 1;
    }
    out
}

/// `kubectl set resources TYPE NAME [-c CONTAINERS] --limits=… --requests=…`: sets the named
/// resources of the containers whose names match the `-c` pattern (all by default), keeping
/// the others (set_resources.go).
fn set_resources(sim: &mut Sim, a: &Args, record: Option<&str>, note: Option<&str>) -> Output {
    let (limits, requests) = match (
        resource_list(a.get("limits").unwrap_or("")),
        resource_list(a.get("requests").unwrap_or("")),
    ) {
        (Ok(l), Ok(r)) => (l, r),
        (Err(e), _) | (_, Err(e)) => return Output::err(format!("error: {e}\n")),
    };
    if limits.is_empty() && requests.is_empty() {
        return Output::err("error: you must specify an update to requests or limits (in the form of --requests/--limits)\n");
    }
    let pattern = a.get("containers").unwrap_or("*").to_string();
    let resources = a.positional.clone();
    set_on_deployments(sim, a, resources, (record, note), "resources", &mut |d| {
        let mut found = false;
        for c in d.spec.template.spec.containers.iter_mut() {
            if !super::set_env::select_string(&c.name, &pattern) {
                continue;
            }
            found = true;
            let r = c.resources.get_or_insert_with(Default::default);
            r.limits.extend(limits.clone());
            r.requests.extend(requests.clone());
        }
        if found {
            Ok(())
        } else {
            Err(format!("error: unable to find container named {pattern}\n"))
        }
    })
}

/// `cpu=200m,memory=512Mi` as kubectl's `populateResourceListV1` reads it.
fn resource_list(
    spec: &str,
) -> Result<std::collections::BTreeMap<String, crate::api::meta::Quantity>, String> {
    let mut out = std::collections::BTreeMap::new();
    if spec.is_empty() {
        return Ok(out);
    }
    for statement in spec.split(',') {
        let parts: Vec<&str> = statement.split('=').collect();
        let [name, value] = parts[..] else {
            return Err(format!(
                "Invalid argument syntax {statement}, expected <resource>=<value>"
            ));
        };
        if let Some(e) = crate::api::schema::quantity_error(value) {
            return Err(e.to_string());
        }
        out.insert(
            name.to_string(),
            crate::api::meta::Quantity(value.to_string()),
        );
    }
    Ok(out)
}

/// What the `set` subcommands share: the objects named, Deployments only, the dry run, the
/// update and kubectl's line for each object that changed. `edit` changes one Deployment, or
/// says why it cannot (reported after the objects, and that object is left alone).
pub(super) fn set_on_deployments(
    sim: &mut Sim,
    a: &Args,
    resources: Vec<String>,
    (record, note): (Option<&str>, Option<&str>),
    what: &str,
    edit: &mut dyn FnMut(&mut Deployment) -> Result<(), String>,
) -> Output {
    let wants_object = match output_format(a) {
        Ok(o) => prints_object(o),
        Err(e) => return e,
    };
    let mut copy = None;
    let sim = acting_on(sim, &mut copy, note.is_some());
    let targets = match named_targets(&Args {
        positional: resources,
        ..Default::default()
    }) {
        Ok(t) if t.is_empty() => {
            return Output::err(
                "error: You must provide one or more resources by argument or filename.\n",
            )
        }
        Ok(t) => t,
        Err(e) => return Output::err(e),
    };
    let ns = a.namespace();
    let mut out = Output::default();
    let mut failed = String::new();
    for (kind, name) in targets {
        if kind != Kind::Deployment {
            out.stderr.push_str(&format!("error: {}/{name} is not simulated by `set {what}`; set the Deployment's {what} instead\n", kind.qualified()));
            out.exit_code = 1;
            continue;
        }
        let Some(mut d) = sim.store.deployments.get(&key(&ns, &name)).cloned() else {
            out.stderr.push_str(&not_found(kind, &name));
            out.exit_code = 1;
            continue;
        };
        if let Err(e) = edit(&mut d) {
            failed.push_str(&e);
            continue;
        }
        if let Some(cmd) = record {
            d.metadata
                .annotations
                .insert(CHANGE_CAUSE.into(), cmd.to_string());
        }
        // A client dry run prints the object as kubectl changed it locally; otherwise kubectl
        // prints what the server returns.
        let local = (wants_object && note == Some(" (dry run)"))
            .then(|| Obj::Deployment(d.clone()).value());
        match apiserver::update_deployment(sim, d) {
            // An unchanged object is an empty patch, which kubectl skips without a word.
            Ok((_, false)) => {}
            Ok((_, true)) => {
                let shown = local.or_else(|| {
                    let stored = super::get::find(sim, Kind::Deployment, &ns, &name);
                    stored.filter(|_| wants_object).map(|o| o.value())
                });
                let operation = match what {
                    "image" => "image updated",
                    "env" => "env updated",
                    _ => "resource requirements updated",
                };
                changed(
                    &mut out.stdout,
                    a,
                    &format!("deployment.apps/{name}"),
                    operation,
                    note,
                    shown,
                )
            }
            // set_resources.go words the server's refusal without the colon the others have,
            // and all wrap its raw message (`Deployment.apps "web" is invalid: …`).
            Err(e) => {
                let separator = if what == "resources" { " " } else { ": " };
                out.stderr.push_str(&format!(
                    "error: failed to patch {what} update to pod template{separator}{}\n",
                    e.server_message("apps")
                ));
                out.exit_code = 1;
            }
        }
    }
    if !failed.is_empty() {
        out.stderr.push_str(&failed);
        out.exit_code = 1;
    }
    out
}

/// The cluster a command acts on: for a dry run, a copy that is thrown away afterwards.
fn acting_on<'a>(sim: &'a mut Sim, copy: &'a mut Option<Sim>, dry: bool) -> &'a mut Sim {
    if dry {
        copy.insert(sim.clone())
    } else {
        sim
    }
}

/// The objects `scale` acts on: named ones, or with a type alone every object of it (`--all`)
/// or those a label selector picks (`-l`).
fn scale_targets(sim: &Sim, a: &Args) -> Result<Vec<(Kind, String)>, String> {
    let sel = select(&a.positional).map_err(|e| format!("{e}\n"))?;
    if sel.items.is_empty() {
        return Err(
            "error: You must provide one or more resources by argument or filename.\n".into(),
        );
    }
    if a.has("selector") && sel.items.iter().any(|(_, names)| !names.is_empty()) {
        return Err("error: name cannot be provided when a selector is specified\n".into());
    }
    let out = expand(sim, a, sel.items)?;
    if out.is_empty() {
        return Err("error: no objects passed to scale\n".into());
    }
    Ok(out)
}

/// Each `TYPE [NAME…]` of a selection as objects: the names given, or with none every object
/// of the type (`--all`) or those the label selector picks (`-l`).
pub(super) fn expand(
    sim: &Sim,
    a: &Args,
    items: Vec<(Kind, Vec<String>)>,
) -> Result<Vec<(Kind, String)>, String> {
    let selector = match a.get("selector").map(parse_label_selector) {
        None => None,
        Some(Ok(s)) => Some(s),
        Some(Err(e)) => return Err(format!("error: {e}\n")),
    };
    let ns = a.namespace();
    let mut out = Vec::new();
    for (kind, names) in items {
        let names = if !names.is_empty() {
            names
        } else if a.bool("all") || selector.is_some() {
            list_names(sim, kind, &ns, selector.as_ref())
        } else {
            return Err("error: resource(s) were provided, but no name was specified\n".into());
        };
        out.extend(names.into_iter().map(|n| (kind, n)));
    }
    Ok(out)
}

/// `-o yaml|json|kyaml`: the command prints the object instead of a line about it.
pub(super) fn prints_object(output: Option<&str>) -> bool {
    matches!(output, Some("yaml" | "json" | "kyaml"))
}

/// `-o`: the formats these commands print; kubectl's refusal of a format it does not have,
/// and a message of ours for the template printers it has and these commands here do not.
pub(super) fn output_format(a: &Args) -> Result<Option<&str>, Output> {
    match a.get("output") {
        Some(o) if !matches!(o, "yaml" | "json" | "kyaml" | "name") => {
            let printer = o.split_once('=').map_or(o, |(p, _)| p);
            Err(Output::err(
                if matches!(
                    printer,
                    "go-template"
                        | "go-template-file"
                        | "jsonpath"
                        | "jsonpath-as-json"
                        | "jsonpath-file"
                        | "template"
                        | "templatefile"
                ) {
                    format!("error: -o {printer} is not simulated for this command; use -o yaml, json, kyaml or name, or kubectl get with -o {printer} afterwards\n")
                } else {
                    format!("error: unable to match a printer suitable for the output format {o:?}, allowed formats are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,kyaml,name,template,templatefile,yaml\n")
                },
            ))
        }
        o => Ok(o),
    }
}

/// Prints an object a command changed: `deployment.apps/web scaled (dry run)`, the name alone
/// with `-o name` (the name printer's short output), or `shown` with `-o yaml|json`, YAML
/// documents after the first behind `---` as kubectl's YAML printer separates them.
pub(super) fn changed(
    stdout: &mut String,
    a: &Args,
    object: &str,
    operation: &str,
    note: Option<&str>,
    shown: Option<Value>,
) {
    match (a.get("output"), shown) {
        (Some("name"), _) => stdout.push_str(&format!("{object}\n")),
        (Some(format @ ("yaml" | "json" | "kyaml")), Some(v)) => {
            if format == "yaml" && !stdout.is_empty() {
                stdout.push_str("---\n");
            }
            stdout.push_str(&super::get::render_as(&v, format));
        }
        _ => stdout.push_str(&format!("{object} {operation}{}\n", note.unwrap_or(""))),
    }
}

/// `kubectl create deployment NAME --image=…`: labels `app=NAME`, one container per image
/// named after the image's last path segment.
fn create_deployment(sim: &mut Sim, a: &Args, note: Option<&str>) -> Output {
    // cobra checks the required --image before the command's own argument check.
    let images = a.all("image");
    if images.is_empty() {
        return Output::err("error: required flag(s) \"image\" not set\n");
    }
    // Words after `--` are the containers' command; the name is what comes before.
    let named = a.dash.unwrap_or(a.positional.len());
    if named != 1 {
        return Output::err(format!("error: exactly one NAME is required, got {named}\nSee 'kubectl create deployment -h' for help and examples\n"));
    }
    let name = a.positional[0].clone();
    let command = &a.positional[1..];
    if images.len() > 1 && !command.is_empty() {
        return Output::err("error: cannot specify multiple --image options and command\n");
    }
    let replicas = match a.int("replicas", 32) {
        None => 1,
        Some(Ok(r)) => r,
        Some(Err(e)) => return super::flag_error("create deployment", &e),
    };
    let port = match a.get("port").map(str::parse::<i64>) {
        None => None,
        Some(Ok(p)) => Some(p),
        Some(Err(_)) => return Output::err("error: invalid argument for \"--port\" flag\n"),
    };
    let labels: Labels = [("app".to_string(), name.clone())].into_iter().collect();
    let mut d = Deployment {
        api_version: "apps/v1".into(),
        kind: "Deployment".into(),
        metadata: ObjectMeta {
            name: name.clone(),
            namespace: Some(a.namespace()),
            labels: labels.clone(),
            ..Default::default()
        },
        ..Default::default()
    };
    d.spec.replicas = Some(replicas);
    d.spec.selector = Some(LabelSelector {
        match_labels: labels.clone(),
        match_expressions: Vec::new(),
    });
    d.spec.template.metadata.labels = labels;
    d.spec.template.spec.containers = images
        .iter()
        .map(|img| Container {
            name: container_name(img),
            image: Some(img.to_string()),
            ports: port
                .map(|p| {
                    vec![ContainerPort {
                        container_port: p,
                        ..Default::default()
                    }]
                })
                .unwrap_or_default(),
            extra: if command.is_empty() {
                Default::default()
            } else {
                let words = command.iter().map(|w| Value::String(w.clone()));
                [("command".to_string(), Value::Sequence(words.collect()))].into()
            },
            ..Default::default()
        })
        .collect();
    let output = match output_format(a) {
        Ok(o) => o,
        Err(e) => return e,
    };
    let printed = |object: Option<Value>, note: &str| match (output, object) {
        (Some("name"), _) => format!("deployment.apps/{name}\n"),
        (Some(format), Some(v)) => super::get::render_as(&v, format),
        _ => format!("deployment.apps/{name} created{note}\n"),
    };
    // Built here, the object keeps Go's field order in JSON; from the server it is sorted.
    let built = |object: Value| match output {
        Some("json") => crate::api::json::to_json_pretty_in_order(&object),
        Some("kyaml") => crate::api::kyaml::to_kyaml_in_order(&object),
        _ => printed(Some(object), " (dry run)"),
    };
    // A client dry run prints the object it would send, without asking the server; a server
    // dry run is checked like a real create (on a copy).
    if note == Some(" (dry run)") {
        return Output::ok(built(client_object(&d, a.get("namespace").is_some())));
    }
    let mut copy = None;
    let sim = acting_on(sim, &mut copy, note.is_some());
    let ns = a.namespace();
    match apiserver::create_deployment(sim, d) {
        Ok(_) => {
            let stored = super::get::find(sim, Kind::Deployment, &ns, &name).map(|o| o.value());
            Output::ok(printed(stored, note.unwrap_or("")))
        }
        Err(ApiError::AlreadyExists(_)) => Output::err(format!(
            "error: failed to create deployment: deployments.apps {name:?} already exists\n"
        )),
        // `create deployment` wraps the server's error in its own words.
        Err(ApiError::Invalid { message, .. }) => Output::err(format!(
            "error: failed to create deployment: {}\n",
            crate::api::validation::status_error_text(&message, "apps")
        )),
        Err(e) => Output::err(format!("{}\n", e.kubectl_text())),
    }
}

/// The Deployment `create deployment` builds before sending it, as `-o yaml|json` prints it
/// in a client dry run: only what the command set, with the empty `strategy`, `resources` and
/// `status` Go always writes, fields in Go's order; the namespace only when `-n` gave it.
fn client_object(d: &Deployment, explicit_namespace: bool) -> Value {
    use super::generate::{labels_value as labels, map, text};
    let empty = || map(Vec::new());
    let mut meta = vec![("name", text(&d.metadata.name))];
    if explicit_namespace {
        meta.push(("namespace", text(d.metadata.ns())));
    }
    meta.push(("labels", labels(&d.metadata.labels)));
    let containers = d.spec.template.spec.containers.iter().map(|c| {
        let mut fields = vec![
            ("name", text(&c.name)),
            ("image", text(c.image.as_deref().unwrap_or(""))),
        ];
        if let Some(command) = c.extra.get("command") {
            fields.push(("command", command.clone()));
        }
        if !c.ports.is_empty() {
            let ports = c.ports.iter().map(|p| {
                map(vec![(
                    "containerPort",
                    Value::Number(p.container_port.into()),
                )])
            });
            fields.push(("ports", Value::Sequence(ports.collect())));
        }
        fields.push(("resources", empty()));
        map(fields)
    });
    let selector = d.spec.selector.as_ref().map(|s| &s.match_labels);
    map(vec![
        ("kind", text("Deployment")),
        ("apiVersion", text("apps/v1")),
        ("metadata", map(meta)),
        (
            "spec",
            map(vec![
                ("replicas", Value::Number(d.replicas().into())),
                (
                    "selector",
                    map(vec![(
                        "matchLabels",
                        labels(selector.unwrap_or(&d.metadata.labels)),
                    )]),
                ),
                (
                    "template",
                    map(vec![
                        (
                            "metadata",
                            map(vec![("labels", labels(&d.spec.template.metadata.labels))]),
                        ),
                        (
                            "spec",
                            map(vec![("containers", Value::Sequence(containers.collect()))]),
                        ),
                    ]),
                ),
                ("strategy", empty()),
            ]),
        ),
        ("status", empty()),
    ])
}

/// `nginx:1.25` → `nginx`; `registry.k8s.io/e2e-test-images/agnhost:2.39` → `agnhost`.
pub fn container_name(image: &str) -> String {
    let last = image.rsplit('/').next().unwrap_or(image);
    let last = last.split('@').next().unwrap_or(last);
    last.split(':').next().unwrap_or(last).to_string()
}

fn delete(sim: &mut Sim, a: &Args, note: Option<&str>) -> Output {
    let ns = a.namespace();
    // -1, the flag's default, leaves the grace period to the object.
    let mut grace = match a.get("grace-period").map(str::parse::<i64>) {
        None => -1,
        Some(Ok(g)) => g,
        Some(Err(_)) => {
            return Output::err("error: invalid argument for \"--grace-period\" flag\n")
        }
    };
    let force = a.bool("force");
    // delete.go `Complete`: --now is a grace period of 1; --grace-period=0 becomes 1 unless
    // --force is given, and --force alone becomes 0.
    if a.bool("now") {
        if grace != -1 {
            return Output::err("error: --now and --grace-period cannot be specified together\n");
        }
        grace = 1;
    }
    if grace == 0 && !force {
        grace = 1;
    }
    if force && grace < 0 {
        grace = 0;
    }
    // `Validate`.
    if let Some(o) = a.get("output").filter(|o| *o != "name") {
        return Output::err(format!(
            "error: unexpected -o output mode: {o}. We only support '-o name'\n"
        ));
    }
    if a.bool("all") && a.get("selector").is_some_and(|s| !s.is_empty()) {
        return Output::err("error: cannot set --all and --selector at the same time\n");
    }
    if force && grace > 0 {
        return Output::err(
            "error: --force and --grace-period greater than 0 cannot be specified together\n",
        );
    }
    let grace = (grace >= 0).then_some(grace);
    let propagation = match a.get("cascade").unwrap_or("background") {
        "background" | "true" => Propagation::Background,
        "foreground" => Propagation::Foreground,
        "orphan" | "false" => Propagation::Orphan,
        other => return Output::err(format!("error: invalid cascade value ({other}). Must be \"background\", \"foreground\", or \"orphan\"\n")),
    };
    let targets: Vec<(Kind, String, String)> = if let Some(file) = a.get("filename") {
        if !a.positional.is_empty() {
            return Output::err("error: when paths, URLs, or stdin is provided as input, you may not specify resource arguments as well\n");
        }
        let objects = match super::apply::file_objects(sim, file) {
            Ok(objects) => objects,
            Err(e) => return Output::err(e),
        };
        // An explicit -n must agree with the namespace the file gives.
        let explicit = a.get("namespace");
        if let Some(given) = objects
            .iter()
            .filter_map(|(_, obj_ns, _)| obj_ns.as_deref())
            .find(|o| explicit.is_some_and(|n| n != *o))
        {
            return Output::err(format!(
                "error: the namespace from the provided object {given:?} does not match the namespace {:?}. You must pass '--namespace={given}' to perform this operation.\n",
                ns
            ));
        }
        objects
            .into_iter()
            .map(|(kind, obj_ns, name)| (kind, obj_ns.unwrap_or_else(|| ns.clone()), name))
            .collect()
    } else {
        let sel = match select(&a.positional) {
            Ok(s) => s,
            Err(e) => return Output::err(format!("{e}\n")),
        };
        if sel.items.is_empty() {
            return Output::err(NO_RESOURCES);
        }
        match expand(sim, a, sel.items) {
            Ok(t) => t.into_iter().map(|(k, n)| (k, ns.clone(), n)).collect(),
            Err(e) => return Output::err(e),
        }
    };
    let mut out = Output::default();
    let dry = note.is_some();
    if force && grace == Some(0) {
        out.stderr.push_str("Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\n");
    }
    let any = !targets.is_empty();
    for (kind, ns, name) in targets {
        if a.bool("ignore-not-found") && exists(sim, kind, &ns, &name).is_err() {
            continue;
        }
        let res = if dry {
            exists(sim, kind, &ns, &name)
        } else {
            delete_one(sim, kind, &ns, &name, grace, propagation)
        };
        match res {
            Ok(()) => {
                let scope = if kind.namespaced() {
                    format!(" from {ns} namespace")
                } else {
                    String::new()
                };
                let verb = if force && grace == Some(0) {
                    "force deleted"
                } else {
                    "deleted"
                };
                // -o name prints resource/name (delete.go PrintObj).
                let line = if a.get("output") == Some("name") {
                    format!("{}/{name}\n", kind.qualified())
                } else {
                    format!(
                        "{} {name:?} {verb}{scope}{}\n",
                        kind.qualified(),
                        note.unwrap_or("")
                    )
                };
                out.stdout.push_str(&line);
            }
            Err(e) => {
                // The resource builder names the file an object came from.
                let e = match (a.get("filename"), e.split_once("): ")) {
                    (Some(file), Some((head, rest))) if head.starts_with("Error from server") => {
                        format!("{head}): error when deleting {file:?}: {rest}")
                    }
                    _ => e,
                };
                out.stderr.push_str(&e);
                out.exit_code = 1;
            }
        }
    }
    if !any {
        out.stdout.push_str("No resources found\n");
    }
    out
}

/// The names of the objects of `kind` in `ns` that `sel` picks (all without one).
pub(super) fn list_names(
    sim: &Sim,
    kind: Kind,
    ns: &str,
    sel: Option<&LabelSelector>,
) -> Vec<String> {
    let st = &sim.store;
    let metas: Box<dyn Iterator<Item = &ObjectMeta>> = match kind {
        Kind::Pod => Box::new(st.pods_in(ns).map(|o| &o.metadata)),
        Kind::Deployment => Box::new(st.deployments.values().map(|o| &o.metadata)),
        Kind::ReplicaSet => Box::new(st.replicasets_in(ns).map(|o| &o.metadata)),
        Kind::Service => Box::new(st.services.values().map(|o| &o.metadata)),
        Kind::Node => Box::new(st.nodes.values().map(|o| &o.metadata)),
        Kind::Endpoints => Box::new(st.endpoints.values().map(|o| &o.metadata)),
        Kind::EndpointSlice => Box::new(st.endpoint_slices.values().map(|o| &o.metadata)),
        Kind::Namespace => Box::new(st.namespaces.values().map(|o| &o.metadata)),
        Kind::ResourceQuota => Box::new(st.quotas.values().map(|o| &o.metadata)),
        // Events are written by the simulation only; commands do not change them.
        Kind::Event => return Vec::new(),
    };
    metas
        .filter(|m| !kind.namespaced() || m.ns() == ns)
        .filter(|m| sel.is_none_or(|s| s.matches(&m.labels)))
        .map(|m| m.name.clone())
        .collect()
}

/// `Ok` if the object is there, else kubectl's NotFound line.
pub(super) fn exists(sim: &Sim, kind: Kind, ns: &str, name: &str) -> Result<(), String> {
    let k = key(ns, name);
    let found = match kind {
        Kind::Pod => sim.store.pods.contains_key(&k),
        Kind::Deployment => sim.store.deployments.contains_key(&k),
        Kind::ReplicaSet => sim.store.replicasets.contains_key(&k),
        Kind::Service => sim.store.services.contains_key(&k),
        Kind::Node => sim.store.nodes.contains_key(name),
        Kind::Namespace => sim.store.namespaces.contains_key(name),
        Kind::ResourceQuota => sim.store.quotas.contains_key(&k),
        Kind::Endpoints => sim.store.endpoints.contains_key(&k),
        Kind::EndpointSlice => sim.store.endpoint_slices.contains_key(&k),
        _ => false,
    };
    if found {
        Ok(())
    } else {
        Err(not_found(kind, name))
    }
}

fn delete_one(
    sim: &mut Sim,
    kind: Kind,
    ns: &str,
    name: &str,
    grace: Option<i64>,
    p: Propagation,
) -> Result<(), String> {
    exists(sim, kind, ns, name)?;
    let k = key(ns, name);
    match kind {
        Kind::Pod => apiserver::delete_pod(sim, ns, name, grace)
            .map_err(|e| format!("{}\n", e.kubectl_text())),
        Kind::Deployment => apiserver::delete_deployment(sim, ns, name, p)
            .map_err(|e| format!("{}\n", e.kubectl_text())),
        Kind::ReplicaSet => {
            apiserver::delete_replicaset(sim, ns, name, p);
            Ok(())
        }
        Kind::Service => {
            apiserver::delete_service(sim, ns, name);
            Ok(())
        }
        Kind::ResourceQuota => {
            sim.store.quotas.remove(&k);
            sim.wrote();
            Ok(())
        }
        // The controllers write them again at once while their Service exists.
        Kind::Endpoints => {
            apiserver::delete_endpoints(sim, &k);
            Ok(())
        }
        Kind::EndpointSlice => {
            apiserver::delete_endpoint_slice(sim, &k);
            Ok(())
        }
        Kind::Node => {
            apiserver::delete_node(sim, name);
            Ok(())
        }
        Kind::Namespace => {
            apiserver::delete_namespace(sim, name).map_err(|e| format!("{}\n", e.kubectl_text()))
        }
        _ => Err(format!(
            "error: deleting {} is not simulated\n",
            kind.group_resource()
        )),
    }
}

/// `kubectl annotate` / `kubectl label`: `key=value` sets, `key-` removes; an existing key
/// needs `--overwrite`.
fn annotate_or_label(sim: &mut Sim, a: &Args, labels: bool) -> Output {
    let verb = if labels { "label" } else { "annotation" };
    // `GetResourcesAndPairs`: `k=v` and `k-` are changes, and every resource comes first.
    let change =
        |p: &str| (p.contains('=') && !p.starts_with('=')) || (p.ends_with('-') && p != "-");
    let first_change = a.positional.iter().position(|p| change(p));
    let (targets, updates) = a
        .positional
        .split_at(first_change.unwrap_or(a.positional.len()));
    if let Some(late) = updates.iter().find(|p| !change(p)) {
        let kind = if labels { "label" } else { "annotation" };
        return Output::err(format!(
            "error: all resources must be specified before {kind} changes: {late}\n"
        ));
    }
    let (targets, updates) = (targets.to_vec(), updates.to_vec());
    let list = a.bool("list");
    if updates.is_empty() && !list {
        return Output::err(format!("error: at least one {verb} update is required\n"));
    }
    if let Err(e) = check_updates(&updates, labels) {
        return Output::err(format!("error: {e}\n"));
    }
    if a.bool("all") && a.get("selector").is_some_and(|s| !s.is_empty()) {
        return Output::err("error: cannot set --all and --selector at the same time\n");
    }
    let items = match select(&targets) {
        Ok(sel) if sel.items.is_empty() => return Output::err("error: one or more resources must be specified as <resource> <name> or <resource>/<name>\n"),
        Ok(sel) => sel.items,
        Err(e) => return Output::err(format!("{e}\n")),
    };
    // TYPE NAME…, or with a type alone every object of it (--all) or those -l picks.
    let targets = match expand(sim, a, items) {
        Ok(t) => t,
        Err(e) => return Output::err(e),
    };
    if list {
        return list_metadata(sim, a, &targets, labels);
    }
    let ns = a.namespace();
    let overwrite = a.bool("overwrite");
    let mut out = Output::default();
    for (kind, name) in targets {
        let mut maps = None;
        let res = with_meta(sim, kind, &ns, &name, |meta| {
            let map = if labels {
                &mut meta.labels
            } else {
                &mut meta.annotations
            };
            let before = map.clone();
            let changed = apply_updates(map, &updates, overwrite, labels)?;
            // The API server validates the object it is sent (kubectl checks values only).
            let errs = crate::api::validation::validate_label_map(map, labels);
            crate::apiserver::invalid_if_any(kind.name(), &name, errs)
                .map_err(|e| format!("{}\n", e.kubectl_text()))?;
            maps = Some((before, map.clone()));
            Ok(changed)
        });
        let Some((before, after)) = maps.filter(|_| res.is_ok()) else {
            if let Err(e) = res {
                out.stderr.push_str(&e);
                out.exit_code = 1;
            }
            continue;
        };
        let object = format!("{}/{name}", kind.qualified());
        let shown = prints_object(a.get("output"))
            .then(|| super::get::find(sim, kind, &ns, &name).map(|o| o.value()))
            .flatten();
        if !labels {
            // annotate's printer has one operation, whatever changed.
            changed(&mut out.stdout, a, &object, "annotated", None, shown);
            continue;
        }
        for u in &updates {
            if let Some(k) = u.strip_suffix('-').filter(|_| !u.contains('=')) {
                if !before.contains_key(k) {
                    out.stdout.push_str(&format!("label {k:?} not found.\n"));
                }
            }
        }
        changed(
            &mut out.stdout,
            a,
            &object,
            label_change(&before, &after),
            None,
            shown,
        );
    }
    out
}

/// `label --list` / `annotate --list`: each object's labels or annotations, `key=value` a
/// line, under a heading when there are several objects.
fn list_metadata(sim: &Sim, a: &Args, targets: &[(Kind, String)], labels: bool) -> Output {
    let ns = a.namespace();
    let mut out = Output::default();
    for (kind, name) in targets {
        let Some(obj) = super::get::find(sim, *kind, &ns, name) else {
            out.stderr.push_str(&not_found(*kind, name));
            out.exit_code = 1;
            continue;
        };
        let meta = obj.meta();
        let map = if labels {
            &meta.labels
        } else {
            &meta.annotations
        };
        let indent = if targets.len() > 1 {
            let what = if labels { "labels" } else { "annotations" };
            let group = kind.api_version().split_once('/').map_or("", |(g, _)| g);
            out.stdout.push_str(&format!(
                "Listing {what} for {}.{group}/{name}:\n",
                kind.name()
            ));
            " "
        } else {
            ""
        };
        for (k, v) in map {
            out.stdout.push_str(&format!("{indent}{k}={v}\n"));
        }
    }
    out
}

/// `updateDataChangeMsg`: what `label` did to an object's labels.
fn label_change(before: &Labels, after: &Labels) -> &'static str {
    let removed = before.keys().any(|k| !after.contains_key(k));
    let set = after.iter().any(|(k, v)| before.get(k) != Some(v));
    match (set, removed) {
        (true, true) => "label(s) changed",
        (true, false) => "labeled",
        (false, true) => "unlabeled",
        (false, false) => "not labeled",
    }
}

/// The checks `label`'s `parseLabels` and `annotate`'s `parseAnnotations` make before
/// anything is fetched.
fn check_updates(updates: &[String], labels: bool) -> Result<(), String> {
    let mut set = Vec::new();
    let mut removed = Vec::new();
    for u in updates {
        // annotate's ParsePairs wants a key before `=`; label sends `=v` to the server.
        if !labels && u.starts_with('=') {
            return Err(format!("invalid annotation format: {u}"));
        }
        match u.split_once('=') {
            Some((k, v)) => {
                if labels && v.contains('=') {
                    return Err(format!("invalid label spec: {u}"));
                }
                let errs = crate::api::validation::is_valid_label_value(v);
                if labels && !errs.is_empty() {
                    return Err(format!("invalid label value: {u:?}: {}", errs.join(";")));
                }
                set.push(k);
            }
            None => removed.push(u.trim_end_matches('-')),
        }
    }
    let both: Vec<&str> = removed.into_iter().filter(|k| set.contains(k)).collect();
    match both.as_slice() {
        [] => Ok(()),
        _ if labels => Err("can not both modify and remove a label in the same command".into()),
        keys => Err(format!(
            "can not both modify and remove the following annotation(s) in the same command: {}",
            keys.join(", ")
        )),
    }
}

fn apply_updates(
    map: &mut Labels,
    updates: &[String],
    overwrite: bool,
    labels: bool,
) -> Result<bool, String> {
    let before = map.clone();
    let mut conflicts = Vec::new();
    for u in updates {
        if let Some(k) = u.strip_suffix('-').filter(|_| !u.contains('=')) {
            map.remove(k);
            continue;
        }
        let (k, v) = u.split_once('=').unwrap_or((u.as_str(), ""));
        if let Some(old) = before.get(k) {
            if old != v && !overwrite {
                conflicts.push((k.to_string(), old.clone()));
                continue;
            }
        }
        map.insert(k.to_string(), v.to_string());
    }
    if let Some((k, old)) = conflicts.first() {
        *map = before;
        return Err(if labels {
            format!("error: '{k}' already has a value ({old}), and --overwrite is false\n")
        } else {
            format!("error: --overwrite is false but found the following declared annotation(s): '{k}' already has a value ({old})\n")
        });
    }
    Ok(*map != before)
}

/// Edits the metadata of any simulated object and writes it back through the API rules.
fn with_meta(
    sim: &mut Sim,
    kind: Kind,
    ns: &str,
    name: &str,
    f: impl FnOnce(&mut ObjectMeta) -> Result<bool, String>,
) -> Result<bool, String> {
    let k = key(ns, name);
    let nf = || not_found(kind, name);
    match kind {
        Kind::Deployment => {
            let mut d = sim.store.deployments.get(&k).cloned().ok_or_else(nf)?;
            let changed = f(&mut d.metadata)?;
            if changed {
                apiserver::update_deployment(sim, d)
                    .map_err(|e| format!("{}\n", e.kubectl_text()))?;
            }
            Ok(changed)
        }
        Kind::ReplicaSet => {
            let mut rs = sim.store.replicasets.get(&k).cloned().ok_or_else(nf)?;
            let changed = f(&mut rs.metadata)?;
            if changed {
                apiserver::update_replicaset(sim, rs);
            }
            Ok(changed)
        }
        Kind::Pod => {
            let mut p: Pod = sim.store.pods.get(&k).cloned().ok_or_else(nf)?;
            let changed = f(&mut p.metadata)?;
            if changed {
                apiserver::update_pod(sim, p);
            }
            Ok(changed)
        }
        Kind::Node => {
            let mut n = sim.store.nodes.get(name).cloned().ok_or_else(nf)?;
            let changed = f(&mut n.metadata)?;
            if changed {
                apiserver::update_node(sim, n);
            }
            Ok(changed)
        }
        Kind::Namespace => {
            let mut n = sim.store.namespaces.get(name).cloned().ok_or_else(nf)?;
            let changed = f(&mut n.metadata)?;
            if changed {
                sim.store.namespaces.insert(name.to_string(), n);
                sim.wrote();
            }
            Ok(changed)
        }
        Kind::Service => {
            let mut s = sim.store.services.get(&k).cloned().ok_or_else(nf)?;
            let changed = f(&mut s.metadata)?;
            if changed {
                sim.store.services.insert(k, s);
                sim.wrote();
            }
            Ok(changed)
        }
        _ => Err(format!(
            "error: {} cannot be edited in this simulator\n",
            kind.group_resource()
        )),
    }
}

fn cordon(sim: &mut Sim, a: &Args, on: bool) -> Output {
    let verb = if on { "cordon" } else { "uncordon" };
    if a.positional.is_empty() {
        return Output::err(format!(
            "error: USAGE: {verb} NODE [flags]\nSee 'kubectl {verb} -h' for help and examples\n"
        ));
    }
    let mut out = Output::default();
    for name in &a.positional {
        let name = name
            .strip_prefix("node/")
            .or_else(|| name.strip_prefix("nodes/"))
            .unwrap_or(name);
        out = merge(out, set_unschedulable(sim, name, on));
    }
    out
}

fn merge(mut a: Output, b: Output) -> Output {
    a.stdout.push_str(&b.stdout);
    a.stderr.push_str(&b.stderr);
    a.exit_code = a.exit_code.max(b.exit_code);
    a
}

fn set_unschedulable(sim: &mut Sim, name: &str, on: bool) -> Output {
    let Some(mut n) = sim.store.nodes.get(name).cloned() else {
        return Output::err(not_found(Kind::Node, name));
    };
    let past = if on { "cordoned" } else { "uncordoned" };
    if n.spec.unschedulable == on {
        return Output::ok(format!("node/{name} already {past}\n"));
    }
    n.spec.unschedulable = on;
    apiserver::update_node(sim, n);
    Output::ok(format!("node/{name} {past}\n"))
}

/// `kubectl drain`; in a dry run on a copy of the cluster, every line marked.
fn drain(sim: &mut Sim, a: &Args, note: Option<&str>) -> Output {
    let mut copy = None;
    let sim = acting_on(sim, &mut copy, note.is_some());
    let mut out = drain_node(sim, a, note.is_some());
    if let Some(note) = note {
        let lines_before = out.stdout[..out.lead].lines().count();
        out.stdout = noted(&out.stdout, note);
        out.lead = out
            .stdout
            .split_inclusive('\n')
            .take(lines_before)
            .map(str::len)
            .sum();
    }
    out
}

/// Every line of a dry run's output, marked with its note.
fn noted(stdout: &str, note: &str) -> String {
    stdout.lines().map(|l| format!("{l}{note}\n")).collect()
}

/// Cordons the node, then evicts every pod on it through the Eviction API (graceful
/// deletion); pods without a controller need `--force`. A dry run names the pods only: the
/// client one stops before evicting (`deleteOrEvictPodsSimple`), the server one before
/// waiting for the pods to go (`evictPods`).
fn drain_node(sim: &mut Sim, a: &Args, dry_run: bool) -> Output {
    let [name] = a.positional.as_slice() else {
        return Output::err(
            "error: USAGE: drain NODE [flags]\nSee 'kubectl drain -h' for help and examples\n",
        );
    };
    let name = name.strip_prefix("node/").unwrap_or(name).to_string();
    let mut out = set_unschedulable(sim, &name, true);
    if !out.success() {
        return out;
    }
    let pods: Vec<Pod> = sim
        .store
        .pods
        .values()
        .filter(|p| {
            p.spec.node_name.as_deref() == Some(name.as_str()) && !p.metadata.is_terminating()
        })
        .cloned()
        .collect();
    let unmanaged: Vec<String> = pods
        .iter()
        .filter(|p| p.metadata.controller_ref().is_none())
        .map(|p| format!("{}/{}", p.metadata.ns(), p.metadata.name))
        .collect();
    let force = a.bool("force");
    if !unmanaged.is_empty() && !force {
        let cause = format!("cannot delete cannot delete Pods that declare no controller (use --force to override): {}", unmanaged.join(", "));
        out.stderr.push_str(&format!(
            "error: unable to drain node {name:?} due to error: {cause}, continuing command...\nThere are pending nodes to be drained:\n {name}\n{cause}\n"
        ));
        out.exit_code = 1;
        return out;
    }
    if !unmanaged.is_empty() {
        // drain.go warns once the node is cordoned, so the warning follows that line.
        out.lead = out.stdout.len();
        out.stderr.push_str(&format!(
            "Warning: deleting Pods that declare no controller: {}\n",
            unmanaged.join(", ")
        ));
    }
    for p in &pods {
        out.stdout.push_str(&format!(
            "evicting pod {}/{}\n",
            p.metadata.ns(),
            p.metadata.name
        ));
    }
    for p in pods.iter().filter(|_| !dry_run) {
        let ns = p.metadata.ns().to_string();
        if apiserver::delete_pod(sim, &ns, &p.metadata.name, None).is_ok() {
            out.stdout
                .push_str(&format!("pod/{} evicted\n", p.metadata.name));
        }
    }
    out.stdout.push_str(&format!("node/{name} drained\n"));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn container_names_come_from_the_image() {
        assert_eq!(container_name("nginx:1.25"), "nginx");
        assert_eq!(
            container_name("registry.k8s.io/e2e-test-images/agnhost:2.39"),
            "agnhost"
        );
        assert_eq!(container_name("busybox@sha256:abc"), "busybox");
    }

    #[test]
    fn label_updates_need_overwrite_for_existing_keys() {
        let mut m: Labels = [("app".to_string(), "web".to_string())]
            .into_iter()
            .collect();
        let e = apply_updates(&mut m, &["app=other".into()], false, true).unwrap_err();
        assert_eq!(
            e,
            "error: 'app' already has a value (web), and --overwrite is false\n"
        );
        assert_eq!(
            apply_updates(&mut m, &["tier=front".into()], false, true),
            Ok(true)
        );
        assert_eq!(
            apply_updates(&mut m, &["tier=front".into()], true, true),
            Ok(false)
        );
        assert_eq!(
            apply_updates(&mut m, &["tier-".into()], false, true),
            Ok(true)
        );
        assert!(!m.contains_key("tier"));
    }
}
