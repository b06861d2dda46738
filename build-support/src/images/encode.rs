//! Decoding an image once and making its variants: resized with a Lanczos filter, encoded in
//! AVIF (rav1e), WebP (libwebp) and the source's own format. Only in builds with the `images`
//! feature.

use std::io::Cursor;

use fast_image_resize::{FilterType, ResizeAlg, ResizeOptions, Resizer};
use image::{DynamicImage, ImageDecoder, ImageReader, Limits};
use rayon::prelude::*;

use crate::config::ImageFormat;
use crate::settings::images::ImageRule;

use super::webp;

/// An image decoded, oriented and ready to resize: 8-bit RGB, or RGBA when it has any pixel
/// that is not opaque.
pub(crate) struct Decoded {
    pub format: ImageFormat,
    pub pixels: DynamicImage,
}

/// One variant, encoded.
pub(crate) struct Encoded {
    pub format: ImageFormat,
    pub width: u32,
    pub height: u32,
    pub bytes: Vec<u8>,
}

/// Decodes `bytes`, refusing what would not be a still JPEG, PNG or WebP image of at most
/// `max_pixels` before allocating for its pixels.
///
/// # Errors
///
/// What is wrong with the image, as a sentence to follow its name.
pub(crate) fn decode(bytes: &[u8], max_pixels: u64) -> Result<Decoded, String> {
    let reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| e.to_string())?;
    let format = match reader.format() {
        Some(image::ImageFormat::Jpeg) => ImageFormat::Jpeg,
        Some(image::ImageFormat::Png) => ImageFormat::Png,
        Some(image::ImageFormat::WebP) => ImageFormat::Webp,
        Some(other) => {
            return Err(format!(
                "is {other:?}, which has no variants: Config::images takes JPEG, PNG and WebP"
            ));
        }
        None => return Err("is not a JPEG, PNG or WebP image".to_string()),
    };
    // The header says how many pixels the decode would allocate: a decompression bomb stops
    // here, before any.
    let size = imagesize::blob_size(bytes).map_err(|_| "has a corrupt header".to_string())?;
    let pixels = size.width as u64 * size.height as u64;
    if pixels > max_pixels {
        return Err(format!(
            "is {} x {} pixels ({pixels}), more than the {max_pixels} of Images::max_pixels",
            size.width, size.height
        ));
    }
    if animated(bytes, format) {
        return Err("is animated: variants would keep its first frame only".to_string());
    }
    let mut limits = Limits::default();
    // Room for the pixels at 16 bits per channel with alpha, and the decoder's own buffers.
    limits.max_alloc = Some(pixels.saturating_mul(8).saturating_add(64 << 20));
    let mut reader = reader;
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(describe)?;
    let orientation = decoder.orientation().map_err(describe)?;
    let mut image = DynamicImage::from_decoder(decoder).map_err(describe)?;
    image.apply_orientation(orientation);
    // An alpha channel that is opaque everywhere is dropped: the encoders then store none.
    let pixels = match image.color().has_alpha() {
        false => DynamicImage::ImageRgb8(image.to_rgb8()),
        true => {
            let rgba = image.to_rgba8();
            match rgba.pixels().all(|p| p.0[3] == 255) {
                true => DynamicImage::ImageRgb8(DynamicImage::ImageRgba8(rgba).to_rgb8()),
                false => DynamicImage::ImageRgba8(rgba),
            }
        }
    };
    Ok(Decoded { format, pixels })
}

fn describe(error: image::ImageError) -> String {
    match error {
        image::ImageError::Limits(e) => format!("needs more memory than allowed to decode: {e}"),
        image::ImageError::Unsupported(e) => format!("uses a feature the decoder lacks: {e}"),
        e => format!("cannot be decoded (truncated or corrupt?): {e}"),
    }
}

