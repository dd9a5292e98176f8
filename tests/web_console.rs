//! Component tests of the kubectl console in headless Chromium: the transcript, submitting,
//! history, completion, Ctrl+C and focus.

use kubesim::{Output, Time};
use kubesim_web::components::console::{Console, ConsoleEntry, ConsoleProps};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::KeyboardEventInit;
use web_sys::{Element, HtmlElement, HtmlInputElement, InputEvent, InputEventInit, KeyboardEvent};
use yew::{AppHandle, Callback};

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

/// What the console emitted, for assertions.
#[derive(Default)]
struct Seen {
    submitted: RefCell<Vec<String>>,
    completed: RefCell<Vec<String>>,
    interrupts: RefCell<usize>,
}

struct Mounted {
    root: Element,
    seen: Rc<Seen>,
    handle: AppHandle<Console>,
}

fn props(
    seen: &Rc<Seen>,
    entries: Vec<ConsoleEntry>,
    history: Vec<String>,
    candidates: Vec<&'static str>,
    watching: bool,
) -> ConsoleProps {
    let (s1, s2, s3) = (seen.clone(), seen.clone(), seen.clone());
    ConsoleProps {
        entries: Rc::new(entries),
        history: Rc::new(history),
        on_submit: Callback::from(move |l: String| s1.submitted.borrow_mut().push(l)),
        complete: Callback::from(move |l: String| {
            s2.completed.borrow_mut().push(l);
            candidates.iter().map(|c| c.to_string()).collect()
        }),
        on_interrupt: Callback::from(move |()| *s3.interrupts.borrow_mut() += 1),
        watching,
        returned: Rc::default(),
        first: 0,
    }
}

async fn mount_with(
    entries: Vec<ConsoleEntry>,
    history: Vec<String>,
    candidates: Vec<&'static str>,
    watching: bool,
) -> Mounted {
    let document = document();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    let seen = Rc::new(Seen::default());
    let p = props(&seen, entries, history, candidates, watching);
    let handle = yew::Renderer::<Console>::with_root_and_props(root.clone(), p).render();
    yew::scheduler::flush().await;
    Mounted { root, seen, handle }
}

async fn mount(candidates: Vec<&'static str>) -> Mounted {
    mount_with(Vec::new(), Vec::new(), candidates, false).await
}

fn entry(command: Option<&str>, note: Option<&str>, stdout: &str, stderr: &str) -> ConsoleEntry {
    ConsoleEntry {
        at: Time(0),
        command: command.map(str::to_string),
        note: note.map(str::to_string),
        output: Output {
            stdout: stdout.to_string(),
            stderr: stderr.to_string(),
            ..Output::default()
        },
    }
}

impl Mounted {
    fn find(&self, selector: &str) -> Option<Element> {
        self.root.query_selector(selector).unwrap()
    }

    fn texts(&self, selector: &str) -> Vec<String> {
        let list = self.root.query_selector_all(selector).unwrap();
        (0..list.length())
            .map(|i| list.item(i).unwrap().text_content().unwrap_or_default())
            .collect()
    }

    fn input(&self) -> HtmlInputElement {
        self.find("input").unwrap().dyn_into().unwrap()
    }

    /// Sets the input's text as typing would, firing `input`.
    async fn type_line(&self, text: &str) {
        let input = self.input();
        input.set_value(text);
        let init = InputEventInit::new();
        init.set_bubbles(true);
        let event = InputEvent::new_with_event_init_dict("input", &init).unwrap();
        input.dispatch_event(&event).unwrap();
        yew::scheduler::flush().await;
    }

    /// Presses a key in the input; returns whether the default action was left alone.
    async fn press(&self, key: &str, ctrl: bool) -> bool {
        let init = KeyboardEventInit::new();
        init.set_key(key);
        init.set_ctrl_key(ctrl);
        init.set_bubbles(true);
        init.set_cancelable(true);
        let event = KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
        let not_prevented = self.input().dispatch_event(&event).unwrap();
        yew::scheduler::flush().await;
        not_prevented
    }

