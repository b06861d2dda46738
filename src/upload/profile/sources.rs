//! Where a profile's credentials come from, in the AWS CLI's order within a profile: a role to
//! assume with another profile's credentials (`role_arn` + `source_profile`), IAM Identity
//! Center (`sso_session` or `sso_start_url`, through the token `aws sso login` cached), static
//! keys, then `credential_process`.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use http::{Method, Request};
use object_store::aws::{AwsAuthorizer, AwsCredential};
use object_store::client::{HttpClient, HttpRequestBody};
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};

use super::files::Files;

/// Credentials, and when they stop working (`None`: never).
#[derive(Debug, Clone)]
pub(crate) struct Resolved {
    pub(crate) credential: Arc<AwsCredential>,
    pub(crate) expires: Option<SystemTime>,
}

/// How deep `source_profile` chains may go.
const MAX_CHAIN: u8 = 5;

/// The credentials of `profile` (see the module docs).
pub(crate) async fn resolve(
    files: &Files,
    profile: &str,
    client: &HttpClient,
) -> Result<Resolved, String> {
    let mut chain = vec![profile.to_owned()];
    while let Some(source) = files.get(
        chain.last().map_or(profile, String::as_str),
        "source_profile",
    ) {
        if chain.len() > usize::from(MAX_CHAIN) || chain.iter().any(|p| p == source) {
            break;
        }
        chain.push(source.to_owned());
    }
    // The last profile of the chain has credentials of its own; each one before assumes its
    // role with the credentials of the next.
    let base = chain.last().map_or(profile, String::as_str);
    let mut resolved = own(files, base, client).await?;
    for name in chain.iter().rev().skip(1) {
        let role = files
            .get(name, "role_arn")
            .ok_or_else(|| format!("profile `{name}` has a source_profile but no role_arn"))?;
        resolved = assume_role(files, name, role, &resolved.credential, client).await?;
    }
    if chain.len() == 1
        && let Some(role) = files.get(profile, "role_arn")
    {
        return Err(format!(
            "profile `{profile}` has role_arn `{role}` but no source_profile (credential_source \
             is not supported)"
        ));
    }
    Ok(resolved)
}

/// The credentials a profile holds itself: SSO, static keys or a process.
async fn own(files: &Files, profile: &str, client: &HttpClient) -> Result<Resolved, String> {
    if files.get(profile, "sso_session").is_some() || files.get(profile, "sso_start_url").is_some()
    {
        return sso(files, profile, client).await;
    }
    if let (Some(key_id), Some(secret)) = (
        files.get(profile, "aws_access_key_id"),
        files.get(profile, "aws_secret_access_key"),
    ) {
        let credential = AwsCredential {
            key_id: key_id.to_owned(),
            secret_key: secret.to_owned(),
            token: files.get(profile, "aws_session_token").map(str::to_owned),
        };
        return Ok(Resolved {
            credential: Arc::new(credential),
            expires: None,
        });
    }
    if let Some(command) = files.get(profile, "credential_process") {
        return process(profile, command).await;
    }
    Err(format!(
        "profile `{profile}` has no credentials (aws_access_key_id, role_arn, sso_session, \
         sso_start_url or credential_process)"
    ))
}

/// The region a profile's requests go to: `AWS_REGION`, the profile's, or `us-east-1`.
pub(crate) fn region(files: &Files, profile: &str) -> String {
    std::env::var("AWS_REGION")
        .or_else(|_| std::env::var("AWS_DEFAULT_REGION"))
        .ok()
        .or_else(|| files.get(profile, "region").map(str::to_owned))
        .unwrap_or_else(|| "us-east-1".to_owned())
}

/// The endpoint of an AWS service: `AWS_ENDPOINT_URL_<SERVICE>`, `AWS_ENDPOINT_URL`, or
/// `default`.
fn endpoint(service: &str, default: String) -> String {
    let var = format!("AWS_ENDPOINT_URL_{}", service.to_ascii_uppercase());
    std::env::var(var)
        .or_else(|_| std::env::var("AWS_ENDPOINT_URL"))
        .unwrap_or(default)
        .trim_end_matches('/')
        .to_owned()
}

