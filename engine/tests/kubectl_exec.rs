//! `kubectl exec` against the simulated kubelet: a command runs in the container's shell
//! with its environment and the files its process wrote; kubectl's argument rules, pod
//! choice and errors (exec.go, the API server's and kubelet's exec path), and the exit code
//! of the remote command as kubectl's own.

mod common;

use common::{act, apply, err, ok, run};
use kubesim::cluster::ClusterConfig;
use kubesim::command::SimAction;
use kubesim::{Command, Sim, Time};

/// A cluster with the pod `bb` of `yaml`.
fn sim_with(yaml: &str) -> Sim {
    let mut sim = Sim::new(ClusterConfig::default(), 9);
    apply(&mut sim, yaml);
    sim
}

fn sim() -> Sim {
    sim_with(
        "apiVersion: v1
kind: Pod
metadata:
  name: bb
spec:
  containers:
  - name: bb
    image: busybox:1.36
    env: [{name: GREETING, value: hi}]
    command: [sh, -c, 'sleep 5; echo ready > /tmp/state; sleep 3600']
",
    )
}

#[test]
fn a_command_sees_the_environment_and_the_files_of_the_container() {
    let mut sim = sim();
    sim.advance_to(Time(2_000));
    // Not started yet: the kubelet has no running container to exec in.
    assert_eq!(
        err(&mut sim, "kubectl exec bb -- date"),
        "error: Internal error occurred: unable to upgrade connection: container not found (\"bb\")\n"
    );
    sim.advance_to(Time(7_000));
    // Started at 4.5 s; the file comes five seconds later. The remote command's standard
    // error is kubectl's.
    assert_eq!(
        err(&mut sim, "kubectl exec bb -- cat /tmp/state"),
        "cat: can't open '/tmp/state': No such file or directory\ncommand terminated with exit code 1\n"
    );
    sim.advance_to(Time(10_000));
    assert_eq!(ok(&mut sim, "kubectl exec bb -- cat /tmp/state"), "ready\n");
    assert_eq!(
        ok(&mut sim, "kubectl exec bb -- date"),
        "Mon Jan  5 09:00:10 UTC 2026\n"
    );
    let env = ok(&mut sim, "kubectl exec bb -- env");
    assert!(env.starts_with("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\nHOSTNAME=bb\nGREETING=hi\nKUBERNETES_SERVICE_HOST=10.96.0.1\n"));
    assert!(env.ends_with("HOME=/root\n"));
    // The remote command's status becomes kubectl's exit code.
    let out = run(
        &mut sim,
        "kubectl exec bb -- sh -c 'echo $GREETING from $(hostname); exit 4'",
    );
    assert_eq!(
        (out.exit_code, out.stdout.as_str(), out.stderr.as_str()),
        (4, "hi from bb\n", "command terminated with exit code 4\n")
    );
}

#[test]
fn arguments_pods_and_containers_as_kubectl_reads_them() {
    let mut sim = sim();
    sim.advance_to(Time(10_000));
    assert_eq!(
        err(&mut sim, "kubectl exec bb"),
        "error: you must specify at least one command for the container\n"
    );
    assert_eq!(
        err(&mut sim, "kubectl exec -- date"),
        "error: pod, type/name or --filename must be specified\n"
    );
    assert_eq!(
        err(&mut sim, "kubectl exec nope -- date"),
        "Error from server (NotFound): pods \"nope\" not found\n"
    );
    assert_eq!(
        err(&mut sim, "kubectl exec bb -c other -- date"),
        "Error from server (BadRequest): container other is not valid for pod bb\n"
    );
    // The old form without `--` still runs, after a warning that a terminal shows first.
    let old = run(&mut sim, "kubectl exec bb hostname");
    assert_eq!(old.exit_code, 0);
    assert_eq!(
        old.text(),
        "kubectl exec [POD] [COMMAND] is DEPRECATED and will be removed in a future version. Use kubectl exec [POD] -- [COMMAND] instead.\nbb\n"
    );
    assert_eq!(ok(&mut sim, "kubectl exec -q bb hostname"), "bb\n");
    assert!(err(&mut sim, "kubectl exec -it bb -- sh")
        .starts_with("error: interactive sessions are not simulated"));
    // Without a terminal, a shell reads nothing and ends.
    assert_eq!(ok(&mut sim, "kubectl exec bb -- sh"), "");
    // A Deployment's pod: a running one, chosen without a note.
    let out = sim.execute(&Command::Kubectl(
        "kubectl create deployment web --image=nginx:1.27 --replicas=2".into(),
    ));
    assert!(out.success());
    sim.advance_to(Time(30_000));
    let host = ok(&mut sim, "kubectl exec deploy/web -- hostname");
    assert!(host.starts_with("web-"), "{host}");
    // nginx's own files are not simulated: commands that need them are refused.
    assert!(err(
        &mut sim,
        "kubectl exec deploy/web -- cat /etc/nginx/nginx.conf"
    )
    .starts_with("error: the files and programs of image \"nginx:1.27\" are not simulated"));
    assert!(ok(&mut sim, "kubectl exec --help").starts_with("Execute a command in a container."));
}

