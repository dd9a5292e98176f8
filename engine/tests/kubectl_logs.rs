//! `kubectl logs` against the simulated kubelet: what containers write (shell scripts,
//! known images), which run is read, kubectl's choice of pod and container, its flags and
//! errors (logs.go, logsforobject.go, podutils.ByLogging, validateContainerLogStatus), and
//! `-f` following a log as simulated time passes.

mod common;

use common::{apply, err, ok, run};
use kubesim::cluster::ClusterConfig;
use kubesim::command::SimAction;
use kubesim::kubectl::watch::Watch;
use kubesim::{Command, Sim, Time};

fn sim() -> Sim {
    Sim::new(ClusterConfig::default(), 7)
}

fn pod(name: &str, image: &str, script: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\nspec:\n  containers:\n  - name: {name}\n    image: {image}\n    command: [sh, -c, {script:?}]\n"
    )
}

/// The logging concept page's counter: a line a second, `date` on the simulated clock.
const COUNTER: &str = r#"i=0; while true; do echo "$i: $(date)"; i=$((i+1)); sleep 1; done"#;

#[test]
fn a_counter_logs_a_line_a_second_with_tail_since_and_timestamps() {
    let mut sim = sim();
    apply(&mut sim, &pod("counter", "busybox:1.36", COUNTER));
    sim.advance_to(Time(1_000));
    // validateContainerLogStatus: a container not started yet has no log.
    assert_eq!(
        err(&mut sim, "kubectl logs counter"),
        "Error from server (BadRequest): container \"counter\" in pod \"counter\" is waiting to start: ContainerCreating\n"
    );
    sim.advance_to(Time(20_000));
    let all = ok(&mut sim, "kubectl logs counter");
    let lines: Vec<&str> = all.lines().collect();
    // The sandbox (1 s), the pull (2.5 s) and the start (1 s) come first.
    let started = kubesim::kubectl::run(
        &mut sim,
        "kubectl get pod counter -o jsonpath={.status.containerStatuses[0].state.running.startedAt}",
    )
    .stdout;
    assert_eq!(started, "2026-01-05T09:00:04Z");
    assert_eq!(lines.first(), Some(&"0: Mon Jan  5 09:00:04 UTC 2026"));
    assert_eq!(lines.len(), 16, "one line a second from 4.5 s to 19.5 s");
    assert_eq!(lines[15], "15: Mon Jan  5 09:00:19 UTC 2026");
    // The kubelet's RFC3339NanoFixed stamps, the last two lines only.
    assert_eq!(
        ok(&mut sim, "kubectl logs counter --tail=2 --timestamps"),
        "2026-01-05T09:00:18.500000000Z 14: Mon Jan  5 09:00:18 UTC 2026\n\
         2026-01-05T09:00:19.500000000Z 15: Mon Jan  5 09:00:19 UTC 2026\n"
    );
    // --since rounds to whole seconds and keeps the lines written since then.
    assert_eq!(
        ok(&mut sim, "kubectl logs counter --since=3s"),
        "13: Mon Jan  5 09:00:17 UTC 2026\n14: Mon Jan  5 09:00:18 UTC 2026\n15: Mon Jan  5 09:00:19 UTC 2026\n"
    );
    assert_eq!(
        ok(
            &mut sim,
            "kubectl logs counter --since-time=2026-01-05T09:00:19Z --prefix"
        ),
        "[pod/counter/counter] 15: Mon Jan  5 09:00:19 UTC 2026\n"
    );
    // --limit-bytes cuts inside a line.
    assert_eq!(
        ok(&mut sim, "kubectl logs counter --limit-bytes=5"),
        "0: Mo"
    );
    assert_eq!(ok(&mut sim, "kubectl logs counter --tail=0"), "");
}

