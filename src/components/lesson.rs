//! The lesson panel: the steps and the learner's progress, the current step's text, its
//! suggested commands, the goal as the engine sees it now, hints one at a time, and the
//! prediction question graded against the engine's own simulation.

use crate::markdown;
use crate::state::LessonState;
use kubesim::goal::GoalResult;
use std::rc::Rc;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Largest answer a prediction takes: every count the simulator can reach is far below it.
const MAX_ANSWER: f64 = 1_000_000.0;

#[derive(Properties, PartialEq)]
pub struct LessonPanelProps {
    pub state: Rc<LessonState>,
    /// A suggested command to run in the console.
    pub on_command: Callback<String>,
    pub on_next: Callback<()>,
    pub on_previous: Callback<()>,
    pub on_restart: Callback<()>,
    pub on_answer: Callback<i64>,
}

#[function_component(LessonPanel)]
pub fn lesson_panel(p: &LessonPanelProps) -> Html {
    let st = &p.state;
    let lesson = &st.lesson;
    let step_no = st.progress.step;
    let hints_shown = use_state(|| 0usize);
    let answer_ref = use_node_ref();
    {
        // A new step starts with its hints hidden.
        let hints_shown = hints_shown.clone();
        use_effect_with(step_no, move |_| hints_shown.set(0));
    }
    let Some(step) = lesson.steps.get(step_no) else {
        return html! { <section class="lesson panel" aria-label="Lesson"><p>{ "This lesson has no steps." }</p></section> };
    };
    let (done, total) = st.progress.done();
    let emit = |cb: &Callback<()>| {
        let cb = cb.clone();
        Callback::from(move |_: MouseEvent| cb.emit(()))
    };
    let show_hint = {
        let hints_shown = hints_shown.clone();
        Callback::from(move |_: MouseEvent| hints_shown.set(*hints_shown + 1))
    };
    let submit_answer = {
        let cb = p.on_answer.clone();
        let answer_ref = answer_ref.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            // The form only submits a whole number (`step`, `min`, `max` below), which the
            // browser may have been given as `3.0` or `1e3`.
            if let Some(input) = answer_ref.cast::<HtmlInputElement>() {
                let v = input.value_as_number();
                if v.is_finite() && v.fract() == 0.0 && v.abs() <= MAX_ANSWER {
                    cb.emit(v as i64);
                }
            }
        })
    };
    let goal_met = st.goal.is_met();
    let last = step_no + 1 == total;
    html! {
        <section class="lesson panel" aria-label="Lesson">
            <header>
                <h2>{ lesson.name.clone() }</h2>
                <p class="meta" aria-live="polite">{ format!("Step {} of {total} · {done} done", step_no + 1) }
                    if st.progress.finished() { { " · lesson complete 🎉" } }</p>
                <ol class="lesson-steps" aria-label="Steps">
                    { for lesson.steps.iter().enumerate().map(|(i, s)| html! {
                        <li class={classes!(
                            (i == step_no).then_some("current"),
                            st.progress.completed.get(i).copied().unwrap_or(false).then_some("done"),
                        )} aria-current={(i == step_no).then_some("step")}>{ s.title.clone() }</li>
                    }) }
                </ol>
            </header>
            if step_no == 0 && !lesson.intro.trim().is_empty() {
                <div class="lesson-intro">{ markdown::render(&lesson.intro) }</div>
            }
            <article class="lesson-step">
                <h3>{ format!("{}. {}", step_no + 1, step.title) }</h3>
                <div class="lesson-text">{ markdown::render(&step.text) }</div>
                if !st.actions.is_empty() {
                    <ul class="lesson-actions" aria-label="Try these">
                        { for st.actions.iter().map(|a| {
                            let cb = p.on_command.clone();
                            let line = a.clone();
                            let run = Callback::from(move |_: MouseEvent| cb.emit(line.clone()));
                            // Placeholders like POD-NAME must be filled in by the learner.
                            let runnable = !a.split_whitespace().any(|w| w.chars().all(|c| c.is_ascii_uppercase() || c == '-' || c == '_') && w.len() > 2);
                            html! {
                                <li><code>{ a.clone() }</code>
                                    if runnable { <button onclick={run} aria-label={format!("Run {a}")}>{ "Run" }</button> }
                                </li>
                            }
                        }) }
                    </ul>
                }
                if let Some(prediction) = &st.prediction {
                    <div class="prediction">
                        { match prediction {
                            Ok(pr) => html! { <>
                                <p class="question"><strong>{ "Predict: " }</strong>{ markdown::inline(&pr.question) }</p>
                                <form onsubmit={submit_answer} class="row">
                                    <input ref={answer_ref} type="number" aria-label="Your prediction"
                                        required=true step="1" min={(-MAX_ANSWER).to_string()} max={MAX_ANSWER.to_string()} />
                                    <button type="submit">{ "Check my answer" }</button>
                                </form>
                                if let Some(g) = &st.grade {
                                    <p class={classes!("grade", if g.correct { "ok" } else { "bad" })} role="status">{ g.message.clone() }</p>
                                    // Once answered: what was simulated, and the author's why.
                                    <div class="prediction-why">{ markdown::render(&pr.explanation) }</div>
                                }
                            </> },
                            Err(e) => html! { <p class="meta">{ format!("The prediction cannot be computed from this cluster: {e}") }</p> },
                        } }
                    </div>
                }
                if step.goal.is_some() {
                    <div class={classes!("goal", if goal_met { "ok" } else { "waiting" })} role="status" aria-live="polite">
                        <strong>{ if goal_met { "✓ Goal reached. " } else { "Goal: " } }</strong>
                        { markdown::inline(&step.goal.as_ref().map(|g| g.describe()).unwrap_or_default()) }
                        <div class="meta">{ markdown::inline(match &st.goal { GoalResult::Met(t) | GoalResult::NotMet(t) => t }) }</div>
                    </div>
                }
                if !step.hints.is_empty() {
                    <div class="hints">
                        { for step.hints.iter().take(*hints_shown).map(|h| html! { <p class="hint">{ markdown::inline(h) }</p> }) }
                        if *hints_shown < step.hints.len() {
                            <button onclick={show_hint}>{ if *hints_shown == 0 { "Show a hint" } else { "Another hint" } }</button>
                        }
                    </div>
                }
            </article>
            <nav class="lesson-nav" aria-label="Lesson steps">
                <button onclick={emit(&p.on_previous)} disabled={step_no == 0}>{ "‹ Previous" }</button>
                <button onclick={emit(&p.on_next)} disabled={last} class={classes!(goal_met.then_some("primary"))}>{ "Next step ›" }</button>
                <button onclick={emit(&p.on_restart)}>{ "Restart lesson" }</button>
            </nav>
        </section>
    }
}
