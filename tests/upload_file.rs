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

#[tokio::test]
async fn public_files_are_never_uploaded_or_recorded() {
    let robots = "User-agent: *\nDisallow: /admin/\n".repeat(20);
    let mut files = fixture::SITE.to_vec();
    files.push(("robots.txt", &robots));
    let build = fixture::build_with(&files, |c| {
        c.public("robots.txt");
    });
    let target = tempfile::tempdir().unwrap();
    let dest = Destination::from_url(&file_url(target.path())).unwrap();

    let report = run(&build.source(), &dest, &quiet(Options::upload()))
        .await
        .unwrap();

    let uploaded: Vec<&str> = report.uploaded().iter().map(String::as_str).collect();
    assert!(!uploaded.is_empty());
    assert!(
        uploaded.iter().all(|key| !key.starts_with("robots.txt")),
        "{uploaded:?}"
    );
    assert!(!target.path().join("robots.txt").exists());
    let record = std::fs::read_to_string(target.path().join(build.record_key())).unwrap();
    assert!(!record.contains("robots.txt"), "{record}");
    // The build has it, with a variant: only the upload leaves it out.
    assert!(build.dist_dir.join("robots.txt").is_file());
    run(&build.source(), &dest, &quiet(Options::verify()))
        .await
        .unwrap();
}

#[tokio::test]
async fn a_live_dev_build_is_refused_before_anything_is_written() {
    let build = fixture::build_with(fixture::SITE, |config| {
        config.live(true);
    });
    assert_eq!(build.manifest()["live"], true);
    let target = tempfile::tempdir().unwrap();
    let dest = Destination::from_url(&file_url(target.path())).unwrap();

    for options in [Options::upload(), Options::verify()] {
        let error = run(&build.source(), &dest, &quiet(options))
            .await
            .unwrap_err();
        assert_eq!(error.exit_code(), 2, "{error}");
        assert!(error.to_string().contains("live dev build"), "{error}");
    }
    assert_eq!(std::fs::read_dir(target.path()).unwrap().count(), 0);
}

/// Writes `path` with its modification time `age` in the past.
fn write_aged(path: &std::path::Path, age: std::time::Duration) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, b"x").unwrap();
    let file = std::fs::File::options().write(true).open(path).unwrap();
    file.set_modified(std::time::SystemTime::now() - age)
        .unwrap();
}

#[tokio::test]
async fn prune_of_a_directory_deletes_only_what_assetlock_wrote_and_never_through_a_link() {
    const DAYS_3: std::time::Duration = std::time::Duration::from_secs(3 * 24 * 3600);
    let build = fixture::site();
    let target = tempfile::tempdir().unwrap();
    let root = target.path().join("assets");
    let dest = Destination::from_url(&file_url(&root)).unwrap();
    run(&build.source(), &dest, &quiet(Options::upload()))
        .await
        .unwrap();
    // Files of others under the destination, three days old.
    for key in ["other/backup.sql", ".htaccess", "index.html"] {
        write_aged(&root.join(key), DAYS_3);
    }
    // An orphan of assetlock's shape (an upload that never wrote its record).
    write_aged(&root.join("css/gone.0123456789abcdef.css"), DAYS_3);
    // A directory elsewhere, linked into the destination, holding a file of the same shape.
    let elsewhere = tempfile::tempdir().unwrap();
    write_aged(&elsewhere.path().join("old.0123456789abcdef.css"), DAYS_3);
    std::os::unix::fs::symlink(elsewhere.path(), root.join("linked")).unwrap();

    let day = std::time::Duration::from_secs(24 * 3600);
    let report = run(&build.source(), &dest, &quiet(Options::prune(1, day)))
        .await
        .unwrap();

    assert_eq!(
        report.deleted(),
        ["css/gone.0123456789abcdef.css"],
        "{report}"
    );
    for key in ["other/backup.sql", ".htaccess", "index.html"] {
        assert!(root.join(key).is_file(), "{key} was deleted: {report}");
    }
    assert!(elsewhere.path().join("old.0123456789abcdef.css").is_file());
    assert!(
        report
            .warnings()
            .iter()
            .any(|w| w.contains("symbolic link")),
        "{report}"
    );
    run(&build.source(), &dest, &quiet(Options::verify()))
        .await
        .unwrap();
}

#[tokio::test]
async fn a_release_without_assets_is_never_uploaded_and_never_verified() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = dir.path().join("manifest.json");
    let text = r#"{"format": 1, "build_id": "empty", "url_prefix": "/assets/", "assets": {}}"#;
    std::fs::write(&manifest, text).unwrap();
    let source = assetlock::upload::Source::from_manifest_json(&manifest, dir.path()).unwrap();
    let target = tempfile::tempdir().unwrap();
    let dest = Destination::from_url(&file_url(target.path())).unwrap();

    let error = run(&source, &dest, &quiet(Options::upload()))
        .await
        .unwrap_err();
    assert_eq!(error.exit_code(), 2, "{error}");
    assert!(
        error.to_string().contains("no content-addressed assets"),
        "{error}"
    );
    assert_eq!(std::fs::read_dir(target.path()).unwrap().count(), 0);

    let error = run(&source, &dest, &quiet(Options::verify()))
        .await
        .unwrap_err();
    assert_eq!(error.exit_code(), 1, "{error}");
    assert!(error.to_string().contains("no assets"), "{error}");
}
