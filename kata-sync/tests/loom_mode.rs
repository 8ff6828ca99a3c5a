#![cfg(kata_loom)]
//! kata-sync's loom mode against the traps of loom 0.7.2, one model per trap, plus models
//! proving that loom still finds bugs through kata-sync's types.
//!
//! Run with (from the workspace root; `tests/loom_suite.rs` does this for `cargo test`):
//!
//! ```sh
//! LOOM_MAX_PREEMPTIONS=3 RUSTFLAGS="--cfg kata_loom" CARGO_TARGET_DIR=target/kata-sync-loom \
//!     cargo test --release -p kata-sync --test loom_mode
//! ```

use std::time::Duration;

use kata_sync::hint;
use kata_sync::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use kata_sync::sync::mpsc::{self, RecvTimeoutError, TryRecvError, TrySendError};
use kata_sync::sync::{Arc, Barrier, Condvar, LazyLock, Mutex, Once, OnceLock};
use kata_sync::thread;

/// The same list as `tests/std_mode.rs`: every path exists in loom mode too.
#[allow(unused_imports)]
mod every_path_exists {
    use kata_sync::hint::{assert_unchecked, black_box, spin_loop, unreachable_unchecked};
    use kata_sync::sync::atomic::{
        AtomicBool, AtomicI8, AtomicI16, AtomicI32, AtomicI64, AtomicIsize, AtomicPtr, AtomicU8,
        AtomicU16, AtomicU32, AtomicU64, AtomicUsize, Ordering, compiler_fence, fence,
    };
    use kata_sync::sync::mpsc::{
        IntoIter, Iter, Receiver, RecvError, RecvTimeoutError, SendError, Sender, SyncSender,
        TryIter, TryRecvError, TrySendError, channel, sync_channel,
    };
    use kata_sync::sync::{
        Arc, Barrier, BarrierWaitResult, Condvar, LazyLock, LockResult, Mutex, MutexGuard, Once,
        OnceLock, OnceState, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard, TryLockError,
        TryLockResult, WaitTimeoutResult,
    };
    use kata_sync::thread::{
        AccessError, Builder, JoinHandle, LocalKey, Result, Scope, ScopedJoinHandle, Thread,
        ThreadId, available_parallelism, current, panicking, park, park_timeout, scope, sleep,
        spawn, yield_now,
    };
}

/// Runs `f` in every interleaving, like `kata_sync::model` (which is `loom::model`), but with a
/// preemption bound of 3 when `LOOM_MAX_PREEMPTIONS` is not set: unbounded, the three-thread
/// models take minutes.
fn model<F>(f: F)
where
    F: Fn() + Sync + Send + 'static,
{
    let mut builder = kata_sync::loom::model::Builder::new();
    builder.preemption_bound.get_or_insert(3);
    builder.check(f);
}

/// `kata_sync::model` is loom's: it explores more than one interleaving.
#[test]
fn kata_sync_model_is_loom_model() {
    let runs = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = std::sync::Arc::clone(&runs);
    kata_sync::model(move || {
        counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let flag = Arc::new(AtomicBool::new(false));
        let other = {
            let flag = Arc::clone(&flag);
            thread::spawn(move || flag.store(true, Ordering::Relaxed))
        };
        flag.load(Ordering::Relaxed);
        other.join().unwrap();
    });
    assert!(runs.load(std::sync::atomic::Ordering::Relaxed) > 1);
}

// ---- mpsc ------------------------------------------------------------------------------

/// The Rust Book's thread pool (chapter 21): workers share the receiver as
/// `Arc<Mutex<Receiver>>` and loop on `recv` until it fails; the pool drops its sender, then
/// joins them. With loom's own mpsc the workers never learn that the sender is gone.
#[test]
fn rust_book_pool_completes() {
    type Job = Box<dyn FnOnce() + Send + 'static>;
    model(|| {
        let (sender, receiver) = mpsc::channel::<Job>();
        let receiver = Arc::new(Mutex::new(receiver));
        let workers: Vec<_> = (0..2)
            .map(|_| {
                let receiver = Arc::clone(&receiver);
                thread::spawn(move || {
                    loop {
                        // The guard is a temporary: the lock is held only for `recv`.
                        let message = receiver.lock().unwrap().recv();
                        match message {
                            Ok(job) => job(),
                            Err(_) => break,
                        }
                    }
                })
            })
            .collect();
        let done = Arc::new(AtomicUsize::new(0));
        for _ in 0..2 {
            let done = Arc::clone(&done);
            sender
                .send(Box::new(move || {
                    done.fetch_add(1, Ordering::SeqCst);
                }))
                .unwrap();
        }
        drop(sender);
        for worker in workers {
            worker.join().unwrap();
        }
        assert_eq!(done.load(Ordering::SeqCst), 2, "a job was lost");
    });
}

