//! hostile: Counter::increment recurses until the stack overflows
//! kata: race
//! expect: stack overflow | did not finish in
//! max-score: 87
use kata_sync::sync::Mutex;
use kata_sync::sync::atomic::{AtomicU64, Ordering};

#[derive(Default)]
pub struct Counter {
    n: AtomicU64,
}

pub struct Bank {
    accounts: Vec<Mutex<u64>>,
}

impl Bank {
    pub fn new(balances: &[u64]) -> Bank {
        Bank { accounts: balances.iter().map(|&b| Mutex::new(b)).collect() }
    }
    pub fn withdraw(&self, account: usize, amount: u64) -> bool {
        let mut b = self.accounts[account].lock().unwrap();
        if *b >= amount { *b -= amount; true } else { false }
    }
    pub fn deposit(&self, account: usize, amount: u64) {
        *self.accounts[account].lock().unwrap() += amount;
    }
    pub fn balance(&self, account: usize) -> u64 {
        *self.accounts[account].lock().unwrap()
    }
}

impl Counter {
    pub fn new() -> Counter {
        Counter::default()
    }
    pub fn get(&self) -> u64 {
        self.n.load(Ordering::SeqCst)
    }
    pub fn increment(&self) {
        fn deeper(n: u64) -> u64 {
            std::hint::black_box(deeper(n + 1)) + 1
        }
        self.n.fetch_add(deeper(0), Ordering::SeqCst);
    }
}
