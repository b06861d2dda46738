//! `ServeAssets` with a `Fallback`: a server answers for the assets of other releases uploaded
//! to the bucket (a real S3 server checking SigV4), with the same HTTP rules as for its own,
//! and fails safe when the bucket is down, slow, corrupt or incomplete.

mod support;

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use assetlock::serve::{Fallback, ServeAssets};
use assetlock::upload::Options;
use assetlock::upload::object_store::path::Path;
use assetlock::upload::object_store::{ObjectStoreExt, PutPayload};
use reqwest::StatusCode;
use reqwest::header::{self, HeaderMap};
use support::fixture::{self, Build};
use support::s3::{PREFIX, S3Server};

/// Another release of the site: the fixture's files plus a stylesheet large enough for
/// precompressed variants.
fn other_release() -> Build {
    let big = (0..200)
        .map(|i| format!(".rule-{i} {{ margin: {i}px; color: #{i:03}; }}\n"))
        .collect::<String>();
    let mut files = fixture::SITE.to_vec();
    files.push(("css/big.css", Box::leak(big.into_boxed_str())));
    fixture::build(&files)
}

/// A fallback that reads records at most once a minute and gives up after 2 s.
fn fallback(s3: &S3Server) -> Fallback {
    Fallback::new(s3.destination(PREFIX))
        .refresh_interval(Duration::from_secs(60))
        .timeout(Duration::from_secs(2))
}

/// The fixture site's server, with `fallback`, on an ephemeral loopback port.
async fn serve(fallback: Fallback) -> SocketAddr {
    support::serve_with_fallback(fallback).await
}

/// The bucket with `build` uploaded, and a server falling back to it.
async fn deployed(build: &Build) -> (S3Server, SocketAddr) {
    let s3 = S3Server::start().await;
    s3.run(build, Options::upload()).await.unwrap();
    let addr = serve(fallback(&s3)).await;
    (s3, addr)
}

async fn get(
    addr: SocketAddr,
    url: &str,
    headers: &[(header::HeaderName, &str)],
) -> reqwest::Response {
    let mut request = reqwest::Client::new().get(format!("http://{addr}{url}"));
    for (name, value) in headers {
        request = request.header(name, *value);
    }
    request.send().await.unwrap()
}

fn header(headers: &HeaderMap, name: header::HeaderName) -> Option<&str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

fn url(build: &Build, logical: &str) -> String {
    build.asset(logical)["url"].as_str().unwrap().to_owned()
}

fn dist_bytes(build: &Build, key: &str) -> Vec<u8> {
    std::fs::read(build.dist_dir.join(key)).unwrap()
}

