//! Content types by file extension: the one table the build names assets by and a server
//! answers for another release's assets by, whatever its release record says.
//!
//! ```
//! use assetlock_contract::mime;
//!
//! assert_eq!(mime::content_type("css/app.0123456789abcdef.css"), "text/css; charset=utf-8");
//! assert!(mime::may_run_script("image/svg+xml"));
//! assert!(!mime::may_run_script("image/png"));
//! ```

/// `(extension, content type)`, extensions in lower case.
const TYPES: &[(&str, &str)] = &[
    ("avif", "image/avif"),
    ("bmp", "image/bmp"),
    ("css", "text/css; charset=utf-8"),
    ("csv", "text/csv; charset=utf-8"),
    ("eot", "application/vnd.ms-fontobject"),
    ("gif", "image/gif"),
    ("glb", "model/gltf-binary"),
    ("gltf", "model/gltf+json"),
    ("htm", "text/html; charset=utf-8"),
    ("html", "text/html; charset=utf-8"),
    ("ico", "image/x-icon"),
    ("jpeg", "image/jpeg"),
    ("jpg", "image/jpeg"),
    ("js", "text/javascript; charset=utf-8"),
    ("json", "application/json"),
    ("jsonld", "application/ld+json"),
    ("map", "application/json"),
    ("md", "text/markdown; charset=utf-8"),
    ("mjs", "text/javascript; charset=utf-8"),
    ("mp3", "audio/mpeg"),
    ("mp4", "video/mp4"),
    ("oga", "audio/ogg"),
    ("ogg", "audio/ogg"),
    ("ogv", "video/ogg"),
    ("otf", "font/otf"),
    ("pdf", "application/pdf"),
    ("png", "image/png"),
    ("svg", "image/svg+xml"),
    ("ttf", "font/ttf"),
    ("txt", "text/plain; charset=utf-8"),
    ("wasm", "application/wasm"),
    ("wav", "audio/wav"),
    ("webm", "video/webm"),
    ("webmanifest", "application/manifest+json"),
    ("webp", "image/webp"),
    ("woff", "font/woff"),
    ("woff2", "font/woff2"),
    ("xml", "application/xml"),
    ("zip", "application/zip"),
];

const FALLBACK: &str = "application/octet-stream";

/// The `Content-Type` for a logical or hashed path, with `charset=utf-8` for text.
pub fn content_type(logical: &str) -> &'static str {
    let name = logical.rsplit('/').next().unwrap_or(logical);
    let Some((_, extension)) = name.rsplit_once('.') else {
        return FALLBACK;
    };
    let extension = extension.to_ascii_lowercase();
    TYPES
        .binary_search_by(|(e, _)| (*e).cmp(extension.as_str()))
        .map_or(FALLBACK, |i| TYPES[i].1)
}

/// Whether a document of this type can run script when a browser opens it directly: HTML,
/// SVG and XML (which may be XHTML). Asset responses of these types forbid script with a
/// `Content-Security-Policy`.
pub fn may_run_script(content_type: &str) -> bool {
    let essence = content_type.split(';').next().unwrap_or("").trim();
    let essence = essence.to_ascii_lowercase();
    matches!(
        essence.as_str(),
        "text/html" | "application/xhtml+xml" | "image/svg+xml" | "application/xml" | "text/xml"
    ) || essence.ends_with("+xml")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_for_binary_search() {
        assert!(TYPES.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn text_types_carry_charset() {
        assert_eq!(content_type("css/app.css"), "text/css; charset=utf-8");
        assert_eq!(content_type("js/app.MJS"), "text/javascript; charset=utf-8");
    }

    #[test]
    fn documents_that_may_run_script_are_named() {
        for t in [
            "text/html; charset=utf-8",
            "image/svg+xml",
            "application/xml",
            "text/xml",
        ] {
            assert!(may_run_script(t), "{t}");
        }
        for t in [
            "text/css; charset=utf-8",
            "application/json",
            "image/png",
            "font/woff2",
        ] {
            assert!(!may_run_script(t), "{t}");
        }
    }

    #[test]
    fn unknown_and_extensionless_are_octet_stream() {
        assert_eq!(content_type("LICENSE"), FALLBACK);
        assert_eq!(content_type("a.unknownext"), FALLBACK);
        assert_eq!(content_type("fonts/x.woff2"), "font/woff2");
    }
}
