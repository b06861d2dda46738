//! The compiled-in map from logical paths and hashed URLs to assets.

use std::borrow::Cow;

use crate::Asset;

/// The assets of one build, defined as `MANIFEST` by [`include_manifest!`](crate::include_manifest).
///
/// Lookups are perfect-hash maps compiled into the binary: no allocation, no I/O.
///
/// ```
/// # mod demo { assetlock::__doc_manifest!(); }
/// # use demo::MANIFEST;
/// let css = MANIFEST.get("css/app.css").unwrap();
/// assert!(std::ptr::eq(MANIFEST.by_url(css.url()).unwrap(), css));
/// assert!(std::ptr::eq(MANIFEST.by_url(css.hashed_path()).unwrap(), css));
/// assert!(MANIFEST.get("css/missing.css").is_none());
/// assert_eq!(MANIFEST.iter().count(), MANIFEST.len());
/// assert_eq!(MANIFEST.build_id().len(), 16);
/// ```
#[derive(Debug)]
pub struct Manifest {
    build_id: &'static str,
    url_prefix: &'static str,
    assets: &'static [Asset],
    /// [`path_key`] of each logical path -> index in `assets`.
    by_logical: &'static phf::Map<u64, u32>,
    /// [`path_key`] of each hashed path -> index in `assets`.
    by_path: &'static phf::Map<u64, u32>,
}

/// The 64-bit FNV-1a hash of a path: the key of the generated maps. Integer keys instead of
/// string keys keep the generated code cheap to compile; a lookup then compares the path
/// itself, and the build refuses two paths with the same key.
pub(crate) fn path_key(path: &str) -> u64 {
    path.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

impl Manifest {
    #[doc(hidden)]
    pub const fn __new(
        build_id: &'static str,
        url_prefix: &'static str,
        assets: &'static [Asset],
        by_logical: &'static phf::Map<u64, u32>,
        by_path: &'static phf::Map<u64, u32>,
    ) -> Manifest {
        Manifest {
            build_id,
            url_prefix,
            assets,
            by_logical,
            by_path,
        }
    }

    /// The asset with this logical path (relative to its asset dir, `/`-separated).
    pub fn get(&self, logical_path: &str) -> Option<&'static Asset> {
        let asset = self
            .assets
            .get(*self.by_logical.get(&path_key(logical_path))? as usize)?;
        (asset.logical_path() == logical_path).then_some(asset)
    }

    /// The asset served at `url`: a full URL as [`Asset::url`] gives it, the same URL's path
    /// (without a CDN host), or a hashed path. Percent-encoded and plain forms both match.
    pub fn by_url(&self, url: &str) -> Option<&'static Asset> {
        let path = self.strip_prefix(url);
        self.by_hashed_path(path)
            .or_else(|| self.by_hashed_path(&percent_decode(path)?))
    }

    /// The asset whose hashed path is exactly `hashed_path` (not percent-encoded).
    pub fn by_hashed_path(&self, hashed_path: &str) -> Option<&'static Asset> {
        let asset = self
            .assets
            .get(*self.by_path.get(&path_key(hashed_path))? as usize)?;
        (asset.hashed_path() == hashed_path).then_some(asset)
    }

    /// All assets, sorted by logical path.
    pub fn iter(&self) -> std::slice::Iter<'static, Asset> {
        self.assets.iter()
    }

    /// The number of assets.
    pub const fn len(&self) -> usize {
        self.assets.len()
    }

    /// Whether the build has no assets.
    pub const fn is_empty(&self) -> bool {
        self.assets.is_empty()
    }

    /// The build's identity: a hash of its asset set, the same for the same inputs on any
    /// machine. The uploader names the release record after it.
    pub const fn build_id(&self) -> &'static str {
        self.build_id
    }

    /// The prefix every [`Asset::url`] starts with, e.g. `/assets/` or
    /// `https://cdn.example.com/assets/`.
    pub const fn url_prefix(&self) -> &'static str {
        self.url_prefix
    }

    /// The path part of the URL prefix: `/assets/` for both `/assets/` and
    /// `https://cdn.example.com/assets/`. This is where a server mounts the assets.
    pub fn mount_path(&self) -> &'static str {
        path_of(self.url_prefix)
    }

    fn strip_prefix<'a>(&self, url: &'a str) -> &'a str {
        url.strip_prefix(self.url_prefix)
            .or_else(|| url.strip_prefix(self.mount_path()))
            .unwrap_or(url)
    }
}

impl IntoIterator for &'static Manifest {
    type Item = &'static Asset;
    type IntoIter = std::slice::Iter<'static, Asset>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

/// The path of a URL: `https://host/a/` -> `/a/`; a path stays as it is.
fn path_of(url: &str) -> &str {
    let Some((_, rest)) = url.split_once("://") else {
        return url;
    };
    rest.find('/').map_or("/", |i| &rest[i..])
}

/// Decodes `%XX` escapes; `None` when there are none or the result is not UTF-8.
fn percent_decode(s: &str) -> Option<Cow<'_, str>> {
    if !s.contains('%') {
        return None;
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match bytes[i..] {
            [b'%', h, l, ..] if hex(h).is_some() && hex(l).is_some() => {
                out.push((hex(h)? * 16 + hex(l)?) as u8);
                i += 3;
            }
            _ => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok().map(Cow::Owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_key_is_fnv1a_64() {
        // The same vectors pin assetlock-build's copy of the function.
        assert_eq!(path_key(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(path_key("a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(path_key("css/app.css"), 0xb7e1_86f6_c6ff_7c6d);
    }

    #[test]
    fn path_of_strips_scheme_and_host() {
        assert_eq!(path_of("https://cdn.example.com/assets/"), "/assets/");
        assert_eq!(path_of("https://cdn.example.com"), "/");
        assert_eq!(path_of("/assets/"), "/assets/");
    }

    #[test]
    fn percent_decode_handles_utf8_and_stray_percent() {
        assert_eq!(percent_decode("a%20b%C3%A9").as_deref(), Some("a bé"));
        assert_eq!(percent_decode("100%").as_deref(), Some("100%"));
        assert_eq!(percent_decode("plain"), None);
        assert_eq!(percent_decode("%FF"), None);
    }
}
