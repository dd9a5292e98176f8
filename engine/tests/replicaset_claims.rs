//! The ReplicaSet controller's claims (k8s-semantics.md §8.5): it releases an owned pod whose
//! labels stop matching, adopts a matching orphan and then deletes the surplus, and leaves pods
//! of other controllers alone even when their labels match.

mod common;

use common::{apply, deployment_yaml, kubectl, rolling, uniform_cluster};
use kubesim::api::core::Pod;
use kubesim::store::key;
use kubesim::{Sim, Time};

fn web(sim: &mut Sim) -> (String, String) {
    apply(
        sim,
        &deployment_yaml("web", 3, &rolling("25%", "25%"), "nginx:1.27"),
    );
    sim.advance_to(Time(30_000));
    let rs = sim.store.replicasets.values().next().expect("a ReplicaSet");
    (rs.metadata.uid().to_string(), rs.metadata.name.clone())
}

fn controller_uid(p: &Pod) -> Option<&str> {
    p.metadata.controller_ref().map(|o| o.uid.as_str())
}

fn live_pods_of<'a>(sim: &'a Sim, uid: &'a str) -> impl Iterator<Item = &'a Pod> + 'a {
    sim.store
        .pods
        .values()
        .filter(move |p| controller_uid(p) == Some(uid) && !p.metadata.is_terminating())
}

#[test]
fn a_pod_whose_labels_stop_matching_is_released_and_replaced() {
    let mut sim = uniform_cluster(1.0);
    let (uid, _) = web(&mut sim);
    let victim = live_pods_of(&sim, &uid)
        .next()
        .unwrap()
        .metadata
        .name
        .clone();
    kubectl(
        &mut sim,
        &format!("kubectl label pod {victim} app=debug --overwrite"),
    );
    sim.advance_to(Time(60_000));

    let released = &sim.store.pods[&key("default", &victim)];
    assert!(
        released.metadata.owner_references.is_empty(),
        "released pods lose the ownerRef"
    );
    assert!(
        !released.metadata.is_terminating(),
        "a released pod keeps running"
    );
    let owned: Vec<&str> = live_pods_of(&sim, &uid)
        .map(|p| p.metadata.name.as_str())
        .collect();
    assert_eq!(
        owned.len(),
        3,
        "the ReplicaSet creates a replacement: {owned:?}"
    );
    assert!(!owned.contains(&victim.as_str()));
}

#[test]
fn a_matching_orphan_is_adopted_and_the_surplus_deleted() {
    let mut sim = uniform_cluster(1.0);
    let (uid, rs_name) = web(&mut sim);
    let hash = rs_name.rsplit('-').next().unwrap().to_string();
    apply(
        &mut sim,
        &format!(
            "apiVersion: v1
kind: Pod
metadata:
  name: stray
  labels: {{app: web, pod-template-hash: \"{hash}\"}}
spec:
  containers:
  - name: web
    image: nginx:1.27
"
        ),
    );
    sim.advance_to(Time(60_000));

    let deleted = sim.journal.iter().any(|j| {
        matches!(j, kubesim::sim::Journal::Event { reason, object, .. }
            if reason == "SuccessfulDelete" && object.ends_with(&rs_name))
    });
    assert!(
        deleted,
        "the ReplicaSet deleted a surplus pod after adopting"
    );
    assert_eq!(live_pods_of(&sim, &uid).count(), 3);
    // Whichever pod went, no pod matching the selector is left without an owner.
    let orphans = sim
        .store
        .pods
        .values()
        .filter(|p| p.metadata.labels.get("app").map(String::as_str) == Some("web"))
        .filter(|p| !p.metadata.is_terminating() && controller_uid(p).is_none())
        .count();
    assert_eq!(orphans, 0);
}

#[test]
fn pods_of_another_controller_are_left_alone_even_when_they_match() {
    let mut sim = uniform_cluster(1.0);
    let (uid, _) = web(&mut sim);
    // A second Deployment with the same selector and template: its ReplicaSet's selector
    // (same labels, same pod-template-hash) matches every pod of the first one.
    let twin = deployment_yaml("web", 2, &rolling("25%", "25%"), "nginx:1.27").replacen(
        "name: web\n",
        "name: twin\n",
        1,
    );
    apply(&mut sim, &twin);
    sim.advance_to(Time(60_000));

    let twin_rs = sim
        .store
        .replicasets
        .values()
        .find(|rs| rs.metadata.name.starts_with("twin-"))
        .unwrap();
    let twin_uid = twin_rs.metadata.uid().to_string();
    let web_rs = sim
        .store
        .replicasets
        .values()
        .find(|rs| rs.metadata.name.starts_with("web-"));
    assert_eq!(
        Some(&twin_rs.spec.selector),
        web_rs.map(|rs| &rs.spec.selector)
    );
    assert_eq!(live_pods_of(&sim, &uid).count(), 3, "web keeps its pods");
    assert_eq!(
        live_pods_of(&sim, &twin_uid).count(),
        2,
        "twin creates its own"
    );
    let deleted = sim.journal.iter().any(|j| {
        matches!(j, kubesim::sim::Journal::Event { reason, .. } if reason == "SuccessfulDelete")
    });
    assert!(!deleted, "no pod was taken over and deleted as surplus");
}
