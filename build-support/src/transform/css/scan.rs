//! References in a stylesheet as written, found by cssparser's tokenizer: the unminified path,
//! which splices hashed names into the original bytes instead of parsing and printing the
//! stylesheet with lightningcss.
//!
//! Found: every `url()` (unquoted, or a quoted string as its argument), the string of an
//! `@import`, and the strings of `image-set()` and `-webkit-image-set()`; the URL of a
//! `@namespace` is a name, never fetched, and is skipped. Comments are tokens, so a `url()`
//! inside one is never found. The last `sourceMappingURL` comment is reported too.
//!
//! A stylesheet with a malformed token (an unterminated string or `url()`, a closing bracket
//! with no opening one) gets no scan: the caller hands it to lightningcss, which reports the
//! error where it is one and recovers as browsers do where it is not (inside `@font-face`, for
//! one). Selectors and property values are checked by the minifying path only.

use std::ops::Range;

use cssparser::{ParseError, Parser, ParserInput, SourceLocation, Token};

use crate::transform::splice::MapComment;

/// A reference found in the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Found {
    /// The URL as the stylesheet means it (escapes resolved).
    pub url: String,
    /// The bytes to replace: the unquoted `url(...)` token or the quoted string.
    pub span: Range<usize>,
    /// How the replacement is written: `None` for an unquoted `url()`, else the quote.
    pub quote: Option<char>,
    /// 1-based line and column of the token (columns in UTF-16 units, as lightningcss counts).
    pub line: u32,
    pub column: u32,
}

/// What a scan finds.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Scan {
    pub refs: Vec<Found>,
    /// Where the first `@import` is (1-based line, column).
    pub import_at: Option<(u32, u32)>,
    pub map_comment: Option<MapComment>,
}

/// Scans `text`; `None` when a token is malformed. Nesting is bounded by the caller (the
/// dispatcher's depth check runs first).
pub(crate) fn scan(text: &str) -> Option<Scan> {
    let mut input = ParserInput::new(text);
    let mut parser = Parser::new(&mut input);
    let mut walk = Walk {
        text,
        scan: Scan::default(),
        malformed: false,
    };
    walk.block(&mut parser, Block::Other, None);
    (!walk.malformed).then_some(walk.scan)
}

/// The block a token is in, as far as references are concerned.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Block {
    /// `url(` with a quoted argument.
    Url,
    /// `image-set(` and `-webkit-image-set(`: a string at the start of an item is a URL.
    ImageSet,
    /// The prelude of `@namespace` reaches into no block, so this is only for its `url(`.
    Namespace,
    Other,
}

impl Block {
    /// The block a function named `name` opens after `prelude` (its `url(` is a function only
    /// when its argument is quoted).
    pub(super) fn of_function(prelude: Prelude, name: &str) -> Block {
        if prelude == Prelude::Namespace {
            Block::Namespace
        } else if name.eq_ignore_ascii_case("url") {
            Block::Url
        } else if name.eq_ignore_ascii_case("image-set")
            || name.eq_ignore_ascii_case("-webkit-image-set")
        {
            Block::ImageSet
        } else {
            Block::Other
        }
    }
}

/// What the last at-keyword of a block asks of the tokens after it, until `;` or `{`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Prelude {
    None,
    /// After `@import`: the first string is its URL.
    Import,
    /// After `@namespace`: URLs are names.
    Namespace,
}

impl Prelude {
    /// What the at-keyword `name` starts.
    pub(super) fn after(name: &str) -> Prelude {
        if name.eq_ignore_ascii_case("import") {
            Prelude::Import
        } else if name.eq_ignore_ascii_case("namespace") {
            Prelude::Namespace
        } else {
            Prelude::None
        }
    }
}

struct Walk<'t> {
    text: &'t str,
    scan: Scan,
    malformed: bool,
}

