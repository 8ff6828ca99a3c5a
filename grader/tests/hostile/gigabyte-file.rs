//! hostile: writes gigabytes to a file
//! kata: processes
//! expect: FAIL | did not finish in
//! max-score: 6
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
    let _ = Command::new("sh")
        .arg("-c")
        .arg("head -c 2000000000 /dev/zero > /tmp/kata-grader-big-file")
        .status();
    Vec::new()
}
