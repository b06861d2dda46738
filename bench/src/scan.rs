//! The lexers of the unminified path alone: every stylesheet and script of a tree scanned for
//! references, on one thread, inputs in memory, as many times as asked. It isolates the one
//! part of a rewrite-only build that reads every byte of CSS and JS (see row 8).

use std::io;
use std::path::Path;

use assetlock_build::transform;

use crate::timing::{Summary, timed};

/// What the scans of one language cost.
#[derive(Debug)]
pub struct Scanned {
    pub files: usize,
    pub bytes: usize,
    /// Files the lexer was unsure of: the pipeline lets the parser read those.
    pub unsure: usize,
    /// Seconds for one pass over all the files.
    pub seconds: Summary,
}

impl Scanned {
    /// Megabytes per second at the median.
    pub fn throughput(&self) -> f64 {
        self.bytes as f64 / self.seconds.median / 1e6
    }
}

/// Scans the stylesheets (`css`) or the scripts under `tree`, `runs` times over.
pub fn measure(tree: &Path, css: bool, runs: usize) -> io::Result<Scanned> {
    let extensions: &[&str] = if css { &["css"] } else { &["js", "mjs"] };
    let mut texts = Vec::new();
    collect(tree, extensions, &mut texts)?;
    let mut unsure = 0;
    let samples: Vec<f64> = (0..runs)
        .map(|_| {
            let (missed, seconds) = timed(|| {
                texts
                    .iter()
                    .filter(|text| {
                        std::hint::black_box(transform::count_scanned(css, text)).is_none()
                    })
                    .count()
            });
            unsure = missed;
            seconds
        })
        .collect();
    Ok(Scanned {
        files: texts.len(),
        bytes: texts.iter().map(String::len).sum(),
        unsure,
        seconds: Summary::of(&samples),
    })
}

/// The UTF-8 files under `tree` with one of `extensions`, hidden ones left out.
fn collect(tree: &Path, extensions: &[&str], out: &mut Vec<String>) -> io::Result<()> {
    let mut files = Vec::new();
    crate::floor::walk(tree, Path::new(""), &mut files)?;
    for relative in files {
        if relative
            .extension()
            .is_some_and(|e| extensions.iter().any(|x| e == *x))
            && let Ok(text) = std::fs::read_to_string(tree.join(relative))
        {
            out.push(text);
        }
    }
    Ok(())
}
