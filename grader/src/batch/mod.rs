//! Batch grading: a whole class in one run, into a CSV gradebook and one JSON report per
//! student.
//!
//! Every entry of the submissions folder is one student (a folder or a .zip). Their sources
//! are staged ([`intake`], [`unzip`]), compared with what an earlier run already graded
//! ([`store`]), and the rest are graded by the ordinary engine, several at once ([`pool`]):
//! each worker has a grading workspace of its own, and all of them share the work dir's build
//! caches, so the dependencies are compiled once and a submission costs only the rebuild of
//! the katas it changes. The [`gradebook`] is written last.
//!
//! A student's entry never stops the batch: whatever goes wrong with it (not a zip, no kata
//! folder, grading failed, even a bug in the grader) becomes their row's `problem`.

pub mod gradebook;
pub mod intake;
pub mod pool;
pub mod store;
pub mod unzip;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::discover::{Catalog, Kata};
use crate::error::GradeError;
use crate::fingerprint::Fingerprint;
use crate::grade::Options;
use crate::home::Home;
use intake::Entry;
use pool::Job;
use store::{KataScore, Meta, Store};

/// What to grade and where the results go.
#[derive(Debug, Clone)]
pub struct BatchOptions {
    /// The folder holding one folder or .zip per student.
    pub submissions: PathBuf,
    /// The CSV gradebook to write.
    pub csv: PathBuf,
    /// The folder for each student's report [default: [`default_reports_dir`]].
    pub reports: Option<PathBuf>,
    /// How many submissions are graded at once.
    pub workers: usize,
    /// The workers' workspaces are `<prefix>-<worker>` in the work dir. Kept from one run to
    /// the next, so a rerun finds its katas' build output in place.
    pub workspace_prefix: String,
    /// How each submission is graded: katas, work dir, test jobs, seed, time limits, hidden
    /// tests. Its `submission` and `workspace_name` are set per student.
    pub grading: Options,
}

impl BatchOptions {
    /// Grading `submissions` into `csv` with the defaults.
    pub fn new(submissions: PathBuf, csv: PathBuf) -> BatchOptions {
        BatchOptions {
            submissions,
            csv,
            reports: None,
            workers: default_workers(),
            workspace_prefix: "batch".into(),
            grading: Options::default(),
        }
    }
}

/// One submission per two CPUs, at least one: a grading alternates between compiling (cargo
/// uses every CPU, and the shared build cache lets one build run at a time) and running
/// tests, so two gradings keep two CPUs busy without starving each other's time limits.
pub fn default_workers() -> usize {
    std::thread::available_parallelism().map_or(1, |n| (n.get() / 2).max(1))
}

/// `<csv stem>-reports/` next to the CSV (`grades.csv` -> `grades-reports/`).
pub fn default_reports_dir(csv: &Path) -> PathBuf {
    let stem = csv
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "grades".into());
    csv.with_file_name(format!("{stem}-reports"))
}

/// One student's line in the gradebook.
#[derive(Debug, Clone)]
pub struct Row {
    /// The entry's name without `.zip`.
    pub student: String,
    /// Each selected kata's score, in catalog order.
    pub scores: Vec<u32>,
    /// Their sum.
    pub total: u32,
    /// The most the selected katas are worth.
    pub max: u32,
    /// Why the student could not be graded, in one line (then every score is 0).
    pub problem: Option<String>,
    /// How the row came about.
    pub outcome: Outcome,
}

/// How a row came about.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Graded in this run.
    Graded(Timing),
    /// Taken from the report of an earlier run: same grader, same code, same tests.
    Resumed,
    /// Not graded: the row's `problem` says why.
    NotGraded,
}

/// How long a grading took, for the progress display and the benchmark.
#[derive(Debug, Clone, PartialEq)]
pub struct Timing {
    /// The worker that graded it.
    pub worker: usize,
    /// Whether it was that worker's first in this run (its katas built from scratch in its
    /// workspace, unless a previous run left them).
    pub first_in_workspace: bool,
    /// The wall time of the grading (staging and saving excluded).
    pub took: Duration,
}

