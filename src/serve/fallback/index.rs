//! The release records read so far, as a map from hashed path to what a record says of the
//! object: the only keys a fallback ever fetches. Records are immutable once written, so the
//! index grows and shrinks one record at a time and never reads a record twice.
//!
//! Memory: each distinct asset is held once however many records list it (releases share most
//! of their assets), and each record costs its key and one pointer per asset it lists (16
//! bytes). The `fallback_index` bench measures it.

use std::collections::HashMap;
use std::sync::Arc;

use assetlock_contract::Encoding;
use assetlock_contract::dictionary::DeltaCoding;
use assetlock_contract::manifest::{AssetJson, ManifestJson};

/// An object a release record lists, by key relative to the prefix.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Object {
    pub(super) key: String,
    pub(super) size: u64,
    pub(super) sha256: String,
}

/// One asset of another release: its identity object and variants.
#[derive(Debug)]
pub(super) struct Remote {
    pub(super) content_type: String,
    pub(super) identity: Object,
    /// Least preferred coding first.
    pub(super) variants: Vec<(Encoding, Object)>,
    /// Deltas by dictionary (lower-case hex SHA-256).
    pub(super) deltas: Vec<(String, DeltaCoding, Object)>,
    /// The `Use-As-Dictionary` pattern, when the asset is announced as a dictionary.
    pub(super) pattern: Option<String>,
}

impl Remote {
    fn new(logical: &str, asset: &AssetJson) -> Remote {
        let object = |key: &str, size, sha256: &str| Object {
            key: key.to_owned(),
            size,
            sha256: sha256.to_owned(),
        };
        Remote {
            pattern: crate::serve::response::dictionary_pattern(
                &asset.url,
                logical,
                !asset.encodings.is_empty(),
            ),
            deltas: asset
                .deltas
                .iter()
                .filter_map(|d| {
                    let coding = DeltaCoding::from_token(&d.encoding)?;
                    let delta = object(&d.path, d.size, &d.sha256);
                    Some((d.dictionary.clone(), coding, delta))
                })
                .collect(),
            // By the extension, as the build names it: never what a record says.
            content_type: assetlock_contract::mime::content_type(&asset.path).to_owned(),
            identity: object(&asset.path, asset.size, &asset.sha256),
            variants: asset
                .variants()
                .map(|(e, v)| (e, object(&v.path, v.size, &v.sha256)))
                .collect(),
        }
    }

    /// The object of a representation.
    pub(super) fn object(&self, encoding: Encoding) -> &Object {
        self.variants
            .iter()
            .find(|(e, _)| *e == encoding)
            .map_or(&self.identity, |(_, o)| o)
    }

    /// Every object of the asset: identity, variants and deltas.
    pub(super) fn objects(&self) -> impl Iterator<Item = &Object> {
        std::iter::once(&self.identity)
            .chain(self.variants.iter().map(|(_, o)| o))
            .chain(self.deltas.iter().map(|(_, _, o)| o))
    }
}

/// An asset and how many records list it.
struct Listed {
    remote: Arc<Remote>,
    records: u32,
}

/// The records read so far, by record key, and every hashed path they list.
#[derive(Default)]
pub(super) struct Index {
    /// The hashed paths each record lists.
    records: HashMap<String, Box<[Arc<str>]>>,
    by_path: HashMap<Arc<str>, Listed>,
}

impl Index {
    /// The asset served at a hashed path (not percent-encoded), if a record lists it.
    pub(super) fn get(&self, hashed_path: &str) -> Option<Arc<Remote>> {
        self.by_path.get(hashed_path).map(|l| Arc::clone(&l.remote))
    }

    /// Whether the record at `key` is indexed (records never change once written).
    pub(super) fn has_record(&self, key: &str) -> bool {
        self.records.contains_key(key)
    }

    /// The keys of the records indexed.
    pub(super) fn record_keys(&self) -> impl Iterator<Item = &str> {
        self.records.keys().map(String::as_str)
    }

    /// Adds a record. An asset another record lists already keeps what that record said.
    pub(super) fn insert(&mut self, key: String, record: &ManifestJson) {
        let assets = record.assets.iter().map(|(l, a)| (l.as_str(), a));
        self.insert_assets(key, assets);
    }

