//! Lossy WebP through libwebp's simple encoding API (no pure-Rust encoder makes lossy WebP).

use image::DynamicImage;

/// `pixels` (RGB8 or RGBA8) as lossy WebP at `quality` (0 to 100, `cwebp -q`'s scale), with
/// libwebp's default method (4).
pub(crate) fn encode(pixels: &DynamicImage, quality: u8) -> Result<Vec<u8>, String> {
    let (width, height) = (pixels.width(), pixels.height());
    let side = |n: u32| i32::try_from(n).ok().filter(|&n| n <= 16_383);
    let (Some(w), Some(h)) = (side(width), side(height)) else {
        return Err(format!(
            "is {width} x {height}: WebP takes at most 16383 pixels a side"
        ));
    };
    let (bytes, channels) = match pixels {
        DynamicImage::ImageRgba8(rgba) => (rgba.as_raw().clone(), 4),
        other => (other.to_rgb8().into_raw(), 3),
    };
    let stride = w * channels;
    let mut output: *mut u8 = std::ptr::null_mut();
    // SAFETY: `bytes` holds `h` rows of `stride` bytes and outlives the call; libwebp
    // allocates `output` and returns its length (0 on failure), and the copy is taken before
    // `WebPFree` releases it.
    let encoded = unsafe {
        let len = match channels {
            4 => libwebp_sys::WebPEncodeRGBA(
                bytes.as_ptr(),
                w,
                h,
                stride,
                quality.into(),
                &mut output,
            ),
            _ => libwebp_sys::WebPEncodeRGB(
                bytes.as_ptr(),
                w,
                h,
                stride,
                quality.into(),
                &mut output,
            ),
        };
        let encoded = (len > 0 && !output.is_null())
            .then(|| std::slice::from_raw_parts(output, len).to_vec());
        if !output.is_null() {
            libwebp_sys::WebPFree(output.cast());
        }
        encoded
    };
    encoded.ok_or_else(|| "cannot be encoded as WebP (libwebp failed)".to_string())
}

/// libwebp's version, `major.minor.revision`: it shapes every WebP the build makes.
pub(crate) fn version() -> String {
    // SAFETY: a pure function of the linked library.
    let v = unsafe { libwebp_sys::WebPGetEncoderVersion() };
    format!("{}.{}.{}", (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff)
}
