//! `grader solution KATA`: the reference answer, once the kata has full marks, to compare
//! with the learner's own. Before that, only with `--force` and a warning: reading the answer
//! first skips the part where the bug is found and understood, which is the lesson.

use std::process::ExitCode;

use clap::Args;

use crate::cli::{Context, Failure, INVOKE, Where, shown};

/// The arguments of `grader solution`.
#[derive(Debug, Args)]
pub struct SolutionArgs {
    /// The kata (`race`, `03-race` or `3`).
    #[arg(value_name = "KATA")]
    pub kata: String,

    /// Show it even without full marks.
    #[arg(long)]
    pub force: bool,

    #[command(flatten)]
    pub place: Where,
}

/// Prints the reference answer, or says what it takes to see it.
pub fn run(args: SolutionArgs) -> Result<ExitCode, Failure> {
    let ctx = Context::new(&args.place)?;
    let kata = ctx.kata(&args.kata)?;
    let path = ctx
        .home
        .root()
        .join("solutions")
        .join(&kata.dir_name)
        .join("src")
        .join("lib.rs");
    let answer = std::fs::read_to_string(&path).map_err(|e| {
        format!(
            "this copy of the katas has no reference answer for {} ({}: {e})",
            kata.dir_name,
            shown(&path)
        )
    })?;
    let root = ctx.submission_root()?;
    let has_code = root
        .join(&kata.dir_name)
        .join("src")
        .join("lib.rs")
        .is_file();
    // A fresh grade answers at once. Without one, grade now, unless the answer is forced
    // anyway: then a grade would only delay it.
    let score = match ctx.records().fresh(&root, kata) {
        Some(record) => Some((record.score, record.max_score)),
        None if !has_code => Some((0, kata.max_score())),
        None if args.force => None,
        None => {
            if !ctx.place.quiet {
                eprintln!("grader: grading {} first", kata.name);
            }
            let graded = ctx.grade(std::slice::from_ref(&kata.name))?;
            Some((graded.report.score, graded.report.max_score))
        }
    };
    let full = score.is_some_and(|(score, max)| score == max);
    if !full {
        let standing = match score {
            Some((score, max)) => format!("{} has {score}/{max}", kata.dir_name),
            None => format!(
                "{} has not been graded since it last changed",
                kata.dir_name
            ),
        };
        if !args.force {
            println!(
                "{standing}: its reference answer opens at full marks, so you can compare it \
                 with yours. `{INVOKE} hint {}` gives a hint; `{INVOKE} solution {} --force` \
                 shows the answer anyway.",
                kata.name, kata.name
            );
            return Ok(ExitCode::FAILURE);
        }
        eprintln!(
            "warning: {standing}. Reading the answer before finding the bug yourself skips the \
             lesson; try `{INVOKE} hint {}` first.",
            kata.name
        );
    }
    println!(
        "// The reference answer for {} ({}), from {}.",
        kata.dir_name,
        kata.manifest.title,
        shown(&path)
    );
    print!("{answer}");
    Ok(ExitCode::SUCCESS)
}
