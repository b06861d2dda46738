//! The walk over a parsed script that finds its local references (static imports and
//! re-exports, literal `import()`, `new URL(..., import.meta.url)`), rewrites their strings in
//! the tree when asked to, notes non-literal `import()`s and checks how deep the tree nests.

use oxc::allocator::Allocator;
use oxc::ast::AstType;
use oxc::ast::ast::{
    Argument, ExportAllDeclaration, ExportFromDeclaration, Expression, ImportDeclaration,
    ImportExpression, NewExpression, Statement, StringLiteral, TemplateLiteral,
};
use oxc::ast_visit::{VisitMut, walk_mut};
use oxc::span::{GetSpan, Span};

use crate::reference::{Ref, Resolver, Syntax};
use crate::transform::position::LineIndex;

use super::{depth, dynamic, typescript};

/// Collects local references, rewriting their strings in the AST when asked to.
pub(super) struct Finder<'a, 'r> {
    pub allocator: &'a Allocator,
    pub resolver: &'r Resolver<'r>,
    pub lines: &'r LineIndex<'r>,
    pub text: &'r str,
    pub rewrite: bool,
    /// In a TypeScript module: TypeScript's lookup, and what it read.
    pub typescript: Option<typescript::Lookup<'r>>,
    /// Module specifiers stay as written, for the page's import map to resolve.
    pub import_map: bool,
    /// Inside a static `import`/`export ... from`.
    pub static_import: bool,
    /// The span of each reference's string contents (without quotes), and the reference.
    pub found: Vec<(Span, Ref)>,
    /// `import(expr)` whose `expr` is not a literal: its position and text.
    pub non_literal: Vec<dynamic::NonLiteral>,
    pub depth: depth::Guard,
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
