//! Property tests over random rollouts: the guarantees upstream's controller gives
//! (k8s-semantics.md §1.6) hold after every step, the cluster converges once the actions stop,
//! no sequence of commands panics, no text given to `kubectl apply` panics or changes
//! anything when it is rejected, and no container script panics or runs without bound.

mod common;

use common::*;
use kubesim::{Command, Sim, Time};
use proptest::prelude::*;

const TAGS: &[&str] = &["1.25", "1.26", "1.27", "1.28", "1.29", "stable", "mainline"];

fn limit() -> impl Strategy<Value = String> {
    prop_oneof![
        (0i64..4).prop_map(|i| i.to_string()),
        prop::sample::select(vec!["0%", "10%", "25%", "33%", "50%", "100%"]).prop_map(String::from),
    ]
}

/// A valid rolling strategy (not both limits literally zero).
fn strategy() -> impl Strategy<Value = (String, String)> {
    (limit(), limit()).prop_filter("both zero is rejected by validation", |(s, u)| {
        let zero = |v: &str| v == "0" || v == "0%";
        !(zero(s) && zero(u))
    })
}

#[derive(Debug, Clone)]
enum Act {
    SetImage(usize),
    DeletePod(usize),
    Scale(i64),
    Pause,
    Resume,
    Undo,
}

fn template_changes() -> impl Strategy<Value = Vec<(u64, Act)>> {
    prop::collection::vec(
        (0u64..20_000, (0usize..TAGS.len()).prop_map(Act::SetImage)),
        1..5,
    )
}

fn any_actions() -> impl Strategy<Value = Vec<(u64, Act)>> {
    let act = prop_oneof![
        (0usize..TAGS.len()).prop_map(Act::SetImage),
        (0usize..12).prop_map(Act::DeletePod),
        (0i64..15).prop_map(Act::Scale),
        Just(Act::Pause),
        Just(Act::Resume),
        Just(Act::Undo),
    ];
    prop::collection::vec((0u64..30_000, act), 1..8)
}

fn command(a: &Act) -> Command {
    match a {
        Act::SetImage(i) => Command::Kubectl(format!(
            "kubectl set image deployment/web web=nginx:{}",
            TAGS[*i]
        )),
        Act::DeletePod(i) => Command::parse(&format!("kubesim delete-pod web {i}")).unwrap(),
        Act::Scale(r) => Command::Kubectl(format!("kubectl scale deployment web --replicas={r}")),
        Act::Pause => Command::Kubectl("kubectl rollout pause deployment/web".into()),
        Act::Resume => Command::Kubectl("kubectl rollout resume deployment/web".into()),
        Act::Undo => Command::Kubectl("kubectl rollout undo deployment/web".into()),
    }
}

fn setup(replicas: i64, s: &(String, String), d_secs: f64) -> Sim {
    let mut sim = uniform_cluster(d_secs);
    apply(
        &mut sim,
        &deployment_yaml("web", replicas, &rolling(&s.0, &s.1), "nginx:1.24"),
    );
    sim.advance_to(Time(60_000));
    assert_eq!(
        totals(&sim).1,
        replicas,
        "fully available before the actions"
    );
    sim
}

fn totals(sim: &Sim) -> (i64, i64, i64, i64) {
    let d = sim.store.deployments.values().next().expect("deployment");
    let spec: i64 = sim
        .store
        .replicasets
        .values()
        .map(|rs| rs.spec.replicas)
        .sum();
    let (surge, unavailable) = resolve(d);
    (spec, d.status.available_replicas, surge, unavailable)
}

fn resolve(d: &kubesim::api::apps::Deployment) -> (i64, i64) {
    (
        kubesim::controllers::deployment::util::max_surge(d),
        kubesim::controllers::deployment::util::max_unavailable(d),
    )
}

