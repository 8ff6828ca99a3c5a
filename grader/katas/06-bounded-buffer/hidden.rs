//! Hidden tests for the bounded buffer.

use std::cell::Cell;
use std::collections::VecDeque;
use std::marker::PhantomData;

use bounded_buffer::BoundedBuffer;
use kata_sync::sync::atomic::{AtomicUsize, Ordering};
use kata_sync::sync::{Arc, Barrier};
use kata_sync::thread;

#[test]
fn a_put_blocked_on_a_full_buffer_is_woken_by_a_take() {
    let buffer = Arc::new(BoundedBuffer::new(2));
    buffer.put(1);
    buffer.put(2);
    let both_running = Arc::new(Barrier::new(2));
    let producer = {
        let buffer = Arc::clone(&buffer);
        let both_running = Arc::clone(&both_running);
        thread::spawn(move || {
            both_running.wait();
            buffer.put(3); // full: waits until the main thread takes
        })
    };
    both_running.wait();
    assert_eq!(buffer.take(), 1);
    producer.join().unwrap();
    assert_eq!(buffer.len(), 2);
    assert_eq!(buffer.take(), 2);
    assert_eq!(buffer.take(), 3);
}

#[test]
fn takes_blocked_on_an_empty_buffer_are_woken_by_puts() {
    let buffer = Arc::new(BoundedBuffer::new(2));
    let all_running = Arc::new(Barrier::new(3));
    let consumers: Vec<_> = (0..2)
        .map(|_| {
            let buffer = Arc::clone(&buffer);
            let all_running = Arc::clone(&all_running);
            thread::spawn(move || {
                all_running.wait();
                buffer.take() // empty: waits until the main thread puts
            })
        })
        .collect();
    all_running.wait();
    buffer.put(1);
    buffer.put(2);
    let mut taken: Vec<i32> = consumers.into_iter().map(|c| c.join().unwrap()).collect();
    taken.sort_unstable();
    assert_eq!(taken, [1, 2]);
    assert!(buffer.is_empty());
}

#[test]
fn try_put_on_a_full_buffer_returns_the_item_at_once() {
    for capacity in 1..=5 {
        let buffer = BoundedBuffer::new(capacity);
        for item in 0..capacity {
            buffer.put(item);
        }
        // A try_put that waits for room hangs here.
        assert_eq!(buffer.try_put(100), Err(100), "capacity {capacity}: full");
        assert_eq!(
            buffer.try_put(101),
            Err(101),
            "capacity {capacity}: still full"
        );
        assert_eq!(buffer.len(), capacity);
        assert_eq!(buffer.try_take(), Some(0));
        assert_eq!(
            buffer.try_put(102),
            Ok(()),
            "capacity {capacity}: one slot free"
        );
        assert_eq!(
            buffer.try_put(103),
            Err(103),
            "capacity {capacity}: full again"
        );
    }
}

#[test]
fn try_take_on_an_empty_buffer_returns_none_at_once() {
    let buffer = BoundedBuffer::new(3);
    for round in 0..5 {
        assert_eq!(buffer.try_take(), None, "round {round}: empty");
        buffer.put(round);
        buffer.put(round + 10);
        assert_eq!(buffer.try_take(), Some(round));
        assert_eq!(buffer.take(), round + 10);
        // A try_take that waits for an item hangs here.
        assert_eq!(buffer.try_take(), None, "round {round}: empty again");
    }
}

#[test]
fn holds_exactly_capacity_items_for_capacities_1_to_16() {
    for capacity in 1..=16 {
        let buffer = BoundedBuffer::new(capacity);
        assert_eq!(buffer.capacity(), capacity);
        let accepted = (0..capacity + 3)
            .take_while(|&item| buffer.try_put(item).is_ok())
            .count();
        assert_eq!(
            accepted, capacity,
            "a buffer of capacity {capacity} accepted {accepted} items"
        );
        assert_eq!(buffer.len(), capacity);
        let taken: Vec<usize> = (0..capacity).map(|_| buffer.take()).collect();
        assert_eq!(taken, (0..capacity).collect::<Vec<_>>());
        assert!(buffer.is_empty());
    }
}

#[test]
fn fifo_order_survives_the_queue_wrapping_around() {
    let buffer = BoundedBuffer::new(3);
    let mut model = VecDeque::new();
    let mut next = 0;
    // Put up to 2, take 1, and drain every 7th round: the queue's start moves all around.
    for round in 0..60 {
        for _ in 0..2 {
            if model.len() < 3 {
                buffer.put(next);
                model.push_back(next);
                next += 1;
            }
        }
        assert_eq!(Some(buffer.take()), model.pop_front(), "round {round}");
        if round % 7 == 6 {
            while let Some(expected) = model.pop_front() {
                assert_eq!(buffer.try_take(), Some(expected), "round {round}: draining");
            }
        }
        assert_eq!(buffer.len(), model.len(), "round {round}");
    }
}

