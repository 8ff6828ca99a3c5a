//! Taking a student's kata sources out of a .zip, and nothing else.
//!
//! An archive is untrusted input: it may claim small sizes and inflate to gigabytes, hold
//! millions of entries, or name paths like `../../home/x` or `/etc/passwd`. So the archive's
//! size and entry count are capped before anything is decompressed, entry names are used only
//! when they stay inside the archive (`enclosed_name`), links are never followed, and only
//! the few entries that are a kata's `src/lib.rs` are decompressed, each read through a limit
//! whatever size it claims. Nothing is written under a name taken from the archive: each
//! source goes to `<staging>/<kata folder>/src/lib.rs`, named by the grader's own catalog.

use std::collections::BTreeSet;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Component, Path};

use zip::ZipArchive;

use crate::batch::intake::{create_kata_dir, names, write_source};
use crate::discover::Kata;
use crate::discover::submission::MAX_SOURCE_BYTES;

/// The largest archive opened: its directory is read into memory whole, and a class's
/// answers without build output take a few megabytes.
pub const MAX_ZIP_BYTES: u64 = 64 * 1024 * 1024;

/// The most entries an archive may hold (a clone with its history has a few thousand).
pub const MAX_ZIP_ENTRIES: usize = 50_000;

/// The most bytes decompressed from one archive, over all its kata sources. Each source is
/// also read only up to one byte past [`MAX_SOURCE_BYTES`], so the grader's own size check
/// still reports an oversized file.
pub const MAX_EXTRACTED_BYTES: u64 = 16 * 1024 * 1024;

/// One entry that is a kata's `src/lib.rs`.
struct Candidate {
    index: usize,
    kata: usize,
    /// The folders above the kata folder (`repo-main/exercises`).
    prefix: Vec<String>,
}

impl Candidate {
    /// Which candidate names the folder of kata folders: one directly in an `exercises/`
    /// folder (a zipped clone also holds `solutions/`, and may hold build output), then the
    /// shallowest, then the first by name, so the choice never depends on the archive's order.
    fn rank(&self) -> (bool, usize, &[String]) {
        let in_exercises = self.prefix.last().is_some_and(|p| p == "exercises");
        (!in_exercises, self.prefix.len(), &self.prefix)
    }
}

