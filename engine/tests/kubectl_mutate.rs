//! kubectl commands that change objects, beyond the happy path: dry runs change nothing, `-o
//! name`, partial `set image`, `set env`, and the errors kubectl's own validation prints (texts from
//! kubectl's `scale.go`, `set_image.go`, `rollout*.go`, `delete.go` and `cmdutil`).

use kubesim::cluster::ClusterConfig;
use kubesim::command::Output;
use kubesim::{Command, Sim, Time};

fn cluster() -> Sim {
    let mut sim = Sim::new(ClusterConfig::default(), 1);
    let out = sim.execute(&Command::Kubectl(
        "kubectl create deployment web --image=nginx:1.27 --replicas=2".into(),
    ));
    assert!(out.success(), "{}", out.text());
    sim.advance_to(Time(30_000));
    sim
}

fn run(sim: &mut Sim, line: &str) -> Output {
    kubesim::kubectl::run(sim, line)
}

/// (exit code, stdout, stderr)
fn result(sim: &mut Sim, line: &str) -> (i32, String, String) {
    let out = run(sim, line);
    (out.exit_code, out.stdout, out.stderr)
}

fn ok(text: &str) -> (i32, String, String) {
    (0, text.to_string(), String::new())
}

fn err(text: &str) -> (i32, String, String) {
    (1, String::new(), text.to_string())
}

fn image(sim: &Sim) -> String {
    let d = sim.store.deployments.values().next().expect("deployment");
    d.spec.template.spec.containers[0]
        .image
        .clone()
        .unwrap_or_default()
}

#[test]
fn dry_runs_print_a_note_and_change_nothing() {
    let mut sim = cluster();
    let before = sim.store.clone();
    let cases = [
        (
            "kubectl scale deployment web --replicas=5 --dry-run=client",
            "deployment.apps/web scaled (dry run)\n",
        ),
        (
            "kubectl scale deployment/web --replicas=5 --dry-run=server",
            "deployment.apps/web scaled (server dry run)\n",
        ),
        (
            "kubectl set image deployment/web nginx=nginx:1.28 --dry-run=client",
            "deployment.apps/web image updated (dry run)\n",
        ),
        (
            "kubectl set image deployment/web nginx=nginx:1.28 --dry-run=server",
            "deployment.apps/web image updated (server dry run)\n",
        ),
        (
            "kubectl delete deployment web --dry-run=server",
            "deployment.apps \"web\" deleted from default namespace (server dry run)\n",
        ),
        (
            "kubectl create deployment api --image=nginx --dry-run=server",
            "deployment.apps/api created (server dry run)\n",
        ),
    ];
    for (line, want) in cases {
        assert_eq!(result(&mut sim, line), ok(want), "{line}");
    }
    assert_eq!(sim.store, before, "a dry run leaves the cluster as it was");
    // A server dry run is checked by the server like the real request.
    assert_eq!(
        result(
            &mut sim,
            "kubectl create deployment web --image=nginx --dry-run=server"
        ),
        err("error: failed to create deployment: deployments.apps \"web\" already exists\n")
    );
    assert_eq!(
        result(
            &mut sim,
            "kubectl scale deployment web --replicas=5 --dry-run=maybe"
        ),
        err("error: Invalid dry-run value (maybe). Must be \"none\", \"server\", or \"client\".\n")
    );
    assert_eq!(sim.store, before);
}

#[test]
fn output_name_prints_only_the_object() {
    let mut sim = cluster();
    assert_eq!(
        result(
            &mut sim,
            "kubectl scale deployment web --replicas=3 -o name"
        ),
        ok("deployment.apps/web\n")
    );
    assert_eq!(
        result(
            &mut sim,
            "kubectl set image deployment/web nginx=nginx:1.28 -o name"
        ),
        ok("deployment.apps/web\n")
    );
    assert_eq!(image(&sim), "nginx:1.28");
}

#[test]
fn set_image_skips_what_is_already_set_and_sets_what_it_finds() {
    let mut sim = cluster();
    // The same image is an empty patch: nothing to print, nothing changes.
    let generation = |s: &Sim| {
        s.store
            .deployments
            .values()
            .next()
            .and_then(|d| d.metadata.generation)
    };
    let g = generation(&sim);
    assert_eq!(
        result(
            &mut sim,
            "kubectl set image deployment/web nginx=nginx:1.27"
        ),
        ok("")
    );
    assert_eq!(generation(&sim), g);
    // A missing container is reported after the containers that were found are updated.
    assert_eq!(
        result(
            &mut sim,
            "kubectl set image deployment/web nope=nginx:1.26 nginx=nginx:1.26"
        ),
        (
            1,
            "deployment.apps/web image updated\n".to_string(),
            "error: unable to find container named \"nope\"\n".to_string()
        )
    );
    assert_eq!(image(&sim), "nginx:1.26");
    assert_eq!(
        result(&mut sim, "kubectl set image deployment/web '*=nginx:1.25' nginx=nginx:1.27"),
        err("error: all containers are already specified by *, but saw more than one container_name=container_image pairs\n")
    );
    assert_eq!(image(&sim), "nginx:1.26");
}

#[test]
fn rollout_errors_read_as_kubectl_prints_them() {
    let mut sim = cluster();
    assert_eq!(
        result(&mut sim, "kubectl rollout foo deployment/web"),
        err("error: unknown command \"foo deployment/web\"\nSee 'kubectl rollout -h' for help and examples\n")
    );
    assert_eq!(
        result(
            &mut sim,
            "kubectl rollout history deployment/web --revision=-1"
        ),
        err("error: revision must be a positive integer: -1\n")
    );
    assert_eq!(
        result(
            &mut sim,
            "kubectl rollout status deployment/web --revision=-2"
        ),
        err("error: revision must be a positive integer: -2\n")
    );
    // Checked once, before the objects are looked up.
    assert_eq!(
        result(
            &mut sim,
            "kubectl rollout history deployment/nope --revision=-2"
        ),
        err("error: revision must be a positive integer: -2\n")
    );
    assert_eq!(
        result(&mut sim, "kubectl rollout history deployment/web --revision=abc"),
        err("error: invalid argument \"abc\" for \"--revision\" flag: strconv.ParseInt: parsing \"abc\": invalid syntax\nSee 'kubectl rollout history --help' for usage.\n")
    );
    assert_eq!(
        result(&mut sim, "kubectl rollout status deployment/web --timeout=abc"),
        err("error: invalid argument \"abc\" for \"--timeout\" flag: time: invalid duration \"abc\"\nSee 'kubectl rollout status --help' for usage.\n")
    );
    assert_eq!(
        result(&mut sim, "kubectl rollout undo deployment/web --to-revision=two"),
        err("error: invalid argument \"two\" for \"--to-revision\" flag: strconv.ParseInt: parsing \"two\": invalid syntax\nSee 'kubectl rollout undo --help' for usage.\n")
    );
    assert_eq!(
        result(&mut sim, "kubectl rollout pause deployment/web"),
        ok("deployment.apps/web paused\n")
    );
    assert_eq!(
        result(&mut sim, "kubectl rollout restart deployment/web"),
        err("error: deployments.apps \"web\" can't restart paused deployment (run rollout resume first)\n")
    );
}

#[test]
fn rollout_follows_kubectl_on_dry_runs_repeats_and_several_errors() {
    let mut sim = cluster();
    // rollout_undo.go visits every object and checkErr prints an aggregate of two errors
    // through MultipleErrors(""), without the "error: " prefix; one error keeps it.
    run(&mut sim, "kubectl create deployment api --image=nginx:1.27");
    assert_eq!(
        result(&mut sim, "kubectl rollout undo deployment"),
        err("no rollout history found for deployment \"api\"\nno rollout history found for deployment \"web\"\n")
    );
    assert_eq!(
        result(&mut sim, "kubectl rollout undo deployment/web"),
        err("error: no rollout history found for deployment \"web\"\n")
    );

    // history.go ViewHistory copies the ReplicaSet's change-cause into the template it prints.
    run(
        &mut sim,
        "kubectl annotate deployment web kubernetes.io/change-cause=to-1.28",
    );
    sim.execute(&Command::Kubectl(
        "kubectl set image deployment/web nginx=nginx:1.28".into(),
    ));
    sim.advance_to(Time(90_000));
    let shown = run(
        &mut sim,
        "kubectl rollout history deployment/web --revision=2",
    );
    assert!(
        shown
            .stdout
            .contains("  Annotations:\tkubernetes.io/change-cause: to-1.28\n"),
        "{}",
        shown.stdout
    );

    // rollback.go prints the template for a client dry run only; a server dry run patches
    // with dryRun and prints the usual line, changing nothing.
    let web_image = |sim: &mut Sim| {
        run(
            sim,
            "kubectl get deployment web -o jsonpath={.spec.template.spec.containers[0].image}",
        )
        .stdout
    };
    assert_eq!(web_image(&mut sim), "nginx:1.28");
    assert_eq!(
        result(
            &mut sim,
            "kubectl rollout undo deployment/web --dry-run=server"
        ),
        ok("deployment.apps/web rolled back (server dry run)\n")
    );
    assert_eq!(web_image(&mut sim), "nginx:1.28");
    let client = run(
        &mut sim,
        "kubectl rollout undo deployment/web --dry-run=client",
    );
    assert!(
        client
            .stdout
            .starts_with("deployment.apps/web Pod Template:\n")
            && client.stdout.ends_with("\n (dry run)\n"),
        "{}",
        client.stdout
    );

    // rollout_restart.go: the second stamp within one second is the same, so the patch is
    // empty and refused.
    assert_eq!(
        result(&mut sim, "kubectl rollout restart deployment/web"),
        ok("deployment.apps/web restarted\n")
    );
    sim.advance_to(Time(90_500));
    assert_eq!(
        result(&mut sim, "kubectl rollout restart deployment/web"),
        err("error: failed to create patch for web: if restart has already been triggered within the past second, please wait before attempting to trigger another\n")
    );
    sim.advance_to(Time(91_000));
    assert_eq!(
        result(&mut sim, "kubectl rollout restart deployment/web"),
        ok("deployment.apps/web restarted\n")
    );

    // A server dry run still meets the paused check.
    run(&mut sim, "kubectl rollout pause deployment/web");
    assert_eq!(
        result(&mut sim, "kubectl rollout undo deployment/web --dry-run=server"),
        err("error: you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again\n")
    );
}

#[test]
fn scaling_a_missing_object_is_not_found_and_the_others_still_scale() {
    let mut sim = cluster();
    assert_eq!(
        result(&mut sim, "kubectl scale deployment web nope --replicas=3"),
        (
            1,
            "deployment.apps/web scaled\n".to_string(),
            "Error from server (NotFound): deployments.apps \"nope\" not found\n".to_string()
        )
    );
}

#[test]
fn delete_ignore_not_found_is_silent_about_missing_objects() {
    let mut sim = cluster();
    assert_eq!(
        result(
            &mut sim,
            "kubectl delete deployment nope --ignore-not-found"
        ),
        ok("")
    );
    assert_eq!(
        result(
            &mut sim,
            "kubectl delete deployment nope web --ignore-not-found"
        ),
        ok("deployment.apps \"web\" deleted from default namespace\n")
    );
    assert!(sim.store.deployments.is_empty());
}

#[test]
fn delete_refuses_conflicting_flags_before_deleting_anything() {
    let mut sim = cluster();
    let before = sim.store.clone();
    // delete.go: `Complete` checks --now against --grace-period, `Validate` the output mode,
    // --all against a selector and --force against a positive grace period.
    for (line, error) in [
        (
            "kubectl delete pod -l app=web --now --grace-period=5",
            "error: --now and --grace-period cannot be specified together\n",
        ),
        (
            "kubectl delete pod -l app=web -o yaml",
            "error: unexpected -o output mode: yaml. We only support '-o name'\n",
        ),
        (
            "kubectl delete deployment --all -l app=web",
            "error: cannot set --all and --selector at the same time\n",
        ),
        (
            "kubectl delete pod -l app=web --force --grace-period=5",
            "error: --force and --grace-period greater than 0 cannot be specified together\n",
        ),
    ] {
        assert_eq!(result(&mut sim, line), err(error), "{line}");
    }
    assert_eq!(sim.store, before);
    // --force with --grace-period=0 is the immediate deletion kubectl warns about.
    let out = run(
        &mut sim,
        "kubectl delete pod -l app=web --force --grace-period=0",
    );
    assert!(
        out.stderr.starts_with("Warning: Immediate deletion"),
        "{}",
        out.stderr
    );
    assert!(out.stdout.contains("force deleted"), "{}", out.stdout);
}

#[test]
fn rollout_with_a_type_alone_acts_on_every_deployment_and_status_needs_exactly_one() {
    let mut sim = cluster();
    assert_eq!(
        result(&mut sim, "kubectl rollout pause deployment"),
        ok("deployment.apps/web paused\n")
    );
    assert_eq!(
        result(&mut sim, "kubectl rollout resume deployments"),
        ok("deployment.apps/web resumed\n")
    );
    let out = run(&mut sim, "kubectl rollout status deploy --watch=false");
    assert_eq!(out.exit_code, 0, "{}", out.text());
    let out = run(
        &mut sim,
        "kubectl create deployment api --image=nginx:1.27 --replicas=1",
    );
    assert!(out.success(), "{}", out.text());
    assert_eq!(
        result(&mut sim, "kubectl rollout pause deploy"),
        ok("deployment.apps/api paused\ndeployment.apps/web paused\n")
    );
    assert_eq!(
        result(&mut sim, "kubectl rollout status deployment"),
        err("error: rollout status is only supported on individual resources and resource collections - 2 resources were found\n")
    );
    assert_eq!(
        result(&mut sim, "kubectl rollout status web"),
        err("error: the server doesn't have a resource type \"web\"\n")
    );
    assert_eq!(
        result(&mut sim, "kubectl rollout resume deployment web nope"),
        (
            1,
            "deployment.apps/web resumed\n".to_string(),
            "Error from server (NotFound): deployments.apps \"nope\" not found\n".to_string()
        )
    );
}

#[test]
fn create_deployment_wraps_the_servers_refusal() {
    let mut sim = cluster();
    let rfc1123 = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
    assert_eq!(
        result(&mut sim, "kubectl create deployment Bad_Name --image=nginx"),
        err(&format!("error: failed to create deployment: Deployment.apps \"Bad_Name\" is invalid: metadata.name: Invalid value: \"Bad_Name\": {rfc1123}\n"))
    );
    // cobra's required-flag check runs before the command counts its arguments.
    for line in [
        "kubectl create deployment",
        "kubectl create deployment web2",
    ] {
        assert_eq!(
            result(&mut sim, line),
            err("error: required flag(s) \"image\" not set\n"),
            "{line}"
        );
    }
    assert_eq!(
        result(&mut sim, "kubectl create deployment --image=nginx"),
        err("error: exactly one NAME is required, got 0\nSee 'kubectl create deployment -h' for help and examples\n")
    );
}

