//! Builds of small sites with `assetlock-build`, as manifest.json + dist dir.

use std::path::PathBuf;

use assetlock::upload::Source;
use serde_json::Value;
use sha2::{Digest, Sha256};

/// The files of the default fixture site.
pub const SITE: &[(&str, &str)] = &[
    (
        "css/app.css",
        "body { background: url(\"../img/logo.svg\"); color: #333 }\n",
    ),
    (
        "img/logo.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1\" height=\"1\"/>\n",
    ),
    ("js/app.js", "console.log(\"hello\");\n"),
    (
        "js/app.js.map",
        "{\"version\":3,\"sources\":[],\"names\":[],\"mappings\":\"\"}\n",
    ),
    ("names/with space.txt", "spaces\n"),
    ("names/café.txt", "accents\n"),
    ("names/100%.txt", "percent\n"),
];

/// One build on disk.
pub struct Build {
    pub dir: tempfile::TempDir,
    pub manifest_path: PathBuf,
    pub dist_dir: PathBuf,
    pub build_id: String,
}

/// Builds `files` (logical path, contents) with the default configuration.
pub fn build(files: &[(&str, &str)]) -> Build {
    build_with(files, |_| {})
}

/// Builds `files` with the configuration `configure` adjusts.
pub fn build_with(
    files: &[(&str, &str)],
    configure: impl FnOnce(&mut assetlock_build::Config),
) -> Build {
    let dir = tempfile::tempdir().unwrap();
    for (path, contents) in files {
        let path = dir.path().join("assets").join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, contents).unwrap();
    }
    let mut config = assetlock_build::Config::new();
    config
        .asset_dir(dir.path().join("assets"))
        .out_dir(dir.path().join("out"));
    configure(&mut config);
    let output = config.try_compile().unwrap();
    Build {
        manifest_path: output.manifest_path(),
        dist_dir: output.dist_dir(),
        build_id: output.build_id().to_owned(),
        dir,
    }
}

/// The default site.
pub fn site() -> Build {
    build(SITE)
}

impl Build {
    pub fn source(&self) -> Source {
        Source::from_manifest_json(&self.manifest_path, &self.dist_dir).unwrap()
    }

    pub fn manifest(&self) -> Value {
        serde_json::from_slice(&std::fs::read(&self.manifest_path).unwrap()).unwrap()
    }

    /// The asset entry of a logical path.
    pub fn asset(&self, logical: &str) -> Value {
        self.manifest()["assets"][logical].clone()
    }

    /// The hashed path (object key) of a logical path.
    pub fn key(&self, logical: &str) -> String {
        self.asset(logical)["path"].as_str().unwrap().to_owned()
    }

    /// Every object key of the build: identity files and variants, maps included or not.
    pub fn keys(&self, include_maps: bool) -> Vec<String> {
        let manifest = self.manifest();
        let mut keys = Vec::new();
        for (logical, asset) in manifest["assets"].as_object().unwrap() {
            if !include_maps && logical.ends_with(".map") {
                continue;
            }
            keys.push(asset["path"].as_str().unwrap().to_owned());
            for variant in asset["encodings"].as_object().unwrap().values() {
                keys.push(variant["path"].as_str().unwrap().to_owned());
            }
        }
        keys.sort();
        keys
    }

    /// The release record key of this build.
    pub fn record_key(&self) -> String {
        format!(".assetlock/releases/{}.json", self.build_id)
    }

    /// Every key an upload of this build stores but its deploy events and catalogs: its
    /// objects, maps included, and its record.
    pub fn keys_with_record(&self) -> std::collections::BTreeSet<String> {
        let mut keys: std::collections::BTreeSet<String> = self.keys(true).into_iter().collect();
        keys.insert(self.record_key());
        keys
    }

    /// Adds a precompressed variant of `logical` with these bytes, in the dist dir and in
    /// manifest.json, as the build does when it keeps one; returns the variant's key.
    pub fn add_variant(&self, logical: &str, token: &str, extension: &str, bytes: &[u8]) -> String {
        let mut manifest = self.manifest();
        let asset = &mut manifest["assets"][logical];
        let path = format!("{}{extension}", asset["path"].as_str().unwrap());
        std::fs::write(self.dist_dir.join(&path), bytes).unwrap();
        asset["encodings"][token] = serde_json::json!({
            "path": path,
            "size": bytes.len(),
            "sha256": hex_sha256(bytes),
        });
        let text = serde_json::to_string_pretty(&manifest).unwrap();
        std::fs::write(&self.manifest_path, text).unwrap();
        path
    }
}

pub fn hex_sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
