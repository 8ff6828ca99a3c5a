//! Score: from each check's outcome to points, and from a kata's checks to where it stands.

use crate::discover::{CheckKind, CheckSpec, Kata};
use crate::report::{CheckReport, KataReport, KataState, Status};

/// A check's result before it is scored.
#[derive(Debug, Clone)]
pub struct Judged {
    /// How it ended.
    pub status: Status,
    /// The explanation for the learner.
    pub output: String,
}

/// What the grader knows about a kata as a whole, beyond its checks.
#[derive(Debug, Clone, Default)]
pub struct KataFacts {
    /// Why there is nothing to grade (no `src/lib.rs`...).
    pub missing: Option<String>,
    /// Why the code was not built at all (it uses what the kata forbids).
    pub rejected: Option<String>,
    /// Why the library did not compile.
    pub build_error: Option<String>,
    /// Whether the source still has `todo!()` in it.
    pub has_todo: bool,
}

/// Scores one check: all of its points when it passed, none otherwise.
pub fn score_check(spec: &CheckSpec, judged: Judged) -> CheckReport {
    let passed = judged.status == Status::Passed;
    CheckReport {
        name: spec.name.clone(),
        kind: spec.kind,
        status: judged.status,
        score: if passed { spec.points } else { 0 },
        max_score: spec.points,
        output: judged.output,
        test: spec.test.clone(),
        hint: if passed { None } else { spec.hint.clone() },
        visibility: spec.visibility.clone(),
        preemption_bound: (spec.kind == CheckKind::Loom).then(|| spec.preemption_bound()),
    }
}

/// Totals a kata and decides where it stands.
pub fn score_kata(kata: &Kata, checks: Vec<CheckReport>, facts: KataFacts) -> KataReport {
    let score: u32 = checks.iter().map(|c| c.score).sum();
    let max_score = kata.max_score();
    let (state, message) = if let Some(reason) = facts.missing {
        (KataState::Missing, Some(reason))
    } else if let Some(reason) = facts.rejected {
        (KataState::Rejected, Some(reason))
    } else if let Some(errors) = facts.build_error {
        (KataState::BuildError, Some(errors))
    } else if score == max_score {
        (KataState::Passed, None)
    } else if score == 0 && facts.has_todo {
        (KataState::NotStarted, None)
    } else {
        (KataState::InProgress, None)
    };
    KataReport {
        name: kata.name.clone(),
        dir: kata.dir_name.clone(),
        title: kata.manifest.title.clone(),
        score,
        max_score,
        state,
        teaches: kata.manifest.lesson.teaches.clone(),
        message,
        checks,
    }
}

/// The sentence for checks whose tests did not compile against the learner's library. Hidden
/// tests are the grader's secret, so for them only each error's headline is shown, never the
/// test source the compiler quotes.
pub fn test_build_error(kind: CheckKind, errors: &[String]) -> String {
    let mut out = format!(
        "the {kind} tests do not compile against your code: did you change the kata's public \
         API (a name, an argument, a return type)?"
    );
    for error in errors.iter().take(5) {
        out.push('\n');
        if kind == CheckKind::Visible {
            out.push_str(error.trim_end());
        } else {
            out.push_str(error.lines().next().unwrap_or_default());
        }
    }
    out
}

/// The sentence for a library that does not compile, with the compiler's own words.
pub fn lib_build_error(dir_name: &str, errors: &[String]) -> String {
    let mut out = format!("{dir_name}/src/lib.rs does not compile, so every check scores 0:");
    let joined = errors.join("\n");
    if joined.contains("file not found for module") {
        out.push_str("\n(only src/lib.rs is graded: keep all of the kata's code in that one file)");
    }
    for error in errors.iter().take(5) {
        out.push('\n');
        out.push_str(&error.replace(&format!("katas/{dir_name}/"), &format!("{dir_name}/")));
    }
    if errors.len() > 5 {
        out.push_str(&format!("\n... and {} more errors", errors.len() - 5));
    }
    out.trim_end().to_string()
}
