//! Lessons: a scenario file with a `lesson:` block of steps. Each step has Markdown text,
//! suggested commands, a goal the engine checks against the cluster, hints, and optionally a
//! prediction question whose answer the engine computes by simulating ahead on a copy of the
//! learner's cluster — so the answer is right for whatever YAML the learner applied.
//!
//! The UI owns presentation and timing; this module only answers questions about a [`Sim`]:
//! is this step's goal met ([`Lesson::check`]), what will happen ([`Lesson::predict`]), and
//! keeps the learner's place in a small saveable [`LessonProgress`]. [`Lesson::rehearse`]
//! plays a lesson's own actions to show that every goal is reachable (tests and authors).

use crate::command::{Command, Output};
use crate::goal::{DeploymentState, Field, Goal, GoalResult, ReplicaSetSelector};
use crate::scenario::{Scenario, Seconds};
use crate::session::Session;
use crate::sim::Sim;
use crate::time::Time;
use serde::{Deserialize, Deserializer, Serialize};
use serde_yaml::Value;

/// The `lesson:` block of a scenario file.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LessonSpec {
    /// Markdown shown before the first step.
    #[serde(default)]
    pub intro: String,
    pub steps: Vec<LessonStep>,
}

#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LessonStep {
    pub title: String,
    /// Markdown.
    #[serde(default)]
    pub text: String,
    /// Command lines the learner should run (`kubectl …`, `kubesim …`).
    #[serde(default)]
    pub actions: Vec<String>,
    /// Checked against the cluster; a step without one is done when read.
    #[serde(default)]
    pub goal: Option<Goal>,
    #[serde(default)]
    pub hints: Vec<String>,
    #[serde(default)]
    pub predict: Option<PredictSpec>,
}

/// A prediction question: run `after` (default: the step's actions) on a copy of the
/// cluster, let `wait` pass, and read `measure`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PredictSpec {
    pub question: String,
    #[serde(default, deserialize_with = "one_or_many")]
    pub after: Option<Vec<String>>,
    #[serde(default)]
    pub wait: Seconds,
    pub measure: Measure,
    /// The answer for the lesson's scripted flow, as the author worked it out; tests
    /// check the engine agrees. The learner is graded against the computed value.
    #[serde(default)]
    pub answer: Option<i64>,
    /// Markdown appended to the computed explanation: why the number is what it is.
    #[serde(default)]
    pub explanation: String,
}

