//! The reports folder: each student's JSON report and, beside it, a `.meta` saying what was
//! graded, which is how a rerun knows whom it may skip.

use crate::files::write_atomically;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::GradeError;
use crate::report::{self, Report};

/// What a report was graded from. A rerun skips a student only when all three match.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meta {
    /// The grader's version (`CARGO_PKG_VERSION`).
    pub grader_version: String,
    /// The hash of the student's graded `lib.rs` files (see `intake::submission_hash`).
    pub submission: String,
    /// The hash of what they were graded against: the kata selection, each kata's manifest
    /// and test files (a teacher's `--hidden-tests` included), the seed and the time
    /// limits. Changing the tests must regrade everyone, even with the same grader version.
    pub grading: String,
}

/// One kata's score, read back from a stored report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KataScore {
    /// The kata's name (`race`).
    pub name: String,
    /// Points earned.
    pub score: u32,
    /// Points available.
    pub max_score: u32,
}

/// The folder holding every student's `<student>.json` and `<student>.meta`.
#[derive(Debug, Clone)]
pub struct Store {
    dir: PathBuf,
}

impl Store {
    /// The reports folder at `dir`, created if needed.
    pub fn open(dir: &Path) -> Result<Store, GradeError> {
        std::fs::create_dir_all(dir).map_err(|e| {
            GradeError::io(
                format!("cannot create the reports folder {}", dir.display()),
                e,
            )
        })?;
        Ok(Store {
            dir: dir.to_path_buf(),
        })
    }

    /// The folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Where `student`'s JSON report is.
    pub fn report_path(&self, student: &str) -> PathBuf {
        self.dir.join(format!("{student}.json"))
    }

    fn meta_path(&self, student: &str) -> PathBuf {
        self.dir.join(format!("{student}.meta"))
    }

    /// The scores of `student`'s stored report, when it was graded exactly as `meta` says
    /// (anything unreadable or different means: grade again).
    pub fn current(&self, student: &str, meta: &Meta) -> Option<Vec<KataScore>> {
        let stored: Meta =
            serde_json::from_str(&std::fs::read_to_string(self.meta_path(student)).ok()?).ok()?;
        if &stored != meta {
            return None;
        }
        let report: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(self.report_path(student)).ok()?).ok()?;
        report
            .get("katas")?
            .as_array()?
            .iter()
            .map(|k| {
                let number = |key: &str| u32::try_from(k.get(key)?.as_u64()?).ok();
                Some(KataScore {
                    name: k.get("name")?.as_str()?.to_string(),
                    score: number("score")?,
                    max_score: number("max_score")?,
                })
            })
            .collect()
    }

    /// Drops `student`'s meta before a regrade, so an interrupted regrade can never leave an
    /// old report looking current.
    pub fn forget(&self, student: &str) {
        let _ = std::fs::remove_file(self.meta_path(student));
    }

    /// Writes `student`'s report, then its meta. Each file is written whole through a rename,
    /// and the meta last, so a report is trusted on a rerun only once it is complete.
    pub fn save(&self, student: &str, report: &Report, meta: &Meta) -> std::io::Result<()> {
        write_atomically(
            &self.report_path(student),
            report::render_json(report).as_bytes(),
        )?;
        let meta = serde_json::to_string_pretty(meta).map_err(std::io::Error::other)? + "\n";
        write_atomically(&self.meta_path(student), meta.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(submission: &str) -> Meta {
        Meta {
            grader_version: "1.0.0".into(),
            submission: submission.into(),
            grading: "g".into(),
        }
    }

    #[test]
    fn a_report_is_current_only_with_the_same_meta() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("reports")).unwrap();
        let report = Report::new(Vec::new(), 1);
        assert_eq!(store.current("alice", &meta("a")), None);
        store.save("alice", &report, &meta("a")).unwrap();
        assert_eq!(store.current("alice", &meta("a")), Some(Vec::new()));
        assert_eq!(store.current("alice", &meta("b")), None);
        store.forget("alice");
        assert_eq!(store.current("alice", &meta("a")), None);
    }

    #[test]
    fn a_damaged_report_is_not_current() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        store
            .save("bob", &Report::new(Vec::new(), 1), &meta("a"))
            .unwrap();
        std::fs::write(store.report_path("bob"), "{ not json").unwrap();
        assert_eq!(store.current("bob", &meta("a")), None);
    }
}
