//! Init containers: the kubelet runs them one after another to completion before the app
//! container (`computePodActions`), with their own statuses, events and logs; kubectl's
//! STATUS column reads them as `printPod` does (`Init:1/2`, `Init:Error`,
//! `Init:CrashLoopBackOff`, `Init:ImagePullBackOff`, `PodInitializing`).

mod common;

use common::{act, apply, ok};
use kubesim::cluster::ClusterConfig;
use kubesim::{Command, Sim, Time};

fn deployment(init: &str) -> String {
    format!(
        "apiVersion: apps/v1
kind: Deployment
metadata: {{name: web}}
spec:
  replicas: 1
  selector: {{matchLabels: {{app: web}}}}
  template:
    metadata: {{labels: {{app: web}}}}
    spec:
      initContainers:
{init}
      containers: [{{name: web, image: 'nginx:1.27'}}]
"
    )
}

fn sim_with(init: &str) -> Sim {
    let mut sim = Sim::new(ClusterConfig::default(), 3);
    apply(&mut sim, &deployment(init));
    sim
}

/// The pod's `NAME READY STATUS RESTARTS` columns at time `t`, as one line.
fn row(sim: &mut Sim, t: u64) -> String {
    sim.advance_to(Time(t));
    let out = ok(sim, "kubectl get pods --no-headers");
    let cols: Vec<&str> = out.split_whitespace().collect();
    format!("{} {} {}", cols[1], cols[2], cols[3])
}

/// The pod tile's class in the cluster view.
fn tile(sim: &Sim) -> &'static str {
    kubesim::view::cluster(sim).deployments[0].replicasets[0].pods[0].phase
}

fn pod_name(sim: &mut Sim) -> String {
    ok(
        sim,
        "kubectl get pods -o jsonpath={.items[0].metadata.name}",
    )
}

const TWO_STEPS: &str = "      - {name: wait, image: 'busybox:1.36', command: [sh, -c, 'echo waiting; sleep 10; echo done']}
      - {name: setup, image: 'busybox:1.36', command: [sh, -c, 'echo setup; sleep 2']}";

#[test]
fn init_containers_run_in_order_to_completion_before_the_app_container() {
    let mut sim = sim_with(TWO_STEPS);
    // Default timings: sandbox 1 s, pulls 2.5 s, container start 1 s. `wait` pulls busybox
    // (1–3.5 s), starts at 4.5 s and exits at 14.5 s; `setup` finds the image, starts at
    // 15.5 s and exits at 17.5 s; then nginx is pulled (17.5–20 s) and starts at 21 s.
    assert_eq!(row(&mut sim, 2_000), "0/1 Init:0/2 0");
    // Init containers at work are a pod being created, not a failing one.
    assert_eq!(tile(&sim), "creating");
    let pod = pod_name(&mut sim);
    let initialized = |sim: &mut Sim| {
        ok(
            sim,
            &format!("kubectl get pod {pod} -o go-template='{{{{range .status.conditions}}}}{{{{if eq .type \"Initialized\"}}}}{{{{.status}}}} {{{{.message}}}}{{{{end}}}}{{{{end}}}}'"),
        )
    };
    assert_eq!(
        initialized(&mut sim),
        "False containers with incomplete status: [wait setup]"
    );
    assert_eq!(row(&mut sim, 10_000), "0/1 Init:0/2 0");
    assert_eq!(row(&mut sim, 16_000), "0/1 Init:1/2 0");
    assert_eq!(
        initialized(&mut sim),
        "False containers with incomplete status: [setup]"
    );
    // Initialized; the app container waits as PodInitializing while its image is pulled.
    assert_eq!(row(&mut sim, 18_000), "0/1 PodInitializing 0");
    // Go templates print a missing key as `<no value>`: the message is gone.
    assert_eq!(initialized(&mut sim), "True <no value>");
    assert_eq!(
        ok(
            &mut sim,
            &format!("kubectl get pod {pod} -o jsonpath={{.status.phase}}")
        ),
        "Pending"
    );
    assert_eq!(row(&mut sim, 25_000), "1/1 Running 0");
    assert_eq!(
        ok(
            &mut sim,
            &format!("kubectl get pod {pod} -o jsonpath={{.status.initContainerStatuses[*].state.terminated.reason}}")
        ),
        "Completed Completed"
    );
    // Each init container's log, and all of them first with --all-containers.
    assert_eq!(
        ok(&mut sim, &format!("kubectl logs {pod} -c wait")),
        "waiting\ndone\n"
    );
    assert_eq!(
        ok(&mut sim, &format!("kubectl logs {pod} -c setup")),
        "setup\n"
    );
    let all = ok(
        &mut sim,
        &format!("kubectl logs {pod} --all-containers --prefix"),
    );
    assert!(
        all.starts_with(&format!(
            "[pod/{pod}/wait] waiting\n[pod/{pod}/wait] done\n[pod/{pod}/setup] setup\n[pod/{pod}/web] "
        )),
        "{all}"
    );
    // The kubelet's events name the init container by its field path; the same message
    // about two containers makes two events.
    let described = ok(&mut sim, &format!("kubectl describe pod {pod}"));
    for line in [
        "spec.initContainers{wait}: Pulling image \"busybox:1.36\"",
        "spec.initContainers{setup}: Container image \"busybox:1.36\" already present on machine",
        "spec.initContainers{wait}: Container created",
        "spec.initContainers{setup}: Container created",
        "spec.containers{web}: Container created",
    ] {
        assert!(described.contains(line), "{line}\n{described}");
    }
    assert!(!described.contains("(x"), "{described}");
    assert!(
        described.contains("Init Containers:\n  wait:\n"),
        "{described}"
    );
}

