//! Goals: conditions on the cluster's state, written in YAML, that lesson steps wait for and
//! scenario `checks:` assert. A goal evaluates to [`GoalResult::Met`] or
//! [`GoalResult::NotMet`], each with a sentence saying what is true now ("2 of 3 pods of web
//! run nginx:1.26"), so a learner sees how far they are, not only that they are not there.
//!
//! The language (docs/scenarios.md has the reference):
//!
//! * `{deployment: web, namespace: prod, <tests>}` — tests on one Deployment; without
//!   `deployment:` the namespace's only Deployment. Tests: `exists`, `images`/`image`,
//!   the counts `replicas`, `readyReplicas`, `availableReplicas`, `updatedReplicas`,
//!   `unavailableReplicas`, `currentReplicas`, `revision`, and `revisionExists`,
//!   `revisions`, `paused`, `strategy`, `complete`, `condition`, `replicaSets`,
//!   `replicaSet`, `pods`.
//! * `{pods: {...}, namespace: ns}` — pods of a namespace, whatever owns them.
//! * `{node: node-2, ready: false, cordoned: true, pods: 0}`.
//! * `{kubectl: "rollout history deployment/web", contains: "nginx:1.26"}` — runs the
//!   command on a copy of the cluster and looks at what it printed.
//! * `{all: [...]}`, `{any: [...]}`, `{not: goal}`.
//!
//! Counts are a number (exactly) or `{atLeast: n, atMost: m}`.

use crate::api::apps::{Deployment, ReplicaSet};
use crate::api::core::Pod;
use crate::controllers::deployment::util::{deployment_complete, find_new_replica_set};
use crate::controllers::replicaset::is_pod_ready;
use crate::kubectl::printers::pod_status;
use crate::sim::Sim;
use crate::store::key;
use serde::{Deserialize, Deserializer};
use serde_yaml::{Mapping, Value};
use std::collections::BTreeMap;

/// Whether a goal holds, and what is true now in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GoalResult {
    Met(String),
    NotMet(String),
}

impl GoalResult {
    pub fn is_met(&self) -> bool {
        matches!(self, GoalResult::Met(_))
    }
    /// What is true now, e.g. `2 of 3 pods of web run nginx:1.26`.
    pub fn text(&self) -> &str {
        match self {
            GoalResult::Met(t) | GoalResult::NotMet(t) => t,
        }
    }
    fn new(met: bool, text: String) -> GoalResult {
        if met {
            GoalResult::Met(text)
        } else {
            GoalResult::NotMet(text)
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Goal {
    All(Vec<Goal>),
    Any(Vec<Goal>),
    Not(Box<Goal>),
    Deployment(DeploymentGoal),
    /// Pods of a namespace, whatever owns them.
    Pods {
        namespace: String,
        query: PodQuery,
    },
    Node(NodeGoal),
    Kubectl(KubectlGoal),
}

#[derive(Debug, Clone, PartialEq)]
pub struct DeploymentGoal {
    pub namespace: String,
    /// `None`: the namespace's only Deployment.
    pub name: Option<String>,
    /// All must hold; empty means the Deployment exists.
    pub tests: Vec<DeploymentTest>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum DeploymentTest {
    Exists(bool),
    /// Every live pod runs exactly these images (one per container, in order).
    Images(Vec<String>),
    Count(Field, Count),
    RevisionExists(i64),
    /// The revisions `kubectl rollout history` lists, exactly.
    Revisions(Vec<i64>),
    Paused(bool),
    Strategy(String),
    Complete(bool),
    Condition {
        type_: String,
        status: Option<String>,
        reason: Option<String>,
    },
    ReplicaSets {
        count: Option<Count>,
        active: Option<Count>,
    },
    ReplicaSet(ReplicaSetTest),
    Pods(PodQuery),
}

/// A number a goal compares with, or a prediction measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// `spec.replicas` (of a Deployment or ReplicaSet).
    Replicas,
    /// `status.replicas`: pods that exist and are not terminating.
    CurrentReplicas,
    ReadyReplicas,
    AvailableReplicas,
    UpdatedReplicas,
    UnavailableReplicas,
    Revision,
    /// Pods that are not terminating (of a Deployment, ReplicaSet or node).
    Pods,
    /// Pods marked for deletion that still exist.
    TerminatingPods,
    /// ReplicaSets a Deployment owns.
    ReplicaSets,
    /// Container restarts summed over the live pods.
    Restarts,
}

const FIELDS: &[(&str, Field)] = &[
    ("replicas", Field::Replicas),
    ("currentReplicas", Field::CurrentReplicas),
    ("readyReplicas", Field::ReadyReplicas),
    ("availableReplicas", Field::AvailableReplicas),
    ("updatedReplicas", Field::UpdatedReplicas),
    ("unavailableReplicas", Field::UnavailableReplicas),
    ("revision", Field::Revision),
    ("pods", Field::Pods),
    ("terminatingPods", Field::TerminatingPods),
    ("replicaSets", Field::ReplicaSets),
    ("restarts", Field::Restarts),
];

/// The fields a Deployment goal compares directly (`readyReplicas: 3`).
const DEPLOYMENT_COUNT_KEYS: &[&str] = &[
    "replicas",
    "currentReplicas",
    "readyReplicas",
    "availableReplicas",
    "updatedReplicas",
    "unavailableReplicas",
    "revision",
];

impl Field {
    pub fn parse(s: &str) -> Result<Field, String> {
        FIELDS
            .iter()
            .find(|(n, _)| *n == s)
            .map(|(_, f)| *f)
            .ok_or_else(|| {
                format!(
                    "unknown field {s:?}; expected one of: {}",
                    FIELDS
                        .iter()
                        .map(|(n, _)| *n)
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            })
    }
    pub fn name(self) -> &'static str {
        FIELDS
            .iter()
            .find(|(_, f)| *f == self)
            .map_or("?", |(n, _)| n)
    }
    /// How the value reads in a sentence: `3 ready replicas`, `1 ready replica`.
    fn noun_for(self, n: i64) -> String {
        let plural = self.noun();
        if n != 1 {
            return plural.to_string();
        }
        ["replicas", "pods", "ReplicaSets", "restarts"]
            .iter()
            .find_map(|w| {
                plural
                    .contains(w)
                    .then(|| plural.replacen(w, &w[..w.len() - 1], 1))
            })
            .unwrap_or_else(|| plural.to_string())
    }

    /// The field in words, plural: `ready replicas`.
    pub fn noun(self) -> &'static str {
        match self {
            Field::Replicas => "desired replicas (spec.replicas)",
            Field::CurrentReplicas => "current replicas",
            Field::ReadyReplicas => "ready replicas",
            Field::AvailableReplicas => "available replicas",
            Field::UpdatedReplicas => "up-to-date replicas",
            Field::UnavailableReplicas => "unavailable replicas",
            Field::Revision => "revision",
            Field::Pods => "live pods",
            Field::TerminatingPods => "terminating pods",
            Field::ReplicaSets => "ReplicaSets",
            Field::Restarts => "container restarts",
        }
    }
}

/// `n` exactly, or a range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Count {
    pub at_least: Option<i64>,
    pub at_most: Option<i64>,
}

impl Count {
    pub fn exactly(n: i64) -> Count {
        Count {
            at_least: Some(n),
            at_most: Some(n),
        }
    }
    pub fn at_least(n: i64) -> Count {
        Count {
            at_least: Some(n),
            at_most: None,
        }
    }
    pub fn matches(&self, n: i64) -> bool {
        self.at_least.is_none_or(|l| n >= l) && self.at_most.is_none_or(|m| n <= m)
    }
    /// Whether the noun after it reads singular: `1 pod`, `at least 1 pod`.
    fn is_one(&self) -> bool {
        self.at_least == Some(1) && self.at_most.is_none_or(|m| m == 1)
            || self.at_least.is_none() && self.at_most == Some(1)
    }

