//! The crates of the compile-time benchmark, generated into a workspace of their own:
//!
//! - `many-assets`: 10,000 small assets (SVG icons and stylesheets that reference them) and
//!   1,000 `asset_url!` uses; `plain-consts`: the same 1,000 URLs as plain string constants,
//!   without assetlock. The difference is what assetlock's generated code costs rustc.
//! - `example-embed` / `example-dist`: copies of the example app's library with the asset bytes
//!   compiled in (the default) or left in the artifact dir (`embed(false)`).
//! - `corpus-embed` / `corpus-dist`: the same pair over the real-world corpus, where embedding
//!   means tens of megabytes of `include_bytes!`.
//!
//! Files are written only when their contents change, so regenerating keeps cargo's
//! fingerprints and nothing rebuilds for nothing.

use std::fmt::Write as _;
use std::io;
use std::path::Path;

/// Assets of `many-assets`.
pub const ASSETS: usize = 10_000;
/// `asset_url!` uses in `many-assets`.
pub const USES: usize = 1_000;
/// One asset in this many is a stylesheet; the others are SVG icons.
const CSS_EVERY: usize = 10;

/// Writes the workspace into `dir`; `repo` is the assetlock checkout and `corpus` the
/// real-world corpus (`bench/corpus`).
///
/// # Errors
///
/// When a file cannot be written or the example app cannot be read.
pub fn generate(dir: &Path, repo: &Path, corpus: &Path) -> io::Result<()> {
    let repo = repo.canonicalize()?;
    let corpus = corpus.canonicalize()?;
    let runtime = toml_path(&repo);
    let build = toml_path(&repo.join("build-support"));
    write(
        &dir.join("Cargo.toml"),
        "[workspace]\nmembers = [\"many-assets\", \"plain-consts\", \"example-embed\", \
         \"example-dist\", \"corpus-embed\", \"corpus-dist\"]\nresolver = \"3\"\n\n\
         # As in assetlock's own workspace.\n[profile.dev]\ndebug = \"line-tables-only\"\n",
    )?;
    let lock = dir.join("Cargo.lock");
    if !lock.exists() {
        // Start from assetlock's lock file, so the same dependency versions are built.
        std::fs::copy(repo.join("Cargo.lock"), &lock)?;
    }
    let manifest = |name: &str, deps: &str, build_deps: bool| {
        let mut toml = format!(
            "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2024\"\n\
             publish = false\n\n[dependencies]\n{deps}"
        );
        if build_deps {
            let _ = write!(
                toml,
                "\n[build-dependencies]\nassetlock-build = {{ path = {build} }}\n"
            );
        }
        toml
    };
    let assetlock = format!("assetlock = {{ path = {runtime} }}\n");
    // The example app's dependencies, as its Cargo.toml has them (its uploader binary aside).
    let axum_app = format!(
        "assetlock = {{ path = {runtime}, features = [\"axum\", \"fallback\", \"minijinja\"] }}\n\
         askama = \"0.16\"\naxum = {{ version = \"0.8\", default-features = false, \
         features = [\"http1\", \"tokio\", \"query\"] }}\n\
         minijinja = {{ version = \"3.1\", default-features = false, features = [\"builtins\"] }}\n"
    );

    let many = dir.join("many-assets");
    write(
        &many.join("Cargo.toml"),
        &manifest("many-assets", &assetlock, true),
    )?;
    write(&many.join("build.rs"), &build_script("\"assets\"", true))?;
    for i in 0..ASSETS {
        let (path, text) = asset(i);
        write(&many.join("assets").join(path), &text)?;
    }
    write(&many.join("src/lib.rs"), &many_assets_lib())?;
    let plain = dir.join("plain-consts");
    write(
        &plain.join("Cargo.toml"),
        &manifest("plain-consts", "", false),
    )?;
    write(&plain.join("src/lib.rs"), &plain_consts_lib())?;

    let example = repo.join("example-app");
    for (name, embed) in [("example-embed", true), ("example-dist", false)] {
        let crate_dir = dir.join(name);
        write(
            &crate_dir.join("Cargo.toml"),
            &manifest(name, &axum_app, true),
        )?;
        // The example app's own build script, with embedding chosen.
        let build = std::fs::read_to_string(example.join("build.rs"))?;
        write(
            &crate_dir.join("build.rs"),
            &build.replace(
                ".compile()",
                &format!(".embed({embed})\n        .compile()"),
            ),
        )?;
        for folder in ["assets", "templates", "pages"] {
            copy_tree(&example.join(folder), &crate_dir.join(folder))?;
        }
        let lib = std::fs::read_to_string(example.join("src/lib.rs"))?;
        write(&crate_dir.join("src/lib.rs"), &lib)?;
    }
    for (name, embed) in [("corpus-embed", true), ("corpus-dist", false)] {
        let crate_dir = dir.join(name);
        write(
            &crate_dir.join("Cargo.toml"),
            &manifest(name, &assetlock, true),
        )?;
        write(
            &crate_dir.join("build.rs"),
            &build_script(&toml_path(&corpus), embed),
        )?;
        write(
            &crate_dir.join("src/lib.rs"),
            "assetlock::include_manifest!();\n\n/// How many assets the build has.\n\
             pub fn assets() -> usize {\n    MANIFEST.len()\n}\n",
        )?;
    }
    Ok(())
}

