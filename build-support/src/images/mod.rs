//! The images stage: the size of every image, and for the images a rule names
//! (`Config::images`), their variants and placeholder, through the persistent cache.
//!
//! - this module: [`run`], and the [`ImageMeta`] the later stages carry.
//! - [`dimensions`]: sizes from headers and SVG attributes, for every image.
//! - `made` (feature `images`): one image's variants, cached; `encode`, `webp` and
//!   `placeholder` make them.

pub(crate) mod dimensions;
#[cfg(feature = "images")]
mod encode;
#[cfg(feature = "images")]
mod made;
#[cfg(feature = "images")]
mod placeholder;
#[cfg(feature = "images")]
mod webp;

use std::collections::BTreeMap;

use assetlock_contract::image::{variant_logical, variant_source};
use rayon::prelude::*;

use crate::cache::stages::Stages;
use crate::discover::Source;
use crate::error::Diagnostic;
use crate::settings::Settings;
use crate::settings::images::ImageRule;
use crate::transform::{Entry, Transformed};

/// What the build knows of one image asset.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct ImageMeta {
    pub width: u32,
    pub height: u32,
    /// Logical paths of the variants, sorted by format then width.
    pub variants: Vec<String>,
    /// A `data:` URL.
    pub placeholder: Option<String>,
}

/// One variant as the stage hands it on.
pub(crate) struct MadeVariant {
    pub extension: &'static str,
    pub width: u32,
    pub height: u32,
    pub bytes: Vec<u8>,
}

/// One image's variants and placeholder, as made or read back from the cache.
pub(crate) struct Made {
    pub width: u32,
    pub height: u32,
    pub variants: Vec<MadeVariant>,
    pub placeholder: Option<String>,
}

/// The stage's result: the images' sizes and variants, the variants as entries for the
/// later stages, and what went wrong.
#[derive(Default)]
pub(crate) struct Images {
    pub meta: BTreeMap<String, ImageMeta>,
    pub entries: Vec<Entry>,
    pub problems: Vec<Diagnostic>,
    pub warnings: Vec<Diagnostic>,
    /// Images whose variants were made, not taken from the cache.
    pub encoded: usize,
}

/// Reads the size of every image among `sources` and makes the variants the rules ask for,
/// one image per task on the build's threads.
pub(crate) fn run(settings: &Settings, stages: &Stages, sources: &[Source]) -> Images {
    let mut images = Images::default();
    images.problems.extend(clashes(&settings.images, sources));
    let rules_of = |source: &Source| -> Vec<&ImageRule> {
        let matching = settings.images.iter();
        matching
            .filter(|r| r.matcher.is_match(&source.logical))
            .collect()
    };
    let results: Vec<(&Source, Result<Outcome, Diagnostic>)> = sources
        .par_iter()
        .with_max_len(1)
        .filter(|s| dimensions::is_image(&s.logical) || !rules_of(s).is_empty())
        .map(|source| (source, one(stages, source, &rules_of(source))))
        .collect();
    for (source, result) in results {
        match result {
            Ok(Outcome::Size(Some((width, height)))) => {
                let meta = ImageMeta {
                    width,
                    height,
                    ..ImageMeta::default()
                };
                images.meta.insert(source.logical.clone(), meta);
            }
            Ok(Outcome::Size(None)) => {}
            Ok(Outcome::Unreadable(why)) => images.warnings.push(Diagnostic::new(
                &source.display,
                format!("the size of this image cannot be read, so it has none: {why}"),
            )),
            Ok(Outcome::Made(made, encoded)) => {
                images.encoded += usize::from(encoded);
                add_made(&mut images, source, made);
            }
            Err(problem) => images.problems.push(problem),
        }
    }
    images
}

enum Outcome {
    Size(Option<(u32, u32)>),
    Unreadable(String),
    /// Variants, and whether they were made now rather than taken from the cache.
    #[cfg_attr(not(feature = "images"), allow(dead_code))]
    Made(Made, bool),
}

fn one(stages: &Stages, source: &Source, rules: &[&ImageRule]) -> Result<Outcome, Diagnostic> {
    match rules {
        [] => Ok(match dimensions::read(&source.path, &source.logical) {
            Ok(size) => Outcome::Size(size),
            Err(why) => Outcome::Unreadable(why),
        }),
        [rule] => made(stages, source, rule),
        [first, second, ..] => Err(Diagnostic::new(
            &source.display,
            format!(
                "two image rules name this image, `{}` and `{}`: one would be ignored",
                first.rule.pattern, second.rule.pattern
            ),
        )),
    }
}

#[cfg(feature = "images")]
fn made(stages: &Stages, source: &Source, rule: &ImageRule) -> Result<Outcome, Diagnostic> {
    made::made(stages, source, rule).map(|(made, encoded)| Outcome::Made(made, encoded))
}

/// Without the feature there are no rules: `settings::images` refuses them.
#[cfg(not(feature = "images"))]
fn made(_: &Stages, source: &Source, _: &ImageRule) -> Result<Outcome, Diagnostic> {
    Err(Diagnostic::new(
        &source.display,
        "variants need the `images` feature of assetlock-build",
    ))
}

/// Records one image's variants: their entries for the later stages and the sizes of all.
fn add_made(images: &mut Images, source: &Source, made: Made) {
    let mut variants = Vec::with_capacity(made.variants.len());
    for variant in made.variants {
        let logical = variant_logical(&source.logical, variant.width, variant.extension);
        let meta = ImageMeta {
            width: variant.width,
            height: variant.height,
            ..ImageMeta::default()
        };
        images.meta.insert(logical.clone(), meta);
        images.entries.push(Entry {
            display: format!(
                "{} ({}w {})",
                source.display, variant.width, variant.extension
            ),
            logical: logical.clone(),
            out: Transformed {
                bytes: variant.bytes,
                ..Transformed::default()
            },
            stream: None,
            digest: None,
        });
        variants.push(logical);
    }
    let meta = ImageMeta {
        width: made.width,
        height: made.height,
        variants,
        placeholder: made.placeholder,
    };
    images.meta.insert(source.logical.clone(), meta);
}

/// A file whose name is that of a variant of an image a rule names: the two would be one
/// asset.
fn clashes(rules: &[ImageRule], sources: &[Source]) -> Vec<Diagnostic> {
    let named = |logical: &str| rules.iter().any(|r| r.matcher.is_match(logical));
    let known: std::collections::BTreeSet<&str> =
        sources.iter().map(|s| s.logical.as_str()).collect();
    sources
        .iter()
        .filter_map(|s| {
            let image = variant_source(&s.logical)?;
            (known.contains(image) && named(image)).then(|| {
                Diagnostic::new(
                    &s.display,
                    format!(
                        "this file has the name of a variant of `{image}`, which Config::images \
                         makes: rename it"
                    ),
                )
            })
        })
        .collect()
}
