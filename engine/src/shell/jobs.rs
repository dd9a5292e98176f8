//! Job control: `COMMAND &`, `wait`, `kill` and `$!`, as busybox's `ash` has them.
//!
//! A job runs as a subshell the moment it starts, to its end or the horizon, on a clock of
//! its own that starts at the shell's; the shell then goes on from that moment. What the job
//! prints is merged into the log by time when the shell ends, and cut where a signal ended
//! the job or where the shell (the container's process 1) ended. Files the job writes are
//! seen by the shell from the moment the job starts.

use super::{signal_number, Flow, Node, Shell, MAX_LINES, SIGNALS};

/// Jobs one shell keeps at once; ended ones make room when it is full.
const MAX_JOBS: usize = 1000;
/// The exit status of a command a signal ended: 128 plus the signal's number.
const SIGNALLED: i64 = 128;

/// A job the shell started.
#[derive(Debug, Clone)]
pub(super) struct Job {
    pub(super) pid: u64,
    /// What it printed, with the ms of the shell's clock at which each line was completed.
    lines: Vec<(u64, String)>,
    /// When it ended and with which status; `None` while it runs at the horizon, or forever.
    end: Option<(u64, i64)>,
    /// The signal `kill` ended it with.
    signal: Option<usize>,
}

impl Job {
    fn running_at(&self, t: u64) -> bool {
        self.end.is_none_or(|(end, _)| end > t)
    }
}

/// How `ash` reports a job a signal ended, when `wait` is the one to find it.
fn describe(signal: usize) -> Option<&'static str> {
    match *SIGNALS.get(signal)? {
        "HUP" => Some("Hangup"),
        "KILL" => Some("Killed"),
        "TERM" => Some("Terminated"),
        _ => None,
    }
}

