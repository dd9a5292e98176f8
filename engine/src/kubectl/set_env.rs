//! `kubectl set env`: sets and removes container environment variables in Deployments' pod
//! templates (a change that rolls the Deployment out), or with `--list` prints the variables
//! of Deployments, ReplicaSets and pods (set_env.go, env_parse.go, and helper.go's
//! `updateEnv` and `selectContainers`).

use super::args::Args;
use super::mutate::{named_targets, not_found, set_on_deployments};
use super::resources::Kind;
use crate::api::core::Container;
use crate::command::Output;
use crate::sim::Sim;
use serde_yaml::{Mapping, Value};

/// kubectl's flags that read ConfigMaps, Secrets or files.
const ABSENT: &[&str] = &["from", "prefix", "keys", "resolve", "local"];

pub(super) fn set_env(sim: &mut Sim, a: &Args, record: Option<&str>, note: Option<&str>) -> Output {
    if let Some(f) = ABSENT.iter().find(|f| a.has(f)) {
        return Output::err(format!(
            "error: \"kubectl set env --{f}\" is not available in this simulator: ConfigMaps, Secrets and files are not simulated\n"
        ));
    }
    if a.has("all") && a.has("selector") {
        return Output::err("error: cannot set --all and --selector at the same time\n");
    }
    if a.has("all") || a.has("selector") {
        return Output::err("error: \"kubectl set env\" with --all or -l is not available in this simulator; name the objects (TYPE NAME)\n");
    }
    let Some((resources, env_args)) = split_env(&a.positional) else {
        return Output::err(format!(
            "error: all resources must be specified before environment changes: {}\n",
            a.positional.join(" ")
        ));
    };
    if resources.is_empty() {
        return Output::err("error: one or more resources must be specified as <resource> <name> or <resource>/<name>\n");
    }
    let list = a.bool("list");
    if list && a.has("output") {
        return Output::err("error: --list and --output may not be specified together\n");
    }
    let specs: Vec<String> = a
        .all("env")
        .into_iter()
        .map(String::from)
        .chain(env_args)
        .collect();
    let (env, remove) = match parse_env(&specs) {
        Ok(parsed) => parsed,
        Err(e) => return Output::err(format!("error: {e}\n")),
    };
    let selector = a.get("containers").unwrap_or("*").to_string();
    // `--overwrite` is true unless given as false.
    let overwrite = !a.has("overwrite") || a.bool("overwrite");
    if list {
        return list_env(sim, a, resources, &selector, &env, &remove);
    }
    let mut warnings = String::new();
    let mut out = set_on_deployments(sim, a, resources, (record, note), "env", &mut |d| {
        let name = d.metadata.name.clone();
        let containers = &mut d.spec.template.spec.containers;
        let selected: Vec<&mut Container> = containers
            .iter_mut()
            .filter(|c| select_string(&c.name, &selector))
            .collect();
        if selected.is_empty() {
            warnings.push_str(&no_match(Kind::Deployment, &name, &selector));
        }
        for c in selected {
            let mut vars = env_of(c);
            if !overwrite {
                if let Some((n, v)) = env.iter().find_map(|(n, v)| {
                    let current = vars.iter().find(|e| var_name(e) == n)?;
                    let value = current.get("value").and_then(Value::as_str).unwrap_or("");
                    (value != v).then(|| (n.clone(), value.to_string()))
                }) {
                    // kubectl names the object by its resource here (`Info.ObjectName`).
                    return Err(format!(
                        "error: deployments/{name} '{n}' already has a value ({v}), and --overwrite is false\n"
                    ));
                }
            }
            vars = update_env(vars, &env, &remove);
            set_env_of(c, vars);
        }
        Ok(())
    });
    out.stderr.insert_str(0, &warnings);
    out
}

/// `--list`: each selected container's variables after the changes, which are not written.
fn list_env(
    sim: &Sim,
    a: &Args,
    resources: Vec<String>,
    selector: &str,
    env: &[(String, String)],
    remove: &[String],
) -> Output {
    let targets = match named_targets(&Args {
        positional: resources,
        ..Default::default()
    }) {
        Ok(t) => t,
        Err(e) => return Output::err(e),
    };
    let ns = a.namespace();
    let mut out = Output::default();
    for (kind, name) in targets {
        if !matches!(kind, Kind::Deployment | Kind::ReplicaSet | Kind::Pod) {
            out.stderr.push_str(&format!(
                "error: {}/{name} is not simulated by `set env`; list a Deployment's, ReplicaSet's or pod's env instead\n",
                kind.qualified()
            ));
            out.exit_code = 1;
            continue;
        }
        let Some(containers) = super::resources::containers(sim, kind, &ns, &name) else {
            out.stderr.push_str(&not_found(kind, &name));
            out.exit_code = 1;
            continue;
        };
        let kind_name = kind.name();
        let selected: Vec<&Container> = containers
            .iter()
            .filter(|c| select_string(&c.name, selector))
            .collect();
        if selected.is_empty() {
            out.stderr.push_str(&no_match(kind, &name, selector));
        }
        for c in selected {
            out.stdout
                .push_str(&format!("# {kind_name} {name}, container {}\n", c.name));
            for var in update_env(env_of(c), env, remove) {
                let n = var_name(&var);
                match var.get("valueFrom") {
                    Some(from) => out
                        .stdout
                        .push_str(&format!("# {n} from {}\n", source(from))),
                    None => {
                        let value = var.get("value").and_then(Value::as_str).unwrap_or("");
                        out.stdout.push_str(&format!("{n}={value}\n"));
                    }
                }
            }
        }
    }
    out
}

