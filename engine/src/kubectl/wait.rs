//! `kubectl wait`: waits, as simulated time passes, until objects meet a condition, are
//! deleted or created, or a JSONPath value holds; one object after another, all within one
//! `--timeout` (kubectl's wait.go, condition.go, delete.go, create.go and json.go).

use super::args::{self, flag, Args, Flag};
use super::get::{find, Obj};
use super::jsonpath::Template;
use super::resources::{select, Kind};
use super::watch::Watch;
use crate::api::meta::{parse_label_selector, LabelSelector};
use crate::command::Output;
use crate::sim::Sim;
use crate::time::Time;
use serde_yaml::Value;

const FLAGS: &[Flag] = &[
    flag("for", None, true),
    flag("timeout", None, true),
    flag("selector", Some('l'), true),
    flag("all", None, false),
    flag("all-namespaces", Some('A'), false),
    flag("field-selector", None, true),
    flag("local", None, false),
    flag("filename", Some('f'), true),
    flag("output", Some('o'), true),
];

/// What `--for` waits for.
#[derive(Debug, Clone, PartialEq)]
enum For {
    Delete,
    Create,
    /// A condition type (compared without case) and its status, `true` by default.
    Condition(String, String),
    /// A JSONPath expression, and the value it must print (any value when `None`).
    JsonPath(Template, Option<String>),
}

/// `--for`, as wait.go's `conditionFuncFor` reads it.
fn parse_for(text: &str) -> Result<For, String> {
    match text.to_lowercase().as_str() {
        "delete" => return Ok(For::Delete),
        "create" => return Ok(For::Create),
        _ => {}
    }
    if let Some(rest) = text.strip_prefix("condition=") {
        let (name, value) = rest.split_once('=').unwrap_or((rest, "true"));
        return Ok(For::Condition(name.to_string(), value.to_string()));
    }
    if let Some(rest) = text.strip_prefix("jsonpath=") {
        let parts = split_jsonpath(rest);
        let (expression, value) = match parts.as_slice() {
            [e] => (e.as_str(), None),
            [e, v] => (e.as_str(), Some(v.as_str())),
            _ => return Err("jsonpath wait format must be --for=jsonpath='{.status.readyReplicas}'=3 or --for=jsonpath='{.status.readyReplicas}'".into()),
        };
        // json.go checks the value before the expression.
        let value = match value.map(|v| v.trim_matches(['\'', '"'])) {
            Some("") => return Err("jsonpath wait has to have a value after equal sign, like --for=jsonpath='{.status.readyReplicas}'=3".into()),
            v => v.map(String::from),
        };
        if expression.is_empty() {
            return Err("jsonpath expression cannot be empty".into());
        }
        let template = super::jsonpath::relaxed(expression)?;
        return Ok(For::JsonPath(template, value));
    }
    Err(format!("unrecognized condition: {text:?}"))
}

/// The expression and value of `--for=jsonpath=`, split at single `=` (`==` belongs to a
/// filter expression).
fn split_jsonpath(text: &str) -> Vec<String> {
    let mut parts = vec![String::new()];
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '=' if chars.peek() == Some(&'=') => {
                chars.next();
                if let Some(p) = parts.last_mut() {
                    p.push_str("==");
                }
            }
            '=' => parts.push(String::new()),
            c => {
                if let Some(p) = parts.last_mut() {
                    p.push(c);
                }
            }
        }
    }
    parts
}

/// A `kubectl wait` in progress: the objects still to wait for, in order, and the errors to
/// print when it ends.
#[derive(Debug, Clone, PartialEq)]
pub struct WaitWatch {
    ns: String,
    want: For,
    targets: Vec<(Kind, String)>,
    /// `--for=create` with a selector that has matched nothing yet.
    selector: Option<(Kind, LabelSelector)>,
    next: usize,
    /// The current object's UID once it has been looked at (`None` before the first look).
    seen: Option<String>,
    deadline: Time,
    /// `--timeout=0`: check once and do not wait.
    once: bool,
    names_only: bool,
    errors: Vec<String>,
    finished: bool,
}

pub fn run(sim: &mut Sim, rest: &[String]) -> (Output, Option<Watch>) {
    match start(sim, rest) {
        Ok(mut w) => {
            let out = w.poll(sim);
            let watch = (!w.finished).then_some(Watch::Wait(Box::new(w)));
            (out, watch)
        }
        Err(out) => (out, None),
    }
}

