//! A rolling deploy: two builds of one site live side by side in one bucket, and pruning
//! removes only what the newer one does not use.

mod support;

use std::collections::BTreeSet;
use std::time::Duration;

use assetlock::upload::object_store::path::Path;
use assetlock::upload::object_store::{ObjectStoreExt, PutPayload};
use assetlock::upload::{Options, run};
use base64::Engine;
use sha2::{Digest, Sha256};
use support::fixture::{self, Build};
use support::s3::{PREFIX, S3Server};
use support::{get, quiet};

const HOUR: Duration = Duration::from_secs(3600);

/// Build 1 is the fixture site; build 2 changes its stylesheet only.
fn two_builds() -> (Build, Build) {
    let one = fixture::site();
    let mut files = fixture::SITE.to_vec();
    files[0] = (
        "css/app.css",
        "body { background: url(\"../img/logo.svg\"); color: red }\n",
    );
    let two = fixture::build(&files);
    assert_ne!(one.key("css/app.css"), two.key("css/app.css"));
    (one, two)
}

/// Both builds uploaded, build 1 first.
async fn deployed() -> (S3Server, Build, Build) {
    let server = S3Server::start().await;
    let (one, two) = two_builds();
    server.run(&one, Options::upload()).await.unwrap();
    server.run(&two, Options::upload()).await.unwrap();
    (server, one, two)
}

/// The bucket's keys under the prefix, without deploy events and catalogs.
async fn stored(server: &S3Server) -> BTreeSet<String> {
    let mut keys = server.keys(PREFIX).await;
    keys.retain(|key| {
        !key.starts_with(".assetlock/deploys/") && !key.starts_with(".assetlock/catalogs/")
    });
    keys
}

/// The keys of the deploy events in the bucket.
async fn deploy_events(server: &S3Server) -> Vec<String> {
    let keys = server.keys(PREFIX).await;
    keys.into_iter()
        .filter(|key| key.starts_with(".assetlock/deploys/"))
        .collect()
}