    fn done(self) {
        self.handle.destroy();
        self.root.remove();
    }
}

#[wasm_bindgen_test]
async fn entries_render_prompt_note_output_and_error_as_text() {
    let m = mount_with(
        vec![
            entry(
                Some("kubectl get pods"),
                Some("First look"),
                "<b>x</b>\n",
                "",
            ),
            entry(
                Some("kubectl nope"),
                None,
                "",
                "error: unknown command \"nope\"\n",
            ),
            entry(None, None, "web-1   1/1   Running\n", ""),
        ],
        Vec::new(),
        Vec::new(),
        false,
    )
    .await;
    assert_eq!(m.texts(".console-entry").len(), 3);
    assert_eq!(
        m.texts(".console-prompt"),
        ["$ kubectl get pods", "$ kubectl nope"],
        "a watch's later output has no prompt line"
    );
    assert_eq!(m.texts(".console-note"), ["# First look\n"]);
    let first = m.find(".console-entry").unwrap();
    let order: Vec<String> = {
        let kids = first.children();
        (0..kids.length())
            .map(|i| kids.item(i).unwrap().class_name())
            .collect()
    };
    assert_eq!(order, ["console-note", "console-prompt", "console-stdout"]);
    assert_eq!(m.texts(".console-stdout")[0], "<b>x</b>\n");
    assert!(
        m.find(".console-stdout b").is_none(),
        "output is text, not HTML"
    );
    assert_eq!(
        m.texts(".console-stderr"),
        ["error: unknown command \"nope\"\n"]
    );
    assert!(m.find(".console-watching").is_none());
    m.done();
}

#[wasm_bindgen_test]
async fn dropping_the_oldest_entry_keeps_the_others_elements() {
    let lines = |range: std::ops::Range<usize>| -> Vec<ConsoleEntry> {
        range
            .map(|i| entry(Some(&format!("kubectl get pods # {i}")), None, "", ""))
            .collect()
    };
    let mut m = mount_with(lines(0..3), Vec::new(), Vec::new(), false).await;
    let element_of = |m: &Mounted, i: usize| {
        let list = m.root.query_selector_all(".console-entry").unwrap();
        (0..list.length())
            .map(|k| list.item(k).unwrap())
            .find(|e| {
                e.text_content()
                    .unwrap_or_default()
                    .ends_with(&format!("# {i}"))
            })
            .expect("entry shown")
    };
    let before = element_of(&m, 1);
    // The transcript is full: entry 0 scrolls away as entry 3 arrives.
    let mut p = props(&m.seen, lines(1..4), Vec::new(), Vec::new(), false);
    p.first = 1;
    m.handle.update(p);
    yew::scheduler::flush().await;
    assert_eq!(m.texts(".console-prompt").len(), 3);
    assert!(element_of(&m, 1).is_same_node(Some(&before)));
    m.done();
}

#[wasm_bindgen_test]
fn a_huge_output_keeps_its_first_lines_and_says_how_many_were_left_out() {
    use kubesim::session::Printed;
    use kubesim_web::components::console::OUTPUT_LINES;
    let printed = |lines: usize| Printed {
        at: Time(0),
        line: Some("kubectl describe pods".into()),
        note: None,
        output: Output {
            stdout: (1..=lines).map(|i| format!("line {i}\n")).collect(),
            stderr: "Warning: x\n".into(),
            exit_code: 0,
            lead: 0,
        },
    };
    let whole = ConsoleEntry::from(printed(OUTPUT_LINES));
    assert_eq!(
        whole.output.stdout.lines().count(),
        OUTPUT_LINES,
        "up to the limit all is kept"
    );
    let cut = ConsoleEntry::from(printed(OUTPUT_LINES + 1234));
    let lines: Vec<&str> = cut.output.stdout.lines().collect();
    assert_eq!(lines.len(), OUTPUT_LINES + 1);
    assert_eq!(lines[OUTPUT_LINES - 1], format!("line {OUTPUT_LINES}"));
    assert_eq!(
        lines[OUTPUT_LINES],
        format!("… 1234 more lines not shown: the console keeps the first {OUTPUT_LINES} lines of each output")
    );
    assert_eq!(cut.output.stderr, "Warning: x\n", "stderr is kept whole");
}

