//! The share dialog: a link to this exact moment, the iframe snippet for an embed of it, and
//! the scenario as a file to download or open.

use super::modal::Modal;
use crate::storage;
use crate::url::{embed_query, Panels};
use kubesim::share;
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
    let captions = use_state(|| false);
    let status = use_state(String::new);
    let link = format!("{}#{}", p.base, p.fragment);
    let too_long = share::check_length(&link).err();
    let embed_src = format!(
        "{}{}#{}",
        p.base,
        embed_query(*panels, *autoplay, p.speed, *readonly, *captions),
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
        // An embed shows at least one panel: the last one ticked stays ticked.
        let disabled = checked && panels.count() == 1;
        html! { <label><input type="checkbox" {checked} {disabled} {onchange} />{ label }</label> }
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
    html! {
        <Modal labelled_by="share-title" on_close={p.on_close.clone()}>
                <h2 id="share-title">{ "Share and embed" }</h2>
                <section>
                    <h3>{ "Link to this moment" }</h3>
                    <p class="meta">{ "Opens this cluster exactly as it was when this dialog opened: the scenario, every command until then and the time." }</p>
                    <div class="row">
                        <input type="text" readonly=true value={link} aria-label="Share link" class="wide" />
                        <button onclick={copy_link} disabled={too_long.is_some()}>{ "Copy link" }</button>
                    </div>
                    if let Some(msg) = too_long { <p class="error" role="alert">{ msg }</p> }
                </section>
                <section>
                    <h3>{ "Embed in a page" }</h3>
                    <fieldset>
                        <legend>{ "Panels (at least one)" }</legend>
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
                    <label><input type="checkbox" checked={*captions} onchange={toggle(&captions)} />{ "Captions" }</label>
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
        </Modal>
    }
}
