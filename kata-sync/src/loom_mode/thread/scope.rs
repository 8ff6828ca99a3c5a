//! `thread::scope` on loom's threads.
//!
//! loom 0.7.2 has no scoped threads, and its `spawn` requires a `'static` closure. This is
//! std's design carried over: a [`Scope`] remembers every thread spawned in it, and [`scope`]
//! joins them all before it returns, so a scoped thread can borrow anything that outlives the
//! `scope` call. The closure's lifetime is erased to hand it to loom's `spawn`, exactly as std
//! erases it to hand it to the OS; the safety argument is the same and is spelled out at the
//! `unsafe` block.

use std::marker::PhantomData;
use std::panic::{self, AssertUnwindSafe};
use std::sync::{Arc, Mutex, PoisonError};

use super::{Finished, Result, Thread, spawn_loom, yield_now};

/// A scope's record of one of its threads: loom's handle, taken by whoever joins first (the
/// `ScopedJoinHandle`'s owner, or `scope` on its way out).
///
/// The std `Mutex`es here are bookkeeping, never held across a loom operation: model threads
/// all run on one OS thread, one at a time, so they are never contended.
type Slot = Arc<Mutex<Option<loom::thread::JoinHandle<()>>>>;

/// A scope to spawn threads in: see [`scope`].
///
/// `'scope` is the scope's own lifetime, `'env` that of what its threads may borrow.
pub struct Scope<'scope, 'env: 'scope> {
    threads: Mutex<Vec<Slot>>,
    /// Invariant in both lifetimes, as std's, so that neither can be shortened or stretched.
    scope: PhantomData<&'scope mut &'scope ()>,
    env: PhantomData<&'env mut &'env ()>,
}

/// Owns a thread spawned in a [`Scope`]: [`join`](ScopedJoinHandle::join) waits for it. If it
/// is never joined, [`scope`] joins the thread when it ends.
pub struct ScopedJoinHandle<'scope, T> {
    slot: Slot,
    result: Arc<Mutex<Option<T>>>,
    finished: Arc<Finished>,
    thread: Thread,
    _scope: PhantomData<&'scope ()>,
}

/// Runs `f` with a [`Scope`] in which it can spawn threads that borrow local data, then waits
/// for every thread spawned in it (joined or not) before returning `f`'s result.
///
/// As std's: if `f` panics, the threads are still all joined before the panic goes on. Under
/// loom a panic in a spawned thread fails the model at once.
#[track_caller]
pub fn scope<'env, F, T>(f: F) -> T
where
    F: for<'scope> FnOnce(&'scope Scope<'scope, 'env>) -> T,
{
    let scope = Scope {
        threads: Mutex::new(Vec::new()),
        scope: PhantomData,
        env: PhantomData,
    };
    // Catch a panic of `f` so the threads are joined even then: they may borrow what the
    // unwinding would free (std does the same).
    let result = panic::catch_unwind(AssertUnwindSafe(|| f(&scope)));
    scope.join_all();
    match result {
        Ok(value) => value,
        Err(payload) => panic::resume_unwind(payload),
    }
}

impl<'scope, 'env> Scope<'scope, 'env> {
    /// Spawns a thread that may borrow anything that outlives the scope; `scope` joins it
    /// before returning if nobody else does.
    #[track_caller]
    pub fn spawn<F, T>(&'scope self, f: F) -> ScopedJoinHandle<'scope, T>
    where
        F: FnOnce() -> T + Send + 'scope,
        T: Send + 'scope,
    {
        self.spawn_with(None, None, f)
    }

    /// [`spawn`](Scope::spawn) with a name and a stack size, for `Builder::spawn_scoped`.
    #[track_caller]
    pub(super) fn spawn_with<F, T>(
        &'scope self,
        name: Option<String>,
        stack_size: Option<usize>,
        f: F,
    ) -> ScopedJoinHandle<'scope, T>
    where
        F: FnOnce() -> T + Send + 'scope,
        T: Send + 'scope,
    {
        let result = Arc::new(Mutex::new(None));
        let finished = Finished::new();
        let main = {
            let result = Arc::clone(&result);
            let finished = Arc::clone(&finished);
            move || {
                let value = f();
                *result.lock().unwrap_or_else(PoisonError::into_inner) = Some(value);
                finished.set();
            }
        };
        let main: Box<dyn FnOnce() + Send + 'scope> = Box::new(main);
        // SAFETY: only the lifetime changes (the same trait object type and layout). The
        // closure, and everything it borrows for `'scope`, is used only by the thread spawned
        // below, and that thread is over before `'scope` ends:
        // - `scope` joins every thread recorded in `threads` before it returns, also when its
        //   closure panics (it catches the panic and joins first); loom's `join` returns only
        //   after the thread's closure has returned, so after `main` and all it captured were
        //   dropped;
        // - the thread is recorded below, before anyone can observe its handle, and records
        //   are never removed, so no thread escapes the join;
        // - a panic in a model thread makes loom abandon the whole execution: no model thread
        //   runs again (loom's scheduler stops resuming them, and their stacks are discarded
        //   without unwinding), so nothing touches borrowed data after it is freed.
        let main: Box<dyn FnOnce() + Send + 'static> = unsafe {
            std::mem::transmute::<
                Box<dyn FnOnce() + Send + 'scope>,
                Box<dyn FnOnce() + Send + 'static>,
            >(main)
        };
        let inner = spawn_loom(name, stack_size, main);
        let thread = inner.thread().clone();
        let slot: Slot = Arc::new(Mutex::new(Some(inner)));
        self.threads
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(Arc::clone(&slot));
        ScopedJoinHandle {
            slot,
            result,
            finished,
            thread,
            _scope: PhantomData,
        }
    }

    /// Joins every thread of the scope, including any spawned by a scoped thread while this
    /// runs.
    #[track_caller]
    fn join_all(&self) {
        loop {
            let next = self
                .threads
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .pop();
            let Some(slot) = next else { break };
            let handle = slot.lock().unwrap_or_else(PoisonError::into_inner).take();
            if let Some(handle) = handle {
                // `Err` cannot happen under loom (a panicking thread ends the model); if a
                // future loom reported one, fail as std's `scope` does.
                if handle.join().is_err() {
                    panic!("a scoped thread panicked");
                }
            }
        }
    }
}

impl<T> ScopedJoinHandle<'_, T> {
    /// Waits for the thread to finish and returns its result. Never `Err` under loom.
    #[track_caller]
    pub fn join(self) -> Result<T> {
        let handle = self
            .slot
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        match handle {
            Some(handle) => handle.join()?,
            // `scope` is already joining this thread (this handle was moved into another
            // scoped thread that joins it late): wait for its end flag instead. Each yield
            // lets the other threads run, so the wait ends.
            None => {
                while !self.finished.get() {
                    yield_now();
                }
            }
        }
        let value = self
            .result
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
            .expect("kata_sync: a finished scoped thread left no result");
        Ok(value)
    }

    /// The thread's handle (its name, id, `unpark`).
    pub fn thread(&self) -> &Thread {
        &self.thread
    }

    /// Whether the thread has finished running its closure, without blocking.
    #[track_caller]
    pub fn is_finished(&self) -> bool {
        self.finished.get()
    }
}

impl<T> std::fmt::Debug for ScopedJoinHandle<'_, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ScopedJoinHandle").finish_non_exhaustive()
    }
}

impl std::fmt::Debug for Scope<'_, '_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Scope").finish_non_exhaustive()
    }
}
