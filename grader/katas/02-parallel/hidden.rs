//! Hidden tests for the `parallel` kata.
//!
//! Determinism: "at once" is proven with a `Barrier` that each thread's first call to `f`
//! waits at (sequential code hangs and the time limit catches it; so does code that uses fewer
//! threads than it should). "In input order whatever order they finish in" is proven by
//! chaining the items so that item k cannot be mapped before the thread that mapped item k + 1
//! has *exited* (a thread-local value whose destructor runs at thread exit opens item k's
//! gate): the worker threads end in exactly reverse order, after doing whatever they do with
//! their results.

use std::cell::RefCell;
use std::collections::HashSet;
use std::panic::{self, AssertUnwindSafe};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Barrier, Mutex};
use std::thread::{self, ThreadId};

use parallel::{par_map, par_sum};

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

/// Maps `items` with `threads` threads; each thread's first call to `f` waits at a barrier for
/// `expected_threads` threads. Returns the results and how many threads called `f`.
fn map_with_barrier(items: &[u32], threads: usize, expected_threads: usize) -> (Vec<u32>, usize) {
    let barrier = Barrier::new(expected_threads);
    let seen: Mutex<HashSet<ThreadId>> = Mutex::new(HashSet::new());
    let out = par_map(items, threads, |&x| {
        if seen.lock().unwrap().insert(thread::current().id()) {
            barrier.wait();
        }
        x + 1
    });
    let used = seen.lock().unwrap().len();
    (out, used)
}

#[test]
fn par_map_keeps_order_when_threads_finish_in_reverse() {
    // 3 items on 3 threads: one item per thread. Item k waits until item k + 1's thread has
    // exited, so the threads finish in the order 2, 1, 0.
    let n = 3;
    let caller = thread::current().id();
    let mut gates: Vec<Mutex<Option<Receiver<()>>>> = Vec::new();
    let mut openers: Vec<Option<Sender<()>>> = vec![None];
    for _ in 0..n - 1 {
        let (tx, rx) = mpsc::channel();
        gates.push(Mutex::new(Some(rx)));
        openers.push(Some(tx));
    }
    gates.push(Mutex::new(None));
    let items: Vec<usize> = (0..n).collect();
    let out = par_map(&items, n, |&k| {
        if let Some(gate) = gates[k].lock().unwrap().take() {
            gate.recv().unwrap();
        }
        if let Some(opener) = &openers[k] {
            signal_when_this_thread_exits(opener.clone(), caller);
        }
        k * 10
    });
    assert_eq!(out, vec![0, 10, 20]);
}

#[test]
fn four_items_on_three_threads_use_all_three() {
    // Chunks of 2, 1 and 1: rounding the chunk size up (chunks of 2 and 2) uses only 2 threads.
    let (out, used) = map_with_barrier(&[1, 2, 3, 4], 3, 3);
    assert_eq!(out, vec![2, 3, 4, 5]);
    assert_eq!(used, 3);
}

#[test]
fn seven_items_on_four_threads_use_all_four() {
    let items: Vec<u32> = (0..7).collect();
    let (out, used) = map_with_barrier(&items, 4, 4);
    assert_eq!(out, (1..8).collect::<Vec<_>>());
    assert_eq!(used, 4);
}

#[test]
fn three_items_on_five_threads_use_three() {
    let (out, used) = map_with_barrier(&[10, 20, 30], 5, 3);
    assert_eq!(out, vec![11, 21, 31]);
    assert_eq!(used, 3);
}

#[test]
fn one_thread_maps_everything_in_order() {
    let seen: Mutex<HashSet<ThreadId>> = Mutex::new(HashSet::new());
    let items: Vec<i64> = (-5..5).collect();
    let out = par_map(&items, 1, |&x| {
        seen.lock().unwrap().insert(thread::current().id());
        x * 3 - 1
    });
    assert_eq!(out, items.iter().map(|&x| x * 3 - 1).collect::<Vec<_>>());
    assert_eq!(seen.lock().unwrap().len(), 1);
}

#[test]
fn par_map_borrows_local_data() {
    // f borrows a local table: scoped threads make that possible without 'static or Arc.
    let names: Vec<String> = ["zero", "one", "two"].map(String::from).to_vec();
    let indexes: Vec<usize> = vec![2, 0, 1, 1, 2];
    let out = par_map(&indexes, 2, |&i| names[i].clone());
    assert_eq!(out, vec!["two", "zero", "one", "one", "two"]);
}

#[test]
fn par_sum_of_many_large_values_is_exact() {
    let data = vec![u32::MAX; 100_000];
    assert_eq!(par_sum(&data, 7), 100_000 * u64::from(u32::MAX));
}

#[test]
fn par_sum_with_more_threads_than_items() {
    assert_eq!(par_sum(&[4_000_000_000, 300_000_000], 16), 4_300_000_000);
    assert_eq!(par_sum(&[7], 3), 7);
}

#[test]
fn zero_threads_panics_for_par_sum() {
    assert_eq!(par_sum(&[1, 2, 3], 1), 6);
    let outcome = panic::catch_unwind(|| par_sum(&[1, 2, 3], 0));
    assert!(outcome.is_err(), "par_sum with 0 threads should panic");
}

#[test]
fn zero_threads_panics_for_par_map() {
    assert_eq!(par_map(&[1, 2, 3], 1, |&x: &u32| x), vec![1, 2, 3]);
    let outcome = panic::catch_unwind(AssertUnwindSafe(|| par_map(&[1, 2, 3], 0, |&x: &u32| x)));
    assert!(outcome.is_err(), "par_map with 0 threads should panic");
}
