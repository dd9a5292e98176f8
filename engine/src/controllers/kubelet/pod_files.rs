//! The files the kubelet and the container runtime put in every container of a pod,
//! whatever its image: `/etc/hosts` (the kubelet's managed hosts file, with `hostAliases`),
//! `/etc/hostname` and, for the `ClusterFirst` DNS policy, `/etc/resolv.conf` with the
//! cluster DNS and the pod's search path (`managedHostsFileContent`, containerd's
//! `parseDNSOptions`); and, unless `automountServiceAccountToken` is false, the service
//! account volume's `namespace` (its token and CA certificate are not simulated).

use crate::api::core::Pod;
use crate::sim::Sim;
use std::collections::BTreeMap;

/// The cluster DNS Service's address (kube-dns in `kube-system`).
pub const CLUSTER_DNS: &str = "10.96.0.10";

/// Paths of the files below, for commands that may read them in any image.
pub const PATHS: [&str; 4] = [
    "/etc/hosts",
    "/etc/hostname",
    "/etc/resolv.conf",
    "/var/run/secrets/kubernetes.io/serviceaccount/namespace",
];

/// The files mounted into the containers of `p`, once it has an address.
pub fn files(sim: &Sim, p: &Pod) -> BTreeMap<String, String> {
    let mut files = BTreeMap::new();
    let name = &p.metadata.name;
    files.insert(PATHS[1].to_string(), format!("{name}\n"));
    let mut hosts = String::from(
        "# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n",
    );
    if let Some(ip) = sim
        .kubelet
        .pods
        .get(p.metadata.uid())
        .and_then(|rt| rt.ip.as_deref())
    {
        hosts.push_str(&format!("{ip}\t{name}\n"));
    }
    let aliases = host_aliases(p);
    if !aliases.is_empty() {
        hosts.push_str("\n# Entries added by HostAliases.\n");
        for (ip, names) in aliases {
            hosts.push_str(&format!("{ip}\t{}\n", names.join("\t")));
        }
    }
    files.insert(PATHS[0].to_string(), hosts);
    // `ClusterFirstWithHostNet` is `ClusterFirst` for a pod on the pod network; the other
    // policies take the node's file or the pod's `dnsConfig`, which are not simulated.
    if matches!(
        p.spec.dns_policy.as_deref(),
        None | Some("ClusterFirst" | "ClusterFirstWithHostNet")
    ) {
        let ns = p.metadata.ns();
        files.insert(
            PATHS[2].to_string(),
            format!(
                "search {ns}.svc.cluster.local svc.cluster.local cluster.local\nnameserver {CLUSTER_DNS}\noptions ndots:5\n"
            ),
        );
    }
    // The `kube-api-access-…` projected volume the service account admission adds.
    if p.spec.extra.get("automountServiceAccountToken") != Some(&serde_yaml::Value::Bool(false)) {
        files.insert(PATHS[3].to_string(), p.metadata.ns().to_string());
    }
    files
}

/// `spec.hostAliases`: each entry's address and names, in order.
fn host_aliases(p: &Pod) -> Vec<(String, Vec<String>)> {
    let Some(serde_yaml::Value::Sequence(list)) = p.spec.extra.get("hostAliases") else {
        return Vec::new();
    };
    list.iter()
        .filter_map(|a| {
            let ip = a.get("ip")?.as_str()?.to_string();
            let names = match a.get("hostnames") {
                Some(serde_yaml::Value::Sequence(n)) => n
                    .iter()
                    .filter_map(|h| h.as_str())
                    .map(String::from)
                    .collect(),
                _ => Vec::new(),
            };
            Some((ip, names))
        })
        .collect()
}
