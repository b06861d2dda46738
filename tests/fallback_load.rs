//! The fallback at production scale: a bucket of a thousand releases indexed in the background,
//! and a server that stays bounded under traffic anyone can send (HEAD floods, ranges of one
//! large object, other methods, more distinct objects than it may fetch at once), over real
//! HTTP and a real S3 server in the test process.

mod support;

use std::net::SocketAddr;
use std::time::Duration;

use assetlock::serve::Fallback;
use reqwest::StatusCode;
use reqwest::header;
use support::s3::{BUCKET, PREFIX, S3Server};
use support::synthetic::{self, Release};

/// The directory s3s-fs keeps the prefix in.
fn prefix_dir(s3: &S3Server) -> std::path::PathBuf {
    s3.root.path().join(BUCKET).join(PREFIX)
}

/// Object GETs of `key` (relative to the prefix) the bucket answered.
fn gets_of(s3: &S3Server, key: &str) -> usize {
    let full = format!("{PREFIX}/{key}");
    s3.get_keys().iter().filter(|k| **k == full).count()
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .build()
        .unwrap()
}

async fn request(
    addr: SocketAddr,
    method: reqwest::Method,
    path: &str,
    headers: &[(header::HeaderName, &str)],
) -> reqwest::Response {
    let mut request = client().request(method, format!("http://{addr}/assets/{path}"));
    for (name, value) in headers {
        request = request.header(name, *value);
    }
    request.send().await.unwrap()
}

