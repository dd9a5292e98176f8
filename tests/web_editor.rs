//! Component tests of the YAML editor in headless Chromium: the textarea and its gutter, error
//! markers and the error list, the preview, the debounced change, Apply, Reset and escaping.

use kubesim::kubectl::apply::Preview;
use kubesim_web::components::editor::{Editor, EditorProps};
use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, Event, HtmlElement, HtmlTextAreaElement, KeyboardEvent, KeyboardEventInit};
use yew::platform::time::sleep;
use yew::{AppHandle, Callback};

wasm_bindgen_test_configure!(run_in_browser);

const MANIFEST: &str =
    "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: -1";

const INVALID: &str = "The Deployment \"web\" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0";

/// What the editor emitted, in order.
#[derive(Debug, Clone, PartialEq)]
enum Emitted {
    Change(String),
    Apply,
    Reset,
}

type Errors = Vec<(String, Option<(usize, usize)>)>;

struct Mounted {
    root: Element,
    seen: Rc<RefCell<Vec<Emitted>>>,
    handle: AppHandle<Editor>,
}

impl Mounted {
    fn textarea(&self) -> HtmlTextAreaElement {
        self.root
            .query_selector("textarea")
            .unwrap()
            .expect("a textarea")
            .dyn_into()
            .unwrap()
    }

    fn all(&self, selector: &str) -> Vec<Element> {
        let list = self.root.query_selector_all(selector).unwrap();
        (0..list.length())
            .map(|i| list.item(i).unwrap().dyn_into().unwrap())
            .collect()
    }

    fn one(&self, selector: &str) -> Element {
        self.root
            .query_selector(selector)
            .unwrap()
            .unwrap_or_else(|| panic!("no {selector}"))
    }

    fn button(&self, label: &str) -> HtmlElement {
        self.all("button")
            .into_iter()
            .find(|b| b.text_content().unwrap_or_default().trim() == label)
            .unwrap_or_else(|| panic!("no button {label:?}"))
            .dyn_into()
            .unwrap()
    }

    fn seen(&self) -> Vec<Emitted> {
        self.seen.borrow().clone()
    }

    /// Types as the browser would: the value changes, then `input` fires.
    fn type_text(&self, text: &str) {
        let ta = self.textarea();
        ta.set_value(text);
        ta.dispatch_event(&Event::new("input").unwrap()).unwrap();
    }

    /// Dispatches a keydown on the textarea; returns false when the editor prevented the default.
    fn key(&self, key: &str, ctrl: bool) -> bool {
        let init = KeyboardEventInit::new();
        init.set_key(key);
        init.set_ctrl_key(ctrl);
        init.set_bubbles(true);
        init.set_cancelable(true);
        let event = KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
        self.textarea().dispatch_event(&event).unwrap()
    }

    async fn update(&mut self, text: &str, errors: Errors, preview: Vec<Preview>) {
        let p = props(&self.seen, text, errors, preview);
        self.handle.update(p);
        yew::scheduler::flush().await;
    }
}

fn props(
    seen: &Rc<RefCell<Vec<Emitted>>>,
    text: &str,
    errors: Errors,
    preview: Vec<Preview>,
) -> EditorProps {
    let (s1, s2, s3) = (seen.clone(), seen.clone(), seen.clone());
    EditorProps {
        text: Rc::new(text.to_string()),
        errors: Rc::new(errors),
        preview: Rc::new(preview),
        on_change: Callback::from(move |t: String| s1.borrow_mut().push(Emitted::Change(t))),
        on_apply: Callback::from(move |()| s2.borrow_mut().push(Emitted::Apply)),
        on_reset: Callback::from(move |()| s3.borrow_mut().push(Emitted::Reset)),
        readonly: false,
    }
}

/// The editor's own stylesheet, so the gutter and textarea scroll as they do in the app.
fn install_css(document: &web_sys::Document) {
    if document.get_element_by_id("editor-css").is_none() {
        let style = document.create_element("style").unwrap();
        style.set_id("editor-css");
        style.set_text_content(Some(include_str!("../static/editor.css")));
        document.head().unwrap().append_child(&style).unwrap();
    }
}

