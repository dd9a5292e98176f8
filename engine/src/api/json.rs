//! JSON text as Go's encoding/json writes it for kubectl: `-o json` (four-space indent,
//! sorted keys), the compact form used for hashing and inside validation messages, and the
//! string quoting and float formatting both share.

use serde_yaml::{Number, Value};
use std::collections::BTreeMap;

/// Nesting beyond this is written as `null` (parsed documents stop at 128 levels anyway).
const MAX_DEPTH: usize = 200;

/// `kubectl get -o json`: `json.MarshalIndent(obj, "", "    ")` plus a final newline.
pub fn to_json_pretty(v: &Value) -> String {
    let mut out = String::new();
    write_value(&mut out, v, Some(0), 0, true);
    out.push('\n');
    out
}

/// The same of a typed Go object: keys in the order the mapping holds them (its struct's
/// field order), as kubectl prints an object it built itself (`create … -o json`).
pub fn to_json_pretty_in_order(v: &Value) -> String {
    let mut out = String::new();
    write_value(&mut out, v, Some(0), 0, false);
    out.push('\n');
    out
}

/// `json.Marshal`: no whitespace, keys sorted.
pub fn to_json_compact(v: &Value) -> String {
    let mut out = String::new();
    write_value(&mut out, v, None, 0, true);
    out
}

/// A JSON string literal with encoding/json's escaping: `\"`, `\\`, `\n`, `\r`, `\t`, `\b`,
/// `\f`, other control characters as `\u00XX`, and the HTML-safe `\u003c` `\u003e`
/// `\u0026` plus `\u2028` `\u2029`.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    push_quoted(&mut out, s);
    out
}

fn push_quoted(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", c as u32))
            }
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// A mapping's entries with their keys as JSON text: sorted as encoding/json writes a map
/// (a later duplicate wins, as assigning into a Go map does), or in the mapping's order as
/// it writes a struct.
pub(crate) fn entries(m: &serde_yaml::Mapping, sorted: bool) -> Vec<(String, &Value)> {
    if sorted {
        let by_key: BTreeMap<String, &Value> = m.iter().map(|(k, v)| (key_string(k), v)).collect();
        by_key.into_iter().collect()
    } else {
        m.iter().map(|(k, v)| (key_string(k), v)).collect()
    }
}

/// Go's `fmt` of a decoded JSON value (`map[string]interface {}` and what it holds), map
/// keys sorted as fmt prints them: `%v` gives `map[image:nginx name:web]`, `[a b]` and
/// `<nil>`; `%#v` (`syntax`) gives `map[string]interface {}{"image":"nginx"}`,
/// `[]interface {}{…}` and `interface {}(nil)`.
pub(crate) fn go_format(v: &Value, syntax: bool) -> String {
    let mut out = String::new();
    go_format_into(v, syntax, &mut out);
    out
}

fn go_format_into(v: &Value, syntax: bool, out: &mut String) {
    let separator = if syntax { ", " } else { " " };
    match v {
        Value::Mapping(m) => {
            out.push_str(if syntax {
                "map[string]interface {}{"
            } else {
                "map["
            });
            for (i, (k, v)) in entries(m, true).into_iter().enumerate() {
                if i > 0 {
                    out.push_str(separator);
                }
                if syntax {
                    push_quoted(out, &k);
                } else {
                    out.push_str(&k);
                }
                out.push(':');
                go_format_into(v, syntax, out);
            }
            out.push(if syntax { '}' } else { ']' });
        }
        Value::Sequence(items) => {
            out.push_str(if syntax { "[]interface {}{" } else { "[" });
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(separator);
                }
                go_format_into(v, syntax, out);
            }
            out.push(if syntax { '}' } else { ']' });
        }
        Value::String(s) if syntax => push_quoted(out, s),
        Value::String(s) => out.push_str(s),
        Value::Null => out.push_str(if syntax { "interface {}(nil)" } else { "<nil>" }),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        // `%v` of a float64 is `%g` at its shortest (1e+06).
        Value::Number(n) if n.is_f64() && !syntax => {
            out.push_str(&go_format_float(n.as_f64().unwrap_or(0.0), b'g'))
        }
        Value::Number(n) => out.push_str(&n.to_string()),
        Value::Tagged(t) => go_format_into(&t.value, syntax, out),
    }
}

