//! `kubectl edit`: the object as kubectl hands it to an editor, and on save the patch kubectl
//! would send (edit.go, editoptions.go). The app shows the text in an edit dialog; what is
//! saved becomes an ordinary `kubectl patch … --type merge` command, so it is recorded and
//! replayed like any other. Deployments and Services can be edited, as they can be patched.

use super::args::{self, flag, Flag};
use super::get::find;
use super::resources::{select, Kind};
use crate::api::json::to_json_compact;
use crate::command::Output;
use crate::sim::Sim;
use serde_yaml::{Mapping, Value};

const FLAGS: &[Flag] = &[flag("output", Some('o'), true)];

/// kubectl's header above the object in the editor.
const HEADER: &str = "# Please edit the object below. Lines beginning with a '#' will be ignored,\n# and an empty file will abort the edit. If an error occurs while saving this file will be\n# reopened with the relevant failures.\n#\n";

/// What kubectl prints when the edited text changes nothing or is emptied, and the error
/// it ends with when an edit is given up after a refused save.
pub const CANCELLED: &str = "Edit cancelled, no changes made.\n";
pub const EMPTIED: &str = "Edit cancelled, saved file was empty.\n";
pub const GIVEN_UP: &str = "error: Edit cancelled, no valid changes were saved.\n";

/// An object open for editing.
#[derive(Debug, Clone, PartialEq)]
pub struct Edit {
    /// `deployment.apps/web`, as kubectl names it.
    pub object: String,
    kind: Kind,
    name: String,
    namespace: String,
    /// The object as shown, without the header.
    original: Value,
    /// The editor's text: the header and the object.
    pub text: String,
}

/// Whether a console line is `kubectl edit …`, which the app opens in its edit dialog.
pub fn is_edit(line: &str) -> bool {
    super::verb(line).as_deref() == Some("edit")
}

/// The object a `kubectl edit` line names, ready for the editor; or what kubectl prints
/// instead (help, a usage error, NotFound).
pub fn open(sim: &Sim, line: &str) -> Result<Edit, Output> {
    let tokens = args::tokenize(line).map_err(|e| Output::err(format!("{e}\n")))?;
    // Global flags before the command count as its own (`kubectl -n shop edit …`).
    let (mut words, rest) = super::split_global(&tokens);
    words.extend(rest.iter().skip(1).cloned());
    let a = args::parse(&words, FLAGS).map_err(|e| super::flag_error("edit", &e))?;
    if a.bool("help") {
        return Err(Output::ok(
            super::help::command_help("edit").unwrap_or_default(),
        ));
    }
    let format = match a.get("output").unwrap_or("yaml") {
        f @ ("yaml" | "json") => f,
        o => {
            return Err(Output::err(format!(
                "error: the edit mode {o:?} is not supported: only yaml and json are allowed\n"
            )))
        }
    };
    let sel = select(&a.positional).map_err(|e| Output::err(format!("{e}\n")))?;
    let targets: Vec<(Kind, String)> = sel
        .items
        .into_iter()
        .flat_map(|(k, names)| names.into_iter().map(move |n| (k, n)))
        .collect();
    let (kind, name) = match targets.as_slice() {
        [] => return Err(Output::err(super::mutate::NO_RESOURCES)),
        [one] => one.clone(),
        _ => {
            return Err(Output::err(
                "error: kubesim edits one object at a time; name a single object\n",
            ))
        }
    };
    if !matches!(kind, Kind::Deployment | Kind::Service) {
        return Err(Output::err(format!(
            "error: kubesim edits Deployments and Services; {}/{name} cannot be edited here\n",
            kind.qualified()
        )));
    }
    let namespace = a.namespace();
    let Some(obj) = find(sim, kind, &namespace, &name) else {
        return Err(Output::err(super::mutate::not_found(kind, &name)));
    };
    let original = obj.value();
    // The header is for YAML; kubectl writes JSON without it.
    let header = if format == "yaml" { HEADER } else { "" };
    let text = format!("{header}{}", super::get::render_as(&original, format));
    Ok(Edit {
        object: format!("{}/{name}", kind.qualified()),
        kind,
        name,
        namespace,
        original,
        text,
    })
}