/// set_env.go's warning for an object none of whose containers the `-c` pattern picks.
fn no_match(kind: Kind, name: &str, selector: &str) -> String {
    format!(
        "warning: {}/{name} does not have any containers matching {selector:?}\n",
        kind.name()
    )
}

/// `SplitEnvironmentFromResources`: resources first, then `KEY=VALUE` and `KEY-` arguments;
/// `None` when a resource follows them.
fn split_env(args: &[String]) -> Option<(Vec<String>, Vec<String>)> {
    // `^(.+)=(.*)$`: an `=` after at least one character.
    let is_env = |s: &str| s.char_indices().any(|(i, c)| c == '=' && i > 0) || s.ends_with('-');
    let split = args.iter().position(|s| is_env(s)).unwrap_or(args.len());
    let (resources, env) = args.split_at(split);
    env.iter()
        .all(|s| is_env(s))
        .then(|| (resources.to_vec(), env.to_vec()))
}

/// The variables to set, in order, and the names to remove.
type EnvChanges = (Vec<(String, String)>, Vec<String>);

/// `ParseEnv`.
fn parse_env(specs: &[String]) -> Result<EnvChanges, String> {
    let mut env: Vec<(String, String)> = Vec::new();
    let mut remove = Vec::new();
    for spec in specs {
        if spec == "-" {
            return Err("\"kubectl set env -e -\" is not available in this simulator: there is no standard input".into());
        }
        if let Some((name, value)) = spec.split_once('=') {
            if let Some(e) = env_var_name_error(name) {
                return Err(format!("{name:?} is not a valid key name: {e}"));
            }
            env.push((name.to_string(), value.to_string()));
        } else if let Some(name) = spec.strip_suffix('-') {
            remove.push(name.to_string());
        } else {
            return Err(format!("unknown environment variable: {spec}"));
        }
    }
    if remove.iter().any(|r| env.iter().any(|(n, _)| n == r)) {
        return Err(
            "can not both modify and remove the same environment variable in the same command"
                .into(),
        );
    }
    Ok((env, remove))
}

/// apimachinery's `IsEnvVarName`, which kubectl applies to the names it is given.
fn env_var_name_error(name: &str) -> Option<String> {
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_');
    let valid = name
        .chars()
        .next()
        .is_some_and(|c| allowed(c) && !c.is_ascii_digit())
        && name.chars().all(allowed);
    let mut errors = Vec::new();
    if !valid {
        errors.push("a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')".to_string());
    }
    match name {
        "." => errors.push("must not be '.'".into()),
        ".." => errors.push("must not be '..'".into()),
        n if n.starts_with("..") => errors.push("must not start with '..'".into()),
        _ => {}
    }
    (!errors.is_empty()).then(|| errors.join(";"))
}

/// helper.go's `selectString`, how `set env` and `set resources` pick containers: `*` alone
/// matches every name; otherwise the parts between `*`s are found in order, the last one
/// ending the name.
pub(super) fn select_string(s: &str, spec: &str) -> bool {
    if spec == "*" {
        return true;
    }
    if !spec.contains('*') {
        return s == spec;
    }
    let parts: Vec<&str> = spec.split('*').collect();
    let mut pos = 0usize;
    for (i, part) in parts.iter().enumerate() {
        if part.is_empty() {
            continue;
        }
        // As upstream, the index found in the rest of the name is then used from the start.
        let Some(next) = s.get(pos..).and_then(|rest| rest.find(part)) else {
            return false;
        };
        if next < pos || (i == parts.len() - 1 && s.len() != part.len() + next) {
            return false;
        }
        pos = next;
    }
    true
}

fn env_of(c: &Container) -> Vec<Value> {
    c.extra
        .get("env")
        .and_then(Value::as_sequence)
        .cloned()
        .unwrap_or_default()
}

fn set_env_of(c: &mut Container, vars: Vec<Value>) {
    if vars.is_empty() {
        c.extra.remove("env");
    } else {
        c.extra.insert("env".into(), Value::Sequence(vars));
    }
}

fn var_name(v: &Value) -> &str {
    v.get("name").and_then(Value::as_str).unwrap_or("")
}

