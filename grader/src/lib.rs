//! The kata grader: scores each kata's `src/lib.rs` with visible tests, hidden tests, property
//! tests and loom models, every test in its own process with a time limit.
//!
//! The modules follow the pipeline: [`discover`] (which katas, which checks, what the
//! submission holds) -> [`assemble`] (the grader's own workspace) -> [`build`] (one cargo build
//! per profile) -> [`run`] (one process per test) -> [`score`] -> [`report`]. [`grade()`] runs it;
//! [`batch`] runs it over a whole class.

pub mod assemble;
pub mod batch;
pub mod build;
pub mod discover;
pub mod error;
pub mod files;
pub mod fingerprint;
pub mod grade;
pub mod home;
pub mod policy;
pub mod report;
pub mod run;
pub mod score;

pub use error::GradeError;
pub use grade::{Graded, Options, Progress, Silent, grade};
pub use home::Home;
