//! The `DEST` argument: which store, and the key prefix in it.

use object_store::path::Path;

/// A parsed `DEST` argument, before any store is built.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Target {
    S3 { bucket: String, prefix: Path },
    Azure { container: String, prefix: Path },
    Gcs { bucket: String, prefix: Path },
    File { prefix: Path },
}

impl Target {
    /// Parses `s3://bucket/prefix`, `az://container/prefix` (or `azure://`),
    /// `gs://bucket/prefix` or `file:///dir`.
    pub(crate) fn parse(url: &str) -> Result<Target, String> {
        if let Some(rest) = url.strip_prefix("s3://") {
            let (bucket, prefix) = bucket_and_prefix(url, rest, "s3://bucket/prefix")?;
            Ok(Target::S3 { bucket, prefix })
        } else if let Some(rest) = url.strip_prefix("az://").or(url.strip_prefix("azure://")) {
            let (container, prefix) = bucket_and_prefix(url, rest, "az://container/prefix")?;
            Ok(Target::Azure { container, prefix })
        } else if let Some(rest) = url.strip_prefix("gs://") {
            let (bucket, prefix) = bucket_and_prefix(url, rest, "gs://bucket/prefix")?;
            Ok(Target::Gcs { bucket, prefix })
        } else if let Some(rest) = url.strip_prefix("file://") {
            if !rest.starts_with('/') {
                return Err(format!(
                    "`{url}` is not a local directory URL: use file:///absolute/dir"
                ));
            }
            let prefix = Path::from_url_path(rest).map_err(|e| format!("`{url}`: {e}"))?;
            Ok(Target::File { prefix })
        } else {
            Err(format!(
                "unsupported destination `{url}`: use s3://bucket/prefix, az://container/prefix, \
                 gs://bucket/prefix or file:///dir"
            ))
        }
    }
}

/// The bucket (or container) and the prefix after a scheme.
fn bucket_and_prefix(url: &str, rest: &str, form: &str) -> Result<(String, Path), String> {
    let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
    if bucket.is_empty() {
        return Err(format!("`{url}` has no bucket: use {form}"));
    }
    let prefix = Path::parse(prefix).map_err(|e| format!("`{url}`: {e}"))?;
    Ok((bucket.to_owned(), prefix))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn s3_url_gives_bucket_and_prefix() {
        let target = Target::parse("s3://bucket/a/b/").unwrap();
        assert_eq!(
            target,
            Target::S3 {
                bucket: "bucket".into(),
                prefix: Path::from("a/b")
            }
        );
    }

    #[test]
    fn s3_url_without_prefix_uses_the_bucket_root() {
        let Target::S3 { prefix, .. } = Target::parse("s3://bucket").unwrap() else {
            panic!("not s3");
        };
        assert_eq!(prefix.as_ref(), "");
    }

    #[test]
    fn azure_url_gives_container_and_prefix() {
        for url in ["az://site/a/b", "azure://site/a/b"] {
            let target = Target::parse(url).unwrap();
            let expected = Target::Azure {
                container: "site".into(),
                prefix: Path::from("a/b"),
            };
            assert_eq!(target, expected, "{url}");
        }
        assert!(Target::parse("az:///x").unwrap_err().contains("no bucket"));
    }

    #[test]
    fn gcs_url_gives_bucket_and_prefix() {
        let target = Target::parse("gs://site-assets/a/b/").unwrap();
        let expected = Target::Gcs {
            bucket: "site-assets".into(),
            prefix: Path::from("a/b"),
        };
        assert_eq!(target, expected);
        assert!(
            Target::parse("gs:///x")
                .unwrap_err()
                .contains("gs://bucket/prefix")
        );
    }

    #[test]
    fn file_url_is_percent_decoded() {
        let target = Target::parse("file:///srv/my%20assets").unwrap();
        assert_eq!(
            target,
            Target::File {
                prefix: Path::from("srv/my assets")
            }
        );
    }

    #[test]
    fn unknown_scheme_and_empty_bucket_are_refused() {
        assert!(
            Target::parse("ftp://x/y")
                .unwrap_err()
                .contains("unsupported")
        );
        assert!(Target::parse("s3:///x").unwrap_err().contains("no bucket"));
        assert!(
            Target::parse("file://host/x")
                .unwrap_err()
                .contains("file:///")
        );
        assert!(Target::parse("s3://b/a//c").is_err());
    }
}