fn one_or_many<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<String>>, D::Error> {
    match Value::deserialize(d)? {
        Value::Null => Ok(None),
        Value::String(s) => Ok(Some(vec![s])),
        Value::Sequence(items) => items
            .into_iter()
            .map(|v| match v {
                Value::String(s) => Ok(s),
                other => Err(serde::de::Error::custom(format!(
                    "expected a command line, got {}",
                    crate::api::json::to_json_compact(&other)
                ))),
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Some),
        other => Err(serde::de::Error::custom(format!(
            "expected a command line or a list of them, got {}",
            crate::api::json::to_json_compact(&other)
        ))),
    }
}

/// What a prediction reads: a number of a Deployment, of one of its ReplicaSets, or of a
/// node; at the end of the wait, or its highest or lowest value during it.
#[derive(Debug, Clone, PartialEq)]
pub struct Measure {
    pub namespace: String,
    /// `None`: the namespace's only Deployment (unless `node` is set).
    pub deployment: Option<String>,
    pub replica_set: Option<ReplicaSetSelector>,
    pub node: Option<String>,
    pub field: Field,
    pub over: Over,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Over {
    /// The value at the end of the wait.
    End,
    /// The highest value at any moment from the commands to the end of the wait.
    Max,
    Min,
}

impl<'de> Deserialize<'de> for Measure {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = Value::deserialize(d)?;
        Measure::from_value(&v).map_err(serde::de::Error::custom)
    }
}

impl Measure {
    fn from_value(v: &Value) -> Result<Measure, String> {
        let Some(m) = v.as_mapping() else {
            return Err("a measure is {deployment: web, replicaSet: new, field: replicas}".into());
        };
        let mut out = Measure {
            namespace: "default".into(),
            deployment: None,
            replica_set: None,
            node: None,
            field: Field::Replicas,
            over: Over::End,
        };
        let mut field = None;
        let text = |v: &Value, what: &str| -> Result<String, String> {
            v.as_str()
                .map(str::to_string)
                .ok_or_else(|| format!("{what}: expected text"))
        };
        for (k, val) in m {
            match k.as_str().unwrap_or("") {
                "namespace" => out.namespace = text(val, "namespace")?,
                "deployment" => out.deployment = Some(text(val, "deployment")?),
                "replicaSet" => {
                    out.replica_set = Some(match (val.as_str(), val.as_i64()) {
                        (Some("new"), _) => ReplicaSetSelector::New,
                        (Some("old"), _) => ReplicaSetSelector::Old,
                        (_, Some(n)) => ReplicaSetSelector::Revision(n),
                        _ => return Err("replicaSet: `new`, `old` or a revision number".into()),
                    })
                }
                "node" => out.node = Some(text(val, "node")?),
                "field" => field = Some(Field::parse(&text(val, "field")?)?),
                "over" => {
                    out.over = match val.as_str() {
                        Some("end") => Over::End,
                        Some("max") => Over::Max,
                        Some("min") => Over::Min,
                        _ => return Err("over: `end`, `max` or `min`".into()),
                    }
                }
                other => {
                    return Err(format!(
                        "unknown measure key {other:?} (namespace, deployment, replicaSet, node, field, over)"
                    ))
                }
            }
        }
        out.field = field.ok_or("a measure needs its `field`")?;
        if out.node.is_some() && out.field != Field::Pods {
            return Err("a node measure reads `field: pods`".into());
        }
        Ok(out)
    }

    /// The value now and what it is in words.
    pub fn read(&self, sim: &Sim) -> Result<(i64, String), String> {
        if let Some(node) = &self.node {
            if !sim.store.nodes.contains_key(node) {
                return Err(format!("there is no node {node}"));
            }
            let n = sim
                .store
                .pods
                .values()
                .filter(|p| {
                    p.spec.node_name.as_deref() == Some(node.as_str())
                        && !p.metadata.is_terminating()
                })
                .count() as i64;
            return Ok((n, format!("live pods on {node}")));
        }
        let st = DeploymentState::find(sim, &self.namespace, self.deployment.as_deref())?;
        let field = self.field.noun();
        match &self.replica_set {
            None => Ok((st.field(self.field), format!("{field} of {}", st.name()))),
            Some(sel) => {
                let v = st.rs_field(sel, self.field)?;
                let names: Vec<String> = st
                    .select(sel)
                    .iter()
                    .map(|r| format!("{}, revision {}", r.metadata.name, r.revision()))
                    .collect();
                let which = match sel {
                    ReplicaSetSelector::New => "the new ReplicaSet",
                    ReplicaSetSelector::Old => "the old ReplicaSets",
                    ReplicaSetSelector::Revision(_) => "the ReplicaSet",
                };
                Ok((
                    v,
                    format!("{field} of {which} of {} ({})", st.name(), names.join("; ")),
                ))
            }
        }
    }
}

/// A computed prediction: the question and the engine's answer, with how it got there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prediction {
    pub question: String,
    pub answer: i64,
    /// Markdown: what was simulated and what was read, then the author's explanation.
    pub explanation: String,
}

/// A learner's answer, graded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grade {
    pub correct: bool,
    /// `Right: 6.` or `Not quite: you said 5, the simulation gives 6.`
    pub message: String,
}

impl Prediction {
    pub fn grade(&self, given: i64) -> Grade {
        let correct = given == self.answer;
        let message = if correct {
            format!("Right: {}.", self.answer)
        } else {
            format!(
                "Not quite: you said {given}, the simulation gives {}.",
                self.answer
            )
        };
        Grade { correct, message }
    }
}

/// Longest simulated time a prediction may look ahead.
pub const MAX_PREDICT_WAIT: Time = Time(3_600_000);
/// How long [`Lesson::rehearse`] waits for one step's goal after its actions.
pub const REHEARSAL_WAIT: Time = Time(30 * 60_000);

