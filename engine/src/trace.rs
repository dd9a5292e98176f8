//! Printing a scenario run: a readable transcript for people and JSON Lines for comparing
//! the engine with other implementations.

use crate::api::json::quote;
use crate::scenario::Item;
use crate::sim::{Journal, Sim};
use crate::time::Time;
use std::fmt::Write;

/// Which events a transcript shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventFilter {
    All,
    /// Deployment and ReplicaSet events only.
    Controllers,
    None,
}

fn seconds(t: Time) -> String {
    if t.0.is_multiple_of(100) {
        format!("{:.1}", t.secs())
    } else {
        let s = format!("{:.3}", t.secs());
        s.trim_end_matches('0').to_string()
    }
}

/// A readable transcript: each command with what it printed, the events in between.
pub fn transcript(name: &str, items: &[Item], filter: EventFilter) -> String {
    let mut out = String::new();
    if !name.is_empty() {
        let _ = writeln!(out, "# {name}\n");
    }
    for item in items {
        match item {
            Item::Step { t, line, note } => {
                if let Some(n) = note {
                    let _ = writeln!(out, "{:>9}  # {n}", "");
                }
                let _ = writeln!(out, "[{:>7}] $ {line}", t.clock());
            }
            Item::Printed { output, t } => {
                for l in output.text().lines() {
                    let _ = writeln!(out, "[{:>7}]   {l}", t.clock());
                }
            }
            Item::Journal(Journal::Event {
                t,
                type_,
                reason,
                object,
                message,
            }) => {
                let controller =
                    object.starts_with("Deployment/") || object.starts_with("ReplicaSet/");
                if filter == EventFilter::None || filter == EventFilter::Controllers && !controller
                {
                    continue;
                }
                let _ = writeln!(
                    out,
                    "[{:>7}]   event {type_} {reason} {object}: {message}",
                    t.clock()
                );
            }
            Item::Journal(Journal::ReplicaSets { .. }) => {}
            Item::Check { t, goal, result } => {
                let mark = if result.is_met() { "ok" } else { "FAILED" };
                let _ = writeln!(out, "[{:>7}]   check {mark}: {goal}", t.clock());
                let _ = writeln!(out, "[{:>7}]     now: {}", t.clock(), result.text());
            }
        }
    }
    out
}

fn map_json(m: &std::collections::BTreeMap<i64, i64>) -> String {
    let parts: Vec<String> = m.iter().map(|(k, v)| format!("\"{k}\": {v}")).collect();
    format!("{{{}}}", parts.join(", "))
}

/// JSON Lines: ReplicaSet size changes, steps, events, then the final Deployment statuses.
pub fn jsonl(sim: &Sim, items: &[Item]) -> String {
    let mut out = String::new();
    for item in items {
        match item {
            Item::Step { t, line, .. } => {
                let _ = writeln!(out, "{{\"t\": {}, \"step\": {}}}", seconds(*t), quote(line));
            }
            Item::Journal(Journal::ReplicaSets {
                t,
                deployment,
                replicas,
                available,
            }) => {
                let _ = writeln!(
                    out,
                    "{{\"t\": {}, \"deployment\": {}, \"replicasets\": {}, \"available\": {}}}",
                    seconds(*t),
                    quote(&format!("{}/{}", deployment.0, deployment.1)),
                    map_json(replicas),
                    map_json(available)
                );
            }
            Item::Journal(Journal::Event {
                t,
                type_,
                reason,
                object,
                message,
            }) => {
                let _ = writeln!(
                    out,
                    "{{\"t\": {}, \"event\": {{\"type\": {}, \"reason\": {}, \"object\": {}, \"message\": {}}}}}",
                    seconds(*t),
                    quote(type_),
                    quote(reason),
                    quote(object),
                    quote(message)
                );
            }
            Item::Printed { .. } | Item::Check { .. } => {}
        }
    }
    let _ = writeln!(
        out,
        "{{\"t\": {}, \"final\": {{{}}}}}",
        seconds(sim.now),
        final_statuses(sim)
    );
    out
}

fn final_statuses(sim: &Sim) -> String {
    let mut parts = Vec::new();
    for ((ns, name), d) in &sim.store.deployments {
        let s = &d.status;
        let conds: Vec<String> = ["Available", "Progressing", "ReplicaFailure"]
            .iter()
            .filter_map(|t| {
                d.condition(t).map(|c| {
                    format!(
                        "{}: {}",
                        quote(t),
                        quote(&format!("{} {}", c.status, c.reason))
                    )
                })
            })
            .collect();
        parts.push(format!(
            "{}: {{\"replicas\": {}, \"updatedReplicas\": {}, \"readyReplicas\": {}, \"availableReplicas\": {}, \"unavailableReplicas\": {}, \"conditions\": {{{}}}}}",
            quote(&format!("{ns}/{name}")),
            s.replicas,
            s.updated_replicas,
            s.ready_replicas,
            s.available_replicas,
            s.unavailable_replicas,
            conds.join(", ")
        ));
    }
    parts.join(", ")
}
