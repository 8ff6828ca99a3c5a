//! Hidden tests for the `deadlock` kata.
//!
//! Threads start together behind a `Barrier`. A deadlock shows as a hang, which the grader's
//! time limit turns into a failure; the interleavings these tests only make likely are
//! checked for certain by the loom models.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};
use std::thread;

use deadlock::{Account, InsufficientFunds, dine, dine_with, total, transfer};

/// Four accounts whose ids are not in table order, four threads each paying its neighbour:
/// with locks taken in argument order, every thread can hold its payer and wait for its
/// payee, a circle of four.
#[test]
fn transfers_around_a_circle_of_four_accounts_finish() {
    let accounts: Arc<Vec<Account>> = Arc::new(
        [30, 10, 40, 20]
            .into_iter()
            .map(|id| Account::new(id, 50_000))
            .collect(),
    );
    let start = Arc::new(Barrier::new(4));
    let threads: Vec<_> = (0..4)
        .map(|i| {
            let accounts = Arc::clone(&accounts);
            let start = Arc::clone(&start);
            thread::spawn(move || {
                start.wait();
                for _ in 0..50_000 {
                    transfer(&accounts[i], &accounts[(i + 1) % 4], 1).unwrap();
                }
            })
        })
        .collect();
    for thread in threads {
        thread.join().unwrap();
    }
    let balances: Vec<u64> = accounts.iter().map(Account::balance).collect();
    assert_eq!(balances, [50_000; 4]);
}

#[test]
fn self_transfers_never_deadlock_and_fail_exactly_when_the_balance_is_short() {
    let empty = Account::new(3, 0);
    assert_eq!(transfer(&empty, &empty, 0), Ok(()));
    assert_eq!(transfer(&empty, &empty, 1), Err(InsufficientFunds));
    assert_eq!(empty.balance(), 0);

    let a = Arc::new(Account::new(9, 5));
    let b = Arc::new(Account::new(4, 0));
    assert_eq!(transfer(&a, &a, 5), Ok(()));
    assert_eq!(transfer(&a, &a, 6), Err(InsufficientFunds));
    assert_eq!(transfer(&a, &a, u64::MAX), Err(InsufficientFunds));
    assert_eq!(a.balance(), 5);

    // Self-transfers on `a` while another thread moves all of a's money to b and back.
    let start = Arc::new(Barrier::new(2));
    let mover = {
        let (a, b, start) = (Arc::clone(&a), Arc::clone(&b), Arc::clone(&start));
        thread::spawn(move || {
            start.wait();
            for _ in 0..2_000 {
                transfer(&a, &b, 5).unwrap();
                transfer(&b, &a, 5).unwrap();
            }
        })
    };
    start.wait();
    for _ in 0..2_000 {
        assert_eq!(transfer(&a, &a, 0), Ok(()));
        assert_eq!(transfer(&a, &a, 6), Err(InsufficientFunds));
        assert_eq!(transfer(&b, &b, 6), Err(InsufficientFunds));
    }
    mover.join().unwrap();
    assert_eq!((a.balance(), b.balance()), (5, 0));
}

/// Two threads shuffle money between three accounts while a third takes totals. Every total
/// must be the constant sum: never one taken half-way through a transfer.
#[test]
fn total_stays_constant_while_money_moves() {
    let a = Arc::new(Account::new(2, 300));
    let b = Arc::new(Account::new(1, 300));
    let c = Arc::new(Account::new(3, 300));
    let start = Arc::new(Barrier::new(3));
    let done = Arc::new(AtomicUsize::new(0));

    let shufflers: Vec<_> = [
        [
            (Arc::clone(&a), Arc::clone(&b)),
            (Arc::clone(&b), Arc::clone(&c)),
        ],
        [
            (Arc::clone(&c), Arc::clone(&a)),
            (Arc::clone(&b), Arc::clone(&a)),
        ],
    ]
    .into_iter()
    .map(|pairs| {
        let (start, done) = (Arc::clone(&start), Arc::clone(&done));
        thread::spawn(move || {
            start.wait();
            for round in 0..5_000u64 {
                for (from, to) in &pairs {
                    // Failures are fine here (not enough money); only the sum matters.
                    let _ = transfer(from, to, round % 7 + 1);
                }
            }
            done.fetch_add(1, Ordering::SeqCst);
        })
    })
    .collect();

    start.wait();
    let mut totals = 0;
    while done.load(Ordering::SeqCst) < 2 || totals < 100 {
        assert_eq!(
            total(&[&c, &a, &b]),
            900,
            "a total saw a transfer half done"
        );
        totals += 1;
    }
    for shuffler in shufflers {
        shuffler.join().unwrap();
    }
    assert_eq!(a.balance() + b.balance() + c.balance(), 900);
}

/// Check-then-act: a payer checked in one critical section and debited in another can be
/// paid out twice.
#[test]
fn two_threads_draining_one_account_pay_out_exactly_what_is_there() {
    let a = Arc::new(Account::new(5, 1_000));
    let b = Arc::new(Account::new(6, 0));
    let c = Arc::new(Account::new(1, 0));
    let start = Arc::new(Barrier::new(2));
    let drainers: Vec<_> = [Arc::clone(&b), Arc::clone(&c)]
        .into_iter()
        .map(|to| {
            let (a, start) = (Arc::clone(&a), Arc::clone(&start));
            thread::spawn(move || {
                start.wait();
                let mut paid = 0u64;
                for _ in 0..1_000 {
                    if transfer(&a, &to, 1).is_ok() {
                        paid += 1;
                    }
                }
                paid
            })
        })
        .collect();
    let paid: u64 = drainers.into_iter().map(|d| d.join().unwrap()).sum();
    assert_eq!(paid, 1_000, "successful transfers");
    assert_eq!(a.balance(), 0);
    assert_eq!(b.balance() + c.balance(), 1_000);
}

#[test]
fn dine_serves_every_meal_for_2_to_8_philosophers() {
    for n in 2..=8 {
        assert_eq!(dine(n, 20), vec![20; n], "{n} philosophers");
    }
}

/// Every philosopher waits in `think` until all of them are seated: a `dine` that feeds
/// philosophers one after the other (or on fewer threads than philosophers) waits forever.
#[test]
fn philosophers_sit_down_at_once() {
    for n in [2, 5, 8] {
        let table = Arc::new(Barrier::new(n));
        let eaten = dine_with(
            n,
            1,
            move |_| {
                table.wait();
            },
            |_| {},
        );
        assert_eq!(eaten, vec![1; n], "{n} philosophers");
    }
}

#[test]
fn neighbours_never_eat_at_the_same_time() {
    const N: usize = 5;
    let eating: Arc<Vec<AtomicBool>> = Arc::new((0..N).map(|_| AtomicBool::new(false)).collect());
    let clash = Arc::new(AtomicBool::new(false));
    let (flags, clashed) = (Arc::clone(&eating), Arc::clone(&clash));
    let eaten = dine_with(
        N,
        200,
        |_| {},
        move |me| {
            flags[me].store(true, Ordering::SeqCst);
            for _ in 0..20 {
                if flags[(me + 1) % N].load(Ordering::SeqCst)
                    || flags[(me + N - 1) % N].load(Ordering::SeqCst)
                {
                    clashed.store(true, Ordering::SeqCst);
                }
                thread::yield_now();
            }
            flags[me].store(false, Ordering::SeqCst);
        },
    );
    assert_eq!(eaten, vec![200; N]);
    assert!(
        !clash.load(Ordering::SeqCst),
        "two neighbours ate at once: they shared a fork"
    );
}