impl Shell<'_> {
    /// `COMMAND &`: runs the job through, then takes the clock back to when it started.
    pub(super) fn background(&mut self, node: &Node) -> Flow {
        if !self.make_room() {
            self.print_err("sh: can't fork: Resource temporarily unavailable\n");
            return Flow::Exit(2);
        }
        let clock = self.clock;
        let out = std::mem::take(&mut self.out);
        let partial = std::mem::take(&mut self.partial);
        // The job's own jobs are its children, not the shell's.
        let jobs = std::mem::take(&mut self.jobs);
        let last = self.last_job.take();
        // Jobs draw on a budget of their own: one that runs on until it is used up is
        // cut there, and the shell still has its own steps.
        let steps = std::mem::replace(&mut self.steps, self.job_steps);
        let flow = self.subshell(node);
        self.job_steps = std::mem::replace(&mut self.steps, steps);
        let end = match flow {
            Flow::Stop => None,
            _ => Some((self.clock, self.status)),
        };
        if end.is_some() && !self.partial.is_empty() {
            let line = std::mem::take(&mut self.partial);
            self.push_line(line);
        }
        let mut lines: Vec<(u64, String)> = std::mem::replace(&mut self.out, out).into();
        // What the job's children print goes on after the job ends, as orphans do.
        let children = std::mem::replace(&mut self.jobs, jobs);
        merge(&mut lines, children);
        self.partial = partial;
        self.last_job = last;
        self.clock = clock;
        self.next_pid += 1;
        self.last_job = Some(self.next_pid);
        self.jobs.push(Job {
            pid: self.next_pid,
            lines,
            end,
            signal: None,
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
        let now = self.clock;
        let (ended, running): (Vec<Job>, Vec<Job>) = std::mem::take(&mut self.jobs)
            .into_iter()
            .partition(|j| !j.running_at(now));
        self.jobs = running;
        merge(&mut self.retired, ended);
        if self.retired.len() > MAX_LINES {
            self.retired.drain(..self.retired.len() - MAX_LINES);
        }
        self.jobs.len() < MAX_JOBS
    }

    /// `wait [PID|%N]…`: waits for the jobs named, or for all; returns at once, with 143,
    /// when a SIGTERM the shell traps arrives first (the trap then runs).
    pub(super) fn wait_jobs(&mut self, args: &[String]) -> Flow {
        let targets: Vec<Option<usize>> = if args.is_empty() {
            vec![None]
        } else {
            args.iter().map(|a| Some(self.job_index(a))).collect()
        };
        for target in targets {
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
            let trapped = self.traps.get("TERM").is_some_and(|a| !a.is_empty());
            if let Some(t) = self
                .term_at
                .filter(|t| trapped && until.is_none_or(|u| *t < u))
            {
                let flow = self.wait(t.saturating_sub(self.clock));
                if matches!(flow, Flow::Normal) {
                    self.status = SIGNALLED + 15;
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
            self.status = 0;
            if let Some((status, said)) = reported {
                self.status = status;
                if let Some(said) = said {
                    self.print_err(&format!("{said}\n"));
                }
            }
        }
        Flow::Normal
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
    /// itself (`$$`, process 1) runs its trap, and is ignored without one.
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
        let mut to_self = false;
        for target in rest {
            let now = self.clock;
            match target.parse::<u64>() {
                Ok(0 | 1) => {
                    to_self = true;
                    if target == "0" {
                        // The process group: the shell and every job.
                        for job in self.jobs.iter_mut().filter(|j| j.running_at(now)) {
                            end_job(job, signal, now);
                        }
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
                Some(job) => end_job(job, signal, now),
                None => {
                    let pid = target.trim_start_matches('%');
                    self.print_err(&format!("sh: can't kill pid {pid}: No such process\n"));
                    self.status = 1;
                }
            }
        }
        match SIGNALS.get(signal).and_then(|s| self.traps.get(*s)) {
            Some(action) if to_self && signal != 0 && !action.is_empty() => {
                let (action, status) = (action.clone(), self.status);
                let flow = self.run_text(&action);
                self.status = status;
                flow
            }
            _ => Flow::Normal,
        }
    }

    /// `kill -l [SIGNAL…]`: the signals with their numbers, or each one's name or number.
    fn list_signals(&mut self, args: &[String]) -> Flow {
        let text: String = if args.is_empty() {
            SIGNALS
                .iter()
                .enumerate()
                .skip(1)
                .map(|(n, s)| format!("{n:2}) {s}\n"))
                .collect()
        } else {
            args.iter()
                .map(|a| match (a.parse::<usize>(), signal_number(a)) {
                    (Ok(n), _) => format!("{}\n", SIGNALS.get(n).copied().unwrap_or(a)),
                    (Err(_), Some(n)) => format!("{n}\n"),
                    (Err(_), None) => format!("{a}\n"),
                })
                .collect()
        };
        self.print(&text);
        Flow::Normal
    }

    /// The log's lines with every job's merged in by time, each job's cut where it was
    /// killed and all of them where the shell ended: `exit` is when it did.
    pub(super) fn all_lines(&mut self, exit: Option<u64>) -> Vec<(u64, String)> {
        let mut lines: Vec<(u64, String)> = std::mem::take(&mut self.out).into();
        if self.jobs.is_empty() && self.retired.is_empty() {
            return lines;
        }
        lines.append(&mut self.retired);
        merge(&mut lines, std::mem::take(&mut self.jobs));
        if let Some(exit) = exit {
            lines.retain(|(t, _)| *t <= exit);
        }
        if lines.len() > MAX_LINES {
            lines.drain(..lines.len() - MAX_LINES);
        }
        lines
    }
}

/// A signal reaches a running job: a signal the shell's commands ignore by default
/// (`CHLD`, `CONT`, `URG`, `WINCH`) or only stop on changes nothing; `0` only asks.
fn end_job(job: &mut Job, signal: usize, now: u64) {
    if matches!(
        SIGNALS.get(signal),
        Some(&("EXIT" | "CHLD" | "CONT" | "URG" | "WINCH" | "STOP" | "TSTP" | "TTIN" | "TTOU"))
    ) {
        return;
    }
    job.end = Some((now, SIGNALLED + signal as i64));
    job.signal = Some(signal);
}

/// Adds the jobs' lines, each cut at its end, and puts all in order of time; at the same
/// moment the lines already there come first.
fn merge(lines: &mut Vec<(u64, String)>, jobs: Vec<Job>) {
    for job in jobs {
        let end = job.end.map_or(u64::MAX, |(t, _)| t);
        lines.extend(job.lines.into_iter().filter(|(t, _)| *t <= end));
    }
    crate::order::sort_by_key(lines, |(t, _)| *t);
}
