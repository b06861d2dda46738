//! Images for the image tests: photo-like pixels, encoded, and what a build says of them.

use std::io::Cursor;

use assetlock_build::{Config, Images, Output};
use image::{DynamicImage, ImageFormat as Codec, RgbImage};
use serde_json::Value;

use super::{Site, manifest};

/// A photo-like image: smooth gradients with some texture, so encoders have work to do.
pub fn photo(width: u32, height: u32) -> DynamicImage {
    DynamicImage::ImageRgb8(RgbImage::from_fn(width, height, |x, y| {
        let texture = ((x * 7 + y * 13) % 17) as u8;
        image::Rgb([
            (x * 255 / width) as u8 ^ texture,
            (y * 255 / height) as u8,
            ((x + y) % 256) as u8,
        ])
    }))
}

pub fn encoded(image: &DynamicImage, codec: Codec) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    image.write_to(&mut out, codec).unwrap();
    out.into_inner()
}

pub fn image_of(output: &Output, logical: &str) -> Value {
    manifest(output)["assets"][logical]["image"].clone()
}

pub fn size_of(image: &Value) -> (u64, u64) {
    (
        image["width"].as_u64().unwrap(),
        image["height"].as_u64().unwrap(),
    )
}

pub fn site_with_photo() -> Site {
    let site = Site::new(&[]);
    site.write("img/photo.jpg", &encoded(&photo(300, 200), Codec::Jpeg));
    site
}

pub fn rule() -> Images {
    Images::new("img/*.{jpg,png}").widths([100, 200, 400])
}

pub fn error_of(config: &mut Config) -> String {
    let error = config.try_compile().expect_err("the build must fail");
    error.to_string()
}
