//! A persistent, content-addressed cache of expensive results (minification, compression).
//!
//! Entries are stored under a key that covers everything the result depends on (see
//! [`key`](crate::cache::key)), so a warm build gives the same bytes as a cold one. Entries
//! carry a length and a SHA-256 of their payload; a corrupt or truncated entry is dropped and recomputed, never used. The cache is
//! bounded: after a build, least recently used entries go until it fits.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::SystemTime;

use crate::hash;

const MAGIC: &[u8; 8] = b"ALCACHE1";
const HEADER: usize = MAGIC.len() + 8 + 32;

/// Counters of one build, reported in [`Output::stats`](crate::Output::stats).
#[derive(Debug, Default)]
pub(crate) struct Counters {
    pub hits: AtomicUsize,
    pub misses: AtomicUsize,
    pub recovered: AtomicUsize,
}

pub(crate) struct Cache {
    dir: Option<PathBuf>,
    max_bytes: u64,
    pub counters: Counters,
}

impl Cache {
    /// A cache in `dir`, or a disabled one.
    pub fn new(dir: Option<PathBuf>, max_bytes: u64) -> Cache {
        Cache {
            dir,
            max_bytes,
            counters: Counters::default(),
        }
    }

    /// The cached value of `key`, or `compute()`'s, stored for next time.
    pub fn get_or_compute<E>(
        &self,
        key: [u8; 32],
        compute: impl FnOnce() -> Result<Vec<u8>, E>,
    ) -> Result<Vec<u8>, E> {
        let Some(path) = self.path(&key) else {
            return compute();
        };
        match read_entry(&path) {
            Ok(Some(value)) => {
                self.counters.hits.fetch_add(1, Ordering::Relaxed);
                // Reading counts as use for eviction.
                let _ = std::fs::File::options()
                    .append(true)
                    .open(&path)
                    .and_then(|f| f.set_modified(SystemTime::now()));
                return Ok(value);
            }
            Ok(None) => {}
            Err(_) => {
                self.counters.recovered.fetch_add(1, Ordering::Relaxed);
                let _ = std::fs::remove_file(&path);
            }
        }
        self.counters.misses.fetch_add(1, Ordering::Relaxed);
        let value = compute()?;
        // A cache that cannot be written only costs time.
        let _ = write_entry(&path, &value);
        Ok(value)
    }

    fn path(&self, key: &[u8; 32]) -> Option<PathBuf> {
        let hex = hash::hex(key);
        Some(self.dir.as_ref()?.join(&hex[..2]).join(&hex[2..]))
    }

    /// Deletes least recently used entries until the cache holds at most its bound.
    pub fn evict(&self) {
        let Some(dir) = &self.dir else { return };
        let mut entries: Vec<(SystemTime, u64, PathBuf)> = walkdir::WalkDir::new(dir)
            .min_depth(2)
            .max_depth(2)
            .into_iter()
            .filter_map(Result::ok)
            .filter_map(|e| {
                let meta = e.metadata().ok()?;
                meta.is_file().then(|| {
                    (
                        meta.modified().unwrap_or(SystemTime::UNIX_EPOCH),
                        meta.len(),
                        e.into_path(),
                    )
                })
            })
            .collect();
        let mut total: u64 = entries.iter().map(|(_, len, _)| len).sum();
        if total <= self.max_bytes {
            return;
        }
        entries.sort();
        for (_, len, path) in entries {
            if total <= self.max_bytes {
                break;
            }
            if std::fs::remove_file(&path).is_ok() {
                total -= len;
            }
        }
    }
}

