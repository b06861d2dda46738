//! End to end through cargo: a temporary crate with a build script, built, edited and rebuilt
//! without `cargo clean` or `touch`, and the exact error lines cargo prints for bad input.
//!
//! The crates build in `target/tests/e2e` of this workspace with this workspace's lock file, so
//! dependencies are compiled once and reused across runs.
#![allow(clippy::disallowed_methods)] // tests read CARGO and set up child environments

mod support;

use std::path::PathBuf;
use std::process::{Command, Output};

use support::cargo::workspace;

/// A crate in a temporary dir that uses assetlock from this workspace.
struct TempCrate {
    dir: tempfile::TempDir,
    name: &'static str,
}

impl TempCrate {
    fn new(name: &'static str, main: &str) -> TempCrate {
        Self::with_build(
            name,
            main,
            "assetlock_build::Config::new().asset_dir(\"assets\").compile();",
        )
    }

    fn with_build(name: &'static str, main: &str, build: &str) -> TempCrate {
        let dir = tempfile::tempdir().unwrap();
        let ws = workspace();
        let manifest = format!(
            "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
             [dependencies]\nassetlock = {{ path = {:?} }}\n\n\
             [build-dependencies]\nassetlock-build = {{ path = {:?} }}\n\n[workspace]\n",
            ws.display().to_string(),
            ws.join("build-support").display().to_string(),
        );
        std::fs::write(dir.path().join("Cargo.toml"), manifest).unwrap();
        std::fs::copy(ws.join("Cargo.lock"), dir.path().join("Cargo.lock")).unwrap();
        std::fs::write(
            dir.path().join("build.rs"),
            format!("fn main() {{\n    {build}\n}}\n"),
        )
        .unwrap();
        std::fs::create_dir_all(dir.path().join("src")).unwrap();
        std::fs::write(dir.path().join("src/main.rs"), main).unwrap();
        TempCrate { dir, name }
    }

    fn write(&self, path: &str, text: &str) {
        let path = self.dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn path(&self, path: &str) -> PathBuf {
        self.dir.path().join(path)
    }

    fn target_dir() -> PathBuf {
        support::cargo::target_dir()
    }

    fn cargo(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        support::cargo::cargo(self.dir.path(), args, env)
    }

    /// The artifact dir of this crate's newest build script run.
    fn artifact_dir(&self) -> PathBuf {
        let prefix = format!("{}-", self.name);
        std::fs::read_dir(Self::target_dir().join("debug/build"))
            .unwrap()
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().starts_with(&prefix))
            .map(|e| e.path().join("out/assetlock/dist"))
            .filter(|p| p.exists())
            .max_by_key(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok())
            .expect("the build script ran")
    }

    fn binary(&self) -> PathBuf {
        Self::target_dir().join("debug").join(self.name)
    }

    fn build(&self, env: &[(&str, &str)]) {
        let build = self.cargo(&["build", "--quiet"], env);
        assert!(
            build.status.success(),
            "cargo build failed:\n{}",
            String::from_utf8_lossy(&build.stderr)
        );
    }

    /// Builds (with `env`) and runs the binary; returns its stdout lines.
    fn build_and_run(&self, env: &[(&str, &str)]) -> Vec<String> {
        self.build(env);
        let run = Command::new(self.binary()).output().unwrap();
        assert!(run.status.success());
        String::from_utf8(run.stdout)
            .unwrap()
            .lines()
            .map(str::to_string)
            .collect()
    }
}

const LISTING_MAIN: &str = r#"assetlock::include_manifest!();

fn main() {
    println!("{}", assetlock::asset_url!("app.css"));
    for asset in MANIFEST.iter() {
        println!("{} {}", asset.logical_path(), asset.url());
    }
}
"#;

#[test]
fn edits_additions_renames_removals_and_env_changes_rebuild_the_crate() {
    let krate = TempCrate::new("assetlock_e2e_rebuild", LISTING_MAIN);
    krate.write("assets/app.css", "body { color: red; }\n");
    let first = krate.build_and_run(&[]);
    assert!(
        first[0].starts_with("/assets/app.") && first[0].ends_with(".css"),
        "{first:?}"
    );

    krate.write("assets/app.css", "body { color: blue; }\n");
    let edited = krate.build_and_run(&[]);
    assert_ne!(edited[0], first[0], "editing an asset changes its URL");

    krate.write(
        "assets/img/new.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n",
    );
    let added = krate.build_and_run(&[]);
    assert!(
        added
            .iter()
            .any(|l| l.starts_with("img/new.svg /assets/img/new.")),
        "{added:?}"
    );

    std::fs::rename(
        krate.path("assets/img/new.svg"),
        krate.path("assets/img/renamed.svg"),
    )
    .unwrap();
    let renamed = krate.build_and_run(&[]);
    assert!(
        renamed.iter().any(|l| l.starts_with("img/renamed.svg ")),
        "{renamed:?}"
    );
    assert!(
        !renamed.iter().any(|l| l.starts_with("img/new.svg ")),
        "{renamed:?}"
    );

    std::fs::remove_file(krate.path("assets/img/renamed.svg")).unwrap();
    let removed = krate.build_and_run(&[]);
    assert_eq!(removed.len(), 2, "{removed:?}");

    let cdn = krate.build_and_run(&[("ASSETLOCK_URL_PREFIX", "https://cdn.example.com/assets/")]);
    assert!(
        cdn[0].starts_with("https://cdn.example.com/assets/app."),
        "{cdn:?}"
    );
    let back = krate.build_and_run(&[]);
    assert_eq!(back[0], edited[0], "unsetting the variable rebuilds again");
}

