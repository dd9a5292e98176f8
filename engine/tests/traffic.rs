//! Services, their endpoints and simulated client traffic: which pods a Service's Endpoints
//! and EndpointSlices list at each step of a rollout, the kubectl output for them (layouts
//! of upstream's printers and describers), and the traffic scenarios' outcomes — no failed
//! request for a correct rolling update, an outage for Recreate, errors without a readiness
//! probe, no capacity left with maxUnavailable 100%.

use kubesim::api::core::Pod;
use kubesim::cluster::ClusterConfig;
use kubesim::command::Output;
use kubesim::controllers::replicaset::is_pod_ready;
use kubesim::scenario::{self, Scenario};
use kubesim::session::Session;
use kubesim::store::key;
use kubesim::view::{self, ServiceTrafficView};
use kubesim::{Command, Sim, Time};
use std::collections::BTreeMap;

const ROLLING: &str = include_str!("../../static/scenarios/traffic-rolling.yaml");
const RECREATE: &str = include_str!("../../static/scenarios/traffic-recreate.yaml");
const NO_PROBE: &str = include_str!("../../static/scenarios/traffic-no-probe.yaml");
const MAX_UNAVAILABLE: &str = include_str!("../../static/scenarios/traffic-max-unavailable.yaml");

/// A Service and a Deployment of `replicas` nginx pods with a readiness probe.
fn web(replicas: i64, image: &str) -> String {
    format!(
        "apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
  - port: 80
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: {replicas}
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: nginx
        image: {image}
        readinessProbe:
          tcpSocket:
            port: 80
          periodSeconds: 1
"
    )
}

fn exec(sim: &mut Sim, cmd: Command) -> Output {
    let out = sim.execute(&cmd);
    assert!(out.success(), "{}", out.text());
    out
}

fn cluster(replicas: i64) -> Sim {
    let mut sim = Sim::new(ClusterConfig::default(), 7);
    exec(
        &mut sim,
        Command::Apply {
            file: "web.yaml".into(),
            yaml: web(replicas, "nginx:1.27"),
        },
    );
    sim.advance_to(Time(30_000));
    sim
}

fn ok(sim: &mut Sim, line: &str) -> String {
    let out = kubesim::kubectl::run(sim, line);
    assert_eq!((out.exit_code, out.stderr.as_str()), (0, ""), "{line}");
    out.stdout
}

fn web_pods(sim: &Sim) -> Vec<&Pod> {
    sim.store
        .pods_in("default")
        .filter(|p| p.metadata.labels.get("app").map(String::as_str) == Some("web"))
        .collect()
}

/// Pod IPs in `LessEndpointAddress` order (numeric).
fn sorted_ips(mut ips: Vec<String>) -> Vec<String> {
    kubesim::order::sort_by_key(&mut ips, |ip| {
        ip.split('.')
            .map(|o| o.parse::<u32>().unwrap())
            .collect::<Vec<_>>()
    });
    ips
}

/// A `get` row: every cell but the last padded to its column width.
fn row(cells: &[(&str, usize)], last: &str) -> String {
    let mut s: String = cells.iter().map(|(c, w)| format!("{c:<w$}")).collect();
    s.push_str(last);
    s.push('\n');
    s
}

/// What a pod's place in its Service's endpoints was at one instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Membership {
    NoAddress,
    NotReady,
    Ready,
    Terminating,
    /// Its container has stopped (phase Succeeded or Failed) and the pod is about to go:
    /// never an endpoint (`ShouldPodBeInEndpoints`).
    Terminal,
}

