//! The README's first command, `cargo run -p example-app`, must start the site: with two
//! binaries in the package (the site and `upload-assets`), cargo needs `default-run` to pick.
#![allow(clippy::disallowed_methods)] // reads CARGO

#[test]
fn cargo_run_without_bin_picks_the_site() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = std::process::Command::new(cargo)
        .args([
            "metadata",
            "--no-deps",
            "--offline",
            "--format-version",
            "1",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let metadata: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let package = metadata["packages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "example-app")
        .unwrap();
    let binaries: Vec<&str> = package["targets"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["kind"][0] == "bin")
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert!(binaries.len() > 1, "{binaries:?}");
    assert_eq!(package["default_run"], "example-app");
    assert!(binaries.contains(&"example-app"));
}
