//! The build-time check of runtime templates: every literal asset name a template passes to
//! assetlock's template functions must be an asset of this build, exactly as `asset_url!`
//! checks names in Rust code.
//!
//! Templates are read with minijinja's own lexer, so names inside `{% raw %}` blocks,
//! comments and plain text are not mistaken for calls. Both forms are checked:
//! `{{ asset_url("css/app.css") }}` and `{{ "css/app.css" | asset_url }}`. A name built at run
//! time (`asset_url(theme ~ ".css")`) cannot be checked here; it fails when rendered.

use std::collections::BTreeSet;
use std::path::Path;

use minijinja::machinery::{Span, Token, Tokenizer};
use minijinja::syntax::SyntaxConfig;
use walkdir::WalkDir;

use crate::error::Diagnostic;
use crate::settings::Settings;

/// The template functions (and filters) whose first argument is an asset's logical path: the
/// names `assetlock::minijinja` registers.
pub(crate) const FUNCTIONS: &[&str] = &[
    "asset_url",
    "asset_integrity",
    "stylesheet",
    "module_script",
    "script",
    "modulepreload",
    "preload",
    "asset_picture",
    "asset_img",
    "image_preload",
];

/// Checks every file under the template dirs against `known` logical paths.
pub(crate) fn check(settings: &Settings, known: &BTreeSet<&str>) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for dir in &settings.template_dirs {
        let display_dir = settings.display(dir);
        if !dir.is_dir() {
            problems.push(Diagnostic::new(display_dir, "template dir not found"));
            continue;
        }
        for entry in WalkDir::new(dir).sort_by_file_name() {
            let entry = match entry {
                Ok(entry) if entry.file_type().is_file() => entry,
                Ok(_) => continue,
                Err(e) => {
                    problems.push(
                        Diagnostic::new(&display_dir, "cannot read template dir").caused_by(e),
                    );
                    continue;
                }
            };
            let display = settings.display(entry.path());
            problems.extend(check_file(entry.path(), &display, known));
        }
    }
    problems
}

fn check_file(path: &Path, display: &str, known: &BTreeSet<&str>) -> Vec<Diagnostic> {
    let text = match std::fs::read(path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(_) => return vec![Diagnostic::new(display, "template is not valid UTF-8")],
        },
        Err(e) => return vec![Diagnostic::new(display, "cannot read template").caused_by(e)],
    };
    match asset_names(&text) {
        Ok(names) => names
            .into_iter()
            .filter(|name| !known.contains(name.text.as_str()))
            .map(|name| {
                Diagnostic::new(
                    display,
                    assetlock_contract::unknown_asset(&name.text, known.iter().copied()),
                )
                .at(name.line, name.column)
            })
            .collect(),
        Err((message, line, column)) => vec![
            Diagnostic::new(display, format!("template does not parse: {message}"))
                .at(line, column),
        ],
    }
}

/// A literal asset name found in a template, with its 1-based position.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Name {
    pub text: String,
    pub line: u32,
    pub column: u32,
}

/// The literal names a template passes to [`FUNCTIONS`], as a call's first argument or as the
/// value a filter is applied to; or the lexer's error and its position.
pub(crate) fn asset_names(text: &str) -> Result<Vec<Name>, (String, u32, u32)> {
    let mut tokenizer = Tokenizer::new(text, "template", false, SyntaxConfig::default());
    // The last five tokens, oldest first: enough to see `f ( "x" )` not preceded by `.`, and
    // `"x" | f`.
    let mut window: Vec<(Token<'_>, Span)> = Vec::with_capacity(6);
    let mut names = Vec::new();
    loop {
        let next = match tokenizer.next_token() {
            Ok(Some(next)) => next,
            Ok(None) => break,
            Err(e) => {
                let line = e.line().unwrap_or(1) as u32;
                return Err((e.detail().unwrap_or("syntax error").to_string(), line, 1));
            }
        };
        if window.len() == 5 {
            window.remove(0);
        }
        window.push(next);
        if let Some((text, span)) = call(&window).or_else(|| filter(&window)) {
            names.push(Name {
                text: text.to_string(),
                line: u32::from(span.start_line),
                column: u32::from(span.start_col) + 1,
            });
        }
    }
    Ok(names)
}

/// `f("x")` or `f("x", ...)` at the end of `window`, `f` one of ours and not a method.
fn call<'a>(window: &'a [(Token<'_>, Span)]) -> Option<(&'a str, &'a Span)> {
    let n = window.len();
    let [
        (Token::Ident(f), _),
        (Token::ParenOpen, _),
        (literal, span),
        (end, _),
    ] = window.get(n.checked_sub(4)?..)?
    else {
        return None;
    };
    let method = n == 5 && matches!(window[0].0, Token::Dot);
    let whole = matches!(end, Token::ParenClose | Token::Comma);
    (FUNCTIONS.contains(f) && whole && !method).then_some((string(literal)?, span))
}

/// `"x" | f` at the end of `window`, `f` one of ours.
fn filter<'a>(window: &'a [(Token<'_>, Span)]) -> Option<(&'a str, &'a Span)> {
    let n = window.len();
    let [(literal, span), (Token::Pipe, _), (Token::Ident(f), _)] =
        window.get(n.checked_sub(3)?..)?
    else {
        return None;
    };
    FUNCTIONS.contains(f).then_some((string(literal)?, span))
}

fn string<'a>(token: &'a Token<'_>) -> Option<&'a str> {
    match token {
        Token::Str(s) => Some(s),
        Token::String(s) => Some(s),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str) -> Vec<(String, u32, u32)> {
        asset_names(text)
            .unwrap()
            .into_iter()
            .map(|n| (n.text, n.line, n.column))
            .collect()
    }

    #[test]
    fn calls_and_filters_with_literal_names_are_found_with_their_position() {
        let text = "<head>\n  {{ stylesheet(\"css/app.css\") }}\n  \
                    <script src=\"{{ 'js/app.js' | asset_url }}\"></script>\n\
                    {% set x = asset_integrity('js/app.js') %}\n";
        assert_eq!(
            names(text),
            [
                ("css/app.css".to_string(), 2, 17),
                ("js/app.js".to_string(), 3, 19),
                ("js/app.js".to_string(), 4, 28),
            ]
        );
    }

    #[test]
    fn text_comments_raw_blocks_and_other_functions_are_not_calls() {
        let text = "asset_url(\"a.css\")\n{# {{ asset_url('b.css') }} #}\n\
                    {% raw %}{{ asset_url('c.css') }}{% endraw %}\n\
                    {{ url_for('d.css') }} {{ asset_url(name) }} {{ asset_url(\"e\" ~ x) }}\n\
                    {{ helpers.asset_url('f.css') }} {{ asset_url('g.css', integrity=true) }}";
        assert_eq!(names(text), [("g.css".to_string(), 5, 47)]);
    }

    #[test]
    fn a_template_that_does_not_lex_is_an_error_not_a_panic() {
        assert!(asset_names("{{ asset_url(\"unterminated) }}").is_err());
    }
}
