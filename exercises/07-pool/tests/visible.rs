//! Visible tests for the `pool` kata. Run them with `cargo test -p pool`.
//!
//! None of them decides anything by timing. "Runs at once" is proved with a `Barrier`: a pool
//! that runs one job at a time waits at the barrier forever, and the grader's time limit
//! turns that hang into a failed check. "Has not finished yet" is proved with a `Gate` that
//! only this test opens.

use std::time::Duration;

use kata_sync::sync::atomic::{AtomicUsize, Ordering};
use kata_sync::sync::{Arc, Barrier, Condvar, Mutex};
use pool::{JobPanicked, ThreadPool, WaitError};

/// A door that starts closed: `pass` blocks until someone calls `open`.
#[derive(Default)]
struct Gate {
    open: Mutex<bool>,
    opened: Condvar,
}

impl Gate {
    fn open(&self) {
        *self.open.lock().unwrap() = true;
        self.opened.notify_all();
    }

    fn pass(&self) {
        let mut open = self.open.lock().unwrap();
        while !*open {
            open = self.opened.wait(open).unwrap();
        }
    }
}

#[test]
fn submit_returns_a_task_that_gives_the_jobs_value() {
    let pool = ThreadPool::new(2);
    let task = pool.submit(|| 6 * 7);
    assert_eq!(task.wait(), Ok(42));
    let task = pool.submit(|| String::from("hello from a worker"));
    assert_eq!(task.wait().as_deref(), Ok("hello from a worker"));
}

#[test]
fn workers_reports_the_size_of_the_pool() {
    assert_eq!(ThreadPool::new(1).workers(), 1);
    assert_eq!(ThreadPool::new(3).workers(), 3);
}

#[test]
fn a_pool_of_zero_workers_panics() {
    // A pool of one must work first: an unfinished `new` (a `todo!()` panics too) must not
    // pass this test.
    assert_eq!(ThreadPool::new(1).workers(), 1);
    let zero = std::panic::catch_unwind(|| ThreadPool::new(0));
    assert!(zero.is_err(), "ThreadPool::new(0) must panic");
}

#[test]
fn map_returns_the_results_in_input_order() {
    let pool = ThreadPool::new(3);
    let results = pool.map(0..20u64, |x| x * x);
    let expected: Vec<Result<u64, JobPanicked>> = (0..20u64).map(|x| Ok(x * x)).collect();
    assert_eq!(results, expected);
}

#[test]
fn a_panicking_job_gives_err_with_its_message() {
    let pool = ThreadPool::new(1);
    let task = pool.submit(|| -> u32 { panic!("the job failed on purpose") });
    assert_eq!(
        task.wait(),
        Err(JobPanicked {
            message: "the job failed on purpose".to_string()
        })
    );
}

#[test]
fn two_workers_run_two_jobs_at_once() {
    // Each job waits at the barrier until the other job arrives there too: a pool that runs
    // one job at a time never gets both there and hangs.
    let pool = ThreadPool::new(2);
    let barrier = Arc::new(Barrier::new(2));
    let tasks: Vec<_> = (0..2)
        .map(|i| {
            let barrier = Arc::clone(&barrier);
            pool.submit(move || {
                barrier.wait();
                i
            })
        })
        .collect();
    let results: Vec<_> = tasks.into_iter().map(|task| task.wait()).collect();
    assert_eq!(results, [Ok(0), Ok(1)]);
}

#[test]
fn dropping_the_pool_runs_every_queued_job_first() {
    let done = Arc::new(AtomicUsize::new(0));
    let pool = ThreadPool::new(1);
    for _ in 0..100 {
        let done = Arc::clone(&done);
        pool.submit(move || {
            done.fetch_add(1, Ordering::SeqCst);
        });
    }
    drop(pool);
    assert_eq!(
        done.load(Ordering::SeqCst),
        100,
        "jobs were lost or still running"
    );
}

#[test]
fn wait_timeout_times_out_while_the_job_is_still_blocked() {
    let pool = ThreadPool::new(1);
    let gate = Arc::new(Gate::default());
    let blocked = {
        let gate = Arc::clone(&gate);
        pool.submit(move || {
            gate.pass();
            "done"
        })
    };
    // The gate is closed, so the job cannot have finished: this is a timeout every time.
    assert!(!blocked.is_finished());
    assert_eq!(
        blocked.wait_timeout(Duration::from_millis(50)),
        Err(WaitError::Timeout)
    );
    gate.open();
    let quick = pool.submit(|| "quick");
    assert_eq!(quick.wait_timeout(Duration::from_secs(60)), Ok("quick"));
}
