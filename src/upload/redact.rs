//! Credentials never printed: a leaf that every part of the uploader reporting a store's
//! words goes through.

/// Replaces the values of the AWS credential variables in `text` with `***`, so a message
/// printed by the CLI never shows them, whatever a server echoed back.
pub(crate) fn redact(text: &str) -> String {
    let mut text = text.to_owned();
    for var in [
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_ACCESS_KEY_ID",
    ] {
        if let Ok(value) = std::env::var(var)
            && value.len() >= 4
        {
            text = text.replace(&value, "***");
        }
    }
    text
}
