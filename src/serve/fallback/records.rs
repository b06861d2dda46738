//! Looking a hashed path up in the release records: when to read them again, and how a
//! request waits for a read.
//!
//! The records are read on the first miss and again by the first request after the refresh
//! interval: at most one LIST per interval, however many requests miss. A path the records
//! list is answered at once. A path they do not list is answered 404 only from a read that
//! started after the request arrived: from an older read, a release uploaded since would look
//! unknown, and its first pages would get 404s from every server that read the records just
//! before the upload. Such a request waits for the next read the interval allows instead (at
//! most the interval, and no longer than the timeout), with at most [`MAX_WAITING`] requests
//! waiting at once; past that, an unknown path gets its 404 from the records as they are.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, PoisonError};
use std::time::Instant;

use super::Fallback;
use super::fetch::{self, FetchError};
use super::index::{Index, Remote};

/// How many requests may wait for the next read of the records at once.
pub(super) const MAX_WAITING: usize = 1024;

/// The records as last read, and when the last read started.
#[derive(Default)]
pub(super) struct State {
    pub index: Arc<Index>,
    /// When the last read started, and whether it worked.
    pub attempt: Option<(Instant, bool)>,
}

/// What a request path names.
pub(super) enum Lookup {
    Found(Arc<Remote>),
    Unknown,
    Unavailable(String),
}

/// What a request does next.
enum Step {
    Done(Lookup),
    /// Read the records (the interval has passed, or they were never read).
    Read,
    /// The records were read before the request came and do not list the path: wait until
    /// they may be read again.
    WaitUntil(Instant),
}

/// Counts a waiting request while it lives.
struct Waiting<'s>(&'s AtomicUsize);

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

impl Fallback {
    fn state<T>(&self, f: impl FnOnce(&State) -> T) -> T {
        f(&self.state.read().unwrap_or_else(PoisonError::into_inner))
    }

    /// What the records as they are say of `hashed_path`, for a request that came at
    /// `arrived`.
    fn step(&self, state: &State, hashed_path: &str, arrived: Instant) -> Step {
        let Some((at, ok)) = state.attempt else {
            return Step::Read;
        };
        let due = at + self.refresh_interval;
        if Instant::now() >= due {
            return Step::Read;
        }
        match (state.index.get(hashed_path), ok) {
            (Some(remote), _) => Step::Done(Lookup::Found(remote)),
            (None, false) => Step::Done(Lookup::Unavailable(
                "the last read of the release records failed".into(),
            )),
            (None, true) if at >= arrived => Step::Done(Lookup::Unknown),
            (None, true) => Step::WaitUntil(due),
        }
    }

    /// Finds a hashed path in the release records (see the module docs). When a read fails,
    /// what the records said before still holds.
    pub(super) async fn lookup(&self, hashed_path: &str) -> Lookup {
        let arrived = Instant::now();
        let mut waited = false;
        loop {
            match self.state(|state| self.step(state, hashed_path, arrived)) {
                Step::Done(lookup) => return lookup,
                Step::WaitUntil(due) => {
                    let Some(_waiting) = self.wait_allowed(due, waited) else {
                        return Lookup::Unknown;
                    };
                    tokio::time::sleep_until(due.into()).await;
                    waited = true;
                }
                Step::Read => {
                    let _reading = self.refreshing.lock().await;
                    // Another request may have read the records while this one waited.
                    match self.state(|state| self.step(state, hashed_path, arrived)) {
                        Step::Read => return self.read(hashed_path).await,
                        Step::Done(lookup) => return lookup,
                        Step::WaitUntil(_) => continue,
                    }
                }
            }
        }
    }

    /// Whether a request may wait until `due` for the next read: once, within the timeout,
    /// and while fewer than [`MAX_WAITING`] requests wait.
    fn wait_allowed(&self, due: Instant, waited: bool) -> Option<Waiting<'_>> {
        if waited || due.saturating_duration_since(Instant::now()) > self.timeout {
            return None;
        }
        let waiting = &self.waiting;
        if waiting.fetch_add(1, Ordering::Relaxed) >= MAX_WAITING {
            waiting.fetch_sub(1, Ordering::Relaxed);
            return None;
        }
        Some(Waiting(waiting))
    }

    /// Reads the records and looks `hashed_path` up in them; the caller holds `refreshing`.
    async fn read(&self, hashed_path: &str) -> Lookup {
        let started = Instant::now();
        let current = self.state(|state| Arc::clone(&state.index));
        let read = tokio::time::timeout(self.timeout, self.read_records(&current)).await;
        let read = read.unwrap_or_else(|_| Err(format!("no answer within {:?}", self.timeout)));
        let mut state = self.state.write().unwrap_or_else(PoisonError::into_inner);
        state.attempt = Some((started, read.is_ok()));
        match read {
            Ok(index) => {
                let index = Arc::new(index);
                self.with_cache(|cache| cache.retain(|key| index.lists(key)));
                state.index = Arc::clone(&index);
                index
                    .get(hashed_path)
                    .map_or(Lookup::Unknown, Lookup::Found)
            }
            Err(why) => match state.index.get(hashed_path) {
                Some(remote) => {
                    tracing::warn!("assetlock fallback: release records not read again: {why}");
                    Lookup::Found(remote)
                }
                None => Lookup::Unavailable(why),
            },
        }
    }

    /// Reads the list of release records, and the records not read before.
    async fn read_records(&self, current: &Index) -> Result<Index, String> {
        let listed = fetch::list_records(&self.dest).await?;
        let (kept, new): (Vec<String>, Vec<String>) =
            listed.into_iter().partition(|key| current.has_record(key));
        let mut read = Vec::with_capacity(new.len());
        for key in new {
            match fetch::record(&self.dest, &key).await {
                Ok(record) => read.push((key, record)),
                Err(FetchError::Corrupt(why)) => {
                    tracing::error!(key, "assetlock fallback: release record ignored: {why}");
                }
                Err(FetchError::NotFound) => {}
                Err(FetchError::Unavailable(why)) => return Err(why),
            }
        }
        let index = current.replaced(&kept, read);
        tracing::debug!(
            records = index.records(),
            "assetlock fallback: release records read"
        );
        Ok(index)
    }
}
