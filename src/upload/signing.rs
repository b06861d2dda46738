//! Deploy keys on the uploader's side: making one, reading the one a pipeline holds, and the
//! rules that tie it to the keys the build trusts.

use std::io::Write;
use std::path::Path;

use assetlock_contract::signature::{self, Kind, PublicKey, SigningKey, Trust};

use super::{Error, Source};

/// The environment variable that may hold the deploy key's text (a CI secret), when no
/// `--signing-key` file is given.
pub const SIGNING_KEY_ENV: &str = "ASSETLOCK_SIGNING_KEY";

/// Makes a deploy key, writes it to `path` (a new file only its owner can read) and returns
/// its public half, in the form `Config::trusted_release_keys` takes.
///
/// # Errors
///
/// `path` exists or cannot be written, or the system gives no random numbers.
pub fn new_signing_key(path: &Path) -> Result<PublicKey, Error> {
    let key = SigningKey::generate().map_err(Error::usage)?;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let written = options
        .open(path)
        .and_then(|mut file| writeln!(file, "{}", key.to_secret_text()));
    written.map_err(|e| Error::usage(format!("{}: {e}", path.display())))?;
    Ok(key.public_key())
}

/// Reads a deploy key from a file.
///
/// # Errors
///
/// The file cannot be read or holds no deploy key.
pub fn read_signing_key(path: &Path) -> Result<SigningKey, Error> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Error::usage(format!("{}: {e}", path.display())))?;
    SigningKey::parse(&text).map_err(|why| Error::usage(format!("{}: {why}", path.display())))
}

/// The deploy key named by [`SIGNING_KEY_ENV`], if set.
///
/// # Errors
///
/// The variable holds no deploy key.
pub fn signing_key_from_env() -> Result<Option<SigningKey>, Error> {
    match std::env::var(SIGNING_KEY_ENV) {
        Ok(text) if !text.trim().is_empty() => SigningKey::parse(&text)
            .map(Some)
            .map_err(|why| Error::usage(format!("{SIGNING_KEY_ENV}: {why}"))),
        _ => Ok(None),
    }
}

impl Source {
    /// The deploy keys this build trusts.
    pub(crate) fn trusted_keys(&self) -> Result<Vec<PublicKey>, Error> {
        let texts = &self.manifest().trusted_release_keys;
        texts
            .iter()
            .map(|text| PublicKey::parse(text).map_err(Error::usage))
            .collect()
    }
}

/// Checks, before an upload writes anything, that its records will be trusted: a build that
/// trusts keys needs a deploy key, and one of those.
pub(crate) fn check_key(trusted: &[PublicKey], key: Option<&SigningKey>) -> Result<(), Error> {
    match key {
        None if !trusted.is_empty() => Err(Error::usage(format!(
            "this build trusts only releases signed by {}: give its deploy key with \
             --signing-key FILE or {SIGNING_KEY_ENV}",
            list(trusted)
        ))),
        Some(key) if !trusted.is_empty() && !trusted.contains(&key.public_key()) => {
            Err(Error::usage(format!(
                "the deploy key given is {}, which this build does not trust (it trusts {}); \
                 servers would ignore the release",
                key.public_key(),
                list(trusted)
            )))
        }
        _ => Ok(()),
    }
}

/// Whether a record is one this build trusts: always when it trusts the bucket, else when
/// one of its keys signed it. The reason when it is not.
pub(crate) fn trusted_record(text: &[u8], trusted: &[PublicKey]) -> Result<(), String> {
    if trusted.is_empty() {
        return Ok(());
    }
    match signature::check(Kind::Record, text, trusted) {
        Trust::Signed(_) => Ok(()),
        Trust::Unsigned => Err("not signed".into()),
        Trust::UntrustedKey(key) => {
            Err(format!("signed by {key}, which this build does not trust"))
        }
        Trust::Invalid(why) => Err(format!("bad signature: {why}")),
    }
}

fn list(keys: &[PublicKey]) -> String {
    keys.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_key_file_reads_back_and_is_private() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("deploy.key");
        let public = new_signing_key(&path).unwrap();
        assert_eq!(read_signing_key(&path).unwrap().public_key(), public);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        assert!(
            new_signing_key(&path).is_err(),
            "an existing key is never replaced"
        );
    }

    #[test]
    fn an_upload_needs_a_trusted_key_when_the_build_trusts_keys() {
        let (a, b) = (
            SigningKey::generate().unwrap(),
            SigningKey::generate().unwrap(),
        );
        let trusted = [a.public_key()];
        assert!(check_key(&[], None).is_ok());
        assert!(check_key(&[], Some(&b)).is_ok());
        assert!(check_key(&trusted, Some(&a)).is_ok());
        let missing = check_key(&trusted, None).unwrap_err().to_string();
        assert!(missing.contains(SIGNING_KEY_ENV), "{missing}");
        let other = check_key(&trusted, Some(&b)).unwrap_err().to_string();
        assert!(other.contains("does not trust"), "{other}");
    }
}
