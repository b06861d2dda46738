//! Create-only multipart uploads to S3, for objects too large for one comfortable PUT.
//!
//! object_store 0.13 completes its multipart uploads unconditionally, which could replace an
//! object stored meanwhile. So the three S3 requests are made here, signed with object_store's
//! own SigV4 signer and the store's credentials, and the completion carries
//! `If-None-Match: *` (S3's conditional write): the object appears whole and only if the key
//! is still free. An upload that does not complete is aborted, so no parts are left behind to
//! pay for.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use futures::{StreamExt, TryStreamExt};
use http::{Method, Request, StatusCode};
use object_store::aws::{AmazonS3, AmazonS3Builder, AmazonS3ConfigKey, AwsAuthorizer};
use object_store::client::{
    ClientConfigKey, ClientOptions, HttpClient, HttpConnector, HttpRequestBody, ReqwestConnector,
};
use object_store::{Attribute, Attributes};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use super::redact::redact;
use super::s3_text::{element, failure, with_sources};

/// Bytes S3 requires of every part but the last.
pub(crate) const MIN_PART_SIZE: u64 = 5 * 1024 * 1024;

/// The most parts one upload may have.
const MAX_PARTS: u64 = 10_000;

/// Objects from this size on go up in parts (default).
pub(crate) const DEFAULT_THRESHOLD: u64 = 64 * 1024 * 1024;

/// The size of each part (default).
pub(crate) const DEFAULT_PART_SIZE: u64 = 16 * 1024 * 1024;

/// Parts of one object in flight at once.
const PARTS_IN_FLIGHT: usize = 4;

/// Attempts per request: a part or a completion that fails on the way is sent again.
const ATTEMPTS: u32 = 5;

/// What S3 leaves unescaped in a key: RFC 3986's unreserved characters, and `/`.
const KEY: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'/');

/// Multipart uploads to the bucket of one S3 store.
#[derive(Clone)]
pub(crate) struct Multipart {
    store: Arc<AmazonS3>,
    client: HttpClient,
    /// `https://host/bucket` (path style) or `https://bucket.host` (virtual-hosted).
    pub(crate) bucket_url: String,
    region: String,
    pub(crate) threshold: u64,
    pub(crate) part_size: u64,
}

/// How a completion ended.
#[derive(Debug)]
pub(crate) enum Completed {
    Created,
    /// The key was taken when the upload completed (`412 Precondition Failed`).
    KeyTaken,
}

impl Multipart {
    /// Multipart uploads with the endpoint, region and client settings of `builder`, signed
    /// with the credentials of `store` (built from it).
    pub(crate) fn new(builder: &AmazonS3Builder, store: Arc<AmazonS3>) -> Result<Self, String> {
        let get = |key| builder.get_config_value(&key);
        let bucket = get(AmazonS3ConfigKey::Bucket).ok_or("no bucket")?;
        let region = get(AmazonS3ConfigKey::Region).unwrap_or_else(|| "us-east-1".to_owned());
        let virtual_hosted =
            get(AmazonS3ConfigKey::VirtualHostedStyleRequest).as_deref() == Some("true");
        let endpoint = get(AmazonS3ConfigKey::S3Endpoint).or(get(AmazonS3ConfigKey::Endpoint));
        let bucket_url = match (endpoint, virtual_hosted) {
            (Some(endpoint), true) => endpoint.trim_end_matches('/').to_owned(),
            (Some(endpoint), false) => format!("{}/{bucket}", endpoint.trim_end_matches('/')),
            (None, true) => format!("https://{bucket}.s3.{region}.amazonaws.com"),
            (None, false) => format!("https://s3.{region}.amazonaws.com/{bucket}"),
        };
        let allow_http = get(AmazonS3ConfigKey::Client(ClientConfigKey::AllowHttp))
            .is_some_and(|v| v.eq_ignore_ascii_case("true"));
        let client = ReqwestConnector::default()
            .connect(&ClientOptions::new().with_allow_http(allow_http))
            .map_err(|e| e.to_string())?;
        Ok(Multipart {
            store,
            client,
            bucket_url,
            region,
            threshold: DEFAULT_THRESHOLD,
            part_size: DEFAULT_PART_SIZE,
        })
    }

