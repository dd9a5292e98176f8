//! Tab completion for the console: the candidates for the last (possibly empty) word of a
//! line, as full replacement words. Knows the simulated verbs and their subcommands, resource
//! types per verb, object names from the store (honouring `-n`/`-A`), flags per command and
//! flag values (`-o`, `-n`, `--image=`, `--to-revision=`, `-f` …), `CONTAINER=IMAGE` for
//! `set image`, `kubectl explain` field paths, and the `kubesim` simulator actions.

use super::resources::Kind;
use crate::sim::Sim;
use crate::store::key;

const ROLLOUT: &[&str] = &["history", "pause", "restart", "resume", "status", "undo"];

/// Flags whose value may follow as the next word (`-n shop`, `--replicas 3`).
const VALUE_FLAGS: &[&str] = &[
    "namespace",
    "output",
    "selector",
    "filename",
    "replicas",
    "current-replicas",
    "image",
    "port",
    "revision",
    "to-revision",
    "timeout",
    "grace-period",
    "cascade",
    "dry-run",
    "api-version",
    "context",
    "kubeconfig",
    "request-timeout",
    "for",
    "template",
    "containers",
    "container",
    "env",
    "limits",
    "requests",
];

/// Completion candidates for the last word of `line`, sorted and deduplicated; empty when
/// nothing fits.
pub fn candidates(sim: &Sim, line: &str) -> Vec<String> {
    let mut words: Vec<&str> = line.split_whitespace().collect();
    let current = if line.is_empty() || line.ends_with(char::is_whitespace) {
        ""
    } else {
        words.pop().unwrap_or("")
    };
    let mut out: Vec<String> = line_candidates(sim, &words, current)
        .into_iter()
        .filter(|c| c.starts_with(current))
        .collect();
    crate::order::sort(&mut out);
    out.dedup();
    out
}

/// The longest prefix all candidates share (what a Tab press can fill in at once).
pub fn common_prefix(c: &[String]) -> String {
    let Some(first) = c.first() else {
        return String::new();
    };
    let mut end = first.len();
    for s in &c[1..] {
        let shared = first
            .char_indices()
            .zip(s.chars())
            .take_while(|((_, a), b)| a == b)
            .last()
            .map_or(0, |((i, a), _)| i + a.len_utf8());
        end = end.min(shared);
    }
    first[..end].to_string()
}

fn line_candidates(sim: &Sim, words: &[&str], current: &str) -> Vec<String> {
    let Some((first, rest)) = words.split_first() else {
        let mut v = strings(super::SUPPORTED);
        v.extend(["kubectl".to_string(), "kubesim".to_string()]);
        return v;
    };
    match *first {
        "kubectl" | "k" => kubectl(sim, rest, current),
        "kubesim" => kubesim(sim, rest),
        verb if super::SUPPORTED.contains(&verb) => kubectl(sim, words, current),
        _ => Vec::new(),
    }
}

fn kubectl(sim: &Sim, words: &[&str], current: &str) -> Vec<String> {
    let Some((verb, args)) = words.split_first() else {
        return strings(super::SUPPORTED);
    };
    let with_sub = |subs: &[&str], pre_sub_flags: &[&str]| -> Vec<String> {
        match args.split_first() {
            None if current.starts_with('-') => strings(pre_sub_flags),
            None => strings(subs),
            Some((&"deploy", rest)) if *verb == "create" => {
                command(sim, "create deployment", rest, current)
            }
            Some((sub, rest)) if subs.contains(sub) => {
                command(sim, &format!("{verb} {sub}"), rest, current)
            }
            Some(_) => command(sim, verb, args, current),
        }
    };
    match *verb {
        "rollout" => with_sub(ROLLOUT, &[]),
        "set" => with_sub(&["env", "image", "resources"], &[]),
        "create" if args.len() == 1 && matches!(args[0], "service" | "svc") => {
            strings(SERVICE_TYPES)
        }
        "create" if args.len() > 1 && matches!(args[0], "service" | "svc") => command(
            sim,
            &format!("create service {}", args[1]),
            &args[2..],
            current,
        ),
        "create" => with_sub(
            &["deployment", "namespace", "service"],
            &["-f", "--filename="],
        ),
        "help" => help_topics(args),
        v if super::SUPPORTED.contains(&v) => command(sim, v, args, current),
        _ => Vec::new(),
    }
}

/// `kubectl create service`'s subcommands.
const SERVICE_TYPES: &[&str] = &["clusterip", "externalname", "loadbalancer", "nodeport"];

