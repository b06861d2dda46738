//! The upload: one LIST, create-only PUTs of what is missing, then the release record and the
//! deploy event, then a check that no prune running meanwhile deleted any of it.

use std::time::SystemTime;

use assetlock_contract::layout;
use assetlock_contract::signature::SigningKey;
use futures::StreamExt;

use super::error::Failure;
use super::listing::Listing;
use super::progress::Meter;
use super::put::{self, Outcome};
use super::report::{self, Record, Report};
use super::source::Object;
use super::{Destination, Error, Options, Source, catalog, clock, lease, probe, release};

/// What the LIST says must happen.
struct Plan {
    missing: Vec<Object>,
    present: usize,
    /// Keys that exist with another size: never overwritten, so the upload fails.
    conflicts: Vec<Failure>,
    record_present: bool,
}

fn plan(objects: Vec<Object>, listing: &Listing, record_key: &str) -> Plan {
    let mut plan = Plan {
        missing: Vec::new(),
        present: 0,
        conflicts: Vec::new(),
        record_present: listing.get(record_key).is_some(),
    };
    for object in objects {
        match listing.get(&object.key) {
            None => plan.missing.push(object),
            Some(listed) if listed.size == object.size => plan.present += 1,
            Some(listed) => plan.conflicts.push(Failure::new(
                &object.key,
                format!(
                    "exists with {} bytes instead of {}; left as it is (keys are never \
                     overwritten)",
                    listed.size, object.size
                ),
            )),
        }
    }
    plan
}

pub(crate) async fn upload(
    source: &Source,
    dest: &Destination,
    options: &Options,
    mut report: Report,
) -> Result<Report, Error> {
    let objects = source.objects(options.include_maps);
    let total = objects.len();
    let signer = options.signing_key.as_deref();
    let record_key = layout::release_key(source.build_id());
    let listing = Listing::fetch(dest).await?;
    let first = !listing.objects.keys().any(|k| layout::is_release_record(k));
    if first && !options.dry_run && !options.accept_overwrites {
        probe::create_only(dest).await?;
        report.create_only = true;
    }
    let plan = plan(objects, &listing, &record_key);
    report.skipped = plan.present;
    if options.dry_run {
        report.uploaded_bytes = plan.missing.iter().map(|o| o.size).sum();
        report.uploaded = plan.missing.into_iter().map(|o| o.key).collect();
        report.record = match plan.record_present {
            true => Record::AlreadyThere,
            false => Record::WouldWrite,
        };
        return match plan.conflicts.is_empty() {
            true => Ok(report),
            false => Err(Error::upload(plan.conflicts, total)),
        };
    }

    let mut failures = plan.conflicts;
    let meter = Meter::start(options.progress, plan.missing.len(), "uploading");
    let stored = put_all(dest, plan.missing, options.concurrency, &meter).await;
    meter.finish();
    report.uploaded_bytes += stored.bytes;
    report.uploaded = stored.created;
    report.skipped += stored.already_there;
    failures.extend(stored.failures);
    if !failures.is_empty() {
        failures.sort_by(|a, b| a.key.cmp(&b.key));
        return Err(Error::upload(failures, total));
    }

    report.record = match plan.record_present {
        true => Record::AlreadyThere,
        false => match put_record(source, dest, (&record_key, signer), total).await? {
            Outcome::Created => Record::Written,
            Outcome::AlreadyThere => Record::AlreadyThere,
        },
    };
    let settled = settle(source, dest, options, total).await?;
    report.repaired = settled.repaired;
    report
        .warnings
        .extend(clock::skew_warning(settled.stored_at));
    report.deploy_event = Some(settled.event);
    // A catalog saves servers reading every record; without one they still can.
    match catalog::publish(dest, &source.trusted_keys()?, signer).await {
        Ok(key) => report.catalog = Some(key),
        Err(why) => report.warnings.push(format!("no catalog written: {why}")),
    }
    report
        .warnings
        .extend(source.maps_left_out(options.include_maps));
    Ok(report)
}

/// What a batch of create-only PUTs did.
#[derive(Default)]
struct Stored {
    created: Vec<String>,
    bytes: u64,
    already_there: usize,
    failures: Vec<Failure>,
}

