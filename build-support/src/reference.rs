//! References between assets: resolving what a CSS `url()` or a JS import names, and the text a
//! reference is rewritten to.
//!
//! A transform rewrites every local reference to its final relative URL, except that the
//! target's hash is not known yet: in its place stands a *marker* of the same length. Hashing,
//! which runs in dependency order, overwrites each marker with the target's hash in place, so
//! output lengths (and source map columns) never change.

use crate::hash;
use assetlock_contract::naming::served_name;
use assetlock_contract::url::{decode_path, encode_path};

/// One reference from an asset to another asset.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct Ref {
    /// The reference as written.
    pub spec: String,
    /// The logical path the reference resolves to.
    pub target: String,
    /// The hex marker standing for the target's hash in the transformed output.
    pub marker: String,
    /// The rewritten URL without a hash, used instead when the target turns out not to exist.
    pub plain_url: String,
    /// The rewritten URL with the marker in place of the hash.
    pub marker_url: String,
    /// 1-based position of the reference in the source file.
    pub line: u32,
    pub column: u32,
    /// The file the reference is written in, when it is not the asset being built (a bundle
    /// part, an inlined `@import`), for diagnostics.
    #[serde(default)]
    pub origin: Option<String>,
    /// A static `import`/`export ... from` of a JS module (not `import()`, not a URL): what a
    /// page preloads with the module.
    #[serde(default)]
    pub static_import: bool,
    /// Left as written and resolved by the page's import map at run time
    /// (`JsImports::ImportMap`): the referrer's bytes, and so its hash, do not depend on the
    /// target's.
    #[serde(default)]
    pub via_map: bool,
}

/// How a reference is written, which decides what counts as local.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Syntax {
    /// CSS `url()`/`@import`, `new URL(...)` and `sourceMappingURL`: any relative URL is local.
    Url,
    /// A JS module specifier: only `./`, `../` and `/` paths are local; the rest are bare.
    Specifier,
}

/// Resolves references for one referring asset.
pub(crate) struct Resolver<'a> {
    /// The file the references are written in: relative references resolve against it.
    referrer: &'a str,
    /// Where the rewritten file will live: rewritten URLs are relative to it (the referrer
    /// itself, or the bundle or entry stylesheet it is joined into).
    location: &'a str,
    mount_path: &'a str,
    hash_len: usize,
    salt: u32,
}

impl<'a> Resolver<'a> {
    /// `mount_path` is the path part of the URL prefix: root-relative references under it are
    /// local. `salt` varies the markers when a file happens to contain one.
    pub fn new(referrer: &'a str, mount_path: &'a str, hash_len: usize, salt: u32) -> Self {
        Resolver {
            referrer,
            location: referrer,
            mount_path,
            hash_len,
            salt,
        }
    }

    /// Writes URLs relative to `location` instead of the referrer.
    pub fn located_at(mut self, location: &'a str) -> Self {
        self.location = location;
        self
    }

    /// The reference `spec` names, or `None` when it is not local (data:, http:, `//host`,
    /// `#fragment`, a bare module specifier, a root path outside the asset prefix).
    pub fn resolve(&self, spec: &str, syntax: Syntax, line: u32, column: u32) -> Option<Ref> {
        let spec = spec.trim();
        if is_external(spec) {
            return None;
        }
        let split = spec.find(['?', '#']).unwrap_or(spec.len());
        let path = &spec[..split];
        if path.is_empty() {
            return None;
        }
        if syntax == Syntax::Specifier && !is_relative_specifier(path) {
            return None;
        }
        let decoded = percent_decode(path);
        let target = match decoded.strip_prefix('/') {
            Some(_) => {
                let rest = decoded.strip_prefix(self.mount_path)?;
                normalize("", rest)
            }
            None => normalize(parent(self.referrer), &decoded),
        };
        // A reference that climbs out of the asset root can never name an asset; keep it as a
        // reference to a path that cannot exist so it is reported as dangling.
        let target = target.unwrap_or_else(|| format!("../{}", decoded.trim_start_matches('/')));
        Some(self.resolve_to(spec, target, syntax, line, column))
    }

