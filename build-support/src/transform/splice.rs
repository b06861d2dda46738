//! Output kept as written: the unminified CSS and JS paths replace byte ranges of the input (a
//! reference's URL, a `sourceMappingURL` comment) and copy the rest.

use std::ops::Range;

use crate::reference::Ref;
use crate::transform::input::{Input, Transformed};
use crate::transform::position::LineIndex;
use crate::transform::sourcemap;

/// A byte range of the input and what replaces it.
pub(crate) type Edit = (Range<usize>, String);

/// Puts `text` with each edit applied into `out`, or with no edit marks `out` as the input
/// as read, without copying it.
pub(crate) fn apply_to(out: &mut Transformed, text: &str, edits: Vec<Edit>) {
    if edits.is_empty() {
        out.as_read = true;
    } else {
        out.bytes = apply(text, edits).into_bytes();
    }
}

/// `text` with each edit applied; an edit that overlaps an earlier one is skipped.
pub(crate) fn apply(text: &str, mut edits: Vec<Edit>) -> String {
    edits.sort_by_key(|(range, _)| range.start);
    let mut out = String::with_capacity(text.len() + edits.len() * 20);
    let mut at = 0;
    for (range, replacement) in edits {
        if range.start < at {
            continue;
        }
        out.push_str(&text[at..range.start]);
        out.push_str(&replacement);
        at = range.end;
    }
    out.push_str(&text[at..]);
    out
}

/// A `sourceMappingURL` comment, as the CSS and JS tokenizers find it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct MapComment {
    /// The whole comment.
    pub span: Range<usize>,
    /// The URL inside it.
    pub url_span: Range<usize>,
    pub url: String,
}

impl MapComment {
    /// The comment `whole` of `text`, whose text without its delimiters is `body`, when it
    /// names a source map.
    pub fn find(text: &str, body: Range<usize>, whole: Range<usize>) -> Option<MapComment> {
        let content = &text[body.clone()];
        let url = sourcemap::comment_url(content)?;
        let start = body.start + content.find(url)?;
        Some(MapComment {
            span: whole,
            url_span: start..start + url.len(),
            url: url.to_string(),
        })
    }

    /// Finds the map asset the comment names and [relinks](relink_map_comment) it.
    pub fn relink(
        self,
        input: &Input,
        lines: &LineIndex,
        out: &mut Transformed,
        edits: &mut Vec<Edit>,
    ) {
        let (line, column) = lines.position(self.url_span.start);
        let map = input.map_asset(&self.url, line, column, out);
        relink_map_comment(input, self.span, self.url_span, map, out, edits);
    }
}

/// What happens to a `sourceMappingURL` comment of a file kept as written: it points at the
/// hashed name of the input map when that is an asset, and goes otherwise. A bundle part's
/// comment goes too: it would point the whole bundle at the part's map.
pub(crate) fn relink_map_comment(
    input: &Input,
    comment: Range<usize>,
    url: Range<usize>,
    map: Option<Ref>,
    out: &mut Transformed,
    edits: &mut Vec<Edit>,
) {
    match map {
        Some(map) if !input.part => {
            edits.push((url, map.marker_url.clone()));
            out.refs.push(map);
        }
        _ => edits.push((comment, String::new())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_apply_in_order_of_position_and_overlaps_are_skipped() {
        let edits = vec![
            (6..9, "B".to_string()),
            (0..3, "A".to_string()),
            (7..8, "x".to_string()),
        ];
        assert_eq!(apply("aaa - bbb - ccc", edits), "A - B - ccc");
    }
}