/// What saving `edited` does.
#[derive(Debug, Clone, PartialEq)]
pub enum Saved {
    /// Nothing to send; kubectl's line (`CANCELLED` or `EMPTIED`).
    Cancelled(&'static str),
    /// The `kubectl patch` command that makes the change.
    Patch(String),
    /// kubectl ends the edit with this error instead of reopening the file.
    Failed(String),
}

/// What saving `edited` does, or the reason the text cannot be saved, which kubectl shows
/// when it reopens the file.
pub fn save(sim: &Sim, edit: &Edit, edited: &str) -> Result<Saved, String> {
    // `ManualStrip`: comment lines go (`#!` stays); an empty file aborts.
    let kept: String = edited
        .lines()
        .filter(|l| {
            let t = l.trim();
            !t.starts_with('#') || t.starts_with("#!")
        })
        .map(|l| format!("{l}\n"))
        .collect();
    if kept.trim().is_empty() {
        return Ok(Saved::Cancelled(EMPTIED));
    }
    let value: Value =
        crate::api::yaml::from_str(&kept).map_err(|e| format!("error parsing edited-file: {e}"))?;
    if !value.is_mapping() {
        return Err("error parsing edited-file: the edited text is not an object".into());
    }
    // editoptions.go refuses these before anything is sent.
    let identity = |v: &Value| {
        let (api_version, kind, name, _) = crate::api::yaml::kind_of(v);
        (api_version, kind, name)
    };
    if identity(&edit.original) != identity(&value) {
        return Ok(Saved::Failed(
            "error: At least one of apiVersion, kind and name was changed\n".into(),
        ));
    }
    let namespace = value["metadata"]["namespace"].as_str();
    if let Some(ns) = namespace.filter(|n| *n != edit.namespace) {
        return Ok(Saved::Failed(format!(
            "error: the namespace from the provided object {ns:?} does not match the namespace {:?}. You must pass '--namespace={ns}' to perform this operation.\n",
            edit.namespace
        )));
    }
    let Some(patch) = merge_diff(&edit.original, &value) else {
        return Ok(Saved::Cancelled(CANCELLED));
    };
    // The patch goes on one console line; a quote inside a JSON string is written `\u0027`.
    let json = to_json_compact(&patch).replace('\'', "\\u0027");
    let mut line = format!(
        "kubectl patch {} {} --type merge -p '{json}'",
        edit.kind.qualified(),
        args::quote(&edit.name)
    );
    if edit.namespace != "default" {
        line.push_str(&format!(" -n {}", args::quote(&edit.namespace)));
    }
    if line.len() > args::MAX_LINE {
        return Err(format!(
            "the change is {} characters as a patch; kubesim saves at most {} per edit",
            line.len(),
            args::MAX_LINE
        ));
    }
    // kubectl reopens the file when the server refuses the change: try it on a copy first.
    let out = super::run(&mut sim.clone(), &line);
    if !out.success() {
        return Err(out.stderr.trim_end().to_string());
    }
    Ok(Saved::Patch(line))
}

/// The JSON merge patch (RFC 7386) that turns `from` into `to`: changed and new fields, and
/// `null` for removed ones; lists are replaced whole. `None` when they are equal.
fn merge_diff(from: &Value, to: &Value) -> Option<Value> {
    if from == to {
        return None;
    }
    let (Value::Mapping(a), Value::Mapping(b)) = (from, to) else {
        return Some(to.clone());
    };
    let mut patch = Mapping::new();
    for (k, old) in a {
        match b.get(k) {
            None => {
                patch.insert(k.clone(), Value::Null);
            }
            Some(new) => {
                if let Some(d) = merge_diff(old, new) {
                    patch.insert(k.clone(), d);
                }
            }
        }
    }
    for (k, new) in b {
        if !a.contains_key(k) {
            patch.insert(k.clone(), new.clone());
        }
    }
    Some(Value::Mapping(patch))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(yaml: &str) -> Value {
        serde_yaml::from_str(yaml).unwrap_or(Value::Null)
    }

    #[test]
    fn the_patch_holds_only_what_changed() {
        let from = value("spec: {replicas: 3, paused: true, template: {spec: {containers: [{name: web, image: a}]}}}\nstatus: {replicas: 3}");
        let to = value("spec: {replicas: 5, template: {spec: {containers: [{name: web, image: b}]}}, minReadySeconds: 2}\nstatus: {replicas: 3}");
        assert_eq!(
            merge_diff(&from, &to),
            Some(value("spec: {replicas: 5, paused: null, template: {spec: {containers: [{name: web, image: b}]}}, minReadySeconds: 2}"))
        );
        assert_eq!(merge_diff(&from, &from), None);
    }

    #[test]
    fn only_edit_lines_open_the_dialog() {
        assert!(is_edit("kubectl edit deployment/web"));
        assert!(is_edit("  edit deploy web"));
        assert!(is_edit("kubectl -n default edit deployment/web"));
        assert!(!is_edit("kubectl get deploy edit"));
        assert!(!is_edit("kubectl editor"));
    }
}
