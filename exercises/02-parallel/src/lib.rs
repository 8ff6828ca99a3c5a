//! # Kata 02: parallel
//!
//! Split CPU-bound work over several threads that run at the same time, and get the same
//! answer as the sequential code, for any input.
//! Read `README.md` first; run the visible tests with `cargo test -p parallel` and the grader
//! with `cargo run -p grader -- parallel`.
//!
//! Import threads from `kata_sync::thread`, never from `std::thread`: it is the same module,
//! but the grader may swap it for a model-checked one.
//!
//! ## How to split the work (both functions)
//!
//! Cut the input into `min(threads, len)` **consecutive** chunks whose sizes differ by at most
//! one, and give each chunk its own thread. With `len = 10` and `threads = 3`: chunks of 4, 3
//! and 3 (`10 / 3 = 3` each, and the first `10 % 3 = 1` chunk gets one more).
//!
//! - No item may be left out: `len / threads` items per chunk drops the remainder.
//! - Every thread must get work: `items.chunks(len.div_ceil(threads))` gives 4 items on 3
//!   threads as chunks of 2 and 2, so only 2 threads work (and `chunks(0)` panics on an empty
//!   input).
//! - Never more threads than items, and never more than `threads`.
//!
//! `threads == 0` is a caller's mistake: panic.
//!
//! ## How to run the threads
//!
//! [`kata_sync::thread::scope`](std::thread::scope) starts threads that may borrow from the
//! caller's stack (the input slice, `f`), because the scope waits for all of them before it
//! returns:
//!
//! ```ignore
//! thread::scope(|s| {
//!     let handle = s.spawn(|| chunk.len());   // borrows `chunk`
//!     handle.join().unwrap()
//! })
//! ```
//!
//! Start *every* thread before joining *any*. Iterators are lazy:
//! `chunks.map(|c| s.spawn(..)).map(|h| h.join())` spawns one thread, joins it, then spawns the
//! next: correct answers, zero parallelism. Collect the handles into a `Vec` first.

// What you will need. (Remove the `allow` once you use it.)
#[allow(unused_imports)]
use kata_sync::thread;

/// The sum of `data`, computed by `threads` threads at once, each summing one chunk (see the
/// crate docs for how to split), then adding up the chunk sums.
///
/// The answer must equal the sequential `data.iter().map(|&x| u64::from(x)).sum()` for every
/// input: sum in `u64`. Two `u32::MAX` values already overflow a `u32`, and summing each chunk
/// in `u32` then widening is too late (in a debug build it panics; in release it silently
/// wraps).
///
/// An empty `data` sums to 0.
///
/// # Panics
///
/// If `threads` is 0.
pub fn par_sum(data: &[u32], threads: usize) -> u64 {
    let _ = (data, threads);
    todo!("split data into chunks, sum each on its own scoped thread, add the sums")
}

/// `items.iter().map(f).collect()`, computed by `threads` threads at once.
///
/// Guarantees:
/// - the results are in the order of `items`, whichever thread finishes first (join the
///   threads in chunk order and concatenate; do not collect results as threads finish);
/// - `f` is called exactly once per item, on `min(threads, items.len())` different threads
///   that all run at the same time (the tests check this with a `Barrier` that each thread's
///   first call to `f` waits at);
/// - an empty `items` gives an empty `Vec` without calling `f`.
///
/// Why these bounds: every thread reads the shared items (`T: Sync`) and calls the shared `f`
/// through a `&F` (`F: Sync`), and each thread's results move back to the caller
/// (`R: Send`). No `'static` needed: scoped threads borrow.
///
/// # Panics
///
/// If `threads` is 0, or if `f` panics.
pub fn par_map<T, R, F>(items: &[T], threads: usize, f: F) -> Vec<R>
where
    T: Sync,
    R: Send,
    F: Fn(&T) -> R + Sync,
{
    let _ = (items, threads, f);
    todo!("map each chunk on its own scoped thread, concatenate in chunk order")
}
