//! `grader batch SUBMISSIONS_DIR --out grades.csv [KATA...]`: grade a whole class.
//!
//! The work is `grader::batch`; this module reads the flags and shows progress: a bar with an
//! ETA on a terminal, one plain line per student otherwise (a CI log or `nohup` file), and a
//! summary on standard output at the end.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};

use grader::batch::{self, Batch, BatchOptions, BatchProgress, Outcome, Row};
use grader::grade::DEFAULT_PROPTEST_SEED;

use crate::cli::{Failure, batch_signals, shown};

/// The flags of `grader batch`.
#[derive(Debug, Args)]
pub struct BatchArgs {
    /// The folder holding one entry per student: a folder (a clone of this repository, its
    /// exercises/ folder, or kata folders) or a .zip of one. The entry's name, without .zip,
    /// is the student's name in the gradebook.
    #[arg(value_name = "SUBMISSIONS_DIR")]
    pub submissions: PathBuf,

    /// Katas to grade (`race`, `03-race` or `3`); all of them if none is named.
    #[arg(value_name = "KATA")]
    pub katas: Vec<String>,

    /// The CSV gradebook to write: one row per student, a column per kata, total, max,
    /// problem.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,

    /// Where each student's JSON report goes [default: `<FILE stem>-reports/` beside FILE].
    #[arg(long, value_name = "DIR")]
    pub reports: Option<PathBuf>,

    /// How many submissions are graded at once [default: one per two CPUs].
    #[arg(long, value_name = "N")]
    pub jobs: Option<usize>,

    /// A folder of your own kata folders (`03-race/kata.toml`, `hidden.rs`, ...) that replace
    /// the shipped manifests and private tests of those katas.
    #[arg(long, value_name = "DIR")]
    pub hidden_tests: Option<PathBuf>,

    /// Cap every test's time limit at SECS (the manifests' limits are generous).
    #[arg(long, value_name = "SECS")]
    pub timeout_cap: Option<u64>,

    /// The seed every property test uses.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_PROPTEST_SEED)]
    pub seed: u64,

    /// Where the grader keeps its workspaces and build caches [default: target/kata-grader].
    #[arg(long, value_name = "DIR")]
    pub work_dir: Option<PathBuf>,

    /// The workers' workspaces are PREFIX-0, PREFIX-1... in the work dir.
    #[arg(long, value_name = "PREFIX", default_value = "batch", hide = true)]
    pub workspace_prefix: String,

    /// No progress messages (the summary is still printed).
    #[arg(long, short)]
    pub quiet: bool,
}

/// Grades the class and prints a summary.
pub fn run(args: BatchArgs) -> Result<ExitCode, Failure> {
    // Ctrl-C must also stop the tests, which run in process groups of their own. What was
    // graded so far is kept; the next run resumes from there.
    batch_signals::exit_cleanly_on_interrupt(|| {
        eprintln!(
            "\ninterrupted: the reports written so far are kept; run the same command again \
             to grade the rest"
        );
    })?;
    let home = grader::Home::locate().map_err(|e| e.to_string())?;
    let workers = match args.jobs {
        Some(0) => return Err("--jobs must be at least 1".into()),
        Some(n) => n,
        None => batch::default_workers(),
    };
    let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut options = BatchOptions::new(args.submissions, args.out);
    options.reports = args.reports;
    options.workers = workers;
    options.workspace_prefix = args.workspace_prefix;
    options.grading.katas = args.katas;
    options.grading.work_dir = args.work_dir;
    options.grading.hidden_tests = args.hidden_tests;
    options.grading.proptest_seed = args.seed;
    options.grading.timeout_cap = args.timeout_cap.map(Duration::from_secs);
    // The CPUs are shared between the submissions graded at once.
    options.grading.jobs = (cpus / workers).max(1);

    let progress = Display::new(args.quiet);
    let result = batch::run(&home, &options, &progress);
    progress.finish();
    let batch = result.map_err(|e| e.to_string())?;
    println!("{}", summary(&batch));
    Ok(ExitCode::SUCCESS)
}

