//! The shell a container's command runs in: enough of POSIX `sh` for the scripts the
//! Kubernetes documentation and courses put in pod specs (`sh -c 'echo …; sleep 5; exit 1'`,
//! the logging page's counter loop, the liveness page's `touch /tmp/healthy; sleep 30; …`),
//! or one command given directly (`[sleep, "3600"]`, `[echo, hi]`).
//!
//! Running a script yields what it prints and when, and when it exits with which status, on
//! the container's own clock (milliseconds since it started). Nothing really runs: files are
//! names with contents, the clock only moves in `sleep`, and a command the shell does not
//! know succeeds without output, as most commands of a real image would.
//!
//! Every run is bounded — steps (charged for commands, loop turns and the bytes they move),
//! nesting, bytes per line and per run, lines kept (the latest, as a rotated log keeps them)
//! — so no script can hang or crash the simulation.

mod arith;
mod builtins;
mod dns;
mod glob;
mod http;
mod jobs;
mod syntax;
mod text;

pub use builtins::date;
pub use http::{NetError, Network, Reply, Url};
use syntax::{is_name, parse, read_word, Node, Param, ParamOp, Part, Redirect, RedirectOp, Word};

use crate::time::Time;
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, VecDeque};

/// Steps a run may take: a once-a-second loop for about a day. One budget for every use,
/// so the kubelet and the log agree on when a script ends.
pub const BUDGET: usize = 1_000_000;
/// Steps an exec probe's command may take before it times out.
const EXEC_BUDGET: usize = 10_000;
/// Lines kept: the latest, as the kubelet's rotated log files keep them.
const MAX_LINES: usize = 20_000;
/// A longer line is cut (containerd splits lines at 16 KiB).
const MAX_LINE_BYTES: usize = 16 * 1024;
/// Bytes one run may write in all.
const MAX_OUTPUT_BYTES: usize = 4 << 20;
/// The largest variable, captured output or file.
const MAX_VALUE: usize = 64 * 1024;
/// Files one shell may create.
const MAX_FILES: usize = 1000;
/// Variables one shell may hold.
const MAX_VARS: usize = 1000;
/// The `err` level of a process's own standard error, kept apart from its output (a
/// container's log has both together).
const STDERR: usize = usize::MAX;
/// Nesting of the syntax, and of commands running inside one another.
pub(crate) const MAX_DEPTH: usize = 64;

/// What a run did up to its horizon.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Outcome {
    /// Lines printed (stdout and stderr together, as the container log has them), with the
    /// millisecond of the container's clock at which each was completed; the latest
    /// [`MAX_LINES`] of them.
    pub lines: Vec<(u64, String)>,
    /// When the script exited and with which status; `None` while it still runs at the
    /// horizon (or forever, or when its budget ran out).
    pub exit: Option<(u64, i64)>,
    /// The files the script has written by then (what an exec probe can read).
    pub files: BTreeMap<String, String>,
    /// Whether the run stopped for good (it exited, waits forever or used its budget), so
    /// that a later horizon finds the same files; false when the horizon cut it short.
    pub settled: bool,
    /// What of its environment the run looked at.
    pub reads: Reads,
}

/// What of its environment a run looked at, beyond its command: another environment that
/// agrees on these gives the same run.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Reads {
    /// Variables read by name (whatever the script set them to later).
    pub vars: BTreeSet<String>,
    /// Every variable (`env`, `printenv` without a name).
    pub all_vars: bool,
    /// Any file.
    pub files: bool,
    /// The wall clock (`date`).
    pub clock: bool,
    /// The network.
    pub network: bool,
}

impl Reads {
    /// Whether a run in `b` reads the same inputs as this run, made in `a`, did.
    pub fn agree(&self, a: &Env, b: &Env) -> bool {
        fn var<'e>(env: &'e Env, k: &str) -> Option<&'e String> {
            env.vars.iter().find(|(n, _)| n == k).map(|(_, v)| v)
        }
        !self.network
            && (!self.all_vars || a.vars == b.vars)
            && (!self.files || a.files == b.files)
            && (!self.clock || a.started == b.started)
            && a.term_at == b.term_at
            && self.vars.iter().all(|k| var(a, k) == var(b, k))
    }
}

/// What a run is for, which decides what it keeps and how far it may go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Only when and how it ends (a container starting): an endless loop that prints
    /// nothing is recognised without running it.
    Exit,
    /// Its log as well.
    Log,
    /// Its files at the horizon.
    State,
}

/// The process environment: variables in order, the wall clock the container started at,
/// and the files every container of the pod has whatever its image (`/etc/hosts`…).
#[derive(Debug, Clone, Default)]
pub struct Env {
    pub vars: Vec<(String, String)>,
    pub started: Time,
    pub files: BTreeMap<String, String>,
    /// When the process is sent SIGTERM (ms on its clock), if it is.
    pub term_at: Option<u64>,
}

/// Runs `argv` (a shell with `-c SCRIPT`, or one command) until it exits, the clock passes
/// `horizon` ms, or the budget runs out. The process starts with the pod's files.
pub fn run(argv: &[String], env: &Env, horizon: u64, mode: Mode) -> Outcome {
    run_in(argv, env, horizon, mode, env.files.clone(), None, None)
}

/// [`run`] for a process that asks the cluster DNS through `net` (its `nslookup`); its
/// `wget` and `curl` still send nothing.
pub fn run_asking(
    argv: &[String],
    env: &Env,
    horizon: u64,
    mode: Mode,
    net: &dyn Network,
) -> Outcome {
    run_in(argv, env, horizon, mode, env.files.clone(), Some(net), None)
}

/// What a command run inside a container printed, stream by stream, and the files it left.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Printed {
    pub stdout: String,
    pub stderr: String,
    pub files: BTreeMap<String, String>,
    /// The command used up its steps without ending.
    pub out_of_steps: bool,
}

/// Runs a command inside a running container, as an exec probe or `kubectl exec` does: it
/// sees the files the container's process has written, reaches `net` with `wget` and
/// `curl` (`kubectl exec` gives the cluster's), and may take at most `timeout` ms.
/// Returns its exit status (`None` when it timed out) and what it printed.
pub fn exec_in(
    argv: &[String],
    env: &Env,
    files: BTreeMap<String, String>,
    timeout: u64,
    net: Option<&dyn Network>,
) -> (Option<i64>, Printed) {
    let mut printed = Printed::default();
    let o = run_in(
        argv,
        env,
        timeout,
        Mode::Log,
        files,
        net,
        Some(&mut printed),
    );
    printed.files = o.files;
    (o.exit.map(|(_, code)| code), printed)
}

