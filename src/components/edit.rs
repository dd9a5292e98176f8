//! `kubectl edit`'s editor: the object as kubectl shows it, in a dialog. Save (or
//! Ctrl+Enter) hands the text to the app, which turns the change into a `kubectl patch`;
//! Cancel (or Escape) leaves the object alone. A refused change reopens with the reason, as
//! kubectl reopens its file.

use super::modal::Modal;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct EditDialogProps {
    /// `deployment.apps/web`.
    pub object: AttrValue,
    pub text: AttrValue,
    /// Why the last save was refused.
    #[prop_or_default]
    pub error: Option<AttrValue>,
    pub on_save: Callback<String>,
    pub on_cancel: Callback<()>,
}

#[function_component(EditDialog)]
pub fn edit_dialog(p: &EditDialogProps) -> Html {
    let area = use_node_ref();
    let current = {
        let area = area.clone();
        move || {
            area.cast::<HtmlTextAreaElement>()
                .map(|t| t.value())
                .unwrap_or_default()
        }
    };
    {
        // The text is set when it arrives, not on every render: the app renders on every
        // tick, and what the user typed must stay. Typing starts in it, at its top.
        let area = area.clone();
        use_effect_with(p.text.clone(), move |text| {
            if let Some(t) = area.cast::<HtmlTextAreaElement>() {
                t.set_value(text);
                let _ = t.focus();
                let _ = t.set_selection_range(0, 0);
            }
        });
    }
    let save = {
        let on_save = p.on_save.clone();
        let current = current.clone();
        Callback::from(move |_: MouseEvent| on_save.emit(current()))
    };
    let onkeydown = {
        let on_save = p.on_save.clone();
        Callback::from(move |e: KeyboardEvent| {
            if (e.ctrl_key() || e.meta_key()) && (e.key() == "Enter" || e.key() == "s") {
                e.prevent_default();
                on_save.emit(current());
            }
        })
    };
    let cancel = {
        let cb = p.on_cancel.clone();
        Callback::from(move |_: MouseEvent| cb.emit(()))
    };
    let lines = p.text.lines().count().clamp(8, 30);
    html! {
        <Modal labelled_by="edit-title" on_close={p.on_cancel.clone()} class="edit-dialog">
            <h2 id="edit-title"><code>{ format!("kubectl edit {}", p.object) }</code></h2>
            if let Some(e) = &p.error {
                <pre class="error" role="alert">{ e.clone() }</pre>
            }
            <textarea ref={area} aria-label="Edited object YAML" spellcheck="false"
                rows={lines.to_string()} {onkeydown} />
            <div class="row">
                <button onclick={save} title="Ctrl+Enter">{ "Save" }</button>
                <button onclick={cancel} title="Escape">{ "Cancel" }</button>
                <span class="meta">{ "Saving sends the change as a kubectl patch." }</span>
            </div>
        </Modal>
    }
}
