//! The change stream: server-sent events naming the URL of each asset whose source changed.
//!
//! A thread per connection polls the sources' modification times every
//! [`POLL`]; with a handful of connections in development that costs less than a file-system
//! watcher's dependencies, and it behaves the same on every platform and file system.

use std::convert::Infallible;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use axum::body::Body;
use futures::StreamExt;
use futures::channel::mpsc;
use http::Response;
use http::header::{self, HeaderValue};

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
        for ((url, before), (_, after)) in seen.iter().zip(&now) {
            if before != after {
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

/// Each asset's URL and its source's (modification time, length).
fn stamps(
    manifest: &'static Manifest,
    dir: Option<&Path>,
) -> Vec<(&'static str, Option<(SystemTime, u64)>)> {
    manifest
        .iter()
        .filter(|a| !manifest.__is_public(a))
        .map(|asset| {
            let stamp = super::source(manifest, dir, asset)
                .and_then(|p| std::fs::metadata(p).ok())
                .and_then(|m| Some((m.modified().ok()?, m.len())));
            (asset.url(), stamp)
        })
        .collect()
}