fn help_topics(args: &[&str]) -> Vec<String> {
    match args {
        [] => strings(super::SUPPORTED),
        ["rollout"] => strings(ROLLOUT),
        ["set"] => strings(&["env", "image", "resources"]),
        ["create"] => strings(&["deployment", "namespace", "service"]),
        ["create", "service"] => strings(SERVICE_TYPES),
        _ => Vec::new(),
    }
}

/// What the words after the verb (and subcommand) say so far.
#[derive(Default)]
struct Ctx<'a> {
    positionals: Vec<&'a str>,
    namespace: Option<&'a str>,
    all_namespaces: bool,
    /// A value flag at the end of the line still waiting for its value (long name).
    pending: Option<&'static str>,
}

fn parse<'a>(args: &[&'a str]) -> Ctx<'a> {
    let mut ctx = Ctx::default();
    let mut i = 0;
    while i < args.len() {
        let w = args[i];
        i += 1;
        if w == "--" {
            ctx.positionals.extend(args[i..].iter().copied());
            break;
        }
        let (name, inline) = match w.strip_prefix("--") {
            Some(body) => match body.split_once('=') {
                Some((n, v)) => (long_name(n), Some(v)),
                None => (long_name(body), None),
            },
            None if w.len() > 1 && w.starts_with('-') => {
                let mut chars = w[1..].chars();
                let c = chars.next().unwrap_or('-');
                let rest = chars.as_str();
                if c == 'A' {
                    ctx.all_namespaces = true;
                }
                let v = rest.strip_prefix('=').unwrap_or(rest);
                (short_name(c), (!v.is_empty()).then_some(v))
            }
            None => {
                ctx.positionals.push(w);
                continue;
            }
        };
        if name == Some("all-namespaces") {
            ctx.all_namespaces = true;
        }
        let Some(name) = name.filter(|n| VALUE_FLAGS.contains(n)) else {
            continue;
        };
        let value = match inline {
            Some(v) => Some(v),
            None if i < args.len() => {
                i += 1;
                Some(args[i - 1])
            }
            None => {
                ctx.pending = Some(name);
                None
            }
        };
        if name == "namespace" {
            ctx.namespace = value.or(ctx.namespace);
        }
    }
    ctx
}

fn long_name(name: &str) -> Option<&'static str> {
    VALUE_FLAGS
        .iter()
        .chain(&["all-namespaces"])
        .find(|f| **f == name)
        .copied()
}

fn short_name(c: char) -> Option<&'static str> {
    match c {
        'n' => Some("namespace"),
        'o' => Some("output"),
        'l' => Some("selector"),
        'f' => Some("filename"),
        'c' => Some("container"),
        _ => None,
    }
}

