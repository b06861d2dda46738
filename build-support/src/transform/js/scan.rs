//! References in a script as written, found by a lexer: the unminified path, which splices
//! hashed names into the original bytes instead of building oxc's AST.
//!
//! The lexer splits the text into words, strings, templates, regular expressions and
//! punctuation, skipping comments (the last `sourceMappingURL` one is kept). Whether a `/`
//! starts a regular expression or divides is told from the token before it, as
//! es-module-lexer does: after a value (a name, a literal, `)` of a call, `]`, `}` of an
//! object) it divides; after an operator, a keyword such as `return`, or the `)` of
//! `if (...)`, it starts a regular expression.
//!
//! Found on the tokens: `import "x"`, `import ... from "x"`, `export ... from "x"`,
//! `import("x")` (and `import(expr)` that is no literal), and `new URL("x", import.meta.url)`;
//! `import`/`export` that are property names are not. Any doubt gives no scan and the caller
//! falls back to oxc's parser: an unterminated string, template, comment or regular
//! expression, unbalanced brackets, or a reference string with an escape in it.

use std::ops::Range;

mod lex;

use lex::{Kind, Lexed, Token, lex, word};

use crate::reference::Syntax;
use crate::transform::splice::MapComment;

/// A reference found in the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Found {
    /// The string as written, without its quotes (it holds no escape).
    pub value: String,
    /// The bytes of the string between its quotes: what a hashed name replaces.
    pub span: Range<usize>,
    /// Where the literal starts (its quote), for positions.
    pub at: usize,
    pub syntax: Syntax,
    /// A static `import`/`export ... from`.
    pub static_import: bool,
}

/// What a scan finds.
#[derive(Debug, Default)]
pub(crate) struct Scan {
    pub refs: Vec<Found>,
    /// The argument of each `import(...)` that is not a literal.
    pub non_literal: Vec<Range<usize>>,
    /// Module syntax: `import`/`export` statements or `import.meta`.
    pub module: bool,
    pub map_comment: Option<MapComment>,
}

/// Scans `text`; `None` when the lexer is unsure of it.
pub(crate) fn scan(text: &str) -> Option<Scan> {
    let Lexed {
        tokens,
        keywords,
        map_comment,
    } = lex(text)?;
    let mut scan = Scan {
        map_comment,
        ..Scan::default()
    };
    Patterns {
        text,
        tokens: &tokens,
        scan: &mut scan,
    }
    .find(&keywords)?;
    Some(scan)
}

/// The patterns that name modules and files, matched on the tokens.
struct Patterns<'s> {
    text: &'s str,
    tokens: &'s [Token],
    scan: &'s mut Scan,
}

