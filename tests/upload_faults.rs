//! An upload that fails part-way: no release record, and a re-run finishes the job without
//! overwriting anything.

mod support;

use std::collections::BTreeSet;

use assetlock::upload::Options;
use support::fixture;
use support::s3::{PREFIX, S3Server};

/// A site with enough objects that a fault after 3 leaves most of them unstored.
fn many_files() -> fixture::Build {
    let files: Vec<(String, String)> = (0..12)
        .map(|i| {
            (
                format!("pages/page{i:02}.css"),
                format!(".page{i} {{ margin: {i}px }}\n"),
            )
        })
        .collect();
    let files: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, c)| (p.as_str(), c.as_str()))
        .collect();
    fixture::build(&files)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn upload_failing_after_some_objects_writes_no_release_record() {
    let server = S3Server::start().await;
    let build = many_files();
    // The create-only probe's two PUTs, then three objects.
    server.fail_puts_after(2 + 3);

    let error = server.run(&build, Options::upload()).await.unwrap_err();

    assert_eq!(error.exit_code(), 1);
    let stored = server.keys(PREFIX).await;
    assert_eq!(stored.len(), 3);
    assert!(!stored.contains(&build.record_key()));
    let failed: BTreeSet<String> = error.keys().into_iter().map(str::to_owned).collect();
    let all: BTreeSet<String> = build.keys(true).into_iter().collect();
    assert_eq!(
        failed,
        &all - &stored,
        "the error names every key that failed"
    );
    assert!(error.to_string().contains("no release record was written"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rerun_after_a_failure_completes_without_overwriting() {
    let server = S3Server::start().await;
    let build = many_files();
    // The create-only probe's two PUTs, then three objects.
    server.fail_puts_after(2 + 3);
    server.run(&build, Options::upload()).await.unwrap_err();
    let stored_first: BTreeSet<String> = server.stored_keys().into_iter().collect();
    server.heal();

    let report = server.run(&build, Options::upload()).await.unwrap();

    assert!(report.release_record_written());
    assert_eq!(report.skipped(), 3);
    let stored_second: Vec<String> = server.stored_keys()[stored_first.len()..].to_vec();
    for key in &stored_second {
        assert!(!stored_first.contains(key), "{key} was stored twice");
    }
    server.run(&build, Options::verify()).await.unwrap();
}
