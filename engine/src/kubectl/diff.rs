//! `kubectl diff -f FILE`: what applying the file would change, as `diff -u -N` prints it
//! between each object as it is (LIVE) and as a server-side dry run of the apply leaves it
//! (MERGED), named `GROUP.VERSION.KIND.NAMESPACE.NAME` under two temporary directories
//! (kubectl's diff.go). Exit status 0: no differences, 1: differences, 2: an error.

use super::args::{self, flag, Flag};
use super::resources::Kind;
use crate::api::hash::fnv64;
use crate::command::Output;
use crate::sim::Sim;
use serde_yaml::Value;

const FLAGS: &[Flag] = &[
    flag("filename", Some('f'), true),
    flag("server-side", None, false),
    flag("force-conflicts", None, false),
    flag("field-manager", None, true),
    flag("prune", None, false),
    flag("selector", Some('l'), true),
    flag("concurrency", None, true),
    flag("show-managed-fields", None, false),
];

/// Lines of context around each change, as `diff -u` gives.
const CONTEXT: usize = 3;
/// Lines an object may have for a line-by-line comparison; a longer one shows as replaced
/// whole (the comparison takes the product of both lengths).
const MAX_LINES: usize = 3_000;

pub fn run(sim: &Sim, rest: &[String]) -> Output {
    let a = match args::parse(rest, FLAGS) {
        Ok(a) => a,
        Err(e) => return super::flag_error("diff", &e),
    };
    if a.bool("help") {
        return Output::ok(super::help::command_help("diff").unwrap_or_default());
    }
    let Some(file) = a.get("filename") else {
        return failed(Output::err("error: must specify one of -f and -k\n"));
    };
    let Some(text) = sim.files.get(file).cloned() else {
        return failed(Output::err(format!(
            "error: the path {file:?} does not exist\n"
        )));
    };
    let ns = a.get("namespace").map(str::to_string);
    let mut merged = sim.clone();
    let report = super::apply::apply_text(&mut merged, file, &text, ns.as_deref());
    let applied = report.output();
    if !applied.success() {
        // The apply's own errors, as kubectl diff reports a failed dry run.
        return failed(Output::err(applied.stderr));
    }
    // Two directories per run, named like os.MkdirTemp's, the same for a replay.
    let seed = fnv64(format!("{}\u{0}{}\u{0}{file}", sim.now.0, sim.revision()).bytes());
    let live_dir = format!("/tmp/LIVE-{}", seed % 4_000_000_000);
    let merged_dir = format!("/tmp/MERGED-{}", (seed >> 32) % 4_000_000_000);
    let stamp = format!(
        "{}.{:03}000000 +0000",
        crate::shell::date(sim.now, "%Y-%m-%d %H:%M:%S"),
        sim.now.0 % 1000
    );
    let mut out = Output::default();
    for r in &report.results {
        let Some(kind) = Kind::resolve(&r.kind.to_lowercase()) else {
            continue;
        };
        let namespace = r.namespace.clone().unwrap_or_else(|| a.namespace());
        let ns_of = if kind.namespaced() {
            namespace.as_str()
        } else {
            ""
        };
        let live = super::get::find(sim, kind, ns_of, &r.name).map(|o| o.value());
        let Some(mut after) = super::get::find(&merged, kind, ns_of, &r.name).map(|o| o.value())
        else {
            continue;
        };
        // A dry run writes nothing: the object keeps its resource version.
        if let (Some(live), Some(Value::Mapping(meta))) = (&live, after.get_mut("metadata")) {
            if let Some(rv) = live.get("metadata").and_then(|m| m.get("resourceVersion")) {
                meta.insert("resourceVersion".into(), rv.clone());
            }
        }
        let before = live
            .as_ref()
            .map(crate::api::yaml::to_yaml)
            .unwrap_or_default();
        let after = crate::api::yaml::to_yaml(&after);
        if before == after {
            continue;
        }
        let (group, version) = match kind.api_version().split_once('/') {
            Some((g, v)) => (format!("{g}."), v),
            None => (String::new(), kind.api_version()),
        };
        let name = format!("{group}{version}.{}.{ns_of}.{}", kind.name(), r.name);
        let left = format!("{live_dir}/{name}");
        let right = format!("{merged_dir}/{name}");
        let left_stamp = if live.is_some() {
            stamp.as_str()
        } else {
            // `diff -N` gives a missing file the epoch.
            "1970-01-01 00:00:00.000000000 +0000"
        };
        out.stdout.push_str(&format!(
            "diff -u -N {left} {right}\n--- {left}\t{left_stamp}\n+++ {right}\t{stamp}\n"
        ));
        out.stdout.push_str(&unified(&before, &after));
    }
    out.exit_code = i32::from(!out.stdout.is_empty());
    out
}

