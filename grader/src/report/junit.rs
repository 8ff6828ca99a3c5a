//! The JUnit XML report, for the test reporters of GitLab, Jenkins and GitHub.
//!
//! One `<testsuite>` per kata and one `<testcase>` per check (`classname` = the kata's name,
//! `name` = the check's human name). A failed check is a `<failure>`; one that ran past its
//! time limit is a `<failure type="timeout">`; one that could not run because the code did not
//! compile is an `<error type="build_error">`: the code under test is broken, rather than
//! wrong, which is what JUnit tools mean by an error. Written with `quick-junit` (the format
//! cargo-nextest writes), which also strips what XML cannot hold, such as ANSI escapes.

use quick_junit::{NonSuccessKind, Property, TestCase, TestCaseStatus, TestSuite};

use crate::report::model::{CheckReport, KataReport, Report, Status};

/// Renders `report` as a JUnit XML document.
pub fn render_junit(report: &Report) -> String {
    let mut junit = quick_junit::Report::new("kata-grader");
    for kata in &report.katas {
        junit.add_test_suite(suite(report, kata));
    }
    junit
        .to_string()
        .expect("writing XML to a string cannot fail")
}

fn suite(report: &Report, kata: &KataReport) -> TestSuite {
    let mut suite = TestSuite::new(kata.name.as_str());
    // Reporters show properties next to the suite: enough to match a run to its regrade.
    suite.add_properties([
        Property::new("kata", kata.dir.as_str()),
        Property::new("title", kata.title.as_str()),
        Property::new("score", kata.score.to_string()),
        Property::new("max_score", kata.max_score.to_string()),
        Property::new("grader_version", report.grader_version.as_str()),
        Property::new("proptest_seed", report.proptest_seed.to_string()),
        Property::new("toolchain", report.toolchain.clone()),
    ]);
    if let Some(message) = &kata.message {
        suite.set_system_out(message.as_str());
    }
    for check in &kata.checks {
        suite.add_test_case(case(kata, check));
    }
    suite
}

fn case(kata: &KataReport, check: &CheckReport) -> TestCase {
    let status = match check.status {
        Status::Passed => TestCaseStatus::success(),
        Status::Failed => non_success(NonSuccessKind::Failure, "failed", check),
        Status::TimedOut => non_success(NonSuccessKind::Failure, "timeout", check),
        Status::BuildError => non_success(NonSuccessKind::Error, "build_error", check),
    };
    let mut case = TestCase::new(check.name.as_str(), status);
    case.set_classname(kata.name.as_str());
    case.add_properties([
        Property::new("kind", check.kind.as_str()),
        Property::new("test", check.test.as_str()),
        Property::new("points", format!("{}/{}", check.score, check.max_score)),
    ]);
    case
}

