//! The shell against the behaviour of busybox `sh` for the scripts pod specs use.

use super::*;
use crate::time::Time;

fn sh(script: &str, horizon: u64) -> Outcome {
    signalled(script, None, horizon)
}

/// `script` sent SIGTERM at `term_at` ms, run up to `horizon`.
fn signalled(script: &str, term_at: Option<u64>, horizon: u64) -> Outcome {
    let env = Env {
        vars: vec![("HOSTNAME".into(), "web-1".into())],
        started: Time::ZERO,
        files: BTreeMap::new(),
        term_at,
    };
    run(
        &["sh".into(), "-c".into(), script.into()],
        &env,
        horizon,
        Mode::Log,
    )
}

fn texts(o: &Outcome) -> Vec<&str> {
    o.lines.iter().map(|(_, l)| l.as_str()).collect()
}

#[test]
fn echo_sleep_and_exit_give_lines_times_and_status() {
    let o = sh(
        "echo starting; sleep 5; echo 'failed: no config' && exit 3",
        u64::MAX,
    );
    assert_eq!(
        o.lines,
        vec![(0, "starting".into()), (5000, "failed: no config".into())]
    );
    assert_eq!(o.exit, Some((5000, 3)));
}

#[test]
fn the_logging_pages_counter_prints_once_a_second() {
    // kubernetes.io/docs/concepts/cluster-administration/logging: the counter pod.
    let o = sh(
        r#"i=0; while true; do echo "$i: $(date)"; i=$((i+1)); sleep 1; done"#,
        2500,
    );
    assert_eq!(
        texts(&o),
        vec![
            "0: Mon Jan  5 09:00:00 UTC 2026",
            "1: Mon Jan  5 09:00:01 UTC 2026",
            "2: Mon Jan  5 09:00:02 UTC 2026"
        ]
    );
    assert_eq!(o.exit, None);
    // Without output wanted, the endless loop is recognised at once.
    let env = Env::default();
    let quick = run(
        &[
            "sh".into(),
            "-c".into(),
            "while true; do sleep 1; done".into(),
        ],
        &env,
        u64::MAX,
        Mode::Exit,
    );
    assert_eq!(quick.exit, None);
}

#[test]
fn the_liveness_example_runs_630_seconds_and_exits_0() {
    // kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes
    let o = sh(
        "touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600",
        u64::MAX,
    );
    assert_eq!(o.exit, Some((630_000, 0)));
    assert!(o.lines.is_empty());
    let o = sh(
        "touch /tmp/healthy; if [ -f /tmp/healthy ]; then echo up; fi; rm /tmp/healthy; test -e /tmp/healthy || echo gone",
        u64::MAX,
    );
    assert_eq!(texts(&o), vec!["up", "gone"]);
}

#[test]
fn quoting_expansion_and_redirections() {
    let o = sh(
        r#"A="two  words"; echo $A "$A" '$A' \$A; echo hidden > /tmp/f; cat /tmp/f; echo x >/dev/null; printf '%s=%03d\n' n 7 m 8"#,
        u64::MAX,
    );
    assert_eq!(
        texts(&o),
        vec!["two words two  words $A $A", "hidden", "n=007", "m=008"]
    );
    let o = sh(
        "for i in $(seq 1 3); do echo -n $i; done; echo; hostname",
        u64::MAX,
    );
    assert_eq!(texts(&o), vec!["123", "web-1"]);
    let o = sh("false || echo $?; ! true; echo $?", u64::MAX);
    assert_eq!(texts(&o), vec!["1", "1"]);
}

#[test]
fn loops_break_and_continue() {
    let o = sh(
        "n=0; while true; do n=$((n+1)); [ $n -eq 2 ] && continue; [ $n -gt 3 ] && break; echo $n; done; echo done",
        u64::MAX,
    );
    assert_eq!(texts(&o), vec!["1", "3", "done"]);
    assert_eq!(o.exit, Some((0, 0)));
}

#[test]
fn direct_commands_and_shells_without_a_script() {
    let env = Env::default();
    let run1 = |argv: &[&str]| {
        run(
            &argv.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
            &env,
            u64::MAX,
            Mode::Log,
        )
    };
    assert_eq!(run1(&["sleep", "3600"]).exit, Some((3_600_000, 0)));
    assert_eq!(run1(&["sleep", "infinity"]).exit, None);
    assert_eq!(run1(&["/bin/sh"]).exit, Some((0, 0)));
    assert_eq!(
        texts(&run1(&["echo", "hello", "world"])),
        vec!["hello world"]
    );
    assert_eq!(run1(&["tail", "-f", "/dev/null"]).exit, None);
}

#[test]
fn bad_scripts_and_hostile_loops_end() {
    let o = sh("while true; do echo", u64::MAX);
    assert_eq!(
        texts(&o),
        vec!["sh: syntax error: unexpected end of file (expecting \"done\")"]
    );
    assert_eq!(o.exit, Some((0, 2)));
    // A loop that prints without sleeping stops at the line budget, still running.
    let o = sh("while :; do echo y; done", u64::MAX);
    assert_eq!(o.lines.len(), MAX_LINES);
    assert_eq!(o.exit, None);
    // Deep nesting is refused, not a stack overflow.
    let deep = "$(".repeat(500) + &")".repeat(500);
    let o = sh(&format!("echo {deep}"), u64::MAX);
    assert!(o.exit.is_some());
    let deep = "{ ".repeat(500) + "true; " + &"}; ".repeat(500);
    assert_eq!(sh(&deep, u64::MAX).exit, Some((0, 2)));
}

#[test]
fn date_formats() {
    let t = Time(3 * 86_400_000 + 3_723_000);
    assert_eq!(
        date(t, "%a %b %e %H:%M:%S UTC %Y"),
        "Thu Jan  8 10:02:03 UTC 2026"
    );
    assert_eq!(date(t, "%F %T %s"), "2026-01-08 10:02:03 1767866523");
}

