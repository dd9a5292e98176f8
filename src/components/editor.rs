//! The YAML editor: line numbers, error markers at the reported line, the engine's preview of
//! what applying will do, Apply (button and Ctrl+Enter) and reset.

use gloo::timers::callback::Timeout;
use kubesim::kubectl::apply::Preview;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::{Rc, Weak};
use std::sync::atomic::{AtomicUsize, Ordering};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Element, HtmlTextAreaElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct EditorProps {
    pub text: Rc<String>,
    /// Errors from a dry run of the text, with 1-based (line, column) where known.
    // The app's state holds the same shape; an alias here would hide that they match.
    #[allow(clippy::type_complexity)]
    pub errors: Rc<Vec<(String, Option<(usize, usize)>)>>,
    /// What applying the text would do, per object.
    pub preview: Rc<Vec<Preview>>,
    pub on_change: Callback<String>,
    pub on_apply: Callback<()>,
    pub on_reset: Callback<()>,
    /// A read-only view shows the manifest but offers no editing.
    #[prop_or_default]
    pub readonly: bool,
}

/// How long typing must pause before the app hears of the new text and recomputes the preview.
const DEBOUNCE_MS: u32 = 300;

const INDENT: &str = "  ";

/// Gives each editor instance its own element ids for the ARIA references.
static NEXT_ID: AtomicUsize = AtomicUsize::new(0);

/// The text as typed, which leads `props.text` by up to one debounce.
struct Draft {
    text: String,
    /// The last `props.text` seen, to tell a change from outside from a mere re-render.
    seen: Rc<String>,
    /// The last text sent through `on_change`, so its echo in `props.text` is not mistaken for
    /// a change from outside (which would drop what was typed since).
    emitted: Option<String>,
    /// `text` has not been sent through `on_change` yet.
    dirty: bool,
    timer: Option<Timeout>,
    /// The previous key was Escape, so Tab leaves the field instead of indenting.
    after_escape: bool,
}

impl Draft {
    /// Marks the pending text as sent and returns it.
    fn take_pending(&mut self) -> Option<String> {
        if !self.dirty {
            return None;
        }
        self.dirty = false;
        self.emitted = Some(self.text.clone());
        Some(self.text.clone())
    }
}

type Shared<T> = Rc<RefCell<T>>;

/// Sends the pending text now, cancelling the debounce.
fn flush(draft: &Shared<Draft>, on_change: &Shared<Callback<String>>) {
    let (text, timer) = {
        let mut d = draft.borrow_mut();
        (d.take_pending(), d.timer.take())
    };
    drop(timer);
    if let Some(text) = text {
        let cb = on_change.borrow().clone();
        cb.emit(text);
    }
}

/// Records what the textarea now holds and restarts the debounce.
fn edited(
    draft: &Shared<Draft>,
    on_change: &Shared<Callback<String>>,
    update: &UseForceUpdateHandle,
    value: String,
) {
    let weak: Weak<RefCell<Draft>> = Rc::downgrade(draft);
    let on_change = on_change.clone();
    let timer = Timeout::new(DEBOUNCE_MS, move || {
        let Some(draft) = weak.upgrade() else { return };
        // The fired timer stays in the draft: dropping it from inside its own callback would
        // free the closure that is running.
        let text = draft.borrow_mut().take_pending();
        if let Some(text) = text {
            let cb = on_change.borrow().clone();
            cb.emit(text);
        }
    });
    let old = {
        let mut d = draft.borrow_mut();
        d.text = value;
        d.dirty = true;
        d.timer.replace(timer)
    };
    drop(old);
    update.force_update();
}

fn selection(ta: &HtmlTextAreaElement, len: usize) -> (usize, usize) {
    let start = ta.selection_start().ok().flatten().unwrap_or(0) as usize;
    let end = ta.selection_end().ok().flatten().unwrap_or(0) as usize;
    let start = start.min(len);
    (start, end.clamp(start, len))
}

