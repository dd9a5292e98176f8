//! Text layout shared by `kubectl get` and `kubectl describe`: Go's text/tabwriter (with the
//! RememberWidths extension kubectl's `get` writer uses), describe's PrefixWriter, and the
//! cell values kubectl computes client-side or the API server's table printers compute
//! (pod STATUS/READY/RESTARTS, node STATUS/ROLES, ages, timestamps, selectors, quantities).

use crate::api::core::{Event, Node, Pod};
use crate::api::meta::{LabelSelector, Labels, Quantity};
use crate::time::{human_duration, Time, EPOCH_UNIX_SECONDS};

/// Go text/tabwriter with flags 0 (left-aligned, space padding): a cell is the text before a
/// tab; the text after a line's last tab is never padded. A column's width is computed over
/// each block of consecutive lines that have a cell in that column (kubectl-formats.md §8).
#[derive(Debug, Clone, PartialEq)]
struct TabWriter {
    min_width: usize,
    padding: usize,
    /// liggitt/tabwriter's RememberWidths: widths never shrink across flushes.
    remembered: Option<Vec<usize>>,
}

struct Format<'a> {
    lines: Vec<Vec<&'a str>>,
    widths: Vec<usize>,
    out: String,
}

impl TabWriter {
    /// Formats buffered text. Like Go's `Flush`, a trailing partial line is written without
    /// a newline; text ending in `\n` therefore comes back ending in `\n`.
    fn format(&mut self, text: &str) -> String {
        let lines: Vec<Vec<&str>> = text.split('\n').map(|l| l.split('\t').collect()).collect();
        let n = lines.len();
        let mut f = Format {
            lines,
            widths: Vec::new(),
            out: String::with_capacity(text.len() * 2),
        };
        self.format_block(&mut f, 0, n);
        f.out
    }

    fn format_block(&mut self, f: &mut Format, line0: usize, line1: usize) {
        let column = f.widths.len();
        let mut start = line0;
        let mut this = line0;
        while this < line1 {
            if column + 1 >= f.lines[this].len() {
                this += 1;
                continue;
            }
            write_lines(f, start, this);
            start = this;
            let mut width = self.min_width;
            while this < line1 && column + 1 < f.lines[this].len() {
                width = width.max(text_width(f.lines[this][column]) + self.padding);
                this += 1;
            }
            if let Some(rem) = self.remembered.as_mut() {
                if rem.len() <= column {
                    rem.resize(column + 1, 0);
                }
                width = width.max(rem[column]);
                rem[column] = width;
            }
            f.widths.push(width);
            self.format_block(f, start, this);
            f.widths.pop();
            start = this;
        }
        write_lines(f, start, line1);
    }
}

fn write_lines(f: &mut Format, line0: usize, line1: usize) {
    let last = f.lines.len();
    for i in line0..line1 {
        for (j, cell) in f.lines[i].iter().enumerate() {
            f.out.push_str(cell);
            if let Some(w) = f.widths.get(j) {
                let pad = w.saturating_sub(text_width(cell));
                f.out.extend(std::iter::repeat_n(' ', pad));
            }
        }
        if i + 1 < last {
            f.out.push('\n');
        }
    }
}

fn text_width(s: &str) -> usize {
    s.chars().count()
}

/// kubectl `get` layout (cli-runtime `GetNewTabWriter`: minwidth 6, padding 3): every column
/// but the last padded to max(6, widest + 3); each row ends with a newline.
pub fn table(rows: &[Vec<String>]) -> String {
    let mut w = TabWriter {
        min_width: 6,
        padding: 3,
        remembered: None,
    };
    w.format(&rows_text(rows))
}

/// Like [`table`], but column widths never shrink below `widths`, which is updated — how
/// `kubectl get -w` keeps printing rows under the header it printed first.
pub fn table_remembering(rows: &[Vec<String>], widths: &mut Vec<usize>) -> String {
    let mut w = TabWriter {
        min_width: 6,
        padding: 3,
        remembered: Some(std::mem::take(widths)),
    };
    let out = w.format(&rows_text(rows));
    *widths = w.remembered.unwrap_or_default();
    out
}

fn rows_text(rows: &[Vec<String>]) -> String {
    let mut text = String::new();
    for r in rows {
        text.push_str(&r.join("\t"));
        text.push('\n');
    }
    text
}

