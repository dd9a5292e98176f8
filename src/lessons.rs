//! The built-in lessons, compiled in like the scenarios.

/// (file stem, YAML text), in menu order.
pub const BUILT_IN: &[(&str, &str)] = &[
    (
        "first-deployment",
        include_str!("../static/lessons/first-deployment.yaml"),
    ),
    (
        "rolling-and-rollback",
        include_str!("../static/lessons/rolling-and-rollback.yaml"),
    ),
    (
        "stuck-rollout",
        include_str!("../static/lessons/stuck-rollout.yaml"),
    ),
];

pub fn find(name: &str) -> Option<&'static str> {
    BUILT_IN.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
}

/// The built-in name of a lesson text, if it is one.
pub fn name_of(text: &str) -> Option<&'static str> {
    BUILT_IN.iter().find(|(_, t)| *t == text).map(|(n, _)| *n)
}
