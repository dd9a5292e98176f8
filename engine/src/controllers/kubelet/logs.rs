//! Container logs: what each run of a container writes to its standard output and error,
//! as the kubelet keeps it and hands it to `kubectl logs` through the API server; and the
//! environment the container's process sees.
//!
//! Nothing is stored: a run's output follows from its program, its environment and its start
//! and end, so it is worked out when read. A shell image prints what its script echoes (the
//! `shell` module); other known images print the lines they really print when they start (nginx's
//! entrypoint and notices, the tutorials' bootcamp and hello-app, the database images'
//! refusal without a password); a scenario's own image prints its `log` lines. Requests
//! served are not logged.

use super::{node_up, program, run_process, Program};
use crate::api::core::{Container, ContainerStatus, Pod};
use crate::registry::{Behaviour, ImageRef};
use crate::shell;
use crate::sim::Sim;
use crate::time::{Time, SECOND};
use std::collections::BTreeMap;

/// Variables every container gets from the kubelet for the API server's own Service
/// (`enableServiceLinks`; other Services' variables are not modelled).
const KUBERNETES_SERVICE_ENV: &[(&str, &str)] = &[
    ("KUBERNETES_SERVICE_HOST", "10.96.0.1"),
    ("KUBERNETES_SERVICE_PORT", "443"),
    ("KUBERNETES_SERVICE_PORT_HTTPS", "443"),
    ("KUBERNETES_PORT", "tcp://10.96.0.1:443"),
    ("KUBERNETES_PORT_443_TCP", "tcp://10.96.0.1:443"),
    ("KUBERNETES_PORT_443_TCP_PROTO", "tcp"),
    ("KUBERNETES_PORT_443_TCP_PORT", "443"),
    ("KUBERNETES_PORT_443_TCP_ADDR", "10.96.0.1"),
];

/// The environment of a container's process: the image's `PATH`, the pod's `HOSTNAME`, the
/// container's `env` (literal values, `$(VAR)` references to earlier ones, and the pod fields
/// `fieldRef` can name), the Service variables, and `HOME`.
pub fn environment(sim: &Sim, p: &Pod, c: &Container, started: Time) -> shell::Env {
    let mut vars: Vec<(String, String)> = vec![
        (
            "PATH".into(),
            "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".into(),
        ),
        ("HOSTNAME".into(), p.metadata.name.clone()),
    ];
    let pod_ip = sim
        .kubelet
        .pods
        .get(p.metadata.uid())
        .and_then(|rt| rt.ip.clone())
        .unwrap_or_default();
    // `$(VAR)` resolves to earlier variables and the Service variables, not to the
    // image's PATH or the hostname.
    let mut lookup: BTreeMap<String, String> = KUBERNETES_SERVICE_ENV
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let mut index: BTreeMap<String, usize> = vars
        .iter()
        .enumerate()
        .map(|(i, (k, _))| (k.clone(), i))
        .collect();
    if let Some(serde_yaml::Value::Sequence(env)) = c.extra.get("env") {
        for e in env {
            let Some(name) = e.get("name").and_then(|n| n.as_str()) else {
                continue;
            };
            let value = if let Some(v) = e.get("value").and_then(|v| v.as_str()) {
                Some(if v.contains("$(") {
                    expand_references(v, &lookup)
                } else {
                    v.to_string()
                })
            } else {
                let path = e
                    .get("valueFrom")
                    .and_then(|f| f.get("fieldRef"))
                    .and_then(|f| f.get("fieldPath"))
                    .and_then(|f| f.as_str());
                match path {
                    Some("metadata.name") => Some(p.metadata.name.clone()),
                    Some("metadata.namespace") => Some(p.metadata.ns().to_string()),
                    Some("metadata.uid") => Some(p.metadata.uid().to_string()),
                    Some("spec.nodeName") => p.spec.node_name.clone(),
                    Some("status.podIP") => Some(pod_ip.clone()),
                    Some("status.hostIP") => p.status.host_ip.clone(),
                    _ => None,
                }
            };
            if let Some(value) = value {
                // A repeated name keeps its first place with the last value.
                match index.get(name) {
                    Some(&i) => vars[i].1 = value.clone(),
                    None => {
                        index.insert(name.to_string(), vars.len());
                        vars.push((name.to_string(), value.clone()));
                    }
                }
                lookup.insert(name.to_string(), value);
            }
        }
    }
    for (k, v) in KUBERNETES_SERVICE_ENV {
        if !index.contains_key(*k) {
            vars.push((k.to_string(), v.to_string()));
        }
    }
    vars.push(("HOME".into(), "/root".into()));
    shell::Env {
        vars,
        started,
        files: super::pod_files::files(sim, p),
        term_at: None,
    }
}

