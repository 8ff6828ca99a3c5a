//! Property tests for the `pool` kata: for any inputs and any pool size, the pool computes
//! what a plain sequential loop computes, in the same order, and loses nothing.

use kata_sync::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Once;

use kata_sync::sync::Arc;
use pool::{JobPanicked, ThreadPool};
use proptest::prelude::*;

/// The panics below are deliberate: keep their messages out of the output.
fn hush_deliberate_panics() {
    static HUSH: Once = Once::new();
    HUSH.call_once(|| {
        let default_hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let deliberate = info
                .payload_as_str()
                .is_some_and(|message| message.starts_with("deliberate"));
            if !deliberate {
                default_hook(info);
            }
        }));
    });
}

proptest! {
    /// `map` gives exactly what `iter().map()` gives, in input order.
    #[test]
    fn map_matches_a_sequential_map(
        items in proptest::collection::vec(any::<i64>(), 0..40),
        workers in 1usize..5,
    ) {
        let pool = ThreadPool::new(workers);
        let expected: Vec<Result<i64, JobPanicked>> =
            items.iter().map(|x| Ok(x.wrapping_mul(3) ^ 5)).collect();
        let results = pool.map(items, |x| x.wrapping_mul(3) ^ 5);
        prop_assert_eq!(results, expected);
    }

    /// Every task gets its own job's value, whatever order the tasks are waited in.
    #[test]
    fn every_task_gets_its_own_value(
        values in proptest::collection::vec(any::<u32>(), 0..40),
        workers in 1usize..5,
        reverse in any::<bool>(),
    ) {
        let pool = ThreadPool::new(workers);
        let mut tasks: Vec<_> = values
            .iter()
            .enumerate()
            .map(|(i, &value)| (i, pool.submit(move || (i, value))))
            .collect();
        if reverse {
            tasks.reverse();
        }
        for (i, task) in tasks {
            prop_assert_eq!(task.wait(), Ok((i, values[i])));
        }
    }

    /// Exactly the items that panic come back as `Err`, each with its own message, and the
    /// others still come back as `Ok`.
    #[test]
    fn panicking_items_come_back_as_err_in_their_place(
        panics in proptest::collection::vec(any::<bool>(), 0..30),
        workers in 1usize..4,
    ) {
        hush_deliberate_panics();
        let pool = ThreadPool::new(workers);
        let flags = Arc::new(panics.clone());
        let results = pool.map(0..panics.len(), move |i| {
            if flags[i] {
                panic!("deliberate {i}");
            }
            i
        });
        let expected: Vec<Result<usize, JobPanicked>> = panics
            .iter()
            .enumerate()
            .map(|(i, &panics)| {
                if panics {
                    Err(JobPanicked { message: format!("deliberate {i}") })
                } else {
                    Ok(i)
                }
            })
            .collect();
        prop_assert_eq!(results, expected);
    }

    /// However many jobs are queued, dropping the pool runs every one of them first.
    #[test]
    fn dropping_the_pool_runs_every_submitted_job(
        jobs in 0usize..60,
        workers in 1usize..5,
    ) {
        let done = Arc::new(AtomicUsize::new(0));
        let pool = ThreadPool::new(workers);
        for _ in 0..jobs {
            let done = Arc::clone(&done);
            pool.submit(move || {
                done.fetch_add(1, Ordering::SeqCst);
            });
        }
        drop(pool);
        prop_assert_eq!(done.load(Ordering::SeqCst), jobs);
    }
}
