//! The learner's commands (`list`, `hint`, `watch`, `reset`, `solution`) and the plain grading
//! run, each in a module of its own. This module holds what they share: where the katas and
//! the submission are, and how a command grades.
//!
//! Every command returns `Err(sentence)` for anything it cannot do; `main` prints it after
//! `error: ` and exits with status 2, as the grading run always has.

pub mod batch;
pub mod batch_signals;
pub mod explain;
pub mod grade;
pub mod hint;
pub mod interrupt;
pub mod list;
pub mod records;
pub mod reset;
pub mod solution;
pub mod stub;
pub mod watch;

use std::path::{Path, PathBuf};

use clap::Args;

use grader::discover::{Catalog, Kata, Submission};
use grader::{Graded, Home, Options};

use crate::progress::StderrProgress;
use records::Records;

/// How the README tells learners to start the grader; every "what to do next" sentence uses it
/// so the advice can be pasted into a terminal as is.
pub const INVOKE: &str = "cargo run -p grader --";

/// A command's failure: a sentence for the learner.
pub type Failure = String;

/// Where the katas are and where the grader keeps its state: the options every learner
/// command shares.
#[derive(Debug, Clone, Default, Args)]
pub struct Where {
    /// A clone of the repository, or a folder holding kata folders (like exercises/)
    /// [default: this repository's exercises/].
    #[arg(long, value_name = "DIR")]
    pub submission: Option<PathBuf>,

    /// Where the grader keeps its workspace and build caches [default: target/kata-grader].
    #[arg(long, value_name = "DIR")]
    pub work_dir: Option<PathBuf>,

    /// Where the grader remembers grades and hints seen [default: WORK_DIR/learner].
    #[arg(long, value_name = "DIR", hide = true)]
    pub state_dir: Option<PathBuf>,

    /// The grading workspace's name inside the work dir (several at once share the caches).
    #[arg(long, value_name = "NAME", hide = true)]
    pub workspace: Option<String>,

    /// No progress messages while compiling and running.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Everything a learner command needs, found once.
pub struct Context {
    /// The grader's repository.
    pub home: Home,
    /// Every kata, in order.
    pub catalog: Catalog,
    /// The options the command was given.
    pub place: Where,
    /// The grader's caches.
    pub work_dir: PathBuf,
}

impl Context {
    /// Finds the grader's home and its katas.
    pub fn new(place: &Where) -> Result<Context, Failure> {
        let home = Home::locate().map_err(|e| e.to_string())?;
        let catalog = Catalog::load(&home).map_err(|e| e.to_string())?;
        let work_dir = place
            .work_dir
            .clone()
            .unwrap_or_else(|| home.default_work_dir());
        Ok(Context {
            home,
            catalog,
            place: place.clone(),
            work_dir,
        })
    }

    /// The kata called `name` (`race`, `03-race` or `3`), or a sentence listing the katas.
    pub fn kata(&self, name: &str) -> Result<&Kata, Failure> {
        self.catalog.find(name).ok_or_else(|| {
            let known: Vec<&str> = self
                .catalog
                .katas()
                .iter()
                .map(|k| k.name.as_str())
                .collect();
            format!(
                "there is no kata called `{name}`: the katas are {}",
                known.join(", ")
            )
        })
    }

    /// The folder holding the kata folders: the submission's `exercises/`, the submission
    /// itself, or this repository's `exercises/`.
    pub fn submission_root(&self) -> Result<PathBuf, Failure> {
        let path = self
            .place
            .submission
            .clone()
            .unwrap_or_else(|| self.home.exercises_dir());
        let submission =
            Submission::open(&path, self.catalog.katas()).map_err(|e| e.to_string())?;
        Ok(absolute(submission.root()))
    }

    /// Where grades and hints seen are remembered.
    pub fn state_dir(&self) -> PathBuf {
        self.place
            .state_dir
            .clone()
            .unwrap_or_else(|| self.work_dir.join("learner"))
    }

    /// The remembered grades.
    pub fn records(&self) -> Records {
        Records::load(&self.state_dir())
    }

    /// Grading options for `katas` with everything else at the grader's defaults.
    pub fn options(&self, katas: Vec<String>) -> Options {
        let mut options = Options {
            katas,
            submission: self.place.submission.clone(),
            work_dir: Some(self.work_dir.clone()),
            ..Options::default()
        };
        if let Some(name) = &self.place.workspace {
            options.workspace_name = name.clone();
        }
        options
    }

    /// Grades `katas` (by name) with progress on stderr, and remembers the results so `list`
    /// need not grade them again while nothing changes.
    pub fn grade(&self, katas: &[String]) -> Result<Graded, Failure> {
        let options = self.options(katas.to_vec());
        let root = self.submission_root()?;
        let selected = self.catalog.select(katas).map_err(|e| e.to_string())?;
        // Read before grading: a save during the run then looks like a change, never the
        // other way round, so a remembered grade is never newer than the code it describes.
        let prints: Vec<_> = selected
            .iter()
            .map(|k| (k.dir_name.clone(), records::fingerprint(k, &root)))
            .collect();
        let progress = StderrProgress::new(self.place.quiet, first_build(&self.work_dir));
        let graded = grader::grade(&self.home, &options, &progress);
        progress.finish();
        let graded = graded.map_err(|e| e.to_string())?;
        let mut records = self.records();
        records.remember(&root, &graded.report, &prints);
        // Remembering is a convenience: a read-only work dir must not fail the grading.
        let _ = records.save();
        Ok(graded)
    }
}

/// Whether the grader has never built in `work_dir`, so the dependencies compile first.
pub fn first_build(work_dir: &Path) -> bool {
    !work_dir.join("build").is_dir()
}

/// `path` made absolute against the current directory, so remembered entries match whichever
/// directory the learner runs from.
pub fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

/// A path relative to the current directory when it is below it, for messages.
pub fn shown(path: &Path) -> String {
    let cwd = std::env::current_dir().ok();
    let path = absolute(path);
    cwd.as_deref()
        .and_then(|cwd| path.strip_prefix(cwd).ok())
        .unwrap_or(&path)
        .display()
        .to_string()
}
