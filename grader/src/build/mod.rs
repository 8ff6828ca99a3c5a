//! Build: compile every assembled kata once, keep going past katas that do not compile, and
//! record which test binaries exist and which compiler errors belong to which kata.

mod cargo;

pub use cargo::{BuildOutput, BuildProfile, build};
