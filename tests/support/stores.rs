//! Scenarios every object store of the deploy path goes through, for the tests of each store
//! (Azure Blob Storage, Cloud Storage): what is stored, a prune, a delta pipeline.

use std::collections::BTreeSet;
use std::time::Duration;

use assetlock::upload::object_store::path::Path;
use assetlock::upload::object_store::{ObjectStore, ObjectStoreExt, PutPayload};
use assetlock::upload::{Destination, Options, run};
use futures::TryStreamExt;

use super::{fixture, quiet};

/// The keys under `prefix` without deploy events and catalogs.
pub async fn stored(store: &dyn ObjectStore, prefix: &str) -> BTreeSet<String> {
    let listed: Vec<_> = store
        .list(Some(&Path::from(prefix)))
        .try_collect()
        .await
        .unwrap();
    listed
        .into_iter()
        .map(|meta| meta.location.as_ref()[prefix.len() + 1..].to_owned())
        .filter(|key| {
            !key.starts_with(".assetlock/deploys/") && !key.starts_with(".assetlock/catalogs/")
        })
        .collect()
}

/// An object of the build's already stored under its key with other bytes: the upload fails
/// naming that key, leaves the object as it was and writes no release record.
pub async fn other_bytes_under_a_key_are_never_overwritten(
    dest: &Destination,
    store: &dyn ObjectStore,
    prefix: &str,
) {
    let build = fixture::site();
    let key = build.key("js/app.js");
    let path = Path::parse(format!("{prefix}/{key}")).unwrap();
    store
        .put(&path, PutPayload::from_static(b"tampered"))
        .await
        .unwrap();

    let error = run(&build.source(), dest, &quiet(Options::upload()))
        .await
        .unwrap_err();

    assert_eq!(error.keys(), [key.as_str()]);
    let (bytes, _) = super::get(store, prefix, &key).await;
    assert_eq!(bytes, b"tampered");
    assert!(!stored(store, prefix).await.contains(&build.record_key()));
}

/// A 65 MiB object (over S3's multipart threshold) uploaded to `dest` and deep-verified; then
/// the same key, holding other bytes in `other` (another bucket's `other_dest`), is refused
/// and keeps its bytes.
pub async fn a_large_object_is_stored_once_and_never_replaces_one(
    (dest, other_dest): (&Destination, &Destination),
    other: &dyn ObjectStore,
    prefix: &str,
) {
    let font = "x".repeat(65 << 20);
    let build = fixture::build(&[("fonts/big.woff2", &font)]);
    let key = build.key("fonts/big.woff2");

    let report = run(&build.source(), dest, &quiet(Options::upload()))
        .await
        .unwrap();
    assert_eq!(report.uploaded(), [key.as_str()]);
    run(&build.source(), dest, &quiet(Options::verify().deep(true)))
        .await
        .unwrap();

    let path = Path::parse(format!("{prefix}/{key}")).unwrap();
    other
        .put(&path, PutPayload::from_static(b"tampered"))
        .await
        .unwrap();
    let error = run(&build.source(), other_dest, &quiet(Options::upload()))
        .await
        .unwrap_err();
    assert_eq!(error.keys(), [key.as_str()]);
    let (bytes, _) = super::get(other, prefix, &key).await;
    assert_eq!(bytes, b"tampered");
}

/// `bytes` gzipped, as a precompressed variant holds them.
pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

/// Two releases uploaded to `dest` (`pause` apart, so that the store's clock orders them) and
/// a file of someone else's beside them; a prune keeping one release deletes release 1's
/// stylesheet and record and nothing else, and release 2 still verifies. `store` is the
/// bucket's store under `dest`'s prefix `prefix`.
pub async fn prune_keeps_the_newest_release_and_what_is_not_ours(
    dest: &Destination,
    store: &dyn ObjectStore,
    prefix: &str,
    pause: Duration,
) {
    let one = fixture::site();
    let mut files = fixture::SITE.to_vec();
    files[0] = ("css/app.css", "body { color: red }\n");
    let two = fixture::build(&files);
    run(&one.source(), dest, &quiet(Options::upload()))
        .await
        .unwrap();
    tokio::time::sleep(pause).await;
    run(&two.source(), dest, &quiet(Options::upload()))
        .await
        .unwrap();
    let stranger = Path::parse(format!("{prefix}/notes.txt")).unwrap();
    store
        .put(&stranger, PutPayload::from_static(b"not ours"))
        .await
        .unwrap();

    let prune = Options::prune(1, Duration::ZERO);
    let report = run(&two.source(), dest, &quiet(prune)).await.unwrap();

    let only_one: BTreeSet<String> = &one.keys_with_record() - &two.keys_with_record();
    assert_eq!(only_one.len(), 2, "release 1's stylesheet and record");
    let deleted: BTreeSet<String> = report
        .deleted()
        .iter()
        .filter(|k| !k.starts_with(".assetlock/deploys/"))
        .cloned()
        .collect();
    assert_eq!(deleted, only_one);
    let mut left = two.keys_with_record();
    left.insert("notes.txt".to_owned());
    assert_eq!(stored(store, prefix).await, left);
    run(&two.source(), dest, &quiet(Options::verify()))
        .await
        .unwrap();
}

