//! Every shipped mutant (a plausible learner bug) loses points, and the checks its header
//! names as catching it fail, every run.

mod common;

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use grader::discover::{Kata, Mutant, mutants_of};
use grader::report::Status;

/// Grades one mutant; returns a description of what went wrong, if anything.
fn check_mutant(kata: &Kata, mutant: &Mutant) -> Result<(), String> {
    let source = std::fs::read_to_string(&mutant.path).unwrap();
    let dir = common::submission_with(kata, &source);
    let mut options = common::options(&format!("mutant-{}-{}", kata.name, mutant.slug), dir.path());
    options.katas = vec![kata.name.clone()];
    // Mutants mostly fail by hanging until a time limit, which costs wall time but no CPU:
    // run a few of one mutant's tests at once (two mutants are graded at a time). The kata
    // authors proved each named check under heavier load than these six processes.
    options.jobs = 3;
    let graded = common::grade(&options);
    let report = common::kata(&graded.report, &kata.name);
    let mut problems = Vec::new();
    if report.score >= report.max_score {
        problems.push("it scored full marks".to_string());
    }
    for (kind, test) in &mutant.caught_by {
        let check = report
            .checks
            .iter()
            .find(|c| c.kind == *kind && &c.test == test)
            .expect("caught-by names a check (checked when parsing)");
        if check.status == Status::Passed {
            problems.push(format!("{kind}:{test} passed"));
        } else if check.status == Status::BuildError {
            problems.push(format!("{kind}:{test} did not build: {}", check.output));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{}/{} ({}): {}",
            kata.dir_name,
            mutant.slug,
            mutant.description,
            problems.join("; ")
        ))
    }
}

#[test]
fn every_kata_ships_mutants_and_each_is_caught() {
    let katas = common::katas();
    let mut all = Vec::new();
    let mut problems = Vec::new();
    for kata in &katas {
        match mutants_of(kata) {
            Ok(list) if list.len() >= 3 => all.extend(list.into_iter().map(|m| (kata, m))),
            Ok(list) => problems.push(format!(
                "{} ships {} mutants; every kata needs at least 3",
                kata.dir_name,
                list.len()
            )),
            Err(e) => problems.push(e),
        }
    }
    let next = AtomicUsize::new(0);
    let failures = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| {
                while let Some((kata, mutant)) = all.get(next.fetch_add(1, Ordering::Relaxed)) {
                    if let Err(e) = check_mutant(kata, mutant) {
                        failures.lock().unwrap().push(e);
                    }
                }
            });
        }
    });
    problems.extend(failures.into_inner().unwrap());
    assert!(
        problems.is_empty(),
        "mutants not caught:\n{}",
        problems.join("\n")
    );
}