/// Told how the batch is going, for a progress display.
pub trait BatchProgress: Sync {
    /// A row decided without grading: resumed, or a submission that cannot be graded.
    fn noted(&self, _row: &Row) {}
    /// Every submission was looked at: `to_grade` will be graded now.
    fn planned(&self, _to_grade: usize, _resumed: usize) {}
    /// A worker started grading `student`.
    fn started(&self, _student: &str, _worker: usize) {}
    /// A grading finished.
    fn finished(&self, _row: &Row) {}
}

/// Shows nothing.
pub struct Quiet;
impl BatchProgress for Quiet {}

/// A finished batch.
#[derive(Debug, Clone)]
pub struct Batch {
    /// The kata columns, in catalog order.
    pub katas: Vec<String>,
    /// One row per student, by name.
    pub rows: Vec<Row>,
    /// The gradebook written.
    pub csv: PathBuf,
    /// The reports folder.
    pub reports: PathBuf,
}

/// Grades every submission in `options.submissions` and writes the gradebook. Fails only
/// for what stops the whole batch (no such folder, an unknown kata, broken hidden tests, an
/// unwritable gradebook), never for one student's submission.
pub fn run(
    home: &Home,
    options: &BatchOptions,
    progress: &dyn BatchProgress,
) -> Result<Batch, GradeError> {
    let catalog = Catalog::load_with_overrides(home, options.grading.hidden_tests.as_deref())?;
    let katas = catalog.select(&options.grading.katas)?;
    let reports = options
        .reports
        .clone()
        .unwrap_or_else(|| default_reports_dir(&options.csv));
    let entries = intake::list(
        &options.submissions,
        &[options.csv.clone(), reports.clone()],
    )?;
    if entries.is_empty() {
        return Err(invalid(
            format!("{} holds no submissions", options.submissions.display()),
            "put one folder or .zip per student in it",
        ));
    }
    // Found out now rather than after grading the whole class.
    if options.csv.is_dir() {
        return Err(invalid(
            format!("cannot write the gradebook {}", options.csv.display()),
            "it is a folder; name a .csv file",
        ));
    }
    if let Some(parent) = options.csv.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .map_err(|e| GradeError::io(format!("cannot create {}", parent.display()), e))?;
    }
    let store = Store::open(&reports)?;
    let work_dir = options
        .grading
        .work_dir
        .clone()
        .unwrap_or_else(|| home.default_work_dir());
    let staging = staging_dir(&work_dir)?;
    let columns = Columns::new(&katas);
    let grading = grading_hash(&katas, &options.grading);

    let mut rows = Vec::new();
    let mut jobs = Vec::new();
    for (student, group) in by_student(entries) {
        let row = |problem: String| columns.problem_row(&student, &problem);
        let [entry] = group.as_slice() else {
            let names: Vec<String> = group.iter().map(entry_name).collect();
            let row = row(format!(
                "{} submissions share this name ({}): keep one",
                names.len(),
                names.join(", ")
            ));
            progress.noted(&row);
            rows.push(row);
            continue;
        };
        let into = staging.join(&student);
        let staged = match pool::catching(|| intake::stage(entry, &into, &katas)) {
            Ok(Ok(staged)) => staged,
            Ok(Err(problem)) | Err(problem) => {
                let _ = std::fs::remove_dir_all(&into);
                let row = row(problem);
                progress.noted(&row);
                rows.push(row);
                continue;
            }
        };
        let meta = Meta {
            grader_version: env!("CARGO_PKG_VERSION").to_string(),
            submission: staged.hash.clone(),
            grading: grading.clone(),
        };
        if let Some(scores) = store.current(&student, &meta) {
            let _ = std::fs::remove_dir_all(&into);
            let row = columns.resumed_row(&student, &scores);
            progress.noted(&row);
            rows.push(row);
            continue;
        }
        jobs.push(Job {
            student,
            staged,
            meta,
        });
    }
    progress.planned(jobs.len(), rows.len());

    let ctx = pool::Context {
        home,
        options,
        columns: &columns,
        store: &store,
    };
    rows.extend(pool::grade_all(&ctx, jobs, progress));
    rows.sort_by(|a, b| a.student.cmp(&b.student));
    let _ = std::fs::remove_dir_all(&staging);

    gradebook::write(&options.csv, &columns.names, &rows)?;
    Ok(Batch {
        katas: columns.names,
        rows,
        csv: options.csv.clone(),
        reports,
    })
}

/// The selected katas, as the gradebook's columns.
#[derive(Debug, Clone)]
pub(crate) struct Columns {
    names: Vec<String>,
    max: u32,
}

