//! `--verify`, the deploy gate, against a real S3 server (s3s + s3s-fs, SigV4 checked) in the
//! test process.

mod support;

use assetlock::upload::Options;
use assetlock::upload::object_store::path::Path;
use assetlock::upload::object_store::{
    Attribute, Attributes, ObjectStoreExt, PutMode, PutOptions, PutPayload,
};
use support::fixture;
use support::s3::{PREFIX, S3Server};

const IMMUTABLE: &str = "public, max-age=31536000, immutable";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn verify_passes_when_every_object_is_right() {
    let server = S3Server::start().await;
    let build = fixture::site();
    server.run(&build, Options::upload()).await.unwrap();

    let report = server.run(&build, Options::verify()).await.unwrap();

    assert_eq!(report.verified(), build.keys(true).len());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn verify_catches_a_deleted_object() {
    let server = S3Server::start().await;
    let build = fixture::site();
    server.run(&build, Options::upload()).await.unwrap();
    let key = build.key("js/app.js");
    let path = Path::parse(format!("{PREFIX}/{key}")).unwrap();
    server.store().delete(&path).await.unwrap();

    let error = server.run(&build, Options::verify()).await.unwrap_err();

    assert_eq!(error.keys(), [key.as_str()]);
    assert_eq!(error.exit_code(), 1);
    assert!(error.to_string().contains("missing"), "{error}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn verify_catches_a_wrong_content_type() {
    let server = S3Server::start().await;
    let build = fixture::site();
    server.run(&build, Options::upload()).await.unwrap();
    // Someone replaces the object behind the uploader's back, with the wrong header.
    let key = build.key("css/app.css");
    let bytes = std::fs::read(build.dist_dir.join(&key)).unwrap();
    let mut attributes = Attributes::new();
    attributes.insert(Attribute::ContentType, "text/plain".into());
    attributes.insert(Attribute::CacheControl, IMMUTABLE.into());
    let options = PutOptions {
        mode: PutMode::Overwrite,
        attributes,
        ..PutOptions::default()
    };
    let path = Path::parse(format!("{PREFIX}/{key}")).unwrap();
    server
        .store()
        .put_opts(&path, PutPayload::from(bytes), options)
        .await
        .unwrap();

    let error = server.run(&build, Options::verify()).await.unwrap_err();

    assert_eq!(error.keys(), [key.as_str()]);
    let text = error.to_string();
    assert!(
        text.contains("Content-Type is `text/plain`, expected `text/css; charset=utf-8`"),
        "{text}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn verify_fails_before_the_upload_finished() {
    let server = S3Server::start().await;
    let build = fixture::site();

    let error = server.run(&build, Options::verify()).await.unwrap_err();

    let mut expected = build.keys(true);
    expected.push(build.record_key());
    expected.sort();
    assert_eq!(error.keys(), expected);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deep_verify_catches_a_same_size_corrupted_object_that_plain_verify_passes() {
    let server = S3Server::start().await;
    let build = fixture::site();
    server.run(&build, Options::upload()).await.unwrap();
    let key = build.key("css/app.css");
    let file = server.object_file(PREFIX, &key);
    let mut bytes = std::fs::read(&file).unwrap();
    bytes[0] ^= 0x20;
    std::fs::write(&file, &bytes).unwrap();

    server.run(&build, Options::verify()).await.unwrap();
    let error = server
        .run(&build, Options::verify().deep(true))
        .await
        .unwrap_err();

    assert_eq!(error.keys(), [key.as_str()]);
    assert!(error.to_string().contains("content SHA-256 is"), "{error}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deep_verify_passes_and_says_it_checked_the_content() {
    let server = S3Server::start().await;
    let build = fixture::site();
    server.run(&build, Options::upload()).await.unwrap();

    let report = server
        .run(&build, Options::verify().deep(true))
        .await
        .unwrap();

    assert_eq!(report.verified(), build.keys(true).len());
    assert!(
        report.to_string().contains("headers and content"),
        "{report}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_store_that_ignores_if_none_match_fails_the_first_upload_and_verify() {
    let server = S3Server::start().await;
    server.ignore_if_none_match();
    let build = fixture::site();

    let error = server.run(&build, Options::upload()).await.unwrap_err();
    assert!(
        error.to_string().contains("ignores If-None-Match"),
        "{error}"
    );
    let objects = server.keys(PREFIX).await;
    assert!(objects.is_empty(), "nothing uploaded: {objects:?}");

    // Taking the risk explicitly, the upload goes through; the gate still says no.
    let accept = Options::upload().accept_overwrites(true);
    server.run(&build, accept).await.unwrap();
    let error = server.run(&build, Options::verify()).await.unwrap_err();
    assert!(error.to_string().contains("--accept-overwrites"), "{error}");
    let accept = Options::verify().accept_overwrites(true);
    let report = server.run(&build, accept).await.unwrap();
    assert!(!report.checked_create_only());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_store_that_keeps_create_only_passes_the_probe_and_keeps_no_scratch_key() {
    let server = S3Server::start().await;
    let build = fixture::site();
    let report = server.run(&build, Options::upload()).await.unwrap();
    assert!(report.checked_create_only(), "the first upload checks");
    let report = server.run(&build, Options::verify()).await.unwrap();
    assert!(report.checked_create_only());
    assert!(
        report.to_string().contains("refuses to overwrite"),
        "{report}"
    );
    let keys = server.keys(PREFIX).await;
    assert!(
        !keys.iter().any(|k| k.starts_with(".assetlock/probes/")),
        "{keys:?}"
    );
    let rerun = server.run(&build, Options::upload()).await.unwrap();
    assert!(!rerun.checked_create_only(), "later uploads do not");
}
