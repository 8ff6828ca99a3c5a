//! `std::sync::mpsc` for loom models, built on loom's mutex and condvar.
//!
//! loom 0.7.2's own `loom::sync::mpsc` cannot stand in for std's: its `Receiver::recv` blocks
//! on an empty channel even when every `Sender` is gone (it has no notion of disconnection),
//! `recv_timeout` is `unimplemented!()`, and there is no `sync_channel`. The Rust Book's thread
//! pool (workers loop on `recv` until it fails, the pool drops its `Sender` and joins them)
//! therefore deadlocks under loom although it is correct.
//!
//! This channel has std's semantics:
//!
//! - `recv` returns `Err(RecvError)` once the queue is empty and every sender is gone; queued
//!   messages are still delivered first.
//! - `send` returns `Err(SendError(t))` (giving `t` back) once the receiver is gone; messages
//!   still queued when the receiver is dropped are dropped with it.
//! - `sync_channel(n)`: `send` blocks while `n` messages are queued; `sync_channel(0)` is a
//!   rendezvous: `send` returns only once the receiver has taken the message, `try_send`
//!   succeeds only while the receiver is waiting in `recv`.
//! - `recv_timeout` may time out at once, like every timed wait under loom (see
//!   [`Condvar::wait_timeout`](super::Condvar::wait_timeout)).
//!
//! Every operation locks one loom `Mutex` and waits on loom `Condvar`s, so loom explores the
//! interleavings of sends and receives like those of any other lock.

use std::cell::Cell;
use std::collections::VecDeque;
use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;

pub use std::sync::mpsc::{RecvError, RecvTimeoutError, SendError, TryRecvError, TrySendError};

use super::{Condvar, Mutex, MutexGuard};
use crate::loom_mode::spin::SpinWatch;

/// What the senders and the receiver share. A std `Arc` holds it: its reference count is
/// bookkeeping only, every access to the state goes through the loom mutex.
struct Channel<T> {
    state: Mutex<State<T>>,
    /// The receiver waits here for a message or for the last sender to leave.
    readable: Condvar,
    /// Senders of a `sync_channel` wait here for room, for their rendezvous message to be
    /// taken, or for the receiver to leave.
    writable: Condvar,
    /// `None`: unbounded (`channel`); `Some(n)`: `sync_channel(n)`, `Some(0)` a rendezvous.
    bound: Option<usize>,
    /// Makes a thread that polls `try_recv` (or `try_send`) in a busy loop yield (see
    /// `SpinWatch`).
    spin: SpinWatch,
}

struct State<T> {
    queue: VecDeque<T>,
    /// Live `Sender`s or `SyncSender`s.
    senders: usize,
    receiver_alive: bool,
    /// Whether the receiver is inside `recv` or `recv_timeout` (what a rendezvous `try_send`
    /// needs to succeed).
    receiver_waiting: bool,
    /// Messages ever taken by the receiver: a rendezvous sender waits until its message
    /// (number `pushed` at the time it was queued) is taken.
    taken: u64,
    pushed: u64,
}

impl<T> Channel<T> {
    fn new(bound: Option<usize>) -> Arc<Channel<T>> {
        Arc::new(Channel {
            state: Mutex::new(State {
                queue: VecDeque::new(),
                senders: 1,
                receiver_alive: true,
                receiver_waiting: false,
                taken: 0,
                pushed: 0,
            }),
            readable: Condvar::new(),
            writable: Condvar::new(),
            bound,
            spin: SpinWatch::default(),
        })
    }

    #[track_caller]
    fn lock(&self) -> MutexGuard<'_, State<T>> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Queues `t` (the caller checked that the receiver is alive and that there is room) and
    /// wakes the receiver. Returns the message's number.
    fn push(&self, state: &mut State<T>, t: T) -> u64 {
        state.queue.push_back(t);
        state.pushed += 1;
        self.spin.changed();
        self.readable.notify_one();
        state.pushed
    }

    /// Takes the oldest message, waking a sender waiting for room (or for this rendezvous).
    fn pop(&self, state: &mut State<T>) -> Option<T> {
        let t = state.queue.pop_front()?;
        state.taken += 1;
        self.spin.changed();
        match self.bound {
            None => {}
            // The waiting senders may wait for different things (room, or their own message
            // to be taken): wake them all, each checks its own condition.
            Some(0) => self.writable.notify_all(),
            Some(_) => self.writable.notify_one(),
        }
        Some(t)
    }

    #[track_caller]
    fn add_sender(&self) {
        self.lock().senders += 1;
    }

    #[track_caller]
    fn drop_sender(&self) {
        let mut state = self.lock();
        state.senders -= 1;
        if state.senders == 0 {
            // The receiver may be blocked in `recv`: it must wake up to see the disconnection.
            self.readable.notify_all();
        }
    }

