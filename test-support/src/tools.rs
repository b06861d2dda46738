//! The tools some tests need beside cargo (Chromium, nginx, moto, faketime, the zstd and
//! brotli command lines, node, the real-world corpus): whether each is there, and what a test
//! does when it is not.
//!
//! By default a test whose tool is missing says why and passes without running, so that
//! `cargo test` works on any machine. In strict mode (`ASSETLOCK_TEST_STRICT=1`, which
//! `.ci/run` sets after installing every tool) it fails instead: no test passes silently
//! where it is meant to run.

use std::path::Path;
use std::process::{Command, Stdio};

/// The variable that turns strict mode on.
pub const STRICT: &str = "ASSETLOCK_TEST_STRICT";

/// Whether strict mode is on.
pub fn strict() -> bool {
    std::env::var(STRICT).is_ok_and(|v| v == "1" || v.eq_ignore_ascii_case("true"))
}

/// Whether a test that needs `what` can run: `present` says whether it is there. When it is
/// not: a panic naming `install` in strict mode, else a line saying why the test skips.
pub fn available(what: &str, present: bool, install: &str) -> bool {
    if !present {
        assert!(!strict(), "{what} is missing ({install}); {STRICT} is set");
        eprintln!("skipping: {what} is missing ({install})");
    }
    present
}

/// Whether `program` runs: a path that exists, or a name found on `PATH` that starts.
pub fn program(program: &str) -> bool {
    if program.contains('/') {
        return Path::new(program).exists();
    }
    Command::new(program)
        .arg("--version")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_present_tool_is_available_and_a_missing_one_is_not() {
        assert!(program("cargo"));
        assert!(!program("no-such-program-anywhere"));
        assert!(!program("/no/such/program"));
        if !strict() {
            assert!(!available("a tool", false, "nowhere"));
        }
        assert!(available("a tool", true, "nowhere"));
    }
}
