//! The fingerprint record on disk: one line per fact, tab-separated, the path last.
//!
//! A plain line format rather than JSON: a build script's dependencies are compiled without
//! optimisation in dev profiles, and this file is read on every rerun.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use crate::error::StoredDiagnostic;

/// The first line: the format of the lines after it.
const HEADER: &str = "assetlock fingerprint 1";

/// A file's metadata: size, modification time (ns since the epoch) and inode (0 where the
/// platform has none).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Stamp {
    size: u64,
    pub modified: u128,
    inode: u64,
}

impl Stamp {
    /// The stamp of the file at `path` (following symlinks); `None` when it cannot be read.
    pub(crate) fn of(path: &Path) -> Option<Stamp> {
        let meta = std::fs::metadata(path).ok()?;
        let modified = meta.modified().ok()?.duration_since(UNIX_EPOCH).ok()?;
        #[cfg(unix)]
        let inode = std::os::unix::fs::MetadataExt::ino(&meta);
        #[cfg(not(unix))]
        let inode = 0;
        Some(Stamp {
            size: meta.len(),
            modified: modified.as_nanos(),
            inode,
        })
    }

    /// The file's size in bytes.
    pub(crate) fn size(&self) -> u64 {
        self.size
    }

    fn render(&self) -> String {
        format!("{}\t{}\t{}", self.size, self.modified, self.inode)
    }

    fn parse<'a>(fields: &mut impl Iterator<Item = &'a str>) -> Option<Stamp> {
        Some(Stamp {
            size: fields.next()?.parse().ok()?,
            modified: fields.next()?.parse().ok()?,
            inode: fields.next()?.parse().ok()?,
        })
    }
}

/// One input file: its stamp and the digest of the bytes the build read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Input {
    pub path: PathBuf,
    pub stamp: Stamp,
    pub digest: String,
}

/// What a successful build read and wrote, and what it reported.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Record {
    pub identity: String,
    /// When the build stamped its inputs, in ns since the epoch.
    pub stamped_at: u128,
    /// In the order the build stamped them.
    pub inputs: Vec<Input>,
    /// By path relative to the out dir.
    pub outputs: BTreeMap<String, Stamp>,
    pub build_id: String,
    /// `(logical path, URL)`, sorted by logical path.
    pub urls: Vec<(String, String)>,
    pub warnings: Vec<StoredDiagnostic>,
}

impl Record {
    pub(crate) fn render(&self) -> String {
        let mut out = format!(
            "{HEADER}\nidentity\t{}\nstamped\t{}\nbuild\t{}\n",
            self.identity, self.stamped_at, self.build_id
        );
        for input in &self.inputs {
            out += &format!(
                "in\t{}\t{}\t{}\n",
                input.stamp.render(),
                input.digest,
                input.path.display()
            );
        }
        for (path, stamp) in &self.outputs {
            out += &format!("out\t{}\t{path}\n", stamp.render());
        }
        for (logical, url) in &self.urls {
            out += &format!("url\t{url}\t{logical}\n");
        }
        for warning in &self.warnings {
            let json = serde_json::to_string(warning).unwrap_or_default();
            out += &format!("warning\t{json}\n");
        }
        out
    }

    /// The record in `text`; `None` for anything it does not recognise.
    pub(crate) fn parse(text: &str) -> Option<Record> {
        let mut lines = text.lines();
        if lines.next()? != HEADER {
            return None;
        }
        let mut record = Record {
            identity: lines.next()?.strip_prefix("identity\t")?.to_owned(),
            stamped_at: lines.next()?.strip_prefix("stamped\t")?.parse().ok()?,
            build_id: lines.next()?.strip_prefix("build\t")?.to_owned(),
            inputs: Vec::new(),
            outputs: BTreeMap::new(),
            urls: Vec::new(),
            warnings: Vec::new(),
        };
        for line in lines {
            let (kind, rest) = line.split_once('\t')?;
            match kind {
                "in" => {
                    let mut fields = rest.splitn(5, '\t');
                    let stamp = Stamp::parse(&mut fields)?;
                    let digest = fields.next()?.to_owned();
                    let path = PathBuf::from(fields.next()?);
                    record.inputs.push(Input {
                        path,
                        stamp,
                        digest,
                    });
                }
                "out" => {
                    let mut fields = rest.splitn(4, '\t');
                    let stamp = Stamp::parse(&mut fields)?;
                    record.outputs.insert(fields.next()?.to_owned(), stamp);
                }
                "url" => {
                    let (url, logical) = rest.split_once('\t')?;
                    record.urls.push((logical.to_owned(), url.to_owned()));
                }
                "warning" => record.warnings.push(serde_json::from_str(rest).ok()?),
                _ => return None,
            }
        }
        Some(record)
    }
}
