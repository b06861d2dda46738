//! The page and every asset it names, over real HTTP.

mod support;

use example_app::MANIFEST;

/// Every `/assets/...` URL in a page's attributes, each candidate of a `srcset` apart (the
/// import map's keys are module names, not URLs to fetch).
fn asset_urls(html: &str) -> Vec<String> {
    let start = html.find(r#"<script type="importmap">"#).unwrap();
    let end = start + html[start..].find("</script>").unwrap();
    let html = format!("{}{}", &html[..start], &html[end..]);
    html.match_indices("\"/assets/")
        .flat_map(|(i, _)| {
            let rest = &html[i + 1..];
            let value = &rest[..rest.find('"').unwrap()];
            // `url 320w, url 640w`: the URL of each candidate.
            value
                .split(", ")
                .filter_map(|candidate| candidate.split_whitespace().next())
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .collect()
}

#[tokio::test]
async fn every_asset_url_of_the_page_returns_the_manifest_bytes() {
    let addr = support::start().await;
    let html = reqwest::get(format!("http://{addr}/"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let urls = asset_urls(&html);
    for logical in [
        "css/site.css",
        "js/main.js",
        "img/logo.svg",
        "img/rocket.jpg",
        "img/rocket.jpg@320w.avif",
        "img/rocket.jpg@640w.webp",
        "img/rocket.jpg@320w.jpg",
    ] {
        let url = MANIFEST.get(logical).unwrap().url();
        assert!(
            urls.iter().any(|u| u == url),
            "{logical} ({url}) not in the page"
        );
    }
    for url in &urls {
        let asset = MANIFEST
            .by_url(url)
            .unwrap_or_else(|| panic!("{url} is not in the manifest"));
        let response = reqwest::get(format!("http://{addr}{url}")).await.unwrap();
        assert_eq!(response.status(), 200, "{url}");
        assert_eq!(
            response.headers()["content-type"].to_str().unwrap(),
            asset.content_type()
        );
        assert_eq!(
            &response.bytes().await.unwrap()[..],
            asset.bytes().unwrap(),
            "{url}"
        );
    }
}

#[tokio::test]
async fn integrity_attributes_match_the_served_bytes() {
    let addr = support::start().await;
    let html = reqwest::get(format!("http://{addr}/"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for logical in ["css/site.css", "js/main.js"] {
        let asset = MANIFEST.get(logical).unwrap();
        let attribute = format!("integrity=\"{}\"", asset.integrity());
        assert!(html.contains(&attribute), "{logical}: {attribute} missing");
    }
}

#[tokio::test]
async fn stylesheet_references_point_at_served_hashed_files() {
    let addr = support::start().await;
    let css = MANIFEST.get("css/site.css").unwrap();
    let text = String::from_utf8(css.bytes().unwrap().to_vec()).unwrap();
    for logical in [
        "fonts/katex-main-regular.woff2",
        "img/grid.svg",
        "css/theme.css",
    ] {
        let target = MANIFEST.get(logical).unwrap();
        let name = target.hashed_path().rsplit('/').next().unwrap();
        assert!(text.contains(name), "site.css does not reference {name}");
        let response = reqwest::get(format!("http://{addr}{}", target.url()))
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{logical}");
    }
}

#[tokio::test]
async fn misses_anywhere_in_the_app_are_never_cached() {
    let addr = support::start().await;
    let client = reqwest::Client::new();
    let page = client.get(format!("http://{addr}/")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert_eq!(
        page.headers().get("cache-control"),
        None,
        "the page is not an error"
    );
    for (method, path, status) in [
        (reqwest::Method::GET, "/favicon.png", 404),
        (reqwest::Method::GET, "/no/such/page", 404),
        (reqwest::Method::GET, "/assets/favicon.ico", 404),
        (
            reqwest::Method::GET,
            "/assets/css/site.0000000000000000.css",
            404,
        ),
        (reqwest::Method::POST, "/", 405),
    ] {
        let response = client
            .request(method.clone(), format!("http://{addr}{path}"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), status, "{method} {path}");
        assert_eq!(
            response
                .headers()
                .get("cache-control")
                .map(|v| v.to_str().unwrap()),
            Some("no-store"),
            "{method} {path}"
        );
    }
}

#[tokio::test]
async fn public_files_are_served_at_the_root_and_revalidated() {
    let addr = support::start().await;
    let client = reqwest::Client::new();
    for (path, content_type) in [
        ("/favicon.ico", "image/x-icon"),
        ("/robots.txt", "text/plain; charset=utf-8"),
    ] {
        let asset = MANIFEST.by_url(path).unwrap();
        assert!(asset.is_public());
        assert_eq!(asset.url(), path);
        let response = client
            .get(format!("http://{addr}{path}"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{path}");
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .map(|v| v.to_str().unwrap().to_owned())
        };
        assert_eq!(
            header("cache-control").as_deref(),
            Some("no-cache"),
            "{path}"
        );
        assert_eq!(
            header("content-type").as_deref(),
            Some(content_type),
            "{path}"
        );
        let etag = header("etag").unwrap();
        assert!(etag.starts_with('"'), "strong ETag: {etag}");
        let body = response.bytes().await.unwrap();
        assert_eq!(&body[..], asset.bytes().unwrap(), "{path}");

        let again = client
            .get(format!("http://{addr}{path}"))
            .header("if-none-match", &etag)
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), 304, "{path}");
        assert_eq!(
            again.headers().get("cache-control").unwrap(),
            "no-cache",
            "{path}"
        );
    }
}

#[tokio::test]
async fn the_page_has_the_import_map_and_preloads_its_module_graph_in_tags_and_header() {
    let addr = support::start().await;
    let response = reqwest::get(format!("http://{addr}/")).await.unwrap();
    let main = MANIFEST.get("js/main.js").unwrap();
    let greet = MANIFEST.get("js/greet.js").unwrap();
    let lazy = MANIFEST.get("js/lazy.js").unwrap();
    let picker = MANIFEST.get("_/ui-kit/js/picker.js").unwrap();
    // main.js imports greet.js and ui-kit's picker.js statically and lazy.js with import():
    // only the static ones are preloaded.
    assert_eq!(
        MANIFEST
            .preloads(main)
            .iter()
            .map(|a| a.logical_path())
            .collect::<Vec<_>>(),
        ["js/greet.js", "_/ui-kit/js/picker.js"]
    );
    let links: Vec<String> = (response.headers().get_all("link").iter())
        .map(|v| v.to_str().unwrap().to_owned())
        .collect();
    // The photo's preload, with the srcset and sizes of its most preferred format, then the
    // modules'.
    let photo = assetlock::html::image_preload(MANIFEST.get("img/rocket.jpg").unwrap())
        .sizes(example_app::PHOTO_SIZES)
        .link_header();
    assert!(photo.contains("rel=preload; as=image; imagesrcset=\"/assets/img/rocket.jpg@320w."));
    assert!(photo.contains(r#"type="image/avif""#), "{photo}");
    let modules = assetlock::html::link_header(&[main, greet, picker]).to_string();
    assert_eq!(links, [photo, modules]);
    let html = response.text().await.unwrap();
    assert!(html.contains(&assetlock::html::import_map(&MANIFEST).to_string()));
    assert!(html.contains(&assetlock::html::modulepreload(greet).to_string()));
    assert!(!html.contains(&assetlock::html::modulepreload(lazy).to_string()));
    // The map covers the module loaded with import(), with its integrity.
    let map = MANIFEST.import_map();
    assert!(map.contains(&format!(r#""{}":"{}""#, lazy.url(), lazy.integrity())));
    // Other responses get no Link header.
    let css = reqwest::get(format!(
        "http://{addr}{}",
        MANIFEST.get("css/site.css").unwrap().url()
    ))
    .await
    .unwrap();
    assert!(css.headers().get("link").is_none());
}
