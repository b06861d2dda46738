//! The create-only probe: whether the store refuses a second create-only PUT of one key.
//!
//! Every write assetlock makes is create-only (`If-None-Match: *`). Some S3-compatible servers
//! accept the header and ignore it (older MinIO, s3rver, some self-hosted ones): there an
//! upload could replace an object that servers and pages depend on, silently. `--verify` and
//! the first upload to a destination find out, with a scratch key under `.assetlock/probes/`
//! that they write twice and then delete.

use object_store::ObjectStoreExt;

use super::put::{self, Outcome};
use super::{Destination, Error};

/// The folder of the scratch keys, relative to the prefix.
const PROBES: &str = ".assetlock/probes/";

/// Whether `dest` keeps its create-only promise.
///
/// # Errors
///
/// [`Error::not_create_only`] when the store accepted the second write; a store error when
/// it could not be asked.
pub(crate) async fn create_only(dest: &Destination) -> Result<(), Error> {
    let key = format!("{PROBES}{}.json", super::lease::token("probe"));
    let write = |n: u8| put::put_record(dest, &key, format!("{{\"write\": {n}}}\n").into_bytes());
    let first = write(1).await.map_err(|why| probe_failed(&key, &why))?;
    let second = write(2).await.map_err(|why| probe_failed(&key, &why));
    if let Ok(path) = dest.key(&key) {
        let _ = dest.store().delete(&path).await;
    }
    match (first, second?) {
        (Outcome::Created, Outcome::AlreadyThere) => Ok(()),
        (Outcome::Created, Outcome::Created) => Err(Error::not_create_only(
            dest.to_string(),
            dest.service().create_only_condition(),
        )),
        (Outcome::AlreadyThere, _) => Err(probe_failed(&key, "a fresh key was taken")),
    }
}

fn probe_failed(key: &str, why: &str) -> Error {
    Error::usage(format!(
        "checking that the store refuses to overwrite ({key}): {why}"
    ))
}
