//! One file through its transform: CSS and JS are parsed, rewritten and minified; everything
//! else passes through. Transforms are independent of each other (references carry markers,
//! not hashes), so they run in parallel and their results can be cached.
//!
//! - [`input`]: the types every transform shares (what it reads, what it returns).
//! - [`nesting`]: how deep a text may nest, and the stack the pipeline's threads get.
//! - [`contain`]: panics caught and reported against the file.
//! - this module: the dispatcher, which picks the transform by file kind.
//! - [`splice`]: output kept as written, with byte ranges replaced (the unminified paths).
//! - [`position`], [`sourcemap`]: lines and columns for diagnostics; source maps chained
//!   through the input's own.
//! - [`css`], [`js`]: the transforms, which import from [`input`], [`nesting`], [`splice`],
//!   [`position`] and [`sourcemap`] of this module only.
//! - [`bundle`]: several files joined into one and transformed as one, above the dispatcher.

pub(crate) mod bundle;
mod contain;
mod css;
mod input;
pub mod js;
mod nesting;
mod options;
mod position;
pub mod sourcemap;
mod splice;

pub(crate) use input::{Entry, Input, Transformed};
pub(crate) use nesting::STACK_SIZE;
pub(crate) use options::TransformOptions;

use crate::discover::Kind;
use crate::error::Diagnostic;

/// Transforms one file. A malformed CSS or JS file is an error, or with `warn_only` a warning
/// and the file shipped as it is. A bundle part (`input.part`) is transformed the same way but
/// its map is not linked: the bundle links one map for all its parts.
pub(crate) fn transform(input: &Input, bytes: &[u8]) -> Result<Transformed, Diagnostic> {
    transform_kept(input, bytes).map(|out| out.filled(bytes))
}

/// [`transform`], except that an output which is the input as read comes back without its
/// bytes, marked `as_read`: a caller that owns the input keeps it instead of a copy.
pub(crate) fn transform_kept(input: &Input, bytes: &[u8]) -> Result<Transformed, Diagnostic> {
    let kind = Kind::of(input.logical);
    if kind == Kind::Other {
        return Ok(passthrough(bytes));
    }
    let result = std::str::from_utf8(bytes)
        .map_err(|e| not_utf8(input, bytes, &e, kind))
        .and_then(|text| guarded(input, text, kind, || with_unique_markers(input, text, kind)));
    match result {
        Err(problem) if input.options.warn_only && !input.part => {
            let mut out = passthrough(bytes);
            out.warnings
                .push(problem.with_note("shipped as it is, not minified or rewritten (warn_only)"));
            Ok(out)
        }
        result => result,
    }
}

/// Runs `work`, the transform of `text`, unless the text nests deeper than the parsers can
/// follow on the pipeline's stack, and turns a panic inside it into a problem with the file.
fn guarded(
    input: &Input,
    text: &str,
    kind: Kind,
    work: impl FnOnce() -> Result<Transformed, Diagnostic>,
) -> Result<Transformed, Diagnostic> {
    let what = match kind {
        // The CSS lexer does not recurse: the transform checks a text it leaves to cssparser.
        Kind::Css if input.options.css_as_written() => "CSS transform",
        Kind::Css => {
            nesting::check_css(input.display, text)?;
            "CSS transform (lightningcss)"
        }
        Kind::Ts => {
            nesting::check_js(input.display, text)?;
            "TypeScript transform (oxc)"
        }
        Kind::Sass => {
            nesting::check_css(input.display, text)?;
            "Sass compiler (grass)"
        }
        // The JS lexer does not recurse: it leaves a deeper text to the parser, which the JS
        // transform checks before it parses.
        _ if input.options.js_as_written() => "JS transform",
        _ => {
            nesting::check_js(input.display, text)?;
            "JS transform (oxc)"
        }
    };
    contain::catch_panic(work).unwrap_or_else(|message| {
        Err(Diagnostic::new(
            input.display,
            format!("the {what} panicked on this file, a bug to report: {message}"),
        ))
    })
}

/// Runs the transform, retrying with other markers in the unlikely case that the file already
/// contains one of them.
fn with_unique_markers(input: &Input, text: &str, kind: Kind) -> Result<Transformed, Diagnostic> {
    let mut salt = 0;
    loop {
        let attempt = Input { salt, ..*input };
        let mut out = match kind {
            Kind::Css if input.options.tailwind_entry(input.logical).is_some() => {
                css::transform_tailwind(&attempt)?
            }
            Kind::Css => css::transform(&attempt, text)?,
            Kind::Ts => js::transform_typescript(&attempt, text)?,
            Kind::Sass => css::transform_sass(&attempt, text)?,
            _ => js::transform(&attempt, text)?,
        };
        if !attempt.part {
            attempt.link_map(&mut out, kind);
        }
        let clash = out.refs.iter().any(|r| text.contains(r.marker.as_str()));
        if !clash || salt == 16 {
            return Ok(out);
        }
        salt += 1;
    }
}

