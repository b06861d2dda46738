//! Where an asset's bytes live: compiled into the binary, or in the artifact dir.

use std::collections::HashMap;
use std::fmt;
use std::io;
use std::path::PathBuf;
use std::sync::{OnceLock, RwLock};

use sha2::{Digest, Sha256};

/// The environment variable that points a non-embedded binary at its artifact dir.
pub const DIST_ENV: &str = "ASSETLOCK_DIST";

#[doc(hidden)]
pub enum Contents {
    /// `len` bytes at `start` of the build's pack, compiled in with one `include_bytes!` (one
    /// per file would cost rustc about a second per 10,000 files).
    Packed {
        pack: &'static [u8],
        start: usize,
        len: usize,
    },
    /// Bytes read from the artifact dir on first use.
    Dist { default_dir: &'static str },
}

/// Bytes of non-embedded builds, read once and kept for the life of the process, by the address
/// of their `Contents` (each is a static). Kept here rather than in each asset: a lock in every
/// asset makes the generated table several times slower to compile.
static LOADED: OnceLock<RwLock<HashMap<usize, &'static [u8]>>> = OnceLock::new();

impl Contents {
    #[doc(hidden)]
    pub const fn __packed(pack: &'static [u8], start: usize, len: usize) -> Contents {
        Contents::Packed { pack, start, len }
    }

    #[doc(hidden)]
    pub const fn __dist(default_dir: &'static str) -> Contents {
        Contents::Dist { default_dir }
    }

    pub(crate) fn get(
        &self,
        hashed_path: &str,
        size: u64,
        sha256: &str,
    ) -> io::Result<&'static [u8]> {
        match self {
            Contents::Packed { pack, start, len } => {
                pack.get(*start..start + len).ok_or_else(|| {
                    io::Error::new(io::ErrorKind::InvalidData, "asset outside the pack")
                })
            }
            Contents::Dist { default_dir } => {
                let key = std::ptr::from_ref(self) as usize;
                let loaded = LOADED.get_or_init(RwLock::default);
                if let Some(bytes) = loaded.read().unwrap_or_else(|e| e.into_inner()).get(&key) {
                    return Ok(bytes);
                }
                let bytes = load(default_dir, hashed_path, size, sha256)?;
                let mut map = loaded.write().unwrap_or_else(|e| e.into_inner());
                // Another thread may have loaded it meanwhile; keep one copy.
                Ok(*map.entry(key).or_insert_with(|| Box::leak(bytes)))
            }
        }
    }
}

/// The artifact dir a non-embedded binary reads: `ASSETLOCK_DIST`, else the build's own.
pub fn dist_dir(default_dir: &str) -> PathBuf {
    std::env::var_os(DIST_ENV).map_or_else(|| PathBuf::from(default_dir), PathBuf::from)
}

fn load(default_dir: &str, hashed_path: &str, size: u64, sha256: &str) -> io::Result<Box<[u8]>> {
    let path = dist_dir(default_dir).join(hashed_path);
    let bytes = std::fs::read(&path)
        .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", path.display())))?;
    let actual = hex(&Sha256::digest(&bytes));
    if bytes.len() as u64 != size || actual != sha256 {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!(
                "{}: not the bytes this binary was built with (expected {size} bytes with \
                 sha256 {sha256}, found {} bytes with sha256 {actual}); point {DIST_ENV} at this \
                 build's artifact dir",
                path.display(),
                bytes.len()
            ),
        ));
    }
    Ok(bytes.into_boxed_slice())
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    use fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

impl fmt::Debug for Contents {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Contents::Packed { len, .. } => write!(f, "Packed({len} bytes)"),
            Contents::Dist { default_dir } => f
                .debug_struct("Dist")
                .field("default_dir", default_dir)
                .finish(),
        }
    }
}
