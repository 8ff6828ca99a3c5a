//! Progress on stderr while the grader builds and runs: a spinner and a bar on a terminal,
//! a few plain lines otherwise (so a log shows the grader is working, not hung).
//!
//! Nothing here depends on colour: indicatif draws only characters, and every line says in
//! words what is happening.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

use grader::build::BuildProfile;
use grader::grade::Progress;
use grader::report::Status;

/// Reports progress on stderr.
pub struct StderrProgress {
    bar: Option<ProgressBar>,
    quiet: bool,
    first_build: bool,
    compiled: AtomicUsize,
}

impl StderrProgress {
    /// A terminal display when stderr is a terminal; plain lines otherwise; nothing if `quiet`.
    /// `first_build` says the dependencies have never been compiled here, so the learner is
    /// told why this run takes minutes (and later runs are not told so for nothing).
    pub fn new(quiet: bool, first_build: bool) -> StderrProgress {
        let bar = (!quiet && std::io::stderr().is_terminal()).then(|| {
            let bar = ProgressBar::new_spinner();
            bar.enable_steady_tick(Duration::from_millis(120));
            bar
        });
        StderrProgress {
            bar,
            quiet,
            first_build,
            compiled: AtomicUsize::new(0),
        }
    }

    /// Removes the display before the report is printed.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }

    fn line(&self, text: &str) {
        if self.quiet {
            return;
        }
        match &self.bar {
            // Printed above the spinner, so it stays on screen after the spinner goes.
            Some(bar) => bar.println(format!("grader: {text}")),
            None => eprintln!("grader: {text}"),
        }
    }
}

impl Progress for StderrProgress {
    fn build_started(&self, profile: BuildProfile) {
        let what = match profile {
            BuildProfile::Normal => "compiling the katas and their tests",
            BuildProfile::Loom => "compiling the loom models (release, --cfg kata_loom)",
        };
        self.compiled.store(0, Ordering::Relaxed);
        if self.first_build {
            self.line(&format!(
                "{what}; this first run also compiles their dependencies, which takes a few \
                 minutes (later runs take seconds)"
            ));
        } else {
            self.line(what);
        }
        if let Some(bar) = &self.bar {
            bar.set_style(
                ProgressStyle::with_template("{spinner} [{elapsed}] {msg}")
                    .expect("valid template"),
            );
            bar.set_message(what.to_string());
        }
    }

    fn compiled(&self, crate_name: &str) {
        let count = self.compiled.fetch_add(1, Ordering::Relaxed) + 1;
        if let Some(bar) = &self.bar {
            let msg = bar.message();
            let base = msg.split(": ").next().unwrap_or_default().to_string();
            bar.set_message(format!("{base}: {count} crates done, last {crate_name}"));
        }
    }

    fn checks_started(&self, total: usize) {
        self.line(&format!("running {total} checks, each in its own process"));
        if let Some(bar) = &self.bar {
            bar.set_length(total as u64);
            bar.set_position(0);
            bar.set_style(
                ProgressStyle::with_template(
                    "{spinner} [{elapsed}] running checks {bar:30} {pos}/{len} {msg}",
                )
                .expect("valid template")
                .progress_chars("#>-"),
            );
        }
    }

    fn check_done(&self, kata: &str, check: &str, status: Status) {
        if let Some(bar) = &self.bar {
            bar.inc(1);
            let short: String = check.chars().take(40).collect();
            bar.set_message(format!("{kata}: {short} ({})", status.word()));
        }
    }
}
