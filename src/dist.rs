//! Where an asset's bytes live: compiled into the binary, or in the artifact dir.

use std::fmt;
use std::io;
use std::path::PathBuf;
use std::sync::OnceLock;

use sha2::{Digest, Sha256};

/// The environment variable that points a non-embedded binary at its artifact dir.
pub const DIST_ENV: &str = "ASSETLOCK_DIST";

#[doc(hidden)]
pub enum Contents {
    /// Bytes compiled in with `include_bytes!`.
    Embedded(&'static [u8]),
    /// Bytes read from the artifact dir on first use.
    Dist {
        default_dir: &'static str,
        loaded: OnceLock<Box<[u8]>>,
    },
}

impl Contents {
    #[doc(hidden)]
    pub const fn __embedded(bytes: &'static [u8]) -> Contents {
        Contents::Embedded(bytes)
    }

    #[doc(hidden)]
    pub const fn __dist(default_dir: &'static str) -> Contents {
        Contents::Dist {
            default_dir,
            loaded: OnceLock::new(),
        }
    }

    pub(crate) fn get(&self, hashed_path: &str, size: u64, sha256: &str) -> io::Result<&[u8]> {
        match self {
            Contents::Embedded(bytes) => Ok(bytes),
            Contents::Dist {
                default_dir,
                loaded,
            } => {
                if let Some(bytes) = loaded.get() {
                    return Ok(bytes);
                }
                let bytes = load(default_dir, hashed_path, size, sha256)?;
                Ok(loaded.get_or_init(|| bytes))
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
            Contents::Embedded(bytes) => write!(f, "Embedded({} bytes)", bytes.len()),
            Contents::Dist { default_dir, .. } => f
                .debug_struct("Dist")
                .field("default_dir", default_dir)
                .finish(),
        }
    }
}
