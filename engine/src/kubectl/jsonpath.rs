//! kubectl's JSONPath templates (`-o jsonpath=…`) and `-o custom-columns=…`, in the subset
//! tutorials use: field paths with `[n]`, `[*]`, `['key']` and filters
//! (`[?(@.type=="Available")]`, `[?(@.x)]`, with `== != < <= > >=`), string literals such as
//! `{"\n"}`, and `{range …}…{end}`. Keys that are missing print nothing, as `kubectl get`
//! allows missing template keys by default; an index past the end of a list is an error.

use serde_yaml::Value;

/// A parsed template: text and actions, in order, and the text it was parsed from.
#[derive(Debug, Clone, PartialEq)]
pub struct Template(Vec<Node>, String);

#[derive(Debug, Clone, PartialEq)]
enum Node {
    Text(String),
    Path(Vec<Step>),
    Range(Vec<Step>, Vec<Node>),
}

#[derive(Debug, Clone, PartialEq)]
enum Step {
    Field(String),
    Index(i64),
    All,
    /// `[?(@.path)]` or `[?(@.path OP literal)]`: the list items it holds for.
    Filter(Vec<Step>, Option<(String, String)>),
}

/// Templates deeper than this are refused: a hostile one must not exhaust the stack.
const MAX_DEPTH: usize = 16;

impl Template {
    pub fn parse(text: &str) -> Result<Template, String> {
        let mut stack: Vec<(Vec<Step>, Vec<Node>)> = Vec::new();
        let mut nodes = Vec::new();
        let mut rest = text;
        while !rest.is_empty() {
            let Some(open) = rest.find('{') else {
                nodes.push(Node::Text(rest.to_string()));
                break;
            };
            if open > 0 {
                nodes.push(Node::Text(rest[..open].to_string()));
            }
            let (action, after) = action(&rest[open + 1..])
                .ok_or_else(|| format!("unclosed action in template {text:?}"))?;
            rest = after;
            let action = action.trim();
            if let Some(path) = action.strip_prefix("range ") {
                if stack.len() >= MAX_DEPTH {
                    return Err("too many nested ranges".into());
                }
                stack.push((steps(path)?, std::mem::take(&mut nodes)));
            } else if action == "end" {
                let (path, outer) = stack.pop().ok_or("not in range, nothing to end")?;
                let body = std::mem::replace(&mut nodes, outer);
                nodes.push(Node::Range(path, body));
            } else if action.starts_with('"') {
                nodes.push(Node::Text(literal(action)?));
            } else {
                nodes.push(Node::Path(steps(action)?));
            }
        }
        if !stack.is_empty() {
            return Err("unclosed range".into());
        }
        Ok(Template(nodes, text.to_string()))
    }

    /// The template filled from `root`; where an index is out of range, what was printed
    /// until then.
    pub fn execute(&self, root: &Value) -> String {
        let mut out = String::new();
        let _ = run(&self.0, root, &mut out);
        out
    }

    /// The template filled from `root`, or what was printed until an index out of range and
    /// kubectl's error about it (`JSONPathPrinter.PrintObj`), with its dump of the object.
    pub fn try_execute(&self, root: &Value) -> Result<String, (String, String)> {
        let mut out = String::new();
        match run(&self.0, root, &mut out) {
            Ok(()) => Ok(out),
            Err(e) => {
                let raw = &self.1;
                let quoted = crate::api::schema::go_quote(raw);
                // Go's `%#v` of the object kubectl hands its JSONPath engine.
                let object = crate::api::json::go_format(root, true);
                Err((
                    out,
                    format!(
                        "error: error executing jsonpath {quoted}: Error executing template: {e}. Printing more information for debugging the template:\n\ttemplate was:\n\t\t{raw}\n\tobject given to jsonpath engine was:\n\t\t{object}\n\n\n"
                    ),
                ))
            }
        }
    }

    /// What a single-path template selects (`FindResults` of one node), or the error of an
    /// index out of range.
    pub fn results<'a>(&self, root: &'a Value) -> Result<Vec<&'a Value>, String> {
        match self.0.as_slice() {
            [Node::Path(path)] => select(root, path),
            _ => Err("given jsonpath expression matches more than one list".into()),
        }
    }

    /// The values a single path selects, each printed as the template would print it.
    pub fn values(&self, root: &Value) -> Vec<String> {
        match self.0.as_slice() {
            [Node::Path(path)] => select(root, path)
                .unwrap_or_default()
                .into_iter()
                .map(printed)
                .collect(),
            _ => vec![self.execute(root)],
        }
    }
}

