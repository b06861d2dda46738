//! One asset of a build and its precompressed variants.

use std::fmt;
use std::io;

use crate::Encoding;
use crate::dist::Contents;
use crate::image::Image;
pub use assetlock_contract::dictionary::DeltaCoding;

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
/// assert!(css.integrity().starts_with("sha256-"));
/// assert_eq!(css.bytes().unwrap().len() as u64, css.size());
/// ```
pub struct Asset {
    /// Logical path, URL, hashed path, SHA-256, integrity and content type, one after the other:
    /// one string literal per asset instead of six keeps rustc fast on large builds.
    text: &'static str,
    /// Where each of the six fields of `text` ends: 16 bits each, lowest first (one integer
    /// literal instead of an array compiles faster).
    ends: u128,
    size: u64,
    variants: &'static [Variant],
    deltas: &'static [Delta],
    image: Option<&'static Image>,
    contents: Contents,
}

/// A delta of an asset against an earlier release's version of it (RFC 9842): the body a
/// browser that kept that version as a compression dictionary downloads instead of the asset.
/// Made by the build when `assetlock_build::Config::previous_releases` is set.
///
/// ```
/// # mod demo { assetlock::__doc_manifest!(); }
/// # use demo::MANIFEST;
/// let js = MANIFEST.get("js/app.js").unwrap();
/// for delta in js.deltas() {
///     println!("{} bytes against {}", delta.size(), delta.dictionary());
/// }
/// ```
pub struct Delta {
    coding: DeltaCoding,
    /// Hashed path, SHA-256 and dictionary SHA-256, one after the other.
    text: &'static str,
    /// Where each of the three fields of `text` ends, 16 bits each.
    ends: u64,
    size: u64,
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
pub struct Variant {
    encoding: Encoding,
    /// Hashed path and SHA-256, one after the other.
    text: &'static str,
    /// Where each of the two fields of `text` ends, 16 bits each.
    ends: u32,
    size: u64,
    contents: Contents,
}

/// Field `index` of a text made of fields whose ends are packed 16 bits each in `ends`.
fn field(text: &'static str, ends: u128, index: u32) -> &'static str {
    let end_of = |i: u32| ((ends >> (16 * i)) & 0xffff) as usize;
    let start = index.checked_sub(1).map_or(0, end_of);
    text.get(start..end_of(index)).unwrap_or_default()
}

impl Asset {
    #[doc(hidden)]
    pub const fn __new(
        text: &'static str,
        ends: u128,
        size: u64,
        variants: &'static [Variant],
        contents: Contents,
    ) -> Asset {
        Asset {
            text,
            ends,
            size,
            variants,
            deltas: &[],
            image: None,
            contents,
        }
    }

    #[doc(hidden)]
    pub const fn __with_image(mut self, image: &'static Image) -> Asset {
        self.image = Some(image);
        self
    }

    #[doc(hidden)]
    pub const fn __with_deltas(mut self, deltas: &'static [Delta]) -> Asset {
        self.deltas = deltas;
        self
    }

    /// The path relative to its asset dir, `/`-separated: the name `asset_url!` takes.
    pub fn logical_path(&self) -> &'static str {
        field(self.text, self.ends, 0)
    }

    /// The URL to put in pages: the URL prefix followed by the percent-encoded hashed path.
    pub fn url(&self) -> &'static str {
        field(self.text, self.ends, 1)
    }

    /// The content-addressed path under the artifact dir and the object-store prefix, e.g.
    /// `css/app.3f2a9c1b7e04d5a6.css` (not percent-encoded).
    pub fn hashed_path(&self) -> &'static str {
        field(self.text, self.ends, 2)
    }

    /// Whether this is a public file (`assetlock_build::Config::public`): served at its own
    /// path from the site root (`/favicon.ico`), revalidated rather than immutable, and not
    /// uploaded to the bucket.
    pub fn is_public(&self) -> bool {
        assetlock_contract::layout::is_public(self.logical_path(), self.hashed_path())
    }

    /// Size in bytes of the served (identity) bytes.
    pub const fn size(&self) -> u64 {
        self.size
    }

    /// Lower-case hex SHA-256 of the served bytes; the server's strong ETag.
    pub fn sha256(&self) -> &'static str {
        field(self.text, self.ends, 3)
    }

    /// Subresource Integrity value (`sha256-<base64>` by default, see the build's
    /// `Config::integrity`) for `integrity="..."` attributes.
    pub fn integrity(&self) -> &'static str {
        field(self.text, self.ends, 4)
    }

    /// The `Content-Type` header value, with `charset=utf-8` for text.
    pub fn content_type(&self) -> &'static str {
        field(self.text, self.ends, 5)
    }

    /// The precompressed variants, least preferred coding first.
    pub const fn variants(&self) -> &'static [Variant] {
        self.variants
    }

    /// The codings this asset can be served in, identity first.
    pub fn encodings(&self) -> impl Iterator<Item = Encoding> + '_ {
        std::iter::once(Encoding::Identity).chain(self.variants.iter().map(|v| v.encoding))
    }

    /// The deltas against earlier releases' versions, sorted by dictionary.
    pub const fn deltas(&self) -> &'static [Delta] {
        self.deltas
    }

    /// The smallest delta against the dictionary whose SHA-256 is `dictionary` (lower-case
    /// hex), in any coding.
    pub fn delta(&self, dictionary: &str) -> Option<&'static Delta> {
        self.deltas
            .iter()
            .filter(|d| d.dictionary() == dictionary)
            .min_by_key(|d| d.size)
    }

    /// The image's intrinsic size, variants and placeholder; `None` for an asset that is no
    /// image, or an SVG whose root element gives no size.
    ///
    /// ```
    /// # mod demo { assetlock::__doc_manifest!(); }
    /// # use demo::MANIFEST;
    /// let logo = MANIFEST.get("img/logo.svg").unwrap().image().unwrap();
    /// assert_eq!((logo.width(), logo.height()), (16, 16));
    /// assert!(MANIFEST.get("css/app.css").unwrap().image().is_none());
    /// ```
    pub const fn image(&self) -> Option<&'static Image> {
        self.image
    }

    /// The variant in `encoding`, if the build kept one.
    pub fn variant(&self, encoding: Encoding) -> Option<&Variant> {
        self.variants.iter().find(|v| v.encoding == encoding)
    }

    /// The served bytes.
    ///
    /// By default the bytes are compiled into the binary. Builds made with
    /// `Config::embed(false)` read the file from the artifact dir (`ASSETLOCK_DIST` at run
    /// time, by default the build's own artifact dir) on first use and keep it.
    ///
    /// # Errors
    ///
    /// For a non-embedded build: the file cannot be read, or its size or SHA-256 differ from
    /// what this binary was built with (the artifact dir belongs to another build).
    pub fn bytes(&self) -> io::Result<&'static [u8]> {
        self.contents
            .get(self.hashed_path(), self.size, self.sha256())
    }
}

