//! `grader hint`: one level at a time, remembered, `--level`, `--reset`, and bad input.

mod cli_common;

use cli_common::{assert_refused, outputs, run};
use grader::discover::Catalog;

fn hint(state: &std::path::Path, args: &[&str]) -> String {
    let mut all = vec!["hint"];
    all.extend_from_slice(args);
    let assert = run(state, "hint", &all).success();
    outputs(&assert).0
}

#[test]
fn hints_come_one_level_at_a_time_and_are_remembered() {
    let state = tempfile::tempdir().unwrap();
    let s = state.path();
    let first = hint(s, &["race"]);
    assert!(first.contains("03-race"), "{first}");
    assert!(first.contains("hint 1 of 3: a nudge"), "{first}");
    assert!(
        first.contains("again shows hint 2 (the technique)"),
        "{first}"
    );
    assert!(!first.contains('\u{1b}'), "no colour codes: {first}");

    let second = hint(s, &["03-race"]);
    assert!(second.contains("hint 2 of 3: the technique"), "{second}");
    let third = hint(s, &["3"]);
    assert!(
        third.contains("hint 3 of 3: the shape of the answer"),
        "{third}"
    );
    assert!(third.contains("That was the last hint"), "{third}");
    let again = hint(s, &["race"]);
    assert!(again.contains("hint 3 of 3"), "{again}");
    assert!(again.contains("--level N"), "{again}");

    let chosen = hint(s, &["race", "--level", "1"]);
    assert!(chosen.contains("hint 1 of 3: a nudge"), "{chosen}");
    assert!(chosen.contains("hint race --level 2"), "{chosen}");
    assert_eq!(
        hint(s, &["race", "--level", "1"]),
        chosen,
        "a reread is the same"
    );
    assert!(
        hint(s, &["race"]).contains("hint 3 of 3"),
        "--level does not go back"
    );

    let reset = hint(s, &["race", "--reset"]);
    assert!(reset.contains("start again from the first"), "{reset}");
    assert!(hint(s, &["race"]).contains("hint 1 of 3"));
    // Other katas keep their own level.
    assert!(hint(s, &["deadlock"]).contains("hint 1 of 3"));
}

#[test]
fn every_kata_has_three_hints_and_names_what_it_teaches() {
    let home = grader::Home::at(cli_common::repo()).unwrap();
    let catalog = Catalog::load(&home).unwrap();
    let state = tempfile::tempdir().unwrap();
    for kata in catalog.katas() {
        let lesson = &kata.manifest.lesson;
        assert!(
            lesson.hints.len() >= 3,
            "{} has {} hints; every kata needs a nudge, the technique and the shape of the answer",
            kata.dir_name,
            lesson.hints.len()
        );
        assert!(
            lesson.teaches.is_some(),
            "{} does not say what it teaches",
            kata.dir_name
        );
        let text = hint(state.path(), &[&kata.name]);
        assert!(text.contains("hint 1 of"), "{}: {text}", kata.dir_name);
    }
}

#[test]
fn bad_input_is_a_sentence_and_exit_2() {
    let state = tempfile::tempdir().unwrap();
    let s = state.path();
    assert_refused(
        run(s, "hint", &["hint", "nope"]),
        &["no kata called `nope`", "race", "deadlock"],
    );
    assert_refused(
        run(s, "hint", &["hint", "race", "--level", "9"]),
        &["race has 3 hints", "1 to 3"],
    );
    assert_refused(
        run(s, "hint", &["hint", "race", "--level", "0"]),
        &["1 to 3"],
    );
    // clap's own errors also exit with 2.
    run(s, "hint", &["hint"]).code(2);
    run(s, "hint", &["hint", "race", "--level", "2", "--reset"]).code(2);
}
