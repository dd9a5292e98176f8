//! The commands of the Kubernetes documentation's own walkthroughs work here as written: the
//! Deployment concept page (nginx 1.14.2 → 1.16.1, then the 1.161 typo), the Kubernetes
//! Basics tutorial (kubernetes-bootcamp v1 → v2 with its log, then the v10 that does not exist), and Hello
//! Minikube (`create deployment … -- COMMAND`); and every cluster has the API server's
//! `kubernetes` Service, as `kubectl get services` shows in each of them.

use kubesim::cluster::ClusterConfig;
use kubesim::store::key;
use kubesim::{Command, Sim, Time};

fn kubectl(sim: &mut Sim, line: &str) -> String {
    let out = sim.execute(&Command::Kubectl(line.into()));
    assert!(out.success(), "{line}\n{}", out.text());
    out.stdout
}

/// The STATUS column of every pod whose name starts with `prefix`.
fn statuses(sim: &mut Sim, prefix: &str) -> Vec<String> {
    kubectl(sim, "kubectl get pods")
        .lines()
        .skip(1)
        .filter(|l| l.starts_with(prefix))
        .map(|l| l.split_whitespace().nth(2).unwrap_or("").to_string())
        .collect()
}

fn images(sim: &Sim, deployment: &str) -> Vec<String> {
    let d = &sim.store.deployments[&key("default", deployment)];
    let selector = &d.spec.template.metadata.labels;
    sim.store
        .pods
        .values()
        .filter(|p| {
            selector
                .iter()
                .all(|(k, v)| p.metadata.labels.get(k) == Some(v))
        })
        .filter(|p| p.metadata.deletion_timestamp.is_none())
        .map(|p| p.spec.containers[0].image.clone().unwrap_or_default())
        .collect()
}

#[test]
fn the_deployment_page_rolls_nginx_1_14_2_to_1_16_1_and_stalls_on_1_161() {
    let mut sim = Sim::new(ClusterConfig::default(), 7);
    kubectl(
        &mut sim,
        "kubectl create deployment nginx-deployment --image=nginx:1.14.2 --replicas=3",
    );
    sim.advance_to(Time(30_000));
    assert_eq!(statuses(&mut sim, "nginx-deployment-"), ["Running"; 3]);
    kubectl(
        &mut sim,
        "kubectl set image deployment.v1.apps/nginx-deployment nginx=nginx:1.16.1",
    );
    sim.advance_to(Time(90_000));
    assert_eq!(images(&sim, "nginx-deployment"), ["nginx:1.16.1"; 3]);
    assert_eq!(
        kubectl(
            &mut sim,
            "kubectl rollout status deployment/nginx-deployment"
        ),
        "deployment \"nginx-deployment\" successfully rolled out\n"
    );
    // The page's typo: the tag does not exist, so the new pods never pull and the rollout
    // stops with the old pods still serving.
    kubectl(
        &mut sim,
        "kubectl set image deployment/nginx-deployment nginx=nginx:1.161",
    );
    sim.advance_to(Time(150_000));
    let mut st = statuses(&mut sim, "nginx-deployment-");
    kubesim::order::sort(&mut st);
    assert_eq!(
        st,
        ["ImagePullBackOff", "Running", "Running", "Running"],
        "one surge pod that cannot pull beside three old ones"
    );
}

