//! Copies of directory trees: fixtures copied before a test edits them, and the benchmark's
//! working copies.

use std::path::Path;

/// Copies the file or directory `from` to `to`, recursively, creating directories as needed.
///
/// # Panics
///
/// On any I/O error: a test's setup has failed.
pub fn copy(from: &Path, to: &Path) {
    try_copy(from, to).unwrap_or_else(|e| panic!("copying {}: {e}", from.display()));
}

/// [`copy`], with the first I/O error returned instead.
///
/// # Errors
///
/// The first file or directory that could not be read, made or written.
pub fn try_copy(from: &Path, to: &Path) -> std::io::Result<()> {
    if from.is_dir() {
        std::fs::create_dir_all(to)?;
        let mut entries = std::fs::read_dir(from)?.collect::<Result<Vec<_>, _>>()?;
        entries.sort_by_key(|entry| entry.file_name());
        for entry in entries {
            try_copy(&entry.path(), &to.join(entry.file_name()))?;
        }
    } else {
        if let Some(parent) = to.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::copy(from, to)?;
    }
    Ok(())
}
