//! Live dev mode in headless Chromium: an edit to the stylesheet on disk changes the page's
//! computed style within a second, without a server restart and without a page reload.
//!
//! Edits a temporary copy of the assets. Needs Debian's `chromium` and `chromium-driver`;
//! skips with a message when they are absent.

mod support;
#[path = "../../support/webdriver.rs"]
mod webdriver;

use std::time::{Duration, Instant};

use support::Live;
use webdriver::Driver;

#[tokio::test]
async fn a_stylesheet_edit_is_swapped_into_the_open_page_within_a_second() {
    if !webdriver::available() {
        return;
    }
    let live = Live::start().await;
    let driver = Driver::start().await;
    let profile = tempfile::tempdir().unwrap();
    let session = driver.new_session(profile.path()).await;
    driver.open(&session, &live.url("/")).await;
    let color = "return getComputedStyle(document.body).color;";
    assert!(
        driver
            .wait_for(
                &session,
                "return getComputedStyle(document.body).color === 'rgb(1, 2, 3)';",
                Duration::from_secs(10)
            )
            .await,
        "the page did not load its stylesheet: {}",
        driver.run(&session, color).await
    );
    // A page reload would drop this mark; an in-place swap keeps it.
    driver.run(&session, "window.notReloaded = true;").await;
    // Let the change stream connect before editing.
    tokio::time::sleep(Duration::from_millis(300)).await;

    let css = std::fs::read_to_string(live.file("css/site.css")).unwrap();
    let edited = format!("{css}\nbody {{ color: rgb(200, 0, 0); }}\n");
    let start = Instant::now();
    std::fs::write(live.file("css/site.css"), edited).unwrap();
    let shown = driver
        .wait_for(
            &session,
            "return getComputedStyle(document.body).color === 'rgb(200, 0, 0)';",
            Duration::from_secs(1),
        )
        .await;
    let elapsed = start.elapsed();
    assert!(
        shown,
        "the edit did not show within 1 s: {}",
        driver.run(&session, color).await
    );
    eprintln!("edit -> visible: {} ms", elapsed.as_millis());
    assert_eq!(
        driver
            .run(&session, "return window.notReloaded === true;")
            .await,
        serde_json::Value::Bool(true),
        "the page reloaded instead of swapping the stylesheet"
    );
    driver.end(&session).await;
}