impl Patterns<'_> {
    /// Matches the patterns at `keywords`, the indices of the words that start them.
    fn find(&mut self, keywords: &[usize]) -> Option<()> {
        for &i in keywords {
            let Some(name @ ("import" | "export" | "new")) = self.word(i) else {
                continue;
            };
            // A property: `a.import`, `{ import: 1 }`, `{ export() {} }` is no statement.
            let method = name == "export" && self.punct(i + 1) == Some(b'(');
            if method
                || self.punct(i.wrapping_sub(1)) == Some(b'.')
                || self.punct(i + 1) == Some(b':')
            {
                continue;
            }
            match name {
                "import" => self.import(i)?,
                "export" => self.export(i)?,
                _ => self.new_url(i)?,
            }
        }
        Some(())
    }

    fn token(&self, i: usize) -> Option<&Token> {
        self.tokens.get(i)
    }

    fn word(&self, i: usize) -> Option<&str> {
        word(self.text, self.token(i))
    }

    fn punct(&self, i: usize) -> Option<u8> {
        match self.token(i)?.kind {
            Kind::Punct(b) => Some(b),
            _ => None,
        }
    }

    fn is_literal(&self, i: usize) -> bool {
        matches!(
            self.token(i).map(|t| t.kind),
            Some(Kind::Str | Kind::Template)
        )
    }

    /// Records the string or template at `i`; `None` when it holds an escape.
    fn found(&mut self, i: usize, syntax: Syntax, static_import: bool) -> Option<()> {
        let token = *self.token(i)?;
        let span = token.start() + 1..token.end() - 1;
        let value = &self.text[span.clone()];
        if value.contains('\\') {
            return None;
        }
        self.scan.refs.push(Found {
            value: value.to_string(),
            span,
            at: token.start(),
            syntax,
            static_import,
        });
        Some(())
    }

    fn import(&mut self, i: usize) -> Option<()> {
        match self.punct(i + 1) {
            Some(b'(') => self.dynamic(i + 1),
            Some(b'.') => {
                // `import.meta`
                self.scan.module = true;
                Some(())
            }
            _ => {
                self.scan.module = true;
                if self.token(i + 1).map(|t| t.kind) == Some(Kind::Str) {
                    return self.found(i + 1, Syntax::Specifier, true);
                }
                self.from(i + 1)
            }
        }
    }

    fn export(&mut self, i: usize) -> Option<()> {
        self.scan.module = true;
        match self.punct(i + 1) {
            Some(b'*') => self.from(i + 2),
            Some(b'{') => {
                let close = self.matching(i + 1)?;
                if self.word(close + 1) == Some("from") {
                    self.from(close + 1)
                } else {
                    Some(())
                }
            }
            _ => Some(()),
        }
    }

    /// The specifier after the first `from` at this level from `i`, before a `;`.
    fn from(&mut self, mut i: usize) -> Option<()> {
        let mut depth = 0usize;
        while let Some(token) = self.token(i) {
            match token.kind {
                kind if kind.opens() => depth += 1,
                kind if kind.closes() => match depth.checked_sub(1) {
                    Some(less) => depth = less,
                    // The statement ended inside brackets it did not open.
                    None => return Some(()),
                },
                Kind::Punct(b';') if depth == 0 => return Some(()),
                Kind::Word
                    if depth == 0
                        && self.word(i) == Some("from")
                        && self.token(i + 1).map(|t| t.kind) == Some(Kind::Str) =>
                {
                    return self.found(i + 1, Syntax::Specifier, true);
                }
                _ => {}
            }
            i += 1;
        }
        Some(())
    }

    /// The index of the bracket that closes the one at `open`.
    fn matching(&self, open: usize) -> Option<usize> {
        let mut depth = 0usize;
        for (i, token) in self.tokens.iter().enumerate().skip(open) {
            if token.kind.opens() {
                depth += 1;
            } else if token.kind.closes() {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
        }
        None
    }

    /// `import(` at `open`: a literal argument is a reference, anything else is reported.
    fn dynamic(&mut self, open: usize) -> Option<()> {
        let close = self.matching(open)?;
        // The first argument: up to a `,` at this level.
        let mut end = open + 1;
        let mut depth = 0usize;
        while end < close {
            match self.tokens[end].kind {
                kind if kind.opens() => depth += 1,
                kind if kind.closes() => depth -= 1,
                Kind::Punct(b',') if depth == 0 => break,
                _ => {}
            }
            end += 1;
        }
        match end - (open + 1) {
            // `import()` is a method named `import`, not a call.
            0 => Some(()),
            1 if self.is_literal(open + 1) => self.found(open + 1, Syntax::Specifier, false),
            _ => {
                let range = self.tokens[open + 1].start()..self.tokens[end - 1].end();
                self.scan.non_literal.push(range);
                Some(())
            }
        }
    }

    /// `new URL(<literal>, import.meta.url)` at `i`.
    fn new_url(&mut self, i: usize) -> Option<()> {
        let shape = self.word(i + 1) == Some("URL")
            && self.punct(i + 2) == Some(b'(')
            && self.is_literal(i + 3)
            && self.punct(i + 4) == Some(b',')
            && self.word(i + 5) == Some("import")
            && self.punct(i + 6) == Some(b'.')
            && self.word(i + 7) == Some("meta")
            && self.punct(i + 8) == Some(b'.')
            && self.word(i + 9) == Some("url")
            && (self.punct(i + 10) == Some(b')')
                || (self.punct(i + 10) == Some(b',') && self.punct(i + 11) == Some(b')')));
        if shape {
            self.found(i + 3, Syntax::Url, false)?;
        }
        Some(())
    }
}

#[cfg(test)]
mod tests;
