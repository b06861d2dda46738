//! `assetlock::serve` over real HTTP on 127.0.0.1: negotiation, conditional requests, HEAD,
//! ranges, errors and traversal attempts.

mod support;

use std::net::SocketAddr;

use assetlock::Encoding;
use assetlock::serve::ServeAssets;
use fixture_site::MANIFEST;
use reqwest::StatusCode;
use reqwest::header;
use support::{client, get, header, large, server};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[tokio::test]
async fn fixture_asset_has_every_variant() {
    let codings: Vec<Encoding> = large().encodings().collect();
    assert_eq!(
        codings,
        [
            Encoding::Identity,
            Encoding::Gzip,
            Encoding::Zstd,
            Encoding::Brotli
        ]
    );
}

#[tokio::test]
async fn negotiation_matrix() {
    let addr = server().await;
    let asset = large();
    let cases: &[(Option<&str>, StatusCode, Option<Encoding>)] = &[
        (None, StatusCode::OK, Some(Encoding::Identity)),
        (Some("gzip"), StatusCode::OK, Some(Encoding::Gzip)),
        (Some("zstd"), StatusCode::OK, Some(Encoding::Zstd)),
        (Some("br"), StatusCode::OK, Some(Encoding::Brotli)),
        (
            Some("gzip, deflate, br, zstd"),
            StatusCode::OK,
            Some(Encoding::Brotli),
        ),
        (Some("br;q=0.5, gzip"), StatusCode::OK, Some(Encoding::Gzip)),
        (
            Some("br;q=0, zstd;q=0.1, gzip;q=0.2"),
            StatusCode::OK,
            Some(Encoding::Gzip),
        ),
        (Some("*"), StatusCode::OK, Some(Encoding::Brotli)),
        (Some("br;q=0, *"), StatusCode::OK, Some(Encoding::Zstd)),
        (Some("identity"), StatusCode::OK, Some(Encoding::Identity)),
        (Some("deflate"), StatusCode::OK, Some(Encoding::Identity)),
        (Some("*;q=0"), StatusCode::NOT_ACCEPTABLE, None),
        (Some("identity;q=0"), StatusCode::NOT_ACCEPTABLE, None),
        (
            Some("identity;q=0, gzip"),
            StatusCode::OK,
            Some(Encoding::Gzip),
        ),
    ];
    for (accept, status, expected) in cases {
        let mut request = client().get(format!("http://{addr}{}", asset.url()));
        if let Some(accept) = accept {
            request = request.header(header::ACCEPT_ENCODING, *accept);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), *status, "Accept-Encoding: {accept:?}");
        let headers = response.headers().clone();
        assert_eq!(
            header(&headers, header::VARY),
            // The asset has a delta: its representations also depend on the dictionary.
            match *status {
                StatusCode::OK => Some("accept-encoding, available-dictionary"),
                _ => Some("accept-encoding"),
            },
            "{accept:?}"
        );
        let body = response.bytes().await.unwrap();
        let Some(expected) = expected else { continue };
        let (bytes, sha) = match asset.variant(*expected) {
            Some(v) => (v.bytes().unwrap(), v.sha256()),
            None => (asset.bytes().unwrap(), asset.sha256()),
        };
        let encoding = header(&headers, header::CONTENT_ENCODING);
        match expected {
            Encoding::Identity => assert_eq!(encoding, None, "{accept:?}"),
            e => assert_eq!(encoding, Some(e.as_str()), "{accept:?}"),
        }
        assert_eq!(&body[..], bytes, "{accept:?}");
        assert_eq!(
            header(&headers, header::CONTENT_LENGTH),
            Some(bytes.len().to_string().as_str())
        );
        assert_eq!(
            header(&headers, header::CONTENT_TYPE),
            Some("text/css; charset=utf-8")
        );
        assert_eq!(
            header(&headers, header::ETAG),
            Some(format!("\"{sha}\"").as_str())
        );
        assert_eq!(
            header(&headers, header::CACHE_CONTROL),
            Some("public, max-age=31536000, immutable")
        );
    }
}

