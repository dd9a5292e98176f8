//! `kubectl diff -f`: the objects a file would change, as `diff -u -N` prints them between
//! the live object and a server-side dry run of the apply, with kubectl diff's exit status.

mod common;

use common::act;
use kubesim::cluster::ClusterConfig;
use kubesim::{Sim, Time};

const WEB: &str = "apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: 'nginx:1.27'}]
";

#[test]
fn diff_shows_what_apply_would_change_and_exits_1() {
    let mut sim = Sim::new(ClusterConfig::default(), 4);
    sim.files.insert("web.yaml".into(), WEB.into());
    // Nothing live yet: the whole object is new, against an empty LIVE file.
    let out = kubesim::kubectl::run(&mut sim, "kubectl diff -f web.yaml");
    assert_eq!(out.exit_code, 1, "{}", out.stderr);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert!(
        lines[0].starts_with("diff -u -N /tmp/LIVE-"),
        "{}",
        lines[0]
    );
    assert!(
        lines[0].ends_with("/apps.v1.Deployment.default.web"),
        "{}",
        lines[0]
    );
    assert!(
        lines[1].ends_with("/apps.v1.Deployment.default.web\t1970-01-01 00:00:00.000000000 +0000"),
        "{}",
        lines[1]
    );
    assert!(lines[2].starts_with("+++ /tmp/MERGED-"), "{}", lines[2]);
    assert!(lines[3].starts_with("@@ -0,0 +1,"), "{}", lines[3]);
    assert!(
        lines.contains(&"+      - image: nginx:1.27"),
        "{}",
        out.stdout
    );
    // Diff changes nothing.
    assert!(sim.store.deployments.is_empty());

    act(&mut sim, "kubectl apply -f web.yaml");
    sim.advance_to(Time(20_000));
    let same = kubesim::kubectl::run(&mut sim, "kubectl diff -f web.yaml");
    assert_eq!(
        (same.exit_code, same.stdout.as_str(), same.stderr.as_str()),
        (0, "", "")
    );

    // After a change outside the file, applying the file would undo it.
    act(&mut sim, "kubectl set image deployment/web web=nginx:1.28");
    let out = kubesim::kubectl::run(&mut sim, "kubectl diff -f web.yaml");
    assert_eq!(out.exit_code, 1);
    assert!(
        out.stdout
            .contains("\n-      - image: nginx:1.28\n+      - image: nginx:1.27\n"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("\n-  generation: 2\n+  generation: 3\n"),
        "{}",
        out.stdout
    );
    // A dry run writes nothing, so the resource version is not part of the difference.
    assert!(!out.stdout.contains("-  resourceVersion"), "{}", out.stdout);
    assert!(
        out.stdout
            .contains("\t2026-01-05 09:00:20.000000000 +0000\n"),
        "{}",
        out.stdout
    );

    // Errors exit 2.
    let missing = kubesim::kubectl::run(&mut sim, "kubectl diff -f nope.yaml");
    assert_eq!(
        (missing.exit_code, missing.stderr.as_str()),
        (2, "error: the path \"nope.yaml\" does not exist\n")
    );
    sim.files.insert(
        "bad.yaml".into(),
        "apiVersion: apps/v1\nkind: Deploymnt\nmetadata: {name: x}\n".into(),
    );
    let bad = kubesim::kubectl::run(&mut sim, "kubectl diff -f bad.yaml");
    assert_eq!(bad.exit_code, 2);
    assert!(
        bad.stderr.contains("no matches for kind \"Deploymnt\""),
        "{}",
        bad.stderr
    );
}