fn start(sim: &Sim, rest: &[String]) -> Result<WaitWatch, Output> {
    let a = args::parse(rest, FLAGS).map_err(|e| super::flag_error("wait", &e))?;
    if a.bool("help") {
        return Err(Output::ok(
            super::help::command_help("wait").unwrap_or_default(),
        ));
    }
    for f in ["filename", "local", "all-namespaces", "field-selector"] {
        if a.has(f) {
            return Err(Output::err(format!(
                "error: \"kubectl wait --{f}\" is not available in this simulator; name the objects, or pick them with -l or --all\n"
            )));
        }
    }
    let names_only = match a.get("output") {
        None => false,
        Some("name") => true,
        Some(o) => {
            return Err(Output::err(format!(
                "error: \"kubectl wait -o {o}\" is not available in this simulator; use -o name\n"
            )))
        }
    };
    // The condition is read before any object is looked up.
    let want =
        parse_for(a.get("for").unwrap_or("")).map_err(|e| Output::err(format!("error: {e}\n")))?;
    // "Zero means check once and don't wait, negative means wait for a week."
    let timeout = match a.get("timeout") {
        None => 30_000,
        Some(t) => match t.strip_prefix('-').map(super::rollout::parse_duration) {
            Some(Ok(0)) => 0,
            Some(Ok(_)) => 7 * 24 * 3_600_000,
            _ => super::rollout::parse_duration(t).map_err(|e| super::flag_error("wait", &e))?,
        },
    };
    let (targets, selector) = targets(sim, &a, &want)?;
    Ok(WaitWatch {
        ns: a.namespace(),
        want,
        targets,
        selector,
        next: 0,
        seen: None,
        deadline: sim.now.plus_ms(timeout),
        once: timeout == 0,
        names_only,
        errors: Vec::new(),
        finished: false,
    })
}

/// The objects to wait for, and for `--for=create` a selector still to match.
type Targets = (Vec<(Kind, String)>, Option<(Kind, LabelSelector)>);

/// The objects to wait for: the names given, or those `-l` or `--all` pick now.
fn targets(sim: &Sim, a: &Args, want: &For) -> Result<Targets, Output> {
    let sel = select(&a.positional).map_err(|e| Output::err(format!("{e}\n")))?;
    if sel.items.is_empty() {
        return Err(Output::err(super::mutate::NO_RESOURCES));
    }
    if a.has("selector") && sel.items.iter().any(|(_, names)| !names.is_empty()) {
        return Err(Output::err(
            "error: name cannot be provided when a selector is specified\n",
        ));
    }
    let listed: Vec<Kind> = sel
        .items
        .iter()
        .filter(|(_, names)| names.is_empty())
        .map(|(kind, _)| *kind)
        .collect();
    let out = super::mutate::expand(sim, a, sel.items).map_err(Output::err)?;
    // `--for=create` waits until the selector matches a type it lists; the list is taken
    // once otherwise.
    let pending = (*want == For::Create)
        .then(|| {
            listed
                .into_iter()
                .rev()
                .find(|k| !out.iter().any(|(o, _)| o == k))
        })
        .flatten()
        .map(|kind| {
            let selector = a.get("selector").and_then(|s| parse_label_selector(s).ok());
            (kind, selector.unwrap_or_default())
        });
    if out.is_empty() && pending.is_none() {
        return Err(match want {
            // Nothing to wait for to be deleted.
            For::Delete => Output::default(),
            _ => Output::err("error: no matching resources found\n"),
        });
    }
    Ok((out, pending))
}

/// Go's `strings.EqualFold`.
fn equal_fold(a: &str, b: &str) -> bool {
    a.chars()
        .flat_map(char::to_lowercase)
        .eq(b.chars().flat_map(char::to_lowercase))
}

/// condition.go: the first condition of that type with a status decides, unless the object
/// has a generation its status has not observed yet.
fn condition_met(v: &Value, name: &str, value: &str) -> bool {
    let status = &v["status"];
    let Some(conditions) = status["conditions"].as_sequence() else {
        return false;
    };
    let generation = v["metadata"]["generation"].as_i64();
    for c in conditions {
        let (Some(t), Some(s)) = (c["type"].as_str(), c["status"].as_str()) else {
            continue;
        };
        if !equal_fold(t, name) {
            continue;
        }
        if let Some(generation) = generation {
            let observed = c["observedGeneration"]
                .as_i64()
                .or_else(|| status["observedGeneration"].as_i64());
            if observed.is_some_and(|o| o < generation) {
                return false;
            }
        }
        return equal_fold(s, value);
    }
    false
}

