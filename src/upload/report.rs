//! What a successful run did, for the final summary.

use std::fmt;
use std::time::Duration;

use super::Action;

/// The outcome of a successful [`run`](super::run); `Display` is the summary the CLI prints.
#[derive(Clone, Debug)]
pub struct Report {
    pub(crate) action: Action,
    pub(crate) dest: String,
    pub(crate) build_id: String,
    pub(crate) dry_run: bool,
    pub(crate) elapsed: Duration,
    /// Keys stored by this run (or, in a dry run, that would be).
    pub(crate) uploaded: Vec<String>,
    pub(crate) uploaded_bytes: u64,
    /// Objects already present (including those a racing uploader stored first).
    pub(crate) skipped: usize,
    pub(crate) record: Record,
    /// Objects checked by `--verify`.
    pub(crate) verified: usize,
    /// Keys deleted by `--prune` (or, in a dry run, that would be).
    pub(crate) deleted: Vec<String>,
    pub(crate) deleted_bytes: u64,
    /// Unreferenced objects kept because they are newer than the grace period.
    pub(crate) in_grace: usize,
    /// Keys under the prefix a prune left alone because assetlock did not write them.
    pub(crate) left_alone: usize,
    /// Keys an upload stored again after a concurrent prune deleted them.
    pub(crate) repaired: Vec<String>,
    /// Build ids whose objects a prune kept: the newest releases and this build.
    pub(crate) kept_builds: Vec<String>,
    /// Whether a verify downloaded and hashed every object.
    pub(crate) deep: bool,
    /// The deploy event an upload recorded.
    pub(crate) deploy_event: Option<String>,
    /// The catalog an upload wrote.
    pub(crate) catalog: Option<String>,
    /// The store was checked to refuse a second create-only PUT.
    pub(crate) create_only: bool,
    /// Things that do not fail the run but that the user should fix.
    pub(crate) warnings: Vec<String>,
}

/// What happened to the release record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Record {
    NotApplicable,
    Written,
    AlreadyThere,
    WouldWrite,
}

impl Report {
    pub(crate) fn new(action: Action, dest: String, build_id: String, dry_run: bool) -> Report {
        Report {
            action,
            dest,
            build_id,
            dry_run,
            elapsed: Duration::ZERO,
            uploaded: Vec::new(),
            uploaded_bytes: 0,
            skipped: 0,
            record: Record::NotApplicable,
            verified: 0,
            deleted: Vec::new(),
            deleted_bytes: 0,
            in_grace: 0,
            left_alone: 0,
            repaired: Vec::new(),
            kept_builds: Vec::new(),
            deep: false,
            deploy_event: None,
            catalog: None,
            create_only: false,
            warnings: Vec::new(),
        }
    }

    /// The keys (relative to the prefix) this run uploaded, sorted; in a dry run, the keys it
    /// would upload.
    pub fn uploaded(&self) -> &[String] {
        &self.uploaded
    }

    /// The bytes behind [`Report::uploaded`].
    pub fn uploaded_bytes(&self) -> u64 {
        self.uploaded_bytes
    }

    /// Objects of the build that were already stored and left alone.
    pub fn skipped(&self) -> usize {
        self.skipped
    }

    /// Whether this run wrote the build's release record.
    pub fn release_record_written(&self) -> bool {
        self.record == Record::Written
    }

    /// Objects `--verify` found present and right.
    pub fn verified(&self) -> usize {
        self.verified
    }

    /// The keys a prune deleted, sorted; in a dry run, the keys it would delete.
    pub fn deleted(&self) -> &[String] {
        &self.deleted
    }

    /// Unreferenced objects a prune kept because they are newer than the grace period.
    pub fn kept_in_grace(&self) -> usize {
        self.in_grace
    }

    /// Keys under the prefix that a prune left alone because assetlock did not write them
    /// (and keys reached through a symbolic link in a local directory).
    pub fn left_alone(&self) -> usize {
        self.left_alone
    }

    /// Keys of this build that an upload stored again after writing its release record,
    /// because a prune running at the same time had deleted them.
    pub fn repaired(&self) -> &[String] {
        &self.repaired
    }