fn run_in(
    argv: &[String],
    env: &Env,
    horizon: u64,
    mode: Mode,
    files: BTreeMap<String, String>,
    net: Option<&dyn Network>,
    exec: Option<&mut Printed>,
) -> Outcome {
    let lines = mode == Mode::Log;
    let mut sh = Shell {
        vars: env.vars.iter().cloned().collect(),
        exported: env.vars.iter().map(|(k, _)| k.clone()).collect(),
        started: env.started,
        clock: 0,
        horizon,
        steps: 0,
        // A probe runs every few seconds and gets a small budget; a command someone runs
        // with `kubectl exec` (which has the cluster's network) as much as a container.
        budget: if exec.is_some() && net.is_none() {
            EXEC_BUDGET
        } else {
            BUDGET
        },
        out: VecDeque::new(),
        partial: String::new(),
        written: 0,
        collect: lines,
        // A loop may end on a signal, when one is coming.
        endless_stops: (mode == Mode::Exit || exec.is_some()) && env.term_at.is_none(),
        files,
        mounts: env.files.keys().cloned().collect(),
        status: 0,
        depth: 0,
        loops: 0,
        capture: Vec::new(),
        err: Some(if exec.is_some() { STDERR } else { 0 }),
        stdin: None,
        errexit: false,
        cut: false,
        conditions: 0,
        net,
        requests: 0,
        streams: exec.is_some().then(Printed::default),
        reads: RefCell::default(),
        traps: BTreeMap::new(),
        term_at: env.term_at,
        arg0: String::new(),
        params: Vec::new(),
        functions: BTreeMap::new(),
        jobs: Vec::new(),
        job_steps: 0,
        job_written: 0,
        in_job: false,
        subshells: 0,
        pending: BTreeSet::new(),
        job_pid: 0,
        retired: Vec::new(),
        // The shell is process 1 of its container.
        next_pid: 1,
        last_job: None,
    };
    let script = script_of(argv);
    (sh.arg0, sh.params) = match script.and_then(|(_, words)| words.split_first()) {
        Some((zero, params)) => (zero.clone(), params.to_vec()),
        None => ("sh".into(), Vec::new()),
    };
    let mut flow = match script {
        Some((script, _)) => match parse(script) {
            Ok(node) => sh.exec(&node),
            Err(message) => {
                sh.print_err(&format!("sh: syntax error: {message}\n"));
                Flow::Exit(2)
            }
        },
        None => sh.builtin(argv),
    };
    // Signals that arrived during the last command are taken once it is done; those that
    // arrive after the script still find the shell, idle, until one of them ends it.
    // Signals sent from inside by then are taken first (the shell ends now: later ones
    // find no shell); then SIGTERM, also when it comes after the script, as before.
    while matches!(flow, Flow::Normal) {
        flow = match sh.take_pending() {
            Some(f) => f,
            None => break,
        };
    }
    if let (Flow::Normal, Some(t)) = (&flow, sh.term_at) {
        if t <= sh.horizon {
            sh.clock = sh.clock.max(t);
            flow = sh.signalled();
        }
    }
    // The EXIT trap runs as the shell ends, whatever ends it but the clock.
    if !matches!(flow, Flow::Stop) {
        if let Some(action) = sh.traps.remove("EXIT").filter(|a| !a.is_empty()) {
            let status = match flow {
                Flow::Exit(code) => code,
                _ => sh.status,
            };
            sh.status = status;
            flow = match sh.run_text(&action) {
                Flow::Exit(code) => Flow::Exit(code),
                Flow::Stop => Flow::Stop,
                _ => Flow::Exit(status),
            };
        }
    }
    let exit = match flow {
        Flow::Normal | Flow::Break(_) | Flow::Continue(_) => Some((sh.clock, sh.status)),
        Flow::Exit(code) | Flow::Return(code) => Some((sh.clock, code)),
        Flow::Stop => None,
    };
    // An unfinished last line reaches the log when the process ends.
    if exit.is_some() && !sh.partial.is_empty() {
        let line = std::mem::take(&mut sh.partial);
        sh.push_line(line);
    }
    if let (Some(printed), Some(streams)) = (exec, sh.streams.take()) {
        *printed = streams;
        printed.out_of_steps = sh.steps > sh.budget;
    }
    Outcome {
        lines: sh.all_lines(exit.map(|(t, _)| t)),
        exit,
        files: sh.files,
        settled: !sh.cut,
        reads: sh.reads.into_inner(),
    }
}

/// Whether `argv` may write a file: a redirection to a path, or a command that writes one
/// (`touch`, `tee`, `mkdir`…), or a command whose name is computed. A script that cannot
/// needs no run to know what an exec probe will find.
pub fn writes_files(argv: &[String]) -> bool {
    match script_of(argv) {
        None => argv
            .first()
            .is_some_and(|w| writer(w.rsplit('/').next().unwrap_or(""))),
        Some((script, _)) => parse(script).is_ok_and(|node| node_writes(&node)),
    }
}

fn writer(name: &str) -> bool {
    matches!(
        name,
        "touch"
            | "tee"
            | "mkdir"
            | "cp"
            | "mv"
            | "ln"
            | "dd"
            | "install"
            | "truncate"
            | "rm"
            | "exec"
            | "command"
            | "env"
            | "eval"
            | "sh"
            | "bash"
            | "ash"
            | "dash"
    )
}

fn node_writes(node: &Node) -> bool {
    let redirect_writes = |rs: &[Redirect]| {
        rs.iter().any(|r| {
            matches!(r.op, RedirectOp::Out | RedirectOp::Append)
                && r.target
                    .plain()
                    .is_none_or(|t| !t.starts_with("/dev/") && !t.starts_with("/proc/"))
        })
    };
    // A command substitution is judged by its text, without parsing it again.
    let substitution_writes = |w: &Word| {
        w.0.iter().any(|p| match p {
            Part::Subst(text, _) => [">", "touch", "tee", "mkdir", "cp", "mv", "rm", "dd", "eval"]
                .iter()
                .any(|k| text.contains(k)),
            _ => false,
        })
    };
    match node {
        Node::Simple {
            assigns,
            words,
            redirects,
        } => {
            redirect_writes(redirects)
                || words.iter().any(substitution_writes)
                || assigns.iter().any(|(_, w)| substitution_writes(w))
                || words.first().is_some_and(|w| {
                    w.plain()
                        .is_none_or(|n| writer(n.rsplit('/').next().unwrap_or("")))
                })
        }
        Node::Seq(items) | Node::Pipe(items) => items.iter().any(node_writes),
        Node::AndOr(first, rest) => node_writes(first) || rest.iter().any(|(_, n)| node_writes(n)),
        Node::Not(a) | Node::Background(a) => node_writes(a),
        Node::Group(a, _, rs) => redirect_writes(rs) || node_writes(a),
        Node::Loop { cond, body, .. } => node_writes(cond) || node_writes(body),
        Node::For { body, .. } => node_writes(body),
        Node::Case(_, arms) => arms.iter().any(|(_, b)| node_writes(b)),
        Node::Function(_, body) => node_writes(body),
        Node::If {
            branches,
            otherwise,
        } => {
            branches
                .iter()
                .any(|(c, b)| node_writes(c) || node_writes(b))
                || otherwise.as_deref().is_some_and(node_writes)
        }
    }
}

/// The script of `sh -c SCRIPT` (any shell, any single-letter options that include `c`);
/// `None` when `argv` is not a shell.
/// The script a shell is given with `-c`, and the words after it (`$0`, then the
/// positional parameters); `None` for a command that is not a shell.
fn script_of(argv: &[String]) -> Option<(&str, &[String])> {
    let base = argv.first()?.rsplit('/').next()?;
    if !matches!(base, "sh" | "bash" | "ash" | "dash" | "zsh") {
        return None;
    }
    for (i, a) in argv.iter().enumerate().skip(1) {
        if !(a.starts_with('-') && a.len() > 1 && !a.starts_with("--")) {
            break;
        }
        if a.contains('c') {
            return Some(match argv.get(i + 1) {
                Some(script) => (script.as_str(), &argv[i + 2..]),
                None => ("", &[]),
            });
        }
    }
    // `sh` alone reads commands from its (empty) input and exits at once.
    Some(("", &[]))
}

enum Flow {
    Normal,
    Break(usize),
    Continue(usize),
    /// `return`: out of the function (out of the script, outside one).
    Return(i64),
    Exit(i64),
    /// The horizon or the budget was reached, or the script waits forever.
    Stop,
}

/// Where a command's standard output goes, when a redirection says.
enum Sink {
    Null,
    File(String, bool),
    Stderr,
}

