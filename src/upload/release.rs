//! Release records: `<prefix>/.assetlock/releases/<build id>.json`, the build's manifest plus
//! its upload time, written after every object of the build is stored.

use std::collections::BTreeSet;
use std::time::SystemTime;

use assetlock_contract::signature::{self, Kind, SigningKey};

use super::manifest_json::ManifestJson;

/// The record: the manifest with `uploaded_at` (RFC 3339, UTC, microseconds), signed with
/// the deploy key when there is one.
pub(crate) fn render(
    manifest: &ManifestJson,
    uploaded_at: SystemTime,
    key: Option<&SigningKey>,
) -> Result<Vec<u8>, String> {
    let mut record = manifest.clone();
    record.uploaded_at = Some(humantime::format_rfc3339_micros(uploaded_at).to_string());
    signed(Kind::Record, record.render().into_bytes(), key)
}

/// A deploy event: which build, and when (by this machine's clock: for people reading the
/// bucket), signed with the deploy key when there is one.
pub(crate) fn render_deploy(
    build_id: &str,
    deployed_at: SystemTime,
    key: Option<&SigningKey>,
) -> Result<Vec<u8>, String> {
    let at = humantime::format_rfc3339_micros(deployed_at);
    let text = format!("{{\"build_id\": \"{build_id}\", \"deployed_at\": \"{at}\"}}\n");
    signed(Kind::DeployEvent, text.into_bytes(), key)
}

fn signed(kind: Kind, text: Vec<u8>, key: Option<&SigningKey>) -> Result<Vec<u8>, String> {
    match key {
        Some(key) => signature::sign(kind, &text, key),
        None => Ok(text),
    }
}

/// A release record read back for pruning.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Release {
    pub(crate) build_id: String,
    /// Every object key of the release, relative to the prefix.
    pub(crate) keys: BTreeSet<String>,
}

impl Release {
    /// Parses a record; an unreadable record stops a prune rather than being ignored. Its
    /// `uploaded_at` is the uploading machine's clock: read for people, never to rank or age
    /// a release (prune uses the store's times).
    pub(crate) fn parse(text: &[u8]) -> Result<Release, String> {
        let manifest = ManifestJson::parse(text)?;
        let uploaded_at = manifest.uploaded_at.as_deref().ok_or("no `uploaded_at`")?;
        humantime::parse_rfc3339(uploaded_at)
            .map_err(|e| format!("`uploaded_at` `{uploaded_at}`: {e}"))?;
        Ok(Release {
            keys: manifest.keys().map(str::to_owned).collect(),
            build_id: manifest.build_id,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rendered_record_parses_back_with_its_keys() {
        let text = r#"{"format": 1, "build_id": "b1", "url_prefix": "/assets/", "assets": {
            "a.css": {"url": "/assets/a.1.css", "path": "a.1.css", "size": 1, "sha256": "00",
            "integrity": "sha384-x", "content_type": "text/css",
            "encodings": {"br": {"path": "a.1.css.br", "size": 1, "sha256": "00"}}}}}"#;
        let manifest = ManifestJson::parse(text.as_bytes()).unwrap();
        let at = SystemTime::UNIX_EPOCH + std::time::Duration::from_micros(1_700_000_000_123_456);
        let text = render(&manifest, at, None).unwrap();
        let text = String::from_utf8(text).unwrap();
        assert!(text.contains("\"uploaded_at\": \"2023-11-14T22:13:20.123456Z\""));
        let release = Release::parse(text.as_bytes()).unwrap();
        assert_eq!(release.build_id, "b1");
        let keys: Vec<_> = release.keys.iter().map(String::as_str).collect();
        assert_eq!(keys, ["a.1.css", "a.1.css.br"]);
    }

    #[test]
    fn a_record_without_upload_time_is_refused() {
        let text = r#"{"format": 1, "build_id": "b1", "url_prefix": "/", "assets": {}}"#;
        assert!(
            Release::parse(text.as_bytes())
                .unwrap_err()
                .contains("uploaded_at")
        );
    }
}
