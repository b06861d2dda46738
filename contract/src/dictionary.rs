//! Compression dictionaries (RFC 9842): how a release's asset is sent as a delta against the
//! version of the same asset a returning visitor already has.
//!
//! A response for a text asset says `Use-As-Dictionary: match="<pattern>"`, where the pattern
//! covers every hashed name of the same logical path ([`match_pattern`]). A browser that kept
//! it asks for the next release's version with `Available-Dictionary: :<base64 SHA-256>:`
//! ([`parse_available_dictionary`]) and `Accept-Encoding: dcz` (or `dcb`); the server answers
//! with the delta the build made against those bytes: the [`frame_header`] followed by a zstd
//! frame (`dcz`) or a brotli stream (`dcb`) that used the old bytes as a raw dictionary. Deltas are stored beside their asset under
//! [`delta_path`], a name made of the two hashes, so each key names exactly one pair.
//!
//! ```
//! use assetlock_contract::dictionary::{self, DeltaCoding};
//!
//! let pattern = dictionary::match_pattern("/assets/js/main.3f2a9c1b7e04d5a6.js", "js/main.js");
//! assert_eq!(pattern.as_deref(), Some("/assets/js/main.*.js"));
//!
//! let sha = [7u8; 32];
//! let header = dictionary::frame_header(DeltaCoding::Dcz, &sha);
//! assert_eq!(&header[..8], &[0x5e, 0x2a, 0x4d, 0x18, 0x20, 0, 0, 0]);
//! assert_eq!(&header[8..], &sha);
//! assert_eq!(dictionary::frame_header(DeltaCoding::Dcb, &sha)[..4], [0xff, b'D', b'C', b'B']);
//! ```

use std::fmt;

use crate::url::encode_path;

/// A dictionary-compressed content coding.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DeltaCoding {
    /// `dcz`: Zstandard with the dictionary as raw content (RFC 9842 §5.2).
    Dcz,
    /// `dcb`: Brotli with the dictionary as a raw LZ77 prefix (RFC 9842 §5.1).
    Dcb,
}

impl DeltaCoding {
    /// Every delta coding.
    pub const ALL: [DeltaCoding; 2] = [DeltaCoding::Dcz, DeltaCoding::Dcb];

    /// The `Content-Encoding` token, also the key's suffix and the `encoding` of a delta in
    /// `manifest.json`.
    pub const fn as_str(self) -> &'static str {
        match self {
            DeltaCoding::Dcz => "dcz",
            DeltaCoding::Dcb => "dcb",
        }
    }

    /// The magic bytes that open a body in this coding, before the dictionary's SHA-256.
    pub const fn magic(self) -> &'static [u8] {
        match self {
            // A zstd skippable frame of 32 bytes: decoders that do not know the coding skip
            // the hash.
            DeltaCoding::Dcz => &[0x5e, 0x2a, 0x4d, 0x18, 0x20, 0x00, 0x00, 0x00],
            DeltaCoding::Dcb => &[0xff, 0x44, 0x43, 0x42],
        }
    }

    /// The name of the variant, as generated code spells it (`DeltaCoding::Dcz`).
    pub const fn name(self) -> &'static str {
        match self {
            DeltaCoding::Dcz => "Dcz",
            DeltaCoding::Dcb => "Dcb",
        }
    }

    /// Parses a header token, case-insensitively.
    pub fn from_token(token: &str) -> Option<DeltaCoding> {
        DeltaCoding::ALL
            .into_iter()
            .find(|c| token.trim().eq_ignore_ascii_case(c.as_str()))
    }
}

impl fmt::Display for DeltaCoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The bytes that precede the compressed data of a delta body: the coding's magic and the
/// SHA-256 of the dictionary, so a client can check it decodes with the right one.
pub fn frame_header(coding: DeltaCoding, dictionary_sha256: &[u8; 32]) -> Vec<u8> {
    [coding.magic(), dictionary_sha256].concat()
}

/// The key of the delta of the asset at `hashed_path` against the dictionary whose SHA-256 is
/// `dictionary_sha256` (lower-case hex): beside the asset, named by both hashes.
///
/// ```
/// use assetlock_contract::dictionary::{DeltaCoding, delta_path};
///
/// let sha = "ab".repeat(32);
/// assert_eq!(
///     delta_path("js/main.1111.js", &sha, DeltaCoding::Dcz),
///     "js/main.1111.js.abababababababab.dcz"
/// );
/// ```
pub fn delta_path(hashed_path: &str, dictionary_sha256: &str, coding: DeltaCoding) -> String {
    let short = dictionary_sha256
        .get(..crate::naming::DELTA_DICTIONARY_LEN)
        .unwrap_or(dictionary_sha256);
    format!("{hashed_path}.{short}.{}", coding.as_str())
}

