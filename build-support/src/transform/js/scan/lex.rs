//! The lexer of [`scan`](super): words, strings, templates, regular expressions and
//! punctuation, with comments skipped (the last `sourceMappingURL` one kept). Whether a `/`
//! starts a regular expression or divides is told from the token before it.

use crate::transform::nesting::{
    JS_MAX, KEYWORDS_BEFORE_EXPRESSION, css_comment_end, is_word, line_end, regex_end, string_end,
    template_end,
};
use crate::transform::splice::MapComment;

/// A token: its kind and bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    Word,
    /// A quoted string.
    Str,
    /// A template without substitutions.
    Template,
    /// The start of a template with substitutions (its parts are not tokens).
    TemplateHead,
    Regex,
    /// One byte of punctuation.
    Punct(u8),
    /// A `}` that closes a block or a `)` that closes the condition of `if`, `while`, `for`
    /// or `with`: a statement follows, so a `/` after it starts a regular expression.
    EndOfStatement(u8),
}

impl Kind {
    pub fn opens(self) -> bool {
        matches!(self, Kind::Punct(b'(' | b'[' | b'{'))
    }

    pub fn closes(self) -> bool {
        matches!(
            self,
            Kind::Punct(b')' | b']' | b'}') | Kind::EndOfStatement(_)
        )
    }
}

/// Offsets are 32-bit: a token takes 12 bytes, and a script of many short tokens needs a list
/// that is a few times its own size.
#[derive(Clone, Copy, Debug)]
pub(super) struct Token {
    pub kind: Kind,
    start: u32,
    end: u32,
}

impl Token {
    fn new(kind: Kind, start: usize, end: usize) -> Token {
        // `lex` reads no text of 4 GiB or more.
        Token {
            kind,
            start: start as u32,
            end: end as u32,
        }
    }

    pub fn start(&self) -> usize {
        self.start as usize
    }

    pub fn end(&self) -> usize {
        self.end as usize
    }
}

/// What a `{` or `(` opened.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Open {
    /// A block: a `/` after its `}` starts a regular expression.
    Block,
    /// An object literal, or any other expression in braces.
    Object,
    /// A template substitution `${`: its `}` continues the template.
    Substitution,
    /// `(` after `if`, `while`, `for` or `with`: a `/` after its `)` starts a regular expression.
    Condition,
    Paren,
    Bracket,
}

/// What [`lex`] finds.
pub(super) struct Lexed {
    pub tokens: Vec<Token>,
    /// The indices of the words `import`, `export` and `new`: where a pattern may start.
    pub keywords: Vec<usize>,
    pub map_comment: Option<MapComment>,
}

/// The tokens of `text` and its last `sourceMappingURL` comment; `None` for a text of 4 GiB
/// or more, whose offsets a token cannot hold.
pub(super) fn lex(text: &str) -> Option<Lexed> {
    u32::try_from(text.len()).ok()?;
    let bytes = text.as_bytes();
    let mut tokens: Vec<Token> = Vec::with_capacity(text.len() / 4);
    let mut keywords = Vec::new();
    let mut stack: Vec<Open> = Vec::new();
    let mut map_comment = None;
    let mut i = 0;
    if bytes.starts_with(b"#!") {
        i = line_end(bytes, 0);
    }
    while i < bytes.len() {
        let b = bytes[i];
        let start = i;
        let kind = match b {
            b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c => {
                // A run of blanks at once: indentation is most of them.
                i += 1;
                while i < bytes.len() && matches!(bytes[i], b' ' | b'\t' | b'\n' | b'\r') {
                    i += 1;
                }
                continue;
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                i = line_end(bytes, i);
                map_comment = MapComment::find(text, start + 2..i, start..i).or(map_comment);
                continue;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i = css_comment_end(bytes, i);
                if !bytes[..i].ends_with(b"*/") || i < start + 4 {
                    return None;
                }
                map_comment = MapComment::find(text, start + 2..i - 2, start..i).or(map_comment);
                continue;
            }
            b'/' if regex_allowed(text, &tokens) => {
                i = regex_end(bytes, i);
                if bytes.get(i - 1) != Some(&b'/') || i == start + 1 {
                    return None;
                }
                while i < bytes.len() && is_word(bytes[i]) {
                    i += 1;
                }
                Kind::Regex
            }
            b'"' | b'\'' => {
                i = string_end(bytes, i, b);
                if i == start + 1 || bytes.get(i - 1) != Some(&b) {
                    return None;
                }
                Kind::Str
            }
            b'`' => {
                let (end, substitution) = template_end(bytes, i + 1);
                i = end;
                if substitution {
                    push(&mut stack, Open::Substitution)?;
                    Kind::TemplateHead
                } else if bytes.get(i - 1) == Some(&b'`') && i > start + 1 {
                    Kind::Template
                } else {
                    return None;
                }
            }
            b'}' if stack.last() == Some(&Open::Substitution) => {
                stack.pop();
                let (end, substitution) = template_end(bytes, i + 1);
                i = end;
                if substitution {
                    stack.push(Open::Substitution);
                } else if bytes.get(i - 1) != Some(&b'`') {
                    return None;
                }
                // The template's middle or tail: a value, as far as a `/` after it goes.
                tokens.push(Token::new(Kind::TemplateHead, start, i));
                continue;
            }
            _ if is_word(b) => {
                while i < bytes.len() && is_word(bytes[i]) {
                    i += 1;
                }
                if matches!(&bytes[start..i], b"import" | b"export" | b"new") {
                    keywords.push(tokens.len());
                }
                Kind::Word
            }
            _ => {
                i += 1;
                match b {
                    b'{' => {
                        push(&mut stack, brace(text, &tokens))?;
                        Kind::Punct(b)
                    }
                    b'(' => {
                        push(&mut stack, paren(text, &tokens))?;
                        Kind::Punct(b)
                    }
                    b'[' => {
                        push(&mut stack, Open::Bracket)?;
                        Kind::Punct(b)
                    }
                    b'}' | b')' | b']' => {
                        let open = stack.pop()?;
                        let matches = match b {
                            b'}' => matches!(open, Open::Block | Open::Object),
                            b')' => matches!(open, Open::Condition | Open::Paren),
                            _ => open == Open::Bracket,
                        };
                        if !matches {
                            return None;
                        }
                        // What the bracket closed decides what a `/` after it does.
                        if matches!(open, Open::Block | Open::Condition) {
                            Kind::EndOfStatement(b)
                        } else {
                            Kind::Punct(b)
                        }
                    }
                    _ => Kind::Punct(b),
                }
            }
        };
        tokens.push(Token::new(kind, start, i));
    }
    stack.is_empty().then_some(Lexed {
        tokens,
        keywords,
        map_comment,
    })
}

