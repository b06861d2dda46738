//! A returning visitor downloads a delta, in a real browser: the example app's release 1 is
//! uploaded to a `file://` destination; release 2, one line of a large module changed, is built
//! against it (`ASSETLOCK_PREVIOUS_RELEASES`). Headless Chromium loads release 1's page, then
//! the same origin serves release 2: the browser fetches the new module with the old one as
//! its compression dictionary and sees `Content-Encoding: dcz`, the modules run (their
//! integrity holds), and a browser without the old version gets brotli.
//!
//! Needs chromium and chromium-driver (CI installs them); skips with a message when they are
//! absent. The app builds go to `target/tests/e2e` and are reused across runs.
#![allow(clippy::disallowed_methods)] // the test sets up child environments

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use assetlock_test_support::webdriver::{self, Driver};
use serde_json::Value;
use support::example_app::{self, wait_until_up};

/// A module large enough to matter: about 120 KB, with one line that says which release it is.
fn big_module(release: u32) -> String {
    let mut js: String = (0..2000)
        .map(|i| {
            format!(
                "export function step{i}(x) {{ return (x * {i} + {}) % 9973; }}\n",
                i % 13
            )
        })
        .collect();
    js.push_str(&format!(
        "document.body.dataset.bigRelease = \"{release}\";\n"
    ));
    js
}

/// Builds release `n` of the example app with the large module; release 2 is built against
/// the releases uploaded to `releases`. Returns its server and uploader binaries.
fn build_release(n: u32, releases: &Path) -> (PathBuf, PathBuf) {
    let app = example_app::workspace().join("target/tests/deltas/app");
    example_app::copy(&app, "example-app-deltas", &[]);
    std::fs::write(app.join("assets/js/big.js"), big_module(n)).unwrap();
    example_app::edit(
        &app.join("assets/js/main.js"),
        "import { greeting } from \"./greet.js\";",
        "import { greeting } from \"./greet.js\";\nimport \"./big.js\";",
    );
    // Both builds share one OUT_DIR: each binary carries its own bytes.
    example_app::edit(
        &app.join("build.rs"),
        ".compile()",
        ".embed(true).compile()",
    );
    let previous = releases.display().to_string();
    let env: &[(&str, &str)] = match n {
        1 => &[],
        _ => &[("ASSETLOCK_PREVIOUS_RELEASES", previous.as_str())],
    };
    example_app::build(&app, &["--bins"], env);
    let out = example_app::workspace().join(format!("target/tests/deltas/release-{n}"));
    std::fs::create_dir_all(&out).unwrap();
    let server = out.join("example-app-deltas");
    let uploader = out.join("upload-assets");
    std::fs::copy(example_app::binary("example-app-deltas"), &server).unwrap();
    std::fs::copy(example_app::binary("upload-assets"), &uploader).unwrap();
    (server, uploader)
}

/// The resource timing entries of the page's `big.*.js`: (URL, content coding).
const BIG_ENTRIES: &str = "return performance.getEntriesByType('resource')
    .filter(e => e.name.includes('/js/big.'))
    .map(e => [e.name, e.contentEncoding]);";

async fn load(driver: &Driver, session: &str, root: &str, release: u32) -> Vec<Value> {
    driver.open(session, root).await;
    let ready = format!(
        "return document.body.dataset.lazyLoaded === 'yes' \
         && document.body.dataset.bigRelease === '{release}';"
    );
    assert!(
        driver
            .wait_for(session, &ready, Duration::from_secs(20))
            .await,
        "release {release}'s modules did not run: {}",
        driver.run(session, "return document.body.innerText;").await
    );
    let entries = driver.run(session, BIG_ENTRIES).await;
    entries.as_array().cloned().unwrap_or_default()
}

#[tokio::test]
async fn a_returning_browser_gets_the_new_module_as_a_delta_against_the_old_one() {
    if !webdriver::available() {
        return;
    }
    let releases = example_app::workspace().join("target/tests/deltas/releases");
    let _ = std::fs::remove_dir_all(&releases);
    std::fs::create_dir_all(&releases).unwrap();
    let (server_1, uploader_1) = build_release(1, &releases);
    let upload = Command::new(&uploader_1)
        .arg(format!("file://{}", releases.display()))
        .output()
        .unwrap();
    assert!(
        upload.status.success(),
        "{}",
        String::from_utf8_lossy(&upload.stderr)
    );
    let (server_2, _) = build_release(2, &releases);

    let port = assetlock_test_support::loopback::free_port();
    let root = format!("http://127.0.0.1:{port}/");
    let driver = Driver::start().await;
    let profile = tempfile::tempdir().unwrap();
    let session = driver.new_session(profile.path()).await;

    let first = example_app::start(&server_1, port);
    wait_until_up(&root).await;
    let before = load(&driver, &session, &root, 1).await;
    assert_eq!(before.len(), 1, "{before:?}");
    assert_eq!(
        before[0][1], "br",
        "a first visit has no dictionary: {before:?}"
    );
    // The browser keeps the module as a dictionary once it has read all of it.
    tokio::time::sleep(Duration::from_secs(2)).await;
    drop(first);

    let _second = example_app::start(&server_2, port);
    wait_until_up(&root).await;
    let after = load(&driver, &session, &root, 2).await;
    assert_eq!(after.len(), 1, "{after:?}");
    assert_ne!(after[0][0], before[0][0], "release 2 has a new URL");
    assert_eq!(
        after[0][1], "dcz",
        "the returning browser used its dictionary: {after:?}"
    );
    let console = driver.console(&session).await;
    let errors: Vec<_> = console.iter().filter(|e| e["level"] == "SEVERE").collect();
    assert!(errors.is_empty(), "{errors:?}");
    driver.end(&session).await;

    // A browser that never saw release 1 sends no Available-Dictionary and gets brotli.
    let fresh_profile = tempfile::tempdir().unwrap();
    let fresh = driver.new_session(fresh_profile.path()).await;
    let entries = load(&driver, &fresh, &root, 2).await;
    assert_eq!(entries[0][1], "br", "{entries:?}");
    driver.end(&fresh).await;
}
