//! The app's one state type and its actions. The engine's session lives behind a shared cell
//! so a tick does not copy the cluster; `version` changes whenever something visible changed.
//! Every change to the cluster goes through `Action::Run` with an engine `Command`, so each
//! one is logged (replay, autosave, share links) and echoed in the console.

use crate::components::console::ConsoleEntry;
use crate::lessons;
use crate::scenarios;
use crate::storage;
use crate::url::Options;
use kubesim::goal::GoalResult;
use kubesim::kubectl::apply::{self, ErrorAt, Preview};
use kubesim::lesson::{Grade, Lesson, LessonProgress, Prediction};
use kubesim::session::{Printed, Session, RESTORE_WORK};
use kubesim::{Command, Output, Time};
use std::cell::RefCell;
use std::rc::Rc;
use yew::Reducible;

/// Speeds offered, as multiples of real time.
pub const SPEEDS: [f64; 7] = [0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0];
/// Ticks between preview refreshes while the simulation runs.
const PREVIEW_EVERY_TICKS: u32 = 10;
/// Above this many pods the preview is not refreshed by ticks.
const PREVIEW_MAX_PODS_WHILE_RUNNING: usize = 300;
/// Console transcript entries kept (older ones scroll away).
const CONSOLE_LIMIT: usize = 500;
/// Bytes of output the transcript keeps in all (older entries scroll away first); the
/// latest entry stays whatever its size.
const CONSOLE_BYTES: usize = 4 << 20;

/// A lesson being followed: its steps, where the learner is, the current step's goal and the
/// prediction computed when the step was shown.
#[derive(Clone, PartialEq)]
pub struct LessonState {
    pub lesson: Rc<Lesson>,
    /// Where its progress is saved: the built-in name, or the lesson's title.
    pub key: String,
    pub progress: LessonProgress,
    pub goal: GoalResult,
    pub prediction: Option<Result<Prediction, String>>,
    pub grade: Option<Grade>,
    /// The current step's actions as a learner would type them now: a `kubesim delete-pod`
    /// action shows (and runs) as `kubectl delete pod` with the pod's name.
    pub actions: Vec<String>,
}

/// A lesson step's actions, with the simulator's shortcuts written as kubectl commands.
fn step_actions(lesson: &Lesson, step: usize, sim: &kubesim::Sim) -> Vec<String> {
    lesson
        .steps
        .get(step)
        .map(|s| {
            s.actions
                .iter()
                .map(|a| {
                    Command::parse(a)
                        .ok()
                        .and_then(|c| c.kubectl_equivalent(sim))
                        .unwrap_or_else(|| a.clone())
                })
                .collect()
        })
        .unwrap_or_default()
}

#[derive(Clone)]
pub struct AppState {
    pub session: Rc<RefCell<Session>>,
    /// Bumped on every change the UI should show.
    pub version: u64,
    pub playing: bool,
    pub speed: f64,
    /// Name of the built-in scenario loaded, if any.
    pub scenario_name: Option<String>,
    pub console: Rc<Vec<ConsoleEntry>>,
    /// Console entries dropped from the front so far (see [`CONSOLE_LIMIT`]).
    pub console_dropped: u64,
    /// The editor's text, and what applying it would do.
    pub editor: Rc<String>,
    pub preview: Rc<Vec<Preview>>,
    pub editor_errors: Rc<Vec<ErrorAt>>,
    /// The Deployment the side panels describe (namespace, name).
    pub selected: Option<(String, String)>,
    /// A message for the user (restored, could not restore, …).
    pub notice: Option<String>,
    /// The lesson this session follows, when its scenario is one.
    pub lesson: Option<Rc<LessonState>>,
    /// What the address asked for (embed, panels, read-only, theme).
    pub options: Rc<Options>,
    /// Bumped whenever the session is replaced, so views cached by revision are recomputed.
    pub epoch: u64,
    /// A console line that was not run (a branch declined, a read-only view), numbered so
    /// the console puts it back in its input each time.
    pub console_returned: Rc<(u64, String)>,
    /// The object `kubectl edit` has open in the edit dialog.
    pub editing: Option<Rc<Editing>>,
    /// Autosave is on: the user acted, or the session came from their own storage. A page
    /// opened from a link or `?scenario=` does not overwrite the saved work until then.
    armed: bool,
    /// Simulated time of the last autosave.
    saved_at: Option<Time>,
    /// The cluster changed since the preview was computed.
    preview_stale: bool,
    /// The YAML tab shows, so a stale preview is worth recomputing as time runs.
    editor_visible: bool,
    ticks_since_preview: u32,
}