struct Shell<'a> {
    vars: BTreeMap<String, String>,
    /// Exported variable names, in the order `env` lists them.
    exported: Vec<String>,
    started: Time,
    clock: u64,
    horizon: u64,
    steps: usize,
    budget: usize,
    out: VecDeque<(u64, String)>,
    partial: String,
    /// Bytes written to the log so far.
    written: usize,
    collect: bool,
    /// An endless loop that can never end the script stops the run at once.
    endless_stops: bool,
    files: BTreeMap<String, String>,
    /// The files the kubelet bind-mounts into the container (`Env::files`): they can be
    /// written but not removed.
    mounts: Vec<String>,
    status: i64,
    /// Commands running inside one another.
    depth: usize,
    /// Loops around the running command (`break` outside one does nothing).
    loops: usize,
    /// Standard output captured by `$(…)`, a redirection or a pipe, innermost last.
    capture: Vec<String>,
    /// Where standard error goes: `Some(0)` the log (or standard output, for a command
    /// `kubectl exec` runs), `Some(STDERR)` the process's own standard error, `Some(k)` the
    /// k-th capture, `None` nowhere.
    err: Option<usize>,
    /// What the previous command of a pipeline wrote.
    stdin: Option<String>,
    /// `set -e`.
    errexit: bool,
    /// The clock reached the horizon.
    cut: bool,
    /// Inside an `if`/`while` condition, or a chain's left side, where `set -e` does not act.
    conditions: usize,
    /// What `wget`, `curl` and `nslookup` reach.
    net: Option<&'a dyn Network>,
    /// Requests sent so far.
    requests: u64,
    /// Standard output and error kept apart, as `kubectl exec` gets them; `None` for a
    /// container's own process, whose streams go to its log together.
    streams: Option<Printed>,
    /// What of the environment the run has looked at.
    reads: RefCell<Reads>,
    /// `trap`: what runs on each signal (`TERM`, `INT`, `HUP`, `EXIT`…); empty ignores it.
    traps: BTreeMap<String, String>,
    /// When SIGTERM arrives (ms on the clock), until it has been taken.
    term_at: Option<u64>,
    /// `$0` and the positional parameters (`$1`…, `$@`, `$#`).
    arg0: String,
    params: Vec<String>,
    /// Functions defined so far.
    functions: BTreeMap<String, std::rc::Rc<Node>>,
    /// Jobs started with `&`, and the lines of those that left the table.
    jobs: Vec<jobs::Job>,
    retired: Vec<(u64, String)>,
    /// Steps the jobs have taken and bytes they have written, all together; whether a job
    /// is running (its steps and bytes are then the counters).
    job_steps: usize,
    job_written: usize,
    in_job: bool,
    /// Subshells (and jobs) running inside one another: a signal to process 1 waits for
    /// the shell itself.
    subshells: usize,
    /// Signals sent to process 1 from inside and not taken yet: when, their number, and
    /// the job (of the shell's own) that sent them, 0 for the shell.
    pending: BTreeSet<(u64, usize, u64)>,
    /// The shell's own job that is running, 0 when none.
    job_pid: u64,
    /// The last process ID given out, and the last job's (`$!`).
    next_pid: u64,
    last_job: Option<u64>,
}

