//! mutant: the counter is a Mutex<u64>, locked once to read and again to write value + 1
//! caught-by: loom:two_increments_are_never_lost
//! Race conditions: the lost update and check-then-act (a buggy variant, for the grader).
//!
//! Rust's type system already rules out *data races*: a plain `u64` shared between threads does
//! not compile. What it cannot rule out are *race conditions*: code that is memory-safe but
//! splits one logical step ("add one", "take the money if it is there") into several steps that
//! other threads can slip between. The cure is always the same: make the whole step indivisible,
//! either as one atomic read-modify-write or as one critical section.

use kata_sync::sync::{Mutex, MutexGuard, PoisonError};

/// A counter that many threads can increment at once without losing a single increment.
///
/// Shared with `Arc<Counter>` (or borrowed by scoped threads); every method takes `&self`.
#[derive(Debug)]
pub struct Counter {
    count: Mutex<u64>,
}

impl Counter {
    /// A counter that reads 0.
    pub fn new() -> Counter {
        Counter {
            count: Mutex::new(0),
        }
    }

    /// Adds one to the counter. Never loses an increment, however many threads call it at once.
    ///
    /// `fetch_add` reads, adds and writes back as one indivisible step, so no other thread can
    /// write in between. (A `load` followed by a `store` would be two steps, and two threads
    /// could both read 5 and both write 6.) `Relaxed` is enough: we need the addition itself to
    /// be atomic, not to order other memory around it; `join` and `Barrier` already make every
    /// finished increment visible to whoever reads the total afterwards.
    pub fn increment(&self) {
        let value = *self.count.lock().unwrap();
        *self.count.lock().unwrap() = value + 1;
    }

    /// The current count: every increment that finished before this call is included.
    pub fn get(&self) -> u64 {
        *self.count.lock().unwrap()
    }
}

impl Default for Counter {
    fn default() -> Counter {
        Counter::new()
    }
}

/// A set of accounts, numbered from 0, that many threads can deposit into and withdraw from at
/// once. No deposit is ever lost and no account is ever overdrawn.
///
/// Each account has its own lock, so threads working on different accounts never wait for each
/// other; threads working on the same account take turns.
#[derive(Debug)]
pub struct Bank {
    accounts: Vec<Mutex<u64>>,
}

impl Bank {
    /// A bank with one account per entry of `balances`, account `i` holding `balances[i]`.
    pub fn new(balances: &[u64]) -> Bank {
        Bank {
            accounts: balances
                .iter()
                .map(|&balance| Mutex::new(balance))
                .collect(),
        }
    }

    /// Locks one account's balance.
    ///
    /// Every update below is a single assignment made after all its checks, so a thread that
    /// panicked while holding the lock cannot have left a half-done update behind: it is safe to
    /// carry on with the poisoned lock's data.
    ///
    /// # Panics
    /// If `account` does not exist.
    fn lock(&self, account: usize) -> MutexGuard<'_, u64> {
        self.accounts[account]
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Takes `amount` from `account` if its balance is at least `amount`, and says whether it
    /// did. When it returns `false` the balance is unchanged.
    ///
    /// The check and the subtraction happen under the same lock guard: no other withdrawal can
    /// spend the money between "there is enough" and "take it".
    ///
    /// # Panics
    /// If `account` does not exist.
    pub fn withdraw(&self, account: usize, amount: u64) -> bool {
        let mut balance = self.lock(account);
        if *balance >= amount {
            *balance -= amount;
            true
        } else {
            false
        }
    }

    /// Adds `amount` to `account`. Never lost, whatever runs at the same time.
    ///
    /// # Panics
    /// If `account` does not exist, or if the balance would not fit in a `u64`.
    pub fn deposit(&self, account: usize, amount: u64) {
        let mut balance = self.lock(account);
        *balance = balance.checked_add(amount).expect("balance overflows u64");
    }

    /// The balance of `account` right now.
    ///
    /// # Panics
    /// If `account` does not exist.
    pub fn balance(&self, account: usize) -> u64 {
        *self.lock(account)
    }
}
