//! The uploader's error type.

use std::fmt;
use std::path::PathBuf;

use super::dest::Service;
pub(crate) use super::store_error::{CREDENTIAL_SOURCES, describe, refused};
use super::store_error::{auth_failure, last_cause, no_credentials, tidy, unreachable};

/// Why an upload, verify or prune run did not succeed.
///
/// `Display` gives one line per problem, ready to print; [`Error::exit_code`] maps the error to
/// the process exit code of `upload-assets` (2 for usage errors, 1 for everything else).
pub struct Error {
    kind: Kind,
}

#[derive(Debug)]
enum Kind {
    /// The command line or destination is wrong: exit code 2.
    Usage(String),
    /// `manifest.json` cannot be read or is not a format-1 manifest.
    Manifest { path: PathBuf, message: String },
    /// The object store refused the credentials.
    Auth {
        what: String,
        code: Option<String>,
        service: Service,
    },
    /// No credentials were found in any of the places the store's client looks.
    NoCredentials {
        what: String,
        detail: String,
        service: Service,
    },
    /// The store's endpoint did not answer.
    Unreachable {
        what: String,
        detail: String,
        service: Service,
    },
    /// A store operation other than an object upload failed.
    Store { what: String, message: String },
    /// Some objects could not be uploaded; no release record was written.
    Upload {
        failures: Vec<Failure>,
        total: usize,
    },
    /// `--verify` found missing or wrong objects.
    Verify {
        problems: Vec<Failure>,
        total: usize,
    },
    /// `--prune` refused to start.
    Prune(String),
    /// The store replaces an object a create-only PUT should have left alone.
    NotCreateOnly {
        dest: String,
        condition: &'static str,
    },
    /// Some files of a pull could not be had.
    Pull {
        failures: Vec<Failure>,
        total: usize,
    },
    /// Some deletions of a prune failed.
    Delete { failures: Vec<Failure> },
    /// The async runtime could not start.
    Runtime(std::io::Error),
}

/// One object and what went wrong with it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Failure {
    pub(crate) key: String,
    pub(crate) message: String,
}

impl Failure {
    pub(crate) fn new(key: impl Into<String>, message: impl Into<String>) -> Failure {
        Failure {
            key: key.into(),
            message: message.into(),
        }
    }
}

impl Error {
    pub(crate) fn usage(message: impl Into<String>) -> Error {
        Error {
            kind: Kind::Usage(message.into()),
        }
    }

    pub(crate) fn manifest(path: impl Into<PathBuf>, message: impl fmt::Display) -> Error {
        let (path, message) = (path.into(), message.to_string());
        Error {
            kind: Kind::Manifest { path, message },
        }
    }

    /// An object-store error while doing `what`; rejected credentials get their own message,
    /// without the server's response body (which may echo the access key id).
    /// The messages name what to check on `service`.
    pub(crate) fn store(
        service: Service,
        what: impl Into<String>,
        error: &object_store::Error,
    ) -> Error {
        let what = what.into();
        let text = error.to_string();
        let kind = if no_credentials(&text) {
            Kind::NoCredentials {
                what,
                detail: last_cause(&text),
                service,
            }
        } else if let Some(code) = auth_failure(error) {
            Kind::Auth {
                what,
                code,
                service,
            }
        } else if unreachable(&text) {
            Kind::Unreachable {
                what,
                detail: last_cause(&text),
                service,
            }
        } else {
            Kind::Store {
                what,
                message: tidy(&text),
            }
        };
        Error { kind }
    }

    pub(crate) fn upload(failures: Vec<Failure>, total: usize) -> Error {
        Error {
            kind: Kind::Upload { failures, total },
        }
    }

    pub(crate) fn verify(problems: Vec<Failure>, total: usize) -> Error {
        Error {
            kind: Kind::Verify { problems, total },
        }
    }

    pub(crate) fn prune(message: impl Into<String>) -> Error {
        Error {
            kind: Kind::Prune(message.into()),
        }
    }

    /// `dest` stored a second create-only write of a key; `condition` is the request header
    /// it ignored.
    pub(crate) fn not_create_only(dest: impl Into<String>, condition: &'static str) -> Error {
        Error {
            kind: Kind::NotCreateOnly {
                dest: dest.into(),
                condition,
            },
        }
    }

    pub(crate) fn pull(failures: Vec<Failure>, total: usize) -> Error {
        Error {
            kind: Kind::Pull { failures, total },
        }
    }

    pub(crate) fn delete(failures: Vec<Failure>) -> Error {
        Error {
            kind: Kind::Delete { failures },
        }
    }

    pub(crate) fn runtime(error: std::io::Error) -> Error {
        Error {
            kind: Kind::Runtime(error),
        }
    }

    /// The exit code `upload-assets` ends with: 2 for a usage error (bad arguments or
    /// destination), 1 for every other failure, including a failed `--verify`.
    pub fn exit_code(&self) -> u8 {
        match self.kind {
            Kind::Usage(_) => 2,
            _ => 1,
        }
    }

    /// Whether the store refused the credentials.
    pub fn is_auth(&self) -> bool {
        matches!(self.kind, Kind::Auth { .. })
    }

