//! mutant: producers and consumers wait on one shared condvar and each side wakes only one waiter (notify_one), so a wake-up can go to a thread of the same side and everyone ends up asleep
//! caught-by: loom:two_consumers_and_one_producer_get_each_item_exactly_once, loom:two_producers_and_one_consumer_never_overfill_the_buffer

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
    changed: Condvar,
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
            changed: Condvar::new(),
            capacity,
        }
    }

    /// Adds `item` at the back, first waiting as long as the buffer is full.
    pub fn put(&self, item: T) {
        let queue = self.lock();
        let mut queue = self
            .changed
            .wait_while(queue, |queue| queue.len() == self.capacity)
            .unwrap_or_else(PoisonError::into_inner);
        queue.push_back(item);
        self.changed.notify_one();
    }

    /// Removes and returns the oldest item, first waiting as long as the buffer is empty.
    pub fn take(&self) -> T {
        let queue = self.lock();
        let mut queue = self
            .changed
            .wait_while(queue, |queue| queue.is_empty())
            .unwrap_or_else(PoisonError::into_inner);
        let item = queue
            .pop_front()
            .expect("wait_while returned, so the queue is not empty");
        self.changed.notify_one();
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
        self.changed.notify_one();
        Ok(())
    }

    /// Removes and returns the oldest item if there is one. Never blocks (beyond taking the
    /// lock).
    pub fn try_take(&self) -> Option<T> {
        let item = self.lock().pop_front()?;
        self.changed.notify_one();
        Some(item)
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
