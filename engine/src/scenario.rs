//! Scenarios: a cluster, a seed, manifests applied at time zero, and a timeline of commands at
//! simulated times. Running one yields the items transcripts and traces are printed from.
//! A scenario may also list the commands a learner would type, `checks:` the run must pass
//! (goals, see [`crate::goal`]) and a `lesson:` (see [`crate::lesson`]); docs/scenarios.md
//! describes the file format.

use crate::cluster::{ClusterConfig, NodeConfig};
use crate::command::{Command, Output};
use crate::goal::{Check, GoalResult};
use crate::kubectl::watch::Watch;
use crate::lesson::LessonSpec;
use crate::registry::{Behaviour, ImageInfo};
use crate::sim::{Journal, Sim};
use crate::time::Time;
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Scenario {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub seed: u64,
    #[serde(default)]
    pub cluster: ClusterSpec,
    /// The file name `kubectl apply -f` knows the manifests by.
    #[serde(default = "default_file")]
    pub file: String,
    #[serde(default)]
    pub manifests: String,
    /// Whether the manifests are applied at time zero; `false` leaves that to the learner
    /// (`kubectl apply -f FILE`), as a lesson about creating a Deployment wants.
    #[serde(default)]
    pub apply_manifests: Option<bool>,
    #[serde(default)]
    pub timeline: Vec<Step>,
    /// Simulated seconds to run for (default: 30 s after the last step).
    #[serde(default)]
    pub until: Option<Seconds>,
    /// Client load sent to Services (see [`crate::traffic`]).
    #[serde(default)]
    pub traffic: Vec<TrafficSpec>,
    /// More files `kubectl apply -f NAME` can read (not applied at time zero).
    #[serde(default)]
    pub files: BTreeMap<String, String>,
    /// The commands a learner would run to explore this scenario, in order.
    #[serde(default)]
    pub commands: Vec<String>,
    /// Goals the run must meet: at their `at`, or at the end.
    #[serde(default)]
    pub checks: Vec<Check>,
    /// Makes the scenario a guided lesson.
    #[serde(default)]
    pub lesson: Option<LessonSpec>,
}

fn default_file() -> String {
    "manifest.yaml".into()
}

#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ClusterSpec {
    /// A node count, or the nodes one by one.
    #[serde(default)]
    pub nodes: Option<Nodes>,
    #[serde(default)]
    pub node_size: Option<NodeSize>,
    pub image_pull_seconds: Option<f64>,
    pub container_start_seconds: Option<f64>,
    pub sandbox_seconds: Option<f64>,
    pub node_monitor_grace_period_seconds: Option<i64>,
    pub not_ready_toleration_seconds: Option<i64>,
    #[serde(default)]
    pub images: Vec<ImageSpec>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum Nodes {
    Count(u32),
    List(Vec<NodeSpec>),
}

#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NodeSize {
    pub pods: Option<i64>,
    pub cpu: Option<crate::api::meta::Quantity>,
    pub memory: Option<crate::api::meta::Quantity>,
}

#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NodeSpec {
    pub name: String,
    pub pods: Option<i64>,
    pub cpu: Option<crate::api::meta::Quantity>,
    pub memory: Option<crate::api::meta::Quantity>,
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ImageSpec {
    /// `name:tag`, e.g. `example/shop:2.0`.
    pub image: String,
    /// `serve` (default), `crash`, `never-ready` or `shell`.
    #[serde(default)]
    pub behaviour: Option<String>,
    pub start_seconds: Option<f64>,
    pub pull_seconds: Option<f64>,
    pub crash_after_seconds: Option<f64>,
    pub exit_code: Option<i64>,
    #[serde(rename = "sizeMB")]
    pub size_mb: Option<u64>,
    pub port: Option<i64>,
    pub shutdown_seconds: Option<f64>,
    #[serde(default)]
    pub required_env: Vec<String>,
    /// Lines the image writes to its log when it starts (`kubectl logs`).
    #[serde(default)]
    pub log: Vec<String>,
}

/// Seconds as a number (`30`, `2.5`) or a duration (`90s`, `1m30s`).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Seconds(pub Time);

/// The latest time a scenario may name: a day, four times the longest session the app
/// keeps, so no file can ask for years of simulation.
const MAX_SECONDS: u64 = 86_400;

