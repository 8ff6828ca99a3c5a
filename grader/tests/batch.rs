//! Batch grading of a generated class of 30: correct answers in every layout a teacher gets
//! (flat kata folders, clones, wrapped folders, a .zip), the shipped mutants, code that does
//! not compile, hostile code, a hostile .zip, and entries that are not submissions at all.
//! Every row's scores and problem are checked, the gradebook must parse, and a rerun must
//! resume (grade no one, write the same gradebook) and regrade exactly who changed.
//!
//! Only `race` and `deadlock` are graded, and most students differ only in `race`, so after
//! each worker's first submission a grading rebuilds one kata: the test prints that cost next
//! to the first's (BENCHMARKS.md, "Batch grading").

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;

use grader::batch::{self, BatchOptions, Outcome, Row};
use grader::discover::mutants_of;

const KATAS: [&str; 2] = ["race", "deadlock"];
const WORKERS: usize = 2;
/// The correct answers' checks take well under a second here; the cap bounds the endless
/// loop (each of its hanging checks costs this long).
const TIMEOUT_CAP_SECS: u64 = 5;
const PREFIX: &str = "test-batch";

/// What a kata must score.
#[derive(Debug, Clone, Copy)]
enum Expect {
    Full,
    Less,
    Zero,
    AtMost(u32),
}
use Expect::{AtMost, Full, Less, Zero};

/// One student: what each kata must score, what the row's problem must say, and what the
/// JSON report must say.
struct Student {
    name: &'static str,
    race: Expect,
    deadlock: Expect,
    problem: Option<&'static str>,
    report_says: Option<&'static str>,
}

fn repo(path: &str) -> PathBuf {
    common::home().root().join(path)
}

fn read(path: &str) -> String {
    std::fs::read_to_string(repo(path)).unwrap()
}

/// The reference race answer with a line of its own, so every student's differs and costs a
/// real rebuild, as in a class.
fn race_solution(student: &str) -> String {
    format!(
        "{}\n// submitted by {student}\n",
        read("solutions/03-race/src/lib.rs")
    )
}

fn deadlock_solution() -> String {
    read("solutions/04-deadlock/src/lib.rs")
}

fn write(path: &Path, text: impl AsRef<[u8]>) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// Writes kata folders `03-race` and `04-deadlock` under `root`, each if given.
fn katas_at(root: &Path, race: Option<&str>, deadlock: Option<&str>) {
    if let Some(source) = race {
        write(&root.join("03-race/src/lib.rs"), source);
    }
    if let Some(source) = deadlock {
        write(&root.join("04-deadlock/src/lib.rs"), source);
    }
}

/// A .zip holding `files` (name, contents), deflated as zip tools write them.
fn zip_of(files: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    for (name, bytes) in files {
        out.start_file(*name, options).unwrap();
        out.write_all(bytes).unwrap();
    }
    out.finish().unwrap().into_inner()
}

/// A shipped mutant's source.
fn mutant(kata: &str, slug: &str) -> String {
    let katas = common::katas();
    let kata = katas.iter().find(|k| k.name == kata).unwrap();
    let found = mutants_of(kata).unwrap();
    let mutant = found.iter().find(|m| m.slug == slug).unwrap();
    std::fs::read_to_string(&mutant.path).unwrap()
}

fn hostile(case: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/hostile")
            .join(format!("{case}.rs")),
    )
    .unwrap()
}

fn student(name: &'static str, race: Expect, deadlock: Expect) -> Student {
    Student {
        name,
        race,
        deadlock,
        problem: None,
        report_says: None,
    }
}

fn broken(name: &'static str, problem: &'static str) -> Student {
    Student {
        problem: Some(problem),
        ..student(name, Zero, Zero)
    }
}

