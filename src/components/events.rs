//! The events panel, like `kubectl get events`: newest last, filterable by object.

use kubesim::time::human_duration;
use kubesim::view::EventView;
use kubesim::Time;
use std::rc::Rc;
use web_sys::{Element, HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct EventsPanelProps {
    pub events: Rc<Vec<EventView>>,
    pub now: Time,
}

/// Rows rendered at most; older matches are left out.
pub const MAX_ROWS: usize = 200;

const TYPES: [(&str, &str); 3] = [("", "All"), ("Normal", "Normal"), ("Warning", "Warning")];

#[function_component(EventsPanel)]
pub fn events_panel(p: &EventsPanelProps) -> Html {
    let object = use_state(String::new);
    let type_ = use_state(String::new);
    let scroller = use_node_ref();
    // Follow new events only while the list is scrolled to the bottom, so that reading an
    // older event is not interrupted by the next one arriving.
    let follow = use_mut_ref(|| true);
    {
        let (scroller, follow) = (scroller.clone(), follow.clone());
        use_effect(move || {
            if *follow.borrow() {
                if let Some(el) = scroller.cast::<Element>() {
                    el.set_scroll_top(el.scroll_height());
                }
            }
        });
    }
    let onscroll = {
        let (scroller, follow) = (scroller.clone(), follow.clone());
        Callback::from(move |_: Event| {
            if let Some(el) = scroller.cast::<Element>() {
                *follow.borrow_mut() =
                    el.scroll_top() + el.client_height() >= el.scroll_height() - 4;
            }
        })
    };
    let oninput = {
        let object = object.clone();
        Callback::from(move |e: InputEvent| {
            object.set(e.target_unchecked_into::<HtmlInputElement>().value());
        })
    };
    let onchange = {
        let type_ = type_.clone();
        Callback::from(move |e: Event| {
            type_.set(e.target_unchecked_into::<HtmlSelectElement>().value());
        })
    };

    let needle = object.trim().to_lowercase();
    let matching: Vec<&EventView> = p
        .events
        .iter()
        .filter(|e| type_.is_empty() || e.type_ == *type_)
        .filter(|e| needle.is_empty() || e.object.to_lowercase().contains(&needle))
        .collect();
    let shown = &matching[matching.len().saturating_sub(MAX_ROWS)..];
    let filtered = !needle.is_empty() || !type_.is_empty();

    html! {
        <section class="panel events" aria-label="Events">
            <h2>{ "Events" }</h2>
            <div class="events-filter">
                <input
                    type="search"
                    aria-label="Filter events by object"
                    placeholder="object, e.g. pod/web"
                    value={(*object).clone()}
                    oninput={oninput}
                />
                <select aria-label="Filter events by type" onchange={onchange}>
                    { for TYPES.iter().map(|(value, label)| html! {
                        <option value={*value} selected={*type_ == *value}>{ *label }</option>
                    }) }
                </select>
            </div>
            if matching.len() > shown.len() {
                <p class="events-cap">
                    { format!("showing last {} of {}", shown.len(), matching.len()) }
                </p>
            }
            <div
                class="events-scroll"
                ref={scroller}
                onscroll={onscroll}
                tabindex="0"
                role="region"
                aria-label="Event list"
            >
                if shown.is_empty() {
                    <p class="panel-empty">
                        { if filtered { "No events match the filter" } else { "No events yet" } }
                    </p>
                } else {
                    <table class="events-table">
                        <thead>
                            <tr>
                                <th scope="col">{ "LAST SEEN" }</th>
                                <th scope="col">{ "TYPE" }</th>
                                <th scope="col">{ "REASON" }</th>
                                <th scope="col">{ "OBJECT" }</th>
                                <th scope="col">{ "MESSAGE" }</th>
                            </tr>
                        </thead>
                        <tbody>
                            { for shown.iter().map(|e| row(e, p.now)) }
                        </tbody>
                    </table>
                }
            </div>
        </section>
    }
}

fn row(e: &EventView, now: Time) -> Html {
    let mut seen = human_duration(now.since(e.last_seen) as i64);
    if e.count > 1 {
        seen.push_str(&format!(" (x{})", e.count));
    }
    html! {
        <tr key={e.id.clone()} class={classes!((e.type_ == "Warning").then_some("warning"))}>
            <td class="events-age">{ seen }</td>
            <td>{ e.type_.clone() }</td>
            <td>{ breakable(&e.reason, |c| c.is_ascii_uppercase()) }</td>
            <td class="events-object">{ breakable(&e.object, |c| c == '/' || c == '-') }</td>
            <td class="events-message">{ e.message.clone() }</td>
        </tr>
    }
}

/// Text that may wrap in a narrow column only at the places `at` marks, never inside a part:
/// an object name after `/` and `-` (`pod/` `web-` `7c5ddbdf54-` `x2k9q`), a reason before
/// each capital (`Scaling` `Replica` `Set`).
fn breakable(text: &str, at: fn(char) -> bool) -> Html {
    let mut parts = Vec::new();
    let mut start = 0;
    for (i, c) in text.char_indices() {
        // A separator ends its part; a capital starts the next one.
        let end = if c.is_ascii_uppercase() {
            i
        } else {
            i + c.len_utf8()
        };
        if at(c) && end > start {
            parts.push(&text[start..end]);
            start = end;
        }
    }
    parts.push(&text[start..]);
    parts
        .into_iter()
        .filter(|p| !p.is_empty())
        .map(|part| html! { <>{ part.to_string() }<wbr /></> })
        .collect()
}
