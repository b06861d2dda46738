//! Uploads against a real S3 server (s3s + s3s-fs, SigV4 checked) in the test process.

mod support;

use std::collections::BTreeSet;

use assetlock::upload::object_store::path::Path;
use assetlock::upload::object_store::{Attribute, ObjectStoreExt, PutPayload};
use assetlock::upload::{Options, run};
use support::fixture::{self, hex_sha256};
use support::s3::{PREFIX, S3Server, SECRET_KEY};
use support::{get, header, quiet};

const IMMUTABLE: &str = "public, max-age=31536000, immutable";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn upload_stores_every_object_and_then_the_release_record() {
    let server = S3Server::start().await;
    let build = fixture::site();

    let report = server.run(&build, Options::upload()).await.unwrap();

    let mut expected: BTreeSet<String> = build.keys(true).into_iter().collect();
    assert_eq!(report.uploaded(), Vec::from_iter(expected.clone()));
    assert!(report.release_record_written());
    expected.insert(build.record_key());
    let mut keys = server.keys(PREFIX).await;
    let meta = |prefix: &str| -> Vec<String> {
        let keys = keys.iter().filter(|k| k.starts_with(prefix));
        keys.cloned().collect()
    };
    let (events, catalogs) = (meta(".assetlock/deploys/"), meta(".assetlock/catalogs/"));
    assert_eq!(events.len(), 1, "one deploy event per upload run");
    assert_eq!(catalogs.len(), 1, "one catalog per upload run");
    keys.retain(|k| !events.contains(k) && !catalogs.contains(k));
    assert_eq!(keys, expected);
    let stored = server.stored_keys();
    let [before @ .., event, catalog] = stored.as_slice() else {
        panic!("{stored:?}");
    };
    assert_eq!(
        *event,
        format!("{PREFIX}/{}", events[0]),
        "the deploy event comes after the record"
    );
    assert_eq!(
        *catalog,
        format!("{PREFIX}/{}", catalogs[0]),
        "the catalog last"
    );
    assert_eq!(
        before.last(),
        Some(&format!("{PREFIX}/{}", build.record_key())),
        "the release record comes after every object"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn release_record_is_the_manifest_plus_upload_time() {
    let server = S3Server::start().await;
    let build = fixture::site();
    server.run(&build, Options::upload()).await.unwrap();

    let (bytes, attributes) = get(server.store().as_ref(), PREFIX, &build.record_key()).await;
    let mut record: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    let uploaded_at = record
        .as_object_mut()
        .unwrap()
        .remove("uploaded_at")
        .unwrap();
    assert!(humantime::parse_rfc3339(uploaded_at.as_str().unwrap()).is_ok());
    assert_eq!(record, build.manifest());
    assert_eq!(
        header(&attributes, &Attribute::ContentType),
        Some("application/json")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn identity_objects_round_trip_content_type_and_cache_control() {
    let server = S3Server::start().await;
    let build = fixture::site();
    server.run(&build, Options::upload()).await.unwrap();

    let key = build.key("css/app.css");
    let (bytes, attributes) = get(server.store().as_ref(), PREFIX, &key).await;
    assert_eq!(bytes, std::fs::read(build.dist_dir.join(&key)).unwrap());
    assert_eq!(
        header(&attributes, &Attribute::ContentType),
        Some("text/css; charset=utf-8")
    );
    assert_eq!(
        header(&attributes, &Attribute::CacheControl),
        Some(IMMUTABLE)
    );
    assert_eq!(header(&attributes, &Attribute::ContentEncoding), None);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn variants_carry_content_encoding_and_the_originals_content_type() {
    let server = S3Server::start().await;
    let build = fixture::site();
    let br = build.add_variant("css/app.css", "br", ".br", b"pretend brotli bytes");
    server.run(&build, Options::upload()).await.unwrap();

    let (bytes, attributes) = get(server.store().as_ref(), PREFIX, &br).await;
    assert_eq!(bytes, b"pretend brotli bytes");
    assert_eq!(header(&attributes, &Attribute::ContentEncoding), Some("br"));
    assert_eq!(
        header(&attributes, &Attribute::ContentType),
        Some("text/css; charset=utf-8")
    );
    assert_eq!(
        header(&attributes, &Attribute::CacheControl),
        Some(IMMUTABLE)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rerun_of_the_same_build_puts_only_its_deploy_event_and_catalog() {
    let server = S3Server::start().await;
    let build = fixture::site();
    server.run(&build, Options::upload()).await.unwrap();
    let (lists, puts) = (server.lists(), server.puts());

    let report = server.run(&build, Options::upload()).await.unwrap();

    // The prefix; after the deploy event, the prune leases and the prefix again (to find
    // what a prune running meanwhile deleted); then the catalogs and the records, for the new
    // catalog.
    assert_eq!(server.lists() - lists, 5);
    assert_eq!(server.puts() - puts, 2, "the deploy event and the catalog");
    let stored = server.stored_keys();
    let [.., event, catalog] = stored.as_slice() else {
        panic!("{stored:?}");
    };
    assert!(
        event.starts_with(&format!("{PREFIX}/.assetlock/deploys/")),
        "{event}"
    );
    assert!(
        catalog.starts_with(&format!("{PREFIX}/.assetlock/catalogs/")),
        "{catalog}"
    );
    assert!(report.uploaded().is_empty());
    assert_eq!(report.skipped(), build.keys(true).len());
    assert!(!report.release_record_written());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_concurrent_uploaders_of_one_build_both_succeed() {
    let server = S3Server::start().await;
    let build = fixture::site();
    let (one, two) = (build.source(), build.source());
    let (dest_one, dest_two) = (server.destination(PREFIX), server.destination(PREFIX));
    let options = quiet(Options::upload().concurrency(2));

    let (a, b) = tokio::join!(
        run(&one, &dest_one, &options),
        run(&two, &dest_two, &options)
    );

    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(
        a.uploaded().len() + a.skipped(),
        b.uploaded().len() + b.skipped()
    );
    run(&one, &dest_one, &quiet(Options::verify()))
        .await
        .unwrap();
    let records: Vec<_> = server
        .keys(PREFIX)
        .await
        .into_iter()
        .filter(|k| k.starts_with(".assetlock/releases/"))
        .collect();
    assert_eq!(records, [build.record_key()]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_secret_gives_a_clear_error_without_credentials() {
    let server = S3Server::start().await;
    let build = fixture::site();
    let wrong_secret = "wrongsecretwrongsecretwrongsecret0000000";
    let store = server.store_with_secret(wrong_secret);
    let dest = assetlock::upload::Destination::new(store, PREFIX).unwrap();

    let error = run(&build.source(), &dest, &quiet(Options::upload()))
        .await
        .unwrap_err();

    assert!(error.is_auth());
    let text = error.to_string();
    assert!(text.contains("refused the credentials"), "{text}");
    assert!(text.contains("AWS_SECRET_ACCESS_KEY"), "{text}");
    for secret in [wrong_secret, SECRET_KEY, support::s3::ACCESS_KEY] {
        assert!(!text.contains(secret), "{text}");
        assert!(!format!("{error:?}").contains(secret));
    }
    assert!(server.keys(PREFIX).await.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn source_maps_are_published_where_the_comments_point_unless_left_out() {
    let server = S3Server::start().await;
    let build = fixture::site();
    let map = build.key("js/app.js.map");
    let report = run(
        &build.source(),
        &server.destination("a"),
        &quiet(Options::upload()),
    )
    .await
    .unwrap();
    assert!(report.warnings().is_empty(), "{report}");
    let options = quiet(Options::upload().include_maps(false));
    let report = run(&build.source(), &server.destination("b"), &options)
        .await
        .unwrap();

    assert!(server.keys("a").await.contains(&map));
    assert!(!server.keys("b").await.contains(&map));
    assert!(
        report.warnings()[0].contains("1 source maps left out"),
        "{report}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_existing_key_with_other_bytes_is_never_overwritten() {
    let server = S3Server::start().await;
    let build = fixture::site();
    let key = build.key("js/app.js");
    let path = Path::parse(format!("{PREFIX}/{key}")).unwrap();
    server
        .store()
        .put(&path, PutPayload::from_static(b"tampered"))
        .await
        .unwrap();

    let error = server.run(&build, Options::upload()).await.unwrap_err();

    assert_eq!(error.keys(), [key.as_str()]);
    let (bytes, _) = get(server.store().as_ref(), PREFIX, &key).await;
    assert_eq!(bytes, b"tampered");
    assert!(!server.keys(PREFIX).await.contains(&build.record_key()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_object_a_racing_uploader_stored_first_counts_as_uploaded() {
    let server = S3Server::start().await;
    let build = fixture::site();
    let key = build.key("js/app.js");
    let bytes = std::fs::read(build.dist_dir.join(&key)).unwrap();
    server.race_after_next_list(PREFIX, &key, &bytes);

    let report = server.run(&build, Options::upload()).await.unwrap();

    assert!(!report.uploaded().contains(&key));
    assert_eq!(report.skipped(), 1);
    assert!(report.release_record_written());
    let full_key = format!("{PREFIX}/{key}");
    let stores = server
        .stored_keys()
        .into_iter()
        .filter(|k| *k == full_key)
        .count();
    assert_eq!(stores, 1, "only the racer's PUT may succeed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_object_a_racing_writer_stored_with_other_bytes_is_not_overwritten() {
    let server = S3Server::start().await;
    let build = fixture::site();
    let key = build.key("js/app.js");
    server.race_after_next_list(PREFIX, &key, b"someone else");

    let error = server.run(&build, Options::upload()).await.unwrap_err();

    assert_eq!(error.keys(), [key.as_str()]);
    assert!(
        error.to_string().contains("already exists with 12 bytes"),
        "{error}"
    );
    let (bytes, _) = get(server.store().as_ref(), PREFIX, &key).await;
    assert_eq!(bytes, b"someone else");
    assert!(!server.keys(PREFIX).await.contains(&build.record_key()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dry_run_lists_the_plan_and_writes_nothing() {
    let server = S3Server::start().await;
    let build = fixture::site();

    let options = quiet(Options::upload().dry_run(true));
    let report = run(&build.source(), &server.destination(PREFIX), &options)
        .await
        .unwrap();

    assert_eq!(report.uploaded(), build.keys(true));
    assert_eq!(server.puts(), 0);
    assert!(server.keys(PREFIX).await.is_empty());
    assert!(report.to_string().contains("dry run: would upload"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dist_file_that_differs_from_the_manifest_is_not_uploaded() {
    let server = S3Server::start().await;
    let build = fixture::site();
    let key = build.key("js/app.js");
    std::fs::write(build.dist_dir.join(&key), "console.log('changed')").unwrap();

    let error = server.run(&build, Options::upload()).await.unwrap_err();

    assert_eq!(error.keys(), [key.as_str()]);
    assert!(error.to_string().contains("refusing to upload"), "{error}");
    let keys = server.keys(PREFIX).await;
    assert!(!keys.contains(&key));
    assert!(!keys.contains(&build.record_key()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn uploaded_bytes_match_the_manifest_hashes() {
    let server = S3Server::start().await;
    let build = fixture::site();
    server.run(&build, Options::upload()).await.unwrap();

    let manifest = build.manifest();
    for (logical, asset) in manifest["assets"].as_object().unwrap() {
        if logical.ends_with(".map") {
            continue;
        }
        let key = asset["path"].as_str().unwrap();
        let (bytes, _) = get(server.store().as_ref(), PREFIX, key).await;
        assert_eq!(
            hex_sha256(&bytes),
            asset["sha256"].as_str().unwrap(),
            "{logical}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_compiled_in_manifest_uploads_every_asset_byte_for_byte() {
    let server = S3Server::start().await;
    let manifest = &fixture_site::MANIFEST;
    let source = assetlock::upload::Source::from_manifest(manifest);
    let dest = server.destination(PREFIX);

    run(&source, &dest, &quiet(Options::upload()))
        .await
        .unwrap();

    run(&source, &dest, &quiet(Options::verify()))
        .await
        .unwrap();
    // Public files stay out of the bucket: their keys could not be create-only.
    let robots = manifest.get("robots.txt").unwrap();
    assert!(robots.is_public());
    let key = Path::parse(format!("{PREFIX}/robots.txt")).unwrap();
    assert!(server.store().head(&key).await.is_err());
    for asset in manifest
        .iter()
        .filter(|a| !a.logical_path().ends_with(".map") && !a.is_public())
    {
        let (bytes, attributes) = get(server.store().as_ref(), PREFIX, asset.hashed_path()).await;
        assert_eq!(bytes, asset.bytes().unwrap(), "{}", asset.logical_path());
        assert_eq!(
            header(&attributes, &Attribute::ContentType),
            Some(asset.content_type())
        );
    }
}
