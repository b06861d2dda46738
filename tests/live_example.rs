//! The dev loop on the example app: a dev build with `ASSETLOCK_LIVE=1`, running, open in
//! headless Chromium. An edit to its stylesheet on disk changes the page's computed style
//! within a second, without a rebuild, a server restart or a page reload.
//!
//! The app is a copy of the example app built by cargo in `target/tests/e2e` (as package
//! `example-app-live`, so its binary never replaces the fleet test's). Needs chromium and
//! chromium-driver; skips with a message when they are absent.
#![allow(clippy::disallowed_methods)] // the test starts the app with its environment

mod support;

use std::time::{Duration, Instant};

use assetlock_test_support::loopback::free_port;
use assetlock_test_support::webdriver::{self, Page};
use serde_json::Value;
use support::example_app::{self, wait_until_up};

#[tokio::test]
async fn a_stylesheet_edit_shows_in_the_open_page_without_reload_or_restart() {
    if !webdriver::available() {
        return;
    }
    let app = example_app::workspace().join("target/tests/live/app");
    example_app::copy(&app, "example-app-live", &[]);
    example_app::build(
        &app,
        &["--bin", "example-app-live"],
        &[("ASSETLOCK_LIVE", "1")],
    );
    let port = free_port();
    let _server = example_app::start(&example_app::binary("example-app-live"), port);
    let root = format!("http://127.0.0.1:{port}/");
    wait_until_up(&root).await;

    // Live URLs are logical and revalidated.
    let css = reqwest::get(format!("{root}assets/css/site.css"))
        .await
        .unwrap();
    assert_eq!(css.status(), 200);
    assert_eq!(css.headers()["cache-control"], "no-cache");

    let page = Page::open(
        &root,
        "return document.body.dataset.lazyLoaded === 'yes';",
        "the live page's modules did not finish",
    )
    .await;
    let accent = "return getComputedStyle(document.querySelector('h1')).color;";
    let before = page.run(accent).await;
    let report = page
        .run(
            r#"return {
                 integrity: document.querySelectorAll('[integrity]:not([integrity=""])').length,
                 live: !!document.querySelector('script[src$="__assetlock/live.js"]'),
                 failed: performance.getEntriesByType('resource')
                   .filter(r => r.responseStatus !== 200).map(r => r.name),
               };"#,
        )
        .await;
    assert_eq!(report["integrity"], 0, "{report:#}");
    assert_eq!(report["live"], true, "{report:#}");
    assert_eq!(report["failed"], Value::Array(Vec::new()), "{report:#}");
    // A page reload would drop this mark; a stylesheet swapped in place keeps it.
    page.run("window.notReloaded = true;").await;
    // Let the change stream connect before editing.
    tokio::time::sleep(Duration::from_millis(500)).await;

    let started = Instant::now();
    example_app::edit(
        &app.join("assets/css/site.css"),
        "--accent: #0b7285;",
        "--accent: rgb(201, 42, 42);",
    );
    let shown = page
        .driver
        .wait_for(
            &page.session,
            "return getComputedStyle(document.querySelector('h1')).color === 'rgb(201, 42, 42)';",
            Duration::from_secs(1),
        )
        .await;
    let elapsed = started.elapsed();
    assert!(
        shown,
        "the edit did not show within 1 s (before: {before}, now: {})",
        page.run(accent).await
    );
    eprintln!("edit -> visible: {} ms", elapsed.as_millis());
    assert_eq!(page.run("return window.notReloaded === true;").await, true);
    let errors: Vec<Value> = page
        .console()
        .await
        .into_iter()
        .filter(|e| e["level"] == "SEVERE")
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    page.close().await;
}
