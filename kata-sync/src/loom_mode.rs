//! `--cfg kata_loom` builds: the same paths, naming loom's model-checked types.
//!
//! This first version re-exports loom as it is; the known traps (mpsc disconnect, Barrier,
//! wait_timeout, spin_loop, scope, SeqCst) are handled in the modules that replace these.

/// loom's `sync`, plus std's plain data types that loom does not mirror.
pub mod sync {
    pub use loom::sync::*;
    pub use std::sync::{LockResult, PoisonError, TryLockError, TryLockResult};
}

/// loom's `thread`.
pub mod thread {
    pub use loom::thread::*;
}

/// loom's `hint`.
pub mod hint {
    pub use loom::hint::*;
}

/// Runs `f` once per interleaving loom explores (`loom::model`), with the preemption bound
/// taken from `LOOM_MAX_PREEMPTIONS`.
pub use loom::model;

/// loom itself, for models that need more than the std-shaped paths.
pub use loom;
