//! mutant: a command that cannot start panics (spawn().expect(..)) instead of giving Err in its slot
//! caught-by: visible:a_command_that_cannot_start_gets_err_in_its_slot, hidden:commands_that_cannot_start_do_not_use_up_slots
//! A buggy variant of the reference answer, for the grader.
//!
//! Processes: run commands as child processes, at most `max_parallel` at a time, each with a
//! time limit, and collect what each one printed and how it ended.
//!
//! A thread shares its process's memory; a child process has its own. That buys isolation (a
//! child that crashes, or is killed, leaves the parent standing) at the price of a slower start
//! and of talking through pipes instead of shared variables. The parent also takes on two
//! duties that threads never ask of it: keep the pipe drained while the child writes, and reap
//! (`wait` for) every child it started, killed ones included.
//!
//! This reference answer is one supervisor loop: it fills the free slots in input order, then
//! checks every running child without blocking (`try_wait`, "has the reader finished?", "is
//! it past its deadline?"), and sleeps a moment only when nothing changed. The only extra
//! threads are the stdout readers, one per child.

use std::io::{self, Read};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use kata_sync::thread::{self, JoinHandle};

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

/// How long the supervisor sleeps when a round of checks found nothing new.
const POLL_INTERVAL: Duration = Duration::from_millis(2);

/// Runs every command as a child process and reports how each one ended, in input order.
///
/// - At most `max_parallel` children run at once, and that many do run at once whenever that
///   many commands are left: a slot freed by a finished child is refilled straight away, not
///   when the whole "batch" is done.
/// - Each child's standard output is captured in full, however much it writes (a pipe holds
///   only about 64 KiB), while the child runs.
/// - A child still running `timeout` after it started is killed and reaped:
///   [`Outcome::TimedOut`]. `Duration::MAX` means no time limit.
/// - A child ended by a signal is [`Outcome::Killed`]; one that exited is
///   [`Outcome::Exited`] with its code and output.
/// - A command that cannot start (no such program, ...) gets the `Err` from `spawn` in its
///   slot, and the others still run.
/// - Every child started is reaped before this returns: no zombies.
///
/// Only stdout is redirected (to a pipe); stdin and stderr stay as the caller set them on each
/// [`Command`] (inherited by default).
///
/// # Panics
/// If `max_parallel` is 0 (nothing could ever run).
pub fn supervise(
    commands: Vec<Command>,
    max_parallel: usize,
    timeout: Duration,
) -> Vec<io::Result<Outcome>> {
    assert!(max_parallel > 0, "max_parallel must be at least 1");

    let mut results: Vec<Option<io::Result<Outcome>>> = Vec::new();
    results.resize_with(commands.len(), || None);
    let mut waiting = commands.into_iter().enumerate();
    let mut running: Vec<Running> = Vec::with_capacity(max_parallel);

    loop {
        // Fill every free slot, in input order. A command that fails to start leaves its slot
        // free for the next one.
        while running.len() < max_parallel {
            let Some((index, command)) = waiting.next() else {
                break;
            };
            match Running::start(index, command, timeout) {
                Ok(child) => running.push(child),
                Err(error) => results[index] = Some(Err(error)),
            }
        }
        if running.is_empty() {
            break;
        }

        // Check every child without blocking; keep the ones still going. Each outcome goes
        // into the slot of its command, not at the end of a list: children finish in any
        // order.
        let before = running.len();
        running.retain_mut(|child| match child.poll() {
            Some(outcome) => {
                results[child.index] = Some(outcome);
                false
            }
            None => true,
        });
        if running.len() == before {
            thread::sleep(POLL_INTERVAL);
        }
    }

    results
        .into_iter()
        .map(|result| result.expect("every command has an outcome"))
        .collect()
}