    /// `3`, `at least 3`, `at most 2`, `2 to 4`.
    pub fn describe(&self) -> String {
        match (self.at_least, self.at_most) {
            (Some(l), Some(m)) if l == m => l.to_string(),
            (Some(l), Some(m)) => format!("{l} to {m}"),
            (Some(l), None) => format!("at least {l}"),
            (None, Some(m)) => format!("at most {m}"),
            (None, None) => "any number of".into(),
        }
    }
    fn from_value(v: &Value) -> Result<Count, String> {
        if let Some(n) = v.as_i64() {
            return Ok(Count::exactly(n));
        }
        let Some(m) = v.as_mapping() else {
            return Err(format!(
                "expected a number or {{atLeast: n, atMost: m}}, got {}",
                show(v)
            ));
        };
        let mut c = Count::default();
        for (k, val) in m {
            match key_str(k)? {
                "atLeast" => c.at_least = Some(int(val, "atLeast")?),
                "atMost" => c.at_most = Some(int(val, "atMost")?),
                other => return Err(format!("unknown count key {other:?} (atLeast, atMost)")),
            }
        }
        if c.at_least.is_none() && c.at_most.is_none() {
            return Err("a count needs atLeast or atMost".into());
        }
        Ok(c)
    }
}

/// Which ReplicaSet of a Deployment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReplicaSetSelector {
    /// The one whose template is the Deployment's (`new`).
    New,
    /// All the others together (`old`): counts are summed.
    Old,
    /// The one with this revision number now.
    Revision(i64),
}

