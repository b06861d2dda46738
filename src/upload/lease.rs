//! Prune leases: how an upload and a prune that run at the same time leave every verified
//! release whole.
//!
//! A prune decides from one LIST what no kept release names, then deletes it. An upload that
//! ran meanwhile may have skipped an object because it was there, and written a record (or a
//! deploy event) naming it after the prune's LIST: the prune cannot see that record, and
//! deletes the object. The lease closes that gap:
//!
//! 1. A prune writes its lease (create-only) *before* its LIST, keeps it while it deletes, and
//!    deletes it when done. It stops deleting before the lease is [`LEASE_TTL`] old.
//! 2. An upload, once its record and deploy event are written, lists the leases and waits
//!    until each is gone (or older than [`LEASE_TTL`] by the store's clock: a prune that
//!    died), then lists the prefix once more and puts back whatever of its release is missing,
//!    create-only.
//!
//! Either a prune's LIST came after the deploy event was stored, and the prune saw the release
//! as the newest and kept it; or its lease was stored before the deploy event, so the upload
//! finds it, waits until the prune has finished deleting, and repairs what it deleted. LISTs
//! are strongly consistent on S3, GCS, Azure and local directories.

use std::time::{Duration, Instant, SystemTime};

use assetlock_contract::layout;
use object_store::ObjectStoreExt;
use sha2::{Digest, Sha256};

use super::listing::Listing;
use super::put::{self, Outcome};
use super::{Destination, Error};

/// How long a lease holds: a prune stops deleting a minute before, and an upload no longer
/// waits for a lease older than this (by the store's clock), left by a prune that died.
pub(crate) const LEASE_TTL: Duration = Duration::from_secs(15 * 60);

/// How long before the end of its lease a prune stops deleting.
const MARGIN: Duration = Duration::from_secs(60);

/// How often an upload lists the leases again while it waits.
const POLL: Duration = Duration::from_millis(250);

/// A lease a prune holds.
pub(crate) struct Lease {
    pub(crate) key: String,
    /// When the store confirmed it, on this machine's monotonic clock.
    stored: Instant,
}

impl Lease {
    /// Writes a new lease (create-only).
    pub(crate) async fn take(dest: &Destination, build_id: &str) -> Result<Lease, Error> {
        let micros = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .unwrap_or_default()
            .as_micros() as u64;
        let key = layout::lease_key(micros, &token(build_id));
        let body = format!("{{\"build_id\": \"{build_id}\"}}\n").into_bytes();
        match put::put_record(dest, &key, body).await {
            Ok(Outcome::Created) => Ok(Lease {
                key,
                stored: Instant::now(),
            }),
            Ok(Outcome::AlreadyThere) => Err(Error::prune(format!("lease {key} is taken"))),
            Err(message) => Err(Error::prune(format!("cannot take lease {key}: {message}"))),
        }
    }

    /// Whether the lease is too old to delete anything more under it.
    pub(crate) fn expiring(&self) -> bool {
        self.stored.elapsed() + MARGIN >= LEASE_TTL
    }

    /// The store's clock now, from the lease's modification time in `listing` (a LIST made
    /// after the lease was stored) and the time elapsed since.
    pub(crate) fn store_now(&self, listing: &Listing) -> Option<SystemTime> {
        let listed = listing.get(&self.key)?;
        Some(listed.last_modified + self.stored.elapsed())
    }

    /// Deletes the lease: uploads waiting for it go on.
    pub(crate) async fn release(self, dest: &Destination) -> Result<(), Error> {
        let path = dest.key(&self.key).map_err(Error::prune)?;
        match dest.store().delete(&path).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(Error::store(
                dest.service(),
                format!("deleting lease {}", self.key),
                &e,
            )),
        }
    }
}

/// A token no other object has: this process, `what` and this instant, hashed.
pub(crate) fn token(what: &str) -> String {
    let now = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap_or_default()
        .as_nanos();
    let seed = format!("{}-{what}-{now}-{:?}", std::process::id(), Instant::now());
    crate::dist::hex(&Sha256::digest(seed.as_bytes()))[..16].to_owned()
}

/// Waits until no prune that may have missed what this upload just wrote still holds a lease.
/// `key` is the last object the upload wrote (its deploy event): its modification time gives
/// the store's clock, by which a lease older than [`LEASE_TTL`] is left behind by a prune that
/// died and not waited for. Returns the store's time when `key` was written.
pub(crate) async fn wait_for_prunes(dest: &Destination, key: &str) -> Result<SystemTime, Error> {
    let path = dest.key(key).map_err(Error::usage)?;
    let written = dest
        .store()
        .head(&path)
        .await
        .map_err(|e| Error::store(dest.service(), format!("checking {key}"), &e))?;
    let (written, seen) = (SystemTime::from(written.last_modified), Instant::now());
    loop {
        let leases = Listing::fetch_under(dest, layout::PRUNES).await?;
        let store_now = written + seen.elapsed();
        let live = leases.objects.iter().any(|(key, listed)| {
            layout::is_lease(key) && listed.last_modified + LEASE_TTL > store_now
        });
        if !live {
            return Ok(written);
        }
        tokio::time::sleep(POLL).await;
    }
}
