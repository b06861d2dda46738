//! The unminified path: a script kept as written, with only its references replaced. The
//! lexer finds them ([`scan`]); oxc is not involved unless the lexer is unsure of the file.

use crate::error::Diagnostic;
use crate::reference::Syntax;
use crate::transform::input::{Input, Transformed};
use crate::transform::js::{dynamic, module_in_part, scan};
use crate::transform::position::LineIndex;
use crate::transform::splice::{self, Edit};

/// Finds the references of `text` and splices their marker URLs in; `None` when the lexer
/// is unsure of the file and the parser must read it.
pub(super) fn transform(input: &Input, text: &str) -> Option<Result<Transformed, Diagnostic>> {
    let scan = scan::scan(text)?;
    Some(splice(input, text, scan))
}

fn splice(input: &Input, text: &str, scan: scan::Scan) -> Result<Transformed, Diagnostic> {
    if input.part && scan.module {
        return Err(module_in_part(input));
    }
    let lines = LineIndex::new(text);
    let resolver = input.resolver();
    let mut out = Transformed::default();
    let mut edits: Vec<Edit> = Vec::with_capacity(scan.refs.len() + 1);
    for found in scan.refs {
        let (line, column) = lines.position(found.at);
        let Some(mut r) = resolver.resolve(&found.value, found.syntax, line, column) else {
            continue;
        };
        r.static_import = found.static_import;
        // Module specifiers left to the page's import map stay as written.
        r.via_map = input.options.import_map_mode && found.syntax == Syntax::Specifier;
        if !r.via_map {
            edits.push((found.span, r.marker_url.clone()));
        }
        out.refs.push(r);
    }
    let non_literal = scan
        .non_literal
        .into_iter()
        .map(|range| dynamic::NonLiteral::new(text, &lines, range))
        .collect();
    out.warnings = dynamic::report(input, non_literal)?;
    if let Some(comment) = scan.map_comment {
        comment.relink(input, &lines, &mut out, &mut edits);
    }
    splice::apply_to(&mut out, text, edits);
    Ok(out)
}
