//! `<img>`, `<picture>` and image preloads with `srcset`, `sizes`, `width` and `height`.

use std::fmt;

use super::escape;
use crate::{Asset, Image};

/// `<picture>` for an image: one `<source type=.. srcset=.. sizes=..>` per modern format
/// (AVIF, then WebP) and the fallback `<img>` with the source's own format, its `width` and
/// `height` (no layout shift), `alt`, `loading`, `decoding` and, when the build made one, the
/// placeholder as its background.
///
/// An image without variants (not named by `Config::images`, or a live dev build) gives the
/// `<img>` alone.
///
/// ```
/// # mod demo { assetlock::__doc_manifest!(); }
/// # use demo::MANIFEST;
/// use assetlock::html;
///
/// let photo = MANIFEST.get("img/photo.png").unwrap();
/// let tag = html::picture(photo).alt("A photo").sizes("(min-width: 40em) 50vw, 100vw");
/// let html = tag.to_string();
/// assert!(html.contains(r#"width="64" height="48""#));
/// assert!(html.contains(r#"alt="A photo""#));
/// assert!(html.contains(r#"loading="lazy""#));
/// ```
///
/// In a minijinja template (feature `minijinja`): `{{ asset_picture("img/hero.jpg",
/// alt="Hero", sizes="100vw", priority=true) }}`. In askama, render it in the handler and
/// put it in the template with `|safe`: `{{ hero|safe }}` where `hero` is the tag's
/// `to_string()`.
pub fn picture(asset: &Asset) -> Picture<'_> {
    Picture {
        asset,
        alt: "",
        sizes: None,
        class: None,
        priority: false,
        sources: true,
    }
}

/// `<img src=.. srcset=.. sizes=.. width=.. height=..>` with the source's own format only:
/// its narrower variants and the source file itself. See [`picture`] for the attributes.
///
/// ```
/// # mod demo { assetlock::__doc_manifest!(); }
/// # use demo::MANIFEST;
/// let logo = MANIFEST.get("img/logo.svg").unwrap();
/// let tag = assetlock::html::img(logo).alt("Logo").to_string();
/// assert_eq!(
///     tag,
///     format!(
///         r#"<img src="{}" width="16" height="16" alt="Logo" loading="lazy" decoding="async">"#,
///         logo.url()
///     )
/// );
/// ```
pub fn img(asset: &Asset) -> Picture<'_> {
    Picture {
        sources: false,
        ..picture(asset)
    }
}

/// A `<picture>` or `<img>` being built; written by [`fmt::Display`].
#[derive(Clone, Copy, Debug)]
pub struct Picture<'a> {
    asset: &'a Asset,
    alt: &'a str,
    sizes: Option<&'a str>,
    class: Option<&'a str>,
    priority: bool,
    sources: bool,
}

impl<'a> Picture<'a> {
    /// The `alt` text (empty by default: a decorative image).
    pub fn alt(mut self, alt: &'a str) -> Self {
        self.alt = alt;
        self
    }

    /// The `sizes` attribute: how wide the image is shown, so the browser picks a variant.
    /// Default `(max-width: <width>px) 100vw, <width>px`: the viewport's width, up to the
    /// image's own.
    pub fn sizes(mut self, sizes: &'a str) -> Self {
        self.sizes = Some(sizes);
        self
    }

    /// A `class` attribute for the `<img>`.
    pub fn class(mut self, class: &'a str) -> Self {
        self.class = Some(class);
        self
    }

    /// The page's largest image, shown at once (the Largest Contentful Paint element):
    /// `loading="eager"`, `fetchpriority="high"` instead of `loading="lazy"`. Pair it with
    /// [`image_preload`] in the `<head>` or a `Link` header.
    pub fn priority(mut self) -> Self {
        self.priority = true;
        self
    }

    fn image(&self) -> Option<&'static Image> {
        self.asset.image()
    }
}

