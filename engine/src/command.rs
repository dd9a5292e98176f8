//! The one command type every user action goes through — typed kubectl, the editor's Apply,
//! a click in the UI, a scenario step — so each is recorded, replayable and shareable.

use crate::sim::Sim;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// A kubectl command line, with or without the leading `kubectl`.
    Kubectl(String),
    /// `kubectl apply -f FILE` where FILE holds this text (the editor's content).
    Apply { file: String, yaml: String },
    /// A simulator action that kubectl cannot express.
    Sim(SimAction),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SimAction {
    /// The node's machine stops: its kubelet no longer reports.
    StopNode(String),
    StartNode(String),
    /// Delete the `index`-th pod (by name order) of a Deployment, as a click would.
    DeletePod {
        namespace: String,
        deployment: String,
        index: usize,
    },
    /// Send `rps` client requests per simulated second to a Service from now on (0 stops).
    Traffic {
        namespace: String,
        service: String,
        rps: u32,
    },
}

/// What a command printed, as a terminal would show it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Output {
    pub stdout: String,
    pub stderr: String,
    pub exit_code: i32,
    /// How much of `stdout` a terminal shows before the warnings that open `stderr` (0:
    /// the warnings come first). `drain` prints "cordoned" before it warns.
    pub lead: usize,
}

/// Splits stderr into its leading warnings and the rest. kubectl writes a warning when the
/// request that causes it is made, so a terminal shows it before what the command prints;
/// errors come after. Warnings are the server's (`Warning: `), cobra's (`Flag --`) and
/// klog's (`W0105 09:00:20.000000 …`); `kubectl logs` notes which pod and container it
/// picked the same way, before the logs, and `kubectl exec` its deprecated form.
pub fn split_warnings(stderr: &str) -> (&str, &str) {
    let klog = |line: &str| {
        let b = line.as_bytes();
        b.len() > 6 && b[0] == b'W' && b[1..5].iter().all(u8::is_ascii_digit) && b[5] == b' '
    };
    let mut end = 0;
    for line in stderr.split_inclusive('\n') {
        let picked = line.starts_with("Defaulted container ")
            || (line.starts_with("Found ") && line.contains(" pods, using pod/"))
            || line.starts_with("kubectl exec [POD] [COMMAND] is DEPRECATED");
        if !(line.starts_with("Warning: ") || line.starts_with("Flag --") || klog(line) || picked) {
            break;
        }
        end += line.len();
    }
    stderr.split_at(end)
}

impl Output {
    pub fn ok(stdout: impl Into<String>) -> Output {
        Output {
            stdout: stdout.into(),
            ..Output::default()
        }
    }
    pub fn err(stderr: impl Into<String>) -> Output {
        Output {
            stderr: stderr.into(),
            exit_code: 1,
            ..Output::default()
        }
    }
    /// What a terminal shows, in order, each part with whether it is stderr: the leading
    /// stdout, the warnings, the rest of stdout, then the rest of stderr.
    pub fn parts(&self) -> [(bool, &str); 4] {
        let (warnings, errors) = split_warnings(&self.stderr);
        let lead = if self.stdout.is_char_boundary(self.lead) {
            self.lead
        } else {
            0
        };
        let (before, after) = self.stdout.split_at(lead);
        [
            (false, before),
            (true, warnings),
            (false, after),
            (true, errors),
        ]
    }
    /// One terminal transcript, as [`Output::parts`] orders it.
    pub fn text(&self) -> String {
        let [before, warnings, after, (_, errors)] = self.parts();
        let mut s = format!("{}{}{}", before.1, warnings.1, after.1);
        if !errors.is_empty() {
            if !s.is_empty() && !s.ends_with('\n') {
                s.push('\n');
            }
            s.push_str(errors);
        }
        s
    }
    pub fn success(&self) -> bool {
        self.exit_code == 0
    }
}

/// `kubectl delete pod NAME [-n NS]` for the `index`-th pod of a Deployment (by name), or
/// how many pods it has when there is no such one.
fn delete_pod_line(
    sim: &crate::Sim,
    namespace: &str,
    deployment: &str,
    index: usize,
) -> Result<String, usize> {
    let pods = crate::view::deployment_pods(sim, namespace, deployment);
    let name = pods.get(index).ok_or(pods.len())?;
    Ok(if namespace == "default" {
        format!("kubectl delete pod {name}")
    } else {
        format!("kubectl delete pod {name} -n {namespace}")
    })
}

impl Command {
    /// Parses a console or scenario line: `kubectl …` (or a bare kubectl verb), or
    /// `kubesim node stop|start NODE`, `kubesim delete-pod DEPLOYMENT INDEX [-n NS]`,
    /// `kubesim traffic SERVICE RPS [-n NS]`.
    pub fn parse(line: &str) -> Result<Command, String> {
        let line = line.trim();
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.first().copied() {
            None => Err("error: empty command".into()),
            Some("kubesim") => parse_sim(&words[1..]).map(Command::Sim),
            Some(_) => Ok(Command::Kubectl(line.to_string())),
        }
    }

