//! The same assets give byte-identical outputs from any directory, with any thread count, from
//! a cold or a warm cache.

mod support;

use std::collections::BTreeMap;
use std::path::Path;

use support::{Site, fixture};

/// Every output file (artifacts, variants, manifest.json, generated code) by relative path.
fn snapshot(out: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(out)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter(|e| !e.path().starts_with(out.join("assetlock-cache")))
        .map(|e| {
            let relative = e.path().strip_prefix(out).unwrap().display().to_string();
            (relative, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

fn build(site: &Site, threads: usize) -> BTreeMap<String, Vec<u8>> {
    site.config()
        .minify(true)
        .threads(threads)
        .try_compile()
        .unwrap();
    snapshot(&site.out())
}

fn assert_same(a: &BTreeMap<String, Vec<u8>>, b: &BTreeMap<String, Vec<u8>>) {
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (path, bytes) in a {
        assert!(bytes == &b[path], "{path} differs");
    }
}

#[test]
fn two_directories_give_identical_outputs() {
    let (one, two) = (
        Site::copy_of(&fixture("refs")),
        Site::copy_of(&fixture("refs")),
    );
    assert_ne!(one.dir.path(), two.dir.path());
    let a = build(&one, 2);
    assert!(a.contains_key("assetlock/manifest.json") && a.contains_key("assetlock.rs"));
    assert!(
        a.keys().any(|k| k.ends_with(".br")),
        "variants are part of the comparison"
    );
    assert_same(&a, &build(&two, 2));
}

#[test]
fn one_and_two_threads_give_identical_outputs() {
    let (one, two) = (
        Site::copy_of(&fixture("refs")),
        Site::copy_of(&fixture("refs")),
    );
    assert_same(&build(&one, 1), &build(&two, 2));
}

#[test]
fn warm_cache_gives_the_cold_build_bytes() {
    let site = Site::copy_of(&fixture("refs"));
    let cold = build(&site, 2);
    std::fs::remove_dir_all(site.out()).unwrap();
    let warm = build(&site, 2);
    assert_same(&cold, &warm);
}

#[test]
fn outputs_hold_no_absolute_path() {
    let site = Site::copy_of(&fixture("refs"));
    let files = build(&site, 2);
    let needle = site.dir.path().to_str().unwrap().as_bytes();
    for (path, bytes) in &files {
        assert!(
            !bytes.windows(needle.len()).any(|w| w == needle),
            "{path} holds {}",
            site.dir.path().display()
        );
    }
}

/// The SHA-256 and integrity a build records for each asset are those of the bytes it wrote,
/// whether they were hashed as read (files left as they were), while streaming, or after the
/// references were rewritten; kept as written and minified alike, with each integrity hash.
#[test]
fn recorded_hashes_are_those_of_the_written_bytes() {
    use assetlock_build::Integrity;
    use base64::Engine as _;
    use ring::digest::{SHA256, SHA384, SHA512, digest};

    let site = Site::copy_of(&fixture("refs"));
    site.write("js/plain.js", b"console.log('no references');\n");
    site.write(
        "js/plain.js.map",
        br#"{"version":3,"sources":[],"names":[],"mappings":""}"#,
    );
    let settings = [
        (false, Integrity::Sha256, "sha256", &SHA256),
        (true, Integrity::Sha256, "sha256", &SHA256),
        (false, Integrity::Sha384, "sha384", &SHA384),
        (true, Integrity::Sha512, "sha512", &SHA512),
    ];
    for (minify, integrity, name, algorithm) in settings {
        let mut config = site.config();
        config.minify(minify);
        // The default is SHA-256: it is left unset.
        if integrity != Integrity::Sha256 {
            config.integrity(integrity);
        }
        let output = config.try_compile().unwrap();
        let manifest = support::manifest(&output);
        let assets = manifest["assets"].as_object().unwrap();
        assert!(assets.contains_key("js/plain.js.map"));
        for (logical, entry) in assets {
            let path = output.dist_dir().join(entry["path"].as_str().unwrap());
            let bytes = std::fs::read(path).unwrap();
            let sha256: String = digest(&SHA256, &bytes)
                .as_ref()
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            assert_eq!(entry["sha256"], sha256, "{logical} (minify {minify})");
            let value = base64::engine::general_purpose::STANDARD.encode(digest(algorithm, &bytes));
            assert_eq!(entry["integrity"], format!("{name}-{value}"), "{logical}");
        }
    }
}
