//! Third-party packages (bootstrap, font awesome, katex, three, d3, lodash, jquery,
//! bootstrap-icons) fetched by `bench/fetch-corpus.sh` at pinned versions: the minified build
//! succeeds, every reference resolves, every JS output parses in node, and minified libraries
//! behave like the originals.
//!
//! Skips with a message when the corpus or node is absent; CI fetches the corpus.
#![allow(clippy::disallowed_methods)]

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use support::{assert_references_resolve, manifest};

use assetlock_test_support::tools;
use assetlock_test_support::workspace::corpus;

fn node_available() -> bool {
    tools::available("node", tools::program("node"), "apt-get install nodejs")
}

/// One minified build of the corpus, shared by the tests of this file. It lives in cargo's
/// temporary dir for tests, replaced by each run: a static is never dropped, so a temporary
/// directory held by one would outlive the process.
fn build() -> Option<&'static assetlock_build::Output> {
    static BUILD: OnceLock<Option<assetlock_build::Output>> = OnceLock::new();
    BUILD
        .get_or_init(|| {
            let corpus = corpus()?;
            let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("real-world");
            let _ = std::fs::remove_dir_all(&dir);
            let output = assetlock_build::Config::new()
                .asset_dir(&corpus)
                .out_dir(dir.join("out"))
                .cache_dir(dir.join("cache"))
                .minify(true)
                .precompress([])
                .try_compile()
                .unwrap_or_else(|e| panic!("the corpus does not build:\n{e}"));
            Some(output)
        })
        .as_ref()
}

#[test]
fn corpus_builds_without_warnings_and_every_reference_resolves() {
    let Some(output) = build() else { return };
    let warnings: Vec<String> = output.warnings().map(|w| w.to_string()).collect();
    assert!(warnings.is_empty(), "{warnings:#?}");
    let assets = manifest(output)["assets"].as_object().unwrap().len();
    assert!(assets > 400, "{assets} assets");
    assert_references_resolve(output);
}

#[test]
fn fonts_referenced_from_css_are_rewritten_to_hashed_files() {
    let Some(output) = build() else { return };
    for (css, font) in [
        ("katex/dist/katex.css", "KaTeX_Main-Regular"),
        ("fontawesome/css/all.css", "fa-solid-900"),
        (
            "bootstrap-icons/font/bootstrap-icons.css",
            "bootstrap-icons",
        ),
    ] {
        let text = support::text(output, css);
        let needle = format!("{font}.");
        let at = text
            .find(&needle)
            .unwrap_or_else(|| panic!("{css} does not mention {font}"));
        let hash: String = text[at + needle.len()..]
            .chars()
            .take_while(char::is_ascii_hexdigit)
            .collect();
        assert_eq!(hash.len(), 16, "{css}: {}", &text[at..at + 60]);
    }
}

/// Whether node accepts the file as a module or as a script.
fn node_check(path: &Path, code: &[u8], scratch: &Path) -> Result<(), String> {
    let mut last = String::new();
    for extension in ["mjs", "cjs"] {
        let copy = scratch.join(format!("check.{extension}"));
        std::fs::write(&copy, code).unwrap();
        let out = Command::new("node")
            .arg("--check")
            .arg(&copy)
            .output()
            .unwrap();
        if out.status.success() {
            return Ok(());
        }
        last = String::from_utf8_lossy(&out.stderr).into_owned();
    }
    Err(format!("{}: {last}", path.display()))
}

