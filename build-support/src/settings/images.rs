//! The image rules (`Config::images`), checked and with their globs compiled.

use globset::{Glob, GlobMatcher};

use crate::config::{Config, ImageFormat, Images};
use crate::error::Diagnostic;

use super::CONFIG;

/// One [`Images`] rule with its glob compiled.
#[derive(Clone, Debug)]
pub(crate) struct ImageRule {
    pub matcher: GlobMatcher,
    pub rule: Images,
}

impl ImageRule {
    #[cfg_attr(not(feature = "images"), allow(dead_code))]
    /// The widths of the variants of an image `width` pixels wide, narrowest first: the rule's
    /// narrower widths, and the image's own when a rule's width reaches it (never enlarged).
    pub fn widths_for(&self, width: u32) -> Vec<u32> {
        let mut widths: Vec<u32> = (self.rule.widths.iter()).map(|&w| w.min(width)).collect();
        widths.sort_unstable();
        widths.dedup();
        widths
    }

    #[cfg_attr(not(feature = "images"), allow(dead_code))]
    /// The formats of the variants of an image whose own format is `source`: the rule's, then
    /// the source's, each once.
    pub fn formats_for(&self, source: ImageFormat) -> Vec<ImageFormat> {
        let mut formats = self.rule.formats.clone();
        formats.push(source);
        formats.sort();
        formats.dedup();
        formats
    }
}

/// The rules of `config`, or the problems with them: a glob that does not parse, a setting
/// out of range, or rules at all in a build without the `images` feature. A live build checks
/// them and keeps none: it serves the source images.
pub(crate) fn resolve(
    config: &Config,
    live: bool,
    problems: &mut Vec<Diagnostic>,
) -> Vec<ImageRule> {
    if !config.images.is_empty() && !cfg!(feature = "images") {
        problems.push(Diagnostic::new(
            CONFIG,
            "Config::images needs the `images` feature of assetlock-build: \
             `assetlock-build = { version = \"0.1\", features = [\"images\"] }` in \
             [build-dependencies]",
        ));
        return Vec::new();
    }
    let mut rules = Vec::new();
    for rule in &config.images {
        let pattern = &rule.pattern;
        let mut problem = |message: String| {
            problems.push(Diagnostic::new(
                CONFIG,
                format!("Images `{pattern}`: {message}"),
            ));
        };
        if rule.widths.is_empty() || rule.widths.contains(&0) {
            problem(format!(
                "widths must be at least 1 pixel each, found {:?}",
                rule.widths
            ));
        }
        if rule.widths.iter().any(|&w| w > MAX_SIDE) {
            problem(format!(
                "widths must be at most {MAX_SIDE} pixels (WebP's limit)"
            ));
        }
        for format in [ImageFormat::Avif, ImageFormat::Webp, ImageFormat::Jpeg] {
            if rule.quality_of(format) > 100 {
                problem(format!("quality of {format:?} must be 0 to 100"));
            }
        }
        if !(1..=10).contains(&rule.avif_speed) {
            problem(format!(
                "avif_speed must be 1 to 10, found {}",
                rule.avif_speed
            ));
        }
        if rule.max_pixels == 0 {
            problem("max_pixels must be at least 1".to_string());
        }
        match Glob::new(pattern) {
            Ok(glob) => rules.push(ImageRule {
                matcher: glob.compile_matcher(),
                rule: rule.clone(),
            }),
            Err(e) => problems.push(
                Diagnostic::new(CONFIG, format!("invalid images glob `{pattern}`")).caused_by(e),
            ),
        }
    }
    if live {
        rules.clear();
    }
    rules
}

/// The widest or tallest variant a build makes: WebP's limit, 16,383 pixels.
pub(crate) const MAX_SIDE: u32 = 16_383;

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(widths: &[u32]) -> ImageRule {
        ImageRule {
            matcher: Glob::new("*").unwrap().compile_matcher(),
            rule: Images::new("*").widths(widths.iter().copied()),
        }
    }

    /// Run by `cargo test -p assetlock-build` (CI tests with every feature on).
    #[cfg(not(feature = "images"))]
    #[test]
    fn rules_without_the_feature_are_an_error_naming_it() {
        let mut config = Config::new();
        config.images(Images::new("*.jpg"));
        let mut problems = Vec::new();
        assert!(resolve(&config, false, &mut problems).is_empty());
        assert!(
            problems[0]
                .to_string()
                .contains("the `images` feature of assetlock-build")
        );
    }

    #[test]
    fn an_image_is_never_enlarged() {
        assert_eq!(rule(&[640, 1280, 1920]).widths_for(1000), [640, 1000]);
        assert_eq!(rule(&[640, 1280]).widths_for(1280), [640, 1280]);
        assert_eq!(rule(&[640]).widths_for(100), [100]);
    }

    #[test]
    fn the_source_format_is_the_fallback_and_comes_once() {
        let rule = rule(&[1]);
        let formats = rule.formats_for(ImageFormat::Jpeg);
        assert_eq!(
            formats,
            [ImageFormat::Avif, ImageFormat::Webp, ImageFormat::Jpeg]
        );
        let webp = rule.formats_for(ImageFormat::Webp);
        assert_eq!(webp, [ImageFormat::Avif, ImageFormat::Webp]);
    }
}