/// Replaces the selection with `text` and puts the caret after it.
fn insert_text(ta: &HtmlTextAreaElement, text: &str) {
    // execCommand keeps the browser's undo history, which setting the value would wipe; it acts
    // on the focused field, so it is only used when that is this one.
    let own: &Element = ta.as_ref();
    let focused = ta
        .owner_document()
        .and_then(|doc| doc.active_element())
        .is_some_and(|el| el == *own);
    if focused {
        if let Some(doc) = ta.owner_document() {
            let exec = js_sys::Reflect::get(&doc, &JsValue::from_str("execCommand"))
                .ok()
                .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
            if let Some(exec) = exec {
                let done = exec.call3(
                    &doc,
                    &JsValue::from_str("insertText"),
                    &JsValue::FALSE,
                    &JsValue::from_str(text),
                );
                if done.ok().and_then(|v| v.as_bool()) == Some(true) {
                    return;
                }
            }
        }
    }
    let (start, _) = selection(ta, ta.value().encode_utf16().count());
    if ta.set_range_text(text).is_ok() {
        let caret = (start + text.encode_utf16().count()) as u32;
        let _ = ta.set_selection_range(caret, caret);
    }
}

/// Tab: two spaces at the caret, or the selected lines indented by two spaces.
fn indent(ta: &HtmlTextAreaElement) {
    let units: Vec<u16> = ta.value().encode_utf16().collect();
    let (start, end) = selection(ta, units.len());
    let newline = u16::from(b'\n');
    if !units[start..end].contains(&newline) {
        insert_text(ta, INDENT);
        return;
    }
    let from = units[..start]
        .iter()
        .rposition(|&u| u == newline)
        .map_or(0, |i| i + 1);
    // A selection ending at the start of a line does not take that line along.
    let to = if units[end - 1] == newline {
        end - 1
    } else {
        units[end..]
            .iter()
            .position(|&u| u == newline)
            .map_or(units.len(), |i| end + i)
    };
    let block = String::from_utf16_lossy(&units[from..to]);
    let indented: Vec<String> = block
        .split('\n')
        .map(|l| {
            if l.is_empty() {
                String::new()
            } else {
                format!("{INDENT}{l}")
            }
        })
        .collect();
    let indented = indented.join("\n");
    let _ = ta.set_selection_range(from as u32, to as u32);
    insert_text(ta, &indented);
    let _ = ta.set_selection_range(from as u32, (from + indented.encode_utf16().count()) as u32);
}

/// The UTF-16 offset (what the DOM's selection counts) of 1-based `line` and character
/// `column`, clamped to the text.
fn caret_offset(text: &str, line: usize, column: usize) -> u32 {
    let mut offset = 0;
    for (i, l) in text.split('\n').enumerate() {
        if i + 1 >= line {
            let before: usize = l
                .chars()
                .take(column.saturating_sub(1))
                .map(char::len_utf16)
                .sum();
            return (offset + before) as u32;
        }
        offset += l.encode_utf16().count() + 1;
    }
    text.encode_utf16().count() as u32
}

fn sync_gutter(textarea: &NodeRef, gutter: &NodeRef) {
    if let (Some(ta), Some(g)) = (textarea.cast::<Element>(), gutter.cast::<Element>()) {
        g.set_scroll_top(ta.scroll_top());
    }
}

/// Moves the caret to an error's position and scrolls its line into view.
fn jump_to(textarea: &NodeRef, gutter: &NodeRef, line: usize, column: usize) {
    let Some(ta) = textarea.cast::<HtmlTextAreaElement>() else {
        return;
    };
    let offset = caret_offset(&ta.value(), line, column);
    let _ = ta.focus();
    let _ = ta.set_selection_range(offset, offset);
    // Browsers do not reliably scroll a textarea to a caret set from script. The gutter's
    // line shares the textarea's line height and padding, so its position is the line's.
    if let Some(g) = gutter.cast::<Element>() {
        let children = g.children();
        let last = children.length().saturating_sub(1);
        let index = (line.saturating_sub(1) as u32).min(last);
        if let Some(row) = children.item(index) {
            let top = row.get_bounding_client_rect().top() - g.get_bounding_client_rect().top()
                + f64::from(g.scroll_top());
            let height = row.get_bounding_client_rect().height();
            let view_top = f64::from(ta.scroll_top());
            let view_bottom = view_top + f64::from(ta.client_height());
            if top < view_top || top + height > view_bottom {
                ta.set_scroll_top((top - f64::from(ta.client_height()) / 3.0).max(0.0) as i32);
            }
        }
    }
    sync_gutter(textarea, gutter);
}

