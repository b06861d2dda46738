//! How deep brackets nest, found before parsing by a scan that knows just enough syntax to
//! skip strings, comments, templates and regular expressions.
//!
//! lightningcss and oxc parse, visit, minify and print recursively: every level of nesting is
//! a chain of stack frames, and a stack overflow aborts the whole build script without naming
//! the file. The pipeline's threads have a large stack (see [`STACK_SIZE`]); this scan keeps
//! the input within what that stack can follow and reports the place where it nests deeper.
//!
//! Measured in the debug profile (the one build scripts get unless `build-override` says
//! otherwise), parsing and minifying, per level of nesting: `@media` blocks 24 KiB, CSS
//! `calc(` 8 KiB, JS functions 3.8 KiB, objects 2.7 KiB, parentheses 2.4 KiB, arrays 2.1 KiB.
//! With the default 2 MiB thread stack that is 87 `@media` blocks or 1,000 arrays.

use crate::error::Diagnostic;
use crate::transform::position::LineIndex;

/// The stack of every pipeline thread. Reserved address space, not memory: only the pages a
/// deep file touches are ever allocated.
pub(crate) const STACK_SIZE: usize = 256 << 20;

/// CSS: lightningcss's printer keeps its indent in a `u8`, two per block, so 128 nested blocks
/// overflow it (a panic in debug builds); 100 levels of `@media` take 2.4 MiB of stack.
pub(crate) const CSS_MAX: usize = 100;

/// JS brackets: 10,000 nested functions take 38 MiB of stack.
pub(crate) const JS_MAX: usize = 10_000;

/// The byte offset of the first bracket that opens level `limit + 1`, if any.
pub(crate) fn css_too_deep(text: &str, limit: usize) -> Option<usize> {
    // Every level opens with a byte of its own.
    if text.len() <= limit {
        return None;
    }
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'/' if bytes.get(i + 1) == Some(&b'*') => i = css_comment_end(bytes, i),
            quote @ (b'"' | b'\'') => i = string_end(bytes, i, quote),
            b'\\' => i += 2,
            b'{' | b'(' | b'[' => {
                depth += 1;
                if depth > limit {
                    return Some(i);
                }
                i += 1;
            }
            b'}' | b')' | b']' => {
                depth = depth.saturating_sub(1);
                i += 1;
            }
            _ => i += 1,
        }
    }
    None
}

/// The byte ranges of the comments of a stylesheet, without `/*` and `*/`.
pub(crate) fn css_comments(text: &str) -> Vec<std::ops::Range<usize>> {
    let bytes = text.as_bytes();
    let mut comments = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                let end = css_comment_end(bytes, i);
                let close = if bytes[..end].ends_with(b"*/") && end >= i + 4 {
                    end - 2
                } else {
                    end
                };
                comments.push(i + 2..close);
                i = end;
            }
            quote @ (b'"' | b'\'') => i = string_end(bytes, i, quote),
            b'\\' => i += 2,
            _ => i += 1,
        }
    }
    comments
}

/// The offset after the comment starting at `start`.
pub(crate) fn css_comment_end(bytes: &[u8], start: usize) -> usize {
    let mut from = start + 2;
    while let Some(star) = bytes
        .get(from..)
        .and_then(|rest| memchr::memchr(b'*', rest))
    {
        let at = from + star;
        if bytes.get(at + 1) == Some(&b'/') {
            return at + 2;
        }
        from = at + 1;
    }
    bytes.len()
}

/// The offset after the string starting at `start` (a newline ends an unterminated one).
pub(crate) fn string_end(bytes: &[u8], start: usize, quote: u8) -> usize {
    let mut i = start + 1;
    while let Some(found) = bytes
        .get(i..)
        .and_then(|rest| memchr::memchr3(quote, b'\\', b'\n', rest))
    {
        i += found;
        match bytes[i] {
            b'\\' => i += 2,
            b'\n' => return i,
            _ => return i + 1,
        }
    }
    bytes.len()
}

/// The offset of the end of the line from `from` (a line comment ends there), at a line feed
/// or a carriage return.
pub(crate) fn line_end(bytes: &[u8], from: usize) -> usize {
    memchr::memchr2(b'\n', b'\r', &bytes[from..]).map_or(bytes.len(), |p| p + from)
}

/// [`css_too_deep`] for JavaScript: brackets, and template substitutions `${`.
pub(crate) fn js_too_deep(text: &str, limit: usize) -> Option<usize> {
    // Every level opens with at least one byte of its own.
    if text.len() <= limit {
        return None;
    }
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    // The depth at which each open template substitution started.
    let mut templates: Vec<usize> = Vec::new();
    // Whether a `/` here would start a regular expression rather than divide.
    let mut regex_allowed = true;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let mut opens = false;
        match b {
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                i = line_end(bytes, i);
                continue;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i = css_comment_end(bytes, i);
                continue;
            }
            b'/' if regex_allowed => {
                i = regex_end(bytes, i);
                regex_allowed = false;
                continue;
            }
            b'"' | b'\'' => {
                i = string_end(bytes, i, b);
                regex_allowed = false;
                continue;
            }
            // A template's text, from its start or from the `}` that closes a substitution,
            // runs to its end or to the next `${`, which opens a level.
            b'`' | b'}' if b == b'`' || (depth > 0 && templates.last() == Some(&(depth - 1))) => {
                if b == b'}' {
                    templates.pop();
                    depth -= 1;
                }
                let (end, substitution) = template_end(bytes, i + 1);
                i = end;
                if substitution {
                    templates.push(depth);
                    opens = true;
                } else {
                    regex_allowed = false;
                }
            }
            b'{' | b'(' | b'[' => {
                opens = true;
                i += 1;
            }
            b')' | b']' | b'}' => {
                depth = depth.saturating_sub(1);
                regex_allowed = false;
                i += 1;
            }
            _ if is_word(b) => {
                let start = i;
                while i < bytes.len() && is_word(bytes[i]) {
                    i += 1;
                }
                regex_allowed = KEYWORDS_BEFORE_EXPRESSION.contains(&&text[start..i]);
            }
            _ => {
                if !b.is_ascii_whitespace() {
                    regex_allowed = true;
                }
                i += 1;
            }
        }
        if opens {
            depth += 1;
            regex_allowed = true;
            if depth > limit {
                return Some(i - 1);
            }
        }
    }
    None
}

