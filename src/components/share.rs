//! The share dialog: a link to this exact moment, the iframe snippet for an embed of it, and
//! the scenario as a file to download or open.

use crate::storage;
use crate::url::{embed_query, Panels};
use gloo::events::EventListener;
use gloo::timers::callback::Timeout;
use kubesim::share;
use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ShareDialogProps {
    /// The fragment for the current state (`s=2.…`).
    pub fragment: String,
    /// The page's address without query and fragment.
    pub base: String,
    /// The session as a scenario file.
    pub scenario_yaml: String,
    pub speed: f64,
    pub on_close: Callback<()>,
    /// The text of a scenario file the user opened.
    pub on_open_file: Callback<Result<String, String>>,
}

#[function_component(ShareDialog)]
pub fn share_dialog(p: &ShareDialogProps) -> Html {
    let panels = use_state(|| Panels {
        nodes: false,
        yaml: false,
        events: false,
        ..Panels::ALL
    });
    let autoplay = use_state(|| true);
    let readonly = use_state(|| false);
    let status = use_state(String::new);
    let dialog_ref = use_node_ref();
    {
        // Focus moves into the dialog when it opens, so Escape and Tab work at once. While it
        // is open, focus that lands behind it (a click, a screen reader) comes back, and
        // Escape closes it wherever focus is: the page behind is not reachable.
        let dialog_ref = dialog_ref.clone();
        let on_close = p.on_close.clone();
        use_effect_with((), move |_| {
            if let Some(el) = dialog_ref.cast::<web_sys::HtmlElement>() {
                let _ = el.focus();
            }
            let listeners = web_sys::window().and_then(|w| w.document()).map(|doc| {
                let back = dialog_ref.clone();
                let focus = EventListener::new(&doc, "focusin", move |e| {
                    let Some(dialog) = back.cast::<web_sys::HtmlElement>() else {
                        return;
                    };
                    let target = e.target().and_then(|t| t.dyn_into::<web_sys::Node>().ok());
                    if !target.is_some_and(|t| dialog.contains(Some(&t))) {
                        // Later, not inside this handler: focusing fires focusin again.
                        Timeout::new(0, move || {
                            let _ = dialog.focus();
                        })
                        .forget();
                    }
                });
                let escape = EventListener::new(&doc, "keydown", move |e| {
                    if e.dyn_ref::<KeyboardEvent>()
                        .is_some_and(|k| k.key() == "Escape")
                    {
                        // Closing drops this listener, so not while it runs.
                        let on_close = on_close.clone();
                        Timeout::new(0, move || on_close.emit(())).forget();
                    }
                });
                (focus, escape)
            });
            move || drop(listeners)
        });
    }

    let link = format!("{}#{}", p.base, p.fragment);
    let too_long = share::check_length(&link).err();
    let embed_src = format!(
        "{}{}#{}",
        p.base,
        embed_query(*panels, *autoplay, p.speed, *readonly),
        p.fragment
    );
    let snippet = format!(
        "<iframe src=\"{}\" title=\"kubesim: Kubernetes Deployment simulator\" width=\"960\" height=\"640\" style=\"border:0\" loading=\"lazy\"></iframe>",
        embed_src.replace('&', "&amp;").replace('"', "&quot;")
    );

    let copy = |text: String, what: &'static str| {
        let status = status.clone();
        Callback::from(move |_: MouseEvent| {
            let status = status.clone();
            storage::copy_text(&text, move |copied| {
                status.set(if copied {
                    format!("{what} copied.")
                } else {
                    format!("Select the {what} and copy it by hand.")
                })
            })
        })
    };
    let copy_link = copy(link.clone(), "link");
    let copy_embed = copy(snippet.clone(), "embed code");
    let panel_box = |label: &'static str, get: fn(&Panels) -> bool, set: fn(&mut Panels, bool)| {
        let handle = panels.clone();
        let onchange = Callback::from(move |e: Event| {
            if let Some(input) = e.target_dyn_into::<HtmlInputElement>() {
                let mut next = *handle;
                set(&mut next, input.checked());
                handle.set(next);
            }
        });
        let checked = get(&panels);
        html! { <label><input type="checkbox" {checked} {onchange} />{ label }</label> }
    };
    let toggle = |s: &UseStateHandle<bool>| {
        let s = s.clone();
        Callback::from(move |_: Event| s.set(!*s))
    };
    let download = {
        let text = p.scenario_yaml.clone();
        Callback::from(move |_: MouseEvent| storage::download("kubesim-scenario.yaml", &text))
    };
    let open_file = {
        let cb = p.on_open_file.clone();
        Callback::from(move |e: Event| {
            let file = e
                .target_dyn_into::<HtmlInputElement>()
                .and_then(|i| i.files())
                .and_then(|f| f.get(0));
            if let Some(file) = file {
                let cb = cb.clone();
                storage::read_file(file, move |r| cb.emit(r));
            }
        })
    };
    let close = {
        let cb = p.on_close.clone();
        Callback::from(move |_: MouseEvent| cb.emit(()))
    };
    // Tab and Shift+Tab go round the dialog's controls.
    let onkeydown = {
        let dialog_ref = dialog_ref.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() != "Tab" {
                return;
            }
            let Some(dialog) = dialog_ref.cast::<web_sys::Element>() else {
                return;
            };
            let Ok(found) = dialog.query_selector_all(
                "button:not([disabled]), input:not([disabled]), textarea, select, a[href]",
            ) else {
                return;
            };
            let controls: Vec<web_sys::HtmlElement> = (0..found.length())
                .filter_map(|i| found.item(i))
                .filter_map(|n| n.dyn_into::<web_sys::HtmlElement>().ok())
                .collect();
            let (Some(first), Some(last)) = (controls.first(), controls.last()) else {
                return;
            };
            let active = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.active_element());
            let at = |el: &web_sys::HtmlElement| active.as_ref().is_some_and(|a| a == el.as_ref());
            let on_dialog = active.as_ref().is_some_and(|a| a == &dialog);
            if e.shift_key() && (at(first) || on_dialog) {
                e.prevent_default();
                let _ = last.focus();
            } else if !e.shift_key() && at(last) {
                e.prevent_default();
                let _ = first.focus();
            }
        })
    };

    html! {
        <div class="dialog-backdrop">
            <div class="dialog" role="dialog" aria-modal="true" aria-labelledby="share-title" {onkeydown} ref={dialog_ref} tabindex="-1">
                <h2 id="share-title">{ "Share and embed" }</h2>
                <section>
                    <h3>{ "Link to this moment" }</h3>
                    <p class="meta">{ "Opens this cluster exactly as it is now: the scenario, every command so far and the time." }</p>
                    <div class="row">
                        <input type="text" readonly=true value={link} aria-label="Share link" class="wide" />
                        <button onclick={copy_link} disabled={too_long.is_some()}>{ "Copy link" }</button>
                    </div>
                    if let Some(msg) = too_long { <p class="error" role="alert">{ msg }</p> }
                </section>
                <section>
                    <h3>{ "Embed in a page" }</h3>
                    <fieldset>
                        <legend>{ "Panels" }</legend>
                        { panel_box("Cluster", |p| p.cluster, |p, v| p.cluster = v) }
                        { panel_box("Nodes", |p| p.nodes, |p, v| p.nodes = v) }
                        { panel_box("Console", |p| p.console, |p, v| p.console = v) }
                        { panel_box("Rollout", |p| p.rollout, |p, v| p.rollout = v) }
                        { panel_box("YAML", |p| p.yaml, |p, v| p.yaml = v) }
                        { panel_box("Events", |p| p.events, |p, v| p.events = v) }
                        { panel_box("Traffic", |p| p.traffic, |p, v| p.traffic = v) }
                    </fieldset>
                    <label><input type="checkbox" checked={*autoplay} onchange={toggle(&autoplay)} />{ "Play on load" }</label>
                    <label><input type="checkbox" checked={*readonly} onchange={toggle(&readonly)} />{ "Read-only" }</label>
                    <textarea readonly=true rows="4" aria-label="Embed code" value={snippet} />
                    <button onclick={copy_embed}>{ "Copy embed code" }</button>
                </section>
                <section>
                    <h3>{ "Scenario file" }</h3>
                    <p class="meta">{ "The scenario with your commands as its timeline: open it here again, or run it with the kubesim command." }</p>
                    <div class="row">
                        <button onclick={download}>{ "Download scenario" }</button>
                        <label class="file">{ "Open a scenario file… " }
                            <input type="file" accept=".yaml,.yml,text/yaml" onchange={open_file} aria-label="Open a scenario file" />
                        </label>
                    </div>
                </section>
                <p class="meta" role="status" aria-live="polite">{ (*status).clone() }</p>
                <button class="close" onclick={close}>{ "Close" }</button>
            </div>
        </div>
    }
}