#[test]
fn a_crashing_script_shows_its_exit_code_and_its_previous_run() {
    let mut sim = sim();
    apply(
        &mut sim,
        &pod(
            "app",
            "busybox:1.36",
            "echo starting; sleep 2; echo 'fatal: config missing' >&2; exit 3",
        ),
    );
    sim.advance_to(Time(5_000));
    assert_eq!(ok(&mut sim, "kubectl logs app"), "starting\n");
    // There is no earlier run yet.
    assert_eq!(
        err(&mut sim, "kubectl logs app --previous"),
        "Error from server (BadRequest): previous terminated container \"app\" in pod \"app\" not found\n"
    );
    sim.advance_to(Time(7_000));
    // Exited: the terminated run's log is read (stderr and stdout together).
    assert_eq!(
        ok(&mut sim, "kubectl logs app"),
        "starting\nfatal: config missing\n"
    );
    sim.advance_to(Time(40_000));
    assert_eq!(
        ok(
            &mut sim,
            "kubectl get pod app -o jsonpath={.status.containerStatuses[0].lastState.terminated.exitCode},{.status.containerStatuses[0].lastState.terminated.reason}"
        ),
        "3,Error"
    );
    let status = ok(&mut sim, "kubectl get pod app --no-headers");
    assert!(status.contains("CrashLoopBackOff"), "{status}");
    // In back-off the last run's log is what `kubectl logs` shows, and -p the same run.
    assert_eq!(
        ok(&mut sim, "kubectl logs app"),
        "starting\nfatal: config missing\n"
    );
    assert_eq!(
        ok(&mut sim, "kubectl logs app -p --timestamps")
            .lines()
            .count(),
        2
    );
}

#[test]
fn images_that_cannot_start_or_are_not_pulled_have_no_log() {
    let mut sim = sim();
    apply(
        &mut sim,
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: bad\nspec:\n  containers:\n  - name: web\n    image: nginx:no-such-tag\n",
    );
    sim.advance_to(Time(5_000));
    assert_eq!(
        err(&mut sim, "kubectl logs bad"),
        "Error from server (BadRequest): container \"web\" in pod \"bad\" is waiting to start: image can't be pulled\n"
    );
    sim.advance_to(Time(25_000));
    assert_eq!(
        err(&mut sim, "kubectl logs bad"),
        "Error from server (BadRequest): container \"web\" in pod \"bad\" is waiting to start: trying and failing to pull image\n"
    );
    // A pod no node can take: the API server has no kubelet to ask, and the log is empty.
    apply(
        &mut sim,
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: huge\nspec:\n  containers:\n  - name: web\n    image: nginx:1.27\n    resources: {requests: {cpu: '500'}}\n",
    );
    sim.advance_to(Time(10_000));
    let out = run(&mut sim, "kubectl logs huge");
    assert_eq!((out.exit_code, out.text().as_str()), (0, ""));
}

#[test]
fn known_images_log_their_start_and_databases_their_refusal() {
    let mut sim = sim();
    apply(
        &mut sim,
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: db\nspec:\n  containers:\n  - name: db\n    image: postgres:16\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: ok-db\nspec:\n  containers:\n  - name: db\n    image: postgres:16\n    env: [{name: POSTGRES_PASSWORD, value: secret}]\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: web\n    image: nginx:1.27.3\n",
    );
    sim.advance_to(Time(30_000));
    let refused = ok(&mut sim, "kubectl logs db");
    assert!(refused.starts_with(
        "Error: Database is uninitialized and superuser password is not specified.\n       You must specify POSTGRES_PASSWORD to a non-empty value for the\n"
    ));
    let ready = ok(&mut sim, "kubectl logs ok-db");
    assert!(
        ready.ends_with("UTC [1] LOG:  database system is ready to accept connections\n"),
        "{ready}"
    );
    let nginx = ok(&mut sim, "kubectl logs web");
    assert!(nginx.starts_with("/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration\n"));
    assert!(nginx.contains("[notice] 1#1: nginx/1.27.3\n"), "{nginx}");
}

