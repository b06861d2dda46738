//! The two paths of each language find the same references: every stylesheet and script of
//! the real-world corpus (`bench/fetch-corpus.sh`), the test fixtures and the example app goes
//! through the tokenizer (kept as written) and through the full parser (lightningcss, oxc),
//! and what each reports is compared.

use std::path::{Path, PathBuf};

use crate::discover::{Files, Kind};
use crate::reference::Ref;
use crate::transform::input::{Input, Transformed};
use crate::transform::testing::{options, parsing};
use crate::transform::{TransformOptions, transform};

/// Where the files are, relative to the workspace root.
pub(crate) const TREES: &[&str] = &[
    "bench/corpus",
    "build-support/tests/fixtures",
    "tests/fixture-site/assets",
    "example-app/assets",
];

/// Files of the trees that are not what their name says: a Tailwind CSS entry is CSS only once
/// the Tailwind CLI has built it.
const NOT_PLAIN: &[&str] = &["example-app/assets/css/tailwind.css"];

pub(crate) fn files(dir: &Path, kind: Kind, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            files(&path, kind, out);
        } else if Kind::of(&path.to_string_lossy()) == kind
            && !NOT_PLAIN.iter().any(|p| path.ends_with(p))
        {
            out.push(path);
        }
    }
}

/// A reference as both paths report it: what it says, where, and how it is imported.
type Seen = (String, String, u32, Option<u32>, bool, bool);

/// For CSS, `column` is left out (lightningcss reports some `url()`s one column early, in
/// `cursor` for one, the tokenizer where the token starts) and so is an input map (chained by
/// the parser's path, linked by the tokenizer's).
fn seen(refs: &[Ref], kind: Kind) -> Vec<Seen> {
    let js = kind == Kind::Js;
    let mut seen: Vec<_> = refs
        .iter()
        .filter(|r| js || !r.target.ends_with(".map"))
        .map(|r| {
            let column = js.then_some(r.column);
            let (spec, target) = (r.spec.clone(), r.target.clone());
            (spec, target, r.line, column, r.static_import, r.via_map)
        })
        .collect();
    seen.sort();
    seen
}

/// Runs both paths over every file of `kind`; returns how many files and references were
/// compared and how many files the tokenizer left to the parser.
fn compare(kind: Kind, tokenizer: &TransformOptions, parser: &TransformOptions) -> [usize; 3] {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut paths = Vec::new();
    for tree in TREES {
        files(&root.join(tree), kind, &mut paths);
    }
    if !paths.iter().any(|p| p.starts_with(root.join(TREES[0]))) {
        eprintln!("bench/corpus is missing (bench/fetch-corpus.sh): fixtures only");
    }
    let (mut compared, mut references, mut fell_back) = (0, 0, 0);
    for path in &paths {
        let bytes = std::fs::read(path).unwrap();
        let name = path.strip_prefix(&root).unwrap().display().to_string();
        let empty = Files::new();
        let run = |options| transform(&Input::new(&name, &name, options, &empty), &bytes);
        let text = String::from_utf8_lossy(&bytes);
        if kind == Kind::Js && crate::transform::js::scan::scan(&text).is_none() {
            fell_back += 1;
        }
        match (run(tokenizer), run(parser)) {
            (Ok(scanned), Ok(parsed)) => {
                check(kind, &name, &scanned, &parsed);
                references += scanned.refs.len();
                compared += 1;
            }
            (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string(), "{name}"),
            (a, b) => panic!("{name}: one path failed: {:?} / {:?}", a.err(), b.err()),
        }
    }
    [compared, references, fell_back]
}

fn check(kind: Kind, name: &str, scanned: &Transformed, parsed: &Transformed) {
    let js = kind == Kind::Js;
    assert_eq!(
        seen(&scanned.refs, kind),
        seen(&parsed.refs, kind),
        "{name}"
    );
    if js {
        // Unminified, oxc's path keeps the file as written too: the bytes must be the same.
        assert!(scanned.bytes == parsed.bytes, "{name}: outputs differ");
        let warnings =
            |t: &Transformed| t.warnings.iter().map(|w| w.to_string()).collect::<Vec<_>>();
        assert_eq!(warnings(scanned), warnings(parsed), "{name}");
    }
}

#[test]
fn the_css_tokenizer_and_lightningcss_find_the_same_references() {
    let [compared, references, _] = compare(Kind::Css, &options(false), &parsing(false));
    eprintln!("{compared} stylesheets, {references} references, found alike");
    assert!(compared >= 10, "{compared}");
}

#[test]
fn the_js_lexer_and_oxc_find_the_same_references_and_write_the_same_bytes() {
    let [compared, references, fell_back] = compare(Kind::Js, &options(false), &parsing(false));
    eprintln!("{compared} scripts, {references} references, found alike; {fell_back} left to oxc");
    assert!(compared >= 10, "{compared}");
    assert_eq!(
        fell_back, 0,
        "the lexer should read every script of the corpus"
    );
}
