//! Diagnostics: every problem of a build, each with the file and position it concerns.

use std::error::Error as StdError;
use std::fmt;
use std::sync::Arc;

/// The problems that stopped a build; all of them, not only the first.
///
/// `Display` prints one problem per line in the form `path:line:col: message`, the form
/// [`Config::compile`](crate::Config::compile) hands to cargo.
///
/// ```
/// let err = assetlock_build::Config::new()
///     .asset_dir("no/such/dir")
///     .out_dir(std::env::temp_dir().join("assetlock-doc-error"))
///     .try_compile()
///     .unwrap_err();
/// assert_eq!(err.diagnostics().count(), 1);
/// assert!(err.to_string().contains("asset dir not found"));
/// ```
pub struct Error {
    diagnostics: Vec<Diagnostic>,
}

/// One problem or warning about one file, with a 1-based position where there is one.
#[derive(Clone)]
pub struct Diagnostic {
    path: String,
    position: Option<(u32, u32)>,
    message: String,
    cause: Option<Arc<dyn StdError + Send + Sync>>,
}

/// The successes and the problems of a stage that ran once per file, each in order.
pub(crate) fn split<T>(
    results: impl IntoIterator<Item = Result<T, Diagnostic>>,
) -> (Vec<T>, Vec<Diagnostic>) {
    let mut done = Vec::new();
    let mut problems = Vec::new();
    for result in results {
        match result {
            Ok(value) => done.push(value),
            Err(problem) => problems.push(problem),
        }
    }
    (done, problems)
}

/// A diagnostic as a cache stores it: path, position, message.
pub(crate) type StoredDiagnostic = (String, Option<(u32, u32)>, String);

impl Diagnostic {
    pub(crate) fn new(path: impl Into<String>, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            path: path.into(),
            position: None,
            message: message.into(),
            cause: None,
        }
    }

    /// Sets the 1-based line and column.
    pub(crate) fn at(mut self, line: u32, column: u32) -> Diagnostic {
        self.position = Some((line.max(1), column.max(1)));
        self
    }

    /// Keeps the underlying error: shown after the message and returned by `source()`.
    pub(crate) fn caused_by(mut self, cause: impl StdError + Send + Sync + 'static) -> Diagnostic {
        self.cause = Some(Arc::new(cause));
        self
    }

    /// The message with the underlying error's text, as `Display` shows it after the position.
    pub(crate) fn full_message(&self) -> String {
        match &self.cause {
            Some(cause) => format!("{}: {cause}", self.message),
            None => self.message.clone(),
        }
    }

    /// Appends a sentence to the message.
    pub(crate) fn with_note(mut self, note: &str) -> Diagnostic {
        self.message = format!("{}; {note}", self.message);
        self
    }

    /// The form a cache keeps: path, position and the full message (the cause as text).
    pub(crate) fn to_stored(&self) -> StoredDiagnostic {
        (self.path.clone(), self.position, self.full_message())
    }

    /// A diagnostic back from [`Diagnostic::to_stored`].
    pub(crate) fn from_stored((path, position, message): StoredDiagnostic) -> Diagnostic {
        let diagnostic = Diagnostic::new(path, message);
        match position {
            Some((line, column)) => diagnostic.at(line, column),
            None => diagnostic,
        }
    }

    fn key(&self) -> (&str, Option<(u32, u32)>, &str) {
        (&self.path, self.position, &self.message)
    }

    /// The file, relative to the crate root where it lies inside it.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The 1-based line and column, when the problem has a position.
    pub fn position(&self) -> Option<(u32, u32)> {
        self.position
    }

    /// What is wrong, without the file and position.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.path)?;
        if let Some((line, column)) = self.position {
            write!(f, ":{line}:{column}")?;
        }
        write!(f, ": {}", self.message)?;
        if let Some(cause) = &self.cause {
            write!(f, ": {cause}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl StdError for Diagnostic {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.cause
            .as_deref()
            .map(|c| c as &(dyn StdError + 'static))
    }
}

impl Error {
    pub(crate) fn new(mut diagnostics: Vec<Diagnostic>) -> Error {
        diagnostics.sort_by(|a, b| a.key().cmp(&b.key()));
        diagnostics.dedup_by(|a, b| a.key() == b.key());
        Error { diagnostics }
    }

    /// Every problem, sorted by file and position.
    pub fn diagnostics(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.diagnostics.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} problem(s):\n{self}", self.diagnostics.len())
    }
}

impl StdError for Error {
    /// The first problem.
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.diagnostics
            .first()
            .map(|d| d as &(dyn StdError + 'static))
    }
}