impl ReplicaSetSelector {
    fn from_value(v: &Value) -> Result<ReplicaSetSelector, String> {
        match (v.as_str(), v.as_i64()) {
            (Some("new"), _) => Ok(ReplicaSetSelector::New),
            (Some("old"), _) => Ok(ReplicaSetSelector::Old),
            (_, Some(n)) => Ok(ReplicaSetSelector::Revision(n)),
            _ => Err(format!(
                "a ReplicaSet is `new`, `old` or a revision number, got {}",
                show(v)
            )),
        }
    }
    fn describe(&self) -> String {
        match self {
            ReplicaSetSelector::New => "the new ReplicaSet".into(),
            ReplicaSetSelector::Old => "the old ReplicaSets".into(),
            ReplicaSetSelector::Revision(n) => format!("the ReplicaSet of revision {n}"),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ReplicaSetTest {
    pub select: ReplicaSetSelector,
    pub counts: Vec<(Field, Count)>,
    pub images: Option<Vec<String>>,
}

/// Whether a pod belongs to the ReplicaSet(s) a selector picks.
type InReplicaSet<'a> = &'a dyn Fn(&Pod, &ReplicaSetSelector) -> bool;

/// Which pods, and how many of them.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PodQuery {
    /// kubectl's STATUS column, any of these.
    pub status: Vec<String>,
    pub ready: Option<bool>,
    pub image: Option<String>,
    pub node: Option<String>,
    pub replica_set: Option<ReplicaSetSelector>,
    pub restarts: Option<Count>,
    /// Unset: terminating pods are left out unless `status` names `Terminating`.
    pub terminating: Option<bool>,
    pub count: Count,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NodeGoal {
    pub name: String,
    pub ready: Option<bool>,
    pub cordoned: Option<bool>,
    /// Pods on the node that are not terminating.
    pub pods: Option<Count>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct KubectlGoal {
    pub line: String,
    /// Every one of these must appear in the output (stdout and stderr).
    pub contains: Vec<String>,
    pub exit_code: Option<i32>,
}

/// A scenario's assertion: a goal, evaluated at `at` (after that instant's timeline steps)
/// or, without `at`, at the end of the run.
#[derive(Debug, Clone, PartialEq)]
pub struct Check {
    pub at: Option<crate::scenario::Seconds>,
    pub goal: Goal,
}

impl<'de> Deserialize<'de> for Check {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = Value::deserialize(d)?;
        let Some(m) = v.as_mapping() else {
            return Err(serde::de::Error::custom(format!(
                "a check is a goal, optionally with `at:`, got {}",
                show(&v)
            )));
        };
        let mut m = m.clone();
        let at = m
            .remove("at")
            .map(crate::api::yaml::from_value::<crate::scenario::Seconds>)
            .transpose()
            .map_err(|e| serde::de::Error::custom(format!("at: {e}")))?;
        let goal = Goal::from_value(&Value::Mapping(m)).map_err(serde::de::Error::custom)?;
        Ok(Check { at, goal })
    }
}

impl<'de> Deserialize<'de> for Goal {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = Value::deserialize(d)?;
        Goal::from_value(&v).map_err(serde::de::Error::custom)
    }
}

fn show(v: &Value) -> String {
    crate::api::json::to_json_compact(v)
}

fn key_str(k: &Value) -> Result<&str, String> {
    k.as_str()
        .ok_or_else(|| format!("goal keys are words, got {}", show(k)))
}

fn int(v: &Value, what: &str) -> Result<i64, String> {
    v.as_i64()
        .ok_or_else(|| format!("{what}: expected a whole number, got {}", show(v)))
}

fn boolean(v: &Value, what: &str) -> Result<bool, String> {
    v.as_bool()
        .ok_or_else(|| format!("{what}: expected true or false, got {}", show(v)))
}

fn string(v: &Value, what: &str) -> Result<String, String> {
    match v {
        Value::String(s) => Ok(s.clone()),
        Value::Number(n) => Ok(n.to_string()),
        Value::Bool(b) => Ok(if *b { "True" } else { "False" }.to_string()),
        _ => Err(format!("{what}: expected text, got {}", show(v))),
    }
}

fn strings(v: &Value, what: &str) -> Result<Vec<String>, String> {
    match v {
        Value::Sequence(items) => items.iter().map(|i| string(i, what)).collect(),
        other => Ok(vec![string(other, what)?]),
    }
}

fn ints(v: &Value, what: &str) -> Result<Vec<i64>, String> {
    match v {
        Value::Sequence(items) => items.iter().map(|i| int(i, what)).collect(),
        other => Ok(vec![int(other, what)?]),
    }
}

const DEPLOYMENT_KEYS: &[&str] = &[
    "deployment",
    "namespace",
    "exists",
    "images",
    "image",
    "replicas",
    "currentReplicas",
    "readyReplicas",
    "availableReplicas",
    "updatedReplicas",
    "unavailableReplicas",
    "revision",
    "revisionExists",
    "revisions",
    "paused",
    "strategy",
    "complete",
    "condition",
    "replicaSets",
    "replicaSet",
    "pods",
];

impl Goal {
    /// Reads a goal from its YAML text (one mapping).
    pub fn from_yaml(text: &str) -> Result<Goal, String> {
        let v: Value = crate::api::yaml::from_str(text)?;
        Goal::from_value(&v)
    }

    pub fn from_value(v: &Value) -> Result<Goal, String> {
        let Some(m) = v.as_mapping() else {
            return Err(format!("a goal is a mapping, got {}", show(v)));
        };
        let keys: Vec<&str> = m.keys().map(key_str).collect::<Result<_, _>>()?;
        let only = |name: &str| -> Result<&Value, String> {
            if keys.len() != 1 {
                return Err(format!("`{name}:` stands alone in its goal"));
            }
            Ok(&m[name])
        };
        if keys.contains(&"all") || keys.contains(&"any") {
            let name = if keys.contains(&"all") { "all" } else { "any" };
            let Some(items) = only(name)?.as_sequence() else {
                return Err(format!("`{name}:` takes a list of goals"));
            };
            let goals = items
                .iter()
                .enumerate()
                .map(|(i, g)| Goal::from_value(g).map_err(|e| format!("{name}[{i}]: {e}")))
                .collect::<Result<Vec<_>, _>>()?;
            return Ok(if name == "all" {
                Goal::All(goals)
            } else {
                Goal::Any(goals)
            });
        }
        if keys.contains(&"not") {
            let g = Goal::from_value(only("not")?).map_err(|e| format!("not: {e}"))?;
            return Ok(Goal::Not(Box::new(g)));
        }
        if keys.contains(&"kubectl") {
            return kubectl_goal(m).map(Goal::Kubectl);
        }
        if keys.contains(&"node") {
            return node_goal(m).map(Goal::Node);
        }
        let namespace = match m.get("namespace") {
            Some(v) => string(v, "namespace")?,
            None => "default".to_string(),
        };
        if keys.contains(&"pods") && keys.iter().all(|k| *k == "pods" || *k == "namespace") {
            let query = PodQuery::from_value(&m["pods"]).map_err(|e| format!("pods: {e}"))?;
            return Ok(Goal::Pods { namespace, query });
        }
        if let Some(bad) = keys.iter().find(|k| !DEPLOYMENT_KEYS.contains(k)) {
            return Err(format!(
                "unknown goal key {bad:?}; a goal is about a deployment ({}), `pods`, a `node`, a `kubectl` command, or combines goals with all/any/not",
                DEPLOYMENT_KEYS[2..].join(", ")
            ));
        }
        let name = m
            .get("deployment")
            .map(|v| string(v, "deployment"))
            .transpose()?;
        let mut tests = Vec::new();
        for (k, val) in m {
            let k = key_str(k)?;
            let err = |e: String| format!("{k}: {e}");
            let t = match k {
                "deployment" | "namespace" => continue,
                "exists" => DeploymentTest::Exists(boolean(val, k)?),
                "images" | "image" => DeploymentTest::Images(strings(val, k)?),
                "revisionExists" => DeploymentTest::RevisionExists(int(val, k)?),
                "revisions" => {
                    let mut r = ints(val, k)?;
                    crate::order::sort(&mut r);
                    DeploymentTest::Revisions(r)
                }
                "paused" => DeploymentTest::Paused(boolean(val, k)?),
                "strategy" => DeploymentTest::Strategy(string(val, k)?),
                "complete" => DeploymentTest::Complete(boolean(val, k)?),
                "condition" => condition_test(val).map_err(err)?,
                "replicaSets" => replica_sets_test(val).map_err(err)?,
                "replicaSet" => {
                    DeploymentTest::ReplicaSet(ReplicaSetTest::from_value(val).map_err(err)?)
                }
                "pods" => DeploymentTest::Pods(PodQuery::from_value(val).map_err(err)?),
                count if DEPLOYMENT_COUNT_KEYS.contains(&count) => DeploymentTest::Count(
                    Field::parse(count)?,
                    Count::from_value(val).map_err(err)?,
                ),
                _ => unreachable!("keys were checked against DEPLOYMENT_KEYS"),
            };
            tests.push(t);
        }
        Ok(Goal::Deployment(DeploymentGoal {
            namespace,
            name,
            tests,
        }))
    }

    /// The goal in words, for the lesson panel: `web: every pod runs nginx:1.26`.
    pub fn describe(&self) -> String {
        match self {
            Goal::All(gs) => gs
                .iter()
                .map(Goal::describe)
                .collect::<Vec<_>>()
                .join("; and "),
            Goal::Any(gs) => gs
                .iter()
                .map(Goal::describe)
                .collect::<Vec<_>>()
                .join("; or "),
            Goal::Not(g) => format!("not ({})", g.describe()),
            Goal::Deployment(d) => d.describe(),
            Goal::Pods { namespace, query } => format!(
                "{} {}",
                query.count.describe(),
                query.describe(&ns_suffix(namespace), query.count.is_one())
            ),
            Goal::Node(n) => n.describe(),
            Goal::Kubectl(k) => {
                let mut s = format!("`{}` prints", k.line);
                if k.contains.is_empty() {
                    s.push_str(" anything");
                }
                for (i, c) in k.contains.iter().enumerate() {
                    s.push_str(if i == 0 { " " } else { " and " });
                    s.push_str(&format!("{c:?}"));
                }
                if let Some(code) = k.exit_code {
                    s.push_str(&format!(" and exits with {code}"));
                }
                s
            }
        }
    }

    pub fn evaluate(&self, sim: &Sim) -> GoalResult {
        match self {
            Goal::All(gs) => {
                let results: Vec<GoalResult> = gs.iter().map(|g| g.evaluate(sim)).collect();
                let met = results.iter().all(GoalResult::is_met);
                // Not met: say only what is missing.
                let text = results
                    .iter()
                    .filter(|r| met || !r.is_met())
                    .map(GoalResult::text)
                    .collect::<Vec<_>>()
                    .join("; ");
                GoalResult::new(met, text)
            }
            Goal::Any(gs) => {
                let results: Vec<GoalResult> = gs.iter().map(|g| g.evaluate(sim)).collect();
                match results.iter().find(|r| r.is_met()) {
                    Some(r) => r.clone(),
                    None => GoalResult::NotMet(
                        results
                            .iter()
                            .map(GoalResult::text)
                            .collect::<Vec<_>>()
                            .join("; "),
                    ),
                }
            }
            Goal::Not(g) => {
                let r = g.evaluate(sim);
                GoalResult::new(!r.is_met(), r.text().to_string())
            }
            Goal::Deployment(d) => d.evaluate(sim),
            Goal::Pods { namespace, query } => {
                let pods: Vec<&Pod> = sim.store.pods_in(namespace).collect();
                query.evaluate(&pods, None, &ns_suffix(namespace))
            }
            Goal::Node(n) => n.evaluate(sim),
            Goal::Kubectl(k) => k.evaluate(sim),
        }
    }
}

fn ns_suffix(ns: &str) -> String {
    if ns == "default" {
        String::new()
    } else {
        format!(" in namespace {ns}")
    }
}

fn condition_test(v: &Value) -> Result<DeploymentTest, String> {
    let Some(m) = v.as_mapping() else {
        return Err("expected {type: Progressing, status: \"False\", reason: …}".into());
    };
    let (mut type_, mut status, mut reason) = (None, None, None);
    for (k, val) in m {
        match key_str(k)? {
            "type" => type_ = Some(string(val, "type")?),
            "status" => status = Some(string(val, "status")?),
            "reason" => reason = Some(string(val, "reason")?),
            other => return Err(format!("unknown key {other:?} (type, status, reason)")),
        }
    }
    Ok(DeploymentTest::Condition {
        type_: type_.ok_or("a condition needs its `type`")?,
        status,
        reason,
    })
}

fn replica_sets_test(v: &Value) -> Result<DeploymentTest, String> {
    if v.as_i64().is_some() {
        return Ok(DeploymentTest::ReplicaSets {
            count: Some(Count::from_value(v)?),
            active: None,
        });
    }
    let Some(m) = v.as_mapping() else {
        return Err("expected a number or {count: n, active: n}".into());
    };
    let (mut count, mut active) = (None, None);
    for (k, val) in m {
        match key_str(k)? {
            "count" => count = Some(Count::from_value(val)?),
            "active" => active = Some(Count::from_value(val)?),
            other => return Err(format!("unknown key {other:?} (count, active)")),
        }
    }
    Ok(DeploymentTest::ReplicaSets { count, active })
}

fn kubectl_goal(m: &Mapping) -> Result<KubectlGoal, String> {
    let mut g = KubectlGoal {
        line: String::new(),
        contains: Vec::new(),
        exit_code: None,
    };
    for (k, v) in m {
        match key_str(k)? {
            "kubectl" => g.line = string(v, "kubectl")?,
            "contains" => g.contains = strings(v, "contains")?,
            "exitCode" => g.exit_code = Some(int(v, "exitCode")? as i32),
            other => {
                return Err(format!(
                    "unknown key {other:?} in a kubectl goal (kubectl, contains, exitCode)"
                ))
            }
        }
    }
    match crate::command::Command::parse(&g.line)? {
        crate::command::Command::Kubectl(_) => Ok(g),
        _ => Err("`kubectl:` takes a kubectl command line".into()),
    }
}

fn node_goal(m: &Mapping) -> Result<NodeGoal, String> {
    let mut g = NodeGoal {
        name: String::new(),
        ready: None,
        cordoned: None,
        pods: None,
    };
    for (k, v) in m {
        match key_str(k)? {
            "node" => g.name = string(v, "node")?,
            "ready" => g.ready = Some(boolean(v, "ready")?),
            "cordoned" => g.cordoned = Some(boolean(v, "cordoned")?),
            "pods" => g.pods = Some(Count::from_value(v).map_err(|e| format!("pods: {e}"))?),
            other => {
                return Err(format!(
                    "unknown key {other:?} in a node goal (node, ready, cordoned, pods)"
                ))
            }
        }
    }
    Ok(g)
}

impl ReplicaSetTest {
    fn from_value(v: &Value) -> Result<ReplicaSetTest, String> {
        let Some(m) = v.as_mapping() else {
            return Err("expected {revision: new|old|N, replicas: n, …}".into());
        };
        let mut t = ReplicaSetTest {
            select: ReplicaSetSelector::New,
            counts: Vec::new(),
            images: None,
        };
        for (k, val) in m {
            match key_str(k)? {
                "revision" => t.select = ReplicaSetSelector::from_value(val)?,
                "images" | "image" => t.images = Some(strings(val, "images")?),
                f @ ("replicas" | "currentReplicas" | "readyReplicas" | "availableReplicas") => {
                    t.counts.push((Field::parse(f)?, Count::from_value(val)?))
                }
                other => {
                    return Err(format!(
                        "unknown key {other:?} (revision, images, replicas, currentReplicas, readyReplicas, availableReplicas)"
                    ))
                }
            }
        }
        Ok(t)
    }
}

impl PodQuery {
    fn from_value(v: &Value) -> Result<PodQuery, String> {
        let mut q = PodQuery::default();
        if v.as_i64().is_some() {
            q.count = Count::from_value(v)?;
            return Ok(q);
        }
        let Some(m) = v.as_mapping() else {
            return Err("expected a number or {status: …, atLeast: n, …}".into());
        };
        let mut count = Count::default();
        for (k, val) in m {
            match key_str(k)? {
                "status" => q.status = strings(val, "status")?,
                "ready" => q.ready = Some(boolean(val, "ready")?),
                "image" => q.image = Some(string(val, "image")?),
                "node" => q.node = Some(string(val, "node")?),
                "revision" => q.replica_set = Some(ReplicaSetSelector::from_value(val)?),
                "restarts" => q.restarts = Some(Count::from_value(val)?),
                "terminating" => q.terminating = Some(boolean(val, "terminating")?),
                "count" => count = Count::from_value(val)?,
                "atLeast" => count.at_least = Some(int(val, "atLeast")?),
                "atMost" => count.at_most = Some(int(val, "atMost")?),
                other => {
                    return Err(format!(
                        "unknown key {other:?} (status, ready, image, node, revision, restarts, terminating, count, atLeast, atMost)"
                    ))
                }
            }
        }
        // No count given: at least one such pod.
        q.count = if count == Count::default() {
            Count::at_least(1)
        } else {
            count
        };
        Ok(q)
    }

    /// `terminating, not-ready pods of web in status ImagePullBackOff on node-2`; `singular`
    /// says "pod".
    fn describe(&self, owner: &str, singular: bool) -> String {
        let mut adjectives = Vec::new();
        if self.terminating == Some(true) {
            adjectives.push("terminating");
        }
        match self.ready {
            Some(true) => adjectives.push("ready"),
            Some(false) => adjectives.push("not-ready"),
            None => {}
        }
        let mut s = adjectives.join(", ");
        if !s.is_empty() {
            s.push(' ');
        }
        s.push_str(if singular { "pod" } else { "pods" });
        s.push_str(owner);
        if !self.status.is_empty() {
            s.push_str(&format!(" in status {}", self.status.join(" or ")));
        }
        if let Some(i) = &self.image {
            s.push_str(&format!(" running {i}"));
        }
        if let Some(n) = &self.node {
            s.push_str(&format!(" on {n}"));
        }
        if let Some(r) = &self.replica_set {
            s.push_str(&format!(" of {}", r.describe()));
        }
        if let Some(c) = &self.restarts {
            s.push_str(&format!(" with {} restarts", c.describe()));
        }
        s
    }

    fn matches(&self, p: &Pod, rs_ok: &dyn Fn(&Pod) -> bool) -> bool {
        let status = pod_status(p);
        let terminating = p.metadata.is_terminating();
        let want_terminating = self
            .terminating
            .unwrap_or_else(|| self.status.iter().any(|s| s == "Terminating"));
        if terminating != want_terminating {
            return false;
        }
        (self.status.is_empty() || self.status.contains(&status))
            && self.ready.is_none_or(|r| is_pod_ready(p) == r)
            && self
                .image
                .as_ref()
                .is_none_or(|i| p.spec.containers.iter().any(|c| c.image() == i))
            && self
                .node
                .as_ref()
                .is_none_or(|n| p.spec.node_name.as_ref() == Some(n))
            && self.restarts.is_none_or(|c| c.matches(restarts(p)))
            && rs_ok(p)
    }

    /// Counts matching pods among `pods`; `rs` decides the `revision:` filter.
    fn evaluate(&self, pods: &[&Pod], rs: Option<InReplicaSet>, owner: &str) -> GoalResult {
        let rs_ok = |p: &Pod| match (&self.replica_set, rs) {
            (Some(sel), Some(f)) => f(p, sel),
            (Some(_), None) => false,
            (None, _) => true,
        };
        let n = pods.iter().filter(|p| self.matches(p, &rs_ok)).count() as i64;
        let mut text = format!("{n} {}", self.describe(owner, n == 1));
        if !self.count.matches(n) {
            text.push_str(&format!(" (want {})", self.count.describe()));
        }
        let mut statuses: BTreeMap<String, usize> = BTreeMap::new();
        for p in pods {
            *statuses.entry(pod_status(p)).or_default() += 1;
        }
        if !self.count.matches(n) && !statuses.is_empty() {
            let parts: Vec<String> = statuses.iter().map(|(s, c)| format!("{c} {s}")).collect();
            text.push_str(&format!("; pods now: {}", parts.join(", ")));
        }
        GoalResult::new(self.count.matches(n), text)
    }
}

fn pods_word(n: i64) -> &'static str {
    if n == 1 {
        "pod"
    } else {
        "pods"
    }
}

fn restarts(p: &Pod) -> i64 {
    p.status
        .container_statuses
        .iter()
        .map(|c| c.restart_count)
        .sum()
}

fn images_of(t: &crate::api::core::PodTemplateSpec) -> Vec<String> {
    t.spec
        .containers
        .iter()
        .map(|c| c.image().to_string())
        .collect()
}

/// A Deployment with what it owns, as goals and measures read it.
pub(crate) struct DeploymentState<'a> {
    pub d: &'a Deployment,
    /// Oldest first.
    pub replicasets: Vec<&'a ReplicaSet>,
    pub new_rs: Option<&'a ReplicaSet>,
    /// Every pod its ReplicaSets own, terminating ones included.
    pub pods: Vec<&'a Pod>,
}