/// How many references the lexer of the unminified path finds in `text`, a stylesheet (`css`)
/// or a script; `None` when it is unsure of the text (the parser then reads it). For `bench/`.
#[cfg(feature = "benchmarking")]
pub fn count_scanned(css: bool, text: &str) -> Option<usize> {
    if css {
        css::as_written::find("", text)
            .ok()
            .flatten()
            .map(|scan| scan.refs.len())
    } else {
        js::scan::scan(text).map(|scan| scan.refs.len())
    }
}

/// A file shipped as it is: no references, no map.
fn passthrough(bytes: &[u8]) -> Transformed {
    Transformed {
        bytes: bytes.to_vec(),
        ..Transformed::default()
    }
}

fn not_utf8(input: &Input, bytes: &[u8], e: &std::str::Utf8Error, kind: Kind) -> Diagnostic {
    let valid = &bytes[..e.valid_up_to()];
    let line = valid.iter().filter(|&&b| b == b'\n').count() as u32 + 1;
    let column = valid.iter().rev().take_while(|&&b| b != b'\n').count() as u32 + 1;
    let problem = Diagnostic::new(input.display, "not valid UTF-8").at(line, column);
    match kind {
        // `.ts` is also the extension of MPEG transport streams (HLS video segments).
        Kind::Ts => problem.with_note(
            "a .ts or .mts asset is compiled as TypeScript; a video stream must be renamed \
             (.m2ts)",
        ),
        _ => problem,
    }
}

#[cfg(test)]
mod agreement;

#[cfg(test)]
pub(crate) mod testing {
    //! Runs one transform against in-memory files.

    use super::*;
    use crate::discover::Files;
    use crate::settings::Settings;

    pub(crate) fn options(minify: bool) -> TransformOptions {
        let mut config = crate::Config::new();
        config
            .asset_dir("assets")
            .out_dir(std::env::temp_dir())
            .minify(minify);
        TransformOptions::new(&Settings::resolve(&config).expect("test settings"))
    }

    /// [`options`] that send unminified files through the full parsers too
    /// (`parse_unminified`).
    pub(crate) fn parsing(minify: bool) -> TransformOptions {
        let mut options = options(minify);
        options.parse_unminified = true;
        options
    }

    /// Transforms `logical` (whose text is `text`) with `others` as the rest of the build.
    pub(crate) fn run(
        logical: &str,
        text: &str,
        others: &[(&str, &str)],
        minify: bool,
    ) -> Result<Transformed, Diagnostic> {
        run_with(&options(minify), logical, text, others)
    }

    /// [`run`] with the given options.
    pub(crate) fn run_with(
        options: &TransformOptions,
        logical: &str,
        text: &str,
        others: &[(&str, &str)],
    ) -> Result<Transformed, Diagnostic> {
        let mut files: Files = others
            .iter()
            .map(|(l, t)| (l.to_string(), t.as_bytes().to_vec()))
            .collect();
        files.insert(logical.to_string(), text.as_bytes().to_vec());
        transform(
            &Input::new(logical, logical, options, &files),
            text.as_bytes(),
        )
    }

    /// The output text with every marker replaced by `HASH`, for readable assertions.
    pub(crate) fn text(out: &Transformed) -> String {
        let mut text = String::from_utf8(out.bytes.clone()).unwrap();
        for r in &out.refs {
            text = text.replace(&r.marker, "HASH");
        }
        text
    }

    pub(crate) fn targets(out: &Transformed) -> Vec<&str> {
        out.refs.iter().map(|r| r.target.as_str()).collect()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::disallowed_methods)] // the child is told apart by an env var

    use super::*;
    use crate::discover::Files;

    const CHILD: &str = "ASSETLOCK_TEST_PANIC_CHILD";

    fn panicking(display: &str) -> Result<Transformed, Diagnostic> {
        let options = testing::parsing(false);
        let files = Files::new();
        let input = Input::new("css/a.css", display, &options, &files);
        guarded(&input, ".a{}", Kind::Css, || panic!("boom"))
    }

    #[test]
    fn a_panicking_transform_is_reported_with_the_file() {
        let problem = panicking("assets/css/a.css").unwrap_err();
        let text = problem.to_string();
        assert!(
            text.starts_with("assets/css/a.css: the CSS transform (lightningcss) panicked"),
            "{text}"
        );
        assert!(text.contains(": boom at "), "{text}");
    }

    #[test]
    fn a_caught_panic_prints_nothing() {
        if std::env::var_os(CHILD).is_some() {
            assert!(panicking("a.css").is_err());
            return;
        }
        let out = std::process::Command::new(std::env::current_exe().unwrap())
            .args(["transform::tests::a_caught_panic_prints_nothing", "--exact"])
            .args(["--nocapture", "--test-threads=1"])
            .env(CHILD, "1")
            .output()
            .unwrap();
        assert!(out.status.success());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("boom"), "{stderr}");
    }
}
