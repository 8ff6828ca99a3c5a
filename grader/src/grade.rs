//! The pipeline: discover -> assemble -> build -> run -> score -> report.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::assemble::{self, Workspace};
use crate::build::{self, BuildOutput, BuildProfile};
use crate::discover::{Catalog, CheckKind, CheckSpec, Kata, Submission, SubmittedSource};
use crate::error::GradeError;
use crate::home::Home;
use crate::policy;
use crate::report::{KataReport, Report, Status};
use crate::run::{self, CheckJob, CheckOutcome, libtest};
use crate::score::{self, Judged, KataFacts};

/// The seed every property test uses unless told otherwise: fixed, so a regrade of the same
/// code gives the same result.
pub const DEFAULT_PROPTEST_SEED: u64 = 20_261_122;

/// What to grade and how.
#[derive(Debug, Clone)]
pub struct Options {
    /// Kata names (`race`, `03-race`, `3`); empty for all.
    pub katas: Vec<String>,
    /// A clone of the repository or a folder of kata folders; the home's `exercises/` if none.
    pub submission: Option<PathBuf>,
    /// Where the grader keeps its workspace and build caches.
    pub work_dir: Option<PathBuf>,
    /// The workspace's name inside the work dir: separate names let several gradings run at
    /// once while sharing the build caches.
    pub workspace_name: String,
    /// How many test processes run at once.
    pub jobs: usize,
    /// The property tests' RNG seed.
    pub proptest_seed: u64,
    /// No test runs longer than this, whatever its manifest says.
    pub timeout_cap: Option<Duration>,
    /// The whole run (builds and tests) ends within about this long; checks it could not
    /// run are reported as such.
    pub time_budget: Option<Duration>,
    /// A teacher's kata folders (`NN-name/kata.toml`, `hidden.rs`, ...) that replace the
    /// shipped ones of the same name (see [`Catalog::with_overrides`]).
    pub hidden_tests: Option<PathBuf>,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            katas: Vec::new(),
            submission: None,
            work_dir: None,
            workspace_name: "default".into(),
            jobs: std::thread::available_parallelism().map_or(2, |n| n.get()),
            proptest_seed: DEFAULT_PROPTEST_SEED,
            timeout_cap: None,
            time_budget: None,
            hidden_tests: None,
        }
    }
}

/// Told what the grader is doing, for a progress display.
pub trait Progress: Sync {
    /// A build started.
    fn build_started(&self, _profile: BuildProfile) {}
    /// Cargo finished compiling a crate.
    fn compiled(&self, _crate_name: &str) {}
    /// The checks are about to run.
    fn checks_started(&self, _total: usize) {}
    /// One check finished.
    fn check_done(&self, _kata: &str, _check: &str, _status: Status) {}
}

/// Shows nothing.
pub struct Silent;
impl Progress for Silent {}

/// A finished grading run.
#[derive(Debug, Clone)]
pub struct Graded {
    /// The scores and explanations.
    pub report: Report,
    /// The folder the kata folders were read from (for telling the learner which file to edit).
    pub submission_root: PathBuf,
    /// Tests that exist in a test binary but have no `[[check]]`: a fault in a kata's
    /// manifest, which the grader's own test suite rejects.
    pub unchecked_tests: Vec<String>,
}

