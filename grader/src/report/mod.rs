//! Report: the grading result as data, and its human and JSON renderings.

mod human;
mod model;

pub use human::render as render_human;
pub use model::{CheckReport, KataReport, KataState, Report, Status};

/// The JSON report, pretty-printed.
pub fn render_json(report: &Report) -> String {
    serde_json::to_string_pretty(report).expect("a report always serializes") + "\n"
}
