//! Assets shipped by library crates, end to end through cargo: a library publishes its asset
//! dir and names its assets with `asset_url!`; an app takes them in with
//! `Config::dependency_assets`, refers to them from its own stylesheet and code, and the
//! library's code renders the URLs the app serves. As a path dependency, as a packaged crate
//! (`cargo package`, read-only, through `[patch]`), and with two versions in one graph.
//!
//! The crates build in `target/tests/e2e` of this workspace with its lock file.
#![allow(clippy::disallowed_methods)] // tests run cargo and tar

mod support;

use std::path::Path;
use std::process::{Command, Output};

use support::cargo::{cargo, target_dir, workspace};

/// Writes `files` (path, text) under `dir`.
fn write(dir: &Path, files: &[(&str, &str)]) {
    for (path, text) in files {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}

/// A library crate `kit` at `dir`, version `version`, whose stylesheet says `color`.
fn kit(dir: &Path, version: &str, color: &str, lib: &str) {
    let ws = workspace();
    let manifest = format!(
        "[package]\nname = \"kit\"\nversion = \"{version}\"\nedition = \"2024\"\n\
         description = \"a kit\"\nlicense = \"MIT\"\n\n\
         [package.metadata.assetlock]\nassets = [\"assets\"]\n\n\
         [dependencies]\nassetlock = {{ path = {:?}, version = \"0.1.0\" }}\n\n\
         [build-dependencies]\nassetlock-build = {{ path = {:?}, version = \"0.1.0\" }}\n\n\
         [workspace]\n",
        ws.display().to_string(),
        ws.join("build-support").display().to_string(),
    );
    write(
        dir,
        &[
            ("Cargo.toml", &manifest),
            (
                "build.rs",
                "fn main() {\n    assetlock_build::Config::new().library().compile();\n}\n",
            ),
            ("src/lib.rs", lib),
            (
                "assets/css/kit.css",
                &format!(".kit {{ color: {color}; }}\n"),
            ),
            ("assets/js/kit.js", "export const kit = 1;\n"),
        ],
    );
    std::fs::copy(ws.join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
}

const KIT_LIB: &str = r#"
pub fn stylesheet() -> &'static str {
    assetlock::asset_url!("css/kit.css")
}
pub fn integrity() -> &'static str {
    assetlock::asset_integrity!("css/kit.css")
}
"#;

/// An app crate `name` at `dir` with `deps` (Cargo.toml lines), taking in `kit`'s assets.
fn app(dir: &Path, name: &str, deps: &str, main: &str, css: &str, extra: &str) {
    let ws = workspace();
    let manifest = format!(
        "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
         [dependencies]\nassetlock = {{ path = {:?} }}\n{deps}\n\n\
         [build-dependencies]\nassetlock-build = {{ path = {:?} }}\n\n[workspace]\n{extra}",
        ws.display().to_string(),
        ws.join("build-support").display().to_string(),
    );
    let build = "fn main() {\n    assetlock_build::Config::new()\n        .asset_dir(\"assets\")\n        \
                 .dependency_assets(\"kit\")\n        .compile();\n}\n";
    write(
        dir,
        &[
            ("Cargo.toml", &manifest),
            ("build.rs", build),
            ("src/main.rs", main),
            ("assets/css/app.css", css),
        ],
    );
    std::fs::copy(ws.join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
}

fn build(dir: &Path) -> Output {
    cargo(dir, &["build", "--quiet"], &[])
}

fn built(dir: &Path) {
    let output = build(dir);
    assert!(
        output.status.success(),
        "cargo build failed in {}:\n{}",
        dir.display(),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Builds the crate at `dir`, which must fail with `message` in cargo's output.
fn fails_with(dir: &Path, message: &str) {
    let output = build(dir);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        !output.status.success(),
        "the build of {} passed",
        dir.display()
    );
    assert!(stderr.contains(message), "{stderr}");
}

/// Runs the app's binary; its stdout lines.
fn run(name: &str) -> Vec<String> {
    let output = Command::new(target_dir().join("debug").join(name))
        .output()
        .unwrap();
    assert!(output.status.success());
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

/// The file under the newest artifact dir of crate `name` whose path starts with `prefix`.
fn artifact(name: &str, prefix: &str) -> String {
    let dirs = std::fs::read_dir(target_dir().join("debug/build")).unwrap();
    let dist = dirs
        .filter_map(Result::ok)
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with(&format!("{name}-"))
        })
        .map(|e| e.path().join("out/assetlock/dist"))
        .filter(|p| p.exists())
        .max_by_key(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok())
        .unwrap();
    let (dir, start) = prefix.rsplit_once('/').unwrap();
    let found = std::fs::read_dir(dist.join(dir))
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name.starts_with(start) && name.ends_with(".css")
        })
        .unwrap();
    std::fs::read_to_string(found).unwrap()
}

