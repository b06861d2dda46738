//! Pages: how many files a one-module edit renames (the hash cascade), with rewritten imports
//! vs an import map, on three.js from the corpus; and what the `assetlock::html` tags cost to
//! render against the same tags written by hand with `format!`.
//!
//! ```text
//! pages-bench <corpus dir> [--leaf <path under three/>] [--runs N]
//! ```

use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use assetlock_build::{Config, JsImports};

// The serving benchmark's assets, compiled in by bench/build.rs.
assetlock::include_manifest!();

/// The local module most imported by others in three.js's examples (it imports only `three`).
const DEFAULT_LEAF: &str = "examples/jsm/postprocessing/Pass.js";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(corpus) = args.first().map(PathBuf::from) else {
        eprintln!("usage: pages-bench <corpus dir> [--leaf <path under three/>] [--runs N]");
        return ExitCode::from(2);
    };
    let option = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1).cloned())
    };
    let leaf = option("--leaf").unwrap_or_else(|| DEFAULT_LEAF.to_string());
    let runs: usize = option("--runs").and_then(|n| n.parse().ok()).unwrap_or(7);
    let three = corpus.join("three");
    if !three.join(&leaf).is_file() {
        eprintln!(
            "{} not found: run bench/fetch-corpus.sh",
            three.join(&leaf).display()
        );
        return ExitCode::from(2);
    }
    println!("cascade: files renamed when three/{leaf} changes");
    for (name, mode) in [
        ("rewrite", JsImports::Rewrite),
        ("import map", JsImports::ImportMap),
    ] {
        match cascade(&three, &leaf, mode) {
            Ok((renamed, modules)) => {
                println!("  {name:<10} {renamed:>4} of {modules} JS modules renamed")
            }
            Err(e) => {
                eprintln!("{name}: {e}");
                return ExitCode::FAILURE;
            }
        }
    }
    let (pushed, displayed, by_hand) = render_cost(runs);
    println!("render: 5 tags x 10,000 pages, median of {runs} runs");
    println!(
        "  Tag::push_to    {pushed:>7.2} ms  {:.2}x format!",
        pushed / by_hand
    );
    println!(
        "  write! (Display){displayed:>7.2} ms  {:.2}x format!",
        displayed / by_hand
    );
    println!("  format! by hand {by_hand:>7.2} ms");
    ExitCode::SUCCESS
}

/// Builds a copy of `three`, edits `leaf`, builds again; the JS modules whose URL changed.
fn cascade(three: &Path, leaf: &str, mode: JsImports) -> Result<(usize, usize), String> {
    let work = tempfile::tempdir().map_err(|e| e.to_string())?;
    let assets = work.path().join("three");
    assetlock_test_support::tree::try_copy(three, &assets).map_err(|e| e.to_string())?;
    let build = |out: &str| -> Result<BTreeMap<String, String>, String> {
        let output = Config::new()
            .asset_dir(&assets)
            .out_dir(work.path().join(out))
            .cache_dir(work.path().join("cache"))
            .minify(false)
            .source_maps(false)
            .precompress([])
            .allow_dangling("**")
            .js_imports(mode)
            .import_alias("three", "build/three.module.js")
            .try_compile()
            .map_err(|e| e.to_string())?;
        let manifest: serde_json::Value = serde_json::from_slice(
            &std::fs::read(output.manifest_path()).map_err(|e| e.to_string())?,
        )
        .map_err(|e| e.to_string())?;
        Ok(manifest["assets"]
            .as_object()
            .unwrap()
            .iter()
            .filter(|(l, _)| l.ends_with(".js"))
            .map(|(l, a)| (l.clone(), a["url"].as_str().unwrap().to_owned()))
            .collect())
    };
    let before = build("out-1")?;
    let path = assets.join(leaf);
    let mut text = std::fs::read_to_string(&path).map_err(|e| e.to_string())?;
    text.push_str("\n// edited\n");
    std::fs::write(&path, text).map_err(|e| e.to_string())?;
    let after = build("out-2")?;
    let renamed = before
        .iter()
        .filter(|(l, u)| after.get(*l) != Some(*u))
        .count();
    Ok((renamed, before.len()))
}

/// Milliseconds to render the tags of 10,000 pages: `push_to`, `write!` through `Display`, and
/// `format!` by hand; medians of `runs`.
fn render_cost(runs: usize) -> (f64, f64, f64) {
    // Any two assets: what is measured is writing the tags, not what they point at.
    let css = MANIFEST.get("bench.css").unwrap();
    let js = MANIFEST.get("bench.woff2").unwrap();
    let time = |render: &dyn Fn(&mut String)| {
        let mut samples: Vec<f64> = (0..runs)
            .map(|_| {
                let start = Instant::now();
                let mut total = 0;
                for _ in 0..10_000 {
                    let mut page = String::with_capacity(1024);
                    render(&mut page);
                    total += std::hint::black_box(page).len();
                }
                std::hint::black_box(total);
                start.elapsed().as_secs_f64() * 1e3
            })
            .collect();
        samples.sort_by(f64::total_cmp);
        samples[samples.len() / 2]
    };
    let pushed = time(&|page: &mut String| {
        use assetlock::html;
        html::stylesheet(css).push_to(page);
        html::preload(css).push_to(page);
        html::module_script(js).push_to(page);
        html::modulepreload(js).push_to(page);
        html::script(js).push_to(page);
    });
    let displayed = time(&|page: &mut String| {
        use assetlock::html;
        write!(
            page,
            "{}{}{}{}{}",
            html::stylesheet(css),
            html::preload(css),
            html::module_script(js),
            html::modulepreload(js),
            html::script(js)
        )
        .unwrap();
    });
    let by_hand = time(&|page: &mut String| {
        let (cu, ci, ju, ji) = (css.url(), css.integrity(), js.url(), js.integrity());
        page.push_str(&format!(
            r#"<link rel="stylesheet" href="{cu}" integrity="{ci}" crossorigin="anonymous"><link rel="preload" href="{cu}" as="style" integrity="{ci}" crossorigin="anonymous"><script type="module" src="{ju}" integrity="{ji}" crossorigin="anonymous"></script><link rel="modulepreload" href="{ju}" integrity="{ji}" crossorigin="anonymous"><script src="{ju}" integrity="{ji}" crossorigin="anonymous" defer></script>"#
        ));
    });
    (pushed, displayed, by_hand)
}
