#![cfg(kata_loom)]
//! loom models for the semaphore kata: each one runs its threads in every interleaving.
//!
//! A stolen permit shows as two holders of one permit, as a wrong count at the end, or (the
//! grader's loom builds keep overflow checks on) as an "attempt to subtract with overflow"
//! panic in `acquire`. A lost wakeup shows as loom's "deadlock" report.

use kata_sync::sync::Arc;
use kata_sync::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use kata_sync::thread;
use semaphore::Semaphore;

/// Holds one permit of a 1-permit semaphore: nobody else may be holding one meanwhile.
fn hold_alone(holders: &AtomicUsize, who: &str) {
    let others = holders.fetch_add(1, SeqCst);
    assert_eq!(
        others, 0,
        "{who} holds a permit while another thread holds the only one: two holders of one \
         permit (a thread woken in `acquire` must check the count again: `while`, not `if`; \
         `try_acquire` must look and take under one lock)"
    );
    holders.fetch_sub(1, SeqCst);
}

/// A stolen permit: the waiter is woken by a `release`, but the releasing thread takes the
/// permit back with `try_acquire` before the waiter runs. The waiter must go back to sleep.
#[test]
fn a_woken_acquire_checks_again_for_a_stolen_permit() {
    kata_sync::model(|| {
        let sem = Arc::new(Semaphore::new(0));
        let holders = Arc::new(AtomicUsize::new(0));
        let waiter = {
            let (sem, holders) = (Arc::clone(&sem), Arc::clone(&holders));
            thread::spawn(move || {
                sem.acquire();
                hold_alone(&holders, "the thread in `acquire`");
                sem.release();
            })
        };
        sem.release();
        if sem.try_acquire() {
            hold_alone(&holders, "the thread in `try_acquire`");
            sem.release();
        }
        waiter.join().unwrap();
        assert_eq!(
            sem.available_permits(),
            1,
            "one permit was released and every taken permit was given back"
        );
    });
}

/// A lost wakeup: the waiter may fall asleep before the `release`; the release must wake it.
#[test]
fn a_release_wakes_a_thread_waiting_in_acquire() {
    kata_sync::model(|| {
        let sem = Arc::new(Semaphore::new(0));
        let waiter = {
            let sem = Arc::clone(&sem);
            thread::spawn(move || sem.acquire())
        };
        sem.release();
        waiter.join().unwrap();
        assert_eq!(sem.available_permits(), 0, "the waiter took the permit");
    });
}

/// Two waiters, two releases in a row: each release must wake a waiter, even when the count
/// was not 0 before it.
#[test]
fn two_releases_wake_two_waiting_threads() {
    kata_sync::model(|| {
        let sem = Arc::new(Semaphore::new(0));
        let waiters: Vec<_> = (0..2)
            .map(|_| {
                let sem = Arc::clone(&sem);
                thread::spawn(move || sem.acquire())
            })
            .collect();
        sem.release();
        sem.release();
        for waiter in waiters {
            waiter.join().unwrap();
        }
        assert_eq!(sem.available_permits(), 0, "each waiter took one permit");
    });
}

/// Check-then-act: two `try_acquire`s race for the only permit; exactly one may win.
#[test]
fn two_try_acquires_never_both_take_the_only_permit() {
    kata_sync::model(|| {
        let sem = Arc::new(Semaphore::new(1));
        let other = {
            let sem = Arc::clone(&sem);
            thread::spawn(move || sem.try_acquire())
        };
        let mine = sem.try_acquire();
        let theirs = other.join().unwrap();
        assert!(
            !(mine && theirs),
            "both try_acquire calls took the only permit: look and take under one lock"
        );
        assert!(mine || theirs, "nobody got the free permit");
        assert_eq!(sem.available_permits(), 0);
    });
}

/// Python's `with sem:` in two threads on one permit: each holds it alone, and dropping the
/// permit wakes the other thread if it is already waiting in `access`.
#[test]
fn a_dropped_permit_wakes_a_thread_waiting_in_access() {
    kata_sync::model(|| {
        let sem = Arc::new(Semaphore::new(1));
        let holders = Arc::new(AtomicUsize::new(0));
        let other = {
            let (sem, holders) = (Arc::clone(&sem), Arc::clone(&holders));
            thread::spawn(move || {
                let _permit = sem.access();
                hold_alone(&holders, "the spawned thread");
            })
        };
        {
            let _permit = sem.access();
            hold_alone(&holders, "the main thread");
        }
        other.join().unwrap();
        assert_eq!(sem.available_permits(), 1, "the permit is back");
    });
}
