//! `kubectl rollout status|history|undo|pause|resume|restart` for Deployments, as the
//! polymorphichelpers of kubectl do them (k8s-semantics.md §4.3, §4.4, §6.2, §6.3).

use super::args::{self, flag, Flag};
use super::resources::{select, Kind};
use super::watch::Watch;
use crate::api::apps::{
    revision_of, Deployment, ReplicaSet, ANNOTATIONS_TO_SKIP, CHANGE_CAUSE, LAST_APPLIED,
    POD_TEMPLATE_HASH, RESTARTED_AT,
};
use crate::api::meta::parse_label_selector;
use crate::apiserver;
use crate::command::{split_warnings, Output};
use crate::controllers::deployment::util::{equal_ignore_hash, TIMED_OUT};
use crate::sim::Sim;
use crate::store::key;
use crate::time::Time;

const FLAGS: &[Flag] = &[
    flag("watch", Some('w'), false),
    flag("revision", None, true),
    flag("timeout", None, true),
    flag("to-revision", None, true),
    args::DRY_RUN,
    flag("output", Some('o'), true),
    flag("filename", Some('f'), true),
    flag("selector", Some('l'), true),
];

const SUBCOMMANDS: &[&str] = &["history", "pause", "restart", "resume", "status", "undo"];

pub fn run(sim: &mut Sim, rest: &[String]) -> (Output, Option<Watch>) {
    let Some(sub) = rest.first() else {
        return (
            Output::ok(super::help::command_help("rollout").unwrap_or_default()),
            None,
        );
    };
    if !SUBCOMMANDS.contains(&sub.as_str()) {
        // `rollout` runs `DefaultSubCommandRun`, which refuses every argument it is given.
        return (
            Output::err(format!(
                "error: unknown command {:?}\nSee 'kubectl rollout -h' for help and examples\n",
                rest.join(" ")
            )),
            None,
        );
    }
    let a = match args::parse(&rest[1..], FLAGS).and_then(|a| typed_flags(sub, &a).map(|()| a)) {
        Ok(a) => a,
        Err(e) => return (super::flag_error(&format!("rollout {sub}"), &e), None),
    };
    if a.bool("help") {
        return (
            Output::ok(super::help::command_help(&format!("rollout {sub}")).unwrap_or_default()),
            None,
        );
    }
    // `Validate`, before any object is fetched.
    if let Some(Ok(rev)) = a
        .int("revision", 64)
        .filter(|_| sub == "history" || sub == "status")
    {
        if rev < 0 {
            let e = format!("error: revision must be a positive integer: {rev}\n");
            return (Output::err(e), None);
        }
    }
    let ns = a.namespace();
    let sel = match select(&a.positional) {
        Ok(sel) if sel.items.is_empty() => {
            return (
                Output::err("error: required resource not specified\n"),
                None,
            )
        }
        Ok(sel) => sel,
        Err(e) => return (Output::err(format!("{e}\n")), None),
    };
    // A type without names means every object of that type in the namespace, or those the
    // label selector picks.
    let labels = match a.get("selector").map(parse_label_selector) {
        None => None,
        Some(Ok(l)) => Some(l),
        Some(Err(e)) => return (Output::err(format!("error: {e}\n")), None),
    };
    if labels.is_some() && sel.items.iter().any(|(_, names)| !names.is_empty()) {
        let e = "error: name cannot be provided when a selector is specified\n";
        return (Output::err(e), None);
    }
    let mut targets = Vec::new();
    for (kind, names) in sel.items {
        let names = if names.is_empty() {
            super::mutate::list_names(sim, kind, &ns, labels.as_ref())
        } else {
            names
        };
        targets.extend(names.into_iter().map(|n| (kind, n)));
    }
    // rollout_restart.go and its pause and resume siblings say when a selector found nothing.
    if targets.is_empty()
        && labels.is_some()
        && matches!(sub.as_str(), "pause" | "resume" | "restart")
    {
        return (
            Output {
                stderr: format!("No resources found in {ns} namespace.\n"),
                ..Output::default()
            },
            None,
        );
    }
    // Each object is fetched first; only Deployments have a viewer, pauser or restarter here.
    let one = |sim: &Sim, kind: Kind, name: &str| -> Result<Deployment, Output> {
        if let Err(e) = super::mutate::exists(sim, kind, &ns, name) {
            return Err(Output::err(e));
        }
        match sim.store.deployments.get(&key(&ns, name)) {
            Some(d) if kind == Kind::Deployment => Ok(d.clone()),
            _ => Err(unsupported(sub, kind, name)),
        }
    };
    if sub == "status" {
        let [(kind, name)] = targets.as_slice() else {
            return (Output::err(format!("error: rollout status is only supported on individual resources and resource collections - {} resources were found\n", targets.len())), None);
        };
        return match one(sim, *kind, name) {
            Ok(d) => status(sim, &d, &a),
            Err(out) => (out, None),
        };
    }
    let mut out = Output::default();
    let mut errors = Vec::new();
    for (kind, name) in &targets {
        let printed = match one(sim, *kind, name) {
            Err(e) => e,
            Ok(d) => match sub.as_str() {
                "history" => history(sim, &d, &a),
                "undo" => undo(sim, &d, &a),
                "pause" => pause(sim, d, true),
                "resume" => pause(sim, d, false),
                _ => restart(sim, d),
            },
        };
        out.stdout.push_str(&printed.stdout);
        let (warnings, error) = split_warnings(&printed.stderr);
        out.stderr.push_str(warnings);
        if !error.is_empty() {
            errors.push(error.to_string());
        }
        out.exit_code = out.exit_code.max(printed.exit_code);
    }
    // The visitor goes on after an error; `checkErr` prints one error as it is and several
    // as `MultipleErrors("")` does, without the "error: " prefix.
    let several = errors.len() > 1;
    for e in &errors {
        let e = if several {
            e.strip_prefix("error: ").unwrap_or(e)
        } else {
            e
        };
        out.stderr.push_str(e);
    }
    a.warn_deprecated_dry_run(&mut out, sim.now);
    (out, None)
}

