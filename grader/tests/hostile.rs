//! Hostile and broken submissions are contained: whatever a submission does, grading ends in
//! bounded time, the offending kata gets what it earned (a fraction at most) with a sentence
//! saying what happened, and nothing outside the grader's scratch space is touched.
//!
//! The corpus is `tests/hostile/*.rs`, each a `src/lib.rs` for one kata, with a header:
//! `//! kata:` which kata, `//! expect:` text the kata's report must contain (`a | b`: either),
//! `//! max-score:` the most it may score, and optionally `//! requires: unprivileged` for cases
//! only safe to run where tests run as unprivileged users (a fork bomb, deleting the
//! grader's files).

mod common;

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use grader::discover::Catalog;
use grader::report::{KataState, Report, Status};
use grader::run::sandbox;

/// What the corpus's slowest case may take: far above what it does take (see README), low
/// enough that a grader that failed to contain something would be caught.
const WORST_CASE: Duration = Duration::from_secs(300);
const CANARY_DIR: &str = "/tmp/kata-grader-canary";
const BIG_FILE: &str = "/tmp/kata-grader-big-file";

struct Case {
    name: String,
    what: String,
    kata: String,
    expect: String,
    max_score: u32,
    needs_unprivileged: bool,
    source: String,
}

fn load_cases() -> Vec<Case> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/hostile");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let source = std::fs::read_to_string(&path).unwrap();
            let field = |key: &str| {
                source
                    .lines()
                    .find_map(|l| l.strip_prefix(&format!("//! {key}:")))
                    .map(|v| v.trim().to_string())
            };
            let name = path.file_stem().unwrap().to_string_lossy().into_owned();
            let missing = |key: &str| format!("{name}: no `//! {key}:` line");
            Case {
                what: field("hostile").unwrap_or_else(|| panic!("{}", missing("hostile"))),
                kata: field("kata").unwrap_or_else(|| panic!("{}", missing("kata"))),
                expect: field("expect").unwrap_or_else(|| panic!("{}", missing("expect"))),
                max_score: field("max-score")
                    .unwrap_or_else(|| panic!("{}", missing("max-score")))
                    .parse()
                    .unwrap(),
                needs_unprivileged: field("requires").as_deref() == Some("unprivileged"),
                name,
                source,
            }
        })
        .collect()
}

fn render(report: &Report) -> String {
    grader::report::render_human(report, Path::new("."))
}

/// Grades one case; returns its wall time, or what went wrong.
fn run_case(case: &Case) -> Result<Duration, String> {
    let home = common::home();
    let catalog = Catalog::load(&home).unwrap();
    let kata = catalog.find(&case.kata).unwrap();
    let dir = common::submission_with(kata, &case.source);
    let mut options = common::options(&format!("hostile-{}", case.name), dir.path());
    options.katas = vec![kata.name.clone()];
    options.jobs = 1; // two cases run at once
    options.timeout_cap = Some(Duration::from_secs(3));
    let start = Instant::now();
    let graded = grader::grade(&home, &options, &grader::Silent)
        .map_err(|e| format!("{}: grading failed: {e}", case.name))?;
    let elapsed = start.elapsed();
    let report = common::kata(&graded.report, &kata.name);
    let text = render(&graded.report);
    let mut problems = Vec::new();
    if report.score > case.max_score {
        problems.push(format!(
            "scored {} (at most {} allowed)",
            report.score, case.max_score
        ));
    }
    // `a | b`: either explanation is right (a case that crashes fast on an idle machine may
    // hit the time limit first on a loaded one).
    if !case.expect.split(" | ").any(|e| text.contains(e)) {
        problems.push(format!("the report does not say {:?}", case.expect));
    }
    if problems.is_empty() {
        Ok(elapsed)
    } else {
        Err(format!(
            "{} ({}): {}\n{text}",
            case.name,
            case.what,
            problems.join("; ")
        ))
    }
}

/// Live shells and sleeps of the grader's test users: what the fork bomb and the other
/// process-starting cases would leave behind. (Only those: test binaries of gradings still
/// running beside this check, under the same kind of user, are not leftovers.)
fn test_user_processes() -> usize {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return 0;
    };
    entries
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().parse::<u32>().is_ok())
        .filter(|e| {
            std::fs::read_to_string(e.path().join("status")).is_ok_and(|s| {
                let state_zombie = s
                    .lines()
                    .any(|l| l.starts_with("State:") && l.contains('Z'));
                let uid = s
                    .lines()
                    .find_map(|l| l.strip_prefix("Uid:"))
                    .and_then(|l| l.split_whitespace().next()?.parse::<u32>().ok());
                let name = s
                    .lines()
                    .find_map(|l| l.strip_prefix("Name:"))
                    .map(str::trim);
                let leftover = matches!(name, Some("sh" | "sleep" | "head" | "rm"));
                !state_zombie && leftover && uid.is_some_and(|u| sandbox::TEST_UIDS.contains(&u))
            })
        })
        .count()
}

