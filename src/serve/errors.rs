//! `Cache-Control: no-store` on the error responses of the rest of an app.

use axum::response::Response;
use http::header::{self, HeaderValue};

/// Adds `Cache-Control: no-store` to an error response (4xx or 5xx) that has no
/// `Cache-Control` of its own; other responses pass unchanged.
///
/// [`ServeAssets`](super::ServeAssets) already answers every miss under its mount path with
/// `no-store`. A request outside it (`/favicon.ico`, a mistyped page, a 405 on a page route) is
/// answered by the rest of the app, and axum's default 404 carries no `Cache-Control`: a CDN in
/// front of the app may then cache that miss and keep serving it after the deploy that adds the
/// path. Wrap the whole router with this function, through
/// [`axum::middleware::map_response`], so that no error anywhere in the app is cached. A
/// handler that sets its own `Cache-Control` on an error keeps it.
///
/// ```
/// # mod demo { assetlock::__doc_manifest!(); }
/// # use demo::MANIFEST;
/// use assetlock::serve::{ServeAssets, no_store_errors};
/// use axum::{Router, middleware, routing::get};
///
/// let app: Router = Router::new()
///     .route("/", get(|| async { "home" }))
///     .merge(ServeAssets::new(&MANIFEST).into_router())
///     .layer(middleware::map_response(no_store_errors));
/// ```
pub async fn no_store_errors(mut response: Response) -> Response {
    let status = response.status();
    if (status.is_client_error() || status.is_server_error())
        && !response.headers().contains_key(header::CACHE_CONTROL)
    {
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use http::StatusCode;

    fn response(status: StatusCode, cache_control: Option<&'static str>) -> Response {
        let mut builder = Response::builder().status(status);
        if let Some(value) = cache_control {
            builder = builder.header(header::CACHE_CONTROL, value);
        }
        builder.body(Body::empty()).unwrap()
    }

    fn cache_control(status: StatusCode, own: Option<&'static str>) -> Option<String> {
        let response = futures::executor::block_on(no_store_errors(response(status, own)));
        response
            .headers()
            .get(header::CACHE_CONTROL)
            .map(|v| v.to_str().unwrap().to_owned())
    }

    #[test]
    fn errors_without_a_policy_get_no_store() {
        for status in [
            StatusCode::NOT_FOUND,
            StatusCode::METHOD_NOT_ALLOWED,
            StatusCode::INTERNAL_SERVER_ERROR,
            StatusCode::BAD_GATEWAY,
        ] {
            assert_eq!(cache_control(status, None).as_deref(), Some("no-store"));
        }
    }

    #[test]
    fn successes_redirects_and_an_own_policy_are_left_alone() {
        assert_eq!(cache_control(StatusCode::OK, None), None);
        assert_eq!(cache_control(StatusCode::NOT_MODIFIED, None), None);
        assert_eq!(cache_control(StatusCode::FOUND, None), None);
        assert_eq!(
            cache_control(StatusCode::NOT_FOUND, Some("max-age=60")).as_deref(),
            Some("max-age=60")
        );
    }
}
