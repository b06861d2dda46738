//! The workspace the tests run in, and its real-world corpus.

use std::path::PathBuf;

/// The workspace root.
pub fn root() -> PathBuf {
    let here = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    here.parent().map(PathBuf::from).unwrap_or(here)
}

/// The real-world corpus that `bench/fetch-corpus.sh` fetches, when complete; otherwise
/// `None`, with [`crate::tools::available`]'s message (a failure in strict mode).
pub fn corpus() -> Option<PathBuf> {
    fetched("bench/corpus", "the real-world corpus")
}

/// The source code bases that `bench/fetch-corpus.sh` fetches beside the corpus (TypeScript
/// and Sass that the build compiles), when complete; otherwise `None`, as [`corpus`].
pub fn corpus_sources() -> Option<PathBuf> {
    fetched("bench/corpus-sources", "the corpus of sources")
}

/// A folder of the workspace that `bench/fetch-corpus.sh` fills, once it marked it complete.
fn fetched(relative: &str, what: &str) -> Option<PathBuf> {
    let dir = root().join(relative);
    let complete = dir.join(".complete").exists();
    crate::tools::available(what, complete, "run bench/fetch-corpus.sh").then_some(dir)
}