impl fmt::Display for Picture<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let image = self.image();
        let own_type = self.asset.content_type();
        let modern: Vec<&str> = match (self.sources, image) {
            (true, Some(image)) => image.content_types(),
            _ => Vec::new(),
        };
        let modern: Vec<&str> = modern.into_iter().filter(|t| *t != own_type).collect();
        let sizes = Sizes(self.sizes, image);
        if !modern.is_empty() {
            f.write_str("<picture>")?;
            for content_type in &modern {
                write!(f, r#"<source type="{content_type}" srcset=""#)?;
                escape(
                    f,
                    &image.map(|i| i.srcset(content_type)).unwrap_or_default(),
                )?;
                write!(f, r#"" sizes="{sizes}">"#)?;
            }
        }
        f.write_str(r#"<img src=""#)?;
        escape(f, self.asset.url())?;
        f.write_str("\"")?;
        if let Some(image) = image.filter(|i| i.variants_of(own_type).next().is_some()) {
            let narrower = image.srcset(own_type);
            f.write_str(r#" srcset=""#)?;
            escape(f, &narrower)?;
            write!(f, ", ")?;
            escape(f, self.asset.url())?;
            write!(f, r#" {}w" sizes="{sizes}""#, image.width())?;
        }
        if let Some(image) = image {
            write!(
                f,
                r#" width="{}" height="{}""#,
                image.width(),
                image.height()
            )?;
        }
        f.write_str(r#" alt=""#)?;
        escape(f, self.alt)?;
        f.write_str("\"")?;
        if let Some(class) = self.class {
            f.write_str(r#" class=""#)?;
            escape(f, class)?;
            f.write_str("\"")?;
        }
        f.write_str(match self.priority {
            true => r#" loading="eager" fetchpriority="high" decoding="async""#,
            false => r#" loading="lazy" decoding="async""#,
        })?;
        if let Some(placeholder) = image.and_then(Image::placeholder) {
            f.write_str(r#" style=""#)?;
            escape(f, "background-size:cover;background-image:url(\"")?;
            escape(f, placeholder)?;
            escape(f, "\")")?;
            f.write_str("\"")?;
        }
        f.write_str(">")?;
        if !modern.is_empty() {
            f.write_str("</picture>")?;
        }
        Ok(())
    }
}

/// The `sizes` value: the caller's, escaped, or the image's own width as a cap.
struct Sizes<'a>(Option<&'a str>, Option<&'static Image>);

impl fmt::Display for Sizes<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.0, self.1) {
            (Some(sizes), _) => escape(f, sizes),
            (None, Some(image)) => {
                let width = image.width();
                write!(f, "(max-width: {width}px) 100vw, {width}px")
            }
            (None, None) => f.write_str("100vw"),
        }
    }
}

/// The preload of a page's largest image, for the `<head>`: `<link rel="preload" as="image"
/// imagesrcset=.. imagesizes=.. type=.. fetchpriority="high">` in the image's most preferred
/// format (a browser that cannot decode the `type` skips it), so the browser fetches the very
/// variant the [`picture`] will pick before it parses the `<body>`. Give it the same `sizes`
/// as the picture.
///
/// ```
/// # mod demo { assetlock::__doc_manifest!(); }
/// # use demo::MANIFEST;
/// let photo = MANIFEST.get("img/photo.png").unwrap();
/// let preload = assetlock::html::image_preload(photo).sizes("100vw");
/// assert!(preload.to_string().starts_with(r#"<link rel="preload" as="image""#));
/// assert!(preload.link_header().contains("rel=preload; as=image"));
/// ```
pub fn image_preload(asset: &Asset) -> ImagePreload<'_> {
    ImagePreload { asset, sizes: None }
}

/// A preload of an image; a `<link>` tag through [`fmt::Display`], or a `Link` header value
/// through [`ImagePreload::link_header`].
#[derive(Clone, Copy, Debug)]
pub struct ImagePreload<'a> {
    asset: &'a Asset,
    sizes: Option<&'a str>,
}

impl<'a> ImagePreload<'a> {
    /// The `imagesizes` value: the `sizes` of the picture it preloads.
    pub fn sizes(mut self, sizes: &'a str) -> Self {
        self.sizes = Some(sizes);
        self
    }

    /// What the preload names: the URL, the `imagesrcset` (empty without variants), the
    /// `imagesizes` and the content type.
    fn parts(&self) -> (String, String, String) {
        let image = self.asset.image();
        let best = image.and_then(|i| i.content_types().first().copied());
        let content_type = best.unwrap_or(self.asset.content_type());
        let mut srcset = image.map(|i| i.srcset(content_type)).unwrap_or_default();
        if content_type == self.asset.content_type()
            && let Some(image) = image
            && !srcset.is_empty()
        {
            srcset.push_str(&format!(", {} {}w", self.asset.url(), image.width()));
        }
        let sizes = Sizes(self.sizes, image).to_string();
        (srcset, sizes, content_type.to_owned())
    }

    /// The `Link` header value of the preload (`103 Early Hints` or the response's own
    /// headers): `<url>; rel=preload; as=image; imagesrcset=".."; imagesizes=".."`.
    pub fn link_header(&self) -> String {
        let (srcset, sizes, content_type) = self.parts();
        let mut header = format!("<{}>; rel=preload; as=image", self.asset.url());
        if !srcset.is_empty() {
            header.push_str(&format!(
                r#"; imagesrcset="{srcset}"; imagesizes="{sizes}"; type="{content_type}""#
            ));
        }
        header.push_str("; fetchpriority=high");
        header
    }
}

impl fmt::Display for ImagePreload<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (srcset, sizes, content_type) = self.parts();
        f.write_str(r#"<link rel="preload" as="image" href=""#)?;
        escape(f, self.asset.url())?;
        f.write_str("\"")?;
        if !srcset.is_empty() {
            f.write_str(r#" imagesrcset=""#)?;
            escape(f, &srcset)?;
            f.write_str(r#"" imagesizes=""#)?;
            escape(f, &sizes)?;
            f.write_str(r#"" type=""#)?;
            escape(f, &content_type)?;
            f.write_str("\"")?;
        }
        f.write_str(r#" fetchpriority="high">"#)
    }
}
