//! What the page's address asks for: a shared state in the fragment (`#s=…`) and the embed
//! options in the query (`?embed=1&panels=cluster,console&scenario=rolling-defaults&…`).
//! Parsing is total: unknown or bad values become warnings, never failures.

use crate::state::SPEEDS;

/// Which parts of the page show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Panels {
    pub cluster: bool,
    pub nodes: bool,
    pub console: bool,
    pub rollout: bool,
    pub yaml: bool,
    pub events: bool,
    pub traffic: bool,
}

impl Panels {
    pub const ALL: Panels = Panels {
        cluster: true,
        nodes: true,
        console: true,
        rollout: true,
        yaml: true,
        events: true,
        traffic: true,
    };
    const NONE: Panels = Panels {
        cluster: false,
        nodes: false,
        console: false,
        rollout: false,
        yaml: false,
        events: false,
        traffic: false,
    };

    /// How many panels are shown.
    pub fn count(&self) -> usize {
        [
            self.cluster,
            self.nodes,
            self.console,
            self.rollout,
            self.yaml,
            self.events,
            self.traffic,
        ]
        .iter()
        .filter(|on| **on)
        .count()
    }

    /// Any of the side panels.
    pub fn side(&self) -> bool {
        self.rollout || self.yaml || self.events || self.traffic
    }

    /// The `panels=` value for these panels.
    pub fn to_param(self) -> String {
        let names = [
            (self.cluster, "cluster"),
            (self.nodes, "nodes"),
            (self.console, "console"),
            (self.rollout, "rollout"),
            (self.yaml, "yaml"),
            (self.events, "events"),
            (self.traffic, "traffic"),
        ];
        names
            .iter()
            .filter(|(on, _)| *on)
            .map(|(_, n)| *n)
            .collect::<Vec<_>>()
            .join(",")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Theme {
    Light,
    Dark,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// Minimal chrome for an iframe; no autosave (several embeds share one storage).
    pub embed: bool,
    pub panels: Panels,
    /// A built-in scenario's name.
    pub scenario: Option<String>,
    pub autoplay: Option<bool>,
    /// Simulated seconds to start at.
    pub start: Option<f64>,
    pub speed: Option<f64>,
    pub theme: Option<Theme>,
    /// Watch only: no commands.
    pub readonly: bool,
    /// The narration shown as captions from the start.
    pub captions: bool,
    /// A built-in lesson's name.
    pub lesson: Option<String>,
    /// The shared state in the fragment, as written (`s=2.…`).
    pub share: Option<String>,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            embed: false,
            panels: Panels::ALL,
            scenario: None,
            autoplay: None,
            start: None,
            speed: None,
            theme: None,
            readonly: false,
            captions: false,
            lesson: None,
            share: None,
        }
    }
}

/// Longest value kept from the query; longer ones are ignored as hostile.
const MAX_VALUE: usize = 200;

/// Reads `location.search` (with or without `?`) and `location.hash` (with or without `#`).
/// The latest start an address may ask for: the end of a session (`MAX_TIME`), in seconds.
const MAX_START: f64 = kubesim::session::MAX_TIME.0 as f64 / 1000.0;

