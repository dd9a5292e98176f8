//! Job control: `COMMAND &`, `wait`, `kill` and `$!`, as busybox's `ash` has them, and the
//! signals the shell (the container's process 1) sends itself.
//!
//! A job runs as a subshell the moment it starts, to its end or the horizon, on a clock of
//! its own that starts at the shell's; the shell then goes on from that moment. Jobs draw on
//! steps and output bytes of their own (all jobs together at most twice the shell's steps
//! and as many bytes as the shell may write), so a job that runs on cannot starve the shell.
//! What a job prints joins the log when `wait` finds it done (before what the shell prints
//! next) or when the shell ends, in order of time, cut where a signal ended the job or where
//! the shell ended. The files a job writes are seen by the shell from the moment the job
//! starts, and its output into `$(…)`, a pipe or `kubectl exec`'s streams comes at once.
//!
//! A signal sent to process 1 from a subshell or a job waits for the shell itself: its trap
//! runs between the shell's commands once the shell's clock reaches the moment it was sent,
//! or interrupts a `wait`.

use super::{signal_number, Flow, Node, Shell, MAX_LINES, SIGNALS};

/// Jobs one shell keeps at once; ended ones make room when it is full.
const MAX_JOBS: usize = 1000;
/// Signals sent to process 1 that wait to be taken, at most (more are dropped).
const MAX_PENDING: usize = 10_000;
/// The exit status of a command a signal ended: 128 plus the signal's number.
const SIGNALLED: i64 = 128;

/// A job the shell started.
#[derive(Debug, Clone)]
pub(super) struct Job {
    pid: u64,
    /// What it printed and has not joined the log yet, with the ms of the shell's clock at
    /// which each line was completed.
    lines: Vec<(u64, String)>,
    /// When it ended and with which status; `None` while it runs at the horizon, or forever.
    end: Option<(u64, i64)>,
    /// The signal `kill` ended it with.
    signal: Option<usize>,
    /// `wait` has reported its status.
    reaped: bool,
}

impl Job {
    fn running_at(&self, t: u64) -> bool {
        self.end.is_none_or(|(end, _)| end > t)
    }

    /// Its lines up to `t`, taken out of the job; none past its end.
    fn take_lines_to(&mut self, t: u64) -> Vec<(u64, String)> {
        let end = match (self.end, self.signal) {
            // A line of the very moment a signal killed it is not written.
            (Some((end, _)), Some(_)) => end.saturating_sub(1),
            (Some((end, _)), None) => end,
            (None, _) => u64::MAX,
        };
        let cut = t.min(end);
        let n = self.lines.iter().take_while(|(at, _)| *at <= cut).count();
        let taken: Vec<_> = self.lines.drain(..n).collect();
        if self.end.is_some_and(|(end, _)| end <= t) {
            self.lines.clear();
        }
        taken
    }
}

/// How `ash` reports a job a signal ended, when `wait` is the one to find it (`strsignal`;
/// nothing for SIGINT and SIGPIPE).
fn describe(signal: usize) -> Option<&'static str> {
    Some(match *SIGNALS.get(signal)? {
        "HUP" => "Hangup",
        "QUIT" => "Quit",
        "ILL" => "Illegal instruction",
        "TRAP" => "Trace/breakpoint trap",
        "ABRT" => "Aborted",
        "BUS" => "Bus error",
        "FPE" => "Floating point exception",
        "KILL" => "Killed",
        "USR1" => "User defined signal 1",
        "SEGV" => "Segmentation fault",
        "USR2" => "User defined signal 2",
        "ALRM" => "Alarm clock",
        "TERM" => "Terminated",
        "STKFLT" => "Stack fault",
        "XCPU" => "CPU time limit exceeded",
        "XFSZ" => "File size limit exceeded",
        "VTALRM" => "Virtual timer expired",
        "PROF" => "Profiling timer expired",
        "POLL" => "I/O possible",
        "PWR" => "Power failure",
        "SYS" => "Bad system call",
        _ => return None,
    })
}