#[test]
fn bad_input_gives_one_cargo_error_line_per_problem() {
    // A debug build: `parse_unminified` makes it check JS syntax, as a release build does.
    let krate = TempCrate::with_build(
        "assetlock_e2e_errors",
        "fn main() {}\n",
        "assetlock_build::Config::new().asset_dir(\"assets\").parse_unminified(true).compile();",
    );
    krate.write(
        "assets/css/bad.css",
        ".a { color: red; }\n.b] { color: blue; }\n",
    );
    krate.write("assets/js/bad.js", "const ok = 1;\nconst = 2;\n");
    krate.write(
        "assets/css/dangle.css",
        "a {\n  background: url(missing.png);\n}\n",
    );
    std::os::unix::fs::symlink("/etc/hostname", krate.path("assets/escape.txt")).unwrap();
    let build = krate.cargo(&["build", "--quiet"], &[]);
    assert!(!build.status.success());
    let stderr = String::from_utf8_lossy(&build.stderr);
    let errors: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("error: assetlock_e2e_errors@"))
        .collect();
    let prefix = "error: assetlock_e2e_errors@0.0.0: ";
    let expected = [
        "assets/css/bad.css:2:3: Unexpected token CloseSquareBracket".to_string(),
        "assets/css/dangle.css:2:15: `missing.png` refers to `css/missing.png`, which is not an asset of this build".to_string(),
        "assets/escape.txt: symlink points outside the asset dir (to /etc/hostname); copy the file in or add its directory as another asset dir".to_string(),
    ];
    for line in &expected {
        let full = format!("{prefix}{line}");
        assert!(
            errors.contains(&full.as_str()),
            "missing `{full}` in:\n{stderr}"
        );
    }
    assert!(
        errors
            .iter()
            .any(|l| l.starts_with(&format!("{prefix}assets/js/bad.js:2:"))),
        "{stderr}"
    );
    assert_eq!(errors.len(), 4, "one line per problem:\n{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn deeply_nested_input_gives_one_cargo_error_line_per_file_not_a_crash() {
    let krate = TempCrate::new("assetlock_e2e_deep", "fn main() {}\n");
    let css = format!(
        "{}a{{color:red}}{}",
        "@media screen{".repeat(1_000),
        "}".repeat(1_000)
    );
    krate.write("assets/deep.css", &css);
    let js = format!("x = {}{};", "[".repeat(100_000), "]".repeat(100_000));
    krate.write("assets/deep.js", &js);
    let build = krate.cargo(&["build", "--quiet"], &[]);
    assert!(!build.status.success());
    let stderr = String::from_utf8_lossy(&build.stderr);
    let errors: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("error: assetlock_e2e_deep@"))
        .collect();
    let prefix = "error: assetlock_e2e_deep@0.0.0: ";
    let expected = [
        "assets/deep.css:1:1414: nesting deeper than 100 levels; split or flatten this part of the file",
        "assets/deep.js:1:10005: nesting deeper than 10000 levels; split or flatten this part of the file",
    ];
    for line in expected {
        let full = format!("{prefix}{line}");
        assert!(
            errors.contains(&full.as_str()),
            "missing `{full}` in:\n{stderr}"
        );
    }
    assert_eq!(errors.len(), 2, "{stderr}");
    assert!(!stderr.contains("overflow"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

const BYTES_MAIN: &str = r#"assetlock::include_manifest!();

fn main() {
    let asset = MANIFEST.get("app.txt").unwrap();
    match asset.bytes() {
        Ok(bytes) => print!("{}", String::from_utf8_lossy(bytes)),
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(3);
        }
    }
}
"#;

/// A string that only the asset contains, to look for in the binary.
const MARKER: &str = "only-in-the-asset:e2e4f1c0d9";

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

/// Prints each asset's size and a checksum of the bytes the binary serves for it.
const SUMS_MAIN: &str = r#"assetlock::include_manifest!();

fn main() {
    for asset in MANIFEST.iter() {
        let bytes = asset.bytes().unwrap();
        let sum = bytes.iter().fold(0u64, |sum, &b| sum.wrapping_mul(31).wrapping_add(b.into()));
        println!("{} {} {sum}", asset.logical_path(), bytes.len());
    }
}
"#;

fn sum_line(path: &str, bytes: &[u8]) -> String {
    let sum = bytes
        .iter()
        .fold(0u64, |sum, &b| sum.wrapping_mul(31).wrapping_add(b.into()));
    format!("{path} {} {sum}", bytes.len())
}

#[test]
fn embedded_bytes_are_in_the_binary() {
    // Debug profiles read the artifact dir by default; embedding is asked for.
    let krate = TempCrate::with_build(
        "assetlock_e2e_embedded",
        SUMS_MAIN,
        "assetlock_build::Config::new().asset_dir(\"assets\").embed(true).compile();",
    );
    // A small file goes into the pack; a large one is included from its artifact file.
    let big: String = (0..200_000u32)
        .map(|i| char::from(b'a' + (i * 7 % 26) as u8))
        .collect();
    krate.write("assets/app.txt", MARKER);
    krate.write("assets/big.txt", &big);
    let expected = [
        sum_line("app.txt", MARKER.as_bytes()),
        sum_line("big.txt", big.as_bytes()),
    ];
    assert_eq!(krate.build_and_run(&[]), expected);
    assert!(contains(&std::fs::read(krate.binary()).unwrap(), MARKER));
    // Both are in the binary: it serves them with the artifact dir gone.
    std::fs::remove_dir_all(krate.artifact_dir()).unwrap();
    let run = Command::new(krate.binary()).output().unwrap();
    assert!(run.status.success());
    let printed = String::from_utf8(run.stdout).unwrap();
    assert_eq!(printed.lines().collect::<Vec<_>>(), expected);
}

#[test]
fn non_embedded_bytes_come_from_the_artifact_dir_and_are_checked() {
    let krate = TempCrate::with_build(
        "assetlock_e2e_dist",
        BYTES_MAIN,
        "assetlock_build::Config::new().asset_dir(\"assets\").embed(false).compile();",
    );
    krate.write("assets/app.txt", MARKER);
    krate.build(&[]);
    assert!(
        !contains(&std::fs::read(krate.binary()).unwrap(), MARKER),
        "bytes must not be embedded"
    );
    // By default the binary reads its own build's artifact dir.
    let run = Command::new(krate.binary()).output().unwrap();
    assert_eq!(String::from_utf8_lossy(&run.stdout), MARKER);
    // ASSETLOCK_DIST points it elsewhere, e.g. a copy shipped beside the binary.
    let shipped = tempfile::tempdir().unwrap();
    let out_dir = krate.artifact_dir();
    for entry in walkdir::WalkDir::new(&out_dir) {
        let entry = entry.unwrap();
        let target = shipped
            .path()
            .join(entry.path().strip_prefix(&out_dir).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
    let run = Command::new(krate.binary())
        .env("ASSETLOCK_DIST", shipped.path())
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&run.stdout), MARKER);
    // A dir of another build is refused, not served.
    for entry in walkdir::WalkDir::new(shipped.path()) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            std::fs::write(entry.path(), "another build's bytes").unwrap();
        }
    }
    let run = Command::new(krate.binary())
        .env("ASSETLOCK_DIST", shipped.path())
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("not the bytes this binary was built with"),
        "{stderr}"
    );
}

