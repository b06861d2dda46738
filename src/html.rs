//! HTML tags for assets, with `integrity` and `crossorigin` chosen consistently.
//!
//! Each helper returns a [`Tag`] that writes itself (HTML-escaped) through [`fmt::Display`]:
//! no allocation, usable from any template engine (`{{ tag }}` in askama or minijinja, with
//! the engine's escaping turned off for it, as its output is already escaped) or with
//! `format!`/`write!`.
//!
//! The rules, so that a preload and the tag that uses the asset match and the browser
//! downloads once: scripts, module scripts, stylesheets and their preloads carry the asset's
//! Subresource Integrity value and `crossorigin="anonymous"` (SRI needs a CORS request when the
//! assets are on a CDN, and a same-origin CORS request costs nothing); font preloads carry
//! `crossorigin="anonymous"` (browsers fetch fonts in CORS mode) and no integrity (`@font-face`
//! requests have none to match); image preloads carry neither, like the `<img>` that uses them.
//!
//! ```
//! # mod demo { assetlock::__doc_manifest!(); }
//! # use demo::MANIFEST;
//! use assetlock::html;
//!
//! let css = MANIFEST.get("css/app.css").unwrap();
//! let tag = html::stylesheet(css).to_string();
//! assert_eq!(
//!     tag,
//!     format!(
//!         r#"<link rel="stylesheet" href="{}" integrity="{}" crossorigin="anonymous">"#,
//!         css.url(),
//!         css.integrity()
//!     )
//! );
//! let js = MANIFEST.get("js/app.js").unwrap();
//! assert!(html::module_script(js).to_string().starts_with(r#"<script type="module" src="/assets/js/app."#));
//! assert!(html::modulepreload(js).to_string().starts_with(r#"<link rel="modulepreload""#));
//! ```

use std::fmt;

use crate::Asset;

mod images;
mod modules;

pub use images::{ImagePreload, Picture, image_preload, img, picture};
pub use modules::{ImportMap, LinkHeader, import_map, link_header, module_graph};

/// An HTML tag for one asset; see the [module docs](self) for the attribute rules.
#[derive(Clone, Copy, Debug)]
pub struct Tag<'a> {
    kind: Kind,
    asset: &'a Asset,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Stylesheet,
    ModuleScript,
    Script,
    ModulePreload,
    Preload(Destination),
}

/// What a `<link rel="preload">` fetches (its `as` attribute).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Destination {
    Style,
    Script,
    Font,
    Image,
    Fetch,
}

/// `<link rel="stylesheet" href=".." integrity=".." crossorigin="anonymous">`
pub fn stylesheet(asset: &Asset) -> Tag<'_> {
    Tag {
        kind: Kind::Stylesheet,
        asset,
    }
}

/// `<script type="module" src=".." integrity=".." crossorigin="anonymous"></script>`
pub fn module_script(asset: &Asset) -> Tag<'_> {
    Tag {
        kind: Kind::ModuleScript,
        asset,
    }
}

/// `<script src=".." integrity=".." crossorigin="anonymous" defer></script>`: a classic
/// script, deferred so it does not block parsing.
pub fn script(asset: &Asset) -> Tag<'_> {
    Tag {
        kind: Kind::Script,
        asset,
    }
}

/// `<link rel="modulepreload" href=".." integrity=".." crossorigin="anonymous">`
pub fn modulepreload(asset: &Asset) -> Tag<'_> {
    Tag {
        kind: Kind::ModulePreload,
        asset,
    }
}

/// `<link rel="preload" href=".." as="..">` with the `as`, `type`, `integrity` and
/// `crossorigin` the asset's content type calls for: `style`, `script`, `font` (with
/// `crossorigin`), `image`, or `fetch` for anything else.
pub fn preload(asset: &Asset) -> Tag<'_> {
    let content_type = asset.content_type();
    let mime = content_type.split(';').next().unwrap_or("").trim();
    let destination = match mime {
        "text/css" => Destination::Style,
        "text/javascript" | "application/javascript" => Destination::Script,
        _ if mime.starts_with("font/") || mime == "application/font-woff" => Destination::Font,
        _ if mime.starts_with("image/") => Destination::Image,
        _ => Destination::Fetch,
    };
    Tag {
        kind: Kind::Preload(destination),
        asset,
    }
}

impl Tag<'_> {
    /// Whether the tag carries the asset's integrity value.
    fn has_integrity(self) -> bool {
        !matches!(
            self.kind,
            Kind::Preload(Destination::Font | Destination::Image | Destination::Fetch)
        )
    }

    /// Whether the tag makes a CORS request (`crossorigin="anonymous"`).
    fn is_cors(self) -> bool {
        !matches!(self.kind, Kind::Preload(Destination::Image))
    }
}

