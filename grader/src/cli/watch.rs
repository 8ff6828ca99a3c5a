//! `grader watch [KATA]`: regrade a kata each time its `src/lib.rs` is saved, and show its
//! score and first failing check on a cleared screen.
//!
//! Changes are found by comparing each watched file's contents with what was last graded.
//! File events (the `notify` crate) only say when to look, so duplicate events, editors that
//! save through a temporary file and `touch` all cost nothing, and a lost event is caught by a
//! look every few seconds anyway. Where events do not work at all (some shared folders,
//! containers and network drives) the watcher cannot be started or never fires: `--poll`
//! looks twice a second instead, and the grader falls back to that by itself when the
//! watcher cannot be started.

use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::mpsc;
use std::time::Duration;

use anstyle::{AnsiColor, Style};
use clap::Args;
use notify::{RecursiveMode, Watcher};

use grader::discover::Kata;
use grader::report::{KataState, Report, Status};

use crate::cli::records::{Standing, file_fingerprint};
use crate::cli::{Context, Failure, INVOKE, Where, explain, interrupt, shown};

/// The arguments of `grader watch`.
#[derive(Debug, Args)]
pub struct WatchArgs {
    /// The kata to watch (`race`, `03-race` or `3`); every kata if none is named.
    #[arg(value_name = "KATA")]
    pub kata: Option<String>,

    /// Look for changes by reading the files twice a second instead of waiting for file
    /// events (for shared folders, containers and network drives, where events can be lost).
    #[arg(long)]
    pub poll: bool,

    #[command(flatten)]
    pub place: Where,
}

/// How often files are read with `--poll`.
const POLL: Duration = Duration::from_millis(500);
/// How often files are read even when events are on, in case one was lost.
const SAFETY_LOOK: Duration = Duration::from_secs(3);
/// How long to let a burst of events settle (an editor's save is often several).
const SETTLE: Duration = Duration::from_millis(150);
/// Lines of a failure's output shown.
const OUTPUT_LINES: usize = 20;

const BOLD: Style = Style::new().bold();
const DIM: Style = Style::new().dimmed();
const GREEN: Style = AnsiColor::Green.on_default().bold();
const RED: Style = AnsiColor::Red.on_default().bold();
const YELLOW: Style = AnsiColor::Yellow.on_default().bold();

/// Watches and regrades until Ctrl-C.
pub fn run(args: WatchArgs) -> Result<ExitCode, Failure> {
    // First, before any other thread exists, so that every thread inherits the blocked signals.
    interrupt::exit_cleanly_on_interrupt(|| {
        println!("\nStopped watching.");
        let _ = std::io::stdout().flush();
    })?;
    let ctx = Context::new(&args.place)?;
    let root = ctx.submission_root()?;
    let watched: Vec<&Kata> = match &args.kata {
        Some(name) => vec![ctx.kata(name)?],
        None => ctx.catalog.katas().iter().collect(),
    };
    let lib = |k: &Kata| root.join(&k.dir_name).join("src").join("lib.rs");

    let (events_tx, events) = mpsc::channel();
    // Kept for as long as watching goes on: dropping it stops the events.
    let mut _watcher = None;
    let mut polling = args.poll;
    if !polling {
        match start_watcher(&root, &watched, events_tx) {
            Ok(w) => _watcher = Some(w),
            Err(e) => {
                eprintln!(
                    "grader: file events are not available here ({e}); reading the files twice \
                     a second instead"
                );
                polling = true;
            }
        }
    }

    // What each file held when last graded (or first seen). Taken before grading, so a save
    // during a grade is a change the loop below regrades.
    let mut seen: BTreeMap<String, Option<u64>> = watched
        .iter()
        .map(|k| (k.dir_name.clone(), file_fingerprint(&lib(k))))
        .collect();
    let mut screen = Screen::new(&ctx, &root, &watched, polling);
    match first_kata(&ctx, &root, &watched) {
        Some(kata) => screen.grade(&[kata], None),
        None => screen.idle("Every watched kata has full marks."),
    }

    loop {
        if polling {
            std::thread::sleep(POLL);
        } else {
            match events.recv_timeout(SAFETY_LOOK) {
                Ok(()) => {
                    std::thread::sleep(SETTLE);
                    while events.try_recv().is_ok() {}
                }
                Err(mpsc::RecvTimeoutError::Timeout) => {}
                // The watcher's thread is gone: without this, every wait would return at once.
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    eprintln!(
                        "grader: file events stopped; reading the files twice a second instead"
                    );
                    polling = true;
                    screen.polling = true;
                }
            }
        }
        let changed: Vec<&Kata> = watched
            .iter()
            .copied()
            .filter(|k| {
                let now = file_fingerprint(&lib(k));
                now.is_some() && seen.get(&k.dir_name) != Some(&now)
            })
            .collect();
        if changed.is_empty() {
            continue;
        }
        for kata in &changed {
            seen.insert(kata.dir_name.clone(), file_fingerprint(&lib(kata)));
        }
        let saved: Vec<String> = changed.iter().map(|k| shown(&lib(k))).collect();
        screen.grade(&changed, Some(&saved.join(", ")));
    }
}

