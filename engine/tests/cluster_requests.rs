//! Requests from inside a pod with `kubectl exec … wget` (busybox) and `… curl` (nginx, the
//! Kubernetes Basics app): Service names the cluster DNS resolves, kube-proxy's choice of a
//! ready endpoint, what the images answer, and the programs' own messages and exit codes
//! when a name does not resolve, nothing listens or no rule matches.

mod common;

use common::{act, apply, err, ok, run};
use kubesim::cluster::ClusterConfig;
use kubesim::{Sim, Time};
use std::collections::BTreeSet;

/// nginx's welcome page as the image serves it: 615 bytes, the `Content-Length` of
/// `curl -I http://nginx-pod` on any nginx ≥ 1.21 image.
const WELCOME_BYTES: usize = 615;

/// The two heading lines of curl's progress meter.
const METER_HEAD: &str =
    "  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current
                                 Dload  Upload   Total   Spent    Left  Speed
";

/// A pod of the busybox whose `nslookup` asks libc (the DNS debugging guide's 1.28).
const OLD_BUSYBOX: &str = "apiVersion: v1
kind: Pod
metadata: {name: old}
spec:
  containers: [{name: old, image: 'busybox:1.28', command: [sleep, '3600']}]
";

fn cluster() -> Sim {
    let mut sim = Sim::new(ClusterConfig::default(), 5);
    apply(
        &mut sim,
        "apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: 'nginx:1.27.3'}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: kubernetes-bootcamp}
spec:
  replicas: 4
  selector: {matchLabels: {app: kubernetes-bootcamp}}
  template:
    metadata: {labels: {app: kubernetes-bootcamp}}
    spec:
      containers:
      - {name: kubernetes-bootcamp, image: 'gcr.io/google-samples/kubernetes-bootcamp:v1'}
---
apiVersion: v1
kind: Pod
metadata: {name: client}
spec:
  containers: [{name: client, image: 'busybox:1.36', command: [sleep, '3600']}]
",
    );
    act(&mut sim, "kubectl expose deployment web --port=80");
    act(
        &mut sim,
        "kubectl expose deployment kubernetes-bootcamp --port=8080",
    );
    sim.advance_to(Time(60_000));
    sim
}

fn cluster_ip(sim: &mut Sim, service: &str) -> String {
    ok(
        sim,
        &format!("kubectl get service {service} -o jsonpath={{.spec.clusterIP}}"),
    )
}

/// A command that must fail remotely: what it printed and kubectl's exit code.
fn remote_failure(sim: &mut Sim, line: &str) -> (String, String, i32) {
    let out = run(sim, line);
    (out.stdout, out.stderr, out.exit_code)
}