/// Words after which a `/` starts a regular expression.
pub(crate) const KEYWORDS_BEFORE_EXPRESSION: [&str; 14] = [
    "return",
    "typeof",
    "case",
    "do",
    "else",
    "in",
    "of",
    "new",
    "delete",
    "void",
    "throw",
    "yield",
    "await",
    "instanceof",
];

pub(crate) fn is_word(b: u8) -> bool {
    WORD[usize::from(b)]
}

/// [`is_word`] as a table: the lexers test every byte of every name.
static WORD: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let byte = b as u8;
        table[b] = byte.is_ascii_alphanumeric() || byte == b'_' || byte == b'$' || byte >= 0x80;
        b += 1;
    }
    table
};

/// The offset after a template's text from `from`, and whether it stopped at a `${`.
pub(crate) fn template_end(bytes: &[u8], from: usize) -> (usize, bool) {
    let mut i = from;
    while let Some(found) = bytes
        .get(i..)
        .and_then(|rest| memchr::memchr3(b'\\', b'`', b'$', rest))
    {
        i += found;
        match bytes[i] {
            b'\\' => i += 2,
            b'`' => return (i + 1, false),
            _ if bytes.get(i + 1) == Some(&b'{') => return (i + 2, true),
            _ => i += 1,
        }
    }
    (bytes.len(), false)
}

/// The offset after the regular expression starting at `start` (a newline ends it).
pub(crate) fn regex_end(bytes: &[u8], start: usize) -> usize {
    let mut i = start + 1;
    let mut class = false;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'\n' => return i,
            b'[' => {
                class = true;
                i += 1;
            }
            b']' => {
                class = false;
                i += 1;
            }
            b'/' if !class => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

/// An error at the first bracket of `text` (from the file `display`) that opens a level past
/// [`CSS_MAX`].
pub(crate) fn check_css(display: &str, text: &str) -> Result<(), Diagnostic> {
    within(display, text, css_too_deep(text, CSS_MAX), CSS_MAX)
}

/// [`check_css`] for JavaScript and [`JS_MAX`].
pub(crate) fn check_js(display: &str, text: &str) -> Result<(), Diagnostic> {
    within(display, text, js_too_deep(text, JS_MAX), JS_MAX)
}

fn within(
    display: &str,
    text: &str,
    too_deep: Option<usize>,
    limit: usize,
) -> Result<(), Diagnostic> {
    match too_deep {
        Some(offset) => {
            let (line, column) = LineIndex::new(text).position(offset);
            Err(Diagnostic::new(display, message(limit)).at(line, column))
        }
        None => Ok(()),
    }
}

/// The limit as a message.
pub(crate) fn message(limit: usize) -> String {
    format!("nesting deeper than {limit} levels; split or flatten this part of the file")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn css_counts_blocks_and_functions_but_not_strings_or_comments() {
        let text = ".a{b:calc((1px))}/*((((*/ .c{content:\"((((\"}";
        assert_eq!(css_too_deep(text, 3), None);
        assert_eq!(css_too_deep(text, 2), Some(10));
    }

    #[test]
    fn css_comments_are_found_outside_strings() {
        let text = "a{b:\"/*x*/\"}/*# sourceMappingURL=a.map */";
        let comments = css_comments(text);
        assert_eq!(comments.len(), 1);
        assert_eq!(&text[comments[0].clone()], "# sourceMappingURL=a.map ");
    }

    #[test]
    fn js_skips_strings_comments_regexes_and_template_text() {
        let text =
            "a = '((('; // (((\n/* [[[ */ b = /[(]\\(/g; c = `((${ [1] }((`; d = x / (y) / 2;";
        assert_eq!(js_too_deep(text, 2), None);
        assert!(js_too_deep(text, 1).is_some());
    }

    #[test]
    fn a_line_comment_ends_at_a_carriage_return_too() {
        // Old Mac line ends: the brackets after the comment are code, and nest.
        let text = "// note\rx = [[[1]]];";
        assert_eq!(js_too_deep(text, 3), None);
        assert_eq!(js_too_deep(text, 2), Some(14));
    }

    #[test]
    fn js_reports_the_first_bracket_too_deep() {
        let text = format!("x = {}{};", "[".repeat(5), "]".repeat(5));
        assert_eq!(js_too_deep(&text, 5), None);
        assert_eq!(js_too_deep(&text, 4), Some(8));
    }
}