#[tokio::test]
async fn if_none_match_gives_304_per_representation() {
    let addr = server().await;
    let asset = large();
    let br_tag = format!("\"{}\"", asset.variant(Encoding::Brotli).unwrap().sha256());
    let response = get(
        addr,
        asset.url(),
        &[
            (header::ACCEPT_ENCODING, "br"),
            (header::IF_NONE_MATCH, &br_tag),
        ],
    )
    .await;
    assert_eq!(response.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(
        header(response.headers(), header::ETAG),
        Some(br_tag.as_str())
    );
    assert!(response.bytes().await.unwrap().is_empty());
    // The brotli tag does not validate the gzip representation.
    let response = get(
        addr,
        asset.url(),
        &[
            (header::ACCEPT_ENCODING, "gzip"),
            (header::IF_NONE_MATCH, &br_tag),
        ],
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let response = get(
        addr,
        asset.url(),
        &[(header::IF_NONE_MATCH, "W/\"other\", *")],
    )
    .await;
    assert_eq!(response.status(), StatusCode::NOT_MODIFIED);
}

#[tokio::test]
async fn head_has_the_headers_and_no_body() {
    let addr = server().await;
    let asset = large();
    let response = client()
        .head(format!("http://{addr}{}", asset.url()))
        .header(header::ACCEPT_ENCODING, "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let gzip = asset.variant(Encoding::Gzip).unwrap();
    assert_eq!(
        header(response.headers(), header::CONTENT_LENGTH),
        Some(gzip.size().to_string().as_str())
    );
    assert_eq!(
        header(response.headers(), header::CONTENT_ENCODING),
        Some("gzip")
    );
    assert!(response.bytes().await.unwrap().is_empty());
}

#[tokio::test]
async fn ranges_on_the_identity_bytes() {
    let addr = server().await;
    let asset = large();
    let bytes = asset.bytes().unwrap();
    let len = bytes.len();
    let cases: &[(&str, usize, usize)] = &[
        ("bytes=0-9", 0, 9),
        ("bytes=-5", len - 5, len - 1),
        ("bytes=100-", 100, len - 1),
        ("bytes=0-999999999", 0, len - 1),
    ];
    for (range, first, last) in cases {
        let response = get(
            addr,
            asset.url(),
            &[(header::RANGE, range), (header::ACCEPT_ENCODING, "br")],
        )
        .await;
        assert_eq!(response.status(), StatusCode::PARTIAL_CONTENT, "{range}");
        let expected_range = format!("bytes {first}-{last}/{len}");
        assert_eq!(
            header(response.headers(), header::CONTENT_RANGE),
            Some(expected_range.as_str())
        );
        assert_eq!(
            header(response.headers(), header::CONTENT_ENCODING),
            None,
            "{range}"
        );
        assert_eq!(
            &response.bytes().await.unwrap()[..],
            &bytes[*first..=*last],
            "{range}"
        );
    }
}

#[tokio::test]
async fn unsatisfiable_range_gives_416() {
    let addr = server().await;
    let asset = large();
    let response = get(addr, asset.url(), &[(header::RANGE, "bytes=999999-")]).await;
    assert_eq!(response.status(), StatusCode::RANGE_NOT_SATISFIABLE);
    let expected = format!("bytes */{}", asset.size());
    assert_eq!(
        header(response.headers(), header::CONTENT_RANGE),
        Some(expected.as_str())
    );
}

#[tokio::test]
async fn multiple_ranges_and_stale_if_range_get_the_whole_file() {
    let addr = server().await;
    let asset = large();
    let response = get(addr, asset.url(), &[(header::RANGE, "bytes=0-1,5-6")]).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.bytes().await.unwrap().len(),
        asset.bytes().unwrap().len()
    );
    let response = get(
        addr,
        asset.url(),
        &[
            (header::RANGE, "bytes=0-1"),
            (header::IF_RANGE, "\"stale\""),
        ],
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let current = format!("\"{}\"", asset.sha256());
    let response = get(
        addr,
        asset.url(),
        &[(header::RANGE, "bytes=0-1"), (header::IF_RANGE, &current)],
    )
    .await;
    assert_eq!(response.status(), StatusCode::PARTIAL_CONTENT);
}

#[tokio::test]
async fn unknown_paths_are_404_that_no_cache_keeps() {
    let addr = server().await;
    for path in [
        "/assets/css/app.0000000000000000.css",
        "/assets/css/app.css",
        "/assets/",
        "/assets/nested/deep/dir/",
    ] {
        let response = get(addr, path, &[]).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
        assert_eq!(
            header(response.headers(), header::CACHE_CONTROL),
            Some("no-store"),
            "{path}"
        );
    }
}

#[tokio::test]
async fn other_methods_are_405_with_allow() {
    let addr = server().await;
    for method in [
        reqwest::Method::POST,
        reqwest::Method::PUT,
        reqwest::Method::DELETE,
    ] {
        let response = client()
            .request(method.clone(), format!("http://{addr}{}", large().url()))
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.status(),
            StatusCode::METHOD_NOT_ALLOWED,
            "{method}"
        );
        assert_eq!(header(response.headers(), header::ALLOW), Some("GET, HEAD"));
    }
}

#[tokio::test]
async fn percent_encoded_names_are_served() {
    let addr = server().await;
    for logical in [
        "names/with space.txt",
        "names/100%.txt",
        "names/hash#tag.txt",
        "names/what?.txt",
        "names/café.txt",
    ] {
        let asset = MANIFEST.get(logical).unwrap();
        let response = get(addr, asset.url(), &[]).await;
        assert_eq!(
            response.status(),
            StatusCode::OK,
            "{logical} at {}",
            asset.url()
        );
        assert_eq!(&response.bytes().await.unwrap()[..], asset.bytes().unwrap());
    }
}

/// Sends a request line as written, without a client normalising the path, and returns the
/// status code.
async fn raw_status(addr: SocketAddr, target: &str) -> u16 {
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let request = format!("GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = Vec::new();
    tokio::time::timeout(
        std::time::Duration::from_secs(10),
        stream.read_to_end(&mut response),
    )
    .await
    .expect("the server answers")
    .unwrap();
    let text = String::from_utf8_lossy(&response);
    text.split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

#[tokio::test]
async fn traversal_attempts_never_reach_anything() {
    let addr = server().await;
    let css = large().hashed_path();
    let long = format!("/assets/{}", "a/".repeat(2000));
    let attempts = [
        "/assets/../Cargo.toml".to_string(),
        "/assets/../../../../etc/passwd".to_string(),
        "/assets/%2e%2e/%2e%2e/etc/passwd".to_string(),
        "/assets/%2E%2E%2FCargo.toml".to_string(),
        format!("/assets/css%2f..%2f{css}"),
        "/assets/..%5c..%5cCargo.toml".to_string(),
        "/assets/css\\..\\Cargo.toml".to_string(),
        format!("/assets/./{css}/../{css}"),
        "/assets/%00".to_string(),
        long,
    ];
    for target in &attempts {
        let status = raw_status(addr, target).await;
        assert!(status == 404 || status == 400, "{target} gave {status}");
    }
    // The same raw client does reach a real asset.
    assert_eq!(raw_status(addr, large().url()).await, 200);
}

#[tokio::test]
async fn works_as_a_plain_tower_service() {
    use tower::ServiceExt;
    let request = axum::http::Request::get(large().url())
        .body(axum::body::Body::empty())
        .unwrap();
    let response = ServeAssets::new(&MANIFEST).oneshot(request).await.unwrap();
    assert_eq!(response.status(), axum::http::StatusCode::OK);
}
