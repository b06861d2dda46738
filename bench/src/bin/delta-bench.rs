//! Deltas between releases on the real-world corpus: the bytes a returning visitor downloads
//! after a one-line edit to `three.module.js` and to `bootstrap.css` (the `dcz` delta against
//! the previous release vs brotli-11 of the new file), and the cost of computing a release's
//! deltas vs its cold pipeline.
//!
//! ```text
//! delta-bench <corpus dir> <work dir> [--runs N]
//! ```
//!
//! Release 1 is the corpus, minified and precompressed at release levels, uploaded to a
//! `file://` destination by assetlock's uploader; release 2 applies the two edits and is built
//! against it. Prints a Markdown table; `bench/deltas.sh` runs it.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use assetlock::upload::{Destination, Options, Progress, Source};
use assetlock_bench::timing::{Summary, timed};
use assetlock_build::{Compression, Config, DeltaCoding, Output};
use serde_json::Value;

/// The one-line edits of release 2: (file, from, to).
const EDITS: &[(&str, &str, &str)] = &[
    (
        "three/build/three.module.js",
        "const REVISION = '170';",
        "const REVISION = '171';",
    ),
    (
        "bootstrap/dist/css/bootstrap.css",
        "--bs-blue: #0d6efd;",
        "--bs-blue: #0d6efe;",
    ),
];

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let runs = match args.iter().position(|a| a == "--runs") {
        Some(i) => args.get(i + 1).and_then(|n| n.parse().ok()).unwrap_or(3),
        None => 3,
    };
    let [corpus, work, ..] = args.as_slice() else {
        eprintln!("usage: delta-bench <corpus dir> <work dir> [--runs N]");
        return ExitCode::from(2);
    };
    match run(Path::new(corpus), Path::new(work), runs) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("delta-bench: {message}");
            ExitCode::FAILURE
        }
    }
}

/// A release build of `assets`: minified, every variant at its best level.
fn config(assets: &Path, out: &Path, cache: &Path) -> Config {
    let mut config = Config::new();
    config
        .asset_dir(assets)
        .out_dir(out)
        .cache_dir(cache)
        .minify(true)
        .allow_dangling("**");
    for coding in Compression::ALL {
        config.compression_level(coding, coding.max_level());
    }
    config
}

fn build(config: &Config) -> Result<Output, String> {
    config.try_compile().map_err(|e| e.to_string())
}

fn manifest(output: &Output) -> Result<Value, String> {
    let text = std::fs::read(output.manifest_path()).map_err(|e| e.to_string())?;
    serde_json::from_slice(&text).map_err(|e| e.to_string())
}

fn copy_tree(from: &Path, to: &Path) -> Result<(), String> {
    assetlock_test_support::tree::try_copy(from, to).map_err(|e| e.to_string())
}

fn run(corpus: &Path, work: &Path, runs: usize) -> Result<(), String> {
    let _ = std::fs::remove_dir_all(work);
    std::fs::create_dir_all(work).map_err(|e| e.to_string())?;
    let work = &std::path::absolute(work).map_err(|e| e.to_string())?;
    let at = |name: &str| -> PathBuf { work.join(name) };
    copy_tree(corpus, &at("v1")).and_then(|()| copy_tree(corpus, &at("v2")))?;
    for (file, from, to) in EDITS {
        let path = at("v2").join(file);
        let text = std::fs::read_to_string(&path).map_err(|e| format!("{file}: {e}"))?;
        if !text.contains(from) {
            return Err(format!("{file} has no `{from}`"));
        }
        std::fs::write(&path, text.replacen(from, to, 1)).map_err(|e| e.to_string())?;
    }

    eprintln!("release 1: cold build and upload to a file:// destination");
    let v1 = build(&config(&at("v1"), &at("out1"), &at("cache1")))?;
    let releases = at("releases");
    std::fs::create_dir_all(&releases).map_err(|e| e.to_string())?;
    let dest = Destination::from_url(&format!("file://{}", releases.display()))
        .map_err(|e| e.to_string())?;
    let source =
        Source::from_manifest_json(v1.manifest_path(), v1.dist_dir()).map_err(|e| e.to_string())?;
    let runtime = tokio::runtime::Runtime::new().map_err(|e| e.to_string())?;
    runtime
        .block_on(assetlock::upload::run(
            &source,
            &dest,
            &Options::upload().progress(Progress::Hidden),
        ))
        .map_err(|e| e.to_string())?;

    eprintln!("release 2: {runs} cold builds without deltas");
    let mut cold = Vec::new();
    for run in 0..runs {
        let cache = at(&format!("cache2-{run}"));
        let (built, seconds) = timed(|| build(&config(&at("v2"), &at("out2"), &cache)));
        built?;
        cold.push(seconds);
    }
    eprintln!("release 2: built against release 1");
    let mut with_deltas = config(&at("v2"), &at("out2-deltas"), &at("cache2-0"));
    with_deltas
        .previous_releases(&releases)
        .delta_codings(DeltaCoding::ALL);
    let v2 = build(&with_deltas)?;
    let record = manifest(&v2)?;
    let old = manifest(&v1)?;

    // Every delta of the release, recomputed from its two files: the stage's whole work.
    let mut pairs = Vec::new();
    for (logical, asset) in record["assets"].as_object().into_iter().flatten() {
        for delta in asset["deltas"].as_array().into_iter().flatten() {
            let Some(coding) = DeltaCoding::from_token(str_of(&delta["encoding"])) else {
                continue;
            };
            let new = std::fs::read(v2.dist_dir().join(str_of(&asset["path"])))
                .map_err(|e| e.to_string())?;
            let old_path = str_of(&old["assets"][logical.as_str()]["path"]);
            let dictionary = std::fs::read(releases.join(old_path)).map_err(|e| e.to_string())?;
            pairs.push((coding, new, dictionary));
        }
    }
    let mut costs = Vec::new();
    for coding in DeltaCoding::ALL {
        let mut times = Vec::new();
        for _ in 0..runs {
            let (made, seconds) = timed(|| {
                pairs
                    .iter()
                    .filter(|(c, _, _)| *c == coding)
                    .map(|(_, new, old)| delta(coding, new, old))
                    .collect::<Result<Vec<_>, _>>()
            });
            made.map_err(|e| e.to_string())?;
            times.push(seconds);
        }
        let count = pairs.iter().filter(|(c, _, _)| *c == coding).count();
        costs.push((coding, count, Summary::of(&times)));
    }

    print_report(&record, &Summary::of(&cold), &costs);
    Ok(())
}

