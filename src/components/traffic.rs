//! The traffic panel: requests flowing from clients through a Service to its endpoints,
//! coloured by the revision that served them; a chart of requests per second by revision and
//! errors; and the totals of the current rollout. Zero downtime, shown with numbers.

use super::cluster::{in_namespace, revision_class};
use kubesim::view::{ServiceTrafficView, TrafficView};
use kubesim::Time;
use yew::prelude::*;

/// Seconds of history the chart shows.
const CHART_SECONDS: usize = 90;
/// Requests drawn as dots: those of the last simulated seconds.
const DOT_WINDOW_MS: u64 = 1_500;

#[derive(Properties, PartialEq)]
pub struct TrafficPanelProps {
    pub traffic: Option<TrafficView>,
    /// A kubectl or kubesim command line to run (starting and stopping the load).
    pub on_command: Callback<String>,
}

#[function_component(TrafficPanel)]
pub fn traffic_panel(p: &TrafficPanelProps) -> Html {
    let Some(t) = &p.traffic else {
        return html! {
            <section class="traffic panel" aria-label="Traffic">
                <p class="panel-empty">{ "No client load. Load a traffic scenario, or start one with " }
                    <code>{ "kubesim traffic SERVICE 20" }</code>{ " in the console (a Service must select the pods)." }</p>
            </section>
        };
    };
    html! {
        <section class="traffic panel" aria-label="Traffic">
            { for t.services.iter().map(|s| html! {
                <ServiceTraffic key={format!("{}/{}", s.namespace, s.service)} service={s.clone()} now={t.now} on_command={p.on_command.clone()} />
            }) }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct ServiceTrafficProps {
    service: ServiceTrafficView,
    now: Time,
    on_command: Callback<String>,
}

#[function_component(ServiceTraffic)]
fn service_traffic(p: &ServiceTrafficProps) -> Html {
    let s = &p.service;
    let set_rate = |rps: u32| {
        let cb = p.on_command.clone();
        let line = in_namespace(format!("kubesim traffic {} {rps}", s.service), &s.namespace);
        Callback::from(move |_: MouseEvent| cb.emit(line.clone()))
    };
    let t = &s.totals;
    let new_label = t
        .revision
        .map_or("new".to_string(), |r| format!("revision {r}"));
    html! {
        <article class="service-traffic" aria-label={format!("Traffic to service {}", s.service)}>
            <header>
                <h3>{ format!("service/{}", s.service) }</h3>
                <span class="meta">{ format!("{} requests/s · {} ready endpoints", s.rps, s.endpoints.iter().filter(|e| e.ready).count()) }</span>
                <span class="actions" role="group" aria-label="Client load">
                    if s.rps == 0 {
                        <button onclick={set_rate(20)}>{ "Start load" }</button>
                    } else {
                        <button onclick={set_rate(s.rps.saturating_mul(2).min(1000))} aria-label="×2, double the load" title="Double the load">{ "×2" }</button>
                        <button onclick={set_rate(0)}>{ "Stop load" }</button>
                    }
                </span>
            </header>
            <dl class="totals" aria-label="Since the latest rollout">
                <div><dt>{ "served by old" }</dt><dd data-total="old">{ t.served_old }</dd></div>
                <div><dt>{ format!("served by {new_label}") }</dt><dd data-total="new">{ t.served_new }</dd></div>
                <div class={classes!((t.failed > 0).then_some("bad"))}><dt>{ "failed" }</dt><dd data-total="failed">{ t.failed }</dd></div>
                <div class={classes!((t.outage_seconds > 0).then_some("bad"))}><dt>{ "outage" }</dt><dd data-total="outage">{ format!("{} s", t.outage_seconds) }</dd></div>
            </dl>
            if !t.failed_by_reason.is_empty() {
                <ul class="reasons">
                    { for t.failed_by_reason.iter().map(|(reason, n)| html! { <li>{ format!("{n} × {reason}") }</li> }) }
                </ul>
            }
            <Flow service={s.clone()} now={p.now} />
            <Chart service={s.clone()} />
            <p class="meta">{ format!("{} t = {} · all time: {} served, {} failed",
                if t.since > p.now { "Load starts at" } else { "Counting since" }, t.since.clock(), t.all_served, t.all_failed) }</p>
        </article>
    }
}

/// Clients → Service → endpoints, with the latest requests as dots travelling to the pod that
/// answered (a red cross where they failed).
#[function_component(Flow)]
fn flow(p: &ServiceTrafficProps2) -> Html {
    let s = &p.service;
    let recent: Vec<_> = s
        .recent
        .iter()
        .filter(|r| p.now.since(r.at) <= DOT_WINDOW_MS)
        .collect();
    html! {
        <div class="flow" role="img" aria-label={format!(
            "Latest requests: {} served, {} failed",
            recent.iter().filter(|r| r.ok).count(),
            recent.iter().filter(|r| !r.ok).count()
        )}>
            <div class="flow-clients">{ "clients" }</div>
            <div class="flow-lane">
                { for recent.iter().map(|r| {
                    let class = match (r.ok, r.revision) {
                        (true, Some(rev)) => classes!("dot", "ok", revision_class(rev)),
                        _ => classes!("dot", "failed"),
                    };
                    let title = match (&r.pod, &r.error) {
                        (_, Some(e)) => format!("t = {}: failed, {e}", r.at.clock()),
                        (Some(pod), None) => format!("t = {}: served by {pod}", r.at.clock()),
                        (None, None) => format!("t = {}", r.at.clock()),
                    };
                    html! { <span key={r.at.0} class={class} {title}></span> }
                }) }
            </div>
            <ul class="flow-endpoints">
                { for s.endpoints.iter().map(|e| html! {
                    <li key={e.pod.clone()} class={classes!(revision_class(e.revision), (!e.ready).then_some("not-ready"), e.terminating.then_some("terminating"))}
                        title={format!("{} {}{}", e.pod, e.ip, if e.serving { "" } else { " (not serving yet)" })}>
                        { e.pod.rsplit('-').next().unwrap_or("").to_string() }
                    </li>
                }) }
                if s.endpoints.is_empty() { <li class="none">{ "no endpoints" }</li> }
            </ul>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct ServiceTrafficProps2 {
    service: ServiceTrafficView,
    #[prop_or_default]
    now: Time,
}

/// Requests per second over the last minutes: stacked bars by serving revision, failures in
/// red above them.
#[function_component(Chart)]
fn chart(p: &ServiceTrafficProps2) -> Html {
    let seconds = &p.service.seconds;
    let shown = &seconds[seconds.len().saturating_sub(CHART_SECONDS)..];
    let peak = shown
        .iter()
        .map(|b| b.served.values().sum::<u32>() + b.failed)
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let (w, h) = (CHART_SECONDS as f64 * 4.0, 100.0);
    let bar = 4.0;
    let mut rects: Vec<Html> = Vec::new();
    for (i, b) in shown.iter().enumerate() {
        let x = (CHART_SECONDS - shown.len() + i) as f64 * bar;
        let mut y = h;
        for (rev, n) in &b.served {
            let hh = *n as f64 / peak * h;
            y -= hh;
            rects.push(html! { <rect x={x.to_string()} y={y.to_string()} width={(bar - 0.5).to_string()} height={hh.to_string()} class={classes!("served", revision_class(*rev))} /> });
        }
        if b.failed > 0 {
            let hh = b.failed as f64 / peak * h;
            y -= hh;
            rects.push(html! { <rect x={x.to_string()} y={y.to_string()} width={(bar - 0.5).to_string()} height={hh.to_string()} class="failed" /> });
        }
    }
    let failed: u32 = shown.iter().map(|b| b.failed).sum();
    let served: u32 = shown.iter().map(|b| b.served.values().sum::<u32>()).sum();
    html! {
        <figure class="chart">
            <svg viewBox={format!("0 0 {w} {h}")} preserveAspectRatio="none" role="img"
                aria-label={format!("Requests per second over the last {} s: {served} served, {failed} failed", shown.len())}>
                { for rects }
            </svg>
            <figcaption class="meta">{ format!("requests per second, last {} s (peak {})", shown.len(), peak as u32) }
                <span class="legend"><span class="swatch failed"></span>{ "failed" }</span></figcaption>
        </figure>
    }
}
