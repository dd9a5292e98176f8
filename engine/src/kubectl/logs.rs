//! `kubectl logs`: prints what a container wrote, read from the kubelet through the API
//! server, for a pod, the pod kubectl picks for a Deployment, ReplicaSet or Service, or every
//! pod a selector matches; `-f` follows the log as simulated time passes (kubectl's logs.go
//! and logsforobject.go, the kubelet's `validateContainerLogStatus`).

use super::args::{self, flag, Args, Flag};
use super::resources::Kind;
use super::watch::Watch;
use crate::api::core::Pod;
use crate::api::meta::{parse_label_selector, LabelSelector};
use crate::command::Output;
use crate::controllers::kubelet::logs;
use crate::sim::Sim;
use crate::store::key;
use crate::time::{parse_rfc3339, Time, SECOND};

const FLAGS: &[Flag] = &[
    flag("follow", Some('f'), false),
    flag("previous", Some('p'), false),
    flag("container", Some('c'), true),
    flag("all-containers", None, false),
    flag("all-pods", None, false),
    flag("timestamps", None, false),
    flag("tail", None, true),
    flag("since", None, true),
    flag("since-time", None, true),
    flag("limit-bytes", None, true),
    flag("prefix", None, false),
    flag("selector", Some('l'), true),
    flag("max-log-requests", None, true),
    flag("ignore-errors", None, false),
    flag("pod-running-timeout", None, true),
    flag("insecure-skip-tls-verify-backend", None, false),
];

const USAGE: &str = "logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]";

/// How the lines of one container are printed.
#[derive(Debug, Clone, PartialEq)]
struct Options {
    previous: bool,
    timestamps: bool,
    tail: Option<usize>,
    since: Option<Time>,
    limit_bytes: Option<usize>,
    prefix: bool,
    ignore_errors: bool,
}

/// One container of one pod whose log is printed.
#[derive(Debug, Clone, PartialEq)]
struct Source {
    ns: String,
    pod: String,
    uid: String,
    container: String,
}

/// How far ahead a followed run's log is worked out at once.
const LOOK_AHEAD: u64 = 3_600 * SECOND;

/// One stream `kubectl logs -f` follows: a container's run, the last line printed (its time
/// and how many lines of that instant were printed), the run's lines worked out up to
/// `cached_until`, and the bytes `--limit-bytes` still allows.
#[derive(Debug, Clone, PartialEq)]
struct Follow {
    source: Source,
    run: Time,
    mark: (Option<Time>, usize),
    cache: Vec<(Time, String)>,
    cached_until: Time,
    /// What the cache was worked out on (`logs::basis`).
    basis: (Option<Time>, u64),
    bytes_left: Option<usize>,
}

/// `kubectl logs -f`: the streams still open.
#[derive(Debug, Clone, PartialEq)]
pub struct LogsWatch {
    opts: Options,
    open: Vec<Follow>,
    /// When a followed run writes its next line.
    next: Option<Time>,
}

pub fn run(sim: &mut Sim, rest: &[String]) -> (Output, Option<Watch>) {
    match start(sim, rest) {
        Ok((out, Some(w))) if !w.open.is_empty() => (out, Some(Watch::Logs(Box::new(w)))),
        Ok((out, _)) => (out, None),
        Err(out) => (out, None),
    }
}

fn usage_error(message: &str) -> Output {
    Output::err(format!(
        "error: {message}\nSee 'kubectl logs -h' for help and examples\n"
    ))
}

