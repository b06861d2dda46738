fn main() {
    assetlock_build::Config::new()
        .asset_dir("assets")
        .exclude("**/README.md")
        .templates("pages")
        .public("favicon.ico")
        .public("robots.txt")
        // The site shows what production serves (hashed URLs, integrity, `immutable`), in
        // every profile: `ASSETLOCK_LIVE=1 cargo run -p example-app` turns on the dev loop.
        .live(false)
        .compile();
}
