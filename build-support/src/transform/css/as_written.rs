//! The unminified path: a stylesheet kept as written, with only its references replaced.
//! A lexer finds them ([`lex`]), or cssparser's tokenizer ([`scan`]) where the lexer is
//! unsure; lightningcss is not involved, so nothing is lowered or prefixed (see
//! `Config::parse_unminified`), unless a token is malformed.

use cssparser::serialize_string;

use crate::error::Diagnostic;
use crate::reference::Syntax;
use crate::transform::css::lex;
use crate::transform::css::scan::{self, Found, Scan};
use crate::transform::input::{Input, Transformed};
use crate::transform::nesting;
use crate::transform::position::LineIndex;
use crate::transform::splice::{self, Edit};

/// Finds the references of `text` and splices their marker URLs in.
pub(super) fn transform(input: &Input, text: &str) -> Result<Transformed, Diagnostic> {
    let Some(scan) = find(input.display, text)? else {
        // lightningcss reports the malformed token, or recovers from it as browsers do.
        return super::reprint(input, text);
    };
    if let (true, Some(at)) = (input.part, scan.import_at) {
        return Err(super::import_in_part(input, at));
    }
    let resolver = input.resolver();
    let mut out = Transformed::default();
    let mut edits: Vec<Edit> = Vec::with_capacity(scan.refs.len() + 1);
    for found in scan.refs {
        if let Some(r) = resolver.resolve(&found.url, Syntax::Url, found.line, found.column) {
            edits.push((found.span.clone(), written(&r.marker_url, &found)));
            out.refs.push(r);
        }
    }
    if let Some(comment) = scan.map_comment {
        comment.relink(input, &LineIndex::new(text), &mut out, &mut edits);
    }
    splice::apply_to(&mut out, text, edits);
    Ok(out)
}

/// The references of `text` (from the file `display`): the lexer's, or where it is unsure,
/// those of cssparser's tokenizer. `None` when a token is malformed; an error when the text
/// nests deeper than cssparser and lightningcss can follow.
pub(crate) fn find(display: &str, text: &str) -> Result<Option<Scan>, Diagnostic> {
    if let Some(scan) = lex::scan(text) {
        return Ok(Some(scan));
    }
    // Both cssparser's walk and lightningcss recurse into every block.
    nesting::check_css(display, text)?;
    Ok(scan::scan(text))
}

/// `url` written as the token it replaces was: unquoted `url(...)` or a string in the same
/// quotes, escaped (as a double-quoted string) when the URL holds a character that form
/// cannot.
fn written(url: &str, found: &Found) -> String {
    match found.quote {
        None if !url.contains(|c: char| {
            matches!(c, '"' | '\'' | '(' | ')' | '\\') || c.is_whitespace() || c.is_control()
        }) =>
        {
            return format!("url({url})");
        }
        Some(quote) if !url.contains([quote, '\\', '\n', '\r', '\x0c']) => {
            return format!("{quote}{url}{quote}");
        }
        _ => {}
    }
    let mut quoted = String::with_capacity(url.len() + 2);
    // Writing to a String cannot fail.
    let _ = serialize_string(url, &mut quoted);
    match found.quote {
        None => format!("url({quoted})"),
        Some(_) => quoted,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(quote: Option<char>) -> Found {
        Found {
            url: String::new(),
            span: 0..0,
            quote,
            line: 1,
            column: 1,
        }
    }

    #[test]
    fn a_url_is_written_in_the_form_it_replaces() {
        assert_eq!(written("a.HASH.png", &found(None)), "url(a.HASH.png)");
        assert_eq!(written("a.HASH.png", &found(Some('\''))), "'a.HASH.png'");
        assert_eq!(written("a.HASH.png", &found(Some('"'))), "\"a.HASH.png\"");
    }

    #[test]
    fn a_url_the_form_cannot_hold_is_escaped() {
        assert_eq!(written("a.png?x='1'", &found(None)), "url(\"a.png?x='1'\")");
        assert_eq!(
            written("a.png?x='1'", &found(Some('\''))),
            "\"a.png?x='1'\""
        );
        assert_eq!(
            written("a.png?x=\"1\"", &found(Some('"'))),
            "\"a.png?x=\\\"1\\\"\""
        );
    }
}
