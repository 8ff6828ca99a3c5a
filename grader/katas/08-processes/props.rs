//! Properties of the `processes` kata: whatever the commands print and however they end,
//! whatever `max_parallel`, each outcome is exactly what its command did, in its own slot.
//!
//! Each case starts a handful of small `sh` children; keep `cases` small (16 is plenty).
#![cfg(unix)]

use std::io;
use std::process::Command;
use std::time::Duration;

use processes::{Outcome, supervise};
use proptest::collection::vec;
use proptest::prelude::*;

/// A timeout that a correct answer never reaches here.
const LONG: Duration = Duration::from_secs(30);

/// What one child does.
#[derive(Debug, Clone)]
enum Job {
    /// Prints `stdout`, then exits with `code`.
    Exit { stdout: Vec<u8>, code: i32 },
    /// Prints `stdout`, then sends itself SIGKILL.
    Crash { stdout: Vec<u8> },
    /// A program that does not exist.
    Missing,
}

fn job() -> impl Strategy<Value = Job> {
    prop_oneof![
        4 => (vec(any::<u8>(), 0..48), 0..=255i32)
            .prop_map(|(stdout, code)| Job::Exit { stdout, code }),
        1 => vec(any::<u8>(), 0..16).prop_map(|stdout| Job::Crash { stdout }),
        1 => Just(Job::Missing),
    ]
}

/// A `printf` format that prints exactly `bytes` (every byte as an octal escape).
fn printf_format(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("\\{b:03o}")).collect()
}

fn command(job: &Job) -> Command {
    let mut command = Command::new("sh");
    match job {
        Job::Exit { stdout, code } => {
            command
                .args(["-c", "printf \"$1\"; exit \"$2\"", "sh"])
                .arg(printf_format(stdout))
                .arg(code.to_string());
        }
        Job::Crash { stdout } => {
            command
                .args(["-c", "printf \"$1\"; kill -9 $$", "sh"])
                .arg(printf_format(stdout));
        }
        Job::Missing => return Command::new("/no/such/program/for/processes/kata"),
    }
    command
}

fn check(job: &Job, result: &io::Result<Outcome>) -> Result<(), TestCaseError> {
    match (job, result) {
        (Job::Exit { stdout, code }, Ok(outcome)) => prop_assert_eq!(
            outcome,
            &Outcome::Exited {
                code: *code,
                stdout: stdout.clone()
            }
        ),
        (Job::Crash { .. }, Ok(outcome)) => prop_assert_eq!(outcome, &Outcome::Killed),
        (Job::Missing, Err(e)) => prop_assert_eq!(e.kind(), io::ErrorKind::NotFound),
        (job, result) => prop_assert!(false, "{job:?} gave {result:?}"),
    }
    Ok(())
}

proptest! {
    #[test]
    fn each_outcome_is_what_its_command_did_in_input_order(
        jobs in vec(job(), 0..6),
        max_parallel in 1usize..4,
    ) {
        let results = supervise(jobs.iter().map(command).collect(), max_parallel, LONG);
        prop_assert_eq!(results.len(), jobs.len());
        for (job, result) in jobs.iter().zip(&results) {
            check(job, result)?;
        }
    }

    #[test]
    fn output_of_any_size_comes_back_whole(
        outputs in vec(("[a-z]{1,8}", 0usize..300_000), 1..4),
        max_parallel in 1usize..4,
    ) {
        // `yes word | head -c n`: n bytes of "word\nword\n...", often more than a pipe holds.
        let commands = outputs
            .iter()
            .map(|(word, n)| {
                let mut command = Command::new("sh");
                command
                    .args(["-c", "yes \"$1\" | head -c \"$2\"", "sh"])
                    .arg(word)
                    .arg(n.to_string());
                command
            })
            .collect();
        let results = supervise(commands, max_parallel, LONG);
        prop_assert_eq!(results.len(), outputs.len());
        for ((word, n), result) in outputs.iter().zip(results) {
            let line = format!("{word}\n");
            let expected: Vec<u8> = line.bytes().cycle().take(*n).collect();
            match result {
                Ok(Outcome::Exited { code: 0, stdout }) => prop_assert!(
                    stdout == expected,
                    "`yes {} | head -c {}`: got {} bytes back",
                    word,
                    n,
                    stdout.len()
                ),
                other => prop_assert!(false, "`yes {} | head -c {}` gave {:?}", word, n, other),
            }
        }
    }
}
