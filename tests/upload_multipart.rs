//! Large objects as create-only multipart uploads, against a real S3 server (s3s + s3s-fs,
//! SigV4 checked) in the test process.

mod support;

use assetlock::upload::object_store::Attribute;
use assetlock::upload::{Destination, Options, run};
use support::fixture::{self, Build};
use support::s3::{PREFIX, S3Server};
use support::{get, header, quiet};

const MIB: usize = 1024 * 1024;
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
const FONT: &str = "fonts/big.woff2";

/// `len` bytes of letters from a fixed pseudo-random sequence.
fn letters(len: usize, seed: u64) -> String {
    let mut state = seed;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            char::from(b'a' + (state % 26) as u8)
        })
        .collect()
}

/// A site with one font of 5 MiB + 1 KiB (woff2: no variants of its own) and a small
/// stylesheet.
fn big_site() -> Build {
    let font = letters(5 * MIB + 1024, 7);
    fixture::build(&[(FONT, &font), ("css/app.css", "body { color: red }\n")])
}

/// Parts of 5 MiB (S3's smallest) from 5 MiB on: the font goes up in two parts.
fn dest(server: &S3Server) -> Destination {
    server
        .destination(PREFIX)
        .multipart(5 * MIB as u64, 5 * MIB as u64)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn large_objects_go_up_in_parts_with_their_headers() {
    let server = S3Server::start().await;
    let build = big_site();
    let variant = letters(6 * MIB, 11);
    let br = build.add_variant(FONT, "br", ".br", variant.as_bytes());

    let report = run(&build.source(), &dest(&server), &quiet(Options::upload()))
        .await
        .unwrap();

    assert!(report.release_record_written());
    assert_eq!(server.completions(), 2);
    let font = build.key(FONT);
    let (bytes, attributes) = get(server.store().as_ref(), PREFIX, &font).await;
    let original = std::fs::read(build.dist_dir.join(&font)).unwrap();
    assert!(bytes == original, "the font came back different");
    assert_eq!(
        header(&attributes, &Attribute::ContentType),
        Some("font/woff2")
    );
    assert_eq!(
        header(&attributes, &Attribute::CacheControl),
        Some(IMMUTABLE)
    );
    assert_eq!(header(&attributes, &Attribute::ContentEncoding), None);
    let (bytes, attributes) = get(server.store().as_ref(), PREFIX, &br).await;
    assert!(
        bytes == variant.as_bytes(),
        "the variant came back different"
    );
    assert_eq!(header(&attributes, &Attribute::ContentEncoding), Some("br"));
    assert_eq!(
        header(&attributes, &Attribute::ContentType),
        Some("font/woff2")
    );
    let stored = server.stored_keys();
    // The record, the deploy event, then the catalog of the records.
    let [.., record, event, catalog] = stored.as_slice() else {
        panic!("{stored:?}");
    };
    assert!(event.starts_with(&format!("{PREFIX}/.assetlock/deploys/")));
    assert!(catalog.starts_with(&format!("{PREFIX}/.assetlock/catalogs/")));
    let before = &stored[..stored.len() - 2];
    assert_eq!(before.last(), Some(record));
    assert_eq!(
        before.last(),
        Some(&format!("{PREFIX}/{}", build.record_key())),
        "the release record comes after every object"
    );

    // The gate passes, and a re-run stores nothing but its deploy event and catalog.
    run(&build.source(), &dest(&server), &quiet(Options::verify()))
        .await
        .unwrap();
    let puts = server.puts();
    let report = run(&build.source(), &dest(&server), &quiet(Options::upload()))
        .await
        .unwrap();
    assert!(report.uploaded().is_empty());
    assert_eq!((server.puts(), server.completions()), (puts + 2, 2));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_key_taken_during_the_upload_is_left_as_it_is() {
    let server = S3Server::start().await;
    let build = big_site();
    let font = build.key(FONT);
    // Another writer stores other bytes at the font's key between the LIST and the upload.
    server.race_after_next_list(PREFIX, &font, b"squatter");

    let error = run(&build.source(), &dest(&server), &quiet(Options::upload()))
        .await
        .unwrap_err();

    let text = error.to_string();
    assert!(text.contains(&font), "{text}");
    assert!(text.contains("already exists with 8 bytes"), "{text}");
    assert_eq!(server.completions(), 1, "the upload reached its completion");
    assert_eq!(
        server.unfinished_uploads(),
        0,
        "the refused upload was aborted"
    );
    let (bytes, _) = get(server.store().as_ref(), PREFIX, &font).await;
    assert_eq!(bytes, b"squatter");
    assert!(!server.keys(PREFIX).await.contains(&build.record_key()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_object_stored_meanwhile_counts_as_uploaded() {
    let server = S3Server::start().await;
    let build = big_site();
    let font = build.key(FONT);
    let original = std::fs::read(build.dist_dir.join(&font)).unwrap();
    // A second uploader of the same build wins the race for the font.
    server.race_after_next_list(PREFIX, &font, &original);

    let report = run(&build.source(), &dest(&server), &quiet(Options::upload()))
        .await
        .unwrap();

    assert!(report.release_record_written());
    assert_eq!(server.completions(), 1);
    let (bytes, _) = get(server.store().as_ref(), PREFIX, &font).await;
    assert!(bytes == original, "the font was replaced");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_part_fails_the_upload_and_a_rerun_completes_it() {
    let server = S3Server::start().await;
    let build = big_site();
    let font = build.key(FONT);
    // The create-only probe's two PUTs, then one object.
    server.fail_puts_after(2 + 1);

    let error = run(&build.source(), &dest(&server), &quiet(Options::upload()))
        .await
        .unwrap_err();

    let text = error.to_string();
    assert!(text.contains(&font), "{text}");
    // The server answers 503 before reading the part, so the client sees either that or the
    // connection closing under the body it is still sending.
    assert!(text.contains("part "), "{text}");
    assert_eq!(server.completions(), 0);
    let keys = server.keys(PREFIX).await;
    assert!(!keys.contains(&font), "{keys:?}");
    assert!(!keys.contains(&build.record_key()), "{keys:?}");
    assert_eq!(
        server.unfinished_uploads(),
        0,
        "the failed upload was aborted"
    );

    server.heal();
    run(&build.source(), &dest(&server), &quiet(Options::upload()))
        .await
        .unwrap();
    let (bytes, _) = get(server.store().as_ref(), PREFIX, &font).await;
    assert!(bytes == std::fs::read(build.dist_dir.join(&font)).unwrap());
    run(&build.source(), &dest(&server), &quiet(Options::verify()))
        .await
        .unwrap();
}
