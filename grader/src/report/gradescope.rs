//! Gradescope's `results.json`, written to its published autograder specification:
//! <https://gradescope-autograders.readthedocs.io/en/latest/specs/> (sections "Output format",
//! "Controlling Test Case Visibility" and "Controlling standard output visibility").
//!
//! The spec's shape, as this module fills it in:
//!
//! - top level: `score` (number, overrides the tests' total, so it is set to exactly that total),
//!   `execution_time` (whole seconds), `output` (text for the whole submission), `visibility`,
//!   `stdout_visibility`, `extra_data` (free-form, kept for regrades), `tests`;
//! - each test: `score`, `max_score` (numbers), `status` (`"passed"` or `"failed"`), `name`,
//!   `number` (a string such as `"3.12"`), `output` (shown in a `<pre>`), `tags` (strings),
//!   `visibility`, `extra_data`.
//!
//! Visibility values are the spec's four: `visible` (the default: always shown), `hidden`
//! (never shown to students), `after_due_date` and `after_published` (shown once the teacher
//! publishes grades). A test's own visibility overrides the top-level one.

use std::fmt::Write as _;
use std::time::Duration;

use serde::Serialize;

use crate::discover::CheckKind;
use crate::report::model::{CheckReport, KataReport, KataState, Report, Status};

/// When students see a result: the four values Gradescope's spec allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum Visibility {
    /// Always shown.
    #[value(name = "visible")]
    Visible,
    /// Never shown to students (instructors always see everything).
    #[value(name = "hidden")]
    Hidden,
    /// Shown once the due date (or the late due date) has passed.
    #[value(name = "after_due_date")]
    AfterDueDate,
    /// Shown once the teacher publishes the grades.
    #[value(name = "after_published")]
    AfterPublished,
}

impl Visibility {
    /// Every value, in the spec's order of openness.
    pub const ALL: [Visibility; 4] = [
        Visibility::Visible,
        Visibility::AfterDueDate,
        Visibility::AfterPublished,
        Visibility::Hidden,
    ];

    /// The word the spec uses (`after_due_date`...).
    pub fn as_str(self) -> &'static str {
        match self {
            Visibility::Visible => "visible",
            Visibility::Hidden => "hidden",
            Visibility::AfterDueDate => "after_due_date",
            Visibility::AfterPublished => "after_published",
        }
    }

    /// Parses the spec's word, as a manifest's `visibility` holds it.
    pub fn parse(word: &str) -> Option<Visibility> {
        Visibility::ALL
            .into_iter()
            .find(|v| v.as_str() == word.trim())
    }

    /// The visibility a check of `kind` gets when neither its manifest nor the teacher says
    /// otherwise: visible tests are the ones learners can read anyway; the results of the
    /// grader's own tests wait until the teacher publishes grades, so they cannot be used to
    /// probe the hidden tests one submission at a time.
    pub fn default_for(kind: CheckKind) -> Visibility {
        match kind {
            CheckKind::Visible => Visibility::Visible,
            CheckKind::Hidden | CheckKind::Property | CheckKind::Loom => Visibility::AfterPublished,
        }
    }
}

/// The teacher's choices for a Gradescope report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GradescopeOptions {
    /// The top-level `visibility`: the default for every test that sets none (every test here
    /// sets one) and, per the spec, whether students see their total.
    pub visibility: Visibility,
    /// `stdout_visibility`: who sees what `run_autograder` printed. Hidden by default, as in
    /// the spec: the printed log is for the teacher, the student's feedback is in `output`.
    pub stdout_visibility: Visibility,
    /// Overrides the default visibility of every `hidden` check.
    pub hidden: Option<Visibility>,
    /// Overrides the default visibility of every `property` check.
    pub property: Option<Visibility>,
    /// Overrides the default visibility of every `loom` check.
    pub loom: Option<Visibility>,
    /// How long grading took (reported in whole seconds).
    pub execution_time: Duration,
}

impl Default for GradescopeOptions {
    fn default() -> GradescopeOptions {
        GradescopeOptions {
            visibility: Visibility::Visible,
            stdout_visibility: Visibility::Hidden,
            hidden: None,
            property: None,
            loom: None,
            execution_time: Duration::ZERO,
        }
    }
}