#[test]
fn a_workload_logs_the_pod_by_logging_picks_and_says_which() {
    let mut sim = sim();
    let out = sim.execute(&Command::Kubectl(
        "kubectl create deployment web --image=nginx:1.27 --replicas=3".into(),
    ));
    assert!(out.success());
    sim.advance_to(Time(30_000));
    // One pod that cannot start: ByLogging puts the Running, ready pods first.
    let out = sim.execute(&Command::Kubectl(
        "kubectl run stray --image=nginx:no-such-tag --labels=app=web".into(),
    ));
    assert!(out.success());
    sim.advance_to(Time(40_000));
    let out = run(&mut sim, "kubectl logs deploy/web");
    let (found, rest) = out
        .stderr
        .split_once(", using pod/")
        .expect("names the pod");
    assert_eq!(found, "Found 4 pods");
    let chosen = rest.trim_end();
    assert!(
        chosen.starts_with("web-"),
        "a ready pod, not the stray: {chosen}"
    );
    assert_eq!(out.exit_code, 0);
    assert!(out.stdout.contains("start worker process"));
    // The note comes before the log, as the terminal shows stderr when it is written.
    assert!(out.text().starts_with("Found 4 pods, using pod/web-"));
    // A selector reads every pod, ten lines each unless --tail says otherwise.
    let labelled = run(&mut sim, "kubectl logs -l app=web --prefix");
    assert_eq!(
        labelled.exit_code,
        1,
        "the stray pod's error ends the command: {}",
        labelled.text()
    );
    assert!(labelled
        .stderr
        .contains("Error from server (BadRequest): container \"stray\" in pod \"stray\" is waiting to start: "));
    let fine = ok(
        &mut sim,
        "kubectl logs -l app=web --prefix --ignore-errors --tail=1",
    );
    assert_eq!(fine.lines().count(), 4, "{fine}");
    assert!(fine.contains("error: Error from server (BadRequest): container \"stray\""));
    let ten = ok(&mut sim, "kubectl logs -l app=web,pod-template-hash");
    assert_eq!(ten.lines().count(), 30, "ten lines from each of three pods");
    let none = run(&mut sim, "kubectl logs -l app=nothing");
    assert_eq!(
        (none.exit_code, none.stdout.as_str(), none.stderr.as_str()),
        (0, "", "No resources found in default namespace.\n")
    );
}

#[test]
fn flags_and_arguments_are_checked_as_kubectl_checks_them() {
    let mut sim = sim();
    apply(&mut sim, &pod("counter", "busybox:1.36", COUNTER));
    sim.advance_to(Time(10_000));
    let usage = "error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command\nSee 'kubectl logs -h' for help and examples\n";
    assert_eq!(err(&mut sim, "kubectl logs"), usage);
    assert_eq!(err(&mut sim, "kubectl logs a b c"), usage);
    assert_eq!(
        err(&mut sim, "kubectl logs counter -l app=x"),
        "error: only a selector (-l) or a POD name is allowed\nSee 'kubectl logs -h' for help and examples\n"
    );
    assert_eq!(
        err(&mut sim, "kubectl logs counter -c other"),
        "error: container other is not valid for pod counter out of: counter\n"
    );
    assert_eq!(
        err(&mut sim, "kubectl logs counter counter -c counter"),
        "error: only one of -c or an inline [CONTAINER] arg is allowed\n"
    );
    assert_eq!(
        err(&mut sim, "kubectl logs counter -c counter --all-containers"),
        "error: --all-containers=true should not be specified with container name counter\n"
    );
    assert_eq!(
        err(&mut sim, "kubectl logs counter --tail=-2"),
        "error: --tail must be greater than or equal to -1\n"
    );
    assert_eq!(
        err(
            &mut sim,
            "kubectl logs counter --since=1s --since-time=2026-01-05T09:00:00Z"
        ),
        "error: at most one of `sinceTime` or `sinceSeconds` may be specified\n"
    );
    assert_eq!(
        err(&mut sim, "kubectl logs counter --since=-5s"),
        "error: --since must be greater than 0\n"
    );
    assert_eq!(
        err(&mut sim, "kubectl logs counter --limit-bytes=-1"),
        "error: --limit-bytes must be greater than 0\n"
    );
    assert_eq!(
        err(&mut sim, "kubectl logs deploy/none"),
        "error: error from server (NotFound): deployments.apps \"none\" not found in namespace \"default\"\n"
    );
    assert_eq!(
        err(&mut sim, "kubectl logs node/node-1"),
        "error: cannot get the logs from *v1.Node: selector for *v1.Node not implemented\n"
    );
    // The inline container name is the second argument.
    assert_eq!(
        ok(&mut sim, "kubectl logs counter counter --tail=1"),
        ok(&mut sim, "kubectl logs counter -c counter --tail=1")
    );
    assert!(ok(&mut sim, "kubectl logs --help").contains("Print the logs for a container in a pod"));
}

#[test]
fn a_stopped_node_does_not_answer() {
    let mut sim = sim();
    apply(&mut sim, &pod("counter", "busybox:1.36", COUNTER));
    sim.advance_to(Time(10_000));
    let node = ok(
        &mut sim,
        "kubectl get pod counter -o jsonpath={.spec.nodeName}",
    );
    sim.execute(&Command::Sim(SimAction::StopNode(node.clone())));
    let ip = format!(
        "172.18.0.{}",
        node.trim_start_matches("node-").parse::<u32>().unwrap() + 1
    );
    assert_eq!(
        err(&mut sim, "kubectl logs counter"),
        format!("Error from server: Get \"https://{ip}:10250/containerLogs/default/counter/counter\": dial tcp {ip}:10250: i/o timeout\n")
    );
}

