//! The shell a container's command runs in: enough of POSIX `sh` for the scripts the
//! Kubernetes documentation and courses put in pod specs (`sh -c 'echo …; sleep 5; exit 1'`,
//! the logging page's counter loop, the liveness page's `touch /tmp/healthy; sleep 30; …`),
//! or one command given directly (`[sleep, "3600"]`, `[echo, hi]`).
//!
//! Running a script yields what it prints and when, and when it exits with which status, on
//! the container's own clock (milliseconds since it started). Nothing really runs: files are
//! names with contents, the clock only moves in `sleep`, and a command the shell does not
//! know succeeds without output, as most commands of a real image would.
//!
//! Supported: `;` `&&` `||` `&` (run in place) `|` (only the last command's output is kept),
//! `while`/`until`/`for`/`if`/`case`-free compound commands, `{ }` and `( )`, `break`,
//! `continue`, `exit`, assignments, `$VAR` `${VAR}` `$?` `$$`, `$((arithmetic))`, `$(command)`
//! and backquotes, single and double quotes, `>` `>>` `<` `2>&1` redirections, and the
//! builtins `echo` `printf` `sleep` `date` `hostname` `printenv` `env` `test`/`[` `true`
//! `false` `:` `touch` `rm` `cat` `seq` `tail -f` `expr`-free arithmetic. Every run is
//! bounded by a step budget, so a script cannot hang the simulation.

use crate::time::{Time, EPOCH_UNIX_SECONDS, SECOND};
use std::collections::BTreeMap;

/// Steps (commands and loop turns) one run may take.
pub const BUDGET: usize = 200_000;
/// Lines one run may print (a busy loop would print forever in no time).
const MAX_LINES: usize = 20_000;
/// Nesting of loops, groups and command substitutions.
const MAX_DEPTH: usize = 64;

/// What a run did up to its horizon.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Outcome {
    /// Lines printed (stdout and stderr together, as the container log has them), with the
    /// millisecond of the container's clock at which each was completed.
    pub lines: Vec<(u64, String)>,
    /// When the script exited and with which status; `None` while it still runs at the
    /// horizon (or forever).
    pub exit: Option<(u64, i64)>,
}

/// The process environment: variables in order, and the wall clock the container started at.
#[derive(Debug, Clone, Default)]
pub struct Env {
    pub vars: Vec<(String, String)>,
    pub started: Time,
}

/// Runs `argv` (a shell with `-c SCRIPT`, or one command) until it exits, the clock passes
/// `horizon` ms, or the budget runs out. `lines` false skips collecting output, and lets an
/// endless loop be recognised without running it.
pub fn run(argv: &[String], env: &Env, horizon: u64, lines: bool) -> Outcome {
    let mut sh = Shell {
        vars: env.vars.iter().cloned().collect(),
        order: env.vars.iter().map(|(k, _)| k.clone()).collect(),
        started: env.started,
        clock: 0,
        horizon,
        steps: 0,
        out: Vec::new(),
        partial: String::new(),
        collect: lines,
        files: BTreeMap::new(),
        status: 0,
        depth: 0,
        capture: Vec::new(),
    };
    let program = match script_of(argv) {
        Some(script) => parse(script),
        None => Ok(Node::Simple {
            assigns: Vec::new(),
            words: argv
                .iter()
                .map(|w| Word(vec![Part::Quoted(w.clone())]))
                .collect(),
            redirects: Vec::new(),
        }),
    };
    let flow = match program {
        Ok(node) => sh.exec(&node),
        Err(message) => {
            sh.print(&format!("sh: syntax error: {message}\n"));
            Flow::Exit(2)
        }
    };
    if !sh.partial.is_empty() {
        let line = std::mem::take(&mut sh.partial);
        sh.push_line(line);
    }
    let exit = match flow {
        Flow::Normal | Flow::Break(_) | Flow::Continue(_) => Some((sh.clock, sh.status)),
        Flow::Exit(code) => Some((sh.clock, code)),
        Flow::Stop => None,
    };
    Outcome {
        lines: sh.out,
        exit,
    }
}

/// The script of `sh -c SCRIPT` (any shell, any single-letter options that include `c`).
fn script_of(argv: &[String]) -> Option<&str> {
    let base = argv.first()?.rsplit('/').next()?;
    if !matches!(base, "sh" | "bash" | "ash" | "dash" | "zsh") {
        return None;
    }
    let mut it = argv[1..].iter();
    for a in it.by_ref() {
        if a.starts_with('-') && a.len() > 1 && !a.starts_with("--") {
            if a.contains('c') {
                return it.next().map(String::as_str).or(Some(""));
            }
        } else {
            break;
        }
    }
    // `sh` alone reads commands from its (empty) input and exits at once.
    Some("")
}

// ---------------------------------------------------------------------------------------
// Syntax

#[derive(Debug, Clone, PartialEq)]
enum Part {
    /// Literal text from outside quotes (subject to field splitting only if it came from an
    /// expansion, which this is not).
    Lit(String),
    /// Text that is never split or globbed.
    Quoted(String),
    Var(String, bool),
    Arith(String, bool),
    Subst(String, bool),
}

#[derive(Debug, Clone, PartialEq)]
struct Word(Vec<Part>);

