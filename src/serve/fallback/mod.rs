//! Serving the assets of other releases from the bucket `upload-assets` filled, so that every
//! server of a fleet in the middle of a rolling deploy answers for every live release.

mod body;
mod cache;
mod fetch;
mod index;
mod indexer;
mod lookup;
mod objects;
mod respond;

use std::collections::HashSet;
use std::sync::atomic::AtomicUsize;
use std::sync::{Arc, Mutex, OnceLock, PoisonError, RwLock};
use std::time::Duration;

use tokio::sync::{Notify, Semaphore, watch};

use crate::upload::{Destination, Error};
use assetlock_contract::signature::PublicKey;
use cache::ObjectCache;
use index::Index;
use indexer::Passes;

/// The environment variable the example app reads to turn the fallback on; its value is a
/// destination as `upload-assets` takes it (`s3://bucket/prefix`, `file:///dir`).
pub const FALLBACK_ENV: &str = "ASSETLOCK_FALLBACK";

/// Answers requests for hashed paths that this build does not have, from the other releases
/// uploaded to the same destination.
///
/// During a rolling deploy a load balancer sends the requests of a page rendered by an old
/// server to new servers and the other way round. With a fallback, a server that is asked for
/// an asset it was not built with looks the hashed path up in the release records that
/// `upload-assets` wrote (`<prefix>/.assetlock/releases/*.json`), fetches the object (or the
/// variant the client's `Accept-Encoding` picks), checks its size and SHA-256 against the
/// record before sending a byte, and answers exactly as for its own assets: same negotiation,
/// `Vary`, strong ETag, 304, ranges and immutable caching.
///
/// - Only objects listed in a release record are ever fetched: a request cannot read release
///   records, objects of other applications, or anything else stored under the prefix. Only
///   GET and HEAD are looked up; HEAD, 304 and 412 are answered from the record alone.
/// - **Signed releases**: a build that trusts deploy keys (`Config::trusted_release_keys`,
///   compiled in) indexes only the records one of them signed; an unsigned or wrongly signed
///   record gets one log line and is never read again. A build without keys serves whatever
///   the bucket's records list, and says so in a log line at start-up. Either way the
///   `Content-Type` comes from the object's name, never from its record, and HTML, SVG and
///   XML responses forbid script.
/// - **Records are indexed in the background** from the moment the fallback is attached to a
///   server: listed page by page, read 32 at a time, newest first, each record once (records
///   never change). A request waits only until the record it needs is read. A server that has
///   been up for a few seconds answers from memory, with thousands of releases in the bucket.
/// - The records are listed again when a request comes and
///   [`refresh_interval`](Fallback::refresh_interval) has passed (at most one LIST per
///   interval, however many random hashes arrive): a release uploaded after the server started
///   is found without a restart, and the objects of a pruned release stop being served (the
///   cache drops them too). A path is declared unknown only by a complete read of the records
///   that started after its request came; a request that missed waits for it (within the
///   timeout), so the first pages of a release find its assets on every server, even one
///   that read the records a moment before the upload.
/// - **One fetch per object**, however many requests (ranges and conditional requests too)
///   want it, on its own task; at most [`max_fetches`](Fallback::max_fetches) at once.
///   Verified objects up to [`max_cached_object`](Fallback::max_cached_object) are kept in
///   memory, larger ones in unnamed temporary files that any number of responses read at their
///   own offsets. Each kind has one budget for the objects kept *and* those being fetched
///   ([`cache_size`](Fallback::cache_size), [`spool_size`](Fallback::spool_size)), least
///   recently used out first: no traffic pattern makes the server hold more.
/// - Unknown everywhere: 404 with `Cache-Control: no-store`. Bucket unreachable or slower than
///   [`timeout`](Fallback::timeout), or the server at a limit: 503 with `no-store`,
///   `Retry-After` and a log line. Bytes that do not match their record: 502 with `no-store`
///   and a log line, never the bytes.
///
/// It relies on the rollout order: upload the new build, `upload-assets --verify`, then roll
/// the servers; old servers then find the new release's assets too.
///
/// ```no_run
/// # mod demo { assetlock::__doc_manifest!(); }
/// # use demo::MANIFEST;
/// use assetlock::serve::{Fallback, ServeAssets};
///
/// # fn main() -> Result<(), assetlock::upload::Error> {
/// // The same destination and AWS environment variables as `upload-assets`.
/// let fallback = Fallback::from_url("s3://my-bucket/assets")?;
/// let app: axum::Router = ServeAssets::new(&MANIFEST).fallback(fallback).into_router();
/// # Ok(())
/// # }
/// ```
pub struct Fallback {
    dest: Destination,
    settings: Settings,
    /// The state, made when the fallback is attached (see [`Fallback::start`]).
    shared: OnceLock<Arc<Shared>>,
}

