//! Reads from the bucket: the list of release records, one record, one verified object, and
//! one fetch in flight per key.

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};

use assetlock_contract::layout;
use assetlock_contract::manifest::ManifestJson;
use bytes::Bytes;
use futures::TryStreamExt;
use object_store::ObjectStoreExt;
use sha2::{Digest, Sha256};
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
    if bytes.len() as u64 != object.size {
        return Err(FetchError::Corrupt(format!(
            "{} bytes where the release record says {}",
            bytes.len(),
            object.size
        )));
    }
    let sha256 = crate::dist::hex(&Sha256::digest(&bytes));
    if sha256 != object.sha256 {
        return Err(FetchError::Corrupt(format!(
            "SHA-256 {sha256} where the release record says {}",
            object.sha256
        )));
    }
    Ok(bytes)
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
