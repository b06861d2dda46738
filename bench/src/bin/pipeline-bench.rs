//! In-process measurements for bench/run.sh; most print one JSON object on stdout.
//!
//! ```text
//! pipeline-bench stages <asset dir> <release out dir> [--threads N] [--no-source-maps]
//!     per-stage single-threaded costs of the pipeline's libraries over the same files
//! pipeline-bench floor <tree> <out dir> [--threads N] [--also sha384]
//!     reads, hashes (SHA-256) and writes every file of a tree on N threads: the floor of a
//!     rewrite-only build; `--also sha384` adds each file's integrity hash
//! pipeline-bench scan <tree> [--runs R]
//!     the lexers of the unminified path over every stylesheet and script of a tree, on one
//!     thread, inputs in memory: MB/s at the median of R passes (default 7)
//! pipeline-bench brotli-scaling <release out dir> [--step K] [--runs R] [--workers N]
//!     brotli 11 on 1 thread, N threads (std and rayon) and N processes, window fixed at
//!     24 bits or sized to the input
//! pipeline-bench compressible <release out dir> <gzip|zstd|brotli>
//!     lists the outputs the pipeline compresses with a coding, relative to the artifact dir,
//!     one per line (not JSON: input for the command-line compressors)
//! pipeline-bench gen-compile-crates <dir> <repo> <corpus>
//!     writes the compile-time benchmark's workspace
//! ```

use std::path::Path;
use std::process::ExitCode;

use assetlock_bench::brotli_threads::{self, Split, Window};
use assetlock_bench::built;
use assetlock_bench::timing::Summary;
use assetlock_bench::{compile_crates, stages};
use serde_json::json;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let positional: Vec<&str> = positional(&args);
    let result = match positional.as_slice() {
        ["stages", assets, out] => run_stages(&args, Path::new(assets), Path::new(out)),
        ["floor", tree, out] => floor(&args, Path::new(tree), Path::new(out)),
        ["scan", tree] => scan(&args, Path::new(tree)),
        ["compressible", out, coding] => compressible(Path::new(out), coding),
        ["brotli-scaling", out] => brotli_scaling(&args, Path::new(out)),
        ["brotli-share", out, step, window, index, of] => {
            brotli_share(out, step, window, index, of)
        }
        ["gen-compile-crates", dir, repo, corpus] => {
            compile_crates::generate(Path::new(dir), Path::new(repo), Path::new(corpus))
                .map_err(|e| e.to_string())
        }
        _ => {
            eprintln!("{}", usage());
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("pipeline-bench: {e}");
            ExitCode::FAILURE
        }
    }
}

fn usage() -> &'static str {
    "usage: pipeline-bench stages <asset dir> <out dir> [--threads N] [--no-source-maps]\n       \
     pipeline-bench floor <tree> <out dir> [--threads N] [--also sha384]\n       \
     pipeline-bench scan <tree> [--runs R]\n       \
     pipeline-bench brotli-scaling <out dir> [--step K] [--runs R] [--workers N]\n       \
     pipeline-bench compressible <out dir> <gzip|zstd|brotli>\n       \
     pipeline-bench gen-compile-crates <dir> <repo> <corpus>"
}

/// The arguments that are neither options nor option values.
fn positional(args: &[String]) -> Vec<&str> {
    let mut out = Vec::new();
    let mut skip = false;
    for arg in args {
        if skip {
            skip = false;
        } else if let Some(option) = arg.strip_prefix("--") {
            skip = !option.starts_with("no-");
        } else {
            out.push(arg.as_str());
        }
    }
    out
}

/// The value of `--name N`, or `default`.
fn option(args: &[String], name: &str, default: usize) -> Result<usize, String> {
    match args.iter().position(|a| a == name) {
        None => Ok(default),
        Some(i) => args
            .get(i + 1)
            .and_then(|v| v.parse().ok())
            .filter(|&v| v > 0)
            .ok_or(format!("{name} needs a positive number")),
    }
}

fn floor(args: &[String], tree: &Path, out: &Path) -> Result<(), String> {
    let threads = option(args, "--threads", 2)?;
    let integrity = match args.iter().position(|a| a == "--also") {
        None => false,
        Some(i) if args.get(i + 1).map(String::as_str) == Some("sha384") => true,
        Some(_) => return Err("--also takes sha384".into()),
    };
    let (files, bytes) = assetlock_bench::floor::copy_and_hash(tree, out, threads, integrity)
        .map_err(|e| e.to_string())?;
    eprintln!("copied and hashed {files} files, {bytes} bytes on {threads} threads");
    Ok(())
}

