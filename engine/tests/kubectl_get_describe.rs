//! `kubectl get` and `kubectl describe` against a simulated cluster: the layouts captured
//! from a real kubectl (research/kubectl-formats.md) with the simulated cluster's values.

use kubesim::cluster::{ClusterConfig, KUBERNETES_VERSION};
use kubesim::command::Output;
use kubesim::kubectl::watch::Watch;
use kubesim::{Command, Sim, Time};

fn cluster() -> Sim {
    let mut sim = Sim::new(ClusterConfig::default(), 1);
    exec(
        &mut sim,
        "kubectl create deployment web --image=nginx:1.27 --replicas=3",
    );
    sim.advance_to(Time(30_000));
    sim
}

fn exec(sim: &mut Sim, line: &str) -> Output {
    let out = sim.execute(&Command::Kubectl(line.into()));
    assert!(out.success(), "{line}: {}", out.text());
    out
}

fn run(sim: &mut Sim, line: &str) -> Output {
    kubesim::kubectl::run(sim, line)
}

fn ok(sim: &mut Sim, line: &str) -> String {
    let out = run(sim, line);
    assert_eq!((out.exit_code, out.stderr.as_str()), (0, ""), "{line}");
    out.stdout
}

fn pod_names(sim: &Sim) -> Vec<String> {
    sim.store.pods.keys().map(|k| k.1.clone()).collect()
}

fn rs_names(sim: &Sim) -> Vec<String> {
    sim.store.replicasets.keys().map(|k| k.1.clone()).collect()
}

/// A `get` row: every cell but the last padded to its column width.
fn row(cells: &[(&str, usize)], last: &str) -> String {
    let mut s: String = cells.iter().map(|(c, w)| format!("{c:<w$}")).collect();
    s.push_str(last);
    s.push('\n');
    s
}

/// kubectl's column width: widest cell + 3, at least 6.
fn width<'a>(cells: impl IntoIterator<Item = &'a str>) -> usize {
    cells
        .into_iter()
        .map(|c| c.len() + 3)
        .max()
        .unwrap_or(0)
        .max(6)
}

#[test]
fn get_pods_pads_every_column_but_the_last() {
    let mut sim = cluster();
    let names = pod_names(&sim);
    let w = width(names.iter().map(String::as_str).chain(["NAME"]));
    let mut expected = row(
        &[("NAME", w), ("READY", 8), ("STATUS", 10), ("RESTARTS", 11)],
        "AGE",
    );
    for n in &names {
        expected.push_str(&row(
            &[(n, w), ("1/1", 8), ("Running", 10), ("0", 11)],
            "30s",
        ));
    }
    assert_eq!(ok(&mut sim, "kubectl get pods"), expected);
    // Without the header the columns are only as wide as their cells.
    let w = width(names.iter().map(String::as_str));
    let bare: String = names
        .iter()
        .map(|n| row(&[(n, w), ("1/1", 6), ("Running", 10), ("0", 6)], "30s"))
        .collect();
    assert_eq!(ok(&mut sim, "get po --no-headers"), bare);
}

#[test]
fn get_deployments_and_replicasets() {
    let mut sim = cluster();
    assert_eq!(
        ok(&mut sim, "kubectl get deploy"),
        "NAME   READY   UP-TO-DATE   AVAILABLE   AGE\nweb    3/3     3            3           30s\n"
    );
    let rs = &rs_names(&sim)[0];
    let w = width([rs.as_str()]);
    let hash = rs.trim_start_matches("web-");
    let expected = row(
        &[("NAME", w), ("DESIRED", 10), ("CURRENT", 10), ("READY", 8)],
        "AGE",
    ) + &row(&[(rs, w), ("3", 10), ("3", 10), ("3", 8)], "30s");
    assert_eq!(ok(&mut sim, "kubectl get rs"), expected);
    let wide = ok(&mut sim, "kubectl get deploy -o wide");
    assert_eq!(
        wide,
        "NAME   READY   UP-TO-DATE   AVAILABLE   AGE   CONTAINERS   IMAGES       SELECTOR\n\
         web    3/3     3            3           30s   nginx        nginx:1.27   app=web\n"
    );
    let wide = ok(&mut sim, "kubectl get rs -o wide");
    assert!(
        wide.ends_with(&format!(
            "nginx        nginx:1.27   app=web,pod-template-hash={hash}\n"
        )),
        "{wide}"
    );
}

#[test]
fn names_types_and_errors() {
    let mut sim = cluster();
    let out = run(&mut sim, "kubectl get deploy web nope");
    assert_eq!(out.stdout, "NAME   READY   UP-TO-DATE   AVAILABLE   AGE\nweb    3/3     3            3           30s\n");
    assert_eq!(
        out.stderr,
        "Error from server (NotFound): deployments.apps \"nope\" not found\n"
    );
    assert_eq!(out.exit_code, 1);
    assert_eq!(
        ok(&mut sim, "kubectl get deploy/web --no-headers"),
        "web   3/3   3     3     30s\n"
    );
    let out = run(&mut sim, "kubectl get pod nope");
    assert_eq!(
        (out.stdout.as_str(), out.stderr.as_str()),
        (
            "",
            "Error from server (NotFound): pods \"nope\" not found\n"
        )
    );
    let out = run(&mut sim, "kubectl get");
    assert_eq!(out.exit_code, 1);
    assert_eq!(
        out.stderr,
        "You must specify the type of resource to get. Use \"kubectl api-resources\" for a complete list of supported resources.\n\n\
         error: Required resource not specified.\n\
         Use \"kubectl explain <resource>\" for a detailed description of that resource (e.g. kubectl explain pods).\n\
         See 'kubectl get -h' for help and examples\n"
    );
    let out = run(&mut sim, "kubectl get foo");
    assert_eq!(
        out.stderr,
        "error: the server doesn't have a resource type \"foo\"\n"
    );
    let out = run(&mut sim, "kubectl get pods -l app=web web-1");
    assert_eq!(
        out.stderr,
        "error: name cannot be provided when a selector is specified\n"
    );
    let out = run(&mut sim, "kubectl get pods --bogus");
    assert_eq!(
        out.stderr,
        "error: unknown flag: --bogus\nSee 'kubectl get --help' for usage.\n"
    );
}

#[test]
fn no_resources_found_goes_to_stderr_with_exit_zero() {
    let mut sim = cluster();
    for (line, msg) in [
        (
            "kubectl get svc -n kube-system",
            "No resources found in kube-system namespace.\n",
        ),
        (
            "kubectl get pods -n shop",
            "No resources found in shop namespace.\n",
        ),
        (
            "kubectl get pods -l app=none",
            "No resources found in default namespace.\n",
        ),
        ("kubectl get pods -A -l app=none", "No resources found\n"),
        (
            // v1.33+ API servers warn on every v1 Endpoints request; kubectl prints it.
            "kubectl get endpoints -n kube-public",
            "Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice\nNo resources found in kube-public namespace.\n",
        ),
        (
            "kubectl get nodes -l foo=bar",
            "No resources found in default namespace.\n",
        ),
    ] {
        let out = run(&mut sim, line);
        assert_eq!(
            (out.stdout.as_str(), out.stderr.as_str(), out.exit_code),
            ("", msg, 0),
            "{line}"
        );
    }
}

#[test]
fn selector_parse_errors_are_bad_requests() {
    let mut sim = cluster();
    let out = run(&mut sim, "kubectl get deploy -l =web");
    assert_eq!(out.exit_code, 1);
    assert!(
        out.stderr.starts_with(
            "Error from server (BadRequest): Unable to find \"apps/v1, Resource=deployments\" that match label selector \"=web\", field selector \"\": "
        ),
        "{}",
        out.stderr
    );
    let out = run(&mut sim, "kubectl get pods --field-selector foo=bar");
    assert_eq!(
        out.stderr,
        "Error from server (BadRequest): Unable to find \"/v1, Resource=pods\" that match label selector \"\", field selector \"foo=bar\": field label not supported: foo\n"
    );
    let node = sim
        .store
        .pods
        .values()
        .next()
        .unwrap()
        .spec
        .node_name
        .clone()
        .unwrap();
    let picked = ok(
        &mut sim,
        &format!("kubectl get pods --field-selector spec.nodeName={node} -o name"),
    );
    assert!(
        picked.lines().count() >= 1 && picked.lines().all(|l| l.starts_with("pod/web-")),
        "{picked}"
    );
}

