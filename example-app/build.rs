use std::path::Path;

use assetlock_build::Images;

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
        // The photo, resized to 320 and 640 pixels and encoded in AVIF and WebP besides JPEG,
        // with a blurred placeholder: `html::picture` writes the `<picture>`.
        .images(
            Images::new("img/*.jpg")
                .widths([320, 640])
                .placeholder(true),
        )
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
