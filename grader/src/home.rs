//! Finding the grader's home: the repository that holds the grader, its katas and kata-sync.
//!
//! The grader reads its tests from its own repository, never from the submission, so a learner
//! cannot change what they are graded against by editing files they were given.

use std::path::{Path, PathBuf};

use crate::error::GradeError;

/// The environment variable that overrides where the grader looks for its own files.
pub const HOME_ENV: &str = "KATA_GRADER_HOME";

/// The grader's repository and the paths inside it the grader relies on.
#[derive(Debug, Clone)]
pub struct Home {
    root: PathBuf,
}

impl Home {
    /// Uses `KATA_GRADER_HOME` if set, else the repository this grader was built from.
    pub fn locate() -> Result<Home, GradeError> {
        let root = match std::env::var_os(HOME_ENV) {
            Some(dir) => PathBuf::from(dir),
            None => Path::new(env!("CARGO_MANIFEST_DIR"))
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_else(|| PathBuf::from(".")),
        };
        Home::at(root)
    }

    /// A home at `root`, checked to hold the grader's katas and kata-sync.
    pub fn at(root: PathBuf) -> Result<Home, GradeError> {
        let home = Home { root };
        for needed in [home.katas_dir(), home.kata_sync_dir()] {
            if !needed.is_dir() {
                return Err(GradeError::Home(format!(
                    "{} is missing; set {HOME_ENV} to the root of the kata repository",
                    needed.display()
                )));
            }
        }
        Ok(home)
    }

    /// The repository root.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// `grader/katas/`: one folder per kata with its manifest and private tests.
    pub fn katas_dir(&self) -> PathBuf {
        self.root.join("grader").join("katas")
    }

    /// `exercises/`: the stubs, the lessons and the visible tests.
    pub fn exercises_dir(&self) -> PathBuf {
        self.root.join("exercises")
    }

    /// `kata-sync/`: the crate every kata builds against.
    pub fn kata_sync_dir(&self) -> PathBuf {
        self.root.join("kata-sync")
    }

    /// The repository's lock file, reused so the grader's builds resolve the same versions
    /// (and so need no network once the repository has been built once).
    pub fn lock_file(&self) -> PathBuf {
        self.root.join("Cargo.lock")
    }

    /// Where the grader keeps its own workspaces and build caches by default.
    pub fn default_work_dir(&self) -> PathBuf {
        self.root.join("target").join("kata-grader")
    }
}
