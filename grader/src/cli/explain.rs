//! Failures explained for people: what loom found, the minimal input proptest shrank to, and
//! the bug class the kata teaches, in place of raw test-harness output.
//!
//! The engine's report keeps each check's output as the test printed it (the JSON report and
//! course platforms want exactly that); this rewrites a copy for the human report and the
//! watch screen only. Every rewrite keeps the facts and drops the noise: loom's nested
//! `Debug` dump of a deadlock becomes one line per thread with the learner's own source line,
//! backtraces and harness lines go, and paths inside the grader's workspace become the paths
//! the learner edits.

use std::path::Path;

use grader::Home;
use grader::discover::{Catalog, CheckKind};
use grader::report::{CheckReport, Report, Status};

use crate::cli::shown;

/// Where a kata's files are, to rewrite the paths the test output mentions.
struct Paths {
    /// `katas/NN-name/`: how the grader's workspace names the kata's folder.
    workspace_dir: String,
    /// The learner's `src/lib.rs`, as shown to them.
    lib_shown: String,
    /// The learner's `src/lib.rs` contents, to quote the lines loom points at.
    lib_text: Option<String>,
    /// The visible tests the learner can open, as shown to them.
    visible_shown: String,
}

/// Rewrites the output of every failed check in `report` for people, and adds the bug class
/// its kata teaches to each failed loom check's hint. `root` holds the graded kata folders.
pub fn explain(report: &mut Report, root: &Path, catalog: &Catalog, home: &Home) {
    for kata in &mut report.katas {
        let lib = root.join(&kata.dir).join("src").join("lib.rs");
        let paths = Paths {
            workspace_dir: format!("katas/{}/", kata.dir),
            lib_shown: shown(&lib),
            lib_text: std::fs::read_to_string(&lib).ok(),
            visible_shown: shown(
                &home
                    .exercises_dir()
                    .join(&kata.dir)
                    .join("tests")
                    .join("visible.rs"),
            ),
        };
        let teaches = catalog
            .find(&kata.dir)
            .and_then(|k| k.manifest.lesson.teaches.clone());
        for check in &mut kata.checks {
            if !matches!(check.status, Status::Failed | Status::TimedOut) {
                continue;
            }
            check.output = explain_output(check, &paths);
            if check.kind == CheckKind::Loom
                && let Some(teaches) = &teaches
            {
                let class = format!("the bug class this kata teaches: {teaches}");
                check.hint = Some(match check.hint.take() {
                    Some(hint) => format!("{hint}\n{class}"),
                    None => class,
                });
            }
        }
    }
}

fn explain_output(check: &CheckReport, paths: &Paths) -> String {
    let raw = check.output.as_str();
    let explained = match check.kind {
        CheckKind::Loom if raw.contains(DEADLOCK) => explain_deadlock(raw, paths),
        CheckKind::Loom if check.status == Status::Failed && !raw.starts_with("loom gave up") => {
            explain_loom_panic(raw, paths)
        }
        CheckKind::Property if check.status == Status::Failed => explain_property(raw, paths),
        _ => None,
    };
    explained.unwrap_or_else(|| clean(raw, paths))
}

/// How loom starts its description of a deadlock.
const DEADLOCK: &str = "deadlock; threads = [";

/// One line per thread: where it is blocked, on what, with the learner's line of code.
fn explain_deadlock(raw: &str, paths: &Paths) -> Option<String> {
    let list = raw.split_once(DEADLOCK)?.1.lines().next()?;
    let threads = parse_threads(list);
    if threads.is_empty() {
        return None;
    }
    let mut out = String::from(
        "loom found a deadlock: in one interleaving every thread is blocked, each waiting for \
         something another one holds or has still to do:",
    );
    for (id, state) in threads {
        out.push_str(&format!(
            "\n  thread {id}: {}",
            describe_thread(&state, paths)
        ));
    }
    Some(out)
}

/// Splits loom's `(Id(0), Blocked(...)), (Id(1), ...)]` into `(id, state)` pairs.
fn parse_threads(list: &str) -> Vec<(String, String)> {
    let mut entries = Vec::new();
    let mut depth = 0usize;
    let mut start = None;
    for (at, c) in list.char_indices() {
        match c {
            '(' | '[' | '{' => {
                if depth == 0 && c == '(' {
                    start = Some(at + 1);
                }
                depth += 1;
            }
            ')' | ']' | '}' => {
                if depth == 0 {
                    break;
                }
                depth -= 1;
                if depth == 0
                    && let Some(from) = start.take()
                {
                    entries.push(&list[from..at]);
                }
            }
            _ => {}
        }
    }
    entries
        .into_iter()
        .filter_map(|entry| {
            let rest = entry.strip_prefix("Id(")?;
            let (id, state) = rest.split_once(')')?;
            Some((id.to_string(), state.trim_start_matches(", ").to_string()))
        })
        .collect()
}

