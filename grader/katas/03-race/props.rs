//! Property tests for the `race` kata: random plans of increments, deposits and withdrawals,
//! run by a few threads at once, must never create, lose or overdraw money.

use kata_sync::sync::Barrier;
use kata_sync::thread;
use proptest::prelude::*;
use race::{Bank, Counter};

/// One bank operation: `(account, is_deposit, amount)`; `account` is taken modulo the number of
/// accounts.
type Op = (usize, bool, u64);

fn ops(max_len: usize) -> impl Strategy<Value = Vec<Op>> {
    prop::collection::vec((0usize..3, any::<bool>(), 0u64..100), 0..max_len)
}

proptest! {
    #[test]
    fn counter_equals_the_number_of_increments(
        per_thread in prop::collection::vec(0u64..300, 1..=4),
    ) {
        let counter = Counter::new();
        let start = Barrier::new(per_thread.len());
        thread::scope(|s| {
            for &n in &per_thread {
                let (counter, start) = (&counter, &start);
                s.spawn(move || {
                    start.wait();
                    for _ in 0..n {
                        counter.increment();
                    }
                });
            }
        });
        prop_assert_eq!(counter.get(), per_thread.iter().sum::<u64>());
    }

    #[test]
    fn one_thread_matches_a_plain_vec_of_balances(
        initial in prop::collection::vec(0u64..200, 1..=3),
        plan in ops(60),
    ) {
        let bank = Bank::new(&initial);
        let mut model = initial.clone();
        for (i, &(account, is_deposit, amount)) in plan.iter().enumerate() {
            let account = account % model.len();
            if is_deposit {
                bank.deposit(account, amount);
                model[account] += amount;
            } else {
                let expected = model[account] >= amount;
                if expected {
                    model[account] -= amount;
                }
                prop_assert_eq!(
                    bank.withdraw(account, amount),
                    expected,
                    "op {}: withdraw({}, {}) with balance {} before it",
                    i,
                    account,
                    amount,
                    if expected { model[account] + amount } else { model[account] }
                );
            }
            for (a, &balance) in model.iter().enumerate() {
                prop_assert_eq!(bank.balance(a), balance, "account {} after op {}", a, i);
            }
        }
    }

    #[test]
    fn threads_sharing_a_bank_conserve_money_and_never_overdraw(
        initial in prop::collection::vec(0u64..200, 1..=3),
        plans in prop::collection::vec(ops(40), 2..=3),
    ) {
        let n = initial.len();
        // No balance can ever legitimately exceed its initial value plus every deposit planned
        // for it: a larger value means a withdrawal wrapped below zero (an overdraft).
        let mut ceiling = initial.clone();
        for &(account, is_deposit, amount) in plans.iter().flatten() {
            if is_deposit {
                ceiling[account % n] += amount;
            }
        }
        let bank = Bank::new(&initial);
        let start = Barrier::new(plans.len());
        // Per thread: per account (deposited, successfully withdrawn), or the first overdraft seen.
        let results: Vec<Result<Vec<(u64, u64)>, String>> = thread::scope(|s| {
            let handles: Vec<_> = plans
                .iter()
                .map(|plan| {
                    let (bank, start, ceiling) = (&bank, &start, &ceiling);
                    s.spawn(move || {
                        let mut tally = vec![(0u64, 0u64); n];
                        start.wait();
                        for &(account, is_deposit, amount) in plan {
                            let account = account % n;
                            if is_deposit {
                                bank.deposit(account, amount);
                                tally[account].0 += amount;
                            } else if bank.withdraw(account, amount) {
                                tally[account].1 += amount;
                            }
                            let balance = bank.balance(account);
                            if balance > ceiling[account] {
                                return Err(format!(
                                    "account {account} read {balance}, more than its initial \
                                     balance plus every deposit ({}): it was overdrawn",
                                    ceiling[account]
                                ));
                            }
                        }
                        Ok(tally)
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        let mut tallies = Vec::new();
        for result in results {
            match result {
                Ok(tally) => tallies.push(tally),
                Err(message) => prop_assert!(false, "{}", message),
            }
        }
        for account in 0..n {
            let deposited: u64 = tallies.iter().map(|t| t[account].0).sum();
            let withdrawn: u64 = tallies.iter().map(|t| t[account].1).sum();
            prop_assert_eq!(
                i128::from(bank.balance(account)),
                i128::from(initial[account]) + i128::from(deposited) - i128::from(withdrawn),
                "account {}: initial {}, deposited {}, withdrawn {}",
                account,
                initial[account],
                deposited,
                withdrawn
            );
        }
    }
}
