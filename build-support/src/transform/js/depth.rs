//! How deep a parsed program nests, checked while the reference finder walks it, before the
//! minifier and printer recurse through it.
//!
//! A long chain of operators (`1+1+...`, `a.b.c...`, `if..else if..`) needs no brackets, and
//! oxc parses it without recursing, but every later pass recurses once per link. The walk
//! stops descending at the limit, so it cannot overflow itself.

use oxc::span::Span;

/// The deepest a program may nest, in AST nodes. Measured in the debug profile, rewriting,
/// minifying and printing take per node of depth: 340 B for `+`, 375 B for `.b`, 500 B for
/// calls, 870 B for `?:` chains (2 MiB of stack follow 6,000 `+` or 2,400 `?:`); 150,000
/// nodes of `?:` take 130 MiB of the pipeline's 256 MiB, and a 100,000-term sum fits.
pub(super) const MAX: usize = 150_000;

/// The depth of a walk, kept by its visitor: `enter` and `leave` on every node, `descend`
/// before walking into an expression or a statement (every recursion in the tree passes
/// through one within a few nodes, so checking there bounds the walk).
pub(super) struct Guard {
    depth: usize,
    limit: usize,
    /// Where the walk first went deeper than the limit.
    pub found: Option<Span>,
}

impl Guard {
    pub fn new(limit: usize) -> Guard {
        Guard {
            depth: 0,
            limit,
            found: None,
        }
    }

    pub fn enter(&mut self) {
        self.depth += 1;
    }

    pub fn leave(&mut self) {
        self.depth -= 1;
    }

    /// Whether to walk into the node at `span`: not once the limit has been passed anywhere.
    pub fn descend(&mut self, span: Span) -> bool {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_node_past_the_limit_is_found_and_nothing_is_walked_after_it() {
        let mut guard = Guard::new(2);
        for _ in 0..3 {
            assert!(guard.descend(Span::new(0, 1)));
            guard.enter();
        }
        assert!(!guard.descend(Span::new(5, 6)));
        assert_eq!(guard.found, Some(Span::new(5, 6)));
        for _ in 0..3 {
            guard.leave();
        }
        assert!(!guard.descend(Span::new(0, 1)), "the walk stops once found");
    }
}
