//! Builds a directory of assets with assetlock-build, as a build script would, and prints a
//! summary:
//!
//! ```text
//! assetlock-build-dir <asset dir> <out dir> [--minify] [--threads N] [--no-precompress]
//!     [--no-source-maps] [--allow-dangling GLOB]... [--cache DIR] [--stats]
//! ```
//!
//! Release compression levels need `PROFILE=release` or `ASSETLOCK_PRECOMPRESS=1` in the
//! environment, as in a build script; `--stats` adds the work counters as a JSON line.

use std::process::ExitCode;
use std::time::Instant;

const USAGE: &str = "usage: assetlock-build-dir <asset dir> <out dir> [--minify] [--threads N] \
                     [--no-precompress] [--no-source-maps] [--allow-dangling GLOB]... \
                     [--cache DIR] [--stats]";

fn main() -> ExitCode {
    let mut config = assetlock_build::Config::new();
    config.minify(false);
    let mut positional = Vec::new();
    let mut stats = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or_else(|| format!("{name} needs a value"));
        let parsed: Result<(), String> = match arg.as_str() {
            "--minify" => {
                config.minify(true);
                Ok(())
            }
            "--no-precompress" => {
                config.precompress([]);
                Ok(())
            }
            "--no-source-maps" => {
                config.source_maps(false);
                Ok(())
            }
            "--stats" => {
                stats = true;
                Ok(())
            }
            "--threads" => value("--threads").and_then(|n| {
                n.parse()
                    .map(|n| {
                        config.threads(n);
                    })
                    .map_err(|_| format!("--threads needs a number, got `{n}`"))
            }),
            "--allow-dangling" => value("--allow-dangling").map(|glob| {
                config.allow_dangling(glob);
            }),
            "--cache" => value("--cache").map(|dir| {
                config.cache_dir(dir);
            }),
            other if other.starts_with("--") => Err(format!("unknown option {other}")),
            _ => {
                positional.push(arg.clone());
                Ok(())
            }
        };
        if let Err(message) = parsed {
            eprintln!("{message}\n{USAGE}");
            return ExitCode::from(2);
        }
    }
    let [dir, out] = positional.as_slice() else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    config.asset_dir(dir.as_str()).out_dir(out.as_str());
    let start = Instant::now();
    match config.try_compile() {
        Ok(output) => {
            for warning in output.warnings() {
                eprintln!("warning: {warning}");
            }
            let seconds = start.elapsed().as_secs_f64();
            println!(
                "built {dir} in {seconds:.3}s: build id {}",
                output.build_id()
            );
            if stats {
                let s = output.stats();
                println!(
                    "{{\"seconds\":{seconds},\"transformed\":{},\"compressed\":{},\"cache_hits\":{}}}",
                    s.transformed, s.compressed, s.cache_hits
                );
            }
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("{error}");
            ExitCode::FAILURE
        }
    }
}