fn scan(args: &[String], tree: &Path) -> Result<(), String> {
    let runs = option(args, "--runs", 7)?;
    let mut report = serde_json::Map::new();
    for (name, css) in [("css", true), ("js", false)] {
        let scanned = assetlock_bench::scan::measure(tree, css, runs).map_err(|e| e.to_string())?;
        report.insert(
            name.into(),
            json!({
                "files": scanned.files,
                "bytes": scanned.bytes,
                "unsure": scanned.unsure,
                "seconds": scanned.seconds.json(),
                "mb_per_s": scanned.throughput(),
            }),
        );
    }
    println!("{}", serde_json::Value::Object(report));
    Ok(())
}

fn run_stages(args: &[String], assets: &Path, out: &Path) -> Result<(), String> {
    let threads = option(args, "--threads", 2)?;
    let source_maps = !args.iter().any(|a| a == "--no-source-maps");
    let costs = stages::measure(assets, out, source_maps).map_err(|e| e.to_string())?;
    let total = costs.total();
    let list: Vec<_> = costs
        .stages
        .iter()
        .map(|(name, s)| {
            json!({ "name": name, "files": s.files, "bytes": s.bytes, "seconds": s.seconds })
        })
        .collect();
    let report = json!({
        "stages": list,
        "total": total,
        "threads": threads,
        "floor": total / threads as f64,
    });
    println!("{report}");
    Ok(())
}

fn compressible(out: &Path, coding: &str) -> Result<(), String> {
    let coding = built::parse_coding(coding).ok_or(format!("unknown coding {coding}"))?;
    let assets = built::assets(out).map_err(|e| e.to_string())?;
    for asset in built::compressed_inputs(&assets, coding) {
        println!("{}", asset.path);
    }
    Ok(())
}

fn brotli_scaling(args: &[String], out: &Path) -> Result<(), String> {
    let step = option(args, "--step", 1)?;
    let runs = option(args, "--runs", 3)?;
    let workers = option(args, "--workers", 2)?;
    let files = brotli_threads::load(out, step).map_err(|e| e.to_string())?;
    let bytes: usize = files.iter().map(Vec::len).sum();
    let mut rows = Vec::new();
    for window in [Window::Fixed, Window::Sized] {
        let mut one = Vec::new();
        let mut threads = Vec::new();
        let mut processes = Vec::new();
        let mut rayon_default = Vec::new();
        let mut rayon_per_file = Vec::new();
        // Interleaved, so a burst of load from elsewhere hits every mode alike.
        for _ in 0..runs {
            let e = |e: std::io::Error| e.to_string();
            one.push(brotli_threads::run_threads(&files, 1, window).map_err(e)?);
            threads.push(brotli_threads::run_threads(&files, workers, window).map_err(e)?);
            processes.push(brotli_threads::run_processes(out, step, workers, window).map_err(e)?);
            rayon_default.push(
                brotli_threads::run_rayon(&files, workers, window, Split::Default).map_err(e)?,
            );
            rayon_per_file.push(
                brotli_threads::run_rayon(&files, workers, window, Split::PerFile).map_err(e)?,
            );
        }
        let (one, threads, processes) = (
            Summary::of(&one),
            Summary::of(&threads),
            Summary::of(&processes),
        );
        let (rayon_default, rayon_per_file) =
            (Summary::of(&rayon_default), Summary::of(&rayon_per_file));
        rows.push(json!({
            "window": window.name(),
            "one_thread": one.json(),
            "threads": threads.json(),
            "processes": processes.json(),
            "thread_speedup": one.median / threads.median,
            "process_speedup": one.median / processes.median,
            "rayon_default": rayon_default.json(),
            "rayon_default_speedup": one.median / rayon_default.median,
            "rayon_per_file": rayon_per_file.json(),
            "rayon_per_file_speedup": one.median / rayon_per_file.median,
        }));
    }
    let report = json!({
        "files": files.len(),
        "bytes": bytes,
        "workers": workers,
        "runs": runs,
        "rows": rows,
    });
    println!("{report}");
    Ok(())
}

fn brotli_share(out: &str, step: &str, window: &str, index: &str, of: &str) -> Result<(), String> {
    let parse = |s: &str| s.parse::<usize>().map_err(|e| format!("{s}: {e}"));
    let window = Window::parse(window).ok_or(format!("unknown window {window}"))?;
    let files = brotli_threads::load(Path::new(out), parse(step)?).map_err(|e| e.to_string())?;
    let shares = brotli_threads::shares(&files, parse(of)?);
    let share = shares.get(parse(index)?).ok_or("no such share")?;
    brotli_threads::compress_share(&files, share, window).map_err(|e| e.to_string())?;
    Ok(())
}
