//! Settings that come from the environment cargo gives a build script: the release profile's
//! defaults and each `ASSETLOCK_*` override. These tests change the process environment, so
//! they live in a test binary of their own and take turns.

mod support;

use std::io::Write;
use std::sync::{Mutex, PoisonError};

use assetlock_build::{Compression, Output};
use support::{Site, bytes, manifest, text};

/// Every variable these tests set; each test starts with all of them unset.
const VARIABLES: &[&str] = &[
    "PROFILE",
    "OPT_LEVEL",
    "DEBUG",
    "ASSETLOCK_URL_PREFIX",
    "ASSETLOCK_MINIFY",
    "ASSETLOCK_PRECOMPRESS",
    "ASSETLOCK_CACHE_DIR",
    "ASSETLOCK_LIVE",
    "TARGET",
    "OUT_DIR",
    "CARGO_CFG_DEBUG_ASSERTIONS",
];

/// What cargo sets for the build script of a `--release` build.
const RELEASE: &[(&str, &str)] = &[
    ("PROFILE", "release"),
    ("OPT_LEVEL", "3"),
    ("DEBUG", "false"),
];

/// What cargo sets for the build script of a dev build.
const DEBUG: &[(&str, &str)] = &[("PROFILE", "debug"), ("OPT_LEVEL", "0"), ("DEBUG", "true")];

/// A dev build with live mode off: hashed, precompressed, as a release is shaped.
const DEBUG_LOCKED: &[(&str, &str)] = &[
    ("PROFILE", "debug"),
    ("OPT_LEVEL", "0"),
    ("DEBUG", "true"),
    ("ASSETLOCK_LIVE", "0"),
];

static ENVIRONMENT: Mutex<()> = Mutex::new(());

/// Runs `f` with exactly `vars` of [`VARIABLES`] set, one test at a time.
fn with_env<T>(vars: &[(&str, &str)], f: impl FnOnce() -> T) -> T {
    let _turn = ENVIRONMENT.lock().unwrap_or_else(PoisonError::into_inner);
    // SAFETY: every test of this binary holds `ENVIRONMENT` while it changes or reads the
    // environment, and the library reads it only on the calling thread, before its thread
    // pool starts.
    unsafe {
        for name in VARIABLES {
            std::env::remove_var(name);
        }
        for (name, value) in vars {
            std::env::set_var(name, value);
        }
    }
    f()
}

/// A stylesheet large and repetitive enough for every coding to pay off.
fn big_css() -> String {
    (0..400)
        .map(|i| format!(".rule-{i} {{ color: #{:06x}; margin: {i}px; }}\n", i * 997))
        .collect()
}

fn site() -> Site {
    Site::new(&[("app.css", &big_css())])
}

/// lightningcss indents declarations unless it minifies.
fn minified(css: &str) -> bool {
    css.contains(".rule-1{") && !css.contains("\n  ")
}

/// The bytes of the `token` variant of `logical`.
fn variant(output: &Output, logical: &str, token: &str) -> Vec<u8> {
    let path = manifest(output)["assets"][logical]["encodings"][token]["path"]
        .as_str()
        .unwrap_or_else(|| panic!("no {token} variant of {logical}"))
        .to_string();
    std::fs::read(output.dist_dir().join(path)).unwrap()
}

/// `bytes` compressed by each library directly, as the build's variants should be: gzip
/// without name or mtime, brotli with the smallest window holding the input.
fn reference(coding: Compression, level: u32, bytes: &[u8]) -> Vec<u8> {
    match coding {
        Compression::Gzip => {
            let mut encoder = flate2::GzBuilder::new()
                .mtime(0)
                .operating_system(255)
                .write(Vec::new(), flate2::Compression::new(level));
            encoder.write_all(bytes).unwrap();
            encoder.finish().unwrap()
        }
        Compression::Zstd => zstd::bulk::compress(bytes, level as i32).unwrap(),
        Compression::Brotli => {
            let needed = usize::BITS - bytes.len().leading_zeros();
            let params = brotli::enc::BrotliEncoderParams {
                quality: level as i32,
                lgwin: (needed as i32).clamp(10, 24),
                size_hint: bytes.len(),
                ..Default::default()
            };
            let mut out = Vec::new();
            brotli::BrotliCompress(&mut &bytes[..], &mut out, &params).unwrap();
            out
        }
    }
}

/// Asserts that every variant of `app.css` is what its library makes at `level(coding)`.
fn assert_variants_at(output: &Output, level: impl Fn(Compression) -> u32) {
    let identity = bytes(output, "app.css");
    for coding in Compression::ALL {
        let expected = reference(coding, level(coding), &identity);
        assert!(
            variant(output, "app.css", coding.token()) == expected,
            "{} variant is not level {}",
            coding.token(),
            level(coding)
        );
    }
}

