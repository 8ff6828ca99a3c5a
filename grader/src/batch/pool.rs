//! The workers: several submissions graded at once, each worker in a grading workspace of its
//! own (`<prefix>-<worker>`) sharing the work dir's build caches.
//!
//! A worker keeps its workspace from one student to the next, and the engine rewrites only
//! the files whose contents changed, so cargo rebuilds only the katas where this student's
//! code differs from the previous one's; the dependencies are never rebuilt.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use crate::batch::intake::Staged;
use crate::batch::store::{KataScore, Meta, Store};
use crate::batch::{BatchOptions, BatchProgress, Columns, Outcome, Row, Timing};
use crate::grade::{Silent, grade};
use crate::home::Home;

/// One submission to grade.
#[derive(Debug, Clone)]
pub struct Job {
    /// The student.
    pub student: String,
    /// Their staged sources.
    pub staged: Staged,
    /// What their report's meta will say.
    pub meta: Meta,
}

/// What every worker reads.
pub(crate) struct Context<'a> {
    pub home: &'a Home,
    pub options: &'a BatchOptions,
    pub columns: &'a Columns,
    pub store: &'a Store,
}

/// Grades `jobs` on the options' number of workers; one row per job, in no set order.
pub(crate) fn grade_all(
    ctx: &Context<'_>,
    jobs: Vec<Job>,
    progress: &dyn BatchProgress,
) -> Vec<Row> {
    let workers = ctx.options.workers.clamp(1, jobs.len().max(1));
    let next = AtomicUsize::new(0);
    let rows = Mutex::new(Vec::with_capacity(jobs.len()));
    std::thread::scope(|s| {
        for worker in 0..workers {
            let (next, rows, jobs) = (&next, &rows, &jobs);
            s.spawn(move || {
                let mut first = true;
                while let Some(job) = jobs.get(next.fetch_add(1, Ordering::Relaxed)) {
                    progress.started(&job.student, worker);
                    let row = grade_one(ctx, job, worker, first);
                    first = false;
                    let _ = std::fs::remove_dir_all(&job.staged.root);
                    progress.finished(&row);
                    // A poisoned lock only means another worker panicked while pushing;
                    // the rows it holds are still whole.
                    rows.lock().unwrap_or_else(|e| e.into_inner()).push(row);
                }
            });
        }
    });
    rows.into_inner().unwrap_or_else(|e| e.into_inner())
}

/// Grades one submission and saves its report; every failure becomes the row's problem.
fn grade_one(ctx: &Context<'_>, job: &Job, worker: usize, first: bool) -> Row {
    let mut options = ctx.options.grading.clone();
    options.submission = Some(job.staged.root.clone());
    options.workspace_name = format!("{}-{worker}", ctx.options.workspace_prefix);
    ctx.store.forget(&job.student);
    let started = Instant::now();
    let graded = match catching(|| grade(ctx.home, &options, &Silent)) {
        Ok(Ok(graded)) => graded,
        Ok(Err(e)) => {
            return ctx
                .columns
                .problem_row(&job.student, &format!("grading failed: {e}"));
        }
        Err(panic) => return ctx.columns.problem_row(&job.student, &panic),
    };
    let timing = Timing {
        worker,
        first_in_workspace: first,
        took: started.elapsed(),
    };
    let scores: Vec<KataScore> = graded
        .report
        .katas
        .iter()
        .map(|k| KataScore {
            name: k.name.clone(),
            score: k.score,
            max_score: k.max_score,
        })
        .collect();
    let mut row = ctx
        .columns
        .scored_row(&job.student, &scores, Outcome::Graded(timing));
    if let Err(e) = ctx.store.save(&job.student, &graded.report, &job.meta) {
        // The scores stand; without its report the student is simply graded again next run.
        row.problem = Some(format!(
            "graded, but the report could not be saved in {}: {e}",
            ctx.store.dir().display()
        ));
    }
    row
}

/// Runs `f`, turning a panic into a sentence: a bug in the grader must cost one student's
/// row (and be reported there), not the rest of the class's grading.
pub(crate) fn catching<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    catch_unwind(AssertUnwindSafe(f)).map_err(|payload| {
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "no message".into());
        format!("the grader failed on this submission (a bug in the grader: {message})")
    })
}
