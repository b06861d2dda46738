//! Serving a manifest's assets over HTTP: a tower [`Service`] and an axum [`Router`].
//!
//! With the `fallback` feature, a server also answers for the assets of every other release
//! uploaded to the bucket, so that a fleet in the middle of a rolling deploy serves every page
//! it rendered: see [`Fallback`].

#[cfg(feature = "actix")]
mod actix;
mod conditional;
mod errors;
#[cfg(feature = "fallback")]
mod fallback;
mod links;
#[cfg(debug_assertions)]
mod live;
mod range;
mod response;

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
#[cfg(feature = "fallback")]
use std::sync::Arc;
use std::task::{Context, Poll};

use axum::Router;
use axum::body::Body;
use bytes::Bytes;
use http::header::{HeaderMap, HeaderValue};
use http::{Method, Request, Response, StatusCode};
use tower::Service;

pub use errors::no_store_errors;
#[cfg(feature = "fallback")]
pub use fallback::{FALLBACK_ENV, Fallback};
pub use links::{PreloadLinks, PreloadLinksService};

use crate::{Asset, Manifest};
use response::{Dictionary, Plan, Policy, Representations};

/// `Cache-Control` for content-addressed URLs: the bytes behind them never change.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// `Cache-Control` for public files (`/favicon.ico`, `/robots.txt`, `/sw.js`): their URL stays
/// when their bytes change, so caches revalidate every time (a 304 while the ETag matches).
pub const REVALIDATE: &str = "no-cache";

/// Request paths longer than this are answered 404 without a lookup.
const MAX_PATH: usize = 2048;

/// Serves the assets of a [`Manifest`] at their hashed URLs.
///
/// A by-value builder in the tower-http style, usable as a tower [`Service`] (for
/// `Router::nest_service` or any tower stack) or as a ready-made axum [`Router`].
/// For every asset it does `Accept-Encoding` negotiation over the precompressed variants, strong
/// ETags with `If-None-Match` and `If-Match`, `HEAD`, single byte ranges, immutable caching and
/// `Access-Control-Allow-Origin: *` (so fonts and `crossorigin` scripts load through a CDN on
/// another origin); unknown paths get a 404 with `Cache-Control: no-store` so a CDN never caches
/// a miss during a rolling deploy ([`no_store_errors`] does the same for the rest of an app).
/// Request paths are only ever looked up in the manifest (and
/// the release records of a [`Fallback`]), never on a file system.
///
/// ```
/// # mod demo { assetlock::__doc_manifest!(); }
/// # use demo::MANIFEST;
/// use assetlock::serve::ServeAssets;
/// use axum::{Router, routing::get};
///
/// let app: Router = Router::new()
///     .route("/", get(|| async { "home" }))
///     .merge(ServeAssets::new(&MANIFEST).into_router());
/// ```
#[derive(Clone, Debug)]
pub struct ServeAssets {
    manifest: &'static Manifest,
    policy: Policy,
    scope: Scope,
    /// Announce text assets as compression dictionaries and send deltas (RFC 9842).
    dictionaries: bool,
    #[cfg(feature = "fallback")]
    fallback: Option<Arc<Fallback>>,
    /// Live dev mode: where to read sources instead of the build's asset dirs.
    #[cfg(debug_assertions)]
    live_dir: Option<std::sync::Arc<std::path::Path>>,
}

impl ServeAssets {
    /// Serves `manifest`'s assets under its mount path ([`Manifest::mount_path`]).
    pub fn new(manifest: &'static Manifest) -> ServeAssets {
        ServeAssets {
            manifest,
            policy: Policy {
                cache_control: HeaderValue::from_static(IMMUTABLE),
                allow_origin: Some(HeaderValue::from_static("*")),
            },
            scope: Scope::Hashed,
            dictionaries: true,
            #[cfg(feature = "fallback")]
            fallback: None,
            #[cfg(debug_assertions)]
            live_dir: None,
        }
    }

    /// In live dev mode ([`Manifest::is_live`]), reads the current bytes of each asset from
    /// `dir` (`dir/css/app.css`) instead of the build's asset dirs: for a copy of the assets,
    /// as a test that edits them uses. Ignored when the build is locked, and absent from
    /// release builds.
    ///
    /// ```
    /// # mod demo { assetlock::__doc_manifest!(); }
    /// # use demo::MANIFEST;
    /// use assetlock::serve::ServeAssets;
    ///
    /// let service = ServeAssets::new(&MANIFEST).live_dir("/tmp/assets-copy");
    /// ```
    #[cfg(debug_assertions)]
    pub fn live_dir(mut self, dir: impl Into<std::path::PathBuf>) -> ServeAssets {
        self.live_dir = Some(dir.into().into());
        self
    }

