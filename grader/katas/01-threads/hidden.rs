//! Hidden tests for the `threads` kata.
//!
//! Determinism: "at once" is proven with a `Barrier` (sequential code hangs and the time limit
//! catches it); "in input order whatever order they finish in" is proven by chaining the jobs
//! so that job k cannot finish before the thread of job k + 1 has *exited* (a thread-local
//! value whose destructor runs at thread exit opens job k's gate). So the threads end in
//! exactly reverse order, and anything a thread does after its job (sending its result on a
//! channel, pushing it to a shared Vec) has happened before the next one finishes.

use std::cell::RefCell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Barrier};
use std::thread::{self, ThreadId};

use threads::{Background, OPAQUE_PANIC, run_all, run_all_catching};

type Job<T> = Box<dyn FnOnce() -> T + Send>;

/// Sends on its channel when dropped.
struct SignalOnDrop(Sender<()>);

impl Drop for SignalOnDrop {
    fn drop(&mut self) {
        let _ = self.0.send(());
    }
}

thread_local! {
    static ON_THREAD_EXIT: RefCell<Vec<SignalOnDrop>> = const { RefCell::new(Vec::new()) };
}

/// Signals `tx` once the current thread has exited (thread-local destructors run after
/// everything else the thread does). On `caller`, the test's own thread, which does not exit
/// during the test, it signals at once.
fn signal_when_this_thread_exits(tx: Sender<()>, caller: ThreadId) {
    if thread::current().id() == caller {
        let _ = tx.send(());
    } else {
        ON_THREAD_EXIT.with(|signals| signals.borrow_mut().push(SignalOnDrop(tx)));
    }
}

/// What a chained job waits on before it finishes (none for the last job).
type Gate = Option<Receiver<()>>;
/// What a chained job hands to its thread's exit, to open the previous job's gate.
type Opener = Option<Sender<()>>;

/// Gates and openers for `n` jobs that must finish in reverse order: job k waits on
/// `gates[k]`, which `openers[k + 1]` opens when job k + 1's thread exits.
fn reverse_chain(n: usize) -> (Vec<Gate>, Vec<Opener>) {
    let mut gates = Vec::new();
    let mut exits = Vec::new();
    for _ in 0..n - 1 {
        let (tx, rx) = mpsc::channel();
        gates.push(Some(rx));
        exits.push(Some(tx));
    }
    gates.push(None);
    exits.insert(0, None);
    (gates, exits)
}