#[function_component(Editor)]
pub fn editor(p: &EditorProps) -> Html {
    let draft = use_mut_ref(|| Draft {
        text: (*p.text).clone(),
        seen: p.text.clone(),
        emitted: None,
        dirty: false,
        timer: None,
        after_escape: false,
    });
    // The debounce fires after later renders, so it must call the latest callback.
    let on_change = use_mut_ref(|| p.on_change.clone());
    *on_change.borrow_mut() = p.on_change.clone();
    let update = use_force_update();
    let textarea = use_node_ref();
    let gutter = use_node_ref();
    let id = *use_state(|| NEXT_ID.fetch_add(1, Ordering::Relaxed));

    // Text from outside (reset, scenario load) replaces the draft, unless it is only the echo
    // of what this editor sent.
    {
        let mut d = draft.borrow_mut();
        if *d.seen != *p.text {
            d.seen = p.text.clone();
            let echo = d.emitted.as_deref() == Some(p.text.as_str());
            d.emitted = None;
            if !echo && d.text != *p.text {
                d.text = (*p.text).clone();
                d.dirty = false;
                d.timer = None;
            }
        }
    }

    {
        let (textarea, gutter) = (textarea.clone(), gutter.clone());
        use_effect(move || sync_gutter(&textarea, &gutter));
    }

    let oninput = {
        let (draft, on_change, update) = (draft.clone(), on_change.clone(), update.clone());
        Callback::from(move |e: InputEvent| {
            let ta: HtmlTextAreaElement = e.target_unchecked_into();
            edited(&draft, &on_change, &update, ta.value());
        })
    };

    let apply = {
        let (draft, on_change, on_apply) = (draft.clone(), on_change.clone(), p.on_apply.clone());
        move || {
            flush(&draft, &on_change);
            on_apply.emit(());
        }
    };

    let onkeydown = {
        let (draft, on_change, update) = (draft.clone(), on_change.clone(), update.clone());
        let apply = apply.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.is_composing() {
                return;
            }
            let key = e.key();
            let modified = e.ctrl_key() || e.meta_key() || e.alt_key();
            match key.as_str() {
                "Shift" | "Control" | "Alt" | "Meta" => {}
                "Escape" => draft.borrow_mut().after_escape = true,
                "Tab" if !modified && !e.shift_key() => {
                    let leaving = std::mem::take(&mut draft.borrow_mut().after_escape);
                    if leaving {
                        return;
                    }
                    e.prevent_default();
                    let ta: HtmlTextAreaElement = e.target_unchecked_into();
                    indent(&ta);
                    edited(&draft, &on_change, &update, ta.value());
                }
                "Enter" if e.ctrl_key() || e.meta_key() => {
                    e.prevent_default();
                    draft.borrow_mut().after_escape = false;
                    let ta: HtmlTextAreaElement = e.target_unchecked_into();
                    let value = ta.value();
                    if value != draft.borrow().text {
                        edited(&draft, &on_change, &update, value);
                    }
                    apply();
                }
                _ => draft.borrow_mut().after_escape = false,
            }
        })
    };

    let onblur = {
        let (draft, on_change) = (draft.clone(), on_change.clone());
        Callback::from(move |_: FocusEvent| flush(&draft, &on_change))
    };

    let onscroll = {
        let (textarea, gutter) = (textarea.clone(), gutter.clone());
        Callback::from(move |_: Event| sync_gutter(&textarea, &gutter))
    };

    let onreset = {
        let (draft, on_reset, update) = (draft.clone(), p.on_reset.clone(), update.clone());
        let current = p.text.clone();
        Callback::from(move |_: MouseEvent| {
            // Dropping the unsent edit first: if the app's text is already the scenario's, it
            // will not change, and the draft must still go back to it.
            let timer = {
                let mut d = draft.borrow_mut();
                d.text = (*current).clone();
                d.dirty = false;
                d.emitted = None;
                d.timer.take()
            };
            drop(timer);
            update.force_update();
            on_reset.emit(());
        })
    };

    let onapply = Callback::from(move |_: MouseEvent| apply());

    let text = draft.borrow().text.clone();
    let line_count = text.split('\n').count();
    let mut marks: BTreeMap<usize, Vec<&str>> = BTreeMap::new();
    for (message, at) in p.errors.iter() {
        if let Some((line, _)) = at {
            let line = (*line).clamp(1, line_count);
            marks.entry(line).or_default().push(message);
        }
    }
    let gutter_rows = (1..=line_count).map(|n| match marks.get(&n) {
        Some(messages) => html! {
            <div class="ln error-line" title={messages.join("\n")}>
                <span class="mark">{"⚠"}</span>{n}
            </div>
        },
        None => html! { <div class="ln">{n}</div> },
    });

    let hint_id = format!("editor-{id}-keys");
    let errors_id = format!("editor-{id}-errors");
    let preview_id = format!("editor-{id}-preview");
    let has_errors = !p.errors.is_empty();

    let error_items = p.errors.iter().map(|(message, at)| match *at {
        Some((line, column)) => {
            let (textarea, gutter) = (textarea.clone(), gutter.clone());
            let onclick =
                Callback::from(move |_: MouseEvent| jump_to(&textarea, &gutter, line, column));
            html! {
                <li>
                    <button type="button" class="error-jump" {onclick}
                        title={format!("Move the cursor to line {line}")}>
                        {format!("Line {line}, column {column}")}
                    </button>
                    {": "}
                    <span class="error-message">{message.clone()}</span>
                </li>
            }
        }
        None => html! { <li><span class="error-message">{message.clone()}</span></li> },
    });

    let preview_items = p.preview.iter().map(|item| {
        let namespace = item
            .namespace
            .as_deref()
            .filter(|ns| *ns != "default")
            .map(|ns| format!(" (namespace {ns})"));
        html! {
            <li class={classes!("preview-item", item.error.then_some("error"))}>
                <p class="preview-summary">
                    <strong>{format!("{} {}", item.kind, item.name)}</strong>
                    {namespace}
                    {" — "}
                    if item.error {
                        <span class="preview-status">{"Error: "}</span>
                    }
                    {item.summary.clone()}
                </p>
                if !item.changes.is_empty() {
                    <ul class="preview-changes">
                        { for item.changes.iter().map(|c| html! { <li>{c.clone()}</li> }) }
                    </ul>
                }
            </li>
        }
    });

    html! {
        <section class="editor" aria-label="Manifest editor">
            <div class="editor-body">
                <div class="editor-gutter" ref={gutter.clone()} aria-hidden="true">
                    { for gutter_rows }
                </div>
                <textarea
                    ref={textarea.clone()}
                    class="editor-text"
                    aria-label="Manifest YAML"
                    aria-describedby={format!("{hint_id} {errors_id}")}
                    aria-invalid={has_errors.to_string()}
                    spellcheck="false"
                    wrap="off"
                    autocomplete="off"
                    autocapitalize="off"
                    value={text}
                    readonly={p.readonly}
                    {oninput}
                    {onkeydown}
                    {onblur}
                    {onscroll}
                />
            </div>
            <div class="editor-actions">
                <button type="button" class="primary" onclick={onapply}
                    aria-keyshortcuts="Control+Enter Meta+Enter">
                    {"Apply"}
                </button>
                <button type="button" onclick={onreset}>{"Reset to scenario"}</button>
                <p class="editor-hint" id={hint_id}>
                    <kbd>{"Ctrl"}</kbd>{"+"}<kbd>{"Enter"}</kbd>{" applies. "}
                    <kbd>{"Tab"}</kbd>{" indents; "}
                    <kbd>{"Esc"}</kbd>{" then "}<kbd>{"Tab"}</kbd>{" leaves the editor."}
                </p>
            </div>
            <div class="editor-errors" id={errors_id} role="alert">
                if has_errors {
                    <h3>
                        {if p.errors.len() == 1 {
                            "1 problem".to_string()
                        } else {
                            format!("{} problems", p.errors.len())
                        }}
                    </h3>
                    <ul>{ for error_items }</ul>
                }
            </div>
            <section class="editor-preview" aria-labelledby={preview_id.clone()}>
                <h3 id={preview_id}>{"What Apply will do"}</h3>
                if has_errors && !p.preview.is_empty() {
                    <p class="preview-note">
                        {"Apply applies the objects without errors and reports the others, \
                          as kubectl does."}
                    </p>
                }
                if p.preview.is_empty() && has_errors {
                    <p class="preview-empty">{"Nothing can be applied until the problems above are fixed."}</p>
                } else if p.preview.is_empty() {
                    <p class="preview-empty">{"No objects to apply."}</p>
                } else {
                    <ul class="preview-list">{ for preview_items }</ul>
                }
            </section>
        </section>
    }
}
