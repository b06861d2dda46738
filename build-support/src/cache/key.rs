//! Cache keys: what a cached result depends on, hashed with SHA-256.
//!
//! - A transform's key covers its [`TransformOptions`] serialized, which file it reads, where
//!   the output lives, whether it is a bundle part, and the input bytes.
//! - A compression's key covers the coding, its level and the input bytes.
//!
//! Both also cover the version of this crate and of the libraries that shape the result
//! ([`TRANSFORM_LIBRARIES`], [`compression_libraries`]), so upgrading a minifier or compressor
//! never reuses old results, while relinking the same code (a new build script path or mtime,
//! a `cargo clean` of the build script alone) keeps the cache warm. A locally modified copy
//! of this crate that keeps its version reuses entries made by the unmodified code: point
//! `ASSETLOCK_CACHE_DIR` elsewhere while working on it.

use serde::Serialize;

use crate::compress::Compression;
use crate::hash::{self, FieldHasher};
use crate::transform::{Input, TransformOptions};

/// A crate whose version shapes cached results, named and versioned as in `Cargo.lock`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Library {
    pub name: &'static str,
    pub version: &'static str,
}

/// This crate: its own code shapes every result.
const THIS_CRATE: Library = Library {
    name: env!("CARGO_PKG_NAME"),
    version: env!("CARGO_PKG_VERSION"),
};

/// The crates whose code shapes a transform's output: the CSS and JS parsers, printers and
/// minifiers, and the source map library that writes and chains maps. A unit test checks
/// these versions against the workspace's `Cargo.lock`.
pub(crate) const TRANSFORM_LIBRARIES: &[Library] = &[
    THIS_CRATE,
    Library {
        name: "oxc",
        version: "0.146.0",
    },
    Library {
        name: "lightningcss",
        version: "1.0.0-alpha.72",
    },
    Library {
        name: "parcel_sourcemap",
        version: "2.1.1",
    },
];

const GZIP_LIBRARIES: &[Library] = &[
    THIS_CRATE,
    Library {
        name: "flate2",
        version: "1.1.11",
    },
    // flate2's default backend, which writes the deflate stream.
    Library {
        name: "miniz_oxide",
        version: "0.9.1",
    },
];

const ZSTD_LIBRARIES: &[Library] = &[
    THIS_CRATE,
    Library {
        name: "zstd",
        version: "0.13.5",
    },
    // Bundles the C library, whose version follows the `+`.
    Library {
        name: "zstd-sys",
        version: "2.1.3+zstd.1.5.7",
    },
];

const BROTLI_LIBRARIES: &[Library] = &[
    THIS_CRATE,
    Library {
        name: "brotli",
        version: "8.0.4",
    },
];

/// The crates whose code shapes an image's variants and placeholder: the decoders (`image`
/// and the codec crates it uses), the resizer and the encoders. libwebp's own version is read
/// from the linked library and keyed too ([`image`]).
#[cfg_attr(not(feature = "images"), allow(dead_code))]
pub(crate) const IMAGE_LIBRARIES: &[Library] = &[
    THIS_CRATE,
    Library {
        name: "image",
        version: "0.25.10",
    },
    Library {
        name: "zune-jpeg",
        version: "0.5.15",
    },
    Library {
        name: "png",
        version: "0.18.1",
    },
    Library {
        name: "image-webp",
        version: "0.2.4",
    },
    Library {
        name: "fast_image_resize",
        version: "6.1.0",
    },
    Library {
        name: "ravif",
        version: "0.13.0",
    },
    Library {
        name: "rav1e",
        version: "0.8.1",
    },
    Library {
        name: "libwebp-sys",
        version: "0.14.4",
    },
];

/// The crates whose code shapes a `coding` variant.
pub(crate) fn compression_libraries(coding: Compression) -> &'static [Library] {
    match coding {
        Compression::Gzip => GZIP_LIBRARIES,
        Compression::Zstd => ZSTD_LIBRARIES,
        Compression::Brotli => BROTLI_LIBRARIES,
    }
}

/// Everything besides the input bytes that a transform's output depends on.
#[derive(Serialize)]
struct TransformKey<'a> {
    options: &'a TransformOptions,
    logical: &'a str,
    location: &'a str,
    part: bool,
}

/// The key of transforming `bytes` as `input` says.
pub(crate) fn transform(input: &Input, input_sha256: [u8; 32]) -> [u8; 32] {
    let key = TransformKey {
        options: input.options,
        logical: input.logical,
        location: input.location,
        part: input.part,
    };
    // Booleans, numbers and strings under string keys: serializing them cannot fail.
    let settings = serde_json::to_string(&key).expect("transform options serialize to JSON");
    derive("transform", TRANSFORM_LIBRARIES, &settings, input_sha256)
}

/// The key of compressing an input whose SHA-256 is `sha256` with `coding` at `level`.
pub(crate) fn compress(coding: Compression, level: u32, sha256: [u8; 32]) -> [u8; 32] {
    derive(
        coding.token(),
        compression_libraries(coding),
        &level.to_string(),
        sha256,
    )
}

/// The key of an image's variants and placeholder: `settings` (the rule's options and
/// libwebp's version) and the image's bytes.
#[cfg_attr(not(feature = "images"), allow(dead_code))]
pub(crate) fn image(settings: &str, input_sha256: [u8; 32]) -> [u8; 32] {
    derive("image", IMAGE_LIBRARIES, settings, input_sha256)
}

/// The key of the `coding` delta of the bytes whose SHA-256 is `target` against the
/// dictionary whose SHA-256 is `dictionary`.
pub(crate) fn delta(
    coding: assetlock_contract::dictionary::DeltaCoding,
    target: [u8; 32],
    dictionary: [u8; 32],
) -> [u8; 32] {
    let pair = hash::sha256(&[target, dictionary].concat());
    let libraries = match coding {
        assetlock_contract::dictionary::DeltaCoding::Dcz => ZSTD_LIBRARIES,
        assetlock_contract::dictionary::DeltaCoding::Dcb => BROTLI_LIBRARIES,
    };
    let level = crate::compress::delta::level(coding).to_string();
    derive(coding.as_str(), libraries, &level, pair)
}

fn derive(stage: &str, libraries: &[Library], settings: &str, input_sha256: [u8; 32]) -> [u8; 32] {
    let mut hasher = FieldHasher::default();
    hasher.field("assetlock cache").field(stage);
    for library in libraries {
        hasher.field(library.name).field(library.version);
    }
    hasher.field(settings).field(input_sha256);
    hasher.finish()
}

#[cfg(test)]
mod tests;
