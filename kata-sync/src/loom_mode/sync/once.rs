//! `Once`, `OnceState`, `OnceLock` and `LazyLock`, built on loom's mutex and atomics.
//!
//! loom 0.7.2 has none of them, and std's would be wrong inside a model: std's `Once` blocks
//! the real OS thread while another model thread initialises, and all model threads share
//! that one OS thread, so the process would hang. These use a loom `Mutex` to serialise the
//! initialisers and a loom `AtomicBool` (written with `Release`, read with `Acquire`) to
//! publish the result, so loom explores the race between a reader and the initialiser.
//!
//! Not `const fn`s: loom's objects exist only inside a model run, so a `static` `Once`,
//! `OnceLock` or `LazyLock` cannot be model-checked (and does not compile under loom).

use std::cell::UnsafeCell;
use std::fmt;
use std::mem::MaybeUninit;
use std::ops::Deref;
use std::panic::{RefUnwindSafe, UnwindSafe};

use loom::sync::atomic::{AtomicU8, Ordering};

use super::Mutex;

/// Runs a closure exactly once, however many threads call [`call_once`](Once::call_once).
pub struct Once {
    /// Held by the thread running the closure: the others wait on it.
    running: Mutex<()>,
    /// 1 once the closure has returned (stored with `Release`). A `u8` rather than a `bool`
    /// because loom gives `&mut` access (`with_mut`, for `OnceLock::get_mut`) only to its
    /// integer atomics.
    done: AtomicU8,
    /// Set if a closure panicked (only observable if something caught that panic, since a
    /// panic fails a loom model). Bookkeeping only: read and written under `running`.
    poisoned: std::sync::atomic::AtomicBool,
}

/// What [`Once::call_once_force`] tells its closure.
#[derive(Debug)]
pub struct OnceState {
    poisoned: bool,
}

impl OnceState {
    /// Whether an earlier closure of this `Once` panicked.
    pub fn is_poisoned(&self) -> bool {
        self.poisoned
    }
}

/// Sets the poisoned flag if dropped while unwinding (the closure panicked).
struct PoisonOnUnwind<'a>(&'a std::sync::atomic::AtomicBool);

impl Drop for PoisonOnUnwind<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.0.store(true, std::sync::atomic::Ordering::Relaxed);
        }
    }
}

impl Once {
    /// A `Once` whose closure has not run. Not `const` under loom.
    #[track_caller]
    pub fn new() -> Once {
        Once {
            running: Mutex::new(()),
            done: AtomicU8::new(0),
            poisoned: std::sync::atomic::AtomicBool::new(false),
        }
    }

    /// Runs `f` if no closure of this `Once` has completed yet; returns once one has (run by
    /// this thread or another).
    ///
    /// # Panics
    ///
    /// If an earlier closure panicked (the `Once` is poisoned), as std's.
    #[track_caller]
    pub fn call_once<F: FnOnce()>(&self, f: F) {
        self.run(false, |_| f());
    }

    /// Like [`call_once`](Once::call_once), but runs even if an earlier closure panicked;
    /// the closure learns it from [`OnceState::is_poisoned`].
    #[track_caller]
    pub fn call_once_force<F: FnOnce(&OnceState)>(&self, f: F) {
        self.run(true, f);
    }

    #[track_caller]
    fn run<F: FnOnce(&OnceState)>(&self, force: bool, f: F) {
        if self.done.load(Ordering::Acquire) == 1 {
            return;
        }
        let _running = self.running.lock().unwrap_or_else(|p| p.into_inner());
        if self.done.load(Ordering::Acquire) == 1 {
            return;
        }
        let poisoned = self.poisoned.load(std::sync::atomic::Ordering::Relaxed);
        assert!(
            force || !poisoned,
            "Once instance has previously been poisoned"
        );
        let guard = PoisonOnUnwind(&self.poisoned);
        f(&OnceState { poisoned });
        std::mem::forget(guard);
        self.poisoned
            .store(false, std::sync::atomic::Ordering::Relaxed);
        self.done.store(1, Ordering::Release);
    }

    /// Whether a closure has completed (`Acquire`: what it wrote is then visible).
    #[track_caller]
    pub fn is_completed(&self) -> bool {
        self.done.load(Ordering::Acquire) == 1
    }