#[test]
fn wget_reaches_a_service_by_each_of_its_dns_names() {
    let mut sim = cluster();
    let page = ok(&mut sim, "kubectl exec client -- wget -qO- http://web");
    assert_eq!(page.len(), WELCOME_BYTES);
    assert!(page.contains("<title>Welcome to nginx!</title>"), "{page}");
    for name in [
        "web.default",
        "web.default.svc",
        "web.default.svc.cluster.local",
        "web.default.svc.cluster.local.",
    ] {
        let got = ok(
            &mut sim,
            &format!("kubectl exec client -- wget -qO- {name}"),
        );
        assert_eq!(got, page, "{name}");
    }
    // The ClusterIP itself works too.
    let ip = cluster_ip(&mut sim, "web");
    assert_eq!(
        ok(
            &mut sim,
            &format!("kubectl exec client -- wget -qO- {ip}:80")
        ),
        page
    );
    // Without -q busybox reports the connection and the transfer on standard error.
    let out = run(&mut sim, "kubectl exec client -- wget -O- web");
    assert_eq!(out.exit_code, 0, "{}", out.text());
    assert_eq!(out.stdout, page);
    assert!(
        out.stderr.starts_with(&format!(
            "Connecting to web ({ip}:80)\nwriting to stdout\n-                    100% |********************************|   615  0:00:00 ETA\nwritten to stdout\n"
        )),
        "{}",
        out.stderr
    );
    // -S prints the response headers, nginx's with its version.
    let out = run(
        &mut sim,
        "kubectl exec client -- wget -q -S -O /dev/null web",
    );
    assert!(
        out.stderr
            .starts_with("  HTTP/1.1 200 OK\n  Server: nginx/1.27.3\n"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("  Content-Length: 615\n"),
        "{}",
        out.stderr
    );
}

#[test]
fn wget_says_why_a_request_fails_and_exits_1() {
    let mut sim = cluster();
    let ip = cluster_ip(&mut sim, "web");
    let cases = [
        // No such Service: the name does not resolve.
        (
            "wget -qO- http://nope",
            "wget: bad address 'nope'\n".to_string(),
        ),
        (
            "wget -qO- nope:8080",
            "wget: bad address 'nope:8080'\n".into(),
        ),
        // A Service in another namespace needs the namespace in the name.
        (
            "wget -qO- web.kube-system",
            "wget: bad address 'web.kube-system'\n".into(),
        ),
        // A port the Service does not have: no kube-proxy rule, the packet is dropped and
        // Linux gives up connecting (before wget's own 900 s timeout).
        (
            "wget -qO- web:8080",
            format!("wget: can't connect to remote host ({ip}): Connection timed out\n"),
        ),
        // A name ending in a dot is absolute: no search path.
        ("wget -qO- web.", "wget: bad address 'web.'\n".into()),
        // nginx answers 404 for a file it does not have.
        (
            "wget -qO- web/missing.html",
            "wget: server returned error: HTTP/1.1 404 Not Found\n".into(),
        ),
        // Nothing listens on the client's own port 80.
        (
            "wget -qO- localhost",
            "wget: can't connect to remote host (127.0.0.1): Connection refused\n".into(),
        ),
    ];
    for (command, message) in cases {
        let (stdout, stderr, code) =
            remote_failure(&mut sim, &format!("kubectl exec client -- {command}"));
        assert_eq!(
            (stdout.as_str(), stderr, code),
            (
                "",
                format!("{message}command terminated with exit code 1\n"),
                1
            ),
            "{command}"
        );
    }
    // Without ready endpoints kube-proxy rejects the connection.
    act(&mut sim, "kubectl scale deployment web --replicas=0");
    sim.advance_to(Time(120_000));
    let (_, stderr, _) = remote_failure(&mut sim, "kubectl exec client -- wget -qO- web");
    assert_eq!(
        stderr,
        format!("wget: can't connect to remote host ({ip}): Connection refused\ncommand terminated with exit code 1\n")
    );
    // busybox has no curl.
    let out = run(&mut sim, "kubectl exec client -- curl web");
    assert_eq!(out.exit_code, 1);
    assert!(
        out.stderr
            .contains("exec: \"curl\": executable file not found in $PATH"),
        "{}",
        out.stderr
    );
    let out = run(&mut sim, "kubectl exec client -- sh -c 'curl web'");
    assert_eq!(
        out.stderr,
        "sh: curl: not found\ncommand terminated with exit code 127\n"
    );
}

#[test]
fn kube_proxy_spreads_requests_over_the_ready_pods_and_the_app_names_the_one_that_answered() {
    let mut sim = cluster();
    let pods: BTreeSet<String> = ok(
        &mut sim,
        "kubectl get pods -l app=kubernetes-bootcamp -o name",
    )
    .lines()
    .map(|l| l.trim_start_matches("pod/").to_string())
    .collect();
    assert_eq!(pods.len(), 4);
    let out = ok(
        &mut sim,
        "kubectl exec client -- sh -c 'for i in 1 2 3 4 5 6 7 8 9 10 11 12; do wget -qO- kubernetes-bootcamp:8080; done'",
    );
    let answered: Vec<&str> = out
        .lines()
        .map(|l| {
            let rest = l
                .strip_prefix("Hello Kubernetes bootcamp! | Running on: ")
                .unwrap_or_else(|| panic!("{l}"));
            rest.strip_suffix(" | v=1").unwrap_or_else(|| panic!("{l}"))
        })
        .collect();
    assert_eq!(answered.len(), 12);
    assert!(answered.iter().all(|p| pods.contains(*p)), "{answered:?}");
    let distinct: BTreeSet<&&str> = answered.iter().collect();
    assert!(distinct.len() >= 3, "requests spread: {answered:?}");
    // A replay of the same commands picks the same pods.
    let mut replay = cluster();
    let again = ok(
        &mut replay,
        "kubectl exec client -- sh -c 'for i in 1 2 3 4 5 6 7 8 9 10 11 12; do wget -qO- kubernetes-bootcamp:8080; done'",
    );
    assert_eq!(again, out);
    // One request repeated at the same instant (the clock paused) is picked anew each time.
    let repeated: BTreeSet<String> = (0..8)
        .map(|_| {
            ok(
                &mut sim,
                "kubectl exec client -- wget -qO- kubernetes-bootcamp:8080",
            )
        })
        .collect();
    assert!(repeated.len() >= 2, "{repeated:?}");
    // With session affinity every request of a client goes to the same pod.
    act(
        &mut sim,
        "kubectl patch service kubernetes-bootcamp -p '{\"spec\":{\"sessionAffinity\":\"ClientIP\"}}'",
    );
    let sticky = ok(
        &mut sim,
        "kubectl exec client -- sh -c 'for i in 1 2 3 4 5 6 7 8; do wget -qO- kubernetes-bootcamp:8080; done'",
    );
    let lines: BTreeSet<&str> = sticky.lines().collect();
    assert_eq!((sticky.lines().count(), lines.len()), (8, 1), "{sticky}");
    act(
        &mut sim,
        "kubectl patch service kubernetes-bootcamp -p '{\"spec\":{\"sessionAffinity\":\"None\"}}'",
    );
    // An unready pod gets no requests: its endpoint is not ready.
    let victim = answered[0].to_string();
    act(
        &mut sim,
        &format!("kubectl delete pod {victim} --wait=false"),
    );
    sim.advance_to(Time(61_000));
    let out = ok(
        &mut sim,
        "kubectl exec client -- sh -c 'for i in $(seq 20); do wget -qO- kubernetes-bootcamp:8080; done'",
    );
    assert_eq!(out.lines().count(), 20);
    assert!(!out.contains(&victim), "{out}");
}

#[test]
fn curl_in_the_tutorials_images() {
    let mut sim = cluster();
    // Kubernetes Basics, module 3: `kubectl exec -ti $POD_NAME -- curl http://localhost:8080`.
    let pod = ok(
        &mut sim,
        "kubectl get pods -l app=kubernetes-bootcamp -o jsonpath={.items[0].metadata.name}",
    );
    assert_eq!(
        ok(
            &mut sim,
            &format!("kubectl exec -ti {pod} -- curl http://localhost:8080")
        ),
        format!("Hello Kubernetes bootcamp! | Running on: {pod} | v=1\n")
    );
    // nginx's image has curl.
    let ip = cluster_ip(&mut sim, "kubernetes-bootcamp");
    assert_eq!(
        ok(
            &mut sim,
            "kubectl exec deployment/web -- curl -s -o /dev/null -w %{http_code} http://web"
        ),
        "200"
    );
    let head = ok(&mut sim, "kubectl exec deployment/web -- curl -sI web");
    assert!(
        head.starts_with("HTTP/1.1 200 OK\nServer: nginx/1.27.3\nDate: "),
        "{head}"
    );
    assert!(
        head.ends_with("Content-Length: 615\nConnection: keep-alive\n\n"),
        "{head}"
    );
    let out = ok(
        &mut sim,
        "kubectl exec deployment/web -- curl -s -w '\\n%{remote_ip}' kubernetes-bootcamp:8080",
    );
    assert!(out.ends_with(&format!(" | v=1\n\n{ip}")), "{out}");
    // curl's own errors and exit codes, after its progress meter (standard output is no
    // terminal without -t); -s hides both, -S shows the errors again.
    let nothing = format!("{METER_HEAD}  0     0    0     0    0     0      0      0 --:--:-- --:--:-- --:--:--     0\n");
    let cases = [
        (
            "curl http://nope",
            format!("{nothing}curl: (6) Could not resolve host: nope\n"),
            6,
        ),
        (
            "curl localhost:8080",
            format!("{nothing}curl: (7) Failed to connect to localhost port 8080 after 0 ms: Couldn't connect to server\n"),
            7,
        ),
        ("curl -s nope", String::new(), 6),
        ("curl -sS nope", "curl: (6) Could not resolve host: nope\n".into(), 6),
        (
            "curl -f web/nothing",
            format!("{nothing}curl: (22) The requested URL returned error: 404\n"),
            22,
        ),
        (
            "curl --bogus web",
            "curl: option --bogus: is unknown\ncurl: try 'curl --help' or 'curl --manual' for more information\n".into(),
            2,
        ),
    ];
    for (command, message, code) in cases {
        let (_, stderr, exit) = remote_failure(
            &mut sim,
            &format!("kubectl exec deployment/web -- {command}"),
        );
        assert_eq!(
            (stderr, exit),
            (
                format!("{message}command terminated with exit code {code}\n"),
                code
            ),
            "{command}"
        );
    }
    // A whole transfer: 615 bytes in about a millisecond, as curl's meter puts it.
    let out = run(&mut sim, "kubectl exec deployment/web -- curl web");
    assert_eq!(out.stdout.len(), WELCOME_BYTES);
    assert_eq!(
        out.stderr,
        format!("{METER_HEAD}100   615  100   615    0     0   600k      0 --:--:-- --:--:-- --:--:--  600k\n")
    );
    // With -t the output is a terminal: no meter.
    let out = run(&mut sim, "kubectl exec -t deployment/web -- curl web");
    assert_eq!((out.stdout.len(), out.stderr.as_str()), (WELCOME_BYTES, ""));
    // Without -f an error page is printed and curl succeeds.
    let page = ok(
        &mut sim,
        "kubectl exec deployment/web -- curl -s web/nothing",
    );
    assert!(page.contains("<title>404 Not Found</title>"), "{page}");
}

#[test]
fn headless_services_streams_and_odd_urls() {
    let mut sim = cluster();
    apply(
        &mut sim,
        "apiVersion: v1
kind: Service
metadata: {name: web-pods}
spec:
  clusterIP: None
  selector: {app: web}
  ports: [{name: http, port: 80}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: cache}
spec:
  replicas: 1
  selector: {matchLabels: {app: cache}}
  template:
    metadata: {labels: {app: cache}}
    spec:
      containers: [{name: redis, image: 'redis:7.4'}]
",
    );
    act(&mut sim, "kubectl expose deployment cache --port=6379");
    sim.advance_to(Time(120_000));
    // A headless Service's name gives a ready pod's own address.
    let out = run(
        &mut sim,
        "kubectl exec client -- wget -O /dev/null web-pods",
    );
    assert_eq!(out.exit_code, 0, "{}", out.text());
    let ip = out
        .stderr
        .strip_prefix("Connecting to web-pods (")
        .and_then(|r| r.split_once(":80)"))
        .map(|(ip, _)| ip.to_string())
        .unwrap_or_else(|| panic!("{}", out.stderr));
    let pod_ips = ok(
        &mut sim,
        "kubectl get pods -l app=web -o jsonpath={.items[*].status.podIP}",
    );
    assert!(pod_ips.split(' ').any(|p| p == ip), "{ip} in {pod_ips}");
    // redis speaks no HTTP.
    let out = run(&mut sim, "kubectl exec client -- wget -qO- cache:6379");
    assert_eq!(
        out.stderr,
        "wget: error getting response: Connection reset by peer\ncommand terminated with exit code 1\n"
    );
    let out = run(
        &mut sim,
        "kubectl exec deployment/web -- curl -s cache:6379",
    );
    assert_eq!(out.exit_code, 52);
    // `2>&1` sends the messages where the output goes, for a command kubectl exec runs too.
    let out = run(&mut sim, "kubectl exec client -- sh -c 'wget -O- web 2>&1'");
    assert_eq!(out.stderr, "");
    assert!(
        out.stdout.starts_with("Connecting to web ("),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("<title>Welcome to nginx!</title>"));
    // An IPv6 literal is parsed as one (nothing listens on the client's port 8080).
    let out = run(
        &mut sim,
        "kubectl exec deployment/web -- curl -sS http://[::1]:8080/",
    );
    assert_eq!(
        out.stderr,
        "curl: (7) Failed to connect to ::1 port 8080 after 0 ms: Couldn't connect to server\ncommand terminated with exit code 7\n"
    );
    // -O needs a file name in the URL.
    let out = run(&mut sim, "kubectl exec deployment/web -- curl -sSO web/");
    assert_eq!(
        out.stderr,
        "curl: (23) Remote file name has no length!\ncommand terminated with exit code 23\n"
    );
    // A huge --write-out is cut, not built in full: 600 copies of a 5 KB URL would be 3 MB.
    let format = "%{url_effective}".repeat(600);
    let path = "a".repeat(5000);
    let out = run(
        &mut sim,
        &format!("kubectl exec deployment/web -- curl -s -o /dev/null -w '{format}' web/{path}"),
    );
    assert_eq!(
        out.exit_code,
        0,
        "{}",
        &out.text()[..out.text().len().min(300)]
    );
    assert!(
        (64 * 1024..80 * 1024).contains(&out.stdout.len()),
        "{}",
        out.stdout.len()
    );
}

/// busybox's `nslookup`, checked against networking/nslookup.c: from 1.29 on one A and one
/// AAAA query per search domain for a dotless name, each answer printed, exit 1 when any
/// query failed; up to 1.28 libc's resolver with `ndots`, addresses with reverse names.
#[test]
fn nslookup_as_each_busybox_prints_it() {
    let mut sim = cluster();
    apply(
        &mut sim,
        &[
            OLD_BUSYBOX,
            "---
apiVersion: v1
kind: Service
metadata: {name: db}
spec:
  clusterIP: None
  selector: {app: web}
  ports: [{port: 80}]
",
        ]
        .concat(),
    );
    sim.advance_to(Time(90_000));
    let web = cluster_ip(&mut sim, "web");
    let header = "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n";
    let (out, stderr, code) = remote_failure(&mut sim, "kubectl exec client -- nslookup web");
    assert_eq!(
        out,
        format!("{header}Name:\tweb.default.svc.cluster.local\nAddress: {web}\n\n** server can't find web.svc.cluster.local: NXDOMAIN\n\n** server can't find web.cluster.local: NXDOMAIN\n\n\n** server can't find web.svc.cluster.local: NXDOMAIN\n\n** server can't find web.cluster.local: NXDOMAIN\n\n")
    );
    // The other search domains' NXDOMAIN make the exit status 1.
    assert_eq!(
        (stderr.as_str(), code),
        ("command terminated with exit code 1\n", 1)
    );
    // A name with a dot is asked as it is: `web.default` is no cluster name.
    let (out, _, code) = remote_failure(&mut sim, "kubectl exec client -- nslookup web.default");
    assert_eq!(
        (out, code),
        (format!("{header}** server can't find web.default: NXDOMAIN\n\n** server can't find web.default: NXDOMAIN\n\n"), 1)
    );
    // A headless Service's name gives every ready pod; the full name fails no query.
    let fqdn = ok(
        &mut sim,
        "kubectl exec client -- nslookup db.default.svc.cluster.local",
    );
    let pods: Vec<String> = ok(
        &mut sim,
        "kubectl get pods -l app=web -o jsonpath={.items[*].status.podIP}",
    )
    .split(' ')
    .map(String::from)
    .collect();
    assert_eq!(pods.len(), 3);
    for ip in &pods {
        assert!(
            fqdn.contains(&format!(
                "Name:\tdb.default.svc.cluster.local\nAddress: {ip}\n"
            )),
            "{fqdn}"
        );
    }
    // An address is looked up in reverse.
    assert_eq!(
        ok(&mut sim, &format!("kubectl exec client -- nslookup {web}")),
        format!(
            "{header}{}\tname = web.default.svc.cluster.local\n\n",
            web.split('.').rev().collect::<Vec<_>>().join(".") + ".in-addr.arpa"
        )
    );
    // busybox 1.28 (the DNS debugging guide's): search domains by ndots, reverse names.
    let server =
        "Server:    10.96.0.10\nAddress 1: 10.96.0.10 kube-dns.kube-system.svc.cluster.local\n\n";
    assert_eq!(
        ok(&mut sim, "kubectl exec old -- nslookup kubernetes.default"),
        format!("{server}Name:      kubernetes.default\nAddress 1: 10.96.0.1 kubernetes.default.svc.cluster.local\n")
    );
    let db = ok(&mut sim, "kubectl exec old -- nslookup db");
    assert!(
        db.starts_with(&format!("{server}Name:      db\nAddress 1: ")),
        "{db}"
    );
    assert_eq!(
        db.matches(".db.default.svc.cluster.local\n").count(),
        3,
        "{db}"
    );
    let out = run(&mut sim, "kubectl exec old -- nslookup nope");
    assert_eq!(
        (out.stdout.as_str(), out.stderr.as_str(), out.exit_code),
        (
            server,
            "nslookup: can't resolve 'nope'\ncommand terminated with exit code 1\n",
            1
        )
    );
    // `-type=a` sends only the A queries; a type busybox does not know is refused.
    let (out, _, code) = remote_failure(&mut sim, "kubectl exec client -- nslookup -type=a web");
    assert_eq!(
        (out, code),
        (format!("{header}Name:\tweb.default.svc.cluster.local\nAddress: {web}\n\n** server can't find web.svc.cluster.local: NXDOMAIN\n\n** server can't find web.cluster.local: NXDOMAIN\n\n"), 1)
    );
    let (_, stderr, _) =
        remote_failure(&mut sim, "kubectl exec client -- nslookup -type=bogus web");
    assert_eq!(
        stderr,
        "nslookup: invalid query type \"bogus\"\ncommand terminated with exit code 1\n"
    );
    // A pod's address has a reverse name under any Service it is a ready endpoint of, and
    // its own name in the pod zone.
    let dashed = pods[0].replace('.', "-");
    let reverse = ok(
        &mut sim,
        &format!("kubectl exec client -- nslookup {}", pods[0]),
    );
    assert!(
        reverse.contains(&format!("\tname = {dashed}."))
            && reverse.contains(".default.svc.cluster.local\n"),
        "{reverse}"
    );
    assert!(ok(
        &mut sim,
        &format!("kubectl exec client -- nslookup {dashed}.default.pod.cluster.local")
    )
    .contains(&format!("Address: {}\n", pods[0])));
    // wget reaches the pod by that name too.
    assert!(ok(
        &mut sim,
        &format!("kubectl exec client -- wget -qO- {dashed}.default.pod.cluster.local")
    )
    .contains("<title>Welcome to nginx!</title>"));
    // Another server does not answer; 1.28 prints the server without a reverse name and
    // cannot resolve, and takes no options.
    let (out, _, _) = remote_failure(&mut sim, "kubectl exec client -- nslookup web 8.8.8.8");
    assert_eq!(
        out,
        ";; connection timed out; no servers could be reached\n\n"
    );
    let out = run(&mut sim, "kubectl exec old -- nslookup web 8.8.8.8");
    assert_eq!(
        (out.stdout.as_str(), out.stderr.as_str()),
        (
            "Server:    8.8.8.8\nAddress 1: 8.8.8.8\n\n",
            "nslookup: can't resolve 'web'\ncommand terminated with exit code 1\n"
        )
    );
    assert_eq!(
        err(&mut sim, "kubectl exec old -- nslookup -type=a web"),
        "Usage: nslookup [HOST] [SERVER]\ncommand terminated with exit code 1\n"
    );
    let nginx = ok(&mut sim, "kubectl get pods -l app=web -o name")
        .lines()
        .next()
        .unwrap()
        .to_string();
    assert!(
        err(&mut sim, &format!("kubectl exec {nginx} -- nslookup web"))
            .contains("exec: \"nslookup\": executable file not found in $PATH")
    );
}

#[test]
fn the_load_balancing_demo_pipes_each_answer_through_grep() {
    let mut sim = cluster();
    assert_eq!(
        ok(
            &mut sim,
            "kubectl exec client -- sh -c 'for i in 1 2 3 4 5; do wget -qO- web | grep title; done'"
        ),
        "<title>Welcome to nginx!</title>\n".repeat(5)
    );
    // Counting which pod answered: four pods, each with its count.
    let out = ok(
        &mut sim,
        "kubectl exec client -- sh -c 'for i in $(seq 40); do wget -qO- kubernetes-bootcamp:8080; done | sort | uniq -c'",
    );
    let counts: Vec<usize> = out
        .lines()
        .map(|l| {
            assert!(
                l.contains(" Hello Kubernetes bootcamp! | Running on: kubernetes-bootcamp-"),
                "{l}"
            );
            l[..7].trim().parse().unwrap()
        })
        .collect();
    assert_eq!(counts.len(), 4, "{out}");
    assert_eq!(counts.iter().sum::<usize>(), 40);
}

#[test]
fn an_externalname_service_is_a_cname_the_clients_follow_into_the_cluster() {
    let mut sim = cluster();
    act(
        &mut sim,
        "kubectl create service externalname inner --external-name=web.default.svc.cluster.local",
    );
    act(
        &mut sim,
        "kubectl create service externalname outer --external-name=api.example.com",
    );
    apply(&mut sim, OLD_BUSYBOX);
    sim.advance_to(Time(90_000));
    let web = cluster_ip(&mut sim, "web");
    let header = "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n";
    // busybox ≥ 1.29 prints the CNAME record of each query, and for the A query the
    // target's address CoreDNS adds for a name of the cluster.
    let out = ok(
        &mut sim,
        "kubectl exec client -- nslookup inner.default.svc.cluster.local",
    );
    let cname = "inner.default.svc.cluster.local\tcanonical name = web.default.svc.cluster.local\n";
    assert_eq!(
        out,
        format!("{header}{cname}Name:\tweb.default.svc.cluster.local\nAddress: {web}\n\n{cname}\n")
    );
    // Out of the cluster the CNAME leads nowhere the simulated DNS knows.
    let out = ok(
        &mut sim,
        "kubectl exec client -- nslookup outer.default.svc.cluster.local",
    );
    let cname = "outer.default.svc.cluster.local\tcanonical name = api.example.com\n";
    assert_eq!(out, format!("{header}{cname}\n{cname}\n"));
    // 1.28 asks libc, which follows the CNAME.
    assert!(
        ok(&mut sim, "kubectl exec old -- nslookup inner").ends_with(&format!(
            "Name:      inner\nAddress 1: {web} web.default.svc.cluster.local\n"
        ))
    );
    let (_, stderr, code) = remote_failure(&mut sim, "kubectl exec old -- nslookup outer");
    assert_eq!(
        (stderr.as_str(), code),
        (
            "nslookup: can't resolve 'outer'\ncommand terminated with exit code 1\n",
            1
        )
    );
    // wget reaches the Service the CNAME names.
    assert!(
        ok(&mut sim, "kubectl exec client -- wget -qO- http://inner")
            .contains("<title>Welcome to nginx!</title>")
    );
    assert_eq!(
        err(&mut sim, "kubectl exec client -- wget -qO- http://outer"),
        "wget: bad address 'outer'\ncommand terminated with exit code 1\n"
    );
}