/// A producer and a consumer on `sync_channel(1)`: every message arrives, in order, and the
/// consumer's `for` loop ends when the producer is gone.
#[test]
fn sync_channel_of_one_producer_consumer() {
    model(|| {
        let (tx, rx) = mpsc::sync_channel(1);
        let producer = thread::spawn(move || {
            for i in 0..3 {
                tx.send(i).unwrap();
            }
        });
        let received: Vec<i32> = rx.iter().collect();
        assert_eq!(received, [0, 1, 2]);
        producer.join().unwrap();
    });
}

/// `sync_channel(0)` is a rendezvous: `send` returns only once the message was taken.
#[test]
fn rendezvous_send_returns_after_the_receive() {
    model(|| {
        let taken = Arc::new(AtomicBool::new(false));
        let (tx, rx) = mpsc::sync_channel(0);
        let consumer = {
            let taken = Arc::clone(&taken);
            thread::spawn(move || {
                let v = rx.recv().unwrap();
                taken.store(true, Ordering::Release);
                v
            })
        };
        // Nobody may be waiting yet: a rendezvous try_send then fails, giving the value back.
        match tx.try_send(1) {
            Ok(()) => {}
            Err(TrySendError::Full(1)) => tx.send(1).unwrap(),
            Err(e) => panic!("unexpected {e:?}"),
        }
        assert_eq!(consumer.join().unwrap(), 1);
        assert!(taken.load(Ordering::Acquire));
    });
}

/// A rendezvous `send` whose receiver goes away without receiving gets its message back.
#[test]
fn rendezvous_send_to_a_dropped_receiver_gives_the_message_back() {
    model(|| {
        let (tx, rx) = mpsc::sync_channel::<i32>(0);
        let dropper = thread::spawn(move || drop(rx));
        assert_eq!(tx.send(5).unwrap_err().0, 5);
        dropper.join().unwrap();
    });
}

/// std's disconnection rules, both ways, with a message in flight.
#[test]
fn disconnection_semantics_match_std() {
    model(|| {
        let (tx, rx) = mpsc::channel();
        let tx2 = tx.clone();
        let sender = thread::spawn(move || tx2.send(1).unwrap());
        tx.send(2).unwrap();
        drop(tx);
        let mut got = vec![rx.recv().unwrap(), rx.recv().unwrap()];
        got.sort_unstable();
        assert_eq!(got, [1, 2]);
        sender.join().unwrap();
        assert_eq!(rx.recv(), Err(mpsc::RecvError), "every sender is gone");
        assert_eq!(rx.try_recv(), Err(TryRecvError::Disconnected));

        let (tx, rx) = mpsc::sync_channel(1);
        tx.try_send(1).unwrap();
        assert_eq!(tx.try_send(2), Err(TrySendError::Full(2)));
        drop(rx);
        assert_eq!(tx.send(3).unwrap_err().0, 3, "the receiver is gone");
        assert_eq!(tx.try_send(4), Err(TrySendError::Disconnected(4)));
    });
}

/// A worker polls with `recv_timeout` and checks a shutdown flag on every timeout; the main
/// thread sends once, raises the flag and keeps its sender. With loom's `recv_timeout`
/// (`unimplemented!`), or with a timeout that never fires, this cannot finish.
#[test]
fn recv_timeout_polling_loop_with_a_shutdown_flag_completes() {
    model(|| {
        let (tx, rx) = mpsc::channel();
        let shutdown = Arc::new(AtomicBool::new(false));
        let worker = {
            let shutdown = Arc::clone(&shutdown);
            thread::spawn(move || {
                let mut sum = 0;
                loop {
                    match rx.recv_timeout(Duration::from_millis(10)) {
                        Ok(v) => sum += v,
                        Err(RecvTimeoutError::Timeout) => {
                            if shutdown.load(Ordering::SeqCst) {
                                // Whatever came before the flag is still queued.
                                sum += rx.try_iter().sum::<i32>();
                                return sum;
                            }
                        }
                        Err(RecvTimeoutError::Disconnected) => return sum,
                    }
                }
            })
        };
        tx.send(5).unwrap();
        shutdown.store(true, Ordering::SeqCst);
        assert_eq!(worker.join().unwrap(), 5);
        drop(tx);
    });
}

