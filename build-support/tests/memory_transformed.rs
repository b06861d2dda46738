//! Bounded memory for files that go through a transform: each is read by its own task and
//! dropped after it. One that comes out as read and gets no compressed variant is copied from
//! its source, not held: the build holds neither its input nor its output. Alone in its test
//! binary, so the process's peak memory is this build's.
#![cfg(target_os = "linux")]

mod support;

use support::{Site, manifest, peak_memory};

const FILES: usize = 64;
const EACH: usize = 2 << 20;

#[test]
fn outputs_left_as_read_are_not_held() {
    let site = Site::new(&[]);
    // Source maps pass through their transform; scripts without a reference are scanned and
    // kept as written.
    let map = format!(
        "{{\"version\":3,\"sources\":[],\"names\":[],\"mappings\":\"{}\"}}",
        ";".repeat(EACH - 60)
    );
    let script = "var a = [1, 2, 3];\n".repeat(EACH / 19);
    for i in 0..FILES {
        site.write(&format!("maps/m{i}.js.map"), map.as_bytes());
        site.write(&format!("js/s{i}.js"), script.as_bytes());
    }
    let total = (FILES * (map.len() + script.len())) as u64;
    let before = peak_memory();

    let output = site
        .config()
        .minify(false)
        .precompress([])
        .try_compile()
        .unwrap();

    let grown = peak_memory().saturating_sub(before);
    // Held, the outputs alone would be `total`. Each thread holds one input at a time, with
    // its lexer's tokens (12 bytes each, about one per two bytes of this script).
    assert!(
        grown < total / 4,
        "peak memory grew by {} MB for {} MB of files",
        grown >> 20,
        total >> 20
    );
    let manifest = manifest(&output);
    assert_eq!(manifest["assets"].as_object().unwrap().len(), 2 * FILES);
    assert_eq!(
        manifest["assets"]["maps/m0.js.map"]["size"],
        map.len() as u64
    );
    let url = manifest["assets"]["js/s0.js"]["url"].as_str().unwrap();
    let written = output.dist_dir().join(url.trim_start_matches("/assets/"));
    assert_eq!(std::fs::read(written).unwrap(), script.as_bytes());
}
