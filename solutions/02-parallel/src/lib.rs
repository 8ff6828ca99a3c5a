//! Parallelism: split CPU-bound work over several threads that run at the same time.
//!
//! Reference answer for the `parallel` kata.

use std::panic;

use kata_sync::thread;

/// Splits `items` into `min(parts, items.len())` consecutive chunks whose lengths differ by at
/// most one: the first `items.len() % parts` chunks get one extra item. No item is left out,
/// no chunk is empty, and the chunks are in order.
///
/// # Panics
///
/// If `parts` is 0.
fn balanced_chunks<T>(items: &[T], parts: usize) -> Vec<&[T]> {
    assert!(parts > 0, "cannot split work over 0 threads");
    let parts = parts.min(items.len());
    if parts == 0 {
        return Vec::new();
    }
    let (base, extra) = (items.len() / parts, items.len() % parts);
    let mut chunks = Vec::with_capacity(parts);
    let mut rest = items;
    for i in 0..parts {
        let (chunk, tail) = rest.split_at(base + usize::from(i < extra));
        chunks.push(chunk);
        rest = tail;
    }
    chunks
}

/// The sum of `data`, computed by `threads` threads at once, each summing one chunk.
///
/// Sums in `u64`: a sum of `u32`s overflows `u32` as soon as two of them are large.
///
/// # Panics
///
/// If `threads` is 0.
pub fn par_sum(data: &[u32], threads: usize) -> u64 {
    let chunks = balanced_chunks(data, threads);
    // Scoped threads may borrow `data`: the scope joins them all before it returns.
    thread::scope(|scope| {
        // `collect` first, so every thread is running before we wait for the first one.
        let handles: Vec<_> = chunks
            .into_iter()
            .map(|chunk| scope.spawn(move || chunk.iter().map(|&x| u64::from(x)).sum::<u64>()))
            .collect();
        handles
            .into_iter()
            .map(|handle| {
                handle
                    .join()
                    .unwrap_or_else(|payload| panic::resume_unwind(payload))
            })
            .sum()
    })
}

/// `items.iter().map(f).collect()`, computed by `threads` threads at once, in input order.
///
/// The items are split into `min(threads, items.len())` consecutive chunks whose sizes differ
/// by at most one, each mapped on its own thread; the chunks' results are concatenated in
/// chunk order.
///
/// # Panics
///
/// If `threads` is 0, or if `f` panics (with `f`'s panic).
pub fn par_map<T, R, F>(items: &[T], threads: usize, f: F) -> Vec<R>
where
    T: Sync,
    R: Send,
    F: Fn(&T) -> R + Sync,
{
    let chunks = balanced_chunks(items, threads);
    // Every thread calls the same `f` through a shared reference: that is why `F: Sync`.
    let f = &f;
    thread::scope(|scope| {
        let handles: Vec<_> = chunks
            .into_iter()
            .map(|chunk| scope.spawn(move || chunk.iter().map(f).collect::<Vec<R>>()))
            .collect();
        // Joining in chunk order puts the results back in input order, whichever thread
        // finished first.
        let mut results = Vec::with_capacity(items.len());
        for handle in handles {
            results.extend(
                handle
                    .join()
                    .unwrap_or_else(|payload| panic::resume_unwind(payload)),
            );
        }
        results
    })
}