    /// Stores `bytes` at `key` in parts with `attributes` (Content-Type, Content-Encoding,
    /// Cache-Control), unless the key is taken when the upload completes.
    pub(crate) async fn put(
        &self,
        key: &str,
        bytes: Bytes,
        attributes: &Attributes,
    ) -> Result<Completed, String> {
        let url = format!("{}/{}", self.bucket_url, utf8_percent_encode(key, KEY));
        let upload_id = self.create(&url, attributes).await?;
        let result = self.send_parts_and_complete(&url, &upload_id, bytes).await;
        if !matches!(result, Ok(Completed::Created)) {
            // An upload that did not complete keeps its parts (and costs) until aborted. Best
            // effort: parts a failed abort leaves behind are for a lifecycle rule to clean up.
            let abort = format!("{url}?uploadId={}", query(&upload_id));
            let _ = self.send(Method::DELETE, &abort, &[], Bytes::new()).await;
        }
        result
    }

    async fn send_parts_and_complete(
        &self,
        url: &str,
        upload_id: &str,
        bytes: Bytes,
    ) -> Result<Completed, String> {
        let part_size = self.part_size_for(bytes.len() as u64) as usize;
        let parts: Vec<Bytes> = (0..bytes.len())
            .step_by(part_size)
            .map(|start| bytes.slice(start..(start + part_size).min(bytes.len())))
            .collect();
        let etags: Vec<String> = futures::stream::iter(parts.into_iter().enumerate())
            .map(|(i, part)| self.upload_part(url, upload_id, i + 1, part))
            .buffered(PARTS_IN_FLIGHT)
            .try_collect()
            .await?;
        self.complete(url, upload_id, &etags).await
    }

    /// Part size for an object of `size` bytes: the configured size, or larger when the object
    /// would need more than 10,000 parts.
    fn part_size_for(&self, size: u64) -> u64 {
        self.part_size
            .max(MIN_PART_SIZE)
            .max(size.div_ceil(MAX_PARTS))
    }

    async fn create(&self, url: &str, attributes: &Attributes) -> Result<String, String> {
        let mut headers = Vec::new();
        for (attribute, value) in attributes {
            let name = match attribute {
                Attribute::ContentType => "content-type",
                Attribute::ContentEncoding => "content-encoding",
                Attribute::CacheControl => "cache-control",
                _ => continue,
            };
            headers.push((name, value.as_ref().to_owned()));
        }
        let (status, body, _) = self
            .send(
                Method::POST,
                &format!("{url}?uploads"),
                &headers,
                Bytes::new(),
            )
            .await?;
        if !status.is_success() {
            return Err(failure("starting the multipart upload", status, &body));
        }
        element(&body, "UploadId")
            .ok_or_else(|| "starting the multipart upload: no UploadId in the answer".to_owned())
    }

    async fn upload_part(
        &self,
        url: &str,
        upload_id: &str,
        number: usize,
        part: Bytes,
    ) -> Result<String, String> {
        let url = format!("{url}?partNumber={number}&uploadId={}", query(upload_id));
        let answer = self.send(Method::PUT, &url, &[], part).await;
        match answer.map_err(|e| format!("part {number}: {e}"))? {
            (status, _, Some(etag)) if status.is_success() => Ok(etag),
            (status, body, _) => Err(failure(&format!("part {number}"), status, &body)),
        }
    }

    async fn complete(
        &self,
        url: &str,
        upload_id: &str,
        etags: &[String],
    ) -> Result<Completed, String> {
        let mut xml = String::from("<CompleteMultipartUpload>");
        for (i, etag) in etags.iter().enumerate() {
            xml.push_str(&format!(
                "<Part><PartNumber>{}</PartNumber><ETag>{}</ETag></Part>",
                i + 1,
                quick_xml::escape::escape(etag.as_str())
            ));
        }
        xml.push_str("</CompleteMultipartUpload>");
        let url = format!("{url}?uploadId={}", query(upload_id));
        let headers = [("if-none-match", "*".to_owned())];
        let (status, body, _) = self
            .send(Method::POST, &url, &headers, Bytes::from(xml))
            .await?;
        match status {
            StatusCode::PRECONDITION_FAILED => Ok(Completed::KeyTaken),
            // S3 may answer 200 and put the error in the body.
            s if s.is_success() && element(&body, "Code").is_none() => Ok(Completed::Created),
            s => Err(failure("completing the multipart upload", s, &body)),
        }
    }

