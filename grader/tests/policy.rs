//! Code that bypasses kata_sync in a loom-checked kata is not silently "model checked": its
//! loom checks fail with a sentence naming the line, and its other checks still run.

mod common;

use grader::discover::{Catalog, CheckKind};
use grader::report::Status;

#[test]
fn std_sync_in_a_loom_checked_kata_fails_loom_checks_with_the_line() {
    let home = common::home();
    let race = Catalog::load(&home).unwrap().find("race").unwrap().clone();
    let solution =
        std::fs::read_to_string(home.root().join("solutions/03-race/src/lib.rs")).unwrap();
    // The same answer, with kata_sync swapped for std in every path.
    let bypassing = solution.replace("kata_sync::", "std::");
    assert_ne!(
        bypassing, solution,
        "the race solution imports from kata_sync"
    );
    let dir = common::submission_with(&race, &bypassing);
    let mut options = common::options("policy", dir.path());
    options.katas = vec!["race".into()];
    let graded = common::grade(&options);
    let report = common::kata(&graded.report, "race");
    for check in &report.checks {
        if check.kind == CheckKind::Loom {
            assert_eq!(check.status, Status::Failed, "{}", check.test);
            assert!(check.output.contains("src/lib.rs:"), "{}", check.output);
            assert!(
                check.output.contains("import it from `kata_sync::"),
                "{}",
                check.output
            );
        } else {
            assert_eq!(
                check.status,
                Status::Passed,
                "{}: {}",
                check.test,
                check.output
            );
        }
    }
}
