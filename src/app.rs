//! The top-level component: the toolbar (scenario, time, views), the cluster or node view with
//! the console under it, and the side panels (rollout and history, YAML, events).

use crate::components::cluster::ClusterPanel;
use crate::components::console::Console;
use crate::components::edit::EditDialog;
use crate::components::editor::Editor;
use crate::components::events::EventsPanel;
use crate::components::history::HistoryPanel;
use crate::components::lesson::LessonPanel;
use crate::components::narration::Narration;
use crate::components::nodes::NodesPanel;
use crate::components::rollout::RolloutPanel;
use crate::components::share::ShareDialog;
use crate::components::traffic::TrafficPanel;
use crate::lessons;
use crate::scenarios;
use crate::state::{Action, AppState, SPEEDS};
use crate::storage;
use crate::url::{self, Theme};
use gloo::events::{EventListener, EventListenerOptions};
use gloo::timers::callback::Interval;
use kubesim::{view, Time};
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, HtmlInputElement, HtmlSelectElement, KeyboardEvent};
use yew::prelude::*;

/// Simulation tick period in real milliseconds; CSS transitions interpolate in between.
const TICK_MS: u32 = 100;

#[derive(Clone, Copy, PartialEq)]
enum Tab {
    Lesson,
    Rollout,
    Yaml,
    Events,
    Traffic,
}

