//! Normal builds: plain re-exports of std.

/// `std::sync`, unchanged.
pub mod sync {
    pub use std::sync::*;
}

/// `std::thread`, unchanged.
pub mod thread {
    pub use std::thread::*;
}

/// `std::hint`, unchanged.
pub mod hint {
    pub use std::hint::*;
}

/// Runs `f` once. Under `--cfg kata_loom` this is `loom::model`, which runs `f` once per
/// interleaving; in a normal build there is only the one real run.
pub fn model<F>(f: F)
where
    F: Fn() + Sync + Send + 'static,
{
    f()
}