/// The `coding` body of `target` against `dictionary`, as the pipeline makes deltas between
/// releases: the dictionary's SHA-256 (with ring, as the pipeline hashes), then the encoder.
fn delta(coding: DeltaCoding, target: &[u8], dictionary: &[u8]) -> std::io::Result<Vec<u8>> {
    let digest = ring::digest::digest(&ring::digest::SHA256, dictionary);
    let sha256: [u8; 32] = digest.as_ref().try_into().expect("a SHA-256 has 32 bytes");
    assetlock_build::compress::delta::encode(coding, target, (dictionary, &sha256))
}

fn str_of(value: &Value) -> &str {
    value.as_str().unwrap_or_default()
}

fn delta_size(asset: &Value, coding: DeltaCoding) -> Option<u64> {
    asset["deltas"]
        .as_array()?
        .iter()
        .find(|d| d["encoding"] == coding.as_str())?["size"]
        .as_u64()
}

fn print_report(record: &Value, cold: &Summary, costs: &[(DeltaCoding, usize, Summary)]) {
    println!(
        "| returning visitor, one-line edit | identity | brotli-11 | dcz delta | dcb delta | \
         dcz / brotli | dcb / brotli | target |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---|");
    let mut totals = [0u64; 3];
    let percent = |part: u64, whole: u64| 100.0 * part as f64 / whole.max(1) as f64;
    for (logical, asset) in record["assets"].as_object().into_iter().flatten() {
        let (Some(dcz), Some(dcb)) = (
            delta_size(asset, DeltaCoding::Dcz),
            delta_size(asset, DeltaCoding::Dcb),
        ) else {
            continue;
        };
        let br = asset["encodings"]["br"]["size"].as_u64().unwrap_or(0);
        for (total, size) in totals.iter_mut().zip([br, dcz, dcb]) {
            *total += size;
        }
        if EDITS.iter().any(|(file, _, _)| file == logical) {
            println!(
                "| `{logical}` | {} | {br} | {dcz} | {dcb} | {:.2} % | {:.2} % | <= 2 % |",
                asset["size"],
                percent(dcz, br),
                percent(dcb, br)
            );
        }
    }
    let [br, dcz, dcb] = totals;
    println!(
        "| every changed asset | | {br} | {dcz} | {dcb} | {:.2} % | {:.2} % | |",
        percent(dcz, br),
        percent(dcb, br)
    );
    println!();
    println!("| cost | median (min-max) | vs cold pipeline |");
    println!("|---|---:|---:|");
    println!(
        "| cold release pipeline of release 2 | {:.2} s ({:.2}-{:.2}) | 1 |",
        cold.median, cold.min, cold.max
    );
    for (coding, count, summary) in costs {
        println!(
            "| computing its {count} {coding} deltas | {:.3} s ({:.3}-{:.3}) | {:.2} % |",
            summary.median,
            summary.min,
            summary.max,
            100.0 * summary.median / cold.median
        );
    }
}
