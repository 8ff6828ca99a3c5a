//! Shared by the grader's integration tests: grading with the real katas, sharing the
//! build caches under target/kata-grader, each test in a workspace of its own.

#![allow(dead_code)] // each test file uses a different part

use std::path::{Path, PathBuf};

use grader::discover::{Catalog, Kata};
use grader::report::{KataReport, Report};
use grader::{Graded, Home, Options, Silent};

/// The repository this grader belongs to.
pub fn home() -> Home {
    Home::at(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .unwrap()
            .to_path_buf(),
    )
    .unwrap()
}

/// Every kata.
pub fn katas() -> Vec<Kata> {
    Catalog::load(&home()).unwrap().katas().to_vec()
}

/// Options grading `submission` in the workspace called `workspace`.
pub fn options(workspace: &str, submission: &Path) -> Options {
    Options {
        submission: Some(submission.to_path_buf()),
        workspace_name: format!("test-{workspace}"),
        ..Options::default()
    }
}

/// Grades, panicking with the error's sentence if grading could not run.
pub fn grade(options: &Options) -> Graded {
    grader::grade(&home(), options, &Silent).unwrap_or_else(|e| panic!("grading failed: {e}"))
}

/// The kata called `name` in `report`.
pub fn kata<'a>(report: &'a Report, name: &str) -> &'a KataReport {
    report
        .katas
        .iter()
        .find(|k| k.name == name)
        .unwrap_or_else(|| panic!("no kata {name} in the report"))
}

/// A one-kata submission folder holding `source` as the kata's `src/lib.rs`.
pub fn submission_with(kata: &Kata, source: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write_kata(dir.path(), kata, source);
    dir
}

/// Writes `source` as `kata`'s `src/lib.rs` under `root`.
pub fn write_kata(root: &Path, kata: &Kata, source: &str) -> PathBuf {
    let lib = root.join(&kata.dir_name).join("src").join("lib.rs");
    std::fs::create_dir_all(lib.parent().unwrap()).unwrap();
    std::fs::write(&lib, source).unwrap();
    lib
}

/// The report as JSON, for failure messages.
pub fn dump(report: &Report) -> String {
    grader::report::render_json(report)
}
