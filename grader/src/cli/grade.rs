//! `grader [KATA...]`: grade and print the report. Its flags are relied on by the README, CI,
//! the tests and the Gradescope scripts, so they stay as they are.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use clap::{Args, ValueEnum};

use grader::discover::Catalog;
use grader::grade::{DEFAULT_PROPTEST_SEED, Options};
use grader::report;

use crate::cli::records::{self, Records};
use crate::cli::{Failure, INVOKE, explain, first_build};
use crate::progress::StderrProgress;

/// The flags of a grading run.
#[derive(Debug, Args)]
pub struct GradeArgs {
    /// Katas to grade (`race`, `03-race` or `3`); all of them if none is named.
    #[arg(value_name = "KATA")]
    pub katas: Vec<String>,

    /// A clone of the repository, or a folder holding kata folders (like exercises/ or
    /// solutions/). Only each kata's src/lib.rs is read; nothing in it is written.
    #[arg(long, value_name = "DIR")]
    pub submission: Option<PathBuf>,

    /// How to print the report.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,

    /// Write the report to FILE instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// How many tests run at once [default: the number of CPUs].
    #[arg(long, value_name = "N")]
    pub jobs: Option<usize>,

    /// The seed every property test uses (reported, so a failure can be reproduced).
    #[arg(long, value_name = "N", default_value_t = DEFAULT_PROPTEST_SEED)]
    pub seed: u64,

    /// Where the grader keeps its workspace and build caches [default: target/kata-grader].
    #[arg(long, value_name = "DIR")]
    pub work_dir: Option<PathBuf>,

    /// Cap every test's time limit at SECS (the manifests' limits are generous).
    #[arg(long, value_name = "SECS")]
    pub timeout_cap: Option<u64>,

    /// Finish the whole run within about SECS: checks that could not run in time are
    /// reported as not run, and the report is still complete.
    #[arg(long, value_name = "SECS")]
    pub time_budget: Option<u64>,

    /// No progress messages.
    #[arg(long, short)]
    pub quiet: bool,

    /// Exit with status 1 when the score is below the maximum (for CI steps worth points).
    #[arg(long)]
    pub require_full_marks: bool,

    /// --format gradescope: when students see hidden checks (visible, hidden, after_due_date
    /// or after_published), unless a check's kata.toml says [default: after_published].
    #[arg(long, value_enum, value_name = "VIS", hide_possible_values = true)]
    pub visibility_hidden: Option<report::Visibility>,

    /// --format gradescope: when students see loom checks (visible, hidden, after_due_date
    /// or after_published), unless a check's kata.toml says [default: after_published].
    #[arg(long, value_enum, value_name = "VIS", hide_possible_values = true)]
    pub visibility_loom: Option<report::Visibility>,

    /// --format gradescope: when students see property checks (visible, hidden, after_due_date
    /// or after_published), unless a check's kata.toml says [default: after_published].
    #[arg(long, value_enum, value_name = "VIS", hide_possible_values = true)]
    pub visibility_property: Option<report::Visibility>,

    /// A folder of your own kata folders (`03-race/kata.toml`, `hidden.rs`, ...) that replace
    /// the shipped manifests and private tests of those katas.
    #[arg(long, value_name = "DIR")]
    pub hidden_tests: Option<PathBuf>,

    /// Where the grader remembers grades for `list` [default: WORK_DIR/learner].
    #[arg(long, value_name = "DIR", hide = true)]
    pub state_dir: Option<PathBuf>,

    /// The grading workspace's name inside the work dir (several at once share the caches).
    #[arg(long, value_name = "NAME", hide = true)]
    pub workspace: Option<String>,
}

/// The report formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Tables per kata, with failures explained.
    Human,
    /// One JSON document: {"score", "max_score", "katas": [...]}.
    Json,
    /// Gradescope's results.json (its autograder specification).
    Gradescope,
    /// JUnit XML: a testsuite per kata, a testcase per check.
    Junit,
}