fn describe_thread(state: &str, paths: &Paths) -> String {
    if !state.starts_with("Blocked") {
        let word = state.split(['(', ' ']).next().unwrap_or(state);
        return format!("{} (not blocked)", word.to_lowercase());
    }
    let Some(file) = between(state, "file: \"", "\"") else {
        return "blocked (loom did not record where)".to_string();
    };
    let line: Option<usize> = between(state, "line: ", ",").and_then(|l| l.trim().parse().ok());
    let column: usize = between(state, "column: ", " ")
        .and_then(|c| c.trim().parse().ok())
        .unwrap_or(1);
    let line_no = line.map_or(String::new(), |l| format!(":{l}"));
    if file.ends_with(&format!("{}src/lib.rs", paths.workspace_dir)) {
        let code = line
            .and_then(|l| paths.lib_text.as_deref()?.lines().nth(l.checked_sub(1)?))
            .map(str::trim_end);
        return match code {
            Some(code) => {
                let from = code
                    .char_indices()
                    .nth(column.saturating_sub(1))
                    .map_or(0, |(i, _)| i);
                format!(
                    "waits for {} at {}{line_no}: `{}`",
                    what_blocks(&code[from..]),
                    paths.lib_shown,
                    code.trim()
                )
            }
            None => format!("waits at {}{line_no}", paths.lib_shown),
        };
    }
    if file.contains("/tests/") {
        let name = file.rsplit('/').next().unwrap_or(file);
        return format!(
            "waits in the grader's test ({name}{line_no}) for a thread of your code to finish \
             or to hand something over"
        );
    }
    format!("waits inside {file}{line_no} (called from your code)")
}

/// What the call at the start of `code` waits for, in words.
fn what_blocks(code: &str) -> &'static str {
    const KINDS: [(&str, &str); 7] = [
        ("wait", "a Condvar notification"),
        ("lock", "a Mutex"),
        ("recv", "a message on a channel"),
        ("send", "room on a channel"),
        ("join", "another thread to finish"),
        ("read", "an RwLock"),
        ("write", "an RwLock"),
    ];
    KINDS
        .iter()
        .filter_map(|(word, what)| method_call(code, word).map(|at| (at, *what)))
        .min_by_key(|(at, _)| *at)
        .map_or("something another thread holds", |(_, what)| what)
}

/// Where `code` first calls a method named `word` (or `word_something`, like `wait_while`):
/// after a `.` or at the start, followed by `(` or `_`, so `ready` is not a `read`.
fn method_call(code: &str, word: &str) -> Option<usize> {
    code.match_indices(word).map(|(at, _)| at).find(|&at| {
        let before = code[..at].chars().next_back();
        let after = code[at + word.len()..].chars().next();
        matches!(before, None | Some('.')) && matches!(after, Some('(' | '_'))
    })
}

/// The panic message of a model that failed in some interleaving.
fn explain_loom_panic(raw: &str, paths: &Paths) -> Option<String> {
    let (location, message) = first_panic(raw)?;
    let mut out = format!(
        "loom found an interleaving of your threads in which this goes wrong:\n  {}",
        rewrite_paths(&message, paths).replace('\n', "\n  ")
    );
    let location = rewrite_paths(&location, paths);
    if location.starts_with(&paths.lib_shown) {
        out.push_str(&format!("\n  (the panic is at {location})"));
    }
    Some(out)
}

/// The location and message of the first panic in `raw`.
fn first_panic(raw: &str) -> Option<(String, String)> {
    let mut lines = raw.lines();
    let head = lines.find(|l| l.contains(" panicked at "))?;
    let location = head
        .split_once(" panicked at ")?
        .1
        .trim_end_matches(':')
        .to_string();
    let message: Vec<&str> = lines
        .take_while(|l| {
            !(l.trim().is_empty()
                || l.starts_with("thread '")
                || l.starts_with("note: ")
                || l.starts_with("stack backtrace:"))
        })
        .collect();
    if message.is_empty() {
        return None;
    }
    Some((location, message.join("\n")))
}

