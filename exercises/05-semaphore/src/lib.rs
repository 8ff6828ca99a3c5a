//! A counting semaphore built from a `Mutex<usize>` and a `Condvar`.
//!
//! Fill in every `todo!()`. Read `README.md` first: it explains what a semaphore is and the
//! three classic bugs the grader looks for (a stolen permit, a lost wakeup, a permit that is
//! never given back).
//!
//! Import synchronisation types from `kata_sync::sync` (as below), never from `std::sync`:
//! it is the same `Mutex` and `Condvar`, but it lets the grader swap in a model checker that
//! tries every interleaving of your threads.

use kata_sync::sync::{Condvar, Mutex};

/// A counting semaphore: a number of permits that threads take and give back.
///
/// `Semaphore::new(n)` lets at most `n` holders at once past [`access`](Semaphore::access)
/// (or [`acquire`](Semaphore::acquire)); the next one waits until someone gives a permit back.
/// Python's `threading.Semaphore(n)`.
///
/// It must be `Send + Sync` so threads can share it (by reference with `thread::scope`, or in
/// an `Arc`). A `Mutex` and a `Condvar` are both, so a struct made of them is too.
///
/// The suggested fields are below; you may change them (they are private), but keep every
/// read and every change of the count under one lock.
#[allow(dead_code)] // remove once you use the fields
pub struct Semaphore {
    /// The number of free permits.
    permits: Mutex<usize>,
    /// Where `acquire` sleeps while no permit is free; `release` wakes a sleeper.
    freed: Condvar,
}

impl Semaphore {
    /// A semaphore with `permits` free permits.
    ///
    /// `Semaphore::new(0)` is useful too: nobody gets past `acquire` until someone calls
    /// `release` (the "items in the buffer" semaphore of producer/consumer starts at 0).
    pub fn new(permits: usize) -> Semaphore {
        let _ = permits;
        todo!()
    }

    /// Takes a permit, waiting first until one is free.
    ///
    /// Lock the count; while it is 0, wait on the condition variable (`Condvar::wait` gives
    /// the lock back while sleeping and takes it again before returning); then take one.
    ///
    /// The bug to avoid: waiting with `if` instead of `while`.
    ///
    /// ```text
    /// if *permits == 0 {                      // WRONG
    ///     permits = self.freed.wait(permits).unwrap();
    /// }
    /// *permits -= 1;                          // may run with *permits == 0
    /// ```
    ///
    /// Waking up does not mean a permit is yours. Between the `release` that woke you and the
    /// moment you hold the lock again, another thread (one calling `try_acquire`, say) may
    /// have taken it: a stolen permit. Condition variables may also wake a thread for no
    /// reason at all (a spurious wakeup). So check the count again after every wakeup.
    pub fn acquire(&self) {
        todo!()
    }

    /// Takes a permit if one is free right now, and returns `true`; returns `false` at once
    /// (never waits) if none is free.
    ///
    /// The bug to avoid: looking and taking in two separate lock sections.
    ///
    /// ```text
    /// if self.available_permits() > 0 {       // lock, read, unlock
    ///     *self.permits.lock().unwrap() -= 1; // lock again: the permit may be gone
    ///     return true;
    /// }
    /// ```
    ///
    /// Two threads can both see the one free permit, then both take it. Each step is safe on
    /// its own (Rust rules out the data race), the pair is not (a race condition:
    /// check-then-act). Decide and take under one lock.
    pub fn try_acquire(&self) -> bool {
        todo!()
    }

    /// Gives a permit back (adds one to the count) and wakes one thread waiting in
    /// `acquire`, if any.
    ///
    /// Like Python's `Semaphore.release`, it may raise the count above the number you
    /// started with.
    ///
    /// The bug to avoid: forgetting to wake anyone (`notify_one`). A thread already asleep in
    /// `acquire` is not looking at the count; if nobody notifies it, it sleeps forever next to
    /// a free permit (a lost wakeup).
    pub fn release(&self) {
        todo!()
    }

    /// The number of free permits at this moment.
    ///
    /// With other threads around the answer may be stale as soon as you read it: use it for
    /// tests and reports, never to decide whether to take a permit (that is `try_acquire`).
    pub fn available_permits(&self) -> usize {
        todo!()
    }

    /// Takes a permit (waiting for one if needed) and returns a [`Permit`] that gives it
    /// back when dropped. This is Python's `with sem:`:
    ///
    /// ```text
    /// with sem:                    {
    ///     work()                       let _permit = sem.access();
    ///                                  work();
    ///                              }   // _permit dropped here: the permit is back
    /// ```
    ///
    /// Hint: call `acquire`, then build the guard; giving back is `Permit`'s `Drop`.
    pub fn access(&self) -> Permit<'_> {
        todo!()
    }
}

/// One permit taken with [`Semaphore::access`]; dropping it gives the permit back.
///
/// Implement `Drop` for it (below) so that the release happens on every way out of the
/// holder's scope: the normal end, an early `return`, a `?`, and a panic (unwinding drops
/// every live value on its way out, so a guard's `drop` runs then too). That last one is why
/// a guard beats "acquire ... release" by hand: a panic between the two would leak the permit
/// for good, and the semaphore would have one permit fewer forever.
///
/// The lifetime `'a` is the borrow of the semaphore: it keeps the semaphore alive while the
/// permit is held. Hold the `&'a Semaphore` only, not a lock guard: keeping the count's
/// `MutexGuard` inside the permit would lock every other thread out, and a holder that
/// calls `available_permits` would deadlock on itself.
#[allow(dead_code)] // remove once you use the field
pub struct Permit<'a> {
    semaphore: &'a Semaphore,
}

impl Drop for Permit<'_> {
    /// Gives the permit back to the semaphore.
    fn drop(&mut self) {
        todo!()
    }
}