/// A release with one large object that no coding compresses.
fn large_release(len: usize) -> (Release, String) {
    let release = synthetic::of_files(
        "large",
        vec![("video/clip.bin".to_owned(), synthetic::noise(len))],
    );
    let path = release.path("video/clip.bin");
    (release, path)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_releases_are_indexed_in_the_background_each_record_read_once() {
    let s3 = S3Server::start().await;
    let releases: Vec<Release> = (0..1000).map(|n| synthetic::release(n, 3)).collect();
    for release in &releases {
        release.write_objects(&prefix_dir(&s3));
    }
    let fallback = Fallback::new(s3.destination(PREFIX)).timeout(Duration::from_secs(30));
    let addr = support::serve_with_fallback(fallback).await;

    for n in [999, 0, 500] {
        let path = releases[n].path("css/own.css");
        let response = request(addr, reqwest::Method::GET, &path, &[]).await;
        assert_eq!(response.status(), StatusCode::OK, "release {n}");
        let body = response.text().await.unwrap();
        assert_eq!(body, format!(".release-{n} {{}}\n"));
    }
    let record_gets = |s3: &S3Server| {
        let records = s3.get_keys();
        records
            .iter()
            .filter(|k| k.contains("/.assetlock/releases/"))
            .count()
    };
    let read = record_gets(&s3);
    assert_eq!(read, 1000, "every record read once");

    // Later requests, found or not, read no record again.
    for n in (0..1000).step_by(97) {
        let path = releases[n].path("css/own.css");
        let response = request(addr, reqwest::Method::GET, &path, &[]).await;
        assert_eq!(response.status(), StatusCode::OK, "release {n}");
    }
    let unknown = request(
        addr,
        reqwest::Method::GET,
        "css/own.0000000000000000.css",
        &[],
    )
    .await;
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    assert_eq!(record_gets(&s3), 1000);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn head_is_answered_from_the_record_without_fetching_the_object() {
    let s3 = S3Server::start().await;
    let (release, path) = large_release(300_000);
    release.write_objects(&prefix_dir(&s3));
    let addr = support::serve_with_fallback(Fallback::new(s3.destination(PREFIX))).await;

    for _ in 0..20 {
        let response = request(addr, reqwest::Method::HEAD, &path, &[]).await;
        assert_eq!(response.status(), StatusCode::OK);
        let length = response.headers()[header::CONTENT_LENGTH].to_str().unwrap();
        assert_eq!(length, "300000");
        let etag = response.headers()[header::ETAG]
            .to_str()
            .unwrap()
            .to_owned();
        // A conditional GET is answered from the record too.
        let not_modified = [(header::IF_NONE_MATCH, etag.as_str())];
        let response = request(addr, reqwest::Method::GET, &path, &not_modified).await;
        assert_eq!(response.status(), StatusCode::NOT_MODIFIED);
    }
    assert_eq!(gets_of(&s3, &path), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_ranges_heads_and_gets_of_a_large_object_share_one_fetch() {
    let s3 = S3Server::start().await;
    let len = 12 << 20;
    let (release, path) = large_release(len);
    release.write_objects(&prefix_dir(&s3));
    let bytes = synthetic::noise(len);
    let fallback = Fallback::new(s3.destination(PREFIX))
        .max_cached_object(1 << 20)
        .timeout(Duration::from_secs(30));
    let addr = support::serve_with_fallback(fallback).await;

    let bytes = &bytes;
    let requests = (0..120).map(|i| {
        let path = path.clone();
        async move {
            match i % 3 {
                0 => {
                    let range = [(header::RANGE, "bytes=0-0")];
                    let response = request(addr, reqwest::Method::GET, &path, &range).await;
                    assert_eq!(response.status(), StatusCode::PARTIAL_CONTENT);
                    assert_eq!(response.bytes().await.unwrap()[..], bytes[..1]);
                }
                1 => {
                    let response = request(addr, reqwest::Method::HEAD, &path, &[]).await;
                    assert_eq!(response.status(), StatusCode::OK);
                }
                _ => {
                    let range = [(header::RANGE, "bytes=-100")];
                    let response = request(addr, reqwest::Method::GET, &path, &range).await;
                    assert_eq!(response.status(), StatusCode::PARTIAL_CONTENT);
                    assert_eq!(response.bytes().await.unwrap()[..], bytes[len - 100..]);
                }
            }
        }
    });
    futures::future::join_all(requests).await;
    let whole = request(addr, reqwest::Method::GET, &path, &[]).await;
    assert_eq!(whole.bytes().await.unwrap().len(), len);
    assert_eq!(gets_of(&s3, &path), 1, "one fetch for every request");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn other_methods_are_refused_before_any_lookup() {
    let s3 = S3Server::start().await;
    let release = synthetic::release(1, 0);
    release.write_objects(&prefix_dir(&s3));
    let path = release.path("css/own.css");
    let addr = support::serve_with_fallback(Fallback::new(s3.destination(PREFIX))).await;
    // With the bucket down, any lookup would end in 503.
    s3.stop();
    for method in [
        reqwest::Method::POST,
        reqwest::Method::DELETE,
        reqwest::Method::PUT,
    ] {
        let response = request(addr, method.clone(), &path, &[]).await;
        assert_eq!(
            response.status(),
            StatusCode::METHOD_NOT_ALLOWED,
            "{method}"
        );
        assert_eq!(response.headers()[header::ALLOW], "GET, HEAD");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fetches_past_the_cap_wait_their_turn_within_the_timeout() {
    let s3 = S3Server::start().await;
    let releases: Vec<Release> = (0..3).map(|n| synthetic::release(n, 0)).collect();
    for release in &releases {
        release.write_objects(&prefix_dir(&s3));
    }
    let fallback = Fallback::new(s3.destination(PREFIX))
        .max_fetches(1)
        .timeout(Duration::from_millis(1200));
    let addr = support::serve_with_fallback(fallback).await;
    // Indexed before the bucket slows down.
    let first = request(
        addr,
        reqwest::Method::HEAD,
        &releases[0].path("css/own.css"),
        &[],
    )
    .await;
    assert_eq!(first.status(), StatusCode::OK);
    s3.slow_gets(Duration::from_millis(800));

    let requests = releases.iter().map(|release| {
        let path = release.path("css/own.css");
        async move {
            let response = request(addr, reqwest::Method::GET, &path, &[]).await;
            response.status()
        }
    });
    let mut statuses = futures::future::join_all(requests).await;
    statuses.sort();
    // One fetch at a time, 800 ms each: the third waits past the 1.2 s timeout.
    assert_eq!(
        statuses,
        [
            StatusCode::OK,
            StatusCode::OK,
            StatusCode::SERVICE_UNAVAILABLE
        ]
    );
}

/// The keys of the record GETs the bucket answered so far.
fn record_gets(s3: &S3Server) -> usize {
    let keys = s3.get_keys();
    keys.iter()
        .filter(|k| k.contains("/.assetlock/releases/"))
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_starting_up_reads_the_catalog_instead_of_every_record() {
    let s3 = S3Server::start().await;
    let releases: Vec<Release> = (0..300).map(|n| synthetic::release(n, 3)).collect();
    for release in &releases {
        release.write_objects(&prefix_dir(&s3));
    }
    // One upload writes the catalog of every record it finds.
    let newest = synthetic::release(300, 3);
    let dir = tempfile::tempdir().unwrap();
    let (manifest, dist) = newest.write(dir.path());
    let source = assetlock::upload::Source::from_manifest_json(manifest, dist).unwrap();
    let options = assetlock::upload::Options::upload();
    let report = assetlock::upload::run(&source, &s3.destination(PREFIX), &support::quiet(options))
        .await
        .unwrap();
    assert!(report.catalog().is_some(), "{report}");
    let before = record_gets(&s3);

    let fallback = Fallback::new(s3.destination(PREFIX)).timeout(Duration::from_secs(30));
    let addr = support::serve_with_fallback(fallback).await;
    for release in [&releases[0], &releases[150], &newest] {
        let path = release.path("css/own.css");
        let response = request(addr, reqwest::Method::HEAD, &path, &[]).await;
        assert_eq!(response.status(), StatusCode::OK, "{}", release.build_id);
    }
    assert_eq!(record_gets(&s3) - before, 0, "no record read one by one");

    // A release uploaded after the catalog is read from its record.
    let later = synthetic::release(301, 3);
    later.write_objects(&prefix_dir(&s3));
    let path = later.path("css/own.css");
    let response = request(addr, reqwest::Method::HEAD, &path, &[]).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(record_gets(&s3) - before, 1);
}