impl Columns {
    fn new(katas: &[Kata]) -> Columns {
        Columns {
            names: katas.iter().map(|k| k.name.clone()).collect(),
            max: katas.iter().map(Kata::max_score).sum(),
        }
    }

    /// A row of zeros, with the reason in one line (a CSV cell a spreadsheet shows whole).
    pub(crate) fn problem_row(&self, student: &str, problem: &str) -> Row {
        Row {
            student: student.to_string(),
            scores: vec![0; self.names.len()],
            total: 0,
            max: self.max,
            problem: Some(one_line(problem)),
            outcome: Outcome::NotGraded,
        }
    }

    /// A row from the scores of a report; a kata the report lacks scores 0.
    pub(crate) fn scored_row(&self, student: &str, scores: &[KataScore], outcome: Outcome) -> Row {
        let scores: Vec<u32> = self
            .names
            .iter()
            .map(|name| {
                scores
                    .iter()
                    .find(|s| &s.name == name)
                    .map_or(0, |s| s.score)
            })
            .collect();
        Row {
            student: student.to_string(),
            total: scores.iter().sum(),
            scores,
            max: self.max,
            problem: None,
            outcome,
        }
    }

    fn resumed_row(&self, student: &str, scores: &[KataScore]) -> Row {
        self.scored_row(student, scores, Outcome::Resumed)
    }
}

/// Groups entries by student, in name order: `alice/` and `alice.zip` are one student twice.
fn by_student(entries: Vec<Entry>) -> BTreeMap<String, Vec<Entry>> {
    let mut groups: BTreeMap<String, Vec<Entry>> = BTreeMap::new();
    for entry in entries {
        groups.entry(entry.student.clone()).or_default().push(entry);
    }
    groups
}

fn entry_name(entry: &Entry) -> String {
    entry
        .path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// A batch-stopping error about the teacher's input: [`GradeError`] has no variant for it,
/// and an I/O error of kind `InvalidInput` prints as `what: sentence`, which reads as one.
fn invalid(what: String, sentence: &str) -> GradeError {
    GradeError::io(
        what,
        std::io::Error::new(std::io::ErrorKind::InvalidInput, sentence),
    )
}

/// `text` on one line, its whitespace runs made single spaces.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The hash of everything besides the student's code that decides a grade.
fn grading_hash(katas: &[Kata], options: &Options) -> String {
    let mut hash = Fingerprint::new();
    hash.add(options.proptest_seed.to_string().as_bytes());
    for limit in [options.timeout_cap, options.time_budget] {
        hash.add(format!("{:?}", limit.map(|d| d.as_millis())).as_bytes());
    }
    for kata in katas {
        hash.add(kata.dir_name.as_bytes());
        hash.add(&std::fs::read(kata.private_dir.join("kata.toml")).unwrap_or_default());
        for (kind, file) in &kata.test_files {
            hash.add(kind.target().as_bytes());
            hash.add(&std::fs::read(file).unwrap_or_default());
        }
    }
    hash.text()
}

/// A staging folder for this process under `work_dir/batch-staging/`, after removing those
/// of runs that ended without cleaning up (their process is gone). Per process, so two
/// batches sharing a work dir never stage into each other's folders.
fn staging_dir(work_dir: &Path) -> Result<PathBuf, GradeError> {
    let parent = work_dir.join("batch-staging");
    if let Ok(entries) = std::fs::read_dir(&parent) {
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let alive = name
                .parse::<u32>()
                .is_ok_and(|pid| Path::new("/proc").join(pid.to_string()).exists());
            if !alive {
                let _ = std::fs::remove_dir_all(entry.path());
            }
        }
    }
    let dir = parent.join(std::process::id().to_string());
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)
        .map_err(|e| GradeError::io(format!("cannot create {}", dir.display()), e))?;
    Ok(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_sit_next_to_the_gradebook() {
        assert_eq!(
            default_reports_dir(Path::new("out/grades.csv")),
            Path::new("out/grades-reports")
        );
        assert_eq!(
            default_reports_dir(Path::new("book")),
            Path::new("book-reports")
        );
    }

    #[test]
    fn problems_fit_on_one_line() {
        assert_eq!(one_line("a\n  b\tc \n"), "a b c");
    }
}
