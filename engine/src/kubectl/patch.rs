//! `kubectl patch TYPE NAME -p PATCH [--type strategic|merge|json]` (patch.go): the patch is
//! read as YAML or JSON, applied to the live object as the API server applies each patch
//! type, and the result goes through the same update path as every other write. Deployments
//! and Services can be patched.

use super::args::{self, flag, Args, Flag};
use super::mutate::{
    changed, named_targets, not_found, output_format, prints_object, NO_RESOURCES,
};
use super::resources::Kind;
use crate::api::apps::Deployment;
use crate::api::{merge, schema, yaml};
use crate::apiserver::{self, ApiError};
use crate::command::Output;
use crate::sim::Sim;
use crate::store::key;
use serde_yaml::{Mapping, Value};

const FLAGS: &[Flag] = &[
    flag("patch", Some('p'), true),
    flag("patch-file", None, true),
    flag("type", None, true),
    flag("output", Some('o'), true),
    args::DRY_RUN,
    flag("local", None, false),
    flag("filename", Some('f'), true),
];

/// How deep a JSON merge patch or a pointer may reach; deeper input is refused, not recursed.
const MAX_DEPTH: usize = 200;

pub fn run(sim: &mut Sim, rest: &[String]) -> Output {
    let a = match args::parse(rest, FLAGS) {
        Ok(a) => a,
        Err(e) => return super::flag_error("patch", &e),
    };
    if a.bool("help") {
        return Output::ok(super::help::command_help("patch").unwrap_or_default());
    }
    let note = match a.dry_run() {
        Ok(note) => note,
        Err(e) => return Output::err(e),
    };
    // A dry run patches a copy of the cluster, which is thrown away.
    let mut out = match note {
        Some(_) => patch(&mut sim.clone(), &a, note),
        None => patch(sim, &a, None),
    };
    a.warn_deprecated_dry_run(&mut out, sim.now);
    out
}

fn patch(sim: &mut Sim, a: &Args, note: Option<&str>) -> Output {
    if a.has("filename") || a.has("local") || a.has("patch-file") {
        return Output::err("error: \"kubectl patch\" takes the object as TYPE NAME and the patch as -p here; -f, --local and --patch-file are not available in this simulator\n");
    }
    let text = a.get("patch").unwrap_or("");
    if text.is_empty() {
        return Output::err(
            "error: must specify --patch or --patch-file containing the contents of the patch\n",
        );
    }
    let kind = match a
        .get("type")
        .unwrap_or("strategic")
        .to_ascii_lowercase()
        .as_str()
    {
        "" | "strategic" => PatchType::Strategic,
        "merge" => PatchType::Merge,
        "json" => PatchType::Json,
        _ => {
            return Output::err(format!(
                "error: --type must be one of [json merge strategic], not {:?}\n",
                a.get("type").unwrap_or("")
            ))
        }
    };
    let wants_object = match output_format(a) {
        Ok(o) => prints_object(o),
        Err(e) => return e,
    };
    // kubectl converts the patch from YAML (a superset of JSON) before sending it.
    let body: Value = match serde_yaml::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            return Output::err(format!(
                "error: unable to parse {text:?}: yaml: {}\n",
                yaml_message(&e)
            ))
        }
    };
    let targets = match named_targets(a) {
        Ok(t) if t.is_empty() => return Output::err(NO_RESOURCES),
        Ok(t) => t,
        Err(e) => return Output::err(e),
    };
    let ns = a.namespace();
    let mut out = Output::default();
    let client = note == Some(" (dry run)");
    for (kind_of, name) in targets {
        match patch_one(sim, kind_of, &ns, &name, kind, &body, client) {
            Ok((did_patch, local)) => {
                let shown =
                    local.or_else(|| super::get::find(sim, kind_of, &ns, &name).map(|o| o.value()));
                let shown = shown.filter(|_| wants_object);
                let operation = if did_patch {
                    "patched"
                } else {
                    "patched (no change)"
                };
                let object = format!("{}/{name}", kind_of.qualified());
                changed(&mut out.stdout, a, &object, operation, note, shown);
            }
            Err(e) => {
                out.stderr.push_str(&e);
                out.exit_code = 1;
            }
        }
    }
    out
}

#[derive(Clone, Copy, PartialEq)]
enum PatchType {
    Strategic,
    Merge,
    Json,
}