#[wasm_bindgen_test]
fn a_huge_line_keeps_its_first_bytes_in_each_stream() {
    use kubesim::session::Printed;
    use kubesim_web::components::console::OUTPUT_BYTES;
    // One line of a million two-byte characters, as a Go template's `range` can print.
    let line = "é".repeat(1_000_000);
    let entry = ConsoleEntry::from(Printed {
        at: Time(0),
        line: Some("kubectl get pods -o go-template=…".into()),
        note: None,
        output: Output {
            stdout: line.clone(),
            stderr: line,
            exit_code: 0,
            lead: 0,
        },
    });
    for stream in [&entry.output.stdout, &entry.output.stderr] {
        let (kept, note) = stream
            .split_once('\n')
            .expect("a note after the kept bytes");
        assert_eq!(kept.len(), OUTPUT_BYTES, "cut at a character boundary");
        assert!(kept.chars().all(|c| c == 'é'));
        assert_eq!(
            note,
            format!(
                "… {} more bytes not shown: the console keeps the first 256 KiB of each output\n",
                2_000_000 - OUTPUT_BYTES
            )
        );
    }
}

#[wasm_bindgen_test]
async fn warnings_show_before_the_output_and_errors_after() {
    let m = mount_with(
        vec![entry(
            Some("kubectl set image deployment/web nope=nginx web=nginx --record"),
            None,
            "deployment.apps/web image updated\n",
            "Flag --record has been deprecated, --record will be removed in the future\nerror: unable to find container named \"nope\"\n",
        )],
        Vec::new(),
        Vec::new(),
        false,
    )
    .await;
    let want = [
        (
            "console-prompt",
            "$ kubectl set image deployment/web nope=nginx web=nginx --record",
        ),
        (
            "console-stderr",
            "Flag --record has been deprecated, --record will be removed in the future\n",
        ),
        ("console-stdout", "deployment.apps/web image updated\n"),
        (
            "console-stderr",
            "error: unable to find container named \"nope\"\n",
        ),
    ];
    assert_eq!(blocks(&m), owned(&want));
    m.done();
}

/// The first entry's blocks, in order: (class, text).
fn blocks(m: &Mounted) -> Vec<(String, String)> {
    let entry = m.find(".console-entry").unwrap();
    let kids = entry.children();
    (0..kids.length())
        .map(|i| kids.item(i).unwrap())
        .map(|k| (k.class_name(), k.text_content().unwrap_or_default()))
        .collect()
}

fn owned(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(c, t)| (c.to_string(), t.to_string()))
        .collect()
}

#[wasm_bindgen_test]
async fn a_warning_printed_mid_command_shows_between_its_stdout_lines() {
    // drain cordons, then warns about bare pods, then evicts.
    let mut e = entry(
        Some("kubectl drain node-1 --force"),
        None,
        "node/node-1 cordoned\nevicting pod default/bare\n",
        "Warning: deleting Pods that declare no controller: default/bare\n",
    );
    e.output.lead = "node/node-1 cordoned\n".len();
    let m = mount_with(vec![e], Vec::new(), Vec::new(), false).await;
    let want = [
        ("console-prompt", "$ kubectl drain node-1 --force"),
        ("console-stdout", "node/node-1 cordoned\n"),
        (
            "console-stderr",
            "Warning: deleting Pods that declare no controller: default/bare\n",
        ),
        ("console-stdout", "evicting pod default/bare\n"),
    ];
    assert_eq!(blocks(&m), owned(&want));
    m.done();
}

#[wasm_bindgen_test]
async fn enter_submits_the_line_and_clears_the_input() {
    let m = mount(Vec::new()).await;
    m.type_line("kubectl get deployments").await;
    assert!(!m.press("Enter", false).await);
    assert_eq!(*m.seen.submitted.borrow(), ["kubectl get deployments"]);
    assert_eq!(m.input().value(), "");

    m.type_line("   ").await;
    m.press("Enter", false).await;
    assert_eq!(
        m.seen.submitted.borrow().len(),
        1,
        "blank lines are ignored"
    );
    m.done();
}

