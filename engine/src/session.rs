//! A session: a scenario plus the commands a user ran, each at the simulated time it ran.
//! The engine is deterministic, so that pair *is* the state: replaying it rebuilds the cluster
//! exactly. On it rest autosave, rewind (seek, from snapshots), branching and share links.
//!
//! Ordering rule, the same live and in replay: advancing to `t` first runs the scenario's
//! timeline steps due at or before `t`, then the user's commands logged at `t`.

use crate::command::{Command, Output};
use crate::kubectl::watch::{self, Watch};
use crate::scenario::Scenario;
use crate::sim::Sim;
use crate::time::Time;
use serde::{Deserialize, Serialize};

/// One command the user ran, and when.
#[derive(Debug, Clone, PartialEq)]
pub struct LogEntry {
    pub at: Time,
    pub command: Command,
}

/// Something a command printed, for the console: the command line (or `None` for later
/// output of a running watch) and its output.
#[derive(Debug, Clone, PartialEq)]
pub struct Printed {
    pub at: Time,
    pub line: Option<String>,
    /// Set for the scenario's own timeline steps.
    pub note: Option<String>,
    pub output: Output,
}

#[derive(Debug, Clone)]
struct Snapshot {
    /// The simulation without its journal, which only ever grows: the snapshot's journal is
    /// the first `journal_len` entries of any later one.
    sim: Sim,
    journal_len: usize,
    next_step: usize,
    executed: usize,
    /// Roughly what the copy holds (objects and events), for the budget below.
    weight: usize,
}

/// Simulated time between snapshots at first; doubled whenever there are too many.
const SNAPSHOT_EVERY_MS: u64 = 30_000;
const MAX_SNAPSHOTS: usize = 128;
/// Objects and events all snapshots may hold together: a cluster of thousands of pods gets
/// fewer, sparser snapshots, so memory and the time spent copying stay bounded.
const SNAPSHOT_WEIGHT: usize = 100_000;
/// Simulated time between snapshots per object or event in the cluster, at least.
const SNAPSHOT_MS_PER_OBJECT: u64 = 30;

impl Snapshot {
    fn of(session: &mut Session) -> Snapshot {
        let journal = std::mem::take(&mut session.sim.journal);
        let sim = session.sim.clone();
        let journal_len = journal.len();
        session.sim.journal = journal;
        Snapshot {
            weight: weight(&sim),
            sim,
            journal_len,
            next_step: session.next_step,
            executed: session.executed,
        }
    }
}

/// Roughly how much a copy of `sim` holds: its objects and events.
fn weight(sim: &Sim) -> usize {
    let store = &sim.store;
    1 + store.pods.len() + store.replicasets.len() + store.events.len()
}

/// Longest a session may run, so a hostile link cannot ask for a week of simulation.
pub const MAX_TIME: Time = Time(6 * 3600 * 1000);
/// Most commands a session may hold.
pub const MAX_LOG: usize = 5_000;

#[derive(Debug, Clone)]
pub struct Session {
    pub scenario_text: String,
    pub scenario: Scenario,
    pub sim: Sim,
    pub log: Vec<LogEntry>,
    /// The latest simulated time this branch has reached (the end of the scrubber).
    pub horizon: Time,
    /// Timeline steps already run.
    next_step: usize,
    /// Log entries already applied to `sim` (fewer than `log.len()` after a seek back).
    executed: usize,
    snapshots: Vec<Snapshot>,
    snapshot_every: u64,
    /// Running `get -w` / `rollout status` commands.
    watches: Vec<Watch>,
    /// Rebuilding a past state: commands print nothing new and start no watches.
    replaying: bool,
    /// What the timeline steps at time zero printed when the session opened.
    pub opening: Vec<Printed>,
}

impl Session {
    /// A session at time zero: the scenario's cluster with its manifests applied.
    pub fn new(scenario_text: &str) -> Result<Session, String> {
        let scenario = Scenario::from_yaml(scenario_text)?;
        let mut sim = scenario.new_sim()?;
        if scenario.applies_manifests() {
            let out = sim.execute(&Command::Apply {
                file: scenario.file.clone(),
                yaml: scenario.manifests.clone(),
            });
            if !out.success() {
                return Err(format!(
                    "the scenario's manifests do not apply:\n{}",
                    out.stderr
                ));
            }
        }
        let mut session = Session {
            scenario_text: scenario_text.to_string(),
            scenario,
            sim,
            log: Vec::new(),
            horizon: Time::ZERO,
            next_step: 0,
            executed: 0,
            snapshots: Vec::new(),
            snapshot_every: SNAPSHOT_EVERY_MS,
            watches: Vec::new(),
            replaying: false,
            opening: Vec::new(),
        };
        let start = Snapshot::of(&mut session);
        session.snapshots.push(start);
        // Timeline steps at time zero run before anything the user can type, live and in
        // replay alike (module rule).
        session.opening = session.advance_to(Time::ZERO);
        Ok(session)
    }

