//! # Kata 04: deadlock
//!
//! Rust's type system makes data races impossible: an `Account`'s balance lives *inside* its
//! `Mutex`, so no thread can touch it without holding the lock. It does not stop you from
//! waiting forever. Two threads that take the same two locks in opposite orders can each
//! hold one and wait for the other: a deadlock, in perfectly safe Rust.
//!
//! Fill in every `todo!()`. Read `README.md` first; run `cargo test -p deadlock` for the
//! visible tests and `cargo run -p grader -- deadlock` for your grade.
//!
//! Import locks and threads from `kata_sync` (`kata_sync::sync::Mutex`,
//! `kata_sync::thread::spawn`), never from `std::sync` / `std::thread`: the grader swaps them
//! for model-checked versions that try every interleaving of your threads.

use std::fmt;

use kata_sync::sync::Mutex;

/// A bank account: a unique id and a balance behind its own lock.
///
/// Threads share accounts by reference (or in an `Arc`), so `Account` must be `Send + Sync`:
/// with the balance in a `Mutex<u64>` it is, for free.
///
/// (You may change the private fields, but this is all an account needs.)
#[derive(Debug)]
#[allow(dead_code)] // Remove once `new` and the getters use the fields.
pub struct Account {
    id: u64,
    balance: Mutex<u64>,
}

impl Account {
    /// A new account with the given `id` and opening `balance`. Ids are unique: two
    /// accounts with the same id are the same account.
    pub fn new(id: u64, balance: u64) -> Account {
        let _ = (id, balance);
        todo!()
    }

    /// This account's id.
    pub fn id(&self) -> u64 {
        todo!()
    }

    /// The balance right now (lock, read, unlock: it may change as soon as this returns).
    pub fn balance(&self) -> u64 {
        todo!()
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

/// Moves `amount` from `from` to `to`, atomically, and never deadlocks.
///
/// Guarantees:
/// - **Atomic**: no other thread (in particular [`total`]) ever sees the money gone from
///   `from` but not yet in `to`. Hold both locks for the whole check-and-move.
/// - **No overdraft**: returns `Err(InsufficientFunds)` and changes nothing when `from`'s
///   balance is below `amount` (spending the whole balance is fine). Check the balance
///   *under the same locks* you move the money under: a check in one critical section and
///   the move in another lets two threads spend the same money (check-then-act).
/// - **No deadlock**. The obvious version is the notes' `fun1`/`fun2`:
///
///   ```text
///   let mut from_balance = from.balance.lock().unwrap(); // thread 1: a, thread 2: b
///   let mut to_balance = to.balance.lock().unwrap();     // thread 1 waits for b, 2 for a
///   ```
///
///   One thread paying a -> b and another paying b -> a can each hold its first lock and
///   wait for the other's, forever. Fix: one *global lock order*. Always lock the account
///   with the lower id first, whichever way the money goes.
/// - **Self-transfers**: `from` and `to` may be the same account (same id). Then nothing
///   moves, the call must not deadlock (a `Mutex` locked twice by the same thread waits for
///   itself forever), and it fails exactly when the balance is below `amount`.
///
/// You may assume the sum of all balances fits in a `u64`.
pub fn transfer(from: &Account, to: &Account, amount: u64) -> Result<(), InsufficientFunds> {
    let _ = (from, to, amount);
    todo!()
}

/// The sum of the balances of `accounts` (each listed at most once, in any order), as one
/// consistent snapshot, even while other threads run transfers between them.
///
/// Reading `balance()` account by account is not enough: a transfer can run between two
/// reads and the money is counted twice, or not at all. Lock *every* account first, then add
/// up, then let go. Take the locks in the same global order as [`transfer`] (by id, not in
/// slice order), or a total and a transfer can deadlock. Hint: sort a copy of the slice by
/// id and collect the guards into a `Vec`.
pub fn total(accounts: &[&Account]) -> u64 {
    let _ = accounts;
    todo!()
}

/// The dining philosophers, with nothing to do while thinking or eating: the same as
/// `dine_with(philosophers, meals, |_| {}, |_| {})`. See [`dine_with`].
///
/// # Panics
///
/// If `philosophers < 2`.
pub fn dine(philosophers: usize, meals: usize) -> Vec<usize> {
    let _ = (philosophers, meals);
    todo!()
}

/// The dining philosophers: `philosophers` philosophers sit at a round table, with one fork
/// (a `kata_sync::sync::Mutex<()>`) between each pair of neighbours. Returns how many meals
/// each philosopher ate, in philosopher order: `meals` each.
///
/// - Every philosopher runs on a thread of their own, all at the same time (spawn them all,
///   then join them all). Hint: `kata_sync::thread::spawn`, with the forks in an
///   `Arc<Vec<Mutex<()>>>` and `think` and `eat` each in an `Arc`.
/// - Philosopher `i` eats with forks `i` and `(i + 1) % philosophers`. For each of the
///   `meals` meals, they call `think(i)` while holding no fork (and nothing else that could
///   keep another philosopher from eating), then take both forks, then call `eat(i)` while
///   holding both, then put them down.
/// - It must never deadlock. "Take the left fork, then the right one" deadlocks as soon as
///   every philosopher holds their left fork. Fixes: a global lock order (take the
///   lower-numbered of your two forks first, so the last philosopher takes fork 0 first), or
///   a waiter who lets at most `philosophers - 1` of them try at once.
/// - A fork guard must live until `eat(i)` returns: a bare `fork.lock().unwrap();` drops
///   the guard (and puts the fork down) at once. Bind it: `let _left = ...`.
///
/// If you retry with `try_lock` instead of waiting in `lock`, call
/// `kata_sync::thread::yield_now()` between attempts.
///
/// # Panics
///
/// If `philosophers < 2`: a lone philosopher's two forks are the same fork.
pub fn dine_with<T, E>(philosophers: usize, meals: usize, think: T, eat: E) -> Vec<usize>
where
    T: Fn(usize) + Send + Sync + 'static,
    E: Fn(usize) + Send + Sync + 'static,
{
    let _ = (philosophers, meals, think, eat);
    todo!()
}
