//! Resource types as kubectl names them: aliases (`deploy`, `rs`, `po`), the qualified forms
//! kubectl prints (`deployment.apps/web`, `deployments.apps "web" not found`), and
//! `TYPE NAME` / `TYPE/NAME` / `a,b` argument lists.

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Pod,
    Service,
    Endpoints,
    EndpointSlice,
    Deployment,
    ReplicaSet,
    Node,
    Namespace,
    Event,
    ResourceQuota,
}

impl Kind {
    pub const ALL: [Kind; 10] = [
        Kind::Pod,
        Kind::Service,
        Kind::Endpoints,
        Kind::EndpointSlice,
        Kind::Deployment,
        Kind::ReplicaSet,
        Kind::Node,
        Kind::Namespace,
        Kind::Event,
        Kind::ResourceQuota,
    ];

    /// Accepts the names, plurals, short names and group-qualified forms kubectl accepts.
    pub fn resolve(word: &str) -> Option<Kind> {
        let w = word.to_ascii_lowercase();
        let base = w.split('.').next().unwrap_or("");
        let group = w.split_once('.').map(|x| x.1).unwrap_or("");
        let kind = match base {
            "po" | "pod" | "pods" => Kind::Pod,
            "svc" | "service" | "services" => Kind::Service,
            "ep" | "endpoints" => Kind::Endpoints,
            "endpointslice" | "endpointslices" => Kind::EndpointSlice,
            "deploy" | "deployment" | "deployments" => Kind::Deployment,
            "rs" | "replicaset" | "replicasets" => Kind::ReplicaSet,
            "no" | "node" | "nodes" => Kind::Node,
            "ns" | "namespace" | "namespaces" => Kind::Namespace,
            "ev" | "event" | "events" => Kind::Event,
            "quota" | "resourcequota" | "resourcequotas" => Kind::ResourceQuota,
            _ => return None,
        };
        let groups_ok = match kind {
            Kind::Deployment | Kind::ReplicaSet => ["", "apps", "v1.apps"].contains(&group),
            Kind::EndpointSlice => ["", "discovery.k8s.io", "v1.discovery.k8s.io"].contains(&group),
            Kind::Event => ["", "events.k8s.io", "v1.events.k8s.io"].contains(&group),
            _ => group.is_empty() || group == "v1",
        };
        groups_ok.then_some(kind)
    }

    /// The Kind as objects spell it.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Pod => "Pod",
            Kind::Service => "Service",
            Kind::Endpoints => "Endpoints",
            Kind::EndpointSlice => "EndpointSlice",
            Kind::Deployment => "Deployment",
            Kind::ReplicaSet => "ReplicaSet",
            Kind::Node => "Node",
            Kind::Namespace => "Namespace",
            Kind::Event => "Event",
            Kind::ResourceQuota => "ResourceQuota",
        }
    }

    /// `deployments.apps`, `pods` — as in `deployments.apps "web" not found`.
    pub fn group_resource(self) -> &'static str {
        match self {
            Kind::Pod => "pods",
            Kind::Service => "services",
            Kind::Endpoints => "endpoints",
            Kind::EndpointSlice => "endpointslices.discovery.k8s.io",
            Kind::Deployment => "deployments.apps",
            Kind::ReplicaSet => "replicasets.apps",
            Kind::Node => "nodes",
            Kind::Namespace => "namespaces",
            Kind::Event => "events",
            Kind::ResourceQuota => "resourcequotas",
        }
    }

    /// `deployments`, `pods`: the resource without its group.
    pub fn resource(self) -> &'static str {
        let r = self.group_resource();
        r.split_once('.').map_or(r, |(plural, _)| plural)
    }

    /// `deployment.apps`, `pod` — as in `deployment.apps/web scaled`.
    pub fn qualified(self) -> &'static str {
        match self {
            Kind::Pod => "pod",
            Kind::Service => "service",
            Kind::Endpoints => "endpoints",
            Kind::EndpointSlice => "endpointslice.discovery.k8s.io",
            Kind::Deployment => "deployment.apps",
            Kind::ReplicaSet => "replicaset.apps",
            Kind::Node => "node",
            Kind::Namespace => "namespace",
            Kind::Event => "event",
            Kind::ResourceQuota => "resourcequota",
        }
    }

    pub fn namespaced(self) -> bool {
        !matches!(self, Kind::Node | Kind::Namespace)
    }

    pub fn api_version(self) -> &'static str {
        match self {
            Kind::Deployment | Kind::ReplicaSet => "apps/v1",
            Kind::EndpointSlice => "discovery.k8s.io/v1",
            _ => "v1",
        }
    }
}