    #[track_caller]
    fn send_blocking(&self, t: T) -> Result<(), SendError<T>> {
        let capacity = self.bound.map_or(usize::MAX, |n| n.max(1));
        let mut state = self.lock();
        loop {
            if !state.receiver_alive {
                return Err(SendError(t));
            }
            if state.queue.len() < capacity {
                break;
            }
            state = self.writable.wait(state).unwrap_or_else(|p| p.into_inner());
        }
        let number = self.push(&mut state, t);
        if self.bound == Some(0) {
            // Rendezvous: return only once the receiver has taken this very message.
            loop {
                if state.taken >= number {
                    return Ok(());
                }
                if !state.receiver_alive {
                    // The receiver left without taking it: it is still the only message in
                    // the queue (a rendezvous queue holds one message at a time), so take it
                    // back, as std's `send` gives an undelivered message back.
                    let t = state
                        .queue
                        .pop_back()
                        .expect("kata_sync: rendezvous message vanished");
                    return Err(SendError(t));
                }
                state = self.writable.wait(state).unwrap_or_else(|p| p.into_inner());
            }
        }
        Ok(())
    }
}

/// Creates an unbounded channel: `send` never blocks.
#[track_caller]
pub fn channel<T>() -> (Sender<T>, Receiver<T>) {
    let channel = Channel::new(None);
    (
        Sender {
            channel: Arc::clone(&channel),
        },
        Receiver::new(channel),
    )
}

/// Creates a channel holding at most `bound` messages: `send` blocks while it is full.
/// `bound == 0` makes a rendezvous channel: `send` blocks until the receiver takes the
/// message.
#[track_caller]
pub fn sync_channel<T>(bound: usize) -> (SyncSender<T>, Receiver<T>) {
    let channel = Channel::new(Some(bound));
    (
        SyncSender {
            channel: Arc::clone(&channel),
        },
        Receiver::new(channel),
    )
}

/// The sending half of a [`channel`]. Clone it for more producers.
pub struct Sender<T> {
    channel: Arc<Channel<T>>,
}

impl<T> Sender<T> {
    /// Queues `t` without blocking; `Err(SendError(t))` if the receiver is gone.
    #[track_caller]
    pub fn send(&self, t: T) -> Result<(), SendError<T>> {
        self.channel.send_blocking(t)
    }
}

impl<T> Clone for Sender<T> {
    #[track_caller]
    fn clone(&self) -> Sender<T> {
        self.channel.add_sender();
        Sender {
            channel: Arc::clone(&self.channel),
        }
    }
}

impl<T> Drop for Sender<T> {
    #[track_caller]
    fn drop(&mut self) {
        self.channel.drop_sender();
    }
}

impl<T> fmt::Debug for Sender<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sender").finish_non_exhaustive()
    }
}

/// The sending half of a [`sync_channel`]. Clone it for more producers.
pub struct SyncSender<T> {
    channel: Arc<Channel<T>>,
}

impl<T> SyncSender<T> {
    /// Queues `t`, blocking while the channel is full (for a rendezvous channel: until the
    /// receiver has taken it); `Err(SendError(t))` if the receiver is gone.
    #[track_caller]
    pub fn send(&self, t: T) -> Result<(), SendError<T>> {
        self.channel.send_blocking(t)
    }

    /// Queues `t` only if that needs no waiting: `Err(Full(t))` if the channel is full (for a
    /// rendezvous channel: if the receiver is not waiting in `recv`), `Err(Disconnected(t))`
    /// if the receiver is gone.
    #[track_caller]
    pub fn try_send(&self, t: T) -> Result<(), TrySendError<T>> {
        let channel = &*self.channel;
        let mut state = channel.lock();
        if !state.receiver_alive {
            return Err(TrySendError::Disconnected(t));
        }
        let room = match channel.bound {
            Some(0) => state.receiver_waiting && state.queue.is_empty(),
            Some(n) => state.queue.len() < n,
            None => true,
        };
        if !room {
            drop(state);
            channel.spin.observed(1);
            return Err(TrySendError::Full(t));
        }
        channel.push(&mut state, t);
        Ok(())
    }
}

impl<T> Clone for SyncSender<T> {
    #[track_caller]
    fn clone(&self) -> SyncSender<T> {
        self.channel.add_sender();
        SyncSender {
            channel: Arc::clone(&self.channel),
        }
    }
}

impl<T> Drop for SyncSender<T> {
    #[track_caller]
    fn drop(&mut self) {
        self.channel.drop_sender();
    }
}

impl<T> fmt::Debug for SyncSender<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SyncSender").finish_non_exhaustive()
    }
}

/// The receiving half of a [`channel`] or [`sync_channel`].
///
/// `Send` but not `Sync`, like std's: share it between threads as `Arc<Mutex<Receiver<T>>>`.
pub struct Receiver<T> {
    channel: Arc<Channel<T>>,
    _not_sync: PhantomData<Cell<()>>,
}

impl<T> Receiver<T> {
    fn new(channel: Arc<Channel<T>>) -> Receiver<T> {
        Receiver {
            channel,
            _not_sync: PhantomData,
        }
    }

