//! Images with variants: how a resized or re-encoded copy of an image is named.
//!
//! A build that makes variants of `img/hero.jpg` (`assetlock_build::Config::images`) adds each
//! as an asset of its own, at the logical path [`variant_logical`] gives: the source's path,
//! `@`, the width and the variant's format. The source's manifest entry lists them.
//!
//! ```
//! use assetlock_contract::image;
//!
//! assert_eq!(image::variant_logical("img/hero.jpg", 640, "avif"), "img/hero.jpg@640w.avif");
//! assert_eq!(image::variant_source("img/hero.jpg@640w.avif"), Some("img/hero.jpg"));
//! assert_eq!(image::variant_source("img/hero.jpg"), None);
//! ```

/// The logical path of the variant of `source` that is `width` pixels wide, in the format whose
/// file extension is `extension`.
pub fn variant_logical(source: &str, width: u32, extension: &str) -> String {
    format!("{source}@{width}w.{extension}")
}

/// The source of a logical path that has the shape of a variant's, [`variant_logical`]; `None`
/// for any other path.
pub fn variant_source(logical: &str) -> Option<&str> {
    let (source, rest) = logical.rsplit_once('@')?;
    let (width, extension) = rest.split_once("w.")?;
    let shaped = !source.is_empty()
        && !width.is_empty()
        && width.bytes().all(|b| b.is_ascii_digit())
        && !extension.is_empty()
        && extension.bytes().all(|b| b.is_ascii_alphanumeric());
    shaped.then_some(source)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_variant_shape_has_a_source() {
        for logical in [
            "a@w.avif",
            "@640w.avif",
            "a@640.avif",
            "a@640w.",
            "a@64x0w.avif",
            "a",
        ] {
            assert_eq!(variant_source(logical), None, "{logical}");
        }
        assert_eq!(variant_source("x@2/a.png@64w.webp"), Some("x@2/a.png"));
    }
}
