//! The references of a stylesheet as written, found by a lexer of the project's own: the fast
//! path of the unminified build, about three times quicker than walking cssparser's `Parser`, which
//! keeps, clones and drops every token and recurses into every block.
//!
//! It finds what [`scan`](super::scan) finds, at the same spans and positions, and holds the
//! same doubt: wherever cssparser's tokenizer would read the text in a way this lexer does not
//! follow exactly, it answers `None` and the caller hands the text to that walk. It is unsure
//! of:
//!
//! - an escape in a name followed by `(` or after `@`, in a string it would report, or in an
//!   unquoted `url()`; a backslash before a line end outside a string;
//! - a string, comment or `url()` that the end of the text or a line end cuts short; a
//!   malformed `url()`;
//! - a closing bracket that closes nothing or the wrong thing, a bracket left open at the end,
//!   or nesting past [`CSS_MAX`];
//! - a NUL byte.
//!
//! Tokens that name no reference are not told apart: a number, a dimension, an identifier or a
//! hash are all a run of name bytes, a delimiter one byte. What counts is where a name starts
//! and ends, and that follows CSS Syntax (the maximal run of name code points and escapes), so
//! a name before `(` is `url` here exactly when it is for cssparser.

use std::ops::Range;

mod name;

use name::is_name;

use super::scan::{Block, Found, Prelude, Scan};
use crate::transform::nesting::{CSS_MAX, css_comment_end};
use crate::transform::position::Utf16Positions;
use crate::transform::splice::MapComment;

/// Scans `text`; `None` when the lexer is unsure of it (see the module docs).
pub(crate) fn scan(text: &str) -> Option<Scan> {
    let mut lexer = Lexer {
        text,
        bytes: text.as_bytes(),
        i: 0,
        scan: Scan::default(),
        positions: Utf16Positions::default(),
    };
    lexer.run()?;
    Some(lexer.scan)
}

/// One open block and the state of its walk.
struct Frame {
    block: Block,
    /// The byte that closes it.
    close: u8,
    /// Where a `url(`'s string is reported: at the `url(`, or at the `@import` it belongs to.
    url_at: Option<usize>,
    prelude: Prelude,
    import_at: Option<usize>,
    /// In an image set: true at the start of an item.
    item_start: bool,
}

impl Frame {
    fn new(block: Block, close: u8, url_at: Option<usize>) -> Frame {
        Frame {
            block,
            close,
            url_at,
            prelude: Prelude::None,
            import_at: None,
            item_start: true,
        }
    }

    /// What any token but whitespace, a comment or an at-keyword does to the walk: it ends an
    /// image-set item's start (a comma starts the next) and an `@import`'s wait for its URL.
    fn after(&mut self, comma: bool) {
        self.item_start = comma;
        if self.prelude == Prelude::Import {
            self.prelude = Prelude::None;
        }
    }
}

struct Lexer<'t> {
    text: &'t str,
    bytes: &'t [u8],
    i: usize,
    scan: Scan,
    positions: Utf16Positions,
}

