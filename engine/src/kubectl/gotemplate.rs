//! kubectl's Go templates (`-o go-template=…`, `-o template=…`, `--template=…`): the part of
//! Go's text/template that tutorials and scripts use, run over the object as kubectl hands
//! it to the template engine (its JSON decoded into maps, lists, strings, int64 or float64
//! numbers, booleans and nil; k8s-semantics.md §9).
//!
//! Actions: pipelines with `|`, variables (`$`, `$x := …`, `$x = …`), `if`/`else if`/`with`/
//! `else with`/`else`, `range` (with `$i, $e :=`, `else`, `break`, `continue`), comments and
//! the `{{-`/`-}}` trim markers. Functions: text/template's `and`, `or`, `not`, `eq`, `ne`,
//! `lt`, `le`, `gt`, `ge`, `index`, `len`, `print`, `printf`, `println`, and kubectl's
//! `exists` and `base64decode`. Missing map keys print `<no value>`, as kubectl allows
//! missing template keys by default.

use crate::api::json::go_format;
use serde_yaml::{Mapping, Value};
use std::borrow::Cow;

/// The template's name in Go's messages: kubectl calls it "output".
const NAME: &str = "output";

/// Templates whose actions or parentheses nest deeper than this are refused: parsing and
/// running recurse, and a hostile template must not exhaust the stack.
const MAX_DEPTH: usize = 32;

/// Most bytes one run writes or builds in strings, and most steps (actions and loop turns)
/// it takes: a hostile template must not fill a tab's memory or hang it.
const MAX_OUTPUT: usize = 8 << 20;
const MAX_STEPS: usize = 10_000_000;

/// A parsed template and the text it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct GoTemplate {
    nodes: Vec<Node>,
    raw: String,
}

#[derive(Debug, Clone, PartialEq)]
enum Node {
    Text(String),
    /// `{{pipeline}}`: printed unless it declares or assigns variables.
    Action(Pipe),
    /// `{{if}}` (or `{{with}}`, which also moves dot), its body and its `else`.
    Cond {
        with: bool,
        pipe: Pipe,
        then: Vec<Node>,
        otherwise: Vec<Node>,
    },
    Range {
        pipe: Pipe,
        body: Vec<Node>,
        otherwise: Vec<Node>,
    },
    Break,
    Continue,
}

#[derive(Debug, Clone, PartialEq)]
struct Pipe {
    /// Variables declared (`:=`) or assigned (`=`) by the pipeline.
    vars: Vec<String>,
    assign: bool,
    cmds: Vec<Cmd>,
}

#[derive(Debug, Clone, PartialEq)]
struct Cmd {
    args: Vec<Arg>,
    /// Where it starts, and its arguments' text, for error messages.
    pos: usize,
    text: String,
}

#[derive(Debug, Clone, PartialEq)]
struct Arg {
    term: Term,
    /// Fields chained onto the term: `$x.a.b`, `(index .items 0).metadata`.
    fields: Vec<String>,
    /// Where it starts in the template, and its text, for error messages.
    pos: usize,
    text: String,
}

#[derive(Debug, Clone, PartialEq)]
enum Term {
    Dot,
    Var(String),
    Func(String),
    Const(Value),
    Nil,
    Sub(Box<Pipe>),
}

/// text/template's own functions and kubectl's two.
const FUNCS: &[&str] = &[
    "and",
    "or",
    "not",
    "eq",
    "ne",
    "lt",
    "le",
    "gt",
    "ge",
    "index",
    "len",
    "print",
    "printf",
    "println",
    "exists",
    "base64decode",
];

/// Functions Go or kubectl define that the simulator does not run.
const ABSENT_FUNCS: &[&str] = &["call", "html", "js", "slice", "urlquery"];

// ---- lexing ----

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Field(String),
    Dot,
    Var(String),
    Ident(String),
    Str(String),
    Num(String),
    Char(char),
    Open,
    Close,
    Bar,
    Declare,
    Assign,
    Comma,
}

/// A token, where it starts, and whether white space comes before it (`$x .a` is two
/// arguments, `$x.a` one).
#[derive(Debug, Clone)]
struct Token {
    tok: Tok,
    pos: usize,
    spaced: bool,
    text: String,
}

enum Item {
    Text(String),
    Action { tokens: Vec<Token>, pos: usize },
}

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

fn is_alnum(c: char) -> bool {
    c == '_' || c.is_alphanumeric()
}

/// Splits the template into text and actions, applying trim markers and dropping comments.
fn lex(src: &str) -> Result<Vec<Item>, (usize, String)> {
    let mut items = Vec::new();
    let mut i = 0;
    let mut trim_next = false;
    while i < src.len() {
        let Some(open) = src[i..].find("{{").map(|o| o + i) else {
            let text = &src[i..];
            let text = if trim_next {
                text.trim_start_matches(is_space)
            } else {
                text
            };
            items.push(Item::Text(text.to_string()));
            break;
        };
        let mut text = &src[i..open];
        if trim_next {
            text = text.trim_start_matches(is_space);
        }
        let mut start = open + 2;
        let after = &src[start..];
        if after.starts_with('-') && after[1..].starts_with(is_space) {
            text = text.trim_end_matches(is_space);
            start += 2;
        }
        if !text.is_empty() {
            items.push(Item::Text(text.to_string()));
        }
        let (tokens, end, trim) = lex_action(src, start)?;
        if !tokens.is_empty() || !is_comment(src, start) {
            items.push(Item::Action { tokens, pos: open });
        }
        trim_next = trim;
        i = end;
    }
    Ok(items)
}

/// A comment opens right after `{{` (or `{{- `).
fn is_comment(src: &str, start: usize) -> bool {
    src[start..].starts_with("/*")
}

/// Go's `%#U`: `U+002D '-'`, without the quoted character when it does not print.
fn go_rune(c: char) -> String {
    if c.is_control() {
        format!("U+{:04X}", c as u32)
    } else {
        format!("U+{:04X} '{c}'", c as u32)
    }
}

/// Whether an identifier, field or variable may end at the start of `rest` (`atTerminator`).
fn at_terminator(rest: &str) -> bool {
    match rest.chars().next() {
        None => true,
        Some(c) => {
            is_space(c) || matches!(c, '.' | ',' | '|' | ':' | ')' | '(') || rest.starts_with("}}")
        }
    }
}

/// The tokens of the action starting at `start`, the offset after its `}}`, and whether it
/// ends with a trim marker.
fn lex_action(src: &str, start: usize) -> Result<(Vec<Token>, usize, bool), (usize, String)> {
    let mut tokens = Vec::new();
    let mut i = start;
    let mut spaced = true;
    if is_comment(src, start) {
        let Some(end) = src[start + 2..].find("*/").map(|e| e + start + 4) else {
            return Err((start, "unclosed comment".into()));
        };
        let rest = &src[end..];
        if rest.starts_with("}}") {
            return Ok((tokens, end + 2, false));
        }
        if rest.starts_with(is_space) && rest[1..].starts_with("-}}") {
            return Ok((tokens, end + 4, true));
        }
        return Err((start, "comment ends before closing delimiter".into()));
    }
    loop {
        let rest = &src[i..];
        let Some(c) = rest.chars().next() else {
            return Err((start, "unclosed action".into()));
        };
        if rest.starts_with("}}") {
            return Ok((tokens, i + 2, false));
        }
        if is_space(c) {
            let ws = rest.len() - rest.trim_start_matches(is_space).len();
            if rest[ws..].starts_with("-}}") {
                return Ok((tokens, i + ws + 3, true));
            }
            i += ws;
            spaced = true;
            continue;
        }
        let pos = i;
        let (tok, len) = match c {
            '(' => (Tok::Open, 1),
            ')' => (Tok::Close, 1),
            '|' => (Tok::Bar, 1),
            ',' => (Tok::Comma, 1),
            '=' => (Tok::Assign, 1),
            ':' if rest.starts_with(":=") => (Tok::Declare, 2),
            ':' => return Err((pos, "expected :=".into())),
            '"' => {
                let (s, len) =
                    quoted(rest).ok_or((pos, "unterminated quoted string".to_string()))?;
                (Tok::Str(s), len)
            }
            '`' => {
                let end = rest[1..]
                    .find('`')
                    .ok_or((pos, "unterminated raw quoted string".to_string()))?;
                (Tok::Str(rest[1..=end].to_string()), end + 2)
            }
            '\'' => {
                let (s, len) = quoted_char(rest)
                    .ok_or((pos, "unterminated character constant".to_string()))?;
                (Tok::Char(s), len)
            }
            // `.5` is a number: field names cannot start with a digit.
            '.' if rest[1..].starts_with(|c: char| c.is_ascii_digit()) => {
                let len = number_len(rest);
                (Tok::Num(rest[..len].to_string()), len)
            }
            '.' => {
                let len = 1 + rest[1..].len() - rest[1..].trim_start_matches(is_alnum).len();
                if len == 1 {
                    (Tok::Dot, 1)
                } else {
                    (Tok::Field(rest[1..len].to_string()), len)
                }
            }
            '$' => {
                let len = 1 + rest[1..].len() - rest[1..].trim_start_matches(is_alnum).len();
                (Tok::Var(rest[..len].to_string()), len)
            }
            '+' | '-' | '0'..='9' => {
                let len = number_len(rest);
                (Tok::Num(rest[..len].to_string()), len)
            }
            c if is_alnum(c) => {
                let len = rest.len() - rest.trim_start_matches(is_alnum).len();
                (Tok::Ident(rest[..len].to_string()), len)
            }
            c => {
                return Err((
                    pos,
                    format!("unrecognized character in action: {}", go_rune(c)),
                ))
            }
        };
        // A name must end where a term may end: `.app-name` is `.app` and a bad `-`.
        let named = matches!(tok, Tok::Field(_) | Tok::Var(_) | Tok::Ident(_));
        if named && !at_terminator(&rest[len..]) {
            let bad = rest[len..].chars().next().unwrap_or(' ');
            return Err((pos, format!("bad character {}", go_rune(bad))));
        }
        tokens.push(Token {
            tok,
            pos,
            spaced,
            text: rest[..len].to_string(),
        });
        spaced = false;
        i += len;
    }
}