impl GradescopeOptions {
    /// The visibility of one check. The most specific choice wins: the check's own manifest
    /// `visibility`, then the teacher's choice for its kind, then the kind's default. A
    /// manifest value that is not one of the spec's words is ignored rather than sent on,
    /// because Gradescope would reject the whole results file for it.
    pub fn visibility_of(&self, check: &CheckReport) -> Visibility {
        let per_kind = match check.kind {
            CheckKind::Visible => None,
            CheckKind::Hidden => self.hidden,
            CheckKind::Property => self.property,
            CheckKind::Loom => self.loom,
        };
        check
            .visibility
            .as_deref()
            .and_then(Visibility::parse)
            .or(per_kind)
            .unwrap_or_else(|| Visibility::default_for(check.kind))
    }
}

#[derive(Serialize)]
struct Results {
    score: f64,
    execution_time: u64,
    output: String,
    visibility: Visibility,
    stdout_visibility: Visibility,
    extra_data: ResultsExtra,
    tests: Vec<Test>,
}

#[derive(Serialize)]
struct ResultsExtra {
    grader_version: String,
    proptest_seed: u64,
    toolchain: String,
    max_score: u32,
}

#[derive(Serialize)]
struct Test {
    score: f64,
    max_score: f64,
    status: &'static str,
    name: String,
    number: String,
    output: String,
    tags: Vec<String>,
    visibility: Visibility,
    extra_data: TestExtra,
}

#[derive(Serialize)]
struct TestExtra {
    kata: String,
    kind: CheckKind,
    test: String,
    status: Status,
}

/// Renders `report` as Gradescope's `results.json` (pretty-printed, newline-terminated).
pub fn render_gradescope(report: &Report, opts: &GradescopeOptions) -> String {
    let mut tests = Vec::new();
    for kata in &report.katas {
        let number = kata_number(kata);
        for (index, check) in kata.checks.iter().enumerate() {
            tests.push(Test {
                score: f64::from(check.score),
                max_score: f64::from(check.max_score),
                status: if check.status == Status::Passed {
                    "passed"
                } else {
                    "failed"
                },
                name: format!("{}: {}", kata.name, check.name),
                number: format!("{number}.{}", index + 1),
                output: check_output(kata, check),
                tags: vec![kata.name.clone(), check.kind.as_str().to_string()],
                visibility: opts.visibility_of(check),
                extra_data: TestExtra {
                    kata: kata.dir.clone(),
                    kind: check.kind,
                    test: check.test.clone(),
                    status: check.status,
                },
            });
        }
    }
    let results = Results {
        score: f64::from(report.score),
        execution_time: opts.execution_time.as_secs_f64().round() as u64,
        output: summary(report, opts),
        visibility: opts.visibility,
        stdout_visibility: opts.stdout_visibility,
        extra_data: ResultsExtra {
            grader_version: report.grader_version.clone(),
            proptest_seed: report.proptest_seed,
            toolchain: report.toolchain.clone(),
            max_score: report.max_score,
        },
        tests,
    };
    serde_json::to_string_pretty(&results).expect("the results always serialize") + "\n"
}

/// The kata's number from its folder name (`03-race` -> 3), for test numbers like `3.12`.
fn kata_number(kata: &KataReport) -> u32 {
    kata.dir
        .split_once('-')
        .and_then(|(n, _)| n.parse().ok())
        .unwrap_or(0)
}

/// What a student reads under one test: the verdict, the explanation and the hint.
fn check_output(kata: &KataReport, check: &CheckReport) -> String {
    let mut out = String::from(match check.status {
        Status::Passed => "Passed.",
        Status::Failed => "Failed.",
        Status::TimedOut => "Timed out: the test ran past its time limit and was stopped.",
        Status::BuildError => "Not run: the code did not compile.",
    });
    if check.status == Status::Passed {
        return out;
    }
    let explanation = check.output.trim();
    if !explanation.is_empty() {
        out.push('\n');
        out.push_str(explanation);
    }
    // The compiler's messages are given once, in the top-level output, not under every test.
    if kata.state == KataState::BuildError {
        out.push_str("\nThe compiler's messages are in the autograder output above the tests.");
    }
    if let Some(hint) = &check.hint {
        out.push_str("\n\nHint: ");
        out.push_str(hint);
    }
    out
}

