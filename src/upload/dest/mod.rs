//! Where objects go: an object store and a key prefix. `target` reads the `DEST` argument,
//! `aws_env`, `azure` and `gcs` make the stores from the environment, `service` says what each
//! kind of store needs.

mod aws_env;
mod azure;
mod gcs;
mod service;
mod target;

use std::fmt;
use std::sync::Arc;

use object_store::ObjectStore;
use object_store::aws::AmazonS3Builder;
use object_store::gcp::GoogleCloudStorageBuilder;
use object_store::local::LocalFileSystem;
use object_store::path::Path;

use super::Error;
use super::multipart::Multipart;
use super::redact::redact;
pub(crate) use service::Service;
pub(crate) use target::Target;

/// An object store and the key prefix the build's objects go under.
///
/// From a URL and the standard AWS environment, as the CLI does:
///
/// ```no_run
/// use assetlock::upload::Destination;
///
/// // AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION, AWS_ENDPOINT_URL, AWS_ALLOW_HTTP ...
/// let dest = Destination::from_url("s3://my-bucket/assets")?;
/// let local = Destination::from_url("file:///srv/www/assets")?;
/// # Ok::<(), assetlock::upload::Error>(())
/// ```
///
/// From an S3 store you configured yourself (large objects then go up in parts):
///
/// ```
/// use assetlock::upload::Destination;
/// use assetlock::upload::object_store::aws::AmazonS3Builder;
///
/// let s3 = AmazonS3Builder::new()
///     .with_bucket_name("my-bucket")
///     .with_region("eu-west-1")
///     .with_access_key_id("AKIA...")
///     .with_secret_access_key("...");
/// let dest = Destination::s3(s3, "assets")?.multipart(32 << 20, 8 << 20);
/// # Ok::<(), assetlock::upload::Error>(())
/// ```
///
/// Or from any other store you built yourself:
///
/// ```
/// use std::sync::Arc;
/// use assetlock::upload::{Destination, object_store::memory::InMemory};
///
/// let dest = Destination::new(Arc::new(InMemory::new()), "assets")?;
/// assert_eq!(dest.prefix(), "assets");
/// # Ok::<(), assetlock::upload::Error>(())
/// ```
#[derive(Clone)]
pub struct Destination {
    store: Arc<dyn ObjectStore>,
    prefix: Path,
    name: String,
    headers: bool,
    multipart: Option<Arc<Multipart>>,
    /// The directory of a `file://` destination.
    local_root: Option<std::path::PathBuf>,
    service: Service,
}

impl Destination {
    /// Objects under `prefix` (`/`-separated, without leading or trailing `/`; `""` for the
    /// store's root) of a store you configured, which keeps `Content-Type`, `Content-Encoding`
    /// and `Cache-Control` (S3, GCS, Azure, in-memory).
    ///
    /// Use create-only capable stores: every write is `PutMode::Create`. object_store's S3,
    /// Azure and GCS stores are recognised, for their error messages and, on GCS, the
    /// `no-transform` that encoded objects need there (see [`Destination::gcs`]).
    ///
    /// # Errors
    ///
    /// The prefix has empty, `.` or `..` segments or control characters.
    pub fn new(store: Arc<dyn ObjectStore>, prefix: &str) -> Result<Destination, Error> {
        let prefix =
            Path::parse(prefix).map_err(|e| Error::usage(format!("prefix `{prefix}`: {e}")))?;
        let name = format!("{store}/{prefix}");
        let service = Service::of_store(&name);
        Ok(Destination {
            store,
            prefix,
            name,
            headers: true,
            multipart: None,
            local_root: None,
            service,
        })
    }

