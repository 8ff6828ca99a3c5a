//! Processes: run commands as child processes, at most `max_parallel` at a time, each with a
//! time limit, and collect what each one printed and how it ended.
//!
//! A thread shares its process's memory; a child process has its own. That buys isolation (a
//! child that crashes, or is killed, leaves the parent standing) at the price of a slower start
//! and of talking through pipes instead of shared variables. The parent also takes on two
//! duties that threads never ask of it: keep the pipe drained while the child writes, and reap
//! (`wait` for) every child it started, killed ones included.
//!
//! Read `README.md` for the lesson, then replace the `todo!()` below. Run the visible tests
//! with `cargo test -p processes` and the grader with `cargo run -p grader -- processes`.
//!
//! Threads: use `kata_sync::thread` (it is `std::thread` in a normal build). This kata has no
//! loom models: loom explores the interleavings of threads inside one process, and cannot
//! model child processes, pipes or signals.

// The tools you may need; delete what you do not use.
#[allow(unused_imports)]
use kata_sync::thread::{self, JoinHandle};
#[allow(unused_imports)]
use std::io::{self, Read};
#[allow(unused_imports)]
use std::process::{Child, Command, ExitStatus, Stdio};
#[allow(unused_imports)]
use std::time::{Duration, Instant};

/// How one command ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The child exited on its own with exit code `code` (0 to 255 on Unix: a code above 128
    /// is still an exit, not a signal), and `stdout` is everything it wrote to its standard
    /// output.
    Exited { code: i32, stdout: Vec<u8> },
    /// A signal ended the child (on Unix, `ExitStatus::code()` is `None`; the signal number is
    /// in `std::os::unix::process::ExitStatusExt::signal`). A crash, `kill -9`, a segfault: the
    /// parent is unharmed, which is the point of a separate process.
    Killed,
    /// The child was still running (or its stdout was still open) when the timeout expired: it
    /// was killed and reaped, and whatever it printed is discarded.
    TimedOut,
}

/// Runs every command as a child process and reports how each one ended, in input order.
///
/// Guarantees:
///
/// - **Input order**: `result[i]` is the outcome of `commands[i]`, whatever order the children
///   finished in.
/// - **At most `max_parallel` children at once, and that many do run at once** whenever that
///   many commands are left: a slot freed by a finished child is refilled straight away, not
///   when the whole "batch" is done.
/// - **All of stdout**, however much the child writes, captured while it runs.
/// - **Timeout**: a child still running `timeout` after it started is killed and reaped:
///   [`Outcome::TimedOut`]. `Duration::MAX` means no time limit.
/// - A child ended by a signal is [`Outcome::Killed`]; one that exited is [`Outcome::Exited`].
/// - A command that cannot start (no such program, ...) gets the `Err` from `spawn` in its
///   slot, and the others still run.
/// - **No zombies**: every child started has been waited for when this returns.
///
/// Only stdout is redirected (`Stdio::piped()`); leave stdin and stderr as the caller set them.
///
/// # The bug to avoid: waiting before reading
///
/// ```ignore
/// let mut child = command.stdout(Stdio::piped()).spawn()?;
/// let status = child.wait()?;                      // waits for the child to exit...
/// let mut stdout = Vec::new();
/// child.stdout.take().unwrap().read_to_end(&mut stdout)?; // ...then reads what it wrote
/// ```
///
/// A pipe holds about 64 KiB. A child that writes more blocks in `write` until someone reads;
/// the parent does not read until the child exits. Each waits for the other, forever (or until
/// your timeout kills a child that had nothing wrong with it). Reading *everything first* and
/// then waiting is no better here: `read_to_end` does not return until the child closes its
/// stdout, so a child that never does (it sleeps, or writes forever) is never timed out.
/// `Child::wait_with_output` reads and waits together, but it has no timeout.
///
/// # The other bugs to avoid
///
/// - **Zombies**: `child.kill()` only sends a signal. The dead child stays in the process
///   table (a zombie, state `Z`) until its parent collects its exit status with `wait` (or a
///   `try_wait` that returns `Some`). Dropping a `Child` does not wait for it.
/// - **Signals are not exit codes**: `status.code()` is `None` when a signal ended the child;
///   do not turn that into `Exited { code: -1, .. }`. And a shell's `$? = 137` is its way of
///   *saying* "killed by signal 9": an actual `exit 137` is an exit.
/// - **Completion order**: pushing outcomes onto a `Vec` as children finish puts them in the
///   wrong slots. Put each one at its command's index.
/// - **Batches**: starting `max_parallel` children and then waiting for *all* of them before
///   starting more leaves slots idle behind the slowest child.
/// - **Overflow**: `Instant::now() + Duration::MAX` panics; `checked_add` does not.
///
/// Hint: one reader thread per child drains its stdout (`child.stdout.take()`, then
/// `read_to_end` on the thread), and `JoinHandle::is_finished` tells you, without blocking,
/// when it is done. `std` has no "wait with a timeout", so keep a list of running children and
/// check each one without blocking (`try_wait`), kill (and `wait` for) the ones past their
/// deadline, start new ones in the free slots, and sleep a couple of milliseconds when nothing
/// changed. (Or: `max_parallel` worker threads, each running one child at a time the same
/// way.)
///
/// # Panics
/// If `max_parallel` is 0 (nothing could ever run), with a message that mentions
/// `max_parallel`.
pub fn supervise(
    commands: Vec<Command>,
    max_parallel: usize,
    timeout: Duration,
) -> Vec<io::Result<Outcome>> {
    let _ = (commands, max_parallel, timeout);
    todo!()
}