impl<'a> DeploymentState<'a> {
    /// The named Deployment, or the namespace's only one.
    pub fn find(
        sim: &'a Sim,
        namespace: &str,
        name: Option<&str>,
    ) -> Result<DeploymentState<'a>, String> {
        let d = match name {
            Some(n) => sim
                .store
                .deployments
                .get(&key(namespace, n))
                .ok_or_else(|| format!("there is no Deployment {n}{}", ns_suffix(namespace)))?,
            None => {
                let all: Vec<&Deployment> = sim
                    .store
                    .deployments
                    .range(key(namespace, "")..)
                    .take_while(|(k, _)| k.0 == namespace)
                    .map(|(_, d)| d)
                    .collect();
                match all.as_slice() {
                    [d] => *d,
                    [] => return Err(format!("there is no Deployment{}", ns_suffix(namespace))),
                    many => {
                        return Err(format!(
                            "there are {} Deployments{} ({}); the goal must name one",
                            many.len(),
                            ns_suffix(namespace),
                            many.iter()
                                .map(|d| d.metadata.name.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ))
                    }
                }
            }
        };
        let ns = d.metadata.ns();
        let mut replicasets: Vec<&ReplicaSet> = sim
            .store
            .replicasets_owned_by(ns, d.metadata.uid())
            .collect();
        crate::controllers::deployment::util::sort_by_creation(&mut replicasets);
        let new_rs = find_new_replica_set(d, &replicasets);
        let pods = replicasets
            .iter()
            .flat_map(|rs| sim.store.pods_owned_by(ns, rs.metadata.uid()))
            .collect();
        Ok(DeploymentState {
            d,
            replicasets,
            new_rs,
            pods,
        })
    }