#[test]
fn redirections_route_stdout_and_stderr() {
    let o = sh(
        "echo hi >/dev/null 2>&1; echo err 1>&2; cat /nope 2>/dev/null; echo both >/tmp/f 2>&1; cat /tmp/f; cat /gone",
        u64::MAX,
    );
    assert_eq!(
        texts(&o),
        vec![
            "err",
            "both",
            "cat: can't open '/gone': No such file or directory"
        ]
    );
    assert_eq!(o.exit, Some((0, 1)));
    // Standard error of a command substitution reaches the log unless sent to stdout.
    let o = sh(
        r#"x=$(cat /nope); y=$(cat /nope 2>&1); echo "[$x]" "[$y]""#,
        u64::MAX,
    );
    assert_eq!(
        texts(&o),
        vec![
            "cat: can't open '/nope': No such file or directory",
            "[] [cat: can't open '/nope': No such file or directory]"
        ]
    );
    let o = sh(
        "echo hi | cat; echo hey | tee /tmp/x >/dev/null; cat /tmp/x",
        u64::MAX,
    );
    assert_eq!(texts(&o), vec!["hi", "hey"]);
}

#[test]
fn statuses_exit_set_e_and_exec() {
    assert_eq!(sh("false; exit", u64::MAX).exit, Some((0, 1)));
    assert_eq!(sh("test -f /cfg || exit", u64::MAX).exit, Some((0, 1)));
    let o = sh("echo start; exec sleep 3600", u64::MAX);
    assert_eq!((texts(&o), o.exit), (vec!["start"], Some((3_600_000, 0))));
    let o = sh("set -e; echo a; false; echo b", u64::MAX);
    assert_eq!((texts(&o), o.exit), (vec!["a"], Some((0, 1))));
    let o = sh(
        "set -e; false || true; if false; then :; fi; ! true; while false; do :; done; echo ok",
        u64::MAX,
    );
    assert_eq!((texts(&o), o.exit), (vec!["ok"], Some((0, 0))));
    let o = sh("set -e; true && false; echo not reached", u64::MAX);
    assert_eq!(o.exit, Some((0, 1)));
    assert!(o.lines.is_empty());
}

#[test]
fn words_parameters_and_exports() {
    let o = sh(
        r#"echo a${X}b; out=$(printf 'a\nb\n'); echo "$out"; A="x  y"; B=$A; echo "$B""#,
        u64::MAX,
    );
    assert_eq!(texts(&o), vec!["ab", "a", "b", "x  y"]);
    let o = sh(
        "echo ${GREETING:-hello} ${#HOSTNAME} ${UNSET-x} ${HOSTNAME:+set} ${UNSET:+no}.; : ${N:=3}; echo $N",
        u64::MAX,
    );
    assert_eq!(texts(&o), vec!["hello 5 x set .", "3"]);
    let o = sh(
        "i=0; printenv i || echo unexported; export i; printenv i; env",
        u64::MAX,
    );
    assert_eq!(texts(&o), vec!["unexported", "0", "HOSTNAME=web-1", "i=0"]);
}

#[test]
fn subshells_keep_their_exit_and_variables() {
    let o = sh(
        r#"(exit 3); echo $?; echo x | exit 4; echo after $?; (A=1); echo "[$A]"; echo a; break; echo b"#,
        u64::MAX,
    );
    assert_eq!(texts(&o), vec!["3", "after 4", "[]", "a", "b"]);
    assert_eq!(o.exit, Some((0, 0)));
}

#[test]
fn an_unfinished_line_waits_for_its_end() {
    let script = "while :; do echo -n a; sleep 1; echo b; sleep 1; done";
    assert!(sh(script, 500).lines.is_empty());
    assert_eq!(sh(script, 1500).lines, vec![(1000, "ab".to_string())]);
    // A script that ends with one writes it.
    assert_eq!(texts(&sh("echo -n done", u64::MAX)), vec!["done"]);
}

#[test]
fn a_long_running_log_keeps_its_latest_lines() {
    let hours = 10 * 3_600_000;
    let o = sh("while true; do echo tick; sleep 1; done", hours);
    let last = o.lines.last().expect("lines").0;
    assert!(last > hours - 2_000, "the log reaches the horizon: {last}");
    assert_eq!(
        o.lines.len(),
        MAX_LINES,
        "the oldest lines are rotated away"
    );
    assert_eq!(
        sh("seq 9223372036854775806 9223372036854775807", u64::MAX)
            .lines
            .len(),
        2
    );
}

