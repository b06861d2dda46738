//! The deploy path on Google Cloud Storage: upload, verify, prune, pull and the serving fallback
//! through `gs://` URLs read from the environment as `upload-assets` reads them, against the
//! Cloud Storage server of `support::gcs` (service account tokens checked, generation
//! preconditions, decompressive transcoding). Skipped, with a message, when `openssl` is
//! missing.

mod support;

use std::sync::atomic::Ordering;
use std::time::Duration;

use assetlock::serve::Fallback;
use assetlock::upload::object_store::gcp::GoogleCloudStorageBuilder;
use assetlock::upload::object_store::path::Path;
use assetlock::upload::object_store::{
    Attribute, Attributes, ClientOptions, ObjectStoreExt, PutOptions, PutPayload,
};
use assetlock::upload::{Destination, Options, run};
use support::gcs::{bucket_or_skip, destination, server, store};
use support::stores::{self, gzip, stored};
use support::{fixture, get, header, quiet};

const PREFIX: &str = "assets";
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// The fixture site with a real gzip variant of its stylesheet; returns the variant's key
/// and bytes too.
fn site_with_gzip() -> (fixture::Build, String, Vec<u8>) {
    let build = fixture::site();
    let bytes = gzip(fixture::SITE[0].1.as_bytes());
    let variant = build.add_variant("css/app.css", "gzip", ".gz", &bytes);
    (build, variant, bytes)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn upload_verify_and_rerun_on_cloud_storage() {
    let Some(bucket) = bucket_or_skip() else {
        return;
    };
    let unsupported = server().unwrap().unsupported.load(Ordering::SeqCst);
    let dest = destination(&bucket, PREFIX);
    let (build, variant, gzipped) = site_with_gzip();

    let report = run(&build.source(), &dest, &quiet(Options::upload()))
        .await
        .unwrap();

    assert_eq!(report.uploaded(), build.keys(true));
    assert!(report.checked_create_only(), "{report}");
    let store = store(&bucket);
    assert_eq!(
        stored(store.as_ref(), PREFIX).await,
        build.keys_with_record()
    );
    let (_, attributes) = get(store.as_ref(), PREFIX, &build.key("css/app.css")).await;
    assert_eq!(
        header(&attributes, &Attribute::ContentType),
        Some("text/css; charset=utf-8")
    );
    assert_eq!(
        header(&attributes, &Attribute::CacheControl),
        Some(IMMUTABLE)
    );
    // The gzip variant is read back as stored, by a client that does not ask for gzip.
    let (bytes, attributes) = get(store.as_ref(), PREFIX, &variant).await;
    assert_eq!(bytes, gzipped);
    assert_eq!(
        header(&attributes, &Attribute::ContentEncoding),
        Some("gzip")
    );
    let no_transform = format!("{IMMUTABLE}, no-transform");
    assert_eq!(
        header(&attributes, &Attribute::CacheControl),
        Some(no_transform.as_str())
    );
    let (name, _) = fixture::SITE[6];
    let (bytes, _) = get(store.as_ref(), PREFIX, &build.key(name)).await;
    assert_eq!(bytes, b"percent\n", "{name}");
    let path = Path::parse(format!("{PREFIX}/{}", build.key(name))).unwrap();
    let part = store.get_range(&path, 2..5).await.unwrap();
    assert_eq!(&part[..], b"rce", "a ranged read");

    let deep = Options::verify().deep(true);
    let report = run(&build.source(), &dest, &quiet(deep)).await.unwrap();
    assert!(report.warnings().is_empty(), "{report}");
    let rerun = run(&build.source(), &dest, &quiet(Options::upload()))
        .await
        .unwrap();
    assert!(rerun.uploaded().is_empty(), "{rerun}");
    let now = server().unwrap().unsupported.load(Ordering::SeqCst);
    assert_eq!(
        now, unsupported,
        "no multipart upload or copy was asked for"
    );

    // A server of another build sends the gzip variant from the bucket, bytes as built.
    let fallback = Fallback::from_url(&format!("gs://{bucket}/{PREFIX}")).unwrap();
    let addr = support::serve_with_fallback(fallback).await;
    let url = build.asset("css/app.css")["url"]
        .as_str()
        .unwrap()
        .to_owned();
    let response = reqwest::Client::new()
        .get(format!("http://{addr}{url}"))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-encoding"], "gzip");
    assert_eq!(response.bytes().await.unwrap().as_ref(), gzipped);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn verify_finds_a_gzip_object_the_store_would_serve_decompressed() {
    let Some(bucket) = bucket_or_skip() else {
        return;
    };
    let (build, variant, gzipped) = site_with_gzip();
    // Another tool stored the variant first, with the right bytes and the usual headers but
    // without `no-transform`.
    let mut attributes = Attributes::new();
    attributes.insert(Attribute::ContentEncoding, "gzip".into());
    attributes.insert(Attribute::CacheControl, IMMUTABLE.into());
    let path = Path::parse(format!("{PREFIX}/{variant}")).unwrap();
    let options = PutOptions::from(attributes);
    let store = store(&bucket);
    store
        .put_opts(&path, PutPayload::from(gzipped.clone()), options)
        .await
        .unwrap();
    // Cloud Storage then serves it decompressed to a client that does not ask for gzip.
    let (bytes, attributes) = get(store.as_ref(), PREFIX, &variant).await;
    assert_eq!(bytes, fixture::SITE[0].1.as_bytes());
    assert_eq!(header(&attributes, &Attribute::ContentEncoding), None);

    let dest = destination(&bucket, PREFIX);
    run(&build.source(), &dest, &quiet(Options::upload()))
        .await
        .unwrap();
    let error = run(&build.source(), &dest, &quiet(Options::verify()))
        .await
        .unwrap_err();
    assert_eq!(error.keys(), [variant.as_str()]);
    let text = error.to_string();
    assert!(text.contains("no-transform"), "{text}");
    let deep = run(&build.source(), &dest, &quiet(Options::verify().deep(true)))
        .await
        .unwrap_err();
    assert_eq!(deep.keys(), [variant.as_str()]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_existing_object_with_other_bytes_is_never_overwritten() {
    let Some(bucket) = bucket_or_skip() else {
        return;
    };
    let dest = destination(&bucket, PREFIX);
    let refused = server().unwrap().refused.load(Ordering::SeqCst);
    let store = store(&bucket);
    stores::other_bytes_under_a_key_are_never_overwritten(&dest, store.as_ref(), PREFIX).await;
    assert!(server().unwrap().refused.load(Ordering::SeqCst) > refused);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_large_object_goes_up_in_one_put_that_never_replaces_an_object() {
    // Over S3's multipart threshold: Cloud Storage takes it in one create-only PUT, since
    // object_store completes XML multipart uploads unconditionally.
    let (Some(bucket), Some(other)) = (bucket_or_skip(), bucket_or_skip()) else {
        return;
    };
    let unsupported = server().unwrap().unsupported.load(Ordering::SeqCst);
    let dests = (&destination(&bucket, PREFIX), &destination(&other, PREFIX));
    stores::a_large_object_is_stored_once_and_never_replaces_one(
        dests,
        store(&other).as_ref(),
        PREFIX,
    )
    .await;
    let now = server().unwrap().unsupported.load(Ordering::SeqCst);
    assert_eq!(now, unsupported, "one PUT, no multipart upload");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn prune_on_cloud_storage_removes_only_what_the_newest_release_does_not_use() {
    let Some(bucket) = bucket_or_skip() else {
        return;
    };
    let dest = destination(&bucket, PREFIX);
    let store = store(&bucket);
    stores::prune_keeps_the_newest_release_and_what_is_not_ours(
        &dest,
        store.as_ref(),
        PREFIX,
        Duration::from_millis(20),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cloud_storage_pipeline_pulls_the_last_release_and_a_server_sends_a_delta_against_it() {
    let Some(bucket) = bucket_or_skip() else {
        return;
    };
    let dest = destination(&bucket, PREFIX);
    // The server's fallback reads the URL as `ASSETLOCK_FALLBACK` would give it.
    let url = format!("gs://{bucket}/{PREFIX}");
    stores::delta_and_identity_through_the_fallback(&dest, &url).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_key_of_another_service_account_is_refused_with_what_to_check() {
    let Some(bucket) = bucket_or_skip() else {
        return;
    };
    // Same account name and key id, another private key: its signatures do not verify.
    let stranger = support::gcs::auth::Account::generate().unwrap();
    let builder = GoogleCloudStorageBuilder::new()
        .with_bucket_name(&bucket)
        .with_service_account_key(&stranger.key_file)
        .with_base_url(&server().unwrap().endpoint)
        .with_client_options(ClientOptions::new().with_allow_http(true));
    let dest = Destination::gcs(builder, PREFIX).unwrap();
    let build = fixture::site();

    let error = run(&build.source(), &dest, &quiet(Options::verify()))
        .await
        .unwrap_err();

    let text = error.to_string();
    assert!(text.contains("refused the credentials"), "{text}");
    assert!(text.contains("GOOGLE_SERVICE_ACCOUNT"), "{text}");
    assert!(!text.contains("AWS_"), "{text}");
    assert!(stored(store(&bucket).as_ref(), PREFIX).await.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rolling_deploy_reads_both_releases_from_cloud_storage_through_the_fallback() {
    let Some(bucket) = bucket_or_skip() else {
        return;
    };
    let dest = destination(&bucket, PREFIX);
    let url = format!("gs://{bucket}/{PREFIX}");
    stores::both_releases_are_served_by_every_server_through_the_fallback(&dest, &url).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bucket_that_ignores_generation_preconditions_fails_the_first_upload_and_verify() {
    let Some(server) = server() else {
        return;
    };
    let bucket = server.bucket_ignoring_preconditions();
    let dest = destination(&bucket, PREFIX);
    let build = fixture::site();

    let error = run(&build.source(), &dest, &quiet(Options::upload()))
        .await
        .unwrap_err();
    let text = error.to_string();
    assert!(
        text.contains("ignores x-goog-if-generation-match: 0"),
        "{text}"
    );
    let left = stored(store(&bucket).as_ref(), PREFIX).await;
    assert!(left.is_empty(), "nothing uploaded: {left:?}");

    // Taking the risk explicitly, the upload goes through; the gate still says no.
    let accept = Options::upload().accept_overwrites(true);
    run(&build.source(), &dest, &quiet(accept)).await.unwrap();
    let error = run(&build.source(), &dest, &quiet(Options::verify()))
        .await
        .unwrap_err();
    assert!(error.to_string().contains("--accept-overwrites"), "{error}");
}