#[wasm_bindgen_test]
async fn arrows_walk_the_history_and_return_to_the_typed_line() {
    let m = mount_with(
        Vec::new(),
        vec!["kubectl get rs".to_string()],
        Vec::new(),
        false,
    )
    .await;
    for line in ["kubectl get pods", "kubectl get deploy"] {
        m.type_line(line).await;
        m.press("Enter", false).await;
    }
    m.type_line("kubectl sc").await;

    m.press("ArrowUp", false).await;
    assert_eq!(m.input().value(), "kubectl get deploy");
    m.press("ArrowUp", false).await;
    assert_eq!(m.input().value(), "kubectl get pods");
    m.press("ArrowUp", false).await;
    assert_eq!(
        m.input().value(),
        "kubectl get rs",
        "props.history comes first"
    );
    m.press("ArrowUp", false).await;
    assert_eq!(m.input().value(), "kubectl get rs", "stays at the oldest");

    m.press("ArrowDown", false).await;
    assert_eq!(m.input().value(), "kubectl get pods");
    m.press("ArrowDown", false).await;
    assert_eq!(m.input().value(), "kubectl get deploy");
    m.press("ArrowDown", false).await;
    assert_eq!(
        m.input().value(),
        "kubectl sc",
        "back to what was being typed"
    );
    m.press("ArrowDown", false).await;
    assert_eq!(m.input().value(), "kubectl sc");
    m.done();
}

#[wasm_bindgen_test]
async fn history_lists_each_command_once_in_the_order_it_ran() {
    let mut m = mount(Vec::new()).await;
    let typed = ["kubectl get pods", "kubectl get rs", "kubectl get deploy"];
    for line in typed {
        m.type_line(line).await;
        m.press("Enter", false).await;
    }
    // The session ran the three typed lines, then a click's command.
    let mut history: Vec<String> = typed.iter().map(|l| l.to_string()).collect();
    history.push("kubectl scale deployment/web --replicas=4".into());
    m.handle
        .update(props(&m.seen, Vec::new(), history, Vec::new(), false));
    yew::scheduler::flush().await;
    // A line that never became a command (a typing error) is recalled where it was typed.
    m.type_line("kubectl gett pods").await;
    m.press("Enter", false).await;

    let mut recalled = Vec::new();
    for _ in 0..7 {
        m.press("ArrowUp", false).await;
        recalled.push(m.input().value());
    }
    assert_eq!(
        recalled,
        [
            "kubectl gett pods",
            "kubectl scale deployment/web --replicas=4",
            "kubectl get deploy",
            "kubectl get rs",
            "kubectl get pods",
            "kubectl get pods",
            "kubectl get pods",
        ]
    );
    m.done();
}

#[wasm_bindgen_test]
async fn tab_with_one_candidate_completes_the_last_word() {
    let m = mount(vec!["deployments"]).await;
    m.type_line("kubectl get dep").await;
    assert!(!m.press("Tab", false).await, "Tab does not move focus");
    assert_eq!(*m.seen.completed.borrow(), ["kubectl get dep"]);
    assert_eq!(m.input().value(), "kubectl get deployments ");
    assert_eq!(m.texts(".console-candidates"), [""]);
    m.done();
}

#[wasm_bindgen_test]
async fn a_completed_value_ending_in_equals_waits_for_the_rest() {
    let m = mount(vec!["jsonpath="]).await;
    m.type_line("kubectl get pods -o jsonp").await;
    m.press("Tab", false).await;
    assert_eq!(m.input().value(), "kubectl get pods -o jsonpath=");
    m.done();
}