/// The action after `{`, up to the `}` that closes it (one inside quotes does not), and
/// the text after it.
fn action(s: &str) -> Option<(&str, &str)> {
    let mut quoted = false;
    let mut escaped = false;
    for (i, c) in s.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            '}' if !quoted => return Some((&s[..i], &s[i + 1..])),
            _ => {}
        }
    }
    None
}

/// A quoted literal with the common escapes.
fn literal(s: &str) -> Result<String, String> {
    let inner = s
        .strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .ok_or_else(|| format!("unterminated string: {s}"))?;
    Ok(crate::api::yaml::unescape_double(inner))
}

/// `.a.b[0]['c'][*]`, optionally after `$` or `@`.
fn steps(path: &str) -> Result<Vec<Step>, String> {
    let unsupported = || {
        format!("JSONPath {path:?} uses syntax this simulator does not support (slices, `..`, nested filters); use field names, [n], [*], [?(@.field==\"value\")] and range")
    };
    let body = path.trim().trim_start_matches('$').trim_start_matches('@');
    let mut out = Vec::new();
    let mut chars = body.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '.' => {
                if chars.peek().is_some_and(|(_, c)| *c == '.') {
                    return Err(unsupported());
                }
                let mut name = String::new();
                while let Some(&(_, c)) = chars.peek() {
                    if c == '.' || c == '[' {
                        break;
                    }
                    chars.next();
                    if c == '\\' {
                        if let Some((_, escaped)) = chars.next() {
                            name.push(escaped);
                        }
                    } else {
                        name.push(c);
                    }
                }
                match name.as_str() {
                    "" if out.is_empty() && body.len() == 1 => {}
                    "" => return Err(unsupported()),
                    "*" => out.push(Step::All),
                    _ => out.push(Step::Field(name)),
                }
            }
            '[' if body[i + 1..].trim_start().starts_with("?(") => {
                let close = body[i..].find(")]").ok_or_else(unsupported)? + i + 1;
                while chars.peek().is_some_and(|(j, _)| *j <= close) {
                    chars.next();
                }
                let inside = body[i + 1..close].trim_start();
                let condition = inside[2..inside.len() - 1].trim();
                out.push(filter(condition).ok_or_else(unsupported)?);
            }
            '[' => {
                let close = body[i..].find(']').ok_or_else(unsupported)? + i;
                let inside = body[i + 1..close].trim();
                while chars.peek().is_some_and(|(j, _)| *j <= close) {
                    chars.next();
                }
                let quoted = inside
                    .strip_prefix('\'')
                    .and_then(|s| s.strip_suffix('\''))
                    .or_else(|| inside.strip_prefix('"').and_then(|s| s.strip_suffix('"')));
                match (inside, quoted) {
                    (_, Some(key)) => out.push(Step::Field(key.to_string())),
                    ("*", None) => out.push(Step::All),
                    (n, None) => out.push(Step::Index(n.parse().map_err(|_| unsupported())?)),
                }
            }
            _ => return Err(unsupported()),
        }
    }
    Ok(out)
}

/// A filter's condition: `@.path`, or `@.path OP literal` with a quoted string, a number or
/// a boolean.
fn filter(condition: &str) -> Option<Step> {
    const OPERATORS: [&str; 6] = ["==", "!=", "<=", ">=", "<", ">"];
    let found = OPERATORS
        .iter()
        .filter_map(|op| condition.find(op).map(|at| (at, *op)))
        .min_by_key(|(at, op)| (*at, std::cmp::Reverse(op.len())));
    let (left, compare) = match found {
        Some((at, op)) => {
            let right = condition[at + op.len()..].trim();
            let literal = right
                .strip_prefix('"')
                .and_then(|r| r.strip_suffix('"'))
                .or_else(|| right.strip_prefix('\'').and_then(|r| r.strip_suffix('\'')))
                .map(str::to_string)
                .or_else(|| {
                    (right.parse::<f64>().is_ok() || right == "true" || right == "false")
                        .then(|| right.to_string())
                })?;
            (condition[..at].trim(), Some((op.to_string(), literal)))
        }
        None => (condition, None),
    };
    let left = left.strip_prefix('@')?;
    let path = steps(left).ok()?;
    if path.iter().any(|s| matches!(s, Step::Filter(..))) {
        return None;
    }
    Some(Step::Filter(path, compare))
}