/// The flags whose values pflag parses before the command runs: a bad one is a usage error.
/// Of the rollout subcommands only `undo` has `--dry-run`.
fn typed_flags(sub: &str, a: &args::Args) -> Result<(), String> {
    if sub != "undo" && a.has("dry-run") {
        return Err("unknown flag: --dry-run".into());
    }
    // `rollout status` has no label selector; the others pick objects with `-l`.
    if sub == "status" && a.has("selector") {
        return Err("unknown shorthand flag: 'l' in -l".into());
    }
    for f in ["revision", "to-revision"] {
        if let Some(Err(e)) = a.int(f, 64) {
            return Err(e);
        }
    }
    match a.get("timeout").map(parse_duration) {
        Some(Err(e)) => Err(e),
        _ => Ok(()),
    }
}

fn unsupported(sub: &str, kind: Kind, name: &str) -> Output {
    let gk = match kind.qualified().split_once('.') {
        Some((_, group)) => format!("{}.{}", kind.name(), group),
        None => kind.name().to_string(),
    };
    Output::err(match sub {
        "status" => format!("error: no status viewer has been implemented for {gk}\n"),
        "history" => format!("error: no history viewer has been implemented for {gk:?}\n"),
        "undo" => format!("error: no rollbacker has been implemented for {gk:?}\n"),
        "pause" => format!(
            "error: {} {name:?} pausing is not supported\n",
            kind.group_resource()
        ),
        "resume" => format!(
            "error: {} {name:?} resuming is not supported\n",
            kind.group_resource()
        ),
        _ => format!(
            "error: {} {name:?} restarting is not supported\n",
            kind.group_resource()
        ),
    })
}

/// `DeploymentStatusViewer.Status`: the line to print and whether the watch is over
/// (`Err` = the command fails with this message).
pub fn status_line(d: &Deployment) -> Result<(String, bool), String> {
    let name = &d.metadata.name;
    if d.metadata.generation.unwrap_or(0) > d.status.observed_generation.unwrap_or(0) {
        return Ok((
            "Waiting for deployment spec update to be observed...".into(),
            false,
        ));
    }
    if d.condition("Progressing")
        .is_some_and(|c| c.reason == TIMED_OUT)
    {
        return Err(format!(
            "deployment {name:?} exceeded its progress deadline"
        ));
    }
    let s = &d.status;
    let r = d.replicas();
    if s.updated_replicas < r {
        return Ok((
            format!("Waiting for deployment {name:?} rollout to finish: {} out of {r} new replicas have been updated...", s.updated_replicas),
            false,
        ));
    }
    if s.replicas > s.updated_replicas {
        return Ok((
            format!(
                "Waiting for deployment {name:?} rollout to finish: {} old replicas are pending termination...",
                s.replicas - s.updated_replicas
            ),
            false,
        ));
    }
    if s.available_replicas < s.updated_replicas {
        return Ok((
            format!(
                "Waiting for deployment {name:?} rollout to finish: {} of {} updated replicas are available...",
                s.available_replicas, s.updated_replicas
            ),
            false,
        ));
    }
    Ok((format!("deployment {name:?} successfully rolled out"), true))
}