    /// `web`, or `web in namespace prod` outside the default namespace.
    pub fn name(&self) -> String {
        format!(
            "{}{}",
            self.d.metadata.name,
            ns_suffix(self.d.metadata.ns())
        )
    }

    pub fn live_pods(&self) -> Vec<&'a Pod> {
        self.pods
            .iter()
            .copied()
            .filter(|p| !p.metadata.is_terminating())
            .collect()
    }

    fn is_new(&self, rs: &ReplicaSet) -> bool {
        self.new_rs
            .is_some_and(|n| n.metadata.uid() == rs.metadata.uid())
    }

    /// The ReplicaSets a selector picks (`old` may pick several).
    pub fn select(&self, sel: &ReplicaSetSelector) -> Vec<&'a ReplicaSet> {
        self.replicasets
            .iter()
            .copied()
            .filter(|rs| match sel {
                ReplicaSetSelector::New => self.is_new(rs),
                ReplicaSetSelector::Old => !self.is_new(rs),
                ReplicaSetSelector::Revision(n) => rs.revision() == *n,
            })
            .collect()
    }

    fn pod_in(&self, p: &Pod, sel: &ReplicaSetSelector) -> bool {
        let owner = p.metadata.controller_ref().map(|o| o.uid.as_str());
        self.select(sel)
            .iter()
            .any(|rs| Some(rs.metadata.uid()) == owner)
    }

    /// A Deployment's number.
    pub fn field(&self, f: Field) -> i64 {
        let s = &self.d.status;
        match f {
            Field::Replicas => self.d.replicas(),
            Field::CurrentReplicas => s.replicas,
            Field::ReadyReplicas => s.ready_replicas,
            Field::AvailableReplicas => s.available_replicas,
            Field::UpdatedReplicas => s.updated_replicas,
            Field::UnavailableReplicas => s.unavailable_replicas,
            Field::Revision => self.d.revision(),
            Field::Pods => self.live_pods().len() as i64,
            Field::TerminatingPods => self
                .pods
                .iter()
                .filter(|p| p.metadata.is_terminating())
                .count() as i64,
            Field::ReplicaSets => self.replicasets.len() as i64,
            Field::Restarts => self.live_pods().iter().map(|p| restarts(p)).sum(),
        }
    }

    /// A number of the selected ReplicaSets, summed (`revision`: the highest); an error when
    /// none is selected.
    pub fn rs_field(&self, sel: &ReplicaSetSelector, f: Field) -> Result<i64, String> {
        let rss = self.select(sel);
        if rss.is_empty() {
            return Err(format!("{} has no {}", self.name(), sel_noun(sel)));
        }
        let pods_of = |rs: &ReplicaSet| {
            self.pods
                .iter()
                .filter(|p| {
                    p.metadata.controller_ref().map(|o| o.uid.as_str()) == Some(rs.metadata.uid())
                })
                .copied()
                .collect::<Vec<_>>()
        };
        if f == Field::Revision {
            return Ok(rss.iter().map(|rs| rs.revision()).max().unwrap_or(0));
        }
        let mut total = 0;
        for rs in rss {
            total += match f {
                Field::Replicas => rs.spec.replicas,
                Field::CurrentReplicas => rs.status.replicas,
                Field::ReadyReplicas => rs.status.ready_replicas,
                Field::AvailableReplicas => rs.status.available_replicas,
                Field::Pods => pods_of(rs)
                    .iter()
                    .filter(|p| !p.metadata.is_terminating())
                    .count() as i64,
                Field::TerminatingPods => pods_of(rs)
                    .iter()
                    .filter(|p| p.metadata.is_terminating())
                    .count() as i64,
                Field::Restarts => pods_of(rs)
                    .iter()
                    .filter(|p| !p.metadata.is_terminating())
                    .map(|p| restarts(p))
                    .sum(),
                Field::Revision
                | Field::UpdatedReplicas
                | Field::UnavailableReplicas
                | Field::ReplicaSets => {
                    return Err(format!(
                        "`{}` is a Deployment field, not a ReplicaSet one",
                        f.name()
                    ))
                }
            };
        }
        Ok(total)
    }
}

fn sel_noun(sel: &ReplicaSetSelector) -> String {
    match sel {
        ReplicaSetSelector::New => "new ReplicaSet (its template matches none)".into(),
        ReplicaSetSelector::Old => "old ReplicaSet".into(),
        ReplicaSetSelector::Revision(n) => format!("ReplicaSet with revision {n}"),
    }
}

fn list(v: &[i64]) -> String {
    if v.is_empty() {
        return "none".into();
    }
    v.iter().map(i64::to_string).collect::<Vec<_>>().join(", ")
}

impl DeploymentGoal {
    fn label(&self) -> String {
        let name = self.name.as_deref().unwrap_or("the Deployment");
        format!("{name}{}", ns_suffix(&self.namespace))
    }

    fn describe(&self) -> String {
        let label = self.label();
        if self.tests.is_empty() {
            return format!("{label} exists");
        }
        let parts: Vec<String> = self.tests.iter().map(|t| t.describe()).collect();
        format!("{label}: {}", parts.join("; "))
    }

    fn evaluate(&self, sim: &Sim) -> GoalResult {
        let wants_absent = self.tests.contains(&DeploymentTest::Exists(false));
        let st = match DeploymentState::find(sim, &self.namespace, self.name.as_deref()) {
            Ok(st) => st,
            Err(e) => return GoalResult::new(wants_absent, e),
        };
        if wants_absent {
            return GoalResult::NotMet(format!("{} exists", self.label()));
        }
        if self.tests.is_empty() {
            return GoalResult::Met(format!("{} exists", self.label()));
        }
        let results: Vec<GoalResult> = self.tests.iter().map(|t| t.evaluate(&st)).collect();
        let met = results.iter().all(GoalResult::is_met);
        let text = results
            .iter()
            .filter(|r| met || !r.is_met())
            .map(GoalResult::text)
            .collect::<Vec<_>>()
            .join("; ");
        GoalResult::new(met, text)
    }
}

