//! Releases whose stylesheet differs by a line, for the tests of deltas between releases, the
//! request header that names an earlier version, and a delta pipeline on any store.

use super::fixture::{self, Build};

/// What Chromium sends once it has a dictionary for the URL.
pub const ACCEPT: &str = "gzip, deflate, br, zstd, dcb, dcz";

/// A stylesheet of 400 rules, then `edit`.
pub fn stylesheet(edit: &str) -> String {
    let mut css: String = (0..400)
        .map(|i| format!(".rule-{i} {{ margin: {i}px; color: #{:06x}; }}\n", i * 7919))
        .collect();
    css.push_str(edit);
    css
}

/// The fixture site with `css/big.css` = [`stylesheet`]`(edit)`, built against the earlier
/// releases in `previous` when given.
pub fn release(edit: &str, previous: Option<&std::path::Path>) -> Build {
    let css = stylesheet(edit);
    let mut files = fixture::SITE.to_vec();
    files.push(("css/big.css", &css));
    fixture::build_with(&files, |config| {
        if let Some(dir) = previous {
            config.previous_releases(dir);
        }
    })
}

/// The `Available-Dictionary` value naming the version whose SHA-256 is `sha256_hex`.
pub fn available_dictionary(sha256_hex: &str) -> String {
    let bytes: Vec<u8> = (0..sha256_hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&sha256_hex[i..i + 2], 16).unwrap())
        .collect();
    use base64::Engine;
    format!(
        ":{}:",
        base64::engine::general_purpose::STANDARD.encode(bytes)
    )
}

/// A delta pipeline on `dest`: release 1 uploaded; then release 2's pipeline pulls it, builds
/// against it, uploads and verifies; and a server of another build with `fallback` (reading
/// `dest`) sends release 2's stylesheet as a `dcz` delta to a browser that has release 1's.
/// Returns the server's address and release 2.
#[cfg(feature = "fallback")]
pub async fn pull_build_and_serve_a_delta(
    dest: &assetlock::upload::Destination,
    fallback: assetlock::serve::Fallback,
) -> (std::net::SocketAddr, Build) {
    use assetlock::upload::{Options, run};

    let v1 = release("", None);
    let quiet = |options| super::quiet(options);
    run(&v1.source(), dest, &quiet(Options::upload()))
        .await
        .unwrap();

    let pulled = tempfile::tempdir().unwrap();
    let pull = Options::pull_releases(pulled.path(), 3);
    run(&v1.source(), dest, &quiet(pull)).await.unwrap();
    let v2 = release(".added { color: red; }\n", Some(pulled.path()));
    let old = v1.asset("css/big.css");
    let delta = &v2.asset("css/big.css")["deltas"][0];
    assert_eq!(delta["dictionary"], old["sha256"], "{delta}");
    run(&v2.source(), dest, &quiet(Options::upload()))
        .await
        .unwrap();
    run(&v2.source(), dest, &quiet(Options::verify()))
        .await
        .unwrap();

    let addr = super::serve_with_fallback(fallback).await;
    let url = v2.asset("css/big.css")["url"].as_str().unwrap().to_owned();
    let response = reqwest::Client::new()
        .get(format!("http://{addr}{url}"))
        .header("accept-encoding", ACCEPT)
        .header(
            "available-dictionary",
            available_dictionary(old["sha256"].as_str().unwrap()),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-encoding"], "dcz");
    let body = response.bytes().await.unwrap();
    let delta_file = v2.dist_dir.join(delta["path"].as_str().unwrap());
    assert_eq!(body.as_ref(), std::fs::read(delta_file).unwrap());
    (addr, v2)
}
