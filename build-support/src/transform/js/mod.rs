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
use oxc::ast::AstType;
use oxc::ast::ast::{
    Argument, ExportAllDeclaration, ExportFromDeclaration, Expression, ImportDeclaration,
    ImportExpression, NewExpression, Program, Statement, StringLiteral, TemplateLiteral,
};
use oxc::ast_visit::{VisitMut, walk_mut};
use oxc::codegen::{Codegen, CodegenOptions};
use oxc::parser::Parser;
use oxc::span::{GetSpan, SourceType, Span};

use crate::error::Diagnostic;
use crate::reference::{Ref, Resolver, Syntax};
use crate::transform::input::{Input, InputMap, Transformed};
use crate::transform::nesting;
use crate::transform::position::LineIndex;
use crate::transform::sourcemap;
use crate::transform::splice::{self, Edit};

mod as_written;
mod depth;
mod dynamic;
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

/// Collects local references, rewriting their strings in the AST when asked to.
struct Finder<'a, 'r> {
    allocator: &'a Allocator,
    resolver: &'r Resolver<'r>,
    lines: &'r LineIndex<'r>,
    text: &'r str,
    rewrite: bool,
    /// In a TypeScript module: TypeScript's lookup, and what it read.
    typescript: Option<typescript::Lookup<'r>>,
    /// Module specifiers stay as written, for the page's import map to resolve.
    import_map: bool,
    /// Inside a static `import`/`export ... from`.
    static_import: bool,
    /// The span of each reference's string contents (without quotes), and the reference.
    found: Vec<(Span, Ref)>,
    /// `import(expr)` whose `expr` is not a literal: its position and text.
    non_literal: Vec<dynamic::NonLiteral>,
    depth: depth::Guard,
}

impl<'a> Finder<'a, '_> {
    /// Marks a reference found now, and whether it is left to the import map.
    fn classify(&self, mut r: Ref, syntax: Syntax) -> Ref {
        r.static_import = self.static_import;
        r.via_map = self.import_map && syntax == Syntax::Specifier;
        r
    }

    /// The reference `spec` makes, looked up as TypeScript does in a TypeScript module.
    fn resolve(&mut self, spec: &str, syntax: Syntax, line: u32, column: u32) -> Option<Ref> {
        match &mut self.typescript {
            Some(lookup) => lookup.resolve(spec, syntax, line, column),
            None => self.resolver.resolve(spec, syntax, line, column),
        }
    }

    /// The text a reference is rewritten to in the tree, if any: its hashed URL, or for one
    /// left to the import map, in a TypeScript module, the name its target is served under
    /// (`./x.ts` becomes `./x.js`, which the map lists).
    fn rewritten<'u>(&self, r: &'u Ref) -> Option<&'u str> {
        match r.via_map {
            false => self.rewrite.then_some(r.marker_url.as_str()),
            true => self.typescript.is_some().then_some(r.plain_url.as_str()),
        }
    }

    fn string(&mut self, literal: &mut StringLiteral<'a>, syntax: Syntax) {
        let (line, column) = self.lines.position(literal.span.start as usize);
        let Some(r) = self.resolve(literal.value.as_str(), syntax, line, column) else {
            return;
        };
        let r = self.classify(r, syntax);
        if let Some(url) = self.rewritten(&r) {
            literal.value = self.allocator.alloc_str(url).into();
            literal.raw = None;
        }
        let inner = Span::new(literal.span.start + 1, literal.span.end - 1);
        self.found.push((inner, r));
    }

    fn template(&mut self, template: &mut TemplateLiteral<'a>, syntax: Syntax) {
        if !template.expressions.is_empty() || template.quasis.len() != 1 {
            return;
        }
        let quasi = &mut template.quasis[0];
        let Some(cooked) = quasi.value.cooked else {
            return;
        };
        let (line, column) = self.lines.position(template.span.start as usize);
        let Some(r) = self.resolve(cooked.as_str(), syntax, line, column) else {
            return;
        };
        let r = self.classify(r, syntax);
        if let Some(url) = self.rewritten(&r) {
            let text: &'a str = self.allocator.alloc_str(url);
            quasi.value.raw = text.into();
            quasi.value.cooked = Some(text.into());
        }
        self.found.push((quasi.span, r));
    }

    fn expression(&mut self, expression: &mut Expression<'a>, syntax: Syntax) {
        match expression {
            Expression::StringLiteral(s) => self.string(s, syntax),
            Expression::TemplateLiteral(t) => self.template(t, syntax),
            _ => {}
        }
    }

    /// A static import or re-export: its specifier is a module the importer needs at once.
    fn static_specifier(&mut self, literal: &mut StringLiteral<'a>) {
        self.static_import = true;
        self.string(literal, Syntax::Specifier);
        self.static_import = false;
    }
}

impl<'a> VisitMut<'a> for Finder<'a, '_> {
    fn enter_node(&mut self, _: AstType) {
        self.depth.enter();
    }

    fn leave_node(&mut self, _: AstType) {
        self.depth.leave();
    }

    fn visit_expression(&mut self, it: &mut Expression<'a>) {
        if self.depth.descend(it.span()) {
            walk_mut::walk_expression(self, it);
        }
    }

    fn visit_statement(&mut self, it: &mut Statement<'a>) {
        if self.depth.descend(it.span()) {
            walk_mut::walk_statement(self, it);
        }
    }

    fn visit_import_declaration(&mut self, it: &mut ImportDeclaration<'a>) {
        self.static_specifier(&mut it.source);
    }

    fn visit_export_all_declaration(&mut self, it: &mut ExportAllDeclaration<'a>) {
        self.static_specifier(&mut it.source);
    }

    fn visit_export_from_declaration(&mut self, it: &mut ExportFromDeclaration<'a>) {
        self.static_specifier(&mut it.source);
    }

    fn visit_import_expression(&mut self, it: &mut ImportExpression<'a>) {
        if let Some(found) = dynamic::non_literal(&it.source, self.text, self.lines) {
            self.non_literal.push(found);
        }
        self.expression(&mut it.source, Syntax::Specifier);
        walk_mut::walk_import_expression(self, it);
    }

    fn visit_new_expression(&mut self, it: &mut NewExpression<'a>) {
        if is_url_of_this_module(it)
            && let Some(first) = it
                .arguments
                .first_mut()
                .and_then(Argument::as_expression_mut)
        {
            self.expression(first, Syntax::Url);
        }
        walk_mut::walk_new_expression(self, it);
    }
}

/// `new URL(<string>, import.meta.url)`.
fn is_url_of_this_module(new: &NewExpression) -> bool {
    let Expression::Identifier(callee) = &new.callee else {
        return false;
    };
    if callee.name != "URL" || new.arguments.len() != 2 {
        return false;
    }
    match new.arguments[1].as_expression() {
        Some(Expression::StaticMemberExpression(member)) => {
            matches!(member.object, Expression::ImportMeta(_)) && member.property.name == "url"
        }
        _ => false,
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