fn start(sim: &Sim, rest: &[String]) -> Result<(Output, Option<LogsWatch>), Output> {
    let a = args::parse(rest, FLAGS).map_err(|e| super::flag_error("logs", &e))?;
    if a.bool("help") {
        return Err(Output::ok(
            super::help::command_help("logs").unwrap_or_default(),
        ));
    }
    let usage = format!(
        "expected '{USAGE}'.\nPOD or TYPE/NAME is a required argument for the logs command"
    );
    let selector = a.get("selector").filter(|s| !s.is_empty());
    let (object, inline_container) = match (a.positional.as_slice(), selector) {
        ([], None) => return Err(usage_error(&usage)),
        ([], Some(_)) => (None, None),
        ([_], Some(_)) => return Err(usage_error("only a selector (-l) or a POD name is allowed")),
        ([object], None) => (Some(object.as_str()), None),
        ([object, container], _) => (Some(object.as_str()), Some(container.as_str())),
        _ => return Err(usage_error(&usage)),
    };
    let timeout = a.get("pod-running-timeout").map(|t| {
        super::rollout::parse_duration(t)
            .map_err(|e| e.replace("--timeout", "--pod-running-timeout"))
    });
    match timeout {
        Some(Err(e)) => return Err(super::flag_error("logs", &e)),
        Some(Ok(0)) => {
            return Err(Output::err(
                "error: --pod-running-timeout must be higher than zero\n",
            ))
        }
        _ => {}
    }
    let opts = options(sim, &a, selector.is_some())?;
    let container = a.get("container").filter(|c| !c.is_empty());
    // Validate's checks, in its order, after Complete's.
    if a.bool("all-containers") {
        if let Some(c) = container.or(inline_container) {
            return Err(Output::err(format!(
                "error: --all-containers=true should not be specified with container name {c}\n"
            )));
        }
    }
    if container.is_some() && inline_container.is_some() {
        return Err(Output::err(
            "error: only one of -c or an inline [CONTAINER] arg is allowed\n",
        ));
    }
    let container = container.or(inline_container);
    let ns = a.namespace();
    let mut out = Output::default();
    let pods = match (object, selector) {
        (Some(object), _) => pick(sim, &ns, object, a.bool("all-pods"), &mut out)?,
        (None, Some(sel)) => {
            let sel =
                parse_label_selector(sel).map_err(|e| Output::err(format!("error: {e}\n")))?;
            let pods = matching(sim, &ns, &sel);
            if pods.is_empty() {
                out.stderr
                    .push_str(&format!("No resources found in {ns} namespace.\n"));
                return Ok((out, None));
            }
            pods
        }
        (None, None) => return Err(usage_error(&usage)),
    };
    let opts = Options {
        prefix: opts.prefix || a.bool("all-pods"),
        ..opts
    };
    let mut sources = Vec::new();
    for p in &pods {
        sources.extend(containers(
            p,
            container,
            a.bool("all-containers"),
            &mut out,
        )?);
    }
    let max = match a.get("max-log-requests") {
        None => 5,
        Some(m) => m.parse::<usize>().map_err(|_| {
            super::flag_error(
                "logs",
                &format!("invalid argument {m:?} for \"--max-log-requests\" flag: strconv.ParseInt: parsing {m:?}: invalid syntax"),
            )
        })?,
    };
    if a.bool("follow") && sources.len() > 1 && sources.len() > max {
        return Err(Output::err(format!(
            "error: you are attempting to follow {} log streams, but maximum allowed concurrency is {max}, use --max-log-requests to increase the limit\n",
            sources.len()
        )));
    }

    let mut watch = LogsWatch {
        opts,
        open: Vec::new(),
        next: None,
    };
    for s in sources {
        match first_read(sim, &watch.opts, s) {
            Ok((text, follow)) => {
                out.stdout.push_str(&text);
                watch.open.extend(follow);
            }
            Err(e) if watch.opts.ignore_errors => out.stdout.push_str(&format!("error: {e}\n")),
            Err(e) => {
                out.stderr.push_str(&format!("{e}\n"));
                out.exit_code = 1;
                return Err(out);
            }
        }
    }
    watch.plan(sim);
    Ok((out, a.bool("follow").then_some(watch)))
}

