//! A page built in live dev mode (`Config::live(true)`): its stylesheet is served from the
//! source tree, so an edit shows without a rebuild.

use assetlock::asset_url;
use assetlock::serve::ServeAssets;
use axum::Router;
use axum::response::Html;
use axum::routing::get;

assetlock::include_manifest!();

/// The page and its assets, the assets read from `dir` when given (a copy a test edits).
pub fn app(dir: Option<std::path::PathBuf>) -> Router {
    let mut assets = ServeAssets::new(&MANIFEST);
    if let Some(dir) = dir {
        assets = assets.live_dir(dir);
    }
    Router::new()
        .route("/", get(page))
        .merge(assets.into_router())
}

async fn page() -> Html<String> {
    Html(format!(
        "<!doctype html><html><head><title>live</title>{}{}</head><body>live</body></html>",
        assetlock::html::stylesheet(MANIFEST.get("css/site.css").unwrap()),
        MANIFEST.live_script().unwrap_or_default(),
    ))
}

/// The stylesheet's URL: its logical path in a live build.
pub const STYLESHEET: &str = asset_url!("css/site.css");
