//! Catalogs: the release records an upload found, in one object
//! (`.assetlock/catalogs/<µs>-<token>.json`), so that a server starting up against a bucket of
//! thousands of releases reads one object instead of thousands.
//!
//! Each upload writes one, create-only, after its release is settled: the newest catalog it
//! finds, minus the records since pruned, plus the records written since (each checked, and
//! signed by a trusted key when the build trusts keys), signed with the upload's deploy key.
//! Every asset is written once however many records list it. A reader takes a catalog as a
//! cache of records it would otherwise read one by one: it still lists the records, drops those
//! the catalog names that are gone, and reads those it does not name.

use std::collections::{BTreeMap, HashMap};
use std::time::SystemTime;

use assetlock_contract::layout;
use assetlock_contract::manifest::{AssetJson, ManifestJson};
use assetlock_contract::signature::{self, Kind, PublicKey, SigningKey, Trust};
use futures::StreamExt;
use object_store::ObjectStoreExt;
use serde::{Deserialize, Serialize};

use super::listing::Listing;
use super::put::{self, Outcome};
use super::{Destination, signing};

/// The only `format` written and read.
const FORMAT: u32 = 1;

/// Records read at once while a catalog is made.
const READS: usize = 32;

/// The records of a bucket, each asset once.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct Catalog {
    format: u32,
    /// Every asset the records list: (logical path, asset).
    assets: Vec<(String, AssetJson)>,
    /// Each record's key and the indexes of its assets in `assets`.
    records: BTreeMap<String, Vec<u32>>,
}

impl Catalog {
    /// Parses a catalog: its format, every index in range and every path by the contract's
    /// rules; signed by one of the `trusted` keys when there are some.
    pub(crate) fn parse(text: &[u8], trusted: &[PublicKey]) -> Result<Catalog, String> {
        if !trusted.is_empty() {
            match signature::check(Kind::Catalog, text, trusted) {
                Trust::Signed(_) => {}
                Trust::Unsigned => return Err("not signed".into()),
                Trust::UntrustedKey(key) => {
                    return Err(format!("signed by {key}, which this build does not trust"));
                }
                Trust::Invalid(why) => return Err(why),
            }
        }
        let catalog: Catalog = serde_json::from_slice(text).map_err(|e| e.to_string())?;
        if catalog.format != FORMAT {
            return Err(format!("catalog format {} is not {FORMAT}", catalog.format));
        }
        for (logical, asset) in &catalog.assets {
            let paths = std::iter::once(&asset.path)
                .chain(asset.encodings.values().map(|v| &v.path))
                .chain(asset.deltas.iter().map(|d| &d.path));
            for path in paths {
                layout::check_artifact_path(path).map_err(|why| format!("{logical}: {why}"))?;
            }
        }
        let count = catalog.assets.len();
        for (key, indexes) in &catalog.records {
            if !layout::is_release_record(key) || indexes.iter().any(|&i| i as usize >= count) {
                return Err(format!(
                    "record {key} is not a release record of the catalog"
                ));
            }
        }
        Ok(catalog)
    }

    /// The records, each with its assets.
    pub(crate) fn records(
        &self,
    ) -> impl Iterator<Item = (&str, impl Iterator<Item = (&str, &AssetJson)>)> {
        self.records.iter().map(|(key, indexes)| {
            let assets = indexes.iter().map(|&i| {
                let (logical, asset) = &self.assets[i as usize];
                (logical.as_str(), asset)
            });
            (key.as_str(), assets)
        })
    }

    /// The catalog of the `listed` records: those of `base` it names, and `read` ones.
    fn of(base: &Catalog, listed: &[String], read: Vec<(String, ManifestJson)>) -> Catalog {
        let mut catalog = Catalog {
            format: FORMAT,
            ..Catalog::default()
        };
        let mut by_path: HashMap<String, u32> = HashMap::new();
        let mut add = |catalog: &mut Catalog, logical: &str, asset: &AssetJson| -> u32 {
            *by_path.entry(asset.path.clone()).or_insert_with(|| {
                catalog.assets.push((logical.to_owned(), asset.clone()));
                (catalog.assets.len() - 1) as u32
            })
        };
        for (key, assets) in base
            .records()
            .filter(|(key, _)| listed.iter().any(|l| l == key))
        {
            let indexes = assets.map(|(l, a)| add(&mut catalog, l, a)).collect();
            catalog.records.insert(key.to_owned(), indexes);
        }
        for (key, record) in read {
            let indexes = record
                .assets
                .iter()
                .map(|(l, a)| add(&mut catalog, l, a))
                .collect();
            catalog.records.insert(key, indexes);
        }
        catalog
    }

    fn render(&self, signer: Option<&SigningKey>) -> Result<Vec<u8>, String> {
        let text = serde_json::to_vec(self).map_err(|e| e.to_string())?;
        match signer {
            Some(key) => signature::sign(Kind::Catalog, &text, key),
            None => Ok(text),
        }
    }
}

