//! Google Cloud Storage from the environment, as Google's tools and object_store read it: the
//! `GOOGLE_*` variables (a service account key, application default credentials, the bucket's
//! endpoint), `STORAGE_EMULATOR_HOST` for an emulator, and a clear error before any request when
//! HTTP is not allowed or no credentials can be found.
//!
//! Every object goes up in one PUT with `x-goog-if-generation-match: 0` (up to the 5 GiB the
//! uploader allows one PUT): object_store completes XML multipart uploads without that
//! condition.

use std::path::PathBuf;

use object_store::ClientConfigKey;
use object_store::gcp::{GoogleCloudStorageBuilder, GoogleConfigKey};

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
    let builder = GoogleCloudStorageBuilder::from_env()
        .with_bucket_name(bucket)
        .with_retry(retry_config());
    let builder = endpoint(builder, &var)?;
    check_credentials_exist(&var)?;
    Ok(builder)
}

/// `builder` pointed at `STORAGE_EMULATOR_HOST` when it is set and `GOOGLE_BASE_URL` is not;
/// an error for an `http://` `GOOGLE_BASE_URL` without `GOOGLE_ALLOW_HTTP=true`.
fn endpoint(
    builder: GoogleCloudStorageBuilder,
    var: &dyn Fn(&str) -> Option<String>,
) -> Result<GoogleCloudStorageBuilder, Error> {
    let allow_http = var("GOOGLE_ALLOW_HTTP").is_some_and(|v| v.eq_ignore_ascii_case("true"));
    match (var("GOOGLE_BASE_URL"), var("STORAGE_EMULATOR_HOST")) {
        (Some(url), _) if url.starts_with("http://") && !allow_http => Err(Error::usage(
            "GOOGLE_BASE_URL is an http:// URL: set GOOGLE_ALLOW_HTTP=true to allow unencrypted \
             HTTP",
        )),
        (None, Some(host)) => {
            // Google's client libraries take a host (`localhost:4443`) or a URL; emulators
            // speak plain HTTP.
            let url = match host.contains("://") {
                true => host,
                false => format!("http://{host}"),
            };
            let http = url.starts_with("http://");
            let builder = builder.with_base_url(url.trim_end_matches('/'));
            Ok(match http {
                true => {
                    builder.with_config(GoogleConfigKey::Client(ClientConfigKey::AllowHttp), "true")
                }
                false => builder,
            })
        }
        _ => Ok(builder),
    }
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

    #[tokio::test]
    async fn storage_emulator_host_is_the_endpoint_unless_google_base_url_is_set() {
        use object_store::ObjectStoreExt;
        use tokio::io::{AsyncReadExt, AsyncWriteExt};

        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let host = listener.local_addr().unwrap().to_string();
        // A key whose requests go unsigned, as emulators take them.
        let key = r#"{"private_key": "", "private_key_id": "", "client_email": "", "disable_oauth": true}"#;
        let builder = GoogleCloudStorageBuilder::new()
            .with_bucket_name("site")
            .with_service_account_key(key);
        let store = endpoint(builder, &vars(&[("STORAGE_EMULATOR_HOST", &host)]))
            .unwrap()
            .build()
            .unwrap();
        let server = tokio::spawn(async move {
            let (mut socket, _) = listener.accept().await.unwrap();
            let mut request = vec![0; 1024];
            let read = socket.read(&mut request).await.unwrap();
            let answer = b"HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n";
            socket.write_all(answer).await.unwrap();
            String::from_utf8_lossy(&request[..read]).into_owned()
        });
        let path = object_store::path::Path::from("a/b.css");
        assert!(matches!(
            store.head(&path).await,
            Err(object_store::Error::NotFound { .. })
        ));
        let request = server.await.unwrap();
        assert!(
            request.starts_with("HEAD /site/a%2Fb%2Ecss HTTP/1.1"),
            "{request}"
        );

        let base = ("GOOGLE_BASE_URL", "http://127.0.0.1:1");
        let builder = GoogleCloudStorageBuilder::new();
        let error = endpoint(builder, &vars(&[base, ("STORAGE_EMULATOR_HOST", &host)]));
        let error = error.err().unwrap().to_string();
        assert!(error.contains("GOOGLE_ALLOW_HTTP=true"), "{error}");
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