/// Checks every selected pod against the Endpoints and the EndpointSlice (the rules of the
/// endpoints and EndpointSlice controllers) and returns what each pod was.
fn check_membership(sim: &Sim) -> BTreeMap<String, Membership> {
    let ep = &sim.store.endpoints[&key("default", "web")];
    let ready: Vec<&str> = ep
        .subsets
        .iter()
        .flat_map(|s| s.addresses.iter().map(|a| a.ip.as_str()))
        .collect();
    let not_ready: Vec<&str> = ep
        .subsets
        .iter()
        .flat_map(|s| s.not_ready_addresses.iter().map(|a| a.ip.as_str()))
        .collect();
    let slice: BTreeMap<String, (bool, bool, bool, String)> = sim
        .store
        .slices_of_service("default", "web")
        .flat_map(|s| s.endpoints.iter())
        .map(|e| {
            let c = &e.conditions;
            (
                e.target_ref.as_ref().unwrap().name.clone(),
                (
                    c.ready.unwrap(),
                    c.serving.unwrap(),
                    c.terminating.unwrap(),
                    e.addresses[0].clone(),
                ),
            )
        })
        .collect();
    let mut seen = BTreeMap::new();
    let mut listed = 0;
    for p in web_pods(sim) {
        let name = p.metadata.name.clone();
        let Some(ip) = p.status.pod_ip.clone() else {
            assert!(!slice.contains_key(&name), "{name} has no IP but is listed");
            seen.insert(name, Membership::NoAddress);
            continue;
        };
        if matches!(p.status.phase.as_str(), "Succeeded" | "Failed") {
            assert!(!slice.contains_key(&name), "{name} is terminal but listed");
            assert!(!ready.contains(&ip.as_str()) && !not_ready.contains(&ip.as_str()));
            seen.insert(name, Membership::Terminal);
            continue;
        }
        listed += 1;
        let (s_ready, s_serving, s_terminating, s_ip) = slice
            .get(&name)
            .unwrap_or_else(|| panic!("{name} ({ip}) missing from the EndpointSlice"))
            .clone();
        assert_eq!(s_ip, ip);
        let m = if p.metadata.is_terminating() {
            assert!(!ready.contains(&ip.as_str()) && !not_ready.contains(&ip.as_str()));
            assert_eq!(
                (s_ready, s_serving, s_terminating),
                (false, is_pod_ready(p), true),
                "{name}"
            );
            Membership::Terminating
        } else if is_pod_ready(p) {
            assert!(ready.contains(&ip.as_str()), "{name} should be ready");
            assert_eq!((s_ready, s_serving, s_terminating), (true, true, false));
            Membership::Ready
        } else {
            assert!(
                not_ready.contains(&ip.as_str()),
                "{name} should be not ready"
            );
            assert_eq!((s_ready, s_serving, s_terminating), (false, false, false));
            Membership::NotReady
        };
        seen.insert(name, m);
    }
    assert_eq!(
        slice.len(),
        listed,
        "the slice lists exactly the pods with an IP"
    );
    let live = seen
        .values()
        .filter(|m| matches!(m, Membership::Ready | Membership::NotReady))
        .count();
    assert_eq!(ready.len() + not_ready.len(), live);
    seen
}

#[test]
fn endpoints_follow_a_rolling_update_step_by_step() {
    let mut sim = cluster(3);
    let before = check_membership(&sim);
    assert_eq!(
        before.values().copied().collect::<Vec<_>>(),
        vec![Membership::Ready; 3]
    );
    let old: Vec<String> = before.keys().cloned().collect();
    exec(
        &mut sim,
        Command::Kubectl("kubectl set image deployment/web nginx=nginx:1.28".into()),
    );
    // The new pod exists but has no IP yet: it is nowhere in the endpoints.
    let now = check_membership(&sim);
    assert_eq!(now.len(), 4);
    assert!(now
        .iter()
        .any(|(n, m)| !old.contains(n) && *m == Membership::NoAddress));
    let mut history: Vec<(Time, BTreeMap<String, Membership>)> = Vec::new();
    while let Some(t) = sim.step() {
        if t > Time(90_000) {
            break;
        }
        history.push((t, check_membership(&sim)));
    }
    let states_of = |pod: &str| -> Vec<Membership> {
        let mut v: Vec<Membership> = history
            .iter()
            .filter_map(|(_, m)| m.get(pod).copied())
            .collect();
        v.dedup();
        v
    };
    // Each new pod: no address, then not ready (sandbox up, probe not passed), then ready.
    let new: Vec<String> = history
        .last()
        .unwrap()
        .1
        .keys()
        .filter(|n| !old.contains(n))
        .cloned()
        .collect();
    assert_eq!(new.len(), 3, "{history:?}");
    for n in &new {
        let states = states_of(n);
        assert_eq!(states.last(), Some(&Membership::Ready), "{n}: {states:?}");
        assert!(states.contains(&Membership::NotReady), "{n}: {states:?}");
    }
    // Each old pod leaves the ready addresses the moment it terminates, and the slice once
    // its container has stopped, before it goes.
    for n in &old {
        assert_eq!(
            states_of(n),
            vec![
                Membership::Ready,
                Membership::Terminating,
                Membership::Terminal
            ],
            "{n}"
        );
    }
    // maxUnavailable 25% of 3 is 0: three ready endpoints at every step.
    for (t, m) in &history {
        let ready = m.values().filter(|x| **x == Membership::Ready).count();
        assert!(ready >= 3, "{ready} ready endpoints at {}", t.clock());
    }
    let ep = &sim.store.endpoints[&key("default", "web")];
    let ips: Vec<String> = ep.subsets[0]
        .addresses
        .iter()
        .map(|a| a.ip.clone())
        .collect();
    assert_eq!(ips, sorted_ips(ips.clone()), "addresses sorted by IP");
    assert_eq!(
        ep.metadata.labels.get("endpoints.kubernetes.io/managed-by"),
        Some(&"endpoint-controller".to_string())
    );
}

