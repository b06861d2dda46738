//! Google Cloud Storage from the environment, as Google's tools and object_store read it: the
//! `GOOGLE_*` variables (a service account key, application default credentials, the bucket's
//! endpoint), `STORAGE_EMULATOR_HOST` for an emulator, and a clear error before any request when
//! HTTP is not allowed or no credentials can be found.
//!
//! Every object goes up in one PUT with `x-goog-if-generation-match: 0`, whatever its size (up
//! to 5 TiB): object_store completes XML multipart uploads without that condition.

use std::path::PathBuf;

use object_store::ClientOptions;
use object_store::gcp::GoogleCloudStorageBuilder;

use super::super::Error;
use super::aws_env::retry_config;
use super::service::GCS_CREDENTIAL_SOURCES;

/// The Cloud Storage client configuration of the environment for `bucket`.
///
/// # Errors
///
/// An `http://` endpoint without `GOOGLE_ALLOW_HTTP=true`, or no credentials anywhere with the
/// metadata server turned off (`NO_GCE_CHECK=true`).
pub(super) fn builder_from_env(bucket: String) -> Result<GoogleCloudStorageBuilder, Error> {
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let mut builder = GoogleCloudStorageBuilder::from_env()
        .with_bucket_name(bucket)
        .with_retry(retry_config());
    let allow_http = var("GOOGLE_ALLOW_HTTP").is_some_and(|v| v.eq_ignore_ascii_case("true"));
    match (var("GOOGLE_BASE_URL"), var("STORAGE_EMULATOR_HOST")) {
        (Some(url), _) if url.starts_with("http://") && !allow_http => {
            return Err(Error::usage(
                "GOOGLE_BASE_URL is an http:// URL: set GOOGLE_ALLOW_HTTP=true to allow \
                 unencrypted HTTP",
            ));
        }
        (None, Some(host)) => {
            // Google's client libraries take a host (`localhost:4443`) or a URL.
            let url = match host.contains("://") {
                true => host,
                false => format!("http://{host}"),
            };
            let http = url.starts_with("http://");
            builder = builder
                .with_base_url(url.trim_end_matches('/'))
                .with_client_options(ClientOptions::new().with_allow_http(http || allow_http));
        }
        _ => {}
    }
    check_credentials_exist(&var)?;
    Ok(builder)
}

/// With no key file, no key, no application default credentials and the metadata server
/// turned off, there is nowhere left to look: say so before any request.
fn check_credentials_exist(var: &dyn Fn(&str) -> Option<String>) -> Result<(), Error> {
    let named = [
        "GOOGLE_SERVICE_ACCOUNT",
        "GOOGLE_SERVICE_ACCOUNT_PATH",
        "SERVICE_ACCOUNT",
        "GOOGLE_SERVICE_ACCOUNT_KEY",
        "GOOGLE_APPLICATION_CREDENTIALS",
    ]
    .into_iter()
    .any(|name| var(name).is_some());
    let gcloud = var("HOME").map(|home| {
        PathBuf::from(home).join(".config/gcloud/application_default_credentials.json")
    });
    let metadata_off = var("NO_GCE_CHECK").is_some_and(|v| v.eq_ignore_ascii_case("true"));
    match named || gcloud.is_some_and(|path| path.is_file()) || !metadata_off {
        true => Ok(()),
        false => Err(Error::usage(format!(
            "no Google Cloud credentials found; looked in {GCS_CREDENTIAL_SOURCES}"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        }
    }

    #[test]
    fn no_credentials_and_no_metadata_server_is_an_error_naming_the_sources() {
        let home = tempfile::tempdir().unwrap();
        let home = home.path().to_str().unwrap();
        let error = check_credentials_exist(&vars(&[("HOME", home), ("NO_GCE_CHECK", "true")]))
            .unwrap_err()
            .to_string();
        assert!(error.contains("no Google Cloud credentials"), "{error}");
        assert!(error.contains("GOOGLE_APPLICATION_CREDENTIALS"), "{error}");
    }

    #[test]
    fn a_key_variable_gcloud_credentials_or_the_metadata_server_will_do() {
        let home = tempfile::tempdir().unwrap();
        let path = home.path().to_str().unwrap();
        let off = ("NO_GCE_CHECK", "true");
        assert!(check_credentials_exist(&vars(&[("HOME", path)])).is_ok());
        let key = ("GOOGLE_SERVICE_ACCOUNT_KEY", "{}");
        assert!(check_credentials_exist(&vars(&[("HOME", path), off, key])).is_ok());
        let adc = home.path().join(".config/gcloud");
        std::fs::create_dir_all(&adc).unwrap();
        std::fs::write(adc.join("application_default_credentials.json"), "{}").unwrap();
        assert!(check_credentials_exist(&vars(&[("HOME", path), off])).is_ok());
    }
}