impl Walk<'_> {
    /// Walks the tokens of one block. `url_at` is where the `url(` of a `Block::Url` starts:
    /// its string is reported there, as lightningcss reports it.
    fn block(&mut self, parser: &mut Parser, block: Block, url_at: Option<SourceLocation>) {
        let mut prelude = Prelude::None;
        let mut import_at = None;
        // In an image set: true at the start of an item.
        let mut item_start = true;
        loop {
            let start = parser.position().byte_index();
            let location = parser.current_source_location();
            let token = match parser.next_including_whitespace_and_comments() {
                Ok(token) => token.clone(),
                Err(_) => return,
            };
            let span = start..parser.position().byte_index();
            match token {
                Token::WhiteSpace(_) => continue,
                Token::Comment(body) => {
                    // The body is a slice of the text, after the comment's `/*`.
                    let body_start = span.start + 2;
                    let body = body_start..body_start + body.len();
                    if let Some(comment) = MapComment::find(self.text, body, span) {
                        self.scan.map_comment = Some(comment);
                    }
                    continue;
                }
                Token::AtKeyword(ref name) => {
                    prelude = Prelude::after(name);
                    if prelude == Prelude::Import {
                        let at = (location.line + 1, location.column);
                        self.scan.import_at.get_or_insert(at);
                        import_at = Some(location);
                    }
                    continue;
                }
                Token::UnquotedUrl(ref url) if prelude != Prelude::Namespace => {
                    let at = import_at.filter(|_| prelude == Prelude::Import);
                    self.found(url, span, None, at.unwrap_or(location));
                }
                Token::QuotedString(ref url)
                    if prelude == Prelude::Import
                        || block == Block::Url
                        || (block == Block::ImageSet && item_start) =>
                {
                    let quote = self.text[span.clone()].chars().next();
                    // An `@import` is reported at the rule (its `url(` passes the rule's position
                    // on), a `url("...")` at its `url(`.
                    let at = match (prelude, block) {
                        (Prelude::Import, _) => import_at,
                        (_, Block::Url) => url_at,
                        _ => None,
                    };
                    self.found(url, span, quote, at.unwrap_or(location));
                }
                Token::Function(ref name) => {
                    let inner = Block::of_function(prelude, name);
                    let at = import_at.filter(|_| prelude == Prelude::Import);
                    self.nested(parser, inner, Some(at.unwrap_or(location)));
                }
                Token::CurlyBracketBlock => {
                    prelude = Prelude::None;
                    self.nested(parser, Block::Other, None);
                }
                Token::ParenthesisBlock | Token::SquareBracketBlock => {
                    self.nested(parser, Block::Other, None);
                }
                Token::Semicolon => prelude = Prelude::None,
                ref bad if bad.is_parse_error() => {
                    self.malformed = true;
                    return;
                }
                _ => {}
            }
            // Only whitespace and comments (which `continue`) keep the start of an item and an
            // `@import` waiting for its string.
            item_start = token == Token::Comma;
            if prelude == Prelude::Import {
                prelude = Prelude::None;
            }
        }
    }

    fn nested(&mut self, parser: &mut Parser, block: Block, at: Option<SourceLocation>) {
        let result: Result<(), ParseError<()>> = parser.parse_nested_block(|inner| {
            self.block(inner, block, at);
            Ok(())
        });
        // The closure consumes every token of the block, so nothing is left to complain about.
        let _ = result;
    }

    /// Records a URL; the resolver decides whether it names an asset (an empty one does not).
    fn found(&mut self, url: &str, span: Range<usize>, quote: Option<char>, at: SourceLocation) {
        self.scan.refs.push(Found {
            url: url.to_string(),
            span,
            quote,
            line: at.line + 1,
            column: at.column,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls(text: &str) -> Vec<String> {
        scan(text)
            .unwrap()
            .refs
            .into_iter()
            .map(|f| f.url)
            .collect()
    }

    #[test]
    fn every_kind_of_reference_is_found_with_its_span() {
        let text = "@import 'a.css' print;\n@import url(b.css);\n\
                    .x{background:url( \"c.png\" ) , url(d.png)}\n\
                    .y{background-image:image-set('e.png' 1x, \"f.png\" 2x)}\n\
                    :root{--i:url(g.svg)}@media print{.z{background:url(h.png)}}";
        let scan = scan(text).unwrap();
        let found: Vec<_> = scan.refs.iter().map(|f| f.url.as_str()).collect();
        assert_eq!(
            found,
            [
                "a.css", "b.css", "c.png", "d.png", "e.png", "f.png", "g.svg", "h.png"
            ]
        );
        let spans: Vec<_> = scan.refs.iter().map(|f| &text[f.span.clone()]).collect();
        assert_eq!(spans[0], "'a.css'");
        assert_eq!(spans[1], "url(b.css)");
        assert_eq!(spans[2], "\"c.png\"");
        assert_eq!(scan.refs[0].quote, Some('\''));
        assert_eq!(scan.refs[1].quote, None);
        assert_eq!(scan.import_at, Some((1, 1)));
    }

    #[test]
    fn comments_strings_and_namespaces_hold_no_references() {
        let text = "/* url(a.png) */ @namespace svg url(http://www.w3.org/2000/svg);\n\
                    @namespace x url(local-name);\n\
                    .a::after{content:\"url(b.png)\"}\n\
                    .b{font-family:'c.png'}\n\
                    .c{background:image-set('d.png' 1x)}";
        assert_eq!(urls(text), ["d.png"]);
    }

    #[test]
    fn positions_are_one_based() {
        let found = &scan("\n\n.a {\n  background: url(x.png);\n}").unwrap().refs[0];
        assert_eq!((found.line, found.column), (4, 15));
    }

    #[test]
    fn a_malformed_token_anywhere_gives_no_scan() {
        for text in [
            ".a { color: red; }\n.b] { color: blue; }\n",
            ".a{}\n}",
            ".a{color:red)}",
            ".a{background:url(a b.png)}",
            ".a{content:\"x\ny\"}",
            "@font-face{src:url(\"a\n.woff2\")}",
        ] {
            assert!(scan(text).is_none(), "{text}");
        }
    }

    #[test]
    fn the_last_map_comment_is_reported() {
        let text = ".a{}/*# sourceMappingURL=old.map */\n.b{}/*# sourceMappingURL=app.css.map */\n";
        let comment = scan(text).unwrap().map_comment.unwrap();
        assert_eq!(comment.url, "app.css.map");
        assert_eq!(&text[comment.url_span], "app.css.map");
        assert_eq!(&text[comment.span], "/*# sourceMappingURL=app.css.map */");
    }
}
