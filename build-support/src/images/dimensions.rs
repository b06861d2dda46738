//! The size of any image without decoding it: from the header of a raster image (EXIF
//! orientation applied, as browsers apply it), from the root element of an SVG.

use std::io::Read;
use std::path::Path;

use quick_xml::events::Event;

/// Whether `logical` names an image whose size the build reads.
pub(crate) fn is_image(logical: &str) -> bool {
    let extension = logical.rsplit_once('.').map_or("", |(_, e)| e);
    matches!(
        extension.to_ascii_lowercase().as_str(),
        "png" | "jpg" | "jpeg" | "gif" | "webp" | "avif" | "svg"
    )
}

/// The width and height the image at `path` shows at; `Ok(None)` for an SVG whose root element
/// gives no size, and for a file that is no image in a format the build reads (a placeholder
/// named `.png`, an icon format): it is served as it is, without a size.
///
/// # Errors
///
/// Why the size cannot be read: an unreadable file, or an image whose header is cut short or
/// corrupt.
pub(crate) fn read(path: &Path, logical: &str) -> Result<Option<(u32, u32)>, String> {
    if logical.to_ascii_lowercase().ends_with(".svg") {
        let text = std::fs::read(path).map_err(|e| e.to_string())?;
        return svg(&text);
    }
    // A header is at the start; EXIF, where a JPEG's orientation is, within the first 64 KiB.
    let mut head = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(64 * 1024).read_to_end(&mut head))
        .map_err(|e| e.to_string())?;
    if !signed(&head) {
        return Ok(None);
    }
    let size = match imagesize::blob_size(&head) {
        Ok(size) => size,
        Err(imagesize::ImageError::NotSupported) => return Ok(None),
        Err(imagesize::ImageError::CorruptedImage) => return Err("its header is corrupt".into()),
        Err(imagesize::ImageError::IoError(_)) => return Err("its header is cut short".into()),
    };
    let (width, height) = (to_u32(size.width)?, to_u32(size.height)?);
    Ok(Some(match jpeg_orientation(&head) {
        // 5 to 8: turned a quarter, so shown with width and height swapped.
        Some(5..=8) => (height, width),
        _ => (width, height),
    }))
}

/// Whether `head` starts as a PNG, JPEG, GIF, WebP or AVIF file does: a file that does not is
/// no image whose header could be broken.
fn signed(head: &[u8]) -> bool {
    head.starts_with(b"\x89PNG")
        || head.starts_with(&[0xFF, 0xD8, 0xFF])
        || head.starts_with(b"GIF8")
        || (head.starts_with(b"RIFF") && head.get(8..12) == Some(&b"WEBP"[..]))
        || head.get(4..8) == Some(&b"ftyp"[..])
}

fn to_u32(side: usize) -> Result<u32, String> {
    u32::try_from(side).map_err(|_| format!("a side of {side} pixels is too large"))
}

/// The size an SVG's root element gives: its `width` and `height` in pixels (unitless or
/// `px`), one of them with the `viewBox`'s aspect ratio, or the `viewBox`'s size alone.
pub(crate) fn svg(text: &[u8]) -> Result<Option<(u32, u32)>, String> {
    let mut reader = quick_xml::Reader::from_reader(text);
    let mut buffer = Vec::new();
    loop {
        let element = match reader.read_event_into(&mut buffer) {
            Ok(Event::Start(e) | Event::Empty(e)) => e,
            Ok(Event::Eof) => return Err("no root element".to_string()),
            Ok(_) => continue,
            Err(e) => return Err(format!("not well-formed XML: {e}")),
        };
        if element.local_name().as_ref() != b"svg" {
            return Err("the root element is not <svg>".to_string());
        }
        let (mut width, mut height, mut view_box) = (None, None, None);
        for attribute in element.attributes().flatten() {
            let value = String::from_utf8_lossy(&attribute.value).into_owned();
            match attribute.key.local_name().as_ref() {
                b"width" => width = pixels(&value),
                b"height" => height = pixels(&value),
                b"viewBox" => view_box = view_box_size(&value),
                _ => {}
            }
        }
        let size = match (width, height, view_box) {
            (Some(w), Some(h), _) => Some((w, h)),
            (Some(w), None, Some((vw, vh))) => Some((w, w * vh / vw)),
            (None, Some(h), Some((vw, vh))) => Some((h * vw / vh, h)),
            (None, None, Some(size)) => Some(size),
            _ => None,
        };
        return Ok(size.and_then(|(w, h)| Some((rounded(w)?, rounded(h)?))));
    }
}

/// A length in pixels: a number alone or with `px`.
fn pixels(value: &str) -> Option<f64> {
    let value = value.trim();
    let number = value.strip_suffix("px").unwrap_or(value).trim();
    number
        .parse()
        .ok()
        .filter(|n: &f64| n.is_finite() && *n > 0.0)
}

