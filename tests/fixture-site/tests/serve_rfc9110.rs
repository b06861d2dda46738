//! `assetlock::serve` over real HTTP where RFC 9110 is easy to get wrong: `If-Match`, several
//! `Accept-Encoding` lines, `Range` on `HEAD`, `Accept-Ranges` on encoded responses; and the
//! CORS header that lets pages on another origin use fonts and `crossorigin` scripts.

mod support;

use assetlock::Encoding;
use assetlock::serve::ServeAssets;
use axum::http::HeaderValue;
use fixture_site::MANIFEST;
use reqwest::StatusCode;
use reqwest::header;
use support::{client, get, header, large, serve, server};

#[tokio::test]
async fn if_match_with_another_tag_is_412_and_with_the_current_tag_proceeds() {
    let addr = server().await;
    let asset = large();
    let current = format!("\"{}\"", asset.sha256());
    let cases = [
        ("\"0000\"", &[][..], StatusCode::PRECONDITION_FAILED),
        (
            "\"0000\"",
            &[(header::RANGE, "bytes=0-9")][..],
            StatusCode::PRECONDITION_FAILED,
        ),
        (
            &*format!("W/{current}"),
            &[][..],
            StatusCode::PRECONDITION_FAILED,
        ),
        (&*current, &[][..], StatusCode::OK),
        (
            &*format!("\"x\", {current}"),
            &[(header::RANGE, "bytes=0-9")][..],
            StatusCode::PARTIAL_CONTENT,
        ),
        ("*", &[][..], StatusCode::OK),
    ];
    for (tag, extra, status) in cases {
        let mut headers = vec![(header::IF_MATCH, tag)];
        headers.extend(extra.iter().cloned());
        let response = get(addr, asset.url(), &headers).await;
        assert_eq!(response.status(), status, "If-Match: {tag} {extra:?}");
        if status == StatusCode::PRECONDITION_FAILED {
            assert_eq!(
                header(response.headers(), header::CACHE_CONTROL),
                Some("no-store")
            );
        }
    }
}

#[tokio::test]
async fn several_accept_encoding_lines_are_one_list() {
    let addr = server().await;
    let url = format!("http://{addr}{}", large().url());
    let response = client()
        .get(&url)
        .header(header::ACCEPT_ENCODING, "identity;q=0")
        .header(header::ACCEPT_ENCODING, "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        header(response.headers(), header::CONTENT_ENCODING),
        Some("gzip")
    );
}

#[tokio::test]
async fn head_ignores_range() {
    let addr = server().await;
    let asset = large();
    let response = client()
        .head(format!("http://{addr}{}", asset.url()))
        .header(header::RANGE, "bytes=0-9")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let length = header(response.headers(), header::CONTENT_LENGTH).map(str::to_owned);
    assert_eq!(length, Some(asset.size().to_string()));
    assert_eq!(header(response.headers(), header::CONTENT_RANGE), None);
}

#[tokio::test]
async fn accept_ranges_only_on_identity_responses() {
    let addr = server().await;
    let asset = large();
    assert!(asset.variant(Encoding::Brotli).is_some());
    let identity = get(addr, asset.url(), &[]).await;
    assert_eq!(
        header(identity.headers(), header::ACCEPT_RANGES),
        Some("bytes")
    );
    let brotli = get(addr, asset.url(), &[(header::ACCEPT_ENCODING, "br")]).await;
    assert_eq!(
        header(brotli.headers(), header::CONTENT_ENCODING),
        Some("br")
    );
    assert_eq!(header(brotli.headers(), header::ACCEPT_RANGES), None);
}

#[tokio::test]
async fn every_response_allows_any_origin_by_default() {
    let addr = server().await;
    for path in [large().url(), "/assets/css/missing.0000000000000000.css"] {
        let response = get(addr, path, &[(header::ORIGIN, "https://www.example.com")]).await;
        let allowed = header(response.headers(), header::ACCESS_CONTROL_ALLOW_ORIGIN);
        assert_eq!(allowed, Some("*"), "{path}");
    }
}

#[tokio::test]
async fn the_allowed_origin_is_configurable_or_absent() {
    let only = HeaderValue::from_static("https://www.example.com");
    let addr = serve(ServeAssets::new(&MANIFEST).allow_origin(Some(only))).await;
    let response = get(addr, large().url(), &[]).await;
    let allowed = header(response.headers(), header::ACCESS_CONTROL_ALLOW_ORIGIN);
    assert_eq!(allowed, Some("https://www.example.com"));

    let addr = serve(ServeAssets::new(&MANIFEST).allow_origin(None)).await;
    let response = get(addr, large().url(), &[]).await;
    assert_eq!(
        header(response.headers(), header::ACCESS_CONTROL_ALLOW_ORIGIN),
        None
    );
}