#[test]
fn output_name_yaml_and_json() {
    let mut sim = cluster();
    let rs = rs_names(&sim).remove(0);
    assert_eq!(
        ok(&mut sim, "kubectl get deploy,rs -o name"),
        format!("deployment.apps/web\nreplicaset.apps/{rs}\n")
    );
    let pods: String = pod_names(&sim)
        .iter()
        .map(|n| format!("pod/{n}\n"))
        .collect();
    assert_eq!(ok(&mut sim, "kubectl get pods -o name"), pods);
    let one = ok(&mut sim, "kubectl get deploy web -o yaml");
    assert!(
        one.starts_with("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n"),
        "{one}"
    );
    let list = ok(&mut sim, "kubectl get deploy -o yaml");
    assert!(
        list.starts_with("apiVersion: v1\nitems:\n- apiVersion: apps/v1\n  kind: Deployment\n"),
        "{list}"
    );
    assert!(
        list.contains("\nkind: List\nmetadata:\n  resourceVersion: \"\"\n"),
        "{list}"
    );
    let json = ok(&mut sim, "kubectl get deploy web -o json");
    assert!(
        json.starts_with("{\n    \"apiVersion\": \"apps/v1\",\n"),
        "{json}"
    );
    let empty = ok(&mut sim, "kubectl get svc -n kube-public -o json");
    assert!(empty.contains("\"items\": []"), "{empty}");
    let out = run(&mut sim, "kubectl get pods -o yaml --show-labels");
    assert_eq!(
        out.stderr,
        "error: --show-labels option cannot be used with yaml printer\n"
    );
}

#[test]
fn get_all_prints_kind_prefixed_groups_separated_by_blank_lines() {
    let mut sim = cluster();
    let out = ok(&mut sim, "kubectl get all");
    let groups: Vec<&str> = out.split("\n\n").collect();
    assert_eq!(groups.len(), 4, "{out}");
    assert!(
        groups[0].starts_with("NAME ")
            && groups[0].contains("   READY   STATUS    RESTARTS   AGE\npod/web-"),
        "{out}"
    );
    // Every cluster has the API server's Service; `get all` lists Services after pods.
    assert_eq!(
        groups[1],
        "NAME                 TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)   AGE\nservice/kubernetes   ClusterIP   10.96.0.1    <none>        443/TCP   30s"
    );
    assert_eq!(
        groups[2],
        "NAME                  READY   UP-TO-DATE   AVAILABLE   AGE\ndeployment.apps/web   3/3     3            3           30s"
    );
    assert!(groups[3].contains("\nreplicaset.apps/web-"), "{out}");
    let all_ns = ok(&mut sim, "kubectl get all -A");
    assert!(all_ns.starts_with("NAMESPACE   NAME "), "{all_ns}");
    assert!(all_ns.contains("\nNAMESPACE   NAME                  READY   UP-TO-DATE   AVAILABLE   AGE\ndefault     deployment.apps/web   3/3"));
}

#[test]
fn all_namespaces_labels_and_label_columns() {
    let mut sim = cluster();
    let out = ok(&mut sim, "kubectl get pods -A --show-labels");
    let hash = rs_names(&sim)[0].trim_start_matches("web-").to_string();
    let first = out.lines().nth(1).unwrap();
    assert!(out.starts_with("NAMESPACE   NAME "), "{out}");
    assert!(first.starts_with("default     web-"), "{out}");
    assert!(
        first.ends_with(&format!("30s   app=web,pod-template-hash={hash}")),
        "{out}"
    );
    let out = ok(&mut sim, "kubectl get deploy -L app");
    assert_eq!(
        out,
        "NAME   READY   UP-TO-DATE   AVAILABLE   AGE   APP\nweb    3/3     3            3           30s   web\n"
    );
}

#[test]
fn nodes_namespaces_and_cordon() {
    let mut sim = cluster();
    let mut expected = "NAME     STATUS   ROLES    AGE   VERSION\n".to_string();
    for n in 1..=3 {
        expected.push_str(&format!(
            "node-{n}   Ready    <none>   30s   {KUBERNETES_VERSION}\n"
        ));
    }
    assert_eq!(ok(&mut sim, "kubectl get nodes"), expected);
    exec(&mut sim, "kubectl cordon node-2");
    let out = ok(&mut sim, "kubectl get node node-2");
    assert_eq!(
        out,
        format!("NAME     STATUS                     ROLES    AGE   VERSION\nnode-2   Ready,SchedulingDisabled   <none>   30s   {KUBERNETES_VERSION}\n")
    );
    let ns = ok(&mut sim, "kubectl get ns default kube-system");
    assert_eq!(
        ns,
        "NAME          STATUS   AGE\ndefault       Active   30s\nkube-system   Active   30s\n"
    );
}

#[test]
fn events_are_listed_in_key_order() {
    let mut sim = cluster();
    let out = ok(&mut sim, "kubectl get events");
    let lines: Vec<&str> = out.lines().collect();
    assert!(
        lines[0].starts_with("LAST SEEN   TYPE     REASON "),
        "{out}"
    );
    assert!(lines[0].ends_with("MESSAGE"));
    // `web-<hash>-<pod>.*` < `web-<hash>.*` < `web.*`: the Deployment's event comes last.
    let last = lines.last().unwrap();
    assert!(
        last.contains("ScalingReplicaSet") && last.contains("deployment/web"),
        "{out}"
    );
    assert!(last.ends_with(&format!(
        "Scaled up replica set {} from 0 to 3",
        rs_names(&sim)[0]
    )));
    assert!(
        lines[1].contains("Scheduled") && lines[1].contains("pod/web-"),
        "{out}"
    );
    let all = ok(&mut sim, "kubectl get events -A");
    assert!(all.starts_with("NAMESPACE   LAST SEEN   TYPE "), "{all}");
}

fn describe_deployment_expected(rs: &str, age: &str) -> String {
    format!(
        "Name:                   web
Namespace:              default
CreationTimestamp:      Mon, 05 Jan 2026 09:00:00 +0000
Labels:                 app=web
Annotations:            deployment.kubernetes.io/revision: 1
Selector:               app=web
Replicas:               3 desired | 3 updated | 3 total | 3 available | 0 unavailable
StrategyType:           RollingUpdate
MinReadySeconds:        0
RollingUpdateStrategy:  25% max unavailable, 25% max surge
Pod Template:
  Labels:  app=web
  Containers:
   nginx:
    Image:         nginx:1.27
    Port:          <none>
    Host Port:     <none>
    Environment:   <none>
    Mounts:        <none>
  Volumes:         <none>
  Node-Selectors:  <none>
  Tolerations:     <none>
Conditions:
  Type           Status  Reason
  ----           ------  ------
  Available      True    MinimumReplicasAvailable
  Progressing    True    NewReplicaSetAvailable
OldReplicaSets:  <none>
NewReplicaSet:   {rs} (3/3 replicas created)
Events:
  Type    Reason             Age   From                   Message
  ----    ------             ----  ----                   -------
  Normal  ScalingReplicaSet  {age}   deployment-controller  Scaled up replica set {rs} from 0 to 3
"
    )
}

#[test]
fn describe_fresh_deployment() {
    let mut sim = cluster();
    let rs = rs_names(&sim).remove(0);
    assert_eq!(
        ok(&mut sim, "kubectl describe deployment web"),
        describe_deployment_expected(&rs, "30s")
    );
    assert_eq!(
        ok(&mut sim, "kubectl describe deploy"),
        describe_deployment_expected(&rs, "30s")
    );
    let quiet = ok(&mut sim, "kubectl describe deploy/web --show-events=false");
    assert!(
        quiet.ends_with(&format!("NewReplicaSet:   {rs} (3/3 replicas created)\n")),
        "{quiet}"
    );
}

#[test]
fn describe_deployment_lists_every_old_replica_set() {
    let mut sim = cluster();
    let first = rs_names(&sim).remove(0);
    exec(
        &mut sim,
        "kubectl set image deployment/web nginx=nginx:1.28",
    );
    sim.advance_to(Time(120_000));
    let newer = rs_names(&sim).into_iter().find(|n| *n != first).unwrap();
    let out = ok(&mut sim, "kubectl describe deployment web");
    assert!(
        out.contains("Annotations:            deployment.kubernetes.io/revision: 2\n"),
        "{out}"
    );
    assert!(
        out.contains(&format!(
            "OldReplicaSets:  {first} (0/0 replicas created)\n"
        )),
        "{out}"
    );
    assert!(
        out.contains(&format!(
            "NewReplicaSet:   {newer} (3/3 replicas created)\n"
        )),
        "{out}"
    );
    assert!(out.contains("  Normal  ScalingReplicaSet  "), "{out}");
    assert!(
        out.contains(&format!("Scaled down replica set {first} from 3 to 2")),
        "{out}"
    );
}

#[test]
fn paused_deployment_with_a_pending_template_has_no_new_replica_set() {
    let mut sim = cluster();
    let rs = rs_names(&sim).remove(0);
    exec(&mut sim, "kubectl rollout pause deployment/web");
    exec(
        &mut sim,
        "kubectl set image deployment/web nginx=nginx:1.28",
    );
    sim.advance_to(Time(40_000));
    let out = ok(&mut sim, "kubectl describe deployment web");
    assert!(
        out.contains(&format!(
            "OldReplicaSets:  {rs} (3/3 replicas created)\nNewReplicaSet:   <none>\n"
        )),
        "{out}"
    );
    assert!(out.contains("    Image:         nginx:1.28\n"), "{out}");
}

