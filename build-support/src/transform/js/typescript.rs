//! TypeScript and JSX: a `.ts`, `.mts`, `.tsx` or `.jsx` module compiled to the JavaScript it
//! is served as, through
//! oxc's transformer, before the JS transform finds its references and prints it.
//!
//! - Types, type-only imports and exports are removed; enums and namespaces compiled; syntax
//!   the targets lack lowered where that needs no runtime helper ([`lowering`]). There is no
//!   type checking: `tsc --noEmit` does that beside the build.
//! - Should a transform still import one of oxc's runtime helpers (a bare import of
//!   `@oxc-project/runtime` that no page could load), that is an error naming the helper, not
//!   a broken module.
//! - An import is looked up as TypeScript does among the assets: `./x.js` names `x.ts` (or
//!   `x.tsx`) when only that exists, and `./x` names `x.ts`, `x.tsx`, `x.js`, `x.jsx` or the
//!   same under `x/index`. What the lookup saw is listed in the result's reads, so a cached
//!   result goes stale when it changes.

use std::path::Path;

use oxc::allocator::Allocator;
use oxc::ast::ast::{Program, Statement};
use oxc::semantic::SemanticBuilder;
use oxc::span::SourceType;
use oxc::transformer::{EnvOptions, JsxOptions, JsxRuntime, TransformOptions, Transformer};

use crate::config::Jsx;

use crate::discover::Files;
use crate::error::Diagnostic;
use crate::reference::{Ref, Resolver, Syntax};
use crate::transform::input::Input;
use crate::transform::position::LineIndex;

/// The module oxc's transformer imports its helpers from.
const HELPERS: &str = "@oxc-project/runtime";

/// How a TypeScript or JSX file is parsed: `.mts` as a module; the others as a module when
/// they have module syntax, a classic script otherwise (as `.js` is).
pub(super) fn source_type(logical: &str) -> SourceType {
    let js = if logical.ends_with(".mts") {
        SourceType::mjs()
    } else {
        SourceType::unambiguous()
    };
    js.with_typescript(!logical.ends_with(".jsx"))
        .with_jsx(logical.ends_with(".jsx") || logical.ends_with(".tsx"))
}

/// Compiles a parsed TypeScript program to JavaScript in place, lowering syntax the targets
/// lack.
pub(super) fn compile<'a>(
    input: &Input,
    allocator: &'a Allocator,
    program: &mut Program<'a>,
    lines: &LineIndex,
) -> Result<(), Diagnostic> {
    let semantic = SemanticBuilder::new()
        .with_check_syntax_error(true)
        // The enum transform reads the members' values from the scoping.
        .with_enum_eval(true)
        .with_excess_capacity(2.0)
        .build(program);
    if semantic.diagnostics.has_errors() {
        return Err(super::syntax_error(input, lines, &semantic.diagnostics));
    }
    let options = TransformOptions {
        env: lowering(input),
        jsx: jsx(input, program)?,
        ..TransformOptions::default()
    };
    let scoping = semantic.semantic.into_scoping();
    let compiled = Transformer::new(allocator, Path::new(input.logical), &options)
        .build_with_scoping(scoping, program);
    if compiled.diagnostics.has_errors() {
        return Err(super::syntax_error(input, lines, &compiled.diagnostics));
    }
    match helper(program) {
        Some(helper) => Err(Diagnostic::new(
            input.display,
            format!(
                "compiling this file for the targets needs oxc's runtime helper `{helper}`, \
                 which a browser cannot load; raise `Config::targets` to browsers that have the \
                 syntax, or avoid it"
            ),
        )),
        None => Ok(()),
    }
}

