//! `--cfg kata_loom` builds: the same paths as std, naming loom's model-checked types.
//!
//! loom 0.7.2 mirrors most of `std::sync` and `std::thread`, but with gaps and traps that make a
//! correct answer fail (see the crate documentation for the list). This module re-exports what
//! loom gets right and replaces the rest with small implementations built on loom's own
//! `Mutex`, `Condvar`, atomics and threads, so that loom still sees (and explores) every
//! synchronisation operation they perform.

pub mod hint;
mod spin;
pub mod sync;
pub mod thread;

/// Runs `f` once per interleaving loom explores (`loom::model`), with the preemption bound
/// taken from `LOOM_MAX_PREEMPTIONS`.
pub use loom::model;

/// loom itself, for models that need more than the std-shaped paths.
pub use loom;
