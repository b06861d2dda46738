//! Live dev mode over real HTTP: logical URLs, current bytes, revalidation, the change stream.

mod support;

use std::time::Duration;

use assetlock::serve::ServeAssets;
use support::Live;

#[test]
fn urls_are_logical_paths_without_integrity_in_a_live_build() {
    assert_eq!(fixture_live::STYLESHEET, "/assets/css/site.css");
    assert!(fixture_live::MANIFEST.is_live());
    let css = fixture_live::MANIFEST.get("css/site.css").unwrap();
    assert_eq!(css.integrity(), "");
    let tag = assetlock::html::stylesheet(css).to_string();
    assert!(!tag.contains("integrity"), "{tag}");
}

#[tokio::test]
async fn an_edit_is_served_on_the_next_request_with_a_new_etag() {
    let live = Live::start().await;
    let client = reqwest::Client::new();
    let url = live.url("/assets/css/colors.css");
    let first = client.get(&url).send().await.unwrap();
    assert_eq!(first.status(), 200);
    assert_eq!(first.headers()["cache-control"], "no-cache");
    let etag = first.headers()["etag"].clone();
    assert!(first.text().await.unwrap().contains("rgb(1, 2, 3)"));

    let unchanged = client
        .get(&url)
        .header("if-none-match", etag.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(unchanged.status(), 304);

    std::fs::write(
        live.file("css/colors.css"),
        "body { color: rgb(9, 8, 7); }\n",
    )
    .unwrap();
    let edited = client
        .get(&url)
        .header("if-none-match", etag.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(edited.status(), 200);
    assert_ne!(edited.headers()["etag"], etag);
    assert!(edited.text().await.unwrap().contains("rgb(9, 8, 7)"));
}

#[tokio::test]
async fn relative_references_between_assets_resolve_to_served_files() {
    let live = Live::start().await;
    let css = reqwest::get(live.url("/assets/css/site.css"))
        .await
        .unwrap();
    let text = css.text().await.unwrap();
    assert!(
        text.contains("url(../img/dot.svg)"),
        "not rewritten: {text}"
    );
    let svg = reqwest::get(live.url("/assets/img/dot.svg")).await.unwrap();
    assert_eq!(svg.status(), 200);
    assert_eq!(svg.headers()["content-type"], "image/svg+xml");
}

#[tokio::test]
async fn only_files_the_build_knew_are_served() {
    let live = Live::start().await;
    std::fs::write(live.file("css/new.css"), "a{}").unwrap();
    for path in [
        "/assets/css/new.css",
        "/assets/../Cargo.toml",
        "/assets/css/..%2f..%2fCargo.toml",
        "/assets/%2e%2e/build.rs",
    ] {
        let response = reqwest::get(live.url(path)).await.unwrap();
        assert_eq!(response.status(), 404, "{path}");
    }
}

#[tokio::test]
async fn the_change_stream_names_an_edited_asset() {
    let live = Live::start().await;
    let mut events = reqwest::get(live.url("/assets/__assetlock/events"))
        .await
        .unwrap();
    assert_eq!(events.headers()["content-type"], "text/event-stream");
    // The opening comment: the watcher has its first snapshot.
    let first = events.chunk().await.unwrap().unwrap();
    assert!(String::from_utf8_lossy(&first).starts_with(':'));
    std::fs::write(live.file("css/colors.css"), "body { color: red; }\n").unwrap();
    let chunk = tokio::time::timeout(Duration::from_secs(2), events.chunk())
        .await
        .expect("no event within 2 s")
        .unwrap()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&chunk),
        "data: /assets/css/colors.css\n\n"
    );
}

#[tokio::test]
async fn the_client_script_is_served_and_named_by_the_page() {
    let live = Live::start().await;
    let page = reqwest::get(live.url("/"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains(r#"<script src="/assets/__assetlock/live.js"></script>"#));
    let js = reqwest::get(live.url("/assets/__assetlock/live.js"))
        .await
        .unwrap();
    assert_eq!(js.status(), 200);
    assert!(js.text().await.unwrap().contains("EventSource"));
}

#[tokio::test]
async fn the_change_stream_flows_through_actix_web_too() {
    let dir = support::copy_of_assets();
    let addr = assetlock_test_support::actix_server(
        ServeAssets::new(&fixture_live::MANIFEST).live_dir(dir.path()),
    );
    // A server that waited for the end of the stream would never answer.
    let url = format!("http://{addr}/assets/__assetlock/events");
    let mut events = tokio::time::timeout(Duration::from_secs(5), reqwest::get(url))
        .await
        .expect("no answer within 5 s")
        .unwrap();
    assert_eq!(events.headers()["content-type"], "text/event-stream");
    let first = tokio::time::timeout(Duration::from_secs(5), events.chunk())
        .await
        .expect("the stream did not open within 5 s")
        .unwrap()
        .unwrap();
    assert!(String::from_utf8_lossy(&first).starts_with(':'));
    std::fs::write(dir.path().join("css/site.css"), "body { color: red; }\n").unwrap();
    let chunk = tokio::time::timeout(Duration::from_secs(2), events.chunk())
        .await
        .expect("no event within 2 s")
        .unwrap()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&chunk),
        "data: /assets/css/site.css\n\n"
    );
    let css = reqwest::get(format!("http://{addr}/assets/css/site.css"))
        .await
        .unwrap();
    assert_eq!(css.headers()["cache-control"], "no-cache");
    assert_eq!(css.text().await.unwrap(), "body { color: red; }\n");
}