    pub fn now(&self) -> Time {
        self.sim.now
    }

    /// True when the cluster shown is earlier than the latest moment of this branch, so a new
    /// command would drop the log after it.
    pub fn in_past(&self) -> bool {
        self.sim.now < self.horizon || self.executed < self.log.len()
    }

    /// Commands that acting now would drop (for the "start a branch?" confirmation).
    pub fn commands_after_now(&self) -> usize {
        self.log.len() - self.executed
    }

    /// Runs a command now and logs it. From a past moment this starts a branch: the log after
    /// now is dropped.
    pub fn run(&mut self, command: Command) -> Printed {
        if self.log.len() >= MAX_LOG {
            return Printed {
                at: self.sim.now,
                line: Some(command.line()),
                note: None,
                output: Output::err(format!(
                    "error: this session already holds {MAX_LOG} commands; reset it to go on\n"
                )),
            };
        }
        self.branch_here();
        let line = command.line();
        let output = self.execute(&command);
        self.log.push(LogEntry {
            at: self.sim.now,
            command,
        });
        self.executed = self.log.len();
        Printed {
            at: self.sim.now,
            line: Some(line),
            note: None,
            output,
        }
    }

    /// From a past moment, a command that only reads and returns at once (`get`,
    /// `describe`, `rollout history`…) is answered from the cluster as it was then, without
    /// a branch: the log after now is kept and the command is not logged. `None` for any
    /// other command, or when now is the latest moment.
    pub fn inspect(&self, command: &Command) -> Option<Printed> {
        if !self.in_past() || !command.is_read_only() {
            return None;
        }
        // A copy, so that nothing the command touches can change what the log replays.
        let mut sim = self.sim.clone();
        let (output, watch) = sim.start(command);
        if watch.is_some() {
            return None;
        }
        Some(Printed {
            at: self.sim.now,
            line: Some(command.line()),
            note: None,
            output,
        })
    }

    /// Drops everything after now: later log entries, snapshots and the horizon.
    fn branch_here(&mut self) {
        let now = self.sim.now;
        self.log.truncate(self.executed);
        self.snapshots.retain(|s| s.sim.now <= now);
        self.horizon = now;
    }

    fn execute(&mut self, command: &Command) -> Output {
        // Rebuilding state from a log (a restore, a seek) skips what only reads: a link with
        // hundreds of `describe pods` over thousands of pods would otherwise freeze the page.
        if self.replaying && command.is_read_only() {
            // The controllers' pass that follows every command live, so that a replay ends
            // in the same state (a threshold may have passed since the last pass).
            self.sim.reconcile();
            return Output::default();
        }
        let (out, watch) = self.sim.start(command);
        if !self.replaying {
            self.watches.extend(watch);
            self.keep_writes(false);
        }
        out
    }

    fn keep_writes(&mut self, read: bool) {
        watch::keep_writes(&mut self.sim, &self.watches, read);
    }

    /// Ends the running watches (Ctrl+C in the console).
    pub fn interrupt(&mut self) -> bool {
        let any = !self.watches.is_empty();
        self.watches.clear();
        self.keep_writes(true);
        any
    }

    pub fn watching(&self) -> bool {
        !self.watches.is_empty()
    }

    /// Runs forward to `t`: timeline steps and logged commands due on the way, every timer,
    /// watches polled; returns what was printed.
    pub fn advance_to(&mut self, t: Time) -> Vec<Printed> {
        let t = t.min(MAX_TIME);
        let mut printed = Vec::new();
        loop {
            let step_at = self
                .scenario
                .timeline
                .get(self.next_step)
                .map(|s| s.at.0)
                .filter(|a| *a <= t);
            let log_at = self
                .log
                .get(self.executed)
                .map(|e| e.at)
                .filter(|a| *a <= t);
            // Timeline steps before logged commands at the same instant (module rule).
            let (at, from_timeline) = match (step_at, log_at) {
                (None, None) => break,
                (Some(s), Some(l)) if l < s => (l, false),
                (Some(s), _) => (s, true),
                (None, Some(l)) => (l, false),
            };
            self.run_timers_to(at, &mut printed);
            if from_timeline {
                let step = self.scenario.timeline[self.next_step].clone();
                self.next_step += 1;
                if let Ok(cmd) = step.command(&self.scenario.file) {
                    let output = self.execute(&cmd);
                    printed.push(Printed {
                        at,
                        line: Some(cmd.line()),
                        note: step.note.clone(),
                        output,
                    });
                    self.poll_watches(&mut printed);
                }
            } else {
                // A logged command runs here only when time passes its moment again after a
                // seek back: it was typed before, so the console says it is a replay.
                let cmd = self.log[self.executed].command.clone();
                self.executed += 1;
                let output = self.execute(&cmd);
                printed.push(Printed {
                    at,
                    line: Some(cmd.line()),
                    note: Some("replayed from the log".into()),
                    output,
                });
            }
        }
        self.run_timers_to(t, &mut printed);
        self.horizon = self.horizon.max(self.sim.now);
        printed
    }

