//! Looking a hashed path up in the release records, and how long a request waits for them.
//!
//! A path the index lists is answered at once. A path it does not list is declared unknown
//! only by a pass that read every record and started after the request arrived: from an older
//! pass, a release uploaded since would look unknown, and its first pages would get 404s from
//! every server that read the records just before the upload. Such a request asks for a pass
//! and waits, within the timeout, for its path to be indexed or for that pass to end; at most
//! [`MAX_WAITING`] requests wait at once, and past that an unknown path is answered from the
//! records as they are.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use super::Shared;
use super::index::Remote;

/// How many requests may wait for the release records at once.
pub(super) const MAX_WAITING: usize = 1024;

/// What a request path names.
pub(super) enum Lookup {
    Found(Arc<Remote>),
    Unknown,
    Unavailable(String),
}

/// Counts a waiting request while it lives.
struct Waiting<'s>(&'s AtomicUsize);

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

impl Shared {
    /// Finds a hashed path in the release records (see the module docs).
    pub(super) async fn lookup(&self, hashed_path: &str) -> Lookup {
        let arrived = Instant::now();
        let deadline = tokio::time::Instant::now() + self.settings.timeout;
        let mut changed = self.changed.subscribe();
        // Any request keeps the records fresh: a pruned release stops being served.
        self.demand.notify_one();
        let mut waiting = None;
        loop {
            if let Some(remote) = self.index(|index| index.get(hashed_path)) {
                return Lookup::Found(remote);
            }
            let passes = self.passes(|p| p.snapshot());
            if passes.complete.is_some_and(|at| at >= arrived) {
                return Lookup::Unknown;
            }
            if let Some((_, why)) = passes.failed.as_ref().filter(|(at, _)| *at >= arrived) {
                return Lookup::Unavailable(why.clone());
            }
            // No pass running, and none may start before the deadline: the records as they are.
            let next = passes.started.map(|at| at + self.settings.refresh_interval);
            let in_time = next.is_none_or(|next| tokio::time::Instant::from_std(next) <= deadline);
            if !passes.running() && !in_time {
                return passes.as_they_are();
            }
            if waiting.is_none() {
                waiting = match self.wait_allowed() {
                    Some(token) => Some(token),
                    None => return passes.as_they_are(),
                };
            }
            if tokio::time::timeout_at(deadline, changed.changed())
                .await
                .is_err()
            {
                return Lookup::Unavailable(match passes.failed {
                    Some((_, why)) => why,
                    None => format!(
                        "release records not all read within {:?}",
                        self.settings.timeout
                    ),
                });
            }
        }
    }

    /// A place among the waiting requests, while fewer than [`MAX_WAITING`] wait.
    fn wait_allowed(&self) -> Option<Waiting<'_>> {
        let waiting = &self.waiting;
        if waiting.fetch_add(1, Ordering::Relaxed) >= MAX_WAITING {
            waiting.fetch_sub(1, Ordering::Relaxed);
            return None;
        }
        Some(Waiting(waiting))
    }
}