/// `$(VAR)` in an `env` value: the value of a variable defined earlier, or left as written;
/// `$$(VAR)` escapes it (the kubelet's `expansion.Expand`).
pub(super) fn expand_references(value: &str, vars: &BTreeMap<String, String>) -> String {
    let mut out = String::new();
    let mut rest = value;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        if let Some(escaped) = after.strip_prefix('$') {
            out.push('$');
            rest = escaped;
        } else if let Some((name, tail)) = after.strip_prefix('(').and_then(|a| a.split_once(')')) {
            match vars.get(name) {
                Some(v) => out.push_str(v),
                None => out.push_str(&format!("$({name})")),
            }
            rest = tail;
        } else {
            out.push('$');
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// The lines of the run of `container` that `kubectl logs` reads (`previous`: the one before),
/// each with the time it was written; or the kubelet's refusal (`validateContainerLogStatus`).
pub fn read(
    sim: &Sim,
    p: &Pod,
    container: &str,
    previous: bool,
) -> Result<Vec<(Time, String)>, String> {
    let pod = &p.metadata.name;
    let (Some(spec), Some(cs)) = (container_of(p, container), status_of(p, container)) else {
        return Err(format!(
            "container {container:?} in pod {pod:?} is not available"
        ));
    };
    let rt = sim.kubelet.pods.get(p.metadata.uid());
    // Status times have whole seconds; the kubelet's own record has the millisecond.
    let exact = |start: Time, end: Time, known: Option<(Time, Time)>| {
        known
            .filter(|(s, e)| same_second(*s, start) && same_second(*e, end))
            .unwrap_or((start, end))
    };
    let init = super::init::run_of(sim, p, container);
    let current_end = match init {
        Some((start, end)) => end.map(|e| (start, e)),
        None => rt.and_then(|r| r.started_at.zip(r.ended_at)),
    };
    let before = if init.is_some() {
        None
    } else {
        rt.and_then(|r| r.previous_run)
    };
    let last = cs
        .last_state
        .terminated
        .as_ref()
        .filter(|t| !t.container_id.is_empty())
        .map(|t| exact(t.started_at, t.finished_at, before));
    let terminated_err = || format!("container {container:?} in pod {pod:?} is terminated");
    let (start, end) = if previous {
        last.ok_or_else(|| {
            format!("previous terminated container {container:?} in pod {pod:?} not found")
        })?
    } else if let Some(start) = running_since(sim, p, container) {
        (start, sim.now)
    } else if let Some(t) = &cs.state.terminated {
        if t.container_id.is_empty() {
            last.ok_or_else(terminated_err)?
        } else {
            exact(t.started_at, t.finished_at, current_end)
        }
    } else if cs.last_state.terminated.is_some() {
        last.ok_or_else(terminated_err)?
    } else if let Some(w) = &cs.state.waiting {
        let why = match w.reason.as_str() {
            "ErrImagePull" => "image can't be pulled",
            "ImagePullBackOff" => "trying and failing to pull image",
            other => other,
        };
        return Err(format!(
            "container {container:?} in pod {pod:?} is waiting to start: {why}"
        ));
    } else {
        return Err(format!(
            "container {container:?} in pod {pod:?} is waiting to start - no logs yet"
        ));
    };
    Ok(output(sim, p, &spec, start, end))
}

/// A container of the pod by name: an app container, else an init container.
pub fn container_of(p: &Pod, name: &str) -> Option<Container> {
    p.spec
        .containers
        .iter()
        .find(|c| c.name == name)
        .cloned()
        .or_else(|| {
            p.spec
                .init_containers()
                .into_iter()
                .find(|c| c.name == name)
        })
}

/// The status of the named app or init container.
fn status_of<'a>(p: &'a Pod, name: &str) -> Option<&'a ContainerStatus> {
    p.status
        .container_statuses
        .iter()
        .chain(&p.status.init_container_statuses)
        .find(|s| s.name == name)
}

/// The kubelet's own record of the named container's latest run: its start and, once
/// over, its end (to the millisecond).
fn latest_run(sim: &Sim, p: &Pod, name: &str) -> Option<(Time, Option<Time>)> {
    super::init::run_of(sim, p, name).or_else(|| {
        let rt = sim.kubelet.pods.get(p.metadata.uid())?;
        rt.started_at.map(|s| (s, rt.ended_at))
    })
}

/// Whether an exact time and a status time (whole seconds) name the same instant.
fn same_second(a: Time, b: Time) -> bool {
    a.0 / SECOND == b.0 / SECOND
}

