fn main() {
    assetlock_build::Config::new()
        .asset_dir("assets")
        .public("robots.txt")
        .compile();
}
