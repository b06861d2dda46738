use assetlock::asset_url;

const STYLESHEET: &str = asset_url!("css/app.css");
static SCRIPT: &str = asset_url!("js/app.js");

fn main() {
    let css = fixture_site::MANIFEST.get("css/app.css").unwrap();
    assert_eq!(STYLESHEET, css.url());
    assert!(STYLESHEET.starts_with("/assets/css/app."));
    assert_eq!(SCRIPT, fixture_site::MANIFEST.get("js/app.js").unwrap().url());
}
