//! What the build knows of an image: its intrinsic size, and for the images named by
//! `assetlock_build::Config::images`, their resized AVIF/WebP/fallback copies and a placeholder.

use std::fmt;

use crate::Asset;

/// An image asset's intrinsic size and variants; get it with [`Asset::image`] or
/// [`Manifest::image`](crate::Manifest::image).
///
/// Every PNG, JPEG, GIF, WebP, AVIF and SVG asset (an SVG whose root element gives a size)
/// has one. Variants are assets of their own, each with its own `Image`:
///
/// ```
/// # mod demo { assetlock::__doc_manifest!(); }
/// # use demo::MANIFEST;
/// let photo = MANIFEST.image("img/photo.png").unwrap();
/// assert_eq!((photo.width(), photo.height()), (64, 48));
/// for variant in photo.variants() {
///     let size = variant.image().unwrap();
///     println!("{} {}w {}", variant.url(), size.width(), variant.content_type());
/// }
/// assert!(photo.srcset("image/avif").ends_with(" 64w"));
/// ```
pub struct Image {
    width: u32,
    height: u32,
    variants: &'static [&'static Asset],
    placeholder: Option<&'static str>,
}

impl Image {
    #[doc(hidden)]
    pub const fn __new(width: u32, height: u32) -> Image {
        Image {
            width,
            height,
            variants: &[],
            placeholder: None,
        }
    }

    #[doc(hidden)]
    pub const fn __with_variants(mut self, variants: &'static [&'static Asset]) -> Image {
        self.variants = variants;
        self
    }

    #[doc(hidden)]
    pub const fn __with_placeholder(mut self, placeholder: &'static str) -> Image {
        self.placeholder = Some(placeholder);
        self
    }

    /// Width in CSS pixels, as browsers show the image (EXIF orientation applied).
    pub const fn width(&self) -> u32 {
        self.width
    }

    /// Height in CSS pixels.
    pub const fn height(&self) -> u32 {
        self.height
    }

    /// The resized and re-encoded copies, sorted by content type then width; empty for an
    /// image the build made none of, and in live dev mode.
    pub const fn variants(&self) -> &'static [&'static Asset] {
        self.variants
    }

    /// The copies in one content type (`image/avif`, `image/webp`, or the source's type),
    /// narrowest first.
    pub fn variants_of(&self, content_type: &str) -> impl Iterator<Item = &'static Asset> + '_ {
        let content_type = content_type.to_owned();
        self.variants
            .iter()
            .copied()
            .filter(move |v| v.content_type() == content_type)
    }

    /// The content types of the copies, most preferred first (AVIF, WebP, then the source's).
    pub fn content_types(&self) -> Vec<&'static str> {
        let mut types: Vec<&'static str> = Vec::new();
        for variant in self.variants {
            if !types.contains(&variant.content_type()) {
                types.push(variant.content_type());
            }
        }
        types.sort_by_key(|t| preference(t));
        types
    }

    /// A `srcset` value of the copies in `content_type`: `url 640w, url 1280w`. Empty when
    /// there are none.
    pub fn srcset(&self, content_type: &str) -> String {
        let mut out = String::new();
        for variant in self.variants_of(content_type) {
            let width = variant.image().map_or(0, Image::width);
            if !out.is_empty() {
                out.push_str(", ");
            }
            out.push_str(variant.url());
            out.push(' ');
            out.push_str(&width.to_string());
            out.push('w');
        }
        out
    }

    /// A tiny blurred preview of the image, a `data:` URL of a few hundred bytes, to show (as
    /// a CSS background) while the image loads; `None` unless the build was asked for one.
    pub const fn placeholder(&self) -> Option<&'static str> {
        self.placeholder
    }
}

/// The order `<source>` elements go in: the best compression first.
fn preference(content_type: &str) -> u8 {
    match content_type {
        "image/avif" => 0,
        "image/webp" => 1,
        _ => 2,
    }
}

impl fmt::Debug for Image {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let variants: Vec<_> = self.variants.iter().map(|v| v.logical_path()).collect();
        f.debug_struct("Image")
            .field("width", &self.width)
            .field("height", &self.height)
            .field("variants", &variants)
            .field("placeholder", &self.placeholder.is_some())
            .finish()
    }
}