/// What the batch did, where its results are, and what a submission cost.
fn summary(batch: &Batch) -> String {
    let count = |f: &dyn Fn(&Row) -> bool| batch.rows.iter().filter(|r| f(r)).count();
    let graded = count(&|r| matches!(r.outcome, Outcome::Graded(_)));
    let resumed = count(&|r| r.outcome == Outcome::Resumed);
    let problems = count(&|r| r.problem.is_some());
    let mut lines = vec![
        format!(
            "{} students: {graded} graded, {resumed} already graded (skipped), {problems} with a \
             problem (see the problem column)",
            batch.rows.len()
        ),
        format!(
            "gradebook: {}; reports: {}/",
            shown(&batch.csv),
            shown(&batch.reports)
        ),
    ];
    let times = |first: bool| -> Vec<f64> {
        batch
            .rows
            .iter()
            .filter_map(|r| match &r.outcome {
                Outcome::Graded(t) if t.first_in_workspace == first => Some(t.took.as_secs_f64()),
                _ => None,
            })
            .collect()
    };
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    let (firsts, laters) = (times(true), times(false));
    if !firsts.is_empty() && !laters.is_empty() {
        lines.push(format!(
            "time per submission: {:.1} s for each worker's first, {:.1} s on average after it",
            mean(&firsts),
            mean(&laters)
        ));
    }
    lines.join("\n")
}

/// Progress on stderr: a bar with an ETA on a terminal, plain lines otherwise.
struct Display {
    bar: Option<ProgressBar>,
    quiet: bool,
    done: AtomicUsize,
    total: AtomicUsize,
}

impl Display {
    fn new(quiet: bool) -> Display {
        let bar = (!quiet && std::io::stderr().is_terminal()).then(|| {
            let bar = ProgressBar::new_spinner();
            bar.set_message("looking at the submissions");
            bar.enable_steady_tick(Duration::from_millis(120));
            bar
        });
        Display {
            bar,
            quiet,
            done: AtomicUsize::new(0),
            total: AtomicUsize::new(0),
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }

    fn line(&self, text: &str) {
        if self.quiet {
            return;
        }
        match &self.bar {
            Some(bar) => bar.println(format!("grader: {text}")),
            None => eprintln!("grader: {text}"),
        }
    }
}

/// A row's score, or its problem.
fn result(row: &Row) -> String {
    match &row.problem {
        Some(problem) if row.total == 0 => format!("not graded: {problem}"),
        Some(problem) => format!("{}/{} ({problem})", row.total, row.max),
        None => format!("{}/{}", row.total, row.max),
    }
}

impl BatchProgress for Display {
    fn noted(&self, row: &Row) {
        let text = match row.outcome {
            Outcome::Resumed => format!(
                "{}: {}, already graded with this grader version and the same submission \
                 (skipped)",
                row.student,
                result(row)
            ),
            _ => format!("{}: {}", row.student, result(row)),
        };
        self.line(&text);
    }

    fn planned(&self, to_grade: usize, resumed: usize) {
        self.total.store(to_grade, Ordering::Relaxed);
        self.line(&format!(
            "grading {to_grade} submissions ({resumed} decided without grading)"
        ));
        if let Some(bar) = &self.bar {
            bar.set_length(to_grade as u64);
            bar.set_position(0);
            bar.set_style(
                ProgressStyle::with_template(
                    "{spinner} [{elapsed_precise}] {bar:30} {pos}/{len} submissions, ETA {eta} \
                     {msg}",
                )
                .expect("valid template")
                .progress_chars("#>-"),
            );
            bar.set_message(String::new());
        }
    }

    fn started(&self, student: &str, _worker: usize) {
        if let Some(bar) = &self.bar {
            bar.set_message(format!("grading {student}"));
        }
    }

    fn finished(&self, row: &Row) {
        let done = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        let total = self.total.load(Ordering::Relaxed);
        let took = match &row.outcome {
            Outcome::Graded(t) => format!(" in {:.1} s", t.took.as_secs_f64()),
            _ => String::new(),
        };
        self.line(&format!(
            "[{done}/{total}] {}: {}{took}",
            row.student,
            result(row)
        ));
        if let Some(bar) = &self.bar {
            bar.inc(1);
        }
    }
}
