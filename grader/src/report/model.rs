//! The report's data, shaped as the JSON output documents it.

use serde::Serialize;

use crate::discover::CheckKind;

/// How one check ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// The test ran to its end and passed.
    Passed,
    /// It failed: a panic, an assertion, a crash, a loom deadlock.
    Failed,
    /// It ran past its time limit and was killed.
    TimedOut,
    /// The code did not compile, so the test could not run.
    BuildError,
}

impl Status {
    /// A word for reports read without colour.
    pub fn word(self) -> &'static str {
        match self {
            Status::Passed => "pass",
            Status::Failed => "FAIL",
            Status::TimedOut => "TIMEOUT",
            Status::BuildError => "NO BUILD",
        }
    }
}

/// One check's result.
#[derive(Debug, Clone, Serialize)]
pub struct CheckReport {
    /// The human name from the manifest.
    pub name: String,
    /// Which kind of check.
    pub kind: CheckKind,
    /// How it ended.
    pub status: Status,
    /// Points earned.
    pub score: u32,
    /// Points available.
    pub max_score: u32,
    /// What went wrong (empty when it passed).
    pub output: String,
    /// The test function behind it.
    pub test: String,
    /// The manifest's advice, when it failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    /// The manifest's visibility for course platforms, if it sets one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub visibility: Option<String>,
    /// Loom checks: the preemption bound the model ran with, for reproducing the run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub preemption_bound: Option<u32>,
}

/// Where a kata stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KataState {
    /// Still the stub: `todo!()` left and nothing passes.
    NotStarted,
    /// Some points, not all.
    InProgress,
    /// Full marks.
    Passed,
    /// The submission has no usable `src/lib.rs` for it.
    Missing,
    /// The library did not compile.
    BuildError,
    /// The code uses what the kata forbids (`unsafe`, `std::process`...), so it was not built.
    Rejected,
}

/// One kata's result.
#[derive(Debug, Clone, Serialize)]
pub struct KataReport {
    /// The kata name without its number (`race`).
    pub name: String,
    /// The folder name (`03-race`).
    pub dir: String,
    /// One line describing the kata.
    pub title: String,
    /// Points earned.
    pub score: u32,
    /// Points available.
    pub max_score: u32,
    /// Where the kata stands.
    pub state: KataState,
    /// The bug class the kata teaches (from its manifest's `[lesson]`), for explanations.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub teaches: Option<String>,
    /// A sentence about the kata as a whole (missing file, compile errors, what to do next).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Every check, in manifest order.
    pub checks: Vec<CheckReport>,
}

/// The whole grading run.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// Points earned over every graded kata.
    pub score: u32,
    /// Points available over every graded kata.
    pub max_score: u32,
    /// The graded katas, in order.
    pub katas: Vec<KataReport>,
    /// The grader's version, so a regrade can be matched to the run.
    pub grader_version: String,
    /// The seed every property test used.
    pub proptest_seed: u64,
    /// The compiler the katas were built with (`rustc -V`), so a regrade can use the same.
    pub toolchain: String,
    /// Protections that were not in force for this run (see `run::sandbox`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

impl Report {
    /// Builds a report from kata results, totalling their scores.
    pub fn new(katas: Vec<KataReport>, proptest_seed: u64) -> Report {
        Report {
            score: katas.iter().map(|k| k.score).sum(),
            max_score: katas.iter().map(|k| k.max_score).sum(),
            katas,
            grader_version: env!("CARGO_PKG_VERSION").to_string(),
            proptest_seed,
            toolchain: String::new(),
            notes: Vec::new(),
        }
    }
}
