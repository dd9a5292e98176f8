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
        // tick, and what the user typed must stay. Typing starts in it, at its top; after a
        // refused save the text is the user's own, and the caret stays where it was.
        let area = area.clone();
        use_effect_with(p.text.clone(), move |text| {
            if let Some(t) = area.cast::<HtmlTextAreaElement>() {
                if t.value() != text.as_str() {
                    t.set_value(text);
                    let _ = t.set_selection_range(0, 0);
                }
                let _ = t.focus();
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
        let current = current.clone();
        Callback::from(move |e: KeyboardEvent| {
            let save_key = e.key() == "Enter" || e.key().eq_ignore_ascii_case("s");
            if (e.ctrl_key() || e.meta_key()) && save_key {
                e.prevent_default();
                on_save.emit(current());
            }
        })
    };
    // Leaving asks first when the text was changed: the changes would be lost.
    let leave = {
        let cb = p.on_cancel.clone();
        let shown = p.text.clone();
        let current = current.clone();
        Callback::from(move |_: ()| {
            let changed = current() != shown.as_str();
            if !changed || crate::storage::confirm_discard() {
                cb.emit(());
            }
        })
    };
    let cancel = {
        let leave = leave.clone();
        Callback::from(move |_: MouseEvent| leave.emit(()))
    };
    let lines = p.text.lines().count().clamp(8, 30);
    html! {
        <Modal labelled_by="edit-title" on_close={leave} class="edit-dialog">
            <h2 id="edit-title"><code>{ format!("kubectl edit {}", p.object) }</code></h2>
            if let Some(e) = &p.error {
                <pre class="error" role="alert" id="edit-error">{ e.clone() }</pre>
            }
            <textarea ref={area} aria-label="Edited object" spellcheck="false"
                aria-invalid={p.error.is_some().then_some("true")}
                aria-describedby={p.error.is_some().then_some("edit-error")}
                rows={lines.to_string()} {onkeydown} />
            <div class="row">
                <button onclick={save} title="Ctrl+Enter">{ "Save" }</button>
                <button onclick={cancel} title="Escape">{ "Cancel" }</button>
                <span class="meta">{ "Saving sends the change as a kubectl patch." }</span>
            </div>
        </Modal>
    }
}
