//! The shell's text builtins that need no shell state: `echo`'s options and escapes,
//! `printf`, `sleep`'s durations, `test` and `date`.

use crate::time::{Time, EPOCH_UNIX_SECONDS, SECOND};
use std::collections::BTreeMap;

/// The widest field `printf` pads to.
const MAX_WIDTH: usize = 4096;
/// The most `printf` writes in one call.
const MAX_OUTPUT: usize = 4 << 20;

/// `echo`'s options (busybox: `-n`, `-e`, `-E`), then the words.
pub fn echo_flags(args: &[String]) -> (bool, bool, &[String]) {
    let mut newline = true;
    let mut escapes = false;
    let mut i = 0;
    while let Some(a) = args.get(i) {
        if a.len() > 1 && a.starts_with('-') && a[1..].chars().all(|c| "neE".contains(c)) {
            for c in a[1..].chars() {
                match c {
                    'n' => newline = false,
                    'e' => escapes = true,
                    _ => escapes = false,
                }
            }
            i += 1;
        } else {
            break;
        }
    }
    (newline, escapes, &args[i..])
}

/// Backslash escapes of `echo -e` and `printf`; `\c` stops the output (second value true).
pub fn unescape(s: &str) -> (String, bool) {
    let mut out = String::new();
    let mut it = s.chars();
    while let Some(c) = it.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match it.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('\\') => out.push('\\'),
            Some('a') => out.push('\u{7}'),
            Some('c') => return (out, true),
            Some(o) => {
                out.push('\\');
                out.push(o);
            }
            None => out.push('\\'),
        }
    }
    (out, false)
}

/// `printf FORMAT ARGS…` with `%s`, `%d`/`%i`, `%%` and the escapes; the format is reused
/// while arguments remain, as POSIX printf does.
pub fn printf(args: &[String]) -> String {
    let Some(format) = args.first() else {
        return String::new();
    };
    let (format, _) = unescape(format);
    let mut rest = args[1..].iter();
    let mut out = String::new();
    loop {
        if out.len() > MAX_OUTPUT {
            return out;
        }
        let mut used = false;
        let mut it = format.chars().peekable();
        while let Some(c) = it.next() {
            if c != '%' {
                out.push(c);
                continue;
            }
            let mut spec = String::new();
            while let Some(&n) = it.peek() {
                if n.is_ascii_digit() || n == '-' || n == '.' {
                    spec.push(n);
                    it.next();
                } else {
                    break;
                }
            }
            if out.len() > MAX_OUTPUT {
                return out;
            }
            match it.next() {
                Some('%') => out.push('%'),
                Some(k @ ('s' | 'd' | 'i')) => {
                    used = true;
                    let arg = rest.next().cloned().unwrap_or_default();
                    let value = if k == 's' {
                        arg
                    } else {
                        arg.trim().parse::<i64>().unwrap_or(0).to_string()
                    };
                    let width: usize = spec
                        .trim_start_matches('-')
                        .split('.')
                        .next()
                        .and_then(|w| w.parse::<usize>().ok())
                        .unwrap_or(0)
                        .min(MAX_WIDTH);
                    if spec.starts_with('-') {
                        out.push_str(&format!("{value:<width$}"));
                    } else if spec.starts_with('0') && k != 's' {
                        out.push_str(&format!("{value:0>width$}"));
                    } else {
                        out.push_str(&format!("{value:>width$}"));
                    }
                }
                Some(o) => {
                    out.push('%');
                    out.push_str(&spec);
                    out.push(o);
                }
                None => out.push('%'),
            }
        }
        if !used || rest.len() == 0 {
            return out;
        }
    }
}

