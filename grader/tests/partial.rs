//! One broken or missing kata never stops the others from being graded, the submission is
//! never written to, and the JSON report keeps its documented shape.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use grader::discover::Catalog;
use grader::report::{KataState, Status};

fn snapshot(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                files.insert(path.clone(), std::fs::read(&path).unwrap());
            }
        }
    }
    files
}

#[test]
fn broken_and_missing_katas_are_graded_alongside_good_ones() {
    let home = common::home();
    let catalog = Catalog::load(&home).unwrap();
    let race = catalog.find("race").unwrap();
    let deadlock = catalog.find("deadlock").unwrap();
    let threads = catalog.find("threads").unwrap();

    let dir = tempfile::tempdir().unwrap();
    common::write_kata(dir.path(), race, "pub struct Counter {\n    oops\n}\n");
    let good = std::fs::read_to_string(
        home.root()
            .join("solutions")
            .join(&deadlock.dir_name)
            .join("src/lib.rs"),
    )
    .unwrap();
    common::write_kata(dir.path(), deadlock, &good);
    // The right kata under the wrong folder name.
    std::fs::create_dir_all(dir.path().join("1-threads/src")).unwrap();
    std::fs::write(dir.path().join("1-threads/src/lib.rs"), "").unwrap();
    let before = snapshot(dir.path());

    let mut options = common::options("partial", dir.path());
    options.katas = vec!["threads".into(), "race".into(), "deadlock".into()];
    let graded = common::grade(&options);
    let report = &graded.report;

    let t = common::kata(report, &threads.name);
    assert_eq!(t.state, KataState::Missing);
    assert_eq!(t.score, 0);
    let why = t.message.as_deref().unwrap_or_default();
    assert!(why.contains("rename it to `01-threads`"), "{why}");

    let r = common::kata(report, &race.name);
    assert_eq!(r.state, KataState::BuildError);
    assert_eq!(r.score, 0);
    let why = r.message.as_deref().unwrap_or_default();
    assert!(why.contains("does not compile"), "{why}");
    assert!(why.contains("03-race/src/lib.rs"), "{why}");
    assert!(r.checks.iter().all(|c| c.status == Status::BuildError));

    let d = common::kata(report, &deadlock.name);
    assert_eq!(d.state, KataState::Passed, "{}", common::dump(report));

    assert_eq!(
        snapshot(dir.path()),
        before,
        "the submission folder was modified"
    );

    // The JSON shape the issue documents, checked on a report with every status we can
    // produce here.
    let json: serde_json::Value =
        serde_json::from_str(&grader::report::render_json(report)).unwrap();
    assert!(json["score"].is_u64() && json["max_score"].is_u64());
    for kata in json["katas"].as_array().unwrap() {
        assert!(kata["name"].is_string() && kata["score"].is_u64() && kata["max_score"].is_u64());
        assert!(!kata["name"].as_str().unwrap().starts_with(char::is_numeric));
        for check in kata["checks"].as_array().unwrap() {
            assert!(check["name"].is_string() && check["output"].is_string());
            assert!(check["score"].is_u64() && check["max_score"].is_u64());
            let kind = check["kind"].as_str().unwrap();
            assert!(
                ["visible", "hidden", "loom", "property"].contains(&kind),
                "{kind}"
            );
            let status = check["status"].as_str().unwrap();
            assert!(
                ["passed", "failed", "timed_out", "build_error"].contains(&status),
                "{status}"
            );
        }
    }
}