fn panic_text(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(text) = payload.downcast_ref::<&str>() {
        (*text).to_owned()
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else {
        "<not a string>".to_owned()
    }
}

#[test]
fn run_all_keeps_input_order_when_jobs_finish_in_reverse() {
    let caller = thread::current().id();
    let (gates, exits) = reverse_chain(4);
    let jobs: Vec<Job<usize>> = gates
        .into_iter()
        .zip(exits)
        .enumerate()
        .map(|(k, (gate, exit))| {
            Box::new(move || {
                if let Some(gate) = gate {
                    gate.recv().unwrap();
                }
                if let Some(exit) = exit {
                    signal_when_this_thread_exits(exit, caller);
                }
                k * 10
            }) as Job<usize>
        })
        .collect();
    assert_eq!(run_all(jobs), vec![0, 10, 20, 30]);
}

#[test]
fn run_all_runs_sixty_four_jobs_at_once() {
    let barrier = Arc::new(Barrier::new(64));
    let jobs: Vec<_> = (0..64u32)
        .map(|i| {
            let barrier = Arc::clone(&barrier);
            move || {
                barrier.wait();
                i
            }
        })
        .collect();
    assert_eq!(run_all(jobs), (0..64).collect::<Vec<_>>());
}

#[test]
fn run_all_moves_owned_data_in_and_out() {
    let jobs: Vec<_> = ["a", "bb", "ccc"]
        .iter()
        .map(|s| {
            let owned = s.repeat(2);
            move || owned.to_uppercase()
        })
        .collect();
    assert_eq!(run_all(jobs), vec!["AA", "BBBB", "CCCCCC"]);
}

#[test]
fn run_all_passes_on_a_jobs_panic() {
    let jobs: Vec<Job<u32>> = vec![
        Box::new(|| 1),
        Box::new(|| panic!("job 1 exploded")),
        Box::new(|| 3),
    ];
    let outcome = panic::catch_unwind(AssertUnwindSafe(|| run_all(jobs)));
    let payload = outcome.expect_err("run_all should panic when a job panics");
    assert_eq!(panic_text(&*payload), "job 1 exploded");
}

#[test]
fn run_all_catching_keeps_formatted_panic_messages() {
    let jobs: Vec<Job<u32>> = (0..4u32)
        .map(|i| {
            Box::new(move || {
                if i % 2 == 1 {
                    panic!("job {i} failed");
                }
                i
            }) as Job<u32>
        })
        .collect();
    assert_eq!(
        run_all_catching(jobs),
        vec![
            Ok(0),
            Err("job 1 failed".to_string()),
            Ok(2),
            Err("job 3 failed".to_string()),
        ]
    );
}

#[test]
fn run_all_catching_reports_other_payloads_as_opaque() {
    let jobs: Vec<Job<u32>> = vec![Box::new(|| panic::panic_any(42_i32)), Box::new(|| 7)];
    assert_eq!(
        run_all_catching(jobs),
        vec![Err(OPAQUE_PANIC.to_string()), Ok(7)]
    );
}

#[test]
fn run_all_catching_runs_every_job_at_once() {
    let barrier = Arc::new(Barrier::new(4));
    let jobs: Vec<Job<u32>> = (0..4u32)
        .map(|i| {
            let barrier = Arc::clone(&barrier);
            Box::new(move || {
                barrier.wait();
                if i == 2 {
                    panic!("job 2 failed");
                }
                i
            }) as Job<u32>
        })
        .collect();
    assert_eq!(
        run_all_catching(jobs),
        vec![Ok(0), Ok(1), Err("job 2 failed".to_string()), Ok(3)]
    );
}

#[test]
fn run_all_catching_keeps_input_order_when_jobs_finish_in_reverse() {
    let caller = thread::current().id();
    let (gates, exits) = reverse_chain(4);
    let jobs: Vec<Job<usize>> = gates
        .into_iter()
        .zip(exits)
        .enumerate()
        .map(|(k, (gate, exit))| {
            Box::new(move || {
                if let Some(gate) = gate {
                    gate.recv().unwrap();
                }
                if let Some(exit) = exit {
                    signal_when_this_thread_exits(exit, caller);
                }
                if k == 2 {
                    panic!("job 2 failed");
                }
                k
            }) as Job<usize>
        })
        .collect();
    assert_eq!(
        run_all_catching(jobs),
        vec![Ok(0), Ok(1), Err("job 2 failed".to_string()), Ok(3)]
    );
}

#[test]
fn background_ticks_on_its_own_thread() {
    let caller = thread::current().id();
    let (tx, rx) = mpsc::channel();
    let mut tx = Some(tx);
    let worker = Background::spawn("elsewhere", move || {
        if let Some(tx) = tx.take() {
            let _ = tx.send(thread::current().id());
        }
    });
    let ticker = rx.recv().unwrap();
    worker.stop();
    assert_ne!(ticker, caller, "tick ran on the thread that called spawn");
}

#[test]
fn stop_right_after_spawn_counts_every_tick() {
    // However many ticks (maybe none) ran before the stop request was seen, stop reports them.
    for round in 0..20 {
        let calls = Arc::new(AtomicU64::new(0));
        let worker = Background::spawn("short-lived", {
            let calls = Arc::clone(&calls);
            move || {
                calls.fetch_add(1, Ordering::SeqCst);
            }
        });
        let ticks = worker.stop();
        assert_eq!(
            ticks,
            calls.load(Ordering::SeqCst),
            "round {round}: stop() disagrees with the number of tick calls"
        );
    }
}

#[test]
fn stop_returns_only_after_the_thread_has_finished() {
    let calls = Arc::new(AtomicU64::new(0));
    let (tx, rx) = mpsc::channel();
    let worker = Background::spawn("joined", {
        let calls = Arc::clone(&calls);
        move || {
            if calls.fetch_add(1, Ordering::SeqCst) == 0 {
                let _ = tx.send(());
            }
        }
    });
    rx.recv().unwrap();
    let ticks = worker.stop();
    assert_eq!(
        Arc::strong_count(&calls),
        1,
        "the background thread still holds its tick closure after stop() returned"
    );
    assert_eq!(ticks, calls.load(Ordering::SeqCst));
}

#[test]
fn stop_passes_on_a_panic_from_tick() {
    let (tx, rx) = mpsc::channel();
    let worker = Background::spawn("fragile", move || {
        let _ = tx.send(());
        panic!("tick exploded");
    });
    // The first tick has started, so it will panic whatever stop() does.
    rx.recv().unwrap();
    let outcome = panic::catch_unwind(AssertUnwindSafe(|| worker.stop()));
    let payload = outcome.expect_err("stop() should panic when tick panicked");
    assert_eq!(panic_text(&*payload), "tick exploded");
}

#[test]
fn dropping_after_a_panicking_tick_does_not_panic() {
    let alive = Arc::new(());
    let (tx, rx) = mpsc::channel();
    let worker = Background::spawn("fragile", {
        let alive = Arc::clone(&alive);
        move || {
            let _keep = &alive;
            let _ = tx.send(());
            panic!("tick exploded");
        }
    });
    rx.recv().unwrap();
    drop(worker);
    assert_eq!(Arc::strong_count(&alive), 1);
}

#[test]
fn two_backgrounds_tick_side_by_side() {
    // Each one's first tick waits for the other's (and for this thread): they must really run
    // at the same time. Once this thread is past the barrier, both have ticked at least once.
    let barrier = Arc::new(Barrier::new(3));
    let start = |name: &str, calls: &Arc<AtomicU64>| {
        let barrier = Arc::clone(&barrier);
        let calls = Arc::clone(calls);
        let expected = name.to_owned();
        Background::spawn(name, move || {
            assert_eq!(thread::current().name(), Some(expected.as_str()));
            if calls.fetch_add(1, Ordering::SeqCst) == 0 {
                barrier.wait();
            }
        })
    };
    let (calls_a, calls_b) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)));
    let a = start("left", &calls_a);
    let b = start("right", &calls_b);
    barrier.wait();
    let ticks_b = b.stop();
    let ticks_a = a.stop();
    assert_eq!(ticks_a, calls_a.load(Ordering::SeqCst));
    assert_eq!(ticks_b, calls_b.load(Ordering::SeqCst));
}
