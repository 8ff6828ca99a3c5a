//! The gradebook: one CSV row per student, one column per kata, then the total, the maximum,
//! and why a student could not be graded.
//!
//! Written with the `csv` crate so names and reasons holding commas, quotes or line breaks
//! are quoted as spreadsheets expect, and written whole through a rename, so an interrupted
//! batch leaves the previous gradebook rather than half of a new one.

use std::path::Path;

use crate::batch::Row;
use crate::error::GradeError;
use crate::files::write_atomically;

/// The header: `student`, each kata's name, `total`, `max`, `problem`.
pub fn header(katas: &[String]) -> Vec<String> {
    let mut header = vec!["student".to_string()];
    header.extend(katas.iter().cloned());
    header.extend(["total", "max", "problem"].map(String::from));
    header
}

/// The CSV text of the gradebook.
pub fn render(katas: &[String], rows: &[Row]) -> Result<Vec<u8>, csv::Error> {
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(header(katas))?;
    for row in rows {
        let mut record = vec![row.student.clone()];
        record.extend(row.scores.iter().map(u32::to_string));
        record.push(row.total.to_string());
        record.push(row.max.to_string());
        record.push(row.problem.clone().unwrap_or_default());
        out.write_record(&record)?;
    }
    out.into_inner()
        .map_err(|e| csv::Error::from(e.into_error()))
}

/// Writes the gradebook to `path`.
pub fn write(path: &Path, katas: &[String], rows: &[Row]) -> Result<(), GradeError> {
    let what = || format!("cannot write the gradebook {}", path.display());
    let bytes =
        render(katas, rows).map_err(|e| GradeError::io(what(), std::io::Error::other(e)))?;
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|e| GradeError::io(what(), e))?;
    }
    write_atomically(path, &bytes).map_err(|e| GradeError::io(what(), e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::batch::Outcome;

    #[test]
    fn quotes_what_needs_quoting() {
        let rows = vec![Row {
            student: "O'Brien, \"Pat\"".into(),
            scores: vec![0, 100],
            total: 100,
            max: 200,
            problem: Some("line one\nline two".into()),
            outcome: Outcome::NotGraded,
        }];
        let text =
            String::from_utf8(render(&["race".into(), "deadlock".into()], &rows).unwrap()).unwrap();
        assert_eq!(
            text,
            "student,race,deadlock,total,max,problem\n\
             \"O'Brien, \"\"Pat\"\"\",0,100,100,200,\"line one\nline two\"\n"
        );
    }
}