fn without_events(keys: &[String]) -> Vec<String> {
    let events = keys.iter().filter(|k| k.starts_with(".assetlock/deploys/"));
    assert!(
        events.count() <= 1,
        "the pruned build's deploy event at most: {keys:?}"
    );
    keys.iter()
        .filter(|k| !k.starts_with(".assetlock/deploys/"))
        .cloned()
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_url_of_both_builds_resolves_to_bytes_matching_its_integrity() {
    let (server, one, two) = deployed().await;

    for build in [&one, &two] {
        let manifest = build.manifest();
        let url_prefix = manifest["url_prefix"].as_str().unwrap();
        for (logical, asset) in manifest["assets"].as_object().unwrap() {
            if logical.ends_with(".map") {
                continue;
            }
            let url = asset["url"].as_str().unwrap();
            let key = Path::from_url_path(url.strip_prefix(url_prefix).unwrap()).unwrap();
            let (bytes, _) = get(server.store().as_ref(), PREFIX, key.as_ref()).await;
            let digest = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(&bytes));
            assert_eq!(
                format!("sha256-{digest}"),
                asset["integrity"].as_str().unwrap(),
                "{url}"
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn prune_keep_2_keeps_both_builds() {
    let (server, one, two) = deployed().await;
    let before = stored(&server).await;

    let report = server
        .run(&two, Options::prune(2, Duration::ZERO))
        .await
        .unwrap();

    assert!(report.deleted().is_empty(), "{:?}", report.deleted());
    assert_eq!(stored(&server).await, before);
    server.run(&one, Options::verify()).await.unwrap();
    server.run(&two, Options::verify()).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn prune_keep_1_grace_0_removes_only_what_build_2_does_not_use() {
    let (server, one, two) = deployed().await;

    let report = server
        .run(&two, Options::prune(1, Duration::ZERO))
        .await
        .unwrap();

    let only_one: BTreeSet<String> = &one.keys_with_record() - &two.keys_with_record();
    assert_eq!(only_one.len(), 2, "build 1's stylesheet and release record");
    assert_eq!(without_events(report.deleted()), Vec::from_iter(only_one));
    assert_eq!(stored(&server).await, two.keys_with_record());
    server.run(&two, Options::verify()).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn prune_keeps_the_objects_of_a_release_within_the_grace_period() {
    let (server, one, two) = deployed().await;

    let report = server.run(&two, Options::prune(1, HOUR)).await.unwrap();

    assert!(report.deleted().is_empty());
    assert_eq!(
        report.kept_builds(),
        [two.build_id.clone(), one.build_id.clone()]
    );
    server.run(&one, Options::verify()).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn prune_keeps_unreferenced_objects_younger_than_the_grace_period() {
    let (server, _one, two) = deployed().await;
    // An orphan of assetlock's shape: an upload that stopped before its record.
    let orphan = Path::parse(format!("{PREFIX}/css/gone.0123456789abcdef.css")).unwrap();
    server
        .store()
        .put(&orphan, PutPayload::from_static(b"x"))
        .await
        .unwrap();

    let report = server.run(&two, Options::prune(2, HOUR)).await.unwrap();

    assert!(report.deleted().is_empty());
    assert_eq!(report.kept_in_grace(), 1);
    assert!(
        stored(&server)
            .await
            .contains("css/gone.0123456789abcdef.css")
    );

    let report = server
        .run(&two, Options::prune(2, Duration::ZERO))
        .await
        .unwrap();
    assert_eq!(report.deleted(), ["css/gone.0123456789abcdef.css"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn prune_never_deletes_a_file_assetlock_did_not_write() {
    let (server, _one, two) = deployed().await;
    let foreign = [
        "stray.txt",
        ".htaccess",
        "other/backup.sql",
        "vendor/x.0123abcd.js",
    ];
    for key in foreign {
        let path = Path::parse(format!("{PREFIX}/{key}")).unwrap();
        server
            .store()
            .put(&path, PutPayload::from_static(b"x"))
            .await
            .unwrap();
    }

    let report = server
        .run(&two, Options::prune(1, Duration::ZERO))
        .await
        .unwrap();

    assert_eq!(report.left_alone(), foreign.len(), "{report}");
    let keys = stored(&server).await;
    for key in foreign {
        assert!(keys.contains(key), "{key} was deleted: {report}");
    }
    assert!(
        report
            .to_string()
            .contains("left alone 4 keys assetlock did not write")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn prune_refuses_a_destination_without_a_prefix_unless_forced() {
    let server = S3Server::start().await;
    let (one, _) = two_builds();
    let dest = server.destination("");
    let source = one.source();
    run(&source, &dest, &quiet(Options::upload()))
        .await
        .unwrap();

    let error = run(&source, &dest, &quiet(Options::prune(1, HOUR)))
        .await
        .unwrap_err();
    assert_eq!(error.exit_code(), 2, "{error}");
    assert!(error.to_string().contains("--force"), "{error}");

    let forced = quiet(Options::prune(1, HOUR).force(true));
    run(&source, &dest, &forced).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn prune_dry_run_prints_the_plan_and_deletes_nothing() {
    let (server, one, two) = deployed().await;
    let dest = server.destination(PREFIX);
    let before = stored(&server).await;

    let options = quiet(Options::prune(1, Duration::ZERO).dry_run(true));
    let report = run(&two.source(), &dest, &options).await.unwrap();

    let only_one: BTreeSet<String> = &one.keys_with_record() - &two.keys_with_record();
    assert_eq!(
        without_events(report.deleted()),
        Vec::from_iter(only_one.iter().cloned())
    );
    let text = report.to_string();
    for key in &only_one {
        assert!(text.contains(&format!("would delete {key}")), "{text}");
    }
    assert_eq!(stored(&server).await, before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn prune_with_an_older_build_never_deletes_that_builds_objects() {
    let (server, one, _two) = deployed().await;

    // Rolling back: build 1 is current, build 2 is the newest release.
    server
        .run(&one, Options::prune(1, Duration::ZERO))
        .await
        .unwrap();

    server.run(&one, Options::verify()).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn prune_refuses_when_the_current_build_is_not_uploaded() {
    let (server, _one, _two) = deployed().await;
    let three = fixture::build(&[("css/app.css", "body { color: blue }\n")]);
    let before = stored(&server).await;

    let error = server
        .run(&three, Options::prune(1, Duration::ZERO))
        .await
        .unwrap_err();

    assert!(
        error.to_string().contains("has no release record"),
        "{error}"
    );
    assert_eq!(stored(&server).await, before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn prune_after_a_rollback_keeps_the_rolled_back_build() {
    // Deploy A, then B, roll back to A (an upload that stores nothing), then deploy C.
    let server = S3Server::start().await;
    let (a, b) = two_builds();
    let mut files = fixture::SITE.to_vec();
    files[2] = ("js/app.js", "console.log(\"release C\");\n");
    let c = fixture::build(&files);
    server.run(&a, Options::upload()).await.unwrap();
    server.run(&b, Options::upload()).await.unwrap();
    let rollback = server.run(&a, Options::upload()).await.unwrap();
    assert!(rollback.uploaded().is_empty(), "{rollback}");
    assert!(
        rollback
            .to_string()
            .contains("deploy recorded as .assetlock/deploys/")
    );
    server.run(&c, Options::upload()).await.unwrap();

    let report = server
        .run(&c, Options::prune(2, Duration::ZERO))
        .await
        .unwrap();
    assert_eq!(
        report.kept_builds(),
        [c.build_id.clone(), a.build_id.clone()]
    );
    let keys = stored(&server).await;
    for key in a.keys_with_record().iter().chain(&c.keys_with_record()) {
        assert!(keys.contains(key), "{key} was deleted: {report}");
    }
    assert!(!keys.contains(&b.record_key()), "{report}");
    assert!(!keys.contains(&b.key("css/app.css")), "{report}");
    // One deploy event each for the kept builds (A's latest: the rollback); B's are gone.
    let events = deploy_events(&server).await;
    assert_eq!(events.len(), 2, "{events:?}");
    assert!(
        events
            .iter()
            .any(|e| e.ends_with(&format!("-{}.json", a.build_id)))
    );
    assert!(
        events
            .iter()
            .any(|e| e.ends_with(&format!("-{}.json", c.build_id)))
    );
}
