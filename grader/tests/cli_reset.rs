//! `grader reset`: the original stub comes back from git history (never from the learner's
//! own commits), only after a yes, and the learner's file is always kept.

mod cli_common;

use std::path::Path;
use std::process::Command;

use cli_common::{assert_refused, command, outputs, run, stub, write_lib};

/// Runs a shell script in `dir` as a git user of its own.
fn sh(dir: &Path, script: &str) {
    let status = Command::new("sh")
        .arg("-c")
        .arg(script)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "Kata Author")
        .env("GIT_AUTHOR_EMAIL", "author@example.com")
        .env("GIT_COMMITTER_NAME", "Kata Author")
        .env("GIT_COMMITTER_EMAIL", "author@example.com")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir)
        .status()
        .unwrap();
    assert!(status.success(), "{script}");
}

/// The backups next to `lib`.
fn backups(lib: &Path) -> Vec<std::path::PathBuf> {
    let mut found: Vec<_> = std::fs::read_dir(lib.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("lib.rs.bak-")
        })
        .collect();
    found.sort();
    found
}

/// A clone-shaped repository: the kata as its authors committed it (stub with solution),
/// then a commit of the learner's, then more uncommitted work.
fn learner_repo() -> (tempfile::TempDir, std::path::PathBuf) {
    let repo = tempfile::tempdir().unwrap();
    let lib = write_lib(&repo.path().join("exercises"), "03-race", "// the stub\n");
    write_lib(&repo.path().join("solutions"), "03-race", "// the answer\n");
    sh(
        repo.path(),
        "git init -q . && git add -A && git commit -qm 'Kata 03-race' \
         && echo '// my first try' > exercises/03-race/src/lib.rs \
         && git commit -qam 'my work' \
         && echo '// my second try' > exercises/03-race/src/lib.rs",
    );
    (repo, lib)
}

#[test]
fn reset_restores_the_authors_stub_and_keeps_the_learners_file() {
    let state = tempfile::tempdir().unwrap();
    let (repo, lib) = learner_repo();
    let sub = repo.path().to_str().unwrap();

    let assert = run(
        state.path(),
        "reset",
        &["reset", "race", "--submission", sub, "--yes"],
    )
    .success();
    let (stdout, _) = outputs(&assert);
    assert_eq!(std::fs::read_to_string(&lib).unwrap(), "// the stub\n");
    let kept = backups(&lib);
    assert_eq!(kept.len(), 1, "{stdout}");
    assert_eq!(
        std::fs::read_to_string(&kept[0]).unwrap(),
        "// my second try\n"
    );
    assert!(stdout.contains("is the original stub again"), "{stdout}");
    assert!(stdout.contains("lib.rs.bak-"), "{stdout}");

    let assert = run(
        state.path(),
        "reset",
        &["reset", "race", "--submission", sub, "--yes"],
    )
    .success();
    assert!(outputs(&assert).0.contains("already the original stub"));
    assert_eq!(
        backups(&lib).len(),
        1,
        "nothing to keep when nothing changed"
    );
}

#[test]
fn reset_asks_first_and_a_no_changes_nothing() {
    let state = tempfile::tempdir().unwrap();
    let (repo, lib) = learner_repo();
    let sub = repo.path().to_str().unwrap();
    for answer in ["n\n", "\n", "", "maybe\n"] {
        let assert = command(
            state.path(),
            "reset",
            &["reset", "race", "--submission", sub],
        )
        .write_stdin(answer)
        .assert()
        .success();
        let (stdout, _) = outputs(&assert);
        assert!(stdout.contains("[y/N]"), "{stdout}");
        assert!(stdout.contains("Nothing changed."), "{answer:?}: {stdout}");
        assert_eq!(std::fs::read_to_string(&lib).unwrap(), "// my second try\n");
        assert!(backups(&lib).is_empty());
    }
    let assert = command(
        state.path(),
        "reset",
        &["reset", "race", "--submission", sub],
    )
    .write_stdin("y\n")
    .assert()
    .success();
    assert!(outputs(&assert).0.contains("Your code is in"));
    assert_eq!(std::fs::read_to_string(&lib).unwrap(), "// the stub\n");
    assert_eq!(backups(&lib).len(), 1);
}

#[test]
fn outside_git_the_stub_comes_from_the_graders_repository() {
    let state = tempfile::tempdir().unwrap();
    let folder = tempfile::tempdir().unwrap();
    let lib = write_lib(folder.path(), "03-race", "// learner code, not in git\n");
    let sub = folder.path().to_str().unwrap();
    run(
        state.path(),
        "reset",
        &["reset", "race", "--submission", sub, "--yes"],
    )
    .success();
    let restored = std::fs::read_to_string(&lib).unwrap();
    assert!(restored.contains("todo!("), "{restored}");
    assert!(restored.contains("pub struct Counter"), "{restored}");
    assert_eq!(
        std::fs::read_to_string(&backups(&lib)[0]).unwrap(),
        "// learner code, not in git\n"
    );
    // The repository's own stub is what a reset of a fresh clone gives.
    assert_eq!(restored, stub("03-race"));
}

#[test]
fn bad_input_is_a_sentence_and_exit_2() {
    let state = tempfile::tempdir().unwrap();
    let s = state.path();
    assert_refused(
        run(s, "reset", &["reset", "nope", "--yes"]),
        &["no kata called `nope`"],
    );
    assert_refused(
        run(
            s,
            "reset",
            &["reset", "race", "--submission", "/no/such/folder", "--yes"],
        ),
        &["/no/such/folder does not exist"],
    );
    // A repository whose history never shipped the kata: no stub to restore, and the
    // learner's file stays as it was.
    let repo = tempfile::tempdir().unwrap();
    let lib = write_lib(&repo.path().join("exercises"), "03-race", "// mine\n");
    sh(
        repo.path(),
        "git init -q . && git add -A && git commit -qm mine",
    );
    let sub = repo.path().to_str().unwrap();
    let out = run(s, "reset", &["reset", "race", "--submission", sub, "--yes"]);
    // The grader's own repository still has the stub, so this resets from there.
    out.success();
    assert!(std::fs::read_to_string(&lib).unwrap().contains("todo!("));
    assert_eq!(
        std::fs::read_to_string(&backups(&lib)[0]).unwrap(),
        "// mine\n"
    );
    run(s, "reset", &["reset"]).code(2);
}