/// Writes the class into `dir`; returns who is in it and what each must get.
fn generate_class(dir: &Path) -> Vec<Student> {
    let deadlock = deadlock_solution();
    let mut class = Vec::new();

    // Correct, in every layout.
    for name in ["correct-01", "correct-02", "correct-03"] {
        katas_at(&dir.join(name), Some(&race_solution(name)), Some(&deadlock));
        class.push(student(name, Full, Full));
    }
    for name in ["clone-04", "clone-05"] {
        // A clone: exercises/ is graded, never the stubs put in its solutions/ folder.
        let root = dir.join(name);
        katas_at(
            &root.join("exercises"),
            Some(&race_solution(name)),
            Some(&deadlock),
        );
        katas_at(
            &root.join("solutions"),
            Some(&read("exercises/03-race/src/lib.rs")),
            None,
        );
        write(&root.join("README.md"), "# katas\n");
        class.push(student(name, Full, Full));
    }
    let wrapped = dir.join("wrapped-06/katas-main/exercises");
    katas_at(
        &wrapped,
        Some(&race_solution("wrapped-06")),
        Some(&deadlock),
    );
    class.push(student("wrapped-06", Full, Full));

    // Only src/lib.rs is taken, and a link is not followed out of the submission.
    let root = dir.join("symlink-07");
    katas_at(&root, Some(&race_solution("symlink-07")), None);
    write(&root.join("03-race/build.rs"), "fn main() { panic!() }");
    write(&root.join("03-race/tests/visible.rs"), "#[test] fn t() {}");
    std::fs::create_dir_all(root.join("04-deadlock/src")).unwrap();
    std::os::unix::fs::symlink(
        repo("solutions/04-deadlock/src/lib.rs"),
        root.join("04-deadlock/src/lib.rs"),
    )
    .unwrap();
    class.push(Student {
        report_says: Some("has no src/lib.rs"),
        ..student("symlink-07", Full, Zero)
    });

    // A .zip of a clone, wrapped in a folder as GitHub's "Download ZIP" does.
    let bytes = zip_of(&[
        ("katas-main/README.md", b"# katas\n".to_vec()),
        (
            "katas-main/exercises/03-race/src/lib.rs",
            race_solution("zipped-08").into_bytes(),
        ),
        (
            "katas-main/exercises/04-deadlock/src/lib.rs",
            deadlock.clone().into_bytes(),
        ),
        (
            "katas-main/solutions/03-race/src/lib.rs",
            b"this is not the graded copy".to_vec(),
        ),
    ]);
    write(&dir.join("zipped-08.zip"), bytes);
    class.push(student("zipped-08", Full, Full));

    // Part of the work: a missing kata scores 0 but is no problem.
    katas_at(
        &dir.join("partial-09"),
        Some(&race_solution("partial-09")),
        None,
    );
    class.push(Student {
        report_says: Some("has no 04-deadlock folder"),
        ..student("partial-09", Full, Zero)
    });

    // Buggy: every shipped race mutant, and two deadlock ones.
    let race_mutants = [
        ("mutant-10", "counter-load-then-store"),
        ("mutant-11", "counter-mutex-locked-twice"),
        ("mutant-12", "deposit-read-then-write"),
        ("mutant-13", "withdraw-check-then-act"),
        ("mutant-14", "withdraw-off-by-one-overdraft"),
        ("mutant-15", "withdraw-refuses-exact-balance"),
        ("mutant-16", "withdraw-writes-back-stale-balance"),
    ];
    for (name, slug) in race_mutants {
        katas_at(
            &dir.join(name),
            Some(&mutant("race", slug)),
            Some(&deadlock),
        );
        class.push(student(name, Less, Full));
    }
    for (name, slug) in [
        ("mutant-17", "self-transfer-always-succeeds"),
        (
            "mutant-18",
            "transfer-checks-balance-in-a-separate-lock-section",
        ),
    ] {
        katas_at(
            &dir.join(name),
            Some(&race_solution(name)),
            Some(&mutant("deadlock", slug)),
        );
        class.push(student(name, Full, Less));
    }

    // Not compiling.
    let wrong_type = race_solution("no-build-19").replacen(
        "pub fn get(&self) -> u64 {",
        "pub fn get(&self) -> u64 { let _x: u8 = \"no\";",
        1,
    );
    assert_ne!(wrong_type, race_solution("no-build-19"));
    katas_at(&dir.join("no-build-19"), Some(&wrong_type), Some(&deadlock));
    class.push(Student {
        report_says: Some("mismatched types"),
        ..student("no-build-19", Zero, Full)
    });
    katas_at(
        &dir.join("no-build-20"),
        Some(&race_solution("no-build-20")),
        Some("pub fn unfinished( {"),
    );
    class.push(student("no-build-20", Full, Zero));

    // The untouched stubs.
    katas_at(
        &dir.join("stub-21"),
        Some(&read("exercises/03-race/src/lib.rs")),
        Some(&read("exercises/04-deadlock/src/lib.rs")),
    );
    class.push(student("stub-21", Zero, Zero));

    // Hostile code: rejected before it is built, or stopped by the time limit.
    for (name, case, says) in [
        ("hostile-22", "unsafe-block", "unsafe"),
        ("hostile-23", "std-process", "std::process::exit"),
    ] {
        katas_at(&dir.join(name), Some(&hostile(case)), Some(&deadlock));
        class.push(Student {
            report_says: Some(says),
            ..student(name, Zero, Full)
        });
    }
    katas_at(
        &dir.join("hostile-24"),
        Some(&hostile("infinite-loop")),
        Some(&deadlock),
    );
    class.push(Student {
        report_says: Some("did not finish in"),
        ..student("hostile-24", AtMost(78), Full)
    });

    // A hostile .zip: names that leave the archive, a bomb that is not a kata source, and a
    // kata source that inflates past the size limit.
    let mut oversized = b"// ".to_vec();
    oversized.resize(3 * 1024 * 1024, b'x');
    let bytes = zip_of(&[
        ("../escape-marker/03-race/src/lib.rs", b"escaped".to_vec()),
        ("/escape-marker/03-race/src/lib.rs", b"escaped".to_vec()),
        ("zeros.bin", vec![0; 32 * 1024 * 1024]),
        (
            "03-race/src/lib.rs",
            race_solution("zip-bomb-25").into_bytes(),
        ),
        ("04-deadlock/src/lib.rs", oversized),
    ]);
    write(&dir.join("zip-bomb-25.zip"), bytes);
    class.push(Student {
        report_says: Some("the grader accepts at most"),
        ..student("zip-bomb-25", Full, Zero)
    });

    // Not submissions at all: each is a row with a problem, and the batch goes on.
    std::fs::create_dir_all(dir.join("empty-26")).unwrap();
    class.push(broken("empty-26", "the folder is empty"));
    write(&dir.join("broken-27.zip"), b"PK\x03\x04 this is not a zip");
    class.push(broken("broken-27", "not a readable .zip archive"));
    write(&dir.join("file-28.txt"), "my answers are in my head");
    class.push(broken("file-28.txt", "not a folder or a .zip file"));
    write(&dir.join("no-katas-29/notes.md"), "todo");
    class.push(broken("no-katas-29", "holds none of the kata folders"));
    katas_at(
        &dir.join("twice-30"),
        Some(&race_solution("twice-30")),
        None,
    );
    write(&dir.join("twice-30.zip"), zip_of(&[("x", b"x".to_vec())]));
    class.push(broken("twice-30", "2 submissions share this name"));

    // Hidden entries are nobody's.
    write(&dir.join(".DS_Store"), "");
    assert_eq!(class.len(), 30);
    class
}