#[test]
fn environment_variables_reach_the_script() {
    let mut sim = sim();
    apply(
        &mut sim,
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: env\nspec:\n  containers:\n  - name: env\n    image: busybox:1.36\n    env:\n    - {name: GREETING, value: hello}\n    - {name: MESSAGE, value: '$(GREETING) from'}\n    - name: MY_POD\n      valueFrom: {fieldRef: {fieldPath: metadata.name}}\n    command: [sh, -c, 'echo \"$MESSAGE $MY_POD on $HOSTNAME\"; printenv KUBERNETES_SERVICE_HOST; sleep 3600']\n",
    );
    sim.advance_to(Time(10_000));
    assert_eq!(
        ok(&mut sim, "kubectl logs env"),
        "hello from env on env\n10.96.0.1\n"
    );
}

/// Polls `watch` every 100 ms up to `until`, collecting what it prints.
fn follow(sim: &mut Sim, watch: &mut Watch, until: u64) -> (String, bool) {
    let mut text = String::new();
    let mut t = sim.now.0;
    while t < until && !watch.finished() {
        t += 100;
        sim.advance_to(Time(t));
        text.push_str(&watch.poll(sim).stdout);
    }
    (text, watch.finished())
}

#[test]
fn follow_prints_lines_as_they_are_written_until_the_run_ends() {
    let mut sim = sim();
    apply(
        &mut sim,
        &pod(
            "job",
            "busybox:1.36",
            "echo one; sleep 2; echo two; sleep 2; echo three",
        ),
    );
    sim.advance_to(Time(5_000));
    let (first, watch) = sim.start(&Command::Kubectl("kubectl logs -f job".into()));
    assert_eq!(first.stdout, "one\n");
    let mut watch = watch.expect("-f follows");
    // The console is woken when the next line is due, even if nothing else happens.
    let next = watch.wake_at().expect("a line is due");
    assert!(next > sim.now && next.0 <= 7_000, "{next:?}");
    let (more, done) = follow(&mut sim, &mut watch, 6_000);
    assert_eq!((more.as_str(), done), ("", false));
    let (more, done) = follow(&mut sim, &mut watch, 20_000);
    assert_eq!(more, "two\nthree\n");
    assert!(done, "the stream ends when the container exits");
    // A follow of one stream is not limited by --max-log-requests; of several it is.
    let (_, one) = sim.start(&Command::Kubectl(
        "kubectl logs -f job --max-log-requests=0".into(),
    ));
    assert!(one.is_none(), "the job's run is over: nothing to follow");
    apply(&mut sim, &pod("counter", "busybox:1.36", COUNTER));
    let too_many = run(&mut sim, "kubectl logs -f -l run!=x --max-log-requests=1");
    assert_eq!(
        too_many.stderr,
        "error: you are attempting to follow 2 log streams, but maximum allowed concurrency is 1, use --max-log-requests to increase the limit\n"
    );
}

#[test]
fn a_followed_counter_prints_every_line_once_over_hours() {
    let mut sim = sim();
    apply(&mut sim, &pod("counter", "busybox:1.36", COUNTER));
    sim.advance_to(Time(10_000));
    let (first, watch) = sim.start(&Command::Kubectl("kubectl logs -f counter --tail=1".into()));
    assert_eq!(first.stdout.lines().count(), 1);
    let mut watch = watch.expect("follows");
    // Two simulated hours, stopping only where the console would: at the next line.
    let mut printed = first.stdout;
    while sim.now.0 < 2 * 3_600_000 {
        let at = watch.wake_at().expect("a next line");
        assert!(at > sim.now, "{at:?} after {:?}", sim.now);
        sim.advance_to(at);
        printed.push_str(&watch.poll(&sim).stdout);
    }
    let numbers: Vec<u64> = printed
        .lines()
        .map(|l| l.split(':').next().unwrap().parse().unwrap())
        .collect();
    assert!(
        numbers.windows(2).all(|w| w[1] == w[0] + 1),
        "no line lost or repeated"
    );
    assert!(numbers.len() > 7_000, "{}", numbers.len());
}