impl PartialEq for AppState {
    fn eq(&self, other: &Self) -> bool {
        self.version == other.version
    }
}

/// How the note after a seek back begins.
const REWIND: &str = "Back to t = ";

/// An object open in the edit dialog: what kubectl shows, the text as last saved, and why
/// that save was refused.
#[derive(Debug, PartialEq)]
pub struct Editing {
    pub edit: kubesim::kubectl::edit::Edit,
    pub text: String,
    pub error: Option<String>,
}

pub enum Action {
    /// Real milliseconds passed; simulated time advances by them times the speed.
    Tick(u64),
    TogglePlay,
    SetSpeed(f64),
    /// Run to the next moment a controller changes something.
    Step,
    /// Show the cluster at a simulated time (rewind or forward to the horizon).
    Seek(Time),
    /// Run a command (from a button, a pod click or the console).
    Run(Command),
    /// A line typed in the console.
    Console(String),
    /// Ctrl+C in the console: stop the running watches.
    Interrupt,
    /// The edit dialog's Save, with its text.
    SaveEdit(String),
    CancelEdit,
    ClearConsole,
    EditorChanged(String),
    ApplyEditor,
    ResetEditor,
    Select(String, String),
    /// Start over with a scenario (its name, if built in, and its text).
    LoadScenario(Option<String>, String),
    DismissNotice,
    Notice(String),
    /// The page is being left (reload, close, navigation): save the current moment.
    PageHidden,
    /// The YAML tab was shown or hidden.
    EditorVisible(bool),
    LessonNext,
    LessonPrevious,
    /// Start the lesson over: first step, fresh cluster.
    LessonRestart,
    LessonAnswer(i64),
}

impl AppState {
    /// The state the address asks for (a share link, a built-in scenario), else the saved
    /// session if there is a readable one, else the default scenario; then the address's
    /// start time, speed and autoplay.
    pub fn load(options: Options, warnings: Vec<String>) -> AppState {
        let mut s = AppState::initial(&options);
        s.options = Rc::new(options);
        let o = Rc::clone(&s.options);
        if let Some(t) = o.start {
            let printed = s.session.borrow_mut().advance_to(Time::from_secs_f64(t));
            s.push_console(printed);
            s.refresh_preview();
        }
        if let Some(speed) = o.speed {
            s.speed = speed;
        }
        if let Some(play) = o.autoplay {
            s.playing = play;
        }
        if !warnings.is_empty() {
            let w = format!(
                "Some of the address was not understood: {}.",
                warnings.join("; ")
            );
            s.notice = Some(match s.notice.take() {
                Some(n) => format!("{n} {w}"),
                None => w,
            });
        }
        s
    }

