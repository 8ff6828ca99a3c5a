//! Property tests for the `deadlock` kata.

use std::sync::Barrier;
use std::thread;

use deadlock::{Account, InsufficientFunds, total, transfer};
use proptest::prelude::*;

/// A transfer `(from, to, amount)` by table index: `from == to` is a self-transfer.
type Op = (usize, usize, u64);

/// Opening balances, account ids in a random order (so table order is not id order), and
/// transfers.
fn bank(max_ops: usize) -> impl Strategy<Value = (Vec<u64>, Vec<u64>, Vec<Op>)> {
    (2usize..=4).prop_flat_map(move |n| {
        (
            prop::collection::vec(0u64..100, n),
            Just((0..n as u64).map(|i| i * 10 + 1).collect::<Vec<_>>()).prop_shuffle(),
            prop::collection::vec((0..n, 0..n, 0u64..120), 0..=max_ops),
        )
    })
}

proptest! {
    /// Three threads run their share of the transfers at once while a fourth takes totals:
    /// every total, and the final sum, is the opening sum.
    #[test]
    fn money_is_conserved_by_any_concurrent_transfers((balances, ids, ops) in bank(60)) {
        let accounts: Vec<Account> = ids.iter().zip(&balances).map(|(&id, &b)| Account::new(id, b)).collect();
        let all: Vec<&Account> = accounts.iter().rev().collect();
        let sum: u64 = balances.iter().sum();
        let start = Barrier::new(4);
        let totals = thread::scope(|s| {
            for worker in 0..3 {
                let (accounts, ops, start) = (&accounts, &ops, &start);
                s.spawn(move || {
                    start.wait();
                    for &(from, to, amount) in ops.iter().skip(worker).step_by(3) {
                        let _ = transfer(&accounts[from], &accounts[to], amount);
                    }
                });
            }
            start.wait();
            (0..20).map(|_| total(&all)).collect::<Vec<_>>()
        });
        for seen in totals {
            prop_assert_eq!(seen, sum, "a total taken during the transfers");
        }
        prop_assert_eq!(accounts.iter().map(Account::balance).sum::<u64>(), sum);
        prop_assert_eq!(total(&all), sum);
    }

    /// One thread, any transfers (self-transfers included), checked against a plain ledger:
    /// a transfer succeeds exactly when the payer has at least the amount; a failed one, or
    /// a self-transfer, changes nothing.
    #[test]
    fn transfers_behave_like_a_ledger((balances, ids, ops) in bank(40)) {
        let accounts: Vec<Account> = ids.iter().zip(&balances).map(|(&id, &b)| Account::new(id, b)).collect();
        let mut ledger = balances.clone();
        for (from, to, amount) in ops {
            let before = ledger[from];
            let expected = if before >= amount { Ok(()) } else { Err(InsufficientFunds) };
            if expected.is_ok() {
                ledger[from] -= amount;
                ledger[to] += amount;
            }
            prop_assert_eq!(
                transfer(&accounts[from], &accounts[to], amount),
                expected,
                "transfer {} from account {} (balance {}) to account {}",
                amount, ids[from], before, ids[to]
            );
            let now: Vec<u64> = accounts.iter().map(Account::balance).collect();
            prop_assert_eq!(&now, &ledger);
        }
    }
}
