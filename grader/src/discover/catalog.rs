//! The catalog: every kata the grader knows, read from `grader/katas/NN-name/`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::discover::manifest::{CheckKind, Manifest};
use crate::error::GradeError;
use crate::home::Home;

/// One kata: its name, its manifest and where its test files are.
#[derive(Debug, Clone)]
pub struct Kata {
    /// The number that orders the katas (`3` for `03-race`).
    pub number: u32,
    /// The name without its number (`race`): package name and report name.
    pub name: String,
    /// The folder name (`03-race`), the same under `exercises/`, `solutions/` and `grader/katas/`.
    pub dir_name: String,
    /// The parsed `kata.toml`.
    pub manifest: Manifest,
    /// The test file behind each kind of check this kata has.
    pub test_files: BTreeMap<CheckKind, PathBuf>,
    /// `grader/katas/NN-name/`.
    pub private_dir: PathBuf,
}

impl Kata {
    /// The library's crate name, as test files import it (`bounded-buffer` -> `bounded_buffer`).
    pub fn lib_name(&self) -> String {
        self.name.replace('-', "_")
    }

    /// The maximum score.
    pub fn max_score(&self) -> u32 {
        self.manifest.max_score()
    }

    /// Whether the kata has loom models, and so must use `kata_sync` for loom to see its code.
    pub fn is_loom_checked(&self) -> bool {
        self.manifest.has_kind(CheckKind::Loom)
    }

    /// The folder of buggy variants the grader's own tests prove are caught.
    pub fn mutants_dir(&self) -> PathBuf {
        self.private_dir.join("mutants")
    }
}

/// Every kata, in order.
#[derive(Debug, Clone)]
pub struct Catalog {
    katas: Vec<Kata>,
}

impl Catalog {
    /// Reads every kata folder under the home's `grader/katas/`.
    pub fn load(home: &Home) -> Result<Catalog, GradeError> {
        let dir = home.katas_dir();
        let entries = std::fs::read_dir(&dir)
            .map_err(|e| GradeError::io(format!("cannot read {}", dir.display()), e))?;
        let mut katas = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|e| GradeError::io("cannot list the katas", e))?;
            if !entry.path().is_dir() {
                continue;
            }
            let dir_name = entry.file_name().to_string_lossy().into_owned();
            let Some((number, name)) = split_dir_name(&dir_name) else {
                return Err(GradeError::Home(format!(
                    "{} is not named NN-name",
                    entry.path().display()
                )));
            };
            katas.push(load_kata(home, number, name, &dir_name)?);
        }
        katas.sort_by_key(|k| k.number);
        if katas.is_empty() {
            return Err(GradeError::Home(format!(
                "{} holds no katas",
                dir.display()
            )));
        }
        Ok(Catalog { katas })
    }

    /// The catalog with a teacher's kata folders (`--hidden-tests DIR`) in place of the
    /// shipped ones, or the shipped catalog when `overrides` is `None`.
    pub fn load_with_overrides(
        home: &Home,
        overrides: Option<&Path>,
    ) -> Result<Catalog, GradeError> {
        let catalog = Catalog::load(home)?;
        match overrides {
            Some(dir) => catalog.with_overrides(home, dir),
            None => Ok(catalog),
        }
    }

    /// Replaces katas with a teacher's private material: every folder of `dir` must be named
    /// exactly like a kata (`03-race`, the layout of `grader/katas/`) and becomes that kata's
    /// whole private folder: its `kata.toml`, and the `hidden.rs`, `props.rs` and `loom.rs`
    /// its checks need. Whole folders, not single files, so a manifest never names a test
    /// that only the other folder has. The visible tests stay the repository's (learners
    /// have them anyway), and katas with no folder in `dir` keep the shipped material. Files
    /// directly in `dir` (notes, a README) and hidden entries are ignored.
    pub fn with_overrides(mut self, home: &Home, dir: &Path) -> Result<Catalog, GradeError> {
        let fail = |sentence: String| overrides_error(dir, sentence);
        let entries = std::fs::read_dir(dir).map_err(|e| {
            fail(format!(
                "it cannot be read ({e}); pass a folder holding kata folders such as 03-race/"
            ))
        })?;
        let mut replaced = 0;
        let mut names: Vec<(String, PathBuf)> = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|e| fail(format!("it cannot be listed ({e})")))?;
            let file_name = entry.file_name().to_string_lossy().into_owned();
            if file_name.starts_with('.') || !entry.path().is_dir() {
                continue;
            }
            names.push((file_name, entry.path()));
        }
        names.sort();
        for (file_name, path) in names {
            let Some(index) = self.katas.iter().position(|k| k.dir_name == file_name) else {
                let folders: Vec<&str> = self.katas.iter().map(|k| k.dir_name.as_str()).collect();
                let near = self
                    .find(&file_name)
                    .map(|k| format!(" (rename it to `{}`)", k.dir_name))
                    .unwrap_or_default();
                return Err(fail(format!(
                    "its folder `{file_name}` names no kata{near}: kata folders are named {}",
                    folders.join(", ")
                )));
            };
            let shipped = &self.katas[index];
            if !path.join("kata.toml").is_file() {
                return Err(fail(format!(
                    "{file_name}/ has no kata.toml: a kata folder there replaces the whole of \
                     grader/katas/{file_name}/, so start from a copy of it"
                )));
            }
            let kata =
                read_kata(home, shipped.number, &shipped.name, &file_name, path).map_err(fail)?;
            self.katas[index] = kata;
            replaced += 1;
        }
        if replaced == 0 {
            return Err(fail(
                "it holds no kata folder: put your copies of grader/katas/NN-name/ folders in it"
                    .into(),
            ));
        }
        Ok(self)
    }

    /// Every kata, in order.
    pub fn katas(&self) -> &[Kata] {
        &self.katas
    }

    /// The katas named on the command line (`race`, `03-race`, `3` or `03`), or all of them
    /// when none is named. Order follows the catalog; duplicates are dropped.
    pub fn select(&self, names: &[String]) -> Result<Vec<Kata>, GradeError> {
        if names.is_empty() {
            return Ok(self.katas.clone());
        }
        let mut wanted = Vec::new();
        for name in names {
            let kata = self.find(name).ok_or_else(|| GradeError::UnknownKata {
                name: name.clone(),
                known: self
                    .katas
                    .iter()
                    .map(|k| k.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            })?;
            wanted.push(kata.number);
        }
        Ok(self
            .katas
            .iter()
            .filter(|k| wanted.contains(&k.number))
            .cloned()
            .collect())
    }

    /// The kata called `name` (`race`, `03-race`, `3` or `03`).
    pub fn find(&self, name: &str) -> Option<&Kata> {
        let name = name.trim().trim_end_matches('/');
        let number: Option<u32> = name.parse().ok();
        self.katas
            .iter()
            .find(|k| k.name == name || k.dir_name == name || Some(k.number) == number)
    }
}

