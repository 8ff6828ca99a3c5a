//! `grader list`: every kata in order, where it stands, and which one to do next.
//!
//! A status needs a grade. Grading every kata each time would cost a minute of loom models
//! once several are solved, so `list` remembers grades (see [`records`](crate::cli::records))
//! and grades again only the katas whose code, tests or grader changed since; with
//! `--cached` it grades nothing and marks those as changed.

use std::process::ExitCode;

use anstyle::{AnsiColor, Style};
use clap::Args;

use grader::discover::Kata;

use crate::cli::records::{Record, Standing};
use crate::cli::{Context, Failure, INVOKE, Where, shown};

/// The arguments of `grader list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Grade nothing: show the remembered grades, marking katas edited since.
    #[arg(long)]
    pub cached: bool,

    #[command(flatten)]
    pub place: Where,
}

/// A kata's line in the list.
enum Status<'a> {
    /// Graded, and the grade still holds.
    Graded(&'a Record),
    /// Graded before, but the code (or the grader) changed since.
    Changed(&'a Record),
    /// Never graded, or nothing to grade.
    Unknown,
}

/// Lists the katas.
pub fn run(args: ListArgs) -> Result<ExitCode, Failure> {
    let ctx = Context::new(&args.place)?;
    let root = ctx.submission_root()?;
    let katas = ctx.catalog.katas();
    let stale: Vec<String> = {
        let records = ctx.records();
        katas
            .iter()
            .filter(|k| records.fresh(&root, k).is_none())
            .filter(|k| root.join(&k.dir_name).join("src").join("lib.rs").is_file())
            .map(|k| k.name.clone())
            .collect()
    };
    if !args.cached && !stale.is_empty() {
        if !ctx.place.quiet {
            eprintln!(
                "grader: grading {} (new or changed since the last grade)",
                stale.join(", ")
            );
        }
        ctx.grade(&stale)?;
    }
    let records = ctx.records();
    let statuses: Vec<Status> = katas
        .iter()
        .map(|k| match (records.fresh(&root, k), records.get(&root, k)) {
            (Some(r), _) => Status::Graded(r),
            (None, Some(r)) => Status::Changed(r),
            (None, None) => Status::Unknown,
        })
        .collect();
    let mut out = anstream::stdout();
    let text = render(katas, &statuses, &root);
    use std::io::Write as _;
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|e| format!("cannot print the list: {e}"))?;
    Ok(ExitCode::SUCCESS)
}

const GREEN: Style = AnsiColor::Green.on_default();
const YELLOW: Style = AnsiColor::Yellow.on_default().bold();
const RED: Style = AnsiColor::Red.on_default().bold();
const BOLD: Style = Style::new().bold();

fn render(katas: &[Kata], statuses: &[Status], root: &std::path::Path) -> String {
    let done = |s: &Status| matches!(s, Status::Graded(r) if r.standing == Standing::Passed);
    let next = katas
        .iter()
        .zip(statuses)
        .find(|(_, s)| !done(s))
        .map(|(k, _)| k);
    let width = katas.iter().map(|k| k.dir_name.len()).max().unwrap_or(0);
    let mut out = format!("Katas in {}/:\n", shown(root));
    for (kata, status) in katas.iter().zip(statuses) {
        let marker = if next.is_some_and(|n| n.number == kata.number) {
            ">"
        } else {
            " "
        };
        let (style, word) = describe(status);
        out.push_str(&format!(
            "{marker} {:<width$}  {style}{word:<28}{style:#}  {}\n",
            kata.dir_name, kata.manifest.title
        ));
    }
    let total: u32 = statuses
        .iter()
        .map(|s| match s {
            Status::Graded(r) => r.score,
            _ => 0,
        })
        .sum();
    let max: u32 = katas.iter().map(Kata::max_score).sum();
    let passed = statuses.iter().filter(|s| done(s)).count();
    out.push_str(&format!(
        "\n{BOLD}{passed} of {} katas done, {total}/{max} points.{BOLD:#}\n",
        katas.len()
    ));
    match next {
        None => out.push_str("Every kata has full marks. Well done!\n"),
        Some(kata) => {
            let dir = root.join(&kata.dir_name);
            out.push_str(&format!(
                "Next: {}. Read {}, edit {}, and run `{INVOKE} watch {}` to regrade on every save \
                 (`{INVOKE} hint {}` if you are stuck).\n",
                kata.dir_name,
                shown(&dir.join("README.md")),
                shown(&dir.join("src").join("lib.rs")),
                kata.name,
                kata.name
            ));
        }
    }
    out
}

fn describe(status: &Status) -> (Style, String) {
    match status {
        Status::Unknown => (RED, "not graded (no src/lib.rs?)".to_string()),
        Status::Changed(r) => (YELLOW, format!("edited since {}/{}", r.score, r.max_score)),
        Status::Graded(r) => match r.standing {
            Standing::NotStarted => (Style::new(), "not started".to_string()),
            Standing::InProgress => (YELLOW, format!("in progress {}/{}", r.score, r.max_score)),
            Standing::Passed => (GREEN, format!("passed {}/{}", r.score, r.max_score)),
            Standing::BuildError => (RED, "does not compile".to_string()),
            Standing::Missing => (RED, "missing".to_string()),
            Standing::Rejected => (RED, "rejected (see the grade)".to_string()),
        },
    }
}