// ---- Condvar timeouts ----------------------------------------------------------------------

/// A waiter polls a flag with `wait_timeout`; the setter never notifies. loom's own
/// `wait_timeout` never times out, so this would deadlock.
#[test]
fn wait_timeout_polling_without_notify_completes() {
    model(|| {
        let pair = Arc::new((Mutex::new(false), Condvar::new()));
        let setter = {
            let pair = Arc::clone(&pair);
            thread::spawn(move || *pair.0.lock().unwrap() = true)
        };
        let (lock, cvar) = &*pair;
        let mut ready = lock.lock().unwrap();
        while !*ready {
            ready = cvar.wait_timeout(ready, Duration::from_secs(1)).unwrap().0;
        }
        drop(ready);
        setter.join().unwrap();
    });
}

/// `wait_timeout_while` reports a timeout only while the condition still holds: if the
/// condition cleared, it returns "not timed out" even though the (simulated) time is up.
#[test]
fn wait_timeout_while_times_out_only_if_the_condition_still_holds() {
    model(|| {
        let pair = Arc::new((Mutex::new(false), Condvar::new()));
        let setter = {
            let pair = Arc::clone(&pair);
            thread::spawn(move || {
                *pair.0.lock().unwrap() = true;
                pair.1.notify_one();
            })
        };
        let (lock, cvar) = &*pair;
        let (ready, result) = cvar
            .wait_timeout_while(lock.lock().unwrap(), Duration::from_secs(1), |ready| {
                !*ready
            })
            .unwrap();
        assert_eq!(result.timed_out(), !*ready);
        drop(ready);
        setter.join().unwrap();
    });
}

/// `wait` and `wait_while` block until notified, as std's.
#[test]
fn wait_while_is_woken_by_notify() {
    model(|| {
        let pair = Arc::new((Mutex::new(0), Condvar::new()));
        let waiter = {
            let pair = Arc::clone(&pair);
            thread::spawn(move || {
                let n = pair
                    .1
                    .wait_while(pair.0.lock().unwrap(), |n| *n == 0)
                    .unwrap();
                *n
            })
        };
        *pair.0.lock().unwrap() = 7;
        pair.1.notify_all();
        assert_eq!(waiter.join().unwrap(), 7);
    });
}

// ---- Barrier -------------------------------------------------------------------------------

/// Two threads meet at a `Barrier` twice (it is reusable); each round has exactly one leader,
/// and what a thread wrote before the barrier is visible to the other after it. loom's own
/// `Barrier::new` panics.
#[test]
fn barrier_of_two_reused_twice() {
    model(|| {
        let barrier = Arc::new(Barrier::new(2));
        let written = Arc::new([AtomicUsize::new(0), AtomicUsize::new(0)]);
        let run = |me: usize, barrier: Arc<Barrier>, written: Arc<[AtomicUsize; 2]>| {
            let mut leaders = 0;
            for round in 1..=2 {
                written[me].store(round, Ordering::Relaxed);
                if barrier.wait().is_leader() {
                    leaders += 1;
                }
                assert!(written[1 - me].load(Ordering::Relaxed) >= round);
                if barrier.wait().is_leader() {
                    leaders += 1;
                }
            }
            leaders
        };
        let other = {
            let (barrier, written) = (Arc::clone(&barrier), Arc::clone(&written));
            thread::spawn(move || run(1, barrier, written))
        };
        let mine = run(0, barrier, written);
        assert_eq!(mine + other.join().unwrap(), 4, "one leader per round");
    });
}

// ---- hint::spin_loop, sleep, is_finished -----------------------------------------------

/// A spin-wait on an `AtomicBool` with `hint::spin_loop`. std's `spin_loop` is only a CPU
/// hint: loom would spin forever ("exceeded maximum number of branches").
#[test]
fn spin_wait_with_spin_loop_completes() {
    model(|| {
        let flag = Arc::new(AtomicBool::new(false));
        let setter = {
            let flag = Arc::clone(&flag);
            thread::spawn(move || flag.store(true, Ordering::Release))
        };
        while !flag.load(Ordering::Acquire) {
            hint::spin_loop();
        }
        setter.join().unwrap();
    });
}