    fn initial(options: &Options) -> AppState {
        if let Some(fragment) = &options.share {
            let opened = kubesim::share::decode(fragment).and_then(|saved| {
                let (session, cut) = Session::restore_within(&saved, RESTORE_WORK)?;
                Ok((saved, session, cut))
            });
            return match opened {
                Ok((saved, session, cut)) => {
                    storage::forget_fragment();
                    // Opening a link replaces the autosave at the next action: ask first when
                    // that holds work of its own (an embed keeps no autosave).
                    if !options.embed {
                        let kept =
                            AppState::kept_instead("Open the shared state", |mine| *mine != saved);
                        if let Some(s) = kept {
                            return s;
                        }
                    }
                    let mut s = AppState::restored(&saved, session);
                    let at = s.session.borrow().now().clock();
                    if let Some(reached) = cut {
                        s.notice = Some(format!(
                            "Opened a shared state at t = {} of {}: replaying all of it takes more simulation than kubesim does at once. Press Play to go on.",
                            reached.clock(),
                            replay_end(&saved).clock()
                        ));
                    } else if !options.embed {
                        // An embed's readers did not open a link: they see the page's example.
                        s.notice = Some(format!("Opened a shared state at t = {at}."));
                    }
                    s
                }
                Err(e) => {
                    // A broken link must not cost the autosave: that comes back if there is one.
                    let saved = (!options.embed)
                        .then(|| AppState::saved_session(None))
                        .flatten();
                    let (mut s, showing) = match saved {
                        Some(s) => (s, "your last session"),
                        None => (AppState::default_scenario(), "the default cluster"),
                    };
                    s.notice = Some(format!(
                        "This link could not be opened: {e}. Showing {showing}."
                    ));
                    s
                }
            };
        }
        let entry = match (&options.lesson, &options.scenario) {
            (Some(lesson), _) => Some((format!("lesson:{lesson}"), "lesson", lesson)),
            (None, Some(scenario)) => Some((scenario.clone(), "scenario", scenario)),
            (None, None) => None,
        };
        if let Some((entry, what, name)) = entry {
            // A reload of the same address brings the learner's own session back; a damaged
            // one was set aside, and its notice goes with the fresh session.
            let mut set_aside = None;
            if !options.embed {
                if let Some(s) = AppState::saved_session(Some(&entry)) {
                    if s.scenario_name.as_deref() == Some(entry.as_str()) {
                        return s;
                    }
                    set_aside = s.notice;
                }
                // Work saved in another scenario is not dropped without asking; kept, the
                // address is set to match it so a reload keeps it too.
                let action = format!("Open the {what} \u{201c}{name}\u{201d}");
                let kept = AppState::kept_instead(&action, |saved| {
                    scenarios::entry_of(&saved.scenario).as_deref() != Some(entry.as_str())
                });
                if let Some(s) = kept {
                    storage::show_entry_in_address(s.scenario_name.as_deref());
                    return s;
                }
            }
            let mut s = match scenarios::find_entry(&entry).map(Session::new) {
                Some(Ok(session)) => AppState::with_session(session, Some(entry)),
                Some(Err(e)) => AppState::default_with_notice(format!(
                    "The {what} {name} could not be loaded: {e}"
                )),
                None => AppState::default_with_notice(format!(
                    "There is no built-in {what} called \"{name}\"; showing the default scenario."
                )),
            };
            if s.notice.is_none() {
                s.notice = set_aside;
            }
            return s;
        }
        if options.embed {
            return AppState::default_scenario();
        }
        AppState::saved_session(None).unwrap_or_else(AppState::default_scenario)
    }

    /// The autosaved session, when `action` would replace it (`replaces` says whether it
    /// does), it holds work, and the user chooses to keep it.
    fn kept_instead(
        action: &str,
        replaces: impl Fn(&kubesim::session::Saved) -> bool,
    ) -> Option<AppState> {
        let saved = storage::load().ok().flatten()?;
        let work = work_done(saved.log.len(), saved.editor.is_some())?;
        if !replaces(&saved) || storage::confirm_replace(action, &work) {
            return None;
        }
        AppState::saved_session(None)
    }

    /// The autosaved session, if there is one (and, with `entry`, only if it is of that
    /// built-in scenario or lesson); a damaged one is set aside with a notice.
    fn saved_session(entry: Option<&str>) -> Option<AppState> {
        let saved = match storage::load() {
            Ok(Some(saved)) => saved,
            Ok(None) => return None,
            Err(e) => return Some(AppState::fresh_with_notice(&e)),
        };
        if entry.is_some() && scenarios::entry_of(&saved.scenario).as_deref() != entry {
            return None;
        }
        Some(match Session::restore_within(&saved, RESTORE_WORK) {
            Ok((session, cut)) => {
                let mut s = AppState::restored(&saved, session);
                s.armed = true;
                let commands = storage::counted(s.session.borrow().log.len(), "command");
                let at = s.session.borrow().now().clock();
                s.notice = Some(match cut {
                    Some(_) => format!(
                        "Restored your last session ({commands}) up to t = {at} of {}: replaying all of it takes more simulation than kubesim does at once. Press Play to go on.",
                        replay_end(&saved).clock()
                    ),
                    None => format!(
                        "Restored your last session at t = {at} ({commands}). Press Play to go on."
                    ),
                });
                s
            }
            Err(e) => AppState::fresh_with_notice(&e),
        })
    }

