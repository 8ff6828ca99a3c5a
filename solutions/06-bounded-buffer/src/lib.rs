//! A bounded buffer for many producers and many consumers: the reference answer.
//!
//! One `Mutex` owns the queue, so every check ("is there room?", "is there an item?") and the
//! action that depends on it happen under the same lock: no other thread can get in between.
//! Two condition variables let a thread sleep until the state it needs may have arrived:
//!
//! - `not_full`: producers wait here while the queue is full; every `take` wakes one.
//! - `not_empty`: consumers wait here while the queue is empty; every `put` wakes one.
//!
//! Producers and consumers never share a condvar, so `notify_one` always wakes a thread of
//! the side that can use the change (never a producer for a new item, or a consumer for a
//! free slot). Every wait re-checks its condition after waking (a `while` loop): another
//! thread may have taken the slot or the item first, and condvars may also wake spuriously.
//!
//! One refinement makes it fast: the state also counts the threads asleep on each condvar,
//! and a `put` or `take` notifies only when someone is asleep. A notify costs a system call
//! even when nobody waits, and in a busy buffer (neither full nor empty) nobody does. The
//! counts change only under the mutex, and a sleeper is counted before it releases the lock
//! to wait, so a thread that changes the queue always sees whether to wake someone: no
//! wake-up is lost.

use std::collections::VecDeque;

use kata_sync::sync::{Condvar, Mutex, MutexGuard, PoisonError};

/// A first-in, first-out queue that holds at most `capacity` items.
///
/// Share it between threads with an `Arc`: every method takes `&self`. It is `Send` and `Sync`
/// whenever `T: Send`, because the items only ever move between threads through the mutex.
///
/// ```
/// use bounded_buffer::BoundedBuffer;
///
/// let buffer = BoundedBuffer::new(2);
/// buffer.put("a");
/// assert_eq!(buffer.try_put("b"), Ok(()));
/// assert_eq!(buffer.try_put("c"), Err("c")); // full: the item comes back
/// assert_eq!(buffer.take(), "a");
/// assert_eq!(buffer.try_take(), Some("b"));
/// assert_eq!(buffer.try_take(), None);
/// ```
pub struct BoundedBuffer<T> {
    state: Mutex<State<T>>,
    not_full: Condvar,
    not_empty: Condvar,
    capacity: usize,
}

/// Everything the mutex protects: the items, and who is asleep waiting for a change.
struct State<T> {
    queue: VecDeque<T>,
    /// Producers asleep on `not_full`.
    waiting_to_put: usize,
    /// Consumers asleep on `not_empty`.
    waiting_to_take: usize,
}

impl<T> BoundedBuffer<T> {
    /// Creates an empty buffer that holds at most `capacity` items.
    ///
    /// # Panics
    ///
    /// Panics if `capacity` is 0: such a buffer could never accept an item, so every `put`
    /// would block forever.
    pub fn new(capacity: usize) -> BoundedBuffer<T> {
        assert!(
            capacity > 0,
            "a bounded buffer needs a capacity of at least 1"
        );
        BoundedBuffer {
            state: Mutex::new(State {
                queue: VecDeque::with_capacity(capacity),
                waiting_to_put: 0,
                waiting_to_take: 0,
            }),
            not_full: Condvar::new(),
            not_empty: Condvar::new(),
            capacity,
        }
    }

    /// Adds `item` at the back, first waiting as long as the buffer is full.
    pub fn put(&self, item: T) {
        let mut state = self.lock();
        // `while`, not `if`: after waking, the slot may already be taken again.
        while state.queue.len() == self.capacity {
            state.waiting_to_put += 1;
            state = self.wait(&self.not_full, state);
            state.waiting_to_put -= 1;
        }
        state.queue.push_back(item);
        // A consumer asleep on an empty queue can take this item now.
        if state.waiting_to_take > 0 {
            self.not_empty.notify_one();
        }
    }

    /// Removes and returns the oldest item, first waiting as long as the buffer is empty.
    pub fn take(&self) -> T {
        let mut state = self.lock();
        while state.queue.is_empty() {
            state.waiting_to_take += 1;
            state = self.wait(&self.not_empty, state);
            state.waiting_to_take -= 1;
        }
        let item = state
            .queue
            .pop_front()
            .expect("the loop ends only when the queue is not empty");
        // A producer asleep on a full queue can use the free slot now.
        if state.waiting_to_put > 0 {
            self.not_full.notify_one();
        }
        item
    }

    /// Adds `item` at the back if there is room; otherwise gives it back as `Err(item)`.
    /// Never blocks (beyond taking the lock).
    pub fn try_put(&self, item: T) -> Result<(), T> {
        let mut state = self.lock();
        if state.queue.len() == self.capacity {
            return Err(item);
        }
        state.queue.push_back(item);
        if state.waiting_to_take > 0 {
            self.not_empty.notify_one();
        }
        Ok(())
    }

    /// Removes and returns the oldest item if there is one. Never blocks (beyond taking the
    /// lock).
    pub fn try_take(&self) -> Option<T> {
        let mut state = self.lock();
        let item = state.queue.pop_front()?;
        if state.waiting_to_put > 0 {
            self.not_full.notify_one();
        }
        Some(item)
    }

    /// The number of items held right now. Other threads may change it the moment the lock
    /// is released: use it for reports, never to decide whether to `put` or `take`.
    pub fn len(&self) -> usize {
        self.lock().queue.len()
    }

    /// Whether the buffer holds no items right now (the same caveat as [`len`](Self::len)).
    pub fn is_empty(&self) -> bool {
        self.lock().queue.is_empty()
    }

    /// The most items the buffer ever holds, as given to [`new`](Self::new).
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// Locks the state. Nothing here can panic halfway through changing it, so even a
    /// poisoned lock (some thread panicked while holding it) guards a consistent state and is
    /// safe to keep using.
    fn lock(&self) -> MutexGuard<'_, State<T>> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Sleeps on `condvar` until notified (or woken spuriously), with the lock released
    /// meanwhile and held again on return.
    fn wait<'a>(
        &self,
        condvar: &Condvar,
        state: MutexGuard<'a, State<T>>,
    ) -> MutexGuard<'a, State<T>> {
        condvar.wait(state).unwrap_or_else(PoisonError::into_inner)
    }
}