/// The flags that shape the output, with their errors in Complete's and Validate's order.
fn options(sim: &Sim, a: &Args, selector: bool) -> Result<Options, Output> {
    let since = match a.get("since") {
        None => None,
        Some(s) => {
            let (negative, text) = match s.strip_prefix('-') {
                Some(t) => (true, t),
                None => (false, s),
            };
            let ms = super::rollout::parse_duration(text)
                .map_err(|e| super::flag_error("logs", &e.replace("--timeout", "--since")))?;
            // Go durations stop at about 292 years.
            if ms > i64::MAX as u64 / 1_000_000 {
                return Err(super::flag_error(
                    "logs",
                    &format!(
                        "invalid argument {s:?} for \"--since\" flag: time: invalid duration {s:?}"
                    ),
                ));
            }
            // kubectl rounds to whole seconds; zero means no limit.
            let secs = ms.saturating_add(SECOND / 2) / SECOND;
            match (negative && ms > 0, secs) {
                (true, _) => Some(Err(())),
                (false, 0) => None,
                (false, s) => Some(Ok(Time(sim.now.0.saturating_sub(s * SECOND)))),
            }
        }
    };
    let since_time = match a.get("since-time").filter(|t| !t.is_empty()) {
        None => None,
        Some(t) => Some(parse_rfc3339(t).ok_or_else(|| {
            Output::err(format!(
                "error: parsing time {t:?} as \"2006-01-02T15:04:05Z07:00\": cannot parse {t:?} as \"2006\"\n"
            ))
        })?),
    };
    if since.is_some() && since_time.is_some() {
        return Err(Output::err(
            "error: at most one of `sinceTime` or `sinceSeconds` may be specified\n",
        ));
    }
    let int = |name: &str| -> Result<Option<i64>, Output> {
        a.int(name, 64)
            .transpose()
            .map_err(|e| super::flag_error("logs", &e))
    };
    let limit_bytes = int("limit-bytes")?;
    if limit_bytes.is_some_and(|b| b < 0) {
        return Err(Output::err("error: --limit-bytes must be greater than 0\n"));
    }
    let since = match since {
        Some(Err(())) => return Err(Output::err("error: --since must be greater than 0\n")),
        Some(Ok(t)) => Some(t),
        None => since_time,
    };
    let tail = int("tail")?;
    if tail.is_some_and(|t| t < -1) {
        return Err(Output::err(
            "error: --tail must be greater than or equal to -1\n",
        ));
    }
    // With a selector and no --tail, ten lines per container.
    let tail = match tail {
        None if selector => Some(10),
        None | Some(-1) => None,
        Some(t) => Some(usize::try_from(t).unwrap_or(usize::MAX)),
    };
    Ok(Options {
        previous: a.bool("previous"),
        timestamps: a.bool("timestamps"),
        tail,
        since,
        limit_bytes: limit_bytes
            .filter(|b| *b > 0)
            .map(|b| usize::try_from(b).unwrap_or(usize::MAX)),
        prefix: a.bool("prefix"),
        ignore_errors: a.bool("ignore-errors"),
    })
}

/// The pods a selector matches, in name order.
fn matching(sim: &Sim, ns: &str, sel: &LabelSelector) -> Vec<Pod> {
    sim.store
        .pods_in(ns)
        .filter(|p| sel.matches(&p.metadata.labels))
        .cloned()
        .collect()
}

/// What `POD` or `TYPE/NAME` names: a pod, or the pods a workload's or Service's selector
/// matches now.
pub(super) enum Target {
    Pod(Box<Pod>),
    Selected(Vec<Pod>),
}

/// Why a name picks no pod: the object is not there, or kubectl's own error.
pub(super) enum Missing {
    NotFound(Kind, String),
    Other(Output),
}

/// Resolves `POD` or `TYPE/NAME` as kubectl's `AttachablePodForObject` does; `verb` words
/// the error for a kind without pods (`get the logs from`, `attach to`).
pub(super) fn target(sim: &Sim, ns: &str, object: &str, verb: &str) -> Result<Target, Missing> {
    let (kind, name) = match object.split_once('/') {
        Some((t, n)) => (
            Kind::resolve(t).ok_or_else(|| {
                Missing::Other(Output::err(format!(
                    "error: the server doesn't have a resource type {t:?}\n"
                )))
            })?,
            n,
        ),
        None => (Kind::Pod, object),
    };
    let not_found = || Missing::NotFound(kind, name.to_string());
    let k = key(ns, name);
    let selector = match kind {
        Kind::Pod => {
            let p = sim.store.pods.get(&k).ok_or_else(not_found)?;
            return Ok(Target::Pod(Box::new(p.clone())));
        }
        Kind::Deployment => sim
            .store
            .deployments
            .get(&k)
            .ok_or_else(not_found)?
            .spec
            .selector
            .clone()
            .unwrap_or_default(),
        Kind::ReplicaSet => sim
            .store
            .replicasets
            .get(&k)
            .ok_or_else(not_found)?
            .spec
            .selector
            .clone(),
        Kind::Service => {
            let svc = sim.store.services.get(&k).ok_or_else(not_found)?;
            if svc.spec.selector.is_empty() {
                return Err(Missing::Other(Output::err(format!(
                    "error: invalid service '{name}': Service is defined without a selector\n"
                ))));
            }
            LabelSelector {
                match_labels: svc.spec.selector.clone(),
                ..Default::default()
            }
        }
        other => {
            // The Go type kubectl names: `*v1.Node`, `*v1.EndpointSlice`…
            let go_type = format!("*v1.{}", other.name());
            return Err(Missing::Other(Output::err(format!(
                "error: cannot {verb} {go_type}: selector for {go_type} not implemented\n"
            ))));
        }
    };
    Ok(Target::Selected(matching(sim, ns, &selector)))
}

