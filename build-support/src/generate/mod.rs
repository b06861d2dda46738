//! Generation: what the build writes besides the assets' own files, rendered from the named
//! assets with their variants and deltas.
//!
//! - this module: [`render`], the two files the emit stage writes.
//! - [`codegen`]: the generated Rust (`assetlock.rs`) and the pack of embedded bytes.
//! - [`manifest`]: the manifest for tools not written in Rust, `manifest.json`.
//! - [`modules`]: the import map and each module's preloads; the check of the aliases.
//! - [`live`]: the live dev mode call of the generated code.

pub(crate) mod codegen;
mod crates;
mod live;
mod manifest;
pub(crate) mod modules;

use std::path::PathBuf;

use assetlock_contract::layout;

use crate::name::built::Built;
use crate::settings::Settings;

/// `manifest.json`, the generated code and, in a live build run by cargo, the live compiler
/// it includes, with where each goes.
pub(crate) fn render(
    settings: &Settings,
    build_id: &str,
    assets: &[Built],
    bytes: codegen::Bytes,
) -> Vec<(PathBuf, Vec<u8>)> {
    let live_roots = if settings.live {
        live::roots(settings)
    } else {
        Vec::new()
    };
    let compiler = settings.live_compiler.as_ref().filter(|_| settings.live);
    let js_modules = codegen::Modules {
        import_map: modules::import_map(settings.mount_path(), &settings.import_aliases, assets),
        preloads: modules::preload_closures(assets),
    };
    let mut files = vec![
        (
            settings.out_dir.join(layout::MANIFEST_JSON),
            manifest::render(settings, build_id, assets).into_bytes(),
        ),
        (
            settings.out_dir.join(layout::GENERATED),
            codegen::render(
                build_id,
                &settings.url_prefix,
                assets,
                bytes,
                &js_modules,
                &live::call(&live_roots, compiler.is_some()),
                &settings.trusted_keys,
            )
            .into_bytes(),
        ),
    ];
    if !settings.crates.mounts.is_empty() {
        files[1].1.extend_from_slice(crates::REGISTER.as_bytes());
    }
    if let Some(library) = &settings.library {
        let path = settings.out_dir.join(layout::LIBRARY);
        files.push((path, crates::marker(library).into_bytes()));
    }
    if let Some(compiler) = compiler {
        let path = settings.out_dir.join(layout::LIVE_COMPILER);
        files.push((path, compiler.render().into_bytes()));
    }
    files
}