    /// Blocks until a closure has completed.
    ///
    /// # Panics
    ///
    /// If the `Once` is poisoned, as std's.
    #[track_caller]
    pub fn wait(&self) {
        self.wait_inner(false);
    }

    /// Blocks until a closure has completed, ignoring poisoning.
    #[track_caller]
    pub fn wait_force(&self) {
        self.wait_inner(true);
    }

    #[track_caller]
    fn wait_inner(&self, force: bool) {
        // Taking `running` waits for a closure in progress; a yield between checks lets the
        // thread that will run it go first (loom keeps such a loop finite).
        loop {
            if self.done.load(Ordering::Acquire) == 1 {
                return;
            }
            {
                let _running = self.running.lock().unwrap_or_else(|p| p.into_inner());
                if self.done.load(Ordering::Acquire) == 1 {
                    return;
                }
                assert!(
                    force || !self.poisoned.load(std::sync::atomic::Ordering::Relaxed),
                    "Once instance has previously been poisoned"
                );
            }
            loom::thread::yield_now();
        }
    }
}

impl Default for Once {
    /// The same as [`Once::new`].
    #[track_caller]
    fn default() -> Once {
        Once::new()
    }
}

impl fmt::Debug for Once {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Once").finish_non_exhaustive()
    }
}

/// A cell written at most once, then readable by shared reference from any thread.
pub struct OnceLock<T> {
    once: Once,
    value: UnsafeCell<MaybeUninit<T>>,
}

// SAFETY: the value is written once, by the one thread running `once`'s closure (under its
// mutex), and read only after `once.done` was seen set with `Acquire`: readers share `&T`
// (hence `T: Sync`), and a value written on one thread may be read or dropped on another
// (hence `T: Send`). The same bounds as std's `OnceLock`.
unsafe impl<T: Sync + Send> Sync for OnceLock<T> {}
// SAFETY: moving the cell moves the value with it.
unsafe impl<T: Send> Send for OnceLock<T> {}

impl<T: RefUnwindSafe + UnwindSafe> RefUnwindSafe for OnceLock<T> {}
impl<T: UnwindSafe> UnwindSafe for OnceLock<T> {}

impl<T> OnceLock<T> {
    /// An empty cell. Not `const` under loom.
    #[track_caller]
    pub fn new() -> OnceLock<T> {
        OnceLock {
            once: Once::new(),
            value: UnsafeCell::new(MaybeUninit::uninit()),
        }
    }

    /// The value, if the cell has been written (`Acquire`).
    #[track_caller]
    pub fn get(&self) -> Option<&T> {
        if self.once.is_completed() {
            // SAFETY: `done` is set (and seen with `Acquire`) only after the value was written.
            Some(unsafe { (*self.value.get()).assume_init_ref() })
        } else {
            None
        }
    }

    /// The value, mutably: `&mut self` proves nobody else is looking.
    pub fn get_mut(&mut self) -> Option<&mut T> {
        if self.once.done.with_mut(|done| *done == 1) {
            // SAFETY: written (see `get`), and `&mut self` is exclusive.
            Some(unsafe { self.value.get_mut().assume_init_mut() })
        } else {
            None
        }
    }

    /// Writes `value` if the cell is empty: `Ok(())`, or `Err(value)` if it was already full.
    #[track_caller]
    pub fn set(&self, value: T) -> Result<(), T> {
        let mut value = Some(value);
        self.get_or_init(|| value.take().expect("taken once"));
        match value {
            None => Ok(()),
            Some(value) => Err(value),
        }
    }

    /// The value, computing it with `f` first if the cell is empty. If several threads race,
    /// exactly one runs its `f`; the others wait for it and get its value.
    #[track_caller]
    pub fn get_or_init<F: FnOnce() -> T>(&self, f: F) -> &T {
        if let Some(value) = self.get() {
            return value;
        }
        self.once.call_once_force(|_| {
            let value = f();
            // SAFETY: only the one thread running the `Once` closure writes, before `done` is
            // set, and nobody reads before `done` is set.
            unsafe { (*self.value.get()).write(value) };
        });
        self.get()
            .expect("kata_sync: OnceLock closure completed without a value")
    }

