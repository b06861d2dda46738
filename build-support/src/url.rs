//! URL text for hashed paths: percent-encoding and paths relative to a referring file.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

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

/// Percent-encodes each `/`-separated segment of a path.
pub(crate) fn encode_path(path: &str) -> String {
    path.split('/')
        .map(|segment| utf8_percent_encode(segment, SEGMENT).to_string())
        .collect::<Vec<_>>()
        .join("/")
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
}
