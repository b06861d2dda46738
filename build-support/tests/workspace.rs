//! A workspace where one crate owns the assets and another names them: `site` builds the
//! assets in its `build.rs` and exports its macros with `assetlock::export_asset_macros!()`;
//! `ui`, which has no build script and no assetlock dependency of its own, writes
//! `site::asset_url!(...)`, checked at compile time against `site`'s manifest.
//!
//! Built by cargo in `target/tests/e2e` with this workspace's lock file, like `cargo_build.rs`.

mod support;

use std::path::Path;
use std::process::Output;

use support::cargo::workspace;

fn write(root: &Path, path: &str, text: &str) {
    let path = root.join(path);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// The two-crate workspace, with `main` as `ui`'s `src/main.rs`.
fn two_crates(main: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let ws = workspace();
    write(
        root,
        "Cargo.toml",
        "[workspace]\nmembers = [\"site\", \"ui\"]\nresolver = \"3\"\n",
    );
    std::fs::copy(ws.join("Cargo.lock"), root.join("Cargo.lock")).unwrap();
    write(
        root,
        "site/Cargo.toml",
        &format!(
            "[package]\nname = \"assetlock_ws_site\"\nversion = \"0.0.0\"\nedition = \"2024\"\n\n\
             [dependencies]\nassetlock = {{ path = {:?} }}\n\n\
             [build-dependencies]\nassetlock-build = {{ path = {:?} }}\n",
            ws.display().to_string(),
            ws.join("build-support").display().to_string(),
        ),
    );
    write(
        root,
        "site/build.rs",
        "fn main() {\n    assetlock_build::Config::new().asset_dir(\"assets\").compile();\n}\n",
    );
    write(
        root,
        "site/src/lib.rs",
        "assetlock::include_manifest!();\nassetlock::export_asset_macros!();\n",
    );
    write(root, "site/assets/css/app.css", "body { margin: 0 }\n");
    write(
        root,
        "ui/Cargo.toml",
        "[package]\nname = \"assetlock_ws_ui\"\nversion = \"0.0.0\"\nedition = \"2024\"\n\n\
         [dependencies]\nassetlock_ws_site = { path = \"../site\" }\n",
    );
    write(root, "ui/src/main.rs", main);
    dir
}

fn cargo(root: &Path, args: &[&str]) -> Output {
    support::cargo::cargo(root, args, &[])
}

#[test]
fn another_crate_names_the_owning_crates_assets_checked_at_compile_time() {
    let main = r#"fn main() {
    let url = assetlock_ws_site::asset_url!("css/app.css");
    let asset = assetlock_ws_site::MANIFEST.get("css/app.css").unwrap();
    assert_eq!(url, asset.url());
    assert_eq!(assetlock_ws_site::asset_integrity!("css/app.css"), asset.integrity());
    print!("{url}");
}
"#;
    let ws = two_crates(main);
    let run = cargo(ws.path(), &["run", "--quiet", "-p", "assetlock_ws_ui"]);
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(
        stdout.starts_with("/assets/css/app.") && stdout.ends_with(".css"),
        "{stdout}"
    );
}

#[test]
fn a_typo_in_the_other_crate_does_not_compile_and_names_the_closest_asset() {
    let main =
        "fn main() {\n    print!(\"{}\", assetlock_ws_site::asset_url!(\"css/ap.css\"));\n}\n";
    let ws = two_crates(main);
    let build = cargo(ws.path(), &["build", "-p", "assetlock_ws_ui"]);
    assert!(!build.status.success());
    let stderr = String::from_utf8_lossy(&build.stderr);
    assert!(
        stderr.contains("error: no asset named `css/ap.css`; did you mean `css/app.css`?"),
        "{stderr}"
    );
    assert!(stderr.contains("ui/src/main.rs:2:"), "{stderr}");
}