impl LessonSpec {
    /// Checks what serde cannot: commands parse, steps are there.
    pub fn validate(&self) -> Result<(), String> {
        if self.steps.is_empty() {
            return Err("steps: a lesson needs at least one step".into());
        }
        for (i, s) in self.steps.iter().enumerate() {
            if s.title.trim().is_empty() {
                return Err(format!("steps[{i}].title: a step needs a title"));
            }
            for (j, a) in s.actions.iter().enumerate() {
                Command::parse(a).map_err(|e| format!("steps[{i}].actions[{j}]: {e}"))?;
            }
            if let Some(p) = &s.predict {
                for (j, a) in p.after.iter().flatten().enumerate() {
                    Command::parse(a).map_err(|e| format!("steps[{i}].predict.after[{j}]: {e}"))?;
                }
                if p.wait.0 > MAX_PREDICT_WAIT {
                    return Err(format!(
                        "steps[{i}].predict.wait: at most {} s",
                        MAX_PREDICT_WAIT.0 / 1000
                    ));
                }
            }
        }
        Ok(())
    }
}

/// A lesson: the scenario it runs on and its steps.
#[derive(Debug, Clone, PartialEq)]
pub struct Lesson {
    /// The file's text (`Session::new` takes it).
    pub text: String,
    pub scenario: Scenario,
    pub name: String,
    pub description: String,
    pub intro: String,
    pub steps: Vec<LessonStep>,
}

impl Lesson {
    /// Reads a lesson file: a scenario with a `lesson:` block.
    pub fn from_yaml(text: &str) -> Result<Lesson, String> {
        let scenario = Scenario::from_yaml(text)?;
        Lesson::from_scenario(text, scenario)
            .ok_or_else(|| "this scenario has no `lesson:` block".to_string())
    }

    /// The lesson of a running session (opened from a built-in name or a share link), if its
    /// scenario is one.
    pub fn from_session(session: &Session) -> Option<Lesson> {
        Lesson::from_scenario(&session.scenario_text, session.scenario.clone())
    }

    fn from_scenario(text: &str, scenario: Scenario) -> Option<Lesson> {
        let spec = scenario.lesson.clone()?;
        Some(Lesson {
            text: text.to_string(),
            name: scenario.name.clone(),
            description: scenario.description.clone(),
            scenario,
            intro: spec.intro,
            steps: spec.steps,
        })
    }

    /// Whether step `step`'s goal holds in `sim`, and what is true now.
    pub fn check(&self, step: usize, sim: &Sim) -> GoalResult {
        match self.steps.get(step) {
            None => GoalResult::NotMet(format!("this lesson has no step {}", step + 1)),
            Some(LessonStep { goal: None, .. }) => {
                GoalResult::Met("Nothing to check in this step: read on.".into())
            }
            Some(LessonStep { goal: Some(g), .. }) => g.evaluate(sim),
        }
    }

    /// Step `step`'s prediction, computed by simulating ahead from `sim` (`None` when the step
    /// asks none). Call it when the step is shown and keep the result: computed after the
    /// learner acted, it would simulate from that later state. An error says why the
    /// simulation could not answer (a command failed, the Deployment is gone, …).
    pub fn predict(&self, step: usize, sim: &Sim) -> Option<Result<Prediction, String>> {
        let st = self.steps.get(step)?;
        let p = st.predict.as_ref()?;
        Some(self.simulate(st, p, sim))
    }

