//! Compression dictionaries (RFC 9842) over real HTTP: the build made a `dcz` delta of
//! `css/large.css` against an earlier release's version (`releases/`), and the server sends it
//! to a client that names that version, decodable by the zstd CLI with the old bytes.

mod support;

use std::path::Path;

use assetlock::DeltaCoding;
use assetlock::serve::ServeAssets;
use assetlock_test_support::decode;
use fixture_site::MANIFEST;
use reqwest::StatusCode;
use reqwest::header::{self, HeaderName};
use support::{get, header, large, serve, server};

const EARLIER: &str = "releases/css/large.772659b9493488a8.css";
const EARLIER_SHA256: &str = "772659b9493488a87dcf9c3328e394bcd723791d61551c4ea4a176b519c41833";
const AVAILABLE: &str = ":dyZZuUk0iKh9z5wzKOOUvNcjeR1hVRxOpKF2tRnEGDM=:";
const ACCEPT: &str = "gzip, deflate, br, zstd, dcb, dcz";

/// The earlier release's `large.css`: the dictionary of its delta.
fn earlier() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(EARLIER)
}

fn available() -> HeaderName {
    HeaderName::from_static("available-dictionary")
}

fn use_as_dictionary() -> HeaderName {
    HeaderName::from_static("use-as-dictionary")
}

#[tokio::test]
async fn the_delta_on_the_wire_decodes_with_the_zstd_cli_and_the_earlier_bytes() {
    let addr = server().await;
    let asset = large();
    let delta = asset
        .deltas()
        .iter()
        .find(|d| d.coding() == DeltaCoding::Dcz);
    let delta = delta.expect("the build made the delta");
    let response = get(
        addr,
        asset.url(),
        &[
            (header::ACCEPT_ENCODING, "br, dcz"),
            (available(), AVAILABLE),
        ],
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let headers = response.headers().clone();
    assert_eq!(header(&headers, header::CONTENT_ENCODING), Some("dcz"));
    let etag = format!("\"{}\"", delta.sha256());
    assert_eq!(header(&headers, header::ETAG), Some(etag.as_str()));
    let body = response.bytes().await.unwrap();
    assert!(body.len() * 10 < asset.variant(assetlock::Encoding::Brotli).unwrap().size() as usize);

    // The CLI skips the RFC's header, a zstd skippable frame, and reads the frame after it.
    if let Some(decoded) = decode::dcz(&body, &earlier()) {
        assert_eq!(decoded, asset.bytes().unwrap());
    }
}

#[tokio::test]
async fn the_dcb_delta_decodes_with_the_reference_brotli_cli_and_the_earlier_bytes() {
    let addr = server().await;
    let asset = large();
    let response = get(
        addr,
        asset.url(),
        &[
            (header::ACCEPT_ENCODING, "br, dcb"),
            (available(), AVAILABLE),
        ],
    )
    .await;
    assert_eq!(
        header(response.headers(), header::CONTENT_ENCODING),
        Some("dcb")
    );
    let body = response.bytes().await.unwrap();
    // RFC 9842 §5.1: magic, the dictionary's SHA-256, then the brotli stream.
    assert_eq!(&body[..4], &[0xff, b'D', b'C', b'B']);
    let sha: String = body[4..36].iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(sha, EARLIER_SHA256);
    // brotli 1.1's CLI (.ci/run builds it) knows the stream, not the RFC's header.
    if let Some(decoded) = decode::dcb(&body, &earlier()) {
        assert_eq!(decoded, asset.bytes().unwrap());
    }
}

#[tokio::test]
async fn the_delta_revalidates_with_its_own_etag() {
    let addr = server().await;
    let asset = large();
    let delta = asset.delta(EARLIER_SHA256).unwrap();
    let etag = format!("\"{}\"", delta.sha256());
    let with_dictionary = [
        (header::ACCEPT_ENCODING, ACCEPT),
        (available(), AVAILABLE),
        (header::IF_NONE_MATCH, etag.as_str()),
    ];
    let response = get(addr, asset.url(), &with_dictionary).await;
    assert_eq!(response.status(), StatusCode::NOT_MODIFIED);
    // The smallest delta: the one a client accepting both codings gets.
    assert_eq!(
        header(response.headers(), header::CONTENT_ENCODING),
        Some(delta.coding().as_str())
    );
    // The same ETag does not match the brotli representation a client without it gets.
    let response = get(
        addr,
        asset.url(),
        &[
            (header::ACCEPT_ENCODING, ACCEPT),
            (header::IF_NONE_MATCH, &etag),
        ],
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        header(response.headers(), header::CONTENT_ENCODING),
        Some("br")
    );
}

#[tokio::test]
async fn turned_off_the_server_neither_announces_nor_sends_deltas() {
    let addr = serve(ServeAssets::new(&MANIFEST).compression_dictionaries(false)).await;
    let response = get(
        addr,
        large().url(),
        &[(header::ACCEPT_ENCODING, ACCEPT), (available(), AVAILABLE)],
    )
    .await;
    let headers = response.headers();
    assert_eq!(header(headers, header::CONTENT_ENCODING), Some("br"));
    assert_eq!(header(headers, header::VARY), Some("accept-encoding"));
    assert_eq!(header(headers, use_as_dictionary()), None);
}

#[tokio::test]
async fn only_content_addressed_text_assets_are_announced() {
    let addr = server().await;
    let mut announced_any = false;
    for asset in MANIFEST.iter() {
        let response = get(addr, asset.url(), &[(header::ACCEPT_ENCODING, ACCEPT)]).await;
        assert_eq!(response.status(), StatusCode::OK, "{}", asset.url());
        let announced = header(response.headers(), use_as_dictionary()).map(str::to_owned);
        let text = !asset.variants().is_empty() && !asset.logical_path().ends_with(".map");
        let expected = (text && !asset.is_public()).then(|| {
            // The URL with its content hash replaced by `*`.
            let hash = asset
                .hashed_path()
                .split(['.', '/'])
                .find(|part| part.len() == 16 && !asset.logical_path().contains(part))
                .unwrap();
            format!(
                "match=\"{}\"",
                asset.url().replacen(&format!(".{hash}"), ".*", 1)
            )
        });
        assert_eq!(announced, expected, "{}", asset.logical_path());
        announced_any |= expected.is_some();
    }
    assert!(announced_any);
}
