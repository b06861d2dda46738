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
    /// Each record, by key.
    records: BTreeMap<String, Entry>,
}

/// A record of a catalog.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Entry {
    /// The key that signed the record (`ed25519:...`), its signature checked; absent when the
    /// record is unsigned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    signer: Option<String>,
    /// The indexes of its assets in `assets`.
    assets: Vec<u32>,
}

impl Entry {
    /// Whether a reader trusting `trusted` keys (none: the bucket) takes the record.
    fn trusted_by(&self, trusted: &[PublicKey]) -> bool {
        if trusted.is_empty() {
            return true;
        }
        let signer = self.signer.as_deref().map(PublicKey::parse);
        matches!(signer, Some(Ok(key)) if trusted.contains(&key))
    }
}

/// A record read for a catalog: the key that signed it (checked), and the record.
type Read = (Option<PublicKey>, ManifestJson);

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
        for (key, entry) in &catalog.records {
            let in_range = entry.assets.iter().all(|&i| (i as usize) < count);
            if !layout::is_release_record(key) || !in_range {
                return Err(format!(
                    "record {key} is not a release record of the catalog"
                ));
            }
            if let Some(signer) = &entry.signer {
                PublicKey::parse(signer).map_err(|why| format!("record {key}: {why}"))?;
            }
        }
        Ok(catalog)
    }

    /// The records a reader trusting `trusted` keys takes (every one when it trusts none),
    /// each with its assets.
    #[cfg(any(test, feature = "fallback"))]
    pub(crate) fn records<'a>(
        &'a self,
        trusted: &'a [PublicKey],
    ) -> impl Iterator<Item = (&'a str, impl Iterator<Item = (&'a str, &'a AssetJson)>)> {
        self.records
            .iter()
            .filter(|(_, entry)| entry.trusted_by(trusted))
            .map(|(key, entry)| (key.as_str(), self.assets_of(entry)))
    }

    fn assets_of<'a>(&'a self, entry: &'a Entry) -> impl Iterator<Item = (&'a str, &'a AssetJson)> {
        entry.assets.iter().map(|&i| {
            let (logical, asset) = &self.assets[i as usize];
            (logical.as_str(), asset)
        })
    }

    /// The catalog of the `listed` records: those of `base` it names that a reader trusting
    /// `trusted` keys takes, and `read` ones.
    fn of(
        base: &Catalog,
        (listed, trusted): (&[String], &[PublicKey]),
        read: Vec<(String, Read)>,
    ) -> Catalog {
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
        for (key, entry) in &base.records {
            if !entry.trusted_by(trusted) || !listed.iter().any(|l| l == key) {
                continue;
            }
            let assets = base.assets_of(entry);
            let assets = assets.map(|(l, a)| add(&mut catalog, l, a)).collect();
            let signer = entry.signer.clone();
            catalog
                .records
                .insert(key.clone(), Entry { signer, assets });
        }
        for (key, (signer, record)) in read {
            let assets = record.assets.iter();
            let assets = assets.map(|(l, a)| add(&mut catalog, l, a)).collect();
            let signer = signer.map(|k| k.to_string());
            catalog.records.insert(key, Entry { signer, assets });
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
            // A signature that does not verify: the record goes in no catalog.
            let signer = signature::signer(Kind::Record, &text).ok()?;
            let record = ManifestJson::parse(&text).ok()?;
            let read = (signer, record);
            (layout::release_key(&read.1.build_id) == key).then_some((key, read))
        })
        .buffer_unordered(READS)
        .filter_map(std::future::ready)
        .collect::<Vec<_>>()
        .await;
    let catalog = Catalog::of(&base, (&listed, trusted), reads);
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

    fn unsigned(id: &str, paths: &[&str]) -> (String, Read) {
        (key(id), (None, record(id, paths)))
    }

    fn keys<'a>(catalog: &'a Catalog, trusted: &'a [PublicKey]) -> Vec<&'a str> {
        catalog.records(trusted).map(|(k, _)| k).collect()
    }

    #[test]
    fn assets_are_written_once_and_gone_records_are_dropped() {
        let read = vec![
            unsigned("a", &["shared.1.css", "a.1.css"]),
            unsigned("b", &["shared.1.css", "b.1.css"]),
        ];
        let first = Catalog::of(&Catalog::default(), (&[key("a"), key("b")], &[]), read);
        assert_eq!(first.assets.len(), 3);
        let text = first.render(None).unwrap();
        let parsed = Catalog::parse(&text, &[]).unwrap();
        // `a` pruned since, `c` new.
        let listed = [key("b"), key("c")];
        let next = Catalog::of(&parsed, (&listed, &[]), vec![unsigned("c", &["c.1.css"])]);
        assert_eq!(keys(&next, &[]), [key("b"), key("c")]);
        let (_, b) = next.records(&[]).next().unwrap();
        let b: Vec<&str> = b.map(|(_, a)| a.path.as_str()).collect();
        assert_eq!(b, ["b.1.css", "shared.1.css"]);
    }

    #[test]
    fn a_reader_takes_only_the_records_its_own_keys_signed() {
        let (a, b) = (
            SigningKey::generate().unwrap(),
            SigningKey::generate().unwrap(),
        );
        let read = vec![
            (key("x"), (Some(a.public_key()), record("x", &["x.1.css"]))),
            (key("y"), (Some(b.public_key()), record("y", &["y.1.css"]))),
            unsigned("z", &["z.1.css"]),
        ];
        let listed = [key("x"), key("y"), key("z")];
        // Written during a rotation, by an upload that trusted both keys, signed with B.
        let catalog = Catalog::of(&Catalog::default(), (&listed, &[]), read);
        let text = catalog.render(Some(&b)).unwrap();
        let b_only = [b.public_key()];
        let parsed = Catalog::parse(&text, &b_only).unwrap();
        assert_eq!(
            keys(&parsed, &b_only),
            [key("y")],
            "A's record needs a reader of A"
        );
        let both = [a.public_key(), b.public_key()];
        assert_eq!(keys(&parsed, &both), [key("x"), key("y")]);
        assert_eq!(keys(&parsed, &[]).len(), 3);
    }

    #[test]
    fn a_reader_that_trusts_keys_takes_only_a_catalog_one_of_them_signed() {
        let signer = SigningKey::generate().unwrap();
        let catalog = Catalog::of(
            &Catalog::default(),
            (&[key("a")], &[]),
            vec![unsigned("a", &["a.1.css"])],
        );
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
        let bad_index = br#"{"format": 1, "assets": [],
            "records": {".assetlock/releases/a.json": {"assets": [0]}}}"#;
        assert!(Catalog::parse(bad_index, &[]).is_err());
        let bad_format = br#"{"format": 2, "assets": [], "records": {}}"#;
        assert!(Catalog::parse(bad_format, &[]).is_err());
    }
}
