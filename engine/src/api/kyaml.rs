//! KYAML, the YAML dialect of `kubectl -o kyaml` (on by default since v1.35): flow style
//! (`{}` and `[]`, a comma after every entry), every string double-quoted, keys bare when
//! YAML cannot read them as anything but a string, lists of objects "cuddled" (`[{` … `}]`),
//! multi-line strings folded, and a `---` line before each document (sigs.k8s.io/yaml's
//! `kyaml` encoder, fed the object's JSON: keys sorted, numbers as encoding/json writes them).

use super::json::{entries, number};
use serde_yaml::Value;

/// Nesting beyond this is written as `null`, as the JSON printer does.
const MAX_DEPTH: usize = 200;

/// One document: the separator line, the value, a final newline.
pub fn to_kyaml(v: &Value) -> String {
    document(v, true)
}

/// The same of a typed Go object kubectl built itself: keys in the order the mapping holds
/// them (its struct's field order), which its JSON keeps.
pub fn to_kyaml_in_order(v: &Value) -> String {
    document(v, false)
}

fn document(v: &Value, sorted: bool) -> String {
    let mut out = String::from("---\n");
    node(&mut out, v, 0, 0, sorted);
    out.push('\n');
    out
}

fn indent(out: &mut String, level: usize) {
    for _ in 0..level {
        out.push_str("  ");
    }
}

fn node(out: &mut String, v: &Value, level: usize, depth: usize, sorted: bool) {
    if depth > MAX_DEPTH {
        out.push_str("null");
        return;
    }
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&number(n)),
        Value::String(s) => string(out, s, level + 1, false),
        Value::Tagged(t) => node(out, &t.value, level, depth + 1, sorted),
        Value::Sequence(items) if items.is_empty() => out.push_str("[]"),
        Value::Mapping(m) if m.is_empty() => out.push_str("{}"),
        Value::Sequence(items) => {
            let cuddled = items
                .iter()
                .all(|i| matches!(i, Value::Sequence(_) | Value::Mapping(_)));
            if cuddled {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    node(out, item, level, depth + 1, sorted);
                }
                out.push(']');
                return;
            }
            out.push_str("[\n");
            for item in items {
                indent(out, level + 1);
                node(out, item, level + 1, depth + 1, sorted);
                out.push_str(",\n");
            }
            indent(out, level);
            out.push(']');
        }
        Value::Mapping(m) => {
            out.push_str("{\n");
            for (k, v) in entries(m, sorted) {
                indent(out, level + 1);
                if needs_quotes(&k) {
                    string(out, &k, level + 1, true);
                } else {
                    out.push_str(&k);
                }
                out.push_str(": ");
                node(out, v, level + 1, depth + 1, sorted);
                out.push_str(",\n");
            }
            indent(out, level);
            out.push('}');
        }
    }
}

/// Format characters (Unicode category Cf: zero-width spaces and joiners, direction marks,
/// the byte order mark, …), private-use characters and the noncharacters U+FFFE/U+FFFF,
/// which Go's `unicode.IsPrint` rejects, so KYAML escapes them rather than print something
/// invisible. Unassigned code points, which Go rejects too, are not known here and print.
fn invisible(c: char) -> bool {
    matches!(c as u32,
        0xAD | 0x600..=0x605 | 0x61C | 0x6DD | 0x70F | 0x890..=0x891 | 0x8E2 | 0x180E
        | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x2064 | 0x2066..=0x206F | 0xFEFF
        | 0xFFF9..=0xFFFB | 0xFFFE..=0xFFFF | 0x110BD | 0x110CD | 0x13430..=0x1343F | 0x1BCA0..=0x1BCA3
        | 0x1D173..=0x1D17A | 0xE0001 | 0xE0020..=0xE007F | 0xE000..=0xF8FF
        | 0xF0000..=0x10FFFF)
}

