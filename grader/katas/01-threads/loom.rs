#![cfg(kata_loom)]
//! Loom models for the `threads` kata: `Background` against every interleaving of its thread
//! with the one that stops or drops it.
//!
//! Each tick yields (`thread::yield_now`): a background thread is a loop, and loom needs a
//! loop to yield so that it can switch to the other thread without spending a preemption.

use kata_sync::sync::Arc;
use kata_sync::sync::atomic::{AtomicU64, Ordering};
use kata_sync::thread;
use threads::Background;

/// A tick that counts its calls in `calls`.
fn counting_tick(calls: &Arc<AtomicU64>) -> impl FnMut() + Send + 'static {
    let calls = Arc::clone(calls);
    move || {
        calls.fetch_add(1, Ordering::SeqCst);
        thread::yield_now();
    }
}

#[test]
fn stop_returns_exactly_the_ticks_that_ran() {
    kata_sync::model(|| {
        let calls = Arc::new(AtomicU64::new(0));
        let worker = Background::spawn("model", counting_tick(&calls));
        let ticks = worker.stop();
        assert_eq!(
            ticks,
            calls.load(Ordering::SeqCst),
            "stop() returned a count that differs from the number of tick calls"
        );
    });
}

#[test]
fn stop_returns_only_after_the_thread_has_finished() {
    kata_sync::model(|| {
        let calls = Arc::new(AtomicU64::new(0));
        let worker = Background::spawn("model", counting_tick(&calls));
        worker.stop();
        assert_eq!(
            Arc::strong_count(&calls),
            1,
            "the background thread is still alive after stop() returned"
        );
    });
}

#[test]
fn dropping_background_joins_its_thread() {
    kata_sync::model(|| {
        let calls = Arc::new(AtomicU64::new(0));
        let worker = Background::spawn("model", counting_tick(&calls));
        drop(worker);
        assert_eq!(
            Arc::strong_count(&calls),
            1,
            "the background thread is still alive after its Background was dropped"
        );
    });
}
