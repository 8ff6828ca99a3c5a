//! `std::sync::atomic` for loom models, with `SeqCst` that is sequentially consistent.
//!
//! # Why loom's atomics are wrapped
//!
//! loom 0.7.2 does not model `SeqCst` accesses as sequentially consistent: its internal
//! `seq_cst()` hook is empty ("As a quick fix, just disable it. This may fail to model correct
//! code", `rt/thread.rs`), so a `SeqCst` load or store is only as strong as `AcqRel`. A correct
//! algorithm that relies on the single total order of `SeqCst` operations then fails under
//! loom. The classic is store buffering (Dekker's flags): thread A stores `x = 1` then loads
//! `y`, thread B stores `y = 1` then loads `x`; with `SeqCst` at least one of them must read
//! 1, yet raw loom lets both read 0.
//!
//! loom does model `fence(SeqCst)` soundly: all `SeqCst` fences of a run are totally ordered
//! and each one synchronises with those before it (`rt/atomic.rs`, `seq_cst_fence`). So every
//! atomic operation given a `SeqCst` ordering here runs as
//!
//! ```text
//! fence(SeqCst); <the operation>; fence(SeqCst)
//! ```
//!
//! Between two `SeqCst` operations of different threads there is then always a pair of fences
//! ordering them, which is what sequential consistency requires (store buffering becomes
//! impossible). The fences are not scheduling points, so this adds no interleavings to
//! explore, unlike routing every `SeqCst` operation through a global lock would (twice the
//! scheduling points, and every `SeqCst` operation dependent on every other).
//!
//! The price is in the other direction: these fences are stronger than a `SeqCst` operation
//! (each also acts as an acquire and a release fence for the thread's other atomics), so
//! under loom a missing `Acquire`/`Release` *next to* a `SeqCst` operation can go unnoticed.
//! That can hide a bug, never invent one: a correct answer never fails because of it.
//!
//! Operations with weaker orderings are loom's, unchanged.
//!
//! Not available under loom: `get_mut`, `as_ptr` and `from_ptr` (loom keeps the value inside
//! its model; use `into_inner`, or a load), and `const` construction (no atomics in `static`s).

use std::fmt;

use crate::loom_mode::spin::SpinWatch;

pub use std::sync::atomic::{Ordering, compiler_fence};

use Ordering::SeqCst;

/// The fence before an operation with `order`: returns whether one was made (so that the
/// matching fence after it is made too).
#[inline]
fn sc_before(order: Ordering) -> bool {
    let sc = order == SeqCst;
    if sc {
        loom::sync::atomic::fence(SeqCst);
    }
    sc
}

/// The fence after an operation, if [`sc_before`] made one.
#[inline]
fn sc_after(sc: bool) {
    if sc {
        loom::sync::atomic::fence(SeqCst);
    }
}

/// A memory fence. `fence(SeqCst)` is loom's, which loom models soundly.
///
/// # Panics
///
/// On `Ordering::Relaxed`, as std does.
#[track_caller]
pub fn fence(order: Ordering) {
    loom::sync::atomic::fence(order);
}

/// The deprecated spelling of [`crate::hint::spin_loop`]: under loom, a yield.
#[deprecated(note = "use `kata_sync::hint::spin_loop` instead, as in std")]
pub fn spin_loop_hint() {
    loom::thread::yield_now();
}