fn flags(cmd: &str) -> &'static [&'static str] {
    match cmd {
        "get" => &[
            "-A",
            "--all-namespaces",
            "-l",
            "--selector=",
            "-n",
            "--namespace=",
            "--no-headers",
            "-o",
            "--output=",
            "--show-labels",
            "--template=",
            "-w",
            "--watch",
            "--watch-only",
        ],
        "describe" => &[
            "-A",
            "--all-namespaces",
            "-l",
            "--selector=",
            "-n",
            "--namespace=",
            "--show-events=",
        ],
        "delete" => &[
            "--all",
            "--cascade=",
            "--dry-run=",
            "-f",
            "--filename=",
            "--force",
            "--grace-period=",
            "--ignore-not-found",
            "-l",
            "--selector=",
            "-n",
            "--namespace=",
            "--now",
            "-o",
            "--output=",
            "--wait=",
        ],
        "scale" => &[
            "--current-replicas=",
            "--dry-run=",
            "-n",
            "--namespace=",
            "--replicas=",
        ],
        "rollout status" => &[
            "-n",
            "--namespace=",
            "--revision=",
            "--timeout=",
            "-w",
            "--watch=",
        ],
        "rollout history" => &["-l", "--selector=", "-n", "--namespace=", "--revision="],
        "rollout undo" => &[
            "--dry-run=",
            "-l",
            "--selector=",
            "-n",
            "--namespace=",
            "--to-revision=",
        ],
        "rollout pause" | "rollout resume" | "rollout restart" => {
            &["-l", "--selector=", "-n", "--namespace="]
        }
        "set image" => &["--dry-run=", "-n", "--namespace=", "-o", "--output="],
        "edit" => &["-n", "--namespace=", "-o", "--output="],
        "wait" => &[
            "--all",
            "--for=",
            "-l",
            "--selector=",
            "-n",
            "--namespace=",
            "-o",
            "--output=",
            "--timeout=",
        ],
        "set env" => &[
            "-c",
            "--containers=",
            "--dry-run=",
            "-e",
            "--env=",
            "--list",
            "-n",
            "--namespace=",
            "-o",
            "--output=",
            "--overwrite=",
        ],
        "set resources" => &[
            "-c",
            "--containers=",
            "--dry-run=",
            "--limits=",
            "-n",
            "--namespace=",
            "-o",
            "--output=",
            "--requests=",
        ],
        "create service clusterip" => &[
            "--clusterip=",
            "--dry-run=",
            "-n",
            "--namespace=",
            "-o",
            "--output=",
            "--tcp=",
        ],
        "create service nodeport" => &[
            "--dry-run=",
            "-n",
            "--namespace=",
            "--node-port=",
            "-o",
            "--output=",
            "--tcp=",
        ],
        "create service loadbalancer" => &[
            "--dry-run=",
            "-n",
            "--namespace=",
            "-o",
            "--output=",
            "--tcp=",
        ],
        "create service externalname" => &[
            "--dry-run=",
            "--external-name=",
            "-n",
            "--namespace=",
            "-o",
            "--output=",
            "--tcp=",
        ],
        "create namespace" => &["--dry-run=", "-o", "--output="],
        "create deployment" => &[
            "--dry-run=",
            "--image=",
            "-n",
            "--namespace=",
            "-o",
            "--output=",
            "--port=",
            "--replicas=",
        ],
        "label" | "annotate" => &[
            "--all",
            "--dry-run=",
            "-l",
            "--selector=",
            "-n",
            "--namespace=",
            "-o",
            "--output=",
            "--overwrite",
        ],
        "cordon" | "uncordon" => &["--dry-run=", "-l", "--selector="],
        "patch" => &[
            "--dry-run=",
            "-n",
            "--namespace=",
            "-o",
            "--output=",
            "-p",
            "--patch=",
            "--type=",
        ],
        "drain" => &[
            "--delete-emptydir-data",
            "--dry-run=",
            "--force",
            "--grace-period=",
            "--ignore-daemonsets",
            "--timeout=",
        ],
        "apply" => &[
            "--dry-run=",
            "-f",
            "--filename=",
            "-n",
            "--namespace=",
            "-o",
            "--output=",
        ],
        "run" => &[
            "--command",
            "--dry-run=",
            "--env=",
            "--image=",
            "-l",
            "--labels=",
            "-n",
            "--namespace=",
            "-o",
            "--output=",
            "--port=",
            "--restart=",
        ],
        "expose" => &[
            "--dry-run=",
            "-l",
            "--labels=",
            "--name=",
            "-n",
            "--namespace=",
            "-o",
            "--output=",
            "--port=",
            "--protocol=",
            "--selector=",
            "--target-port=",
            "--type=",
        ],
        "exec" => &[
            "-c",
            "--container=",
            "-i",
            "-n",
            "--namespace=",
            "-q",
            "--quiet",
            "--stdin",
            "-t",
            "--tty",
        ],
        "logs" => &[
            "--all-containers",
            "-c",
            "--container=",
            "-f",
            "--follow",
            "-l",
            "--selector=",
            "-n",
            "--namespace=",
            "-p",
            "--prefix",
            "--previous",
            "--since=",
            "--tail=",
            "--timestamps",
        ],
        "explain" => &["--api-version=", "--output=", "--recursive"],
        "version" => &["--client"],
        "create" => &["-f", "--filename="],
        _ => &[],
    }
}

/// Resource types each command takes.
fn kinds(cmd: &str) -> &'static [Kind] {
    match cmd {
        "get" | "describe" | "delete" | "label" | "annotate" | "explain" | "wait" => &Kind::ALL,
        "scale" => &[Kind::Deployment, Kind::ReplicaSet],
        "expose" => &[Kind::Deployment, Kind::ReplicaSet, Kind::Pod, Kind::Service],
        "set image" => &[Kind::Deployment, Kind::ReplicaSet, Kind::Pod],
        "set resources" => &[Kind::Deployment],
        "set env" => &[Kind::Deployment, Kind::ReplicaSet, Kind::Pod],
        "patch" | "edit" => &[Kind::Deployment, Kind::Service],
        "logs" | "exec" => &[Kind::Pod, Kind::Deployment, Kind::ReplicaSet, Kind::Service],
        c if c.starts_with("rollout ") => &[Kind::Deployment],
        _ => &[],
    }
}

