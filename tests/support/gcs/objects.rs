//! Objects of the Cloud Storage XML API: PUT with generation preconditions, GET and HEAD with
//! conditions, ranges and decompressive transcoding, DELETE. As the service documents them:
//! - a PUT with `x-goog-if-generation-match: 0` fails with 412 when the object exists, one with
//!   a generation fails unless it is the live one; every write makes a new generation;
//! - an object stored with `Content-Encoding: gzip` is served decompressed (and without the
//!   header) to a request without `Accept-Encoding: gzip`, unless its `Cache-Control` has
//!   `no-transform`; ranges are then ignored.

use std::collections::BTreeMap;
use std::io::Read;
use std::time::{Duration, SystemTime};

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::Response;

/// One live object generation.
#[derive(Clone)]
pub struct Object {
    pub data: Bytes,
    pub generation: u64,
    pub updated: SystemTime,
    pub etag: String,
    /// Content-Type, Cache-Control, Content-Encoding, Content-Disposition, Content-Language
    /// and `x-goog-meta-*`, as stored.
    pub headers: BTreeMap<String, String>,
}

/// The headers a PUT stores with the object.
const STORED: [&str; 5] = [
    "content-type",
    "cache-control",
    "content-encoding",
    "content-disposition",
    "content-language",
];

impl Object {
    fn stored(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(String::as_str)
    }
}

/// An XML error answer as the service writes them.
pub fn error(status: StatusCode, code: &str, message: &str) -> Response {
    let body = format!(
        "<?xml version='1.0' encoding='UTF-8'?><Error><Code>{code}</Code>\
         <Message>{}</Message></Error>",
        super::listing::escape(message)
    );
    Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, "application/xml; charset=UTF-8")
        .body(Body::from(body))
        .unwrap()
}

/// What a PUT asks for: the new object, or why its precondition fails.
pub fn put(
    live: Option<&Object>,
    generation: u64,
    headers: &HeaderMap,
    data: Bytes,
) -> Result<Object, String> {
    if let Some(wanted) = header_str(headers, "x-goog-if-generation-match") {
        let current = live.map_or(0, |o| o.generation);
        if wanted.parse::<u64>().ok() != Some(current) {
            return Err(format!(
                "generation {current} is live; the request wanted {wanted}"
            ));
        }
    }
    let mut stored = BTreeMap::new();
    for (name, value) in headers {
        let name = name.as_str();
        if STORED.contains(&name) || name.starts_with("x-goog-meta-") {
            stored.insert(name.to_owned(), value.to_str().unwrap_or("").to_owned());
        }
    }
    let digest = ring::digest::digest(&ring::digest::SHA256, &data);
    let etag: String = digest.as_ref()[..16]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    Ok(Object {
        data,
        generation,
        // The service keeps milliseconds.
        updated: truncate_to_millis(SystemTime::now()),
        etag: format!("\"{etag}\""),
        headers: stored,
    })
}

/// The answer to a PUT that stored `object`.
pub fn stored(object: &Object) -> Response {
    Response::builder()
        .header(header::ETAG, &object.etag)
        .header("x-goog-generation", object.generation)
        .header("x-goog-metageneration", "1")
        .body(Body::empty())
        .unwrap()
}

