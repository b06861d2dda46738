//! `upload-assets`: pushes a build's assets to object storage so that no deploy can break.
//!
//! Every object goes under its content-hashed key with a create-only PUT
//! (`If-None-Match: *`), so nothing that is stored is ever replaced; what already exists is
//! skipped after one LIST of the prefix. The build's release record,
//! `<prefix>/.assetlock/releases/<build id>.json` (the manifest plus its upload time), is
//! written last and only when every object is stored: its presence means "this build is
//! complete". `--verify` checks that before servers roll, and `--prune` deletes only what
//! none of the newest releases (and never the current build) uses.
//!
//! Objects carry their headers: the asset's `Content-Type` (with `charset=utf-8` for text),
//! `Cache-Control: public, max-age=31536000, immutable`, and on the precompressed variants
//! (`<key>.br`, `.gz`, `.zst`) `Content-Encoding` with the original's `Content-Type`.
//!
//! Source maps follow one policy end to end: a map the build makes is published where its
//! asset's `sourceMappingURL` comment points, by `serve` and by the uploader alike. To keep
//! maps private, build with `Config::source_maps(false)`: no maps, no comments. (`--no-maps`
//! leaves them out of an upload, with a warning that the comments then point at 404s.)
//!
//! Every upload run, even one that stores nothing (a rollback), ends with a create-only deploy
//! event, `.assetlock/deploys/<µs>-<build id>.json`; `--prune` ranks releases by their latest
//! deploy, so a rollback never leaves its servers' objects to be pruned.
//!
//! # The binary
//!
//! A few lines in the app, so the uploader ships exactly the assets the server binary serves:
//!
//! ```ignore
//! // src/bin/upload-assets.rs
//! assetlock::include_manifest!();
//!
//! fn main() -> std::process::ExitCode {
//!     assetlock::upload::main(&MANIFEST)
//! }
//! ```
//!
//! ```text
//! cargo run --release --bin upload-assets -- s3://my-bucket/assets
//! cargo run --release --bin upload-assets -- s3://my-bucket/assets --verify
//! ```
//!
//! # As a library
//!
//! [`run`] takes the build ([`Source`]), where to put it ([`Destination`]) and what to do
//! ([`Options`]):
//!
//! ```no_run
//! use assetlock::upload::{Destination, Options, Source};
//!
//! # async fn example() -> Result<(), assetlock::upload::Error> {
//! let source = Source::from_manifest_json("out/assetlock/manifest.json", "out/assetlock/dist")?;
//! let dest = Destination::from_url("s3://my-bucket/assets")?;
//! let report = assetlock::upload::run(&source, &dest, &Options::upload()).await?;
//! println!("{report}");
//! assetlock::upload::run(&source, &dest, &Options::verify()).await?;
//! # Ok(())
//! # }
//! ```
//!
//! # Large files
//!
//! On S3 destinations, objects of 64 MiB or more go up as multipart uploads (16 MiB parts,
//! four in flight; [`Destination::multipart`] changes both), completed with
//! `If-None-Match: *` so that, like single PUTs, they never replace a stored object; a failed
//! one is aborted. Other stores take every object in one create-only PUT, up to 5 GiB.

// Where things are (each file's own head says more):
//
// - the program: `cli` (flags), `options`, `report`, `progress`, `error` (with `store_error`, what
//   a store's error says);
// - the build: `source` (its objects), `manifest_json`, `headers` (what each object carries);
// - the runs: `publish` (upload), `verify` (and `cors`), `prune/` (`plan` decides), `pull`
//   (releases copied for delta builds);
// - what they keep beside the assets: `release` (records, deploy events), `catalog` (the
//   records in one object), `signing` (deploy keys), `lease` (prune leases), `clock` (the
//   store's clock);
// - the object store: `dest` (a store and a prefix; credentials from the environment or an
//   AWS profile, `profile/`), `listing` (LIST), `put` (create-only
//   PUTs), `probe` (does the store keep that promise), `multipart`, with `s3_text` for the S3 requests signed by hand; `redact`, the leaf
//   every message from a store goes through.
pub(crate) mod catalog;
mod cli;
mod clock;
mod cors;
mod dest;
mod error;
mod headers;
mod lease;
mod listing;
mod manifest_json;
mod multipart;
mod options;
mod probe;
mod profile;
mod progress;
mod prune;
mod publish;
mod pull;
mod put;
mod redact;
mod release;
mod report;
mod s3_text;
mod signing;
mod source;
mod store_error;
mod verify;

use std::process::ExitCode;
#[cfg(test)]
use std::sync::Arc;
use std::time::Instant;

use clap::Parser as _;

pub use assetlock_contract::signature::{PublicKey, SigningKey};
pub use cli::Args;
pub use dest::Destination;
pub use error::Error;
pub use object_store;
pub use options::{Action, DEFAULT_CONCURRENCY, Options, Progress};
#[cfg(feature = "fallback")]
pub(crate) use redact::redact;
pub use report::Report;
pub use signing::{SIGNING_KEY_ENV, new_signing_key, read_signing_key, signing_key_from_env};
pub use source::Source;

use crate::Manifest;

