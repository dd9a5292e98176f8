//! `kubectl exec`: runs one command in a pod's running container (kubectl's exec.go, the API
//! server's and the kubelet's exec path). The command runs in the container's shell with
//! the container's environment and the files its own process has written; its output
//! appears at once, as no simulated time passes while it runs. Interactive sessions are not
//! simulated.

use super::args::{self, flag, Flag};
use super::logs::{default_container, first_pod, target, Missing, Target};
use crate::api::core::Pod;
use crate::command::Output;
use crate::controllers::kubelet::{self, logs as container_logs};
use crate::shell::Network;
use crate::sim::Sim;
use crate::time::SECOND;

const FLAGS: &[Flag] = &[
    flag("container", Some('c'), true),
    flag("stdin", Some('i'), false),
    flag("tty", Some('t'), false),
    flag("quiet", Some('q'), false),
    flag("pod-running-timeout", None, true),
    flag("filename", Some('f'), true),
];

/// How long a command may run before it counts as one that does not end.
const LIMIT: u64 = 3_600 * SECOND;

/// Commands an image whose files are not simulated can still run: they need none.
const WITHOUT_FILES: &[&str] = &[
    "env", "printenv", "hostname", "date", "echo", "printf", "sleep", "true", "false", "test", "[",
    "sh", "bash", "ash",
];

pub fn run(sim: &mut Sim, rest: &[String]) -> Output {
    sim.exec_seq += 1;
    let mut kept = None;
    let out = match exec(sim, rest, &mut kept) {
        Ok(out) | Err(out) => out,
    };
    // The files the command wrote stay in the container, for what runs there later.
    if let Some((p, written)) = kept {
        kubelet::keep_exec_files(sim, &p, written);
    }
    out
}

/// Runs the command; `kept` gets the pod and the files the command wrote.
fn exec(
    sim: &Sim,
    rest: &[String],
    kept: &mut Option<(Pod, kubelet::ExecFiles)>,
) -> Result<Output, Output> {
    let a = args::parse(rest, FLAGS).map_err(|e| super::flag_error("exec", &e))?;
    if a.bool("help") {
        return Ok(Output::ok(
            super::help::command_help("exec").unwrap_or_default(),
        ));
    }
    if a.has("filename") {
        return Err(Output::err(
            "error: \"kubectl exec -f\" is not available in this simulator; name the pod, or TYPE/NAME\n",
        ));
    }
    if let Some(t) = a.get("pod-running-timeout") {
        let ms = super::rollout::parse_duration(t).map_err(|e| {
            super::flag_error("exec", &e.replace("--timeout", "--pod-running-timeout"))
        })?;
        if ms == 0 {
            return Err(Output::err("error: --pod-running-timeout must be higher than zero\nSee 'kubectl exec -h' for help and examples\n"));
        }
    }
    let quiet = a.bool("quiet");
    let mut out = Output::default();
    // `exec POD -- CMD`; without `--` the words after the pod are the command, with a warning.
    let (object, command) = match a.dash {
        Some(0) => (None, &a.positional[..]),
        Some(n) => (a.positional.first(), &a.positional[n..]),
        None => {
            if a.positional.len() > 1 && !quiet {
                out.stderr.push_str("kubectl exec [POD] [COMMAND] is DEPRECATED and will be removed in a future version. Use kubectl exec [POD] -- [COMMAND] instead.\n");
            }
            (
                a.positional.first(),
                a.positional.get(1..).unwrap_or_default(),
            )
        }
    };
    let Some(object) = object else {
        return Err(Output::err(
            "error: pod, type/name or --filename must be specified\n",
        ));
    };
    if command.is_empty() {
        return Err(Output::err(
            "error: you must specify at least one command for the container\n",
        ));
    }
    let ns = a.namespace();
    let p = match target(sim, &ns, object, "attach to") {
        Ok(Target::Pod(p)) => *p,
        Ok(Target::Selected(mut pods)) => {
            crate::order::sort_by(&mut pods, |a, b| first_pod(a, b, false));
            pods.into_iter()
                .next()
                .ok_or_else(|| Output::err("error: timed out waiting for the condition\n"))?
        }
        Err(Missing::NotFound(kind, name)) => {
            return Err(Output::err(format!(
                "Error from server (NotFound): {} {name:?} not found\n",
                kind.group_resource()
            )))
        }
        Err(Missing::Other(out)) => return Err(out),
    };
    if matches!(p.status.phase.as_str(), "Succeeded" | "Failed") {
        return Err(Output::err(format!(
            "error: cannot exec into a container in a completed pod; current phase is {}\n",
            p.status.phase
        )));
    }
    let container = match a.get("container").filter(|c| !c.is_empty()) {
        Some(c) => c.to_string(),
        None => {
            let mut notes = Output::default();
            let c = default_container(&p, &mut notes);
            if !quiet {
                out.stderr.push_str(&notes.stderr);
            }
            c
        }
    };
    let fail = |mut out: Output, message: String| {
        out.stderr.push_str(&message);
        out.exit_code = 1;
        Err(out)
    };
    let Some(c) = &container_logs::container_of(&p, &container) else {
        return fail(
            out,
            format!(
                "Error from server (BadRequest): container {container} is not valid for pod {}\n",
                p.metadata.name
            ),
        );
    };
    if p.spec.node_name.is_none() {
        return fail(
            out,
            format!(
                "Error from server (BadRequest): pod {} does not have a host assigned\n",
                p.metadata.name
            ),
        );
    }
    if !container_logs::reachable(sim, &p) {
        let ip = container_logs::kubelet_ip(sim, &p);
        return fail(
            out,
            format!("Error from server: error dialing backend: dial tcp {ip}:10250: i/o timeout\n"),
        );
    }
    if container_logs::running_since(sim, &p, &container).is_none() {
        return fail(
            out,
            format!("error: Internal error occurred: unable to upgrade connection: container not found ({container:?})\n"),
        );
    }
    let tty = a.bool("tty");
    let net = crate::network::Client::new(sim, &p, c, command, tty);
    if let Some(refusal) = refused(sim, &p, c, command, a.bool("stdin"), &net) {
        return fail(out, refusal);
    }
    let (status, printed, written) = kubelet::exec(sim, &p, c, command, LIMIT, Some(&net));
    *kept = Some((p.clone(), written));
    out.stdout = printed.stdout;
    if tty {
        // A terminal is one stream: the remote standard error comes out with the output.
        out.stdout.push_str(&printed.stderr);
    } else {
        out.stderr.push_str(&printed.stderr);
    }
    match status {
        Some(0) => Ok(out),
        Some(code) => {
            out.stderr
                .push_str(&format!("command terminated with exit code {code}\n"));
            out.exit_code = code as i32;
            Err(out)
        }
        None if printed.out_of_steps => fail(
            out,
            "error: the command was still running after a million steps of the simulated shell; kubectl exec here runs commands that end\n"
                .into(),
        ),
        None => fail(
            out,
            "error: the command was still running after an hour of simulated time; kubectl exec here runs commands that end\n"
                .into(),
        ),
    }
}

