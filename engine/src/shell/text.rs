//! busybox's text filters, for the pipelines courses write after `wget` or `cat`: `sort`
//! (`-n -r -u`), `uniq` (`-c -d -u`), `grep`
//! (options `-i -v -c -q -n -l -h -H -w -x -F -E -s`, and patterns of literal characters, `.`,
//! `*`, `^`, `$`, bracket expressions and, with `-E`, `+`, `?` and `|`), `wc` (`-l -w -c -m
//! -L`, in busybox's columns), `head` and `tail` (`-n N`, `-N`, `tail -n +N`). They read
//! their standard input or the container's files.

use super::{Flow, Shell};

/// A command's inputs: its standard input, or each named file (`None` when missing).
type Inputs = Vec<(String, Option<String>)>;

impl Shell<'_> {
    /// The files named, or standard input (named `-`, printed as busybox names it).
    fn inputs(&self, files: &[&String]) -> Inputs {
        if files.is_empty() {
            return vec![(String::new(), Some(self.stdin.clone().unwrap_or_default()))];
        }
        files
            .iter()
            .map(|f| (f.to_string(), self.read_files().get(f.as_str()).cloned()))
            .collect()
    }

    pub(super) fn grep(&mut self, args: &[String]) -> Flow {
        let mut flags = String::new();
        let mut pattern = None;
        let mut files = Vec::new();
        let mut options_done = false;
        let mut iter = args.iter();
        while let Some(a) = iter.next() {
            if !options_done && a == "--" {
                options_done = true;
            } else if !options_done && a == "-e" {
                pattern = iter.next().cloned();
            } else if !options_done && a.len() > 1 && a.starts_with('-') {
                flags.push_str(&a[1..]);
            } else if pattern.is_none() {
                pattern = Some(a.clone());
            } else {
                files.push(a);
            }
        }
        let Some(pattern) = pattern else {
            self.print_err("Usage: grep [-HhnlLoqvsrRiwFE] [-m N] [-A|B|C N] { PATTERN | -e PATTERN... | -f FILE... } [FILE]...\n");
            self.status = 2;
            return Flow::Normal;
        };
        let has = |c: char| flags.contains(c);
        let ignore_case = has('i');
        let matcher = Pattern::new(&pattern, has('E'), has('F'), ignore_case);
        let several = files.len() > 1;
        let prefix_names = (several || has('H')) && !has('h');
        let mut any = false;
        let mut failed = false;
        let mut out = String::new();
        for (name, text) in self.inputs(&files) {
            let Some(text) = text else {
                if !has('s') {
                    self.print_err(&format!("grep: {name}: No such file or directory\n"));
                }
                failed = true;
                continue;
            };
            let shown = if name.is_empty() {
                "(standard input)"
            } else {
                &name
            };
            let mut count = 0;
            for (n, line) in text.lines().enumerate() {
                if !self.step() {
                    break;
                }
                let hit = if has('x') {
                    matcher.whole(line)
                } else if has('w') {
                    matcher.word(line)
                } else {
                    matcher.find(line)
                };
                if hit == has('v') {
                    continue;
                }
                count += 1;
                any = true;
                if has('q') || has('l') || has('c') {
                    continue;
                }
                if prefix_names {
                    out.push_str(&format!("{shown}:"));
                }
                if has('n') {
                    out.push_str(&format!("{}:", n + 1));
                }
                out.push_str(line);
                out.push('\n');
            }
            if has('q') {
                continue;
            }
            if has('l') && count > 0 {
                out.push_str(&format!("{shown}\n"));
            } else if has('c') {
                if prefix_names {
                    out.push_str(&format!("{shown}:"));
                }
                out.push_str(&format!("{count}\n"));
            }
        }
        self.print(&out);
        // 0: a line was selected; 1: none was; 2: an error, unless -q found one.
        self.status = match (any, failed) {
            (true, _) if has('q') => 0,
            (_, true) => 2,
            (true, false) => 0,
            (false, false) => 1,
        };
        Flow::Normal
    }

    pub(super) fn wc(&mut self, args: &[String]) -> Flow {
        let (flags, files) = options(args);
        // Columns in `wc -lwmcL` order; none asked for: lines, words and bytes.
        let mut columns: Vec<usize> = "lwmcL"
            .chars()
            .enumerate()
            .filter(|(_, c)| flags.contains(*c))
            .map(|(i, _)| i)
            .collect();
        if columns.is_empty() {
            columns = vec![0, 1, 3];
        }
        // One count of one input prints bare; otherwise each count takes nine places.
        let bare = files.len() <= 1 && columns.len() == 1;
        let mut totals = [0usize; 5];
        let mut out = String::new();
        let inputs = self.inputs(&files);
        let several = inputs.len() > 1;
        let mut status = 0;
        let row = |out: &mut String, counts: &[usize; 5], name: &str| {
            for (k, &i) in columns.iter().enumerate() {
                match (k, bare) {
                    (0, true) => out.push_str(&counts[i].to_string()),
                    (0, false) => out.push_str(&format!("{:>9}", counts[i])),
                    _ => out.push_str(&format!(" {:>9}", counts[i])),
                }
            }
            if name.is_empty() {
                out.push('\n');
            } else {
                out.push_str(&format!(" {name}\n"));
            }
        };
        for (name, text) in inputs {
            let Some(text) = text else {
                self.print_err(&format!("wc: {name}: No such file or directory\n"));
                status = 1;
                continue;
            };
            self.charge(text.len());
            let counts = [
                text.matches('\n').count(),
                text.split_whitespace().count(),
                text.len(),
                text.len(),
                text.lines().map(str::len).max().unwrap_or(0),
            ];
            for i in 0..4 {
                totals[i] += counts[i];
            }
            totals[4] = totals[4].max(counts[4]);
            row(&mut out, &counts, &name);
        }
        if several {
            row(&mut out, &totals, "total");
        }
        self.print(&out);
        self.status = status;
        Flow::Normal
    }

    /// `sort` (`-n -r -u`) of its input or files.
    pub(super) fn sort(&mut self, args: &[String]) -> Flow {
        let (flags, files) = options(args);
        let mut lines: Vec<String> = Vec::new();
        for (name, text) in self.inputs(&files) {
            let Some(text) = text else {
                self.print_err(&format!(
                    "sort: can't open '{name}': No such file or directory\n"
                ));
                self.status = 2;
                return Flow::Normal;
            };
            self.charge(text.len());
            lines.extend(text.lines().map(String::from));
        }
        // `-n`: by the number each line starts with (none counts as 0), ties by the text.
        let number = |l: &str| -> f64 {
            let t = l.trim_start();
            let end = t
                .char_indices()
                .find(|(i, c)| !(c.is_ascii_digit() || *c == '.' || (*i == 0 && *c == '-')))
                .map_or(t.len(), |(i, _)| i);
            t[..end].parse().unwrap_or(0.0)
        };
        if flags.contains('n') {
            crate::order::sort_by(&mut lines, |a, b| {
                number(a).total_cmp(&number(b)).then_with(|| a.cmp(b))
            });
        } else {
            crate::order::sort(&mut lines);
        }
        if flags.contains('r') {
            lines.reverse();
        }
        if flags.contains('u') {
            lines.dedup();
        }
        let out: String = lines.iter().map(|l| format!("{l}\n")).collect();
        self.print(&out);
        self.status = 0;
        Flow::Normal
    }

    /// `uniq` (`-c -d -u`): adjacent equal lines once.
    pub(super) fn uniq(&mut self, args: &[String]) -> Flow {
        let (flags, mut files) = options(args);
        files.truncate(1);
        let Some((name, text)) = self.inputs(&files).into_iter().next() else {
            return Flow::Normal;
        };
        let Some(text) = text else {
            self.print_err(&format!("uniq: {name}: No such file or directory\n"));
            self.status = 1;
            return Flow::Normal;
        };
        self.charge(text.len());
        let mut runs: Vec<(usize, &str)> = Vec::new();
        for line in text.lines() {
            match runs.last_mut() {
                Some((n, l)) if *l == line => *n += 1,
                _ => runs.push((1, line)),
            }
        }
        let mut out = String::new();
        for (n, line) in runs {
            if (flags.contains('d') && n == 1) || (flags.contains('u') && n > 1) {
                continue;
            }
            if flags.contains('c') {
                out.push_str(&format!("{n:>7} "));
            }
            out.push_str(line);
            out.push('\n');
        }
        self.print(&out);
        self.status = 0;
        Flow::Normal
    }

    /// `head` and `tail`.
    pub(super) fn head_tail(&mut self, tail: bool, args: &[String]) -> Flow {
        let name = if tail { "tail" } else { "head" };
        let mut count = 10usize;
        let mut from_start = false;
        let mut files = Vec::new();
        let mut iter = args.iter();
        while let Some(a) = iter.next() {
            let number = match a.as_str() {
                "-n" => iter.next().map(String::as_str),
                _ if a.starts_with("-n") => Some(&a[2..]),
                _ if a.len() > 1
                    && a[1..].bytes().all(|b| b.is_ascii_digit())
                    && a.starts_with('-') =>
                {
                    Some(&a[1..])
                }
                _ if a.starts_with('-') && a.len() > 1 => continue,
                _ => {
                    files.push(a);
                    continue;
                }
            };
            let number = number.unwrap_or("");
            from_start = tail && number.starts_with('+');
            match number.trim_start_matches('+').parse::<usize>() {
                Ok(n) => count = n,
                Err(_) => {
                    self.print_err(&format!("{name}: invalid number '{number}'\n"));
                    self.status = 1;
                    return Flow::Normal;
                }
            }
        }
        let inputs = self.inputs(&files);
        let several = inputs.len() > 1;
        let mut out = String::new();
        let mut status = 0;
        for (k, (file, text)) in inputs.into_iter().enumerate() {
            let Some(text) = text else {
                self.print_err(&format!(
                    "{name}: can't open '{file}': No such file or directory\n"
                ));
                status = 1;
                continue;
            };
            self.charge(text.len());
            if several {
                out.push_str(&format!(
                    "{}==> {file} <==\n",
                    if k > 0 { "\n" } else { "" }
                ));
            }
            let lines: Vec<&str> = text.split_inclusive('\n').collect();
            let chosen = match (tail, from_start) {
                (false, _) => &lines[..count.min(lines.len())],
                (true, true) => &lines[count.saturating_sub(1).min(lines.len())..],
                (true, false) => &lines[lines.len().saturating_sub(count)..],
            };
            out.extend(chosen.iter().copied());
        }
        self.print(&out);
        self.status = status;
        Flow::Normal
    }
}