fn number_len(s: &str) -> usize {
    let mut len = 0;
    for (i, c) in s.char_indices() {
        let sign_ok = i == 0 || matches!(s[..i].chars().last(), Some('e' | 'E' | 'p' | 'P'));
        if c.is_ascii_alphanumeric() || c == '.' || c == '_' || (matches!(c, '+' | '-') && sign_ok)
        {
            len = i + c.len_utf8();
        } else {
            break;
        }
    }
    len
}

/// A Go interpreted string literal at the start of `s`: its value and length.
fn quoted(s: &str) -> Option<(String, usize)> {
    let mut out = String::new();
    let mut chars = s.char_indices().skip(1);
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Some((out, i + 1)),
            '\n' => return None,
            '\\' => {
                let (_, e) = chars.next()?;
                let hex = |chars: &mut std::iter::Skip<std::str::CharIndices>, n: usize| {
                    let mut v = 0u32;
                    for _ in 0..n {
                        v = v * 16 + chars.next()?.1.to_digit(16)?;
                    }
                    Some(v)
                };
                let c = match e {
                    'n' => '\n',
                    't' => '\t',
                    'r' => '\r',
                    'a' => '\u{7}',
                    'b' => '\u{8}',
                    'f' => '\u{c}',
                    'v' => '\u{b}',
                    '\\' => '\\',
                    '"' => '"',
                    'x' => char::from_u32(hex(&mut chars, 2)?)?,
                    'u' => char::from_u32(hex(&mut chars, 4)?)?,
                    'U' => char::from_u32(hex(&mut chars, 8)?)?,
                    '0'..='7' => {
                        let mut v = e.to_digit(8)?;
                        for _ in 0..2 {
                            v = v * 8 + chars.next()?.1.to_digit(8)?;
                        }
                        char::from_u32(v)?
                    }
                    _ => return None,
                };
                out.push(c);
            }
            c => out.push(c),
        }
    }
    None
}

fn quoted_char(s: &str) -> Option<(char, usize)> {
    // The closing quote is the first one no backslash escapes.
    let mut escaped = false;
    let end = 1 + s[1..].char_indices().find_map(|(i, c)| {
        let close = c == '\'' && !escaped;
        escaped = c == '\\' && !escaped;
        close.then_some(i)
    })?;
    let inner = &s[1..end];
    let c = if inner == "\\'" {
        '\''
    } else if inner.starts_with('\\') {
        let (text, _) = quoted(&format!("\"{inner}\""))?;
        let mut cs = text.chars();
        let c = cs.next()?;
        cs.next().is_none().then_some(c)?
    } else {
        let mut cs = inner.chars();
        let c = cs.next()?;
        cs.next().is_none().then_some(c)?
    };
    Some((c, end + 1))
}

// ---- parsing ----

struct Parser<'a> {
    src: &'a str,
    items: std::vec::IntoIter<Item>,
    /// Variables in scope, innermost last.
    vars: Vec<String>,
    /// How many `range` bodies the parser is in.
    ranges: usize,
    /// How many parentheses deep the parser is.
    parens: usize,
}

/// How a list of nodes ended.
enum Closer {
    Eof,
    End(usize),
    Else(Vec<Token>, usize),
}

type ParseResult<T> = Result<T, (usize, String)>;

impl GoTemplate {
    /// Parses a template, or gives Go's error (`template: output:1: unclosed action`).
    pub fn parse(src: &str) -> Result<GoTemplate, String> {
        let items = lex(src).map_err(|(pos, msg)| parse_error(src, pos, &msg))?;
        let mut p = Parser {
            src,
            items: items.into_iter(),
            vars: vec!["$".into()],
            ranges: 0,
            parens: 0,
        };
        let (nodes, end) = p
            .list(0)
            .map_err(|(pos, msg)| parse_error(src, pos, &msg))?;
        match end {
            Closer::Eof => Ok(GoTemplate {
                nodes,
                raw: src.to_string(),
            }),
            Closer::End(pos) => Err(parse_error(src, pos, "unexpected {{end}}")),
            Closer::Else(_, pos) => Err(parse_error(src, pos, "unexpected {{else}}")),
        }
    }
}

fn line_of(src: &str, pos: usize) -> usize {
    1 + src[..pos.min(src.len())].matches('\n').count()
}

fn parse_error(src: &str, pos: usize, msg: &str) -> String {
    format!("template: {NAME}:{}: {msg}", line_of(src, pos))
}