/// Grades the submission named in `options` against the katas in `home`.
pub fn grade(
    home: &Home,
    options: &Options,
    progress: &dyn Progress,
) -> Result<Graded, GradeError> {
    let deadline = options.time_budget.map(|b| Instant::now() + b);
    let catalog = Catalog::load_with_overrides(home, options.hidden_tests.as_deref())?;
    let katas = catalog.select(&options.katas)?;
    let submission_path = options
        .submission
        .clone()
        .unwrap_or_else(|| home.exercises_dir());
    let submission = Submission::open(&submission_path, &katas)?;
    let sources: Vec<SubmittedSource> = katas.iter().map(|k| submission.source(k)).collect();

    // Static rules first: code that uses what its kata forbids is never built.
    let StaticChecks {
        scans,
        unscanned,
        mut rejected,
    } = static_checks(&katas, &sources);
    let found: Vec<(&Kata, &str)> = katas
        .iter()
        .zip(&sources)
        .filter_map(|(k, s)| match s {
            SubmittedSource::Found { text, .. } if !rejected.contains_key(&k.name) => {
                Some((k, text.as_str()))
            }
            _ => None,
        })
        .collect();
    let work_dir = options
        .work_dir
        .clone()
        .unwrap_or_else(|| home.default_work_dir());
    // Cargo runs inside the workspace, so a relative path would point somewhere else there.
    let work_dir = std::path::absolute(&work_dir).map_err(|e| {
        GradeError::io(
            format!("cannot use {} as the work dir", work_dir.display()),
            e,
        )
    })?;
    let ws = assemble::assemble(home, &work_dir.join(&options.workspace_name), &found)?;

    // Loom sees only what goes through kata_sync: code that bypasses it is not built for loom.
    let bypasses: BTreeMap<String, Vec<policy::Bypass>> = found
        .iter()
        .filter(|(k, _)| k.is_loom_checked())
        .filter_map(|(k, _)| Some((k.name.clone(), scans.get(&k.name)?.loom_bypasses())))
        .filter(|(_, b)| !b.is_empty())
        .collect();

    let normal_packages: Vec<String> = found.iter().map(|(k, _)| k.name.clone()).collect();
    let loom_packages: Vec<String> = found
        .iter()
        .filter(|(k, _)| k.is_loom_checked() && !bypasses.contains_key(&k.name))
        .map(|(k, _)| k.name.clone())
        .collect();
    let normal = run_build(
        &ws,
        &work_dir.join("build"),
        BuildProfile::Normal,
        &normal_packages,
        progress,
    )?;
    for name in &unscanned {
        let dir = &katas
            .iter()
            .find(|k| &k.name == name)
            .expect("selected")
            .dir_name;
        if normal.errors_for(name, "lib").is_empty() {
            rejected.insert(
                name.clone(),
                format!(
                    "{dir}/src/lib.rs was not graded: it compiles, but the grader's checks \
                     could not read it (syntax newer than the checks know?), so it could not be \
                     vetted. Every check scores 0."
                ),
            );
        }
    }
    let loom_packages: Vec<String> = loom_packages
        .into_iter()
        .filter(|p| !rejected.contains_key(p))
        .collect();
    let loom = run_build(
        &ws,
        &work_dir.join("build-loom"),
        BuildProfile::Loom,
        &loom_packages,
        progress,
    )?;

    // Decide every check that cannot run, and make a job of every one that can.
    let mut judged: Vec<Vec<Option<Judged>>> = Vec::new();
    let mut jobs = Vec::new();
    let mut job_slots = Vec::new();
    let mut listings: BTreeMap<PathBuf, Result<Vec<String>, String>> = BTreeMap::new();
    for (ki, (kata, source)) in katas.iter().zip(&sources).enumerate() {
        let mut row = Vec::new();
        for (ci, spec) in kata.manifest.checks.iter().enumerate() {
            let ctx = CheckContext {
                kata,
                spec,
                ws: &ws,
                normal: &normal,
                loom: &loom,
                bypasses: &bypasses,
                options,
            };
            let prepared = match rejected.get(&kata.name) {
                Some(_) => Err(Judged {
                    status: Status::Failed,
                    output: "not run: the code was rejected (the kata's message says why)".into(),
                }),
                None => prepare(&ctx, source, &mut listings),
            };
            match prepared {
                Err(done) => row.push(Some(done)),
                Ok(job) => {
                    row.push(None);
                    jobs.push(job);
                    job_slots.push((ki, ci));
                }
            }
        }
        judged.push(row);
    }

    progress.checks_started(jobs.len());
    let outcomes = run::run_checks(
        &jobs,
        options.jobs,
        deadline,
        &|job: &CheckJob, outcome: &CheckOutcome| {
            progress.check_done(&job.kata, &job.spec.name, outcome.status);
        },
    );
    for ((ki, ci), outcome) in job_slots.into_iter().zip(outcomes) {
        let mut output = outcome.output;
        if katas[ki].manifest.checks[ci].kind == CheckKind::Property
            && outcome.status != Status::Passed
        {
            output.push_str(&format!(
                "\nproptest seed: {seed} (the same failure again: `cargo run -p grader -- {} --seed {seed}`)",
                katas[ki].name,
                seed = options.proptest_seed
            ));
        }
        judged[ki][ci] = Some(Judged {
            status: outcome.status,
            output,
        });
    }

    let reports: Vec<KataReport> = katas
        .iter()
        .zip(&sources)
        .zip(judged)
        .map(|((kata, source), row)| {
            let checks = kata
                .manifest
                .checks
                .iter()
                .zip(row)
                .map(|(spec, j)| score::score_check(spec, j.expect("every check was judged")))
                .collect();
            let mut facts = facts(kata, source, &normal);
            facts.rejected = rejected.get(&kata.name).cloned();
            score::score_kata(kata, checks, facts)
        })
        .collect();
    let mut report = Report::new(reports, options.proptest_seed);
    report.notes = run::sandbox::measures().missing();
    report.toolchain = toolchain();
    Ok(Graded {
        report,
        submission_root: submission.root().to_path_buf(),
        unchecked_tests: unchecked_tests(&katas, &normal, &loom, &listings),
    })
}