impl<'de> Deserialize<'de> for Seconds {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = serde_yaml::Value::deserialize(d)?;
        let t = match &v {
            serde_yaml::Value::Number(n) => n
                .as_f64()
                .filter(|f| *f >= 0.0 && *f <= MAX_SECONDS as f64)
                .map(Time::from_secs_f64),
            serde_yaml::Value::String(s) => crate::kubectl::rollout::parse_duration(s)
                .ok()
                .filter(|ms| *ms <= MAX_SECONDS * 1000)
                .map(Time),
            _ => None,
        };
        t.map(Seconds).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "expected seconds (30) or a duration (1m30s) of at most a day, got {}",
                crate::api::json::to_json_compact(&v)
            ))
        })
    }
}

/// One `traffic:` entry: `{service: web, rps: 20}`, optionally with `namespace:` and `at:`
/// (when the load starts; default 0).
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TrafficSpec {
    pub service: String,
    #[serde(default)]
    pub namespace: Option<String>,
    /// Requests per simulated second.
    pub rps: u32,
    #[serde(default)]
    pub at: Option<Seconds>,
}

#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Step {
    pub at: Seconds,
    /// A kubectl command line.
    pub kubectl: Option<String>,
    /// A YAML document (or several) to apply as `kubectl apply -f <file>`.
    pub apply: Option<String>,
    /// A simulator action: `kubesim node stop node-2`, `kubesim delete-pod web 0`.
    pub action: Option<String>,
    /// A note shown in transcripts and lessons.
    pub note: Option<String>,
}

impl Step {
    pub fn command(&self, file: &str) -> Result<Command, String> {
        match (&self.kubectl, &self.apply, &self.action) {
            (Some(k), None, None) => Command::parse(k),
            (None, Some(y), None) => Ok(Command::Apply {
                file: file.to_string(),
                yaml: y.clone(),
            }),
            (None, None, Some(a)) => {
                let line = if a.trim_start().starts_with("kubesim") {
                    a.clone()
                } else {
                    format!("kubesim {a}")
                };
                Command::parse(&line)
            }
            _ => Err(format!(
                "the step at {} needs exactly one of `kubectl`, `apply`, `action`",
                self.at.0.clock()
            )),
        }
    }
}

/// `v` if it lies in `lo..=hi`, else a message naming the field.
fn int(v: impl Into<i128>, lo: i64, hi: i64, what: &str) -> Result<i64, String> {
    let v = v.into();
    if (lo.into()..=hi.into()).contains(&v) {
        Ok(v as i64)
    } else {
        Err(format!("{what} must be between {lo} and {hi}, got {v}"))
    }
}

/// A node's pod capacity (the kubelet's `maxPods`, which may not be negative).
fn pods(v: Option<i64>, what: &str) -> Result<Option<i64>, String> {
    v.map(|n| int(n, 0, 1000, what)).transpose()
}

impl Scenario {
    /// Parses a scenario file; errors name the field and line.
    pub fn from_yaml(text: &str) -> Result<Scenario, String> {
        if text.len() > crate::api::yaml::MAX_INPUT_BYTES {
            return Err(format!(
                "scenario is {} bytes; the limit is {}",
                text.len(),
                crate::api::yaml::MAX_INPUT_BYTES
            ));
        }
        let blank = |l: &str| {
            let l = l.trim();
            l.is_empty() || l.starts_with('#') || l == "---" || l == "..."
        };
        if text.lines().all(blank) {
            return Err(
                "the scenario file is empty: it needs at least a name, a cluster or manifests"
                    .into(),
            );
        }
        let mut s: Scenario = crate::api::yaml::from_str(text)?;
        // Steps run in time order whatever order the file lists them in (a stable sort keeps
        // the file's order among steps at the same time), in the app as on the command line.
        crate::order::sort_by_key(&mut s.timeline, |st| st.at.0);
        for (i, step) in s.timeline.iter().enumerate() {
            step.command(&s.file)
                .map_err(|e| format!("timeline[{i}]: {e}"))?;
        }
        for (i, line) in s.commands.iter().enumerate() {
            Command::parse(line).map_err(|e| format!("commands[{i}]: {e}"))?;
        }
        if s.files.contains_key(&s.file) {
            return Err(format!(
                "files: {:?} is the manifests' file name; give the extra file another name",
                s.file
            ));
        }
        if let Some(late) = s.timeline.iter().map(|st| st.at).find(|a| a.0 > s.end()) {
            return Err(format!(
                "timeline: a step at {} comes after the end of the run ({})",
                late.0.clock(),
                s.end().clock()
            ));
        }
        if let Some(late) = s.checks.iter().filter_map(|c| c.at).find(|a| a.0 > s.end()) {
            return Err(format!(
                "checks: a check at {} comes after the end of the run ({})",
                late.0.clock(),
                s.end().clock()
            ));
        }
        if let Some(l) = &s.lesson {
            l.validate().map_err(|e| format!("lesson.{e}"))?;
        }
        for (i, t) in s.traffic.iter().enumerate() {
            let max = crate::traffic::MAX_RPS;
            if t.rps > max {
                return Err(format!(
                    "traffic[{i}]: rps must be at most {max}, got {}",
                    t.rps
                ));
            }
        }
        s.config()?;
        Ok(s)
    }

