//! The change stream: server-sent events naming the URL of each asset whose source changed,
//! or, for a compiled source, any file its last compile read (a Sass partial, an imported
//! module, a template the Tailwind CSS CLI scanned).
//!
//! A thread per connection polls the files' modification times every
//! [`POLL`]; with a handful of connections in development that costs less than a file-system
//! watcher's dependencies, and it behaves the same on every platform and file system.

use std::collections::HashMap;
use std::convert::Infallible;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use futures::StreamExt;
use futures::channel::mpsc;
use http::Response;
use http::header::{self, HeaderValue};

use super::compile::{self, Stamp};
use crate::Manifest;

/// How often the sources are checked.
pub(super) const POLL: Duration = Duration::from_millis(50);
/// A comment line this often lets the thread notice a closed connection.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// A `text/event-stream` response that sends `data: <url>` when an asset's source changes.
pub(super) fn stream(manifest: &'static Manifest, dir: Option<Arc<Path>>) -> Response<Body> {
    let (tx, rx) = mpsc::unbounded::<String>();
    std::thread::spawn(move || watch(manifest, dir.as_deref(), &tx));
    let body = Body::from_stream(rx.map(Ok::<_, Infallible>));
    let mut response = Response::new(body);
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/event-stream"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn watch(manifest: &'static Manifest, dir: Option<&Path>, tx: &mpsc::UnboundedSender<String>) {
    let mut seen = stamps(manifest, dir);
    if tx
        .unbounded_send(": assetlock live\n\n".to_string())
        .is_err()
    {
        return;
    }
    let mut quiet = Duration::ZERO;
    while !tx.is_closed() {
        std::thread::sleep(POLL);
        quiet += POLL;
        let now = stamps(manifest, dir);
        for (url, paths) in &now.watched {
            // A file watched for the first time (a compile read it since) is no change.
            let changed = paths.iter().any(|path| {
                seen.files
                    .get(path)
                    .is_some_and(|was| *was != now.files[path])
            });
            if changed {
                quiet = Duration::ZERO;
                if tx.unbounded_send(format!("data: {url}\n\n")).is_err() {
                    return;
                }
            }
        }
        seen = now;
        if quiet >= KEEP_ALIVE {
            quiet = Duration::ZERO;
            if tx.unbounded_send(":\n\n".to_string()).is_err() {
                return;
            }
        }
    }
}

/// What one poll saw: each asset's URL with the files it depends on, and their stamps.
struct Seen {
    watched: Vec<(&'static str, Vec<PathBuf>)>,
    files: HashMap<PathBuf, Stamp>,
}

fn stamps(manifest: &'static Manifest, dir: Option<&Path>) -> Seen {
    let watched: Vec<(&'static str, Vec<PathBuf>)> = manifest
        .iter()
        .filter(|a| !manifest.__is_public(a))
        .map(|asset| {
            // A source that is gone is watched where it was first looked for.
            let first = manifest.__live_roots().first().map(PathBuf::from);
            let source = super::source(manifest, dir, asset)
                .or_else(|| Some(first?.join(asset.logical_path())));
            let mut paths: Vec<PathBuf> = source.into_iter().collect();
            paths.extend(compile::depends(manifest, dir, asset));
            (asset.url(), paths)
        })
        .collect();
    let files = watched
        .iter()
        .flat_map(|(_, paths)| paths)
        .map(|path| (path.clone(), compile::stamp(path)))
        .collect();
    Seen { watched, files }
}