/// A mapping key as the JSON object key it becomes (YAML allows non-string keys; the
/// YAML-to-JSON conversion writes them as text).
pub fn key_string(k: &Value) -> String {
    match k {
        Value::String(s) => s.clone(),
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => number(n),
        Value::Tagged(t) => key_string(&t.value),
        other => to_json_compact(other),
    }
}

fn newline(out: &mut String, indent: Option<usize>) {
    if let Some(level) = indent {
        out.push('\n');
        for _ in 0..level {
            out.push_str("    ");
        }
    }
}

fn write_value(out: &mut String, v: &Value, indent: Option<usize>, depth: usize, sorted: bool) {
    if depth > MAX_DEPTH {
        out.push_str("null");
        return;
    }
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&number(n)),
        Value::String(s) => push_quoted(out, s),
        Value::Tagged(t) => write_value(out, &t.value, indent, depth + 1, sorted),
        Value::Sequence(items) if items.is_empty() => out.push_str("[]"),
        Value::Mapping(m) if m.is_empty() => out.push_str("{}"),
        Value::Sequence(items) => {
            let inner = indent.map(|l| l + 1);
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, inner);
                write_value(out, item, inner, depth + 1, sorted);
            }
            newline(out, indent);
            out.push(']');
        }
        Value::Mapping(m) => {
            let entries = entries(m, sorted);
            let inner = indent.map(|l| l + 1);
            out.push('{');
            for (i, (key, value)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, inner);
                push_quoted(out, key);
                out.push_str(if indent.is_some() { ": " } else { ":" });
                write_value(out, value, inner, depth + 1, sorted);
            }
            newline(out, indent);
            out.push('}');
        }
    }
}

/// Integers as written; floats as encoding/json formats a float64 (`null` for NaN and
/// infinities, which JSON cannot hold).
pub(crate) fn number(n: &Number) -> String {
    if let Some(i) = n.as_i64() {
        return i.to_string();
    }
    if let Some(u) = n.as_u64() {
        return u.to_string();
    }
    match n.as_f64() {
        Some(f) if f.is_finite() => go_format_float(f, b'j'),
        _ => "null".into(),
    }
}

/// Go's shortest float text. `mode` b'g' is `strconv.FormatFloat(f, 'g', -1, 64)` (what
/// go-yaml writes); b'j' is encoding/json's rule (`%f` unless the magnitude is below 1e-6 or
/// at least 1e21, then `%e` with a one-digit negative exponent where possible).
pub fn go_format_float(f: f64, mode: u8) -> String {
    if !f.is_finite() {
        return "null".into();
    }
    let (digits, dp) = shortest_digits(f);
    let exp = dp - 1;
    let scientific = match mode {
        b'g' => !(-4..6).contains(&exp),
        _ => f != 0.0 && (f.abs() < 1e-6 || f.abs() >= 1e21),
    };
    let mut out = String::new();
    if f.is_sign_negative() {
        out.push('-');
    }
    if scientific {
        out.push_str(&format_e(&digits, exp, mode == b'j'));
    } else {
        out.push_str(&format_f(&digits, dp));
    }
    out
}

/// The shortest round-tripping decimal digits of |f| and the position of the decimal point
/// (`1234.5` → ("12345", 4)).
fn shortest_digits(f: f64) -> (String, i32) {
    let text = format!("{:e}", f.abs());
    let (mantissa, exp) = text.split_once('e').unwrap_or((text.as_str(), "0"));
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let exp: i32 = exp.parse().unwrap_or(0);
    (digits, exp + 1)
}

fn format_f(digits: &str, dp: i32) -> String {
    let len = digits.len() as i32;
    if dp <= 0 {
        format!("0.{}{}", "0".repeat((-dp) as usize), digits)
    } else if dp >= len {
        format!("{}{}", digits, "0".repeat((dp - len) as usize))
    } else {
        let (int, frac) = digits.split_at(dp as usize);
        format!("{int}.{frac}")
    }
}

