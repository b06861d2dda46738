//! `import(expr)` with an `expr` that is not a literal: the build cannot know which module it
//! loads, so it cannot hash or rewrite it, and without an import map it 404s once the module
//! has a hashed name.

use oxc::ast::ast::Expression;
use oxc::span::GetSpan;

use crate::error::Diagnostic;
use crate::transform::Input;
use crate::transform::position::LineIndex;

/// The longest excerpt of the expression a diagnostic quotes.
const EXCERPT: usize = 60;

/// One non-literal `import()`: where, and what it imports.
pub(crate) struct NonLiteral {
    line: u32,
    column: u32,
    expression: String,
}

/// The `import()` argument `source` when it is not a string literal or a template without
/// substitutions.
pub(crate) fn non_literal(
    source: &Expression,
    text: &str,
    lines: &LineIndex,
) -> Option<NonLiteral> {
    match source {
        Expression::StringLiteral(_) => return None,
        Expression::TemplateLiteral(t) if t.expressions.is_empty() => return None,
        _ => {}
    }
    let span = source.span();
    Some(NonLiteral::new(
        text,
        lines,
        span.start as usize..span.end as usize,
    ))
}

impl NonLiteral {
    /// The argument written at `range` of `text`.
    pub(crate) fn new(text: &str, lines: &LineIndex, range: std::ops::Range<usize>) -> NonLiteral {
        let (line, column) = lines.position(range.start);
        let written = text.get(range).unwrap_or("");
        let mut expression: String = written.chars().take(EXCERPT).collect();
        if expression.len() < written.len() {
            expression.push_str("...");
        }
        NonLiteral {
            line,
            column,
            expression,
        }
    }
}

/// Warnings for the non-literal imports of a file; an error when the build denies them. With
/// an import map (`JsImports::ImportMap`) they resolve through it and are fine.
pub(crate) fn report(input: &Input, found: Vec<NonLiteral>) -> Result<Vec<Diagnostic>, Diagnostic> {
    if input.options.import_map_mode {
        return Ok(Vec::new());
    }
    let mut diagnostics = found.into_iter().map(|n| {
        Diagnostic::new(
            input.display,
            format!(
                "import({}) is not a literal: the build cannot hash or rewrite the module it \
                 loads, which 404s under its hashed name; import a literal path, or resolve \
                 modules through the import map (JsImports::ImportMap)",
                n.expression
            ),
        )
        .at(n.line, n.column)
    });
    if input.options.deny_non_literal_imports {
        return match diagnostics.next() {
            Some(first) => Err(first),
            None => Ok(Vec::new()),
        };
    }
    Ok(diagnostics.collect())
}