/// What the positional arguments of `get`/`describe`/`delete` asked for.
#[derive(Debug, Clone, PartialEq)]
pub struct Selection {
    /// Each requested kind with the names given for it (empty = all of that kind).
    pub items: Vec<(Kind, Vec<String>)>,
    /// `kubectl get all`.
    pub all: bool,
}

/// Resolves `TYPE [NAME…]`, `TYPE/NAME …` and `TYPE1,TYPE2`.
pub fn select(args: &[String]) -> Result<Selection, String> {
    let unknown = |w: &str| format!("error: the server doesn't have a resource type {w:?}");
    let mut sel = Selection {
        items: Vec::new(),
        all: false,
    };
    let Some(first) = args.first() else {
        return Ok(sel);
    };
    if first.contains('/') {
        for a in args {
            let Some((t, n)) = a.split_once('/') else {
                return Err("error: there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'".into());
            };
            if n.contains('/') {
                return Err(
                    "error: arguments in resource/name form may not have more than one slash"
                        .to_string(),
                );
            }
            let kind = Kind::resolve(t).ok_or_else(|| unknown(t))?;
            if n.is_empty() {
                return Err(
                    "error: arguments in resource/name form must have a single resource and name"
                        .to_string(),
                );
            }
            match sel.items.iter_mut().find(|(k, _)| *k == kind) {
                Some((_, names)) => names.push(n.to_string()),
                None => sel.items.push((kind, vec![n.to_string()])),
            }
        }
        return Ok(sel);
    }
    let names: Vec<String> = args[1..].to_vec();
    // The resource builder refuses an empty name before asking the server anything.
    if names.iter().any(String::is_empty) {
        return Err("error: resource name may not be empty".to_string());
    }
    for t in first.split(',') {
        if t == "all" {
            sel.all = true;
            for k in [Kind::Pod, Kind::Service, Kind::Deployment, Kind::ReplicaSet] {
                sel.items.push((k, names.clone()));
            }
            continue;
        }
        let kind = Kind::resolve(t).ok_or_else(|| unknown(t))?;
        sel.items.push((kind, names.clone()));
    }
    Ok(sel)
}

/// The containers of a Deployment's or ReplicaSet's pod template, or of a pod; `None` for
/// another kind or an object that is not there.
pub fn containers<'a>(
    sim: &'a crate::sim::Sim,
    kind: Kind,
    ns: &str,
    name: &str,
) -> Option<&'a [crate::api::core::Container]> {
    let k = crate::store::key(ns, name);
    let s = &sim.store;
    match kind {
        Kind::Deployment => s
            .deployments
            .get(&k)
            .map(|d| &d.spec.template.spec.containers[..]),
        Kind::ReplicaSet => s
            .replicasets
            .get(&k)
            .map(|r| &r.spec.template.spec.containers[..]),
        Kind::Pod => s.pods.get(&k).map(|p| &p.spec.containers[..]),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_and_groups_resolve() {
        for w in [
            "deploy",
            "deployments",
            "deployment.apps",
            "deployments.v1.apps",
            "Deployment",
        ] {
            assert_eq!(Kind::resolve(w), Some(Kind::Deployment), "{w}");
        }
        assert_eq!(Kind::resolve("rs"), Some(Kind::ReplicaSet));
        assert_eq!(Kind::resolve("po"), Some(Kind::Pod));
        assert_eq!(Kind::resolve("deployment.extensions"), None);
        assert_eq!(Kind::resolve("foo"), None);
    }

    #[test]
    fn selections_cover_the_argument_forms() {
        let s = |v: &[&str]| select(&v.iter().map(|x| x.to_string()).collect::<Vec<_>>());
        assert_eq!(
            s(&["deploy/web", "rs/web-1"]).unwrap().items,
            vec![
                (Kind::Deployment, vec!["web".to_string()]),
                (Kind::ReplicaSet, vec!["web-1".to_string()])
            ]
        );
        assert_eq!(
            s(&["pods,rs"]).unwrap().items,
            vec![(Kind::Pod, vec![]), (Kind::ReplicaSet, vec![])]
        );
        assert_eq!(
            s(&["foo"]).unwrap_err(),
            "error: the server doesn't have a resource type \"foo\""
        );
        assert!(s(&["all"]).unwrap().all);
        assert_eq!(
            s(&["deploy", ""]).unwrap_err(),
            "error: resource name may not be empty"
        );
        assert_eq!(
            s(&["deploy/web/extra"]).unwrap_err(),
            "error: arguments in resource/name form may not have more than one slash"
        );
    }
}