/// Stores `objects`, `concurrency` at a time; created keys come back sorted.
async fn put_all(
    dest: &Destination,
    objects: Vec<Object>,
    concurrency: usize,
    meter: &Meter,
) -> Stored {
    let mut stored = Stored::default();
    let mut results = futures::stream::iter(objects)
        .map(|object| async move {
            let outcome = put::put_object(dest, &object).await;
            (object, outcome)
        })
        .buffer_unordered(concurrency);
    while let Some((object, outcome)) = results.next().await {
        match outcome {
            Ok(Outcome::Created) => {
                meter.step(|| format!("uploaded {} ({})", object.key, report::bytes(object.size)));
                stored.bytes += object.size;
                stored.created.push(object.key);
            }
            Ok(Outcome::AlreadyThere) => {
                meter.step(|| format!("already there: {}", object.key));
                stored.already_there += 1;
            }
            Err(message) => {
                meter.step(|| format!("FAILED {}: {message}", object.key));
                stored.failures.push(Failure::new(object.key, message));
            }
        }
    }
    stored.created.sort();
    stored
}

/// Writes the build's release record, create-only.
async fn put_record(
    source: &Source,
    dest: &Destination,
    (key, signer): (&str, Option<&SigningKey>),
    total: usize,
) -> Result<Outcome, Error> {
    let failed = |message| Error::upload(vec![Failure::new(key, message)], total + 1);
    let text = release::render(source.manifest(), SystemTime::now(), signer).map_err(failed)?;
    put::put_record(dest, key, text).await.map_err(failed)
}

/// How an upload ended: its last deploy event, when the store wrote it, and what it stored
/// again.
struct Settled {
    event: String,
    stored_at: SystemTime,
    repaired: Vec<String>,
}

/// How many times an upload stores again what prunes deleted before it gives up.
const SETTLE_ROUNDS: usize = 5;

/// Writes the deploy event, waits for the prunes that may not have seen it (see
/// [`super::lease`]), lists the prefix again and stores whatever of the release they deleted
/// meanwhile, the record included. A release stored again is deployed again: a new deploy
/// event, and another round, until a round finds the release whole.
async fn settle(
    source: &Source,
    dest: &Destination,
    options: &Options,
    total: usize,
) -> Result<Settled, Error> {
    let record_key = layout::release_key(source.build_id());
    let signer = options.signing_key.as_deref();
    let mut repaired = Vec::new();
    for _ in 0..SETTLE_ROUNDS {
        let event = deploy_event(source, dest, signer, total).await?;
        let stored_at = lease::wait_for_prunes(dest, &event).await?;
        let listing = Listing::fetch(dest).await?;
        let missing: Vec<Object> = source
            .objects(options.include_maps)
            .into_iter()
            .filter(|object| listing.get(&object.key).is_none())
            .collect();
        let record_missing = listing.get(&record_key).is_none();
        if missing.is_empty() && !record_missing {
            return Ok(Settled {
                event,
                stored_at,
                repaired,
            });
        }
        let meter = Meter::start(options.progress, missing.len(), "storing again");
        let stored = put_all(dest, missing, options.concurrency, &meter).await;
        meter.finish();
        if !stored.failures.is_empty() {
            return Err(Error::upload(stored.failures, total));
        }
        repaired.extend(stored.created);
        if record_missing
            && put_record(source, dest, (&record_key, signer), total).await? == Outcome::Created
        {
            repaired.push(record_key.clone());
        }
    }
    Err(Error::upload(
        vec![Failure::new(
            record_key,
            format!(
                "prunes running at the same time deleted objects of this release {SETTLE_ROUNDS} \
                 times over; run the upload again"
            ),
        )],
        total,
    ))
}

/// Records that this build was deployed now, even when nothing was uploaded (a rollback to a
/// build already in the bucket): prune ranks releases by their latest deploy. Create-only,
/// under a new key each time.
async fn deploy_event(
    source: &Source,
    dest: &Destination,
    signer: Option<&SigningKey>,
    total: usize,
) -> Result<String, Error> {
    let now = SystemTime::now();
    let micros = now
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap_or_default()
        .as_micros() as u64;
    let key = layout::deploy_key(source.build_id(), micros);
    let text = release::render_deploy(source.build_id(), now, signer)
        .map_err(|message| Error::upload(vec![Failure::new(&key, message)], total + 1))?;
    match put::put_record(dest, &key, text).await {
        // Taken: the same build deployed in the same microsecond, which says the same.
        Ok(_) => Ok(key),
        Err(message) => Err(Error::upload(vec![Failure::new(key, message)], total + 1)),
    }
}
