//! `$((…))`: the shell's integer arithmetic as busybox ash's `math.c` evaluates it — C's
//! operators and precedence, `**`, assignments (`=`, `+=` …), `++`/`--` on variables, `?:`,
//! `&&`/`||` that skip what they do not need, decimal, `0x` hexadecimal, `0` octal and
//! `BASE#DIGITS` numbers, and variables whose values are expressions in turn. Errors are
//! ash's: `divide by zero`, `exponent less than 0`, `arithmetic syntax error`.

/// Variables the expression reads and assigns.
pub trait Vars {
    fn get(&self, name: &str) -> Option<String>;
    fn set(&mut self, name: &str, value: String);
    /// Pays for evaluating a variable's expression; false once nothing is left to pay with.
    fn spend(&mut self) -> bool {
        true
    }
}

const SYNTAX: &str = "arithmetic syntax error";
/// How deeply expressions nest (parentheses, operators, variables holding expressions).
const MAX_DEPTH: usize = 64;

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Num(i64),
    Name(String),
    Op(&'static str),
}

/// Longest first, as the tokenizer tries them.
const OPS: &[&str] = &[
    "<<=", ">>=", "<<", ">>", "||", "&&", "!=", "<=", ">=", "==", "|=", "&=", "*=", "/=", "%=",
    "+=", "-=", "^=", "--", "++", "**", "!", "<", ">", "=", "|", "&", "*", "/", "%", "+", "-", "^",
    "~", ",", "?", ":", "(", ")",
];

fn tokens(expr: &str) -> Result<Vec<Tok>, &'static str> {
    let chars: Vec<char> = expr.chars().collect();
    let mut toks = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c.is_ascii_digit() {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_alphanumeric() {
                i += 1;
            }
            // `BASE#DIGITS`: bases above 36 use `@` and `_` as digits too.
            if chars.get(i) == Some(&'#') {
                i += 1;
                while i < chars.len()
                    && (chars[i].is_ascii_alphanumeric() || "@_".contains(chars[i]))
                {
                    i += 1;
                }
            }
            let text: String = chars[start..i].iter().collect();
            toks.push(Tok::Num(number(&text)?));
        } else if c.is_ascii_alphabetic() || c == '_' || c == '$' {
            // `$name` reads the variable, as `name` does.
            let start = i + usize::from(c == '$');
            i = start;
            while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            if i == start {
                return Err(SYNTAX);
            }
            toks.push(Tok::Name(chars[start..i].iter().collect()));
        } else {
            let rest: String = chars[i..chars.len().min(i + 3)].iter().collect();
            let op = OPS.iter().find(|o| rest.starts_with(**o)).ok_or(SYNTAX)?;
            toks.push(Tok::Op(op));
            i += op.chars().count();
        }
    }
    Ok(toks)
}

/// A number as `strtoull(…, 0)` and ash's `BASE#DIGITS` read it; a number running into
/// letters (`09`, `0v`) is an error.
fn number(text: &str) -> Result<i64, &'static str> {
    let (base, digits) = match text.split_once('#') {
        Some((b, d)) => match b.parse::<u32>() {
            Ok(b) if (2..=64).contains(&b) && !b.to_string().starts_with('0') => (b, d),
            _ => return Err(SYNTAX),
        },
        None => match text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")) {
            Some("") => return Err(SYNTAX),
            Some(hex) => (16, hex),
            None if text.len() > 1 && text.starts_with('0') => (8, &text[1..]),
            None => (10, text),
        },
    };
    let mut n: i64 = 0;
    for c in digits.chars() {
        let d = match c {
            '0'..='9' => c as u32 - '0' as u32,
            'a'..='z' if base <= 36 => c as u32 - 'a' as u32 + 10,
            'A'..='Z' if base <= 36 => c as u32 - 'A' as u32 + 10,
            'a'..='z' => c as u32 - 'a' as u32 + 10,
            'A'..='Z' => c as u32 - 'A' as u32 + 36,
            '@' => 62,
            '_' => 63,
            _ => return Err(SYNTAX),
        };
        if d >= base {
            return Err(SYNTAX);
        }
        n = n.wrapping_mul(i64::from(base)).wrapping_add(i64::from(d));
    }
    Ok(n)
}