/// Why this command cannot run here: an interactive shell, `wget` or `curl` in an image
/// without it, or, in an image whose files and programs are not simulated, a command that
/// needs them.
fn refused(
    sim: &Sim,
    p: &Pod,
    c: &crate::api::core::Container,
    command: &[String],
    stdin: bool,
    net: &dyn Network,
) -> Option<String> {
    let name = command[0].rsplit('/').next().unwrap_or("");
    let shell = matches!(name, "sh" | "bash" | "ash" | "dash" | "zsh");
    if shell
        && stdin
        && !command
            .iter()
            .skip(1)
            .any(|a| a.starts_with('-') && a.contains('c'))
    {
        return Some(format!(
            "error: interactive sessions are not simulated; run one command instead, such as: kubectl exec {} -- env\n",
            p.metadata.name
        ));
    }
    let client = matches!(name, "curl" | "wget" | "nslookup");
    if client && !net.has(name) {
        return Some(format!(
            "error: Internal error occurred: error executing command in container: failed to exec in container: OCI runtime exec failed: exec failed: unable to start container process: exec: {name:?}: executable file not found in $PATH: unknown\n"
        ));
    }
    // The files the kubelet mounts are there in every image.
    let pod_files = name == "cat"
        && command.len() > 1
        && command[1..]
            .iter()
            .all(|f| kubelet::pod_files::PATHS.contains(&f.as_str()));
    if !kubelet::runs_shell(sim, c) && !WITHOUT_FILES.contains(&name) && !client && !pod_files {
        return Some(format!(
            "error: the files and programs of image {:?} are not simulated; kubectl exec runs {} here, `cat` of /etc/hosts, /etc/hostname and /etc/resolv.conf, and any command in busybox, alpine, ubuntu or debian\n",
            c.image(),
            WITHOUT_FILES[..WITHOUT_FILES.len() - 3].join(", ")
        ));
    }
    None
}
