//! A modal dialog: focus moves into it when it opens and stays there (Tab and Shift+Tab go
//! round its controls), and Escape closes it wherever focus is; the page behind is not
//! reachable while it is open.

use gloo::events::EventListener;
use gloo::timers::callback::Timeout;
use wasm_bindgen::JsCast;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ModalProps {
    /// The id of the element that names the dialog (its heading).
    pub labelled_by: AttrValue,
    pub on_close: Callback<()>,
    #[prop_or_default]
    pub class: Classes,
    #[prop_or_default]
    pub children: Html,
}

#[function_component(Modal)]
pub fn modal(p: &ModalProps) -> Html {
    let dialog_ref = use_node_ref();
    // Escape calls the latest `on_close`, not the one the dialog opened with.
    let on_close = use_mut_ref(|| p.on_close.clone());
    *on_close.borrow_mut() = p.on_close.clone();
    {
        let dialog_ref = dialog_ref.clone();
        let on_close = on_close.clone();
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
                    // Escape that ends an input method's composition is the input method's.
                    if e.dyn_ref::<KeyboardEvent>()
                        .is_some_and(|k| k.key() == "Escape" && !k.is_composing())
                    {
                        // Closing drops this listener, so not while it runs.
                        let on_close = on_close.borrow().clone();
                        Timeout::new(0, move || on_close.emit(())).forget();
                    }
                });
                (focus, escape)
            });
            move || drop(listeners)
        });
    }
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
            <div class={classes!("dialog", p.class.clone())} role="dialog" aria-modal="true"
                aria-labelledby={p.labelled_by.clone()} {onkeydown} ref={dialog_ref} tabindex="-1">
                { p.children.clone() }
            </div>
        </div>
    }
}