    fn simulate(&self, st: &LessonStep, p: &PredictSpec, sim: &Sim) -> Result<Prediction, String> {
        let mut s = sim.clone();
        let start = s.now;
        let after = p.after.clone().unwrap_or_else(|| st.actions.clone());
        for line in &after {
            let cmd = Command::parse(line)?;
            let out = s.execute(&cmd);
            if !out.success() && !read_only(&cmd) {
                return Err(format!(
                    "`{}` failed here, so there is nothing to predict: {}",
                    cmd.line(),
                    out.text().trim()
                ));
            }
        }
        let end = start.plus_ms(p.wait.0 .0.min(MAX_PREDICT_WAIT.0));
        // Timeline steps the session has not run yet happen during the wait too.
        let mut due: Vec<(Time, Command)> = self
            .scenario
            .timeline
            .iter()
            .filter(|t| t.at.0 > start && t.at.0 <= end)
            .filter_map(|t| t.command(&self.scenario.file).ok().map(|c| (t.at.0, c)))
            .collect();
        crate::order::sort_by_key(&mut due, |(t, _)| *t);
        let mut due = due.into_iter().peekable();
        // The extreme so far and when it was seen, for `over: max|min`.
        let mut extreme: Option<(i64, Time)> = None;
        let sample = |s: &Sim, extreme: &mut Option<(i64, Time)>| {
            if p.measure.over == Over::End {
                return;
            }
            if let Ok((v, _)) = p.measure.read(s) {
                let better = match (p.measure.over, *extreme) {
                    (_, None) => true,
                    (Over::Max, Some((e, _))) => v > e,
                    (_, Some((e, _))) => v < e,
                };
                if better {
                    *extreme = Some((v, s.now));
                }
            }
        };
        sample(&s, &mut extreme);
        loop {
            let next_timer = s.next_timer().filter(|t| *t <= end);
            let next_step = due.peek().map(|(t, _)| *t);
            let next = match (next_timer, next_step) {
                (Some(a), Some(b)) => a.min(b),
                (a, b) => match a.or(b) {
                    Some(n) => n,
                    None => break,
                },
            };
            s.advance_to(next);
            while let Some((_, cmd)) = due.next_if(|(t, _)| *t <= s.now) {
                s.execute(&cmd);
            }
            sample(&s, &mut extreme);
        }
        s.advance_to(end);
        let mut explanation = String::from("Simulated from now");
        if after.is_empty() {
            explanation.push_str(&format!(": {} pass", seconds(end.since(start))));
        } else {
            let cmds: Vec<String> = after.iter().map(|a| format!("`{}`", a.trim())).collect();
            explanation.push_str(&format!(": {}", cmds.join(", ")));
            if end > start {
                explanation.push_str(&format!(", then {}", seconds(end.since(start))));
            }
        }
        explanation.push_str(". ");
        let (label_value, label) = p.measure.read(&s)?;
        let value = match (p.measure.over, extreme) {
            (Over::End, _) | (_, None) => {
                explanation.push_str(&format!("Then: {label} = {label_value}."));
                label_value
            }
            (over, Some((v, at))) => {
                let word = if over == Over::Max {
                    "Highest"
                } else {
                    "Lowest"
                };
                explanation.push_str(&format!(
                    "{word} {label} at any moment: {v} ({} after the commands).",
                    seconds(at.since(start))
                ));
                v
            }
        };
        if !p.explanation.trim().is_empty() {
            explanation.push_str("\n\n");
            explanation.push_str(p.explanation.trim());
        }
        Ok(Prediction {
            question: p.question.clone(),
            answer: value,
            explanation,
        })
    }

    /// Plays the lesson as its author scripted it: from a fresh session, each step's
    /// prediction (from the state when the step starts), then its actions, then time passes
    /// (up to [`REHEARSAL_WAIT`]) until its goal is met.
    pub fn rehearse(&self) -> Result<Rehearsal, String> {
        let mut session = Session::new(&self.text)?;
        let mut steps = Vec::new();
        for (i, st) in self.steps.iter().enumerate() {
            let started = session.now();
            let prediction = self.predict(i, &session.sim);
            let mut commands = Vec::new();
            for a in &st.actions {
                let printed = session.run(Command::parse(a)?);
                commands.push((printed.line.unwrap_or_default(), printed.output));
            }
            let limit = session.now().plus_ms(REHEARSAL_WAIT.0);
            let mut result = self.check(i, &session.sim);
            while !result.is_met() && session.now() < limit {
                let before = (session.now(), session.sim.revision());
                session.step();
                if (session.now(), session.sim.revision()) == before {
                    break;
                }
                result = self.check(i, &session.sim);
            }
            steps.push(StepRehearsal {
                step: i,
                title: st.title.clone(),
                started,
                prediction,
                stated_answer: st.predict.as_ref().and_then(|p| p.answer),
                commands,
                reached_at: session.now(),
                result,
            });
        }
        Ok(Rehearsal { steps })
    }
}