/// An animated PNG (an `acTL` chunk before the image data) or WebP (the animation flag of
/// its `VP8X` header).
fn animated(bytes: &[u8], format: ImageFormat) -> bool {
    match format {
        ImageFormat::Png => {
            let mut at = 8;
            while let Some(header) = bytes.get(at..at + 8) {
                let len = u32::from_be_bytes([header[0], header[1], header[2], header[3]]);
                match &header[4..8] {
                    b"acTL" => return true,
                    b"IDAT" => return false,
                    _ => at += 12 + len as usize,
                }
            }
            false
        }
        ImageFormat::Webp => {
            bytes.get(12..16) == Some(&b"VP8X"[..]) && bytes.get(20).is_some_and(|f| f & 0x02 != 0)
        }
        _ => false,
    }
}

/// `image` resized to `width` pixels wide, its aspect ratio kept; the image itself at its own
/// width.
pub(crate) fn resized(image: &DynamicImage, width: u32) -> Result<DynamicImage, String> {
    let height = height_at(image.width(), image.height(), width);
    if (width, height) == (image.width(), image.height()) {
        return Ok(image.clone());
    }
    let mut out = DynamicImage::new(width, height, image.color());
    let options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3));
    Resizer::new()
        .resize(image, &mut out, &options)
        .map_err(|e| format!("cannot be resized: {e}"))?;
    Ok(out)
}

/// The height of an image of `width` x `height` resized to `to` pixels wide, at least 1.
pub(crate) fn height_at(width: u32, height: u32, to: u32) -> u32 {
    let scaled = (u64::from(height) * u64::from(to) + u64::from(width) / 2) / u64::from(width);
    u32::try_from(scaled).unwrap_or(u32::MAX).max(1)
}

/// Every variant of `decoded` the rule asks for: each width, each format, in parallel. The
/// source's own format at the source's own width is the source file, not a variant.
pub(crate) fn variants(decoded: &Decoded, rule: &ImageRule) -> Result<Vec<Encoded>, String> {
    let image = &decoded.pixels;
    let widths = rule.widths_for(image.width());
    let resized: Vec<DynamicImage> = widths
        .par_iter()
        .map(|&w| resized(image, w))
        .collect::<Result<_, _>>()?;
    let formats = rule.formats_for(decoded.format);
    let tasks: Vec<(ImageFormat, &DynamicImage)> = formats
        .iter()
        .flat_map(|&f| resized.iter().map(move |r| (f, r)))
        .filter(|(f, r)| !(*f == decoded.format && r.width() == image.width()))
        .collect();
    tasks
        .par_iter()
        .with_max_len(1)
        .map(|&(format, pixels)| {
            let quality = rule.rule.quality_of(format);
            Ok(Encoded {
                format,
                width: pixels.width(),
                height: pixels.height(),
                bytes: encode(pixels, format, quality, rule.rule.avif_speed)?,
            })
        })
        .collect()
}

/// `pixels` in `format` at `quality` (0 to 100).
pub(crate) fn encode(
    pixels: &DynamicImage,
    format: ImageFormat,
    quality: u8,
    avif_speed: u8,
) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    match format {
        ImageFormat::Avif => return avif(pixels, quality, avif_speed),
        ImageFormat::Webp => return webp::encode(pixels, quality),
        ImageFormat::Jpeg => {
            let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality);
            DynamicImage::ImageRgb8(pixels.to_rgb8())
                .write_with_encoder(encoder)
                .map_err(|e| format!("cannot be encoded as JPEG: {e}"))?;
        }
        ImageFormat::Png => {
            use image::codecs::png::{CompressionType, FilterType, PngEncoder};
            let encoder =
                PngEncoder::new_with_quality(&mut out, CompressionType::Best, FilterType::Adaptive);
            pixels
                .write_with_encoder(encoder)
                .map_err(|e| format!("cannot be encoded as PNG: {e}"))?;
        }
    }
    Ok(out)
}

