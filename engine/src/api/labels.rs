//! The label selector grammar of `-l` (apimachinery `labels.Parse`): a lexer of identifiers
//! and the symbols `! != ( ) , = == > <`, the keywords `in` and `notin`, and the parser that
//! turns them into requirements, with its error texts. The result is a [`LabelSelector`]:
//! equality in `matchLabels`, everything else as expressions (`Gt` / `Lt` included).

use super::meta::{LabelSelector, LabelSelectorRequirement};
use super::validation::{is_qualified_name, is_valid_label_value};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token {
    Error,
    End,
    ClosedPar,
    Comma,
    DoesNotExist,
    DoubleEquals,
    Equals,
    GreaterThan,
    Identifier,
    In,
    LessThan,
    NotEquals,
    NotIn,
    OpenPar,
}

/// The symbols and keywords the lexer knows (`string2token`).
fn keyword(s: &str) -> Option<Token> {
    Some(match s {
        ")" => Token::ClosedPar,
        "," => Token::Comma,
        "!" => Token::DoesNotExist,
        "==" => Token::DoubleEquals,
        "=" => Token::Equals,
        ">" => Token::GreaterThan,
        "in" => Token::In,
        "<" => Token::LessThan,
        "!=" => Token::NotEquals,
        "notin" => Token::NotIn,
        "(" => Token::OpenPar,
        _ => return None,
    })
}

fn special(c: char) -> bool {
    matches!(c, '=' | '!' | '(' | ')' | ',' | '>' | '<')
}

fn space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