    /// One signed request, sent again after a connection error or a 5xx/429 answer with
    /// exponential backoff. Returns the status, the body and the ETag header.
    pub(crate) async fn send(
        &self,
        method: Method,
        url: &str,
        headers: &[(&str, String)],
        body: Bytes,
    ) -> Result<(StatusCode, String, Option<String>), String> {
        let mut delay = Duration::from_millis(100);
        let mut attempt = 1;
        loop {
            let outcome = self.request_once(&method, url, headers, body.clone()).await;
            let retry = match &outcome {
                Ok((status, ..)) => {
                    status.is_server_error() || *status == StatusCode::TOO_MANY_REQUESTS
                }
                Err(_) => true,
            };
            if !retry || attempt == ATTEMPTS {
                return outcome;
            }
            tokio::time::sleep(delay).await;
            delay = (delay * 2).min(Duration::from_secs(10));
            attempt += 1;
        }
    }

    async fn request_once(
        &self,
        method: &Method,
        url: &str,
        headers: &[(&str, String)],
        body: Bytes,
    ) -> Result<(StatusCode, String, Option<String>), String> {
        let mut builder = Request::builder().method(method.clone()).uri(url);
        for (name, value) in headers {
            builder = builder.header(*name, value.as_str());
        }
        let mut request = builder
            .header("content-length", body.len())
            .body(HttpRequestBody::from(body))
            .map_err(|e| e.to_string())?;
        let credential = self
            .store
            .credentials()
            .get_credential()
            .await
            .map_err(|e| redact(&e.to_string()))?;
        AwsAuthorizer::new(&credential, "s3", &self.region).authorize(&mut request, None);
        let response = self
            .client
            .execute(request)
            .await
            .map_err(|e| redact(&with_sources(&e)))?;
        let status = response.status();
        let etag = response
            .headers()
            .get("etag")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let body = response
            .into_body()
            .bytes()
            .await
            .map_err(|e| redact(&e.to_string()))?;
        Ok((status, String::from_utf8_lossy(&body).into_owned(), etag))
    }
}

/// Percent-encodes a query parameter value.
fn query(value: &str) -> String {
    utf8_percent_encode(value, NON_ALPHANUMERIC).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn multipart(part_size: u64) -> Multipart {
        let builder = AmazonS3Builder::new()
            .with_bucket_name("bucket")
            .with_region("eu-west-1")
            .with_access_key_id("AKID")
            .with_secret_access_key("secret");
        let store = Arc::new(builder.clone().build().unwrap());
        let mut multipart = Multipart::new(&builder, store).unwrap();
        multipart.part_size = part_size;
        multipart
    }

    #[test]
    fn bucket_url_follows_the_builder() {
        assert_eq!(
            multipart(DEFAULT_PART_SIZE).bucket_url,
            "https://s3.eu-west-1.amazonaws.com/bucket"
        );
        let builder = AmazonS3Builder::new()
            .with_bucket_name("b")
            .with_endpoint("http://127.0.0.1:9000/")
            .with_allow_http(true)
            .with_access_key_id("AKID")
            .with_secret_access_key("secret");
        let store = Arc::new(builder.clone().build().unwrap());
        let multipart = Multipart::new(&builder, store).unwrap();
        assert_eq!(multipart.bucket_url, "http://127.0.0.1:9000/b");
    }

    #[test]
    fn parts_are_at_least_5_mib_and_at_most_10000() {
        assert_eq!(multipart(1).part_size_for(100), MIN_PART_SIZE);
        let huge = 200 * 1024 * 1024 * 1024;
        let size = multipart(DEFAULT_PART_SIZE).part_size_for(huge);
        assert!(huge.div_ceil(size) <= MAX_PARTS);
    }

    #[test]
    fn requests_are_escaped() {
        assert_eq!(query("a/b+c="), "a%2Fb%2Bc%3D");
        assert_eq!(
            utf8_percent_encode("p/css/a b%é.css", KEY).to_string(),
            "p/css/a%20b%25%C3%A9.css"
        );
    }
}