/// The option letters of `args` (`-l`, `-rn`…) and the other words, the inputs.
fn options(args: &[String]) -> (String, Vec<&String>) {
    let is_option = |a: &&String| a.len() > 1 && a.starts_with('-');
    let flags = args
        .iter()
        .filter(is_option)
        .flat_map(|a| a.chars().skip(1))
        .collect();
    (flags, args.iter().filter(|a| !is_option(a)).collect())
}

/// A grep pattern: a fixed string, or a small regular expression (`|` splits `-E`
/// alternatives).
struct Pattern {
    alternatives: Vec<Vec<Atom>>,
    fixed: Option<String>,
    anchored_start: Vec<bool>,
    anchored_end: Vec<bool>,
    ignore_case: bool,
}

#[derive(Debug, Clone)]
enum Item {
    Any,
    Char(char),
    Class(Vec<(char, char)>, bool),
}

#[derive(Debug, Clone)]
struct Atom {
    item: Item,
    min: usize,
    max: Option<usize>,
}

impl Pattern {
    fn new(pattern: &str, extended: bool, fixed: bool, ignore_case: bool) -> Pattern {
        let fold = |s: &str| {
            if ignore_case {
                s.to_lowercase()
            } else {
                s.to_string()
            }
        };
        if fixed {
            return Pattern {
                alternatives: Vec::new(),
                fixed: Some(fold(pattern)),
                anchored_start: Vec::new(),
                anchored_end: Vec::new(),
                ignore_case,
            };
        }
        let pattern = fold(pattern);
        let branches: Vec<&str> = if extended {
            pattern.split('|').collect()
        } else {
            vec![pattern.as_str()]
        };
        let mut p = Pattern {
            alternatives: Vec::new(),
            fixed: None,
            anchored_start: Vec::new(),
            anchored_end: Vec::new(),
            ignore_case,
        };
        for b in branches {
            let (start, b) = match b.strip_prefix('^') {
                Some(rest) => (true, rest),
                None => (false, b),
            };
            let (end, b) = match b.strip_suffix('$').filter(|r| !r.ends_with('\\')) {
                Some(rest) => (true, rest),
                None => (false, b),
            };
            p.anchored_start.push(start);
            p.anchored_end.push(end);
            p.alternatives.push(atoms(b, extended));
        }
        p
    }

