//! The built-in lessons (static/lessons) and the example in docs/scenarios.md: each opens as a
//! session, every step's goal is reached by replaying that step's actions, and every
//! prediction the engine computes for the scripted flow equals the answer the file states.

mod common;

use common::{repo, yaml_files};
use kubesim::lesson::{Lesson, LessonProgress};
use kubesim::scenario;
use kubesim::session::Session;

fn lessons() -> Vec<(String, String)> {
    yaml_files("static/lessons")
}

/// The lesson in docs/scenarios.md: the YAML block after `<!-- example-lesson -->`.
fn docs_example() -> String {
    let doc = std::fs::read_to_string(repo().join("docs/scenarios.md")).unwrap();
    let start = doc.find("<!-- example-lesson -->").expect("the marker");
    let rest = &doc[start..];
    let body = &rest[rest.find("```yaml\n").unwrap() + 8..];
    body[..body.find("\n```").unwrap() + 1].to_string()
}

fn all() -> Vec<(String, String)> {
    let mut v = lessons();
    v.push(("docs/scenarios.md".into(), docs_example()));
    v
}

#[test]
fn the_built_in_lessons() {
    let names: Vec<String> = lessons().into_iter().map(|(n, _)| n).collect();
    assert_eq!(
        names,
        ["first-deployment", "rolling-and-rollback", "stuck-rollout"]
    );
}

#[test]
fn every_step_is_reachable_and_every_stated_answer_is_right() {
    for (name, text) in all() {
        let lesson = Lesson::from_yaml(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        let r = lesson.rehearse().unwrap();
        assert_eq!(r.steps.len(), lesson.steps.len());
        let problems = r.problems();
        assert!(problems.is_empty(), "{name}:\n{}", problems.join("\n"));
        let stated = r.steps.iter().filter(|s| s.stated_answer.is_some()).count();
        assert!(stated >= 1, "{name}: no prediction states its answer");
        for s in &r.steps {
            for (line, out) in &s.commands {
                assert!(
                    out.success(),
                    "{name} step {}: `{line}` failed: {}",
                    s.step + 1,
                    out.text()
                );
            }
        }
    }
}

#[test]
fn every_lesson_is_a_scenario_and_a_session() {
    for (name, text) in all() {
        let lesson = Lesson::from_yaml(&text).unwrap();
        assert!(lesson.steps.len() >= 3, "{name}");
        assert!(!lesson.description.trim().is_empty(), "{name}");
        assert!(
            lesson
                .steps
                .iter()
                .all(|s| s.goal.is_some() || s.actions.is_empty()),
            "{name}: a step with actions needs a goal"
        );
        let session = Session::new(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(Lesson::from_session(&session).as_ref(), Some(&lesson));
        scenario::run(&lesson.scenario).unwrap_or_else(|e| panic!("{name}: {e}"));
        let progress = LessonProgress::new(&lesson);
        assert_eq!(
            LessonProgress::from_text(&progress.to_text(), &lesson).unwrap(),
            progress
        );
    }
}
