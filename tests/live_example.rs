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
    let errors = page.errors().await;
    assert!(errors.is_empty(), "{errors:#?}");

    compiled_sources(&page, &root, &app).await;
    page.close().await;
}

/// The page of compiled sources, live: a Sass partial and a template scanned by Tailwind CSS
/// are edited and the page's stylesheets are swapped in place; a TypeScript module is edited
/// and the page reloads with it. Each edit shows without a rebuild or a restart.
async fn compiled_sources(page: &Page, root: &str, app: &std::path::Path) {
    let tailwind = app.join("node_modules/.bin/tailwindcss").is_file();
    assetlock_test_support::tools::available(
        "the example app's Tailwind CSS CLI",
        tailwind,
        "npm install in example-app",
    );
    page.driver
        .open(&page.session, &format!("{root}compiled"))
        .await;
    let ran = "return document.body.dataset.panelRan === 'yes';";
    assert!(
        page.driver
            .wait_for(&page.session, ran, Duration::from_secs(10))
            .await,
        "the live TypeScript module did not run"
    );
    let border = "return getComputedStyle(document.querySelector('.panel')).borderTopColor;";
    assert_eq!(page.run(border).await, "rgb(95, 61, 196)");
    page.run(
        "window.notReloaded = true;
         const p = document.createElement('p');
         p.id = 'added';
         p.className = 'text-[#2b8a3e]';
         document.body.append(p);",
    )
    .await;
    // Let the change stream connect before editing.
    tokio::time::sleep(Duration::from_millis(500)).await;

    example_app::edit(
        &app.join("assets/css/_tokens.scss"),
        "$accent: #5f3dc4;",
        "$accent: rgb(201, 42, 42);",
    );
    let swapped = "getComputedStyle(document.querySelector('.panel')).borderTopColor \
                   === 'rgb(201, 42, 42)'";
    shown(page, "a Sass partial edit", swapped).await;

    if tailwind {
        // A class no file used before, added to a template the CLI scans.
        example_app::edit(
            &app.join("templates/compiled.html"),
            "<p><a href=\"/\">",
            "<p class=\"text-[#2b8a3e]\"><a href=\"/\">",
        );
        let added = "getComputedStyle(document.getElementById('added')).color \
                     === 'rgb(43, 138, 62)'";
        shown(page, "a Tailwind CSS class added to a template", added).await;
    }
    assert_eq!(page.run("return window.notReloaded === true;").await, true);

    example_app::edit(
        &app.join("assets/js/sources.ts"),
        "by the build.",
        "by the build, live.",
    );
    let reloaded = "document.getElementById('panel-status').textContent.includes('live.') \
                    && window.notReloaded !== true";
    shown(page, "a TypeScript module edit", reloaded).await;
}

/// Waits up to 5 s for `condition` (a JavaScript expression) to hold in the page, and prints
/// how long it took from now.
async fn shown(page: &Page, what: &str, condition: &str) {
    let started = Instant::now();
    let script = format!("return {condition};");
    let shown = page
        .driver
        .wait_for(&page.session, &script, Duration::from_secs(5))
        .await;
    assert!(shown, "{what}: not shown within 5 s");
    eprintln!("{what} -> visible: {} ms", started.elapsed().as_millis());
}
