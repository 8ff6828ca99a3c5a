//! `cargo run --release -p kata-bench`: the reference thread pool and bounded buffer against
//! well-known implementations doing the same work, in the same process, rounds interleaved so
//! that machine load affects both alike. Prints the median of each and their ratio (ours /
//! theirs: below 1 is faster). See BENCHMARKS.md.

// The reference answers, compiled as modules of this benchmark.
#[allow(dead_code)]
#[path = "../../solutions/06-bounded-buffer/src/lib.rs"]
mod bounded_buffer;
#[allow(dead_code)]
#[path = "../../solutions/07-pool/src/lib.rs"]
mod pool;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const JOBS: u64 = 100_000;
const ITEMS: u64 = 1_000_000;
const CAPACITY: usize = 64;
const ROUNDS: usize = 7;

fn main() {
    let rounds = std::env::args()
        .nth(1)
        .and_then(|r| r.parse().ok())
        .unwrap_or(ROUNDS);
    println!("{rounds} rounds each, interleaved; medians; ratio = ours / theirs");
    compare(
        "pool: 100,000 tiny jobs on 2 workers (submit all, collect all results)",
        ("reference ThreadPool", pool_ours),
        ("threadpool 1.8", pool_threadpool),
        rounds,
    );
    compare(
        "pool: the same, each job's result through a channel of its own (a handle per job)",
        ("reference ThreadPool", pool_ours),
        ("threadpool 1.8", pool_threadpool_per_job),
        rounds,
    );
    compare(
        "buffer: 1,000,000 u64 through 2 producers and 2 consumers, capacity 64",
        ("reference BoundedBuffer", buffer_ours),
        ("crossbeam-channel bounded", buffer_crossbeam),
        rounds,
    );
    compare(
        "buffer: the same, against std's sync_channel (consumers share the Receiver)",
        ("reference BoundedBuffer", buffer_ours),
        ("std sync_channel", buffer_std),
        rounds,
    );
}

type Run = fn() -> u64;

fn compare(what: &str, ours: (&str, Run), theirs: (&str, Run), rounds: usize) {
    let mut a = Vec::new();
    let mut b = Vec::new();
    for _ in 0..rounds {
        a.push(timed(ours.1));
        b.push(timed(theirs.1));
    }
    let (ma, mb) = (median(a), median(b));
    println!("{what}");
    println!("  {:<28} {:>8.1} ms", ours.0, ma.as_secs_f64() * 1e3);
    println!("  {:<28} {:>8.1} ms", theirs.0, mb.as_secs_f64() * 1e3);
    println!("  ratio {:.2}", ma.as_secs_f64() / mb.as_secs_f64());
}

fn timed(run: Run) -> Duration {
    let start = Instant::now();
    let checksum = std::hint::black_box(run());
    let took = start.elapsed();
    assert_ne!(checksum, 0, "the run did no work");
    took
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn pool_ours() -> u64 {
    let pool = pool::ThreadPool::new(2);
    let tasks: Vec<_> = (0..JOBS).map(|i| pool.submit(move || i * 2)).collect();
    let sum = tasks.into_iter().map(|t| t.wait().unwrap()).sum();
    pool.shutdown();
    sum
}

fn pool_threadpool() -> u64 {
    let pool = threadpool::ThreadPool::new(2);
    let (tx, rx) = std::sync::mpsc::channel();
    for i in 0..JOBS {
        let tx = tx.clone();
        pool.execute(move || tx.send(i * 2).unwrap());
    }
    drop(tx);
    let sum = rx.iter().sum();
    pool.join();
    sum
}

/// Like `submit`: every job gets a handle of its own to collect its result by.
fn pool_threadpool_per_job() -> u64 {
    let pool = threadpool::ThreadPool::new(2);
    let handles: Vec<_> = (0..JOBS)
        .map(|i| {
            let (tx, rx) = std::sync::mpsc::channel();
            pool.execute(move || tx.send(i * 2).unwrap());
            rx
        })
        .collect();
    let sum = handles.into_iter().map(|rx| rx.recv().unwrap()).sum();
    pool.join();
    sum
}

/// Two producers put 0..ITEMS between them; two consumers take until each has seen its half.
fn mpmc(put: impl Fn(u64) + Send + Sync, take: impl Fn() -> u64 + Send + Sync) -> u64 {
    let total = AtomicU64::new(0);
    std::thread::scope(|s| {
        for p in 0..2 {
            let put = &put;
            s.spawn(move || (p * ITEMS / 2..(p + 1) * ITEMS / 2).for_each(put));
        }
        for _ in 0..2 {
            let (take, total) = (&take, &total);
            s.spawn(move || {
                let sum: u64 = (0..ITEMS / 2).map(|_| take()).sum();
                total.fetch_add(sum, Ordering::Relaxed);
            });
        }
    });
    total.into_inner()
}

fn buffer_ours() -> u64 {
    let buffer = bounded_buffer::BoundedBuffer::new(CAPACITY);
    mpmc(|i| buffer.put(i), || buffer.take())
}

fn buffer_crossbeam() -> u64 {
    let (tx, rx) = crossbeam_channel::bounded(CAPACITY);
    mpmc(|i| tx.send(i).unwrap(), || rx.recv().unwrap())
}

fn buffer_std() -> u64 {
    let (tx, rx) = std::sync::mpsc::sync_channel(CAPACITY);
    let rx = Arc::new(Mutex::new(rx));
    mpmc(
        |i| tx.send(i).unwrap(),
        || rx.lock().unwrap().recv().unwrap(),
    )
}
