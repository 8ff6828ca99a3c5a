//! Ctrl-C for long-running commands (`watch`): stop at once, and leave nothing running.
//!
//! The default SIGINT would kill the grader but not the tests it started: each test runs in a
//! process group of its own (so a timeout can kill all of it), which the terminal's Ctrl-C
//! does not reach, and a deadlocked test would sleep forever. So the signals are blocked in
//! every thread and a dedicated thread waits for them; it kills each child's process group,
//! then exits.

use nix::sys::signal::{SigSet, Signal, kill, killpg};
use nix::unistd::Pid;

/// Blocks SIGINT and SIGTERM in this thread (and so in every thread it starts later) and
/// starts a thread that, on either, stops every child, runs `last_words`, and exits with
/// status 0. Call it before starting any other thread. Child processes start with no signal
/// blocked (the standard library resets the mask), so tests and cargo are unaffected.
pub fn exit_cleanly_on_interrupt(last_words: impl FnOnce() + Send + 'static) -> Result<(), String> {
    let mut signals = SigSet::empty();
    signals.add(Signal::SIGINT);
    signals.add(Signal::SIGTERM);
    signals
        .thread_block()
        .map_err(|e| format!("cannot take over Ctrl-C: {e}"))?;
    std::thread::Builder::new()
        .name("interrupt".into())
        .spawn(move || {
            if signals.wait().is_ok() {
                stop_children();
                last_words();
                std::process::exit(0);
            }
        })
        .map_err(|e| format!("cannot take over Ctrl-C: {e}"))?;
    Ok(())
}

/// Kills the process group of every child that leads one (a test), and asks the others
/// (cargo) to stop.
pub fn stop_children() {
    let me = std::process::id();
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return;
    };
    for entry in entries.flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|n| n.parse::<u32>().ok())
        else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        let Some((ppid, pgrp)) = parent_and_group(&stat) else {
            continue;
        };
        if ppid != me {
            continue;
        }
        let Ok(raw) = i32::try_from(pid) else {
            continue;
        };
        if pgrp == pid {
            let _ = killpg(Pid::from_raw(raw), Signal::SIGKILL);
        } else {
            let _ = kill(Pid::from_raw(raw), Signal::SIGTERM);
        }
    }
}

/// The parent pid and process group from `/proc/PID/stat` (`pid (comm) state ppid pgrp ...`;
/// the command name may hold spaces and parentheses, so fields count from the last `)`).
fn parent_and_group(stat: &str) -> Option<(u32, u32)> {
    let (_, after) = stat.rsplit_once(')')?;
    let mut fields = after.split_whitespace().skip(1);
    let ppid = fields.next()?.parse().ok()?;
    let pgrp = fields.next()?.parse().ok()?;
    Some((ppid, pgrp))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_parent_and_group_past_odd_command_names() {
        assert_eq!(
            parent_and_group("42 (a) b (c)) S 7 42 7 0 -1"),
            Some((7, 42))
        );
        assert_eq!(parent_and_group("garbage"), None);
    }
}
