//! The manifest in [minijinja](https://docs.rs/minijinja) templates: `asset_url`,
//! `asset_integrity` and the [`html`] tags as functions and as filters.
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

use minijinja::value::{Kwargs, Value};
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
/// | `asset_picture(path, alt=, sizes=, class=, priority=)` | [`html::picture`] |
/// | `asset_img(path, alt=, sizes=, class=, priority=)` | [`html::img`] |
/// | `image_preload(path, sizes=)` | [`html::image_preload`] |
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
    picture(env, "asset_picture", manifest, html::picture);
    picture(env, "asset_img", manifest, html::img);
    let preload = move |path: &str, kwargs: Kwargs| {
        let asset = find(manifest, path)?;
        let mut tag = html::image_preload(asset);
        let sizes: Option<String> = kwargs.get("sizes")?;
        kwargs.assert_all_used()?;
        if let Some(sizes) = &sizes {
            tag = tag.sizes(sizes);
        }
        Ok::<_, Error>(Value::from_safe_string(tag.to_string()))
    };
    env.add_function("image_preload", preload);
    env.add_filter("image_preload", preload);
}

/// An image function: the path, then `alt`, `sizes`, `class` and `priority` by name.
///
/// ```
/// # mod demo { assetlock::__doc_manifest!(); }
/// # use demo::MANIFEST;
/// let mut env = minijinja::Environment::new();
/// assetlock::minijinja::add_to(&mut env, &MANIFEST);
/// let template = r#"{{ asset_picture("img/photo.png", alt="A photo", priority=true) }}"#;
/// let html = env.render_str(template, ()).unwrap();
/// assert!(html.contains(r#"alt="A photo""#) && html.contains(r#"fetchpriority="high""#));
/// ```
fn picture(
    env: &mut Environment<'_>,
    name: &'static str,
    manifest: &'static Manifest,
    render: fn(&'static Asset) -> html::Picture<'static>,
) {
    let f = move |path: &str, kwargs: Kwargs| {
        let asset = find(manifest, path)?;
        let alt: Option<String> = kwargs.get("alt")?;
        let sizes: Option<String> = kwargs.get("sizes")?;
        let class: Option<String> = kwargs.get("class")?;
        let priority: Option<bool> = kwargs.get("priority")?;
        kwargs.assert_all_used()?;
        let mut tag = render(asset).alt(alt.as_deref().unwrap_or(""));
        if let Some(sizes) = &sizes {
            tag = tag.sizes(sizes);
        }
        if let Some(class) = &class {
            tag = tag.class(class);
        }
        if priority == Some(true) {
            tag = tag.priority();
        }
        Ok::<_, Error>(Value::from_safe_string(tag.to_string()))
    };
    env.add_function(name, f);
    env.add_filter(name, f);
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