/// The learner commands, which a kata name could be mistaken for when typed after a flag.
const COMMANDS: [&str; 6] = ["list", "hint", "watch", "reset", "solution", "batch"];

/// Grades and prints the report.
pub fn run(args: GradeArgs) -> Result<ExitCode, Failure> {
    let started = Instant::now();
    let home = grader::Home::locate().map_err(|e| e.to_string())?;
    if let Some(command) = args.katas.iter().find(|k| COMMANDS.contains(&k.as_str())) {
        return Err(format!(
            "there is no kata called `{command}`; to run the `{command}` command, put it \
             first: `{INVOKE} {command} ...`"
        ));
    }
    let mut options = Options {
        katas: args.katas,
        submission: args.submission,
        work_dir: args.work_dir,
        proptest_seed: args.seed,
        timeout_cap: args.timeout_cap.map(Duration::from_secs),
        time_budget: args.time_budget.map(Duration::from_secs),
        hidden_tests: args.hidden_tests,
        ..Options::default()
    };
    if let Some(name) = args.workspace {
        options.workspace_name = name;
    }
    if let Some(jobs) = args.jobs {
        if jobs == 0 {
            return Err("--jobs must be at least 1".into());
        }
        options.jobs = jobs;
    }
    let work_dir = options
        .work_dir
        .clone()
        .unwrap_or_else(|| home.default_work_dir());
    let catalog = Catalog::load_with_overrides(&home, options.hidden_tests.as_deref())
        .map_err(|e| e.to_string())?;
    let remember = args.format == Format::Human && options.time_budget.is_none();
    let prints = if remember {
        fingerprints(&catalog, &home, &options)
    } else {
        Vec::new()
    };

    let progress = StderrProgress::new(args.quiet, first_build(&work_dir));
    let graded = grader::grade(&home, &options, &progress);
    progress.finish();
    let mut graded = graded.map_err(|e| e.to_string())?;

    if remember {
        let root = crate::cli::absolute(&graded.submission_root);
        let state_dir = args.state_dir.unwrap_or_else(|| work_dir.join("learner"));
        let mut records = Records::load(&state_dir);
        records.remember(&root, &graded.report, &prints);
        // Remembering is a convenience for `list`: it must never fail a grading run.
        let _ = records.save();
    }

    let text = match args.format {
        Format::Human => {
            explain::explain(&mut graded.report, &graded.submission_root, &catalog, &home);
            report::render_human(&graded.report, &graded.submission_root)
        }
        Format::Json => report::render_json(&graded.report),
        Format::Gradescope => report::render_gradescope(
            &graded.report,
            &report::GradescopeOptions {
                hidden: args.visibility_hidden,
                loom: args.visibility_loom,
                property: args.visibility_property,
                execution_time: started.elapsed(),
                ..report::GradescopeOptions::default()
            },
        ),
        Format::Junit => report::render_junit(&graded.report),
    };
    match args.output {
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
    if args.require_full_marks && score < max {
        eprintln!("scored {score}/{max}: --require-full-marks wants {max}/{max}");
        return Ok(ExitCode::FAILURE);
    }
    Ok(ExitCode::SUCCESS)
}

/// Each selected kata's fingerprint, taken before grading. Any problem (an unknown kata, a
/// missing folder) is left for the grading run itself to report in its own words.
fn fingerprints(
    catalog: &Catalog,
    home: &grader::Home,
    options: &Options,
) -> Vec<(String, Option<String>)> {
    let Ok(katas) = catalog.select(&options.katas) else {
        return Vec::new();
    };
    let path = options
        .submission
        .clone()
        .unwrap_or_else(|| home.exercises_dir());
    let Ok(submission) = grader::discover::Submission::open(&path, &katas) else {
        return Vec::new();
    };
    let root = submission.root().to_path_buf();
    katas
        .iter()
        .map(|k| (k.dir_name.clone(), records::fingerprint(k, &root)))
        .collect()
}
