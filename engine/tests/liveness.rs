//! Exec probes and liveness probes against the kubelet's prober: the documentation's
//! liveness example (`touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600` probed
//! with `cat /tmp/healthy`), restarts after `failureThreshold` failures with the grace period
//! before SIGKILL, HTTP liveness on an app that answers 503, exec readiness probes, and a
//! startup probe that keeps liveness off a slow starter (the same page's third example).

mod common;

use common::{apply, run};
use kubesim::cluster::ClusterConfig;
use kubesim::registry::{Behaviour, ImageInfo};
use kubesim::{Sim, Time};

fn sim() -> Sim {
    let mut config = ClusterConfig::default();
    let mut sick = ImageInfo::server(10, 0.5, 8080);
    sick.behaviour = Behaviour::NeverReady;
    config.registry.add("example/sick", "1.0", sick);
    config
        .registry
        .add("example/slow", "1.0", ImageInfo::server(10, 60.0, 8080));
    Sim::new(config, 5)
}

fn jsonpath(sim: &mut Sim, pod: &str, path: &str) -> String {
    run(
        sim,
        &format!("kubectl get pod {pod} -o jsonpath={{{path}}}"),
    )
    .stdout
}

/// The events about `pod` with this reason: (count, message).
fn events(sim: &Sim, reason: &str) -> Vec<(i64, String)> {
    sim.store
        .events
        .iter()
        .filter(|e| e.reason == reason)
        .map(|e| (e.count, e.message.clone()))
        .collect()
}

/// kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes
const LIVENESS_EXEC: &str = "apiVersion: v1
kind: Pod
metadata:
  labels:
    test: liveness
  name: liveness-exec
spec:
  containers:
  - name: liveness
    image: registry.k8s.io/busybox:1.27.2
    args:
    - /bin/sh
    - -c
    - touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600
    livenessProbe:
      exec:
        command:
        - cat
        - /tmp/healthy
      initialDelaySeconds: 5
      periodSeconds: 5
";

#[test]
fn the_documentations_liveness_example_restarts_the_container() {
    let mut sim = sim();
    apply(&mut sim, LIVENESS_EXEC);
    sim.advance_to(Time(10_000));
    // Sandbox 1 s, pull 2.5 s, create 1 s: the shell starts at 4.5 s and removes the file
    // at 34.5 s. The worker ticks every 5 s from admission: failures at 35, 40 and 45 s.
    assert_eq!(
        jsonpath(
            &mut sim,
            "liveness-exec",
            ".status.containerStatuses[0].state.running.startedAt"
        ),
        "2026-01-05T09:00:04Z"
    );
    sim.advance_to(Time(34_000));
    assert!(
        events(&sim, "Unhealthy").is_empty(),
        "the file is still there"
    );
    sim.advance_to(Time(44_000));
    let failed = "Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory";
    assert_eq!(events(&sim, "Unhealthy"), vec![(2, failed.to_string())]);
    assert!(events(&sim, "Killing").is_empty());
    sim.advance_to(Time(45_000));
    assert_eq!(events(&sim, "Unhealthy"), vec![(3, failed.to_string())]);
    assert_eq!(
        events(&sim, "Killing"),
        vec![(
            1,
            "Container liveness failed liveness probe, will be restarted".to_string()
        )]
    );
    // The shell ignores SIGTERM: it is killed at the end of the 30 s grace period.
    sim.advance_to(Time(74_000));
    assert_eq!(
        jsonpath(
            &mut sim,
            "liveness-exec",
            ".status.containerStatuses[0].restartCount"
        ),
        "0"
    );
    sim.advance_to(Time(80_000));
    let last = |sim: &mut Sim, field: &str| {
        jsonpath(
            sim,
            "liveness-exec",
            &format!(".status.containerStatuses[0].lastState.terminated.{field}"),
        )
    };
    assert_eq!(last(&mut sim, "exitCode"), "137");
    assert_eq!(last(&mut sim, "reason"), "Error");
    assert_eq!(last(&mut sim, "finishedAt"), "2026-01-05T09:01:15Z");
    assert_eq!(
        jsonpath(
            &mut sim,
            "liveness-exec",
            ".status.containerStatuses[0].restartCount"
        ),
        "1"
    );
    assert_eq!(
        jsonpath(&mut sim, "liveness-exec", ".status.phase"),
        "Running"
    );
    let describe = run(&mut sim, "kubectl describe pod liveness-exec").stdout;
    assert!(describe.contains(
        "Liveness:       exec [cat /tmp/healthy] delay=5s timeout=1s period=5s #success=1 #failure=3"
    ));
    assert!(describe
        .contains("Container image \"registry.k8s.io/busybox:1.27.2\" already present on machine"));
    // Each kill restarts at once: the back-off is measured from the run before, 75 s
    // earlier, and only outgrows the cycle at 80 s (doBackOff reads the status from before
    // the kill).
    sim.advance_to(Time(400_000));
    assert_eq!(
        jsonpath(
            &mut sim,
            "liveness-exec",
            ".status.containerStatuses[0].restartCount"
        ),
        "5"
    );
    assert!(events(&sim, "BackOff").is_empty());
    sim.advance_to(Time(700_000));
    assert!(!events(&sim, "BackOff").is_empty(), "then it backs off");
}