/// `kubectl rollout status` keeps printing on every change of the Deployment until the
/// rollout succeeds, fails its deadline, or `--timeout` passes.
#[derive(Debug, Clone, PartialEq)]
pub struct StatusWatch {
    ns: String,
    name: String,
    uid: String,
    last_version: Option<String>,
    deadline: Option<Time>,
    finished: bool,
}

impl StatusWatch {
    pub fn finished(&self) -> bool {
        self.finished
    }

    pub fn wake_at(&self) -> Option<Time> {
        self.deadline.filter(|_| !self.finished)
    }

    pub fn poll(&mut self, sim: &Sim) -> Output {
        if self.finished {
            return Output::default();
        }
        let d = sim
            .store
            .deployments
            .get(&key(&self.ns, &self.name))
            .filter(|d| d.metadata.uid() == self.uid);
        let Some(d) = d else {
            self.finished = true;
            return Output::err("error: object has been deleted\n");
        };
        if self.deadline.is_some_and(|t| sim.now >= t) {
            self.finished = true;
            return Output::err("error: timed out waiting for the condition\n");
        }
        if self.last_version == d.metadata.resource_version {
            return Output::default();
        }
        self.last_version = d.metadata.resource_version.clone();
        let out = status_output(d);
        self.finished = out.1;
        out.0
    }
}

fn status_output(d: &Deployment) -> (Output, bool) {
    match status_line(d) {
        Ok((line, done)) => (Output::ok(format!("{line}\n")), done),
        Err(e) => (Output::err(format!("error: {e}\n")), true),
    }
}

fn status(sim: &Sim, d: &Deployment, a: &args::Args) -> (Output, Option<Watch>) {
    if let Some(rev) = a.get("revision").and_then(|r| r.parse::<i64>().ok()) {
        if rev > 0 && rev != d.revision() {
            return (
                Output::err(format!(
                    "error: desired revision ({rev}) is different from the running revision ({})\n",
                    d.revision()
                )),
                None,
            );
        }
    }
    let (out, done) = status_output(d);
    let watch = a.get("watch").is_none_or(|_| a.bool("watch"));
    if done || !watch {
        return (out, None);
    }
    // `typed_flags` has refused a value that is not a duration.
    let deadline = match a.get("timeout").map(parse_duration) {
        Some(Ok(ms)) if ms > 0 => Some(sim.now.plus_ms(ms)),
        _ => None,
    };
    let w = StatusWatch {
        ns: d.metadata.ns().to_string(),
        name: d.metadata.name.clone(),
        uid: d.metadata.uid().to_string(),
        last_version: d.metadata.resource_version.clone(),
        deadline,
        finished: false,
    };
    (out, Some(Watch::RolloutStatus(w)))
}

/// Go duration strings as kubectl flags take them: `90s`, `5m`, `1h30m`, `0`.
pub fn parse_duration(s: &str) -> Result<u64, String> {
    let bad =
        || format!("invalid argument {s:?} for \"--timeout\" flag: time: invalid duration {s:?}");
    if s == "0" {
        return Ok(0);
    }
    let mut total = 0f64;
    let mut num = String::new();
    let mut chars = s.chars().peekable();
    let mut any = false;
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() || c == '.' {
            num.push(c);
            continue;
        }
        let unit = match (c, chars.peek()) {
            ('m', Some('s')) => {
                chars.next();
                0.001
            }
            ('h', _) => 3600.0,
            ('m', _) => 60.0,
            ('s', _) => 1.0,
            _ => return Err(bad()),
        };
        let v: f64 = num.parse().map_err(|_| bad())?;
        total += v * unit;
        num.clear();
        any = true;
    }
    if !num.is_empty() || !any {
        return Err(bad());
    }
    Ok((total * 1000.0) as u64)
}

fn owned(sim: &Sim, d: &Deployment) -> Vec<ReplicaSet> {
    sim.store
        .replicasets_owned_by(d.metadata.ns(), d.metadata.uid())
        .cloned()
        .collect()
}

