//! Hidden tests for the `processes` kata.
//!
//! The children are `sh` scripts that coordinate through marker files. Nothing is decided by
//! how long the *supervisor* took:
//!
//! - children that must run at once wait for each other's markers, with a bound of a few
//!   seconds (an answer that runs them apart makes them give up, exit 3, and the test fails);
//! - a child that must finish last waits for the marker of a child that can only start once
//!   earlier ones have finished and freed their slots;
//! - "no zombie" is read from `/proc`: after `supervise` returns, this test process must have
//!   no child process left at all. This assumes the test runs alone in its process (as the
//!   grader runs it: one test per process).
//!
//! One check cannot be decided without a time margin: that a child does *not* start while
//! `max_parallel` others run (nothing distinguishes "not yet" from "never"). There, the
//! running children stay alive 2 s, and the extra child, started too early by an answer that
//! ignores the limit, has those 2 s to notice: a correct answer can never fail it.
#![cfg(target_os = "linux")]

use std::fs;
use std::io;
use std::path::PathBuf;
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
        let dir = std::env::temp_dir().join(format!(
            "processes-kata-hidden-{test}-{}-{n}",
            std::process::id()
        ));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).expect("cannot create a scratch directory");
        Scratch(dir)
    }

    fn path(&self) -> &str {
        self.0.to_str().expect("the temp dir path is not UTF-8")
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

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

/// Shell: wait until `condition` holds, giving up with exit code 3 after about 5 s.
fn wait_until(condition: &str) -> String {
    format!("i=0; until {condition}; do i=$((i+1)); [ $i -ge 100 ] && exit 3; sleep 0.05; done")
}

/// Every process whose parent is this test process, as `pid state` (`Z` is a zombie).
fn my_child_processes() -> Vec<String> {
    let me = std::process::id().to_string();
    let mut children = Vec::new();
    for entry in fs::read_dir("/proc").expect("no /proc").flatten() {
        let name = entry.file_name();
        let Some(pid) = name
            .to_str()
            .filter(|s| s.bytes().all(|b| b.is_ascii_digit()))
        else {
            continue;
        };
        // Gone since the listing: fine.
        let Ok(stat) = fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        // "pid (comm) state ppid ...": comm may contain spaces and parentheses.
        let Some((_, rest)) = stat.rsplit_once(')') else {
            continue;
        };
        let fields: Vec<&str> = rest.split_whitespace().collect();
        if fields.get(1) == Some(&me.as_str()) {
            children.push(format!("{pid} {}", fields[0]));
        }
    }
    children
}

#[test]
fn a_timed_out_child_is_killed_and_reaped() {
    // `exec`: the shell becomes `sleep`, so killing the child leaves no grandchild behind.
    let sleeper = || sh("exec sleep 60", &[]);
    let results = supervise(
        vec![sleeper(), sleeper(), sleeper()],
        2,
        Duration::from_millis(200),
    );
    assert_eq!(outcomes(results), vec![Outcome::TimedOut; 3]);
    let left = my_child_processes();
    assert!(
        left.is_empty(),
        "child processes left behind after supervise returned (pid state): {left:?}; a \
         timed-out child must be killed and then waited for (reaped), or it stays a zombie (Z)"
    );
}

#[test]
fn every_child_is_reaped_however_it_ended() {
    let results = supervise(
        vec![
            sh("exit 0", &[]),
            sh("exit 7", &[]),
            sh("kill -9 $$", &[]),
            sh("kill -TERM $$", &[]),
            sh("head -c 200000 /dev/zero > /dev/null", &[]),
        ],
        3,
        LONG,
    );
    assert_eq!(
        outcomes(results),
        [
            exited(0, b""),
            exited(7, b""),
            Outcome::Killed,
            Outcome::Killed,
            exited(0, b""),
        ]
    );
    let left = my_child_processes();
    assert!(
        left.is_empty(),
        "child processes left behind after supervise returned (pid state): {left:?}"
    );
}

#[test]
fn a_child_that_floods_stdout_past_the_timeout_is_timed_out() {
    // The child writes forever and never closes its stdout: reading "to the end" before
    // looking at the clock never ends, and neither does waiting for it to exit.
    let flood = "while :; do echo flood; done";
    let results = supervise(vec![sh(flood, &[])], 1, Duration::from_millis(300));
    assert_eq!(outcomes(results), [Outcome::TimedOut]);
    let left = my_child_processes();
    assert!(left.is_empty(), "child processes left behind: {left:?}");
}

#[test]
fn a_freed_slot_is_refilled_while_the_others_still_run() {
    let scratch = Scratch::new("refill");
    // max_parallel 2: `a` ends at once, and `c` must take its slot while `b` still runs:
    // `b` waits for `c`'s marker. Waiting for the whole first pair to finish before starting
    // `c` makes `b` give up (exit 3).
    let b = wait_until("[ -e \"$1/c\" ]");
    let results = supervise(
        vec![
            sh("printf a", &[]),
            sh(&format!("{b}; printf b"), &[scratch.path()]),
            sh("touch \"$1/c\"; printf c", &[scratch.path()]),
        ],
        2,
        LONG,
    );
    assert_eq!(
        outcomes(results),
        [exited(0, b"a"), exited(0, b"b"), exited(0, b"c")],
        "code 3: the third command did not start when the first one's slot became free"
    );
}

#[test]
fn more_commands_than_slots_still_fill_every_slot() {
    let scratch = Scratch::new("fill");
    // Five commands, three slots: each child drops a marker, then waits until at least three
    // markers exist. The first three can only get there together.
    let count = "n=0; for f in 0 1 2 3 4; do [ -e \"$1/$f\" ] && n=$((n+1)); done; [ $n -ge 3 ]";
    let script = format!("touch \"$1/$2\"; {}; printf $2", wait_until(count));
    let commands = (0..5)
        .map(|i| sh(&script, &[scratch.path(), &i.to_string()]))
        .collect();
    let expected: Vec<Outcome> = (0..5)
        .map(|i| exited(0, i.to_string().as_bytes()))
        .collect();
    assert_eq!(
        outcomes(supervise(commands, 3, LONG)),
        expected,
        "code 3: three children were never running at the same time with max_parallel = 3"
    );
}

#[test]
fn never_more_than_max_parallel_children_at_once() {
    let scratch = Scratch::new("limit");
    // max_parallel 2. `a` and `b` stay alive 2 s, and each leaves an "ended" marker just
    // before it exits. `c` may only start once one of them has ended, so it must find a
    // marker; started alongside them, it finds none and exits 7.
    let stay = "sleep 2; touch \"$1/$2.ended\"";
    let c = "[ -e \"$1/a.ended\" ] || [ -e \"$1/b.ended\" ] || exit 7";
    let results = supervise(
        vec![
            sh(stay, &[scratch.path(), "a"]),
            sh(stay, &[scratch.path(), "b"]),
            sh(c, &[scratch.path()]),
        ],
        2,
        LONG,
    );
    assert_eq!(
        outcomes(results),
        vec![exited(0, b""); 3],
        "code 7: the third child started while two were running, with max_parallel = 2"
    );
}

#[test]
fn outcomes_stay_in_input_order_when_the_first_children_finish_last() {
    let scratch = Scratch::new("order");
    // max_parallel 3, six commands. Children 0 and 1 wait for child 5's marker; 2, 3 and 4 end
    // at once, and each frees the slot for the next, so child 5 starts only once 2, 3 and 4
    // have all finished: 2, 3, 4 always finish before 0 and 1.
    let waits = format!("{}; printf $2", wait_until("[ -e \"$1/5\" ]"));
    let commands = (0..6)
        .map(|i| {
            let script = match i {
                0 | 1 => waits.as_str(),
                5 => "touch \"$1/5\"; printf $2",
                _ => "printf $2",
            };
            sh(script, &[scratch.path(), &i.to_string()])
        })
        .collect();
    let expected: Vec<Outcome> = (0..6)
        .map(|i| exited(0, i.to_string().as_bytes()))
        .collect();
    assert_eq!(
        outcomes(supervise(commands, 3, LONG)),
        expected,
        "outcome i must be command i's, whatever order they finished in"
    );
}

#[test]
fn several_chatty_children_at_once_each_get_their_own_output() {
    let commands = (0..3)
        .map(|i| sh("yes \"word $1\" | head -c 700000", &[&i.to_string()]))
        .collect();
    let results = outcomes(supervise(commands, 3, Duration::from_secs(10)));
    for (i, outcome) in results.into_iter().enumerate() {
        let line = format!("word {i}\n");
        let expected: Vec<u8> = line.bytes().cycle().take(700_000).collect();
        match outcome {
            Outcome::Exited { code: 0, stdout } => assert!(
                stdout == expected,
                "child {i}: {} bytes came back, not the 700000 it wrote",
                stdout.len()
            ),
            other => panic!("child {i}: expected Exited with 700000 bytes, got {other:?}"),
        }
    }
}

#[test]
fn exit_codes_above_128_are_exits_and_sigterm_is_a_kill() {
    // A shell reports "killed by signal 9" as $? = 137, but an exit code is an exit code:
    // only a missing code (a signal) is Killed.
    let results = supervise(
        vec![
            sh("exit 137", &[]),
            sh("printf x; exit 255", &[]),
            sh("kill -TERM $$", &[]),
            sh("exit 1", &[]),
        ],
        2,
        LONG,
    );
    assert_eq!(
        outcomes(results),
        [
            exited(137, b""),
            exited(255, b"x"),
            Outcome::Killed,
            exited(1, b""),
        ]
    );
}

#[test]
fn commands_that_cannot_start_do_not_use_up_slots() {
    let scratch = Scratch::new("failed");
    // Two missing programs, then two children that must meet, with max_parallel 2.
    let meet = format!(
        "touch \"$1/$2\"; {}",
        wait_until("[ -e \"$1/x\" ] && [ -e \"$1/y\" ]")
    );
    let results = supervise(
        vec![
            Command::new("/no/such/program"),
            Command::new("/no/such/program/either"),
            sh(&meet, &[scratch.path(), "x"]),
            sh(&meet, &[scratch.path(), "y"]),
        ],
        2,
        LONG,
    );
    assert_eq!(results.len(), 4);
    for result in &results[..2] {
        match result {
            Err(e) => assert_eq!(e.kind(), io::ErrorKind::NotFound),
            Ok(outcome) => panic!("a missing program gave Ok({outcome:?})"),
        }
    }
    for result in &results[2..] {
        assert_eq!(result.as_ref().unwrap(), &exited(0, b""));
    }
}

#[test]
fn no_commands_give_no_outcomes() {
    assert!(supervise(Vec::new(), 4, LONG).is_empty());
}

#[test]
fn duration_max_means_no_time_limit() {
    // `Instant::now() + Duration::MAX` overflows and panics: use `checked_add`.
    let results = supervise(vec![sh("printf done", &[])], 1, Duration::MAX);
    assert_eq!(outcomes(results), [exited(0, b"done")]);
}
