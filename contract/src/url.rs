//! URL rules: hashed paths to URL text, and URLs back to hashed paths.
//!
//! ```
//! use assetlock_contract::url;
//!
//! let encoded = url::encode_path("fonts/café 1.woff2");
//! assert_eq!(encoded, "fonts/caf%C3%A9%201.woff2");
//! assert_eq!(url::decode_path(&encoded).as_deref(), Some("fonts/café 1.woff2"));
//! assert_eq!(url::mount_path("https://cdn.example.com/assets/"), "/assets/");
//! ```

use std::borrow::Cow;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};

/// Characters left as they are in a path segment: RFC 3986 unreserved characters and the
/// sub-delimiters that are safe unquoted in HTML attributes, CSS `url()` and JS strings. `:` is
/// encoded so a relative reference never looks like a scheme.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'!')
    .remove(b'$')
    .remove(b'*')
    .remove(b'+')
    .remove(b',')
    .remove(b';')
    .remove(b'=')
    .remove(b'@');

/// Percent-encodes each `/`-separated segment of a path: the URL text of a hashed path.
pub fn encode_path(path: &str) -> String {
    path.split('/')
        .map(|segment| utf8_percent_encode(segment, SEGMENT).to_string())
        .collect::<Vec<_>>()
        .join("/")
}

/// Decodes `%XX` escapes; `None` when there are none or the result is not UTF-8.
pub fn decode_path(path: &str) -> Option<Cow<'_, str>> {
    if !path.contains('%') {
        return None;
    }
    match percent_decode_str(path).decode_utf8().ok()? {
        Cow::Borrowed(_) => None,
        owned => Some(owned),
    }
}

/// The path of a URL prefix, where a server mounts the assets: `https://host/a/` -> `/a/`,
/// `https://host` -> `/`; a path stays as it is.
pub fn mount_path(url_prefix: &str) -> &str {
    let Some((_, rest)) = url_prefix.split_once("://") else {
        return url_prefix;
    };
    rest.find('/').map_or("/", |i| &rest[i..])
}

/// Whether a URL prefix names another origin (a CDN host) rather than a path on the app.
pub fn is_cross_origin(url_prefix: &str) -> bool {
    url_prefix.contains("://") || url_prefix.starts_with("//")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_spaces_percent_hash_question_and_non_ascii() {
        assert_eq!(
            encode_path("img/my logo 100%#1?.png"),
            "img/my%20logo%20100%25%231%3F.png"
        );
        assert_eq!(encode_path("fonts/café.woff2"), "fonts/caf%C3%A9.woff2");
    }

    #[test]
    fn keeps_safe_characters() {
        assert_eq!(encode_path("a-b_c.d~e/f+g@h"), "a-b_c.d~e/f+g@h");
    }

    #[test]
    fn encodes_characters_that_break_html_css_or_js() {
        assert_eq!(encode_path("a'b\"c(d)&e"), "a%27b%22c%28d%29%26e");
    }

    #[test]
    fn decode_handles_utf8_and_stray_percent() {
        assert_eq!(decode_path("a%20b%C3%A9").as_deref(), Some("a bé"));
        assert_eq!(decode_path("100%"), None);
        assert_eq!(decode_path("plain"), None);
        assert_eq!(decode_path("%FF"), None);
    }

    #[test]
    fn mount_path_strips_scheme_and_host() {
        assert_eq!(mount_path("https://cdn.example.com/assets/"), "/assets/");
        assert_eq!(mount_path("https://cdn.example.com"), "/");
        assert_eq!(mount_path("/assets/"), "/assets/");
        assert!(is_cross_origin("https://cdn.example.com/assets/"));
        assert!(!is_cross_origin("/assets/"));
    }
}
