#![cfg(kata_loom)]
//! Loom models for the `race` kata: each one runs two threads on a shared `Counter` or `Bank`
//! and checks the outcome in every interleaving loom can produce. A lost update or a
//! check-then-act bug is a single unlucky interleaving away, and loom finds it.

use kata_sync::sync::Arc;
use kata_sync::thread;
use race::{Bank, Counter};

/// The notes' `Data.update`: two threads each add one; the count must be 2, never 1.
#[test]
fn two_increments_are_never_lost() {
    kata_sync::model(|| {
        let counter = Arc::new(Counter::new());
        let other = {
            let counter = Arc::clone(&counter);
            thread::spawn(move || counter.increment())
        };
        counter.increment();
        other.join().unwrap();
        assert_eq!(counter.get(), 2, "an increment was lost");
    });
}

/// Check-then-act: 100 in the account, two threads each withdraw 60 at once. Exactly one may
/// succeed, leaving 40.
#[test]
fn two_withdrawals_of_60_from_100_exactly_one_succeeds() {
    kata_sync::model(|| {
        let bank = Arc::new(Bank::new(&[100]));
        let other = {
            let bank = Arc::clone(&bank);
            thread::spawn(move || bank.withdraw(0, 60))
        };
        let mine = bank.withdraw(0, 60);
        let theirs = other.join().unwrap();
        assert!(
            mine != theirs,
            "two withdrawals of 60 from 100: {} succeeded",
            if mine { "both" } else { "neither" }
        );
        assert_eq!(bank.balance(0), 40);
    });
}

/// Two withdrawals that both fit (30 and 30 from 100): both succeed and the balance is 40, not
/// 70 (a withdrawal lost by writing back a stale balance).
#[test]
fn two_withdrawals_that_fit_both_succeed_and_both_count() {
    kata_sync::model(|| {
        let bank = Arc::new(Bank::new(&[100]));
        let other = {
            let bank = Arc::clone(&bank);
            thread::spawn(move || bank.withdraw(0, 30))
        };
        let mine = bank.withdraw(0, 30);
        let theirs = other.join().unwrap();
        assert!(
            mine && theirs,
            "a withdrawal of 30 from 100 (or 70) was refused"
        );
        assert_eq!(bank.balance(0), 40, "a withdrawal was lost");
    });
}

/// The lost update on deposits: 10 and 20 deposited at once into 0 must make 30.
#[test]
fn two_deposits_are_never_lost() {
    kata_sync::model(|| {
        let bank = Arc::new(Bank::new(&[0]));
        let other = {
            let bank = Arc::clone(&bank);
            thread::spawn(move || bank.deposit(0, 10))
        };
        bank.deposit(0, 20);
        other.join().unwrap();
        assert_eq!(bank.balance(0), 30, "a deposit was lost");
    });
}

/// A deposit racing a withdrawal on the same account: 100 + 50 - 30 = 120, in every order.
#[test]
fn a_deposit_racing_a_withdrawal_keeps_both() {
    kata_sync::model(|| {
        let bank = Arc::new(Bank::new(&[100]));
        let other = {
            let bank = Arc::clone(&bank);
            thread::spawn(move || bank.deposit(0, 50))
        };
        assert!(
            bank.withdraw(0, 30),
            "withdrawing 30 from at least 100 was refused"
        );
        other.join().unwrap();
        assert_eq!(
            bank.balance(0),
            120,
            "the deposit or the withdrawal was lost"
        );
    });
}
