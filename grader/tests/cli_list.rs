//! `grader list`: every kata with its status and the next one to do; grades are remembered
//! and only changed katas are graded again.

mod cli_common;

use std::time::{Duration, Instant};

use cli_common::{assert_refused, outputs, run, solution, stub, submission, write_lib};

#[test]
fn cached_list_names_every_kata_in_order_without_grading() {
    let state = tempfile::tempdir().unwrap();
    let sub = submission("03-race", &stub("03-race"));
    let dir = sub.path().to_str().unwrap();
    let assert = run(
        state.path(),
        "list",
        &["list", "--cached", "--submission", dir],
    )
    .success();
    let (stdout, stderr) = outputs(&assert);
    assert!(!stderr.contains("grading"), "{stderr}");
    let order: Vec<usize> = [
        "01-threads",
        "02-parallel",
        "03-race",
        "04-deadlock",
        "05-semaphore",
        "06-bounded-buffer",
        "07-pool",
        "08-processes",
    ]
    .iter()
    .map(|k| {
        stdout
            .find(k)
            .unwrap_or_else(|| panic!("{k} missing: {stdout}"))
    })
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{stdout}");
    assert!(stdout.contains("0 of 8 katas done"), "{stdout}");
    assert!(stdout.contains("Next: 01-threads"), "{stdout}");
}

#[test]
fn list_grades_what_changed_and_remembers_the_rest() {
    let state = tempfile::tempdir().unwrap();
    let sub = submission("03-race", &stub("03-race"));
    let dir = sub.path().to_str().unwrap();

    let assert = run(state.path(), "race-stub", &["list", "--submission", dir]).success();
    let (stdout, stderr) = outputs(&assert);
    assert!(stderr.contains("grading race"), "{stderr}");
    let line = stdout.lines().find(|l| l.contains("03-race")).unwrap();
    assert!(line.contains("not started"), "{stdout}");

    // Nothing changed: the remembered grade answers, at once.
    let started = Instant::now();
    let assert = run(state.path(), "race-stub", &["list", "--submission", dir]).success();
    let (again, stderr) = outputs(&assert);
    assert!(!stderr.contains("grading"), "{stderr}");
    assert_eq!(again, stdout);
    assert!(started.elapsed() < Duration::from_secs(30));

    // An edit makes the grade stale: --cached says so, a plain list grades it again.
    write_lib(sub.path(), "03-race", &solution("03-race"));
    let assert = run(
        state.path(),
        "race-solution",
        &["list", "--cached", "--submission", dir],
    )
    .success();
    let (cached, _) = outputs(&assert);
    let line = cached.lines().find(|l| l.contains("03-race")).unwrap();
    assert!(line.contains("edited since 0/100"), "{cached}");

    let assert = run(
        state.path(),
        "race-solution",
        &["list", "--submission", dir],
    )
    .success();
    let (stdout, stderr) = outputs(&assert);
    assert!(stderr.contains("grading race"), "{stderr}");
    let line = stdout.lines().find(|l| l.contains("03-race")).unwrap();
    assert!(line.contains("passed 100/100"), "{stdout}");
    assert!(
        stdout.contains("1 of 8 katas done, 100/800 points"),
        "{stdout}"
    );
    assert!(!stdout.contains('\u{1b}'), "no colour codes: {stdout}");
}

#[test]
fn bad_input_is_a_sentence_and_exit_2() {
    let state = tempfile::tempdir().unwrap();
    let s = state.path();
    assert_refused(
        run(s, "list", &["list", "--submission", "/no/such/folder"]),
        &["/no/such/folder does not exist"],
    );
    let empty = tempfile::tempdir().unwrap();
    assert_refused(
        run(
            s,
            "list",
            &["list", "--submission", empty.path().to_str().unwrap()],
        ),
        &["holds none of the kata folders"],
    );
    run(s, "list", &["list", "race"]).code(2);
    // `list` after a grading flag is a kata name, and the grader says how to run the command.
    assert_refused(run(s, "list", &["--quiet", "list"]), &["put it first"]);
}
