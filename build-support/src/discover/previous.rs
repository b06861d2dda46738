//! The earlier releases deltas are made against: the newest release records of a copy of the
//! destination (a `file://` destination, or a synced copy of the bucket prefix), and the
//! versions of each asset they list.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use assetlock_contract::layout;
use assetlock_contract::manifest::ManifestJson;
use assetlock_contract::signature::{self, Kind, PublicKey, Trust};

use crate::error::Diagnostic;

/// One earlier version of an asset: its identity object in the copy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Version {
    /// The object file.
    pub path: PathBuf,
    pub size: u64,
    /// Lower-case hex SHA-256, as the record gives it.
    pub sha256: String,
}

/// The versions of each logical path in the newest releases, newest first, each once.
#[derive(Debug, Default)]
pub(crate) struct Previous {
    /// The record files read, newest first: part of the build's identity.
    pub records: Vec<String>,
    pub versions: BTreeMap<String, Vec<Version>>,
}

/// The file names of the release records under `dir`, sorted; none when it has none.
pub(crate) fn record_names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir.join(layout::RELEASES))
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Reads the `keep` newest release records under `dir`: ranked by upload time, then build id.
/// A dir without records (before the first upload) gives no versions. With `trusted` keys,
/// only records one of them signed count: a record anyone could have put in the bucket never
/// becomes a dictionary.
pub(crate) fn read(
    dir: &Path,
    keep: usize,
    trusted: &[PublicKey],
) -> Result<Previous, Vec<Diagnostic>> {
    let records_dir = dir.join(layout::RELEASES);
    let display = dir.display().to_string();
    if !dir.is_dir() {
        return Err(vec![Diagnostic::new(
            display,
            "the previous releases dir does not exist (Config::previous_releases or \
             ASSETLOCK_PREVIOUS_RELEASES): give a file:// destination of upload-assets, or a \
             copy of the bucket prefix",
        )]);
    }
    let entries = match std::fs::read_dir(&records_dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Previous::default()),
        Err(e) => {
            let d = Diagnostic::new(records_dir.display().to_string(), "cannot list").caused_by(e);
            return Err(vec![d]);
        }
    };
    let mut records = Vec::new();
    let mut problems = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !layout::is_release_record(&format!("{}{name}", layout::RELEASES)) {
            continue;
        }
        let path = entry.path();
        let text = match std::fs::read(&path) {
            Ok(text) => text,
            Err(e) => {
                let d = Diagnostic::new(path.display().to_string(), "cannot read").caused_by(e);
                problems.push(d);
                continue;
            }
        };
        if !trusted.is_empty()
            && !matches!(
                signature::check(Kind::Record, &text, trusted),
                Trust::Signed(_)
            )
        {
            continue;
        }
        match ManifestJson::parse(&text) {
            Ok(record) => records.push((name, record)),
            Err(why) => problems.push(Diagnostic::new(
                path.display().to_string(),
                format!("not a release record: {why}"),
            )),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    // RFC 3339 times of one fixed width (UTC, microseconds) sort as text.
    records.sort_by(|(a_name, a), (b_name, b)| {
        (&b.uploaded_at, b_name).cmp(&(&a.uploaded_at, a_name))
    });
    records.truncate(keep);
    let mut previous = Previous::default();
    for (name, record) in records {
        for (logical, asset) in record.assets {
            let versions = previous.versions.entry(logical).or_default();
            if versions.iter().all(|v| v.sha256 != asset.sha256) {
                versions.push(Version {
                    path: dir.join(&asset.path),
                    size: asset.size,
                    sha256: asset.sha256,
                });
            }
        }
        previous.records.push(name);
    }
    Ok(previous)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(dir: &Path, id: &str, at: &str, sha: &str) {
        let text = format!(
            r#"{{"format": 1, "build_id": "{id}", "url_prefix": "/assets/",
            "uploaded_at": "{at}", "assets": {{"a.css": {{"url": "/assets/a.{id}.css",
            "path": "a.{id}.css", "size": 1, "sha256": "{sha}", "integrity": "x",
            "content_type": "text/css"}}}}}}"#
        );
        let records = dir.join(layout::RELEASES);
        std::fs::create_dir_all(&records).unwrap();
        std::fs::write(records.join(format!("{id}.json")), text).unwrap();
    }

    #[test]
    fn keeps_the_newest_releases_and_each_version_once() {
        let dir = tempfile::tempdir().unwrap();
        record(dir.path(), "b1", "2026-01-01T00:00:00.000000Z", "01");
        record(dir.path(), "b2", "2026-02-01T00:00:00.000000Z", "02");
        record(dir.path(), "b3", "2026-03-01T00:00:00.000000Z", "02");
        let previous = read(dir.path(), 2, &[]).unwrap();
        assert_eq!(previous.records, ["b3.json", "b2.json"]);
        let versions = &previous.versions["a.css"];
        assert_eq!(versions.len(), 1, "b2 and b3 have the same bytes");
        assert_eq!(versions[0].path, dir.path().join("a.b3.css"));
        assert_eq!(read(dir.path(), 3, &[]).unwrap().versions["a.css"].len(), 2);
    }

    #[test]
    fn with_trusted_keys_only_signed_records_are_dictionaries() {
        use assetlock_contract::signature::{SigningKey, sign};
        let dir = tempfile::tempdir().unwrap();
        record(dir.path(), "b1", "2026-01-01T00:00:00.000000Z", "01");
        record(dir.path(), "b2", "2026-02-01T00:00:00.000000Z", "02");
        let key = SigningKey::generate().unwrap();
        let path = dir.path().join(layout::RELEASES).join("b1.json");
        let signed = sign(Kind::Record, &std::fs::read(&path).unwrap(), &key).unwrap();
        std::fs::write(&path, signed).unwrap();
        let previous = read(dir.path(), 3, &[key.public_key()]).unwrap();
        assert_eq!(previous.records, ["b1.json"], "b2 is not signed");
        assert_eq!(read(dir.path(), 3, &[]).unwrap().records.len(), 2);
    }

    #[test]
    fn a_dir_without_records_has_no_versions_and_a_bad_record_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        assert!(read(dir.path(), 3, &[]).unwrap().versions.is_empty());
        assert!(read(&dir.path().join("missing"), 3, &[]).is_err());
        let records = dir.path().join(layout::RELEASES);
        std::fs::create_dir_all(&records).unwrap();
        std::fs::write(records.join("x.json"), "{").unwrap();
        let problems = read(dir.path(), 3, &[]).unwrap_err();
        assert!(
            problems[0].to_string().contains("x.json"),
            "{}",
            problems[0]
        );
    }
}
