//! `kata_sync`: the same paths as `std::sync`, `std::thread` and `std::hint`.
//!
//! Katas import their synchronisation primitives from here instead of from `std`:
//!
//! ```
//! use kata_sync::sync::{Arc, Mutex};
//! use kata_sync::thread;
//!
//! let counter = Arc::new(Mutex::new(0));
//! let c = Arc::clone(&counter);
//! thread::spawn(move || *c.lock().unwrap() += 1).join().unwrap();
//! assert_eq!(*counter.lock().unwrap(), 1);
//! ```
//!
//! In a normal build every item is std's own, so nothing changes for the learner. When the
//! grader builds with `--cfg kata_loom`, the same paths name [loom](https://docs.rs/loom)'s
//! model-checked types instead, so the grader can explore every interleaving of the learner's
//! code without the learner knowing loom exists. [`model()`] runs a closure once per
//! interleaving (`loom::model`, bounded by `LOOM_MAX_PREEMPTIONS`); in a normal build it runs
//! it once.
//!
//! # Loom mode never fails a correct answer
//!
//! loom 0.7.2 used as is would reject correct programs. Each trap below is handled (and has a
//! model in `tests/loom_mode.rs`):
//!
//! | trap in loom 0.7.2 | what `kata_sync` does under `--cfg kata_loom` |
//! |---|---|
//! | `mpsc::Receiver::recv` never returns `Err` when every `Sender` is gone (the Rust Book's thread pool deadlocks); no `sync_channel`; `recv_timeout` is `unimplemented!` | [`sync::mpsc`] is built on loom's `Mutex` + `Condvar` with std's semantics: disconnection both ways, `sync_channel(n)` (`0` = rendezvous), `try_*`, iterators |
//! | `Barrier::new` panics ("not supported yet in Loom") | [`sync::Barrier`] is std's algorithm on loom's `Mutex` + `Condvar`, reusable |
//! | `Condvar::wait_timeout` never times out; no `wait_while` / `wait_timeout_while` | [`sync::Condvar`] adds them; a timed wait may time out at once (see below) |
//! | `SeqCst` accesses are only `AcqRel` (store buffering: both threads read 0) | [`sync::atomic`] runs every `SeqCst` operation between two `fence(SeqCst)`, which loom orders totally |
//! | `hint::spin_loop` (std's) would spin forever in a model | [`hint::spin_loop`] is a loom yield (as `loom::hint::spin_loop`) |
//! | a busy-wait that never yields (`while !flag.load(..) {}`, a CAS spinlock, `while m.try_lock().is_err() {}`, a `try_recv` or `is_finished` loop) spins forever: loom fails with "exceeded maximum number of branches" and aborts | a thread that gets the same answer from the same atomic / mutex / channel / handle three times in a row yields, as if it had called `spin_loop` |
//! | no `thread::sleep`, `park_timeout`, `scope`, `JoinHandle::is_finished`, `available_parallelism` | [`thread::sleep`] and [`thread::park_timeout`] yield; [`thread::scope`] is implemented (all scoped threads joined before it returns); `is_finished` is a loom atomic; `available_parallelism` is 2 |
//! | no `Once`, `OnceLock`, `LazyLock` | built on loom's `Mutex` + atomics |
//!
//! # What authors of loom models must know
//!
//! - **Time does not exist in a model.** `thread::sleep` and `thread::park_timeout` are
//!   yields. A timed wait (`Condvar::wait_timeout*`, `Receiver::recv_timeout`) unlocks, lets
//!   the other threads run, relocks and reports a timeout unless it was notified meanwhile:
//!   every timeout *may elapse at once*, whatever its duration. That is one of std's own
//!   behaviours (a loaded machine can always be that slow), so correct code copes; polling
//!   loops (a worker checking a shutdown flag between `recv_timeout`s) make progress instead
//!   of deadlocking. A model must therefore never assert that a timed operation succeeds
//!   "because the other thread will be quick"; it may assert what holds either way.
//!   `wait_timeout_while` reports `timed_out()` only if the condition still holds. A loop
//!   that waits until a real `Instant` deadline spins (yielding) until that much real time has
//!   passed, so a model must not *depend* on a timeout expiring: let the other thread finish.
//! - **A panic in any model thread fails the model at once** (loom does not catch it):
//!   `join` never returns `Err`, locks are never poisoned (`is_poisoned()` is `false`). A
//!   model cannot check how code reacts to a panicking thread; hidden tests can.
//! - **`SeqCst` is sequentially consistent, and a little more.** The fences around `SeqCst`
//!   operations also act as acquire/release fences for the thread's other atomics, so a
//!   missing `Acquire`/`Release` right next to a `SeqCst` operation can go unnoticed. A
//!   mutant meant to be caught for a weak ordering should not have `SeqCst` operations beside
//!   it. Weaker orderings are modelled exactly as loom does (stale reads are explored).
//! - **loom never wakes a condvar waiter spuriously** (std may) and its compare-exchange never
//!   fails spuriously: a mutant that waits with `if` instead of `while` is caught only by a
//!   model where another thread really steals the condition (e.g. a `try_acquire` between
//!   the notify and the wake-up).
//! - **Busy-waits are made to yield** (see the table): correct spin loops complete, and a
//!   broken spinlock is still found. What cannot be rescued is a retry loop that only
//!   progresses by luck of timing, such as two threads that each hold one lock, fail to
//!   `try_lock` the other, release and retry in lockstep: loom's schedule without
//!   preemptions is a real (if unlikely) livelock and never ends. Such code needs a
//!   `thread::yield_now()` or `sleep` after releasing, or a lock order.
//! - **Small models.** At most 5 threads including the model's main thread (loom's
//!   `MAX_THREADS`); 2 or 3 is the useful size. Every model thread runs on a 32 KiB stack
//!   unless `Builder::stack_size` asks for more. `available_parallelism()` is 2 so a pool
//!   sized by it fits.
//! - **Inside a model, use only `kata_sync` paths.** std's blocking primitives (a
//!   `std::sync::Mutex` held across a loom operation, std's `Once`) would block the one OS
//!   thread every model thread runs on, and hang the process.
//!
//! # What cannot be modelled (compile errors under loom, never false failures)
//!
//! - `const` construction: `Mutex::new`, `Condvar::new`, the atomics' `new`, `Once::new`,
//!   `OnceLock::new`, `LazyLock::new` and `Barrier::new` are not `const fn` under loom (loom's
//!   objects live inside one model run), so a `static` of them does not compile there.
//! - `sync::Weak` / `Arc::downgrade` (loom's `Arc` has no weak count), `Arc`'s unsizing
//!   coercion (`Arc<dyn Trait>` from `Arc::new(value)`: loom offers `Arc::from_std`), and
//!   the atomics' `get_mut`, `as_ptr` and `from_ptr` (use `into_inner` or a load).
//! - `thread_local!` is std's macro: its values are per OS thread, so all model threads would
//!   share them. Keep thread-locals out of code under a model.
//! - Unstable std items (`mpmc`, `Exclusive`, `ReentrantLock`, ...).
//!
//! Under loom, loom itself is re-exported as `kata_sync::loom`, for models that need more
//! than the std-shaped paths (`loom::cell::UnsafeCell`, `loom::model::Builder`, ...).

#![warn(missing_docs)]

#[cfg(not(kata_loom))]
mod std_mode;
#[cfg(not(kata_loom))]
pub use std_mode::*;

#[cfg(kata_loom)]
mod loom_mode;
#[cfg(kata_loom)]
pub use loom_mode::*;