#[test]
fn warnings_come_before_what_the_command_prints_and_errors_after() {
    let mut sim = cluster();
    let out = run(
        &mut sim,
        "kubectl set image deployment/web nope=nginx:1.28 nginx=nginx:1.28 --record",
    );
    assert_eq!(
        out.text(),
        "Flag --record has been deprecated, --record will be removed in the future\n\
         deployment.apps/web image updated\n\
         error: unable to find container named \"nope\"\n"
    );
    assert_eq!(
        kubesim::command::split_warnings("Warning: a\nWarning: b\nerror: c\nWarning: d\n"),
        ("Warning: a\nWarning: b\n", "error: c\nWarning: d\n")
    );
}

#[test]
fn rollout_on_a_missing_object_of_another_type_is_not_found_first() {
    let mut sim = cluster();
    assert_eq!(
        result(&mut sim, "kubectl rollout status pod/web"),
        err("Error from server (NotFound): pods \"web\" not found\n")
    );
    let pod = sim.store.pods.keys().next().expect("a pod").1.clone();
    assert_eq!(
        result(&mut sim, &format!("kubectl rollout status pod/{pod}")),
        err("error: no status viewer has been implemented for Pod\n")
    );
}

#[test]
fn applying_a_file_without_objects_is_an_error() {
    let mut sim = cluster();
    sim.files
        .insert("empty.yaml".into(), "# nothing yet\n".into());
    assert_eq!(
        result(&mut sim, "kubectl apply -f empty.yaml"),
        err("error: no objects passed to apply\n")
    );
}

#[test]
fn numbers_json_cannot_hold_are_refused_as_kubectl_refuses_them() {
    let mut sim = cluster();
    let manifest = |replicas: &str| {
        format!("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  replicas: {replicas}\n")
    };
    let before = sim.store.clone();
    // sigs.k8s.io/yaml: YAML becomes JSON, which has no NaN or infinity ...
    for (value, shown) in [(".nan", "NaN"), (".inf", "+Inf"), ("-.Inf", "-Inf")] {
        sim.files.insert("d.yaml".into(), manifest(value));
        assert_eq!(
            result(&mut sim, "kubectl apply -f d.yaml"),
            err(&format!("error: error parsing d.yaml: error converting YAML to JSON: json: unsupported value: {shown}\n"))
        );
    }
    // ... and go-yaml reads an integer past 64 bits as a float, which encoding/json writes
    // in full below 1e21 and in exponent form from there.
    for (value, shown) in [
        ("99999999999999999999", "100000000000000000000"),
        ("9999999999999999999999", "1e+22"),
    ] {
        sim.files.insert("d.yaml".into(), manifest(value));
        assert_eq!(
            result(&mut sim, "kubectl apply -f d.yaml"),
            err(&format!("Error from server (BadRequest): error when creating \"d.yaml\": Deployment in version \"v1\" cannot be handled as a Deployment: json: cannot unmarshal number {shown} into Go struct field DeploymentSpec.spec.replicas of type int32\n"))
        );
    }
    assert!(sim.store == before, "nothing changed");
}

#[test]
fn replica_counts_out_of_range_are_refused_as_pflag_and_the_simulator_refuse_them() {
    let mut sim = cluster();
    assert_eq!(
        result(&mut sim, "kubectl scale deployment web --replicas=99999999999999999999"),
        err("error: invalid argument \"99999999999999999999\" for \"--replicas\" flag: strconv.ParseInt: parsing \"99999999999999999999\": value out of range\nSee 'kubectl scale --help' for usage.\n")
    );
    assert_eq!(
        result(&mut sim, "kubectl create deployment api --image=nginx --replicas=3000000000"),
        err("error: invalid argument \"3000000000\" for \"--replicas\" flag: strconv.ParseInt: parsing \"3000000000\": value out of range\nSee 'kubectl create deployment --help' for usage.\n")
    );
    assert_eq!(
        result(&mut sim, "kubectl scale deployment web --replicas=5001"),
        err("error: --replicas=5001 is more than this simulator can run (5000 pods)\n")
    );
}

#[test]
fn scale_takes_all_objects_of_a_type_or_a_label_selector() {
    let mut sim = cluster();
    let out = run(
        &mut sim,
        "kubectl create deployment api --image=nginx:1.27 --replicas=1",
    );
    assert!(out.success(), "{}", out.text());
    assert_eq!(
        result(&mut sim, "kubectl scale deployment --all --replicas=4"),
        ok("deployment.apps/api scaled\ndeployment.apps/web scaled\n")
    );
    assert_eq!(
        result(&mut sim, "kubectl scale deployment -l app=api --replicas=2"),
        ok("deployment.apps/api scaled\n")
    );
    assert_eq!(
        result(&mut sim, "kubectl scale deployment --replicas=2"),
        err("error: resource(s) were provided, but no name was specified\n")
    );
    assert_eq!(
        result(
            &mut sim,
            "kubectl scale deployment -l app=nope --replicas=2"
        ),
        err("error: no objects passed to scale\n")
    );
    assert_eq!(
        result(
            &mut sim,
            "kubectl scale deployment web -l app=api --replicas=2"
        ),
        err("error: name cannot be provided when a selector is specified\n")
    );
    let replicas: Vec<i64> = sim
        .store
        .deployments
        .values()
        .map(|d| d.replicas())
        .collect();
    assert_eq!(replicas, [2, 4]);
}

#[test]
fn every_command_that_changes_objects_leaves_them_alone_in_a_dry_run() {
    let mut sim = cluster();
    let before = sim.store.clone();
    for (line, want) in [
        (
            "kubectl label deployment web tier=front --dry-run=client",
            "deployment.apps/web labeled (dry run)\n",
        ),
        (
            "kubectl annotate deployment web note=x --dry-run=server",
            "deployment.apps/web annotated (server dry run)\n",
        ),
        (
            "kubectl cordon node-1 --dry-run=client",
            "node/node-1 cordoned (dry run)\n",
        ),
    ] {
        assert_eq!(result(&mut sim, line), ok(want), "{line}");
    }
    let out = run(
        &mut sim,
        "kubectl drain node-1 --ignore-daemonsets --dry-run=server",
    );
    assert!(out.success(), "{}", out.text());
    assert!(
        out.stdout.lines().all(|l| l.ends_with(" (server dry run)")),
        "{}",
        out.stdout
    );
    assert_eq!(sim.store, before, "nothing changed");
    // Only `rollout undo` has the flag among the rollout subcommands.
    assert_eq!(
        result(
            &mut sim,
            "kubectl rollout restart deployment/web --dry-run=client"
        ),
        err("error: unknown flag: --dry-run\nSee 'kubectl rollout restart --help' for usage.\n")
    );
    assert_eq!(sim.store, before);
}

#[test]
fn rollout_takes_objects_of_several_types_and_refuses_the_ones_it_cannot_handle() {
    let mut sim = cluster();
    let pod = sim.store.pods.keys().next().expect("a pod").1.clone();
    assert_eq!(
        result(
            &mut sim,
            &format!("kubectl rollout pause deploy/web pod/{pod}")
        ),
        (
            1,
            "deployment.apps/web paused\n".to_string(),
            format!("error: pods {pod:?} pausing is not supported\n")
        )
    );
    assert_eq!(
        result(&mut sim, &format!("kubectl rollout status deploy/web pod/{pod}")),
        err("error: rollout status is only supported on individual resources and resource collections - 2 resources were found\n")
    );
}

#[test]
fn create_deployment_in_a_client_dry_run_prints_the_object_it_would_send() {
    let mut sim = Sim::new(ClusterConfig::default(), 1);
    // kubectl v1.35 (no `creationTimestamp: null` since v1.33).
    let yaml = "\
apiVersion: apps/v1
kind: Deployment
metadata:
  labels:
    app: web
  name: web
spec:
  replicas: 1
  selector:
    matchLabels:
      app: web
  strategy: {}
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - image: nginx:1.27
        name: nginx
        resources: {}
status: {}
";
    assert_eq!(
        result(
            &mut sim,
            "kubectl create deployment web --image=nginx:1.27 --dry-run=client -o yaml"
        ),
        ok(yaml)
    );
    let json = r#"{
    "kind": "Deployment",
    "apiVersion": "apps/v1",
    "metadata": {
        "name": "web",
        "namespace": "default",
        "labels": {
            "app": "web"
        }
    },
    "spec": {
        "replicas": 2,
        "selector": {
            "matchLabels": {
                "app": "web"
            }
        },
        "template": {
            "metadata": {
                "labels": {
                    "app": "web"
                }
            },
            "spec": {
                "containers": [
                    {
                        "name": "nginx",
                        "image": "nginx:1.27",
                        "ports": [
                            {
                                "containerPort": 80
                            }
                        ],
                        "resources": {}
                    }
                ]
            }
        },
        "strategy": {}
    },
    "status": {}
}
"#;
    assert_eq!(
        result(
            &mut sim,
            "kubectl create deployment web --image=nginx:1.27 --replicas=2 --port=80 -n default --dry-run=client -o json"
        ),
        ok(json)
    );
    assert_eq!(
        result(
            &mut sim,
            "kubectl create deployment web --image=nginx --dry-run=client -o name"
        ),
        ok("deployment.apps/web\n")
    );
    assert!(sim.store.deployments.is_empty());
    assert_eq!(
        result(&mut sim, "kubectl create deployment web --image=nginx -o wide"),
        err("error: unable to match a printer suitable for the output format \"wide\", allowed formats are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,kyaml,name,template,templatefile,yaml\n")
    );
    assert_eq!(
        result(
            &mut sim,
            "kubectl create deployment web --image=nginx -o name"
        ),
        ok("deployment.apps/web\n")
    );
    let out = run(
        &mut sim,
        "kubectl create deployment api --image=nginx -o yaml",
    );
    assert!(
        out.stdout.contains("\n  uid: ") && out.stdout.contains("progressDeadlineSeconds: 600"),
        "the stored object: {}",
        out.stdout
    );
}

#[test]
fn the_deprecated_forms_of_dry_run_still_work_with_kubectls_warning() {
    let mut sim = cluster();
    let before = sim.store.clone();
    let out = run(
        &mut sim,
        "kubectl create deployment api --image=nginx:1.27 --dry-run -o name",
    );
    assert_eq!(
        (out.stdout.as_str(), out.stderr.as_str()),
        (
            "deployment.apps/api\n",
            // klog's header: Lmmdd hh:mm:ss.uuuuuu, the process id in seven columns, file:line.
            "W0105 09:00:30.000000       1 helpers.go:719] --dry-run is deprecated and can be replaced with --dry-run=client.\n"
        )
    );
    let out = run(
        &mut sim,
        "kubectl scale deployment web --replicas=5 --dry-run=true",
    );
    assert_eq!(
        (out.stdout.as_str(), out.stderr.as_str()),
        (
            "deployment.apps/web scaled (dry run)\n",
            "W0105 09:00:30.000000       1 helpers.go:733] --dry-run=true is deprecated (boolean value) and can be replaced with --dry-run=client.\n"
        )
    );
    assert_eq!(sim.store, before);
    let out = run(
        &mut sim,
        "kubectl scale deployment web --replicas=5 --dry-run=false",
    );
    assert_eq!(out.stdout, "deployment.apps/web scaled\n");
    assert_eq!(out.stderr, "W0105 09:00:30.000000       1 helpers.go:736] --dry-run=false is deprecated (boolean value) and can be replaced with --dry-run=none.\n");
    assert_eq!(
        sim.store.deployments.values().next().map(|d| d.replicas()),
        Some(5)
    );
    // The stamp is the simulated clock's, to the microsecond.
    sim.advance_to(Time(61_250));
    let out = run(&mut sim, "kubectl rollout undo deployment/web --dry-run");
    assert!(
        out.stderr
            .starts_with("W0105 09:01:01.250000       1 helpers.go:719] --dry-run is deprecated"),
        "{}",
        out.stderr
    );
    // A terminal shows the warning before what the command prints.
    assert!(out.text().starts_with("W0105 "), "{}", out.text());
}

#[test]
fn scale_and_set_image_print_the_object_with_output_yaml_or_json() {
    use kubesim::api::apps::Deployment;
    use kubesim::api::yaml::{from_str, split_documents};
    fn printed(out: &Output) -> Deployment {
        assert_eq!((out.exit_code, out.stderr.as_str()), (0, ""));
        from_str(&out.stdout).expect("one Deployment")
    }
    let generation = |sim: &Sim| {
        sim.store
            .deployments
            .values()
            .next()
            .unwrap()
            .metadata
            .generation
    };
    let mut sim = cluster();
    let g = generation(&sim).expect("generation");

    // scale.go prints the object it read, the new count written into it (updateReplicas):
    // the server's new generation is not in it.
    let d = printed(&run(
        &mut sim,
        "kubectl scale deployment web --replicas=4 -o yaml",
    ));
    assert_eq!((d.spec.replicas, d.metadata.generation), (Some(4), Some(g)));
    assert_eq!(generation(&sim), Some(g + 1));

    // set_image.go prints what the server returned from the patch.
    let d = printed(&run(
        &mut sim,
        "kubectl set image deployment/web nginx=nginx:1.28 -o json",
    ));
    let image = |d: &Deployment| d.spec.template.spec.containers[0].image.clone();
    assert_eq!(
        (image(&d), d.metadata.generation),
        (Some("nginx:1.28".into()), Some(g + 2))
    );

    // A client dry run prints the object as changed locally and sends nothing.
    let before = sim.store.clone();
    let d = printed(&run(
        &mut sim,
        "kubectl set image deployment/web nginx=nginx:1.29 --dry-run=client -o yaml",
    ));
    assert_eq!(
        (image(&d), d.metadata.generation),
        (Some("nginx:1.29".into()), Some(g + 2))
    );
    assert_eq!(sim.store, before);

    // Several objects print as several YAML documents.
    run(&mut sim, "kubectl create deployment api --image=nginx:1.27");
    let out = run(
        &mut sim,
        "kubectl scale deployment web api --replicas=1 -o yaml",
    );
    let names: Vec<String> = split_documents(&out.stdout)
        .expect("documents")
        .iter()
        .map(|doc| {
            from_str::<Deployment>(&doc.text)
                .expect("Deployment")
                .metadata
                .name
        })
        .collect();
    assert_eq!(names, ["web", "api"]);
    assert_eq!(out.stdout.matches("\n---\n").count(), 1);

    // Other formats are refused before anything changes.
    let before = sim.store.clone();
    for line in [
        "kubectl scale deployment web --replicas=9 -o wide",
        "kubectl set image deployment/web nginx=nginx:1.30 -o wide",
    ] {
        assert_eq!(
            result(&mut sim, line),
            err("error: unable to match a printer suitable for the output format \"wide\", allowed formats are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,kyaml,name,template,templatefile,yaml\n")
        );
    }
    assert_eq!(sim.store, before);
}

