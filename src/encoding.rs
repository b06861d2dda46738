//! `Accept-Encoding` negotiation over the contract's [`Encoding`]s, shared by the server and the
//! uploader.

pub use assetlock_contract::Encoding;

/// Picks the coding to send, given the request's `Accept-Encoding` header and the codings an
/// asset is available in (identity is always available).
///
/// Follows RFC 9110 §12.5.3: q-values, `*` for codings not listed, `q=0` to refuse a coding,
/// and identity acceptable unless refused by `identity;q=0` or by `*;q=0` without an identity
/// entry. Among codings of equal weight the server's preference ([`Encoding`]'s order) wins.
/// Returns `None` when nothing available is acceptable. Without a header, identity is sent.
///
/// ```
/// use assetlock::{negotiate, Encoding::*};
///
/// let available = [Gzip, Brotli];
/// assert_eq!(negotiate(Some("gzip, br"), &available), Some(Brotli));
/// assert_eq!(negotiate(Some("br;q=0.5, gzip"), &available), Some(Gzip));
/// assert_eq!(negotiate(Some("zstd"), &available), Some(Identity));
/// assert_eq!(negotiate(Some("*;q=0"), &available), None);
/// assert_eq!(negotiate(None, &available), Some(Identity));
/// ```
pub fn negotiate(accept_encoding: Option<&str>, available: &[Encoding]) -> Option<Encoding> {
    let Some(header) = accept_encoding else {
        return Some(Encoding::Identity);
    };
    let prefs = Preferences::parse(header);
    let candidates = available
        .iter()
        .copied()
        .chain([Encoding::Identity])
        .filter_map(|e| Some((prefs.weight(e)?, e)))
        .filter(|&(q, _)| q > 0);
    candidates.max().map(|(_, e)| e)
}

/// Whether an `Accept-Encoding` header lists `token` (a coding outside [`Encoding`], such as
/// `dcz`) with a non-zero weight. `*` does not count: such codings need the client's part too.
#[cfg(feature = "axum")]
pub(crate) fn accepts(accept_encoding: &str, token: &str) -> bool {
    accept_encoding.split(',').any(|item| {
        let mut parts = item.split(';');
        let listed = parts.next().unwrap_or("").trim();
        listed.eq_ignore_ascii_case(token) && parse_weight(parts).is_some_and(|q| q > 0)
    })
}

/// The weights a header gives, in thousandths (the precision RFC 9110 allows).
#[derive(Default)]
struct Preferences {
    listed: [Option<u16>; 4],
    star: Option<u16>,
}

impl Preferences {
    fn parse(header: &str) -> Preferences {
        let mut prefs = Preferences::default();
        for item in header.split(',') {
            let mut parts = item.split(';');
            let token = parts.next().unwrap_or("").trim();
            if token.is_empty() {
                continue;
            }
            let Some(q) = parse_weight(parts) else {
                continue;
            };
            let slot = if token == "*" {
                &mut prefs.star
            } else if let Some(e) = Encoding::from_token(token) {
                &mut prefs.listed[e as usize]
            } else {
                continue;
            };
            // A coding listed twice keeps its highest weight.
            *slot = Some(slot.map_or(q, |old| old.max(q)));
        }
        prefs
    }

    /// The weight of `e`, or `None` when the header leaves it unacceptable.
    fn weight(&self, e: Encoding) -> Option<u16> {
        match (self.listed[e as usize], self.star, e) {
            (Some(q), _, _) => Some(q),
            (None, Some(q), _) => Some(q),
            // Identity is acceptable unless excluded; give it the lowest non-zero weight so any
            // coding the client asked for wins over it.
            (None, None, Encoding::Identity) => Some(1),
            (None, None, _) => None,
        }
    }
}

