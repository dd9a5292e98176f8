//! kubectl: parses a command line and runs it against the simulated cluster, printing what
//! kubectl prints (v1.35 client against a v1.35 server; k8s-semantics.md §9).

pub mod apply;
pub mod args;
pub mod complete;
pub mod describe;
pub mod diff;
pub mod edit;
pub mod events;
pub mod exec;
pub mod explain;
pub mod generate;
pub mod get;
pub mod gotemplate;
pub mod help;
pub mod jsonpath;
pub mod logs;
pub mod mutate;
pub mod patch;
pub mod printers;
pub mod resources;
pub mod rollout;
pub mod set_env;
pub mod wait;
pub mod watch;

use crate::command::Output;
use crate::sim::Sim;

/// kubectl's top-level commands in its own (unsorted) order, used for suggestions.
pub const COMMANDS: &[&str] = &[
    "create",
    "expose",
    "run",
    "set",
    "explain",
    "get",
    "edit",
    "delete",
    "rollout",
    "scale",
    "autoscale",
    "certificate",
    "cluster-info",
    "top",
    "cordon",
    "uncordon",
    "drain",
    "taint",
    "describe",
    "logs",
    "attach",
    "exec",
    "port-forward",
    "proxy",
    "cp",
    "auth",
    "debug",
    "events",
    "diff",
    "apply",
    "patch",
    "replace",
    "wait",
    "kustomize",
    "label",
    "annotate",
    "completion",
    "api-resources",
    "api-versions",
    "config",
    "plugin",
    "version",
    "options",
];

/// The commands the simulator implements.
pub const SUPPORTED: &[&str] = &[
    "annotate",
    "api-resources",
    "apply",
    "cordon",
    "create",
    "delete",
    "describe",
    "diff",
    "drain",
    "edit",
    "events",
    "exec",
    "explain",
    "expose",
    "get",
    "help",
    "label",
    "logs",
    "patch",
    "rollout",
    "run",
    "scale",
    "set",
    "uncordon",
    "version",
    "wait",
];

/// Runs one kubectl command line (the leading `kubectl` is optional).
pub fn run(sim: &mut Sim, line: &str) -> Output {
    start(sim, line).0
}

/// Runs a command and, for `get -w`, `rollout status` and `wait`, also returns the watch that
/// keeps printing as the cluster changes.
pub fn start(sim: &mut Sim, line: &str) -> (Output, Option<watch::Watch>) {
    let tokens = match args::tokenize(line) {
        Ok(t) => t,
        Err(e) => return (Output::err(format!("{e}\n")), None),
    };
    let (global, words) = split_global(&tokens);
    let Some(verb) = words.first() else {
        // A last global flag that wants a value and has none (`kubectl -n`).
        if let Some(flag) = global
            .last()
            .filter(|f| global_flag(f) == Some(true) && !f.contains('=') && !short_with_value(f))
        {
            let message = match flag.strip_prefix("--") {
                Some(long) => format!("flag needs an argument: --{long}"),
                None => {
                    let c = &flag[1..];
                    format!("flag needs an argument: '{c}' in -{c}")
                }
            };
            return (
                Output::err(format!(
                    "error: {message}\nSee 'kubectl --help' for usage.\n"
                )),
                None,
            );
        }
        return (help::root(), None);
    };
    // The moved flags go before the command's own, so a later `-n` still wins as in kubectl;
    // after the subcommand word of `rollout`, `set` and `create`, which is read first.
    let mut rest = words[1..].to_vec();
    let subcommand = matches!(verb.as_str(), "rollout" | "set" | "create")
        && rest.first().is_some_and(|w| !w.starts_with('-'));
    let at = usize::from(subcommand);
    rest.splice(at..at, global);
    let rest = rest.as_slice();
    let out = match verb.as_str() {
        "get" => return get::run(sim, rest),
        "rollout" => return rollout::run(sim, rest),
        "wait" => return wait::run(sim, rest),
        "logs" => return logs::run(sim, rest),
        "describe" => describe::run(sim, rest),
        "diff" => diff::run(sim, rest),
        "exec" => exec::run(sim, rest),
        // The app's console opens an edit dialog before a line gets here (see `edit`).
        "edit" if rest.iter().any(|w| w == "--help" || w == "-h") => {
            Output::ok(help::command_help("edit").unwrap_or_default())
        }
        "edit" => Output::err("error: \"kubectl edit\" needs an editor: type it in the app's console, which opens the object in an edit dialog, or change the object with kubectl patch\n"),
        "events" => events::run(sim, rest),
        "apply" => apply::run(sim, rest),
        "patch" => patch::run(sim, rest),
        "explain" => explain::run(rest),
        "help" | "--help" | "-h" => help::run(rest),
        "version" => version(rest),
        "api-resources" => help::api_resources(rest),
        "scale" | "set" | "create" | "delete" | "annotate" | "label" | "cordon" | "uncordon"
        | "drain" | "run" | "expose" => mutate::run(sim, verb, rest),
        v if COMMANDS.contains(&v) => Output::err(format!(
            "error: \"kubectl {v}\" is not available in this simulator; supported commands: {}\n",
            SUPPORTED.join(", ")
        )),
        v => unknown_command(v),
    };
    (out, None)
}