/// The static checks' verdicts on every submitted source, before anything is built.
struct StaticChecks {
    /// What the policy read of each source it could parse.
    scans: BTreeMap<String, policy::Scan>,
    /// Katas whose source the policy could not parse: built for rustc's errors, and rejected
    /// if they compile anyway (valid Rust the checks could not vet).
    unscanned: Vec<String>,
    /// Katas whose code uses what the kata forbids, with the sentence saying so.
    rejected: BTreeMap<String, String>,
}

fn static_checks(katas: &[Kata], sources: &[SubmittedSource]) -> StaticChecks {
    let scans: BTreeMap<String, policy::Scan> = katas
        .iter()
        .zip(sources)
        .filter_map(|(k, s)| match s {
            SubmittedSource::Found { text, .. } => Some((k.name.clone(), policy::scan(text)?)),
            SubmittedSource::Missing { .. } => None,
        })
        .collect();
    let unscanned = katas
        .iter()
        .zip(sources)
        .filter(|(k, s)| matches!(s, SubmittedSource::Found { .. }) && !scans.contains_key(&k.name))
        .map(|(k, _)| k.name.clone())
        .collect();
    let rejected = katas
        .iter()
        .filter_map(|k| {
            let found = scans.get(&k.name)?.forbidden(&k.manifest.policy.allow);
            (!found.is_empty()).then(|| {
                (
                    k.name.clone(),
                    policy::explain_forbidden(&k.dir_name, &found),
                )
            })
        })
        .collect();
    StaticChecks {
        scans,
        unscanned,
        rejected,
    }
}

/// `rustc -V` of the compiler cargo uses, or a sentence saying it could not be asked.
fn toolchain() -> String {
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    std::process::Command::new(rustc)
        .arg("-V")
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_else(|| "unknown (rustc -V failed)".into())
}

/// Listed tests that no manifest check names.
fn unchecked_tests(
    katas: &[Kata],
    normal: &BuildOutput,
    loom: &BuildOutput,
    listings: &BTreeMap<PathBuf, Result<Vec<String>, String>>,
) -> Vec<String> {
    let mut found = Vec::new();
    for kata in katas {
        for kind in CheckKind::ALL {
            let build = if kind == CheckKind::Loom {
                loom
            } else {
                normal
            };
            let key = (kata.name.clone(), kind.target().to_string());
            let Some(Ok(names)) = build
                .executables
                .get(&key)
                .and_then(|exe| listings.get(exe))
            else {
                continue;
            };
            for name in names {
                if !kata
                    .manifest
                    .checks
                    .iter()
                    .any(|c| c.kind == kind && &c.test == name)
                {
                    found.push(format!("{}: {kind} test `{name}`", kata.dir_name));
                }
            }
        }
    }
    found
}

fn run_build(
    ws: &Workspace,
    target_dir: &Path,
    profile: BuildProfile,
    packages: &[String],
    progress: &dyn Progress,
) -> Result<BuildOutput, GradeError> {
    if !packages.is_empty() {
        progress.build_started(profile);
    }
    build::build(ws, target_dir, profile, packages, &mut |name| {
        progress.compiled(name)
    })
}