    /// Objects under `prefix` of the S3 bucket `builder` describes. Like [`Destination::new`],
    /// and objects of 64 MiB or more go up as multipart uploads (16 MiB parts, 4 in flight),
    /// completed with `If-None-Match: *` so that they too never replace a stored object.
    ///
    /// # Errors
    ///
    /// A configuration object_store rejects, or a malformed prefix.
    pub fn s3(builder: AmazonS3Builder, prefix: &str) -> Result<Destination, Error> {
        let store = Arc::new(
            builder
                .clone()
                .build()
                .map_err(|e| Error::usage(redact(&e.to_string())))?,
        );
        let multipart = Multipart::new(&builder, Arc::clone(&store)).map_err(Error::usage)?;
        let mut dest = Destination::new(store, prefix)?;
        dest.multipart = Some(Arc::new(multipart));
        Ok(dest)
    }

    /// Objects under `prefix` of the Google Cloud Storage bucket `builder` describes. Like
    /// [`Destination::new`]; every object goes up in one PUT with `x-goog-if-generation-match: 0`
    /// (create-only, up to 5 GiB), and objects stored with a
    /// `Content-Encoding` also carry `Cache-Control: no-transform`, without which Cloud Storage
    /// serves a gzip object decompressed to clients that do not ask for gzip.
    ///
    /// ```
    /// use assetlock::upload::Destination;
    /// use assetlock::upload::object_store::gcp::GoogleCloudStorageBuilder;
    ///
    /// let gcs = GoogleCloudStorageBuilder::new()
    ///     .with_bucket_name("my-bucket")
    ///     .with_service_account_path("deploy-key.json");
    /// let dest = Destination::gcs(gcs, "assets");
    /// # let _ = dest;
    /// ```
    ///
    /// # Errors
    ///
    /// A configuration object_store rejects (an unreadable key file), or a malformed prefix.
    pub fn gcs(builder: GoogleCloudStorageBuilder, prefix: &str) -> Result<Destination, Error> {
        let store = builder
            .build()
            .map_err(|e| Error::usage(redact(&e.to_string())))?;
        Destination::new(Arc::new(store), prefix)
    }

    /// Objects of `threshold` bytes or more go up in parts of `part_size` bytes (S3 needs at
    /// least 5 MiB; 10,000 parts at most, so parts of huge objects are larger). Only S3
    /// destinations ([`Destination::s3`], `s3://` URLs) upload in parts; other stores take
    /// every object in one create-only PUT.
    pub fn multipart(mut self, threshold: u64, part_size: u64) -> Destination {
        if let Some(multipart) = &mut self.multipart {
            let multipart = Arc::make_mut(multipart);
            multipart.threshold = threshold;
            multipart.part_size = part_size;
        }
        self
    }

    /// A destination from a `DEST` URL: `s3://bucket/prefix` with the endpoint, region and
    /// credentials of the standard AWS environment variables (`AWS_ACCESS_KEY_ID`,
    /// `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`, `AWS_REGION`, `AWS_ENDPOINT_URL`, and
    /// `AWS_ALLOW_HTTP=true` for an `http://` endpoint) or an AWS profile;
    /// `az://container/prefix` with the Azure Storage variables (`AZURE_STORAGE_ACCOUNT_NAME`
    /// with `AZURE_STORAGE_ACCOUNT_KEY`, a SAS or a service principal, as object_store reads
    /// them; `AZURE_STORAGE_USE_EMULATOR=true` for Azurite); `gs://bucket/prefix` with the
    /// Google Cloud credentials of the environment (a service account key in
    /// `GOOGLE_SERVICE_ACCOUNT`, `GOOGLE_SERVICE_ACCOUNT_KEY` or
    /// `GOOGLE_APPLICATION_CREDENTIALS`, gcloud's application default credentials, or the
    /// metadata server; `GOOGLE_BASE_URL` or `STORAGE_EMULATOR_HOST` for another endpoint);
    /// or `file:///dir` for a local
    /// directory (which stores bytes but no headers: the web server in front of it sets them).
    ///
    /// Requests are retried with exponential backoff on errors worth retrying.
    ///
    /// # Errors
    ///
    /// An unsupported scheme or malformed URL, or an S3 configuration that object_store
    /// rejects.
    pub fn from_url(url: &str) -> Result<Destination, Error> {
        let target = Target::parse(url).map_err(Error::usage)?;
        match target {
            Target::S3 { bucket, prefix } => {
                let builder = aws_env::s3_builder(bucket)?;
                let dest = Destination::s3(builder, prefix.as_ref())
                    .map_err(|e| Error::usage(format!("{url}: {e}")))?;
                Ok(dest.named(url))
            }
            Target::Azure { container, prefix } => {
                let store = azure::from_env(container)?;
                let dest = Destination::new(Arc::new(store), prefix.as_ref())?;
                Ok(dest.named(url))
            }
            Target::Gcs { bucket, prefix } => {
                let builder = gcs::builder_from_env(bucket)?;
                let dest = Destination::gcs(builder, prefix.as_ref())
                    .map_err(|e| Error::usage(format!("{url}: {e}")))?;
                Ok(dest.named(url))
            }
            Target::File { prefix } => Ok(Destination {
                store: Arc::new(LocalFileSystem::new()),
                local_root: Some(std::path::Path::new("/").join(prefix.as_ref())),
                prefix,
                name: String::new(),
                headers: false,
                multipart: None,
                service: Service::Local,
            }
            .named(url)),
        }
    }