    /// A restored session, paused, with its saved editor text.
    fn restored(saved: &kubesim::session::Saved, session: Session) -> AppState {
        let editor = saved
            .editor
            .clone()
            .unwrap_or_else(|| session.scenario.manifests.clone());
        let name = scenarios::entry_of(&session.scenario_text);
        let mut s = AppState::with_session(session, name);
        s.editor = Rc::new(editor);
        s.playing = false;
        s.refresh_preview();
        s
    }

    fn default_with_notice(notice: String) -> AppState {
        let mut s = AppState::default_scenario();
        s.notice = Some(notice);
        s
    }

    fn fresh_with_notice(reason: &str) -> AppState {
        storage::set_aside();
        let mut s = AppState::default_scenario();
        s.notice = Some(format!(
            "Your saved session could not be restored: {reason}. It was set aside (localStorage key kubesim.session.unreadable) and the default scenario loaded."
        ));
        s
    }

    pub fn default_scenario() -> AppState {
        let (name, text) = scenarios::DEFAULT;
        let session = Session::new(text).expect("the default scenario is valid");
        AppState::with_session(session, Some(name.to_string()))
    }

    pub fn with_session(session: Session, scenario_name: Option<String>) -> AppState {
        let editor = Rc::new(session.scenario.manifests.clone());
        let selected = first_deployment(&session);
        // The timeline's opening commands (`kubectl rollout status` at 0 s) and what they
        // printed head the console.
        let opening = session
            .opening
            .iter()
            .cloned()
            .map(ConsoleEntry::from)
            .collect();
        let mut s = AppState {
            session: Rc::new(RefCell::new(session)),
            version: 0,
            playing: true,
            speed: 1.0,
            scenario_name,
            console: Rc::new(opening),
            console_dropped: 0,
            editor,
            preview: Rc::new(Vec::new()),
            editor_errors: Rc::new(Vec::new()),
            selected,
            notice: None,
            options: Rc::new(Options::default()),
            lesson: None,
            epoch: 0,
            console_returned: Rc::new((0, String::new())),
            editing: None,
            armed: false,
            saved_at: None,
            preview_stale: false,
            editor_visible: false,
            ticks_since_preview: 0,
        };
        s.refresh_preview();
        s.attach_lesson();
        s
    }

    /// Follows the session's lesson, if its scenario has one, resuming saved progress.
    fn attach_lesson(&mut self) {
        let session = self.session.borrow();
        let Some(lesson) = Lesson::from_session(&session) else {
            self.lesson = None;
            return;
        };
        let key = lessons::name_of(&session.scenario_text)
            .map(str::to_string)
            .unwrap_or_else(|| lesson.name.clone());
        let mut progress = storage::load_lesson_progress(&key)
            .and_then(|t| LessonProgress::from_text(&t, &lesson).ok())
            .unwrap_or_else(|| LessonProgress::new(&lesson));
        // Saved progress belongs to the cluster it was made on: a new cluster starts the
        // lesson over, or its goals and answers would be judged against the wrong state.
        let fresh = session.log.is_empty() && session.now() == Time::ZERO;
        if fresh && progress != LessonProgress::new(&lesson) {
            progress.restart();
            storage::save_lesson_progress(&key, &progress.to_text());
        }
        let prediction = lesson.predict(progress.step, &session.sim);
        let goal = lesson.check(progress.step, &session.sim);
        let actions = step_actions(&lesson, progress.step, &session.sim);
        self.lesson = Some(Rc::new(LessonState {
            lesson: Rc::new(lesson),
            key,
            progress,
            goal,
            prediction,
            grade: None,
            actions,
        }));
    }

    /// Re-checks the current step's goal; saves progress when a step is newly completed.
    fn update_lesson(&mut self) {
        let Some(state) = self.lesson.as_mut() else {
            return;
        };
        let session = self.session.borrow();
        let before = state.progress.clone();
        let mut next = (**state).clone();
        next.goal = next.progress.update(&next.lesson, &session.sim);
        next.actions = step_actions(&next.lesson, next.progress.step, &session.sim);
        if next != **state {
            if next.progress != before {
                storage::save_lesson_progress(&next.key, &next.progress.to_text());
            }
            *state = Rc::new(next);
        }
    }

