//! Intake: one student per entry of the submissions folder, and a private copy of the only
//! files the grader reads from them.
//!
//! Each student's `src/lib.rs` files are copied into a staging folder shaped like
//! `exercises/` before grading, whatever the entry is (a repository clone, an `exercises/`
//! folder, kata folders, or a .zip of any of them). So the engine sees one shape, the
//! submission hash is taken over exactly the bytes that get graded, and symbolic links in a
//! student's folder (a clone can hold them) are never followed out of it: a `lib.rs` that
//! links to a teacher's file must not end up quoted in a compiler error.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::batch::unzip;
use crate::discover::Kata;
use crate::discover::submission::MAX_SOURCE_BYTES;
use crate::error::GradeError;
use crate::fingerprint::Fingerprint;

/// How deep a student's folder may wrap its kata folders in folders of their own
/// (`alice/repo-main/exercises/03-race`): unpacked archives often add one or two.
const MAX_WRAPPING: usize = 3;

/// One entry of the submissions folder: one student.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The entry's name without `.zip`: the student's row in the gradebook and the name of
    /// their report.
    pub student: String,
    /// The folder or file.
    pub path: PathBuf,
}

/// A student's files, copied for grading.
#[derive(Debug, Clone)]
pub struct Staged {
    /// A folder of kata folders, each with at most `src/lib.rs`.
    pub root: PathBuf,
    /// The stable hash of the staged `lib.rs` files (see [`submission_hash`]).
    pub hash: String,
}

/// The entries of `dir` in name order, one per student. Hidden entries (`.DS_Store`, `.git`)
/// are no one's submission; entries in `skip` are the batch's own output, when a teacher
/// puts it inside the submissions folder.
pub fn list(dir: &Path, skip: &[PathBuf]) -> Result<Vec<Entry>, GradeError> {
    let read = std::fs::read_dir(dir).map_err(|e| {
        GradeError::io(
            format!(
                "cannot read the submissions folder {} (it should hold one folder or .zip \
                 per student)",
                dir.display()
            ),
            e,
        )
    })?;
    let skip: Vec<PathBuf> = skip.iter().map(|p| canonical(p)).collect();
    let mut entries = Vec::new();
    for entry in read {
        let entry = entry.map_err(|e| {
            GradeError::io(
                format!("cannot list the submissions in {}", dir.display()),
                e,
            )
        })?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || skip.contains(&canonical(&entry.path())) {
            continue;
        }
        let student = match zip_stem(&name) {
            Some(stem) if !stem.is_empty() => stem.to_string(),
            _ => name,
        };
        entries.push(Entry {
            student,
            path: entry.path(),
        });
    }
    entries.sort_by(|a, b| (&a.student, &a.path).cmp(&(&b.student, &b.path)));
    Ok(entries)
}

/// `name` without a `.zip` extension in any case, if it has one.
fn zip_stem(name: &str) -> Option<&str> {
    let cut = name.len().checked_sub(4)?;
    let (stem, ext) = (name.get(..cut)?, name.get(cut..)?);
    ext.eq_ignore_ascii_case(".zip").then_some(stem)
}

/// The path with symbolic links resolved when it exists, for comparing two paths.
fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| std::path::absolute(path).unwrap_or_default())
}

/// Copies `entry`'s kata sources for `katas` into `into` (created empty), or says in one line
/// why the entry cannot be graded at all.
pub fn stage(entry: &Entry, into: &Path, katas: &[Kata]) -> Result<Staged, String> {
    let _ = std::fs::remove_dir_all(into);
    std::fs::create_dir_all(into)
        .map_err(|e| format!("the grader cannot create {}: {e}", into.display()))?;
    // The entry itself is the teacher's (it may be a link to a clone elsewhere); only what is
    // inside it is the student's.
    let meta = std::fs::metadata(&entry.path).map_err(|e| format!("cannot be read: {e}"))?;
    let is_zip = entry
        .path
        .file_name()
        .and_then(|n| zip_stem(&n.to_string_lossy()).map(|_| ()))
        .is_some();
    if meta.is_dir() {
        stage_folder(&entry.path, into, katas)?;
    } else if meta.is_file() && is_zip {
        unzip::stage_zip(&entry.path, into, katas)?;
    } else {
        return Err("not a folder or a .zip file, so there is nothing to grade".into());
    }
    Ok(Staged {
        root: into.to_path_buf(),
        hash: submission_hash(into, katas),
    })
}

/// Copies the kata sources of a student's folder.
fn stage_folder(dir: &Path, into: &Path, katas: &[Kata]) -> Result<(), String> {
    let root = kata_root(dir, katas)?;
    for kata in katas {
        let kata_dir = root.join(&kata.dir_name);
        if !is_real_dir(&kata_dir) {
            continue;
        }
        let lib = kata_dir.join("src").join("lib.rs");
        let is_file = is_real_dir(&kata_dir.join("src"))
            && std::fs::symlink_metadata(&lib).is_ok_and(|m| m.file_type().is_file());
        if !is_file {
            // The folder alone, so the report says it has no src/lib.rs (a link is not one).
            create_kata_dir(into, kata)?;
            continue;
        }
        let mut bytes = Vec::new();
        File::open(&lib)
            .and_then(|f| f.take(MAX_SOURCE_BYTES + 1).read_to_end(&mut bytes))
            .map_err(|e| format!("cannot read {}: {e}", lib.display()))?;
        write_source(into, kata, &bytes)?;
    }
    Ok(())
}