#[test]
fn more_replicas_than_the_simulator_runs_are_refused_on_every_path() {
    let mut sim = cluster();
    let before = sim.store.clone();
    let cause =
        "spec.replicas: Invalid value: 6000: must be no more than 5000 in kubesim, the most pods it simulates";
    let out = run(
        &mut sim,
        "kubectl create deployment big --image=nginx:1.27 --replicas=6000",
    );
    assert_eq!(
        out.stderr,
        format!(
            "error: failed to create deployment: Deployment.apps \"big\" is invalid: {cause}\n"
        )
    );
    let manifest = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 6000\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: nginx\n        image: nginx:1.27\n";
    let out = sim.execute(&Command::Apply {
        file: "web.yaml".into(),
        yaml: manifest.into(),
    });
    assert!(out.stderr.contains(cause), "{}", out.text());
    assert_eq!(sim.store, before);
}

#[test]
fn pods_with_more_than_one_container_are_refused_at_admission() {
    let mut sim = cluster();
    // A Deployment whose template has two containers could never make a pod: it is refused
    // when written, so no pod can show Ready with a container that never ran.
    let before = sim.store.clone();
    assert_eq!(
        result(&mut sim, "kubectl create deployment multi --image=nginx:1.27 --image=redis:7"),
        err("Error from server (Forbidden): deployments.apps \"multi\" is forbidden: kubesim simulates one container per pod, and this pod template has 2\n")
    );
    assert!(sim.store == before);

    let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: two\nspec:\n  containers:\n  - {name: web, image: nginx:1.27}\n  - {name: log, image: busybox:1.36}\n";
    let before = sim.store.clone();
    let out = sim.execute(&Command::Apply {
        file: "two.yaml".into(),
        yaml: pod.into(),
    });
    assert_eq!(
        out.stderr,
        "Error from server (Forbidden): error when creating \"two.yaml\": pods \"two\" is forbidden: kubesim simulates one container per pod, and this pod has 2\n"
    );
    assert_eq!(sim.store, before);
}

#[test]
fn a_refused_pod_creation_keeps_replica_failure_until_it_succeeds() {
    let mut sim = cluster();
    let quota = "apiVersion: v1\nkind: ResourceQuota\nmetadata:\n  name: pods\nspec:\n  hard:\n    pods: \"3\"\n";
    let out = sim.execute(&Command::Apply {
        file: "quota.yaml".into(),
        yaml: quota.into(),
    });
    assert!(out.success(), "{}", out.text());
    let scale = |sim: &mut Sim, n: u32| {
        let out = sim.execute(&Command::Kubectl(format!(
            "kubectl scale deployment web --replicas={n}"
        )));
        assert!(out.success(), "{}", out.text());
    };
    scale(&mut sim, 5);
    let failure = |sim: &Sim| {
        let d = sim.store.deployments.values().next().unwrap();
        d.status
            .conditions
            .iter()
            .find(|c| c.type_ == "ReplicaFailure")
            .map(|c| (c.status.clone(), c.reason.clone()))
    };
    // calculateStatus keeps ReplicaFailure while manageReplicas keeps failing; the
    // Deployment copies it (getReplicaFailures).
    for s in (32..=120).step_by(2) {
        sim.advance_to(Time(s * 1000));
        assert_eq!(
            failure(&sim),
            Some(("True".into(), "FailedCreate".into())),
            "at {s}s"
        );
    }
    // The rollout panel says why pods are missing.
    let insight = kubesim::view::rollout_insight(&sim, "default", "web").unwrap();
    assert!(
        insight
            .waiting_for
            .iter()
            .any(|w| w.starts_with("Pods cannot be created: pods \"web-")
                && w.contains("is forbidden: exceeded quota: pods")),
        "{:?}",
        insight.waiting_for
    );
    scale(&mut sim, 3);
    sim.advance_to(Time(150_000));
    assert_eq!(failure(&sim), None);
}

#[test]
fn re_applying_a_pod_changes_its_labels_and_image_and_refuses_other_changes() {
    let mut sim = cluster();
    let pod = |labels: &str, image: &str, extra: &str| {
        format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: lone\n  labels:\n    {labels}\nspec:\n  containers:\n  - name: web\n    image: {image}\n{extra}")
    };
    let apply = |sim: &mut Sim, yaml: String| {
        sim.execute(&Command::Apply {
            file: "lone.yaml".into(),
            yaml,
        })
    };
    let out = apply(&mut sim, pod("app: lone", "nginx:1.27", ""));
    assert_eq!(out.stdout, "pod/lone created\n");
    sim.advance_to(Time(60_000));
    let out = apply(&mut sim, pod("app: lone", "nginx:1.27", ""));
    assert_eq!(out.stdout, "pod/lone unchanged\n");
    // Labels are metadata, and ValidatePodUpdate lets the image change.
    let out = apply(&mut sim, pod("app: solo", "nginx:1.27", ""));
    assert_eq!(out.stdout, "pod/lone configured\n");
    let out = apply(&mut sim, pod("app: solo", "nginx:1.28", ""));
    assert_eq!(out.stdout, "pod/lone configured\n");
    // The kubelet restarts the container with the new image.
    sim.advance_to(Time(90_000));
    let p = sim
        .store
        .pods
        .values()
        .find(|p| p.metadata.name == "lone")
        .unwrap()
        .clone();
    let cs = &p.status.container_statuses[0];
    assert_eq!(
        p.metadata.labels.get("app").map(String::as_str),
        Some("solo")
    );
    assert_eq!(p.spec.containers[0].image.as_deref(), Some("nginx:1.28"));
    assert_eq!(cs.restart_count, 1);
    assert!(
        cs.state.running.is_some() && cs.last_state.terminated.is_some(),
        "{cs:?}"
    );
    let events = run(&mut sim, "kubectl describe pod lone").stdout;
    assert!(
        events
            .contains("spec.containers{web}: Container web definition changed, will be restarted"),
        "{events}"
    );
    assert_eq!(cs.image, "nginx:1.28");
    // A broken image makes it unready at once; fixing the image does not wait out the
    // pull back-off (a changed spec hash has none).
    let status = |sim: &mut Sim| {
        let out = run(sim, "kubectl get pod lone --no-headers").stdout;
        let cells: Vec<String> = out.split_whitespace().map(String::from).collect();
        (cells[1].clone(), cells[2].clone())
    };
    let out = apply(&mut sim, pod("app: solo", "nginx:nope", ""));
    assert_eq!(out.stdout, "pod/lone configured\n");
    sim.advance_to(Time(150_000));
    assert_eq!(status(&mut sim), ("0/1".into(), "ImagePullBackOff".into()));
    let out = apply(&mut sim, pod("app: solo", "nginx:1.27", ""));
    assert_eq!(out.stdout, "pod/lone configured\n");
    sim.advance_to(Time(155_000));
    assert_eq!(status(&mut sim), ("1/1".into(), "Running".into()));
    // Any other change to a container is forbidden, and nothing changes.
    let before = sim.store.clone();
    let out = apply(
        &mut sim,
        pod(
            "app: solo",
            "nginx:1.28",
            "    ports:\n    - containerPort: 80\n",
        ),
    );
    assert!(
        out.stderr.contains("The Pod \"lone\" is invalid: spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`"),
        "{}",
        out.text()
    );
    assert_eq!(sim.store.pods, before.pods);
}

#[test]
fn a_document_without_kind_stops_the_apply_where_it_stands() {
    let mut sim = cluster();
    let text = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: dev\n---\napiVersion: v1\nmetadata:\n  name: nokind\n---\napiVersion: v1\nkind: ResourceQuota\nmetadata:\n  name: pods\n  namespace: dev\nspec:\n  hard:\n    pods: \"3\"\n";
    let out = sim.execute(&Command::Apply {
        file: "mixed.yaml".into(),
        yaml: text.into(),
    });
    // cli-runtime's StreamVisitor returns at the first document that fails validation: the
    // namespace before it is applied, the quota after it is not. One error, no brackets.
    assert_eq!(out.stdout, "namespace/dev created\n");
    assert_eq!(
        out.stderr,
        "error: error validating \"mixed.yaml\": error validating data: kind not set; if you choose to ignore these errors, turn validation off with --validate=false\n"
    );
    assert!(sim.store.quotas.is_empty());
}

#[test]
fn label_and_annotate_check_their_arguments_and_say_what_changed() {
    let mut sim = cluster();
    // label.go parseLabels and annotate.go parseAnnotations refuse before fetching anything.
    let cases = [
        (
            "kubectl label deploy web tier=a tier-",
            "error: can not both modify and remove a label in the same command\n",
        ),
        (
            "kubectl annotate deploy web x=1 x-",
            "error: can not both modify and remove the following annotation(s) in the same command: x\n",
        ),
        ("kubectl label deploy web a=b=c", "error: invalid label spec: a=b=c\n"),
        // GetResourcesAndPairs: a word starting with `=` is not a change but a resource.
        (
            "kubectl annotate deploy web =v",
            "error: at least one annotation update is required\n",
        ),
        (
            "kubectl annotate deploy web x=1 =v",
            "error: all resources must be specified before annotation changes: =v\n",
        ),
        (
            "kubectl label deploy --all -l app=web z=1",
            "error: cannot set --all and --selector at the same time\n",
        ),
    ];
    for (line, stderr) in cases {
        assert_eq!(result(&mut sim, line), err(stderr), "{line}");
    }
    let bad = run(&mut sim, "kubectl label deploy web k=Bad_Value_");
    assert!(
        bad.stderr
            .starts_with("error: invalid label value: \"k=Bad_Value_\": a valid label must be"),
        "{}",
        bad.stderr
    );
    // updateDataChangeMsg: labeled, label(s) changed, unlabeled, not labeled.
    let steps = [
        (
            "kubectl label deploy web tier=a",
            "deployment.apps/web labeled\n",
        ),
        (
            "kubectl label deploy web stage=b tier-",
            "deployment.apps/web label(s) changed\n",
        ),
        (
            "kubectl label deploy web stage-",
            "deployment.apps/web unlabeled\n",
        ),
        (
            "kubectl label deploy web nothere-",
            "label \"nothere\" not found.\ndeployment.apps/web not labeled\n",
        ),
        // annotate's printer always says annotated.
        (
            "kubectl annotate deploy web note=x",
            "deployment.apps/web annotated\n",
        ),
        (
            "kubectl annotate deploy web note=x",
            "deployment.apps/web annotated\n",
        ),
    ];
    for (line, stdout) in steps {
        assert_eq!(result(&mut sim, line), ok(stdout), "{line}");
    }
}

#[test]
fn apply_warns_about_a_missing_last_applied_configuration_and_names_the_file_of_a_refused_create() {
    let mut sim = cluster();
    let manifest = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 3\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: nginx\n        image: nginx:1.27\n";
    let apply = |sim: &mut Sim, file: &str, yaml: &str| {
        sim.execute(&Command::Apply {
            file: file.into(),
            yaml: yaml.into(),
        })
    };
    // `web` came from `kubectl create deployment` (apply.go's
    // warningNoLastAppliedConfigAnnotation); the second apply finds the annotation.
    let out = apply(&mut sim, "web.yaml", manifest);
    assert_eq!(
        (out.stdout.as_str(), out.stderr.as_str()),
        (
            "deployment.apps/web configured\n",
            "Warning: resource deployments/web is missing the kubectl.kubernetes.io/last-applied-configuration annotation which is required by kubectl apply. kubectl apply should only be used on resources created declaratively by either kubectl create --save-config or kubectl apply. The missing annotation will be patched automatically.\n"
        )
    );
    let out = apply(&mut sim, "web.yaml", manifest);
    assert_eq!(
        (out.stdout.as_str(), out.stderr.as_str()),
        ("deployment.apps/web unchanged\n", "")
    );
    // cmdutil.AddSourceToErr puts the file in a refused create's message.
    let in_dev = manifest.replace("  name: web\n", "  name: web\n  namespace: dev\n");
    let out = apply(&mut sim, "web.yaml", &in_dev);
    assert_eq!(
        out.stderr,
        "Error from server (NotFound): error when creating \"web.yaml\": namespaces \"dev\" not found\n"
    );
}

#[test]
fn a_client_dry_run_drain_names_the_pods_it_would_evict_and_evicts_none() {
    let mut sim = cluster();
    let pod = sim.store.pods.values().next().unwrap().clone();
    let node = pod.spec.node_name.clone().unwrap();
    let before = sim.store.clone();
    let on_node: Vec<String> = sim
        .store
        .pods
        .values()
        .filter(|p| p.spec.node_name.as_deref() == Some(node.as_str()))
        .map(|p| format!("evicting pod default/{} (dry run)\n", p.metadata.name))
        .collect();
    // The server dry run stops before waiting for the evictions: the same lines.
    let server = run(&mut sim, &format!("kubectl drain {node} --dry-run=server")).stdout;
    assert_eq!(server.matches("evicting pod").count(), on_node.len());
    assert!(!server.contains("evicted"), "{server}");
    let out = run(&mut sim, &format!("kubectl drain {node} --dry-run=client"));
    // drain.go's deleteOrEvictPodsSimple returns before evicting in a client dry run.
    assert_eq!(
        out.stdout,
        format!(
            "node/{node} cordoned (dry run)\n{}node/{node} drained (dry run)\n",
            on_node.concat()
        )
    );
    assert_eq!(sim.store, before);
}

#[test]
fn drain_warns_about_bare_pods_after_the_node_is_cordoned() {
    let mut sim = cluster();
    let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: bare\nspec:\n  containers:\n  - {name: web, image: nginx:1.27}\n";
    let out = sim.execute(&Command::Apply {
        file: "bare.yaml".into(),
        yaml: pod.into(),
    });
    assert!(out.success(), "{}", out.text());
    sim.advance_to(Time(60_000));
    let node = sim
        .store
        .pods
        .values()
        .find(|p| p.metadata.name == "bare")
        .unwrap()
        .spec
        .node_name
        .clone()
        .unwrap();
    let warning = "Warning: deleting Pods that declare no controller: default/bare\n";
    // drain.go cordons first, then warns, then evicts: a terminal shows them in that order.
    for (flags, note) in [("--force --dry-run=client", " (dry run)"), ("--force", "")] {
        let out = run(&mut sim, &format!("kubectl drain {node} {flags}"));
        let text = out.text();
        let expected_start = format!("node/{node} cordoned{note}\n{warning}evicting pod ");
        assert!(text.starts_with(&expected_start), "{flags}:\n{text}");
        assert_eq!(out.stderr, warning);
        run(&mut sim, &format!("kubectl uncordon {node}"));
    }
}

