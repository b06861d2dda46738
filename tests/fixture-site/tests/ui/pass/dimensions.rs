use assetlock::asset_dimensions;

const LOGO: (u32, u32) = asset_dimensions!("img/logo.svg");

fn main() {
    let image = fixture_site::MANIFEST.image("img/logo.svg").unwrap();
    assert_eq!(LOGO, (image.width(), image.height()));
}