/// The start of the container's current run while it runs, to the millisecond when the
/// kubelet's record is of that run.
pub fn running_since(sim: &Sim, p: &Pod, container: &str) -> Option<Time> {
    let cs = status_of(p, container)?;
    let listed = cs.state.running.as_ref()?.started_at;
    let exact = latest_run(sim, p, container)
        .map(|(s, _)| s)
        .filter(|s| same_second(*s, listed));
    Some(exact.unwrap_or(listed))
}

/// When the run that started at `start` ended; `None` while it runs.
pub fn ended(sim: &Sim, p: &Pod, container: &str, start: Time) -> Option<Time> {
    if running_since(sim, p, container) == Some(start) {
        return None;
    }
    if let Some((s, Some(end))) = latest_run(sim, p, container) {
        if s == start {
            return Some(end);
        }
    }
    let app = p.spec.containers.iter().any(|c| c.name == container);
    if let Some((s, end)) = sim
        .kubelet
        .pods
        .get(p.metadata.uid())
        .and_then(|rt| rt.previous_run)
        .filter(|_| app)
    {
        if s == start {
            return Some(end);
        }
    }
    let finished = status_of(p, container).and_then(|cs| {
        [
            cs.state.terminated.as_ref(),
            cs.last_state.terminated.as_ref(),
        ]
        .into_iter()
        .flatten()
        .find(|t| same_second(t.started_at, start))
        .map(|t| t.finished_at)
    });
    Some(finished.unwrap_or(sim.now))
}

/// The address the API server dials to reach the kubelet of the pod's node.
pub fn kubelet_ip(sim: &Sim, p: &Pod) -> String {
    let node = p.spec.node_name.as_deref().unwrap_or_default();
    sim.kubelet
        .nodes
        .get(node)
        .map(|n| n.ip())
        .unwrap_or_default()
}

/// Whether the kubelet of the pod's node answers the API server.
pub fn reachable(sim: &Sim, p: &Pod) -> bool {
    p.spec.node_name.as_deref().is_none_or(|n| node_up(sim, n))
}

/// What a running container's future output depends on besides its program: whether it
/// has been sent SIGTERM, and what the cluster DNS has answered. A log worked out ahead of
/// time is out of date once this changes.
pub fn basis(sim: &Sim, p: &Pod) -> (Option<Time>, u64) {
    let term = sim
        .kubelet
        .pods
        .get(p.metadata.uid())
        .and_then(|rt| rt.term_at);
    (term, sim.dns.changes())
}

/// What a run of `c` started at `start` has written by `end`.
pub fn output(sim: &Sim, p: &Pod, c: &Container, start: Time, end: Time) -> Vec<(Time, String)> {
    let prog = program(sim, c);
    let horizon = end.since(start);
    let at = |offset: u64| start.plus_ms(offset);
    let lines: Vec<(u64, String)> = match (&prog.missing_env, &prog.info.behaviour) {
        (None, Behaviour::Shell) => {
            let mut env = environment(sim, p, c, start);
            // The run being stopped got SIGTERM: what its trap prints is in its log.
            env.term_at = sim
                .kubelet
                .pods
                .get(p.metadata.uid())
                .and_then(|rt| rt.term_at)
                .filter(|t| *t >= start && *t <= end)
                .map(|t| t.since(start));
            run_process(sim, p, c, &env, horizon, shell::Mode::Log).lines
        }
        _ => startup(&prog, c, p, start),
    };
    lines
        .into_iter()
        .filter(|(offset, _)| *offset <= horizon)
        .map(|(offset, text)| (at(offset), text))
        .collect()
}

