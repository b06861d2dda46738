//! `If-Match` and `If-None-Match` (RFC 9110 §13.1.1-2) against a strong ETag `"<sha256>"`.

use http::HeaderMap;
use http::header;

/// Whether the request's `If-Match`, if any, lets it proceed: `*`, or a listed tag equal to the
/// current ETag by strong comparison (a weak tag never matches).
pub(super) fn matches(headers: &HeaderMap, sha256: &str) -> bool {
    let mut values = headers
        .get_all(header::IF_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .peekable();
    if values.peek().is_none() {
        return true;
    }
    values.flat_map(|v| v.split(',')).map(str::trim).any(|tag| {
        tag == "*" || tag.strip_prefix('"').and_then(|t| t.strip_suffix('"')) == Some(sha256)
    })
}

/// Whether the request's `If-None-Match` lists the current ETag (weak comparison) or `*`.
pub(super) fn not_modified(headers: &HeaderMap, sha256: &str) -> bool {
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .any(|tag| {
            let tag = tag.strip_prefix("W/").unwrap_or(tag);
            tag == "*" || tag.strip_prefix('"').and_then(|t| t.strip_suffix('"')) == Some(sha256)
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    fn headers(value: &'static str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::IF_NONE_MATCH, HeaderValue::from_static(value));
        h
    }

    #[test]
    fn matches_listed_weak_and_star() {
        assert!(not_modified(&headers("\"abc\""), "abc"));
        assert!(not_modified(&headers("\"x\", W/\"abc\""), "abc"));
        assert!(not_modified(&headers("*"), "abc"));
    }

    #[test]
    fn if_match_uses_strong_comparison() {
        let with = |value: &'static str| {
            let mut h = HeaderMap::new();
            h.insert(header::IF_MATCH, HeaderValue::from_static(value));
            h
        };
        assert!(matches(&HeaderMap::new(), "abc"));
        assert!(matches(&with("\"abc\""), "abc"));
        assert!(matches(&with("\"x\", \"abc\""), "abc"));
        assert!(matches(&with("*"), "abc"));
        assert!(!matches(&with("W/\"abc\""), "abc"));
        assert!(!matches(&with("\"abd\""), "abc"));
    }

    #[test]
    fn other_tags_do_not_match() {
        assert!(!not_modified(&headers("\"abd\""), "abc"));
        assert!(!not_modified(&headers("abc"), "abc"));
        assert!(!not_modified(&HeaderMap::new(), "abc"));
    }
}
