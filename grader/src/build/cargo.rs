//! Runs `cargo build --message-format=json` on the grader's workspace and reads its messages.

use std::collections::BTreeMap;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use cargo_metadata::{Message, PackageId, TargetKind};

use crate::assemble::Workspace;
use crate::error::GradeError;

/// Which of the grader's two builds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BuildProfile {
    /// Debug build of every test target except loom's; runs visible, hidden and property tests.
    Normal,
    /// Release build of the `loom` test targets with `--cfg kata_loom`, in its own target dir
    /// so switching between the two never invalidates the other's cache.
    Loom,
}

/// What one build produced, per kata package (keyed by package name).
#[derive(Debug, Default, Clone)]
pub struct BuildOutput {
    /// `(package, test target) -> test binary`.
    pub executables: BTreeMap<(String, String), PathBuf>,
    /// `(package, target) -> rendered compiler errors`; the target is `lib` for the library.
    pub errors: BTreeMap<(String, String), Vec<String>>,
    /// Whether cargo reported success.
    pub success: bool,
    /// What cargo wrote to stderr (its own errors, e.g. a failed download).
    pub stderr: String,
}

impl BuildOutput {
    /// The compiler errors that explain why `package`'s `target` has no binary: the
    /// library's errors first (a library that fails takes every test target with it).
    pub fn errors_for(&self, package: &str, target: &str) -> Vec<String> {
        let mut all = Vec::new();
        for key in [(package, "lib"), (package, target)] {
            if let Some(errs) = self.errors.get(&(key.0.to_string(), key.1.to_string())) {
                all.extend(errs.iter().cloned());
            }
        }
        all
    }
}

/// Builds the katas named `packages` of `ws` with `profile` into `target_dir`. `on_artifact` is told the name
/// of each compiled crate, for progress. Per-kata compile errors are part of the output; the
/// `Err` case is for builds that could not start at all (cargo missing, no network).
pub fn build(
    ws: &Workspace,
    target_dir: &Path,
    profile: BuildProfile,
    packages: &[String],
    on_artifact: &mut dyn FnMut(&str),
) -> Result<BuildOutput, GradeError> {
    let mut output = BuildOutput::default();
    if packages.is_empty() {
        output.success = true;
        return Ok(output);
    }
    let package_names: Vec<String> = packages.iter().map(|k| ws.package_name(k)).collect();
    let mut cmd = cargo_command(ws.root(), target_dir, profile, &package_names);
    let mut child = cmd.spawn().map_err(|e| {
        GradeError::Build(format!(
            "could not run cargo ({e}); the grader needs cargo on PATH, as installed by rustup"
        ))
    })?;
    let mut stderr = child.stderr.take().expect("stderr is piped");
    let stderr_reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    let stdout = BufReader::new(child.stdout.take().expect("stdout is piped"));
    let dirs: Vec<(PathBuf, String)> = packages
        .iter()
        .filter_map(|p| Some((ws.package_dir(p)?.to_path_buf(), p.clone())))
        .collect();
    for message in Message::parse_stream(stdout).flatten() {
        match message {
            Message::CompilerArtifact(artifact) => {
                on_artifact(&artifact.target.name);
                let Some(package) = package_of(&artifact.package_id, &dirs) else {
                    continue;
                };
                if let Some(exe) = artifact.executable
                    && artifact.target.kind.contains(&TargetKind::Test)
                {
                    output
                        .executables
                        .insert((package, artifact.target.name.clone()), exe.into());
                }
            }
            Message::CompilerMessage(msg) => {
                let Some(package) = package_of(&msg.package_id, &dirs) else {
                    continue;
                };
                let is_error = matches!(
                    msg.message.level,
                    cargo_metadata::diagnostic::DiagnosticLevel::Error
                        | cargo_metadata::diagnostic::DiagnosticLevel::Ice
                );
                if !is_error {
                    continue;
                }
                let target = if msg.target.kind.contains(&TargetKind::Lib) {
                    "lib".to_string()
                } else {
                    msg.target.name.clone()
                };
                let text = msg
                    .message
                    .rendered
                    .unwrap_or_else(|| msg.message.message.clone());
                let errors = output.errors.entry((package, target)).or_default();
                // The same library can be compiled for more than one test target.
                if !errors.contains(&text) {
                    errors.push(text);
                }
            }
            _ => {}
        }
    }
    let status = child
        .wait()
        .map_err(|e| GradeError::io("cargo did not finish", e))?;
    output.stderr = stderr_reader.join().unwrap_or_default();
    output.success = status.success();
    if !output.success && output.errors.is_empty() && output.executables.is_empty() {
        return Err(GradeError::Build(could_not_build(&output.stderr)));
    }
    Ok(output)
}

