//! What an object store's error says: the message for a person (short, without the
//! credentials a server may echo), and whether it means refused or missing credentials or an
//! endpoint that did not answer.

/// The one-line description of a store error about a single object; rejected credentials are
/// described without the server's response body.
pub(crate) fn describe(error: &object_store::Error) -> String {
    match auth_failure(error) {
        Some(code) => format!(
            "the object store refused the credentials{}",
            code.map(|c| format!(" ({c})")).unwrap_or_default()
        ),
        None => tidy(&error.to_string()),
    }
}

/// Shortens an S3 XML error body to `Code: Message`.
pub(crate) fn tidy(text: &str) -> String {
    let tag = |name: &str| {
        let start = text.find(&format!("<{name}>"))? + name.len() + 2;
        let len = text[start..].find(&format!("</{name}>"))?;
        Some(&text[start..start + len])
    };
    let (Some(code), Some(body)) = (tag("Code"), text.find("<?xml").or(text.find("<Error>")))
    else {
        return text.to_owned();
    };
    let head = text[..body].trim_end().trim_end_matches(':');
    match tag("Message") {
        Some(message) => format!("{head}: {code}: {message}"),
        None => format!("{head}: {code}"),
    }
}

/// Where the AWS client looks for credentials, in order, for messages that say none were found.
pub(crate) const CREDENTIAL_SOURCES: &str = "AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY (and \
    AWS_SESSION_TOKEN), the AWS_PROFILE (or default) profile of ~/.aws/config and \
    ~/.aws/credentials (static keys, role_arn + source_profile, sso_session, credential_process), \
    AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN, \
    AWS_CONTAINER_CREDENTIALS_RELATIVE_URI or _FULL_URI, then the EC2 instance metadata service \
    (AWS_METADATA_ENDPOINT; AWS_EC2_METADATA_DISABLED=true skips it)";

/// Whether the store failed while looking for credentials: with no static keys the client
/// falls back to the instance metadata service, whose token and role requests then fail
/// (EC2's, or the metadata server of Google Cloud).
pub(crate) fn no_credentials(text: &str) -> bool {
    [
        "/latest/api/token",
        "/latest/meta-data/iam",
        "/computeMetadata/",
    ]
    .iter()
    .any(|path| text.contains(path))
}

/// Whether the request never got an answer: connection refused, DNS, TLS, time-out.
pub(crate) fn unreachable(text: &str) -> bool {
    [
        "error sending request",
        "Connection refused",
        "dns error",
        "timed out",
    ]
    .iter()
    .any(|needle| text.contains(needle))
}

/// The innermost cause of an object_store error chain, its most specific part.
pub(crate) fn last_cause(text: &str) -> String {
    let cause = text.rsplit(" - ").next().unwrap_or(text).trim();
    let retries = text
        .find(" after ")
        .and_then(|at| text[at..].split(',').next())
        .unwrap_or("");
    format!("{cause}{retries}")
}

/// Whether the error says the credentials were refused.
pub(crate) fn refused(error: &object_store::Error) -> bool {
    auth_failure(error).is_some()
}

/// `Some(S3 error code)` when the error says the credentials were refused.
pub(crate) fn auth_failure(error: &object_store::Error) -> Option<Option<String>> {
    let text = error.to_string();
    let code = [
        "SignatureDoesNotMatch",
        "InvalidAccessKeyId",
        "AccessDenied",
        "ExpiredToken",
    ]
    .into_iter()
    .find(|code| text.contains(code))
    .map(str::to_owned);
    let status = matches!(
        error,
        object_store::Error::PermissionDenied { .. } | object_store::Error::Unauthenticated { .. }
    ) || text.contains("403 Forbidden")
        || text.contains("401 Unauthorized");
    (status || code.is_some()).then_some(code)
}
