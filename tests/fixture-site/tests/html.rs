//! `assetlock::html` over the fixture site's compiled-in manifest: every helper's exact tag.

use assetlock::html;
use fixture_site::MANIFEST;

fn asset(logical: &str) -> &'static assetlock::Asset {
    MANIFEST.get(logical).unwrap()
}

#[test]
fn stylesheet_and_its_preload_agree_on_integrity_and_crossorigin() {
    let css = asset("css/app.css");
    let (url, sri) = (css.url(), css.integrity());
    assert_eq!(
        html::stylesheet(css).to_string(),
        format!(
            r#"<link rel="stylesheet" href="{url}" integrity="{sri}" crossorigin="anonymous">"#
        )
    );
    assert_eq!(
        html::preload(css).to_string(),
        format!(
            r#"<link rel="preload" href="{url}" as="style" integrity="{sri}" crossorigin="anonymous">"#
        )
    );
}

#[test]
fn scripts_and_modulepreload_carry_integrity_and_crossorigin() {
    let js = asset("js/app.js");
    let (url, sri) = (js.url(), js.integrity());
    assert_eq!(
        html::module_script(js).to_string(),
        format!(
            r#"<script type="module" src="{url}" integrity="{sri}" crossorigin="anonymous"></script>"#
        )
    );
    assert_eq!(
        html::script(js).to_string(),
        format!(r#"<script src="{url}" integrity="{sri}" crossorigin="anonymous" defer></script>"#)
    );
    assert_eq!(
        html::modulepreload(js).to_string(),
        format!(
            r#"<link rel="modulepreload" href="{url}" integrity="{sri}" crossorigin="anonymous">"#
        )
    );
}

#[test]
fn image_preload_has_neither_integrity_nor_crossorigin() {
    let svg = asset("img/logo.svg");
    assert_eq!(
        html::preload(svg).to_string(),
        format!(r#"<link rel="preload" href="{}" as="image">"#, svg.url())
    );
}

#[test]
fn other_files_preload_as_fetch_in_cors_mode_with_their_encoded_url() {
    for logical in [
        "names/hash#tag.txt",
        "names/what?.txt",
        "names/with space.txt",
    ] {
        let file = asset(logical);
        assert!(file.url().contains('%'), "{}", file.url());
        assert_eq!(
            html::preload(file).to_string(),
            format!(
                r#"<link rel="preload" href="{}" as="fetch" crossorigin="anonymous">"#,
                file.url()
            )
        );
    }
}
