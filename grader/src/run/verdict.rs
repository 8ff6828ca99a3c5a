//! Turning one test process's exit into a check outcome the learner can act on.

use std::process::Command;

use crate::discover::CheckKind;
use crate::report::Status;
use crate::run::process::{self, Exit, Finished, Limits};
use crate::run::{CheckJob, CheckOutcome, libtest, sandbox};

/// Bytes of each output stream kept per test.
pub const OUTPUT_CAP: usize = 64 * 1024;
/// Characters of explanation kept in a report per check.
const REPORT_CHARS: usize = 4000;

/// Runs one check's test in its own process and decides the outcome.
pub fn run_one(job: &CheckJob) -> CheckOutcome {
    let token = fresh_token();
    let mut cmd = Command::new(&job.exe);
    // Loom reports a deadlock by aborting, which loses captured output: let it through.
    let pass_through = job.spec.kind == CheckKind::Loom;
    cmd.current_dir(&job.cwd)
        .args(libtest::run_one_args(&job.spec.test, pass_through))
        .env(libtest::TOKEN_ENV, &token)
        .env("RUST_BACKTRACE", "0")
        .env_remove("RUST_TEST_THREADS")
        .env_remove("RUST_TEST_NOCAPTURE");
    for (key, value) in &job.env {
        cmd.env(key, value);
    }
    let limits = Limits {
        timeout: job.timeout,
        output_cap: OUTPUT_CAP,
    };
    sandbox::contain(&mut cmd, limits.timeout);
    match process::run(cmd, limits) {
        Ok(done) => decide(job, &done, &token),
        Err(e) => CheckOutcome {
            status: Status::Failed,
            output: format!("the grader could not start the test: {e}"),
            elapsed: Default::default(),
        },
    }
}

/// The outcome of a finished test process. A pass needs both exit code 0 and libtest's own
/// report that this test passed; either alone can be faked by the code under test.
pub fn decide(job: &CheckJob, done: &Finished, token: &str) -> CheckOutcome {
    let test = &job.spec.test;
    let printed = printed_by_test(done, test);
    let (status, output) = match done.exit {
        Exit::Code(0) if libtest::reported_ok(&done.stdout, test, token) => {
            (Status::Passed, String::new())
        }
        Exit::Code(0) => (
            Status::Failed,
            format!(
                "the test process exited before the test finished (does the code call \
                 std::process::exit?)\n{printed}"
            ),
        ),
        Exit::TimedOut => (
            Status::TimedOut,
            format!(
                "your code did not finish in {} s: a deadlock, a lost wakeup, or an infinite \
                 loop?\n{printed}",
                job.timeout.as_secs()
            ),
        ),
        Exit::Code(134) | Exit::Signal(6)
            if job.spec.kind == CheckKind::Loom && printed.contains("deadlock") =>
        {
            (
                Status::Failed,
                format!(
                    "loom found a deadlock: in some interleaving every thread is waiting for \
                     another.\n{printed}"
                ),
            )
        }
        Exit::Code(101)
            if job.spec.kind == CheckKind::Loom
                && printed.contains("Model exceeded maximum number of branches") =>
        {
            (
                Status::Failed,
                format!(
                    "loom gave up: a thread kept looping without ever blocking or yielding, so \
                     there were endless interleavings to explore. If a loop retries (try_lock, \
                     an atomic flag), call kata_sync::thread::yield_now() or \
                     kata_sync::hint::spin_loop() in it; better, block on a Condvar or a \
                     channel.\n{printed}"
                ),
            )
        }
        Exit::Code(101) => (Status::Failed, printed),
        Exit::Code(code) => (
            Status::Failed,
            format!("the test process exited with code {code}\n{printed}"),
        ),
        Exit::Signal(signal) => (
            Status::Failed,
            format!(
                "the test process was killed by signal {signal} ({})\n{printed}",
                describe_signal(signal)
            ),
        ),
    };
    CheckOutcome {
        status,
        output: shorten(output.trim()),
        elapsed: done.elapsed,
    }
}

/// A secret for one test run: 128 random bits from the standard library's hasher seeds.
fn fresh_token() -> String {
    use std::hash::{BuildHasher, Hasher};
    let half = || {
        std::collections::hash_map::RandomState::new()
            .build_hasher()
            .finish()
    };
    format!("{:016x}{:016x}", half(), half())
}

/// What the test and the code under test printed, without libtest's bookkeeping.
fn printed_by_test(done: &Finished, test: &str) -> String {
    let stdout = without_thread_ids(&libtest::strip_harness_lines(&done.stdout, test));
    let stderr = without_thread_ids(done.stderr.trim());
    let stderr = stderr.as_str();
    match (stdout.trim().is_empty(), stderr.is_empty()) {
        (true, _) => stderr.to_string(),
        (false, true) => stdout,
        (false, false) => format!("{stderr}\n{stdout}"),
    }
}