    pub fn config(&self) -> Result<ClusterConfig, String> {
        let mut c = ClusterConfig::default();
        let spec = &self.cluster;
        let size = spec.node_size.clone().unwrap_or_default();
        let milli =
            |q: &Option<crate::api::meta::Quantity>, what: &str| -> Result<Option<i128>, String> {
                match q {
                    None => Ok(None),
                    // Positive, and small enough for the i64 the node keeps it in.
                    Some(q) => q
                        .milli()
                        .filter(|v| *v > 0 && i64::try_from(*v).is_ok())
                        .map(Some)
                        .ok_or_else(|| format!("cluster: invalid {what} quantity {:?}", q.0)),
                }
            };
        let default_cpu = milli(&size.cpu, "cpu")?.map_or(4000, |v| v as i64);
        let default_mem =
            milli(&size.memory, "memory")?.map_or(8 * 1024 * 1024 * 1024, |v| (v / 1000) as i64);
        let default_pods = pods(size.pods, "cluster.nodeSize.pods")?.unwrap_or(110);
        match &spec.nodes {
            None => {
                for n in &mut c.nodes {
                    n.cpu_milli = default_cpu;
                    n.memory_bytes = default_mem;
                    n.pods = default_pods;
                }
            }
            Some(Nodes::Count(k)) => {
                if *k == 0 || *k > 100 {
                    return Err(format!("cluster.nodes must be between 1 and 100, got {k}"));
                }
                c.nodes = (1..=*k)
                    .map(|i| {
                        NodeConfig::sized(
                            &format!("node-{i}"),
                            default_pods,
                            default_cpu,
                            default_mem,
                        )
                    })
                    .collect();
            }
            Some(Nodes::List(list)) => {
                if list.is_empty() || list.len() > 100 {
                    return Err("cluster.nodes must list between 1 and 100 nodes".into());
                }
                c.nodes = Vec::new();
                for (i, n) in list.iter().enumerate() {
                    let errs = crate::api::validation::validate_name("Node", &n.name);
                    if let Some(e) = errs.first() {
                        return Err(format!("cluster.nodes: {}", e.cause()));
                    }
                    if list[..i].iter().any(|m| m.name == n.name) {
                        return Err(format!(
                            "cluster.nodes[{i}].name: Duplicate value: {:?}",
                            n.name
                        ));
                    }
                    let mut cfg = NodeConfig::sized(
                        &n.name,
                        pods(n.pods, &format!("cluster.nodes[{i}].pods"))?.unwrap_or(default_pods),
                        milli(&n.cpu, "cpu")?.map_or(default_cpu, |v| v as i64),
                        milli(&n.memory, "memory")?.map_or(default_mem, |v| (v / 1000) as i64),
                    );
                    // The API server would refuse a Node with these labels.
                    let errs = crate::api::validation::validate_label_map(&n.labels, true);
                    if let Some(e) = errs.first() {
                        let cause = e.cause();
                        let cause = cause.strip_prefix("metadata.").unwrap_or(&cause);
                        return Err(format!("cluster.nodes[{i}].{cause}"));
                    }
                    cfg.labels = n.labels.clone().into_iter().collect();
                    c.nodes.push(cfg);
                }
            }
        }
        let secs = |v: Option<f64>, what: &str, default: f64| -> Result<f64, String> {
            match v {
                None => Ok(default),
                Some(x) if (0.0..=3600.0).contains(&x) => Ok(x),
                Some(x) => Err(format!(
                    "cluster.{what} must be between 0 and 3600, got {x}"
                )),
            }
        };
        c.image_pull_seconds = secs(
            spec.image_pull_seconds,
            "imagePullSeconds",
            c.image_pull_seconds,
        )?;
        c.container_start_seconds = secs(
            spec.container_start_seconds,
            "containerStartSeconds",
            c.container_start_seconds,
        )?;
        c.sandbox_seconds = secs(spec.sandbox_seconds, "sandboxSeconds", c.sandbox_seconds)?;
        if let Some(g) = spec.node_monitor_grace_period_seconds {
            c.node_monitor_grace_period_seconds =
                int(g, 0, 3600, "cluster.nodeMonitorGracePeriodSeconds")?;
        }
        if let Some(t) = spec.not_ready_toleration_seconds {
            c.not_ready_toleration_seconds =
                int(t, 0, 86_400, "cluster.notReadyTolerationSeconds")?;
        }
        for (i, img) in spec.images.iter().enumerate() {
            let at = |field: &str| format!("images[{i}].{field}");
            let image_secs = |v: Option<f64>, field: &str| -> Result<Option<f64>, String> {
                v.map(|x| secs(Some(x), &at(field), 0.0)).transpose()
            };
            let start_seconds = image_secs(img.start_seconds, "startSeconds")?;
            let pull_seconds = image_secs(img.pull_seconds, "pullSeconds")?;
            let crash_after = image_secs(img.crash_after_seconds, "crashAfterSeconds")?;
            let shutdown_seconds = image_secs(img.shutdown_seconds, "shutdownSeconds")?;
            let exit_code = img
                .exit_code
                .map(|x| int(x, 0, 255, &format!("cluster.{}", at("exitCode"))))
                .transpose()?;
            let port = img
                .port
                .map(|x| int(x, 1, 65_535, &format!("cluster.{}", at("port"))))
                .transpose()?;
            let size_mb = img
                .size_mb
                .map(|x| int(x, 0, 100_000, &format!("cluster.{}", at("sizeMB"))))
                .transpose()?;
            let r = crate::registry::ImageRef::parse(&img.image)
                .ok_or_else(|| format!("cluster.images: invalid image {:?}", img.image))?;
            let behaviour = match img.behaviour.as_deref().unwrap_or("serve") {
                "serve" | "ok" => Behaviour::Serve,
                "crash" => Behaviour::Crash { after_seconds: crash_after.unwrap_or(5.0), exit_code: exit_code.unwrap_or(1) },
                "never-ready" => Behaviour::NeverReady,
                "shell" => Behaviour::Shell,
                other => return Err(format!("cluster.images: unknown behaviour {other:?} (serve, crash, never-ready, shell)")),
            };
            let mut info = ImageInfo::server(
                size_mb.map_or(50, |v| v as u64),
                start_seconds.unwrap_or(0.5),
                port.unwrap_or(80),
            );
            info.behaviour = behaviour;
            info.pull_seconds = pull_seconds;
            info.required_env = img.required_env.clone();
            if img.log.len() > 100 || img.log.iter().any(|l| l.len() > 1000) {
                return Err(format!(
                    "cluster.{}: at most 100 lines of at most 1000 bytes",
                    at("log")
                ));
            }
            info.log = img.log.clone();
            if let Some(s) = shutdown_seconds {
                info.shutdown_seconds = Some(s);
            }
            c.registry.add(&r.repository, &r.tag, info);
        }
        Ok(c)
    }

