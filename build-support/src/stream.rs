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
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use ring::digest::{Context, SHA256};

use crate::Integrity;
use crate::compress;
use crate::settings::Settings;
use crate::transform::Kind;

/// How much of a streamed file is read at a time.
pub(crate) const CHUNK: usize = 256 * 1024;

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

/// Copies `from`, which had `size` bytes when it was hashed, to `to` (creating parent dirs),
/// unless `to` already holds as many bytes and is not older than `from`: an artifact's name
/// carries its content hash, and a live build's artifact is copied again after every edit of
/// its source. Fails, leaving no file, if `from` no longer has `size` bytes.
///
/// A file that exists is replaced through a sibling and a rename, so a reader never sees half
/// of it; a new file is copied in place, which costs one file creation instead of two.
pub(crate) fn copy_if_changed(from: &Path, to: &Path, size: u64) -> io::Result<()> {
    let mut source = File::open(from)?;
    let target = match crate::emit::create_new(to) {
        // Within one file system, the kernel copies without passing the bytes through here.
        Ok(mut target) => return checked(io::copy(&mut source, &mut target), from, to, size),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => std::fs::metadata(to)?,
        Err(e) => return Err(e),
    };
    if let Ok(source) = std::fs::metadata(from)
        && source.len() == target.len()
        && matches!((source.modified(), target.modified()), (Ok(s), Ok(t)) if t >= s)
    {
        return Ok(());
    }
    let temp = crate::emit::sibling(to);
    let copied = File::create(&temp).and_then(|mut temp| io::copy(&mut source, &mut temp));
    checked(copied, from, &temp, size)?;
    std::fs::rename(&temp, to)
}

/// A copy of `from` to `to` that gave `copied` bytes, checked against `size`: a copy of
/// another size is removed.
fn checked(copied: io::Result<u64>, from: &Path, to: &Path, size: u64) -> io::Result<()> {
    match copied {
        Ok(copied) if copied == size => Ok(()),
        result => {
            let _ = std::fs::remove_file(to);
            Err(result.err().unwrap_or_else(|| changed(from, size)))
        }
    }
}

/// Appends the file at `from` to `out`, one chunk at a time; fails if its size is no longer
/// `size` (it changed after it was hashed).
pub(crate) fn append(from: &Path, size: u64, out: &mut impl Write) -> io::Result<()> {
    let copied = io::copy(&mut File::open(from)?.take(size + 1), out)?;
    if copied != size {
        return Err(changed(from, size));
    }
    Ok(())
}

/// The error for a file that no longer has the `size` bytes it had when it was hashed.
fn changed(path: &Path, size: u64) -> io::Error {
    io::Error::other(format!(
        "{} changed during the build ({size} bytes when hashed)",
        path.display()
    ))
}

/// Whether the files at `a` and `b` hold the same bytes, compared one chunk at a time.
pub(crate) fn same_contents(a: &Path, b: &Path) -> io::Result<bool> {
    let (mut a, mut b) = (File::open(a)?, File::open(b)?);
    if a.metadata()?.len() != b.metadata()?.len() {
        return Ok(false);
    }
    let (mut x, mut y) = (vec![0; CHUNK], vec![0; CHUNK]);
    loop {
        let read = read_full(&mut a, &mut x)?;
        if read != read_full(&mut b, &mut y)? || x[..read] != y[..read] {
            return Ok(false);
        }
        if read == 0 {
            return Ok(true);
        }
    }
}

/// Reads until `buffer` is full or the file ends; returns how much it read.
fn read_full(file: &mut File, buffer: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buffer.len() {
        match file.read(&mut buffer[filled..]) {
            Ok(0) => break,
            Ok(read) => filled += read,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
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

    #[test]
    fn copies_once_and_again_after_an_edit() {
        let dir = tempfile::tempdir().unwrap();
        let (from, to) = (dir.path().join("a"), dir.path().join("out/b"));
        std::fs::write(&from, b"one").unwrap();
        copy_if_changed(&from, &to, 3).unwrap();
        assert_eq!(std::fs::read(&to).unwrap(), b"one");
        assert!(same_contents(&from, &to).unwrap());
        std::fs::write(&from, b"two").unwrap();
        let later = std::time::SystemTime::now() + std::time::Duration::from_secs(5);
        File::options()
            .write(true)
            .open(&from)
            .unwrap()
            .set_modified(later)
            .unwrap();
        copy_if_changed(&from, &to, 3).unwrap();
        assert_eq!(std::fs::read(&to).unwrap(), b"two");
    }

    #[test]
    fn a_copy_of_a_file_that_changed_size_since_hashing_is_an_error_and_no_file() {
        let dir = tempfile::tempdir().unwrap();
        let (from, to) = (dir.path().join("a"), dir.path().join("out/b"));
        std::fs::write(&from, b"four").unwrap();
        let error = copy_if_changed(&from, &to, 3).unwrap_err();
        assert!(
            error.to_string().contains("changed during the build"),
            "{error}"
        );
        assert!(!to.exists());
    }

    #[test]
    fn a_file_that_changed_size_since_hashing_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a");
        std::fs::write(&path, b"four").unwrap();
        let mut out = Vec::new();
        assert!(append(&path, 3, &mut out).is_err());
        let mut out = Vec::new();
        append(&path, 4, &mut out).unwrap();
        assert_eq!(out, b"four");
    }
}