    fn find(&self, line: &str) -> bool {
        self.matches(line, false, false)
    }

    /// The whole line matches (`-x`).
    fn whole(&self, line: &str) -> bool {
        self.matches(line, true, false)
    }

    /// A match stands as a word of its own (`-w`).
    fn word(&self, line: &str) -> bool {
        self.matches(line, false, true)
    }

    fn matches(&self, line: &str, whole: bool, word: bool) -> bool {
        let line = if self.ignore_case {
            line.to_lowercase()
        } else {
            line.to_string()
        };
        let chars: Vec<char> = line.chars().collect();
        let n = chars.len();
        let is_word = |i: usize| {
            chars
                .get(i)
                .is_some_and(|c| c.is_alphanumeric() || *c == '_')
        };
        // Where a match may start and end: anywhere, at the line's ends (`-x`, `^`, `$`),
        // or at word boundaries (`-w`).
        let may_start = |i: usize| !word || i == 0 || !is_word(i - 1);
        let may_end = |i: usize| !word || !is_word(i);
        if let Some(fixed) = &self.fixed {
            let needle: Vec<char> = fixed.chars().collect();
            if needle.len() > n {
                return false;
            }
            return (0..=n - needle.len()).any(|i| {
                chars[i..i + needle.len()] == needle[..]
                    && (!whole || (i == 0 && i + needle.len() == n))
                    && may_start(i)
                    && may_end(i + needle.len())
            });
        }
        self.alternatives.iter().enumerate().any(|(k, atoms)| {
            let from_start = self.anchored_start[k] || whole;
            let to_end = self.anchored_end[k] || whole;
            let mut set: Vec<bool> = (0..=n)
                .map(|i| (!from_start || i == 0) && may_start(i))
                .collect();
            for atom in atoms {
                set = advance(&set, atom, &chars);
            }
            (0..=n).any(|i| set[i] && (!to_end || i == n) && may_end(i))
        })
    }
}

