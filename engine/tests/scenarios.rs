//! The built-in scenarios (static/scenarios): each loads, runs headlessly to its end with all
//! its `checks:` met and plays the same in a session as in a run. The teaching library also
//! explains itself, drives its timeline only with the commands it lists for learners, and
//! appears in the web app's menu in this order.

mod common;

use common::{repo, yaml_files};
use kubesim::command::Command;
use kubesim::goal::GoalResult;
use kubesim::scenario::{self, Item, Scenario};
use kubesim::session::Session;

/// The teaching library, in menu order (one scenario per topic of a course).
const LIBRARY: &[&str] = &[
    "nginx",
    "create-and-status",
    "self-healing",
    "scaling",
    "rolling-defaults",
    "surge-1-unavailable-0",
    "surge-0-unavailable-1",
    "surge-100",
    "recreate-vs-rolling",
    "rollback",
    "pause-resume",
    "bad-image",
    "crash-loop",
    "liveness",
    "init-containers",
    "init-wait-for-service",
    "never-ready",
    "min-ready-seconds",
    "history-limit",
    "proportional-scaling",
    "rollover",
    "node-failure",
    "drain-cordon",
    "multi-tier",
    "environments",
    "kubernetes-basics",
];

/// (file stem, text) of every scenario file, sorted by name.
fn scenarios() -> Vec<(String, String)> {
    yaml_files("static/scenarios")
}

/// The library's files, in menu order.
fn library() -> Vec<(String, String)> {
    let all = scenarios();
    LIBRARY
        .iter()
        .map(|name| {
            all.iter()
                .find(|(n, _)| n == name)
                .cloned()
                .unwrap_or_else(|| panic!("static/scenarios/{name}.yaml is missing"))
        })
        .collect()
}

fn checks(items: &[Item]) -> Vec<(String, &GoalResult)> {
    items
        .iter()
        .filter_map(|i| match i {
            Item::Check { t, goal, result } => Some((format!("{} {goal}", t.clock()), result)),
            _ => None,
        })
        .collect()
}