fn history(sim: &Sim, d: &Deployment, a: &args::Args) -> Output {
    let rss = owned(sim, d);
    let head = format!("deployment.apps/{}", d.metadata.name);
    if let Some(rev) = a.get("revision").and_then(|r| r.parse::<i64>().ok()) {
        if rev > 0 {
            let Some(rs) = rss.iter().find(|rs| revision_of(&rs.metadata) == rev) else {
                return Output::err("error: unable to find the specified revision\n");
            };
            // `ViewHistory` copies the ReplicaSet's change-cause into the template's
            // annotations before printing it.
            let mut template = rs.spec.template.clone();
            if let Some(cause) = rs
                .metadata
                .annotation(CHANGE_CAUSE)
                .filter(|c| !c.is_empty())
            {
                template
                    .metadata
                    .annotations
                    .insert(CHANGE_CAUSE.into(), cause.to_string());
            }
            let body = super::describe::pod_template_raw(&template);
            return Output::ok(
                format!(
                    "{head} with revision #{rev}\n{}\n",
                    body.trim_end_matches('\n')
                ) + "\n",
            );
        }
    }
    if rss.is_empty() {
        return Output::ok("No rollout history found.\n");
    }
    let mut rows: Vec<(i64, String)> = rss
        .iter()
        .map(|rs| {
            (
                revision_of(&rs.metadata),
                rs.metadata
                    .annotation(CHANGE_CAUSE)
                    .unwrap_or("<none>")
                    .to_string(),
            )
        })
        .collect();
    crate::order::sort(&mut rows);
    let mut w = super::printers::DescribeWriter::new();
    w.line(0, "REVISION\tCHANGE-CAUSE");
    for (rev, cause) in rows {
        w.line(0, &format!("{rev}\t{cause}"));
    }
    Output::ok(format!("{head} \n{}\n", w.finish()))
}

/// `DeploymentRollbacker.Rollback`, done client-side as modern kubectl does (§4.3).
fn undo(sim: &mut Sim, d: &Deployment, a: &args::Args) -> Output {
    // `typed_flags` has refused a value that is not a number.
    let to_revision = a
        .get("to-revision")
        .and_then(|v| v.parse::<i64>().ok())
        .unwrap_or(0);
    if to_revision < 0 {
        return Output::err(format!(
            "error: unable to find specified revision {to_revision} in history\n"
        ));
    }
    let rss = owned(sim, d);
    let target = match pick_revision(&rss, to_revision) {
        Ok(rs) => rs,
        Err(()) if to_revision > 0 => {
            return Output::err(format!(
                "error: unable to find specified revision {to_revision} in history\n"
            ))
        }
        Err(()) => {
            return Output::err(format!(
                "error: no rollout history found for deployment {:?}\n",
                d.metadata.name
            ))
        }
    };
    let head = format!("deployment.apps/{}", d.metadata.name);
    let note = match a.dry_run() {
        Ok(note) => note,
        Err(e) => return Output::err(e),
    };
    // `Rollback` prints the template for a client dry run only; a server dry run makes the
    // same checks and the patch, which the server then does not keep.
    if note == Some(" (dry run)") {
        let body = super::describe::pod_template_raw(&target.spec.template);
        return Output::ok(format!(
            "{head} {}\n (dry run)\n",
            body.trim_end_matches('\n')
        ));
    }
    if d.is_paused() {
        return Output::err("error: you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again\n");
    }
    if equal_ignore_hash(&target.spec.template, &d.spec.template) {
        return Output::ok(format!(
            "{head} skipped rollback (current template already matches revision {to_revision}){}\n",
            note.unwrap_or("")
        ));
    }
    let mut next = d.clone();
    next.spec.template = target.spec.template.clone();
    next.spec.template.metadata.labels.remove(POD_TEMPLATE_HASH);
    let mut annotations = std::collections::BTreeMap::new();
    for k in ANNOTATIONS_TO_SKIP {
        if let Some(v) = d.metadata.annotations.get(*k) {
            annotations.insert(k.to_string(), v.clone());
        }
    }
    for (k, v) in &target.metadata.annotations {
        if !ANNOTATIONS_TO_SKIP.contains(&k.as_str()) {
            annotations.insert(k.clone(), v.clone());
        }
    }
    next.metadata.annotations = annotations;
    let mut stderr = String::new();
    if d.metadata.annotations.contains_key(LAST_APPLIED) {
        stderr.push_str(&format!(
            "Warning: resource deployments/{} was previously managed with 'kubectl apply'. Rolling back will not update the kubectl.kubernetes.io/last-applied-configuration annotation, which may cause unexpected behavior on future 'kubectl apply' operations. Consider using 'kubectl apply' with your previous configuration file instead.\n",
            d.metadata.name
        ));
    }
    if let Some(note) = note {
        let mut copy = sim.clone();
        return match apiserver::update_deployment(&mut copy, next) {
            Ok(_) => Output {
                stdout: format!("{head} rolled back{note}\n"),
                stderr,
                ..Output::default()
            },
            Err(e) => Output::err(format!("{stderr}{}\n", e.kubectl_text())),
        };
    }
    match apiserver::update_deployment(sim, next) {
        Ok(_) => Output {
            stdout: format!("{head} rolled back\n"),
            stderr,
            ..Output::default()
        },
        Err(e) => Output::err(format!("{stderr}{}\n", e.kubectl_text())),
    }
}