fn format_e(digits: &str, exp: i32, json: bool) -> String {
    let (first, rest) = digits.split_at(digits.len().min(1));
    let mut out = first.to_string();
    if !rest.is_empty() {
        out.push('.');
        out.push_str(rest);
    }
    let sign = if exp < 0 { '-' } else { '+' };
    let width = if json && exp < 0 { 1 } else { 2 };
    out.push_str(&format!("e{sign}{:0width$}", exp.unsigned_abs()));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yaml(text: &str) -> Value {
        serde_yaml::from_str(text).unwrap_or(Value::Null)
    }

    #[test]
    fn pretty_output_uses_four_spaces_sorted_keys_and_inline_empties() {
        let v = yaml("kind: Deployment\napiVersion: apps/v1\nspec:\n  replicas: 3\n  strategy: {}\n  args: []\n  ports: [80, 443]\n");
        let expected = "{\n    \"apiVersion\": \"apps/v1\",\n    \"kind\": \"Deployment\",\n    \"spec\": {\n        \"args\": [],\n        \"ports\": [\n            80,\n            443\n        ],\n        \"replicas\": 3,\n        \"strategy\": {}\n    }\n}\n";
        assert_eq!(to_json_pretty(&v), expected);
    }

    #[test]
    fn compact_output_has_no_whitespace() {
        assert_eq!(
            to_json_compact(&yaml("matchLabels: {app: web}")),
            r#"{"matchLabels":{"app":"web"}}"#
        );
        assert_eq!(to_json_compact(&yaml("{}")), "{}");
        assert_eq!(
            to_json_compact(&yaml("[1, true, null, x]")),
            r#"[1,true,null,"x"]"#
        );
    }

    #[test]
    fn keys_sort_by_bytes_like_go_maps() {
        // kubectl -o json of annotations K, a10, a9, aB, a_b (encoding/json sorts map keys).
        let v = yaml("a_b: 1\naB: 1\na9: 1\na10: 1\nK: 1\n");
        assert_eq!(
            to_json_compact(&v),
            r#"{"K":1,"a10":1,"a9":1,"aB":1,"a_b":1}"#
        );
    }

    #[test]
    fn strings_escape_like_encoding_json() {
        assert_eq!(quote("say \"hi\" \\ ok"), r#""say \"hi\" \\ ok""#);
        assert_eq!(quote("a\nb\tc\rd"), r#""a\nb\tc\rd""#);
        assert_eq!(quote("a\u{8}b\u{c}c"), r#""a\bb\fc""#);
        assert_eq!(quote("a\u{1b}b\u{0}"), r#""a\u001bb\u0000""#);
        assert_eq!(
            quote("<a href=\"x\">&</a>"),
            r#""\u003ca href=\"x\"\u003e\u0026\u003c/a\u003e""#
        );
        assert_eq!(quote("a\u{2028}b\u{2029}"), r#""a\u2028b\u2029""#);
        assert_eq!(quote("hi 😀 é"), "\"hi 😀 é\"");
    }

    #[test]
    fn numbers_follow_go_float_formatting() {
        let v =
            yaml("[3, -7, 1.5, 1000000.5, 1e21, 0.000001, 0.0000001, 100.0, 18446744073709551615]");
        assert_eq!(
            to_json_compact(&v),
            "[3,-7,1.5,1000000.5,1e+21,0.000001,1e-7,100,18446744073709551615]"
        );
    }

    #[test]
    fn go_g_format_switches_to_exponent_at_a_million() {
        assert_eq!(go_format_float(1000000.5, b'g'), "1.0000005e+06");
        assert_eq!(go_format_float(123456.5, b'g'), "123456.5");
        assert_eq!(go_format_float(0.000001, b'g'), "1e-06");
        assert_eq!(go_format_float(0.0001, b'g'), "0.0001");
        assert_eq!(go_format_float(1e21, b'g'), "1e+21");
        assert_eq!(go_format_float(-2.5, b'g'), "-2.5");
    }

    #[test]
    fn non_string_keys_become_text() {
        assert_eq!(
            to_json_compact(&yaml("1: a\ntrue: b\n")),
            r#"{"1":"a","true":"b"}"#
        );
    }
}
