//! `upload-assets` tells apart the three ways it cannot reach a bucket: no credentials anywhere,
//! credentials but no answer from the endpoint, and (in the root crate's S3 tests) credentials
//! the store refuses. Every endpoint here is a closed loopback port: nothing leaves the machine.

use std::process::{Command, Output};
use std::time::{Duration, Instant};

/// A loopback port nothing listens on.
fn closed_port() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    format!("http://{}", listener.local_addr().unwrap())
}

/// Runs `upload-assets s3://bucket/assets --verify` with only `env` of the AWS variables.
fn upload_assets(env: &[(&str, &str)]) -> (Output, Duration) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_upload-assets"));
    command.args(["s3://bucket/assets", "--verify"]);
    for (name, _) in std::env::vars_os() {
        if name.to_string_lossy().starts_with("AWS_") {
            command.env_remove(name);
        }
    }
    command
        .env("AWS_REGION", "us-east-1")
        .envs(env.iter().copied());
    let started = Instant::now();
    let output = command.output().unwrap();
    (output, started.elapsed())
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn no_credentials_anywhere_is_a_usage_error_naming_every_source() {
    let (output, _) = upload_assets(&[("AWS_EC2_METADATA_DISABLED", "true")]);
    let text = stderr(&output);
    assert_eq!(output.status.code(), Some(2), "{text}");
    assert!(
        text.contains("no AWS credentials found; looked in"),
        "{text}"
    );
    for source in [
        "AWS_ACCESS_KEY_ID",
        "AWS_WEB_IDENTITY_TOKEN_FILE",
        "instance metadata",
    ] {
        assert!(text.contains(source), "{source}: {text}");
    }
}

#[test]
fn no_credentials_and_no_metadata_service_says_none_were_found_not_refused() {
    let (metadata, endpoint) = (closed_port(), closed_port());
    let (output, elapsed) = upload_assets(&[
        ("AWS_METADATA_ENDPOINT", &metadata),
        ("AWS_ENDPOINT_URL", &endpoint),
        ("AWS_ALLOW_HTTP", "true"),
    ]);
    let text = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(
        text.contains("no AWS credentials found (the instance metadata service"),
        "{text}"
    );
    assert!(!text.contains("refused"), "{text}");
    assert!(elapsed < Duration::from_secs(60), "{elapsed:?}");
}

#[test]
fn an_endpoint_that_does_not_answer_is_said_so() {
    let endpoint = closed_port();
    let (output, elapsed) = upload_assets(&[
        ("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE0000"),
        ("AWS_SECRET_ACCESS_KEY", "secret-example-0000"),
        ("AWS_ENDPOINT_URL", &endpoint),
        ("AWS_ALLOW_HTTP", "true"),
    ]);
    let text = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(text.contains("the object store did not answer"), "{text}");
    assert!(text.contains("check AWS_ENDPOINT_URL"), "{text}");
    assert!(!text.contains("secret-example-0000"), "{text}");
    assert!(elapsed < Duration::from_secs(60), "{elapsed:?}");
}
