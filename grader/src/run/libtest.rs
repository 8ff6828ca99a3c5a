//! Talking to a libtest binary: listing its tests and reading its verdict on one of them.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use crate::run::process::{self, Exit, Limits};
use crate::run::sandbox;

/// Lists the tests in a libtest binary (`--list --format terse`).
pub fn list(exe: &Path, cwd: &Path) -> Result<Vec<String>, String> {
    let mut cmd = Command::new(exe);
    cmd.current_dir(cwd).args(["--list", "--format", "terse"]);
    let limits = Limits {
        timeout: Duration::from_secs(30),
        output_cap: 1 << 20,
    };
    // Listing runs the binary's start-up code, which is learner code too.
    sandbox::contain(&mut cmd, limits.timeout);
    let done = process::run(cmd, limits).map_err(|e| format!("could not start: {e}"))?;
    match done.exit {
        Exit::Code(0) => Ok(parse_list(&done.stdout)),
        other => Err(format!(
            "listing the tests failed ({other:?}): {}",
            done.stderr.trim()
        )),
    }
}

/// The test names in `--list --format terse` output (`name: test` lines).
pub fn parse_list(stdout: &str) -> Vec<String> {
    stdout
        .lines()
        .filter_map(|line| line.strip_suffix(": test"))
        .map(str::to_string)
        .collect()
}

/// The arguments that run exactly one test, in this process, with its output passed through
/// (so a panic message survives even if the process then aborts, as a loom deadlock does).
pub fn run_one_args(test: &str) -> Vec<String> {
    vec![
        "--exact".into(),
        test.into(),
        "--test-threads=1".into(),
        "--nocapture".into(),
    ]
}

/// Whether libtest's own summary says `test` ran and passed.
pub fn reported_ok(stdout: &str, test: &str) -> bool {
    let line = format!("test {test} ... ok");
    let mut passed = false;
    let mut summary = false;
    for l in stdout.lines() {
        // With --nocapture the test's own output can share the line with libtest's.
        if l.trim_end().ends_with(&line) || l.trim_end() == line {
            passed = true;
        }
        if l.starts_with("test result: ok. 1 passed; 0 failed") {
            summary = true;
        }
    }
    passed && summary
}

/// Drops libtest's own lines from `stdout`, leaving what the test printed.
pub fn strip_harness_lines(stdout: &str, test: &str) -> String {
    stdout
        .lines()
        .filter(|l| {
            let l = l.trim();
            !(l.is_empty()
                || l == test
                || l.starts_with("running ")
                || l.starts_with("test result:")
                || l.starts_with("failures:")
                || (l.starts_with("test ")
                    && (l.ends_with(" ... ok") || l.ends_with(" ... FAILED"))))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_terse_listing() {
        let out = "a: test\nmodule::b: test\nbench_x: benchmark\n";
        assert_eq!(parse_list(out), vec!["a", "module::b"]);
    }

    #[test]
    fn ok_needs_both_the_test_line_and_the_summary() {
        let good = "\nrunning 1 test\ntest a ... ok\n\ntest result: ok. 1 passed; 0 failed; 0 ignored; 0 measured; 3 filtered out; finished in 0.00s\n";
        assert!(reported_ok(good, "a"));
        assert!(!reported_ok(good, "b"));
        assert!(!reported_ok("test a ... ok\n", "a"));
        let failed =
            "running 1 test\ntest a ... FAILED\n\ntest result: FAILED. 0 passed; 1 failed;";
        assert!(!reported_ok(failed, "a"));
    }

    #[test]
    fn strips_harness_lines() {
        let out =
            "running 1 test\nhello\ntest a ... FAILED\n\nfailures:\n    a\n\ntest result: FAILED.";
        assert_eq!(strip_harness_lines(out, "a"), "hello");
    }
}
