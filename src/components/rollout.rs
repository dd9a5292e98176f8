//! The rollout panel for the selected Deployment: the two limits live and, in words, what the
//! controller is waiting for.

use kubesim::view::RolloutInsight;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct RolloutPanelProps {
    pub deployment: String,
    pub insight: Option<RolloutInsight>,
}

#[function_component(RolloutPanel)]
pub fn rollout_panel(p: &RolloutPanelProps) -> Html {
    let Some(i) = &p.insight else {
        return html! {
            <section class="panel rollout" aria-label="Rollout">
                <h2>{ "Rollout" }</h2>
                <p class="panel-empty">{ "No Deployment: this panel follows the rollout of one" }</p>
            </section>
        };
    };
    let (status, tone) = status(i);
    let recreate = i.strategy == "Recreate";
    html! {
        <section class="panel rollout" aria-label="Rollout">
            <h2>
                { "Rollout " }
                <span class="panel-sub">{ format!("deployment/{} · {}", p.deployment, i.strategy) }</span>
            </h2>
            // Only the state is a live region: the countdown changes every second and would be
            // announced on each tick.
            <p class={classes!("rollout-status", tone)}>
                <span role="status">{ status }</span>
                if let Some(s) = i.deadline_in {
                    { format!(" · progress deadline in {s}\u{a0}s") }
                }
            </p>
            if recreate {
                <p class="rollout-recreate">{ "Recreate: all old pods stop before new ones start" }</p>
                <p class="rollout-count">{ format!("Available: {} of {}", i.available, crate::storage::counted(i.replicas.max(0) as usize, "replica")) }</p>
            } else {
                { limit_meters(i) }
            }
            <p class="rollout-count">
                { format!("Pod objects existing, Terminating ones included: {}", i.pods_existing) }
            </p>
            <p class="rollout-count">{ format!("Updated: {} of {}", i.updated, crate::storage::counted(i.replicas.max(0) as usize, "replica")) }</p>
            if !i.waiting_for.is_empty() {
                <ul class="rollout-waiting" aria-label="Waiting for">
                    { for i.waiting_for.iter().map(|w| html! { <li>{ w.clone() }</li> }) }
                </ul>
            }
        </section>
    }
}

/// The one-line summary and its colour class, worst news first as `kubectl rollout status`
/// reports it.
fn status(i: &RolloutInsight) -> (&'static str, &'static str) {
    if i.deadline_exceeded {
        ("Progress deadline exceeded", "bad")
    } else if i.paused {
        ("Paused", "warn")
    } else if i.complete {
        ("Rollout complete", "ok")
    } else {
        ("Rolling out", "progress")
    }
}

/// `maxSurge 1 from 25%`; the "from" part only when the spec wrote something other than the
/// resolved number.
fn limit_source(name: &str, (n, written): &(i64, String)) -> String {
    if *written == n.to_string() {
        format!("{name} {n}")
    } else {
        format!("{name} {n} from {written}")
    }
}

fn limit_meters(i: &RolloutInsight) -> Html {
    // One scale for both bars so the two limits can be compared by eye.
    let scale = [
        i.max_total,
        i.total_desired,
        i.pods_existing,
        i.available,
        1,
    ]
    .into_iter()
    .max()
    .unwrap_or(1);
    let pods = format!(
        "{} of at most {} (replicas {} + {})",
        i.total_desired,
        i.max_total,
        i.replicas,
        limit_source("maxSurge", &i.max_surge)
    );
    let available = format!(
        "{}, at least {} (replicas {} − {})",
        i.available,
        i.min_available,
        i.replicas,
        limit_source("maxUnavailable", &i.max_unavailable)
    );
    html! {
        <div class="rollout-meters">
            <Meter
                name="Pods"
                detail={pods}
                value={i.total_desired}
                limit={i.max_total}
                scale={scale}
                ok={i.total_desired <= i.max_total}
            />
            <Meter
                name="Available"
                detail={available}
                value={i.available}
                limit={i.min_available}
                scale={scale}
                ok={i.available >= i.min_available}
            />
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct MeterProps {
    name: AttrValue,
    detail: String,
    value: i64,
    /// Where the limit line is drawn.
    limit: i64,
    scale: i64,
    ok: bool,
}

/// A labelled bar with a limit line; `role="meter"` so screen readers announce the numbers.
#[function_component(Meter)]
fn meter(p: &MeterProps) -> Html {
    let pct = |v: i64| (v.clamp(0, p.scale) as f64 * 100.0 / p.scale as f64).round();
    html! {
        <div class="meter">
            <div class="meter-label">
                <strong>{ format!("{}: ", p.name) }</strong>{ p.detail.clone() }
            </div>
            <div
                class={classes!("meter-bar", if p.ok { "ok" } else { "over" })}
                role="meter"
                aria-label={p.name.clone()}
                aria-valuemin="0"
                aria-valuemax={p.scale.to_string()}
                aria-valuenow={p.value.to_string()}
                aria-valuetext={p.detail.clone()}
            >
                <div class="meter-fill" style={format!("width: {}%", pct(p.value))}></div>
                <div class="meter-limit" style={format!("left: {}%", pct(p.limit))}></div>
            </div>
        </div>
    }
}