/// STS `AssumeRole` with `source` credentials.
async fn assume_role(
    files: &Files,
    profile: &str,
    role: &str,
    source: &AwsCredential,
    client: &HttpClient,
) -> Result<Resolved, String> {
    let region = region(files, profile);
    let url = format!(
        "{}/",
        endpoint("sts", format!("https://sts.{region}.amazonaws.com"))
    );
    let session = files
        .get(profile, "role_session_name")
        .map_or_else(|| format!("assetlock-{}", unix_seconds()), str::to_owned);
    let form = |value: &str| utf8_percent_encode(value, NON_ALPHANUMERIC).to_string();
    let body = format!(
        "Action=AssumeRole&Version=2011-06-15&RoleArn={}&RoleSessionName={}",
        form(role),
        form(&session)
    );
    let mut request = Request::builder()
        .method(Method::POST)
        .uri(&url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(HttpRequestBody::from(Bytes::from(body)))
        .map_err(|e| e.to_string())?;
    AwsAuthorizer::new(source, "sts", &region).authorize(&mut request, None);
    let (status, text) = send(client, request).await?;
    if !status.is_success() {
        return Err(format!(
            "assuming role {role} for profile `{profile}`: {}",
            super::super::s3_text::failure("AssumeRole", status, &text)
        ));
    }
    let field = |name: &str| {
        super::super::s3_text::element(&text, name)
            .ok_or_else(|| format!("assuming role {role}: the answer has no {name}"))
    };
    let credential = AwsCredential {
        key_id: field("AccessKeyId")?,
        secret_key: field("SecretAccessKey")?,
        token: Some(field("SessionToken")?),
    };
    let expires = super::super::s3_text::element(&text, "Expiration")
        .and_then(|at| humantime::parse_rfc3339_weak(&at).ok());
    Ok(Resolved {
        credential: Arc::new(credential),
        expires,
    })
}

/// `credential_process`: the command's JSON answer (`Version` 1).
async fn process(profile: &str, command: &str) -> Result<Resolved, String> {
    let shell = if cfg!(windows) {
        ("cmd", "/C")
    } else {
        ("sh", "-c")
    };
    let command = command.to_owned();
    let output = tokio::task::spawn_blocking(move || {
        std::process::Command::new(shell.0)
            .arg(shell.1)
            .arg(command)
            .stdin(std::process::Stdio::null())
            .output()
    })
    .await
    .map_err(|e| e.to_string())
    .and_then(|output| output.map_err(|e| e.to_string()))
    .map_err(|e| format!("profile `{profile}`: credential_process: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "profile `{profile}`: credential_process exited with {}: {}",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    let answer: serde_json::Value = serde_json::from_slice(&output.stdout)
        .map_err(|e| format!("profile `{profile}`: credential_process printed no JSON: {e}"))?;
    if answer["Version"] != 1 {
        return Err(format!(
            "profile `{profile}`: credential_process answered Version {}, not 1",
            answer["Version"]
        ));
    }
    let text = |name: &str| answer[name].as_str().map(str::to_owned);
    let (Some(key_id), Some(secret_key)) = (text("AccessKeyId"), text("SecretAccessKey")) else {
        return Err(format!(
            "profile `{profile}`: credential_process gave no AccessKeyId or SecretAccessKey"
        ));
    };
    Ok(Resolved {
        credential: Arc::new(AwsCredential {
            key_id,
            secret_key,
            token: text("SessionToken"),
        }),
        expires: text("Expiration").and_then(|at| humantime::parse_rfc3339_weak(&at).ok()),
    })
}

/// IAM Identity Center: the role credentials the portal gives for the token `aws sso login`
/// cached.
async fn sso(files: &Files, profile: &str, client: &HttpClient) -> Result<Resolved, String> {
    let session = files.get(profile, "sso_session");
    let setting = |key: &str| {
        session
            .and_then(|s| files.sso_session(s, key))
            .or_else(|| files.get(profile, key))
    };
    let region = setting("sso_region").ok_or(format!("profile `{profile}` has no sso_region"))?;
    let start_url = setting("sso_start_url");
    let (account, role) = match (
        files.get(profile, "sso_account_id"),
        files.get(profile, "sso_role_name"),
    ) {
        (Some(account), Some(role)) => (account, role),
        _ => {
            return Err(format!(
                "profile `{profile}` needs sso_account_id and sso_role_name"
            ));
        }
    };
    // The AWS CLI names the cache file after the session, or (legacy profiles) the start URL.
    let cache_key = session.or(start_url).ok_or(format!(
        "profile `{profile}` has no sso_session or sso_start_url"
    ))?;
    let cache = files
        .sso_cache
        .join(format!("{}.json", sha1_hex(cache_key)));
    let token: serde_json::Value = std::fs::read(&cache)
        .ok()
        .and_then(|text| serde_json::from_slice(&text).ok())
        .ok_or_else(|| {
            format!(
                "profile `{profile}`: no SSO token cached ({}); run `aws sso login --profile \
                 {profile}`",
                cache.display()
            )
        })?;
    let access_token = token["accessToken"].as_str().unwrap_or_default();
    let expired = token["expiresAt"]
        .as_str()
        .and_then(|at| humantime::parse_rfc3339_weak(at).ok())
        .is_some_and(|at| at <= SystemTime::now());
    if access_token.is_empty() || expired {
        return Err(format!(
            "profile `{profile}`: the cached SSO token has expired; run `aws sso login \
             --profile {profile}`"
        ));
    }
    let portal = endpoint("sso", format!("https://portal.sso.{region}.amazonaws.com"));
    let query = |value: &str| utf8_percent_encode(value, NON_ALPHANUMERIC).to_string();
    let url = format!(
        "{portal}/federation/credentials?account_id={}&role_name={}",
        query(account),
        query(role)
    );
    let request = Request::builder()
        .method(Method::GET)
        .uri(&url)
        .header("x-amz-sso_bearer_token", access_token)
        .body(HttpRequestBody::from(Bytes::new()))
        .map_err(|e| e.to_string())?;
    let (status, text) = send(client, request).await?;
    if !status.is_success() {
        return Err(format!(
            "profile `{profile}`: the SSO portal answered {status} for role {role} of account \
             {account}"
        ));
    }
    let answer: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| format!("profile `{profile}`: the SSO portal's answer: {e}"))?;
    let role = &answer["roleCredentials"];
    let text = |name: &str| role[name].as_str().map(str::to_owned);
    let (Some(key_id), Some(secret_key)) = (text("accessKeyId"), text("secretAccessKey")) else {
        return Err(format!(
            "profile `{profile}`: the SSO portal gave no credentials"
        ));
    };
    let expires = role["expiration"]
        .as_u64()
        .map(|ms| SystemTime::UNIX_EPOCH + Duration::from_millis(ms));
    Ok(Resolved {
        credential: Arc::new(AwsCredential {
            key_id,
            secret_key,
            token: text("sessionToken"),
        }),
        expires,
    })
}

async fn send(
    client: &HttpClient,
    request: Request<HttpRequestBody>,
) -> Result<(http::StatusCode, String), String> {
    let response = client
        .execute(request)
        .await
        .map_err(|e| super::super::redact::redact(&e.to_string()))?;
    let status = response.status();
    let body = response
        .into_body()
        .bytes()
        .await
        .map_err(|e| e.to_string())?;
    Ok((status, String::from_utf8_lossy(&body).into_owned()))
}

fn unix_seconds() -> u64 {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs()
}

/// The SHA-1 the AWS CLI names its SSO cache files by.
fn sha1_hex(text: &str) -> String {
    let digest = ring::digest::digest(&ring::digest::SHA1_FOR_LEGACY_USE_ONLY, text.as_bytes());
    crate::dist::hex(digest.as_ref())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sso_cache_files_are_named_by_the_sha1_of_the_session() {
        // The name `aws sso login --sso-session my-sso` writes.
        assert_eq!(
            sha1_hex("my-sso"),
            "0ad374308c5a4e22f723adf10145eafad7c4031c"
        );
    }
}
