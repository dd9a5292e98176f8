//! `kubectl events`: the events of a namespace (or all), oldest first by their last
//! occurrence, optionally only those about one object (`--for`) or of some types
//! (`--types`), in the command's own layout (`OBJECT` is `Kind/name`).

use super::args::{self, flag, Flag};
use super::printers;
use super::resources::select;
use crate::api::core::Event;
use crate::command::Output;
use crate::sim::Sim;

const FLAGS: &[Flag] = &[
    flag("all-namespaces", Some('A'), false),
    flag("for", None, true),
    flag("types", None, true),
    flag("no-headers", None, false),
];

pub fn run(sim: &Sim, rest: &[String]) -> Output {
    let a = match args::parse(rest, FLAGS) {
        Ok(a) => a,
        Err(e) => return super::flag_error("events", &e),
    };
    if a.bool("help") {
        return Output::ok(super::help::command_help("events").unwrap_or_default());
    }
    if !a.positional.is_empty() {
        return Output::err(format!(
            "error: unknown command {:?} for \"kubectl events\"\n",
            a.positional.join(" ")
        ));
    }
    let types: Vec<String> = a
        .get("types")
        .map(|t| t.split(',').map(|s| s.trim().to_string()).collect())
        .unwrap_or_default();
    if let Some(bad) = types
        .iter()
        .find(|t| !["Normal", "Warning"].contains(&t.as_str()))
    {
        return Output::err(format!(
            "error: valid --types are Normal or Warning, found {bad:?}\n"
        ));
    }
    // `--for TYPE/NAME`: the events about that one object.
    let wanted = match a.get("for") {
        None => None,
        Some(f) => match select(&[f.to_string()]) {
            Ok(sel) => match sel.items.as_slice() {
                [(kind, names)] if names.len() == 1 => Some((kind.name(), names[0].clone())),
                _ => {
                    return Output::err(format!(
                        "error: --for must be in resource/name form, got {f:?}\n"
                    ))
                }
            },
            Err(e) => return Output::err(format!("{e}\n")),
        },
    };
    let all = a.bool("all-namespaces");
    let ns = a.namespace();
    let mut events: Vec<&Event> = sim
        .store
        .events
        .iter()
        .filter(|e| all || e.metadata.ns() == ns)
        .filter(|e| types.is_empty() || types.contains(&e.type_))
        .filter(|e| {
            wanted.as_ref().is_none_or(|(kind, name)| {
                e.involved_object.kind == *kind && e.involved_object.name == *name
            })
        })
        .collect();
    if events.is_empty() {
        let stderr = if all {
            "No events found.\n".to_string()
        } else {
            format!("No events found in {ns} namespace.\n")
        };
        return Output {
            stderr,
            ..Output::default()
        };
    }
    // SortableEvents: by the time of the last occurrence.
    crate::order::sort_by_key(&mut events, |e| e.last_timestamp);
    let mut rows = Vec::new();
    if !a.bool("no-headers") {
        let mut head = Vec::new();
        if all {
            head.push("NAMESPACE".to_string());
        }
        head.extend(["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"].map(String::from));
        rows.push(head);
    }
    for e in events {
        let interval = printers::event_interval(e, sim.now);
        let mut row = Vec::new();
        if all {
            row.push(e.metadata.ns().to_string());
        }
        row.extend([
            interval,
            e.type_.clone(),
            e.reason.clone(),
            format!("{}/{}", e.involved_object.kind, e.involved_object.name),
            e.message.trim().to_string(),
        ]);
        rows.push(row);
    }
    Output::ok(printers::table(&rows))
}