#[test]
fn output_name_and_yaml_on_apply_label_annotate_and_delete() {
    use kubesim::api::yaml::{from_str, split_documents};
    let mut sim = cluster();
    let svc = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n  ports:\n  - port: 80\n";
    sim.files.insert("svc.yaml".into(), svc.into());
    // NamePrintFlags print resource/name only, whatever the operation.
    for (line, stdout) in [
        ("kubectl apply -f svc.yaml -o name", "service/web\n"),
        (
            "kubectl label deploy web tier=a -o name",
            "deployment.apps/web\n",
        ),
        (
            "kubectl annotate deploy web note=x -o name",
            "deployment.apps/web\n",
        ),
        ("kubectl delete svc web -o name", "service/web\n"),
    ] {
        assert_eq!(result(&mut sim, line), ok(stdout), "{line}");
    }
    // apply -o yaml prints what the server returned; several objects come as a List.
    let out = run(&mut sim, "kubectl apply -f svc.yaml -o yaml");
    let printed: kubesim::api::service::Service = from_str(&out.stdout).expect("a Service");
    assert!(printed.spec.cluster_ip.is_some(), "{}", out.stdout);
    let both = format!("{svc}---\n{}", svc.replace("name: web", "name: api"));
    sim.files.insert("both.yaml".into(), both);
    let out = run(&mut sim, "kubectl apply -f both.yaml -o yaml");
    assert_eq!(split_documents(&out.stdout).map(|d| d.len()), Ok(1));
    assert!(
        out.stdout
            .starts_with("apiVersion: v1\nitems:\n- apiVersion: v1\n"),
        "{}",
        out.stdout
    );
    assert_eq!(
        out.stdout.matches("\n  kind: Service\n").count(),
        2,
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .ends_with("kind: List\nmetadata:\n  resourceVersion: \"\"\n"),
        "{}",
        out.stdout
    );
}

#[test]
fn a_foreground_delete_keeps_the_deployment_and_its_replicaset_until_the_pods_are_gone() {
    let mut sim = cluster();
    let out = sim.execute(&Command::Kubectl(
        "kubectl delete deployment web --cascade=foreground".into(),
    ));
    assert_eq!(
        out.stdout,
        "deployment.apps \"web\" deleted from default namespace\n"
    );
    sim.advance_to(Time(30_100));
    // The owner and its ReplicaSet stay, marked deleted and held by the finalizer, while the
    // garbage collector deletes the pods (blockOwnerDeletion).
    let d = sim.store.deployments.values().next().expect("still there");
    assert!(d.metadata.is_terminating());
    assert_eq!(d.metadata.finalizers, ["foregroundDeletion"]);
    let rs = sim.store.replicasets.values().next().expect("still there");
    assert_eq!(rs.metadata.finalizers, ["foregroundDeletion"]);
    assert!(sim.store.pods.values().all(|p| p.metadata.is_terminating()));
    assert!(run(&mut sim, "kubectl get deploy")
        .stdout
        .contains("\nweb "));
    // No new pods are created for the ReplicaSet being deleted.
    assert_eq!(sim.store.pods.len(), 2);
    sim.advance_to(Time(120_000));
    assert!(sim.store.pods.is_empty());
    assert!(sim.store.replicasets.is_empty());
    assert!(sim.store.deployments.is_empty());
}

#[test]
fn a_type_error_is_marked_at_its_own_line() {
    let mut sim = cluster();
    let text = |replicas: &str, image: &str| {
        format!("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  replicas: {replicas}\n  selector:\n    matchLabels:\n      app: api\n  template:\n    metadata:\n      labels:\n        app: api\n    spec:\n      containers:\n      - name: api\n        image: {image}\n")
    };
    let line_of = |sim: &mut Sim, yaml: String| {
        let report = kubesim::kubectl::apply::apply_text(sim, "api.yaml", &yaml, None);
        let errors = report.errors();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].0.contains("cannot unmarshal"), "{}", errors[0].0);
        errors[0].1.map(|(line, _)| line)
    };
    // The decoder's error names the field; the marker goes to the line that holds it.
    assert_eq!(line_of(&mut sim, text("three", "nginx:1.27")), Some(6));
    assert_eq!(line_of(&mut sim, text("3", "[a, b]")), Some(17));
}

#[test]
fn label_takes_all_objects_of_a_type_or_a_selector_and_lists_labels() {
    let mut sim = cluster();
    let pods: Vec<String> = sim
        .store
        .pods
        .values()
        .map(|p| p.metadata.name.clone())
        .collect();
    // label.go's builder takes --all and -l with a type alone, as its own examples show.
    let out = run(&mut sim, "kubectl label pods --all status=checked");
    let expected: String = pods.iter().map(|p| format!("pod/{p} labeled\n")).collect();
    assert_eq!((out.exit_code, out.stdout), (0, expected));
    let out = run(
        &mut sim,
        "kubectl annotate pods -l status=checked by=teacher",
    );
    let expected: String = pods
        .iter()
        .map(|p| format!("pod/{p} annotated\n"))
        .collect();
    assert_eq!((out.exit_code, out.stdout), (0, expected));
    // --list prints key=value lines, one object's without a heading.
    let out = run(&mut sim, "kubectl label deployment web --list");
    assert_eq!(out.stdout, "app=web\n");
    let out = run(
        &mut sim,
        &format!("kubectl annotate pod {} --list", pods[0]),
    );
    assert_eq!(out.stdout, "by=teacher\n");
}

#[test]
fn apply_refuses_objects_without_a_name_as_kubectl_does() {
    let mut sim = cluster();
    let apply = |sim: &mut Sim, yaml: &str| {
        sim.execute(&Command::Apply {
            file: "p.yaml".into(),
            yaml: yaml.into(),
        })
        .stderr
    };
    let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  generateName: gen-\nspec:\n  containers:\n  - name: a\n    image: nginx:1.27\n";
    assert_eq!(
        apply(&mut sim, pod),
        "error: from gen-: cannot use generate name with apply\n"
    );
    // The core group's GroupVersion prints as `/v1`; the namespace is the default one.
    let unnamed = pod.replace("  generateName: gen-\n", "  labels:\n    a: b\n");
    assert_eq!(
        apply(&mut sim, &unnamed),
        "error: error when retrieving current configuration of:\nResource: \"/v1, Resource=pods\", GroupVersionKind: \"/v1, Kind=Pod\"\nName: \"\", Namespace: \"default\"\nfrom server for: \"p.yaml\": resource name may not be empty\n"
    );
}

#[test]
fn apply_prune_deletes_applied_deployments_missing_from_the_file() {
    let mut sim = Sim::new(ClusterConfig::default(), 1);
    let deployment = |name: &str| {
        format!("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {name}\n  labels:\n    app: shop\nspec:\n  replicas: 1\n  selector:\n    matchLabels:\n      app: {name}\n  template:\n    metadata:\n      labels:\n        app: {name}\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.27\n")
    };
    sim.files.insert(
        "both.yaml".into(),
        format!("{}---\n{}", deployment("api"), deployment("web")),
    );
    sim.files.insert("web.yaml".into(), deployment("web"));
    assert!(run(&mut sim, "kubectl apply -f both.yaml").success());
    // A Deployment made by `create` has no last-applied configuration: prune leaves it.
    assert!(run(
        &mut sim,
        "kubectl create deployment tool --image=busybox:1.36"
    )
    .success());
    // validatePruneAll.
    assert_eq!(
        result(&mut sim, "kubectl apply -f web.yaml --prune"),
        err("error: all resources selected for prune without explicitly passing --all. To prune all resources, pass the --all flag. If you did not mean to prune all resources, specify a label selector\n")
    );
    let before = sim.store.clone();
    assert_eq!(
        result(
            &mut sim,
            "kubectl apply -f web.yaml --prune -l app=shop --dry-run=client"
        ),
        ok("deployment.apps/web unchanged (dry run)\ndeployment.apps/api pruned (dry run)\n")
    );
    assert_eq!(sim.store, before);
    assert_eq!(
        result(&mut sim, "kubectl apply -f web.yaml --prune --all"),
        ok("deployment.apps/web unchanged\ndeployment.apps/api pruned\n")
    );
    let names: Vec<&str> = sim
        .store
        .deployments
        .values()
        .map(|d| d.metadata.name.as_str())
        .collect();
    assert_eq!(names, ["tool", "web"]);

    // apply.go's Run returns at an error before pruning: an object the stream never reached
    // is not pruned.
    assert!(run(&mut sim, "kubectl apply -f both.yaml").success());
    let broken = format!(
        "{}---\napiVersion: v1\nmetadata:\n  name: x\n---\n{}",
        deployment("api"),
        deployment("web")
    );
    sim.files.insert("broken.yaml".into(), broken);
    let out = run(&mut sim, "kubectl apply -f broken.yaml --prune --all");
    assert_eq!(out.stdout, "deployment.apps/api unchanged\n");
    assert_eq!(sim.store.deployments.len(), 3);
    // -l applies only the file's objects it selects; none selected is an error.
    assert_eq!(
        result(&mut sim, "kubectl apply -f both.yaml -l app=nothing"),
        err("error: no objects passed to apply\n")
    );
}

#[test]
fn run_creates_a_bare_pod_as_kubectl_run_builds_it() {
    let mut sim = cluster();
    // run.go: --image is a required flag (cobra checks it first), then NAME.
    assert_eq!(
        result(&mut sim, "kubectl run nginx"),
        err("error: required flag(s) \"image\" not set\n")
    );
    assert_eq!(
        result(&mut sim, "kubectl run --image=nginx:1.27"),
        err("error: NAME is required for run\n")
    );
    // A client dry run prints the BasicPod generator's object; the YAML printer sorts keys.
    assert_eq!(
        result(
            &mut sim,
            "kubectl run nginx --image=nginx:1.27 --dry-run=client -o yaml"
        ),
        ok("apiVersion: v1\nkind: Pod\nmetadata:\n  labels:\n    run: nginx\n  name: nginx\nspec:\n  containers:\n  - image: nginx:1.27\n    name: nginx\n    resources: {}\n  dnsPolicy: ClusterFirst\n  restartPolicy: Always\nstatus: {}\n")
    );
    assert!(!sim.store.pods.values().any(|p| p.metadata.name == "nginx"));
    assert_eq!(
        result(&mut sim, "kubectl run nginx --image=nginx:1.27 --port=80"),
        ok("pod/nginx created\n")
    );
    assert_eq!(
        result(&mut sim, "kubectl run nginx --image=nginx:1.27"),
        err("Error from server (AlreadyExists): pods \"nginx\" already exists\n")
    );
    let pod = sim
        .store
        .pods
        .values()
        .find(|p| p.metadata.name == "nginx")
        .unwrap()
        .clone();
    assert_eq!(
        pod.metadata.labels.get("run").map(String::as_str),
        Some("nginx")
    );
    assert!(pod.metadata.controller_ref().is_none(), "a bare pod");
    assert_eq!(pod.spec.containers[0].name, "nginx");
    assert_eq!(pod.spec.containers[0].ports[0].container_port, 80);
    // Words after `--` are the container's args.
    let out = run(
        &mut sim,
        "kubectl run bb --image=busybox:1.36 --dry-run=client -o yaml -- sleep 3600",
    );
    assert!(
        out.stdout
            .contains("  - args:\n    - sleep\n    - \"3600\"\n"),
        "{}",
        out.stdout
    );
    assert_eq!(
        result(
            &mut sim,
            "kubectl run bb --image=busybox:1.36 --restart=Sometimes"
        ),
        err("error: invalid restart policy: Sometimes\n")
    );
}

#[test]
fn expose_makes_a_service_with_the_objects_selector_and_ports() {
    let mut sim = Sim::new(ClusterConfig::default(), 1);
    let out = sim.execute(&Command::Kubectl(
        "kubectl create deployment web --image=nginx:1.27 --port=8080 --replicas=2".into(),
    ));
    assert!(out.success(), "{}", out.text());
    // expose.go: the deployment's matchLabels as selector, its labels, --port and a target
    // port defaulting to the same port.
    assert_eq!(
        result(&mut sim, "kubectl expose deployment web --port=80 --dry-run=client -o yaml"),
        ok("apiVersion: v1\nkind: Service\nmetadata:\n  labels:\n    app: web\n  name: web\nspec:\n  ports:\n  - port: 80\n    protocol: TCP\n    targetPort: 80\n  selector:\n    app: web\nstatus:\n  loadBalancer: {}\n")
    );
    assert_eq!(
        result(
            &mut sim,
            "kubectl expose deployment web --port=80 --target-port=8080"
        ),
        ok("service/web exposed\n")
    );
    assert_eq!(
        result(&mut sim, "kubectl expose deployment/web --port=80"),
        err("Error from server (AlreadyExists): services \"web\" already exists\n")
    );
    // Without --port the template's container ports are used.
    assert_eq!(
        result(
            &mut sim,
            "kubectl expose deploy web --name=web-np --type=NodePort"
        ),
        ok("service/web-np exposed\n")
    );
    let svc = sim
        .store
        .services
        .values()
        .find(|s| s.metadata.name == "web-np")
        .unwrap();
    assert_eq!(svc.spec.ports[0].port, 8080);
    assert_eq!(svc.spec.type_.as_deref(), Some("NodePort"));
    assert!(
        svc.spec.ports[0].node_port.is_some(),
        "a node port is allocated"
    );
    sim.advance_to(Time(30_000));
    let endpoints = run(
        &mut sim,
        "kubectl get endpoints web -o jsonpath={.subsets[0].ports[0].port}",
    );
    assert_eq!(endpoints.stdout, "8080");
    // A pod without container ports needs --port.
    run(&mut sim, "kubectl run solo --image=nginx:1.27");
    assert_eq!(
        result(&mut sim, "kubectl expose pod solo"),
        err("error: couldn't find port via --port flag or introspection\nSee 'kubectl expose -h' for help and examples\n")
    );
    assert_eq!(
        result(&mut sim, "kubectl expose node node-1 --port=80"),
        err("error: cannot expose a Node\n")
    );
    // MapBasedSelectorForObject: a pod without labels gives nothing to select.
    let bare = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: bare\nspec:\n  containers:\n  - {name: web, image: nginx:1.27}\n";
    let out = sim.execute(&Command::Apply {
        file: "bare.yaml".into(),
        yaml: bare.into(),
    });
    assert!(out.success(), "{}", out.text());
    assert_eq!(
        result(&mut sim, "kubectl expose pod bare --port=80"),
        err("error: couldn't retrieve selectors via --selector flag or introspection: the pod has no labels and cannot be exposed\nSee 'kubectl expose -h' for help and examples\n")
    );
}

