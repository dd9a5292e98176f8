//! Component tests of the side panels (rollout, revision history, events) and of the edit
//! dialog in headless Chromium.

use kubesim::view::{EventView, RevisionView, RolloutInsight};
use kubesim::Time;
use kubesim_web::components::edit::{EditDialog, EditDialogProps};
use kubesim_web::components::events::{EventsPanel, EventsPanelProps};
use kubesim_web::components::history::{HistoryPanel, HistoryPanelProps};
use kubesim_web::components::narration::{Narration, NarrationProps};
use kubesim_web::components::rollout::{RolloutPanel, RolloutPanelProps};
use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlInputElement, HtmlSelectElement};
use yew::{Callback, Renderer};

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

fn new_root() -> Element {
    let div = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&div).unwrap();
    div
}

/// Lets the scheduler start, then waits until it has drained: the scheduler yields to the
/// browser mid-way on long renders, before effects such as scrolling have run.
async fn settle() {
    yew::platform::time::sleep(Duration::from_millis(10)).await;
    yew::scheduler::flush().await;
}

fn text(el: &Element) -> String {
    el.text_content().unwrap_or_default()
}

fn all(root: &Element, selector: &str) -> Vec<Element> {
    let list = root.query_selector_all(selector).unwrap();
    (0..list.length())
        .map(|i| list.item(i).unwrap().dyn_into::<Element>().unwrap())
        .collect()
}

fn one(root: &Element, selector: &str) -> Element {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no element matches {selector}"))
}

fn dispatch(el: &Element, kind: &str) {
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    let ev = web_sys::Event::new_with_event_init_dict(kind, &init).unwrap();
    el.dispatch_event(&ev).unwrap();
}

fn rolling_insight() -> RolloutInsight {
    RolloutInsight {
        strategy: "RollingUpdate".into(),
        replicas: 10,
        max_surge: (3, "25%".into()),
        max_unavailable: (2, "25%".into()),
        total_desired: 12,
        pods_existing: 14,
        max_total: 13,
        available: 8,
        min_available: 8,
        updated: 4,
        paused: false,
        complete: false,
        deadline_in: Some(42),
        deadline_exceeded: false,
        waiting_for: vec![
            "Old pods cannot be removed: 8 available, the minimum is 8 (10 − maxUnavailable 2)."
                .into(),
            "Waiting for 4 new pod(s) to become available.".into(),
        ],
    }
}

fn mount_rollout(insight: Option<RolloutInsight>) -> Element {
    let root = new_root();
    Renderer::<RolloutPanel>::with_root_and_props(
        root.clone(),
        RolloutPanelProps {
            deployment: "web".into(),
            insight,
        },
    )
    .render();
    root
}

#[wasm_bindgen_test]
async fn rollout_meters_show_resolved_limits_and_their_source() {
    let root = mount_rollout(Some(rolling_insight()));
    settle().await;
    let t = text(&root);
    assert!(
        t.contains("Pods: 12 of at most 13 (replicas 10 + maxSurge 3 from 25%)"),
        "{t}"
    );
    assert!(
        t.contains("Available: 8, at least 8 (replicas 10 − maxUnavailable 2 from 25%)"),
        "{t}"
    );
    let meters = all(&root, "[role=meter]");
    assert_eq!(meters.len(), 2);
    assert_eq!(meters[0].get_attribute("aria-label").unwrap(), "Pods");
    assert_eq!(meters[0].get_attribute("aria-valuenow").unwrap(), "12");
    assert_eq!(meters[1].get_attribute("aria-label").unwrap(), "Available");
    assert_eq!(meters[1].get_attribute("aria-valuenow").unwrap(), "8");
    assert!(meters[0]
        .get_attribute("aria-valuetext")
        .unwrap()
        .contains("25%"));
    assert!(
        t.contains("Pod objects existing, Terminating ones included: 14"),
        "{t}"
    );
    assert!(t.contains("Updated: 4 of 10"), "{t}");
    let status = one(&root, ".rollout-status");
    assert_eq!(
        text(&status),
        "Rolling out · progress deadline in 42\u{a0}s"
    );
    assert_eq!(text(&one(&status, "[role=status]")), "Rolling out");
    let waiting: Vec<String> = all(&root, ".rollout-waiting li").iter().map(text).collect();
    assert_eq!(waiting.len(), 2);
    assert_eq!(waiting[1], "Waiting for 4 new pod(s) to become available.");
}

