//! mutant: try_take pops the item without notifying not_full, so a producer already waiting in put sleeps forever
//! caught-by: loom:try_take_wakes_a_producer_blocked_in_put

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
    queue: Mutex<VecDeque<T>>,
    not_full: Condvar,
    not_empty: Condvar,
    capacity: usize,
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
            queue: Mutex::new(VecDeque::with_capacity(capacity)),
            not_full: Condvar::new(),
            not_empty: Condvar::new(),
            capacity,
        }
    }

    /// Adds `item` at the back, first waiting as long as the buffer is full.
    pub fn put(&self, item: T) {
        let queue = self.lock();
        let mut queue = self
            .not_full
            .wait_while(queue, |queue| queue.len() == self.capacity)
            .unwrap_or_else(PoisonError::into_inner);
        queue.push_back(item);
        // Wake one consumer (if any is waiting): it can now take the item.
        self.not_empty.notify_one();
    }

    /// Removes and returns the oldest item, first waiting as long as the buffer is empty.
    pub fn take(&self) -> T {
        let queue = self.lock();
        let mut queue = self
            .not_empty
            .wait_while(queue, |queue| queue.is_empty())
            .unwrap_or_else(PoisonError::into_inner);
        let item = queue
            .pop_front()
            .expect("wait_while returned, so the queue is not empty");
        // Wake one producer (if any is waiting): there is a free slot now.
        self.not_full.notify_one();
        item
    }

    /// Adds `item` at the back if there is room; otherwise gives it back as `Err(item)`.
    /// Never blocks (beyond taking the lock).
    pub fn try_put(&self, item: T) -> Result<(), T> {
        let mut queue = self.lock();
        if queue.len() == self.capacity {
            return Err(item);
        }
        queue.push_back(item);
        self.not_empty.notify_one();
        Ok(())
    }

    /// Removes and returns the oldest item if there is one. Never blocks (beyond taking the
    /// lock).
    pub fn try_take(&self) -> Option<T> {
        self.lock().pop_front()
    }

    /// The number of items held right now. Other threads may change it the moment the lock
    /// is released: use it for reports, never to decide whether to `put` or `take`.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Whether the buffer holds no items right now (the same caveat as [`len`](Self::len)).
    pub fn is_empty(&self) -> bool {
        self.lock().is_empty()
    }

    /// The most items the buffer ever holds, as given to [`new`](Self::new).
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// Locks the queue. Nothing here can panic halfway through changing the queue, so even
    /// a poisoned lock (some thread panicked while holding it) guards a consistent queue and
    /// is safe to keep using.
    fn lock(&self) -> MutexGuard<'_, VecDeque<T>> {
        self.queue.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