/// kubectl diff's status for an error: one more than kubectl's usual 1.
fn failed(mut out: Output) -> Output {
    out.exit_code = 2;
    out
}

/// The hunks of `diff -u` between two texts.
fn unified(before: &str, after: &str) -> String {
    let a: Vec<&str> = before.lines().collect();
    let b: Vec<&str> = after.lines().collect();
    let ops = edit_script(&a, &b);
    // Each op: (kind, old index, new index); kind ' ' keeps, '-' removes, '+' adds.
    let changes: Vec<usize> = (0..ops.len()).filter(|&i| ops[i].0 != ' ').collect();
    let mut out = String::new();
    let mut i = 0;
    while i < changes.len() {
        // A hunk runs from the first change's context to the last change whose context
        // touches the next one's.
        let start = changes[i].saturating_sub(CONTEXT);
        let mut last = changes[i];
        while i + 1 < changes.len() && changes[i + 1] - last <= 2 * CONTEXT {
            i += 1;
            last = changes[i];
        }
        i += 1;
        let end = (last + CONTEXT + 1).min(ops.len());
        let hunk = &ops[start..end];
        let old_count = hunk.iter().filter(|o| o.0 != '+').count();
        let new_count = hunk.iter().filter(|o| o.0 != '-').count();
        // A side with no lines in the hunk names the line before it (0 at the top).
        let old_start = match hunk.iter().find(|o| o.0 != '+') {
            Some(o) => o.1 + 1,
            None => hunk.iter().map(|o| o.1).min().unwrap_or(0),
        };
        let new_start = match hunk.iter().find(|o| o.0 != '-') {
            Some(o) => o.2 + 1,
            None => hunk.iter().map(|o| o.2).min().unwrap_or(0),
        };
        let range = |start: usize, count: usize| match count {
            1 => start.to_string(),
            _ => format!("{start},{count}"),
        };
        out.push_str(&format!(
            "@@ -{} +{} @@\n",
            range(old_start, old_count),
            range(new_start, new_count)
        ));
        for (kind, ai, bi) in hunk {
            let line = if *kind == '+' { b[*bi] } else { a[*ai] };
            out.push_str(&format!("{kind}{line}\n"));
        }
    }
    out
}

/// The lines of both texts as kept, removed or added, from a longest common subsequence:
/// (kind, index in `a`, index in `b`), the indices of the next line of each side for an
/// op that does not use it.
fn edit_script(a: &[&str], b: &[&str]) -> Vec<(char, usize, usize)> {
    let mut ops = Vec::new();
    if a.len() > MAX_LINES || b.len() > MAX_LINES {
        ops.extend((0..a.len()).map(|i| ('-', i, 0)));
        ops.extend((0..b.len()).map(|j| ('+', a.len(), j)));
        return ops;
    }
    // lcs[i][j]: the longest common subsequence of a[i..] and b[j..].
    let width = b.len() + 1;
    let mut lcs = vec![0u32; (a.len() + 1) * width];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i * width + j] = if a[i] == b[j] {
                lcs[(i + 1) * width + j + 1] + 1
            } else {
                lcs[(i + 1) * width + j].max(lcs[i * width + j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            ops.push((' ', i, j));
            i += 1;
            j += 1;
        } else if j < b.len()
            && (i == a.len() || lcs[i * width + j + 1] >= lcs[(i + 1) * width + j])
        {
            ops.push(('+', i, j));
            j += 1;
        } else {
            ops.push(('-', i, j));
            i += 1;
        }
    }
    // diff prints a change's removed lines before its added ones.
    let mut k = 0;
    while k < ops.len() {
        let end = (k..ops.len())
            .find(|&e| ops[e].0 == ' ')
            .unwrap_or(ops.len());
        crate::order::sort_by_key(&mut ops[k..end], |o| o.0 != '-');
        k = end + 1;
    }
    ops
}

#[cfg(test)]
mod tests {
    use super::unified;

    /// The expected hunks are GNU diffutils' `diff -u` output for the same files.
    #[test]
    fn hunks_match_gnu_diff() {
        let a = "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\nm\n";
        let b = "X\nb\nc\nd\ne\nf\ng\nh\ni\nJ\nk\nl\nm\nn\n";
        assert_eq!(
            unified(a, b),
            "@@ -1,4 +1,4 @@\n-a\n+X\n b\n c\n d\n@@ -7,7 +7,8 @@\n g\n h\n i\n-j\n+J\n k\n l\n m\n+n\n"
        );
        assert!(unified("", b).starts_with("@@ -0,0 +1,14 @@\n+X\n+b\n"));
        assert!(unified(a, "").starts_with("@@ -1,13 +0,0 @@\n-a\n"));
        assert_eq!(unified(a, a), "");
    }
}