#[test]
fn kubernetes_basics_updates_the_bootcamp_app_and_v10_does_not_exist() {
    let mut sim = Sim::new(ClusterConfig::default(), 7);
    kubectl(
        &mut sim,
        "kubectl create deployment kubernetes-bootcamp --image=gcr.io/google-samples/kubernetes-bootcamp:v1",
    );
    kubectl(
        &mut sim,
        "kubectl expose deployment/kubernetes-bootcamp --type=\"NodePort\" --port 8080",
    );
    // The tutorial reads the node port and a pod's name with Go templates.
    let node_port = kubectl(
        &mut sim,
        "kubectl get services/kubernetes-bootcamp -o go-template='{{(index .spec.ports 0).nodePort}}'",
    );
    let service = &sim.store.services[&key("default", "kubernetes-bootcamp")];
    assert_eq!(
        Some(node_port.parse().expect("a port number")),
        service.spec.ports[0].node_port
    );
    let pod_name = kubectl(
        &mut sim,
        r#"kubectl get pods -o go-template --template '{{range .items}}{{.metadata.name}}{{"\n"}}{{end}}'"#,
    );
    let pods: Vec<String> = sim
        .store
        .pods
        .keys()
        .map(|k| format!("{}\n", k.1))
        .collect();
    assert_eq!(pod_name, pods.concat());
    // Module 3 reads the app's log: server.js logs its start time (JavaScript's ISO form)
    // and the pod's hostname, then an empty line.
    sim.advance_to(Time(10_000));
    let pod = pod_name.trim_end();
    let started = kubectl(
        &mut sim,
        &format!("kubectl get pod {pod} -o jsonpath={{.status.containerStatuses[0].state.running.startedAt}}"),
    );
    let log = kubectl(&mut sim, &format!("kubectl logs {pod}"));
    let (stamp, rest) = log
        .strip_prefix("Kubernetes Bootcamp App Started At: ")
        .and_then(|l| l.split_once(" | Running On:  "))
        .expect("the bootcamp app's first line");
    assert!(stamp.starts_with(started.trim_end_matches('Z')) && stamp.ends_with('Z'));
    assert_eq!(stamp.len(), "2026-01-05T09:00:04.500Z".len());
    assert_eq!(rest, format!("{pod} \n\n"));
    // Module 3: the app answers inside its container and names its pod.
    assert_eq!(
        kubectl(
            &mut sim,
            &format!("kubectl exec -ti {pod} -- curl http://localhost:8080")
        ),
        format!("Hello Kubernetes bootcamp! | Running on: {pod} | v=1\n")
    );
    kubectl(
        &mut sim,
        "kubectl scale deployments/kubernetes-bootcamp --replicas=4",
    );
    sim.advance_to(Time(30_000));
    assert_eq!(statuses(&mut sim, "kubernetes-bootcamp-"), ["Running"; 4]);
    // The bootcamp app listens on 8080: the Service has an endpoint for every pod.
    let described = kubectl(&mut sim, "kubectl describe services/kubernetes-bootcamp");
    assert!(
        described.contains(":8080,") && described.contains("+ 1 more..."),
        "{described}"
    );
    kubectl(
        &mut sim,
        "kubectl set image deployments/kubernetes-bootcamp kubernetes-bootcamp=docker.io/jocatalin/kubernetes-bootcamp:v2",
    );
    sim.advance_to(Time(90_000));
    assert_eq!(
        images(&sim, "kubernetes-bootcamp"),
        ["docker.io/jocatalin/kubernetes-bootcamp:v2"; 4]
    );
    // Module 6: the Service now answers from v2 only.
    let answers = kubectl(
        &mut sim,
        "kubectl exec deployment/kubernetes-bootcamp -- sh -c 'for i in 1 2 3 4 5 6; do curl -s kubernetes-bootcamp:8080; done'",
    );
    assert_eq!(answers.lines().count(), 6, "{answers}");
    assert!(answers.lines().all(|l| l.ends_with(" | v=2")), "{answers}");
    kubectl(
        &mut sim,
        "kubectl set image deployments/kubernetes-bootcamp kubernetes-bootcamp=gcr.io/google-samples/kubernetes-bootcamp:v10",
    );
    sim.advance_to(Time(150_000));
    let described = kubectl(&mut sim, "kubectl describe pods");
    assert!(
        described
            .contains("Failed to pull image \"gcr.io/google-samples/kubernetes-bootcamp:v10\""),
        "{described}"
    );
    kubectl(
        &mut sim,
        "kubectl rollout undo deployments/kubernetes-bootcamp",
    );
    sim.advance_to(Time(210_000));
    assert_eq!(statuses(&mut sim, "kubernetes-bootcamp-"), ["Running"; 4]);
    assert_eq!(
        images(&sim, "kubernetes-bootcamp"),
        ["docker.io/jocatalin/kubernetes-bootcamp:v2"; 4]
    );
}

#[test]
fn hello_minikube_runs_agnhost_with_the_command_after_the_dashes() {
    let mut sim = Sim::new(ClusterConfig::default(), 7);
    kubectl(
        &mut sim,
        "kubectl create deployment hello-node --image=registry.k8s.io/e2e-test-images/agnhost:2.39 -- /agnhost netexec --http-port=8080",
    );
    sim.advance_to(Time(30_000));
    let d = &sim.store.deployments[&key("default", "hello-node")];
    let c = &d.spec.template.spec.containers[0];
    assert_eq!(c.name, "agnhost");
    assert_eq!(
        c.extra.get("command"),
        Some(&serde_yaml::from_str("[/agnhost, netexec, --http-port=8080]").unwrap())
    );
    assert_eq!(statuses(&mut sim, "hello-node-"), ["Running"]);
    // kubectl's ArgsLenAtDash: only the words before `--` are names.
    let out = sim.execute(&Command::Kubectl(
        "kubectl create deployment a b --image=busybox -- date".into(),
    ));
    assert_eq!(
        out.stderr,
        "error: exactly one NAME is required, got 2\nSee 'kubectl create deployment -h' for help and examples\n"
    );
    let out = sim.execute(&Command::Kubectl(
        "kubectl create deployment two --image=busybox --image=nginx -- date".into(),
    ));
    assert_eq!(
        out.stderr,
        "error: cannot specify multiple --image options and command\n"
    );
    // A client dry run prints the command: YAML sorts the keys, JSON keeps Go's field order
    // (name, image, command, …, resources).
    let yaml = kubectl(
        &mut sim,
        "kubectl create deployment d --image=busybox --dry-run=client -o yaml -- sleep 3600",
    );
    assert!(
        yaml.contains(
            "      - command:\n        - sleep\n        - \"3600\"\n        image: busybox\n"
        ),
        "{yaml}"
    );
    let json = kubectl(
        &mut sim,
        "kubectl create deployment d --image=busybox --dry-run=client -o json -- sleep 3600",
    );
    let at = |field: &str| json.find(&format!("\"{field}\": ")).unwrap();
    assert!(
        at("image") < at("command") && at("command") < at("resources"),
        "{json}"
    );
}