/// The command word of a line (`edit` in `kubectl -n shop edit deploy/web`), found as
/// [`start`] finds it: after `kubectl` and the global flags.
pub fn verb(line: &str) -> Option<String> {
    let tokens = args::tokenize(line).ok()?;
    split_global(&tokens).1.first().cloned()
}

/// The global flags (`-n`, `--context`, `-v`, …) that come before the command, and the
/// words from the command on; a leading `kubectl` is dropped.
pub(super) fn split_global(tokens: &[String]) -> (Vec<String>, &[String]) {
    let mut words = tokens;
    if words.first().is_some_and(|w| w == "kubectl" || w == "k") {
        words = &words[1..];
    }
    let mut global = Vec::new();
    while let Some(first) = words.first() {
        match global_flag(first) {
            Some(true) if !first.contains('=') && words.len() > 1 && !short_with_value(first) => {
                global.extend_from_slice(&words[..2]);
                words = &words[2..];
            }
            Some(_) => {
                global.push(first.clone());
                words = &words[1..];
            }
            None => break,
        }
    }
    (global, words)
}

/// Whether `word` is a global flag other than help, and if so whether it takes a value.
fn global_flag(word: &str) -> Option<bool> {
    let spec = if let Some(long) = word.strip_prefix("--") {
        let name = long.split('=').next().unwrap_or(long);
        args::GLOBAL.iter().find(|f| f.long == name)
    } else {
        let c = word.strip_prefix('-')?.chars().next()?;
        args::GLOBAL.iter().find(|f| f.short == Some(c))
    }?;
    (spec.long != "help").then_some(spec.value)
}

/// `-n=x`-less short forms with the value attached: `-nshop`, `-v5`.
fn short_with_value(word: &str) -> bool {
    !word.starts_with("--") && word.len() > 2
}

fn version(rest: &[String]) -> Output {
    const FLAGS: &[args::Flag] = &[
        args::flag("client", None, false),
        args::flag("output", Some('o'), true),
    ];
    let a = match args::parse(rest, FLAGS) {
        Ok(a) => a,
        Err(e) => return flag_error("version", &e),
    };
    if a.bool("help") {
        return Output::ok(help::command_help("version").unwrap_or_default());
    }
    match a.get("output").unwrap_or("") {
        "" => {}
        "yaml" | "json" => {
            return Output::err(
                "error: \"kubectl version -o\" is not available in this simulator: the simulated cluster has no build information (git commit, build date)\n",
            )
        }
        _ => return Output::err("error: --output must be 'yaml' or 'json'\n"),
    }
    let v = crate::cluster::KUBERNETES_VERSION;
    if a.bool("client") {
        return Output::ok(format!("Client Version: {v}\nKustomize Version: v5.7.1\n"));
    }
    Output::ok(format!(
        "Client Version: {v}\nKustomize Version: v5.7.1\nServer Version: {v}\n"
    ))
}

