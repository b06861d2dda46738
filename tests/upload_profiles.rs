//! AWS profiles as the AWS CLI reads them, from a temporary `HOME`: static keys, a process, SSO
//! through the cached token, a role assumed with a source profile. Each resolves to the keys of
//! a real S3 server that checks SigV4 (the in-process s3s; moto for the role, whose STS makes
//! the temporary credentials), through `Destination::from_url`, as `upload-assets` builds it.
//! These tests change the process environment, so they take turns.

mod support;

use std::path::Path;

use assetlock::upload::{Destination, Options, run};
use axum::extract::Query;
use axum::http::HeaderMap;
use support::fixture;
use support::quiet;
use support::s3::{ACCESS_KEY, BUCKET, PREFIX, S3Server, SECRET_KEY};

/// Held by each test while it uses the environment (across awaits: an async mutex).
static ENVIRONMENT: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Every variable these tests set or must not inherit.
const VARIABLES: &[&str] = &[
    "HOME",
    "AWS_CONFIG_FILE",
    "AWS_SHARED_CREDENTIALS_FILE",
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_ENDPOINT_URL",
    "AWS_ENDPOINT_URL_SSO",
    "AWS_ENDPOINT_URL_STS",
    "AWS_ALLOW_HTTP",
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "AWS_EC2_METADATA_DISABLED",
];

/// A temporary home with `~/.aws/config` and `~/.aws/credentials`.
struct Home {
    dir: tempfile::TempDir,
}

impl Home {
    fn new(config: &str, credentials: &str) -> Home {
        let dir = tempfile::tempdir().unwrap();
        let aws = dir.path().join(".aws");
        std::fs::create_dir_all(aws.join("sso/cache")).unwrap();
        std::fs::write(aws.join("config"), config).unwrap();
        std::fs::write(aws.join("credentials"), credentials).unwrap();
        Home { dir }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }
}

/// The destination `upload-assets s3://BUCKET/PREFIX` makes with `home` as `HOME`, the
/// endpoints given and `vars`.
fn destination(home: &Home, endpoint: &str, bucket: &str, vars: &[(&str, &str)]) -> Destination {
    let home = home.path().display().to_string();
    // SAFETY: the tests of this binary hold `ENVIRONMENT` while they change the environment,
    // and read it only through `Destination::from_url` on the same thread.
    unsafe {
        for name in VARIABLES {
            std::env::remove_var(name);
        }
        for (name, value) in [
            ("HOME", home.as_str()),
            ("AWS_ENDPOINT_URL", endpoint),
            ("AWS_ALLOW_HTTP", "true"),
            ("AWS_EC2_METADATA_DISABLED", "true"),
        ]
        .iter()
        .chain(vars)
        {
            std::env::set_var(name, value);
        }
    }
    Destination::from_url(&format!("s3://{bucket}/{PREFIX}")).unwrap()
}

async fn upload(dest: &Destination) -> Result<(), assetlock::upload::Error> {
    let build = fixture::site();
    run(&build.source(), dest, &quiet(Options::upload()))
        .await
        .map(|_| ())
}

