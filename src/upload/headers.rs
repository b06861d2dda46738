//! The HTTP headers each object is stored with, for the upload and for `--verify`.

use object_store::{Attribute, Attributes};

use super::dest::Service;
use super::source::Object;

/// Hashed names never change content, so caches may keep them for a year without asking.
pub(crate) const CACHE_CONTROL: &str = "public, max-age=31536000, immutable";

/// [`CACHE_CONTROL`] for encoded objects on stores that would otherwise decode them when they
/// serve them (see [`Service::needs_no_transform`]).
pub(crate) const CACHE_CONTROL_NO_TRANSFORM: &str =
    "public, max-age=31536000, immutable, no-transform";

/// The Content-Type of release records.
pub(crate) const RECORD_CONTENT_TYPE: &str = "application/json";

/// The headers an object must carry: the original's Content-Type (also on variants, whose
/// names end in `.br`/`.gz`/`.zst`, and on deltas, `.dcz`), Content-Encoding on variants and
/// deltas only, and the immutable Cache-Control (with `no-transform` on encoded objects where
/// `service` needs it).
pub(crate) fn expected(object: &Object, service: Service) -> [(Attribute, Option<&str>); 3] {
    let cache_control = match object.content_encoding.is_some() && service.needs_no_transform() {
        true => CACHE_CONTROL_NO_TRANSFORM,
        false => CACHE_CONTROL,
    };
    [
        (Attribute::ContentType, Some(object.content_type.as_str())),
        (Attribute::ContentEncoding, object.content_encoding),
        (Attribute::CacheControl, Some(cache_control)),
    ]
}

/// [`expected`] as object_store attributes for a PUT.
pub(crate) fn attributes(object: &Object, service: Service) -> Attributes {
    let mut attributes = Attributes::new();
    for (name, value) in expected(object, service) {
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