#[test]
fn an_http_liveness_probe_restarts_an_app_answering_503() {
    let mut sim = sim();
    apply(
        &mut sim,
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: sick\nspec:\n  containers:\n  - name: app\n    image: example/sick:1.0\n    livenessProbe:\n      httpGet: {path: /healthz, port: 8080}\n      periodSeconds: 3\n      failureThreshold: 2\n      terminationGracePeriodSeconds: 5\n",
    );
    sim.advance_to(Time(30_000));
    // Unlike readiness, liveness waits for its worker's first tick: by then the app
    // listens, and answers 503.
    let unhealthy = events(&sim, "Unhealthy");
    assert!(!unhealthy.is_empty());
    assert!(unhealthy
        .iter()
        .all(|e| e.1 == "Liveness probe failed: HTTP probe failed with statuscode: 503"));
    assert!(!events(&sim, "Killing").is_empty());
    // The app stops on SIGTERM within its own shutdown time: exit code 0.
    assert_eq!(
        jsonpath(
            &mut sim,
            "sick",
            ".status.containerStatuses[0].lastState.terminated.exitCode"
        ),
        "0"
    );
    let restarts: i64 = jsonpath(
        &mut sim,
        "sick",
        ".status.containerStatuses[0].restartCount",
    )
    .parse()
    .unwrap();
    assert!(restarts >= 2, "{restarts}");
    // Later restarts wait out the crash-loop back-off.
    sim.advance_to(Time(120_000));
    assert!(!events(&sim, "BackOff").is_empty());
}

#[test]
fn a_liveness_probe_on_the_wrong_port_fails_and_one_that_passes_never_restarts() {
    let mut sim = sim();
    apply(
        &mut sim,
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: web\n    image: nginx:1.27\n    livenessProbe:\n      tcpSocket: {port: 80}\n      initialDelaySeconds: 3\n",
    );
    sim.advance_to(Time(300_000));
    assert!(events(&sim, "Unhealthy").is_empty());
    assert_eq!(
        jsonpath(&mut sim, "web", ".status.containerStatuses[0].restartCount"),
        "0"
    );
    apply(
        &mut sim,
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: wrong\nspec:\n  containers:\n  - name: web\n    image: nginx:1.27\n    livenessProbe:\n      tcpSocket: {port: 8080}\n",
    );
    sim.advance_to(Time(400_000));
    let unhealthy = events(&sim, "Unhealthy");
    assert!(
        unhealthy[0]
            .1
            .starts_with("Liveness probe failed: dial tcp 10.244."),
        "{unhealthy:?}"
    );
    assert!(unhealthy[0]
        .1
        .ends_with(":8080: connect: connection refused"));
}

#[test]
fn an_exec_readiness_probe_follows_the_file_the_script_keeps() {
    let mut sim = sim();
    apply(
        &mut sim,
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: ready\nspec:\n  containers:\n  - name: app\n    image: busybox:1.36\n    command: [sh, -c, 'sleep 10; touch /tmp/ready; sleep 20; rm /tmp/ready; sleep 3600']\n    readinessProbe:\n      exec:\n        command: [cat, /tmp/ready]\n      periodSeconds: 2\n      failureThreshold: 1\n",
    );
    let ready = |sim: &mut Sim| jsonpath(sim, "ready", ".status.containerStatuses[0].ready");
    sim.advance_to(Time(12_000));
    assert_eq!(
        ready(&mut sim),
        "false",
        "started at 4.5 s, the file comes at 14.5 s"
    );
    sim.advance_to(Time(20_000));
    assert_eq!(ready(&mut sim), "true");
    sim.advance_to(Time(40_000));
    assert_eq!(ready(&mut sim), "false", "removed at 34.5 s");
    assert_eq!(
        jsonpath(
            &mut sim,
            "ready",
            ".status.containerStatuses[0].restartCount"
        ),
        "0"
    );
}

