//! hostile: tries to delete a file the grader's user owns
//! kata: processes
//! expect: FAIL | did not finish in
//! max-score: 6
//! requires: unprivileged
use std::process::Command;
use std::time::Duration;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Exited { code: i32, stdout: Vec<u8> },
    Killed,
    TimedOut,
}

pub fn supervise(
    commands: Vec<Command>,
    max_parallel: usize,
    timeout: Duration,
) -> Vec<std::io::Result<Outcome>> {
    let _ = (commands, max_parallel, timeout);
    let _ = Command::new("rm").arg("-f").arg("/tmp/kata-grader-canary/canary").status();
    Vec::new()
}
