//! # Kata 07: a thread pool
//!
//! Build a fixed-size thread pool, the Rust counterpart of Python's
//! `concurrent.futures.ThreadPoolExecutor`: `workers` threads started once, a queue of jobs
//! they share, a [`Task`] per submitted job (Python's `Future`) to get its result, and a
//! `Drop` that finishes the queued jobs and joins every worker (Python's `with` block).
//!
//! Read `README.md` first. Replace every `todo!()`; keep the public signatures as they are
//! (you may add private items, fields and helper types).
//!
//! Import your synchronisation primitives from `kata_sync` (`kata_sync::sync::{Arc, Mutex,
//! Condvar, mpsc}`, `kata_sync::thread`), never from `std::sync` / `std::thread`: the grader
//! swaps them for loom's model-checked versions to try every interleaving of your code.
//! `std::panic`, `std::time` and `std::collections` are fine.

use std::marker::PhantomData;
use std::time::Duration;
use std::{error, fmt};

/// A fixed set of worker threads that run submitted jobs.
///
/// What it must guarantee:
///
/// - exactly `workers` jobs can run at the same time, and never more;
/// - [`submit`](ThreadPool::submit) never waits for a job to start or finish;
/// - a job that panics kills neither its worker nor any other job;
/// - dropping the pool (or calling [`shutdown`](ThreadPool::shutdown)) runs every job already
///   submitted, then joins every worker: no job is lost and no thread is left behind.
///
/// Technique: a job queue shared by all workers, either a `Mutex<VecDeque<Job>>` with a
/// `Condvar` to sleep on, or an `mpsc::Receiver<Job>` behind an `Arc<Mutex<..>>`, where
/// `type Job = Box<dyn FnOnce() + Send + 'static>;`. Each worker loops: take the next job,
/// run it, repeat, until the queue is closed *and* empty.
///
/// The classic bug: holding the queue's lock while the job runs. This one-liner does it,
/// because the `MutexGuard` temporary lives until the end of the `while let` body:
///
/// ```text
/// while let Ok(job) = receiver.lock().unwrap().recv() {
///     job(); // the lock is still held here: the other workers cannot take a job
/// }
/// ```
///
/// Take the job in one statement (`let message = receiver.lock().unwrap().recv();`) and
/// run it in the next, after the guard is gone.
pub struct ThreadPool {
    // Replace this with your fields: e.g. the shared queue (or the job `Sender`) and the
    // workers' `JoinHandle`s.
    _todo: (),
}

impl ThreadPool {
    /// Starts `workers` worker threads, all waiting for jobs.
    ///
    /// Start the threads here, once: creating a thread per job is exactly the cost a pool
    /// exists to avoid.
    ///
    /// # Panics
    ///
    /// If `workers` is 0 (such a pool could never run anything): `assert!` it.
    pub fn new(workers: usize) -> ThreadPool {
        let _ = workers;
        todo!("start the workers")
    }

    /// The number of worker threads, as given to [`new`](ThreadPool::new).
    pub fn workers(&self) -> usize {
        todo!()
    }

    /// Queues `job` and returns at once with the [`Task`] that will receive its result, like
    /// Python's `executor.submit(fn)` returning a `Future`.
    ///
    /// Must not wait: not for a free worker, not for room in a queue (use an unbounded one).
    ///
    /// Technique: make a one-shot channel (an `mpsc::channel()`, or an
    /// `Arc<(Mutex<Option<..>>, Condvar)>` slot) per task. Box a closure for the queue that
    /// runs `job` under [`std::panic::catch_unwind`] (wrap it in
    /// [`std::panic::AssertUnwindSafe`]) and sends `Ok(value)` or `Err(JobPanicked)` through
    /// the channel. Without `catch_unwind`, a panicking job unwinds through your worker loop
    /// and kills the worker thread: the pool silently shrinks, and the task never gets an
    /// answer.
    pub fn submit<T, F>(&self, job: F) -> Task<T>
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        let _ = job;
        todo!("queue the job, return its task")
    }

    /// Runs `f` on every item, spread over the workers, and returns one outcome per item in
    /// the order of `items` (Python's `executor.map`), whatever order the jobs finish in.
    /// An item whose `f` panicked gives `Err(JobPanicked)` in its place.
    ///
    /// Technique: share `f` between the jobs with an `Arc`, submit every item first (so they
    /// can all run at once), then wait for the tasks in input order. Collecting results from
    /// one shared channel as they arrive gives them in *completion* order: a bug.
    pub fn map<I, T, R, F>(&self, items: I, f: F) -> Vec<Result<R, JobPanicked>>
    where
        I: IntoIterator<Item = T>,
        F: Fn(T) -> R + Send + Sync + 'static,
        T: Send + 'static,
        R: Send + 'static,
    {
        let _ = (items, f);
        todo!("submit all, then wait in input order")
    }

    /// Runs every job already submitted, then joins every worker; returns after that. The
    /// same as dropping the pool (it may simply let the pool drop).
    pub fn shutdown(self) {
        todo!()
    }
}

