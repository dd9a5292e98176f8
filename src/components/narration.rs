//! Narration for screen readers: a polite live region that says, every few seconds at most,
//! what the controllers did since it last spoke (the engine's `view::narration`). With
//! captions on, the same region shows on screen, for a class watching a projector.

use gloo::timers::callback::Timeout;
use yew::prelude::*;

/// The least time between two narrations, in milliseconds: a screen reader needs a few
/// seconds to read one, and a rollout at 16× writes events many times a second.
pub const EVERY_MS: u32 = 3000;

#[derive(Properties, PartialEq)]
pub struct NarrationProps {
    /// Changes with every session (a new scenario, a seek): resource versions start over.
    pub epoch: u64,
    /// Changes whenever the cluster does.
    pub revision: u64,
    /// The narration of the events after a resource version, and the newest version.
    pub query: Callback<u64, (Option<String>, u64)>,
    #[prop_or(EVERY_MS)]
    pub every_ms: u32,
    /// Shown on screen as captions, not only to screen readers.
    #[prop_or_default]
    pub captions: bool,
}

/// Where the narration stands: the session and event version it has told up to, the
/// cluster revision it last saw, and when (page time in ms) it last looked.
#[derive(Default)]
struct Told {
    upto: Option<(u64, u64)>,
    revision: u64,
    at: Option<f64>,
    timer: Option<Timeout>,
}

#[function_component(Narration)]
pub fn narration(p: &NarrationProps) -> Html {
    let told = use_mut_ref(Told::default);
    let text = use_state(String::new);
    // A wake-up after the quiet interval, for events that came in during it.
    let wake = use_state(|| 0u32);
    {
        let (text, wake) = (text.clone(), wake.clone());
        let (query, every) = (p.query.clone(), f64::from(p.every_ms));
        use_effect_with(
            (p.epoch, p.revision, *wake),
            move |&(epoch, revision, _)| {
                let mut t = told.borrow_mut();
                // A revision lower than the last one seen is a rewind: the cluster is replayed,
                // and what it replays is not news either.
                let rewound = revision < t.revision;
                t.revision = revision;
                let since = match t.upto {
                    Some((e, v)) if e == epoch && !rewound => v,
                    // What happened before the page (or this session) was opened is not news.
                    _ => {
                        t.upto = Some((epoch, query.emit(u64::MAX).1));
                        return;
                    }
                };
                let now = js_sys::Date::now();
                // A clock set back counts as time passed.
                let quiet = t.at.map_or(every, |at| now - at);
                if (0.0..every).contains(&quiet) {
                    if t.timer.is_none() {
                        let told = told.clone();
                        t.timer = Some(Timeout::new((every - quiet).ceil() as u32, move || {
                            told.borrow_mut().timer = None;
                            wake.set(*wake + 1);
                        }));
                    }
                    return;
                }
                let (said, latest) = query.emit(since);
                // A look that found nothing also waits the interval: the engine reads every
                // event to answer, and a fast run changes the cluster many times a second.
                t.at = Some(now);
                t.upto = Some((epoch, latest));
                if let Some(said) = said.filter(|_| latest > since) {
                    text.set(said);
                }
            },
        );
    }
    html! {
        <div class={if p.captions { "captions" } else { "visually-hidden" }} role="status"
            aria-live="polite" aria-atomic="true" aria-label="What the controllers did">
            if p.captions && text.is_empty() {
                <span class="muted">{ "What the controllers do appears here every few seconds." }</span>
            } else {
                { (*text).clone() }
            }
        </div>
    }
}