impl Shell<'_> {
    /// `COMMAND &`: runs the job through, then takes the clock back to when it started.
    pub(super) fn background(&mut self, node: &Node) -> Flow {
        if !self.make_room() {
            // As with every other limit, the run stops here.
            return Flow::Stop;
        }
        let clock = self.clock;
        self.next_pid += 1;
        let pid = self.next_pid;
        let out = std::mem::take(&mut self.out);
        let partial = std::mem::take(&mut self.partial);
        // A job of the shell itself counts on the jobs' steps and bytes; one a job starts
        // shares its parent's.
        let outer = (!self.in_job).then(|| {
            let budget = (self.job_steps + self.budget).min(2 * self.budget);
            (
                std::mem::replace(&mut self.steps, self.job_steps),
                std::mem::replace(&mut self.budget, budget),
                std::mem::replace(&mut self.written, self.job_written),
            )
        });
        self.in_job = true;
        if outer.is_some() {
            self.job_pid = pid;
        }
        let flow = self.subshell(node);
        if let Some((steps, budget, written)) = outer {
            self.in_job = false;
            self.job_pid = 0;
            self.job_steps = std::mem::replace(&mut self.steps, steps).min(self.budget);
            self.budget = budget;
            self.job_written = std::mem::replace(&mut self.written, written);
        }
        let end = match flow {
            Flow::Stop => None,
            _ => Some((self.clock, self.status)),
        };
        if end.is_some() && !self.partial.is_empty() {
            let line = std::mem::take(&mut self.partial);
            self.push_line(line);
        }
        let lines = std::mem::replace(&mut self.out, out).into();
        self.partial = partial;
        self.clock = clock;
        self.last_job = Some(pid);
        self.jobs.push(Job {
            pid,
            lines,
            end,
            signal: None,
            reaped: false,
        });
        self.status = 0;
        Flow::Normal
    }

    /// Keeps the job table under [`MAX_JOBS`]: jobs that have ended leave it, their lines
    /// kept for the log. False when every job still runs.
    fn make_room(&mut self) -> bool {
        if self.jobs.len() < MAX_JOBS {
            return true;
        }
        self.steps = self.steps.saturating_add(self.jobs.len() / 16);
        let now = self.clock;
        let (ended, running): (Vec<Job>, Vec<Job>) = std::mem::take(&mut self.jobs)
            .into_iter()
            .partition(|j| !j.running_at(now));
        self.jobs = running;
        self.retire(ended);
        self.jobs.len() < MAX_JOBS
    }

    /// Keeps the lines of jobs that leave the table (ended, or a subshell's orphans).
    pub(super) fn retire(&mut self, jobs: Vec<Job>) {
        if jobs.is_empty() {
            return;
        }
        for mut job in jobs {
            let lines = job.take_lines_to(u64::MAX);
            self.retired.extend(lines);
        }
        // Sorted (and the oldest dropped) only now and then; `all_lines` sorts them all.
        if self.retired.len() > 2 * MAX_LINES {
            crate::order::sort_by_key(&mut self.retired, |(t, _)| *t);
            self.retired.drain(..self.retired.len() - MAX_LINES);
        }
    }

    /// `wait [-n] [PID|%N]…`: waits for the jobs named, for the next one to end (`-n`), or
    /// for all; returns at once, with 128 plus the signal's number, when a signal the shell
    /// traps arrives first (the trap then runs).
    pub(super) fn wait_jobs(&mut self, args: &[String]) -> Flow {
        let next = args.first().is_some_and(|a| a == "-n");
        let targets: Vec<Option<usize>> = if next {
            // The unreported job that ends first.
            let first = (0..self.jobs.len())
                .filter(|i| !self.jobs[*i].reaped)
                .min_by_key(|i| self.jobs[*i].end.map_or(u64::MAX, |(t, _)| t));
            match first {
                Some(i) => vec![Some(i)],
                None => {
                    self.status = 127;
                    return Flow::Normal;
                }
            }
        } else if args.is_empty() {
            vec![None]
        } else {
            args.iter().map(|a| Some(self.job_index(a))).collect()
        };
        for target in targets {
            self.steps = self.steps.saturating_add(self.jobs.len() / 16);
            if !self.step() {
                return Flow::Stop;
            }
            let until = match target {
                // All jobs: the last of them to end.
                None => self
                    .jobs
                    .iter()
                    .try_fold(self.clock, |t, j| j.end.map(|(end, _)| t.max(end))),
                Some(i) => match self.jobs.get(i) {
                    Some(job) => job.end.map(|(end, _)| end.max(self.clock)),
                    None => {
                        self.status = 127;
                        continue;
                    }
                },
            };
            if let Some((t, signal)) = self
                .next_trapped_signal()
                .filter(|(t, _)| until.is_none_or(|u| *t < u))
            {
                let flow = self.wait(t.saturating_sub(self.clock));
                if matches!(flow, Flow::Normal) {
                    self.status = SIGNALLED + signal as i64;
                }
                return flow;
            }
            let Some(until) = until else {
                return self.wait(u64::MAX);
            };
            let reported = target.and_then(|i| self.jobs.get(i)).and_then(|j| {
                let (end, status) = j.end?;
                let fresh = end == self.clock;
                Some((status, j.signal.filter(|_| fresh).and_then(describe)))
            });
            match self.wait(until - self.clock) {
                Flow::Normal => {}
                flow => return flow,
            }
            self.flush_jobs();
            self.status = 0;
            match target.and_then(|i| self.jobs.get_mut(i)) {
                Some(job) => job.reaped = true,
                None => self.jobs.iter_mut().for_each(|j| j.reaped = true),
            }
            if let Some((status, said)) = reported {
                self.status = status;
                if let Some(said) = said {
                    self.print_err(&format!("{said}\n"));
                }
            }
        }
        Flow::Normal
    }

    /// What the jobs printed up to now joins the log, before what the shell prints next.
    fn flush_jobs(&mut self) {
        let now = self.clock;
        let mut lines: Vec<(u64, String)> = Vec::new();
        for job in &mut self.jobs {
            lines.extend(job.take_lines_to(now));
        }
        let Some(first) = lines.iter().map(|(t, _)| *t).min() else {
            return;
        };
        // The shell's own lines from that moment on, then the jobs', in order of time.
        let mut tail: Vec<(u64, String)> = Vec::new();
        while self.out.back().is_some_and(|(t, _)| *t >= first) {
            tail.extend(self.out.pop_back());
        }
        tail.reverse();
        tail.extend(lines);
        crate::order::sort_by_key(&mut tail, |(t, _)| *t);
        for line in tail {
            if self.out.len() == MAX_LINES {
                self.out.pop_front();
            }
            self.out.push_back(line);
        }
    }

    /// The earliest signal the shell has a trap for and has not taken: the kubelet's
    /// SIGTERM, or one sent to process 1 from inside; when, and its number.
    fn next_trapped_signal(&self) -> Option<(u64, usize)> {
        // A subshell's or a job's `wait` is not the shell's.
        if self.subshells > 0 {
            return None;
        }
        let trapped = |sig: usize| {
            SIGNALS
                .get(sig)
                .and_then(|s| self.traps.get(*s))
                .is_some_and(|a| !a.is_empty())
        };
        let term = self.term_at.filter(|_| trapped(15)).map(|t| (t, 15));
        // The earliest, among the first few (a flood of signals the shell ignores would
        // otherwise be read on every `wait`).
        let sent = self
            .pending
            .iter()
            .take(64)
            .find(|(_, sig, _)| trapped(*sig))
            .map(|(t, sig, _)| (*t, *sig));
        term.into_iter().chain(sent).min_by_key(|(t, _)| *t)
    }

    /// Takes the first signal sent to process 1 that is due by now, if the shell itself
    /// (not a subshell) is running: its trap runs, or nothing happens without one.
    pub(super) fn take_pending(&mut self) -> Option<Flow> {
        if self.subshells > 0 {
            return None;
        }
        let now = self.clock;
        let (t, signal, _) = *self.pending.first().filter(|(t, _, _)| *t <= now)?;
        // Like the kernel, one delivery stands for every time the signal was sent by now.
        let due: Vec<(u64, usize, u64)> = self
            .pending
            .range((t, 0, 0)..=(now, usize::MAX, u64::MAX))
            .filter(|(_, s, _)| *s == signal)
            .copied()
            .collect();
        for entry in due {
            self.pending.remove(&entry);
        }
        Some(self.run_trap(signal))
    }

    /// Runs the trap for `signal`, the status kept as it was; nothing without one (process
    /// 1 has no default action for a signal).
    pub(super) fn run_trap(&mut self, signal: usize) -> Flow {
        let action = SIGNALS
            .get(signal)
            .and_then(|s| self.traps.get(*s))
            .filter(|a| !a.is_empty())
            .cloned();
        match action {
            Some(action) => {
                let status = self.status;
                let flow = self.run_text(&action);
                self.status = status;
                flow
            }
            None => Flow::Normal,
        }
    }

    /// The job `%N` or a process ID names; past the end of the table when none.
    fn job_index(&self, arg: &str) -> usize {
        let found = match arg.strip_prefix('%') {
            Some(n) => n.parse::<usize>().ok().and_then(|n| n.checked_sub(1)),
            None => arg
                .parse::<u64>()
                .ok()
                .and_then(|pid| self.jobs.iter().position(|j| j.pid == pid)),
        };
        found.unwrap_or(usize::MAX)
    }

    /// `kill [-SIGNAL | -s SIGNAL] PID|%N…`: ends a running job; a signal to the shell
    /// itself (`$$`, process 1) runs its trap once the shell takes it, and is ignored
    /// without one; `-1` and `0` reach every job (and the shell).
    pub(super) fn kill(&mut self, args: &[String]) -> Flow {
        self.status = 0;
        let mut signal = 15;
        let mut rest = args;
        if let Some((first, more)) = args.split_first() {
            let named = match first.as_str() {
                "-l" => return self.list_signals(more),
                "-s" | "-n" => match more.split_first() {
                    Some((sig, after)) => {
                        rest = after;
                        Some(sig.as_str())
                    }
                    None => None,
                },
                "--" => {
                    rest = more;
                    None
                }
                f if f.starts_with('-') && f.len() > 1 => {
                    rest = more;
                    Some(&f[1..])
                }
                _ => None,
            };
            if let Some(name) = named {
                match signal_number(name) {
                    Some(n) => signal = n,
                    None => {
                        self.print_err(&format!("sh: bad signal name '{name}'\n"));
                        self.status = 1;
                        return Flow::Normal;
                    }
                }
            }
        }
        if rest.is_empty() {
            self.print_err("sh: you need to specify whom to kill\n");
            self.status = 1;
            return Flow::Normal;
        }
        for target in rest {
            self.steps = self.steps.saturating_add(self.jobs.len() / 16);
            if !self.step() {
                return Flow::Stop;
            }
            let now = self.clock;
            match target.parse::<i64>() {
                Ok(-1..=1) => {
                    if target != "1" {
                        let ended: Vec<u64> = self
                            .jobs
                            .iter_mut()
                            .filter(|j| j.running_at(now))
                            .filter_map(|job| end_job(job, signal, now))
                            .collect();
                        for pid in ended {
                            self.forget_signals_of(pid, now);
                        }
                    }
                    if signal != 0 && self.pending.len() < MAX_PENDING {
                        self.pending.insert((now, signal, self.job_pid));
                    }
                    continue;
                }
                Err(_) if !target.starts_with('%') => {
                    self.print_err(&format!("sh: invalid number '{target}'\n"));
                    self.status = 1;
                    continue;
                }
                _ => {}
            }
            let i = self.job_index(target);
            match self.jobs.get_mut(i).filter(|j| j.running_at(now)) {
                Some(job) => {
                    if let Some(pid) = end_job(job, signal, now) {
                        self.forget_signals_of(pid, now);
                    }
                }
                None => {
                    let pid = target.trim_start_matches('%');
                    self.print_err(&format!("sh: can't kill pid {pid}: No such process\n"));
                    self.status = 1;
                }
            }
        }
        Flow::Normal
    }

    /// A job killed at `now` sends nothing after that.
    fn forget_signals_of(&mut self, pid: u64, now: u64) {
        self.pending
            .retain(|(t, _, from)| *from != pid || *t <= now);
    }

    /// `kill -l [SIGNAL…]`: the signals with their numbers, or each one's name or number
    /// (an exit status above 128 names the signal that caused it).
    fn list_signals(&mut self, args: &[String]) -> Flow {
        let mut text = String::new();
        if args.is_empty() {
            for (n, s) in SIGNALS.iter().enumerate().skip(1) {
                text.push_str(&format!("{n:2}) {s}\n"));
            }
        }
        for a in args {
            let number = a
                .parse::<usize>()
                .ok()
                .map(|n| n.checked_sub(128).unwrap_or(n));
            match (number.and_then(|n| SIGNALS.get(n)), signal_number(a)) {
                (Some(name), _) => text.push_str(&format!("{name}\n")),
                (None, Some(n)) if number.is_none() => text.push_str(&format!("{n}\n")),
                _ => {
                    self.print(&text);
                    self.print_err(&format!("sh: unknown signal '{a}'\n"));
                    self.status = 1;
                    return Flow::Normal;
                }
            }
        }
        self.print(&text);
        Flow::Normal
    }

    /// The log's lines with every job's merged in by time, each job's cut where it was
    /// killed and all of them where the shell ended: `exit` is when it did.
    pub(super) fn all_lines(&mut self, exit: Option<u64>) -> Vec<(u64, String)> {
        let mut lines: Vec<(u64, String)> = std::mem::take(&mut self.out).into();
        let jobs = std::mem::take(&mut self.jobs);
        if jobs.is_empty() && self.retired.is_empty() {
            return lines;
        }
        lines.append(&mut self.retired);
        for mut job in jobs {
            lines.extend(job.take_lines_to(u64::MAX));
        }
        crate::order::sort_by_key(&mut lines, |(t, _)| *t);
        if let Some(exit) = exit {
            lines.retain(|(t, _)| *t <= exit);
        }
        if lines.len() > MAX_LINES {
            lines.drain(..lines.len() - MAX_LINES);
        }
        lines
    }
}

/// A signal reaches a running job: `0` only asks; a signal a process ignores by default
/// (`CHLD`, `CONT`, `URG`, `WINCH`), a job ignores (`QUIT`, as a non-interactive shell's
/// jobs do) or that only stops it changes nothing here.
/// Returns the job's process ID when the signal ended it.
fn end_job(job: &mut Job, signal: usize, now: u64) -> Option<u64> {
    if matches!(
        SIGNALS.get(signal),
        Some(
            &("EXIT"
                | "QUIT"
                | "CHLD"
                | "CONT"
                | "URG"
                | "WINCH"
                | "STOP"
                | "TSTP"
                | "TTIN"
                | "TTOU")
        )
    ) {
        return None;
    }
    job.end = Some((now, SIGNALLED + signal as i64));
    job.signal = Some(signal);
    Some(job.pid)
}