const MAIN: &str = r#"assetlock::include_manifest!();

fn main() {
    println!("{}", kit::stylesheet());
    println!("{}", kit::integrity());
    let own = MANIFEST.get("_/kit/css/kit.css").unwrap();
    println!("{}", own.url());
    println!("{}", own.integrity());
    println!("{}", assetlock::asset_url!("_/kit/js/kit.js"));
}
"#;

#[test]
fn the_librarys_code_renders_the_url_and_integrity_the_app_serves() {
    let tmp = tempfile::tempdir().unwrap();
    kit(&tmp.path().join("kit"), "0.2.0", "red", KIT_LIB);
    let app_dir = tmp.path().join("app");
    app(
        &app_dir,
        "assetlock_e2e_kit_app",
        "kit = { path = \"../kit\" }",
        MAIN,
        "@import \"../_/kit/css/kit.css\";\nbody { background: url(../_/kit/js/kit.js); }\n",
        "",
    );
    built(&app_dir);
    let lines = run("assetlock_e2e_kit_app");
    assert_eq!(lines[0], lines[2], "{lines:?}");
    assert_eq!(lines[1], lines[3], "{lines:?}");
    assert!(lines[0].starts_with("/assets/_/kit/css/kit."), "{lines:?}");
    assert!(lines[1].starts_with("sha256-"), "{lines:?}");
    assert!(lines[4].starts_with("/assets/_/kit/js/kit."), "{lines:?}");
    // The app's stylesheet refers to the library's by its hashed name.
    let css = artifact("assetlock_e2e_kit_app", "css/app.");
    let file = lines[0].rsplit('/').next().unwrap();
    assert!(css.contains(&format!("../_/kit/css/{file}")), "{css}");
    // The library moves its assets to another published dir, with an edit: the app's next
    // build finds them there (its kept `cargo metadata` answer is stale).
    let kit_dir = tmp.path().join("kit");
    std::fs::rename(kit_dir.join("assets"), kit_dir.join("static")).unwrap();
    std::fs::write(
        kit_dir.join("static/css/kit.css"),
        ".kit { color: teal; }\n",
    )
    .unwrap();
    let manifest = std::fs::read_to_string(kit_dir.join("Cargo.toml")).unwrap();
    let manifest = manifest.replace("assets = [\"assets\"]", "assets = [\"static\"]");
    std::fs::write(kit_dir.join("Cargo.toml"), manifest).unwrap();
    built(&app_dir);
    let moved = run("assetlock_e2e_kit_app");
    assert_ne!(moved[0], lines[0], "{moved:?}");
    assert_eq!(moved[0], moved[2], "{moved:?}");
    // The library's own build, alone, names the same file under its namespace.
    let kit_alone = cargo(&tmp.path().join("kit"), &["test", "--quiet"], &[]);
    assert!(
        kit_alone.status.success(),
        "{}",
        String::from_utf8_lossy(&kit_alone.stderr)
    );
}

#[test]
fn two_versions_of_a_library_each_keep_their_own_assets() {
    let tmp = tempfile::tempdir().unwrap();
    kit(&tmp.path().join("kit-1"), "0.1.0", "red", KIT_LIB);
    kit(&tmp.path().join("kit-2"), "0.2.0", "blue", KIT_LIB);
    let main = r#"assetlock::include_manifest!();

fn main() {
    println!("{}", kit::stylesheet());
    println!("{}", kit_old::stylesheet());
    println!("{}", MANIFEST.get("_/kit@0.2.0/css/kit.css").unwrap().url());
    println!("{}", MANIFEST.get("_/kit@0.1.0/css/kit.css").unwrap().url());
}
"#;
    let app_dir = tmp.path().join("app");
    app(
        &app_dir,
        "assetlock_e2e_kit_versions",
        "kit = { path = \"../kit-2\" }\nkit_old = { package = \"kit\", path = \"../kit-1\" }",
        main,
        "@import \"../_/kit@0.1.0/css/kit.css\";\n",
        "",
    );
    built(&app_dir);
    let lines = run("assetlock_e2e_kit_versions");
    assert_eq!(lines[0], lines[2], "{lines:?}");
    assert_eq!(lines[1], lines[3], "{lines:?}");
    assert!(
        lines[0].starts_with("/assets/_/kit@0.2.0/css/kit."),
        "{lines:?}"
    );
    assert!(
        lines[1].starts_with("/assets/_/kit@0.1.0/css/kit."),
        "{lines:?}"
    );
    assert_ne!(lines[0].rsplit('/').next(), lines[1].rsplit('/').next());
}

