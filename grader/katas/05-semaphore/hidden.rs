//! Hidden tests for the semaphore kata.

use std::collections::VecDeque;
use std::panic::{self, AssertUnwindSafe};

use kata_sync::sync::atomic::{AtomicBool, AtomicUsize, Ordering::SeqCst};
use kata_sync::sync::{Barrier, Mutex, Once};
use kata_sync::thread;
use semaphore::Semaphore;

/// The message of the panics these tests cause on purpose.
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

#[test]
fn never_more_than_three_holders_among_eight_threads() {
    let sem = Semaphore::new(3);
    let holders = AtomicUsize::new(0);
    let most = AtomicUsize::new(0);
    thread::scope(|s| {
        for _ in 0..8 {
            s.spawn(|| {
                for _ in 0..200 {
                    let _permit = sem.access();
                    let now = holders.fetch_add(1, SeqCst) + 1;
                    most.fetch_max(now, SeqCst);
                    thread::yield_now();
                    holders.fetch_sub(1, SeqCst);
                }
            });
        }
    });
    let most = most.load(SeqCst);
    assert!(
        most <= 3,
        "{most} threads held a permit at once; 3 permits allow 3 at most"
    );
    assert_eq!(
        sem.available_permits(),
        3,
        "every permit is back at the end"
    );
}

#[test]
fn a_holder_that_panics_gives_its_permit_back() {
    quiet_deliberate_panics();
    let sem = Semaphore::new(2);
    let outcome = panic::catch_unwind(AssertUnwindSafe(|| {
        let _permit = sem.access();
        panic!("{DELIBERATE}");
    }));
    assert!(outcome.is_err());
    assert_eq!(
        sem.available_permits(),
        2,
        "the permit must be given back while the panic unwinds"
    );
    // And the semaphore still works.
    let _a = sem.access();
    let _b = sem.access();
    assert!(!sem.try_acquire());
}

#[test]
fn a_thread_that_panics_holding_a_permit_gives_it_back() {
    quiet_deliberate_panics();
    let sem = Semaphore::new(1);
    thread::scope(|s| {
        let crashed = s
            .spawn(|| {
                let _permit = sem.access();
                panic!("{DELIBERATE}");
            })
            .join();
        assert!(crashed.is_err());
    });
    assert_eq!(
        sem.available_permits(),
        1,
        "the permit of a thread that died in a panic must come back"
    );
    // A later holder gets in instead of waiting forever for the crashed thread's permit.
    thread::scope(|s| {
        s.spawn(|| drop(sem.access()));
    });
    assert_eq!(sem.available_permits(), 1);
}

#[test]
fn try_acquire_fails_while_other_threads_hold_every_permit() {
    let sem = Semaphore::new(2);
    let holding = Barrier::new(3);
    let checked = Barrier::new(3);
    thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| {
                let _permit = sem.access();
                holding.wait();
                checked.wait();
            });
        }
        holding.wait();
        let got = sem.try_acquire();
        checked.wait();
        assert!(
            !got,
            "two threads hold both permits: try_acquire must say false"
        );
    });
    assert_eq!(sem.available_permits(), 2);
    assert!(
        sem.try_acquire(),
        "a permit is free again once the holders are done"
    );
}

#[test]
fn releases_wake_every_waiting_acquire() {
    let sem = Semaphore::new(0);
    thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| sem.acquire());
        }
        for _ in 0..4 {
            sem.release();
        }
    });
    assert_eq!(
        sem.available_permits(),
        0,
        "each of the 4 waiters took one permit"
    );
}

#[test]
fn a_waiting_holder_gets_in_only_after_the_permit_is_dropped() {
    let sem = Semaphore::new(1);
    let dropped = AtomicBool::new(false);
    thread::scope(|s| {
        let permit = sem.access();
        s.spawn(|| {
            let _permit = sem.access();
            assert!(
                dropped.load(SeqCst),
                "got a permit while the only one was still held"
            );
        });
        dropped.store(true, SeqCst);
        drop(permit);
    });
    assert_eq!(sem.available_permits(), 1);
}

#[test]
fn release_can_raise_the_count_above_the_start() {
    let sem = Semaphore::new(0);
    assert!(
        !sem.try_acquire(),
        "a semaphore made with 0 permits has none to give"
    );
    for _ in 0..3 {
        sem.release();
    }
    assert_eq!(sem.available_permits(), 3);
    for _ in 0..3 {
        assert!(sem.try_acquire());
    }
    assert!(!sem.try_acquire());
}

#[test]
fn a_permit_can_be_released_by_another_thread() {
    // Unlike a mutex, a semaphore's permit belongs to no thread: the producer/consumer hand-off
    // takes a permit in one thread and gives it back in another.
    let sem = Semaphore::new(1);
    sem.acquire();
    thread::scope(|s| {
        s.spawn(|| sem.release());
    });
    assert_eq!(sem.available_permits(), 1);
}

/// The notes' producer/consumer with the counting done right: `empty` counts free slots,
/// `full` counts items. A producer takes a free slot and hands an item to the consumers; a
/// consumer takes an item and hands a free slot back.
#[test]
fn producer_consumer_with_two_semaphores_delivers_every_item_once() {
    const SIZE: usize = 2;
    const PER_PRODUCER: u32 = 100;
    let buffer = Mutex::new(VecDeque::new());
    let empty = Semaphore::new(SIZE);
    let full = Semaphore::new(0);
    let mut received: Vec<u32> = thread::scope(|s| {
        for p in 0..2 {
            let (buffer, empty, full) = (&buffer, &empty, &full);
            s.spawn(move || {
                for i in 0..PER_PRODUCER {
                    empty.acquire();
                    let mut items = buffer.lock().unwrap();
                    items.push_back(p * PER_PRODUCER + i);
                    assert!(items.len() <= SIZE, "the buffer overflowed: {items:?}");
                    drop(items);
                    full.release();
                }
            });
        }
        let consumers: Vec<_> = (0..2)
            .map(|_| {
                s.spawn(|| {
                    (0..PER_PRODUCER)
                        .map(|_| {
                            full.acquire();
                            let item = buffer.lock().unwrap().pop_front();
                            empty.release();
                            item.expect("a consumer got past `full` with no item in the buffer")
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        consumers
            .into_iter()
            .flat_map(|c| c.join().unwrap())
            .collect()
    });
    received.sort_unstable();
    assert_eq!(received, (0..2 * PER_PRODUCER).collect::<Vec<_>>());
    assert_eq!(empty.available_permits(), SIZE);
    assert_eq!(full.available_permits(), 0);
}
