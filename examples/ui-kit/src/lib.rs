//! A small component library that ships its assets: a stylesheet, a module and a font, in its
//! own `assets/` dir. An app that depends on it takes them in with
//! `assetlock_build::Config::dependency_assets("ui-kit")` and serves them with its own, at
//! hashed URLs under `/assets/_/ui-kit/`; this crate's code names them with `asset_url!`,
//! checked when it compiles, and gets the URLs the app serves.

/// The tags for a page's `<head>`: the picker's stylesheet, with its integrity.
///
/// ```
/// assert!(ui_kit::head().contains("/assets/_/ui-kit/css/picker."));
/// ```
pub fn head() -> String {
    format!(
        r#"<link rel="stylesheet" href="{}" integrity="{}" crossorigin="anonymous">"#,
        assetlock::asset_url!("css/picker.css"),
        assetlock::asset_integrity!("css/picker.css"),
    )
}

/// The URL of the picker's module, which exports `mount(element)`.
///
/// ```
/// assert!(ui_kit::module_url().ends_with(".js"));
/// ```
pub fn module_url() -> &'static str {
    assetlock::asset_url!("js/picker.js")
}

/// The picker's markup, for the module to mount on.
///
/// ```
/// assert_eq!(ui_kit::picker("when"), r#"<div class="ui-picker" id="when"></div>"#);
/// ```
pub fn picker(id: &str) -> String {
    format!(r#"<div class="ui-picker" id="{id}"></div>"#)
}
