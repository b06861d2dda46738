//! `--pull-releases`: what a delta build needs, copied from the bucket (a real S3 server,
//! SigV4 checked) into a local directory, checked, and fetched only once.

mod support;

use std::time::Duration;

use assetlock::upload::Options;
use support::deltas::release;
use support::fixture::Build;
use support::quiet;
use support::s3::{PREFIX, S3Server};

/// The text assets of `build` pulled: its stylesheets and scripts, not its images or maps.
fn text_keys(build: &Build) -> Vec<String> {
    ["css/app.css", "css/big.css", "js/app.js"]
        .iter()
        .filter(|l| !build.asset(l)["encodings"].as_object().unwrap().is_empty())
        .map(|l| build.key(l))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_newest_releases_records_and_text_assets_are_pulled_checked_and_once() {
    let s3 = S3Server::start().await;
    let (v1, v2, v3) = (
        release("", None),
        release(".b {}\n", None),
        release(".c {}\n", None),
    );
    for build in [&v1, &v2, &v3] {
        s3.run(build, Options::upload()).await.unwrap();
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let dir = tempfile::tempdir().unwrap();

    let report = s3
        .run(&v3, quiet(Options::pull_releases(dir.path(), 2)))
        .await
        .unwrap();

    assert_eq!(
        report.kept_builds(),
        [v3.build_id.clone(), v2.build_id.clone()]
    );
    for build in [&v2, &v3] {
        assert!(dir.path().join(build.record_key()).is_file());
        for key in text_keys(build) {
            let pulled = std::fs::read(dir.path().join(&key)).unwrap();
            assert_eq!(
                pulled,
                std::fs::read(build.dist_dir.join(&key)).unwrap(),
                "{key}"
            );
        }
    }
    assert!(
        !dir.path().join(v1.record_key()).exists(),
        "only the newest two"
    );
    let logo = v3.key("img/logo.svg");
    assert!(
        !dir.path().join(logo).exists(),
        "no delta is made for an image"
    );

    let again = s3
        .run(&v3, quiet(Options::pull_releases(dir.path(), 2)))
        .await
        .unwrap();
    assert!(again.uploaded().is_empty(), "{again}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_object_that_is_not_what_its_record_says_is_never_kept() {
    let s3 = S3Server::start().await;
    let v1 = release("", None);
    s3.run(&v1, Options::upload()).await.unwrap();
    let key = v1.key("css/big.css");
    std::fs::write(s3.object_file(PREFIX, &key), b"not the stylesheet").unwrap();
    let dir = tempfile::tempdir().unwrap();

    let error = s3
        .run(&v1, quiet(Options::pull_releases(dir.path(), 3)))
        .await
        .unwrap_err();

    assert_eq!(error.keys(), [key.as_str()], "{error}");
    assert!(!dir.path().join(&key).exists());
}
