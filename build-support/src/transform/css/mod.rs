//! CSS: find and rewrite `url()` and `@import` references, lower for the targets, minify.
//!
//! Two paths find the same references:
//! - [`as_written`] (unminified builds, unless `parse_unminified`): a lexer finds them
//!   ([`lex`]; cssparser's tokenizer, [`scan`], where the lexer is unsure) and their hashed
//!   names are spliced into the text as written.
//! - this module (minified builds, inlined imports, or lowering asked for): lightningcss
//!   parses every `url()` (in declarations, `@font-face` `src` lists, `image-set()`, custom
//!   properties) and every `@import`, lowers and prefixes for the targets and prints the
//!   stylesheet back, minified or readable, with a source map whenever positions change in a
//!   way a debugger would notice. Comments never reach the visitor.
//!
//! A Sass entry is compiled to CSS first ([`sass`]), a Tailwind entry built by the user's CLI
//! ([`tailwind`]); then each takes the same paths.

pub(super) mod as_written;
mod inline;
mod lex;
mod sass;
pub(crate) mod scan;
mod tailwind;

use std::convert::Infallible;
use std::path::Path;

use lightningcss::bundler::Bundler;
use lightningcss::rules::CssRule;
use lightningcss::stylesheet::{MinifyOptions, ParserOptions, PrinterOptions, StyleSheet};
use lightningcss::values::url::Url;
use lightningcss::visitor::{Visit, VisitTypes, Visitor};
use parcel_sourcemap::SourceMap;

use crate::error::Diagnostic;
use crate::reference::{Ref, Resolver, Syntax, relative_path};
use crate::transform::TransformOptions;
use crate::transform::input::{Input, Transformed};
use crate::transform::nesting;
use crate::transform::sourcemap;

/// Parses, rewrites and prints one stylesheet.
pub(crate) fn transform(input: &Input, text: &str) -> Result<Transformed, Diagnostic> {
    if input.options.css_as_written() {
        return as_written::transform(input, text);
    }
    reprint(input, text)
}

/// Compiles one Sass entry to CSS, then rewrites it (its `url()`s relative to the entry) and
/// minifies it as a stylesheet. Its map is dropped: it would lead to the compiled CSS, which
/// is nowhere, not to the Sass (grass makes no source maps).
pub(crate) fn transform_sass(input: &Input, text: &str) -> Result<Transformed, Diagnostic> {
    let compiled = sass::compile(input, text)?;
    let mut out = transform_compiled(input, &compiled.css)?;
    out.reads.extend(compiled.reads);
    out.warnings.extend(compiled.warnings);
    Ok(out)
}

/// Builds one Tailwind CSS entry with the user's CLI, then rewrites and minifies the output
/// as a stylesheet.
pub(crate) fn transform_tailwind(input: &Input) -> Result<Transformed, Diagnostic> {
    let css = tailwind::build(input)?;
    transform_compiled(input, &css)
}

/// A stylesheet that a compiler made from `input`, rewritten and minified. The compiler has
/// joined what it imports; a plain CSS `@import` left in `css` stays a reference (the bundler
/// would read the source, not `css`). No map: it would lead to `css`, which is nowhere.
fn transform_compiled(input: &Input, css: &str) -> Result<Transformed, Diagnostic> {
    let options = TransformOptions {
        inline_css_imports: false,
        ..input.options.clone()
    };
    let css_input = Input {
        options: &options,
        ..*input
    };
    let mut out = transform(&css_input, css)?.filled(css.as_bytes());
    out.map = None;
    Ok(out)
}

