//! Errors that stop a grading run before it can produce a report.
//!
//! Everything that goes wrong with one kata (it does not compile, a test hangs) is part of the
//! report instead; these are only for problems with the run as a whole, and every message says
//! what happened and what to do about it.

use std::path::PathBuf;

/// A reason the grader could not grade at all. Displayed as a sentence to the user.
#[derive(Debug, thiserror::Error)]
pub enum GradeError {
    /// The folder given with `--submission` does not exist.
    #[error(
        "the submission folder {0} does not exist: pass a clone of this repository, or a folder holding kata folders such as `03-race/src/lib.rs`"
    )]
    SubmissionMissing(PathBuf),

    /// The submission path exists but is not a folder.
    #[error(
        "the submission {0} is not a folder: pass a clone of this repository, or a folder holding kata folders such as `03-race/src/lib.rs`"
    )]
    SubmissionNotADirectory(PathBuf),

    /// The submission folder holds none of the katas.
    #[error(
        "{path} holds none of the kata folders ({expected}): pass a clone of this repository, its `exercises/` folder, or a folder shaped like it"
    )]
    SubmissionEmpty {
        /// The folder searched.
        path: PathBuf,
        /// The kata folder names it should hold.
        expected: String,
    },

    /// A kata named on the command line does not exist.
    #[error("there is no kata called `{name}`: the katas are {known}")]
    UnknownKata {
        /// What the user typed.
        name: String,
        /// The known katas, comma-separated.
        known: String,
    },

    /// The grader's own files (manifests, tests) are missing or malformed.
    #[error("the grader's own files are broken: {0}")]
    Home(String),

    /// Cargo itself could not run or could not even start the build.
    #[error("{0}")]
    Build(String),

    /// Reading or writing the grader's scratch space failed.
    #[error("{what}: {source}")]
    Io {
        /// What the grader was doing.
        what: String,
        /// The underlying error.
        source: std::io::Error,
    },
}

impl GradeError {
    /// Wraps an I/O error with a sentence saying what the grader was doing.
    pub fn io(what: impl Into<String>, source: std::io::Error) -> GradeError {
        GradeError::Io {
            what: what.into(),
            source,
        }
    }
}