/// The pod(s) of `POD` or `TYPE/NAME`: for a workload or Service, the first of its pods as
/// `podutils.ByLogging` orders them (or all of them with `--all-pods`).
fn pick(
    sim: &Sim,
    ns: &str,
    object: &str,
    all_pods: bool,
    out: &mut Output,
) -> Result<Vec<Pod>, Output> {
    let mut pods = match target(sim, ns, object, "get the logs from") {
        Ok(Target::Pod(p)) => return Ok(vec![*p]),
        Ok(Target::Selected(pods)) => pods,
        Err(Missing::NotFound(kind, name)) => {
            return Err(Output::err(format!(
                "error: error from server (NotFound): {} {name:?} not found in namespace {ns:?}\n",
                kind.group_resource()
            )))
        }
        Err(Missing::Other(out)) => return Err(out),
    };
    if pods.is_empty() {
        // kubectl waits --pod-running-timeout for a pod to appear; none can while it waits.
        return Err(Output::err("error: timed out waiting for the condition\n"));
    }
    crate::order::sort_by(&mut pods, |a, b| first_pod(a, b, true));
    if all_pods {
        return Ok(pods);
    }
    if pods.len() > 1 {
        out.stderr.push_str(&format!(
            "Found {} pods, using pod/{}\n",
            pods.len(),
            pods[0].metadata.name
        ));
    }
    pods.truncate(1);
    Ok(pods)
}

/// The pod kubectl picks first: on a node, Running before Unknown before Pending, ready,
/// ready the longest, then restarted the most for logs (`podutils.ByLogging`) or the least
/// for exec (`ActivePods`, reversed), then the oldest.
pub(super) fn first_pod(a: &Pod, b: &Pod, most_restarts: bool) -> std::cmp::Ordering {
    let assigned = |p: &Pod| p.spec.node_name.as_deref().is_some_and(|n| !n.is_empty());
    let phase = |p: &Pod| match p.status.phase.as_str() {
        "Unknown" => 1,
        "Pending" => 2,
        _ => 0,
    };
    let ready = |p: &Pod| {
        p.status
            .conditions
            .iter()
            .find(|c| c.type_ == "Ready" && c.status == "True")
            .map(|c| c.last_transition_time)
    };
    assigned(b)
        .cmp(&assigned(a))
        .then(phase(a).cmp(&phase(b)))
        .then(ready(b).is_some().cmp(&ready(a).is_some()))
        .then_with(|| match (ready(a).flatten(), ready(b).flatten()) {
            (Some(x), Some(y)) => x.cmp(&y),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        })
        .then(if most_restarts {
            b.max_restarts().cmp(&a.max_restarts())
        } else {
            a.max_restarts().cmp(&b.max_restarts())
        })
        .then(a.metadata.created().cmp(&b.metadata.created()))
}

/// The containers of a pod to read: `-c`, all of them, or the default one (the
/// `kubectl.kubernetes.io/default-container` annotation, else the first, named on stderr
/// when there is a choice).
fn containers(
    p: &Pod,
    container: Option<&str>,
    all: bool,
    out: &mut Output,
) -> Result<Vec<Source>, Output> {
    // Init containers first, as `podcmd.VisitContainers` lists them.
    let inits = p.spec.init_containers();
    let names: Vec<&str> = inits
        .iter()
        .chain(&p.spec.containers)
        .map(|c| c.name.as_str())
        .collect();
    let source = |c: &str| Source {
        ns: p.metadata.ns().to_string(),
        pod: p.metadata.name.clone(),
        uid: p.metadata.uid().to_string(),
        container: c.to_string(),
    };
    if all {
        return Ok(names.iter().map(|c| source(c)).collect());
    }
    let chosen = match container {
        Some(c) => c.to_string(),
        None => default_container(p, out),
    };
    if !names.contains(&chosen.as_str()) {
        return Err(Output::err(format!(
            "error: container {chosen} is not valid for pod {} out of: {}\n",
            p.metadata.name,
            names.join(", ")
        )));
    }
    Ok(vec![source(&chosen)])
}

