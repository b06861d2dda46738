//! The manifest in [minijinja](https://docs.rs/minijinja) templates: `asset_url`,
//! `asset_integrity` and the [`html`](crate::html) tags as functions and as filters.
//!
//! Templates rendered at run time name assets as strings. Add the template dir to the build
//! (`assetlock_build::Config::templates("templates")`) and every literal name is checked when
//! the crate builds, as `asset_url!` checks names in Rust: a typo fails the build with the
//! template's line and column. A name the build does not have that reaches a template at run
//! time (a computed name) is a render error, never a broken URL.
//!
//! ```
//! # mod demo { assetlock::__doc_manifest!(); }
//! # use demo::MANIFEST;
//! let mut env = minijinja::Environment::new();
//! assetlock::minijinja::add_to(&mut env, &MANIFEST);
//! env.add_template(
//!     "page.html",
//!     r#"{{ stylesheet("css/app.css") }}<img src="{{ "img/logo.svg" | asset_url }}">"#,
//! )
//! .unwrap();
//! let html = env.get_template("page.html").unwrap().render(()).unwrap();
//! let css = MANIFEST.get("css/app.css").unwrap();
//! assert!(html.starts_with(&format!(r#"<link rel="stylesheet" href="{}""#, css.url())));
//! // minijinja escapes `/` in HTML as `&#x2f;`, which browsers read back as `/`.
//! let logo = MANIFEST.get("img/logo.svg").unwrap().url().replace('/', "&#x2f;");
//! assert!(html.contains(&format!(r#"<img src="{logo}">"#)));
//!
//! env.add_template("typo.html", r#"{{ asset_url("css/ap.css") }}"#).unwrap();
//! let err = env.get_template("typo.html").unwrap().render(()).unwrap_err();
//! assert!(err.to_string().contains("did you mean `css/app.css`?"));
//! ```

use minijinja::value::Value;
use minijinja::{Environment, Error, ErrorKind};

use crate::html::{self, Tag};
use crate::{Asset, Manifest};

/// Registers, as functions and as filters of the same name:
///
/// | name | returns |
/// |---|---|
/// | `asset_url(path)` | the asset's URL |
/// | `asset_integrity(path)` | its Subresource Integrity value |
/// | `stylesheet(path)`, `module_script(path)`, `script(path)` | the tag ([`html`]) |
/// | `modulepreload(path)`, `preload(path)` | the preload tag ([`html`]) |
///
/// Tags are marked safe (they are escaped already), URLs and integrity values are plain
/// strings the engine escapes as usual. An unknown name is a render error worded as the
/// build's: `no asset named `x`; did you mean `y`?`.
pub fn add_to(env: &mut Environment<'_>, manifest: &'static Manifest) {
    text(env, "asset_url", manifest, Asset::url);
    text(env, "asset_integrity", manifest, Asset::integrity);
    tag(env, "stylesheet", manifest, html::stylesheet);
    tag(env, "module_script", manifest, html::module_script);
    tag(env, "script", manifest, html::script);
    tag(env, "modulepreload", manifest, html::modulepreload);
    tag(env, "preload", manifest, html::preload);
}

fn text(
    env: &mut Environment<'_>,
    name: &'static str,
    manifest: &'static Manifest,
    field: fn(&'static Asset) -> &'static str,
) {
    let f = move |path: &str| find(manifest, path).map(field);
    env.add_function(name, f);
    env.add_filter(name, f);
}

fn tag(
    env: &mut Environment<'_>,
    name: &'static str,
    manifest: &'static Manifest,
    render: fn(&'static Asset) -> Tag<'static>,
) {
    let f = move |path: &str| {
        find(manifest, path).map(|asset| Value::from_safe_string(render(asset).to_string()))
    };
    env.add_function(name, f);
    env.add_filter(name, f);
}

fn find(manifest: &'static Manifest, path: &str) -> Result<&'static Asset, Error> {
    manifest.get(path).ok_or_else(|| {
        let known = manifest.iter().map(Asset::logical_path);
        Error::new(
            ErrorKind::InvalidOperation,
            assetlock_contract::unknown_asset(path, known),
        )
    })
}
