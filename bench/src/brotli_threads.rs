//! How brotli 11 scales over the pipeline's outputs: one thread, N threads of one process, and
//! N processes, each worker taking the same share of the files, with the window fixed at 24
//! bits or sized to each input.

use std::io;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

use assetlock_build::Compression;
use assetlock_build::compress::variant;

use crate::built;

/// How big a window each call gets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Window {
    /// 24 bits (16 MiB) for every file, brotli's largest standard window.
    Fixed,
    /// The smallest window that holds the file, as the pipeline does.
    Sized,
}

impl Window {
    /// `fixed` or `sized`.
    pub fn name(self) -> &'static str {
        match self {
            Window::Fixed => "fixed",
            Window::Sized => "sized",
        }
    }

    /// Parses [`Window::name`].
    pub fn parse(name: &str) -> Option<Window> {
        match name {
            "fixed" => Some(Window::Fixed),
            "sized" => Some(Window::Sized),
            _ => None,
        }
    }

    fn bits(self, len: usize) -> i32 {
        match self {
            Window::Fixed => 24,
            Window::Sized => variant::window_bits(len),
        }
    }
}

/// The outputs the build in `out_dir` compresses with brotli, every `step`-th of them by size (a
/// sample with the same mix of sizes), largest first.
///
/// # Errors
///
/// When the manifest or a file cannot be read.
pub fn load(out_dir: &Path, step: usize) -> io::Result<Vec<Vec<u8>>> {
    let assets = built::assets(out_dir)?;
    let mut inputs = built::compressed_inputs(&assets, Compression::Brotli);
    inputs.sort_by(|a, b| b.size.cmp(&a.size).then(a.logical.cmp(&b.logical)));
    let dist = built::dist_dir(out_dir);
    inputs
        .iter()
        .step_by(step.max(1))
        .map(|a| std::fs::read(dist.join(&a.path)))
        .collect()
}

/// Splits file indices into `n` shares of about equal bytes (largest first, each file to the
/// lightest share), so threads and processes get the same work.
pub fn shares(files: &[Vec<u8>], n: usize) -> Vec<Vec<usize>> {
    let mut shares = vec![(0usize, Vec::new()); n.max(1)];
    for (i, file) in files.iter().enumerate() {
        let lightest = shares
            .iter_mut()
            .min_by_key(|(bytes, _)| *bytes)
            .expect("at least one share");
        lightest.0 += file.len();
        lightest.1.push(i);
    }
    shares.into_iter().map(|(_, share)| share).collect()
}

/// Compresses the files of one share; returns the compressed bytes.
///
/// # Errors
///
/// When brotli fails.
pub fn compress_share(files: &[Vec<u8>], share: &[usize], window: Window) -> io::Result<usize> {
    let mut total = 0;
    for &i in share {
        let file = &files[i];
        total += variant::brotli_with_window(file, 11, window.bits(file.len()))?.len();
    }
    Ok(total)
}

/// Wall seconds to compress every file with `threads` threads of this process.
///
/// # Errors
///
/// When brotli fails.
pub fn run_threads(files: &[Vec<u8>], threads: usize, window: Window) -> io::Result<f64> {
    let shares = shares(files, threads);
    let start = Instant::now();
    std::thread::scope(|scope| {
        let workers: Vec<_> = shares
            .iter()
            .map(|share| scope.spawn(move || compress_share(files, share, window)))
            .collect();
        workers
            .into_iter()
            .try_for_each(|w| w.join().expect("a worker panicked").map(drop))
    })?;
    Ok(start.elapsed().as_secs_f64())
}

/// How a rayon pool hands out the files (largest first, as the pipeline orders its tasks).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Split {
    /// `par_iter()` as it comes: rayon cuts the list into a few chunks and only splits a
    /// chunk further when another thread steals it.
    Default,
    /// `par_iter().with_max_len(1)`: every file is its own piece of work.
    PerFile,
}

/// Wall seconds to compress every file on a rayon pool of `threads`, the way the pipeline's
/// `compress_all` does (one parallel iterator over the files, largest first).
///
/// # Errors
///
/// When the pool cannot start or brotli fails.
pub fn run_rayon(
    files: &[Vec<u8>],
    threads: usize,
    window: Window,
    split: Split,
) -> io::Result<f64> {
    use rayon::prelude::*;

    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(io::Error::other)?;
    let start = Instant::now();
    let compress = |file: &Vec<u8>| {
        variant::brotli_with_window(file, 11, window.bits(file.len())).map(|b| b.len())
    };
    pool.install(|| match split {
        Split::Default => files
            .par_iter()
            .map(compress)
            .collect::<io::Result<Vec<_>>>(),
        Split::PerFile => files
            .par_iter()
            .with_max_len(1)
            .map(compress)
            .collect::<io::Result<Vec<_>>>(),
    })?;
    Ok(start.elapsed().as_secs_f64())
}

/// Wall seconds to compress every file with `processes` child processes running
/// `<this program> brotli-share <out dir> <step> <window> <index> <processes>`; each child loads
/// the files itself (a few milliseconds from the page cache) and compresses its share.
///
/// # Errors
///
/// When a child cannot start or fails.
pub fn run_processes(
    out_dir: &Path,
    step: usize,
    processes: usize,
    window: Window,
) -> io::Result<f64> {
    let program = std::env::current_exe()?;
    let start = Instant::now();
    let children: Vec<_> = (0..processes)
        .map(|i| {
            Command::new(&program)
                .arg("brotli-share")
                .arg(out_dir)
                .args([
                    step.to_string(),
                    window.name().to_string(),
                    i.to_string(),
                    processes.to_string(),
                ])
                .spawn()
        })
        .collect::<io::Result<_>>()?;
    for mut child in children {
        let status = child.wait()?;
        if !status.success() {
            return Err(io::Error::other(format!("brotli-share child: {status}")));
        }
    }
    Ok(start.elapsed().as_secs_f64())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_balance_bytes() {
        let files: Vec<Vec<u8>> = [9, 7, 5, 3, 2, 2].iter().map(|&n| vec![0; n]).collect();
        let shares = shares(&files, 2);
        let bytes: Vec<usize> = shares
            .iter()
            .map(|s| s.iter().map(|&i| files[i].len()).sum())
            .collect();
        assert_eq!(bytes.iter().sum::<usize>(), 28);
        assert!(bytes.iter().all(|&b| b == 14), "{bytes:?}");
    }
}
