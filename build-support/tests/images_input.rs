//! Bad image input and bad image rules: each a build error naming the file or the rule, all
//! of a build's problems at once, never a crash or a decode that exhausts memory.

mod support;

use assetlock_build::{ImageFormat, Images};
use image::ImageFormat as Codec;
use support::images::{encoded, error_of, photo, rule, site_with_photo};
use support::{Site, peak_memory};

#[test]
fn bad_images_are_each_reported_with_their_name_in_one_build_without_exhausting_memory() {
    let site = Site::new(&[("img/fake.jpg", "\u{FF}\u{D8} this is no JPEG")]);
    let png = encoded(&photo(64, 64), Codec::Png);
    site.write("img/truncated.png", &png[..png.len() / 2]);
    site.write("img/moving.gif", &encoded(&photo(8, 8), Codec::Gif));
    site.write("img/bomb.png", &bomb(60_000, 60_000));
    let mut config = site.config();
    config.images(Images::new("img/*"));
    let error = error_of(&mut config);
    for (file, why) in [
        (
            "img/fake.jpg",
            "this image is not a JPEG, PNG or WebP image",
        ),
        (
            "img/truncated.png",
            "cannot be decoded (truncated or corrupt?)",
        ),
        ("img/moving.gif", "is Gif, which has no variants"),
        (
            "img/bomb.png",
            "is 60000 x 60000 pixels (3600000000), more than the 40000000",
        ),
    ] {
        let line = error
            .lines()
            .find(|l| l.contains(file))
            .unwrap_or_else(|| panic!("{error}"));
        assert!(line.contains(why), "{line}");
    }
    // 60,000 x 60,000 RGB pixels would be 10 GB.
    assert!(peak_memory() < 1 << 30, "peak {} MB", peak_memory() >> 20);
}

/// A PNG of a few kilobytes whose header claims `width` x `height` pixels.
fn bomb(width: u32, height: u32) -> Vec<u8> {
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&width.to_be_bytes());
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    // A valid zlib stream of zeros: the first rows.
    let idat = {
        let mut z = flate2_like_stored(&vec![0; 4096]);
        z.truncate(z.len());
        z
    };
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    for (name, data) in [(&b"IHDR"[..], ihdr), (b"IDAT", idat), (b"IEND", Vec::new())] {
        png.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let mut body = name.to_vec();
        body.extend_from_slice(&data);
        png.extend_from_slice(&body);
        png.extend_from_slice(&crc32(&body).to_be_bytes());
    }
    png
}

/// A zlib stream holding `data` in stored (uncompressed) blocks.
fn flate2_like_stored(data: &[u8]) -> Vec<u8> {
    let mut out = vec![0x78, 0x01];
    let chunks: Vec<&[u8]> = data.chunks(65_535).collect();
    for (i, chunk) in chunks.iter().enumerate() {
        out.push(u8::from(i + 1 == chunks.len()));
        let len = chunk.len() as u16;
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&(!len).to_le_bytes());
        out.extend_from_slice(chunk);
    }
    let (mut a, mut b) = (1u32, 0u32);
    for &byte in data {
        a = (a + u32::from(byte)) % 65_521;
        b = (b + a) % 65_521;
    }
    out.extend_from_slice(&((b << 16) | a).to_be_bytes());
    out
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in bytes {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

#[test]
fn an_animated_png_is_refused_rather_than_cut_to_one_frame() {
    let site = Site::new(&[]);
    let png = encoded(&photo(8, 8), Codec::Png);
    // An `acTL` chunk after IHDR (8 + 25 bytes) makes it an APNG.
    let mut apng = png[..33].to_vec();
    let actl = [&b"acTL"[..], &[0, 0, 0, 1, 0, 0, 0, 0]].concat();
    apng.extend_from_slice(&8u32.to_be_bytes());
    apng.extend_from_slice(&actl);
    apng.extend_from_slice(&crc32(&actl).to_be_bytes());
    apng.extend_from_slice(&png[33..]);
    site.write("img/moving.png", &apng);
    let error = error_of(site.config().images(rule()));
    assert!(
        error.contains("img/moving.png") && error.contains("is animated"),
        "{error}"
    );
}

#[test]
fn rules_that_overlap_or_clash_with_a_file_are_errors() {
    let site = site_with_photo();
    site.write("img/photo.jpg@100w.avif", b"a file with a variant's name");
    let error = error_of(site.config().images(rule()).images(Images::new("**/*.jpg")));
    for expected in [
        "img/photo.jpg: two image rules name this image, `img/*.{jpg,png}` and `**/*.jpg`",
        "img/photo.jpg@100w.avif: this file has the name of a variant of `img/photo.jpg`",
    ] {
        assert!(error.contains(expected), "{expected}\n{error}");
    }
}

#[test]
fn settings_out_of_range_are_errors_together() {
    let site = site_with_photo();
    let bad = Images::new("img/[")
        .widths([0])
        .quality(ImageFormat::Webp, 101)
        .avif_speed(0);
    let error = error_of(site.config().images(bad));
    for expected in [
        "build.rs: Images `img/[`: widths must be at least 1 pixel each",
        "quality of Webp must be 0 to 100",
        "avif_speed must be 1 to 10, found 0",
        "invalid images glob `img/[`",
    ] {
        assert!(error.contains(expected), "{expected}\n{error}");
    }
}
