//! Revision history as a timeline, with "roll back to this revision" on each.

use super::cluster::kubectl_line;
use kubesim::time::human_duration;
use kubesim::view::RevisionView;
use kubesim::Time;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct HistoryPanelProps {
    pub namespace: String,
    pub deployment: String,
    pub revisions: Rc<Vec<RevisionView>>,
    pub now: Time,
    /// `rollout undo` refuses a paused Deployment, so no roll-back buttons are offered.
    #[prop_or_default]
    pub paused: bool,
    /// A kubectl command line to run (`kubectl rollout undo … --to-revision=N`).
    pub on_command: Callback<String>,
}

/// The command the roll-back button runs, as the user would type it.
pub fn undo_command(namespace: &str, deployment: &str, revision: i64) -> String {
    kubectl_line(
        namespace,
        &format!("rollout undo deployment/{deployment} --to-revision={revision}"),
    )
}

#[function_component(HistoryPanel)]
pub fn history_panel(p: &HistoryPanelProps) -> Html {
    let mut newest_first: Vec<&RevisionView> = p.revisions.iter().collect();
    kubesim::order::sort_by_key(&mut newest_first, |r| std::cmp::Reverse(r.revision));
    html! {
        <section class="panel history" aria-label="Revision history">
            <h2 tabindex="-1">{ "Revision history" }</h2>
            if newest_first.is_empty() {
                <p class="panel-empty">{ "No revisions yet" }</p>
            } else {
                if p.paused {
                    <p class="meta">{ "Paused: resume the rollout to roll back (kubectl refuses to roll back a paused Deployment)." }</p>
                }
                <ol class="timeline">
                    { for newest_first.into_iter().map(|r| revision(p, r)) }
                </ol>
            }
        </section>
    }
}

fn revision(p: &HistoryPanelProps, r: &RevisionView) -> Html {
    let title = format!("Revision {}", r.revision);
    let onclick = {
        let cb = p.on_command.clone();
        let line = undo_command(&p.namespace, &p.deployment, r.revision);
        Callback::from(move |e: MouseEvent| {
            cb.emit(line.clone());
            // The button goes with the rollback: the focus moves to the panel's heading
            // rather than back to the top of the page.
            let heading = e
                .target()
                .and_then(|t| t.dyn_into::<Element>().ok())
                .and_then(|b| b.closest("section.history").ok().flatten())
                .and_then(|s| s.query_selector("h2").ok().flatten())
                .and_then(|h| h.dyn_into::<HtmlElement>().ok());
            if let Some(h) = heading {
                let _ = h.focus();
            }
        })
    };
    let age = human_duration(p.now.since(r.created) as i64);
    html! {
        <li key={r.replicaset.clone()} class={classes!("revision", r.current.then_some("current"))}>
            <article aria-label={title.clone()}>
                <h3>
                    { title.clone() }
                    if r.current {
                        <span class="badge">{ "current" }</span>
                    }
                </h3>
                <p class="revision-images">{ r.images.join(", ") }</p>
                if let (Some(since), false) = (r.since, r.changes.is_empty()) {
                    <div class="revision-changes">
                        <p class="revision-meta">{ format!("Pod template changes from revision {since}:") }</p>
                        <ul>
                            { for r.changes.iter().map(|c| html! { <li><code>{ c.clone() }</code></li> }) }
                        </ul>
                    </div>
                }
                <p class="revision-cause">
                    <span class="muted">{ "change-cause: " }</span>
                    {
                        match &r.change_cause {
                            Some(c) => html! { { c.clone() } },
                            None => html! { <span class="muted">{ "<none>" }</span> },
                        }
                    }
                </p>
                <p class="revision-meta">
                    { format!("created {age} ago · replicaset/{} · replicas: {}", r.replicaset, r.replicas) }
                </p>
                if !r.previous_revisions.is_empty() {
                    <p class="revision-meta">
                        { format!("previously revision {}", r.previous_revisions.join(", ")) }
                    </p>
                }
                if !r.current && !p.paused {
                    <button type="button" class="revision-undo" onclick={onclick}>
                        { format!("Roll back to revision {}", r.revision) }
                    </button>
                }
            </article>
        </li>
    }
}
