//! `Barrier`, built on loom's mutex and condvar.
//!
//! loom 0.7.2's own `loom::sync::Barrier` is a stub: `Barrier::new` panics with
//! "std::sync::Barrier is not supported yet in Loom." (see its `src/sync/barrier.rs`), so a
//! model of any code that creates a barrier would fail. This one is std's algorithm (a count
//! and a generation number under a mutex, a condvar to wait on), so it is reusable like std's
//! and loom explores every operation it makes.

use std::fmt;

use super::{Condvar, Mutex};

/// Lets `n` threads wait for each other: the `n`-th call to [`wait`](Barrier::wait) releases
/// them all. Reusable: the next `n` calls form the next round.
pub struct Barrier {
    state: Mutex<BarrierState>,
    all_arrived: Condvar,
    num_threads: usize,
}

struct BarrierState {
    /// Threads waiting in the current round.
    count: usize,
    /// Which round this is; a waiter leaves when it changes.
    generation: usize,
}

/// What [`Barrier::wait`] returns: exactly one thread per round is the leader.
pub struct BarrierWaitResult(bool);

impl BarrierWaitResult {
    /// `true` for exactly one thread of each round (the last to arrive, as in std).
    pub fn is_leader(&self) -> bool {
        self.0
    }
}

impl fmt::Debug for BarrierWaitResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BarrierWaitResult")
            .field("is_leader", &self.is_leader())
            .finish()
    }
}

impl Barrier {
    /// A barrier for `n` threads. As in std, `n == 0` behaves like `n == 1` (nobody waits).
    ///
    /// Not a `const fn` under loom (loom's objects exist only inside a model run).
    #[track_caller]
    pub fn new(n: usize) -> Barrier {
        Barrier {
            state: Mutex::new(BarrierState {
                count: 0,
                generation: 0,
            }),
            all_arrived: Condvar::new(),
            num_threads: n,
        }
    }

    /// Blocks until `n` threads have called `wait` in this round; the last one to arrive is
    /// the leader and wakes the others.
    #[track_caller]
    pub fn wait(&self) -> BarrierWaitResult {
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        let my_generation = state.generation;
        state.count += 1;
        if state.count < self.num_threads {
            // Wait for the leader to start the next generation. Comparing generations rather
            // than counts keeps a fast thread that already re-entered `wait` for the next round
            // from being mistaken for one of this round.
            let _state = self
                .all_arrived
                .wait_while(state, |s| s.generation == my_generation)
                .unwrap_or_else(|p| p.into_inner());
            BarrierWaitResult(false)
        } else {
            state.count = 0;
            state.generation = state.generation.wrapping_add(1);
            self.all_arrived.notify_all();
            BarrierWaitResult(true)
        }
    }
}

impl fmt::Debug for Barrier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Barrier").finish_non_exhaustive()
    }
}
