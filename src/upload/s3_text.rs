//! S3 answers read as text: XML elements, error chains and failure lines.

use http::StatusCode;
use quick_xml::events::Event;

use super::redact::redact;

/// The text of the first `<name>` element of an S3 answer.
pub(crate) fn element(xml: &str, name: &str) -> Option<String> {
    let mut reader = quick_xml::Reader::from_str(xml);
    loop {
        match reader.read_event().ok()? {
            Event::Start(start) if start.name().as_ref() == name.as_bytes() => {
                let raw = reader.read_text(start.name()).ok()?;
                return quick_xml::escape::unescape(&raw)
                    .ok()
                    .map(|t| t.into_owned());
            }
            Event::Eof => return None,
            _ => {}
        }
    }
}

/// An error and its causes: "error sending request" alone does not say what went wrong.
pub(crate) fn with_sources(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text = format!("{text}: {cause_text}");
        }
        source = cause.source();
    }
    text
}

pub(crate) fn failure(what: &str, status: StatusCode, body: &str) -> String {
    let code = element(body, "Code").unwrap_or_default();
    let message = element(body, "Message").unwrap_or_default();
    let detail = [code, message]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(": ");
    match detail.is_empty() {
        true => format!("{what}: HTTP {status}"),
        false => format!("{what}: HTTP {status}: {}", redact(&detail)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elements_are_read_and_unescaped() {
        let xml = "<?xml version=\"1.0\"?><InitiateMultipartUploadResult><Bucket>b</Bucket>\
                   <UploadId>abc-1&amp;2</UploadId></InitiateMultipartUploadResult>";
        assert_eq!(element(xml, "UploadId").as_deref(), Some("abc-1&2"));
        assert_eq!(element(xml, "Code"), None);
    }

    #[test]
    fn failures_name_the_step_and_the_code() {
        let body = "<Error><Code>SlowDown</Code><Message>Reduce your rate</Message></Error>";
        assert_eq!(
            failure("part 3", StatusCode::SERVICE_UNAVAILABLE, body),
            "part 3: HTTP 503 Service Unavailable: SlowDown: Reduce your rate"
        );
        assert_eq!(
            failure("part 3", StatusCode::BAD_GATEWAY, ""),
            "part 3: HTTP 502 Bad Gateway"
        );
    }
}
