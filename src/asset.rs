//! One asset of a build and its precompressed variants.

use std::io;

use crate::Encoding;
use crate::dist::Contents;

/// One asset of this build: a file of the asset dirs after rewriting, minification and hashing.
///
/// Assets are created by the code `assetlock-build` generates; get them from the
/// [`Manifest`](crate::Manifest) that `include_manifest!` defines.
///
/// ```
/// # mod demo { assetlock::__doc_manifest!(); }
/// # use demo::MANIFEST;
/// let css = MANIFEST.get("css/app.css").unwrap();
/// assert_eq!(css.logical_path(), "css/app.css");
/// assert!(css.url().starts_with("/assets/css/app."));
/// assert_eq!(css.content_type(), "text/css; charset=utf-8");
/// assert!(css.integrity().starts_with("sha384-"));
/// assert_eq!(css.bytes().unwrap().len() as u64, css.size());
/// ```
#[derive(Debug)]
pub struct Asset {
    logical_path: &'static str,
    url: &'static str,
    hashed_path: &'static str,
    size: u64,
    sha256: &'static str,
    integrity: &'static str,
    content_type: &'static str,
    variants: &'static [Variant],
    contents: Contents,
}

/// A precompressed copy of an asset, stored beside it as `<hashed path><extension>`.
///
/// ```
/// # mod demo { assetlock::__doc_manifest!(); }
/// # use demo::MANIFEST;
/// use assetlock::Encoding;
///
/// let js = MANIFEST.get("js/app.js").unwrap();
/// let gzip = js.variant(Encoding::Gzip).unwrap();
/// assert_eq!(gzip.hashed_path(), format!("{}.gz", js.hashed_path()));
/// assert!(gzip.size() < js.size());
/// ```
#[derive(Debug)]
pub struct Variant {
    encoding: Encoding,
    hashed_path: &'static str,
    size: u64,
    sha256: &'static str,
    contents: Contents,
}

impl Asset {
    #[doc(hidden)]
    #[allow(clippy::too_many_arguments)]
    pub const fn __new(
        logical_path: &'static str,
        url: &'static str,
        hashed_path: &'static str,
        size: u64,
        sha256: &'static str,
        integrity: &'static str,
        content_type: &'static str,
        variants: &'static [Variant],
        contents: Contents,
    ) -> Asset {
        Asset {
            logical_path,
            url,
            hashed_path,
            size,
            sha256,
            integrity,
            content_type,
            variants,
            contents,
        }
    }

    /// The path relative to its asset dir, `/`-separated: the name `asset_url!` takes.
    pub const fn logical_path(&self) -> &'static str {
        self.logical_path
    }

    /// The URL to put in pages: the URL prefix followed by the percent-encoded hashed path.
    pub const fn url(&self) -> &'static str {
        self.url
    }

    /// The content-addressed path under the artifact dir and the object-store prefix, e.g.
    /// `css/app.3f2a9c1b7e04d5a6.css` (not percent-encoded).
    pub const fn hashed_path(&self) -> &'static str {
        self.hashed_path
    }

    /// Size in bytes of the served (identity) bytes.
    pub const fn size(&self) -> u64 {
        self.size
    }

    /// Lower-case hex SHA-256 of the served bytes; the server's strong ETag.
    pub const fn sha256(&self) -> &'static str {
        self.sha256
    }

    /// Subresource Integrity value (`sha384-<base64>`) for `integrity="..."` attributes.
    pub const fn integrity(&self) -> &'static str {
        self.integrity
    }

    /// The `Content-Type` header value, with `charset=utf-8` for text.
    pub const fn content_type(&self) -> &'static str {
        self.content_type
    }

    /// The precompressed variants, least preferred coding first.
    pub const fn variants(&self) -> &'static [Variant] {
        self.variants
    }

    /// The codings this asset can be served in, identity first.
    pub fn encodings(&self) -> impl Iterator<Item = Encoding> + '_ {
        std::iter::once(Encoding::Identity).chain(self.variants.iter().map(|v| v.encoding))
    }

    /// The variant in `encoding`, if the build kept one.
    pub fn variant(&self, encoding: Encoding) -> Option<&Variant> {
        self.variants.iter().find(|v| v.encoding == encoding)
    }

    /// The served bytes.
    ///
    /// Embedded builds return bytes compiled into the binary. Builds made with
    /// `Config::embed(false)` read the file from the artifact dir (`ASSETLOCK_DIST` at run
    /// time, by default the build's own artifact dir) on first use and keep it.
    ///
    /// # Errors
    ///
    /// For a non-embedded build: the file cannot be read, or its size or SHA-256 differ from
    /// what this binary was built with (the artifact dir belongs to another build).
    pub fn bytes(&self) -> io::Result<&[u8]> {
        self.contents.get(self.hashed_path, self.size, self.sha256)
    }
}

impl Variant {
    #[doc(hidden)]
    pub const fn __new(
        encoding: Encoding,
        hashed_path: &'static str,
        size: u64,
        sha256: &'static str,
        contents: Contents,
    ) -> Variant {
        Variant {
            encoding,
            hashed_path,
            size,
            sha256,
            contents,
        }
    }

    /// The content coding of these bytes.
    pub const fn encoding(&self) -> Encoding {
        self.encoding
    }

    /// The path of the variant file: the asset's hashed path plus the coding's extension.
    pub const fn hashed_path(&self) -> &'static str {
        self.hashed_path
    }

    /// Size in bytes of the encoded bytes.
    pub const fn size(&self) -> u64 {
        self.size
    }

    /// Lower-case hex SHA-256 of the encoded bytes.
    pub const fn sha256(&self) -> &'static str {
        self.sha256
    }

    /// The encoded bytes; see [`Asset::bytes`].
    ///
    /// # Errors
    ///
    /// As for [`Asset::bytes`].
    pub fn bytes(&self) -> io::Result<&[u8]> {
        self.contents.get(self.hashed_path, self.size, self.sha256)
    }
}
