//! Content-addressed names: how the build makes a hashed path from a logical path and the hash
//! of its bytes, and how the uploader recognises one among the other keys of a bucket.
//!
//! The hash goes before the last extension of the file name (`css/app.css` ->
//! `css/app.3f2a9c1b7e04d5a6.css`), or after the name when it has none (`LICENSE` ->
//! `LICENSE.3f2a9c1b7e04d5a6`). Precompressed variants add their coding's extension
//! (`.br`, `.gz`, `.zst`), deltas the start of their dictionary's hash and their coding
//! (`.0123456789abcdef.dcz`).
//!
//! ```
//! use assetlock_contract::naming;
//!
//! assert_eq!(naming::hashed_name("css/app.css", "3f2a9c1b"), "css/app.3f2a9c1b.css");
//! assert_eq!(naming::content_hash("css/app.3f2a9c1b.css.br"), Some("3f2a9c1b"));
//! assert_eq!(naming::content_hash("backups/site.sql"), None);
//! ```
//!
//! A source the build compiles to another language is served under the name of what it
//! compiles to ([`served_name`]): `js/app.ts` is hashed as `js/app.<hash>.js`, `css/site.scss`
//! as `css/site.<hash>.css`.

use crate::Encoding;
use crate::dictionary::DeltaCoding;

/// The shortest and longest content hash a build writes (`Config::hash_len`), in hex digits.
pub const HASH_LEN: std::ops::RangeInclusive<usize> = 8..=64;

/// How many hex digits of the dictionary's hash a delta's name carries.
pub const DELTA_DICTIONARY_LEN: usize = 16;

/// Source extensions the build compiles, and the extension of what it serves instead.
const COMPILED: [(&str, &str); 6] = [
    (".ts", ".js"),
    (".mts", ".mjs"),
    (".tsx", ".js"),
    (".jsx", ".js"),
    (".scss", ".css"),
    (".sass", ".css"),
];

/// The path `logical` is served under before hashing: a TypeScript or JSX module (`.ts`,
/// `.mts`, `.tsx`, `.jsx`) is served as the JavaScript it compiles to (`.js`, `.mjs`), a Sass
/// stylesheet (`.scss`,
/// `.sass`) as CSS; every other path as it is. A declaration file (`.d.ts`) is not compiled
/// and keeps its name.
///
/// ```
/// use assetlock_contract::naming::served_name;
///
/// assert_eq!(served_name("js/app.ts"), "js/app.js");
/// assert_eq!(served_name("js/worker.mts"), "js/worker.mjs");
/// assert_eq!(served_name("css/site.scss"), "css/site.css");
/// assert_eq!(served_name("js/types.d.ts"), "js/types.d.ts");
/// assert_eq!(served_name("css/app.css"), "css/app.css");
/// ```
pub fn served_name(logical: &str) -> std::borrow::Cow<'_, str> {
    if is_declaration(logical) {
        return logical.into();
    }
    for (source, served) in COMPILED {
        if let Some(stem) = logical.strip_suffix(source)
            && !stem.is_empty()
            && !stem.ends_with('/')
        {
            return format!("{stem}{served}").into();
        }
    }
    logical.into()
}

/// Whether `logical` is a TypeScript declaration file (`.d.ts`, `.d.mts`): types only, never
/// compiled.
pub fn is_declaration(logical: &str) -> bool {
    logical.ends_with(".d.ts") || logical.ends_with(".d.mts")
}

/// The hashed path of `logical` whose bytes hash to `hash` (lower-case hex).
pub fn hashed_name(logical: &str, hash: &str) -> String {
    let name_start = logical.rfind('/').map_or(0, |i| i + 1);
    match logical[name_start..].rfind('.') {
        Some(dot) if dot > 0 => {
            let dot = name_start + dot;
            format!("{}.{hash}{}", &logical[..dot], &logical[dot..])
        }
        _ => format!("{logical}.{hash}"),
    }
}