#[test]
fn kills_give_at_least_two_seconds_and_a_slow_shutdown_is_cut_short() {
    let mut sim = sim();
    // mysql needs 3 s to shut down; a 1 s grace (2 s, as killContainer enforces) is too
    // short: SIGKILL, exit code 137. `failureThreshold: 0` is defaulted to 3.
    apply(
        &mut sim,
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: db\nspec:\n  containers:\n  - name: db\n    image: mysql:8.4\n    env: [{name: MYSQL_ROOT_PASSWORD, value: secret}]\n    livenessProbe:\n      tcpSocket: {port: 3307}\n      initialDelaySeconds: 20\n      failureThreshold: 0\n      terminationGracePeriodSeconds: 1\n",
    );
    let describe = run(&mut sim, "kubectl describe pod db").stdout;
    assert!(describe.contains("#success=1 #failure=3"), "{describe}");
    // Probes from 30 s (the initial delay passes at 24.5 s): the third failure at 50 s.
    sim.advance_to(Time(60_000));
    let killing = sim
        .store
        .events
        .iter()
        .find(|e| e.reason == "Killing")
        .map(|e| e.first_timestamp)
        .expect("killed");
    let finished = jsonpath(
        &mut sim,
        "db",
        ".status.containerStatuses[0].lastState.terminated.finishedAt",
    );
    assert_eq!(
        kubesim::time::parse_rfc3339(&finished).map(|t| t.since(killing)),
        Some(2_000),
        "killed 2 s after the kill began"
    );
    assert_eq!(
        jsonpath(
            &mut sim,
            "db",
            ".status.containerStatuses[0].lastState.terminated.exitCode"
        ),
        "137"
    );
}

#[test]
fn a_startup_probe_holds_liveness_off_a_slow_starter() {
    let mut sim = sim();
    // The app listens 60 s after its start; liveness alone gives it 30 s.
    let pod = |name: &str, startup: &str| {
        format!(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\nspec:\n  containers:\n  - name: app\n    image: example/slow:1.0\n    livenessProbe: {{httpGet: {{path: /healthz, port: 8080}}, periodSeconds: 10}}\n{startup}"
        )
    };
    apply(&mut sim, &pod("alone", ""));
    apply(
        &mut sim,
        &pod(
            "started",
            "    startupProbe: {httpGet: {path: /healthz, port: 8080}, periodSeconds: 10, failureThreshold: 30}\n    readinessProbe: {httpGet: {path: /healthz, port: 8080}, periodSeconds: 5}\n",
        ),
    );
    apply(
        &mut sim,
        &pod(
            "impatient",
            "    startupProbe: {httpGet: {path: /healthz, port: 8080}, periodSeconds: 10, failureThreshold: 2}\n",
        ),
    );
    sim.advance_to(Time(50_000));
    assert!(events(&sim, "Killing")
        .iter()
        .any(|e| e.1 == "Container app failed startup probe, will be restarted"));
    let status = |sim: &mut Sim, pod: &str, field: &str| {
        jsonpath(sim, pod, &format!(".status.containerStatuses[0].{field}"))
    };
    assert_eq!(
        status(&mut sim, "alone", "restartCount"),
        "1",
        "killed after three failures"
    );
    assert_eq!(status(&mut sim, "started", "restartCount"), "0");
    assert_eq!(status(&mut sim, "started", "started"), "false");
    assert_eq!(status(&mut sim, "started", "ready"), "false");
    let startup: Vec<String> = events(&sim, "Unhealthy")
        .into_iter()
        .map(|e| e.1)
        .filter(|m| !m.starts_with("Liveness"))
        .collect();
    assert!(
        startup
            .iter()
            .all(|m| m.starts_with("Startup probe failed: Get \"http://")),
        "readiness waits for the startup probe: {startup:?}"
    );
    sim.advance_to(Time(120_000));
    assert_eq!(status(&mut sim, "started", "started"), "true");
    assert_eq!(status(&mut sim, "started", "ready"), "true");
    assert_eq!(status(&mut sim, "started", "restartCount"), "0");
    let alone: i64 = status(&mut sim, "alone", "restartCount").parse().unwrap();
    assert!(alone >= 2, "{alone}");
}

#[test]
fn a_script_that_traps_sigterm_exits_by_itself_when_liveness_kills_it() {
    // The documentation's example, with a handler and the long sleep cut into seconds.
    let trapping = LIVENESS_EXEC.replace(
        "touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600",
        "trap 'echo stopping; exit 0' TERM; touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; while true; do sleep 1; done",
    );
    let mut sim = sim();
    apply(&mut sim, &trapping);
    // Killed at 45 s (the third failure in a row): the `sleep 1` under way ends at 45.5 s
    // (the shell started at 4.5 s) and the handler exits 0; the kubelet notices at its next
    // relist (46.5 s) and starts the container again a second later, instead of waiting
    // out the 30 s grace period for SIGKILL.
    sim.advance_to(Time(48_000));
    let last = ".status.containerStatuses[0].lastState.terminated";
    assert_eq!(
        jsonpath(&mut sim, "liveness-exec", &format!("{last}.exitCode")),
        "0"
    );
    assert_eq!(
        jsonpath(&mut sim, "liveness-exec", &format!("{last}.reason")),
        "Completed"
    );
    assert_eq!(
        jsonpath(
            &mut sim,
            "liveness-exec",
            ".status.containerStatuses[0].restartCount"
        ),
        "1"
    );
    assert_eq!(
        run(&mut sim, "kubectl logs liveness-exec -p").stdout,
        "stopping\n"
    );
}
