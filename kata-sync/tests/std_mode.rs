#![cfg(not(kata_loom))]
//! Normal builds: every path a kata may import from `kata_sync` exists and is std's own item.
//!
//! `tests/loom_mode.rs` imports the same list under `--cfg kata_loom`, so a path missing in
//! either mode is a compile error in one of the two suites.

use std::time::Duration;

#[allow(unused_imports)]
use kata_sync::hint::{assert_unchecked, black_box, spin_loop, unreachable_unchecked};
#[allow(unused_imports)]
use kata_sync::sync::atomic::{
    AtomicBool, AtomicI8, AtomicI16, AtomicI32, AtomicI64, AtomicIsize, AtomicPtr, AtomicU8,
    AtomicU16, AtomicU32, AtomicU64, AtomicUsize, Ordering, compiler_fence, fence,
};
#[allow(unused_imports)]
use kata_sync::sync::mpsc::{
    IntoIter, Iter, Receiver, RecvError, RecvTimeoutError, SendError, Sender, SyncSender, TryIter,
    TryRecvError, TrySendError, channel, sync_channel,
};
#[allow(unused_imports)]
use kata_sync::sync::{
    Arc, Barrier, BarrierWaitResult, Condvar, LazyLock, LockResult, Mutex, MutexGuard, Once,
    OnceLock, OnceState, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard, TryLockError,
    TryLockResult, WaitTimeoutResult,
};
#[allow(unused_imports)]
use kata_sync::thread::{
    AccessError, Builder, JoinHandle, LocalKey, Result, Scope, ScopedJoinHandle, Thread, ThreadId,
    available_parallelism, current, panicking, park, park_timeout, scope, sleep, spawn, yield_now,
};

/// The `sync` types are std's: a value of one is a value of the other.
#[test]
fn sync_items_are_std_items() {
    let m: std::sync::Mutex<i32> = Mutex::new(1);
    let a: std::sync::Arc<std::sync::Mutex<i32>> = Arc::new(m);
    let c: std::sync::Condvar = Condvar::new();
    let b: std::sync::Barrier = Barrier::new(1);
    let r: std::sync::BarrierWaitResult = b.wait();
    assert!(r.is_leader());
    let g: std::sync::MutexGuard<'_, i32> = a.lock().unwrap();
    let (g, t): (_, std::sync::WaitTimeoutResult) =
        c.wait_timeout(g, Duration::from_millis(1)).unwrap();
    assert!(t.timed_out());
    assert_eq!(*g, 1);
    let w: std::sync::Weak<std::sync::Mutex<i32>> = kata_sync::sync::Weak::new();
    assert!(w.upgrade().is_none());
    let o: std::sync::OnceLock<u8> = OnceLock::new();
    assert_eq!(*o.get_or_init(|| 3), 3);
    let x: std::sync::atomic::AtomicUsize = AtomicUsize::new(0);
    x.fetch_add(1, Ordering::SeqCst);
    assert_eq!(x.into_inner(), 1);
}

/// std's mpsc, disconnect semantics included.
#[test]
fn mpsc_is_std() {
    let (tx, rx): (std::sync::mpsc::Sender<i32>, std::sync::mpsc::Receiver<i32>) = channel();
    tx.send(1).unwrap();
    drop(tx);
    assert_eq!(rx.iter().collect::<Vec<_>>(), [1]);
    assert_eq!(rx.recv(), Err(RecvError));
    let (tx, rx): (std::sync::mpsc::SyncSender<i32>, _) = sync_channel(1);
    tx.try_send(1).unwrap();
    assert_eq!(tx.try_send(2), Err(TrySendError::Full(2)));
    drop(rx);
    assert_eq!(tx.send(3), Err(SendError(3)));
}

/// `thread` and `hint` are std's; `model` runs its closure once.
#[test]
fn thread_hint_and_model() {
    let h: std::thread::JoinHandle<u8> = spawn(|| 7);
    assert_eq!(h.join().unwrap(), 7);
    let h = Builder::new()
        .name("named".into())
        .spawn(|| current().name().map(str::to_owned));
    assert_eq!(h.unwrap().join().unwrap().as_deref(), Some("named"));
    let data = [1, 2, 3];
    let sum: i32 = scope(|s| {
        let h: std::thread::ScopedJoinHandle<'_, i32> = s.spawn(|| data.iter().sum());
        h.join().unwrap()
    });
    assert_eq!(sum, 6);
    spin_loop();
    yield_now();
    assert_eq!(black_box(5), 5);
    let runs = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = std::sync::Arc::clone(&runs);
    kata_sync::model(move || {
        counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    });
    assert_eq!(runs.load(std::sync::atomic::Ordering::Relaxed), 1);
}
