//! `grader reset KATA`: puts a kata's original stub back, after asking, and keeps the
//! learner's file beside it as `src/lib.rs.bak-<date>-<time>`.
//!
//! Learner code is never lost: the backup is written and read back before `lib.rs` is
//! replaced, and the replacement is a rename, so an interrupted reset leaves either the old
//! file or the stub, never half of one. See [`stub`](crate::cli::stub) for where the stub
//! comes from.

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;

use crate::cli::{Context, Failure, INVOKE, Where, shown, stub};
use grader::files::write_atomically;

/// The arguments of `grader reset`.
#[derive(Debug, Args)]
pub struct ResetArgs {
    /// The kata (`race`, `03-race` or `3`).
    #[arg(value_name = "KATA")]
    pub kata: String,

    /// Do not ask first.
    #[arg(long, short)]
    pub yes: bool,

    #[command(flatten)]
    pub place: Where,
}

/// Restores the stub.
pub fn run(args: ResetArgs) -> Result<ExitCode, Failure> {
    let ctx = Context::new(&args.place)?;
    let kata = ctx.kata(&args.kata)?;
    let root = ctx.submission_root()?;
    let kata_dir = root.join(&kata.dir_name);
    if !kata_dir.is_dir() {
        return Err(format!(
            "{} has no {} folder to reset",
            shown(&root),
            kata.dir_name
        ));
    }
    let lib = kata_dir.join("src").join("lib.rs");
    let stub = stub::original(kata, &kata_dir, &ctx.home)?;
    let current = match std::fs::read(&lib) {
        Ok(bytes) => Some(bytes),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(format!("cannot read {}: {e}", shown(&lib))),
    };
    if current.as_deref() == Some(stub.text.as_bytes()) {
        println!(
            "{} is already the original stub: nothing to reset.",
            shown(&lib)
        );
        return Ok(ExitCode::SUCCESS);
    }
    let backup = current.as_ref().map(|_| backup_path(&lib));
    if !args.yes {
        let question = match &backup {
            Some(backup) => format!(
                "Replace {} with the original stub (from commit {})? Your file is kept as {}. [y/N] ",
                shown(&lib),
                stub.commit,
                shown(backup)
            ),
            None => format!(
                "Write the original stub (from commit {}) to {}? [y/N] ",
                stub.commit,
                shown(&lib)
            ),
        };
        if !confirm(&question)? {
            println!("Nothing changed.");
            return Ok(ExitCode::SUCCESS);
        }
    }
    if let (Some(bytes), Some(backup)) = (&current, &backup) {
        keep(bytes, backup)?;
    }
    std::fs::create_dir_all(lib.parent().expect("lib.rs has a folder"))
        .map_err(|e| format!("cannot create {}: {e}", shown(&lib)))?;
    write_atomically(&lib, stub.text.as_bytes()).map_err(|e| {
        format!(
            "cannot write the stub to {} (your file is unchanged): {e}",
            shown(&lib)
        )
    })?;
    match &backup {
        Some(backup) => println!(
            "{} is the original stub again. Your code is in {}.",
            shown(&lib),
            shown(backup)
        ),
        None => println!("{} is the original stub again.", shown(&lib)),
    }
    println!(
        "Grade it with `{INVOKE} {}`, or start over with `{INVOKE} hint {}`.",
        kata.name, kata.name
    );
    Ok(ExitCode::SUCCESS)
}

/// Asks on stdout, reads one line of stdin: only `y` or `yes` is a yes (an empty line, the end
/// of input and anything else are a no, so a script without a terminal never resets).
fn confirm(question: &str) -> Result<bool, Failure> {
    print!("{question}");
    std::io::stdout()
        .flush()
        .map_err(|e| format!("cannot ask: {e}"))?;
    let mut answer = String::new();
    if std::io::stdin().lock().read_line(&mut answer).is_err() {
        println!();
        return Ok(false);
    }
    Ok(matches!(
        answer.trim().to_ascii_lowercase().as_str(),
        "y" | "yes"
    ))
}

/// Writes the learner's file to `backup` and reads it back: the reset goes on only if the
/// backup holds exactly what `lib.rs` held.
fn keep(bytes: &[u8], backup: &Path) -> Result<(), Failure> {
    let fail = |e: std::io::Error| {
        format!(
            "cannot keep a backup of your file at {} (nothing was changed): {e}",
            shown(backup)
        )
    };
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(backup)
        .map_err(fail)?;
    file.write_all(bytes)
        .and_then(|()| file.sync_all())
        .map_err(fail)?;
    let back = std::fs::read(backup).map_err(fail)?;
    if back != bytes {
        return Err(format!(
            "the backup at {} does not read back as written: nothing was changed",
            shown(backup)
        ));
    }
    Ok(())
}

/// `lib.rs.bak-20260301-142501`, with `-2`, `-3`... if several resets happen in one second.
fn backup_path(lib: &Path) -> PathBuf {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let base = format!("lib.rs.bak-{}", timestamp(secs));
    let mut path = lib.with_file_name(&base);
    let mut n = 2;
    while path.exists() {
        path = lib.with_file_name(format!("{base}-{n}"));
        n += 1;
    }
    path
}

/// `YYYYMMDD-HHMMSS` in UTC for `secs` since 1970 (Howard Hinnant's days-to-civil), so a
/// backup's name sorts by time without a date library.
fn timestamp(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let rest = secs % 86_400;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}{month:02}{day:02}-{:02}{:02}{:02}",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_utc_calendar_dates() {
        assert_eq!(timestamp(0), "19700101-000000");
        assert_eq!(timestamp(951_782_400), "20000229-000000");
        assert_eq!(timestamp(1_767_225_599), "20251231-235959");
    }

    #[test]
    fn backups_never_overwrite_each_other() {
        let dir = tempfile::tempdir().unwrap();
        let lib = dir.path().join("lib.rs");
        let first = backup_path(&lib);
        keep(b"one", &first).unwrap();
        let second = backup_path(&lib);
        assert_ne!(first, second);
        keep(b"two", &second).unwrap();
        assert_eq!(std::fs::read(&first).unwrap(), b"one");
        assert!(
            keep(b"three", &first).is_err(),
            "create_new refuses to overwrite"
        );
    }
}