fn command(sim: &Sim, cmd: &str, args: &[&str], current: &str) -> Vec<String> {
    let ctx = parse(args);
    if let Some(flag) = ctx.pending {
        return flag_values(sim, cmd, flag, &ctx);
    }
    if current.starts_with('-') {
        if let Some((flag, _)) = current.split_once('=') {
            let name = match flag.strip_prefix("--") {
                Some(long) => long_name(long),
                None => flag.chars().nth(1).and_then(short_name),
            };
            let values = name
                .map(|n| flag_values(sim, cmd, n, &ctx))
                .unwrap_or_default();
            return values.into_iter().map(|v| format!("{flag}={v}")).collect();
        }
        return strings(flags(cmd));
    }
    let ns = if ctx.all_namespaces {
        None
    } else {
        Some(ctx.namespace.unwrap_or("default"))
    };
    let kinds = kinds(cmd);
    match cmd {
        "get" | "describe" | "delete" | "wait" => match ctx.positionals.as_slice() {
            [] => type_or_slash_name(sim, kinds, current, ns, true, cmd == "get"),
            [first, ..] if first.contains('/') => {
                type_or_slash_name(sim, kinds, current, ns, false, false)
            }
            [first, ..] => single_kind(first, kinds)
                .map(|k| names(sim, k, ns))
                .unwrap_or_default(),
        },
        "label" | "annotate" | "edit" => match ctx.positionals.as_slice() {
            [] => type_or_slash_name(sim, kinds, current, ns, true, false),
            [first] if !first.contains('/') => single_kind(first, kinds)
                .map(|k| names(sim, k, ns))
                .unwrap_or_default(),
            _ => Vec::new(),
        },
        "scale" | "set image" | "set resources" | "set env" | "patch" | "rollout status"
        | "rollout history" | "rollout undo" | "rollout pause" | "rollout resume"
        | "rollout restart" => match ctx.positionals.as_slice() {
            [] => type_or_slash_name(sim, kinds, current, ns, false, false),
            [first] if !first.contains('/') => single_kind(first, kinds)
                .map(|k| names(sim, k, ns))
                .unwrap_or_default(),
            _ if cmd == "set image" => {
                container_images(sim, &ctx, ns.unwrap_or("default"), current)
            }
            _ => Vec::new(),
        },
        // `logs POD [CONTAINER]`, `exec POD -- COMMAND`, or TYPE/NAME.
        "logs" | "exec" => match ctx.positionals.as_slice() {
            [] if current.contains('/') => {
                type_or_slash_name(sim, kinds, current, ns, false, false)
            }
            [] => {
                let mut out = names(sim, Kind::Pod, ns);
                out.extend(type_or_slash_name(sim, kinds, current, ns, false, false));
                out
            }
            [_] if cmd == "logs" => pod_containers(sim, &ctx),
            _ => Vec::new(),
        },
        "cordon" | "uncordon" => sim.store.nodes.keys().cloned().collect(),
        "drain" if ctx.positionals.is_empty() => sim.store.nodes.keys().cloned().collect(),
        "explain" if ctx.positionals.is_empty() => explain_paths(current),
        _ => Vec::new(),
    }
}

fn flag_values(sim: &Sim, cmd: &str, flag: &str, ctx: &Ctx) -> Vec<String> {
    match flag {
        "namespace" => sim.store.namespaces.keys().cloned().collect(),
        "container" if cmd == "logs" || cmd == "exec" => pod_containers(sim, ctx),
        "output" if cmd == "explain" => strings(&["plaintext", "plaintext-openapiv2"]),
        "for" => strings(&[
            "condition=Available",
            "condition=Ready",
            "create",
            "delete",
            "jsonpath=",
        ]),
        "output" if cmd == "get" => strings(&[
            "custom-columns=",
            "go-template=",
            "json",
            "jsonpath=",
            "kyaml",
            "name",
            "wide",
            "yaml",
        ]),
        "output" => strings(&["json", "kyaml", "name", "yaml"]),
        "filename" => sim.files.keys().cloned().collect(),
        "image" => sim.config.registry.known_images(),
        "dry-run" => strings(&["client", "none", "server"]),
        "cascade" => strings(&["background", "foreground", "orphan"]),
        "revision" | "to-revision" => revisions(sim, ctx),
        "selector" => labels(sim, ctx),
        _ => Vec::new(),
    }
}

/// The target of `TYPE/NAME` or `TYPE NAME` arguments.
/// The containers of the pod `kubectl logs` names first (`POD` or `pod/POD`).
fn pod_containers(sim: &Sim, ctx: &Ctx) -> Vec<String> {
    let Some(first) = ctx.positionals.first() else {
        return Vec::new();
    };
    let name = match first.split_once('/') {
        Some((t, n)) if Kind::resolve(t) == Some(Kind::Pod) => n,
        Some(_) => return Vec::new(),
        None => first,
    };
    let ns = ctx.namespace.unwrap_or("default");
    super::resources::containers(sim, Kind::Pod, ns, name)
        .map(|cs| cs.iter().map(|c| c.name.clone()).collect())
        .unwrap_or_default()
}

