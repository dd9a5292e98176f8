//! Requests sent from inside a pod, by `wget` or `curl` in a command `kubectl exec` runs:
//! the names the cluster DNS resolves for the pod, kube-proxy's choice of one of a Service's
//! endpoints, and what the simulated program behind it answers.
//!
//! Names resolve as the pod's `resolv.conf` makes them (search `NS.svc.cluster.local`,
//! `svc.cluster.local`, `cluster.local`): `web`, `web.NS`, `web.NS.svc` and
//! `web.NS.svc.cluster.local` name a Service; a headless Service's name gives the address of
//! one of its ready pods. A Service port with no endpoint is rejected (kube-proxy's REJECT
//! rule), and among its endpoints kube-proxy picks one at random: here a number mixed from
//! the instant, the cluster's state, how many `kubectl exec` commands ran before, the pod
//! and the command, so a replay picks the same; with `sessionAffinity: ClientIP` one from
//! the client's address.
//!
//! A container's own process (its command in the pod spec) asks the DNS too, and gets the
//! Services the DNS served at the moment it asked (`cluster_dns`); its requests are not sent.

use crate::api::core::{Container, Pod};
use crate::api::endpoints::LABEL_SERVICE_NAME;
use crate::api::hash::fnv64;
use crate::api::service::Service;
use crate::controllers::kubelet::pod_files::CLUSTER_DNS;
use crate::controllers::kubelet::{self, NoAnswer};
use crate::registry::ImageRef;
use crate::rng::Rng;
use crate::shell::{NetError, Network, Reply, Url};
use crate::sim::Sim;
use crate::store::key;
use crate::time::Time;
use crate::traffic::Failure;
use std::cell::Cell;

/// nginx's welcome page (`/usr/share/nginx/html/index.html`, 615 bytes).
const NGINX_WELCOME: &str = "<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>

<p>For online documentation and support please refer to
<a href=\"http://nginx.org/\">nginx.org</a>.<br/>
Commercial support is available at
<a href=\"http://nginx.com/\">nginx.com</a>.</p>

<p><em>Thank you for using nginx.</em></p>
</body>
</html>
";

/// The cluster as the containers of one pod reach it.
pub struct Client<'a> {
    sim: &'a Sim,
    pod: &'a Pod,
    image: Option<ImageRef>,
    seed: u64,
    terminal: bool,
    /// For a container's own process: the moment it asks, whose DNS answers it gets.
    moment: Option<Cell<Time>>,
}

