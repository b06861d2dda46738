//! Items that generated code names. Not part of the public API.

pub use crate::dist::Contents;
#[cfg(not(target_family = "wasm"))]
pub use linkme;
pub use phf;

use crate::Manifest;

/// The manifests of this binary that take in dependency crates' assets
/// (`Config::dependency_assets`): each registers itself here, where a library crate's code
/// finds the URLs of its assets.
#[cfg(not(target_family = "wasm"))]
#[linkme::distributed_slice]
pub static MANIFESTS: [&'static Manifest];

/// What a library crate's `asset_url!` (or, with `integrity`, `asset_integrity!`) gives at run
/// time: the value of its asset `logical` in the app's manifest, under the library's namespace
/// (`_/<name>@<version>/`, or `_/<name>/` when the app has one version of it); `own`, the value
/// of the library's own build, when no manifest of this binary has the asset (the library's
/// own tests, an app that did not take its assets in).
pub fn library_asset(
    name: &str,
    version: &str,
    logical: &str,
    own: &'static str,
    integrity: bool,
) -> &'static str {
    let candidates = [
        format!("_/{name}@{version}/{logical}"),
        format!("_/{name}/{logical}"),
    ];
    let found = registered()
        .iter()
        .find_map(|manifest| candidates.iter().find_map(|path| manifest.get(path)));
    match found {
        Some(asset) if integrity => asset.integrity(),
        Some(asset) => asset.url(),
        None => own,
    }
}

#[cfg(not(target_family = "wasm"))]
fn registered() -> &'static [&'static Manifest] {
    &MANIFESTS
}

#[cfg(target_family = "wasm")]
fn registered() -> &'static [&'static Manifest] {
    &[]
}