fn cargo_command(
    root: &Path,
    target_dir: &Path,
    profile: BuildProfile,
    packages: &[String],
) -> Command {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.current_dir(root)
        .arg("build")
        .arg("--keep-going")
        .arg("--message-format=json")
        .arg("--manifest-path")
        .arg(root.join("Cargo.toml"));
    for package in packages {
        cmd.arg("-p").arg(package);
    }
    // The grader's builds must not pick up flags meant for some other build (for instance the
    // RUSTFLAGS of a `cargo test` that runs the grader's own test suite).
    for var in [
        "RUSTFLAGS",
        "CARGO_ENCODED_RUSTFLAGS",
        "CARGO_BUILD_RUSTFLAGS",
        "RUSTDOCFLAGS",
        "CARGO_BUILD_TARGET_DIR",
        "CARGO_BUILD_TARGET",
        "CARGO_PROFILE_RELEASE_DEBUG_ASSERTIONS",
    ] {
        cmd.env_remove(var);
    }
    cmd.env("CARGO_TARGET_DIR", target_dir)
        .env("CARGO_TERM_COLOR", "never")
        .env("CARGO_TERM_PROGRESS_WHEN", "never");
    match profile {
        BuildProfile::Normal => {
            // `loom.rs` is `#![cfg(kata_loom)]`, so in this build it is an empty binary; the
            // explicit list keeps the build to the targets this profile runs.
            cmd.arg("--tests");
        }
        BuildProfile::Loom => {
            cmd.args(["--release", "--test", "loom"])
                .env("RUSTFLAGS", "--cfg kata_loom");
        }
    }
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

/// Which of the workspace's kata packages `id` is (`path+file:///.../katas/03-race#race@0.0.0`).
fn package_of(id: &PackageId, dirs: &[(PathBuf, String)]) -> Option<String> {
    let repr = &id.repr;
    let path = repr
        .strip_prefix("path+file://")
        .map(|rest| rest.split('#').next().unwrap_or(rest))?;
    dirs.iter()
        .find(|(dir, _)| Path::new(path) == dir.as_path())
        .map(|(_, name)| name.clone())
}

/// A sentence for a build that failed before compiling any kata.
fn could_not_build(stderr: &str) -> String {
    let tail: Vec<&str> = stderr.lines().rev().take(15).collect();
    let tail: Vec<&str> = tail.into_iter().rev().collect();
    let mut msg = String::from("cargo could not build the katas");
    let lower = stderr.to_ascii_lowercase();
    if lower.contains("network")
        || lower.contains("failed to download")
        || lower.contains("failed to get")
        || lower.contains("offline")
        || lower.contains("index")
    {
        msg.push_str(
            ": it needed to download dependencies and could not. Run `cargo fetch` once in the \
             repository while online; grading then works offline",
        );
    }
    msg.push_str(".\ncargo said:\n");
    msg.push_str(&tail.join("\n"));
    msg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_package_of_a_path_id() {
        let dirs = vec![(PathBuf::from("/ws/katas/03-race"), "race".to_string())];
        let id = PackageId {
            repr: "path+file:///ws/katas/03-race#race@0.0.0".into(),
        };
        assert_eq!(package_of(&id, &dirs).as_deref(), Some("race"));
        let registry = PackageId {
            repr: "registry+https://github.com/rust-lang/crates.io-index#loom@0.7.2".into(),
        };
        assert_eq!(package_of(&registry, &dirs), None);
    }

    #[test]
    fn explains_a_build_that_needed_the_network() {
        let msg = could_not_build("error: failed to download from `https://x`\nnetwork down");
        assert!(msg.contains("cargo fetch"), "{msg}");
        assert!(msg.contains("network down"), "{msg}");
    }
}
