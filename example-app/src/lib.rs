//! The assetlock example site: one page whose stylesheet, font, images and modules are all
//! served by the app itself at content-hashed URLs compiled into the binary.

use askama::Template;
use assetlock::serve::{Fallback, PreloadLinks, ServeAssets, no_store_errors};
use assetlock::{Asset, html};
use axum::http::StatusCode;
use axum::http::header::LINK;
use axum::response::{Html, IntoResponse};
use axum::routing::get;
use axum::{Router, middleware};

assetlock::include_manifest!();

/// The home page. The template names assets with `asset_url!`/`asset_integrity!`, so a missing
/// asset is a compile error, not a broken page.
#[derive(Template)]
#[template(path = "index.html")]
struct Index {
    assets: Vec<&'static Asset>,
    build_id: &'static str,
    import_map: html::ImportMap<'static>,
    preloads: Vec<html::Tag<'static>>,
    /// A component of the ui-kit crate: its stylesheet tag and its markup, rendered by the
    /// crate's own code at the URLs this app serves.
    ui_kit_head: String,
    picker: String,
    /// The photo as `<picture>`: AVIF and WebP sources at two widths, the JPEG fallback with
    /// its size (no layout shift) and a blurred placeholder, and its preload.
    photo: String,
    photo_preload: String,
    photo_size: (u32, u32),
}

/// How wide the photo is shown: the page's column, at most 36em.
pub const PHOTO_SIZES: &str = "(min-width: 40em) 36em, 100vw";

/// The photo's size, read from the file by the build and checked at compile time.
const PHOTO_SIZE: (u32, u32) = assetlock::asset_dimensions!("img/rocket.jpg");

/// The page's entry module.
fn main_module() -> &'static Asset {
    checked(assetlock::asset_url!("js/main.js"))
}

fn photo_asset() -> &'static Asset {
    checked(assetlock::asset_url!("img/rocket.jpg"))
}

/// The page's largest image: loaded at once, with high priority.
fn photo() -> html::Picture<'static> {
    html::picture(photo_asset())
        .alt("A Falcon 9 rocket lifting off")
        .sizes(PHOTO_SIZES)
        .priority()
}

/// The preload of the variant the photo's `<picture>` picks.
fn photo_preload() -> html::ImagePreload<'static> {
    html::image_preload(photo_asset()).sizes(PHOTO_SIZES)
}

/// An asset by a name checked at compile time: `asset_url!` fails to compile for an unknown
/// name, and the URL it gives is in the manifest.
fn checked(url: &'static str) -> &'static Asset {
    MANIFEST
        .by_url(url)
        .expect("asset_url! names an asset of this build")
}

async fn index() -> impl IntoResponse {
    let page = Index {
        assets: MANIFEST.iter().collect(),
        build_id: MANIFEST.build_id(),
        // Maps every module to its hashed URL and its integrity, so that the module main.js
        // loads with import() is integrity-checked like the ones in tags.
        import_map: html::import_map(&MANIFEST),
        // Fetched in parallel with the stylesheet and the entry module instead of after them:
        // the font, and every module main.js imports statically (computed by the build). The
        // tags carry the same integrity and crossorigin as the requests that use them.
        preloads: std::iter::once(html::preload(checked(assetlock::asset_url!(
            "fonts/katex-main-regular.woff2"
        ))))
        .chain(
            MANIFEST
                .preloads(main_module())
                .iter()
                .map(|m| html::modulepreload(m)),
        )
        .collect(),
        ui_kit_head: ui_kit::head(),
        picker: ui_kit::picker("picker"),
        photo: photo().to_string(),
        photo_preload: photo_preload().to_string(),
        photo_size: PHOTO_SIZE,
    };
    match page.render() {
        // The photo's preload as a header too, for a CDN's 103 Early Hints.
        Ok(html) => ([(LINK, photo_preload().link_header())], Html(html)).into_response(),
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
    }
}

/// The page of compiled sources: a Sass stylesheet with a partial, a TypeScript module that
/// imports another, and Tailwind CSS utilities when the project's CLI is installed.
#[derive(Template)]
#[template(path = "compiled.html")]
struct CompiledPage {
    import_map: html::ImportMap<'static>,
    /// The Tailwind CSS stylesheet's tag, when the build made one (build.rs).
    tailwind: Option<String>,
}

async fn compiled() -> impl IntoResponse {
    let page = CompiledPage {
        import_map: html::import_map(&MANIFEST),
        tailwind: MANIFEST
            .get("css/tailwind.css")
            .map(|css| html::stylesheet(css).to_string()),
    };
    match page.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
    }
}

/// A page rendered at run time by minijinja: its template names assets as strings, which
/// `build.rs` checks (`Config::templates("pages")`), so a typo fails the build here too.
async fn about() -> impl IntoResponse {
    match render_about() {
        Ok(html) => Html(html).into_response(),
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
    }
}

fn render_about() -> Result<String, minijinja::Error> {
    static ENV: std::sync::OnceLock<minijinja::Environment<'static>> = std::sync::OnceLock::new();
    let env = ENV.get_or_init(|| {
        let mut env = minijinja::Environment::new();
        assetlock::minijinja::add_to(&mut env, &MANIFEST);
        env.add_template("about.html", include_str!("../pages/about.html"))
            .expect("pages/about.html parses: build.rs has read it");
        env
    });
    env.get_template("about.html")?.render(())
}

/// The whole app: the page at `/` and the assets under `/assets/`.
pub fn app() -> Router {
    app_with(None)
}

/// The app, answering for the assets of other releases from `fallback` too: what every server
/// of a fleet runs, so that a page rendered by any release finds its assets on any server
/// during a rolling deploy.
pub fn app_with(fallback: Option<Fallback>) -> Router {
    let assets = ServeAssets::new(&MANIFEST);
    let assets = match fallback {
        Some(fallback) => assets.fallback(fallback),
        None => assets,
    };
    Router::new()
        // The same module preloads as a Link header, for a CDN's 103 Early Hints.
        .route(
            "/",
            get(index).layer(PreloadLinks::new(&MANIFEST, [main_module()])),
        )
        .route("/about", get(about))
        .route("/compiled", get(compiled))
        .merge(assets.into_router())
        .layer(middleware::map_response(no_store_errors))
}
