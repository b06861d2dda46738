use assetlock::{asset_integrity, asset_url};

const LINK: (&str, &str) = (asset_url!("css/app.css"), asset_integrity!("css/app.css"));

fn main() {
    let css = fixture_site::MANIFEST.get("css/app.css").unwrap();
    assert_eq!(LINK, (css.url(), css.integrity()));
    assert!(LINK.1.starts_with("sha256-"));
}
