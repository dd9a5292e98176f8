//! The kubectl console: a terminal-like transcript and an input with history and completion.

use kubesim::session::Printed;
use kubesim::{Output, Time};
use std::rc::Rc;
use yew::prelude::*;

/// One transcript entry: a command and what it printed, or later output of a running watch.
#[derive(Debug, Clone, PartialEq)]
pub struct ConsoleEntry {
    pub at: Time,
    /// The command line; `None` for a watch's later output.
    pub command: Option<String>,
    /// The scenario's note for its own timeline steps.
    pub note: Option<String>,
    pub output: Output,
}

/// Lines of one command's output the transcript keeps: `kubectl get pods` on the largest
/// cluster fits, while `describe pods` or `-o yaml` over thousands of pods (hundreds of
/// thousands of lines) would stall the page.
pub const OUTPUT_LINES: usize = 5_000;
/// Bytes of one stream of one command's output the transcript keeps: a Go template can
/// print megabytes on one line, and a few such outputs would exhaust the tab's memory.
pub const OUTPUT_BYTES: usize = 256 * 1024;

impl From<Printed> for ConsoleEntry {
    fn from(p: Printed) -> ConsoleEntry {
        ConsoleEntry {
            at: p.at,
            command: p.line,
            note: p.note,
            output: capped(p.output),
        }
    }
}

/// `output` with its stdout cut after [`OUTPUT_LINES`] lines, and each stream after
/// [`OUTPUT_BYTES`], with a line saying how much more there was.
fn capped(mut output: Output) -> Output {
    if let Some((cut, _)) = output.stdout.match_indices('\n').nth(OUTPUT_LINES - 1) {
        let rest = output.stdout[cut + 1..].lines().count();
        if rest > 0 {
            output.stdout.truncate(cut + 1);
            output.stdout.push_str(&format!(
                "… {rest} more {} not shown: the console keeps the first {OUTPUT_LINES} lines of each output\n",
                if rest == 1 { "line" } else { "lines" }
            ));
            output.lead = output.lead.min(cut + 1);
        }
    }
    for stream in [&mut output.stdout, &mut output.stderr] {
        cap_bytes(stream);
    }
    output.lead = output.lead.min(output.stdout.len());
    output
}

/// Cuts `text` after [`OUTPUT_BYTES`] (at a character boundary) and says how much is left out.
fn cap_bytes(text: &mut String) {
    if text.len() <= OUTPUT_BYTES {
        return;
    }
    let mut cut = OUTPUT_BYTES;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    let rest = text.len() - cut;
    text.truncate(cut);
    text.push_str(&format!(
        "\n… {rest} more bytes not shown: the console keeps the first {} KiB of each output\n",
        OUTPUT_BYTES / 1024
    ));
}

impl ConsoleEntry {
    /// What a line (or, without one, the app on its behalf) printed without running an
    /// engine command.
    pub fn printed(at: Time, line: Option<&str>, output: Output) -> ConsoleEntry {
        ConsoleEntry {
            at,
            command: line.map(str::to_string),
            note: None,
            output,
        }
    }

    /// A line that could not be parsed into a command.
    pub fn error_printed(at: Time, line: &str, error: &str) -> ConsoleEntry {
        ConsoleEntry::printed(
            at,
            Some(line),
            Output::err(format!("{}\n", error.trim_end())),
        )
    }

    /// A comment line (`# …`) between commands.
    pub fn note(at: Time, text: String) -> ConsoleEntry {
        ConsoleEntry {
            at,
            command: None,
            note: Some(text),
            output: Output::default(),
        }
    }

    /// Ctrl+C ended the running watches.
    pub fn interrupted(at: Time) -> ConsoleEntry {
        ConsoleEntry::printed(at, None, Output::ok("^C\n"))
    }
}

#[derive(Properties, PartialEq)]
pub struct ConsoleProps {
    pub entries: Rc<Vec<ConsoleEntry>>,
    /// Lines run before this console existed (restored sessions), oldest first, for ↑.
    pub history: Rc<Vec<String>>,
    /// A submitted line.
    pub on_submit: Callback<String>,
    /// Completion candidates for the last word of the line typed so far.
    pub complete: Callback<String, Vec<String>>,
    /// Ctrl+C.
    pub on_interrupt: Callback<()>,
    /// A `get -w` or `rollout status` is still printing.
    pub watching: bool,
    /// A submitted line that was not run, to put back in the input (numbered, so the same
    /// line returned twice is put back twice).
    #[prop_or_default]
    pub returned: Rc<(u64, String)>,
    /// How many entries scrolled away before `entries[0]`: entries are keyed by their place
    /// in the whole transcript, so dropping the oldest does not rewrite every other one.
    #[prop_or_default]
    pub first: u64,
}