/// The container kubectl picks when none is named: the one the
/// `kubectl.kubernetes.io/default-container` annotation names, else the first, named on
/// stderr when there was a choice (`podcmd.FindOrDefaultContainerByName`).
pub(super) fn default_container(p: &Pod, out: &mut Output) -> String {
    let names: Vec<&str> = p.spec.containers.iter().map(|c| c.name.as_str()).collect();
    let inits = p.spec.init_containers();
    let annotated = p
        .metadata
        .annotations
        .get("kubectl.kubernetes.io/default-container");
    if let Some(d) = annotated {
        if names.contains(&d.as_str()) || inits.iter().any(|c| c.name == *d) {
            return d.clone();
        }
        out.stderr.push_str(&format!(
            "Default container name {d:?} not found in pod {}\n",
            p.metadata.name
        ));
    }
    let first = names.first().copied().unwrap_or_default();
    if names.len() > 1 || !inits.is_empty() {
        // `podcmd.AllContainerNames`: the containers, then the init containers, marked.
        let all: Vec<String> = names
            .iter()
            .map(|n| n.to_string())
            .chain(inits.iter().map(|c| format!("{} (init)", c.name)))
            .collect();
        out.stderr.push_str(&format!(
            "Defaulted container {first:?} out of: {}\n",
            all.join(", ")
        ));
    }
    first.to_string()
}

/// The first read of a source: its log so far as kubectl prints it, and the stream to
/// follow unless that run is over (or `-p` reads a finished one).
fn first_read(sim: &Sim, opts: &Options, s: Source) -> Result<(String, Option<Follow>), String> {
    let p = pod(sim, &s)
        .ok_or_else(|| format!("Error from server (NotFound): pods {:?} not found", s.pod))?;
    if p.spec.node_name.is_none() {
        // The API server has no kubelet to ask: the log is empty.
        return Ok((String::new(), None));
    }
    if !logs::reachable(sim, p) {
        let ip = logs::kubelet_ip(sim, p);
        return Err(format!(
            "Error from server: Get \"https://{ip}:10250/containerLogs/{}/{}/{}\": dial tcp {ip}:10250: i/o timeout",
            s.ns, s.pod, s.container
        ));
    }
    let lines = logs::read(sim, p, &s.container, opts.previous)
        .map_err(|e| format!("Error from server (BadRequest): {e}"))?;
    let mark = mark_after(&lines);
    let mut shown: &[(Time, String)] = &lines;
    if let Some(n) = opts.tail {
        shown = &shown[shown.len().saturating_sub(n)..];
    }
    let shown: Vec<(Time, String)> = shown
        .iter()
        .filter(|(t, _)| opts.since.is_none_or(|since| *t >= since))
        .cloned()
        .collect();
    let mut bytes_left = opts.limit_bytes;
    let text = render(opts, &s, &shown, &mut bytes_left);
    let run = (!opts.previous)
        .then(|| logs::running_since(sim, p, &s.container))
        .flatten();
    let follow = run.map(|run| Follow {
        source: s,
        run,
        mark,
        cache: lines,
        cached_until: sim.now,
        basis: logs::basis(sim, p),
        bytes_left,
    });
    Ok((text, follow))
}

/// The mark after the last of `lines`: its time, and how many lines share that time.
fn mark_after(lines: &[(Time, String)]) -> (Option<Time>, usize) {
    match lines.last() {
        None => (None, 0),
        Some((t, _)) => (
            Some(*t),
            lines.iter().rev().take_while(|(u, _)| u == t).count(),
        ),
    }
}

/// Lines as kubectl prints them: the kubelet's timestamp, the stream's byte limit, then
/// kubectl's `[pod/NAME/CONTAINER] ` prefix.
fn render(
    opts: &Options,
    s: &Source,
    lines: &[(Time, String)],
    bytes_left: &mut Option<usize>,
) -> String {
    let mut text = String::new();
    for (t, line) in lines {
        let mut body = if opts.timestamps {
            format!("{} {line}\n", timestamp(*t))
        } else {
            format!("{line}\n")
        };
        if let Some(left) = bytes_left.as_mut() {
            if *left == 0 {
                break;
            }
            if body.len() > *left {
                let mut cut = *left;
                while !body.is_char_boundary(cut) {
                    cut -= 1;
                }
                body.truncate(cut);
            }
            *left -= body.len();
        }
        if opts.prefix {
            text.push_str(&format!("[pod/{}/{}] ", s.pod, s.container));
        }
        text.push_str(&body);
    }
    text
}

