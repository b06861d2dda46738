//! Where things live: the build's outputs under `$OUT_DIR`, and what the uploader keeps
//! beside the assets under the destination's prefix.
//!
//! ```text
//! $OUT_DIR/
//!   assetlock.rs              GENERATED: the code include_manifest! includes
//!   assetlock/manifest.json   MANIFEST_JSON: the build's assets for other tools
//!   assetlock/dist/           DIST: hashed files and their variants
//!   assetlock/pack.bin        PACK: the small files of dist/, one after the other (embedded builds)
//!
//! <bucket>/<prefix>/
//!   css/app.3f2a9c1b7e04d5a6.css, css/app.3f2a9c1b7e04d5a6.css.br, ...
//!   .assetlock/releases/<build id>.json     RELEASES: one record per uploaded build
//!   .assetlock/deploys/<µs>-<build id>.json DEPLOYS: one event per upload run (a rollback too)
//!   .assetlock/prunes/<µs>-<token>.json     PRUNES: a lease held by each prune while it runs
//!   .assetlock/catalogs/<µs>-<token>.json   CATALOGS: the records an upload found, in one object
//! ```
//!
//! ```
//! use assetlock_contract::layout;
//!
//! assert_eq!(layout::release_key("9c0f5e3a"), ".assetlock/releases/9c0f5e3a.json");
//! assert!(layout::is_release_record(".assetlock/releases/9c0f5e3a.json"));
//! assert!(layout::is_meta(".assetlock/anything"));
//! ```

/// The generated Rust, relative to the out dir.
pub const GENERATED: &str = "assetlock.rs";

/// The JSON manifest, relative to the out dir.
pub const MANIFEST_JSON: &str = "assetlock/manifest.json";

/// The artifact dir (hashed files and variants), relative to the out dir.
pub const DIST: &str = "assetlock/dist";

/// The pack of embedded builds, relative to the out dir and to [`GENERATED`].
pub const PACK: &str = "assetlock/pack.bin";

/// The marker of a library crate's build (its name and version, one per line), relative to
/// the out dir: its `asset_url!` then looks the URL up in the app's manifest at run time.
pub const LIBRARY: &str = "assetlock/library";

/// Live mode's folder of links to dependency crates' asset files, relative to the out dir: one
/// more source dir of the live server.
pub const LIVE_MOUNTS: &str = "assetlock/mounts";

/// A live build's compiler (see [`live`](crate::live)), relative to the out dir and to
/// [`GENERATED`], which includes it.
pub const LIVE_COMPILER: &str = "assetlock/live-compiler";

/// The folder of everything assetlock keeps beside the assets, relative to the prefix. No
/// hashed path can start with it: logical paths starting with a dot are never assets.
pub const META_DIR: &str = ".assetlock/";

/// The folder of release records, relative to the prefix.
pub const RELEASES: &str = ".assetlock/releases/";

/// The folder of deploy events, relative to the prefix.
pub const DEPLOYS: &str = ".assetlock/deploys/";

/// The folder of catalogs, relative to the prefix: each upload writes one, the release records
/// it found in one object, so a server starting up reads one object instead of every record.
pub const CATALOGS: &str = ".assetlock/catalogs/";

/// The key of a catalog: `micros` (the uploading machine's clock, for people reading the
/// bucket) and a `token` that makes it unique.
pub fn catalog_key(micros: u64, token: &str) -> String {
    format!("{CATALOGS}{micros:020}-{token}.json")
}

/// Whether a key (relative to the prefix) is a catalog.
pub fn is_catalog(key: &str) -> bool {
    key.strip_prefix(CATALOGS)
        .is_some_and(|name| name.ends_with(".json") && !name.contains('/'))
}

/// The folder of prune leases, relative to the prefix: a prune holds one while it runs, and an
/// upload waits for those it finds before its final check.
pub const PRUNES: &str = ".assetlock/prunes/";

/// The key of a prune lease: `micros` (the pruning machine's clock, for people reading the
/// bucket) and a `token` that makes it unique.
pub fn lease_key(micros: u64, token: &str) -> String {
    format!("{PRUNES}{micros:020}-{token}.json")
}

/// Whether a key (relative to the prefix) is a prune lease.
pub fn is_lease(key: &str) -> bool {
    key.strip_prefix(PRUNES)
        .is_some_and(|name| name.ends_with(".json") && !name.contains('/'))
}

/// The key of a deploy event: the build deployed at `micros` (microseconds since the Unix
/// epoch, by the uploading machine's clock), zero-padded. The time in the key only makes it
/// unique and readable: releases are ranked by the store's modification times, never by a
/// machine's clock.
pub fn deploy_key(build_id: &str, micros: u64) -> String {
    format!("{DEPLOYS}{micros:020}-{build_id}.json")
}

/// The time (microseconds since the Unix epoch) and build of a deploy event's key.
pub fn parse_deploy_key(key: &str) -> Option<(u64, &str)> {
    let name = key.strip_prefix(DEPLOYS)?.strip_suffix(".json")?;
    let (micros, build_id) = name.split_once('-')?;
    if micros.len() != 20 || build_id.is_empty() || build_id.contains('/') {
        return None;
    }
    Some((micros.parse().ok()?, build_id))
}