#[test]
fn the_slice_keeps_its_name_through_recreate_and_becomes_a_placeholder() {
    let mut sim = cluster(2);
    let name = |sim: &Sim| -> Vec<String> {
        sim.store
            .slices_of_service("default", "web")
            .map(|s| s.metadata.name.clone())
            .collect()
    };
    let first = name(&sim);
    assert_eq!(first.len(), 1);
    assert!(
        first[0].starts_with("web-") && first[0].len() == 9,
        "{first:?}"
    );
    exec(
        &mut sim,
        Command::Kubectl("kubectl scale deployment web --replicas=0".into()),
    );
    sim.advance_to(Time(60_000));
    let slice = sim
        .store
        .slices_of_service("default", "web")
        .next()
        .unwrap();
    assert!(
        slice.endpoints.is_empty() && slice.ports.is_empty(),
        "{slice:?}"
    );
    assert_eq!(name(&sim), first, "the placeholder reuses the slice");
    assert_eq!(
        ok(&mut sim, "kubectl get endpointslices -l kubernetes.io/service-name=web"),
        format!("NAME        ADDRESSTYPE   PORTS     ENDPOINTS   AGE\n{}   IPv4          <unset>   <unset>     60s\n", first[0])
    );
    exec(
        &mut sim,
        Command::Kubectl("kubectl scale deployment web --replicas=2".into()),
    );
    sim.advance_to(Time(90_000));
    assert_eq!(name(&sim), first);
    assert_eq!(check_membership(&sim).len(), 2);
    // Deleting the Service deletes its Endpoints and (through the owner reference) the slice.
    exec(&mut sim, Command::Kubectl("kubectl delete svc web".into()));
    assert!(!sim.store.endpoints.contains_key(&key("default", "web")));
    assert_eq!(sim.store.slices_of_service("default", "web").count(), 0);
}

#[test]
fn a_slice_holds_at_most_one_hundred_endpoints() {
    let mut sim = cluster(105);
    sim.advance_to(Time(60_000));
    let mut sizes: Vec<usize> = sim
        .store
        .slices_of_service("default", "web")
        .map(|s| s.endpoints.len())
        .collect();
    kubesim::order::sort(&mut sizes);
    assert_eq!(sizes, vec![5, 100]);
    let ep = &sim.store.endpoints[&key("default", "web")];
    assert_eq!(ep.subsets[0].addresses.len(), 105);
}

