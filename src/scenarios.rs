//! The built-in scenarios, compiled in so the site works offline and from any path.

/// (file stem, YAML text), in menu order; the first is the default on first load.
pub const BUILT_IN: &[(&str, &str)] = &[
    ("nginx", include_str!("../static/scenarios/nginx.yaml")),
    (
        "create-and-status",
        include_str!("../static/scenarios/create-and-status.yaml"),
    ),
    (
        "self-healing",
        include_str!("../static/scenarios/self-healing.yaml"),
    ),
    ("scaling", include_str!("../static/scenarios/scaling.yaml")),
    (
        "rolling-defaults",
        include_str!("../static/scenarios/rolling-defaults.yaml"),
    ),
    (
        "surge-1-unavailable-0",
        include_str!("../static/scenarios/surge-1-unavailable-0.yaml"),
    ),
    (
        "surge-0-unavailable-1",
        include_str!("../static/scenarios/surge-0-unavailable-1.yaml"),
    ),
    (
        "surge-100",
        include_str!("../static/scenarios/surge-100.yaml"),
    ),
    (
        "recreate-vs-rolling",
        include_str!("../static/scenarios/recreate-vs-rolling.yaml"),
    ),
    (
        "rollback",
        include_str!("../static/scenarios/rollback.yaml"),
    ),
    (
        "pause-resume",
        include_str!("../static/scenarios/pause-resume.yaml"),
    ),
    (
        "bad-image",
        include_str!("../static/scenarios/bad-image.yaml"),
    ),
    (
        "crash-loop",
        include_str!("../static/scenarios/crash-loop.yaml"),
    ),
    (
        "liveness",
        include_str!("../static/scenarios/liveness.yaml"),
    ),
    (
        "init-containers",
        include_str!("../static/scenarios/init-containers.yaml"),
    ),
    (
        "init-wait-for-service",
        include_str!("../static/scenarios/init-wait-for-service.yaml"),
    ),
    (
        "never-ready",
        include_str!("../static/scenarios/never-ready.yaml"),
    ),
    (
        "min-ready-seconds",
        include_str!("../static/scenarios/min-ready-seconds.yaml"),
    ),
    (
        "history-limit",
        include_str!("../static/scenarios/history-limit.yaml"),
    ),
    (
        "proportional-scaling",
        include_str!("../static/scenarios/proportional-scaling.yaml"),
    ),
    (
        "rollover",
        include_str!("../static/scenarios/rollover.yaml"),
    ),
    (
        "node-failure",
        include_str!("../static/scenarios/node-failure.yaml"),
    ),
    (
        "drain-cordon",
        include_str!("../static/scenarios/drain-cordon.yaml"),
    ),
    (
        "multi-tier",
        include_str!("../static/scenarios/multi-tier.yaml"),
    ),
    (
        "environments",
        include_str!("../static/scenarios/environments.yaml"),
    ),
    (
        "kubernetes-basics",
        include_str!("../static/scenarios/kubernetes-basics.yaml"),
    ),
    (
        "traffic-rolling",
        include_str!("../static/scenarios/traffic-rolling.yaml"),
    ),
    (
        "traffic-recreate",
        include_str!("../static/scenarios/traffic-recreate.yaml"),
    ),
    (
        "traffic-no-probe",
        include_str!("../static/scenarios/traffic-no-probe.yaml"),
    ),
    (
        "traffic-max-unavailable",
        include_str!("../static/scenarios/traffic-max-unavailable.yaml"),
    ),
];

pub const DEFAULT: (&str, &str) = BUILT_IN[0];

pub fn find(name: &str) -> Option<&'static str> {
    BUILT_IN.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
}

/// The text of a scenario menu entry: a scenario's name, or `lesson:NAME` for a lesson.
pub fn find_entry(entry: &str) -> Option<&'static str> {
    match entry.strip_prefix("lesson:") {
        Some(lesson) => crate::lessons::find(lesson),
        None => find(entry),
    }
}

/// The menu entry whose text this is, if it is a built-in scenario or lesson.
pub fn entry_of(text: &str) -> Option<String> {
    BUILT_IN
        .iter()
        .find(|(_, t)| *t == text)
        .map(|(n, _)| n.to_string())
        .or_else(|| crate::lessons::name_of(text).map(|n| format!("lesson:{n}")))
}

/// The `name:` line of a scenario, for menus.
pub fn title(text: &str) -> String {
    text.lines()
        .find_map(|l| l.strip_prefix("name:"))
        .map(|s| s.trim().trim_matches('"').to_string())
        .unwrap_or_else(|| "Untitled scenario".to_string())
}