#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(|| {
        let (search, hash) = storage::page_address();
        let (options, warnings) = url::parse(&search, &hash);
        AppState::load(options, warnings)
    });
    let options = Rc::clone(&state.options);
    let panels = options.panels;
    let tab = use_state(|| {
        if panels.rollout {
            Tab::Rollout
        } else if panels.yaml {
            Tab::Yaml
        } else {
            Tab::Events
        }
    });
    // The share dialog's link and scenario, taken when it opens: the moment it links to does
    // not move on while the simulation plays, nor does text selected in it.
    let share = use_state(|| None::<(String, String)>);
    {
        let dispatch = state.dispatcher();
        use_effect_with(*tab == Tab::Yaml && panels.yaml, move |visible| {
            dispatch.dispatch(Action::EditorVisible(*visible));
        });
    }
    {
        // Opening a lesson brings its panel to the front.
        let tab = tab.clone();
        use_effect_with(state.lesson.as_ref().map(|l| l.key.clone()), move |key| {
            if key.is_some() {
                tab.set(Tab::Lesson);
            }
        });
    }
    let node_view = use_state(|| !panels.cluster && panels.nodes);
    let presenter = use_state(|| false);
    let captions = use_state(|| state.options.captions);
    // The tiles, the console and the headings are sized in rem, so presenter mode enlarges
    // them through the root element's font size.
    use_effect_with(*presenter, |on| {
        let root = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element());
        if let Some(root) = root {
            let _ = if *on {
                root.set_attribute("data-presenter", "")
            } else {
                root.remove_attribute("data-presenter")
            };
        }
    });
    // The side panel sticks under the toolbar, whose height (one or two rows) depends on the
    // window's width and presenter mode.
    let topbar = use_node_ref();
    {
        let topbar = topbar.clone();
        use_effect_with(*presenter, move |_| {
            set_topbar_height(&topbar);
            let listener = web_sys::window()
                .map(|w| EventListener::new(&w, "resize", move |_| set_topbar_height(&topbar)));
            move || drop(listener)
        });
    }
    {
        let dispatch = state.dispatcher();
        use_effect_with((), move |_| {
            let interval = Interval::new(TICK_MS, move || {
                dispatch.dispatch(Action::Tick(TICK_MS as u64))
            });
            move || drop(interval)
        });
    }
    {
        let dispatch = state.dispatcher();
        use_effect_with((), move |_| {
            let listener = web_sys::window().map(|w| {
                EventListener::new(&w, "pagehide", move |_| {
                    dispatch.dispatch(Action::PageHidden)
                })
            });
            move || drop(listener)
        });
    }
    {
        // Space plays or pauses, `.` steps — unless the focused control needs the key itself.
        // Not passive, so Space does not also scroll the page.
        let dispatch = state.dispatcher();
        use_effect_with((), move |_| {
            // Whether focus last came from the mouse: a button clicked with it (Captions,
            // a tab) keeps focus, yet Space then means play or pause to the one who clicked.
            let clicked = Rc::new(Cell::new(false));
            let listeners = web_sys::window().and_then(|w| w.document()).map(|doc| {
                // A pointer, not `mousedown`: a screen reader's click sends no pointer events.
                let on_mouse = {
                    let clicked = clicked.clone();
                    EventListener::new(&doc, "pointerdown", move |_| clicked.set(true))
                };
                // Space taken as the shortcut must not also activate the focused control
                // when the key comes up (browsers that activate buttons on keyup).
                let consumed = Rc::new(Cell::new(false));
                let on_key_up = {
                    let consumed = consumed.clone();
                    let options = EventListenerOptions::enable_prevent_default();
                    EventListener::new_with_options(&doc, "keyup", options, move |e| {
                        if consumed.get()
                            && e.dyn_ref::<KeyboardEvent>().is_some_and(|k| k.key() == " ")
                        {
                            consumed.set(false);
                            e.prevent_default();
                        }
                    })
                };
                let options = EventListenerOptions::enable_prevent_default();
                let on_key = EventListener::new_with_options(&doc, "keydown", options, move |e| {
                    let Some(e) = e.dyn_ref::<KeyboardEvent>() else {
                        return;
                    };
                    if !matches!(e.key().as_str(), " " | ".") {
                        clicked.set(false);
                    }
                    if e.ctrl_key()
                        || e.meta_key()
                        || e.alt_key()
                        || key_is_for_target(e, clicked.get())
                    {
                        return;
                    }
                    match e.key().as_str() {
                        " " => {
                            e.prevent_default();
                            consumed.set(true);
                            dispatch.dispatch(Action::TogglePlay);
                        }
                        "." => {
                            e.prevent_default();
                            dispatch.dispatch(Action::Step);
                        }
                        _ => {}
                    }
                });
                (on_mouse, on_key, on_key_up)
            });
            move || drop(listeners)
        });
    }

    let session = state.session.borrow();
    let revision = session.sim.revision();
    let has_traffic = !session.sim.traffic.is_empty();
    // The tabs shown, in order: arrow keys move between them (the ARIA tabs pattern).
    let visible_tabs: Vec<Tab> = [
        (state.lesson.is_some(), Tab::Lesson),
        (panels.rollout, Tab::Rollout),
        (panels.yaml, Tab::Yaml),
        (panels.events, Tab::Events),
        (panels.traffic && has_traffic, Tab::Traffic),
    ]
    .into_iter()
    .filter_map(|(shown, t)| shown.then_some(t))
    .collect();
    // The tab on show: the one chosen while it is shown, else the first one shown (an embed
    // may leave out the default, and the Traffic tab waits for traffic).
    let current = if visible_tabs.contains(&*tab) {
        *tab
    } else {
        visible_tabs.first().copied().unwrap_or(*tab)
    };
    let cluster = {
        let shared = state.session.clone();
        use_memo((state.epoch, revision), move |_| {
            view::cluster(&shared.borrow().sim)
        })
    };
    let now = session.now();
    let horizon = session.horizon.max(now);
    // The console's ↑ history, rebuilt only when the log changes (it grows, or a branch
    // replaces its end), not on every tick.
    let history_lines = {
        let shared = state.session.clone();
        let last = session.log.last().map(|e| (e.at, e.command.line()));
        use_memo((state.epoch, session.log.len(), last), move |_| {
            shared
                .borrow()
                .log
                .iter()
                .map(|e| e.command.line())
                .collect::<Vec<String>>()
        })
    };
    let watching = session.watching();
    let selected = state.selected.clone();
    // The rollout panel's views, only while it shows.
    let (insight, revisions) = match selected.as_ref().filter(|_| current == Tab::Rollout) {
        Some((ns, name)) => (
            view::rollout_insight(&session.sim, ns, name),
            view::revisions(&session.sim, ns, name),
        ),
        None => (None, Vec::new()),
    };
    // Only computed while the Events tab shows: a big cluster has thousands of events.
    let events = {
        let shared = state.session.clone();
        let showing = current == Tab::Events;
        use_memo((state.epoch, revision, showing), move |(_, _, showing)| {
            if *showing {
                view::events(&shared.borrow().sim)
            } else {
                Vec::new()
            }
        })
    };
    let traffic = (current == Tab::Traffic)
        .then(|| view::traffic(&session.sim))
        .flatten();
    let scenario_title = scenarios::title(&session.scenario_text);
    let description = session.scenario.description.trim().to_string();
    drop(session);

    // Callbacks handed to the panels keep their identity across renders: a new callback
    // would count as changed props and re-render every pod tile on every tick.
    let on_command = {
        let dispatch = state.dispatcher();
        use_callback((), move |line: String, _| {
            dispatch.dispatch(Action::Console(line))
        })
    };
    let on_select = {
        let dispatch = state.dispatcher();
        use_callback((), move |(ns, name): (String, String), _| {
            dispatch.dispatch(Action::Select(ns, name))
        })
    };
    let on_toggle = use_send(&state, || Action::TogglePlay);
    let on_step = use_send(&state, || Action::Step);
    let on_speed = {
        let dispatch = state.dispatcher();
        Callback::from(move |e: Event| {
            if let Some(sel) = e.target_dyn_into::<HtmlSelectElement>() {
                if let Ok(s) = sel.value().parse::<f64>() {
                    dispatch.dispatch(Action::SetSpeed(s));
                }
            }
        })
    };
    let on_seek = {
        let dispatch = state.dispatcher();
        Callback::from(move |e: InputEvent| {
            if let Some(input) = e.target_dyn_into::<HtmlInputElement>() {
                if let Ok(ms) = input.value().parse::<u64>() {
                    dispatch.dispatch(Action::Seek(Time(ms)));
                }
            }
        })
    };
    let on_scenario = {
        let dispatch = state.dispatcher();
        use_callback((), move |name: String, _| {
            if let Some(text) = scenarios::find_entry(&name) {
                dispatch.dispatch(Action::LoadScenario(Some(name), text.to_string()));
            }
        })
    };
    let complete = {
        // A new scenario brings a new session (and a new epoch).
        let shared = state.session.clone();
        use_callback(state.epoch, move |line: String, _| {
            kubesim::kubectl::complete::candidates(&shared.borrow().sim, &line)
        })
    };
    let narrate = {
        let shared = state.session.clone();
        use_callback(state.epoch, move |after: u64, _| {
            view::narration(&shared.borrow().sim, after)
        })
    };
    let on_interrupt = use_send(&state, || Action::Interrupt);
    let on_editor_change = {
        let dispatch = state.dispatcher();
        use_callback((), move |text: String, _| {
            dispatch.dispatch(Action::EditorChanged(text))
        })
    };
    let on_apply = use_send(&state, || Action::ApplyEditor);
    let on_reset = use_send(&state, || Action::ResetEditor);
    let on_dismiss = use_send(&state, || Action::DismissNotice);
    let on_lesson_next = use_send(&state, || Action::LessonNext);
    let on_lesson_previous = use_send(&state, || Action::LessonPrevious);
    let on_lesson_restart = use_send(&state, || Action::LessonRestart);
    let on_lesson_answer = {
        let dispatch = state.dispatcher();
        use_callback((), move |v: i64, _| {
            dispatch.dispatch(Action::LessonAnswer(v))
        })
    };
    let open_share = {
        let share = share.clone();
        let shared = state.session.clone();
        Callback::from(move |_: MouseEvent| {
            let session = shared.borrow();
            share.set(Some((
                kubesim::share::encode(&session.saved(None)),
                session.to_scenario_yaml(),
            )))
        })
    };
    let share_button = use_node_ref();
    let close_share = {
        let share = share.clone();
        let share_button = share_button.clone();
        Callback::from(move |_: ()| {
            share.set(None);
            // Focus goes back to where the dialog was opened from.
            if let Some(b) = share_button.cast::<HtmlElement>() {
                let _ = b.focus();
            }
        })
    };
    let on_open_file = {
        let dispatch = state.dispatcher();
        let share = share.clone();
        Callback::from(move |r: Result<String, String>| {
            share.set(None);
            dispatch.dispatch(match r {
                Ok(text) => Action::LoadScenario(None, text),
                Err(e) => Action::Notice(e),
            })
        })
    };
    // The edit dialog is opened from the console; typing goes on there once it closes.
    let editing = state.editing.is_some();
    let was_editing = use_mut_ref(|| false);
    use_effect_with(editing, move |open| {
        let closed = *was_editing.borrow() && !*open;
        *was_editing.borrow_mut() = *open;
        if closed {
            let input = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.query_selector("[aria-label=\"kubectl command\"]").ok())
                .flatten()
                .and_then(|e| e.dyn_into::<HtmlElement>().ok());
            if let Some(input) = input {
                let _ = input.focus();
            }
        }
    });
    let on_save_edit = {
        let dispatch = state.dispatcher();
        Callback::from(move |text: String| dispatch.dispatch(Action::SaveEdit(text)))
    };
    let on_cancel_edit = {
        let dispatch = state.dispatcher();
        Callback::from(move |_: ()| dispatch.dispatch(Action::CancelEdit))
    };
    let set_tab = |t: Tab| {
        let tab = tab.clone();
        Callback::from(move |_| tab.set(t))
    };
    let toggle = |s: &UseStateHandle<bool>| {
        let s = s.clone();
        Callback::from(move |_| s.set(!*s))
    };
    let paused = insight.as_ref().is_some_and(|i| i.paused);
    let (sel_ns, sel_name) = selected.clone().unwrap_or_default();
    // Same-named Deployments in several namespaces are told apart as kubectl would name them.
    let shown_deployment = if sel_ns == "default" || sel_ns.is_empty() {
        sel_name.clone()
    } else {
        format!("{sel_name} -n {sel_ns}")
    };
    let on_tab_key = {
        let tab = tab.clone();
        let visible = visible_tabs.clone();
        Callback::from(move |e: KeyboardEvent| {
            let Some(i) = visible.iter().position(|t| *t == current) else {
                return;
            };
            let n = visible.len();
            let next = match e.key().as_str() {
                "ArrowRight" => (i + 1) % n,
                "ArrowLeft" => (i + n - 1) % n,
                "Home" => 0,
                "End" => n - 1,
                _ => return,
            };
            e.prevent_default();
            tab.set(visible[next]);
            // Focus follows the selection.
            if let Some(el) = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.get_element_by_id(&format!("tab-{}", tab_id(visible[next]))))
                .and_then(|el| el.dyn_into::<HtmlElement>().ok())
            {
                let _ = el.focus();
            }
        })
    };
    let tab_button = |t: Tab, label: &str| {
        let id = tab_id(t);
        html! {
            <button role="tab" id={format!("tab-{id}")} aria-controls={format!("panel-{id}")}
                aria-selected={(current == t).to_string()} tabindex={if current == t { "0" } else { "-1" }}
                onclick={set_tab(t)}>{ label }</button>
        }
    };

    html! {
        <div class={classes!(
            "app",
            presenter.then_some("presenter"),
            options.embed.then_some("embed"),
            options.readonly.then_some("readonly"),
            match options.theme { Some(Theme::Dark) => Some("theme-dark"), Some(Theme::Light) => Some("theme-light"), None => None },
        )}>
            <header class="topbar" ref={topbar}>
                <h1 class="brand">{ "kubesim" }</h1>
                if !options.embed {
                <ScenarioMenu selected={state.scenario_name.clone()} title={scenario_title.clone()} on_pick={on_scenario} />
                }
                <div class="time-controls" role="group" aria-label="Simulated time">
                    <button class="play" onclick={on_toggle} aria-pressed={state.playing.to_string()}
                        aria-label={if state.playing { "Pause (Space)" } else { "Play (Space)" }}>
                        { if state.playing { "❚❚ Pause" } else { "▶ Play" } }
                    </button>
                    <button onclick={on_step} aria-label="Step to the next controller action (.)">{ "Step ›" }</button>
                    <select aria-label="Speed" onchange={on_speed}>
                        { for SPEEDS.iter().map(|s| html! {
                            <option value={s.to_string()} selected={*s == state.speed}>{ format!("{s}×") }</option>
                        }) }
                    </select>
                    <span class="clock" role="timer" aria-label="Simulated time" data-ms={now.0.to_string()}>{ format!("t = {}", now.clock()) }</span>
                    <input class="scrubber" type="range" min="0" max={horizon.0.to_string()} step="100"
                        value={now.0.to_string()} oninput={on_seek}
                        aria-label="Rewind or replay: simulated time position"
                        aria-valuetext={format!("{} of {}", now.clock(), horizon.clock())} />
                </div>
                <div class="view-controls" role="group" aria-label="View">
                    if panels.cluster && panels.nodes {
                        <button onclick={toggle(&node_view)} aria-pressed={node_view.to_string()}>{ "Nodes view" }</button>
                    }
                    <button onclick={toggle(&captions)} aria-pressed={captions.to_string()}
                        title="Show in words what the controllers do, every few seconds">{ "Captions" }</button>
                    if !options.embed {
                        <button onclick={toggle(&presenter)} aria-pressed={presenter.to_string()}>{ "Presenter" }</button>
                        <button onclick={open_share} ref={share_button}>{ "Share" }</button>
                    }
                </div>
            </header>
            <Narration epoch={state.epoch} revision={revision} query={narrate} captions={*captions} />
            if let Some(notice) = &state.notice {
                <div class="notice" role="status">
                    <span>{ notice.clone() }</span>
                    <button onclick={on_dismiss} aria-label="Dismiss message">{ "×" }</button>
                </div>
            }
            if let Some(editing) = &state.editing {
                <EditDialog key={editing.edit.object.clone()} object={editing.edit.object.clone()}
                    text={editing.text.clone()} error={editing.error.clone().map(AttrValue::from)}
                    on_save={on_save_edit} on_cancel={on_cancel_edit} />
            }
            if let Some((fragment, scenario_yaml)) = (*share).clone() {
                <ShareDialog fragment={fragment} base={storage::page_base()} scenario_yaml={scenario_yaml}
                    speed={state.speed} on_close={close_share} on_open_file={on_open_file} />
            }
            <div class={classes!("layout", (!panels.side()).then_some("no-side"))}>
                <main class="stage">
                    if !description.is_empty() && !options.embed {
                        <details class="scenario-about">
                            <summary>{ scenario_title }</summary>
                            // The lessons' safe Markdown: `code`, emphasis, paragraphs.
                            { crate::markdown::render(&description) }
                        </details>
                    }
                    if *node_view && panels.nodes {
                        <NodesPanel cluster={Rc::clone(&cluster)} on_command={on_command.clone()} />
                    } else if panels.cluster {
                        <ClusterPanel cluster={Rc::clone(&cluster)} selected={selected.clone()}
                            on_command={on_command.clone()} on_select={on_select} />
                    }
                    if panels.console {
                    <Console entries={Rc::clone(&state.console)} history={Rc::clone(&history_lines)}
                        on_submit={on_command.clone()} complete={complete} on_interrupt={on_interrupt} watching={watching}
                        returned={Rc::clone(&state.console_returned)} first={state.console_dropped} />
                    }
                </main>
                if panels.side() {
                <aside class="side">
                    <div role="tablist" aria-label="Panels" class="tabs" onkeydown={on_tab_key}>
                        if state.lesson.is_some() { { tab_button(Tab::Lesson, "Lesson") } }
                        if panels.rollout { { tab_button(Tab::Rollout, "Rollout") } }
                        if panels.yaml { { tab_button(Tab::Yaml, "YAML") } }
                        if panels.events { { tab_button(Tab::Events, "Events") } }
                        if panels.traffic && has_traffic { { tab_button(Tab::Traffic, "Traffic") } }
                    </div>
                    <div role="tabpanel" id={format!("panel-{}", tab_id(current))} aria-labelledby={format!("tab-{}", tab_id(current))}>
                        { match current {
                            Tab::Lesson => match &state.lesson {
                                Some(l) => html! { <LessonPanel state={Rc::clone(l)} on_command={on_command.clone()}
                                    on_next={on_lesson_next} on_previous={on_lesson_previous} on_restart={on_lesson_restart} on_answer={on_lesson_answer} /> },
                                None => html! { <p class="panel-empty">{ "No lesson open: pick one from the menu." }</p> },
                            },
                            Tab::Rollout => html! { <>
                                <RolloutPanel deployment={shown_deployment} insight={insight} />
                                <HistoryPanel namespace={sel_ns} deployment={sel_name} revisions={Rc::new(revisions)} now={now} paused={paused} on_command={on_command} />
                            </> },
                            Tab::Yaml => html! {
                                <Editor text={Rc::clone(&state.editor)} errors={Rc::clone(&state.editor_errors)}
                                    preview={Rc::clone(&state.preview)} on_change={on_editor_change} on_apply={on_apply} on_reset={on_reset} readonly={options.readonly} />
                            },
                            Tab::Events => html! { <EventsPanel events={Rc::clone(&events)} now={now} /> },
                            Tab::Traffic => html! { <TrafficPanel traffic={traffic} on_command={on_command.clone()} /> },
                        } }
                    </div>
                </aside>
                }
            </div>
        </div>
    }
}

