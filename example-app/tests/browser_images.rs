//! The photo in headless Chromium: the browser picks the AVIF source at the width the page
//! needs, the `<img>` has its size before the bytes arrive (so nothing moves when they do), and
//! its placeholder shows meanwhile.
//!
//! Needs Debian's `chromium` and `chromium-driver` (CI installs them); skips with a message
//! when they are absent.

mod support;

use std::time::Duration;

use assetlock_test_support::webdriver::{self, Driver, Page};
use serde_json::json;

const PHOTO: &str = "document.querySelector('#photo img')";

#[tokio::test]
async fn the_browser_picks_the_avif_variant_and_nothing_shifts() {
    if !webdriver::available() {
        return;
    }
    let addr = support::start().await;
    let ready = format!("return {PHOTO}.complete && {PHOTO}.naturalWidth > 0;");
    let page = Page::open(&format!("http://{addr}/"), &ready, "the photo did not load").await;
    let report = page
        .run_async(&format!(
            r#"const done = arguments[arguments.length - 1];
               let shift = 0;
               const moved = [];
               new PerformanceObserver(list => {{
                 for (const entry of list.getEntries()) if (!entry.hadRecentInput) {{
                   shift += entry.value;
                   for (const source of entry.sources) moved.push(source.node
                     ? (source.node.id || source.node.nodeName) + ' ' + JSON.stringify(source.previousRect) + ' -> ' + JSON.stringify(source.currentRect)
                     : 'a removed node');
                 }}
               }}).observe({{ type: 'layout-shift', buffered: true }});
               const img = {PHOTO};
               setTimeout(() => done({{
                 currentSrc: img.currentSrc,
                 sources: [...document.querySelectorAll('#photo source')].map(s => s.type),
                 width: img.getAttribute('width'),
                 height: img.getAttribute('height'),
                 natural: [img.naturalWidth, img.naturalHeight],
                 shift,
                 moved,
                 preloaded: [...document.querySelectorAll('link[rel=preload][as=image]')].map(l => l.type),
                 failed: performance.getEntriesByType('resource')
                   .filter(r => r.responseStatus >= 400).map(r => r.name),
               }}), 500);"#
        ))
        .await;
    let current = report["currentSrc"].as_str().unwrap();
    assert!(current.contains("/assets/img/rocket.jpg@"), "{report:#}");
    assert!(
        current.ends_with(".avif"),
        "the browser took {current}: {report:#}"
    );
    assert_eq!(
        report["sources"],
        json!(["image/avif", "image/webp"]),
        "{report:#}"
    );
    assert_eq!(
        (&report["width"], &report["height"]),
        (&json!("640"), &json!("427"))
    );
    // A variant with the photo's aspect ratio.
    let natural = &report["natural"];
    let (w, h) = (natural[0].as_f64().unwrap(), natural[1].as_f64().unwrap());
    assert!((w / h - 640.0 / 427.0).abs() < 0.01, "{report:#}");
    assert_eq!(report["shift"], json!(0), "layout shifted: {report:#}");
    assert_eq!(report["preloaded"], json!(["image/avif"]), "{report:#}");
    assert_eq!(report["failed"], json!([]), "{report:#}");
    assert_eq!(page.errors().await, Vec::<serde_json::Value>::new());
    page.close().await;
}

#[tokio::test]
async fn the_photo_has_its_size_and_placeholder_before_its_bytes_arrive() {
    if !webdriver::available() {
        return;
    }
    let addr = support::start().await;
    let driver = Driver::start().await;
    let profile = tempfile::tempdir().unwrap();
    let session = driver.new_session(profile.path()).await;
    // The photo's bytes never arrive: every variant and the JPEG are blocked.
    driver.cdp(&session, "Network.enable", json!({})).await;
    let blocked = json!({ "urls": ["*rocket.jpg*"] });
    driver
        .cdp(&session, "Network.setBlockedURLs", blocked)
        .await;
    driver.open(&session, &format!("http://{addr}/")).await;
    let loaded = "return document.readyState === 'complete';";
    assert!(
        driver
            .wait_for(&session, loaded, Duration::from_secs(20))
            .await
    );
    let report = driver
        .run(
            &session,
            &format!(
                r#"const img = {PHOTO};
                   const box = img.getBoundingClientRect();
                   return {{
                     loaded: img.naturalWidth,
                     width: box.width,
                     height: box.height,
                     background: getComputedStyle(img).backgroundImage.slice(0, 40),
                   }};"#
            ),
        )
        .await;
    driver.end(&session).await;
    assert_eq!(
        report["loaded"],
        json!(0),
        "the photo was not blocked: {report:#}"
    );
    let (width, height) = (
        report["width"].as_f64().unwrap(),
        report["height"].as_f64().unwrap(),
    );
    assert!(width > 100.0, "{report:#}");
    assert!(
        (height - width * 427.0 / 640.0).abs() < 1.0,
        "no intrinsic size: {report:#}"
    );
    let background = report["background"].as_str().unwrap();
    assert!(
        background.starts_with("url(\"data:image/svg+xml"),
        "{report:#}"
    );
}