/// Inputs meant to exhaust the stack, the memory or the time of the page: each ends
/// quickly with a bounded result.
#[test]
fn hostile_scripts_are_bounded() {
    let chain = format!("true{}", " && true".repeat(50_000));
    assert_eq!(sh(&chain, u64::MAX).exit, Some((0, 0)));
    // Arithmetic nested deeper than 64 levels is refused as a syntax error.
    let signs = format!("echo $(({}1))", "-".repeat(100_000));
    assert_eq!(
        texts(&sh(&signs, u64::MAX)),
        vec!["sh: arithmetic syntax error"]
    );
    let parens = format!("echo $(({}1{}))", "(".repeat(30_000), ")".repeat(30_000));
    assert_eq!(
        texts(&sh(&parens, u64::MAX)),
        vec!["sh: arithmetic syntax error"]
    );
    let nots = format!("[ {}x ] && echo yes", "! ".repeat(200_000));
    assert_eq!(texts(&sh(&nots, u64::MAX)), vec!["yes"]);
    let wrappers = format!("{}echo wrapped", "exec command env ".repeat(30_000));
    assert_eq!(texts(&sh(&wrappers, u64::MAX)), vec!["wrapped"]);
    let wide = sh("printf '%999999999d|' 1", u64::MAX);
    assert!(wide.lines[0].1.len() <= 4097);
    let doubling = sh(
        "i=0; a=x; while [ $i -lt 40 ]; do a=$a$a; i=$((i+1)); done; echo ${#a}",
        u64::MAX,
    );
    assert_eq!(texts(&doubling), vec![(64 * 1024).to_string().as_str()]);
    let big = format!("while true; do echo {}; done", "y".repeat(4096));
    let o = sh(&big, u64::MAX);
    let bytes: usize = o.lines.iter().map(|(_, l)| l.len()).sum();
    assert!(bytes <= MAX_OUTPUT_BYTES, "{bytes}");
    let long_line = sh("while true; do echo -n yyyyyyyyyyyyyyyy; done", u64::MAX);
    assert!(long_line.lines.is_empty() && long_line.exit.is_none());
    let copies = sh("echo x > /f; while :; do cat /f >> /f; done", u64::MAX);
    assert_eq!(copies.exit, None);
    let nested_if = format!(
        "{}echo deep{}",
        "if true; then ".repeat(200),
        "; fi".repeat(200)
    );
    assert_eq!(sh(&nested_if, u64::MAX).exit, Some((0, 2)));
    let subst = format!("echo {}x{}", "$(echo ".repeat(500), ")".repeat(500));
    assert!(sh(&subst, u64::MAX).exit.is_some());
    // Field splitting of a 64 KiB value, thousands of times over, and printf padding.
    let fields = format!(
        "x=\"a a\"; for i in $(seq 14); do x=\"$x $x\"; done; : {}",
        "$x ".repeat(5000)
    );
    assert_eq!(sh(&fields, u64::MAX).exit, None, "the budget ends it");
    let quoted = format!("x=aaaa; y=\"{}\"; echo ${{#y}}", "$x".repeat(100_000));
    assert_eq!(texts(&sh(&quoted, u64::MAX)), vec!["65536"]);
    let padding = format!("printf '{}' 1", "%4096s".repeat(5000));
    let o = sh(&padding, u64::MAX);
    let bytes: usize = o.lines.iter().map(|(_, l)| l.len()).sum();
    assert!(bytes <= MAX_LINE_BYTES, "{bytes}");
    assert_eq!(
        sh("sleep 5e15; sleep 5e15; sleep 5e15; sleep 5e15", u64::MAX).exit,
        None
    );
}

#[test]
fn the_kubelet_and_the_log_agree_on_when_a_script_ends() {
    let env = Env::default();
    let argv = |s: &str| vec!["sh".to_string(), "-c".to_string(), s.to_string()];
    // `set -e` ends a loop that would otherwise never end.
    let o = run(
        &argv("set -e; while true; do cat /missing; sleep 5; done"),
        &env,
        u64::MAX,
        Mode::Exit,
    );
    assert_eq!(o.exit, Some((0, 1)));
    // A long count ends in both modes, with the same status.
    let count = argv("i=0; while [ $i -lt 50000 ]; do i=$((i+1)); done; echo done; exit 3");
    assert_eq!(run(&count, &env, u64::MAX, Mode::Exit).exit, Some((0, 3)));
    assert_eq!(run(&count, &env, u64::MAX, Mode::Log).exit, Some((0, 3)));
    // `while sleep 1` never ends either.
    assert_eq!(
        run(
            &argv("while sleep 1; do date; done"),
            &env,
            u64::MAX,
            Mode::Exit
        )
        .exit,
        None
    );
    // An exec'd command that loops forever times out.
    let (status, _) = exec_in(
        &argv("while :; do :; done"),
        &env,
        BTreeMap::new(),
        1000,
        None,
    );
    assert_eq!(status, None);
    assert!(!writes_files(&argv(
        r#"i=0; while true; do echo "$i: $(date)"; sleep 1; done"#
    )));
    assert!(writes_files(&argv("touch /tmp/healthy; sleep 30")));
    assert!(writes_files(&argv("echo ok > /tmp/ready")));
    assert!(!writes_files(&argv("echo ok > /dev/null")));
}