/// A watcher that sends a unit on every event under the watched kata folders.
fn start_watcher(
    root: &Path,
    katas: &[&Kata],
    tx: mpsc::Sender<()>,
) -> Result<notify::RecommendedWatcher, String> {
    // Errors too (a full event queue, say): any of them is a reason to look, and a look is
    // cheap.
    let mut watcher = notify::recommended_watcher(move |_: notify::Result<notify::Event>| {
        let _ = tx.send(());
    })
    .map_err(|e| e.to_string())?;
    let mut any = false;
    for kata in katas {
        let dir = root.join(&kata.dir_name);
        if dir.is_dir() {
            watcher
                .watch(&dir, RecursiveMode::Recursive)
                .map_err(|e| format!("cannot watch {}: {e}", dir.display()))?;
            any = true;
        }
    }
    if !any {
        return Err(format!("no kata folder to watch in {}", root.display()));
    }
    Ok(watcher)
}

/// The kata to grade when watching starts: the one named, else the first not yet passed by
/// its last grade.
fn first_kata<'a>(ctx: &Context, root: &Path, watched: &[&'a Kata]) -> Option<&'a Kata> {
    if watched.len() == 1 {
        return Some(watched[0]);
    }
    let records = ctx.records();
    watched
        .iter()
        .copied()
        .filter(|k| root.join(&k.dir_name).join("src").join("lib.rs").is_file())
        .find(|k| {
            records
                .fresh(root, k)
                .is_none_or(|r| r.standing != Standing::Passed)
        })
}

/// What the learner sees: one screen per grade.
struct Screen<'a> {
    ctx: &'a Context,
    root: &'a Path,
    watched: Vec<PathBuf>,
    polling: bool,
    terminal: bool,
    runs: usize,
}