#[test]
fn pods_that_cannot_run_a_command() {
    let mut sim = sim();
    sim.advance_to(Time(10_000));
    let out = sim.execute(&Command::Apply {
        file: "done.yaml".into(),
        yaml: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: huge\nspec:\n  containers:\n  - name: app\n    image: busybox:1.36\n    resources: {requests: {cpu: '500'}}\n".into(),
    });
    assert!(out.success());
    sim.advance_to(Time(12_000));
    assert_eq!(
        err(&mut sim, "kubectl exec huge -- date"),
        "Error from server (BadRequest): pod huge does not have a host assigned\n"
    );
    let node = ok(&mut sim, "kubectl get pod bb -o jsonpath={.spec.nodeName}");
    sim.execute(&Command::Sim(SimAction::StopNode(node.clone())));
    let ip = format!(
        "172.18.0.{}",
        node.trim_start_matches("node-").parse::<u32>().unwrap() + 1
    );
    assert_eq!(
        err(&mut sim, "kubectl exec bb -- date"),
        format!("Error from server: error dialing backend: dial tcp {ip}:10250: i/o timeout\n")
    );
}

#[test]
fn files_written_by_exec_stay_until_the_process_writes_them_again() {
    let mut sim = sim_with(
        "apiVersion: v1
kind: Pod
metadata:
  name: bb
spec:
  containers:
  - name: bb
    image: busybox:1.36
    command: [sh, -c, 'echo a > /tmp/state; sleep 15; echo b > /tmp/state; sleep 3600']
    readinessProbe:
      exec:
        command: [cat, /tmp/ready]
      periodSeconds: 2
",
    );
    // The container starts at 4.5 s: /tmp/state says `a` until 19.5 s, then `b`.
    sim.advance_to(Time(8_000));
    let ready = |sim: &mut Sim| {
        ok(
            sim,
            "kubectl get pod bb -o jsonpath={.status.containerStatuses[0].ready}",
        )
    };
    assert_eq!(ready(&mut sim), "false");
    // What exec writes stays: the next exec and the readiness probe see it.
    act(&mut sim, "kubectl exec bb -- touch /tmp/ready");
    act(&mut sim, "kubectl exec bb -- sh -c 'echo x > /tmp/state'");
    assert_eq!(ok(&mut sim, "kubectl exec bb -- cat /tmp/state"), "x\n");
    sim.advance_to(Time(11_000));
    assert_eq!(ready(&mut sim), "true");
    // The process writes /tmp/state again at 19.5 s: its own content wins from then on.
    sim.advance_to(Time(18_000));
    assert_eq!(ok(&mut sim, "kubectl exec bb -- cat /tmp/state"), "x\n");
    sim.advance_to(Time(21_000));
    assert_eq!(ok(&mut sim, "kubectl exec bb -- cat /tmp/state"), "b\n");
    // Removing the file fails the probe: after three failures the pod is not ready.
    act(&mut sim, "kubectl exec bb -- rm /tmp/ready");
    sim.advance_to(Time(30_000));
    assert_eq!(ready(&mut sim), "false");
    assert_eq!(
        err(&mut sim, "kubectl exec bb -- cat /tmp/ready"),
        "cat: can't open '/tmp/ready': No such file or directory\ncommand terminated with exit code 1\n"
    );
}