/// What the builder sets.
#[derive(Clone, Debug)]
struct Settings {
    cache_size: u64,
    max_cached_object: u64,
    spool_size: u64,
    max_fetches: usize,
    refresh_interval: Duration,
    timeout: Duration,
    /// The deploy keys of the build the fallback serves for (compiled in).
    trusted: Vec<PublicKey>,
}

/// What the requests and the background indexer share.
pub(super) struct Shared {
    dest: Destination,
    settings: Settings,
    index: RwLock<Index>,
    /// Records that cannot be read (not JSON, wrong format): never read again.
    ignored: Mutex<HashSet<String>>,
    passes: Mutex<Passes>,
    /// Bumped whenever the index or the passes change; waiting requests look again.
    changed: watch::Sender<u64>,
    /// Requests ask the indexer for a pass.
    demand: Arc<Notify>,
    /// Requests waiting for the records.
    waiting: AtomicUsize,
    cache: Mutex<ObjectCache>,
    /// Budget given back by a fetch.
    freed: Notify,
    flights: objects::Flights,
    permits: Semaphore,
}

impl Fallback {
    /// A fallback to the releases uploaded to `dest`.
    ///
    /// Defaults: 64 MiB of memory for objects up to 8 MiB, 1 GiB of temporary files for larger
    /// ones, 16 bucket fetches at once, records listed again at most every 2 seconds, 5 seconds
    /// to answer before a 503.
    pub fn new(dest: Destination) -> Fallback {
        Fallback {
            dest,
            settings: Settings {
                cache_size: 64 << 20,
                max_cached_object: 8 << 20,
                spool_size: 1 << 30,
                max_fetches: 16,
                refresh_interval: Duration::from_secs(2),
                timeout: Duration::from_secs(5),
                trusted: Vec::new(),
            },
            shared: OnceLock::new(),
        }
    }

    /// A fallback to a destination URL as `upload-assets` takes it: `s3://bucket/prefix` with
    /// the standard AWS environment variables or profile, `az://container/prefix` with the
    /// Azure Storage ones, `gs://bucket/prefix` with Google Cloud's, or `file:///dir`.
    ///
    /// # Errors
    ///
    /// As for [`Destination::from_url`].
    pub fn from_url(url: &str) -> Result<Fallback, Error> {
        Destination::from_url(url).map(Fallback::new)
    }

    /// The fallback [`FALLBACK_ENV`] (`ASSETLOCK_FALLBACK`) names, if it is set.
    ///
    /// # Errors
    ///
    /// As for [`Destination::from_url`].
    pub fn from_env() -> Result<Option<Fallback>, Error> {
        match std::env::var(FALLBACK_ENV) {
            Ok(url) if !url.is_empty() => Fallback::from_url(&url).map(Some),
            _ => Ok(None),
        }
    }

    /// At most this many bytes of objects up to
    /// [`max_cached_object`](Fallback::max_cached_object) are kept in memory or being fetched
    /// into it (default 64 MiB).
    pub fn cache_size(mut self, bytes: u64) -> Fallback {
        self.settings.cache_size = bytes;
        self
    }

    /// Objects larger than this are fetched into temporary files instead of memory (default
    /// 8 MiB).
    pub fn max_cached_object(mut self, bytes: u64) -> Fallback {
        self.settings.max_cached_object = bytes;
        self
    }

    /// At most this many bytes of temporary files are kept or being written (default 1 GiB).
    /// A listed object larger than this is answered with 503 and a log line naming the
    /// setting.
    pub fn spool_size(mut self, bytes: u64) -> Fallback {
        self.settings.spool_size = bytes;
        self
    }

    /// At most this many objects are fetched from the bucket at once (default 16; 0 counts as
    /// 1). A fetch that waits longer than the [`timeout`](Fallback::timeout) for its turn gets
    /// a 503.
    pub fn max_fetches(mut self, fetches: usize) -> Fallback {
        self.settings.max_fetches = fetches.max(1);
        self
    }