#[test]
fn release_profile_minifies() {
    let site = site();
    let output = with_env(RELEASE, || site.build().unwrap());
    assert!(minified(&text(&output, "app.css")));
}

#[test]
fn debug_profile_does_not_minify() {
    let site = site();
    let output = with_env(DEBUG, || site.build().unwrap());
    assert!(!minified(&text(&output, "app.css")));
}

#[test]
fn release_profile_precompresses_at_the_best_levels() {
    let site = site();
    let output = with_env(RELEASE, || site.build().unwrap());
    assert_variants_at(&output, Compression::max_level);
}

#[test]
fn a_locked_debug_build_precompresses_at_fast_levels() {
    let site = site();
    let output = with_env(DEBUG_LOCKED, || {
        site.config().minify(true).try_compile().unwrap()
    });
    assert_variants_at(&output, |_| 1);
}

/// A stylesheet with irregular selectors and values. On the regular `big_css`, minified,
/// gzip level 9 (flate2 with miniz_oxide) came out larger than level 1: 3536 against 3431
/// bytes.
fn varied_css() -> String {
    const WORDS: [&str; 12] = [
        "header", "nav", "card", "title", "button", "footer", "list", "item", "grid", "panel",
        "modal", "icon",
    ];
    let mut state: u64 = 0x9e3779b97f4a7c15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    (0..600)
        .map(|i| {
            let (a, b, c) = (next(), next(), next());
            format!(
                ".{}-{} .{} {{ color: #{:06x}; padding: {}px {}px; border: 1px solid #{:06x} }}\n",
                WORDS[(a % 12) as usize],
                i % 37,
                WORDS[(b % 12) as usize],
                a & 0xff_ffff,
                b % 40,
                c % 40,
                c & 0xf0_f0f0,
            )
        })
        .collect()
}

#[test]
fn release_levels_give_smaller_variants_than_debug_levels() {
    let site = Site::new(&[("app.css", &varied_css())]);
    // Both builds write the same out dir: read each one's variants before the next build.
    let sizes = |output: &Output| {
        Compression::ALL.map(|coding| variant(output, "app.css", coding.token()).len())
    };
    let release = with_env(RELEASE, || sizes(&site.build().unwrap()));
    let debug = with_env(DEBUG_LOCKED, || {
        sizes(&site.config().minify(true).try_compile().unwrap())
    });
    for ((coding, best), fast) in Compression::ALL.iter().zip(release).zip(debug) {
        assert!(
            best < fast,
            "{}: {best} bytes at the best level, {fast} at the fast one",
            coding.token()
        );
    }
}

#[test]
fn configured_levels_apply_in_release() {
    let site = site();
    let output = with_env(RELEASE, || {
        site.config()
            .compression_level(Compression::Brotli, 5)
            .compression_level(Compression::Zstd, 3)
            .compression_level(Compression::Gzip, 6)
            .try_compile()
            .unwrap()
    });
    assert_variants_at(&output, |coding| match coding {
        Compression::Brotli => 5,
        Compression::Zstd => 3,
        _ => 6,
    });
}

#[test]
fn assetlock_minify_0_overrides_release_profile_and_config() {
    let vars = [RELEASE, &[("ASSETLOCK_MINIFY", "0")]].concat();
    let site = site();
    let output = with_env(&vars, || site.config().minify(true).try_compile().unwrap());
    assert!(!minified(&text(&output, "app.css")));
}

#[test]
fn assetlock_minify_1_overrides_debug_profile_and_config() {
    let vars = [DEBUG, &[("ASSETLOCK_MINIFY", "1")]].concat();
    let site = site();
    let output = with_env(&vars, || site.config().minify(false).try_compile().unwrap());
    assert!(minified(&text(&output, "app.css")));
}

#[test]
fn assetlock_minify_other_values_are_an_error_naming_the_variable() {
    let site = site();
    let error = with_env(&[("ASSETLOCK_MINIFY", "sometimes")], || {
        site.build().unwrap_err()
    });
    let message = error.to_string();
    assert!(message.contains("ASSETLOCK_MINIFY"), "{message}");
    assert!(message.contains("expected 0 or 1"), "{message}");
}

#[test]
fn assetlock_precompress_0_makes_no_variants_in_release() {
    let vars = [RELEASE, &[("ASSETLOCK_PRECOMPRESS", "0")]].concat();
    let site = site();
    let output = with_env(&vars, || site.build().unwrap());
    assert_eq!(
        manifest(&output)["assets"]["app.css"]["encodings"],
        serde_json::json!({})
    );
}

#[test]
fn assetlock_precompress_1_uses_release_levels_in_debug() {
    let vars = [DEBUG_LOCKED, &[("ASSETLOCK_PRECOMPRESS", "1")]].concat();
    let site = site();
    let output = with_env(&vars, || site.build().unwrap());
    assert!(!minified(&text(&output, "app.css")), "still a debug build");
    assert_variants_at(&output, Compression::max_level);
}

