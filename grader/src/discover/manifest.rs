//! `kata.toml`: the checks of one kata, their points and their human names.
//!
//! Kata authors edit this file, not grader code, to change what a kata is worth.

use std::fmt;
use std::time::Duration;

use serde::{Deserialize, Serialize};

/// The four kinds of check, each backed by one test file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CheckKind {
    /// `exercises/NN-name/tests/visible.rs`: tests the learner can read.
    Visible,
    /// `grader/katas/NN-name/hidden.rs`: tests only the grader has.
    Hidden,
    /// `grader/katas/NN-name/props.rs`: proptest properties.
    Property,
    /// `grader/katas/NN-name/loom.rs`: loom models, built with `--cfg kata_loom`.
    Loom,
}

impl CheckKind {
    /// Every kind, in report order.
    pub const ALL: [CheckKind; 4] = [
        CheckKind::Visible,
        CheckKind::Hidden,
        CheckKind::Property,
        CheckKind::Loom,
    ];

    /// The name of the test target (and file stem) that holds this kind's tests.
    pub fn target(self) -> &'static str {
        match self {
            CheckKind::Visible => "visible",
            CheckKind::Hidden => "hidden",
            CheckKind::Property => "props",
            CheckKind::Loom => "loom",
        }
    }

    /// The kind whose test target is called `target`.
    pub fn from_target(target: &str) -> Option<CheckKind> {
        CheckKind::ALL.into_iter().find(|k| k.target() == target)
    }

    /// The time limit for one test of this kind unless the manifest says otherwise. Generous:
    /// these catch hangs, and a correct answer must never hit them on a loaded machine.
    pub fn default_timeout(self) -> Duration {
        Duration::from_secs(match self {
            CheckKind::Visible | CheckKind::Hidden => 15,
            CheckKind::Property => 60,
            CheckKind::Loom => 120,
        })
    }

    /// The word used in reports and in `kind:test` references.
    pub fn as_str(self) -> &'static str {
        match self {
            CheckKind::Visible => "visible",
            CheckKind::Hidden => "hidden",
            CheckKind::Property => "property",
            CheckKind::Loom => "loom",
        }
    }

    /// Parses the word used in reports and in `kind:test` references.
    pub fn parse(word: &str) -> Option<CheckKind> {
        CheckKind::ALL.into_iter().find(|k| k.as_str() == word)
    }
}

impl fmt::Display for CheckKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The visibilities Gradescope accepts.
pub const VISIBILITIES: [&str; 4] = ["visible", "hidden", "after_due_date", "after_published"];

/// One `[[check]]` entry: a test function, what it is worth and how to describe it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckSpec {
    /// Which file the test lives in.
    pub kind: CheckKind,
    /// The test function as `<binary> --list` prints it.
    pub test: String,
    /// A sentence the learner reads.
    pub name: String,
    /// Points for passing.
    pub points: u32,
    /// What to do when it fails.
    #[serde(default)]
    pub hint: Option<String>,
    /// Overrides the kind's default time limit.
    #[serde(default)]
    pub timeout_secs: Option<u64>,
    /// Loom only: `LOOM_MAX_PREEMPTIONS`.
    #[serde(default)]
    pub preemption_bound: Option<u32>,
    /// Property only: `PROPTEST_CASES`.
    #[serde(default)]
    pub cases: Option<u32>,
    /// Course platforms only: when students see this check's result (Gradescope's
    /// `visible`, `hidden`, `after_due_date`, `after_published`). Defaults by kind.
    #[serde(default)]
    pub visibility: Option<String>,
}

impl CheckSpec {
    /// The time limit for this check's test process.
    pub fn timeout(&self) -> Duration {
        self.timeout_secs
            .map(Duration::from_secs)
            .unwrap_or_else(|| self.kind.default_timeout())
    }

    /// The loom preemption bound (2 unless the manifest says otherwise).
    pub fn preemption_bound(&self) -> u32 {
        self.preemption_bound.unwrap_or(2)
    }
}

/// A whole `kata.toml`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// One line describing the kata.
    pub title: String,
    /// The checks, in report order.
    #[serde(rename = "check", default)]
    pub checks: Vec<CheckSpec>,
    /// What the kata's code may use beyond the grader's default rules.
    #[serde(default)]
    pub policy: Policy,
    /// What the learner's commands say about the kata beyond its checks.
    #[serde(default)]
    pub lesson: Lesson,
}

/// `[lesson]`: the bug class the kata teaches and its hints. A table of its own (not
/// top-level keys) so it can be appended after the `[[check]]` entries.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lesson {
    /// The bug class the kata teaches, named when a loom model fails, e.g. "deadlock: two
    /// threads each hold one lock and wait for the other's".
    #[serde(default)]
    pub teaches: Option<String>,
    /// `grader hint`'s hints, gentlest first: a nudge, the technique, the shape of the answer.
    #[serde(default)]
    pub hints: Vec<String>,
}

/// `[policy]`: exceptions to the grader's static rules (see `policy.rs`) for one kata.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// Path prefixes the kata's code may use although the grader otherwise rejects them,
    /// e.g. `["std::process", "std::io"]` for a kata about child processes.
    #[serde(default)]
    pub allow: Vec<String>,
}