/// What proptest found: its message, the minimal input it shrank to, and the seed.
fn explain_property(raw: &str, paths: &Paths) -> Option<String> {
    let (_, input_on) = raw.split_once("minimal failing input: ")?;
    let input: Vec<&str> = input_on
        .lines()
        .take_while(|l| !l.trim_start().starts_with("successes:"))
        .collect();
    let input = compact(&input.join("\n"));
    let message = raw.split_once("Test failed: ").map(|(_, rest)| {
        let message = rest
            .split("\nminimal failing input: ")
            .next()
            .unwrap_or(rest);
        let message: Vec<&str> = message.trim().lines().map(str::trim_end).collect();
        without_trailing_location(&message.join("\n"))
    });
    let seed = raw.lines().find(|l| l.starts_with("proptest seed: "));
    let mut out = String::from("proptest found inputs that break this property");
    match message {
        Some(m) => out.push_str(&format!(
            ":\n  {}",
            rewrite_paths(&m, paths).replace('\n', "\n  ")
        )),
        None => out.push('.'),
    }
    out.push_str(&format!("\nminimal failing input: {input}"));
    if let Some(seed) = seed {
        out.push('\n');
        out.push_str(seed);
    }
    Some(out)
}

/// `... at katas/06-x/tests/props.rs:49.` -> `...`: the grader's test file is not the
/// learner's to open.
fn without_trailing_location(message: &str) -> String {
    match message.rsplit_once(" at ") {
        Some((text, at)) if at.ends_with('.') && at.contains(".rs:") && !at.contains(' ') => {
            text.to_string()
        }
        _ => message.to_string(),
    }
}

/// Debug output spread over many lines (`[\n    TryPut(\n        0,\n    ),\n]`) on one line.
fn compact(text: &str) -> String {
    let mut out = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    for (from, to) in [
        ("( ", "("),
        ("[ ", "["),
        (", )", ")"),
        (", ]", "]"),
        (" )", ")"),
        (" ]", "]"),
        (",)", ")"),
        (",]", "]"),
        (", }", " }"),
    ] {
        while out.contains(from) {
            out = out.replace(from, to);
        }
    }
    out
}

/// The output without harness noise, with the grader's workspace paths rewritten.
fn clean(raw: &str, paths: &Paths) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut in_backtrace = false;
    for line in raw.lines() {
        let trimmed = line.trim();
        if in_backtrace {
            let frame = trimmed
                .split(':')
                .next()
                .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
                || trimmed.starts_with("at ");
            if frame {
                continue;
            }
            in_backtrace = false;
        }
        if trimmed == "stack backtrace:" {
            in_backtrace = true;
            continue;
        }
        // The harness's own "ok" (after the grader's sentinel test), its test lines, and
        // advice about backtraces the learner cannot act on.
        let noise = trimmed == "ok"
            || trimmed.starts_with("note: run with `RUST_BACKTRACE=1`")
            || (trimmed.starts_with("test ") && trimmed.ends_with("..."));
        if noise || (trimmed.is_empty() && out.last().is_none_or(|l| l.trim().is_empty())) {
            continue;
        }
        out.push(rewrite_paths(line, paths));
    }
    while out.last().is_some_and(|l| l.trim().is_empty()) {
        out.pop();
    }
    out.join("\n")
}

/// `katas/03-race/src/lib.rs` -> the learner's file; `katas/03-race/tests/visible.rs` -> the
/// visible tests they can open.
fn rewrite_paths(text: &str, paths: &Paths) -> String {
    text.replace(
        &format!("{}src/lib.rs", paths.workspace_dir),
        &paths.lib_shown,
    )
    .replace(
        &format!("{}tests/visible.rs", paths.workspace_dir),
        &paths.visible_shown,
    )
}