impl Lexer<'_> {
    fn run(&mut self) -> Option<()> {
        let mut stack = vec![Frame::new(Block::Other, 0, None)];
        while let Some(&b) = self.bytes.get(self.i) {
            let start = self.i;
            match b {
                b' ' | b'\t' | b'\n' | b'\r' | 0x0c => self.i += 1,
                b'/' if self.bytes.get(start + 1) == Some(&b'*') => self.comment()?,
                b'"' | b'\'' => {
                    let escaped = self.string(b)?;
                    let frame = stack.last_mut()?;
                    let reported = frame.prelude == Prelude::Import
                        || frame.block == Block::Url
                        || (frame.block == Block::ImageSet && frame.item_start);
                    if reported {
                        if escaped {
                            return None;
                        }
                        // An `@import` is reported at the rule, a `url("...")` at its `url(`.
                        let at = match (frame.prelude, frame.block) {
                            (Prelude::Import, _) => frame.import_at,
                            (_, Block::Url) => frame.url_at,
                            _ => None,
                        };
                        let url = &self.text[start + 1..self.i - 1];
                        self.found(url, start..self.i, Some(char::from(b)), at.unwrap_or(start));
                    }
                    frame.after(false);
                }
                b'@' if name::starts(self.bytes, start + 1) => {
                    self.i += 1;
                    if self.name()? {
                        return None;
                    }
                    let name = &self.text[start + 1..self.i];
                    let frame = stack.last_mut()?;
                    frame.prelude = Prelude::after(name);
                    if frame.prelude == Prelude::Import {
                        let at = self.positions.at(self.text, start);
                        self.scan.import_at.get_or_insert(at);
                        frame.import_at = Some(start);
                    }
                }
                b'#' => {
                    self.i += 1;
                    if self.bytes.get(self.i).is_some_and(|&b| is_name(b))
                        || name::escape_at(self.bytes, self.i)
                    {
                        self.name()?;
                    }
                    stack.last_mut()?.after(false);
                }
                b'(' | b'[' | b'{' => {
                    self.i += 1;
                    let frame = stack.last_mut()?;
                    if b == b'{' {
                        frame.prelude = Prelude::None;
                    }
                    frame.after(false);
                    push(&mut stack, Frame::new(Block::Other, closer(b), None))?;
                }
                b')' | b']' | b'}' => {
                    self.i += 1;
                    if stack.len() == 1 || stack.last()?.close != b {
                        return None;
                    }
                    stack.pop();
                }
                b';' => {
                    self.i += 1;
                    let frame = stack.last_mut()?;
                    frame.prelude = Prelude::None;
                    frame.after(false);
                }
                b',' => {
                    self.i += 1;
                    stack.last_mut()?.after(true);
                }
                // `<!--` is one token: the name after it starts afresh.
                b'<' if self.bytes[start..].starts_with(b"<!--") => {
                    self.i += 4;
                    stack.last_mut()?.after(false);
                }
                0 => return None,
                b'\\' if !name::escape_at(self.bytes, start) => return None,
                _ if is_name(b) || b == b'\\' => {
                    let escaped = self.name()?;
                    if self.bytes.get(self.i) == Some(&b'(') {
                        if escaped {
                            return None;
                        }
                        self.function(&mut stack, start)?;
                    } else {
                        stack.last_mut()?.after(false);
                    }
                }
                _ => {
                    self.i += 1;
                    stack.last_mut()?.after(false);
                }
            }
        }
        (stack.len() == 1).then_some(())
    }

    /// The name from `start` is followed by the `(` at `self.i`: `url(` (a URL token, or a
    /// function when its argument is quoted), or another function.
    fn function(&mut self, stack: &mut Vec<Frame>, start: usize) -> Option<()> {
        let name = &self.text[start..self.i];
        self.i += 1;
        let frame = stack.last_mut()?;
        // Where a string inside is reported: at the `@import` this belongs to, or here.
        let at = match frame.prelude {
            Prelude::Import => frame.import_at.unwrap_or(start),
            _ => start,
        };
        if name.eq_ignore_ascii_case("url") {
            let open = self.i;
            let arg = open + self.whitespace(open);
            match self.bytes.get(arg) {
                // A quoted argument: `url(` is a function, the string its URL.
                Some(b'"' | b'\'') => {}
                Some(_) => {
                    let url = self.unquoted_url(arg)?;
                    if frame.prelude != Prelude::Namespace {
                        let url = &self.text[url];
                        self.found(url, start..self.i, None, at);
                    }
                    frame.after(false);
                    return Some(());
                }
                None => return None,
            }
        }
        let block = Block::of_function(frame.prelude, name);
        frame.after(false);
        push(stack, Frame::new(block, b')', Some(at)))
    }

    /// The URL of an unquoted `url(` whose first non-blank byte is at `from`; moves past its
    /// `)`. `None` for a malformed one, or one with an escape.
    fn unquoted_url(&mut self, from: usize) -> Option<Range<usize>> {
        let mut i = from;
        loop {
            match *self.bytes.get(i)? {
                b')' => {
                    self.i = i + 1;
                    return Some(from..i);
                }
                b' ' | b'\t' | b'\n' | b'\r' | 0x0c => {
                    let end = i;
                    i += self.whitespace(i);
                    if self.bytes.get(i) != Some(&b')') {
                        return None;
                    }
                    self.i = i + 1;
                    return Some(from..end);
                }
                0..=0x08 | 0x0b | 0x0e..=0x1f | 0x7f | b'"' | b'\'' | b'(' | b'\\' => return None,
                _ => i += 1,
            }
        }
    }

    /// Moves past a comment, noting a `sourceMappingURL` one; `None` if it is not closed.
    fn comment(&mut self) -> Option<()> {
        let start = self.i;
        let end = css_comment_end(self.bytes, start);
        if end < start + 4 || !self.bytes[..end].ends_with(b"*/") {
            return None;
        }
        self.i = end;
        if let Some(comment) = MapComment::find(self.text, start + 2..end - 2, start..end) {
            self.scan.map_comment = Some(comment);
        }
        Some(())
    }

    /// Moves past the string whose quote is at `self.i`; whether it holds an escape. `None`
    /// when a line end or the end of the text cuts it short.
    fn string(&mut self, quote: u8) -> Option<bool> {
        let mut i = self.i + 1;
        let mut escaped = false;
        loop {
            match *self.bytes.get(i)? {
                b if b == quote => {
                    self.i = i + 1;
                    return Some(escaped);
                }
                b'\\' => {
                    escaped = true;
                    // An escaped line end continues the string; `\r\n` is one.
                    i += match self.bytes.get(i + 1)? {
                        b'\r' if self.bytes.get(i + 2) == Some(&b'\n') => 3,
                        _ => 2,
                    };
                }
                b'\n' | b'\r' | 0x0c | 0 => return None,
                _ => i += 1,
            }
        }
    }

    /// Moves past a name: name bytes and escapes. Whether it held an escape.
    fn name(&mut self) -> Option<bool> {
        let mut escaped = false;
        while let Some(&b) = self.bytes.get(self.i) {
            if is_name(b) {
                self.i += 1;
            } else if name::escape_at(self.bytes, self.i) {
                escaped = true;
                self.i = name::escape_end(self.bytes, self.i);
            } else if b == 0 {
                return None;
            } else {
                break;
            }
        }
        Some(escaped)
    }

    /// How many blank bytes start at `from`.
    fn whitespace(&self, from: usize) -> usize {
        self.bytes[from..]
            .iter()
            .take_while(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0c))
            .count()
    }

    /// Records a URL at `span`, reported at the token or rule that starts at `at`.
    fn found(&mut self, url: &str, span: Range<usize>, quote: Option<char>, at: usize) {
        let (line, column) = self.positions.at(self.text, at);
        self.scan.refs.push(Found {
            url: url.to_string(),
            span,
            quote,
            line,
            column,
        });
    }
}

/// Opens a block; `None` past [`CSS_MAX`] levels, which the walk's depth check reports.
fn push(stack: &mut Vec<Frame>, frame: Frame) -> Option<()> {
    if stack.len() > CSS_MAX {
        return None;
    }
    stack.push(frame);
    Some(())
}

fn closer(open: u8) -> u8 {
    match open {
        b'(' => b')',
        b'[' => b']',
        _ => b'}',
    }
}

#[cfg(test)]
mod tests;
