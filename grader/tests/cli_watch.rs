//! `grader watch`: a real file change in a temporary submission is regraded and shown, with
//! file events and with `--poll`; Ctrl-C (SIGINT) ends it cleanly. Every wait is bounded: the
//! watcher is killed at a deadline and the test fails with everything it printed.

mod cli_common;

use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;

use cli_common::{assert_refused, run, std_command, stub, submission, write_lib};

/// Generous: the first grade in a cold workspace compiles the kata, on a loaded machine.
const DEADLINE: Duration = Duration::from_secs(900);

/// A running `grader watch` and the lines it has printed so far.
struct Watch {
    child: Child,
    lines: mpsc::Receiver<String>,
    seen: Vec<String>,
    started: Instant,
}

impl Watch {
    fn start(state: &std::path::Path, workspace: &str, args: &[&str]) -> Watch {
        let mut cmd = std_command(state, workspace, args);
        let mut child = cmd
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .stdin(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Watch {
            child,
            lines,
            seen: Vec::new(),
            started: Instant::now(),
        }
    }

    /// Reads lines until one contains `text`; fails the test at the deadline.
    fn wait_for(&mut self, text: &str) {
        loop {
            let left = DEADLINE.saturating_sub(self.started.elapsed());
            match self.lines.recv_timeout(left.min(Duration::from_secs(5))) {
                Ok(line) => {
                    let found = line.contains(text);
                    self.seen.push(line);
                    if found {
                        return;
                    }
                }
                Err(mpsc::RecvTimeoutError::Timeout) if !left.is_zero() => {}
                Err(e) => {
                    let _ = self.child.kill();
                    let _ = self.child.wait();
                    panic!(
                        "watch never printed {text:?} ({e:?} after {:?}); it printed:\n{}",
                        self.started.elapsed(),
                        self.seen.join("\n")
                    );
                }
            }
        }
    }

    /// Everything printed since the line containing `from` (the last one).
    fn since(&self, from: &str) -> String {
        let at = self
            .seen
            .iter()
            .rposition(|l| l.contains(from))
            .unwrap_or(0);
        self.seen[at..].join("\n")
    }

    /// Ctrl-C, then the exit status (killed at the deadline if it does not stop).
    fn interrupt(mut self) -> (Option<i32>, String) {
        kill(Pid::from_raw(self.child.id() as i32), Signal::SIGINT).unwrap();
        let stop = Instant::now() + Duration::from_secs(60);
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            if Instant::now() > stop {
                let _ = self.child.kill();
                let _ = self.child.wait();
                panic!(
                    "watch ignored Ctrl-C; it printed:\n{}",
                    self.seen.join("\n")
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        };
        // The reader thread ends when the pipe closes; collect what is left.
        while let Ok(line) = self.lines.recv_timeout(Duration::from_secs(5)) {
            self.seen.push(line);
        }
        (status.code(), self.seen.join("\n"))
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn regrades_a_saved_change(poll: bool) {
    let state = tempfile::tempdir().unwrap();
    let sub = submission("03-race", &stub("03-race"));
    let dir = sub.path().to_str().unwrap();
    let mut args = vec!["watch", "race", "--submission", dir, "--quiet"];
    if poll {
        args.push("--poll");
    }
    let mut watch = Watch::start(state.path(), "watch", &args);
    watch.wait_for("Watching");
    let first = watch.since("Grade 1");
    assert!(first.contains("03-race"), "{first}");
    assert!(first.contains("score: 0/100"), "{first}");
    assert!(first.contains("First failing check:"), "{first}");
    if poll {
        assert!(
            first.contains("reading the files twice a second"),
            "{first}"
        );
    }

    // Save a change: a comment is enough, since a change is any new content.
    let mut edited = stub("03-race");
    edited.push_str("\n// an edit, saved while watching\n");
    write_lib(sub.path(), "03-race", &edited);
    watch.wait_for("changed: grading race");
    watch.wait_for("Watching");
    let second = watch.since("Grade 2");
    assert!(second.contains("Grade 2 after"), "{second}");
    assert!(second.contains("score: 0/100"), "{second}");
    assert!(
        second.contains("FAIL") || second.contains("TIMEOUT"),
        "{second}"
    );

    let (code, printed) = watch.interrupt();
    assert_eq!(code, Some(0), "{printed}");
    assert!(printed.contains("Stopped watching."), "{printed}");
    assert!(
        !printed.contains('\u{1b}'),
        "no escape codes when not a terminal"
    );
}

#[test]
fn watch_regrades_on_file_events() {
    regrades_a_saved_change(false);
}

#[test]
fn watch_regrades_when_polling() {
    regrades_a_saved_change(true);
}

#[test]
fn bad_input_is_a_sentence_and_exit_2() {
    let state = tempfile::tempdir().unwrap();
    let s = state.path();
    assert_refused(
        run(s, "watch-bad", &["watch", "nope"]),
        &["no kata called `nope`"],
    );
    assert_refused(
        run(
            s,
            "watch-bad",
            &["watch", "race", "--submission", "/no/such/folder"],
        ),
        &["/no/such/folder does not exist"],
    );
    run(s, "watch-bad", &["watch", "race", "deadlock"]).code(2);
}
