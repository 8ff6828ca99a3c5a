//! `Mutex` and `MutexGuard`: loom's mutex, wrapped.
//!
//! The wrapper adds no behaviour to locking; it exists so that the guard remembers its mutex.
//! loom's `MutexGuard` keeps that reference private, and without it [`Condvar`]'s timed waits
//! could not let go of the lock and take it back (see `condvar.rs`).
//!
//! [`Condvar`]: super::Condvar

use std::fmt;
use std::ops::{Deref, DerefMut};
use std::sync::{LockResult, TryLockError, TryLockResult};

use crate::loom_mode::spin::SpinWatch;

/// A mutual exclusion lock: std's `Mutex` API over loom's model-checked mutex.
///
/// Under loom a lock is never poisoned: a panic in any model thread already fails the model,
/// so [`lock`](Mutex::lock) always returns `Ok`.
pub struct Mutex<T: ?Sized> {
    /// Makes a thread that retries `try_lock` in a busy loop yield (see `SpinWatch`).
    spin: SpinWatch,
    pub(super) inner: loom::sync::Mutex<T>,
}

/// The guard of a locked [`Mutex`]: the lock is released when it is dropped.
///
/// `!Send` like std's (a lock is released by the thread that took it).
#[must_use = "if unused the Mutex will immediately unlock"]
pub struct MutexGuard<'a, T: ?Sized + 'a> {
    /// The mutex, kept so that a timed condvar wait can lock it again.
    pub(super) lock: &'a Mutex<T>,
    /// loom's guard. `None` only inside a condvar wait, between unlocking and relocking.
    pub(super) inner: Option<loom::sync::MutexGuard<'a, T>>,
}

impl<T> Mutex<T> {
    /// Creates an unlocked mutex holding `value`.
    ///
    /// Unlike std's, not a `const fn`: loom's objects exist only inside a model run, so a
    /// `Mutex` in a `static` cannot be model-checked.
    #[track_caller]
    pub fn new(value: T) -> Mutex<T> {
        Mutex {
            spin: SpinWatch::default(),
            inner: loom::sync::Mutex::new(value),
        }
    }

    /// Consumes the mutex and returns its value (never poisoned under loom).
    pub fn into_inner(self) -> LockResult<T> {
        self.inner.into_inner()
    }
}

impl<T: ?Sized> Mutex<T> {
    /// Blocks until the lock is free, then takes it.
    ///
    /// loom reports a deadlock (every thread blocked) as a failure of the model.
    #[track_caller]
    pub fn lock(&self) -> LockResult<MutexGuard<'_, T>> {
        let inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        Ok(MutexGuard {
            lock: self,
            inner: Some(inner),
        })
    }

    /// Takes the lock if it is free, without blocking; `Err(WouldBlock)` otherwise.
    #[track_caller]
    pub fn try_lock(&self) -> TryLockResult<MutexGuard<'_, T>> {
        match self.inner.try_lock() {
            Ok(inner) => {
                self.spin.changed();
                Ok(MutexGuard {
                    lock: self,
                    inner: Some(inner),
                })
            }
            Err(TryLockError::WouldBlock) => {
                self.spin.observed(0);
                Err(TryLockError::WouldBlock)
            }
            Err(TryLockError::Poisoned(p)) => Ok(MutexGuard {
                lock: self,
                inner: Some(p.into_inner()),
            }),
        }
    }

    /// Always `false` under loom: see [`Mutex`].
    pub fn is_poisoned(&self) -> bool {
        false
    }

    /// Does nothing under loom: a lock is never poisoned there.
    pub fn clear_poison(&self) {}

    /// A mutable reference to the value: `&mut self` proves nobody else holds the lock.
    pub fn get_mut(&mut self) -> LockResult<&mut T> {
        self.inner.get_mut()
    }
}

impl<T: Default> Default for Mutex<T> {
    /// A mutex holding `T::default()`.
    #[track_caller]
    fn default() -> Mutex<T> {
        Mutex::new(T::default())
    }
}

impl<T> From<T> for Mutex<T> {
    /// The same as [`Mutex::new`].
    #[track_caller]
    fn from(value: T) -> Mutex<T> {
        Mutex::new(value)
    }
}

impl<T: ?Sized> fmt::Debug for Mutex<T> {
    /// Prints `Mutex { .. }`. std's prints the value when the lock happens to be free; that
    /// would be a `try_lock`, an operation loom would then explore like any other.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Mutex").finish_non_exhaustive()
    }
}

impl<T: ?Sized> Deref for MutexGuard<'_, T> {
    type Target = T;

    fn deref(&self) -> &T {
        self.inner
            .as_deref()
            .expect("kata_sync: MutexGuard used while its condvar wait had unlocked it")
    }
}

impl<T: ?Sized> DerefMut for MutexGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        self.inner
            .as_deref_mut()
            .expect("kata_sync: MutexGuard used while its condvar wait had unlocked it")
    }
}

impl<T: ?Sized + fmt::Debug> fmt::Debug for MutexGuard<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

impl<T: ?Sized + fmt::Display> fmt::Display for MutexGuard<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&**self, f)
    }
}