/// Defines the operations shared by every atomic type: `$t` is the value type.
macro_rules! common_ops {
    ($name:ident, $t:ty) => {
        impl $name {
            #[doc = concat!("Creates a new `", stringify!($name), "` holding `v`.")]
            ///
            /// Not a `const fn` under loom (loom's objects exist only inside a model run).
            #[track_caller]
            pub fn new(v: $t) -> $name {
                $name {
                    inner: loom::sync::atomic::$name::new(v),
                    spin: SpinWatch::default(),
                }
            }

            /// Consumes the atomic and returns its value.
            #[track_caller]
            pub fn into_inner(self) -> $t {
                self.inner.into_inner()
            }

            /// Loads the value (`SeqCst`: sequentially consistent, see the module docs).
            #[track_caller]
            pub fn load(&self, order: Ordering) -> $t {
                let sc = sc_before(order);
                let v = self.inner.load(order);
                sc_after(sc);
                self.spin.observed(v as u64);
                v
            }

            /// Stores `val` (`SeqCst`: sequentially consistent, see the module docs).
            #[track_caller]
            pub fn store(&self, val: $t, order: Ordering) {
                let sc = sc_before(order);
                self.inner.store(val, order);
                sc_after(sc);
                self.spin.changed();
            }

            /// Stores `val`, returning the previous value.
            #[track_caller]
            pub fn swap(&self, val: $t, order: Ordering) -> $t {
                let sc = sc_before(order);
                let v = self.inner.swap(val, order);
                sc_after(sc);
                if v == val {
                    self.spin.observed(v as u64);
                } else {
                    self.spin.changed();
                }
                v
            }

            /// Stores `new` if the value is `current`; returns the previous value.
            #[deprecated(note = "use `compare_exchange` or `compare_exchange_weak`, as in std")]
            #[track_caller]
            pub fn compare_and_swap(&self, current: $t, new: $t, order: Ordering) -> $t {
                let failure = match order {
                    Ordering::Release | Ordering::Relaxed => Ordering::Relaxed,
                    Ordering::AcqRel | Ordering::Acquire => Ordering::Acquire,
                    _ => SeqCst,
                };
                match self.compare_exchange(current, new, order, failure) {
                    Ok(v) | Err(v) => v,
                }
            }

            /// Stores `new` if the value is `current`: `Ok(previous)` if it did,
            /// `Err(actual)` if not.
            #[track_caller]
            pub fn compare_exchange(
                &self,
                current: $t,
                new: $t,
                success: Ordering,
                failure: Ordering,
            ) -> Result<$t, $t> {
                let sc = sc_before(strongest(success, failure));
                let r = self.inner.compare_exchange(current, new, success, failure);
                sc_after(sc);
                match r {
                    Err(actual) => self.spin.observed(actual as u64),
                    Ok(_) => self.spin.changed(),
                }
                r
            }

            /// Like [`compare_exchange`](Self::compare_exchange). (loom never fails
            /// spuriously; std's may, so code must loop anyway.)
            #[track_caller]
            pub fn compare_exchange_weak(
                &self,
                current: $t,
                new: $t,
                success: Ordering,
                failure: Ordering,
            ) -> Result<$t, $t> {
                self.compare_exchange(current, new, success, failure)
            }

            /// Applies `f` until it returns `None` or the update succeeds (a compare-exchange
            /// loop, as in std): `Ok(previous)` or `Err(previous)`.
            #[track_caller]
            pub fn fetch_update<F>(
                &self,
                set_order: Ordering,
                fetch_order: Ordering,
                mut f: F,
            ) -> Result<$t, $t>
            where
                F: FnMut($t) -> Option<$t>,
            {
                let mut prev = self.load(fetch_order);
                while let Some(next) = f(prev) {
                    match self.compare_exchange_weak(prev, next, set_order, fetch_order) {
                        Ok(x) => return Ok(x),
                        Err(next_prev) => prev = next_prev,
                    }
                }
                Err(prev)
            }

            /// The same as [`fetch_update`](Self::fetch_update) (its newer std name).
            #[track_caller]
            pub fn try_update(
                &self,
                set_order: Ordering,
                fetch_order: Ordering,
                f: impl FnMut($t) -> Option<$t>,
            ) -> Result<$t, $t> {
                self.fetch_update(set_order, fetch_order, f)
            }

            /// Replaces the value by `f(value)` (a compare-exchange loop); returns the
            /// previous value.
            #[track_caller]
            pub fn update(
                &self,
                set_order: Ordering,
                fetch_order: Ordering,
                mut f: impl FnMut($t) -> $t,
            ) -> $t {
                match self.fetch_update(set_order, fetch_order, |v| Some(f(v))) {
                    Ok(v) | Err(v) => v,
                }
            }
        }

        impl fmt::Debug for $name {
            /// Prints the value, read with a `Relaxed` load (as std does).
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Debug::fmt(&self.load(Ordering::Relaxed), f)
            }
        }
    };
}

/// Defines one read-modify-write operation `$op` that loom provides under the same name.
macro_rules! rmw_ops {
    ($name:ident, $t:ty, $($op:ident: $doc:literal),* $(,)?) => {
        impl $name {
            $(
                #[doc = $doc]
                #[track_caller]
                pub fn $op(&self, val: $t, order: Ordering) -> $t {
                    let sc = sc_before(order);
                    let v = self.inner.$op(val, order);
                    sc_after(sc);
                    self.spin.changed();
                    v
                }
            )*
        }
    };
}

