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
    let dir = root().join("bench/corpus");
    let complete = dir.join(".complete").exists();
    crate::tools::available(
        "the real-world corpus",
        complete,
        "run bench/fetch-corpus.sh",
    )
    .then_some(dir)
}

/// The source code bases that `bench/fetch-corpus.sh` fetches beside the corpus (TypeScript
/// libraries the build compiles), when complete; otherwise `None`, as [`corpus`].
pub fn corpus_sources() -> Option<PathBuf> {
    let dir = root().join("bench/corpus-sources");
    let complete = dir.join(".complete").exists();
    crate::tools::available(
        "the corpus of sources",
        complete,
        "run bench/fetch-corpus.sh",
    )
    .then_some(dir)
}
