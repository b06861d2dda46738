//! JavaScript: find and rewrite references, minify.
//!
//! Two paths find the same references:
//! - [`as_written`] (unminified builds, unless `parse_unminified`): a lexer finds them
//!   ([`scan`]) and their hashed names are spliced into the text as written.
//! - this module: oxc parses the file (reporting syntax errors), finds them in the AST and,
//!   when minifying, hands the AST to [`minify`]; unminified, it splices as well.
//!
//! `.mjs` is parsed as a module; `.js` as a module when it has `import`/`export` syntax and as a
//! classic script otherwise (UMD bundles like jquery), which keeps top-level names global.
//! TypeScript ([`typescript`]) is parsed the same way, compiled to JavaScript, then goes the
//! parser's path, printed by oxc's code generator even when not minified.
//! Rewritten: static `import`/`export ... from`, `import("literal")` and
//! `new URL("literal", import.meta.url)` naming a local asset, and `sourceMappingURL`.

use oxc::allocator::Allocator;
use oxc::ast::ast::Program;
use oxc::ast_visit::VisitMut;
use oxc::codegen::{Codegen, CodegenOptions};
use oxc::parser::Parser;
use oxc::span::{SourceType, Span};

use crate::error::Diagnostic;
use crate::transform::input::{Input, InputMap, Transformed};
use crate::transform::nesting;
use crate::transform::position::LineIndex;
use crate::transform::sourcemap;
use crate::transform::splice::{self, Edit};

mod as_written;
mod depth;
mod dynamic;
mod finder;
use finder::Finder;
mod minify;
mod typescript;
#[cfg(feature = "benchmarking")]
pub use minify::minify_alone;
pub(crate) mod scan;

/// Rewrites one JS file: kept as written when not minified (the lexer's path, unless the
/// lexer is unsure of the file or `parse_unminified` asks for oxc), else parsed and minified.
pub(crate) fn transform(input: &Input, text: &str) -> Result<Transformed, Diagnostic> {
    if input.options.js_as_written() {
        if let Some(result) = as_written::transform(input, text) {
            return result;
        }
        // The dispatcher left the depth to the lexer, which handed this text over.
        nesting::check_js(input.display, text)?;
    }
    parse(input, text)
}

/// A bundle input with module syntax.
fn module_in_part(input: &Input) -> Diagnostic {
    Diagnostic::new(
        input.display,
        "has import/export syntax: bundles join classic scripts; load ES modules with \
         <script type=\"module\"> and let them import each other instead",
    )
}

/// Compiles one TypeScript module to JavaScript, then rewrites and (when
/// `input.options.minify`) minifies it as the parser's path does.
pub(crate) fn transform_typescript(input: &Input, text: &str) -> Result<Transformed, Diagnostic> {
    parse_as(input, text, true)
}

/// The parser's path: parse, rewrite and (when `input.options.minify`) minify.
fn parse(input: &Input, text: &str) -> Result<Transformed, Diagnostic> {
    parse_as(input, text, false)
}

