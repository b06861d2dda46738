//! Serving with [actix-web](https://docs.rs/actix-web): the same service as for axum, behind
//! an adapter.
//!
//! Every rule (negotiation, ETags, conditional requests, ranges, `Cache-Control`, CORS, the
//! 404/405 answers and the bucket [`Fallback`](super::Fallback)) lives in [`ServeAssets`] once;
//! this module only turns an actix request into an `http` one and the answer back, streaming
//! the body.

use actix_web::body::SizedStream;
use actix_web::http::StatusCode as ActixStatus;
use actix_web::http::header::{HeaderName as ActixName, HeaderValue as ActixValue};
use actix_web::web::{self, ServiceConfig};
use actix_web::{HttpRequest, HttpResponse};
use axum::body::{Body, HttpBody};
use http::header::{self, HeaderName, HeaderValue};
use http::{Method, Request, Response};
use tower::Service;

use super::ServeAssets;

/// The largest body an answer without a `Content-Length` may have (they are a line of text).
const SHORT_BODY: usize = 64 * 1024;

impl ServeAssets {
    /// Registers the assets on an actix-web app: the content-addressed ones under the mount
    /// path, each public file at its own path, with the same behaviour as
    /// [`into_router`](ServeAssets::into_router) gives an axum app.
    ///
    /// ```
    /// # mod demo { assetlock::__doc_manifest!(); }
    /// # use demo::MANIFEST;
    /// use actix_web::{App, HttpResponse, web};
    /// use assetlock::serve::ServeAssets;
    ///
    /// let app = App::new()
    ///     .route("/", web::get().to(|| async { HttpResponse::Ok().body("home") }))
    ///     .configure(ServeAssets::new(&MANIFEST).into_actix());
    /// ```
    pub fn into_actix(self) -> impl FnOnce(&mut ServiceConfig) {
        move |config| {
            let public = self.public_scope();
            for asset in self
                .manifest
                .iter()
                .filter(|a| self.manifest.__is_public(a))
            {
                let service = public.clone();
                config.service(
                    web::resource(asset.url())
                        .to(move |request: HttpRequest| answer(service.clone(), request)),
                );
            }
            let mount = self.manifest.mount_path().trim_end_matches('/').to_owned();
            let service = self.clone();
            let route = web::to(move |request: HttpRequest| answer(service.clone(), request));
            if mount.is_empty() {
                config.default_service(route);
            } else {
                config.service(web::scope(&mount).default_service(route));
            }
        }
    }
}

/// One actix request through the service.
async fn answer(mut service: ServeAssets, request: HttpRequest) -> HttpResponse {
    let response = match to_http(&request) {
        Some(request) => match service.call(request).await {
            Ok(response) => response,
            Err(never) => match never {},
        },
        None => return HttpResponse::BadRequest().finish(),
    };
    to_actix(response).await
}

/// The method, URI and headers of an actix request (actix-web 4 uses `http` 0.2, this crate
/// `http` 1: they meet as bytes).
fn to_http(request: &HttpRequest) -> Option<Request<()>> {
    let mut builder = Request::builder()
        .method(Method::from_bytes(request.method().as_str().as_bytes()).ok()?)
        .uri(request.uri().to_string());
    for (name, value) in request.headers() {
        builder = builder.header(
            HeaderName::from_bytes(name.as_str().as_bytes()).ok()?,
            HeaderValue::from_bytes(value.as_bytes()).ok()?,
        );
    }
    builder.body(()).ok()
}

/// The service's answer as an actix response; the body streams, with its length.
async fn to_actix(response: Response<Body>) -> HttpResponse {
    let (parts, body) = response.into_parts();
    let status =
        ActixStatus::from_u16(parts.status.as_u16()).unwrap_or(ActixStatus::INTERNAL_SERVER_ERROR);
    let mut builder = HttpResponse::build(status);
    for (name, value) in &parts.headers {
        // actix writes the length itself, from the body's size.
        if name == header::CONTENT_LENGTH {
            continue;
        }
        if let (Ok(name), Ok(value)) = (
            ActixName::from_bytes(name.as_str().as_bytes()),
            ActixValue::from_bytes(value.as_bytes()),
        ) {
            builder.append_header((name, value));
        }
    }
    let length = parts
        .headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    match length {
        Some(length) => builder.body(SizedStream::new(length, body.into_data_stream())),
        // A stream of unknown length (live mode's change events) flows as it comes.
        None if body.size_hint().exact().is_none() => builder.streaming(body.into_data_stream()),
        // Other answers without a length are the short texts of errors, or empty (304).
        None => match axum::body::to_bytes(body, SHORT_BODY).await {
            Ok(bytes) => builder.body(bytes),
            Err(_) => HttpResponse::InternalServerError().finish(),
        },
    }
}
