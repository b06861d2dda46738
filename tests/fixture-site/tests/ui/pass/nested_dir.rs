fn main() {
    let url: &'static str = assetlock::asset_url!("nested/deep/dir/file.txt");
    assert!(url.starts_with("/assets/nested/deep/dir/file."));
    assert!(url.ends_with(".txt"));
    let asset = fixture_site::MANIFEST.by_url(url).unwrap();
    assert_eq!(asset.logical_path(), "nested/deep/dir/file.txt");
}