fn target<'a>(ctx: &Ctx<'a>) -> Option<(Kind, &'a str)> {
    let (t, n) = match ctx.positionals.as_slice() {
        [tn, ..] if tn.contains('/') => tn.split_once('/')?,
        [t, n, ..] => (*t, *n),
        _ => return None,
    };
    Some((Kind::resolve(t)?, n))
}

fn revisions(sim: &Sim, ctx: &Ctx) -> Vec<String> {
    let ns = ctx.namespace.unwrap_or("default");
    let Some((Kind::Deployment, name)) = target(ctx) else {
        return Vec::new();
    };
    let Some(d) = sim.store.deployments.get(&key(ns, name)) else {
        return Vec::new();
    };
    sim.store
        .replicasets_owned_by(ns, d.metadata.uid())
        .map(|rs| rs.revision())
        .filter(|r| *r > 0)
        .map(|r| r.to_string())
        .collect()
}

/// `key=value` pairs of the labels on objects of the kind being selected.
fn labels(sim: &Sim, ctx: &Ctx) -> Vec<String> {
    let ns = ctx.namespace.unwrap_or("default");
    let in_ns = |k: &(String, String)| ctx.all_namespaces || k.0 == ns;
    let kind = ctx
        .positionals
        .first()
        .and_then(|t| single_kind(t, &Kind::ALL));
    let maps: Vec<&crate::api::meta::Labels> = match kind {
        Some(Kind::Pod) => sim
            .store
            .pods
            .iter()
            .filter(|(k, _)| in_ns(k))
            .map(|(_, p)| &p.metadata.labels)
            .collect(),
        Some(Kind::Deployment) => sim
            .store
            .deployments
            .iter()
            .filter(|(k, _)| in_ns(k))
            .map(|(_, d)| &d.metadata.labels)
            .collect(),
        Some(Kind::ReplicaSet) => sim
            .store
            .replicasets
            .iter()
            .filter(|(k, _)| in_ns(k))
            .map(|(_, r)| &r.metadata.labels)
            .collect(),
        Some(Kind::Node) => sim
            .store
            .nodes
            .values()
            .map(|n| &n.metadata.labels)
            .collect(),
        _ => Vec::new(),
    };
    maps.into_iter()
        .flat_map(|m| m.iter().map(|(k, v)| format!("{k}={v}")))
        .collect()
}

/// `CONTAINER=IMAGE` for `set image`: the target's container names (and `*`) with every
/// image the registry knows.
fn container_images(sim: &Sim, ctx: &Ctx, ns: &str, current: &str) -> Vec<String> {
    let images = sim.config.registry.known_images();
    if let Some((container, _)) = current.split_once('=') {
        return images.iter().map(|i| format!("{container}={i}")).collect();
    }
    let Some((kind, name)) = target(ctx) else {
        return Vec::new();
    };
    let Some(containers) = super::resources::containers(sim, kind, ns, name) else {
        return Vec::new();
    };
    containers
        .iter()
        .flat_map(|c| images.iter().map(move |i| format!("{}={i}", c.name)))
        .collect()
}

/// Resource types, or `TYPE/NAME` once the word has a slash. `multi` allows `TYPE1,TYPE2`;
/// `all` adds `kubectl get all`.
fn type_or_slash_name(
    sim: &Sim,
    kinds: &[Kind],
    current: &str,
    ns: Option<&str>,
    multi: bool,
    all: bool,
) -> Vec<String> {
    if let Some((t, _)) = current.split_once('/') {
        return match single_kind(t, kinds) {
            Some(k) => names(sim, k, ns)
                .into_iter()
                .map(|n| format!("{t}/{n}"))
                .collect(),
            None => Vec::new(),
        };
    }
    let prefix = match current.rsplit_once(',') {
        Some((head, _)) if multi => format!("{head},"),
        _ => String::new(),
    };
    let mut v: Vec<String> = kinds
        .iter()
        .flat_map(|k| type_names(*k))
        .map(|t| format!("{prefix}{t}"))
        .collect();
    if all {
        v.push(format!("{prefix}all"));
    }
    v
}

/// The singular and plural names kubectl prints for a kind (`deployment`, `deployments`).
fn type_names(k: Kind) -> [&'static str; 2] {
    let first = |s: &'static str| s.split('.').next().unwrap_or(s);
    [first(k.qualified()), k.resource()]
}

