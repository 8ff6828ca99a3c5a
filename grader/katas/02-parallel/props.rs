//! Property tests for the `parallel` kata: for any input and any number of threads, the
//! parallel answer is the sequential answer.

use std::collections::HashSet;
use std::sync::Mutex;
use std::thread::{self, ThreadId};

use parallel::{par_map, par_sum};
use proptest::prelude::*;

/// Mostly arbitrary values, with plenty of the extremes.
fn value() -> impl Strategy<Value = u32> {
    prop_oneof![
        3 => any::<u32>(),
        1 => Just(u32::MAX),
        1 => Just(0u32),
        1 => (u32::MAX - 16)..=u32::MAX,
    ]
}

proptest! {
    #[test]
    fn par_sum_matches_the_sequential_sum(
        data in proptest::collection::vec(value(), 0..200),
        threads in 1usize..=8,
    ) {
        let expected: u64 = data.iter().map(|&x| u64::from(x)).sum();
        prop_assert_eq!(par_sum(&data, threads), expected);
    }

    #[test]
    fn par_map_matches_the_sequential_map(
        items in proptest::collection::vec(any::<i32>(), 0..100),
        threads in 1usize..=8,
    ) {
        let f = |&x: &i32| (i64::from(x) * 3 - 7, x.count_ones());
        let expected: Vec<(i64, u32)> = items.iter().map(f).collect();
        prop_assert_eq!(par_map(&items, threads, f), expected);
    }

    #[test]
    fn par_map_calls_f_on_as_many_threads_as_it_can(
        len in 0usize..40,
        threads in 1usize..=8,
    ) {
        let items: Vec<usize> = (0..len).collect();
        let seen: Mutex<HashSet<ThreadId>> = Mutex::new(HashSet::new());
        let out = par_map(&items, threads, |&x| {
            seen.lock().unwrap().insert(thread::current().id());
            x
        });
        prop_assert_eq!(out, items);
        prop_assert_eq!(seen.lock().unwrap().len(), threads.min(len));
    }
}