impl Manifest {
    /// Parses and validates a manifest; the error is a sentence naming the problem.
    pub fn parse(text: &str) -> Result<Manifest, String> {
        let manifest: Manifest = toml::from_str(text).map_err(|e| e.to_string())?;
        manifest.validate()?;
        Ok(manifest)
    }

    fn validate(&self) -> Result<(), String> {
        if self.checks.is_empty() {
            return Err("it has no [[check]] entries".into());
        }
        let mut seen = std::collections::HashSet::new();
        for check in &self.checks {
            if !seen.insert((check.kind, check.test.as_str())) {
                return Err(format!(
                    "the {} test `{}` has two [[check]] entries",
                    check.kind, check.test
                ));
            }
            if check.name.trim().is_empty() {
                return Err(format!("the check `{}` has an empty name", check.test));
            }
            if check.preemption_bound.is_some() && check.kind != CheckKind::Loom {
                return Err(format!(
                    "the check `{}` sets preemption_bound but is not a loom check",
                    check.test
                ));
            }
            if let Some(v) = &check.visibility
                && !VISIBILITIES.contains(&v.as_str())
            {
                return Err(format!(
                    "the check `{}` has visibility `{v}`; use one of {}",
                    check.test,
                    VISIBILITIES.join(", ")
                ));
            }
            if check.cases.is_some() && check.kind != CheckKind::Property {
                return Err(format!(
                    "the check `{}` sets cases but is not a property check",
                    check.test
                ));
            }
        }
        if let Some(n) = self.lesson.hints.iter().position(|h| h.trim().is_empty()) {
            return Err(format!("[lesson] hint {} is empty", n + 1));
        }
        if self
            .lesson
            .teaches
            .as_ref()
            .is_some_and(|t| t.trim().is_empty())
        {
            return Err("[lesson] teaches is empty".into());
        }
        Ok(())
    }

    /// The sum of every check's points.
    pub fn max_score(&self) -> u32 {
        self.checks.iter().map(|c| c.points).sum()
    }

    /// Whether any check is of `kind`.
    pub fn has_kind(&self, kind: CheckKind) -> bool {
        self.checks.iter().any(|c| c.kind == kind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
title = "Races"
[[check]]
kind = "visible"
test = "starts_at_zero"
name = "a new counter reads 0"
points = 2
[[check]]
kind = "loom"
test = "no_lost_update"
name = "no update is lost"
points = 10
preemption_bound = 3
"#;

    #[test]
    fn parses_checks_with_defaults() {
        let m = Manifest::parse(GOOD).unwrap();
        assert_eq!(m.title, "Races");
        assert_eq!(m.max_score(), 12);
        assert_eq!(m.checks[0].timeout(), Duration::from_secs(15));
        assert_eq!(m.checks[0].preemption_bound(), 2);
        assert_eq!(m.checks[1].preemption_bound(), 3);
        assert!(m.has_kind(CheckKind::Loom));
        assert!(!m.has_kind(CheckKind::Property));
    }

    #[test]
    fn rejects_unknown_fields_and_kinds() {
        let typo = GOOD.replace("points = 2", "pionts = 2");
        assert!(Manifest::parse(&typo).unwrap_err().contains("pionts"));
        let kind = GOOD.replace("\"visible\"", "\"secret\"");
        assert!(Manifest::parse(&kind).is_err());
    }

    #[test]
    fn rejects_duplicates_and_misplaced_settings() {
        let dup = format!(
            "{GOOD}\n[[check]]\nkind = \"visible\"\ntest = \"starts_at_zero\"\nname = \"again\"\npoints = 1\n"
        );
        assert!(Manifest::parse(&dup).unwrap_err().contains("two [[check]]"));
        let misplaced = GOOD.replace("points = 2", "points = 2\npreemption_bound = 2");
        assert!(
            Manifest::parse(&misplaced)
                .unwrap_err()
                .contains("not a loom check")
        );
        let vis = GOOD.replace("points = 2", "points = 2\nvisibility = \"secret\"");
        assert!(
            Manifest::parse(&vis)
                .unwrap_err()
                .contains("after_published")
        );
        assert!(
            Manifest::parse("title = \"x\"")
                .unwrap_err()
                .contains("no [[check]]")
        );
    }

    #[test]
    fn reads_the_lesson_appended_after_the_checks() {
        let with = format!(
            "{GOOD}\n[lesson]\nteaches = \"the lost update\"\nhints = [\"look\", \"lock\"]\n"
        );
        let m = Manifest::parse(&with).unwrap();
        assert_eq!(m.lesson.teaches.as_deref(), Some("the lost update"));
        assert_eq!(m.lesson.hints, ["look", "lock"]);
        assert_eq!(
            m.checks.len(),
            2,
            "the lesson is not part of the last check"
        );
        assert_eq!(Manifest::parse(GOOD).unwrap().lesson, Lesson::default());
        let blank = with.replace("\"lock\"", "\" \"");
        assert!(
            Manifest::parse(&blank)
                .unwrap_err()
                .contains("hint 2 is empty")
        );
        let typo = with.replace("hints =", "hint =");
        assert!(Manifest::parse(&typo).is_err());
    }

    #[test]
    fn kinds_round_trip_through_their_words_and_targets() {
        for kind in CheckKind::ALL {
            assert_eq!(CheckKind::parse(kind.as_str()), Some(kind));
            assert_eq!(CheckKind::from_target(kind.target()), Some(kind));
        }
    }
}