/// Defines an atomic integer type.
macro_rules! atomic_int {
    ($name:ident, $t:ty) => {
        #[doc = concat!("std's `", stringify!($name), "` over loom's; `SeqCst` operations are \
            sequentially consistent (see the module docs).")]
        pub struct $name {
            inner: loom::sync::atomic::$name,
            spin: SpinWatch,
        }

        common_ops!($name, $t);
        rmw_ops!(
            $name, $t,
            fetch_add: "Adds `val` (wrapping), returning the previous value.",
            fetch_sub: "Subtracts `val` (wrapping), returning the previous value.",
            fetch_and: "Bitwise and with `val`, returning the previous value.",
            fetch_nand: "Bitwise nand with `val`, returning the previous value.",
            fetch_or: "Bitwise or with `val`, returning the previous value.",
            fetch_xor: "Bitwise xor with `val`, returning the previous value.",
            fetch_max: "Stores the maximum of the value and `val`, returning the previous value.",
            fetch_min: "Stores the minimum of the value and `val`, returning the previous value.",
        );

        impl Default for $name {
            /// An atomic holding 0.
            #[track_caller]
            fn default() -> $name {
                $name::new(0)
            }
        }

        impl From<$t> for $name {
            /// The same as `new`.
            #[track_caller]
            fn from(v: $t) -> $name {
                $name::new(v)
            }
        }
    };
}

atomic_int!(AtomicI8, i8);
atomic_int!(AtomicI16, i16);
atomic_int!(AtomicI32, i32);
#[cfg(target_pointer_width = "64")]
atomic_int!(AtomicI64, i64);
atomic_int!(AtomicIsize, isize);
atomic_int!(AtomicU8, u8);
atomic_int!(AtomicU16, u16);
atomic_int!(AtomicU32, u32);
#[cfg(target_pointer_width = "64")]
atomic_int!(AtomicU64, u64);
atomic_int!(AtomicUsize, usize);

/// std's `AtomicBool` over loom's; `SeqCst` operations are sequentially consistent (see the
/// module docs).
pub struct AtomicBool {
    inner: loom::sync::atomic::AtomicBool,
    spin: SpinWatch,
}

common_ops!(AtomicBool, bool);
rmw_ops!(
    AtomicBool, bool,
    fetch_and: "Logical and with `val`, returning the previous value.",
    fetch_nand: "Logical nand with `val`, returning the previous value.",
    fetch_or: "Logical or with `val`, returning the previous value.",
    fetch_xor: "Logical xor with `val`, returning the previous value.",
);

impl AtomicBool {
    /// Logical not, returning the previous value.
    #[track_caller]
    pub fn fetch_not(&self, order: Ordering) -> bool {
        self.fetch_xor(true, order)
    }
}

impl Default for AtomicBool {
    /// An atomic holding `false`.
    #[track_caller]
    fn default() -> AtomicBool {
        AtomicBool::new(false)
    }
}

impl From<bool> for AtomicBool {
    /// The same as `new`.
    #[track_caller]
    fn from(v: bool) -> AtomicBool {
        AtomicBool::new(v)
    }
}

/// std's `AtomicPtr` over loom's; `SeqCst` operations are sequentially consistent (see the
/// module docs).
pub struct AtomicPtr<T> {
    inner: loom::sync::atomic::AtomicPtr<T>,
    spin: SpinWatch,
}

impl<T> AtomicPtr<T> {
    /// Creates a new `AtomicPtr` holding `p`.
    ///
    /// Not a `const fn` under loom (loom's objects exist only inside a model run).
    #[track_caller]
    pub fn new(p: *mut T) -> AtomicPtr<T> {
        AtomicPtr {
            inner: loom::sync::atomic::AtomicPtr::new(p),
            spin: SpinWatch::default(),
        }
    }

    /// Consumes the atomic and returns its pointer.
    #[track_caller]
    pub fn into_inner(self) -> *mut T {
        self.inner.into_inner()
    }

    /// Loads the pointer (`SeqCst`: sequentially consistent, see the module docs).
    #[track_caller]
    pub fn load(&self, order: Ordering) -> *mut T {
        let sc = sc_before(order);
        let v = self.inner.load(order);
        sc_after(sc);
        self.spin.observed(v as usize as u64);
        v
    }

    /// Stores `ptr` (`SeqCst`: sequentially consistent, see the module docs).
    #[track_caller]
    pub fn store(&self, ptr: *mut T, order: Ordering) {
        let sc = sc_before(order);
        self.inner.store(ptr, order);
        sc_after(sc);
        self.spin.changed();
    }

