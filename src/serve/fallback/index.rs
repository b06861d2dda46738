//! The release records of a bucket, read into a map from hashed path to what the record says
//! of the object: the only keys a fallback ever fetches.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use assetlock_contract::Encoding;
use assetlock_contract::dictionary::DeltaCoding;
use assetlock_contract::manifest::ManifestJson;

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
    /// The object of a representation.
    pub(super) fn object(&self, encoding: Encoding) -> &Object {
        self.variants
            .iter()
            .find(|(e, _)| *e == encoding)
            .map_or(&self.identity, |(_, o)| o)
    }
}

/// The records read so far, by record key, and every hashed path they list.
#[derive(Default)]
pub(super) struct Index {
    records: HashMap<String, Arc<ManifestJson>>,
    by_path: HashMap<String, Arc<Remote>>,
    /// Every object key the records list, variants included.
    keys: HashSet<String>,
}

impl Index {
    /// The asset served at a hashed path (not percent-encoded), if a record lists it.
    pub(super) fn get(&self, hashed_path: &str) -> Option<Arc<Remote>> {
        self.by_path.get(hashed_path).cloned()
    }

    /// Whether a record lists the object `key` (relative to the prefix).
    pub(super) fn lists(&self, key: &str) -> bool {
        self.keys.contains(key)
    }

    /// Whether the record at `key` was read already (records never change once written).
    pub(super) fn has_record(&self, key: &str) -> bool {
        self.records.contains_key(key)
    }

    /// The index of exactly the records listed now: `kept` keys (already read) and the
    /// `new` ones; records no longer listed (pruned) are dropped.
    pub(super) fn replaced(&self, kept: &[String], new: Vec<(String, ManifestJson)>) -> Index {
        let mut records: HashMap<String, Arc<ManifestJson>> = kept
            .iter()
            .filter_map(|key| Some((key.clone(), Arc::clone(self.records.get(key)?))))
            .collect();
        records.extend(new.into_iter().map(|(key, m)| (key, Arc::new(m))));
        let mut by_path = HashMap::new();
        let mut keys = HashSet::new();
        // Sorted, so the same records give the same index whatever order they were read in.
        let mut sorted: Vec<_> = records.iter().collect();
        sorted.sort_by(|a, b| a.0.cmp(b.0));
        for (_, manifest) in sorted {
            keys.extend(manifest.keys().map(str::to_owned));
            for (logical, asset) in &manifest.assets {
                let has_variants = !asset.encodings.is_empty();
                let remote = Remote {
                    pattern: crate::serve::response::dictionary_pattern(
                        &asset.url,
                        logical,
                        has_variants,
                    ),
                    deltas: asset
                        .deltas
                        .iter()
                        .filter_map(|d| {
                            let object = Object {
                                key: d.path.clone(),
                                size: d.size,
                                sha256: d.sha256.clone(),
                            };
                            let coding = DeltaCoding::from_token(&d.encoding)?;
                            Some((d.dictionary.clone(), coding, object))
                        })
                        .collect(),
                    content_type: asset.content_type.clone(),
                    identity: Object {
                        key: asset.path.clone(),
                        size: asset.size,
                        sha256: asset.sha256.clone(),
                    },
                    variants: asset
                        .variants()
                        .map(|(e, v)| {
                            let object = Object {
                                key: v.path.clone(),
                                size: v.size,
                                sha256: v.sha256.clone(),
                            };
                            (e, object)
                        })
                        .collect(),
                };
                by_path
                    .entry(asset.path.clone())
                    .or_insert_with(|| Arc::new(remote));
            }
        }
        Index {
            records,
            by_path,
            keys,
        }
    }

    /// The number of records.
    pub(super) fn records(&self) -> usize {
        self.records.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(id: &str, path: &str) -> ManifestJson {
        let text = format!(
            r#"{{"format": 1, "build_id": "{id}", "url_prefix": "/assets/", "assets": {{
                "a.css": {{"url": "/assets/{path}", "path": "{path}", "size": 3, "sha256": "aa",
                "integrity": "sha384-x", "content_type": "text/css",
                "encodings": {{"br": {{"path": "{path}.br", "size": 2, "sha256": "bb"}}}}}}}}}}"#
        );
        ManifestJson::parse(text.as_bytes()).unwrap()
    }

    #[test]
    fn lists_the_hashed_paths_of_every_record_and_drops_unlisted_ones() {
        let index = Index::default().replaced(
            &[],
            vec![
                ("r1".into(), record("b1", "a.1.css")),
                ("r2".into(), record("b2", "a.2.css")),
            ],
        );
        let remote = index.get("a.1.css").unwrap();
        assert_eq!(remote.object(Encoding::Brotli).key, "a.1.css.br");
        assert_eq!(remote.object(Encoding::Gzip).key, "a.1.css");
        assert!(index.get("a.1.css.br").is_none(), "variants are not assets");

        let pruned = index.replaced(&["r2".into()], Vec::new());
        assert!(pruned.get("a.1.css").is_none());
        assert!(pruned.get("a.2.css").is_some());
        assert!(pruned.lists("a.2.css.br") && !pruned.lists("a.1.css.br"));
        assert_eq!(pruned.records(), 1);
    }
}
