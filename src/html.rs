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

impl fmt::Display for Tag<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let url = Escaped(self.asset.url());
        match self.kind {
            Kind::Stylesheet => write!(f, r#"<link rel="stylesheet" href="{url}""#)?,
            Kind::ModuleScript => write!(f, r#"<script type="module" src="{url}""#)?,
            Kind::Script => write!(f, r#"<script src="{url}""#)?,
            Kind::ModulePreload => write!(f, r#"<link rel="modulepreload" href="{url}""#)?,
            Kind::Preload(destination) => {
                let as_ = match destination {
                    Destination::Style => "style",
                    Destination::Script => "script",
                    Destination::Font => "font",
                    Destination::Image => "image",
                    Destination::Fetch => "fetch",
                };
                write!(f, r#"<link rel="preload" href="{url}" as="{as_}""#)?;
                if destination == Destination::Font {
                    let mime = self.asset.content_type().split(';').next().unwrap_or("");
                    write!(f, r#" type="{}""#, Escaped(mime.trim()))?;
                }
            }
        }
        if self.has_integrity() {
            write!(f, r#" integrity="{}""#, Escaped(self.asset.integrity()))?;
        }
        if self.is_cors() {
            f.write_str(r#" crossorigin="anonymous""#)?;
        }
        match self.kind {
            Kind::ModuleScript => f.write_str("></script>"),
            Kind::Script => f.write_str(" defer></script>"),
            _ => f.write_str(">"),
        }
    }
}

/// Text escaped for a double-quoted HTML attribute value.
struct Escaped<'a>(&'a str);

impl fmt::Display for Escaped<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut rest = self.0;
        while let Some(at) = rest.find(['&', '"', '<', '>', '\'']) {
            f.write_str(&rest[..at])?;
            f.write_str(match rest.as_bytes()[at] {
                b'&' => "&amp;",
                b'"' => "&quot;",
                b'<' => "&lt;",
                b'>' => "&gt;",
                _ => "&#39;",
            })?;
            rest = &rest[at + 1..];
        }
        f.write_str(rest)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_everything_that_ends_or_opens_an_attribute() {
        let escaped = Escaped(r#"/a?x=1&y="2"<b>'c'"#).to_string();
        assert_eq!(escaped, "/a?x=1&amp;y=&quot;2&quot;&lt;b&gt;&#39;c&#39;");
        assert_eq!(Escaped("plain/path.css").to_string(), "plain/path.css");
        assert_eq!(Escaped("").to_string(), "");
    }
}