    /// The reference `spec` makes when it names `target`: [`Resolver::resolve`]'s result, or
    /// another file the language's own lookup finds for it (TypeScript's `./x.js` naming
    /// `x.ts`). The query or fragment of `spec` is kept.
    pub fn resolve_to(
        &self,
        spec: &str,
        target: String,
        syntax: Syntax,
        line: u32,
        column: u32,
    ) -> Ref {
        let split = spec.find(['?', '#']).unwrap_or(spec.len());
        let suffix = &spec[split..];
        let marker = self.marker(&target);
        // A TypeScript target is written as the JavaScript it is served as.
        let relative = relative_path(self.location, &served_name(&target));
        let dot_slash = syntax == Syntax::Specifier && !relative.starts_with("../");
        let prefix = if dot_slash { "./" } else { "" };
        let plain_url = format!("{prefix}{}{suffix}", encode_path(&relative));
        let hashed = assetlock_contract::naming::hashed_name(&relative, &marker);
        let marker_url = format!("{prefix}{}{suffix}", encode_path(&hashed));
        Ref {
            spec: spec.to_string(),
            target,
            marker,
            plain_url,
            marker_url,
            line,
            column,
            origin: None,
            static_import: false,
            via_map: false,
        }
    }

    /// A hex string of the hash length, derived from the two paths.
    fn marker(&self, target: &str) -> String {
        let mut hasher = hash::FieldHasher::default();
        hasher
            .field("assetlock marker")
            .field(self.location)
            .field(target)
            .field(self.salt.to_le_bytes());
        hash::hex(&hasher.finish())[..self.hash_len].to_string()
    }
}

