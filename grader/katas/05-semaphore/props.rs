//! Property tests for the semaphore kata.

use std::panic::{self, AssertUnwindSafe};

use kata_sync::sync::Once;
use kata_sync::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use kata_sync::thread;
use proptest::prelude::*;
use semaphore::Semaphore;

/// The message of the panics these properties cause on purpose.
const DELIBERATE: &str = "deliberate panic while holding a permit";

/// Keeps the deliberate panics out of the output; every other panic is reported as usual.
fn quiet_deliberate_panics() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let default = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if info.payload_as_str() != Some(DELIBERATE) {
                default(info);
            }
        }));
    });
}

/// One step of a single-threaded run.
#[derive(Debug, Clone, Copy)]
enum Op {
    /// `acquire()`, only done when the model says a permit is free (it would wait forever).
    Acquire,
    TryAcquire,
    Release,
    /// `access()`, dropped at once.
    AccessAndDrop,
    /// `access()`, kept until a later `DropHeld` (or the end).
    AccessAndHold,
    /// Drops the oldest held permit, if any.
    DropHeld,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        Just(Op::Acquire),
        Just(Op::TryAcquire),
        Just(Op::Release),
        Just(Op::AccessAndDrop),
        Just(Op::AccessAndHold),
        Just(Op::DropHeld),
    ]
}

proptest! {
    /// Any sequence of operations on one thread keeps `available_permits` equal to a plain
    /// counter that does the same arithmetic.
    #[test]
    fn one_thread_any_ops_match_a_model_count(
        start in 0usize..4,
        ops in prop::collection::vec(op(), 1..40),
    ) {
        let sem = Semaphore::new(start);
        let mut model = start;
        let mut held = Vec::new();
        for (step, &op) in ops.iter().enumerate() {
            match op {
                Op::Acquire if model > 0 => {
                    sem.acquire();
                    model -= 1;
                }
                Op::Acquire => {}
                Op::TryAcquire => {
                    let took = sem.try_acquire();
                    prop_assert_eq!(took, model > 0, "try_acquire at step {} with {} free", step, model);
                    if took {
                        model -= 1;
                    }
                }
                Op::Release => {
                    sem.release();
                    model += 1;
                }
                Op::AccessAndDrop if model > 0 => {
                    drop(sem.access());
                }
                Op::AccessAndHold if model > 0 => {
                    held.push(sem.access());
                    model -= 1;
                }
                Op::AccessAndDrop | Op::AccessAndHold => {}
                Op::DropHeld => {
                    if !held.is_empty() {
                        drop(held.remove(0));
                        model += 1;
                    }
                }
            }
            prop_assert_eq!(sem.available_permits(), model, "after step {} ({:?})", step, op);
        }
        model += held.len();
        drop(held);
        prop_assert_eq!(sem.available_permits(), model, "after dropping every held permit");
    }

    /// k threads each entering `access()` m times never have more than N holders inside at
    /// once, and every permit is back at the end.
    #[test]
    fn threads_using_access_never_exceed_the_permits(
        permits in 1usize..4,
        threads in 2usize..5,
        rounds in 1usize..30,
    ) {
        let sem = Semaphore::new(permits);
        let holders = AtomicUsize::new(0);
        let most = AtomicUsize::new(0);
        thread::scope(|s| {
            for _ in 0..threads {
                s.spawn(|| {
                    for _ in 0..rounds {
                        let _permit = sem.access();
                        let now = holders.fetch_add(1, SeqCst) + 1;
                        most.fetch_max(now, SeqCst);
                        thread::yield_now();
                        holders.fetch_sub(1, SeqCst);
                    }
                });
            }
        });
        prop_assert!(most.load(SeqCst) <= permits, "{} holders at once with {} permits", most.load(SeqCst), permits);
        prop_assert_eq!(sem.available_permits(), permits);
    }

    /// Whatever mix of holders panics or finishes normally, every permit comes back.
    #[test]
    fn panicking_holders_always_give_their_permit_back(
        permits in 1usize..4,
        panics in prop::collection::vec(any::<bool>(), 1..12),
    ) {
        quiet_deliberate_panics();
        let sem = Semaphore::new(permits);
        for (i, &panics) in panics.iter().enumerate() {
            let outcome = panic::catch_unwind(AssertUnwindSafe(|| {
                let _permit = sem.access();
                if panics {
                    panic!("{DELIBERATE}");
                }
            }));
            prop_assert_eq!(outcome.is_err(), panics);
            prop_assert_eq!(sem.available_permits(), permits, "after holder {} (panicked: {})", i, panics);
        }
    }
}
