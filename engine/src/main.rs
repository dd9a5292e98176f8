//! `kubesim`: run a scenario file and print its transcript or its JSON Lines trace.

use kubesim::scenario::{self, Scenario};
use kubesim::trace::{self, EventFilter};
use std::process::ExitCode;

const USAGE: &str = "usage:
  kubesim run SCENARIO.yaml [--events all|controllers|none]   readable transcript
  kubesim trace SCENARIO.yaml                                  JSON Lines trace";

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
        _ => Err(USAGE.into()),
    }
}
