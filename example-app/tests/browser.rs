//! The example app in headless Chromium, driven over WebDriver (chromedriver): no failed
//! request, no integrity or other console error, the web font loaded, the ES modules ran.
//! Saves a screenshot to `target/example-app.png`.
//!
//! Needs Debian's `chromium` and `chromium-driver` (CI installs them); skips with a message
//! when they are absent.

mod support;

use std::path::{Path, PathBuf};

use assetlock_test_support::webdriver::{self, Page};
use serde_json::Value;

fn screenshot_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .join("target/example-app.png")
}

#[tokio::test]
async fn page_loads_cleanly_in_headless_chromium() {
    if !webdriver::available() {
        return;
    }
    let addr = support::start().await;
    // Both modules ran: main.js sets data-module-ran, its dynamic import sets data-lazy-loaded.
    let page = Page::open(
        &format!("http://{addr}/"),
        "return document.body.dataset.lazyLoaded === 'yes';",
        "the page's modules did not finish",
    )
    .await;

    let report = page
        .run_async(
            r#"const done = arguments[arguments.length - 1];
               document.fonts.ready.then(() => done({
                 fontLoaded: [...document.fonts].some(f => f.family.includes('KaTeX Main') && f.status === 'loaded'),
                 fontCheck: document.fonts.check('16px "KaTeX Main"'),
                 bodyFont: getComputedStyle(document.body).fontFamily,
                 moduleRan: document.body.dataset.moduleRan,
                 uiKitMounted: document.getElementById('picker').dataset.uiKit,
                 uiKitBorder: getComputedStyle(document.getElementById('picker')).borderTopStyle,
                 uiKitFont: [...document.fonts].some(f => f.family.includes('UI Kit') && f.status === 'loaded'),
                 uiKitIntegrity: [...document.querySelectorAll('link[rel="stylesheet"][href*="/_/ui-kit/"]')].map(l => l.integrity),
                 status: document.getElementById('status').textContent,
                 moduleLogo: document.getElementById('module-logo').complete && document.getElementById('module-logo').naturalWidth > 0,
                 resources: performance.getEntriesByType('resource').map(r => ({ name: r.name, status: r.responseStatus })),
               }));"#,
        )
        .await;
    assert_eq!(report["fontLoaded"], true, "{report:#}");
    assert_eq!(report["fontCheck"], true, "{report:#}");
    assert!(
        report["bodyFont"].as_str().unwrap().contains("KaTeX Main"),
        "{report:#}"
    );
    assert_eq!(report["moduleRan"], "yes", "{report:#}");
    // The ui-kit crate's stylesheet (with its integrity), module and font, served by the app.
    let ui_kit = example_app::MANIFEST
        .get("_/ui-kit/css/picker.css")
        .unwrap();
    assert_eq!(
        report["uiKitIntegrity"],
        serde_json::json!([ui_kit.integrity()]),
        "{report:#}"
    );
    assert_eq!(report["uiKitMounted"], "mounted", "{report:#}");
    assert_eq!(report["uiKitBorder"], "dashed", "{report:#}");
    assert_eq!(report["uiKitFont"], true, "{report:#}");
    assert!(
        report["status"]
            .as_str()
            .unwrap()
            .contains("dynamic import() loaded"),
        "{report:#}"
    );
    assert_eq!(report["moduleLogo"], true, "{report:#}");

    let resources = report["resources"].as_array().unwrap();
    for expected in [
        "css/site.",
        "css/theme.",
        "fonts/katex-main-regular.",
        "img/grid.",
        "img/logo.",
        "js/main.",
        "js/greet.",
        "js/lazy.",
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
    // Preloaded by the Link header and the modulepreload tag, used by the module script and
    // the import: each module is fetched once, as the integrity and crossorigin all agree.
    for module in ["js/main.", "js/greet.", "js/lazy."] {
        let fetches = resources
            .iter()
            .filter(|r| r["name"].as_str().unwrap().contains(module))
            .count();
        assert_eq!(
            fetches, 1,
            "{module} fetched {fetches} times: {resources:#?}"
        );
    }

    let entries = page.console().await;
    let errors: Vec<&Value> = entries.iter().filter(|e| e["level"] == "SEVERE").collect();
    assert!(errors.is_empty(), "console errors: {errors:#?}");

    let png = page
        .driver
        .call(
            reqwest::Method::GET,
            &format!("/session/{}/screenshot", page.session),
            None,
        )
        .await;
    let png = base64_decode(png.as_str().unwrap());
    assert!(png.starts_with(b"\x89PNG"));
    std::fs::create_dir_all(screenshot_path().parent().unwrap()).unwrap();
    std::fs::write(screenshot_path(), png).unwrap();
    eprintln!("screenshot: {}", screenshot_path().display());

    page.close().await;
}

fn base64_decode(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut buffer, mut bits) = (0u32, 0);
    for c in text
        .bytes()
        .filter(|&c| c != b'=' && !c.is_ascii_whitespace())
    {
        let value = ALPHABET.iter().position(|&a| a == c).expect("base64") as u32;
        buffer = (buffer << 6) | value;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
        }
    }
    out
}
