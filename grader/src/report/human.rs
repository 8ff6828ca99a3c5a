//! The report for people: a table per kata, what failed and why, and what to do next.
//!
//! Styling is ANSI; the caller prints through `anstream`, which strips it when the output is
//! not a terminal or `NO_COLOR` is set. Every status is also a word, so nothing depends on colour.

use std::fmt::Write as _;
use std::path::Path;

use anstyle::{AnsiColor, Style};

use crate::report::model::{CheckReport, KataReport, KataState, Report, Status};

const BOLD: Style = Style::new().bold();
const DIM: Style = Style::new().dimmed();
const GREEN: Style = AnsiColor::Green.on_default();
const RED: Style = AnsiColor::Red.on_default().bold();
const YELLOW: Style = AnsiColor::Yellow.on_default().bold();
/// Lines of a failure's output shown under it; the JSON report has it all.
const OUTPUT_LINES: usize = 12;

/// Renders `report`. `root` is the folder holding the kata folders that were graded, used to
/// tell the learner which file to open.
pub fn render(report: &Report, root: &Path) -> String {
    let mut out = String::new();
    for kata in &report.katas {
        render_kata(&mut out, kata, root);
    }
    render_summary(&mut out, report, root);
    out
}

fn render_kata(out: &mut String, kata: &KataReport, root: &Path) {
    let style = match kata.state {
        KataState::Passed => GREEN,
        KataState::InProgress => YELLOW,
        _ => RED,
    };
    let _ = writeln!(
        out,
        "{BOLD}{}{BOLD:#}  {}  {style}{}/{}{style:#}  {}",
        kata.dir,
        kata.title,
        kata.score,
        kata.max_score,
        state_word(kata.state)
    );
    if let Some(message) = &kata.message {
        for line in message.lines() {
            let _ = writeln!(out, "    {line}");
        }
    }
    if matches!(kata.state, KataState::NotStarted | KataState::Missing) {
        if kata.state == KataState::NotStarted {
            let _ = writeln!(
                out,
                "    Not started: read {}, then replace the todo!()s in {}.",
                display(&root.join(&kata.dir).join("README.md")),
                display(&root.join(&kata.dir).join("src").join("lib.rs"))
            );
        }
        let _ = writeln!(out);
        return;
    }
    let width = kata
        .checks
        .iter()
        .map(|c| c.name.len())
        .max()
        .unwrap_or(0)
        .min(70);
    for check in &kata.checks {
        render_check(out, check, width);
    }
    let _ = writeln!(out);
}

fn render_check(out: &mut String, check: &CheckReport, width: usize) {
    let style = match check.status {
        Status::Passed => GREEN,
        Status::Failed | Status::BuildError => RED,
        Status::TimedOut => YELLOW,
    };
    let _ = writeln!(
        out,
        "  {style}{:<8}{style:#} {DIM}{:<8}{DIM:#} {:<width$}  {}/{}",
        check.status.word(),
        check.kind.as_str(),
        check.name,
        check.score,
        check.max_score,
    );
    // A build error is explained once, at the kata; repeating it under every check is noise.
    if check.status == Status::Passed || check.status == Status::BuildError {
        return;
    }
    let lines: Vec<&str> = check.output.lines().collect();
    for line in lines.iter().take(OUTPUT_LINES) {
        let _ = writeln!(out, "           {DIM}|{DIM:#} {line}");
    }
    if lines.len() > OUTPUT_LINES {
        let _ = writeln!(
            out,
            "           {DIM}| ... {} more lines (see --format json){DIM:#}",
            lines.len() - OUTPUT_LINES
        );
    }
    if let Some(hint) = &check.hint {
        let _ = writeln!(out, "           hint: {hint}");
    }
}

fn render_summary(out: &mut String, report: &Report, root: &Path) {
    for note in &report.notes {
        let _ = writeln!(out, "{DIM}note: {note}{DIM:#}");
    }
    let _ = writeln!(
        out,
        "{BOLD}Total: {}/{}{BOLD:#}",
        report.score, report.max_score
    );
    match report.katas.iter().find(|k| k.score < k.max_score) {
        None => {
            let _ = writeln!(out, "Every kata has full marks. Well done!");
        }
        Some(next) => {
            let file = display(&root.join(&next.dir).join("src").join("lib.rs"));
            let _ = writeln!(
                out,
                "Next: {} ({}/{}). Edit {file}, then run `cargo run -p grader -- {}` to grade just that kata.",
                next.dir, next.score, next.max_score, next.name
            );
        }
    }
}

fn state_word(state: KataState) -> &'static str {
    match state {
        KataState::NotStarted => "not started",
        KataState::InProgress => "in progress",
        KataState::Passed => "done",
        KataState::Missing => "missing",
        KataState::BuildError => "does not compile",
        KataState::Rejected => "rejected",
    }
}

/// A path relative to the current directory when it is below it.
fn display(path: &Path) -> String {
    let cwd = std::env::current_dir().ok();
    let shown = cwd
        .as_deref()
        .and_then(|cwd| path.strip_prefix(cwd).ok())
        .unwrap_or(path);
    shown.display().to_string()
}
