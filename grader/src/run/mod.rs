//! Run: every check in its own process, in parallel, each with a time limit.

pub mod libtest;
pub mod process;
pub mod sandbox;
pub mod verdict;

use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use crate::discover::CheckSpec;
use crate::report::Status;

/// One test to run: which binary, which test, with what environment.
#[derive(Debug, Clone)]
pub struct CheckJob {
    /// The kata's name (for progress messages).
    pub kata: String,
    /// The manifest entry.
    pub spec: CheckSpec,
    /// The test binary.
    pub exe: PathBuf,
    /// The working directory (the kata's package folder).
    pub cwd: PathBuf,
    /// Extra environment variables for the test process.
    pub env: Vec<(String, String)>,
}

/// How a check ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckOutcome {
    /// Passed, failed or timed out.
    pub status: Status,
    /// What the learner should read: the panic, the deadlock, the time limit.
    pub output: String,
    /// Wall time of the test process.
    pub elapsed: Duration,
}

/// Runs `jobs` on `parallel` threads (each job a child process), longest kinds first so the
/// run ends sooner; results come back in the order of `jobs`. `on_done` is called after each.
pub fn run_checks(
    jobs: &[CheckJob],
    parallel: usize,
    on_done: &(dyn Fn(&CheckJob, &CheckOutcome) + Sync),
) -> Vec<CheckOutcome> {
    let mut order: Vec<usize> = (0..jobs.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(jobs[i].spec.timeout()));
    let next = AtomicUsize::new(0);
    let results: Vec<Mutex<Option<CheckOutcome>>> = jobs.iter().map(|_| Mutex::new(None)).collect();
    std::thread::scope(|scope| {
        for _ in 0..parallel.max(1).min(jobs.len().max(1)) {
            scope.spawn(|| {
                loop {
                    let slot = next.fetch_add(1, Ordering::Relaxed);
                    let Some(&index) = order.get(slot) else { break };
                    let job = &jobs[index];
                    let outcome = verdict::run_one(job);
                    on_done(job, &outcome);
                    *results[index].lock().unwrap() = Some(outcome);
                }
            });
        }
    });
    results
        .into_iter()
        .map(|r| r.into_inner().unwrap().expect("every job ran"))
        .collect()
}
