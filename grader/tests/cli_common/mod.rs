//! Shared by the `cli_*` tests: the grader binary driven with assert_cmd, and throwaway
//! submissions and state folders, so no test writes into the repository's exercises/ or
//! into the grader's remembered grades and hints.

#![allow(dead_code)] // each test file uses a different part

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// The repository this grader belongs to.
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// `grader ARGS... --state-dir STATE --workspace test-cli-WORKSPACE`, without colour. Each
/// test has its own state folder and workspace, so tests running at once never wait for each
/// other, and each workspace's build stays warm between runs.
pub fn command(state: &Path, workspace: &str, args: &[&str]) -> Command {
    Command::from_std(std_command(state, workspace, args))
}

/// [`command`] as a plain `std::process::Command`, for a process the test talks to while it
/// runs.
pub fn std_command(state: &Path, workspace: &str, args: &[&str]) -> std::process::Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_grader"));
    cmd.env("NO_COLOR", "1")
        .env_remove("KATA_GRADER_HOME")
        .env_remove("CLICOLOR_FORCE")
        .args(args)
        .arg("--state-dir")
        .arg(state)
        .arg("--workspace")
        .arg(format!("test-cli-{workspace}"));
    cmd
}

/// Runs [`command`] to the end.
pub fn run(state: &Path, workspace: &str, args: &[&str]) -> assert_cmd::assert::Assert {
    command(state, workspace, args).assert()
}

/// A submission folder holding `source` as `dir`'s `src/lib.rs`; returns the folder.
pub fn submission(dir: &str, source: &str) -> tempfile::TempDir {
    let root = tempfile::tempdir().unwrap();
    write_lib(root.path(), dir, source);
    root
}

/// Writes `source` as `dir`'s `src/lib.rs` under `root`.
pub fn write_lib(root: &Path, dir: &str, source: &str) -> PathBuf {
    let lib = root.join(dir).join("src").join("lib.rs");
    std::fs::create_dir_all(lib.parent().unwrap()).unwrap();
    std::fs::write(&lib, source).unwrap();
    lib
}

/// The repository's stub of `dir` (`03-race`).
pub fn stub(dir: &str) -> String {
    std::fs::read_to_string(
        repo()
            .join("exercises")
            .join(dir)
            .join("src")
            .join("lib.rs"),
    )
    .unwrap()
}

/// The reference answer of `dir`.
pub fn solution(dir: &str) -> String {
    std::fs::read_to_string(
        repo()
            .join("solutions")
            .join(dir)
            .join("src")
            .join("lib.rs"),
    )
    .unwrap()
}

/// What the command printed on stdout and stderr.
pub fn outputs(assert: &assert_cmd::assert::Assert) -> (String, String) {
    let out = assert.get_output();
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Asserts exit status 2 with an `error: ` sentence containing every piece, and no panic.
pub fn assert_refused(assert: assert_cmd::assert::Assert, pieces: &[&str]) {
    let (_, stderr) = outputs(&assert);
    assert.code(2);
    assert!(stderr.starts_with("error: "), "{stderr}");
    for piece in pieces {
        assert!(stderr.contains(piece), "missing {piece:?} in: {stderr}");
    }
    assert!(!stderr.contains("panicked"), "{stderr}");
}
