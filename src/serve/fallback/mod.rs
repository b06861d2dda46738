//! Serving the assets of other releases from the bucket `upload-assets` filled, so that every
//! server of a fleet in the middle of a rolling deploy answers for every live release.

mod cache;
mod fetch;
mod index;
mod records;

use std::sync::atomic::AtomicUsize;
use std::sync::{Mutex, PoisonError, RwLock};
use std::time::Duration;

use assetlock_contract::url;
use axum::body::Body;
use http::{HeaderMap, Method, Response, StatusCode};

use super::response::{self, Dictionary, Plan, Policy, Representations};
use crate::upload::{Destination, Error};
use cache::ObjectCache;
use fetch::{FetchError, InFlight};
use records::{Lookup, State};

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
///   records, objects of other applications, or anything else stored under the prefix.
/// - Verified objects up to [`max_cached_object`](Fallback::max_cached_object) are kept in a
///   bounded in-memory cache ([`cache_size`](Fallback::cache_size)), with one fetch in flight
///   per key. Larger ones stream through uncached: for each request the object is written to
///   an unnamed temporary file as it arrives, hashed on the way, and sent from the file once it
///   matches its record, so memory stays bounded whatever their size.
/// - Release records are read on the first miss, and read again by the first request after
///   [`refresh_interval`](Fallback::refresh_interval) has passed (at most one LIST per
///   interval, however many random hashes arrive): a release uploaded after the server started
///   is found without a restart, and the objects of a pruned release stop being served (the
///   cache drops them too). A path is declared unknown only by records read after its request
///   came; a request that missed in older records waits for the next read (at most the
///   interval), so the first pages of a release find its assets on every server, even one
///   that read the records a moment before the upload.
/// - Unknown everywhere: 404 with `Cache-Control: no-store`. Bucket unreachable or slower than
///   [`timeout`](Fallback::timeout): 503 with `no-store` and a log line. Bytes that do not match
///   their record: 502 with `no-store` and a log line, never the bytes.
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
    cache_size: u64,
    max_cached_object: u64,
    refresh_interval: Duration,
    timeout: Duration,
    state: RwLock<State>,
    /// Held while the records are read, so concurrent requests wait for one read instead of
    /// starting their own.
    refreshing: tokio::sync::Mutex<()>,
    cache: Mutex<Option<ObjectCache>>,
    in_flight: InFlight,
    /// Requests waiting for the next read of the records.
    waiting: AtomicUsize,
}

impl Fallback {
    /// A fallback to the releases uploaded to `dest`.
    ///
    /// Defaults: a 64 MiB cache of objects up to 8 MiB, records read again at most every 2
    /// seconds, 5 seconds to answer before a 503.
    pub fn new(dest: Destination) -> Fallback {
        Fallback {
            dest,
            cache_size: 64 << 20,
            max_cached_object: 8 << 20,
            refresh_interval: Duration::from_secs(2),
            timeout: Duration::from_secs(5),
            state: RwLock::default(),
            refreshing: tokio::sync::Mutex::new(()),
            cache: Mutex::new(None),
            in_flight: InFlight::default(),
            waiting: AtomicUsize::new(0),
        }
    }

    /// A fallback to a destination URL as `upload-assets` takes it: `s3://bucket/prefix` with
    /// the standard AWS environment variables, or `file:///dir`.
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

    /// At most this many bytes of verified objects are kept in memory (default 64 MiB).
    pub fn cache_size(mut self, bytes: u64) -> Fallback {
        self.cache_size = bytes;
        self
    }

    /// Objects larger than this stream through a temporary file for each request and are
    /// never kept in memory (default 8 MiB).
    pub fn max_cached_object(mut self, bytes: u64) -> Fallback {
        self.max_cached_object = bytes;
        self
    }

    /// The release records are read again at most this often (default 2 seconds). A request
    /// for a path that the last read did not list, and that came after that read started,
    /// waits for the next read, at most this long: an unknown hash takes up to this long to
    /// get its 404. An interval longer than the [`timeout`](Fallback::timeout) turns the wait
    /// off, and a release uploaded less than the interval before its first server starts may
    /// then get 404s from servers that read the records just before the upload.
    pub fn refresh_interval(mut self, interval: Duration) -> Fallback {
        self.refresh_interval = interval;
        self
    }

    /// How long a request may wait for the bucket before it gets a 503 (default 5 seconds).
    pub fn timeout(mut self, timeout: Duration) -> Fallback {
        self.timeout = timeout;
        self
    }