    /// Whether the manifests are applied at time zero (`applyManifests`, default true; never
    /// when there are none).
    pub fn applies_manifests(&self) -> bool {
        self.apply_manifests.unwrap_or(true) && !self.manifests.trim().is_empty()
    }

    /// The end of the run.
    pub fn end(&self) -> Time {
        if let Some(u) = self.until {
            return u.0;
        }
        self.timeline
            .iter()
            .map(|s| s.at.0)
            .max()
            .unwrap_or_default()
            .plus_ms(30_000)
    }

    /// A fresh simulation with the cluster and files of this scenario (nothing applied yet).
    pub fn new_sim(&self) -> Result<Sim, String> {
        let mut sim = Sim::new(self.config()?, self.seed);
        for (name, text) in &self.files {
            sim.files.insert(name.clone(), text.clone());
        }
        sim.files.insert(self.file.clone(), self.manifests.clone());
        for t in &self.traffic {
            let ns = t.namespace.as_deref().unwrap_or("default");
            let at = t.at.map_or(Time::ZERO, |a| a.0);
            sim.traffic.set(ns, &t.service, t.rps, at);
        }
        Ok(sim)
    }
}

/// One thing that happened during a run, in order.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// A command about to run (before its effects).
    Step {
        t: Time,
        line: String,
        note: Option<String>,
    },
    /// What a command (or a still-running watch) printed.
    Printed {
        t: Time,
        output: Output,
    },
    Journal(Journal),
    /// One of the scenario's `checks`, evaluated.
    Check {
        t: Time,
        /// The goal in words.
        goal: String,
        result: GoalResult,
    },
}

