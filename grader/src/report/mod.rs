//! Report: the grading result as data, and its renderings: human, JSON, Gradescope's
//! `results.json` and JUnit XML.

mod gradescope;
mod human;
mod junit;
mod model;

pub use gradescope::{GradescopeOptions, Visibility, render_gradescope};
pub use human::render as render_human;
pub use junit::render_junit;
pub use model::{CheckReport, KataReport, KataState, Report, Status};

/// The JSON report, pretty-printed.
pub fn render_json(report: &Report) -> String {
    serde_json::to_string_pretty(report).expect("a report always serializes") + "\n"
}