/// The content hash in a key that has the shape of a hashed path, a variant or a delta
/// (relative to the destination prefix), or `None` for any other key.
///
/// A key has that shape when its file name is `<stem>.<hash>.<extension>` or `<stem>.<hash>`,
/// optionally followed by a coding's extension or a delta's suffix, where the stem is not empty
/// and the hash is [`HASH_LEN`] lower-case hex digits. Keys under assetlock's own folder never
/// have it.
///
/// ```
/// use assetlock_contract::naming::content_hash;
///
/// assert_eq!(content_hash("LICENSE.0123456789abcdef"), Some("0123456789abcdef"));
/// assert_eq!(
///     content_hash("js/main.0123456789abcdef.js.fedcba9876543210.dcz"),
///     Some("0123456789abcdef")
/// );
/// assert_eq!(content_hash(".htaccess"), None);
/// assert_eq!(content_hash("photos/2024.jpg"), None);
/// ```
pub fn content_hash(key: &str) -> Option<&str> {
    if crate::layout::is_meta(key) {
        return None;
    }
    let name = key.rsplit('/').next()?;
    let mut parts: Vec<&str> = name.split('.').collect();
    strip_coding(&mut parts);
    if parts.first().is_none_or(|stem| stem.is_empty()) {
        return None;
    }
    let candidates = match parts.len() {
        0 | 1 => return None,
        2 => &parts[1..],
        n => &parts[n - 2..],
    };
    // `<stem>.<hash>.<ext>` is tried before `<stem>.<hash>`: an extension can look like a hash.
    candidates.iter().copied().find(|part| is_hash(part))
}

/// Drops a variant's coding extension, or a delta's dictionary and coding, from the end.
fn strip_coding(parts: &mut Vec<&str>) {
    let Some(&last) = parts.last() else {
        return;
    };
    if Encoding::VARIANTS
        .iter()
        .any(|e| &e.extension()[1..] == last)
    {
        parts.pop();
    } else if DeltaCoding::from_token(last).is_some()
        && parts.len() >= 2
        && parts[parts.len() - 2].len() == DELTA_DICTIONARY_LEN
        && is_hex(parts[parts.len() - 2])
    {
        parts.truncate(parts.len() - 2);
    }
}

fn is_hash(part: &str) -> bool {
    HASH_LEN.contains(&part.len()) && is_hex(part)
}

fn is_hex(part: &str) -> bool {
    part.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

#[cfg(test)]
mod tests {
    use super::*;

    const HASH: &str = "0123456789abcdef";

    #[test]
    fn hash_goes_before_last_extension() {
        assert_eq!(
            hashed_name("js/vendor.min.js", "abcd"),
            "js/vendor.min.abcd.js"
        );
        assert_eq!(hashed_name("css/app.css", "abcd"), "css/app.abcd.css");
    }

    #[test]
    fn typescript_is_served_as_javascript() {
        assert_eq!(served_name("a.ts"), "a.js");
        assert_eq!(served_name("js/a.b.mts"), "js/a.b.mjs");
        assert_eq!(served_name("js/.ts"), "js/.ts");
        assert_eq!(served_name("js/x.d.mts"), "js/x.d.mts");
        assert_eq!(served_name("video.mts.mp4"), "video.mts.mp4");
        assert_eq!(served_name("css/a.sass"), "css/a.css");
        assert_eq!(served_name("ui/card.tsx"), "ui/card.js");
        assert_eq!(served_name("ui/card.jsx"), "ui/card.js");
    }

    #[test]
    fn name_without_extension_gets_hash_suffix() {
        assert_eq!(hashed_name("LICENSE", "abcd"), "LICENSE.abcd");
        assert_eq!(hashed_name("a.dir/LICENSE", "abcd"), "a.dir/LICENSE.abcd");
    }

    #[test]
    fn every_name_the_build_makes_has_the_shape() {
        for logical in ["css/app.css", "LICENSE", "a/b.c/d.tar.gz", "x.y"] {
            let hashed = hashed_name(logical, HASH);
            assert_eq!(content_hash(&hashed), Some(HASH), "{hashed}");
            for encoding in Encoding::VARIANTS {
                let variant = format!("{hashed}{}", encoding.extension());
                assert_eq!(content_hash(&variant), Some(HASH), "{variant}");
            }
            for coding in [DeltaCoding::Dcz, DeltaCoding::Dcb] {
                let delta = crate::dictionary::delta_path(&hashed, &"f".repeat(64), coding);
                assert_eq!(content_hash(&delta), Some(HASH), "{delta}");
            }
        }
    }

    #[test]
    fn other_files_do_not_have_the_shape() {
        for key in [
            "backup.sql",
            "other/backup.sql",
            ".htaccess",
            ".0123456789abcdef.css",
            "a.0123456789ABCDEF.css",
            "a.0123456.css",
            "index.html",
            "data.2024.json.gz",
            ".assetlock/releases/0123456789abcdef.json",
            "0123456789abcdef",
        ] {
            assert_eq!(content_hash(key), None, "{key}");
        }
    }
}