#[test]
fn four_producers_and_four_consumers_lose_and_duplicate_nothing() {
    const PRODUCERS: usize = 4;
    const CONSUMERS: usize = 4;
    const PER_PRODUCER: usize = 2_000;
    const CAPACITY: usize = 3;
    let buffer = Arc::new(BoundedBuffer::new(CAPACITY));
    let start = Arc::new(Barrier::new(PRODUCERS + CONSUMERS));
    let producers: Vec<_> = (0..PRODUCERS)
        .map(|producer| {
            let buffer = Arc::clone(&buffer);
            let start = Arc::clone(&start);
            thread::spawn(move || {
                start.wait();
                for seq in 0..PER_PRODUCER {
                    buffer.put((producer, seq));
                }
            })
        })
        .collect();
    let consumers: Vec<_> = (0..CONSUMERS)
        .map(|_| {
            let buffer = Arc::clone(&buffer);
            let start = Arc::clone(&start);
            thread::spawn(move || {
                start.wait();
                let mut taken = Vec::with_capacity(PER_PRODUCER);
                for _ in 0..PRODUCERS * PER_PRODUCER / CONSUMERS {
                    taken.push(buffer.take());
                    let len = buffer.len();
                    assert!(
                        len <= CAPACITY,
                        "a buffer of capacity {CAPACITY} held {len}"
                    );
                }
                taken
            })
        })
        .collect();
    // Consumers first: if one fails an assertion, this test fails at once instead of waiting
    // forever for producers that nobody consumes from any more.
    let mut seen = vec![vec![false; PER_PRODUCER]; PRODUCERS];
    for consumer in consumers {
        let taken = consumer.join().unwrap();
        // Each consumer sees every producer's items in the order they were put.
        let mut last = [None; PRODUCERS];
        for (producer, seq) in taken {
            assert!(
                last[producer] < Some(seq),
                "producer {producer}'s items out of order"
            );
            last[producer] = Some(seq);
            assert!(
                !seen[producer][seq],
                "item {seq} of producer {producer} taken twice"
            );
            seen[producer][seq] = true;
        }
    }
    for producer in producers {
        producer.join().unwrap();
    }
    assert!(
        seen.iter().flatten().all(|&taken| taken),
        "some items were never taken"
    );
    assert!(buffer.is_empty());
}

/// `Probe::<T>::SEND_SYNC` is `true` when `T: Send + Sync`: the inherent constant wins when
/// its bound holds, the trait's fallback otherwise. So a missing impl fails this one check at
/// run time instead of stopping every hidden test from compiling.
struct Probe<T>(PhantomData<T>);
#[allow(dead_code)] // only used when the bound fails
trait NotSendSync {
    const SEND_SYNC: bool = false;
}
impl<T> NotSendSync for Probe<T> {}
impl<T: Send + Sync> Probe<T> {
    const SEND_SYNC: bool = true;
}

#[test]
fn the_buffer_can_be_shared_between_threads_whenever_its_items_can_be_sent() {
    let send_sync = [
        ("BoundedBuffer<u64>", <Probe<BoundedBuffer<u64>>>::SEND_SYNC),
        (
            "BoundedBuffer<String>",
            <Probe<BoundedBuffer<String>>>::SEND_SYNC,
        ),
        // Cell<u8> is Send but not Sync: the buffer only moves items between threads, it
        // never shares one, so it must still be Sync (Mutex<T> is Sync when T: Send).
        (
            "BoundedBuffer<Cell<u8>>",
            <Probe<BoundedBuffer<Cell<u8>>>>::SEND_SYNC,
        ),
    ];
    for (buffer_type, is_send_sync) in send_sync {
        assert!(
            is_send_sync,
            "{buffer_type} must be Send + Sync (items that are Send are enough)"
        );
    }
    let buffer = BoundedBuffer::new(1);
    buffer.put(Cell::new(5));
    assert_eq!(buffer.take().get(), 5);
}

#[test]
fn every_item_is_dropped_exactly_once() {
    struct Counted(Arc<AtomicUsize>);
    impl Drop for Counted {
        fn drop(&mut self) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }
    let drops = Arc::new(AtomicUsize::new(0));
    let item = || Counted(Arc::clone(&drops));
    let buffer = BoundedBuffer::new(4);
    for _ in 0..4 {
        buffer.put(item());
    }
    drop(buffer.take());
    drop(buffer.try_take());
    assert_eq!(
        drops.load(Ordering::SeqCst),
        2,
        "the 2 items taken, once each"
    );
    assert!(buffer.try_put(item()).is_ok());
    assert!(buffer.try_put(item()).is_ok());
    let refused = buffer.try_put(item());
    assert!(refused.is_err(), "the buffer is full");
    drop(refused); // the refused item came back to this caller
    assert_eq!(drops.load(Ordering::SeqCst), 3, "the refused item, once");
    drop(buffer); // 4 items still inside
    assert_eq!(
        drops.load(Ordering::SeqCst),
        7,
        "dropping the buffer drops what it holds"
    );
}
