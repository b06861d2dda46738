//! Images as locked assets (`Config::images`): variants at each width and format, sizes of
//! every image, placeholders, the cache, determinism and live mode (bad input:
//! `images_input.rs`).

mod support;

use assetlock_build::Images;
use image::{DynamicImage, ImageFormat as Codec, RgbaImage};
use serde_json::Value;
use support::images::{encoded, image_of, photo, rule, site_with_photo, size_of};
use support::{Site, bytes, manifest};

#[test]
fn each_width_and_format_is_an_asset_with_its_size_and_type() {
    let site = site_with_photo();
    let output = site.config().images(rule()).try_compile().unwrap();
    let image = image_of(&output, "img/photo.jpg");
    assert_eq!(size_of(&image), (300, 200));
    let variants: Vec<&str> = (image["variants"].as_array().unwrap().iter())
        .map(|v| v.as_str().unwrap())
        .collect();
    // Never enlarged: 400 becomes the photo's own 300; the JPEG at 300 is the photo itself.
    assert_eq!(
        variants,
        [
            "img/photo.jpg@100w.avif",
            "img/photo.jpg@200w.avif",
            "img/photo.jpg@300w.avif",
            "img/photo.jpg@100w.webp",
            "img/photo.jpg@200w.webp",
            "img/photo.jpg@300w.webp",
            "img/photo.jpg@100w.jpg",
            "img/photo.jpg@200w.jpg",
        ]
    );
    let assets = &manifest(&output)["assets"];
    for logical in variants {
        let asset = &assets[logical];
        let width: u64 = logical
            .split('@')
            .nth(1)
            .unwrap()
            .split('w')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        let expected = (width, (200 * width + 150) / 300);
        assert_eq!(size_of(&asset["image"]), expected, "{logical}");
        let extension = logical.rsplit('.').next().unwrap();
        let content_type = asset["content_type"].as_str().unwrap();
        let want = match extension {
            "avif" => "image/avif",
            "webp" => "image/webp",
            _ => "image/jpeg",
        };
        assert_eq!(content_type, want, "{logical}");
        // Content-addressed, and no precompressed copy of an already compressed image.
        let path = asset["path"].as_str().unwrap();
        assert!(
            path.starts_with(&format!("img/photo.jpg@{width}w.")),
            "{path}"
        );
        assert_eq!(asset["encodings"], serde_json::json!({}), "{logical}");
        // The bytes are what they say: read back by an independent decoder.
        let body = bytes(&output, logical);
        let size = match extension {
            "avif" => {
                assert_eq!(&body[4..12], b"ftypavif", "{logical}");
                avif_decoded_size(&body).unwrap_or_else(|| avif_size(&body))
            }
            _ => {
                let decoded = image::load_from_memory(&body).unwrap();
                (u64::from(decoded.width()), u64::from(decoded.height()))
            }
        };
        assert_eq!(size, expected, "{logical}");
    }
}