fn seconds(ms: u64) -> String {
    crate::time::format_seconds(ms)
}

/// Commands that only look: their failure does not spoil a prediction.
fn read_only(cmd: &Command) -> bool {
    let Command::Kubectl(line) = cmd else {
        return false;
    };
    let words: Vec<&str> = line
        .split_whitespace()
        .skip_while(|w| *w == "kubectl")
        .take(2)
        .collect();
    matches!(
        words.as_slice(),
        ["get" | "describe" | "explain", ..] | ["rollout", "status" | "history"]
    )
}

/// One step of [`Lesson::rehearse`].
#[derive(Debug, Clone, PartialEq)]
pub struct StepRehearsal {
    pub step: usize,
    pub title: String,
    pub started: Time,
    pub prediction: Option<Result<Prediction, String>>,
    /// The answer the file states, if any.
    pub stated_answer: Option<i64>,
    /// Each action's command line and output.
    pub commands: Vec<(String, Output)>,
    /// When the goal was met (or the rehearsal gave up).
    pub reached_at: Time,
    pub result: GoalResult,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Rehearsal {
    pub steps: Vec<StepRehearsal>,
}

impl Rehearsal {
    /// Everything that went wrong, one sentence each; empty when the lesson works.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        for s in &self.steps {
            let n = s.step + 1;
            if !s.result.is_met() {
                out.push(format!(
                    "step {n} ({}): goal not met by {}: {}",
                    s.title,
                    s.reached_at.clock(),
                    s.result.text()
                ));
            }
            match (&s.prediction, s.stated_answer) {
                (Some(Err(e)), _) => out.push(format!("step {n}: prediction failed: {e}")),
                (Some(Ok(p)), Some(want)) if p.answer != want => out.push(format!(
                    "step {n}: the file says the answer is {want}, the engine computes {}: {}",
                    p.answer, p.explanation
                )),
                _ => {}
            }
        }
        out
    }
}

/// Where a learner is in a lesson: the current step, which steps' goals were met, and the
/// answers given to predictions. Saved as [`LessonProgress::to_text`] (or with serde).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LessonProgress {
    pub step: usize,
    pub completed: Vec<bool>,
    pub answers: Vec<Option<i64>>,
}

/// The version tag of [`LessonProgress::to_text`].
const PROGRESS_FORMAT: &str = "1";

impl LessonProgress {
    pub fn new(lesson: &Lesson) -> LessonProgress {
        LessonProgress {
            step: 0,
            completed: vec![false; lesson.steps.len()],
            answers: vec![None; lesson.steps.len()],
        }
    }

    /// Back to the first step with nothing done (the UI also restarts the session).
    pub fn restart(&mut self) {
        self.step = 0;
        self.completed.iter_mut().for_each(|c| *c = false);
        self.answers.iter_mut().for_each(|a| *a = None);
    }

    /// Checks the current step's goal and marks the step completed when it is met (a met
    /// goal stays completed even if the cluster changes later).
    pub fn update(&mut self, lesson: &Lesson, sim: &Sim) -> GoalResult {
        let r = lesson.check(self.step, sim);
        if r.is_met() {
            if let Some(c) = self.completed.get_mut(self.step) {
                *c = true;
            }
        }
        r
    }

    /// Records the learner's answer to the current step's prediction and grades it.
    pub fn answer(&mut self, prediction: &Prediction, given: i64) -> Grade {
        if let Some(a) = self.answers.get_mut(self.step) {
            *a = Some(given);
        }
        prediction.grade(given)
    }

    /// Moves to the next step; false at the last one.
    pub fn next_step(&mut self) -> bool {
        if self.step + 1 < self.completed.len() {
            self.step += 1;
            true
        } else {
            false
        }
    }

    /// Moves to the previous step; false at the first one.
    pub fn previous_step(&mut self) -> bool {
        if self.step > 0 {
            self.step -= 1;
            true
        } else {
            false
        }
    }

    pub fn go_to(&mut self, step: usize) {
        self.step = step.min(self.completed.len().saturating_sub(1));
    }

    /// Steps completed, out of how many.
    pub fn done(&self) -> (usize, usize) {
        (
            self.completed.iter().filter(|c| **c).count(),
            self.completed.len(),
        )
    }