pub fn parse(search: &str, hash: &str) -> (Options, Vec<String>) {
    let mut o = Options::default();
    let mut warnings = Vec::new();
    let search = search.strip_prefix('?').unwrap_or(search);
    for pair in search.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let value = decode_component(value);
        if value.len() > MAX_VALUE {
            warnings.push(format!("ignored the over-long `{}` parameter", clip(key)));
            continue;
        }
        let bad_message = format!("ignored `{}={}`", clip(key), clip(&value));
        match key {
            "embed" => match flag(&value) {
                Some(b) => o.embed = b,
                None => warnings.push(bad_message.clone()),
            },
            "readonly" => match flag(&value) {
                Some(b) => o.readonly = b,
                None => warnings.push(bad_message.clone()),
            },
            "captions" => match flag(&value) {
                Some(b) => o.captions = b,
                None => warnings.push(bad_message.clone()),
            },
            "autoplay" => match flag(&value) {
                Some(b) => o.autoplay = Some(b),
                None => warnings.push(bad_message.clone()),
            },
            "panels" => {
                let mut p = Panels::NONE;
                let reported = warnings.len();
                for name in value.split(',').map(str::trim).filter(|n| !n.is_empty()) {
                    match name {
                        "cluster" => p.cluster = true,
                        "nodes" => p.nodes = true,
                        "console" => p.console = true,
                        "rollout" | "history" => p.rollout = true,
                        "yaml" | "editor" => p.yaml = true,
                        "events" => p.events = true,
                        "traffic" => p.traffic = true,
                        other => warnings.push(format!("ignored unknown panel `{}`", clip(other))),
                    }
                }
                if p == Panels::NONE {
                    // Unknown names are reported one by one; an empty list as a whole.
                    if warnings.len() == reported {
                        warnings.push(bad_message.clone());
                    }
                } else {
                    o.panels = p;
                }
            }
            "scenario" if is_name(&value) => o.scenario = Some(value),
            "lesson" if is_name(&value) => o.lesson = Some(value),
            "t" | "start" => match value.parse::<f64>() {
                Ok(t) if (0.0..=MAX_START).contains(&t) => o.start = Some(t),
                // A session runs for at most six hours: later starts are cut there, and said.
                Ok(t) if t.is_finite() && t > MAX_START => {
                    warnings.push(format!(
                        "`{key}={}` is past the end of a session; starting at {MAX_START} s",
                        clip(&value)
                    ));
                    o.start = Some(MAX_START);
                }
                _ => warnings.push(bad_message.clone()),
            },
            "speed" => match value.parse::<f64>() {
                Ok(s) if SPEEDS.contains(&s) => o.speed = Some(s),
                Ok(s) if s.is_finite() && (SPEEDS[0]..=SPEEDS[SPEEDS.len() - 1]).contains(&s) => {
                    // The speed menu offers only its steps: take the nearest one, and say so.
                    let nearest = SPEEDS
                        .into_iter()
                        .min_by(|a, b| (a - s).abs().total_cmp(&(b - s).abs()))
                        .unwrap_or(1.0);
                    warnings.push(format!(
                        "`speed={}` is not one of the speeds offered; using {nearest}×",
                        clip(&value)
                    ));
                    o.speed = Some(nearest);
                }
                _ => warnings.push(bad_message.clone()),
            },
            "theme" => match value.as_str() {
                "light" => o.theme = Some(Theme::Light),
                "dark" => o.theme = Some(Theme::Dark),
                "auto" | "" => o.theme = None,
                _ => warnings.push(bad_message.clone()),
            },
            _ => warnings.push(bad_message.clone()),
        }
    }
    if o.lesson.is_some() {
        if let Some(scenario) = o.scenario.take() {
            warnings.push(format!(
                "ignored `scenario={}`: the lesson brings its own cluster",
                clip(&scenario)
            ));
        }
    }
    let hash = hash.strip_prefix('#').unwrap_or(hash);
    if !hash.is_empty() {
        o.share = Some(hash.to_string());
    }
    (o, warnings)
}

fn flag(v: &str) -> Option<bool> {
    match v {
        "" | "1" | "true" | "yes" | "on" => Some(true),
        "0" | "false" | "no" | "off" => Some(false),
        _ => None,
    }
}

fn is_name(v: &str) -> bool {
    !v.is_empty()
        && v.len() <= 64
        && v.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// At most 40 characters of user text in a message.
fn clip(s: &str) -> String {
    let mut out: String = s.chars().take(40).collect();
    if s.chars().count() > 40 {
        out.push('…');
    }
    out
}

/// Percent-decoding of a query value (`+` is a space); bad escapes stay as written.
fn decode_component(v: &str) -> String {
    let bytes = v.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push(h << 4 | l);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

/// The query for an embed of the current state.
pub fn embed_query(
    panels: Panels,
    autoplay: bool,
    speed: f64,
    readonly: bool,
    captions: bool,
) -> String {
    let mut q = format!("?embed=1&panels={}", panels.to_param());
    // Said either way: a shared state opens paused unless the address asks to play.
    q.push_str(if autoplay {
        "&autoplay=1"
    } else {
        "&autoplay=0"
    });
    if speed != 1.0 {
        q.push_str(&format!("&speed={speed}"));
    }
    if readonly {
        q.push_str("&readonly=1");
    }
    if captions {
        q.push_str("&captions=1");
    }
    q
}
