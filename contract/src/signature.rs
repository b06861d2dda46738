//! Signed releases: what `upload-assets` signs with a deploy key, and how a server, a prune or a
//! delta build built to trust that key checks it.
//!
//! A release record (and a deploy event) carries its signature inside, as a member
//! `"signature": {"key": "ed25519:<public key>", "sig": "<signature>"}`. The signature is
//! Ed25519 over a domain-separated canonical form of the document without that member: every
//! object's members sorted by name, no white space, strings and numbers as JSON writes them.
//! A reader checks the document it parsed, so re-indenting a record does not break it, and a
//! member added by a later version is signed and checked like the others.
//!
//! ```
//! use assetlock_contract::signature::{Kind, SigningKey, Trust, check, sign};
//!
//! let key = SigningKey::generate().unwrap();
//! let public = key.public_key();
//! let record = br#"{"format": 1, "build_id": "b1", "url_prefix": "/assets/", "assets": {}}"#;
//! let signed = sign(Kind::Record, record, &key).unwrap();
//! assert_eq!(check(Kind::Record, &signed, &[public]), Trust::Signed(public));
//! assert_eq!(check(Kind::Record, record, &[public]), Trust::Unsigned);
//! ```

use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ring::signature::{ED25519, Ed25519KeyPair, KeyPair, UnparsedPublicKey};
use serde_json::Value;

/// The text a public key starts with.
const PUBLIC_PREFIX: &str = "ed25519:";

/// The text a private key (its 32-byte seed) starts with.
const SECRET_PREFIX: &str = "ed25519-secret:";

/// The member of a signed document that holds its signature.
pub const MEMBER: &str = "signature";

/// What a signature is about: the bytes signed start with a different tag for each, so a
/// signature of one can never pass for the other.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A release record, `.assetlock/releases/<build id>.json`.
    Record,
    /// A deploy event, `.assetlock/deploys/<µs>-<build id>.json`.
    DeployEvent,
    /// A catalog, `.assetlock/catalogs/<µs>-<token>.json`: the records an upload found.
    Catalog,
}

impl Kind {
    fn tag(self) -> &'static [u8] {
        match self {
            Kind::Record => b"assetlock release record v1\n",
            Kind::DeployEvent => b"assetlock deploy event v1\n",
            Kind::Catalog => b"assetlock catalog v1\n",
        }
    }
}

/// An Ed25519 public key a build trusts, written `ed25519:<base64url>`.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct PublicKey([u8; 32]);

impl PublicKey {
    /// Parses `ed25519:<43 base64url characters>`.
    ///
    /// # Errors
    ///
    /// A message naming what is wrong with the text.
    pub fn parse(text: &str) -> Result<PublicKey, String> {
        let encoded = text.trim().strip_prefix(PUBLIC_PREFIX).ok_or_else(|| {
            format!("`{text}` is not a public key: it should start with `{PUBLIC_PREFIX}`")
        })?;
        let bytes = URL_SAFE_NO_PAD
            .decode(encoded)
            .map_err(|e| format!("`{text}` is not a public key: {e}"))?;
        let bytes: [u8; 32] = bytes
            .try_into()
            .map_err(|_| format!("`{text}` is not a public key: not 32 bytes"))?;
        Ok(PublicKey(bytes))
    }
}

impl fmt::Display for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{PUBLIC_PREFIX}{}", URL_SAFE_NO_PAD.encode(self.0))
    }
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// A private deploy key: an Ed25519 seed, written `ed25519-secret:<base64url>`.
pub struct SigningKey {
    seed: [u8; 32],
    pair: Ed25519KeyPair,
}

