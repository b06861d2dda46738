//! Deltas between releases (RFC 9842 `dcz`): made against the newest earlier releases of a
//! destination copy, framed as the RFC says, decoded by the zstd CLI with the old bytes as
//! dictionary, and refused from an object that is not what its record says.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use assetlock_build::{DeltaCoding, Output};
use assetlock_test_support::decode;
use serde_json::Value;
use support::{Site, bytes, manifest};

/// A stylesheet large enough that a one-line edit is a tiny part of it.
fn stylesheet(edit: &str) -> String {
    let mut css: String = (0..2000)
        .map(|i| {
            format!(
                ".rule-{i} {{ color: #{:06x}; margin: {i}px; }}\n",
                i * 7919 % 0xffffff
            )
        })
        .collect();
    css.push_str(edit);
    css
}

fn module(edit: &str) -> String {
    let mut js: String = (0..1500)
        .map(|i| {
            format!(
                "export function f{i}(x) {{ return x * {i} + {}; }}\n",
                i % 7
            )
        })
        .collect();
    js.push_str(edit);
    js
}

/// Does what `upload-assets file://<dir>` does with a build: its files under their hashed
/// paths, and its manifest as the release record with an upload time.
fn publish(output: &Output, dir: &Path, uploaded_at: &str) {
    support::copy_tree(&output.dist_dir(), dir);
    let mut record = manifest(output);
    record["uploaded_at"] = Value::from(uploaded_at);
    let records = dir.join(".assetlock/releases");
    std::fs::create_dir_all(&records).unwrap();
    let id = record["build_id"].as_str().unwrap().to_owned();
    std::fs::write(records.join(format!("{id}.json")), record.to_string()).unwrap();
}

fn deltas(output: &Output, logical: &str) -> Vec<Value> {
    manifest(output)["assets"][logical]["deltas"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

fn sha256_hex(bytes: &[u8]) -> String {
    let out = Command::new("sha256sum")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child.stdin.take().unwrap().write_all(bytes)?;
            child.wait_with_output()
        })
        .expect("sha256sum");
    String::from_utf8(out.stdout).unwrap()[..64].to_owned()
}

struct Releases {
    site: Site,
    dir: PathBuf,
}

impl Releases {
    fn new() -> Releases {
        let site = Site::new(&[
            ("css/app.css", &stylesheet("")),
            ("js/app.js", &module("")),
            ("img/dot.png", "not really a png, never a delta"),
        ]);
        let dir = site.dir.path().join("releases");
        std::fs::create_dir_all(&dir).unwrap();
        Releases { site, dir }
    }

    fn build(&self, keep: usize) -> Output {
        let mut config = self.site.config();
        config.previous_releases(&self.dir).delta_releases(keep);
        config.try_compile().unwrap()
    }

    /// Release 2: one line more in the stylesheet and in the module.
    fn edit_one_line_of_each(&self) {
        let css = stylesheet(".new { color: red; }\n");
        self.site.write("css/app.css", css.as_bytes());
        let js = module("export const added = 1;\n");
        self.site.write("js/app.js", js.as_bytes());
    }

    fn build_with_both_codings(&self) -> Output {
        let mut config = self.site.config();
        config
            .previous_releases(&self.dir)
            .delta_codings([DeltaCoding::Dcz, DeltaCoding::Dcb]);
        config.try_compile().unwrap()
    }
}

#[test]
fn a_one_line_edit_ships_a_tiny_delta_that_the_zstd_cli_decodes_with_the_old_bytes() {
    let releases = Releases::new();
    let v1 = releases.build(3);
    assert!(deltas(&v1, "css/app.css").is_empty(), "no release yet");
    publish(&v1, &releases.dir, "2026-01-01T00:00:00.000000Z");
    let old_css = bytes(&v1, "css/app.css");
    let old_path = manifest(&v1)["assets"]["css/app.css"]["path"]
        .as_str()
        .unwrap()
        .to_owned();

    releases.edit_one_line_of_each();
    let v2 = releases.build(3);
    let new_css = bytes(&v2, "css/app.css");
    let listed = deltas(&v2, "css/app.css");
    assert_eq!(listed.len(), 1, "{listed:?}");
    let delta = &listed[0];
    assert_eq!(delta["encoding"], "dcz");
    assert_eq!(delta["dictionary"], sha256_hex(&old_css));
    let path = delta["path"].as_str().unwrap();
    let asset = &manifest(&v2)["assets"]["css/app.css"];
    assert!(path.starts_with(asset["path"].as_str().unwrap()) && path.ends_with(".dcz"));

    let body = std::fs::read(v2.dist_dir().join(path)).unwrap();
    assert_eq!(delta["size"], body.len() as u64);
    assert_eq!(delta["sha256"], sha256_hex(&body));
    // RFC 9842 §5.2: a zstd skippable frame holding the dictionary's SHA-256, then the frame.
    assert_eq!(&body[..8], &[0x5e, 0x2a, 0x4d, 0x18, 0x20, 0, 0, 0]);
    assert_eq!(hex(&body[8..40]), sha256_hex(&old_css));
    let old_file = releases.dir.join(&old_path);
    if let Some(decoded) = decode::dcz(&body, &old_file) {
        assert_eq!(decoded, new_css);
    }

    let brotli = asset["encodings"]["br"]["size"].as_u64().unwrap();
    assert!(
        body.len() * 50 < brotli as usize,
        "a one-line edit: delta {} bytes vs brotli {brotli}",
        body.len()
    );
    assert_eq!(deltas(&v2, "js/app.js").len(), 1);
    assert!(deltas(&v2, "img/dot.png").is_empty(), "not a text asset");
}