#[test]
fn every_container_has_the_hosts_hostname_and_resolv_conf_the_kubelet_writes() {
    let mut sim = sim_with(
        "apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: v1
kind: Pod
metadata: {name: bb, namespace: shop}
spec:
  hostAliases:
  - {ip: 10.1.2.3, hostnames: [foo.remote, bar.remote]}
  containers:
  - name: bb
    image: busybox:1.36
    command: [sh, -c, 'cat /etc/hostname; sleep 3600']
---
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers: [{name: web, image: 'nginx:1.27'}]
",
    );
    sim.advance_to(Time(30_000));
    let ip = ok(
        &mut sim,
        "kubectl get pod bb -n shop -o jsonpath={.status.podIP}",
    );
    // `managedHostsFileContent`: the boilerplate, the pod's address and name, then the
    // pod's `hostAliases` under their own heading.
    assert_eq!(
        ok(&mut sim, "kubectl exec -n shop bb -- cat /etc/hosts"),
        format!(
            "# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n{ip}\tbb\n\n# Entries added by HostAliases.\n10.1.2.3\tfoo.remote\tbar.remote\n"
        )
    );
    // containerd writes the search path, then the cluster DNS, then the options.
    assert_eq!(
        ok(&mut sim, "kubectl exec -n shop bb -- cat /etc/resolv.conf"),
        "search shop.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n"
    );
    // The container's own process reads them too.
    assert_eq!(ok(&mut sim, "kubectl logs -n shop bb"), "bb\n");
    // They are bind mounts: written to, but not removed.
    assert_eq!(
        err(
            &mut sim,
            "kubectl exec -n shop bb -- rm -f /etc/resolv.conf"
        ),
        "rm: can't remove '/etc/resolv.conf': Resource busy\ncommand terminated with exit code 1\n"
    );
    ok(
        &mut sim,
        "kubectl exec -n shop bb -- sh -c 'echo 10.9.9.9 extra >> /etc/hosts'",
    );
    let hosts = ok(
        &mut sim,
        "kubectl exec -n shop bb -- cat /etc/hosts /etc/resolv.conf",
    );
    assert!(
        hosts.contains("10.1.2.3\tfoo.remote\tbar.remote\n10.9.9.9 extra\nsearch shop."),
        "{hosts}"
    );
    // They are there whatever the image, so `cat` reads them in nginx as well, whose other
    // files are not simulated.
    assert_eq!(
        ok(&mut sim, "kubectl exec web -- cat /etc/hostname"),
        "web\n"
    );
    assert!(ok(
        &mut sim,
        "kubectl exec web -- cat /etc/resolv.conf /etc/hosts"
    )
    .starts_with("search default.svc.cluster.local svc.cluster.local cluster.local\n"));
    assert!(
        err(&mut sim, "kubectl exec web -- cat /etc/nginx/nginx.conf")
            .contains("are not simulated")
    );
}

#[test]
fn the_service_account_volume_tells_a_container_its_namespace() {
    let mut sim = sim_with(
        "apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: v1
kind: Pod
metadata: {name: bb, namespace: shop}
spec:
  containers:
  - name: bb
    image: busybox:1.36
    command: [sh, -c, 'echo in $(cat /var/run/secrets/kubernetes.io/serviceaccount/namespace); sleep 3600']
---
apiVersion: v1
kind: Pod
metadata: {name: bare}
spec:
  automountServiceAccountToken: false
  containers:
  - {name: bb, image: 'busybox:1.36', command: [sleep, '3600']}
",
    );
    sim.advance_to(Time(30_000));
    const FILE: &str = "/var/run/secrets/kubernetes.io/serviceaccount/namespace";
    // The file holds the namespace alone, without a newline.
    assert_eq!(
        ok(&mut sim, &format!("kubectl exec -n shop bb -- cat {FILE}")),
        "shop"
    );
    assert_eq!(ok(&mut sim, "kubectl logs -n shop bb"), "in shop\n");
    // The projected volume is mounted read-only.
    assert_eq!(
        err(&mut sim, &format!("kubectl exec -n shop bb -- rm {FILE}")),
        format!("rm: can't remove '{FILE}': Read-only file system\ncommand terminated with exit code 1\n")
    );
    // Without the automounted token there is no such volume.
    assert_eq!(
        err(&mut sim, &format!("kubectl exec bare -- cat {FILE}")),
        format!("cat: can't open '{FILE}': No such file or directory\ncommand terminated with exit code 1\n")
    );
    // The volume as the admission plugin adds it: named `kube-api-access-` and five
    // characters, the token, the CA bundle and the namespace; mounted read-only, and each
    // container's mounts in its status (`recursiveReadOnly: Disabled` for a read-only one).
    let yaml = ok(&mut sim, "kubectl get pod -n shop bb -o yaml");
    let volume = yaml
        .split("- name: kube-api-access-")
        .nth(1)
        .map(|rest| format!("kube-api-access-{}", &rest[..5]))
        .unwrap_or_default();
    assert_eq!(volume.len(), 21, "{yaml}");
    assert!(
        yaml.contains(&format!(
            "  volumes:
  - name: {volume}
    projected:
      defaultMode: 420
      sources:
      - serviceAccountToken:
          expirationSeconds: 3607
          path: token
      - configMap:
          items:
          - key: ca.crt
            path: ca.crt
          name: kube-root-ca.crt
      - downwardAPI:
          items:
          - fieldRef:
              apiVersion: v1
              fieldPath: metadata.namespace
            path: namespace
status:"
        )),
        "{yaml}"
    );
    let mount = format!(
        "    volumeMounts:
    - mountPath: /var/run/secrets/kubernetes.io/serviceaccount
      name: {volume}
      readOnly: true
"
    );
    assert!(yaml.contains(&mount), "{yaml}");
    let reported = format!(
        "    volumeMounts:
    - mountPath: /var/run/secrets/kubernetes.io/serviceaccount
      name: {volume}
      readOnly: true
      recursiveReadOnly: Disabled
"
    );
    assert!(yaml.contains(&reported), "{yaml}");
    // The same name each time the pod is read.
    assert!(ok(&mut sim, "kubectl get pod -n shop bb -o yaml").contains(&mount));
    let bare = ok(
        &mut sim,
        "kubectl get pod bare -o jsonpath={.spec.volumes}{.spec.containers[0].volumeMounts}{.status.containerStatuses[0].volumeMounts}",
    );
    assert_eq!(bare, "");
}