impl SigningKey {
    /// A new key from the system's random number generator.
    ///
    /// # Errors
    ///
    /// The system has no random numbers to give.
    pub fn generate() -> Result<SigningKey, String> {
        let mut seed = [0u8; 32];
        ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut seed)
            .map_err(|_| "no random numbers from the system".to_owned())?;
        SigningKey::from_seed(seed)
    }

    fn from_seed(seed: [u8; 32]) -> Result<SigningKey, String> {
        let pair = Ed25519KeyPair::from_seed_unchecked(&seed)
            .map_err(|_| "not an Ed25519 seed".to_owned())?;
        Ok(SigningKey { seed, pair })
    }

    /// Parses `ed25519-secret:<base64url>`, as [`SigningKey::to_secret_text`] writes it.
    ///
    /// # Errors
    ///
    /// A message saying what is wrong, without the text itself.
    pub fn parse(text: &str) -> Result<SigningKey, String> {
        let encoded = text
            .trim()
            .strip_prefix(SECRET_PREFIX)
            .ok_or_else(|| format!("a deploy key starts with `{SECRET_PREFIX}`"))?;
        let seed = URL_SAFE_NO_PAD
            .decode(encoded)
            .map_err(|_| "the deploy key is not valid base64url".to_owned())?;
        let seed: [u8; 32] = seed
            .try_into()
            .map_err(|_| "the deploy key is not 32 bytes".to_owned())?;
        SigningKey::from_seed(seed)
    }

    /// The key's text, to store where only the deploy pipeline can read it.
    pub fn to_secret_text(&self) -> String {
        format!("{SECRET_PREFIX}{}", URL_SAFE_NO_PAD.encode(self.seed))
    }

    /// The public half, as builds are given it.
    pub fn public_key(&self) -> PublicKey {
        let mut bytes = [0u8; 32];
        bytes.copy_from_slice(self.pair.public_key().as_ref());
        PublicKey(bytes)
    }
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SigningKey({})", self.public_key())
    }
}

/// What a document's signature says to a reader trusting some keys.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Trust {
    /// Signed by this trusted key.
    Signed(PublicKey),
    /// No signature.
    Unsigned,
    /// Signed by a key the reader does not trust.
    UntrustedKey(String),
    /// A signature that does not verify, or a document that is not JSON.
    Invalid(String),
}

/// The document `text` with its signature by `key` added.
///
/// # Errors
///
/// `text` is not a JSON object.
pub fn sign(kind: Kind, text: &[u8], key: &SigningKey) -> Result<Vec<u8>, String> {
    let mut document: Value = serde_json::from_slice(text).map_err(|e| e.to_string())?;
    let object = document.as_object_mut().ok_or("not a JSON object")?;
    object.remove(MEMBER);
    let signature = key.pair.sign(&signed_bytes(kind, &document));
    let member = serde_json::json!({
        "key": key.public_key().to_string(),
        "sig": URL_SAFE_NO_PAD.encode(signature.as_ref()),
    });
    if let Some(object) = document.as_object_mut() {
        object.insert(MEMBER.to_owned(), member);
    }
    let mut out = serde_json::to_vec_pretty(&document).map_err(|e| e.to_string())?;
    out.push(b'\n');
    Ok(out)
}

/// Checks the signature of the document `text` against the `trusted` keys.
pub fn check(kind: Kind, text: &[u8], trusted: &[PublicKey]) -> Trust {
    match signer(kind, text) {
        Err(why) => Trust::Invalid(why),
        Ok(None) => Trust::Unsigned,
        Ok(Some(key)) if trusted.contains(&key) => Trust::Signed(key),
        Ok(Some(key)) => Trust::UntrustedKey(key.to_string()),
    }
}

/// The key that signed the document `text`, its signature checked, whoever it is: `None` when
/// the document is unsigned. A catalog records it beside each record it lists, so that a
/// reader can apply its own trust to each.
///
/// # Errors
///
/// The document is not a JSON object, or its signature does not verify.
pub fn signer(kind: Kind, text: &[u8]) -> Result<Option<PublicKey>, String> {
    let mut document: Value = serde_json::from_slice(text).map_err(|e| e.to_string())?;
    let object = document.as_object_mut().ok_or("not a JSON object")?;
    let Some(member) = object.remove(MEMBER) else {
        return Ok(None);
    };
    let (Some(key), Some(sig)) = (member["key"].as_str(), member["sig"].as_str()) else {
        return Err("the signature has no `key` or `sig`".into());
    };
    let key = PublicKey::parse(key)?;
    let sig = URL_SAFE_NO_PAD
        .decode(sig)
        .map_err(|_| "the signature is not base64url".to_owned())?;
    UnparsedPublicKey::new(&ED25519, key.0)
        .verify(&signed_bytes(kind, &document), &sig)
        .map_err(|_| format!("the signature by {key} does not match the document"))?;
    Ok(Some(key))
}