    /// Blocks until the cell is written, then returns the value.
    #[track_caller]
    pub fn wait(&self) -> &T {
        self.once.wait_force();
        self.get()
            .expect("kata_sync: OnceLock closure completed without a value")
    }

    /// Empties the cell, returning its value.
    pub fn take(&mut self) -> Option<T> {
        if self
            .once
            .done
            .with_mut(|done| std::mem::replace(done, 0) == 1)
        {
            // SAFETY: it was written, and `done` is now 0 so it will not be read or
            // dropped again.
            Some(unsafe { self.value.get_mut().assume_init_read() })
        } else {
            None
        }
    }

    /// The value, consuming the cell.
    pub fn into_inner(mut self) -> Option<T> {
        self.take()
    }
}

impl<T> Drop for OnceLock<T> {
    fn drop(&mut self) {
        drop(self.take());
    }
}

impl<T> Default for OnceLock<T> {
    /// An empty cell.
    #[track_caller]
    fn default() -> OnceLock<T> {
        OnceLock::new()
    }
}

impl<T> From<T> for OnceLock<T> {
    /// A cell already holding `value`.
    #[track_caller]
    fn from(value: T) -> OnceLock<T> {
        let cell = OnceLock::new();
        let _ = cell.set(value);
        cell
    }
}

impl<T: Clone> Clone for OnceLock<T> {
    #[track_caller]
    fn clone(&self) -> OnceLock<T> {
        let cell = OnceLock::new();
        if let Some(value) = self.get() {
            let _ = cell.set(value.clone());
        }
        cell
    }
}

impl<T: PartialEq> PartialEq for OnceLock<T> {
    fn eq(&self, other: &OnceLock<T>) -> bool {
        self.get() == other.get()
    }
}

impl<T: Eq> Eq for OnceLock<T> {}

impl<T: fmt::Debug> fmt::Debug for OnceLock<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_tuple("OnceLock");
        match self.get() {
            Some(value) => d.field(value),
            None => d.field(&format_args!("<uninit>")),
        };
        d.finish()
    }
}

/// A value computed on first access, by whichever thread gets there first.
pub struct LazyLock<T, F = fn() -> T> {
    cell: OnceLock<T>,
    init: UnsafeCell<Option<F>>,
}

// SAFETY: `init` is taken only inside the `OnceLock`'s closure, which one thread at a time
// runs (under its mutex); after that only `&T` is shared. The same bounds as std's.
unsafe impl<T: Sync + Send, F: Send> Sync for LazyLock<T, F> {}

impl<T: RefUnwindSafe + UnwindSafe, F: UnwindSafe> RefUnwindSafe for LazyLock<T, F> {}

impl<T, F: FnOnce() -> T> LazyLock<T, F> {
    /// A lazy value that `f` will compute on first access. Not `const` under loom.
    #[track_caller]
    pub fn new(f: F) -> LazyLock<T, F> {
        LazyLock {
            cell: OnceLock::new(),
            init: UnsafeCell::new(Some(f)),
        }
    }

    /// The value, computing it first if needed.
    ///
    /// # Panics
    ///
    /// If the initialiser panicked in an earlier call, as std's.
    #[track_caller]
    pub fn force(this: &LazyLock<T, F>) -> &T {
        this.cell.get_or_init(|| {
            // SAFETY: see the `Sync` impl: only the thread running the cell's closure is here.
            let init = unsafe { (*this.init.get()).take() };
            match init {
                Some(f) => f(),
                None => panic!("LazyLock instance has previously been poisoned"),
            }
        })
    }
}

impl<T, F: FnOnce() -> T> Deref for LazyLock<T, F> {
    type Target = T;

    #[track_caller]
    fn deref(&self) -> &T {
        LazyLock::force(self)
    }
}

impl<T: Default> Default for LazyLock<T> {
    /// A lazy `T::default()`.
    #[track_caller]
    fn default() -> LazyLock<T> {
        LazyLock::new(T::default)
    }
}

impl<T: fmt::Debug, F> fmt::Debug for LazyLock<T, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_tuple("LazyLock");
        match self.cell.get() {
            Some(value) => d.field(value),
            None => d.field(&format_args!("<uninit>")),
        };
        d.finish()
    }
}