/// cobra's unknown-command error with its "Did you mean this?" suggestions (Levenshtein
/// distance ≤ 2, or a prefix), in kubectl's command order.
fn unknown_command(word: &str) -> Output {
    let suggestions: Vec<&str> = COMMANDS
        .iter()
        .copied()
        .filter(|c| levenshtein(word, c) <= 2 || c.starts_with(word))
        .collect();
    let mut msg = format!("error: unknown command {word:?} for \"kubectl\"\n");
    if !suggestions.is_empty() {
        msg.push_str("\nDid you mean this?\n");
        for s in suggestions {
            msg.push_str(&format!("\t{s}\n"));
        }
    }
    Output::err(msg)
}

pub fn levenshtein(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur.push((prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

/// `error: unknown flag: --foo` plus the usage hint pflag errors carry.
pub fn flag_error(verb: &str, err: &str) -> Output {
    Output::err(format!(
        "error: {err}\nSee 'kubectl {verb} --help' for usage.\n"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn global_flags_may_come_before_the_command() {
        let mut sim = Sim::new(crate::cluster::ClusterConfig::default(), 1);
        run(&mut sim, "kubectl create deployment web --image=nginx:1.27");
        let plain = run(&mut sim, "kubectl get deploy -o name");
        assert_eq!(plain.stdout, "deployment.apps/web\n");
        for line in [
            "kubectl -v=5 get deploy -o name",
            "kubectl -v 5 get deploy -o name",
            "kubectl --context=kind --request-timeout=5s get deploy -o name",
            "kubectl --kubeconfig /tmp/config -n default get deploy -o name",
            "kubectl -ndefault get deploy -o name",
        ] {
            assert_eq!(run(&mut sim, line), plain, "{line}");
        }
    }

    #[test]
    fn unknown_commands_get_cobra_suggestions() {
        let out = unknown_command("gett");
        assert_eq!(
            out.stderr,
            "error: unknown command \"gett\" for \"kubectl\"\n\nDid you mean this?\n\tset\n\tget\n"
        );
        assert_eq!(
            unknown_command("zzzzzzzz").stderr,
            "error: unknown command \"zzzzzzzz\" for \"kubectl\"\n"
        );
    }

    #[test]
    fn the_namespace_flag_may_come_before_the_command() {
        let mut sim = Sim::new(crate::cluster::ClusterConfig::default(), 1);
        let want = run(&mut sim, "kubectl get pods -n kube-system");
        assert!(want.success(), "{}", want.text());
        for line in [
            "kubectl -n kube-system get pods",
            "kubectl --namespace kube-system get pods",
            "kubectl --namespace=kube-system get pods",
            "kubectl -nkube-system get pods",
            "kubectl -n default get pods -n kube-system",
        ] {
            assert_eq!(run(&mut sim, line), want, "{line}");
        }
        let out = run(
            &mut sim,
            "kubectl -n kube-system rollout status deployment/web",
        );
        assert_eq!(
            out.stderr,
            "Error from server (NotFound): deployments.apps \"web\" not found\n"
        );
    }

    #[test]
    fn shell_operators_get_a_message_instead_of_a_strange_error() {
        let mut sim = Sim::new(crate::cluster::ClusterConfig::default(), 1);
        for (line, op) in [
            ("kubectl get pods | grep web", "|"),
            ("kubectl get pods|grep web", "|"),
            ("kubectl get pods; kubectl get rs", ";"),
            ("kubectl get pods >out.txt", ">"),
            ("kubectl get pods 2>&1", ">"),
            ("kubectl get pods && echo ok", "&"),
        ] {
            assert_eq!(
                run(&mut sim, line).stderr,
                format!("error: {op:?}: this console runs one kubectl command at a time, without pipes, redirection or command lists\n"),
                "{line}"
            );
        }
        // Quoted, the same characters are only an argument.
        let out = run(&mut sim, "kubectl annotate node node-1 'note=a|b; c>d'");
        assert!(out.success(), "{}", out.text());
    }
}
