//! `Condvar`: loom's condition variable, plus the std methods loom lacks and timeouts that can
//! actually time out.
//!
//! # Timed waits under loom
//!
//! A model has no clock, and loom's own `Condvar::wait_timeout` simply waits for a
//! notification ("TODO: implement timing out"). A correct program whose progress depends on a
//! timeout (a worker that polls a shutdown flag with `wait_timeout`, nobody notifying it) then
//! looks deadlocked to loom: a false failure.
//!
//! Here a timed wait may time out *at once*: it lets go of the lock, yields to loom's scheduler
//! (so the other threads run first), takes the lock back and reports that it timed out, unless
//! the condvar was notified in the meantime. This is one of std's own possible behaviours (the
//! timeout can always elapse before anybody runs; std even allows spurious wake-ups), so a
//! program that is correct with std is correct with it, and polling loops make progress. loom
//! keeps such loops finite: a thread that yields is not scheduled again before another thread
//! has taken a step.
//!
//! The consequence for models: a model may not assert that a timed wait succeeds "because the
//! other thread will surely be quick enough". Under loom every timeout may fire immediately,
//! exactly as it may (rarely) on a loaded machine.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{LockResult, PoisonError};
use std::time::Duration;

use super::mutex::MutexGuard;

/// A condition variable: std's `Condvar` API over loom's model-checked condvar.
///
/// [`wait`](Condvar::wait) and [`wait_while`](Condvar::wait_while) block until notified, as in
/// std. The timed waits may time out at once (see the module source for why); every `wait*`
/// takes the lock back before it returns.
pub struct Condvar {
    inner: loom::sync::Condvar,
    /// How many `notify_*` calls this condvar has seen. A timed wait compares it before and
    /// after its yield to report "notified" rather than "timed out". This is bookkeeping only
    /// (a plain std atomic: all model threads run on one OS thread, one at a time); loom's
    /// own notification happens through `inner`.
    notifications: AtomicUsize,
}

/// Whether a timed wait returned because its timeout elapsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WaitTimeoutResult(bool);

impl WaitTimeoutResult {
    /// `true` if the wait timed out (under loom: it yielded and nobody notified meanwhile).
    pub fn timed_out(&self) -> bool {
        self.0
    }
}

impl Condvar {
    /// Creates a condition variable with no waiters.
    ///
    /// Not a `const fn` under loom (loom's objects exist only inside a model run).
    #[track_caller]
    pub fn new() -> Condvar {
        Condvar {
            inner: loom::sync::Condvar::new(),
            notifications: AtomicUsize::new(0),
        }
    }

    /// Unlocks `guard`'s mutex, blocks until notified, then locks it again.
    ///
    /// loom never wakes a waiter spuriously (std may); loom reports a wait that nobody will
    /// ever end as a deadlock.
    #[track_caller]
    pub fn wait<'a, T>(&self, mut guard: MutexGuard<'a, T>) -> LockResult<MutexGuard<'a, T>> {
        let inner = guard
            .inner
            .take()
            .expect("kata_sync: guard already unlocked");
        let inner = self
            .inner
            .wait(inner)
            .unwrap_or_else(PoisonError::into_inner);
        guard.inner = Some(inner);
        Ok(guard)
    }

    /// Waits while `condition` holds: checks it, and waits again after every wake-up.
    #[track_caller]
    pub fn wait_while<'a, T, F>(
        &self,
        mut guard: MutexGuard<'a, T>,
        mut condition: F,
    ) -> LockResult<MutexGuard<'a, T>>
    where
        F: FnMut(&mut T) -> bool,
    {
        while condition(&mut *guard) {
            guard = self.wait(guard)?;
        }
        Ok(guard)
    }

    /// Unlocks `guard`'s mutex, lets the other threads run, locks it again.
    ///
    /// Under loom the timeout may elapse at once, whatever `dur` is: the result says
    /// `timed_out()` unless the condvar was notified while the lock was free. Treat it as std
    /// asks you to: check your condition again after every return.
    #[track_caller]
    pub fn wait_timeout<'a, T>(
        &self,
        mut guard: MutexGuard<'a, T>,
        dur: Duration,
    ) -> LockResult<(MutexGuard<'a, T>, WaitTimeoutResult)> {
        // Any duration, even zero or `Duration::MAX`, behaves the same: see the module docs.
        let _ = dur;
        let before = self.notifications.load(Ordering::Relaxed);
        let lock = guard.lock;
        // Let go of the lock (loom sees the unlock), let every other thread run first, then
        // take the lock back (loom sees the lock, and explores who gets it first).
        drop(guard.inner.take());
        loom::thread::yield_now();
        let relocked = lock.inner.lock().unwrap_or_else(PoisonError::into_inner);
        guard.inner = Some(relocked);
        let notified = self.notifications.load(Ordering::Relaxed) != before;
        Ok((guard, WaitTimeoutResult(!notified)))
    }

    /// Waits while `condition` holds, for at most `dur`.
    ///
    /// Returns `timed_out() == true` only if the condition still holds after the timeout; if
    /// the condition has cleared, it returns `false` even though the (simulated) time is up,
    /// exactly as std does.
    #[track_caller]
    pub fn wait_timeout_while<'a, T, F>(
        &self,
        mut guard: MutexGuard<'a, T>,
        dur: Duration,
        mut condition: F,
    ) -> LockResult<(MutexGuard<'a, T>, WaitTimeoutResult)>
    where
        F: FnMut(&mut T) -> bool,
    {
        // The shape of std's own loop: check, then give up if the time is over, else wait.
        // One timed-out wait uses up the whole timeout.
        let mut time_is_up = false;
        loop {
            if !condition(&mut *guard) {
                return Ok((guard, WaitTimeoutResult(false)));
            }
            if time_is_up {
                return Ok((guard, WaitTimeoutResult(true)));
            }
            let (relocked, result) = self.wait_timeout(guard, dur)?;
            guard = relocked;
            time_is_up = result.timed_out();
        }
    }

    /// The deprecated millisecond form of [`wait_timeout`](Condvar::wait_timeout).
    #[deprecated(note = "replaced by `Condvar::wait_timeout`, as in std")]
    #[track_caller]
    pub fn wait_timeout_ms<'a, T>(
        &self,
        guard: MutexGuard<'a, T>,
        ms: u32,
    ) -> LockResult<(MutexGuard<'a, T>, bool)> {
        let (guard, result) = self
            .wait_timeout(guard, Duration::from_millis(ms.into()))
            .unwrap_or_else(PoisonError::into_inner);
        Ok((guard, !result.timed_out()))
    }

    /// Wakes one thread blocked in a wait on this condvar, if any.
    #[track_caller]
    pub fn notify_one(&self) {
        self.notifications.fetch_add(1, Ordering::Relaxed);
        self.inner.notify_one();
    }

    /// Wakes every thread blocked in a wait on this condvar.
    #[track_caller]
    pub fn notify_all(&self) {
        self.notifications.fetch_add(1, Ordering::Relaxed);
        self.inner.notify_all();
    }
}

impl Default for Condvar {
    /// The same as [`Condvar::new`].
    #[track_caller]
    fn default() -> Condvar {
        Condvar::new()
    }
}

impl std::fmt::Debug for Condvar {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Condvar").finish_non_exhaustive()
    }
}