#[wasm_bindgen_test]
async fn rollout_omits_the_source_when_written_as_a_number() {
    let mut i = rolling_insight();
    i.max_surge = (1, "1".into());
    i.max_total = 11;
    let root = mount_rollout(Some(i));
    settle().await;
    assert!(text(&root).contains("Pods: 12 of at most 11 (replicas 10 + maxSurge 1)"));
}

#[wasm_bindgen_test]
async fn rollout_recreate_explains_instead_of_meters() {
    let mut i = rolling_insight();
    i.strategy = "Recreate".into();
    i.complete = true;
    i.deadline_in = None;
    let root = mount_rollout(Some(i));
    settle().await;
    let t = text(&root);
    assert!(
        t.contains("Recreate: all old pods stop before new ones start"),
        "{t}"
    );
    assert!(all(&root, "[role=meter]").is_empty());
    assert!(!t.contains("maxSurge"), "{t}");
    assert_eq!(text(&one(&root, "[role=status]")), "Rollout complete");
}

#[wasm_bindgen_test]
async fn rollout_status_lines() {
    let mut exceeded = rolling_insight();
    exceeded.deadline_in = None;
    exceeded.deadline_exceeded = true;
    let root = mount_rollout(Some(exceeded));
    let mut paused = rolling_insight();
    paused.deadline_in = None;
    paused.paused = true;
    let paused_root = mount_rollout(Some(paused));
    let none_root = mount_rollout(None);
    settle().await;
    assert_eq!(
        text(&one(&root, "[role=status]")),
        "Progress deadline exceeded"
    );
    assert_eq!(text(&one(&paused_root, "[role=status]")), "Paused");
    assert!(text(&none_root).contains("No Deployment: this panel follows the rollout of one"));
    assert!(all(&none_root, "[role=meter]").is_empty());
}

fn revisions() -> Vec<RevisionView> {
    vec![
        RevisionView {
            revision: 1,
            replicaset: "web-aaa".into(),
            images: vec!["nginx:1.25".into()],
            change_cause: None,
            created: Time(0),
            current: false,
            replicas: 0,
            previous_revisions: vec![],
            since: None,
            changes: vec![],
        },
        RevisionView {
            revision: 2,
            replicaset: "web-bbb".into(),
            images: vec!["nginx:1.26".into(), "busybox:1.36".into()],
            change_cause: Some("kubectl set image deployment/web nginx=nginx:1.26".into()),
            created: Time(4 * 60_000 + 30_000),
            current: false,
            replicas: 0,
            previous_revisions: vec![],
            since: Some(1),
            changes: vec![
                "spec.template.spec.containers[0].image: nginx:1.25 → nginx:1.26".into(),
                "spec.template.spec.containers: … → <b>…</b>".into(),
            ],
        },
        RevisionView {
            revision: 4,
            replicaset: "web-ccc".into(),
            images: vec!["nginx:1.27".into()],
            change_cause: Some("<b>bold</b>".into()),
            created: Time(9 * 60_000),
            current: true,
            replicas: 3,
            previous_revisions: vec!["1".into(), "3".into()],
            since: Some(2),
            changes: vec![],
        },
    ]
}

fn mount_history(namespace: &str, revs: Vec<RevisionView>) -> (Element, Rc<RefCell<Vec<String>>>) {
    mount_history_paused(namespace, revs, false)
}

fn mount_history_paused(
    namespace: &str,
    revs: Vec<RevisionView>,
    paused: bool,
) -> (Element, Rc<RefCell<Vec<String>>>) {
    let root = new_root();
    let sent = Rc::new(RefCell::new(Vec::new()));
    let on_command = {
        let sent = sent.clone();
        Callback::from(move |line: String| sent.borrow_mut().push(line))
    };
    Renderer::<HistoryPanel>::with_root_and_props(
        root.clone(),
        HistoryPanelProps {
            namespace: namespace.into(),
            deployment: "web".into(),
            revisions: Rc::new(revs),
            now: Time(10 * 60_000),
            paused,
            on_command,
        },
    )
    .render();
    (root, sent)
}