impl DeploymentTest {
    fn describe(&self) -> String {
        match self {
            DeploymentTest::Exists(true) => "exists".into(),
            DeploymentTest::Exists(false) => "does not exist".into(),
            DeploymentTest::Images(i) => format!("every pod runs {}", i.join(", ")),
            DeploymentTest::Count(Field::Revision, c) => format!("at revision {}", c.describe()),
            DeploymentTest::Count(f, c) => {
                format!("{} {}", c.describe(), f.noun_for(i64::from(c.is_one())))
            }
            DeploymentTest::RevisionExists(n) => format!("revision {n} exists"),
            DeploymentTest::Revisions(r) => format!("its history lists revisions {}", list(r)),
            DeploymentTest::Paused(true) => "is paused".into(),
            DeploymentTest::Paused(false) => "is not paused".into(),
            DeploymentTest::Strategy(s) => format!("uses the {s} strategy"),
            DeploymentTest::Complete(true) => "its rollout is complete".into(),
            DeploymentTest::Complete(false) => "its rollout is not complete".into(),
            DeploymentTest::Condition {
                type_,
                status,
                reason,
            } => {
                let mut s = format!("condition {type_}");
                if let Some(st) = status {
                    s.push_str(&format!(" is {st}"));
                }
                if let Some(r) = reason {
                    s.push_str(&format!(" with reason {r}"));
                }
                s
            }
            DeploymentTest::ReplicaSets { count, active } => {
                let mut parts = Vec::new();
                if let Some(c) = count {
                    let noun = if c.is_one() {
                        "ReplicaSet"
                    } else {
                        "ReplicaSets"
                    };
                    parts.push(format!("{} {noun}", c.describe()));
                }
                if let Some(a) = active {
                    parts.push(format!("{} of them with replicas", a.describe()));
                }
                format!("has {}", parts.join(", "))
            }
            DeploymentTest::ReplicaSet(t) => {
                let mut parts: Vec<String> = t
                    .counts
                    .iter()
                    .map(|(f, c)| format!("{} {}", c.describe(), f.noun_for(i64::from(c.is_one()))))
                    .collect();
                if let Some(i) = &t.images {
                    parts.push(format!("runs {}", i.join(", ")));
                }
                format!("{} has {}", t.select.describe(), parts.join(", "))
                    .replace("has runs", "runs")
            }
            DeploymentTest::Pods(q) => format!(
                "{} {}",
                q.count.describe(),
                q.describe("", q.count.is_one())
            ),
        }
    }

    fn evaluate(&self, st: &DeploymentState) -> GoalResult {
        let name = st.name();
        match self {
            DeploymentTest::Exists(e) => GoalResult::new(*e, format!("{name} exists")),
            DeploymentTest::Images(want) => {
                let pods = st.live_pods();
                let running = pods.iter().filter(|p| images_of_pod(p) == *want).count();
                let want_text = want.join(", ");
                if pods.is_empty() {
                    return GoalResult::NotMet(format!("{name} has no pods"));
                }
                let mut others: BTreeMap<String, usize> = BTreeMap::new();
                for p in pods.iter().filter(|p| images_of_pod(p) != *want) {
                    *others.entry(images_of_pod(p).join(", ")).or_default() += 1;
                }
                let text = if others.is_empty() && pods.len() == 1 {
                    format!("the 1 pod of {name} runs {want_text}")
                } else if others.is_empty() {
                    format!("all {} pods of {name} run {want_text}", pods.len())
                } else {
                    let rest: Vec<String> = others
                        .iter()
                        .map(|(i, c)| format!("{c} {} {i}", if *c == 1 { "runs" } else { "run" }))
                        .collect();
                    format!(
                        "{running} of {} pods of {name} run {want_text} ({})",
                        pods.len(),
                        rest.join(", ")
                    )
                };
                GoalResult::new(others.is_empty(), text)
            }
            DeploymentTest::Count(Field::Revision, c) => {
                let r = st.d.revision();
                let mut text = format!("{name} is at revision {r}");
                if !c.matches(r) {
                    text.push_str(&format!(" (want {})", c.describe()));
                }
                GoalResult::new(c.matches(r), text)
            }
            DeploymentTest::Count(f, c) => {
                let n = st.field(*f);
                let mut text = format!("{name} has {n} {}", f.noun_for(n));
                if !c.matches(n) {
                    text.push_str(&format!(" (want {})", c.describe()));
                }
                GoalResult::new(c.matches(n), text)
            }
            DeploymentTest::RevisionExists(n) => {
                let revs = revisions(st);
                let met = revs.contains(n);
                let text = if met {
                    format!("{name} has revision {n} (revisions: {})", list(&revs))
                } else {
                    format!("{name} has no revision {n} (revisions: {})", list(&revs))
                };
                GoalResult::new(met, text)
            }
            DeploymentTest::Revisions(want) => {
                let revs = revisions(st);
                let mut text = format!("the history of {name} lists revisions {}", list(&revs));
                if revs != *want {
                    text.push_str(&format!(" (want {})", list(want)));
                }
                GoalResult::new(revs == *want, text)
            }
            DeploymentTest::Paused(want) => {
                let p = st.d.is_paused();
                let text = format!("{name} is {}paused", if p { "" } else { "not " });
                GoalResult::new(p == *want, text)
            }
            DeploymentTest::Strategy(want) => {
                let s = st.d.strategy_type();
                GoalResult::new(s == want, format!("{name} uses the {s} strategy"))
            }
            DeploymentTest::Complete(want) => {
                let done = deployment_complete(st.d, &st.d.status);
                let s = &st.d.status;
                let text = if done {
                    format!(
                        "the rollout of {name} is complete ({} of {} replicas up to date and available)",
                        s.available_replicas,
                        st.d.replicas()
                    )
                } else {
                    format!(
                        "the rollout of {name} is not complete: {} of {} replicas up to date, {} available, {} in total",
                        s.updated_replicas,
                        st.d.replicas(),
                        s.available_replicas,
                        s.replicas
                    )
                };
                GoalResult::new(done == *want, text)
            }
            DeploymentTest::Condition {
                type_,
                status,
                reason,
            } => match st.d.condition(type_) {
                None => GoalResult::NotMet(format!("{name} has no {type_} condition")),
                Some(c) => {
                    let met = status.as_ref().is_none_or(|s| *s == c.status)
                        && reason.as_ref().is_none_or(|r| *r == c.reason);
                    GoalResult::new(
                        met,
                        format!(
                            "{name}'s {type_} condition is {} ({}: {})",
                            c.status, c.reason, c.message
                        ),
                    )
                }
            },
            DeploymentTest::ReplicaSets { count, active } => {
                let n = st.replicasets.len() as i64;
                let a = st
                    .replicasets
                    .iter()
                    .filter(|r| r.spec.replicas > 0)
                    .count() as i64;
                let met = count.is_none_or(|c| c.matches(n)) && active.is_none_or(|c| c.matches(a));
                let noun = if n == 1 { "ReplicaSet" } else { "ReplicaSets" };
                GoalResult::new(
                    met,
                    format!("{name} has {n} {noun}, {a} of them with replicas"),
                )
            }
            DeploymentTest::ReplicaSet(t) => t.evaluate(st),
            DeploymentTest::Pods(q) => {
                let f = |p: &Pod, sel: &ReplicaSetSelector| st.pod_in(p, sel);
                q.evaluate(&st.pods, Some(&f), &format!(" of {name}"))
            }
        }
    }
}

fn images_of_pod(p: &Pod) -> Vec<String> {
    p.spec
        .containers
        .iter()
        .map(|c| c.image().to_string())
        .collect()
}

fn revisions(st: &DeploymentState) -> Vec<i64> {
    let mut r: Vec<i64> = st.replicasets.iter().map(|rs| rs.revision()).collect();
    crate::order::sort(&mut r);
    r
}

impl ReplicaSetTest {
    fn evaluate(&self, st: &DeploymentState) -> GoalResult {
        let rss = st.select(&self.select);
        if rss.is_empty() {
            return GoalResult::NotMet(format!("{} has no {}", st.name(), sel_noun(&self.select)));
        }
        let names: Vec<&str> = rss.iter().map(|r| r.metadata.name.as_str()).collect();
        let mut met = true;
        let mut parts = Vec::new();
        for (f, c) in &self.counts {
            let n = st.rs_field(&self.select, *f).unwrap_or(0);
            let mut p = format!("{n} {}", f.noun_for(n));
            if !c.matches(n) {
                met = false;
                p.push_str(&format!(" (want {})", c.describe()));
            }
            parts.push(p);
        }
        if let Some(want) = &self.images {
            for rs in &rss {
                let have = images_of(&rs.spec.template);
                let who = if rss.len() > 1 {
                    format!("{} runs", rs.metadata.name)
                } else {
                    "runs".to_string()
                };
                if have != *want {
                    met = false;
                    parts.push(format!(
                        "{who} {} (want {})",
                        have.join(", "),
                        want.join(", ")
                    ));
                } else {
                    parts.push(format!("{who} {}", have.join(", ")));
                }
            }
        }
        GoalResult::new(
            met,
            format!(
                "{} ({}): {}",
                self.select.describe(),
                names.join(", "),
                parts.join(", ")
            ),
        )
    }
}

