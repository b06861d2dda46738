//! The HTTP headers each object is stored with, for the upload and for `--verify`.

use object_store::{Attribute, Attributes};

use super::source::Object;

/// Hashed names never change content, so caches may keep them for a year without asking.
pub(crate) const CACHE_CONTROL: &str = "public, max-age=31536000, immutable";

/// The Content-Type of release records.
pub(crate) const RECORD_CONTENT_TYPE: &str = "application/json";

/// The headers an object must carry: the original's Content-Type (also on variants, whose
/// names end in `.br`/`.gz`/`.zst`, and on deltas, `.dcz`), Content-Encoding on variants and
/// deltas only, and the immutable Cache-Control.
pub(crate) fn expected(object: &Object) -> [(Attribute, Option<&str>); 3] {
    [
        (Attribute::ContentType, Some(object.content_type.as_str())),
        (Attribute::ContentEncoding, object.content_encoding),
        (Attribute::CacheControl, Some(CACHE_CONTROL)),
    ]
}

/// [`expected`] as object_store attributes for a PUT.
pub(crate) fn attributes(object: &Object) -> Attributes {
    let mut attributes = Attributes::new();
    for (name, value) in expected(object) {
        if let Some(value) = value {
            attributes.insert(name, value.to_owned().into());
        }
    }
    attributes
}

/// The header name as HTTP spells it, for messages.
pub(crate) fn name(attribute: &Attribute) -> &'static str {
    match attribute {
        Attribute::ContentType => "Content-Type",
        Attribute::ContentEncoding => "Content-Encoding",
        Attribute::CacheControl => "Cache-Control",
        _ => "header",
    }
}