fn check(kata: &str, expect: Expect, score: u32, max: u32) -> Result<(), String> {
    let ok = match expect {
        Full => score == max,
        Less => score < max,
        Zero => score == 0,
        AtMost(n) => score <= n,
    };
    if ok {
        Ok(())
    } else {
        Err(format!("{kata}: {score}/{max}, expected {expect:?}"))
    }
}

fn grader(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_grader"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

#[test]
fn a_class_of_30_is_graded_and_a_rerun_resumes() {
    let home = common::home();
    let scratch = tempfile::tempdir().unwrap();
    let subs = scratch.path().join("submissions");
    let class = generate_class(&subs);
    let csv_path = scratch.path().join("out/grades.csv");
    let reports = scratch.path().join("out/grades-reports");
    let catalog = grader::discover::Catalog::load(&home).unwrap();
    let max_of = |name: &str| catalog.find(name).unwrap().max_score();

    // Each worker's first submission builds its katas from scratch in its workspace.
    let work_dir = home.default_work_dir();
    for worker in 0..WORKERS {
        let _ = std::fs::remove_dir_all(work_dir.join(format!("{PREFIX}-{worker}")));
    }

    let mut options = BatchOptions::new(subs.clone(), csv_path.clone());
    options.workers = WORKERS;
    options.workspace_prefix = PREFIX.into();
    options.grading.katas = KATAS.map(String::from).to_vec();
    options.grading.jobs = 1;
    options.grading.timeout_cap = Some(Duration::from_secs(TIMEOUT_CAP_SECS));
    let done = batch::run(&home, &options, &batch::Quiet).unwrap();
    assert_eq!(done.reports, reports);

    // Every row is right.
    let mut problems = Vec::new();
    assert_eq!(done.rows.len(), class.len());
    for expected in &class {
        let Some(row) = done.rows.iter().find(|r| r.student == expected.name) else {
            problems.push(format!("{}: no row", expected.name));
            continue;
        };
        let mut wrong = Vec::new();
        for (i, (kata, expect)) in KATAS
            .iter()
            .zip([expected.race, expected.deadlock])
            .enumerate()
        {
            if let Err(e) = check(kata, expect, row.scores[i], max_of(kata)) {
                wrong.push(e);
            }
        }
        if row.total != row.scores.iter().sum::<u32>()
            || row.max != max_of("race") + max_of("deadlock")
        {
            wrong.push(format!("total {}/{}", row.total, row.max));
        }
        match (expected.problem, &row.problem) {
            (None, None) => {}
            (Some(want), Some(got)) if got.contains(want) => {}
            (want, got) => wrong.push(format!("problem {got:?}, expected {want:?}")),
        }
        let report = reports.join(format!("{}.json", expected.name));
        let meta = reports.join(format!("{}.meta", expected.name));
        if expected.problem.is_none() {
            match (
                std::fs::read_to_string(&report),
                std::fs::read_to_string(&meta),
            ) {
                (Ok(report), Ok(meta)) => {
                    if let Some(says) = expected.report_says
                        && !report.contains(says)
                    {
                        wrong.push(format!("the report does not say {says:?}"));
                    }
                    if !meta.contains("\"grader_version\"") || !meta.contains("fnv1a64:") {
                        wrong.push(format!("meta: {meta}"));
                    }
                }
                _ => wrong.push("no report or no meta".into()),
            }
        } else if report.exists() {
            wrong.push("a report for a submission that was not graded".into());
        }
        if !wrong.is_empty() {
            problems.push(format!("{}: {}", expected.name, wrong.join("; ")));
        }
    }
    assert!(problems.is_empty(), "wrong rows:\n{}", problems.join("\n"));

    // Nothing named inside the hostile archive was written anywhere.
    for place in [scratch.path(), subs.as_path(), &work_dir, Path::new("/")] {
        assert!(!place.join("escape-marker").exists(), "{}", place.display());
    }

    // The gradebook parses, in order, with the problem column.
    let text = std::fs::read_to_string(&csv_path).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        header,
        ["student", "race", "deadlock", "total", "max", "problem"]
    );
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), 30);
    let mut names: Vec<&str> = class.iter().map(|s| s.name).collect();
    names.sort();
    assert_eq!(records.iter().map(|r| &r[0]).collect::<Vec<_>>(), names);
    for (record, row) in records.iter().zip(&done.rows) {
        assert_eq!(record[1].parse::<u32>().unwrap(), row.scores[0]);
        assert_eq!(record[2].parse::<u32>().unwrap(), row.scores[1]);
        assert_eq!(record[3].parse::<u32>().unwrap(), row.total);
        assert_eq!(&record[5], row.problem.as_deref().unwrap_or(""));
    }

    // What a submission costs after each worker's first.
    print_costs(&done.rows);

    // A rerun, through the command line, grades no one and writes the same gradebook.
    let args = |extra: &[&str]| -> Vec<String> {
        let mut args: Vec<String> = [
            "batch",
            subs.to_str().unwrap(),
            "--out",
            csv_path.to_str().unwrap(),
            "--jobs",
            "2",
            "--timeout-cap",
            "5",
            "--workspace-prefix",
            PREFIX,
        ]
        .map(String::from)
        .to_vec();
        args.extend(KATAS.map(String::from));
        args.extend(extra.iter().map(|s| s.to_string()));
        args
    };
    let run = |args: Vec<String>| {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = grader(&args);
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(out.status.success(), "{stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
        (String::from_utf8_lossy(&out.stdout).into_owned(), stderr)
    };
    let (stdout, stderr) = run(args(&[]));
    assert!(stderr.contains("grading 0 submissions"), "{stderr}");
    let skipped = stderr.matches("(skipped)").count();
    assert_eq!(skipped, 25, "{stderr}");
    assert!(
        stderr.contains("correct-01: 200/200, already graded with this grader version and the same submission (skipped)"),
        "{stderr}"
    );
    assert!(
        stdout.contains("30 students: 0 graded, 25 already graded (skipped), 5 with a problem"),
        "{stdout}"
    );
    assert_eq!(std::fs::read_to_string(&csv_path).unwrap(), text);

    // One student changes their code: only they are graded again.
    let lib = subs.join("correct-01/03-race/src/lib.rs");
    let mut source = std::fs::read_to_string(&lib).unwrap();
    source.push_str("// a second try\n");
    std::fs::write(&lib, source).unwrap();
    let (stdout, stderr) = run(args(&[]));
    assert!(stderr.contains("grading 1 submissions"), "{stderr}");
    assert!(stderr.contains("[1/1] correct-01: 200/200 in"), "{stderr}");
    assert!(stdout.contains("1 graded, 24 already graded"), "{stdout}");
    assert_eq!(std::fs::read_to_string(&csv_path).unwrap(), text);
}