/// kubectl describe's writer: `PrefixWriter` (level × 2 spaces before each written chunk)
/// over `tabwriter.Writer.Init(out, 0, 8, 2, ' ', 0)` (kubectl-formats.md §8b).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DescribeWriter {
    pending: String,
    out: String,
}

impl DescribeWriter {
    pub fn new() -> DescribeWriter {
        DescribeWriter::default()
    }

    /// `PrefixWriter.Write`: the indent goes only before the start of `text`, not after
    /// newlines embedded in it.
    pub fn write(&mut self, level: usize, text: &str) {
        for _ in 0..level {
            self.pending.push_str("  ");
        }
        self.pending.push_str(text);
    }

    /// One line: `text` (cells separated by `\t`) at `level`, then a newline.
    pub fn line(&mut self, level: usize, text: &str) {
        self.write(level, text);
        self.pending.push('\n');
    }

    /// Aligns everything written since the last flush as one tabwriter buffer.
    pub fn flush(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        let mut w = TabWriter {
            min_width: 0,
            padding: 2,
            remembered: None,
        };
        let text = std::mem::take(&mut self.pending);
        self.out.push_str(&w.format(&text));
    }

    pub fn finish(mut self) -> String {
        self.flush();
        self.out
    }

    /// What was written, unaligned (raw tabs), as `rollout history --revision` prints it.
    pub fn into_raw(self) -> String {
        self.out + &self.pending
    }
}

/// Result of `printPod`'s container scan.
struct PodSummary {
    reason: String,
    ready: usize,
    restarts: i64,
    last_restart: Option<Time>,
}

impl PodSummary {
    /// Adds a container's restarts, and its last termination to the latest restart.
    fn count_restarts(&mut self, cs: &crate::api::core::ContainerStatus) {
        self.restarts += cs.restart_count;
        if let Some(t) = &cs.last_state.terminated {
            self.last_restart = Some(
                self.last_restart
                    .map_or(t.finished_at, |l| l.max(t.finished_at)),
            );
        }
    }
}

/// `printPod` (pkg/printers/internalversion): the STATUS reason, ready containers and
/// restarts, scanning init container statuses in order (`Init:1/2`, `Init:Error`,
/// `Init:CrashLoopBackOff`), then, once the pod is initialized, container statuses last to
/// first (k8s-semantics.md §9.2).
fn summarize(p: &Pod) -> PodSummary {
    let mut reason = p
        .status
        .reason
        .clone()
        .filter(|r| !r.is_empty())
        .unwrap_or_else(|| p.status.phase.clone());
    let gated = p
        .status
        .conditions
        .iter()
        .any(|c| c.type_ == "PodScheduled" && c.reason.as_deref() == Some("SchedulingGated"));
    if gated {
        reason = "SchedulingGated".into();
    }
    let mut s = PodSummary {
        reason,
        ready: 0,
        restarts: 0,
        last_restart: None,
    };
    // Init containers first, in order: the first that has not completed names the status.
    let mut initializing = false;
    let init_total = p.spec.init_count();
    for (i, cs) in p.status.init_container_statuses.iter().enumerate() {
        s.count_restarts(cs);
        let st = &cs.state;
        s.reason = match (&st.terminated, &st.waiting) {
            (Some(t), _) if t.exit_code == 0 => continue,
            (Some(t), _) if t.reason.is_empty() => format!("Init:ExitCode:{}", t.exit_code),
            (Some(t), _) => format!("Init:{}", t.reason),
            (_, Some(w)) if !w.reason.is_empty() && w.reason != "PodInitializing" => {
                format!("Init:{}", w.reason)
            }
            _ => format!("Init:{i}/{init_total}"),
        };
        initializing = true;
        break;
    }
    let initialized = p
        .status
        .conditions
        .iter()
        .any(|c| c.type_ == "Initialized" && c.status == "True");
    // Once initialized, kubectl counts only the app containers' restarts (and sidecars',
    // which this simulator refuses).
    let app_statuses = if !initializing || initialized {
        s.restarts = 0;
        s.last_restart = None;
        &p.status.container_statuses[..]
    } else {
        &[]
    };
    let mut has_running = false;
    for cs in app_statuses.iter().rev() {
        s.count_restarts(cs);
        let st = &cs.state;
        match (&st.waiting, &st.terminated) {
            (Some(w), _) if !w.reason.is_empty() => s.reason = w.reason.clone(),
            (_, Some(t)) if !t.reason.is_empty() => s.reason = t.reason.clone(),
            (_, Some(t)) => s.reason = format!("ExitCode:{}", t.exit_code),
            _ if cs.ready && st.running.is_some() => {
                has_running = true;
                s.ready += 1;
            }
            _ => {}
        }
    }
    if s.reason == "Completed" && has_running {
        let ready = p
            .status
            .conditions
            .iter()
            .any(|c| c.type_ == "Ready" && c.status == "True");
        s.reason = if ready { "Running" } else { "NotReady" }.into();
    }
    if p.metadata.deletion_timestamp.is_some() {
        if p.status.reason.as_deref() == Some("NodeLost") {
            s.reason = "Unknown".into();
        } else if p.status.phase != "Succeeded" && p.status.phase != "Failed" {
            s.reason = "Terminating".into();
        }
    }
    s
}