/// Patches one object: whether it changed (and, in a client dry run, the object kubectl
/// patched locally without asking the server), or kubectl's error text.
fn patch_one(
    sim: &mut Sim,
    kind: Kind,
    ns: &str,
    name: &str,
    patch_type: PatchType,
    body: &Value,
    client_dry_run: bool,
) -> Result<(bool, Option<Value>), String> {
    let k = key(ns, name);
    let live = match kind {
        Kind::Deployment => sim.store.deployments.get(&k).map(yaml::to_value),
        Kind::Service => sim.store.services.get(&k).map(yaml::to_value),
        _ => {
            return Err(format!(
                "error: patching {} is not simulated; patch a Deployment or a Service\n",
                kind.group_resource()
            ))
        }
    };
    let live = live.ok_or_else(|| not_found(kind, name))?;
    let patched = match patch_type {
        PatchType::Strategic => strategic(&live, body),
        PatchType::Merge => merge_patch(&live, body, 0),
        // The API server answers a JSON patch that does not apply with a bare 422.
        PatchType::Json => json_patch(&live, body).map_err(|_| {
            "The request is invalid: the server rejected our request due to an error in our request\n".to_string()
        }),
    }
    .map_err(|e| match e.starts_with("The request") {
        true => e,
        false => format!("Error from server (BadRequest): {e}\n"),
    })?;
    // A client dry run patches kubectl's copy of the object and prints that, unchecked.
    if client_dry_run {
        return Ok((patched != live, Some(patched)));
    }
    if let Some((text, _)) = schema::strict_error_at(kind.name(), &patched) {
        return Err(format!("Error from server (BadRequest): {text}\n"));
    }
    let server = |e: ApiError| format!("{}\n", e.kubectl_text());
    match kind {
        Kind::Deployment => {
            let mut d: Deployment = yaml::from_value(patched)
                .map_err(|e| format!("Error from server (BadRequest): {e}\n"))?;
            // Identity comes from the URL and the stored object, not from the patch.
            d.metadata.name = name.to_string();
            d.metadata.namespace = Some(ns.to_string());
            apiserver::update_deployment(sim, d)
                .map(|(_, changed)| (changed, None))
                .map_err(server)
        }
        _ => {
            let mut v = patched;
            if let Some(Value::Mapping(meta)) = v.get_mut("metadata") {
                meta.insert("name".into(), name.into());
            }
            super::apply::update_service(sim, v, ns.to_string())
                .map(|changed| (changed, None))
                .map_err(server)
        }
    }
}

/// A strategic merge patch: maps merge, `null` deletes, lists of containers, ports, env and
/// the like merge item by item on their merge key, other lists are replaced. The patch
/// directives (`$patch`, `$setElementOrder`, `$retainKeys`, `$deleteFromPrimitiveList`) are
/// not simulated and refused.
fn strategic(live: &Value, patch: &Value) -> Result<Value, String> {
    if !patch.is_mapping() {
        return Err(format!(
            "json: cannot unmarshal {} into Go value of type map[string]interface {{}}",
            json_type(patch)
        ));
    }
    if let Some(d) = directive(patch, 0) {
        return Err(format!(
            "the patch directive {d:?} is not simulated; use --type merge or --type json"
        ));
    }
    Ok(merge::three_way_merge(None, patch, live))
}

fn directive(v: &Value, depth: usize) -> Option<String> {
    if depth > MAX_DEPTH {
        return None;
    }
    match v {
        Value::Mapping(m) => m.iter().find_map(|(k, v)| match k.as_str() {
            Some(s) if s.starts_with('$') => Some(s.to_string()),
            _ => directive(v, depth + 1),
        }),
        Value::Sequence(items) => items.iter().find_map(|v| directive(v, depth + 1)),
        _ => None,
    }
}

/// How Go's JSON decoder names a value's type in its errors.
fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Sequence(_) => "array",
        Value::String(_) => "string",
        Value::Number(_) => "number",
        Value::Bool(_) => "bool",
        _ => "object",
    }
}

/// RFC 7386: maps merge recursively, `null` deletes, anything else replaces.
fn merge_patch(target: &Value, patch: &Value, depth: usize) -> Result<Value, String> {
    if depth > MAX_DEPTH {
        return Err("the merge patch is nested too deeply".into());
    }
    let Value::Mapping(p) = patch else {
        return Ok(patch.clone());
    };
    let mut out = match target {
        Value::Mapping(m) => m.clone(),
        _ => Mapping::new(),
    };
    for (k, v) in p {
        if v.is_null() {
            out.remove(k);
        } else {
            let merged = merge_patch(out.get(k).unwrap_or(&Value::Null), v, depth + 1)?;
            out.insert(k.clone(), merged);
        }
    }
    Ok(Value::Mapping(out))
}

