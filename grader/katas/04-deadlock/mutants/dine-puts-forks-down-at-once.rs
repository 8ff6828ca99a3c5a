//! mutant: `fork.lock().unwrap();` as a statement drops each guard at once: philosophers eat without holding their forks
//! caught-by: loom:neighbours_never_eat_at_once
//! Deadlock: two locks, two orders, and the one global order that fixes it.
//!
//! Reference solution. Every place that takes more than one lock takes them in one global
//! order: accounts by id, forks by index. With a single order, no thread can hold a lock that
//! another thread needs *before* the one it is waiting for, so no cycle of waits (the Coffman
//! "circular wait") can ever form.

use std::fmt;
use std::panic;

use kata_sync::sync::{Arc, Mutex, MutexGuard, PoisonError};
use kata_sync::thread;

/// A bank account: a unique id and a balance behind its own lock.
///
/// `Account` is `Send + Sync`, so threads share it by reference (or in an `Arc`).
#[derive(Debug)]
pub struct Account {
    id: u64,
    balance: Mutex<u64>,
}

impl Account {
    /// A new account with the given (unique) `id` and opening `balance`.
    pub fn new(id: u64, balance: u64) -> Account {
        Account {
            id,
            balance: Mutex::new(balance),
        }
    }

    /// This account's id.
    pub fn id(&self) -> u64 {
        self.id
    }

    /// The balance right now (it may change as soon as the lock is released).
    pub fn balance(&self) -> u64 {
        *self.lock()
    }

    /// Locks the balance. Every update happens entirely inside one critical section and
    /// cannot panic half-way, so a poisoned lock still guards a consistent balance.
    fn lock(&self) -> MutexGuard<'_, u64> {
        self.balance.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The error of a [`transfer`] whose payer cannot afford the amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InsufficientFunds;

impl fmt::Display for InsufficientFunds {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("insufficient funds")
    }
}

impl std::error::Error for InsufficientFunds {}

/// Moves `amount` from `from` to `to`, atomically: no other thread ever sees the money
/// taken from one account but not yet added to the other.
///
/// Both locks are held for the whole check-and-move, and they are always taken lower id
/// first, whichever way the money goes. When `from` and `to` are the same account, its one
/// lock is taken once: nothing moves, and the transfer fails exactly when the balance is
/// below `amount`.
///
/// # Panics
///
/// If `to`'s balance would overflow `u64` (nothing has moved then).
pub fn transfer(from: &Account, to: &Account, amount: u64) -> Result<(), InsufficientFunds> {
    if from.id == to.id {
        // One account, one lock: locking it a second time would wait for ourselves forever.
        let balance = from.lock();
        return if *balance >= amount {
            Ok(())
        } else {
            Err(InsufficientFunds)
        };
    }

    // The global lock order: lower id first.
    let (mut from_balance, mut to_balance);
    if from.id < to.id {
        from_balance = from.lock();
        to_balance = to.lock();
    } else {
        to_balance = to.lock();
        from_balance = from.lock();
    }

    // Check and act under the same locks: nobody can spend the money in between.
    if *from_balance < amount {
        return Err(InsufficientFunds);
    }
    let credited = to_balance
        .checked_add(amount)
        .expect("transfer: the payee's balance overflows u64");
    *from_balance -= amount;
    *to_balance = credited;
    Ok(())
}

/// The sum of the balances of `accounts`, as one consistent snapshot: a moment at which no
/// transfer between them is half done.
///
/// Every account is locked, in id order (the same global order as [`transfer`]), and only
/// when all of them are held are the balances added up.
///
/// # Panics
///
/// If an account is listed twice (it could only be locked twice), or if the sum overflows.
pub fn total(accounts: &[&Account]) -> u64 {
    let mut accounts = accounts.to_vec();
    accounts.sort_unstable_by_key(|account| account.id);
    assert!(
        accounts.windows(2).all(|pair| pair[0].id != pair[1].id),
        "total: an account is listed twice"
    );
    let guards: Vec<MutexGuard<'_, u64>> = accounts.iter().map(|account| account.lock()).collect();
    guards.iter().map(|balance| **balance).sum()
}

/// The dining philosophers, with no hooks: see [`dine_with`].
///
/// # Panics
///
/// If `philosophers < 2`.
pub fn dine(philosophers: usize, meals: usize) -> Vec<usize> {
    dine_with(philosophers, meals, |_| {}, |_| {})
}

/// `philosophers` philosophers sit at a round table with one fork between each pair of
/// neighbours; each one, on its own thread, thinks and then eats, `meals` times. Returns the
/// number of meals each philosopher ate (all of them: `meals` each).
///
/// Philosopher `i` eats with forks `i` and `(i + 1) % philosophers`, holding both. Taking
/// "left, then right" deadlocks once every philosopher holds their left fork; here every
/// philosopher takes the lower-numbered of their two forks first, so the last one reaches
/// for fork 0 first and the circle of waits can never close.
///
/// `think(i)` runs on philosopher `i`'s thread before each meal, holding no fork; `eat(i)`
/// runs on it while it holds both forks.
///
/// # Panics
///
/// If `philosophers < 2`: a lone philosopher has a single fork and could never hold two. A
/// panic in `think` or `eat` is passed on once every philosopher has stopped.
pub fn dine_with<T, E>(philosophers: usize, meals: usize, think: T, eat: E) -> Vec<usize>
where
    T: Fn(usize) + Send + Sync + 'static,
    E: Fn(usize) + Send + Sync + 'static,
{
    assert!(
        philosophers >= 2,
        "dine needs at least 2 philosophers, got {philosophers}"
    );
    let forks: Arc<Vec<Mutex<()>>> = Arc::new((0..philosophers).map(|_| Mutex::new(())).collect());
    let think = Arc::new(think);
    let eat = Arc::new(eat);

    let handles: Vec<_> = (0..philosophers)
        .map(|me| {
            let forks = Arc::clone(&forks);
            let think = Arc::clone(&think);
            let eat = Arc::clone(&eat);
            thread::spawn(move || {
                let (left, right) = (me, (me + 1) % forks.len());
                let (first, second) = (left.min(right), left.max(right));
                let mut eaten = 0;
                for _ in 0..meals {
                    think(me);
                    // Named guards keep the forks taken until the end of the meal; a bare
                    // `forks[first].lock().unwrap();` would put the fork down at once.
                    forks[first].lock().unwrap();
                    forks[second].lock().unwrap();
                    eat(me);
                    eaten += 1;
                }
                eaten
            })
        })
        .collect();

    let results: Vec<_> = handles.into_iter().map(|handle| handle.join()).collect();
    results
        .into_iter()
        .map(|result| result.unwrap_or_else(|payload| panic::resume_unwind(payload)))
        .collect()
}