    /// Runs to the next moment something visible happens — a controller writes, a timeline
    /// step or a logged command runs — looking at most an hour ahead.
    pub fn step(&mut self) -> Vec<Printed> {
        let start = self.sim.revision();
        let limit = self.sim.now.plus_ms(3_600_000).min(MAX_TIME);
        // Timers that change nothing must not move the clock: kept to undo such a step.
        let before = (self.sim.clone(), self.horizon);
        let mut printed = Vec::new();
        // Each pass consumes at least one timer or command, so this ends; the cap is a guard.
        for _ in 0..100_000 {
            let next = [
                watch::next_stop(&self.sim, &self.watches),
                self.scenario.timeline.get(self.next_step).map(|s| s.at.0),
                self.log.get(self.executed).map(|e| e.at),
            ]
            .into_iter()
            .flatten()
            .min();
            match next {
                Some(t) if t <= limit => {
                    printed.extend(self.advance_to(t.max(self.sim.now)));
                    if self.sim.revision() != start || !printed.is_empty() {
                        break;
                    }
                }
                _ => break,
            }
        }
        if printed.is_empty() && self.sim.revision() == start {
            (self.sim, self.horizon) = (before.0, before.1);
            // Thinning may have run meanwhile: drop by time, not by count.
            let now = self.sim.now;
            self.snapshots.retain(|s| s.sim.now <= now);
        }
        printed
    }

    /// Timers up to `t`, polling watches after each and at `t`, and taking snapshots on the
    /// way.
    fn run_timers_to(&mut self, t: Time, printed: &mut Vec<Printed>) {
        loop {
            let next_snapshot = self.next_snapshot_time();
            let timer = watch::next_stop(&self.sim, &self.watches).filter(|n| *n <= t);
            match timer {
                Some(n) if n < next_snapshot || next_snapshot > t => {
                    self.sim.advance_to(n);
                    self.poll_watches(printed);
                }
                _ if next_snapshot <= t => {
                    self.sim.advance_to(next_snapshot);
                    self.poll_watches(printed);
                    self.take_snapshot();
                }
                _ => break,
            }
        }
        self.sim.advance_to(t);
        // What a command wrote since the last stop shows now, not at the next timer.
        self.poll_watches(printed);
    }

    fn poll_watches(&mut self, printed: &mut Vec<Printed>) {
        let at = self.sim.now;
        let outputs = watch::poll_all(&mut self.sim, &mut self.watches);
        printed.extend(outputs.into_iter().map(|output| Printed {
            at,
            line: None,
            note: None,
            output,
        }));
    }

    /// The next multiple of the snapshot interval after the last snapshot. A big cluster
    /// stretches the interval (30 simulated ms per object or event, in whole intervals), so
    /// copying thousands of pods does not stall playback every 30 s.
    fn next_snapshot_time(&self) -> Time {
        let last = self.snapshots.last().map_or(0, |s| s.sim.now.0);
        let by_size = weight(&self.sim) as u64 * SNAPSHOT_MS_PER_OBJECT;
        let every = self.snapshot_every * by_size.div_ceil(self.snapshot_every).max(1);
        Time((last / every + 1) * every)
    }

    fn take_snapshot(&mut self) {
        if self
            .snapshots
            .last()
            .is_some_and(|s| s.sim.now >= self.sim.now)
        {
            return;
        }
        let snapshot = Snapshot::of(self);
        self.snapshots.push(snapshot);
        let weight = |s: &[Snapshot]| s.iter().map(|x| x.weight).sum::<usize>();
        while self.snapshots.len() > 2
            && (self.snapshots.len() > MAX_SNAPSHOTS || weight(&self.snapshots) > SNAPSHOT_WEIGHT)
        {
            // Keep time zero and every other snapshot; space later ones twice as far apart.
            let mut i = 0;
            self.snapshots.retain(|_| {
                i += 1;
                i % 2 == 1
            });
            self.snapshot_every *= 2;
        }
    }

