//! Assemble: the grader's own workspace, where each submitted `lib.rs` meets the grader's tests.
//!
//! Nothing but `src/lib.rs` is taken from a submission; manifests, tests and dependencies are
//! the grader's. Files are rewritten only when their contents change, so cargo's mtime-based
//! fingerprints keep every untouched kata cached between runs.

use std::collections::BTreeMap;
use std::fs::File;
use std::path::{Path, PathBuf};

use crate::discover::Kata;
use crate::error::GradeError;
use crate::home::Home;
use crate::run::libtest;

/// An assembled workspace, locked for the lifetime of this value.
#[derive(Debug)]
pub struct Workspace {
    root: PathBuf,
    packages: BTreeMap<String, PathBuf>,
    tag: String,
    _lock: File,
}

impl Workspace {
    /// The folder holding the workspace's `Cargo.toml`.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The package folder of the kata called `name`, if it was assembled.
    pub fn package_dir(&self, name: &str) -> Option<&Path> {
        self.packages.get(name).map(PathBuf::as_path)
    }

    /// The cargo package name of the kata called `name` in this workspace.
    ///
    /// Every workspace shares one target dir (so dependencies are compiled once), and cargo
    /// names a path package's artifacts by its path *relative to its workspace*, which is the
    /// same `katas/NN-name` in every workspace. Without a name of its own, one workspace's
    /// test binaries would overwrite another's, and a grading running beside another (two
    /// students, two mutants) could run the other's code. The library keeps the kata's name,
    /// so tests still `use race::...`.
    pub fn package_name(&self, name: &str) -> String {
        package_name(name, &self.tag)
    }
}

fn package_name(kata: &str, tag: &str) -> String {
    format!("{kata}--{tag}")
}

/// The workspace folder's name, as it may appear in a package name.
fn workspace_tag(root: &Path) -> String {
    let name = root
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tag: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    if tag.is_empty() { "ws".into() } else { tag }
}

/// Writes (or refreshes) the workspace at `root` holding `katas`, each with its submitted
/// source. Blocks while another grader run holds the same workspace.
pub fn assemble(
    home: &Home,
    root: &Path,
    katas: &[(&Kata, &str)],
) -> Result<Workspace, GradeError> {
    let io = |what: String| move |e| GradeError::io(what, e);
    std::fs::create_dir_all(root).map_err(io(format!("cannot create {}", root.display())))?;
    let lock = File::create(root.join(".grader-lock"))
        .map_err(io(format!("cannot lock {}", root.display())))?;
    lock.lock()
        .map_err(io(format!("cannot lock {}", root.display())))?;

    let members: Vec<String> = katas
        .iter()
        .map(|(k, _)| format!("katas/{}", k.dir_name))
        .collect();
    write_if_changed(&root.join("Cargo.toml"), &workspace_manifest(&members))?;
    refresh_lock_file(home, root)?;

    let tag = workspace_tag(root);
    let mut packages = BTreeMap::new();
    for (kata, source) in katas {
        let dir = root.join("katas").join(&kata.dir_name);
        let manifest = package_manifest(home, kata, &package_name(&kata.name, &tag));
        write_if_changed(&dir.join("Cargo.toml"), &manifest)?;
        write_if_changed(&dir.join("src").join("lib.rs"), source)?;
        sync_tests(kata, &dir.join("tests"))?;
        packages.insert(kata.name.clone(), dir);
    }
    Ok(Workspace {
        root: root.to_path_buf(),
        packages,
        tag,
        _lock: lock,
    })
}

