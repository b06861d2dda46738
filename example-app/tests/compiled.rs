//! The page of compiled sources (`/compiled`): a TypeScript module and a Sass stylesheet with a
//! partial, compiled by the build; Tailwind CSS utilities when the project's CLI is installed
//! (`npm install` in example-app, as CI does). Over HTTP, then in headless Chromium.

mod support;

use assetlock_test_support::tools;
use assetlock_test_support::webdriver::{self, Page};
use example_app::MANIFEST;

/// Whether the build made the Tailwind CSS stylesheet: in strict mode (CI) it must have.
fn tailwind_built() -> bool {
    let built = MANIFEST.get("css/tailwind.css").is_some();
    tools::available(
        "the example app's Tailwind CSS CLI",
        built,
        "npm install in example-app, then build again",
    )
}

#[tokio::test]
async fn typescript_and_sass_are_served_compiled_at_hashed_urls() {
    let addr = support::start().await;
    let ts = MANIFEST.get("js/panel.ts").unwrap();
    assert!(ts.url().starts_with("/assets/js/panel.") && ts.url().ends_with(".js"));
    let response = reqwest::get(format!("http://{addr}{}", ts.url()))
        .await
        .unwrap();
    assert_eq!(
        response.headers()["content-type"],
        "text/javascript; charset=utf-8"
    );
    let js = response.text().await.unwrap();
    let sources = MANIFEST.get("js/sources.ts").unwrap();
    let file = sources.url().rsplit('/').next().unwrap();
    assert!(js.contains(&format!("from \"./{file}\"")), "{js}");
    assert!(!js.contains("Compiled[]"), "types left in: {js}");

    let scss = MANIFEST.get("css/panel.scss").unwrap();
    assert!(scss.url().ends_with(".css"));
    let css = reqwest::get(format!("http://{addr}{}", scss.url()))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    // The partial's tokens, compiled in; the partial itself is no asset.
    assert!(css.contains("#5f3dc4") && css.contains("1.5rem"), "{css}");
    assert!(MANIFEST.get("css/_tokens.scss").is_none());
}

#[tokio::test]
async fn the_page_runs_its_typescript_and_shows_its_sass_and_tailwind_styles_in_chromium() {
    if !webdriver::available() {
        return;
    }
    let tailwind = tailwind_built();
    let addr = support::start().await;
    let page = Page::open(
        &format!("http://{addr}/compiled"),
        "return document.body.dataset.panelRan === 'yes';",
        "the TypeScript module did not run",
    )
    .await;
    let report = page
        .run(
            r#"const panel = getComputedStyle(document.querySelector('.panel'));
               const tw = getComputedStyle(document.getElementById('tailwind'));
               return {
                 status: document.getElementById('panel-status').textContent,
                 border: panel.borderTopColor,
                 padding: panel.paddingTop,
                 twColor: tw.color,
                 twBackground: tw.backgroundColor,
                 failed: performance.getEntriesByType('resource')
                   .filter(r => r.responseStatus !== 200).map(r => r.name),
               };"#,
        )
        .await;
    assert_eq!(
        report["status"],
        "panel.ts was compiled from TypeScript by the build. \
         panel.scss was compiled from Sass by the build.",
        "{report:#}"
    );
    assert_eq!(report["border"], "rgb(95, 61, 196)", "{report:#}");
    assert_eq!(report["padding"], "24px", "{report:#}");
    assert_eq!(report["failed"], serde_json::json!([]), "{report:#}");
    if tailwind {
        // text-[#1864ab] and bg-[#e7f5ff]: arbitrary values the CLI found in the template.
        assert_eq!(report["twColor"], "rgb(24, 100, 171)", "{report:#}");
        assert_eq!(report["twBackground"], "rgb(231, 245, 255)", "{report:#}");
    }
    let errors = page.errors().await;
    assert!(errors.is_empty(), "{errors:#?}");
    page.close().await;
}