/// The `match` of an asset's `Use-As-Dictionary` header: its URL with the content hash
/// replaced by `*`, so that it covers the hashed names of the same logical path in later
/// releases. URLPattern's special characters in the rest are escaped. `None` when the URL does
/// not carry a hash where naming puts it (a public file keeps its name).
///
/// ```
/// use assetlock_contract::dictionary::match_pattern;
///
/// assert_eq!(
///     match_pattern("https://cdn.example.com/a/css/app.0123456789abcdef.css", "css/app.css")
///         .as_deref(),
///     Some("https://cdn.example.com/a/css/app.*.css")
/// );
/// assert_eq!(match_pattern("/assets/LICENSE.0123456789abcdef", "LICENSE").as_deref(),
///     Some("/assets/LICENSE.*"));
/// assert_eq!(match_pattern("/favicon.ico", "favicon.ico"), None);
/// ```
pub fn match_pattern(url: &str, logical: &str) -> Option<String> {
    let name_start = logical.rfind('/').map_or(0, |i| i + 1);
    let split = match logical[name_start..].rfind('.') {
        Some(dot) if dot > 0 => name_start + dot,
        _ => logical.len(),
    };
    let (stem, extension) = (
        encode_path(&logical[..split]),
        encode_path(&logical[split..]),
    );
    let rest = url.strip_suffix(&extension)?;
    let dot = rest.rfind('.')?;
    let (before, hash) = (&rest[..dot], &rest[dot + 1..]);
    let prefix = before.strip_suffix(&stem)?;
    if hash.is_empty() || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    // The origin of a CDN prefix stays as it is: its `:` are URLPattern's own delimiters.
    let origin_end = prefix.find("://").map_or(0, |i| {
        prefix[i + 3..]
            .find('/')
            .map_or(prefix.len(), |j| i + 3 + j)
    });
    let (origin, path) = prefix.split_at(origin_end);
    Some(format!(
        "{origin}{}{}.*{}",
        escape_pattern(path),
        escape_pattern(&stem),
        escape_pattern(&extension)
    ))
}

/// Escapes the characters URLPattern gives a meaning to, so they match themselves.
fn escape_pattern(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '*' | '?' | '+' | ':' | '(' | ')' | '{' | '}' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The `Use-As-Dictionary` header value for a pattern: a structured-field dictionary with one
/// string member, `match`.
///
/// ```
/// use assetlock_contract::dictionary::use_as_dictionary;
///
/// assert_eq!(use_as_dictionary("/a/app.*.js"), r#"match="/a/app.*.js""#);
/// assert_eq!(use_as_dictionary(r"/a/\(x\).*.js"), r#"match="/a/\\(x\\).*.js""#);
/// ```
pub fn use_as_dictionary(pattern: &str) -> String {
    let mut value = String::with_capacity(pattern.len() + 8);
    value.push_str("match=\"");
    for c in pattern.chars() {
        if matches!(c, '"' | '\\') {
            value.push('\\');
        }
        value.push(c);
    }
    value.push('"');
    value
}

/// The SHA-256 an `Available-Dictionary` header names: a structured-field byte sequence,
/// `:<base64>:`, of exactly 32 bytes. `None` for anything else.
///
/// ```
/// use assetlock_contract::dictionary::parse_available_dictionary;
///
/// let value = ":AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=:";
/// let sha = parse_available_dictionary(value).unwrap();
/// assert_eq!(sha[0], 0);
/// assert_eq!(sha[31], 31);
/// assert_eq!(parse_available_dictionary("AAEC"), None);
/// ```
pub fn parse_available_dictionary(value: &str) -> Option<[u8; 32]> {
    let inner = value.trim().strip_prefix(':')?.strip_suffix(':')?;
    let bytes = decode_base64(inner)?;
    bytes.try_into().ok()
}

/// Standard base64 with optional padding, as structured fields write byte sequences.
fn decode_base64(text: &str) -> Option<Vec<u8>> {
    let text = text.trim_end_matches('=');
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for byte in text.bytes() {
        let value = match byte {
            b'A'..=b'Z' => byte - b'A',
            b'a'..=b'z' => byte - b'a' + 26,
            b'0'..=b'9' => byte - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        };
        buffer = (buffer << 6) | u32::from(value);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
            buffer &= (1 << bits) - 1;
        }
    }
    // Leftover bits must be the zero padding of the last character.
    (buffer == 0 && bits < 6).then_some(out)
}

/// Lower-case hex of a digest.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_decodes_every_padding() {
        assert_eq!(decode_base64("").unwrap(), b"");
        assert_eq!(decode_base64("Zg==").unwrap(), b"f");
        assert_eq!(decode_base64("Zm8=").unwrap(), b"fo");
        assert_eq!(decode_base64("Zm9v").unwrap(), b"foo");
        assert_eq!(decode_base64("Zm9vYg").unwrap(), b"foob");
        assert_eq!(decode_base64("Zm9v!"), None);
    }

    #[test]
    fn available_dictionary_needs_a_32_byte_sequence() {
        let sha: Vec<u8> = (0..32).collect();
        let value = ":AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=:";
        assert_eq!(parse_available_dictionary(value).unwrap().to_vec(), sha);
        assert_eq!(parse_available_dictionary(":Zm9v:"), None);
        assert_eq!(parse_available_dictionary("\"abc\""), None);
    }

    #[test]
    fn patterns_replace_the_hash_and_escape_the_rest() {
        let cases = [
            ("/assets/a.1f2e.js", "a.js", Some("/assets/a.*.js")),
            (
                "/assets/img/a%20b.00ff.svg",
                "img/a b.svg",
                Some("/assets/img/a%20b.*.svg"),
            ),
            (
                "/assets/x+1*.abcd.css",
                "x+1*.css",
                Some(r"/assets/x\+1\*.*.css"),
            ),
            (
                "/assets/x%281%29.abcd.css",
                "x(1).css",
                Some("/assets/x%281%29.*.css"),
            ),
            (
                "/assets/v1.2/app.abcd.js",
                "v1.2/app.js",
                Some("/assets/v1.2/app.*.js"),
            ),
            ("/assets/.abcd.js", "x.js", None),
            ("/robots.txt", "robots.txt", None),
        ];
        for (url, logical, expected) in cases {
            assert_eq!(match_pattern(url, logical).as_deref(), expected, "{url}");
        }
    }

    #[test]
    fn delta_tokens_round_trip() {
        for coding in DeltaCoding::ALL {
            assert_eq!(DeltaCoding::from_token(coding.as_str()), Some(coding));
        }
        assert_eq!(DeltaCoding::from_token("br"), None);
    }
}
