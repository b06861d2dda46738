//! Byte offsets to 1-based line and column numbers, for diagnostics.

/// Line starts of a text, for repeated offset lookups. They are found on the first lookup, so
/// a file that reports no position never scans for them.
pub(crate) struct LineIndex<'a> {
    text: &'a str,
    starts: std::cell::OnceCell<Vec<usize>>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> LineIndex<'a> {
        LineIndex {
            text,
            starts: std::cell::OnceCell::new(),
        }
    }

    fn starts(&self) -> &[usize] {
        self.starts.get_or_init(|| {
            std::iter::once(0)
                .chain(memchr::memchr_iter(b'\n', self.text.as_bytes()).map(|i| i + 1))
                .collect()
        })
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn position(&self, offset: usize) -> (u32, u32) {
        let offset = offset.min(self.text.len());
        let starts = self.starts();
        let line = starts.partition_point(|&s| s <= offset) - 1;
        let start = starts[line];
        let column = self
            .text
            .get(start..offset)
            .map_or(offset - start, |s| s.chars().count());
        (line as u32 + 1, column as u32 + 1)
    }
}

/// Lines and columns as cssparser counts them: a line ends at `\n`, `\r`, `\r\n` or a form
/// feed; columns are UTF-16 code units, from 1. Lookups move forward from the last one, so a
/// file's lookups in order cost one pass over it, however long its lines.
#[derive(Default)]
pub(crate) struct Utf16Positions {
    /// The last offset looked up, and its 0-based line and column.
    offset: usize,
    line: u32,
    column: u32,
}

impl Utf16Positions {
    /// 1-based line and column of `offset`, a character boundary of `text`.
    pub fn at(&mut self, text: &str, offset: usize) -> (u32, u32) {
        if offset < self.offset {
            *self = Utf16Positions::default();
        }
        let bytes = text.as_bytes();
        for i in self.offset..offset {
            match bytes[i] {
                b'\n' | 0x0c => (self.line, self.column) = (self.line + 1, 0),
                b'\r' if bytes.get(i + 1) != Some(&b'\n') => {
                    (self.line, self.column) = (self.line + 1, 0)
                }
                b'\r' => {}
                // A continuation byte adds nothing; a character of four bytes is two units.
                b if b & 0xc0 == 0x80 => {}
                b if b >= 0xf0 => self.column += 2,
                _ => self.column += 1,
            }
        }
        self.offset = offset;
        (self.line + 1, self.column + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based_in_characters() {
        let index = LineIndex::new("ab\ncé d\n");
        assert_eq!(index.position(0), (1, 1));
        assert_eq!(index.position(3), (2, 1));
        // "cé " is 4 bytes; "d" is the fourth character.
        assert_eq!(index.position(7), (2, 4));
    }

    #[test]
    fn utf16_positions_end_lines_as_css_does() {
        let text = "a\r\nb\rc\x0cd\n😀é x";
        let mut positions = Utf16Positions::default();
        assert_eq!(positions.at(text, 3), (2, 1));
        assert_eq!(positions.at(text, 5), (3, 1));
        // Backwards works too.
        assert_eq!(positions.at(text, 1), (1, 2));
        // The emoji takes two UTF-16 units, `é` one.
        assert_eq!(positions.at(text, text.len() - 1), (5, 5));
    }
}
