//! Image variants through the whole deploy chain: `upload-assets` stores each variant
//! create-only with its content type and immutable caching in a real S3 server (SigV4
//! checked), `--verify` checks them, the release record lists them with their sizes, a server
//! of another build sends them through its fallback, and `--prune` keeps them with their
//! release and deletes them with it.

mod support;

use std::time::Duration;

use assetlock::serve::Fallback;
use assetlock::upload::Options;
use assetlock::upload::object_store::Attribute;
use assetlock_build::Images;
use reqwest::header;
use support::fixture::Build;
use support::s3::{PREFIX, S3Server};
use support::{header as attribute, quiet};

const PHOTO: &[u8] = include_bytes!("../build-support/tests/fixtures/golden/img/photo.png");
const ROCKET: &[u8] = include_bytes!("../example-app/assets/img/rocket.jpg");

/// A release whose one image, `logical`, gets variants 32 and 64 pixels wide.
fn release(logical: &str, bytes: &[u8]) -> Build {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("assets").join(logical);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, bytes).unwrap();
    let output = assetlock_build::Config::new()
        .asset_dir(dir.path().join("assets"))
        .out_dir(dir.path().join("out"))
        .images(Images::new("img/*").widths([32, 64]).placeholder(true))
        .try_compile()
        .unwrap();
    Build {
        manifest_path: output.manifest_path(),
        dist_dir: output.dist_dir(),
        build_id: output.build_id().to_owned(),
        dir,
    }
}

/// The variants of `logical` in `build`: (logical path, object key, content type).
fn variants(build: &Build, logical: &str) -> Vec<(String, String, String)> {
    let manifest = build.manifest();
    let listed = manifest["assets"][logical]["image"]["variants"]
        .as_array()
        .unwrap()
        .clone();
    listed
        .iter()
        .map(|v| {
            let asset = &manifest["assets"][v.as_str().unwrap()];
            (
                v.as_str().unwrap().to_owned(),
                asset["path"].as_str().unwrap().to_owned(),
                asset["content_type"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn variants_upload_verify_serve_through_the_fallback_and_go_with_their_release() {
    let s3 = S3Server::start().await;
    let v1 = release("img/photo.png", PHOTO);
    let v1_variants = variants(&v1, "img/photo.png");
    assert_eq!(v1_variants.len(), 5, "{v1_variants:?}");

    let report = s3.run(&v1, quiet(Options::upload())).await.unwrap();
    for (logical, key, content_type) in &v1_variants {
        assert!(
            report.uploaded().contains(key),
            "{logical} not uploaded: {report}"
        );
        let (bytes, attributes) = support::get(&*s3.store(), PREFIX, key).await;
        assert_eq!(
            bytes,
            std::fs::read(v1.dist_dir.join(key)).unwrap(),
            "{logical}"
        );
        assert_eq!(
            attribute(&attributes, &Attribute::ContentType),
            Some(content_type.as_str())
        );
        assert_eq!(
            attribute(&attributes, &Attribute::CacheControl),
            Some(assetlock::serve::IMMUTABLE)
        );
        // Already compressed: stored as they are, with no coding.
        assert_eq!(attribute(&attributes, &Attribute::ContentEncoding), None);
    }
    let verified = s3.run(&v1, quiet(Options::verify())).await.unwrap();
    assert_eq!(verified.verified(), v1.keys(true).len());
    // Create-only and idempotent: a second upload stores nothing.
    let again = s3.run(&v1, quiet(Options::upload())).await.unwrap();
    assert!(again.uploaded().is_empty(), "{again}");

    // The release record lists each variant with its size, and the image with its variants.
    let record = std::fs::read_to_string(s3.object_file(PREFIX, &v1.record_key())).unwrap();
    let record: serde_json::Value = serde_json::from_str(&record).unwrap();
    let image = &record["assets"]["img/photo.png"]["image"];
    assert_eq!(
        (image["width"].as_u64(), image["height"].as_u64()),
        (Some(64), Some(48))
    );
    assert!(
        image["placeholder"]
            .as_str()
            .unwrap()
            .starts_with("data:image/svg+xml,")
    );
    let avif = &record["assets"]["img/photo.png@32w.avif"];
    assert_eq!(avif["content_type"], "image/avif");
    assert_eq!(
        avif["image"],
        serde_json::json!({"width": 32, "height": 24})
    );

    // A server of another build sends v1's AVIF through the bucket, as the browser asked.
    let fallback = Fallback::new(s3.destination(PREFIX))
        .refresh_interval(Duration::from_secs(60))
        .timeout(Duration::from_secs(5));
    let addr = support::serve_with_fallback(fallback).await;
    let url = v1.asset("img/photo.png@32w.avif")["url"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        fixture_site::MANIFEST.by_url(&url).is_none(),
        "the server has no such asset"
    );
    let response = reqwest::Client::new()
        .get(format!("http://{addr}{url}"))
        .header(header::ACCEPT, "image/avif,image/webp,*/*")
        .header(header::ACCEPT_ENCODING, "gzip, br, zstd")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()[header::CONTENT_TYPE], "image/avif");
    assert!(response.headers().get(header::CONTENT_ENCODING).is_none());
    let key = v1.key("img/photo.png@32w.avif");
    assert_eq!(
        response.bytes().await.unwrap(),
        std::fs::read(v1.dist_dir.join(key)).unwrap()
    );

    // The next release has another photo; pruning to it deletes v1's variants, keeps its own.
    let v2 = release("img/rocket.jpg", ROCKET);
    s3.run(&v2, quiet(Options::upload())).await.unwrap();
    s3.run(&v2, quiet(Options::prune(2, Duration::ZERO)))
        .await
        .unwrap();
    let keys = s3.keys(PREFIX).await;
    for (logical, key, _) in variants(&v1, "img/photo.png")
        .iter()
        .chain(&variants(&v2, "img/rocket.jpg"))
    {
        assert!(
            keys.contains(key),
            "{logical} pruned while its release is kept"
        );
    }
    s3.run(&v2, quiet(Options::prune(1, Duration::ZERO)))
        .await
        .unwrap();
    let keys = s3.keys(PREFIX).await;
    for (logical, key, _) in variants(&v1, "img/photo.png") {
        assert!(
            !keys.contains(&key),
            "{logical} of the pruned release is still there"
        );
    }
    for (logical, key, _) in variants(&v2, "img/rocket.jpg") {
        assert!(
            keys.contains(&key),
            "{logical} of the kept release was deleted"
        );
    }
    s3.run(&v2, quiet(Options::verify())).await.unwrap();
}
