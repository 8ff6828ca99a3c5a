//! The Gradescope autograder (deploy/gradescope/run_autograder) end to end, on a fake
//! /autograder tree in a temporary folder: its source is this repository, its submission a
//! student's folder (or a zip of one), and its results.json must follow Gradescope's spec
//! (<https://gradescope-autograders.readthedocs.io/en/latest/specs/>).
//!
//! Only the `race` kata is graded, with this test build's grader and the repository's build
//! cache (target/kata-grader), so once the cache is warm each grading takes seconds.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// A fake /autograder: `source` links to this repository, `submission` is empty.
fn autograder_root() -> tempfile::TempDir {
    let root = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(repo(), root.path().join("source")).unwrap();
    std::fs::create_dir(root.path().join("submission")).unwrap();
    root
}

/// Runs run_autograder on `root` and returns its results.json, parsed.
fn run_autograder(root: &Path) -> Value {
    let out = Command::new("bash")
        .arg(repo().join("deploy/gradescope/run_autograder"))
        .current_dir(root)
        .env("AUTOGRADER_ROOT", root)
        .env("AUTOGRADER_KATAS", "race")
        .env("AUTOGRADER_WORK_DIR", repo().join("target/kata-grader"))
        .env("GRADER_BIN", env!("CARGO_BIN_EXE_grader"))
        .output()
        .unwrap();
    let log = format!(
        "stdout:\n{}\nstderr:\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "run_autograder failed\n{log}");
    let path = root.join("results/results.json");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("no {}: {e}\n{log}", path.display()));
    let results: Value = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("results.json is not JSON: {e}\n{text}\n{log}"));
    assert_follows_the_spec(&results);
    results
}

const VISIBILITIES: [&str; 4] = ["visible", "hidden", "after_due_date", "after_published"];

/// The spec's fields, with the spec's types.
fn assert_follows_the_spec(results: &Value) {
    let top = results.as_object().expect("an object");
    let known = [
        "score",
        "execution_time",
        "output",
        "visibility",
        "stdout_visibility",
        "extra_data",
        "tests",
    ];
    assert!(top.keys().all(|k| known.contains(&k.as_str())), "{results}");
    assert!(top["score"].is_number(), "{results}");
    assert!(top["execution_time"].is_u64(), "{results}");
    assert!(top["output"].is_string(), "{results}");
    assert!(VISIBILITIES.contains(&top["visibility"].as_str().unwrap()));
    assert!(VISIBILITIES.contains(&top["stdout_visibility"].as_str().unwrap()));
    for test in top["tests"].as_array().expect("tests is an array") {
        assert!(test["score"].is_number(), "{test}");
        assert!(test["max_score"].is_number(), "{test}");
        assert!(["passed", "failed"].contains(&test["status"].as_str().unwrap()));
        assert!(
            test["name"].is_string() && test["number"].is_string(),
            "{test}"
        );
        assert!(test["output"].is_string(), "{test}");
        assert!(
            test["tags"]
                .as_array()
                .unwrap()
                .iter()
                .all(Value::is_string)
        );
        assert!(VISIBILITIES.contains(&test["visibility"].as_str().unwrap()));
    }
}

fn assert_full_marks_for_race(results: &Value) {
    let tests = results["tests"].as_array().unwrap();
    assert!(!tests.is_empty(), "{results}");
    let max: f64 = tests.iter().map(|t| t["max_score"].as_f64().unwrap()).sum();
    assert_eq!(results["score"].as_f64(), Some(max), "{results:#}");
    for test in tests {
        assert_eq!(test["status"], "passed", "{test:#}");
        assert_eq!(test["tags"][0], "race", "{test}");
        assert!(test["number"].as_str().unwrap().starts_with("3."), "{test}");
    }
    assert!(results["output"].as_str().unwrap().contains("03-race"));
}

fn write_race_solution(into: &Path) {
    let lib = into.join("03-race/src/lib.rs");
    std::fs::create_dir_all(lib.parent().unwrap()).unwrap();
    std::fs::copy(repo().join("solutions/03-race/src/lib.rs"), lib).unwrap();
}

/// Zips the contents of `dir` into `zip`, with the `zip` tool or else python's zipfile.
fn zip(dir: &Path, zip: &Path) {
    let with_zip = Command::new("zip")
        .arg("-q")
        .arg("-r")
        .arg(zip)
        .arg(".")
        .current_dir(dir)
        .status();
    if with_zip.is_ok_and(|s| s.success()) {
        return;
    }
    let entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    let status = Command::new("python3")
        .args(["-m", "zipfile", "-c"])
        .arg(zip)
        .args(entries)
        .current_dir(dir)
        .status()
        .expect("neither zip nor python3 is installed");
    assert!(status.success());
}

#[test]
fn a_folder_of_kata_folders_gets_full_marks() {
    let root = autograder_root();
    write_race_solution(&root.path().join("submission"));
    let results = run_autograder(root.path());
    assert_full_marks_for_race(&results);
}

#[test]
fn a_zipped_clone_gets_full_marks() {
    let root = autograder_root();
    // Like GitHub's "Download ZIP": the clone sits in a folder of its own inside the zip.
    let staging = tempfile::tempdir().unwrap();
    write_race_solution(&staging.path().join("katas-main/exercises"));
    zip(staging.path(), &root.path().join("submission/my-katas.zip"));
    let results = run_autograder(root.path());
    assert_full_marks_for_race(&results);
}

#[test]
fn an_empty_submission_scores_zero_and_says_why() {
    let root = autograder_root();
    let results = run_autograder(root.path());
    assert_eq!(results["score"].as_f64(), Some(0.0));
    assert_eq!(results["tests"].as_array().map(Vec::len), Some(0));
    let output = results["output"].as_str().unwrap();
    assert!(
        output.contains("could not grade this submission"),
        "{output}"
    );
    assert!(
        output.contains("holds none of the kata folders"),
        "{output}"
    );
    assert!(output.contains("03-race"), "{output}");
}

#[test]
fn a_file_that_is_not_a_zip_scores_zero_and_says_why() {
    let root = autograder_root();
    std::fs::write(root.path().join("submission/katas.zip"), "not a zip").unwrap();
    let results = run_autograder(root.path());
    assert_eq!(results["score"].as_f64(), Some(0.0));
    let output = results["output"].as_str().unwrap();
    assert!(
        output.contains("katas.zip could not be unpacked"),
        "{output}"
    );
}