#[test]
fn get_svc_endpoints_and_endpointslices() {
    let mut sim = cluster(4);
    let svc = &sim.store.services[&key("default", "web")];
    let ip = svc.spec.cluster_ip.clone().unwrap();
    let octets: Vec<u32> = ip.split('.').map(|o| o.parse().unwrap()).collect();
    // The dynamic band of 10.96.0.0/12, above the 256 addresses kept for fixed IPs.
    assert!(octets[0] == 10 && (96..112).contains(&octets[1]), "{ip}");
    assert!(!(octets[1] == 96 && octets[2] == 0), "{ip}");
    let w = ip.len() + 3;
    assert_eq!(
        ok(&mut sim, "kubectl get svc web"),
        row(
            &[
                ("NAME", 7),
                ("TYPE", 12),
                ("CLUSTER-IP", w),
                ("EXTERNAL-IP", 14),
                ("PORT(S)", 10)
            ],
            "AGE"
        ) + &row(
            &[
                ("web", 7),
                ("ClusterIP", 12),
                (&ip, w),
                ("<none>", 14),
                ("80/TCP", 10)
            ],
            "30s"
        )
    );
    assert!(ok(&mut sim, "kubectl get services web -o wide").ends_with("   30s   app=web\n"));
    // Endpoints: ready addresses sorted by IP, three shown, then "+ 1 more...".
    let ips = sorted_ips(
        web_pods(&sim)
            .iter()
            .map(|p| p.status.pod_ip.clone().unwrap())
            .collect(),
    );
    let cell = format!("{}:80,{}:80,{}:80 + 1 more...", ips[0], ips[1], ips[2]);
    let out = kubesim::kubectl::run(&mut sim, "kubectl get ep web");
    assert_eq!(
        out.stdout,
        row(&[("NAME", 7), ("ENDPOINTS", cell.len() + 3)], "AGE")
            + &row(&[("web", 7), (&cell, cell.len() + 3)], "30s")
    );
    assert_eq!(
        out.stderr,
        "Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice\n"
    );
    // EndpointSlices: every address in slice order, whatever its conditions.
    let slice = sim
        .store
        .slices_of_service("default", "web")
        .next()
        .unwrap();
    let name = slice.metadata.name.clone();
    let addrs: Vec<String> = slice
        .endpoints
        .iter()
        .map(|e| e.addresses[0].clone())
        .collect();
    let cell = format!("{},{},{} + 1 more...", addrs[0], addrs[1], addrs[2]);
    let wn = name.len() + 3;
    assert_eq!(
        ok(
            &mut sim,
            "kubectl get endpointslices -l kubernetes.io/service-name=web"
        ),
        row(
            &[
                ("NAME", wn),
                ("ADDRESSTYPE", 14),
                ("PORTS", 8),
                ("ENDPOINTS", cell.len() + 3)
            ],
            "AGE"
        ) + &row(
            &[
                (&name, wn),
                ("IPv4", 14),
                ("80", 8),
                (&cell, cell.len() + 3)
            ],
            "30s"
        )
    );
    let yaml = ok(
        &mut sim,
        &format!("kubectl get endpointslice {name} -o yaml"),
    );
    assert!(
        yaml.starts_with(
            "addressType: IPv4\napiVersion: discovery.k8s.io/v1\nendpoints:\n- addresses:\n"
        ),
        "{yaml}"
    );
    assert!(
        yaml.contains(
            "  conditions:\n    ready: true\n    serving: true\n    terminating: false\n"
        ),
        "{yaml}"
    );
    assert!(
        yaml.contains("    kubernetes.io/service-name: web\n"),
        "{yaml}"
    );
    assert!(
        yaml.contains("ports:\n- name: \"\"\n  port: 80\n  protocol: TCP\n"),
        "{yaml}"
    );
    // Only not-ready addresses: subsets exist, so the ENDPOINTS cell is empty, not <none>.
    exec(
        &mut sim,
        Command::Kubectl("kubectl set image deployment/web nginx=nginx:1.2x".into()),
    );
    exec(
        &mut sim,
        Command::Kubectl("kubectl scale deployment web --replicas=0".into()),
    );
    exec(
        &mut sim,
        Command::Kubectl("kubectl scale deployment web --replicas=1".into()),
    );
    sim.advance_to(Time(45_000));
    let out = kubesim::kubectl::run(&mut sim, "kubectl get endpoints web");
    assert_eq!(
        out.stdout,
        "NAME   ENDPOINTS   AGE\nweb                45s\n"
    );
}