    /// Shows the cluster as it was (or will be, up to the horizon) at `t`: restores the nearest
    /// snapshot at or before `t` and replays the log from there. The log is kept, so playing on
    /// replays the same commands; acting from the past starts a branch (see `run`).
    pub fn seek(&mut self, t: Time) {
        let t = t.min(self.horizon.max(self.sim.now));
        if t < self.sim.now {
            let snap = self
                .snapshots
                .iter()
                .rev()
                .find(|s| s.sim.now <= t)
                .cloned()
                .unwrap_or_else(|| self.snapshots[0].clone());
            let mut journal = std::mem::take(&mut self.sim.journal);
            journal.truncate(snap.journal_len);
            self.sim = snap.sim;
            self.sim.journal = journal;
            self.next_step = snap.next_step;
            self.executed = snap.executed;
        }
        self.watches.clear();
        self.keep_writes(true);
        let horizon = self.horizon;
        self.replaying = true;
        self.advance_to(t);
        self.replaying = false;
        self.horizon = horizon.max(self.horizon);
    }

    /// Replays a saved state: the scenario, then every command at its time, then on to `now`.
    pub fn restore(saved: &Saved) -> Result<Session, String> {
        Session::restore_within(saved, u64::MAX).map(|(session, _)| session)
    }

    /// [`Session::restore`], stopping once the replay has done `work` units of the
    /// simulation's work (a saved state can ask for hours of a very busy cluster): then the
    /// session is at the moment the replay reached, returned with it, and the rest of the
    /// log runs as time passes on from there.
    pub fn restore_within(saved: &Saved, work: u64) -> Result<(Session, Option<Time>), String> {
        saved.check()?;
        let mut session = Session::new(&saved.scenario)?;
        let mut log = Vec::with_capacity(saved.log.len());
        for (i, e) in saved.log.iter().enumerate() {
            let command = e
                .command()
                .map_err(|err| format!("saved command {}: {err}", i + 1))?;
            log.push(LogEntry {
                at: Time::from_secs_f64(e.at),
                command,
            });
        }
        if log.windows(2).any(|w| w[1].at < w[0].at) {
            return Err("saved commands are not in time order".into());
        }
        session.log = log;
        // A state saved after rewinding shows an earlier moment than its last command: replay
        // the whole branch, then seek back to the moment that was on screen.
        let now = Time::from_secs_f64(saved.now);
        let target = now.max(session.log.last().map_or(Time::ZERO, |e| e.at));
        let start = session.sim.work;
        session.replaying = true;
        while session.sim.now < target {
            if session.sim.work - start > work {
                session.replaying = false;
                let reached = session.sim.now;
                return Ok((session, Some(reached)));
            }
            session.advance_to(session.sim.now.plus_ms(RESTORE_STEP).min(target));
        }
        session.replaying = false;
        session.seek(now);
        Ok((session, None))
    }

    /// The session as a scenario file: the scenario with the user's commands added to its
    /// timeline and `until` set to now, so loading it (or `kubesim run`) replays this session.
    pub fn to_scenario_yaml(&self) -> String {
        use serde_yaml::{Mapping, Value};
        let mut doc: Value = serde_yaml::from_str(&self.scenario_text).unwrap_or(Value::Null);
        if !doc.is_mapping() {
            doc = Value::Mapping(Mapping::new());
        }
        let map = doc.as_mapping_mut().expect("made a mapping above");
        let mut steps: Vec<(f64, Value)> = match map.remove("timeline") {
            Some(Value::Sequence(seq)) => seq
                .into_iter()
                .map(|v| {
                    // `at` as the scenario reads it: seconds or a duration such as `1m`.
                    let at = v
                        .get("at")
                        .cloned()
                        .and_then(|a| serde_yaml::from_value::<crate::scenario::Seconds>(a).ok())
                        .map_or(0.0, |s| s.0.secs());
                    (at, v)
                })
                .collect(),
            _ => Vec::new(),
        };
        for e in &self.log {
            let mut step = Mapping::new();
            step.insert("at".into(), e.at.secs().into());
            match &e.command {
                Command::Apply { yaml, .. } => step.insert("apply".into(), yaml.clone().into()),
                Command::Sim(_) => step.insert(
                    "action".into(),
                    e.command.line().trim_start_matches("kubesim ").into(),
                ),
                Command::Kubectl(_) => step.insert("kubectl".into(), e.command.line().into()),
            };
            steps.push((e.at.secs(), Value::Mapping(step)));
        }
        // Stable: the scenario's own steps stay before commands at the same instant.
        crate::order::sort_by(&mut steps, |a, b| a.0.total_cmp(&b.0));
        if !steps.is_empty() {
            map.insert(
                "timeline".into(),
                Value::Sequence(steps.into_iter().map(|(_, v)| v).collect()),
            );
        }
        map.insert("until".into(), self.sim.now.secs().into());
        serde_yaml::to_string(&doc).unwrap_or_default()
    }