#[test]
fn dcb_deltas_decode_with_the_reference_brotli_cli_and_the_old_bytes() {
    let releases = Releases::new();
    let v1 = releases.build(3);
    publish(&v1, &releases.dir, "2026-01-01T00:00:00.000000Z");
    let mut old = Vec::new();
    for logical in ["css/app.css", "js/app.js"] {
        let path = manifest(&v1)["assets"][logical]["path"]
            .as_str()
            .unwrap()
            .to_owned();
        old.push((
            logical,
            releases.dir.join(path),
            sha256_hex(&bytes(&v1, logical)),
        ));
    }
    releases.edit_one_line_of_each();
    let v2 = releases.build_with_both_codings();
    for (logical, old_path, old_sha) in old {
        let listed = deltas(&v2, logical);
        let codings: Vec<&str> = listed
            .iter()
            .map(|d| d["encoding"].as_str().unwrap())
            .collect();
        assert_eq!(codings, ["dcz", "dcb"], "{logical}");
        let dcb = &listed[1];
        assert_eq!(dcb["dictionary"], old_sha.as_str());
        assert!(dcb["path"].as_str().unwrap().ends_with(".dcb"));
        let body = std::fs::read(v2.dist_dir().join(dcb["path"].as_str().unwrap())).unwrap();
        assert_eq!(dcb["sha256"], sha256_hex(&body));
        assert!(
            body.len() < 200,
            "{logical}: a one-line edit, {} bytes",
            body.len()
        );
        assert_eq!(&body[..4], &[0xff, 0x44, 0x43, 0x42]);
        assert_eq!(hex(&body[4..36]), old_sha);
        if let Some(decoded) = decode::dcb(&body, &old_path) {
            assert_eq!(decoded, bytes(&v2, logical), "{logical}");
        }
    }
}

#[test]
fn deltas_cover_the_newest_releases_only_and_never_an_unchanged_asset() {
    let releases = Releases::new();
    let v1 = releases.build(3);
    publish(&v1, &releases.dir, "2026-01-01T00:00:00.000000Z");
    // Every build writes the same out dir: what a build holds is read before the next.
    let first = sha256_hex(&bytes(&v1, "css/app.css"));
    releases.site.write(
        "css/app.css",
        stylesheet(".two { color: red; }\n").as_bytes(),
    );
    let v2 = releases.build(3);
    assert!(
        deltas(&v2, "js/app.js").is_empty(),
        "js/app.js did not change"
    );
    publish(&v2, &releases.dir, "2026-02-01T00:00:00.000000Z");
    releases.site.write(
        "css/app.css",
        stylesheet(".three { color: red; }\n").as_bytes(),
    );

    let against = |keep| -> Vec<String> {
        deltas(&releases.build(keep), "css/app.css")
            .iter()
            .map(|d| d["dictionary"].as_str().unwrap().to_owned())
            .collect()
    };
    let newest = sha256_hex(&bytes(&v2, "css/app.css"));
    assert_eq!(against(1), std::slice::from_ref(&newest));
    let both = against(3);
    assert_eq!(both.len(), 2);
    assert!(both.contains(&newest));
    assert!(both.contains(&first));
    assert!(against(0).is_empty(), "0 turns deltas off");
}

#[test]
fn an_object_that_is_not_what_its_record_says_is_an_error_naming_it() {
    let releases = Releases::new();
    let v1 = releases.build(3);
    publish(&v1, &releases.dir, "2026-01-01T00:00:00.000000Z");
    let old_path = manifest(&v1)["assets"]["css/app.css"]["path"]
        .as_str()
        .unwrap()
        .to_owned();
    std::fs::write(releases.dir.join(&old_path), "tampered").unwrap();
    releases
        .site
        .write("css/app.css", stylesheet(".x { color: red; }\n").as_bytes());
    let mut config = releases.site.config();
    config.previous_releases(&releases.dir);
    let error = config.try_compile().unwrap_err().to_string();
    assert!(error.contains(&old_path), "{error}");
    assert!(
        error.contains("is not the object its release record describes"),
        "{error}"
    );
}