/// `sleep`'s argument: seconds with an optional `s`/`m`/`h`/`d` suffix, or `infinity`.
pub fn sleep_ms(a: &str) -> Option<u64> {
    if a == "infinity" || a == "inf" {
        return Some(u64::MAX);
    }
    let (num, unit) = match a.char_indices().last() {
        Some((i, c @ ('s' | 'm' | 'h' | 'd'))) => (&a[..i], c),
        _ => (a, 's'),
    };
    let n: f64 = num
        .parse()
        .ok()
        .filter(|n: &f64| n.is_finite() && *n >= 0.0)?;
    let scale = match unit {
        'm' => 60.0,
        'h' => 3600.0,
        'd' => 86_400.0,
        _ => 1.0,
    };
    let ms = n * scale * SECOND as f64;
    Some(if ms >= u64::MAX as f64 / 2.0 {
        u64::MAX
    } else {
        ms.round() as u64
    })
}

/// `test` / `[`: string, integer and file tests; `None` for a malformed expression.
pub fn test(args: &[&str], files: &BTreeMap<String, String>) -> Option<bool> {
    let mut args = args;
    let mut negate = false;
    while let ["!", rest @ ..] = args {
        if rest.is_empty() {
            break;
        }
        negate = !negate;
        args = rest;
    }
    let result = match args {
        [] => false,
        [s] => !s.is_empty(),
        ["-n", s] => !s.is_empty(),
        ["-z", s] => s.is_empty(),
        ["-e" | "-f" | "-r" | "-s", path] => files.contains_key(*path),
        ["-d", path] => ["/", "/tmp", "/etc", "/var", "/usr", "/root"].contains(path),
        [a, op, b] => {
            let int = |s: &str| s.trim().parse::<i64>().ok();
            match *op {
                "=" | "==" => a == b,
                "!=" => a != b,
                "-eq" => int(a)? == int(b)?,
                "-ne" => int(a)? != int(b)?,
                "-lt" => int(a)? < int(b)?,
                "-le" => int(a)? <= int(b)?,
                "-gt" => int(a)? > int(b)?,
                "-ge" => int(a)? >= int(b)?,
                _ => return None,
            }
        }
        _ => return None,
    };
    Some(result != negate)
}

/// `date +FORMAT` in UTC: `%a %b %d %e %H %M %S %Y %m %y %j %s %T %D %F %Z %z %n %t %%`.
pub fn date(t: Time, format: &str) -> String {
    let unix = EPOCH_UNIX_SECONDS + (t.0 / SECOND) as i64;
    let stamp = t.rfc3339();
    let (y, mo, d) = (&stamp[0..4], &stamp[5..7], &stamp[8..10]);
    let (h, mi, s) = (&stamp[11..13], &stamp[14..16], &stamp[17..19]);
    let days = unix.div_euclid(86_400);
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let month = MONTHS[mo.parse::<usize>().unwrap_or(1).clamp(1, 12) - 1];
    let weekday = DAYS[days.rem_euclid(7) as usize];
    let mut out = String::new();
    let mut it = format.chars();
    while let Some(c) = it.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match it.next() {
            Some('a') => out.push_str(weekday),
            Some('b' | 'h') => out.push_str(month),
            Some('d') => out.push_str(d),
            Some('e') => out.push_str(&format!("{:>2}", d.trim_start_matches('0'))),
            Some('H') => out.push_str(h),
            Some('M') => out.push_str(mi),
            Some('S') => out.push_str(s),
            Some('Y') => out.push_str(y),
            Some('y') => out.push_str(&y[2..]),
            Some('m') => out.push_str(mo),
            Some('s') => out.push_str(&unix.to_string()),
            Some('T') => out.push_str(&format!("{h}:{mi}:{s}")),
            Some('D') => out.push_str(&format!("{mo}/{d}/{}", &y[2..])),
            Some('F') => out.push_str(&format!("{y}-{mo}-{d}")),
            Some('Z') => out.push_str("UTC"),
            Some('z') => out.push_str("+0000"),
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('%') => out.push('%'),
            Some(o) => {
                out.push('%');
                out.push(o);
            }
            None => out.push('%'),
        }
    }
    out
}