/// RFC 6902 operations, in order; the first that cannot apply stops the patch.
fn json_patch(live: &Value, patch: &Value) -> Result<Value, String> {
    let Value::Sequence(ops) = patch else {
        return Err(format!(
            "json: cannot unmarshal {} into Go value of type jsonpatch.Patch",
            json_type(patch)
        ));
    };
    let mut doc = live.clone();
    for op in ops {
        let field = |name: &str| op.get(name).and_then(Value::as_str);
        let kind = field("op").unwrap_or("");
        let path = field("path").ok_or_else(|| format!("{kind} operation missing path"))?;
        let value = || {
            op.get("value")
                .cloned()
                .ok_or_else(|| format!("{kind} operation missing value"))
        };
        let missing = |what: &str| {
            format!("jsonpatch {kind} operation does not apply: doc is missing {what}: {path:?}")
        };
        match kind {
            "add" => add(&mut doc, path, value()?).ok_or_else(|| missing("path"))?,
            "remove" => {
                remove(&mut doc, path).ok_or_else(|| missing("path"))?;
            }
            "replace" => {
                let v = value()?;
                let slot = pointer(&mut doc, path).ok_or_else(|| missing("key"))?;
                *slot = v;
            }
            "move" | "copy" => {
                let from = field("from").ok_or_else(|| format!("{kind} operation missing from"))?;
                let taken = if kind == "move" {
                    remove(&mut doc, from)
                } else {
                    pointer(&mut doc, from).map(|v| v.clone())
                };
                let v = taken.ok_or_else(|| missing("from path"))?;
                add(&mut doc, path, v).ok_or_else(|| missing("path"))?;
            }
            "test" => {
                let want = value()?;
                if pointer(&mut doc, path).map(|v| &*v) != Some(&want) {
                    return Err(format!("testing value {path} failed: test failed"));
                }
            }
            other => return Err(format!("Unexpected kind: {other}")),
        }
    }
    Ok(doc)
}

/// The tokens of a JSON pointer (`/spec/template/0`), `~1` and `~0` unescaped.
fn tokens(path: &str) -> Option<Vec<String>> {
    if path.is_empty() {
        return Some(Vec::new());
    }
    let rest = path.strip_prefix('/')?;
    let parts: Vec<String> = rest
        .split('/')
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
        .collect();
    (parts.len() <= MAX_DEPTH).then_some(parts)
}

fn step<'a>(v: &'a mut Value, token: &str) -> Option<&'a mut Value> {
    match v {
        Value::Mapping(m) => m.get_mut(token),
        Value::Sequence(items) => items.get_mut(index(token)?),
        _ => None,
    }
}

fn index(token: &str) -> Option<usize> {
    if token.is_empty() || !token.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    token.parse().ok()
}

fn pointer<'a>(doc: &'a mut Value, path: &str) -> Option<&'a mut Value> {
    tokens(path)?.iter().try_fold(doc, |v, t| step(v, t))
}

/// The container a pointer's last token is in, and that token.
fn parent<'a>(doc: &'a mut Value, path: &str) -> Option<(&'a mut Value, String)> {
    let mut t = tokens(path)?;
    let last = t.pop()?;
    let container = t.iter().try_fold(doc, |v, t| step(v, t))?;
    Some((container, last))
}

fn add(doc: &mut Value, path: &str, value: Value) -> Option<()> {
    if path.is_empty() {
        *doc = value;
        return Some(());
    }
    let (container, last) = parent(doc, path)?;
    match container {
        Value::Mapping(m) => {
            m.insert(Value::String(last), value);
        }
        Value::Sequence(items) if last == "-" => items.push(value),
        Value::Sequence(items) => {
            let i = index(&last).filter(|i| *i <= items.len())?;
            items.insert(i, value);
        }
        _ => return None,
    }
    Some(())
}