    /// Whether to use compression dictionaries (RFC 9842; default on).
    ///
    /// When on, the response for a text asset (one with precompressed variants) carries
    /// `Use-As-Dictionary: match="<its URL with * for the hash>"`, so a browser keeps it as a
    /// dictionary for that asset's next versions. A request whose `Available-Dictionary` names
    /// a version the build made a delta against (`assetlock_build::Config::previous_releases`)
    /// and whose `Accept-Encoding` lists the delta's coding (`dcz`, or `dcb`) gets that delta,
    /// the smallest one it accepts, with that `Content-Encoding`; every response of an asset
    /// with deltas says `Vary: accept-encoding, available-dictionary`. Anything else gets the
    /// usual negotiation.
    ///
    /// Turn it off behind a CDN that neither varies its cache on `Available-Dictionary` nor
    /// passes such requests through: it could otherwise hand one visitor's delta to another.
    ///
    /// ```
    /// # mod demo { assetlock::__doc_manifest!(); }
    /// # use demo::MANIFEST;
    /// use assetlock::serve::ServeAssets;
    ///
    /// let without = ServeAssets::new(&MANIFEST).compression_dictionaries(false);
    /// ```
    pub fn compression_dictionaries(mut self, on: bool) -> ServeAssets {
        self.dictionaries = on;
        self
    }

    /// Replaces the `Cache-Control` value of successful responses (default [`IMMUTABLE`]).
    pub fn cache_control(mut self, value: HeaderValue) -> ServeAssets {
        self.policy.cache_control = value;
        self
    }

    /// The `Access-Control-Allow-Origin` value of every response (default `*`: assets are
    /// public, and fonts or `crossorigin` module scripts served from another origin than the
    /// page's need it); `None` sends no such header.
    ///
    /// ```
    /// # mod demo { assetlock::__doc_manifest!(); }
    /// # use demo::MANIFEST;
    /// use assetlock::serve::ServeAssets;
    /// use axum::http::HeaderValue;
    ///
    /// let only_our_site = ServeAssets::new(&MANIFEST)
    ///     .allow_origin(Some(HeaderValue::from_static("https://www.example.com")));
    /// ```
    pub fn allow_origin(mut self, value: Option<HeaderValue>) -> ServeAssets {
        self.policy.allow_origin = value;
        self
    }

    /// Answers requests for hashed paths this build does not have from the other releases
    /// uploaded to a bucket; see [`Fallback`].
    #[cfg(feature = "fallback")]
    pub fn fallback(mut self, fallback: Fallback) -> ServeAssets {
        let fallback = fallback.trusting(self.manifest.trusted_release_keys());
        fallback.start();
        self.fallback = Some(Arc::new(fallback));
        self
    }

    /// An axum router that serves the assets under the manifest's mount path (`/assets/` by
    /// default, or the path part of a CDN URL prefix), and each public file at its own path
    /// from the site root (`/favicon.ico`), and nothing else.
    pub fn into_router<S>(self) -> Router<S>
    where
        S: Clone + Send + Sync + 'static,
    {
        let mount = self.manifest.mount_path().trim_end_matches('/');
        let public = self.public_scope();
        let router = if mount.is_empty() {
            Router::new().fallback_service(self)
        } else {
            Router::new().nest_service(mount, self)
        };
        // The build only makes public files with plain names (`naming::check_public`), which
        // are valid literal routes.
        public
            .manifest
            .iter()
            .filter(|a| public.manifest.__is_public(a))
            .fold(router, |router, asset| {
                router.route_service(asset.url(), public.clone())
            })
    }

    /// Answers one request for this build's own assets and public files: the whole behaviour
    /// of the service without a [`Fallback`], and without I/O.
    pub fn respond(&self, method: &Method, path: &str, headers: &HeaderMap) -> Response<Body> {
        if let Some(response) = self.respond_live(method, path, headers) {
            return response;
        }
        match self.find(path).or_else(|| self.find_public(path)) {
            Some(asset) => self.respond_embedded(asset, method, headers),
            None => self.not_found(),
        }
    }

    fn respond_embedded(
        &self,
        asset: &'static Asset,
        method: &Method,
        headers: &HeaderMap,
    ) -> Response<Body> {
        let revalidated;
        let policy = if asset.is_public() {
            revalidated = Policy {
                cache_control: HeaderValue::from_static(REVALIDATE),
                ..self.policy.clone()
            };
            &revalidated
        } else {
            &self.policy
        };
        let pattern = self.dictionary_pattern(asset);
        let delta = match self.dictionaries && !asset.deltas().is_empty() {
            true => response::requested_dictionary(headers).and_then(|sha| {
                let for_it = asset.deltas().iter().filter(|d| d.dictionary() == sha);
                response::pick_delta(headers, for_it.map(|d| (d.coding(), d.size(), d)))
            }),
            false => None,
        };
        let reps = Representations::of(asset).dictionary(Dictionary {
            pattern: pattern.as_deref(),
            varies: self.dictionaries && !asset.deltas().is_empty(),
            delta: delta.map(|d| (d.coding().as_str(), d.sha256())),
        });
        let send = match response::plan(policy, method, headers, &reps) {
            Plan::Done(response) => return response,
            Plan::Send(send) => send,
        };
        let bytes = match (send.delta, delta, asset.variant(send.encoding)) {
            (true, Some(delta), _) => delta.bytes(),
            (_, _, Some(v)) => v.bytes(),
            _ => asset.bytes(),
        };
        match bytes {
            Ok(bytes) => send.finish(Bytes::from_static(bytes), policy),
            Err(_) => response::plain(
                &self.policy,
                StatusCode::INTERNAL_SERVER_ERROR,
                "asset unavailable\n",
            ),
        }
    }

