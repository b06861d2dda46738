//! Serving a manifest's assets over HTTP: a tower [`Service`] and an axum [`Router`].

mod conditional;
mod range;

use std::convert::Infallible;
use std::future::{Ready, ready};
use std::task::{Context, Poll};

use axum::Router;
use axum::body::Body;
use bytes::Bytes;
use http::header::{self, HeaderMap, HeaderValue};
use http::{Method, Request, Response, StatusCode};
use tower::Service;

use crate::{Asset, Encoding, Manifest, negotiate};
use range::RangeRequest;

/// `Cache-Control` for content-addressed URLs: the bytes behind them never change.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// Request paths longer than this are answered 404 without a lookup.
const MAX_PATH: usize = 2048;

/// Serves the assets of a [`Manifest`] at their hashed URLs.
///
/// A by-value builder in the tower-http style, usable as a tower [`Service`] (for
/// `Router::nest_service` or any tower stack) or as a ready-made axum [`Router`].
/// For every asset it does `Accept-Encoding` negotiation over the precompressed variants, strong
/// ETags with `If-None-Match`, `HEAD`, single byte ranges and immutable caching; unknown paths
/// get a 404 with `Cache-Control: no-store` so a CDN never caches a miss during a rolling
/// deploy. Request paths are only ever looked up in the manifest, never on a file system.
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
    cache_control: HeaderValue,
}

impl ServeAssets {
    /// Serves `manifest`'s assets under its mount path ([`Manifest::mount_path`]).
    pub fn new(manifest: &'static Manifest) -> ServeAssets {
        ServeAssets {
            manifest,
            cache_control: HeaderValue::from_static(IMMUTABLE),
        }
    }

    /// Replaces the `Cache-Control` value of successful responses (default [`IMMUTABLE`]).
    pub fn cache_control(mut self, value: HeaderValue) -> ServeAssets {
        self.cache_control = value;
        self
    }

    /// An axum router that serves the assets under the manifest's mount path (`/assets/` by
    /// default, or the path part of a CDN URL prefix) and nothing else.
    pub fn into_router<S>(self) -> Router<S>
    where
        S: Clone + Send + Sync + 'static,
    {
        let mount = self.manifest.mount_path().trim_end_matches('/');
        if mount.is_empty() {
            Router::new().fallback_service(self)
        } else {
            Router::new().nest_service(mount, self)
        }
    }

    /// Answers one request: the whole behaviour of the service, without I/O.
    pub fn respond(&self, method: &Method, path: &str, headers: &HeaderMap) -> Response<Body> {
        if method != Method::GET && method != Method::HEAD {
            let mut response = plain(StatusCode::METHOD_NOT_ALLOWED, "method not allowed\n");
            response
                .headers_mut()
                .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
            return response;
        }
        let Some(asset) = self.find(path) else {
            return plain(StatusCode::NOT_FOUND, "not found\n");
        };
        let accept = headers
            .get(header::ACCEPT_ENCODING)
            .and_then(|v| v.to_str().ok());
        let range = RangeRequest::from_headers(headers, asset.sha256());
        // Ranges apply to the identity bytes, so a range request is answered from them.
        let encoding = if range.is_some() {
            Some(Encoding::Identity)
        } else {
            let mut available = [Encoding::Identity; 3];
            let count = asset.variants().len().min(available.len());
            for (slot, variant) in available.iter_mut().zip(asset.variants()) {
                *slot = variant.encoding();
            }
            negotiate(accept, &available[..count])
        };
        let Some(encoding) = encoding else {
            return plain(StatusCode::NOT_ACCEPTABLE, "no acceptable content coding\n");
        };
        let Some(representation) = Representation::of(asset, encoding) else {
            return plain(StatusCode::INTERNAL_SERVER_ERROR, "asset unavailable\n");
        };
        let mut response = self.base(asset, &representation);
        if conditional::not_modified(headers, representation.sha256) {
            *response.status_mut() = StatusCode::NOT_MODIFIED;
            return response;
        }
        let body = match range.map(|r| r.resolve(representation.bytes.len() as u64)) {
            Some(range::Resolved::Satisfiable(start, end)) => {
                *response.status_mut() = StatusCode::PARTIAL_CONTENT;
                let len = representation.bytes.len();
                set(
                    &mut response,
                    header::CONTENT_RANGE,
                    format!("bytes {start}-{end}/{len}"),
                );
                representation.bytes.slice(start as usize..=end as usize)
            }
            Some(range::Resolved::Unsatisfiable) => {
                let len = representation.bytes.len();
                let mut response =
                    plain(StatusCode::RANGE_NOT_SATISFIABLE, "range not satisfiable\n");
                set(
                    &mut response,
                    header::CONTENT_RANGE,
                    format!("bytes */{len}"),
                );
                return response;
            }
            Some(range::Resolved::Whole) | None => representation.bytes,
        };
        set(
            &mut response,
            header::CONTENT_LENGTH,
            body.len().to_string(),
        );
        if method == Method::GET {
            *response.body_mut() = Body::from(body);
        }
        response
    }

    /// The asset a request path names: relative to the mount (as `nest_service` passes it) or
    /// with the mount path, percent-encoded or not.
    fn find(&self, path: &str) -> Option<&'static Asset> {
        if path.len() > MAX_PATH {
            return None;
        }
        let relative = path.strip_prefix('/').unwrap_or(path);
        self.manifest
            .by_url(relative)
            .or_else(|| self.manifest.by_url(path))
    }

    /// A 200 response with every header but the length; the body is added by the caller.
    fn base(&self, asset: &Asset, representation: &Representation) -> Response<Body> {
        let mut response = Response::new(Body::empty());
        let headers = response.headers_mut();
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        headers.insert(header::CACHE_CONTROL, self.cache_control.clone());
        headers.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
        if let Ok(content_type) = HeaderValue::from_str(asset.content_type()) {
            headers.insert(header::CONTENT_TYPE, content_type);
        }
        if representation.encoding != Encoding::Identity {
            let token = HeaderValue::from_static(representation.encoding.as_str());
            headers.insert(header::CONTENT_ENCODING, token);
        }
        set(
            &mut response,
            header::ETAG,
            format!("\"{}\"", representation.sha256),
        );
        response
    }
}

/// The bytes chosen for a response: the identity bytes or one variant.
struct Representation {
    encoding: Encoding,
    bytes: Bytes,
    sha256: &'static str,
}

impl Representation {
    fn of(asset: &'static Asset, encoding: Encoding) -> Option<Representation> {
        let (bytes, sha256) = match asset.variant(encoding) {
            Some(v) => (v.bytes().ok()?, v.sha256()),
            None => (asset.bytes().ok()?, asset.sha256()),
        };
        Some(Representation {
            encoding,
            bytes: Bytes::from_static(bytes),
            sha256,
        })
    }
}

impl<B> Service<Request<B>> for ServeAssets {
    type Response = Response<Body>;
    type Error = Infallible;
    type Future = Ready<Result<Response<Body>, Infallible>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: Request<B>) -> Self::Future {
        ready(Ok(self.respond(
            request.method(),
            request.uri().path(),
            request.headers(),
        )))
    }
}

/// A short text response that no cache may keep.
fn plain(status: StatusCode, text: &'static str) -> Response<Body> {
    let mut response = Response::new(Body::from(text));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    response
}

fn set(response: &mut Response<Body>, name: header::HeaderName, value: String) {
    if let Ok(value) = HeaderValue::try_from(value) {
        response.headers_mut().insert(name, value);
    }
}