#[test]
fn expose_and_run_read_l_as_labels_and_expose_takes_a_selector() {
    let mut sim = cluster();
    let yaml =
        |sim: &mut Sim, line: &str| run(sim, &format!("{line} --dry-run=client -o yaml")).stdout;
    // expose.go: `-l` is `--labels`; `--selector` (long form only) replaces the selector
    // read from the object, and both go through parseLabels.
    let svc = yaml(
        &mut sim,
        "kubectl expose deployment web --port=80 -l tier=front --selector=app=web,track=stable",
    );
    assert!(svc.contains("  labels:\n    tier: front\n"), "{svc}");
    assert!(
        svc.contains("  selector:\n    app: web\n    track: stable\n"),
        "{svc}"
    );
    assert_eq!(
        result(
            &mut sim,
            "kubectl expose deployment web --port=80 --selector=app"
        ),
        err("error: unexpected label spec: app\n")
    );
    assert_eq!(
        result(
            &mut sim,
            "kubectl expose deployment web --port=80 --labels=a=b=c"
        ),
        err("error: unexpected label spec: a=b=c\n")
    );
    assert_eq!(
        result(
            &mut sim,
            "kubectl expose deployment web --port=80 --selector==web"
        ),
        err("error: unexpected empty label key\n")
    );
    // run: `-l` is `--labels` too (generate.ParseLabels), and it has no --selector.
    let pod = yaml(
        &mut sim,
        "kubectl run solo --image=nginx:1.27 -l app=solo,tier=db",
    );
    assert!(
        pod.contains("  labels:\n    app: solo\n    tier: db\n"),
        "{pod}"
    );
    assert_eq!(
        result(
            &mut sim,
            "kubectl run solo --image=nginx:1.27 --selector=app=x"
        )
        .2,
        "error: unknown flag: --selector\nSee 'kubectl run --help' for usage.\n"
    );
}

