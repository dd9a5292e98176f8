//! The ServiceAccount admission plugin's token volume: unless a pod opts out with
//! `automountServiceAccountToken: false`, a `kube-api-access-…` projected volume (the bound
//! token, the cluster's CA certificate and the namespace) mounted read-only at
//! [`TOKEN_MOUNT_PATH`] in every container and init container that has nothing mounted
//! there, and the kubelet's report of each container's mounts in its status.
//!
//! Stored pods do not carry these: every write of a pod copies it, and the volume's dozens
//! of small values made pod-heavy runs about 60 % slower. They are added where a pod is
//! served (`get` in every output format, watches, `describe`); pods' specs cannot change
//! in the fields involved, so the served pod is the one the plugin would have stored.

use super::core::{ContainerStatus, Pod, VolumeMountStatus};
use serde_yaml::Value;

/// Where the token volume is mounted.
pub const TOKEN_MOUNT_PATH: &str = "/var/run/secrets/kubernetes.io/serviceaccount";

/// `p` as the API server serves it: with the token volume and its mounts, and each
/// container status with its container's mounts.
pub fn served(p: &Pod) -> Pod {
    let mut p = p.clone();
    mount_token(&mut p);
    let inits = p.spec.init_containers();
    let with_mounts = |statuses: &mut Vec<ContainerStatus>, containers: &[_]| {
        for cs in statuses {
            if let Some(c) = containers
                .iter()
                .find(|c: &&super::core::Container| c.name == cs.name)
            {
                cs.volume_mounts = VolumeMountStatus::of(c);
            }
        }
    };
    with_mounts(&mut p.status.container_statuses, &p.spec.containers);
    with_mounts(&mut p.status.init_container_statuses, &inits);
    p
}

fn mount_token(pod: &mut Pod) {
    if pod.spec.extra.get("automountServiceAccountToken") == Some(&Value::Bool(false)) {
        return;
    }
    // `names.SimpleNameGenerator`'s five characters, here from the pod's UID: the same
    // name every time the pod is served, and no draw of the simulation's random numbers.
    let uid = pod.metadata.uid.as_deref().unwrap_or(&pod.metadata.name);
    let alphabet = crate::rng::NAME_ALPHABET;
    let suffix: String = super::hash::fnv64(uid.bytes())
        .to_le_bytes()
        .iter()
        .take(5)
        .map(|b| alphabet[*b as usize % alphabet.len()] as char)
        .collect();
    // A pod that already has such a volume (one made from another pod's manifest) keeps it.
    let existing = pod
        .spec
        .extra
        .get("volumes")
        .and_then(Value::as_sequence)
        .into_iter()
        .flatten()
        .filter_map(|v| v.get("name")?.as_str())
        .find(|n| n.starts_with("kube-api-access-"))
        .map(str::to_string);
    let name = existing
        .clone()
        .unwrap_or_else(|| format!("kube-api-access-{suffix}"));
    let text = |t: &str| Value::from(t);
    let list = |items: Vec<Value>| Value::Sequence(items);
    // `TokenVolumeSource`: the token for 3607 s, `kube-root-ca.crt`'s `ca.crt`, and the
    // namespace through the downward API, files of mode 0644.
    let token = map([
        ("expirationSeconds", Value::from(3607)),
        ("path", text("token")),
    ]);
    let ca = map([
        ("name", text("kube-root-ca.crt")),
        (
            "items",
            list(vec![map([
                ("key", text("ca.crt")),
                ("path", text("ca.crt")),
            ])]),
        ),
    ]);
    let field = map([
        ("apiVersion", text("v1")),
        ("fieldPath", text("metadata.namespace")),
    ]);
    let namespace = map([(
        "items",
        list(vec![map([
            ("path", text("namespace")),
            ("fieldRef", field),
        ])]),
    )]);
    let sources = list(vec![
        map([("serviceAccountToken", token)]),
        map([("configMap", ca)]),
        map([("downwardAPI", namespace)]),
    ]);
    let volume = map([
        ("name", text(&name)),
        (
            "projected",
            map([("defaultMode", Value::from(420)), ("sources", sources)]),
        ),
    ]);
    let mount = map([
        ("name", text(&name)),
        ("readOnly", Value::Bool(true)),
        ("mountPath", text(TOKEN_MOUNT_PATH)),
    ]);
    // Whether a container got the mount (one with its own mount at the path does not).
    let mut mounted = false;
    let mut add_mount = |mounts: &mut Value| {
        if mounts.is_null() {
            *mounts = Value::Sequence(Vec::new());
        }
        if let Value::Sequence(list) = mounts {
            let taken = list
                .iter()
                .any(|m| m.get("mountPath").and_then(Value::as_str) == Some(TOKEN_MOUNT_PATH));
            if !taken {
                list.push(mount.clone());
                mounted = true;
            }
        }
    };
    let extra = &mut pod.spec.extra;
    if let Some(Value::Sequence(inits)) = extra.get_mut("initContainers") {
        for c in inits.iter_mut().filter_map(Value::as_mapping_mut) {
            add_mount(c.entry("volumeMounts".into()).or_insert(Value::Null));
        }
    }
    for c in &mut pod.spec.containers {
        add_mount(c.extra.entry("volumeMounts".into()).or_insert(Value::Null));
    }
    if mounted && existing.is_none() {
        let volumes = extra
            .entry("volumes".into())
            .or_insert_with(|| Value::Sequence(Vec::new()));
        if let Value::Sequence(list) = volumes {
            list.push(volume);
        }
    }
}

/// A YAML mapping of these keys and values, in order.
fn map<const N: usize>(pairs: [(&str, Value); N]) -> Value {
    Value::Mapping(pairs.into_iter().map(|(k, v)| (k.into(), v)).collect())
}