    pub fn finished(&self) -> bool {
        self.completed.iter().all(|c| *c)
    }

    /// A short text for storage: `1:2:110:4,,7` — format, current step, completed flags,
    /// answers (empty when not answered).
    pub fn to_text(&self) -> String {
        let done: String = self
            .completed
            .iter()
            .map(|c| if *c { '1' } else { '0' })
            .collect();
        let answers: Vec<String> = self
            .answers
            .iter()
            .map(|a| a.map(|v| v.to_string()).unwrap_or_default())
            .collect();
        format!(
            "{PROGRESS_FORMAT}:{}:{done}:{}",
            self.step,
            answers.join(",")
        )
    }

    /// Reads [`LessonProgress::to_text`] for `lesson`; progress saved for a lesson with a
    /// different number of steps is refused.
    pub fn from_text(text: &str, lesson: &Lesson) -> Result<LessonProgress, String> {
        let bad = || format!("saved lesson progress {text:?} is damaged");
        let parts: Vec<&str> = text.trim().split(':').collect();
        let [format, step, done, answers] = parts.as_slice() else {
            return Err(bad());
        };
        if *format != PROGRESS_FORMAT {
            return Err(format!(
                "saved lesson progress has format {format:?}; this version reads {PROGRESS_FORMAT:?}"
            ));
        }
        let n = lesson.steps.len();
        let step: usize = step.parse().map_err(|_| bad())?;
        let completed: Vec<bool> = done
            .chars()
            .map(|c| match c {
                '1' => Ok(true),
                '0' => Ok(false),
                _ => Err(bad()),
            })
            .collect::<Result<_, _>>()?;
        let answers: Vec<Option<i64>> = answers
            .split(',')
            .map(|a| {
                if a.is_empty() {
                    Ok(None)
                } else {
                    a.parse().map(Some).map_err(|_| bad())
                }
            })
            .collect::<Result<_, _>>()?;
        if completed.len() != n || answers.len() != n || step >= n {
            return Err(format!(
                "saved lesson progress is for a lesson of {} steps; this one has {n}",
                completed.len()
            ));
        }
        Ok(LessonProgress {
            step,
            completed,
            answers,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A lesson whose steps ask generic questions about whatever `web` the learner applied.
    const LESSON: &str = r#"
name: Predict any rollout
seed: 5
file: web.yaml
applyManifests: false
lesson:
  steps:
  - title: Apply your Deployment
    actions: [kubectl apply -f web.yaml]
    goal: {deployment: web, complete: true}
  - title: Update it
    text: Change the image.
    actions: [kubectl set image deployment/web web=nginx:1.28]
    predict:
      question: How many replicas will the new ReplicaSet want right away?
      measure: {replicaSet: new, field: replicas}
    goal: {deployment: web, images: [nginx:1.28]}
  - title: At most
    predict:
      question: How many pods at most during the rollout?
      after: kubectl set image deployment/web web=nginx:1.28
      wait: 2m
      measure: {field: pods, over: max}
  - title: At least
    predict:
      question: How few available replicas during the rollout?
      after: kubectl set image deployment/web web=nginx:1.28
      wait: 120
      measure: {field: availableReplicas, over: min}
  - title: Later
    predict:
      question: How many replicas will the new ReplicaSet want 10 s later?
      after: kubectl set image deployment/web web=nginx:1.28
      wait: 10
      measure: {replicaSet: new, field: replicas}
"#;

    /// The learner's own Deployment: `replicas`, a strategy block, applied and settled.
    fn learner_cluster(lesson: &Lesson, replicas: i64, strategy: &str) -> Sim {
        let yaml = format!(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: {replicas}\n  strategy:\n{strategy}  selector:\n    matchLabels: {{app: web}}\n  template:\n    metadata:\n      labels: {{app: web}}\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.27\n"
        );
        let mut session = Session::new(&lesson.text).unwrap();
        session.run(Command::Apply {
            file: "web.yaml".into(),
            yaml,
        });
        session.advance_to(Time(60_000));
        assert!(lesson.check(0, &session.sim).is_met());
        session.sim
    }

    fn answer(lesson: &Lesson, step: usize, sim: &Sim) -> i64 {
        lesson.predict(step, sim).unwrap().unwrap().answer
    }

    #[test]
    fn predictions_follow_the_learners_own_yaml() {
        let lesson = Lesson::from_yaml(LESSON).unwrap();
        // replicas 7, maxSurge 2, maxUnavailable 25%: S = 2, U = floor(1.75) = 1 (§1.1). The
        // new ReplicaSet is created at min(7 + 2 − 7, 7) = 2; the old one may then drop by
        // Σspec − (7 − 1) − 2 = 1 to 6; the next sync grows the new one by min(9 − 8, 5) = 1
        // to 3 (§1.3, §1.4). At most 7 + 2 = 9 pods, never fewer than 7 − 1 = 6 available.
        let sim = learner_cluster(
            &lesson,
            7,
            "    type: RollingUpdate\n    rollingUpdate:\n      maxSurge: 2\n",
        );
        assert_eq!(answer(&lesson, 1, &sim), 3);
        assert_eq!(answer(&lesson, 2, &sim), 9);
        assert_eq!(answer(&lesson, 3, &sim), 6);
        // replicas 5, maxSurge 0, maxUnavailable 2: the new ReplicaSet is created empty, the
        // old drops to 5 − 2 = 3, then the new one grows to min(5 − 3, 5) = 2 (§12.c shape).
        let sim = learner_cluster(
            &lesson,
            5,
            "    type: RollingUpdate\n    rollingUpdate:\n      maxSurge: 0\n      maxUnavailable: 2\n",
        );
        assert_eq!(answer(&lesson, 1, &sim), 2);
        assert_eq!(answer(&lesson, 2, &sim), 5);
        assert_eq!(answer(&lesson, 3, &sim), 3);
    }

    #[test]
    fn a_recreate_deployment_has_no_new_replica_set_until_the_old_pods_are_gone() {
        let lesson = Lesson::from_yaml(LESSON).unwrap();
        let sim = learner_cluster(&lesson, 3, "    type: Recreate\n");
        let err = lesson.predict(1, &sim).unwrap().unwrap_err();
        assert!(err.contains("web has no new ReplicaSet"), "{err}");
        // §2: once the old pods are gone the new ReplicaSet is created at full size.
        assert_eq!(answer(&lesson, 4, &sim), 3);
        assert_eq!(answer(&lesson, 3, &sim), 0);
    }

    #[test]
    fn predicting_leaves_the_cluster_alone_and_explains() {
        let lesson = Lesson::from_yaml(LESSON).unwrap();
        let sim = learner_cluster(&lesson, 4, "    type: RollingUpdate\n");
        let before = sim.clone();
        let p = lesson.predict(2, &sim).unwrap().unwrap();
        assert_eq!(sim, before);
        assert_eq!(p.question, "How many pods at most during the rollout?");
        assert_eq!(p.answer, 5);
        assert!(
            p.explanation.starts_with(
                "Simulated from now: `kubectl set image deployment/web web=nginx:1.28`, then 120s. Highest live pods of web at any moment: 5 (0s after the commands)."
            ),
            "{}",
            p.explanation
        );
        assert!(p.grade(5).correct);
        assert_eq!(
            p.grade(4).message,
            "Not quite: you said 4, the simulation gives 5."
        );
        assert!(lesson.predict(0, &sim).is_none(), "step 1 asks nothing");
        assert!(lesson.predict(9, &sim).is_none());
    }

    #[test]
    fn a_failing_command_makes_the_prediction_an_error() {
        let lesson = Lesson::from_yaml(LESSON).unwrap();
        let sim = Session::new(&lesson.text).unwrap().sim;
        let err = lesson.predict(1, &sim).unwrap().unwrap_err();
        assert!(
            err.starts_with("`kubectl set image deployment/web web=nginx:1.28` failed here"),
            "{err}"
        );
    }

    #[test]
    fn checks_use_the_steps_goal() {
        let lesson = Lesson::from_yaml(LESSON).unwrap();
        let sim = Session::new(&lesson.text).unwrap().sim;
        assert_eq!(
            lesson.check(0, &sim),
            GoalResult::NotMet("there is no Deployment web".into())
        );
        assert!(
            lesson.check(2, &sim).is_met(),
            "no goal: nothing to wait for"
        );
        assert!(!lesson.check(7, &sim).is_met());
    }

    #[test]
    fn progress_is_kept_saved_and_restarted() {
        let lesson = Lesson::from_yaml(LESSON).unwrap();
        let empty = Session::new(&lesson.text).unwrap().sim;
        let mut progress = LessonProgress::new(&lesson);
        assert_eq!(progress.to_text(), "1:0:00000:,,,,");
        assert!(!progress.update(&lesson, &empty).is_met());
        let sim = learner_cluster(&lesson, 3, "    type: RollingUpdate\n");
        assert!(progress.update(&lesson, &sim).is_met());
        assert!(progress
            .update(&lesson, &empty)
            .text()
            .contains("no Deployment"));
        assert!(progress.completed[0], "a met goal stays completed");
        assert!(progress.next_step());
        let p = lesson.predict(1, &sim).unwrap().unwrap();
        assert!(!progress.answer(&p, 7).correct);
        assert_eq!(progress.done(), (1, 5));
        let text = progress.to_text();
        assert_eq!(text, "1:1:10000:,7,,,");
        assert_eq!(LessonProgress::from_text(&text, &lesson).unwrap(), progress);
        progress.go_to(99);
        assert_eq!(progress.step, 4);
        assert!(!progress.next_step());
        assert!(progress.previous_step());
        assert!(!progress.finished());
        progress.restart();
        assert_eq!(progress, LessonProgress::new(&lesson));
        for (bad, want) in [
            ("2:0:00000:,,,,", "format \"2\""),
            ("1:0:000:,,", "a lesson of 3 steps; this one has 5"),
            ("1:9:00000:,,,,", "a lesson of 5 steps"),
            ("1:x:00000:,,,,", "damaged"),
            ("1:0:0000a:,,,,", "damaged"),
            ("nonsense", "damaged"),
        ] {
            let err = LessonProgress::from_text(bad, &lesson).unwrap_err();
            assert!(err.contains(want), "{bad}: {err}");
        }
    }

    #[test]
    fn lesson_files_are_validated() {
        let base = "name: x\nlesson:\n  steps:\n";
        for (steps, want) in [
            (
                "  - title: a\n    actions: [kubesim fly]\n",
                "lesson.steps[0].actions[0]: error: unknown kubesim command",
            ),
            (
                "  - title: ''\n",
                "lesson.steps[0].title: a step needs a title",
            ),
            (
                "  - title: a\n    goal: {deployment: web, colour: red}\n",
                "unknown goal key \"colour\"",
            ),
            (
                "  - title: a\n    predict: {question: q, measure: {field: height}}\n",
                "unknown field \"height\"",
            ),
            (
                "  - title: a\n    predict: {question: q, wait: 2h, measure: {field: pods}}\n",
                "at most 3600 s",
            ),
            ("  - title: a\n    hint: h\n", "unknown field `hint`"),
        ] {
            let err = Lesson::from_yaml(&format!("{base}{steps}")).unwrap_err();
            assert!(err.contains(want), "{steps}: {err}");
        }
        assert!(Lesson::from_yaml("name: x\nlesson:\n  steps: []\n")
            .unwrap_err()
            .contains("at least one step"));
        assert_eq!(
            Lesson::from_yaml("name: plain scenario\n").unwrap_err(),
            "this scenario has no `lesson:` block"
        );
    }

    #[test]
    fn a_session_knows_its_lesson() {
        let session = Session::new(LESSON).unwrap();
        let lesson = Lesson::from_session(&session).unwrap();
        assert_eq!(lesson.steps.len(), 5);
        assert_eq!(lesson.name, "Predict any rollout");
        let saved = session.saved(None);
        let shared = crate::share::decode(&crate::share::encode(&saved)).unwrap();
        let restored = Session::restore(&shared).unwrap();
        assert_eq!(Lesson::from_session(&restored), Some(lesson));
        let plain = Session::new("name: sandbox\n").unwrap();
        assert_eq!(Lesson::from_session(&plain), None);
    }
}