/// `updateEnv`: existing variables keep their place (replaced when set again, dropped when
/// removed); new ones follow in the order given.
fn update_env(existing: Vec<Value>, env: &[(String, String)], remove: &[String]) -> Vec<Value> {
    let var = |name: &str, value: &str| {
        let mut m = Mapping::new();
        m.insert("name".into(), name.into());
        // An empty value is left out, as Go's `omitempty` leaves it out.
        if !value.is_empty() {
            m.insert("value".into(), value.into());
        }
        Value::Mapping(m)
    };
    let mut covered: Vec<&str> = remove.iter().map(String::as_str).collect();
    let mut out = Vec::new();
    for e in &existing {
        let name = var_name(e);
        if covered.contains(&name) {
            continue;
        }
        match env.iter().find(|(n, _)| n == name) {
            Some((n, v)) => {
                covered.push(n);
                out.push(var(n, v));
            }
            None => out.push(e.clone()),
        }
    }
    for (n, v) in env {
        if !covered.contains(&n.as_str()) {
            covered.push(n);
            out.push(var(n, v));
        }
    }
    out
}

/// `GetEnvVarRefString`: where a `valueFrom` variable comes from.
fn source(from: &Value) -> String {
    let field = |k: &str, f: &str| {
        from.get(k)
            .and_then(|r| r.get(f))
            .and_then(Value::as_str)
            .unwrap_or("")
    };
    if from.get("configMapKeyRef").is_some() {
        format!(
            "configmap {}, key {}",
            field("configMapKeyRef", "name"),
            field("configMapKeyRef", "key")
        )
    } else if from.get("secretKeyRef").is_some() {
        format!(
            "secret {}, key {}",
            field("secretKeyRef", "name"),
            field("secretKeyRef", "key")
        )
    } else if from.get("fieldRef").is_some() {
        format!("field path {}", field("fieldRef", "fieldPath"))
    } else if from.get("resourceFieldRef").is_some() {
        let container = field("resourceFieldRef", "containerName");
        let prefix = if container.is_empty() {
            String::new()
        } else {
            format!("{container}/")
        };
        format!(
            "resource field {prefix}{}",
            field("resourceFieldRef", "resource")
        )
    } else {
        "invalid source".into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn resources_come_before_the_changes() {
        assert_eq!(
            split_env(&strings(&["deployment/web", "A=1", "B-", "C=x=y"])),
            Some((
                strings(&["deployment/web"]),
                strings(&["A=1", "B-", "C=x=y"])
            ))
        );
        assert_eq!(split_env(&strings(&["A=1", "deployment/web"])), None);
        // `=x` has no name before its `=`: it is a resource.
        assert_eq!(
            split_env(&strings(&["=x"])),
            Some((strings(&["=x"]), vec![]))
        );
    }

    #[test]
    fn parse_env_checks_names_as_kubectl_does() {
        assert_eq!(
            parse_env(&strings(&["A=1", "B=", "C-"])),
            Ok((
                vec![("A".into(), "1".into()), ("B".into(), String::new())],
                strings(&["C"])
            ))
        );
        assert_eq!(
            parse_env(&strings(&["A=1", "A-"])),
            Err(
                "can not both modify and remove the same environment variable in the same command"
                    .into()
            )
        );
        assert_eq!(
            parse_env(&strings(&["A"])),
            Err("unknown environment variable: A".into())
        );
        let bad = parse_env(&strings(&["1A=x"])).expect_err("a digit first");
        assert!(
            bad.starts_with(
                "\"1A\" is not a valid key name: a valid environment variable name must consist of"
            ),
            "{bad}"
        );
        assert_eq!(
            parse_env(&strings(&["..x=1"])),
            Err("\"..x\" is not a valid key name: must not start with '..'".into())
        );
        assert!(parse_env(&strings(&["my.env-name=1", "_X=2"])).is_ok());
    }

    #[test]
    fn select_string_is_helper_go_s() {
        assert!(select_string("web", "*"));
        assert!(select_string("web", "web"));
        assert!(!select_string("web", "we"));
        assert!(select_string("web-1", "web*"));
        assert!(select_string("my-web", "*web"));
        assert!(!select_string("web-1", "*web"));
        assert!(select_string("a-x-b", "a*b"));
        // Not greedy: the first `b` after the `a` must end the name.
        assert!(!select_string("a-web-b", "a*b"));
    }

    #[test]
    fn update_env_keeps_places_and_appends_new_ones() {
        let existing: Vec<Value> = serde_yaml::from_str("[{name: A, value: '1'}, {name: B, value: '2'}, {name: C, valueFrom: {fieldRef: {fieldPath: metadata.name}}}]").unwrap_or_default();
        let updated = update_env(
            existing,
            &[("B".into(), "3".into()), ("D".into(), String::new())],
            &strings(&["A"]),
        );
        let expected: Vec<Value> = serde_yaml::from_str("[{name: B, value: '3'}, {name: C, valueFrom: {fieldRef: {fieldPath: metadata.name}}}, {name: D}]").unwrap_or_default();
        assert_eq!(updated, expected);
        assert_eq!(
            source(&expected[1]["valueFrom"]),
            "field path metadata.name"
        );
    }
}