impl<'a> Client<'a> {
    /// The network of container `c` of `pod`, for one command (whose output goes to a
    /// terminal with `kubectl exec -t`).
    pub fn new(
        sim: &'a Sim,
        pod: &'a Pod,
        c: &Container,
        command: &[String],
        terminal: bool,
    ) -> Client<'a> {
        let seed = fnv64(
            format!(
                "{}\u{0}{}\u{0}{}\u{0}{}\u{0}{}",
                sim.now.0,
                sim.revision(),
                sim.exec_seq,
                pod.metadata.name,
                command.join("\u{0}")
            )
            .bytes(),
        );
        Client {
            sim,
            pod,
            image: ImageRef::parse(c.image()),
            seed,
            terminal,
            moment: None,
        }
    }

    /// The network of container `c`'s own process, which asks the DNS (and sends nothing).
    pub fn process(sim: &'a Sim, pod: &'a Pod, c: &Container) -> Client<'a> {
        Client {
            moment: Some(Cell::new(sim.now)),
            ..Client::new(sim, pod, c, &[], false)
        }
    }

    /// kube-proxy's random choice for request `n` of the command: a generator of its own, so
    /// the simulation's stays untouched.
    fn rng(&self, n: u64) -> Rng {
        Rng::new(self.seed ^ n)
    }

    /// The Service a name gives, in the pod's namespace unless the name says another.
    fn service(&self, host: &str) -> Option<&'a Service> {
        // A name ending in a dot is absolute: the search path is not tried.
        let (host, absolute) = match host.strip_suffix('.') {
            Some(h) => (h, true),
            None => (host, false),
        };
        let parts: Vec<&str> = host.split('.').collect();
        let (name, ns) = match parts.as_slice() {
            [name, ns, "svc", "cluster", "local"] => (*name, *ns),
            _ if absolute => return None,
            [name] => (*name, self.pod.metadata.ns()),
            [name, ns] | [name, ns, "svc"] => (*name, *ns),
            _ => return None,
        };
        self.named(ns, name)
    }

    /// The Service of this name, as the DNS knows it at the moment of asking.
    fn named(&self, ns: &str, name: &str) -> Option<&'a Service> {
        match &self.moment {
            Some(t) => self.sim.dns.at(&key(ns, name), t.get()),
            None => self.sim.store.services.get(&key(ns, name)),
        }
    }

    /// Every Service the DNS knows at the moment of asking.
    fn services(&self) -> Vec<&'a Service> {
        match &self.moment {
            Some(t) => self.sim.dns.all_at(t.get()).collect(),
            None => self.sim.store.services.values().collect(),
        }
    }

    /// The addresses of a Service's ready endpoints, as the cluster DNS publishes them
    /// (for a headless Service, what its name resolves to).
    fn ready_addresses(&self, svc: &'a Service) -> Vec<&'a str> {
        let mut ips: Vec<&str> = Vec::new();
        let mut seen = std::collections::BTreeSet::new();
        for slice in self
            .sim
            .store
            .slices_of_service(svc.metadata.ns(), &svc.metadata.name)
        {
            for e in slice.endpoints.iter().filter(|e| e.is_ready()) {
                for ip in &e.addresses {
                    if seen.insert(ip.as_str()) {
                        ips.push(ip);
                    }
                }
            }
        }
        ips
    }

    fn pod_at(&self, ip: &str) -> Option<&'a Pod> {
        self.sim
            .store
            .pods
            .values()
            .find(|p| address(p) == Some(ip))
    }

    /// A request to a Service's ClusterIP, through kube-proxy's rules.
    fn via_service(&self, svc: &Service, url: &Url, head: bool, n: u64) -> Result<Reply, NetError> {
        let ip = svc.spec.cluster_ip.clone().unwrap_or_default();
        let ns = svc.metadata.ns();
        // No rule matches a port the Service does not have: the packet is dropped.
        let port = svc
            .spec
            .ports
            .iter()
            .find(|p| p.port == url.port)
            .ok_or_else(|| NetError::TimedOut(ip.clone()))?;
        let k = key(ns, &svc.metadata.name);
        let backends = crate::traffic::backends(self.sim, &k, port.name.as_deref().unwrap_or(""))
            .map_err(|_| NetError::Refused(ip.clone()))?;
        // `sessionAffinity: ClientIP` sends every request of a client to one endpoint.
        let mut pick = if svc.spec.session_affinity.as_deref() == Some("ClientIP") {
            Rng::new(fnv64(
                self.pod.status.pod_ip.as_deref().unwrap_or("").bytes(),
            ))
        } else {
            self.rng(n)
        };
        let b = &backends[pick.below(backends.len() as u64) as usize];
        let pod = self.sim.store.pods.get(&key(ns, &b.pod));
        match (b.answer, pod) {
            (Ok(from), Some(pod)) if self.sim.now >= from => page(self.sim, pod, url, head, &ip),
            (Err(Failure::TimedOut), _) => Err(NetError::TimedOut(ip)),
            (Err(Failure::ServerError), Some(_)) => Ok(unavailable(self.sim, &ip)),
            _ => Err(NetError::Refused(ip)),
        }
    }

    /// A request straight to a pod's address (or to the pod itself, on `localhost`).
    fn to_pod(&self, pod: &Pod, ip: &str, url: &Url, head: bool) -> Result<Reply, NetError> {
        match kubelet::answers(self.sim, pod, url.port) {
            Ok(from) if self.sim.now >= from => page(self.sim, pod, url, head, ip),
            Ok(_) | Err(NoAnswer::Refused) => Err(NetError::Refused(ip.to_string())),
            Err(NoAnswer::NodeDown) => Err(NetError::TimedOut(ip.to_string())),
            Err(NoAnswer::Unhealthy) => Ok(unavailable(self.sim, ip)),
        }
    }
}

