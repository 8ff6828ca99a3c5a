//! Where a kata's original stub comes from, for `grader reset`.
//!
//! The stub is read from git history, never from a copy the grader keeps: a copy in the work
//! dir is gone after `cargo clean` and might have been taken after the learner's first edit,
//! and a copy in the repository would have to be kept in step with every change to a stub.
//!
//! But not from `HEAD` either: a learner who commits their work would get their own code
//! back. The stub is the file as of the newest commit that changed it *together with the
//! kata's solution or grader files* (`solutions/NN-name/` or `grader/katas/NN-name/`). Kata
//! authors change those with the stub (a stub without its tests is not a kata); learners never
//! touch them, since the grader reads only `src/lib.rs`. So no commit of the learner's can be
//! taken for the stub, whatever they commit, and an update to a kata pulled from upstream is
//! picked up. A single-commit template (as GitHub Classroom makes) qualifies as well.
//!
//! The history searched is the repository that holds the kata folder being reset (a clone
//! passed with `--submission`, or this one), then the grader's own repository.

use std::path::{Path, PathBuf};
use std::process::Command;

use grader::Home;
use grader::discover::Kata;

/// The original stub of a kata and where it was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stub {
    /// The file's contents.
    pub text: String,
    /// The commit it was read from (abbreviated).
    pub commit: String,
}

/// Finds `kata`'s original stub for the copy at `kata_dir` (a folder holding `src/lib.rs`).
pub fn original(kata: &Kata, kata_dir: &Path, home: &Home) -> Result<Stub, String> {
    let mut tried = Vec::new();
    let mut places: Vec<PathBuf> = Vec::new();
    if let Some(top) = toplevel(kata_dir) {
        places.push(top);
    }
    if let Some(top) = toplevel(home.root())
        && !places.contains(&top)
    {
        places.push(top);
    }
    for top in &places {
        match from_history(kata, top) {
            Ok(stub) => return Ok(stub),
            Err(why) => tried.push(format!("{}: {why}", top.display())),
        }
    }
    if tried.is_empty() {
        return Err(format!(
            "cannot find {}'s original stub: neither {} nor the grader's folder is in a git \
             repository (the stub is read from git history)",
            kata.dir_name,
            kata_dir.display()
        ));
    }
    Err(format!(
        "cannot find {}'s original stub in git history ({})",
        kata.dir_name,
        tried.join("; ")
    ))
}

/// The stub as of the newest commit in the repository at `top` that changed
/// `exercises/NN-name/src/lib.rs` and the kata's solution or grader files at once.
pub fn from_history(kata: &Kata, top: &Path) -> Result<Stub, String> {
    let stub = format!("exercises/{}/src/lib.rs", kata.dir_name);
    let solution = format!("solutions/{}/", kata.dir_name);
    let private = format!("grader/katas/{}/", kata.dir_name);
    // One pass over history: each commit that touched any of the three, with the paths it
    // touched among them.
    let log = git(
        top,
        &[
            "log",
            "--format=commit %H",
            "--name-only",
            "--",
            &stub,
            &solution,
            &private,
        ],
    )?;
    let mut commits: Vec<(String, Vec<String>)> = Vec::new();
    for line in log.lines() {
        if let Some(hash) = line.strip_prefix("commit ") {
            commits.push((hash.to_string(), Vec::new()));
        } else if !line.is_empty()
            && let Some((_, files)) = commits.last_mut()
        {
            files.push(line.to_string());
        }
    }
    let authored = commits.iter().find(|(_, files)| {
        files.contains(&stub)
            && files
                .iter()
                .any(|f| f.starts_with(&solution) || f.starts_with(&private))
    });
    let Some((hash, _)) = authored else {
        return Err(format!(
            "no commit changes {stub} together with {solution} or {private}"
        ));
    };
    let text = git(top, &["show", &format!("{hash}:{stub}")])?;
    Ok(Stub {
        text,
        commit: hash.chars().take(10).collect(),
    })
}

/// The top folder of the git repository holding `dir`, if any.
fn toplevel(dir: &Path) -> Option<PathBuf> {
    let out = git(dir, &["rev-parse", "--show-toplevel"]).ok()?;
    Some(PathBuf::from(out.trim_end()))
}

/// Runs git in `dir`; its stdout, or a sentence.
fn git(dir: &Path, args: &[&str]) -> Result<String, String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        return Err(format!(
            "git {} failed: {}",
            args.first().copied().unwrap_or_default(),
            err.trim()
        ));
    }
    String::from_utf8(out.stdout).map_err(|_| "git printed something that is not UTF-8".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kata() -> Kata {
        Kata {
            number: 3,
            name: "race".into(),
            dir_name: "03-race".into(),
            manifest: grader::discover::Manifest::parse(
                "title = \"t\"\n[[check]]\nkind = \"visible\"\ntest = \"a\"\nname = \"a\"\npoints = 1\n",
            )
            .unwrap(),
            test_files: Default::default(),
            private_dir: PathBuf::from("/nonexistent"),
        }
    }

    fn sh(dir: &Path, script: &str) {
        let ok = Command::new("sh")
            .arg("-c")
            .arg(script)
            .current_dir(dir)
            .env("GIT_AUTHOR_NAME", "t")
            .env("GIT_AUTHOR_EMAIL", "t@example.com")
            .env("GIT_COMMITTER_NAME", "t")
            .env("GIT_COMMITTER_EMAIL", "t@example.com")
            .status()
            .unwrap()
            .success();
        assert!(ok, "{script}");
    }

    #[test]
    fn takes_the_newest_authoring_commit_and_skips_the_learners() {
        let repo = tempfile::tempdir().unwrap();
        sh(
            repo.path(),
            "git init -q . && mkdir -p exercises/03-race/src solutions/03-race/src grader/katas/03-race \
             && echo v1 > exercises/03-race/src/lib.rs && echo s1 > solutions/03-race/src/lib.rs \
             && git add -A && git commit -qm kata \
             && echo v2 > exercises/03-race/src/lib.rs && echo t > grader/katas/03-race/kata.toml \
             && git add -A && git commit -qm 'kata update' \
             && echo mine > exercises/03-race/src/lib.rs && git commit -qam 'my work' \
             && echo more > exercises/03-race/src/lib.rs",
        );
        let stub = from_history(&kata(), repo.path()).unwrap();
        assert_eq!(stub.text, "v2\n");
    }

    #[test]
    fn says_why_when_no_commit_qualifies() {
        let repo = tempfile::tempdir().unwrap();
        sh(
            repo.path(),
            "git init -q . && mkdir -p exercises/03-race/src \
             && echo mine > exercises/03-race/src/lib.rs && git add -A && git commit -qm mine",
        );
        let err = from_history(&kata(), repo.path()).unwrap_err();
        assert!(
            err.contains("no commit changes exercises/03-race/src/lib.rs"),
            "{err}"
        );
    }
}