impl NodeGoal {
    fn describe(&self) -> String {
        let mut parts = Vec::new();
        match self.ready {
            Some(true) => parts.push("is Ready".to_string()),
            Some(false) => parts.push("is NotReady".to_string()),
            None => {}
        }
        match self.cordoned {
            Some(true) => parts.push("is cordoned".to_string()),
            Some(false) => parts.push("is not cordoned".to_string()),
            None => {}
        }
        if let Some(c) = &self.pods {
            let noun = if c.is_one() { "pod" } else { "pods" };
            parts.push(format!("runs {} {noun}", c.describe()));
        }
        if parts.is_empty() {
            parts.push("exists".into());
        }
        format!("{} {}", self.name, parts.join(" and "))
    }

    fn evaluate(&self, sim: &Sim) -> GoalResult {
        let Some(n) = sim.store.nodes.get(&self.name) else {
            return GoalResult::NotMet(format!("there is no node {}", self.name));
        };
        let ready = crate::controllers::node_lifecycle::is_ready(n);
        let cordoned = n.spec.unschedulable;
        let pods = sim
            .store
            .pods
            .values()
            .filter(|p| {
                p.spec.node_name.as_deref() == Some(self.name.as_str())
                    && !p.metadata.is_terminating()
            })
            .count() as i64;
        let met = self.ready.is_none_or(|r| r == ready)
            && self.cordoned.is_none_or(|c| c == cordoned)
            && self.pods.is_none_or(|c| c.matches(pods));
        let mut text = format!(
            "{} is {}{}, with {pods} live {}",
            self.name,
            if ready { "Ready" } else { "NotReady" },
            if cordoned { " and cordoned" } else { "" },
            pods_word(pods)
        );
        if let Some(c) = self.pods.filter(|c| !c.matches(pods)) {
            text.push_str(&format!(" (want {})", c.describe()));
        }
        GoalResult::new(met, text)
    }
}

