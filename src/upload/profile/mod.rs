//! AWS profiles, as the AWS CLI reads them: `AWS_PROFILE` (or `default`) from `~/.aws/config`
//! and `~/.aws/credentials`, with static keys, a role assumed with another profile's
//! credentials, IAM Identity Center (SSO) through the cached token, or `credential_process`.
//!
//! Credentials in the environment (`AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY`) come
//! first, then the profile, then what object_store finds on its own (web identity, container
//! credentials, the instance metadata service): the AWS CLI's order.

mod files;
mod sources;

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use object_store::aws::AwsCredential;
use object_store::client::ReqwestConnector;
use object_store::client::{ClientOptions, CredentialProvider, HttpClient, HttpConnector};

use files::Files;
use sources::Resolved;

/// Credentials are fetched again this long before they expire.
const EARLY: Duration = Duration::from_secs(5 * 60);

/// The credentials of one profile, resolved on first use and again before they expire.
#[derive(Debug)]
pub(crate) struct ProfileCredentials {
    profile: String,
    files: Files,
    client: HttpClient,
    cached: tokio::sync::Mutex<Option<Resolved>>,
}

/// The profile to use, if the environment has no keys and a profile is configured: the
/// provider and the profile's region.
///
/// # Errors
///
/// `AWS_PROFILE` names a profile neither file has.
pub(crate) fn from_env() -> Result<Option<(Arc<ProfileCredentials>, String)>, String> {
    let set = |var: &str| std::env::var_os(var).is_some_and(|v| !v.is_empty());
    if set("AWS_ACCESS_KEY_ID") && set("AWS_SECRET_ACCESS_KEY") {
        return Ok(None);
    }
    let named = std::env::var("AWS_PROFILE")
        .or_else(|_| std::env::var("AWS_DEFAULT_PROFILE"))
        .ok()
        .filter(|p| !p.is_empty());
    let profile = named.clone().unwrap_or_else(|| "default".to_owned());
    let files = Files::read();
    if !files.has(&profile) {
        return match named {
            Some(name) => Err(format!(
                "AWS_PROFILE is `{name}`, which neither ~/.aws/config nor ~/.aws/credentials \
                 (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE) has"
            )),
            None => Ok(None),
        };
    }
    let allow_http = std::env::var("AWS_ALLOW_HTTP").is_ok_and(|v| v.eq_ignore_ascii_case("true"));
    let client = ReqwestConnector::default()
        .connect(&ClientOptions::new().with_allow_http(allow_http))
        .map_err(|e| e.to_string())?;
    let region = sources::region(&files, &profile);
    let provider = ProfileCredentials {
        profile,
        files,
        client,
        cached: tokio::sync::Mutex::new(None),
    };
    Ok(Some((Arc::new(provider), region)))
}

impl ProfileCredentials {
    async fn credential(&self) -> Result<Arc<AwsCredential>, String> {
        let mut cached = self.cached.lock().await;
        let fresh = |r: &Resolved| r.expires.is_none_or(|at| at > SystemTime::now() + EARLY);
        if let Some(resolved) = cached.as_ref().filter(|r| fresh(r)) {
            return Ok(Arc::clone(&resolved.credential));
        }
        let resolved = sources::resolve(&self.files, &self.profile, &self.client).await?;
        let credential = Arc::clone(&resolved.credential);
        *cached = Some(resolved);
        Ok(credential)
    }
}

impl CredentialProvider for ProfileCredentials {
    type Credential = AwsCredential;

    fn get_credential<'a, 'b>(
        &'a self,
    ) -> Pin<Box<dyn Future<Output = object_store::Result<Arc<AwsCredential>>> + Send + 'b>>
    where
        'a: 'b,
        Self: 'b,
    {
        Box::pin(async move {
            self.credential().await.map_err(|message| {
                let source = format!("AWS profile `{}`: {message}", self.profile).into();
                object_store::Error::Generic {
                    store: "S3",
                    source,
                }
            })
        })
    }
}