/// Evaluates `expr`; an empty expression is 0.
pub fn eval(expr: &str, vars: &mut dyn Vars) -> Result<i64, &'static str> {
    eval_at(expr, vars, 0)
}

fn eval_at(expr: &str, vars: &mut dyn Vars, depth: usize) -> Result<i64, &'static str> {
    let toks = tokens(expr)?;
    if toks.is_empty() {
        return Ok(0);
    }
    let mut p = Parser {
        toks,
        pos: 0,
        vars,
        depth,
    };
    let v = p.comma(true)?;
    if p.pos != p.toks.len() {
        return Err(SYNTAX);
    }
    Ok(v)
}

struct Parser<'v> {
    toks: Vec<Tok>,
    pos: usize,
    vars: &'v mut dyn Vars,
    depth: usize,
}

/// Binary operators by precedence, loosest first (below `?:` and assignment).
const LEVELS: &[&[&str]] = &[
    &["||"],
    &["&&"],
    &["|"],
    &["^"],
    &["&"],
    &["==", "!="],
    &["<", "<=", ">", ">="],
    &["<<", ">>"],
    &["+", "-"],
    &["*", "/", "%"],
];

impl Parser<'_> {
    fn op(&self) -> Option<&'static str> {
        match self.toks.get(self.pos) {
            Some(Tok::Op(o)) => Some(o),
            _ => None,
        }
    }

    fn eat(&mut self, op: &str) -> bool {
        let found = self.op() == Some(op);
        if found {
            self.pos += 1;
        }
        found
    }

    fn deeper(&mut self) -> Result<(), &'static str> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(SYNTAX);
        }
        Ok(())
    }

    /// A variable's value: unset or empty is 0, other text an expression of its own.
    fn read(&mut self, name: &str) -> Result<i64, &'static str> {
        let text = self.vars.get(name).unwrap_or_default();
        let text = text.trim();
        if text.is_empty() {
            return Ok(0);
        }
        // A plain number is read as one in the expression (`010` is octal).
        if text.bytes().all(|b| b.is_ascii_digit()) && !text.starts_with('0') {
            if let Ok(n) = text.parse::<i64>() {
                return Ok(n);
            }
        }
        if self.depth >= MAX_DEPTH {
            return Err("expression recursion loop detected");
        }
        // Variables naming variables can ask for exponentially many reads: each one costs.
        if !self.vars.spend() {
            return Ok(0);
        }
        eval_at(text, self.vars, self.depth + 1)
    }

    fn comma(&mut self, live: bool) -> Result<i64, &'static str> {
        let mut v = self.assign(live)?;
        while self.eat(",") {
            v = self.assign(live)?;
        }
        Ok(v)
    }

    fn assign(&mut self, live: bool) -> Result<i64, &'static str> {
        if let (Some(Tok::Name(name)), Some(Tok::Op(op))) =
            (self.toks.get(self.pos), self.toks.get(self.pos + 1))
        {
            if op.ends_with('=') && !matches!(*op, "==" | "!=" | "<=" | ">=") {
                let (name, op) = (name.clone(), *op);
                self.pos += 2;
                self.deeper()?;
                let right = self.assign(live)?;
                self.depth -= 1;
                if !live {
                    return Ok(0);
                }
                let value = match op {
                    "=" => right,
                    _ => {
                        let left = self.read(&name)?;
                        binary(&op[..op.len() - 1], left, right)?
                    }
                };
                self.vars.set(&name, value.to_string());
                return Ok(value);
            }
        }
        self.ternary(live)
    }

    fn ternary(&mut self, live: bool) -> Result<i64, &'static str> {
        let cond = self.binary(0, live)?;
        if !self.eat("?") {
            return Ok(cond);
        }
        self.deeper()?;
        let yes = self.comma(live && cond != 0)?;
        if !self.eat(":") {
            return Err(SYNTAX);
        }
        let no = self.assign(live && cond == 0)?;
        self.depth -= 1;
        Ok(if cond != 0 { yes } else { no })
    }

    fn binary(&mut self, level: usize, live: bool) -> Result<i64, &'static str> {
        let Some(ops) = LEVELS.get(level) else {
            return self.power(live);
        };
        let mut left = self.binary(level + 1, live)?;
        while let Some(op) = self.op().filter(|o| ops.contains(o)) {
            self.pos += 1;
            // `&&` and `||` evaluate their right side only when it decides.
            let right_live = match op {
                "&&" => live && left != 0,
                "||" => live && left == 0,
                _ => live,
            };
            let right = self.binary(level + 1, right_live)?;
            left = match op {
                "&&" => i64::from(left != 0 && right != 0),
                "||" => i64::from(left != 0 || right != 0),
                _ if !live => 0,
                _ => binary(op, left, right)?,
            };
        }
        Ok(left)
    }

    fn power(&mut self, live: bool) -> Result<i64, &'static str> {
        let base = self.unary(live)?;
        if !self.eat("**") {
            return Ok(base);
        }
        self.deeper()?;
        let exp = self.power(live)?;
        self.depth -= 1;
        if !live {
            return Ok(0);
        }
        binary("**", base, exp)
    }

    fn unary(&mut self, live: bool) -> Result<i64, &'static str> {
        let Some(op) = self.op() else {
            return self.postfix(live);
        };
        // `++v` and `--v` change a variable; before anything else they are two signs.
        if matches!(op, "++" | "--") {
            if let Some(Tok::Name(name)) = self.toks.get(self.pos + 1).cloned() {
                self.pos += 2;
                if !live {
                    return Ok(0);
                }
                let v = self
                    .read(&name)?
                    .wrapping_add(if op == "++" { 1 } else { -1 });
                self.vars.set(&name, v.to_string());
                return Ok(v);
            }
        }
        let sign: &[&str] = match op {
            "-" | "+" | "!" | "~" => &[op][..],
            "--" => &["-", "-"],
            "++" => &["+", "+"],
            _ => return self.postfix(live),
        };
        self.pos += 1;
        self.deeper()?;
        let mut v = self.unary(live)?;
        self.depth -= 1;
        for s in sign.iter().rev() {
            v = match *s {
                "-" => v.wrapping_neg(),
                "!" => i64::from(v == 0),
                "~" => !v,
                _ => v,
            };
        }
        Ok(v)
    }

    fn postfix(&mut self, live: bool) -> Result<i64, &'static str> {
        match self.toks.get(self.pos).cloned() {
            Some(Tok::Num(n)) => {
                self.pos += 1;
                Ok(n)
            }
            Some(Tok::Name(name)) => {
                self.pos += 1;
                if !live {
                    if matches!(self.op(), Some("++" | "--")) {
                        self.pos += 1;
                    }
                    return Ok(0);
                }
                let v = self.read(&name)?;
                if let Some(op @ ("++" | "--")) = self.op() {
                    self.pos += 1;
                    let next = v.wrapping_add(if op == "++" { 1 } else { -1 });
                    self.vars.set(&name, next.to_string());
                }
                Ok(v)
            }
            Some(Tok::Op("(")) => {
                self.pos += 1;
                self.deeper()?;
                let v = self.comma(live)?;
                self.depth -= 1;
                if !self.eat(")") {
                    return Err(SYNTAX);
                }
                Ok(v)
            }
            _ => Err(SYNTAX),
        }
    }
}

