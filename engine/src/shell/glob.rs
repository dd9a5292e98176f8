//! Shell patterns — `*`, `?`, bracket expressions, `\` to quote — as `case` and the
//! `${V#…}`, `${V%…}` expansions match them (POSIX 2.13). Matching runs the pattern as a set
//! of positions over the text in one pass, so no pattern can take more than text × pattern
//! steps.

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Char(char),
    Any,
    Star,
    /// `[…]`: ranges (a single character is a range of one), negated by `!` or `^`.
    Class(bool, Vec<(char, char)>),
}

impl Tok {
    fn accepts(&self, c: char) -> bool {
        match self {
            Tok::Char(x) => *x == c,
            Tok::Any | Tok::Star => true,
            Tok::Class(negate, ranges) => {
                ranges.iter().any(|(a, b)| (*a..=*b).contains(&c)) != *negate
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Pattern(Vec<Tok>);

impl Pattern {
    pub fn new(pattern: &str) -> Pattern {
        let chars: Vec<char> = pattern.chars().collect();
        let mut toks = Vec::new();
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            i += 1;
            toks.push(match c {
                '*' if toks.last() == Some(&Tok::Star) => continue,
                '*' => Tok::Star,
                '?' => Tok::Any,
                '\\' if i < chars.len() => {
                    i += 1;
                    Tok::Char(chars[i - 1])
                }
                '[' => match class(&chars, i) {
                    Some((tok, next)) => {
                        i = next;
                        tok
                    }
                    // An unclosed bracket is an ordinary character.
                    None => Tok::Char('['),
                },
                c => Tok::Char(c),
            });
        }
        Pattern(toks)
    }

    /// Positions in the pattern: matching costs this much per character of text.
    pub fn cost(&self) -> usize {
        self.0.len() + 1
    }

    /// The pattern read backwards, to match suffixes as prefixes of the reversed text.
    pub fn reversed(&self) -> Pattern {
        Pattern(self.0.iter().rev().cloned().collect())
    }

    /// Adds the positions a `*` can skip to.
    fn close(&self, set: &mut [bool]) {
        for i in 0..self.0.len() {
            if set[i] && self.0[i] == Tok::Star {
                set[i + 1] = true;
            }
        }
    }

    /// For each prefix length of `text` (0 to its length), whether the pattern matches that
    /// prefix as a whole.
    pub fn prefixes(&self, text: &[char]) -> Vec<bool> {
        let n = self.0.len();
        let mut set = vec![false; n + 1];
        set[0] = true;
        self.close(&mut set);
        let mut out = Vec::with_capacity(text.len() + 1);
        out.push(set[n]);
        for &c in text {
            let mut next = vec![false; n + 1];
            for i in 0..n {
                if set[i] && self.0[i].accepts(c) {
                    // A `*` takes the character and stays; the others move on.
                    next[if self.0[i] == Tok::Star { i } else { i + 1 }] = true;
                }
            }
            self.close(&mut next);
            set = next;
            out.push(set[n]);
            if !set.contains(&true) {
                out.resize(text.len() + 1, false);
                break;
            }
        }
        out
    }

    /// Whether the pattern matches the whole text.
    pub fn matches(&self, text: &str) -> bool {
        let chars: Vec<char> = text.chars().collect();
        self.prefixes(&chars).last().copied().unwrap_or(false)
    }
}

/// A bracket expression starting after its `[`: the token and where the text goes on.
fn class(chars: &[char], mut i: usize) -> Option<(Tok, usize)> {
    let negate = matches!(chars.get(i), Some('!' | '^'));
    if negate {
        i += 1;
    }
    let mut ranges = Vec::new();
    let start = i;
    loop {
        let c = *chars.get(i)?;
        // A `]` first in the list is one of its characters.
        if c == ']' && i > start {
            return Some((Tok::Class(negate, ranges), i + 1));
        }
        // `[:digit:]` and the other POSIX classes.
        if c == '[' && chars.get(i + 1) == Some(&':') {
            let rest: String = chars[i + 2..].iter().collect();
            if let Some((name, _)) = rest.split_once(":]") {
                if let Some(class) = named_class(name) {
                    ranges.extend_from_slice(class);
                    i += name.chars().count() + 4;
                    continue;
                }
            }
        }
        let (c, len) = match (c, chars.get(i + 1)) {
            ('\\', Some(&next)) => (next, 2),
            _ => (c, 1),
        };
        i += len;
        match (chars.get(i), chars.get(i + 1)) {
            (Some('-'), Some(&hi)) if hi != ']' => {
                ranges.push((c, hi));
                i += 2;
            }
            _ => ranges.push((c, c)),
        }
    }
}

/// The characters of a POSIX class, as ranges (the C locale's).
fn named_class(name: &str) -> Option<&'static [(char, char)]> {
    Some(match name {
        "digit" => &[('0', '9')],
        "alpha" => &[('a', 'z'), ('A', 'Z')],
        "alnum" => &[('a', 'z'), ('A', 'Z'), ('0', '9')],
        "upper" => &[('A', 'Z')],
        "lower" => &[('a', 'z')],
        "xdigit" => &[('0', '9'), ('a', 'f'), ('A', 'F')],
        "space" => &[(' ', ' '), ('\t', '\r')],
        "blank" => &[(' ', ' '), ('\t', '\t')],
        "punct" => &[('!', '/'), (':', '@'), ('[', '`'), ('{', '~')],
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stars_questions_and_brackets() {
        let m = |p: &str, t: &str| Pattern::new(p).matches(t);
        assert!(m("*", "") && m("*", "anything"));
        assert!(m("web-*", "web-7d9c") && !m("web-*", "api-7d9c"));
        assert!(m("?.?", "1.2") && !m("?.?", "1.23"));
        assert!(m("[0-9]*", "42x") && !m("[0-9]*", "x42"));
        assert!(m("[!a-c]", "d") && !m("[!a-c]", "b") && m("[^a-c]", "z"));
        assert!(m("[]x]", "]") && m("[]x]", "x"));
        assert!(m("\\*", "*") && !m("\\*", "a"));
        assert!(m("[ab", "[ab"), "an unclosed bracket is literal");
        assert!(m("*a*b*c*", "xxaxxbxxcxx") && !m("*a*b*c*", "cba"));
        assert!(m("[[:digit:]]", "5") && !m("[[:digit:]]", "x"));
        assert!(m("[![:space:]]*", "a b") && !m("[![:space:]]*", " b"));
    }

    #[test]
    fn a_pattern_of_many_stars_stays_linear() {
        let text: Vec<char> = "a".repeat(20_000).chars().collect();
        let p = Pattern::new(&"*a".repeat(200));
        assert!(p.prefixes(&text)[20_000]);
    }

    #[test]
    fn prefixes_give_every_length_that_matches() {
        let text: Vec<char> = "a-b-c".chars().collect();
        let p = Pattern::new("*-");
        assert_eq!(
            p.prefixes(&text),
            vec![false, false, true, false, true, false]
        );
        let rev: Vec<char> = text.iter().rev().copied().collect();
        assert_eq!(
            Pattern::new("-*").reversed().prefixes(&rev),
            vec![false, false, true, false, true, false]
        );
    }
}