/// `${V/p/r}` on the value's characters: at each place from the left, the longest match
/// is replaced (the first one, or `all`); an empty match replaces nothing.
fn replace(chars: &[char], pattern: &glob::Pattern, with: &str, all: bool) -> String {
    let mut out = String::new();
    let mut i = 0;
    let mut done = false;
    while i < chars.len() {
        if !done {
            let found = pattern.prefixes(&chars[i..]).iter().rposition(|f| *f);
            if let Some(len) = found.filter(|len| *len > 0) {
                out.push_str(with);
                i += len;
                done = !all;
                continue;
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

/// Where the pattern of `${V/p/r}` ends in its word as written: the first `/` outside
/// quotes, escapes and nested expansions.
fn pattern_end(word: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for (i, c) in word.char_indices() {
        if escaped {
            escaped = false;
            continue;
        }
        match (quote, c) {
            (q, '\\') if q != Some('\'') => escaped = true,
            (None, '\'' | '"') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '{' | '(') => depth += 1,
            (None, '}' | ')') => depth = depth.saturating_sub(1),
            (None, '/') if depth == 0 => return Some(i),
            _ => {}
        }
    }
    None
}

/// Linux's signals by number, as `kill -l` lists them; 0 stands for the shell's exit.
const SIGNALS: [&str; 32] = [
    "EXIT", "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV",
    "USR2", "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU",
    "URG", "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "POLL", "PWR", "SYS",
];

/// A signal as `trap` and `kill` name it (`TERM`, `SIGTERM`, `15`), as its number.
fn signal_number(sig: &str) -> Option<usize> {
    let upper = sig.to_ascii_uppercase();
    let name = upper.strip_prefix("SIG").unwrap_or(&upper);
    match name.parse::<usize>() {
        Ok(n) => (n < SIGNALS.len()).then_some(n),
        Err(_) => SIGNALS.iter().position(|s| *s == name),
    }
}

fn signal_name(sig: &str) -> Option<&'static str> {
    signal_number(sig).map(|n| SIGNALS[n])
}

/// Cuts `s` to at most `max` bytes at a character boundary.
fn truncate(s: &mut String, max: usize) {
    if s.len() > max {
        let mut cut = max;
        while !s.is_char_boundary(cut) {
            cut -= 1;
        }
        s.truncate(cut);
    }
}

fn append(buf: &mut String, text: &str) {
    let room = MAX_VALUE.saturating_sub(buf.len());
    let mut piece = text.to_string();
    truncate(&mut piece, room);
    buf.push_str(&piece);
}

impl arith::Vars for Shell<'_> {
    fn get(&self, name: &str) -> Option<String> {
        self.var(name)
    }
    fn set(&mut self, name: &str, value: String) {
        self.set_var(name, value);
    }
    fn spend(&mut self) -> bool {
        self.step()
    }
}

impl Shell<'_> {
    fn charge(&mut self, bytes: usize) {
        self.steps = self.steps.saturating_add(bytes / 64);
    }

    fn step(&mut self) -> bool {
        self.steps += 1;
        self.steps <= self.budget
    }

    fn print(&mut self, text: &str) {
        self.charge(text.len());
        if let Some(buf) = self.capture.last_mut() {
            append(buf, text);
            return;
        }
        self.write_log(text);
    }

    fn print_err(&mut self, text: &str) {
        match self.err {
            None => {}
            Some(STDERR) if self.streams.is_some() => self.write_stream(text, true),
            Some(0 | STDERR) => self.write_log(text),
            Some(k) => {
                if let Some(buf) = self.capture.get_mut(k - 1) {
                    append(buf, text);
                }
            }
        }
    }

    /// Writes to a command's own standard output or error (`kubectl exec`).
    fn write_stream(&mut self, text: &str, err: bool) {
        self.written = self.written.saturating_add(text.len());
        if self.written > MAX_OUTPUT_BYTES {
            self.steps = self.budget;
            return;
        }
        if let Some(p) = &mut self.streams {
            if err { &mut p.stderr } else { &mut p.stdout }.push_str(text);
        }
    }

    fn write_log(&mut self, text: &str) {
        if self.streams.is_some() {
            return self.write_stream(text, false);
        }
        if !self.collect {
            return;
        }
        self.written = self.written.saturating_add(text.len());
        if self.written > MAX_OUTPUT_BYTES {
            // The run has written all it may: it stops here.
            self.steps = self.budget;
            return;
        }
        for piece in text.split_inclusive('\n') {
            let (body, ends) = match piece.strip_suffix('\n') {
                Some(b) => (b, true),
                None => (piece, false),
            };
            let room = MAX_LINE_BYTES.saturating_sub(self.partial.len());
            let mut body = body.to_string();
            truncate(&mut body, room);
            self.partial.push_str(&body);
            if ends {
                let line = std::mem::take(&mut self.partial);
                self.push_line(line);
            }
        }
    }

    fn push_line(&mut self, line: String) {
        if self.out.len() == MAX_LINES {
            self.out.pop_front();
        }
        self.out.push_back((self.clock, line));
    }

    fn var(&self, name: &str) -> Option<String> {
        match name {
            "?" => Some(self.status.to_string()),
            "$" => Some("1".into()),
            "!" => self.last_job.map(|pid| pid.to_string()),
            "#" => Some(self.params.len().to_string()),
            "0" => Some(self.arg0.clone()),
            "@" | "*" => Some(self.params.join(" ")),
            n if n.bytes().all(|b| b.is_ascii_digit()) => n
                .parse::<usize>()
                .ok()
                .and_then(|i| self.params.get(i.checked_sub(1)?).cloned()),
            _ => {
                self.reads.borrow_mut().vars.insert(name.to_string());
                self.vars.get(name).cloned()
            }
        }
    }

    /// The files, for a command that reads them.
    fn read_files(&self) -> &BTreeMap<String, String> {
        self.reads.borrow_mut().files = true;
        &self.files
    }

    fn set_var(&mut self, name: &str, mut value: String) {
        if self.vars.len() >= MAX_VARS && !self.vars.contains_key(name) {
            return;
        }
        truncate(&mut value, MAX_VALUE);
        self.charge(value.len());
        self.vars.insert(name.to_string(), value);
    }

    /// Expands words into fields: unquoted expansions split on blanks.
    fn expand(&mut self, words: &[Word]) -> Result<Vec<String>, Flow> {
        let mut fields = Vec::new();
        for w in words {
            // Every word and every field split off costs a step: a split of a huge value
            // ends the run, not the page.
            if !self.step() {
                return Err(Flow::Stop);
            }
            let mut cur: Option<String> = None;
            for part in &w.0 {
                // `"$@"`: each positional parameter a field of its own (none, without any).
                if let Part::Param(p, true) = part {
                    if p.name == "@" && p.op == ParamOp::Plain {
                        for (k, v) in self.params.clone().into_iter().enumerate() {
                            self.charge(v.len());
                            if !self.step() {
                                return Err(Flow::Stop);
                            }
                            if k > 0 {
                                fields.extend(cur.take());
                            }
                            cur.get_or_insert_with(String::new).push_str(&v);
                        }
                        continue;
                    }
                }
                let (text, split) = self.part(part)?;
                self.charge(text.len());
                if self.steps > self.budget {
                    return Err(Flow::Stop);
                }
                if !split {
                    let c = cur.get_or_insert_with(String::new);
                    c.push_str(&text);
                    truncate(c, MAX_VALUE);
                    continue;
                }
                if text.starts_with(char::is_whitespace) {
                    fields.extend(cur.take());
                }
                let mut pieces = text.split_whitespace().peekable();
                while let Some(p) = pieces.next() {
                    let c = cur.get_or_insert_with(String::new);
                    c.push_str(p);
                    truncate(c, MAX_VALUE);
                    if pieces.peek().is_some() {
                        fields.extend(cur.take());
                        if !self.step() {
                            return Err(Flow::Stop);
                        }
                    }
                }
                if text.ends_with(char::is_whitespace) {
                    fields.extend(cur.take());
                }
            }
            // `"$@"` without parameters is no field at all, quotes or not.
            let at = w.0.iter().any(
                |p| matches!(p, Part::Param(p, true) if p.name == "@" && p.op == ParamOp::Plain),
            );
            if at && self.params.is_empty() && cur.as_deref() == Some("") {
                cur = None;
            }
            fields.extend(cur);
        }
        Ok(fields)
    }

    /// A word expanded without splitting: assignments, redirection targets, `${V:-word}`.
    fn expand_whole(&mut self, w: &Word) -> Result<String, Flow> {
        let mut text = String::new();
        for part in &w.0 {
            text.push_str(&self.part(part)?.0);
            truncate(&mut text, MAX_VALUE);
        }
        Ok(text)
    }

    /// A word expanded as a pattern: quoted and escaped characters, and quoted expansions,
    /// match themselves (their `*`, `?`, `[` and `\\` escaped for [`glob::Pattern`]).
    fn pattern_text(&mut self, w: &Word) -> Result<String, Flow> {
        let mut text = String::new();
        for part in &w.0 {
            let (piece, literal) = match part {
                Part::Lit(s) => (s.clone(), false),
                Part::Quoted(s) => (s.clone(), true),
                other => {
                    let (piece, split) = self.part(other)?;
                    (piece, !split)
                }
            };
            if literal {
                for c in piece.chars() {
                    if matches!(c, '*' | '?' | '[' | ']' | '\\') {
                        text.push('\\');
                    }
                    text.push(c);
                }
            } else {
                text.push_str(&piece);
            }
            truncate(&mut text, MAX_VALUE);
        }
        Ok(text)
    }

    /// One part's text, and whether it is split into fields (an unquoted expansion).
    fn part(&mut self, part: &Part) -> Result<(String, bool), Flow> {
        Ok(match part {
            Part::Lit(s) | Part::Quoted(s) => (s.clone(), false),
            Part::Param(p, q) => (self.param(p)?, !q),
            Part::Arith(e, q) => {
                self.steps = self.steps.saturating_add(e.len() / 16);
                // Parameters and commands inside are expanded first, as in double quotes.
                let text = if e.contains("$(") || e.contains("${") || e.contains('`') {
                    let quoted: Vec<char> =
                        format!("\"{}\"", e.replace('"', "\\\"")).chars().collect();
                    match read_word(&quoted, 0) {
                        Ok((w, _)) => self.expand_whole(&w)?,
                        Err(_) => e.clone(),
                    }
                } else {
                    e.clone()
                };
                // ash's `ash_arith`: an error is printed and ends the shell.
                (self.arith_or_exit(&text)?.to_string(), !q)
            }
            Part::Subst(s, q) => {
                let out = self.substitute(s)?;
                (out.trim_end_matches('\n').to_string(), !q)
            }
        })
    }

    fn param(&mut self, p: &Param) -> Result<String, Flow> {
        let value = self.var(&p.name);
        let set = |colon: bool| value.as_ref().is_some_and(|v| !(colon && v.is_empty()));
        // The word after the operator; as a pattern, what was quoted in it stays literal.
        let word_as = |sh: &mut Shell, pattern: bool| sh.param_word(&p.word, pattern);
        let word = |sh: &mut Shell| word_as(sh, false);
        Ok(match p.op {
            ParamOp::Plain => value.unwrap_or_default(),
            ParamOp::Length => value.map_or(0, |v| v.chars().count()).to_string(),
            ParamOp::Default(colon) if !set(colon) => word(self)?,
            ParamOp::Assign(colon) if !set(colon) => {
                let w = word(self)?;
                if is_name(&p.name) {
                    self.set_var(&p.name, w.clone());
                }
                w
            }
            ParamOp::Alternative(colon) if set(colon) => word(self)?,
            ParamOp::Alternative(_) => String::new(),
            // ash's `varunset`: the shell prints why and ends with status 2.
            ParamOp::Error(colon) if !set(colon) => {
                let w = word(self)?;
                let why = match (w.is_empty(), colon) {
                    (false, _) => w,
                    (true, true) => "parameter not set or null".into(),
                    (true, false) => "parameter not set".into(),
                };
                self.print_err(&format!("sh: {}: {why}\n", p.name));
                return Err(Flow::Exit(2));
            }
            ParamOp::Trim { suffix, longest } => {
                let value = value.unwrap_or_default();
                let pattern = glob::Pattern::new(&word_as(self, true)?);
                let mut chars: Vec<char> = value.chars().collect();
                // A suffix is a prefix of the value read backwards.
                let pattern = if suffix {
                    chars.reverse();
                    pattern.reversed()
                } else {
                    pattern
                };
                self.steps = self
                    .steps
                    .saturating_add(chars.len().saturating_mul(pattern.cost()) / 64);
                if self.steps > self.budget {
                    return Ok(String::new());
                }
                let fits = pattern.prefixes(&chars);
                let cut = if longest {
                    fits.iter().rposition(|f| *f)
                } else {
                    fits.iter().position(|f| *f)
                }
                .unwrap_or(0);
                let mut rest: Vec<char> = chars.split_off(cut);
                if suffix {
                    rest.reverse();
                }
                rest.into_iter().collect()
            }
            ParamOp::Substring => {
                let chars: Vec<char> = value.unwrap_or_default().chars().collect();
                let spec = word(self)?;
                let (from, len) = match spec.split_once(':') {
                    Some((f, l)) => (f.to_string(), Some(l.to_string())),
                    None => (spec.clone(), None),
                };
                let n = chars.len() as i64;
                let from = self.arith_or_exit(&from)?;
                // An offset back past the start gives nothing, as in busybox and bash.
                let start = match from {
                    f if f < 0 && n + f < 0 => n,
                    f if f < 0 => n + f,
                    f => f.min(n),
                };
                // A negative length counts back from the end.
                let end = match len {
                    None => n,
                    Some(l) => match self.arith_or_exit(&l)? {
                        l if l < 0 => (n + l).max(start),
                        l => start.saturating_add(l).min(n),
                    },
                };
                chars[start as usize..end as usize].iter().collect()
            }
            ParamOp::Replace { all } => {
                let value = value.unwrap_or_default();
                // The pattern ends at the first `/` of the word as written, before any
                // expansion (busybox: `v=a; a=a/; echo ${v/$a/r}` prints `a`).
                let (pattern, with) = match pattern_end(&p.word) {
                    Some(i) => (
                        self.param_word(&p.word[..i], true)?,
                        self.param_word(&p.word[i + 1..], false)?,
                    ),
                    None => (self.param_word(&p.word, true)?, String::new()),
                };
                let pattern = glob::Pattern::new(&pattern);
                let chars: Vec<char> = value.chars().collect();
                let cost = chars.len().saturating_mul(chars.len());
                self.charge(cost.saturating_mul(pattern.cost()) / 64);
                if self.steps > self.budget {
                    return Ok(value);
                }
                replace(&chars, &pattern, &with, all)
            }
            _ => value.unwrap_or_default(),
        })
    }

    /// The word of a parameter expansion (`raw`, as written after the operator), which runs
    /// to the closing brace, blanks included; as a pattern, what was quoted in it stays
    /// literal.
    fn param_word(&mut self, raw: &str, pattern: bool) -> Result<String, Flow> {
        let sh = self;
        sh.steps = sh.steps.saturating_add(raw.len() / 16);
        if sh.depth >= MAX_DEPTH || sh.steps > sh.budget {
            return Ok(String::new());
        }
        // The word runs to the closing brace, blanks included.
        let chars: Vec<char> = raw.chars().collect();
        let mut text = String::new();
        let mut i = 0;
        sh.depth += 1;
        while i < chars.len() {
            if chars[i].is_whitespace() {
                text.push(chars[i]);
                i += 1;
                continue;
            }
            match read_word(&chars, i) {
                Ok((w, next)) if next > i => {
                    let part = if pattern {
                        sh.pattern_text(&w)
                    } else {
                        sh.expand_whole(&w)
                    };
                    match part {
                        Ok(part) => text.push_str(&part),
                        Err(flow) => {
                            sh.depth -= 1;
                            return Err(flow);
                        }
                    }
                    i = next;
                }
                _ => {
                    text.extend(&chars[i..]);
                    break;
                }
            }
        }
        sh.depth -= 1;
        Ok(text)
    }

    /// An arithmetic expression's value, or the shell's end with ash's message.
    fn arith_or_exit(&mut self, expr: &str) -> Result<i64, Flow> {
        arith::eval(expr, self).map_err(|message| {
            self.print_err(&format!("sh: {message}\n"));
            Flow::Exit(2)
        })
    }

    /// Runs `$(script)` in a subshell and returns what it printed; time it sleeps passes as
    /// in a real shell.
    fn substitute(&mut self, script: &str) -> Result<String, Flow> {
        // Parsing costs in proportion to the text, so a loop cannot re-parse for free.
        self.steps = self.steps.saturating_add(script.len() / 16);
        let node = match parse(script) {
            Ok(n) => n,
            Err(e) => {
                self.print_err(&format!("sh: syntax error: {e}\n"));
                self.status = 2;
                return Ok(String::new());
            }
        };
        self.capture.push(String::new());
        let flow = self.subshell(&node);
        let out = self.capture.pop().unwrap_or_default();
        match flow {
            Flow::Stop => Err(Flow::Stop),
            _ => Ok(out),
        }
    }

    /// Runs `node` as a child process would: its variables and `exit` stay inside.
    fn subshell(&mut self, node: &Node) -> Flow {
        let size: usize = self.vars.values().map(String::len).sum();
        self.charge(size);
        let (vars, exported, loops, errexit) = (
            self.vars.clone(),
            self.exported.clone(),
            self.loops,
            self.errexit,
        );
        let (params, functions, traps) = (
            self.params.clone(),
            self.functions.clone(),
            self.traps.clone(),
        );
        // A signal goes to the shell itself, which takes it once the subshell is done.
        let term_at = self.term_at.take();
        self.loops = 0;
        // The subshell's jobs are its own children: the shell cannot wait for them, and
        // they run on as orphans when it ends.
        let (jobs, last_job) = (std::mem::take(&mut self.jobs), self.last_job);
        self.subshells += 1;
        let flow = self.exec(node);
        self.subshells -= 1;
        let orphans = std::mem::replace(&mut self.jobs, jobs);
        self.retire(orphans);
        self.last_job = last_job;
        self.vars = vars;
        self.exported = exported;
        self.loops = loops;
        self.errexit = errexit;
        (self.params, self.functions, self.traps) = (params, functions, traps);
        self.term_at = term_at;
        match flow {
            Flow::Exit(code) => {
                self.status = code;
                Flow::Normal
            }
            Flow::Stop => Flow::Stop,
            _ => Flow::Normal,
        }
    }

    /// SIGTERM has arrived: its trap runs; without one the shell, which runs as the
    /// container's process 1, ignores it (the kernel gives process 1 no default action).
    fn signalled(&mut self) -> Flow {
        self.term_at = None;
        self.run_trap(15)
    }

    /// `trap [ACTION] SIGNAL…`: set (an empty action ignores the signal), reset with `-`
    /// or a number first, list with no operand.
    fn trap(&mut self, args: &[String]) -> Flow {
        let args: Vec<&str> = args
            .iter()
            .map(String::as_str)
            .skip_while(|a| *a == "--")
            .collect();
        self.status = 0;
        let Some((first, rest)) = args.split_first() else {
            let text: String = self
                .traps
                .iter()
                .map(|(sig, action)| format!("trap -- '{}' {sig}\n", action.replace('\'', "'\\''")))
                .collect();
            self.print(&text);
            return Flow::Normal;
        };
        // `-`, a number first or a lone operand: the conditions go back to their default.
        let (action, signals) = if *first == "-" {
            (None, rest)
        } else if rest.is_empty()
            || (!first.is_empty() && first.bytes().all(|b| b.is_ascii_digit()))
        {
            (None, &args[..])
        } else {
            (Some(*first), rest)
        };
        for sig in signals {
            match signal_name(sig) {
                Some(name) => {
                    match action {
                        Some(a) => self.traps.insert(name.to_string(), a.to_string()),
                        None => self.traps.remove(name),
                    };
                }
                None => {
                    // busybox's wording, line number and all, for a `-c` script.
                    self.print_err(&format!(
                        "sh: trap: line 0: {sig}: invalid signal specification\n"
                    ));
                    self.status = 1;
                }
            }
        }
        Flow::Normal
    }

    /// Runs a trap's text as a script in this shell.
    fn run_text(&mut self, text: &str) -> Flow {
        self.steps = self.steps.saturating_add(text.len() / 16);
        match parse(text) {
            Ok(node) => self.exec(&node),
            Err(message) => {
                self.print_err(&format!("sh: syntax error: {message}\n"));
                Flow::Exit(2)
            }
        }
    }

    fn exec(&mut self, node: &Node) -> Flow {
        if !self.step() {
            return Flow::Stop;
        }
        // A signal is taken between commands: a foreground `sleep` finishes first.
        if self.term_at.is_some_and(|t| self.clock >= t) {
            match self.signalled() {
                Flow::Normal => {}
                flow => return flow,
            }
        }
        while let Some(flow) = self.take_pending() {
            if !matches!(flow, Flow::Normal) {
                return flow;
            }
        }
        if self.depth >= MAX_DEPTH {
            self.print_err("sh: nested too deeply\n");
            return Flow::Exit(2);
        }
        self.depth += 1;
        let flow = self.exec_node(node);
        self.depth -= 1;
        flow
    }

    /// Runs a condition: `set -e` does not act inside it.
    fn condition(&mut self, node: &Node) -> Flow {
        self.conditions += 1;
        let flow = self.exec(node);
        self.conditions -= 1;
        flow
    }

    fn exec_node(&mut self, node: &Node) -> Flow {
        match node {
            Node::Seq(items) => {
                for item in items {
                    match self.exec(item) {
                        Flow::Normal => {}
                        other => return other,
                    }
                    let checked = !matches!(item, Node::Not(_) | Node::AndOr(..));
                    if self.errexit && self.conditions == 0 && checked && self.status != 0 {
                        return Flow::Exit(self.status);
                    }
                }
                Flow::Normal
            }
            Node::AndOr(first, rest) => {
                let mut flow = self.condition(first);
                for (i, (and, next)) in rest.iter().enumerate() {
                    if !matches!(flow, Flow::Normal) {
                        return flow;
                    }
                    if (self.status == 0) != *and {
                        continue;
                    }
                    flow = if i + 1 == rest.len() {
                        self.exec(next)
                    } else {
                        self.condition(next)
                    };
                    // The chain's last command is subject to `set -e`.
                    if i + 1 == rest.len()
                        && matches!(flow, Flow::Normal)
                        && self.errexit
                        && self.conditions == 0
                        && self.status != 0
                    {
                        return Flow::Exit(self.status);
                    }
                }
                flow
            }
            Node::Not(a) => {
                let flow = self.condition(a);
                self.status = i64::from(self.status == 0);
                flow
            }
            Node::Pipe(cmds) => {
                // Each command runs in a subshell and reads what the one before it wrote.
                let last = cmds.len() - 1;
                let mut input = None;
                for (i, c) in cmds.iter().enumerate() {
                    self.stdin = input.take();
                    if i < last {
                        self.capture.push(String::new());
                    }
                    let flow = self.subshell(c);
                    if i < last {
                        input = self.capture.pop();
                    }
                    self.stdin = None;
                    if let Flow::Stop = flow {
                        return Flow::Stop;
                    }
                }
                Flow::Normal
            }
            Node::Group(body, subshell, redirects) => self.redirected(redirects, |sh| {
                if *subshell {
                    sh.subshell(body)
                } else {
                    sh.exec(body)
                }
            }),
            Node::Background(job) => self.background(job),
            Node::Function(name, body) => {
                if self.functions.len() < MAX_VARS || self.functions.contains_key(name) {
                    self.functions
                        .insert(name.clone(), std::rc::Rc::clone(body));
                }
                self.status = 0;
                Flow::Normal
            }
            Node::Case(word, arms) => {
                let value = match self.expand_whole(word) {
                    Ok(v) => v,
                    Err(f) => return f,
                };
                for (patterns, body) in arms {
                    for p in patterns {
                        if !self.step() {
                            return Flow::Stop;
                        }
                        let pattern = match self.pattern_text(p) {
                            Ok(p) => glob::Pattern::new(&p),
                            Err(f) => return f,
                        };
                        self.charge(value.len().saturating_mul(pattern.cost()));
                        if self.steps > self.budget {
                            return Flow::Stop;
                        }
                        if pattern.matches(&value) {
                            self.status = 0;
                            return self.exec(body);
                        }
                    }
                }
                self.status = 0;
                Flow::Normal
            }
            Node::If {
                branches,
                otherwise,
            } => {
                for (cond, body) in branches {
                    match self.condition(cond) {
                        Flow::Normal => {}
                        other => return other,
                    }
                    if self.status == 0 {
                        return self.exec(body);
                    }
                }
                self.status = 0;
                match otherwise {
                    Some(body) => self.exec(body),
                    None => Flow::Normal,
                }
            }
            Node::Loop {
                cond,
                body,
                until,
                endless,
            } => {
                if self.endless_stops && *endless && !self.errexit {
                    // Nothing is printed in this run, and the loop can never end.
                    return Flow::Stop;
                }
                self.status = 0;
                self.loops += 1;
                let flow = loop {
                    if !self.step() {
                        break Flow::Stop;
                    }
                    let last = self.status;
                    match self.condition(cond) {
                        Flow::Normal => {}
                        other => break other,
                    }
                    if (self.status == 0) == *until {
                        self.status = last;
                        break Flow::Normal;
                    }
                    match self.turn(body) {
                        Some(flow) => break flow,
                        None => continue,
                    }
                };
                self.loops -= 1;
                flow
            }
            Node::For { var, words, body } => {
                let items = match self.expand(words) {
                    Ok(i) => i,
                    Err(f) => return f,
                };
                self.status = 0;
                self.loops += 1;
                let mut flow = Flow::Normal;
                for item in items {
                    if !self.step() {
                        flow = Flow::Stop;
                        break;
                    }
                    self.set_var(var, item);
                    if let Some(f) = self.turn(body) {
                        flow = f;
                        break;
                    }
                }
                self.loops -= 1;
                flow
            }
            Node::Simple {
                assigns,
                words,
                redirects,
            } => {
                let argv = match self.expand(words) {
                    Ok(a) => a,
                    Err(f) => return f,
                };
                for (name, w) in assigns {
                    match self.expand_whole(w) {
                        Ok(v) => self.set_var(name, v),
                        Err(f) => return f,
                    }
                }
                if argv.is_empty() {
                    self.status = 0;
                    return self.redirected(redirects, |_| Flow::Normal);
                }
                self.redirected(redirects, |sh| sh.builtin(&argv))
            }
        }
    }

    /// Runs a function with its arguments as the positional parameters.
    fn call(&mut self, body: &Node, args: &[String]) -> Flow {
        let saved = std::mem::replace(&mut self.params, args.to_vec());
        let loops = std::mem::take(&mut self.loops);
        let flow = self.exec(body);
        self.params = saved;
        self.loops = loops;
        match flow {
            Flow::Return(code) => {
                self.status = code;
                Flow::Normal
            }
            other => other,
        }
    }

    /// One turn of a loop body: `None` to go on, or how the loop ends.
    fn turn(&mut self, body: &Node) -> Option<Flow> {
        match self.exec(body) {
            Flow::Normal | Flow::Continue(1) => None,
            Flow::Break(1) => Some(Flow::Normal),
            Flow::Break(n) => Some(Flow::Break(n - 1)),
            Flow::Continue(n) => Some(Flow::Continue(n - 1)),
            other => Some(other),
        }
    }

    /// Runs `f` with its output sent where `redirects` say, left to right (`>f 2>&1` sends
    /// both to `f`; `2>&1 >f` only stdout).
    fn redirected(&mut self, redirects: &[Redirect], f: impl FnOnce(&mut Shell) -> Flow) -> Flow {
        let base = self.capture.len();
        let mut sink: Option<Sink> = None;
        let mut err = self.err;
        for r in redirects {
            let target = match self.expand_whole(&r.target) {
                Ok(t) => t,
                Err(flow) => return flow,
            };
            // Where stdout goes at this point of the list, as an `err` level.
            let stdout_level = match sink {
                None => Some(base),
                Some(Sink::Stderr) => err,
                Some(_) => Some(base + 1),
            };
            match (r.fd, r.op) {
                (1, RedirectOp::Out | RedirectOp::Append) => {
                    sink = Some(match target.as_str() {
                        "/dev/null" => Sink::Null,
                        "/dev/stderr" | "/proc/1/fd/2" | "/proc/self/fd/2" => Sink::Stderr,
                        "/dev/stdout" | "/proc/1/fd/1" | "/proc/self/fd/1" => continue,
                        path if self.files.len() >= MAX_FILES && !self.files.contains_key(path) => {
                            Sink::Null
                        }
                        path => {
                            self.files.entry(path.to_string()).or_default();
                            Sink::File(path.to_string(), r.op == RedirectOp::Append)
                        }
                    })
                }
                (2, RedirectOp::Out | RedirectOp::Append) => {
                    err = match target.as_str() {
                        "/dev/stdout" | "/proc/1/fd/1" | "/proc/self/fd/1" => stdout_level,
                        _ => None,
                    }
                }
                (2, RedirectOp::Dup) if target == "1" => err = stdout_level,
                (1, RedirectOp::Dup) if target == "2" => sink = Some(Sink::Stderr),
                (1 | 2, RedirectOp::Dup) if target == "-" => {
                    if r.fd == 1 {
                        sink = Some(Sink::Null);
                    } else {
                        err = None;
                    }
                }
                _ => {}
            }
        }
        let saved = std::mem::replace(&mut self.err, err);
        let Some(sink) = sink else {
            let flow = f(self);
            self.err = saved;
            return flow;
        };
        self.capture.push(String::new());
        let flow = f(self);
        let text = self.capture.pop().unwrap_or_default();
        self.err = saved;
        match sink {
            Sink::Null => {}
            Sink::Stderr => self.print_err(&text),
            Sink::File(path, append_to) => {
                self.charge(text.len());
                let file = self.files.entry(path).or_default();
                if !append_to {
                    file.clear();
                }
                append(file, &text);
            }
        }
        flow
    }

    fn builtin(&mut self, argv: &[String]) -> Flow {
        // `exec CMD`, `command CMD`, `env A=1 CMD`…: the command after them runs as if
        // given alone, and after `exec` the shell ends with it.
        let mut argv = argv;
        let mut replaces = false;
        while let Some((first, rest)) = argv.split_first() {
            let name = first.rsplit('/').next().unwrap_or("");
            let skip = match name {
                "exec" | "command" | "nohup" | "busybox" | "time" => 1,
                "env" => {
                    1 + rest
                        .iter()
                        .take_while(|a| a.contains('=') || a.starts_with('-'))
                        .count()
                }
                _ => break,
            };
            if skip > rest.len() {
                break;
            }
            replaces |= name == "exec";
            argv = &argv[skip..];
        }
        let flow = self.command(argv);
        match flow {
            Flow::Normal if replaces => Flow::Exit(self.status),
            flow => flow,
        }
    }

    fn command(&mut self, argv: &[String]) -> Flow {
        let Some(first) = argv.first() else {
            return Flow::Normal;
        };
        if let Some(body) = self.functions.get(first).cloned() {
            return self.call(&body, &argv[1..]);
        }
        let name = first.rsplit('/').next().unwrap_or("");
        let args = &argv[1..];
        let last_status = self.status;
        self.status = 0;
        match name {
            "return" => {
                return Flow::Return(match args.first() {
                    None => last_status,
                    Some(a) => a.parse::<i64>().map_or(2, |c| c.rem_euclid(256)),
                })
            }
            "echo" => {
                let (newline, escapes, words) = builtins::echo_flags(args);
                let mut text = words.join(" ");
                if escapes {
                    let (t, stop) = builtins::unescape(&text);
                    text = t;
                    if stop {
                        self.print(&text);
                        return Flow::Normal;
                    }
                }
                if newline {
                    text.push('\n');
                }
                self.print(&text);
            }
            "printf" => {
                let text = builtins::printf(args);
                self.print(&text);
            }
            "sleep" => {
                let mut total: u64 = 0;
                for a in args {
                    match builtins::sleep_ms(a) {
                        Some(ms) => total = total.saturating_add(ms),
                        None => {
                            self.print_err(&format!("sleep: invalid number '{a}'\n"));
                            self.status = 1;
                            return Flow::Normal;
                        }
                    }
                }
                return self.wait(total);
            }
            "tail"
                if args
                    .iter()
                    .any(|a| a == "-f" || a == "-F" || a.starts_with("--follow")) =>
            {
                return self.wait(u64::MAX);
            }
            "trap" => return self.trap(args),
            "wait" => return self.wait_jobs(args),
            "kill" => return self.kill(args),
            "shift" => {
                let n = args.first().map_or(Some(1), |a| a.parse::<usize>().ok());
                match n.filter(|n| *n <= self.params.len()) {
                    Some(n) => {
                        self.params.drain(..n);
                    }
                    // busybox fails quietly.
                    None => self.status = 1,
                }
            }
            "exit" => {
                let code = match args.first() {
                    None => last_status,
                    Some(a) => a.parse::<i64>().map_or(2, |c| c.rem_euclid(256)),
                };
                return Flow::Exit(code);
            }
            "break" | "continue" => {
                if self.loops == 0 {
                    return Flow::Normal;
                }
                let n = args
                    .first()
                    .and_then(|a| a.parse::<usize>().ok())
                    .unwrap_or(1)
                    .clamp(1, self.loops);
                return if name == "break" {
                    Flow::Break(n)
                } else {
                    Flow::Continue(n)
                };
            }
            "true" | ":" | "exec" => {}
            "false" => self.status = 1,
            "set" => {
                let mut i = 0;
                while let Some(a) = args.get(i) {
                    i += 1;
                    // `set -- a b` (or words after the options) sets the positional
                    // parameters.
                    if a == "--" || !(a.starts_with('-') || a.starts_with('+')) {
                        let from = if a == "--" { i } else { i - 1 };
                        self.params = args[from..].iter().take(MAX_VARS).cloned().collect();
                        break;
                    }
                    if let Some(flags) = a.strip_prefix('-') {
                        self.errexit |= flags.contains('e');
                    } else if let Some(flags) = a.strip_prefix('+') {
                        self.errexit &= !flags.contains('e');
                    }
                    // `-o NAME` (`-euo pipefail`) takes the next word as the option's name.
                    if a.contains('o') {
                        if args.get(i).is_some_and(|n| n == "errexit") {
                            self.errexit = a.starts_with('-');
                        }
                        i += 1;
                    }
                }
            }
            "date" => {
                self.reads.borrow_mut().clock = true;
                let now = self.started.plus_ms(self.clock);
                let format = args.iter().find_map(|a| a.strip_prefix('+'));
                let text = date(now, format.unwrap_or("%a %b %e %H:%M:%S UTC %Y"));
                self.print(&format!("{text}\n"));
            }
            "hostname" => {
                let h = self.var("HOSTNAME").unwrap_or_default();
                self.print(&format!("{h}\n"));
            }
            "printenv" | "env" if name == "env" || args.is_empty() => {
                self.reads.borrow_mut().all_vars = true;
                let mut text = String::new();
                for k in &self.exported {
                    if let Some(v) = self.vars.get(k) {
                        text.push_str(&format!("{k}={v}\n"));
                    }
                }
                for a in args {
                    if let Some((k, v)) = a.split_once('=') {
                        text.push_str(&format!("{k}={v}\n"));
                    }
                }
                self.print(&text);
            }
            "printenv" => {
                let mut found = true;
                for k in args {
                    let value = self.exported.contains(k).then(|| self.var(k)).flatten();
                    match value {
                        Some(v) => self.print(&format!("{v}\n")),
                        None => found = false,
                    }
                }
                self.status = i64::from(!found);
            }
            "export" | "readonly" | "local" => {
                for a in args {
                    let (k, v) = match a.split_once('=') {
                        Some((k, v)) => (k, Some(v)),
                        None => (a.as_str(), None),
                    };
                    if !is_name(k) {
                        continue;
                    }
                    if let Some(v) = v {
                        self.set_var(k, v.to_string());
                    }
                    if name == "export" && !self.exported.iter().any(|e| e == k) {
                        self.exported.push(k.to_string());
                    }
                }
            }
            "unset" => {
                for a in args {
                    self.vars.remove(a);
                    self.exported.retain(|e| e != a);
                }
            }
            "test" | "[" => {
                let mut args: Vec<&str> = args.iter().map(String::as_str).collect();
                if name == "[" {
                    if args.last() != Some(&"]") {
                        self.print_err("sh: missing ]\n");
                        self.status = 2;
                        return Flow::Normal;
                    }
                    args.pop();
                }
                // Only the file tests look at files.
                let files = if args.iter().any(|a| {
                    a.len() == 2 && a.starts_with('-') && "efdsrwxLhpSbcgkuGO".contains(&a[1..])
                }) {
                    self.read_files()
                } else {
                    &self.files
                };
                self.status = match builtins::test(&args, files) {
                    Some(true) => 0,
                    Some(false) => 1,
                    None => 2,
                };
            }
            "touch" => {
                for a in args.iter().filter(|a| !a.starts_with('-')) {
                    if self.files.len() < MAX_FILES || self.files.contains_key(a) {
                        self.files.entry(a.clone()).or_default();
                    }
                }
            }
            "rm" => {
                let force = args.iter().any(|f| f.starts_with('-') && f.contains('f'));
                for a in args.iter().filter(|a| !a.starts_with('-')) {
                    if self.mounts.contains(a) && self.files.contains_key(a) {
                        // Secrets and projected volumes are mounted read-only; the files
                        // the kubelet manages in /etc are bind mounts.
                        let why = if a.starts_with("/var/run/secrets/") {
                            "Read-only file system"
                        } else {
                            "Resource busy"
                        };
                        self.print_err(&format!("rm: can't remove '{a}': {why}\n"));
                        self.status = 1;
                    } else if self.files.remove(a).is_none() && !force {
                        self.print_err(&format!(
                            "rm: can't remove '{a}': No such file or directory\n"
                        ));
                        self.status = 1;
                    }
                }
            }
            "cat" | "tee" => {
                let files: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
                if name == "tee" || files.is_empty() {
                    let input = self.stdin.clone().unwrap_or_default();
                    if name == "tee" {
                        let append_to = args.iter().any(|a| a == "-a");
                        for f in files {
                            if self.files.len() >= MAX_FILES && !self.files.contains_key(f) {
                                continue;
                            }
                            self.charge(input.len());
                            let file = self.files.entry(f.clone()).or_default();
                            if !append_to {
                                file.clear();
                            }
                            append(file, &input);
                        }
                    }
                    self.print(&input);
                    return Flow::Normal;
                }
                for a in files {
                    match self.read_files().get(a).cloned() {
                        Some(text) => self.print(&text),
                        None => {
                            self.print_err(&format!(
                                "cat: can't open '{a}': No such file or directory\n"
                            ));
                            self.status = 1;
                        }
                    }
                }
            }
            "seq" => {
                let nums: Vec<i64> = args.iter().filter_map(|a| a.parse().ok()).collect();
                let (first, step, last) = match nums.as_slice() {
                    [last] => (1, 1, *last),
                    [first, last] => (*first, 1, *last),
                    [first, step, last] => (*first, *step, *last),
                    _ => (1, 1, 0),
                };
                let mut text = String::new();
                let mut i = Some(first);
                while let Some(n) = i {
                    if step == 0 || (step > 0 && n > last) || (step < 0 && n < last) {
                        break;
                    }
                    if !self.step() || text.len() >= MAX_VALUE {
                        break;
                    }
                    text.push_str(&format!("{n}\n"));
                    i = n.checked_add(step);
                }
                self.print(&text);
            }
            "wget" => return self.wget(args),
            "curl" => return self.curl(args),
            "nslookup" => return self.nslookup(args),
            "grep" => return self.grep(args),
            "egrep" | "fgrep" => {
                let mut with_flag = vec![if name == "egrep" { "-E" } else { "-F" }.to_string()];
                with_flag.extend(args.iter().cloned());
                return self.grep(&with_flag);
            }
            "wc" => return self.wc(args),
            "sort" => return self.sort(args),
            "uniq" => return self.uniq(args),
            "head" | "tail" => return self.head_tail(name == "tail", args),
            // Anything else (`nginx`, `mkdir`…) runs without a visible effect.
            _ => {}
        }
        Flow::Normal
    }

    /// Lets `ms` of the container's clock pass; `u64::MAX` waits forever.
    fn wait(&mut self, ms: u64) -> Flow {
        let end = self.clock.checked_add(ms).filter(|t| *t < u64::MAX);
        if end.is_none_or(|t| t > self.horizon) {
            // Past the horizon the run is cut; past the end of time it waits forever.
            self.cut |= end.is_some();
            self.clock = self.horizon;
            return Flow::Stop;
        }
        self.clock = self.clock.saturating_add(ms);
        Flow::Normal
    }
}