#[test]
fn a_failing_init_container_restarts_with_back_off_and_the_app_never_starts() {
    let mut sim = sim_with(
        "      - {name: check, image: 'busybox:1.36', command: [sh, -c, 'echo no database; exit 3']}",
    );
    // Starts at 4.5 s and exits at once; the kubelet notices one relist later.
    assert_eq!(row(&mut sim, 4_800), "0/1 Init:Error 0");
    assert_eq!(tile(&sim), "failing");
    let pod = pod_name(&mut sim);
    assert_eq!(
        ok(
            &mut sim,
            &format!("kubectl get pod {pod} -o jsonpath={{.status.initContainerStatuses[0].state.terminated.exitCode}}")
        ),
        "3"
    );
    // Restarted once at once, it fails again and waits out the back-off (10 s, doubling),
    // as an app container does; its restarts count in the pod's RESTARTS.
    assert_eq!(row(&mut sim, 8_000), "0/1 Init:CrashLoopBackOff 1");
    let restarts = |sim: &mut Sim| {
        ok(
            sim,
            &format!("kubectl get pod {pod} -o jsonpath={{.status.initContainerStatuses[0].restartCount}}"),
        )
        .parse::<i64>()
        .unwrap()
    };
    sim.advance_to(Time(120_000));
    let after_two_minutes = restarts(&mut sim);
    assert!((3..=5).contains(&after_two_minutes), "{after_two_minutes}");
    let now = row(&mut sim, 120_000);
    assert!(
        now.starts_with("0/1 Init:")
            && now.split(' ').nth(2) == Some(after_two_minutes.to_string().as_str()),
        "{now}"
    );
    assert_eq!(
        ok(
            &mut sim,
            &format!("kubectl get pod {pod} -o jsonpath={{.status.phase}}")
        ),
        "Pending"
    );
    assert_eq!(
        ok(&mut sim, &format!("kubectl logs {pod} -c check")),
        "no database\n"
    );
    // The app container never ran: nothing to log yet.
    let out = sim.execute(&Command::Kubectl(format!("kubectl logs {pod}")));
    assert!(
        out.text().contains("is waiting to start: PodInitializing"),
        "{}",
        out.text()
    );
    // The Deployment is not available.
    assert_eq!(
        ok(
            &mut sim,
            "kubectl get deployment web -o jsonpath={.status.availableReplicas}"
        ),
        ""
    );
}

#[test]
fn an_init_container_image_that_cannot_be_pulled() {
    let mut sim =
        sim_with("      - {name: init, image: 'busybox:no-such-tag', command: [sh, -c, 'true']}");
    // As for an app container's image (k8s-semantics.md, the stuck rollout).
    assert_eq!(row(&mut sim, 5_000), "0/1 Init:ErrImagePull 0");
    assert_eq!(row(&mut sim, 30_000), "0/1 Init:ImagePullBackOff 0");
    // `kubectl set image` updates init containers too: a rollout fixes it.
    let out = sim.execute(&Command::Kubectl(
        "kubectl set image deployment/web init=busybox:1.36".into(),
    ));
    assert_eq!(out.text(), "deployment.apps/web image updated\n");
    sim.advance_to(Time(90_000));
    assert_eq!(
        ok(
            &mut sim,
            "kubectl get deployment web -o jsonpath={.status.availableReplicas}"
        ),
        "1"
    );
    assert_eq!(row(&mut sim, 90_000), "1/1 Running 0");
    let out = sim.execute(&Command::Kubectl(
        "kubectl set image deployment/web nope=busybox:1.36".into(),
    ));
    assert_eq!(
        out.stderr,
        "error: unable to find container named \"nope\"\n"
    );
}