async fn mount(text: &str, errors: Errors, preview: Vec<Preview>) -> Mounted {
    let document = web_sys::window().unwrap().document().unwrap();
    install_css(&document);
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    let seen = Rc::new(RefCell::new(Vec::new()));
    let p = props(&seen, text, errors, preview);
    let handle = yew::Renderer::<Editor>::with_root_and_props(root.clone(), p).render();
    yew::scheduler::flush().await;
    Mounted { root, seen, handle }
}

fn scale_preview() -> Preview {
    Preview {
        kind: "Deployment".to_string(),
        name: "web".to_string(),
        namespace: None,
        summary: "scales from 3 to 5 replicas".to_string(),
        changes: vec!["spec.replicas: 3 → 5".to_string()],
        error: false,
    }
}

fn has_class(el: &Element, class: &str) -> bool {
    el.class_name().split_whitespace().any(|c| c == class)
}

fn text_of(el: &Element) -> String {
    el.text_content().unwrap_or_default()
}

#[wasm_bindgen_test]
async fn textarea_is_labelled_and_shows_the_text_with_line_numbers() {
    let m = mount(MANIFEST, Vec::new(), Vec::new()).await;
    let ta = m.textarea();
    assert_eq!(
        ta.get_attribute("aria-label").as_deref(),
        Some("Manifest YAML")
    );
    assert_eq!(ta.value(), MANIFEST);
    assert_eq!(ta.get_attribute("spellcheck").as_deref(), Some("false"));
    assert_eq!(ta.get_attribute("wrap").as_deref(), Some("off"));
    let numbers: Vec<String> = m.all(".editor-gutter .ln").iter().map(text_of).collect();
    let expected: Vec<String> = (1..=MANIFEST.lines().count())
        .map(|n| n.to_string())
        .collect();
    assert_eq!(numbers, expected);
    assert!(m.all(".error-line").is_empty());
    assert_eq!(
        m.one(".editor-gutter")
            .get_attribute("aria-hidden")
            .as_deref(),
        Some("true")
    );
}

#[wasm_bindgen_test]
async fn a_read_only_view_shows_the_manifest_without_editing() {
    let mut m = mount(MANIFEST, Vec::new(), Vec::new()).await;
    assert!(!m.textarea().read_only());
    let mut p = props(&m.seen, MANIFEST, Vec::new(), Vec::new());
    p.readonly = true;
    m.handle.update(p);
    yew::scheduler::flush().await;
    assert!(m.textarea().read_only());
    assert_eq!(m.textarea().value(), MANIFEST);
}

#[wasm_bindgen_test]
async fn an_error_marks_its_gutter_line_and_is_listed() {
    let m = mount(
        MANIFEST,
        vec![(INVALID.to_string(), Some((3, 3)))],
        Vec::new(),
    )
    .await;
    let rows = m.all(".editor-gutter .ln");
    let marked: Vec<usize> = rows
        .iter()
        .enumerate()
        .filter(|(_, r)| has_class(r, "error-line"))
        .map(|(i, _)| i + 1)
        .collect();
    assert_eq!(marked, vec![3]);
    assert_eq!(rows[2].get_attribute("title").as_deref(), Some(INVALID));
    assert!(text_of(&rows[2]).contains('⚠'));

    let alert = m.one("[role=alert]");
    let items = m.all("[role=alert] li");
    assert_eq!(items.len(), 1);
    assert_eq!(text_of(&items[0]), format!("Line 3, column 3: {INVALID}"));
    assert!(text_of(&alert).contains("1 problem"));
    assert_eq!(
        m.textarea().get_attribute("aria-invalid").as_deref(),
        Some("true")
    );
}

#[wasm_bindgen_test]
async fn the_error_link_moves_the_caret_to_its_line() {
    let m = mount(
        MANIFEST,
        vec![(INVALID.to_string(), Some((6, 3)))],
        Vec::new(),
    )
    .await;
    m.button("Line 6, column 3").click();
    let ta = m.textarea();
    let expected = MANIFEST.find("replicas").unwrap() as u32;
    assert_eq!(ta.selection_start().unwrap(), Some(expected));
    assert_eq!(ta.selection_end().unwrap(), Some(expected));
    let active = web_sys::window()
        .unwrap()
        .document()
        .unwrap()
        .active_element()
        .unwrap();
    assert_eq!(active, ta.clone().into());
}

