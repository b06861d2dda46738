//! The AWS CLI's shared files: `~/.aws/config` (`[profile NAME]`, `[default]`,
//! `[sso-session NAME]`) and `~/.aws/credentials` (`[NAME]`), or the files
//! `AWS_CONFIG_FILE` and `AWS_SHARED_CREDENTIALS_FILE` name.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One section's settings.
pub(crate) type Section = BTreeMap<String, String>;

/// The sections of both files.
#[derive(Debug, Default)]
pub(crate) struct Files {
    /// `config` profiles, by name (`default` for `[default]`).
    profiles: BTreeMap<String, Section>,
    /// `config` SSO sessions, by name.
    sso_sessions: BTreeMap<String, Section>,
    /// `credentials` sections, by name.
    credentials: BTreeMap<String, Section>,
    /// Where the AWS CLI keeps its SSO token cache.
    pub(crate) sso_cache: PathBuf,
}

impl Files {
    /// Reads both files where the AWS CLI looks for them; a missing file has no sections.
    pub(crate) fn read() -> Files {
        let home = std::env::var_os("HOME")
            .or_else(|| std::env::var_os("USERPROFILE"))
            .map(PathBuf::from)
            .unwrap_or_default();
        let aws = home.join(".aws");
        let file = |var: &str, name: &str| {
            std::env::var_os(var).map_or_else(|| aws.join(name), PathBuf::from)
        };
        Files::from_texts(
            &read_text(&file("AWS_CONFIG_FILE", "config")),
            &read_text(&file("AWS_SHARED_CREDENTIALS_FILE", "credentials")),
            aws.join("sso").join("cache"),
        )
    }

    /// The sections of a config file's and a credentials file's texts.
    pub(crate) fn from_texts(config: &str, credentials: &str, sso_cache: PathBuf) -> Files {
        let mut files = Files {
            sso_cache,
            ..Files::default()
        };
        for (header, section) in sections(config) {
            if header == "default" {
                files.profiles.insert(header, section);
            } else if let Some(name) = header.strip_prefix("profile ") {
                files.profiles.insert(name.trim().to_owned(), section);
            } else if let Some(name) = header.strip_prefix("sso-session ") {
                files.sso_sessions.insert(name.trim().to_owned(), section);
            }
        }
        files.credentials = sections(credentials).collect();
        files
    }

    /// Whether either file names the profile.
    pub(crate) fn has(&self, profile: &str) -> bool {
        self.profiles.contains_key(profile) || self.credentials.contains_key(profile)
    }

    /// A setting of a profile: from the credentials file first, as the AWS CLI reads it, then
    /// from the config file.
    pub(crate) fn get(&self, profile: &str, key: &str) -> Option<&str> {
        let credentials = self.credentials.get(profile).and_then(|s| s.get(key));
        let config = || self.profiles.get(profile).and_then(|s| s.get(key));
        credentials.or_else(config).map(String::as_str)
    }

    /// A setting of an SSO session.
    pub(crate) fn sso_session(&self, name: &str, key: &str) -> Option<&str> {
        let section = self.sso_sessions.get(name)?;
        section.get(key).map(String::as_str)
    }
}

fn read_text(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_default()
}

/// The `[header]` sections of an INI text and their `key = value` settings (keys in lower
/// case; `#` and `;` lines are comments; indented lines continue a nested block and are
/// skipped, as the AWS CLI's sub-settings are not used here).
fn sections(text: &str) -> impl Iterator<Item = (String, Section)> {
    let mut out: Vec<(String, Section)> = Vec::new();
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with(';') {
            continue;
        }
        if let Some(header) = trimmed.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
            out.push((header.trim().to_owned(), Section::new()));
        } else if !line.starts_with([' ', '\t'])
            && let Some((key, value)) = trimmed.split_once('=')
            && let Some((_, section)) = out.last_mut()
        {
            section.insert(key.trim().to_ascii_lowercase(), value.trim().to_owned());
        }
    }
    out.into_iter()
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONFIG: &str = "\
[default]
region = eu-west-1

# A role
[profile deploy]
role_arn = arn:aws:iam::123456789012:role/deploy
source_profile = base
s3 =
  addressing_style = path

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = eu-central-1
";

    const CREDENTIALS: &str = "\
[base]
aws_access_key_id = AKIDBASE
aws_secret_access_key = secret
[default]
region = us-east-2
";

    #[test]
    fn profiles_sessions_and_credentials_are_read_as_the_aws_cli_reads_them() {
        let files = Files::from_texts(CONFIG, CREDENTIALS, PathBuf::new());
        assert!(files.has("deploy") && files.has("base") && !files.has("corp"));
        assert_eq!(files.get("deploy", "source_profile"), Some("base"));
        assert_eq!(files.get("base", "aws_access_key_id"), Some("AKIDBASE"));
        assert_eq!(
            files.get("default", "region"),
            Some("us-east-2"),
            "credentials first"
        );
        assert_eq!(
            files.get("deploy", "addressing_style"),
            None,
            "nested settings skipped"
        );
        assert_eq!(
            files.sso_session("corp", "sso_region"),
            Some("eu-central-1")
        );
    }
}