#[test]
fn sidecar_containers_are_refused_with_a_message() {
    let mut sim = Sim::new(ClusterConfig::default(), 3);
    let out = sim.execute(&Command::Apply {
        file: "web.yaml".into(),
        yaml: deployment(
            "      - {name: proxy, image: 'busybox:1.36', restartPolicy: Always, command: [sleep, '3600']}",
        ),
    });
    assert!(!out.success());
    assert!(
        out.text().contains("deployments.apps \"web\" is forbidden: kubesim simulates one container per pod, and this pod template has a sidecar container, init container \"proxy\" with restartPolicy Always"),
        "{}",
        out.text()
    );
}

#[test]
fn once_initialized_the_restarts_shown_are_the_app_containers_only() {
    // Fails while the minute's seconds are under 15: at 4.5 s and at its first restart
    // (6.5 s), then succeeds after the back-off, at about 17.5 s.
    let mut sim = sim_with(
        "      - {name: gate, image: 'busybox:1.36', command: [sh, -c, '[ $(date +%S) -ge 15 ] || exit 1']}",
    );
    assert_eq!(row(&mut sim, 10_000), "0/1 Init:CrashLoopBackOff 1");
    // printPod starts the count again for the app containers once the pod is initialized.
    assert_eq!(row(&mut sim, 40_000), "1/1 Running 0");
    let pod = pod_name(&mut sim);
    assert_eq!(
        ok(
            &mut sim,
            &format!("kubectl get pod {pod} -o jsonpath={{.status.initContainerStatuses[0].restartCount}}")
        ),
        "2"
    );
}

#[test]
fn a_pod_deleted_during_init_stops_its_init_container() {
    let mut sim = sim_with(TWO_STEPS);
    sim.advance_to(Time(6_000));
    let pod = pod_name(&mut sim);
    // kubectl names the app container by default, and lists the init containers.
    let out = sim.execute(&Command::Kubectl(format!("kubectl logs {pod}")));
    assert!(
        out.text()
            .starts_with("Defaulted container \"web\" out of: web, wait (init), setup (init)\n"),
        "{}",
        out.text()
    );
    // A running init container takes commands too.
    assert_eq!(
        ok(&mut sim, &format!("kubectl exec {pod} -c wait -- echo hi")),
        "hi\n"
    );
    act(&mut sim, &format!("kubectl delete pod {pod} --wait=false"));
    sim.advance_to(Time(10_000));
    let described = ok(&mut sim, &format!("kubectl describe pod {pod}"));
    assert!(
        described.contains("spec.initContainers{wait}: Stopping container wait"),
        "{described}"
    );
    // The shell ignores SIGTERM: the pod goes at the end of the 30 s grace period.
    assert!(
        described
            .lines()
            .any(|l| l.starts_with("Status:") && l.contains("Terminating (lasts")),
        "{described}"
    );
    sim.advance_to(Time(40_000));
    let out = sim.execute(&Command::Kubectl(format!("kubectl get pod {pod}")));
    assert!(out.text().contains("NotFound"), "{}", out.text());
}

#[test]
fn init_containers_are_validated_like_containers() {
    let mut sim = Sim::new(ClusterConfig::default(), 3);
    let out = sim.execute(&Command::Apply {
        file: "web.yaml".into(),
        yaml: deployment(
            "      - {name: web, image: busybox}
      - {name: probed, image: busybox, readinessProbe: {exec: {command: ['true']}}}
      - {name: noimage}
      - {name: odd, image: busybox, restartPolicy: Never}",
        ),
    });
    assert_eq!(
        out.text(),
        "The Deployment \"web\" is invalid: \n\
* spec.template.spec.initContainers[0].name: Duplicate value: \"web\"\n\
* spec.template.spec.initContainers[1].readinessProbe: Forbidden: may not be set for init containers without restartPolicy=Always\n\
* spec.template.spec.initContainers[2].image: Required value\n\
* spec.template.spec.initContainers[3].restartPolicy: Unsupported value: \"Never\": supported values: \"Always\"\n"
    );
}

#[test]
fn a_node_that_comes_back_runs_the_init_containers_again() {
    let mut sim = sim_with(TWO_STEPS);
    sim.advance_to(Time(6_000));
    let pod = pod_name(&mut sim);
    let node = ok(
        &mut sim,
        &format!("kubectl get pod {pod} -o jsonpath={{.spec.nodeName}}"),
    );
    let stop = sim.execute(&Command::Sim(kubesim::command::SimAction::StopNode(
        node.clone(),
    )));
    assert!(stop.success(), "{}", stop.text());
    sim.advance_to(Time(8_000));
    let start = sim.execute(&Command::Sim(kubesim::command::SimAction::StartNode(node)));
    assert!(start.success(), "{}", start.text());
    // A new sandbox: `wait` runs again (a restart), the pod is Pending and not initialized.
    sim.advance_to(Time(12_000));
    assert_eq!(
        ok(
            &mut sim,
            &format!("kubectl get pod {pod} -o 'jsonpath={{.status.phase}} {{.status.initContainerStatuses[0].restartCount}}'")
        ),
        "Pending 1"
    );
    assert_eq!(row(&mut sim, 12_000), "0/1 Init:0/2 1");
}