    /// The builds whose objects a prune kept: the newest releases, those released within the
    /// grace period, and this build.
    pub fn kept_builds(&self) -> &[String] {
        &self.kept_builds
    }

    /// The catalog an upload wrote (`.assetlock/catalogs/...`): every release record it found,
    /// in one object that servers read instead of each record.
    pub fn catalog(&self) -> Option<&str> {
        self.catalog.as_deref()
    }

    /// Whether the run checked that the store refuses a second create-only PUT of one key
    /// (`--verify`, and the first upload to a destination).
    pub fn checked_create_only(&self) -> bool {
        self.create_only
    }

    /// Whether nothing was written or deleted.
    pub fn is_dry_run(&self) -> bool {
        self.dry_run
    }

    /// Problems that did not fail the run, one line each (also printed after the summary).
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    fn fmt_upload(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (n, size) = (self.uploaded.len(), bytes(self.uploaded_bytes));
        let record = format!(".assetlock/releases/{}.json", self.build_id);
        if self.dry_run {
            for key in &self.uploaded {
                writeln!(f, "would upload {key}")?;
            }
            write!(
                f,
                "dry run: would upload {n} objects ({size}) to {}, {} already present",
                self.dest, self.skipped
            )?;
            return match self.record {
                Record::WouldWrite => write!(f, "; then the release record {record}"),
                _ => write!(f, "; release record {record} already present"),
            };
        }
        write!(
            f,
            "uploaded {n} objects ({size}) to {}, skipped {} already present, in {:.2?}",
            self.dest, self.skipped, self.elapsed
        )?;
        match self.record {
            Record::Written => write!(f, "; wrote release record {record}"),
            _ => write!(f, "; release record {record} already present"),
        }?;
        if let Some(event) = &self.deploy_event {
            write!(f, "; deploy recorded as {event}")?;
        }
        if let Some(catalog) = &self.catalog {
            write!(f, "; records catalogued in {catalog}")?;
        }
        match self.repaired.len() {
            0 => Ok(()),
            n => write!(
                f,
                "; stored {n} objects again that a prune running meanwhile had deleted"
            ),
        }
    }

    fn fmt_prune(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (n, size) = (self.deleted.len(), bytes(self.deleted_bytes));
        let verb = if self.dry_run {
            "would delete"
        } else {
            "deleted"
        };
        if self.dry_run {
            for key in &self.deleted {
                writeln!(f, "would delete {key}")?;
            }
            f.write_str("dry run: ")?;
        }
        write!(
            f,
            "{verb} {n} objects ({size}) from {}; kept the objects of builds {}, and {} \
             unreferenced objects newer than the grace period; left alone {} keys assetlock \
             did not write; in {:.2?}",
            self.dest,
            self.kept_builds.join(", "),
            self.in_grace,
            self.left_alone,
            self.elapsed
        )
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.fmt_summary(f)?;
        for warning in &self.warnings {
            write!(f, "\nwarning: {warning}")?;
        }
        Ok(())
    }
}

impl Report {
    fn fmt_summary(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.action {
            Action::Upload => self.fmt_upload(f),
            Action::Verify => write!(
                f,
                "verified {} objects of build {} at {}: all present with the right size and \
                 headers{}{}, in {:.2?}",
                self.verified,
                self.build_id,
                self.dest,
                if self.deep { " and content" } else { "" },
                match self.create_only {
                    true => "; the store refuses to overwrite",
                    false => "",
                },
                self.elapsed
            ),
            Action::Prune { .. } => self.fmt_prune(f),
            Action::Pull { .. } => write!(
                f,
                "pulled {} files ({}) of builds {} from {}, {} already there, in {:.2?}",
                self.uploaded.len(),
                bytes(self.uploaded_bytes),
                self.kept_builds.join(", "),
                self.dest,
                self.skipped,
                self.elapsed
            ),
        }
    }
}

/// `1.5 MiB`-style sizes.
pub(crate) fn bytes(n: u64) -> String {
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    if n < 1024 {
        return format!("{n} B");
    }
    let mut value = n as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_use_binary_units() {
        assert_eq!(bytes(512), "512 B");
        assert_eq!(bytes(1536), "1.5 KiB");
        assert_eq!(bytes(3 * 1024 * 1024), "3.0 MiB");
    }
}