#[test]
fn every_cluster_has_the_kubernetes_service_and_gets_it_back_after_a_delete() {
    let mut sim = Sim::new(ClusterConfig::default(), 3);
    assert_eq!(
        kubectl(&mut sim, "kubectl get services"),
        "NAME         TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)   AGE\nkubernetes   ClusterIP   10.96.0.1    <none>        443/TCP   0s\n"
    );
    let out = sim.execute(&Command::Kubectl("kubectl get endpoints kubernetes".into()));
    assert_eq!(
        out.stdout,
        "NAME         ENDPOINTS         AGE\nkubernetes   172.18.0.1:6443   0s\n"
    );
    let svc = &sim.store.services[&key("default", "kubernetes")];
    assert_eq!(svc.metadata.labels["component"], "apiserver");
    assert_eq!(svc.metadata.labels["provider"], "kubernetes");
    let uid = svc.metadata.uid.clone();
    let mut a = sim;
    // Deleted, it is back at the controller's next pass, 10 s on, with a new UID and its
    // reserved address; the Endpoints come back with it.
    kubectl(&mut a, "kubectl delete service kubernetes");
    assert!(!a.store.services.contains_key(&key("default", "kubernetes")));
    a.advance_to(Time(9_000));
    assert!(!a.store.services.contains_key(&key("default", "kubernetes")));
    a.advance_to(Time(10_000));
    let back = &a.store.services[&key("default", "kubernetes")];
    assert_ne!(back.metadata.uid, uid);
    assert_eq!(back.spec.cluster_ip.as_deref(), Some("10.96.0.1"));
    assert!(a
        .store
        .endpoints
        .contains_key(&key("default", "kubernetes")));
    // Its ports and type are the API server's: changed, they are put back at the next pass.
    kubectl(
        &mut a,
        r#"kubectl patch svc kubernetes --type merge -p '{"spec":{"type":"NodePort"}}'"#,
    );
    a.advance_to(Time(19_000));
    let svc = &a.store.services[&key("default", "kubernetes")];
    assert_eq!(svc.spec.type_.as_deref(), Some("NodePort"));
    a.advance_to(Time(20_000));
    let svc = &a.store.services[&key("default", "kubernetes")];
    assert_eq!(svc.spec.type_.as_deref(), Some("ClusterIP"));
    assert_eq!(svc.spec.ports[0].port, 443);
}

#[test]
fn the_deployment_page_batches_image_and_resources_while_paused_into_one_rollout() {
    let mut sim = Sim::new(ClusterConfig::default(), 7);
    kubectl(
        &mut sim,
        "kubectl create deployment nginx-deployment --image=nginx:1.14.2 --replicas=3",
    );
    sim.advance_to(Time(30_000));
    kubectl(
        &mut sim,
        "kubectl rollout pause deployment/nginx-deployment",
    );
    kubectl(
        &mut sim,
        "kubectl set image deployment/nginx-deployment nginx=nginx:1.16.1",
    );
    assert_eq!(
        kubectl(
            &mut sim,
            "kubectl set resources deployment/nginx-deployment -c=nginx --limits=cpu=200m,memory=512Mi",
        ),
        "deployment.apps/nginx-deployment resource requirements updated\n"
    );
    sim.advance_to(Time(60_000));
    assert_eq!(
        sim.store.replicasets.len(),
        1,
        "paused: no new ReplicaSet yet"
    );
    kubectl(
        &mut sim,
        "kubectl rollout resume deployment/nginx-deployment",
    );
    sim.advance_to(Time(120_000));
    // One rollout for both changes: two ReplicaSets, the new one with both.
    assert_eq!(sim.store.replicasets.len(), 2);
    let newest = sim
        .store
        .replicasets
        .values()
        .find(|rs| rs.spec.replicas == 3)
        .unwrap();
    let c = &newest.spec.template.spec.containers[0];
    assert_eq!(c.image.as_deref(), Some("nginx:1.16.1"));
    let limits = &c.resources.as_ref().unwrap().limits;
    assert_eq!(
        limits
            .iter()
            .map(|(k, v)| format!("{k}={}", v.0))
            .collect::<Vec<_>>(),
        ["cpu=200m", "memory=512Mi"]
    );
}
