//! Hidden tests for the `race` kata: edge cases, and stress runs that start every thread at
//! once with a `Barrier`. The stress runs add confidence; the loom models are what prove the
//! absence of lost updates and check-then-act bugs.

use kata_sync::sync::Barrier;
use kata_sync::thread;
use race::{Bank, Counter};

fn assert_send_sync<T: Send + Sync>() {}
fn assert_default<T: Default>() {}

#[test]
fn types_are_send_sync_and_counter_is_default() {
    // Compile-time part: this file does not build unless these hold.
    assert_send_sync::<Counter>();
    assert_send_sync::<Bank>();
    assert_default::<Counter>();
    // Run-time part.
    assert_eq!(Counter::default().get(), 0);
}

#[test]
fn eight_threads_count_exactly_from_a_barrier_start() {
    const THREADS: usize = 8;
    const PER_THREAD: u64 = 2_000;
    let counter = Counter::new();
    let start = Barrier::new(THREADS);
    thread::scope(|s| {
        for _ in 0..THREADS {
            s.spawn(|| {
                start.wait();
                for _ in 0..PER_THREAD {
                    counter.increment();
                }
            });
        }
    });
    assert_eq!(counter.get(), THREADS as u64 * PER_THREAD);
}

#[test]
fn withdrawing_exactly_the_balance_succeeds_and_leaves_zero() {
    let bank = Bank::new(&[60, 7]);
    assert!(bank.withdraw(0, 60), "withdrawing all 60 of 60 was refused");
    assert_eq!(bank.balance(0), 0);
    bank.deposit(1, 3);
    assert!(bank.withdraw(1, 10), "withdrawing all 10 of 10 was refused");
    assert_eq!(bank.balance(1), 0);
}

#[test]
fn withdrawing_one_more_than_the_balance_is_refused() {
    let bank = Bank::new(&[59, 0]);
    assert!(
        !bank.withdraw(0, 60),
        "withdrew 60 from an account holding 59"
    );
    assert_eq!(bank.balance(0), 59);
    assert!(!bank.withdraw(1, 1), "withdrew 1 from an empty account");
    assert_eq!(bank.balance(1), 0);
}

#[test]
fn withdrawing_zero_always_succeeds() {
    let bank = Bank::new(&[0, 5]);
    assert!(bank.withdraw(0, 0));
    assert_eq!(bank.balance(0), 0);
    assert!(bank.withdraw(1, 0));
    assert_eq!(bank.balance(1), 5);
}

#[test]
fn balances_use_the_full_u64_range() {
    let bank = Bank::new(&[u64::MAX, 0]);
    assert!(bank.withdraw(0, u64::MAX));
    assert_eq!(bank.balance(0), 0);
    bank.deposit(1, u64::MAX);
    assert_eq!(bank.balance(1), u64::MAX);
    assert!(!bank.withdraw(0, 1));
    assert!(bank.withdraw(1, u64::MAX - 1));
    assert_eq!(bank.balance(1), 1);
}

#[test]
fn racing_withdrawals_never_overdraw_stress() {
    const ROUNDS: usize = 200;
    const THREADS: usize = 3;
    for round in 0..ROUNDS {
        let bank = Bank::new(&[100]);
        let start = Barrier::new(THREADS);
        let successes = thread::scope(|s| {
            let handles: Vec<_> = (0..THREADS)
                .map(|_| {
                    s.spawn(|| {
                        start.wait();
                        bank.withdraw(0, 60)
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|handle| handle.join().unwrap())
                .filter(|&took| took)
                .count()
        });
        assert_eq!(
            successes, 1,
            "round {round}: {successes} of {THREADS} withdrawals of 60 from 100 succeeded"
        );
        assert_eq!(bank.balance(0), 40, "round {round}");
    }
}

#[test]
fn racing_deposits_and_withdrawals_conserve_money_stress() {
    const THREADS: usize = 4;
    const OPS: usize = 2_000;
    const INITIAL: [u64; 2] = [500, 500];
    let bank = Bank::new(&INITIAL);
    let start = Barrier::new(THREADS);
    // Per thread: (deposited, successfully withdrawn) per account.
    let tallies: Vec<[(u64, u64); 2]> = thread::scope(|s| {
        let handles: Vec<_> = (0..THREADS)
            .map(|t| {
                let bank = &bank;
                let start = &start;
                s.spawn(move || {
                    let mut tally = [(0, 0); 2];
                    start.wait();
                    for op in 0..OPS {
                        let account = (t + op) % 2;
                        if op % 3 == 0 {
                            bank.deposit(account, 7);
                            tally[account].0 += 7;
                        } else if bank.withdraw(account, 5) {
                            tally[account].1 += 5;
                        }
                    }
                    tally
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|handle| handle.join().unwrap())
            .collect()
    });
    for account in 0..2 {
        let deposited: u64 = tallies.iter().map(|t| t[account].0).sum();
        let withdrawn: u64 = tallies.iter().map(|t| t[account].1).sum();
        assert_eq!(
            bank.balance(account),
            INITIAL[account] + deposited - withdrawn,
            "account {account}: money appeared or vanished \
             (initial {}, deposited {deposited}, withdrawn {withdrawn})",
            INITIAL[account]
        );
    }
}