/// Uploads, verifies or prunes, as `options` says.
///
/// # Errors
///
/// - the destination cannot be listed, or refuses the credentials;
/// - upload: some objects could not be stored, or exist with another size (never
///   overwritten); the error lists their keys and no release record is written, so running
///   again finishes the job;
/// - verify: objects are missing or have the wrong size or headers, or the release record is
///   missing;
/// - prune: the current build has no release record at the destination, a release record
///   cannot be read, or deletions failed;
/// - the source is a live dev build ([`Manifest::is_live`]), has no content-addressed assets,
///   or breaks the contract's path rules: a usage error, before any I/O (verify of a build
///   without assets fails as a verify error).
pub async fn run(source: &Source, dest: &Destination, options: &Options) -> Result<Report, Error> {
    if source.manifest().live {
        return Err(Error::usage(
            "this is a live dev build: its assets are read from the source tree under their \
             logical paths, so none is content-addressed and none may be uploaded, verified \
             or pruned; build with --release, or with ASSETLOCK_LIVE=0",
        ));
    }
    // A compiled-in manifest was never parsed: the rules every reader applies are checked here,
    // before anything is written, so no record a reader would refuse is ever stored.
    if let Err(problem) = source.manifest().check() {
        return Err(Error::usage(format!(
            "build {}: {problem}; nothing was written",
            source.build_id()
        )));
    }
    let needs_assets = matches!(options.action, Action::Upload | Action::Prune { .. });
    if needs_assets && source.objects(options.include_maps).is_empty() {
        return Err(Error::usage(format!(
            "build {} has no content-addressed assets: nothing to upload or prune against",
            source.build_id()
        )));
    }
    if options.action == Action::Upload {
        let key = options.signing_key.as_deref();
        signing::check_key(&source.trusted_keys()?, key)?;
    }
    let started = Instant::now();
    let report = Report::new(
        options.action,
        dest.to_string(),
        source.build_id().to_owned(),
        options.dry_run,
    );
    let mut report = match options.action {
        Action::Upload => publish::upload(source, dest, options, report).await?,
        Action::Verify => verify::verify(source, dest, options, report).await?,
        Action::Prune { keep, grace } => {
            prune::prune(source, dest, options, (keep, grace), report).await?
        }
        Action::Pull { keep } => {
            let dir = options
                .pull_dir
                .as_deref()
                .unwrap_or(std::path::Path::new("."));
            pull::pull(source, dest, options, (dir, keep), report).await?
        }
    };
    report.elapsed = started.elapsed();
    Ok(report)
}

/// The whole `upload-assets` program for a binary's `MANIFEST`: parses the command line
/// ([`Args`]), runs, prints the summary on stdout and errors on stderr.
///
/// Returns exit code 0 on success, 1 when the upload, verify or prune failed, 2 for a usage
/// error. Credentials from the environment never appear in what it prints.
pub fn main(manifest: &'static Manifest) -> ExitCode {
    let args = match Args::try_parse_from(std::env::args_os()) {
        Ok(args) => args,
        Err(error) => {
            let _ = error.print();
            return ExitCode::from(error.exit_code().clamp(0, 255) as u8);
        }
    };
    if let Some(path) = args.new_signing_key() {
        return match new_signing_key(path) {
            Ok(public) => {
                println!("{public}");
                eprintln!(
                    "wrote a new deploy key to {}: keep it in the deploy pipeline's secrets \
                     ({SIGNING_KEY_ENV} or --signing-key), and give the public key above to the \
                     build (Config::trusted_release_keys or ASSETLOCK_TRUSTED_RELEASE_KEYS)",
                    path.display()
                );
                ExitCode::SUCCESS
            }
            Err(error) => {
                eprintln!("error: {error}");
                ExitCode::from(error.exit_code())
            }
        };
    }
    match main_with(&args, Source::from_manifest(manifest)) {
        Ok(report) => {
            println!("{}", redact::redact(&report.to_string()));
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {}", redact::redact(&error.to_string()));
            ExitCode::from(error.exit_code())
        }
    }
}

fn main_with(args: &Args, source: Source) -> Result<Report, Error> {
    let dest = args.destination()?;
    let options = match args.signing_key()? {
        Some(key) => args.options().signing_key(key),
        None => args.options(),
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(Error::runtime)?;
    runtime.block_on(run(&source, &dest, &options))
}

#[cfg(test)]
mod tests {
    use super::manifest_json::ManifestJson;
    use super::*;

    fn manifest(path: &str) -> ManifestJson {
        let text = r#"{"format": 1, "build_id": "b1", "url_prefix": "/assets/", "assets": {
            "a.css": {"url": "/assets/a.0123456789abcdef.css", "path": "a.0123456789abcdef.css",
            "size": 1, "sha256": "00", "integrity": "sha256-x", "content_type": "text/css"}}}"#;
        let mut manifest = ManifestJson::parse(text.as_bytes()).unwrap();
        manifest.assets.get_mut("a.css").unwrap().path = path.to_owned();
        manifest
    }

    #[tokio::test]
    async fn a_manifest_that_breaks_the_path_rules_is_refused_before_any_write() {
        let store = Arc::new(object_store::memory::InMemory::new());
        let dest = Destination::new(store.clone(), "assets").unwrap();
        let source =
            Source::unchecked(manifest("a\\b.0123456789abcdef.css"), "/nonexistent".into());
        let error = run(
            &source,
            &dest,
            &Options::upload().progress(Progress::Hidden),
        )
        .await
        .unwrap_err();
        assert_eq!(error.exit_code(), 2);
        assert!(error.to_string().contains("nothing was written"), "{error}");
        let listed: Vec<_> = futures::TryStreamExt::try_collect(object_store::ObjectStore::list(
            store.as_ref(),
            None,
        ))
        .await
        .unwrap();
        assert!(listed.is_empty(), "{listed:?}");
    }
}