/// A started child and what the supervisor knows about it.
struct Running {
    /// Where its outcome goes.
    index: usize,
    child: Child,
    /// Reads the child's stdout to the end, so that the pipe never fills up. `None` once
    /// joined or abandoned.
    reader: Option<JoinHandle<io::Result<Vec<u8>>>>,
    /// Set once the child has exited and been reaped.
    status: Option<ExitStatus>,
    /// `None`: no time limit (the timeout does not fit in an `Instant`).
    deadline: Option<Instant>,
}

impl Running {
    /// Spawns `command` with its stdout piped to a reader thread.
    fn start(index: usize, mut command: Command, timeout: Duration) -> io::Result<Running> {
        // BUG: a command that cannot start brings the whole supervisor down.
        let mut child = command
            .stdout(Stdio::piped())
            .spawn()
            .expect("cannot start the command");
        // `Instant + Duration` panics on overflow; `Duration::MAX` must mean "no limit".
        let deadline = Instant::now().checked_add(timeout);
        let mut stdout = child.stdout.take().expect("stdout was set to piped");

        // The reader drains the pipe while the child writes. Without it, a child that writes
        // more than the pipe holds blocks in `write`, and a parent waiting for it to exit
        // waits forever: each is waiting for the other.
        let reader = thread::Builder::new()
            .name(format!("stdout of child {}", child.id()))
            .spawn(move || {
                let mut output = Vec::new();
                stdout.read_to_end(&mut output).map(|_| output)
            });
        match reader {
            Ok(reader) => Ok(Running {
                index,
                child,
                reader: Some(reader),
                status: None,
                deadline,
            }),
            Err(error) => {
                // No reader, so nobody would drain the pipe: do not leave the child behind.
                child.kill()?;
                child.wait()?;
                Err(error)
            }
        }
    }

    /// Checks on the child without blocking: `None` while it is still going.
    ///
    /// Done means exited *and* stdout closed (the reader has seen end-of-file). The two
    /// usually happen together, but a child can exit while something it started still holds
    /// the pipe open.
    fn poll(&mut self) -> Option<io::Result<Outcome>> {
        if self.status.is_none() {
            // `try_wait` reaps the child if it has exited.
            match self.child.try_wait() {
                Ok(status) => self.status = status,
                Err(error) => return Some(Err(error)),
            }
        }
        match self.status {
            Some(status) if self.output_closed() => Some(self.finish(status)),
            _ if self.past_deadline() => Some(self.time_out()),
            _ => None,
        }
    }

    /// Whether the reader has seen end-of-file (never blocks).
    fn output_closed(&self) -> bool {
        self.reader.as_ref().is_none_or(JoinHandle::is_finished)
    }

    fn past_deadline(&self) -> bool {
        self.deadline
            .is_some_and(|deadline| Instant::now() >= deadline)
    }

    /// The child has exited and its output is complete.
    fn finish(&mut self, status: ExitStatus) -> io::Result<Outcome> {
        let stdout = match self.reader.take() {
            Some(reader) => reader
                .join()
                .map_err(|_| io::Error::other("the stdout reader panicked"))??,
            None => Vec::new(),
        };
        // No exit code means a signal ended it (Unix).
        Ok(match status.code() {
            Some(code) => Outcome::Exited { code, stdout },
            None => Outcome::Killed,
        })
    }

    /// Past the deadline: kill the child if it is still running, and reap it.
    fn time_out(&mut self) -> io::Result<Outcome> {
        if self.status.is_none() {
            // SIGKILL on Unix. Killing only makes the child a zombie: its exit status waits in
            // the kernel until the parent collects it with `wait`. Skip the `wait` and every
            // timed-out child stays in the process table until this program exits.
            self.child.kill()?;
            self.status = Some(self.child.wait()?);
        }
        // Abandon the reader instead of joining it: if the child left descendants holding
        // the pipe, it would block until they exit. It ends on its own when the pipe closes.
        drop(self.reader.take());
        Ok(Outcome::TimedOut)
    }
}