/// The lines of the named container's log that contain `text`.
fn count(sim: &mut Sim, container: &str, text: &str) -> usize {
    let pod = pod_name(sim);
    ok(sim, &format!("kubectl logs {pod} -c {container}"))
        .lines()
        .filter(|l| l.contains(text))
        .count()
}

#[test]
fn an_init_container_that_waits_for_a_service_goes_on_once_the_dns_knows_it() {
    let mut sim = sim_with(
        "      - {name: wait-db, image: 'busybox:1.28', command: [sh, -c, 'until nslookup db; do echo waiting for db; sleep 2; done']}",
    );
    // `wait-db` starts at 4.5 s and asks every 2 s; no Service `db` exists. (busybox 1.28,
    // as in the documentation: later ones also query `db.svc.cluster.local` and
    // `db.cluster.local` and fail when any name is unknown, so that loop never ends.)
    assert_eq!(row(&mut sim, 29_000), "0/1 Init:0/1 0");
    // Lookups at 4.5, 6.5 … 28.5 s: thirteen failures.
    assert_eq!(count(&mut sim, "wait-db", "waiting for db"), 13);
    assert_eq!(
        count(&mut sim, "wait-db", "nslookup: can't resolve 'db'"),
        13
    );
    sim.advance_to(Time(30_000));
    apply(
        &mut sim,
        "apiVersion: v1\nkind: Service\nmetadata: {name: db}\nspec:\n  ports: [{port: 5432}]\n",
    );
    // The next query, at 30.5 s, finds it: the init container exits 0 and nginx is pulled
    // (30.5–33 s) and started (34 s).
    assert_eq!(row(&mut sim, 30_400), "0/1 Init:0/1 0");
    assert_eq!(row(&mut sim, 31_000), "0/1 PodInitializing 0");
    assert_eq!(row(&mut sim, 35_000), "1/1 Running 0");
    // What the container was told before the Service existed stays in its log.
    assert_eq!(count(&mut sim, "wait-db", "waiting for db"), 13);
    assert_eq!(
        count(&mut sim, "wait-db", " db.default.svc.cluster.local"),
        1
    );
}

#[test]
fn a_container_that_watches_a_service_by_name_exits_when_it_goes() {
    let mut sim = Sim::new(ClusterConfig::default(), 3);
    apply(
        &mut sim,
        "apiVersion: v1
kind: Service
metadata: {name: db}
spec:
  ports: [{port: 5432}]
---
apiVersion: v1
kind: Pod
metadata: {name: watcher}
spec:
  restartPolicy: Never
  containers:
  - name: watcher
    image: busybox:1.36
    command: [sh, -c, 'while nslookup db > /dev/null; do sleep 5; done; echo db is gone; exit 3']
",
    );
    sim.advance_to(Time(60_000));
    assert_eq!(
        ok(
            &mut sim,
            "kubectl get pod watcher --no-headers -o custom-columns=S:.status.phase"
        ),
        "Running\n"
    );
    act(&mut sim, "kubectl delete service db");
    sim.advance_to(Time(80_000));
    assert_eq!(
        ok(&mut sim, "kubectl get pod watcher -o jsonpath={.status.containerStatuses[0].state.terminated.exitCode}"),
        "3"
    );
    assert_eq!(ok(&mut sim, "kubectl logs watcher"), "db is gone\n");
}

#[test]
fn a_service_appearing_while_a_probe_kills_a_container_does_not_save_it() {
    // The liveness probe fails at once and the kubelet kills the container; the script,
    // which asks the DNS and ignores SIGTERM, is killed at the end of the 30 s grace period
    // even though a Service it asks about appears meanwhile.
    let mut sim = Sim::new(ClusterConfig::default(), 3);
    apply(
        &mut sim,
        "apiVersion: v1
kind: Pod
metadata: {name: probed}
spec:
  containers:
  - name: probed
    image: busybox:1.28
    command: [sh, -c, 'while true; do nslookup db > /dev/null; sleep 1; done']
    livenessProbe:
      exec: {command: [cat, /nope]}
      periodSeconds: 5
      failureThreshold: 1
",
    );
    sim.advance_to(Time(12_000));
    apply(
        &mut sim,
        "apiVersion: v1\nkind: Service\nmetadata: {name: db}\nspec:\n  ports: [{port: 5432}]\n",
    );
    sim.advance_to(Time(60_000));
    assert_eq!(
        ok(
            &mut sim,
            "kubectl get pod probed -o jsonpath={.status.containerStatuses[0].lastState.terminated.exitCode}"
        ),
        "137"
    );
}
