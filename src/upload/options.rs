//! What a run does: upload, verify or prune, and how.

use std::sync::Arc;
use std::time::Duration;

use assetlock_contract::signature::SigningKey;

/// What [`run`](super::run) does and how; built by value.
///
/// ```
/// use std::time::Duration;
/// use assetlock::upload::{Options, Progress};
///
/// let upload = Options::upload().concurrency(32);
/// let private_maps = Options::upload().include_maps(false);
/// let gate = Options::verify().deep(true);
/// let plan = Options::prune(3, Duration::from_secs(24 * 3600)).dry_run(true);
/// # let _ = (upload, gate, plan.progress(Progress::Hidden));
/// ```
#[derive(Clone, Debug)]
pub struct Options {
    pub(crate) action: Action,
    pub(crate) dry_run: bool,
    pub(crate) concurrency: usize,
    pub(crate) include_maps: bool,
    pub(crate) deep: bool,
    pub(crate) force: bool,
    pub(crate) accept_overwrites: bool,
    pub(crate) progress: Progress,
    pub(crate) signing_key: Option<Arc<SigningKey>>,
    pub(crate) pull_dir: Option<std::path::PathBuf>,
}

/// The things `upload-assets` does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// Uploads the objects missing at the destination, then the release record.
    Upload,
    /// Checks that every object of the build is present with the right size and headers.
    Verify,
    /// Deletes objects no recent release uses.
    Prune {
        /// How many of the newest release records keep their objects.
        keep: usize,
        /// Objects modified more recently than this are kept.
        grace: Duration,
    },
    /// Copies what a delta build needs into a local directory ([`Options::pull_releases`]).
    Pull {
        /// How many of the newest releases.
        keep: usize,
    },
}

/// How progress is shown while objects are uploaded, checked or deleted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Progress {
    /// A progress bar when stderr is a terminal, one line per object otherwise.
    #[default]
    Auto,
    /// One line per object on stderr.
    Lines,
    /// Nothing.
    Hidden,
}

/// The default number of requests in flight.
pub const DEFAULT_CONCURRENCY: usize = 16;

impl Options {
    fn new(action: Action) -> Options {
        Options {
            action,
            dry_run: false,
            concurrency: DEFAULT_CONCURRENCY,
            include_maps: true,
            deep: false,
            force: false,
            accept_overwrites: false,
            progress: Progress::Auto,
            signing_key: None,
            pull_dir: None,
        }
    }

    /// Upload this build (the default of `upload-assets`).
    pub fn upload() -> Options {
        Options::new(Action::Upload)
    }

    /// Verify this build at the destination (`--verify`).
    pub fn verify() -> Options {
        Options::new(Action::Verify)
    }

    /// Prune old builds (`--prune --keep N --grace DURATION`).
    pub fn prune(keep: usize, grace: Duration) -> Options {
        Options::new(Action::Prune { keep, grace })
    }

    /// Copy the newest `keep` releases' records and text assets into `dir`
    /// (`--pull-releases DIR --keep N`), each checked against its SHA-256, for a build's
    /// `ASSETLOCK_PREVIOUS_RELEASES` to make deltas against. A re-run fetches only what is
    /// missing; with trusted keys, only signed releases are pulled.
    pub fn pull_releases(dir: impl Into<std::path::PathBuf>, keep: usize) -> Options {
        let mut options = Options::new(Action::Pull { keep });
        options.pull_dir = Some(dir.into());
        options
    }

    /// Plan without writing or deleting anything (`--dry-run`).
    pub fn dry_run(mut self, dry_run: bool) -> Options {
        self.dry_run = dry_run;
        self
    }

    /// Requests in flight at once (`--concurrency`, default 16; 0 counts as 1).
    pub fn concurrency(mut self, concurrency: usize) -> Options {
        self.concurrency = concurrency.max(1);
        self
    }

    /// Whether to upload and verify source maps, the assets whose logical path ends in `.map`
    /// (default `true`, `--no-maps` turns it off). Maps are published where the assets'
    /// `sourceMappingURL` comments point, as `serve` serves them; to keep maps private, build
    /// with `Config::source_maps(false)`, which drops both the maps and the comments. Leaving
    /// them out here instead adds a warning to the report: the comments then point at 404s.
    pub fn include_maps(mut self, include_maps: bool) -> Options {
        self.include_maps = include_maps;
        self
    }

    /// With [`Options::verify`]: also download every object and check its SHA-256
    /// (`--verify --deep`), so that a corrupted object of the right size fails the gate too.
    pub fn deep(mut self, deep: bool) -> Options {
        self.deep = deep;
        self
    }

    /// With [`Options::prune`]: prune a destination without a key prefix (`--force`), where
    /// every object of the bucket is assetlock's to decide over. Refused by default: prune
    /// deletes only keys with the shape of assetlock's names, but a bucket's root is too often
    /// shared to risk it.
    pub fn force(mut self, force: bool) -> Options {
        self.force = force;
        self
    }

    /// With [`Options::upload`]: the deploy key that signs the release record and the deploy
    /// event (`--signing-key FILE`, `ASSETLOCK_SIGNING_KEY`). A build that trusts deploy keys
    /// (`Config::trusted_release_keys`) must be uploaded with one of them.
    pub fn signing_key(mut self, key: SigningKey) -> Options {
        self.signing_key = Some(Arc::new(key));
        self
    }

    /// Skip the create-only probe (`--accept-overwrites`): [`Options::verify`] and the first
    /// upload to a destination write a scratch key twice and fail unless the store refuses the
    /// second write, since a store that ignores `If-None-Match` could let an upload replace
    /// objects that servers and pages depend on. With `true`, that risk is taken.
    pub fn accept_overwrites(mut self, accept: bool) -> Options {
        self.accept_overwrites = accept;
        self
    }

    /// How to show progress (default [`Progress::Auto`]).
    pub fn progress(mut self, progress: Progress) -> Options {
        self.progress = progress;
        self
    }

    /// What the run does.
    pub fn action(&self) -> Action {
        self.action
    }
}

impl Default for Options {
    /// [`Options::upload`].
    fn default() -> Options {
        Options::upload()
    }
}