/// Prints the first submission's cost per worker against the later ones'.
fn print_costs(rows: &[Row]) {
    let mut firsts = Vec::new();
    let mut later = Vec::new();
    for row in rows {
        if let Outcome::Graded(t) = &row.outcome {
            eprintln!(
                "{:<12} worker {} {:>5.1} s{}",
                row.student,
                t.worker,
                secs(t.took),
                if t.first_in_workspace { " (first)" } else { "" }
            );
            if t.first_in_workspace {
                firsts.push(secs(t.took));
            } else {
                later.push(secs(t.took));
            }
        }
    }
    let first = firsts.iter().sum::<f64>() / firsts.len() as f64;
    let mean = later.iter().sum::<f64>() / later.len() as f64;
    let median = median(later);
    eprintln!(
        "batch cost: first submission per worker {first:.1} s; after it median {median:.1} s \
         (ratio {:.2}), mean {mean:.1} s (ratio {:.2}, the endless loop included)",
        median / first,
        mean / first
    );
    assert!(
        median < first,
        "a submission after the first should cost less than the first"
    );
}

/// Tests must start as they would from a shell: a signal mask or handler the batch command
/// sets up for Ctrl-C must not reach them, or a correct supervisor of processes (whose tests
/// kill children with SIGTERM) loses points.
#[test]
fn tests_started_by_the_batch_command_can_be_killed_by_signals() {
    let scratch = tempfile::tempdir().unwrap();
    let subs = scratch.path().join("submissions");
    let kata = subs.join("student/08-processes/src/lib.rs");
    write(&kata, read("solutions/08-processes/src/lib.rs"));
    let csv_path = scratch.path().join("grades.csv");
    let out = grader(&[
        "batch",
        subs.to_str().unwrap(),
        "--out",
        csv_path.to_str().unwrap(),
        "--workspace-prefix",
        "test-batch-signals",
        "processes",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(&csv_path).unwrap();
    let max = common::katas()
        .iter()
        .find(|k| k.name == "processes")
        .unwrap()
        .max_score();
    assert_eq!(
        text,
        format!("student,processes,total,max,problem\nstudent,{max},{max},{max},\n"),
        "{}",
        std::fs::read_to_string(scratch.path().join("grades-reports/student.json")).unwrap()
    );
}