/// Splits `03-race` into `(3, "race")`.
pub fn split_dir_name(dir_name: &str) -> Option<(u32, &str)> {
    let (number, name) = dir_name.split_once('-')?;
    let number = number.parse().ok()?;
    let valid = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    valid.then_some((number, name))
}

fn load_kata(home: &Home, number: u32, name: &str, dir_name: &str) -> Result<Kata, GradeError> {
    read_kata(
        home,
        number,
        name,
        dir_name,
        home.katas_dir().join(dir_name),
    )
    .map_err(GradeError::Home)
}

/// Reads a kata whose manifest and private test files are in `private_dir` (the shipped
/// `grader/katas/NN-name/` or a teacher's copy); the visible tests are always the home's.
fn read_kata(
    home: &Home,
    number: u32,
    name: &str,
    dir_name: &str,
    private_dir: PathBuf,
) -> Result<Kata, String> {
    let manifest_path = private_dir.join("kata.toml");
    let text = std::fs::read_to_string(&manifest_path)
        .map_err(|e| format!("cannot read {}: {e}", manifest_path.display()))?;
    let manifest = Manifest::parse(&text)
        .map_err(|e| format!("{} is invalid: {e}", manifest_path.display()))?;
    let mut test_files = BTreeMap::new();
    for kind in CheckKind::ALL {
        let path = test_file_path(home, &private_dir, dir_name, kind);
        if path.is_file() {
            test_files.insert(kind, path);
        } else if manifest.has_kind(kind) {
            return Err(format!(
                "{} lists {kind} checks but {} does not exist",
                manifest_path.display(),
                path.display()
            ));
        }
    }
    Ok(Kata {
        number,
        name: name.to_string(),
        dir_name: dir_name.to_string(),
        manifest,
        test_files,
        private_dir,
    })
}

/// A sentence about the teacher's `--hidden-tests` folder, as a [`GradeError`]: the error
/// type has no variant for it, and an I/O error of kind `InvalidInput` prints as
/// `what: sentence`, which reads as one.
fn overrides_error(dir: &Path, sentence: String) -> GradeError {
    GradeError::io(
        format!("the hidden tests in {} cannot be used", dir.display()),
        std::io::Error::new(std::io::ErrorKind::InvalidInput, sentence),
    )
}

fn test_file_path(home: &Home, private_dir: &Path, dir_name: &str, kind: CheckKind) -> PathBuf {
    let file = format!("{}.rs", kind.target());
    match kind {
        CheckKind::Visible => home.exercises_dir().join(dir_name).join("tests").join(file),
        _ => private_dir.join(file),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_kata_folder_names() {
        assert_eq!(split_dir_name("03-race"), Some((3, "race")));
        assert_eq!(
            split_dir_name("06-bounded-buffer"),
            Some((6, "bounded-buffer"))
        );
        assert_eq!(split_dir_name("race"), None);
        assert_eq!(split_dir_name("xx-race"), None);
        assert_eq!(split_dir_name("03-Race"), None);
        assert_eq!(split_dir_name("03-"), None);
    }
}