#[wasm_bindgen_test]
async fn an_error_without_position_is_listed_without_a_link() {
    let m = mount(
        "a: [",
        vec![("did not find expected ',' or ']'".to_string(), None)],
        Vec::new(),
    )
    .await;
    let items = m.all("[role=alert] li");
    assert_eq!(items.len(), 1);
    assert_eq!(text_of(&items[0]), "did not find expected ',' or ']'");
    assert!(m.all("[role=alert] button").is_empty());
    assert!(m.all(".error-line").is_empty());
}

#[wasm_bindgen_test]
async fn the_preview_shows_each_object_and_its_changes() {
    let m = mount(MANIFEST, Vec::new(), vec![scale_preview()]).await;
    let preview = m.one(".editor-preview");
    assert!(text_of(&preview).contains("What Apply will do"));
    let items = m.all(".preview-item");
    assert_eq!(items.len(), 1);
    assert!(
        text_of(&items[0]).contains("Deployment web — scales from 3 to 5 replicas"),
        "{}",
        text_of(&items[0])
    );
    let changes: Vec<String> = m.all(".preview-changes li").iter().map(text_of).collect();
    assert_eq!(changes, vec!["spec.replicas: 3 → 5"]);
    assert!(m.all(".preview-note").is_empty());
}

#[wasm_bindgen_test]
async fn the_preview_is_shown_alongside_errors_and_says_what_happens() {
    let failed = Preview {
        kind: "Deployment".to_string(),
        name: "api".to_string(),
        namespace: Some("prod".to_string()),
        summary: INVALID.to_string(),
        changes: Vec::new(),
        error: true,
    };
    let errors = vec![(INVALID.to_string(), Some((3, 1)))];
    let m = mount(MANIFEST, errors, vec![scale_preview(), failed]).await;
    let items = m.all(".preview-item");
    assert_eq!(items.len(), 2);
    assert!(has_class(&items[1], "error"));
    assert!(text_of(&items[1]).contains("Deployment api (namespace prod) — Error: "));
    assert!(text_of(&m.one(".preview-note")).contains("without errors"));
}

#[wasm_bindgen_test]
async fn typing_emits_the_text_after_the_debounce() {
    let m = mount(MANIFEST, Vec::new(), Vec::new()).await;
    let typed = format!("{MANIFEST}\n---\n");
    m.type_text(&typed);
    yew::scheduler::flush().await;
    // The gutter follows the typing at once; the app hears of it only when typing pauses.
    assert_eq!(m.all(".editor-gutter .ln").len(), typed.split('\n').count());
    sleep(Duration::from_millis(100)).await;
    assert_eq!(m.seen(), Vec::new());
    m.type_text(&typed.replace("-1", "2"));
    sleep(Duration::from_millis(150)).await;
    assert_eq!(m.seen(), Vec::new());
    sleep(Duration::from_millis(400)).await;
    assert_eq!(m.seen(), vec![Emitted::Change(typed.replace("-1", "2"))]);
}

#[wasm_bindgen_test]
async fn ctrl_enter_flushes_the_change_then_applies() {
    let m = mount(MANIFEST, Vec::new(), Vec::new()).await;
    let typed = MANIFEST.replace("-1", "3");
    m.type_text(&typed);
    assert!(
        !m.key("Enter", true),
        "Ctrl+Enter must not insert a newline"
    );
    assert_eq!(
        m.seen(),
        vec![Emitted::Change(typed.clone()), Emitted::Apply]
    );
    sleep(Duration::from_millis(450)).await;
    assert_eq!(m.seen(), vec![Emitted::Change(typed), Emitted::Apply]);
}

#[wasm_bindgen_test]
async fn the_apply_button_applies() {
    let m = mount(MANIFEST, Vec::new(), Vec::new()).await;
    m.button("Apply").click();
    assert_eq!(m.seen(), vec![Emitted::Apply]);
}

#[wasm_bindgen_test]
async fn reset_emits_on_reset_and_drops_the_unsent_edit() {
    let m = mount(MANIFEST, Vec::new(), Vec::new()).await;
    m.type_text("garbage");
    m.button("Reset to scenario").click();
    yew::scheduler::flush().await;
    assert_eq!(m.seen(), vec![Emitted::Reset]);
    assert_eq!(m.textarea().value(), MANIFEST);
    sleep(Duration::from_millis(450)).await;
    assert_eq!(m.seen(), vec![Emitted::Reset]);
}

