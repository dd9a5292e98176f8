//! busybox `nslookup` against the cluster DNS, in the two forms busybox images have: from
//! 1.29 on (busybox, alpine) its own resolver, which sends one A and one AAAA query per
//! search domain for a name without a dot, the name as it is otherwise, prints every answer
//! and exits 1 when any query failed (networking/nslookup.c); up to 1.28, the one the
//! Kubernetes DNS debugging guide uses, it asks libc, which tries the search domains by
//! `ndots`, and prints the addresses with their reverse names. The server and the search
//! path come from the container's own `/etc/resolv.conf`.

use super::{Flow, Network, Shell};

/// Where a server-less `nslookup` sends its queries without a `resolv.conf` nameserver.
const LOCALHOST: &str = "127.0.0.1";

/// The query types busybox ≥ 1.29 knows, in the order it sends them.
const QUERY_TYPES: [&str; 10] = [
    "SOA", "NS", "A", "AAAA", "CNAME", "MX", "TXT", "PTR", "SRV", "ANY",
];

struct ResolvConf {
    servers: Vec<String>,
    search: Vec<String>,
    ndots: usize,
}

impl Shell<'_> {
    /// `nslookup [-option…] HOST [SERVER]`.
    pub(super) fn nslookup(&mut self, args: &[String]) -> Flow {
        let net = match self.reach("nslookup") {
            Ok(net) => net,
            Err(flow) => return flow,
        };
        let legacy = net.legacy_nslookup();
        let (options, operands): (Vec<&String>, Vec<&String>) =
            args.iter().partition(|a| a.starts_with('-'));
        // 1.28 takes no options; later ones `-type=T`, and some that change nothing here.
        let mut types = Vec::new();
        for o in &options {
            let (name, value) = o[1..].split_once('=').unwrap_or((&o[1..], ""));
            match name {
                _ if legacy => return self.nslookup_usage(legacy),
                "type" | "querytype" => match QUERY_TYPES
                    .iter()
                    .position(|t| t.eq_ignore_ascii_case(value))
                {
                    Some(t) => types.push(t),
                    None => {
                        self.print_err(&format!("nslookup: invalid query type \"{value}\"\n"));
                        self.status = 1;
                        return Flow::Normal;
                    }
                },
                "port" | "retry" | "debug" | "t" | "timeout" => {}
                _ => return self.nslookup_usage(legacy),
            }
        }
        let [host, rest @ ..] = operands.as_slice() else {
            return self.nslookup_usage(legacy);
        };
        if rest.len() > 1 {
            return self.nslookup_usage(legacy);
        }
        let conf = self.resolv_conf();
        let server = rest
            .first()
            .map(|s| s.to_string())
            .or_else(|| conf.servers.first().cloned())
            .unwrap_or_else(|| LOCALHOST.to_string());
        let host = host.as_str();
        if legacy {
            self.libc_lookup(net, host, &server, &conf)
        } else if !net.dns_server(&server) {
            self.print(";; connection timed out; no servers could be reached\n\n");
            self.status = 1;
            Flow::Normal
        } else {
            crate::order::sort(&mut types);
            types.dedup();
            self.queries(net, host, &server, &conf, &types)
        }
    }

    fn nslookup_usage(&mut self, legacy: bool) -> Flow {
        self.print_err(if legacy {
            "Usage: nslookup [HOST] [SERVER]\n"
        } else {
            "Usage: nslookup [-type=QUERY_TYPE] [-debug] HOST [DNS_SERVER]\n"
        });
        self.status = 1;
        Flow::Normal
    }

    /// What the container's `/etc/resolv.conf` says.
    fn resolv_conf(&self) -> ResolvConf {
        let mut conf = ResolvConf {
            servers: Vec::new(),
            search: Vec::new(),
            ndots: 1,
        };
        let text = self
            .read_files()
            .get("/etc/resolv.conf")
            .cloned()
            .unwrap_or_default();
        for line in text.lines() {
            let mut words = line.split_whitespace();
            match words.next() {
                Some("nameserver") => conf.servers.extend(words.next().map(String::from)),
                Some("search") => conf.search = words.map(String::from).collect(),
                Some("options") => {
                    if let Some(n) = words
                        .filter_map(|o| o.strip_prefix("ndots:"))
                        .find_map(|n| n.parse().ok())
                    {
                        conf.ndots = n;
                    }
                }
                _ => {}
            }
        }
        conf
    }

    /// busybox ≥ 1.29: every query and its answer, in the order they were sent; `types`
    /// indexes [`QUERY_TYPES`] (none given: A and AAAA, or PTR for an address).
    fn queries(
        &mut self,
        net: &dyn Network,
        host: &str,
        server: &str,
        conf: &ResolvConf,
        types: &[usize],
    ) -> Flow {
        let mut out = format!("Server:\t\t{server}\nAddress:\t{server}:53\n\n");
        let mut failed = false;
        let reversed = in_addr_arpa(host).filter(|_| types.is_empty());
        if let Some(reversed) = reversed {
            match net.reverse(host) {
                Some(name) => out.push_str(&format!("{reversed}\tname = {name}\n")),
                None => {
                    out.push_str(&format!("** server can't find {reversed}: NXDOMAIN\n"));
                    failed = true;
                }
            }
            out.push('\n');
        } else {
            // `add_query_with_search`: the search domains only for a name without a dot.
            let names: Vec<String> = if host.contains('.') || conf.search.is_empty() {
                vec![host.to_string()]
            } else {
                conf.search.iter().map(|d| format!("{host}.{d}")).collect()
            };
            let types: Vec<&str> = if types.is_empty() {
                vec!["A", "AAAA"]
            } else {
                types.iter().map(|&t| QUERY_TYPES[t]).collect()
            };
            for t in types {
                for name in &names {
                    let owner = name.trim_end_matches('.');
                    // An ExternalName Service's name is a CNAME; CoreDNS adds the target's
                    // addresses when the target is a name of the cluster.
                    if let Some(target) = net.alias(owner) {
                        out.push_str(&format!("{owner}\tcanonical name = {target}\n"));
                        if t == "A" {
                            for ip in net.resolve(&target).unwrap_or_default() {
                                out.push_str(&format!("Name:\t{target}\nAddress: {ip}\n"));
                            }
                        }
                        out.push('\n');
                        continue;
                    }
                    match net.resolve(owner) {
                        // Only A records are simulated: the cluster's addresses are IPv4,
                        // and a name's other records are left out. A query without an
                        // answer prints as an empty line.
                        Some(ips) if t == "A" => {
                            for ip in ips {
                                out.push_str(&format!("Name:\t{owner}\nAddress: {ip}\n"));
                            }
                        }
                        Some(_) => {}
                        None => {
                            out.push_str(&format!("** server can't find {name}: NXDOMAIN\n"));
                            failed = true;
                        }
                    }
                    out.push('\n');
                }
            }
        }
        self.print(&out);
        self.status = i64::from(failed);
        Flow::Normal
    }

    /// busybox ≤ 1.28: the server and the host each as `getaddrinfo` finds them, with the
    /// reverse name of every address (none when the server does not answer).
    fn libc_lookup(
        &mut self,
        net: &dyn Network,
        host: &str,
        server: &str,
        conf: &ResolvConf,
    ) -> Flow {
        let answers = net.dns_server(server);
        let address = |i: usize, ip: &str| match net.reverse(ip).filter(|_| answers) {
            Some(name) => format!("Address {i}: {ip} {name}\n"),
            None => format!("Address {i}: {ip}\n"),
        };
        let mut out = format!("{:<10} {server}\n{}\n", "Server:", address(1, server));
        let ips = if in_addr_arpa(host).is_some() {
            Some(vec![host.to_string()])
        } else if !answers {
            None
        } else {
            // libc follows a CNAME to the target's addresses.
            candidates(host, conf)
                .iter()
                .filter_map(|name| match net.alias(name) {
                    Some(target) => net.resolve(&target),
                    None => net.resolve(name),
                })
                .find(|ips| !ips.is_empty())
        };
        match ips {
            Some(ips) => {
                out.push_str(&format!("{:<10} {host}\n", "Name:"));
                for (i, ip) in ips.iter().enumerate() {
                    out.push_str(&address(i + 1, ip));
                }
                self.print(&out);
                self.status = 0;
            }
            None => {
                self.print(&out);
                self.print_err(&format!("nslookup: can't resolve '{host}'\n"));
                self.status = 1;
            }
        }
        Flow::Normal
    }
}

/// The names libc's resolver tries for `host`: with fewer dots than `ndots`, under each
/// search domain first and then as it is; otherwise the other way round. A final dot
/// means the name as it is only.
fn candidates(host: &str, conf: &ResolvConf) -> Vec<String> {
    if let Some(absolute) = host.strip_suffix('.') {
        return vec![absolute.to_string()];
    }
    let searched = conf.search.iter().map(|d| format!("{host}.{d}"));
    if host.matches('.').count() < conf.ndots {
        searched.chain([host.to_string()]).collect()
    } else {
        [host.to_string()].into_iter().chain(searched).collect()
    }
}

/// The reverse-lookup name of an IPv4 address (`1.0.96.10.in-addr.arpa`).
fn in_addr_arpa(host: &str) -> Option<String> {
    let octets: Vec<u8> = host
        .split('.')
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    (octets.len() == 4).then(|| {
        format!(
            "{}.{}.{}.{}.in-addr.arpa",
            octets[3], octets[2], octets[1], octets[0]
        )
    })
}
