//! Signed releases, over real HTTP and a real S3 server in the test process: a server built to
//! trust deploy keys serves another release's assets only if one of those keys signed its
//! record; one built without keys serves them with script forbidden; uploads sign, `--verify`
//! and prune check, and keys rotate.

mod support;

use std::net::SocketAddr;
use std::time::Duration;

use assetlock::Manifest;
use assetlock::serve::Fallback;
use assetlock::upload::{Options, SigningKey, Source, run};
use fixture_site::keys::{KEY_A, KEY_B, KEY_C};
use reqwest::StatusCode;
use support::quiet;
use support::s3::{PREFIX, S3Server};
use support::synthetic::{self, Release};

fn key((secret, _): (&str, &str)) -> SigningKey {
    SigningKey::parse(secret).unwrap()
}

/// A server of `manifest`'s build falling back to the bucket; records read at most every 100 ms.
async fn serve(s3: &S3Server, manifest: &'static Manifest) -> SocketAddr {
    let fallback = Fallback::new(s3.destination(PREFIX))
        .refresh_interval(Duration::from_millis(100))
        .timeout(Duration::from_secs(5));
    support::serve_build_with_fallback(manifest, fallback).await
}

async fn get(addr: SocketAddr, path: &str) -> reqwest::Response {
    let url = format!("http://{addr}/assets/{path}");
    reqwest::get(url).await.unwrap()
}

/// `release` uploaded through the library, signed with `key` if any.
async fn upload(s3: &S3Server, release: &Release, key: Option<SigningKey>) {
    let dir = tempfile::tempdir().unwrap();
    let (manifest, dist) = release.write(dir.path());
    let source = Source::from_manifest_json(manifest, dist).unwrap();
    let options = match key {
        Some(key) => Options::upload().signing_key(key),
        None => Options::upload(),
    };
    run(&source, &s3.destination(PREFIX), &quiet(options))
        .await
        .unwrap();
}

