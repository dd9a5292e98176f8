//! The shell language: words with their quoting and expansions, redirections, and the
//! command tree (`;` lists, `&&`/`||` chains, pipelines, `while`/`until`/`for`/`if`, groups and
//! subshells). Syntax errors carry busybox's wording (`unexpected end of file (expecting
//! "done")`). Nesting is bounded, so no input can exhaust the stack.

use super::MAX_DEPTH;

/// One piece of a word.
#[derive(Debug, Clone, PartialEq)]
pub enum Part {
    /// Unquoted text.
    Lit(String),
    /// Quoted or escaped text: never split.
    Quoted(String),
    /// `$NAME`, `${NAME…}`, `$?`: the parameter, what to do with it, and whether it was quoted.
    Param(Param, bool),
    /// `$((…))`.
    Arith(String, bool),
    /// `$(…)` or `` `…` ``.
    Subst(String, bool),
}

/// A parameter expansion.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    pub name: String,
    pub op: ParamOp,
    /// The word after the operator (`hello` in `${V:-hello}`), as written.
    pub word: String,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ParamOp {
    Plain,
    /// `${#V}`.
    Length,
    /// `${V-w}` / `${V:-w}` (with the colon, an empty value counts as unset).
    Default(bool),
    /// `${V=w}` / `${V:=w}`.
    Assign(bool),
    /// `${V+w}` / `${V:+w}`.
    Alternative(bool),
    /// `${V?w}` / `${V:?w}`: unset (or, with the colon, empty) ends the shell with `w`.
    Error(bool),
    /// `${V#p}`, `${V##p}` (`suffix` false) and `${V%p}`, `${V%%p}`: the value without the
    /// shortest (or `longest`) prefix or suffix the pattern matches.
    Trim {
        suffix: bool,
        longest: bool,
    },
    /// `${V:offset}`, `${V:offset:length}` (ash's, as bash's): part of the value.
    Substring,
    /// `${V/p/r}` (the first match), `${V//p/r}` (every one). busybox ash has no `/#` or
    /// `/%` anchors: those characters are the pattern's.
    Replace {
        all: bool,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Word(pub Vec<Part>);

impl Word {
    /// The word as written when it is plain unquoted text (`do`, `done`, `[`...).
    pub fn plain(&self) -> Option<&str> {
        match self.0.as_slice() {
            [Part::Lit(s)] => Some(s),
            _ => None,
        }
    }
}

/// `N>FILE`, `N>>FILE`, `N<FILE`, `N>&M`.
#[derive(Debug, Clone, PartialEq)]
pub struct Redirect {
    pub fd: u32,
    pub op: RedirectOp,
    pub target: Word,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum RedirectOp {
    Out,
    Append,
    In,
    /// `>&` / `<&`: a copy of another descriptor.
    Dup,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Simple {
        assigns: Vec<(String, Word)>,
        words: Vec<Word>,
        redirects: Vec<Redirect>,
    },
    Seq(Vec<Node>),
    /// A chain `a && b || c`: the first command, then each operator (`true` for `&&`) with
    /// the command after it.
    AndOr(Box<Node>, Vec<(bool, Node)>),
    Not(Box<Node>),
    Pipe(Vec<Node>),
    Loop {
        cond: Box<Node>,
        body: Box<Node>,
        until: bool,
        /// `while true` with nothing in the body that leaves the loop: it never ends.
        endless: bool,
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
    /// `{ …; }`, or `( … )` when the flag says it runs in a subshell.
    Group(Box<Node>, bool, Vec<Redirect>),
    /// `case WORD in PATTERN|PATTERN) LIST ;; … esac`.
    Case(Word, Vec<(Vec<Word>, Node)>),
    /// `NAME() COMMAND`: a function's definition (shared, as every call runs it).
    Function(String, std::rc::Rc<Node>),
    /// `COMMAND &`: a job the shell starts without waiting for it.
    Background(Box<Node>),
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Word(Word),
    Op(&'static str),
    Redirect(u32, RedirectOp),
}

fn tokenize(s: &str) -> Result<Vec<Tok>, String> {
    let chars: Vec<char> = s.chars().collect();
    let mut toks = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            ' ' | '\t' | '\r' => i += 1,
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
            '<' | '>' => {
                let (tok, next) = redirect_op(&chars, i, None);
                toks.push(tok);
                i = next;
            }
            // `&>FILE` and `&>>FILE`: standard output and error both (ash has them).
            '&' if chars.get(i + 1) == Some(&'>') => {
                let (tok, next) = redirect_op(&chars, i + 1, Some(BOTH));
                toks.push(tok);
                i = next;
            }
            ';' | '&' | '|' | '(' | ')' => {
                let two = (c, chars.get(i + 1).copied());
                let op = match two {
                    ('&', Some('&')) => "&&",
                    ('|', Some('|')) => "||",
                    (';', Some(';')) => ";;",
                    (';', _) => ";",
                    ('&', _) => "&",
                    ('|', _) => "|",
                    ('(', _) => "(",
                    _ => ")",
                };
                i += op.len();
                toks.push(Tok::Op(op));
            }
            _ => {
                let (word, next) = read_word(&chars, i)?;
                i = next;
                // `2>`, `1>&2`: digits right before `<` or `>` name a descriptor.
                if let Some(fd) = word
                    .plain()
                    .filter(|w| w.len() <= 2 && w.chars().all(|c| c.is_ascii_digit()))
                    .and_then(|w| w.parse::<u32>().ok())
                {
                    if matches!(chars.get(i), Some('<' | '>')) {
                        let (tok, next) = redirect_op(&chars, i, Some(fd));
                        toks.push(tok);
                        i = next;
                        continue;
                    }
                }
                toks.push(Tok::Word(word));
            }
        }
    }
    Ok(toks)
}

/// The descriptor of `&>`: standard output and error together.
const BOTH: u32 = u32::MAX;

/// The redirection operator at `i` (`>`, `>>`, `<`, `>&`, `<&`, and `>|`).
fn redirect_op(chars: &[char], i: usize, fd: Option<u32>) -> (Tok, usize) {
    let out = chars[i] == '>';
    let (op, len) = match (chars[i], chars.get(i + 1)) {
        ('>', Some('>')) => (RedirectOp::Append, 2),
        ('>', Some('&')) | ('<', Some('&')) => (RedirectOp::Dup, 2),
        ('>', Some('|')) => (RedirectOp::Out, 2),
        ('>', _) => (RedirectOp::Out, 1),
        _ => (RedirectOp::In, 1),
    };
    (
        Tok::Redirect(fd.unwrap_or(if out { 1 } else { 0 }), op),
        i + len,
    )
}

/// Reads one word from `i`: quotes, escapes and `$` expansions, up to a blank or operator.
pub fn read_word(chars: &[char], mut i: usize) -> Result<(Word, usize), String> {
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
            ' ' | '\t' | '\r' | '\n' | ';' | '&' | '|' | '(' | ')' | '<' | '>' => break,
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
                i = read_double_quoted(chars, i + 1, &mut parts)?;
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

/// The inside of `"…"` from `i`; returns the index after the closing quote.
fn read_double_quoted(
    chars: &[char],
    mut i: usize,
    parts: &mut Vec<Part>,
) -> Result<usize, String> {
    let mut q = String::new();
    loop {
        let Some(&c) = chars.get(i) else {
            return Err("unterminated quoted string".into());
        };
        match c {
            '"' => {
                parts.push(Part::Quoted(q));
                return Ok(i + 1);
            }
            '\\' if matches!(chars.get(i + 1), Some('"' | '\\' | '$' | '`')) => {
                q.push(chars[i + 1]);
                i += 2;
            }
            '\\' if chars.get(i + 1) == Some(&'\n') => i += 2,
            '$' | '`' => match read_dollar(chars, i, true)? {
                Some((part, next)) => {
                    parts.push(Part::Quoted(std::mem::take(&mut q)));
                    parts.push(part);
                    i = next;
                }
                None => {
                    q.push('$');
                    i += 1;
                }
            },
            _ => {
                q.push(c);
                i += 1;
            }
        }
    }
}

/// An expansion at `i` (`$NAME`, `${…}`, `$?`, `$((…))`, `$(…)`, `` `…` ``), or `None` for a
/// `$` that starts none.
fn read_dollar(chars: &[char], i: usize, quoted: bool) -> Result<Option<(Part, usize)>, String> {
    // The matching close of a bracket opened before `from`; quotes inside are skipped.
    let closing = |from: usize, open: char, close: char| -> Result<usize, String> {
        let mut depth = 1;
        let mut j = from;
        while j < chars.len() {
            match chars[j] {
                '\\' => j += 1,
                '\'' if open == '(' => {
                    j += chars[j + 1..]
                        .iter()
                        .position(|&x| x == '\'')
                        .map_or(chars.len(), |p| p + 1);
                }
                c if c == open => depth += 1,
                c if c == close => {
                    depth -= 1;
                    if depth == 0 {
                        return Ok(j);
                    }
                }
                _ => {}
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
    let name_end = |from: usize| {
        let mut j = from;
        while j < chars.len() && (chars[j].is_ascii_alphanumeric() || chars[j] == '_') {
            j += 1;
        }
        j
    };
    let plain = |name: String| Param {
        name,
        op: ParamOp::Plain,
        word: String::new(),
    };
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
            let inner = &chars[i + 2..end];
            let param = match inner {
                ['#', rest @ ..] if !rest.is_empty() => Param {
                    name: rest.iter().collect(),
                    op: ParamOp::Length,
                    word: String::new(),
                },
                _ => {
                    let n = name_end(i + 2).max(
                        i + 2 + usize::from(inner.first().is_some_and(|c| "?$#@*!".contains(*c))),
                    );
                    let name: String = chars[i + 2..n.min(end)].iter().collect();
                    let rest = &chars[n.min(end)..end];
                    let (colon, rest) = match rest {
                        [':', r @ ..] => (true, r),
                        r => (false, r),
                    };
                    let (op, skip) = match (colon, rest) {
                        (_, ['-', ..]) => (ParamOp::Default(colon), 1),
                        (_, ['=', ..]) => (ParamOp::Assign(colon), 1),
                        (_, ['+', ..]) => (ParamOp::Alternative(colon), 1),
                        (_, ['?', ..]) => (ParamOp::Error(colon), 1),
                        (false, [c @ ('#' | '%'), more @ ..]) => {
                            let longest = more.first() == Some(c);
                            let op = ParamOp::Trim {
                                suffix: *c == '%',
                                longest,
                            };
                            (op, 1 + usize::from(longest))
                        }
                        (false, ['/', more @ ..]) => {
                            let all = more.first() == Some(&'/');
                            (ParamOp::Replace { all }, 1 + usize::from(all))
                        }
                        (true, [_, ..]) => (ParamOp::Substring, 0),
                        // Anything else: the value as it is.
                        _ => (ParamOp::Plain, rest.len()),
                    };
                    let word = rest[skip..].iter().collect();
                    Param { name, op, word }
                }
            };
            Ok(Some((Part::Param(param, quoted), end + 1)))
        }
        Some(&c) if "?$#@*!".contains(c) || c.is_ascii_digit() => {
            Ok(Some((Part::Param(plain(c.to_string()), quoted), i + 2)))
        }
        Some(&c) if c.is_ascii_alphabetic() || c == '_' => {
            let j = name_end(i + 1);
            Ok(Some((
                Part::Param(plain(chars[i + 1..j].iter().collect()), quoted),
                j,
            )))
        }
        _ => Ok(None),
    }
}

/// Parses a script into one command list.
pub fn parse(script: &str) -> Result<Node, String> {
    let toks = tokenize(script)?;
    let mut p = Parser {
        toks,
        pos: 0,
        depth: 0,
        seen_function: false,
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
        Tok::Redirect(..) => "redirection".into(),
        // ash's `tokname`: reserved words by name, any other word as `word`.
        Tok::Word(w) => match w.plain().filter(|p| RESERVED.contains(p)) {
            Some(p) => format!("\"{p}\""),
            None => "word".into(),
        },
    }
}

/// The shell's reserved words.
const RESERVED: &[&str] = &[
    "!", "{", "}", "case", "do", "done", "elif", "else", "esac", "fi", "for", "if", "in", "then",
    "until", "while",
];

struct Parser {
    toks: Vec<Tok>,
    pos: usize,
    depth: usize,
    /// A function was defined before this point: a loop that calls one may end by it.
    seen_function: bool,
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

    fn unexpected(&self) -> String {
        match self.toks.get(self.pos) {
            Some(t) => format!("unexpected {}", describe(t)),
            None => "unexpected end of file".into(),
        }
    }

    fn expect(&mut self, keyword: &str) -> Result<(), String> {
        self.skip_newlines();
        if self.peek_word() == Some(keyword) {
            self.pos += 1;
            return Ok(());
        }
        Err(format!("{} (expecting \"{keyword}\")", self.unexpected()))
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
                _ if self.pos >= self.toks.len() => break,
                _ => {}
            }
            let item = self.and_or()?;
            match self.peek_op() {
                Some("&") => {
                    self.pos += 1;
                    items.push(Node::Background(Box::new(item)));
                }
                Some(";" | "\n") => {
                    self.pos += 1;
                    items.push(item);
                }
                _ => {
                    items.push(item);
                    break;
                }
            }
        }
        self.depth -= 1;
        Ok(Node::Seq(items))
    }

    fn and_or(&mut self) -> Result<Node, String> {
        let first = self.pipeline()?;
        let mut rest = Vec::new();
        while let Some(op @ ("&&" | "||")) = self.peek_op() {
            self.pos += 1;
            self.skip_newlines();
            rest.push((op == "&&", self.pipeline()?));
        }
        Ok(if rest.is_empty() {
            first
        } else {
            Node::AndOr(Box::new(first), rest)
        })
    }

    fn pipeline(&mut self) -> Result<Node, String> {
        let mut negate = false;
        while self.peek_word() == Some("!") {
            negate = !negate;
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
            (Some(kw @ ("while" | "until")), _) => {
                let until = kw == "until";
                self.pos += 1;
                let cond = self.list(&["do"])?;
                self.expect("do")?;
                let body = self.list(&["done"])?;
                self.expect("done")?;
                let endless = !until
                    && super::always_true(&cond)
                    && !super::leaves(&body)
                    && !self.seen_function;
                Ok(Node::Loop {
                    cond: Box::new(cond),
                    body: Box::new(body),
                    until,
                    endless,
                })
            }
            (Some("for"), _) => self.for_loop(),
            (Some("if"), _) => self.if_clause(),
            (Some("{"), _) => {
                self.pos += 1;
                let body = self.list(&["}"])?;
                self.expect("}")?;
                let redirects = self.redirects()?;
                Ok(Node::Group(Box::new(body), false, redirects))
            }
            (_, Some("(")) => {
                self.pos += 1;
                let body = self.list(&[])?;
                if self.peek_op() != Some(")") {
                    return Err(format!("{} (expecting \")\")", self.unexpected()));
                }
                self.pos += 1;
                let redirects = self.redirects()?;
                Ok(Node::Group(Box::new(body), true, redirects))
            }
            (Some("case"), _) => self.case_clause(),
            (Some(name), _)
                if is_name(name)
                    && !KEYWORDS.contains(&name)
                    && matches!(self.toks.get(self.pos + 1), Some(Tok::Op("(")))
                    && matches!(self.toks.get(self.pos + 2), Some(Tok::Op(")"))) =>
            {
                let name = name.to_string();
                self.pos += 3;
                self.skip_newlines();
                // Definitions inside definitions nest like any other command.
                self.depth += 1;
                if self.depth > MAX_DEPTH {
                    return Err("nested too deeply".into());
                }
                let body = self.command()?;
                self.depth -= 1;
                self.seen_function = true;
                Ok(Node::Function(name, std::rc::Rc::new(body)))
            }
            (Some(w), _) if KEYWORDS.contains(&w) => Err(format!("unexpected \"{w}\"")),
            _ => self.simple(),
        }
    }

    fn for_loop(&mut self) -> Result<Node, String> {
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

    fn case_clause(&mut self) -> Result<Node, String> {
        self.pos += 1;
        let Some(Tok::Word(word)) = self.toks.get(self.pos).cloned() else {
            return Err(self.unexpected());
        };
        self.pos += 1;
        self.expect("in")?;
        let mut arms = Vec::new();
        loop {
            self.skip_newlines();
            if self.peek_word() == Some("esac") {
                self.pos += 1;
                break;
            }
            if self.peek_op() == Some("(") {
                self.pos += 1;
            }
            let mut patterns = Vec::new();
            while let Some(Tok::Word(w)) = self.toks.get(self.pos).cloned() {
                patterns.push(w);
                self.pos += 1;
                if self.peek_op() != Some("|") {
                    break;
                }
                self.pos += 1;
            }
            if patterns.is_empty() || self.peek_op() != Some(")") {
                return Err(format!("{} (expecting \")\")", self.unexpected()));
            }
            self.pos += 1;
            let body = self.list(&["esac"])?;
            arms.push((patterns, body));
            if self.peek_op() == Some(";;") {
                self.pos += 1;
            } else {
                self.expect("esac")?;
                break;
            }
        }
        Ok(Node::Case(word, arms))
    }

    fn if_clause(&mut self) -> Result<Node, String> {
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

    fn redirects(&mut self) -> Result<Vec<Redirect>, String> {
        let mut out = Vec::new();
        while self.redirect(&mut out)? {}
        Ok(out)
    }

    /// Reads one redirection into `out`, if one comes next.
    fn redirect(&mut self, out: &mut Vec<Redirect>) -> Result<bool, String> {
        let Some(Tok::Redirect(fd, op)) = self.toks.get(self.pos).cloned() else {
            return Ok(false);
        };
        self.pos += 1;
        let Some(Tok::Word(target)) = self.toks.get(self.pos).cloned() else {
            return Err(self.unexpected());
        };
        self.pos += 1;
        if fd == BOTH {
            // `&>FILE` is `>FILE 2>&1`.
            out.push(Redirect { fd: 1, op, target });
            let one = Word(vec![Part::Lit("1".into())]);
            out.push(Redirect {
                fd: 2,
                op: RedirectOp::Dup,
                target: one,
            });
        } else {
            out.push(Redirect { fd, op, target });
        }
        Ok(true)
    }

    fn simple(&mut self) -> Result<Node, String> {
        let mut assigns = Vec::new();
        let mut words = Vec::new();
        let mut redirects = Vec::new();
        loop {
            if self.redirect(&mut redirects)? {
                continue;
            }
            let Some(Tok::Word(w)) = self.toks.get(self.pos) else {
                break;
            };
            if words.is_empty() {
                if let Some(a) = assignment(w) {
                    assigns.push(a);
                    self.pos += 1;
                    continue;
                }
            }
            words.push(w.clone());
            self.pos += 1;
        }
        if assigns.is_empty() && words.is_empty() && redirects.is_empty() {
            return Err(self.unexpected());
        }
        Ok(Node::Simple {
            assigns,
            words,
            redirects,
        })
    }
}

pub fn is_name(s: &str) -> bool {
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
