#![cfg(not(kata_loom))]
//! Runs the loom-mode suite (`tests/loom_mode.rs`) from a normal `cargo test`.
//!
//! A plain `cargo test` cannot build with `--cfg kata_loom` (that needs `RUSTFLAGS`, which
//! would rebuild everything else too), so this test runs a child `cargo` that does, in its
//! own target directory (`<workspace>/target/kata-sync-loom`, so the two builds never
//! invalidate each other), exactly as one would by hand:
//!
//! ```sh
//! LOOM_MAX_PREEMPTIONS=3 RUSTFLAGS="--cfg kata_loom" CARGO_TARGET_DIR=target/kata-sync-loom \
//!     cargo test --release -p kata-sync --test loom_mode
//! ```
//!
//! The first run compiles loom in release mode (a minute or two); later runs reuse it.

use std::path::Path;
use std::process::Command;

#[test]
fn loom_mode_suite_passes() {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let workspace = manifest_dir
        .parent()
        .expect("kata-sync lives in a folder of the workspace");
    let target_dir = workspace.join("target").join("kata-sync-loom");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| env!("CARGO").into());
    let preemptions = std::env::var("LOOM_MAX_PREEMPTIONS").unwrap_or_else(|_| "3".into());

    let mut child = Command::new(cargo);
    child
        .args(["test", "--release", "--manifest-path"])
        .arg(manifest_dir.join("Cargo.toml"))
        .args(["-p", "kata-sync", "--test", "loom_mode"])
        .env("RUSTFLAGS", "--cfg kata_loom")
        .env("CARGO_TARGET_DIR", &target_dir)
        .env("LOOM_MAX_PREEMPTIONS", &preemptions);
    // Whatever the outer build was told about flags and target directories is not for this
    // one: `CARGO_ENCODED_RUSTFLAGS` would even override the `RUSTFLAGS` set above.
    for inherited in [
        "CARGO_ENCODED_RUSTFLAGS",
        "CARGO_BUILD_RUSTFLAGS",
        "CARGO_BUILD_TARGET_DIR",
    ] {
        child.env_remove(inherited);
    }

    let output = child
        .output()
        .expect("could not run cargo for the loom suite");
    assert!(
        output.status.success(),
        "the loom-mode suite failed ({}):\n{:?}\n--- stdout ---\n{}\n--- stderr ---\n{}",
        output.status,
        child,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr),
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("test result: ok"),
        "the loom-mode suite ran no tests:\n{stdout}"
    );
}
