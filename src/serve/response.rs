//! The HTTP rules every asset response follows, whether its bytes are compiled into the binary
//! or come from the bucket: methods, content negotiation, conditional requests, ranges and
//! headers. Deciding what to send needs no bytes; only [`Send::finish`] does.

use std::borrow::Cow;

use axum::body::Body;
use bytes::Bytes;
use http::header::{self, HeaderMap, HeaderName, HeaderValue};
use http::{Method, Response, StatusCode};

use super::conditional;
use super::range::{RangeRequest, Resolved};
use crate::{Asset, Encoding, negotiate};

/// The headers a server adds to every asset response.
#[derive(Clone, Debug)]
pub(crate) struct Policy {
    /// `Cache-Control` of successful responses.
    pub(crate) cache_control: HeaderValue,
    /// `Access-Control-Allow-Origin` of every response, if any.
    pub(crate) allow_origin: Option<HeaderValue>,
}

/// What the server knows of an asset before reading a byte: its type, and the SHA-256 of each
/// representation (identity first, then the variants).
pub(crate) struct Representations<'a> {
    content_type: &'a str,
    list: [(Encoding, &'a str); 4],
    len: usize,
}

impl<'a> Representations<'a> {
    /// An asset whose identity bytes have `sha256`.
    pub(crate) fn new(content_type: &'a str, sha256: &'a str) -> Representations<'a> {
        Representations {
            content_type,
            list: [(Encoding::Identity, sha256); 4],
            len: 1,
        }
    }

    /// Adds a variant; codings past the fourth are ignored (there are only four).
    pub(crate) fn variant(mut self, encoding: Encoding, sha256: &'a str) -> Representations<'a> {
        if self.len < self.list.len() && encoding != Encoding::Identity {
            self.list[self.len] = (encoding, sha256);
            self.len += 1;
        }
        self
    }

    /// A compiled-in asset and its variants.
    pub(crate) fn of(asset: &'static Asset) -> Representations<'static> {
        asset.variants().iter().fold(
            Representations::new(asset.content_type(), asset.sha256()),
            |reps, v| reps.variant(v.encoding(), v.sha256()),
        )
    }

    /// The codings of the variants, in a stack array: (array, count).
    fn available(&self) -> ([Encoding; 3], usize) {
        let mut available = [Encoding::Identity; 3];
        for (slot, &(e, _)) in available.iter_mut().zip(&self.list[1..self.len]) {
            *slot = e;
        }
        (available, self.len - 1)
    }

    fn sha256(&self, encoding: Encoding) -> Option<&'a str> {
        self.list[..self.len]
            .iter()
            .find(|&&(e, _)| e == encoding)
            .map(|&(_, sha)| sha)
    }
}

/// The outcome of the rules: a response that needs no bytes, or bytes to send.
pub(crate) enum Plan {
    Done(Response<Body>),
    Send(Send),
}

/// A successful response waiting for the bytes of one representation.
pub(crate) struct Send {
    pub(crate) encoding: Encoding,
    range: Option<RangeRequest>,
    head: bool,
    response: Response<Body>,
}

/// Applies every rule that does not need the bytes.
pub(crate) fn plan(
    policy: &Policy,
    method: &Method,
    headers: &HeaderMap,
    reps: &Representations<'_>,
) -> Plan {
    let head = method == Method::HEAD;
    if method != Method::GET && !head {
        let mut response = plain(
            policy,
            StatusCode::METHOD_NOT_ALLOWED,
            "method not allowed\n",
        );
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return Plan::Done(response);
    }
    // Range applies to GET only (RFC 9110 §14.2), and to the identity bytes.
    let range = if head {
        None
    } else {
        RangeRequest::from_headers(headers, reps.list[0].1)
    };
    let encoding = match range {
        Some(_) => Some(Encoding::Identity),
        None => {
            let accept = accept_encoding(headers);
            let (available, count) = reps.available();
            negotiate(accept.as_deref(), &available[..count])
        }
    };
    let Some(encoding) = encoding else {
        let text = "no acceptable content coding\n";
        return Plan::Done(plain(policy, StatusCode::NOT_ACCEPTABLE, text));
    };
    let Some(sha256) = reps.sha256(encoding) else {
        let text = "asset unavailable\n";
        return Plan::Done(plain(policy, StatusCode::INTERNAL_SERVER_ERROR, text));
    };
    if !conditional::matches(headers, sha256) {
        let text = "precondition failed\n";
        return Plan::Done(plain(policy, StatusCode::PRECONDITION_FAILED, text));
    }
    let mut response = success_headers(policy, reps.content_type, encoding, sha256);
    if conditional::not_modified(headers, sha256) {
        *response.status_mut() = StatusCode::NOT_MODIFIED;
        return Plan::Done(response);
    }
    Plan::Send(Send {
        encoding,
        range,
        head,
        response,
    })
}

impl Send {
    /// The response with the representation's bytes (or their length only, for HEAD).
    pub(crate) fn finish(self, bytes: Bytes, policy: &Policy) -> Response<Body> {
        let len = bytes.len() as u64;
        self.finish_with(len, policy, |start, end| {
            Body::from(bytes.slice(start as usize..end as usize))
        })
    }

    /// The response for a representation of `len` bytes whose body `body(start, end)` makes
    /// from the byte range `start..end`, called only when a body is sent.
    pub(crate) fn finish_with(
        self,
        len: u64,
        policy: &Policy,
        body: impl FnOnce(u64, u64) -> Body,
    ) -> Response<Body> {
        let Send {
            range,
            head,
            mut response,
            ..
        } = self;
        let (start, end) = match range.map(|r| r.resolve(len)) {
            Some(Resolved::Satisfiable(first, last)) => {
                *response.status_mut() = StatusCode::PARTIAL_CONTENT;
                let value = format!("bytes {first}-{last}/{len}");
                set(&mut response, header::CONTENT_RANGE, value);
                (first, last + 1)
            }
            Some(Resolved::Unsatisfiable) => {
                let text = "range not satisfiable\n";
                let mut response = plain(policy, StatusCode::RANGE_NOT_SATISFIABLE, text);
                set(
                    &mut response,
                    header::CONTENT_RANGE,
                    format!("bytes */{len}"),
                );
                return response;
            }
            Some(Resolved::Whole) | None => (0, len),
        };
        set(
            &mut response,
            header::CONTENT_LENGTH,
            (end - start).to_string(),
        );
        if !head {
            *response.body_mut() = body(start, end);
        }
        response
    }
}

/// Every `Accept-Encoding` field line, combined into one list (RFC 9110 §5.3).
fn accept_encoding(headers: &HeaderMap) -> Option<Cow<'_, str>> {
    let mut lines = headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok());
    let first = lines.next()?;
    match lines.next() {
        None => Some(Cow::Borrowed(first)),
        Some(second) => {
            let rest = lines.fold(format!("{first},{second}"), |all, line| all + "," + line);
            Some(Cow::Owned(rest))
        }
    }
}

