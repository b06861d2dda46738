//! Releases whose stylesheet differs by a line, for the tests of deltas between releases, and
//! the request header that names an earlier version.

use super::fixture::{self, Build};

/// What Chromium sends once it has a dictionary for the URL.
pub const ACCEPT: &str = "gzip, deflate, br, zstd, dcb, dcz";

/// A stylesheet of 400 rules, then `edit`.
pub fn stylesheet(edit: &str) -> String {
    let mut css: String = (0..400)
        .map(|i| format!(".rule-{i} {{ margin: {i}px; color: #{:06x}; }}\n", i * 7919))
        .collect();
    css.push_str(edit);
    css
}

/// The fixture site with `css/big.css` = [`stylesheet`]`(edit)`, built against the earlier
/// releases in `previous` when given.
pub fn release(edit: &str, previous: Option<&std::path::Path>) -> Build {
    let css = stylesheet(edit);
    let mut files = fixture::SITE.to_vec();
    files.push(("css/big.css", &css));
    fixture::build_with(&files, |config| {
        if let Some(dir) = previous {
            config.previous_releases(dir);
        }
    })
}

/// The `Available-Dictionary` value naming the version whose SHA-256 is `sha256_hex`.
pub fn available_dictionary(sha256_hex: &str) -> String {
    let bytes: Vec<u8> = (0..sha256_hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&sha256_hex[i..i + 2], 16).unwrap())
        .collect();
    use base64::Engine;
    format!(
        ":{}:",
        base64::engine::general_purpose::STANDARD.encode(bytes)
    )
}