    /// Moves within the lesson; the new step's prediction is computed from the cluster now.
    fn lesson_step(&mut self, change: impl FnOnce(&mut LessonProgress)) {
        let Some(state) = self.lesson.as_mut() else {
            return;
        };
        let session = self.session.borrow();
        let mut next = (**state).clone();
        change(&mut next.progress);
        next.prediction = next.lesson.predict(next.progress.step, &session.sim);
        next.goal = next.lesson.check(next.progress.step, &session.sim);
        next.actions = step_actions(&next.lesson, next.progress.step, &session.sim);
        next.grade = None;
        storage::save_lesson_progress(&next.key, &next.progress.to_text());
        *state = Rc::new(next);
    }

    /// The cluster or the editor changed: redo the preview now if the editor shows it, else
    /// when it is next shown (the dry run copies the whole cluster, which is costly in a big
    /// one and delays the action's own update on screen).
    fn preview_changed(&mut self) {
        if self.editor_visible {
            self.refresh_preview();
        } else {
            self.preview_stale = true;
        }
    }

    fn refresh_preview(&mut self) {
        self.preview_stale = false;
        self.ticks_since_preview = 0;
        let session = self.session.borrow();
        let (preview, report) = apply::preview(&session.sim, &session.scenario.file, &self.editor);
        self.preview = Rc::new(preview);
        self.editor_errors = Rc::new(report.errors());
    }

    /// After a seek back, says where the view is and what Play will do; a drag on the
    /// scrubber seeks many times, so the note is replaced rather than repeated.
    fn note_rewind(&mut self) {
        let session = self.session.borrow();
        let now = session.now();
        let text = match session.commands_after_now() {
            0 => format!("{REWIND}{}.", now.clock()),
            n => format!(
                "{REWIND}{}: Play replays the {} from the log; a command that changes the cluster starts a branch.",
                now.clock(),
                storage::counted(n, "later command")
            ),
        };
        drop(session);
        let console = Rc::make_mut(&mut self.console);
        if console.last().is_some_and(|e| {
            e.command.is_none() && e.note.as_deref().is_some_and(|n| n.starts_with(REWIND))
        }) {
            console.pop();
        }
        self.push_entries(vec![ConsoleEntry::note(now, text)]);
    }

    fn push_console(&mut self, printed: Vec<Printed>) {
        self.push_entries(printed.into_iter().map(ConsoleEntry::from).collect());
    }

    fn push_entries(&mut self, entries: Vec<ConsoleEntry>) {
        if entries.is_empty() {
            return;
        }
        let console = Rc::make_mut(&mut self.console);
        console.extend(entries);
        let mut bytes = 0;
        let over_bytes = console
            .iter()
            .rposition(|e| {
                bytes += e.output.stdout.len() + e.output.stderr.len();
                bytes > CONSOLE_BYTES
            })
            .map_or(0, |i| (i + 1).min(console.len() - 1));
        let extra = over_bytes.max(console.len().saturating_sub(CONSOLE_LIMIT));
        if extra > 0 {
            console.drain(..extra);
            self.console_dropped += extra as u64;
        }
    }

    /// `kubectl edit …` typed in the console: the object in the edit dialog, or what kubectl
    /// prints instead.
    fn open_edit(&mut self, line: &str) {
        let now = self.session.borrow().now();
        if self.options.readonly {
            self.notice = Some("This view is read-only.".into());
            let n = self.console_returned.0 + 1;
            self.console_returned = Rc::new((n, line.to_string()));
            return;
        }
        let opened = kubesim::kubectl::edit::open(&self.session.borrow().sim, line);
        let output = match opened {
            Ok(edit) => {
                let text = edit.text.clone();
                self.editing = Some(Rc::new(Editing {
                    edit,
                    text,
                    error: None,
                }));
                Output::default()
            }
            Err(output) => output,
        };
        self.push_entries(vec![ConsoleEntry::printed(now, Some(line), output)]);
    }