impl Tag<'_> {
    /// Appends the tag to `out`: the fastest way to put tags in a page built as a `String`
    /// (no formatting machinery; a page's tags cost about what `push_str` of their text does).
    ///
    /// ```
    /// # mod demo { assetlock::__doc_manifest!(); }
    /// # use demo::MANIFEST;
    /// let css = MANIFEST.get("css/app.css").unwrap();
    /// let mut page = String::from("<head>");
    /// assetlock::html::stylesheet(css).push_to(&mut page);
    /// assert_eq!(page, format!("<head>{}", assetlock::html::stylesheet(css)));
    /// ```
    pub fn push_to(&self, out: &mut String) {
        // Writing to a String cannot fail.
        let _ = self.render(out);
    }

    /// The tag, piece by piece, into `out`: static text and escaped values, no `write!`.
    fn render<O: Out>(&self, out: &mut O) -> fmt::Result {
        out.text(match self.kind {
            Kind::Stylesheet => r#"<link rel="stylesheet" href=""#,
            Kind::ModuleScript => r#"<script type="module" src=""#,
            Kind::Script => r#"<script src=""#,
            Kind::ModulePreload => r#"<link rel="modulepreload" href=""#,
            Kind::Preload(_) => r#"<link rel="preload" href=""#,
        })?;
        // The build never makes a URL with a character to escape (percent-encoded paths, a
        // prefix without quotes, `<`, `>` or `&`): written as it is, without a scan.
        debug_assert!(!self.asset.url().bytes().any(is_special));
        out.text(self.asset.url())?;
        out.text("\"")?;
        if let Kind::Preload(destination) = self.kind {
            out.text(match destination {
                Destination::Style => r#" as="style""#,
                Destination::Script => r#" as="script""#,
                Destination::Font => r#" as="font""#,
                Destination::Image => r#" as="image""#,
                Destination::Fetch => r#" as="fetch""#,
            })?;
            if destination == Destination::Font {
                let mime = self.asset.content_type().split(';').next().unwrap_or("");
                out.text(r#" type=""#)?;
                escape(out, mime.trim())?;
                out.text("\"")?;
            }
        }
        // A live build has no integrity: its bytes change under the URL.
        if self.has_integrity() && !self.asset.integrity().is_empty() {
            out.text(r#" integrity=""#)?;
            // `sha256-` (or `sha384-`, `sha512-`) and base64: nothing to escape, ever.
            debug_assert!(!self.asset.integrity().bytes().any(is_special));
            out.text(self.asset.integrity())?;
            out.text("\"")?;
        }
        if self.is_cors() {
            out.text(r#" crossorigin="anonymous""#)?;
        }
        out.text(match self.kind {
            Kind::ModuleScript => "></script>",
            Kind::Script => " defer></script>",
            _ => ">",
        })
    }
}

impl fmt::Display for Tag<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.render(f)
    }
}

/// Where a tag is rendered: a formatter, or a `String` directly.
trait Out {
    fn text(&mut self, text: &str) -> fmt::Result;
}

impl Out for fmt::Formatter<'_> {
    fn text(&mut self, text: &str) -> fmt::Result {
        self.write_str(text)
    }
}

impl Out for String {
    #[inline]
    fn text(&mut self, text: &str) -> fmt::Result {
        self.push_str(text);
        Ok(())
    }
}

/// A byte that ends or opens a double-quoted attribute value, or starts a character reference.
fn is_special(b: u8) -> bool {
    matches!(b, b'&' | b'"' | b'<' | b'>' | b'\'')
}

/// Writes `value` escaped for a double-quoted attribute.
fn escape<O: Out>(out: &mut O, value: &str) -> fmt::Result {
    // URLs almost never need escaping: one write.
    if !value.bytes().any(is_special) {
        return out.text(value);
    }
    let mut rest = value;
    while let Some(at) = rest.bytes().position(is_special) {
        out.text(&rest[..at])?;
        out.text(match rest.as_bytes()[at] {
            b'&' => "&amp;",
            b'"' => "&quot;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            _ => "&#39;",
        })?;
        rest = &rest[at + 1..];
    }
    out.text(rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_everything_that_ends_or_opens_an_attribute() {
        let escaped = |value: &str| {
            let mut out = String::new();
            escape(&mut out, value).unwrap();
            out
        };
        assert_eq!(
            escaped(r#"/a?x=1&y="2"<b>'c'"#),
            "/a?x=1&amp;y=&quot;2&quot;&lt;b&gt;&#39;c&#39;"
        );
        assert_eq!(escaped("plain/path.css"), "plain/path.css");
        assert_eq!(escaped(""), "");
    }
}