/// Every token of the selector, ending with [`Token::End`] (`Parser.scan`).
fn lex(s: &str) -> Vec<(Token, String)> {
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    let mut out = Vec::new();
    loop {
        while i < chars.len() && space(chars[i]) {
            i += 1;
        }
        let Some(&c) = chars.get(i) else {
            out.push((Token::End, String::new()));
            return out;
        };
        if special(c) {
            // The longest run of symbols that is still a known one.
            let mut buffer = String::new();
            let mut last: Option<(Token, String)> = None;
            while let Some(&c) = chars.get(i).filter(|c| special(**c)) {
                buffer.push(c);
                match keyword(&buffer) {
                    Some(t) => last = Some((t, buffer.clone())),
                    None if last.is_some() => break,
                    None => {}
                }
                i += 1;
            }
            out.push(last.unwrap_or_else(|| {
                (
                    Token::Error,
                    format!("error expected: keyword found '{buffer}'"),
                )
            }));
        } else {
            let start = i;
            while i < chars.len() && !space(chars[i]) && !special(chars[i]) {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            let t = match keyword(&word) {
                Some(t @ (Token::In | Token::NotIn)) => t,
                _ => Token::Identifier,
            };
            out.push((t, word));
        }
        if out.last().is_some_and(|(t, _)| *t == Token::Error) {
            out.push((Token::End, String::new()));
            return out;
        }
    }
}

/// Whether `in` / `notin` are keywords (after a key) or plain words (keys and values).
#[derive(Clone, Copy, PartialEq)]
enum Context {
    KeyAndOperator,
    Values,
}

struct Parser {
    items: Vec<(Token, String)>,
    at: usize,
}

impl Parser {
    fn lookahead(&self, ctx: Context) -> (Token, String) {
        let (t, lit) = self.items[self.at.min(self.items.len() - 1)].clone();
        match t {
            Token::In | Token::NotIn if ctx == Context::Values => (Token::Identifier, lit),
            _ => (t, lit),
        }
    }

    fn consume(&mut self, ctx: Context) -> (Token, String) {
        let item = self.lookahead(ctx);
        self.at += 1;
        item
    }

    fn parse(&mut self) -> Result<Vec<Requirement>, String> {
        let mut out = Vec::new();
        loop {
            let (t, lit) = self.lookahead(Context::Values);
            match t {
                Token::Identifier | Token::DoesNotExist => {
                    let r = self
                        .requirement()
                        .map_err(|e| format!("unable to parse requirement: {e}"))?;
                    out.push(r);
                    let (t, lit) = self.consume(Context::Values);
                    match t {
                        Token::End => return Ok(out),
                        Token::Comma => {
                            let (t2, lit2) = self.lookahead(Context::Values);
                            if t2 != Token::Identifier && t2 != Token::DoesNotExist {
                                return Err(format!(
                                    "found '{lit2}', expected: identifier after ','"
                                ));
                            }
                        }
                        _ => {
                            return Err(format!("found '{lit}', expected: ',' or 'end of string'"))
                        }
                    }
                }
                Token::End => return Ok(out),
                _ => {
                    return Err(format!(
                        "found '{lit}', expected: !, identifier, or 'end of string'"
                    ))
                }
            }
        }
    }

    fn requirement(&mut self) -> Result<Requirement, String> {
        let (key, inferred) = self.key_and_inferred_operator()?;
        if let Some(op) = inferred {
            return Requirement::new(key, op, Vec::new());
        }
        let op = self.operator()?;
        let values = match op {
            Op::In | Op::NotIn => self.values()?,
            _ => self.exact_value()?,
        };
        Requirement::new(key, op, values)
    }

    fn key_and_inferred_operator(&mut self) -> Result<(String, Option<Op>), String> {
        let mut op = None;
        let (mut t, mut lit) = self.consume(Context::Values);
        if t == Token::DoesNotExist {
            op = Some(Op::DoesNotExist);
            (t, lit) = self.consume(Context::Values);
        }
        if t != Token::Identifier {
            return Err(format!("found '{lit}', expected: identifier"));
        }
        let errs = is_qualified_name(&lit);
        if !errs.is_empty() {
            // The parser has no field path here, so Go prints a nil one.
            return Err(format!(
                "<nil>: Invalid value: {lit:?}: {}",
                errs.join("; ")
            ));
        }
        let (next, _) = self.lookahead(Context::Values);
        if matches!(next, Token::End | Token::Comma) && op.is_none() {
            op = Some(Op::Exists);
        }
        Ok((lit, op))
    }

    fn operator(&mut self) -> Result<Op, String> {
        let (t, lit) = self.consume(Context::KeyAndOperator);
        Ok(match t {
            Token::Equals | Token::DoubleEquals => Op::Equals,
            Token::GreaterThan => Op::GreaterThan,
            Token::LessThan => Op::LessThan,
            Token::In => Op::In,
            Token::NotIn => Op::NotIn,
            Token::NotEquals => Op::NotEquals,
            // `binaryOperators`, joined: the selection operators' own spellings.
            _ => {
                return Err(format!(
                    "found '{lit}', expected: in, notin, =, ==, !=, gt, lt"
                ))
            }
        })
    }

    fn values(&mut self) -> Result<Vec<String>, String> {
        let (t, lit) = self.consume(Context::Values);
        if t != Token::OpenPar {
            return Err(format!("found '{lit}' expected: '('"));
        }
        let (t, lit) = self.lookahead(Context::Values);
        match t {
            Token::Identifier | Token::Comma => {
                let set = self.identifiers()?;
                let (t, _) = self.consume(Context::Values);
                if t != Token::ClosedPar {
                    return Err(format!("found '{lit}', expected: ')'"));
                }
                Ok(set)
            }
            Token::ClosedPar => {
                self.consume(Context::Values);
                Ok(vec![String::new()])
            }
            _ => Err(format!("found '{lit}', expected: ',', ')' or identifier")),
        }
    }

    /// The values between the parentheses; an empty one where commas leave a gap.
    fn identifiers(&mut self) -> Result<Vec<String>, String> {
        let mut set: Vec<String> = Vec::new();
        let insert = |set: &mut Vec<String>, v: String| {
            if !set.contains(&v) {
                set.push(v);
            }
        };
        loop {
            let (t, lit) = self.consume(Context::Values);
            match t {
                Token::Identifier => {
                    insert(&mut set, lit);
                    let (t2, lit2) = self.lookahead(Context::Values);
                    match t2 {
                        Token::Comma => continue,
                        Token::ClosedPar => return Ok(set),
                        _ => return Err(format!("found '{lit2}', expected: ',' or ')'")),
                    }
                }
                Token::Comma => {
                    if set.is_empty() {
                        insert(&mut set, String::new());
                    }
                    let (t2, _) = self.lookahead(Context::Values);
                    if t2 == Token::ClosedPar {
                        insert(&mut set, String::new());
                        return Ok(set);
                    }
                    if t2 == Token::Comma {
                        self.consume(Context::Values);
                        insert(&mut set, String::new());
                    }
                }
                _ => return Err(format!("found '{lit}', expected: ',', or identifier")),
            }
        }
    }

    fn exact_value(&mut self) -> Result<Vec<String>, String> {
        let (t, _) = self.lookahead(Context::Values);
        if matches!(t, Token::End | Token::Comma) {
            return Ok(vec![String::new()]);
        }
        let (t, lit) = self.consume(Context::Values);
        if t == Token::Identifier {
            return Ok(vec![lit]);
        }
        Err(format!("found '{lit}', expected: identifier"))
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Op {
    DoesNotExist,
    Equals,
    Exists,
    GreaterThan,
    In,
    LessThan,
    NotEquals,
    NotIn,
}

struct Requirement {
    key: String,
    op: Op,
    values: Vec<String>,
}

impl Requirement {
    /// `NewRequirement`'s checks of the values (the key was checked while parsing).
    fn new(key: String, op: Op, mut values: Vec<String>) -> Result<Requirement, String> {
        crate::order::sort(&mut values);
        let mut errs = Vec::new();
        if matches!(op, Op::GreaterThan | Op::LessThan) {
            for (i, v) in values.iter().enumerate() {
                if v.parse::<i64>().is_err() {
                    errs.push(format!("values[{i}]: Invalid value: {v:?}: for 'Gt', 'Lt' operators, the value must be an integer"));
                }
            }
        }
        for (i, v) in values.iter().enumerate() {
            let problems = is_valid_label_value(v);
            if !problems.is_empty() {
                errs.push(format!(
                    "values[{i}][{key}]: Invalid value: {v:?}: {}",
                    problems.join("; ")
                ));
            }
        }
        match errs.len() {
            0 => Ok(Requirement { key, op, values }),
            1 => Err(errs.remove(0)),
            _ => Err(format!("[{}]", errs.join(", "))),
        }
    }
}

/// Parses a `-l` selector as the API server does.
pub fn parse(s: &str) -> Result<LabelSelector, String> {
    let mut parser = Parser {
        items: lex(s),
        at: 0,
    };
    let mut sel = LabelSelector::default();
    for r in parser.parse()? {
        let expr = |op: &str, values: Vec<String>| LabelSelectorRequirement {
            key: r.key.clone(),
            operator: op.to_string(),
            values,
        };
        match r.op {
            // A second equality on the same key must hold too: it cannot share matchLabels.
            Op::Equals if !sel.match_labels.contains_key(&r.key) => {
                let value = r.values.first().cloned().unwrap_or_default();
                sel.match_labels.insert(r.key.clone(), value);
            }
            Op::Equals | Op::In => sel.match_expressions.push(expr("In", r.values.clone())),
            Op::NotEquals | Op::NotIn => {
                sel.match_expressions.push(expr("NotIn", r.values.clone()))
            }
            Op::Exists => sel.match_expressions.push(expr("Exists", Vec::new())),
            Op::DoesNotExist => sel.match_expressions.push(expr("DoesNotExist", Vec::new())),
            Op::GreaterThan => sel.match_expressions.push(expr("Gt", r.values.clone())),
            Op::LessThan => sel.match_expressions.push(expr("Lt", r.values.clone())),
        }
    }
    Ok(sel)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::meta::Labels;

    fn labels(pairs: &[(&str, &str)]) -> Labels {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn selectors_match_and_parse() {
        let sel = parse("app=web,tier!=db,env in (prod,dev),!legacy").unwrap();
        assert!(sel.matches(&labels(&[("app", "web"), ("env", "prod")])));
        assert!(!sel.matches(&labels(&[("app", "web"), ("env", "test")])));
        assert!(!sel.matches(&labels(&[("app", "web"), ("env", "prod"), ("legacy", "1")])));
        assert!(!sel.matches(&labels(&[("app", "web"), ("env", "dev"), ("tier", "db")])));
        assert!(LabelSelector::default().matches(&labels(&[("x", "y")])));
        assert!(parse("=web").is_err());
    }

    #[test]
    fn the_forms_kubectl_accepts() {
        let web = labels(&[("app", "web"), ("tier", "front"), ("n", "5")]);
        let api = labels(&[("app", "api")]);
        for (s, on_web, on_api) in [
            ("app=web", true, false),
            ("app==web", true, false),
            ("app!=web", false, true),
            ("app in (web,db)", true, false),
            // `(` is a symbol of its own: no space needed.
            ("app in(web)", true, false),
            ("app notin (web)", false, true),
            ("tier", true, false),
            ("!tier", false, true),
            ("app=web,tier=front", true, false),
            (" app = web ", true, false),
            ("n>4", true, false),
            ("n<5", false, false),
            ("app=web,app=api", false, false),
            ("", true, true),
        ] {
            let sel = parse(s).unwrap_or_else(|e| panic!("{s}: {e}"));
            assert_eq!(sel.matches(&web), on_web, "{s} on web");
            assert_eq!(sel.matches(&api), on_api, "{s} on api");
        }
    }

    #[test]
    fn errors_read_as_the_api_servers() {
        for (s, e) in [
            ("app in (web", "unable to parse requirement: found '', expected: ',' or ')'"),
            ("app=web,", "found '', expected: identifier after ','"),
            ("=web", "found '=', expected: !, identifier, or 'end of string'"),
            ("app web", "unable to parse requirement: found 'web', expected: in, notin, =, ==, !=, gt, lt"),
            ("app in web", "unable to parse requirement: found 'web' expected: '('"),
            ("app=web tier", "found 'tier', expected: ',' or 'end of string'"),
            ("-x", "unable to parse requirement: <nil>: Invalid value: \"-x\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"),
            ("app=-x", "unable to parse requirement: values[0][app]: Invalid value: \"-x\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"),
            ("n>x", "unable to parse requirement: values[0]: Invalid value: \"x\": for 'Gt', 'Lt' operators, the value must be an integer"),
        ] {
            assert_eq!(parse(s).unwrap_err(), e, "{s}");
        }
    }
}
