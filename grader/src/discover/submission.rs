//! The submission: where each kata's `src/lib.rs` is, read without ever writing to it.

use std::path::{Path, PathBuf};

use crate::discover::catalog::{Kata, split_dir_name};
use crate::error::GradeError;

/// The largest `lib.rs` the grader accepts; anything bigger is not a kata answer.
pub const MAX_SOURCE_BYTES: u64 = 1024 * 1024;

/// A folder of kata folders: a clone's `exercises/`, or a folder shaped like it.
#[derive(Debug, Clone)]
pub struct Submission {
    root: PathBuf,
}

/// What the submission holds for one kata.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SubmittedSource {
    /// The kata's `src/lib.rs` and its text.
    Found {
        /// Where it was read from.
        path: PathBuf,
        /// Its contents.
        text: String,
    },
    /// No usable `src/lib.rs`; the sentence says why and what to do.
    Missing {
        /// A sentence for the learner.
        reason: String,
    },
}

impl Submission {
    /// Opens `path`: a clone of the repository (its `exercises/` is used) or a folder that
    /// holds kata folders directly. Fails when it holds none of `katas`.
    pub fn open(path: &Path, katas: &[Kata]) -> Result<Submission, GradeError> {
        if !path.exists() {
            return Err(GradeError::SubmissionMissing(path.to_path_buf()));
        }
        if !path.is_dir() {
            return Err(GradeError::SubmissionNotADirectory(path.to_path_buf()));
        }
        let exercises = path.join("exercises");
        let root = if exercises.is_dir() {
            exercises
        } else {
            path.to_path_buf()
        };
        let submission = Submission { root };
        if !katas.iter().any(|k| submission.kata_dir(k).is_dir()) {
            return Err(GradeError::SubmissionEmpty {
                path: submission.root.clone(),
                expected: katas
                    .iter()
                    .map(|k| k.dir_name.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            });
        }
        Ok(submission)
    }

    /// The folder that holds the kata folders.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Where `kata`'s folder is expected.
    pub fn kata_dir(&self, kata: &Kata) -> PathBuf {
        self.root.join(&kata.dir_name)
    }

    /// Reads `kata`'s `src/lib.rs`, or says why it cannot be used.
    pub fn source(&self, kata: &Kata) -> SubmittedSource {
        let dir = self.kata_dir(kata);
        let path = dir.join("src").join("lib.rs");
        if !dir.is_dir() {
            let mut reason = format!(
                "the submission has no {} folder, so this kata scores 0",
                kata.dir_name
            );
            if let Some(near) = self.near_miss(kata) {
                reason.push_str(&format!(
                    " (found `{near}`: rename it to `{}`)",
                    kata.dir_name
                ));
            }
            return SubmittedSource::Missing { reason };
        }
        match std::fs::metadata(&path) {
            Err(_) => SubmittedSource::Missing {
                reason: format!(
                    "{} has no src/lib.rs: the grader takes only that file from each kata folder",
                    dir.display()
                ),
            },
            Ok(meta) if meta.len() > MAX_SOURCE_BYTES => SubmittedSource::Missing {
                reason: format!(
                    "{} is {} bytes; the grader accepts at most {MAX_SOURCE_BYTES}",
                    path.display(),
                    meta.len()
                ),
            },
            Ok(_) => match std::fs::read(&path) {
                Err(e) => SubmittedSource::Missing {
                    reason: format!("cannot read {}: {e}", path.display()),
                },
                Ok(bytes) => match String::from_utf8(bytes) {
                    Ok(text) => SubmittedSource::Found { path, text },
                    Err(_) => SubmittedSource::Missing {
                        reason: format!("{} is not UTF-8 text", path.display()),
                    },
                },
            },
        }
    }

    /// A folder that is probably `kata` under another name (`3-race`, `race`, `03-Race`).
    fn near_miss(&self, kata: &Kata) -> Option<String> {
        let entries = std::fs::read_dir(&self.root).ok()?;
        entries
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .find(|name| {
                let lower = name.to_ascii_lowercase();
                lower == kata.name
                    || split_dir_name(&lower)
                        .is_some_and(|(n, s)| s == kata.name || n == kata.number)
            })
    }
}