/// The pod STATUS column.
pub fn pod_status(p: &Pod) -> String {
    summarize(p).reason
}

/// The pod READY column: ready containers / containers in the spec.
pub fn pod_ready(p: &Pod) -> String {
    format!("{}/{}", summarize(p).ready, p.spec.containers.len())
}

/// The pod RESTARTS column: `0`, or `3 (42s ago)` once a container has a last termination.
pub fn pod_restarts(p: &Pod, now: Time) -> String {
    let s = summarize(p);
    // printPod adds the time only when a container restarted.
    match s.last_restart.filter(|_| s.restarts != 0) {
        Some(t) => format!("{} ({} ago)", s.restarts, age(now, Some(t))),
        None => s.restarts.to_string(),
    }
}

/// When an event happened, as `describe` and `kubectl events` print it: its age, or
/// `12s (x3 over 2m)` for a repeated one (`getInterval` / `DescribeEvents`).
pub fn event_interval(e: &Event, now: Time) -> String {
    let first = age(now, Some(e.first_timestamp));
    if e.count > 1 {
        format!(
            "{} (x{} over {first})",
            age(now, Some(e.last_timestamp)),
            e.count
        )
    } else {
        first
    }
}

/// `translateTimestampSince`: HumanDuration since `t`, `<unknown>` when unset.
pub fn age(now: Time, t: Option<Time>) -> String {
    match t {
        Some(t) => human_duration(now.0 as i64 - t.0 as i64),
        None => "<unknown>".into(),
    }
}

/// The node STATUS column: only the Ready condition counts (runtime-semantics.md §1.5).
pub fn node_status(n: &Node) -> String {
    let mut parts = Vec::new();
    match n.status.conditions.iter().find(|c| c.type_ == "Ready") {
        Some(c) if c.status == "True" => parts.push("Ready"),
        Some(_) => parts.push("NotReady"),
        None => parts.push("Unknown"),
    }
    if n.spec.unschedulable {
        parts.push("SchedulingDisabled");
    }
    parts.join(",")
}

/// `findNodeRoles`: `node-role.kubernetes.io/<role>` keys and `kubernetes.io/role` values,
/// sorted; `<none>` when there are none.
pub fn node_roles(n: &Node) -> String {
    let roles = node_role_list(n);
    if roles.is_empty() {
        "<none>".into()
    } else {
        roles.join(",")
    }
}

pub fn node_role_list(n: &Node) -> Vec<String> {
    let mut roles = std::collections::BTreeSet::new();
    for (k, v) in &n.metadata.labels {
        if let Some(role) = k.strip_prefix("node-role.kubernetes.io/") {
            if !role.is_empty() {
                roles.insert(role.to_string());
            }
        } else if k == "kubernetes.io/role" && !v.is_empty() {
            roles.insert(v.clone());
        }
    }
    roles.into_iter().collect()
}

/// `labels.FormatLabels`: `k=v` sorted by key, comma-joined; `<none>` when empty.
/// `net.JoinHostPort`: IPv6 hosts go in brackets.
pub fn join_host_port(host: &str, port: &str) -> String {
    if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    }
}

