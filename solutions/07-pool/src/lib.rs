//! A fixed-size thread pool: the reference answer.
//!
//! Design: one job queue (`Mutex<VecDeque<Job>>` plus a `Condvar`) shared by `workers`
//! threads. `submit` boxes the job, pushes it and wakes one idle worker; it never waits for a
//! job to run. Each job carries the sending half of a one-shot result slot; the caller keeps
//! the receiving half, a [`Task`]. A job runs under `catch_unwind`, so a panic becomes an
//! `Err(JobPanicked)` in its slot and the worker lives on. Dropping the pool closes the queue,
//! lets the workers empty it, and joins every one of them: RAII in place of Python's `with`.

use std::any::Any;
use std::collections::VecDeque;
use std::fmt;
use std::panic::{self, AssertUnwindSafe};
use std::time::{Duration, Instant};

use kata_sync::sync::{Arc, Condvar, Mutex};
use kata_sync::thread::{self, JoinHandle};

/// A unit of work as the workers see it: no arguments, no result (the result travels through
/// the job's own [`Task`] slot), runnable on any thread, run exactly once.
type Job = Box<dyn FnOnce() + Send + 'static>;

/// What the pool and its workers share.
struct Shared {
    queue: Mutex<Queue>,
    /// Signalled when a job is pushed or the queue is closed.
    work_or_close: Condvar,
}

struct Queue {
    jobs: VecDeque<Job>,
    /// Set once, by `Drop`: no more jobs will come; workers leave once `jobs` is empty.
    closed: bool,
    /// How many workers are asleep in `work_or_close.wait`. `submit` wakes one only if this
    /// is not 0: on Linux, `notify_one` makes a system call even when nobody waits.
    sleeping: usize,
}

impl Shared {
    /// Blocks until there is a job (returned) or the queue is closed and empty (`None`).
    ///
    /// Jobs still queued when the pool closes are handed out before any worker leaves: the
    /// `pop_front` comes before the `closed` check.
    fn next_job(&self) -> Option<Job> {
        let mut queue = self.queue.lock().unwrap();
        loop {
            if let Some(job) = queue.jobs.pop_front() {
                return Some(job);
            }
            if queue.closed {
                return None;
            }
            queue.sleeping += 1;
            queue = self.work_or_close.wait(queue).unwrap();
            queue.sleeping -= 1;
        }
    }

    /// A worker's whole life. The job runs after `next_job` returned, so the queue's lock is
    /// free while it runs and the other workers can take jobs meanwhile.
    fn work(&self) {
        while let Some(job) = self.next_job() {
            job();
        }
    }
}

/// A fixed set of worker threads that run submitted jobs, like Python's
/// `concurrent.futures.ThreadPoolExecutor`.
///
/// Dropping the pool (or calling [`shutdown`](ThreadPool::shutdown)) runs every job already
/// submitted, then joins every worker.
pub struct ThreadPool {
    shared: Arc<Shared>,
    handles: Vec<JoinHandle<()>>,
}

impl ThreadPool {
    /// Starts a pool of `workers` threads.
    ///
    /// # Panics
    ///
    /// If `workers` is 0: such a pool could never run a job.
    pub fn new(workers: usize) -> ThreadPool {
        assert!(workers > 0, "a thread pool needs at least one worker");
        let shared = Arc::new(Shared {
            queue: Mutex::new(Queue {
                jobs: VecDeque::new(),
                closed: false,
                sleeping: 0,
            }),
            work_or_close: Condvar::new(),
        });
        let handles = (0..workers)
            .map(|_| {
                let shared = Arc::clone(&shared);
                thread::spawn(move || shared.work())
            })
            .collect();
        ThreadPool { shared, handles }
    }

    /// The number of worker threads.
    pub fn workers(&self) -> usize {
        self.handles.len()
    }

    /// Queues `job` and returns at once with a [`Task`] that will receive its result.
    pub fn submit<T, F>(&self, job: F) -> Task<T>
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        let slot = Arc::new(Slot {
            state: Mutex::new(SlotState {
                outcome: None,
                waiting: false,
            }),
            filled: Condvar::new(),
        });
        let task = Task {
            slot: Arc::clone(&slot),
        };
        let run = move || {
            // `AssertUnwindSafe`: if `job` panics, nothing it touched is looked at again
            // except through its own synchronisation (a poisoned Mutex stays poisoned).
            let outcome =
                panic::catch_unwind(AssertUnwindSafe(job)).map_err(JobPanicked::from_payload);
            slot.fill(outcome);
        };
        let mut queue = self.shared.queue.lock().unwrap();
        queue.jobs.push_back(Box::new(run));
        // A worker that is awake takes the job before it goes to sleep again (it checks the
        // queue under this same lock), so only a sleeping worker needs waking; and one new job
        // needs only one worker.
        let wake = queue.sleeping > 0;
        // Unlock before notifying, so the woken worker can take the lock at once.
        drop(queue);
        if wake {
            self.shared.work_or_close.notify_one();
        }
        task
    }

    /// Runs `f` on every item, spread over the workers, and returns the outcomes in the order
    /// of `items` (not the order in which the jobs happened to finish).
    pub fn map<I, T, R, F>(&self, items: I, f: F) -> Vec<Result<R, JobPanicked>>
    where
        I: IntoIterator<Item = T>,
        F: Fn(T) -> R + Send + Sync + 'static,
        T: Send + 'static,
        R: Send + 'static,
    {
        let f = Arc::new(f);
        // Submit everything first, so all items can run at once; then wait in input order.
        let tasks: Vec<Task<R>> = items
            .into_iter()
            .map(|item| {
                let f = Arc::clone(&f);
                self.submit(move || f(item))
            })
            .collect();
        tasks.into_iter().map(Task::wait).collect()
    }

    /// Runs every job already submitted, then joins every worker. The same as dropping the
    /// pool, spelled out.
    pub fn shutdown(self) {
        drop(self);
    }
}