/// AVIF, 8 bits per channel, 4:4:4, through rav1e on the build's threads.
fn avif(pixels: &DynamicImage, quality: u8, speed: u8) -> Result<Vec<u8>, String> {
    let encoder = ravif::Encoder::new()
        .with_quality(f32::from(quality))
        .with_alpha_quality(f32::from(quality))
        .with_speed(speed)
        .with_bit_depth(ravif::BitDepth::Eight);
    let (width, height) = (pixels.width() as usize, pixels.height() as usize);
    let encoded = match pixels {
        DynamicImage::ImageRgba8(rgba) => {
            let data: Vec<ravif::RGBA8> = (rgba.as_raw().chunks_exact(4))
                .map(|p| ravif::RGBA8::new(p[0], p[1], p[2], p[3]))
                .collect();
            encoder.encode_rgba(ravif::Img::new(&data[..], width, height))
        }
        other => {
            let rgb = other.to_rgb8();
            let data: Vec<ravif::RGB8> = (rgb.as_raw().chunks_exact(3))
                .map(|p| ravif::RGB8::new(p[0], p[1], p[2]))
                .collect();
            encoder.encode_rgb(ravif::Img::new(&data[..], width, height))
        }
    };
    encoded
        .map(|e| e.avif_file)
        .map_err(|e| format!("cannot be encoded as AVIF: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heights_keep_the_aspect_ratio_and_are_never_zero() {
        assert_eq!(height_at(1600, 900, 640), 360);
        assert_eq!(height_at(3, 2, 2), 1);
        assert_eq!(height_at(10_000, 1, 10), 1);
    }

    /// The resizer picks SIMD code by the CPU it runs on: every path must give the same
    /// pixels, or the same image would hash differently on another machine.
    #[test]
    fn every_cpu_extension_resizes_to_the_same_pixels() {
        use fast_image_resize::CpuExtensions;
        let noise = |x: u32, y: u32, c: u32| ((x * 7919 + y * 104_729 + c * 31) % 251) as u8;
        let rgb = DynamicImage::ImageRgb8(image::RgbImage::from_fn(97, 61, |x, y| {
            image::Rgb([noise(x, y, 0), noise(x, y, 1), noise(x, y, 2)])
        }));
        let rgba = DynamicImage::ImageRgba8(image::RgbaImage::from_fn(97, 61, |x, y| {
            image::Rgba([
                noise(x, y, 0),
                noise(x, y, 1),
                noise(x, y, 2),
                noise(x, y, 3),
            ])
        }));
        let mut extensions = vec![CpuExtensions::None];
        #[cfg(target_arch = "x86_64")]
        extensions.extend([CpuExtensions::Sse4_1, CpuExtensions::Avx2]);
        #[cfg(target_arch = "aarch64")]
        extensions.push(CpuExtensions::Neon);
        for image in [rgb, rgba] {
            let with = |extension: CpuExtensions| {
                let mut out = DynamicImage::new(40, 25, image.color());
                let mut resizer = Resizer::new();
                // SAFETY: only extensions this CPU reports are set.
                unsafe { resizer.set_cpu_extensions(extension) };
                let options =
                    ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3));
                resizer.resize(&image, &mut out, &options).unwrap();
                out.into_bytes()
            };
            let plain = with(CpuExtensions::None);
            for &extension in extensions.iter().filter(|e| e.is_supported()) {
                assert!(
                    with(extension) == plain,
                    "{extension:?} differs from plain code"
                );
            }
        }
    }

    #[test]
    fn animation_is_found_in_the_headers() {
        let png = |chunk: &[u8; 4]| {
            let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
            for name in [b"IHDR", chunk, b"IDAT"] {
                bytes.extend_from_slice(&0u32.to_be_bytes());
                bytes.extend_from_slice(name);
                bytes.extend_from_slice(&[0; 4]);
            }
            bytes
        };
        assert!(animated(&png(b"acTL"), ImageFormat::Png));
        assert!(!animated(&png(b"tEXt"), ImageFormat::Png));
        let mut webp = b"RIFF\0\0\0\0WEBPVP8X\x0a\0\0\0\x02".to_vec();
        assert!(animated(&webp, ImageFormat::Webp));
        webp[20] = 0x10;
        assert!(!animated(&webp, ImageFormat::Webp));
    }
}