/// Runs the actions, checking `check` after every timer and every command.
fn run_checked(sim: &mut Sim, actions: &[(u64, Act)], check: &mut dyn FnMut(&Sim)) {
    let mut t = sim.now;
    for (delay, a) in actions {
        t = t.plus_ms(*delay);
        while let Some(next) = sim.next_timer().filter(|n| *n <= t) {
            sim.advance_to(next);
            check(sim);
        }
        sim.advance_to(t);
        sim.execute(&command(a));
        check(sim);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn total_replicas_never_exceed_replicas_plus_surge(
        replicas in 1i64..12, s in strategy(), actions in template_changes(), d in 1u32..20
    ) {
        let mut sim = setup(replicas, &s, d as f64);
        let mut worst = None;
        run_checked(&mut sim, &actions, &mut |sim| {
            let (spec, _, surge, _) = totals(sim);
            if spec > replicas + surge && worst.is_none() {
                worst = Some((sim.now, spec, replicas + surge));
            }
        });
        prop_assert!(worst.is_none(), "Σ spec above R + maxSurge: {:?}", worst);
    }

    #[test]
    fn availability_never_drops_below_replicas_minus_unavailable(
        replicas in 1i64..12, s in strategy(), actions in template_changes(), d in 1u32..20
    ) {
        let mut sim = setup(replicas, &s, d as f64);
        let mut worst = None;
        run_checked(&mut sim, &actions, &mut |sim| {
            let (_, available, _, unavailable) = totals(sim);
            if available < replicas - unavailable && worst.is_none() {
                worst = Some((sim.now, available, replicas - unavailable));
            }
        });
        prop_assert!(worst.is_none(), "available below R − maxUnavailable: {:?}", worst);
    }

    #[test]
    fn converges_once_actions_stop(
        replicas in 1i64..10, s in strategy(), actions in any_actions(), d in 1u32..20
    ) {
        let mut sim = setup(replicas, &s, d as f64);
        run_checked(&mut sim, &actions, &mut |_| {});
        sim.execute(&Command::Kubectl("kubectl rollout resume deployment/web".into()));
        let end = sim.now.plus_ms(30 * 60_000);
        sim.advance_to(end);
        let dep = sim.store.deployments.values().next().unwrap().clone();
        let r = dep.replicas();
        prop_assert_eq!(dep.status.replicas, r);
        prop_assert_eq!(dep.status.updated_replicas, r);
        prop_assert_eq!(dep.status.available_replicas, r);
        let active: Vec<_> = sim.store.replicasets.values().filter(|rs| rs.spec.replicas > 0).collect();
        prop_assert!(active.len() <= 1, "one active ReplicaSet at the end, got {}", active.len());
        let live = sim.store.pods.values().filter(|p| p.metadata.deletion_timestamp.is_none()).count() as i64;
        prop_assert_eq!(live, r);
    }

    #[test]
    fn arbitrary_command_lines_never_panic(lines in prop::collection::vec(".{0,80}", 1..6)) {
        let mut sim = setup(3, &("25%".into(), "25%".into()), 2.0);
        for l in &lines {
            sim.execute(&Command::Kubectl(l.clone()));
            sim.execute(&Command::Kubectl(format!("kubectl {l}")));
            let at = sim.now.plus_ms(1500);
            sim.advance_to(at);
        }
    }
}

/// Manifests as users break them: a valid Deployment with some characters replaced by
/// YAML-significant ones, or any text at all.
fn broken_manifest() -> impl Strategy<Value = String> {
    let valid = deployment_yaml("web", 3, &rolling("25%", "25%"), "nginx:1.25");
    let edits = prop::collection::vec(
        (
            0..valid.len(),
            prop::sample::select(vec![
                ":", "-", " ", "\n", "{", "[", "'", "\"", "#", "&a", "*a", "!!", "<<", "9", "x",
            ]),
        ),
        1..6,
    );
    prop_oneof![
        edits.prop_map(move |edits| {
            let mut text = valid.clone();
            for (at, with) in edits {
                let at = at.min(text.len());
                if text.is_char_boundary(at) {
                    text.replace_range(at..(at + 1).min(text.len()), with);
                }
            }
            text
        }),
        ".{0,300}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn a_rejected_apply_never_panics_and_changes_nothing(text in broken_manifest()) {
        let mut sim = setup(3, &("25%".into(), "25%".into()), 2.0);
        let before = sim.store.clone();
        let out = sim.execute(&Command::Apply { file: "web.yaml".into(), yaml: text });
        let applied = out.stdout.contains(" created") || out.stdout.contains(" configured");
        if !out.success() && !applied {
            prop_assert_eq!(&sim.store, &before, "{}", out.text());
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// A session is its scenario plus its command log: saving, restoring and seeking any
    /// random session reproduces the cluster exactly.
    #[test]
    fn any_session_restores_and_seeks_exactly(actions in any_actions(), back in 0u64..100_000) {
        use kubesim::session::{Saved, Session};
        let scenario = format!(
            "name: p\nseed: 9\nfile: web.yaml\nmanifests: |\n{}",
            deployment_yaml("web", 4, &rolling("25%", "25%"), "nginx:1.24")
                .lines()
                .map(|l| format!("  {l}\n"))
                .collect::<String>()
        );
        let mut live = Session::new(&scenario).unwrap();
        let mut t = 0;
        for (delay, act) in &actions {
            t += delay;
            live.advance_to(Time(t));
            live.run(command(act));
        }
        live.advance_to(Time(t + 60_000));
        let saved = Saved::from_yaml(&live.saved(None).to_yaml()).unwrap();
        let restored = Session::restore(&saved).unwrap();
        prop_assert_eq!(&restored.sim.store, &live.sim.store);
        prop_assert_eq!(&restored.sim.journal, &live.sim.journal);

        // Seeking back and forth lands on the same states as going straight there.
        let at = Time(back.min(t + 60_000));
        let mut seeker = restored;
        seeker.seek(at);
        let mut straight = Session::new(&scenario).unwrap();
        straight.log = live.log.clone();
        straight.advance_to(at);
        prop_assert_eq!(&seeker.sim.store, &straight.sim.store);
        seeker.seek(Time(t + 60_000));
        prop_assert_eq!(&seeker.sim.store, &live.sim.store);
    }
}

#[test]
fn rejected_applies_leave_the_cluster_as_it_was() {
    let mut sim = setup(3, &("25%".into(), "25%".into()), 2.0);
    let before = sim.store.clone();
    let valid = deployment_yaml("web", 5, &rolling("25%", "25%"), "nginx:1.26");
    for broken in [
        valid.replace("replicas: 5", "replicas: [5"),
        valid.replace("replicas: 5", "replicas: -5"),
        valid.replace("app: web", "app: other"),
        "\u{0}\u{1}{{{{".to_string(),
    ] {
        let out = sim.execute(&Command::Apply {
            file: "web.yaml".into(),
            yaml: broken.clone(),
        });
        assert!(!out.success(), "{broken}\n{}", out.text());
        assert_eq!(sim.store, before, "{}", out.text());
    }
}

#[test]
fn same_scenario_twice_gives_identical_traces() {
    let text = include_str!("../../static/scenarios/nginx.yaml");
    let s = kubesim::scenario::Scenario::from_yaml(text).unwrap();
    let (sim1, items1) = kubesim::scenario::run(&s).unwrap();
    let (sim2, items2) = kubesim::scenario::run(&s).unwrap();
    assert_eq!(
        kubesim::trace::jsonl(&sim1, &items1),
        kubesim::trace::jsonl(&sim2, &items2)
    );
    assert_eq!(sim1.store, sim2.store);
}

/// Pieces of shell syntax, so random scripts reach the parser's and the runner's corners.
const SHELL_PIECES: &[&str] = &[
    "echo",
    "x",
    " ",
    ";",
    "&&",
    "||",
    "|",
    "&",
    "\n",
    "(",
    ")",
    "{",
    "}",
    "$",
    "$(",
    "${",
    "}",
    "$((",
    "))",
    "`",
    "'",
    "\"",
    "\\",
    ">",
    ">>",
    "<",
    "2>&1",
    "1>&2",
    "while",
    "until",
    "do",
    "done",
    "for",
    "in",
    "if",
    "then",
    "elif",
    "else",
    "fi",
    "!",
    "sleep 1",
    "exit",
    "break",
    "continue",
    "true",
    "false",
    "[",
    "]",
    "-eq",
    "=",
    "$i",
    "i=$((i+1))",
    ":-",
    "#",
    "printf %s",
    "set -e",
    "exec",
    "seq 3",
    "cat",
    "touch /f",
    "/tmp/f",
    "é",
    "wget",
    "curl",
    " -qO-",
    " -sS",
    " -o /f",
    " -O",
    " -w %{http_code}\\n",
    " -I",
    " -f",
    " http://",
    "web:",
    "80",
    "/p?q#",
    "[::1]",
    "@",
];

/// A network whose every request alternates between the answers and failures a real one
/// gives, for the property below.
struct AnyNetwork;

impl kubesim::shell::Network for AnyNetwork {
    fn has(&self, program: &str) -> bool {
        matches!(program, "wget" | "curl")
    }

    fn get(
        &self,
        url: &kubesim::shell::Url,
        head: bool,
        n: u64,
    ) -> Result<kubesim::shell::Reply, kubesim::shell::NetError> {
        use kubesim::shell::NetError;
        match n % 5 {
            0 => Err(NetError::NoHost),
            1 => Err(NetError::Refused(url.host.clone())),
            2 => Err(NetError::TimedOut(url.host.clone())),
            3 => Err(NetError::NotHttp(url.host.clone())),
            _ => Ok(kubesim::shell::Reply {
                ip: "10.0.0.1".into(),
                status: if head { 200 } else { 404 },
                reason: "Not Found",
                headers: vec![("Content-Type".into(), "text/plain".into())],
                body: url.path.repeat(3),
            }),
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// No script a pod spec can hold panics the page, or runs without bound: the kubelet's
    /// run, the log and an exec probe each end with a bounded result.
    #[test]
    fn any_shell_script_ends_without_panicking(
        pieces in prop::collection::vec(prop::sample::select(SHELL_PIECES.to_vec()), 0..60)
    ) {
        let script: String = pieces.concat();
        let argv = vec!["sh".to_string(), "-c".to_string(), script];
        let env = kubesim::shell::Env::default();
        let exit = kubesim::shell::run(&argv, &env, u64::MAX, kubesim::shell::Mode::Exit);
        let log = kubesim::shell::run(&argv, &env, 600_000, kubesim::shell::Mode::Log);
        prop_assert!(log.lines.len() <= 20_000);
        // What decides a container's end agrees with its log where both know it.
        if let (Some(a), Some(b)) = (exit.exit, log.exit) {
            prop_assert_eq!(a, b);
        }
        let (status, _) = kubesim::shell::exec_in(&argv, &env, Default::default(), 1_000, None);
        prop_assert!(status.is_none_or(|s| (0..=255).contains(&s)));
        // `kubectl exec`, whose `wget` and `curl` reach a network.
        let (status, printed) =
            kubesim::shell::exec_in(&argv, &env, Default::default(), 1_000, Some(&AnyNetwork));
        prop_assert!(status.is_none_or(|s| (0..=255).contains(&s)));
        prop_assert!(printed.stdout.len() + printed.stderr.len() <= 4 << 20);
    }
}