impl Drop for ThreadPool {
    fn drop(&mut self) {
        self.shared.queue.lock().unwrap().closed = true;
        // Every idle worker must wake up to see `closed`.
        self.shared.work_or_close.notify_all();
        for handle in self.handles.drain(..) {
            // A worker cannot panic (jobs run under `catch_unwind`); if one did anyway, the
            // other workers still get joined.
            let _ = handle.join();
        }
    }
}

/// A one-shot channel: the job fills it once, the [`Task`] takes the value out once.
struct Slot<T> {
    state: Mutex<SlotState<T>>,
    filled: Condvar,
}

struct SlotState<T> {
    outcome: Option<Result<T, JobPanicked>>,
    /// Whether the task's owner is asleep on `filled`. Like the pool's `sleeping` count, it
    /// saves a notify (a system call) per job when nobody waits yet, which is the usual case:
    /// jobs tend to finish before anyone asks for their result.
    waiting: bool,
}

impl<T> Slot<T> {
    fn fill(&self, outcome: Result<T, JobPanicked>) {
        let mut state = self.state.lock().unwrap();
        state.outcome = Some(outcome);
        let wake = state.waiting;
        drop(state);
        if wake {
            self.filled.notify_all();
        }
    }
}

/// The future result of one submitted job (Python's `Future`).
///
/// Dropping a `Task` does not cancel its job: the job still runs, and its result is dropped.
pub struct Task<T> {
    slot: Arc<Slot<T>>,
}

impl<T> Task<T> {
    /// Blocks until the job has finished; returns its value, or the message of its panic.
    pub fn wait(self) -> Result<T, JobPanicked> {
        let mut state = self.slot.state.lock().unwrap();
        loop {
            if let Some(outcome) = state.outcome.take() {
                return outcome;
            }
            // Set under the lock that `fill` also takes: either `fill` has not run yet and
            // will see the flag, or it has and the loop found the outcome above.
            state.waiting = true;
            state = self.slot.filled.wait(state).unwrap();
        }
    }

    /// Like [`wait`](Task::wait), but gives up with [`WaitError::Timeout`] once `timeout` has
    /// passed without a result (Python's `future.result(timeout=...)`).
    pub fn wait_timeout(self, timeout: Duration) -> Result<T, WaitError> {
        // A timeout too large to add to now is the same as no timeout.
        let Some(deadline) = Instant::now().checked_add(timeout) else {
            return self.wait().map_err(WaitError::Panicked);
        };
        let mut state = self.slot.state.lock().unwrap();
        loop {
            if let Some(outcome) = state.outcome.take() {
                return outcome.map_err(WaitError::Panicked);
            }
            // Wake-ups can be early or spurious: recompute what is left of the timeout.
            let now = Instant::now();
            if now >= deadline {
                return Err(WaitError::Timeout);
            }
            state.waiting = true;
            state = self
                .slot
                .filled
                .wait_timeout(state, deadline - now)
                .unwrap()
                .0;
        }
    }

    /// Whether the job has finished (returned or panicked). Never blocks.
    pub fn is_finished(&self) -> bool {
        self.slot.state.lock().unwrap().outcome.is_some()
    }
}

/// A job panicked; `message` is its panic's message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobPanicked {
    /// The message given to `panic!` (`&str` and `String` payloads); for any other payload, a
    /// fixed description.
    pub message: String,
}

impl JobPanicked {
    /// Reads the message out of a panic payload, as returned by `catch_unwind`.
    fn from_payload(payload: Box<dyn Any + Send>) -> Self {
        // `panic!("literal")` carries a `&'static str`; `panic!("{x}")` carries a `String`.
        let message = if let Some(message) = payload.downcast_ref::<&str>() {
            (*message).to_owned()
        } else if let Some(message) = payload.downcast_ref::<String>() {
            message.clone()
        } else {
            "the job panicked with a payload that is not a string".to_owned()
        };
        JobPanicked { message }
    }
}

impl fmt::Display for JobPanicked {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the job panicked: {}", self.message)
    }
}

impl std::error::Error for JobPanicked {}

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

impl std::error::Error for WaitError {}
