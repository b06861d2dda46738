//! The answer to one request for another release's asset: the method, the lookup, the HTTP
//! rules of every asset response, and the bytes only when the answer needs them.

use assetlock_contract::url;
use axum::body::Body;
use http::{HeaderMap, Method, Response, StatusCode};

use super::fetch::{FetchError, Held};
use super::lookup::Lookup;
use super::{Fallback, body};
use crate::serve::response::{self, Dictionary, Plan, Policy, Representations};

impl Fallback {
    /// Answers a request for `relative`, a path under the mount that this build does not have.
    /// With `dictionaries`, its text assets are announced as compression dictionaries and
    /// their deltas sent, as for the build's own.
    pub(in crate::serve) async fn respond(
        &self,
        policy: &Policy,
        (method, relative, headers): (&Method, &str, &HeaderMap),
        dictionaries: bool,
    ) -> Response<Body> {
        // Checked before any lookup: other methods cost the server nothing.
        if method != Method::GET && method != Method::HEAD {
            return response::method_not_allowed(policy);
        }
        let shared = self.shared();
        let decoded = url::decode_path(relative);
        let hashed_path = decoded.as_deref().unwrap_or(relative);
        let remote = match shared.lookup(hashed_path).await {
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
        // HEAD: the record gives the length; no byte is fetched.
        if method == Method::HEAD {
            return send.finish_with(object.size, policy, |_, _| Body::empty());
        }
        match shared.held(object).await {
            Ok(Held::Memory(bytes)) => send.finish(bytes, policy),
            Ok(Held::File(file)) => send.finish_with(object.size, policy, |start, end| {
                body::file_body(file, start, end)
            }),
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