/// Copies the kata's test files in, and removes any stale test file that is no longer one.
fn sync_tests(kata: &Kata, tests_dir: &Path) -> Result<(), GradeError> {
    let mut wanted = Vec::new();
    for (kind, from) in &kata.test_files {
        let text = std::fs::read_to_string(from)
            .map_err(|e| GradeError::io(format!("cannot read {}", from.display()), e))?;
        let file = format!("{}.rs", kind.target());
        let text = text + &libtest::sentinel_source();
        write_if_changed(&tests_dir.join(&file), &text)?;
        wanted.push(file);
    }
    if let Ok(entries) = std::fs::read_dir(tests_dir) {
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if !wanted.contains(&name) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
    Ok(())
}

/// The repository's lock file pins every dependency version; reusing it means the grader
/// builds exactly what the repository was tested with, and offline once it was built.
fn refresh_lock_file(home: &Home, root: &Path) -> Result<(), GradeError> {
    let Ok(lock) = std::fs::read_to_string(home.lock_file()) else {
        return Ok(()); // cargo resolves afresh; it needs the network for that
    };
    let copy = root.join("Cargo.lock.from-home");
    let changed = write_if_changed(&copy, &lock)?;
    let ws_lock = root.join("Cargo.lock");
    if changed || !ws_lock.exists() {
        std::fs::write(&ws_lock, &lock)
            .map_err(|e| GradeError::io(format!("cannot write {}", ws_lock.display()), e))?;
    }
    Ok(())
}

fn workspace_manifest(members: &[String]) -> String {
    let members: Vec<String> = members.iter().map(|m| toml_string(m)).collect();
    format!(
        r#"# Written by the grader; every run rewrites it.
[workspace]
resolver = "3"
members = [{members}]

[profile.dev]
debug = "line-tables-only"

# Loom models run in release for speed, with the checks a debug build has.
[profile.release]
debug-assertions = true
overflow-checks = true
"#,
        members = members.join(", ")
    )
}

fn package_manifest(home: &Home, kata: &Kata, package: &str) -> String {
    let kata_sync = toml_string(&home.kata_sync_dir().to_string_lossy());
    format!(
        r#"# Written by the grader; every run rewrites it.
[package]
name = {name}
version = "0.0.0"
edition = "2024"
publish = false
build = false
autobins = false
autoexamples = false
autobenches = false

[lib]
name = {lib}
path = "src/lib.rs"
# Only the grader's tests are run: the learner's own unit tests and doctests are not built.
test = false
doctest = false

[dependencies]
kata-sync = {{ path = {kata_sync} }}

[dev-dependencies]
kata-sync = {{ path = {kata_sync} }}
proptest = "1"

[lints.rust]
unexpected_cfgs = {{ level = "warn", check-cfg = ["cfg(kata_loom)"] }}
"#,
        name = toml_string(package),
        lib = toml_string(&kata.lib_name()),
    )
}

fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// Writes `text` to `path` unless it already holds exactly that; says whether it wrote.
pub fn write_if_changed(path: &Path, text: &str) -> Result<bool, GradeError> {
    if std::fs::read(path).is_ok_and(|old| old == text.as_bytes()) {
        return Ok(false);
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| GradeError::io(format!("cannot create {}", parent.display()), e))?;
    }
    std::fs::write(path, text)
        .map_err(|e| GradeError::io(format!("cannot write {}", path.display()), e))?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_only_when_contents_change() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a/b.txt");
        assert!(write_if_changed(&file, "one").unwrap());
        assert!(!write_if_changed(&file, "one").unwrap());
        assert!(write_if_changed(&file, "two").unwrap());
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "two");
    }

    #[test]
    fn package_names_differ_between_workspaces() {
        let a = package_name("race", &workspace_tag(Path::new("/w/default")));
        let b = package_name("race", &workspace_tag(Path::new("/w/test-Mutant_1")));
        assert_eq!(a, "race--default");
        assert_eq!(b, "race--test-mutant-1");
    }

    #[test]
    fn quotes_toml_strings() {
        let quoted = toml_string(r#"a"b\c'd"#);
        let parsed: toml::Table = toml::from_str(&format!("k = {quoted}")).unwrap();
        assert_eq!(parsed["k"].as_str(), Some(r#"a"b\c'd"#));
    }
}
