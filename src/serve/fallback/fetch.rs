//! Reads from the bucket: the list of release records, one record, and one object checked
//! against its record, in memory or written to an unnamed temporary file.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use assetlock_contract::layout;
use assetlock_contract::manifest::ManifestJson;
use assetlock_contract::signature::{self, Kind, PublicKey, Trust};
use bytes::Bytes;
use futures::{StreamExt, TryStreamExt};
use object_store::ObjectStoreExt;
use sha2::{Digest, Sha256};

use super::index::Object;
use crate::upload::Destination;

/// Why an object could not be had.
#[derive(Clone, Debug)]
pub(super) enum FetchError {
    /// Not in the bucket (a pruned release).
    NotFound,
    /// The bucket did not answer, refused, or failed; or the server is at a limit.
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

    pub(super) fn slow(timeout: Duration) -> FetchError {
        FetchError::Unavailable(format!("no answer within {timeout:?}"))
    }
}

/// The keys (relative to the prefix) of every release record, with the store's modification
/// times: a paginated LIST.
pub(super) async fn list_records(dest: &Destination) -> Result<Vec<(String, SystemTime)>, String> {
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
        .filter_map(|meta| {
            let key = dest.relative(&meta.location)?;
            layout::is_release_record(&key).then(|| (key, SystemTime::from(meta.last_modified)))
        })
        .collect())
}

/// A release record, parsed and checked: signed by one of the `trusted` keys when there are
/// some.
pub(super) async fn record(
    dest: &Destination,
    key: &str,
    trusted: &[PublicKey],
) -> Result<ManifestJson, FetchError> {
    let path = dest.key(key).map_err(FetchError::Corrupt)?;
    let result = dest.store().get(&path).await;
    let result = result.map_err(|e| FetchError::from_store(&e))?;
    let bytes = result
        .bytes()
        .await
        .map_err(|e| FetchError::from_store(&e))?;
    if !trusted.is_empty() {
        match signature::check(Kind::Record, &bytes, trusted) {
            Trust::Signed(_) => {}
            Trust::Unsigned => return Err(FetchError::Corrupt("not signed".into())),
            Trust::UntrustedKey(key) => {
                let why = format!("signed by {key}, which this build does not trust");
                return Err(FetchError::Corrupt(why));
            }
            Trust::Invalid(why) => return Err(FetchError::Corrupt(why)),
        }
    }
    ManifestJson::parse(&bytes).map_err(FetchError::Corrupt)
}

/// Where an object's verified bytes are kept.
#[derive(Clone, Debug)]
pub(super) enum Held {
    Memory(Bytes),
    /// An unnamed temporary file, deleted when the last handle is closed.
    File(Arc<std::fs::File>),
}

/// An object's bytes, in memory (`in_memory`) or in a temporary file, hashed as they arrive
/// and checked against the size and SHA-256 its record gives. Each wait for the bucket (the
/// answer, then every chunk) is bounded by `timeout`.
pub(super) async fn object(
    dest: &Destination,
    object: &Object,
    in_memory: bool,
    timeout: Duration,
) -> Result<Held, FetchError> {
    let local = |e: std::io::Error| FetchError::Unavailable(format!("temporary file: {e}"));
    let path = dest.key(&object.key).map_err(FetchError::Corrupt)?;
    let result = tokio::time::timeout(timeout, dest.store().get(&path))
        .await
        .map_err(|_| FetchError::slow(timeout))?
        .map_err(|e| FetchError::from_store(&e))?;
    let mut stream = result.into_stream();
    let mut sink = match in_memory {
        true => Sink::Memory(Vec::with_capacity(object.size as usize)),
        false => Sink::File(std::io::BufWriter::new(
            tempfile::tempfile().map_err(local)?,
        )),
    };
    let (mut hasher, mut size) = (Sha256::new(), 0u64);
    while let Some(chunk) = tokio::time::timeout(timeout, stream.next())
        .await
        .map_err(|_| FetchError::slow(timeout))?
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
        sink = sink.write(chunk).await.map_err(local)?;
    }
    check(object, size, &crate::dist::hex(&hasher.finalize()))?;
    sink.finish().await.map_err(local)
}

/// Where the bytes of [`object`] go as they arrive.
enum Sink {
    Memory(Vec<u8>),
    File(std::io::BufWriter<std::fs::File>),
}

impl Sink {
    async fn write(self, chunk: Bytes) -> std::io::Result<Sink> {
        match self {
            Sink::Memory(mut bytes) => {
                bytes.extend_from_slice(&chunk);
                Ok(Sink::Memory(bytes))
            }
            Sink::File(file) => {
                blocking(move || {
                    let mut file = file;
                    std::io::Write::write_all(&mut file, &chunk)?;
                    Ok(Sink::File(file))
                })
                .await
            }
        }
    }

    async fn finish(self) -> std::io::Result<Held> {
        match self {
            Sink::Memory(bytes) => Ok(Held::Memory(Bytes::from(bytes))),
            Sink::File(file) => {
                let file = blocking(move || file.into_inner().map_err(|e| e.into_error())).await?;
                Ok(Held::File(Arc::new(file)))
            }
        }
    }
}

/// Runs file I/O off the async threads.
pub(super) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> std::io::Result<T> + Send + 'static,
) -> std::io::Result<T> {
    tokio::task::spawn_blocking(f)
        .await
        .unwrap_or_else(|e| Err(std::io::Error::other(e)))
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