    /// The edit dialog's Save: the change runs as a `kubectl patch`; no change cancels the
    /// edit; a refused change keeps the dialog open with the reason.
    fn save_edit(&mut self, text: String) {
        let Some(editing) = self.editing.clone() else {
            return;
        };
        use kubesim::kubectl::edit::Saved;
        let saved = kubesim::kubectl::edit::save(&self.session.borrow().sim, &editing.edit, &text);
        match saved {
            Ok(Saved::Cancelled(line)) => {
                self.editing = None;
                self.edit_printed(Output {
                    stderr: line.to_string(),
                    ..Output::default()
                });
            }
            Ok(Saved::Failed(error)) => {
                self.editing = None;
                self.edit_printed(Output::err(error));
            }
            Ok(Saved::Patch(line)) => {
                self.editing = None;
                // A declined branch (or a read-only view) runs nothing: the dialog stays
                // open with what was typed.
                if !self.run(Command::Kubectl(line)) {
                    self.editing = Some(Rc::new(Editing {
                        edit: editing.edit.clone(),
                        text,
                        error: editing.error.clone(),
                    }));
                }
            }
            Err(error) => {
                self.editing = Some(Rc::new(Editing {
                    edit: editing.edit.clone(),
                    text,
                    error: Some(error),
                }));
            }
        }
    }

    /// What kubectl prints as an edit ends without a change: a line on stderr, or an error.
    fn edit_printed(&mut self, output: Output) {
        let now = self.session.borrow().now();
        self.push_entries(vec![ConsoleEntry::printed(now, None, output)]);
    }

    /// Runs a command; says whether it ran (not in a read-only view, nor when the user keeps
    /// the later commands instead of branching).
    fn run(&mut self, command: Command) -> bool {
        if self.options.readonly {
            self.notice = Some("This view is read-only.".into());
            return false;
        }
        // Reading the cluster of a past moment needs no branch.
        let inspected = self.session.borrow().inspect(&command);
        if let Some(printed) = inspected {
            self.push_console(vec![printed]);
            return true;
        }
        let dropped = self.session.borrow().commands_after_now();
        if dropped > 0 && !storage::confirm_branch(dropped) {
            self.notice = Some("Nothing was run: the later commands are kept.".into());
            return false;
        }
        if dropped > 0 {
            // The transcript above still shows what those commands printed.
            let now = self.session.borrow().now();
            let text = format!(
                "New branch: the {} above no longer happened.",
                storage::counted(dropped, "later command")
            );
            self.push_entries(vec![ConsoleEntry::note(now, text)]);
        }
        let printed = self.session.borrow_mut().run(command);
        self.push_console(vec![printed]);
        self.update_lesson();
        self.follow_selection();
        self.preview_changed();
        self.save_now();
        true
    }

    /// Keeps the rollout panel on a Deployment that exists: when the selected one is gone (or
    /// none was selected), the first there is.
    fn follow_selection(&mut self) {
        let session = self.session.borrow();
        let exists = |(ns, name): &(String, String)| {
            session
                .sim
                .store
                .deployments
                .contains_key(&kubesim::store::key(ns, name))
        };
        if !self.selected.as_ref().is_some_and(exists) {
            self.selected = first_deployment(&session);
        }
    }

    /// Autosaves after a user action (which arms autosave).
    fn save_now(&mut self) {
        self.armed = true;
        self.autosave();
    }

    fn autosave(&mut self) {
        if self.options.embed || !self.armed {
            return;
        }
        let saved = {
            let session = self.session.borrow();
            let editor = (self.editor.as_str() != session.scenario.manifests)
                .then(|| self.editor.to_string());
            self.saved_at = Some(session.now());
            session.saved(editor)
        };
        if let Err(e) = storage::save(&saved) {
            self.notice = Some(e);
        }
    }
}

impl AppState {
    /// What the user did in this session that loading another scenario would lose: commands
    /// run, or an editor that no longer holds the scenario's manifests.
    fn work(&self) -> Option<String> {
        let session = self.session.borrow();
        work_done(
            session.log.len(),
            *self.editor != session.scenario.manifests,
        )
    }

    /// A new session in place of this one, keeping the speed and the address's options.
    fn replaced_by(&self, session: Session, name: Option<String>) -> Rc<AppState> {
        let mut fresh = AppState::with_session(session, name);
        fresh.version = self.version + 1;
        fresh.epoch = self.epoch + 1;
        fresh.speed = self.speed;
        fresh.options = Rc::clone(&self.options);
        fresh.save_now();
        // A reload must bring this session back, not the scenario the address first named.
        if !self.options.embed {
            storage::show_entry_in_address(fresh.scenario_name.as_deref());
        }
        Rc::new(fresh)
    }
}

