//! Command-line handling as kubectl's cobra/pflag does it: shell-like tokenising, long and
//! short flags (`--replicas=3`, `--replicas 3`, `-n ns`, `-nns`, `-oyaml`), and pflag's error texts.

use crate::command::Output;
use crate::time::Time;
use std::collections::BTreeMap;
use std::num::IntErrorKind;

/// Upper bound on a command line, so a pasted novel gets an error instead of work.
pub const MAX_LINE: usize = 16 * 1024;

#[derive(Debug, Clone, Copy)]
pub struct Flag {
    pub long: &'static str,
    pub short: Option<char>,
    /// Takes a value (`--replicas=3`); otherwise a boolean that may be written `--watch=false`.
    pub value: bool,
    /// Written alone, a value flag stands for this value (pflag's `NoOptDefVal`) instead of
    /// taking the next word.
    pub bare: Option<&'static str>,
}

pub const fn flag(long: &'static str, short: Option<char>, value: bool) -> Flag {
    Flag {
        long,
        short,
        value,
        bare: None,
    }
}

/// `--dry-run`: `=client|server|none`, or alone (the deprecated form of `client`).
pub const DRY_RUN: Flag = Flag {
    long: "dry-run",
    short: None,
    value: true,
    bare: Some("unchanged"),
};

/// Flags every command accepts.
pub const GLOBAL: &[Flag] = &[
    flag("namespace", Some('n'), true),
    flag("help", Some('h'), false),
    flag("context", None, true),
    flag("kubeconfig", None, true),
    flag("v", Some('v'), true),
    flag("request-timeout", None, true),
];

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Args {
    pub positional: Vec<String>,
    pub flags: BTreeMap<String, Vec<String>>,
    /// How many positional arguments came before a `--` (cobra's `ArgsLenAtDash`).
    pub dash: Option<usize>,
}

impl Args {
    pub fn get(&self, long: &str) -> Option<&str> {
        self.flags
            .get(long)
            .and_then(|v| v.last())
            .map(String::as_str)
    }
    pub fn all(&self, long: &str) -> Vec<&str> {
        self.flags
            .get(long)
            .map(|v| v.iter().map(String::as_str).collect())
            .unwrap_or_default()
    }
    pub fn has(&self, long: &str) -> bool {
        self.flags.contains_key(long)
    }
    /// A boolean flag: present without a value, or `=true`.
    pub fn bool(&self, long: &str) -> bool {
        match self.get(long) {
            None => false,
            Some(v) => !matches!(v, "false" | "0" | "f" | "F" | "FALSE" | "False"),
        }
    }
    pub fn namespace(&self) -> String {
        // An empty `-n ""` falls back to the context's namespace, as kubectl's override does.
        self.get("namespace")
            .filter(|n| !n.is_empty())
            .unwrap_or("default")
            .to_string()
    }
    /// An integer flag as pflag reads it (`strconv.ParseInt` with `bits`), or the reason it
    /// refuses the value: `invalid argument "x" for "--replicas" flag: strconv.ParseInt: …`.
    pub fn int(&self, long: &str, bits: u32) -> Option<Result<i64, String>> {
        let v = self.get(long)?;
        let reason = match v.parse::<i64>() {
            Ok(n) if bits >= 64 || (n >> (bits - 1)) == 0 || (n >> (bits - 1)) == -1 => {
                return Some(Ok(n))
            }
            Ok(_) => "value out of range",
            Err(e)
                if matches!(
                    e.kind(),
                    IntErrorKind::PosOverflow | IntErrorKind::NegOverflow
                ) =>
            {
                "value out of range"
            }
            Err(_) => "invalid syntax",
        };
        Some(Err(format!(
            "invalid argument {v:?} for \"--{long}\" flag: strconv.ParseInt: parsing {v:?}: {reason}"
        )))
    }
    /// Puts kubectl's warning for the deprecated forms of `--dry-run` (alone, or a boolean)
    /// before what the command wrote to stderr: the klog line `cmdutil.GetDryRunStrategy`
    /// logs (kubectl v1.35's helpers.go lines), stamped with the simulated clock.
    pub fn warn_deprecated_dry_run(&self, out: &mut Output, now: Time) {
        let (line, message) = match self.get("dry-run") {
            Some("unchanged") => (
                719,
                "--dry-run is deprecated and can be replaced with --dry-run=client.".to_string(),
            ),
            Some(b @ ("true" | "false")) => {
                let (line, replacement) = if b == "true" {
                    (733, "client")
                } else {
                    (736, "none")
                };
                (line, format!("--dry-run={b} is deprecated (boolean value) and can be replaced with --dry-run={replacement}."))
            }
            _ => return,
        };
        out.stderr.insert_str(
            0,
            &format!("{} helpers.go:{line}] {message}\n", now.klog_header()),
        );
    }
    /// `--dry-run`: `None` when the command really runs, else the note kubectl appends to what
    /// it prints (`PrintFlagsWithDryRunStrategy`).
    pub fn dry_run(&self) -> Result<Option<&'static str>, String> {
        match self.get("dry-run") {
            None | Some("none" | "false") => Ok(None),
            Some("client" | "unchanged" | "true") => Ok(Some(" (dry run)")),
            Some("server") => Ok(Some(" (server dry run)")),
            Some(v) => Err(format!(
                "error: Invalid dry-run value ({v}). Must be \"none\", \"server\", or \"client\".\n"
            )),
        }
    }
}

