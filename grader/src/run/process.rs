//! One child process with a time limit, in its own process group, with capped output.
//!
//! Modelled on cargo-nextest's runner: the child leads a new process group so that on timeout
//! the whole group (threads, grandchildren) is stopped with TERM, then KILL after a grace
//! period. Output is kept as head + tail so a test that prints gigabytes cannot exhaust memory.

use std::collections::VecDeque;
use std::io::Read;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, killpg};
use nix::sys::wait::{Id, WaitPidFlag, waitid};
use nix::unistd::Pid;

/// How long a process gets between TERM and KILL.
const GRACE: Duration = Duration::from_millis(500);
/// How long to wait for the output pipes to close after the process has gone.
const DRAIN: Duration = Duration::from_secs(2);

/// Limits for one child process.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Wall-clock time before the process group is killed.
    pub timeout: Duration,
    /// Bytes kept of each of stdout and stderr (half from the start, half from the end).
    pub output_cap: usize,
}

/// How the process ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// It exited with this code.
    Code(i32),
    /// A signal ended it (not ours).
    Signal(i32),
    /// It ran past the time limit and was killed.
    TimedOut,
}

/// A finished process and what it printed.
#[derive(Debug, Clone)]
pub struct Finished {
    /// How it ended.
    pub exit: Exit,
    /// Its stdout, possibly cut in the middle.
    pub stdout: String,
    /// Its stderr, possibly cut in the middle.
    pub stderr: String,
    /// Wall time from spawn to exit.
    pub elapsed: Duration,
}

/// Runs `cmd` to completion or to its time limit.
pub fn run(mut cmd: Command, limits: Limits) -> std::io::Result<Finished> {
    cmd.process_group(0)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let start = Instant::now();
    let mut child = cmd.spawn()?;
    let pid = Pid::from_raw(child.id() as i32);

    let (drained_tx, drained_rx) = mpsc::channel();
    let stdout = capture(child.stdout.take(), limits.output_cap, drained_tx.clone());
    let stderr = capture(child.stderr.take(), limits.output_cap, drained_tx);

    // Wait without reaping, so the group id stays reserved until we have killed the group.
    let (exited_tx, exited_rx) = mpsc::channel();
    std::thread::spawn(move || {
        while let Err(nix::errno::Errno::EINTR) =
            waitid(Id::Pid(pid), WaitPidFlag::WEXITED | WaitPidFlag::WNOWAIT)
        {}
        let _ = exited_tx.send(());
    });

    let mut timed_out = false;
    if exited_rx.recv_timeout(limits.timeout).is_err() {
        timed_out = true;
        let _ = killpg(pid, Signal::SIGTERM);
        if exited_rx.recv_timeout(GRACE).is_err() {
            let _ = killpg(pid, Signal::SIGKILL);
            let _ = exited_rx.recv();
        }
    }
    let elapsed = start.elapsed();
    // Anything the test left behind in its group (threads die with it; processes may not).
    // A process can fork while the group is being signalled, so repeat until none is left.
    kill_group(pid);
    let status = child.wait()?;

    // Both pipes close once every process holding them is gone; a process that escaped the
    // group could hold them open, so wait only so long.
    let deadline = Instant::now() + DRAIN;
    for _ in 0..2 {
        let left = deadline.saturating_duration_since(Instant::now());
        if drained_rx.recv_timeout(left).is_err() {
            break;
        }
    }

    let exit = if timed_out {
        Exit::TimedOut
    } else if let Some(code) = status.code() {
        Exit::Code(code)
    } else {
        Exit::Signal(status.signal().unwrap_or(0))
    };
    Ok(Finished {
        exit,
        stdout: stdout.lock().unwrap().text(),
        stderr: stderr.lock().unwrap().text(),
        elapsed,
    })
}

/// SIGKILLs every process in the group until there is none (bounded, in case the kernel keeps
/// reporting one that is already dying).
fn kill_group(pid: Pid) {
    for _ in 0..1000 {
        if killpg(pid, Signal::SIGKILL).is_err() {
            return; // ESRCH: the group is empty
        }
        std::thread::yield_now();
    }
}

fn capture<R: Read + Send + 'static>(
    pipe: Option<R>,
    cap: usize,
    done: mpsc::Sender<()>,
) -> Arc<Mutex<Capped>> {
    let buf = Arc::new(Mutex::new(Capped::new(cap)));
    let Some(mut pipe) = pipe else {
        let _ = done.send(());
        return buf;
    };
    let shared = Arc::clone(&buf);
    std::thread::spawn(move || {
        let mut chunk = [0u8; 8192];
        loop {
            match pipe.read(&mut chunk) {
                Ok(0) => break,
                Ok(n) => shared.lock().unwrap().push(&chunk[..n]),
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(_) => break,
            }
        }
        let _ = done.send(());
    });
    buf
}