/// The lines a known image prints as it starts (offsets in ms from the start).
fn startup(prog: &Program, c: &Container, p: &Pod, start: Time) -> Vec<(u64, String)> {
    let at_start = |lines: Vec<String>| lines.into_iter().map(|l| (0, l)).collect();
    if !prog.info.log.is_empty() {
        return at_start(prog.info.log.clone());
    }
    let Some(image) = ImageRef::parse(c.image()) else {
        return Vec::new();
    };
    let repo = image.repository.rsplit('/').next().unwrap_or("");
    let go_log = crate::shell::date(start, "%Y/%m/%d %H:%M:%S");
    match (repo, &prog.missing_env) {
        ("postgres", Some(_)) => {
            at_start(POSTGRES_NO_PASSWORD.lines().map(str::to_string).collect())
        }
        ("mysql", Some(_)) => {
            let stamp = crate::shell::date(start, "%Y-%m-%d %H:%M:%S+00:00");
            let note = |text: &str| format!("{stamp} [Note] [Entrypoint]: {text}");
            let version = match image.tag.as_str() {
                "8.0" => "8.0.40-1.el9",
                "8.4" => "8.4.3-1.el9",
                _ => "9.1.0-1.el9",
            };
            let started = note(&format!(
                "Entrypoint script for MySQL Server {version} started."
            ));
            let mut lines = vec![
                started.clone(),
                note("Switching to dedicated user 'mysql'"),
                started,
                format!("{stamp} [ERROR] [Entrypoint]: Database is uninitialized and password option is not specified"),
            ];
            lines.extend(MYSQL_NO_PASSWORD.lines().map(str::to_string));
            at_start(lines)
        }
        ("postgres", None) => {
            let ready = start.plus_ms((prog.info.start_seconds * 1000.0) as u64);
            let stamp = crate::shell::date(ready, "%Y-%m-%d %H:%M:%S");
            vec![(
                ready.since(start),
                format!(
                    "{stamp}.{:03} UTC [1] LOG:  database system is ready to accept connections",
                    ready.0 % 1000
                ),
            )]
        }
        ("nginx", _) => at_start(nginx(&image.tag, &go_log)),
        ("kubernetes-bootcamp", _) => {
            let iso = format!(
                "{}.{:03}Z",
                start.rfc3339().trim_end_matches('Z'),
                start.0 % 1000
            );
            at_start(vec![
                format!(
                    "Kubernetes Bootcamp App Started At: {iso} | Running On:  {} ",
                    p.metadata.name
                ),
                String::new(),
            ])
        }
        ("hello-app", _) => at_start(vec![format!("{go_log} Server listening on port 8080")]),
        _ => Vec::new(),
    }
}

/// nginx's start: the entrypoint scripts (from 1.19; 1.25 added the resolver script and the
/// `info:` tags), then the master process's notices.
fn nginx(tag: &str, stamp: &str) -> Vec<String> {
    let minor = tag
        .strip_prefix("1.")
        .and_then(|t| t.split(['.', '-']).next())
        .and_then(|m| m.parse::<u32>().ok())
        .unwrap_or(99);
    let mut lines = Vec::new();
    if minor >= 19 {
        let info = if minor >= 25 { "info: " } else { "" };
        let ep = "/docker-entrypoint.sh";
        let dir = "/docker-entrypoint.d";
        lines.push(format!(
            "{ep}: {dir}/ is not empty, will attempt to perform configuration"
        ));
        lines.push(format!("{ep}: Looking for shell scripts in {dir}/"));
        lines.push(format!(
            "{ep}: Launching {dir}/10-listen-on-ipv6-by-default.sh"
        ));
        lines.push(format!("10-listen-on-ipv6-by-default.sh: {info}Getting the checksum of /etc/nginx/conf.d/default.conf"));
        lines.push(format!("10-listen-on-ipv6-by-default.sh: {info}Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf"));
        if minor >= 25 {
            lines.push(format!("{ep}: Sourcing {dir}/15-local-resolvers.envsh"));
        }
        lines.push(format!("{ep}: Launching {dir}/20-envsubst-on-templates.sh"));
        lines.push(format!("{ep}: Launching {dir}/30-tune-worker-processes.sh"));
        lines.push(format!("{ep}: Configuration complete; ready for start up"));
    }
    let notice = |text: &str| format!("{stamp} [notice] 1#1: {text}");
    lines.push(notice("using the \"epoll\" event method"));
    if tag
        .split('-')
        .next()
        .is_some_and(|v| v.split('.').count() == 3)
    {
        lines.push(notice(&format!(
            "nginx/{}",
            tag.split('-').next().unwrap_or(tag)
        )));
    }
    lines.push(notice("start worker processes"));
    lines.push(notice("start worker process 29"));
    lines
}

/// The official postgres image's entrypoint without `POSTGRES_PASSWORD` (to stderr, exit 1).
const POSTGRES_NO_PASSWORD: &str = r#"Error: Database is uninitialized and superuser password is not specified.
       You must specify POSTGRES_PASSWORD to a non-empty value for the
       superuser. For example, "-e POSTGRES_PASSWORD=password" on "docker run".

       You may also use "POSTGRES_HOST_AUTH_METHOD=trust" to allow all
       connections without a password. This is *not* recommended.

       See PostgreSQL documentation about "trust":
       https://www.postgresql.org/docs/current/auth-trust.html"#;

/// The rest of the official mysql image's refusal without a password option.
const MYSQL_NO_PASSWORD: &str =
    "    You need to specify one of the following as an environment variable:
    - MYSQL_ROOT_PASSWORD
    - MYSQL_ALLOW_EMPTY_PASSWORD
    - MYSQL_RANDOM_ROOT_PASSWORD";