impl Follow {
    /// Works the run's log out again when `upto` passes what is known.
    fn refresh(&mut self, sim: &Sim, p: &Pod, upto: Time, running: bool) {
        let basis = logs::basis(sim, p);
        if upto <= self.cached_until && basis == self.basis {
            return;
        }
        self.basis = basis;
        let Some(c) = logs::container_of(p, &self.source.container) else {
            return;
        };
        let mut ahead = if running { LOOK_AHEAD } else { 0 };
        loop {
            let until = upto.plus_ms(ahead);
            self.cache = logs::output(sim, p, &c, self.run, until);
            self.cached_until = until;
            // A run that writes fast keeps only its latest lines: look less far ahead until
            // the lines right after the mark are still there.
            let lost = match (self.mark.0, self.cache.first()) {
                (Some(mark), Some((first, _))) => *first > mark,
                _ => false,
            };
            if !lost || ahead < 2 * SECOND {
                break;
            }
            ahead /= 2;
        }
    }

    /// The lines written after the mark, up to `upto`; the mark moves past them.
    fn fresh(&mut self, upto: Time) -> Vec<(Time, String)> {
        let (last, same) = self.mark;
        let mut seen_same = 0;
        let mut out = Vec::new();
        for (t, line) in self.cache.iter().filter(|(t, _)| *t <= upto) {
            match last {
                Some(l) if *t < l => continue,
                Some(l) if *t == l => {
                    seen_same += 1;
                    if seen_same <= same {
                        continue;
                    }
                }
                _ => {}
            }
            out.push((*t, line.clone()));
        }
        if let Some((t, _)) = out.last() {
            let at_t = out.iter().rev().take_while(|(u, _)| u == t).count();
            let before = if Some(*t) == last { same } else { 0 };
            self.mark = (Some(*t), before + at_t);
        }
        out
    }
}

impl LogsWatch {
    pub fn finished(&self) -> bool {
        self.open.is_empty()
    }

    /// When to poll even if the cluster does not change: a followed run's next line.
    pub fn wake_at(&self) -> Option<Time> {
        self.next.filter(|_| !self.finished())
    }

    /// Finds the next line any open stream writes, working logs out further when needed.
    fn plan(&mut self, sim: &Sim) {
        let now = sim.now;
        let mut next: Option<Time> = None;
        for f in &mut self.open {
            let Some(p) = pod(sim, &f.source) else {
                continue;
            };
            if f.cached_until <= now || f.basis != logs::basis(sim, p) {
                f.refresh(sim, p, now.plus_ms(1), true);
            }
            let due = f
                .cache
                .iter()
                .map(|(t, _)| *t)
                .find(|t| *t > now)
                .unwrap_or(f.cached_until);
            next = Some(next.map_or(due, |n| n.min(due)));
        }
        self.next = next;
    }

    /// Lines written since the last poll; a run that ended closes its stream.
    pub fn poll(&mut self, sim: &Sim) -> Output {
        let mut out = Output::default();
        let open = std::mem::take(&mut self.open);
        for mut f in open {
            let Some(p) = pod(sim, &f.source) else {
                continue;
            };
            if !logs::reachable(sim, p) {
                // The kubelet does not answer: the stream stalls.
                self.open.push(f);
                continue;
            }
            let ended = logs::ended(sim, p, &f.source.container, f.run);
            let upto = ended.unwrap_or(sim.now);
            f.refresh(sim, p, upto, ended.is_none());
            let fresh = f.fresh(upto);
            let text = render(&self.opts, &f.source, &fresh, &mut f.bytes_left);
            out.stdout.push_str(&text);
            if ended.is_none() && f.bytes_left != Some(0) {
                self.open.push(f);
            }
        }
        self.plan(sim);
        out
    }
}

fn pod<'a>(sim: &'a Sim, s: &Source) -> Option<&'a Pod> {
    sim.store
        .pods
        .get(&key(&s.ns, &s.pod))
        .filter(|p| p.metadata.uid() == s.uid)
}

/// The kubelet's `RFC3339NanoFixed`: nine fractional digits.
fn timestamp(t: Time) -> String {
    format!(
        "{}.{:03}000000Z",
        t.rfc3339().trim_end_matches('Z'),
        t.0 % SECOND
    )
}