struct CheckContext<'a> {
    kata: &'a Kata,
    spec: &'a CheckSpec,
    ws: &'a Workspace,
    normal: &'a BuildOutput,
    loom: &'a BuildOutput,
    bypasses: &'a BTreeMap<String, Vec<policy::Bypass>>,
    options: &'a Options,
}

/// A job for the check, or its result when it cannot run.
fn prepare(
    ctx: &CheckContext<'_>,
    source: &SubmittedSource,
    listings: &mut BTreeMap<PathBuf, Result<Vec<String>, String>>,
) -> Result<CheckJob, Judged> {
    let fail = |status, output: String| Judged { status, output };
    let (kata, spec) = (ctx.kata, ctx.spec);
    if let SubmittedSource::Missing { reason } = source {
        return Err(fail(Status::Failed, reason.clone()));
    }
    if spec.kind == CheckKind::Loom
        && let Some(found) = ctx.bypasses.get(&kata.name)
    {
        let lines: Vec<String> = found.iter().map(policy::Bypass::explain).collect();
        return Err(fail(Status::Failed, lines.join("\n")));
    }
    let build = if spec.kind == CheckKind::Loom {
        ctx.loom
    } else {
        ctx.normal
    };
    let target = spec.kind.target();
    let key = (kata.name.clone(), target.to_string());
    let Some(exe) = build.executables.get(&key) else {
        let lib_errors = ctx.normal.errors_for(&kata.name, "lib");
        let output = if !lib_errors.is_empty() {
            "not run: the library does not compile (the kata's message has the compiler's errors)"
                .to_string()
        } else {
            let errors = build.errors_for(&kata.name, target);
            if errors.is_empty() {
                format!("not run: cargo built no {target} test binary")
            } else {
                score::test_build_error(spec.kind, &errors)
            }
        };
        return Err(fail(Status::BuildError, output));
    };
    let cwd = ctx
        .ws
        .package_dir(&kata.name)
        .expect("assembled")
        .to_path_buf();
    let listed = listings
        .entry(exe.clone())
        .or_insert_with(|| libtest::list(exe, &cwd));
    match listed {
        Err(e) => {
            return Err(fail(
                Status::Failed,
                format!("the {target} tests could not be listed: {e}"),
            ));
        }
        Ok(names) if !names.contains(&spec.test) => {
            return Err(fail(
                Status::Failed,
                format!(
                    "the grader has no {} test `{}` (a fault in the grader's kata.toml, not in your code)",
                    spec.kind, spec.test
                ),
            ));
        }
        Ok(_) => {}
    }
    Ok(CheckJob {
        kata: kata.name.clone(),
        spec: spec.clone(),
        exe: exe.clone(),
        cwd,
        env: check_env(spec, ctx.options.proptest_seed),
        timeout: match ctx.options.timeout_cap {
            Some(cap) => spec.timeout().min(cap),
            None => spec.timeout(),
        },
    })
}

/// The environment that fixes a check's randomness and bounds.
fn check_env(spec: &CheckSpec, seed: u64) -> Vec<(String, String)> {
    let mut env = vec![
        ("PROPTEST_RNG_SEED".to_string(), seed.to_string()),
        (
            "PROPTEST_DISABLE_FAILURE_PERSISTENCE".to_string(),
            "true".to_string(),
        ),
    ];
    if let Some(cases) = spec.cases {
        env.push(("PROPTEST_CASES".into(), cases.to_string()));
    }
    if spec.kind == CheckKind::Loom {
        env.push((
            "LOOM_MAX_PREEMPTIONS".into(),
            spec.preemption_bound().to_string(),
        ));
        // Makes loom's deadlock and panic reports say where each object was created.
        env.push(("LOOM_LOCATION".into(), "1".into()));
    }
    env
}

fn facts(kata: &Kata, source: &SubmittedSource, normal: &BuildOutput) -> KataFacts {
    match source {
        SubmittedSource::Missing { reason } => KataFacts {
            missing: Some(reason.clone()),
            ..KataFacts::default()
        },
        SubmittedSource::Found { text, .. } => {
            let lib_errors = normal.errors_for(&kata.name, "lib");
            KataFacts {
                missing: None,
                rejected: None,
                build_error: (!lib_errors.is_empty())
                    .then(|| score::lib_build_error(&kata.dir_name, &lib_errors)),
                has_todo: text.contains("todo!("),
            }
        }
    }
}
