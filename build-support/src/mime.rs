//! Content types by file extension, and which of them are worth compressing.

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

/// The `Content-Type` for a logical path, with `charset=utf-8` for text.
pub(crate) fn content_type(logical: &str) -> &'static str {
    let name = logical.rsplit('/').next().unwrap_or(logical);
    let Some((_, extension)) = name.rsplit_once('.') else {
        return FALLBACK;
    };
    let extension = extension.to_ascii_lowercase();
    TYPES
        .binary_search_by(|(e, _)| (*e).cmp(extension.as_str()))
        .map_or(FALLBACK, |i| TYPES[i].1)
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
    fn unknown_and_extensionless_are_octet_stream() {
        assert_eq!(content_type("LICENSE"), FALLBACK);
        assert_eq!(content_type("a.unknownext"), FALLBACK);
        assert_eq!(content_type("fonts/x.woff2"), "font/woff2");
    }
}
