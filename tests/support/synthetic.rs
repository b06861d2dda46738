//! Synthetic releases: builds made of a few generated files, written as `manifest.json` and a
//! dist dir (for the upload API) or straight into a bucket as objects and a release record
//! (for tests that need hundreds of releases). Each release has one asset of its own and
//! shares the rest with every other release, as real releases share most of their files.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use assetlock::upload::object_store::path::Path as Key;
use assetlock::upload::object_store::{ObjectStore, ObjectStoreExt, PutPayload};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

/// One release: its build id, objects (key, bytes) and manifest.
pub struct Release {
    pub build_id: String,
    pub objects: Vec<(String, Vec<u8>)>,
    pub manifest: Value,
}

/// Release `n`: `css/own.css` holds its number, `js/shared-{k}.js` (k < `shared`) are the
/// same in every release.
pub fn release(n: usize, shared: usize) -> Release {
    let mut files = vec![(
        "css/own.css".to_owned(),
        format!(".release-{n} {{}}\n").into_bytes(),
    )];
    for k in 0..shared {
        let text = format!("export const k = {k};\n");
        files.push((format!("js/shared-{k}.js"), text.into_bytes()));
    }
    of_files(&format!("synthetic{n:08}"), files)
}

/// A release of `files` (logical path, bytes).
pub fn of_files(build_id: &str, files: Vec<(String, Vec<u8>)>) -> Release {
    let mut assets = BTreeMap::new();
    let mut objects = Vec::new();
    for (logical, bytes) in files {
        let sha = hex(&Sha256::digest(&bytes));
        let (stem, ext) = logical.rsplit_once('.').unwrap();
        let path = format!("{stem}.{}.{ext}", &sha[..16]);
        let content_type = match ext {
            "css" => "text/css; charset=utf-8",
            "js" => "text/javascript; charset=utf-8",
            _ => "application/octet-stream",
        };
        assets.insert(
            logical,
            json!({
                "url": format!("/assets/{path}"),
                "path": path,
                "size": bytes.len(),
                "sha256": sha,
                "integrity": "sha256-x",
                "content_type": content_type,
                "encodings": {},
            }),
        );
        objects.push((path, bytes));
    }
    let manifest = json!({
        "format": 1,
        "build_id": build_id,
        "url_prefix": "/assets/",
        "assets": assets,
    });
    Release {
        build_id: build_id.to_owned(),
        objects,
        manifest,
    }
}

/// `len` bytes that no coding compresses, the same every time.
pub fn noise(len: usize) -> Vec<u8> {
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state as u8
        })
        .collect()
}

impl Release {
    /// The hashed path of `logical`.
    pub fn path(&self, logical: &str) -> String {
        self.manifest["assets"][logical]["path"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    /// Writes `manifest.json` and `dist/` under `dir`; returns their paths.
    pub fn write(&self, dir: &Path) -> (PathBuf, PathBuf) {
        let dist = dir.join("dist");
        for (key, bytes) in &self.objects {
            let path = dist.join(key);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, bytes).unwrap();
        }
        let manifest = dir.join("manifest.json");
        std::fs::write(&manifest, self.manifest.to_string()).unwrap();
        (manifest, dist)
    }

    /// The release record's text.
    pub fn record(&self) -> String {
        let mut record = self.manifest.clone();
        record["uploaded_at"] = json!("2026-01-01T00:00:00.000000Z");
        record.to_string()
    }

    /// Writes the objects and the release record as files under `dir`, the directory a
    /// file-backed store keeps the prefix in: hundreds of releases in moments.
    pub fn write_objects(&self, dir: &Path) {
        for (key, bytes) in &self.objects {
            let path = dir.join(key);
            if !path.exists() {
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(path, bytes).unwrap();
            }
        }
        let record = dir.join(format!(".assetlock/releases/{}.json", self.build_id));
        std::fs::create_dir_all(record.parent().unwrap()).unwrap();
        std::fs::write(record, self.record()).unwrap();
    }

    /// Stores the objects and the release record under `prefix`, as an upload would, without
    /// the upload's listing and deploy event.
    pub async fn store(&self, store: &dyn ObjectStore, prefix: &str) {
        for (key, bytes) in &self.objects {
            let path = Key::parse(format!("{prefix}/{key}")).unwrap();
            store
                .put(&path, PutPayload::from(bytes.clone()))
                .await
                .unwrap();
        }
        let key = format!("{prefix}/.assetlock/releases/{}.json", self.build_id);
        let path = Key::parse(key).unwrap();
        store
            .put(&path, PutPayload::from(self.record()))
            .await
            .unwrap();
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The page a forged record lists: script, if a server ever let it run.
pub const FORGED_PAGE: &[u8] = b"<!doctype html><script>document.title = 'owned'</script>\n";

/// A record nobody signed, put under `prefix` by whoever can write to the bucket: valid JSON,
/// the right SHA-256, and the type it hopes the server takes. Returns the page's hashed path.
pub async fn forge_page(store: &dyn ObjectStore, prefix: &str) -> String {
    let sha = hex(&Sha256::digest(FORGED_PAGE));
    let path = format!("page.{}.html", &sha[..16]);
    let record = json!({
        "format": 1, "build_id": "forged", "url_prefix": "/assets/",
        "uploaded_at": "2026-01-01T00:00:00.000000Z",
        "assets": {"page.html": {
            "url": format!("/assets/{path}"), "path": path, "size": FORGED_PAGE.len(),
            "sha256": sha, "integrity": "sha256-x", "content_type": "text/html; charset=utf-8"}},
    });
    for (key, bytes) in [
        (path.clone(), FORGED_PAGE.to_vec()),
        (
            ".assetlock/releases/forged.json".to_owned(),
            record.to_string().into_bytes(),
        ),
    ] {
        let key = Key::parse(format!("{prefix}/{key}")).unwrap();
        store.put(&key, PutPayload::from(bytes)).await.unwrap();
    }
    path
}
