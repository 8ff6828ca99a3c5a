//! Failures explained for people: shipped mutants are graded by the grader binary, as a
//! learner would run it, and the human report must say what loom found (which thread waits
//! on what, or the panic), name the bug class the kata teaches, show the minimal input and
//! the seed of a failed property, and explain a timeout.

mod cli_common;
mod common;

use grader::discover::mutants_of;

/// Grades the shipped mutant `slug` of kata `name` and returns the human report.
fn report_for(name: &str, slug: &str) -> String {
    let kata = common::katas()
        .into_iter()
        .find(|k| k.name == name)
        .unwrap();
    let mutant = mutants_of(&kata)
        .unwrap()
        .into_iter()
        .find(|m| m.slug == slug)
        .unwrap_or_else(|| panic!("{} ships no mutant {slug}", kata.dir_name));
    let source = std::fs::read_to_string(&mutant.path).unwrap();
    let dir = common::submission_with(&kata, &source);
    let state = tempfile::tempdir().unwrap();
    let assert = cli_common::run(
        state.path(),
        &format!("explain-{slug}"),
        &[
            name,
            "--submission",
            dir.path().to_str().unwrap(),
            "--timeout-cap",
            "3",
            "--jobs",
            "1",
            "--quiet",
        ],
    )
    .success();
    let (stdout, _) = cli_common::outputs(&assert);
    assert!(!stdout.contains('\u{1b}'), "NO_COLOR: no escape codes");
    stdout
}

/// The lines of the report about the check whose name contains `check`, up to the next check.
fn section<'a>(report: &'a str, check: &str) -> &'a str {
    let start = report
        .find(check)
        .unwrap_or_else(|| panic!("no check {check:?} in:\n{report}"));
    // From the start of the check's line, which holds its status word.
    let start = report[..start].rfind('\n').map_or(0, |at| at + 1);
    let rest = &report[start..];
    let end = rest[1..]
        .find("\n  pass ")
        .into_iter()
        .chain(rest[1..].find("\n  FAIL "))
        .chain(rest[1..].find("\n  TIMEOUT "))
        .chain(rest[1..].find("\nTotal: "))
        .min()
        .map_or(rest.len(), |e| e + 1);
    &rest[..end]
}

#[test]
fn a_loom_deadlock_says_which_thread_waits_on_what_and_names_the_bug_class() {
    let report = report_for("deadlock", "transfer-locks-in-argument-order");
    let text = section(
        &report,
        "transfers a -> b and b -> a at once never deadlock",
    );
    assert!(text.contains("FAIL"), "{text}");
    assert!(text.contains("loom found a deadlock"), "{text}");
    assert!(text.contains("thread 0: waits for a Mutex at "), "{text}");
    assert!(text.contains("thread 1: waits for a Mutex at "), "{text}");
    assert!(
        text.contains("04-deadlock/src/lib.rs:"),
        "the learner's own file: {text}"
    );
    assert!(
        text.contains(".lock()"),
        "the learner's own line of code: {text}"
    );
    assert!(
        text.contains("the bug class this kata teaches: deadlock"),
        "{text}"
    );
    assert!(!text.contains("stack backtrace"), "{text}");
}

#[test]
fn a_loom_panic_shows_its_message_and_names_the_bug_class() {
    let report = report_for("race", "counter-load-then-store");
    let text = section(
        &report,
        "two threads incrementing at once never lose an increment",
    );
    assert!(text.contains("loom found an interleaving"), "{text}");
    assert!(text.contains("an increment was lost"), "{text}");
    assert!(
        text.contains("the bug class this kata teaches: the lost update"),
        "{text}"
    );
}

#[test]
fn a_hang_is_explained_as_a_timeout() {
    let report = report_for("deadlock", "self-transfer-locks-twice");
    let text = section(
        &report,
        "a transfer from an account to itself moves nothing",
    );
    assert!(text.contains("TIMEOUT"), "{text}");
    assert!(
        text.contains("your code did not finish in 3 s: a deadlock, a lost wakeup"),
        "{text}"
    );
}

#[test]
fn a_property_failure_shows_the_minimal_input_and_the_seed() {
    let report = report_for("bounded-buffer", "lifo-order");
    let text = section(&report, "behaves like a FIFO queue limited to capacity");
    assert!(
        text.contains("proptest found inputs that break this property"),
        "{text}"
    );
    let input = text
        .lines()
        .find_map(|l| {
            l.split_once("minimal failing input: ")
                .map(|(_, i)| i.trim())
        })
        .unwrap_or_else(|| panic!("no minimal input in:\n{text}"));
    assert!(
        input.contains("capacity = ") && input.contains("ops = ["),
        "{input}"
    );
    assert!(!input.contains('\n'));
    assert!(
        text.contains("proptest seed: 20261122 (the same failure again: `cargo run -p grader -- bounded-buffer --seed 20261122`)"),
        "{text}"
    );
}
