fn main() {
    assetlock_build::Config::new()
        .asset_dir("assets")
        .exclude("**/README.md")
        .templates("pages")
        .public("favicon.ico")
        .public("robots.txt")
        .compile();
}
