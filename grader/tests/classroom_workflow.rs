//! The GitHub Classroom workflow (.github/workflows/classroom.yml) grades every kata, each in
//! its own step worth the kata's points, and reports every step. Points live in the katas'
//! kata.toml files, so this fails (and prints the steps to paste) when the two drift apart. The
//! `--require-full-marks` flag the steps rely on is checked here too.

use std::collections::BTreeMap;
use std::path::Path;

use grader::Home;
use grader::discover::Catalog;

const COMMAND_GRADER: &str = "classroom-resources/autograding-command-grader@v1";
const REPORTER: &str = "classroom-resources/autograding-grading-reporter@v1";

/// One `- name:` entry under `steps:`, with its `key: value` lines (nested ones included,
/// keyed by their own name: the workflow has no two nested keys with the same name in a step).
#[derive(Debug, Default)]
struct Step {
    fields: BTreeMap<String, String>,
    /// Every line of the step, for block scalars such as `run: |`.
    text: String,
}

impl Step {
    fn get(&self, key: &str) -> Option<&str> {
        self.fields.get(key).map(String::as_str)
    }
}

/// The steps of the workflow's single job, read as text: the file is written by hand in a
/// small, regular subset of YAML, and the grader has no YAML parser to spare.
fn steps(workflow: &str) -> Vec<Step> {
    let mut steps = Vec::new();
    let mut in_steps = false;
    for line in workflow.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with('#') || trimmed.is_empty() {
            continue;
        }
        if trimmed == "steps:" {
            in_steps = true;
            continue;
        }
        if !in_steps {
            continue;
        }
        let entry = match trimmed.strip_prefix("- ") {
            Some(first) if line.starts_with("      - ") => {
                steps.push(Step::default());
                first
            }
            _ => trimmed,
        };
        let Some(step) = steps.last_mut() else {
            continue;
        };
        step.text.push_str(trimmed);
        step.text.push('\n');
        if let Some((key, value)) = entry.split_once(':') {
            let value = value.trim().trim_matches(|c| c == '\'' || c == '"');
            step.fields
                .entry(key.trim().to_string())
                .or_insert_with(|| value.to_string());
        }
    }
    steps
}

/// What the step for a kata must say, for the failure message.
fn expected_step(dir: &str, name: &str, max_score: u32) -> String {
    let id = name.replace('-', "_");
    format!(
        "      - name: {dir}\n        id: {id}\n        uses: {COMMAND_GRADER}\n        with:\n          \
         test-name: {dir}\n          setup-command: ''\n          command: target/debug/grader \
         {name} --quiet --require-full-marks\n          timeout: 30\n          max-score: {max_score}\n"
    )
}

#[test]
fn one_step_per_kata_worth_its_points_and_all_reported() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let home = Home::at(root.to_path_buf()).unwrap();
    let catalog = Catalog::load(&home).unwrap();
    let path = root.join(".github/workflows/classroom.yml");
    let workflow = std::fs::read_to_string(&path).unwrap();
    assert!(
        workflow.contains("\nname: Autograding Tests\n"),
        "Classroom needs this name"
    );
    assert!(
        workflow.contains("\n  run-autograding-tests:\n"),
        "and this job name"
    );

    let steps = steps(&workflow);
    let graders: Vec<&Step> = steps
        .iter()
        .filter(|s| s.get("uses") == Some(COMMAND_GRADER))
        .collect();
    let all_expected: String = catalog
        .katas()
        .iter()
        .map(|k| expected_step(&k.dir_name, &k.name, k.max_score()))
        .collect();
    let help = format!("the grading steps should be:\n{all_expected}");

    assert_eq!(graders.len(), catalog.katas().len(), "{help}");
    for (kata, step) in catalog.katas().iter().zip(&graders) {
        let id = kata.name.replace('-', "_");
        let max_score = kata.max_score().to_string();
        assert_eq!(step.get("id"), Some(id.as_str()), "{help}");
        assert_eq!(step.get("max-score"), Some(max_score.as_str()), "{help}");
        let command = step.get("command").unwrap_or_default();
        let args: Vec<&str> = command.split_whitespace().collect();
        assert_eq!(args.get(1), Some(&kata.name.as_str()), "{command}\n{help}");
        assert!(args.contains(&"--require-full-marks"), "{command}\n{help}");
        let timeout: u32 = step.get("timeout").unwrap().parse().unwrap();
        assert!((1..=360).contains(&timeout), "minutes, at most 6 hours");
    }

    let reporters: Vec<&Step> = steps
        .iter()
        .filter(|s| s.get("uses") == Some(REPORTER))
        .collect();
    assert_eq!(reporters.len(), 1);
    let reporter = reporters[0];
    let ids: Vec<String> = graders
        .iter()
        .map(|s| s.get("id").unwrap().to_string())
        .collect();
    assert_eq!(reporter.get("runners"), Some(ids.join(",").as_str()));
    for id in &ids {
        let variable = format!("{}_RESULTS", id.to_uppercase());
        let expected = format!("${{{{steps.{id}.outputs.result}}}}");
        assert_eq!(
            reporter.get(&variable),
            Some(expected.as_str()),
            "{variable}"
        );
    }
    assert!(
        steps
            .last()
            .is_some_and(|s| s.get("uses") == Some(REPORTER)),
        "the reporter runs last, after every grading step"
    );
}

#[test]
fn the_grader_is_built_before_the_steps_and_the_cache_saved_whatever_the_grades() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let workflow = std::fs::read_to_string(root.join(".github/workflows/classroom.yml")).unwrap();
    let steps = steps(&workflow);
    let position = |pred: &dyn Fn(&Step) -> bool| steps.iter().position(pred).unwrap();
    let restore = position(&|s| s.get("uses") == Some("actions/cache/restore@v4"));
    let build = position(&|s| s.text.contains("\ncargo build -p grader --locked\n"));
    let first_grade = position(&|s| s.get("uses") == Some(COMMAND_GRADER));
    let save = position(&|s| s.get("uses") == Some("actions/cache/save@v4"));
    assert!(restore < build && build < first_grade && first_grade < save);
    assert!(steps[save].get("if").unwrap().starts_with("always()"));
    // Grading runs offline; only the build step may use the network.
    assert!(workflow.contains("      CARGO_NET_OFFLINE: \"true\"\n"));
}

/// What each step relies on: `--require-full-marks` exits 1 below full marks, 0 at full marks,
/// and grading still reports normally either way.
#[test]
fn require_full_marks_fails_below_the_maximum_only() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let submission = tempfile::tempdir().unwrap();
    let lib = submission.path().join("03-race/src/lib.rs");
    std::fs::create_dir_all(lib.parent().unwrap()).unwrap();
    std::fs::copy(root.join("solutions/03-race/src/lib.rs"), &lib).unwrap();
    let grade = |katas: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_grader"))
            .args(katas)
            .arg("--submission")
            .arg(submission.path())
            .args(["--quiet", "--format", "json", "--require-full-marks"])
            .output()
            .unwrap()
    };

    let full = grade(&["race"]);
    let stderr = String::from_utf8_lossy(&full.stderr);
    assert_eq!(full.status.code(), Some(0), "{stderr}");

    // The deadlock kata is missing from the submission: 100 of 200 points.
    let half = grade(&["race", "deadlock"]);
    let stderr = String::from_utf8_lossy(&half.stderr);
    assert_eq!(half.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("--require-full-marks"), "{stderr}");
    let report: serde_json::Value = serde_json::from_slice(&half.stdout).unwrap();
    assert_eq!(report["score"].as_u64(), Some(100));
    assert_eq!(report["max_score"].as_u64(), Some(200));
}
