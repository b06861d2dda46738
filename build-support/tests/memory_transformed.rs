//! Bounded memory for files that go through a transform: each is read by its own task and
//! dropped after it, so the build holds their outputs, not their inputs and outputs together.
//! Alone in its test binary, so the process's peak memory is this build's.
#![cfg(target_os = "linux")]

mod support;

use support::{Site, manifest, peak_memory};

const FILES: usize = 32;
const EACH: usize = 8 << 20;

#[test]
fn inputs_are_not_all_held_while_their_outputs_are() {
    let site = Site::new(&[]);
    // Source maps are never streamed: each is read, passed through and kept until emitted.
    let map = format!(
        "{{\"version\":3,\"sources\":[],\"names\":[],\"mappings\":\"{}\"}}",
        ";".repeat(EACH - 60)
    );
    for i in 0..FILES {
        site.write(&format!("maps/m{i}.js.map"), map.as_bytes());
    }
    let total = (FILES * map.len()) as u64;
    let before = peak_memory();

    let output = site.config().precompress([]).try_compile().unwrap();

    let grown = peak_memory().saturating_sub(before);
    // Inputs and outputs held together would be twice `total`.
    assert!(
        grown < total * 3 / 2,
        "peak memory grew by {} MB for {} MB of files",
        grown >> 20,
        total >> 20
    );
    let manifest = manifest(&output);
    assert_eq!(manifest["assets"].as_object().unwrap().len(), FILES);
    assert_eq!(
        manifest["assets"]["maps/m0.js.map"]["size"],
        map.len() as u64
    );
}
