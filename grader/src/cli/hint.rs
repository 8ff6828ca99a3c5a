//! `grader hint KATA`: the kata's hints, one level at a time: a nudge, then the technique,
//! then the shape of the answer. The hints live in the kata's manifest (`[lesson] hints`);
//! which level the learner has reached is remembered in the state folder, so asking again
//! moves on and a hint once read can be read again with `--level`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;

use grader::discover::Kata;

use crate::cli::{Context, Failure, INVOKE, Where};
use grader::files::write_atomically;

/// The arguments of `grader hint`.
#[derive(Debug, Args)]
pub struct HintArgs {
    /// The kata (`race`, `03-race` or `3`).
    #[arg(value_name = "KATA")]
    pub kata: String,

    /// Show hint N (1 is the gentlest) instead of the next one.
    #[arg(long, value_name = "N", conflicts_with = "reset")]
    pub level: Option<usize>,

    /// Forget which hints you have seen for this kata: the next one is the first again.
    #[arg(long)]
    pub reset: bool,

    #[command(flatten)]
    pub place: Where,
}

/// What each level is, for the heading.
fn level_name(level: usize) -> &'static str {
    match level {
        1 => "a nudge",
        2 => "the technique",
        3 => "the shape of the answer",
        _ => "one more",
    }
}

/// Prints the next hint (or the one asked for) and remembers it was seen.
pub fn run(args: HintArgs) -> Result<ExitCode, Failure> {
    let ctx = Context::new(&args.place)?;
    let kata = ctx.kata(&args.kata)?;
    let hints = &kata.manifest.lesson.hints;
    let mut seen = Seen::load(&ctx.state_dir());
    if args.reset {
        seen.set(kata, 0);
        seen.save()
            .map_err(|e| format!("cannot remember the hints you have seen: {e}"))?;
        println!(
            "Hints for {} start again from the first: `{INVOKE} hint {}`.",
            kata.dir_name, kata.name
        );
        return Ok(ExitCode::SUCCESS);
    }
    if hints.is_empty() {
        println!(
            "{} has no hints yet. Its lesson is {}.",
            kata.dir_name,
            crate::cli::shown(
                &ctx.home
                    .exercises_dir()
                    .join(&kata.dir_name)
                    .join("README.md")
            )
        );
        return Ok(ExitCode::SUCCESS);
    }
    let before = seen.get(kata);
    let level = match args.level {
        Some(n) if (1..=hints.len()).contains(&n) => n,
        Some(n) => {
            return Err(format!(
                "{} has {} hints: --level takes 1 to {}, not {n}",
                kata.name,
                hints.len(),
                hints.len()
            ));
        }
        None => (before + 1).min(hints.len()),
    };
    print!("{}", render(kata, level, before, args.level.is_some()));
    seen.set(kata, before.max(level));
    // Forgetting a level only means showing it again; not worth failing the command over.
    let _ = seen.save();
    Ok(ExitCode::SUCCESS)
}

/// The text for hint `level` of `kata`, given that `before` levels had been seen; `chosen`
/// when the learner asked for this level, so the way on is another `--level`.
fn render(kata: &Kata, level: usize, before: usize, chosen: bool) -> String {
    let hints = &kata.manifest.lesson.hints;
    let total = hints.len();
    let mut out = format!(
        "{} ({}), hint {level} of {total}: {}\n\n",
        kata.dir_name,
        kata.manifest.title,
        level_name(level)
    );
    for line in wrap(&hints[level - 1], 88) {
        out.push_str(&format!("  {line}\n"));
    }
    out.push('\n');
    let name = &kata.name;
    if level < total {
        let again = if chosen && before > level {
            format!("`{INVOKE} hint {name} --level {}`", level + 1)
        } else {
            format!("`{INVOKE} hint {name}` again")
        };
        out.push_str(&format!(
            "Still stuck? {again} shows hint {} ({}).\n",
            level + 1,
            level_name(level + 1)
        ));
    } else if before >= total {
        out.push_str(&format!(
            "That is the last hint. Reread any with `{INVOKE} hint {name} --level N` (1 to \
             {total}); `{INVOKE} solution {name}` shows the reference answer once {name} has full \
             marks.\n"
        ));
    } else {
        out.push_str(&format!(
            "That was the last hint. Once {name} has full marks, `{INVOKE} solution {name}` shows \
             the reference answer to compare with yours.\n"
        ));
    }
    out
}

/// Splits `text` into lines of at most `width` characters at spaces.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.lines() {
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
                lines.push(std::mem::take(&mut line));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        lines.push(line);
    }
    lines
}

/// Which hint level each kata has reached, kept in `hints.json` in the state folder.
struct Seen {
    path: PathBuf,
    levels: BTreeMap<String, usize>,
}

impl Seen {
    fn load(state_dir: &Path) -> Seen {
        let path = state_dir.join("hints.json");
        let levels = std::fs::read_to_string(&path)
            .ok()
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or_default();
        Seen { path, levels }
    }

    fn get(&self, kata: &Kata) -> usize {
        self.levels.get(&kata.dir_name).copied().unwrap_or(0)
    }

    fn set(&mut self, kata: &Kata, level: usize) {
        if level == 0 {
            self.levels.remove(&kata.dir_name);
        } else {
            self.levels.insert(kata.dir_name.clone(), level);
        }
    }

    fn save(&self) -> std::io::Result<()> {
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let text = serde_json::to_string_pretty(&self.levels).expect("levels serialize");
        write_atomically(&self.path, text.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_at_spaces() {
        assert_eq!(wrap("aa bb cc", 5), vec!["aa bb", "cc"]);
        assert_eq!(wrap("one\ntwo", 80), vec!["one", "two"]);
    }

    #[test]
    fn remembers_levels_per_kata() {
        let dir = tempfile::tempdir().unwrap();
        let kata = |dir_name: &str| {
            Kata {
            number: 3,
            name: "race".into(),
            dir_name: dir_name.into(),
            manifest: grader::discover::Manifest::parse(
                "title = \"t\"\n[[check]]\nkind = \"visible\"\ntest = \"a\"\nname = \"a\"\npoints = 1\n",
            )
            .unwrap(),
            test_files: Default::default(),
            private_dir: dir.path().to_path_buf(),
        }
        };
        let mut seen = Seen::load(dir.path());
        seen.set(&kata("03-race"), 2);
        seen.save().unwrap();
        let seen = Seen::load(dir.path());
        assert_eq!(seen.get(&kata("03-race")), 2);
        assert_eq!(seen.get(&kata("04-deadlock")), 0);
    }
}