#[test]
fn describe_service_endpoints_and_endpointslice() {
    let mut sim = cluster(2);
    let svc = sim.store.services[&key("default", "web")].clone();
    let ip = svc.spec.cluster_ip.clone().unwrap();
    let slice = sim
        .store
        .slices_of_service("default", "web")
        .next()
        .unwrap()
        .clone();
    let addrs: Vec<String> = slice
        .endpoints
        .iter()
        .map(|e| e.addresses[0].clone())
        .collect();
    assert_eq!(
        ok(&mut sim, "kubectl describe svc web"),
        format!(
            "Name:                     web
Namespace:                default
Labels:                   <none>
Annotations:              <none>
Selector:                 app=web
Type:                     ClusterIP
IP Family Policy:         SingleStack
IP Families:              IPv4
IP:                       {ip}
IPs:                      {ip}
Port:                     <unset>  80/TCP
TargetPort:               80/TCP
Endpoints:                {}:80,{}:80
Session Affinity:         None
Internal Traffic Policy:  Cluster
Events:                   <none>
",
            addrs[0], addrs[1]
        )
    );
    let ep = &sim.store.endpoints[&key("default", "web")];
    let trigger =
        ep.metadata.annotations["endpoints.kubernetes.io/last-change-trigger-time"].clone();
    assert!(
        trigger.starts_with("2026-01-05T09:00:") && trigger.ends_with('Z'),
        "{trigger}"
    );
    let ips = sorted_ips(addrs.clone());
    let out = kubesim::kubectl::run(&mut sim, "kubectl describe endpoints web");
    assert_eq!(
        out.stdout,
        format!(
            "Name:         web
Namespace:    default
Labels:       endpoints.kubernetes.io/managed-by=endpoint-controller
Annotations:  endpoints.kubernetes.io/last-change-trigger-time: {trigger}
Subsets:
  Addresses:          {},{}
  NotReadyAddresses:  <none>
  Ports:
    Name     Port  Protocol
    ----     ----  --------
    <unset>  80    TCP

Events:  <none>
",
            ips[0], ips[1]
        )
    );
    assert!(out
        .stderr
        .starts_with("Warning: v1 Endpoints is deprecated"));
    let pod = |i: usize| slice.endpoints[i].target_ref.as_ref().unwrap().name.clone();
    let node = |i: usize| slice.endpoints[i].node_name.clone().unwrap();
    let endpoint = |i: usize| {
        format!(
            "  - Addresses:  {}
    Conditions:
      Ready:    true
    Hostname:   <unset>
    TargetRef:  Pod/{}
    NodeName:   {}
    Zone:       <unset>
",
            addrs[i],
            pod(i),
            node(i)
        )
    };
    assert_eq!(
        ok(
            &mut sim,
            &format!("kubectl describe endpointslice {}", slice.metadata.name)
        ),
        format!(
            "Name:         {}
Namespace:    default
Labels:       endpointslice.kubernetes.io/managed-by=endpointslice-controller.k8s.io
              kubernetes.io/service-name=web
Annotations:  endpoints.kubernetes.io/last-change-trigger-time: {}
AddressType:  IPv4
Ports:
  Name     Port  Protocol
  ----     ----  --------
  <unset>  80    TCP
Endpoints:
{}{}Events:         <none>
",
            slice.metadata.name,
            slice.metadata.annotations["endpoints.kubernetes.io/last-change-trigger-time"],
            endpoint(0),
            endpoint(1)
        )
    );
}

#[test]
fn a_service_without_ready_pods_has_an_empty_endpoints_line() {
    let mut sim = Sim::new(ClusterConfig::default(), 3);
    exec(
        &mut sim,
        Command::Apply {
            file: "web.yaml".into(),
            yaml: web(1, "nginx:1.2x"),
        },
    );
    sim.advance_to(Time(20_000));
    let described = ok(&mut sim, "kubectl describe service web");
    assert!(
        described.contains("\nEndpoints:                \nSession Affinity:"),
        "{described}"
    );
}

/// Runs a scenario file to its end and returns its one traffic stream.
fn traffic_of(text: &str) -> ServiceTrafficView {
    let s = Scenario::from_yaml(text).unwrap();
    let (sim, _) = scenario::run(&s).unwrap();
    let mut v = view::traffic(&sim).expect("the scenario configures traffic");
    assert_eq!(v.services.len(), 1);
    v.services.remove(0)
}