    /// The kubectl command a learner would type for this one, now: `kubesim delete-pod web 0`
    /// is `kubectl delete pod web-…` for the pod it picks (`None` when there is no such pod, or
    /// when the command has no kubectl form).
    pub fn kubectl_equivalent(&self, sim: &crate::Sim) -> Option<String> {
        let Command::Sim(SimAction::DeletePod {
            namespace,
            deployment,
            index,
        }) = self
        else {
            return None;
        };
        delete_pod_line(sim, namespace, deployment, *index).ok()
    }

    /// A kubectl command that only reads (`get`, `describe`, `rollout status`, …): replaying a
    /// log can skip it, since it changes nothing and what it printed is not shown again.
    pub fn is_read_only(&self) -> bool {
        let Command::Kubectl(line) = self else {
            return false;
        };
        let Ok(words) = crate::kubectl::args::tokenize(line) else {
            return false;
        };
        let mut words = words.iter().map(String::as_str).peekable();
        if words.peek().is_some_and(|w| *w == "kubectl" || *w == "k") {
            words.next();
        }
        // The namespace flag may come before the verb.
        let mut verb = None;
        while let Some(w) = words.next() {
            match w {
                "-n" | "--namespace" => {
                    words.next();
                }
                w if w.starts_with("--namespace=") || (w.starts_with("-n") && w.len() > 2) => {}
                w => {
                    verb = Some(w);
                    break;
                }
            }
        }
        match verb {
            Some(
                "get" | "describe" | "events" | "explain" | "version" | "api-resources" | "help",
            ) => true,
            Some("rollout") => matches!(words.next(), Some("status" | "history")),
            _ => false,
        }
    }

    /// The command as one line, for console history, transcripts and logs.
    pub fn line(&self) -> String {
        match self {
            Command::Kubectl(l) => {
                if l.trim_start().starts_with("kubectl") {
                    l.trim().to_string()
                } else {
                    format!("kubectl {}", l.trim())
                }
            }
            Command::Apply { file, .. } => format!("kubectl apply -f {file}"),
            Command::Sim(SimAction::StopNode(n)) => format!("kubesim node stop {n}"),
            Command::Sim(SimAction::StartNode(n)) => format!("kubesim node start {n}"),
            Command::Sim(SimAction::DeletePod {
                namespace,
                deployment,
                index,
            }) => {
                if namespace == "default" {
                    format!("kubesim delete-pod {deployment} {index}")
                } else {
                    format!("kubesim delete-pod {deployment} {index} -n {namespace}")
                }
            }
            Command::Sim(SimAction::Traffic {
                namespace,
                service,
                rps,
            }) => {
                if namespace == "default" {
                    format!("kubesim traffic {service} {rps}")
                } else {
                    format!("kubesim traffic {service} {rps} -n {namespace}")
                }
            }
        }
    }
}

const SIM_USAGE: &str = "error: unknown kubesim command; use `kubesim node stop NODE`, `kubesim node start NODE`, `kubesim delete-pod DEPLOYMENT INDEX [-n NAMESPACE]` or `kubesim traffic SERVICE RPS [-n NAMESPACE]`";

/// `[]` or `-n NAMESPACE` after a kubesim action's arguments.
fn namespace_arg(rest: &[&str]) -> Result<String, String> {
    match rest {
        [] => Ok("default".to_string()),
        ["-n" | "--namespace", ns] => Ok(ns.to_string()),
        _ => Err(SIM_USAGE.into()),
    }
}

fn parse_sim(words: &[&str]) -> Result<SimAction, String> {
    match words {
        ["node", "stop", n] => Ok(SimAction::StopNode(n.to_string())),
        ["node", "start", n] => Ok(SimAction::StartNode(n.to_string())),
        ["delete-pod", d, i, rest @ ..] => {
            let index = i
                .parse::<usize>()
                .map_err(|_| format!("error: pod index must be a number, got {i:?}"))?;
            let namespace = namespace_arg(rest)?;
            let deployment = d.strip_prefix("deployment/").unwrap_or(d).to_string();
            Ok(SimAction::DeletePod {
                namespace,
                deployment,
                index,
            })
        }
        ["traffic", svc, r, rest @ ..] => {
            let max = crate::traffic::MAX_RPS;
            let rps = r.parse::<u32>().ok().filter(|n| *n <= max).ok_or_else(|| {
                format!(
                    "error: requests per second must be a whole number from 0 to {max}, got {r:?}"
                )
            })?;
            let service = svc
                .strip_prefix("service/")
                .or_else(|| svc.strip_prefix("svc/"))
                .unwrap_or(svc)
                .to_string();
            Ok(SimAction::Traffic {
                namespace: namespace_arg(rest)?,
                service,
                rps,
            })
        }
        _ => Err(SIM_USAGE.into()),
    }
}