fn button_named(root: &Element, name: &str) -> HtmlElement {
    all(root, "button")
        .into_iter()
        .find(|b| text(b) == name && b.get_attribute("aria-label").is_none())
        .unwrap_or_else(|| panic!("no button named {name:?}"))
        .dyn_into()
        .unwrap()
}

#[wasm_bindgen_test]
async fn history_lists_newest_first_with_details() {
    let (root, _) = mount_history("default", revisions());
    settle().await;
    let items = all(&root, "article");
    let titles: Vec<String> = items
        .iter()
        .map(|a| a.get_attribute("aria-label").unwrap())
        .collect();
    assert_eq!(titles, ["Revision 4", "Revision 2", "Revision 1"]);

    let current = text(&items[0]);
    assert!(current.contains("current"), "{current}");
    assert!(items[0].query_selector("button").unwrap().is_none());
    assert!(current.contains("previously revision 1, 3"), "{current}");
    assert!(current.contains("created 60s ago"), "{current}");
    assert!(current.contains("replicaset/web-ccc"), "{current}");
    assert!(current.contains("replicas: 3"), "{current}");
    assert!(current.contains("<b>bold</b>"), "{current}");
    assert!(items[0].query_selector("b").unwrap().is_none());

    let second = text(&items[1]);
    assert!(!second.contains("current"), "{second}");
    assert!(second.contains("nginx:1.26, busybox:1.36"), "{second}");
    assert!(second.contains("created 5m30s ago"), "{second}");
    let changes: Vec<String> = all(&items[1], ".revision-changes li")
        .iter()
        .map(text)
        .collect();
    assert_eq!(
        changes,
        [
            "spec.template.spec.containers[0].image: nginx:1.25 → nginx:1.26",
            "spec.template.spec.containers: … → <b>…</b>"
        ]
    );
    assert!(
        second.contains("Pod template changes from revision 1:"),
        "{second}"
    );
    assert!(
        items[1].query_selector("b").unwrap().is_none(),
        "changes are text"
    );
    // No list where nothing is known to compare (the oldest) or nothing changed.
    assert!(items[0]
        .query_selector(".revision-changes")
        .unwrap()
        .is_none());

    let oldest = text(&items[2]);
    assert!(oldest.contains("change-cause: <none>"), "{oldest}");
    assert!(oldest.contains("created 10m ago"), "{oldest}");
    assert!(!oldest.contains("previously"), "{oldest}");
    assert!(!oldest.contains("changes from"), "{oldest}");

    let names: Vec<String> = all(&root, "button").iter().map(text).collect();
    assert_eq!(
        names,
        ["Roll back to revision 2", "Roll back to revision 1"]
    );
}

#[wasm_bindgen_test]
async fn a_paused_deployment_offers_no_roll_back_and_says_why() {
    let (root, _) = mount_history_paused("default", revisions(), true);
    settle().await;
    assert!(all(&root, "button").is_empty(), "no roll-back buttons");
    assert!(text(&root).contains("Paused: resume the rollout to roll back"));
}

#[wasm_bindgen_test]
async fn history_roll_back_emits_the_kubectl_line() {
    let (root, sent) = mount_history("shop", revisions());
    let (default_root, default_sent) = mount_history("default", revisions());
    settle().await;
    button_named(&root, "Roll back to revision 1").click();
    // The button leaves with the rollback: the focus goes to the panel's heading.
    let focused = document().active_element().unwrap();
    assert_eq!(focused.tag_name(), "H2");
    assert_eq!(text(&focused), "Revision history");
    assert!(root.contains(Some(&focused)));
    button_named(&default_root, "Roll back to revision 2").click();
    settle().await;
    assert_eq!(
        *sent.borrow(),
        ["kubectl rollout undo deployment/web --to-revision=1 -n shop"]
    );
    assert_eq!(
        *default_sent.borrow(),
        ["kubectl rollout undo deployment/web --to-revision=2"]
    );
}

#[wasm_bindgen_test]
async fn history_empty() {
    let (root, _) = mount_history("default", vec![]);
    settle().await;
    assert!(text(&root).contains("No revisions yet"));
    assert!(all(&root, "button").is_empty());
}