    /// Stores `ptr`, returning the previous pointer.
    #[track_caller]
    pub fn swap(&self, ptr: *mut T, order: Ordering) -> *mut T {
        let sc = sc_before(order);
        let v = self.inner.swap(ptr, order);
        sc_after(sc);
        if v == ptr {
            self.spin.observed(v as usize as u64);
        } else {
            self.spin.changed();
        }
        v
    }

    /// Stores `new` if the pointer is `current`; returns the previous pointer.
    #[deprecated(note = "use `compare_exchange` or `compare_exchange_weak`, as in std")]
    #[track_caller]
    pub fn compare_and_swap(&self, current: *mut T, new: *mut T, order: Ordering) -> *mut T {
        let failure = match order {
            Ordering::Release | Ordering::Relaxed => Ordering::Relaxed,
            Ordering::AcqRel | Ordering::Acquire => Ordering::Acquire,
            _ => SeqCst,
        };
        match self.compare_exchange(current, new, order, failure) {
            Ok(v) | Err(v) => v,
        }
    }

    /// Stores `new` if the pointer is `current`: `Ok(previous)` if it did, `Err(actual)` if
    /// not.
    #[track_caller]
    pub fn compare_exchange(
        &self,
        current: *mut T,
        new: *mut T,
        success: Ordering,
        failure: Ordering,
    ) -> Result<*mut T, *mut T> {
        let sc = sc_before(strongest(success, failure));
        let r = self.inner.compare_exchange(current, new, success, failure);
        sc_after(sc);
        match r {
            Err(actual) => self.spin.observed(actual as usize as u64),
            Ok(_) => self.spin.changed(),
        }
        r
    }

    /// Like [`compare_exchange`](Self::compare_exchange) (loom never fails spuriously).
    #[track_caller]
    pub fn compare_exchange_weak(
        &self,
        current: *mut T,
        new: *mut T,
        success: Ordering,
        failure: Ordering,
    ) -> Result<*mut T, *mut T> {
        self.compare_exchange(current, new, success, failure)
    }

    /// Applies `f` until it returns `None` or the update succeeds (a compare-exchange loop).
    #[track_caller]
    pub fn fetch_update<F>(
        &self,
        set_order: Ordering,
        fetch_order: Ordering,
        mut f: F,
    ) -> Result<*mut T, *mut T>
    where
        F: FnMut(*mut T) -> Option<*mut T>,
    {
        let mut prev = self.load(fetch_order);
        while let Some(next) = f(prev) {
            match self.compare_exchange_weak(prev, next, set_order, fetch_order) {
                Ok(x) => return Ok(x),
                Err(next_prev) => prev = next_prev,
            }
        }
        Err(prev)
    }

    /// The same as [`fetch_update`](Self::fetch_update) (its newer std name).
    #[track_caller]
    pub fn try_update(
        &self,
        set_order: Ordering,
        fetch_order: Ordering,
        f: impl FnMut(*mut T) -> Option<*mut T>,
    ) -> Result<*mut T, *mut T> {
        self.fetch_update(set_order, fetch_order, f)
    }

    /// Replaces the pointer by `f(pointer)` (a compare-exchange loop); returns the previous
    /// pointer.
    #[track_caller]
    pub fn update(
        &self,
        set_order: Ordering,
        fetch_order: Ordering,
        mut f: impl FnMut(*mut T) -> *mut T,
    ) -> *mut T {
        match self.fetch_update(set_order, fetch_order, |p| Some(f(p))) {
            Ok(p) | Err(p) => p,
        }
    }
}

impl<T> Default for AtomicPtr<T> {
    /// A null pointer.
    #[track_caller]
    fn default() -> AtomicPtr<T> {
        AtomicPtr::new(std::ptr::null_mut())
    }
}

impl<T> From<*mut T> for AtomicPtr<T> {
    /// The same as `new`.
    #[track_caller]
    fn from(p: *mut T) -> AtomicPtr<T> {
        AtomicPtr::new(p)
    }
}

impl<T> fmt::Debug for AtomicPtr<T> {
    /// Prints the pointer, read with a `Relaxed` load (as std does).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.load(Ordering::Relaxed), f)
    }
}

/// `SeqCst` if either ordering of a compare-exchange is: then the whole operation is treated
/// as a `SeqCst` one.
fn strongest(success: Ordering, failure: Ordering) -> Ordering {
    if success == SeqCst || failure == SeqCst {
        SeqCst
    } else {
        success
    }
}