/// A sleep-poll loop completes (`sleep` is a yield) and a named thread knows its name.
#[test]
fn sleep_polling_loop_and_builder_name() {
    model(|| {
        let flag = Arc::new(AtomicBool::new(false));
        let setter = {
            let flag = Arc::clone(&flag);
            thread::Builder::new()
                .name("setter".into())
                .spawn(move || {
                    assert_eq!(thread::current().name(), Some("setter"));
                    flag.store(true, Ordering::Release);
                })
                .unwrap()
        };
        while !flag.load(Ordering::Acquire) {
            thread::sleep(Duration::from_millis(1));
        }
        setter.join().unwrap();
    });
}

/// `is_finished` turning true synchronises with everything the thread did.
#[test]
fn is_finished_sees_the_threads_writes() {
    model(|| {
        let data = Arc::new(AtomicUsize::new(0));
        let handle = {
            let data = Arc::clone(&data);
            thread::spawn(move || data.store(1, Ordering::Relaxed))
        };
        while !handle.is_finished() {
            thread::yield_now();
        }
        assert_eq!(data.load(Ordering::Relaxed), 1);
        handle.join().unwrap();
    });
}

// ---- busy-waits that never yield (std lets the OS preempt them) ------------------------

/// `while !flag.load(..) {}`: no `spin_loop`, no yield. Correct with std; raw loom spins until
/// "exceeded maximum number of branches" and aborts.
#[test]
fn busy_wait_without_any_hint_completes() {
    model(|| {
        let flag = Arc::new(AtomicBool::new(false));
        let setter = {
            let flag = Arc::clone(&flag);
            thread::spawn(move || flag.store(true, Ordering::Release))
        };
        while !flag.load(Ordering::Acquire) {}
        setter.join().unwrap();
    });
}

/// A compare-exchange spinlock without a hint, contended by two threads.
#[test]
fn spinlock_without_any_hint_completes_and_excludes() {
    model(|| {
        let locked = Arc::new(AtomicBool::new(false));
        let inside = Arc::new(AtomicUsize::new(0));
        let critical = |locked: &AtomicBool, inside: &AtomicUsize| {
            while locked
                .compare_exchange(false, true, Ordering::Acquire, Ordering::Relaxed)
                .is_err()
            {}
            assert_eq!(
                inside.fetch_add(1, Ordering::Relaxed),
                0,
                "two threads inside"
            );
            inside.fetch_sub(1, Ordering::Relaxed);
            locked.store(false, Ordering::Release);
        };
        let other = {
            let (locked, inside) = (Arc::clone(&locked), Arc::clone(&inside));
            thread::spawn(move || critical(&locked, &inside))
        };
        critical(&locked, &inside);
        other.join().unwrap();
    });
}

/// Busy loops on `try_lock`, `try_recv` and `is_finished`.
#[test]
fn busy_polling_of_try_lock_try_recv_and_is_finished_completes() {
    model(|| {
        let lock = Arc::new(Mutex::new(0));
        let (tx, rx) = mpsc::channel();
        let guard = lock.lock().unwrap();
        let worker = {
            let lock = Arc::clone(&lock);
            thread::spawn(move || {
                let mut n = loop {
                    if let Ok(n) = lock.try_lock() {
                        break n;
                    }
                };
                *n += 1;
                drop(n);
                tx.send(()).unwrap();
            })
        };
        drop(guard);
        while rx.try_recv().is_err() {}
        while !worker.is_finished() {}
        worker.join().unwrap();
        assert_eq!(*lock.lock().unwrap(), 1);
    });
}

// ---- thread::scope -------------------------------------------------------------------------

/// Scoped threads borrow local data (no `Arc`), return values through their handles, may
/// spawn more threads, and are all joined when `scope` returns.
#[test]
fn scoped_threads_borrow_and_are_joined() {
    model(|| {
        let counter = AtomicUsize::new(0);
        let names = Mutex::new(Vec::new());
        let doubled = thread::scope(|s| {
            let first = s.spawn(|| {
                counter.fetch_add(1, Ordering::Relaxed);
                names.lock().unwrap().push("first");
                // A nested spawn, never joined by hand: `scope` joins it.
                s.spawn(|| {
                    counter.fetch_add(10, Ordering::Relaxed);
                });
                21
            });
            // Never joined by hand either.
            s.spawn(|| {
                names.lock().unwrap().push("second");
            });
            first.join().unwrap() * 2
        });
        assert_eq!(doubled, 42);
        assert_eq!(counter.load(Ordering::Relaxed), 11);
        let mut names = names.into_inner().unwrap();
        names.sort_unstable();
        assert_eq!(names, ["first", "second"]);
    });
}

