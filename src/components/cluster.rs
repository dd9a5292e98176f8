//! The cluster view: each Deployment as a card holding its ReplicaSets, each pod a tile, with
//! the actions a course needs on the card. Every action is a kubectl command line.

use kubesim::kubectl::args::quote;
use kubesim::view::{ClusterView, DeploymentView, PodView, ReplicaSetView};
use std::rc::Rc;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Above this many pods tiles shrink to plain squares so thousands stay interactive (how
/// terminating pods count: `Tiles::above`).
pub const COMPACT_ABOVE: usize = 300;
/// Up to this many pods every tile scales in and shrinks out. Above it tiles change state
/// without motion: in a 200-pod rollout those animations cost a browser drawing without a GPU
/// about 10 frames a second, and so many at once cannot be followed anyway.
pub const ANIMATE_UP_TO: usize = 100;

/// The pod tiles a view draws: all of them, and those not terminating.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Tiles {
    pub total: usize,
    pub active: usize,
}

impl Tiles {
    pub fn count<'a>(pods: impl IntoIterator<Item = &'a PodView>) -> Tiles {
        pods.into_iter().fold(Tiles::default(), |t, pod| Tiles {
            total: t.total + 1,
            active: t.active + usize::from(!pod.terminating),
        })
    }

    /// Whether these tiles are more than `limit`: the pods not terminating are, or all tiles
    /// together are more than twice the limit. Counting every tile would switch a 200-replica
    /// rollout to small squares at every step, as its retiring pods take it past 300, and
    /// back at its end; a scale-down from 2,000 still keeps its terminating pods small.
    fn above(self, limit: usize) -> bool {
        self.active > limit || self.total > 2 * limit
    }

    /// Whether tiles are drawn as small squares.
    pub fn compact(self) -> bool {
        self.above(COMPACT_ABOVE)
    }

    /// The classes the view takes: `still` (no tile motion), `compact` (small tiles).
    pub fn density(self) -> Classes {
        classes!(
            self.above(ANIMATE_UP_TO).then_some("still"),
            self.compact().then_some("compact")
        )
    }
}

/// A command line with `-n NS` appended unless the namespace is `default`.
pub fn in_namespace(line: String, ns: &str) -> String {
    if ns == "default" {
        line
    } else {
        format!("{line} -n {ns}")
    }
}

/// `kubectl VERB …`, with `-n NS` unless the namespace is `default`.
pub fn kubectl_line(ns: &str, rest: &str) -> String {
    in_namespace(format!("kubectl {rest}"), ns)
}

#[derive(Properties, PartialEq)]
pub struct ClusterPanelProps {
    pub cluster: Rc<ClusterView>,
    pub selected: Option<(String, String)>,
    pub on_command: Callback<String>,
    pub on_select: Callback<(String, String)>,
}