/// Object GETs of `key` (relative to the prefix) the bucket answered.
fn gets_of(s3: &S3Server, key: &str) -> usize {
    let full = format!("{PREFIX}/{key}");
    s3.get_keys().iter().filter(|k| **k == full).count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_release_is_served_with_the_same_rules_as_an_own_asset() {
    let other = other_release();
    let (_s3, addr) = deployed(&other).await;
    let asset = other.asset("css/big.css");
    assert!(
        fixture_site::MANIFEST
            .by_url(asset["url"].as_str().unwrap())
            .is_none(),
        "the server was not built with this asset"
    );
    let url = url(&other, "css/big.css");

    let plain = get(addr, &url, &[]).await;
    assert_eq!(plain.status(), StatusCode::OK);
    let headers = plain.headers().clone();
    let sha = asset["sha256"].as_str().unwrap();
    assert_eq!(header(&headers, header::ETAG), Some(&*format!("\"{sha}\"")));
    assert_eq!(
        header(&headers, header::CACHE_CONTROL),
        Some(assetlock::serve::IMMUTABLE)
    );
    assert_eq!(header(&headers, header::VARY), Some("accept-encoding"));
    assert_eq!(
        header(&headers, header::CONTENT_TYPE),
        Some("text/css; charset=utf-8")
    );
    assert_eq!(
        header(&headers, header::ACCESS_CONTROL_ALLOW_ORIGIN),
        Some("*")
    );
    assert_eq!(header(&headers, header::ACCEPT_RANGES), Some("bytes"));
    let path = asset["path"].as_str().unwrap();
    assert_eq!(plain.bytes().await.unwrap(), dist_bytes(&other, path));

    let brotli = get(addr, &url, &[(header::ACCEPT_ENCODING, "gzip, br")]).await;
    assert_eq!(brotli.status(), StatusCode::OK);
    assert_eq!(
        header(brotli.headers(), header::CONTENT_ENCODING),
        Some("br")
    );
    let variant = &asset["encodings"]["br"];
    let br_sha = variant["sha256"].as_str().unwrap();
    assert_eq!(
        header(brotli.headers(), header::ETAG),
        Some(&*format!("\"{br_sha}\""))
    );
    let br_path = variant["path"].as_str().unwrap();
    assert_eq!(brotli.bytes().await.unwrap(), dist_bytes(&other, br_path));

    let etag = format!("\"{sha}\"");
    let revalidated = get(addr, &url, &[(header::IF_NONE_MATCH, &etag)]).await;
    assert_eq!(revalidated.status(), StatusCode::NOT_MODIFIED);

    let ranged = get(addr, &url, &[(header::RANGE, "bytes=0-9")]).await;
    assert_eq!(ranged.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(
        ranged.bytes().await.unwrap(),
        dist_bytes(&other, path)[..10]
    );

    let percent = url.replace("big", "%62ig");
    assert_eq!(get(addr, &percent, &[]).await.status(), StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn own_assets_never_touch_the_bucket() {
    let other = other_release();
    let (s3, addr) = deployed(&other).await;
    let own = fixture_site::MANIFEST.get("css/app.css").unwrap();
    // The records are indexed from start-up: measured once that is done.
    let indexed = get(addr, &url(&other, "css/big.css"), &[]).await;
    assert_eq!(indexed.status(), StatusCode::OK);
    let (lists, gets) = (s3.lists(), s3.get_keys().len());
    for _ in 0..5 {
        assert_eq!(get(addr, own.url(), &[]).await.status(), StatusCode::OK);
    }
    assert_eq!((s3.lists(), s3.get_keys().len()), (lists, gets));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cached_object_is_fetched_once_and_concurrent_misses_share_one_get() {
    let other = other_release();
    let (s3, addr) = deployed(&other).await;
    let url = url(&other, "css/big.css");
    let key = other.key("css/big.css");
    s3.slow_gets(Duration::from_millis(300));
    let requests = (0..16).map(|_| get(addr, &url, &[]));
    for response in futures::future::join_all(requests).await {
        assert_eq!(response.status(), StatusCode::OK);
    }
    s3.heal();
    for _ in 0..5 {
        assert_eq!(get(addr, &url, &[]).await.status(), StatusCode::OK);
    }
    assert_eq!(gets_of(&s3, &key), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_hashes_get_404_no_store_and_at_most_one_list_per_interval() {
    let other = other_release();
    let (s3, addr) = deployed(&other).await;
    // The records are indexed: the first request waits for that.
    let known = get(addr, &url(&other, "css/big.css"), &[]).await;
    assert_eq!(known.status(), StatusCode::OK);
    let before = s3.lists();
    let urls: Vec<String> = (0..200)
        .map(|i| format!("/assets/css/app.{i:016x}.css"))
        .collect();
    let requests = urls.iter().map(|url| get(addr, url, &[]));
    for response in futures::future::join_all(requests).await {
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
        assert_eq!(
            header(response.headers(), header::CACHE_CONTROL),
            Some("no-store")
        );
    }
    assert!(
        s3.lists() - before <= 1,
        "at most one read of the records for the whole flood"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_release_uploaded_after_start_is_found_without_a_restart() {
    let s3 = S3Server::start().await;
    let first = fixture::site();
    s3.run(&first, Options::upload()).await.unwrap();
    let fallback = fallback(&s3).refresh_interval(Duration::from_millis(200));
    let addr = serve(fallback).await;
    let other = other_release();
    let url = url(&other, "css/big.css");
    assert_eq!(get(addr, &url, &[]).await.status(), StatusCode::NOT_FOUND);

    s3.run(&other, Options::upload()).await.unwrap();
    tokio::time::sleep(Duration::from_millis(250)).await;
    assert_eq!(get(addr, &url, &[]).await.status(), StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_release_uploaded_just_after_a_read_is_found_by_the_next_request() {
    let s3 = S3Server::start().await;
    let first = fixture::site();
    s3.run(&first, Options::upload()).await.unwrap();
    let interval = Duration::from_secs(3);
    let fallback = fallback(&s3)
        .refresh_interval(interval)
        .timeout(Duration::from_secs(5));
    let addr = serve(fallback).await;
    let other = other_release();
    let url = url(&other, "css/big.css");
    // A miss: the records are read, and do not list the other release yet.
    let read_at = Instant::now();
    assert_eq!(get(addr, &url, &[]).await.status(), StatusCode::NOT_FOUND);

    // The other release is uploaded and its first page asks this server, within the interval:
    // the request waits for the next read instead of getting a 404 from the last one.
    s3.run(&other, Options::upload()).await.unwrap();
    let lists = s3.lists();
    assert_eq!(get(addr, &url, &[]).await.status(), StatusCode::OK);
    assert!(read_at.elapsed() >= interval, "{:?}", read_at.elapsed());
    assert_eq!(s3.lists() - lists, 1, "one more read of the records");
    // Hashes of no release wait for the next read too, all for the same one, and get 404.
    let asked = Instant::now();
    let urls: Vec<String> = (0..50)
        .map(|i| format!("/assets/css/app.{i:016x}.css"))
        .collect();
    let requests = urls.iter().map(|url| get(addr, url, &[]));
    for response in futures::future::join_all(requests).await {
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
    }
    assert!(asked.elapsed() <= interval + Duration::from_secs(2));
    assert_eq!(s3.lists() - lists, 2, "one read for all of them");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_objects_listed_in_a_release_record_are_ever_fetched() {
    let other = other_release();
    let (s3, addr) = deployed(&other).await;
    let secret = Path::parse(format!("{PREFIX}/css/secret.0123456789abcdef.css")).unwrap();
    s3.store()
        .put(&secret, PutPayload::from_static(b"not an asset"))
        .await
        .unwrap();
    let record = format!("/assets/{}", other.record_key());
    for path in [record.as_str(), "/assets/css/secret.0123456789abcdef.css"] {
        let response = get(addr, path, &[]).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
        assert_eq!(
            header(response.headers(), header::CACHE_CONTROL),
            Some("no-store")
        );
    }
    assert_eq!(gets_of(&s3, "css/secret.0123456789abcdef.css"), 0);
    assert_eq!(
        gets_of(&s3, &other.record_key()),
        1,
        "read once, as a record"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn corrupted_bytes_get_502_and_are_never_sent() {
    let other = other_release();
    let (s3, addr) = deployed(&other).await;
    let key = other.key("css/big.css");
    let file = s3.object_file(PREFIX, &key);
    let mut bytes = std::fs::read(&file).unwrap();
    bytes[10] ^= 0x20; // same size, one letter's case flipped
    std::fs::write(&file, &bytes).unwrap();

    for _ in 0..2 {
        let response = get(addr, &url(&other, "css/big.css"), &[]).await;
        assert_eq!(response.status(), StatusCode::BAD_GATEWAY);
        assert_eq!(
            header(response.headers(), header::CACHE_CONTROL),
            Some("no-store")
        );
        let body = response.bytes().await.unwrap();
        assert!(!body.windows(20).any(|w| bytes.windows(20).any(|b| b == w)));
    }
    assert_eq!(gets_of(&s3, &key), 2, "a bad object is not cached");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_record_naming_a_missing_object_gets_404_no_store() {
    let other = other_release();
    let (s3, addr) = deployed(&other).await;
    let key = other.key("css/big.css");
    let path = Path::parse(format!("{PREFIX}/{key}")).unwrap();
    s3.store().delete(&path).await.unwrap();
    let response = get(addr, &url(&other, "css/big.css"), &[]).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        header(response.headers(), header::CACHE_CONTROL),
        Some("no-store")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bucket_that_is_down_gets_503_no_store_in_bounded_time_and_cached_objects_still_serve() {
    let other = other_release();
    let s3 = S3Server::start().await;
    s3.run(&other, Options::upload()).await.unwrap();
    let addr = serve(fallback(&s3).timeout(Duration::from_millis(800))).await;
    let cached = url(&other, "css/big.css");
    assert_eq!(get(addr, &cached, &[]).await.status(), StatusCode::OK);

    s3.stop();
    let started = Instant::now();
    let response = get(addr, &url(&other, "css/app.css"), &[]).await;
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(
        header(response.headers(), header::CACHE_CONTROL),
        Some("no-store")
    );
    assert_eq!(get(addr, &cached, &[]).await.status(), StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bucket_down_before_the_first_miss_gets_503_not_404() {
    let other = other_release();
    let s3 = S3Server::start().await;
    s3.run(&other, Options::upload()).await.unwrap();
    let addr = serve(fallback(&s3).timeout(Duration::from_millis(800))).await;
    s3.stop();
    for _ in 0..2 {
        let response = get(addr, &url(&other, "css/big.css"), &[]).await;
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(
            header(response.headers(), header::CACHE_CONTROL),
            Some("no-store")
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_bucket_gets_503_within_the_timeout() {
    let other = other_release();
    let (s3, _) = deployed(&other).await;
    let addr = serve(fallback(&s3).timeout(Duration::from_millis(500))).await;
    assert_eq!(
        get(addr, &url(&other, "img/logo.svg"), &[]).await.status(),
        StatusCode::OK
    );
    s3.slow_gets(Duration::from_secs(5));
    let started = Instant::now();
    let response = get(addr, &url(&other, "css/big.css"), &[]).await;
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    s3.heal();
    assert_eq!(
        get(addr, &url(&other, "css/big.css"), &[]).await.status(),
        StatusCode::OK
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn objects_over_the_memory_limit_are_kept_in_temporary_files_and_fetched_once() {
    let other = other_release();
    let s3 = S3Server::start().await;
    s3.run(&other, Options::upload()).await.unwrap();
    let addr = serve(fallback(&s3).max_cached_object(100)).await;
    let url = url(&other, "css/big.css");
    let key = other.key("css/big.css");
    let bytes = dist_bytes(&other, &key);
    for _ in 0..2 {
        let response = get(addr, &url, &[]).await;
        assert_eq!(response.status(), StatusCode::OK);
        let length = header(response.headers(), header::CONTENT_LENGTH).map(str::to_owned);
        assert_eq!(length, Some(bytes.len().to_string()));
        assert_eq!(response.bytes().await.unwrap(), bytes);
    }
    let ranged = get(addr, &url, &[(header::RANGE, "bytes=100-70000")]).await;
    assert_eq!(ranged.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(ranged.bytes().await.unwrap(), bytes[100..]);
    let brotli = get(addr, &url, &[(header::ACCEPT_ENCODING, "br")]).await;
    assert_eq!(
        header(brotli.headers(), header::CONTENT_ENCODING),
        Some("br")
    );
    let br_key = other.asset("css/big.css")["encodings"]["br"]["path"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(brotli.bytes().await.unwrap(), dist_bytes(&other, &br_key));
    assert_eq!(gets_of(&s3, &key), 1, "kept in a temporary file");

    // Bytes changed in the bucket: a server that fetches them refuses them.
    let file = s3.object_file(PREFIX, &key);
    let mut corrupted = bytes.clone();
    corrupted[bytes.len() - 2] ^= 0x20;
    std::fs::write(&file, &corrupted).unwrap();
    let fresh = serve(fallback(&s3).max_cached_object(100)).await;
    let response = get(fresh, &url, &[]).await;
    assert_eq!(response.status(), StatusCode::BAD_GATEWAY);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pruned_release_stops_being_served_even_from_the_cache() {
    let other = other_release();
    let s3 = S3Server::start().await;
    s3.run(&other, Options::upload()).await.unwrap();
    let addr = serve(fallback(&s3).refresh_interval(Duration::from_millis(200))).await;
    let url = url(&other, "css/big.css");
    assert_eq!(get(addr, &url, &[]).await.status(), StatusCode::OK);

    // What `--prune` does to a release no longer kept: record and objects deleted.
    for key in [other.record_key(), other.key("css/big.css")] {
        let path = Path::parse(format!("{PREFIX}/{key}")).unwrap();
        s3.store().delete(&path).await.unwrap();
    }
    tokio::time::sleep(Duration::from_millis(250)).await;
    let response = get(addr, &url, &[]).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        header(response.headers(), header::CACHE_CONTROL),
        Some("no-store")
    );
}

#[cfg(feature = "actix")]
#[tokio::test]
async fn actix_serves_other_releases_from_the_bucket_through_the_same_service() {
    let other = other_release();
    let s3 = S3Server::start().await;
    s3.run(&other, Options::upload()).await.unwrap();
    let assets = ServeAssets::new(&fixture_site::MANIFEST).fallback(fallback(&s3));
    let addr = assetlock_test_support::actix_server(assets);
    let asset = other.asset("css/big.css");
    let url = url(&other, "css/big.css");
    let path = asset["path"].as_str().unwrap();

    let plain = get(addr, &url, &[]).await;
    assert_eq!(plain.status(), StatusCode::OK);
    assert_eq!(
        header(plain.headers(), header::CACHE_CONTROL),
        Some(assetlock::serve::IMMUTABLE)
    );
    assert_eq!(plain.bytes().await.unwrap(), dist_bytes(&other, path));

    let brotli = get(addr, &url, &[(header::ACCEPT_ENCODING, "br")]).await;
    assert_eq!(
        header(brotli.headers(), header::CONTENT_ENCODING),
        Some("br")
    );
    let br_path = asset["encodings"]["br"]["path"].as_str().unwrap();
    assert_eq!(brotli.bytes().await.unwrap(), dist_bytes(&other, br_path));

    let ranged = get(addr, &url, &[(header::RANGE, "bytes=0-9")]).await;
    assert_eq!(ranged.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(
        ranged.bytes().await.unwrap(),
        dist_bytes(&other, path)[..10]
    );

    let missing = get(addr, "/assets/css/big.0000000000000000.css", &[]).await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        header(missing.headers(), header::CACHE_CONTROL),
        Some("no-store")
    );
}
