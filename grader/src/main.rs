//! `cargo run -p grader`: grade the katas and print the report.

mod progress;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use clap::{Parser, ValueEnum};

use grader::grade::{DEFAULT_PROPTEST_SEED, Options};
use grader::report;

/// Grades the concurrency katas: visible tests, hidden tests, property tests and loom models,
/// each test in its own process with a time limit.
///
/// With no arguments it grades every kata in this repository's exercises/ folder.
#[derive(Debug, Parser)]
#[command(name = "grader", version)]
struct Cli {
    /// Katas to grade (`race`, `03-race` or `3`); all of them if none is named.
    katas: Vec<String>,

    /// A clone of the repository, or a folder holding kata folders (like exercises/ or
    /// solutions/). Only each kata's src/lib.rs is read; nothing in it is written.
    #[arg(long, value_name = "DIR")]
    submission: Option<PathBuf>,

    /// How to print the report.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,

    /// Write the report to FILE instead of standard output.
    #[arg(long, value_name = "FILE")]
    output: Option<PathBuf>,

    /// How many tests run at once [default: the number of CPUs].
    #[arg(long, value_name = "N")]
    jobs: Option<usize>,

    /// The seed every property test uses (reported, so a failure can be reproduced).
    #[arg(long, value_name = "N", default_value_t = DEFAULT_PROPTEST_SEED)]
    seed: u64,

    /// Where the grader keeps its workspace and build caches [default: target/kata-grader].
    #[arg(long, value_name = "DIR")]
    work_dir: Option<PathBuf>,

    /// Cap every test's time limit at SECS (the manifests' limits are generous).
    #[arg(long, value_name = "SECS")]
    timeout_cap: Option<u64>,

    /// Finish the whole run within about SECS: checks that could not run in time are
    /// reported as not run, and the report is still complete.
    #[arg(long, value_name = "SECS")]
    time_budget: Option<u64>,

    /// No progress messages.
    #[arg(long, short)]
    quiet: bool,

    /// Exit with status 1 when the score is below the maximum (for CI steps worth points).
    #[arg(long)]
    require_full_marks: bool,

    /// --format gradescope: when students see hidden checks (visible, hidden, after_due_date
    /// or after_published), unless a check's kata.toml says [default: after_published].
    #[arg(long, value_enum, value_name = "VIS", hide_possible_values = true)]
    visibility_hidden: Option<report::Visibility>,

    /// --format gradescope: when students see loom checks (visible, hidden, after_due_date
    /// or after_published), unless a check's kata.toml says [default: after_published].
    #[arg(long, value_enum, value_name = "VIS", hide_possible_values = true)]
    visibility_loom: Option<report::Visibility>,

    /// --format gradescope: when students see property checks (visible, hidden, after_due_date
    /// or after_published), unless a check's kata.toml says [default: after_published].
    #[arg(long, value_enum, value_name = "VIS", hide_possible_values = true)]
    visibility_property: Option<report::Visibility>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// Tables per kata, with failures explained.
    Human,
    /// One JSON document: {"score", "max_score", "katas": [...]}.
    Json,
    /// Gradescope's results.json (its autograder specification).
    Gradescope,
    /// JUnit XML: a testsuite per kata, a testcase per check.
    Junit,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode, String> {
    let started = Instant::now();
    let home = grader::Home::locate().map_err(|e| e.to_string())?;
    let mut options = Options {
        katas: cli.katas,
        submission: cli.submission,
        work_dir: cli.work_dir,
        proptest_seed: cli.seed,
        timeout_cap: cli.timeout_cap.map(Duration::from_secs),
        time_budget: cli.time_budget.map(Duration::from_secs),
        ..Options::default()
    };
    if let Some(jobs) = cli.jobs {
        if jobs == 0 {
            return Err("--jobs must be at least 1".into());
        }
        options.jobs = jobs;
    }
    let progress = progress::StderrProgress::new(cli.quiet);
    let graded = grader::grade(&home, &options, &progress);
    progress.finish();
    let graded = graded.map_err(|e| e.to_string())?;

    let text = match cli.format {
        Format::Human => report::render_human(&graded.report, &graded.submission_root),
        Format::Json => report::render_json(&graded.report),
        Format::Gradescope => report::render_gradescope(
            &graded.report,
            &report::GradescopeOptions {
                hidden: cli.visibility_hidden,
                loom: cli.visibility_loom,
                property: cli.visibility_property,
                execution_time: started.elapsed(),
                ..report::GradescopeOptions::default()
            },
        ),
        Format::Junit => report::render_junit(&graded.report),
    };
    match cli.output {
        Some(path) => std::fs::write(&path, anstream::adapter::strip_str(&text).to_string())
            .map_err(|e| format!("cannot write the report to {}: {e}", path.display())),
        None => {
            let mut out = anstream::stdout();
            out.write_all(text.as_bytes())
                .and_then(|()| out.flush())
                .map_err(|e| format!("cannot print the report: {e}"))
        }
    }?;
    let (score, max) = (graded.report.score, graded.report.max_score);
    if cli.require_full_marks && score < max {
        eprintln!("scored {score}/{max}: --require-full-marks wants {max}/{max}");
        return Ok(ExitCode::FAILURE);
    }
    Ok(ExitCode::SUCCESS)
}