/// Copies `katas`' sources from the archive at `path` into `into`, or says in one line why the
/// archive cannot be graded.
pub fn stage_zip(path: &Path, into: &Path, katas: &[Kata]) -> Result<(), String> {
    let size = std::fs::metadata(path)
        .map_err(|e| format!("cannot be read: {e}"))?
        .len();
    if size > MAX_ZIP_BYTES {
        return Err(format!(
            "the .zip is {size} bytes; at most {MAX_ZIP_BYTES} are accepted (leave build \
             output such as target/ out of it)"
        ));
    }
    let file = File::open(path).map_err(|e| format!("cannot be read: {e}"))?;
    let mut archive = ZipArchive::new(BufReader::new(file))
        .map_err(|e| format!("not a readable .zip archive ({e})"))?;
    if archive.is_empty() {
        return Err("the .zip archive is empty".into());
    }
    if archive.len() > MAX_ZIP_ENTRIES {
        return Err(format!(
            "the .zip holds {} entries; at most {MAX_ZIP_ENTRIES} are accepted",
            archive.len()
        ));
    }

    let mut candidates = Vec::new();
    // Every (folders above, kata) pair seen, so a kata folder without a src/lib.rs is
    // reported as such rather than as missing.
    let mut kata_dirs: BTreeSet<(Vec<String>, usize)> = BTreeSet::new();
    for index in 0..archive.len() {
        // The raw entry: reading its name and type decompresses nothing.
        let Ok(entry) = archive.by_index_raw(index) else {
            continue;
        };
        let Some(name) = entry.enclosed_name() else {
            continue; // a name that leaves the archive is nobody's kata
        };
        let parts: Option<Vec<String>> = name
            .components()
            .map(|c| match c {
                Component::Normal(s) => s.to_str().map(str::to_string),
                _ => None,
            })
            .collect();
        let Some(parts) = parts else { continue };
        let folders = if entry.is_dir() {
            &parts[..]
        } else {
            &parts[..parts.len().saturating_sub(1)]
        };
        for (at, folder) in folders.iter().enumerate() {
            if let Some(kata) = katas.iter().position(|k| &k.dir_name == folder) {
                kata_dirs.insert((folders[..at].to_vec(), kata));
            }
        }
        let n = parts.len();
        if !entry.is_file() || n < 3 || parts[n - 2] != "src" || parts[n - 1] != "lib.rs" {
            continue;
        }
        if let Some(kata) = katas.iter().position(|k| k.dir_name == parts[n - 3]) {
            candidates.push(Candidate {
                index,
                kata,
                prefix: parts[..n - 3].to_vec(),
            });
        }
    }
    let Some(best) = candidates.iter().min_by(|a, b| a.rank().cmp(&b.rank())) else {
        return Err(format!(
            "the .zip holds no kata folder with a src/lib.rs ({}), neither at its top nor \
             under exercises/",
            names(katas)
        ));
    };
    let prefix = best.prefix.clone();

    for (folders, kata) in &kata_dirs {
        if *folders == prefix {
            create_kata_dir(into, &katas[*kata])?;
        }
    }
    let mut budget = MAX_EXTRACTED_BYTES;
    for (k, kata) in katas.iter().enumerate() {
        // Two entries may share a name in a hand-made archive: the first one is taken.
        let Some(chosen) = candidates
            .iter()
            .find(|c| c.kata == k && c.prefix == prefix)
        else {
            continue;
        };
        let mut entry = archive
            .by_index(chosen.index)
            .map_err(|e| format!("its {}/src/lib.rs cannot be unpacked ({e})", kata.dir_name))?;
        let limit = (MAX_SOURCE_BYTES + 1).min(budget);
        let mut bytes = Vec::new();
        (&mut entry)
            .take(limit)
            .read_to_end(&mut bytes)
            .map_err(|e| format!("its {}/src/lib.rs is damaged ({e})", kata.dir_name))?;
        budget = budget.saturating_sub(bytes.len() as u64);
        write_source(into, kata, &bytes)?;
        if budget == 0 {
            return Err(format!(
                "the .zip's kata sources unpack to more than {MAX_EXTRACTED_BYTES} bytes"
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;
    use crate::discover::Catalog;
    use crate::home::Home;

    fn katas() -> Vec<Kata> {
        let catalog = Catalog::load(&Home::locate().unwrap()).unwrap();
        catalog.select(&["race".into(), "deadlock".into()]).unwrap()
    }

    /// Writes an archive of `files` (a `None` body makes a link to /etc/hostname) and stages
    /// it; returns the staging folder and the outcome.
    fn stage(files: &[(&str, Option<&[u8]>)]) -> (tempfile::TempDir, Result<(), String>) {
        let dir = tempfile::tempdir().unwrap();
        let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default();
        for (name, body) in files {
            match body {
                Some(bytes) => {
                    out.start_file(*name, options).unwrap();
                    out.write_all(bytes).unwrap();
                }
                None => out.add_symlink(*name, "/etc/hostname", options).unwrap(),
            }
        }
        let zip = dir.path().join("s.zip");
        std::fs::write(&zip, out.finish().unwrap().into_inner()).unwrap();
        let into = dir.path().join("staged");
        std::fs::create_dir_all(&into).unwrap();
        let result = stage_zip(&zip, &into, &katas());
        (dir, result)
    }

    fn staged(dir: &tempfile::TempDir, kata: &str) -> Option<Vec<u8>> {
        std::fs::read(dir.path().join("staged").join(kata).join("src/lib.rs")).ok()
    }

    #[test]
    fn a_clones_exercises_folder_wins_over_its_other_copies() {
        let (dir, result) = stage(&[
            ("repo/03-race/src/lib.rs", Some(b"shallow")),
            ("repo/solutions/03-race/src/lib.rs", Some(b"solutions")),
            ("repo/exercises/03-race/src/lib.rs", Some(b"mine")),
            ("repo/exercises/04-deadlock/README.md", Some(b"no lib.rs")),
        ]);
        result.unwrap();
        assert_eq!(staged(&dir, "03-race").as_deref(), Some(&b"mine"[..]));
        // The kata folder is there without a lib.rs, so the report can say just that.
        assert!(dir.path().join("staged/04-deadlock").is_dir());
        assert_eq!(staged(&dir, "04-deadlock"), None);
    }

    #[test]
    fn links_and_escaping_names_are_never_taken() {
        let (dir, result) = stage(&[
            ("03-race/src/lib.rs", None),
            ("../04-deadlock/src/lib.rs", Some(b"escaped")),
        ]);
        assert!(
            result
                .unwrap_err()
                .contains("no kata folder with a src/lib.rs")
        );
        assert_eq!(staged(&dir, "03-race"), None);
        assert_eq!(staged(&dir, "04-deadlock"), None);
    }

    #[test]
    fn a_source_is_unpacked_only_up_to_the_size_limit() {
        let big = vec![b' '; 3 * MAX_SOURCE_BYTES as usize];
        let (dir, result) = stage(&[("03-race/src/lib.rs", Some(&big))]);
        result.unwrap();
        assert_eq!(
            staged(&dir, "03-race").map(|s| s.len() as u64),
            Some(MAX_SOURCE_BYTES + 1)
        );
    }

    #[test]
    fn what_is_not_an_archive_is_said_so() {
        let dir = tempfile::tempdir().unwrap();
        let zip = dir.path().join("s.zip");
        std::fs::write(&zip, b"PK not really").unwrap();
        let err = stage_zip(&zip, dir.path(), &katas()).unwrap_err();
        assert!(err.starts_with("not a readable .zip archive"), "{err}");
        let empty = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        std::fs::write(&zip, empty.finish().unwrap().into_inner()).unwrap();
        let err = stage_zip(&zip, dir.path(), &katas()).unwrap_err();
        assert_eq!(err, "the .zip archive is empty");
    }
}
