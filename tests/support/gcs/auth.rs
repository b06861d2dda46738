//! The server's side of a service account's credentials: a fresh RSA key (made by `openssl`,
//! never stored in the repository), the key file Google issues for it, and the check of each
//! request's bearer token, a JWT signed with RS256 by that key (the self-signed JWT Google
//! accepts from service accounts).

use std::process::Command;
use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use ring::signature::{RSA_PKCS1_2048_8192_SHA256, RsaKeyPair, UnparsedPublicKey};

/// The service account the tests deploy as.
pub const CLIENT_EMAIL: &str = "deployer@assetlock-tests.iam.gserviceaccount.com";
const KEY_ID: &str = "assetlock-test-key-1";
/// The scope object_store asks for.
const SCOPE: &str = "https://www.googleapis.com/auth/cloud-platform";

/// A service account: its key file, and the public key the server checks tokens with.
pub struct Account {
    /// The JSON key file, as the Cloud console downloads it.
    pub key_file: String,
    public_key: Vec<u8>,
}

impl Account {
    /// A new account with a 2048-bit RSA key; `None` when `openssl` cannot make one.
    pub fn generate() -> Option<Account> {
        let output = Command::new("openssl")
            .args([
                "genpkey",
                "-algorithm",
                "RSA",
                "-pkeyopt",
                "rsa_keygen_bits:2048",
            ])
            .output()
            .ok()?;
        if !output.status.success() {
            return None;
        }
        let pem = String::from_utf8(output.stdout).ok()?;
        let der: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
        let pair = RsaKeyPair::from_pkcs8(&STANDARD.decode(der).ok()?).ok()?;
        let key_file = serde_json::json!({
            "type": "service_account",
            "project_id": "assetlock-tests",
            "private_key_id": KEY_ID,
            "private_key": pem,
            "client_email": CLIENT_EMAIL,
            "token_uri": "https://oauth2.googleapis.com/token",
        })
        .to_string();
        Some(Account {
            key_file,
            public_key: pair.public().as_ref().to_vec(),
        })
    }

    /// Why the `Authorization` header does not hold a valid token of this account, if it
    /// does not.
    pub fn refuse(&self, authorization: Option<&str>) -> Option<String> {
        let Some(token) = authorization.and_then(|v| v.strip_prefix("Bearer ")) else {
            return Some("no bearer token".into());
        };
        let parts: Vec<&str> = token.split('.').collect();
        let [header, claims, signature] = parts[..] else {
            return Some("the token is not a JWT".into());
        };
        let decode = |part: &str| {
            let bytes = URL_SAFE_NO_PAD.decode(part).ok()?;
            serde_json::from_slice::<serde_json::Value>(&bytes).ok()
        };
        let (Some(header), Some(claims)) = (decode(header), decode(claims)) else {
            return Some("the token's header or claims are not base64url JSON".into());
        };
        if header["alg"] != "RS256" || header["kid"] != KEY_ID {
            return Some(format!("unknown algorithm or key: {header}"));
        }
        let Ok(signature) = URL_SAFE_NO_PAD.decode(signature) else {
            return Some("the signature is not base64url".into());
        };
        let message = &token[..token.rfind('.').unwrap()];
        let key = UnparsedPublicKey::new(&RSA_PKCS1_2048_8192_SHA256, &self.public_key);
        if key.verify(message.as_bytes(), &signature).is_err() {
            return Some("the signature does not match the service account's key".into());
        }
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs();
        let expires = claims["exp"].as_u64().unwrap_or(0);
        if claims["iss"] != CLIENT_EMAIL || claims["sub"] != CLIENT_EMAIL {
            return Some(format!("issued by another account: {}", claims["iss"]));
        }
        if claims["scope"]
            .as_str()
            .is_none_or(|s| !s.split(' ').any(|s| s == SCOPE))
        {
            return Some(format!(
                "scope {} does not cover Cloud Storage",
                claims["scope"]
            ));
        }
        (expires <= now).then(|| "the token has expired".into())
    }
}
