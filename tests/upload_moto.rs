//! The same upload and verify against a second S3 implementation: moto's server, started on a
//! loopback port. Skipped, with a message, when `moto_server` is not installed
//! (`pip install 'moto[server]'`).

mod support;

use assetlock::upload::{Destination, Options, run};
use support::fixture::{self, Build};
use support::moto::{BUCKET, destination, moto_or_skip};
use support::quiet;

/// Uploads `build`, verifies it, and uploads it again: the second upload stores nothing.
async fn upload_verify_and_rerun(build: &Build, dest: &Destination) {
    let report = run(&build.source(), dest, &quiet(Options::upload()))
        .await
        .unwrap();
    assert_eq!(report.uploaded(), build.keys(true));
    run(&build.source(), dest, &quiet(Options::verify()))
        .await
        .unwrap();
    let rerun = run(&build.source(), dest, &quiet(Options::upload()))
        .await
        .unwrap();
    assert!(rerun.uploaded().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn upload_then_verify_against_moto() {
    let Some(moto) = moto_or_skip() else { return };
    let build = fixture::site();
    build.add_variant("css/app.css", "br", ".br", b"pretend brotli bytes");
    upload_verify_and_rerun(&build, &destination(&moto).await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn multipart_upload_then_verify_against_moto() {
    let Some(moto) = moto_or_skip() else { return };
    const MIB: u64 = 1024 * 1024;
    let font = "x".repeat(5 * MIB as usize + 1024);
    let build = fixture::build(&[("fonts/big.woff2", &font)]);
    let dest = destination(&moto).await.multipart(5 * MIB, 5 * MIB);
    upload_verify_and_rerun(&build, &dest).await;
}

/// The fixture site built for a CDN on another origin.
fn cross_origin_build() -> Build {
    fixture::build_with(fixture::SITE, |config| {
        config.url_prefix("https://cdn.example.com/assets/");
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn verify_warns_when_a_cross_origin_prefix_meets_a_bucket_without_cors() {
    let Some(moto) = moto_or_skip() else { return };
    let dest = destination(&moto).await;
    let same_origin = fixture::site();
    run(&same_origin.source(), &dest, &quiet(Options::upload()))
        .await
        .unwrap();
    let report = run(&same_origin.source(), &dest, &quiet(Options::verify()))
        .await
        .unwrap();
    assert!(report.warnings().is_empty(), "{report}");

    let build = cross_origin_build();
    run(&build.source(), &dest, &quiet(Options::upload()))
        .await
        .unwrap();
    let report = run(&build.source(), &dest, &quiet(Options::verify()))
        .await
        .unwrap();
    assert_eq!(report.warnings().len(), 1, "{report}");
    assert!(
        report.warnings()[0].contains("has no CORS rule"),
        "{report}"
    );
    assert!(
        report
            .to_string()
            .contains("\nwarning: the URL prefix https://cdn.example.com/assets/")
    );

    let rule = "<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin>\
                <AllowedMethod>GET</AllowedMethod><AllowedMethod>HEAD</AllowedMethod>\
                </CORSRule></CORSConfiguration>";
    let put = reqwest::Client::new()
        .put(format!("{}/{BUCKET}?cors", moto.endpoint))
        .body(rule)
        .send()
        .await
        .unwrap();
    assert!(put.status().is_success(), "{}", put.status());
    let report = run(&build.source(), &dest, &quiet(Options::verify()))
        .await
        .unwrap();
    assert!(report.warnings().is_empty(), "{report}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_s3_pipeline_pulls_the_last_release_and_a_server_sends_a_delta_against_it() {
    use assetlock::serve::Fallback;

    let Some(moto) = moto_or_skip() else { return };
    let dest = destination(&moto).await;
    support::deltas::pull_build_and_serve_a_delta(&dest, Fallback::new(dest.clone())).await;
}
