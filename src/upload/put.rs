//! Create-only writes: nothing that is already stored is ever replaced.

use bytes::Bytes;
use object_store::path::Path;
use object_store::{Attributes, ObjectStoreExt, PutMode, PutOptions, PutPayload};

use super::Destination;
use super::error::describe;
use super::headers;
use super::multipart::Completed;
use super::source::Object;

/// S3's limit for one PUT. Larger objects need a multipart upload, which only S3
/// destinations make create-only (see [`super::multipart`]).
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
    let multipart = dest.multipart_for(object.size);
    if object.size > MAX_PUT_SIZE && multipart.is_none() {
        return Err(format!(
            "{} bytes is more than the 5 GiB a single create-only PUT can store, and only S3 \
             destinations upload in parts",
            object.size
        ));
    }
    let bytes = object.load().await?;
    let attributes = match dest.keeps_headers() {
        true => headers::attributes(object, dest.service()),
        false => Attributes::new(),
    };
    let Some(multipart) = multipart else {
        return put_new(dest, &object.key, bytes, attributes, Some(object.size)).await;
    };
    let path = dest.key(&object.key)?;
    match multipart.put(path.as_ref(), bytes, &attributes).await? {
        Completed::Created => Ok(Outcome::Created),
        Completed::KeyTaken => same_size(dest, &path, object.size).await,
    }
}

/// Stores the release record, unless a record of this build exists already (another uploader
/// of the same build finished first).
pub(crate) async fn put_record(
    dest: &Destination,
    key: &str,
    text: Vec<u8>,
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
        Err(object_store::Error::AlreadyExists { .. }) => match size {
            Some(size) => same_size(dest, &path, size).await,
            None => Ok(Outcome::AlreadyThere),
        },
        Err(e) => Err(describe(&e)),
    }
}

/// The answer for a key another uploader took first: fine if the object there has `size`
/// bytes (keys name content, so it is the same object), an error otherwise.
async fn same_size(dest: &Destination, path: &Path, size: u64) -> Result<Outcome, String> {
    let meta = dest
        .store()
        .head(path)
        .await
        .map_err(|e| format!("already exists, and checking it failed: {}", describe(&e)))?;
    if meta.size == size {
        Ok(Outcome::AlreadyThere)
    } else {
        Err(format!(
            "already exists with {} bytes instead of {size}; left as it is (keys are never \
             overwritten)",
            meta.size
        ))
    }
}
