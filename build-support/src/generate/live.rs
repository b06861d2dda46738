//! Live dev mode in the generated code: where the sources are, and the call that turns live
//! mode on (the URLs were made logical when the assets were named, see `name::live`).

use assetlock_contract::layout;

use crate::settings::Settings;

/// A Rust expression for each source dir: relative to the including crate's root when inside
/// it (the usual case), so that the generated code holds no absolute path of the machine.
/// With dependency crates' assets, the folder of links to their files comes last (made by the
/// emit stage).
pub(crate) fn roots(settings: &Settings) -> Vec<String> {
    let mounts =
        (!settings.crates.mounts.is_empty()).then(|| settings.out_dir.join(layout::LIVE_MOUNTS));
    settings
        .asset_dirs
        .iter()
        .chain(&mounts)
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
/// expressions; empty (no live code at all) when the build is locked. With a `compiler`, the
/// generated code includes the build script's description written beside it
/// ([`layout::LIVE_COMPILER`]), which a server runs to compile a source.
pub(crate) fn call(roots: &[String], compiler: bool) -> String {
    if roots.is_empty() {
        return String::new();
    }
    let mut call = format!("\n.__with_live(&[{}])", roots.join(", "));
    if compiler {
        let file = layout::LIVE_COMPILER;
        call.push_str(&format!(
            "\n.__with_live_compiler(::core::include_str!({file:?}))"
        ));
    }
    call
}
