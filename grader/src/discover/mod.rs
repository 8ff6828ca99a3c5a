//! Discover: which katas exist, what each one checks, and what the submission holds.

pub mod catalog;
pub mod manifest;
pub mod mutants;
pub mod submission;

pub use catalog::{Catalog, Kata};
pub use manifest::{CheckKind, CheckSpec, Manifest};
pub use mutants::{Mutant, mutants_of};
pub use submission::{Submission, SubmittedSource};