#[test]
fn every_minified_js_output_parses_in_node() {
    let Some(output) = build() else { return };
    if !node_available() {
        return;
    }
    let manifest = manifest(output);
    let scripts: Vec<String> = manifest["assets"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(logical, _)| logical.ends_with(".js") || logical.ends_with(".mjs"))
        .map(|(_, a)| a["path"].as_str().unwrap().to_string())
        .collect();
    assert!(scripts.len() > 150, "{} scripts", scripts.len());
    let chunks: Vec<Vec<String>> = scripts
        .chunks(scripts.len().div_ceil(4))
        .map(<[String]>::to_vec)
        .collect();
    let dist = output.dist_dir();
    let failures: Vec<String> = std::thread::scope(|scope| {
        let handles: Vec<_> = chunks
            .into_iter()
            .map(|chunk| {
                let dist = dist.clone();
                scope.spawn(move || {
                    let scratch = tempfile::tempdir().unwrap();
                    chunk
                        .iter()
                        .filter_map(|p| {
                            let path = dist.join(p);
                            node_check(&path, &std::fs::read(&path).unwrap(), scratch.path()).err()
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    assert!(failures.is_empty(), "{failures:#?}");
}

/// Runs `script` in node with `ORIGINAL` and `MINIFIED` set to two files; it prints JSON.
fn node_json(script: &str, original: &Path, minified: &Path) -> serde_json::Value {
    let printed = support::output_of(
        Command::new("node")
            .arg("-e")
            .arg(script)
            .env("ORIGINAL", original)
            .env("MINIFIED", minified),
    );
    serde_json::from_str(&printed).unwrap()
}

/// Copies a built asset to a `.cjs` file so node loads it as CommonJS.
fn as_cjs(output: &assetlock_build::Output, logical: &str, dir: &Path) -> PathBuf {
    let path = dir.join(logical.replace('/', "_").replace(".js", ".cjs"));
    std::fs::write(&path, support::bytes(output, logical)).unwrap();
    path
}

#[test]
fn minified_lodash_behaves_like_the_original() {
    let Some(output) = build() else { return };
    if !node_available() {
        return;
    }
    let scratch = tempfile::tempdir().unwrap();
    let original = scratch.path().join("original.cjs");
    std::fs::copy(corpus().unwrap().join("lodash/lodash.js"), &original).unwrap();
    let minified = as_cjs(output, "lodash/lodash.js", scratch.path());
    assert!(
        std::fs::metadata(&minified).unwrap().len()
            < std::fs::metadata(&original).unwrap().len() / 4
    );
    let script = r#"
        const run = (_) => ({
          chunk: _.chunk([1, 2, 3, 4, 5], 2),
          groupBy: _.groupBy([6.1, 4.2, 6.3], Math.floor),
          sortBy: _.sortBy([{ a: 3 }, { a: 1 }, { a: 2 }], 'a'),
          merge: _.merge({ a: [{ b: 2 }] }, { a: [{ c: 3 }] }),
          camel: _.camelCase('Foo Bar--baz_qux'),
          template: _.template('hello <%= user %>!')({ user: 'fred' }),
          uniqBy: _.uniqBy([2.1, 1.2, 2.3], Math.floor),
          flattenDeep: _.flattenDeep([1, [2, [3, [4]], 5]]),
          debounceType: typeof _.debounce(() => {}, 10),
          isEqual: _.isEqual({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] }),
          version: _.VERSION,
        });
        console.log(JSON.stringify({ original: run(require(process.env.ORIGINAL)), minified: run(require(process.env.MINIFIED)) }));
    "#;
    let result = node_json(script, &original, &minified);
    assert_eq!(result["original"], result["minified"]);
    assert_eq!(result["original"]["template"], "hello fred!");
}

#[test]
fn minified_d3_behaves_like_the_original() {
    let Some(output) = build() else { return };
    if !node_available() {
        return;
    }
    let scratch = tempfile::tempdir().unwrap();
    let original = scratch.path().join("original.cjs");
    std::fs::copy(corpus().unwrap().join("d3/dist/d3.js"), &original).unwrap();
    let minified = as_cjs(output, "d3/dist/d3.js", scratch.path());
    let script = r#"
        const run = (d3) => ({
          format: d3.format(',.2f')(1234567.891),
          scale: d3.scaleLinear().domain([0, 10]).range([0, 100])(2.5),
          extent: d3.extent([3, 1, 4, 1, 5, 9, 2, 6]),
          quantile: d3.quantile([1, 2, 3, 4, 5, 6], 0.3),
          color: d3.interpolateRgb('red', 'blue')(0.5),
          time: d3.timeFormat('%Y-%m-%d')(new Date(Date.UTC(2024, 0, 15, 12))),
          bins: d3.bin().thresholds(3)([1, 2, 2, 3, 5, 8, 13]).map(b => b.length),
        });
        console.log(JSON.stringify({ original: run(require(process.env.ORIGINAL)), minified: run(require(process.env.MINIFIED)) }));
    "#;
    let result = node_json(script, &original, &minified);
    assert_eq!(result["original"], result["minified"]);
    assert_eq!(result["original"]["format"], "1,234,567.89");
}