/// A byte buffer that keeps the first and the last `cap / 2` bytes of a stream.
#[derive(Debug)]
pub struct Capped {
    head: Vec<u8>,
    tail: VecDeque<u8>,
    half: usize,
    dropped: u64,
}

impl Capped {
    /// An empty buffer keeping at most `cap` bytes.
    pub fn new(cap: usize) -> Capped {
        Capped {
            head: Vec::new(),
            tail: VecDeque::new(),
            half: (cap / 2).max(1),
            dropped: 0,
        }
    }

    /// Appends bytes, forgetting the middle of the stream once it is over the cap.
    pub fn push(&mut self, mut bytes: &[u8]) {
        let room = self.half.saturating_sub(self.head.len());
        let take = room.min(bytes.len());
        self.head.extend_from_slice(&bytes[..take]);
        bytes = &bytes[take..];
        self.tail.extend(bytes);
        while self.tail.len() > self.half {
            self.tail.pop_front();
            self.dropped += 1;
        }
    }

    /// The kept text, with a marker where bytes were cut.
    pub fn text(&self) -> String {
        let mut out = String::from_utf8_lossy(&self.head).into_owned();
        if self.dropped > 0 {
            out.push_str(&format!("\n[... {} bytes cut ...]\n", self.dropped));
        }
        let tail: Vec<u8> = self.tail.iter().copied().collect();
        out.push_str(&String::from_utf8_lossy(&tail));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sh(script: &str) -> Command {
        let mut cmd = Command::new("sh");
        cmd.arg("-c").arg(script);
        cmd
    }

    fn limits(secs: u64) -> Limits {
        Limits {
            timeout: Duration::from_secs(secs),
            output_cap: 1000,
        }
    }

    #[test]
    fn reports_exit_code_and_output() {
        let done = run(sh("echo out; echo err >&2; exit 3"), limits(10)).unwrap();
        assert_eq!(done.exit, Exit::Code(3));
        assert_eq!(done.stdout, "out\n");
        assert_eq!(done.stderr, "err\n");
    }

    #[test]
    fn kills_the_whole_group_on_timeout() {
        // The grandchild holds stdout open; if the group were not killed, draining would block
        // and the grandchild would outlive the test.
        let dir = tempfile::tempdir().unwrap();
        let pidfile = dir.path().join("pid");
        let script = format!("sleep 1000 & echo $! > {}; wait", pidfile.display());
        let done = run(sh(&script), limits(1)).unwrap();
        assert_eq!(done.exit, Exit::TimedOut);
        let pid: i32 = std::fs::read_to_string(&pidfile)
            .unwrap()
            .trim()
            .parse()
            .unwrap();
        // SIGKILL is delivered asynchronously: wait (boundedly) for the grandchild to die; it
        // may then linger a moment as a zombie of init, never running again.
        let gone = |stat: &str| stat.is_empty() || stat.contains(") Z ");
        let mut stat = String::new();
        for _ in 0..500 {
            stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
            if gone(&stat) {
                break;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        assert!(gone(&stat), "grandchild still running: {stat}");
    }

    #[test]
    fn ignoring_term_does_not_escape_the_timeout() {
        let done = run(sh("trap '' TERM; while :; do :; done"), limits(1)).unwrap();
        assert_eq!(done.exit, Exit::TimedOut);
    }

    #[test]
    fn reports_a_signal_death() {
        let done = run(sh("kill -SEGV $$"), limits(10)).unwrap();
        assert_eq!(done.exit, Exit::Signal(11));
    }

    #[test]
    fn caps_huge_output_keeping_head_and_tail() {
        let done = run(
            sh("echo START; head -c 10000000 /dev/zero | tr '\\0' x; echo; echo END"),
            limits(30),
        )
        .unwrap();
        assert_eq!(done.exit, Exit::Code(0));
        assert!(done.stdout.starts_with("START"));
        assert!(done.stdout.trim_end().ends_with("END"));
        assert!(done.stdout.contains("bytes cut"));
        assert!(done.stdout.len() < 1200);
    }

    #[test]
    fn capped_buffer_keeps_short_streams_whole() {
        let mut c = Capped::new(10);
        c.push(b"abc");
        c.push(b"de");
        assert_eq!(c.text(), "abcde");
        c.push(b"fghijklmnop");
        assert_eq!(c.text(), "abcde\n[... 6 bytes cut ...]\nlmnop");
    }
}