fn event(secs: u64, type_: &str, reason: &str, object: &str, message: &str) -> EventView {
    EventView {
        id: format!("default/{object}.{secs}.{reason}.{message}"),
        last_seen: Time(secs * 1000),
        type_: type_.into(),
        reason: reason.into(),
        object: object.into(),
        message: message.into(),
        count: 1,
    }
}

fn sample_events() -> Vec<EventView> {
    let mut failed = event(
        50,
        "Warning",
        "Failed",
        "pod/web-def-1",
        "Failed to pull image \"nginx:nope\"",
    );
    failed.count = 3;
    vec![
        event(
            10,
            "Normal",
            "ScalingReplicaSet",
            "deployment/web",
            "Scaled up replica set web-abc to 3",
        ),
        event(
            20,
            "Normal",
            "Scheduled",
            "pod/web-abc-1",
            "Successfully assigned default/web-abc-1 to node-1",
        ),
        failed,
        event(
            60,
            "Warning",
            "BackOff",
            "pod/web-def-1",
            "<img src=x onerror=alert(1)>",
        ),
    ]
}

fn mount_events(events: Vec<EventView>) -> Element {
    let root = new_root();
    Renderer::<EventsPanel>::with_root_and_props(
        root.clone(),
        EventsPanelProps {
            events: Rc::new(events),
            now: Time(120_000),
        },
    )
    .render();
    root
}

fn rows(root: &Element) -> Vec<Vec<String>> {
    all(root, "tbody tr")
        .iter()
        .map(|tr| all(tr, "td").iter().map(text).collect())
        .collect()
}

#[wasm_bindgen_test]
async fn events_table_like_kubectl() {
    let root = mount_events(sample_events());
    settle().await;
    let headers: Vec<String> = all(&root, "th").iter().map(text).collect();
    assert_eq!(
        headers,
        ["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"]
    );
    let r = rows(&root);
    assert_eq!(r.len(), 4);
    assert_eq!(
        r[0],
        [
            "110s",
            "Normal",
            "ScalingReplicaSet",
            "deployment/web",
            "Scaled up replica set web-abc to 3"
        ]
    );
    assert_eq!(r[2][0], "70s (x3)");
    assert_eq!(r[3][2], "BackOff");
    // A narrow column wraps an object's name only after `/` and `-`, a reason only before a
    // capital.
    assert_eq!(
        one(&root, "td.events-object").inner_html(),
        "deployment/<wbr>web<wbr>"
    );
    assert_eq!(
        all(&root, "td")[2].inner_html(),
        "Scaling<wbr>Replica<wbr>Set<wbr>"
    );
    let warnings: Vec<String> = all(&root, "tbody tr.warning")
        .iter()
        .map(|tr| text(&all(tr, "td")[2]))
        .collect();
    assert_eq!(warnings, ["Failed", "BackOff"]);
}

#[wasm_bindgen_test]
async fn events_message_is_text_not_html() {
    let root = mount_events(sample_events());
    settle().await;
    assert_eq!(rows(&root)[3][4], "<img src=x onerror=alert(1)>");
    assert!(root.query_selector("img").unwrap().is_none());
}

#[wasm_bindgen_test]
async fn events_filter_by_object_and_type() {
    let root = mount_events(sample_events());
    settle().await;
    let input: HtmlInputElement = one(&root, "input[aria-label='Filter events by object']")
        .dyn_into()
        .unwrap();
    let select: HtmlSelectElement = one(&root, "select").dyn_into().unwrap();

    input.set_value("Deployment/");
    dispatch(&input, "input");
    settle().await;
    let r = rows(&root);
    assert_eq!(r.len(), 1);
    assert_eq!(r[0][3], "deployment/web");

    input.set_value("web-def");
    dispatch(&input, "input");
    settle().await;
    assert_eq!(rows(&root).len(), 2);

    input.set_value("");
    dispatch(&input, "input");
    select.set_value("Warning");
    dispatch(&select, "change");
    settle().await;
    let reasons: Vec<String> = rows(&root).iter().map(|r| r[2].clone()).collect();
    assert_eq!(reasons, ["Failed", "BackOff"]);

    select.set_value("Normal");
    dispatch(&select, "change");
    settle().await;
    let reasons: Vec<String> = rows(&root).iter().map(|r| r[2].clone()).collect();
    assert_eq!(reasons, ["ScalingReplicaSet", "Scheduled"]);

    input.set_value("web-def");
    dispatch(&input, "input");
    settle().await;
    assert!(rows(&root).is_empty());
    assert!(text(&root).contains("No events match the filter"));

    select.set_value("");
    dispatch(&select, "change");
    input.set_value("");
    dispatch(&input, "input");
    settle().await;
    assert_eq!(rows(&root).len(), 4);
}