/// busybox's grep, wc, head and tail on the shapes courses pipe into them.
#[test]
fn text_filters_select_count_and_cut_lines_as_busybox_does() {
    let run = |script: &str| {
        let o = sh(script, u64::MAX);
        (texts(&o).join("\n"), o.exit.map(|(_, code)| code))
    };
    let lines = "printf 'web-1 Running\\nweb-2 Pending\\napi-1 Running\\n'";
    assert_eq!(
        run(&format!("{lines} | grep Running")),
        ("web-1 Running\napi-1 Running".into(), Some(0))
    );
    assert_eq!(
        run(&format!("{lines} | grep -c Running")),
        ("2".into(), Some(0))
    );
    assert_eq!(
        run(&format!("{lines} | grep -v Running")),
        ("web-2 Pending".into(), Some(0))
    );
    assert_eq!(
        run(&format!("{lines} | grep -n '^api'")),
        ("3:api-1 Running".into(), Some(0))
    );
    assert_eq!(
        run(&format!("{lines} | grep -i 'PENDING$'")),
        ("web-2 Pending".into(), Some(0))
    );
    assert_eq!(
        run(&format!("{lines} | grep -E 'web-[0-9]+ P|api'")),
        ("web-2 Pending\napi-1 Running".into(), Some(0))
    );
    assert_eq!(
        run(&format!("{lines} | grep 'w.b-.*g$'")),
        ("web-1 Running\nweb-2 Pending".into(), Some(0))
    );
    assert_eq!(
        run(&format!("{lines} | grep -w web")),
        ("web-1 Running\nweb-2 Pending".into(), Some(0))
    );
    assert_eq!(
        run(&format!("{lines} | grep -x web")),
        (String::new(), Some(1))
    );
    assert_eq!(
        run(&format!("{lines} | grep -F 'b-.'")),
        (String::new(), Some(1))
    );
    assert_eq!(
        run(&format!("{lines} | grep -q api; echo $?")),
        ("0".into(), Some(0))
    );
    assert_eq!(
        run("grep x /nope; echo $?"),
        ("grep: /nope: No such file or directory\n2".into(), Some(0))
    );
    // Several files: each line and count is named.
    assert_eq!(
        run("echo a > /tmp/1; echo b > /tmp/2; grep -c . /tmp/1 /tmp/2"),
        ("/tmp/1:1\n/tmp/2:1".into(), Some(0))
    );
    // wc: one count of one input bare, otherwise nine places a column.
    assert_eq!(run(&format!("{lines} | wc -l")), ("3".into(), Some(0)));
    assert_eq!(
        run(&format!("{lines} | wc")),
        ("        3         6        42".into(), Some(0))
    );
    assert_eq!(
        run("printf 'a b\\n' > /tmp/f; wc -l /tmp/f; wc /tmp/f /tmp/f"),
        ("1 /tmp/f\n        1         2         4 /tmp/f\n        1         2         4 /tmp/f\n        2         4         8 total".into(), Some(0))
    );
    // head and tail.
    assert_eq!(run("seq 20 | head -n 3"), ("1\n2\n3".into(), Some(0)));
    assert_eq!(run("seq 20 | head -2"), ("1\n2".into(), Some(0)));
    assert_eq!(run("seq 20 | tail -n 2"), ("19\n20".into(), Some(0)));
    assert_eq!(run("seq 5 | tail -n +4"), ("4\n5".into(), Some(0)));
    assert_eq!(run("seq 12 | tail | head -1"), ("3".into(), Some(0)));
    // sort and uniq, as a count of which pod answered is made.
    assert_eq!(
        run("printf 'b\\na\\nb\\n' | sort | uniq -c"),
        ("      1 a\n      2 b".into(), Some(0))
    );
    assert_eq!(
        run("printf '10\\n9\\n100\\n' | sort"),
        ("10\n100\n9".into(), Some(0))
    );
    assert_eq!(
        run("printf '10\\n9\\n100\\n' | sort -n"),
        ("9\n10\n100".into(), Some(0))
    );
    assert_eq!(
        run("printf '10\\n9\\n100\\n' | sort -rn"),
        ("100\n10\n9".into(), Some(0))
    );
    assert_eq!(
        run("printf 'a\\na\\nb\\n' | uniq -d"),
        ("a".into(), Some(0))
    );
}

#[test]
fn a_pattern_that_repeats_cannot_blow_up_grep() {
    let line = "a".repeat(16_000);
    let script = format!("echo {line} | grep -c 'a*a*a*a*a*a*a*a*a*a*a*a*a*b'; echo done");
    let o = sh(&script, u64::MAX);
    assert_eq!(texts(&o), vec!["0", "done"]);
}