    /// Answers a request for `relative`, a path under the mount that this build does not have.
    /// With `dictionaries`, its text assets are announced as compression dictionaries and
    /// their deltas sent, as for the build's own.
    pub(super) async fn respond(
        &self,
        policy: &Policy,
        (method, relative, headers): (&Method, &str, &HeaderMap),
        dictionaries: bool,
    ) -> Response<Body> {
        let decoded = url::decode_path(relative);
        let hashed_path = decoded.as_deref().unwrap_or(relative);
        let remote = match self.lookup(hashed_path).await {
            Lookup::Found(remote) => remote,
            Lookup::Unknown => {
                return response::plain(policy, StatusCode::NOT_FOUND, "not found\n");
            }
            Lookup::Unavailable(why) => {
                tracing::warn!(
                    path = hashed_path,
                    "assetlock fallback: bucket unavailable: {why}"
                );
                return unavailable(policy);
            }
        };
        let varies = dictionaries && !remote.deltas.is_empty();
        let delta = match varies {
            true => response::requested_dictionary(headers).and_then(|sha| {
                let for_it = remote.deltas.iter().filter(|(d, _, _)| *d == sha);
                let candidates = for_it.map(|(_, coding, o)| (*coding, o.size, (*coding, o)));
                response::pick_delta(headers, candidates)
            }),
            false => None,
        };
        let reps = remote
            .variants
            .iter()
            .fold(
                Representations::new(&remote.content_type, &remote.identity.sha256),
                |reps, (e, o)| reps.variant(*e, &o.sha256),
            )
            .dictionary(Dictionary {
                pattern: remote.pattern.as_deref().filter(|_| dictionaries),
                varies,
                delta: delta.map(|(coding, o)| (coding.as_str(), o.sha256.as_str())),
            });
        let send = match response::plan(policy, method, headers, &reps) {
            Plan::Done(response) => return response,
            Plan::Send(send) => send,
        };
        let object = match (send.delta, delta) {
            (true, Some((_, object))) => object,
            _ => remote.object(send.encoding),
        };
        let fetched = match object.size > self.max_cached_object {
            true => fetch::spooled(&self.dest, object, self.timeout)
                .await
                .map(|file| {
                    send.finish_with(object.size, policy, |start, end| {
                        fetch::file_body(file, start, end)
                    })
                }),
            false => self
                .bytes(object)
                .await
                .map(|bytes| send.finish(bytes, policy)),
        };
        match fetched {
            Ok(response) => response,
            Err(FetchError::NotFound) => {
                tracing::info!(
                    key = object.key,
                    "assetlock fallback: listed object is gone"
                );
                response::plain(policy, StatusCode::NOT_FOUND, "not found\n")
            }
            Err(FetchError::Unavailable(why)) => {
                tracing::warn!(
                    key = object.key,
                    "assetlock fallback: bucket unavailable: {why}"
                );
                unavailable(policy)
            }
            Err(FetchError::Corrupt(why)) => {
                tracing::error!(
                    key = object.key,
                    "assetlock fallback: refused to serve: {why}"
                );
                response::plain(
                    policy,
                    StatusCode::BAD_GATEWAY,
                    "bad object in the bucket\n",
                )
            }
        }
    }

    /// The verified bytes of an object: from the cache, from a fetch already in flight, or
    /// fetched now.
    async fn bytes(&self, object: &index::Object) -> Result<bytes::Bytes, FetchError> {
        if let Some(bytes) = self.with_cache(|cache| cache.get(&object.key)) {
            return Ok(bytes);
        }
        let result = self.in_flight.run(&object.key, || self.fetch(object)).await;
        if let Ok(bytes) = &result {
            let bytes = bytes.clone();
            self.with_cache(|cache| cache.insert(object.key.clone(), bytes));
        }
        result
    }

    async fn fetch(&self, object: &index::Object) -> Result<bytes::Bytes, FetchError> {
        tokio::time::timeout(self.timeout, fetch::object(&self.dest, object))
            .await
            .unwrap_or_else(|_| {
                Err(FetchError::Unavailable(format!(
                    "no answer within {:?}",
                    self.timeout
                )))
            })
    }

    fn with_cache<T>(&self, f: impl FnOnce(&mut ObjectCache) -> T) -> T {
        let mut cache = self.cache.lock().unwrap_or_else(PoisonError::into_inner);
        f(cache.get_or_insert_with(|| ObjectCache::new(self.cache_size)))
    }
}

impl std::fmt::Debug for Fallback {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fallback")
            .field("dest", &self.dest)
            .field("cache_size", &self.cache_size)
            .field("max_cached_object", &self.max_cached_object)
            .field("refresh_interval", &self.refresh_interval)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

/// 503, never cached: the bucket may answer the next request.
fn unavailable(policy: &Policy) -> Response<Body> {
    let text = "asset storage unavailable, try again\n";
    let mut response = response::plain(policy, StatusCode::SERVICE_UNAVAILABLE, text);
    response.headers_mut().insert(
        http::header::RETRY_AFTER,
        http::HeaderValue::from_static("1"),
    );
    response
}