impl Parser<'_> {
    /// Nodes up to `{{end}}`, `{{else …}}` or the end of the template.
    fn list(&mut self, depth: usize) -> ParseResult<(Vec<Node>, Closer)> {
        if depth > MAX_DEPTH {
            return Err((0, "template nested too deeply".into()));
        }
        let mut nodes = Vec::new();
        while let Some(item) = self.items.next() {
            let (tokens, pos) = match item {
                Item::Text(t) => {
                    nodes.push(Node::Text(t));
                    continue;
                }
                Item::Action { tokens, pos } => (tokens, pos),
            };
            let keyword = match tokens.first().map(|t| &t.tok) {
                Some(Tok::Ident(k)) => k.as_str(),
                _ => "",
            };
            match keyword {
                "end" => {
                    self.no_args(&tokens, "end")?;
                    return Ok((nodes, Closer::End(pos)));
                }
                "else" => return Ok((nodes, Closer::Else(tokens[1..].to_vec(), pos))),
                "if" | "with" | "range" => {
                    let node = self.control(keyword, &tokens[1..], pos, depth)?;
                    nodes.push(node);
                }
                "break" | "continue" => {
                    if self.ranges == 0 {
                        return Err((pos, format!("{{{{{keyword}}}}} outside {{{{range}}}}")));
                    }
                    self.no_args(&tokens, keyword)?;
                    nodes.push(if keyword == "break" {
                        Node::Break
                    } else {
                        Node::Continue
                    });
                }
                "define" | "template" | "block" => {
                    return Err((
                        pos,
                        format!("{{{{{keyword}}}}} is not available in this simulator"),
                    ))
                }
                _ => nodes.push(Node::Action(self.pipeline(&tokens, pos, "command", false)?)),
            }
        }
        Ok((nodes, Closer::Eof))
    }

    fn no_args(&self, tokens: &[Token], keyword: &str) -> ParseResult<()> {
        match tokens.get(1) {
            Some(t) => Err((t.pos, format!("unexpected {} in {keyword}", describe(t)))),
            None => Ok(()),
        }
    }

    /// `if`, `with` or `range`: its pipeline, body, and `else` branch (`else if` and `else
    /// with` nest as Go parses them).
    fn control(
        &mut self,
        keyword: &str,
        tokens: &[Token],
        pos: usize,
        depth: usize,
    ) -> ParseResult<Node> {
        let mark = self.vars.len();
        let pipe = self.pipeline(tokens, pos, keyword, keyword == "range")?;
        let range = usize::from(keyword == "range");
        self.ranges += range;
        let body = self.list(depth + 1);
        self.ranges -= range;
        let (body, end) = body?;
        let otherwise = match end {
            Closer::Eof => return Err((self.src.len(), "unexpected EOF".into())),
            Closer::End(_) => Vec::new(),
            Closer::Else(rest, else_pos) => {
                let chained = match rest.first().map(|t| &t.tok) {
                    Some(Tok::Ident(k)) if k == keyword && k != "range" => true,
                    // Go leaves the `if` pending and finds it where text or `{{` should be.
                    Some(Tok::Ident(k)) if k == "if" || k == "with" => {
                        return Err((else_pos, format!("unexpected <{k}> in input")))
                    }
                    Some(_) => {
                        return Err((
                            else_pos,
                            format!("unexpected {} in else", describe(&rest[0])),
                        ))
                    }
                    None => false,
                };
                if chained {
                    // `{{else if x}}…{{end}}` is `{{else}}{{if x}}…{{end}}{{end}}`, sharing the
                    // end; the first pipeline's variables stay in scope until it.
                    vec![self.control(keyword, &rest[1..], else_pos, depth + 1)?]
                } else {
                    let (otherwise, end) = self.list(depth + 1)?;
                    match end {
                        Closer::End(_) => otherwise,
                        Closer::Eof => return Err((self.src.len(), "unexpected EOF".into())),
                        Closer::Else(_, p) => {
                            return Err((p, "expected end; found {{else}}".into()))
                        }
                    }
                }
            }
        };
        self.vars.truncate(mark);
        let with = keyword == "with";
        Ok(match keyword {
            "range" => Node::Range {
                pipe,
                body,
                otherwise,
            },
            _ => Node::Cond {
                with,
                pipe,
                then: body,
                otherwise,
            },
        })
    }

    fn pipeline(
        &mut self,
        tokens: &[Token],
        pos: usize,
        context: &str,
        range: bool,
    ) -> ParseResult<Pipe> {
        let mut vars = Vec::new();
        let mut assign = false;
        let mut rest = tokens;
        // `$x :=`, `$x =`, and in a range `$i, $e :=`.
        if let [Token {
            tok: Tok::Var(v), ..
        }, next, ..] = tokens
        {
            match &next.tok {
                Tok::Declare | Tok::Assign => {
                    assign = next.tok == Tok::Assign;
                    vars.push(v.clone());
                    rest = &tokens[2..];
                }
                Tok::Comma if range => {
                    if let [_, _, Token {
                        tok: Tok::Var(e), ..
                    }, Token {
                        tok: Tok::Declare | Tok::Assign,
                        ..
                    }, ..] = tokens
                    {
                        assign = tokens[3].tok == Tok::Assign;
                        vars.push(v.clone());
                        vars.push(e.clone());
                        rest = &tokens[4..];
                    } else {
                        return Err((next.pos, "range can only initialize variables".into()));
                    }
                }
                _ => {}
            }
        }
        let mut cmds = Vec::new();
        let mut i = 0;
        while i < rest.len() {
            let (cmd, next) = self.command(rest, i)?;
            cmds.push(cmd);
            i = next;
            match rest.get(i).map(|t| &t.tok) {
                Some(Tok::Bar) => {
                    i += 1;
                    if i >= rest.len() {
                        return Err((pos, "missing command after |".into()));
                    }
                }
                Some(_) => {
                    return Err((
                        rest[i].pos,
                        format!("unexpected {} in {context}", describe(&rest[i])),
                    ))
                }
                None => {}
            }
        }
        if cmds.is_empty() {
            return Err((pos, format!("missing value for {context}")));
        }
        // `checkPipeline`: only the first command may be a constant or dot.
        for (stage, cmd) in cmds.iter().enumerate().skip(1) {
            let first = &cmd.args[0];
            let constant = matches!(first.term, Term::Const(_) | Term::Nil)
                || (first.term == Term::Dot && first.fields.is_empty());
            if constant {
                return Err((
                    cmd.pos,
                    format!("non executable command in pipeline stage {}", stage + 1),
                ));
            }
        }
        if !assign {
            self.vars.extend(vars.iter().cloned());
        }
        Ok(Pipe { vars, assign, cmds })
    }

    /// One command: operands up to `|`, `)` or the end.
    fn command(&mut self, tokens: &[Token], mut i: usize) -> ParseResult<(Cmd, usize)> {
        let mut args = Vec::new();
        while i < tokens.len() && !matches!(tokens[i].tok, Tok::Bar | Tok::Close) {
            if !args.is_empty() && !tokens[i].spaced {
                return Err((
                    tokens[i].pos,
                    format!("unexpected {} in operand", describe(&tokens[i])),
                ));
            }
            let (arg, next) = self.operand(tokens, i)?;
            args.push(arg);
            i = next;
        }
        if args.is_empty() {
            let pos = tokens.get(i).map_or(0, |t| t.pos);
            return Err((pos, "missing value for command".into()));
        }
        let text = args
            .iter()
            .map(|a| a.text.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        Ok((
            Cmd {
                pos: args[0].pos,
                text,
                args,
            },
            i,
        ))
    }

    fn operand(&mut self, tokens: &[Token], i: usize) -> ParseResult<(Arg, usize)> {
        let t = &tokens[i];
        let mut next = i + 1;
        let mut fields = Vec::new();
        let term = match &t.tok {
            Tok::Dot => Term::Dot,
            Tok::Field(f) => {
                fields.push(f.clone());
                Term::Dot
            }
            Tok::Var(v) => {
                if !self.vars.contains(v) {
                    return Err((t.pos, format!("undefined variable \"{v}\"")));
                }
                Term::Var(v.clone())
            }
            Tok::Str(s) => Term::Const(Value::String(s.clone())),
            Tok::Char(c) => Term::Const(Value::Number((*c as i64).into())),
            Tok::Num(n) => {
                Term::Const(number(n).ok_or((t.pos, format!("bad number syntax: {n:?}")))?)
            }
            Tok::Ident(id) => match id.as_str() {
                "true" | "false" => Term::Const(Value::Bool(id == "true")),
                "nil" => Term::Nil,
                f if FUNCS.contains(&f) => Term::Func(f.into()),
                f if ABSENT_FUNCS.contains(&f) => {
                    return Err((
                        t.pos,
                        format!("function {f:?} is not available in this simulator"),
                    ))
                }
                f => return Err((t.pos, format!("function {f:?} not defined"))),
            },
            Tok::Open => {
                if self.parens >= MAX_DEPTH {
                    return Err((t.pos, "max expression depth exceeded".into()));
                }
                let end = closing(tokens, i).ok_or((t.pos, "unclosed left paren".to_string()))?;
                self.parens += 1;
                let inner =
                    self.pipeline(&tokens[i + 1..end], t.pos, "parenthesized pipeline", false);
                self.parens -= 1;
                next = end + 1;
                Term::Sub(Box::new(inner?))
            }
            _ => return Err((t.pos, format!("unexpected {} in operand", describe(t)))),
        };
        while let Some(Token {
            tok: Tok::Field(f),
            spaced: false,
            ..
        }) = tokens.get(next)
        {
            if matches!(term, Term::Const(_) | Term::Nil) || t.tok == Tok::Dot {
                let term = crate::api::schema::go_quote(&self.text(tokens, i, next));
                return Err((tokens[next].pos, format!("unexpected . after term {term}")));
            }
            fields.push(f.clone());
            next += 1;
        }
        let text = self.text(tokens, i, next);
        // Go gives a chain the position of its first chained field (`.b` in `.a.b`).
        let chained = fields.len() - usize::from(matches!(t.tok, Tok::Field(_)));
        let pos = if chained > 0 {
            tokens[next - chained].pos
        } else {
            t.pos
        };
        Ok((
            Arg {
                term,
                fields,
                pos,
                text,
            },
            next,
        ))
    }

    /// The template's text of tokens `from..to`.
    fn text(&self, tokens: &[Token], from: usize, to: usize) -> String {
        let last = &tokens[to - 1];
        self.src[tokens[from].pos..last.pos + last.text.len()].to_string()
    }
}

/// The index of the `)` closing the `(` at `open`.
fn closing(tokens: &[Token], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (i, t) in tokens.iter().enumerate().skip(open) {
        match t.tok {
            Tok::Open => depth += 1,
            Tok::Close => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

fn describe(t: &Token) -> String {
    const KEYWORDS: &[&str] = &[
        "block", "break", "continue", "define", "else", "end", "if", "nil", "range", "template",
        "with",
    ];
    if t.tok == Tok::Dot || KEYWORDS.contains(&t.text.as_str()) {
        return format!("<{}>", t.text);
    }
    // `%.10q...` for longer items.
    if t.text.chars().count() > 10 {
        let head: String = t.text.chars().take(10).collect();
        return format!("{}...", crate::api::schema::go_quote(&head));
    }
    crate::api::schema::go_quote(&t.text)
}

/// A Go number constant: integers (decimal, hex, octal, binary, with `_`) and floats.
fn number(text: &str) -> Option<Value> {
    let clean: String = text.chars().filter(|&c| c != '_').collect();
    let (neg, digits) = match clean.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, clean.strip_prefix('+').unwrap_or(&clean)),
    };
    let radix = |p: &str, r: u32| {
        digits
            .strip_prefix(p)
            .or_else(|| digits.strip_prefix(&p.to_uppercase()))
            .and_then(|d| i64::from_str_radix(d, r).ok())
    };
    let int = radix("0x", 16)
        .or_else(|| radix("0o", 8))
        .or_else(|| radix("0b", 2))
        .or_else(|| {
            let octal = digits.len() > 1 && digits.starts_with('0');
            if octal {
                i64::from_str_radix(&digits[1..], 8).ok()
            } else {
                digits.parse().ok()
            }
        });
    if let Some(i) = int {
        return Some(Value::Number((if neg { -i } else { i }).into()));
    }
    let f: f64 = digits.parse().ok().filter(|f: &f64| f.is_finite())?;
    Some(Value::Number((if neg { -f } else { f }).into()))
}

// ---- execution ----

/// A value during execution, as Go's reflection sees it: `v` is `None` for Go's invalid
/// value (what a missing map key gives); `boxed` when it is held in an `interface {}` (a map
/// value or list item not yet unwrapped by a pipeline), which Go's messages name as such;
/// `int` for Go's `int` (template constants, `len`, range indices) rather than JSON's `int64`.
#[derive(Debug, Clone)]
struct Val<'a> {
    v: Option<Cow<'a, Value>>,
    boxed: bool,
    int: bool,
}

