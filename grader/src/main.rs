//! `cargo run -p grader`: grade the katas and print the report; with a command, help a
//! learner along (`list`, `hint`, `watch`, `reset`, `solution`).

mod cli;
mod progress;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use cli::batch::BatchArgs;
use cli::grade::GradeArgs;
use cli::hint::HintArgs;
use cli::list::ListArgs;
use cli::reset::ResetArgs;
use cli::solution::SolutionArgs;
use cli::watch::WatchArgs;

/// Grades the concurrency katas: visible tests, hidden tests, property tests and loom models,
/// each test in its own process with a time limit.
///
/// With no arguments it grades every kata in this repository's exercises/ folder. The
/// commands below help you along the way.
#[derive(Debug, Parser)]
#[command(
    name = "grader",
    version,
    args_conflicts_with_subcommands = true,
    after_help = "A first session: `cargo run -p grader -- list`, read the next kata's README.md, \
                  then `cargo run -p grader -- watch KATA` while you edit its src/lib.rs."
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,

    #[command(flatten)]
    grade: GradeArgs,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Every kata in order, where it stands, and which one to do next.
    List(ListArgs),
    /// A hint for a kata, one level at a time: a nudge, the technique, the shape of the answer.
    Hint(HintArgs),
    /// Regrade a kata each time you save its src/lib.rs (Ctrl-C to stop).
    Watch(WatchArgs),
    /// Put a kata's original stub back (your file is kept as src/lib.rs.bak-<time>).
    Reset(ResetArgs),
    /// The reference answer, once the kata has full marks.
    Solution(SolutionArgs),
    /// For teachers: grade a folder of submissions (folders or .zip files, one per student)
    /// into a CSV gradebook and a JSON report each; a rerun skips those already graded.
    Batch(BatchArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        None => cli::grade::run(cli.grade),
        Some(Command::List(args)) => cli::list::run(args),
        Some(Command::Hint(args)) => cli::hint::run(args),
        Some(Command::Watch(args)) => cli::watch::run(args),
        Some(Command::Reset(args)) => cli::reset::run(args),
        Some(Command::Solution(args)) => cli::solution::run(args),
        Some(Command::Batch(args)) => cli::batch::run(args),
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}