/// What the user did, in words, if anything: commands run and an edited manifest.
fn work_done(commands: usize, edited: bool) -> Option<String> {
    match (commands, edited) {
        (0, false) => None,
        (0, true) => Some("edited manifest".into()),
        (n, false) => Some(storage::counted(n, "command")),
        (n, true) => Some(format!(
            "{} and edited manifest",
            storage::counted(n, "command")
        )),
    }
}

/// Where replaying a saved state goes: its moment, or its last command if later (a state
/// saved after rewinding).
fn replay_end(saved: &kubesim::session::Saved) -> Time {
    let last = saved.log.last().map_or(0.0, |e| e.at);
    Time::from_secs_f64(saved.now.max(last))
}

fn first_deployment(session: &Session) -> Option<(String, String)> {
    session
        .sim
        .store
        .deployments
        .values()
        .next()
        .map(|d| (d.metadata.ns().to_string(), d.metadata.name.clone()))
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::Tick(ms) => {
                if !self.playing {
                    return self;
                }
                let before = self.session.borrow().sim.revision();
                let printed = {
                    let mut s = self.session.borrow_mut();
                    let t = s.now().plus_ms((ms as f64 * self.speed).round() as u64);
                    s.advance_to(t)
                };
                next.push_console(printed);
                // The preview dry-runs the editor text on a copy of the cluster: worth redoing
                // as the cluster changes, but not on every tick of a big one.
                if self.session.borrow().sim.revision() != before {
                    next.preview_stale = true;
                    next.update_lesson();
                    next.follow_selection();
                }
                next.ticks_since_preview = self.ticks_since_preview.saturating_add(1);
                // In a big cluster the dry run costs too much to repeat while time runs; the
                // preview is then refreshed by edits and commands only.
                let small =
                    self.session.borrow().sim.store.pods.len() <= PREVIEW_MAX_PODS_WHILE_RUNNING;
                if small
                    && self.editor_visible
                    && next.preview_stale
                    && next.ticks_since_preview >= PREVIEW_EVERY_TICKS
                {
                    next.refresh_preview();
                }
                // Keep the saved time roughly current without writing storage on every tick.
                let now = self.session.borrow().now();
                if self.saved_at.is_none_or(|t| now.since(t) >= 5_000) {
                    next.autosave();
                }
            }
            Action::TogglePlay => {
                next.playing = !self.playing;
                next.save_now();
            }
            Action::SetSpeed(s) => next.speed = s.clamp(SPEEDS[0], SPEEDS[SPEEDS.len() - 1]),
            Action::Step => {
                next.playing = false;
                let revision = self.session.borrow().sim.revision();
                let printed = self.session.borrow_mut().step();
                let settled =
                    printed.is_empty() && self.session.borrow().sim.revision() == revision;
                if settled {
                    // Step looks an hour ahead; timers that changed nothing leave the clock
                    // where it was (Session::step).
                    next.notice = Some(
                        "Nothing happens in the next hour: the cluster has settled. Run a command or press Play.".into(),
                    );
                }
                next.push_console(printed);
                next.update_lesson();
                next.follow_selection();
                next.preview_changed();
                next.save_now();
            }
            Action::Seek(t) => {
                let was = self.session.borrow().now();
                self.session.borrow_mut().seek(t);
                next.playing = false;
                if t < was {
                    next.note_rewind();
                }
                next.update_lesson();
                next.follow_selection();
                next.preview_changed();
            }
            Action::Run(cmd) => {
                next.run(cmd);
            }
            Action::Console(line) => {
                let line = line.trim().to_string();
                match line.as_str() {
                    "" => {}
                    "clear" => next.console = Rc::new(Vec::new()),
                    // `kubectl edit` opens the edit dialog; only the patch it saves is run.
                    _ if kubesim::kubectl::edit::is_edit(&line) => next.open_edit(&line),
                    _ => match Command::parse(&line) {
                        Ok(cmd) => {
                            // The console shows (and logs) what a learner would type.
                            let equivalent = cmd.kubectl_equivalent(&self.session.borrow().sim);
                            let cmd = match equivalent.map(Command::Kubectl) {
                                Some(kubectl) => kubectl,
                                None => cmd,
                            };
                            if !next.run(cmd) {
                                let n = self.console_returned.0 + 1;
                                next.console_returned = Rc::new((n, line));
                            }
                        }
                        Err(e) => next.push_entries(vec![ConsoleEntry::error_printed(
                            self.session.borrow().now(),
                            &line,
                            &e,
                        )]),
                    },
                }
            }
            Action::Interrupt => {
                if self.session.borrow_mut().interrupt() {
                    Rc::make_mut(&mut next.console)
                        .push(ConsoleEntry::interrupted(self.session.borrow().now()));
                }
            }
            Action::SaveEdit(text) => next.save_edit(text),
            Action::CancelEdit => {
                if let Some(editing) = next.editing.take() {
                    // Given up after a refused save, nothing valid was saved: an error.
                    next.edit_printed(match editing.error {
                        Some(_) => Output::err(kubesim::kubectl::edit::GIVEN_UP),
                        None => Output {
                            stderr: kubesim::kubectl::edit::CANCELLED.into(),
                            ..Output::default()
                        },
                    });
                }
            }
            Action::ClearConsole => next.console = Rc::new(Vec::new()),
            Action::EditorChanged(text) => {
                next.editor = Rc::new(text);
                next.refresh_preview();
                next.save_now();
            }
            Action::ApplyEditor => {
                let file = self.session.borrow().scenario.file.clone();
                next.run(Command::Apply {
                    file,
                    yaml: self.editor.to_string(),
                });
            }
            Action::ResetEditor => {
                next.editor = Rc::new(self.session.borrow().scenario.manifests.clone());
                next.refresh_preview();
                next.save_now();
            }
            Action::Select(ns, name) => next.selected = Some((ns, name)),
            Action::LoadScenario(name, text) => match Session::new(&text) {
                Ok(session) => {
                    if let Some(work) = self.work() {
                        let action =
                            format!("Load \u{201c}{}\u{201d}", crate::scenarios::title(&text));
                        if !storage::confirm_replace(&action, &work) {
                            next.notice = Some("Nothing was loaded: your session is kept.".into());
                            return Rc::new(next);
                        }
                    }
                    return self.replaced_by(session, name);
                }
                Err(e) => next.notice = Some(format!("That scenario could not be loaded: {e}")),
            },
            Action::EditorVisible(visible) => {
                if visible == self.editor_visible {
                    return self;
                }
                next.editor_visible = visible;
                if visible && self.preview_stale {
                    next.refresh_preview();
                }
            }
            Action::LessonNext => next.lesson_step(|p| {
                p.next_step();
            }),
            Action::LessonPrevious => next.lesson_step(|p| {
                p.previous_step();
            }),
            Action::LessonRestart => {
                if let Some(state) = &self.lesson {
                    if let Some(work) = self.work() {
                        if !storage::confirm_replace("Restart the lesson", &work) {
                            next.notice = Some("The lesson goes on: your session is kept.".into());
                            return Rc::new(next);
                        }
                    }
                    let mut progress = state.progress.clone();
                    progress.restart();
                    storage::save_lesson_progress(&state.key, &progress.to_text());
                    if let Ok(session) = Session::new(&state.lesson.text) {
                        return self.replaced_by(session, self.scenario_name.clone());
                    }
                }
            }
            Action::LessonAnswer(given) => {
                if let Some(state) = next.lesson.as_mut() {
                    let mut st = (**state).clone();
                    if let Some(Ok(prediction)) = st.prediction.clone() {
                        st.grade = Some(st.progress.answer(&prediction, given));
                        storage::save_lesson_progress(&st.key, &st.progress.to_text());
                        *state = Rc::new(st);
                    }
                }
            }
            Action::PageHidden => {
                // Autosave otherwise follows simulated time loosely; a reload must come back
                // to the moment it left.
                if !self.armed || self.options.embed {
                    return self;
                }
                next.autosave();
            }
            Action::DismissNotice => next.notice = None,
            Action::Notice(n) => next.notice = Some(n),
        }
        next.version += 1;
        Rc::new(next)
    }
}
