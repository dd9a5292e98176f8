//! `kubectl apply`'s client-side three-way merge on YAML values
//! (`strategicpatch.CreateThreeWayMergePatch` applied to the live object).
//!
//! The patch is the difference from live to new without deletions, plus the deletions from
//! last-applied to new. So a field the file sets always wins over the live value (a
//! manifest's `replicas: 3` undoes `kubectl scale --replicas=10`), a field the file stops
//! setting is removed, and a field only the live object has (defaults, status, a scale of a
//! Deployment whose file never set `replicas`) is kept. Lists of containers, ports, env,
//! volume mounts and volumes merge item by item on their merge key; other lists are replaced.

use serde_yaml::{Mapping, Value};
use std::collections::{BTreeMap, BTreeSet};

const MAX_DEPTH: usize = 200;

/// Merges `new` (the file) into `live`, deleting what `last_applied` had and `new` lacks.
/// Without `last_applied` nothing is deleted.
pub fn three_way_merge(last_applied: Option<&Value>, new: &Value, live: &Value) -> Value {
    merge_value("", "", last_applied, new, Some(live), 0)
}

/// Whether applying changed nothing.
pub fn is_noop(before: &Value, after: &Value) -> bool {
    before == after
}

/// The strategic-merge key of list field `field` inside an object that is itself the
/// value of `parent` (the list or map field holding it), if the list merges by key.
fn merge_key(parent: &str, field: &str) -> Option<&'static str> {
    match field {
        "containers" | "initContainers" | "ephemeralContainers" => Some("name"),
        "ports"
            if matches!(
                parent,
                "containers" | "initContainers" | "ephemeralContainers"
            ) =>
        {
            Some("containerPort")
        }
        // Service ports merge on `port`.
        "ports" if parent == "spec" => Some("port"),
        "env" | "volumes" | "imagePullSecrets" => Some("name"),
        "volumeMounts" => Some("mountPath"),
        "volumeDevices" => Some("devicePath"),
        "hostAliases" => Some("ip"),
        "topologySpreadConstraints" => Some("topologyKey"),
        "ownerReferences" => Some("uid"),
        _ => None,
    }
}

fn merge_value(
    parent: &str,
    field: &str,
    last: Option<&Value>,
    new: &Value,
    live: Option<&Value>,
    depth: usize,
) -> Value {
    if depth > MAX_DEPTH {
        return new.clone();
    }
    match (new, live) {
        (Value::Mapping(n), Some(Value::Mapping(l))) => Value::Mapping(merge_map(
            field,
            last.and_then(Value::as_mapping),
            n,
            l,
            depth,
        )),
        (Value::Sequence(n), Some(Value::Sequence(l))) => match merge_key(parent, field) {
            Some(key) => Value::Sequence(merge_list(
                field,
                key,
                last.and_then(Value::as_sequence),
                n,
                l,
                depth,
            )),
            None => new.clone(),
        },
        _ => new.clone(),
    }
}

/// `name` is the field this map is the value of (or the list its item belongs to).
fn merge_map(
    name: &str,
    last: Option<&Mapping>,
    new: &Mapping,
    live: &Mapping,
    depth: usize,
) -> Mapping {
    let mut out = live.clone();
    if let Some(last) = last {
        for key in last.keys() {
            if !new.contains_key(key) {
                out.remove(key);
            }
        }
    }
    for (key, value) in new {
        // An explicit null in the file deletes the field, as in a JSON merge patch.
        if value.is_null() {
            out.remove(key);
            continue;
        }
        let field = key.as_str().unwrap_or("");
        let merged = merge_value(
            name,
            field,
            last.and_then(|m| m.get(key)),
            value,
            out.get(key),
            depth + 1,
        );
        out.insert(key.clone(), merged);
    }
    out
}

