//! Builds a directory of assets with assetlock-build, as a build script would, and prints a
//! summary: `assetlock-build-dir <asset dir> <out dir> [--minify] [--threads N]`.

use std::process::ExitCode;
use std::time::Instant;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let positional: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();
    let (Some(dir), Some(out)) = (positional.first(), positional.get(1)) else {
        eprintln!("usage: assetlock-build-dir <asset dir> <out dir> [--minify] [--threads N]");
        return ExitCode::from(2);
    };
    let mut config = assetlock_build::Config::new();
    config.asset_dir(dir.as_str()).out_dir(out.as_str());
    config.minify(args.iter().any(|a| a == "--minify"));
    let threads = args.iter().position(|a| a == "--threads");
    if let Some(n) = threads.and_then(|i| args.get(i + 1)?.parse().ok()) {
        config.threads(n);
    }
    let start = Instant::now();
    match config.try_compile() {
        Ok(output) => {
            for warning in output.warnings() {
                eprintln!("warning: {warning}");
            }
            println!(
                "built {} in {:.3}s: build id {}",
                dir,
                start.elapsed().as_secs_f64(),
                output.build_id()
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("{error}");
            ExitCode::FAILURE
        }
    }
}
