//! How deep a parsed program nests, checked before the rewriter, minifier and printer recurse
//! through it.
//!
//! A long chain of operators (`1+1+...`, `a.b.c...`, `if..else if..`) needs no brackets, and
//! oxc parses it without recursing, but every later pass recurses once per link. The walk
//! here stops descending at the limit, so it cannot overflow itself.

use oxc::ast::AstKind;
use oxc::ast::ast::{Expression, Program, Statement};
use oxc::ast_visit::{Visit, walk};
use oxc::span::{GetSpan, Span};

/// The deepest a program may nest, in AST nodes. Measured in the debug profile, rewriting,
/// minifying and printing take per node of depth: 340 B for `+`, 375 B for `.b`, 500 B for
/// calls, 870 B for `?:` chains (2 MiB of stack follow 6,000 `+` or 2,400 `?:`); 150,000
/// nodes of `?:` take 130 MiB of the pipeline's 256 MiB, and a 100,000-term sum fits.
pub(super) const MAX: usize = 150_000;

/// Where the program first nests deeper than `limit` nodes, if it does.
pub(super) fn too_deep(program: &Program, limit: usize) -> Option<Span> {
    let mut walker = Depth {
        depth: 0,
        limit,
        found: None,
    };
    walker.visit_program(program);
    walker.found
}

struct Depth {
    depth: usize,
    limit: usize,
    found: Option<Span>,
}

impl Depth {
    /// Whether to descend into a node at `span`.
    fn descend(&mut self, span: Span) -> bool {
        if self.found.is_some() {
            return false;
        }
        if self.depth > self.limit {
            self.found = Some(span);
            return false;
        }
        true
    }
}

impl<'a> Visit<'a> for Depth {
    fn enter_node(&mut self, _: AstKind<'a>) {
        self.depth += 1;
    }

    fn leave_node(&mut self, _: AstKind<'a>) {
        self.depth -= 1;
    }

    // Every recursion in the tree passes through expressions or statements within a few
    // nodes, so checking there bounds the walk.
    fn visit_expression(&mut self, it: &Expression<'a>) {
        if self.descend(it.span()) {
            walk::walk_expression(self, it);
        }
    }

    fn visit_statement(&mut self, it: &Statement<'a>) {
        if self.descend(it.span()) {
            walk::walk_statement(self, it);
        }
    }
}

#[cfg(test)]
mod tests {
    use oxc::allocator::Allocator;
    use oxc::parser::Parser;
    use oxc::span::SourceType;

    use super::*;

    fn depth_error(text: &str, limit: usize) -> Option<Span> {
        let allocator = Allocator::default();
        let parsed = Parser::new(&allocator, text, SourceType::mjs()).parse();
        too_deep(&parsed.program, limit)
    }

    #[test]
    fn operator_chains_count_one_level_per_link() {
        let text = format!("x = 1{};", "+1".repeat(50));
        assert_eq!(depth_error(&text, 60), None);
        assert!(depth_error(&text, 40).is_some());
    }
}
