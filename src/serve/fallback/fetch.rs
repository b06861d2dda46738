//! Reads from the bucket: the list of release records, one record, one verified object, and
//! one fetch in flight per key.

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use assetlock_contract::layout;
use assetlock_contract::manifest::ManifestJson;
use bytes::Bytes;
use futures::{StreamExt, TryStreamExt};
use object_store::ObjectStoreExt;
use sha2::{Digest, Sha256};
use tokio::io::{AsyncReadExt, AsyncSeekExt, AsyncWriteExt};
use tokio::sync::OnceCell;

use super::index::Object;
use crate::upload::Destination;

/// Why an object could not be had.
#[derive(Clone, Debug)]
pub(super) enum FetchError {
    /// Not in the bucket (a pruned release).
    NotFound,
    /// The bucket did not answer, refused, or failed.
    Unavailable(String),
    /// The bytes are not what the record says.
    Corrupt(String),
}

impl FetchError {
    fn from_store(error: &object_store::Error) -> FetchError {
        match error {
            object_store::Error::NotFound { .. } => FetchError::NotFound,
            other => FetchError::Unavailable(crate::upload::redact(&other.to_string())),
        }
    }
}

/// The keys (relative to the prefix) of every release record: one paginated LIST.
pub(super) async fn list_records(dest: &Destination) -> Result<Vec<String>, String> {
    let folder = layout::RELEASES.trim_end_matches('/');
    let prefix = dest.key(folder)?;
    let listed: Vec<_> = dest
        .store()
        .list(Some(&prefix))
        .try_collect()
        .await
        .map_err(|e| crate::upload::redact(&e.to_string()))?;
    Ok(listed
        .iter()
        .filter_map(|meta| dest.relative(&meta.location))
        .filter(|key| layout::is_release_record(key))
        .collect())
}

/// A release record, parsed and checked.
pub(super) async fn record(dest: &Destination, key: &str) -> Result<ManifestJson, FetchError> {
    let path = dest.key(key).map_err(FetchError::Corrupt)?;
    let bytes = get(dest, &path).await?;
    ManifestJson::parse(&bytes).map_err(FetchError::Corrupt)
}

/// An object's bytes, checked against the size and SHA-256 its record gives.
pub(super) async fn object(dest: &Destination, object: &Object) -> Result<Bytes, FetchError> {
    let path = dest.key(&object.key).map_err(FetchError::Corrupt)?;
    let bytes = get(dest, &path).await?;
    check(
        object,
        bytes.len() as u64,
        &crate::dist::hex(&Sha256::digest(&bytes)),
    )?;
    Ok(bytes)
}

/// A large object, written to an unnamed temporary file while it arrives and hashed on the way,
/// so that memory stays bounded; checked against its record before the file is returned,
/// positioned at its start. Each wait for the bucket (the answer, then every chunk) is bounded
/// by `timeout`.
pub(super) async fn spooled(
    dest: &Destination,
    object: &Object,
    timeout: Duration,
) -> Result<tokio::fs::File, FetchError> {
    let slow = || FetchError::Unavailable(format!("no answer within {timeout:?}"));
    let local = |e: std::io::Error| FetchError::Unavailable(format!("temporary file: {e}"));
    let path = dest.key(&object.key).map_err(FetchError::Corrupt)?;
    let result = tokio::time::timeout(timeout, dest.store().get(&path))
        .await
        .map_err(|_| slow())?
        .map_err(|e| FetchError::from_store(&e))?;
    let mut stream = result.into_stream();
    let mut file = tokio::fs::File::from_std(tempfile::tempfile().map_err(local)?);
    let (mut hasher, mut size) = (Sha256::new(), 0u64);
    while let Some(chunk) = tokio::time::timeout(timeout, stream.next())
        .await
        .map_err(|_| slow())?
    {
        let chunk = chunk.map_err(|e| FetchError::from_store(&e))?;
        size += chunk.len() as u64;
        if size > object.size {
            return Err(FetchError::Corrupt(format!(
                "more than the {} bytes the release record says",
                object.size
            )));
        }
        hasher.update(&chunk);
        file.write_all(&chunk).await.map_err(local)?;
    }
    check(object, size, &crate::dist::hex(&hasher.finalize()))?;
    file.flush().await.map_err(local)?;
    file.rewind().await.map_err(local)?;
    Ok(file)
}