fn single_kind(word: &str, allowed: &[Kind]) -> Option<Kind> {
    Kind::resolve(word).filter(|k| allowed.contains(k))
}

/// Names of objects of a kind; `ns` `None` means every namespace.
fn names(sim: &Sim, kind: Kind, ns: Option<&str>) -> Vec<String> {
    let s = &sim.store;
    let in_ns = |k: &(String, String)| ns.is_none_or(|n| k.0 == n);
    match kind {
        Kind::Pod => s
            .pods
            .keys()
            .filter(|k| in_ns(k))
            .map(|k| k.1.clone())
            .collect(),
        Kind::Deployment => s
            .deployments
            .keys()
            .filter(|k| in_ns(k))
            .map(|k| k.1.clone())
            .collect(),
        Kind::ReplicaSet => s
            .replicasets
            .keys()
            .filter(|k| in_ns(k))
            .map(|k| k.1.clone())
            .collect(),
        Kind::Service => s
            .services
            .keys()
            .filter(|k| in_ns(k))
            .map(|k| k.1.clone())
            .collect(),
        Kind::Endpoints => s
            .endpoints
            .keys()
            .filter(|k| in_ns(k))
            .map(|k| k.1.clone())
            .collect(),
        Kind::EndpointSlice => s
            .endpoint_slices
            .keys()
            .filter(|k| in_ns(k))
            .map(|k| k.1.clone())
            .collect(),
        Kind::ResourceQuota => s
            .quotas
            .keys()
            .filter(|k| in_ns(k))
            .map(|k| k.1.clone())
            .collect(),
        Kind::Node => s.nodes.keys().cloned().collect(),
        Kind::Namespace => s.namespaces.keys().cloned().collect(),
        Kind::Event => s
            .events
            .iter()
            .filter(|e| ns.is_none_or(|n| e.metadata.ns() == n))
            .map(|e| e.metadata.name.clone())
            .collect(),
    }
}

/// `kubectl explain` arguments: resource types, then `TYPE.field.field` paths.
fn explain_paths(current: &str) -> Vec<String> {
    let Some((head, _)) = current.rsplit_once('.') else {
        return Kind::ALL
            .iter()
            .flat_map(|k| type_names(*k))
            .map(String::from)
            .collect();
    };
    let mut parts = head.split('.');
    let Some(kind) = parts.next().and_then(Kind::resolve) else {
        return Vec::new();
    };
    let path: Vec<&str> = parts.collect();
    super::explain::field_names(kind, &path)
        .into_iter()
        .map(|f| format!("{head}.{f}"))
        .collect()
}

/// `kubesim node stop|start NODE`, `kubesim delete-pod DEPLOYMENT INDEX [-n NAMESPACE]`,
/// `kubesim traffic SERVICE RPS [-n NAMESPACE]`.
fn kubesim(sim: &Sim, words: &[&str]) -> Vec<String> {
    let nodes = || sim.store.nodes.keys().cloned().collect();
    match words {
        [] => strings(&["delete-pod", "node", "traffic"]),
        ["node"] => strings(&["start", "stop"]),
        ["node", "start" | "stop"] => nodes(),
        ["delete-pod"] => names(sim, Kind::Deployment, Some("default")),
        ["delete-pod", d] => (0..deployment_pod_count(sim, "default", d))
            .map(|i| i.to_string())
            .collect(),
        ["delete-pod", _, _] => strings(&["-n", "--namespace"]),
        ["delete-pod", _, _, "-n" | "--namespace"] => {
            sim.store.namespaces.keys().cloned().collect()
        }
        ["traffic"] => names(sim, Kind::Service, Some("default")),
        ["traffic", _] => strings(&["0", "10", "20", "50"]),
        ["traffic", _, _] => strings(&["-n", "--namespace"]),
        ["traffic", _, _, "-n" | "--namespace"] => sim.store.namespaces.keys().cloned().collect(),
        _ => Vec::new(),
    }
}