impl Word {
    /// The word as written when it is plain unquoted text (`do`, `done`, `[`...).
    fn plain(&self) -> Option<&str> {
        match self.0.as_slice() {
            [Part::Lit(s)] => Some(s),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Redirect {
    /// `>` or `>>` of stdout to a file (`/dev/null` discards).
    Out(Word, bool),
    /// `2>` of stderr; stderr and stdout share the container log.
    Err(Word),
    In,
}

#[derive(Debug, Clone, PartialEq)]
enum Node {
    Simple {
        assigns: Vec<(String, Word)>,
        words: Vec<Word>,
        redirects: Vec<Redirect>,
    },
    Seq(Vec<Node>),
    And(Box<Node>, Box<Node>),
    Or(Box<Node>, Box<Node>),
    Not(Box<Node>),
    Pipe(Vec<Node>),
    Loop {
        cond: Box<Node>,
        body: Box<Node>,
        until: bool,
    },
    For {
        var: String,
        words: Vec<Word>,
        body: Box<Node>,
    },
    If {
        branches: Vec<(Node, Node)>,
        otherwise: Option<Box<Node>>,
    },
    Group(Box<Node>, Vec<Redirect>),
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Word(Word),
    Op(&'static str),
}

fn tokenize(s: &str) -> Result<Vec<Tok>, String> {
    let chars: Vec<char> = s.chars().collect();
    let mut toks = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            ' ' | '\t' => i += 1,
            '\\' if chars.get(i + 1) == Some(&'\n') => i += 2,
            '#' => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
            }
            '\n' => {
                toks.push(Tok::Op("\n"));
                i += 1;
            }
            ';' | '&' | '|' | '(' | ')' | '<' | '>' => {
                let two: String = chars[i..chars.len().min(i + 2)].iter().collect();
                let op = match two.as_str() {
                    "&&" => "&&",
                    "||" => "||",
                    ";;" => ";;",
                    ">>" => ">>",
                    ">&" => ">&",
                    _ => match c {
                        ';' => ";",
                        '&' => "&",
                        '|' => "|",
                        '(' => "(",
                        ')' => ")",
                        '<' => "<",
                        _ => ">",
                    },
                };
                i += op.len();
                toks.push(Tok::Op(op));
            }
            _ => {
                let (word, next) = read_word(&chars, i)?;
                i = next;
                // `2>` and `2>&1`: a lone `2` right before `>` names stderr.
                if word.plain() == Some("2") && chars.get(i) == Some(&'>') {
                    toks.push(Tok::Op("2>"));
                    i += 1;
                    continue;
                }
                toks.push(Tok::Word(word));
            }
        }
    }
    Ok(toks)
}

/// Reads one word from `i`: quotes, escapes and `$` expansions, up to a blank or operator.
fn read_word(chars: &[char], mut i: usize) -> Result<(Word, usize), String> {
    let mut parts = Vec::new();
    let mut lit = String::new();
    let flush = |lit: &mut String, parts: &mut Vec<Part>| {
        if !lit.is_empty() {
            parts.push(Part::Lit(std::mem::take(lit)));
        }
    };
    while i < chars.len() {
        let c = chars[i];
        match c {
            ' ' | '\t' | '\n' | ';' | '&' | '|' | '(' | ')' | '<' | '>' => break,
            '\\' => {
                if let Some(&n) = chars.get(i + 1) {
                    if n != '\n' {
                        flush(&mut lit, &mut parts);
                        parts.push(Part::Quoted(n.to_string()));
                    }
                }
                i += 2;
            }
            '\'' => {
                let end = chars[i + 1..]
                    .iter()
                    .position(|&x| x == '\'')
                    .ok_or("unterminated quoted string")?;
                flush(&mut lit, &mut parts);
                parts.push(Part::Quoted(chars[i + 1..i + 1 + end].iter().collect()));
                i += end + 2;
            }
            '"' => {
                flush(&mut lit, &mut parts);
                i += 1;
                let mut q = String::new();
                loop {
                    let Some(&c) = chars.get(i) else {
                        return Err("unterminated quoted string".into());
                    };
                    match c {
                        '"' => {
                            i += 1;
                            break;
                        }
                        '\\' if matches!(chars.get(i + 1), Some('"' | '\\' | '$' | '`')) => {
                            q.push(chars[i + 1]);
                            i += 2;
                        }
                        '$' | '`' => {
                            if let Some((part, next)) = read_dollar(chars, i, true)? {
                                if !q.is_empty() {
                                    parts.push(Part::Quoted(std::mem::take(&mut q)));
                                }
                                parts.push(part);
                                i = next;
                            } else {
                                q.push('$');
                                i += 1;
                            }
                        }
                        _ => {
                            q.push(c);
                            i += 1;
                        }
                    }
                }
                parts.push(Part::Quoted(q));
            }
            '$' | '`' => match read_dollar(chars, i, false)? {
                Some((part, next)) => {
                    flush(&mut lit, &mut parts);
                    parts.push(part);
                    i = next;
                }
                None => {
                    lit.push('$');
                    i += 1;
                }
            },
            _ => {
                lit.push(c);
                i += 1;
            }
        }
    }
    flush(&mut lit, &mut parts);
    Ok((Word(parts), i))
}

/// An expansion at `i` (`$NAME`, `${NAME}`, `$?`, `$((…))`, `$(…)`, `` `…` ``), or `None`
/// for a `$` that starts none.
fn read_dollar(chars: &[char], i: usize, quoted: bool) -> Result<Option<(Part, usize)>, String> {
    let closing = |from: usize, open: char, close: char| -> Result<usize, String> {
        let mut depth = 1;
        let mut j = from;
        while j < chars.len() {
            if chars[j] == open {
                depth += 1;
            } else if chars[j] == close {
                depth -= 1;
                if depth == 0 {
                    return Ok(j);
                }
            }
            j += 1;
        }
        Err(format!("unexpected end of file (expecting \"{close}\")"))
    };
    if chars[i] == '`' {
        let end = chars[i + 1..]
            .iter()
            .position(|&x| x == '`')
            .ok_or("unterminated `")?;
        let text = chars[i + 1..i + 1 + end].iter().collect();
        return Ok(Some((Part::Subst(text, quoted), i + end + 2)));
    }
    match chars.get(i + 1) {
        Some('(') if chars.get(i + 2) == Some(&'(') => {
            let end = closing(i + 3, '(', ')')?;
            if chars.get(end + 1) != Some(&')') {
                return Err("missing '))'".into());
            }
            let text = chars[i + 3..end].iter().collect();
            Ok(Some((Part::Arith(text, quoted), end + 2)))
        }
        Some('(') => {
            let end = closing(i + 2, '(', ')')?;
            let text = chars[i + 2..end].iter().collect();
            Ok(Some((Part::Subst(text, quoted), end + 1)))
        }
        Some('{') => {
            let end = closing(i + 2, '{', '}')?;
            let name: String = chars[i + 2..end].iter().collect();
            // `${VAR:-default}` and friends: only the name is read; the rest is dropped.
            let name = name
                .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .next()
                .unwrap_or("")
                .to_string();
            Ok(Some((Part::Var(name, quoted), end + 1)))
        }
        Some(&c) if c == '?' || c == '$' || c == '#' || c.is_ascii_digit() => {
            Ok(Some((Part::Var(c.to_string(), quoted), i + 2)))
        }
        Some(&c) if c.is_ascii_alphabetic() || c == '_' => {
            let mut j = i + 1;
            while j < chars.len() && (chars[j].is_ascii_alphanumeric() || chars[j] == '_') {
                j += 1;
            }
            Ok(Some((
                Part::Var(chars[i + 1..j].iter().collect(), quoted),
                j,
            )))
        }
        _ => Ok(None),
    }
}

fn parse(script: &str) -> Result<Node, String> {
    let toks = tokenize(script)?;
    let mut p = Parser {
        toks,
        pos: 0,
        depth: 0,
    };
    let node = p.list(&[])?;
    match p.toks.get(p.pos) {
        None => Ok(node),
        Some(t) => Err(format!("unexpected {}", describe(t))),
    }
}

fn describe(t: &Tok) -> String {
    match t {
        Tok::Op("\n") => "newline".into(),
        Tok::Op(o) => format!("\"{o}\""),
        Tok::Word(w) => format!("\"{}\"", w.plain().unwrap_or("word")),
    }
}

struct Parser {
    toks: Vec<Tok>,
    pos: usize,
    depth: usize,
}

const KEYWORDS: &[&str] = &[
    "do", "done", "then", "elif", "else", "fi", "}", "in", "esac",
];

impl Parser {
    fn peek_word(&self) -> Option<&str> {
        match self.toks.get(self.pos) {
            Some(Tok::Word(w)) => w.plain(),
            _ => None,
        }
    }

