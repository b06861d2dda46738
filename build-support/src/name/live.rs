//! Live dev mode at naming: logical URLs instead of hashed ones.
//!
//! In live mode the server reads each asset's current bytes from the source tree, so the
//! manifest must not promise anything about bytes that can change under it: the URL is the
//! logical path under the prefix (relative references between assets then resolve to other
//! logical URLs, with no rewriting), there is no integrity (the browser would block an edited
//! file) and no precompressed variant (it would be stale).

use assetlock_contract::url::encode_path;

use crate::name::built::Built;
use crate::settings::Settings;

/// Renames every content-addressed asset to its logical path and drops what live bytes would
/// contradict; public files keep their own URL. The pipeline calls it after the checks of
/// the names and before the build's id is taken.
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
