//! mutant: Background::spawn uses thread::spawn and ignores the name
//! caught-by: visible:background_thread_has_its_name, hidden:two_backgrounds_tick_side_by_side
//! Threads: start them, join them, and own the ones that run in the background.
//!
//! Reference answer for the `threads` kata.

use std::any::Any;
use std::panic;

use kata_sync::sync::Arc;
use kata_sync::sync::atomic::{AtomicBool, Ordering};
use kata_sync::thread::{self, JoinHandle};

/// The message [`run_all_catching`] reports for a job that panicked with a payload that is
/// neither a `&str` nor a `String` (for example `std::panic::panic_any(42)`).
pub const OPAQUE_PANIC: &str = "job panicked with a non-string payload";

/// What `JoinHandle::join` returns in `Err` when the thread panicked: the panic's payload.
type Panic = Box<dyn Any + Send + 'static>;

/// Runs every job on its own thread, all of them at once, and returns their results in the
/// order of `jobs` (not in the order they finished).
///
/// If a job panics, `run_all` panics too, with the same payload, but only after every thread
/// has been joined: no thread outlives the call.
pub fn run_all<T, F>(jobs: Vec<F>) -> Vec<T>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    // `collect` first: every thread is started before the first `join` blocks.
    let handles: Vec<JoinHandle<T>> = jobs.into_iter().map(thread::spawn).collect();
    // Join in input order. Joining all of them before re-raising a panic keeps the promise
    // that no thread is still running when we return (or unwind).
    let outcomes: Vec<Result<T, Panic>> = handles.into_iter().map(JoinHandle::join).collect();
    outcomes
        .into_iter()
        .map(|outcome| outcome.unwrap_or_else(|payload| panic::resume_unwind(payload)))
        .collect()
}

/// Like [`run_all`], but a panicking job does not take the others down: its slot holds
/// `Err(message)`, where `message` is the panic's message (`panic!("boom")` gives `"boom"`,
/// `panic!("job {i}")` gives `"job 3"`), or [`OPAQUE_PANIC`] for any other payload.
pub fn run_all_catching<T, F>(jobs: Vec<F>) -> Vec<Result<T, String>>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    let handles: Vec<JoinHandle<T>> = jobs.into_iter().map(thread::spawn).collect();
    // A thread that panicked is not an error for `join`'s caller to die of: `join` hands the
    // panic's payload back as `Err`.
    handles
        .into_iter()
        .map(|handle| handle.join().map_err(panic_message))
        .collect()
}

/// The text of a panic payload: `panic!` with a literal gives a `&'static str`, with format
/// arguments a `String`.
fn panic_message(payload: Panic) -> String {
    if let Some(text) = payload.downcast_ref::<&'static str>() {
        (*text).to_owned()
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else {
        OPAQUE_PANIC.to_owned()
    }
}

/// A named thread that calls a `tick` closure over and over until it is stopped.
///
/// This is the Rust answer to Python's daemon threads. Rust has no daemon flag: when `main`
/// returns, the process ends and every thread with it, mid-tick. So a background thread is
/// *owned*: whoever holds the `Background` decides when it stops, and [`Background::stop`]
/// and `Drop` both stop it and wait for it. No thread outlives its `Background`.
pub struct Background {
    /// Set to ask the thread to stop after its current tick.
    stop: Arc<AtomicBool>,
    /// `Some` until the thread has been joined. The thread returns how many ticks it ran.
    handle: Option<JoinHandle<u64>>,
}

impl Background {
    /// Starts a thread named `name` that calls `tick` again and again until stopped.
    pub fn spawn<F>(name: &str, mut tick: F) -> Background
    where
        F: FnMut() + Send + 'static,
    {
        let stop = Arc::new(AtomicBool::new(false));
        let stop_requested = Arc::clone(&stop);
        // BUG: the thread is never given its name.
        let _ = name;
        let handle = thread::spawn(move || {
            // The count lives on the background thread's own stack; `join` hands it back,
            // so it can never be read while a tick is still running.
            let mut ticks = 0;
            // `Relaxed` is enough: the flag carries no data, and `join` makes everything
            // the thread did visible to the joiner.
            while !stop_requested.load(Ordering::Relaxed) {
                tick();
                ticks += 1;
            }
            ticks
        });
        Background {
            stop,
            handle: Some(handle),
        }
    }

    /// Asks the thread to stop after its current tick, waits for it to finish, and returns how
    /// many times `tick` ran.
    ///
    /// # Panics
    ///
    /// If `tick` panicked, `stop` panics with the same payload.
    pub fn stop(mut self) -> u64 {
        // `Drop` runs after this and finds `handle` already taken.
        match self.shut_down() {
            Some(Ok(ticks)) => ticks,
            Some(Err(payload)) => panic::resume_unwind(payload),
            None => unreachable!("a Background is only shut down once"),
        }
    }

    /// Sets the stop flag and joins the thread, once.
    fn shut_down(&mut self) -> Option<Result<u64, Panic>> {
        let handle = self.handle.take()?;
        self.stop.store(true, Ordering::Relaxed);
        Some(handle.join())
    }
}

impl Drop for Background {
    /// Stops and joins the thread. A panic from `tick` is dropped here: panicking in `drop`
    /// while already unwinding would abort the whole process.
    fn drop(&mut self) {
        let _ = self.shut_down();
    }
}