impl Sim {
    /// Runs a command at the current simulated time, then lets the controllers react.
    pub fn execute(&mut self, cmd: &Command) -> Output {
        self.start(cmd).0
    }

    /// Like [`Sim::execute`], and also returns the watch of a `get -w` or `rollout status`,
    /// which keeps printing as the cluster changes.
    pub fn start(&mut self, cmd: &Command) -> (Output, Option<crate::kubectl::watch::Watch>) {
        let started = match cmd {
            Command::Kubectl(line) => crate::kubectl::start(self, line),
            Command::Apply { file, yaml } => {
                self.files.insert(file.clone(), yaml.clone());
                (
                    crate::kubectl::run(self, &format!("kubectl apply -f {file}")),
                    None,
                )
            }
            Command::Sim(a) => (self.sim_action(a), None),
        };
        self.reconcile();
        started
    }

    fn sim_action(&mut self, a: &SimAction) -> Output {
        match a {
            SimAction::StopNode(n) | SimAction::StartNode(n)
                if !self.store.nodes.contains_key(n) =>
            {
                Output::err(format!(
                    "Error from server (NotFound): nodes {n:?} not found"
                ))
            }
            SimAction::StopNode(n) => {
                crate::controllers::kubelet::stop_node(self, n);
                Output::ok(format!("node/{n} stopped\n"))
            }
            SimAction::StartNode(n) => {
                crate::controllers::kubelet::start_node(self, n);
                Output::ok(format!("node/{n} started\n"))
            }
            SimAction::DeletePod {
                namespace,
                deployment,
                index,
            } => match delete_pod_line(self, namespace, deployment, *index) {
                Ok(line) => crate::kubectl::run(self, &line),
                Err(count) => Output::err(format!(
                    "error: deployment {deployment:?} has {count} pods; there is no pod {index}"
                )),
            },
            SimAction::Traffic {
                namespace,
                service,
                rps,
            } => {
                let exists = self
                    .store
                    .services
                    .contains_key(&crate::store::key(namespace, service));
                if *rps > 0 && !exists {
                    return Output::err(format!(
                        "Error from server (NotFound): services {service:?} not found\n"
                    ));
                }
                let now = self.now;
                self.traffic.set(namespace, service, *rps, now);
                if *rps == 0 {
                    Output::ok(format!("traffic to service/{service} stopped\n"))
                } else {
                    Output::ok(format!(
                        "traffic to service/{service}: {rps} requests per second\n"
                    ))
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delete_pod_reads_as_the_kubectl_command_for_that_pod() {
        let mut sim = crate::Sim::new(crate::cluster::ClusterConfig::default(), 1);
        sim.execute(&Command::Kubectl(
            "kubectl create deployment web --image=nginx:1.27 --replicas=2".into(),
        ));
        sim.advance_to(crate::Time(30_000));
        let second = crate::view::deployment_pods(&sim, "default", "web")[1].clone();
        let cmd = Command::parse("kubesim delete-pod web 1").unwrap();
        assert_eq!(
            cmd.kubectl_equivalent(&sim),
            Some(format!("kubectl delete pod {second}"))
        );
        let missing = Command::parse("kubesim delete-pod web 7").unwrap();
        assert_eq!(missing.kubectl_equivalent(&sim), None);
        let get = Command::parse("kubectl get pods").unwrap();
        assert_eq!(get.kubectl_equivalent(&sim), None);
    }

    #[test]
    fn reading_commands_are_told_from_changing_ones() {
        for line in [
            "kubectl get pods",
            "get pods -w",
            "kubectl -n shop describe deploy web",
            "kubectl --namespace=shop rollout status deployment/web",
            "kubectl rollout history deployment/web",
            "kubectl events",
        ] {
            assert!(Command::parse(line).unwrap().is_read_only(), "{line}");
        }
        for line in [
            "kubectl scale deployment web --replicas=2",
            "kubectl rollout undo deployment/web",
            "kubectl -n get delete pod x",
            "kubesim delete-pod web 0",
        ] {
            assert!(!Command::parse(line).unwrap().is_read_only(), "{line}");
        }
    }

    #[test]
    fn lines_round_trip_through_parse() {
        for line in [
            "kubectl get pods",
            "kubesim node stop node-2",
            "kubesim delete-pod web 1 -n shop",
            "kubesim traffic web 20",
            "kubesim traffic web 0 -n shop",
        ] {
            assert_eq!(Command::parse(line).unwrap().line(), line);
        }
        assert_eq!(
            Command::parse("get pods").unwrap().line(),
            "kubectl get pods"
        );
        assert!(Command::parse("kubesim reboot").is_err());
        assert!(Command::parse("kubesim delete-pod web x").is_err());
        assert!(Command::parse("kubesim traffic web fast").is_err());
        assert!(Command::parse("kubesim traffic web 5000").is_err());
        assert_eq!(
            Command::parse("kubesim traffic svc/web 5").unwrap().line(),
            "kubesim traffic web 5"
        );
        assert!(Command::parse("   ").is_err());
    }
}
