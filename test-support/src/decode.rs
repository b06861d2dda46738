//! Independent decoders of compression-dictionary deltas: the zstd CLI and brotli 1.1's CLI
//! (`.ci/run` builds it as `brotli-dictionary`), both given the old bytes with `-D`. Shared by
//! the dictionary tests of every crate.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

/// What `program args -D <dictionary>` writes for `input` on its stdin; `None` when the
/// program is not installed (see [`crate::tools::available`]).
pub fn with_dictionary(
    program: &str,
    args: &[&str],
    dictionary: &Path,
    input: &[u8],
) -> Option<Vec<u8>> {
    if !crate::tools::available(
        program,
        crate::tools::program(program),
        ".ci/run installs it",
    ) {
        return None;
    }
    let mut child = Command::new(program)
        .args(args)
        .arg("-D")
        .arg(dictionary)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{program}: {e}"));
    child.stdin.take().unwrap().write_all(input).unwrap();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{program} -d -D failed: {stderr}");
    Some(out.stdout)
}

/// A `dcz` body decoded by the zstd CLI, which skips the RFC's header (a skippable frame).
pub fn dcz(body: &[u8], dictionary: &Path) -> Option<Vec<u8>> {
    with_dictionary("zstd", &["-d", "-q", "-c"], dictionary, body)
}

/// A `dcb` body decoded by brotli 1.1's CLI, given the stream after the RFC's 36-byte header.
pub fn dcb(body: &[u8], dictionary: &Path) -> Option<Vec<u8>> {
    with_dictionary("brotli-dictionary", &["-d", "-c"], dictionary, &body[36..])
}