/// Parses the parameters after a token; `None` when the `q` value is malformed.
fn parse_weight<'a>(params: impl Iterator<Item = &'a str>) -> Option<u16> {
    let mut weight = 1000;
    for param in params {
        let Some((name, value)) = param.split_once('=') else {
            continue;
        };
        if name.trim().eq_ignore_ascii_case("q") {
            weight = parse_qvalue(value.trim())?;
        }
    }
    Some(weight)
}

/// `qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )`, in thousandths.
fn parse_qvalue(value: &str) -> Option<u16> {
    let (int, frac) = value.split_once('.').unwrap_or((value, ""));
    if frac.len() > 3 || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let frac_value: u16 = format!("{frac:0<3}").parse().ok()?;
    match int {
        "0" => Some(frac_value),
        "1" if frac_value == 0 => Some(1000),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::Encoding::*;
    use super::*;

    const ALL_VARIANTS: &[Encoding] = &[Gzip, Zstd, Brotli];

    #[test]
    fn prefers_brotli_when_all_are_equal() {
        assert_eq!(
            negotiate(Some("gzip, deflate, br, zstd"), ALL_VARIANTS),
            Some(Brotli)
        );
    }

    #[test]
    fn higher_q_value_beats_server_preference() {
        assert_eq!(
            negotiate(Some("br;q=0.8, gzip;q=0.9"), ALL_VARIANTS),
            Some(Gzip)
        );
    }

    #[test]
    fn q_zero_excludes_a_coding() {
        assert_eq!(negotiate(Some("br;q=0, gzip"), ALL_VARIANTS), Some(Gzip));
    }

    #[test]
    fn star_covers_unlisted_codings() {
        assert_eq!(negotiate(Some("gzip;q=0.5, *"), ALL_VARIANTS), Some(Brotli));
        assert_eq!(negotiate(Some("*;q=0, gzip"), ALL_VARIANTS), Some(Gzip));
    }

    #[test]
    fn identity_excluded_explicitly_or_by_star() {
        assert_eq!(negotiate(Some("identity;q=0"), &[]), None);
        assert_eq!(negotiate(Some("*;q=0"), &[]), None);
        assert_eq!(negotiate(Some("*;q=0, identity"), &[]), Some(Identity));
    }

    #[test]
    fn unavailable_coding_falls_back_to_identity() {
        assert_eq!(negotiate(Some("br"), &[Gzip]), Some(Identity));
    }

    #[test]
    fn tokens_are_case_insensitive_and_whitespace_tolerant() {
        assert_eq!(
            negotiate(Some(" GZIP ; Q=1 , BR;q=0.1"), ALL_VARIANTS),
            Some(Gzip)
        );
        assert_eq!(negotiate(Some("x-gzip"), ALL_VARIANTS), Some(Gzip));
    }

    #[test]
    fn malformed_q_value_ignores_the_entry() {
        assert_eq!(negotiate(Some("br;q=2, gzip"), ALL_VARIANTS), Some(Gzip));
        assert_eq!(
            negotiate(Some("br;q=0.1234, gzip;q=0.5"), ALL_VARIANTS),
            Some(Gzip)
        );
        assert_eq!(negotiate(Some("br;q=abc"), ALL_VARIANTS), Some(Identity));
    }

    #[test]
    fn empty_header_means_identity_only() {
        assert_eq!(negotiate(Some(""), ALL_VARIANTS), Some(Identity));
    }

    #[test]
    #[cfg(feature = "axum")]
    fn delta_codings_must_be_listed_with_a_weight() {
        assert!(accepts("gzip, br, zstd, dcb, dcz", "dcz"));
        assert!(accepts("DCZ;q=0.5", "dcz"));
        assert!(!accepts("dcz;q=0, br", "dcz"));
        assert!(!accepts("*", "dcz"));
        assert!(!accepts("dczz", "dcz"));
    }

    #[test]
    fn unknown_codings_are_ignored() {
        assert_eq!(
            negotiate(Some("compress, deflate"), ALL_VARIANTS),
            Some(Identity)
        );
    }
}