/// A loop condition that cannot fail: `true`, `:`, `[ 1 ]`, `sleep N`.
pub(crate) fn always_true(cond: &Node) -> bool {
    let Node::Seq(items) = cond else {
        return false;
    };
    let [Node::Simple {
        assigns,
        words,
        redirects,
    }] = items.as_slice()
    else {
        return false;
    };
    if !assigns.is_empty() || !redirects.is_empty() {
        return false;
    }
    let plain: Vec<Option<&str>> = words.iter().map(Word::plain).collect();
    let sleeps =
        matches!(plain.as_slice(), [Some("sleep"), Some(n)] if builtins::sleep_ms(n).is_some());
    sleeps
        || matches!(
            plain.as_slice(),
            [Some("true" | ":")] | [Some("["), Some(_), Some("]")] | [Some("test"), Some(_)]
        ) && plain.iter().all(|w| w.is_some_and(|w| !w.is_empty()))
}

/// Whether a loop body may leave its loop: `break`, `exit`, `exec` or `return` anywhere in
/// it, or a command whose name is not plain text.
pub(crate) fn leaves(node: &Node) -> bool {
    match node {
        Node::Simple { words, .. } => words.first().is_some_and(|w| {
            w.plain().is_none_or(|x| {
                // `kill` may signal the shell, whose trap may end it.
                matches!(x, "break" | "exit" | "return" | "exec" | "set" | "kill")
            })
        }),
        Node::Seq(items) | Node::Pipe(items) => items.iter().any(leaves),
        Node::AndOr(first, rest) => leaves(first) || rest.iter().any(|(_, n)| leaves(n)),
        Node::Not(a) | Node::Group(a, _, _) => leaves(a),
        // A job's `exit` or `break` ends the job, not the loop that started it.
        Node::Background(_) => false,
        Node::Loop { cond, body, .. } => leaves(cond) || leaves(body),
        Node::For { body, .. } => leaves(body),
        Node::Case(_, arms) => arms.iter().any(|(_, b)| leaves(b)),
        // A function defined in a loop may be what ends it.
        Node::Function(..) => true,
        Node::If {
            branches,
            otherwise,
        } => {
            branches.iter().any(|(c, b)| leaves(c) || leaves(b))
                || otherwise.as_deref().is_some_and(leaves)
        }
    }
}

#[cfg(test)]
mod tests;