#[test]
fn assetlock_url_prefix_overrides_the_config() {
    let vars = [("ASSETLOCK_URL_PREFIX", "https://cdn.example.com/static")];
    let site = site();
    let output = with_env(&vars, || {
        site.config().url_prefix("/assets/").try_compile().unwrap()
    });
    let url = output.url("app.css").unwrap();
    assert!(
        url.starts_with("https://cdn.example.com/static/app."),
        "{url}"
    );
}

#[test]
fn assetlock_url_prefix_is_checked_and_named_in_the_error() {
    let vars = [("ASSETLOCK_URL_PREFIX", "static/")];
    let site = site();
    let error = with_env(&vars, || site.build().unwrap_err());
    let message = error.to_string();
    assert!(message.contains("ASSETLOCK_URL_PREFIX"), "{message}");
}

#[test]
fn assetlock_cache_dir_overrides_the_config() {
    let site = site();
    let from_env = site.dir.path().join("env-cache");
    let vars = [("ASSETLOCK_CACHE_DIR", from_env.to_str().unwrap())];
    let output = with_env(&vars, || site.build().unwrap());
    assert!(output.stats().compressed > 0);
    let entries = walkdir::WalkDir::new(&from_env)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .count();
    assert!(entries > 0, "no entries in ASSETLOCK_CACHE_DIR");
    assert!(
        !site.dir.path().join("cache").exists(),
        "configured dir used"
    );
}

/// The generated Rust of a build.
fn generated(output: &Output) -> String {
    std::fs::read_to_string(output.out_dir().join("assetlock.rs")).unwrap()
}

#[test]
fn a_dev_build_is_live_by_default_with_logical_urls_and_no_integrity_or_variants() {
    let site = site();
    let output = with_env(DEBUG, || site.build().unwrap());
    assert_eq!(output.url("app.css"), Some("/assets/app.css"));
    let manifest = manifest(&output);
    assert_eq!(manifest["live"], true);
    assert_eq!(manifest["assets"]["app.css"]["integrity"], "");
    assert_eq!(
        manifest["assets"]["app.css"]["encodings"],
        serde_json::json!({})
    );
    assert!(generated(&output).contains(".__with_live(&["));
}

#[test]
fn live_urls_are_percent_encoded_as_locked_ones_are() {
    let site = site();
    site.write("img/my logo.svg", b"<svg/>");
    let output = with_env(DEBUG, || site.build().unwrap());
    assert_eq!(
        output.url("img/my logo.svg"),
        Some("/assets/img/my%20logo.svg")
    );
}

#[test]
fn a_build_outside_cargo_is_locked_by_default() {
    let site = site();
    let output = with_env(&[], || site.build().unwrap());
    assert_ne!(output.url("app.css"), Some("/assets/app.css"));
    assert!(manifest(&output).get("live").is_none());
}

#[test]
fn release_profile_is_locked_even_when_live_is_configured() {
    let site = site();
    let output = with_env(RELEASE, || site.config().live(true).try_compile().unwrap());
    assert_ne!(output.url("app.css"), Some("/assets/app.css"));
    let code = generated(&output);
    assert!(
        !code.contains("live") && !code.contains("CARGO_MANIFEST_DIR"),
        "{code}"
    );
}

/// The dev profile run as a build script by cargo, for a crate compiled with or without debug
/// assertions.
fn dev_build_script(site: &Site, assertions: bool) -> Output {
    let out_dir = site.out().display().to_string();
    let mut vars = [DEBUG, &[("TARGET", "x86_64-unknown-linux-gnu")]].concat();
    vars.push(("OUT_DIR", &out_dir));
    if assertions {
        vars.push(("CARGO_CFG_DEBUG_ASSERTIONS", ""));
    }
    with_env(&vars, || site.config().live(true).try_compile().unwrap())
}

#[test]
fn a_dev_profile_without_debug_assertions_is_locked_as_its_runtime_is() {
    let site = site();
    let locked = dev_build_script(&site, false);
    assert_ne!(locked.url("app.css"), Some("/assets/app.css"));
    assert!(manifest(&locked).get("live").is_none());
    assert!(!generated(&locked).contains("__with_live"));
    let live = dev_build_script(&site, true);
    assert_eq!(live.url("app.css"), Some("/assets/app.css"));
    assert_eq!(manifest(&live)["live"], true);
}

#[test]
fn assetlock_live_0_overrides_the_config() {
    let site = site();
    let vars = [DEBUG, &[("ASSETLOCK_LIVE", "0")]].concat();
    let output = with_env(&vars, || site.config().live(true).try_compile().unwrap());
    assert_ne!(output.url("app.css"), Some("/assets/app.css"));
    assert!(!generated(&output).contains("__with_live"));
}