#[wasm_bindgen_test]
async fn events_cap_at_200_rows_and_scroll_to_newest() {
    // panels.css is not loaded here; give the list a height so it scrolls.
    let style = document().create_element("style").unwrap();
    style.set_text_content(Some(
        ".events-scroll { max-height: 100px; overflow: auto; }",
    ));
    document().head().unwrap().append_child(&style).unwrap();

    let events: Vec<EventView> = (0..250)
        .map(|i| {
            event(
                i,
                "Normal",
                "Pulled",
                &format!("pod/web-{i}"),
                &format!("event {i}"),
            )
        })
        .collect();
    let root = mount_events(events);
    settle().await;
    let r = rows(&root);
    assert_eq!(r.len(), 200);
    assert_eq!(r[0][4], "event 50");
    assert_eq!(r[199][4], "event 249");
    assert!(text(&root).contains("showing last 200 of 250"));

    let scroller = one(&root, ".events-scroll");
    assert!(
        scroller.scroll_top() > 0,
        "top {} client {} scroll {}",
        scroller.scroll_top(),
        scroller.client_height(),
        scroller.scroll_height()
    );
    assert!(scroller.scroll_top() + scroller.client_height() >= scroller.scroll_height() - 1);
}

#[wasm_bindgen_test]
async fn events_stop_following_while_scrolled_up() {
    short_event_list();
    let root = new_root();
    let props = |n| EventsPanelProps {
        events: Rc::new(numbered_events(n)),
        now: Time(120_000),
    };
    let mut app = Renderer::<EventsPanel>::with_root_and_props(root.clone(), props(30)).render();
    settle().await;
    let scroller = one(&root, ".events-scroll");
    let at_bottom = |el: &Element| el.scroll_top() + el.client_height() >= el.scroll_height() - 1;
    assert!(at_bottom(&scroller));

    scroller.set_scroll_top(0);
    yew::platform::time::sleep(Duration::from_millis(100)).await;
    app.update(props(31));
    settle().await;
    assert_eq!(scroller.scroll_top(), 0);

    scroller.set_scroll_top(scroller.scroll_height());
    yew::platform::time::sleep(Duration::from_millis(100)).await;
    app.update(props(32));
    settle().await;
    assert_eq!(rows(&root).len(), 32);
    assert!(at_bottom(&scroller));
}

#[wasm_bindgen_test]
async fn a_new_event_past_the_cap_keeps_the_rows_already_shown() {
    let root = new_root();
    let props = |n| EventsPanelProps {
        events: Rc::new(numbered_events(n)),
        now: Time(600_000),
    };
    let row_of = |root: &Element, message: &str| {
        let list = root.query_selector_all("tbody tr").unwrap();
        (0..list.length())
            .map(|i| list.item(i).unwrap())
            .find(|tr| tr.text_content().unwrap_or_default().ends_with(message))
            .expect("row shown")
    };
    let mut app = Renderer::<EventsPanel>::with_root_and_props(root.clone(), props(200)).render();
    settle().await;
    let before = row_of(&root, "event 100");
    // One more event drops the oldest row: the others stay the same elements (keyed rows),
    // instead of every row being rewritten with its neighbour's text.
    app.update(props(201));
    settle().await;
    assert_eq!(rows(&root).len(), 200);
    assert_eq!(rows(&root)[0][4], "event 1");
    assert!(row_of(&root, "event 100").is_same_node(Some(&before)));
}

/// panels.css is not loaded in these tests; gives the event list a height so that it scrolls.
fn short_event_list() {
    if document().get_element_by_id("test-short-events").is_some() {
        return;
    }
    let style = document().create_element("style").unwrap();
    style.set_id("test-short-events");
    style.set_text_content(Some(
        ".events-scroll { max-height: 100px; overflow: auto; }",
    ));
    document().head().unwrap().append_child(&style).unwrap();
}

