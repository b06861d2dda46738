//! Uploading to a local directory (`file:///dir`): bytes only, create-only all the same.

mod support;

use assetlock::upload::{Destination, Options, run};
use support::fixture;
use support::quiet;

fn file_url(dir: &std::path::Path) -> String {
    format!("file://{}", dir.display())
}

#[tokio::test]
async fn upload_to_a_directory_writes_every_object_and_the_release_record() {
    let build = fixture::site();
    let target = tempfile::tempdir().unwrap();
    let dest = Destination::from_url(&file_url(&target.path().join("assets"))).unwrap();

    run(&build.source(), &dest, &quiet(Options::upload()))
        .await
        .unwrap();

    for key in build.keys(true) {
        let stored = std::fs::read(target.path().join("assets").join(&key)).unwrap();
        assert_eq!(
            stored,
            std::fs::read(build.dist_dir.join(&key)).unwrap(),
            "{key}"
        );
    }
    assert!(
        target
            .path()
            .join("assets")
            .join(build.record_key())
            .is_file()
    );
}

#[tokio::test]
async fn rerun_to_a_directory_uploads_nothing_and_verify_passes() {
    let build = fixture::site();
    let target = tempfile::tempdir().unwrap();
    let dest = Destination::from_url(&file_url(target.path())).unwrap();
    run(&build.source(), &dest, &quiet(Options::upload()))
        .await
        .unwrap();

    let report = run(&build.source(), &dest, &quiet(Options::upload()))
        .await
        .unwrap();

    assert!(report.uploaded().is_empty());
    run(&build.source(), &dest, &quiet(Options::verify()))
        .await
        .unwrap();
}

#[tokio::test]
async fn verify_of_a_directory_catches_a_truncated_file() {
    let build = fixture::site();
    let target = tempfile::tempdir().unwrap();
    let dest = Destination::from_url(&file_url(target.path())).unwrap();
    run(&build.source(), &dest, &quiet(Options::upload()))
        .await
        .unwrap();
    let key = build.key("css/app.css");
    std::fs::write(target.path().join(&key), "").unwrap();

    let error = run(&build.source(), &dest, &quiet(Options::verify()))
        .await
        .unwrap_err();

    assert_eq!(error.keys(), [key.as_str()]);
    assert!(error.to_string().contains("0 bytes, expected"), "{error}");
}