/// A word as a shell would need it written so that `tokenize` gives it back unchanged:
/// plain when it is safe, else in single quotes.
pub fn quote(word: &str) -> String {
    let safe = |c: char| c.is_ascii_alphanumeric() || "@%+=:,./_-".contains(c);
    if !word.is_empty() && word.chars().all(safe) {
        return word.to_string();
    }
    format!("'{}'", word.replace('\'', r"'\''"))
}

/// Splits a line like a POSIX shell would (quotes and backslashes), without expansion; shell
/// operators outside quotes are refused with a message.
pub fn tokenize(line: &str) -> Result<Vec<String>, String> {
    if line.len() > MAX_LINE {
        return Err(format!(
            "error: command line is {} characters; the limit is {MAX_LINE}",
            line.len()
        ));
    }
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(x) => cur.push(x),
                        None => return Err("error: unterminated quote (')".into()),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(x @ ('"' | '\\' | '$' | '`')) => cur.push(x),
                            Some(x) => {
                                cur.push('\\');
                                cur.push(x)
                            }
                            None => return Err("error: unterminated quote (\")".into()),
                        },
                        Some(x) => cur.push(x),
                        None => return Err("error: unterminated quote (\")".into()),
                    }
                }
            }
            '\\' => {
                in_word = true;
                if let Some(x) = chars.next() {
                    cur.push(x);
                }
            }
            c if c.is_whitespace() => {
                if in_word {
                    out.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            // A shell would treat these as pipes, redirection or command lists.
            '|' | ';' | '&' | '<' | '>' => {
                return Err(format!("error: {:?}: this console runs one kubectl command at a time, without pipes, redirection or command lists", c.to_string()));
            }
            c => {
                in_word = true;
                cur.push(c);
            }
        }
    }
    if in_word {
        out.push(cur);
    }
    Ok(out)
}

