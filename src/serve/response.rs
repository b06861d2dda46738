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
use crate::encoding::accepts;
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
    dictionary: Dictionary<'a>,
}

/// What an asset's responses say and do about compression dictionaries (RFC 9842).
#[derive(Clone, Copy, Default)]
pub(crate) struct Dictionary<'a> {
    /// The `match` of `Use-As-Dictionary`, when the asset is announced as a dictionary.
    pub(crate) pattern: Option<&'a str>,
    /// The asset has deltas: its responses depend on `Available-Dictionary`.
    pub(crate) varies: bool,
    /// The delta for the dictionary the request names: (coding token, SHA-256 of the body).
    pub(crate) delta: Option<(&'static str, &'a str)>,
}

impl<'a> Representations<'a> {
    /// An asset whose identity bytes have `sha256`.
    pub(crate) fn new(content_type: &'a str, sha256: &'a str) -> Representations<'a> {
        Representations {
            content_type,
            list: [(Encoding::Identity, sha256); 4],
            len: 1,
            dictionary: Dictionary::default(),
        }
    }

    /// Sets what the responses say and do about compression dictionaries.
    pub(crate) fn dictionary(mut self, dictionary: Dictionary<'a>) -> Representations<'a> {
        self.dictionary = dictionary;
        self
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
    /// The body is the delta the request's dictionary picked, not a variant.
    pub(crate) delta: bool,
    range: Option<RangeRequest>,
    head: bool,
    response: Response<Body>,
}

/// 405: assets answer GET and HEAD only.
pub(crate) fn method_not_allowed(policy: &Policy) -> Response<Body> {
    let mut response = plain(
        policy,
        StatusCode::METHOD_NOT_ALLOWED,
        "method not allowed\n",
    );
    response
        .headers_mut()
        .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
    response
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
        return Plan::Done(method_not_allowed(policy));
    }
    // Range applies to GET only (RFC 9110 §14.2), and to the identity bytes.
    let range = if head {
        None
    } else {
        RangeRequest::from_headers(headers, reps.list[0].1)
    };
    let accept = accept_encoding(headers);
    // A delta is always the smallest body: sent whenever the client accepts its coding.
    let delta = match (range, reps.dictionary.delta, accept.as_deref()) {
        (None, Some((token, sha256)), Some(accept)) if accepts(accept, token) => {
            Some((token, sha256))
        }
        _ => None,
    };
    // A range (and a delta) is cut from one fixed representation; the encoding is then unused.
    let encoding = if range.is_some() || delta.is_some() {
        Some(Encoding::Identity)
    } else {
        let (available, count) = reps.available();
        negotiate(accept.as_deref(), &available[..count])
    };
    let Some(encoding) = encoding else {
        let text = "no acceptable content coding\n";
        return Plan::Done(plain(policy, StatusCode::NOT_ACCEPTABLE, text));
    };
    let sha256 = match delta {
        Some((_, sha256)) => Some(sha256),
        None => reps.sha256(encoding),
    };
    let Some(sha256) = sha256 else {
        let text = "asset unavailable\n";
        return Plan::Done(plain(policy, StatusCode::INTERNAL_SERVER_ERROR, text));
    };
    if !conditional::matches(headers, sha256) {
        let text = "precondition failed\n";
        return Plan::Done(plain(policy, StatusCode::PRECONDITION_FAILED, text));
    }
    let coding = delta.map_or(encoding.as_str(), |(token, _)| token);
    let mut response = success_headers(policy, reps, coding, sha256);
    if conditional::not_modified(headers, sha256) {
        *response.status_mut() = StatusCode::NOT_MODIFIED;
        return Plan::Done(response);
    }
    Plan::Send(Send {
        encoding,
        delta: delta.is_some(),
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

/// The `Use-As-Dictionary` response header (RFC 9842 §2.1).
pub(crate) const USE_AS_DICTIONARY: HeaderName = HeaderName::from_static("use-as-dictionary");

/// The `Available-Dictionary` request header (RFC 9842 §2.2).
pub(crate) const AVAILABLE_DICTIONARY: HeaderName = HeaderName::from_static("available-dictionary");

/// The `Use-As-Dictionary` pattern of a content-addressed asset, if it is announced as a
/// dictionary: text assets (those with precompressed variants, the ones the build makes deltas
/// for), source maps aside.
pub(crate) fn dictionary_pattern(url: &str, logical: &str, has_variants: bool) -> Option<String> {
    if !has_variants || logical.ends_with(".map") {
        return None;
    }
    assetlock_contract::dictionary::match_pattern(url, logical)
}

/// The lower-case hex SHA-256 of the dictionary a request's `Available-Dictionary` names.
pub(crate) fn requested_dictionary(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(AVAILABLE_DICTIONARY)?.to_str().ok()?;
    let sha256 = assetlock_contract::dictionary::parse_available_dictionary(value)?;
    Some(assetlock_contract::dictionary::hex(&sha256))
}

/// The smallest of `deltas` (coding, size, what) whose coding the request accepts; the
/// caller has kept those for the dictionary the request names.
pub(crate) fn pick_delta<T>(
    headers: &HeaderMap,
    deltas: impl Iterator<Item = (assetlock_contract::dictionary::DeltaCoding, u64, T)>,
) -> Option<T> {
    let accept = accept_encoding(headers)?;
    deltas
        .filter(|(coding, _, _)| accepts(&accept, coding.as_str()))
        .min_by_key(|&(_, size, _)| size)
        .map(|(_, _, delta)| delta)
}

/// `X-Content-Type-Options` of every asset response: a browser takes the `Content-Type` as
/// given and never sniffs an object into HTML or script, whoever put it in the bucket.
pub(crate) const NOSNIFF: HeaderValue = HeaderValue::from_static("nosniff");

/// `Content-Security-Policy` of asset documents that could run script when opened directly
/// (HTML, SVG, XML): an asset is a resource of a page, never a page of its own, so nothing
/// planted in the bucket runs script on the app's origin.
pub(crate) const NO_SCRIPT: HeaderValue =
    HeaderValue::from_static("script-src 'none'; object-src 'none'; base-uri 'none'");

/// A 200 response with every header but the length; `coding` is the `Content-Encoding` token
/// of the body (`identity` for none).
fn success_headers(
    policy: &Policy,
    reps: &Representations<'_>,
    coding: &'static str,
    sha256: &str,
) -> Response<Body> {
    let mut response = Response::new(Body::empty());
    let headers = response.headers_mut();
    let vary = match reps.dictionary.varies {
        true => "accept-encoding, available-dictionary",
        false => "accept-encoding",
    };
    headers.insert(header::VARY, HeaderValue::from_static(vary));
    headers.insert(header::CACHE_CONTROL, policy.cache_control.clone());
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, NOSNIFF);
    if let Some(origin) = &policy.allow_origin {
        headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin.clone());
    }
    if let Ok(content_type) = HeaderValue::from_str(reps.content_type) {
        headers.insert(header::CONTENT_TYPE, content_type);
    }
    if assetlock_contract::mime::may_run_script(reps.content_type) {
        headers.insert(header::CONTENT_SECURITY_POLICY, NO_SCRIPT);
    }
    if let Some(pattern) = reps.dictionary.pattern {
        let value = assetlock_contract::dictionary::use_as_dictionary(pattern);
        if let Ok(value) = HeaderValue::try_from(value) {
            headers.insert(USE_AS_DICTIONARY, value);
        }
    }
    if coding == Encoding::Identity.as_str() {
        // Only the identity bytes can be ranged.
        headers.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    } else {
        headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(coding));
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
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, NOSNIFF);
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