#[test]
fn an_unknown_asset_in_a_template_fails_cargo_build_with_its_position() {
    let krate = TempCrate::with_build(
        "assetlock_e2e_templates",
        "fn main() {}\n",
        "assetlock_build::Config::new().asset_dir(\"assets\").templates(\"templates\").compile();",
    );
    krate.write("assets/css/app.css", "body { margin: 0 }\n");
    krate.write(
        "templates/page.html",
        "{{ stylesheet('css/app.css') }}\n<link href=\"{{ asset_url('css/ap.css') }}\">\n",
    );
    let build = krate.cargo(&["build", "--quiet"], &[]);
    assert!(!build.status.success());
    let stderr = String::from_utf8_lossy(&build.stderr);
    let expected = "error: assetlock_e2e_templates@0.0.0: templates/page.html:2:26: \
                    no asset named `css/ap.css`; did you mean `css/app.css`?";
    assert!(
        stderr.lines().any(|l| l == expected),
        "missing `{expected}` in:\n{stderr}"
    );

    krate.write(
        "templates/page.html",
        "{{ stylesheet('css/app.css') }}\n<link href=\"{{ asset_url('css/app.css') }}\">\n",
    );
    let fixed = krate.cargo(&["build", "--quiet"], &[]);
    assert!(
        fixed.status.success(),
        "{}",
        String::from_utf8_lossy(&fixed.stderr)
    );
}
