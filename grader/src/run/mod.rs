//! Run: every check in its own process, in parallel, each with a time limit.

pub mod libtest;
pub mod process;
pub mod sandbox;
pub mod verdict;

use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

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
    /// The time limit: the manifest's, or less if the run caps it.
    pub timeout: Duration,
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
/// No test runs past `deadline`: one that would is cut short, and one not yet started when it
/// passes is reported as not run, so the report is complete whatever the budget.
pub fn run_checks(
    jobs: &[CheckJob],
    parallel: usize,
    deadline: Option<Instant>,
    on_done: &(dyn Fn(&CheckJob, &CheckOutcome) + Sync),
) -> Vec<CheckOutcome> {
    let mut order: Vec<usize> = (0..jobs.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(jobs[i].timeout));
    let next = AtomicUsize::new(0);
    let results: Vec<Mutex<Option<CheckOutcome>>> = jobs.iter().map(|_| Mutex::new(None)).collect();
    std::thread::scope(|scope| {
        for _ in 0..parallel.max(1).min(jobs.len().max(1)) {
            scope.spawn(|| {
                loop {
                    let slot = next.fetch_add(1, Ordering::Relaxed);
                    let Some(&index) = order.get(slot) else { break };
                    let outcome = within_budget(&jobs[index], deadline);
                    on_done(&jobs[index], &outcome);
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

fn within_budget(job: &CheckJob, deadline: Option<Instant>) -> CheckOutcome {
    let Some(deadline) = deadline else {
        return verdict::run_one(job);
    };
    let left = deadline.saturating_duration_since(Instant::now());
    if left.is_zero() {
        return CheckOutcome {
            status: Status::TimedOut,
            output: "not run: the grading run's time budget ran out before this check started"
                .into(),
            elapsed: Duration::ZERO,
        };
    }
    let mut job = job.clone();
    job.timeout = job.timeout.min(left);
    verdict::run_one(&job)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discover::CheckKind;

    fn job(test: &str, exe: &str) -> CheckJob {
        CheckJob {
            kata: "k".into(),
            spec: CheckSpec {
                kind: CheckKind::Hidden,
                test: test.into(),
                name: test.into(),
                points: 1,
                hint: None,
                timeout_secs: None,
                preemption_bound: None,
                cases: None,
                visibility: None,
            },
            exe: exe.into(),
            cwd: ".".into(),
            env: vec![],
            timeout: Duration::from_secs(5),
        }
    }

    #[test]
    fn a_spent_budget_reports_every_check_as_not_run() {
        let jobs = vec![job("a", "/bin/true"), job("b", "/bin/true")];
        let outcomes = run_checks(&jobs, 2, Some(Instant::now()), &|_, _| {});
        for outcome in outcomes {
            assert_eq!(outcome.status, Status::TimedOut);
            assert!(outcome.output.contains("time budget"), "{}", outcome.output);
        }
    }

    #[test]
    fn results_come_back_in_job_order() {
        // `true` exits 0 without libtest's report: every check fails, in its own slot.
        let jobs: Vec<CheckJob> = (0..5).map(|i| job(&format!("t{i}"), "/bin/true")).collect();
        let seen = Mutex::new(Vec::new());
        let outcomes = run_checks(&jobs, 3, None, &|j, _| {
            seen.lock().unwrap().push(j.spec.test.clone())
        });
        assert_eq!(outcomes.len(), 5);
        assert!(outcomes.iter().all(|o| o.status == Status::Failed));
        assert_eq!(seen.into_inner().unwrap().len(), 5);
    }
}