fn numbered_events(n: u64) -> Vec<EventView> {
    (0..n)
        .map(|i| {
            event(
                i,
                "Normal",
                "Pulled",
                &format!("pod/web-{i}"),
                &format!("event {i}"),
            )
        })
        .collect()
}

/// What an edit dialog under test saved, and how often it was cancelled.
type EditSeen = (Rc<RefCell<Vec<String>>>, Rc<RefCell<usize>>);

/// The edit dialog with `text`, recording what it saved and how often it was cancelled.
fn mount_edit(text: &str, error: Option<&str>) -> (Element, EditSeen) {
    let root = new_root();
    let saved = Rc::new(RefCell::new(Vec::new()));
    let cancelled = Rc::new(RefCell::new(0));
    let (s, c) = (saved.clone(), cancelled.clone());
    Renderer::<EditDialog>::with_root_and_props(
        root.clone(),
        EditDialogProps {
            object: "deployment.apps/web".into(),
            text: text.to_string().into(),
            error: error.map(|e| e.to_string().into()),
            on_save: Callback::from(move |t: String| s.borrow_mut().push(t)),
            on_cancel: Callback::from(move |()| *c.borrow_mut() += 1),
        },
    )
    .render();
    (root, (saved, cancelled))
}

fn key(el: &Element, key: &str, ctrl: bool) {
    let init = web_sys::KeyboardEventInit::new();
    init.set_key(key);
    init.set_ctrl_key(ctrl);
    init.set_bubbles(true);
    init.set_cancelable(true);
    let e = web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    el.dispatch_event(&e).unwrap();
}

#[wasm_bindgen_test]
async fn the_edit_dialog_saves_what_was_typed_and_escape_cancels() {
    let (root, (saved, cancelled)) = mount_edit(
        "# Please edit the object below.\nspec:\n  replicas: 2\n",
        None,
    );
    settle().await;
    let dialog = one(&root, "[role=dialog]");
    assert_eq!(dialog.get_attribute("aria-modal").as_deref(), Some("true"));
    assert_eq!(
        text(&one(&root, "#edit-title")),
        "kubectl edit deployment.apps/web"
    );
    let area = one(&root, "textarea[aria-label='Edited object']")
        .dyn_into::<web_sys::HtmlTextAreaElement>()
        .unwrap();
    // Typing starts in the text.
    let focused = document().active_element().unwrap();
    assert_eq!(focused, area.clone().into());
    area.set_value("spec:\n  replicas: 5\n");
    button_named(&root, "Save").click();
    assert_eq!(*saved.borrow(), vec!["spec:\n  replicas: 5\n".to_string()]);
    // Ctrl+Enter saves too; Escape cancels wherever focus is.
    key(&area, "Enter", true);
    assert_eq!(saved.borrow().len(), 2);
    // Unchanged text closes without asking.
    area.set_value("# Please edit the object below.\nspec:\n  replicas: 2\n");
    key(&document().body().unwrap(), "Escape", false);
    yew::platform::time::sleep(Duration::from_millis(20)).await;
    assert_eq!(*cancelled.borrow(), 1);
    button_named(&root, "Cancel").click();
    assert_eq!(*cancelled.borrow(), 2);
}

#[wasm_bindgen_test]
async fn a_refused_edit_shows_why_above_the_text() {
    let (root, _) = mount_edit(
        "spec:\n  replicas: -1\n",
        Some("The Deployment \"web\" is invalid: spec.replicas: Invalid value: -1"),
    );
    settle().await;
    let alert = one(&root, "[role=alert]");
    assert!(text(&alert).contains("spec.replicas: Invalid value: -1"));
}

/// The narration's engine side, scripted: each query takes the next answer and records the
/// version it was asked from.
struct Script {
    answers: Vec<(Option<String>, u64)>,
    asked: Vec<u64>,
}

fn narration_props(epoch: u64, revision: u64, script: &Rc<RefCell<Script>>) -> NarrationProps {
    let script = script.clone();
    NarrationProps {
        epoch,
        revision,
        query: Callback::from(move |after: u64| {
            let mut s = script.borrow_mut();
            s.asked.push(after);
            s.answers.remove(0)
        }),
        every_ms: 1000,
        captions: false,
    }
}

