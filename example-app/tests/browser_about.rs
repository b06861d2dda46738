//! The minijinja-rendered page (`/about`) in headless Chromium: its tags come from the
//! template functions, and the page loads as cleanly as the askama one: every request 200,
//! integrity holds, the modules run, no console error.
//!
//! Needs Debian's `chromium` and `chromium-driver` (CI installs them); skips with a message
//! when they are absent.

mod support;

use assetlock_test_support::webdriver::{self, Page};
use serde_json::Value;

#[tokio::test]
async fn the_minijinja_page_loads_cleanly_in_headless_chromium() {
    if !webdriver::available() {
        return;
    }
    let addr = support::start().await;
    let page = Page::open(
        &format!("http://{addr}/about"),
        "return document.body.dataset.lazyLoaded === 'yes';",
        "the page's modules did not finish",
    )
    .await;
    let report = page
        .run_async(
            r#"const done = arguments[arguments.length - 1];
               document.fonts.ready.then(() => done({
                 fontLoaded: [...document.fonts].some(f => f.family.includes('KaTeX Main') && f.status === 'loaded'),
                 integrity: [...document.querySelectorAll('link[rel=stylesheet], script[type=module], link[rel=modulepreload]')]
                   .map(e => e.integrity),
                 resources: performance.getEntriesByType('resource').map(r => ({ name: r.name, status: r.responseStatus })),
               }));"#,
        )
        .await;
    assert_eq!(report["fontLoaded"], true, "{report:#}");
    let integrity = report["integrity"].as_array().unwrap();
    assert_eq!(integrity.len(), 3, "{report:#}");
    assert!(
        integrity
            .iter()
            .all(|i| i.as_str().unwrap().starts_with("sha256-")),
        "{report:#}"
    );
    let resources = report["resources"].as_array().unwrap();
    for expected in [
        "css/site.",
        "fonts/katex-main-regular.",
        "js/main.",
        "js/greet.",
    ] {
        assert!(
            resources
                .iter()
                .any(|r| r["name"].as_str().unwrap().contains(expected)),
            "{expected} was not requested: {resources:#?}"
        );
    }
    for resource in resources {
        assert_eq!(resource["status"], 200, "failed request: {resource}");
    }
    let entries = page.console().await;
    let errors: Vec<&Value> = entries.iter().filter(|e| e["level"] == "SEVERE").collect();
    assert!(errors.is_empty(), "console errors: {errors:#?}");
    page.close().await;
}