/// A double-quoted string. Outside `compact` one with line breaks is folded: each line on
/// its own, indented, ended by `\n\` (YAML joins the lines back).
fn string(out: &mut String, s: &str, level: usize, compact: bool) {
    let folded = !compact && s.contains('\n');
    out.push('"');
    if folded {
        out.push_str("\\\n");
    }
    for c in s.chars() {
        if out.ends_with('\n') {
            indent(out, level);
            // Leading whitespace of a line is kept by escaping its first character.
            out.push(if c.is_whitespace() && c != '\n' {
                '\\'
            } else {
                ' '
            });
        }
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '\n' if folded => out.push_str("\\n\\\n"),
            '\n' => out.push_str("\\n"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            '\0' => out.push_str("\\0"),
            '\u{1b}' => out.push_str("\\e"),
            '\u{85}' => out.push_str("\\N"),
            '\u{a0}' => out.push_str("\\_"),
            '\u{2028}' => out.push_str("\\L"),
            '\u{2029}' => out.push_str("\\P"),
            c if c == ' ' || (!c.is_control() && !c.is_whitespace() && !invisible(c)) => {
                out.push(c)
            }
            // Go's strconv.Quote style: `\xXX` below space and for DEL, else `\uXXXX`.
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c if (c as u32) < 0x10000 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push_str(&format!("\\U{:08x}", c as u32)),
        }
    }
    if folded {
        if !out.ends_with('\n') {
            out.push_str("\\\n");
        }
        indent(out, level);
    }
    out.push('"');
}

/// Whether a key must be quoted: empty, read by YAML as another type, or holding anything
/// but letters, digits and `_` (and `-`, `.`, `/` inside).
fn needs_quotes(s: &str) -> bool {
    if s.is_empty() || yaml_reads_otherwise(s) {
        return true;
    }
    let chars: Vec<char> = s.chars().collect();
    chars.iter().enumerate().any(|(i, &c)| {
        let inside = i > 0 && i + 1 < chars.len();
        !(c.is_alphanumeric() || c == '_' || (inside && matches!(c, '-' | '.' | '/')))
    })
}

/// A string YAML would read as null, a boolean, a number (any base, underscores dropped,
/// Go's float syntax with `inf` and `nan`), a sexagesimal number or a date.
fn yaml_reads_otherwise(s: &str) -> bool {
    let lower = s.to_ascii_lowercase();
    let words = [
        "null", "~", "true", "false", "y", "yes", "on", "n", "no", "off", "t", "f", "1", "0",
        ".inf", "-.inf", "+.inf", ".nan",
    ];
    if words.contains(&lower.as_str()) {
        return true;
    }
    let plain: String = s.chars().filter(|c| *c != '_').collect();
    int_with_base(&plain) || go_float(&plain) || sexagesimal(s) || date_like(s)
}

/// Go's `strconv.ParseInt(s, 0, 64)` syntax: a sign, then `0x`, `0o`, `0b`, a leading `0`
/// (octal) or decimal digits.
fn int_with_base(s: &str) -> bool {
    let s = s.strip_prefix(['+', '-']).unwrap_or(s);
    let lower = s.to_ascii_lowercase();
    let (digits, radix) = if let Some(d) = lower.strip_prefix("0x") {
        (d, 16)
    } else if let Some(d) = lower.strip_prefix("0o") {
        (d, 8)
    } else if let Some(d) = lower.strip_prefix("0b") {
        (d, 2)
    } else if lower.len() > 1 && lower.starts_with('0') {
        (&lower[1..], 8)
    } else {
        (lower.as_str(), 10)
    };
    !digits.is_empty() && i64::from_str_radix(digits, radix).is_ok()
}

/// Go's `strconv.ParseFloat` syntax (decimal and exponent forms, `inf`, `infinity`, `nan`).
fn go_float(s: &str) -> bool {
    let body = s.strip_prefix(['+', '-']).unwrap_or(s).to_ascii_lowercase();
    if matches!(body.as_str(), "inf" | "infinity" | "nan") {
        return true;
    }
    let numeric = body
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | '+' | '-'));
    numeric && body.chars().any(|c| c.is_ascii_digit()) && body.parse::<f64>().is_ok()
}

