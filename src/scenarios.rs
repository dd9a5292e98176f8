//! The built-in scenarios, compiled in so the site works offline and from any path.

/// (file stem, YAML text), in menu order; the first is the default on first load.
pub const BUILT_IN: &[(&str, &str)] = &[
    ("nginx", include_str!("../static/scenarios/nginx.yaml")),
    (
        "rolling-update",
        include_str!("../static/scenarios/rolling-update.yaml"),
    ),
    (
        "recreate",
        include_str!("../static/scenarios/recreate.yaml"),
    ),
    (
        "bad-image",
        include_str!("../static/scenarios/bad-image.yaml"),
    ),
    (
        "node-failure",
        include_str!("../static/scenarios/node-failure.yaml"),
    ),
];

pub const DEFAULT: (&str, &str) = BUILT_IN[0];

pub fn find(name: &str) -> Option<&'static str> {
    BUILT_IN.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
}

/// The `name:` line of a scenario, for menus.
pub fn title(text: &str) -> String {
    text.lines()
        .find_map(|l| l.strip_prefix("name:"))
        .map(|s| s.trim().trim_matches('"').to_string())
        .unwrap_or_else(|| "Untitled scenario".to_string())
}