/// How the elements of a JSX module compile: the configured runtime; a module with JSX and
/// no runtime configured is an error that asks for one.
fn jsx(input: &Input, program: &Program) -> Result<JsxOptions, Diagnostic> {
    let runtime = match &input.options.jsx {
        Some(Jsx::Classic {
            pragma,
            pragma_frag,
        }) => JsxOptions {
            runtime: JsxRuntime::Classic,
            pragma: Some(pragma.clone()),
            pragma_frag: Some(pragma_frag.clone()),
            ..JsxOptions::default()
        },
        Some(Jsx::Automatic { import_source }) => JsxOptions {
            runtime: JsxRuntime::Automatic,
            import_source: Some(import_source.clone()),
            ..JsxOptions::default()
        },
        None if program.source_type.is_jsx() => {
            return Err(Diagnostic::new(
                input.display,
                "a JSX module needs a runtime: `Config::jsx(Jsx::automatic(\"preact\"))` or \
                 `Config::jsx(Jsx::classic(\"h\", \"Fragment\"))`",
            ));
        }
        None => JsxOptions::default(),
    };
    Ok(JsxOptions {
        // No `displayName` guessing or React Refresh: output as the source says.
        display_name_plugin: false,
        ..runtime
    })
}

/// The syntax lowered for the targets: what oxc lowers in place. Class fields and private
/// members, `async` functions and generators, object rest and spread and `using` would need
/// oxc's runtime helpers, which a page cannot import: they are kept as written, as in a `.js`
/// file.
fn lowering(input: &Input) -> EnvOptions {
    let mut env = EnvOptions::from(input.options.targets.js.clone());
    env.es2026.explicit_resource_management = false;
    env.es2022.class_properties = None;
    env.es2018.object_rest_spread = None;
    env.es2018.async_generator_functions = false;
    env.es2017.async_to_generator = false;
    env
}

/// The first runtime helper the compiled program imports.
fn helper(program: &Program) -> Option<String> {
    program.body.iter().find_map(|statement| match statement {
        Statement::ImportDeclaration(import) => {
            let source = import.source.value.as_str();
            source
                .strip_prefix(HELPERS)
                .map(|rest| rest.rsplit('/').next().unwrap_or(rest).to_string())
        }
        _ => None,
    })
}

/// What TypeScript's lookup of one module specifier found among the assets.
pub(super) struct Lookup<'r> {
    pub resolver: &'r Resolver<'r>,
    pub files: &'r Files,
    /// Every path looked at, with the SHA-256 of what was there.
    pub reads: Vec<(String, Option<[u8; 32]>)>,
}

impl Lookup<'_> {
    /// The reference `spec` makes from a TypeScript module: the file it names when that is an
    /// asset, else the first of TypeScript's other candidates that is, else the file it names
    /// (reported as missing when the build links).
    pub fn resolve(&mut self, spec: &str, syntax: Syntax, line: u32, column: u32) -> Option<Ref> {
        let found = self.resolver.resolve(spec, syntax, line, column)?;
        if syntax != Syntax::Specifier || self.files.contains_key(&found.target) {
            return Some(found);
        }
        let mut looked = vec![found.target.clone()];
        let hit = candidates(&found.target).into_iter().find(|candidate| {
            looked.push(candidate.clone());
            self.files.contains_key(candidate)
        });
        for path in looked {
            let digest = self
                .files
                .get(&path)
                .map(|bytes| crate::hash::sha256(&bytes));
            self.reads.push((path, digest));
        }
        Some(match hit {
            Some(target) => self
                .resolver
                .resolve_to(&found.spec, target, syntax, line, column),
            None => found,
        })
    }
}

/// The files TypeScript tries for a specifier naming `target` that is not there, in its order:
/// the sources of a `.js`/`.mjs`/`.jsx` name, else the name with an extension, else a folder's
/// index.
fn candidates(target: &str) -> Vec<String> {
    const SOURCES: [(&str, &[&str]); 3] = [
        (".js", &[".ts", ".tsx"]),
        (".mjs", &[".mts"]),
        (".jsx", &[".tsx"]),
    ];
    for (served, sources) in SOURCES {
        if let Some(stem) = target.strip_suffix(served) {
            return sources.iter().map(|s| format!("{stem}{s}")).collect();
        }
    }
    const EXTENSIONS: [&str; 4] = [".ts", ".tsx", ".js", ".jsx"];
    let index = match target {
        "" => "index".to_string(),
        dir => format!("{dir}/index"),
    };
    let named = (!target.is_empty()).then_some(target);
    named
        .into_iter()
        .chain([index.as_str()])
        .flat_map(|base| EXTENSIONS.iter().map(move |e| format!("{base}{e}")))
        .collect()
}

#[cfg(test)]
mod tests;