pub fn format_labels(labels: &Labels) -> String {
    if labels.is_empty() {
        return "<none>".into();
    }
    labels
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(",")
}

/// `labels.Selector.String()` of `LabelSelectorAsSelector`: requirements sorted by key,
/// set values sorted; empty for an empty selector.
pub fn selector_string(sel: &LabelSelector) -> String {
    let mut reqs: Vec<(String, String)> = sel
        .match_labels
        .iter()
        .map(|(k, v)| (k.clone(), format!("{k}={v}")))
        .collect();
    for r in &sel.match_expressions {
        let mut values = r.values.clone();
        crate::order::sort(&mut values);
        values.dedup();
        let text = match r.operator.as_str() {
            "Exists" => r.key.clone(),
            "DoesNotExist" => format!("!{}", r.key),
            "NotIn" => format!("{} notin ({})", r.key, values.join(",")),
            _ => format!("{} in ({})", r.key, values.join(",")),
        };
        reqs.push((r.key.clone(), text));
    }
    crate::order::sort_by(&mut reqs, |a, b| a.0.cmp(&b.0));
    reqs.into_iter()
        .map(|(_, t)| t)
        .collect::<Vec<_>>()
        .join(",")
}

/// `metav1.FormatLabelSelector`: [`selector_string`], or `<none>` when empty.
pub fn format_label_selector(sel: &LabelSelector) -> String {
    let s = selector_string(sel);
    if s.is_empty() {
        "<none>".into()
    } else {
        s
    }
}

const WEEKDAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Go's `time.RFC1123Z` in UTC: `Mon, 05 Jan 2026 09:00:00 +0000`.
pub fn rfc1123z(t: Time) -> String {
    let s = t.rfc3339();
    let Some((date, clock)) = s.split_once('T') else {
        return s;
    };
    let mut parts = date.rsplitn(3, '-');
    let (day, month, year) = (
        parts.next().unwrap_or(""),
        parts.next().unwrap_or(""),
        parts.next().unwrap_or(""),
    );
    let month = month
        .parse::<usize>()
        .ok()
        .and_then(|m| MONTHS.get(m.wrapping_sub(1)))
        .copied()
        .unwrap_or("");
    let unix_days = (EPOCH_UNIX_SECONDS + (t.0 / 1000) as i64).div_euclid(86_400);
    // 1970-01-01 was a Thursday.
    let weekday = WEEKDAYS[(unix_days + 4).rem_euclid(7) as usize];
    format!(
        "{weekday}, {day} {month} {year} {} +0000",
        clock.trim_end_matches('Z')
    )
}

/// `resource.Quantity.String()` of a value in thousandths: the canonical form, binary
/// suffixes (`Ki`, `Mi`, …) when `binary` and the value is a whole number of bytes.
pub fn format_quantity(milli: i128, binary: bool) -> String {
    if milli == 0 {
        return "0".into();
    }
    let sign = if milli < 0 { "-" } else { "" };
    let m = milli.unsigned_abs();
    if binary && m.is_multiple_of(1000) {
        let units = m / 1000;
        for (k, suffix) in [
            (6u32, "Ei"),
            (5, "Pi"),
            (4, "Ti"),
            (3, "Gi"),
            (2, "Mi"),
            (1, "Ki"),
        ] {
            let div = 1024u128.pow(k);
            if units.is_multiple_of(div) {
                return format!("{sign}{}{suffix}", units / div);
            }
        }
        return format!("{sign}{units}");
    }
    for (exp, suffix) in [
        (21u32, "E"),
        (18, "P"),
        (15, "T"),
        (12, "G"),
        (9, "M"),
        (6, "k"),
        (3, ""),
        (0, "m"),
    ] {
        let div = 10u128.pow(exp);
        if m.is_multiple_of(div) {
            return format!("{sign}{}{suffix}", m / div);
        }
    }
    format!("{sign}{m}m")
}