    fn peek_op(&self) -> Option<&'static str> {
        match self.toks.get(self.pos) {
            Some(Tok::Op(o)) => Some(o),
            _ => None,
        }
    }

    fn skip_newlines(&mut self) {
        while self.peek_op() == Some("\n") {
            self.pos += 1;
        }
    }

    fn expect(&mut self, keyword: &str) -> Result<(), String> {
        self.skip_newlines();
        if self.peek_word() == Some(keyword) {
            self.pos += 1;
            Ok(())
        } else {
            match self.toks.get(self.pos) {
                None => Err(format!("unexpected end of file (expecting \"{keyword}\")")),
                Some(t) => Err(format!(
                    "unexpected {} (expecting \"{keyword}\")",
                    describe(t)
                )),
            }
        }
    }

    /// Commands separated by `;`, `&` or newlines, up to one of `stop` (a keyword) or `)`.
    fn list(&mut self, stop: &[&str]) -> Result<Node, String> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err("nested too deeply".into());
        }
        let mut items = Vec::new();
        loop {
            self.skip_newlines();
            match (self.peek_word(), self.peek_op()) {
                (Some(w), _) if stop.contains(&w) => break,
                (_, Some(")" | ";;")) => break,
                (None, None) if self.pos >= self.toks.len() => break,
                _ => {}
            }
            items.push(self.and_or()?);
            match self.peek_op() {
                Some(";" | "&" | "\n") => self.pos += 1,
                _ => break,
            }
        }
        self.depth -= 1;
        Ok(Node::Seq(items))
    }

    fn and_or(&mut self) -> Result<Node, String> {
        let mut left = self.pipeline()?;
        loop {
            match self.peek_op() {
                Some("&&") => {
                    self.pos += 1;
                    self.skip_newlines();
                    left = Node::And(Box::new(left), Box::new(self.pipeline()?));
                }
                Some("||") => {
                    self.pos += 1;
                    self.skip_newlines();
                    left = Node::Or(Box::new(left), Box::new(self.pipeline()?));
                }
                _ => return Ok(left),
            }
        }
    }

    fn pipeline(&mut self) -> Result<Node, String> {
        let negate = self.peek_word() == Some("!");
        if negate {
            self.pos += 1;
        }
        let mut cmds = vec![self.command()?];
        while self.peek_op() == Some("|") {
            self.pos += 1;
            self.skip_newlines();
            cmds.push(self.command()?);
        }
        let node = if cmds.len() == 1 {
            cmds.pop().unwrap_or(Node::Seq(Vec::new()))
        } else {
            Node::Pipe(cmds)
        };
        Ok(if negate {
            Node::Not(Box::new(node))
        } else {
            node
        })
    }

    fn command(&mut self) -> Result<Node, String> {
        match (self.peek_word(), self.peek_op()) {
            (Some("while" | "until"), _) => {
                let until = self.peek_word() == Some("until");
                self.pos += 1;
                let cond = self.list(&["do"])?;
                self.expect("do")?;
                let body = self.list(&["done"])?;
                self.expect("done")?;
                Ok(Node::Loop {
                    cond: Box::new(cond),
                    body: Box::new(body),
                    until,
                })
            }
            (Some("for"), _) => {
                self.pos += 1;
                let var = self
                    .peek_word()
                    .filter(|v| is_name(v))
                    .ok_or("bad for loop variable")?
                    .to_string();
                self.pos += 1;
                let mut words = Vec::new();
                self.skip_newlines();
                if self.peek_word() == Some("in") {
                    self.pos += 1;
                    while let Some(Tok::Word(w)) = self.toks.get(self.pos) {
                        words.push(w.clone());
                        self.pos += 1;
                    }
                }
                if matches!(self.peek_op(), Some(";" | "\n")) {
                    self.pos += 1;
                }
                self.expect("do")?;
                let body = self.list(&["done"])?;
                self.expect("done")?;
                Ok(Node::For {
                    var,
                    words,
                    body: Box::new(body),
                })
            }
            (Some("if"), _) => {
                self.pos += 1;
                let mut branches = Vec::new();
                let mut otherwise = None;
                loop {
                    let cond = self.list(&["then"])?;
                    self.expect("then")?;
                    let body = self.list(&["elif", "else", "fi"])?;
                    branches.push((cond, body));
                    self.skip_newlines();
                    match self.peek_word() {
                        Some("elif") => self.pos += 1,
                        Some("else") => {
                            self.pos += 1;
                            otherwise = Some(Box::new(self.list(&["fi"])?));
                            self.expect("fi")?;
                            break;
                        }
                        _ => {
                            self.expect("fi")?;
                            break;
                        }
                    }
                }
                Ok(Node::If {
                    branches,
                    otherwise,
                })
            }
            (Some("{"), _) => {
                self.pos += 1;
                let body = self.list(&["}"])?;
                self.expect("}")?;
                let redirects = self.redirects()?;
                Ok(Node::Group(Box::new(body), redirects))
            }
            (_, Some("(")) => {
                self.pos += 1;
                let body = self.list(&[])?;
                if self.peek_op() != Some(")") {
                    return Err("unexpected end of file (expecting \")\")".into());
                }
                self.pos += 1;
                let redirects = self.redirects()?;
                Ok(Node::Group(Box::new(body), redirects))
            }
            (Some(w), _) if KEYWORDS.contains(&w) => Err(format!("unexpected \"{w}\"")),
            (Some("case"), _) => Err("case is not supported here".into()),
            _ => self.simple(),
        }
    }

    fn redirects(&mut self) -> Result<Vec<Redirect>, String> {
        let mut out = Vec::new();
        while let Some(r) = self.redirect()? {
            out.push(r);
        }
        Ok(out)
    }

    fn redirect(&mut self) -> Result<Option<Redirect>, String> {
        let Some(op @ (">" | ">>" | "<" | "2>" | ">&")) = self.peek_op() else {
            return Ok(None);
        };
        self.pos += 1;
        let target = match self.toks.get(self.pos) {
            Some(Tok::Word(w)) => w.clone(),
            _ => {
                return Err(format!(
                    "unexpected {}",
                    self.toks
                        .get(self.pos)
                        .map_or("end of file".into(), describe)
                ))
            }
        };
        self.pos += 1;
        Ok(Some(match op {
            "<" => Redirect::In,
            // `2>&1` sends stderr where stdout goes; both reach the log anyway.
            "2>" if target.plain().is_some_and(|t| t.starts_with('&')) => Redirect::In,
            "2>" => Redirect::Err(target),
            // `>&2`: to stderr, which is the log too.
            ">&" => Redirect::In,
            _ => Redirect::Out(target, op == ">>"),
        }))
    }

    fn simple(&mut self) -> Result<Node, String> {
        let mut assigns = Vec::new();
        let mut words = Vec::new();
        let mut redirects = Vec::new();
        loop {
            if let Some(r) = self.redirect()? {
                redirects.push(r);
                continue;
            }
            let Some(Tok::Word(w)) = self.toks.get(self.pos) else {
                break;
            };
            if words.is_empty() {
                if let Some((name, value)) = assignment(w) {
                    assigns.push((name, value));
                    self.pos += 1;
                    continue;
                }
            }
            words.push(w.clone());
            self.pos += 1;
        }
        if assigns.is_empty() && words.is_empty() && redirects.is_empty() {
            return Err(match self.toks.get(self.pos) {
                Some(t) => format!("unexpected {}", describe(t)),
                None => "unexpected end of file".into(),
            });
        }
        Ok(Node::Simple {
            assigns,
            words,
            redirects,
        })
    }
}

