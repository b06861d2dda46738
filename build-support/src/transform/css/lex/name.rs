//! Names as CSS Syntax reads them: runs of name bytes and escapes.

/// A byte of a name: a letter, a digit, `-`, `_` or any byte of a non-ASCII character.
pub(super) fn is_name(b: u8) -> bool {
    NAME[usize::from(b)]
}

static NAME: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let byte = b as u8;
        table[b] = byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_' || byte >= 0x80;
        b += 1;
    }
    table
};

/// Whether a name starts at `at`, as CSS Syntax's "would start an identifier" decides
/// (what makes `@x` an at-keyword).
pub(super) fn starts(bytes: &[u8], at: usize) -> bool {
    match bytes.get(at) {
        Some(b'-') => match bytes.get(at + 1) {
            Some(&b) if b.is_ascii_alphabetic() || b >= 0x80 || b == b'-' || b == b'_' => true,
            Some(b'\\') => escape_at(bytes, at + 1),
            _ => false,
        },
        Some(&b) if b.is_ascii_alphabetic() || b >= 0x80 || b == b'_' => true,
        Some(b'\\') => escape_at(bytes, at),
        _ => false,
    }
}

/// Whether a valid escape starts at `at`: a backslash not before a line end or the end.
pub(super) fn escape_at(bytes: &[u8], at: usize) -> bool {
    bytes.get(at) == Some(&b'\\')
        && bytes
            .get(at + 1)
            .is_some_and(|b| !matches!(b, b'\n' | b'\r' | 0x0c))
}

/// The end of the valid escape at `at`: up to six hex digits and one blank after them
/// (`\r\n` is one), or one character.
pub(super) fn escape_end(bytes: &[u8], at: usize) -> usize {
    let hex = bytes[at + 1..]
        .iter()
        .take(6)
        .take_while(|b| b.is_ascii_hexdigit())
        .count();
    if hex == 0 {
        // The character escaped; its continuation bytes are name bytes.
        return at + 2;
    }
    let end = at + 1 + hex;
    match bytes.get(end) {
        Some(b'\r') if bytes.get(end + 1) == Some(&b'\n') => end + 2,
        Some(b' ' | b'\t' | b'\n' | b'\r' | 0x0c) => end + 1,
        _ => end,
    }
}