/// A scoped handle moved into another scoped thread may be joined there, even while `scope`
/// itself is already joining that thread.
#[test]
fn scoped_handle_joined_from_another_scoped_thread() {
    model(|| {
        let value = 5;
        let total = thread::scope(|s| {
            let inner = s.spawn(|| value + 1);
            let outer = s.spawn(move || inner.join().unwrap() + 1);
            outer.join().unwrap()
        });
        assert_eq!(total, 7);
    });
}

/// `Builder::spawn_scoped` names a scoped thread.
#[test]
fn builder_spawn_scoped() {
    model(|| {
        let text = String::from("borrowed");
        thread::scope(|s| {
            let handle = thread::Builder::new()
                .name("scoped".into())
                .spawn_scoped(s, || {
                    assert_eq!(thread::current().name(), Some("scoped"));
                    text.len()
                })
                .unwrap();
            assert_eq!(handle.join().unwrap(), 8);
        });
    });
}

// ---- Once, OnceLock, LazyLock (loom has none) -------------------------------------------

/// Two threads race `call_once`: the closure runs once, and when `call_once` returns in either
/// thread, the closure's (relaxed) write is visible.
#[test]
fn once_runs_once_and_publishes_its_writes() {
    model(|| {
        let once = Arc::new(Once::new());
        let runs = Arc::new(AtomicUsize::new(0));
        let data = Arc::new(AtomicUsize::new(0));
        let init = |once: &Once, runs: &AtomicUsize, data: &AtomicUsize| {
            once.call_once(|| {
                runs.fetch_add(1, Ordering::Relaxed);
                data.store(42, Ordering::Relaxed);
            });
            assert!(once.is_completed());
            assert_eq!(data.load(Ordering::Relaxed), 42);
        };
        let other = {
            let (once, runs, data) = (Arc::clone(&once), Arc::clone(&runs), Arc::clone(&data));
            thread::spawn(move || init(&once, &runs, &data))
        };
        init(&once, &runs, &data);
        other.join().unwrap();
        assert_eq!(runs.load(Ordering::Relaxed), 1);
    });
}

/// Two threads race `get_or_init` on a `OnceLock`; a `LazyLock` is forced by both.
#[test]
fn once_lock_and_lazy_lock_initialise_once() {
    model(|| {
        let cell = Arc::new(OnceLock::new());
        let lazy = Arc::new(LazyLock::new(|| String::from("lazy")));
        let other = {
            let (cell, lazy) = (Arc::clone(&cell), Arc::clone(&lazy));
            thread::spawn(move || {
                let mine = *cell.get_or_init(|| 1);
                assert_eq!(lazy.as_str(), "lazy");
                mine
            })
        };
        let mine = *cell.get_or_init(|| 2);
        assert_eq!(lazy.len(), 4);
        let theirs = other.join().unwrap();
        assert_eq!(mine, theirs, "both threads see the one value");
        assert_eq!(cell.set(3), Err(3));
        let mut cell = Arc::try_unwrap(cell).unwrap();
        assert_eq!(cell.take(), Some(mine));
        assert_eq!(cell.get(), None);
    });
}

// ---- SeqCst ------------------------------------------------------------------------------

/// Store buffering (Dekker): each thread stores its flag, then loads the other's. With
/// `SeqCst` at least one must see the other's store. Raw loom 0.7.2 lets both read 0.
#[test]
fn store_buffering_with_seqcst_never_reads_both_zero() {
    model(|| {
        let x = Arc::new(AtomicUsize::new(0));
        let y = Arc::new(AtomicUsize::new(0));
        let other = {
            let (x, y) = (Arc::clone(&x), Arc::clone(&y));
            thread::spawn(move || {
                x.store(1, Ordering::SeqCst);
                y.load(Ordering::SeqCst)
            })
        };
        y.store(1, Ordering::SeqCst);
        let mine = x.load(Ordering::SeqCst);
        let theirs = other.join().unwrap();
        assert!(mine == 1 || theirs == 1, "both threads read 0 under SeqCst");
    });
}