/// A body of the bytes `start..end` of a spooled file, read in chunks as the client takes them.
pub(super) fn file_body(file: tokio::fs::File, start: u64, end: u64) -> axum::body::Body {
    const CHUNK: u64 = 64 * 1024;
    let chunks = futures::stream::try_unfold(
        (file, start, false),
        move |(mut file, at, sought)| async move {
            if !sought {
                file.seek(std::io::SeekFrom::Start(at)).await?;
            }
            if at >= end {
                return Ok(None);
            }
            let mut buffer = vec![0; CHUNK.min(end - at) as usize];
            file.read_exact(&mut buffer).await?;
            let next = at + buffer.len() as u64;
            Ok::<_, std::io::Error>(Some((Bytes::from(buffer), (file, next, true))))
        },
    );
    axum::body::Body::from_stream(chunks)
}

/// Whether what arrived is what the record says.
fn check(object: &Object, size: u64, sha256: &str) -> Result<(), FetchError> {
    if size != object.size {
        return Err(FetchError::Corrupt(format!(
            "{size} bytes where the release record says {}",
            object.size
        )));
    }
    if sha256 != object.sha256 {
        return Err(FetchError::Corrupt(format!(
            "SHA-256 {sha256} where the release record says {}",
            object.sha256
        )));
    }
    Ok(())
}

async fn get(dest: &Destination, path: &object_store::path::Path) -> Result<Bytes, FetchError> {
    let result = dest.store().get(path).await;
    let result = result.map_err(|e| FetchError::from_store(&e))?;
    result.bytes().await.map_err(|e| FetchError::from_store(&e))
}

type Cell = Arc<OnceCell<Result<Bytes, FetchError>>>;

/// Fetches under way, by key: concurrent requests for one object share one fetch.
#[derive(Default)]
pub(super) struct InFlight {
    cells: Mutex<HashMap<String, Cell>>,
}

impl InFlight {
    /// The result of `fetch` for `key`, or of the fetch of `key` already under way.
    pub(super) async fn run<F>(
        &self,
        key: &str,
        fetch: impl FnOnce() -> F,
    ) -> Result<Bytes, FetchError>
    where
        F: Future<Output = Result<Bytes, FetchError>>,
    {
        let cell = {
            let mut cells = self.cells.lock().unwrap_or_else(PoisonError::into_inner);
            Arc::clone(cells.entry(key.to_owned()).or_default())
        };
        let result = cell.get_or_init(fetch).await.clone();
        let mut cells = self.cells.lock().unwrap_or_else(PoisonError::into_inner);
        if cells.get(key).is_some_and(|c| Arc::ptr_eq(c, &cell)) {
            cells.remove(key);
        }
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[tokio::test]
    async fn concurrent_requests_share_one_fetch() {
        let in_flight = InFlight::default();
        let fetches = AtomicUsize::new(0);
        let fetch = || async {
            fetches.fetch_add(1, Ordering::SeqCst);
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            Ok(Bytes::from_static(b"x"))
        };
        let runs = (0..8).map(|_| in_flight.run("k", fetch));
        let results = futures::future::join_all(runs).await;
        assert!(results.iter().all(|r| r.as_deref().ok() == Some(&b"x"[..])));
        assert_eq!(fetches.load(Ordering::SeqCst), 1);
        // Done: the next request fetches again (the caller caches successes).
        in_flight.run("k", fetch).await.unwrap();
        assert_eq!(fetches.load(Ordering::SeqCst), 2);
    }
}
