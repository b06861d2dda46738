//! One image's variants and placeholder, through the persistent cache: a rebuild decodes and
//! encodes only the images whose bytes or rule changed.

use serde::{Deserialize, Serialize};

use crate::cache::key;
use crate::cache::stages::Stages;
use crate::config::ImageFormat;
use crate::discover::Source;
use crate::error::Diagnostic;
use crate::hash;
use crate::settings::images::ImageRule;

use super::{Made, MadeVariant, encode, placeholder, webp};

/// What of a rule shapes the variants (its glob does not), with libwebp's version.
#[derive(Serialize)]
struct Key<'a> {
    widths: &'a [u32],
    formats: Vec<&'static str>,
    qualities: Vec<u8>,
    avif_speed: u8,
    placeholder: bool,
    max_pixels: u64,
    libwebp: String,
}

/// A cached result: a JSON header line, then the variants' bytes one after the other.
#[derive(Serialize, Deserialize)]
struct Stored {
    width: u32,
    height: u32,
    placeholder: Option<String>,
    /// `(extension, width, height, length)`.
    variants: Vec<(String, u32, u32, usize)>,
}

/// The variants of `source` by `rule`, and whether they were made now (not cached).
pub(crate) fn made(
    stages: &Stages,
    source: &Source,
    rule: &ImageRule,
) -> Result<(Made, bool), Diagnostic> {
    let problem = |why: String| Diagnostic::new(&source.display, format!("this image {why}"));
    let bytes = std::fs::read(&source.path)
        .map_err(|e| Diagnostic::new(&source.display, "cannot read file").caused_by(e))?;
    let formats = [ImageFormat::Avif, ImageFormat::Webp, ImageFormat::Jpeg];
    let settings = Key {
        widths: &rule.rule.widths,
        formats: rule.rule.formats.iter().map(|f| f.extension()).collect(),
        qualities: formats.iter().map(|&f| rule.rule.quality_of(f)).collect(),
        avif_speed: rule.rule.avif_speed,
        placeholder: rule.rule.placeholder,
        max_pixels: rule.rule.max_pixels,
        libwebp: webp::version(),
    };
    let settings = serde_json::to_string(&settings).expect("numbers and strings serialize");
    let key = key::image(&settings, hash::sha256(&bytes));
    let mut computed = None;
    let stored = stages.cache.get_or_compute(key, || {
        let made = make(&bytes, rule).map_err(problem)?;
        let stored = store(&made);
        computed = Some(made);
        Ok::<_, Diagnostic>(stored)
    })?;
    if let Some(made) = computed {
        return Ok((made, true));
    }
    match load(&stored) {
        Some(made) => Ok((made, false)),
        None => make(&bytes, rule).map(|made| (made, true)).map_err(problem),
    }
}

fn make(bytes: &[u8], rule: &ImageRule) -> Result<Made, String> {
    let decoded = encode::decode(bytes, rule.rule.max_pixels)?;
    let placeholder = match rule.rule.placeholder {
        true => Some(placeholder::of(&decoded.pixels)?),
        false => None,
    };
    let variants = encode::variants(&decoded, rule)?
        .into_iter()
        .map(|v| MadeVariant {
            extension: v.format.extension(),
            width: v.width,
            height: v.height,
            bytes: v.bytes,
        })
        .collect();
    Ok(Made {
        width: decoded.pixels.width(),
        height: decoded.pixels.height(),
        variants,
        placeholder,
    })
}

fn store(made: &Made) -> Vec<u8> {
    let header = Stored {
        width: made.width,
        height: made.height,
        placeholder: made.placeholder.clone(),
        variants: (made.variants.iter())
            .map(|v| (v.extension.to_owned(), v.width, v.height, v.bytes.len()))
            .collect(),
    };
    let mut out = serde_json::to_vec(&header).expect("numbers and strings serialize");
    out.push(b'\n');
    for variant in &made.variants {
        out.extend_from_slice(&variant.bytes);
    }
    out
}

fn load(stored: &[u8]) -> Option<Made> {
    let split = stored.iter().position(|&b| b == b'\n')?;
    let header: Stored = serde_json::from_slice(&stored[..split]).ok()?;
    let mut rest = &stored[split + 1..];
    let mut variants = Vec::new();
    for (extension, width, height, len) in header.variants {
        let extension = [
            ImageFormat::Avif,
            ImageFormat::Webp,
            ImageFormat::Jpeg,
            ImageFormat::Png,
        ]
        .into_iter()
        .map(ImageFormat::extension)
        .find(|e| *e == extension)?;
        let bytes = rest.get(..len)?.to_vec();
        rest = &rest[len..];
        variants.push(MadeVariant {
            extension,
            width,
            height,
            bytes,
        });
    }
    rest.is_empty().then_some(Made {
        width: header.width,
        height: header.height,
        variants,
        placeholder: header.placeholder,
    })
}