impl Network for Client<'_> {
    fn terminal(&self) -> bool {
        self.terminal
    }

    fn sends_requests(&self) -> bool {
        self.moment.is_none()
    }

    fn moment(&self, t: Time) {
        if let Some(m) = &self.moment {
            m.set(t);
        }
    }

    fn has(&self, program: &str) -> bool {
        let Some(r) = &self.image else {
            return false;
        };
        let name = r.repository.rsplit('/').next().unwrap_or("");
        match program {
            // busybox's applet; Debian and Ubuntu images have neither program.
            "wget" => {
                matches!(name, "busybox" | "alpine")
                    || (name == "nginx" && r.tag.contains("alpine"))
            }
            "curl" => matches!(name, "nginx" | "kubernetes-bootcamp"),
            "nslookup" => {
                matches!(name, "busybox" | "alpine")
                    || (name == "nginx" && r.tag.contains("alpine"))
            }
            _ => false,
        }
    }

    fn legacy_nslookup(&self) -> bool {
        // busybox before 1.29 asked libc; `registry.k8s.io/busybox:latest` is older still.
        self.image.as_ref().is_some_and(|r| {
            r.repository.ends_with("busybox")
                && (r.repository.starts_with("registry.k8s.io")
                    || r.tag
                        .split('.')
                        .nth(1)
                        .and_then(|m| m.parse::<u32>().ok())
                        .is_some_and(|minor| r.tag.starts_with("1.") && minor <= 28))
        })
    }

    fn dns_server(&self, ip: &str) -> bool {
        ip == CLUSTER_DNS
    }

    fn resolve(&self, fqdn: &str) -> Option<Vec<String>> {
        let parts: Vec<&str> = fqdn.split('.').collect();
        match parts.as_slice() {
            ["kube-dns", "kube-system", "svc", "cluster", "local"] => {
                Some(vec![CLUSTER_DNS.to_string()])
            }
            [_, _, "pod", "cluster", "local"] => pod_name_address(fqdn).map(|ip| vec![ip]),
            [_, _, "svc", "cluster", "local"] => {
                let svc = self.service(&format!("{fqdn}."))?;
                match svc.spec.cluster_ip.as_deref() {
                    _ if svc.spec.type_.as_deref() == Some("ExternalName") => None,
                    Some("None") => {
                        let ips = self.ready_addresses(svc);
                        (!ips.is_empty()).then(|| ips.into_iter().map(String::from).collect())
                    }
                    Some(ip) => Some(vec![ip.to_string()]),
                    None => None,
                }
            }
            // A headless Service's endpoint by its dashed address.
            [dashed, name, ns, "svc", "cluster", "local"] => {
                let svc = self.named(ns, name)?;
                let ip = dashed.replace('-', ".");
                (svc.spec.cluster_ip.as_deref() == Some("None")
                    && self.ready_addresses(svc).contains(&ip.as_str()))
                .then(|| vec![ip])
            }
            _ => None,
        }
    }

    fn alias(&self, fqdn: &str) -> Option<String> {
        external_name(self.service(&format!("{fqdn}."))?)
    }

    fn reverse(&self, ip: &str) -> Option<String> {
        if ip == CLUSTER_DNS {
            return Some("kube-dns.kube-system.svc.cluster.local".into());
        }
        if let Some(svc) = self
            .services()
            .into_iter()
            .find(|s| s.spec.cluster_ip.as_deref() == Some(ip))
        {
            return Some(format!(
                "{}.{}.svc.cluster.local",
                svc.metadata.name,
                svc.metadata.ns()
            ));
        }
        // A ready endpoint of any Service: its address, dashed, under the Service's name.
        let (k, slice) = self.sim.store.endpoint_slices.iter().find(|(_, s)| {
            s.endpoints
                .iter()
                .any(|e| e.is_ready() && e.addresses.iter().any(|a| a == ip))
        })?;
        let service = slice.metadata.labels.get(LABEL_SERVICE_NAME)?;
        Some(format!(
            "{}.{service}.{}.svc.cluster.local",
            ip.replace('.', "-"),
            k.0
        ))
    }

    fn get(&self, url: &Url, head: bool, n: u64) -> Result<Reply, NetError> {
        let host = url.host.as_str();
        // A pod's own DNS name (`10-244-1-5.NS.pod.cluster.local`) is its address.
        let dashed = pod_name_address(host.trim_end_matches('.'));
        let host = dashed.as_deref().unwrap_or(host);
        if matches!(host, "localhost" | "127.0.0.1" | "::1") {
            return self.to_pod(self.pod, "127.0.0.1", url, head);
        }
        if is_ipv4(host) {
            if let Some(svc) = self
                .sim
                .store
                .services
                .values()
                .find(|s| s.spec.cluster_ip.as_deref() == Some(host))
            {
                return self.via_service(svc, url, head, n);
            }
            return match self.pod_at(host) {
                Some(pod) => self.to_pod(pod, host, url, head),
                None => Err(NetError::TimedOut(host.to_string())),
            };
        }
        let mut svc = self.service(host).ok_or(NetError::NoHost)?;
        // An ExternalName Service's CNAME leads to another Service's name, or out of the
        // cluster, where nothing resolves.
        if svc.spec.type_.as_deref() == Some("ExternalName") {
            let target = external_name(svc).unwrap_or_default();
            svc = self
                .service(&format!("{target}."))
                .ok_or(NetError::NoHost)?;
        }
        match svc.spec.type_.as_deref() {
            Some("ExternalName") => Err(NetError::NoHost),
            _ if svc.spec.cluster_ip.as_deref() == Some("None") => {
                // Headless: the name gives the ready pods' own addresses (one pass over the
                // pods, however many endpoints there are).
                let addresses: std::collections::BTreeSet<&str> =
                    self.ready_addresses(svc).into_iter().collect();
                let ready: Vec<(&str, &Pod)> = self
                    .sim
                    .store
                    .pods
                    .values()
                    .filter_map(|p| {
                        let ip = address(p)?;
                        addresses.contains(ip).then_some((ip, p))
                    })
                    .collect();
                if ready.is_empty() {
                    return Err(NetError::NoHost);
                }
                let (ip, pod) = ready[self.rng(n).below(ready.len() as u64) as usize];
                self.to_pod(pod, ip, url, head)
            }
            _ => self.via_service(svc, url, head, n),
        }
    }
}