/// Whether a URL is left alone: empty, `data:`/`http:`/any scheme, `//host`, `#fragment`.
fn is_external(spec: &str) -> bool {
    if spec.is_empty() || spec.starts_with('#') || spec.starts_with("//") {
        return true;
    }
    // RFC 3986 scheme: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":"
    let scheme_len = spec
        .bytes()
        .position(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.')));
    matches!(scheme_len, Some(n) if n > 0 && spec.as_bytes()[n] == b':' && spec.as_bytes()[0].is_ascii_alphabetic())
}

fn is_relative_specifier(path: &str) -> bool {
    path.starts_with("./") || path.starts_with("../") || path.starts_with('/')
}

/// The directory part of a logical path (`css/app.css` -> `css`).
fn parent(logical: &str) -> &str {
    logical.rfind('/').map_or("", |i| &logical[..i])
}

/// Joins `path` onto `dir` and resolves `.` and `..`; `None` when it climbs above the root.
fn normalize(dir: &str, path: &str) -> Option<String> {
    let mut parts: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// Resolves `.` and `..` in a `/`-separated path (segments above the root are dropped).
pub(crate) fn normalize_path(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

/// The path from the directory of `from` to `to`, both logical paths.
pub(crate) fn relative_path(from: &str, to: &str) -> String {
    let from_dir: Vec<&str> = parent(from).split('/').filter(|s| !s.is_empty()).collect();
    let to_parts: Vec<&str> = to.split('/').collect();
    let common = from_dir
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count()
        .min(to_parts.len() - 1);
    let mut out: Vec<&str> = vec![".."; from_dir.len() - common];
    out.extend(&to_parts[common..]);
    out.join("/")
}

/// Decodes `%XX` escapes; text that does not decode to UTF-8 is kept as it was.
fn percent_decode(path: &str) -> String {
    decode_path(path).map_or_else(|| path.to_string(), |s| s.into_owned())
}

/// Replaces every occurrence of `from` with `to` (same length) in place.
pub(crate) fn overwrite_all(bytes: &mut [u8], from: &[u8], to: &[u8]) -> usize {
    debug_assert_eq!(from.len(), to.len());
    let mut count = 0;
    let mut start = 0;
    while let Some(i) = find(&bytes[start..], from) {
        let at = start + i;
        bytes[at..at + to.len()].copy_from_slice(to);
        start = at + to.len();
        count += 1;
    }
    count
}

/// Replaces every occurrence of `from` with `to` (any lengths).
pub(crate) fn replace_all(bytes: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut rest = bytes;
    while let Some(i) = find(rest, from) {
        out.extend_from_slice(&rest[..i]);
        out.extend_from_slice(to);
        rest = &rest[i + from.len()..];
    }
    out.extend_from_slice(rest);
    out
}

/// The first occurrence of `needle` in `haystack`, by a substring search (memmem): markers are
/// hex strings, and a scan for their first byte alone would stop at almost every letter.
pub(crate) fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() {
        return None;
    }
    memchr::memmem::find(haystack, needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolver(referrer: &str) -> Resolver<'_> {
        Resolver::new(referrer, "/assets/", 16, 0)
    }

    fn target(referrer: &str, spec: &str, syntax: Syntax) -> Option<String> {
        resolver(referrer)
            .resolve(spec, syntax, 1, 1)
            .map(|r| r.target)
    }

    #[test]
    fn external_urls_are_left_alone() {
        for spec in [
            "data:image/png;base64,AAAA",
            "https://example.com/x.png",
            "http://example.com/x.png",
            "//cdn.example.com/x.png",
            "#icon",
            "",
            "mailto:a@b.c",
        ] {
            assert_eq!(target("css/a.css", spec, Syntax::Url), None, "{spec}");
        }
    }

    #[test]
    fn relative_urls_resolve_against_the_referrer() {
        let t = |spec| target("css/app.css", spec, Syntax::Url);
        assert_eq!(t("../fonts/x.woff2").as_deref(), Some("fonts/x.woff2"));
        assert_eq!(t("img/a.png").as_deref(), Some("css/img/a.png"));
        assert_eq!(t("./img/../b.png").as_deref(), Some("css/b.png"));
        assert_eq!(t("/assets/img/c.png").as_deref(), Some("img/c.png"));
        assert_eq!(t("/favicon.ico"), None);
    }

    #[test]
    fn climbing_out_of_the_root_resolves_to_an_impossible_path() {
        let t = target("css/app.css", "../../secret.txt", Syntax::Url).unwrap();
        assert!(t.starts_with("../"), "{t}");
    }

    #[test]
    fn bare_specifiers_are_not_local() {
        assert_eq!(target("js/a.js", "lodash", Syntax::Specifier), None);
        assert_eq!(target("js/a.js", "b.js", Syntax::Specifier), None);
        assert_eq!(
            target("js/a.js", "./b.js", Syntax::Specifier).as_deref(),
            Some("js/b.js")
        );
        assert_eq!(
            target("js/a.js", "b.js", Syntax::Url).as_deref(),
            Some("js/b.js")
        );
    }

    #[test]
    fn query_and_fragment_are_kept_and_percent_escapes_decoded() {
        let r = resolver("css/app.css")
            .resolve("../fonts/my%20font.eot?#iefix", Syntax::Url, 3, 7)
            .unwrap();
        assert_eq!(r.target, "fonts/my font.eot");
        assert_eq!(r.plain_url, "../fonts/my%20font.eot?#iefix");
        assert_eq!(
            r.marker_url,
            format!("../fonts/my%20font.{}.eot?#iefix", r.marker)
        );
        assert_eq!((r.line, r.column), (3, 7));
    }

    #[test]
    fn specifiers_keep_a_dot_slash() {
        let r = resolver("js/a.js")
            .resolve("./b.js", Syntax::Specifier, 1, 1)
            .unwrap();
        assert!(r.marker_url.starts_with("./b."), "{}", r.marker_url);
    }

    #[test]
    fn located_resolver_writes_urls_relative_to_the_location() {
        let r = Resolver::new("css/parts/a.css", "/assets/", 16, 0)
            .located_at("bundle.css")
            .resolve("../../img/x.png", Syntax::Url, 1, 1)
            .unwrap();
        assert_eq!(r.target, "img/x.png");
        assert_eq!(r.plain_url, "img/x.png");
    }

    #[test]
    fn relative_path_between_dirs() {
        assert_eq!(
            relative_path("css/app.css", "fonts/x.woff2"),
            "../fonts/x.woff2"
        );
        assert_eq!(relative_path("app.css", "img/a.png"), "img/a.png");
        assert_eq!(relative_path("a/b/c.css", "a/d.png"), "../d.png");
        assert_eq!(relative_path("a/b.css", "a/b.css"), "b.css");
        assert_eq!(relative_path("a/b.css", "a"), "../a");
    }

    #[test]
    fn overwrite_all_replaces_every_occurrence() {
        let mut bytes = b"xxABxxABx".to_vec();
        assert_eq!(overwrite_all(&mut bytes, b"AB", b"CD"), 2);
        assert_eq!(bytes, b"xxCDxxCDx");
        assert_eq!(replace_all(b"aXbX", b"X", b"YY"), b"aYYbYY");
    }
}
