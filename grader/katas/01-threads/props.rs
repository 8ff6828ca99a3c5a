//! Property tests for the `threads` kata: whatever the jobs, threads give the same answers as
//! running the jobs one by one.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, mpsc};

use proptest::prelude::*;
use threads::{Background, run_all, run_all_catching};

type Job<T> = Box<dyn FnOnce() -> T + Send>;

proptest! {
    #[test]
    fn run_all_matches_running_the_jobs_in_order(values in proptest::collection::vec(any::<u64>(), 0..16)) {
        let jobs: Vec<_> = values.iter().map(|&v| move || v.rotate_left(7) ^ 0x5555).collect();
        let expected: Vec<u64> = values.iter().map(|&v| v.rotate_left(7) ^ 0x5555).collect();
        prop_assert_eq!(run_all(jobs), expected);
    }

    #[test]
    fn run_all_catching_fails_exactly_the_panicking_jobs(
        plan in proptest::collection::vec((any::<u32>(), any::<bool>()), 0..12)
    ) {
        // Keep the output readable: the panics below are expected.
        std::panic::set_hook(Box::new(|_| {}));
        let jobs: Vec<Job<u32>> = plan
            .iter()
            .map(|&(v, fails)| {
                Box::new(move || {
                    if fails {
                        panic!("job {v} failed");
                    }
                    v
                }) as Job<u32>
            })
            .collect();
        let expected: Vec<Result<u32, String>> = plan
            .iter()
            .map(|&(v, fails)| if fails { Err(format!("job {v} failed")) } else { Ok(v) })
            .collect();
        let got = run_all_catching(jobs);
        let _ = std::panic::take_hook();
        prop_assert_eq!(got, expected);
    }

    #[test]
    fn stop_reports_exactly_the_ticks_that_ran(wait_for in 0u64..20) {
        let calls = Arc::new(AtomicU64::new(0));
        let (tx, rx) = mpsc::channel();
        let worker = Background::spawn("prop", {
            let calls = Arc::clone(&calls);
            move || {
                if calls.fetch_add(1, Ordering::SeqCst) < wait_for {
                    let _ = tx.send(());
                }
            }
        });
        for _ in 0..wait_for {
            rx.recv().unwrap();
        }
        let ticks = worker.stop();
        prop_assert!(ticks >= wait_for);
        prop_assert_eq!(ticks, calls.load(Ordering::SeqCst));
        prop_assert_eq!(Arc::strong_count(&calls), 1);
    }
}