/// Runs a scenario to its end. Watches (`rollout status`, `get -w`) keep printing as time
/// passes, as they would in a terminal. Checks are evaluated at their time, after the
/// timeline steps of that instant, and those without `at` at the end.
pub fn run(s: &Scenario) -> Result<(Sim, Vec<Item>), String> {
    let mut sim = s.new_sim()?;
    let mut items = Vec::new();
    let mut seen = sim.journal.len();
    let mut watches: Vec<Watch> = Vec::new();
    let mut steps: Vec<(Time, Option<String>, Command)> = Vec::new();
    if s.applies_manifests() {
        steps.push((
            Time::ZERO,
            None,
            Command::Apply {
                file: s.file.clone(),
                yaml: s.manifests.clone(),
            },
        ));
    }
    for st in &s.timeline {
        steps.push((st.at.0, st.note.clone(), st.command(&s.file)?));
    }
    crate::order::sort_by_key(&mut steps, |(t, _, _)| *t);
    let mut timed: Vec<&Check> = s.checks.iter().filter(|c| c.at.is_some()).collect();
    crate::order::sort_by_key(&mut timed, |c| c.at.map(|a| a.0));
    let mut timed = timed.into_iter().peekable();
    let check = |sim: &Sim, c: &Check, items: &mut Vec<Item>| {
        items.push(Item::Check {
            t: sim.now,
            goal: c.goal.describe(),
            result: c.goal.evaluate(sim),
        })
    };
    for (t, note, cmd) in steps {
        while let Some(c) = timed.next_if(|c| c.at.is_some_and(|a| a.0 < t)) {
            advance(
                &mut sim,
                c.at.unwrap_or_default().0,
                &mut watches,
                &mut items,
                &mut seen,
            );
            check(&sim, c, &mut items);
        }
        advance(&mut sim, t, &mut watches, &mut items, &mut seen);
        items.push(Item::Step {
            t: sim.now,
            line: cmd.line(),
            note,
        });
        let (out, watch) = sim.start(&cmd);
        drain_journal(&sim, &mut items, &mut seen);
        items.push(Item::Printed {
            t: sim.now,
            output: out,
        });
        watches.extend(watch);
        crate::kubectl::watch::keep_writes(&mut sim, &watches, false);
        // What the command changed shows in the running watches at once.
        poll(&mut sim, &mut watches, &mut items);
    }
    for c in timed {
        advance(
            &mut sim,
            c.at.unwrap_or_default().0,
            &mut watches,
            &mut items,
            &mut seen,
        );
        check(&sim, c, &mut items);
    }
    advance(&mut sim, s.end(), &mut watches, &mut items, &mut seen);
    for c in s.checks.iter().filter(|c| c.at.is_none()) {
        check(&sim, c, &mut items);
    }
    Ok((sim, items))
}

fn drain_journal(sim: &Sim, items: &mut Vec<Item>, seen: &mut usize) {
    items.extend(sim.journal[*seen..].iter().cloned().map(Item::Journal));
    *seen = sim.journal.len();
}

/// Advances timer by timer, polling the watches after each step.
fn advance(
    sim: &mut Sim,
    t: Time,
    watches: &mut Vec<Watch>,
    items: &mut Vec<Item>,
    seen: &mut usize,
) {
    while let Some(next) = crate::kubectl::watch::next_stop(sim, watches).filter(|n| *n <= t) {
        sim.advance_to(next);
        drain_journal(sim, items, seen);
        poll(sim, watches, items);
    }
    sim.advance_to(t);
    drain_journal(sim, items, seen);
}

/// What the running watches print now.
fn poll(sim: &mut Sim, watches: &mut Vec<Watch>, items: &mut Vec<Item>) {
    let t = sim.now;
    let outputs = crate::kubectl::watch::poll_all(sim, watches);
    items.extend(
        outputs
            .into_iter()
            .map(|output| Item::Printed { t, output }),
    );
}
