//! Properties of the bounded buffer, checked on random cases.

use std::collections::VecDeque;

use bounded_buffer::BoundedBuffer;
use kata_sync::sync::{Arc, Barrier};
use kata_sync::thread;
use proptest::prelude::*;

#[derive(Clone, Debug)]
enum Op {
    TryPut(u8),
    TryTake,
    Put(u8),
    Take,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => any::<u8>().prop_map(Op::TryPut),
        3 => Just(Op::TryTake),
        1 => any::<u8>().prop_map(Op::Put),
        1 => Just(Op::Take),
    ]
}

proptest! {
    /// On one thread, any sequence of operations does exactly what a `VecDeque` limited to
    /// `capacity` items does. A blocking `put` is only tried when the model has room and a
    /// blocking `take` only when it holds an item, so nothing here ever waits.
    #[test]
    fn try_put_and_try_take_match_a_bounded_fifo_model(
        capacity in 1usize..=6,
        ops in prop::collection::vec(op(), 0..60),
    ) {
        let buffer = BoundedBuffer::new(capacity);
        let mut model: VecDeque<u8> = VecDeque::new();
        for op in ops {
            match op {
                Op::TryPut(item) => {
                    let expected = if model.len() < capacity {
                        model.push_back(item);
                        Ok(())
                    } else {
                        Err(item)
                    };
                    prop_assert_eq!(buffer.try_put(item), expected, "try_put({})", item);
                }
                Op::TryTake => prop_assert_eq!(buffer.try_take(), model.pop_front(), "try_take"),
                Op::Put(item) if model.len() < capacity => {
                    buffer.put(item);
                    model.push_back(item);
                }
                Op::Take if !model.is_empty() => {
                    prop_assert_eq!(Some(buffer.take()), model.pop_front(), "take");
                }
                Op::Put(_) | Op::Take => {}
            }
            prop_assert_eq!(buffer.len(), model.len());
            prop_assert_eq!(buffer.is_empty(), model.is_empty());
            prop_assert_eq!(buffer.capacity(), capacity);
        }
    }

    /// Up to 3 producers put their own numbered items while up to 3 consumers take: every item
    /// comes out exactly once, and each consumer sees every producer's items in order.
    #[test]
    fn producers_and_consumers_transfer_every_item_once_in_producer_order(
        capacity in 1usize..=4,
        per_producer in prop::collection::vec(0usize..=60, 1..=3),
        consumers in 1usize..=3,
    ) {
        let producers = per_producer.len();
        let total: usize = per_producer.iter().sum();
        let buffer = Arc::new(BoundedBuffer::new(capacity));
        let start = Arc::new(Barrier::new(producers + consumers));
        let producer_threads: Vec<_> = per_producer
            .iter()
            .enumerate()
            .map(|(producer, &count)| {
                let buffer = Arc::clone(&buffer);
                let start = Arc::clone(&start);
                thread::spawn(move || {
                    start.wait();
                    for seq in 0..count {
                        buffer.put((producer, seq));
                    }
                })
            })
            .collect();
        let consumer_threads: Vec<_> = (0..consumers)
            .map(|consumer| {
                // Share the total out: every consumer takes a fixed number of items.
                let share = total / consumers + usize::from(consumer < total % consumers);
                let buffer = Arc::clone(&buffer);
                let start = Arc::clone(&start);
                thread::spawn(move || {
                    start.wait();
                    (0..share).map(|_| buffer.take()).collect::<Vec<_>>()
                })
            })
            .collect();
        let mut taken_by_producer = vec![Vec::new(); producers];
        for consumer in consumer_threads {
            let mut last = vec![None; producers];
            for (producer, seq) in consumer.join().unwrap() {
                prop_assert!(
                    last[producer] < Some(seq),
                    "a consumer saw producer {}'s item {} after item {:?}", producer, seq, last[producer]
                );
                last[producer] = Some(seq);
                taken_by_producer[producer].push(seq);
            }
        }
        for producer in producer_threads {
            producer.join().unwrap();
        }
        for (producer, mut taken) in taken_by_producer.into_iter().enumerate() {
            taken.sort_unstable();
            let expected: Vec<usize> = (0..per_producer[producer]).collect();
            prop_assert_eq!(taken, expected, "producer {}'s items, each exactly once", producer);
        }
        prop_assert!(buffer.is_empty());
    }
}