/// The name an ExternalName Service is an alias of (no final dot).
fn external_name(svc: &Service) -> Option<String> {
    if svc.spec.type_.as_deref() != Some("ExternalName") {
        return None;
    }
    let target = svc.spec.extra.get("externalName")?.as_str()?;
    Some(target.trim_end_matches('.').to_string())
}

/// A pod's address while it holds one: a finished pod's may already be another's.
fn address(p: &Pod) -> Option<&str> {
    p.status
        .pod_ip
        .as_deref()
        .filter(|_| !matches!(p.status.phase.as_str(), "Succeeded" | "Failed"))
}

/// The address a pod's DNS name (`10-244-1-5.NS.pod.cluster.local`) stands for, as CoreDNS's
/// `pods insecure` answers it.
fn pod_name_address(fqdn: &str) -> Option<String> {
    let (dashed, rest) = fqdn.split_once('.')?;
    let (_, zone) = rest.split_once('.')?;
    let ip = dashed.replace('-', ".");
    (zone == "pod.cluster.local" && is_ipv4(&ip)).then_some(ip)
}

fn is_ipv4(host: &str) -> bool {
    let parts: Vec<&str> = host.split('.').collect();
    parts.len() == 4 && parts.iter().all(|p| p.parse::<u8>().is_ok())
}

