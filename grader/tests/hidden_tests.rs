//! `--hidden-tests DIR`: a teacher's own kata folders replace the shipped manifest and private
//! tests of those katas, the other katas keep theirs, and a folder that names no kata is
//! refused with a sentence.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use grader::discover::{Catalog, CheckKind};
use grader::report::Status;

/// The extra check's points, and the test behind it.
const EXTRA_POINTS: u32 = 7;
const EXTRA_TEST: &str = "teachers_own_three_increments_make_three";

/// A teacher's folder holding a copy of `03-race` with one more hidden check.
fn teachers_folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let shipped = common::home().katas_dir().join("03-race");
    let copy = dir.path().join("03-race");
    std::fs::create_dir_all(&copy).unwrap();
    for file in ["kata.toml", "hidden.rs", "props.rs", "loom.rs"] {
        std::fs::copy(shipped.join(file), copy.join(file)).unwrap();
    }
    let mut manifest = std::fs::read_to_string(copy.join("kata.toml")).unwrap();
    manifest.push_str(&format!(
        "\n[[check]]\nkind = \"hidden\"\ntest = \"{EXTRA_TEST}\"\n\
         name = \"the teacher's own test: three increments make 3\"\npoints = {EXTRA_POINTS}\n"
    ));
    std::fs::write(copy.join("kata.toml"), manifest).unwrap();
    let mut hidden = std::fs::read_to_string(copy.join("hidden.rs")).unwrap();
    hidden.push_str(&format!(
        "\n#[test]\nfn {EXTRA_TEST}() {{\n    let counter = Counter::new();\n    \
         for _ in 0..3 {{\n        counter.increment();\n    }}\n    \
         assert_eq!(counter.get(), 3);\n}}\n"
    ));
    std::fs::write(copy.join("hidden.rs"), hidden).unwrap();
    // Notes beside the kata folders are the teacher's business, not an error.
    std::fs::write(dir.path().join("NOTES.md"), "why the extra test\n").unwrap();
    dir
}

fn repo(sub: &str) -> PathBuf {
    common::home().root().join(sub)
}

#[test]
fn the_teachers_folder_replaces_one_kata_and_leaves_the_others() {
    let home = common::home();
    let teacher = teachers_folder();
    let shipped = Catalog::load(&home).unwrap();
    let catalog = Catalog::load_with_overrides(&home, Some(teacher.path())).unwrap();
    let race = catalog.find("race").unwrap();
    assert_eq!(
        race.max_score(),
        shipped.find("race").unwrap().max_score() + EXTRA_POINTS
    );
    assert_eq!(race.private_dir, teacher.path().join("03-race"));
    assert_eq!(
        race.test_files[&CheckKind::Hidden],
        teacher.path().join("03-race/hidden.rs")
    );
    // The visible tests stay the repository's.
    assert_eq!(
        race.test_files[&CheckKind::Visible],
        repo("exercises/03-race/tests/visible.rs")
    );
    let deadlock = catalog.find("deadlock").unwrap();
    assert_eq!(deadlock.private_dir, home.katas_dir().join("04-deadlock"));
}

#[test]
fn the_solution_scores_the_new_maximum_and_the_stub_fails_the_new_check() {
    let teacher = teachers_folder();
    let home = common::home();
    let shipped_max = Catalog::load(&home)
        .unwrap()
        .find("race")
        .unwrap()
        .max_score();
    let graded = |workspace: &str, submission: &Path| {
        let mut options = common::options(workspace, submission);
        options.katas = vec!["race".into()];
        options.hidden_tests = Some(teacher.path().to_path_buf());
        common::grade(&options).report
    };

    let report = graded("hidden-tests-solution", &repo("solutions"));
    let race = common::kata(&report, "race");
    assert_eq!(
        race.max_score,
        shipped_max + EXTRA_POINTS,
        "{}",
        common::dump(&report)
    );
    assert_eq!(race.score, race.max_score, "{}", common::dump(&report));
    let extra = race.checks.iter().find(|c| c.test == EXTRA_TEST).unwrap();
    assert_eq!(extra.status, Status::Passed);
    assert_eq!(extra.kind, CheckKind::Hidden);

    let report = graded("hidden-tests-stub", &repo("exercises"));
    let race = common::kata(&report, "race");
    let extra = race.checks.iter().find(|c| c.test == EXTRA_TEST).unwrap();
    assert_eq!(extra.status, Status::Failed, "{}", common::dump(&report));
    assert_eq!(extra.score, 0);
}

fn grader(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_grader"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn assert_refused(args: &[&str], expected: &[&str]) {
    let out = grader(args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    for piece in expected {
        assert!(stderr.contains(piece), "missing {piece:?} in: {stderr}");
    }
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn a_folder_that_names_no_kata_is_refused_with_a_sentence() {
    let teacher = teachers_folder();
    std::fs::create_dir(teacher.path().join("race")).unwrap();
    let dir = teacher.path().to_str().unwrap();
    assert_refused(
        &["race", "--hidden-tests", dir],
        &[
            "the hidden tests in",
            "folder `race` names no kata",
            "rename it to `03-race`",
            "03-race",
        ],
    );
    // The same for a batch, before anything is graded.
    let subs = tempfile::tempdir().unwrap();
    let out = subs.path().join("grades.csv");
    assert_refused(
        &[
            "batch",
            subs.path().to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--hidden-tests",
            dir,
        ],
        &["folder `race` names no kata"],
    );
    assert!(!out.exists());
}

#[test]
fn a_kata_folder_without_a_manifest_or_an_empty_folder_is_refused() {
    let teacher = tempfile::tempdir().unwrap();
    let dir = teacher.path().to_str().unwrap();
    assert_refused(&["race", "--hidden-tests", dir], &["holds no kata folder"]);
    std::fs::create_dir(teacher.path().join("03-race")).unwrap();
    std::fs::write(teacher.path().join("03-race/hidden.rs"), "").unwrap();
    assert_refused(
        &["race", "--hidden-tests", dir],
        &["03-race/ has no kata.toml", "start from a copy"],
    );
    assert_refused(
        &["race", "--hidden-tests", "/no/such/folder"],
        &["/no/such/folder", "cannot be read"],
    );
}