#[wasm_bindgen_test]
async fn text_from_outside_replaces_the_draft_but_the_echo_does_not() {
    let mut m = mount(MANIFEST, Vec::new(), Vec::new()).await;
    m.update("kind: Other", Vec::new(), Vec::new()).await;
    assert_eq!(m.textarea().value(), "kind: Other");

    m.type_text("kind: Typed");
    sleep(Duration::from_millis(450)).await;
    assert_eq!(m.seen(), vec![Emitted::Change("kind: Typed".to_string())]);
    // The user kept typing before the app echoed the emitted text back.
    m.type_text("kind: Typed more");
    m.update("kind: Typed", Vec::new(), Vec::new()).await;
    assert_eq!(m.textarea().value(), "kind: Typed more");
}

#[wasm_bindgen_test]
async fn tab_indents_but_escape_then_tab_leaves() {
    let m = mount("a:\nb: 1", Vec::new(), Vec::new()).await;
    let ta = m.textarea();
    ta.focus().unwrap();
    ta.set_selection_range(3, 3).unwrap();
    assert!(!m.key("Tab", false), "Tab must not leave the field");
    yew::scheduler::flush().await;
    assert_eq!(ta.value(), "a:\n  b: 1");
    assert_eq!(ta.selection_start().unwrap(), Some(5));

    assert!(m.key("Escape", false));
    assert!(m.key("Tab", false), "Escape then Tab must leave the field");
    assert_eq!(ta.value(), "a:\n  b: 1");

    ta.set_selection_range(0, ta.value().len() as u32).unwrap();
    assert!(!m.key("Tab", false));
    yew::scheduler::flush().await;
    assert_eq!(ta.value(), "  a:\n    b: 1");
    sleep(Duration::from_millis(450)).await;
    assert_eq!(
        m.seen(),
        vec![Emitted::Change("  a:\n    b: 1".to_string())]
    );
}

#[wasm_bindgen_test]
async fn markup_in_messages_is_shown_as_text() {
    let evil = "bad <script>window.pwned = 1</script><b>bold</b>";
    let preview = Preview {
        summary: evil.to_string(),
        ..scale_preview()
    };
    let m = mount(
        MANIFEST,
        vec![(evil.to_string(), Some((1, 1)))],
        vec![preview],
    )
    .await;
    let item = m.one("[role=alert] li");
    assert_eq!(text_of(&item), format!("Line 1, column 1: {evil}"));
    assert!(m.root.query_selector("script").unwrap().is_none());
    assert!(m.root.query_selector("b").unwrap().is_none());
    assert!(text_of(&m.one(".preview-item")).contains("<script>"));
    assert_eq!(
        m.all(".error-line")[0].get_attribute("title").as_deref(),
        Some(evil)
    );
}

#[wasm_bindgen_test]
async fn the_gutter_scrolls_with_the_textarea() {
    let text: Vec<String> = (1..=120).map(|n| format!("k{n}: {n}")).collect();
    let text = text.join("\n");
    let m = mount(
        &text,
        vec![(INVALID.to_string(), Some((100, 1)))],
        Vec::new(),
    )
    .await;
    let ta = m.textarea();
    let gutter = m.one(".editor-gutter");
    ta.set_scroll_top(300);
    sleep(Duration::from_millis(100)).await;
    assert!(ta.scroll_top() > 0);
    assert_eq!(gutter.scroll_top(), ta.scroll_top());

    // Jumping to an error scrolls its line into view, and the gutter along.
    ta.set_scroll_top(0);
    sleep(Duration::from_millis(100)).await;
    m.button("Line 100, column 1").click();
    sleep(Duration::from_millis(100)).await;
    let row = m.all(".editor-gutter .ln")[99].get_bounding_client_rect();
    let frame = ta.get_bounding_client_rect();
    assert!(
        row.top() >= frame.top() && row.bottom() <= frame.bottom(),
        "line 100 at {}..{}, textarea at {}..{}",
        row.top(),
        row.bottom(),
        frame.top(),
        frame.bottom()
    );
    assert_eq!(gutter.scroll_top(), ta.scroll_top());
}