fn binary(op: &str, l: i64, r: i64) -> Result<i64, &'static str> {
    Ok(match op {
        "+" => l.wrapping_add(r),
        "-" => l.wrapping_sub(r),
        "*" => l.wrapping_mul(r),
        "/" | "%" if r == 0 => return Err("divide by zero"),
        "/" => l.wrapping_div(r),
        "%" => l.wrapping_rem(r),
        "<<" => l.wrapping_shl(r as u32),
        ">>" => l.wrapping_shr(r as u32),
        "&" => l & r,
        "|" => l | r,
        "^" => l ^ r,
        "==" => i64::from(l == r),
        "!=" => i64::from(l != r),
        "<" => i64::from(l < r),
        "<=" => i64::from(l <= r),
        ">" => i64::from(l > r),
        ">=" => i64::from(l >= r),
        "**" if r < 0 => return Err("exponent less than 0"),
        "**" => {
            // Squaring keeps even a huge exponent to 64 multiplications.
            let (mut base, mut exp, mut out) = (l, r as u64, 1i64);
            while exp > 0 {
                if exp & 1 == 1 {
                    out = out.wrapping_mul(base);
                }
                base = base.wrapping_mul(base);
                exp >>= 1;
            }
            out
        }
        _ => return Err(SYNTAX),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    impl Vars for BTreeMap<String, String> {
        fn get(&self, name: &str) -> Option<String> {
            BTreeMap::get(self, name).cloned()
        }
        fn set(&mut self, name: &str, value: String) {
            self.insert(name.to_string(), value);
        }
    }

    fn calc(expr: &str, vars: &mut BTreeMap<String, String>) -> Result<i64, &'static str> {
        eval(expr, vars)
    }

    #[test]
    fn operators_follow_c_precedence() {
        let mut v = BTreeMap::new();
        for (expr, want) in [
            ("1 + 2 * 3", 7),
            ("(1 + 2) * 3", 9),
            ("7 / 2", 3),
            ("-7 / 2", -3),
            ("-7 % 3", -1),
            ("2 ** 10", 1024),
            ("2 ** 3 ** 2", 512),
            ("-2 ** 2", 4),
            ("1 << 4 | 1", 17),
            ("5 & 3 ^ 1", 0),
            ("3 > 2 && 2 > 1", 1),
            ("0 || 0", 0),
            ("!0 + ~0", 0),
            ("1 ? 2 : 3", 2),
            ("0 ? 2 : 0 ? 3 : 4", 4),
            ("0x1f + 010 + 2#101", 31 + 8 + 5),
            ("64#_", 63),
            ("--7", 7),
            ("1, 2, 3", 3),
            ("", 0),
        ] {
            assert_eq!(calc(expr, &mut v), Ok(want), "{expr}");
        }
    }

    #[test]
    fn assignments_and_increments_change_variables() {
        let mut v = BTreeMap::new();
        v.insert("i".to_string(), "5".to_string());
        assert_eq!(calc("i++", &mut v), Ok(5));
        assert_eq!(v["i"], "6");
        assert_eq!(calc("++i", &mut v), Ok(7));
        assert_eq!(calc("i += 3", &mut v), Ok(10));
        assert_eq!(calc("j = i * 2, j--", &mut v), Ok(20));
        assert_eq!(v["j"], "19");
        assert_eq!(calc("$i - k", &mut v), Ok(10), "unset variables are 0");
        // A variable holding an expression is evaluated.
        v.insert("o".to_string(), "010".to_string());
        assert_eq!(
            calc("o", &mut v),
            Ok(8),
            "a variable's number is read as written"
        );
        v.insert("e".to_string(), "i + 1".to_string());
        assert_eq!(calc("e * 2", &mut v), Ok(22));
        v.insert("a".to_string(), "b".to_string());
        v.insert("b".to_string(), "a".to_string());
        assert_eq!(calc("a", &mut v), Err("expression recursion loop detected"));
    }

    #[test]
    fn skipped_operands_change_nothing_and_fail_nothing() {
        let mut v = BTreeMap::new();
        assert_eq!(calc("0 && (x = 1 / 0)", &mut v), Ok(0));
        assert_eq!(calc("1 || x++", &mut v), Ok(1));
        assert_eq!(calc("1 ? 2 : (x = 5)", &mut v), Ok(2));
        assert!(!v.contains_key("x"));
    }

    #[test]
    fn errors_are_ashs() {
        let mut v = BTreeMap::new();
        assert_eq!(calc("1 / 0", &mut v), Err("divide by zero"));
        assert_eq!(calc("5 % (2 - 2)", &mut v), Err("divide by zero"));
        assert_eq!(calc("2 ** -1", &mut v), Err("exponent less than 0"));
        for bad in ["1 +", "(1", "1 2", "09", "0v", "0x", "3 = 4", "@"] {
            assert_eq!(calc(bad, &mut v), Err(SYNTAX), "{bad}");
        }
        let deep = format!("{}1{}", "(".repeat(100), ")".repeat(100));
        assert_eq!(calc(&deep, &mut v), Err(SYNTAX));
    }
}