#[test]
fn a_correct_rolling_update_fails_no_request() {
    let t = traffic_of(ROLLING);
    assert_eq!(
        (t.totals.failed, t.totals.all_failed),
        (0, 0),
        "{:?}",
        t.totals
    );
    assert_eq!(
        t.totals.since,
        Time(30_000),
        "counting restarts at the rollout"
    );
    assert_eq!(t.totals.revision, Some(2));
    assert!(t.totals.served_old > 0 && t.totals.served_new > 0);
    // 20 requests every second, served by revision 1, then both, then revision 2.
    assert!(t
        .seconds
        .iter()
        .all(|s| s.served.values().sum::<u32>() == 20 && s.failed == 0));
    assert!(t.seconds.iter().any(|s| s.served.len() == 2));
    assert_eq!(t.seconds.last().unwrap().served, BTreeMap::from([(2, 20)]));
    assert!(t.seconds.iter().all(|s| s.endpoints == 4));
    assert_eq!(t.recent.len(), 50);
    assert!(t.recent.iter().all(|r| r.ok && r.revision == Some(2)));
}

#[test]
fn recreate_has_an_outage_window() {
    let t = traffic_of(RECREATE);
    let outage: Vec<u64> = t
        .seconds
        .iter()
        .filter(|s| s.failed > 0 && s.served.is_empty())
        .map(|s| s.start.0 / 1000)
        .collect();
    assert!(outage.len() >= 10, "{outage:?}");
    assert!(
        outage.windows(2).all(|w| w[1] == w[0] + 1),
        "one contiguous window: {outage:?}"
    );
    assert_eq!(outage[0], 30, "the outage starts with the rollout");
    assert_eq!(t.totals.outage_seconds, outage.len() as u64);
    assert!(t.totals.failed_by_reason["no ready endpoints"] > 0);
    // Before and after the window everything is served.
    assert!(t
        .seconds
        .iter()
        .filter(|s| !outage.contains(&(s.start.0 / 1000))
            && s.start.0 / 1000 != outage[outage.len() - 1] + 1)
        .all(|s| s.failed == 0));
    assert_eq!(
        t.totals.served_old, 0,
        "no old pod serves once Recreate starts"
    );
}

#[test]
fn without_a_readiness_probe_requests_reach_pods_still_starting() {
    let t = traffic_of(NO_PROBE);
    assert!(t.totals.failed > 0);
    assert_eq!(
        t.totals.failed_by_reason.keys().collect::<Vec<_>>(),
        vec!["pod not serving yet"]
    );
    assert_eq!(t.totals.outage_seconds, 0, "some pods serve all along");
    let roll = traffic_of(ROLLING);
    assert_eq!(
        roll.totals.failed, 0,
        "the same rollout with a probe fails nothing"
    );
}

#[test]
fn max_unavailable_100_percent_leaves_no_endpoint_for_a_while() {
    let t = traffic_of(MAX_UNAVAILABLE);
    assert!(t.seconds.iter().any(|s| s.endpoints == 0 && s.failed > 0));
    assert!(t.totals.outage_seconds > 0);
    let recreate = traffic_of(RECREATE);
    assert!(
        t.totals.outage_seconds < recreate.totals.outage_seconds,
        "new pods start at once, sooner than with Recreate: {} vs {}",
        t.totals.outage_seconds,
        recreate.totals.outage_seconds
    );
}

#[test]
fn traffic_is_deterministic_and_independent_of_how_time_is_split() {
    assert_eq!(traffic_of(RECREATE), traffic_of(RECREATE));
    let whole = {
        let mut s = Session::new(RECREATE).unwrap();
        s.advance_to(Time(70_000));
        view::traffic(&s.sim).unwrap()
    };
    let mut s = Session::new(RECREATE).unwrap();
    let mut t = 0;
    let mut step = 1;
    while t < 70_000 {
        t = (t + step).min(70_000);
        step = step * 7 % 997 + 13;
        s.advance_to(Time(t));
    }
    assert_eq!(view::traffic(&s.sim).unwrap(), whole);
    assert_eq!(whole.services[0], traffic_of(RECREATE));
}

