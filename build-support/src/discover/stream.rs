//! Files that need no transform, hashed while streaming and copied into the artifact dir
//! without ever being held in memory.
//!
//! An image, a font, a video or any other file that is neither CSS, JS nor a source map, and
//! that gets no precompressed variant, has no reference to rewrite: its output is its input.
//! Such a file is read [`CHUNK`] bytes at a time to hash it (SHA-256 for its name and, unless
//! that gives it, the hash of its integrity value), then copied by the operating system into
//! the artifact dir and, when the bytes are embedded, into the pack. What a build holds in
//! memory is then set by the files it transforms or compresses, not by the size of the tree: a
//! 1 GB video costs one buffer per thread.
//!
//! A stylesheet, script or source map that its transform leaves as read, and that no coding
//! compresses ([`compressed`]), is not held either: once read and hashed, it is copied from its
//! source in the same way.

use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use ring::digest::{Context, SHA256};

use crate::Integrity;
use crate::compress;
use crate::discover::Kind;
use crate::fs::CHUNK;
use crate::settings::Settings;

/// A file of the streaming lane: where it is and what it hashes to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Streamed {
    pub path: PathBuf,
    pub size: u64,
    pub sha256: [u8; 32],
    /// Its `integrity` value.
    pub integrity: String,
}

/// Whether the file `logical` of `size` bytes goes through the streaming lane: it is not
/// transformed (not CSS or JS), no transform reads it (not a source map), and no coding
/// compresses it.
pub(crate) fn eligible(settings: &Settings, logical: &str, size: u64) -> bool {
    Kind::of(logical) == Kind::Other
        && !logical.ends_with(".map")
        && !compressed(settings, logical, size)
}

/// Whether a coding of the build compresses the file `logical` of `size` bytes. A file that
/// no coding compresses needs its bytes for nothing but its hash: a transformed file that
/// comes out as read is then copied from its source as a streamed one is, not held.
pub(crate) fn compressed(settings: &Settings, logical: &str, size: u64) -> bool {
    let content_type = assetlock_contract::mime::content_type(logical);
    let len = usize::try_from(size).unwrap_or(usize::MAX);
    settings
        .precompress
        .iter()
        .any(|&(coding, _)| compress::attempted(coding, logical, content_type, len))
}

/// Hashes the file at `path`, one chunk at a time, for its name and its `integrity` value.
pub(crate) fn hash_file(path: &Path, integrity: Integrity) -> io::Result<Streamed> {
    let mut file = File::open(path)?;
    let mut sha256 = Context::new(&SHA256);
    let mut second = integrity.hasher();
    let mut buffer = vec![0; CHUNK];
    let mut size = 0u64;
    loop {
        let read = match file.read(&mut buffer) {
            Ok(0) => break,
            Ok(read) => read,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        sha256.update(&buffer[..read]);
        if let Some(second) = &mut second {
            second.update(&buffer[..read]);
        }
        size += read as u64;
    }
    let mut digest = [0; 32];
    digest.copy_from_slice(sha256.finish().as_ref());
    Ok(Streamed {
        path: path.to_path_buf(),
        size,
        sha256: digest,
        integrity: integrity.finish(second, &digest),
    })
}

/// SHA-256 of the file at `path`, one chunk at a time.
pub(crate) fn sha256_file(path: &Path) -> io::Result<[u8; 32]> {
    hash_file(path, Integrity::Sha256).map(|streamed| streamed.sha256)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_agree_with_the_in_memory_ones() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.bin");
        let bytes: Vec<u8> = (0..CHUNK * 2 + 123).map(|i| (i * 7 % 251) as u8).collect();
        std::fs::write(&path, &bytes).unwrap();
        let sha256 = crate::hash::sha256(&bytes);
        for integrity in [Integrity::Sha256, Integrity::Sha384] {
            let streamed = hash_file(&path, integrity).unwrap();
            assert_eq!(streamed.size, bytes.len() as u64);
            assert_eq!(streamed.sha256, sha256);
            assert_eq!(streamed.integrity, integrity.of(&bytes, &sha256));
        }
    }
}
