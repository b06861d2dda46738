//! The deploy path on Azure Blob Storage: upload, verify, prune, pull and the serving fallback
//! against Azurite, the emulator (its Shared Key signatures checked), through `az://` URLs read
//! from the environment as `upload-assets` reads them. Skipped, with a message, when Azurite is
//! not installed (`npm install -g azurite`).

mod support;

use std::collections::BTreeSet;
use std::time::Duration;

use assetlock::serve::Fallback;
use assetlock::upload::object_store::path::Path;
use assetlock::upload::object_store::{Attribute, ObjectStore, ObjectStoreExt, PutPayload};
use assetlock::upload::{Options, run};
use futures::TryStreamExt;
use support::azurite::{container_or_skip, destination, store};
use support::fixture;
use support::{get, header, quiet};

const PREFIX: &str = "assets";

/// The keys under [`PREFIX`] without deploy events and catalogs.
async fn stored(store: &dyn ObjectStore) -> BTreeSet<String> {
    let prefix = Path::from(PREFIX);
    let listed: Vec<_> = store.list(Some(&prefix)).try_collect().await.unwrap();
    listed
        .into_iter()
        .map(|meta| meta.location.as_ref()[PREFIX.len() + 1..].to_owned())
        .filter(|key| {
            !key.starts_with(".assetlock/deploys/") && !key.starts_with(".assetlock/catalogs/")
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn upload_verify_and_rerun_on_azurite() {
    let Some(container) = container_or_skip().await else {
        return;
    };
    let dest = destination(&container, PREFIX);
    let build = fixture::site();
    let variant = build.add_variant("css/app.css", "br", ".br", b"pretend brotli bytes");

    let report = run(&build.source(), &dest, &quiet(Options::upload()))
        .await
        .unwrap();

    assert_eq!(report.uploaded(), build.keys(true));
    assert!(report.checked_create_only(), "{report}");
    assert_eq!(
        stored(store(&container).as_ref()).await,
        build.keys_with_record()
    );
    let css = build.key("css/app.css");
    let (_, attributes) = get(store(&container).as_ref(), PREFIX, &css).await;
    assert_eq!(
        header(&attributes, &Attribute::ContentType),
        Some("text/css; charset=utf-8")
    );
    assert_eq!(
        header(&attributes, &Attribute::CacheControl),
        Some("public, max-age=31536000, immutable")
    );
    let (bytes, attributes) = get(store(&container).as_ref(), PREFIX, &variant).await;
    assert_eq!(bytes, b"pretend brotli bytes");
    assert_eq!(header(&attributes, &Attribute::ContentEncoding), Some("br"));

    let deep = Options::verify().deep(true);
    let report = run(&build.source(), &dest, &quiet(deep)).await.unwrap();
    assert!(report.warnings().is_empty(), "{report}");
    let rerun = run(&build.source(), &dest, &quiet(Options::upload()))
        .await
        .unwrap();
    assert!(rerun.uploaded().is_empty(), "{rerun}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_existing_blob_with_other_bytes_is_never_overwritten() {
    let Some(container) = container_or_skip().await else {
        return;
    };
    let build = fixture::site();
    let key = build.key("js/app.js");
    let path = Path::parse(format!("{PREFIX}/{key}")).unwrap();
    let store = store(&container);
    store
        .put(&path, PutPayload::from_static(b"tampered"))
        .await
        .unwrap();

    let dest = destination(&container, PREFIX);
    let error = run(&build.source(), &dest, &quiet(Options::upload()))
        .await
        .unwrap_err();

    assert_eq!(error.keys(), [key.as_str()]);
    let (bytes, _) = get(store.as_ref(), PREFIX, &key).await;
    assert_eq!(bytes, b"tampered");
    assert!(!stored(store.as_ref()).await.contains(&build.record_key()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_large_object_goes_up_in_one_put_that_never_replaces_a_blob() {
    let Some(container) = container_or_skip().await else {
        return;
    };
    // Over S3's multipart threshold: Azure takes it in one create-only Put Blob, since
    // object_store commits block lists unconditionally.
    let font = "x".repeat(65 << 20);
    let build = fixture::build(&[("fonts/big.woff2", &font)]);
    let key = build.key("fonts/big.woff2");
    let dest = destination(&container, PREFIX);

    let report = run(&build.source(), &dest, &quiet(Options::upload()))
        .await
        .unwrap();
    assert_eq!(report.uploaded(), [key.as_str()]);
    run(&build.source(), &dest, &quiet(Options::verify().deep(true)))
        .await
        .unwrap();

    // The same key with other bytes in another container's copy of the build: refused, and
    // the blob there keeps its bytes.
    let Some(other) = container_or_skip().await else {
        return;
    };
    let path = Path::parse(format!("{PREFIX}/{key}")).unwrap();
    store(&other)
        .put(&path, PutPayload::from_static(b"tampered"))
        .await
        .unwrap();
    let error = run(
        &build.source(),
        &destination(&other, PREFIX),
        &quiet(Options::upload()),
    )
    .await
    .unwrap_err();
    assert_eq!(error.keys(), [key.as_str()]);
    let (bytes, _) = get(store(&other).as_ref(), PREFIX, &key).await;
    assert_eq!(bytes, b"tampered");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn prune_on_azurite_removes_only_what_the_newest_release_does_not_use() {
    let Some(container) = container_or_skip().await else {
        return;
    };
    let dest = destination(&container, PREFIX);
    let one = fixture::site();
    let mut files = fixture::SITE.to_vec();
    files[0] = ("css/app.css", "body { color: red }\n");
    let two = fixture::build(&files);
    run(&one.source(), &dest, &quiet(Options::upload()))
        .await
        .unwrap();
    // Blob times tick in seconds: release 2 is deployed in a later one.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    run(&two.source(), &dest, &quiet(Options::upload()))
        .await
        .unwrap();
    let stranger = Path::parse(format!("{PREFIX}/notes.txt")).unwrap();
    store(&container)
        .put(&stranger, PutPayload::from_static(b"not ours"))
        .await
        .unwrap();

    let prune = Options::prune(1, Duration::ZERO);
    let report = run(&two.source(), &dest, &quiet(prune)).await.unwrap();

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
    assert_eq!(stored(store(&container).as_ref()).await, left);
    run(&two.source(), &dest, &quiet(Options::verify()))
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_azure_pipeline_pulls_the_last_release_and_a_server_sends_a_delta_against_it() {
    let Some(container) = container_or_skip().await else {
        return;
    };
    let dest = destination(&container, PREFIX);
    // The server's fallback reads `az://` as `ASSETLOCK_FALLBACK` would give it.
    let fallback = Fallback::from_url(&format!("az://{container}/{PREFIX}")).unwrap();
    let (addr, v2) = support::deltas::pull_build_and_serve_a_delta(&dest, fallback).await;

    // A browser with nothing gets the identity bytes.
    let url = v2.asset("css/big.css")["url"].as_str().unwrap().to_owned();
    let plain = reqwest::get(format!("http://{addr}{url}")).await.unwrap();
    assert_eq!(plain.status(), 200);
    assert_eq!(plain.headers()["content-type"], "text/css; charset=utf-8");
    let identity = v2.dist_dir.join(v2.key("css/big.css"));
    assert_eq!(
        plain.bytes().await.unwrap().as_ref(),
        std::fs::read(identity).unwrap()
    );
}