/// Whether a filter holds for `item`: its path selects something (and that compares as
/// asked, numbers as numbers).
fn holds(item: &Value, path: &[Step], compare: &Option<(String, String)>) -> bool {
    let Ok(found) = select(item, path) else {
        return false;
    };
    let Some((op, literal)) = compare else {
        return !found.is_empty();
    };
    found.iter().any(|v| {
        let text = printed(v);
        let order = match (text.parse::<f64>(), literal.parse::<f64>()) {
            (Ok(a), Ok(b)) => a.partial_cmp(&b),
            _ => Some(text.as_str().cmp(literal.as_str())),
        };
        match (op.as_str(), order) {
            ("==", Some(o)) => o.is_eq(),
            ("!=", Some(o)) => o.is_ne(),
            ("<", Some(o)) => o.is_lt(),
            ("<=", Some(o)) => o.is_le(),
            (">", Some(o)) => o.is_gt(),
            (">=", Some(o)) => o.is_ge(),
            _ => false,
        }
    })
}

/// What a path selects; an index past either end of a list is client-go's error.
fn select<'a>(root: &'a Value, path: &[Step]) -> Result<Vec<&'a Value>, String> {
    let mut current = vec![root];
    for step in path {
        let mut next = Vec::new();
        for v in current {
            match (step, v) {
                (Step::Field(name), Value::Mapping(m)) => next.extend(m.get(name.as_str())),
                (Step::All, Value::Sequence(items)) => next.extend(items.iter()),
                (Step::All, Value::Mapping(m)) => next.extend(m.values()),
                (Step::Filter(path, compare), Value::Sequence(items)) => {
                    next.extend(items.iter().filter(|item| holds(item, path, compare)))
                }
                (Step::Index(i), Value::Sequence(items)) => {
                    // `evalArray`: a negative index counts from the end.
                    let len = i64::try_from(items.len()).unwrap_or(i64::MAX);
                    let at = if *i < 0 { i.saturating_add(len) } else { *i };
                    match usize::try_from(at).ok().and_then(|at| items.get(at)) {
                        Some(v) => next.push(v),
                        None => {
                            return Err(format!(
                                "array index out of bounds: index {at}, length {len}"
                            ))
                        }
                    }
                }
                _ => {}
            }
        }
        current = next;
    }
    Ok(current)
}

fn run(nodes: &[Node], root: &Value, out: &mut String) -> Result<(), String> {
    for node in nodes {
        match node {
            Node::Text(t) => out.push_str(t),
            Node::Path(path) => {
                let values: Vec<String> = select(root, path)?.into_iter().map(printed).collect();
                out.push_str(&values.join(" "));
            }
            Node::Range(path, body) => {
                let mut items = select(root, path)?;
                // `{range .items}` walks the list itself, as `{range .items[*]}` does.
                if let [Value::Sequence(list)] = items.as_slice() {
                    items = list.iter().collect();
                }
                for item in items {
                    run(body, item, out)?;
                }
            }
        }
    }
    Ok(())
}

/// A value as JSONPath prints it: text as is, numbers and booleans plainly, objects and
/// lists as compact JSON.
fn printed(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        other => crate::api::json::to_json_compact(other),
    }
}

/// `-o custom-columns=NAME:.path,…`: the columns' headers and templates.
pub fn custom_columns(spec: &str) -> Result<Vec<(String, Template)>, String> {
    if spec.is_empty() {
        return Err("custom-columns format specified but no custom columns given".into());
    }
    spec.split(',')
        .map(|column| {
            let Some((header, path)) = column
                .split_once(':')
                .filter(|(h, p)| !h.is_empty() && !p.is_empty())
            else {
                return Err(format!(
                    "unexpected custom-columns spec: {column}, expected <header>:<json-path-expr>"
                ));
            };
            Ok((header.to_string(), relaxed(path)?))
        })
        .collect()
}