/// `thread 'x' (4197) panicked` -> `thread 'x' panicked`: the OS thread id differs on every
/// run, and a regrade of the same code should read the same.
fn without_thread_ids(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("' (") {
        let after = &rest[at + 3..];
        let digits = after.chars().take_while(char::is_ascii_digit).count();
        if digits > 0 && after[digits..].starts_with(") panicked") {
            out.push_str(&rest[..at + 1]);
            rest = &after[digits + 1..];
        } else {
            out.push_str(&rest[..at + 3]);
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

fn describe_signal(signal: i32) -> &'static str {
    match signal {
        6 => "SIGABRT: an abort, e.g. a panic while panicking or a failed allocation",
        9 => "SIGKILL: killed, e.g. for using too much memory",
        11 => "SIGSEGV: a crash, e.g. a stack overflow from unbounded recursion",
        _ => "the process crashed",
    }
}

/// Keeps the start and the end of a long explanation.
fn shorten(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    if chars.len() <= REPORT_CHARS {
        return text.to_string();
    }
    let half = REPORT_CHARS / 2;
    let head: String = chars[..half].iter().collect();
    let tail: String = chars[chars.len() - half..].iter().collect();
    format!("{head}\n[...]\n{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discover::CheckSpec;
    use std::time::Duration;

    fn job(kind: CheckKind) -> CheckJob {
        CheckJob {
            kata: "race".into(),
            spec: CheckSpec {
                kind,
                test: "t".into(),
                name: "t".into(),
                points: 1,
                hint: None,
                timeout_secs: Some(7),
                preemption_bound: None,
                cases: None,
                visibility: None,
            },
            exe: "/nonexistent".into(),
            cwd: ".".into(),
            env: vec![],
            timeout: Duration::from_secs(7),
        }
    }

    fn decide_t(job: &CheckJob, done: &Finished) -> CheckOutcome {
        decide(job, done, "TOKEN")
    }

    #[test]
    fn tokens_differ_between_runs() {
        assert_ne!(fresh_token(), fresh_token());
        assert_eq!(fresh_token().len(), 32);
    }

    fn finished(exit: Exit, stdout: &str, stderr: &str) -> Finished {
        Finished {
            exit,
            stdout: stdout.into(),
            stderr: stderr.into(),
            elapsed: Duration::ZERO,
        }
    }

    const OK: &str = "running 2 tests\ntest t ... ok\nkata-grader-sentinel TOKEN\n\ntest result: ok. 2 passed; 0 failed; 0 ignored";

    #[test]
    fn passes_only_with_exit_zero_and_libtest_ok() {
        let j = job(CheckKind::Hidden);
        assert_eq!(
            decide_t(&j, &finished(Exit::Code(0), OK, "")).status,
            Status::Passed
        );
        // exit(0) from inside the test: no libtest verdict.
        let early = decide_t(&j, &finished(Exit::Code(0), "running 1 test\n", ""));
        assert_eq!(early.status, Status::Failed);
        assert!(early.output.contains("process::exit"));
        // fake "ok" lines printed by the code under test, then a failure exit.
        assert_eq!(
            decide_t(&j, &finished(Exit::Code(101), OK, "")).status,
            Status::Failed
        );
    }

    #[test]
    fn explains_timeouts_deadlocks_and_crashes() {
        let t = decide_t(&job(CheckKind::Hidden), &finished(Exit::TimedOut, "", ""));
        assert_eq!(t.status, Status::TimedOut);
        assert!(t.output.contains("did not finish in 7 s"), "{}", t.output);

        let dl = decide_t(
            &job(CheckKind::Loom),
            &finished(
                Exit::Signal(6),
                "",
                "deadlock; threads = [(ThreadId(1), Blocked)]",
            ),
        );
        assert_eq!(dl.status, Status::Failed);
        assert!(
            dl.output.starts_with("loom found a deadlock"),
            "{}",
            dl.output
        );
        assert!(dl.output.contains("ThreadId(1)"));

        let seg = decide_t(&job(CheckKind::Hidden), &finished(Exit::Signal(11), "", ""));
        assert!(seg.output.contains("stack overflow"));
    }

    #[test]
    fn explains_a_loom_model_that_spins_forever() {
        let out = decide_t(
            &job(CheckKind::Loom),
            &finished(
                Exit::Code(101),
                "",
                "thread 'm' panicked at loom/src/rt/path.rs:1:1:\nModel exceeded maximum number of branches.",
            ),
        );
        assert_eq!(out.status, Status::Failed);
        assert!(out.output.starts_with("loom gave up"), "{}", out.output);
        assert!(out.output.contains("yield_now"), "{}", out.output);
    }

    #[test]
    fn keeps_the_panic_message() {
        let out = decide_t(
            &job(CheckKind::Hidden),
            &finished(
                Exit::Code(101),
                "running 1 test\ntest t ... FAILED\n",
                "thread 't' panicked at tests/hidden.rs:3:5:\nassertion `left == right` failed",
            ),
        );
        assert!(out.output.contains("assertion `left == right` failed"));
        assert!(!out.output.contains("running 1 test"));
    }

    #[test]
    fn drops_os_thread_ids_from_panic_lines() {
        assert_eq!(
            without_thread_ids("thread 'a' (4197) panicked at x\nkeep ' (this)"),
            "thread 'a' panicked at x\nkeep ' (this)"
        );
    }

    #[test]
    fn shortens_long_output() {
        let long = "x".repeat(10_000);
        let s = shorten(&long);
        assert!(s.len() < 4100 && s.contains("[...]"));
    }
}
