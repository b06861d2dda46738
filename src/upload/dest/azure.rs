//! Azure Blob Storage from the environment, as object_store reads it (`AZURE_STORAGE_*`;
//! `AZURE_STORAGE_USE_EMULATOR=true` for Azurite).
//!
//! Every object goes up in one create-only Put Blob (`If-None-Match: *`), whatever its size (up
//! to the service's 5,000 MiB): object_store commits block lists without that condition, so an
//! object stored in blocks could replace another.

use object_store::azure::{MicrosoftAzure, MicrosoftAzureBuilder};

use super::super::Error;
use super::super::redact::redact;
use super::aws_env::retry_config;

/// The Azure store of `container`.
///
/// # Errors
///
/// A configuration object_store rejects (no account, no credentials).
pub(super) fn from_env(container: String) -> Result<MicrosoftAzure, Error> {
    MicrosoftAzureBuilder::from_env()
        .with_container_name(container)
        .with_retry(retry_config())
        .build()
        .map_err(|e| Error::usage(redact(&e.to_string())))
}