impl<'a> Val<'a> {
    const MISSING: Val<'static> = Val {
        v: None,
        boxed: false,
        int: false,
    };

    fn held(v: &'a Value) -> Val<'a> {
        Val {
            v: Some(Cow::Borrowed(v)),
            boxed: true,
            int: false,
        }
    }

    fn own(v: Value) -> Val<'a> {
        Val {
            v: Some(Cow::Owned(v)),
            boxed: false,
            int: false,
        }
    }

    fn int(i: i64) -> Val<'a> {
        Val {
            int: true,
            ..Val::own(Value::Number(i.into()))
        }
    }

    fn bool(b: bool) -> Val<'a> {
        Val::own(Value::Bool(b))
    }

    /// The value a function receives for an `interface {}` parameter: a missing one is nil.
    fn value(&self) -> &Value {
        const NIL: &Value = &Value::Null;
        self.v.as_deref().unwrap_or(NIL)
    }

    /// A pipeline's result: Go takes the value out of its `interface {}`, and a nil one
    /// becomes invalid.
    fn unwrapped(self) -> Val<'a> {
        match self.v {
            Some(v) if v.is_null() => Val::MISSING,
            v => Val {
                v,
                boxed: false,
                ..self
            },
        }
    }

    /// The Go type of the value, as error messages name it.
    fn type_name(&self) -> &'static str {
        if self.boxed {
            "interface {}"
        } else {
            self.concrete_type()
        }
    }

    /// The type of the value inside its `interface {}`, as functions see it.
    fn concrete_type(&self) -> &'static str {
        match self.v.as_deref() {
            Some(Value::Number(n)) if self.int && !n.is_f64() => "int",
            Some(v) => go_type(v),
            None => "<nil>",
        }
    }

    /// A map value or list item of this value, held in an `interface {}`: borrowed from
    /// the object when this value is, a copy when the template made this value.
    fn child(&self, step: Step) -> Option<Val<'a>> {
        fn pick<'v>(v: &'v Value, step: Step) -> Option<&'v Value> {
            match (v, step) {
                (Value::Mapping(m), Step::Key(k)) => m.get(k),
                (Value::Sequence(s), Step::Item(i)) => s.get(i),
                _ => None,
            }
        }
        match &self.v {
            Some(Cow::Borrowed(v)) => pick(v, step).map(Val::held),
            Some(Cow::Owned(v)) => pick(v, step).map(|c| Val {
                boxed: true,
                ..Val::own(c.clone())
            }),
            None => None,
        }
    }

    /// `.name` on this value.
    fn field(self, name: &str) -> Result<Val<'a>, String> {
        match self.v.as_deref() {
            None => Ok(Val::MISSING),
            Some(Value::Mapping(_)) => Ok(self.child(Step::Key(name)).unwrap_or(Val::MISSING)),
            Some(v) if v.is_null() => Err(format!("nil pointer evaluating interface {{}}.{name}")),
            Some(_) => Err(format!(
                "can't evaluate field {name} in type {}",
                self.type_name()
            )),
        }
    }
}

/// Where a part of a value is: a map's key or a list's position.
#[derive(Clone, Copy)]
enum Step<'k> {
    Key(&'k str),
    Item(usize),
}

/// The Go type a decoded JSON value has.
fn go_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "interface {}",
        Value::Bool(_) => "bool",
        Value::Number(n) if n.is_f64() => "float64",
        Value::Number(_) => "int64",
        Value::String(_) => "string",
        Value::Sequence(_) => "[]interface {}",
        Value::Mapping(_) => "map[string]interface {}",
        Value::Tagged(t) => go_type(&t.value),
    }
}

/// How a list of nodes ended.
enum Flow {
    Normal,
    Break,
    Continue,
}

struct Exec<'a> {
    vars: Vec<(String, Val<'a>)>,
    out: String,
    /// Bytes of strings the run's functions built, and steps taken (see `MAX_OUTPUT`).
    made: usize,
    steps: usize,
    /// The node being evaluated, for error messages: its position and text.
    at: (usize, String),
}

type ExecResult<T> = Result<T, String>;

impl GoTemplate {
    /// The template run on `root`: its text, or what it wrote until an error and kubectl's
    /// report of it (`GoTemplatePrinter.PrintObj`: the report goes to standard output too).
    pub fn execute(&self, root: &Value) -> Result<String, (String, String)> {
        let dot = Val {
            boxed: false,
            ..Val::held(root)
        };
        let mut ex = Exec {
            vars: vec![("$".into(), dot.clone())],
            out: String::new(),
            made: 0,
            steps: 0,
            at: (0, String::new()),
        };
        match ex.list(&self.nodes, &dot) {
            Ok(_) => Ok(ex.out),
            Err(msg) => {
                let (pos, context) = &ex.at;
                let raw = &self.raw;
                let line = line_of(raw, *pos);
                let col = pos - raw[..*pos].rfind('\n').map_or(0, |n| n + 1);
                let err = format!(
                    "template: {NAME}:{line}:{col}: executing \"{NAME}\" at <{context}>: {msg}"
                );
                let data = crate::api::json::to_json_compact(root);
                let object = go_format(root, false);
                let mut out = ex.out;
                out.push_str(&format!(
                    "Error executing template: {err}. Printing more information for debugging the template:\n\ttemplate was:\n\t\t{raw}\n\traw data was:\n\t\t{data}\n\tobject given to template engine was:\n\t\t{object}\n\n"
                ));
                let quoted = crate::api::schema::go_quote(raw);
                Err((
                    out,
                    format!("error: error executing template {quoted}: {err}\n"),
                ))
            }
        }
    }
}

impl<'a> Exec<'a> {
    /// One more step of the run (an action, text or loop turn), within the budget.
    fn step(&mut self) -> ExecResult<()> {
        self.steps += 1;
        if self.steps > MAX_STEPS {
            return Err(format!("kubesim stops a template after {MAX_STEPS} steps"));
        }
        if self.out.len() + self.made > MAX_OUTPUT {
            return Err(OVER_BUDGET.into());
        }
        Ok(())
    }

    fn list(&mut self, nodes: &[Node], dot: &Val<'a>) -> ExecResult<Flow> {
        for node in nodes {
            self.step()?;
            let flow = match node {
                Node::Text(t) => {
                    self.out.push_str(t);
                    Flow::Normal
                }
                Node::Action(pipe) => {
                    let v = self.pipe(pipe, dot)?;
                    if pipe.vars.is_empty() {
                        match &v.v {
                            None => self.out.push_str("<no value>"),
                            Some(v) => self.out.push_str(&go_format(v, false)),
                        }
                    }
                    Flow::Normal
                }
                Node::Cond {
                    with,
                    pipe,
                    then,
                    otherwise,
                } => {
                    let mark = self.vars.len();
                    let v = self.pipe(pipe, dot)?;
                    let flow = if truth(&v) {
                        let inner = if *with { v } else { dot.clone() };
                        self.list(then, &inner)?
                    } else {
                        self.list(otherwise, dot)?
                    };
                    self.vars.truncate(mark);
                    flow
                }
                Node::Range {
                    pipe,
                    body,
                    otherwise,
                } => {
                    let mark = self.vars.len();
                    let flow = self.range(pipe, body, otherwise, dot);
                    self.vars.truncate(mark);
                    flow?
                }
                Node::Break => Flow::Break,
                Node::Continue => Flow::Continue,
            };
            if !matches!(flow, Flow::Normal) {
                return Ok(flow);
            }
        }
        Ok(Flow::Normal)
    }

    fn range(
        &mut self,
        pipe: &Pipe,
        body: &[Node],
        otherwise: &[Node],
        dot: &Val<'a>,
    ) -> ExecResult<Flow> {
        let v = self.commands(&pipe.cmds, dot)?;
        // As Go's pipeline, the declared variables first hold the value ranged over: that is
        // what `else` sees when there is nothing to range over.
        for name in &pipe.vars {
            self.bind(name, v.clone(), pipe.assign)?;
        }
        let mark = self.vars.len();
        // Binds the range's variables for one turn and runs the body; false on `break`.
        let turn = |ex: &mut Self, key: Val<'a>, item: Val<'a>| -> ExecResult<bool> {
            ex.step()?;
            ex.vars.truncate(mark);
            match pipe.vars.as_slice() {
                [e] => ex.bind(e, item.clone(), pipe.assign)?,
                [k, e] => {
                    ex.bind(k, key, pipe.assign)?;
                    ex.bind(e, item.clone(), pipe.assign)?;
                }
                _ => {}
            }
            Ok(!matches!(ex.list(body, &item)?, Flow::Break))
        };
        let ran = match v.v.as_deref() {
            None | Some(Value::Null) => false,
            Some(Value::Sequence(items)) => {
                for i in 0..items.len() {
                    let item = v.child(Step::Item(i)).unwrap_or(Val::MISSING);
                    if !turn(self, Val::int(i as i64), item)? {
                        break;
                    }
                }
                !items.is_empty()
            }
            Some(Value::Mapping(m)) => {
                for (k, _) in sorted(m) {
                    let item = v.child(Step::Key(&k)).unwrap_or(Val::MISSING);
                    if !turn(self, Val::own(Value::String(k)), item)? {
                        break;
                    }
                }
                !m.is_empty()
            }
            // Go ≥ 1.24 ranges over an integer from 0.
            Some(Value::Number(n)) if !n.is_f64() => {
                if pipe.vars.len() > 1 {
                    return Err(format!(
                        "can't use {n} to iterate over more than one variable"
                    ));
                }
                let count = n.as_i64().unwrap_or(0);
                for i in 0..count {
                    let int = Val {
                        int: v.int,
                        ..Val::int(i)
                    };
                    if !turn(self, int.clone(), int)? {
                        break;
                    }
                }
                count > 0
            }
            Some(other) => {
                return Err(format!(
                    "range can't iterate over {}",
                    go_format(other, false)
                ))
            }
        };
        if ran {
            Ok(Flow::Normal)
        } else {
            self.list(otherwise, dot)
        }
    }

    fn bind(&mut self, name: &str, v: Val<'a>, assign: bool) -> ExecResult<()> {
        if !assign {
            self.vars.push((name.to_string(), v));
            return Ok(());
        }
        match self.vars.iter_mut().rev().find(|(n, _)| n == name) {
            Some(slot) => {
                slot.1 = v;
                Ok(())
            }
            None => Err(format!("undefined variable: {name}")),
        }
    }