/// The width and height of a `viewBox="min-x min-y width height"`.
fn view_box_size(value: &str) -> Option<(f64, f64)> {
    let numbers: Vec<f64> = value
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|s| !s.is_empty())
        .map(str::parse)
        .collect::<Result<_, _>>()
        .ok()?;
    match numbers[..] {
        [_, _, w, h] if w > 0.0 && h > 0.0 => Some((w, h)),
        _ => None,
    }
}

fn rounded(side: f64) -> Option<u32> {
    let side = side.round();
    (side >= 1.0 && side <= f64::from(u32::MAX)).then_some(side as u32)
}

/// The EXIF orientation (1 to 8) of a JPEG whose first bytes are `head`, if it has one.
pub(crate) fn jpeg_orientation(head: &[u8]) -> Option<u16> {
    if !head.starts_with(&[0xFF, 0xD8]) {
        return None;
    }
    let mut at = 2;
    // Marker segments up to the image data: APP1 holds EXIF.
    while at + 4 <= head.len() && head[at] == 0xFF {
        let marker = head[at + 1];
        let len = usize::from(u16::from_be_bytes([head[at + 2], head[at + 3]]));
        let body = head.get(at + 4..at + 2 + len)?;
        if marker == 0xE1 && body.starts_with(b"Exif\0\0") {
            return exif_orientation(&body[6..]);
        }
        if marker == 0xDA {
            return None;
        }
        at += 2 + len;
    }
    None
}

/// Tag 0x0112 of the first IFD of a TIFF structure.
fn exif_orientation(tiff: &[u8]) -> Option<u16> {
    let little = match tiff.get(..2)? {
        b"II" => true,
        b"MM" => false,
        _ => return None,
    };
    let u16_at = |at: usize| {
        let b: [u8; 2] = tiff.get(at..at + 2)?.try_into().ok()?;
        Some(if little {
            u16::from_le_bytes(b)
        } else {
            u16::from_be_bytes(b)
        })
    };
    let u32_at = |at: usize| {
        let b: [u8; 4] = tiff.get(at..at + 4)?.try_into().ok()?;
        Some(if little {
            u32::from_le_bytes(b)
        } else {
            u32::from_be_bytes(b)
        })
    };
    let ifd = usize::try_from(u32_at(4)?).ok()?;
    let entries = u16_at(ifd)?;
    (0..usize::from(entries))
        .map(|i| ifd + 2 + 12 * i)
        .find(|&entry| u16_at(entry) == Some(0x0112))
        .and_then(|entry| u16_at(entry + 8))
        .filter(|o| (1..=8).contains(o))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_svg_size_comes_from_its_attributes_or_its_view_box() {
        let size = |root: &str| svg(format!("<?xml version=\"1.0\"?>{root}</svg>").as_bytes());
        let ns = "xmlns=\"http://www.w3.org/2000/svg\"";
        assert_eq!(
            size(&format!("<svg {ns} width=\"32\" height=\"16px\">")),
            Ok(Some((32, 16)))
        );
        let view_box = format!("<svg {ns} viewBox=\"0 0 200 100\">");
        assert_eq!(size(&view_box), Ok(Some((200, 100))));
        let one = format!("<svg {ns} width=\"50\" viewBox=\"0,0,200,100\">");
        assert_eq!(size(&one), Ok(Some((50, 25))));
        assert_eq!(
            size(&format!("<svg {ns} width=\"100%\" height=\"2em\">")),
            Ok(None)
        );
        assert!(size("<html>").unwrap_err().contains("not <svg>"));
        // Only the root element is read: it must be well-formed.
        assert!(svg(b"<svg width=\"1").is_err());
    }

    #[test]
    fn a_jpeg_turned_by_exif_has_its_sides_swapped() {
        // SOI, APP1 with a big-endian TIFF whose IFD0 holds orientation 6, then SOS.
        let mut tiff = b"MM\0\x2a\0\0\0\x08\0\x01".to_vec();
        tiff.extend_from_slice(&[0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0]);
        let mut jpeg = vec![0xFF, 0xD8, 0xFF, 0xE1];
        jpeg.extend_from_slice(&((tiff.len() + 8) as u16).to_be_bytes());
        jpeg.extend_from_slice(b"Exif\0\0");
        jpeg.extend_from_slice(&tiff);
        jpeg.extend_from_slice(&[0xFF, 0xDA]);
        assert_eq!(jpeg_orientation(&jpeg), Some(6));
        assert_eq!(jpeg_orientation(&jpeg[..10]), None);
        assert_eq!(jpeg_orientation(b"\x89PNG"), None);
    }

    #[test]
    fn images_are_known_by_their_extension() {
        assert!(is_image("img/a.PNG") && is_image("b.svg") && is_image("c.jpeg"));
        assert!(!is_image("a.css") && !is_image("png"));
    }
}