/// "2+2W": thread A stores x = 1 then y = 1; thread B stores y = 2 then loads x. Under
/// `SeqCst`, B reading x == 0 puts its y = 2 before A's y = 1, so y ends as 1.
#[test]
fn seqcst_stores_to_one_location_follow_the_total_order() {
    model(|| {
        let x = Arc::new(AtomicUsize::new(0));
        let y = Arc::new(AtomicUsize::new(0));
        let a = {
            let (x, y) = (Arc::clone(&x), Arc::clone(&y));
            thread::spawn(move || {
                x.store(1, Ordering::SeqCst);
                y.store(1, Ordering::SeqCst);
            })
        };
        y.store(2, Ordering::SeqCst);
        let seen_x = x.load(Ordering::SeqCst);
        a.join().unwrap();
        let final_y = y.load(Ordering::SeqCst);
        assert!(
            !(seen_x == 0 && final_y == 2),
            "y = 2 was ordered after y = 1 although B ran before A"
        );
    });
}

/// The same store buffering with `fence(SeqCst)` between relaxed accesses.
#[test]
fn store_buffering_with_seqcst_fences_never_reads_both_zero() {
    use kata_sync::sync::atomic::fence;
    model(|| {
        let x = Arc::new(AtomicUsize::new(0));
        let y = Arc::new(AtomicUsize::new(0));
        let other = {
            let (x, y) = (Arc::clone(&x), Arc::clone(&y));
            thread::spawn(move || {
                x.store(1, Ordering::Relaxed);
                fence(Ordering::SeqCst);
                y.load(Ordering::Relaxed)
            })
        };
        y.store(1, Ordering::Relaxed);
        fence(Ordering::SeqCst);
        let mine = x.load(Ordering::Relaxed);
        let theirs = other.join().unwrap();
        assert!(
            mine == 1 || theirs == 1,
            "both threads read 0 across SeqCst fences"
        );
    });
}

// ---- the rest of the API, once each -------------------------------------------------------

/// The remaining std API under loom: locks, park/unpark, atomics' compound operations.
#[test]
fn the_rest_of_the_api_works_in_a_model() {
    use kata_sync::sync::atomic::{AtomicPtr, AtomicU64, fence};
    use kata_sync::sync::{RwLock, TryLockError};
    model(|| {
        let mut m = Mutex::new(1);
        *m.get_mut().unwrap() += 1;
        {
            let g = m.lock().unwrap();
            assert!(matches!(m.try_lock(), Err(TryLockError::WouldBlock)));
            assert_eq!(*g, 2);
        }
        assert!(!m.is_poisoned());
        assert_eq!(m.into_inner().unwrap(), 2);

        let rw = RwLock::new(5);
        assert_eq!(*rw.read().unwrap(), 5);
        *rw.write().unwrap() = 6;
        assert_eq!(rw.into_inner().unwrap(), 6);

        let n = AtomicU64::new(1);
        assert_eq!(
            n.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |v| Some(v * 3)),
            Ok(1)
        );
        assert_eq!(
            n.compare_exchange(3, 4, Ordering::AcqRel, Ordering::Acquire),
            Ok(3)
        );
        assert_eq!(n.swap(9, Ordering::SeqCst), 4);
        assert_eq!(n.fetch_max(12, Ordering::Relaxed), 9);
        fence(Ordering::SeqCst);
        assert_eq!(n.into_inner(), 12);
        let b = AtomicBool::new(false);
        assert!(!b.fetch_not(Ordering::SeqCst));
        assert!(b.load(Ordering::SeqCst));
        let mut x = 1;
        let p = AtomicPtr::new(&mut x as *mut i32);
        assert_eq!(p.load(Ordering::Acquire), &mut x as *mut i32);

        assert_eq!(thread::available_parallelism().unwrap().get(), 2);
        assert!(!thread::panicking());
        let flag = Arc::new(AtomicBool::new(false));
        let parked = {
            let flag = Arc::clone(&flag);
            thread::spawn(move || {
                while !flag.load(Ordering::Acquire) {
                    thread::park();
                }
            })
        };
        flag.store(true, Ordering::Release);
        parked.thread().unpark();
        parked.join().unwrap();
        thread::park_timeout(Duration::from_millis(1));
    });
}

// ---- loom still finds bugs through kata-sync --------------------------------------------