impl Variant {
    #[doc(hidden)]
    pub const fn __new(
        encoding: Encoding,
        text: &'static str,
        ends: u32,
        size: u64,
        contents: Contents,
    ) -> Variant {
        Variant {
            encoding,
            text,
            ends,
            size,
            contents,
        }
    }

    /// The content coding of these bytes.
    pub const fn encoding(&self) -> Encoding {
        self.encoding
    }

    /// The path of the variant file: the asset's hashed path plus the coding's extension.
    pub fn hashed_path(&self) -> &'static str {
        field(self.text, u128::from(self.ends), 0)
    }

    /// Size in bytes of the encoded bytes.
    pub const fn size(&self) -> u64 {
        self.size
    }

    /// Lower-case hex SHA-256 of the encoded bytes.
    pub fn sha256(&self) -> &'static str {
        field(self.text, u128::from(self.ends), 1)
    }

    /// The encoded bytes; see [`Asset::bytes`].
    ///
    /// # Errors
    ///
    /// As for [`Asset::bytes`].
    pub fn bytes(&self) -> io::Result<&'static [u8]> {
        self.contents
            .get(self.hashed_path(), self.size, self.sha256())
    }
}

impl Delta {
    #[doc(hidden)]
    pub const fn __new(
        coding: DeltaCoding,
        text: &'static str,
        ends: u64,
        size: u64,
        contents: Contents,
    ) -> Delta {
        Delta {
            coding,
            text,
            ends,
            size,
            contents,
        }
    }

    /// The content coding of the body (`dcz`).
    pub const fn coding(&self) -> DeltaCoding {
        self.coding
    }

    /// The path of the delta file, beside its asset
    /// (`assetlock_contract::dictionary::delta_path`).
    pub fn hashed_path(&self) -> &'static str {
        field(self.text, u128::from(self.ends), 0)
    }

    /// Lower-case hex SHA-256 of the body; its strong ETag.
    pub fn sha256(&self) -> &'static str {
        field(self.text, u128::from(self.ends), 1)
    }

    /// Lower-case hex SHA-256 of the dictionary: the earlier version's bytes.
    pub fn dictionary(&self) -> &'static str {
        field(self.text, u128::from(self.ends), 2)
    }

    /// Size in bytes of the body, frame header included.
    pub const fn size(&self) -> u64 {
        self.size
    }

    /// The body; see [`Asset::bytes`].
    ///
    /// # Errors
    ///
    /// As for [`Asset::bytes`].
    pub fn bytes(&self) -> io::Result<&'static [u8]> {
        self.contents
            .get(self.hashed_path(), self.size, self.sha256())
    }
}

impl fmt::Debug for Delta {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Delta")
            .field("coding", &self.coding)
            .field("hashed_path", &self.hashed_path())
            .field("dictionary", &self.dictionary())
            .field("size", &self.size)
            .finish_non_exhaustive()
    }
}

impl fmt::Debug for Asset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Asset")
            .field("logical_path", &self.logical_path())
            .field("url", &self.url())
            .field("size", &self.size)
            .field("sha256", &self.sha256())
            .field("content_type", &self.content_type())
            .field("variants", &self.variants)
            .field("deltas", &self.deltas)
            .field("image", &self.image)
            .finish_non_exhaustive()
    }
}

impl fmt::Debug for Variant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Variant")
            .field("encoding", &self.encoding)
            .field("hashed_path", &self.hashed_path())
            .field("size", &self.size)
            .finish_non_exhaustive()
    }
}
