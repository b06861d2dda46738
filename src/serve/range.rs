//! `Range` requests (RFC 9110 §14): one byte range of the identity bytes.

use http::HeaderMap;
use http::header;

/// A parsed single byte range, before the representation's length is known.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum RangeRequest {
    /// `bytes=first-` or `bytes=first-last`.
    From { first: u64, last: Option<u64> },
    /// `bytes=-n`: the last `n` bytes.
    Suffix(u64),
    /// Several ranges: answered with the whole representation.
    Multiple,
}

/// What to send for a range against a representation of known length.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Resolved {
    /// Inclusive byte offsets.
    Satisfiable(u64, u64),
    Unsatisfiable,
    Whole,
}

impl RangeRequest {
    /// The range to apply, if the request has a usable `Range` header whose `If-Range` (if any)
    /// names the current strong ETag `"<sha256>"`. Malformed headers are ignored, as RFC 9110
    /// allows.
    pub(super) fn from_headers(headers: &HeaderMap, sha256: &str) -> Option<RangeRequest> {
        let value = headers.get(header::RANGE)?.to_str().ok()?;
        if let Some(if_range) = headers.get(header::IF_RANGE) {
            let tag = if_range.to_str().ok()?.trim();
            if tag.strip_prefix('"')?.strip_suffix('"')? != sha256 {
                return None;
            }
        }
        parse(value)
    }

    pub(super) fn resolve(self, len: u64) -> Resolved {
        match self {
            RangeRequest::Multiple => Resolved::Whole,
            RangeRequest::From { first, .. } if first >= len => Resolved::Unsatisfiable,
            RangeRequest::From { first, last } => {
                let last = last.map_or(len - 1, |l| l.min(len - 1));
                Resolved::Satisfiable(first, last)
            }
            RangeRequest::Suffix(0) => Resolved::Unsatisfiable,
            RangeRequest::Suffix(_) if len == 0 => Resolved::Unsatisfiable,
            RangeRequest::Suffix(n) => Resolved::Satisfiable(len.saturating_sub(n), len - 1),
        }
    }
}

fn parse(value: &str) -> Option<RangeRequest> {
    let (unit, ranges) = value.split_once('=')?;
    if !unit.trim().eq_ignore_ascii_case("bytes") {
        return None;
    }
    let mut specs = ranges.split(',').map(str::trim).filter(|s| !s.is_empty());
    let first_spec = specs.next()?;
    let parsed = parse_spec(first_spec)?;
    match specs.next() {
        Some(second) => {
            parse_spec(second)?;
            Some(RangeRequest::Multiple)
        }
        None => Some(parsed),
    }
}

fn parse_spec(spec: &str) -> Option<RangeRequest> {
    let (first, last) = spec.split_once('-')?;
    let number = |s: &str| -> Option<u64> {
        let s = s.trim();
        (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    match (first.trim().is_empty(), last.trim().is_empty()) {
        (true, false) => Some(RangeRequest::Suffix(number(last)?)),
        (false, true) => Some(RangeRequest::From {
            first: number(first)?,
            last: None,
        }),
        (false, false) => {
            let (first, last) = (number(first)?, number(last)?);
            (first <= last).then_some(RangeRequest::From {
                first,
                last: Some(last),
            })
        }
        (true, true) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_three_forms() {
        assert_eq!(
            parse("bytes=0-99"),
            Some(RangeRequest::From {
                first: 0,
                last: Some(99)
            })
        );
        assert_eq!(
            parse("bytes=100-"),
            Some(RangeRequest::From {
                first: 100,
                last: None
            })
        );
        assert_eq!(parse("bytes=-500"), Some(RangeRequest::Suffix(500)));
    }

    #[test]
    fn several_ranges_mean_whole() {
        assert_eq!(parse("bytes=0-1, 5-6"), Some(RangeRequest::Multiple));
        assert_eq!(RangeRequest::Multiple.resolve(10), Resolved::Whole);
    }

    #[test]
    fn malformed_ranges_are_ignored() {
        for bad in [
            "bytes=",
            "bytes=a-b",
            "items=0-1",
            "bytes=5-1",
            "bytes=-",
            "0-1",
        ] {
            assert_eq!(parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn resolve_clamps_and_rejects() {
        let from = |first, last| RangeRequest::From { first, last };
        assert_eq!(from(0, Some(99)).resolve(50), Resolved::Satisfiable(0, 49));
        assert_eq!(from(50, None).resolve(50), Resolved::Unsatisfiable);
        assert_eq!(
            RangeRequest::Suffix(500).resolve(100),
            Resolved::Satisfiable(0, 99)
        );
        assert_eq!(
            RangeRequest::Suffix(10).resolve(100),
            Resolved::Satisfiable(90, 99)
        );
        assert_eq!(
            RangeRequest::Suffix(0).resolve(100),
            Resolved::Unsatisfiable
        );
        assert_eq!(RangeRequest::Suffix(5).resolve(0), Resolved::Unsatisfiable);
    }
}