fn is_name(s: &str) -> bool {
    s.chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// `NAME=value` at the start of a simple command.
fn assignment(w: &Word) -> Option<(String, Word)> {
    let Some(Part::Lit(first)) = w.0.first() else {
        return None;
    };
    let (name, rest) = first.split_once('=')?;
    if !is_name(name) {
        return None;
    }
    let mut parts = Vec::new();
    if !rest.is_empty() {
        parts.push(Part::Lit(rest.to_string()));
    }
    parts.extend(w.0[1..].iter().cloned());
    Some((name.to_string(), Word(parts)))
}

// ---------------------------------------------------------------------------------------
// Execution

enum Flow {
    Normal,
    Break(usize),
    Continue(usize),
    Exit(i64),
    /// The horizon or the budget was reached, or the script waits forever.
    Stop,
}

struct Shell {
    vars: BTreeMap<String, String>,
    /// Variable names in the order the environment lists them (`env`).
    order: Vec<String>,
    started: Time,
    clock: u64,
    horizon: u64,
    steps: usize,
    out: Vec<(u64, String)>,
    partial: String,
    collect: bool,
    files: BTreeMap<String, String>,
    status: i64,
    depth: usize,
    /// Output captured by `$(…)`, a redirection or a pipe, innermost last.
    capture: Vec<String>,
}

impl Shell {
    fn print(&mut self, text: &str) {
        if let Some(buf) = self.capture.last_mut() {
            if buf.len() < 1 << 20 {
                buf.push_str(text);
            }
            return;
        }
        if !self.collect {
            return;
        }
        for c in text.chars() {
            if c == '\n' {
                let line = std::mem::take(&mut self.partial);
                self.push_line(line);
            } else {
                self.partial.push(c);
            }
        }
    }

    fn push_line(&mut self, line: String) {
        if self.out.len() < MAX_LINES {
            self.out.push((self.clock, line));
        } else {
            // The budget of lines is spent: the rest of this run prints nothing more.
            self.steps = BUDGET;
        }
    }

    fn var(&self, name: &str) -> String {
        match name {
            "?" => self.status.to_string(),
            "$" => "1".into(),
            "#" | "0" => if name == "#" { "0" } else { "sh" }.into(),
            _ => self.vars.get(name).cloned().unwrap_or_default(),
        }
    }

    fn set_var(&mut self, name: &str, value: String) {
        if !self.vars.contains_key(name) {
            self.order.push(name.to_string());
        }
        self.vars.insert(name.to_string(), value);
    }

    fn step(&mut self) -> bool {
        self.steps += 1;
        self.steps <= BUDGET
    }

    /// Expands words into fields: unquoted expansions split on blanks.
    fn expand(&mut self, words: &[Word]) -> Result<Vec<String>, Flow> {
        let mut fields = Vec::new();
        for w in words {
            let mut cur: Option<String> = None;
            for part in &w.0 {
                let (text, split) = match part {
                    Part::Lit(s) => (s.clone(), false),
                    Part::Quoted(s) => (s.clone(), false),
                    Part::Var(n, q) => (self.var(n), !q),
                    Part::Arith(e, q) => (arith(e, self).to_string(), !q),
                    Part::Subst(s, q) => {
                        let out = self.substitute(s)?;
                        (out.trim_end_matches('\n').to_string(), !q)
                    }
                };
                if split {
                    let mut pieces = text.split_whitespace().peekable();
                    let leading = text.starts_with(char::is_whitespace);
                    if leading || text.is_empty() {
                        if let Some(c) = cur.take() {
                            fields.push(c);
                        }
                    }
                    while let Some(p) = pieces.next() {
                        let c = cur.get_or_insert_with(String::new);
                        c.push_str(p);
                        if pieces.peek().is_some() {
                            fields.push(cur.take().unwrap_or_default());
                        }
                    }
                    if text.ends_with(char::is_whitespace) {
                        if let Some(c) = cur.take() {
                            fields.push(c);
                        }
                    }
                } else {
                    cur.get_or_insert_with(String::new).push_str(&text);
                }
            }
            if let Some(c) = cur {
                fields.push(c);
            }
        }
        Ok(fields)
    }

    fn expand_one(&mut self, w: &Word) -> Result<String, Flow> {
        Ok(self.expand(std::slice::from_ref(w))?.join(" "))
    }

    /// Runs `$(script)` and returns what it printed; time it sleeps passes as in a real shell.
    fn substitute(&mut self, script: &str) -> Result<String, Flow> {
        let node = match parse(script) {
            Ok(n) => n,
            Err(e) => {
                self.print(&format!("sh: syntax error: {e}\n"));
                return Ok(String::new());
            }
        };
        self.capture.push(String::new());
        let flow = self.nested(&node);
        let out = self.capture.pop().unwrap_or_default();
        match flow {
            Flow::Stop => Err(Flow::Stop),
            _ => Ok(out),
        }
    }

    fn nested(&mut self, node: &Node) -> Flow {
        if self.depth >= MAX_DEPTH {
            self.print("sh: nested too deeply\n");
            return Flow::Exit(2);
        }
        self.depth += 1;
        let flow = self.exec(node);
        self.depth -= 1;
        flow
    }

    fn exec(&mut self, node: &Node) -> Flow {
        if !self.step() {
            return Flow::Stop;
        }
        match node {
            Node::Seq(items) => {
                for item in items {
                    match self.exec(item) {
                        Flow::Normal => {}
                        other => return other,
                    }
                }
                Flow::Normal
            }
            Node::And(a, b) => match self.exec(a) {
                Flow::Normal if self.status == 0 => self.exec(b),
                other => other,
            },
            Node::Or(a, b) => match self.exec(a) {
                Flow::Normal if self.status != 0 => self.exec(b),
                other => other,
            },
            Node::Not(a) => {
                let flow = self.exec(a);
                self.status = i64::from(self.status == 0);
                flow
            }
            Node::Pipe(cmds) => {
                let last = cmds.len() - 1;
                for (i, c) in cmds.iter().enumerate() {
                    if i < last {
                        self.capture.push(String::new());
                    }
                    let flow = self.nested(c);
                    if i < last {
                        self.capture.pop();
                    }
                    match flow {
                        Flow::Stop => return Flow::Stop,
                        Flow::Exit(code) if i == last => return Flow::Exit(code),
                        _ => {}
                    }
                }
                Flow::Normal
            }
            Node::Group(body, redirects) => self.redirected(redirects, |sh| sh.nested(body)),
            Node::If {
                branches,
                otherwise,
            } => {
                for (cond, body) in branches {
                    match self.exec(cond) {
                        Flow::Normal => {}
                        other => return other,
                    }
                    if self.status == 0 {
                        return self.nested(body);
                    }
                }
                self.status = 0;
                match otherwise {
                    Some(body) => self.nested(body),
                    None => Flow::Normal,
                }
            }
            Node::Loop { cond, body, until } => {
                if !self.collect && !*until && always_true(cond) && !leaves(body) {
                    // Nothing is printed in this run, and the loop can never end.
                    return Flow::Stop;
                }
                self.status = 0;
                loop {
                    if !self.step() {
                        return Flow::Stop;
                    }
                    let last = self.status;
                    match self.exec(cond) {
                        Flow::Normal => {}
                        other => return other,
                    }
                    if (self.status == 0) == *until {
                        self.status = last;
                        return Flow::Normal;
                    }
                    match self.nested(body) {
                        Flow::Normal | Flow::Continue(1) => {}
                        Flow::Break(1) => return Flow::Normal,
                        Flow::Break(n) => return Flow::Break(n - 1),
                        Flow::Continue(n) => return Flow::Continue(n - 1),
                        other => return other,
                    }
                }
            }
            Node::For { var, words, body } => {
                let items = match self.expand(words) {
                    Ok(i) => i,
                    Err(f) => return f,
                };
                self.status = 0;
                for item in items {
                    if !self.step() {
                        return Flow::Stop;
                    }
                    self.set_var(var, item);
                    match self.nested(body) {
                        Flow::Normal | Flow::Continue(1) => {}
                        Flow::Break(1) => return Flow::Normal,
                        Flow::Break(n) => return Flow::Break(n - 1),
                        Flow::Continue(n) => return Flow::Continue(n - 1),
                        other => return other,
                    }
                }
                Flow::Normal
            }
            Node::Simple {
                assigns,
                words,
                redirects,
            } => {
                let argv = match self.expand(words) {
                    Ok(a) => a,
                    Err(f) => return f,
                };
                let mut values = Vec::new();
                for (name, w) in assigns {
                    match self.expand_one(w) {
                        Ok(v) => values.push((name.clone(), v)),
                        Err(f) => return f,
                    }
                }
                for (name, v) in values {
                    self.set_var(&name, v);
                }
                if argv.is_empty() {
                    self.status = 0;
                    return Flow::Normal;
                }
                self.redirected(redirects, |sh| sh.builtin(&argv))
            }
        }
    }

    /// Runs `f` with stdout sent where `redirects` say.
    fn redirected(&mut self, redirects: &[Redirect], f: impl FnOnce(&mut Shell) -> Flow) -> Flow {
        let mut target = None;
        let mut discard_err = false;
        for r in redirects {
            match r {
                Redirect::Out(w, append) => match self.expand_one(w) {
                    Ok(path) => target = Some((path, *append)),
                    Err(flow) => return flow,
                },
                Redirect::Err(w) => {
                    discard_err = self.expand_one(w).is_ok();
                }
                Redirect::In => {}
            }
        }
        // Stderr only carries this shell's own complaints, which nothing here redirects;
        // `2>FILE` therefore changes nothing visible.
        let _ = discard_err;
        let Some((path, append)) = target else {
            return f(self);
        };
        self.capture.push(String::new());
        let flow = f(self);
        let text = self.capture.pop().unwrap_or_default();
        if path != "/dev/null" && !path.starts_with("/proc/") {
            let file = self.files.entry(path).or_default();
            if !append {
                file.clear();
            }
            if file.len() < 1 << 20 {
                file.push_str(&text);
            }
        } else if path == "/proc/1/fd/1" || path == "/proc/1/fd/2" {
            // Written to the main process's output: the container log.
            self.print(&text);
        }
        flow
    }

    fn builtin(&mut self, argv: &[String]) -> Flow {
        let name = argv[0].rsplit('/').next().unwrap_or("");
        let args = &argv[1..];
        self.status = 0;
        match name {
            "echo" => {
                let (newline, escapes, words) = echo_flags(args);
                let mut text = words.join(" ");
                if escapes {
                    let (t, stop) = unescape(&text);
                    text = t;
                    if stop {
                        self.print(&text);
                        return Flow::Normal;
                    }
                }
                if newline {
                    text.push('\n');
                }
                self.print(&text);
            }
            "printf" => {
                let text = printf(args);
                self.print(&text);
            }
            "sleep" => {
                let mut total: u64 = 0;
                for a in args {
                    match sleep_ms(a) {
                        Some(ms) => total = total.saturating_add(ms),
                        None => {
                            self.print(&format!("sleep: invalid number '{a}'\n"));
                            self.status = 1;
                            return Flow::Normal;
                        }
                    }
                }
                return self.wait(total);
            }
            "tail"
                if args
                    .iter()
                    .any(|a| a == "-f" || a == "-F" || a.starts_with("--follow")) =>
            {
                return self.wait(u64::MAX);
            }
            "exit" => {
                let code = args
                    .first()
                    .map_or(Some(self.status), |a| a.parse::<i64>().ok())
                    .map_or(2, |c| c.rem_euclid(256));
                return Flow::Exit(code);
            }
            "break" | "continue" => {
                let n = args
                    .first()
                    .and_then(|a| a.parse::<usize>().ok())
                    .unwrap_or(1)
                    .max(1);
                return if name == "break" {
                    Flow::Break(n)
                } else {
                    Flow::Continue(n)
                };
            }
            "true" | ":" => {}
            "false" => self.status = 1,
            "date" => {
                let now = self.started.plus_ms(self.clock);
                let format = args.iter().find_map(|a| a.strip_prefix('+'));
                let text = date(now, format.unwrap_or("%a %b %e %H:%M:%S UTC %Y"));
                self.print(&format!("{text}\n"));
            }
            "hostname" => {
                let h = self.var("HOSTNAME");
                self.print(&format!("{h}\n"));
            }
            "printenv" | "env" if args.is_empty() => {
                let mut text = String::new();
                for k in &self.order {
                    if let Some(v) = self.vars.get(k) {
                        text.push_str(&format!("{k}={v}\n"));
                    }
                }
                self.print(&text);
            }
            "printenv" => {
                let mut found = true;
                for k in args {
                    match self.vars.get(k).cloned() {
                        Some(v) => self.print(&format!("{v}\n")),
                        None => found = false,
                    }
                }
                self.status = i64::from(!found);
            }
            "export" | "readonly" | "local" => {
                for a in args {
                    if let Some((k, v)) = a.split_once('=') {
                        if is_name(k) {
                            self.set_var(k, v.to_string());
                        }
                    }
                }
            }
            "unset" => {
                for a in args {
                    self.vars.remove(a);
                }
            }
            "test" | "[" => {
                let mut args: Vec<&str> = args.iter().map(String::as_str).collect();
                if name == "[" {
                    if args.last() != Some(&"]") {
                        self.print("sh: missing ]\n");
                        self.status = 2;
                        return Flow::Normal;
                    }
                    args.pop();
                }
                self.status = match test(&args, &self.files) {
                    Some(true) => 0,
                    Some(false) => 1,
                    None => 2,
                };
            }
            "touch" => {
                for a in args.iter().filter(|a| !a.starts_with('-')) {
                    self.files.entry(a.clone()).or_default();
                }
            }
            "rm" => {
                for a in args.iter().filter(|a| !a.starts_with('-')) {
                    if self.files.remove(a).is_none()
                        && !args.iter().any(|f| f.starts_with('-') && f.contains('f'))
                    {
                        self.print(&format!(
                            "rm: can't remove '{a}': No such file or directory\n"
                        ));
                        self.status = 1;
                    }
                }
            }
            "cat" => {
                for a in args.iter().filter(|a| !a.starts_with('-')) {
                    match self.files.get(a).cloned() {
                        Some(text) => self.print(&text),
                        None => {
                            self.print(&format!(
                                "cat: can't open '{a}': No such file or directory\n"
                            ));
                            self.status = 1;
                        }
                    }
                }
            }
            "seq" => {
                let nums: Vec<i64> = args.iter().filter_map(|a| a.parse().ok()).collect();
                let (first, step, last) = match nums.as_slice() {
                    [last] => (1, 1, *last),
                    [first, last] => (*first, 1, *last),
                    [first, step, last] => (*first, *step, *last),
                    _ => (1, 1, 0),
                };
                let mut text = String::new();
                let mut i = first;
                while step != 0 && ((step > 0 && i <= last) || (step < 0 && i >= last)) {
                    if !self.step() {
                        return Flow::Stop;
                    }
                    text.push_str(&format!("{i}\n"));
                    i = i.saturating_add(step);
                }
                self.print(&text);
            }
            // Anything else (`nginx`, `wget`, `mkdir`…) runs without a visible effect.
            _ => {}
        }
        Flow::Normal
    }

    /// Lets `ms` of the container's clock pass; `u64::MAX` waits forever.
    fn wait(&mut self, ms: u64) -> Flow {
        if ms == u64::MAX || self.clock.saturating_add(ms) > self.horizon {
            self.clock = self.horizon;
            return Flow::Stop;
        }
        self.clock += ms;
        Flow::Normal
    }
}

/// A loop condition that cannot fail: `true`, `:`, `[ 1 ]`.
fn always_true(cond: &Node) -> bool {
    let Node::Seq(items) = cond else {
        return false;
    };
    let [Node::Simple {
        assigns,
        words,
        redirects,
    }] = items.as_slice()
    else {
        return false;
    };
    if !assigns.is_empty() || !redirects.is_empty() {
        return false;
    }
    let plain: Vec<Option<&str>> = words.iter().map(Word::plain).collect();
    matches!(
        plain.as_slice(),
        [Some("true" | ":")] | [Some("["), Some(_), Some("]")] | [Some("test"), Some(_)]
    ) && plain.iter().all(|w| w.is_some_and(|w| !w.is_empty()))
}

/// Whether a loop body may leave its loop: `break`, `exit` or a `return` anywhere in it.
fn leaves(node: &Node) -> bool {
    match node {
        Node::Simple { words, .. } => words.first().is_some_and(
            |w| !matches!(w.plain(), Some(x) if !matches!(x, "break" | "exit" | "return")),
        ),
        Node::Seq(items) | Node::Pipe(items) => items.iter().any(leaves),
        Node::And(a, b) | Node::Or(a, b) => leaves(a) || leaves(b),
        Node::Not(a) | Node::Group(a, _) => leaves(a),
        Node::Loop { cond, body, .. } => leaves(cond) || leaves(body),
        Node::For { body, .. } => leaves(body),
        Node::If {
            branches,
            otherwise,
        } => {
            branches.iter().any(|(c, b)| leaves(c) || leaves(b))
                || otherwise.as_deref().is_some_and(leaves)
        }
    }
}

/// `echo`'s options (busybox: `-n`, `-e`, `-E`), then the words.
fn echo_flags(args: &[String]) -> (bool, bool, &[String]) {
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
fn unescape(s: &str) -> (String, bool) {
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
fn printf(args: &[String]) -> String {
    let Some(format) = args.first() else {
        return String::new();
    };
    let (format, _) = unescape(format);
    let mut rest = args[1..].iter();
    let mut out = String::new();
    loop {
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
                        .and_then(|w| w.parse().ok())
                        .unwrap_or(0);
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
fn sleep_ms(a: &str) -> Option<u64> {
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
fn test(args: &[&str], files: &BTreeMap<String, String>) -> Option<bool> {
    match args {
        [] => Some(false),
        ["!", rest @ ..] => test(rest, files).map(|b| !b),
        [s] => Some(!s.is_empty()),
        ["-n", s] => Some(!s.is_empty()),
        ["-z", s] => Some(s.is_empty()),
        ["-e" | "-f" | "-r" | "-s", path] => Some(files.contains_key(*path)),
        ["-d", path] => Some(["/", "/tmp", "/etc", "/var", "/usr", "/root"].contains(path)),
        [a, op, b] => {
            let int = |s: &str| s.trim().parse::<i64>().ok();
            match *op {
                "=" | "==" => Some(a == b),
                "!=" => Some(a != b),
                "-eq" => Some(int(a)? == int(b)?),
                "-ne" => Some(int(a)? != int(b)?),
                "-lt" => Some(int(a)? < int(b)?),
                "-le" => Some(int(a)? <= int(b)?),
                "-gt" => Some(int(a)? > int(b)?),
                "-ge" => Some(int(a)? >= int(b)?),
                _ => None,
            }
        }
        _ => None,
    }
}

/// `$((…))`: integer arithmetic with variables, `+ - * / %`, comparisons and parentheses.
/// A malformed expression or a division by zero gives 0.
fn arith(expr: &str, sh: &Shell) -> i64 {
    let toks = arith_tokens(expr, sh);
    let mut pos = 0;
    arith_cmp(&toks, &mut pos).unwrap_or(0)
}

fn arith_tokens(expr: &str, sh: &Shell) -> Vec<String> {
    let mut toks = Vec::new();
    let chars: Vec<char> = expr.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c.is_ascii_alphanumeric() || c == '_' || c == '$' {
            let start = if c == '$' { i + 1 } else { i };
            let mut j = start;
            while j < chars.len() && (chars[j].is_ascii_alphanumeric() || chars[j] == '_') {
                j += 1;
            }
            let word: String = chars[start..j].iter().collect();
            if word.chars().all(|c| c.is_ascii_digit()) {
                toks.push(word);
            } else {
                let v = sh.var(&word);
                toks.push(v.trim().parse::<i64>().unwrap_or(0).to_string());
            }
            i = j.max(i + 1);
        } else {
            let two: String = chars[i..chars.len().min(i + 2)].iter().collect();
            if ["<=", ">=", "==", "!="].contains(&two.as_str()) {
                toks.push(two);
                i += 2;
            } else {
                toks.push(c.to_string());
                i += 1;
            }
        }
    }
    toks
}

fn arith_cmp(t: &[String], pos: &mut usize) -> Option<i64> {
    let left = arith_sum(t, pos)?;
    let op = t.get(*pos).map(String::as_str);
    let cmp = |f: fn(&i64, &i64) -> bool, pos: &mut usize| -> Option<i64> {
        *pos += 1;
        let right = arith_sum(t, pos)?;
        Some(i64::from(f(&left, &right)))
    };
    match op {
        Some("<") => cmp(i64::lt, pos),
        Some(">") => cmp(i64::gt, pos),
        Some("<=") => cmp(i64::le, pos),
        Some(">=") => cmp(i64::ge, pos),
        Some("==") => cmp(i64::eq, pos),
        Some("!=") => cmp(i64::ne, pos),
        _ => Some(left),
    }
}

fn arith_sum(t: &[String], pos: &mut usize) -> Option<i64> {
    let mut v = arith_product(t, pos)?;
    while let Some(op @ ("+" | "-")) = t.get(*pos).map(String::as_str) {
        *pos += 1;
        let r = arith_product(t, pos)?;
        v = if op == "+" {
            v.wrapping_add(r)
        } else {
            v.wrapping_sub(r)
        };
    }
    Some(v)
}

fn arith_product(t: &[String], pos: &mut usize) -> Option<i64> {
    let mut v = arith_unary(t, pos)?;
    while let Some(op @ ("*" | "/" | "%")) = t.get(*pos).map(String::as_str) {
        *pos += 1;
        let r = arith_unary(t, pos)?;
        v = match op {
            "*" => v.wrapping_mul(r),
            "/" => v.checked_div(r)?,
            _ => v.checked_rem(r)?,
        };
    }
    Some(v)
}

fn arith_unary(t: &[String], pos: &mut usize) -> Option<i64> {
    let tok = t.get(*pos)?.as_str();
    *pos += 1;
    match tok {
        "-" => arith_unary(t, pos).map(i64::wrapping_neg),
        "+" => arith_unary(t, pos),
        "(" => {
            let v = arith_cmp(t, pos)?;
            (t.get(*pos).map(String::as_str) == Some(")")).then(|| *pos += 1)?;
            Some(v)
        }
        n => n.parse().ok(),
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn sh(script: &str, horizon: u64) -> Outcome {
        let env = Env {
            vars: vec![("HOSTNAME".into(), "web-1".into())],
            started: Time::ZERO,
        };
        run(
            &["sh".into(), "-c".into(), script.into()],
            &env,
            horizon,
            true,
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
            false,
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
                true,
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
}
