//! The minifier's path: oxc's minifier (compress and mangle) and code generator, with a source
//! map.

use oxc::allocator::Allocator;
use oxc::ast::ast::Program;
use oxc::codegen::{Codegen, CodegenOptions, CommentOptions, LegalComment};
use oxc::minifier::{CompressOptions, MangleOptions, Minifier, MinifierOptions};

use crate::settings::Targets;

/// Parses and minifies `text` as [`transform`](super::transform) does, without looking for
/// references, and returns the code and, given the name sources are listed under, its source
/// map: the minifier's own cost, for `bench/`.
///
/// # Errors
///
/// When the file does not parse.
#[cfg(feature = "benchmarking")]
pub fn minify_alone(
    logical: &str,
    text: &str,
    source_name: Option<String>,
) -> Result<(String, Option<String>), String> {
    let allocator = Allocator::default();
    let parsed = oxc::parser::Parser::new(&allocator, text, super::source_type(logical)).parse();
    if parsed.panicked || parsed.diagnostics.has_errors() {
        return Err("does not parse".to_string());
    }
    let mut program = parsed.program;
    let targets = Targets::default_query();
    Ok(minify(&allocator, &mut program, &targets, source_name))
}

/// Minified code and, given the name sources are listed under, the map from the program's
/// text to it. The minifier introduces no syntax the `targets` lack.
pub(super) fn minify<'a>(
    allocator: &'a Allocator,
    program: &mut Program<'a>,
    targets: &Targets,
    source_name: Option<String>,
) -> (String, Option<String>) {
    let script = program.source_type.is_script();
    let options = MinifierOptions {
        mangle: Some(MangleOptions {
            // A classic script's top-level names are globals other scripts use.
            top_level: Some(!script),
            ..MangleOptions::default()
        }),
        compress: Some(CompressOptions {
            target: targets.js.clone(),
            ..CompressOptions::smallest()
        }),
        ..MinifierOptions::default()
    };
    let minified = Minifier::new(options).minify(allocator, program);
    let codegen = CodegenOptions {
        comments: CommentOptions {
            legal: LegalComment::Inline,
            ..CommentOptions::disabled()
        },
        source_map_path: source_name.map(Into::into),
        ..CodegenOptions::minify()
    };
    let printed = Codegen::new()
        .with_options(codegen)
        .with_scoping(minified.scoping)
        .build(program);
    (printed.code, printed.map.map(|m| m.to_json_string()))
}
