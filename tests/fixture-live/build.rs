fn main() {
    // Live in debug profiles; a release build of this crate is locked all the same.
    assetlock_build::Config::new()
        .asset_dir("assets")
        .live(true)
        .compile();
}
