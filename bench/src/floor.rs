//! The floor of a rewrite-only build: every file of a tree read, hashed with SHA-256 and
//! written to another tree, on a pool of threads, with nothing else done. A pipeline that
//! also finds and rewrites references cannot beat it. With `integrity`, each file also gets
//! the SHA-384 that a build with `Integrity::Sha384` computes for its `integrity` values, with
//! the same library (ring): the floor of such a build.

use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use sha2::{Digest, Sha256};

/// Copies every file under `src` to the same place under `out`, hashing each on the way (and
/// taking its SHA-384 too with `integrity`), on `threads` threads. Returns the number of files
/// and bytes.
pub fn copy_and_hash(
    src: &Path,
    out: &Path,
    threads: usize,
    integrity: bool,
) -> io::Result<(usize, u64)> {
    let mut files = Vec::new();
    walk(src, Path::new(""), &mut files)?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(io::Error::other)?;
    let bytes = pool.install(|| {
        files
            .par_iter()
            .map(|relative| {
                let bytes = std::fs::read(src.join(relative))?;
                let digest = Sha256::digest(&bytes);
                if integrity {
                    std::hint::black_box(ring::digest::digest(&ring::digest::SHA384, &bytes));
                }
                let target = out.join(relative);
                if let Some(parent) = target.parent() {
                    std::fs::create_dir_all(parent)?;
                }
                std::fs::write(&target, &bytes)?;
                // Kept alive, so the hashing cannot be optimised away.
                std::hint::black_box(digest);
                Ok(bytes.len() as u64)
            })
            .sum::<io::Result<u64>>()
    })?;
    Ok((files.len(), bytes))
}

/// The files under `dir`, relative to the tree's root; hidden files (the corpus's markers)
/// are left out, as the pipeline leaves them out.
pub(crate) fn walk(dir: &Path, relative: &Path, out: &mut Vec<PathBuf>) -> io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name();
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        let path = relative.join(&name);
        if entry.file_type()?.is_dir() {
            walk(&entry.path(), &path, out)?;
        } else {
            out.push(path);
        }
    }
    Ok(())
}
