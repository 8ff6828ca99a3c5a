//! # Kata 01: threads
//!
//! Start threads, join them, and own the ones that run in the background.
//! Read `README.md` first; run the visible tests with `cargo test -p threads` and the grader
//! with `cargo run -p grader -- threads`.
//!
//! Import threads and sync types from `kata_sync` (`kata_sync::thread`, `kata_sync::sync`),
//! never from `std::thread` / `std::sync`: they are the same types, but the grader swaps them
//! for model-checked ones to try every interleaving of your code.

// What you will need. (Remove the `allow` once you use them.)
#[allow(unused_imports)]
use kata_sync::sync::Arc;
#[allow(unused_imports)]
use kata_sync::sync::atomic::{AtomicBool, Ordering};
#[allow(unused_imports)]
use kata_sync::thread::{self, JoinHandle};

/// The message [`run_all_catching`] reports for a job that panicked with a payload that is
/// neither a `&str` nor a `String` (for example `std::panic::panic_any(42)`).
pub const OPAQUE_PANIC: &str = "job panicked with a non-string payload";

/// Runs every job on its own thread, **all of them at once**, and returns their results in
/// the order of `jobs`, whatever order they finish in.
///
/// This is the notes' "start 5 threads, then join them all" example, with results.
///
/// # The trap
///
/// Iterators are lazy. This looks like "spawn all, then join all", but it is not:
///
/// ```ignore
/// jobs.into_iter()
///     .map(thread::spawn)
///     .map(|handle| handle.join().unwrap()) // joins thread 0 before spawning thread 1!
///     .collect()
/// ```
///
/// Each element goes through the *whole* chain before the next one starts, so the jobs run
/// one after the other. Start every thread first (collect the `JoinHandle`s into a `Vec`),
/// then join them. Joining in input order gives you input order for free: `join` waits for
/// *that* thread, however the others are doing.
///
/// # Panics
///
/// If a job panics, `run_all` panics too, with the job's own panic payload (see
/// `std::panic::resume_unwind`), and only after every thread has been joined: no thread may
/// still be running when `run_all` returns or unwinds.
pub fn run_all<T, F>(jobs: Vec<F>) -> Vec<T>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    let _ = jobs;
    todo!("spawn every job, then join every handle in order")
}

/// Like [`run_all`], but a panicking job does not take the others down.
///
/// The result for each job, in input order: `Ok(value)`, or `Err(message)` if the job
/// panicked, where `message` is the panic's message: `panic!("boom")` gives `"boom"`,
/// `panic!("job {i} failed")` gives `"job 3 failed"`. Any other payload (such as
/// `std::panic::panic_any(42)`) gives [`OPAQUE_PANIC`].
///
/// # Hint
///
/// A thread's panic stays on that thread: `JoinHandle::join` returns it as
/// `Err(payload)`, a `Box<dyn Any + Send>`. `panic!` with a plain literal carries a
/// `&'static str`; with format arguments, a `String`. Try `payload.downcast_ref::<..>()` for
/// both.
pub fn run_all_catching<T, F>(jobs: Vec<F>) -> Vec<Result<T, String>>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    let _ = jobs;
    todo!("like run_all, but turn each panic payload into its message")
}

/// A named thread that calls a `tick` closure over and over until it is stopped.
///
/// Python has daemon threads: the interpreter kills them when the main program ends. Rust
/// has no such flag: when `main` returns, the process ends and *every* thread dies with it,
/// in the middle of whatever it was doing. So in Rust a background thread is *owned*: the
/// `Background` value decides when its thread stops, and both [`Background::stop`] and
/// dropping it stop the thread and wait for it (RAII, like a file that closes when dropped).
/// No thread outlives its `Background`.
///
/// Python subclasses `threading.Thread` and overrides `run`; Rust passes the thread's body
/// as a closure, here the `tick` closure that `spawn` takes.
pub struct Background {
    // Replace this with what `stop` and `drop` need to reach the thread: a way to ask it to
    // stop (an `Arc<AtomicBool>` both sides can see?) and its `JoinHandle`, which `join`
    // consumes. Since `Background` implements `Drop`, you cannot move a field out of it in
    // `stop(self)`; keep the handle in an `Option` and `take()` it.
    _todo: (),
}

impl Background {
    /// Starts a thread named `name` (so `thread::current().name()` is `Some(name)` inside
    /// `tick`, and in panic messages) that calls `tick` again and again until it is stopped.
    ///
    /// Hint: `thread::Builder::new().name(..).spawn(..)`. The thread can count its ticks in a
    /// local variable and return the count: `join` hands the closure's return value back.
    pub fn spawn<F>(name: &str, tick: F) -> Background
    where
        F: FnMut() + Send + 'static,
    {
        let _ = (name, tick);
        todo!("spawn a named thread that ticks until asked to stop")
    }

    /// Asks the thread to stop after its current tick, waits for it to finish, and returns how
    /// many times `tick` was called, exactly.
    ///
    /// The trap: reading a shared tick counter *before* joining. The thread may be in the
    /// middle of a tick that has not been counted yet. Only after `join` has the last tick
    /// certainly finished.
    ///
    /// # Panics
    ///
    /// If `tick` panicked, `stop` panics with the same payload.
    pub fn stop(self) -> u64 {
        todo!("set the stop flag, join the thread, return its tick count")
    }
}

impl Drop for Background {
    /// Stops and joins the thread, like [`Background::stop`], but never panics: a panic from
    /// `tick` is ignored here (panicking in `drop` while already unwinding aborts the process).
    fn drop(&mut self) {
        todo!("stop and join the thread, unless stop() already did")
    }
}
