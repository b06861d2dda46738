//! A layer that adds a page's module preloads to its responses as a `Link` header.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use axum::body::Body;
use http::header::{self, HeaderValue};
use http::{Request, Response};
use tower::{Layer, Service};

use crate::html;
use crate::{Asset, Manifest};

/// Adds `Link: <module>; rel=modulepreload; ...` for the entry modules of a page and every
/// module they load at once ([`html::module_graph`]) to its successful HTML responses, so that
/// a CDN can send 103 Early Hints and the browser fetches the whole graph in parallel. The
/// header and the [`html::modulepreload`] tags agree on `integrity` and `crossorigin`.
///
/// ```
/// # mod demo { assetlock::__doc_manifest!(); }
/// # use demo::MANIFEST;
/// use assetlock::serve::PreloadLinks;
/// use axum::{Router, response::Html, routing::get};
///
/// let main = MANIFEST.get("js/app.js").unwrap();
/// let app: Router = Router::new().route(
///     "/",
///     get(|| async { Html("<!doctype html>...") }).layer(PreloadLinks::new(&MANIFEST, [main])),
/// );
/// ```
#[derive(Clone, Debug)]
pub struct PreloadLinks {
    value: Option<HeaderValue>,
}

impl PreloadLinks {
    /// The layer for a page whose module scripts are `entries`.
    pub fn new(manifest: &Manifest, entries: impl IntoIterator<Item = &'static Asset>) -> Self {
        let graph = html::module_graph(manifest, entries);
        let value = (!graph.is_empty())
            .then(|| HeaderValue::try_from(html::link_header(&graph).to_string()).ok())
            .flatten();
        PreloadLinks { value }
    }
}

impl<S> Layer<S> for PreloadLinks {
    type Service = PreloadLinksService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        PreloadLinksService {
            inner,
            value: self.value.clone(),
        }
    }
}

/// The service [`PreloadLinks`] wraps around a page handler.
#[derive(Clone, Debug)]
pub struct PreloadLinksService<S> {
    inner: S,
    value: Option<HeaderValue>,
}

impl<S, B> Service<Request<B>> for PreloadLinksService<S>
where
    S: Service<Request<B>, Response = Response<Body>>,
    S::Future: Send + 'static,
{
    type Response = Response<Body>;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Response<Body>, S::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<B>) -> Self::Future {
        let future = self.inner.call(request);
        let value = self.value.clone();
        Box::pin(async move {
            let mut response = future.await?;
            if let Some(value) = value
                && is_html_page(&response)
            {
                response.headers_mut().append(header::LINK, value);
            }
            Ok(response)
        })
    }
}

/// A successful HTML response: the only kind whose modules the browser will load.
fn is_html_page(response: &Response<Body>) -> bool {
    response.status().is_success()
        && response
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|t| t.starts_with("text/html"))
}
