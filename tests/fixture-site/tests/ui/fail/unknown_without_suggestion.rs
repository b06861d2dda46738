fn main() {
    let _ = assetlock::asset_url!("fonts/never-heard-of-it.woff2");
}