fn deployment_pod_count(sim: &Sim, ns: &str, name: &str) -> usize {
    let Some(d) = sim.store.deployments.get(&key(ns, name)) else {
        return 0;
    };
    let owned: Vec<&str> = sim
        .store
        .replicasets_owned_by(ns, d.metadata.uid())
        .map(|rs| rs.metadata.name.as_str())
        .collect();
    sim.store
        .pods_in(ns)
        .filter(|p| {
            p.metadata
                .controller_ref()
                .is_some_and(|o| o.kind == "ReplicaSet" && owned.contains(&o.name.as_str()))
        })
        .count()
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::apps::Deployment;

    fn deployment(name: &str, ns: &str) -> Deployment {
        let yaml = format!(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {name}\n  namespace: {ns}\n  labels:\n    app: {name}\nspec:\n  replicas: 2\n  selector:\n    matchLabels:\n      app: {name}\n  template:\n    metadata:\n      labels:\n        app: {name}\n    spec:\n      containers:\n      - name: nginx\n        image: nginx:1.25\n"
        );
        serde_yaml::from_str(&yaml).expect("test deployment parses")
    }

    fn sim() -> Sim {
        let mut sim = Sim::new(Default::default(), 1);
        crate::apiserver::create_deployment(&mut sim, deployment("web", "default"))
            .expect("web is created");
        crate::apiserver::create_namespace_object(&mut sim, "shop");
        crate::apiserver::create_deployment(&mut sim, deployment("api", "shop"))
            .expect("api is created");
        sim.reconcile();
        sim
    }

    fn c(sim: &Sim, line: &str) -> Vec<String> {
        candidates(sim, line)
    }

    #[test]
    fn verbs_subcommands_and_types() {
        let sim = sim();
        assert_eq!(
            c(&sim, "kubectl get dep"),
            vec!["deployment", "deployments"]
        );
        assert_eq!(c(&sim, "kubectl rollout un"), vec!["undo"]);
        assert_eq!(c(&sim, "kubectl set im"), vec!["image"]);
        assert_eq!(c(&sim, "kubectl create dep"), vec!["deployment"]);
        assert_eq!(c(&sim, "kubectl create svc n"), vec!["nodeport"]);
        assert_eq!(
            c(&sim, "kubectl create service nodeport web --n"),
            vec!["--namespace=", "--node-port="]
        );
        assert_eq!(
            c(&sim, "kubectl help create service ex"),
            vec!["externalname"]
        );
        assert_eq!(c(&sim, "kubectl create deploy x --im"), vec!["--image="]);
        assert_eq!(c(&sim, "kubectl sc"), vec!["scale"]);
        assert_eq!(c(&sim, "kubes"), vec!["kubesim"]);
        assert_eq!(c(&sim, "get po"), vec!["pod", "pods"]);
        assert_eq!(
            c(&sim, "kubectl get pods,dep"),
            vec!["pods,deployment", "pods,deployments"]
        );
        assert!(c(&sim, "").contains(&"kubectl".to_string()));
        assert!(c(&sim, "kubectl ").contains(&"rollout".to_string()));
        assert_eq!(
            c(&sim, "kubectl scale rep"),
            vec!["replicaset", "replicasets"]
        );
    }

    #[test]
    fn object_names_respect_the_namespace() {
        let sim = sim();
        assert_eq!(c(&sim, "kubectl scale deployment/"), vec!["deployment/web"]);
        assert_eq!(c(&sim, "kubectl scale deploy/"), vec!["deploy/web"]);
        assert_eq!(c(&sim, "kubectl get deploy "), vec!["web"]);
        assert_eq!(c(&sim, "kubectl get deploy -n shop "), vec!["api"]);
        assert_eq!(
            c(&sim, "kubectl get deploy --namespace=shop a"),
            vec!["api"]
        );
        assert_eq!(c(&sim, "kubectl get deploy -A "), vec!["api", "web"]);
        assert_eq!(
            c(&sim, "kubectl rollout status -n shop deployment/"),
            vec!["deployment/api"]
        );
        assert_eq!(c(&sim, "kubectl get ns s"), vec!["shop"]);
        assert_eq!(
            c(&sim, "kubectl cordon "),
            vec!["node-1", "node-2", "node-3"]
        );
        assert_eq!(c(&sim, "kubesim node stop node-2"), vec!["node-2"]);
        let namespaces: Vec<String> = sim.store.namespaces.keys().cloned().collect();
        assert!(namespaces.contains(&"shop".to_string()));
        assert_eq!(c(&sim, "kubectl get -n "), namespaces);
        assert_eq!(c(&sim, "kubesim delete-pod web "), vec!["0", "1"]);
        assert_eq!(c(&sim, "kubesim tr"), vec!["traffic"]);
        assert_eq!(c(&sim, "kubesim traffic web "), vec!["0", "10", "20", "50"]);
    }

    #[test]
    fn flags_and_flag_values() {
        let sim = sim();
        assert_eq!(
            c(&sim, "kubectl get pods -o "),
            vec![
                "custom-columns=",
                "go-template=",
                "json",
                "jsonpath=",
                "kyaml",
                "name",
                "wide",
                "yaml"
            ]
        );
        assert_eq!(
            c(&sim, "kubectl get pods --output=w"),
            vec!["--output=wide"]
        );
        assert_eq!(
            c(&sim, "kubectl scale deployment web --rep"),
            vec!["--replicas="]
        );
        assert_eq!(
            c(&sim, "kubectl rollout undo deployment/web --to"),
            vec!["--to-revision="]
        );
        assert!(c(&sim, "kubectl get pods --sh").contains(&"--show-labels".to_string()));
        assert!(c(&sim, "kubectl create deployment x --image=nginx:1.2")
            .contains(&"--image=nginx:1.25".to_string()));
        assert_eq!(
            c(&sim, "kubectl explain deployment.spec.st"),
            vec!["deployment.spec.strategy"]
        );
        assert_eq!(
            c(
                &sim,
                "kubectl explain deployment.spec.strategy.rollingUpdate.maxS"
            ),
            vec!["deployment.spec.strategy.rollingUpdate.maxSurge"]
        );
        assert_eq!(c(&sim, "kubectl get pods -l app=w"), vec!["app=web"]);
        assert_eq!(c(&sim, "kubectl get deploy -l app=w"), vec!["app=web"]);
    }

    #[test]
    fn logs_and_exec_offer_pods_then_their_containers() {
        let sim = sim();
        let pods: Vec<String> = sim
            .store
            .pods_in("default")
            .map(|p| p.metadata.name.clone())
            .collect();
        assert_eq!(pods.len(), 2);
        let all = c(&sim, "kubectl logs ");
        assert!(pods.iter().all(|p| all.contains(p)) && all.contains(&"deployment".to_string()));
        assert_eq!(c(&sim, "kubectl logs web-"), pods);
        assert_eq!(
            c(&sim, "kubectl logs deploy"),
            vec!["deployment", "deployments"]
        );
        assert_eq!(c(&sim, "kubectl logs deployment/"), vec!["deployment/web"]);
        assert_eq!(
            c(&sim, &format!("kubectl logs {} ", pods[0])),
            vec!["nginx"]
        );
        assert_eq!(
            c(&sim, &format!("kubectl logs {} -c ", pods[0])),
            vec!["nginx"]
        );
        assert_eq!(
            c(&sim, "kubectl logs web --t"),
            vec!["--tail=", "--timestamps"]
        );
        assert_eq!(
            c(&sim, "kubectl logs -n shop deployment/"),
            vec!["deployment/api"]
        );
        assert_eq!(c(&sim, "kubectl exec web-"), pods);
        assert_eq!(
            c(&sim, &format!("kubectl exec {} -c ", pods[0])),
            vec!["nginx"]
        );
        assert!(c(&sim, &format!("kubectl exec {} -- ", pods[0])).is_empty());
    }

    #[test]
    fn set_image_offers_container_and_known_images() {
        let sim = sim();
        let v = c(&sim, "kubectl set image deployment/web ");
        assert!(v.contains(&"nginx=nginx:1.25".to_string()));
        assert!(v.contains(&"nginx=httpd:2.4".to_string()));
        assert!(v.iter().all(|s| s.starts_with("nginx=")));
        // Every patch release of a minor version, as the registry has them.
        assert_eq!(
            c(&sim, "kubectl set image deployment web nginx=nginx:1.14."),
            vec![
                "nginx=nginx:1.14.0",
                "nginx=nginx:1.14.1",
                "nginx=nginx:1.14.2"
            ]
        );
        assert!(c(&sim, "kubectl set image deployment/nope ").is_empty());
    }

    #[test]
    fn nothing_fits_and_odd_input() {
        let sim = sim();
        assert!(c(&sim, "kubectl frobnicate ").is_empty());
        assert!(c(&sim, "kubectl get zzz").is_empty());
        for line in [
            "-",
            "--",
            "kubectl -",
            "kubectl get --=",
            "kubectl get -n",
            "kubectl scale /",
            "k get é/",
            "kubesim delete-pod web 0 -n ",
            "kubectl explain .",
            "kubectl explain ..x",
            "kubectl set image a/b =",
            "\t \n",
        ] {
            let _ = c(&sim, line);
        }
    }

    #[test]
    fn common_prefix_is_char_safe() {
        assert_eq!(common_prefix(&[]), "");
        assert_eq!(
            common_prefix(&["deployment".into(), "deployments".into()]),
            "deployment"
        );
        assert_eq!(common_prefix(&["éa".into(), "éb".into()]), "é");
        assert_eq!(common_prefix(&["x".into()]), "x");
    }
}