impl KubectlGoal {
    fn evaluate(&self, sim: &Sim) -> GoalResult {
        // On a copy: a goal only looks, even when the command would change something.
        let mut copy = sim.clone();
        let out = crate::kubectl::run(&mut copy, &self.line);
        let text = out.text();
        let missing: Vec<&String> = self
            .contains
            .iter()
            .filter(|c| !text.contains(c.as_str()))
            .collect();
        let code_ok = self.exit_code.is_none_or(|c| c == out.exit_code);
        let first = text.lines().next().unwrap_or("").trim_end();
        let shown = if text.lines().count() > 1 {
            format!("{first} …")
        } else {
            first.to_string()
        };
        let mut msg = format!("`{}` prints: {shown}", self.line);
        if !missing.is_empty() {
            let m: Vec<String> = missing.iter().map(|s| format!("{s:?}")).collect();
            msg.push_str(&format!(" (no {})", m.join(", ")));
        }
        if !code_ok {
            msg.push_str(&format!(" (exit code {})", out.exit_code));
        }
        GoalResult::new(missing.is_empty() && code_ok, msg)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::ClusterConfig;
    use crate::command::Command;
    use crate::time::Time;

    fn web(replicas: i64, image: &str, extra_spec: &str) -> String {
        format!(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: {replicas}\n{extra_spec}  selector:\n    matchLabels: {{app: web}}\n  template:\n    metadata:\n      labels: {{app: web}}\n    spec:\n      containers:\n      - name: web\n        image: {image}\n"
        )
    }

    /// A cluster with `web` applied and settled at t = 30 s.
    fn settled(replicas: i64, image: &str, extra_spec: &str) -> Sim {
        let mut sim = Sim::new(ClusterConfig::default(), 1);
        let out = sim.execute(&Command::Apply {
            file: "web.yaml".into(),
            yaml: web(replicas, image, extra_spec),
        });
        assert!(out.success(), "{}", out.text());
        sim.advance_to(Time(30_000));
        sim
    }

    fn run(sim: &mut Sim, line: &str) {
        let out = sim.execute(&Command::Kubectl(line.into()));
        assert!(out.success(), "{line}: {}", out.text());
    }

    fn eval(goal: &str, sim: &Sim) -> GoalResult {
        Goal::from_yaml(goal).unwrap().evaluate(sim)
    }

    fn met(text: &str) -> GoalResult {
        GoalResult::Met(text.into())
    }

    fn not_met(text: &str) -> GoalResult {
        GoalResult::NotMet(text.into())
    }

    #[test]
    fn images_count_the_live_pods_that_run_them() {
        let mut sim = settled(3, "nginx:1.27", "");
        assert_eq!(
            eval("{deployment: web, images: [nginx:1.27]}", &sim),
            met("all 3 pods of web run nginx:1.27")
        );
        run(&mut sim, "kubectl set image deployment/web web=nginx:1.28");
        // Defaults at 3 replicas: surge 1, unavailable 0, so one new pod next to three old.
        assert_eq!(
            eval("{deployment: web, image: nginx:1.28}", &sim),
            not_met("1 of 4 pods of web run nginx:1.28 (3 run nginx:1.27)")
        );
        sim.advance_to(Time(90_000));
        assert!(eval("{deployment: web, images: [nginx:1.28]}", &sim).is_met());
    }

    #[test]
    fn counts_are_exact_or_ranges() {
        let mut sim = Sim::new(ClusterConfig::default(), 1);
        sim.execute(&Command::Apply {
            file: "web.yaml".into(),
            yaml: web(3, "nginx:1.27", ""),
        });
        assert_eq!(
            eval("{deployment: web, readyReplicas: 3}", &sim),
            not_met("web has 0 ready replicas (want 3)")
        );
        assert_eq!(
            eval("{deployment: web, readyReplicas: {atMost: 1}}", &sim),
            met("web has 0 ready replicas")
        );
        sim.advance_to(Time(30_000));
        assert_eq!(
            eval("{deployment: web, readyReplicas: 3}", &sim),
            met("web has 3 ready replicas")
        );
        assert_eq!(
            eval(
                "{deployment: web, availableReplicas: {atLeast: 1, atMost: 2}}",
                &sim
            ),
            not_met("web has 3 available replicas (want 1 to 2)")
        );
    }

    #[test]
    fn revisions_and_history() {
        let mut sim = settled(2, "nginx:1.25", "");
        run(&mut sim, "kubectl set image deployment/web web=nginx:1.26");
        sim.advance_to(Time(60_000));
        assert_eq!(
            eval("{deployment: web, revision: 3}", &sim),
            not_met("web is at revision 2 (want 3)")
        );
        assert_eq!(
            eval("{revisionExists: 3}", &sim),
            not_met("web has no revision 3 (revisions: 1, 2)")
        );
        run(&mut sim, "kubectl rollout undo deployment/web");
        assert_eq!(
            eval("{deployment: web, revision: 3}", &sim),
            met("web is at revision 3")
        );
        assert_eq!(
            eval("{revisionExists: 3}", &sim),
            met("web has revision 3 (revisions: 2, 3)")
        );
        assert_eq!(
            eval("{deployment: web, revisions: [1, 2, 3]}", &sim),
            not_met("the history of web lists revisions 2, 3 (want 1, 2, 3)")
        );
    }

    #[test]
    fn paused_and_conditions() {
        let mut sim = settled(2, "nginx:1.25", "");
        assert_eq!(
            eval("{deployment: web, paused: true}", &sim),
            not_met("web is not paused")
        );
        assert_eq!(
            eval("{deployment: web, condition: {type: Progressing, reason: NewReplicaSetAvailable}}", &sim),
            met("web's Progressing condition is True (NewReplicaSetAvailable: ReplicaSet \"web-6d6b8cb54c\" has successfully progressed.)".replace("6d6b8cb54c", &new_rs_hash(&sim)).as_str())
        );
        run(&mut sim, "kubectl rollout pause deployment/web");
        assert_eq!(
            eval("{deployment: web, paused: true}", &sim),
            met("web is paused")
        );
        assert_eq!(
            eval(
                "{deployment: web, condition: {type: Progressing, status: \"False\"}}",
                &sim
            ),
            not_met(
                "web's Progressing condition is Unknown (DeploymentPaused: Deployment is paused)"
            )
        );
        assert_eq!(
            eval("{deployment: web, condition: {type: ReplicaFailure}}", &sim),
            not_met("web has no ReplicaFailure condition")
        );
    }

    fn new_rs_hash(sim: &Sim) -> String {
        let rs = sim.store.replicasets.values().next().unwrap();
        rs.metadata.labels["pod-template-hash"].clone()
    }

    #[test]
    fn replica_sets_and_one_replica_set() {
        let mut sim = settled(4, "nginx:1.27", "");
        run(&mut sim, "kubectl set image deployment/web web=nginx:1.28");
        // 4 replicas, surge 1, unavailable 1: new 2, old 3 before any new pod is ready.
        assert_eq!(
            eval(
                "{deployment: web, replicaSets: {count: 2, active: 2}}",
                &sim
            ),
            met("web has 2 ReplicaSets, 2 of them with replicas")
        );
        assert_eq!(
            eval("{deployment: web, replicaSets: 1}", &sim),
            not_met("web has 2 ReplicaSets, 2 of them with replicas")
        );
        let new = eval(
            "{deployment: web, replicaSet: {revision: new, replicas: 2, images: [nginx:1.28]}}",
            &sim,
        );
        assert!(new.is_met(), "{new:?}");
        assert!(
            new.text()
                .ends_with("): 2 desired replicas (spec.replicas), runs nginx:1.28"),
            "{new:?}"
        );
        let old = eval(
            "{deployment: web, replicaSet: {revision: old, replicas: 4}}",
            &sim,
        );
        assert!(
            old.text()
                .ends_with("): 3 desired replicas (spec.replicas) (want 4)"),
            "{old:?}"
        );
        assert_eq!(
            eval("{deployment: web, replicaSet: {revision: 7}}", &sim),
            not_met("web has no ReplicaSet with revision 7")
        );
    }

    #[test]
    fn pods_by_status_with_a_breakdown_when_not_met() {
        let mut sim = settled(3, "nginx:1.27", "");
        let goal = "{deployment: web, pods: {status: ImagePullBackOff, atLeast: 1}}";
        assert_eq!(
            eval(goal, &sim),
            not_met(
                "0 pods of web in status ImagePullBackOff (want at least 1); pods now: 3 Running"
            )
        );
        run(&mut sim, "kubectl set image deployment/web web=nginx:1.2x");
        sim.advance_to(Time(60_000));
        assert_eq!(
            eval(goal, &sim),
            met("1 pod of web in status ImagePullBackOff")
        );
        assert_eq!(
            eval("{pods: {image: nginx:1.2x, ready: false, count: 1}}", &sim),
            met("1 not-ready pod running nginx:1.2x")
        );
        assert_eq!(
            eval(
                "{deployment: web, pods: {revision: old, ready: true}}",
                &sim
            ),
            met("3 ready pods of web of the old ReplicaSets")
        );
    }

    #[test]
    fn nodes_ready_cordoned_and_their_pods() {
        let mut sim = settled(3, "nginx:1.27", "");
        assert_eq!(
            eval("{node: node-2, ready: false}", &sim),
            not_met("node-2 is Ready, with 1 live pod")
        );
        sim.execute(&Command::parse("kubesim node stop node-2").unwrap());
        sim.advance_to(Time(120_000));
        assert_eq!(
            eval("{node: node-2, ready: false}", &sim),
            met("node-2 is NotReady, with 1 live pod")
        );
        run(&mut sim, "kubectl cordon node-1");
        assert_eq!(
            eval("{node: node-1, cordoned: true, pods: 0}", &sim),
            not_met("node-1 is Ready and cordoned, with 1 live pod (want 0)")
        );
        assert_eq!(
            eval("{node: node-9}", &sim),
            not_met("there is no node node-9")
        );
    }

    #[test]
    fn namespaces_and_the_only_deployment() {
        let mut sim = settled(1, "nginx:1.27", "");
        run(&mut sim, "kubectl create deployment api --image=nginx:1.27");
        assert_eq!(
            eval("{paused: false}", &sim),
            not_met("there are 2 Deployments (api, web); the goal must name one")
        );
        assert_eq!(
            eval("{namespace: prod, deployment: web}", &sim),
            not_met("there is no Deployment web in namespace prod")
        );
        assert_eq!(
            eval("{namespace: prod, deployment: web, exists: false}", &sim),
            met("there is no Deployment web in namespace prod")
        );
        assert_eq!(
            eval("{deployment: api, exists: false}", &sim),
            not_met("api exists")
        );
    }

    #[test]
    fn kubectl_output_and_exit_code() {
        let sim = settled(2, "nginx:1.27", "");
        assert_eq!(
            eval("{kubectl: rollout status deployment/web, contains: successfully rolled out}", &sim),
            met("`rollout status deployment/web` prints: deployment \"web\" successfully rolled out")
        );
        assert_eq!(
            eval("{kubectl: get deployment nope, exitCode: 0}", &sim),
            not_met("`get deployment nope` prints: Error from server (NotFound): deployments.apps \"nope\" not found (exit code 1)")
        );
        let before = sim.store.clone();
        eval("{kubectl: delete deployment web}", &sim);
        assert_eq!(sim.store, before, "a kubectl goal runs on a copy");
    }

    #[test]
    fn combinators() {
        let sim = settled(2, "nginx:1.27", "");
        assert_eq!(
            eval(
                "{all: [{deployment: web, readyReplicas: 2}, {deployment: web, paused: true}]}",
                &sim
            ),
            not_met("web is not paused")
        );
        assert_eq!(
            eval(
                "{any: [{deployment: web, readyReplicas: 5}, {deployment: web, paused: false}]}",
                &sim
            ),
            met("web is not paused")
        );
        assert_eq!(
            eval("{not: {deployment: web, paused: true}}", &sim),
            met("web is not paused")
        );
        assert_eq!(
            Goal::from_yaml(
                "{all: [{deployment: web, readyReplicas: 2}, {node: node-1, cordoned: true}]}"
            )
            .unwrap()
            .describe(),
            "web: 2 ready replicas; and node-1 is cordoned"
        );
    }

    #[test]
    fn parse_errors_say_what_is_wrong() {
        for (text, want) in [
            ("{deployment: web, imgs: [x]}", "unknown goal key \"imgs\""),
            (
                "{deployment: web, readyReplicas: three}",
                "readyReplicas: expected a number",
            ),
            ("{all: {deployment: web}}", "`all:` takes a list of goals"),
            ("{all: [], paused: true}", "`all:` stands alone"),
            (
                "{pods: {status: Running, colour: red}}",
                "unknown key \"colour\"",
            ),
            (
                "{node: node-1, up: true}",
                "unknown key \"up\" in a node goal",
            ),
            (
                "{kubectl: kubesim node stop node-1}",
                "takes a kubectl command line",
            ),
            (
                "{deployment: web, condition: {reason: X}}",
                "needs its `type`",
            ),
            ("[1, 2]", "a goal is a mapping"),
        ] {
            let err = Goal::from_yaml(text).unwrap_err();
            assert!(err.contains(want), "{text}: {err}");
        }
    }

    #[test]
    fn checks_take_an_optional_time() {
        let c: Check =
            crate::api::yaml::from_str("at: 1m30s\ndeployment: web\npaused: true\n").unwrap();
        assert_eq!(c.at.map(|a| a.0), Some(Time(90_000)));
        assert_eq!(c.goal.describe(), "web: is paused");
        let c: Check = crate::api::yaml::from_str("node: node-1\nready: true\n").unwrap();
        assert_eq!(c.at, None);
    }
}
