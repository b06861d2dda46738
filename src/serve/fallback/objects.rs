//! Getting an object's verified bytes: from the cache, or from the one fetch of it in flight,
//! which runs on its own task (a client that goes away does not stop it), after it has a
//! permit (at most `max_fetches` at once) and room in its budget.

use std::collections::HashMap;
use std::sync::{Arc, PoisonError};

use tokio::sync::watch;

use super::Shared;
use super::cache::{Room, Store};
use super::fetch::{self, FetchError, Held};
use super::index::Object;

/// The result of a fetch, once there is one.
type Outcome = Option<Result<Held, FetchError>>;

/// The fetches in flight, by object key.
#[derive(Default)]
pub(super) struct Flights(std::sync::Mutex<HashMap<String, watch::Receiver<Outcome>>>);

impl Shared {
    /// The verified bytes of `object`: kept, being fetched, or fetched now.
    pub(super) async fn held(self: &Arc<Self>, object: &Object) -> Result<Held, FetchError> {
        let mut outcome = {
            let mut flights = self
                .flights
                .0
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            // Under the flights' lock: a fetch that just ended kept its object before it left.
            if let Some(held) = self.with_cache(|cache| cache.get(&object.key)) {
                return Ok(held);
            }
            match flights.get(&object.key) {
                Some(outcome) => outcome.clone(),
                None => {
                    let (done, outcome) = watch::channel(None);
                    flights.insert(object.key.clone(), outcome.clone());
                    tokio::spawn(Arc::clone(self).fly(object.clone(), done));
                    outcome
                }
            }
        };
        let result = outcome.wait_for(Option::is_some).await;
        match result.as_deref() {
            Ok(Some(result)) => result.clone(),
            _ => Err(FetchError::Unavailable(
                "the fetch ended without a result".into(),
            )),
        }
    }

    /// One fetch: a permit, room, the bytes; kept if they arrived whole and right.
    async fn fly(self: Arc<Self>, object: Object, done: watch::Sender<Outcome>) {
        let result = self.fetch(&object).await;
        let mut flights = self
            .flights
            .0
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        flights.remove(&object.key);
        done.send_replace(Some(result));
    }

    async fn fetch(&self, object: &Object) -> Result<Held, FetchError> {
        let timeout = self.settings.timeout;
        let _permit = tokio::time::timeout(timeout, self.permits.acquire())
            .await
            .map_err(|_| {
                FetchError::Unavailable(format!(
                    "{} bucket fetches in flight for longer than {timeout:?}",
                    self.settings.max_fetches
                ))
            })?
            .map_err(|_| FetchError::Unavailable("the fallback is shutting down".into()))?;
        let store = match object.size > self.settings.max_cached_object {
            true => Store::File,
            false => Store::Memory,
        };
        self.reserve(store, object.size).await?;
        let fetched = fetch::object(&self.dest, object, store == Store::Memory, timeout).await;
        self.with_cache(|cache| match &fetched {
            Ok(held) => cache.fetched(object.key.clone(), held.clone(), object.size),
            Err(_) => cache.failed(store, object.size),
        });
        self.freed.notify_waiters();
        fetched
    }

    /// Waits, within the timeout, until `size` bytes of `store`'s budget are reserved.
    async fn reserve(&self, store: Store, size: u64) -> Result<(), FetchError> {
        let deadline = tokio::time::Instant::now() + self.settings.timeout;
        loop {
            let freed = self.freed.notified();
            tokio::pin!(freed);
            freed.as_mut().enable();
            match self.with_cache(|cache| cache.reserve(store, size)) {
                Room::Granted => return Ok(()),
                Room::TooLarge => {
                    return Err(FetchError::Unavailable(format!(
                        "{size} bytes is more than the fallback's whole {} budget",
                        match store {
                            Store::Memory => "memory (Fallback::cache_size)",
                            Store::File => "temporary file (Fallback::spool_size)",
                        }
                    )));
                }
                Room::Wait => {
                    if tokio::time::timeout_at(deadline, freed).await.is_err() {
                        return Err(FetchError::Unavailable(
                            "objects in flight hold the fallback's budget".into(),
                        ));
                    }
                }
            }
        }
    }
}