#[wasm_bindgen_test]
async fn tab_with_several_candidates_extends_to_their_prefix_and_lists_them() {
    let m = mount(vec!["rollout", "rolling"]).await;
    m.type_line("kubectl r").await;
    m.press("Tab", false).await;
    assert_eq!(m.input().value(), "kubectl roll");
    let listed = m.texts(".console-candidates").join("");
    assert!(
        listed.contains("rollout") && listed.contains("rolling"),
        "{listed}"
    );

    m.type_line("kubectl rollo").await;
    assert_eq!(
        m.texts(".console-candidates"),
        [""],
        "typing hides the list"
    );
    m.done();
}

#[wasm_bindgen_test]
async fn tab_on_an_empty_line_leaves_focus_navigation_alone() {
    let m = mount(vec!["get"]).await;
    assert!(m.press("Tab", false).await);
    assert!(m.seen.completed.borrow().is_empty());
    m.done();
}

#[wasm_bindgen_test]
async fn ctrl_c_interrupts_when_watching_or_on_an_empty_line() {
    let m = mount_with(Vec::new(), Vec::new(), Vec::new(), true).await;
    assert!(m
        .find(".console-watching")
        .unwrap()
        .text_content()
        .unwrap()
        .contains("Ctrl+C"));
    m.type_line("kubectl get pods").await;
    m.press("c", true).await;
    assert_eq!(*m.seen.interrupts.borrow(), 1);
    m.done();

    let m = mount(Vec::new()).await;
    m.type_line("kubectl get pods").await;
    m.press("c", true).await;
    assert_eq!(*m.seen.interrupts.borrow(), 0, "left to copy");
    m.type_line("").await;
    m.press("c", true).await;
    assert_eq!(*m.seen.interrupts.borrow(), 1);
    m.done();
}

#[wasm_bindgen_test]
async fn input_is_labelled_and_the_transcript_click_focuses_it() {
    let m = mount(Vec::new()).await;
    let input = m.input();
    assert_eq!(
        input.get_attribute("aria-label").as_deref(),
        Some("kubectl command")
    );
    assert_eq!(input.get_attribute("autocomplete").as_deref(), Some("off"));
    assert_eq!(input.get_attribute("spellcheck").as_deref(), Some("false"));
    let active = || document().active_element();
    assert_ne!(
        active(),
        Some(input.clone().into()),
        "mounting does not steal focus"
    );

    let transcript: HtmlElement = m.find(".console-transcript").unwrap().dyn_into().unwrap();
    transcript.click();
    yew::scheduler::flush().await;
    assert_eq!(active(), Some(input.into()));
    m.done();
}

#[wasm_bindgen_test]
async fn new_entries_scroll_the_transcript_to_the_bottom() {
    let mut m = mount(Vec::new()).await;
    let transcript = m.find(".console-transcript").unwrap();
    transcript
        .set_attribute("style", "height: 40px; overflow: auto")
        .unwrap();
    let entries: Vec<ConsoleEntry> = (0..20)
        .map(|i| entry(Some("kubectl get pods"), None, &format!("line {i}\n"), ""))
        .collect();
    let p = props(&m.seen, entries, Vec::new(), Vec::new(), false);
    m.handle.update(p);
    yew::scheduler::flush().await;
    let bottom = transcript.scroll_height() - transcript.client_height();
    assert!(bottom > 0);
    assert!(
        (transcript.scroll_top() - bottom).abs() <= 1,
        "{} of {bottom}",
        transcript.scroll_top()
    );
    m.done();
}

#[wasm_bindgen_test]
async fn history_that_shrinks_while_browsing_is_walked_from_its_new_end() {
    let lines: Vec<String> = (0..10).map(|i| format!("kubectl get pods # {i}")).collect();
    let mut m = mount_with(Vec::new(), lines, Vec::new(), false).await;
    m.press("ArrowUp", false).await;
    assert_eq!(m.input().value(), "kubectl get pods # 9");
    // Another scenario was loaded, or a branch dropped the later commands.
    m.handle.update(props(
        &m.seen,
        Vec::new(),
        vec!["kubectl get rs".into()],
        Vec::new(),
        false,
    ));
    yew::scheduler::flush().await;
    m.press("ArrowUp", false).await;
    assert_eq!(m.input().value(), "kubectl get rs");
    m.press("ArrowDown", false).await;
    m.done();
}
