//! The placeholder of an image: a WebP a dozen pixels wide, blurred by an SVG filter as the
//! browser scales it up, as one `data:` URL of a few hundred bytes.

use base64::Engine;
use image::DynamicImage;

use super::{encode, webp};

/// The longer side of the preview, in pixels.
const SIDE: u32 = 12;

/// The placeholder of `image`, a `data:image/svg+xml` URL.
pub(crate) fn of(image: &DynamicImage) -> Result<String, String> {
    let (width, height) = (image.width(), image.height());
    let small_width = if width >= height {
        SIDE.min(width)
    } else {
        (u64::from(width) * u64::from(SIDE) / u64::from(height)).max(1) as u32
    };
    let small = encode::resized(image, small_width)?;
    let preview = webp::encode(&small, 40)?;
    let preview = base64::engine::general_purpose::STANDARD.encode(preview);
    // One preview pixel blurs over about one pixel's width of the shown image.
    let blur = f64::from(width) / f64::from(small.width()) * 0.8;
    // The component transfer makes the blurred edges opaque again (no halo at the sides).
    let svg = format!(
        "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {width} {height}'>\
         <filter id='b' color-interpolation-filters='sRGB'><feGaussianBlur stdDeviation='{blur:.0}'/>\
         <feComponentTransfer><feFuncA type='discrete' tableValues='1 1'/></feComponentTransfer>\
         </filter><image filter='url(#b)' x='0' y='0' width='100%' height='100%' \
         preserveAspectRatio='none' href='data:image/webp;base64,{preview}'/></svg>"
    );
    Ok(format!("data:image/svg+xml,{}", escaped(&svg)))
}

/// The SVG with what a URL, a CSS `url("..")` and an HTML attribute cannot hold as it is
/// percent-encoded.
fn escaped(svg: &str) -> String {
    let mut out = String::with_capacity(svg.len() + 64);
    for c in svg.chars() {
        match c {
            '%' => out.push_str("%25"),
            '#' => out.push_str("%23"),
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            '"' => out.push_str("%22"),
            '&' => out.push_str("%26"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_placeholder_is_a_few_hundred_bytes_and_quotes_nothing() {
        let image = DynamicImage::ImageRgb8(image::RgbImage::from_fn(400, 300, |x, y| {
            image::Rgb([(x % 256) as u8, (y % 256) as u8, 128])
        }));
        let url = of(&image).unwrap();
        assert!(url.starts_with("data:image/svg+xml,%3Csvg "), "{url}");
        assert!(url.contains("viewBox='0 0 400 300'"), "{url}");
        assert!(url.len() < 1000, "{} bytes", url.len());
        assert!(!url.contains(['"', '<', '>', '#', '&']), "{url}");
    }
}
