//! What the operating system can do to contain one test process: resource limits, no network,
//! no root. Applied between fork and exec, so it binds the test and everything it starts.
//!
//! Every measure is tried once (on a harmless child) before it is relied on: a measure the
//! machine does not allow is left out rather than failing every test, and the report says so.

use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::Duration;

use nix::sched::{CloneFlags, unshare};
use nix::sys::resource::{Resource, setrlimit};
use nix::sys::signal::{self, SigHandler, SigSet, SigmaskHow, Signal, sigprocmask};
use nix::unistd::{Gid, Uid, setgid, setgroups, setuid};

/// Address space a test process may map: enough for a few hundred threads and loom's
/// bookkeeping, far below what would push the machine into swap or the OOM killer.
pub const MEMORY_BYTES: u64 = 4 << 30;
/// The largest file a test may write.
pub const FILE_BYTES: u64 = 256 << 20;
/// Processes and threads one test may have at once (enforced only for a user other than
/// root), which stops a fork bomb.
pub const PROCESSES: u64 = 256;
/// When the grader runs as root, each test process runs as a user id of its own, drawn from
/// this range (no account needs to exist for it). The process limit counts per user, so a
/// test that spawns without end exhausts only its own quota, never that of tests running
/// beside it (another student's, in a batch).
pub const TEST_UIDS: std::ops::Range<u32> = 0x4000_0000..0x7000_0000;

/// The measures that turned out to be available on this machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Measures {
    /// Tests get a network namespace of their own, with no interfaces up.
    pub no_network: bool,
    /// Tests run as unprivileged users of their own (the grader runs as root and could
    /// drop privileges).
    pub unprivileged: bool,
}

impl Measures {
    /// Sentences for the report about protections that are not in force.
    pub fn missing(&self) -> Vec<String> {
        let mut notes = Vec::new();
        if !self.no_network {
            notes.push(
                "tests could reach the network (this machine does not let the grader give them \
                 a network namespace of their own)"
                    .to_string(),
            );
        }
        if !self.unprivileged {
            notes.push(if Uid::effective().is_root() {
                "tests ran as root (the test binaries are not readable by other users)".to_string()
            } else {
                "tests ran as the grader's own user (run the grader as root to have each test \
                 run as an unprivileged user of its own, with a process limit)"
                    .to_string()
            });
        }
        notes
    }
}

/// The measures available here, found once per grader run.
pub fn measures() -> Measures {
    static FOUND: OnceLock<Measures> = OnceLock::new();
    *FOUND.get_or_init(|| {
        let no_network = works(isolate_network);
        let unprivileged =
            Uid::effective().is_root() && works(drop_privileges) && binaries_readable_by_others();
        Measures {
            no_network,
            unprivileged,
        }
    })
}

/// Applies every available measure, and the resource limits, to `cmd`.
pub fn contain(cmd: &mut Command, timeout: Duration) {
    let measures = measures();
    let cpu = timeout.as_secs().saturating_mul(2).saturating_add(5);
    // SAFETY: the closure runs in the child between fork and exec and only makes system
    // calls (sigprocmask, sigaction, setrlimit), which are async-signal-safe; it allocates
    // nothing.
    unsafe {
        cmd.pre_exec(move || {
            // A test starts with the signals of a fresh process, whatever the grader did with
            // its own (`watch` blocks SIGINT/SIGTERM to handle them on a thread): a test that
            // sends TERM to a child of its own must see it die.
            sigprocmask(SigmaskHow::SIG_SETMASK, Some(&SigSet::empty()), None)?;
            for signal in [
                Signal::SIGINT,
                Signal::SIGTERM,
                Signal::SIGHUP,
                Signal::SIGPIPE,
            ] {
                signal::signal(signal, SigHandler::SigDfl)?;
            }
            setrlimit(Resource::RLIMIT_CORE, 0, 0)?;
            setrlimit(Resource::RLIMIT_AS, MEMORY_BYTES, MEMORY_BYTES)?;
            setrlimit(Resource::RLIMIT_FSIZE, FILE_BYTES, FILE_BYTES)?;
            setrlimit(Resource::RLIMIT_CPU, cpu, cpu + 5)?;
            Ok(())
        });
    }
    if measures.no_network {
        isolate_network(cmd);
    }
    if measures.unprivileged {
        drop_privileges(cmd);
    }
}

fn isolate_network(cmd: &mut Command) {
    // SAFETY: unshare is a single system call, async-signal-safe, no allocation.
    unsafe {
        cmd.pre_exec(|| {
            unshare(CloneFlags::CLONE_NEWNET)?;
            Ok(())
        });
    }
}