fn reply(
    sim: &Sim,
    ip: &str,
    status: u16,
    server: Option<String>,
    content_type: &str,
    body: String,
    head: bool,
) -> Reply {
    let mut headers = Vec::new();
    if let Some(s) = server {
        headers.push(("Server".to_string(), s));
    }
    headers.push((
        "Date".to_string(),
        crate::shell::date(sim.now, "%a, %d %b %Y %H:%M:%S GMT"),
    ));
    if !content_type.is_empty() {
        headers.push(("Content-Type".to_string(), content_type.to_string()));
    }
    headers.push(("Content-Length".to_string(), body.len().to_string()));
    headers.push(("Connection".to_string(), "keep-alive".to_string()));
    Reply {
        ip: ip.to_string(),
        status,
        reason: match status {
            200 => "OK",
            404 => "Not Found",
            _ => "Service Unavailable",
        },
        headers,
        body: if head { String::new() } else { body },
    }
}

/// A program that runs but fails every request (a `never-ready` image).
fn unavailable(sim: &Sim, ip: &str) -> Reply {
    reply(
        sim,
        ip,
        503,
        None,
        "text/plain",
        "Service Unavailable\n".into(),
        false,
    )
}

/// What the program in the pod's container answers for `url`: the images' real pages (the
/// tutorials' apps name the pod that answered), an empty page from a scenario's own image;
/// databases speak no HTTP.
fn page(sim: &Sim, pod: &Pod, url: &Url, head: bool, ip: &str) -> Result<Reply, NetError> {
    let image = pod
        .spec
        .containers
        .first()
        .and_then(|c| ImageRef::parse(c.image()));
    let (repo, tag) = image.as_ref().map_or(("", ""), |r| {
        (
            r.repository.rsplit('/').next().unwrap_or(""),
            r.tag.as_str(),
        )
    });
    let full_version =
        tag.split('.').count() == 3 && tag.split('.').all(|p| p.parse::<u32>().is_ok());
    let name = &pod.metadata.name;
    Ok(match repo {
        "redis" | "postgres" | "mysql" => return Err(NetError::NotHttp(ip.to_string())),
        "nginx" => {
            let server = if full_version {
                format!("nginx/{tag}")
            } else {
                "nginx".into()
            };
            if matches!(url.path.split('?').next(), Some("/" | "/index.html")) {
                reply(
                    sim,
                    ip,
                    200,
                    Some(server),
                    "text/html",
                    NGINX_WELCOME.into(),
                    head,
                )
            } else {
                let body = format!("<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>{server}</center>\r\n</body>\r\n</html>\r\n");
                reply(sim, ip, 404, Some(server), "text/html", body, head)
            }
        }
        "httpd" => reply(
            sim,
            ip,
            200,
            Some(if full_version {
                format!("Apache/{tag} (Unix)")
            } else {
                "Apache".into()
            }),
            "text/html",
            "<html><body><h1>It works!</h1></body></html>\n".into(),
            head,
        ),
        "kubernetes-bootcamp" => {
            let v = if tag == "v2" { 2 } else { 1 };
            let body = format!("Hello Kubernetes bootcamp! | Running on: {name} | v={v}\n");
            reply(sim, ip, 200, None, "", body, head)
        }
        "hello-app" => {
            let version = if tag.starts_with('2') {
                "2.0.0"
            } else {
                "1.0.0"
            };
            let body = format!("Hello, world!\nVersion: {version}\nHostname: {name}\n");
            reply(sim, ip, 200, None, "text/plain; charset=utf-8", body, head)
        }
        _ => reply(sim, ip, 200, None, "", String::new(), head),
    })
}
