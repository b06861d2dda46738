//! The import map's integrity in headless Chromium: a module loaded with `import()` whose bytes
//! differ by one from the build's is refused by the browser, and the page says so.
//!
//! Needs Debian's `chromium` and `chromium-driver` (CI installs them); skips with a message
//! when they are absent.

use std::net::SocketAddr;

use assetlock_test_support::webdriver::{self, Page};
use axum::body::Body;
use axum::extract::Request;
use axum::http::{StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use example_app::MANIFEST;

/// Answers for `js/lazy.js` with its bytes, one of them changed: what a tampered CDN or a
/// corrupted cache would serve.
async fn tamper(request: Request, next: Next) -> Response {
    let lazy = MANIFEST.get("js/lazy.js").unwrap();
    if request.uri().path() != lazy.url() {
        return next.run(request).await;
    }
    let mut bytes = lazy.bytes().unwrap().to_vec();
    let last = bytes.iter().rposition(|b| b.is_ascii_alphabetic()).unwrap();
    bytes[last] = if bytes[last] == b'x' { b'y' } else { b'x' };
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, lazy.content_type()),
            (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"),
        ],
        Body::from(bytes),
    )
        .into_response()
}

async fn start_tampered() -> SocketAddr {
    let app = example_app::app().layer(middleware::from_fn(tamper));
    assetlock_test_support::loopback::serve(app).await
}

#[tokio::test]
async fn a_dynamically_imported_module_with_a_changed_byte_is_refused() {
    if !webdriver::available() {
        return;
    }
    let addr = start_tampered().await;
    let page = Page::open(
        &format!("http://{addr}/"),
        "return document.body.dataset.lazyLoaded !== undefined;",
        "the page's module did not settle",
    )
    .await;
    let report = page
        .run(
            "return { lazy: document.body.dataset.lazyLoaded, moduleRan: document.body.dataset.moduleRan, \
             status: document.getElementById('status').textContent };",
        )
        .await;
    assert_eq!(report["moduleRan"], "yes", "{report:#}");
    assert_eq!(report["lazy"], "failed", "{report:#}");
    assert!(
        report["status"]
            .as_str()
            .unwrap()
            .contains("The lazy module was refused"),
        "{report:#}"
    );
    let console = page.console().await;
    assert!(
        console.iter().any(|e| e["message"]
            .as_str()
            .is_some_and(|m| m.to_lowercase().contains("integrity"))),
        "no integrity error in the console: {console:#?}"
    );
    page.close().await;
}
