use assetlock::asset_url;

fn main() {
    let url = asset_url!("names/with space.txt");
    assert!(url.starts_with("/assets/names/with%20space."), "{url}");
    let accent = asset_url!("names/café.txt");
    assert!(accent.starts_with("/assets/names/caf%C3%A9."), "{accent}");
    let asset = fixture_site::MANIFEST.by_url(url).unwrap();
    assert_eq!(asset.bytes().unwrap(), b"space\n");
}