#[test]
fn the_token_is_mounted_in_init_containers_and_beside_the_pods_own_volumes() {
    let mut sim = sim();
    apply(
        &mut sim,
        "apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  initContainers:
  - {name: first, image: 'busybox:1.36', command: [sh, -c, 'echo hi']}
  - name: own
    image: 'busybox:1.36'
    volumeMounts: [{name: token, mountPath: /var/run/secrets/kubernetes.io/serviceaccount}]
  containers:
  - name: app
    image: 'busybox:1.36'
    command: [sleep, '3600']
    volumeMounts: [{name: cache, mountPath: /cache}]
  volumes:
  - {name: cache, emptyDir: {}}
  - {name: token, emptyDir: {}}
",
    );
    let paths =
        |sim: &mut Sim, path: &str| ok(sim, &format!("kubectl get pod p -o jsonpath={{{path}}}"));
    let names = paths(&mut sim, ".spec.volumes[*].name");
    let token = names.split(' ').next_back().unwrap_or_default().to_string();
    assert!(
        names.starts_with("cache token kube-api-access-") && token.len() == 21,
        "{names}"
    );
    assert_eq!(
        paths(&mut sim, ".spec.initContainers[0].volumeMounts[*].name"),
        token
    );
    assert_eq!(
        paths(&mut sim, ".spec.containers[0].volumeMounts[*].name"),
        format!("cache {token}")
    );
    // A container with its own mount at the token's path keeps it.
    assert_eq!(
        paths(&mut sim, ".spec.initContainers[1].volumeMounts[*].name"),
        "token"
    );
    // No container needs the token: no volume. A pod made from another's manifest keeps
    // the volume it names instead of getting a second one.
    apply(
        &mut sim,
        "apiVersion: v1
kind: Pod
metadata: {name: own}
spec:
  containers:
  - name: app
    image: 'busybox:1.36'
    volumeMounts: [{name: token, mountPath: /var/run/secrets/kubernetes.io/serviceaccount}]
  volumes: [{name: token, emptyDir: {}}]
---
apiVersion: v1
kind: Pod
metadata: {name: copy}
spec:
  initContainers:
  - {name: other, image: 'busybox:1.36', command: ['true']}
  containers:
  - name: app
    image: 'busybox:1.36'
    volumeMounts: [{name: kube-api-access-abcde, mountPath: /var/run/secrets/kubernetes.io/serviceaccount, readOnly: true}]
  volumes: [{name: kube-api-access-abcde, emptyDir: {}}]
",
    );
    assert_eq!(
        ok(
            &mut sim,
            "kubectl get pod own -o jsonpath={.spec.volumes[*].name}"
        ),
        "token"
    );
    assert_eq!(
        ok(
            &mut sim,
            "kubectl get pod copy -o jsonpath={.spec.volumes[*].name}/{.spec.initContainers[0].volumeMounts[*].name}"
        ),
        "kube-api-access-abcde/kube-api-access-abcde"
    );
}

#[test]
fn a_command_runs_as_long_as_a_container_would_and_says_why_it_was_stopped() {
    let mut sim = sim();
    sim.advance_to(Time(10_000));
    // A thousand turns of a loop are quick work for a real shell.
    assert_eq!(
        ok(
            &mut sim,
            "kubectl exec bb -- sh -c 'i=0; while [ $i -lt 1000 ]; do i=$((i+1)); done; echo $i'"
        ),
        "1000\n"
    );
    assert_eq!(
        err(
            &mut sim,
            "kubectl exec bb -- sh -c 'i=0; while [ $i -lt 10000000 ]; do i=$((i+1)); done'"
        ),
        "error: the command was still running after a million steps of the simulated shell; kubectl exec here runs commands that end\n"
    );
    // A loop that can never end, or a long sleep, runs past kubectl's hour here.
    assert_eq!(
        err(&mut sim, "kubectl exec bb -- sh -c 'while true; do :; done'"),
        "error: the command was still running after an hour of simulated time; kubectl exec here runs commands that end\n"
    );
    assert_eq!(
        err(&mut sim, "kubectl exec bb -- sleep 7200"),
        "error: the command was still running after an hour of simulated time; kubectl exec here runs commands that end\n"
    );
}