#[test]
fn prefixes_and_suffixes_come_off_by_pattern() {
    // POSIX 2.6.2: `#`/`%` the shortest match, `##`/`%%` the longest.
    let o = sh(
        r#"f=/var/log/app.tar.gz; echo ${f#*/} ${f##*/} ${f%.*} ${f%%.*}
echo ${HOSTNAME##*-} ${HOSTNAME%-*} ${HOSTNAME#nomatch} "${HOSTNAME%[0-9]}"
x=; echo "[${x#*}]" "[${unset%%*}]""#,
        u64::MAX,
    );
    assert_eq!(
        texts(&o),
        vec![
            "var/log/app.tar.gz app.tar.gz /var/log/app.tar /var/log/app",
            "1 web web-1 web-",
            "[] []"
        ]
    );
}

#[test]
fn an_unset_required_parameter_ends_the_shell() {
    // ash's `varunset`: the message, and status 2 for the whole shell.
    let o = sh(r#"echo before; echo ${DB_HOST:?}; echo after"#, u64::MAX);
    assert_eq!(
        texts(&o),
        vec!["before", "sh: DB_HOST: parameter not set or null"]
    );
    assert_eq!(o.exit, Some((0, 2)));
    let o = sh(r#"echo ${DB_HOST?set DB_HOST first}"#, u64::MAX);
    assert_eq!(texts(&o), vec!["sh: DB_HOST: set DB_HOST first"]);
    let o = sh(r#"E=; echo "[${E?}]" ${HOSTNAME:?}"#, u64::MAX);
    assert_eq!(texts(&o), vec!["[] web-1"]);
}

#[test]
fn arithmetic_assigns_and_fails_as_ash_does() {
    let o = sh(
        r#"i=0; while [ $i -lt 3 ]; do : $((i+=1)); done; echo $i $((i++)) $i $((2**8)) $((i>2 ? 10 : 20)) $((0x10))"#,
        u64::MAX,
    );
    assert_eq!(texts(&o), vec!["3 3 4 256 10 16"]);
    let o = sh("echo start; echo $((1 / 0)); echo never", u64::MAX);
    assert_eq!(texts(&o), vec!["start", "sh: divide by zero"]);
    assert_eq!(o.exit, Some((0, 2)));
    let o = sh("echo $((1 +))", u64::MAX);
    assert_eq!(texts(&o), vec!["sh: arithmetic syntax error"]);
    // Parameters, commands and inner arithmetic are expanded before the expression is read;
    // a leading zero makes a number octal, so `08` is an error there, as in ash.
    let o = sh(
        r#"echo $(( $(echo 6) * ${n:-7} )) $(( $((1 + 2)) ** 2 )); echo $(( $(echo 08) + 1 ))"#,
        u64::MAX,
    );
    assert_eq!(texts(&o), vec!["42 9", "sh: arithmetic syntax error"]);
}

#[test]
fn case_runs_the_first_arm_whose_pattern_matches() {
    let o = sh(
        r#"for h in web-0 web-1 api-7 db; do
  case "$h" in
    web-0) echo "$h leads" ;;
    web-*|api-*) echo "$h follows";;
    *) echo "$h is unknown"
  esac
done
case x in (y) echo no; esac; echo "status $?""#,
        u64::MAX,
    );
    assert_eq!(
        texts(&o),
        vec![
            "web-0 leads",
            "web-1 follows",
            "api-7 follows",
            "db is unknown",
            "status 0"
        ]
    );
    assert_eq!(
        texts(&sh("case x in x echo; esac", u64::MAX)),
        vec!["sh: syntax error: unexpected word (expecting \")\")"]
    );
}

#[test]
fn sigterm_runs_the_trap_after_the_command_in_the_foreground() {
    // The handler runs once the `sleep 1` under way (started at 5 s) has finished.
    let script = "trap 'echo caught TERM; exit 0' TERM; while true; do sleep 1; done";
    let o = signalled(script, Some(5_500), 60_000);
    assert_eq!(texts(&o), vec!["caught TERM"]);
    assert_eq!(o.exit, Some((6_000, 0)));
    // A long `sleep` holds the handler back until it ends: here past the horizon (the
    // end of the grace period), so the container is killed.
    let o = signalled("trap 'exit 0' TERM; sleep 3600", Some(5_000), 35_000);
    assert_eq!(o.exit, None);
    // Without a trap the shell, as process 1, ignores SIGTERM.
    let o = signalled("while true; do sleep 1; done", Some(5_000), 35_000);
    assert_eq!(o.exit, None);
    // An empty action ignores it too; `-` puts the default back.
    let o = signalled(
        "trap '' TERM; sleep 10; echo still here",
        Some(1_000),
        35_000,
    );
    assert_eq!((texts(&o), o.exit), (vec!["still here"], Some((10_000, 0))));
    // A handler that does not exit lets the script go on.
    let o = signalled(
        "trap 'echo noted' TERM; sleep 2; echo done",
        Some(1_000),
        35_000,
    );
    assert_eq!(texts(&o), vec!["noted", "done"]);
}

#[test]
fn the_exit_trap_runs_as_the_shell_ends() {
    let o = sh(
        "trap 'echo cleaning up' EXIT; echo working; exit 3",
        u64::MAX,
    );
    assert_eq!(texts(&o), vec!["working", "cleaning up"]);
    assert_eq!(o.exit, Some((0, 3)));
    let o = sh("trap 'echo bye' 0; echo hi", u64::MAX);
    assert_eq!(texts(&o), vec!["hi", "bye"]);
    let o = signalled(
        "trap 'exit 0' SIGTERM; trap 'echo bye' EXIT; while :; do sleep 1; done",
        Some(2_500),
        60_000,
    );
    assert_eq!((texts(&o), o.exit), (vec!["bye"], Some((3_000, 0))));
    // Listing, and a name `trap` does not know.
    let o = sh(
        "trap 'echo x' INT HUP; trap; trap - INT; trap; trap 'x' NOPE; echo $?",
        u64::MAX,
    );
    assert_eq!(
        texts(&o),
        vec![
            "trap -- 'echo x' HUP",
            "trap -- 'echo x' INT",
            "trap -- 'echo x' HUP",
            "sh: trap: line 0: NOPE: invalid signal specification",
            "1"
        ]
    );
}

#[test]
fn quoted_parts_of_a_pattern_match_themselves() {
    // POSIX 2.13.1: quoting a pattern character (quotes, a backslash, a quoted expansion)
    // makes it match only itself. Outputs as busybox sh prints them.
    let o = sh(
        r#"x=abc; case $x in "a*") echo quoted;; a*) echo glob;; esac
p="a*"; case abc in "$p") echo match;; *) echo nomatch;; esac
case abc in $p) echo unquoted-match;; esac
case abc in a\?c) echo wrong;; *) echo right;; esac
v="a*b*c"; echo "${v#"a*"}" "${v#a\*}" "${v#a*}"
pat="*c"; v=abcabc; echo ${v#"$pat"} ${v#$pat}
case 5 in [[:digit:]]) echo digit;; esac"#,
        u64::MAX,
    );
    assert_eq!(
        texts(&o),
        vec![
            "glob",
            "nomatch",
            "unquoted-match",
            "right",
            "b*c b*c *b*c",
            "abcabc abc",
            "digit"
        ]
    );
}