/// A failure or error: the first line of the explanation as the message (reporters show it in
/// one line), the whole explanation and the hint as the description.
fn non_success(kind: NonSuccessKind, ty: &str, check: &CheckReport) -> TestCaseStatus {
    let mut status = TestCaseStatus::non_success(kind);
    let output = check.output.trim();
    let headline = output
        .lines()
        .next()
        .filter(|l| !l.trim().is_empty())
        .unwrap_or(match check.status {
            Status::TimedOut => "ran past its time limit",
            Status::BuildError => "did not compile",
            _ => "failed",
        });
    let mut description = output.to_string();
    if let Some(hint) = &check.hint {
        description.push_str("\n\nhint: ");
        description.push_str(hint);
    }
    status
        .set_type(ty)
        .set_message(headline)
        .set_description(description.trim_start());
    status
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discover::CheckKind;
    use crate::report::model::KataState;

    fn check(name: &str, kind: CheckKind, status: Status, output: &str) -> CheckReport {
        let passed = status == Status::Passed;
        CheckReport {
            name: name.into(),
            kind,
            status,
            score: if passed { 3 } else { 0 },
            max_score: 3,
            output: output.into(),
            test: name.replace(' ', "_"),
            hint: (!passed).then(|| "use fetch_add".to_string()),
            visibility: None,
            preemption_bound: None,
        }
    }

    fn sample() -> Report {
        let race = vec![
            check("starts at zero", CheckKind::Visible, Status::Passed, ""),
            check(
                "no lost update",
                CheckKind::Loom,
                Status::Failed,
                "lost an increment\nfinal count 1 <2>",
            ),
            check("stress & more", CheckKind::Hidden, Status::TimedOut, ""),
            check(
                "\u{1b}[31mcoloured\u{1b}[0m",
                CheckKind::Property,
                Status::Passed,
                "",
            ),
        ];
        let pool = vec![check(
            "runs tasks",
            CheckKind::Visible,
            Status::BuildError,
            "not run: the library does not compile",
        )];
        let kata = |dir: &str, checks: Vec<CheckReport>, state| KataReport {
            name: dir.split_once('-').unwrap().1.into(),
            dir: dir.into(),
            title: "A kata".into(),
            score: checks.iter().map(|c| c.score).sum(),
            max_score: checks.iter().map(|c| c.max_score).sum(),
            state,
            teaches: None,
            message: (state == KataState::BuildError).then(|| "error[E0308]: mismatched".into()),
            checks,
        };
        Report::new(
            vec![
                kata("03-race", race, KataState::InProgress),
                kata("07-pool", pool, KataState::BuildError),
            ],
            7,
        )
    }

    #[test]
    fn one_suite_per_kata_one_case_per_check_with_counts() {
        let xml = render_junit(&sample());
        let parsed = quick_junit::Report::deserialize_from_str(&xml).expect("valid JUnit XML");
        assert_eq!(parsed.name.as_ref().unwrap().as_str(), "kata-grader");
        assert_eq!((parsed.tests, parsed.failures, parsed.errors), (5, 2, 1));
        assert_eq!(parsed.test_suites.len(), 2);

        let race = &parsed.test_suites[0];
        assert_eq!(race.name.as_str(), "race");
        assert_eq!((race.tests, race.failures, race.errors), (4, 2, 0));
        let names: Vec<&str> = race.test_cases.iter().map(|c| c.name.as_str()).collect();
        // The ANSI escapes in the last name are dropped: XML cannot hold them.
        assert_eq!(
            names,
            [
                "starts at zero",
                "no lost update",
                "stress & more",
                "coloured"
            ]
        );
        for case in &race.test_cases {
            assert_eq!(case.classname.as_ref().unwrap().as_str(), "race");
        }
        let property = |name: &str| {
            race.properties
                .iter()
                .find(|p| p.name.as_str() == name)
                .map(|p| p.value.as_str().to_string())
        };
        assert_eq!(property("kata").as_deref(), Some("03-race"));
        assert_eq!(property("proptest_seed").as_deref(), Some("7"));

        let pool = &parsed.test_suites[1];
        assert_eq!((pool.tests, pool.failures, pool.errors), (1, 0, 1));
        assert_eq!(
            pool.system_out.as_ref().unwrap().as_str(),
            "error[E0308]: mismatched"
        );
    }

    #[test]
    fn failures_carry_the_output_and_their_kind() {
        let xml = render_junit(&sample());
        let parsed = quick_junit::Report::deserialize_from_str(&xml).unwrap();
        let race = &parsed.test_suites[0];
        assert!(matches!(
            race.test_cases[0].status,
            TestCaseStatus::Success { .. }
        ));
        let TestCaseStatus::NonSuccess {
            kind,
            message,
            ty,
            description,
            ..
        } = &race.test_cases[1].status
        else {
            panic!("a failed check is not a success");
        };
        assert_eq!(*kind, NonSuccessKind::Failure);
        assert_eq!(ty.as_ref().unwrap().as_str(), "failed");
        assert_eq!(message.as_ref().unwrap().as_str(), "lost an increment");
        let description = description.as_ref().unwrap().as_str();
        assert!(description.contains("final count 1 <2>"), "{description}");
        assert!(description.contains("hint: use fetch_add"), "{description}");

        let TestCaseStatus::NonSuccess {
            kind, ty, message, ..
        } = &race.test_cases[2].status
        else {
            panic!("a timed-out check is not a success");
        };
        assert_eq!(*kind, NonSuccessKind::Failure);
        assert_eq!(ty.as_ref().unwrap().as_str(), "timeout");
        assert_eq!(
            message.as_ref().unwrap().as_str(),
            "ran past its time limit"
        );

        let pool = &parsed.test_suites[1];
        let TestCaseStatus::NonSuccess { kind, ty, .. } = &pool.test_cases[0].status else {
            panic!("a check that did not build is not a success");
        };
        assert_eq!(*kind, NonSuccessKind::Error);
        assert_eq!(ty.as_ref().unwrap().as_str(), "build_error");
    }

    #[test]
    fn the_xml_is_what_junit_readers_expect() {
        // Independent of quick-junit's own reader: the elements and attributes that GitLab,
        // Jenkins and GitHub's reporters look for, escaped.
        let xml = render_junit(&sample());
        assert!(
            xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"),
            "{xml}"
        );
        assert_eq!(xml.matches("<testsuite ").count(), 2, "{xml}");
        assert_eq!(xml.matches("<testcase ").count(), 5, "{xml}");
        assert_eq!(xml.matches("<failure ").count(), 2, "{xml}");
        assert_eq!(xml.matches("<error ").count(), 1, "{xml}");
        assert!(xml.contains("type=\"timeout\""), "{xml}");
        assert!(xml.contains("name=\"stress &amp; more\""), "{xml}");
        assert!(xml.contains("final count 1 &lt;2&gt;"), "{xml}");
        assert!(xml.contains("classname=\"race\""), "{xml}");
        assert!(!xml.contains('\u{1b}'), "ANSI escapes are not XML: {xml}");
    }
}
