//! Credentials never printed: a leaf that every part of the uploader reporting a store's
//! words goes through.

/// The variables whose values are secrets: the stores' credentials and the deploy key.
const SECRETS: &[&str] = &[
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_ACCESS_KEY_ID",
    "AZURE_STORAGE_ACCOUNT_KEY",
    "AZURE_STORAGE_ACCESS_KEY",
    "AZURE_STORAGE_SAS_KEY",
    "AZURE_STORAGE_TOKEN",
    "AZURE_CLIENT_SECRET",
    "ASSETLOCK_SIGNING_KEY",
];

/// Replaces the values of the credential variables in `text` with `***`, so a message printed
/// by the CLI never shows them, whatever a server echoed back.
pub(crate) fn redact(text: &str) -> String {
    let mut text = text.to_owned();
    for var in SECRETS {
        if let Ok(value) = std::env::var(var)
            && value.len() >= 4
        {
            text = text.replace(&value, "***");
        }
    }
    text
}
