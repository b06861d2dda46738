//! The `upload-assets` command line.

use std::path::PathBuf;
use std::time::Duration;

use assetlock_contract::signature::SigningKey;

use clap::Parser;

use super::dest::Target;
use super::{Destination, Error, Options};

const ABOUT: &str = "Uploads the assets this binary was built with to object storage, under \
content-hashed keys that are never overwritten; writes the build's release record last.";

const EXAMPLES: &str = "\
Examples:
  # Upload this build's assets (create-only; the release record goes last)
  upload-assets s3://my-bucket/assets

  # Show what would be uploaded, without writing anything
  upload-assets s3://my-bucket/assets --dry-run

  # Deploy gate: exit 0 only if every object of this build is present and right
  upload-assets s3://my-bucket/assets --verify
  # ... and download every object to check its SHA-256 too
  upload-assets s3://my-bucket/assets --verify --deep

  # Delete objects that none of the 3 newest releases uses and that are older than a week
  upload-assets s3://my-bucket/assets --prune --keep 3 --grace 7d --dry-run
  upload-assets s3://my-bucket/assets --prune --keep 3 --grace 7d

  # A local S3-compatible server (MinIO, moto, ...)
  AWS_ENDPOINT_URL=http://127.0.0.1:9000 AWS_ALLOW_HTTP=true \\
  AWS_ACCESS_KEY_ID=... AWS_SECRET_ACCESS_KEY=... AWS_REGION=us-east-1 \\
    upload-assets s3://my-bucket/assets

  # Azure Blob Storage (a container and a prefix in it)
  AZURE_STORAGE_ACCOUNT_NAME=myaccount AZURE_STORAGE_ACCOUNT_KEY=... \\
    upload-assets az://my-container/assets

  # Google Cloud Storage (a bucket and a prefix in it), as a service account
  GOOGLE_APPLICATION_CREDENTIALS=deploy-key.json upload-assets gs://my-bucket/assets

  # A local directory served by a web server
  upload-assets file:///srv/www/assets

  # Deltas: copy the 3 newest releases' records and text assets for the next build
  upload-assets s3://my-bucket/assets --pull-releases releases/ --keep 3
  ASSETLOCK_PREVIOUS_RELEASES=releases/ cargo build --release

  # Signed releases: make a deploy key once, give its public half to the build
  # (Config::trusted_release_keys), keep the key itself in the pipeline's secrets
  upload-assets --new-signing-key deploy.key
  ASSETLOCK_SIGNING_KEY=\"$(cat deploy.key)\" upload-assets s3://my-bucket/assets