/// json.go: the expression must select exactly one value; with a value to compare, a scalar
/// that prints as it (spaces trimmed).
fn jsonpath_met(v: &Value, template: &Template, value: Option<&str>) -> Result<bool, String> {
    let results = template.results(v)?;
    let result = match results.as_slice() {
        [] => return Ok(false),
        [one] => *one,
        _ => return Err("given jsonpath expression matches more than one value".into()),
    };
    let Some(value) = value else {
        return Ok(true);
    };
    if matches!(result, Value::Mapping(_) | Value::Sequence(_)) {
        return Err("jsonpath leads to a nested object or list which is not supported".into());
    }
    Ok(crate::api::json::go_format(result, false).trim() == value.trim())
}

impl WaitWatch {
    pub fn finished(&self) -> bool {
        self.finished
    }

    pub fn wake_at(&self) -> Option<Time> {
        (!self.finished).then_some(self.deadline)
    }

    /// Lines for the objects met since the last poll; when the last object is done, the
    /// errors collected on the way.
    pub fn poll(&mut self, sim: &Sim) -> Output {
        let mut out = Output::default();
        if self.finished {
            return out;
        }
        let expired = sim.now >= self.deadline;
        if let Some((kind, selector)) = &self.selector {
            let picked = super::mutate::list_names(sim, *kind, &self.ns, Some(selector));
            if !picked.is_empty() {
                self.targets.extend(picked.into_iter().map(|n| (*kind, n)));
                self.selector = None;
            } else if expired || self.once {
                self.errors
                    .push("timed out waiting for the condition".into());
                self.selector = None;
            }
        }
        // create.go polls until every named object exists, then visits them all.
        if self.want == For::Create && self.next == 0 && self.selector.is_none() {
            let missing = self
                .targets
                .iter()
                .any(|(kind, name)| find(sim, *kind, &self.ns, name).is_none());
            if missing {
                if expired || self.once {
                    self.errors
                        .push("timed out waiting for the condition".into());
                    self.next = self.targets.len();
                } else {
                    return out;
                }
            }
        }
        while let Some(&(kind, ref name)) = self.targets.get(self.next) {
            let name = name.clone();
            let obj = find(sim, kind, &self.ns, &name);
            match self.check(kind, &name, obj.as_ref()) {
                Step::Met => {
                    let object = format!("{}/{name}", kind.qualified());
                    out.stdout.push_str(&if self.names_only {
                        format!("{object}\n")
                    } else {
                        format!("{object} condition met\n")
                    });
                }
                Step::Skip => {}
                Step::Failed(e) => self.errors.push(e),
                Step::Waiting if self.once => {
                    self.errors.push(match self.want {
                        For::Create => "timed out waiting for the condition".into(),
                        _ => format!("condition not met for {}/{name}", kind.resource()),
                    });
                }
                Step::Waiting if expired => {
                    self.errors.push(match self.want {
                        For::Create => "timed out waiting for the condition".into(),
                        _ => format!(
                            "timed out waiting for the condition on {}/{name}",
                            kind.resource()
                        ),
                    });
                }
                Step::Waiting => break,
            }
            self.next += 1;
            self.seen = None;
        }
        if self.next >= self.targets.len() && self.selector.is_none() {
            self.finished = true;
            // One error reads `error: …`; several, one per line without the prefix.
            let single = self.errors.len() == 1;
            for e in &self.errors {
                let prefixed = single && !e.starts_with("Error from server");
                out.stderr.push_str(if prefixed { "error: " } else { "" });
                out.stderr.push_str(e);
                out.stderr.push('\n');
            }
            if !self.errors.is_empty() {
                out.exit_code = 1;
            }
        }
        out
    }

    fn check(&mut self, kind: Kind, name: &str, obj: Option<&Obj>) -> Step {
        let first_look = self.seen.is_none();
        if let Some(o) = obj {
            self.seen.get_or_insert_with(|| o.meta().uid().to_string());
        }
        match (&self.want, obj) {
            (For::Create, Some(_)) => Step::Met,
            (For::Create, None) => Step::Waiting,
            // delete.go leaves out objects that are already gone.
            (For::Delete, None) if first_look => Step::Skip,
            (For::Delete, None) => Step::Met,
            (For::Delete, Some(o)) if self.seen.as_deref() != Some(o.meta().uid()) => Step::Met,
            (For::Delete, Some(_)) => Step::Waiting,
            (_, None) if first_look => {
                Step::Failed(super::mutate::not_found(kind, name).trim_end().to_string())
            }
            // Deleted while waited for: not met, unless it comes back and meets it.
            (_, None) => {
                self.seen = Some(String::new());
                Step::Waiting
            }
            (For::Condition(c, v), Some(o)) => {
                if condition_met(&o.value(), c, v) {
                    Step::Met
                } else {
                    Step::Waiting
                }
            }
            (For::JsonPath(t, v), Some(o)) => match jsonpath_met(&o.value(), t, v.as_deref()) {
                Ok(true) => Step::Met,
                Ok(false) => Step::Waiting,
                Err(e) => Step::Failed(e),
            },
        }
    }
}