    /// The state as a saveable value (`editor` is the UI's, kept alongside).
    pub fn saved(&self, editor: Option<String>) -> Saved {
        Saved {
            format: SAVED_FORMAT.to_string(),
            scenario: self.scenario_text.clone(),
            now: self.sim.now.secs(),
            log: self.log.iter().map(SavedCommand::from_entry).collect(),
            editor,
        }
    }
}

/// The work a saved state (a link, the autosave) may ask of the page when it opens: about
/// three seconds of a busy cluster natively — six hours of 150 probed pods, or a few
/// thousand crash-looping containers' restarts.
pub const RESTORE_WORK: u64 = 400_000;

/// How much simulated time a bounded restore replays between looks at its work.
const RESTORE_STEP: u64 = 10_000;

/// The version tag of [`Saved`]; readers refuse other tags with a message.
pub const SAVED_FORMAT: &str = "kubesim/v1";

/// A session as plain data: autosave, share links and downloads use it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Saved {
    pub format: String,
    /// The scenario's YAML text.
    pub scenario: String,
    /// Simulated seconds.
    pub now: f64,
    #[serde(default)]
    pub log: Vec<SavedCommand>,
    /// The editor's text, when it differs from the scenario's manifests.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub editor: Option<String>,
}

/// One logged command: a command line, or an apply of an editor text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SavedCommand {
    /// Simulated seconds.
    pub at: f64,
    /// `kubectl …` or `kubesim …`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub yaml: Option<String>,
}

impl SavedCommand {
    fn from_entry(e: &LogEntry) -> SavedCommand {
        let at = e.at.secs();
        match &e.command {
            Command::Apply { file, yaml } => SavedCommand {
                at,
                line: None,
                file: Some(file.clone()),
                yaml: Some(yaml.clone()),
            },
            other => SavedCommand {
                at,
                line: Some(other.line()),
                file: None,
                yaml: None,
            },
        }
    }

    fn command(&self) -> Result<Command, String> {
        match (&self.line, &self.file, &self.yaml) {
            (Some(l), None, None) => Command::parse(l),
            (None, Some(f), Some(y)) => Ok(Command::Apply {
                file: f.clone(),
                yaml: y.clone(),
            }),
            _ => Err("needs either `line`, or `file` and `yaml`".into()),
        }
    }
}

/// Largest saved state accepted, in bytes of text (the YAML reader's own limit).
pub const MAX_SAVED_BYTES: usize = crate::api::yaml::MAX_INPUT_BYTES;

impl Saved {
    /// Reads a saved state written by [`Saved::to_yaml`]; any damage is an error message.
    pub fn from_yaml(text: &str) -> Result<Saved, String> {
        if text.len() > MAX_SAVED_BYTES {
            return Err(format!(
                "saved state is {} bytes; the limit is {MAX_SAVED_BYTES}",
                text.len()
            ));
        }
        let saved: Saved = crate::api::yaml::from_str(text)?;
        saved.check()?;
        Ok(saved)
    }

    pub fn to_yaml(&self) -> String {
        serde_yaml::to_string(self).unwrap_or_default()
    }

