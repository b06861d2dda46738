//! The `upload-assets` command line: flags, their combinations and exit codes.

use std::time::Duration;

use assetlock::upload::{Action, Args};
use clap::{CommandFactory, Parser};

fn parse(args: &[&str]) -> Result<Args, clap::Error> {
    Args::try_parse_from(std::iter::once("upload-assets").chain(args.iter().copied()))
}

fn usage_error(args: &[&str]) -> clap::Error {
    let error = parse(args).unwrap_err();
    assert_eq!(error.exit_code(), 2, "{error}");
    error
}

#[test]
fn dest_alone_means_upload() {
    let args = parse(&["s3://bucket/assets"]).unwrap();
    assert_eq!(args.dest(), "s3://bucket/assets");
    assert_eq!(args.options().action(), Action::Upload);
}

#[test]
fn verify_flag_selects_verify() {
    let args = parse(&["s3://bucket/assets", "--verify"]).unwrap();
    assert_eq!(args.options().action(), Action::Verify);
}

#[test]
fn prune_takes_keep_and_a_human_grace_period() {
    let args = parse(&["s3://b/p", "--prune", "--keep", "3", "--grace", "7d"]).unwrap();
    let grace = Duration::from_secs(7 * 24 * 3600);
    assert_eq!(args.options().action(), Action::Prune { keep: 3, grace });
}

#[test]
fn prune_grace_defaults_to_one_day() {
    let args = parse(&["s3://b/p", "--prune", "--keep", "2"]).unwrap();
    let grace = Duration::from_secs(24 * 3600);
    assert_eq!(args.options().action(), Action::Prune { keep: 2, grace });
}

#[test]
fn prune_without_keep_is_a_usage_error() {
    usage_error(&["s3://b/p", "--prune"]);
}

#[test]
fn keep_without_prune_is_a_usage_error() {
    usage_error(&["s3://b/p", "--keep", "2"]);
}

#[test]
fn grace_without_prune_is_a_usage_error() {
    usage_error(&["s3://b/p", "--grace", "1h"]);
}

#[test]
fn verify_and_prune_together_are_a_usage_error() {
    usage_error(&["s3://b/p", "--verify", "--prune", "--keep", "1"]);
}

#[test]
fn unparsable_grace_is_a_usage_error() {
    usage_error(&["s3://b/p", "--prune", "--keep", "1", "--grace", "soon"]);
}

#[test]
fn zero_concurrency_is_a_usage_error() {
    usage_error(&["s3://b/p", "--concurrency", "0"]);
}

#[test]
fn unsupported_destination_is_a_usage_error_naming_the_schemes() {
    let error = usage_error(&["ftp://host/dir"]).to_string();
    let schemes = [
        "s3://bucket/prefix",
        "az://container/prefix",
        "gs://bucket/prefix",
        "file:///dir",
    ];
    for scheme in schemes {
        assert!(error.contains(scheme), "{error}");
    }
}

#[test]
fn missing_destination_is_a_usage_error() {
    usage_error(&[]);
}

#[test]
fn help_has_examples_and_exit_codes() {
    let help = Args::command().render_long_help().to_string();
    for needle in [
        "Examples:",
        "--verify",
        "--prune --keep 3 --grace 7d",
        "AWS_ENDPOINT_URL",
        "Exit status",
    ] {
        assert!(help.contains(needle), "help lacks {needle}:\n{help}");
    }
}

#[test]
fn help_exits_with_0() {
    let error = parse(&["--help"]).unwrap_err();
    assert_eq!(error.exit_code(), 0);
}

#[test]
fn new_signing_key_needs_no_destination_and_stands_alone() {
    let args = parse(&["--new-signing-key", "deploy.key"]).unwrap();
    assert_eq!(
        args.new_signing_key(),
        Some(std::path::Path::new("deploy.key"))
    );
    assert_eq!(args.dest(), "");
    usage_error(&["--new-signing-key", "k", "--verify"]);
    usage_error(&[]);
}

#[test]
fn signing_key_is_read_from_the_file_given() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("deploy.key");
    let public = assetlock::upload::new_signing_key(&path).unwrap();
    let args = parse(&["s3://b/p", "--signing-key", path.to_str().unwrap()]).unwrap();
    let key = args.signing_key().unwrap().unwrap();
    assert_eq!(key.public_key(), public);
    let missing = parse(&["s3://b/p", "--signing-key", "/nonexistent/key"]).unwrap();
    assert_eq!(missing.signing_key().unwrap_err().exit_code(), 2);
}

#[test]
fn pull_releases_takes_a_dir_and_keeps_three_by_default() {
    let args = parse(&["s3://b/p", "--pull-releases", "releases"]).unwrap();
    assert_eq!(args.options().action(), Action::Pull { keep: 3 });
    let args = parse(&["s3://b/p", "--pull-releases", "releases", "--keep", "5"]).unwrap();
    assert_eq!(args.options().action(), Action::Pull { keep: 5 });
    usage_error(&["s3://b/p", "--pull-releases", "releases", "--verify"]);
}