#[wasm_bindgen_test]
async fn narration_speaks_new_events_at_most_every_few_seconds_and_never_the_past() {
    let root = new_root();
    let script = Rc::new(RefCell::new(Script {
        answers: vec![
            (Some("what happened before".into()), 5),
            (Some("At t = 1s: deployment/web: Scaled up".into()), 7),
            (Some("At t = 2s: pod/web-1: Started".into()), 9),
            (Some("replayed after a rewind".into()), 4),
            (Some("At t = 1s: pod/web-2: Created".into()), 6),
            (None, 3),
            (Some("another session's past".into()), 8),
        ],
        asked: vec![],
    }));
    let quiet = || yew::platform::time::sleep(Duration::from_millis(1100));
    let mut app =
        Renderer::<Narration>::with_root_and_props(root.clone(), narration_props(1, 10, &script))
            .render();
    settle().await;
    let region = one(&root, "[role=status]");
    assert_eq!(region.get_attribute("aria-live").as_deref(), Some("polite"));
    // On opening, the events so far are not news: only the newest version is asked for.
    assert_eq!(text(&region), "");
    assert_eq!(script.borrow().asked, [u64::MAX]);

    app.update(narration_props(1, 11, &script));
    settle().await;
    assert_eq!(text(&region), "At t = 1s: deployment/web: Scaled up");
    assert_eq!(script.borrow().asked, [u64::MAX, 5]);

    // Within the quiet interval the cluster changes without a word; after it, one narration
    // tells everything since.
    app.update(narration_props(1, 12, &script));
    settle().await;
    assert_eq!(script.borrow().asked.len(), 2);
    quiet().await;
    settle().await;
    assert_eq!(text(&region), "At t = 2s: pod/web-1: Started");
    assert_eq!(script.borrow().asked, [u64::MAX, 5, 7]);

    // A rewind (a lower revision) replays the cluster: what it replays is not said, even
    // within the quiet interval, and the narration goes on from there.
    app.update(narration_props(1, 5, &script));
    settle().await;
    assert_eq!(text(&region), "At t = 2s: pod/web-1: Started");
    assert_eq!(script.borrow().asked, [u64::MAX, 5, 7, u64::MAX]);
    quiet().await;
    app.update(narration_props(1, 6, &script));
    settle().await;
    assert_eq!(text(&region), "At t = 1s: pod/web-2: Created");
    assert_eq!(script.borrow().asked, [u64::MAX, 5, 7, u64::MAX, 4]);

    // Events older than the last told (the engine went back some other way): nothing said.
    quiet().await;
    app.update(narration_props(1, 7, &script));
    settle().await;
    assert_eq!(text(&region), "At t = 1s: pod/web-2: Created");
    assert_eq!(script.borrow().asked, [u64::MAX, 5, 7, u64::MAX, 4, 6]);

    // A new session (another scenario) starts over: its past is not news either.
    app.update(narration_props(2, 1, &script));
    settle().await;
    assert_eq!(text(&region), "At t = 1s: pod/web-2: Created");
    assert_eq!(
        script.borrow().asked,
        [u64::MAX, 5, 7, u64::MAX, 4, 6, u64::MAX]
    );
}

#[wasm_bindgen_test]
async fn captions_show_the_narration_on_screen() {
    let root = new_root();
    let script = Rc::new(RefCell::new(Script {
        answers: vec![
            (None, 2),
            (Some("At t = 5s: deployment/web: Scaled up".into()), 3),
        ],
        asked: vec![],
    }));
    let props = |revision| NarrationProps {
        captions: true,
        ..narration_props(1, revision, &script)
    };
    let mut app = Renderer::<Narration>::with_root_and_props(root.clone(), props(1)).render();
    settle().await;
    let region = one(&root, "[role=status]");
    assert_eq!(region.class_name(), "captions");
    assert_eq!(
        text(&region),
        "What the controllers do appears here every few seconds."
    );
    app.update(props(2));
    settle().await;
    assert_eq!(text(&region), "At t = 5s: deployment/web: Scaled up");
    // Without captions the same region is for screen readers only.
    app.update(narration_props(1, 2, &script));
    settle().await;
    assert_eq!(region.class_name(), "visually-hidden");
    assert_eq!(text(&region), "At t = 5s: deployment/web: Scaled up");
}