    fn check(&self) -> Result<(), String> {
        if self.format != SAVED_FORMAT {
            return Err(format!(
                "saved state has format {:?}; this version of kubesim reads {SAVED_FORMAT:?}",
                self.format
            ));
        }
        if !self.now.is_finite() || self.now < 0.0 || self.now > MAX_TIME.secs() {
            return Err(format!(
                "saved time {} is outside 0 to {} seconds",
                self.now,
                MAX_TIME.secs()
            ));
        }
        if self.log.len() > MAX_LOG {
            return Err(format!(
                "saved state holds {} commands; the limit is {MAX_LOG}",
                self.log.len()
            ));
        }
        let end = MAX_TIME.secs();
        if let Some(bad) = self
            .log
            .iter()
            .find(|c| !c.at.is_finite() || c.at < 0.0 || c.at > end)
        {
            return Err(format!(
                "a saved command's time {} is outside 0 to {end} seconds",
                bad.at
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCENARIO: &str = "name: t\nseed: 7\nfile: web.yaml\nmanifests: |\n  apiVersion: apps/v1\n  kind: Deployment\n  metadata: {name: web}\n  spec:\n    replicas: 3\n    selector: {matchLabels: {app: web}}\n    template:\n      metadata: {labels: {app: web}}\n      spec: {containers: [{name: web, image: 'nginx:1.25'}]}\ntimeline:\n- at: 40\n  kubectl: kubectl set image deployment/web web=nginx:1.26\n";

    fn pods(s: &Session) -> Vec<String> {
        s.sim
            .store
            .pods
            .values()
            .map(|p| format!("{} {:?}", p.metadata.name, p.status.phase))
            .collect()
    }

    fn played() -> Session {
        let mut s = Session::new(SCENARIO).unwrap();
        s.advance_to(Time(12_345));
        s.run(Command::Kubectl(
            "kubectl scale deployment web --replicas=5".into(),
        ));
        s.advance_to(Time(61_000));
        s.run(Command::Kubectl(
            "kubectl delete pod -l app=web --wait=false".into(),
        ));
        s.advance_to(Time(95_500));
        s.run(Command::Kubectl(
            "kubectl rollout undo deployment/web".into(),
        ));
        s.advance_to(Time(200_000));
        s
    }

    #[test]
    fn a_restore_stops_where_its_work_runs_out_and_plays_on_from_there() {
        let s = played();
        let saved = Saved::from_yaml(&s.saved(None).to_yaml()).unwrap();
        let whole = Session::restore(&saved).unwrap().sim.work_done();
        // Enough for all of it: the same cluster, nothing cut.
        let (r, cut) = Session::restore_within(&saved, whole).unwrap();
        assert_eq!((cut, r.sim.now), (None, s.sim.now));
        // Too little: the replay stops at a moment it reached, before the undo (95.5 s).
        let (mut r, cut) = Session::restore_within(&saved, whole / 3).unwrap();
        let reached = cut.expect("a cut replay");
        assert!(reached < Time(95_500), "{reached:?}");
        assert_eq!(r.sim.now, reached);
        assert!(r.sim.work_done() - Session::new(SCENARIO).unwrap().sim.work_done() > whole / 3);
        // Playing on runs the rest of the log at its times: the same cluster in the end.
        r.advance_to(s.sim.now);
        assert_eq!(r.sim.store, s.sim.store);
        assert_eq!(r.sim.journal, s.sim.journal);
    }

    #[test]
    fn restore_reproduces_the_cluster_exactly() {
        let s = played();
        let saved = Saved::from_yaml(&s.saved(None).to_yaml()).unwrap();
        let r = Session::restore(&saved).unwrap();
        assert_eq!(r.sim.now, s.sim.now);
        assert_eq!(r.sim.store, s.sim.store);
        assert_eq!(r.sim.journal, s.sim.journal);
    }

    #[test]
    fn seek_back_and_forward_matches_a_straight_run() {
        let mut s = played();
        let end = s.sim.clone();
        for t in [0, 12_345, 30_000, 40_000, 61_000, 77_777, 150_000] {
            s.seek(Time(t));
            let fresh = played_until(t);
            assert_eq!(s.sim.now, Time(t));
            assert_eq!(pods(&s), pods(&fresh), "at {t}");
            assert_eq!(s.sim.store, fresh.sim.store, "at {t}");
            // Snapshots keep no journal of their own: a seek rebuilds it from the longer one.
            assert_eq!(s.sim.journal, fresh.sim.journal, "at {t}");
        }
        s.seek(Time(200_000));
        assert_eq!(s.sim.store, end.store);
        assert_eq!(s.horizon, Time(200_000));
    }

    #[test]
    fn a_read_only_command_leaves_the_same_state_live_and_replayed() {
        // minReadySeconds makes availability a time threshold that a `kubectl get` may
        // cross between two timers: live, every command is followed by the controllers'
        // pass, and a replay (which skips what only reads) must end in the same state.
        let text = SCENARIO.replace(
            "    replicas: 3\n",
            "    replicas: 3\n    minReadySeconds: 5\n",
        );
        for t in (3_000..12_000).step_by(250) {
            let mut s = Session::new(&text).unwrap();
            s.advance_to(Time(t));
            s.run(Command::Kubectl("kubectl get pods".into()));
            s.advance_to(Time(30_000));
            let r = Session::restore(&s.saved(None)).unwrap();
            assert_eq!(r.sim.store, s.sim.store, "a get at {t} ms");
        }
    }

    #[test]
    fn a_big_cluster_keeps_fewer_snapshots_within_the_budget() {
        let text = "name: big\nseed: 2\ncluster:\n  nodes: 12\n  nodeSize: {pods: 110}\nmanifests: |\n  apiVersion: apps/v1\n  kind: Deployment\n  metadata: {name: web}\n  spec:\n    replicas: 1200\n    selector: {matchLabels: {app: web}}\n    template:\n      metadata: {labels: {app: web}}\n      spec:\n        containers: [{name: web, image: 'nginx:1.27'}]\n";
        let mut s = Session::new(text).unwrap();
        s.advance_to(Time(20 * 60_000));
        let weight: usize = s.snapshots.iter().map(|x| x.weight).sum();
        assert!(weight <= SNAPSHOT_WEIGHT, "{weight}");
        // Over a thousand objects: snapshots at least 30 s × ⌈1,200 × 30 ms / 30 s⌉ apart.
        assert!(s.snapshots.len() <= 11, "{} snapshots", s.snapshots.len());
        for pair in s.snapshots.windows(2).skip(1) {
            let gap = pair[1].sim.now.0 - pair[0].sim.now.0;
            assert!(gap >= 2 * SNAPSHOT_EVERY_MS, "{gap} ms apart");
        }
        // Sparser snapshots still give the same cluster at any moment.
        let end = s.sim.store.clone();
        s.seek(Time(7 * 60_000 + 500));
        let mut fresh = Session::new(text).unwrap();
        fresh.advance_to(Time(7 * 60_000 + 500));
        assert_eq!(s.sim.store, fresh.sim.store);
        s.seek(Time(20 * 60_000));
        assert_eq!(s.sim.store, end);
        // Hours later the copies would outgrow the budget: they thin out and space further.
        s.advance_to(Time(3 * 3_600_000));
        let weight: usize = s.snapshots.iter().map(|x| x.weight).sum();
        assert!(weight <= SNAPSHOT_WEIGHT, "{weight}");
        assert!(s.snapshot_every > SNAPSHOT_EVERY_MS);
    }

    /// The same commands as `played`, stopped at `t`.
    fn played_until(t: u64) -> Session {
        let mut s = Session::new(SCENARIO).unwrap();
        let cmds = [
            (12_345, "kubectl scale deployment web --replicas=5"),
            (61_000, "kubectl delete pod -l app=web --wait=false"),
            (95_500, "kubectl rollout undo deployment/web"),
        ];
        for (at, line) in cmds {
            if at > t {
                break;
            }
            s.advance_to(Time(at));
            s.run(Command::Kubectl(line.into()));
        }
        s.advance_to(Time(t));
        s
    }

    #[test]
    fn a_state_saved_after_rewinding_reopens_at_that_moment_with_its_future() {
        let mut s = played();
        s.seek(Time(50_000));
        let saved = Saved::from_yaml(&s.saved(None).to_yaml()).unwrap();
        let r = Session::restore(&saved).unwrap();
        assert_eq!(r.now(), Time(50_000));
        assert_eq!(r.sim.store, s.sim.store);
        assert_eq!(r.log.len(), 3);
        assert_eq!(
            r.horizon,
            Time(95_500),
            "the later commands are still ahead"
        );
        assert!(!r.watching());
    }

    #[test]
    fn a_command_replayed_after_a_seek_back_says_so() {
        let mut s = played();
        s.seek(Time(50_000));
        let printed = s.advance_to(Time(70_000));
        let replayed: Vec<(Option<&str>, Option<&str>)> = printed
            .iter()
            .map(|p| (p.line.as_deref(), p.note.as_deref()))
            .collect();
        assert_eq!(
            replayed,
            [(
                Some("kubectl delete pod -l app=web --wait=false"),
                Some("replayed from the log")
            )]
        );
    }

    #[test]
    fn acting_in_the_past_starts_a_branch() {
        let mut s = played();
        s.seek(Time(50_000));
        assert!(s.in_past());
        assert_eq!(s.commands_after_now(), 2);
        s.run(Command::Kubectl(
            "kubectl scale deployment web --replicas=2".into(),
        ));
        assert_eq!(s.log.len(), 2);
        assert_eq!(s.horizon, Time(50_000));
        assert!(!s.in_past());
    }

    #[test]
    fn reading_the_past_keeps_the_later_commands() {
        let mut s = played();
        s.seek(Time(50_000));
        let log = s.log.len();
        let get =
            Command::Kubectl("kubectl get deployment web -o jsonpath={.spec.replicas}".into());
        let printed = s.inspect(&get).expect("a read from the past");
        assert_eq!(printed.at, Time(50_000));
        assert_eq!(
            printed.output.stdout,
            s.sim
                .store
                .deployments
                .values()
                .next()
                .map(|d| d.replicas().to_string())
                .unwrap_or_default()
        );
        assert_eq!((s.log.len(), s.commands_after_now()), (log, 2));
        assert!(s.in_past());
        // A command that changes the cluster, or one that follows it, needs a branch.
        assert!(s
            .inspect(&Command::Kubectl(
                "kubectl scale deployment web --replicas=2".into()
            ))
            .is_none());
        assert!(s
            .inspect(&Command::Kubectl("kubectl get pods --watch".into()))
            .is_none());
        // At the latest moment there is nothing to keep: commands run as always.
        s.seek(s.horizon);
        assert!(s.inspect(&get).is_none());
    }

    #[test]
    fn what_the_opening_steps_printed_is_kept_for_the_console() {
        let text = SCENARIO.replace(
            "- at: 40\n  kubectl: kubectl set image deployment/web web=nginx:1.26\n",
            "- at: 0\n  kubectl: kubectl rollout status deployment/web\n  note: Follows the rollout.\n",
        );
        let mut s = Session::new(&text).unwrap();
        let opening: Vec<(Option<&str>, Option<&str>, &str)> = s
            .opening
            .iter()
            .map(|p| {
                (
                    p.line.as_deref(),
                    p.note.as_deref(),
                    p.output.stdout.as_str(),
                )
            })
            .collect();
        assert_eq!(
            opening,
            [(
                Some("kubectl rollout status deployment/web"),
                Some("Follows the rollout."),
                "Waiting for deployment \"web\" rollout to finish: 0 of 3 updated replicas are available...\n"
            )]
        );
        // The watch it started goes on printing.
        assert!(s.watching());
        let later: String = s
            .advance_to(Time(60_000))
            .iter()
            .map(|p| p.output.stdout.clone())
            .collect();
        assert!(
            later.ends_with("deployment \"web\" successfully rolled out\n"),
            "{later}"
        );
    }

    #[test]
    fn timeline_steps_run_when_their_time_comes() {
        let mut s = Session::new(SCENARIO).unwrap();
        let printed = s.advance_to(Time(39_999));
        assert!(printed.is_empty());
        let printed = s.advance_to(Time(40_000));
        assert_eq!(printed.len(), 1);
        assert_eq!(
            printed[0].output.stdout,
            "deployment.apps/web image updated\n"
        );
    }

    #[test]
    fn rollout_status_gives_up_at_its_timeout_even_when_nothing_changes() {
        let mut s = Session::new(SCENARIO).unwrap();
        s.advance_to(Time(20_000));
        for line in [
            "kubectl rollout pause deployment/web",
            "kubectl set image deployment/web web=nginx:1.27",
            "kubectl rollout status deployment/web --timeout=2s",
        ] {
            s.run(Command::Kubectl(line.into()));
        }
        assert!(s.watching());
        // rollout_status.go ends the watch when its context's deadline passes, not on the next
        // change; a paused Deployment does not change.
        assert!(s.advance_to(Time(21_999)).is_empty());
        let timed_out = vec![(
            Time(22_000),
            "error: timed out waiting for the condition\n".to_string(),
        )];
        let seen = |printed: Vec<Printed>| -> Vec<(Time, String)> {
            printed
                .into_iter()
                .map(|p| (p.at, p.output.stderr))
                .collect()
        };
        let mut later = s.clone();
        assert_eq!(seen(later.advance_to(Time(30_000))), timed_out);
        assert!(!later.watching());
        // Stepping stops there too.
        assert_eq!(seen(s.step()), timed_out);
        assert_eq!(s.now(), Time(22_000));
    }

    #[test]
    fn step_stops_at_the_next_change() {
        let mut s = Session::new(SCENARIO).unwrap();
        let mut times = Vec::new();
        let mut last = s.sim.revision();
        while s.now() < Time(40_000) {
            s.step();
            assert_ne!(
                s.sim.revision(),
                last,
                "a step changed nothing at {}",
                s.now().clock()
            );
            last = s.sim.revision();
            times.push(s.now());
        }
        assert!(times.windows(2).all(|w| w[0] < w[1]), "{times:?}");
        assert_eq!(s.now(), Time(40_000), "the timeline step is a stop");
    }

    #[test]
    fn a_downloaded_scenario_replays_the_session() {
        let s = played();
        let text = s.to_scenario_yaml();
        let mut replay = Session::new(&text).unwrap();
        replay.advance_to(replay.scenario.end());
        assert_eq!(replay.now(), s.now());
        assert_eq!(replay.sim.store, s.sim.store);
    }

    #[test]
    fn damaged_saved_state_is_refused_with_a_message() {
        let good = played().saved(None).to_yaml();
        for (text, want) in [
            ("", "missing field"),
            (
                "format: kubesim/v0\nscenario: x\nnow: 1\n",
                "this version of kubesim reads",
            ),
            ("format: kubesim/v1\nscenario: x\nnow: -1\n", "outside 0"),
            ("format: kubesim/v1\nscenario: x\nnow: .nan\n", "outside 0"),
            ("[1, 2", "line"),
        ] {
            let err = Saved::from_yaml(text).unwrap_err();
            assert!(err.contains(want), "{text:?}: {err}");
        }
        let bad_cmd = good.replace("line: kubectl scale", "line: kubesim explode");
        let err = Session::restore(&Saved::from_yaml(&bad_cmd).unwrap()).unwrap_err();
        assert!(err.contains("saved command 1"), "{err}");
    }
}
