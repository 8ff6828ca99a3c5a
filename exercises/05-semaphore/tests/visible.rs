//! Visible tests for the semaphore kata: run them with `cargo test -p semaphore`.
//!
//! A test that never finishes is a failing test: the grader stops it after a time limit.
//! The tests that prove several threads are inside at once use a `Barrier`: a semaphore that
//! lets fewer threads in than it should makes them wait for each other forever.

use kata_sync::sync::Barrier;
use kata_sync::thread;
use semaphore::Semaphore;

#[test]
fn a_semaphore_can_be_shared_between_threads() {
    fn shareable<T: Send + Sync>() {}
    shareable::<Semaphore>();

    let sem = Semaphore::new(1);
    let took = thread::scope(|s| s.spawn(|| sem.try_acquire()).join().unwrap());
    assert!(took, "the other thread took the free permit");
    assert_eq!(sem.available_permits(), 0, "and it is taken for everyone");
}

#[test]
fn a_new_semaphore_has_all_its_permits() {
    assert_eq!(Semaphore::new(3).available_permits(), 3);
    assert_eq!(Semaphore::new(0).available_permits(), 0);
}

#[test]
fn try_acquire_takes_permits_until_none_is_left() {
    let sem = Semaphore::new(2);
    assert!(sem.try_acquire(), "the first of 2 permits is free");
    assert!(sem.try_acquire(), "the second of 2 permits is free");
    assert!(
        !sem.try_acquire(),
        "no permit is left: try_acquire must say false"
    );
    assert_eq!(sem.available_permits(), 0);
}

#[test]
fn release_gives_a_permit_back() {
    let sem = Semaphore::new(1);
    assert!(sem.try_acquire());
    sem.release();
    assert_eq!(sem.available_permits(), 1);
    // Like Python's Semaphore, release may go above the starting count.
    sem.release();
    assert_eq!(sem.available_permits(), 2);
}

#[test]
fn acquire_takes_a_free_permit_at_once() {
    let sem = Semaphore::new(2);
    sem.acquire();
    assert_eq!(sem.available_permits(), 1);
    sem.acquire();
    assert_eq!(sem.available_permits(), 0);
}

#[test]
fn dropping_a_permit_gives_it_back() {
    let sem = Semaphore::new(2);
    {
        let _permit = sem.access();
        assert_eq!(sem.available_permits(), 1, "a held permit is not free");
    }
    assert_eq!(
        sem.available_permits(),
        2,
        "the dropped permit is free again"
    );
}

#[test]
fn acquire_waits_for_a_release_from_another_thread() {
    let sem = Semaphore::new(0);
    thread::scope(|s| {
        s.spawn(|| sem.acquire());
        sem.release();
    });
    assert_eq!(
        sem.available_permits(),
        0,
        "the waiter took the released permit"
    );
}

#[test]
fn three_permits_let_three_threads_in_at_once() {
    // Each thread waits at the barrier while holding its permit: the barrier only opens
    // when all three hold one at the same time.
    let sem = Semaphore::new(3);
    let all_inside = Barrier::new(3);
    thread::scope(|s| {
        for _ in 0..3 {
            s.spawn(|| {
                let _permit = sem.access();
                all_inside.wait();
            });
        }
    });
    assert_eq!(sem.available_permits(), 3);
}