#[test]
fn a_packaged_library_is_read_from_its_read_only_package() {
    let tmp = tempfile::tempdir().unwrap();
    let source = tmp.path().join("kit");
    kit(&source, "0.2.0", "green", KIT_LIB);
    // Without a lock file: the published crate names assetlock by version, which is not on
    // this machine's crates.io index.
    let packaged = cargo(
        &source,
        &[
            "package",
            "--no-verify",
            "--allow-dirty",
            "--exclude-lockfile",
        ],
        &[],
    );
    assert!(
        packaged.status.success(),
        "{}",
        String::from_utf8_lossy(&packaged.stderr)
    );
    let crate_file = target_dir().join("package/kit-0.2.0.crate");
    let unpacked = tmp.path().join("registry");
    std::fs::create_dir_all(&unpacked).unwrap();
    let tar = Command::new("tar")
        .arg("xzf")
        .arg(&crate_file)
        .arg("-C")
        .arg(&unpacked)
        .status()
        .unwrap();
    assert!(tar.success());
    let package = unpacked.join("kit-0.2.0");
    // `cargo package` took the assets along.
    assert!(package.join("assets/css/kit.css").is_file());
    read_only(&package, true);
    let app_dir = tmp.path().join("app");
    // This workspace's assetlock stands in for the published one.
    let patch = patches(&[("kit", &package)]);
    app(
        &app_dir,
        "assetlock_e2e_kit_packaged",
        "kit = \"0.2\"",
        MAIN,
        "@import \"../_/kit/css/kit.css\";\n",
        &patch,
    );
    let output = build(&app_dir);
    read_only(&package, false);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let lines = run("assetlock_e2e_kit_packaged");
    assert_eq!(lines[0], lines[2], "{lines:?}");
    assert!(lines[0].starts_with("/assets/_/kit/css/kit."), "{lines:?}");
}

/// A `[patch.crates-io]` table: this workspace's assetlock crates for the published ones, and
/// `extra` (name, path).
fn patches(extra: &[(&str, &Path)]) -> String {
    let ws = workspace();
    let mut table = format!(
        "\n[patch.crates-io]\nassetlock = {{ path = {:?} }}\nassetlock-build = {{ path = {:?} }}\n",
        ws.display().to_string(),
        ws.join("build-support").display().to_string(),
    );
    for (name, path) in extra {
        table.push_str(&format!(
            "{name} = {{ path = {:?} }}\n",
            path.display().to_string()
        ));
    }
    table
}

fn read_only(dir: &Path, on: bool) {
    let mode = if on { "a-w" } else { "u+w" };
    let status = Command::new("chmod")
        .args(["-R", mode])
        .arg(dir)
        .status()
        .unwrap();
    assert!(status.success());
}

#[test]
fn a_typo_in_a_library_or_in_the_app_fails_its_build_with_a_suggestion() {
    let tmp = tempfile::tempdir().unwrap();
    let typo =
        "pub fn stylesheet() -> &'static str {\n    assetlock::asset_url!(\"css/kti.css\")\n}\n";
    let lib = tmp.path().join("kit");
    kit(&lib, "0.2.0", "red", typo);
    fails_with(
        &lib,
        "no asset named `css/kti.css`; did you mean `css/kit.css`?",
    );

    let tmp = tempfile::tempdir().unwrap();
    kit(&tmp.path().join("kit"), "0.2.0", "red", KIT_LIB);
    let main =
        "fn main() {\n    println!(\"{}\", assetlock::asset_url!(\"_/kit/css/kti.css\"));\n}\n";
    let app_dir = tmp.path().join("app");
    app(
        &app_dir,
        "assetlock_e2e_kit_typo",
        "kit = { path = \"../kit\" }",
        main,
        "",
        "",
    );
    fails_with(
        &app_dir,
        "no asset named `_/kit/css/kti.css`; did you mean `_/kit/css/kit.css`?",
    );
}

#[test]
fn a_crate_that_is_no_dependency_or_publishes_nothing_is_an_error() {
    let tmp = tempfile::tempdir().unwrap();
    let app_dir = tmp.path().join("app");
    app(
        &app_dir,
        "assetlock_e2e_kit_none",
        "",
        "fn main() {}\n",
        "",
        "",
    );
    fails_with(
        &app_dir,
        "Config::dependency_assets names `kit`, which is not a dependency",
    );
    // An app's own file under `_/` would shadow a crate's.
    kit(&tmp.path().join("kit"), "0.2.0", "red", KIT_LIB);
    let app_dir = tmp.path().join("app-2");
    app(
        &app_dir,
        "assetlock_e2e_kit_own",
        "kit = { path = \"../kit\" }",
        "fn main() {}\n",
        "",
        "",
    );
    write(&app_dir, &[("assets/_/kit/x.css", "a{}")]);
    fails_with(&app_dir, "is the folder of dependency crates' assets");
}