    /// A pipeline's commands, each given the value of the one before.
    fn commands(&mut self, cmds: &[Cmd], dot: &Val<'a>) -> ExecResult<Val<'a>> {
        let mut value: Option<Val<'a>> = None;
        for cmd in cmds {
            value = Some(self.command(cmd, dot, value)?.unwrapped());
        }
        Ok(value.unwrap_or(Val::MISSING))
    }

    fn pipe(&mut self, pipe: &Pipe, dot: &Val<'a>) -> ExecResult<Val<'a>> {
        let v = self.commands(&pipe.cmds, dot)?;
        for name in &pipe.vars {
            self.bind(name, v.clone(), pipe.assign)?;
        }
        Ok(v)
    }

    /// A command: a function call, or a single operand (which may not take a piped value).
    fn command(&mut self, cmd: &Cmd, dot: &Val<'a>, piped: Option<Val<'a>>) -> ExecResult<Val<'a>> {
        let first = &cmd.args[0];
        if let (Term::Func(f), true) = (&first.term, first.fields.is_empty()) {
            return self.call(f, first, cmd, dot, piped);
        }
        if cmd.args.len() == 1 && piped.is_none() {
            return self.arg(first, dot);
        }
        // Arguments to a field: Go looks the field up first, and a map's field takes none.
        if let Some((last, receiver)) = first.fields.split_last() {
            let mut head = first.clone();
            head.fields = receiver.to_vec();
            let v = self.arg(&head, dot)?;
            self.at = (first.pos, first.text.clone());
            return match v.v.as_deref() {
                None => Ok(Val::MISSING),
                Some(Value::Mapping(_)) => Err(format!("{last} is not a method but has arguments")),
                _ => v.field(last),
            };
        }
        self.at = (first.pos, first.text.clone());
        if matches!(first.term, Term::Nil) {
            return Err("nil is not a command".into());
        }
        Err(format!(
            "can't give argument to non-function {}",
            first.text
        ))
    }

    fn arg(&mut self, arg: &Arg, dot: &Val<'a>) -> ExecResult<Val<'a>> {
        let mut v = match &arg.term {
            Term::Dot => dot.clone(),
            Term::Var(name) => {
                let v = self
                    .vars
                    .iter()
                    .rev()
                    .find(|(n, _)| n == name)
                    .map_or(Val::MISSING, |(_, v)| v.clone());
                // A string a function built is copied with the variable: it counts again.
                if let Some(Cow::Owned(Value::String(s))) = &v.v {
                    self.made += s.len();
                    if self.out.len() + self.made > MAX_OUTPUT {
                        return Err(OVER_BUDGET.into());
                    }
                }
                v
            }
            Term::Const(c) => Val {
                int: matches!(c, Value::Number(n) if !n.is_f64()),
                ..Val::own(c.clone())
            },
            Term::Nil => Val::own(Value::Null),
            Term::Func(f) => {
                let cmd = Cmd {
                    args: vec![arg.clone()],
                    pos: arg.pos,
                    text: arg.text.clone(),
                };
                self.call(f, arg, &cmd, dot, None)?.unwrapped()
            }
            Term::Sub(p) => self.pipe(p, dot)?,
        };
        // As Go's `evalArg`, errors from here on are about this argument.
        self.at = (arg.pos, arg.text.clone());
        for f in &arg.fields {
            v = v.field(f)?;
        }
        Ok(v)
    }

    /// Calls a function: `ident` names it, `cmd` is the command whose arguments follow it.
    fn call(
        &mut self,
        name: &str,
        ident: &Arg,
        cmd: &Cmd,
        dot: &Val<'a>,
        piped: Option<Val<'a>>,
    ) -> ExecResult<Val<'a>> {
        let args = &cmd.args[1..];
        let count = args.len() + usize::from(piped.is_some());
        // Argument counts are checked before any argument is evaluated.
        if let Err(e) = arity(name, count) {
            self.at = (ident.pos, name.to_string());
            return Err(e);
        }
        // `and` and `or` evaluate their arguments only as far as needed.
        if name == "and" || name == "or" {
            let mut last = Val::MISSING;
            for a in args {
                last = self.arg(a, dot)?;
                if truth(&last) != (name == "and") {
                    return Ok(last);
                }
            }
            return Ok(piped.unwrap_or(last));
        }
        let mut values = Vec::with_capacity(count);
        for (i, a) in args.iter().enumerate() {
            let v = self.arg(a, dot)?;
            // A `string` parameter's argument is checked as it is evaluated.
            if i == 0 && matches!(name, "printf" | "base64decode") {
                string_arg(&v, a)?;
            }
            values.push(v);
        }
        if let Some(p) = piped {
            if values.is_empty() && matches!(name, "printf" | "base64decode") {
                self.at = (ident.pos, name.to_string());
                string_arg(&p, ident)?;
            }
            values.push(p);
        }
        self.at = (cmd.pos, cmd.text.clone());
        // A function builds at most what is left of the budget.
        let room = MAX_OUTPUT.saturating_sub(self.out.len() + self.made);
        let v = builtin(name, values, room).map_err(|e| {
            if e == OVER_BUDGET {
                e
            } else {
                format!("error calling {name}: {e}")
            }
        })?;
        if let Some(Value::String(s)) = v.v.as_deref() {
            self.made += s.len();
            // Checked at once, not only between actions: a pipeline's functions build their
            // strings before anything is printed.
            if self.out.len() + self.made > MAX_OUTPUT {
                return Err(OVER_BUDGET.into());
            }
        }
        Ok(v)
    }
}

/// The mapping's entries, sorted by key as Go ranges over a map.
fn sorted(m: &Mapping) -> Vec<(String, &Value)> {
    crate::api::json::entries(m, true)
}

/// text/template's truth: false, 0, nil, and empty strings, lists and maps are false.
fn truth(v: &Val) -> bool {
    match v.v.as_deref() {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(Value::Number(n)) => n.as_f64().is_some_and(|f| f != 0.0),
        Some(Value::String(s)) => !s.is_empty(),
        Some(Value::Sequence(s)) => !s.is_empty(),
        Some(Value::Mapping(m)) => !m.is_empty(),
        Some(Value::Tagged(_)) => true,
    }
}

/// Go's check of a builtin's argument count, made before its arguments are evaluated.
fn arity(name: &str, count: usize) -> ExecResult<()> {
    let (least, exact) = match name {
        "not" | "len" | "base64decode" => (1, true),
        "ne" | "lt" | "le" | "gt" | "ge" => (2, true),
        "print" | "println" => (0, false),
        _ => (1, false),
    };
    match (exact, count) {
        (true, n) if n != least => Err(format!(
            "wrong number of args for {name}: want {least} got {n}"
        )),
        (false, n) if n < least => Err(format!(
            "wrong number of args for {name}: want at least {least} got {n}"
        )),
        _ => Ok(()),
    }
}

/// A `string` parameter's argument, checked as Go's `evalArg` and `validateType` check it.
fn string_arg(v: &Val, arg: &Arg) -> ExecResult<()> {
    match (v.v.as_deref(), &arg.term) {
        (Some(Value::String(_)), _) => Ok(()),
        (_, Term::Const(_)) if arg.fields.is_empty() => {
            Err(format!("expected string; found {}", arg.text))
        }
        (None, _) => Err("invalid value; expected string".into()),
        (Some(_), _) => Err(format!(
            "wrong type for value; expected string; got {}",
            v.concrete_type()
        )),
    }
}

/// The error of a run that outgrew its budget.
const OVER_BUDGET: &str = "kubesim prints at most 8 MiB per command";

/// Runs a builtin whose argument count and types were checked; its error is what Go wraps
/// as "error calling NAME: …", or [`OVER_BUDGET`] when a string it builds would be longer
/// than `room`.
fn builtin<'a>(name: &str, args: Vec<Val<'a>>, room: usize) -> Result<Val<'a>, String> {
    let text = |v: &Val| match v.v.as_deref() {
        Some(Value::String(s)) => s.clone(),
        _ => String::new(),
    };
    match name {
        "not" => Ok(Val::bool(!truth(&args[0]))),
        "len" => {
            let n = match args[0].v.as_deref() {
                // Go's reflection panics on the invalid value; text/template reports the panic.
                None => return Err("reflect: call of reflect.Value.Type on zero Value".into()),
                Some(Value::String(s)) => s.len(),
                Some(Value::Sequence(s)) => s.len(),
                Some(Value::Mapping(m)) => m.len(),
                Some(Value::Null) => return Err("len of nil pointer".into()),
                Some(_) => return Err(format!("len of type {}", args[0].concrete_type())),
            };
            Ok(Val::int(n as i64))
        }
        "index" => {
            let mut args = args.into_iter();
            let mut v = args.next().unwrap_or(Val::MISSING);
            for i in args {
                v = index(v, i.value())?;
            }
            Ok(v)
        }
        "print" | "println" => {
            let mut s = String::new();
            for (i, a) in args.iter().enumerate() {
                // Sprint puts a space between operands when neither is a string.
                let string = |v: &Val| matches!(v.value(), Value::String(_));
                if i > 0 && (name == "println" || !(string(&args[i - 1]) || string(a))) {
                    s.push(' ');
                }
                s.push_str(&go_format(a.value(), false));
                if s.len() > room {
                    return Err(OVER_BUDGET.into());
                }
            }
            if name == "println" {
                s.push('\n');
            }
            Ok(Val::own(Value::String(s)))
        }
        "printf" => {
            let s = sprintf(&text(&args[0]), &args[1..], room).ok_or(OVER_BUDGET)?;
            Ok(Val::own(Value::String(s)))
        }
        "eq" | "ne" | "lt" | "le" | "gt" | "ge" => compare(name, &args).map(Val::bool),
        "exists" => {
            // kubectl's `exists`: the path of keys and indices leads to a value that is not
            // nil; with no path, anything exists.
            let mut v = args[0].value();
            let path = &args[1..];
            for i in path {
                let next = match (v, i.value()) {
                    (Value::Sequence(s), Value::Number(n)) => n
                        .as_i64()
                        .and_then(|n| usize::try_from(n).ok())
                        .and_then(|n| s.get(n)),
                    // A string's byte is a number, in which nothing more can be looked up.
                    (Value::String(s), Value::Number(n))
                        if std::ptr::eq(i, &path[path.len() - 1]) =>
                    {
                        let inside = n
                            .as_i64()
                            .is_some_and(|n| n >= 0 && (n as u64) < s.len() as u64);
                        return Ok(Val::bool(inside));
                    }
                    (Value::Mapping(m), Value::String(k)) => m.get(k.as_str()),
                    _ => None,
                };
                match next {
                    Some(n) => v = n,
                    None => return Ok(Val::bool(false)),
                }
            }
            Ok(Val::bool(path.is_empty() || !v.is_null()))
        }
        _ => {
            // base64decode, the last of FUNCS.
            let bytes =
                base64_decode(&text(&args[0])).map_err(|e| format!("base64 decode failed: {e}"))?;
            Ok(Val::own(Value::String(
                String::from_utf8_lossy(&bytes).into_owned(),
            )))
        }
    }
}