/// The release record key of a build, relative to the prefix.
pub fn release_key(build_id: &str) -> String {
    format!("{RELEASES}{build_id}.json")
}

/// Whether a key (relative to the prefix) is a release record.
pub fn is_release_record(key: &str) -> bool {
    key.strip_prefix(RELEASES)
        .is_some_and(|name| name.ends_with(".json") && !name.contains('/'))
}

/// Whether a key (relative to the prefix) is assetlock's own bookkeeping, not an asset.
pub fn is_meta(key: &str) -> bool {
    key.starts_with(META_DIR)
}

/// Checks that `path` can be an artifact's path (a hashed path, a variant's or a delta's):
/// relative to the prefix and staying inside it, one object key on every store and one URL
/// path on every server. The build applies it to every logical path it finds, so that no
/// release record it writes holds a path its readers (the server's fallback, prune, the next
/// build's deltas) refuse; they apply it to every path they read.
///
/// # Errors
///
/// A message saying which rule `path` breaks, to follow the path in a diagnostic.
///
/// ```
/// use assetlock_contract::layout::check_artifact_path;
///
/// assert_eq!(check_artifact_path("css/app.3f2a9c1b.css"), Ok(()));
/// assert_eq!(check_artifact_path(r"css\app.css"), Err("contains `\\`".to_owned()));
/// assert_eq!(
///     check_artifact_path("css/a\nb.css"),
///     Err("contains a control character".to_owned())
/// );
/// assert!(check_artifact_path("../app.css").is_err());
/// ```
pub fn check_artifact_path(path: &str) -> Result<(), String> {
    let broken = if path.is_empty() {
        "is empty"
    } else if path.starts_with('/') {
        "starts with `/`"
    } else if path.contains('\\') {
        // A separator on Windows; a URL parser (WHATWG) reads an unescaped one as `/`.
        "contains `\\`"
    } else if path.contains(char::is_control) {
        "contains a control character"
    } else if is_meta(path) {
        "is under `.assetlock/`, the folder of assetlock's own records"
    } else if path.split('/').any(|s| s.is_empty()) {
        "has an empty segment (`//` or a trailing `/`)"
    } else if path.split('/').any(|s| s == "." || s == "..") {
        "has a `.` or `..` segment"
    } else {
        return Ok(());
    };
    Err(broken.to_owned())
}

/// Whether an asset is a public file: one served at its own, unhashed path (`favicon.ico`,
/// `robots.txt`, `sw.js`), revalidated instead of immutable, and never uploaded to the bucket
/// (its key could not stay create-only). Its path is its logical path (for a TypeScript
/// source, the [`served_name`](crate::naming::served_name) of the JavaScript it compiles to);
/// every other asset's path carries the hash of its bytes, so the two never coincide.
///
/// ```
/// use assetlock_contract::layout::is_public;
///
/// assert!(is_public("favicon.ico", "favicon.ico"));
/// assert!(!is_public("css/app.css", "css/app.3f2a9c1b7e04d5a6.css"));
/// assert!(is_public("sw.ts", "sw.js"));
/// ```
pub fn is_public(logical: &str, path: &str) -> bool {
    crate::naming::served_name(logical) == path
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_keys_live_under_the_releases_folder() {
        assert_eq!(release_key("abc"), ".assetlock/releases/abc.json");
        assert!(is_release_record(".assetlock/releases/abc.json"));
        assert!(!is_release_record(".assetlock/releases/x/abc.json"));
        assert!(!is_release_record("css/abc.json"));
    }

    #[test]
    fn deploy_keys_sort_by_time_and_parse_back() {
        let early = deploy_key("b-1", 999);
        let late = deploy_key("a", 1_700_000_000_000_000);
        assert!(early < late);
        assert_eq!(parse_deploy_key(&early), Some((999, "b-1")));
        assert_eq!(parse_deploy_key(&late), Some((1_700_000_000_000_000, "a")));
        assert_eq!(parse_deploy_key(".assetlock/deploys/12-a.json"), None);
        assert_eq!(parse_deploy_key(".assetlock/releases/a.json"), None);
    }

    #[test]
    fn artifact_paths_are_refused_with_the_rule_they_break() {
        for (path, rule) in [
            ("", "is empty"),
            ("/css/a.css", "starts with `/`"),
            (r"css\a.css", "contains `\\`"),
            ("css/a\nb.css", "contains a control character"),
            ("css/a\u{7f}.css", "contains a control character"),
            (".assetlock/releases/x.json", "is under `.assetlock/`"),
            ("css//a.css", "has an empty segment"),
            ("css/", "has an empty segment"),
            ("css/./a.css", "has a `.` or `..` segment"),
            ("../a.css", "has a `.` or `..` segment"),
        ] {
            let error = check_artifact_path(path).unwrap_err();
            assert!(error.starts_with(rule), "{path:?}: {error}");
        }
    }

    #[test]
    fn artifact_paths_may_hold_any_other_character() {
        for path in [
            "css/app.3f2a9c1b.css",
            "img/a b+c%.png",
            "ünï/çödé.js",
            "a..b/.c",
        ] {
            assert_eq!(check_artifact_path(path), Ok(()), "{path:?}");
        }
    }
}
