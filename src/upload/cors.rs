//! The bucket's CORS rules, read for `--verify`: a URL prefix on another origin needs them.

use assetlock_contract::url;
use bytes::Bytes;
use http::{Method, StatusCode};

use super::multipart::Multipart;
use super::s3_text::element;
use super::{Destination, Source};

/// Pages on the app's origin load fonts and `crossorigin` scripts from a URL prefix on another
/// origin only if that origin answers with CORS headers: a bucket serving them straight needs
/// a CORS rule. Says so when an S3 bucket has none (other stores cannot be asked).
pub(crate) async fn warning(source: &Source, dest: &Destination) -> Option<String> {
    let prefix = &source.manifest().url_prefix;
    if !url::is_cross_origin(prefix) {
        return None;
    }
    let requests = dest.s3_requests()?;
    let advice = "fonts and crossorigin scripts from it will be blocked if the CDN serves \
                  them from the bucket; add a CORS rule allowing GET (see the README, \
                  \"Deploy topologies\")";
    match bucket_cors(requests).await {
        Ok(Some(rules)) if rules.contains("GET") => None,
        Ok(Some(_)) => Some(format!(
            "the URL prefix {prefix} is another origin, and the CORS rules of {dest} allow no \
             GET: {advice}"
        )),
        Ok(None) => Some(format!(
            "the URL prefix {prefix} is another origin, and {dest} has no CORS rule: {advice}"
        )),
        Err(why) => Some(format!(
            "the URL prefix {prefix} is another origin, and the CORS rules of {dest} could not \
             be read ({why}): check that they allow GET"
        )),
    }
}

/// The bucket's CORS configuration (`GET ?cors`): its XML, or `None` when the bucket has
/// none.
async fn bucket_cors(requests: &Multipart) -> Result<Option<String>, String> {
    let url = format!("{}?cors", requests.bucket_url);
    let (status, body, _) = requests.send(Method::GET, &url, &[], Bytes::new()).await?;
    match status {
        StatusCode::OK => Ok(Some(body)),
        StatusCode::NOT_FOUND => Ok(None),
        status => Err(format!(
            "{status}: {}",
            element(&body, "Message").unwrap_or(body)
        )),
    }
}