/// `^[-+]?[1-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?$`.
fn sexagesimal(s: &str) -> bool {
    let s = s.strip_prefix(['+', '-']).unwrap_or(s);
    let (whole, fraction) = s.split_once('.').unwrap_or((s, ""));
    if !fraction.chars().all(|c| c.is_ascii_digit() || c == '_') {
        return false;
    }
    let mut parts = whole.split(':');
    let first = parts.next().unwrap_or("");
    let first_ok = first.starts_with(|c: char| ('1'..='9').contains(&c))
        && first.chars().all(|c| c.is_ascii_digit() || c == '_');
    let rest: Vec<&str> = parts.collect();
    first_ok
        && !rest.is_empty()
        && rest.iter().all(|p| {
            let b = p.as_bytes();
            match b {
                [d] => d.is_ascii_digit(),
                [a, d] => (b'0'..=b'5').contains(a) && d.is_ascii_digit(),
                _ => false,
            }
        })
}

/// Starts with a four-digit year and `-`, as YAML timestamps do (`2025-01-02`).
fn date_like(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() > 5
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && s[5..]
            .split(['-', 'T', 't', ' ', ':'])
            .next()
            .is_some_and(|m| !m.is_empty() && m.len() <= 2 && m.chars().all(|c| c.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kyaml(yaml: &str) -> String {
        to_kyaml(&serde_yaml::from_str::<Value>(yaml).unwrap_or(Value::Null))
    }

    #[test]
    fn objects_lists_and_scalars_as_the_kyaml_encoder_writes_them() {
        let text = kyaml(
            "kind: Pod\nmetadata:\n  name: web\n  labels: {app: web, app.kubernetes.io/name: web}\nspec:\n  containers:\n  - {name: web, image: nginx, args: [a, b]}\n  - {name: side, image: busybox}\n  nodeSelector: {}\n  tolerations: []\nstatus:\n  ready: true\n  count: 3\n  ratio: 0.5\n  empty: null\n",
        );
        assert_eq!(
            text,
            "---\n{\n  kind: \"Pod\",\n  metadata: {\n    labels: {\n      app: \"web\",\n      app.kubernetes.io/name: \"web\",\n    },\n    name: \"web\",\n  },\n  spec: {\n    containers: [{\n      args: [\n        \"a\",\n        \"b\",\n      ],\n      image: \"nginx\",\n      name: \"web\",\n    }, {\n      image: \"busybox\",\n      name: \"side\",\n    }],\n    nodeSelector: {},\n    tolerations: [],\n  },\n  status: {\n    count: 3,\n    empty: null,\n    ratio: 0.5,\n    ready: true,\n  },\n}\n"
        );
    }

    #[test]
    fn keys_are_quoted_only_when_yaml_would_read_them_otherwise() {
        for key in ["app", "a_b", "a-b", "x.y/z", "Ünïcode"] {
            assert!(!needs_quotes(key), "{key}");
        }
        for key in [
            "",
            "no",
            "ON",
            "null",
            "~",
            "80",
            "0x1F",
            "1_000",
            "1e3",
            "NaN",
            "inf",
            "11:30",
            "2025-01-02",
            "-a",
            "a-",
            "/a",
            "has space",
            "a:b",
            "t",
            "1",
        ] {
            assert!(needs_quotes(key), "{key}");
        }
        assert_eq!(kyaml("\"80\": x\n"), "---\n{\n  \"80\": \"x\",\n}\n");
    }

    #[test]
    fn strings_are_escaped_and_multi_line_ones_folded() {
        // Control characters as Go escapes them: `\x01`, and DEL `\x7f`.
        assert_eq!(
            to_kyaml(&Value::String("a\u{1}b\u{7f}".into())),
            "---\n\"a\\x01b\\x7f\"\n"
        );
        // Invisible format characters are escaped; visible non-ASCII text is kept.
        assert_eq!(
            to_kyaml(&Value::String("we\u{200b}b\u{feff} é".into())),
            "---\n\"we\\u200bb\\ufeff é\"\n"
        );
        assert_eq!(
            kyaml("a: \"q\\\"b\\\\\\t\"\n"),
            "---\n{\n  a: \"q\\\"b\\\\\\t\",\n}\n"
        );
        assert_eq!(
            kyaml("a: \"one\\n  two\\n\"\n"),
            "---\n{\n  a: \"\\\n     one\\n\\\n    \\  two\\n\\\n    \",\n}\n"
        );
    }
}