    /// The release records are listed again at most this often (default 2 seconds), when a
    /// request comes. A request for a path that the records did not list, and that came after
    /// the last read started, waits for the next read within the
    /// [`timeout`](Fallback::timeout): an unknown hash takes up to this long to get its 404.
    /// An interval longer than the timeout turns the wait off, and a release uploaded less
    /// than the interval before its first server starts may then get 404s from servers that
    /// read the records just before the upload.
    pub fn refresh_interval(mut self, interval: Duration) -> Fallback {
        self.settings.refresh_interval = interval;
        self
    }

    /// How long a request may wait for the bucket before it gets a 503 (default 5 seconds).
    pub fn timeout(mut self, timeout: Duration) -> Fallback {
        self.settings.timeout = timeout;
        self
    }

    /// Trusts the release records signed by these keys only: those compiled into the build
    /// that serves, which [`ServeAssets::fallback`](super::ServeAssets::fallback) gives it.
    pub(crate) fn trusting(mut self, keys: &[&str]) -> Fallback {
        self.settings.trusted = keys
            .iter()
            .filter_map(|key| match PublicKey::parse(key) {
                Ok(key) => Some(key),
                Err(why) => {
                    tracing::error!("assetlock fallback: trusted release key ignored: {why}");
                    None
                }
            })
            .collect();
        self
    }

    /// Starts indexing the release records in the background, if it has not started, on the
    /// current tokio runtime. [`ServeAssets::fallback`](super::ServeAssets::fallback) calls
    /// it when the fallback is attached inside a runtime; otherwise the first request does.
    pub(crate) fn start(&self) {
        if tokio::runtime::Handle::try_current().is_ok() {
            self.shared();
        }
    }

    /// The state, made (and the indexer started) on first use, inside a runtime.
    fn shared(&self) -> &Arc<Shared> {
        self.shared.get_or_init(|| {
            let s = &self.settings;
            let shared = Arc::new(Shared {
                dest: self.dest.clone(),
                settings: s.clone(),
                index: RwLock::default(),
                ignored: Mutex::default(),
                passes: Mutex::default(),
                changed: watch::Sender::new(0),
                demand: Arc::new(Notify::new()),
                waiting: AtomicUsize::new(0),
                cache: Mutex::new(ObjectCache::new(s.cache_size, s.spool_size)),
                freed: Notify::new(),
                flights: objects::Flights::default(),
                permits: Semaphore::new(s.max_fetches),
            });
            match s.trusted.is_empty() {
                true => tracing::warn!(
                    "assetlock fallback: this build trusts no deploy key, so it serves the \
                     assets of any release record in {}; build with \
                     Config::trusted_release_keys to serve signed releases only",
                    self.dest
                ),
                false => tracing::info!(
                    keys = s.trusted.len(),
                    "assetlock fallback: serving releases signed by a trusted deploy key only"
                ),
            }
            tokio::spawn(indexer::run(Arc::downgrade(&shared)));
            shared
        })
    }
}

impl Shared {
    fn index<T>(&self, f: impl FnOnce(&Index) -> T) -> T {
        f(&self.index.read().unwrap_or_else(PoisonError::into_inner))
    }

    fn index_mut<T>(&self, f: impl FnOnce(&mut Index) -> T) -> T {
        f(&mut self.index.write().unwrap_or_else(PoisonError::into_inner))
    }

    fn with_cache<T>(&self, f: impl FnOnce(&mut ObjectCache) -> T) -> T {
        f(&mut self.cache.lock().unwrap_or_else(PoisonError::into_inner))
    }

    fn ignored(&self, key: &str) -> bool {
        let ignored = self.ignored.lock().unwrap_or_else(PoisonError::into_inner);
        ignored.contains(key)
    }

    fn ignore(&self, key: String) {
        let mut ignored = self.ignored.lock().unwrap_or_else(PoisonError::into_inner);
        ignored.insert(key);
    }
}

impl Drop for Shared {
    /// Wakes the indexer, which then finds the fallback gone and ends.
    fn drop(&mut self) {
        self.demand.notify_one();
    }
}

impl std::fmt::Debug for Fallback {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fallback")
            .field("dest", &self.dest)
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}