/// Parses flags and positional arguments (pflag interspersed mode; `--` ends flags).
pub fn parse(tokens: &[String], specs: &[Flag]) -> Result<Args, String> {
    let find_long = |name: &str| specs.iter().chain(GLOBAL).find(|f| f.long == name).copied();
    let find_short = |c: char| {
        specs
            .iter()
            .chain(GLOBAL)
            .find(|f| f.short == Some(c))
            .copied()
    };
    let mut args = Args::default();
    let mut i = 0;
    while i < tokens.len() {
        let t = &tokens[i];
        i += 1;
        if t == "--" {
            args.dash = Some(args.positional.len());
            args.positional.extend(tokens[i..].iter().cloned());
            break;
        }
        if let Some(body) = t.strip_prefix("--") {
            let (name, inline) = match body.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (body, None),
            };
            let f = find_long(name).ok_or_else(|| format!("unknown flag: --{name}"))?;
            let value = match (f.value, inline, f.bare) {
                (_, Some(v), _) => v,
                (true, None, Some(bare)) => bare.to_string(),
                (true, None, None) => {
                    let v = tokens
                        .get(i)
                        .ok_or_else(|| format!("flag needs an argument: --{name}"))?;
                    i += 1;
                    v.clone()
                }
                (false, None, _) => "true".into(),
            };
            args.flags
                .entry(f.long.to_string())
                .or_default()
                .push(value);
        } else if t.len() > 1
            && t.starts_with('-')
            && !t[1..].starts_with(|c: char| c.is_ascii_digit())
        {
            let body: Vec<char> = t[1..].chars().collect();
            let mut j = 0;
            while j < body.len() {
                let c = body[j];
                let f =
                    find_short(c).ok_or_else(|| format!("unknown shorthand flag: '{c}' in {t}"))?;
                j += 1;
                if f.value {
                    let rest: String = body[j..].iter().collect();
                    let value = if let Some(v) = rest.strip_prefix('=') {
                        v.to_string()
                    } else if !rest.is_empty() {
                        rest
                    } else {
                        let v = tokens
                            .get(i)
                            .ok_or_else(|| format!("flag needs an argument: '{c}' in -{c}"))?;
                        i += 1;
                        v.clone()
                    };
                    args.flags
                        .entry(f.long.to_string())
                        .or_default()
                        .push(value);
                    break;
                }
                let value = if body.get(j) == Some(&'=') {
                    let v: String = body[j + 1..].iter().collect();
                    j = body.len();
                    v
                } else {
                    "true".into()
                };
                args.flags
                    .entry(f.long.to_string())
                    .or_default()
                    .push(value);
            }
        } else {
            args.positional.push(t.clone());
        }
    }
    // The resource builder's `LabelSelectorParam` trims the selector and ignores a blank
    // one: `delete pods -l ' '` then names no pods instead of selecting them all.
    if args.get("selector").is_some_and(|s| s.trim().is_empty()) {
        args.flags.remove("selector");
    }
    Ok(args)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_words_tokenize_back_to_themselves() {
        for word in [
            "nginx:1.28",
            "",
            "a b",
            "it's",
            "nginx:1.29; rm -rf /",
            "$(x) `y` \\ \"z\"",
            "é",
        ] {
            let pair = format!("web={word}");
            let line = format!("set image deploy/web {}", quote(&pair));
            let want = ["set", "image", "deploy/web", pair.as_str()];
            assert_eq!(tokenize(&line).unwrap(), want, "{line}");
        }
        assert_eq!(quote("nginx:1.28"), "nginx:1.28");
        assert_eq!(quote("a b"), "'a b'");
    }

    fn toks(s: &str) -> Vec<String> {
        tokenize(s).unwrap()
    }

    #[test]
    fn tokenizes_like_a_shell() {
        assert_eq!(
            toks(r#"annotate deploy/web kubernetes.io/change-cause="image 1.26" x='a b'"#),
            vec![
                "annotate",
                "deploy/web",
                "kubernetes.io/change-cause=image 1.26",
                "x=a b"
            ]
        );
        assert_eq!(toks("  get   pods "), vec!["get", "pods"]);
        assert!(tokenize("get 'pods").is_err());
    }

    #[test]
    fn parses_long_short_and_combined_flags() {
        let specs = [
            flag("replicas", None, true),
            flag("output", Some('o'), true),
            flag("all-namespaces", Some('A'), false),
        ];
        let a = parse(&toks("deploy web --replicas=3 -n shop -oyaml -A"), &specs).unwrap();
        assert_eq!(a.positional, vec!["deploy", "web"]);
        assert_eq!(a.get("replicas"), Some("3"));
        assert_eq!(a.namespace(), "shop");
        assert_eq!(a.get("output"), Some("yaml"));
        assert!(a.bool("all-namespaces"));
        let a = parse(&toks("--replicas 5 -o=wide"), &specs).unwrap();
        assert_eq!(
            (a.get("replicas"), a.get("output")),
            (Some("5"), Some("wide"))
        );
    }

    #[test]
    fn reports_pflag_errors() {
        let specs = [flag("replicas", None, true)];
        assert_eq!(
            parse(&toks("--foo"), &specs).unwrap_err(),
            "unknown flag: --foo"
        );
        assert_eq!(
            parse(&toks("-x"), &specs).unwrap_err(),
            "unknown shorthand flag: 'x' in -x"
        );
        assert_eq!(
            parse(&toks("--replicas"), &specs).unwrap_err(),
            "flag needs an argument: --replicas"
        );
    }
}
