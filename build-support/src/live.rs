//! Live dev mode at build time: logical URLs instead of hashed ones, and where the sources are.
//!
//! In live mode the server reads each asset's current bytes from the source tree, so the
//! manifest must not promise anything about bytes that can change under it: the URL is the
//! logical path under the prefix (relative references between assets then resolve to other
//! logical URLs, with no rewriting), there is no integrity (the browser would block an edited
//! file) and no precompressed variant (it would be stale).

use assetlock_contract::url::encode_path;

use crate::built::Built;
use crate::settings::Settings;

/// Renames every content-addressed asset to its logical path and drops what live bytes would
/// contradict; public files keep their own URL.
pub(crate) fn unlock(settings: &Settings, assets: &mut [Built]) {
    for asset in assets
        .iter_mut()
        .filter(|a| !settings.public.is_match(&a.logical))
    {
        asset.hashed_path = asset.logical.clone();
        asset.url = format!("{}{}", settings.url_prefix, encode_path(&asset.logical));
        asset.integrity.clear();
        asset.variants.clear();
    }
}

/// A Rust expression for each source dir: relative to the including crate's root when inside
/// it (the usual case), so that the generated code holds no absolute path of the machine.
pub(crate) fn roots(settings: &Settings) -> Vec<String> {
    settings
        .asset_dirs
        .iter()
        .map(|dir| match dir.strip_prefix(&settings.crate_root) {
            Ok(relative) => format!(
                "::core::concat!(::core::env!(\"CARGO_MANIFEST_DIR\"), {:?})",
                format!("/{}", relative.to_string_lossy().replace('\\', "/"))
            ),
            Err(_) => format!("{:?}", dir.to_string_lossy()),
        })
        .collect()
}

/// The call that turns live dev mode on in the generated code, given the source dirs as Rust
/// expressions; empty (no live code at all) when the build is locked.
pub(crate) fn call(roots: &[String]) -> String {
    if roots.is_empty() {
        return String::new();
    }
    format!("\n.__with_live(&[{}])", roots.join(", "))
}