/// Where ↑/↓ are in the history, and the line that was being typed before browsing began.
#[derive(Default)]
struct Recall {
    /// Lines submitted in this console, each with the history's length when it was typed.
    submitted: Vec<(usize, String)>,
    /// Index into `recall_lines`; `None` while editing the typed line.
    at: Option<usize>,
    draft: String,
}

/// The lines ↑/↓ walk, oldest first: the session's commands (`history`), and where it was
/// typed each line of this console that did not become one (a typing error, `clear`, a
/// declined run). A line right after the same line is listed once, as shells do.
fn recall_lines(history: &[String], submitted: &[(usize, String)]) -> Vec<String> {
    let logged = |at: usize, line: &String| {
        // It became the command at its place, or the last one after a branch cut the log.
        let from = at.min(history.len().saturating_sub(1));
        history.get(from..).is_some_and(|rest| rest.contains(line))
    };
    let mut out: Vec<String> = Vec::new();
    for i in 0..=history.len() {
        let typed_here = submitted
            .iter()
            .filter(|(at, line)| {
                (*at == i || (*at > history.len() && i == history.len())) && !logged(*at, line)
            })
            .map(|(_, line)| line);
        for line in typed_here.chain(history.get(i)) {
            if out.last() != Some(line) {
                out.push(line.clone());
            }
        }
    }
    out
}

/// Byte offset where the line's last word starts: after the last whitespace, so the word is
/// empty when the line ends with whitespace.
fn last_word_start(line: &str) -> usize {
    line.char_indices()
        .rev()
        .find(|(_, c)| c.is_whitespace())
        .map_or(0, |(i, c)| i + c.len_utf8())
}

fn common_prefix(words: &[String]) -> &str {
    let Some(first) = words.first() else {
        return "";
    };
    let mut end = first.len();
    for w in &words[1..] {
        end = first
            .bytes()
            .zip(w.bytes())
            .take(end)
            .take_while(|(a, b)| a == b)
            .count();
    }
    // Equal bytes up to a char boundary mean equal chars; back off a split multi-byte char.
    while !first.is_char_boundary(end) {
        end -= 1;
    }
    &first[..end]
}

/// The line after completing its last word, if completion changes it.
fn completed(line: &str, candidates: &[String]) -> Option<String> {
    let start = last_word_start(line);
    match candidates {
        [] => None,
        // A value that ends in `=` (`jsonpath=`) waits for the rest of the word.
        [only] if only.ends_with('=') => Some(format!("{}{only}", &line[..start])),
        [only] => Some(format!("{}{only} ", &line[..start])),
        several => {
            let prefix = common_prefix(several);
            (prefix.len() > line.len() - start).then(|| format!("{}{prefix}", &line[..start]))
        }
    }
}

