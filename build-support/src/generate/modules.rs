//! JS modules in the page: the import map that resolves logical module URLs to hashed ones
//! (`JsImports::ImportMap`), what each entry module preloads, and the check of the import
//! map's aliases.

use std::collections::BTreeMap;

use assetlock_contract::url::encode_path;

use crate::discover::Kind;
use crate::name::built::Built;

/// Whether an asset is a JS module the import map lists.
fn is_module(asset: &Built) -> bool {
    Kind::of(&asset.logical).is_script() && !asset.logical.ends_with(".map")
}

/// The import map: `imports` maps the aliases and every module's logical URL under the mount
/// (`/assets/js/app.js`) to its hashed URL, `integrity` every module's hashed URL to its
/// SRI value. JSON, written so that it cannot end its `<script>` element.
pub(crate) fn import_map(
    mount_path: &str,
    aliases: &[(String, String)],
    assets: &[Built],
) -> String {
    let by_logical: BTreeMap<&str, &Built> =
        assets.iter().map(|a| (a.logical.as_str(), a)).collect();
    let mut imports = BTreeMap::new();
    for (alias, logical) in aliases {
        if let Some(asset) = by_logical.get(logical.as_str()) {
            imports.insert(alias.clone(), asset.url.clone());
        }
    }
    let mut integrity = BTreeMap::new();
    for asset in assets
        .iter()
        .filter(|a| is_module(a) && !crate::name::is_public(a))
    {
        imports.insert(
            // A TypeScript module is imported by the name it is served under (`./x.js`).
            format!(
                "{mount_path}{}",
                encode_path(&assetlock_contract::naming::served_name(&asset.logical))
            ),
            asset.url.clone(),
        );
        integrity.insert(asset.url.clone(), asset.integrity.clone());
    }
    let map = serde_json::json!({ "imports": imports, "integrity": integrity });
    script_safe(&serde_json::to_string(&map).expect("an import map serializes"))
}

/// JSON that cannot close or comment out the `<script>` element it is written in: `<` is only
/// ever written as `\u003c` (JSON allows it in strings, the only place `<` can occur).
fn script_safe(json: &str) -> String {
    json.replace('<', "\\u003c")
}

/// For each asset, the modules it loads at once: its static imports, theirs, and so on, in the
/// order a browser meets them (depth first, each once), without the asset itself.
pub(crate) fn preload_closures(assets: &[Built]) -> Vec<Vec<usize>> {
    let index: BTreeMap<&str, usize> = assets
        .iter()
        .enumerate()
        .map(|(i, a)| (a.logical.as_str(), i))
        .collect();
    let direct: Vec<Vec<usize>> = assets
        .iter()
        .map(|a| {
            a.imports
                .iter()
                .filter_map(|t| index.get(t.as_str()).copied())
                .collect()
        })
        .collect();
    (0..assets.len())
        .map(|entry| {
            let mut seen = vec![false; assets.len()];
            seen[entry] = true;
            let mut order = Vec::new();
            let mut stack: Vec<usize> = direct[entry].iter().rev().copied().collect();
            while let Some(next) = stack.pop() {
                if std::mem::replace(&mut seen[next], true) {
                    continue;
                }
                order.push(next);
                stack.extend(direct[next].iter().rev().copied());
            }
            order
        })
        .collect()
}

/// Aliases whose target is not a JS module of the build.
pub(crate) fn check_aliases(
    settings: &crate::settings::Settings,
    assets: &[Built],
) -> Vec<crate::error::Diagnostic> {
    let modules: Vec<&str> = assets
        .iter()
        .filter(|a| is_module(a))
        .map(|a| a.logical.as_str())
        .collect();
    settings
        .import_aliases
        .iter()
        .filter(|(_, logical)| !modules.contains(&logical.as_str()))
        .map(|(alias, logical)| {
            let why = assetlock_contract::unknown_asset(logical, modules.iter().copied());
            crate::error::Diagnostic::new(
                "build.rs",
                format!("import_alias `{alias}`: {why} among the JS modules"),
            )
        })
        .collect()
}
