//! Visible tests for the `processes` kata: `cargo test -p processes`.
//!
//! The children are small `sh` scripts. Nothing here is decided by how long something took:
//! children that must run at the same time wait for each other's marker files (an answer that
//! runs them one by one makes the first one give up after a few seconds, and the test fails),
//! and a child that must finish last waits for a child that can only start once an earlier
//! one has finished.
#![cfg(unix)]

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use processes::{Outcome, supervise};

/// A timeout that a correct answer never reaches in these tests.
const LONG: Duration = Duration::from_secs(30);

/// `sh -c script sh args...`: inside the script, `$1`, `$2`, ... are `args`.
fn sh(script: &str, args: &[&str]) -> Command {
    let mut command = Command::new("sh");
    command.arg("-c").arg(script).arg("sh").args(args);
    command
}

/// A fresh empty directory for one test's marker files, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(test: &str) -> Scratch {
        static COUNT: AtomicUsize = AtomicUsize::new(0);
        let n = COUNT.fetch_add(1, Ordering::Relaxed);
        let dir =
            std::env::temp_dir().join(format!("processes-kata-{test}-{}-{n}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).expect("cannot create a scratch directory");
        Scratch(dir)
    }

    fn path(&self) -> &str {
        self.0.to_str().expect("the temp dir path is not UTF-8")
    }

    fn file(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// Every outcome, panicking on an `Err`.
fn outcomes(results: Vec<io::Result<Outcome>>) -> Vec<Outcome> {
    results
        .into_iter()
        .enumerate()
        .map(|(i, result)| result.unwrap_or_else(|e| panic!("command {i} gave Err({e})")))
        .collect()
}

fn exited(code: i32, stdout: &[u8]) -> Outcome {
    Outcome::Exited {
        code,
        stdout: stdout.to_vec(),
    }
}

#[test]
fn an_exiting_child_gives_back_its_code_and_its_stdout() {
    let results = supervise(
        vec![sh("printf 'hello\\n'; exit 3", &[]), sh("printf ok", &[])],
        2,
        LONG,
    );
    assert_eq!(outcomes(results), [exited(3, b"hello\n"), exited(0, b"ok")]);
}

#[test]
fn a_child_killed_by_a_signal_is_killed_and_the_parent_carries_on() {
    // The child prints, then sends itself SIGKILL: as if it had crashed. A thread that crashes
    // can take the whole process with it; a child process cannot.
    let results = supervise(
        vec![
            sh("printf bye; kill -9 $$", &[]),
            sh("printf 'still here'", &[]),
        ],
        1,
        LONG,
    );
    assert_eq!(
        outcomes(results),
        [Outcome::Killed, exited(0, b"still here")],
        "a signal death has no exit code (ExitStatus::code() is None): that is Killed"
    );
}

#[test]
fn a_chatty_child_cannot_fill_the_pipe_and_hang() {
    // 1,000,000 bytes: about 15 times what a pipe holds. The child blocks in `write` until
    // someone reads; a parent that waits for it to exit before reading waits forever.
    let results = supervise(
        vec![sh("head -c 1000000 /dev/zero", &[])],
        1,
        Duration::from_secs(10),
    );
    match outcomes(results).pop().unwrap() {
        Outcome::Exited { code, stdout } => {
            assert_eq!(code, 0);
            assert_eq!(stdout.len(), 1_000_000, "some of the output is missing");
            assert!(
                stdout.iter().all(|&b| b == 0),
                "the output is not what was written"
            );
        }
        other => panic!(
            "expected Exited with 1,000,000 bytes, got {other:?}: was the child stuck writing \
             into a full pipe while you waited for it to exit? Read stdout while it runs \
             (a reader thread)"
        ),
    }
}

#[test]
#[cfg(target_os = "linux")]
fn a_child_past_the_timeout_is_timed_out_killed_and_reaped() {
    let scratch = Scratch::new("timeout");
    let pid_file = scratch.file("pid");
    // The child writes its pid, then becomes `sleep 60` (same pid: `exec`). If it is killed
    // before it could write the pid, try again with a longer timeout.
    for millis in [200, 400, 800, 1600, 3200] {
        let _ = fs::remove_file(&pid_file);
        let results = supervise(
            vec![sh("echo $$ > \"$1/pid\"; exec sleep 60", &[scratch.path()])],
            1,
            Duration::from_millis(millis),
        );
        assert_eq!(outcomes(results), [Outcome::TimedOut]);
        let Some(pid) = fs::read_to_string(&pid_file)
            .ok()
            .and_then(|s| s.trim().parse::<u32>().ok())
        else {
            continue;
        };
        // Reaped: gone from the process table. Killed but not waited for, it would still be
        // there as a zombie (state Z) until this test process exits.
        let proc = format!("/proc/{pid}");
        assert!(
            !Path::new(&proc).exists(),
            "the timed-out child {pid} is still in the process table ({}): kill it, then wait \
             for it",
            fs::read_to_string(format!("{proc}/stat"))
                .unwrap_or_default()
                .trim()
        );
        return;
    }
    panic!("the child never got to write its pid, even with a 3.2 s timeout");
}

#[test]
fn a_command_that_cannot_start_gets_err_in_its_slot() {
    let results = supervise(
        vec![
            sh("printf a", &[]),
            Command::new("/this/program/does/not/exist"),
            sh("printf c", &[]),
        ],
        1,
        LONG,
    );
    assert_eq!(results.len(), 3);
    match &results[1] {
        Err(e) => assert_eq!(e.kind(), io::ErrorKind::NotFound),
        Ok(outcome) => panic!("a missing program gave Ok({outcome:?})"),
    }
    assert_eq!(results[0].as_ref().unwrap(), &exited(0, b"a"));
    assert_eq!(results[2].as_ref().unwrap(), &exited(0, b"c"));
}

#[test]
fn outcomes_are_in_input_order_even_when_a_later_child_finishes_first() {
    let scratch = Scratch::new("order");
    // max_parallel 2. The first child waits (a few seconds at most) for the third one's
    // marker, and the third can only start once the second has finished and its slot is
    // free: so the second always finishes first, and the first always finishes last.
    let first = "i=0; until [ -e \"$1/third\" ]; do \
                 i=$((i+1)); [ $i -ge 100 ] && exit 3; sleep 0.05; done; printf first";
    let results = supervise(
        vec![
            sh(first, &[scratch.path()]),
            sh("printf second", &[]),
            sh("touch \"$1/third\"; printf third", &[scratch.path()]),
        ],
        2,
        LONG,
    );
    assert_eq!(
        outcomes(results),
        [
            exited(0, b"first"),
            exited(0, b"second"),
            exited(0, b"third")
        ],
        "outcome i must be command i's, whatever order they finished in (code 3: the third \
         command did not start when the second one's slot became free)"
    );
}

#[test]
fn max_parallel_children_really_run_at_once() {
    let scratch = Scratch::new("together");
    // Each child drops a marker, then waits (a few seconds at most) until all three markers
    // exist. One at a time, the first child waits alone and gives up: exit code 3.
    let script = "touch \"$1/$2\"; i=0; \
                  until [ -e \"$1/0\" ] && [ -e \"$1/1\" ] && [ -e \"$1/2\" ]; do \
                  i=$((i+1)); [ $i -ge 100 ] && exit 3; sleep 0.05; done";
    let commands = (0..3)
        .map(|i| sh(script, &[scratch.path(), &i.to_string()]))
        .collect();
    assert_eq!(
        outcomes(supervise(commands, 3, LONG)),
        vec![exited(0, b""); 3],
        "with max_parallel = 3, three children must be running at the same time"
    );
}

#[test]
fn never_more_than_max_parallel_children_at_once() {
    let scratch = Scratch::new("limit");
    // Each child logs `+` when it starts and `-` when it ends (appends are atomic), staying
    // alive a little in between. A child starts only after another has ended, so the log can
    // never show more than max_parallel children between their `+` and `-`.
    let script = "echo + >> \"$1/log\"; sleep 0.1; echo - >> \"$1/log\"";
    let commands = (0..6).map(|_| sh(script, &[scratch.path()])).collect();
    assert_eq!(
        outcomes(supervise(commands, 2, LONG)),
        vec![exited(0, b""); 6]
    );
    let log = fs::read_to_string(scratch.file("log")).unwrap();
    let (mut now, mut most) = (0, 0);
    for line in log.lines() {
        now = if line == "+" { now + 1 } else { now - 1 };
        most = most.max(now);
    }
    assert!(
        most <= 2,
        "{most} children ran at once with max_parallel = 2"
    );
}

#[test]
fn max_parallel_zero_panics() {
    let panic = std::panic::catch_unwind(|| supervise(vec![sh("true", &[])], 0, LONG))
        .expect_err("supervise with max_parallel = 0 must panic");
    let message = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or_default();
    assert!(
        message.contains("max_parallel"),
        "the panic message should mention max_parallel, not {message:?}"
    );
}