/// `index item i`: a list by position, a map by key (a missing key gives the map's zero
/// value, a nil interface).
fn index<'a>(item: Val<'a>, i: &Value) -> Result<Val<'a>, String> {
    let key = || match i {
        Value::String(k) => Ok(k.as_str()),
        Value::Null => Err("value is nil; should be of type string".to_string()),
        other => Err(format!(
            "value has type {}; should be string",
            go_type(other)
        )),
    };
    // A missing key gives the map's zero value, a nil interface.
    if let Some(Value::Mapping(_)) = item.v.as_deref() {
        let found = item.child(Step::Key(key()?));
        return Ok(found.unwrap_or_else(|| Val::own(Value::Null)));
    }
    let len = match item.v.as_deref() {
        None => return Err("index of untyped nil".into()),
        Some(Value::Null) => return Err("index of nil pointer".into()),
        Some(Value::Sequence(s)) => s.len(),
        Some(Value::String(s)) => s.len(),
        Some(_) => return Err(format!("can't index item of type {}", item.concrete_type())),
    };
    let x = match i {
        Value::Number(n) if !n.is_f64() => n.as_i64().unwrap_or(i64::MAX),
        Value::Null => return Err("cannot index slice/array with nil".into()),
        other => {
            return Err(format!(
                "cannot index slice/array with type {}",
                go_type(other)
            ))
        }
    };
    // `indexArg` allows an index up to the length; reflection then panics at it.
    if x < 0 || x as u64 > len as u64 {
        return Err(format!("index out of range: {x}"));
    }
    let x = x as usize;
    match item.v.as_deref() {
        Some(Value::Sequence(s)) if x < s.len() => {
            Ok(item.child(Step::Item(x)).unwrap_or(Val::MISSING))
        }
        Some(Value::String(s)) if x < s.len() => {
            Ok(Val::own(Value::Number(s.as_bytes()[x].into())))
        }
        Some(Value::String(_)) => Err("reflect: string index out of range".into()),
        _ => Err("reflect: slice index out of range".into()),
    }
}

#[derive(PartialEq, PartialOrd)]
enum Basic<'v> {
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(&'v str),
}

fn basic(v: &Value) -> Option<Basic<'_>> {
    match v {
        Value::Bool(b) => Some(Basic::Bool(*b)),
        Value::Number(n) => Some(
            n.as_i64()
                .map_or_else(|| Basic::Float(n.as_f64().unwrap_or(0.0)), Basic::Int),
        ),
        Value::String(s) => Some(Basic::Str(s)),
        _ => None,
    }
}

/// Go's message for two values of different kinds (Go ≥ 1.25 names their types).
fn incompatible(a: &Val, b: &Val) -> String {
    format!(
        "incompatible types for comparison: {} and {}",
        a.concrete_type(),
        b.concrete_type()
    )
}

/// `eq a b c…` (a equals any of the others) and the ordered comparisons.
fn compare(name: &str, args: &[Val]) -> Result<bool, String> {
    let first = args[0].value();
    if name == "eq" || name == "ne" {
        if args.len() < 2 {
            return Err("missing argument for comparison".into());
        }
        let mut any = false;
        for arg in &args[1..] {
            let other = arg.value();
            let equal = match (basic(first), basic(other)) {
                (Some(a), Some(b)) => {
                    if std::mem::discriminant(&a) != std::mem::discriminant(&b) {
                        return Err(incompatible(&args[0], arg));
                    }
                    a == b
                }
                // nil equals only nil.
                _ if first.is_null() || other.is_null() => first.is_null() && other.is_null(),
                _ if go_type(first) != go_type(other) => return Err(incompatible(&args[0], arg)),
                // Maps and lists cannot be compared.
                _ => {
                    return Err(format!(
                        "non-comparable types {}: {}, {}: {}",
                        go_format(first, false),
                        go_type(first),
                        go_type(other),
                        go_format(other, false)
                    ))
                }
            };
            // Go's `eq` stops at the first argument that is equal.
            if equal {
                any = true;
                break;
            }
        }
        return Ok(if name == "eq" { any } else { !any });
    }
    let second = args[1].value();
    let (Some(a), Some(b)) = (basic(first), basic(second)) else {
        return Err("invalid type for comparison".into());
    };
    if std::mem::discriminant(&a) != std::mem::discriminant(&b) {
        return Err(incompatible(&args[0], &args[1]));
    }
    if let Basic::Bool(_) = a {
        return Err("invalid type for comparison".into());
    }
    Ok(match name {
        "lt" => a < b,
        "le" => a <= b,
        "gt" => a > b,
        _ => a >= b,
    })
}

/// Go's `fmt.Sprintf` for the verbs templates use (`%v %T %s %q %t %d %x %X %o %b %c %f %e
/// %g %%`), with width, precision and the `-` and `0` flags; a verb that does not fit its
/// argument prints as Go prints it (`%!d(string=web)`).
fn sprintf(format: &str, args: &[Val], room: usize) -> Option<String> {
    let mut out = String::new();
    let mut next = 0;
    let mut chars = format.chars().peekable();
    while let Some(c) = chars.next() {
        if out.len() > room {
            return None;
        }
        if c != '%' {
            out.push(c);
            continue;
        }
        let (mut left, mut zero, mut plus, mut space, mut sharp) =
            (false, false, false, false, false);
        while let Some(&f) = chars.peek() {
            match f {
                '-' => left = true,
                '0' => zero = true,
                '+' => plus = true,
                ' ' => space = true,
                '#' => sharp = true,
                _ => break,
            }
            chars.next();
        }
        let mut width = String::new();
        while let Some(&d) = chars.peek().filter(|d| d.is_ascii_digit()) {
            width.push(d);
            chars.next();
        }
        let mut precision = None;
        if chars.peek() == Some(&'.') {
            chars.next();
            let mut p = String::new();
            while let Some(&d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                p.push(d);
                chars.next();
            }
            precision = Some(p.parse::<usize>().unwrap_or(0).min(64));
        }
        let Some(verb) = chars.next() else {
            out.push_str("%!(NOVERB)");
            break;
        };
        if verb == '%' {
            out.push('%');
            continue;
        }
        let Some(held) = args.get(next) else {
            out.push_str(&format!("%!{verb}(MISSING)"));
            continue;
        };
        let arg = held.value();
        next += 1;
        let int = match arg {
            Value::Number(n) if !n.is_f64() => n.as_i64(),
            _ => None,
        };
        let float = match arg {
            Value::Number(n) if n.is_f64() => n.as_f64(),
            _ => None,
        };
        // Integers print in a base with their sign in front (`%x` of -255 is -ff).
        let based = |i: i64, digits: fn(u64) -> String| {
            let sign = if i < 0 { "-" } else { "" };
            format!("{sign}{}", digits(i.unsigned_abs()))
        };
        let text = match (verb, arg) {
            ('v', v) => go_format(v, false),
            ('T', _) => held.concrete_type().to_string(),
            ('s', Value::String(s)) => s.clone(),
            ('s', v @ (Value::Mapping(_) | Value::Sequence(_))) => go_format(v, false),
            ('q', Value::String(s)) => crate::api::schema::go_quote(s),
            ('t', Value::Bool(b)) => b.to_string(),
            ('x', Value::String(s)) => s.bytes().map(|b| format!("{b:02x}")).collect(),
            ('X', Value::String(s)) => s.bytes().map(|b| format!("{b:02X}")).collect(),
            ('d', _) if int.is_some() => based(int.unwrap_or(0), |u| u.to_string()),
            ('x', _) if int.is_some() => based(int.unwrap_or(0), |u| format!("{u:x}")),
            ('X', _) if int.is_some() => based(int.unwrap_or(0), |u| format!("{u:X}")),
            ('o', _) if int.is_some() => based(int.unwrap_or(0), |u| format!("{u:o}")),
            ('b', _) if int.is_some() => based(int.unwrap_or(0), |u| format!("{u:b}")),
            ('c' | 'q', _) if int.is_some() => {
                let c = u32::try_from(int.unwrap_or(0))
                    .ok()
                    .and_then(char::from_u32)
                    .unwrap_or('\u{fffd}');
                if verb == 'c' {
                    c.to_string()
                } else {
                    format!("'{c}'")
                }
            }
            ('f' | 'F', _) if float.is_some() => {
                format!("{:.*}", precision.unwrap_or(6), float.unwrap_or(0.0))
            }
            ('e', _) if float.is_some() => {
                // Go writes the exponent with a sign and at least two digits.
                let text = format!("{:.*e}", precision.unwrap_or(6), float.unwrap_or(0.0));
                let (mantissa, exp) = text.split_once('e').unwrap_or((&text, "0"));
                let exp: i32 = exp.parse().unwrap_or(0);
                let sign = if exp < 0 { '-' } else { '+' };
                format!("{mantissa}e{sign}{:02}", exp.unsigned_abs())
            }
            ('g', _) if float.is_some() => {
                crate::api::json::go_format_float(float.unwrap_or(0.0), b'g')
            }
            (verb, v) => {
                let shown = if v.is_null() {
                    "<nil>".to_string()
                } else {
                    format!("{}={}", held.concrete_type(), go_format(v, false))
                };
                format!("%!{verb}({shown})")
            }
        };
        let text = match (verb, precision) {
            ('s' | 'v', Some(p)) => text.chars().take(p).collect(),
            _ => text,
        };
        // `+` and ` ` sign a number; `#` marks a base.
        let numeric = (int.is_some() && matches!(verb, 'd' | 'x' | 'X' | 'o' | 'b' | 'v'))
            || (float.is_some() && matches!(verb, 'f' | 'F' | 'e' | 'g' | 'v'));
        let text = if numeric && !text.starts_with('-') && (plus || space) {
            format!("{}{text}", if plus { '+' } else { ' ' })
        } else {
            text
        };
        let text = match (sharp && int.is_some(), verb) {
            (true, 'x' | 'X' | 'o' | 'b') => {
                let prefix = match verb {
                    'x' => "0x",
                    'X' => "0X",
                    'o' => "0",
                    _ => "0b",
                };
                match text.strip_prefix(['-', '+', ' ']) {
                    Some(digits) => format!("{}{prefix}{digits}", &text[..1]),
                    None => format!("{prefix}{text}"),
                }
            }
            _ => text,
        };
        let width: usize = width.parse().unwrap_or(0).min(1024);
        let pad = width.saturating_sub(text.chars().count());
        if left {
            out.push_str(&text);
            out.push_str(&" ".repeat(pad));
        } else if zero && matches!(verb, 'd' | 'f' | 'F' | 'e' | 'x' | 'X' | 'o' | 'b') {
            let (sign, digits) = text
                .strip_prefix('-')
                .map_or(("", text.as_str()), |d| ("-", d));
            out.push_str(sign);
            out.push_str(&"0".repeat(pad));
            out.push_str(digits);
        } else {
            out.push_str(&" ".repeat(pad));
            out.push_str(&text);
        }
    }
    if next < args.len() {
        let extra: Vec<String> = args[next..]
            .iter()
            .map(|v| format!("{}={}", v.concrete_type(), go_format(v.value(), false)))
            .collect();
        out.push_str(&format!("%!(EXTRA {})", extra.join(", ")));
    }
    (out.len() <= room).then_some(out)
}

