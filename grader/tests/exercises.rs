//! The untouched exercises score 0 on every kata, and say so in a way a newcomer can act on.

mod common;

use grader::report::{KataState, Status};

#[test]
fn untouched_exercises_score_zero_and_say_not_started() {
    let home = common::home();
    let graded = common::grade(&common::options("exercises", &home.exercises_dir()));
    let report = &graded.report;
    assert_eq!(report.katas.len(), common::katas().len());
    for kata in &report.katas {
        let passing: Vec<&str> = kata
            .checks
            .iter()
            .filter(|c| c.status == Status::Passed)
            .map(|c| c.test.as_str())
            .collect();
        assert_eq!(
            kata.score,
            0,
            "{}: the stub passes {passing:?}\n{}",
            kata.dir,
            common::dump(report)
        );
        assert_eq!(
            kata.state,
            KataState::NotStarted,
            "{}: the stub must compile and still hold todo!()s\n{}",
            kata.dir,
            kata.message.clone().unwrap_or_default()
        );
        assert!(
            kata.checks.iter().all(|c| c.status != Status::BuildError),
            "{}: the visible/hidden tests must compile against the stub",
            kata.dir
        );
    }
    let text = grader::report::render_human(report, &graded.submission_root);
    assert!(text.contains("Not started: read"), "{text}");
    assert!(text.contains("Next: 01-"), "{text}");
    assert!(
        text.contains(&format!("Total: 0/{}", report.max_score)),
        "{text}"
    );
}