fn tab_id(t: Tab) -> &'static str {
    match t {
        Tab::Lesson => "lesson",
        Tab::Rollout => "rollout",
        Tab::Yaml => "yaml",
        Tab::Events => "events",
        Tab::Traffic => "traffic",
    }
}

#[derive(Properties, PartialEq)]
struct ScenarioMenuProps {
    /// The built-in scenario or `lesson:NAME` loaded, if any.
    selected: Option<String>,
    /// The loaded scenario's title, shown when it is not a built-in one.
    title: String,
    on_pick: Callback<String>,
}

/// The scenario and lesson menu: its own component, so a tick does not rebuild its options.
#[function_component(ScenarioMenu)]
fn scenario_menu(p: &ScenarioMenuProps) -> Html {
    let select = use_node_ref();
    let current = p.selected.clone().unwrap_or_default();
    // The menu shows the loaded scenario: after a pick (until the load happens, or for good if
    // the user keeps the session) and whenever another one loads.
    {
        let select = select.clone();
        use_effect_with(current.clone(), move |current| {
            if let Some(sel) = select.cast::<HtmlSelectElement>() {
                sel.set_value(current);
            }
        });
    }
    let onchange = {
        let on_pick = p.on_pick.clone();
        Callback::from(move |e: Event| {
            if let Some(sel) = e.target_dyn_into::<HtmlSelectElement>() {
                let picked = sel.value();
                sel.set_value(&current);
                on_pick.emit(picked);
            }
        })
    };
    html! {
        <label class="scenario-pick">
            <span class="visually-hidden">{ "Scenario" }</span>
            <select aria-label="Scenario" ref={select} {onchange}>
                <optgroup label="Scenarios">
                { for scenarios::BUILT_IN.iter().map(|(name, text)| html! {
                    <option value={*name} selected={p.selected.as_deref() == Some(*name)}>{ scenarios::title(text) }</option>
                }) }
                </optgroup>
                <optgroup label="Lessons">
                { for lessons::BUILT_IN.iter().map(|(name, text)| {
                    let value = format!("lesson:{name}");
                    let selected = p.selected.as_deref() == Some(value.as_str());
                    html! { <option {value} {selected}>{ format!("Lesson: {}", scenarios::title(text)) }</option> }
                }) }
                </optgroup>
                if p.selected.is_none() {
                    <option value="" selected=true>{ p.title.clone() }</option>
                }
            </select>
        </label>
    }
}