/// A lost update: load, then store the value + 1, as two steps (even with `SeqCst`).
#[test]
#[should_panic(expected = "an increment was lost")]
fn lost_update_is_still_found() {
    model(|| {
        let n = Arc::new(AtomicUsize::new(0));
        let other = {
            let n = Arc::clone(&n);
            thread::spawn(move || {
                let v = n.load(Ordering::SeqCst);
                n.store(v + 1, Ordering::SeqCst);
            })
        };
        let v = n.load(Ordering::SeqCst);
        n.store(v + 1, Ordering::SeqCst);
        other.join().unwrap();
        assert_eq!(n.load(Ordering::SeqCst), 2, "an increment was lost");
    });
}

/// Store buffering with `Relaxed`: both threads may read 0, and loom still shows it (the
/// `SeqCst` repair does not leak into weaker orderings).
#[test]
#[should_panic(expected = "both threads read 0")]
fn relaxed_store_buffering_still_reads_both_zero() {
    model(|| {
        let x = Arc::new(AtomicUsize::new(0));
        let y = Arc::new(AtomicUsize::new(0));
        let other = {
            let (x, y) = (Arc::clone(&x), Arc::clone(&y));
            thread::spawn(move || {
                x.store(1, Ordering::Relaxed);
                y.load(Ordering::Relaxed)
            })
        };
        y.store(1, Ordering::Relaxed);
        let mine = x.load(Ordering::Relaxed);
        let theirs = other.join().unwrap();
        assert!(mine == 1 || theirs == 1, "both threads read 0");
    });
}

/// Message passing with a `Relaxed` flag: the reader may see the flag but not the data.
#[test]
#[should_panic(expected = "saw the flag but not the data")]
fn relaxed_message_passing_is_still_found() {
    model(|| {
        let data = Arc::new(AtomicUsize::new(0));
        let flag = Arc::new(AtomicBool::new(false));
        let writer = {
            let (data, flag) = (Arc::clone(&data), Arc::clone(&flag));
            thread::spawn(move || {
                data.store(1, Ordering::Relaxed);
                flag.store(true, Ordering::Relaxed);
            })
        };
        if flag.load(Ordering::Relaxed) {
            assert_eq!(
                data.load(Ordering::Relaxed),
                1,
                "saw the flag but not the data"
            );
        }
        writer.join().unwrap();
    });
}

/// A spinlock whose "lock" is a load then a store: loom finds two threads inside, busy loop
/// and all.
#[test]
#[should_panic(expected = "two threads inside")]
fn broken_spinlock_is_still_found() {
    model(|| {
        let locked = Arc::new(AtomicBool::new(false));
        let inside = Arc::new(AtomicUsize::new(0));
        let critical = |locked: &AtomicBool, inside: &AtomicUsize| {
            while locked.load(Ordering::Acquire) {}
            locked.store(true, Ordering::Release);
            assert_eq!(
                inside.fetch_add(1, Ordering::Relaxed),
                0,
                "two threads inside"
            );
            inside.fetch_sub(1, Ordering::Relaxed);
            locked.store(false, Ordering::Release);
        };
        let other = {
            let (locked, inside) = (Arc::clone(&locked), Arc::clone(&inside));
            thread::spawn(move || critical(&locked, &inside))
        };
        critical(&locked, &inside);
        other.join().unwrap();
    });
}

/// Two senders: either message may arrive first, and loom explores both orders.
#[test]
#[should_panic(expected = "the other sender's message came first")]
fn channel_order_between_senders_is_explored() {
    model(|| {
        let (tx, rx) = mpsc::channel();
        let tx2 = tx.clone();
        let other = thread::spawn(move || tx2.send(2).unwrap());
        tx.send(1).unwrap();
        assert_eq!(
            rx.recv().unwrap(),
            1,
            "the other sender's message came first"
        );
        other.join().unwrap();
    });
}

/// Check-then-act across two critical sections of a `Mutex`: loom finds the double spend.
#[test]
#[should_panic(expected = "spent twice")]
fn check_then_act_across_two_locks_is_still_found() {
    model(|| {
        let coins = Arc::new(Mutex::new(1));
        let spend = |coins: &Mutex<i32>| {
            let enough = *coins.lock().unwrap() >= 1;
            if enough {
                *coins.lock().unwrap() -= 1;
            }
        };
        let other = {
            let coins = Arc::clone(&coins);
            thread::spawn(move || spend(&coins))
        };
        spend(&coins);
        other.join().unwrap();
        assert!(*coins.lock().unwrap() >= 0, "spent twice");
    });
}
