//! Copies of the example app built by cargo as a user builds it: outside this workspace, in
//! the shared `target/tests/e2e` dir, so their dependencies are compiled once.
#![allow(clippy::disallowed_methods)] // the helper sets up cargo's environment

use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::time::{Duration, Instant};

/// The root of this workspace.
pub fn workspace() -> PathBuf {
    assetlock_test_support::workspace::root()
}

/// Where the copies are built.
pub fn target_dir() -> PathBuf {
    workspace().join("target/tests/e2e")
}

/// A copy of the example app's crate at `dir` (replaced if present), as package `package`,
/// with each `(file, from, to)` of `edits` applied to its assets, and the app's installed
/// `node_modules` (the Tailwind CSS CLI) linked in when there is one. Its binary is
/// `target_dir()/debug/<package>`; the library keeps its name, so the app's code is unchanged.
pub fn copy(dir: &Path, package: &str, edits: &[(&str, &str, &str)]) {
    let ws = workspace();
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).unwrap();
    for part in ["build.rs", "src", "templates", "pages", "assets"] {
        assetlock_test_support::tree::copy(&ws.join("example-app").join(part), &dir.join(part));
    }
    // The Tailwind CSS CLI, where `npm install` put it: the copy's build.rs uses it as the
    // app's does.
    let modules = ws.join("example-app/node_modules");
    if modules.is_dir() {
        std::os::unix::fs::symlink(&modules, dir.join("node_modules")).unwrap();
    }
    for (file, from, to) in edits {
        edit(&dir.join("assets").join(file), from, to);
    }
    let manifest = format!(
        r#"[package]
name = "{package}"
version = "0.0.0"
edition = "2024"
publish = false
default-run = "{package}"

[lib]
name = "example_app"

[[bin]]
name = "{package}"
path = "src/main.rs"

[dependencies]
assetlock = {{ path = {ws:?}, features = ["axum", "upload", "fallback", "minijinja"] }}
askama = "0.16"
minijinja = {{ version = "3.1", default-features = false, features = ["builtins"] }}
axum = {{ version = "0.8", default-features = false, features = ["http1", "tokio", "query"] }}
tokio = {{ version = "1", features = ["rt-multi-thread", "macros", "net", "fs", "sync", "time"] }}
tracing-subscriber = {{ version = "0.3", default-features = false, features = ["fmt", "env-filter", "ansi"] }}
ui-kit = {{ path = {ui_kit:?} }}

[build-dependencies]
assetlock-build = {{ path = {build:?}, features = ["images"] }}

[workspace]

# As the workspace's: the photo's encoders optimised in the build script.
[profile.dev.package.rav1e]
opt-level = 3
[profile.dev.package.libwebp-sys]
opt-level = 3
[profile.dev.package.fast_image_resize]
opt-level = 3
[profile.dev.package.zune-jpeg]
opt-level = 3
"#,
        ws = ws.display().to_string(),
        build = ws.join("build-support").display().to_string(),
        ui_kit = ws.join("examples/ui-kit").display().to_string(),
    );
    std::fs::write(dir.join("Cargo.toml"), manifest).unwrap();
    std::fs::copy(ws.join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
}

/// Replaces `from` by `to` in the file at `path`, which must contain it.
pub fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{} has no `{from}`", path.display());
    std::fs::write(path, text.replace(from, to)).unwrap();
}

/// `cargo build --offline --quiet <args>` of the copy at `dir` in [`target_dir`], with `env`
/// and without this workspace's own asset settings; panics with cargo's output on failure.
pub fn build(dir: &Path, args: &[&str], env: &[(&str, &str)]) {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut command = Command::new(cargo);
    command
        .args(["build", "--offline", "--quiet"])
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target_dir())
        .env("CARGO_TERM_COLOR", "never")
        .env_remove("ASSETLOCK_URL_PREFIX")
        .env_remove("ASSETLOCK_LIVE")
        .env_remove("RUSTFLAGS");
    for (key, value) in env {
        command.env(key, value);
    }
    let output = command.output().unwrap();
    assert!(
        output.status.success(),
        "building {} failed:\n{}",
        dir.display(),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// A debug binary of [`target_dir`].
pub fn binary(name: &str) -> PathBuf {
    target_dir().join("debug").join(name)
}

/// A child process (a running copy of the app), killed when dropped.
pub struct Running(pub Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Runs a binary of the app on `port` on its own: warnings only, no bucket fallback.
pub fn start(binary: &Path, port: u16) -> Running {
    Running(
        Command::new(binary)
            .env("PORT", port.to_string())
            .env("RUST_LOG", "warn")
            .env_remove("ASSETLOCK_FALLBACK")
            .stdout(std::process::Stdio::null())
            .spawn()
            .unwrap(),
    )
}

/// Waits up to 30 s for `url` to answer with a success.
pub async fn wait_until_up(url: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if reqwest::get(url)
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("{url} did not come up");
}