/// `Ok(None)`: no entry. `Err`: an entry that is corrupt or truncated.
fn read_entry(path: &Path) -> io::Result<Option<Vec<u8>>> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    let corrupt = || io::Error::new(io::ErrorKind::InvalidData, "corrupt cache entry");
    if bytes.len() < HEADER || &bytes[..MAGIC.len()] != MAGIC {
        return Err(corrupt());
    }
    let len_bytes: [u8; 8] = bytes[MAGIC.len()..MAGIC.len() + 8]
        .try_into()
        .map_err(|_| corrupt())?;
    let payload = &bytes[HEADER..];
    if u64::from_le_bytes(len_bytes) != payload.len() as u64
        || bytes[MAGIC.len() + 8..HEADER] != hash::sha256(payload)
    {
        return Err(corrupt());
    }
    Ok(Some(payload.to_vec()))
}

fn write_entry(path: &Path, value: &[u8]) -> io::Result<()> {
    let mut bytes = Vec::with_capacity(HEADER + value.len());
    bytes.extend_from_slice(MAGIC);
    bytes.extend_from_slice(&(value.len() as u64).to_le_bytes());
    bytes.extend_from_slice(&hash::sha256(value));
    bytes.extend_from_slice(value);
    crate::fs::write_if_changed(path, &bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cache(dir: &Path) -> Cache {
        Cache::new(Some(dir.to_path_buf()), 1 << 30)
    }

    #[test]
    fn second_lookup_is_a_hit() {
        let dir = tempfile::tempdir().unwrap();
        let cache = cache(dir.path());
        let key = hash::sha256(b"input");
        let first: Result<_, ()> = cache.get_or_compute(key, || Ok(b"value".to_vec()));
        let second: Result<_, ()> = cache.get_or_compute(key, || panic!("recomputed"));
        assert_eq!(first.unwrap(), second.unwrap());
        assert_eq!(cache.counters.hits.load(Ordering::Relaxed), 1);
    }

    #[test]
    fn corrupt_entry_is_recomputed_and_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let cache = cache(dir.path());
        let key = hash::sha256(b"input");
        let _: Result<_, ()> = cache.get_or_compute(key, || Ok(b"good value".to_vec()));
        let path = cache.path(&key).unwrap();
        let mut bytes = std::fs::read(&path).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 0xff;
        std::fs::write(&path, &bytes).unwrap();
        let value: Result<_, ()> = cache.get_or_compute(key, || Ok(b"good value".to_vec()));
        assert_eq!(value.unwrap(), b"good value");
        assert_eq!(cache.counters.recovered.load(Ordering::Relaxed), 1);
        assert_eq!(read_entry(&path).unwrap().unwrap(), b"good value");
    }

    #[test]
    fn truncated_entry_is_recomputed() {
        let dir = tempfile::tempdir().unwrap();
        let cache = cache(dir.path());
        let key = hash::sha256(b"input");
        let _: Result<_, ()> = cache.get_or_compute(key, || Ok(vec![7; 1000]));
        let path = cache.path(&key).unwrap();
        let bytes = std::fs::read(&path).unwrap();
        std::fs::write(&path, &bytes[..500]).unwrap();
        let value: Result<_, ()> = cache.get_or_compute(key, || Ok(vec![7; 1000]));
        assert_eq!(value.unwrap(), vec![7; 1000]);
        assert_eq!(cache.counters.recovered.load(Ordering::Relaxed), 1);
    }

    #[test]
    fn eviction_removes_least_recently_used_first() {
        let dir = tempfile::tempdir().unwrap();
        let small = Cache::new(Some(dir.path().to_path_buf()), 2500);
        let keys: Vec<_> = (0..3u8).map(|i| hash::sha256(&[i])).collect();
        for (i, key) in keys.iter().enumerate() {
            let _: Result<_, ()> = small.get_or_compute(*key, || Ok(vec![i as u8; 1000]));
            let path = small.path(key).unwrap();
            let time = SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1000 + i as u64);
            std::fs::File::options()
                .append(true)
                .open(path)
                .unwrap()
                .set_modified(time)
                .unwrap();
        }
        small.evict();
        assert!(!small.path(&keys[0]).unwrap().exists());
        assert!(small.path(&keys[2]).unwrap().exists());
    }
}