#[function_component(ClusterPanel)]
pub fn cluster_panel(p: &ClusterPanelProps) -> Html {
    let tiles = Tiles::count(
        p.cluster
            .deployments
            .iter()
            .flat_map(|d| d.replicasets.iter())
            .chain(&p.cluster.replicasets)
            .flat_map(|rs| rs.pods.iter())
            .chain(&p.cluster.pods),
    );
    let compact = tiles.compact();
    let unmanaged = !p.cluster.replicasets.is_empty() || !p.cluster.pods.is_empty();
    html! {
        <section class={classes!("cluster", tiles.density())} aria-label="Cluster">
            if p.cluster.deployments.is_empty() && !unmanaged {
                <p class="empty">{ "No Deployments yet: apply the manifest in the YAML tab, or create one from the console with " }
                    <code>{ "kubectl create deployment NAME --image=IMAGE" }</code>{ "." }</p>
            }
            { for p.cluster.deployments.iter().map(|d| {
                let selected = p.selected.as_ref().is_some_and(|(ns, n)| *ns == d.namespace && *n == d.name);
                html! {
                    <DeploymentCard key={format!("{}/{}", d.namespace, d.name)} deployment={d.clone()}
                        selected={selected} compact={compact}
                        on_command={p.on_command.clone()} on_select={p.on_select.clone()} />
                }
            }) }
            if unmanaged {
                <article class="deployment bare" aria-label="Not managed by a Deployment">
                    <header>
                        <h2>{ "Not managed by a Deployment" }</h2>
                    </header>
                    { for p.cluster.replicasets.iter().map(|rs| html! {
                        <ReplicaSetGroup key={format!("{}/{}", rs.namespace, rs.name)} namespace={rs.namespace.clone()}
                            rs={rs.clone()} compact={compact} on_command={p.on_command.clone()} />
                    }) }
                    if !p.cluster.pods.is_empty() {
                        <section class="replicaset rev-none" aria-label="Pods without a controller">
                            <h3>{ "Pods without a controller " }
                                <span class="meta">{ "nothing replaces a deleted one" }</span></h3>
                            <ul class="pods">
                                { for p.cluster.pods.iter().map(|pod| html! {
                                    <PodTile key={pod.uid.clone()} pod={pod.clone()} compact={compact}
                                        whole_name=true on_command={p.on_command.clone()} />
                                }) }
                            </ul>
                        </section>
                    }
                </article>
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct DeploymentCardProps {
    pub deployment: DeploymentView,
    pub selected: bool,
    pub compact: bool,
    pub on_command: Callback<String>,
    pub on_select: Callback<(String, String)>,
}

#[function_component(DeploymentCard)]
pub fn deployment_card(p: &DeploymentCardProps) -> Html {
    let d = &p.deployment;
    let image_ref = use_node_ref();
    let run = |rest: String| {
        let cb = p.on_command.clone();
        let line = kubectl_line(&d.namespace, &rest);
        Callback::from(move |_: MouseEvent| cb.emit(line.clone()))
    };
    let target = format!("deployment/{}", d.name);
    // At 0 replicas − does nothing, yet keeps the focus (aria-disabled, not disabled).
    let scale_down = if d.replicas > 0 {
        run(format!("scale {target} --replicas={}", d.replicas - 1))
    } else {
        Callback::noop()
    };
    let scale_up = run(format!("scale {target} --replicas={}", d.replicas + 1));
    let pause_resume = if d.paused {
        run(format!("rollout resume {target}"))
    } else {
        run(format!("rollout pause {target}"))
    };
    let restart = run(format!("rollout restart {target}"));
    let undo = run(format!("rollout undo {target}"));
    let set_image = {
        let cb = p.on_command.clone();
        let image_ref = image_ref.clone();
        let container = d.containers.first().cloned().unwrap_or_default();
        let (ns, target) = (d.namespace.clone(), target.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if let Some(input) = image_ref.cast::<HtmlInputElement>() {
                let image = input.value().trim().to_string();
                if !image.is_empty() {
                    cb.emit(kubectl_line(
                        &ns,
                        &format!(
                            "set image {target} {}",
                            quote(&format!("{container}={image}"))
                        ),
                    ));
                }
            }
        })
    };
    let select = {
        let cb = p.on_select.clone();
        let key = (d.namespace.clone(), d.name.clone());
        Callback::from(move |_: MouseEvent| cb.emit(key.clone()))
    };
    let ns_label = if d.namespace == "default" {
        String::new()
    } else {
        format!("{}/", d.namespace)
    };
    html! {
        <article class={classes!("deployment", p.selected.then_some("selected"))}
            aria-label={format!("Deployment {}{}", ns_label, d.name)}>
            <header>
                <h2><button class="link" onclick={select} aria-pressed={p.selected.to_string()}
                    title="Show this Deployment in the side panels">{ format!("deployment/{}{}", ns_label, d.name) }</button></h2>
                <span class="meta">{ format!("{} · {}/{} ready · {} up-to-date · {}", d.images.join(", "), d.ready, d.replicas, d.updated, d.strategy) }</span>
                if d.paused { <span class="chip warn">{ "paused" }</span> }
                { for d.conditions.iter().map(|(t, s, reason, message)| html! {
                    // `Progressing` is Unknown while paused (`DeploymentPaused`) and just after a
                    // resume (`DeploymentResumed`): not a fault.
                    <span class={classes!("chip", match s.as_str() { "True" => "ok", "Unknown" => "warn", _ => "bad" })} title={message.clone()}>
                        { format!("{t}: {reason}") }
                    </span>
                }) }
            </header>
            <div class="actions" role="group" aria-label={format!("Actions on deployment {}", d.name)}>
                <span class="scale" role="group" aria-label="Replicas">
                    <button onclick={scale_down} aria-label={format!("Scale {} down to {}", d.name, (d.replicas - 1).max(0))}
                        aria-disabled={(d.replicas == 0).then_some("true")}>{ "−" }</button>
                    <span class="count" aria-live="polite">{ crate::storage::counted(d.replicas.max(0) as usize, "replica") }</span>
                    <button onclick={scale_up} aria-label={format!("Scale {} up to {}", d.name, d.replicas + 1)}>{ "+" }</button>
                </span>
                <form class="set-image" onsubmit={set_image}>
                    <input ref={image_ref} type="text" aria-label={format!("New image for {}", d.name)}
                        placeholder={d.images.first().cloned().unwrap_or_default()} spellcheck="false" autocomplete="off"
                        required=true pattern={r".*\S.*"} title="An image, such as nginx:1.28" />
                    <button type="submit" aria-label={format!("Set image of {}", d.name)}>{ "Set image" }</button>
                </form>
                <button onclick={pause_resume} aria-label={format!("{} rollout of {}", if d.paused { "Resume" } else { "Pause" }, d.name)}>
                    { if d.paused { "Resume" } else { "Pause" } }</button>
                <button onclick={restart} aria-label={format!("Restart rollout of {}", d.name)}>{ "Restart" }</button>
                <button onclick={undo} aria-label={format!("Undo rollout of {}", d.name)}>{ "Undo" }</button>
            </div>
            { for d.replicasets.iter().map(|rs| html! {
                <ReplicaSetGroup key={rs.name.clone()} namespace={d.namespace.clone()} rs={rs.clone()}
                    compact={p.compact} on_command={p.on_command.clone()} />
            }) }
        </article>
    }
}

#[derive(Properties, PartialEq)]
pub struct ReplicaSetGroupProps {
    pub namespace: String,
    pub rs: ReplicaSetView,
    pub compact: bool,
    pub on_command: Callback<String>,
}

/// Revision colour class, six colours in turn from revision 1 (`rev-1` … `rev-6`);
/// `rev-none` for pods of no ReplicaSet. The revision number is always shown too, so colour
/// is never the only cue.
pub fn revision_class(revision: i64) -> String {
    if revision <= 0 {
        "rev-none".into()
    } else {
        format!("rev-{}", (revision - 1) % 6 + 1)
    }
}

#[function_component(ReplicaSetGroup)]
pub fn replicaset_group(p: &ReplicaSetGroupProps) -> Html {
    let rs = &p.rs;
    let label = format!(
        "ReplicaSet {}, revision {}, {} of {} ready",
        rs.name, rs.revision, rs.ready, rs.desired
    );
    let faded = rs.desired == 0 && rs.pods.is_empty();
    html! {
        <section class={classes!("replicaset", revision_class(rs.revision), faded.then_some("faded"), rs.is_new.then_some("new"))} aria-label={label}>
            <h3>
                <span class="rev-badge">{ format!("rev {}", rs.revision) }</span>
                { format!(" replicaset/{} ", rs.name) }
                <span class="meta">{ format!("{} · desired {} · current {} · ready {}", rs.images.join(", "), rs.desired, rs.current, rs.ready) }</span>
            </h3>
            <ul class="pods">
                { for rs.pods.iter().map(|pod| html! {
                    <PodTile key={pod.uid.clone()} pod={pod.clone()} compact={p.compact} on_command={p.on_command.clone()} />
                }) }
            </ul>
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct PodTileProps {
    pub pod: PodView,
    #[prop_or_default]
    pub compact: bool,
    /// Show the pod's whole name (with its namespace outside `default`), not the suffix that
    /// tells a ReplicaSet's pods apart.
    #[prop_or_default]
    pub whole_name: bool,
    pub on_command: Callback<String>,
}

/// The accessible name of a pod tile: name, status and readiness.
pub fn pod_label(pod: &PodView) -> String {
    let mut label = format!(
        "Pod {}, {}, {}",
        pod.name,
        shown_status(pod),
        if pod.ready { "Ready" } else { "Not ready" }
    );
    if pod.restarts > 0 {
        label.push_str(&format!(", {} restarts", pod.restarts));
    }
    label
}

/// A pod; a click deletes it (as `kubectl delete pod`).
#[function_component(PodTile)]
pub fn pod_tile(p: &PodTileProps) -> Html {
    let pod = &p.pod;
    let onclick = {
        let cb = p.on_command.clone();
        let line = kubectl_line(&pod.namespace, &format!("delete pod {}", pod.name));
        let terminating = pod.terminating;
        Callback::from(move |_| {
            if !terminating {
                cb.emit(line.clone())
            }
        })
    };
    // A pod in another namespace is named with it where its whole name shows.
    let named = match (p.whole_name, pod.namespace.as_str()) {
        (true, ns) if ns != "default" => format!("{ns}/{}", pod.name),
        _ => pod.name.clone(),
    };
    let shown_name = if p.whole_name {
        named.clone()
    } else {
        name_suffix(&pod.name).to_string()
    };
    let label = pod_label(pod).replacen(&pod.name, &named, 1);
    let title = format!(
        "{} — {} {} on {}{}",
        named,
        shown_status(pod),
        pod.ready_text,
        pod.node.as_deref().unwrap_or("no node yet"),
        if pod.terminating {
            ""
        } else {
            " — click to delete"
        }
    );
    html! {
        <li class={classes!("pod", pod.phase, revision_class(pod.revision))} data-name={pod.name.clone()} data-status={pod.status.clone()}>
            <button aria-label={label} title={title} onclick={onclick}
                aria-disabled={pod.terminating.then_some("true")}>
                if !p.compact {
                    <span class="pod-name">{ shown_name }</span>
                    <span class="pod-status">{ short_status(&shown_status(pod)) }
                        if pod.restarts > 0 { { format!(" ↻{}", pod.restarts) } }
                    </span>
                }
            </button>
        </li>
    }
}

/// The pod's STATUS as kubectl prints it, except on a node that stopped reporting: there the
/// API still holds what the kubelet last wrote, so the view says what is known, nothing.
fn shown_status(pod: &PodView) -> String {
    match (pod.phase, &pod.node) {
        ("lost", Some(node)) => format!("Unknown ({node} not reporting)"),
        _ => pod.status.clone(),
    }
}

/// A status short enough for a tile; the full one is in the accessible name and title.
fn short_status(status: &str) -> String {
    match status {
        "ContainerCreating" => "Creating".into(),
        "ImagePullBackOff" => "PullBackOff".into(),
        "CrashLoopBackOff" => "CrashLoop".into(),
        s if s.starts_with("Unknown") => "Unknown".into(),
        s => match s.strip_prefix("Init:") {
            Some(rest) => format!("Init:{}", short_status(rest)),
            None => s.into(),
        },
    }
}

/// The part of a pod's name that tells it from its siblings: the random suffix after the
/// last `-`, or its last five characters when a long owner name was cut to make room for
/// them (generated names stop at 63 characters, without a `-` before the suffix).
fn name_suffix(name: &str) -> &str {
    match name.rsplit('-').next() {
        Some(last) if name.len() < 63 || last.len() <= 5 => last,
        _ => {
            let start = name.char_indices().rev().nth(4).map_or(0, |(i, _)| i);
            &name[start..]
        }
    }
}
