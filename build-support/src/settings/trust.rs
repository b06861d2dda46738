//! The deploy keys a build trusts: the environment's, else the configured ones.

use assetlock_contract::signature::PublicKey;

use super::CONFIG;
use crate::Config;
use crate::cargo;
use crate::error::Diagnostic;

/// The trusted deploy keys: `ASSETLOCK_TRUSTED_RELEASE_KEYS` (separated by commas or
/// white space), else the configured ones; each one that is not a key is a problem.
pub(super) fn trusted_keys(config: &Config, problems: &mut Vec<Diagnostic>) -> Vec<PublicKey> {
    const VAR: &str = "ASSETLOCK_TRUSTED_RELEASE_KEYS";
    let (texts, origin): (Vec<String>, &str) = match cargo::user_var(VAR) {
        Some(list) => (
            list.split(|c: char| c == ',' || c.is_whitespace())
                .filter(|key| !key.is_empty())
                .map(str::to_owned)
                .collect(),
            VAR,
        ),
        None => (config.trusted_release_keys.clone(), CONFIG),
    };
    let mut keys = Vec::new();
    for text in &texts {
        match PublicKey::parse(text) {
            Ok(key) if !keys.contains(&key) => keys.push(key),
            Ok(_) => {}
            Err(why) => problems.push(Diagnostic::new(
                origin,
                format!("trusted release key: {why}"),
            )),
        }
    }
    keys
}