impl<'a> Screen<'a> {
    fn new(ctx: &'a Context, root: &'a Path, katas: &[&Kata], polling: bool) -> Screen<'a> {
        Screen {
            ctx,
            root,
            watched: katas
                .iter()
                .map(|k| root.join(&k.dir_name))
                .filter(|dir| dir.is_dir())
                .collect(),
            polling,
            terminal: std::io::stdout().is_terminal(),
            runs: 0,
        }
    }

    /// Grades `katas` and shows the result; a grading error is shown and watching goes on.
    fn grade(&mut self, katas: &[&Kata], saved: Option<&str>) {
        self.runs += 1;
        let names: Vec<String> = katas.iter().map(|k| k.name.clone()).collect();
        if !self.terminal {
            // In a log, a separator instead of a cleared screen, and a line to say work began.
            println!("\n==== grade {} ====", self.runs);
        }
        if let Some(saved) = saved {
            println!("{saved} changed: grading {}...", names.join(", "));
            let _ = std::io::stdout().flush();
        }
        let text = match self.ctx.grade(&names) {
            Ok(mut graded) => {
                explain::explain(
                    &mut graded.report,
                    self.root,
                    &self.ctx.catalog,
                    &self.ctx.home,
                );
                self.render(&graded.report, saved)
            }
            Err(e) => format!("{RED}error:{RED:#} {e}\n"),
        };
        self.show(&text);
    }

    fn idle(&mut self, message: &str) {
        self.show(&format!("{message}\n"));
    }

    fn show(&self, text: &str) {
        let mut out = anstream::stdout();
        let mut screen = String::new();
        if self.terminal {
            screen.push_str("\x1b[2J\x1b[H");
        }
        screen.push_str(text);
        let places: Vec<String> = self.watched.iter().map(|p| shown(p)).collect();
        let how = if self.polling {
            "reading the files twice a second"
        } else {
            "on every save"
        };
        screen.push_str(&format!(
            "\n{DIM}Watching {} ({how}). Ctrl-C to stop.{DIM:#}\n",
            if places.len() > 3 {
                format!("{} kata folders in {}", places.len(), shown(self.root))
            } else {
                places.join(", ")
            }
        ));
        let _ = out.write_all(screen.as_bytes());
        let _ = out.flush();
    }

    fn render(&self, report: &Report, saved: Option<&str>) -> String {
        let mut out = String::new();
        match saved {
            Some(saved) => out.push_str(&format!("Grade {} after {saved} changed.\n\n", self.runs)),
            None => out.push_str(&format!("Grade {}.\n\n", self.runs)),
        }
        for kata in &report.katas {
            let style = match kata.state {
                KataState::Passed => GREEN,
                KataState::InProgress => YELLOW,
                _ => RED,
            };
            out.push_str(&format!(
                "{BOLD}{}{BOLD:#}  {}\n{style}score: {}/{}{style:#}",
                kata.dir, kata.title, kata.score, kata.max_score
            ));
            let failing: Vec<_> = kata
                .checks
                .iter()
                .filter(|c| c.status != Status::Passed)
                .collect();
            out.push_str(&format!(
                "  ({} of {} checks pass)\n",
                kata.checks.len() - failing.len(),
                kata.checks.len()
            ));
            if let Some(message) = &kata.message {
                out.push('\n');
                for line in message.lines().take(OUTPUT_LINES) {
                    out.push_str(&format!("  {line}\n"));
                }
            }
            if kata.state == KataState::Passed {
                out.push_str(&format!(
                    "\nFull marks! `{INVOKE} solution {}` shows the reference answer to compare; \
                     `{INVOKE} list` shows what is next.\n",
                    kata.name
                ));
            } else if let Some(check) = failing.first()
                && kata.message.is_none()
            {
                out.push_str(&format!(
                    "\nFirst failing check:\n  {RED}{}{RED:#} {} check: {}\n",
                    check.status.word(),
                    check.kind,
                    check.name
                ));
                let lines: Vec<&str> = check.output.lines().collect();
                for line in lines.iter().take(OUTPUT_LINES) {
                    out.push_str(&format!("    {DIM}|{DIM:#} {line}\n"));
                }
                if lines.len() > OUTPUT_LINES {
                    out.push_str(&format!(
                        "    {DIM}| ... {} more lines: `{INVOKE} {} --format json` has them all{DIM:#}\n",
                        lines.len() - OUTPUT_LINES,
                        kata.name
                    ));
                }
                for (i, line) in check.hint.iter().flat_map(|h| h.lines()).enumerate() {
                    let label = if i == 0 { "hint: " } else { "      " };
                    out.push_str(&format!("    {label}{line}\n"));
                }
                if failing.len() > 1 {
                    out.push_str(&format!(
                        "  ...and {} more failing. Stuck? `{INVOKE} hint {}`.\n",
                        failing.len() - 1,
                        kata.name
                    ));
                }
            }
            out.push('\n');
        }
        out
    }
}
