//! `kubesim`: run a scenario file and print its transcript or its JSON Lines trace, or check
//! that its `checks:` pass and, for a lesson, that every step's goal is reachable.

use kubesim::lesson::Lesson;
use kubesim::scenario::{self, Item, Scenario};
use kubesim::trace::{self, EventFilter};
use std::process::ExitCode;

const USAGE: &str = "usage:
  kubesim run SCENARIO.yaml [--events all|controllers|none]   readable transcript
  kubesim trace SCENARIO.yaml                                  JSON Lines trace
  kubesim check SCENARIO.yaml                                  run its checks (and rehearse a lesson)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(out) => {
            print!("{out}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("kubesim: {e}");
            ExitCode::from(2)
        }
    }
}

fn run(args: &[String]) -> Result<String, String> {
    let (cmd, file) = match args {
        [c, f, ..] => (c.as_str(), f.as_str()),
        _ => return Err(USAGE.into()),
    };
    let filter = match args
        .iter()
        .position(|a| a == "--events")
        .and_then(|i| args.get(i + 1))
        .map(String::as_str)
    {
        None | Some("all") => EventFilter::All,
        Some("controllers") => EventFilter::Controllers,
        Some("none") => EventFilter::None,
        Some(other) => return Err(format!("unknown --events value {other:?}\n{USAGE}")),
    };
    let text = std::fs::read_to_string(file).map_err(|e| format!("cannot read {file}: {e}"))?;
    let s = Scenario::from_yaml(&text).map_err(|e| format!("{file}: {e}"))?;
    let (sim, items) = scenario::run(&s)?;
    match cmd {
        "run" => Ok(trace::transcript(&s.name, &items, filter)),
        "trace" => Ok(trace::jsonl(&sim, &items)),
        "check" => check(&text, &items),
        _ => Err(USAGE.into()),
    }
}

/// One line per check and lesson step; an error (exit 2) when anything failed.
fn check(text: &str, items: &[Item]) -> Result<String, String> {
    let mut out = String::new();
    let mut failed = 0;
    for item in items {
        if let Item::Check { t, goal, result } = item {
            let mark = if result.is_met() { "ok" } else { "FAILED" };
            failed += usize::from(!result.is_met());
            out.push_str(&format!(
                "check at {}: {mark}: {goal}\n    {}\n",
                t.clock(),
                result.text()
            ));
        }
    }
    if let Ok(lesson) = Lesson::from_yaml(text) {
        let r = lesson.rehearse()?;
        for s in &r.steps {
            let mark = if s.result.is_met() { "ok" } else { "FAILED" };
            out.push_str(&format!(
                "step {} at {}: {mark}: {}\n    {}\n",
                s.step + 1,
                s.reached_at.clock(),
                s.title,
                s.result.text()
            ));
            if let Some(p) = &s.prediction {
                match p {
                    Ok(p) => out.push_str(&format!(
                        "    predict: {} -> {}\n    {}\n",
                        p.question,
                        p.answer,
                        p.explanation.lines().next().unwrap_or("")
                    )),
                    Err(e) => out.push_str(&format!("    predict: error: {e}\n")),
                }
            }
        }
        for p in r.problems() {
            failed += 1;
            out.push_str(&format!("problem: {p}\n"));
        }
    }
    if failed > 0 {
        return Err(format!("{out}{failed} failed"));
    }
    Ok(out)
}