    /// Adds the record `key` listing `assets` (logical path, asset).
    pub(super) fn insert_assets<'a>(
        &mut self,
        key: String,
        assets: impl Iterator<Item = (&'a str, &'a AssetJson)>,
    ) {
        if self.records.contains_key(&key) {
            return;
        }
        let mut paths = Vec::new();
        for (logical, asset) in assets {
            let path = match self.by_path.get_key_value(asset.path.as_str()) {
                Some((path, _)) => Arc::clone(path),
                None => Arc::from(asset.path.as_str()),
            };
            let listed = self
                .by_path
                .entry(Arc::clone(&path))
                .or_insert_with(|| Listed {
                    remote: Arc::new(Remote::new(logical, asset)),
                    records: 0,
                });
            listed.records += 1;
            paths.push(path);
        }
        self.records.insert(key, paths.into_boxed_slice());
    }

    /// Drops a record (pruned); returns the assets no other record lists any more.
    pub(super) fn remove(&mut self, key: &str) -> Vec<Arc<Remote>> {
        let Some(paths) = self.records.remove(key) else {
            return Vec::new();
        };
        let mut dropped = Vec::new();
        for path in paths.iter() {
            if let Some(listed) = self.by_path.get_mut(path) {
                listed.records -= 1;
                if listed.records == 0 {
                    dropped.extend(self.by_path.remove(path).map(|l| l.remote));
                }
            }
        }
        dropped
    }

    /// The number of records.
    pub(super) fn records(&self) -> usize {
        self.records.len()
    }

    /// The number of distinct assets the records list.
    pub(super) fn assets(&self) -> usize {
        self.by_path.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(id: &str, paths: &[&str]) -> ManifestJson {
        let assets: Vec<String> = paths
            .iter()
            .enumerate()
            .map(|(i, path)| {
                format!(
                    r#""a{i}.css": {{"url": "/assets/{path}", "path": "{path}", "size": 3,
                    "sha256": "aa", "integrity": "sha384-x", "content_type": "text/css",
                    "encodings": {{"br": {{"path": "{path}.br", "size": 2, "sha256": "bb"}}}}}}"#
                )
            })
            .collect();
        let text = format!(
            r#"{{"format": 1, "build_id": "{id}", "url_prefix": "/assets/", "assets": {{{}}}}}"#,
            assets.join(",")
        );
        ManifestJson::parse(text.as_bytes()).unwrap()
    }

    #[test]
    fn lists_the_hashed_paths_of_every_record() {
        let mut index = Index::default();
        index.insert("r1".into(), &record("b1", &["a.1.css"]));
        index.insert("r2".into(), &record("b2", &["a.2.css"]));
        let remote = index.get("a.1.css").unwrap();
        assert_eq!(remote.object(Encoding::Brotli).key, "a.1.css.br");
        assert_eq!(remote.object(Encoding::Gzip).key, "a.1.css");
        assert!(index.get("a.1.css.br").is_none(), "variants are not assets");
        assert_eq!((index.records(), index.assets()), (2, 2));
    }

    #[test]
    fn an_asset_stays_while_any_record_lists_it() {
        let mut index = Index::default();
        index.insert("r1".into(), &record("b1", &["shared.css", "a.1.css"]));
        index.insert("r2".into(), &record("b2", &["shared.css", "a.2.css"]));
        assert_eq!(index.assets(), 3);

        let dropped = index.remove("r1");
        let keys: Vec<_> = dropped.iter().map(|r| r.identity.key.as_str()).collect();
        assert_eq!(keys, ["a.1.css"]);
        assert!(index.get("shared.css").is_some() && index.get("a.2.css").is_some());
        assert!(index.get("a.1.css").is_none());

        index.remove("r2");
        assert_eq!((index.records(), index.assets()), (0, 0));
    }

    #[test]
    fn a_record_is_indexed_once() {
        let mut index = Index::default();
        index.insert("r1".into(), &record("b1", &["a.1.css"]));
        index.insert("r1".into(), &record("b1", &["a.1.css"]));
        assert!(index.has_record("r1"));
        index.remove("r1");
        assert!(index.get("a.1.css").is_none());
    }
}
