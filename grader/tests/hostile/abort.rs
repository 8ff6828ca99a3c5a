//! hostile: aborts the test process
//! kata: processes
//! expect: signal 6 | did not finish in
//! max-score: 10
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
    std::process::abort()
}
