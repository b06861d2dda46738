//! The files a build transforms, by logical path: read from disk when a transform asks for
//! them, so that only the files being transformed are in memory, never the whole tree.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io;
use std::path::PathBuf;

/// The build's CSS, JS, source maps and other transformed files, by logical path.
#[derive(Debug, Default)]
pub(crate) struct Files {
    entries: BTreeMap<String, Entry>,
}

#[derive(Debug)]
enum Entry {
    /// A file of the asset dirs and its size when discovered.
    Disk { path: PathBuf, size: u64 },
    /// Bytes given directly (tests, and the pipeline's own callers that hold them).
    Memory(Vec<u8>),
}

impl Files {
    pub(crate) fn new() -> Files {
        Files::default()
    }

    /// Adds a file of the asset dirs, read when asked for.
    pub(crate) fn insert_file(&mut self, logical: String, path: PathBuf, size: u64) {
        self.entries.insert(logical, Entry::Disk { path, size });
    }

    /// Adds a file whose bytes are at hand.
    pub(crate) fn insert(&mut self, logical: String, bytes: Vec<u8>) {
        self.entries.insert(logical, Entry::Memory(bytes));
    }

    pub(crate) fn contains_key(&self, logical: &str) -> bool {
        self.entries.contains_key(logical)
    }

    /// The logical path of every file.
    pub(crate) fn logicals(&self) -> impl Iterator<Item = &str> {
        self.entries.keys().map(String::as_str)
    }

    /// Where a file of the asset dirs is on disk; `None` for bytes given directly.
    pub(crate) fn path(&self, logical: &str) -> Option<&std::path::Path> {
        match self.entries.get(logical)? {
            Entry::Disk { path, .. } => Some(path),
            Entry::Memory(_) => None,
        }
    }

    /// Whether some file lives under the folder `logical` (the root, when empty).
    pub(crate) fn has_dir(&self, logical: &str) -> bool {
        let prefix = match logical {
            "" => return !self.entries.is_empty(),
            dir => format!("{dir}/"),
        };
        let next = self.entries.range(prefix.clone()..).next();
        next.is_some_and(|(path, _)| path.starts_with(&prefix))
    }

    /// The size of a file, as discovered.
    pub(crate) fn size(&self, logical: &str) -> u64 {
        match self.entries.get(logical) {
            Some(Entry::Disk { size, .. }) => *size,
            Some(Entry::Memory(bytes)) => bytes.len() as u64,
            None => 0,
        }
    }

    /// The bytes of a file of the build: `None` when it is not one.
    pub(crate) fn read(&self, logical: &str) -> Option<io::Result<Cow<'_, [u8]>>> {
        Some(match self.entries.get(logical)? {
            Entry::Disk { path, size } => read(path, *size).map(Cow::Owned),
            Entry::Memory(bytes) => Ok(Cow::Borrowed(bytes)),
        })
    }

    /// The bytes of another file a transform looks at (an input map, an inlined import, a
    /// bundle part): `None` when it is not a file of the build, or cannot be read, which its
    /// own transform reports.
    pub(crate) fn get(&self, logical: &str) -> Option<Cow<'_, [u8]>> {
        self.read(logical)?.ok()
    }
}

/// The bytes of the file at `path`, which had `size` bytes when discovered: a buffer of that
/// size, without asking the file system for it again.
fn read(path: &std::path::Path, size: u64) -> io::Result<Vec<u8>> {
    let mut file = std::fs::File::open(path)?;
    // One byte more, so that the read which finds the end needs no bigger buffer.
    let capacity = usize::try_from(size).map_or(0, |size| size.saturating_add(1));
    let mut bytes = Vec::with_capacity(capacity);
    io::Read::read_to_end(&mut file, &mut bytes)?;
    Ok(bytes)
}

impl FromIterator<(String, Vec<u8>)> for Files {
    fn from_iter<I: IntoIterator<Item = (String, Vec<u8>)>>(iter: I) -> Files {
        let mut files = Files::new();
        for (logical, bytes) in iter {
            files.insert(logical, bytes);
        }
        files
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_on_disk_are_read_when_asked_for_and_not_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.css");
        std::fs::write(&path, "a{}").unwrap();
        let mut files = Files::new();
        files.insert_file("a.css".into(), path.clone(), 3);
        files.insert("b.css".into(), b"b{}".to_vec());
        assert_eq!(files.get("a.css").as_deref(), Some(&b"a{}"[..]));
        std::fs::write(&path, "a{color:red}").unwrap();
        assert_eq!(files.get("a.css").as_deref(), Some(&b"a{color:red}"[..]));
        assert_eq!(files.get("b.css").as_deref(), Some(&b"b{}"[..]));
        assert_eq!((files.size("a.css"), files.size("b.css")), (3, 3));
        std::fs::remove_file(&path).unwrap();
        assert!(files.read("a.css").unwrap().is_err());
        assert!(files.get("a.css").is_none() && files.read("c.css").is_none());
    }
}
