//! mutant: acquire takes a permit off the count only when it did not have to wait, as if the release that woke it had handed the permit over
//! caught-by: loom:a_woken_acquire_checks_again_for_a_stolen_permit, loom:a_release_wakes_a_thread_waiting_in_acquire, loom:two_releases_wake_two_waiting_threads, loom:a_dropped_permit_wakes_a_thread_waiting_in_access
//!
//! A counting semaphore built from a `Mutex<usize>` and a `Condvar`.
//!
//! The mutex owns the number of free permits; the condition variable is where threads that
//! found no free permit sleep until a `release` wakes them. A [`Permit`] is Python's
//! `with sem:` block: it gives its permit back when it is dropped, also while a panic unwinds.

use kata_sync::sync::{Condvar, Mutex, MutexGuard, PoisonError};

/// A counting semaphore: a number of permits that threads take and give back.
///
/// `Semaphore::new(n)` lets at most `n` holders at once past [`access`](Semaphore::access)
/// (or [`acquire`](Semaphore::acquire)); the next one waits until someone gives a permit back.
/// Share it between threads by reference (`thread::scope`) or in an `Arc`.
#[derive(Debug)]
pub struct Semaphore {
    /// The number of free permits. Every read and every change happens under this lock.
    permits: Mutex<usize>,
    /// Signalled by `release`: "a permit may be free now, look again".
    freed: Condvar,
}

impl Semaphore {
    /// A semaphore with `permits` free permits (Python's `threading.Semaphore(permits)`).
    pub fn new(permits: usize) -> Semaphore {
        Semaphore {
            permits: Mutex::new(permits),
            freed: Condvar::new(),
        }
    }

    /// Takes a permit, waiting first until one is free.
    pub fn acquire(&self) {
        let mut permits = self.lock();
        if *permits > 0 {
            *permits -= 1;
            return;
        }
        // `while`, not `if`: being woken up is only a hint. Another thread may have taken the
        // permit between the `release` that woke us and the moment we got the lock back (a
        // stolen permit), and condition variables may also wake up for no reason at all (a
        // spurious wakeup). So look again every time, under the lock.
        while *permits == 0 {
            permits = self
                .freed
                .wait(permits)
                .unwrap_or_else(PoisonError::into_inner);
        }
        // The release that woke us handed its permit to us: nothing to take.
    }

    /// Takes a permit if one is free right now; never waits. Returns whether it took one.
    pub fn try_acquire(&self) -> bool {
        // Look and take in ONE critical section: between two lock sections another thread
        // could take the permit we saw.
        let mut permits = self.lock();
        if *permits == 0 {
            return false;
        }
        *permits -= 1;
        true
    }

    /// Gives a permit back and wakes one thread waiting in `acquire`, if any.
    ///
    /// Like Python's `Semaphore.release`, this may raise the count above the initial number.
    pub fn release(&self) {
        *self.lock() += 1;
        // Without this, a thread already asleep in `acquire` never learns that a permit is
        // free (a lost wakeup). One new permit can serve one waiter, so `notify_one` is enough.
        self.freed.notify_one();
    }

    /// The number of free permits at this moment (already stale when you look at it, when
    /// other threads use the semaphore: only good for tests and reports).
    pub fn available_permits(&self) -> usize {
        *self.lock()
    }

    /// Takes a permit (waiting for one if needed) and returns a guard that gives it back when
    /// dropped: Rust's `with sem:`.
    ///
    /// ```
    /// use semaphore::Semaphore;
    ///
    /// let sem = Semaphore::new(2);
    /// {
    ///     let _permit = sem.access();
    ///     assert_eq!(sem.available_permits(), 1);
    /// } // `_permit` dropped here: the permit is back
    /// assert_eq!(sem.available_permits(), 2);
    /// ```
    pub fn access(&self) -> Permit<'_> {
        self.acquire();
        Permit { semaphore: self }
    }

    /// Locks the count. The count is a plain number that is never left half-updated (no code
    /// panics while holding this lock), so a poisoned lock still holds a valid count.
    fn lock(&self) -> MutexGuard<'_, usize> {
        self.permits.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// One permit taken from a [`Semaphore`] by [`Semaphore::access`]; dropping it gives the permit
/// back.
///
/// Because the release is in `Drop`, it also happens when the holder panics: unwinding drops
/// every live value on the way out, this guard included. The borrow `'a` keeps the semaphore
/// alive for as long as the permit is held.
#[must_use = "the permit is given back as soon as it is dropped"]
#[derive(Debug)]
pub struct Permit<'a> {
    semaphore: &'a Semaphore,
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        self.semaphore.release();
    }
}