/// Merges list items on `key`: items of `new` merge into the live item with the same key
/// (in `new`'s order), items last-applied had and `new` dropped are deleted, and items only
/// the live object has stay after them.
fn merge_list(
    field: &str,
    key: &str,
    last: Option<&Vec<Value>>,
    new: &[Value],
    live: &[Value],
    depth: usize,
) -> Vec<Value> {
    // Items are matched by their merge key's JSON text through an index, so a list of
    // thousands (env variables, ports) merges in n log n rather than n².
    let key_of = |item: &Value| {
        item.get(key)
            .filter(|k| !k.is_null())
            .map(crate::api::json::to_json_compact)
    };
    let last_index = last.map(|l| key_index(l, key_of));
    let live_index = key_index(live, key_of);
    let new_keys: BTreeSet<String> = new.iter().filter_map(key_of).collect();
    let dropped: BTreeSet<String> = last
        .map(|l| {
            l.iter()
                .filter_map(key_of)
                .filter(|k| !new_keys.contains(k))
                .collect()
        })
        .unwrap_or_default();
    let mut out = Vec::with_capacity(new.len() + live.len());
    for item in new {
        let merged = match key_of(item) {
            Some(k) => {
                let last_item = last
                    .zip(last_index.as_ref())
                    .and_then(|(l, ix)| ix.get(&k).map(|i| &l[*i]));
                let live_item = live_index.get(&k).map(|i| &live[*i]);
                merge_value(field, field, last_item, item, live_item, depth + 1)
            }
            None => item.clone(),
        };
        out.push(merged);
    }
    for item in live {
        let keep = match key_of(item) {
            Some(k) => !new_keys.contains(&k) && !dropped.contains(&k),
            None => false,
        };
        if keep {
            out.push(item.clone());
        }
    }
    out
}

/// Where each merge key (as `key_of` writes it) first appears in `items`.
fn key_index(
    items: &[Value],
    key_of: impl Fn(&Value) -> Option<String>,
) -> BTreeMap<String, usize> {
    let mut by_key = BTreeMap::new();
    for (i, item) in items.iter().enumerate() {
        if let Some(k) = key_of(item) {
            by_key.entry(k).or_insert(i);
        }
    }
    by_key
}

/// `kubectl patch`'s strategic merge patch of `live` (`strategicpatch.StrategicMergePatch`,
/// without directives): maps merge, `null` deletes, keyed lists merge item by item. In such
/// a list every patch item needs its merge key, and the result keeps the live order: items
/// already there stay where they were, a new one goes before the first live item it cannot
/// be ordered against (`normalizeElementOrder` / `mergeSortedSlice`).
pub fn strategic_merge_patch(live: &Value, patch: &Value) -> Result<Value, String> {
    smp_value("", "", patch, Some(live), 0)
}

fn smp_value(
    parent: &str,
    field: &str,
    patch: &Value,
    live: Option<&Value>,
    depth: usize,
) -> Result<Value, String> {
    if depth > MAX_DEPTH {
        return Ok(patch.clone());
    }
    match (patch, live) {
        (Value::Mapping(p), Some(Value::Mapping(l))) => {
            let mut out = l.clone();
            for (k, v) in p {
                if v.is_null() {
                    out.remove(k);
                    continue;
                }
                let name = k.as_str().unwrap_or("");
                let merged = smp_value(field, name, v, out.get(k), depth + 1)?;
                out.insert(k.clone(), merged);
            }
            Ok(Value::Mapping(out))
        }
        (Value::Sequence(p), Some(Value::Sequence(l))) => match merge_key(parent, field) {
            Some(key) => smp_list(field, key, p, l, depth).map(Value::Sequence),
            None => Ok(patch.clone()),
        },
        _ => Ok(patch.clone()),
    }
}