#[test]
fn every_built_in_scenario_passes_its_checks() {
    for (name, text) in scenarios() {
        let s = Scenario::from_yaml(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        let (_, items) = scenario::run(&s).unwrap_or_else(|e| panic!("{name}: {e}"));
        let results = checks(&items);
        assert!(
            !results.is_empty() || !LIBRARY.contains(&name.as_str()),
            "{name} has no checks"
        );
        assert_eq!(results.len(), s.checks.len(), "{name}: every check ran");
        for (goal, r) in results {
            assert!(r.is_met(), "{name}: check at {goal} failed: {}", r.text());
        }
    }
}

#[test]
fn every_scenario_explains_itself_and_lists_its_commands() {
    for (name, text) in library() {
        let s = Scenario::from_yaml(&text).unwrap();
        assert!(!s.name.trim().is_empty(), "{name}: no name");
        let sentences = s.description.matches(". ").count() + 1;
        assert!(
            (2..=6).contains(&sentences),
            "{name}: the description has {sentences} sentences"
        );
        assert!(!s.commands.is_empty(), "{name}: no commands");
        assert!(s.lesson.is_none(), "{name}: lessons live in static/lessons");
    }
}

#[test]
fn timelines_use_only_the_listed_commands() {
    for (name, text) in library() {
        let s = Scenario::from_yaml(&text).unwrap();
        let listed: Vec<String> = s
            .commands
            .iter()
            .map(|c| Command::parse(c).unwrap().line())
            .collect();
        let mut used: Vec<String> = s
            .timeline
            .iter()
            .map(|st| st.command(&s.file).unwrap().line())
            .collect();
        if s.applies_manifests() {
            used.push(format!("kubectl apply -f {}", s.file));
        }
        for line in used {
            assert!(
                listed.contains(&line),
                "{name}: the timeline runs `{line}`, which `commands:` does not list"
            );
        }
    }
}

#[test]
fn a_session_plays_each_scenario_like_a_run() {
    for (name, text) in scenarios() {
        let s = Scenario::from_yaml(&text).unwrap();
        let (sim, _) = scenario::run(&s).unwrap();
        let mut session = Session::new(&text).unwrap();
        session.advance_to(s.end());
        assert_eq!(session.sim.store, sim.store, "{name}");
    }
}

#[test]
fn file_names_are_kebab_case_and_the_menu_lists_the_library_in_order() {
    for (name, _) in scenarios() {
        assert!(
            name.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
            "{name} is not kebab-case"
        );
    }
    let menu = std::fs::read_to_string(repo().join("src/scenarios.rs")).unwrap();
    let mut at = 0;
    for name in LIBRARY {
        let entry = format!("include_str!(\"../static/scenarios/{name}.yaml\")");
        let found = menu[at..].find(&entry).unwrap_or_else(|| {
            panic!("src/scenarios.rs does not list {name} after the one before")
        });
        at += found + entry.len();
    }
}

#[test]
fn checks_run_after_the_steps_of_their_instant_and_report_failures() {
    let text = "name: t
manifests: |
  apiVersion: apps/v1
  kind: Deployment
  metadata: {name: web}
  spec:
    replicas: 2
    selector: {matchLabels: {app: web}}
    template:
      metadata: {labels: {app: web}}
      spec: {containers: [{name: web, image: 'nginx:1.27'}]}
timeline:
- at: 10
  kubectl: kubectl scale deployment web --replicas=4
until: 30
checks:
- {at: 9, deployment: web, replicas: 2}
- {at: 10, deployment: web, replicas: 4}
- {deployment: web, readyReplicas: 5}
";
    let s = Scenario::from_yaml(text).unwrap();
    let (_, items) = scenario::run(&s).unwrap();
    let results = checks(&items);
    assert_eq!(results.len(), 3);
    assert!(results[0].1.is_met() && results[1].1.is_met());
    assert_eq!(
        results[2],
        (
            "30s web: 5 ready replicas".to_string(),
            &GoalResult::NotMet("web has 4 ready replicas (want 5)".into())
        )
    );
    let late = text.replace("at: 9,", "at: 31,");
    assert!(Scenario::from_yaml(&late)
        .unwrap_err()
        .contains("comes after the end of the run"));
}

#[test]
fn a_misspelt_field_is_an_error_not_ignored() {
    let err = Scenario::from_yaml("name: t\nchecsk:\n- {deployment: web}\n").unwrap_err();
    assert!(
        err.starts_with("checsk: unknown field `checsk`, expected one of"),
        "{err}"
    );
}

#[test]
fn impossible_cluster_values_are_refused_with_the_field_named() {
    let cases = [
        (
            "",
            "the scenario file is empty: it needs at least a name, a cluster or manifests",
        ),
        (
            "# only a comment\n---\n",
            "the scenario file is empty: it needs at least a name, a cluster or manifests",
        ),
        (
            "cluster:\n  nodeSize: {pods: -1}\n",
            "cluster.nodeSize.pods must be between 0 and 1000, got -1",
        ),
        (
            "cluster:\n  nodes:\n  - {name: a, pods: -5}\n",
            "cluster.nodes[0].pods must be between 0 and 1000, got -5",
        ),
        (
            "cluster:\n  nodes:\n  - {name: a}\n  - {name: b}\n  - {name: a}\n",
            "cluster.nodes[2].name: Duplicate value: \"a\"",
        ),
        (
            "cluster:\n  nodes:\n  - {name: a}\n  - {name: b, labels: {\"disk type\": ssd}}\n",
            "cluster.nodes[1].labels: Invalid value: \"disk type\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
        ),
        (
            "cluster:\n  nodeMonitorGracePeriodSeconds: -3\n",
            "cluster.nodeMonitorGracePeriodSeconds must be between 0 and 3600, got -3",
        ),
        (
            "cluster:\n  notReadyTolerationSeconds: 100000\n",
            "cluster.notReadyTolerationSeconds must be between 0 and 86400, got 100000",
        ),
        (
            "cluster:\n  nodeSize: {cpu: \"99999999999999999\"}\n",
            "cluster: invalid cpu quantity \"99999999999999999\"",
        ),
        (
            "cluster:\n  images:\n  - {image: a:1, port: 0}\n",
            "cluster.images[0].port must be between 1 and 65535, got 0",
        ),
        (
            "cluster:\n  images:\n  - {image: a:1, exitCode: 300}\n",
            "cluster.images[0].exitCode must be between 0 and 255, got 300",
        ),
        (
            "cluster:\n  images:\n  - {image: a:1, startSeconds: -1}\n",
            "cluster.images[0].startSeconds must be between 0 and 3600, got -1",
        ),
        (
            "cluster:\n  images:\n  - {image: a:1, pullSeconds: .nan}\n",
            "cluster.images[0].pullSeconds must be between 0 and 3600, got NaN",
        ),
        (
            "cluster:\n  images:\n  - {image: a:1, sizeMB: 18446744073709551615}\n",
            "cluster.images[0].sizeMB must be between 0 and 100000, got 18446744073709551615",
        ),
    ];
    for (text, want) in cases {
        assert_eq!(Scenario::from_yaml(text).unwrap_err(), want, "{text:?}");
    }
    // Times: at most a day, and no step after the end of the run.
    let late = Scenario::from_yaml("until: 5\ntimeline:\n- {at: 100, kubectl: kubectl get pods}\n");
    assert_eq!(
        late.unwrap_err(),
        "timeline: a step at 100s comes after the end of the run (5s)"
    );
    for at in ["99999999999999h", "86401", "25h"] {
        let text = format!("timeline:\n- {{at: '{at}', kubectl: kubectl get pods}}\n");
        let e = Scenario::from_yaml(&text.replace("'86401'", "86401")).unwrap_err();
        assert!(e.contains("of at most a day"), "{at}: {e}");
    }
    assert!(Scenario::from_yaml("cluster:\n  nodeSize: {pods: 0}\n").is_ok());
}

#[test]
fn a_crash_looping_pod_is_reported_once_as_crashing_not_also_as_a_failing_probe() {
    let (_, text) = library()
        .into_iter()
        .find(|(n, _)| n == "crash-loop")
        .unwrap();
    let mut session = Session::new(&text).unwrap();
    session.advance_to(kubesim::Time(60_000));
    let insight = kubesim::view::rollout_insight(&session.sim, "default", "shop").unwrap();
    let about_pods: Vec<&String> = insight
        .waiting_for
        .iter()
        .filter(|w| w.contains("are failing") || w.contains("readiness probe"))
        .collect();
    assert_eq!(about_pods.len(), 1, "{about_pods:?}");
    assert!(
        about_pods[0].starts_with("New pods are failing: 1 × ")
            && (about_pods[0].contains("CrashLoopBackOff") || about_pods[0].contains("Error")),
        "{about_pods:?}"
    );
}

#[test]
fn timeline_steps_run_in_time_order_in_a_session_and_in_the_downloaded_file() {
    let text = "name: order\nseed: 1\ntimeline:\n- at: 1m\n  kubectl: kubectl scale deployment web --replicas=5\n- at: 10\n  kubectl: kubectl create deployment web --image=nginx:1.27 --replicas=1\n- at: 20\n  kubectl: kubectl scale deployment web --replicas=2\n";
    let mut session = Session::new(text).unwrap();
    session.advance_to(kubesim::Time(90_000));
    let d = session.sim.store.deployments.values().next().expect("web");
    assert_eq!(d.spec.replicas, Some(5), "the step at 1m runs last");
    // A command typed at 32 s sits between the steps at 20 s and 1m in the scenario file.
    let mut session = Session::new(text).unwrap();
    session.advance_to(kubesim::Time(32_000));
    session.run(Command::Kubectl(
        "kubectl scale deployment web --replicas=3".into(),
    ));
    let file = session.to_scenario_yaml();
    let pos = |needle: &str| {
        file.find(needle)
            .unwrap_or_else(|| panic!("{needle} in {file}"))
    };
    assert!(pos("--replicas=2") < pos("--replicas=3"), "{file}");
    assert!(pos("--replicas=3") < pos("--replicas=5"), "{file}");
}