/// The top-level `output`: what was graded with what, and each kata's own message (a missing
/// file, the compiler's errors). A kata's score is shown only when every one of its checks is
/// visible, since the total of checks not yet released would give their results away.
fn summary(report: &Report, opts: &GradescopeOptions) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Graded by the kata grader {} with proptest seed {} (a regrade with the same version \
         and seed gives the same result).",
        report.grader_version, report.proptest_seed
    );
    for kata in &report.katas {
        let _ = write!(out, "\n{}: {}", kata.dir, kata.title);
        let all_visible = kata
            .checks
            .iter()
            .all(|c| opts.visibility_of(c) == Visibility::Visible);
        if all_visible {
            let _ = write!(out, " ({}/{})", kata.score, kata.max_score);
        }
        out.push('\n');
        if let Some(message) = &kata.message {
            for line in message.lines() {
                let _ = writeln!(out, "    {line}");
            }
        }
    }
    out.trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn check(kind: CheckKind, status: Status, points: u32) -> CheckReport {
        let passed = status == Status::Passed;
        CheckReport {
            name: format!("a {kind} check"),
            kind,
            status,
            score: if passed { points } else { 0 },
            max_score: points,
            output: if passed {
                String::new()
            } else {
                "assertion failed: left == right".into()
            },
            test: format!("{kind}_test"),
            hint: (!passed).then(|| "Hold one lock guard for the whole update.".to_string()),
            visibility: None,
            preemption_bound: None,
        }
    }

    fn kata(dir: &str, checks: Vec<CheckReport>) -> KataReport {
        let score = checks.iter().map(|c| c.score).sum();
        let max_score = checks.iter().map(|c| c.max_score).sum();
        KataReport {
            name: dir.split_once('-').unwrap().1.to_string(),
            dir: dir.to_string(),
            title: "A kata".into(),
            score,
            max_score,
            state: if score == max_score {
                KataState::Passed
            } else {
                KataState::InProgress
            },
            teaches: None,
            message: None,
            checks,
        }
    }

    fn sample() -> Report {
        Report::new(
            vec![
                kata(
                    "03-race",
                    vec![
                        check(CheckKind::Visible, Status::Passed, 2),
                        check(CheckKind::Visible, Status::Failed, 3),
                        check(CheckKind::Hidden, Status::TimedOut, 5),
                        check(CheckKind::Property, Status::Passed, 4),
                        check(CheckKind::Loom, Status::Failed, 9),
                    ],
                ),
                kata(
                    "12-pool",
                    vec![
                        check(CheckKind::Visible, Status::Passed, 10),
                        check(CheckKind::Hidden, Status::BuildError, 1),
                    ],
                ),
            ],
            42,
        )
    }

    fn parse(text: &str) -> Value {
        serde_json::from_str(text).expect("results.json is JSON")
    }

    const VISIBILITIES: [&str; 4] = ["visible", "hidden", "after_due_date", "after_published"];

    /// Every field the spec lists, with the spec's type, and nothing outside the spec.
    fn assert_follows_the_spec(results: &Value) {
        let top = results.as_object().expect("the top level is an object");
        let allowed = [
            "score",
            "execution_time",
            "output",
            "visibility",
            "stdout_visibility",
            "extra_data",
            "tests",
        ];
        for key in top.keys() {
            assert!(
                allowed.contains(&key.as_str()),
                "unknown top-level key {key}"
            );
        }
        assert!(top["score"].is_number());
        assert!(top["execution_time"].is_u64());
        assert!(top["output"].is_string());
        assert!(VISIBILITIES.contains(&top["visibility"].as_str().unwrap()));
        assert!(VISIBILITIES.contains(&top["stdout_visibility"].as_str().unwrap()));
        assert!(top["extra_data"].is_object());
        let tests = top["tests"].as_array().expect("tests is an array");
        let test_keys = [
            "score",
            "max_score",
            "status",
            "name",
            "number",
            "output",
            "tags",
            "visibility",
            "extra_data",
        ];
        for test in tests {
            let test = test.as_object().expect("a test is an object");
            for key in test.keys() {
                assert!(test_keys.contains(&key.as_str()), "unknown test key {key}");
            }
            for key in test_keys {
                assert!(test.contains_key(key), "a test without {key}: {test:?}");
            }
            assert!(test["score"].is_number());
            assert!(test["max_score"].is_number());
            assert!(["passed", "failed"].contains(&test["status"].as_str().unwrap()));
            assert!(!test["name"].as_str().unwrap().is_empty());
            assert!(test["number"].is_string());
            assert!(test["output"].is_string());
            let tags = test["tags"].as_array().unwrap();
            assert!(tags.iter().all(Value::is_string));
            assert!(VISIBILITIES.contains(&test["visibility"].as_str().unwrap()));
            assert!(test["extra_data"].is_object());
            assert!(test["score"].as_f64().unwrap() <= test["max_score"].as_f64().unwrap());
        }
    }

    #[test]
    fn follows_the_spec_field_by_field() {
        let opts = GradescopeOptions {
            execution_time: Duration::from_millis(136_400),
            ..GradescopeOptions::default()
        };
        let results = parse(&render_gradescope(&sample(), &opts));
        assert_follows_the_spec(&results);
        assert_eq!(results["execution_time"], 136);
        assert_eq!(results["visibility"], "visible");
        assert_eq!(results["stdout_visibility"], "hidden");
        assert_eq!(
            results["extra_data"]["grader_version"],
            env!("CARGO_PKG_VERSION")
        );
        assert_eq!(results["extra_data"]["proptest_seed"], 42);

        let tests = results["tests"].as_array().unwrap();
        assert_eq!(tests.len(), 7);
        let first = &tests[0];
        assert_eq!(first["name"], "race: a visible check");
        assert_eq!(first["number"], "3.1");
        assert_eq!(first["score"], 2.0);
        assert_eq!(first["max_score"], 2.0);
        assert_eq!(first["status"], "passed");
        assert_eq!(first["output"], "Passed.");
        assert_eq!(first["tags"], serde_json::json!(["race", "visible"]));
        assert_eq!(first["extra_data"]["kata"], "03-race");
        assert_eq!(first["extra_data"]["test"], "visible_test");
        assert_eq!(tests[4]["number"], "3.5");
        assert_eq!(tests[5]["number"], "12.1");
        assert_eq!(tests[6]["number"], "12.2");
        assert_eq!(tests[2]["status"], "failed");
        assert_eq!(tests[2]["extra_data"]["status"], "timed_out");
        assert_eq!(tests[6]["extra_data"]["status"], "build_error");
    }

    #[test]
    fn scores_add_up() {
        let report = sample();
        let results = parse(&render_gradescope(&report, &GradescopeOptions::default()));
        let tests = results["tests"].as_array().unwrap();
        let total: f64 = tests.iter().map(|t| t["score"].as_f64().unwrap()).sum();
        let max: f64 = tests.iter().map(|t| t["max_score"].as_f64().unwrap()).sum();
        assert_eq!(total, f64::from(report.score));
        assert_eq!(max, f64::from(report.max_score));
        assert_eq!(results["score"].as_f64().unwrap(), total);
        assert_eq!(results["extra_data"]["max_score"], report.max_score);
        assert_eq!(report.score, 2 + 4 + 10);
        for test in tests {
            let passed = test["status"] == "passed";
            assert_eq!(passed, test["score"] == test["max_score"], "{test}");
        }
    }

    #[test]
    fn failures_explain_and_hint() {
        let results = parse(&render_gradescope(&sample(), &GradescopeOptions::default()));
        let failed = &results["tests"][1];
        let output = failed["output"].as_str().unwrap();
        assert!(output.starts_with("Failed."), "{output}");
        assert!(
            output.contains("assertion failed: left == right"),
            "{output}"
        );
        assert!(output.contains("Hint: Hold one lock guard"), "{output}");
        let timed_out = results["tests"][2]["output"].as_str().unwrap();
        assert!(timed_out.starts_with("Timed out"), "{timed_out}");
        let no_build = results["tests"][6]["output"].as_str().unwrap();
        assert!(no_build.starts_with("Not run"), "{no_build}");
    }

    #[test]
    fn visible_checks_are_visible_and_the_rest_wait_for_publishing() {
        let results = parse(&render_gradescope(&sample(), &GradescopeOptions::default()));
        for test in results["tests"].as_array().unwrap() {
            let expected = if test["extra_data"]["kind"] == "visible" {
                "visible"
            } else {
                "after_published"
            };
            assert_eq!(test["visibility"], expected, "{test}");
        }
    }

    #[test]
    fn the_teacher_overrides_each_kind_and_the_manifest_overrides_the_teacher() {
        let mut report = sample();
        report.katas[0].checks[3].visibility = Some("visible".into()); // a property check
        report.katas[0].checks[0].visibility = Some("after_due_date".into()); // a visible one
        report.katas[0].checks[4].visibility = Some("sometimes".into()); // not a spec word
        let opts = GradescopeOptions {
            visibility: Visibility::AfterDueDate,
            stdout_visibility: Visibility::Visible,
            hidden: Some(Visibility::Hidden),
            property: Some(Visibility::AfterDueDate),
            loom: Some(Visibility::Visible),
            execution_time: Duration::ZERO,
        };
        let results = parse(&render_gradescope(&report, &opts));
        assert_follows_the_spec(&results);
        assert_eq!(results["visibility"], "after_due_date");
        assert_eq!(results["stdout_visibility"], "visible");
        let vis: Vec<&str> = results["tests"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["visibility"].as_str().unwrap())
            .collect();
        assert_eq!(
            vis,
            [
                "after_due_date", // visible check, the manifest said after_due_date
                "visible",        // visible check, no override
                "hidden",         // hidden check, the teacher's choice
                "visible",        // property check, the manifest beats the teacher
                "visible",        // loom check, an invalid manifest word falls to the teacher
                "visible",
                "hidden",
            ]
        );
    }

    #[test]
    fn the_summary_names_version_seed_and_messages_without_revealing_unpublished_scores() {
        let mut report = sample();
        report.katas[1].state = KataState::BuildError;
        report.katas[1].message = Some("12-pool/src/lib.rs does not compile:\nerror[E0308]".into());
        let output = parse(&render_gradescope(&report, &GradescopeOptions::default()))["output"]
            .as_str()
            .unwrap()
            .to_string();
        assert!(output.contains(env!("CARGO_PKG_VERSION")), "{output}");
        assert!(output.contains("proptest seed 42"), "{output}");
        assert!(output.contains("    error[E0308]"), "{output}");
        // Both katas have checks that wait for publishing, so neither total is shown.
        assert!(
            !output.contains("(6/23)") && !output.contains("(10/11)"),
            "{output}"
        );

        let everything_visible = GradescopeOptions {
            hidden: Some(Visibility::Visible),
            property: Some(Visibility::Visible),
            loom: Some(Visibility::Visible),
            ..GradescopeOptions::default()
        };
        let output = parse(&render_gradescope(&report, &everything_visible))["output"]
            .as_str()
            .unwrap()
            .to_string();
        assert!(output.contains("03-race: A kata (6/23)"), "{output}");
        let no_build = parse(&render_gradescope(&report, &GradescopeOptions::default()))["tests"]
            [6]["output"]
            .as_str()
            .unwrap()
            .to_string();
        assert!(no_build.contains("compiler's messages"), "{no_build}");
    }

    #[test]
    fn visibility_words_round_trip() {
        for v in Visibility::ALL {
            assert_eq!(Visibility::parse(v.as_str()), Some(v));
            assert_eq!(serde_json::to_value(v).unwrap(), v.as_str());
            let value = clap::ValueEnum::to_possible_value(&v).unwrap();
            assert_eq!(value.get_name(), v.as_str());
        }
        assert_eq!(Visibility::parse("public"), None);
    }
}
