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

/// The test names in `--list --format terse` output (`name: test` lines), without the
/// grader's sentinel.
pub fn parse_list(stdout: &str) -> Vec<String> {
    stdout
        .lines()
        .filter_map(|line| line.strip_suffix(": test"))
        .filter(|name| *name != SENTINEL_TEST)
        .map(str::to_string)
        .collect()
}

/// A test the grader appends to every test file. libtest runs the tests it is asked for in
/// name order, so run after the graded test, this one proves the harness got past its end;
/// it prints a token that only the grader knows, so code under test cannot fake it by
/// printing libtest's own lines.
pub const SENTINEL_TEST: &str = "zzzzzzzz_kata_grader_sentinel";
/// Where the sentinel finds the token.
pub const TOKEN_ENV: &str = "KATA_GRADER_TOKEN";

/// The sentinel's source, appended to each test file the grader assembles.
pub fn sentinel_source() -> String {
    format!(
        r#"

// Added by the grader: proves the harness ran past the graded test (see the grader's libtest.rs).
#[test]
fn {SENTINEL_TEST}() {{
    use std::io::Write as _;
    if let Ok(token) = std::env::var("{TOKEN_ENV}") {{
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "\nkata-grader-sentinel {{token}}");
        let _ = out.flush();
    }}
}}
"#
    )
}

/// The arguments that run exactly `test`, then the sentinel, in one thread. With
/// `pass_through` the output is not captured, so a panic message survives even if the process
/// then aborts (as a loom deadlock does); otherwise what the code prints stays in libtest's
/// capture and appears only in its failure report.
pub fn run_one_args(test: &str, pass_through: bool) -> Vec<String> {
    let mut args = vec![
        "--exact".to_string(),
        test.to_string(),
        SENTINEL_TEST.to_string(),
        "--test-threads=1".to_string(),
    ];
    if pass_through {
        args.push("--nocapture".into());
    }
    args
}

/// Whether libtest says `test` passed, and then the sentinel printed `token`.
pub fn reported_ok(stdout: &str, test: &str, token: &str) -> bool {
    let ok_line = format!("test {test} ... ok");
    let should_panic_ok = format!("test {test} - should panic ... ok");
    let sentinel = format!("kata-grader-sentinel {token}");
    let lines: Vec<&str> = stdout.lines().map(str::trim_end).collect();
    // With --nocapture the test's own output can share the line with libtest's.
    let Some(ok_at) = lines
        .iter()
        .position(|l| l.ends_with(&ok_line) || l.ends_with(&should_panic_ok))
    else {
        return false;
    };
    let sentinel_after = lines[ok_at + 1..].iter().any(|l| *l == sentinel);
    let summary = lines
        .iter()
        .any(|l| l.starts_with("test result: ok. 2 passed; 0 failed"));
    sentinel_after && summary
}

/// Drops libtest's own lines from `stdout`, leaving what the test printed.
pub fn strip_harness_lines(stdout: &str, test: &str) -> String {
    stdout
        .lines()
        .filter(|l| {
            let l = l.trim();
            !(l.is_empty()
                || l == test
                // the sentinel's own verdict, on a line of its own after the token
                || l == "ok"
                || l.starts_with("running ")
                || l.starts_with("test result:")
                || l.starts_with("failures:")
                || l.starts_with("---- ")
                || l.starts_with("kata-grader-sentinel ")
                || l.contains(SENTINEL_TEST)
                || (l.starts_with("test ")
                    && (l.ends_with(" ... ok")
                        || l.ends_with(" ... FAILED")
                        || l.ends_with(" ... ignored"))))
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
    fn ok_needs_the_test_line_then_the_sentinel_token_and_the_summary() {
        let good = "\nrunning 2 tests\ntest a ... ok\ntest zzzzzzzz_kata_grader_sentinel ... \nkata-grader-sentinel T0K\nok\n\ntest result: ok. 2 passed; 0 failed; 0 ignored; 0 measured; 3 filtered out; finished in 0.00s\n";
        assert!(reported_ok(good, "a", "T0K"));
        assert!(!reported_ok(good, "b", "T0K"));
        assert!(!reported_ok(good, "a", "other"), "a guessed token");
        let should_panic = good.replace("test a ... ok", "test a - should panic ... ok");
        assert!(reported_ok(&should_panic, "a", "T0K"));
        // Libtest's lines printed by the code under test, then exit(0): no sentinel.
        let forged = "running 2 tests\ntest a ... ok\n\ntest result: ok. 2 passed; 0 failed;";
        assert!(!reported_ok(forged, "a", "T0K"));
        // The sentinel's line before the test's own verdict does not count.
        let early = "kata-grader-sentinel T0K\ntest a ... ok\ntest result: ok. 2 passed; 0 failed;";
        assert!(!reported_ok(early, "a", "T0K"));
        let failed =
            "test a ... FAILED\nkata-grader-sentinel T0K\ntest result: FAILED. 1 passed; 1 failed;";
        assert!(!reported_ok(failed, "a", "T0K"));
    }

    #[test]
    fn the_sentinel_is_not_a_listed_test_and_sorts_last() {
        let out = format!("a: test\n{SENTINEL_TEST}: test\n");
        assert_eq!(parse_list(&out), vec!["a"]);
        assert!(run_one_args("a", false).contains(&SENTINEL_TEST.to_string()));
        assert!("tests::zz" < SENTINEL_TEST);
    }

    #[test]
    fn strips_harness_lines() {
        let out =
            "running 1 test\nhello\ntest a ... FAILED\n\nfailures:\n    a\n\ntest result: FAILED.";
        assert_eq!(strip_harness_lines(out, "a"), "hello");
        let sentinel = "test zzzzzzzz_kata_grader_sentinel ... \nkata-grader-sentinel T\nok\nboom";
        assert_eq!(strip_harness_lines(sentinel, "a"), "boom");
    }
}
