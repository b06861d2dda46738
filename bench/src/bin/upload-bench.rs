//! The upload benchmark: assetlock's first upload and no-change re-upload of a build, beside
//! `aws s3 sync` of the same files, against one local S3 server (`s3-server`), in one run.
//!
//! `upload-bench --endpoint URL --manifest PATH --dist DIR [--runs N] [--aws CMD]`
//!
//! Run `i` uploads into the empty buckets `assetlock-<i>` and `sync-<i>`, which the server
//! must have. Credentials, region and `AWS_ALLOW_HTTP` come from the environment, as for
//! `upload-assets`; `bench/upload.sh` sets everything up. Prints a markdown table of medians.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use assetlock::upload::{Destination, Options, Progress, Source, run};

struct Args {
    endpoint: String,
    manifest: PathBuf,
    dist: PathBuf,
    runs: usize,
    aws: String,
}

/// Requests the server counted during one step.
#[derive(Clone, Copy, Debug, Default)]
struct Stats {
    lists: u64,
    puts: u64,
    requests: u64,
}

/// One measured step.
#[derive(Clone, Copy)]
struct Sample {
    time: Duration,
    stats: Stats,
}

fn parse_args() -> Result<Args, String> {
    let mut args = std::env::args().skip(1);
    let (mut endpoint, mut manifest, mut dist) = (None, None, None);
    let (mut runs, mut aws) = (5, "aws".to_owned());
    while let Some(arg) = args.next() {
        let value = args.next().ok_or(format!("{arg} needs a value"))?;
        match arg.as_str() {
            "--endpoint" => endpoint = Some(value),
            "--manifest" => manifest = Some(PathBuf::from(value)),
            "--dist" => dist = Some(PathBuf::from(value)),
            "--runs" => runs = value.parse().map_err(|e| format!("--runs: {e}"))?,
            "--aws" => aws = value,
            _ => return Err(format!("unknown option {arg}")),
        }
    }
    Ok(Args {
        endpoint: endpoint.ok_or("missing --endpoint")?,
        manifest: manifest.ok_or("missing --manifest")?,
        dist: dist.ok_or("missing --dist")?,
        runs: runs.max(1),
        aws,
    })
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(message) => {
            eprintln!(
                "{message}\nusage: upload-bench --endpoint URL --manifest PATH \
                 --dist DIR [--runs N] [--aws CMD]"
            );
            return ExitCode::from(2);
        }
    };
    let runtime = tokio::runtime::Runtime::new().expect("tokio runtime");
    match runtime.block_on(bench(&args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("upload-bench: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn bench(args: &Args) -> Result<(), String> {
    let source =
        Source::from_manifest_json(&args.manifest, &args.dist).map_err(|e| e.to_string())?;
    let (files, bytes) = count_files(&args.dist).map_err(|e| e.to_string())?;
    let http = reqwest::Client::new();
    let (mut first, mut again, mut sync) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..args.runs {
        let url = format!("s3://assetlock-{i}/assets");
        let dest = Destination::from_url(&url).map_err(|e| e.to_string())?;
        // Maps included, so both tools upload exactly the files of the dist dir.
        let options = Options::upload()
            .include_maps(true)
            .progress(Progress::Hidden);

        first.push(
            measure(&http, &args.endpoint, || async {
                run(&source, &dest, &options)
                    .await
                    .map(drop)
                    .map_err(|e| e.to_string())
            })
            .await?,
        );
        again.push(
            measure(&http, &args.endpoint, || async {
                run(&source, &dest, &options)
                    .await
                    .map(drop)
                    .map_err(|e| e.to_string())
            })
            .await?,
        );
        let target = format!("s3://sync-{i}/assets/");
        sync.push(
            measure(&http, &args.endpoint, || async {
                aws_sync(&args.aws, &args.endpoint, &args.dist, &target)
            })
            .await?,
        );
        eprintln!(
            "run {}: assetlock {:.3}s, re-upload {:.3}s, aws s3 sync {:.3}s",
            i + 1,
            first[i].time.as_secs_f64(),
            again[i].time.as_secs_f64(),
            sync[i].time.as_secs_f64()
        );
    }

    let (first_t, again_t, sync_t) = (median(&first), median(&again), median(&sync));
    println!(
        "\nUpload of {files} files ({:.1} MiB, build {}) to a local s3s-fs server, \
         median of {} runs:\n",
        bytes as f64 / 1024.0 / 1024.0,
        source.build_id(),
        args.runs
    );
    println!("| step | median | LIST requests | PUT requests | all requests |");
    println!("|---|---:|---:|---:|---:|");
    for (name, samples, time) in [
        ("assetlock, first upload", &first, first_t),
        ("assetlock, re-upload (no change)", &again, again_t),
        ("`aws s3 sync`, same files", &sync, sync_t),
    ] {
        let stats = samples[samples.len() / 2].stats;
        println!(
            "| {name} | {:.3} s | {} | {} | {} |",
            time.as_secs_f64(),
            stats.lists,
            stats.puts,
            stats.requests
        );
    }
    let ratio = sync_t.as_secs_f64() / first_t.as_secs_f64();
    println!(
        "\nFirst upload: {ratio:.1}x faster than `aws s3 sync` (target >= 3x: {}).",
        verdict(ratio >= 3.0)
    );
    // The prefix holds the files plus the release record; S3 lists at most 1000 keys a page.
    let pages = (files as u64 + 1).div_ceil(1000);
    let no_change = again
        .iter()
        .all(|s| s.stats.lists == pages && s.stats.puts == 0);
    println!(
        "Re-upload: one paginated LIST ({pages} LIST requests for {} keys, at most 1000 a \
         page) and 0 PUTs in every run (target one LIST, 0 PUTs: {}).",
        files + 1,
        verdict(no_change)
    );
    Ok(())
}

fn verdict(met: bool) -> &'static str {
    if met { "met" } else { "NOT met" }
}

/// Times one step and reads the server's request counters for it.
async fn measure<F, Fut>(http: &reqwest::Client, endpoint: &str, step: F) -> Result<Sample, String>
where
    F: FnOnce() -> Fut,
    Fut: Future<Output = Result<(), String>>,
{
    http.post(format!("{endpoint}/__reset"))
        .send()
        .await
        .map_err(|e| format!("resetting the server's counters: {e}"))?;
    let start = Instant::now();
    step().await?;
    let time = start.elapsed();
    let read_error = |e: &dyn std::fmt::Display| format!("reading the server's counters: {e}");
    let body = http
        .get(format!("{endpoint}/__stats"))
        .send()
        .await
        .and_then(|r| r.error_for_status())
        .map_err(|e| read_error(&e))?
        .bytes()
        .await
        .map_err(|e| read_error(&e))?;
    let stats: serde_json::Value = serde_json::from_slice(&body).map_err(|e| read_error(&e))?;
    let count = |name: &str| stats[name].as_u64().unwrap_or(0);
    let stats = Stats {
        lists: count("lists"),
        puts: count("puts"),
        requests: count("requests"),
    };
    Ok(Sample { time, stats })
}

fn aws_sync(aws: &str, endpoint: &str, dist: &Path, target: &str) -> Result<(), String> {
    let status = Command::new(aws)
        .args([
            "s3",
            "sync",
            "--only-show-errors",
            "--endpoint-url",
            endpoint,
        ])
        .arg(dist)
        .arg(target)
        .stdin(Stdio::null())
        .status()
        .map_err(|e| format!("running `{aws} s3 sync`: {e}"))?;
    match status.success() {
        true => Ok(()),
        false => Err(format!("`{aws} s3 sync` failed: {status}")),
    }
}

fn median(samples: &[Sample]) -> Duration {
    let mut times: Vec<Duration> = samples.iter().map(|s| s.time).collect();
    times.sort();
    times[times.len() / 2]
}

fn count_files(dir: &Path) -> std::io::Result<(usize, u64)> {
    let (mut files, mut bytes) = (0, 0);
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_type()?.is_dir() {
            let (f, b) = count_files(&entry.path())?;
            files += f;
            bytes += b;
        } else {
            files += 1;
            bytes += entry.metadata()?.len();
        }
    }
    Ok((files, bytes))
}