/// The newest catalog under the prefix (by the store's clock), if one can be read: a reader
/// that cannot read it reads the records instead.
pub(crate) async fn newest(
    dest: &Destination,
    trusted: &[PublicKey],
) -> Result<Option<(String, Catalog)>, String> {
    let listing = Listing::fetch_under(dest, layout::CATALOGS)
        .await
        .map_err(|e| e.to_string())?;
    let newest = listing
        .objects
        .iter()
        .filter(|(key, _)| layout::is_catalog(key))
        .max_by_key(|(key, listed)| (listed.last_modified, key.as_str()));
    let Some((key, _)) = newest else {
        return Ok(None);
    };
    let text = get(dest, key).await?;
    Ok(Catalog::parse(&text, trusted)
        .ok()
        .map(|catalog| (key.clone(), catalog)))
}

async fn get(dest: &Destination, key: &str) -> Result<bytes::Bytes, String> {
    let path = dest.key(key)?;
    let result = dest.store().get(&path).await.map_err(|e| e.to_string())?;
    result.bytes().await.map_err(|e| e.to_string())
}

/// Writes a new catalog of the records listed now (see the module docs). Returns its key.
pub(crate) async fn publish(
    dest: &Destination,
    trusted: &[PublicKey],
    signer: Option<&SigningKey>,
) -> Result<String, String> {
    let base = newest(dest, trusted)
        .await?
        .map(|(_, c)| c)
        .unwrap_or_default();
    let listing = Listing::fetch_under(dest, layout::RELEASES)
        .await
        .map_err(|e| e.to_string())?;
    let listed: Vec<String> = listing
        .objects
        .into_keys()
        .filter(|key| layout::is_release_record(key))
        .collect();
    let unread: Vec<String> = listed
        .iter()
        .filter(|key| !base.records.contains_key(*key))
        .cloned()
        .collect();
    let reads = futures::stream::iter(unread)
        .map(|key| async move {
            let text = get(dest, &key).await.ok()?;
            signing::trusted_record(&text, trusted).ok()?;
            let record = ManifestJson::parse(&text).ok()?;
            (layout::release_key(&record.build_id) == key).then_some((key, record))
        })
        .buffer_unordered(READS)
        .filter_map(std::future::ready)
        .collect::<Vec<_>>()
        .await;
    let catalog = Catalog::of(&base, &listed, reads);
    let micros = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap_or_default()
        .as_micros() as u64;
    let key = layout::catalog_key(micros, &super::lease::token("catalog"));
    match put::put_record(dest, &key, catalog.render(signer)?).await? {
        Outcome::Created | Outcome::AlreadyThere => Ok(key),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(id: &str, paths: &[&str]) -> ManifestJson {
        let assets: Vec<String> = paths
            .iter()
            .map(|path| {
                format!(
                    r#""{path}": {{"url": "/assets/{path}", "path": "{path}", "size": 1,
                    "sha256": "00", "integrity": "x", "content_type": "text/css"}}"#
                )
            })
            .collect();
        let text = format!(
            r#"{{"format": 1, "build_id": "{id}", "url_prefix": "/assets/", "assets": {{{}}}}}"#,
            assets.join(",")
        );
        ManifestJson::parse(text.as_bytes()).unwrap()
    }

    fn key(id: &str) -> String {
        layout::release_key(id)
    }

    #[test]
    fn assets_are_written_once_and_gone_records_are_dropped() {
        let read = vec![
            (key("a"), record("a", &["shared.1.css", "a.1.css"])),
            (key("b"), record("b", &["shared.1.css", "b.1.css"])),
        ];
        let first = Catalog::of(&Catalog::default(), &[key("a"), key("b")], read);
        assert_eq!(first.assets.len(), 3);
        let text = first.render(None).unwrap();
        let parsed = Catalog::parse(&text, &[]).unwrap();
        // `a` pruned since, `c` new.
        let next = Catalog::of(
            &parsed,
            &[key("b"), key("c")],
            vec![(key("c"), record("c", &["c.1.css"]))],
        );
        let records: Vec<&str> = next.records().map(|(k, _)| k).collect();
        assert_eq!(records, [key("b"), key("c")]);
        let b: Vec<&str> = next
            .records()
            .next()
            .unwrap()
            .1
            .map(|(_, a)| a.path.as_str())
            .collect();
        assert_eq!(b, ["b.1.css", "shared.1.css"]);
    }

    #[test]
    fn a_reader_that_trusts_keys_takes_only_a_catalog_one_of_them_signed() {
        let signer = SigningKey::generate().unwrap();
        let read = vec![(key("a"), record("a", &["a.1.css"]))];
        let catalog = Catalog::of(&Catalog::default(), &[key("a")], read);
        let trusted = [signer.public_key()];
        let signed = catalog.render(Some(&signer)).unwrap();
        assert!(Catalog::parse(&signed, &trusted).is_ok());
        let unsigned = catalog.render(None).unwrap();
        assert_eq!(
            Catalog::parse(&unsigned, &trusted).unwrap_err(),
            "not signed"
        );
        assert!(Catalog::parse(&unsigned, &[]).is_ok());
    }

    #[test]
    fn a_catalog_that_breaks_the_rules_is_refused() {
        let bad_index =
            br#"{"format": 1, "assets": [], "records": {".assetlock/releases/a.json": [0]}}"#;
        assert!(Catalog::parse(bad_index, &[]).is_err());
        let bad_format = br#"{"format": 2, "assets": [], "records": {}}"#;
        assert!(Catalog::parse(bad_format, &[]).is_err());
    }
}