#[test]
fn pods_carry_a_generation_their_status_and_conditions_observe() {
    let mut sim = cluster();
    let pod = |image: &str| {
        format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: solo\nspec:\n  containers:\n  - {{name: web, image: \"{image}\"}}\n")
    };
    let out = sim.execute(&Command::Apply {
        file: "solo.yaml".into(),
        yaml: pod("nginx:1.27"),
    });
    assert!(out.success(), "{}", out.text());
    sim.advance_to(Time(60_000));
    let fields = |sim: &mut Sim| {
        run(
            sim,
            "kubectl get pod solo -o jsonpath={.metadata.generation},{.status.observedGeneration},{.status.conditions[*].observedGeneration}",
        )
        .stdout
    };
    // KEP 5067 (v1.33+): the API server sets generation 1; the kubelet, the scheduler and
    // the controllers stamp what they observed.
    assert_eq!(fields(&mut sim), "1,1,1 1 1 1 1");
    // An image change is a new generation, which the kubelet then reports.
    let out = sim.execute(&Command::Apply {
        file: "solo.yaml".into(),
        yaml: pod("nginx:1.28"),
    });
    assert!(out.success(), "{}", out.text());
    sim.advance_to(Time(120_000));
    assert!(fields(&mut sim).starts_with("2,2,"), "{}", fields(&mut sim));
}

#[test]
fn rollout_picks_deployments_by_label_selector() {
    let mut sim = cluster();
    run(&mut sim, "kubectl create deployment api --image=nginx:1.27");
    // rollout_restart.go: -l with a type picks the objects; nothing found is said on stderr.
    assert_eq!(
        result(&mut sim, "kubectl rollout restart deployment -l app=api"),
        ok("deployment.apps/api restarted\n")
    );
    assert_eq!(
        result(&mut sim, "kubectl rollout pause deployment -l app=nothing"),
        (
            0,
            String::new(),
            "No resources found in default namespace.\n".to_string()
        )
    );
    // The resource builder refuses names together with a selector.
    assert_eq!(
        result(
            &mut sim,
            "kubectl rollout history deployment/web -l app=web"
        ),
        err("error: name cannot be provided when a selector is specified\n")
    );
    // `rollout status` has no selector flag.
    assert_eq!(
        result(&mut sim, "kubectl rollout status deployment/web -l app=web"),
        err("error: unknown shorthand flag: 'l' in -l\nSee 'kubectl rollout status --help' for usage.\n")
    );
}

/// Applies one Service manifest and returns the apply's output.
fn apply_service(sim: &mut Sim, name: &str, spec: &str) -> Output {
    sim.execute(&Command::Apply {
        file: "svc.yaml".into(),
        yaml: format!("apiVersion: v1\nkind: Service\nmetadata:\n  name: {name}\nspec:\n  selector:\n    app: web\n{spec}"),
    })
}

#[test]
fn service_addresses_are_checked_as_the_allocators_check_them() {
    let mut sim = cluster();
    let np = "  type: NodePort\n  ports:\n  - port: 80\n";
    let cases = [
        // The node port allocator's range and free set (portallocator ErrNotInRange,
        // ErrAllocated), and ValidateService's type and duplicate checks.
        (
            format!("{np}    nodePort: 1\n"),
            "The Service \"s\" is invalid: spec.ports[0].nodePort: Invalid value: 1: provided port is not in the valid range. The range of valid ports is 30000-32767",
        ),
        (
            "  ports:\n  - port: 80\n    nodePort: 30080\n".to_string(),
            "The Service \"s\" is invalid: spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'",
        ),
        (
            format!("{np}    nodePort: 30080\n    name: a\n  - port: 81\n    nodePort: 30080\n    name: b\n"),
            "The Service \"s\" is invalid: spec.ports[1].nodePort: Duplicate value: 30080",
        ),
        // The IP allocator: a valid address, in 10.96.0.0/12, IPv4 only.
        (
            "  clusterIP: 10.96.0.300\n  ports:\n  - port: 80\n".to_string(),
            "The Service \"s\" is invalid: spec.clusterIPs[0]: Invalid value: \"10.96.0.300\": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)",
        ),
        (
            "  clusterIP: 1.2.3.4\n  ports:\n  - port: 80\n".to_string(),
            "The Service \"s\" is invalid: spec.clusterIPs: Invalid value: []string{\"1.2.3.4\"}: failed to allocate IP 1.2.3.4: the provided network does not match the current range",
        ),
        (
            "  clusterIP: 10.96.0.0\n  ports:\n  - port: 80\n".to_string(),
            "The Service \"s\" is invalid: spec.clusterIPs: Invalid value: []string{\"10.96.0.0\"}: failed to allocate IP 10.96.0.0: the provided IP (10.96.0.0) is not in the valid range. The range of valid IPs is 10.96.0.0/12",
        ),
        (
            "  clusterIP: 2001:db8::1\n  ports:\n  - port: 80\n".to_string(),
            "The Service \"s\" is invalid: spec.clusterIPs[0]: Invalid value: []string{\"2001:db8::1\"}: IPv6 is not configured on this cluster",
        ),
    ];
    for (spec, want) in cases {
        let before = sim.store.services.len();
        let out = apply_service(&mut sim, "s", &spec);
        assert!(!out.success(), "{spec}");
        assert_eq!(out.stderr.trim_end(), want, "{spec}");
        assert_eq!(
            sim.store.services.len(),
            before,
            "nothing is stored: {spec}"
        );
    }

    // Asked-for addresses are kept; a second Service cannot take them.
    let taken =
        "  type: NodePort\n  clusterIP: 10.96.0.20\n  ports:\n  - port: 80\n    nodePort: 30080\n";
    let service_a = |sim: &Sim| {
        let a = sim.store.services.values().find(|s| s.metadata.name == "a");
        a.cloned().expect("service a")
    };
    assert!(apply_service(&mut sim, "a", taken).success());
    let a = service_a(&sim);
    assert_eq!(a.spec.cluster_ip.as_deref(), Some("10.96.0.20"));
    assert_eq!(a.spec.ports[0].node_port, Some(30080));
    assert_eq!(
        apply_service(&mut sim, "b", taken).stderr.trim_end(),
        "The Service \"b\" is invalid: spec.clusterIPs: Invalid value: []string{\"10.96.0.20\"}: failed to allocate IP 10.96.0.20: provided IP is already allocated"
    );
    assert_eq!(
        apply_service(&mut sim, "b", &format!("{np}    nodePort: 30080\n")).stderr.trim_end(),
        "The Service \"b\" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated"
    );
    // Re-applying the same Service keeps its own addresses; changing the IP is refused.
    assert_eq!(
        apply_service(&mut sim, "a", taken).stdout,
        "service/a unchanged\n"
    );
    assert_eq!(
        apply_service(&mut sim, "a", &taken.replace("0.20", "0.21")).stderr.trim_end(),
        "The Service \"a\" is invalid: spec.clusterIPs[0]: Invalid value: []string{\"10.96.0.21\"}: may not change once set"
    );
    // The same port number over TCP and UDP shares one node port (initNodePorts).
    let dns = "  type: NodePort\n  ports:\n  - {name: tcp, port: 53, protocol: TCP, nodePort: 30053}\n  - {name: udp, port: 53, protocol: UDP, nodePort: 30053}\n";
    assert!(apply_service(&mut sim, "dns", dns).success());
    let auto = "  type: NodePort\n  ports:\n  - {name: tcp, port: 54, protocol: TCP}\n  - {name: udp, port: 54, protocol: UDP}\n";
    assert!(apply_service(&mut sim, "dns2", auto).success());
    let dns2 = sim
        .store
        .services
        .values()
        .find(|s| s.metadata.name == "dns2")
        .unwrap();
    assert_eq!(dns2.spec.ports[0].node_port, dns2.spec.ports[1].node_port);
    // An ExternalName Service has no address to keep: it may take one as it changes type.
    let external = "  type: ExternalName\n  externalName: example.com\n  ports:\n  - port: 80\n";
    assert!(apply_service(&mut sim, "ext", external).success());
    let with_ip = "  clusterIP: 10.96.0.30\n  ports:\n  - port: 80\n";
    let out = apply_service(&mut sim, "ext", with_ip);
    assert!(out.success(), "{}", out.text());
    // Turning it into a ClusterIP Service drops its node port.
    let plain = "  clusterIP: 10.96.0.20\n  ports:\n  - port: 80\n";
    assert!(apply_service(&mut sim, "a", plain).success());
    assert_eq!(service_a(&sim).spec.ports[0].node_port, None);
}

#[test]
fn set_subcommands_that_are_not_simulated_are_refused_and_leave_nodes_alone() {
    let mut sim = cluster();
    let before = sim.store.clone();
    assert_eq!(
        result(&mut sim, "kubectl set selector deployment/web app=x"),
        err("error: \"kubectl set selector\" is not available in this simulator; use `kubectl set image`, `kubectl set resources` or `kubectl set env`\n")
    );
    let node = run(&mut sim, "kubectl set env node-1 A=1");
    assert_eq!(node.exit_code, 1, "{}", node.stderr);
    assert_eq!(
        result(&mut sim, "kubectl set nothing node-1"),
        err("error: unknown command \"nothing node-1\"\nSee 'kubectl set -h' for help and examples\n")
    );
    assert!(sim.store == before, "no node was cordoned or drained");
}

/// The `env` of the Deployment's only container, as `NAME=VALUE` lines.
fn env(sim: &Sim) -> Vec<String> {
    let d = sim.store.deployments.values().next().expect("deployment");
    let c = &d.spec.template.spec.containers[0];
    let items = c.extra.get("env").and_then(|e| e.as_sequence()).cloned();
    items
        .unwrap_or_default()
        .iter()
        .map(|e| {
            let field = |k: &str| e.get(k).and_then(|v| v.as_str()).unwrap_or("").to_string();
            format!("{}={}", field("name"), field("value"))
        })
        .collect()
}

#[test]
fn set_env_sets_and_removes_variables_and_rolls_the_deployment_out() {
    let mut sim = cluster();
    let revision = |sim: &Sim| {
        let d = sim.store.deployments.values().next().expect("deployment");
        d.metadata
            .annotations
            .get("deployment.kubernetes.io/revision")
            .cloned()
    };
    let set = sim.execute(&Command::Kubectl(
        "kubectl set env deployment/web STORAGE_DIR=/local MODE=dev".into(),
    ));
    assert_eq!(set.stdout, "deployment.apps/web env updated\n");
    assert_eq!(env(&sim), ["STORAGE_DIR=/local", "MODE=dev"]);
    sim.advance_to(Time(90_000));
    assert_eq!(
        revision(&sim).as_deref(),
        Some("2"),
        "a new pod template is a rollout"
    );
    // A variable set again keeps its place; new ones follow; `NAME-` removes.
    let set = sim.execute(&Command::Kubectl(
        "kubectl set env deploy web -e EXTRA=1 MODE=prod STORAGE_DIR-".into(),
    ));
    assert_eq!(set.stdout, "deployment.apps/web env updated\n");
    assert_eq!(env(&sim), ["MODE=prod", "EXTRA=1"]);
    sim.advance_to(Time(200_000));
    // Nothing to change: kubectl sends no patch and prints nothing.
    assert_eq!(
        result(&mut sim, "kubectl set env deployment/web MODE=prod"),
        ok("")
    );
    assert_eq!(result(&mut sim, "kubectl set env deployment/web"), ok(""));
    // --list shows the variables with the changes asked for, and writes nothing.
    assert_eq!(
        result(&mut sim, "kubectl set env deployment/web --list MODE=test"),
        ok("# Deployment web, container nginx\nMODE=test\nEXTRA=1\n")
    );
    assert_eq!(env(&sim), ["MODE=prod", "EXTRA=1"]);
    let pod = sim.store.pods.keys().next().expect("a pod").1.clone();
    assert_eq!(
        result(&mut sim, &format!("kubectl set env pod/{pod} --list")),
        ok(&format!(
            "# Pod {pod}, container nginx\nMODE=prod\nEXTRA=1\n"
        ))
    );
    assert_eq!(
        result(
            &mut sim,
            "kubectl set env deployment/web MODE=x --overwrite=false"
        ),
        err("error: deployments/web 'MODE' already has a value (prod), and --overwrite is false\n")
    );
    assert_eq!(
        result(&mut sim, "kubectl set env deployment/web -c sidecar A=1"),
        (
            0,
            String::new(),
            "warning: Deployment/web does not have any containers matching \"sidecar\"\n"
                .to_string()
        )
    );
    // kubectl's own checks, before anything is sent.
    let before = sim.store.clone();
    assert_eq!(
        result(&mut sim, "kubectl set env A=1 deployment/web"),
        err("error: all resources must be specified before environment changes: A=1 deployment/web\n")
    );
    assert_eq!(
        result(&mut sim, "kubectl set env A=1"),
        err("error: one or more resources must be specified as <resource> <name> or <resource>/<name>\n")
    );
    assert_eq!(
        result(&mut sim, "kubectl set env deployment/web A=1 A-"),
        err("error: can not both modify and remove the same environment variable in the same command\n")
    );
    assert_eq!(
        result(&mut sim, "kubectl set env deployment/web --list -o yaml"),
        err("error: --list and --output may not be specified together\n")
    );
    assert_eq!(
        result(&mut sim, "kubectl set env deployments --all -l app=web A=1"),
        err("error: cannot set --all and --selector at the same time\n")
    );
    let record = run(&mut sim, "kubectl set env deployment/web A=1 --record");
    assert!(
        record.stderr.starts_with("error: unknown flag: --record"),
        "{}",
        record.stderr
    );
    let bad = run(&mut sim, "kubectl set env deployment/web 9LIVES=1");
    assert!(bad.stderr.starts_with("error: \"9LIVES\" is not a valid key name: a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit"), "{}", bad.stderr);
    assert_eq!(
        result(
            &mut sim,
            "kubectl set env deployment/web A=1 --dry-run=client"
        ),
        ok("deployment.apps/web env updated (dry run)\n")
    );
    assert!(
        sim.store == before,
        "refused and dry-run commands change nothing"
    );
}

#[test]
fn label_and_annotation_changes_follow_their_resources_and_may_name_a_prefixed_key() {
    let mut sim = cluster();
    // GetResourcesAndPairs: `key-` removes, whatever the key's prefix.
    assert_eq!(
        result(&mut sim, "kubectl label node node-1 example.com/zone=a"),
        ok("node/node-1 labeled\n")
    );
    assert_eq!(
        result(&mut sim, "kubectl label node node-1 example.com/zone-"),
        ok("node/node-1 unlabeled\n")
    );
    assert_eq!(
        result(&mut sim, "kubectl annotate deploy web example.com/note=x"),
        ok("deployment.apps/web annotated\n")
    );
    assert_eq!(
        result(&mut sim, "kubectl annotate deploy web example.com/note-"),
        ok("deployment.apps/web annotated\n")
    );
    assert_eq!(
        result(&mut sim, "kubectl label deploy a=b web"),
        err("error: all resources must be specified before label changes: web\n")
    );
    assert_eq!(
        result(&mut sim, "kubectl annotate deploy web a=b other"),
        err("error: all resources must be specified before annotation changes: other\n")
    );
}

#[test]
fn a_blank_selector_selects_nothing_rather_than_everything() {
    let mut sim = cluster();
    let before = sim.store.clone();
    // LabelSelectorParam trims and ignores a blank selector: the command names no objects.
    for line in [
        "kubectl delete pods -l ' '",
        "kubectl delete pods -l ''",
        "kubectl scale deploy -l ' ' --replicas=3",
    ] {
        assert_eq!(
            result(&mut sim, line),
            err("error: resource(s) were provided, but no name was specified\n"),
            "{line}"
        );
    }
    assert!(sim.store == before, "nothing was deleted or scaled");
    // get lists everything, as without -l.
    assert_eq!(
        run(&mut sim, "kubectl get pods -l ' '").stdout,
        run(&mut sim, "kubectl get pods").stdout
    );
}

#[test]
fn a_bare_pod_is_validated_as_a_pod_template_is() {
    let mut sim = cluster();
    let before = sim.store.clone();
    sim.files.insert(
        "pod.yaml".into(),
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: solo\nspec:\n  containers:\n  - name: c\n    image: nginx:1.27\n    resources:\n      requests: {cpu: \"-1\"}\n    readinessProbe:\n      tcpSocket: {port: 99999}\n".into(),
    );
    assert_eq!(
        result(&mut sim, "kubectl apply -f pod.yaml"),
        err("The Pod \"solo\" is invalid: \n* spec.containers[0].resources.requests[cpu]: Invalid value: \"-1\": must be greater than or equal to 0\n* spec.containers[0].readinessProbe.tcpSocket.port: Invalid value: 99999: must be between 1 and 65535, inclusive\n")
    );
    assert!(
        run(&mut sim, "kubectl run x --image=nginx:1.27 --labels=a/=b")
            .stderr
            .starts_with("The Pod \"x\" is invalid: \n* metadata.labels: Invalid value: \"a/\": name part must be non-empty\n"),
    );
    assert!(sim.store == before);
}

#[test]
fn a_quota_is_validated_and_a_huge_one_does_not_wrap_to_zero() {
    let mut sim = cluster();
    let quota = |pods: &str| {
        format!("apiVersion: v1\nkind: ResourceQuota\nmetadata: {{name: q}}\nspec:\n  hard: {{pods: '{pods}'}}\n")
    };
    sim.files.insert("q.yaml".into(), quota("-1"));
    assert_eq!(
        result(&mut sim, "kubectl apply -f q.yaml"),
        err("The ResourceQuota \"q\" is invalid: spec.hard[pods]: Invalid value: \"-1\": must be greater than or equal to 0\n")
    );
    // More pods than any integer holds is no limit at all, not a limit of zero.
    sim.files
        .insert("q.yaml".into(), quota("18446744073709551616"));
    assert_eq!(
        result(&mut sim, "kubectl apply -f q.yaml"),
        ok("resourcequota/q created\n")
    );
    exec_ok(&mut sim, "kubectl scale deployment web --replicas=4");
    sim.advance_to(Time(60_000));
    assert_eq!(sim.store.pods.len(), 4);
}

fn exec_ok(sim: &mut Sim, line: &str) {
    let out = sim.execute(&Command::Kubectl(line.into()));
    assert!(out.success(), "{line}: {}", out.text());
}

#[test]
fn delete_takes_the_objects_of_a_file_and_other_commands_say_they_do_not() {
    let mut sim = cluster();
    let svc = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector: {app: web}\n  ports:\n  - port: 80\n";
    sim.files.insert("svc.yaml".into(), svc.into());
    exec_ok(&mut sim, "kubectl apply -f svc.yaml");
    let both = format!("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n---\n{svc}");
    sim.files.insert("both.yaml".into(), both);
    assert_eq!(
        result(&mut sim, "kubectl delete -f both.yaml"),
        ok("deployment.apps \"web\" deleted from default namespace\nservice \"web\" deleted from default namespace\n")
    );
    assert!(sim.store.deployments.is_empty());
    assert!(!sim
        .store
        .services
        .contains_key(&kubesim::store::key("default", "web")));
    // resource.Builder names the file in a server error, and refuses names beside a file.
    assert_eq!(
        result(&mut sim, "kubectl delete -f both.yaml"),
        err("Error from server (NotFound): error when deleting \"both.yaml\": deployments.apps \"web\" not found\nError from server (NotFound): error when deleting \"both.yaml\": services \"web\" not found\n")
    );
    assert_eq!(
        result(&mut sim, "kubectl delete deploy web -f both.yaml"),
        err("error: when paths, URLs, or stdin is provided as input, you may not specify resource arguments as well\n")
    );
    let in_default =
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: default\n";
    sim.files.insert("ns.yaml".into(), in_default.into());
    assert_eq!(
        result(&mut sim, "kubectl delete -f ns.yaml -n kube-system"),
        err("error: the namespace from the provided object \"default\" does not match the namespace \"kube-system\". You must pass '--namespace=default' to perform this operation.\n")
    );
    sim.files.insert(
        "short.yaml".into(),
        "apiVersion: apps/v1\nkind: deploy\nmetadata:\n  name: web\n".into(),
    );
    assert_eq!(
        result(&mut sim, "kubectl delete -f short.yaml"),
        err("error: resource mapping not found for name: \"web\" namespace: \"\" from \"short.yaml\": no matches for kind \"deploy\" in version \"apps/v1\"\nensure CRDs are installed first\n")
    );
    assert_eq!(
        result(&mut sim, "kubectl scale --replicas=4 -f both.yaml"),
        err("error: \"kubectl scale -f\" is not available in this simulator; name the objects instead (TYPE NAME)\n")
    );
    // apply's subcommands and stray words are refused, not applied.
    assert_eq!(
        result(&mut sim, "kubectl apply set-last-applied -f svc.yaml"),
        err("error: \"kubectl apply set-last-applied\" is not available in this simulator\n")
    );
    assert_eq!(
        result(&mut sim, "kubectl apply web -f svc.yaml"),
        err("error: Unexpected args: [web]\nSee 'kubectl apply -h' for help and examples\n")
    );
    assert!(!sim
        .store
        .services
        .contains_key(&kubesim::store::key("default", "web")));
    // --all on a cluster-scoped kind reaches every object of it.
    assert_eq!(
        result(&mut sim, "kubectl label ns --all team=a")
            .1
            .lines()
            .count(),
        sim.store.namespaces.len()
    );
}

#[test]
fn an_enormous_surge_percentage_scales_proportionally_without_overflow() {
    let config = ClusterConfig {
        nodes: (1..=4)
            .map(|i| {
                kubesim::cluster::NodeConfig::sized(&format!("node-{i}"), 110, 64_000, 256 << 30)
            })
            .collect(),
        ..ClusterConfig::default()
    };
    let mut sim = Sim::new(config, 1);
    let out = sim.execute(&Command::Apply {
        file: "web.yaml".into(),
        yaml: "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 200\n  strategy:\n    rollingUpdate: {maxSurge: \"999999999999999999%\", maxUnavailable: 0}\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec: {containers: [{name: web, image: \"nginx:1.27\"}]}\n".into(),
    });
    assert!(out.success(), "{}", out.text());
    sim.advance_to(Time(60_000));
    exec_ok(&mut sim, "kubectl set image deployment/web web=nginx:nope");
    sim.advance_to(Time(90_000));
    // Scaling mid-rollout multiplies a ReplicaSet's size by the (huge) surge bound.
    exec_ok(&mut sim, "kubectl scale deployment web --replicas=300");
    sim.advance_to(Time(120_000));
    let sizes: i64 = sim
        .store
        .replicasets
        .values()
        .map(|r| r.spec.replicas)
        .sum();
    assert!(sizes <= 300 + 300, "ReplicaSets ask for {sizes} pods");
}

#[test]
fn a_label_or_annotation_key_the_api_refuses_changes_nothing() {
    let mut sim = cluster();
    let before = sim.store.clone();
    let out = run(&mut sim, "kubectl label node node-1 'a b=c'");
    assert_eq!(out.exit_code, 1);
    assert!(
        out.stderr.starts_with("The Node \"node-1\" is invalid: metadata.labels: Invalid value: \"a b\": name part must consist of alphanumeric characters"),
        "{}",
        out.stderr
    );
    let out = run(&mut sim, "kubectl annotate ns default 'x y=1'");
    assert!(
        out.stderr.starts_with(
            "The Namespace \"default\" is invalid: metadata.annotations: Invalid value: \"x y\""
        ),
        "{}",
        out.stderr
    );
    assert!(sim.store == before);
}

#[test]
fn set_resources_merges_limits_and_requests_and_says_what_it_cannot_do() {
    let mut sim = cluster();
    assert_eq!(
        result(
            &mut sim,
            "kubectl set resources deployment web --requests=cpu=100m"
        ),
        ok("deployment.apps/web resource requirements updated\n")
    );
    // Another resource is added beside the first; an unchanged one is an empty patch.
    exec_ok(
        &mut sim,
        "kubectl set resources deployment/web -c 'ng*' --requests=memory=64Mi",
    );
    assert_eq!(
        result(
            &mut sim,
            "kubectl set resources deployment/web --requests=cpu=100m"
        ),
        ok("")
    );
    let d = sim.store.deployments.values().next().unwrap();
    let requests = &d.spec.template.spec.containers[0]
        .resources
        .as_ref()
        .unwrap()
        .requests;
    assert_eq!(requests.len(), 2);
    // The API server stores quantities in their canonical form.
    exec_ok(
        &mut sim,
        "kubectl set resources deployment/web --limits=cpu=0.5,memory=1024Mi",
    );
    assert_eq!(
        result(
            &mut sim,
            "kubectl get deploy web -o jsonpath={.spec.template.spec.containers[0].resources.limits}"
        ),
        ok(r#"{"cpu":"500m","memory":"1Gi"}"#)
    );
    // Setting the same amount in another form is no change.
    assert_eq!(
        result(
            &mut sim,
            "kubectl set resources deployment/web --limits=cpu=0.5"
        ),
        ok("")
    );
    let before = sim.store.deployments.clone();
    for (line, want) in [
        ("kubectl set resources deployment/web", "error: you must specify an update to requests or limits (in the form of --requests/--limits)\n"),
        ("kubectl set resources deployment/web --limits=cpu", "error: Invalid argument syntax cpu, expected <resource>=<value>\n"),
        ("kubectl set resources deployment/web --limits=cpu=lots", "error: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'\n"),
        ("kubectl set resources deployment/web -c sidecar --limits=cpu=1", "error: unable to find container named sidecar\n"),
        // A request above its limit is the API server's to refuse.
        // set_resources.go and set_image.go wrap the Status message itself (`%v`).
        ("kubectl set resources deployment/web --limits=cpu=50m", "error: failed to patch resources update to pod template Deployment.apps \"web\" is invalid: spec.template.spec.containers[0].resources.requests: Invalid value: \"100m\": must be less than or equal to cpu limit of 50m\n"),
        ("kubectl set image deployment/web nginx=", "error: failed to patch image update to pod template: Deployment.apps \"web\" is invalid: spec.template.spec.containers[0].image: Required value\n"),
    ] {
        assert_eq!(result(&mut sim, line), err(want), "{line}");
    }
    assert_eq!(
        sim.store.deployments, before,
        "refused commands change nothing"
    );
}

#[test]
fn patch_applies_strategic_merge_and_json_patches_through_the_api_server() {
    let mut sim = cluster();
    // The Deployment page's progress deadline example: 600 is already the default.
    assert_eq!(
        result(
            &mut sim,
            r#"kubectl patch deployment/web -p '{"spec":{"progressDeadlineSeconds":600}}'"#
        ),
        ok("deployment.apps/web patched (no change)\n")
    );
    // Go decodes a `null` patch as no map (strategic) or no operations (json).
    for patch in [
        "kubectl patch deployment/web -p null",
        "kubectl patch deployment/web --type json -p null",
    ] {
        assert_eq!(
            result(&mut sim, patch),
            ok("deployment.apps/web patched (no change)\n"),
            "{patch}"
        );
    }
    assert_eq!(
        result(
            &mut sim,
            "kubectl patch deploy web -p 'spec: {minReadySeconds: 5}'"
        ),
        ok("deployment.apps/web patched\n")
    );
    assert_eq!(
        sim.store
            .deployments
            .values()
            .next()
            .unwrap()
            .spec
            .min_ready_seconds,
        Some(5)
    );
    // A strategic patch merges containers by name; a merge patch replaces the list.
    exec_ok(
        &mut sim,
        r#"kubectl patch deploy web -p '{"spec":{"template":{"spec":{"containers":[{"name":"nginx","image":"nginx:1.28"}]}}}}'"#,
    );
    assert_eq!(image(&sim), "nginx:1.28");
    exec_ok(
        &mut sim,
        r#"kubectl patch deploy web --type json -p '[{"op":"replace","path":"/spec/replicas","value":4}]'"#,
    );
    assert_eq!(
        sim.store.deployments.values().next().unwrap().spec.replicas,
        Some(4)
    );
    // A client dry run prints kubectl's locally patched copy and changes nothing.
    let before = sim.store.clone();
    assert_eq!(
        result(&mut sim, "kubectl patch deploy web --type merge -p 'spec: {replicas: 7}' --dry-run=client -o name"),
        ok("deployment.apps/web\n")
    );
    assert_eq!(
        result(
            &mut sim,
            "kubectl patch deploy web --type merge -p 'spec: {replicas: 7}' --dry-run=server"
        ),
        ok("deployment.apps/web patched (server dry run)\n")
    );
    for (line, want) in [
        ("kubectl patch deploy web", "error: must specify --patch or --patch-file containing the contents of the patch\n"),
        ("kubectl patch deploy web --type=strategic2 -p '{}'", "error: --type must be one of [json merge strategic], not \"strategic2\"\n"),
        ("kubectl patch deploy nope -p '{}'", "Error from server (NotFound): deployments.apps \"nope\" not found\n"),
        ("kubectl patch deploy web -p '{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"image\":\"httpd\"}]}}}}'", "Error from server: map: map[image:httpd] does not contain declared merge key: name\n"),
        ("kubectl patch deploy web --type merge -p '{\"metadata\":{\"name\":\"api\"}}'", "Error from server (BadRequest): the name of the object (api) does not match the name on the URL (web)\n"),
        ("kubectl patch deploy web --type merge -p '{\"metadata\":{\"resourceVersion\":\"1\"}}'", "Error from server (Conflict): Operation cannot be fulfilled on deployments.apps \"web\": the object has been modified; please apply your changes to the latest version and try again\n"),
        ("kubectl patch deploy web -p '[1]'", "Error from server (BadRequest): json: cannot unmarshal array into Go value of type map[string]interface {}\n"),
        ("kubectl patch deploy web --type json -p '[{\"op\":\"remove\",\"path\":\"/spec/paused\"}]'", "The request is invalid: the server rejected our request due to an error in our request\n"),
        ("kubectl patch deploy web -p '{\"spec\":{\"strategy\":{\"rollingUpdate\":{\"maxSurge\":0,\"maxUnavailable\":0}}}}'", "The Deployment \"web\" is invalid: spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0\n"),
        ("kubectl patch node node-1 -p '{}'", "error: patching nodes is not simulated; patch a Deployment or a Service\n"),
    ] {
        assert_eq!(result(&mut sim, line), err(want), "{line}");
    }
    assert!(
        sim.store == before,
        "a dry run or a refused patch changes nothing"
    );
    // A dotted key is one unknown field, not a path: the real field is left alone.
    assert_eq!(
        result(
            &mut sim,
            "kubectl patch deploy web -p '{\"spec.replicas\":9}'"
        ),
        (
            0,
            "deployment.apps/web patched (no change)\n".into(),
            "Warning: unknown field \"spec.replicas\"\n".into()
        )
    );
    assert_eq!(
        sim.store.deployments.values().next().unwrap().spec.replicas,
        Some(4)
    );
    // The server's default field validation (Warn) drops an unknown field and says so.
    assert_eq!(
        result(
            &mut sim,
            "kubectl patch deploy web -p '{\"spec\":{\"replica\":2}}'"
        ),
        (
            0,
            "deployment.apps/web patched (no change)\n".into(),
            "Warning: unknown field \"spec.replica\"\n".into()
        )
    );
    // A Service's annotations are patched like its labels.
    exec_ok(
        &mut sim,
        "kubectl patch svc kubernetes -p '{\"metadata\":{\"annotations\":{\"note\":\"x\"}}}'",
    );
    let k = kubesim::store::key("default", "kubernetes");
    assert_eq!(sim.store.services[&k].metadata.annotations["note"], "x");
    // Services go through the same checks as any other write.
    assert_eq!(
        result(&mut sim, "kubectl patch svc kubernetes -p '{\"spec\":{\"clusterIP\":\"10.96.0.2\"}}'").2,
        "The Service \"kubernetes\" is invalid: spec.clusterIPs[0]: Invalid value: []string{\"10.96.0.2\"}: may not change once set\n"
    );
}

#[test]
fn edit_opens_the_object_and_saves_the_change_as_a_merge_patch() {
    use kubesim::kubectl::edit;
    let mut sim = cluster();
    let e = edit::open(&sim, "kubectl edit deployment/web").expect("the Deployment opens");
    assert_eq!(e.object, "deployment.apps/web");
    assert!(e.text.starts_with("# Please edit the object below. Lines beginning with a '#' will be ignored,\n# and an empty file will abort the edit. If an error occurs while saving this file will be\n# reopened with the relevant failures.\n#\napiVersion: apps/v1\nkind: Deployment\n"), "{}", e.text);
    // Unchanged, emptied or only commented: kubectl cancels the edit.
    assert_eq!(
        edit::save(&sim, &e, &e.text),
        Ok(edit::Saved::Cancelled("Edit cancelled, no changes made.\n"))
    );
    assert_eq!(
        edit::save(&sim, &e, "# nothing left\n  # indented too\n"),
        Ok(edit::Saved::Cancelled(
            "Edit cancelled, saved file was empty.\n"
        ))
    );
    // The Deployment page's edit: the image, and (here) the replicas.
    let edited = e
        .text
        .replace("image: nginx:1.27", "image: nginx:1.28")
        // The first `replicas` is the spec's; the status has its own.
        .replacen("  replicas: 2\n", "  replicas: 3\n", 1);
    let edit::Saved::Patch(line) = edit::save(&sim, &e, &edited).expect("a valid change") else {
        panic!("a change");
    };
    assert_eq!(
        line,
        r#"kubectl patch deployment.apps web --type merge -p '{"spec":{"replicas":3,"template":{"spec":{"containers":[{"image":"nginx:1.28","imagePullPolicy":"IfNotPresent","name":"nginx","resources":{},"terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File"}]}}}}'"#
    );
    assert_eq!(result(&mut sim, &line), ok("deployment.apps/web patched\n"));
    let d = sim.store.deployments.values().next().expect("deployment");
    assert_eq!(
        (d.spec.replicas, image(&sim).as_str()),
        (Some(3), "nginx:1.28")
    );
    // A change the API server refuses keeps the editor open with its reason.
    let e = edit::open(&sim, "kubectl edit deploy web").expect("opens");
    let bad = e.text.replacen("  replicas: 3\n", "  replicas: -1\n", 1);
    let refused = edit::save(&sim, &e, &bad).expect_err("refused");
    assert!(
        refused.contains("spec.replicas: Invalid value: -1: must be greater than or equal to 0"),
        "{refused}"
    );
    let broken = edit::save(&sim, &e, "spec: [");
    assert!(broken.is_err_and(|m| m.starts_with("error parsing edited-file: ")));
    // editoptions.go's own checks: identity and namespace.
    let renamed = e.text.replacen("  name: web\n", "  name: other\n", 1);
    assert_eq!(
        edit::save(&sim, &e, &renamed),
        Ok(edit::Saved::Failed(
            "error: At least one of apiVersion, kind and name was changed\n".into()
        ))
    );
    let moved = e
        .text
        .replacen("  namespace: default\n", "  namespace: shop\n", 1);
    assert_eq!(
        edit::save(&sim, &e, &moved),
        Ok(edit::Saved::Failed("error: the namespace from the provided object \"shop\" does not match the namespace \"default\". You must pass '--namespace=shop' to perform this operation.\n".into()))
    );
    // JSON has no header; global flags before the command count.
    let json = edit::open(&sim, "kubectl -n default edit deploy/web -o json").expect("opens");
    assert!(
        json.text.starts_with("{\n    \"apiVersion\": \"apps/v1\""),
        "{}",
        json.text
    );
    // What kubectl prints instead of opening an editor.
    for (line, stderr) in [
        (
            "kubectl edit deployment/nope",
            "Error from server (NotFound): deployments.apps \"nope\" not found\n",
        ),
        (
            "kubectl edit pod/x",
            "error: kubesim edits Deployments and Services; pod/x cannot be edited here\n",
        ),
        (
            "kubectl edit deploy/a deploy/b",
            "error: kubesim edits one object at a time; name a single object\n",
        ),
    ] {
        let out = edit::open(&sim, line).expect_err(line);
        assert_eq!((out.exit_code, out.stderr.as_str()), (1, stderr), "{line}");
    }
    // Outside the app's console there is no editor.
    let out = run(&mut sim, "kubectl edit deployment/web");
    assert!(out.stderr.contains("needs an editor"), "{}", out.stderr);
}

#[test]
fn requests_default_to_limits_on_pods_but_not_on_the_template() {
    let mut sim = cluster();
    exec_ok(
        &mut sim,
        "kubectl set resources deployment/web --limits=cpu=0.5",
    );
    let d = sim.store.deployments.values().next().expect("deployment");
    let template = d.spec.template.spec.containers[0]
        .resources
        .clone()
        .unwrap_or_default();
    assert_eq!(template.limits["cpu"].0, "500m");
    assert!(
        template.requests.is_empty(),
        "SetDefaults_Pod is for pods only"
    );
    let revision = d
        .metadata
        .annotations
        .get("deployment.kubernetes.io/revision")
        .cloned();
    assert_eq!(revision.as_deref(), Some("2"), "a new template rolls out");
    sim.advance_to(Time(90_000));
    let newest = sim
        .store
        .pods
        .values()
        .find(|p| {
            p.spec.containers[0]
                .resources
                .as_ref()
                .is_some_and(|r| !r.limits.is_empty())
        })
        .expect("a pod of the new template");
    let r = newest.spec.containers[0]
        .resources
        .clone()
        .unwrap_or_default();
    assert_eq!(
        (r.limits["cpu"].0.as_str(), r.requests["cpu"].0.as_str()),
        ("500m", "500m")
    );
}

#[test]
fn enormous_limits_add_up_without_overflow_in_describe_node() {
    let mut sim = cluster();
    exec_ok(&mut sim, "kubectl scale deployment web --replicas=8");
    // Small requests schedule; the limits are far beyond what any sum of them can hold.
    exec_ok(
        &mut sim,
        "kubectl set resources deployment/web --requests=cpu=100m --limits=cpu=1.7e35",
    );
    sim.advance_to(Time(120_000));
    let running = sim
        .store
        .pods
        .values()
        .filter(|p| {
            p.spec.containers[0]
                .resources
                .as_ref()
                .is_some_and(|r| !r.limits.is_empty())
        })
        .count();
    assert_eq!(running, 8);
    let out = run(&mut sim, "kubectl describe nodes");
    assert_eq!(out.exit_code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains("Allocated resources:"),
        "{}",
        out.stdout
    );
}

#[test]
fn apply_of_a_kind_without_a_rest_mapping_or_not_simulated() {
    let mut sim = cluster();
    // A misspelt kind, or a real kind in a version the API server does not serve: kubectl's
    // REST mapper finds no resource.
    sim.files.insert(
        "typo.yaml".into(),
        "apiVersion: apps/v1\nkind: Deploymnt\nmetadata:\n  name: web\n".into(),
    );
    assert_eq!(
        result(&mut sim, "kubectl apply -f typo.yaml"),
        err("error: resource mapping not found for name: \"web\" namespace: \"\" from \"typo.yaml\": no matches for kind \"Deploymnt\" in version \"apps/v1\"\nensure CRDs are installed first\n")
    );
    sim.files.insert(
        "old.yaml".into(),
        "apiVersion: apps/v1beta1\nkind: StatefulSet\nmetadata:\n  name: db\n".into(),
    );
    assert_eq!(
        result(&mut sim, "kubectl apply -f old.yaml"),
        err("error: resource mapping not found for name: \"db\" namespace: \"\" from \"old.yaml\": no matches for kind \"StatefulSet\" in version \"apps/v1beta1\"\nensure CRDs are installed first\n")
    );
    // A kind the API server serves but kubesim does not simulate is refused as such, and
    // the file's other objects are applied.
    sim.files.insert(
        "mixed.yaml".into(),
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports: [{port: 80}]\n".into(),
    );
    assert_eq!(
        result(&mut sim, "kubectl apply -f mixed.yaml"),
        (
            1,
            "service/web created\n".to_string(),
            "error: ConfigMap \"settings\" from \"mixed.yaml\" cannot be applied here: kubesim applies only Deployment, Namespace, Pod, ResourceQuota and Service objects\n".to_string()
        )
    );
    // Every version the API server serves maps: the HorizontalPodAutoscaler's older one
    // too, and an Event in either group.
    for (file, api_version, kind) in [
        ("hpa.yaml", "autoscaling/v1", "HorizontalPodAutoscaler"),
        ("event.yaml", "events.k8s.io/v1", "Event"),
    ] {
        sim.files.insert(
            file.into(),
            format!("apiVersion: {api_version}\nkind: {kind}\nmetadata:\n  name: x\n"),
        );
        assert_eq!(
            result(&mut sim, &format!("kubectl apply -f {file}")),
            err(&format!("error: {kind} \"x\" from \"{file}\" cannot be applied here: kubesim applies only Deployment, Namespace, Pod, ResourceQuota and Service objects\n"))
        );
    }
    // `delete -f` maps the kinds the same way.
    assert_eq!(
        result(&mut sim, "kubectl delete -f typo.yaml"),
        err("error: resource mapping not found for name: \"web\" namespace: \"\" from \"typo.yaml\": no matches for kind \"Deploymnt\" in version \"apps/v1\"\nensure CRDs are installed first\n")
    );
    assert_eq!(
        result(&mut sim, "kubectl delete -f mixed.yaml"),
        err("error: ConfigMap \"settings\" from \"mixed.yaml\": kind \"ConfigMap\" is not simulated\n")
    );
    assert!(sim
        .store
        .services
        .contains_key(&kubesim::store::key("default", "web")));
}

#[test]
fn create_service_builds_the_service_kubectl_generates() {
    let mut sim = cluster();
    // Run as the console runs it, so the controllers act on the new Service.
    let out = sim.execute(&Command::Kubectl(
        "kubectl create service clusterip web --tcp=80:8080,443:https".into(),
    ));
    assert_eq!(
        (out.exit_code, out.stdout.as_str()),
        (0, "service/web created\n")
    );
    // `ServiceOptions.createService`: labelled and selecting app=NAME, one TCP port per pair,
    // named after it with `:` made `-`.
    let (code, spec, _) = result(
        &mut sim,
        "kubectl get svc web -o jsonpath='{.metadata.labels.app}/{.spec.selector.app}/{.spec.type}/{range .spec.ports[*]}{.name}={.port}>{.targetPort},{end}'",
    );
    assert_eq!(
        (code, spec.as_str()),
        (0, "web/web/ClusterIP/80-8080=80>8080,443-https=443>https,")
    );
    // The selector finds the Deployment's pods (`create deployment` labels them app=web);
    // their containers name no port `https`, so only 8080 is an endpoint port.
    let (_, endpoints, _) = result(&mut sim, "kubectl get endpoints web --no-headers");
    assert!(
        endpoints.contains(":8080,") && !endpoints.contains(":443"),
        "{endpoints}"
    );
    // What the API server refuses comes back inside kubectl's own message.
    assert_eq!(
        result(&mut sim, "kubectl create service clusterip web --tcp=80"),
        err("error: failed to create ClusterIP service: services \"web\" already exists\n")
    );
    assert_eq!(
        result(&mut sim, "kubectl create service clusterip zero --tcp=0"),
        err("error: failed to create ClusterIP service: Service \"zero\" is invalid: [spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive, spec.ports[0].targetPort: Invalid value: 0: must be between 1 and 65535, inclusive]\n")
    );
    // Headless, NodePort with a chosen port, ExternalName.
    assert_eq!(
        result(&mut sim, "kubectl create svc clusterip db --clusterip=None"),
        ok("service/db created\n")
    );
    let (code, yaml, _) = result(
        &mut sim,
        "kubectl create service nodeport np --tcp=80:8080 --node-port=30080 -o yaml",
    );
    assert_eq!(code, 0);
    assert!(yaml.contains("    nodePort: 30080\n"), "{yaml}");
    assert_eq!(
        result(
            &mut sim,
            "kubectl create service externalname ext --external-name example.com -o name"
        ),
        ok("service/ext\n")
    );
    let (_, listed, _) = result(&mut sim, "kubectl get svc db ext --no-headers");
    assert_eq!(
        listed,
        "db    ClusterIP      None     <none>        <none>   0s\next   ExternalName   <none>   example.com   <none>   0s\n"
    );
    // A client dry run prints what would be sent and creates nothing.
    let (code, yaml, _) = result(
        &mut sim,
        "kubectl create service loadbalancer lb --tcp=5678 --dry-run=client -o yaml",
    );
    assert_eq!(code, 0);
    assert!(yaml.contains("  ports:\n  - name: \"5678\"\n    port: 5678\n    protocol: TCP\n    targetPort: 5678\n"), "{yaml}");
    assert!(yaml.contains("  type: LoadBalancer\n"), "{yaml}");
    // A Service without ports has no `ports` at all (the field is `omitempty`).
    let (_, yaml, _) = result(
        &mut sim,
        "kubectl create service clusterip h --clusterip=None --dry-run=client -o yaml",
    );
    assert!(
        yaml.contains("spec:\n  clusterIP: None\n  selector:\n"),
        "{yaml}"
    );
    assert_eq!(result(&mut sim, "kubectl get svc lb").0, 1);
}

#[test]
fn create_service_refuses_what_kubectl_refuses() {
    let mut sim = cluster();
    for (line, message) in [
        ("kubectl create service clusterip web", "error: at least one tcp port specifier must be provided\n"),
        ("kubectl create service externalname ext", "error: required flag(s) \"external-name\" not set\n"),
        ("kubectl create service externalname ext --external-name Not_A_Name", "error: invalid service external name Not_A_Name\n"),
        ("kubectl create service clusterip web --tcp=http", "error: strconv.ParseUint: parsing \"http\": invalid syntax\n"),
        ("kubectl create service clusterip web --tcp=70000", "error: strconv.ParseUint: parsing \"70000\": value out of range\n"),
        ("kubectl create service clusterip web --tcp=+80", "error: strconv.ParseUint: parsing \"+80\": invalid syntax\n"),
        ("kubectl create service clusterip web --tcp=99999999999999999999", "error: strconv.ParseUint: parsing \"99999999999999999999\": value out of range\n"),
        ("kubectl create service clusterip web --tcp=80:Web", "error: must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)\n"),
        ("kubectl create service clusterip web --tcp=80:70000", "error: must be between 1 and 65535, inclusive\n"),
        ("kubectl create service clusterip --tcp=80", "error: exactly one NAME is required, got 0\nSee 'kubectl create service clusterip -h' for help and examples\n"),
        ("kubectl create service headless web", "error: unknown command \"headless web\"\nSee 'kubectl create service -h' for help and examples\n"),
        // Each type has only its own flags.
        ("kubectl create service nodeport web --clusterip=10.96.0.9 --tcp=80", "error: unknown flag: --clusterip\nSee 'kubectl create service nodeport --help' for usage.\n"),
        ("kubectl create service clusterip web --node-port=30001 --tcp=80", "error: unknown flag: --node-port\nSee 'kubectl create service clusterip --help' for usage.\n"),
    ] {
        assert_eq!(result(&mut sim, line), err(message), "{line}");
    }
    assert_eq!(
        result(&mut sim, "kubectl get svc --no-headers")
            .1
            .lines()
            .count(),
        1
    );
    // Without a type, the command's help (which lists the types) and a failure.
    let out = run(&mut sim, "kubectl create service");
    assert_eq!(out.exit_code, 1);
    assert!(
        out.stderr
            .contains("Available Commands:\n  clusterip     Create a ClusterIP service\n"),
        "{}",
        out.stderr
    );
}

#[test]
fn template_printers_these_commands_lack_are_refused_in_our_words() {
    let mut sim = cluster();
    // kubectl has a jsonpath printer for `create`; here it is not simulated, so the message
    // says so instead of kubectl's list of formats, which names it.
    assert_eq!(
        result(&mut sim, "kubectl create namespace dev -o jsonpath={.metadata.name}"),
        err("error: -o jsonpath is not simulated for this command; use -o yaml, json, kyaml or name, or kubectl get with -o jsonpath afterwards\n")
    );
    assert_eq!(
        result(&mut sim, "kubectl get ns dev").0,
        1,
        "nothing was created"
    );
    // A format kubectl does not have keeps kubectl's answer.
    assert!(result(&mut sim, "kubectl create namespace dev -o wide")
        .2
        .starts_with("error: unable to match a printer suitable for the output format \"wide\""));
}

#[test]
fn create_namespace_makes_one_namespace() {
    let mut sim = cluster();
    assert_eq!(
        result(&mut sim, "kubectl create namespace dev"),
        ok("namespace/dev created\n")
    );
    assert_eq!(
        result(&mut sim, "kubectl create ns dev"),
        err("Error from server (AlreadyExists): namespaces \"dev\" already exists\n")
    );
    assert_eq!(
        result(&mut sim, "kubectl create namespace"),
        err("error: exactly one NAME is required, got 0\nSee 'kubectl create namespace -h' for help and examples\n")
    );
    assert!(result(&mut sim, "kubectl create namespace Bad_Name")
        .2
        .starts_with("The Namespace \"Bad_Name\" is invalid: metadata.name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 label"));
    assert_eq!(
        result(&mut sim, "kubectl create ns prod --dry-run=client -o yaml"),
        ok("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: prod\nspec: {}\nstatus: {}\n")
    );
    // The new namespace takes objects; the dry run made none.
    assert_eq!(
        result(&mut sim, "kubectl run web -n dev --image=nginx:1.27").0,
        0
    );
    assert_eq!(result(&mut sim, "kubectl get ns prod").0, 1);
}

#[test]
fn apply_merges_services_three_ways_and_prunes_them_before_deployments() {
    let mut sim = Sim::new(ClusterConfig::default(), 1);
    assert!(run(&mut sim, "kubectl create deployment web --image=nginx:1.27").success());
    assert!(run(&mut sim, "kubectl expose deployment web --port=80").success());
    // `expose` kept no last-applied configuration: apply warns, and its patch keeps what
    // the manifest does not mention (the labels `expose` copied, the ClusterIP).
    let ip = run(
        &mut sim,
        "kubectl get svc web -o jsonpath={.spec.clusterIP}",
    )
    .stdout;
    let service = |ports: &str| {
        format!("apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  annotations:\n    team: shop\nspec:\n  selector:\n    app: web\n  ports:\n{ports}")
    };
    let two =
        "  - {name: http, port: 80, targetPort: 80}\n  - {name: alt, port: 8080, targetPort: 80}\n";
    sim.files.insert("svc.yaml".into(), service(two));
    let out = run(&mut sim, "kubectl apply -f svc.yaml");
    assert_eq!(out.stdout, "service/web configured\n");
    assert_eq!(
        out.stderr,
        "Warning: resource services/web is missing the kubectl.kubernetes.io/last-applied-configuration annotation which is required by kubectl apply. kubectl apply should only be used on resources created declaratively by either kubectl create --save-config or kubectl apply. The missing annotation will be patched automatically.\n"
    );
    let get = |sim: &mut Sim, path: &str| {
        run(sim, &format!("kubectl get svc web -o jsonpath={{{path}}}")).stdout
    };
    assert_eq!(get(&mut sim, ".metadata.labels.app"), "web");
    assert_eq!(get(&mut sim, ".metadata.annotations.team"), "shop");
    assert_eq!(get(&mut sim, ".spec.clusterIP"), ip);
    assert_eq!(get(&mut sim, ".spec.ports[*].port"), "80 8080");
    assert!(run(&mut sim, "kubectl get svc web -o yaml").stdout.contains(
        "    kubectl.kubernetes.io/last-applied-configuration: |\n      {\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"annotations\":{\"team\":\"shop\"}"
    ));
    // A refused patch still has the warning kubectl prints before sending it.
    let mut other = Sim::new(ClusterConfig::default(), 1);
    assert!(run(&mut other, "kubectl create service clusterip db --tcp=5432").success());
    other.files.insert(
        "db.yaml".into(),
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: db\nspec:\n  ports:\n  - port: 70000\n"
            .into(),
    );
    let out = run(&mut other, "kubectl apply -f db.yaml");
    assert!(
        out.stderr.starts_with("Warning: resource services/db is missing the kubectl.kubernetes.io/last-applied-configuration annotation")
            && out.stderr.contains("The Service \"db\" is invalid"),
        "{}",
        out.stderr
    );
    // Again without the second port: the last applied configuration had it, so it goes;
    // and now without a warning.
    sim.files.insert(
        "svc.yaml".into(),
        service("  - {name: http, port: 80, targetPort: 80}\n"),
    );
    let out = run(&mut sim, "kubectl apply -f svc.yaml");
    assert_eq!(
        (out.stdout.as_str(), out.stderr.as_str()),
        ("service/web configured\n", "")
    );
    assert_eq!(get(&mut sim, ".spec.ports[*].port"), "80");
    assert_eq!(get(&mut sim, ".metadata.labels.app"), "web");
    assert_eq!(
        run(&mut sim, "kubectl apply -f svc.yaml").stdout,
        "service/web unchanged\n"
    );
    // Prune goes through kubectl's list in order: Services, then Deployments.
    let deployment = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  selector:\n    matchLabels:\n      app: api\n  template:\n    metadata:\n      labels:\n        app: api\n    spec:\n      containers:\n      - name: api\n        image: nginx:1.27\n";
    sim.files.insert("api.yaml".into(), deployment.into());
    assert!(run(&mut sim, "kubectl apply -f api.yaml").success());
    let other = "apiVersion: v1\nkind: Service\nmetadata:\n  name: other\nspec:\n  selector:\n    app: other\n  ports:\n  - port: 80\n";
    sim.files.insert("other.yaml".into(), other.into());
    assert_eq!(
        run(&mut sim, "kubectl apply -f other.yaml --prune --all").stdout,
        "service/other created\nservice/web pruned\ndeployment.apps/api pruned\n"
    );
    assert!(!run(&mut sim, "kubectl get svc web").success());
    // The Deployment `create` made has no last-applied configuration and stays.
    assert!(run(&mut sim, "kubectl get deployment web").success());
}

#[test]
fn a_service_changing_type_loses_the_fields_its_new_type_has_no_use_for() {
    let mut sim = Sim::new(ClusterConfig::default(), 1);
    let service = |type_line: &str| {
        format!("apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n{type_line}  selector:\n    app: web\n  ports:\n  - port: 80\n")
    };
    sim.files
        .insert("svc.yaml".into(), service("  type: NodePort\n"));
    assert!(run(&mut sim, "kubectl apply -f svc.yaml").success());
    let get = |sim: &mut Sim, name: &str, path: &str| {
        run(
            sim,
            &format!("kubectl get svc {name} -o jsonpath={{{path}}}"),
        )
        .stdout
    };
    assert!(!get(&mut sim, "web", ".spec.ports[0].nodePort").is_empty());
    assert_eq!(
        get(&mut sim, "web", ".spec.externalTrafficPolicy"),
        "Cluster"
    );
    // Back to ClusterIP by leaving `type` out: the node port the user did not touch goes
    // (`dropTypeDependentFields`), and with it the external traffic policy.
    sim.files.insert("svc.yaml".into(), service(""));
    assert_eq!(
        run(&mut sim, "kubectl apply -f svc.yaml").stdout,
        "service/web configured\n"
    );
    assert_eq!(get(&mut sim, "web", ".spec.type"), "ClusterIP");
    assert_eq!(get(&mut sim, "web", ".spec.ports[0].nodePort"), "");
    assert_eq!(get(&mut sim, "web", ".spec.externalTrafficPolicy"), "");
    // The same through `patch`; and into an ExternalName Service, which loses its address.
    assert!(run(&mut sim, "kubectl create service nodeport np --tcp=80:80").success());
    assert!(run(
        &mut sim,
        r#"kubectl patch svc np -p '{"spec":{"type":"ClusterIP"}}'"#
    )
    .success());
    assert_eq!(get(&mut sim, "np", ".spec.ports[0].nodePort"), "");
    assert!(run(
        &mut sim,
        r#"kubectl patch svc np -p '{"spec":{"type":"ExternalName","externalName":"example.com"}}'"#
    )
    .success());
    assert_eq!(get(&mut sim, "np", ".spec.clusterIP"), "");
    assert_eq!(get(&mut sim, "np", ".spec.ipFamilies"), "");
    // A node port the user sets while leaving NodePort is new, and still refused.
    sim.files.insert(
        "svc.yaml".into(),
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  type: NodePort\n  selector:\n    app: web\n  ports:\n  - port: 80\n".into(),
    );
    assert!(run(&mut sim, "kubectl apply -f svc.yaml").success());
    sim.files.insert(
        "svc.yaml".into(),
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  type: ClusterIP\n  selector:\n    app: web\n  ports:\n  - port: 80\n    nodePort: 31999\n".into(),
    );
    let out = run(&mut sim, "kubectl apply -f svc.yaml");
    assert!(
        out.stderr.contains(
            "spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"
        ),
        "{}",
        out.stderr
    );
}
