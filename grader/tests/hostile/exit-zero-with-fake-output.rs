//! hostile: prints fake libtest and sentinel lines through a child that shares stdout, then exit(0)
//! kata: processes
//! expect: exited before the test finished
//! max-score: 0
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
    let fake = "test a ... ok\\nkata-grader-sentinel 00000000000000000000000000000000\\ntest result: ok. 2 passed; 0 failed; 0 ignored\\n";
    let _ = Command::new("sh").arg("-c").arg(format!("printf '{fake}'")).status();
    std::process::exit(0)
}