fn drop_privileges(cmd: &mut Command) {
    let id = fresh_test_uid();
    // SAFETY: setgroups/setgid/setuid/setrlimit are system calls, async-signal-safe; the
    // group list is a static empty slice and `id` a copied integer, so nothing is allocated.
    unsafe {
        cmd.pre_exec(move || {
            setgroups(&[])?;
            setgid(Gid::from_raw(id))?;
            setrlimit(Resource::RLIMIT_NPROC, PROCESSES, PROCESSES)?;
            setuid(Uid::from_raw(id))?;
            Ok(())
        });
    }
}

/// A user id no other test process of any grader is likely to have: the grader's pid and a
/// counter, spread over [`TEST_UIDS`].
fn fresh_test_uid() -> u32 {
    use std::hash::{BuildHasher, Hasher};
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u32(std::process::id());
    h.write_u64(NEXT.fetch_add(1, Ordering::Relaxed));
    let span = u64::from(TEST_UIDS.end - TEST_UIDS.start);
    TEST_UIDS.start + (h.finish() % span) as u32
}

/// Whether `true` starts and exits 0 with `measure` applied.
fn works(measure: impl Fn(&mut Command)) -> bool {
    let mut cmd = Command::new("true");
    cmd.stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    measure(&mut cmd);
    cmd.status().is_ok_and(|s| s.success())
}

/// Other users must be able to run the test binaries: every folder from the root down to the
/// grader's own executable (a stand-in for its target dir) must be searchable by others.
fn binaries_readable_by_others() -> bool {
    use std::os::unix::fs::PermissionsExt;
    let Ok(exe) = std::env::current_exe() else {
        return false;
    };
    exe.ancestors()
        .skip(1)
        .all(|dir| std::fs::metadata(dir).is_ok_and(|m| m.permissions().mode() & 0o001 != 0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn output_of(script: &str) -> std::process::Output {
        let mut cmd = Command::new("sh");
        cmd.arg("-c").arg(script);
        contain(&mut cmd, Duration::from_secs(5));
        cmd.output().unwrap()
    }

    #[test]
    fn limits_are_in_force_in_the_child() {
        let out = output_of("ulimit -c; ulimit -f; ulimit -v");
        let text = String::from_utf8_lossy(&out.stdout);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "0", "core dumps: {text}");
        // `ulimit -f` is in 512-byte blocks (dash) or KiB (bash): either way, finite.
        assert_ne!(lines[1], "unlimited", "file size: {text}");
        assert_eq!(
            lines[2],
            (MEMORY_BYTES / 1024).to_string(),
            "address space: {text}"
        );
    }

    #[test]
    fn tests_start_with_default_signal_handling_whatever_the_grader_blocks() {
        let mut term = SigSet::empty();
        term.add(Signal::SIGTERM);
        // Blocked in this thread only, as `watch` does; the child would inherit it.
        term.thread_block().unwrap();
        let out = output_of("sleep 30 & kill -TERM $!; wait $!; echo $?");
        term.thread_unblock().unwrap();
        // 128 + 15: the grandchild died of SIGTERM.
        assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "143");
    }

    #[test]
    fn a_file_larger_than_the_limit_cannot_be_written() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("big");
        let script = format!(
            "head -c {} /dev/zero > {}",
            FILE_BYTES + 1024 * 1024,
            file.display()
        );
        let out = output_of(&script);
        assert!(!out.status.success());
        let written = std::fs::metadata(&file).map(|m| m.len()).unwrap_or(0);
        assert!(written <= FILE_BYTES, "{written}");
    }

    #[test]
    fn missing_measures_are_explained() {
        let none = Measures {
            no_network: false,
            unprivileged: false,
        };
        assert_eq!(none.missing().len(), 2);
        let all = Measures {
            no_network: true,
            unprivileged: true,
        };
        assert!(all.missing().is_empty());
    }

    #[test]
    fn each_test_process_gets_its_own_user() {
        if !measures().unprivileged {
            return; // the report says so; nothing to check on this machine
        }
        let a = String::from_utf8(output_of("id -u").stdout).unwrap();
        let b = String::from_utf8(output_of("id -u").stdout).unwrap();
        let (a, b): (u32, u32) = (a.trim().parse().unwrap(), b.trim().parse().unwrap());
        assert_ne!(a, b);
        assert!(TEST_UIDS.contains(&a) && TEST_UIDS.contains(&b));
    }

    #[test]
    fn network_isolation_leaves_only_loopback_down() {
        if !measures().no_network {
            return; // the report says so; nothing to check on this machine
        }
        let out = output_of("cat /proc/net/dev | tail -n +3 | cut -d: -f1 | tr -d ' '");
        let text = String::from_utf8_lossy(&out.stdout);
        assert_eq!(text.trim(), "lo", "interfaces: {text}");
    }
}