/// The positions a match can reach from the positions in `set` by matching `atom` once
/// through its repetitions, in one pass over the line: matching cannot blow up however the
/// pattern repeats.
fn advance(set: &[bool], atom: &Atom, chars: &[char]) -> Vec<bool> {
    let step = |from: &[bool]| -> Vec<bool> {
        let mut next = vec![false; from.len()];
        for i in 0..chars.len() {
            if from[i] && atom.item.accepts(chars[i]) {
                next[i + 1] = true;
            }
        }
        next
    };
    let star = |from: Vec<bool>| -> Vec<bool> {
        let mut out = from;
        for i in 0..chars.len() {
            if out[i] && atom.item.accepts(chars[i]) {
                out[i + 1] = true;
            }
        }
        out
    };
    match (atom.min, atom.max) {
        (0, None) => star(set.to_vec()),
        (_, None) => star(step(set)),
        (0, _) => {
            let once = step(set);
            set.iter().zip(once).map(|(a, b)| *a || b).collect()
        }
        _ => step(set),
    }
}

impl Item {
    fn accepts(&self, c: char) -> bool {
        match self {
            Item::Any => true,
            Item::Char(x) => *x == c,
            Item::Class(ranges, negated) => {
                ranges.iter().any(|(a, b)| (*a..=*b).contains(&c)) != *negated
            }
        }
    }
}

/// The atoms of a pattern branch: characters, `.`, bracket expressions, each with its
/// repetition (`*`, and with `-E` also `+` and `?`).
fn atoms(pattern: &str, extended: bool) -> Vec<Atom> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out: Vec<Atom> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        i += 1;
        let repeat = match c {
            '*' => Some((0, None)),
            '+' if extended => Some((1, None)),
            '?' if extended => Some((0, Some(1))),
            _ => None,
        };
        if let (Some((min, max)), Some(last)) = (repeat, out.last_mut()) {
            last.min = min;
            last.max = max;
            continue;
        }
        let item = match c {
            '.' => Item::Any,
            '\\' if i < chars.len() => {
                i += 1;
                Item::Char(chars[i - 1])
            }
            '[' => {
                let negated = chars.get(i) == Some(&'^');
                if negated {
                    i += 1;
                }
                let mut ranges = Vec::new();
                let mut first = true;
                while i < chars.len() && (first || chars[i] != ']') {
                    first = false;
                    let a = chars[i];
                    if chars.get(i + 1) == Some(&'-') && chars.get(i + 2).is_some_and(|b| *b != ']')
                    {
                        ranges.push((a, chars[i + 2]));
                        i += 3;
                    } else {
                        ranges.push((a, a));
                        i += 1;
                    }
                }
                i += 1;
                Item::Class(ranges, negated)
            }
            c => Item::Char(c),
        };
        out.push(Atom {
            item,
            min: 1,
            max: Some(1),
        });
    }
    out
}
