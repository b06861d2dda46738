//! Create-only writes: nothing that is already stored is ever replaced.

use bytes::Bytes;
use object_store::{Attributes, ObjectStoreExt, PutMode, PutOptions, PutPayload};

use super::Destination;
use super::error::describe;
use super::headers;
use super::source::Object;

/// S3's limit for one PUT. object_store 0.13 cannot make a multipart upload create-only (its
/// completion has no `If-None-Match`), so larger objects are refused rather than risking an
/// overwrite.
pub(crate) const MAX_PUT_SIZE: u64 = 5 * 1024 * 1024 * 1024;

/// What a successful create-only PUT found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// This run stored the object.
    Created,
    /// Another uploader stored it first (checked to have the right size).
    AlreadyThere,
}

/// Stores one object of the build with its headers, unless the key exists.
pub(crate) async fn put_object(dest: &Destination, object: &Object) -> Result<Outcome, String> {
    if object.size > MAX_PUT_SIZE {
        return Err(format!(
            "{} bytes is more than the 5 GiB a single create-only PUT can store",
            object.size
        ));
    }
    let bytes = object.load().await?;
    let attributes = match dest.keeps_headers() {
        true => headers::attributes(object),
        false => Attributes::new(),
    };
    put_new(dest, &object.key, bytes, attributes, Some(object.size)).await
}

/// Stores the release record, unless a record of this build exists already (another uploader
/// of the same build finished first).
pub(crate) async fn put_record(
    dest: &Destination,
    key: &str,
    text: String,
) -> Result<Outcome, String> {
    let mut attributes = Attributes::new();
    if dest.keeps_headers() {
        attributes.insert(
            object_store::Attribute::ContentType,
            headers::RECORD_CONTENT_TYPE.into(),
        );
    }
    put_new(dest, key, Bytes::from(text), attributes, None).await
}

/// A PUT with `If-None-Match: *`. When the key exists and `size` is given, the existing
/// object must have that size to count as the same object.
async fn put_new(
    dest: &Destination,
    key: &str,
    bytes: Bytes,
    attributes: Attributes,
    size: Option<u64>,
) -> Result<Outcome, String> {
    let path = dest.key(key)?;
    let options = PutOptions {
        mode: PutMode::Create,
        attributes,
        ..PutOptions::default()
    };
    match dest
        .store()
        .put_opts(&path, PutPayload::from(bytes), options)
        .await
    {
        Ok(_) => Ok(Outcome::Created),
        Err(object_store::Error::AlreadyExists { .. }) => {
            let Some(size) = size else {
                return Ok(Outcome::AlreadyThere);
            };
            let meta =
                dest.store().head(&path).await.map_err(|e| {
                    format!("already exists, and checking it failed: {}", describe(&e))
                })?;
            if meta.size == size {
                Ok(Outcome::AlreadyThere)
            } else {
                Err(format!(
                    "already exists with {} bytes instead of {size}; left as it is (keys are \
                     never overwritten)",
                    meta.size
                ))
            }
        }
        Err(e) => Err(describe(&e)),
    }
}