async fn forge(s3: &S3Server) -> String {
    synthetic::forge_page(s3.store().as_ref(), PREFIX).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forged_record_is_never_served_by_a_server_built_to_trust_a_deploy_key() {
    let s3 = S3Server::start().await;
    let page = forge(&s3).await;

    let trusting = serve(&s3, &fixture_site::trusts_a_b::MANIFEST).await;
    let response = get(trusting, &page).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert_eq!(response.headers()["cache-control"], "no-store");
    // Ignored once, not read again by every later pass.
    for _ in 0..3 {
        tokio::time::sleep(Duration::from_millis(150)).await;
        assert_eq!(get(trusting, &page).await.status(), StatusCode::NOT_FOUND);
    }
    let record = format!("{PREFIX}/.assetlock/releases/forged.json");
    let reads = s3.get_keys().iter().filter(|k| **k == record).count();
    assert_eq!(reads, 1, "the forged record is read once");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_without_keys_serves_a_forged_page_with_script_forbidden() {
    let s3 = S3Server::start().await;
    let page = forge(&s3).await;

    let response = get(serve(&s3, &fixture_site::MANIFEST).await, &page).await;
    assert_eq!(response.status(), StatusCode::OK);
    let headers = response.headers().clone();
    assert_eq!(headers["content-type"], "text/html; charset=utf-8");
    let policy = headers["content-security-policy"].to_str().unwrap();
    assert!(policy.contains("script-src 'none'"), "{policy}");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(response.bytes().await.unwrap(), synthetic::FORGED_PAGE);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_takes_the_content_type_from_the_name_never_from_the_record() {
    let s3 = S3Server::start().await;
    // A stylesheet's bytes, recorded as a page.
    let mut release = synthetic::release(7, 0);
    release.manifest["assets"]["css/own.css"]["content_type"] = "text/html".into();
    upload(&s3, &release, None).await;

    let addr = serve(&s3, &fixture_site::MANIFEST).await;
    let response = get(addr, &release.path("css/own.css")).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()["content-type"],
        "text/css; charset=utf-8"
    );
    assert!(response.headers().get("content-security-policy").is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn releases_signed_by_a_trusted_key_are_served_and_keys_rotate() {
    let s3 = S3Server::start().await;
    let (by_a, by_b, by_c) = (
        synthetic::release(1, 1),
        synthetic::release(2, 1),
        synthetic::release(3, 1),
    );
    upload(&s3, &by_a, Some(key(KEY_A))).await;
    upload(&s3, &by_b, Some(key(KEY_B))).await;
    upload(&s3, &by_c, Some(key(KEY_C))).await;
    // The newest catalog is B's, written by an upload that trusted every key: it names every
    // record with the key that signed it, and each server applies its own trust to each.
    let by_b_again = synthetic::release(4, 1);
    upload(&s3, &by_b_again, Some(key(KEY_B))).await;
    let own = |release: &Release| release.path("css/own.css");

    // During a rotation the servers trust the old key and the new one.
    let both = serve(&s3, &fixture_site::trusts_a_b::MANIFEST).await;
    assert_eq!(get(both, &own(&by_a)).await.status(), StatusCode::OK);
    assert_eq!(get(both, &own(&by_b)).await.status(), StatusCode::OK);
    assert_eq!(get(both, &own(&by_c)).await.status(), StatusCode::NOT_FOUND);

    // Once the old key is dropped, its releases are no longer served.
    let b_only = serve(&s3, &fixture_site::trusts_b::MANIFEST).await;
    assert_eq!(get(b_only, &own(&by_b)).await.status(), StatusCode::OK);
    assert_eq!(
        get(b_only, &own(&by_b_again)).await.status(),
        StatusCode::OK
    );
    assert_eq!(
        get(b_only, &own(&by_a)).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get(b_only, &own(&by_c)).await.status(),
        StatusCode::NOT_FOUND
    );
}

/// `release` as a build that trusts `keys` would describe it.
fn trusting(mut release: Release, keys: &[&str]) -> Release {
    release.manifest["trusted_release_keys"] = serde_json::json!(keys);
    release
}

async fn run_on(
    s3: &S3Server,
    release: &Release,
    options: Options,
) -> Result<assetlock::upload::Report, assetlock::upload::Error> {
    let dir = tempfile::tempdir().unwrap();
    let (manifest, dist) = release.write(dir.path());
    let source = Source::from_manifest_json(manifest, dist).unwrap();
    run(&source, &s3.destination(PREFIX), &quiet(options)).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_build_that_trusts_keys_uploads_only_with_one_of_them_and_verify_checks_the_record() {
    let s3 = S3Server::start().await;
    let release = trusting(synthetic::release(1, 1), &[KEY_A.1]);

    let error = run_on(&s3, &release, Options::upload()).await.unwrap_err();
    assert_eq!(error.exit_code(), 2, "{error}");
    assert!(
        error.to_string().contains("ASSETLOCK_SIGNING_KEY"),
        "{error}"
    );
    let error = run_on(&s3, &release, Options::upload().signing_key(key(KEY_B)))
        .await
        .unwrap_err();
    assert!(error.to_string().contains("does not trust"), "{error}");
    assert!(s3.stored_keys().is_empty(), "nothing written");

    // The same build uploaded unsigned, by a binary that trusted no key: the gate refuses it.
    upload(&s3, &synthetic::release(1, 1), None).await;
    let error = run_on(&s3, &release, Options::verify()).await.unwrap_err();
    assert!(error.to_string().contains("not signed"), "{error}");

    let signed = trusting(synthetic::release(2, 1), &[KEY_A.1]);
    run_on(&s3, &signed, Options::upload().signing_key(key(KEY_A)))
        .await
        .unwrap();
    run_on(&s3, &signed, Options::verify()).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn prune_never_keeps_an_unsigned_record_as_a_release() {
    let s3 = S3Server::start().await;
    let signed = trusting(synthetic::release(1, 1), &[KEY_A.1]);
    run_on(&s3, &signed, Options::upload().signing_key(key(KEY_A)))
        .await
        .unwrap();
    // Newer, but unsigned.
    let unsigned = synthetic::release(2, 1);
    upload(&s3, &unsigned, None).await;

    let report = run_on(&s3, &signed, Options::prune(1, Duration::ZERO))
        .await
        .unwrap();
    assert_eq!(report.kept_builds(), std::slice::from_ref(&signed.build_id));
    let record = format!(".assetlock/releases/{}.json", unsigned.build_id);
    assert!(report.deleted().contains(&record), "{report}");
    assert!(
        report.warnings().iter().any(|w| w.contains("not signed")),
        "{report}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_catalog_no_trusted_key_signed_is_passed_over() {
    let s3 = S3Server::start().await;
    let page = forge(&s3).await;
    // An upload by a binary that trusts no key catalogs the forged record, unsigned.
    let report = run_on(&s3, &synthetic::release(1, 1), Options::upload())
        .await
        .unwrap();
    assert!(report.catalog().is_some(), "{report}");

    let trusting = serve(&s3, &fixture_site::trusts_a_b::MANIFEST).await;
    assert_eq!(get(trusting, &page).await.status(), StatusCode::NOT_FOUND);
    let trusting_nothing = serve(&s3, &fixture_site::MANIFEST).await;
    assert_eq!(get(trusting_nothing, &page).await.status(), StatusCode::OK);
}
