//! Race conditions: the lost update and check-then-act.
//!
//! Rust's type system already rules out *data races*: a plain `u64` shared between threads does
//! not compile, because `&mut` cannot be shared and `Cell` is not `Sync`. What it cannot rule out
//! are *race conditions*: code that is perfectly memory-safe but splits one logical step ("add
//! one", "take the money if it is there") into several steps that other threads can slip
//! between. Your job is to make each of those steps indivisible.
//!
//! Read `README.md` for the lesson, then replace every `todo!()` below. Run the visible tests
//! with `cargo test -p race` and the grader with `cargo run -p grader -- race`.
//!
//! Import synchronisation types from `kata_sync` (as below), never from `std::sync`: in a normal
//! build they *are* std's, and the grader swaps them for loom's model-checked versions to try
//! every interleaving of your code.

// The tools you need are all here; delete what you do not use.
#[allow(unused_imports)]
use kata_sync::sync::atomic::{AtomicU64, Ordering};
#[allow(unused_imports)]
use kata_sync::sync::{Mutex, MutexGuard, PoisonError};

/// A counter that many threads can increment at once without losing a single increment.
///
/// It is shared with `Arc<Counter>` (or borrowed by scoped threads), so every method takes
/// `&self`: the counter must be `Send + Sync`. Add the field(s) you need, for example an
/// [`AtomicU64`] or a [`Mutex<u64>`](Mutex).
///
/// # The bug to avoid: the lost update
///
/// This compiles, and it is wrong:
///
/// ```ignore
/// pub fn increment(&self) {
///     let value = self.count.load(Ordering::SeqCst); // thread A reads 5, thread B reads 5
///     self.count.store(value + 1, Ordering::SeqCst); // A writes 6, B writes 6: one is lost
/// }
/// ```
///
/// Each access is atomic, but "read, then write back" is two steps, and another thread can
/// write in between. The same bug hides in a `Mutex` locked twice, once to read and once to
/// write: the lock protects each access, not the pair.
pub struct Counter {
    // Your field(s) here.
}

impl Counter {
    /// A counter that reads 0.
    pub fn new() -> Counter {
        todo!()
    }

    /// Adds one to the counter.
    ///
    /// Must never lose an increment, however many threads call it at once: after `n` calls
    /// (from any threads) have returned, [`get`](Counter::get) reads at least `n`, and exactly
    /// `n` once they are all joined.
    ///
    /// Hint: do the read, the `+ 1` and the write as one indivisible step: a single atomic
    /// read-modify-write (`fetch_add`), or one critical section (one lock guard for the whole
    /// update).
    pub fn increment(&self) {
        todo!()
    }

    /// The current count.
    pub fn get(&self) -> u64 {
        todo!()
    }
}

impl Default for Counter {
    /// Same as [`Counter::new`].
    fn default() -> Counter {
        Counter::new()
    }
}

/// A set of accounts, numbered from 0, that many threads can deposit into and withdraw from at
/// once.
///
/// It must be `Send + Sync` and every method takes `&self`. Two guarantees, whatever runs at
/// the same time:
///
/// - **no deposit or withdrawal is lost**: the final balance is always the initial balance plus
///   every deposit minus every successful withdrawal;
/// - **no account is ever overdrawn**: a withdrawal only succeeds if the money is there.
///
/// Add the field(s) you need: one `Mutex` around all the balances, one `Mutex` per account, or
/// one [`AtomicU64`] per account all work.
pub struct Bank {
    // Your field(s) here.
}

impl Bank {
    /// A bank with one account per entry of `balances`, account `i` holding `balances[i]`.
    pub fn new(balances: &[u64]) -> Bank {
        let _ = balances;
        todo!()
    }

    /// Takes `amount` from `account` if its balance is at least `amount`, and returns whether it
    /// did. When it returns `false` the balance is unchanged. Withdrawing exactly the whole
    /// balance succeeds and leaves 0.
    ///
    /// # The bug to avoid: check-then-act
    ///
    /// ```ignore
    /// pub fn withdraw(&self, account: usize, amount: u64) -> bool {
    ///     let balance = *self.accounts[account].lock().unwrap(); // check...
    ///     if balance < amount {
    ///         return false;
    ///     }
    ///     // ...another withdrawal can run right here, and spend the same money...
    ///     *self.accounts[account].lock().unwrap() -= amount; // ...act
    ///     true
    /// }
    /// ```
    ///
    /// With 100 in the account, two threads withdrawing 60 can both see 100, both decide "there
    /// is enough", and both take it. The answer to "is there enough?" is stale as soon as the
    /// lock is released.
    ///
    /// Hint: check and subtract while holding *one* lock guard. Or, with an `AtomicU64` per
    /// account, use a `compare_exchange` loop (or `fetch_update`): compute the new balance from
    /// the value you read, and write it only if the balance is still that value; otherwise
    /// read again and retry.
    ///
    /// # Panics
    /// May panic if `account` does not exist.
    pub fn withdraw(&self, account: usize, amount: u64) -> bool {
        let _ = (account, amount);
        todo!()
    }

    /// Adds `amount` to `account`. Never lost, whatever runs at the same time.
    ///
    /// This is the counter's lost update again: reading the balance under one lock and writing
    /// `balance + amount` back under another can overwrite a deposit or withdrawal that happened
    /// in between.
    ///
    /// # Panics
    /// May panic if `account` does not exist, or if the balance would overflow `u64`.
    pub fn deposit(&self, account: usize, amount: u64) {
        let _ = (account, amount);
        todo!()
    }

    /// The balance of `account` right now.
    ///
    /// # Panics
    /// May panic if `account` does not exist.
    pub fn balance(&self, account: usize) -> u64 {
        let _ = account;
        todo!()
    }
}