enum Step {
    Met,
    Waiting,
    /// Nothing to print for this object.
    Skip,
    Failed(String),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn for_is_read_as_kubectl_reads_it() {
        assert_eq!(parse_for("Delete"), Ok(For::Delete));
        assert_eq!(parse_for("create"), Ok(For::Create));
        assert_eq!(
            parse_for("condition=Available"),
            Ok(For::Condition("Available".into(), "true".into()))
        );
        assert_eq!(
            parse_for("condition=Ready=False"),
            Ok(For::Condition("Ready".into(), "False".into()))
        );
        assert_eq!(parse_for(""), Err("unrecognized condition: \"\"".into()));
        assert_eq!(
            parse_for("cond=x"),
            Err("unrecognized condition: \"cond=x\"".into())
        );
        assert!(
            matches!(parse_for("jsonpath={.status.readyReplicas}=3"), Ok(For::JsonPath(_, Some(v))) if v == "3")
        );
        assert!(
            matches!(parse_for("jsonpath=.status.phase='Running'"), Ok(For::JsonPath(_, Some(v))) if v == "Running")
        );
        assert!(matches!(
            parse_for("jsonpath={.status.podIP}"),
            Ok(For::JsonPath(_, None))
        ));
        assert_eq!(parse_for("jsonpath={.a}=b=c").map(|_| ()), Err("jsonpath wait format must be --for=jsonpath='{.status.readyReplicas}'=3 or --for=jsonpath='{.status.readyReplicas}'".into()));
        assert_eq!(parse_for("jsonpath={.a}=").map(|_| ()), Err("jsonpath wait has to have a value after equal sign, like --for=jsonpath='{.status.readyReplicas}'=3".into()));
        assert_eq!(
            parse_for("jsonpath=").map(|_| ()),
            Err("jsonpath expression cannot be empty".into())
        );
    }

    fn value(yaml: &str) -> Value {
        serde_yaml::from_str(yaml).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn conditions_match_without_case_once_the_generation_is_observed() {
        let d = value("metadata: {generation: 2}\nstatus:\n  observedGeneration: 2\n  conditions:\n  - {type: Available, status: 'True'}\n  - {type: Progressing, status: 'False'}\n");
        assert!(condition_met(&d, "available", "true"));
        assert!(!condition_met(&d, "Progressing", "True"));
        assert!(condition_met(&d, "Progressing", "false"));
        assert!(!condition_met(&d, "Ready", "True"));
        let stale = value("metadata: {generation: 3}\nstatus:\n  observedGeneration: 2\n  conditions: [{type: Available, status: 'True'}]\n");
        assert!(!condition_met(&stale, "Available", "True"));
    }

    #[test]
    fn jsonpath_values_compare_as_printed() {
        let d = value("status: {readyReplicas: 3, phase: Running, ok: true, conditions: [{type: A}, {type: B}]}");
        let path = |p: &str| super::super::jsonpath::relaxed(p).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            jsonpath_met(&d, &path("{.status.readyReplicas}"), Some("3")),
            Ok(true)
        );
        assert_eq!(
            jsonpath_met(&d, &path(".status.readyReplicas"), Some("2")),
            Ok(false)
        );
        assert_eq!(
            jsonpath_met(&d, &path("{.status.ok}"), Some("True")),
            Ok(false)
        );
        assert_eq!(
            jsonpath_met(&d, &path("{.status.missing}"), Some("x")),
            Ok(false)
        );
        assert_eq!(
            jsonpath_met(&d, &path("{.status.missing}"), None),
            Ok(false)
        );
        assert_eq!(jsonpath_met(&d, &path("{.status.phase}"), None), Ok(true));
        assert_eq!(
            jsonpath_met(&d, &path("{.status.conditions[*].type}"), None),
            Err("given jsonpath expression matches more than one value".into())
        );
        assert_eq!(
            jsonpath_met(&d, &path("{.status}"), Some("x")),
            Err("jsonpath leads to a nested object or list which is not supported".into())
        );
    }
}
