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
            Ok(p) => {
                out.stderr.push_str(&p.warnings);
                let shown = p
                    .local
                    .or_else(|| super::get::find(sim, kind_of, &ns, &name).map(|o| o.value()));
                let shown = shown.filter(|_| wants_object);
                let operation = if p.changed {
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

/// What patching one object printed: whether it changed, the server's warnings, and in a
/// client dry run the object kubectl patched locally without asking the server.
struct Patched {
    changed: bool,
    warnings: String,
    local: Option<Value>,
}

/// The API server's 422 for a JSON patch that does not apply: it keeps no detail.
const JSON_PATCH_INVALID: &str =
    "The request is invalid: the server rejected our request due to an error in our request\n";

/// Patches one object, or says why not in kubectl's words.
fn patch_one(
    sim: &mut Sim,
    kind: Kind,
    ns: &str,
    name: &str,
    patch_type: PatchType,
    body: &Value,
    client_dry_run: bool,
) -> Result<Patched, String> {
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
    let mut patched = match patch_type {
        PatchType::Strategic => strategic(&live, body)?,
        PatchType::Merge => merge_patch(&live, body, 0)
            .map_err(|e| format!("Error from server (BadRequest): {e}\n"))?,
        PatchType::Json => json_patch(&live, body)?,
    };
    // A client dry run patches kubectl's copy of the object and prints that, unchecked.
    if client_dry_run {
        return Ok(Patched {
            changed: patched != live,
            warnings: String::new(),
            local: Some(patched),
        });
    }
    identity(kind, name, ns, &live, &patched)?;
    if let Some(e) = schema::type_error(kind.name(), &patched) {
        return Err(format!("Error from server (BadRequest): {e}\n"));
    }
    // kubectl patch asks for no field validation, so the server's default (Warn) drops an
    // unknown field and says so.
    let mut warnings = String::new();
    for path in schema::unknown_fields(kind.name(), &patched) {
        warnings.push_str(&format!(
            "Warning: unknown field {}\n",
            schema::go_quote(&path)
        ));
        drop_field(&mut patched, "", &path, 0);
    }
    let server = |e: ApiError| format!("{}\n", e.kubectl_text());
    let changed = match kind {
        Kind::Deployment => {
            let d: Deployment = yaml::from_value(patched)
                .map_err(|e| format!("Error from server (BadRequest): {e}\n"))?;
            apiserver::update_deployment(sim, d)
                .map(|(_, changed)| changed)
                .map_err(server)?
        }
        _ => super::apply::update_service(sim, patched, ns.to_string()).map_err(server)?,
    };
    Ok(Patched {
        changed,
        warnings,
        local: None,
    })
}

/// The checks the API server makes on a patched object before anything else: it must keep
/// its name and namespace (`checkName`), and a UID or resourceVersion in it must still be
/// the live object's (a precondition, else a conflict).
fn identity(kind: Kind, name: &str, ns: &str, live: &Value, patched: &Value) -> Result<(), String> {
    let meta = |v: &Value, field: &str| -> Option<String> {
        v.get("metadata")
            .and_then(|m| m.get(field))
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    let patched_name = meta(patched, "name").unwrap_or_default();
    if patched_name != name {
        return Err(format!("Error from server (BadRequest): the name of the object ({patched_name}) does not match the name on the URL ({name})\n"));
    }
    if meta(patched, "namespace").is_some_and(|n| n != ns) {
        return Err("Error from server (BadRequest): the namespace of the provided object does not match the namespace sent on the request\n".into());
    }
    let conflict = |why: &str| {
        format!(
            "Error from server (Conflict): Operation cannot be fulfilled on {} {name:?}: {why}\n",
            kind.group_resource()
        )
    };
    let (uid, live_uid) = (meta(patched, "uid"), meta(live, "uid"));
    if uid != live_uid {
        return Err(conflict(&format!(
            "Precondition failed: UID in precondition: {}, UID in object meta: {}",
            uid.unwrap_or_default(),
            live_uid.unwrap_or_default()
        )));
    }
    let version = meta(patched, "resourceVersion");
    if version.is_some() && version != meta(live, "resourceVersion") {
        return Err(conflict(
            "the object has been modified; please apply your changes to the latest version and try again",
        ));
    }
    Ok(())
}

/// Removes the field a strict-decoding path names (`spec.template.spec.containers[0].imagee`),
/// rebuilding paths as the decoder writes them. A key found whole at a level wins over a
/// walk into a known field: `{"spec.replicas": 5}` is the unknown key `spec.replicas`, not
/// `spec` then `replicas`.
fn drop_field(v: &mut Value, prefix: &str, target: &str, depth: usize) -> bool {
    if depth > MAX_DEPTH {
        return false;
    }
    let join = |key: &str| {
        if prefix.is_empty() {
            key.to_string()
        } else {
            format!("{prefix}.{key}")
        }
    };
    let leads = |path: &str| {
        target
            .strip_prefix(path)
            .is_some_and(|rest| rest.starts_with(['.', '[']))
    };
    match v {
        Value::Mapping(m) => {
            let exact = m
                .keys()
                .find(|k| k.as_str().is_some_and(|k| join(k) == target))
                .cloned();
            if let Some(k) = exact {
                m.remove(&k);
                return true;
            }
            m.iter_mut().any(|(k, child)| {
                let path = join(k.as_str().unwrap_or(""));
                leads(&path) && drop_field(child, &path, target, depth + 1)
            })
        }
        Value::Sequence(items) => items.iter_mut().enumerate().any(|(i, child)| {
            let path = format!("{prefix}[{i}]");
            leads(&path) && drop_field(child, &path, target, depth + 1)
        }),
        _ => false,
    }
}

/// A strategic merge patch (see [`merge::strategic_merge_patch`]). The patch directives
/// (`$patch`, `$setElementOrder`, `$retainKeys`, `$deleteFromPrimitiveList`) are not
/// simulated and refused.
fn strategic(live: &Value, patch: &Value) -> Result<Value, String> {
    // Go decodes `null` into the patch map as no map at all: nothing changes.
    if patch.is_null() {
        return Ok(live.clone());
    }
    if !patch.is_mapping() {
        return Err(format!(
            "Error from server (BadRequest): json: cannot unmarshal {} into Go value of type map[string]interface {{}}\n",
            crate::api::schema::kind_name(patch)
        ));
    }
    if let Some(d) = directive(patch, 0) {
        return Err(format!(
            "error: the patch directive {d:?} is not simulated; use --type merge or --type json\n"
        ));
    }
    // A list item without its merge key fails inside the server's merge, not as a Status.
    merge::strategic_merge_patch(live, patch).map_err(|e| format!("Error from server: {e}\n"))
}

/// The first patch directive (`$…` key) anywhere in the patch.
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

/// How many bytes of copies one JSON patch may make: the API server's request size limit,
/// which it passes to the patch library as `AccumulatedCopySizeLimit`.
const COPY_LIMIT: usize = 3 * 1024 * 1024;

/// RFC 6902 operations, in order. A body that is not a list of objects is the server's
/// 400; an operation that cannot apply stops the patch with its bare 422.
fn json_patch(live: &Value, patch: &Value) -> Result<Value, String> {
    let bad_request = |v: &Value, go_type: &str| {
        format!(
            "Error from server (BadRequest): json: cannot unmarshal {} into Go value of type {go_type}\n",
            crate::api::schema::kind_name(v)
        )
    };
    // `null` decodes into an empty list of operations.
    if patch.is_null() {
        return Ok(live.clone());
    }
    let Value::Sequence(ops) = patch else {
        return Err(bad_request(patch, "jsonpatch.Patch"));
    };
    if let Some(op) = ops.iter().find(|op| !op.is_mapping()) {
        return Err(bad_request(op, "jsonpatch.Operation"));
    }
    let mut doc = live.clone();
    let mut copied = 0;
    for op in ops {
        apply_op(&mut doc, op, &mut copied).ok_or_else(|| JSON_PATCH_INVALID.to_string())?;
    }
    Ok(doc)
}

/// One operation; `None` when it does not apply (missing fields or paths, a failed test,
/// an unknown kind, copies beyond [`COPY_LIMIT`]).
fn apply_op(doc: &mut Value, op: &Value, copied: &mut usize) -> Option<()> {
    let field = |name: &str| op.get(name).and_then(Value::as_str);
    let path = field("path")?;
    match field("op")? {
        "add" => add(doc, path, op.get("value")?.clone()),
        "remove" => remove(doc, path).map(|_| ()),
        "replace" => {
            let v = op.get("value")?.clone();
            *pointer(doc, path)? = v;
            Some(())
        }
        "move" => {
            let v = remove(doc, field("from")?)?;
            add(doc, path, v)
        }
        "copy" => {
            let v = pointer(doc, field("from")?)?.clone();
            *copied += size(&v);
            if *copied > COPY_LIMIT {
                return None;
            }
            add(doc, path, v)
        }
        "test" => (pointer(doc, path).map(|v| &*v) == op.get("value")).then_some(()),
        _ => None,
    }
}

/// Roughly the JSON size of a value, counted without recursion so that no depth hides any.
fn size(v: &Value) -> usize {
    let mut total = 0;
    let mut stack = vec![v];
    while let Some(v) = stack.pop() {
        total += match v {
            Value::String(s) => s.len() + 2,
            Value::Mapping(m) => {
                for (k, child) in m {
                    stack.push(k);
                    stack.push(child);
                }
                2
            }
            Value::Sequence(items) => {
                stack.extend(items.iter());
                2
            }
            Value::Tagged(t) => {
                stack.push(&t.value);
                0
            }
            _ => 5,
        };
    }
    total
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

    /// One field of each container of a patched Deployment, in order.
    fn containers<'a>(d: &'a Value, field: &str) -> Vec<&'a str> {
        d["spec"]["template"]["spec"]["containers"]
            .as_sequence()
            .unwrap()
            .iter()
            .map(|c| c[field].as_str().unwrap())
            .collect()
    }

    const LIVE: &str = "spec:\n  replicas: 3\n  template:\n    spec:\n      containers:\n      - {name: web, image: 'nginx:1.27'}\n      - {name: log, image: busybox}\n";

    #[test]
    fn strategic_merges_containers_by_name_and_merge_replaces_the_list() {
        let p = "{spec: {template: {spec: {containers: [{name: log, image: 'busybox:1.37'}]}}}}";
        let s = patched(LIVE, p, PatchType::Strategic).unwrap();
        // Items the live object has keep its order (normalizeElementOrder).
        assert_eq!(containers(&s, "image"), ["nginx:1.27", "busybox:1.37"]);
        // A new item goes before the first live item it cannot be ordered against.
        let p2 = "{spec: {template: {spec: {containers: [{name: new}, {name: log}]}}}}";
        let s2 = patched(LIVE, p2, PatchType::Strategic).unwrap();
        assert_eq!(containers(&s2, "name"), ["new", "web", "log"]);
        // A key the patch repeats merges into one item.
        let p3 = "{spec: {template: {spec: {containers: [{name: log, image: a}, {name: log, tty: true}]}}}}";
        let s3 = patched(LIVE, p3, PatchType::Strategic).unwrap();
        assert_eq!(
            s3["spec"]["template"]["spec"]["containers"],
            v("[{name: web, image: 'nginx:1.27'}, {name: log, image: a, tty: true}]")
        );
        // Every item of a keyed list needs its key.
        assert_eq!(
            patched(LIVE, "{spec: {template: {spec: {containers: [{image: httpd}]}}}}", PatchType::Strategic),
            Err("Error from server: map: map[image:httpd] does not contain declared merge key: name\n".into())
        );
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
        assert_eq!(containers(&out, "name"), ["log", "x"]);
        // Whatever does not apply is the server's bare 422.
        for ops in [
            "[{op: replace, path: /spec/paused, value: true}]",
            "[{op: add, path: /spec/a/b, value: 1}]",
            "[{op: remove, path: /spec/template/spec/containers/5}]",
            "[{op: test, path: /spec/replicas, value: 4}]",
            "[{op: frob, path: /spec}]",
            "[{op: add, value: 1}]",
        ] {
            assert_eq!(
                patched(LIVE, ops, PatchType::Json),
                Err(JSON_PATCH_INVALID.into()),
                "{ops}"
            );
        }
        assert_eq!(
            patched(LIVE, "{spec: {}}", PatchType::Json),
            Err("Error from server (BadRequest): json: cannot unmarshal object into Go value of type jsonpatch.Patch\n".into())
        );
        assert_eq!(
            patched(LIVE, "[1]", PatchType::Json),
            Err("Error from server (BadRequest): json: cannot unmarshal number into Go value of type jsonpatch.Operation\n".into())
        );
        // Copies that double the document each time stop at the server's size limit.
        let doubling: Vec<String> = (0..40)
            .map(|i| format!("{{op: copy, from: '', path: /a{i}}}"))
            .collect();
        let doubling = format!("[{}]", doubling.join(", "));
        assert_eq!(
            patched(LIVE, &doubling, PatchType::Json),
            Err(JSON_PATCH_INVALID.into())
        );
        // A value moved below any depth a printer reaches still counts in full: a blob at
        // the end of one chain of 150 maps, moved to the end of another, is 300 levels down.
        let chain =
            |name: &str, n: usize| -> String { (0..n).map(|i| format!("/{name}{i}")).collect() };
        let mut ops = Vec::new();
        for name in ["a", "b"] {
            for i in 0..150 {
                ops.push(format!(
                    "{{op: add, path: '{}', value: {{}}}}",
                    chain(name, i + 1)
                ));
            }
        }
        ops.push(format!(
            "{{op: add, path: '{}/blob', value: '{}'}}",
            chain("a", 150),
            "x".repeat(4000)
        ));
        ops.push(format!(
            "{{op: move, from: /a0, path: '{}/moved'}}",
            chain("b", 150)
        ));
        let setup = format!("[{}]", ops.join(", "));
        assert!(
            patched(LIVE, &setup, PatchType::Json).is_ok(),
            "the chains build"
        );
        ops.extend((0..9).map(|i| format!("{{op: copy, from: '', path: /c{i}}}")));
        assert_eq!(
            patched(LIVE, &format!("[{}]", ops.join(", ")), PatchType::Json),
            Err(JSON_PATCH_INVALID.into())
        );
    }
}