/// A callback that ignores its argument and dispatches one action; the same callback on
/// every render, so the props it goes into compare equal.
#[hook]
fn use_send<IN: 'static>(
    state: &UseReducerHandle<AppState>,
    action: fn() -> Action,
) -> Callback<IN> {
    let dispatch = state.dispatcher();
    use_callback((), move |_: IN, _| dispatch.dispatch(action()))
}

/// Publishes the toolbar's height as `--topbar-h` on the root element, for the side panel
/// (the root element has no other inline style).
fn set_topbar_height(topbar: &NodeRef) {
    let root = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element());
    if let (Some(bar), Some(root)) = (topbar.cast::<HtmlElement>(), root) {
        let _ = root.set_attribute("style", &format!("--topbar-h: {}px", bar.offset_height()));
    }
}

/// Keys typed into a field, pressed on a control or in a dialog belong to it, not to the
/// shortcuts; Space on a control the mouse last clicked (`clicked`) is the shortcut's.
fn key_is_for_target(e: &KeyboardEvent, clicked: bool) -> bool {
    let Some(el) = e.target().and_then(|t| t.dyn_into::<HtmlElement>().ok()) else {
        return false;
    };
    // While a dialog is open every key is its own, wherever focus went (a click on the
    // backdrop leaves it on the page): the simulation does not step behind it.
    let dialog_open = el
        .owner_document()
        .and_then(|d| d.query_selector("[aria-modal=true]").ok().flatten())
        .is_some();
    if dialog_open {
        return true;
    }
    let tag = el.tag_name();
    let text_entry = match tag.as_str() {
        "TEXTAREA" => true,
        "INPUT" => !matches!(
            el.get_attribute("type").as_deref(),
            Some("button" | "checkbox" | "radio" | "range" | "reset" | "submit" | "file")
        ),
        _ => el.is_content_editable(),
    };
    // A button, checkbox or menu reached with the keyboard acts on Space itself (keyboard
    // users rely on it); after a mouse click on one, Space plays or pauses. `.` means nothing
    // to them, so stepping works either way. A slider ignores Space, so after seeking with
    // the keyboard Space plays at once.
    let slider = tag == "INPUT" && el.get_attribute("type").as_deref() == Some("range");
    let by_mouse = clicked && tag != "SELECT";
    let space_control =
        !(slider || by_mouse) && matches!(tag.as_str(), "BUTTON" | "INPUT" | "SELECT" | "SUMMARY");
    text_entry || (e.key() == " " && space_control)
}