/// `deploymentRevision`: the ReplicaSet with the requested revision, or the one with the
/// second-highest revision.
fn pick_revision(rss: &[ReplicaSet], to_revision: i64) -> Result<ReplicaSet, ()> {
    let mut latest: Option<&ReplicaSet> = None;
    let mut previous: Option<&ReplicaSet> = None;
    let (mut max, mut prev) = (0i64, 0i64);
    for rs in rss {
        let Some(v) = rs
            .metadata
            .annotation(crate::api::apps::REVISION)
            .and_then(|v| v.parse::<i64>().ok())
        else {
            continue;
        };
        if to_revision == 0 {
            if max < v {
                prev = max;
                previous = latest;
                max = v;
                latest = Some(rs);
            } else if prev < v {
                prev = v;
                previous = Some(rs);
            }
        } else if v == to_revision {
            return Ok(rs.clone());
        }
    }
    if to_revision > 0 {
        return Err(());
    }
    previous.cloned().ok_or(())
}

fn pause(sim: &mut Sim, d: Deployment, pause: bool) -> Output {
    let name = d.metadata.name.clone();
    if d.is_paused() == pause {
        let what = if pause {
            "is already paused"
        } else {
            "is not paused"
        };
        return Output::err(format!("error: deployments.apps {name:?} {what}\n"));
    }
    let mut next = d;
    // Resuming writes `paused: false`, which the API omits when serialising.
    next.spec.paused = pause.then_some(true);
    match apiserver::update_deployment(sim, next) {
        Ok(_) => Output::ok(format!(
            "deployment.apps/{name} {}\n",
            if pause { "paused" } else { "resumed" }
        )),
        Err(e) => Output::err(format!("{}\n", e.kubectl_text())),
    }
}

/// `rollout restart` stamps the template, which starts an ordinary rollout (never "delete
/// every pod").
fn restart(sim: &mut Sim, d: Deployment) -> Output {
    let name = d.metadata.name.clone();
    if d.is_paused() {
        return Output::err(format!(
            "error: deployments.apps {:?} can't restart paused deployment (run rollout resume first)\n",
            d.metadata.name
        ));
    }
    let now = sim.api_now().rfc3339();
    // The stamp has one-second resolution: a second restart within it makes an empty patch,
    // which `rollout restart` refuses.
    if d.spec.template.metadata.annotations.get(RESTARTED_AT) == Some(&now) {
        return Output::err(format!(
            "error: failed to create patch for {name}: if restart has already been triggered within the past second, please wait before attempting to trigger another\n"
        ));
    }
    let mut next = d;
    next.spec
        .template
        .metadata
        .annotations
        .insert(RESTARTED_AT.into(), now);
    match apiserver::update_deployment(sim, next) {
        Ok(_) => Output::ok(format!("deployment.apps/{name} restarted\n")),
        Err(e) => Output::err(format!("{}\n", e.kubectl_text())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse_like_go() {
        assert_eq!(parse_duration("90s"), Ok(90_000));
        assert_eq!(parse_duration("1m30s"), Ok(90_000));
        assert_eq!(parse_duration("500ms"), Ok(500));
        assert_eq!(parse_duration("0"), Ok(0));
        assert!(parse_duration("soon").is_err());
        assert!(parse_duration("5").is_err());
    }
}
