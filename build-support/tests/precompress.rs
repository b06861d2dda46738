//! Precompressed variants: they decode to the identity bytes, skip rules, and the cache.

mod support;

use std::io::Write;
use std::process::{Command, Stdio};

use assetlock_build::Compression;
use support::{Site, bytes, fixture, manifest};

/// A stylesheet large and repetitive enough for every coding to pay off.
fn big_css() -> String {
    (0..400)
        .map(|i| format!(".rule-{i} {{ color: #{:06x}; margin: {i}px; }}\n", i * 997))
        .collect()
}

/// Decodes with an independent command-line decoder; `None` when it is not installed.
fn decode_with_cli(coding: &str, encoded: &[u8]) -> Option<Vec<u8>> {
    let (program, args): (&str, &[&str]) = match coding {
        "br" => ("brotli", &["-d", "-c"]),
        "zstd" => ("zstd", &["-d", "-c", "-q"]),
        "gzip" => ("gzip", &["-d", "-c"]),
        _ => unreachable!(),
    };
    use assetlock_test_support::tools;
    if !tools::available(
        program,
        tools::program(program),
        "apt-get install brotli zstd gzip",
    ) {
        return None;
    }
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(encoded).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{program} failed");
    Some(out.stdout)
}

#[test]
fn every_variant_decodes_to_the_identity_bytes_with_another_decoder() {
    let site = Site::new(&[("app.css", &big_css())]);
    for release_levels in [false, true] {
        let mut config = site.config();
        if release_levels {
            for c in Compression::ALL {
                config.compression_level(c, c.max_level());
            }
        }
        let output = config.try_compile().unwrap();
        let identity = bytes(&output, "app.css");
        let encodings = manifest(&output)["assets"]["app.css"]["encodings"].clone();
        let encodings = encodings.as_object().unwrap();
        assert_eq!(encodings.len(), 3, "{encodings:?}");
        for (token, variant) in encodings {
            let path = output.dist_dir().join(variant["path"].as_str().unwrap());
            let encoded = std::fs::read(path).unwrap();
            assert_eq!(variant["size"], encoded.len());
            if let Some(decoded) = decode_with_cli(token, &encoded) {
                assert!(decoded == identity, "{token} does not round-trip");
            }
        }
    }
}

#[test]
fn incompressible_types_get_no_variants() {
    let site = Site::new(&[
        ("img/a.png", &"PNG".repeat(500)),
        ("fonts/a.woff2", &"W".repeat(500)),
    ]);
    let output = site.build().unwrap();
    let manifest = manifest(&output);
    assert_eq!(
        manifest["assets"]["img/a.png"]["encodings"],
        serde_json::json!({})
    );
    assert_eq!(
        manifest["assets"]["fonts/a.woff2"]["encodings"],
        serde_json::json!({})
    );
}

#[test]
fn tiny_files_get_no_variants() {
    let site = Site::new(&[("tiny.txt", &"aaaa".repeat(60))]);
    let output = site.build().unwrap();
    assert_eq!(bytes(&output, "tiny.txt").len(), 240);
    assert_eq!(
        manifest(&output)["assets"]["tiny.txt"]["encodings"],
        serde_json::json!({})
    );
}

#[test]
fn variants_that_save_too_little_are_dropped() {
    // Pseudo-random bytes compress to about their own size.
    let mut state: u64 = 0x9e3779b97f4a7c15;
    let noise: Vec<u8> = (0..4000)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 24) as u8
        })
        .collect();
    let site = Site::new(&[]);
    site.write("noise.txt", &noise);
    let output = site.build().unwrap();
    assert_eq!(
        manifest(&output)["assets"]["noise.txt"]["encodings"],
        serde_json::json!({})
    );
}

#[test]
fn precompress_chooses_the_codings() {
    let site = Site::new(&[("app.css", &big_css())]);
    let output = site
        .config()
        .precompress([Compression::Gzip])
        .try_compile()
        .unwrap();
    let encodings = manifest(&output)["assets"]["app.css"]["encodings"].clone();
    assert_eq!(
        encodings.as_object().unwrap().keys().collect::<Vec<_>>(),
        ["gzip"]
    );
}

#[test]
fn unchanged_build_compresses_and_transforms_nothing() {
    let site = Site::copy_of(&fixture("refs"));
    site.write("css/big.css", big_css().as_bytes());
    let first = site.config().minify(true).try_compile().unwrap();
    assert!(first.stats().compressed > 0 && first.stats().transformed > 0);
    std::fs::remove_dir_all(site.out().join("assetlock")).unwrap();
    let second = site.config().minify(true).try_compile().unwrap();
    assert_eq!(second.stats().compressed, 0, "{:?}", second.stats());
    assert_eq!(second.stats().transformed, 0, "{:?}", second.stats());
    assert!(second.stats().cache_hits > 0);
}

#[test]
fn editing_one_file_recomputes_only_it_and_its_referrers() {
    let site = Site::new(&[
        ("css/big.css", &big_css()),
        ("css/other.css", &big_css().replace("rule", "other")),
        (
            "css/uses-big.css",
            &format!("@import 'big.css';\n{}", big_css().replace("rule", "x")),
        ),
    ]);
    site.config().minify(true).try_compile().unwrap();
    site.write("css/big.css", (big_css() + ".new{color:red}").as_bytes());
    let output = site.config().minify(true).try_compile().unwrap();
    // big.css changed; uses-big.css only got a new hash for big.css, so its transform is
    // reused but its final bytes (and their variants) are new. other.css is untouched.
    assert_eq!(output.stats().transformed, 1, "{:?}", output.stats());
    let variants_per_file = 3;
    let maps = 2; // big.css.map is new; its referrer's map is unchanged
    assert!(
        output.stats().compressed <= 2 * variants_per_file + maps * variants_per_file,
        "{:?}",
        output.stats()
    );
    assert!(
        output.stats().compressed >= 2 * variants_per_file,
        "{:?}",
        output.stats()
    );
}

#[test]
fn corrupted_cache_entries_are_recovered_from() {
    let site = Site::new(&[("app.css", &big_css())]);
    let first = site.build().unwrap();
    let before = bytes(&first, "app.css");
    for entry in walkdir::WalkDir::new(site.dir.path().join("cache")).min_depth(2) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let mut data = std::fs::read(entry.path()).unwrap();
            let middle = data.len() / 2;
            data[middle] ^= 0x55;
            std::fs::write(entry.path(), data).unwrap();
        }
    }
    std::fs::remove_dir_all(site.out().join("assetlock")).unwrap();
    let second = site.build().unwrap();
    assert!(second.stats().cache_recovered > 0, "{:?}", second.stats());
    assert_eq!(bytes(&second, "app.css"), before);
    let third = site.build().unwrap();
    assert_eq!(third.stats().cache_recovered, 0, "entries were rewritten");
}

#[test]
fn source_maps_get_only_a_gzip_variant() {
    let site = Site::new(&[("app.css", &big_css())]);
    let output = site.config().minify(true).try_compile().unwrap();
    let manifest = manifest(&output);
    let map = manifest["assets"]["app.css.map"]["encodings"]
        .as_object()
        .unwrap()
        .clone();
    assert_eq!(map.keys().collect::<Vec<_>>(), ["gzip"]);
    let css = manifest["assets"]["app.css"]["encodings"]
        .as_object()
        .unwrap()
        .len();
    assert_eq!(css, 3);
}
