//! Every write and copy the build makes: files are written only when their content changed,
//! replaced through a sibling and a rename so a reader never sees half of one, and copied from
//! a source checked against the size it was hashed at.

use std::fs::File;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

/// How much of a file is read at a time when it is not held whole.
pub(crate) const CHUNK: usize = 256 * 1024;

/// Writes `bytes` to `path` unless it already holds them, creating parent dirs.
///
/// A file that exists is replaced through a sibling and a rename, so a reader never sees half
/// of it; a new file is written in place, which costs one file creation instead of two.
pub(crate) fn write_if_changed(path: &Path, bytes: &[u8]) -> io::Result<()> {
    match create_new(path) {
        Ok(mut file) => file.write_all(bytes),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => match std::fs::metadata(path) {
            Ok(meta) if meta.len() == bytes.len() as u64 && std::fs::read(path)? == bytes => Ok(()),
            _ => replace(path, bytes),
        },
        Err(e) => Err(e),
    }
}

/// Creates the file `path`, which must not exist yet, and its parent dirs when they are
/// missing: one call for a new file of an existing dir, where asking first would take two.
pub(crate) fn create_new(path: &Path) -> io::Result<File> {
    let open = || {
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(path)
    };
    match open() {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)?;
            }
            open()
        }
        result => result,
    }
}

/// Writes `path` through `write` into a sibling, then renames the sibling over `path` unless
/// `path` already holds the same bytes: a file too large to hold in memory, written once.
pub(crate) fn write_through(
    path: &Path,
    write: impl FnOnce(&mut io::BufWriter<File>) -> io::Result<()>,
) -> io::Result<()> {
    let temp = sibling(path);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let mut out = io::BufWriter::new(File::create(&temp)?);
    let written = write(&mut out).and_then(|()| out.flush());
    drop(out);
    let result = written.and_then(|()| match same_contents(&temp, path) {
        Ok(true) => std::fs::remove_file(&temp),
        _ => std::fs::rename(&temp, path),
    });
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result
}

/// The sibling a file is written to before it replaces `path`.
fn sibling(path: &Path) -> PathBuf {
    path.with_file_name(format!(
        ".{}.tmp",
        path.file_name().unwrap_or_default().to_string_lossy()
    ))
}

fn replace(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let temp = sibling(path);
    std::fs::write(&temp, bytes)?;
    std::fs::rename(&temp, path)
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
    let target = match create_new(to) {
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
    let temp = sibling(to);
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
fn same_contents(a: &Path, b: &Path) -> io::Result<bool> {
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
    fn write_if_changed_leaves_identical_files_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a/b.txt");
        write_if_changed(&path, b"one").unwrap();
        let before = std::fs::metadata(&path).unwrap().modified().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        write_if_changed(&path, b"one").unwrap();
        assert_eq!(
            std::fs::metadata(&path).unwrap().modified().unwrap(),
            before
        );
        write_if_changed(&path, b"two").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
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