fn keys(profile: &str, key_id: &str, secret: &str) -> String {
    format!("[{profile}]\naws_access_key_id = {key_id}\naws_secret_access_key = {secret}\n")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_named_profile_keys_are_used_and_the_default_profile_otherwise() {
    let _turn = ENVIRONMENT.lock().await;
    let s3 = S3Server::start().await;
    let credentials =
        keys("default", ACCESS_KEY, "not-the-secret") + &keys("ci", ACCESS_KEY, SECRET_KEY);
    let home = Home::new("[default]\nregion = us-east-1\n", &credentials);

    let ci = destination(&home, &s3.endpoint, BUCKET, &[("AWS_PROFILE", "ci")]);
    upload(&ci).await.unwrap();

    let default = destination(&home, &s3.endpoint, BUCKET, &[]);
    let error = upload(&default).await.unwrap_err();
    assert!(error.is_auth(), "{error}");

    // SAFETY: as in `destination`.
    unsafe { std::env::set_var("AWS_PROFILE", "nowhere") };
    let error = Destination::from_url(&format!("s3://{BUCKET}/{PREFIX}")).unwrap_err();
    assert_eq!(error.exit_code(), 2, "{error}");
    assert!(error.to_string().contains("`nowhere`"), "{error}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn credential_process_gives_the_keys() {
    let _turn = ENVIRONMENT.lock().await;
    let s3 = S3Server::start().await;
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("credentials.sh");
    let answer = format!(
        r#"{{"Version": 1, "AccessKeyId": "{ACCESS_KEY}", "SecretAccessKey": "{SECRET_KEY}"}}"#
    );
    std::fs::write(&script, format!("#!/bin/sh\necho '{answer}'\n")).unwrap();
    let config = format!(
        "[profile vault]\ncredential_process = sh {}\n",
        script.display()
    );
    let home = Home::new(&config, "");

    let dest = destination(&home, &s3.endpoint, BUCKET, &[("AWS_PROFILE", "vault")]);
    upload(&dest).await.unwrap();
}

/// The SHA-1 the AWS CLI names an SSO session's cache file by.
fn sha1_hex(text: &str) -> String {
    let digest = ring::digest::digest(&ring::digest::SHA1_FOR_LEGACY_USE_ONLY, text.as_bytes());
    digest.as_ref().iter().map(|b| format!("{b:02x}")).collect()
}

/// A stand-in for the IAM Identity Center portal's `GetRoleCredentials`: the role credentials
/// of the test's S3 server, for the cached token and the configured account and role only.
async fn portal() -> std::net::SocketAddr {
    let route = axum::routing::get(
        |headers: HeaderMap, Query(query): Query<std::collections::HashMap<String, String>>| async move {
            let token = headers
                .get("x-amz-sso_bearer_token")
                .and_then(|v| v.to_str().ok());
            let asked = (query.get("account_id"), query.get("role_name"));
            let expected = (Some(&"123456789012".to_owned()), Some(&"deploy".to_owned()));
            if token != Some("cached-token") || asked != expected {
                return (axum::http::StatusCode::UNAUTHORIZED, String::new());
            }
            let body = serde_json::json!({"roleCredentials": {
                "accessKeyId": ACCESS_KEY, "secretAccessKey": SECRET_KEY,
                "sessionToken": "session", "expiration": 4_102_444_800_000u64}});
            (axum::http::StatusCode::OK, body.to_string())
        },
    );
    let app = axum::Router::new().route("/federation/credentials", route);
    assetlock_test_support::loopback::serve(app).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sso_takes_the_role_credentials_the_cached_token_gets() {
    let _turn = ENVIRONMENT.lock().await;
    let s3 = S3Server::start().await;
    let config = "\
[profile sso]
sso_session = corp
sso_account_id = 123456789012
sso_role_name = deploy

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = eu-central-1
";
    let home = Home::new(config, "");
    let cache = home
        .path()
        .join(".aws/sso/cache")
        .join(format!("{}.json", sha1_hex("corp")));
    let portal = format!("http://{}", portal().await);
    let vars = [
        ("AWS_PROFILE", "sso"),
        ("AWS_ENDPOINT_URL_SSO", portal.as_str()),
    ];

    let token =
        |expires: &str| format!(r#"{{"accessToken": "cached-token", "expiresAt": "{expires}"}}"#);
    std::fs::write(&cache, token("2099-01-01T00:00:00Z")).unwrap();
    let dest = destination(&home, &s3.endpoint, BUCKET, &vars);
    upload(&dest).await.unwrap();

    std::fs::write(&cache, token("2001-01-01T00:00:00Z")).unwrap();
    let dest = destination(&home, &s3.endpoint, BUCKET, &vars);
    let error = upload(&dest).await.unwrap_err().to_string();
    assert!(error.contains("aws sso login"), "{error}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_role_is_assumed_with_the_source_profile_through_sts() {
    let _turn = ENVIRONMENT.lock().await;
    let Some(moto) = support::moto::moto_or_skip() else {
        return;
    };
    // The bucket, made as the moto tests make it.
    support::moto::destination(&moto).await;
    let config = "\
[profile deploy]
role_arn = arn:aws:iam::123456789012:role/deploy
source_profile = base
region = us-east-1
";
    let home = Home::new(config, &keys("base", "AKIDBASE", "basesecret"));
    let dest = destination(
        &home,
        &moto.endpoint,
        support::moto::BUCKET,
        &[("AWS_PROFILE", "deploy")],
    );
    upload(&dest).await.unwrap();

    // A source profile without credentials: the error names it.
    let home = Home::new(config, "");
    let dest = destination(
        &home,
        &moto.endpoint,
        support::moto::BUCKET,
        &[("AWS_PROFILE", "deploy")],
    );
    let error = upload(&dest).await.unwrap_err().to_string();
    assert!(
        error.contains("profile `base` has no credentials"),
        "{error}"
    );
}
