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
/// Characters of one output line shown: a failed `assert_eq!` on a long `Vec` prints one line
/// of thousands, which would bury the rest of the report.
const LINE_CHARS: usize = 300;
/// How the README tells learners to start the grader, so advice can be pasted as is.
const INVOKE: &str = "cargo run -p grader --";

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
        let _ = writeln!(out, "           {DIM}|{DIM:#} {}", cut(line));
    }
    if lines.len() > OUTPUT_LINES {
        let _ = writeln!(
            out,
            "           {DIM}| ... {} more lines (see --format json){DIM:#}",
            lines.len() - OUTPUT_LINES
        );
    }
    // A hint may run over several lines (the manifest's advice, then the bug class the
    // kata teaches): the label once, the rest aligned under it.
    for (i, line) in check.hint.iter().flat_map(|h| h.lines()).enumerate() {
        let label = if i == 0 { "hint: " } else { "      " };
        let _ = writeln!(out, "           {label}{line}");
    }
}

/// `line`, or its start and a note of how much was left out.
fn cut(line: &str) -> String {
    let count = line.chars().count();
    if count <= LINE_CHARS {
        return line.to_string();
    }
    let head: String = line.chars().take(LINE_CHARS).collect();
    format!(
        "{head} ... ({} more characters; see --format json)",
        count - LINE_CHARS
    )
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
            let dir = root.join(&next.dir);
            let file = display(&dir.join("src").join("lib.rs"));
            if report.katas.len() > 1
                && report
                    .katas
                    .iter()
                    .all(|k| k.state == KataState::NotStarted)
            {
                // A fresh clone: say how the katas work before saying what is next.
                let _ = writeln!(
                    out,
                    "Every kata is still a stub, as it should be on a fresh clone. Each one is a \
                     folder: a lesson (README.md) and the code to complete (src/lib.rs)."
                );
                let _ = writeln!(
                    out,
                    "Next: {}. Read {}, fill in the todo!()s in {file}, and keep `{INVOKE} watch {}` \
                     running: it regrades on every save. Stuck? `{INVOKE} hint {}`. Every \
                     command: `{INVOKE} --help`.",
                    next.dir,
                    display(&dir.join("README.md")),
                    next.name,
                    next.name
                );
                return;
            }
            let _ = writeln!(
                out,
                "Next: {} ({}/{}). Edit {file}, then run `{INVOKE} {}` to grade just that kata \
                 (`{INVOKE} watch {}` regrades on every save; `{INVOKE} hint {}` gives a hint).",
                next.dir, next.score, next.max_score, next.name, next.name, next.name
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discover::CheckKind;

    fn report(states: &[KataState]) -> Report {
        let katas = states
            .iter()
            .enumerate()
            .map(|(i, state)| KataReport {
                name: format!("k{i}"),
                dir: format!("0{i}-k{i}"),
                title: "a kata".into(),
                score: 0,
                max_score: 10,
                state: *state,
                teaches: None,
                message: None,
                checks: vec![CheckReport {
                    name: "a check".into(),
                    kind: CheckKind::Loom,
                    status: Status::Failed,
                    score: 0,
                    max_score: 10,
                    output: format!("short\n{}", "x".repeat(1000)),
                    test: "t".into(),
                    hint: Some("first advice\nthe bug class".into()),
                    visibility: None,
                    preemption_bound: None,
                }],
            })
            .collect();
        Report::new(katas, 1)
    }

    fn plain(text: &str) -> String {
        anstream::adapter::strip_str(text).to_string()
    }

    #[test]
    fn long_lines_are_cut_and_hints_keep_every_line() {
        let text = plain(&render(&report(&[KataState::InProgress]), Path::new("ex")));
        assert!(
            text.contains("... (700 more characters; see --format json)"),
            "{text}"
        );
        assert!(
            text.contains("hint: first advice\n                 the bug class"),
            "{text}"
        );
        assert!(text.contains("watch k0"), "{text}");
    }

    #[test]
    fn a_fresh_clone_is_told_how_the_katas_work() {
        let text = plain(&render(
            &report(&[KataState::NotStarted, KataState::NotStarted]),
            Path::new("ex"),
        ));
        assert!(text.contains("Every kata is still a stub"), "{text}");
        assert!(
            text.contains("Next: 00-k0. Read ex/00-k0/README.md"),
            "{text}"
        );
        assert!(text.contains("--help"), "{text}");
    }
}