    /// Blocks until a message arrives (`Ok`) or the queue is empty and every sender is gone
    /// (`Err(RecvError)`).
    #[track_caller]
    pub fn recv(&self) -> Result<T, RecvError> {
        let channel = &*self.channel;
        let mut state = channel.lock();
        loop {
            if let Some(t) = channel.pop(&mut state) {
                return Ok(t);
            }
            if state.senders == 0 {
                return Err(RecvError);
            }
            state.receiver_waiting = true;
            state = channel
                .readable
                .wait(state)
                .unwrap_or_else(|p| p.into_inner());
            state.receiver_waiting = false;
        }
    }

    /// A message if one is queued (`Ok`); otherwise `Err(Empty)`, or `Err(Disconnected)` if
    /// every sender is gone.
    #[track_caller]
    pub fn try_recv(&self) -> Result<T, TryRecvError> {
        let channel = &*self.channel;
        let mut state = channel.lock();
        if let Some(t) = channel.pop(&mut state) {
            return Ok(t);
        }
        if state.senders == 0 {
            Err(TryRecvError::Disconnected)
        } else {
            drop(state);
            channel.spin.observed(0);
            Err(TryRecvError::Empty)
        }
    }

    /// Like [`recv`](Receiver::recv), but gives up with `Err(Timeout)` when `timeout` has
    /// passed. Under loom the timeout may pass at once: the receiver lets the other threads
    /// run once, then takes a message if one came, else reports `Timeout` (or
    /// `Disconnected`).
    #[track_caller]
    pub fn recv_timeout(&self, timeout: Duration) -> Result<T, RecvTimeoutError> {
        let channel = &*self.channel;
        let mut state = channel.lock();
        if let Some(t) = channel.pop(&mut state) {
            return Ok(t);
        }
        if state.senders == 0 {
            return Err(RecvTimeoutError::Disconnected);
        }
        state.receiver_waiting = true;
        let (mut state, _) = channel
            .readable
            .wait_timeout(state, timeout)
            .unwrap_or_else(|p| p.into_inner());
        state.receiver_waiting = false;
        if let Some(t) = channel.pop(&mut state) {
            return Ok(t);
        }
        if state.senders == 0 {
            Err(RecvTimeoutError::Disconnected)
        } else {
            Err(RecvTimeoutError::Timeout)
        }
    }

    /// An iterator that blocks for each message and ends when the channel disconnects.
    pub fn iter(&self) -> Iter<'_, T> {
        Iter { rx: self }
    }

    /// An iterator over the messages already queued; it never blocks.
    pub fn try_iter(&self) -> TryIter<'_, T> {
        TryIter { rx: self }
    }
}

impl<T> Drop for Receiver<T> {
    #[track_caller]
    fn drop(&mut self) {
        let channel = &*self.channel;
        let mut state = channel.lock();
        state.receiver_alive = false;
        // std drops the queued messages when the receiver goes. A rendezvous message stays:
        // its sender, blocked in `send`, takes it back.
        let discarded = if channel.bound == Some(0) {
            VecDeque::new()
        } else {
            std::mem::take(&mut state.queue)
        };
        if channel.bound.is_some() {
            channel.writable.notify_all();
        }
        drop(state);
        // Dropped outside the lock: a message's own `Drop` may use this channel.
        drop(discarded);
    }
}

impl<T> fmt::Debug for Receiver<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Receiver").finish_non_exhaustive()
    }
}

/// Blocking iterator over a [`Receiver`]'s messages: see [`Receiver::iter`].
#[derive(Debug)]
pub struct Iter<'a, T: 'a> {
    rx: &'a Receiver<T>,
}

impl<T> Iterator for Iter<'_, T> {
    type Item = T;

    fn next(&mut self) -> Option<T> {
        self.rx.recv().ok()
    }
}

/// Non-blocking iterator over a [`Receiver`]'s queued messages: see [`Receiver::try_iter`].
#[derive(Debug)]
pub struct TryIter<'a, T: 'a> {
    rx: &'a Receiver<T>,
}

impl<T> Iterator for TryIter<'_, T> {
    type Item = T;

    fn next(&mut self) -> Option<T> {
        self.rx.try_recv().ok()
    }
}

/// Owning blocking iterator over a [`Receiver`]'s messages (`for msg in rx`).
#[derive(Debug)]
pub struct IntoIter<T> {
    rx: Receiver<T>,
}

impl<T> Iterator for IntoIter<T> {
    type Item = T;

    fn next(&mut self) -> Option<T> {
        self.rx.recv().ok()
    }
}

impl<'a, T> IntoIterator for &'a Receiver<T> {
    type Item = T;
    type IntoIter = Iter<'a, T>;

    fn into_iter(self) -> Iter<'a, T> {
        self.iter()
    }
}

impl<T> IntoIterator for Receiver<T> {
    type Item = T;
    type IntoIter = IntoIter<T>;

    fn into_iter(self) -> IntoIter<T> {
        IntoIter { rx: self }
    }
}