#[test]
fn substrings_and_replacements() {
    // As busybox sh prints them (it has no `/#` and `/%` anchors, unlike bash).
    let o = sh(
        r#"v=hello; echo ${v:1:3} ${v:2} ${v: -3} ${v:1:-1} "[${v:9}]"
echo ${v/l/L} ${v//l/L} ${v/#h/H} ${v/%o/O} ${v/#e/E} ${v//[aeiou]/_} ${v/l*/p} "${v/l}"
p=l; echo ${v//$p/-} ${v//"l"/L}"#,
        u64::MAX,
    );
    assert_eq!(
        texts(&o),
        vec![
            "ell llo llo ell []",
            "heLlo heLLo hello hello hello h_ll_ hep helo",
            "he--o heLLo"
        ]
    );
}

#[test]
fn positional_parameters_come_after_the_script() {
    // `sh -c SCRIPT ZERO ONE …`, as busybox sh prints it.
    let argv: Vec<String> = [
        "sh",
        "-c",
        r#"echo $0 $# "$1" "$@"; for a in "$@"; do echo "[$a]"; done; shift; echo $#: $*
set -- x "y z"; echo $# $2; for a in "$@"; do echo "<$a>"; done
set --; for a in "$@"; do echo never; done; echo "n=$#"; shift 3; echo after $?"#,
        "zero",
        "one",
        "two three",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let o = run(&argv, &Env::default(), u64::MAX, Mode::Log);
    assert_eq!(
        texts(&o),
        vec![
            "zero 2 one one two three",
            "[one]",
            "[two three]",
            "1: two three",
            "2 y z",
            "<x>",
            "<y z>",
            "n=0",
            "after 1"
        ]
    );
}

#[test]
fn functions_take_their_own_parameters_and_return() {
    // Outputs as busybox sh prints them.
    let argv: Vec<String> = [
        "sh",
        "-c",
        "greet() { echo \"hello $1 ($#)\"; return 3; }; greet world; echo \"rc=$?\"
add() { echo $(( $1 + $2 )); }; add 2 3
f() { for i in 1 2 3; do [ $i = 2 ] && return 7; echo $i; done; }; f; echo rc=$?
echo \"$@\"
g()
{
  echo multi
}
g",
        "a",
        "b",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let o = run(&argv, &Env::default(), u64::MAX, Mode::Log);
    assert_eq!(
        texts(&o),
        vec!["hello world (1)", "rc=3", "5", "1", "rc=7", "b", "multi"]
    );
    // Endless recursion ends the run instead of the page.
    let o = sh("r() { r; }; r; echo after", u64::MAX);
    assert_eq!(texts(&o), vec!["sh: nested too deeply"]);
}

#[test]
fn options_subshells_and_functions_keep_the_right_state() {
    // Outputs as busybox sh prints them.
    let argv: Vec<String> = [
        "sh",
        "-c",
        r#"set -- a b; set -euo pipefail; echo $# $1; ( set -- x y z ); echo $#
v=a; a=a/; echo ${v/$a/r}; V=abc; echo "[${V: -5}]" "[${V: -2}]"
trap "echo t" TERM; trap TERM; trap; f() { exit 3; }; while true; do f; done"#,
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    // The loop that calls `f` ends when `f` exits, even where an endless loop is cut short.
    for mode in [Mode::Log, Mode::Exit] {
        let o = run(&argv, &Env::default(), u64::MAX, mode);
        assert_eq!(o.exit, Some((0, 3)), "{mode:?}");
        if mode == Mode::Log {
            assert_eq!(texts(&o), vec!["2 a", "2", "a", "[] [bc]"]);
        }
    }
}

#[test]
fn a_signal_during_a_command_substitution_is_taken_by_the_shell() {
    // SIGTERM goes to process 1: the trap runs in the shell once `$(…)` is done, and its
    // `exit` ends the shell, not the substitution.
    let o = signalled(
        "trap 'echo stopping; exit 0' TERM; while :; do v=$(sleep 1; echo x); done",
        Some(2_500),
        60_000,
    );
    assert_eq!((texts(&o), o.exit), (vec!["stopping"], Some((3_000, 0))));
}

#[test]
fn scripts_that_would_grow_without_end_are_bounded() {
    // Function definitions nested without end, parameters doubled each turn, and variables
    // that name each other twice over: each run ends within its budget.
    let defs = format!("{}:", "f()".repeat(5_000));
    assert_eq!(
        texts(&sh(&defs, u64::MAX)),
        vec!["sh: syntax error: nested too deeply"]
    );
    let o = sh(
        r#"set -- x; while true; do set -- "$@" "$@"; done"#,
        u64::MAX,
    );
    assert_eq!(o.exit, None);
    let chain: String = (1..=50)
        .map(|i| format!("a{i}='a{0}+a{0}'; ", i - 1))
        .collect();
    let o = sh(&format!("a0=1; {chain}echo $((a50))"), u64::MAX);
    assert_eq!(o.exit, None, "the budget runs out");
    // Arithmetic at the ends of the range wraps, as in ash.
    let o = sh(
        "x=9223372036854775807; : $((x++)); echo $x; y=$((-9223372036854775807-1)); : $((--y)); echo $y",
        u64::MAX,
    );
    assert_eq!(
        texts(&o),
        vec!["-9223372036854775808", "9223372036854775807"]
    );
}

#[test]
fn a_job_runs_beside_the_shell_and_wait_waits_for_it() {
    // Outputs as busybox 1.35's `sh`, run as process 1 of a PID namespace, prints them.
    let o = sh(
        r#"echo "[$!]"; echo start; sleep 2 & echo "job $!"; wait; echo "waited $?""#,
        u64::MAX,
    );
    assert_eq!(
        o.lines,
        vec![
            (0, "[]".into()),
            (0, "start".into()),
            (0, "job 2".into()),
            (2_000, "waited 0".into())
        ]
    );
    assert_eq!(o.exit, Some((2_000, 0)));
    // Lines of a job and of the shell come in order of time.
    let o = sh(
        "(for i in 1 2 3; do echo bg $i; sleep 1; done) & sleep 1.5; echo fg; wait",
        u64::MAX,
    );
    assert_eq!(
        o.lines,
        vec![
            (0, "bg 1".into()),
            (1_000, "bg 2".into()),
            (1_500, "fg".into()),
            (2_000, "bg 3".into())
        ]
    );
    assert_eq!(o.exit, Some((3_000, 0)));
    // `wait PID` and `wait %N` wait for one job and give its status.
    let o = sh(
        r#"sleep 5 & sleep 1 & wait $!; echo "one $?"; (exit 3) & wait $!; echo "three $?""#,
        u64::MAX,
    );
    assert_eq!(
        o.lines,
        vec![(1_000, "one 0".into()), (1_000, "three 3".into())]
    );
    // The container ends with its process 1: a job's later lines are never printed.
    let o = sh("(sleep 1; echo late) & echo early; exit 0", u64::MAX);
    assert_eq!((texts(&o), o.exit), (vec!["early"], Some((0, 0))));
    // A job that never ends makes `wait` wait forever; one past the horizon cuts the run.
    assert_eq!(sh("sleep infinity & wait", 60_000).exit, None);
    let o = sh(
        "while true; do echo tick; sleep 1; done & sleep 2.5; echo fg",
        10_000,
    );
    assert_eq!(texts(&o), vec!["tick", "tick", "tick", "fg"]);
    assert_eq!(o.exit, Some((2_500, 0)));
}

#[test]
fn kill_ends_a_job_and_wait_reports_the_signal() {
    let o = sh(
        r#"sleep 30 & c=$!; kill $c; wait $c; echo "st=$?"; sleep 30 & kill -9 $!; wait $!; echo "st=$?""#,
        u64::MAX,
    );
    assert_eq!(texts(&o), vec!["Terminated", "st=143", "Killed", "st=137"]);
    assert_eq!(o.exit, Some((0, 0)));
    // A killed job prints nothing after the signal.
    let o = sh(
        "(while true; do echo bg; sleep 1; done) & sleep 1.5; kill %1; sleep 5; echo end",
        60_000,
    );
    assert_eq!(texts(&o), vec!["bg", "bg", "end"]);
    // A job that never ends uses up its own budget, not the shell's.
    let o = sh(
        "while [ ! -f /tmp/stop ]; do sleep 1; done & sleep 10; echo done; exit 1",
        u64::MAX,
    );
    assert_eq!((texts(&o), o.exit), (vec!["done"], Some((10_000, 1))));
    let o = sh(
        "kill; kill 999; kill -FOO 2; kill -l 15; kill -l TERM; true & sleep 1; kill $!; echo $?; wait 999; echo $?; kill abc; echo $?",
        u64::MAX,
    );
    assert_eq!(
        texts(&o),
        vec![
            "sh: you need to specify whom to kill",
            "sh: can't kill pid 999: No such process",
            "sh: bad signal name 'FOO'",
            "TERM",
            "15",
            "sh: can't kill pid 2: No such process",
            "1",
            "127",
            "sh: invalid number 'abc'",
            "1"
        ]
    );
    // A signal to the shell itself runs its trap at once.
    let o = sh("trap 'echo hup' HUP; kill -HUP $$; echo after", u64::MAX);
    assert_eq!(texts(&o), vec!["hup", "after"]);
    let o = sh("kill -l", u64::MAX);
    assert_eq!(o.lines.len(), 31);
    assert_eq!(o.lines[14].1, "15) TERM");
}

#[test]
fn sigterm_interrupts_wait_when_the_shell_traps_it() {
    // The usual graceful shutdown: the work in a job, the shell waiting on it.
    let o = signalled(
        "trap 'echo got TERM; exit 0' TERM; echo start; sleep 3600 & wait",
        Some(5_000),
        35_000,
    );
    assert_eq!(texts(&o), vec!["start", "got TERM"]);
    assert_eq!(o.exit, Some((5_000, 0)));
    // The handler passes the signal on to the job and waits for it.
    let o = signalled(
        r#"trap 'echo stopping; kill $child; wait $child; echo "child $?"; exit 0' TERM; sleep 3600 & child=$!; wait $child; echo "after wait $?""#,
        Some(5_000),
        35_000,
    );
    assert_eq!(texts(&o), vec!["stopping", "Terminated", "child 143"]);
    assert_eq!(o.exit, Some((5_000, 0)));
    // `wait` gives 143 and the script goes on after a handler that does not exit.
    let o = signalled(
        r#"trap 'echo T $?' TERM; sleep 3600 & wait; echo "w $?"; sleep 1; echo end"#,
        Some(5_000),
        35_000,
    );
    assert_eq!(
        o.lines,
        vec![
            (5_000, "T 143".into()),
            (5_000, "w 143".into()),
            (6_000, "end".into())
        ]
    );
    // Without a trap process 1 ignores SIGTERM: `wait` goes on until the kill.
    let o = signalled(
        "echo start; sleep 3600 & wait; echo never",
        Some(5_000),
        35_000,
    );
    assert_eq!((texts(&o), o.exit), (vec!["start"], None));
    // A signal during the last command runs the handler once that command is done.
    let o = signalled("trap 'echo late TERM' TERM; sleep 10", Some(2_000), 35_000);
    assert_eq!((texts(&o), o.exit), (vec!["late TERM"], Some((10_000, 0))));
}

#[test]
fn what_jobs_print_comes_before_what_the_shell_prints_after_waiting() {
    let o = sh(
        "(echo working; sleep 1; echo finished) & wait; echo all done",
        u64::MAX,
    );
    assert_eq!(texts(&o), vec!["working", "finished", "all done"]);
    let o = sh(
        "for i in 1 2 3; do (sleep 0.$i; echo worker $i done) & done; wait; echo all workers done",
        u64::MAX,
    );
    assert_eq!(
        texts(&o),
        vec![
            "worker 1 done",
            "worker 2 done",
            "worker 3 done",
            "all workers done"
        ]
    );
    // `wait -n`: the first job to end.
    let o = sh(
        "sleep 2 & sleep 1 & wait -n; echo $?; wait -n; echo $?; wait -n; echo $?",
        u64::MAX,
    );
    assert_eq!(
        o.lines,
        vec![
            (1_000, "0".into()),
            (2_000, "0".into()),
            (2_000, "127".into())
        ]
    );
}

#[test]
fn a_subshell_has_jobs_of_its_own_and_signals_process_1_through_the_shell() {
    // Outputs as busybox 1.35's `sh`, as process 1, prints them.
    let o = sh(r#"(sleep 1 &); echo "[$!]"; wait; echo done"#, u64::MAX);
    assert_eq!(o.lines, vec![(0, "[]".into()), (0, "done".into())]);
    let o = sh("sleep 1 & (wait; echo in); echo $!", u64::MAX);
    assert_eq!(o.lines, vec![(0, "in".into()), (0, "2".into())]);
    // The trap runs in the shell, after the subshell that sent the signal.
    let o = sh(
        r#"trap "echo t; exit 3" TERM; (kill $$); echo after"#,
        u64::MAX,
    );
    assert_eq!((texts(&o), o.exit), (vec!["t"], Some((0, 3))));
    // From a job, at the moment the job sends it: after the foreground `sleep`.
    let o = sh(
        r#"trap "echo t; exit 7" TERM; (sleep 1; kill 1) & sleep 2; echo after $?"#,
        u64::MAX,
    );
    assert_eq!((texts(&o), o.exit), (vec!["t"], Some((2_000, 7))));
    // A trapped signal interrupts `wait`, with 128 plus its number.
    let o = sh(
        r#"trap "echo t" USR1; (sleep 1; kill -USR1 1) & sleep 3 & wait; echo after $?"#,
        u64::MAX,
    );
    assert_eq!(
        o.lines,
        vec![(1_000, "t".into()), (1_000, "after 138".into())]
    );
    // A loop that signals the shell ends as the trap says, when only its exit is asked.
    let script = "trap 'echo bye; exit 3' USR1; while true; do sleep 1; kill -USR1 $$; done";
    let env = Env::default();
    let argv = ["sh".to_string(), "-c".into(), script.into()];
    assert_eq!(
        run(&argv, &env, u64::MAX, Mode::Exit).exit,
        Some((1_000, 3))
    );
    assert_eq!(sh(script, u64::MAX).exit, Some((1_000, 3)));
}

#[test]
fn jobs_cannot_starve_the_shell_nor_run_unbounded() {
    // Jobs inside jobs share one budget: this ends (the run stops) rather than hanging.
    let o = sh(
        "while true; do ( (while true; do :; done) & ) & done",
        60_000,
    );
    assert_eq!(o.exit, None);
    let env = Env::default();
    let argv = [
        "sh".to_string(),
        "-c".into(),
        "f() { f & f & f & f & }; f".into(),
    ];
    assert_eq!(run(&argv, &env, u64::MAX, Mode::Exit).exit, Some((0, 0)));
    // A job that writes all it may leaves the shell its own output.
    let o = sh(
        r#"line=$(printf "%200s" x); (while true; do echo "$line"; sleep 0.01; done) & while true; do echo main; sleep 60; done"#,
        300_000,
    );
    assert_eq!(o.lines.iter().filter(|(_, l)| l == "main").count(), 5);
    // A full job table stops the run, as the other limits do.
    let o = sh("while true; do sleep 3600 & sleep 1; done", 2_000_000);
    assert_eq!(o.exit, None);
    assert!(!texts(&o).iter().any(|l| l.contains("fork")));
}

#[test]
fn both_streams_redirect_together_and_signals_have_their_names() {
    let o = sh(
        "sleep 1 &>/dev/null; echo after; echo hi &>/dev/null; echo x",
        u64::MAX,
    );
    assert_eq!(o.lines, vec![(1_000, "after".into()), (1_000, "x".into())]);
    let o = sh(
        "grep -q x /nonexistent &>/dev/null && echo found || echo missing",
        u64::MAX,
    );
    assert_eq!(texts(&o), vec!["missing"]);
    let o = sh(
        "sleep 1 & kill -QUIT $!; wait $!; echo $?; kill -l 143; kill -l BAD; echo $?; sleep 1 & kill -USR1 $!; wait $!; echo $?",
        u64::MAX,
    );
    assert_eq!(
        texts(&o),
        vec![
            "0",
            "TERM",
            "sh: unknown signal 'BAD'",
            "1",
            "User defined signal 1",
            "138"
        ]
    );
}

#[test]
fn signals_from_jobs_merge_stop_with_their_sender_and_end_with_the_shell() {
    // Outputs as busybox 1.35's `sh`, as process 1, prints them.
    let script = r#"trap "echo hb" USR1; (while true; do sleep 1; kill -USR1 1; done) & sleep 5; kill $!; echo done"#;
    let o = sh(script, u64::MAX);
    assert_eq!(o.lines, vec![(5_000, "hb".into()), (5_000, "done".into())]);
    assert_eq!(o.exit, Some((5_000, 0)));
    let argv = ["sh".to_string(), "-c".into(), script.into()];
    assert_eq!(
        run(&argv, &Env::default(), u64::MAX, Mode::Exit).exit,
        Some((5_000, 0))
    );
    // A signal sent after the script has ended finds no shell.
    assert_eq!(
        sh("(sleep 1; kill 1) & echo started", u64::MAX).exit,
        Some((0, 0))
    );
    // A job's own `wait` is not interrupted by a signal to process 1.
    let o = sh(
        r#"trap "echo usr1" USR1; (sleep 1; kill -USR1 1) & (sleep 3 & wait; echo job2 $?) & wait; echo end $?"#,
        u64::MAX,
    );
    assert_eq!(
        o.lines,
        vec![(1_000, "usr1".into()), (1_000, "end 138".into())]
    );
    // Many jobs and many signals stay cheap.
    assert_eq!(sh("while true; do echo x & done", 60_000).exit, None);
    assert_eq!(
        sh(
            "(while true; do kill -HUP 1; done) & echo started; sleep 1; echo done",
            u64::MAX
        )
        .exit,
        Some((1_000, 0))
    );
}
