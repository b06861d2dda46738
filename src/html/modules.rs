//! The page side of JS modules: the import map element and the `Link` header that preloads a
//! module graph.

use std::fmt;

use crate::{Asset, Manifest};

/// `<script type="importmap">...</script>` with the build's import map; see
/// [`Manifest::import_map`]. Put it before any module script.
///
/// ```
/// # mod demo { assetlock::__doc_manifest!(); }
/// # use demo::MANIFEST;
/// let tag = assetlock::html::import_map(&MANIFEST).to_string();
/// assert!(tag.starts_with(r#"<script type="importmap">{"imports":{"#));
/// assert!(tag.ends_with("}</script>"));
/// ```
pub fn import_map(manifest: &Manifest) -> ImportMap<'_> {
    ImportMap(manifest)
}

/// The import map element of a manifest; see [`import_map`].
#[derive(Clone, Copy, Debug)]
pub struct ImportMap<'a>(&'a Manifest);

impl fmt::Display for ImportMap<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The JSON never contains `<`: it cannot end the element early.
        write!(
            f,
            r#"<script type="importmap">{}</script>"#,
            self.0.import_map()
        )
    }
}

/// The value of a `Link` header that preloads `modules` as the `modulepreload` tags of
/// [`modulepreload`](super::modulepreload) do, with the same `integrity` and `crossorigin`, so
/// that a CDN can send it as 103 Early Hints and the browser fetches each module once.
///
/// ```
/// # mod demo { assetlock::__doc_manifest!(); }
/// # use demo::MANIFEST;
/// let js = MANIFEST.get("js/app.js").unwrap();
/// let value = assetlock::html::link_header(&[js]).to_string();
/// assert_eq!(
///     value,
///     format!(
///         r#"<{}>; rel=modulepreload; integrity="{}"; crossorigin=anonymous"#,
///         js.url(),
///         js.integrity()
///     )
/// );
/// ```
pub fn link_header<'a>(modules: &'a [&'a Asset]) -> LinkHeader<'a> {
    LinkHeader(modules)
}

/// A `Link` header value; see [`link_header`].
#[derive(Clone, Copy, Debug)]
pub struct LinkHeader<'a>(&'a [&'a Asset]);

impl fmt::Display for LinkHeader<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, asset) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            // Hashed URLs are percent-encoded: no `>`, `"` or `,` to escape.
            write!(
                f,
                r#"<{}>; rel=modulepreload; integrity="{}"; crossorigin=anonymous"#,
                asset.url(),
                asset.integrity()
            )?;
        }
        Ok(())
    }
}

/// `entries` and every module they load at once, each once, entries first: what a page whose
/// module scripts are `entries` preloads.
///
/// ```
/// # mod demo { assetlock::__doc_manifest!(); }
/// # use demo::MANIFEST;
/// let js = MANIFEST.get("js/app.js").unwrap();
/// assert_eq!(assetlock::html::module_graph(&MANIFEST, [js])[0].logical_path(), "js/app.js");
/// ```
pub fn module_graph(
    manifest: &Manifest,
    entries: impl IntoIterator<Item = &'static Asset>,
) -> Vec<&'static Asset> {
    let mut graph: Vec<&'static Asset> = Vec::new();
    let entries: Vec<&'static Asset> = entries.into_iter().collect();
    for &entry in &entries {
        if !graph.iter().any(|a| std::ptr::eq(*a, entry)) {
            graph.push(entry);
        }
    }
    for &entry in &entries {
        for &module in manifest.preloads(entry) {
            if !graph.iter().any(|a| std::ptr::eq(*a, module)) {
                graph.push(module);
            }
        }
    }
    graph
}