#[test]
fn traffic_can_be_started_and_stopped_by_command() {
    let mut sim = cluster(2);
    assert!(view::traffic(&sim).is_none());
    let out = sim.execute(&Command::parse("kubesim traffic nope 5").unwrap());
    assert_eq!(
        out.stderr,
        "Error from server (NotFound): services \"nope\" not found\n"
    );
    let out = exec(&mut sim, Command::parse("kubesim traffic web 4").unwrap());
    assert_eq!(
        out.stdout,
        "traffic to service/web: 4 requests per second\n"
    );
    sim.advance_to(Time(40_000));
    let t = &view::traffic(&sim).unwrap().services[0];
    assert_eq!((t.totals.all_served, t.totals.all_failed), (40, 0));
    let pods: Vec<&str> = t.recent.iter().filter_map(|r| r.pod.as_deref()).collect();
    assert!(
        pods[0] != pods[1] && pods.chunks(2).all(|c| c == &pods[0..2]),
        "round robin over the two pods: {pods:?}"
    );
    assert_eq!(t.recent[0].at, Time(30_000));
    let out = exec(&mut sim, Command::parse("kubesim traffic web 0").unwrap());
    assert_eq!(out.stdout, "traffic to service/web stopped\n");
    sim.advance_to(Time(60_000));
    let t = &view::traffic(&sim).unwrap().services[0];
    assert_eq!((t.rps, t.totals.all_served), (0, 40));
    // No Service: every request fails.
    exec(&mut sim, Command::parse("kubesim traffic web 2").unwrap());
    exec(
        &mut sim,
        Command::Kubectl("kubectl delete service web".into()),
    );
    sim.advance_to(Time(65_000));
    let t = &view::traffic(&sim).unwrap().services[0];
    assert_eq!(t.totals.failed_by_reason["service not found"], 10);
}

#[test]
fn every_built_in_scenario_loads() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../static/scenarios");
    let mut n = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("yaml") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        Session::new(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        n += 1;
    }
    assert!(n >= 4);
}

#[test]
fn cluster_ips_and_node_ports_are_allocated_once_and_distinct() {
    let mut sim = Sim::new(ClusterConfig::default(), 5);
    let mut yaml = String::new();
    for i in 0..30 {
        yaml.push_str(&format!(
            "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: s{i}\nspec:\n  type: NodePort\n  selector:\n    app: s{i}\n  ports:\n  - port: 80\n"
        ));
    }
    exec(
        &mut sim,
        Command::Apply {
            file: "svc.yaml".into(),
            yaml: yaml.clone(),
        },
    );
    let alloc = |sim: &Sim| -> Vec<(String, i64)> {
        sim.store
            .services
            .values()
            .filter(|s| s.metadata.name != "kubernetes")
            .map(|s| {
                (
                    s.spec.cluster_ip.clone().unwrap(),
                    s.spec.ports[0].node_port.unwrap(),
                )
            })
            .collect()
    };
    let first = alloc(&sim);
    let mut ips: Vec<&String> = first.iter().map(|(ip, _)| ip).collect();
    kubesim::order::sort(&mut ips);
    ips.dedup();
    let mut ports: Vec<i64> = first.iter().map(|(_, p)| *p).collect();
    kubesim::order::sort(&mut ports);
    ports.dedup();
    assert_eq!((ips.len(), ports.len()), (30, 30));
    assert!(ports.iter().all(|p| (30000..=32767).contains(p)));
    // Applying the same file again changes nothing: the allocations are kept.
    let out = exec(
        &mut sim,
        Command::Apply {
            file: "svc.yaml".into(),
            yaml,
        },
    );
    assert!(
        out.stdout.lines().all(|l| l.ends_with(" unchanged")),
        "{}",
        out.stdout
    );
    assert_eq!(alloc(&sim), first);
    let (ip, port) = &first[0];
    let table = ok(&mut sim, "kubectl get svc s0");
    assert!(
        table.contains(&format!(
            "   NodePort   {ip}   <none>        80:{port}/TCP   0s\n"
        )),
        "{table}"
    );
    let described = ok(&mut sim, "kubectl describe svc s0");
    assert!(
        described.contains(&format!(
            "NodePort:                 <unset>  {port}/TCP\nEndpoints:                \nSession Affinity:         None\nExternal Traffic Policy:  Cluster\nInternal Traffic Policy:  Cluster\n"
        )),
        "{described}"
    );
}
