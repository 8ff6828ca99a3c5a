//! `std::sync` for loom models.
//!
//! | item | what it is under loom |
//! |---|---|
//! | `Arc`, `RwLock`, `RwLockReadGuard`, `RwLockWriteGuard` | loom's own |
//! | `Mutex`, `MutexGuard` | a thin wrapper of loom's mutex (so a `Condvar` can time out) |
//! | `Condvar`, `WaitTimeoutResult` | loom's condvar, plus `wait_while` and timeouts that fire |
//! | `Barrier`, `BarrierWaitResult` | built here on loom's mutex and condvar (loom's panics) |
//! | `mpsc` | built here on loom's mutex and condvar (loom's never disconnects) |
//! | `atomic` | loom's atomics, with `SeqCst` made sequentially consistent |
//! | `Once`, `OnceState`, `OnceLock`, `LazyLock` | built here on loom's mutex and atomics |
//! | `LockResult`, `PoisonError`, `TryLockError`, `TryLockResult` | std's (plain data) |
//!
//! Not available under loom: `Weak` (loom's `Arc` has no weak count) and everything unstable.

pub mod atomic;
mod barrier;
mod condvar;
pub mod mpsc;
mod mutex;
mod once;

pub use barrier::{Barrier, BarrierWaitResult};
pub use condvar::{Condvar, WaitTimeoutResult};
pub use loom::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};
pub use mutex::{Mutex, MutexGuard};
pub use once::{LazyLock, Once, OnceLock, OnceState};
pub use std::sync::{LockResult, PoisonError, TryLockError, TryLockResult};
