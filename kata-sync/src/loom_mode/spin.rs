//! Busy-wait detection: makes a thread that polls without ever yielding yield.

/// Notices a thread polling one object without ever yielding, and makes it yield.
///
/// loom runs one thread at a time and switches only where it chooses to explore a switch. A
/// busy-wait such as `while !flag.load(Acquire) {}`, a spinlock
/// `while lock.compare_exchange(false, true, ..).is_err() {}`, `while m.try_lock().is_err() {}`
/// or a `try_recv` loop is correct with std (the OS preempts the spinner and the other thread
/// runs), but in loom's schedule without a preemption the spinner spins forever: loom fails
/// the model ("exceeded maximum number of branches") and then aborts the process. loom
/// expects such loops to call `hint::spin_loop()` or `thread::yield_now()`; std merely
/// recommends it.
///
/// So each pollable object (an atomic, a mutex's `try_lock`, a channel's `try_recv` /
/// `try_send`, a `JoinHandle::is_finished`) keeps one of these. When a thread gets the same
/// answer from the same object three times in a row without anything having changed it (a
/// load of the same value, a failed compare-exchange, a swap that changes nothing, a
/// `WouldBlock`, an `Empty`, a `Full`, a `false`), it yields after the third time and every
/// time after that, exactly as if the loop called `spin_loop()`. A yield only lets the other
/// threads run first: it never blocks and never changes a value, so it cannot make a correct
/// program fail. The cost is that loom does not explore the spinner taking yet another
/// identical step before everybody else, which would show nothing new. Code that asks once or
/// twice is not affected at all.
///
/// Bookkeeping only: a std mutex, never held across a loom operation (all model threads run on
/// one OS thread, one at a time, so it is never contended).
#[derive(Default)]
pub(crate) struct SpinWatch(std::sync::Mutex<Option<Observation>>);

/// The last value a thread saw, and how many times in a row it has seen it since.
struct Observation {
    thread: loom::thread::ThreadId,
    value: u64,
    repeats: u32,
}

impl SpinWatch {
    /// The current thread got the answer `value` and changed nothing.
    pub(crate) fn observed(&self, value: u64) {
        let thread = loom::thread::current().id();
        let spinning = {
            let mut last = self
                .0
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            match &mut *last {
                Some(seen) if seen.thread == thread && seen.value == value => {
                    seen.repeats = seen.repeats.saturating_add(1);
                    seen.repeats >= 2
                }
                _ => {
                    *last = Some(Observation {
                        thread,
                        value,
                        repeats: 0,
                    });
                    false
                }
            }
        };
        if spinning {
            loom::thread::yield_now();
        }
    }

    /// A thread changed the object (or may have): whoever polls it starts counting again.
    pub(crate) fn changed(&self) {
        *self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = None;
    }
}