    /// The object keys (relative to the destination prefix) this error is about: the objects
    /// that failed to upload or delete, or that `--verify` found missing or wrong. Empty for
    /// errors that are not about single objects.
    pub fn keys(&self) -> Vec<&str> {
        match &self.kind {
            Kind::Upload { failures, .. }
            | Kind::Verify {
                problems: failures, ..
            }
            | Kind::Pull { failures, .. }
            | Kind::Delete { failures } => failures.iter().map(|f| f.key.as_str()).collect(),
            _ => Vec::new(),
        }
    }
}

fn write_failures(f: &mut fmt::Formatter<'_>, failures: &[Failure]) -> fmt::Result {
    for failure in failures {
        write!(f, "\n  {}: {}", failure.key, failure.message)?;
    }
    Ok(())
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            Kind::Usage(message) => f.write_str(message),
            Kind::Manifest { path, message } => write!(f, "{}: {message}", path.display()),
            Kind::Auth {
                what,
                code,
                service,
            } => {
                write!(f, "{what}: the object store refused the credentials")?;
                if let Some(code) = code {
                    write!(f, " ({code})")?;
                }
                write!(f, "; {}", service.auth_hint())
            }
            Kind::NoCredentials {
                what,
                detail,
                service,
            } => {
                let (name, sources) = service.credential_sources();
                write!(
                    f,
                    "{what}: no {name} credentials found (the instance metadata service: \
                     {detail}); looked in {sources}"
                )
            }
            Kind::Unreachable {
                what,
                detail,
                service,
            } => write!(
                f,
                "{what}: the object store did not answer ({detail}); {}",
                service.unreachable_hint()
            ),
            Kind::Store { what, message } => write!(f, "{what}: {message}"),
            Kind::Upload { failures, total } => {
                write!(
                    f,
                    "{} of {total} objects failed to upload; no release record was written, \
                     run again to finish:",
                    failures.len()
                )?;
                write_failures(f, failures)
            }
            Kind::Pull { failures, total } => {
                write!(
                    f,
                    "{} of {total} files could not be pulled; run again to finish:",
                    failures.len()
                )?;
                write_failures(f, failures)
            }
            Kind::Verify { problems, total } => {
                write!(
                    f,
                    "verify failed: {} of {total} objects are missing or wrong:",
                    problems.len()
                )?;
                write_failures(f, problems)
            }
            Kind::Prune(message) => write!(f, "prune refused: {message}"),
            Kind::NotCreateOnly { dest, condition } => write!(
                f,
                "{dest} accepted a second create-only PUT of the same key: the store ignores \
                 {condition}, so an upload there could replace objects that servers and pages \
                 depend on. Use a store that honours conditional writes (AWS S3, R2, recent \
                 MinIO, GCS, Azure), or pass --accept-overwrites to take the risk"
            ),
            Kind::Delete { failures } => {
                write!(f, "{} objects could not be deleted:", failures.len())?;
                write_failures(f, failures)
            }
            Kind::Runtime(error) => write!(f, "cannot start the async runtime: {error}"),
        }
    }
}

impl fmt::Debug for Error {
    /// The same text as `Display`, so a `main` returning `Result` prints something readable.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.kind {
            Kind::Runtime(error) => Some(error),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usage_errors_exit_with_2_and_others_with_1() {
        assert_eq!(Error::usage("bad").exit_code(), 2);
        assert_eq!(Error::prune("no").exit_code(), 1);
        assert_eq!(Error::verify(Vec::new(), 0).exit_code(), 1);
    }

    #[test]
    fn permission_denied_is_reported_as_refused_credentials_without_the_body() {
        let error = object_store::Error::PermissionDenied {
            path: "k".into(),
            source: "body with AKIDEXAMPLE".into(),
        };
        let error = Error::store(Service::S3, "listing s3://b/p", &error);
        assert!(error.is_auth());
        let text = error.to_string();
        assert!(text.contains("refused the credentials"), "{text}");
        assert!(!text.contains("AKIDEXAMPLE"), "{text}");
    }

    #[test]
    fn s3_error_bodies_are_shortened_to_code_and_message() {
        let text = "GET /b failed: 404 Not Found: <?xml version=\"1.0\"?>\n<Error><Code>\
                    NoSuchBucket</Code><Message>The specified bucket does not exist</Message>\
                    <RequestId>1</RequestId></Error>";
        assert_eq!(
            tidy(text),
            "GET /b failed: 404 Not Found: NoSuchBucket: The specified bucket does not exist"
        );
        assert_eq!(tidy("plain"), "plain");
    }

    #[test]
    fn upload_failure_lists_every_failed_key() {
        let error = Error::upload(
            vec![Failure::new("a.css", "boom"), Failure::new("b.js", "bang")],
            10,
        );
        assert_eq!(error.keys(), ["a.css", "b.js"]);
        let text = error.to_string();
        assert!(
            text.starts_with("2 of 10 objects failed to upload"),
            "{text}"
        );
        assert!(text.contains("\n  b.js: bang"), "{text}");
    }
}
