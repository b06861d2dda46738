//! The deploy path on Azure Blob Storage: upload, verify, prune, pull and the serving fallback
//! against Azurite, the emulator (its Shared Key signatures checked), through `az://` URLs read
//! from the environment as `upload-assets` reads them. Skipped, with a message, when Azurite is
//! not installed (`npm install -g azurite`).

mod support;

use std::time::Duration;

use assetlock::upload::object_store::Attribute;
use assetlock::upload::{Options, run};
use support::azurite::{container_or_skip, destination, store};
use support::stores::{self, stored};
use support::{fixture, get, header, quiet};

const PREFIX: &str = "assets";

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
        stored(store(&container).as_ref(), PREFIX).await,
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
    let dest = destination(&container, PREFIX);
    let store = store(&container);
    stores::other_bytes_under_a_key_are_never_overwritten(&dest, store.as_ref(), PREFIX).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_large_object_goes_up_in_one_put_that_never_replaces_a_blob() {
    // Over S3's multipart threshold: Azure takes it in one create-only Put Blob, since
    // object_store commits block lists unconditionally.
    let (Some(container), Some(other)) = (container_or_skip().await, container_or_skip().await)
    else {
        return;
    };
    let dests = (
        &destination(&container, PREFIX),
        &destination(&other, PREFIX),
    );
    stores::a_large_object_is_stored_once_and_never_replaces_one(
        dests,
        store(&other).as_ref(),
        PREFIX,
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn prune_on_azurite_removes_only_what_the_newest_release_does_not_use() {
    let Some(container) = container_or_skip().await else {
        return;
    };
    let dest = destination(&container, PREFIX);
    let store = store(&container);
    stores::prune_keeps_the_newest_release_and_what_is_not_ours(
        &dest,
        store.as_ref(),
        PREFIX,
        Duration::from_millis(1100),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_azure_pipeline_pulls_the_last_release_and_a_server_sends_a_delta_against_it() {
    let Some(container) = container_or_skip().await else {
        return;
    };
    let dest = destination(&container, PREFIX);
    // The server's fallback reads the URL as `ASSETLOCK_FALLBACK` would give it.
    let url = format!("az://{container}/{PREFIX}");
    stores::delta_and_identity_through_the_fallback(&dest, &url).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rolling_deploy_reads_both_releases_from_azure_through_the_fallback() {
    let Some(container) = container_or_skip().await else {
        return;
    };
    let dest = destination(&container, PREFIX);
    let url = format!("az://{container}/{PREFIX}");
    stores::both_releases_are_served_by_every_server_through_the_fallback(&dest, &url).await;
}