/// The size of an AVIF as libavif's `avifdec` (dav1d) decodes it; `None` without avifdec (it
/// is required in strict mode).
fn avif_decoded_size(body: &[u8]) -> Option<(u64, u64)> {
    use assetlock_test_support::tools;
    let present = tools::program("avifdec");
    if !tools::available("avifdec", present, "apt-get install libavif-bin") {
        return None;
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("in.avif"), body).unwrap();
    let status = std::process::Command::new("avifdec")
        .arg(dir.path().join("in.avif"))
        .arg(dir.path().join("out.png"))
        .stdout(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(status.success(), "avifdec cannot decode the variant");
    let decoded = image::open(dir.path().join("out.png")).unwrap();
    Some((u64::from(decoded.width()), u64::from(decoded.height())))
}

/// The size in an AVIF's `ispe` box (image spatial extents).
fn avif_size(body: &[u8]) -> (u64, u64) {
    let at = body
        .windows(4)
        .position(|w| w == b"ispe")
        .expect("an ispe box")
        + 8;
    let side = |i: usize| u64::from(u32::from_be_bytes(body[i..i + 4].try_into().unwrap()));
    (side(at), side(at + 4))
}

#[test]
fn a_small_image_gets_its_own_width_only_and_a_png_keeps_its_alpha() {
    let site = Site::new(&[]);
    let transparent = DynamicImage::ImageRgba8(RgbaImage::from_fn(50, 30, |x, y| {
        image::Rgba([
            200,
            (x * 5) as u8,
            (y * 8) as u8,
            if x < 25 { 0 } else { 255 },
        ])
    }));
    site.write("img/badge.png", &encoded(&transparent, Codec::Png));
    let output = site.config().images(rule()).try_compile().unwrap();
    let image = image_of(&output, "img/badge.png");
    assert_eq!(
        image["variants"],
        serde_json::json!(["img/badge.png@50w.avif", "img/badge.png@50w.webp"])
    );
    let webp = image::load_from_memory(&bytes(&output, "img/badge.png@50w.webp")).unwrap();
    assert!(webp.color().has_alpha());
    let rgba = webp.to_rgba8();
    assert_eq!(rgba.get_pixel(5, 5).0[3], 0, "transparent half");
    assert_eq!(rgba.get_pixel(45, 5).0[3], 255, "opaque half");
}

#[test]
fn a_turned_jpeg_is_sized_and_resized_as_browsers_show_it() {
    let site = Site::new(&[]);
    // Stored 40 x 20 with EXIF orientation 6: shown 20 x 40.
    let plain = encoded(&photo(40, 20), Codec::Jpeg);
    let mut tiff = b"MM\0\x2a\0\0\0\x08\0\x01".to_vec();
    tiff.extend_from_slice(&[0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0, 0, 0, 0, 0]);
    let mut jpeg = vec![0xFF, 0xD8, 0xFF, 0xE1];
    jpeg.extend_from_slice(&((tiff.len() + 8) as u16).to_be_bytes());
    jpeg.extend_from_slice(b"Exif\0\0");
    jpeg.extend_from_slice(&tiff);
    jpeg.extend_from_slice(&plain[2..]);
    site.write("img/turned.jpg", &jpeg);
    site.write("other/turned.jpg", &jpeg);
    let output = site
        .config()
        .images(Images::new("img/*.jpg").widths([10]))
        .try_compile()
        .unwrap();
    assert_eq!(size_of(&image_of(&output, "img/turned.jpg")), (20, 40));
    // Not named by a rule: the size from the header, turned the same way.
    assert_eq!(size_of(&image_of(&output, "other/turned.jpg")), (20, 40));
    let variant = image::load_from_memory(&bytes(&output, "img/turned.jpg@10w.jpg")).unwrap();
    assert_eq!((variant.width(), variant.height()), (10, 20));
}

#[test]
fn every_image_has_its_size_and_an_unreadable_one_is_a_warning() {
    let site = Site::new(&[
        (
            "img/logo.svg",
            r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 60"/>"#,
        ),
        (
            "img/fluid.svg",
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="100%"/>"#,
        ),
        ("img/broken.png", "not a png at all"),
        ("css/app.css", "body { color: red }"),
    ]);
    site.write("img/icon.gif", &encoded(&photo(9, 7), Codec::Gif));
    let plain = encoded(&photo(33, 11), Codec::Png);
    site.write("img/plain.png", &plain);
    // A PNG cut short in its header: an image, whose size is lost.
    site.write("img/cut.png", &plain[..20]);
    let output = site.build().unwrap();
    assert_eq!(size_of(&image_of(&output, "img/logo.svg")), (120, 60));
    assert_eq!(size_of(&image_of(&output, "img/icon.gif")), (9, 7));
    assert_eq!(size_of(&image_of(&output, "img/plain.png")), (33, 11));
    for no_size in [
        "img/fluid.svg",
        "img/broken.png",
        "img/cut.png",
        "css/app.css",
    ] {
        assert_eq!(image_of(&output, no_size), Value::Null, "{no_size}");
    }
    let warnings: Vec<String> = output.warnings().map(|w| w.to_string()).collect();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    // The file named `.png` that is no image at all is served without a size, quietly.
    assert!(warnings[0].contains("img/cut.png"), "{warnings:?}");
    assert!(
        warnings[0].contains("size of this image cannot be read"),
        "{warnings:?}"
    );
}

#[test]
fn a_placeholder_is_a_small_data_url_when_asked_for() {
    let site = site_with_photo();
    let output = site.config().images(rule()).try_compile().unwrap();
    assert_eq!(
        image_of(&output, "img/photo.jpg")["placeholder"],
        Value::Null
    );
    let output = site
        .config()
        .images(rule().placeholder(true))
        .try_compile()
        .unwrap();
    let placeholder = image_of(&output, "img/photo.jpg")["placeholder"].clone();
    let placeholder = placeholder.as_str().unwrap();
    assert!(
        placeholder.starts_with("data:image/svg+xml,"),
        "{placeholder}"
    );
    assert!(
        placeholder.contains("data:image/webp;base64,"),
        "{placeholder}"
    );
    assert!(
        (200..1000).contains(&placeholder.len()),
        "{} bytes",
        placeholder.len()
    );
}

#[test]
fn encodes_are_cached_and_a_rebuild_after_one_edit_encodes_that_image_only() {
    let site = site_with_photo();
    site.write("img/second.png", &encoded(&photo(120, 90), Codec::Png));
    let build = |out: &str| {
        let mut config = site.config();
        config.out_dir(site.dir.path().join(out)).images(rule());
        config.try_compile().unwrap()
    };
    let cold = build("a");
    assert_eq!(cold.stats().images_encoded, 2);
    let warm = build("b");
    assert_eq!(warm.stats().images_encoded, 0);
    assert_eq!(
        std::fs::read(cold.manifest_path()).unwrap(),
        std::fs::read(warm.manifest_path()).unwrap()
    );
    site.write("img/second.png", &encoded(&photo(121, 90), Codec::Png));
    let edited = build("c");
    assert_eq!(edited.stats().images_encoded, 1);
    assert_eq!(size_of(&image_of(&edited, "img/second.png")), (121, 90));
}

#[test]
fn two_builds_on_other_paths_and_thread_counts_give_the_same_bytes() {
    let build = |threads: usize| {
        let site = site_with_photo();
        site.write(
            "img/alpha.png",
            &encoded(
                &DynamicImage::ImageRgba8(RgbaImage::from_fn(70, 40, |x, y| {
                    image::Rgba([x as u8, y as u8, 99, (x * 3) as u8])
                })),
                Codec::Png,
            ),
        );
        let output = site
            .config()
            .threads(threads)
            .images(rule().placeholder(true))
            .try_compile()
            .unwrap();
        let files: Vec<(String, Vec<u8>)> = walk(&output.dist_dir());
        (std::fs::read(output.manifest_path()).unwrap(), files)
    };
    let (one, one_files) = build(1);
    let (two, two_files) = build(2);
    assert!(one == two, "manifest.json differs");
    assert_eq!(one_files.len(), two_files.len());
    for ((a, a_bytes), (b, b_bytes)) in one_files.iter().zip(&two_files) {
        assert_eq!(a, b);
        assert!(a_bytes == b_bytes, "{a} differs");
    }
}

fn walk(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let name = path.strip_prefix(&dir).unwrap().display().to_string();
                files.push((name, std::fs::read(&path).unwrap()));
            }
        }
    }
    files.sort();
    files
}

#[test]
fn live_builds_serve_the_source_with_its_size_and_make_no_variant() {
    let site = site_with_photo();
    let output = site
        .config()
        .live(true)
        .images(rule().placeholder(true))
        .try_compile()
        .unwrap();
    let image = image_of(&output, "img/photo.jpg");
    assert_eq!(image, serde_json::json!({"width": 300, "height": 200}));
    assert_eq!(output.stats().images_encoded, 0);
    let assets = manifest(&output)["assets"].as_object().unwrap().len();
    assert_eq!(assets, 1);
}