#[test]
fn limit_bytes_applies_to_each_stream() {
    let mut sim = sim();
    let out = sim.execute(&Command::Kubectl(
        "kubectl create deployment web --image=nginx:1.27.3 --replicas=3".into(),
    ));
    assert!(out.success());
    sim.advance_to(Time(30_000));
    let limited = ok(&mut sim, "kubectl logs -l app=web --limit-bytes=20");
    // Ten lines from each pod (a selector's tail), then twenty bytes of each.
    assert_eq!(limited, "10-listen-on-ipv6-by".repeat(3));
}

#[test]
fn command_and_args_expand_container_variables() {
    // kubernetes.io/docs/tasks/inject-data-application/define-command-argument-container
    let mut sim = sim();
    apply(
        &mut sim,
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: echo\nspec:\n  containers:\n  - name: echo\n    image: busybox:1.36\n    env: [{name: MESSAGE, value: hello world}]\n    command: [/bin/echo]\n    args: [\"$(MESSAGE)\", \"$(KUBERNETES_SERVICE_PORT)\", \"$$(MESSAGE)\", \"$(HOSTNAME)\"]\n",
    );
    sim.advance_to(Time(6_000));
    assert_eq!(
        ok(&mut sim, "kubectl logs echo"),
        "hello world 443 $(MESSAGE) $(HOSTNAME)\n"
    );
}

#[test]
fn following_a_fast_writer_loses_no_line() {
    let mut sim = sim();
    apply(
        &mut sim,
        &pod(
            "fast",
            "busybox:1.36",
            "i=0; while true; do echo $i; i=$((i+1)); sleep 0.1; done",
        ),
    );
    sim.advance_to(Time(10_000));
    let (first, watch) = sim.start(&Command::Kubectl("kubectl logs -f fast".into()));
    let mut watch = watch.expect("follows");
    let mut printed = first.stdout;
    while sim.now.0 < 600_000 {
        let at = watch
            .wake_at()
            .expect("a next line")
            .max(Time(sim.now.0 + 5_000));
        sim.advance_to(at);
        printed.push_str(&watch.poll(&sim).stdout);
    }
    let numbers: Vec<u64> = printed.lines().map(|l| l.parse().unwrap()).collect();
    assert_eq!(numbers.first(), Some(&0));
    assert!(
        numbers.windows(2).all(|w| w[1] == w[0] + 1),
        "no line lost or repeated"
    );
    assert!(numbers.len() > 5_900, "{}", numbers.len());
}

#[test]
fn containers_running_one_command_exit_by_what_each_of_them_reads() {
    // The same command in five pods: the exit depends on the pod's name where the script
    // reads it, on the clock where it asks `date`, and on nothing else otherwise (the kubelet
    // works such an exit out once for all of them).
    let mut sim = sim();
    let by_name = "sleep ${#HOSTNAME}; exit 3";
    let by_clock = "sleep $(( $(date +%s) % 7 + 1 )); exit 4";
    let plain = "i=0; while [ $i -lt 3000 ]; do i=$((i+1)); done; sleep 2; exit 5";
    let mut docs = Vec::new();
    for (name, script) in [
        ("a", by_name),
        ("bbbbbb", by_name),
        ("c", by_clock),
        ("p1", plain),
        ("p2222", plain),
    ] {
        docs.push(pod(name, "busybox:1.36", script));
    }
    apply(&mut sim, &docs[..4].join("---\n"));
    sim.advance_to(Time(3_000));
    // A pod that starts later runs the plain command from a later moment.
    apply(&mut sim, &docs[4]);
    sim.advance_to(Time(90_000));
    // The run before the current one of each container (all have restarted by now): how
    // long it ran, its exit code, and when it started (seconds after 09:00).
    let last = |sim: &mut Sim, name: &str| {
        let path = "{.status.containerStatuses[0].lastState.terminated}";
        let field = |sim: &mut Sim, f: &str| {
            ok(
                sim,
                &format!(
                    "kubectl get pod {name} -o jsonpath={}.{f}}}",
                    &path[..path.len() - 1]
                ),
            )
        };
        let (started, finished) = (field(sim, "startedAt"), field(sim, "finishedAt"));
        let secs =
            |t: &str| t[17..19].parse::<i64>().unwrap() + 60 * t[14..16].parse::<i64>().unwrap();
        (
            secs(&finished) - secs(&started),
            field(sim, "exitCode"),
            secs(&started) % 60,
        )
    };
    assert_eq!(last(&mut sim, "a").0, 1);
    assert_eq!(last(&mut sim, "bbbbbb").0, 6);
    assert_eq!(last(&mut sim, "a").1, "3");
    assert_eq!(last(&mut sim, "p1").0, 2);
    assert_eq!(last(&mut sim, "p2222").0, 2);
    assert_eq!(last(&mut sim, "p2222").1, "5");
    // The simulated clock starts at 2026-01-05T09:00:00Z, 1767603600 s after the epoch.
    let (ran, code, second) = last(&mut sim, "c");
    assert_eq!(
        (ran, code.as_str()),
        ((1_767_603_600 + second) % 7 + 1, "4")
    );
}

#[test]
fn a_deleted_pod_whose_script_traps_sigterm_stops_at_once_and_logs_it() {
    let mut sim = sim();
    let graceful =
        "trap 'echo got SIGTERM, closing; exit 0' TERM; echo serving; while true; do sleep 1; done";
    // The same handler is no use while a long `sleep` holds the shell.
    let stuck = "trap 'echo got SIGTERM; exit 0' TERM; sleep 3600";
    apply(
        &mut sim,
        &[
            pod("graceful", "busybox:1.36", graceful),
            pod("stuck", "busybox:1.36", stuck),
        ]
        .join("---\n"),
    );
    sim.advance_to(Time(20_200));
    let (first, watch) = sim.start(&Command::Kubectl("kubectl logs -f graceful".into()));
    assert_eq!(first.stdout, "serving\n");
    let mut watch = watch.expect("-f follows");
    for name in ["graceful", "stuck"] {
        let out = sim.execute(&Command::Kubectl(format!(
            "kubectl delete pod {name} --wait=false"
        )));
        assert!(out.success(), "{}", out.text());
    }
    // SIGTERM at 20.2 s, 15.7 s into the container's run (it started at 4.5 s): the
    // `sleep 1` under way ends at 16 s of its clock, 20.5 s, and the handler runs then.
    let (more, done) = follow(&mut sim, &mut watch, 21_000);
    assert_eq!((more.as_str(), done), ("got SIGTERM, closing\n", true));
    sim.advance_to(Time(22_000));
    assert_eq!(
        err(&mut sim, "kubectl get pod graceful"),
        "Error from server (NotFound): pods \"graceful\" not found\n"
    );
    // `stuck` is killed when the 30 s grace period ends, without its handler having run.
    sim.advance_to(Time(49_000));
    assert_eq!(ok(&mut sim, "kubectl logs stuck"), "");
    // Killed at 50.2 s (exit 137: `Error`), the pod goes at the kubelet's next relist.
    sim.advance_to(Time(50_500));
    assert!(ok(&mut sim, "kubectl get pod stuck --no-headers").contains(" Error "));
    sim.advance_to(Time(51_300));
    assert!(err(&mut sim, "kubectl get pod stuck").contains("NotFound"));
}

#[test]
fn a_shell_waiting_on_a_job_takes_sigterm_at_once() {
    let mut sim = sim();
    // The shell waits on its work, a job; `wait` returns as SIGTERM arrives and the
    // handler stops the job (busybox prints `Terminated` as `wait` finds it killed).
    let waiting = r#"trap 'echo stopping; kill $child; wait $child; echo "worker ended $?"; exit 0' TERM; echo serving; sleep 3600 & child=$!; wait $child"#;
    // Without a trap the shell, as process 1, ignores SIGTERM and goes on waiting.
    let ignoring = "sleep 3600 & wait";
    apply(
        &mut sim,
        &[
            pod("waiting", "busybox:1.36", waiting),
            pod("ignoring", "busybox:1.36", ignoring),
        ]
        .join("---\n"),
    );
    sim.advance_to(Time(20_200));
    for name in ["waiting", "ignoring"] {
        let out = sim.execute(&Command::Kubectl(format!(
            "kubectl delete pod {name} --wait=false"
        )));
        assert!(out.success(), "{}", out.text());
    }
    sim.advance_to(Time(20_500));
    assert_eq!(
        ok(&mut sim, "kubectl logs waiting"),
        "serving\nstopping\nTerminated\nworker ended 143\n"
    );
    sim.advance_to(Time(21_500));
    assert!(err(&mut sim, "kubectl get pod waiting").contains("NotFound"));
    sim.advance_to(Time(49_000));
    assert!(ok(&mut sim, "kubectl get pod ignoring --no-headers").contains("Terminating"));
    sim.advance_to(Time(51_300));
    assert!(err(&mut sim, "kubectl get pod ignoring").contains("NotFound"));
}