/// [`parse`], of a TypeScript module when `typescript`.
fn parse_as(input: &Input, text: &str, typescript: bool) -> Result<Transformed, Diagnostic> {
    let allocator = Allocator::default();
    let source_type = match typescript {
        true => typescript::source_type(input.logical),
        false => source_type(input.logical),
    };
    let parsed = Parser::new(&allocator, text, source_type).parse();
    let lines = LineIndex::new(text);
    if parsed.panicked || parsed.diagnostics.has_errors() {
        return Err(syntax_error(input, &lines, &parsed.diagnostics));
    }
    let mut program = parsed.program;
    if typescript {
        typescript::compile(input, &allocator, &mut program, &lines)?;
    }
    let resolver = input.resolver();
    let mut finder = Finder {
        allocator: &allocator,
        resolver: &resolver,
        lines: &lines,
        text,
        // A compiled module is printed from its tree, so its references change there.
        rewrite: input.options.minify || typescript,
        typescript: typescript.then(|| typescript::Lookup {
            resolver: &resolver,
            files: input.files,
            reads: Vec::new(),
        }),
        import_map: input.options.import_map_mode,
        static_import: false,
        found: Vec::new(),
        non_literal: Vec::new(),
        depth: depth::Guard::new(depth::MAX),
    };
    // One walk finds the references and checks the depth the minifier and printer recurse to.
    finder.visit_program(&mut program);
    if let Some(span) = finder.depth.found {
        let (line, column) = lines.position(span.start as usize);
        return Err(Diagnostic::new(input.display, nesting::message(depth::MAX)).at(line, column));
    }
    if input.part && program.source_type.is_module() {
        return Err(module_in_part(input));
    }
    let found = finder.found;
    let reads = finder.typescript.map(|t| t.reads).unwrap_or_default();
    let non_literal = dynamic::report(input, finder.non_literal)?;
    let map_comment = find_map_comment(&program, text);
    let mut out = Transformed {
        refs: found.iter().map(|(_, r)| r.clone()).collect(),
        warnings: non_literal,
        reads,
        ..Transformed::default()
    };
    // A minified file without a map of its own has no use for the map it came with.
    let chains_map = !input.options.minify || input.options.source_maps;
    let input_map = map_comment
        .as_ref()
        .filter(|_| chains_map)
        .and_then(|c| input.input_map(&c.url, c.line, c.column, &mut out));
    if input.options.minify || typescript {
        let source_name = input.options.source_maps.then(|| input.source_name());
        let (code, map) = if input.options.minify {
            minify::minify(
                &allocator,
                &mut program,
                &input.options.targets,
                source_name,
            )
        } else {
            // The map comment the source carried names the source's map, not this output's.
            if let Some(comment) = &map_comment {
                program.comments.retain(|c| c.span != comment.span);
            }
            print(&program, source_name)
        };
        out.bytes = code.into_bytes();
        out.map = map
            .map(|map| chain_or_warn(input, &map, input_map.as_ref(), &mut out.warnings))
            .transpose()
            .map_err(|e| Diagnostic::new(input.display, format!("source map: {e}")))?;
    } else {
        // Keep the file as written; only the reference strings change.
        let mut edits: Vec<Edit> = found
            .into_iter()
            .filter(|(_, r)| !r.via_map)
            .map(|(span, r)| (range(span), r.marker_url))
            .collect();
        if let Some(comment) = map_comment {
            let (whole, url) = (range(comment.span), range(comment.url_span));
            let map = input_map.map(|map| map.reference);
            splice::relink_map_comment(input, whole, url, map, &mut out, &mut edits);
        }
        out.bytes = splice::apply(text, edits).into_bytes();
    }
    Ok(out)
}

/// The program printed as it is (not minified, comments kept) and, given the name sources
/// are listed under, its source map.
fn print(program: &Program, source_name: Option<String>) -> (String, Option<String>) {
    let options = CodegenOptions {
        source_map_path: source_name.map(Into::into),
        ..CodegenOptions::default()
    };
    let printed = Codegen::new().with_options(options).build(program);
    (printed.code, printed.map.map(|m| m.to_json_string()))
}

/// The minifier's map chained through the input map; when chaining fails, a warning and the
/// map alone.
fn chain_or_warn(
    input: &Input,
    map: &str,
    input_map: Option<&InputMap>,
    warnings: &mut Vec<Diagnostic>,
) -> Result<String, String> {
    let Some((input_map, json)) = input_map.and_then(|m| Some((m, m.json.as_deref()?))) else {
        return sourcemap::chain(map, None);
    };
    sourcemap::chain(map, Some(json)).or_else(|why| {
        warnings.push(input_map.ignored(input.display, &why));
        sourcemap::chain(map, None)
    })
}

/// `.mjs` is a module; `.js` a module when it has module syntax, a classic script otherwise.
fn source_type(logical: &str) -> SourceType {
    if logical.ends_with(".mjs") {
        SourceType::mjs()
    } else {
        SourceType::unambiguous()
    }
}

/// A `//# sourceMappingURL=<url>` comment.
struct MapComment {
    /// The whole comment.
    span: Span,
    /// The URL inside it.
    url_span: Span,
    url: String,
    line: u32,
    column: u32,
}

fn find_map_comment(program: &Program, text: &str) -> Option<MapComment> {
    let lines = LineIndex::new(text);
    program.comments.iter().rev().find_map(|comment| {
        let content = comment.content_span();
        let body = &text[content.start as usize..content.end as usize];
        let url = sourcemap::comment_url(body)?;
        let offset = body.find(url)? as u32 + content.start;
        let (line, column) = lines.position(offset as usize);
        Some(MapComment {
            span: comment.span,
            url_span: Span::new(offset, offset + url.len() as u32),
            url: url.to_string(),
            line,
            column,
        })
    })
}

/// The byte range of a span.
fn range(span: Span) -> std::ops::Range<usize> {
    span.start as usize..span.end as usize
}

fn syntax_error(
    input: &Input,
    lines: &LineIndex,
    diagnostics: &oxc::diagnostics::Diagnostics,
) -> Diagnostic {
    let first = diagnostics.errors().next();
    let message = first.map_or_else(|| "cannot parse".to_string(), |d| d.message.to_string());
    let offset = first
        .and_then(|d| d.labels.first())
        .map_or(0, |label| label.offset());
    let (line, column) = lines.position(offset as usize);
    Diagnostic::new(input.display, message).at(line, column)
}

#[cfg(test)]
mod tests;
