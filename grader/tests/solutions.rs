//! The reference answers score full marks on every kata, and every test the katas ship is
//! one of their manifest's checks.

mod common;

use grader::report::{KataState, Status};

#[test]
fn every_solution_scores_full_marks() {
    let home = common::home();
    let graded = common::grade(&common::options(
        "solutions",
        &home.root().join("solutions"),
    ));
    let report = &graded.report;
    for kata in &report.katas {
        let failing: Vec<String> = kata
            .checks
            .iter()
            .filter(|c| c.status != Status::Passed)
            .map(|c| format!("{} {} ({:?}): {}", c.kind, c.test, c.status, c.output))
            .collect();
        assert!(
            failing.is_empty() && kata.state == KataState::Passed,
            "{} scored {}/{}:\n{}\n{}",
            kata.dir,
            kata.score,
            kata.max_score,
            kata.message.clone().unwrap_or_default(),
            failing.join("\n")
        );
    }
    assert_eq!(report.katas.len(), common::katas().len());
    assert_eq!(report.score, report.max_score);
    assert!(
        graded.unchecked_tests.is_empty(),
        "tests with no [[check]] in their kata.toml:\n{}",
        graded.unchecked_tests.join("\n")
    );
}