#[test]
fn a_release_uploaded_since_the_last_build_is_noticed() {
    let releases = Releases::new();
    let v1 = releases.build(3);
    let staged = releases.site.dir.path().join("staged");
    publish(&v1, &staged, "2026-01-01T00:00:00.000000Z");
    releases.site.write(
        "css/app.css",
        stylesheet(".later { color: red; }\n").as_bytes(),
    );
    let v2 = releases.build(3);
    assert!(deltas(&v2, "css/app.css").is_empty());
    // Nothing in the asset dir changes; only a release appears.
    support::copy_tree(&staged, &releases.dir);
    let again = releases.build(3);
    assert!(!again.stats().unchanged, "a new record is a new input");
    assert_eq!(deltas(&again, "css/app.css").len(), 1);
}

/// What a browser does with a `dcz` body (RFC 9842 §5.2): check the header, then decode the
/// frame after it with `dictionary` as raw content and a window of at most 2^`window_log`
/// bytes, refusing a frame that asks for more.
fn decode_dcz_as_a_browser(
    body: &[u8],
    dictionary: &[u8],
    window_log: u32,
) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    assert_eq!(&body[..8], &[0x5e, 0x2a, 0x4d, 0x18, 0x20, 0, 0, 0]);
    let mut decoder = zstd::stream::read::Decoder::with_ref_prefix(&body[40..], dictionary)?;
    decoder.window_log_max(window_log)?;
    let mut decoded = Vec::new();
    decoder.read_to_end(&mut decoded)?;
    Ok(decoded)
}

/// The `dcz` delta of `new` against `old` (the one version of `big.css` in each release), with
/// the bytes served for `new`.
fn large_delta(old: &str, new: &str) -> (Vec<u8>, Vec<u8>) {
    let site = Site::new(&[("big.css", old)]);
    let dir = site.dir.path().join("releases");
    std::fs::create_dir_all(&dir).unwrap();
    let build = || {
        let mut config = site.config();
        config
            .previous_releases(&dir)
            .minify(false)
            .precompress([assetlock_build::Compression::Zstd]);
        config.try_compile().unwrap()
    };
    publish(&build(), &dir, "2026-01-01T00:00:00.000000Z");
    site.write("big.css", new.as_bytes());
    let started = std::time::Instant::now();
    let output = build();
    eprintln!("the build that made the delta: {:.1?}", started.elapsed());
    let listed = deltas(&output, "big.css");
    assert_eq!(listed.len(), 1, "{listed:?}");
    let path = output.dist_dir().join(listed[0]["path"].as_str().unwrap());
    (std::fs::read(path).unwrap(), bytes(&output, "big.css"))
}

#[test]
fn a_delta_of_a_file_grown_past_8_mib_asks_for_no_larger_window_than_rfc_9842_allows() {
    // A dictionary of 1 MiB: clients must accept 8 MiB, and a frame whose window would hold
    // the whole 9 MiB file states 9 MiB. The new part repeats, so level 19 takes 3 s on it in
    // a debug build.
    let old = support::generated_css(1 << 20, 7);
    let new = old.clone() + &support::generated_css(1 << 20, 8).repeat(8);
    let (body, served) = large_delta(&old, &new);
    let decoded = decode_dcz_as_a_browser(&body, old.as_bytes(), 23)
        .unwrap_or_else(|e| panic!("a browser refuses the delta: {e}"));
    assert!(decoded == served);
}

#[test]
fn a_large_files_delta_reaches_its_whole_dictionary_within_the_window_rfc_9842_allows() {
    // 13 MiB: clients must accept 1.25 times that, 16.25 MiB, where a plain zstd response gets
    // 8 MiB; so the delta's window is 16 MiB. zstd drops the dictionary once the input passes
    // the window: with 8 MiB the file's last 5 MiB were compressed alone (a 913 KB delta).
    // Level 19 over a dictionary of 13 MiB without repeats takes 15-19 s in a debug build.
    let old = support::generated_css(13 << 20, 7);
    let (body, served) = large_delta(&old, &(old.clone() + ".new { color: red; }\n"));
    let decoded = decode_dcz_as_a_browser(&body, old.as_bytes(), 24)
        .unwrap_or_else(|e| panic!("a browser refuses the delta: {e}"));
    assert!(decoded == served);
    // About 10 bytes per 128 KiB block, each one long match into the dictionary.
    assert!(
        body.len() * 1000 < old.len(),
        "a one-line edit: {} bytes",
        body.len()
    );
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