#[test]
fn every_hostile_submission_is_contained() {
    use std::os::unix::fs::PermissionsExt;
    // Something the grader's user owns that a test must not be able to delete.
    let _ = std::fs::remove_file(BIG_FILE);
    std::fs::create_dir_all(CANARY_DIR).unwrap();
    std::fs::set_permissions(CANARY_DIR, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::write(format!("{CANARY_DIR}/canary"), "still here").unwrap();

    let unprivileged = sandbox::measures().unprivileged;
    let cases: Vec<Case> = load_cases()
        .into_iter()
        .filter(|c| {
            let run = unprivileged || !c.needs_unprivileged;
            if !run {
                eprintln!("{}: not run here (tests cannot run unprivileged)", c.name);
            }
            run
        })
        .collect();
    assert!(
        cases.len() >= 15,
        "the corpus shrank to {} cases",
        cases.len()
    );

    let next = AtomicUsize::new(0);
    let results = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| {
                while let Some(case) = cases.get(next.fetch_add(1, Ordering::Relaxed)) {
                    let result = run_case(case);
                    results.lock().unwrap().push((case.name.clone(), result));
                }
            });
        }
    });
    let mut results = results.into_inner().unwrap();
    results.sort_by(|a, b| a.0.cmp(&b.0));

    let mut failures = Vec::new();
    let mut worst = Duration::ZERO;
    for (name, result) in &results {
        match result {
            Ok(took) => {
                eprintln!("{name:<32} contained in {:>5.1} s", took.as_secs_f64());
                worst = worst.max(*took);
            }
            Err(e) => failures.push(e.clone()),
        }
    }
    eprintln!("worst case: {:.1} s", worst.as_secs_f64());
    assert!(
        failures.is_empty(),
        "not contained:\n{}",
        failures.join("\n\n")
    );
    assert!(worst < WORST_CASE, "the slowest case took {worst:?}");

    assert_eq!(
        std::fs::read_to_string(format!("{CANARY_DIR}/canary"))
            .ok()
            .as_deref(),
        Some("still here"),
        "a submission deleted or changed a file outside the grader's scratch space"
    );
    let big = std::fs::metadata(BIG_FILE).map(|m| m.len()).unwrap_or(0);
    assert!(
        big <= sandbox::FILE_BYTES,
        "a test wrote {big} bytes to one file"
    );
    let _ = std::fs::remove_file(BIG_FILE);
    // SIGKILL is asynchronous: give stragglers a bounded moment to die.
    let mut left = test_user_processes();
    for _ in 0..100 {
        if left == 0 {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
        left = test_user_processes();
    }
    assert_eq!(left, 0, "processes started by tests outlived them");
}

#[test]
fn code_that_breaks_only_the_loom_build_loses_only_the_loom_checks() {
    let home = common::home();
    let race = Catalog::load(&home).unwrap().find("race").unwrap().clone();
    let solution =
        std::fs::read_to_string(home.root().join("solutions/03-race/src/lib.rs")).unwrap();
    let source = format!("{solution}\n#[cfg(kata_loom)]\ncompile_error!(\"no loom here\");\n");
    let dir = common::submission_with(&race, &source);
    let mut options = common::options("loom-only-break", dir.path());
    options.katas = vec!["race".into()];
    let graded = common::grade(&options);
    let report = common::kata(&graded.report, "race");
    for check in &report.checks {
        if check.kind == grader::discover::CheckKind::Loom {
            assert_eq!(check.status, Status::BuildError, "{}", check.test);
            assert!(check.output.contains("no loom here"), "{}", check.output);
        } else {
            assert_eq!(
                check.status,
                Status::Passed,
                "{}: {}",
                check.test,
                check.output
            );
        }
    }
}

#[test]
fn files_beside_lib_rs_are_ignored_and_a_read_only_submission_is_graded() {
    use std::os::unix::fs::PermissionsExt;
    let home = common::home();
    let race = Catalog::load(&home).unwrap().find("race").unwrap().clone();
    let stub = std::fs::read_to_string(home.exercises_dir().join("03-race/src/lib.rs")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let kata_dir = dir.path().join(&race.dir_name);
    common::write_kata(dir.path(), &race, &stub);
    let canary = dir.path().join("build-script-ran");
    let write = |rel: &str, text: &str| {
        let path = kata_dir.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write(
        "build.rs",
        &format!(
            "fn main() {{ std::fs::write({:?}, \"\").unwrap(); }}",
            canary
        ),
    );
    write(
        "Cargo.toml",
        "[package]\nname = \"race\"\nversion = \"0.1.0\"\nbuild = \"build.rs\"\n[dependencies]\nevil = \"1\"\n",
    );
    write(
        ".cargo/config.toml",
        "[build]\nrustflags = [\"--cfg\", \"evil\"]\n",
    );
    write(
        "tests/visible.rs",
        "#[test]\nfn counter_starts_at_zero() {}\n",
    );
    write("src/hidden.rs", "pub fn leak() {}\n");
    // Read-only, all the way down.
    for entry in walk(dir.path()) {
        let mode = if entry.is_dir() { 0o555 } else { 0o444 };
        std::fs::set_permissions(&entry, std::fs::Permissions::from_mode(mode)).unwrap();
    }
    let mut options = common::options("extras", dir.path());
    options.katas = vec!["race".into()];
    let graded = common::grade(&options);
    let report = common::kata(&graded.report, "race");
    assert_eq!(report.score, 0, "{}", common::dump(&graded.report));
    assert_eq!(report.state, KataState::NotStarted);
    assert!(!canary.exists(), "the submission's build.rs ran");
    for entry in walk(dir.path()) {
        std::fs::set_permissions(&entry, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
}

fn walk(root: &Path) -> Vec<PathBuf> {
    let mut all = vec![root.to_path_buf()];
    let mut i = 0;
    while i < all.len() {
        if all[i].is_dir() {
            let mut children: Vec<PathBuf> = std::fs::read_dir(&all[i])
                .unwrap()
                .map(|e| e.unwrap().path())
                .collect();
            all.append(&mut children);
        }
        i += 1;
    }
    all
}