    /// The `Use-As-Dictionary` pattern of an asset, when it is announced: a content-addressed
    /// text asset (one with variants; source maps aside) and dictionaries on.
    fn dictionary_pattern(&self, asset: &Asset) -> Option<String> {
        if !self.dictionaries || asset.is_public() {
            return None;
        }
        let has_variants = !asset.variants().is_empty();
        response::dictionary_pattern(asset.url(), asset.logical_path(), has_variants)
    }

    /// A release binary has no live mode.
    #[cfg(not(debug_assertions))]
    fn respond_live(&self, _: &Method, _: &str, _: &HeaderMap) -> Option<Response<Body>> {
        None
    }

    fn not_found(&self) -> Response<Body> {
        response::plain(&self.policy, StatusCode::NOT_FOUND, "not found\n")
    }

    /// The path relative to the mount: as `nest_service` passes it, or with the mount path.
    fn relative<'a>(&self, path: &'a str) -> Option<&'a str> {
        if path.len() > MAX_PATH {
            return None;
        }
        let path = path
            .strip_prefix(self.manifest.mount_path())
            .unwrap_or(path);
        Some(path.strip_prefix('/').unwrap_or(path))
    }

    /// The content-addressed asset a request path names, percent-encoded or not.
    fn find(&self, path: &str) -> Option<&'static Asset> {
        let asset = self.manifest.by_url(self.relative(path)?)?;
        (!self.manifest.__is_public(asset)).then_some(asset)
    }

    /// The same service, answering for the public files only (each public file's route).
    fn public_scope(&self) -> ServeAssets {
        ServeAssets {
            scope: Scope::Public,
            ..self.clone()
        }
    }

    /// The public file served at exactly this path (`/favicon.ico`).
    fn find_public(&self, path: &str) -> Option<&'static Asset> {
        let asset = self.manifest.by_url(path)?;
        (self.manifest.__is_public(asset) && path.starts_with('/')).then_some(asset)
    }
}

/// Which of a manifest's assets a service answers for: the router gives the service nested
/// under the mount path the content-addressed ones, and each public file's route the public
/// ones, so that `/assets/favicon.ico` is not a second URL of `/favicon.ico`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Scope {
    Hashed,
    Public,
}

/// The future of a [`ServeAssets`] response.
pub type ResponseFuture =
    Pin<Box<dyn Future<Output = Result<Response<Body>, Infallible>> + Send + 'static>>;

impl<B> Service<Request<B>> for ServeAssets {
    type Response = Response<Body>;
    type Error = Infallible;
    type Future = ResponseFuture;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: Request<B>) -> Self::Future {
        // Live answers read files and may run a compile: on a thread of their own, never on
        // the async runtime's.
        #[cfg(debug_assertions)]
        if self.scope == Scope::Hashed && self.manifest.is_live() {
            return self.respond_live_apart(request);
        }
        self.call_locked(request)
    }
}

impl ServeAssets {
    /// The service's answer for everything but live mode: an embedded asset or public file,
    /// the bucket fallback, or 404.
    fn call_locked<B>(&self, request: Request<B>) -> ResponseFuture {
        let path = request.uri().path();
        let found = match self.scope {
            Scope::Hashed => self.find(path),
            Scope::Public => self.find_public(path),
        };
        if let Some(asset) = found {
            let response = self.respond_embedded(asset, request.method(), request.headers());
            return Box::pin(std::future::ready(Ok(response)));
        }
        #[cfg(feature = "fallback")]
        if let (Some(fallback), Some(relative), Scope::Hashed) =
            (&self.fallback, self.relative(path), self.scope)
        {
            let (fallback, policy) = (Arc::clone(fallback), self.policy.clone());
            let relative = relative.to_owned();
            let dictionaries = self.dictionaries;
            // The request is ours: its headers move into the future rather than being copied.
            let (parts, _) = request.into_parts();
            return Box::pin(async move {
                let request = (&parts.method, relative.as_str(), &parts.headers);
                let response = fallback.respond(&policy, request, dictionaries);
                Ok(response.await)
            });
        }
        Box::pin(std::future::ready(Ok(self.not_found())))
    }
}