Environment:
  AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_REGION,
  AWS_ENDPOINT_URL (S3-compatible servers), AWS_ALLOW_HTTP=true (http:// endpoints),
  AWS_PROFILE (a profile of ~/.aws/config and ~/.aws/credentials),
  AZURE_STORAGE_ACCOUNT_NAME with AZURE_STORAGE_ACCOUNT_KEY, AZURE_STORAGE_SAS_KEY or
  AZURE_CLIENT_ID + AZURE_CLIENT_SECRET + AZURE_TENANT_ID (az://),
  AZURE_STORAGE_USE_EMULATOR=true (Azurite),
  GOOGLE_APPLICATION_CREDENTIALS, GOOGLE_SERVICE_ACCOUNT or GOOGLE_SERVICE_ACCOUNT_KEY (gs://;
  else gcloud's application default credentials or the metadata server), GOOGLE_BASE_URL or
  STORAGE_EMULATOR_HOST (another endpoint), GOOGLE_ALLOW_HTTP=true (http:// endpoints),
  ASSETLOCK_SIGNING_KEY (the deploy key, when --signing-key is not given)

On S3, objects of 64 MiB or more go up as multipart uploads (16 MiB parts), completed with
If-None-Match: * so that they too never replace a stored object. On Azure every object goes up
in one Put Blob with If-None-Match: * (up to 5,000 MiB), and on Cloud Storage in one PUT with
x-goog-if-generation-match: 0, where encoded objects also carry Cache-Control: no-transform.

Exit status: 0 on success, 1 on a failed upload, verify or prune, 2 on a usage error.";

/// Uploads the assets this binary was built with to object storage, under content-hashed keys
/// that are never overwritten, and writes the build's release record last.
///
/// ```
/// use clap::Parser;
/// use assetlock::upload::{Action, Args};
///
/// let args = Args::try_parse_from(["upload-assets", "s3://bucket/assets", "--verify"]).unwrap();
/// assert_eq!(args.dest(), "s3://bucket/assets");
/// assert_eq!(args.options().action(), Action::Verify);
///
/// let error = Args::try_parse_from(["upload-assets", "s3://bucket/assets", "--keep", "2"]);
/// assert_eq!(error.unwrap_err().exit_code(), 2);
/// ```
#[derive(Debug, Parser)]
#[command(name = "upload-assets", version, about = ABOUT, long_about = None, after_help = EXAMPLES)]
#[command(group(clap::ArgGroup::new("keeps").args(["prune", "pull_releases"]).multiple(true)))]
pub struct Args {
    /// Where to upload: s3://bucket/prefix, az://container/prefix, gs://bucket/prefix or
    /// file:///absolute/dir.
    #[arg(value_name = "DEST", value_parser = parse_dest,
          required_unless_present = "new_signing_key")]
    dest: Option<String>,

    /// Print what would be uploaded or deleted; change nothing.
    #[arg(long, conflicts_with = "verify")]
    dry_run: bool,

    /// Requests in flight at once.
    #[arg(long, value_name = "N", default_value_t = 16,
          value_parser = clap::value_parser!(u16).range(1..=512))]
    concurrency: u16,

    /// Check, without writing, that every object of this build is present with the right size
    /// and headers; exit 1 otherwise. Run it before rolling out servers.
    #[arg(long, conflicts_with = "prune")]
    verify: bool,

    /// Delete objects referenced by none of the newest N release records and not by this
    /// build, once older than the grace period; old release records likewise.
    #[arg(long, requires = "keep")]
    prune: bool,

    /// With --prune: how many of the newest releases keep their objects. With
    /// --pull-releases: how many of the newest releases to pull (default 3).
    #[arg(long, value_name = "N", requires = "keeps",
          value_parser = clap::value_parser!(u32).range(1..))]
    keep: Option<u32>,

    /// Copy what a delta build needs (the newest --keep N release records and their text
    /// assets, each checked against its SHA-256) into DIR, for ASSETLOCK_PREVIOUS_RELEASES; a
    /// re-run fetches only what is missing.
    #[arg(long, value_name = "DIR", conflicts_with_all = ["verify", "prune", "dry_run"])]
    pull_releases: Option<PathBuf>,

    /// With --prune: keep unreferenced objects modified more recently than this (e.g. 1h,
    /// 7d, 0s).
    #[arg(long, value_name = "DURATION", requires = "prune", default_value = "1d",
          value_parser = humantime::parse_duration)]
    grace: Duration,

    /// With --prune: prune a destination with no key prefix (a whole bucket). Only keys of
    /// assetlock's shape are ever deleted, but a bucket's root is rarely assetlock's alone.
    #[arg(long, requires = "prune")]
    force: bool,

    /// Skip the check that the store refuses a second create-only PUT (made by --verify and by
    /// the first upload to a destination, with a scratch key it then deletes): take the risk
    /// of a store that ignores If-None-Match.
    #[arg(long)]
    accept_overwrites: bool,

    /// The deploy key that signs the release record and deploy event (default: the key in
    /// ASSETLOCK_SIGNING_KEY). A build that trusts deploy keys needs one of them.
    #[arg(long, value_name = "FILE")]
    signing_key: Option<PathBuf>,

    /// Make a new deploy key, write it to FILE (never replacing one) and print its public
    /// half for Config::trusted_release_keys; nothing else is done.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["verify", "prune", "dry_run"])]
    new_signing_key: Option<PathBuf>,

    /// With --verify: also download every object and check its SHA-256.
    #[arg(long, requires = "verify")]
    deep: bool,

    /// Leave source maps (assets ending in .map) out. By default they are uploaded, since the
    /// assets' sourceMappingURL comments point at them; build with Config::source_maps(false)
    /// to drop both instead.
    #[arg(long)]
    no_maps: bool,
}

fn parse_dest(url: &str) -> Result<String, String> {
    Target::parse(url).map(|_| url.to_owned())
}

impl Args {
    /// The `DEST` argument as given (empty with `--new-signing-key`).
    pub fn dest(&self) -> &str {
        self.dest.as_deref().unwrap_or_default()
    }

    /// Where `--new-signing-key` writes a new deploy key, if given.
    pub fn new_signing_key(&self) -> Option<&std::path::Path> {
        self.new_signing_key.as_deref()
    }

    /// The deploy key: from `--signing-key FILE`, else from `ASSETLOCK_SIGNING_KEY`.
    ///
    /// # Errors
    ///
    /// The file cannot be read, or the file or variable holds no deploy key.
    pub fn signing_key(&self) -> Result<Option<SigningKey>, Error> {
        match &self.signing_key {
            Some(path) => super::read_signing_key(path).map(Some),
            None => super::signing_key_from_env(),
        }
    }

    /// The options the flags ask for.
    pub fn options(&self) -> Options {
        let options = match (self.verify, self.prune, self.keep, &self.pull_releases) {
            (true, ..) => Options::verify(),
            (false, true, Some(keep), _) => Options::prune(keep as usize, self.grace),
            (false, false, keep, Some(dir)) => {
                Options::pull_releases(dir, keep.map_or(3, |k| k as usize))
            }
            _ => Options::upload(),
        };
        options
            .dry_run(self.dry_run)
            .concurrency(self.concurrency.into())
            .include_maps(!self.no_maps)
            .deep(self.deep)
            .force(self.force)
            .accept_overwrites(self.accept_overwrites)
    }

    /// The destination, with credentials and endpoint from the AWS environment; see
    /// [`Destination::from_url`].
    ///
    /// # Errors
    ///
    /// As for [`Destination::from_url`].
    pub fn destination(&self) -> Result<Destination, Error> {
        Destination::from_url(self.dest())
    }
}
