//! Live dev mode with sources the build compiles: TypeScript and Sass are compiled on request
//! by the build script, and an edit to a module or a partial shows on the next request.

mod support;

use std::time::Duration;

use support::Live;

async fn get(live: &Live, path: &str) -> (reqwest::StatusCode, reqwest::header::HeaderMap, String) {
    let response = reqwest::get(live.url(path)).await.unwrap();
    let (status, headers) = (response.status(), response.headers().clone());
    (status, headers, response.text().await.unwrap())
}

#[test]
fn compiled_sources_keep_their_logical_urls_in_a_live_build() {
    assert!(fixture_live::MANIFEST.is_live());
    let ts = fixture_live::MANIFEST.get("js/app.ts").unwrap();
    assert_eq!(ts.url(), "/assets/js/app.ts");
    assert_eq!(ts.content_type(), "text/javascript; charset=utf-8");
    let scss = fixture_live::MANIFEST.get("css/theme.scss").unwrap();
    assert_eq!(scss.url(), "/assets/css/theme.scss");
    assert!(fixture_live::MANIFEST.get("css/_spacing.scss").is_none());
}

#[tokio::test]
async fn a_typescript_module_is_served_as_javascript_with_its_imports_at_live_urls() {
    let live = Live::start().await;
    let (status, headers, js) = get(&live, "/assets/js/app.ts").await;
    assert_eq!(status, 200, "{js}");
    assert_eq!(headers["content-type"], "text/javascript; charset=utf-8");
    assert_eq!(headers["cache-control"], "no-cache");
    assert!(!js.contains(": number"), "types left: {js}");
    assert!(
        js.contains("from \"./util.ts\""),
        "import not rewritten: {js}"
    );
    assert!(
        js.contains("//# sourceMappingURL=data:application/json;base64,"),
        "no inline map: {js}"
    );
    let (status, _, util) = get(&live, "/assets/js/util.ts").await;
    assert_eq!(status, 200);
    assert!(util.contains("function twice(n)"), "{util}");
}

#[tokio::test]
async fn an_edit_to_a_module_is_compiled_on_the_next_request() {
    let live = Live::start().await;
    let client = reqwest::Client::new();
    let url = live.url("/assets/js/util.ts");
    let first = client.get(&url).send().await.unwrap();
    let etag = first.headers()["etag"].clone();
    assert!(first.text().await.unwrap().contains("n * 2"));
    let again = client.get(&url).header("if-none-match", etag.clone());
    assert_eq!(again.send().await.unwrap().status(), 304);

    std::fs::write(
        live.file("js/util.ts"),
        "export function twice(n: number): number {\n  return n + n;\n}\n",
    )
    .unwrap();
    let edited = client.get(&url).header("if-none-match", etag.clone());
    let edited = edited.send().await.unwrap();
    assert_eq!(edited.status(), 200);
    assert_ne!(edited.headers()["etag"], etag);
    assert!(edited.text().await.unwrap().contains("n + n"));
}

#[tokio::test]
async fn a_syntax_error_is_a_module_that_throws_it_with_its_position() {
    let live = Live::start().await;
    std::fs::write(live.file("js/util.ts"), "export const x: = 1;\n").unwrap();
    let (status, headers, js) = get(&live, "/assets/js/util.ts").await;
    assert_eq!(status, 200);
    assert_eq!(headers["content-type"], "text/javascript; charset=utf-8");
    assert!(
        js.starts_with("throw new Error(\"assetlock live: cannot compile"),
        "{js}"
    );
    assert!(js.contains("js/util.ts:1:"), "{js}");
}

#[tokio::test]
async fn a_sass_entry_is_served_as_css_and_an_edited_partial_is_announced_and_shown() {
    let live = Live::start().await;
    let (status, headers, css) = get(&live, "/assets/css/theme.scss").await;
    assert_eq!(status, 200, "{css}");
    assert_eq!(headers["content-type"], "text/css; charset=utf-8");
    assert!(css.contains("padding: 4px"), "{css}");
    // The partial is an input, never an asset of its own.
    let (status, _, _) = get(&live, "/assets/css/_spacing.scss").await;
    assert_eq!(status, 404);

    let mut events = reqwest::get(live.url("/assets/__assetlock/events"))
        .await
        .unwrap();
    let first = events.chunk().await.unwrap().unwrap();
    assert!(String::from_utf8_lossy(&first).starts_with(':'));
    std::fs::write(
        live.file("css/_spacing.scss"),
        "@mixin pad($n) {\n  padding: $n * 3;\n}\n",
    )
    .unwrap();
    let chunk = tokio::time::timeout(Duration::from_secs(2), events.chunk())
        .await
        .expect("no event within 2 s")
        .unwrap()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&chunk),
        "data: /assets/css/theme.scss\n\n"
    );
    let (_, _, css) = get(&live, "/assets/css/theme.scss").await;
    assert!(css.contains("padding: 12px"), "{css}");
}

#[tokio::test]
async fn a_sass_error_is_a_stylesheet_that_shows_it_over_the_page() {
    let live = Live::start().await;
    std::fs::write(
        live.file("css/_spacing.scss"),
        "@mixin pad($n) {\n  padding: $n\n",
    )
    .unwrap();
    let (status, headers, css) = get(&live, "/assets/css/theme.scss").await;
    assert_eq!(status, 200);
    assert_eq!(headers["content-type"], "text/css; charset=utf-8");
    assert!(
        css.starts_with("html::before { content: \"assetlock live: cannot compile"),
        "{css}"
    );
    assert!(css.contains("_spacing.scss:"), "{css}");
}
