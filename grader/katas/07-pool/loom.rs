#![cfg(kata_loom)]
//! Loom models: tiny pools (1 or 2 workers, 2 jobs) under every interleaving loom explores.
//! They prove what real threads can only make likely: that `Drop` and `shutdown` never lose a
//! queued job nor return before the jobs ran, that a result reaches the waiting thread, that
//! one worker never runs two jobs at once, and that `map` keeps input order.

use kata_sync::sync::Arc;
use kata_sync::sync::atomic::{AtomicUsize, Ordering};
use pool::ThreadPool;

/// Submits a job that adds 1 to `counter`.
fn count_on(pool: &ThreadPool, counter: &Arc<AtomicUsize>) {
    let counter = Arc::clone(counter);
    pool.submit(move || {
        counter.fetch_add(1, Ordering::SeqCst);
    });
}

/// Two jobs queued on one worker, then the pool is dropped at once, maybe before the worker
/// has even looked at the queue. Both jobs must have run by the time `drop` returns.
#[test]
fn dropping_the_pool_runs_both_queued_jobs_first() {
    kata_sync::model(|| {
        let counter = Arc::new(AtomicUsize::new(0));
        let pool = ThreadPool::new(1);
        count_on(&pool, &counter);
        count_on(&pool, &counter);
        drop(pool);
        assert_eq!(
            counter.load(Ordering::SeqCst),
            2,
            "drop returned before both queued jobs ran"
        );
    });
}

/// Two workers, two jobs, then `shutdown`: when it returns, both jobs have run.
#[test]
fn shutdown_returns_only_after_both_jobs_ran() {
    kata_sync::model(|| {
        let counter = Arc::new(AtomicUsize::new(0));
        let pool = ThreadPool::new(2);
        count_on(&pool, &counter);
        count_on(&pool, &counter);
        pool.shutdown();
        assert_eq!(
            counter.load(Ordering::SeqCst),
            2,
            "shutdown returned before both jobs ran"
        );
    });
}

/// A job writes a side effect with `Relaxed` and returns a value; the thread that waits for
/// the task must get the value, and must also see the side effect: `wait` has to synchronise
/// with the end of the job (a lock, a channel, or Release/Acquire), not merely spin on a
/// relaxed flag.
#[test]
fn wait_receives_the_value_and_sees_the_jobs_writes() {
    kata_sync::model(|| {
        let side_effect = Arc::new(AtomicUsize::new(0));
        let pool = ThreadPool::new(1);
        let task = {
            let side_effect = Arc::clone(&side_effect);
            pool.submit(move || {
                side_effect.store(7, Ordering::Relaxed);
                String::from("done")
            })
        };
        assert_eq!(task.wait().as_deref(), Ok("done"));
        assert_eq!(
            side_effect.load(Ordering::Relaxed),
            7,
            "wait returned but the job's write is not visible"
        );
        drop(pool);
    });
}

/// A pool of one worker given two jobs: the jobs must never overlap.
#[test]
fn one_worker_never_runs_two_jobs_at_once() {
    kata_sync::model(|| {
        let running = Arc::new(AtomicUsize::new(0));
        let overlaps = Arc::new(AtomicUsize::new(0));
        let pool = ThreadPool::new(1);
        let tasks: Vec<_> = (0..2)
            .map(|_| {
                let (running, overlaps) = (Arc::clone(&running), Arc::clone(&overlaps));
                pool.submit(move || {
                    if running.fetch_add(1, Ordering::SeqCst) != 0 {
                        overlaps.fetch_add(1, Ordering::SeqCst);
                    }
                    running.fetch_sub(1, Ordering::SeqCst);
                })
            })
            .collect();
        for task in tasks {
            assert_eq!(task.wait(), Ok(()));
        }
        assert_eq!(
            overlaps.load(Ordering::SeqCst),
            0,
            "a pool of 1 worker ran 2 jobs at once"
        );
        drop(pool);
    });
}

/// `map` over two items on two workers: whichever finishes first, the results come back in
/// input order.
#[test]
fn map_on_two_workers_keeps_input_order() {
    kata_sync::model(|| {
        let pool = ThreadPool::new(2);
        let results = pool.map([1, 2], |x| x * 10);
        assert_eq!(results, [Ok(10), Ok(20)]);
        drop(pool);
    });
}