/// `RelaxedJSONPathExpression`: `a.b`, `.a.b`, `{a.b}` and `{.a.b}` all mean `{.a.b}`.
pub fn relaxed(path: &str) -> Result<Template, String> {
    let inner = path
        .strip_prefix('{')
        .and_then(|p| p.strip_suffix('}'))
        .unwrap_or(path);
    let field = inner.strip_prefix('.').unwrap_or(inner);
    if field.is_empty() || field.contains(['{', '}']) {
        return Err("unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'".into());
    }
    Template::parse(&format!("{{.{field}}}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(yaml: &str) -> Value {
        crate::api::yaml::from_str(yaml).unwrap()
    }

    const LIST: &str = "kind: List\nitems:\n- metadata:\n    name: web-1\n    labels:\n      app.kubernetes.io/name: web\n  spec:\n    containers:\n    - name: a\n      image: nginx:1.27\n    - name: b\n      image: busybox:1.36\n- metadata:\n    name: web-2\n  spec:\n    replicas: 3\n    containers:\n    - name: a\n      image: nginx:1.28\n";

    fn fill(template: &str) -> String {
        Template::parse(template).unwrap().execute(&value(LIST))
    }

    #[test]
    fn paths_wildcards_indices_and_ranges_fill_the_template() {
        assert_eq!(fill("{.items[*].metadata.name}"), "web-1 web-2");
        assert_eq!(
            fill("{.items[0].spec.containers[*].image}"),
            "nginx:1.27 busybox:1.36"
        );
        assert_eq!(fill("{.items[-1].spec.replicas}"), "3");
        assert_eq!(
            fill("{range .items[*]}{.metadata.name}{\"\\t\"}{.spec.containers[0].image}{\"\\n\"}{end}"),
            "web-1\tnginx:1.27\nweb-2\tnginx:1.28\n"
        );
        assert_eq!(fill("{range .items}{.metadata.name};{end}"), "web-1;web-2;");
        assert_eq!(
            fill("{.items[0].metadata.labels['app.kubernetes.io/name']}"),
            "web"
        );
        assert_eq!(
            fill("{.items[0].metadata.labels.app\\.kubernetes\\.io/name}"),
            "web"
        );
        // Missing keys print nothing (allowMissingKeys); objects print as JSON.
        assert_eq!(fill("x{.items[1].spec.paused}y"), "xy");
        assert_eq!(fill("{.items[1].metadata}"), "{\"name\":\"web-2\"}");
    }

    #[test]
    fn filters_pick_the_list_items_a_condition_holds_for() {
        let status = "status:\n  replicas: 3\n  conditions:\n  - {type: Available, status: 'True'}\n  - {type: Progressing, status: 'True', reason: NewReplicaSetAvailable}\n  containers:\n  - {name: a, restarts: 0}\n  - {name: b, restarts: 4}\n";
        let v = value(status);
        let run = |t: &str| Template::parse(t).unwrap().execute(&v);
        // The `wait --for=jsonpath` and course idiom.
        assert_eq!(
            run("{.status.conditions[?(@.type==\"Available\")].status}"),
            "True"
        );
        assert_eq!(
            run("{.status.conditions[?(@.type=='Progressing')].reason}"),
            "NewReplicaSetAvailable"
        );
        assert_eq!(run("{.status.conditions[?(@.reason)].type}"), "Progressing");
        assert_eq!(
            run("{.status.conditions[?(@.type != \"Available\")].type}"),
            "Progressing"
        );
        assert_eq!(run("{.status.containers[?(@.restarts > 2)].name}"), "b");
        assert_eq!(run("{.status.containers[?(@.restarts<=0)].name}"), "a");
        assert_eq!(run("{.status.conditions[?(@.type==\"Nope\")].status}"), "");
        assert_eq!(
            run("{range .status.conditions[?(@.status=='True')]}{.type}{\"\\n\"}{end}"),
            "Available\nProgressing\n"
        );
    }

    #[test]
    fn unsupported_or_broken_templates_are_errors_not_panics() {
        for bad in [
            "{.items[?(@.x[?(@.y)])]}",
            "{.items[?(@.x == )]}",
            "{..name}",
            "{.items[1:2]}",
            "{range .items[*]}",
            "{end}",
            "{.a",
            "{\"x}",
            "{.items[}",
        ] {
            assert!(Template::parse(bad).is_err(), "{bad}");
        }
        let deep = "{range .a}".repeat(40) + &"{end}".repeat(40);
        assert!(Template::parse(&deep).is_err());
    }

    #[test]
    fn custom_columns_take_header_and_path_pairs() {
        let cols = custom_columns("NAME:.metadata.name,IMAGES:.spec.containers[*].image").unwrap();
        let item = value(LIST)
            .get("items")
            .and_then(|i| i.get(0))
            .cloned()
            .unwrap();
        let got: Vec<(String, Vec<String>)> = cols
            .iter()
            .map(|(h, t)| (h.clone(), t.values(&item)))
            .collect();
        assert_eq!(
            got,
            [
                ("NAME".into(), vec!["web-1".to_string()]),
                (
                    "IMAGES".into(),
                    vec!["nginx:1.27".to_string(), "busybox:1.36".to_string()]
                )
            ]
        );
        assert_eq!(
            custom_columns("NAME").unwrap_err(),
            "unexpected custom-columns spec: NAME, expected <header>:<json-path-expr>"
        );
        // RelaxedJSONPathExpression: the leading dot and the braces are optional.
        for spec in [
            "N:metadata.name",
            "N:.metadata.name",
            "N:{metadata.name}",
            "N:{.metadata.name}",
        ] {
            let cols = custom_columns(spec).unwrap();
            assert_eq!(cols[0].1.values(&item), ["web-1"], "{spec}");
        }
        assert!(custom_columns("N:{a}}").is_err());
    }
}
