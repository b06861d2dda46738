//! S3 from the environment, as the CLI builds it: the standard AWS variables or an AWS profile,
//! with retries, and a clear error before any request when credentials or HTTP are missing.

use std::time::Duration;

use object_store::aws::AmazonS3Builder;
use object_store::{BackoffConfig, RetryConfig};

use super::super::Error;
use super::super::profile;

/// The S3 client configuration of the environment for `bucket`.
///
/// # Errors
///
/// An `http://` endpoint without `AWS_ALLOW_HTTP=true`, an `AWS_PROFILE` no file has, or no
/// credentials anywhere.
pub(super) fn s3_builder(bucket: String) -> Result<AmazonS3Builder, Error> {
    check_http_allowed()?;
    let mut builder = AmazonS3Builder::from_env()
        .with_bucket_name(bucket)
        .with_retry(retry_config());
    match profile::from_env().map_err(Error::usage)? {
        Some((profile, region)) => {
            builder = builder.with_credentials(profile);
            if std::env::var_os("AWS_REGION").is_none() {
                builder = builder.with_region(region);
            }
        }
        None => check_credentials_exist()?,
    }
    Ok(builder)
}

/// An `http://` endpoint without `AWS_ALLOW_HTTP=true` fails every request with an opaque
/// "builder error"; say what to do instead.
fn check_http_allowed() -> Result<(), Error> {
    let endpoint = ["AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL", "AWS_ENDPOINT"]
        .into_iter()
        .find_map(|var| Some((var, std::env::var(var).ok()?)));
    let allowed = std::env::var("AWS_ALLOW_HTTP").is_ok_and(|v| v.eq_ignore_ascii_case("true"));
    match endpoint {
        Some((var, url)) if url.starts_with("http://") && !allowed => Err(Error::usage(format!(
            "{var} is an http:// URL: set AWS_ALLOW_HTTP=true to allow unencrypted HTTP"
        ))),
        _ => Ok(()),
    }
}

/// With no static keys, no web identity or container credentials, and the instance metadata
/// service turned off, there is nowhere left to look: say so before any request.
fn check_credentials_exist() -> Result<(), Error> {
    let set = |var: &str| std::env::var_os(var).is_some_and(|v| !v.is_empty());
    let keys = set("AWS_ACCESS_KEY_ID") && set("AWS_SECRET_ACCESS_KEY");
    let other = [
        "AWS_WEB_IDENTITY_TOKEN_FILE",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    ]
    .into_iter()
    .any(set);
    let metadata_off =
        std::env::var("AWS_EC2_METADATA_DISABLED").is_ok_and(|v| v.eq_ignore_ascii_case("true"));
    match keys || other || !metadata_off {
        true => Ok(()),
        false => Err(Error::usage(format!(
            "no AWS credentials found; looked in {}",
            super::super::error::CREDENTIAL_SOURCES
        ))),
    }
}

/// Retries with exponential backoff, for at most a minute per request.
pub(super) fn retry_config() -> RetryConfig {
    RetryConfig {
        backoff: BackoffConfig {
            init_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_secs(10),
            base: 2.0,
        },
        max_retries: 5,
        retry_timeout: Duration::from_secs(60),
    }
}
