//! The two CSS paths find the same references: every stylesheet of the real-world corpus
//! (`bench/fetch-corpus.sh`), the test fixtures and the example app goes through the tokenizer
//! scan (kept as written) and through lightningcss (lowered and printed), and the references
//! each reports are compared, line included. Columns are not: lightningcss reports some
//! `url()`s one column early (in `cursor`, for one), the tokenizer where the token starts.

use std::path::{Path, PathBuf};

use crate::reference::Ref;
use crate::transform::Files;
use crate::transform::input::Input;
use crate::transform::testing::options;

/// Where stylesheets are, relative to the workspace root.
const TREES: &[&str] = &[
    "bench/corpus",
    "build-support/tests/fixtures",
    "tests/fixture-site/assets",
    "example-app/assets",
];

fn stylesheets(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            stylesheets(&path, out);
        } else if path.extension().is_some_and(|e| e == "css") {
            out.push(path);
        }
    }
}

/// What a reference says, and on which line.
fn seen(refs: &[Ref]) -> Vec<(String, String, u32)> {
    let mut seen: Vec<_> = refs
        .iter()
        // The input map: chained by one path, linked by the other.
        .filter(|r| !r.target.ends_with(".map"))
        .map(|r| (r.spec.clone(), r.target.clone(), r.line))
        .collect();
    seen.sort();
    seen
}

#[test]
fn the_tokenizer_and_lightningcss_find_the_same_references() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    for tree in TREES {
        stylesheets(&root.join(tree), &mut files);
    }
    let corpus = files.iter().filter(|f| f.starts_with(root.join(TREES[0])));
    if corpus.count() == 0 {
        eprintln!("bench/corpus is missing (bench/fetch-corpus.sh): fixtures only");
    }
    let as_written = options(false);
    let mut lowered = options(false);
    lowered.lower_unminified_css = true;
    let (mut compared, mut references) = (0, 0);
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap();
        let name = path.strip_prefix(&root).unwrap().display().to_string();
        let empty = Files::new();
        let run = |options| {
            let input = Input::new(&name, &name, options, &empty);
            super::transform(&input, &text)
        };
        match (run(&as_written), run(&lowered)) {
            (Ok(scanned), Ok(parsed)) => {
                let (scanned, parsed) = (seen(&scanned.refs), seen(&parsed.refs));
                assert_eq!(scanned, parsed, "{name}");
                references += scanned.len();
                compared += 1;
            }
            (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string(), "{name}"),
            (a, b) => panic!("{name}: one path failed: {:?} / {:?}", a.err(), b.err()),
        }
    }
    eprintln!("{compared} stylesheets, {references} references, found alike");
    assert!(compared >= 10, "{compared}");
}
