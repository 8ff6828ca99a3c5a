//! # Kata 06: the bounded buffer (producers and consumers)
//!
//! Build a first-in, first-out queue that holds at most `capacity` items and that any number
//! of producer threads and consumer threads can use at once. Read `README.md` first.
//!
//! What the grader checks, with many producers and consumers:
//!
//! - nothing is lost and nothing is taken twice;
//! - the items of one producer come out in the order that producer put them;
//! - the buffer never holds more than `capacity` items;
//! - `put` waits while the buffer is full, `take` waits while it is empty, and each is woken
//!   as soon as the other side makes room or brings an item;
//! - `try_put` and `try_take` never wait.
//!
//! The usual shape of the answer is one `Mutex` that owns a `VecDeque<T>`, plus two `Condvar`s:
//! `not_full` (producers wait on it) and `not_empty` (consumers wait on it).
//!
//! Import the primitives from `kata_sync` (as below), not from `std::sync`: it is the same
//! `std` in a normal build, and lets the grader swap in [loom](https://docs.rs/loom) to try
//! every interleaving of your code. (`std::collections::VecDeque` is fine.)

#![allow(unused_imports)] // remove this line once you use the imports

use std::collections::VecDeque;
use std::marker::PhantomData;

use kata_sync::sync::{Condvar, Mutex};

/// A first-in, first-out queue that holds at most `capacity` items, shared by many threads.
///
/// Every method takes `&self`, so threads share one buffer through an `Arc`. The buffer must
/// be `Send` and `Sync` whenever `T: Send` (it only ever *moves* items from one thread to
/// another, it never lets two threads look at the same item). A `Mutex<VecDeque<T>>` gives
/// you exactly that; `Rc`, `Cell` or `RefCell` fields would not.
///
/// ```ignore
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
    // TODO: replace this placeholder with your fields, for example:
    //     queue: Mutex<VecDeque<T>>,   // the items, and the lock that guards every check
    //     not_full: Condvar,           // producers wait here while the queue is full
    //     not_empty: Condvar,          // consumers wait here while the queue is empty
    //     capacity: usize,
    _replace_me: PhantomData<T>,
}

impl<T> BoundedBuffer<T> {
    /// Creates an empty buffer that holds at most `capacity` items.
    ///
    /// # Panics
    ///
    /// Panics if `capacity` is 0 (such a buffer could never accept anything, so every `put`
    /// would wait forever). `assert!(capacity > 0, "...")` does it.
    pub fn new(capacity: usize) -> BoundedBuffer<T> {
        let _ = capacity;
        todo!()
    }

    /// Adds `item` at the back, first waiting as long as the buffer is full.
    ///
    /// Check and act under **one** lock: "is there room?" and `push_back` must happen without
    /// releasing the mutex in between, or another producer can take the last slot between
    /// your check and your push (the bug in the Python notes' first `Buffer`).
    ///
    /// Wait in a **loop**, never with a single `if`:
    ///
    /// ```ignore
    /// // WRONG: after waking up, another producer may already have filled the slot again
    /// if queue.len() == self.capacity {
    ///     queue = self.not_full.wait(queue).unwrap();
    /// }
    /// queue.push_back(item); // can overfill the buffer
    /// ```
    ///
    /// `while queue.len() == self.capacity { queue = self.not_full.wait(queue).unwrap(); }`
    /// re-checks after every wake-up; `Condvar::wait_while` writes that loop for you. When
    /// the item is in, wake one waiting consumer (`notify_one` on the consumers' condvar).
    pub fn put(&self, item: T) {
        let _ = item;
        todo!()
    }

    /// Removes and returns the oldest item (first in, first out), first waiting as long as
    /// the buffer is empty.
    ///
    /// The mirror image of [`put`](Self::put): wait in a loop while the queue is empty, take
    /// from the *front*, then wake one waiting producer: there is a free slot now.
    ///
    /// If producers and consumers wait on the **same** condvar, `notify_one` may wake a thread
    /// of your own side (a consumer waking a consumer), which goes back to sleep, and then
    /// nobody is left to wake the thread that could have made progress: everyone sleeps
    /// forever. Use one condvar per side, or `notify_all`.
    pub fn take(&self) -> T {
        todo!()
    }

    /// Adds `item` at the back if there is room and returns `Ok(())`; if the buffer is full,
    /// gives the item back as `Err(item)` **at once**. It never waits for room.
    ///
    /// This is the Python notes' `put(item, block=False)`, done right: the notes checked
    /// `if self.buffer.not_full:` first, but `not_full` is a `Condition` object, which is
    /// always truthy, so that `if` checked nothing and `put` raised `queue.Full` anyway. Even
    /// a real check would not help if it took the lock separately from the push: look at
    /// the length and push under the same lock. Remember to wake a waiting consumer.
    pub fn try_put(&self, item: T) -> Result<(), T> {
        let _ = item;
        todo!()
    }

    /// Removes and returns the oldest item if there is one, or `None` at once if the buffer
    /// is empty. It never waits.
    ///
    /// `if !self.is_empty() { ...pop_front().unwrap() }` with two lock sections has the same
    /// check-then-act race as above (two consumers both see the last item): pop under one
    /// lock and let `pop_front`'s `Option` tell you. Remember to wake a waiting producer.
    pub fn try_take(&self) -> Option<T> {
        todo!()
    }

    /// The number of items held right now.
    ///
    /// Another thread may change it as soon as the lock is released, so use it for reports
    /// and tests, never to decide whether to put or take (that is check-then-act again).
    pub fn len(&self) -> usize {
        todo!()
    }

    /// Whether the buffer holds no items right now (the same caveat as [`len`](Self::len)).
    pub fn is_empty(&self) -> bool {
        todo!()
    }

    /// The most items the buffer ever holds, as given to [`new`](Self::new).
    pub fn capacity(&self) -> usize {
        todo!()
    }
}
