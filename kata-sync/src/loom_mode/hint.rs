//! `std::hint`, with the functions that matter to a model checker replaced.

// Everything std's `hint` has (black_box, select_unpredictable, ...) is a pure function that
// means the same under loom. The items defined below shadow their std namesakes.
pub use std::hint::*;

/// Signals a busy-wait loop: under loom, a yield to the scheduler.
///
/// std's `spin_loop` is a CPU instruction and nothing else. Inside a model, a thread that spins
/// on a flag without ever yielding keeps the (single, simulated) processor forever: loom then
/// explores that spin until it gives up with "exceeded maximum number of branches". A yield
/// tells loom to run the other threads first, so a spin-wait on a flag that another thread will
/// set completes. This is what loom's own `loom::hint::spin_loop` does too.
#[inline]
pub fn spin_loop() {
    loom::thread::yield_now();
}

/// Under loom, panics: reaching this point is a bug the model has just found.
///
/// std's version is undefined behaviour when reached; loom's (this one) reports it instead.
///
/// # Safety
///
/// The same contract as [`std::hint::unreachable_unchecked`]: it must never be reached. (This
/// version is actually safe to reach: it panics.)
#[track_caller]
pub unsafe fn unreachable_unchecked() -> ! {
    panic!("kata_sync::hint::unreachable_unchecked was reached")
}

/// Under loom, `assert!(cond)`: a false condition is a bug the model has just found.
///
/// std's version is undefined behaviour when `cond` is false; this one reports it instead.
///
/// # Safety
///
/// The same contract as [`std::hint::assert_unchecked`]: `cond` must be true. (This version
/// is actually safe to call with `false`: it panics.)
#[track_caller]
pub unsafe fn assert_unchecked(cond: bool) {
    assert!(
        cond,
        "kata_sync::hint::assert_unchecked was called with false"
    );
}