fn smp_list(
    field: &str,
    key: &str,
    patch: &[Value],
    live: &[Value],
    depth: usize,
) -> Result<Vec<Value>, String> {
    let key_of = |item: &Value| item.get(key).map(crate::api::json::to_json_compact);
    let live_index = key_index(live, key_of);
    // Each patch item merged into its live item, with that item's live position if any; a
    // key the patch repeats merges into the same item.
    let mut patched: Vec<(Option<usize>, Value)> = Vec::with_capacity(patch.len());
    let mut touched: BTreeMap<String, usize> = BTreeMap::new();
    for item in patch {
        let Some(k) = key_of(item) else {
            return Err(format!(
                "map: {} does not contain declared merge key: {key}",
                crate::api::json::go_format(item, false)
            ));
        };
        if let Some(&j) = touched.get(&k) {
            let merged = smp_value(field, field, item, Some(&patched[j].1), depth + 1)?;
            patched[j].1 = merged;
            continue;
        }
        let at = live_index.get(&k).copied();
        let merged = match at {
            Some(i) => smp_value(field, field, item, Some(&live[i]), depth + 1)?,
            None => item.clone(),
        };
        touched.insert(k, patched.len());
        patched.push((at, merged));
    }
    let server_only = live
        .iter()
        .enumerate()
        .filter(|(_, item)| key_of(item).is_none_or(|k| !touched.contains_key(&k)));
    let server_only: Vec<(Option<usize>, Value)> =
        server_only.map(|(i, v)| (Some(i), v.clone())).collect();
    // mergeSortedSlice: interleave by live position where both are known, else patch first.
    let mut out = Vec::with_capacity(patched.len() + server_only.len());
    let (mut left, mut right) = (
        patched.into_iter().peekable(),
        server_only.into_iter().peekable(),
    );
    loop {
        let take_left = match (left.peek(), right.peek()) {
            (None, None) => break,
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (Some((Some(l), _)), Some((Some(r), _))) => l < r,
            _ => true,
        };
        let next = if take_left { left.next() } else { right.next() };
        out.extend(next.map(|(_, v)| v));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(text: &str) -> Value {
        serde_yaml::from_str(text).unwrap_or(Value::Null)
    }

    #[test]
    fn a_replicas_value_in_the_file_overrides_kubectl_scale() {
        // kubectl computes what to set against the live object, so re-applying a file with
        // `replicas: 3` resets a Deployment scaled to 10 (kubernetes/kubernetes#66385).
        let last = v("spec: {replicas: 3}");
        let live = v("spec: {replicas: 10}");
        let merged = three_way_merge(Some(&last), &v("spec: {replicas: 3}"), &live);
        assert_eq!(merged, v("spec: {replicas: 3}"));
    }

    #[test]
    fn a_scale_is_kept_when_the_file_never_set_replicas() {
        // The declarative-config task page: replicas 2 is "retained from kubectl scale",
        // minReadySeconds (dropped from the file) is cleared, the image is updated.
        let last = v("
spec:
  minReadySeconds: 5
  selector: {matchLabels: {app: nginx}}
  template:
    metadata: {labels: {app: nginx}}
    spec:
      containers: [{name: nginx, image: nginx:1.14.2, ports: [{containerPort: 80}]}]
");
        let new = v("
spec:
  selector: {matchLabels: {app: nginx}}
  template:
    metadata: {labels: {app: nginx}}
    spec:
      containers: [{name: nginx, image: nginx:1.16.1, ports: [{containerPort: 80}]}]
");
        let live = v("
spec:
  replicas: 2
  minReadySeconds: 5
  selector: {matchLabels: {app: nginx}}
  template:
    metadata: {labels: {app: nginx}}
    spec:
      containers:
      - name: nginx
        image: nginx:1.14.2
        ports: [{containerPort: 80, protocol: TCP}]
        terminationMessagePath: /dev/termination-log
status: {replicas: 2}
");
        let expected = v("
spec:
  replicas: 2
  selector: {matchLabels: {app: nginx}}
  template:
    metadata: {labels: {app: nginx}}
    spec:
      containers:
      - name: nginx
        image: nginx:1.16.1
        ports: [{containerPort: 80, protocol: TCP}]
        terminationMessagePath: /dev/termination-log
status: {replicas: 2}
");
        assert_eq!(three_way_merge(Some(&last), &new, &live), expected);
    }

    #[test]
    fn removing_a_field_from_the_file_deletes_it_from_live() {
        let last = v("metadata: {labels: {app: web, tier: front}}\nspec: {paused: true}");
        let new = v("metadata: {labels: {app: web}}\nspec: {}");
        let live = v("metadata: {labels: {app: web, tier: front, team: x}}\nspec: {paused: true, replicas: 1}");
        let merged = three_way_merge(Some(&last), &new, &live);
        assert_eq!(
            merged,
            v("metadata: {labels: {app: web, team: x}}\nspec: {replicas: 1}")
        );
    }

    #[test]
    fn containers_merge_by_name_keeping_live_only_fields() {
        let last = v("containers: [{name: web, image: nginx:1.25}, {name: log, image: busybox}]");
        let new = v("containers: [{name: web, image: nginx:1.27}]");
        let live = v("
containers:
- {name: web, image: nginx:1.25, imagePullPolicy: IfNotPresent}
- {name: log, image: busybox}
- {name: mesh-proxy, image: envoy}
");
        let merged = three_way_merge(Some(&last), &new, &live);
        let expected = v("
containers:
- {name: web, image: nginx:1.27, imagePullPolicy: IfNotPresent}
- {name: mesh-proxy, image: envoy}
");
        assert_eq!(merged, expected);
    }

    #[test]
    fn env_ports_and_mounts_merge_on_their_keys() {
        let last = v("containers: [{name: a, env: [{name: X, value: '1'}, {name: Y, value: '2'}], ports: [{containerPort: 80}]}]");
        let new = v("containers: [{name: a, env: [{name: X, value: '9'}], ports: [{containerPort: 80, name: http}], volumeMounts: [{mountPath: /d, name: d}]}]");
        let live = v("containers: [{name: a, env: [{name: X, value: '1'}, {name: Y, value: '2'}], ports: [{containerPort: 80, protocol: TCP}]}]");
        let merged = three_way_merge(Some(&last), &new, &live);
        let expected = v("containers: [{name: a, env: [{name: X, value: '9'}], ports: [{containerPort: 80, protocol: TCP, name: http}], volumeMounts: [{mountPath: /d, name: d}]}]");
        assert_eq!(merged, expected);
    }

    #[test]
    fn lists_without_a_merge_key_are_replaced() {
        let last = v("args: [a, b]\ntolerations: [{key: k, operator: Exists}]");
        let new = v("args: [c]\ntolerations: [{key: z, operator: Exists}]");
        let live = v("args: [a, b, live]\ntolerations: [{key: k, operator: Exists}, {key: node.kubernetes.io/not-ready, operator: Exists}]");
        assert_eq!(three_way_merge(Some(&last), &new, &live), new);
    }

    #[test]
    fn service_ports_merge_on_port() {
        let live = v("spec: {ports: [{port: 80, targetPort: 8080, protocol: TCP}]}");
        let new = v("spec: {ports: [{port: 80, targetPort: 9090}]}");
        let merged = three_way_merge(None, &new, &live);
        assert_eq!(
            merged,
            v("spec: {ports: [{port: 80, targetPort: 9090, protocol: TCP}]}")
        );
    }

    #[test]
    fn without_last_applied_new_wins_and_nothing_is_deleted() {
        let live = v("metadata: {labels: {a: '1', b: '2'}}\nspec: {replicas: 5, paused: true}");
        let new = v("metadata: {labels: {a: x}}\nspec: {replicas: 2}");
        let merged = three_way_merge(None, &new, &live);
        assert_eq!(
            merged,
            v("metadata: {labels: {a: x, b: '2'}}\nspec: {replicas: 2, paused: true}")
        );
    }

    #[test]
    fn an_explicit_null_deletes_the_field() {
        let merged = three_way_merge(
            None,
            &v("spec: {paused: null}"),
            &v("spec: {paused: true, replicas: 1}"),
        );
        assert_eq!(merged, v("spec: {replicas: 1}"));
    }

    #[test]
    fn applying_the_same_file_twice_is_a_noop() {
        let file = v("spec: {replicas: 3, template: {spec: {containers: [{name: a, image: b}]}}}");
        let live = v("spec: {replicas: 3, template: {spec: {containers: [{name: a, image: b, imagePullPolicy: Always}]}}}");
        let merged = three_way_merge(Some(&file), &file, &live);
        assert!(is_noop(&live, &merged));
        assert!(!is_noop(
            &live,
            &three_way_merge(Some(&file), &v("spec: {replicas: 4}"), &live)
        ));
    }
}