fn remove(doc: &mut Value, path: &str) -> Option<Value> {
    let (container, last) = parent(doc, path)?;
    match container {
        Value::Mapping(m) => m.remove(last.as_str()),
        Value::Sequence(items) => {
            let i = index(&last).filter(|i| *i < items.len())?;
            Some(items.remove(i))
        }
        _ => None,
    }
}

/// The YAML parser's message without its position, as Go's YAML library words it briefly.
fn yaml_message(e: &serde_yaml::Error) -> String {
    let text = e.to_string();
    match text.split_once(" at line ") {
        Some((m, _)) => m.to_string(),
        None => text,
    }
}

/// The object a patched Deployment would be, for tests of the three patch types.
#[cfg(test)]
fn patched(live: &str, patch: &str, t: PatchType) -> Result<Value, String> {
    let live: Value = serde_yaml::from_str(live).unwrap();
    let patch: Value = serde_yaml::from_str(patch).unwrap();
    match t {
        PatchType::Strategic => strategic(&live, &patch),
        PatchType::Merge => merge_patch(&live, &patch, 0),
        PatchType::Json => json_patch(&live, &patch),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(text: &str) -> Value {
        serde_yaml::from_str(text).unwrap()
    }

    const LIVE: &str = "spec:\n  replicas: 3\n  template:\n    spec:\n      containers:\n      - {name: web, image: 'nginx:1.27'}\n      - {name: log, image: busybox}\n";

    #[test]
    fn strategic_merges_containers_by_name_and_merge_replaces_the_list() {
        let p = "{spec: {template: {spec: {containers: [{name: log, image: 'busybox:1.37'}]}}}}";
        let s = patched(LIVE, p, PatchType::Strategic).unwrap();
        let names: Vec<&str> = s["spec"]["template"]["spec"]["containers"]
            .as_sequence()
            .unwrap()
            .iter()
            .map(|c| c["image"].as_str().unwrap())
            .collect();
        // The patched item first, then the one only the live object has.
        assert_eq!(names, ["busybox:1.37", "nginx:1.27"]);
        let m = patched(LIVE, p, PatchType::Merge).unwrap();
        assert_eq!(
            m["spec"]["template"]["spec"]["containers"],
            v("[{name: log, image: 'busybox:1.37'}]")
        );
        // null deletes in both.
        for t in [PatchType::Strategic, PatchType::Merge] {
            let out = patched(LIVE, "{spec: {replicas: null}}", t).unwrap();
            assert!(out["spec"].get("replicas").is_none());
        }
        assert!(patched(
            LIVE,
            "{spec: {$retainKeys: [replicas]}}",
            PatchType::Strategic
        )
        .unwrap_err()
        .contains("\"$retainKeys\" is not simulated"));
    }

    #[test]
    fn json_patch_operations_and_their_failures() {
        let ops = "[{op: replace, path: /spec/replicas, value: 5}, {op: add, path: /spec/template/spec/containers/-, value: {name: x}}, {op: remove, path: /spec/template/spec/containers/0}, {op: copy, from: /spec/replicas, path: /spec/minReadySeconds}, {op: test, path: /spec/minReadySeconds, value: 5}]";
        let out = patched(LIVE, ops, PatchType::Json).unwrap();
        assert_eq!(out["spec"]["replicas"], v("5"));
        assert_eq!(out["spec"]["minReadySeconds"], v("5"));
        let names: Vec<&str> = out["spec"]["template"]["spec"]["containers"]
            .as_sequence()
            .unwrap()
            .iter()
            .map(|c| c["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["log", "x"]);
        assert_eq!(
            patched(
                LIVE,
                "[{op: replace, path: /spec/paused, value: true}]",
                PatchType::Json
            ),
            Err(
                "jsonpatch replace operation does not apply: doc is missing key: \"/spec/paused\""
                    .into()
            )
        );
        assert_eq!(
            patched(
                LIVE,
                "[{op: add, path: /spec/a/b, value: 1}]",
                PatchType::Json
            ),
            Err(
                "jsonpatch add operation does not apply: doc is missing path: \"/spec/a/b\"".into()
            )
        );
        assert_eq!(
            patched(
                LIVE,
                "[{op: test, path: /spec/replicas, value: 4}]",
                PatchType::Json
            ),
            Err("testing value /spec/replicas failed: test failed".into())
        );
        assert!(patched(LIVE, "{spec: {}}", PatchType::Json).is_err());
        assert!(patched(LIVE, "[{op: frob, path: /spec}]", PatchType::Json).is_err());
    }
}
