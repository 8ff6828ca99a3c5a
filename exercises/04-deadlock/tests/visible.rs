//! Visible tests for the `deadlock` kata: run them with `cargo test -p deadlock`.
//!
//! A test that never finishes is a deadlock: stop it with Ctrl-C (the grader stops it for you
//! after a time limit, and counts it as failed).

use std::collections::HashSet;
use std::sync::{Arc, Barrier, Mutex};
use std::thread;

use deadlock::{Account, InsufficientFunds, dine, dine_with, total, transfer};

#[test]
fn a_new_account_has_its_id_and_balance() {
    fn shared_between_threads<T: Send + Sync>() {}
    shared_between_threads::<Account>();

    let account = Account::new(7, 100);
    assert_eq!(account.id(), 7);
    assert_eq!(account.balance(), 100);
}

#[test]
fn transfer_moves_money_from_one_account_to_the_other() {
    let a = Account::new(1, 100);
    let b = Account::new(2, 50);
    assert_eq!(transfer(&a, &b, 30), Ok(()));
    assert_eq!((a.balance(), b.balance()), (70, 80));
    // The other way round, the higher id pays.
    assert_eq!(transfer(&b, &a, 80), Ok(()));
    assert_eq!((a.balance(), b.balance()), (150, 0));
}

#[test]
fn a_transfer_the_payer_cannot_afford_fails_and_changes_nothing() {
    let a = Account::new(1, 10);
    let b = Account::new(2, 5);
    assert_eq!(transfer(&a, &b, 11), Err(InsufficientFunds));
    assert_eq!((a.balance(), b.balance()), (10, 5));
    assert_eq!(
        transfer(&a, &b, 10),
        Ok(()),
        "the whole balance may be spent"
    );
    assert_eq!((a.balance(), b.balance()), (0, 15));
}

#[test]
fn a_transfer_to_the_same_account_moves_nothing_and_never_deadlocks() {
    let a = Account::new(1, 10);
    assert_eq!(transfer(&a, &a, 10), Ok(()));
    assert_eq!(a.balance(), 10);
    assert_eq!(transfer(&a, &a, 11), Err(InsufficientFunds));
    assert_eq!(a.balance(), 10);
}

#[test]
fn total_adds_up_the_balances() {
    let a = Account::new(1, 10);
    let b = Account::new(2, 20);
    let c = Account::new(3, 30);
    assert_eq!(total(&[&a, &b, &c]), 60);
    assert_eq!(total(&[&c, &a]), 40, "accounts may come in any order");
    assert_eq!(total(&[]), 0);
}

/// The notes' deadlock: one thread takes lock 1 then lock 2, the other lock 2 then lock 1.
/// With locks taken in argument order, this test usually hangs.
#[test]
fn transfers_in_opposite_directions_at_once_finish() {
    let a = Arc::new(Account::new(1, 100_000));
    let b = Arc::new(Account::new(2, 100_000));
    let start = Arc::new(Barrier::new(2));
    let mut threads = Vec::new();
    for (from, to) in [
        (Arc::clone(&a), Arc::clone(&b)),
        (Arc::clone(&b), Arc::clone(&a)),
    ] {
        let start = Arc::clone(&start);
        threads.push(thread::spawn(move || {
            start.wait();
            for _ in 0..100_000 {
                transfer(&from, &to, 1).unwrap();
            }
        }));
    }
    for thread in threads {
        thread.join().unwrap();
    }
    assert_eq!((a.balance(), b.balance()), (100_000, 100_000));
}

#[test]
fn every_philosopher_eats_every_meal() {
    assert_eq!(dine(5, 3), vec![3; 5]);
    assert_eq!(dine(2, 1), vec![1, 1]);
    assert_eq!(dine(3, 0), vec![0; 3]);
}

#[test]
fn dine_panics_with_fewer_than_two_philosophers() {
    assert_eq!(dine(2, 1), vec![1, 1]);
    let lonely = std::panic::catch_unwind(|| dine(1, 1));
    assert!(lonely.is_err(), "dine(1, _) must panic");
    let nobody = std::panic::catch_unwind(|| dine(0, 1));
    assert!(nobody.is_err(), "dine(0, _) must panic");
}

#[test]
fn each_philosopher_thinks_then_eats_on_their_own_thread() {
    const N: usize = 4;
    // What each philosopher did, in order, and on which thread.
    let log = Arc::new(Mutex::new(vec![Vec::new(); N]));
    let (think_log, eat_log) = (Arc::clone(&log), Arc::clone(&log));
    let eaten = dine_with(
        N,
        2,
        move |me| think_log.lock().unwrap()[me].push(("think", thread::current().id())),
        move |me| eat_log.lock().unwrap()[me].push(("eat", thread::current().id())),
    );
    assert_eq!(eaten, vec![2; N]);

    let log = log.lock().unwrap();
    let mut threads = HashSet::new();
    for (me, events) in log.iter().enumerate() {
        let what: Vec<&str> = events.iter().map(|(what, _)| *what).collect();
        assert_eq!(what, ["think", "eat", "think", "eat"], "philosopher {me}");
        let thread = events[0].1;
        assert!(
            events.iter().all(|(_, id)| *id == thread),
            "philosopher {me} must stay on one thread"
        );
        assert_ne!(
            thread,
            thread::current().id(),
            "philosopher {me} has no thread of their own"
        );
        threads.insert(thread);
    }
    assert_eq!(
        threads.len(),
        N,
        "every philosopher needs a thread of their own"
    );
}
