//! Hidden tests for the `pool` kata.
//!
//! Nothing here is decided by timing. Jobs that must run at once meet at a `Barrier` (a pool
//! with too few threads hangs, and the time limit catches it); jobs that must not have
//! finished wait at a `Gate` that only the test opens. Whether `Drop`/`shutdown` wait for the
//! workers and keep queued jobs is also proved by the loom models, which try every
//! interleaving; the tests here check the same on real threads.

use std::cell::RefCell;
use std::time::Duration;

use kata_sync::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Once;

use kata_sync::sync::{Arc, Barrier, Condvar, Mutex};
use kata_sync::thread;
use pool::{JobPanicked, ThreadPool, WaitError};

/// A door that starts closed: `pass` blocks until someone calls `open`.
#[derive(Default)]
struct Gate {
    open: Mutex<bool>,
    opened: Condvar,
}

impl Gate {
    fn open(&self) {
        *self.open.lock().unwrap() = true;
        self.opened.notify_all();
    }

    fn pass(&self) {
        let mut open = self.open.lock().unwrap();
        while !*open {
            open = self.opened.wait(open).unwrap();
        }
    }
}

/// Jobs in these tests panic on purpose, a thousand times in one test: keep those messages out
/// of the output (they all start with "deliberate"), and print every other panic as usual.
fn hush_deliberate_panics() {
    static HUSH: Once = Once::new();
    HUSH.call_once(|| {
        let default_hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let deliberate = info
                .payload_as_str()
                .is_some_and(|message| message.starts_with("deliberate"));
            if !deliberate {
                default_hook(info);
            }
        }));
    });
}

fn types_are_send<T: Send>() {}

#[test]
fn tasks_can_be_sent_to_other_threads() {
    // Compile-time part: this file does not build unless `Task<T>: Send` for `T: Send`.
    types_are_send::<pool::Task<Vec<u8>>>();
    let pool = ThreadPool::new(1);
    let task = pool.submit(|| vec![1u8, 2, 3]);
    let waiter = thread::spawn(move || task.wait());
    assert_eq!(waiter.join().unwrap(), Ok(vec![1, 2, 3]));
}

#[test]
fn a_pool_of_four_runs_four_jobs_at_once() {
    // A Barrier of 4 inside 4 jobs: only a pool that really runs 4 jobs at the same time gets
    // past it. Fewer threads, or a worker that keeps the queue locked while its job runs,
    // waits here forever.
    let pool = ThreadPool::new(4);
    let barrier = Arc::new(Barrier::new(4));
    let results = pool.map(0..4, move |i| {
        barrier.wait();
        i * 10
    });
    assert_eq!(results, [Ok(0), Ok(10), Ok(20), Ok(30)]);
}

#[test]
fn never_more_jobs_run_at_once_than_there_are_workers() {
    // 9 jobs on 3 workers; each job meets 2 others at a Barrier of 3, so exactly 3 run at
    // once in every round. The peak count of running jobs must be exactly 3.
    let pool = ThreadPool::new(3);
    let barrier = Arc::new(Barrier::new(3));
    let running = Arc::new(AtomicUsize::new(0));
    let peak = Arc::new(AtomicUsize::new(0));
    let results = {
        let (running, peak) = (Arc::clone(&running), Arc::clone(&peak));
        pool.map(0..9, move |_| {
            let now = running.fetch_add(1, Ordering::SeqCst) + 1;
            peak.fetch_max(now, Ordering::SeqCst);
            barrier.wait();
            running.fetch_sub(1, Ordering::SeqCst);
        })
    };
    assert!(results.iter().all(Result::is_ok));
    assert_eq!(
        peak.load(Ordering::SeqCst),
        3,
        "a pool of 3 workers ran more than 3 jobs at once"
    );
}

