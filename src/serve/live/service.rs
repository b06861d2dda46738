//! Live mode in the service: which requests it answers, and on which thread.

use axum::body::Body;
use http::{HeaderMap, Method, Request, Response};

use crate::serve::{ResponseFuture, ServeAssets};

impl ServeAssets {
    /// Live dev mode's answer (debug builds of a live manifest only): current source bytes,
    /// revalidated, and the live-reload script and change stream.
    pub(in crate::serve) fn respond_live(
        &self,
        method: &Method,
        path: &str,
        headers: &HeaderMap,
    ) -> Option<Response<Body>> {
        let relative = self.relative(path)?;
        super::respond(
            self.manifest,
            &self.policy,
            method,
            relative,
            headers,
            self.live_dir.as_ref(),
        )
    }

    /// [`ServeAssets::respond`] for a live manifest, on a thread of its own; the embedded and
    /// fallback answers as usual for a path live mode does not serve.
    pub(in crate::serve) fn respond_live_apart<B>(&self, request: Request<B>) -> ResponseFuture {
        let (parts, _) = request.into_parts();
        let (tx, rx) = futures::channel::oneshot::channel();
        let service = self.clone();
        std::thread::spawn(move || {
            let path = parts.uri.path();
            let live = service.respond_live(&parts.method, path, &parts.headers);
            let _ = tx.send(live.ok_or(parts));
        });
        let service = self.clone();
        Box::pin(async move {
            match rx.await {
                Ok(Ok(response)) => Ok(response),
                Ok(Err(parts)) => service.call_locked(Request::from_parts(parts, ())).await,
                Err(_) => Ok(service.not_found()),
            }
        })
    }
}