/// The lightningcss path: parse, rewrite, lower and minify, print.
fn reprint(input: &Input, text: &str) -> Result<Transformed, Diagnostic> {
    // Declared first so it outlives the parser options and style sheet that borrow it.
    let provider;
    let options = ParserOptions {
        filename: input.source_name(),
        ..ParserOptions::default()
    };
    let mut reads = Vec::new();
    let (mut sheet, refs) = if input.options.inline_css_imports {
        let prepared = inline::prepare(input, text)?;
        provider = prepared.provider;
        reads = prepared.reads;
        let refs = prepared.refs;
        let mut bundler = Bundler::new(&provider, None, options);
        let sheet = bundler.bundle(Path::new(input.logical)).map_err(|e| {
            let at = e.loc.as_ref().map(|l| (l.line + 1, l.column));
            error(input, e.kind.to_string(), at)
        })?;
        (sheet, refs)
    } else {
        let mut sheet = StyleSheet::parse(text, options).map_err(|e| {
            let at = e.loc.as_ref().map(|l| (l.line + 1, l.column));
            error(input, e.kind.to_string(), at)
        })?;
        let resolver = input.resolver();
        let mut rewriter = Rewriter {
            resolver: &resolver,
            refs: Vec::new(),
            import_at: None,
        };
        let _ = sheet.visit(&mut rewriter);
        if let (true, Some(at)) = (input.part, rewriter.import_at) {
            return Err(import_in_part(input, at));
        }
        (sheet, rewriter.refs)
    };
    let mut out = Transformed {
        refs,
        reads,
        ..Transformed::default()
    };
    let source_maps = input.options.source_maps;
    let input_map = map_comment(text)
        .filter(|_| source_maps)
        .and_then(|(url, line, column)| input.input_map(url, line, column, &mut out));
    let targets = input.options.targets.css;
    // lightningcss adds prefixes and lowers syntax for the targets in its `minify` pass: it runs
    // on every stylesheet this path takes, minified or not (`parse_unminified`). Only the
    // printing below differs (compact or readable).
    sheet
        .minify(MinifyOptions {
            targets,
            ..MinifyOptions::default()
        })
        .map_err(|e| {
            let at = e.loc.as_ref().map(|l| (l.line + 1, l.column));
            error(input, e.kind.to_string(), at)
        })?;
    // Printing moves things around even without minifying, so with source maps on a map is made
    // whenever the file is minified or already had one.
    // Sources are named relative to the output; an inlined import is one source more.
    if input.options.inline_css_imports {
        // The bundler names sources by the logical paths it was given.
        let location = input.location;
        sheet.sources = sheet
            .sources
            .iter()
            .map(|s| relative_path(location, s))
            .collect();
    }
    let mut map = (source_maps && (input.options.minify || input_map.is_some())).then(|| {
        let mut map = SourceMap::new("/");
        for (i, source) in sheet.sources.iter().enumerate() {
            let index = map.add_source(source);
            let content = match i {
                0 => text.to_string(),
                _ => provider_text(input, source),
            };
            let _ = map.set_source_content(index as usize, &content);
        }
        map
    });
    let printed = sheet
        .to_css(PrinterOptions {
            minify: input.options.minify,
            source_map: map.as_mut(),
            targets,
            ..PrinterOptions::default()
        })
        .map_err(|e| {
            let at = e.loc.as_ref().map(|l| (l.line + 1, l.column));
            error(input, e.kind.to_string(), at)
        })?;
    out.bytes = printed.code.into_bytes();
    if let Some(map) = map {
        let chained = input_map
            .as_ref()
            .and_then(|m| Some((m, m.json.as_deref()?)))
            .map(|(m, json)| (m, sourcemap::finish(map.clone(), Some(json))));
        let json = match chained {
            Some((_, Ok(json))) => Ok(json),
            Some((m, Err(why))) => {
                out.warnings.push(m.ignored(input.display, &why));
                sourcemap::finish(map, None)
            }
            None => sourcemap::finish(map, None),
        }
        .map_err(|e| error(input, format!("source map: {e}"), None))?;
        out.map = Some(json);
    }
    Ok(out)
}

/// A bundle input with an `@import` at `at`.
fn import_in_part(input: &Input, at: (u32, u32)) -> Diagnostic {
    let message = "bundle inputs cannot use @import (it would land mid-file, where browsers \
                   ignore it); enable inline_css_imports or list the imported file in the bundle";
    error(input, message.to_string(), Some(at))
}

fn error(input: &Input, message: String, at: Option<(u32, u32)>) -> Diagnostic {
    let diagnostic = Diagnostic::new(input.display, message);
    match at {
        Some((line, column)) => diagnostic.at(line, column),
        None => diagnostic,
    }
}

/// The URL and position of the last `sourceMappingURL` comment. lightningcss records the URL
/// but not its position, and only after exactly one space (`/*# sourceMappingURL=`), while
/// browsers also accept `@`, a tab or no space at all.
fn map_comment(text: &str) -> Option<(&str, u32, u32)> {
    let (offset, url) = nesting::css_comments(text)
        .into_iter()
        .rev()
        .find_map(|range| {
            let body = &text[range.clone()];
            let url = sourcemap::comment_url(body)?;
            Some((range.start + body.find(url)?, url))
        })?;
    let (line, column) = crate::transform::position::LineIndex::new(text).position(offset);
    Some((url, line, column))
}

/// The original text of an inlined stylesheet, by its name relative to the output.
fn provider_text(input: &Input, relative: &str) -> String {
    let dir = input.location.rsplit_once('/').map_or("", |(d, _)| d);
    let logical = if dir.is_empty() {
        relative.to_string()
    } else {
        format!("{dir}/{relative}")
    };
    let logical = crate::reference::normalize_path(&logical);
    input
        .files
        .get(&logical)
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .unwrap_or_default()
}

/// Rewrites local `url()` and `@import` references to their marker URLs.
struct Rewriter<'r> {
    resolver: &'r Resolver<'r>,
    refs: Vec<Ref>,
    /// Where the first `@import` is, if any.
    import_at: Option<(u32, u32)>,
}

impl Rewriter<'_> {
    fn rewrite(&mut self, url: &str, line: u32, column: u32) -> Option<String> {
        let r = self.resolver.resolve(url, Syntax::Url, line, column)?;
        let marker_url = r.marker_url.clone();
        self.refs.push(r);
        Some(marker_url)
    }
}

impl<'i> Visitor<'i> for Rewriter<'_> {
    type Error = Infallible;

    fn visit_types(&self) -> VisitTypes {
        // Every type: lightningcss skips the children of types not asked for, and URLs hide
        // inside images, image sets, font sources and token lists.
        VisitTypes::all()
    }

    fn visit_url(&mut self, url: &mut Url<'i>) -> Result<(), Infallible> {
        // `Url::loc` is 1-based (unlike rule locations, which count lines from 0).
        if let Some(new) = self.rewrite(&url.url, url.loc.line, url.loc.column) {
            url.url = new.into();
        }
        Ok(())
    }

    fn visit_rule(&mut self, rule: &mut CssRule<'i>) -> Result<(), Infallible> {
        if let CssRule::Import(import) = rule {
            let (line, column) = (import.loc.line + 1, import.loc.column);
            self.import_at.get_or_insert((line, column));
            if let Some(new) = self.rewrite(&import.url, line, column) {
                import.url = new.into();
            }
        }
        rule.visit_children(self)
    }
}

#[cfg(test)]
mod tests;
