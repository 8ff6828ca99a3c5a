//! Mutants: buggy variants of a kata's solution that the grader must catch.
//!
//! Each is a whole `lib.rs` in `grader/katas/NN-name/mutants/`, opening with
//! `//! mutant: <the bug>` and `//! caught-by: kind:test, kind:test`.

use std::path::{Path, PathBuf};

use crate::discover::catalog::Kata;
use crate::discover::manifest::CheckKind;

/// One buggy variant and the checks that must fail on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mutant {
    /// The file.
    pub path: PathBuf,
    /// The file stem, e.g. `lost-update`.
    pub slug: String,
    /// The bug, in a sentence.
    pub description: String,
    /// The checks that catch it every run.
    pub caught_by: Vec<(CheckKind, String)>,
}

/// Every mutant of `kata`, sorted by file name.
pub fn mutants_of(kata: &Kata) -> Result<Vec<Mutant>, String> {
    let dir = kata.mutants_dir();
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Ok(Vec::new());
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .collect();
    paths.sort();
    paths.iter().map(|p| parse_mutant(p, kata)).collect()
}

fn parse_mutant(path: &Path, kata: &Kata) -> Result<Mutant, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let (description, caught_by) =
        parse_header(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    for (kind, test) in &caught_by {
        if !kata
            .manifest
            .checks
            .iter()
            .any(|c| c.kind == *kind && &c.test == test)
        {
            return Err(format!(
                "{}: caught-by names {kind}:{test}, which is not a check in kata.toml",
                path.display()
            ));
        }
    }
    Ok(Mutant {
        path: path.to_path_buf(),
        slug: path
            .file_stem()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned(),
        description,
        caught_by,
    })
}

/// Reads the `//! mutant:` and `//! caught-by:` lines.
pub fn parse_header(text: &str) -> Result<(String, Vec<(CheckKind, String)>), String> {
    let mut description = None;
    let mut caught_by = None;
    for line in text.lines().take_while(|l| l.starts_with("//!")) {
        let line = line.trim_start_matches("//!").trim();
        if let Some(d) = line.strip_prefix("mutant:") {
            description = Some(d.trim().to_string());
        } else if let Some(list) = line.strip_prefix("caught-by:") {
            let mut checks = Vec::new();
            for item in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
                let (kind, test) = item
                    .split_once(':')
                    .ok_or_else(|| format!("`{item}` is not kind:test"))?;
                let kind = CheckKind::parse(kind.trim())
                    .ok_or_else(|| format!("`{kind}` is not a check kind"))?;
                checks.push((kind, test.trim().to_string()));
            }
            caught_by = Some(checks);
        }
    }
    let description = description.ok_or("no `//! mutant:` line")?;
    let caught_by = caught_by.ok_or("no `//! caught-by:` line")?;
    if caught_by.is_empty() {
        return Err("`caught-by` names no check".into());
    }
    Ok((description, caught_by))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_header() {
        let text = "//! mutant: load then store\n//! caught-by: loom:no_lost_update, hidden:eight_threads\nuse x;";
        let (d, c) = parse_header(text).unwrap();
        assert_eq!(d, "load then store");
        assert_eq!(
            c,
            vec![
                (CheckKind::Loom, "no_lost_update".to_string()),
                (CheckKind::Hidden, "eight_threads".to_string())
            ]
        );
    }

    #[test]
    fn rejects_incomplete_headers() {
        assert!(parse_header("//! mutant: x\nfn f() {}").is_err());
        assert!(parse_header("//! caught-by: loom:x\n").is_err());
        assert!(parse_header("//! mutant: x\n//! caught-by: secret:x\n").is_err());
        assert!(parse_header("//! mutant: x\n//! caught-by:\n").is_err());
    }
}
