//! The settings of images with variants (`Config::images`), which the images stage makes.

use super::Config;

/// A format an image variant is encoded in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ImageFormat {
    /// AVIF (AV1 still image), encoded with rav1e; the smallest files, decoded by every
    /// current browser.
    Avif,
    /// Lossy WebP, encoded with libwebp.
    Webp,
    /// Baseline JPEG: the fallback of a JPEG source.
    Jpeg,
    /// PNG: the fallback of a PNG source (lossless).
    Png,
}

impl ImageFormat {
    /// The file extension of the format, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            ImageFormat::Avif => "avif",
            ImageFormat::Webp => "webp",
            ImageFormat::Jpeg => "jpg",
            ImageFormat::Png => "png",
        }
    }

    /// The quality a variant in this format is encoded at when the rule sets none: 0 to 100,
    /// the scale of each encoder's own tool (`cavif`/`avifenc`'s for AVIF, `cwebp -q` for
    /// WebP, libjpeg's for JPEG); PNG is lossless and ignores it.
    pub fn default_quality(self) -> u8 {
        match self {
            ImageFormat::Avif => 60,
            ImageFormat::Webp => 75,
            ImageFormat::Jpeg => 80,
            ImageFormat::Png => 100,
        }
    }
}

/// Which images get variants, and which: a rule for [`Config::images`].
///
/// ```
/// use assetlock_build::{ImageFormat, Images};
///
/// let photos = Images::new("img/photos/**/*.{jpg,png}")
///     .widths([480, 960, 1600])
///     .formats([ImageFormat::Avif, ImageFormat::Webp])
///     .quality(ImageFormat::Avif, 55)
///     .avif_speed(6)
///     .placeholder(true);
/// # let _ = photos;
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Images {
    pub(crate) pattern: String,
    pub(crate) widths: Vec<u32>,
    pub(crate) formats: Vec<ImageFormat>,
    pub(crate) qualities: Vec<(ImageFormat, u8)>,
    pub(crate) avif_speed: u8,
    pub(crate) placeholder: bool,
    pub(crate) max_pixels: u64,
}

impl Images {
    /// The images whose logical paths match the glob `pattern` (`img/**/*.jpg`,
    /// `img/photos/*.{jpg,png}`), with the defaults: widths 640, 1280 and 1920, AVIF and WebP
    /// besides the source's own format, each format's
    /// [default quality](ImageFormat::default_quality), AVIF speed 6, no placeholder, and
    /// at most 40 megapixels.
    pub fn new(pattern: impl Into<String>) -> Images {
        Images {
            pattern: pattern.into(),
            widths: vec![640, 1280, 1920],
            formats: vec![ImageFormat::Avif, ImageFormat::Webp],
            qualities: Vec::new(),
            avif_speed: 6,
            placeholder: false,
            max_pixels: 40_000_000,
        }
    }

    /// The widths in pixels of the variants. An image is never enlarged: a width at or above
    /// the image's own gives one variant at the image's own width, and the narrower ones
    /// give one each.
    pub fn widths(mut self, widths: impl IntoIterator<Item = u32>) -> Images {
        self.widths = widths.into_iter().collect();
        self
    }

    /// The modern formats the variants come in, besides the source's own (JPEG or PNG, the
    /// fallback every browser shows, at the narrower widths; the source file itself is the
    /// widest). Default AVIF and WebP.
    pub fn formats(mut self, formats: impl IntoIterator<Item = ImageFormat>) -> Images {
        self.formats = formats.into_iter().collect();
        self
    }

    /// The quality, 0 to 100, of the variants in `format`.
    pub fn quality(mut self, format: ImageFormat, quality: u8) -> Images {
        self.qualities.retain(|(f, _)| *f != format);
        self.qualities.push((format, quality));
        self.qualities.sort();
        self
    }

    /// rav1e's speed for AVIF, 1 (slowest, smallest files) to 10 (fastest). Default 6.
    pub fn avif_speed(mut self, speed: u8) -> Images {
        self.avif_speed = speed;
        self
    }

    /// Whether each image gets a placeholder: a blurred preview of a few hundred bytes as a
    /// `data:` URL, shown while the image loads. Default off.
    pub fn placeholder(mut self, placeholder: bool) -> Images {
        self.placeholder = placeholder;
        self
    }

    /// The most pixels (width times height) an image may have: a larger one is a build error
    /// rather than a decode that could exhaust memory (a "decompression bomb": a PNG of a few
    /// kilobytes can claim 60,000 x 60,000 pixels). Default 40,000,000.
    pub fn max_pixels(mut self, pixels: u64) -> Images {
        self.max_pixels = pixels;
        self
    }

    /// The quality of variants in `format`.
    pub(crate) fn quality_of(&self, format: ImageFormat) -> u8 {
        let set = self.qualities.iter().find(|(f, _)| *f == format);
        set.map_or(format.default_quality(), |(_, q)| *q)
    }
}

impl Config {
    /// Makes variants of the images `rule` names: each resized to the rule's widths and
    /// encoded in its formats, every variant an asset of its own (content-hashed, in the
    /// manifest and the release record, uploaded, verified, kept by prune and served like
    /// any asset). Needs the `images` feature of `assetlock-build`.
    ///
    /// Every image of the build has its size in the manifest (`MANIFEST.image(..)` at run
    /// time, `asset_dimensions!` at compile time); a named image also lists its variants, and
    /// with [`Images::placeholder`] a preview. `assetlock::html::picture` writes the
    /// `<picture>` element. Encoding goes through the persistent cache and runs on the
    /// build's threads; live dev builds skip it and serve the source image.
    ///
    /// Several rules may be added; an image named by two is an error.
    ///
    /// ```no_run
    /// use assetlock_build::{Config, Images};
    ///
    /// Config::new()
    ///     .asset_dir("assets")
    ///     .images(Images::new("img/photos/*.jpg").widths([640, 1280]).placeholder(true))
    ///     .compile();
    /// ```
    pub fn images(&mut self, rule: Images) -> &mut Self {
        self.images.push(rule);
        self
    }
}
