//! Sass: an `.scss` or `.sass` entry compiled to CSS by grass (a Sass compiler in Rust, which
//! follows dart-sass), before the CSS transform resolves its `url()`s relative to the entry.
//!
//! - `@use`, `@forward` and `@import` find other Sass files among the assets (partials,
//!   `_name.scss`, are inputs only, never outputs) and, for names not found there, in the
//!   configured load paths ([`Config::sass_load_path`](crate::Config::sass_load_path)).
//! - Every file the compiler read is listed in the result's reads, with its SHA-256, so a
//!   cached result goes stale when a partial changes.
//! - `@warn` and `@debug` become build warnings at their position; an error names the file
//!   (the partial where it is), line and column.

use std::cell::RefCell;
use std::io;
use std::path::{Path, PathBuf};

use grass_compiler::codemap::SpanLoc;
use grass_compiler::{Fs, Logger, Options, OutputStyle};

use crate::discover::Files;
use crate::error::Diagnostic;
use crate::transform::input::Input;

/// The CSS a Sass entry compiles to, the files it read (asset paths, or absolute paths in a
/// load path) with their SHA-256, and the compiler's warnings.
pub(crate) struct Compiled {
    pub css: String,
    pub reads: Vec<(String, Option<[u8; 32]>)>,
    pub warnings: Vec<Diagnostic>,
}

/// Compiles the entry `input` (whose text is `text`) to CSS, expanded: the CSS transform then
/// minifies it when the build minifies.
pub(crate) fn compile(input: &Input, text: &str) -> Result<Compiled, Diagnostic> {
    let fs = AssetFs {
        entry: (input.logical, text),
        files: input.files,
        reads: RefCell::new(Vec::new()),
    };
    let logger = Collect {
        display: input.display,
        logical: input.logical,
        warnings: RefCell::new(Vec::new()),
    };
    let options = Options::default()
        .fs(&fs)
        .logger(&logger)
        .style(OutputStyle::Expanded)
        .load_paths(&input.options.sass_load_paths);
    let compiled = grass_compiler::from_path(input.logical, &options);
    let mut reads = fs.reads.into_inner();
    reads.sort();
    reads.dedup();
    match compiled {
        Ok(css) => Ok(Compiled {
            css,
            reads,
            warnings: logger.warnings.into_inner(),
        }),
        Err(error) => Err(problem(input, *error)),
    }
}

/// The compiler's error as a diagnostic at the file and position it names.
fn problem(input: &Input, error: grass_compiler::Error) -> Diagnostic {
    use grass_compiler::ErrorKind;
    match error.kind() {
        ErrorKind::ParseError { message, loc, .. } => located(input, &loc, message),
        ErrorKind::IoError(e) => Diagnostic::new(input.display, format!("cannot read: {e}")),
        ErrorKind::FromUtf8Error(message) => {
            Diagnostic::new(input.display, format!("not valid UTF-8: {message}"))
        }
        _ => Diagnostic::new(input.display, "cannot compile"),
    }
}

/// A diagnostic at `loc`, in the file it names.
fn located(input: &Input, loc: &SpanLoc, message: impl Into<String>) -> Diagnostic {
    let path = display(input.display, input.logical, loc.file.name());
    Diagnostic::new(path, message).at(loc.begin.line as u32 + 1, loc.begin.column as u32 + 1)
}

/// How diagnostics name `file`, a logical path (or an absolute one, in a load path): as the
/// entry's own display path names the entry (`assets/css/_colors.scss` beside
/// `assets/css/site.scss`).
fn display(entry_display: &str, entry_logical: &str, file: &str) -> String {
    match entry_display.strip_suffix(entry_logical) {
        Some(dir) if !std::path::Path::new(file).is_absolute() => format!("{dir}{file}"),
        _ => file.to_string(),
    }
}

/// The file system the compiler sees: the build's assets under their logical paths (the
/// entry's text as the build read it), and the real file system for absolute paths (load
/// paths). Records every file it hands out.
#[derive(Debug)]
struct AssetFs<'a> {
    entry: (&'a str, &'a str),
    files: &'a Files,
    reads: RefCell<Vec<(String, Option<[u8; 32]>)>>,
}

impl AssetFs<'_> {
    /// The logical path of a relative path the compiler asks for.
    fn logical(path: &Path) -> Option<String> {
        let text = path.to_str()?;
        (!path.is_absolute()).then(|| crate::reference::normalize_path(text))
    }
}

impl Fs for AssetFs<'_> {
    fn is_dir(&self, path: &Path) -> bool {
        match Self::logical(path) {
            Some(logical) => self.files.has_dir(&logical),
            None => path.is_dir(),
        }
    }

    fn is_file(&self, path: &Path) -> bool {
        match Self::logical(path) {
            Some(logical) => self.files.contains_key(&logical),
            None => path.is_file(),
        }
    }

    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        let (name, bytes) = match Self::logical(path) {
            Some(logical) if logical == self.entry.0 => {
                return Ok(self.entry.1.as_bytes().to_vec());
            }
            Some(logical) => {
                let bytes = self.files.get(&logical).map(|b| b.into_owned());
                (logical, bytes.ok_or_else(|| io::ErrorKind::NotFound.into()))
            }
            None => (path.to_string_lossy().into_owned(), std::fs::read(path)),
        };
        let bytes = bytes?;
        self.reads
            .borrow_mut()
            .push((name, Some(crate::hash::sha256(&bytes))));
        Ok(bytes)
    }

    fn canonicalize(&self, path: &Path) -> io::Result<PathBuf> {
        Ok(match Self::logical(path) {
            Some(logical) => PathBuf::from(logical),
            None => path.to_path_buf(),
        })
    }
}

/// Collects `@warn` and `@debug` as build warnings.
#[derive(Debug)]
struct Collect<'a> {
    display: &'a str,
    logical: &'a str,
    warnings: RefCell<Vec<Diagnostic>>,
}

impl Collect<'_> {
    fn push(&self, location: SpanLoc, message: String) {
        let path = display(self.display, self.logical, location.file.name());
        let at = (
            location.begin.line as u32 + 1,
            location.begin.column as u32 + 1,
        );
        self.warnings
            .borrow_mut()
            .push(Diagnostic::new(path, message).at(at.0, at.1));
    }
}

impl Logger for Collect<'_> {
    fn debug(&self, location: SpanLoc, message: &str) {
        self.push(location, format!("@debug: {message}"));
    }

    fn warn(&self, location: SpanLoc, message: &str) {
        self.push(location, format!("@warn: {message}"));
    }
}