/// [`super::deltas::pull_build_and_serve_a_delta`] on `dest`, with a server falling back to
/// `url`; then a browser with nothing gets the identity bytes from it.
#[cfg(feature = "fallback")]
pub async fn delta_and_identity_through_the_fallback(dest: &Destination, url: &str) {
    let fallback = assetlock::serve::Fallback::from_url(url).unwrap();
    let (addr, v2) = super::deltas::pull_build_and_serve_a_delta(dest, fallback).await;

    let path = v2.asset("css/big.css")["url"].as_str().unwrap().to_owned();
    let plain = reqwest::get(format!("http://{addr}{path}")).await.unwrap();
    assert_eq!(plain.status(), 200);
    assert_eq!(plain.headers()["content-type"], "text/css; charset=utf-8");
    let identity = v2.dist_dir.join(v2.key("css/big.css"));
    assert_eq!(
        plain.bytes().await.unwrap().as_ref(),
        std::fs::read(identity).unwrap()
    );
}

/// A rolling deploy behind one origin: releases 1 and 2 uploaded to `dest`, two servers (the
/// old and the new binary's stand-ins) falling back to `url`, and every URL of both releases,
/// identity and gzip, asked of both at once: each answer is 200 with the bytes built.
#[cfg(feature = "fallback")]
pub async fn both_releases_are_served_by_every_server_through_the_fallback(
    dest: &Destination,
    url: &str,
) {
    let mut releases = Vec::new();
    for color in ["#123456", "#654321"] {
        let css = format!("body {{ color: {color} }}\n");
        let mut files = fixture::SITE.to_vec();
        files[0] = ("css/app.css", &css);
        let build = fixture::build(&files);
        build.add_variant("css/app.css", "gzip", ".gz", &gzip(css.as_bytes()));
        run(&build.source(), dest, &quiet(Options::upload()))
            .await
            .unwrap();
        releases.push(build);
    }
    let mut servers = Vec::new();
    for _ in 0..2 {
        let fallback = assetlock::serve::Fallback::from_url(url).unwrap();
        servers.push(super::serve_with_fallback(fallback).await);
    }

    let client = reqwest::Client::new();
    let mut asks = Vec::new();
    for build in &releases {
        let manifest = build.manifest();
        for (logical, asset) in manifest["assets"].as_object().unwrap() {
            let path = asset["url"].as_str().unwrap().to_owned();
            let identity = std::fs::read(build.dist_dir.join(build.key(logical))).unwrap();
            asks.push((path.clone(), None, identity));
            if let Some(gzip) = asset["encodings"].get("gzip") {
                let bytes = std::fs::read(build.dist_dir.join(gzip["path"].as_str().unwrap()));
                asks.push((path, Some("gzip"), bytes.unwrap()));
            }
        }
    }
    let (client, asks) = (&client, &asks);
    let requests = servers.iter().flat_map(|addr| {
        asks.iter().map(move |(path, coding, expected)| {
            let mut request = client.get(format!("http://{addr}{path}"));
            if let Some(coding) = coding {
                request = request.header("accept-encoding", *coding);
            }
            async move {
                let response = request.send().await.unwrap();
                assert_eq!(response.status(), 200, "{path} {coding:?}");
                let encoding = response.headers().get("content-encoding");
                assert_eq!(encoding.map(|v| v.to_str().unwrap()), *coding, "{path}");
                assert_eq!(
                    &response.bytes().await.unwrap()[..],
                    &expected[..],
                    "{path}"
                );
            }
        })
    });
    futures::future::join_all(requests).await;
}