/// Opens a level; `None` past [`JS_MAX`], deeper than the parsers follow: the parser's path
/// then reports where. (A `}` that resumes a template replaces its level, so it cannot go
/// deeper.)
fn push(stack: &mut Vec<Open>, open: Open) -> Option<()> {
    if stack.len() >= JS_MAX {
        return None;
    }
    stack.push(open);
    Some(())
}

/// The bytes of a token.
pub(super) fn word<'t>(text: &'t str, token: Option<&Token>) -> Option<&'t str> {
    token
        .filter(|t| t.kind == Kind::Word)
        .map(|t| &text[t.start()..t.end()])
}

/// What a `{` opens, from the token before it.
fn brace(text: &str, tokens: &[Token]) -> Open {
    let before = tokens.last();
    match before.map(|t| t.kind) {
        // `=> {` is a function body.
        Some(Kind::Punct(b'>')) if arrow(tokens) => Open::Block,
        Some(Kind::Punct(
            b'(' | b',' | b'[' | b'=' | b':' | b'?' | b'!' | b'&' | b'|' | b'^' | b'~' | b'+'
            | b'-' | b'*' | b'%' | b'<' | b'>',
        )) => Open::Object,
        Some(Kind::Word)
            if KEYWORDS_BEFORE_EXPRESSION.contains(&word(text, before).unwrap_or("")) =>
        {
            Open::Object
        }
        Some(Kind::TemplateHead) => Open::Object,
        _ => Open::Block,
    }
}

/// Whether the last two tokens are `=>`.
fn arrow(tokens: &[Token]) -> bool {
    match tokens {
        [.., a, b] => a.kind == Kind::Punct(b'=') && a.end == b.start,
        _ => false,
    }
}

/// What a `(` opens, from the token before it.
fn paren(text: &str, tokens: &[Token]) -> Open {
    match word(text, tokens.last()) {
        Some("if" | "while" | "for" | "with") => Open::Condition,
        _ => Open::Paren,
    }
}

/// Whether a `/` here starts a regular expression rather than dividing.
fn regex_allowed(text: &str, tokens: &[Token]) -> bool {
    let Some(last) = tokens.last() else {
        return true;
    };
    match last.kind {
        Kind::Word => KEYWORDS_BEFORE_EXPRESSION.contains(&&text[last.start()..last.end()]),
        Kind::Str | Kind::Template | Kind::TemplateHead | Kind::Regex => false,
        Kind::Punct(b')' | b']' | b'}') => false,
        // `a++ / b`: a postfix increment ends a value.
        Kind::Punct(b @ (b'+' | b'-')) => !postfix(tokens, b),
        Kind::Punct(_) | Kind::EndOfStatement(_) => true,
    }
}

/// Whether the last two tokens are a postfix `++` or `--` (after a value).
fn postfix(tokens: &[Token], b: u8) -> bool {
    match tokens {
        [.., value, first, second] => {
            first.kind == Kind::Punct(b)
                && first.end == second.start
                && matches!(
                    value.kind,
                    Kind::Word | Kind::Punct(b')' | b']') | Kind::Str | Kind::Template
                )
        }
        _ => false,
    }
}