/// A path as a TOML (and Rust) string literal.
fn toml_path(path: &Path) -> String {
    format!("{:?}", path.to_string_lossy())
}

fn build_script(dir_literal: &str, embed: bool) -> String {
    format!(
        "fn main() {{\n    assetlock_build::Config::new()\n        .asset_dir({dir_literal})\n        \
         .embed({embed})\n        .compile();\n}}\n"
    )
}

/// The logical path and contents of asset `i`: icons in folders of 100, and every tenth file a
/// stylesheet that uses the icon before it.
fn asset(i: usize) -> (String, String) {
    let folder = i / 100;
    if i % CSS_EVERY == CSS_EVERY - 1 {
        let icon = format!("i{:05}.svg", i - 1);
        let css = format!(
            ".icon-{i} {{\n  background: url(\"{icon}\") no-repeat;\n  width: {}px;\n}}\n",
            16 + i % 16
        );
        (format!("icons/{folder:03}/s{i:05}.css"), css)
    } else {
        let svg = format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 16 16\">\
             <path d=\"M{} {}h{}v{}z\"/></svg>\n",
            i % 7,
            i % 11,
            1 + i % 13,
            1 + i % 9
        );
        (format!("icons/{folder:03}/i{i:05}.svg"), svg)
    }
}

/// The assets that `many-assets` names: spread over the whole tree, a tenth of them CSS.
fn used() -> impl Iterator<Item = (usize, String)> {
    (0..USES).map(|k| {
        let i = k * (ASSETS / USES) + k % CSS_EVERY;
        (k, asset(i).0)
    })
}

fn many_assets_lib() -> String {
    let mut code = String::from(
        "//! Generated: 1,000 asset URLs through `asset_url!`.\n\nuse assetlock::asset_url;\n\n\
         assetlock::include_manifest!();\n\n",
    );
    for (k, path) in used() {
        let _ = writeln!(code, "pub const U{k:04}: &str = asset_url!(\"{path}\");");
    }
    code
}

fn plain_consts_lib() -> String {
    let mut code = String::from("//! Generated: 1,000 asset URLs as plain constants.\n\n");
    for (k, path) in used() {
        let (stem, extension) = path.rsplit_once('.').expect("assets have extensions");
        let _ = writeln!(
            code,
            "pub const U{k:04}: &str = \"/assets/{stem}.{:016x}.{extension}\";",
            k * 2_654_435_761
        );
    }
    code
}

/// A copy that rewrites only what changed: unchanged files keep their times, so cargo does
/// not rebuild the crates made from them.
fn copy_tree(from: &Path, to: &Path) -> io::Result<()> {
    for relative in crate::built::files_under(from)? {
        write_bytes(&to.join(&relative), &std::fs::read(from.join(&relative))?)?;
    }
    Ok(())
}

fn write(path: &Path, text: &str) -> io::Result<()> {
    write_bytes(path, text.as_bytes())
}

fn write_bytes(path: &Path, bytes: &[u8]) -> io::Result<()> {
    if std::fs::read(path).is_ok_and(|old| old == bytes) {
        return Ok(());
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(path, bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn used_assets_exist_and_are_distinct() {
        let all: std::collections::HashSet<String> = (0..ASSETS).map(|i| asset(i).0).collect();
        let used: std::collections::HashSet<String> = used().map(|(_, p)| p).collect();
        assert_eq!(all.len(), ASSETS);
        assert_eq!(used.len(), USES);
        assert!(used.is_subset(&all));
        assert_eq!(
            used.iter().filter(|p| p.ends_with(".css")).count(),
            USES / 10
        );
    }
}
