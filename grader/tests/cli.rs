//! Bad input gets a sentence and exit status 2, never a panic trace or a hang.

use std::process::{Command, Output};

fn grader(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_grader"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn assert_error(out: &Output, expected: &[&str]) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "stderr: {stderr}");
    assert!(stderr.starts_with("error: "), "{stderr}");
    for piece in expected {
        assert!(stderr.contains(piece), "missing {piece:?} in: {stderr}");
    }
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn a_missing_submission_folder_is_named() {
    let out = grader(&["--submission", "/no/such/folder"]);
    assert_error(
        &out,
        &["/no/such/folder does not exist", "clone of this repository"],
    );
}

#[test]
fn a_file_is_not_a_submission() {
    let file = tempfile::NamedTempFile::new().unwrap();
    let out = grader(&["--submission", file.path().to_str().unwrap()]);
    assert_error(&out, &["is not a folder"]);
}

#[test]
fn an_empty_folder_holds_no_katas() {
    let dir = tempfile::tempdir().unwrap();
    let out = grader(&["--submission", dir.path().to_str().unwrap()]);
    assert_error(&out, &["holds none of the kata folders", "03-race"]);
}

#[test]
fn an_unknown_kata_lists_the_known_ones() {
    let out = grader(&["nope"]);
    assert_error(&out, &["no kata called `nope`", "race", "deadlock"]);
}

#[test]
fn zero_jobs_is_refused() {
    let out = grader(&["--jobs", "0"]);
    assert_error(&out, &["--jobs must be at least 1"]);
}

#[test]
fn help_describes_the_grader() {
    let out = grader(&["--help"]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("--submission"), "{text}");
    assert!(text.contains("--format"), "{text}");
}