/// Dropping the pool does what [`ThreadPool::shutdown`] does: RAII instead of Python's
/// `with ThreadPoolExecutor(...) as executor:`.
///
/// Technique: close the queue (set a `closed` flag and `notify_all` so *every* sleeping
/// worker wakes up to see it; or drop the job `Sender`, kept in an `Option` so `Drop` can
/// `take()` it), then `join` every worker. Workers must keep taking jobs until the queue is
/// closed *and empty*: a worker that stops as soon as it sees "closed" throws the queued jobs
/// away. And a `Drop` that does not `join` returns while jobs still run.
impl Drop for ThreadPool {
    fn drop(&mut self) {
        todo!("close the queue, join every worker")
    }
}

/// The result of one submitted job, to come (Python's `Future`).
///
/// Dropping a `Task` without waiting does not cancel its job.
pub struct Task<T> {
    // Replace this with your fields: e.g. the receiving half of the task's one-shot channel.
    _todo: PhantomData<T>,
}

impl<T> Task<T> {
    /// Blocks until the job has finished, then returns its value, or `Err(JobPanicked)` with
    /// the panic's message if it panicked (Python's `future.result()`).
    pub fn wait(self) -> Result<T, JobPanicked> {
        todo!()
    }

    /// Like [`wait`](Task::wait) but gives up after `timeout`: `Err(WaitError::Timeout)` if
    /// the job has not finished by then (Python's `future.result(timeout=...)`).
    ///
    /// Technique: `mpsc::Receiver::recv_timeout`, or `Condvar::wait_timeout` in a loop that
    /// recomputes the time left from a deadline (`Instant::now() + timeout`), since a
    /// condition variable may wake up early. A `timeout` too large to add to `now` (like
    /// `Duration::MAX`) must not panic: treat it as "no timeout"
    /// ([`Instant::checked_add`](std::time::Instant::checked_add)).
    pub fn wait_timeout(self, timeout: Duration) -> Result<T, WaitError> {
        let _ = timeout;
        todo!()
    }

    /// Whether the job has finished (returned or panicked). Never blocks, and must not use up
    /// the result: a later [`wait`](Task::wait) still gets it.
    ///
    /// With an `mpsc` channel, `try_recv` *takes* the value out: keep it (e.g. in a
    /// `RefCell<Option<..>>` field) for `wait` to return later.
    pub fn is_finished(&self) -> bool {
        todo!()
    }
}

/// A job panicked.
///
/// `message` is the panic's message. `catch_unwind` gives the payload as a
/// `Box<dyn Any + Send>`: `panic!("literal")` carries a `&'static str`, while
/// `panic!("{x}")` (and `panic_any(String)`) carries a `String`. Read both with
/// `downcast_ref::<&str>()` and `downcast_ref::<String>()`; for any other payload, any fixed
/// description will do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobPanicked {
    /// The panic's message.
    pub message: String,
}

impl fmt::Display for JobPanicked {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the job panicked: {}", self.message)
    }
}

impl error::Error for JobPanicked {}

/// Why [`Task::wait_timeout`] returned no value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WaitError {
    /// The job had not finished when the timeout passed.
    Timeout,
    /// The job panicked.
    Panicked(JobPanicked),
}

impl fmt::Display for WaitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WaitError::Timeout => f.write_str("the job did not finish in time"),
            WaitError::Panicked(panicked) => panicked.fmt(f),
        }
    }
}

impl error::Error for WaitError {}