/// The text between `start` and the next `end` after it.
fn between<'a>(text: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let from = text.find(start)? + start.len();
    let len = text[from..].find(end)?;
    Some(&text[from..from + len])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths() -> Paths {
        Paths {
            workspace_dir: "katas/04-deadlock/".into(),
            lib_shown: "exercises/04-deadlock/src/lib.rs".into(),
            lib_text: Some(
                (1..=50)
                    .map(|n| {
                        if n == 47 {
                            "        self.balance.lock().unwrap_or_else(PoisonError::into_inner)"
                                .to_string()
                        } else {
                            format!("// line {n}")
                        }
                    })
                    .collect::<Vec<_>>()
                    .join("\n"),
            ),
            visible_shown: "exercises/04-deadlock/tests/visible.rs".into(),
        }
    }

    fn check(kind: CheckKind, output: &str) -> CheckReport {
        CheckReport {
            name: "n".into(),
            kind,
            status: Status::Failed,
            score: 0,
            max_score: 1,
            output: output.into(),
            test: "t".into(),
            hint: None,
            visibility: None,
            preemption_bound: None,
        }
    }

    const LOOM_DEADLOCK: &str = "loom found a deadlock: in some interleaving every thread is waiting for another.\nthread 'm' panicked at /x/loom-0.7.2/src/rt/execution.rs:216:13:\ndeadlock; threads = [(Id(0), Blocked(Location(Some(Location { file: \"katas/04-deadlock/tests/loom.rs\", line: 30, column: 9 })))), (Id(1), Blocked(Location(Some(Location { file: \"katas/04-deadlock/src/lib.rs\", line: 47, column: 22 })))), (Id(2), Terminated)]\nnote: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\n\nthread 'm' panicked at x:\ncalled `Option::unwrap()` on a `None` value\nstack backtrace:\n   0:     0x56 - std\n   1:     0x57 - core\n";

    #[test]
    fn a_deadlock_says_where_each_thread_waits_with_the_learners_line() {
        let out = explain_output(&check(CheckKind::Loom, LOOM_DEADLOCK), &paths());
        assert!(out.starts_with("loom found a deadlock"), "{out}");
        assert!(
            out.contains("thread 1: waits for a Mutex at exercises/04-deadlock/src/lib.rs:47: `self.balance.lock()"),
            "{out}"
        );
        assert!(
            out.contains("thread 0: waits in the grader's test (loom.rs:30)"),
            "{out}"
        );
        assert!(out.contains("thread 2: terminated (not blocked)"), "{out}");
        assert!(!out.contains("stack backtrace"), "{out}");
    }

    #[test]
    fn a_loom_panic_shows_its_message() {
        let raw = "thread 'two_increments' panicked at katas/03-race/tests/loom.rs:20:9:\nassertion `left == right` failed: an increment was lost\n  left: 1\n right: 2\nnote: run with `RUST_BACKTRACE=1` environment variable to display a backtrace";
        let out = explain_output(&check(CheckKind::Loom, raw), &paths());
        assert!(out.starts_with("loom found an interleaving"), "{out}");
        assert!(out.contains("an increment was lost\n    left: 1"), "{out}");
        assert!(!out.contains("RUST_BACKTRACE"), "{out}");
    }

    #[test]
    fn a_property_failure_keeps_the_minimal_input_and_the_seed() {
        let raw = "ok\nthread 'p' panicked at katas/06-bounded-buffer/tests/props.rs:27:1:\nTest failed: assertion failed: `(left == right)` \n  left: `Some(1)`, \n right: `Some(0)`: try_take at katas/06-bounded-buffer/tests/props.rs:49.\nminimal failing input: capacity = 2, ops = [\n    TryPut(\n        0,\n    ),\n    TryPut(\n        1,\n    ),\n    TryTake,\n]\n\tsuccesses: 0\n\tlocal rejects: 0\nnote: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\nproptest seed: 20261122 (the same failure again: `cargo run -p grader -- bounded-buffer --seed 20261122`)";
        let out = explain_output(&check(CheckKind::Property, raw), &paths());
        assert!(
            out.contains(
                "minimal failing input: capacity = 2, ops = [TryPut(0), TryPut(1), TryTake]"
            ),
            "{out}"
        );
        assert!(out.contains("proptest seed: 20261122"), "{out}");
        assert!(out.contains("right: `Some(0)`: try_take"), "{out}");
        assert!(!out.contains("props.rs:49"), "{out}");
    }

    #[test]
    fn other_output_loses_harness_noise_and_gets_learner_paths() {
        let raw = "ok\nthread 'a' panicked at katas/04-deadlock/tests/visible.rs:33:5:\nboom\nnote: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\ntest a ...";
        let out = explain_output(&check(CheckKind::Visible, raw), &paths());
        assert_eq!(
            out,
            "thread 'a' panicked at exercises/04-deadlock/tests/visible.rs:33:5:\nboom"
        );
    }

    #[test]
    fn what_blocks_reads_the_call() {
        assert_eq!(
            what_blocks("self.ready.wait(guard)"),
            "a Condvar notification"
        );
        assert_eq!(what_blocks("lock().unwrap()"), "a Mutex");
        assert_eq!(what_blocks("rx.recv()"), "a message on a channel");
        assert_eq!(what_blocks("x + 1"), "something another thread holds");
        assert_eq!(
            what_blocks("cvar.wait_while(g, |r| !*r)"),
            "a Condvar notification"
        );
        assert_eq!(
            what_blocks("handle.join().unwrap()"),
            "another thread to finish"
        );
    }
}