/// The bytes signed: the kind's tag, then the canonical form of the document.
fn signed_bytes(kind: Kind, document: &Value) -> Vec<u8> {
    let mut out = kind.tag().to_vec();
    canonical(document, &mut out);
    out
}

/// Members sorted by name, no white space; strings and numbers as `serde_json` writes them.
fn canonical(value: &Value, out: &mut Vec<u8>) {
    match value {
        Value::Object(members) => {
            let mut sorted: Vec<_> = members.iter().collect();
            sorted.sort_by(|a, b| a.0.cmp(b.0));
            out.push(b'{');
            for (i, (name, value)) in sorted.into_iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                canonical(&Value::String(name.clone()), out);
                out.push(b':');
                canonical(value, out);
            }
            out.push(b'}');
        }
        Value::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                canonical(item, out);
            }
            out.push(b']');
        }
        scalar => out.extend(serde_json::to_vec(scalar).unwrap_or_default()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RECORD: &[u8] =
        br#"{"format": 1, "build_id": "b1", "url_prefix": "/assets/", "assets": {"a": {"x": 1}}}"#;

    #[test]
    fn keys_read_back_as_written() {
        let key = SigningKey::generate().unwrap();
        let again = SigningKey::parse(&key.to_secret_text()).unwrap();
        assert_eq!(again.public_key(), key.public_key());
        let text = key.public_key().to_string();
        assert!(
            text.starts_with("ed25519:") && text.len() == 8 + 43,
            "{text}"
        );
        assert_eq!(PublicKey::parse(&text).unwrap(), key.public_key());
        assert!(PublicKey::parse("ed25519:abc").is_err());
        assert!(PublicKey::parse(&text[8..]).is_err());
        assert!(
            SigningKey::parse(&text).is_err(),
            "a public key is no deploy key"
        );
    }

    #[test]
    fn a_signature_survives_reformatting_but_not_a_change() {
        let key = SigningKey::generate().unwrap();
        let trusted = [key.public_key()];
        let signed = sign(Kind::Record, RECORD, &key).unwrap();
        let compact = serde_json::to_vec(&serde_json::from_slice::<Value>(&signed).unwrap());
        assert_eq!(
            check(Kind::Record, &compact.unwrap(), &trusted),
            Trust::Signed(trusted[0])
        );
        let changed = String::from_utf8(signed.clone())
            .unwrap()
            .replace("\"b1\"", "\"b2\"");
        assert!(matches!(
            check(Kind::Record, changed.as_bytes(), &trusted),
            Trust::Invalid(_)
        ));
    }

    #[test]
    fn a_signature_is_for_one_kind_of_document_and_one_key() {
        let (key, other) = (
            SigningKey::generate().unwrap(),
            SigningKey::generate().unwrap(),
        );
        let signed = sign(Kind::Record, RECORD, &key).unwrap();
        let trusted = [key.public_key()];
        assert!(matches!(
            check(Kind::DeployEvent, &signed, &trusted),
            Trust::Invalid(_)
        ));
        let by_other = sign(Kind::Record, RECORD, &other).unwrap();
        assert_eq!(
            check(Kind::Record, &by_other, &trusted),
            Trust::UntrustedKey(other.public_key().to_string())
        );
        // Rotation: a reader trusting both keys takes either.
        let both = [key.public_key(), other.public_key()];
        assert_eq!(
            check(Kind::Record, &by_other, &both),
            Trust::Signed(other.public_key())
        );
    }

    #[test]
    fn a_forged_signature_member_is_invalid() {
        let key = SigningKey::generate().unwrap();
        let forged = format!(
            r#"{{"build_id": "b1", "signature": {{"key": "{}", "sig": "AAAA"}}}}"#,
            key.public_key()
        );
        let trusted = [key.public_key()];
        assert!(matches!(
            check(Kind::Record, forged.as_bytes(), &trusted),
            Trust::Invalid(_)
        ));
    }
}
