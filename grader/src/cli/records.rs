//! The grades the grader remembers, so `list` and `solution` answer at once while nothing
//! changed.
//!
//! Each record is keyed by the submission folder and the kata, and carries a fingerprint of
//! everything the grade depends on: the learner's `src/lib.rs`, the kata's manifest and test
//! files, and the grader's version. A record whose fingerprint no longer matches is stale and
//! the kata is graded again. That is cheaper and more honest than trusting file times, which
//! editors, `git checkout` and copies all change without changing the code.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use grader::discover::Kata;
use grader::files::write_atomically;
use grader::fingerprint::Fingerprint;
use grader::report::{KataState, Report, Status};

/// The file, inside the state folder.
const FILE: &str = "grades.json";

/// Where a kata stood at its last grade: the report's own state, which reads back from JSON.
pub type Standing = KataState;

/// One kata's last grade.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    /// What the grade was computed from (see [`fingerprint`]).
    pub fingerprint: String,
    /// Points earned.
    pub score: u32,
    /// Points available.
    pub max_score: u32,
    /// Where the kata stood.
    pub standing: Standing,
    /// The name of the first check that did not pass, if any.
    #[serde(default)]
    pub first_failure: Option<String>,
    /// When it was graded, in seconds since 1970.
    pub graded_at: u64,
}

/// Every remembered grade, read from and written to one JSON file.
#[derive(Debug, Clone)]
pub struct Records {
    path: PathBuf,
    entries: BTreeMap<String, Record>,
}

impl Records {
    /// Reads the records in `state_dir`; none if the file is missing or unreadable (it is a
    /// cache: losing it costs one grade).
    pub fn load(state_dir: &Path) -> Records {
        let path = state_dir.join(FILE);
        let entries = std::fs::read_to_string(&path)
            .ok()
            .and_then(|text| serde_json::from_str(&text).ok())
            .unwrap_or_default();
        Records { path, entries }
    }

    /// The last grade of `kata` in the submission at `root`, whatever it was computed from.
    pub fn get(&self, root: &Path, kata: &Kata) -> Option<&Record> {
        self.entries.get(&key(root, &kata.dir_name))
    }

    /// The last grade of `kata` if it still describes the code as it is now.
    pub fn fresh(&self, root: &Path, kata: &Kata) -> Option<&Record> {
        let now = fingerprint(kata, root)?;
        self.get(root, kata).filter(|r| r.fingerprint == now)
    }

    /// Remembers the katas of `report`; `prints` holds each kata's fingerprint taken before
    /// grading (by folder name). A kata without one (no `src/lib.rs`) is forgotten.
    pub fn remember(&mut self, root: &Path, report: &Report, prints: &[(String, Option<String>)]) {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        for kata in &report.katas {
            let key = key(root, &kata.dir);
            let print = prints
                .iter()
                .find(|(dir, _)| *dir == kata.dir)
                .and_then(|(_, p)| p.clone());
            let Some(fingerprint) = print else {
                self.entries.remove(&key);
                continue;
            };
            let first_failure = kata
                .checks
                .iter()
                .find(|c| c.status != Status::Passed)
                .map(|c| c.name.clone());
            self.entries.insert(
                key,
                Record {
                    fingerprint,
                    score: kata.score,
                    max_score: kata.max_score,
                    standing: kata.state,
                    first_failure,
                    graded_at: now,
                },
            );
        }
    }

    /// Writes the records, replacing the file in one step so a reader never sees half of it.
    /// Entries of submission folders that no longer exist (temporary folders) are dropped.
    pub fn save(&mut self) -> std::io::Result<()> {
        self.entries.retain(|k, _| {
            k.rsplit_once('|')
                .is_some_and(|(root, _)| Path::new(root).is_dir())
        });
        let dir = self.path.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir)?;
        let text = serde_json::to_string_pretty(&self.entries).expect("records serialize");
        write_atomically(&self.path, text.as_bytes())
    }
}

fn key(root: &Path, dir: &str) -> String {
    format!("{}|{dir}", root.display())
}

/// A fingerprint of everything `kata`'s grade depends on, or `None` when the submission has
/// no `src/lib.rs` for it. FNV-1a: stable across Rust versions (std's hasher is not promised
/// to be), and collisions only cost a missed regrade, never a wrong grade shown as fresh for
/// long, since any further edit changes it again.
pub fn fingerprint(kata: &Kata, root: &Path) -> Option<String> {
    let source = std::fs::read(root.join(&kata.dir_name).join("src").join("lib.rs")).ok()?;
    let mut hash = Fingerprint::new();
    hash.add(env!("CARGO_PKG_VERSION").as_bytes());
    hash.add(&source);
    hash.add(&std::fs::read(kata.private_dir.join("kata.toml")).unwrap_or_default());
    for file in kata.test_files.values() {
        hash.add(&std::fs::read(file).unwrap_or_default());
    }
    Some(format!("{:016x}", hash.value()))
}

/// The fingerprint of a single file's contents (for watching), `None` if it cannot be read.
pub fn file_fingerprint(path: &Path) -> Option<u64> {
    let bytes = std::fs::read(path).ok()?;
    let mut hash = Fingerprint::new();
    hash.add(&bytes);
    Some(hash.value())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_round_trip_and_forget_vanished_folders() {
        let state = tempfile::tempdir().unwrap();
        let root = tempfile::tempdir().unwrap();
        let mut records = Records::load(state.path());
        let record = Record {
            fingerprint: "f".into(),
            score: 3,
            max_score: 10,
            standing: Standing::InProgress,
            first_failure: Some("a check".into()),
            graded_at: 1,
        };
        records
            .entries
            .insert(key(root.path(), "03-race"), record.clone());
        records
            .entries
            .insert(key(Path::new("/no/such/dir"), "03-race"), record.clone());
        records.save().unwrap();
        let back = Records::load(state.path());
        assert_eq!(back.entries.len(), 1);
        assert_eq!(back.entries[&key(root.path(), "03-race")], record);
    }

    #[test]
    fn a_corrupt_file_is_an_empty_cache() {
        let state = tempfile::tempdir().unwrap();
        std::fs::write(state.path().join(FILE), "{not json").unwrap();
        assert!(Records::load(state.path()).entries.is_empty());
    }
}