#[test]
fn recreate_strategy_has_no_rolling_update_line() {
    let mut sim = cluster();
    let yaml = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  replicas: 1\n  strategy:\n    type: Recreate\n  selector:\n    matchLabels:\n      app: api\n  template:\n    metadata:\n      labels:\n        app: api\n    spec:\n      containers:\n      - name: api\n        image: nginx:1.27\n        ports:\n        - containerPort: 80\n";
    let out = sim.execute(&Command::Apply {
        file: "api.yaml".into(),
        yaml: yaml.into(),
    });
    assert!(out.success(), "{}", out.text());
    sim.advance_to(Time(60_000));
    let out = ok(&mut sim, "kubectl describe deployment api");
    assert!(out.starts_with("Name:               api\n"), "{out}");
    assert!(
        out.contains("StrategyType:       Recreate\nMinReadySeconds:    0\nPod Template:\n"),
        "{out}"
    );
    assert!(
        out.contains("    Port:          80/TCP\n    Host Port:     0/TCP\n"),
        "{out}"
    );
    assert!(!out.contains("RollingUpdateStrategy"));
}

#[test]
fn describe_replicaset() {
    let mut sim = cluster();
    let rs = rs_names(&sim).remove(0);
    let hash = rs.trim_start_matches("web-").to_string();
    let out = ok(&mut sim, &format!("kubectl describe rs {rs}"));
    let head = format!(
        "Name:           {rs}
Namespace:      default
Selector:       app=web,pod-template-hash={hash}
Labels:         app=web
                pod-template-hash={hash}
Annotations:    deployment.kubernetes.io/desired-replicas: 3
                deployment.kubernetes.io/max-replicas: 4
                deployment.kubernetes.io/revision: 1
Controlled By:  Deployment/web
Replicas:       3 current / 3 desired
Pods Status:    3 Running / 0 Waiting / 0 Succeeded / 0 Failed
Pod Template:
  Labels:  app=web
           pod-template-hash={hash}
  Containers:
"
    );
    assert!(out.starts_with(&head), "{out}");
    assert!(
        out.contains("Events:\n  Type    Reason            Age   From                   Message\n"),
        "{out}"
    );
    assert_eq!(
        out.matches("  Normal  SuccessfulCreate  30s   replicaset-controller  Created pod: web-")
            .count(),
        3
    );
}