/// A 200 response with every header but the length.
fn success_headers(
    policy: &Policy,
    content_type: &str,
    encoding: Encoding,
    sha256: &str,
) -> Response<Body> {
    let mut response = Response::new(Body::empty());
    let headers = response.headers_mut();
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    headers.insert(header::CACHE_CONTROL, policy.cache_control.clone());
    if let Some(origin) = &policy.allow_origin {
        headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin.clone());
    }
    if let Ok(content_type) = HeaderValue::from_str(content_type) {
        headers.insert(header::CONTENT_TYPE, content_type);
    }
    if encoding == Encoding::Identity {
        // Only the identity bytes can be ranged.
        headers.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    } else {
        let token = HeaderValue::from_static(encoding.as_str());
        headers.insert(header::CONTENT_ENCODING, token);
    }
    set(&mut response, header::ETAG, format!("\"{sha256}\""));
    response
}

/// A short text response that no cache may keep.
pub(crate) fn plain(policy: &Policy, status: StatusCode, text: &'static str) -> Response<Body> {
    let mut response = Response::new(Body::from(text));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    if let Some(origin) = &policy.allow_origin {
        headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin.clone());
    }
    response
}

fn set(response: &mut Response<Body>, name: HeaderName, value: String) {
    if let Ok(value) = HeaderValue::try_from(value) {
        response.headers_mut().insert(name, value);
    }
}