/// Standard base64 with padding, as Go's `base64.StdEncoding` decodes it.
fn base64_decode(s: &str) -> Result<Vec<u8>, String> {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    if !bytes.len().is_multiple_of(4) {
        let at = bytes.len() - bytes.len() % 4;
        return Err(format!("illegal base64 data at input byte {at}"));
    }
    for (c, chunk) in bytes.chunks(4).enumerate() {
        let mut acc = 0u32;
        let mut pad = 0;
        for (i, &b) in chunk.iter().enumerate() {
            let v = match b {
                b'A'..=b'Z' => b - b'A',
                b'a'..=b'z' => b - b'a' + 26,
                b'0'..=b'9' => b - b'0' + 52,
                b'+' => 62,
                b'/' => 63,
                b'=' if i >= 2 && (c + 1) * 4 == bytes.len() && (i == 3 || chunk[3] == b'=') => {
                    pad += 1;
                    0
                }
                _ => return Err(format!("illegal base64 data at input byte {}", c * 4 + i)),
            };
            acc = acc << 6 | u32::from(v);
        }
        let decoded = [(acc >> 16) as u8, (acc >> 8) as u8, acc as u8];
        out.extend_from_slice(&decoded[..3 - pad]);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn object() -> Value {
        serde_yaml::from_str(
            "kind: Service\nmetadata: {name: web, labels: {tier: front, app: web}, note: null}\nspec:\n  ports: [{port: 80, nodePort: 30080}, {port: 443, nodePort: 30443}]\n  names: [a, b]\n  ratio: 0.5\n  big: 1000000\n  secret: aGVsbG8=\n  empty: []\n",
        )
        .unwrap_or_else(|e| panic!("{e}"))
    }

    fn run(template: &str) -> String {
        match GoTemplate::parse(template) {
            Ok(t) => t.execute(&object()).unwrap_or_else(|(_, e)| e),
            Err(e) => e,
        }
    }

    #[test]
    fn fields_index_and_literals_print_as_go_prints_them() {
        assert_eq!(run("{{(index .spec.ports 0).nodePort}}"), "30080");
        assert_eq!(
            run(r#"{{.metadata.name}}{{"\t"}}{{`raw\n`}}"#),
            "web\traw\\n"
        );
        // JSON whole numbers reach the template as int64, others as float64.
        assert_eq!(
            run("{{.spec.big}} {{.spec.ratio}} {{2e6}}"),
            "1000000 0.5 2e+06"
        );
        assert_eq!(
            run("{{.spec.names}} {{.metadata.labels}}"),
            "[a b] map[app:web tier:front]"
        );
        assert_eq!(run("{{index .metadata.labels \"tier\"}}"), "front");
    }

    #[test]
    fn missing_and_null_values_print_as_text_template_prints_them() {
        // At action level a missing key and a JSON null are both Go's invalid value.
        assert_eq!(
            run("{{.nothing}}|{{.metadata.note}}|{{.nothing.deeper}}"),
            "<no value>|<no value>|<no value>"
        );
        // As an argument they are a nil interface; a missing map key through index too.
        assert_eq!(
            run("{{print .nothing}}|{{index .metadata.labels \"x\"}}"),
            "<nil>|<no value>"
        );
        assert_eq!(
            run("{{eq .nothing \"x\"}} {{eq .nothing nil}}"),
            "false true"
        );
    }

    #[test]
    fn range_if_with_and_variables() {
        assert_eq!(run("{{range .spec.ports}}{{.port}},{{end}}"), "80,443,");
        assert_eq!(
            run("{{range $i, $p := .spec.ports}}{{$i}}:{{$p.nodePort}} {{end}}"),
            "0:30080 1:30443 "
        );
        // A map ranges in key order.
        assert_eq!(
            run("{{range $k, $v := .metadata.labels}}{{$k}}={{$v}};{{end}}"),
            "app=web;tier=front;"
        );
        assert_eq!(run("{{range .nothing}}x{{else}}empty{{end}}"), "empty");
        // The range's variable holds the value ranged over when there is nothing in it.
        assert_eq!(
            run("{{range $e := .spec.empty}}x{{else}}{{$e}}{{end}}"),
            "[]"
        );
        assert_eq!(run("{{range 3}}{{.}}{{end}}"), "012");
        assert_eq!(
            run("{{range .spec.names}}{{if eq . \"b\"}}{{break}}{{end}}{{.}}{{end}}"),
            "a"
        );
        assert_eq!(
            run("{{range .spec.names}}{{if eq . \"a\"}}{{continue}}{{end}}{{.}}{{end}}"),
            "b"
        );
        assert_eq!(run("{{with .metadata}}{{.name}}{{else}}none{{end}}"), "web");
        assert_eq!(
            run("{{with .nothing}}x{{else with .kind}}{{.}}{{end}}"),
            "Service"
        );
        assert_eq!(
            run("{{if .nothing}}a{{else if .spec.names}}b{{else}}c{{end}}"),
            "b"
        );
        assert_eq!(
            run("{{$n := len .spec.ports}}{{$n = 7}}{{$n}} {{$.kind}}"),
            "7 Service"
        );
        assert_eq!(
            run("{{- \"a\" }}  \n  {{- \"b\" -}}  \n {{/* gone */}}c"),
            "abc"
        );
    }

    #[test]
    fn functions() {
        assert_eq!(run("{{len .spec.names}} {{len .metadata.name}}"), "2 3");
        assert_eq!(
            run("{{and 1 0 2}} {{or 0 \"\" 3}} {{not .nothing}}"),
            "0 3 true"
        );
        assert_eq!(run("{{lt 1 2}} {{ge .spec.big 1000000}} {{ne .kind \"Pod\"}} {{eq .kind \"Pod\" \"Service\"}}"), "true true true true");
        assert_eq!(
            run("{{print 1 2 \"a\" 3}}|{{println \"a\" 1}}"),
            "1 2a3|a 1\n"
        );
        assert_eq!(run("{{printf \"%s:%d %5.1f %q %v\" .kind .spec.big .spec.ratio .metadata.name .spec.names}}"), "Service:1000000   0.5 \"web\" [a b]");
        assert_eq!(
            run("{{printf \"%d %s\" .kind}}"),
            "%!d(string=Service) %!s(MISSING)"
        );
        assert_eq!(
            run("{{printf \"%f|%x|%X|%o|%b|%c|%T|%T|%e|%g|%05.1f\" 5 -255 255 8 5 65 .spec.ratio 1 1234.5 1e21 2.25}}"),
            "%!f(int=5)|-ff|FF|10|101|A|float64|int|1.234500e+03|1e+21|002.2"
        );
        // eq stops at the first equal argument.
        assert_eq!(run("{{eq 1 1 \"x\"}}"), "true");
        assert_eq!(
            run("{{printf \"%+d|% d|%#x|%#o|%+.1f|%+d\" 5 5 255 8 2.5 -5}}"),
            "+5| 5|0xff|010|+2.5|-5"
        );
        assert_eq!(
            run("{{exists .nothing}} {{exists .kind 0}} {{exists .kind 9}}"),
            "true true false"
        );
        assert_eq!(run("{{exists .kind 0 \"x\"}}"), "false");
        assert_eq!(run("{{'\\''}} {{'a'}}"), "39 97");
        assert_eq!(
            run("{{exists . \"spec\" \"ports\" 1 \"port\"}} {{exists . \"spec\" \"ports\" 2}}"),
            "true false"
        );
        assert_eq!(run("{{base64decode .spec.secret}}"), "hello");
        assert_eq!(
            run(".spec.ports | len: {{.spec.ports | len}}"),
            ".spec.ports | len: 2"
        );
    }

    #[test]
    fn execution_errors_name_the_node_as_go_does() {
        let e = |t: &str| run(t);
        assert_eq!(
            e("{{index .spec.ports 5}}"),
            "error: error executing template \"{{index .spec.ports 5}}\": template: output:1:2: executing \"output\" at <index .spec.ports 5>: error calling index: index out of range: 5\n"
        );
        // A chain is placed at its second field; a map value is an `interface {}`.
        assert!(e("{{.metadata.name.x}}").ends_with("output:1:11: executing \"output\" at <.metadata.name.x>: can't evaluate field x in type interface {}\n"));
        assert!(e("{{with .metadata.name}}{{.x}}{{end}}")
            .ends_with("at <.x>: can't evaluate field x in type string\n"));
        assert!(e("{{.metadata.note.x}}").ends_with("nil pointer evaluating interface {}.x\n"));
        assert!(e("{{index .nothing 0}}").ends_with("error calling index: index of untyped nil\n"));
        assert!(e("{{len 3}}").ends_with("error calling len: len of type int\n"));
        assert!(e("{{eq .kind 3}}")
            .ends_with("error calling eq: incompatible types for comparison: string and int\n"));
        assert!(e("{{range .kind}}{{end}}").ends_with("range can't iterate over Service\n"));
        // Arguments to a field: a map's field takes none; a missing receiver prints nothing.
        assert!(e("{{.kind 1}}").ends_with("at <.kind>: kind is not a method but has arguments\n"));
        assert_eq!(e("{{.nothing.x 1}}"), "<no value>");
        assert!(e("{{1 2}}").ends_with("can't give argument to non-function 1\n"));
        // Inside parentheses the node is the inner command alone.
        assert!(e("{{(index .spec.ports 5).nodePort}}").contains("output:1:3: executing \"output\" at <index .spec.ports 5>: error calling index: index out of range: 5"));
        // Argument counts name the function; a string parameter names its argument.
        assert!(e("{{not}}").ends_with("output:1:2: executing \"output\" at <not>: wrong number of args for not: want 1 got 0\n"));
        assert!(e("{{printf 3}}").ends_with("at <3>: expected string; found 3\n"));
        assert!(e("{{printf .spec.big}}")
            .ends_with("at <.spec.big>: wrong type for value; expected string; got int64\n"));
        assert!(e("{{range 1.5}}{{end}}").ends_with(
            "output:1:8: executing \"output\" at <1.5>: range can't iterate over 1.5\n"
        ));
        assert!(e("{{eq .metadata.labels 1}}")
            .ends_with("incompatible types for comparison: map[string]interface {} and int\n"));
    }

    #[test]
    fn a_failed_run_reports_on_standard_output_after_what_it_wrote() {
        let t = GoTemplate::parse("a{{index .spec.names 2}}").unwrap_or_else(|e| panic!("{e}"));
        let (stdout, _) = t.execute(&object()).expect_err("index 2 of 2 fails");
        assert!(
            stdout.starts_with("aError executing template: template: output:1:3: "),
            "{stdout}"
        );
        assert!(stdout.contains("error calling index: reflect: slice index out of range. Printing more information for debugging the template:\n\ttemplate was:\n\t\ta{{index .spec.names 2}}\n\traw data was:\n\t\t{\"kind\":\"Service\","));
        assert!(stdout.ends_with("\tobject given to template engine was:\n\t\tmap[kind:Service metadata:map[labels:map[app:web tier:front] name:web note:<nil>] spec:map[big:1000000 empty:[] names:[a b] ports:[map[nodePort:30080 port:80] map[nodePort:30443 port:443]] ratio:0.5 secret:aGVsbG8=]]\n\n"));
    }

    #[test]
    fn parse_errors_are_go_s() {
        let cases = [
            ("{{.a", "template: output:1: unclosed action"),
            ("{{if .a}}", "template: output:1: unexpected EOF"),
            ("{{end}}", "template: output:1: unexpected {{end}}"),
            (
                "{{foo}}",
                "template: output:1: function \"foo\" not defined",
            ),
            ("{{$x}}", "template: output:1: undefined variable \"$x\""),
            (
                "{{\"abc}}",
                "template: output:1: unterminated quoted string",
            ),
            ("{{}}", "template: output:1: missing value for command"),
            ("{{if}}{{end}}", "template: output:1: missing value for if"),
            (
                "{{break}}",
                "template: output:1: {{break}} outside {{range}}",
            ),
            (
                "{{range .a}}{{else if .b}}{{end}}",
                "template: output:1: unexpected <if> in input",
            ),
            (
                "{{if .a}}{{else}}{{else}}{{end}}",
                "template: output:1: expected end; found {{else}}",
            ),
            ("{{3x}}", "template: output:1: bad number syntax: \"3x\""),
            (
                "{{.a , .b}}",
                "template: output:1: unexpected \",\" in operand",
            ),
            (
                "a\n{{/* x */ }}",
                "template: output:2: comment ends before closing delimiter",
            ),
            (
                "{{ /* x */}}",
                "template: output:1: unrecognized character in action: U+002F '/'",
            ),
            ("{{end}}\nx", "template: output:1: unexpected {{end}}"),
            (
                "{{len(.a)}}",
                "template: output:1: unexpected \"(\" in operand",
            ),
            (
                "{{.labels.app-name}}",
                "template: output:1: bad character U+002D '-'",
            ),
            ("{{$x=1}}", "template: output:1: bad character U+003D '='"),
            ("{{$x : 1}}", "template: output:1: expected :="),
            (
                "{{..a}}",
                "template: output:1: unexpected . after term \".\"",
            ),
            (
                "{{.a | 1}}",
                "template: output:1: non executable command in pipeline stage 2",
            ),
        ];
        for (template, error) in cases {
            assert_eq!(
                GoTemplate::parse(template).map(|_| ()),
                Err(error.to_string()),
                "{template}"
            );
        }
    }

    #[test]
    fn else_if_sees_the_if_s_variables() {
        assert_eq!(
            run("{{if $x := .nothing}}a{{else if $x}}b{{else}}c{{$x}}{{end}}"),
            "c<no value>"
        );
    }

    #[test]
    fn hostile_templates_stop() {
        let deep = "{{if 1}}".repeat(100) + &"{{end}}".repeat(100);
        assert!(GoTemplate::parse(&deep).is_err());
        let parens = format!("{{{{{}1{}}}}}", "(".repeat(100_000), ")".repeat(100_000));
        assert_eq!(
            GoTemplate::parse(&parens).map(|_| ()),
            Err("template: output:1: max expression depth exceeded".into())
        );
        // Strings built without printing count against the same budget.
        let doubling = format!(
            "{{{{$x := \"0123456789abcdef\"}}}}{}",
            "{{$x = print $x $x}}".repeat(40)
        );
        let t = GoTemplate::parse(&doubling).unwrap_or_else(|e| panic!("{e}"));
        let (_, err) = t.execute(&object()).expect_err("the strings are capped");
        assert!(
            err.contains("kubesim prints at most 8 MiB per command"),
            "{err}"
        );
        // One call cannot build past the budget, nor can copies of a variable.
        let wide = format!(
            "{{{{$x := \"0123456789abcdef\"}}}}{}{{{{print{}}}}}",
            "{{$x = print $x $x}}".repeat(17),
            " $x".repeat(5000)
        );
        let copies = format!(
            "{{{{$x := \"0123456789abcdef\"}}}}{}{{{{range 4000000}}}}{{{{if $x}}}}{{{{end}}}}{{{{end}}}}",
            "{{$x = print $x $x}}".repeat(17)
        );
        for hostile in [wide, copies] {
            let t = GoTemplate::parse(&hostile).unwrap_or_else(|e| panic!("{e}"));
            let (_, err) = t.execute(&object()).expect_err("the strings are capped");
            assert!(
                err.contains("kubesim prints at most 8 MiB per command"),
                "{err}"
            );
        }
        // Loops that print nothing stop after a number of steps.
        let t = GoTemplate::parse("{{range 1048576}}{{range 1048576}}{{end}}{{end}}")
            .unwrap_or_else(|e| panic!("{e}"));
        let (_, err) = t.execute(&object()).expect_err("the steps are capped");
        assert!(
            err.contains("kubesim stops a template after 10000000 steps"),
            "{err}"
        );
        let t = GoTemplate::parse("{{range 1000000}}{{range 1000000}}xxxxxxxx{{end}}{{end}}")
            .unwrap_or_else(|e| panic!("{e}"));
        let (out, err) = t.execute(&object()).expect_err("output is capped");
        assert!(out.len() < MAX_OUTPUT + 4096 + 2000, "{}", out.len());
        assert!(
            err.contains("kubesim prints at most 8 MiB per command"),
            "{err}"
        );
    }
}
