#![cfg(kata_loom)]
//! Loom models: every interleaving of a few producers and consumers, with the smallest buffer
//! (capacity 1) so that threads really have to wait for each other.

use bounded_buffer::BoundedBuffer;
use kata_sync::sync::Arc;
use kata_sync::thread;

/// The main thread produces 1 and 2; two consumers take one item each. A consumer woken by
/// `put` may find that the other consumer already took the item (it must wait again), and a
/// wake-up meant for a consumer must never be spent on a producer.
#[test]
fn two_consumers_and_one_producer_get_each_item_exactly_once() {
    kata_sync::model(|| {
        let buffer = Arc::new(BoundedBuffer::new(1));
        let consumers: Vec<_> = (0..2)
            .map(|_| {
                let buffer = Arc::clone(&buffer);
                thread::spawn(move || buffer.take())
            })
            .collect();
        buffer.put(1);
        buffer.put(2);
        let mut taken: Vec<i32> = consumers.into_iter().map(|c| c.join().unwrap()).collect();
        taken.sort_unstable();
        assert_eq!(taken, [1, 2], "each item must be taken exactly once");
        assert!(buffer.is_empty());
    });
}

/// Two producers (one puts 1 then 3, the other puts 2) and the main thread consuming all
/// three items from a buffer of capacity 1. A producer woken by `take` may find that the
/// other producer filled the slot first: it must wait again instead of overfilling.
#[test]
fn two_producers_and_one_consumer_never_overfill_the_buffer() {
    kata_sync::model(|| {
        let buffer = Arc::new(BoundedBuffer::new(1));
        let first = {
            let buffer = Arc::clone(&buffer);
            thread::spawn(move || {
                for item in [1, 3] {
                    buffer.put(item);
                    assert!(buffer.len() <= 1, "a buffer of capacity 1 held 2 items");
                }
            })
        };
        let second = {
            let buffer = Arc::clone(&buffer);
            thread::spawn(move || {
                buffer.put(2);
                assert!(buffer.len() <= 1, "a buffer of capacity 1 held 2 items");
            })
        };
        let taken: Vec<i32> = (0..3).map(|_| buffer.take()).collect();
        first.join().unwrap();
        second.join().unwrap();
        let one = taken.iter().position(|&item| item == 1);
        let three = taken.iter().position(|&item| item == 3);
        assert!(
            one < three,
            "items of one producer came out of order: {taken:?}"
        );
        let mut sorted = taken.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, [1, 2, 3], "items lost or duplicated: {taken:?}");
        assert!(buffer.is_empty());
    });
}

/// One producer puts 1, 2, 3 into a buffer of capacity 1 while the main thread takes three
/// items: each side must wake the other every time.
#[test]
fn one_producer_and_one_consumer_hand_over_three_items_in_order() {
    kata_sync::model(|| {
        let buffer = Arc::new(BoundedBuffer::new(1));
        let producer = {
            let buffer = Arc::clone(&buffer);
            thread::spawn(move || {
                for item in 1..=3 {
                    buffer.put(item);
                }
            })
        };
        let taken: Vec<i32> = (0..3).map(|_| buffer.take()).collect();
        producer.join().unwrap();
        assert_eq!(taken, [1, 2, 3]);
    });
}

/// Two threads call `try_put` on an empty buffer of capacity 1: exactly one of them wins.
#[test]
fn two_try_puts_racing_for_the_last_slot_let_exactly_one_in() {
    kata_sync::model(|| {
        let buffer = Arc::new(BoundedBuffer::new(1));
        let other = {
            let buffer = Arc::clone(&buffer);
            thread::spawn(move || buffer.try_put(2))
        };
        let mine = buffer.try_put(1);
        let theirs = other.join().unwrap();
        match (mine, theirs) {
            (Ok(()), Err(2)) => assert_eq!(buffer.try_take(), Some(1)),
            (Err(1), Ok(())) => assert_eq!(buffer.try_take(), Some(2)),
            outcome => panic!("expected exactly one try_put to succeed, got {outcome:?}"),
        }
        assert_eq!(buffer.len(), 0);
    });
}

/// Two threads call `try_take` on a buffer holding one item: exactly one of them gets it.
#[test]
fn two_try_takes_racing_for_the_last_item_let_exactly_one_out() {
    kata_sync::model(|| {
        let buffer = Arc::new(BoundedBuffer::new(1));
        buffer.put(7);
        let other = {
            let buffer = Arc::clone(&buffer);
            thread::spawn(move || buffer.try_take())
        };
        let mine = buffer.try_take();
        let theirs = other.join().unwrap();
        match (mine, theirs) {
            (Some(7), None) | (None, Some(7)) => {}
            outcome => panic!("expected exactly one try_take to get the item, got {outcome:?}"),
        }
        assert!(buffer.is_empty());
    });
}

/// A consumer blocked in `take` on an empty buffer is woken by a `try_put`.
#[test]
fn try_put_wakes_a_consumer_blocked_in_take() {
    kata_sync::model(|| {
        let buffer = Arc::new(BoundedBuffer::new(1));
        let consumer = {
            let buffer = Arc::clone(&buffer);
            thread::spawn(move || buffer.take())
        };
        assert_eq!(
            buffer.try_put(5),
            Ok(()),
            "try_put on an empty buffer must succeed"
        );
        assert_eq!(consumer.join().unwrap(), 5);
    });
}

/// A producer blocked in `put` on a full buffer is woken by a `try_take`.
#[test]
fn try_take_wakes_a_producer_blocked_in_put() {
    kata_sync::model(|| {
        let buffer = Arc::new(BoundedBuffer::new(1));
        buffer.put(1);
        let producer = {
            let buffer = Arc::clone(&buffer);
            thread::spawn(move || buffer.put(2))
        };
        assert_eq!(
            buffer.try_take(),
            Some(1),
            "only this thread takes, so 1 is there"
        );
        producer.join().unwrap();
        assert_eq!(buffer.try_take(), Some(2));
    });
}
