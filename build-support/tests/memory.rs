//! Bounded memory: a large file that needs no transform is hashed while streaming and copied,
//! never held. Alone in its test binary, so the process's peak memory is this build's.
#![cfg(target_os = "linux")]

mod support;

use support::{Site, manifest, peak_memory};

const BIG: u64 = 256 << 20;

#[test]
fn a_large_binary_file_is_never_held_in_memory() {
    let site = Site::new(&[(
        "css/app.css",
        "body { background: url(../video/intro.webm); }\n",
    )]);
    // A sparse file: cheap to make, read back as zeros.
    let big = site.assets().join("video/intro.webm");
    std::fs::create_dir_all(big.parent().unwrap()).unwrap();
    std::fs::File::create(&big).unwrap().set_len(BIG).unwrap();
    let before = peak_memory();

    // Embedded (the pack is written from the file) and precompressing: the video gets no
    // variant, so it takes the streaming lane all the same.
    let output = site
        .config()
        .embed(true)
        .precompress([assetlock_build::Compression::Gzip])
        .try_compile()
        .unwrap();

    let grown = peak_memory().saturating_sub(before);
    assert!(
        grown < 64 << 20,
        "peak memory grew by {} MB for a {} MB file",
        grown >> 20,
        BIG >> 20
    );
    let entry = &manifest(&output)["assets"]["video/intro.webm"];
    assert_eq!(entry["size"], BIG);
    assert!(entry["integrity"].as_str().unwrap().starts_with("sha256-"));
    let artifact = output.dist_dir().join(entry["path"].as_str().unwrap());
    assert_eq!(std::fs::metadata(artifact).unwrap().len(), BIG);
    // The video is compiled in from its artifact file, not copied a second time into the pack.
    let pack = output.out_dir().join("assetlock/pack.bin");
    assert!(std::fs::metadata(pack).unwrap().len() < 1 << 20);
    let code = std::fs::read_to_string(output.out_dir().join("assetlock.rs")).unwrap();
    let include = format!(
        "::core::include_bytes!(\"assetlock/dist/{}\"), 0, {BIG})",
        entry["path"].as_str().unwrap()
    );
    assert!(code.contains(&include), "{code}");
    // The stylesheet names the video by its hashed URL.
    let css_path = manifest(&output)["assets"]["css/app.css"]["path"]
        .as_str()
        .unwrap()
        .to_owned();
    let css = std::fs::read_to_string(output.dist_dir().join(css_path)).unwrap();
    let video_name = entry["path"].as_str().unwrap().trim_start_matches("video/");
    assert!(css.contains(video_name), "{css}");
}