/// The answer to a GET or HEAD of `object`.
pub fn read(object: &Object, method: &Method, headers: &HeaderMap) -> Response {
    if let Some(refusal) = conditions(object, headers) {
        return refusal;
    }
    let no_transform = object
        .stored("cache-control")
        .is_some_and(|v| v.split(',').any(|d| d.trim() == "no-transform"));
    let accepts_gzip = header_str(headers, "accept-encoding")
        .is_some_and(|v| v.split(',').any(|c| c.trim().starts_with("gzip")));
    let transcode = object.stored("content-encoding") == Some("gzip") && !no_transform;
    let mut response = Response::builder()
        .header(header::ETAG, &object.etag)
        .header(
            header::LAST_MODIFIED,
            httpdate::fmt_http_date(object.updated),
        )
        .header(header::ACCEPT_RANGES, "bytes")
        .header("x-goog-generation", object.generation)
        .header("x-goog-metageneration", "1")
        .header("x-goog-stored-content-length", object.data.len())
        .header(
            "x-goog-stored-content-encoding",
            object.stored("content-encoding").unwrap_or("identity"),
        );
    for (name, value) in &object.headers {
        if transcode && !accepts_gzip && name == "content-encoding" {
            continue;
        }
        response = response.header(name, value);
    }
    if !object.headers.contains_key("content-type") {
        response = response.header(header::CONTENT_TYPE, "application/octet-stream");
    }
    if transcode && !accepts_gzip {
        let mut plain = Vec::new();
        let mut decoder = flate2::read::GzDecoder::new(object.data.as_ref());
        if decoder.read_to_end(&mut plain).is_err() {
            return error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "InternalError",
                "not gzip",
            );
        }
        response = response.header("warning", "214 UploadServer gunzipped");
        return finish(response, Bytes::from(plain), method);
    }
    let total = object.data.len() as u64;
    match header_str(headers, "range").map(|r| range(r, total)) {
        None => finish(response, object.data.clone(), method),
        Some(None) => response
            .status(StatusCode::RANGE_NOT_SATISFIABLE)
            .header(header::CONTENT_RANGE, format!("bytes */{total}"))
            .body(Body::empty())
            .unwrap(),
        Some(Some((first, last))) => {
            let part = object.data.slice(first as usize..=last as usize);
            let response = response.status(StatusCode::PARTIAL_CONTENT).header(
                header::CONTENT_RANGE,
                format!("bytes {first}-{last}/{total}"),
            );
            finish(response, part, method)
        }
    }
}

fn finish(response: axum::http::response::Builder, body: Bytes, method: &Method) -> Response {
    let response = response.header(header::CONTENT_LENGTH, body.len());
    let body = match method == Method::HEAD {
        true => Body::empty(),
        false => Body::from(body),
    };
    response.body(body).unwrap()
}

/// The answer when a conditional header of the request does not hold.
fn conditions(object: &Object, headers: &HeaderMap) -> Option<Response> {
    let date = |name| header_str(headers, name).and_then(|v| httpdate::parse_http_date(v).ok());
    let tag_in = |list: &str| {
        list.split(',')
            .any(|t| t.trim() == object.etag || t.trim() == "*")
    };
    let failed = || {
        error(
            StatusCode::PRECONDITION_FAILED,
            "PreconditionFailed",
            "a condition of the request does not hold",
        )
    };
    let not_modified = || {
        Response::builder()
            .status(StatusCode::NOT_MODIFIED)
            .header(header::ETAG, HeaderValue::from_str(&object.etag).unwrap())
            .body(Body::empty())
            .unwrap()
    };
    if header_str(headers, "if-match").is_some_and(|v| !tag_in(v)) {
        return Some(failed());
    }
    if date("if-unmodified-since").is_some_and(|d| object.updated > d + Duration::from_millis(999))
    {
        return Some(failed());
    }
    if header_str(headers, "if-none-match").is_some_and(tag_in) {
        return Some(not_modified());
    }
    if date("if-modified-since").is_some_and(|d| object.updated < d + Duration::from_secs(1)) {
        return Some(not_modified());
    }
    None
}

/// The inclusive byte range a `Range: bytes=...` header asks of `total` bytes; `None` when it
/// cannot be satisfied.
fn range(value: &str, total: u64) -> Option<(u64, u64)> {
    let spec = value.strip_prefix("bytes=")?;
    let (first, last) = spec.split_once('-')?;
    let (first, last) = match (first.parse::<u64>().ok(), last.parse::<u64>().ok()) {
        (Some(first), Some(last)) => (first, last.min(total.checked_sub(1)?)),
        (Some(first), None) => (first, total.checked_sub(1)?),
        (None, Some(suffix)) => (total.saturating_sub(suffix), total.checked_sub(1)?),
        (None, None) => return None,
    };
    (first <= last && first < total).then_some((first, last))
}

pub fn header_str<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

fn truncate_to_millis(time: SystemTime) -> SystemTime {
    let since = time.duration_since(SystemTime::UNIX_EPOCH).unwrap();
    SystemTime::UNIX_EPOCH + Duration::from_millis(since.as_millis() as u64)
}