/// The folder of `dir` that holds the kata folders: `exercises/` in a clone, `dir` itself, or
/// the same inside the single folder an unpacked archive wraps them in.
fn kata_root(dir: &Path, katas: &[Kata]) -> Result<PathBuf, String> {
    let holds_katas = |d: &Path| katas.iter().any(|k| is_real_dir(&d.join(&k.dir_name)));
    let mut here = dir.to_path_buf();
    for _ in 0..=MAX_WRAPPING {
        let exercises = here.join("exercises");
        if is_real_dir(&exercises) && holds_katas(&exercises) {
            return Ok(exercises);
        }
        if holds_katas(&here) {
            return Ok(here);
        }
        match single_folder(&here) {
            Some(inner) => here = inner,
            None => break,
        }
    }
    if visible_entries(dir).is_empty() {
        return Err("the folder is empty".into());
    }
    Err(format!(
        "holds none of the kata folders ({}), neither directly nor in exercises/",
        names(katas)
    ))
}

/// The only entry of `dir` that is not hidden, when it is a folder (not a link to one).
fn single_folder(dir: &Path) -> Option<PathBuf> {
    match visible_entries(dir).as_slice() {
        [only] if is_real_dir(only) => Some(only.clone()),
        _ => None,
    }
}

/// Up to two non-hidden entries of `dir`: enough to tell none, one and several apart without
/// listing a huge folder.
fn visible_entries(dir: &Path) -> Vec<PathBuf> {
    let Ok(read) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    read.filter_map(Result::ok)
        .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
        .map(|e| e.path())
        .take(2)
        .collect()
}

/// A folder, and not a symbolic link to one.
fn is_real_dir(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_dir())
}

/// The kata folder names, for messages.
pub(crate) fn names(katas: &[Kata]) -> String {
    katas
        .iter()
        .map(|k| k.dir_name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Creates `kata`'s folder in the staging folder.
pub(crate) fn create_kata_dir(into: &Path, kata: &Kata) -> Result<PathBuf, String> {
    let dir = into.join(&kata.dir_name);
    std::fs::create_dir_all(dir.join("src"))
        .map_err(|e| format!("the grader cannot create {}: {e}", dir.display()))?;
    Ok(dir)
}

/// Writes `bytes` as `kata`'s `src/lib.rs` in the staging folder.
pub(crate) fn write_source(into: &Path, kata: &Kata, bytes: &[u8]) -> Result<(), String> {
    let lib = create_kata_dir(into, kata)?.join("src").join("lib.rs");
    std::fs::write(&lib, bytes)
        .map_err(|e| format!("the grader cannot write {}: {e}", lib.display()))
}

/// The stable hash of what is staged for `katas`: for each kata in order, its folder name,
/// whether it has a folder and a `src/lib.rs`, and that file's bytes. Only what the engine
/// reads counts, so touching anything else in a submission does not cause a regrade.
pub fn submission_hash(root: &Path, katas: &[Kata]) -> String {
    let mut hash = Fingerprint::new();
    for kata in katas {
        let dir = root.join(&kata.dir_name);
        hash.add(kata.dir_name.as_bytes());
        match std::fs::read(dir.join("src").join("lib.rs")) {
            Ok(bytes) => hash.add(b"lib.rs").add(&bytes),
            Err(_) if dir.is_dir() => hash.add(b"folder"),
            Err(_) => hash.add(b"absent"),
        };
    }
    hash.text()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_students_but_not_hidden_entries_or_the_batchs_own_output() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["bob", "alice.ZIP", ".git", "grades-reports"] {
            std::fs::create_dir(dir.path().join(name)).unwrap();
        }
        std::fs::write(dir.path().join("grades.csv"), "").unwrap();
        let skip = [
            dir.path().join("grades.csv"),
            dir.path().join("grades-reports"),
        ];
        let entries = list(dir.path(), &skip).unwrap();
        let students: Vec<&str> = entries.iter().map(|e| e.student.as_str()).collect();
        assert_eq!(students, ["alice", "bob"]);
        assert_eq!(entries[0].path, dir.path().join("alice.ZIP"));
    }

    #[test]
    fn zip_names_lose_their_extension_in_any_case() {
        assert_eq!(zip_stem("alice.zip"), Some("alice"));
        assert_eq!(zip_stem("Bob.ZIP"), Some("Bob"));
        assert_eq!(zip_stem("carol"), None);
        assert_eq!(zip_stem("zip"), None);
        assert_eq!(zip_stem("é.zip"), Some("é"));
        assert_eq!(zip_stem("éé"), None);
    }
}