#[test]
fn describe_pod() {
    let mut sim = cluster();
    let name = pod_names(&sim).remove(0);
    let out = ok(&mut sim, &format!("kubectl describe pod {name}"));
    assert!(
        out.starts_with(&format!(
            "Name:             {name}\nNamespace:        default\nPriority:         0\nService Account:  default\nNode:             node-"
        )),
        "{out}"
    );
    assert!(
        out.contains("\nStatus:           Running\nIP:               10.244."),
        "{out}"
    );
    assert!(out.contains("\nIPs:\n  IP:           10.244."), "{out}");
    assert!(out.contains("Controlled By:  ReplicaSet/web-"), "{out}");
    assert!(
        out.contains("\nContainers:\n  nginx:\n    Container ID:   containerd://"),
        "{out}"
    );
    assert!(
        out.contains("    State:          Running\n      Started:      Mon, 05 Jan 2026 09:00:"),
        "{out}"
    );
    assert!(
        out.contains("    Ready:          True\n    Restart Count:  0\n"),
        "{out}"
    );
    assert!(out.contains(
        "Conditions:
  Type                        Status
  PodReadyToStartContainers   True 
  Initialized                 True 
  Ready                       True 
  ContainersReady             True 
  PodScheduled                True 
"
    ));
    // The ServiceAccount admission plugin's token volume, mounted read-only; its
    // `TokenExpirationSeconds:` sets the width of the tab-aligned block, as on a cluster.
    let volume = out
        .split("/var/run/secrets/kubernetes.io/serviceaccount from ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .unwrap_or_default();
    assert!(
        volume.starts_with("kube-api-access-") && volume.len() == 21,
        "{out}"
    );
    assert!(out.contains(&format!(
        "    Mounts:
      /var/run/secrets/kubernetes.io/serviceaccount from {volume} (ro)
"
    )));
    assert!(
        out.contains(&format!(
            "Volumes:
  {volume}:
    Type:                    Projected (a volume that contains injected data from multiple sources)
    TokenExpirationSeconds:  3607
    ConfigMapName:           kube-root-ca.crt
    Optional:                false
    DownwardAPI:             true
QoS Class:                   BestEffort
Node-Selectors:              <none>
Tolerations:                 node.kubernetes.io/not-ready:NoExecute op=Exists for 300s
                             node.kubernetes.io/unreachable:NoExecute op=Exists for 300s
Events:
  Type    Reason     Age   From               Message
"
        )),
        "{out}"
    );
    assert!(out.contains(&format!("  Normal  Scheduled  30s   default-scheduler  Successfully assigned default/{name} to node-")));
}

#[test]
fn describe_by_name_prefix_and_errors() {
    let mut sim = cluster();
    let out = ok(&mut sim, "kubectl describe pod web-");
    assert_eq!(out.matches("\nNamespace:        default\n").count(), 3);
    assert_eq!(
        out.matches("\n\nName:             web-").count(),
        2,
        "objects separated by one blank line"
    );
    let all = ok(&mut sim, "kubectl describe pods");
    assert_eq!(
        all.matches("\n\n\nName:             web-").count(),
        2,
        "objects separated by two blank lines"
    );
    let out = run(&mut sim, "kubectl describe deployment nope");
    assert_eq!(
        (out.exit_code, out.stderr.as_str()),
        (
            1,
            "Error from server (NotFound): deployments.apps \"nope\" not found\n"
        )
    );
    let out = run(&mut sim, "kubectl describe");
    assert_eq!(
        out.stderr,
        "error: You must specify the type of resource to describe. Use \"kubectl api-resources\" for a complete list of supported resources.\n"
    );
    let out = run(&mut sim, "kubectl describe pods -n shop");
    assert_eq!(
        (out.exit_code, out.stderr.as_str()),
        (0, "No resources found in shop namespace.\n")
    );
}

#[test]
fn describe_node_and_namespace() {
    let mut sim = cluster();
    let out = ok(&mut sim, "kubectl describe node node-1");
    assert!(out.starts_with("Name:               node-1\nRoles:              <none>\nLabels:             beta.kubernetes.io/arch=amd64\n"), "{out}");
    assert!(out.contains("Taints:             <none>\nUnschedulable:      false\nLease:\n  HolderIdentity:  node-1\n"), "{out}");
    assert!(
        out.contains("\nConditions:\n  Type             Status  LastHeartbeatTime"),
        "{out}"
    );
    assert!(
        out.contains("\n  Ready            True    Mon, 05 Jan 2026 09:00:00 +0000   "),
        "{out}"
    );
    assert!(out.contains("\nAllocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n"), "{out}");
    assert!(out.contains("Non-terminated Pods:          ("), "{out}");
    let ns = ok(&mut sim, "kubectl describe namespace default");
    assert_eq!(
        ns,
        "Name:         default\nLabels:       kubernetes.io/metadata.name=default\nAnnotations:  <none>\nStatus:       Active\n\nNo resource quota.\n\nNo LimitRange resource.\n"
    );
}

/// The STATUS column of the pod a watch saw, in order; the store keeps every write for it,
/// as a session does for a watch that reads them.
fn watched_statuses(sim: &mut Sim, w: &mut Watch, pod_prefix: &str, until: u64) -> Vec<String> {
    let mut seen = Vec::new();
    kubesim::kubectl::watch::keep_writes(sim, std::slice::from_ref(w), false);
    for t in (31..=until).map(|s| s * 1000) {
        sim.advance_to(Time(t));
        let printed = w.poll(sim).stdout;
        kubesim::kubectl::watch::keep_writes(sim, std::slice::from_ref(w), true);
        for line in printed.lines().filter(|l| l.starts_with(pod_prefix)) {
            let status = line.split_whitespace().nth(2).unwrap_or("").to_string();
            if seen.last() != Some(&status) {
                seen.push(status);
            }
        }
    }
    seen
}

#[test]
fn bad_image_goes_err_image_pull_then_image_pull_back_off() {
    let mut sim = cluster();
    let old = rs_names(&sim).remove(0);
    let (first, watch) = kubesim::kubectl::start(&mut sim, "kubectl get pods -w");
    let mut watch = watch.expect("get -w returns a watch");
    assert!(first.stdout.starts_with("NAME "), "{}", first.stdout);
    exec(
        &mut sim,
        "kubectl set image deployment/web nginx=nginx:1.2x",
    );
    let new_rs = rs_names(&sim).into_iter().find(|n| *n != old).unwrap();
    let seen = watched_statuses(&mut sim, &mut watch, &format!("{new_rs}-"), 90);
    let pull = seen
        .iter()
        .position(|s| s == "ErrImagePull")
        .expect("ErrImagePull seen");
    let backoff = seen
        .iter()
        .position(|s| s == "ImagePullBackOff")
        .expect("ImagePullBackOff seen");
    assert!(pull < backoff, "{seen:?}");
    // §9.2: once a pull has failed the status alternates between the two, as the kubelet
    // reports its last pull error until a container runs; never ContainerCreating again.
    let later = watched_statuses(&mut sim, &mut watch, &format!("{new_rs}-"), 400);
    let after: Vec<&String> = seen[pull..].iter().chain(&later).collect();
    assert!(
        after
            .iter()
            .all(|s| *s == "ErrImagePull" || *s == "ImagePullBackOff"),
        "{seen:?} then {after:?}"
    );
    assert!(after.len() >= 5, "{after:?}");
    let out = ok(&mut sim, "kubectl get pods");
    let row = out.lines().find(|l| l.starts_with(&new_rs)).unwrap();
    let cells: Vec<&str> = row.split_whitespace().collect();
    assert_eq!(&cells[1..4], ["0/1", "ImagePullBackOff", "0"], "{out}");
    let pod = row.split_whitespace().next().unwrap().to_string();
    let described = ok(&mut sim, &format!("kubectl describe pod {pod}"));
    assert!(
        described.contains("    State:          Waiting\n      Reason:       ImagePullBackOff\n"),
        "{described}"
    );
    assert!(
        described.contains("Status:           Pending\n"),
        "{described}"
    );
    assert!(described.contains("  Warning  Failed     "), "{described}");
}

#[test]
fn watch_rows_reuse_the_header_widths() {
    let mut sim = cluster();
    let (first, watch) = kubesim::kubectl::start(&mut sim, "kubectl get deploy -w");
    assert_eq!(first.stdout, "NAME   READY   UP-TO-DATE   AVAILABLE   AGE\nweb    3/3     3            3           30s\n");
    let mut watch = watch.unwrap();
    assert_eq!(watch.poll(&sim).stdout, "", "nothing changed");
    exec(&mut sim, "kubectl scale deployment web --replicas=4");
    let out = watch.poll(&sim).stdout;
    assert!(out.starts_with("web    3/4     "), "{out}");
    assert!(!out.contains("NAME"));
    let out = run(&mut sim, "kubectl get deploy,rs -w");
    assert_eq!(
        out.stderr,
        "error: watch is only supported on individual resources and resource collections - more than 1 resource was found\n"
    );
    let (only, watch) = kubesim::kubectl::start(&mut sim, "kubectl get pods --watch-only");
    assert_eq!(only.stdout, "");
    assert!(watch.is_some());
}

#[test]
fn rollout_history_template_is_raw_tabs() {
    let sim = cluster();
    let rs = sim.store.replicasets.values().next().unwrap();
    let hash = rs.metadata.name.trim_start_matches("web-");
    assert_eq!(
        kubesim::kubectl::describe::pod_template_raw(&rs.spec.template),
        format!(
            "Pod Template:\n  Labels:\tapp=web\n\tpod-template-hash={hash}\n  Containers:\n   nginx:\n    Image:\tnginx:1.27\n    Port:\t<none>\n    Host Port:\t<none>\n    Environment:\t<none>\n    Mounts:\t<none>\n  Volumes:\t<none>\n  Node-Selectors:\t<none>\n  Tolerations:\t<none>\n"
        )
    );
}

#[test]
fn services_quotas_and_endpoints() {
    let mut sim = cluster();
    let svc = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n  ports:\n  - port: 80\n";
    let quota = "apiVersion: v1\nkind: ResourceQuota\nmetadata:\n  name: pods\nspec:\n  hard:\n    pods: \"10\"\n";
    for (file, yaml) in [("svc.yaml", svc), ("quota.yaml", quota)] {
        let out = sim.execute(&Command::Apply {
            file: file.into(),
            yaml: yaml.into(),
        });
        assert!(out.success(), "{}", out.text());
    }
    let out = ok(&mut sim, "kubectl get svc");
    assert!(
        out.starts_with("NAME         TYPE        CLUSTER-IP"),
        "{out}"
    );
    assert!(
        out.lines()
            .nth(1)
            .unwrap()
            .starts_with("kubernetes   ClusterIP   10.96.0.1 "),
        "{out}"
    );
    assert!(
        out.lines()
            .nth(2)
            .unwrap()
            .contains("   <none>        80/TCP    0s"),
        "{out}"
    );
    let all = ok(&mut sim, "kubectl get all");
    assert!(
        all.contains("\n\nNAME                 TYPE        CLUSTER-IP"),
        "{all}"
    );
    assert!(all.contains("\nservice/web          ClusterIP   "), "{all}");
    assert_eq!(
        ok(&mut sim, "kubectl get quota"),
        "NAME   AGE   REQUEST      LIMIT\npods   0s    pods: 3/10   \n"
    );
    let described = ok(&mut sim, "kubectl describe svc web");
    let endpoints = described
        .lines()
        .find(|l| l.starts_with("Endpoints:"))
        .unwrap();
    assert_eq!(endpoints.matches(":80").count(), 3, "{described}");
    assert!(
        described.contains(
            "Port:                     <unset>  80/TCP\nTargetPort:               80/TCP\n"
        ),
        "{described}"
    );
}

/// Since v1.27 the kubelet makes a deleted pod terminal before it goes (`getPhase` with
/// `podIsTerminal`): nginx exits 0 on SIGTERM, so the last rows say `Completed`, 0/1.
#[test]
fn watched_pod_deletion_goes_terminating_then_completed() {
    let mut sim = cluster();
    let victim = pod_names(&sim).remove(0);
    let (_, watch) = kubesim::kubectl::start(&mut sim, "kubectl get pods -w");
    let mut watch = watch.unwrap();
    kubesim::kubectl::watch::keep_writes(&mut sim, std::slice::from_ref(&watch), false);
    exec(
        &mut sim,
        &format!("kubectl delete pod {victim} --wait=false"),
    );
    let seen = watched_statuses(&mut sim, &mut watch, &victim, 70);
    assert_eq!(seen, ["Terminating", "Completed"]);
    assert!(!pod_names(&sim).contains(&victim));
}

#[test]
fn sort_by_orders_numbers_and_puts_objects_without_the_field_first() {
    let mut sim = cluster();
    exec(
        &mut sim,
        "kubectl create deployment db --image=postgres:16 --replicas=5",
    );
    exec(
        &mut sim,
        "kubectl create deployment api --image=nginx:1.27 --replicas=1",
    );
    assert_eq!(
        ok(
            &mut sim,
            "kubectl get deploy -o name --sort-by=.spec.replicas"
        ),
        "deployment.apps/api\ndeployment.apps/web\ndeployment.apps/db\n"
    );
    // Only api gets `spec.paused`; the others keep their name order ahead of it.
    exec(&mut sim, "kubectl rollout pause deployment/api");
    assert_eq!(
        ok(
            &mut sim,
            "kubectl get deploy -o name --sort-by=.spec.paused"
        ),
        "deployment.apps/db\ndeployment.apps/web\ndeployment.apps/api\n"
    );
    // sorter.go refuses a field that no object of the list has, in its relaxed form.
    for line in [
        "kubectl get pods --sort-by=.spec.foo",
        "kubectl get pods --sort-by={.spec.foo}",
    ] {
        let out = run(&mut sim, line);
        assert_eq!(
            (out.exit_code, out.stdout.as_str(), out.stderr.as_str()),
            (
                1,
                "",
                "error: couldn't find any field with path \"{.spec.foo}\" in the list of objects\n"
            ),
            "{line}"
        );
    }
}

#[test]
fn kubelet_events_name_the_container_by_field_path() {
    let mut sim = cluster();
    let pod = pod_names(&sim)[0].clone();
    // kubectl ≥ 1.35 `describe` puts the involved object's fieldPath before the message
    // (kubernetes PR 133627); the kubelet's container events carry `spec.containers{NAME}`
    // and its pod-level ones (Scheduled is the scheduler's) none.
    let out = ok(&mut sim, &format!("kubectl describe pod {pod}"));
    let events = &out[out.find("Events:").expect("events")..];
    for (reason, message) in [
        ("Scheduled", "Successfully assigned default/"),
        (
            "Pulling",
            "spec.containers{nginx}: Pulling image \"nginx:1.27\"",
        ),
        ("Created", "spec.containers{nginx}: Container created"),
        ("Started", "spec.containers{nginx}: Container started"),
    ] {
        let line = events
            .lines()
            .find(|l| l.split_whitespace().nth(1) == Some(reason))
            .unwrap_or_else(|| panic!("{reason} in {events}"));
        assert!(line.contains(message), "{line}");
    }
    // `get events -o wide` shows it in the SUBOBJECT column.
    let wide = ok(&mut sim, "kubectl get events -o wide");
    let started = wide
        .lines()
        .find(|l| l.contains(" Started "))
        .expect("Started");
    assert!(started.contains(" spec.containers{nginx} "), "{wide}");
}

#[test]
fn a_crash_loop_goes_from_the_exit_to_back_off_and_counts_the_restart_when_it_runs() {
    let mut sim = cluster();
    let (_, watch) = kubesim::kubectl::start(&mut sim, "kubectl get pods -w");
    let mut watch = watch.expect("get -w returns a watch");
    let manifest = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: job\nspec:\n  replicas: 1\n  selector:\n    matchLabels:\n      app: job\n  template:\n    metadata:\n      labels:\n        app: job\n    spec:\n      containers:\n      - name: job\n        image: busybox:1.36\n        command: [sh, -c, sleep 3]\n";
    let out = sim.execute(&Command::Apply {
        file: "job.yaml".into(),
        yaml: manifest.into(),
    });
    assert!(out.success(), "{}", out.text());
    // (status, restarts) of every row the watch printed for the pod.
    let mut rows: Vec<(String, String)> = Vec::new();
    for t in (31..=240).map(|s| s * 1000) {
        sim.advance_to(Time(t));
        for line in w_lines(&watch.poll(&sim).stdout, "job-") {
            let cells: Vec<&str> = line.split_whitespace().collect();
            rows.push((cells[2].to_string(), cells[3].to_string()));
        }
    }
    let statuses: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
    // §9.2: ContainerCreating only before the first container ran; then exit (Completed for
    // exit code 0), CrashLoopBackOff, Running, … as a real `get pods -w` shows.
    let first_run = statuses.iter().position(|s| *s == "Running").expect("ran");
    assert!(
        statuses[..first_run]
            .iter()
            .all(|s| *s == "Pending" || *s == "ContainerCreating"),
        "{statuses:?}"
    );
    assert!(
        statuses[first_run..]
            .iter()
            .all(|s| ["Running", "Completed", "CrashLoopBackOff"].contains(s)),
        "{statuses:?}"
    );
    assert!(statuses.contains(&"CrashLoopBackOff"), "{statuses:?}");
    // The restart count goes up on the rows where the new container runs, not before.
    let restarts = |r: &(String, String)| r.1.split(' ').next().unwrap_or("").to_string();
    for pair in rows.windows(2) {
        if restarts(&pair[1]) != restarts(&pair[0]) {
            assert_eq!(pair[1].0, "Running", "{rows:?}");
        }
    }
    assert!(
        restarts(rows.last().unwrap()).parse::<u32>().unwrap() >= 3,
        "{rows:?}"
    );
}

fn w_lines<'a>(out: &'a str, prefix: &'a str) -> impl Iterator<Item = &'a str> {
    out.lines().filter(move |l| l.starts_with(prefix))
}

#[test]
fn jsonpath_and_custom_columns_print_what_tutorials_ask_for() {
    let mut sim = cluster();
    let mut pods = pod_names(&sim);
    kubesim::order::sort(&mut pods);
    assert_eq!(
        ok(
            &mut sim,
            "kubectl get pods -o jsonpath='{.items[*].metadata.name}'"
        ),
        pods.join(" ")
    );
    assert_eq!(
        ok(
            &mut sim,
            "kubectl get deployment web -o jsonpath={.spec.replicas}"
        ),
        "3"
    );
    let ranged = ok(
        &mut sim,
        r#"kubectl get pods -o jsonpath='{range .items[*]}{.metadata.name}{"\t"}{.spec.containers[0].image}{"\n"}{end}'"#,
    );
    let expected: String = pods.iter().map(|p| format!("{p}\tnginx:1.27\n")).collect();
    assert_eq!(ranged, expected);
    // custom-columns: the table printer's layout, <none> for a missing value.
    let table = ok(
        &mut sim,
        "kubectl get deploy -o custom-columns=NAME:.metadata.name,IMAGE:.spec.template.spec.containers[*].image,PAUSED:.spec.paused",
    );
    assert_eq!(
        table,
        "NAME   IMAGE        PAUSED\nweb    nginx:1.27   <none>\n"
    );
    let bad = run(&mut sim, "kubectl get pods -o custom-columns=NAME");
    assert_eq!(
        bad.stderr,
        "error: unexpected custom-columns spec: NAME, expected <header>:<json-path-expr>\n"
    );
    let empty = run(&mut sim, "kubectl get pods -o jsonpath=");
    assert_eq!(
        empty.stderr,
        "error: template format specified but no template given\n"
    );
    // The API's JSON names spell IP, ID and CIDR in capitals (core/v1 types.go json tags).
    let first = &pods[0];
    let ip = sim
        .store
        .pods
        .values()
        .find(|p| &p.metadata.name == first)
        .unwrap()
        .status
        .pod_ip
        .clone()
        .unwrap();
    assert_eq!(
        ok(
            &mut sim,
            &format!(
                "kubectl get pod {first} -o jsonpath={{.status.podIP}},{{.status.podIPs[0].ip}}"
            )
        ),
        format!("{ip},{ip}")
    );
    let yaml = ok(&mut sim, &format!("kubectl get pod {first} -o yaml"));
    for key in [
        "hostIP:",
        "hostIPs:",
        "podIP:",
        "podIPs:",
        "containerID:",
        "imageID:",
    ] {
        assert!(yaml.contains(key), "{key} in\n{yaml}");
    }
    let node = ok(
        &mut sim,
        "kubectl get node node-1 -o jsonpath={.spec.podCIDR},{.spec.podCIDRs[0]}",
    );
    assert_eq!(node, "10.244.1.0/24,10.244.1.0/24");
}

#[test]
fn kubectl_events_lists_by_last_occurrence_with_kind_slash_name() {
    let mut sim = cluster();
    exec(&mut sim, "kubectl scale deployment web --replicas=4");
    sim.advance_to(Time(60_000));
    let out = ok(&mut sim, "kubectl events");
    let lines: Vec<&str> = out.lines().collect();
    // events/event_printer.go: its own header, OBJECT as Kind/name.
    assert!(
        lines[0].starts_with("LAST SEEN   TYPE     REASON "),
        "{out}"
    );
    assert_eq!(
        lines[0].split_whitespace().collect::<Vec<_>>(),
        ["LAST", "SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"]
    );
    assert!(lines.iter().any(|l| l.contains(" Pod/web-")), "{out}");
    // SortableEvents: oldest last occurrence first.
    let scale_up = lines
        .iter()
        .position(|l| l.contains("from 3 to 4"))
        .expect("scale event");
    let first_scale = lines
        .iter()
        .position(|l| l.contains("from 0 to 3"))
        .expect("first scale");
    assert!(first_scale < scale_up, "{out}");
    let mine = ok(&mut sim, "kubectl events --for deployment/web");
    assert_eq!(mine.lines().count(), 3, "{mine}");
    assert!(
        mine.lines().skip(1).all(|l| l.contains(" Deployment/web ")),
        "{mine}"
    );
    let none = run(&mut sim, "kubectl events --types=Warning");
    assert_eq!(
        (none.exit_code, none.stdout.as_str(), none.stderr.as_str()),
        (0, "", "No events found in default namespace.\n")
    );
    let bad = run(&mut sim, "kubectl events --types=Bad");
    assert_eq!(bad.exit_code, 1);
}

#[test]
fn a_pod_watch_prints_every_write_in_order() {
    let scenario = "name: watch\nseed: 1\ntimeline:\n- at: 0\n  kubectl: kubectl create deployment web --image=nginx:1.27 --replicas=2\n";
    let mut session = kubesim::session::Session::new(scenario).unwrap();
    session.advance_to(Time(30_000));
    session.run(Command::Kubectl("kubectl get pods -w".into()));
    let victim = pod_names(&session.sim)[0].clone();
    session.run(Command::Kubectl(format!("kubectl delete pod {victim}")));
    let printed: String = session
        .advance_to(Time(45_000))
        .into_iter()
        .map(|p| p.output.stdout)
        .collect();
    let rows: Vec<(String, String)> = printed
        .lines()
        .map(|l| {
            let cells: Vec<&str> = l.split_whitespace().collect();
            (cells[0].to_string(), cells[2].to_string())
        })
        .collect();
    // The API server's watch sends each write: the deleted pod turns Terminating before its
    // replacement is created, which is Pending (created, then bound) before ContainerCreating.
    assert_eq!(
        rows[0],
        (victim.clone(), "Terminating".to_string()),
        "{printed}"
    );
    let new = rows[1].0.clone();
    assert_ne!(new, victim);
    let statuses: Vec<&str> = rows
        .iter()
        .filter(|(n, _)| *n == new)
        .map(|(_, s)| s.as_str())
        .collect();
    assert_eq!(
        &statuses[..3],
        ["Pending", "Pending", "ContainerCreating"],
        "{printed}"
    );
    assert_eq!(statuses.last(), Some(&"Running"), "{printed}");
    // Without a pod watch the store keeps no writes.
    session.interrupt();
    assert!(session.sim.store.writes.is_none());
}

#[test]
fn a_replicaset_watch_prints_every_write_of_a_rollout() {
    let scenario = "name: watch\nseed: 1\ntimeline:\n- at: 0\n  kubectl: kubectl create deployment web --image=nginx:1.27 --replicas=3\n";
    let mut session = kubesim::session::Session::new(scenario).unwrap();
    session.advance_to(Time(20_000));
    session.run(Command::Kubectl("kubectl get rs -w".into()));
    session.run(Command::Kubectl(
        "kubectl set image deployment/web nginx=nginx:1.28".into(),
    ));
    let printed: String = session
        .advance_to(Time(60_000))
        .into_iter()
        .map(|p| p.output.stdout)
        .collect();
    let counts = |name: &str| -> Vec<String> {
        printed
            .lines()
            .filter(|l| l.starts_with(name))
            .map(|l| {
                l.split_whitespace()
                    .skip(1)
                    .take(3)
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect()
    };
    let new_rs = printed.split_whitespace().next().unwrap_or_default();
    let old = rs_names(&session.sim)
        .into_iter()
        .find(|n| n != new_rs)
        .unwrap_or_default();
    // The API server's watch sends each write: the new ReplicaSet is created asking for one
    // pod (DESIRED CURRENT READY 1 0 0), then its controller's status write counts the pod
    // it made (1 1 0), before the pod becomes ready; the old one is scaled (2 3 3) before
    // its pods go (2 2 2).
    let new = counts(new_rs);
    assert_eq!(&new[..3], ["1 0 0", "1 1 0", "1 1 1"], "{printed}");
    assert_eq!(new.last().map(String::as_str), Some("3 3 3"), "{printed}");
    let old = counts(&old);
    assert_eq!(&old[..2], ["2 3 3", "2 2 2"], "{printed}");
    assert_eq!(old.last().map(String::as_str), Some("0 0 0"), "{printed}");
}

#[test]
fn a_get_that_would_print_too_much_is_refused_with_a_message() {
    let mut sim = cluster();
    // Three pods named five thousand times over is 15,000 objects.
    let types = vec!["po"; 5_000].join(",");
    let out = run(&mut sim, &format!("kubectl get {types} -o name"));
    assert_eq!(out.exit_code, 1);
    assert_eq!(
        out.stderr,
        "error: this would print 15000 objects; kubesim prints at most 10000 per command (name fewer types, or use -l or a namespace)\n"
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn a_pod_watch_reports_added_modified_and_deleted_as_the_watch_cache_does() {
    let scenario = "name: watch\nseed: 1\ntimeline:\n- at: 0\n  kubectl: kubectl create deployment web --image=nginx:1.27 --replicas=2\n";
    let mut session = kubesim::session::Session::new(scenario).unwrap();
    session.advance_to(Time(30_000));
    let pod = pod_names(&session.sim)[0].clone();
    session.run(Command::Kubectl(
        "kubectl get pods -l app=web -w --watch-only --output-watch-events".into(),
    ));
    // Relabelled out of the selector: DELETED (the pod still exists); the ReplicaSet's
    // replacement: ADDED once, then MODIFIED.
    session.run(Command::Kubectl(format!(
        "kubectl label pod {pod} app=other --overwrite"
    )));
    let printed: String = session
        .advance_to(Time(40_000))
        .into_iter()
        .map(|p| p.output.stdout)
        .collect();
    let events: Vec<(String, String)> = printed
        .lines()
        .filter(|l| !l.starts_with("EVENT"))
        .map(|l| {
            let cells: Vec<&str> = l.split_whitespace().collect();
            (cells[0].to_string(), cells[1].to_string())
        })
        .collect();
    assert_eq!(events[0], ("DELETED".to_string(), pod.clone()), "{printed}");
    let new = &events[1].1;
    let kinds: Vec<&str> = events
        .iter()
        .filter(|(_, n)| n == new)
        .map(|(e, _)| e.as_str())
        .collect();
    assert_eq!(kinds[0], "ADDED", "{printed}");
    assert!(kinds[1..].iter().all(|e| *e == "MODIFIED"), "{printed}");

    // A watch started later reads only what happens after it starts, also after a seek.
    session.interrupt();
    session.seek(Time(35_000));
    session.advance_to(Time(40_000));
    session.run(Command::Kubectl("kubectl get pods -w --watch-only".into()));
    let later: Vec<kubesim::session::Printed> = session.advance_to(Time(41_000));
    assert!(
        later.iter().all(|p| p.output.stdout.is_empty()),
        "{later:?}"
    );
}

#[test]
fn step_on_a_settled_cluster_keeps_the_clock_the_horizon_and_the_watches() {
    let scenario = "name: settle\nseed: 1\ntimeline:\n- at: 0\n  kubectl: kubectl create deployment web --image=nginx:1.27 --replicas=2\n";
    let mut session = kubesim::session::Session::new(scenario).unwrap();
    session.advance_to(Time(60_000));
    session.run(Command::Kubectl("kubectl get pods -w".into()));
    let (now, horizon) = (session.now(), session.horizon);
    let printed = session.step();
    assert!(printed.is_empty());
    assert_eq!((session.now(), session.horizon), (now, horizon));
    assert!(session.watching(), "the watch goes on");
}

#[test]
fn version_prints_the_simulated_release_and_refuses_what_it_cannot_show() {
    let mut sim = Sim::new(ClusterConfig::default(), 1);
    let mut run = |line: &str| {
        let out = kubesim::kubectl::run(&mut sim, line);
        (out.exit_code, out.stdout, out.stderr)
    };
    let v = kubesim::cluster::KUBERNETES_VERSION;
    assert_eq!(
        run("kubectl version"),
        (
            0,
            format!("Client Version: {v}\nKustomize Version: v5.7.1\nServer Version: {v}\n"),
            String::new()
        )
    );
    assert_eq!(
        run("kubectl version --client").1,
        format!("Client Version: {v}\nKustomize Version: v5.7.1\n")
    );
    assert!(run("kubectl version -h")
        .1
        .starts_with("Print the client and server version information"));
    // version.go: -o takes yaml or json only.
    assert_eq!(
        run("kubectl version -o wide").2,
        "error: --output must be 'yaml' or 'json'\n"
    );
    assert!(run("kubectl version -o yaml")
        .2
        .contains("not available in this simulator"));
    assert_eq!(
        run("kubectl version --short").2,
        "error: unknown flag: --short\nSee 'kubectl version --help' for usage.\n"
    );
}

/// Event lines (`Type  Reason  Age  From  Message`) of a describe output.
fn event_lines(describe: &str) -> Vec<String> {
    let events = describe.split("Events:").nth(1).unwrap_or("");
    events
        .lines()
        .filter(|l| l.trim_start().starts_with("Normal") || l.trim_start().starts_with("Warning"))
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect()
}

#[test]
fn similar_events_are_combined_and_a_burst_about_one_object_is_thinned() {
    let mut sim = Sim::new(ClusterConfig::default(), 1);
    exec(
        &mut sim,
        "kubectl create deployment web --image=nginx:1.27 --replicas=12",
    );
    sim.advance_to(Time(20_000));
    exec(
        &mut sim,
        "kubectl set image deployment/web nginx=nginx:1.28",
    );
    sim.advance_to(Time(60_000));
    exec(
        &mut sim,
        "kubectl set image deployment/web nginx=nginx:1.29",
    );
    sim.advance_to(Time(100_000));
    // events_cache.go's EventAggregator: from the tenth distinct ScalingReplicaSet message
    // within ten minutes, the deployment controller's events about web are one combined event.
    let lines = event_lines(&ok(&mut sim, "kubectl describe deployment web"));
    assert_eq!(lines.len(), 10, "{lines:#?}");
    assert!(
        lines[..9].iter().all(|l| !l.contains("combined")),
        "{lines:#?}"
    );
    assert!(
        lines[9].starts_with("Normal ScalingReplicaSet 34s (x4 over 40s) deployment-controller (combined from similar events): Scaled down replica set "),
        "{}",
        lines[9]
    );

    // EventSourceObjectSpamFilter: 25 events about one object from one source pass at once;
    // the count of the combined event stops there until the bucket refills (one per 5 min).
    let mut sim = Sim::new(ClusterConfig::default(), 1);
    exec(
        &mut sim,
        "kubectl create deployment big --image=nginx:1.27 --replicas=60",
    );
    sim.advance_to(Time(60_000));
    let rs = ok(&mut sim, "kubectl describe rs");
    let lines = event_lines(&rs);
    assert_eq!(lines.len(), 10, "{lines:#?}");
    assert!(
        lines[9].contains("(x16 over ")
            && lines[9].contains("(combined from similar events): Created pod: big-"),
        "{}",
        lines[9]
    );
    // Five minutes later the next create passes and carries the count of those held back.
    sim.advance_to(Time(400_000));
    exec(&mut sim, "kubectl scale deployment big --replicas=61");
    sim.advance_to(Time(420_000));
    let lines = event_lines(&ok(&mut sim, "kubectl describe rs"));
    assert!(lines[9].contains("(x52 over "), "{}", lines[9]);
}

#[test]
fn kyaml_output_is_yaml_of_the_same_object_in_kubectls_dialect() {
    let mut sim = cluster();
    if let Some(d) = sim.store.deployments.values_mut().next() {
        d.metadata
            .annotations
            .insert("note".into(), "two\nlines".into());
    }
    for target in ["deploy web", "rs", "pods"] {
        let kyaml = ok(&mut sim, &format!("kubectl get {target} -o kyaml"));
        let yaml = ok(&mut sim, &format!("kubectl get {target} -o yaml"));
        // KYAML is YAML: read back, it is the object `-o yaml` prints.
        let parse = |t: &str| serde_yaml::from_str::<serde_yaml::Value>(t).ok();
        assert!(parse(&kyaml).is_some(), "{kyaml}");
        assert_eq!(parse(&kyaml), parse(&yaml), "{target}");
        // A document separator, flow style, strings double-quoted, keys bare.
        assert!(kyaml.starts_with("---\n{\n  apiVersion: \""), "{kyaml}");
        assert!(kyaml.ends_with("}\n"), "{kyaml}");
    }
    let deploy = ok(&mut sim, "kubectl get deploy web -o kyaml");
    assert!(deploy.contains("\n        containers: [{\n"), "{deploy}");
    assert!(deploy.contains("\n    replicas: 3,\n"), "{deploy}");
    // A multi-line string is folded line by line.
    assert!(
        deploy.contains("note: \"\\\n         two\\n\\\n         lines\\\n        \",\n"),
        "{deploy}"
    );
    assert_eq!(
        run(&mut sim, "kubectl get pods -o foo").stderr,
        "error: unable to match a printer suitable for the output format \"foo\", allowed formats are: custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,kyaml,name,template,templatefile,wide,yaml\n"
    );
}

#[test]
fn a_jsonpath_that_finds_nothing_prints_nothing() {
    let mut sim = cluster();
    // printGeneric runs the template over the list: a missing key is empty, and only the
    // table printers say "No resources found".
    let out = run(&mut sim, "kubectl get pods -o jsonpath={.nothing}");
    assert_eq!(
        (out.exit_code, out.stdout.as_str(), out.stderr.as_str()),
        (0, "", "")
    );
    // CustomColumnsPrinter prints its header over an empty list.
    let out = run(
        &mut sim,
        "kubectl get pods -n kube-public -o custom-columns=NAME:.metadata.name",
    );
    assert_eq!(
        (out.exit_code, out.stdout.as_str(), out.stderr.as_str()),
        (0, "NAME\n", "")
    );
}

#[test]
fn a_jsonpath_index_past_the_end_is_kubectls_error_after_what_was_printed() {
    let mut sim = cluster();
    let out = run(
        &mut sim,
        "kubectl get deploy -o jsonpath='{.items[0].metadata.name} {.items[3].metadata.name}'",
    );
    assert_eq!((out.exit_code, out.stdout.as_str()), (1, "web "));
    let lines: Vec<&str> = out.stderr.lines().collect();
    assert_eq!(
        lines[..4],
        [
            "error: error executing jsonpath \"{.items[0].metadata.name} {.items[3].metadata.name}\": Error executing template: array index out of bounds: index 3, length 1. Printing more information for debugging the template:",
            "\ttemplate was:",
            "\t\t{.items[0].metadata.name} {.items[3].metadata.name}",
            "\tobject given to jsonpath engine was:",
        ]
    );
    // Go's %#v of the list: sorted keys, typed empty interfaces.
    assert!(
        lines[4].starts_with("\t\tmap[string]interface {}{\"apiVersion\":\"v1\", \"items\":[]interface {}{map[string]interface {}{\"apiVersion\":\"apps/v1\", \"kind\":\"Deployment\", "),
        "{}",
        lines[4]
    );
    assert!(
        lines[4].ends_with(
            ", \"kind\":\"List\", \"metadata\":map[string]interface {}{\"resourceVersion\":\"\"}}"
        ),
        "{}",
        lines[4]
    );
    assert!(out.stderr.ends_with("}\n\n\n"));
    // A negative index counts from the end; past the start it is out of bounds too.
    assert_eq!(
        run(
            &mut sim,
            "kubectl get deploy web -o jsonpath={.spec.template.spec.containers[-1].name}"
        )
        .stdout,
        "nginx"
    );
    assert!(run(&mut sim, "kubectl get deploy -o jsonpath={.items[-3]}")
        .stderr
        .contains("array index out of bounds: index -2, length 1."));
}

#[test]
fn go_templates_print_what_the_tutorials_ask_for() {
    let mut sim = cluster();
    exec(
        &mut sim,
        "kubectl expose deployment web --type=NodePort --port=80",
    );
    let node_port = sim
        .store
        .services
        .values()
        .find(|s| s.metadata.name == "web")
        .and_then(|s| s.spec.ports.first())
        .and_then(|p| p.node_port)
        .expect("a NodePort Service has a node port");
    // Kubernetes Basics, "Using a Service to Expose Your App".
    assert_eq!(
        ok(
            &mut sim,
            "kubectl get services/web -o go-template='{{(index .spec.ports 0).nodePort}}'"
        ),
        node_port.to_string()
    );
    let mut pods = pod_names(&sim);
    kubesim::order::sort(&mut pods);
    let lines: String = pods.iter().map(|p| format!("{p}\n")).collect();
    // The same tutorial's POD_NAME, with the template in --template.
    assert_eq!(
        ok(
            &mut sim,
            r#"kubectl get pods -o go-template --template '{{range .items}}{{.metadata.name}}{{"\n"}}{{end}}'"#
        ),
        lines
    );
    // --template alone means a Go template; `template` is the same printer.
    assert_eq!(
        ok(
            &mut sim,
            r#"kubectl get pods --template='{{range .items}}{{.metadata.name}}{{"\n"}}{{end}}'"#
        ),
        lines
    );
    assert_eq!(
        ok(
            &mut sim,
            "kubectl get deploy web -o template='{{.spec.replicas}}/{{.status.readyReplicas}} {{.spec.paused}}'"
        ),
        "3/3 <no value>"
    );
    // Errors: a parse error and an empty template say so; a failed run prints its report
    // on standard output and kubectl's error on standard error.
    let parse = run(&mut sim, "kubectl get deploy web -o go-template={{.spec");
    assert_eq!(
        (parse.exit_code, parse.stderr.as_str()),
        (
            1,
            "error: error parsing template {{.spec, template: output:1: unclosed action\n"
        )
    );
    let empty = run(&mut sim, "kubectl get deploy web -o go-template");
    assert_eq!(
        empty.stderr,
        "error: template format specified but no template given\n"
    );
    let both = run(
        &mut sim,
        "kubectl get deploy web -o go-template={{.kind}} --template={{.kind}}",
    );
    assert!(
        both.stderr.starts_with("error: unable to match a printer suitable for the output format \"go-template={{.kind}}\""),
        "{}",
        both.stderr
    );
    let failed = run(
        &mut sim,
        "kubectl get deploy web -o go-template='{{.kind}} {{index .spec.template.spec.containers 1}}'",
    );
    assert_eq!(failed.exit_code, 1);
    assert!(failed.stdout.starts_with("Deployment Error executing template: template: output:1:12: executing \"output\" at <index .spec.template.spec.containers 1>: error calling index: reflect: slice index out of range. Printing more information for debugging the template:\n\ttemplate was:\n"), "{}", failed.stdout);
    assert_eq!(
        failed.stderr,
        "error: error executing template \"{{.kind}} {{index .spec.template.spec.containers 1}}\": template: output:1:12: executing \"output\" at <index .spec.template.spec.containers 1>: error calling index: reflect: slice index out of range\n"
    );
    // A watch prints each object through the template, as it changes.
    let (first, watch) = kubesim::kubectl::start(
        &mut sim,
        r#"kubectl get deploy web -w -o go-template='{{.metadata.name}}:{{.spec.replicas}}{{"\n"}}'"#,
    );
    let mut watch = watch.expect("get -w returns a watch");
    assert_eq!(first.stdout, "web:3\n");
    exec(&mut sim, "kubectl scale deployment web --replicas=4");
    assert_eq!(watch.poll(&sim).stdout, "web:4\n");
    assert!(!watch.finished());
    // A template that fails on an object ends the watch with kubectl's error.
    let (first, watch) = kubesim::kubectl::start(
        &mut sim,
        "kubectl get deploy web -w -o go-template='{{.spec.replicas}}{{index .spec.template.spec.containers 3}}'",
    );
    assert!(watch.is_none(), "the listing already failed");
    assert_eq!(first.exit_code, 1);
    assert!(
        first.stdout.starts_with("4Error executing template: "),
        "{}",
        first.stdout
    );
    assert!(
        first
            .stderr
            .starts_with("error: unable to output the provided object: error executing template "),
        "{}",
        first.stderr
    );
    // On a later event the watch just ends, leaving what the printer wrote.
    let (first, watch) = kubesim::kubectl::start(
        &mut sim,
        "kubectl get deploy web -w -o go-template='{{if eq .spec.replicas 4}}ok{{else}}{{index .spec.template.spec.containers 3}}{{end}}'",
    );
    assert_eq!(first.stdout, "ok");
    let mut watch = watch.expect("a watch");
    exec(&mut sim, "kubectl scale deployment web --replicas=5");
    let later = watch.poll(&sim);
    assert_eq!((later.exit_code, later.stderr.as_str()), (0, ""));
    assert!(
        later.stdout.starts_with("Error executing template: "),
        "{}",
        later.stdout
    );
    assert!(watch.finished());
    // get_flags.go hands --template to custom columns too.
    assert_eq!(
        ok(&mut sim, "kubectl get deploy -o custom-columns --template=NAME:.metadata.name,REPLICAS:.spec.replicas"),
        "NAME   REPLICAS\nweb    5\n"
    );
}

/// Polls `watch` after every simulated second until it ends or `until` (ms) passes: what it
/// printed, and when it ended.
fn follow(sim: &mut Sim, watch: &mut Watch, until: u64) -> (Output, Option<u64>) {
    let mut all = Output::default();
    let mut t = sim.now.0;
    while t < until {
        t += 1_000;
        sim.advance_to(Time(t));
        let out = watch.poll(sim);
        all.stdout.push_str(&out.stdout);
        all.stderr.push_str(&out.stderr);
        all.exit_code = all.exit_code.max(out.exit_code);
        if watch.finished() {
            return (all, Some(t));
        }
    }
    (all, None)
}

#[test]
fn wait_follows_the_cluster_until_the_condition_holds_or_the_timeout_passes() {
    let mut sim = Sim::new(ClusterConfig::default(), 1);
    exec(
        &mut sim,
        "kubectl create deployment web --image=nginx:1.27 --replicas=3",
    );
    // The tutorials' wait: it blocks until the Deployment is Available.
    let (first, watch) = sim.start(&Command::Kubectl(
        "kubectl wait --for=condition=available deployment/web --timeout=60s".into(),
    ));
    assert_eq!((first.stdout.as_str(), first.stderr.as_str()), ("", ""));
    let mut watch = watch.expect("a watch");
    // It prints in the step where the condition turns True, not before.
    let available = |sim: &Sim| {
        sim.store.deployments[&kubesim::store::key("default", "web")]
            .status
            .conditions
            .iter()
            .any(|c| c.type_ == "Available" && c.status == "True")
    };
    let mut t = 0;
    loop {
        t += 500;
        assert!(t < 60_000, "the Deployment became available");
        sim.advance_to(Time(t));
        let out = watch.poll(&sim);
        if !available(&sim) {
            assert_eq!(out.stdout, "", "not met at {t} ms");
            continue;
        }
        assert_eq!(out.stdout, "deployment.apps/web condition met\n");
        assert!(watch.finished());
        break;
    }
    // Conditions already met print at once; pods by label, one line each.
    let mut pods = pod_names(&sim);
    kubesim::order::sort(&mut pods);
    let ready: String = pods
        .iter()
        .map(|p| format!("pod/{p} condition met\n"))
        .collect();
    assert_eq!(
        ok(
            &mut sim,
            "kubectl wait --for=condition=Ready pod -l app=web"
        ),
        ready
    );
    assert_eq!(
        ok(
            &mut sim,
            "kubectl wait --for=jsonpath={.status.readyReplicas}=3 deploy/web -o name"
        ),
        "deployment.apps/web\n"
    );
    // --timeout=0 checks once.
    let once = run(
        &mut sim,
        "kubectl wait --for=condition=Progressing=False deploy/web --timeout=0",
    );
    assert_eq!(
        (once.exit_code, once.stderr.as_str()),
        (1, "error: condition not met for deployments/web\n")
    );
    // A timeout ends the wait at its deadline, whatever else happens.
    let start = sim.now.0;
    let (_, watch) = sim.start(&Command::Kubectl(
        "kubectl wait --for=condition=Progressing=False deploy/web --timeout=5s".into(),
    ));
    let (out, ended) = follow(&mut sim, &mut watch.expect("a watch"), start + 60_000);
    assert_eq!(
        (out.exit_code, out.stderr.as_str()),
        (
            1,
            "error: timed out waiting for the condition on deployments/web\n"
        )
    );
    assert_eq!(ended, Some(start + 5_000));
    // --for=delete: met when the pod is gone; a pod already gone is skipped.
    let victim = pods[0].clone();
    exec(
        &mut sim,
        &format!("kubectl delete pod {victim} --wait=false"),
    );
    let (_, watch) = sim.start(&Command::Kubectl(format!(
        "kubectl wait --for=delete pod/{victim} --timeout=60s"
    )));
    let until = sim.now.0 + 60_000;
    let (out, _) = follow(&mut sim, &mut watch.expect("a watch"), until);
    assert_eq!(out.stdout, format!("pod/{victim} condition met\n"));
    assert!(!sim
        .store
        .pods
        .contains_key(&kubesim::store::key("default", &victim)));
    assert_eq!(
        ok(&mut sim, &format!("kubectl wait --for=delete pod/{victim}")),
        ""
    );
    // --for=create waits for the object to appear.
    let (_, watch) = sim.start(&Command::Kubectl(
        "kubectl wait --for=create deployment/late --timeout=30s".into(),
    ));
    let mut watch = watch.expect("a watch");
    let later = sim.now.0 + 2_000;
    sim.advance_to(Time(later));
    assert_eq!(watch.poll(&sim).stdout, "");
    exec(
        &mut sim,
        "kubectl create deployment late --image=nginx:1.27",
    );
    assert_eq!(
        watch.poll(&sim).stdout,
        "deployment.apps/late condition met\n"
    );
    assert!(watch.finished());
    // kubectl's own errors.
    let cases = [
        (
            "kubectl wait deploy/web",
            "error: unrecognized condition: \"\"\n",
        ),
        (
            "kubectl wait --for=ready deploy/web",
            "error: unrecognized condition: \"ready\"\n",
        ),
        (
            "kubectl wait --for=condition=Ready pod",
            "error: resource(s) were provided, but no name was specified\n",
        ),
        (
            "kubectl wait --for=condition=Ready pod -l app=none",
            "error: no matching resources found\n",
        ),
        (
            "kubectl wait --for=condition=Ready pod/nope",
            "Error from server (NotFound): pods \"nope\" not found\n",
        ),
        (
            "kubectl wait --for=jsonpath={.status.conditions[*].type} deploy/web",
            "error: given jsonpath expression matches more than one value\n",
        ),
    ];
    for (line, stderr) in cases {
        let out = run(&mut sim, line);
        assert_eq!((out.exit_code, out.stderr.as_str()), (1, stderr), "{line}");
    }
}

#[test]
fn empty_names_and_namespaces_as_kubectl_reads_them() {
    let mut sim = cluster();
    for line in [
        "kubectl get deploy ''",
        "kubectl describe deploy ''",
        "kubectl delete deploy ''",
        "kubectl scale deploy '' --replicas=2",
    ] {
        let out = run(&mut sim, line);
        assert_eq!(
            (out.exit_code, out.stderr.as_str()),
            (1, "error: resource name may not be empty\n"),
            "{line}"
        );
    }
    assert_eq!(
        run(&mut sim, "kubectl get deploy/web/extra").stderr,
        "error: arguments in resource/name form may not have more than one slash\n"
    );
    // An empty namespace is the context's.
    assert_eq!(
        ok(&mut sim, "kubectl get deploy -n ''"),
        ok(&mut sim, "kubectl get deploy")
    );
}

#[test]
fn a_global_flag_without_its_value_is_an_error_not_the_help() {
    let mut sim = cluster();
    for (line, message) in [
        (
            "kubectl -n",
            "error: flag needs an argument: 'n' in -n\nSee 'kubectl --help' for usage.\n",
        ),
        (
            "kubectl --namespace",
            "error: flag needs an argument: --namespace\nSee 'kubectl --help' for usage.\n",
        ),
    ] {
        let out = run(&mut sim, line);
        assert_eq!((out.exit_code, out.stderr.as_str()), (1, message), "{line}");
    }
    assert!(run(&mut sim, "kubectl")
        .stdout
        .contains("kubectl controls the Kubernetes cluster manager."));
}

/// A program that ignores SIGTERM is killed at the end of the grace period: exit 137, phase
/// Failed, `Error`.
#[test]
fn a_deleted_pod_killed_at_the_end_of_its_grace_period_ends_in_error() {
    let mut sim = cluster();
    exec(
        &mut sim,
        "kubectl run bb --image=busybox:1.36 -- sleep 3600",
    );
    sim.advance_to(Time(45_000));
    let (_, watch) = kubesim::kubectl::start(&mut sim, "kubectl get pods -w");
    let mut watch = watch.unwrap();
    kubesim::kubectl::watch::keep_writes(&mut sim, std::slice::from_ref(&watch), false);
    exec(&mut sim, "kubectl delete pod bb --wait=false");
    assert_eq!(
        watched_statuses(&mut sim, &mut watch, "bb ", 90),
        ["Terminating", "Error"]
    );
}
