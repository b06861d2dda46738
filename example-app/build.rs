use std::path::Path;

fn main() {
    let mut config = assetlock_build::Config::new();
    config
        .asset_dir("assets")
        .exclude("**/README.md")
        .templates("pages")
        .public("favicon.ico")
        .public("robots.txt")
        // The stylesheet, module and font the ui-kit crate ships, under `_/ui-kit/`.
        .dependency_assets("ui-kit")
        // The site shows what production serves (hashed URLs, integrity, `immutable`), in
        // every profile: `ASSETLOCK_LIVE=1 cargo run -p example-app` turns on the dev loop.
        .live(false);
    // Tailwind CSS when the project's CLI is installed (`npm install` in this folder, from
    // package.json, whose postinstall touches this file so that cargo runs it again); the
    // build never downloads it. Without it, the page says how to install it.
    let cli = Path::new("node_modules/.bin/tailwindcss");
    if cli.is_file() {
        config.tailwind("css/tailwind.css").tailwind_cli(cli);
        println!("cargo::rerun-if-changed={}", cli.display());
    } else {
        config.exclude("css/tailwind.css");
    }
    config.compile();
}