/// Whether a quantity is written in a binary (`Ki`, `Mi`, …) format.
pub fn is_binary(q: &Quantity) -> bool {
    q.0.trim().ends_with('i')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::core::{ContainerState, ContainerStatus, StateTerminated, StateWaiting};

    fn rows(v: &[&[&str]]) -> Vec<Vec<String>> {
        v.iter()
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .collect()
    }

    #[test]
    fn get_table_pads_to_widest_plus_three_with_min_six() {
        // kubectl-formats.md §7 `get deploy` and `get rs` captures.
        let t = table(&rows(&[
            &["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"],
            &["web", "3/3", "3", "3", "10m"],
        ]));
        assert_eq!(t, "NAME   READY   UP-TO-DATE   AVAILABLE   AGE\nweb    3/3     3            3           10m\n");
        let t = table(&rows(&[
            &["NAME", "DESIRED", "CURRENT", "READY", "AGE"],
            &["web-5d8f9c6b7d", "0", "0", "0", "10m"],
            &["web-7c5ddbdf54", "3", "3", "3", "5m2s"],
        ]));
        assert_eq!(
            t,
            "NAME             DESIRED   CURRENT   READY   AGE\n\
             web-5d8f9c6b7d   0         0         0       10m\n\
             web-7c5ddbdf54   3         3         3       5m2s\n"
        );
    }

    #[test]
    fn remembered_widths_never_shrink() {
        let mut widths = Vec::new();
        let first = table_remembering(
            &rows(&[&["NAME", "STATUS"], &["web-abc", "Running"]]),
            &mut widths,
        );
        assert_eq!(first, "NAME      STATUS\nweb-abc   Running\n");
        let later = table_remembering(&rows(&[&["x", "Pending"]]), &mut widths);
        assert_eq!(later, "x         Pending\n");
    }

    fn describe(lines: &[(usize, &str)]) -> String {
        let mut w = DescribeWriter::new();
        for (level, text) in lines {
            w.line(*level, text);
        }
        w.finish()
    }

    #[test]
    fn describe_blocks_align_until_a_line_without_tabs() {
        // kubectl-formats.md §1a: the Name… block, then the template's own blocks.
        let out = describe(&[
            (0, "Name:\tweb"),
            (
                0,
                "RollingUpdateStrategy:\t25% max unavailable, 25% max surge",
            ),
            (0, "Pod Template:"),
            (0, "  Labels:\tapp=web"),
            (0, "  Containers:"),
            (1, " nginx:"),
            (2, "Image:\tnginx:1.25"),
            (2, "Environment:\t<none>"),
            (0, "  Volumes:\t<none>"),
            (0, "  Node-Selectors:\t<none>"),
        ]);
        assert_eq!(
            out,
            "Name:                   web\n\
             RollingUpdateStrategy:  25% max unavailable, 25% max surge\n\
             Pod Template:\n  Labels:  app=web\n  Containers:\n   nginx:\n\
             \x20   Image:         nginx:1.25\n\
             \x20   Environment:   <none>\n\
             \x20 Volumes:         <none>\n\
             \x20 Node-Selectors:  <none>\n"
        );
    }

    #[test]
    fn conditions_table_shares_a_block_with_the_replica_set_lines() {
        // Captured describe_deploy_noev.txt tail: `OldReplicaSets:` (15) sets column 0 to 17.
        let out = describe(&[
            (0, "Conditions:\n  Type\tStatus\tReason"),
            (1, "----\t------\t------"),
            (1, "Available \tTrue\tMinimumReplicasAvailable"),
            (1, "Progressing \tTrue\tNewReplicaSetAvailable"),
            (0, "OldReplicaSets:\tweb-5d8f9c6b7d (0/0 replicas created)"),
            (0, "NewReplicaSet:\tweb-7c5ddbdf54 (3/3 replicas created)"),
            (0, "Events:\t<none>"),
        ]);
        assert_eq!(
            out,
            "Conditions:\n\
             \x20 Type           Status  Reason\n\
             \x20 ----           ------  ------\n\
             \x20 Available      True    MinimumReplicasAvailable\n\
             \x20 Progressing    True    NewReplicaSetAvailable\n\
             OldReplicaSets:  web-5d8f9c6b7d (0/0 replicas created)\n\
             NewReplicaSet:   web-7c5ddbdf54 (3/3 replicas created)\n\
             Events:          <none>\n"
        );
    }

    #[test]
    fn trailing_spaces_and_empty_cells_are_kept() {
        // Captured describe_pod.txt: `"  %v \t%v \n"` rows keep their trailing space.
        let out = describe(&[
            (0, "Conditions:\n  Type\tStatus"),
            (1, "PodReadyToStartContainers \tTrue "),
            (1, "Initialized \tTrue "),
            (1, "PodScheduled \tTrue "),
        ]);
        assert_eq!(
            out,
            "Conditions:\n\
             \x20 Type                        Status\n\
             \x20 PodReadyToStartContainers   True \n\
             \x20 Initialized                 True \n\
             \x20 PodScheduled                True \n"
        );
        let out = describe(&[(1, "Namespace\tName\t\tAge"), (1, "default\tweb-1\t\t5s")]);
        assert_eq!(out, "  Namespace  Name     Age\n  default    web-1    5s\n");
    }

    #[test]
    fn flush_separates_alignment_and_raw_keeps_tabs() {
        let mut w = DescribeWriter::new();
        w.line(0, "Name:\tweb");
        w.flush();
        w.line(0, "Events:\n  Type\tReason");
        assert_eq!(w.clone().finish(), "Name:  web\nEvents:\n  Type  Reason\n");
        let mut raw = DescribeWriter::new();
        raw.line(0, "  Labels:\tapp=web");
        raw.write(0, "\t");
        raw.line(0, "pod-template-hash=1");
        assert_eq!(
            raw.into_raw(),
            "  Labels:\tapp=web\n\tpod-template-hash=1\n"
        );
    }

    fn pod_with(state: ContainerState, ready: bool) -> Pod {
        let mut p = Pod::default();
        p.status.phase = "Pending".into();
        p.spec.containers.push(Default::default());
        p.status.container_statuses.push(ContainerStatus {
            state,
            ready,
            ..Default::default()
        });
        p
    }

    #[test]
    fn pod_status_follows_print_pod() {
        let waiting = |r: &str| ContainerState {
            waiting: Some(StateWaiting {
                reason: r.into(),
                message: None,
            }),
            ..Default::default()
        };
        assert_eq!(
            pod_status(&pod_with(waiting("ImagePullBackOff"), false)),
            "ImagePullBackOff"
        );
        let mut p = pod_with(waiting("ErrImagePull"), false);
        p.metadata.deletion_timestamp = Some(Time(5000));
        assert_eq!(pod_status(&p), "Terminating");
        p.status.reason = Some("NodeLost".into());
        assert_eq!(pod_status(&p), "Unknown");
        let mut p = pod_with(ContainerState::default(), false);
        p.status.reason = Some("Evicted".into());
        p.status.phase = "Failed".into();
        assert_eq!(pod_status(&p), "Evicted");
        let term = ContainerState {
            terminated: Some(StateTerminated {
                exit_code: 137,
                ..Default::default()
            }),
            ..Default::default()
        };
        assert_eq!(pod_status(&pod_with(term, false)), "ExitCode:137");
    }

    #[test]
    fn restarts_show_the_last_termination_age() {
        let mut p = pod_with(ContainerState::default(), false);
        p.status.container_statuses[0].restart_count = 3;
        p.status.container_statuses[0].last_state.terminated = Some(StateTerminated {
            finished_at: Time(10_000),
            ..Default::default()
        });
        assert_eq!(pod_restarts(&p, Time(52_000)), "3 (42s ago)");
        assert_eq!(pod_ready(&p), "0/1");
        assert_eq!(pod_restarts(&Pod::default(), Time(0)), "0");
    }

    #[test]
    fn timestamps_and_quantities() {
        assert_eq!(rfc1123z(Time(0)), "Mon, 05 Jan 2026 09:00:00 +0000");
        assert_eq!(
            rfc1123z(Time(86_400_000 * 27 + 61_000)),
            "Sun, 01 Feb 2026 09:01:01 +0000"
        );
        assert_eq!(format_quantity(100, false), "100m");
        assert_eq!(format_quantity(4000, false), "4");
        assert_eq!(format_quantity(70 * 1024 * 1024 * 1000, true), "70Mi");
        assert_eq!(Quantity("8388608Ki".into()).canonical(), "8Gi");
        assert_eq!(Quantity("102350Mi".into()).canonical(), "102350Mi");
        assert_eq!(Quantity("0.5".into()).canonical(), "500m");
        assert_eq!(age(Time(0), None), "<unknown>");
    }
}
