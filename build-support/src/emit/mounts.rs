//! Live mode with dependency crates' assets: a folder of links, one per file, at the logical
//! paths the files have in this build (`_/ui-kit/css/picker.css`), which the server reads as
//! one more source dir. An edit in the crate's own folder then shows as any other.

use std::path::Path;

use crate::discover::Source;
use crate::settings::Settings;
use crate::settings::crates::NAMESPACE;

/// Makes the folder of links anew (removes it when the build takes in no crate's assets).
/// Best effort: a link that cannot be made leaves that file served as built.
pub(crate) fn live_mounts(settings: &Settings, sources: &[Source]) {
    let root = settings
        .out_dir
        .join(assetlock_contract::layout::LIVE_MOUNTS);
    let _ = std::fs::remove_dir_all(&root);
    for source in sources.iter().filter(|s| s.logical.starts_with(NAMESPACE)) {
        let link = root.join(&source.logical);
        if let Some(parent) = link.parent() {
            let _ = std::fs::create_dir_all(parent);
        }
        let _ = link_to(&source.path, &link);
    }
}

#[cfg(unix)]
fn link_to(target: &Path, link: &Path) -> std::io::Result<()> {
    std::os::unix::fs::symlink(target, link)
}

/// Windows makes symbolic links only with a privilege: a copy, which shows an edit after the
/// next build.
#[cfg(not(unix))]
fn link_to(target: &Path, link: &Path) -> std::io::Result<()> {
    std::fs::copy(target, link).map(|_| ())
}
