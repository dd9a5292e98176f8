//! A small Markdown renderer for lesson text: paragraphs, headings, lists, fenced code,
//! `code`, **bold**, *emphasis* and [links](https://…). It builds Yew nodes, never HTML
//! strings, so lesson text cannot inject markup; links open only http(s) addresses.

use yew::prelude::*;

/// Renders `text` as a fragment of block elements.
pub fn render(text: &str) -> Html {
    let mut blocks: Vec<Html> = Vec::new();
    let mut paragraph: Vec<&str> = Vec::new();
    let mut list: Vec<String> = Vec::new();
    let mut ordered = false;
    let mut code: Option<Vec<&str>> = None;

    fn flush(
        blocks: &mut Vec<Html>,
        paragraph: &mut Vec<&str>,
        list: &mut Vec<String>,
        ordered: bool,
    ) {
        if !paragraph.is_empty() {
            blocks.push(html! { <p>{ inline(&paragraph.join(" ")) }</p> });
            paragraph.clear();
        }
        if !list.is_empty() {
            let items: Html = list
                .iter()
                .map(|i| html! { <li>{ inline(i) }</li> })
                .collect();
            blocks.push(if ordered {
                html! { <ol>{ items }</ol> }
            } else {
                html! { <ul>{ items }</ul> }
            });
            list.clear();
        }
    }

    for line in text.lines() {
        if let Some(lines) = code.as_mut() {
            if line.trim_start().starts_with("```") {
                let body = lines.join("\n");
                blocks.push(html! { <pre><code>{ body }</code></pre> });
                code = None;
            } else {
                lines.push(line);
            }
            continue;
        }
        let trimmed = line.trim();
        if trimmed.starts_with("```") {
            flush(&mut blocks, &mut paragraph, &mut list, ordered);
            code = Some(Vec::new());
        } else if trimmed.is_empty() {
            flush(&mut blocks, &mut paragraph, &mut list, ordered);
        } else if let Some(h) = heading(trimmed) {
            flush(&mut blocks, &mut paragraph, &mut list, ordered);
            blocks.push(h);
        } else if let Some(item) = trimmed
            .strip_prefix("- ")
            .or_else(|| trimmed.strip_prefix("* "))
        {
            if !paragraph.is_empty() || (ordered && !list.is_empty()) {
                flush(&mut blocks, &mut paragraph, &mut list, ordered);
            }
            ordered = false;
            list.push(item.to_string());
        } else if let Some(item) = numbered(trimmed) {
            if !paragraph.is_empty() || (!ordered && !list.is_empty()) {
                flush(&mut blocks, &mut paragraph, &mut list, ordered);
            }
            ordered = true;
            list.push(item.to_string());
        } else if !list.is_empty() && line.starts_with("  ") {
            // A continuation line of the last list item.
            if let Some(last) = list.last_mut() {
                last.push(' ');
                last.push_str(trimmed);
            }
        } else {
            if !list.is_empty() {
                flush(&mut blocks, &mut paragraph, &mut list, ordered);
            }
            paragraph.push(trimmed);
        }
    }
    if let Some(lines) = code {
        blocks.push(html! { <pre><code>{ lines.join("\n") }</code></pre> });
    }
    flush(&mut blocks, &mut paragraph, &mut list, ordered);
    blocks.into_iter().collect()
}

fn heading(line: &str) -> Option<Html> {
    let level = line.chars().take_while(|c| *c == '#').count();
    let text = line.get(level..)?.strip_prefix(' ')?;
    // Lesson headings sit under the step title, so they start one level down.
    Some(match level {
        1 | 2 => html! { <h4>{ inline(text) }</h4> },
        3..=6 => html! { <h5>{ inline(text) }</h5> },
        _ => return None,
    })
}

fn numbered(line: &str) -> Option<&str> {
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    if digits == 0 {
        return None;
    }
    line[digits..].strip_prefix(". ")
}

/// Inline spans: `code`, **bold**, *emphasis*, [text](http…).
pub fn inline(text: &str) -> Html {
    let mut out: Vec<Html> = Vec::new();
    let mut plain = String::new();
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        let span = match c {
            '`' => near(&rest[1..]).find('`').map(|end| {
                let inner = &rest[1..1 + end];
                (html! { <code>{ inner.to_string() }</code> }, 2 + end)
            }),
            '*' if rest.starts_with("**") => {
                near(&rest[2..]).find("**").filter(|e| *e > 0).map(|end| {
                    (
                        html! { <strong>{ inline(&rest[2..2 + end]) }</strong> },
                        4 + end,
                    )
                })
            }
            // Only `*` marks emphasis: `_` is common inside names like `pod_template_hash`.
            '*' => near(&rest[1..])
                .find('*')
                .filter(|e| *e > 0 && !rest[1..].starts_with(' '))
                .map(|end| (html! { <em>{ inline(&rest[1..1 + end]) }</em> }, 2 + end)),
            '[' => link(rest),
            _ => None,
        };
        match span {
            Some((node, used)) => {
                if !plain.is_empty() {
                    out.push(html! { { std::mem::take(&mut plain) } });
                }
                out.push(node);
                rest = &rest[used..];
            }
            None => {
                plain.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    if !plain.is_empty() {
        out.push(html! { { plain } });
    }
    out.into_iter().collect()
}

/// Spans close within this many bytes; looking further would make long texts quadratic.
const SPAN_WINDOW: usize = 400;

/// The start of `s`, at most `SPAN_WINDOW` bytes, cut at a character boundary.
fn near(s: &str) -> &str {
    let mut end = SPAN_WINDOW.min(s.len());
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

fn link(rest: &str) -> Option<(Html, usize)> {
    let close = near(rest).find("](")?;
    let end = near(&rest[close + 2..]).find(')')?;
    let label = &rest[1..close];
    let href = &rest[close + 2..close + 2 + end];
    let used = close + 3 + end;
    if href.starts_with("https://") || href.starts_with("http://") {
        Some((
            html! { <a href={href.to_string()} target="_blank" rel="noopener noreferrer">{ inline(label) }</a> },
            used,
        ))
    } else {
        // Other schemes (javascript:, data:) are shown as text, never followed.
        Some((html! { { label.to_string() } }, used))
    }
}