#[function_component(Console)]
pub fn console(p: &ConsoleProps) -> Html {
    let input = use_node_ref();
    let transcript = use_node_ref();
    // A RefCell, not state: browsing changes only the input's value, which is never rendered
    // from state (the input is uncontrolled), so it needs no re-render.
    let recall = use_mut_ref(Recall::default);
    let candidates = use_state(Vec::<String>::new);
    let press = use_mut_ref(|| (0, 0));

    {
        let transcript = transcript.clone();
        // The watching hint takes room from the transcript, so it re-scrolls too.
        use_effect_with((p.entries.len(), p.watching), move |_| {
            if let Some(el) = transcript.cast::<web_sys::Element>() {
                el.set_scroll_top(el.scroll_height());
            }
        });
    }

    {
        let input = input.clone();
        use_effect_with(p.returned.clone(), move |returned| {
            if let Some(el) = input.cast::<web_sys::HtmlInputElement>() {
                if returned.0 > 0 {
                    el.set_value(&returned.1);
                }
            }
        });
    }

    let onkeydown = {
        let input = input.clone();
        let recall = recall.clone();
        let candidates = candidates.clone();
        let history = p.history.clone();
        let on_submit = p.on_submit.clone();
        let complete = p.complete.clone();
        let on_interrupt = p.on_interrupt.clone();
        let watching = p.watching;
        Callback::from(move |e: KeyboardEvent| {
            let Some(el) = input.cast::<web_sys::HtmlInputElement>() else {
                return;
            };
            let line = el.value();
            let modified = e.ctrl_key() || e.alt_key() || e.meta_key();
            match e.key().as_str() {
                // Enter while an IME is composing picks the composed text; it is not a submit.
                "Enter" if !e.is_composing() => {
                    e.prevent_default();
                    let line = line.trim();
                    if line.is_empty() {
                        return;
                    }
                    let mut r = recall.borrow_mut();
                    r.submitted.push((history.len(), line.to_string()));
                    r.at = None;
                    r.draft.clear();
                    drop(r);
                    el.set_value("");
                    candidates.set(Vec::new());
                    on_submit.emit(line.to_string());
                }
                key @ ("ArrowUp" | "ArrowDown") if !modified => {
                    e.prevent_default();
                    let mut r = recall.borrow_mut();
                    let lines = recall_lines(&history, &r.submitted);
                    let len = lines.len();
                    // The history may have shrunk since the last key (a branch, another
                    // scenario): a position past its end counts from the end.
                    let at = match (key, r.at.map(|i| i.min(len))) {
                        (_, None) if key == "ArrowDown" || len == 0 => return,
                        ("ArrowUp", None) => {
                            r.draft = line;
                            Some(len.saturating_sub(1))
                        }
                        ("ArrowUp", Some(i)) => Some(i.saturating_sub(1)),
                        (_, Some(i)) if i + 1 < len => Some(i + 1),
                        _ => None,
                    };
                    r.at = at;
                    let shown = match at.and_then(|i| lines.get(i)) {
                        Some(l) => l.clone(),
                        None => std::mem::take(&mut r.draft),
                    };
                    el.set_value(&shown);
                }
                // Shift+Tab and Tab on an empty line keep moving focus, so the input is no
                // keyboard trap.
                "Tab" if !modified && !e.shift_key() && !line.is_empty() => {
                    e.prevent_default();
                    let found = complete.emit(line.clone());
                    if let Some(new_line) = completed(&line, &found) {
                        el.set_value(&new_line);
                    }
                    candidates.set(if found.len() > 1 { found } else { Vec::new() });
                }
                // With text in the line and nothing running, Ctrl+C is left to copy.
                "c" | "C"
                    if e.ctrl_key()
                        && !e.alt_key()
                        && !e.meta_key()
                        && (watching || line.is_empty()) =>
                {
                    on_interrupt.emit(());
                }
                _ => {}
            }
        })
    };

    let oninput = {
        let candidates = candidates.clone();
        Callback::from(move |_: InputEvent| {
            if !candidates.is_empty() {
                candidates.set(Vec::new());
            }
        })
    };

    let onmousedown = {
        let press = press.clone();
        Callback::from(move |e: MouseEvent| *press.borrow_mut() = (e.client_x(), e.client_y()))
    };
    // A click in the transcript focuses the input, except the clicks that select text: a drag,
    // or a double or triple click, whose selection moving focus into the input would clear.
    let onclick = {
        let input = input.clone();
        Callback::from(move |e: MouseEvent| {
            let (x, y) = *press.borrow();
            let dragged = (e.client_x() - x).abs() > 3 || (e.client_y() - y).abs() > 3;
            if e.detail() > 1 || dragged {
                return;
            }
            if let Some(el) = input.cast::<web_sys::HtmlElement>() {
                let _ = el.focus();
            }
        })
    };

    html! {
        <section class="console" aria-label="kubectl console">
            <div class="console-transcript" ref={transcript} role="log" aria-label="kubectl output" tabindex="0" {onmousedown} {onclick}>
                { for p.entries.iter().enumerate().map(|(i, e)| entry(e, p.first + i as u64)) }
            </div>
            if p.watching {
                <p class="console-watching">{ "watching… (Ctrl+C to stop)" }</p>
            }
            <div class="console-line">
                <span class="console-ps1" aria-hidden="true">{ "$" }</span>
                <input
                    ref={input}
                    class="console-input"
                    type="text"
                    aria-label="kubectl command"
                    placeholder="kubectl get pods"
                    autocomplete="off"
                    autocapitalize="off"
                    spellcheck="false"
                    {onkeydown}
                    {oninput}
                />
            </div>
            <p class="console-candidates" role="status">{ candidates.join("  ") }</p>
        </section>
    }
}

fn entry(e: &ConsoleEntry, key: u64) -> Html {
    let note = e.note.as_ref().map(|n| {
        let text: String = n.lines().map(|l| format!("# {l}\n")).collect();
        html! { <pre class="console-note">{ text }</pre> }
    });
    let prompt = e.command.as_ref().map(|c| {
        html! { <pre class="console-prompt"><span class="console-ps1">{ "$ " }</span>{ c.clone() }</pre> }
    });
    let block = |class: &'static str, text: &str| {
        (!text.is_empty()).then(|| html! { <pre class={class}>{ text.to_string() }</pre> })
    };
    let blocks = e.output.parts().into_iter().filter_map(|(stderr, text)| {
        block(
            if stderr {
                "console-stderr"
            } else {
                "console-stdout"
            },
            text,
        )
    });
    html! {
        <div key={key} class="console-entry">
            { note }
            { prompt }
            { for blocks }
        </div>
    }
}
