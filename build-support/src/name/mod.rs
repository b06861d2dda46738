//! Naming: an asset's hashed path, URL and integrity from its final bytes, and the checks
//! that no two assets share a hashed path or a key of the generated maps.
//!
//! - this module: [`name`] and the checks of the names.
//! - [`built`]: an asset ready to be written, as the later stages extend and write it.
//! - [`live`]: the logical names of a live dev build.

pub(crate) mod built;
pub(crate) mod live;

use std::collections::HashMap;

use assetlock_contract::naming::served_name;
use assetlock_contract::path_key;
use assetlock_contract::url::encode_path;

use crate::discover::Streamed;
use crate::error::Diagnostic;
use crate::link::graph::Hashed;
use crate::settings::Settings;

use built::Built;

/// Names and describes one asset from its final bytes, or from its file's hashes when it went
/// through the streaming lane.
pub(crate) fn name(
    settings: &Settings,
    logical: String,
    hashed: Hashed,
    stream: Option<Streamed>,
) -> Built {
    // A public file keeps its path and is served from the site root (see `layout::is_public`).
    let served = served_name(&logical);
    let content_type = assetlock_contract::mime::content_type(&served);
    let (hashed_path, url) = if settings.public.is_match(&logical) {
        (served.to_string(), format!("/{}", encode_path(&served)))
    } else {
        let hashed_path = assetlock_contract::naming::hashed_name(&served, &hashed.name_hash);
        let url = format!("{}{}", settings.url_prefix, encode_path(&hashed_path));
        (hashed_path, url)
    };
    Built {
        url,
        // A live build serves other bytes than these: no integrity to promise.
        integrity: match &stream {
            _ if settings.live => String::new(),
            Some(stream) => stream.integrity.clone(),
            None => settings.integrity.of(&hashed.bytes, &hashed.sha256),
        },
        content_type,
        logical,
        hashed_path,
        size: stream
            .as_ref()
            .map_or(hashed.bytes.len() as u64, |s| s.size),
        source: stream.map(|s| s.path),
        bytes: hashed.bytes,
        sha256: hashed.sha256,
        variants: Vec::new(),
        deltas: Vec::new(),
        image: None,
        imports: Vec::new(),
    }
}

/// Whether `asset` is a public file (see `layout::is_public`).
pub(crate) fn is_public(asset: &Built) -> bool {
    assetlock_contract::layout::is_public(&asset.logical, &asset.hashed_path)
}

/// Two assets whose hashed files would share a path, or whose paths share a key of the
/// generated maps.
pub(crate) fn check_collisions(assets: &[Built]) -> Vec<Diagnostic> {
    let mut owners: HashMap<&str, &str> = HashMap::new();
    let mut keys: HashMap<u64, &str> = HashMap::new();
    let mut problems = Vec::new();
    for asset in assets.iter().filter(|a| !fits(a)) {
        problems.push(Diagnostic::new(
            &asset.logical,
            format!(
                "path too long: an asset's paths and URL may take {} bytes",
                MAX_TEXT
            ),
        ));
    }
    let mut served: HashMap<String, &str> = HashMap::new();
    for asset in assets {
        let name = served_name(&asset.logical);
        if name == asset.logical {
            continue;
        }
        if let Some(other) = served.insert(name.to_string(), &asset.logical) {
            problems.push(served_twice(&asset.logical, other, &name));
        }
    }
    for asset in assets {
        if let Some(other) = served.get(asset.logical.as_str()) {
            problems.push(served_twice(other, &asset.logical, &asset.logical));
        }
    }
    for asset in assets {
        for path in [&asset.logical, &asset.hashed_path] {
            match keys.insert(path_key(path), path) {
                Some(other) if other != path.as_str() => problems.push(Diagnostic::new(
                    &asset.logical,
                    format!("`{path}` and `{other}` have the same 64-bit path key; rename one"),
                )),
                _ => {}
            }
        }
    }
    for asset in assets {
        for (path, _) in asset.files() {
            if let Some(other) = owners.insert(path, &asset.logical) {
                problems.push(Diagnostic::new(
                    &asset.logical,
                    format!(
                        "hashed name `{path}` collides with the output of `{other}`; rename \
                         one of them or raise hash_len"
                    ),
                ));
            }
        }
    }
    problems
}

/// Two sources that would be served under one name (`js/a.ts` beside `js/a.js`): an import
/// of `./a.js` and the import map could not tell them apart. Packages often ship their Sass
/// or TypeScript sources beside what they build from them.
fn served_twice(logical: &str, other: &str, name: &str) -> Diagnostic {
    Diagnostic::new(
        logical,
        format!(
            "is served as `{name}`, and so is `{other}`; rename one of them, or, for the \
             sources a package ships beside its built files, leave them out with \
             `Config::exclude`"
        ),
    )
}

/// The most bytes the text fields of one asset may take: the generated code packs where each
/// field ends into 16 bits.
pub(crate) const MAX_TEXT: usize = u16::MAX as usize;

/// Whether an asset's text fields fit the generated table ([`MAX_TEXT`]).
fn fits(asset: &Built) -> bool {
    let sha = 64;
    asset.logical.len()
        + asset.url.len()
        + asset.hashed_path.len()
        + sha
        + asset.integrity.len()
        + asset.content_type.len()
        <= MAX_TEXT
}

/// Public files are routes of their own at the site root: their paths must be plain (letters,
/// digits, `.`, `-`, `_`, `/`) and outside the mount path, where the hashed assets live.
pub(crate) fn check_public(settings: &Settings, assets: &[Built]) -> Vec<Diagnostic> {
    let mount = settings.mount_path().trim_start_matches('/');
    assets
        .iter()
        .filter(|a| is_public(a))
        .filter_map(|a| {
            let plain = a
                .logical
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"._-/".contains(&b));
            let message = if !plain {
                "a public file's path may use only letters, digits, `.`, `-`, `_` and `/`"
            } else if !mount.is_empty() && a.logical.starts_with(mount) {
                "a public file cannot live under the mount path of the hashed assets"
            } else {
                return None;
            };
            Some(Diagnostic::new(&a.logical, message))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colliding_hashed_paths_are_reported() {
        let built = |logical: &str| Built {
            logical: logical.to_string(),
            hashed_path: "same.0123.css".to_string(),
            url: String::new(),
            bytes: Vec::new(),
            source: None,
            size: 0,
            sha256: [0; 32],
            integrity: String::new(),
            content_type: "text/css",
            variants: Vec::new(),
            deltas: Vec::new(),
            imports: Vec::new(),
            image: None,
        };
        let problems = check_collisions(&[built("a.css"), built("b.css")]);
        assert_eq!(problems.len(), 1);
        assert!(
            problems[0]
                .to_string()
                .contains("collides with the output of `a.css`")
        );
    }
}