#[test]
fn submit_returns_while_every_worker_is_busy() {
    // Both workers are running a job that waits at a closed gate (the Barrier proves both
    // jobs have started); 100 more jobs must still be accepted at once. A submit that waits
    // for a free worker, for room in a bounded queue, or for a queue lock that a busy worker
    // keeps, hangs here, because the gate opens only after the last submit.
    let pool = ThreadPool::new(2);
    let gate = Arc::new(Gate::default());
    let started = Arc::new(Barrier::new(3));
    let done = Arc::new(AtomicUsize::new(0));
    let blockers: Vec<_> = (0..2)
        .map(|_| {
            let (gate, started) = (Arc::clone(&gate), Arc::clone(&started));
            pool.submit(move || {
                started.wait();
                gate.pass();
            })
        })
        .collect();
    started.wait();
    let queued: Vec<_> = (0..100)
        .map(|i| {
            let done = Arc::clone(&done);
            pool.submit(move || {
                done.fetch_add(1, Ordering::SeqCst);
                i
            })
        })
        .collect();
    gate.open();
    for blocker in blockers {
        assert_eq!(blocker.wait(), Ok(()));
    }
    let values: Vec<_> = queued.into_iter().map(|task| task.wait()).collect();
    assert_eq!(values, (0..100).map(Ok).collect::<Vec<_>>());
    assert_eq!(done.load(Ordering::SeqCst), 100);
}

#[test]
fn a_panicking_job_does_not_kill_its_worker() {
    hush_deliberate_panics();
    // One worker: if the panic killed it, nobody would ever run the second job.
    let pool = ThreadPool::new(1);
    let panicked = pool.submit(|| -> i32 { panic!("deliberate: first job") });
    let after = pool.submit(|| 5);
    assert_eq!(
        after.wait(),
        Ok(5),
        "the job after a panicking job must still run"
    );
    assert_eq!(
        panicked.wait(),
        Err(JobPanicked {
            message: "deliberate: first job".to_string()
        })
    );
}

#[test]
fn a_thousand_panicking_jobs_leave_the_pool_working() {
    hush_deliberate_panics();
    let pool = ThreadPool::new(2);
    let tasks: Vec<_> = (0..1000)
        .map(|i| {
            pool.submit(move || -> u32 {
                if i % 2 == 0 {
                    panic!("deliberate")
                } else {
                    panic!("deliberate {i}")
                }
            })
        })
        .collect();
    for (i, task) in tasks.into_iter().enumerate() {
        let message = if i % 2 == 0 {
            "deliberate".to_string()
        } else {
            format!("deliberate {i}")
        };
        assert_eq!(task.wait(), Err(JobPanicked { message }));
    }
    // Both workers are still there: a Barrier of 2 needs two live workers.
    let barrier = Arc::new(Barrier::new(2));
    let results = pool.map([1, 2], move |x| {
        barrier.wait();
        x
    });
    assert_eq!(results, [Ok(1), Ok(2)]);
}

#[test]
fn a_formatted_panic_message_reaches_the_task() {
    hush_deliberate_panics();
    let pool = ThreadPool::new(1);
    let code = 7;
    // `panic!` with arguments carries a `String`, not a `&str`.
    let task = pool.submit(move || -> u8 { panic!("deliberate: error code {code}") });
    assert_eq!(
        task.wait(),
        Err(JobPanicked {
            message: "deliberate: error code 7".to_string()
        })
    );
    let task = pool.submit(|| -> u8 { std::panic::panic_any(String::from("deliberate: owned")) });
    assert_eq!(
        task.wait_timeout(Duration::from_secs(60)),
        Err(WaitError::Panicked(JobPanicked {
            message: "deliberate: owned".to_string()
        }))
    );
}

#[test]
fn map_keeps_input_order_when_jobs_finish_out_of_order() {
    // Item 0 waits at a gate that item 2 opens. On 2 workers, the worker that is not stuck on
    // item 0 finishes item 1, then runs item 2: item 1 always finishes before item 0. The
    // results must still come back as [item 0, item 1, item 2].
    let pool = ThreadPool::new(2);
    let gate = Arc::new(Gate::default());
    let results = pool.map(0..3, move |i| {
        if i == 0 {
            gate.pass();
        }
        if i == 2 {
            gate.open();
        }
        i * 100
    });
    assert_eq!(results, [Ok(0), Ok(100), Ok(200)]);
}

#[test]
fn map_reports_a_panicking_item_in_its_place() {
    hush_deliberate_panics();
    let pool = ThreadPool::new(2);
    let results = pool.map(0..5, |i| {
        if i == 3 {
            panic!("deliberate: item {i}");
        }
        i
    });
    assert_eq!(
        results,
        [
            Ok(0),
            Ok(1),
            Ok(2),
            Err(JobPanicked {
                message: "deliberate: item 3".to_string()
            }),
            Ok(4)
        ]
    );
    assert_eq!(pool.map(Vec::<u8>::new(), |x| x), []);
}