    fn named(mut self, url: &str) -> Destination {
        self.name = url.trim_end_matches('/').to_owned();
        self
    }

    /// Whether the store keeps `Content-Type`, `Content-Encoding` and `Cache-Control` (default
    /// `true`). With `false` objects are stored without them and `--verify` checks sizes only.
    pub fn headers(mut self, headers: bool) -> Destination {
        self.headers = headers;
        self
    }

    /// The key prefix, without leading or trailing `/`.
    pub fn prefix(&self) -> &str {
        self.prefix.as_ref()
    }

    pub(crate) fn store(&self) -> &dyn ObjectStore {
        self.store.as_ref()
    }

    pub(crate) fn prefix_path(&self) -> &Path {
        &self.prefix
    }

    /// The directory of a `file://` destination.
    pub(crate) fn local_root(&self) -> Option<&std::path::Path> {
        self.local_root.as_deref()
    }

    pub(crate) fn keeps_headers(&self) -> bool {
        self.headers
    }

    /// Which kind of store this is.
    pub(crate) fn service(&self) -> Service {
        self.service
    }

    /// Signed S3 requests of our own, for an S3 destination.
    pub(crate) fn s3_requests(&self) -> Option<&Multipart> {
        self.multipart.as_deref()
    }

    /// Multipart uploads, for an S3 destination.
    pub(crate) fn multipart_for(&self, size: u64) -> Option<&Multipart> {
        self.multipart.as_deref().filter(|m| size >= m.threshold)
    }

    /// The full key of an object given relative to the prefix.
    pub(crate) fn key(&self, relative: &str) -> Result<Path, String> {
        let full = if self.prefix.as_ref().is_empty() {
            relative.to_owned()
        } else {
            format!("{}/{relative}", self.prefix)
        };
        Path::parse(full).map_err(|e| e.to_string())
    }

    /// The key relative to the prefix, for a key listed under it.
    pub(crate) fn relative(&self, key: &Path) -> Option<String> {
        let key = key.as_ref();
        let prefix = self.prefix.as_ref();
        if prefix.is_empty() {
            return Some(key.to_owned());
        }
        key.strip_prefix(prefix)?
            .strip_prefix('/')
            .map(str::to_owned)
    }
}

impl fmt::Display for Destination {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)
    }
}

impl fmt::Debug for Destination {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Destination")
            .field("name", &self.name)
            .field("headers", &self.headers)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_join_and_split_at_the_prefix() {
        let store = Arc::new(object_store::memory::InMemory::new());
        let dest = Destination::new(store, "assets").unwrap();
        let key = dest.key("css/a b.css").unwrap();
        assert_eq!(key.as_ref(), "assets/css/a b.css");
        assert_eq!(dest.relative(&key).as_deref(), Some("css/a b.css"));
        assert_eq!(dest.relative(&Path::from("assetsx/y")), None);
    }
}
