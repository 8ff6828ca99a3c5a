//! `grader solution`: the reference answer opens at full marks, or with `--force` and a
//! warning; bad input is a sentence and exit 2.

mod cli_common;

use cli_common::{assert_refused, outputs, run, solution, stub, submission};

/// A line only the reference answer has (the stub has `todo!()` where it goes).
fn answer_marker() -> String {
    let answer = solution("03-race");
    let marker = answer
        .lines()
        .find(|l| l.contains("fetch_add"))
        .expect("the race answer uses fetch_add")
        .to_string();
    assert!(!stub("03-race").contains(&marker));
    marker
}

#[test]
fn without_full_marks_the_answer_stays_closed_unless_forced() {
    let state = tempfile::tempdir().unwrap();
    let sub = submission("03-race", &stub("03-race"));
    let dir = sub.path().to_str().unwrap();
    let assert = run(
        state.path(),
        "race-stub",
        &["solution", "race", "--submission", dir],
    )
    .code(1);
    let (stdout, stderr) = outputs(&assert);
    assert!(stdout.contains("03-race has 0/100"), "{stdout}\n{stderr}");
    assert!(stdout.contains("opens at full marks"), "{stdout}");
    assert!(stdout.contains("--force"), "{stdout}");
    assert!(!stdout.contains(&answer_marker()), "{stdout}");

    let assert = run(
        state.path(),
        "race-stub",
        &["solution", "race", "--submission", dir, "--force"],
    )
    .success();
    let (stdout, stderr) = outputs(&assert);
    assert!(stderr.contains("warning: 03-race has 0/100"), "{stderr}");
    assert!(stdout.contains(&answer_marker()), "{stdout}");
}

#[test]
fn full_marks_open_the_answer() {
    let state = tempfile::tempdir().unwrap();
    let sub = submission("03-race", &solution("03-race"));
    let dir = sub.path().to_str().unwrap();
    let assert = run(
        state.path(),
        "race-solution",
        &["solution", "race", "--submission", dir, "--quiet"],
    )
    .success();
    let (stdout, stderr) = outputs(&assert);
    assert!(
        stdout.starts_with("// The reference answer for 03-race"),
        "{stdout}\n{stderr}"
    );
    assert!(stdout.contains(&answer_marker()), "{stdout}");
    assert!(!stderr.contains("warning"), "{stderr}");
}

#[test]
fn bad_input_is_a_sentence_and_exit_2() {
    let state = tempfile::tempdir().unwrap();
    let s = state.path();
    assert_refused(
        run(s, "solution", &["solution", "nope"]),
        &["no kata called `nope`"],
    );
    assert_refused(
        run(
            s,
            "solution",
            &["solution", "race", "--submission", "/no/such/folder"],
        ),
        &["/no/such/folder does not exist"],
    );
    run(s, "solution", &["solution"]).code(2);
}