#[test]
fn is_finished_is_false_until_the_job_has_finished() {
    let pool = ThreadPool::new(1);
    let gate = Arc::new(Gate::default());
    let task = {
        let gate = Arc::clone(&gate);
        pool.submit(move || {
            gate.pass();
            'x'
        })
    };
    assert!(!task.is_finished(), "the job is waiting at a closed gate");
    assert!(
        !task.is_finished(),
        "is_finished must not use up the result"
    );
    gate.open();
    // Poll until it flips: a task that never reports being finished hangs here.
    while !task.is_finished() {
        thread::yield_now();
    }
    assert!(task.is_finished());
    assert_eq!(task.wait(), Ok('x'));
}

#[test]
fn wait_timeout_gives_the_value_of_a_job_that_finishes_in_time() {
    let pool = ThreadPool::new(1);
    let gate = Arc::new(Gate::default());
    let blocked = {
        let gate = Arc::clone(&gate);
        pool.submit(move || {
            gate.pass();
            1
        })
    };
    assert_eq!(
        blocked.wait_timeout(Duration::from_millis(50)),
        Err(WaitError::Timeout)
    );
    let later = pool.submit(|| 2);
    // Open the gate from another thread, maybe while the wait below is already sleeping.
    let opener = {
        let gate = Arc::clone(&gate);
        thread::spawn(move || gate.open())
    };
    assert_eq!(later.wait_timeout(Duration::from_secs(60)), Ok(2));
    opener.join().unwrap();
    // A timeout too large to add to "now" must not overflow.
    assert_eq!(pool.submit(|| 3).wait_timeout(Duration::MAX), Ok(3));
}

#[test]
fn shutdown_runs_every_queued_job_and_joins_every_worker() {
    // One worker, stuck at a gate, with 50 jobs queued behind it. Another thread opens the
    // gate whenever it gets to run; shutdown must then run all 50 before returning. Each job
    // holds a clone of `witness`; once the jobs are done and dropped, only ours is left.
    let pool = ThreadPool::new(1);
    let gate = Arc::new(Gate::default());
    let witness = Arc::new(());
    let done = Arc::new(AtomicUsize::new(0));
    let first = {
        let gate = Arc::clone(&gate);
        pool.submit(move || gate.pass())
    };
    let tasks: Vec<_> = (0..50)
        .map(|_| {
            let (done, witness) = (Arc::clone(&done), Arc::clone(&witness));
            pool.submit(move || {
                let _witness = witness;
                done.fetch_add(1, Ordering::SeqCst);
            })
        })
        .collect();
    let opener = {
        let gate = Arc::clone(&gate);
        thread::spawn(move || gate.open())
    };
    pool.shutdown();
    assert_eq!(
        done.load(Ordering::SeqCst),
        50,
        "shutdown returned before every job ran"
    );
    assert!(first.is_finished());
    assert!(tasks.iter().all(|task| task.is_finished()));
    assert_eq!(
        Arc::strong_count(&witness),
        1,
        "a job was never run or never dropped"
    );
    opener.join().unwrap();
}

/// Counts the worker threads that have exited: a job plants one of these in its worker's
/// thread-local storage, and it is dropped when that thread ends.
struct ExitCounter(Arc<AtomicUsize>);

impl Drop for ExitCounter {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

thread_local! {
    static EXIT_COUNTER: RefCell<Option<ExitCounter>> = const { RefCell::new(None) };
}

#[test]
fn dropping_the_pool_joins_every_worker_thread() {
    // 3 jobs meet at a Barrier of 3, so each runs on a different worker and plants a counter
    // in that worker's thread-local storage. The counters drop when the worker threads end;
    // `drop(pool)` must not return before all 3 have ended.
    let exited = Arc::new(AtomicUsize::new(0));
    let barrier = Arc::new(Barrier::new(3));
    let pool = ThreadPool::new(3);
    let results = {
        let exited = Arc::clone(&exited);
        pool.map(0..3, move |_| {
            barrier.wait();
            EXIT_COUNTER.set(Some(ExitCounter(Arc::clone(&exited))));
        })
    };
    assert!(results.iter().all(Result::is_ok));
    drop(pool);
    assert_eq!(
        exited.load(Ordering::SeqCst),
        3,
        "drop returned before every worker thread had ended"
    );
}
