//! `--verify`: the deploy gate. Every object of the build is present with the right size and
//! headers, and the release record says the upload finished.

use assetlock_contract::layout;
use futures::StreamExt;
use object_store::{Attributes, GetOptions, ObjectStoreExt};
use sha2::{Digest, Sha256};

use super::cors;
use super::dest::Service;
use super::error::{Failure, describe, refused};
use super::headers;
use super::listing::Listing;
use super::progress::Meter;
use super::report::Report;
use super::source::Object;
use super::{Destination, Error, Options, Source, probe, signing};

/// Why an object does not pass.
enum Miss {
    /// Missing or wrong, described for the user.
    Problem(String),
    /// The store refused the credentials: no point checking further objects.
    Refused(object_store::Error),
}

/// One LIST for presence and sizes (and for errors about the bucket itself), then a HEAD per
/// object for its headers when the store keeps them.
pub(crate) async fn verify(
    source: &Source,
    dest: &Destination,
    options: &Options,
    mut report: Report,
) -> Result<Report, Error> {
    let objects = source.objects(options.include_maps);
    let total = objects.len() + 1;
    let listing = Listing::fetch(dest).await?;
    if !options.accept_overwrites {
        probe::create_only(dest).await?;
        report.create_only = true;
    }
    let mut problems = Vec::new();
    if objects.is_empty() {
        problems.push(Failure::new(
            source.build_id(),
            "this build has no assets: an empty release is never a deployable one",
        ));
    }
    let record = layout::release_key(source.build_id());
    let trusted = source.trusted_keys()?;
    if listing.get(&record).is_none() {
        problems.push(Failure::new(
            record,
            "missing: the upload of this build did not finish",
        ));
    } else if !trusted.is_empty() {
        let text = get(dest, &record).await?;
        if let Err(why) = signing::trusted_record(&text, &trusted) {
            let message = format!("{why}: servers built to trust deploy keys ignore it");
            problems.push(Failure::new(record, message));
        }
    }

    let meter = Meter::start(options.progress, objects.len(), "verifying");
    let listing = &listing;
    let mut checks = futures::stream::iter(objects)
        .map(|object| async move {
            let check = check_object(dest, listing, &object, options.deep).await;
            (object.key, check)
        })
        .buffer_unordered(options.concurrency);
    while let Some((key, check)) = checks.next().await {
        match check {
            Ok(()) => meter.step(|| format!("ok {key}")),
            Err(Miss::Problem(message)) => {
                meter.step(|| format!("WRONG {key}: {message}"));
                problems.push(Failure::new(key, message));
            }
            Err(Miss::Refused(error)) => {
                meter.finish();
                return Err(Error::store(
                    dest.service(),
                    format!("checking {dest}"),
                    &error,
                ));
            }
        }
    }
    meter.finish();

    if !problems.is_empty() {
        problems.sort_by(|a, b| a.key.cmp(&b.key));
        return Err(Error::verify(problems, total));
    }
    report.verified = total - 1;
    report.deep = options.deep;
    report
        .warnings
        .extend(source.maps_left_out(options.include_maps));
    report.warnings.extend(cors::warning(source, dest).await);
    Ok(report)
}

async fn check_object(
    dest: &Destination,
    listing: &Listing,
    object: &Object,
    deep: bool,
) -> Result<(), Miss> {
    let Some(listed) = listing.get(&object.key) else {
        return Err(Miss::Problem("missing".into()));
    };
    let mut wrong = Vec::new();
    let size = match dest.keeps_headers() {
        true => {
            let (size, attributes) = head(dest, &object.key).await?;
            wrong.extend(wrong_headers(object, &attributes, dest.service()));
            size
        }
        false => listed.size,
    };
    if size != object.size {
        wrong.insert(0, format!("{size} bytes, expected {}", object.size));
    }
    if deep && wrong.is_empty() {
        let sha256 = content_sha256(dest, &object.key).await?;
        if sha256 != object.sha256 {
            wrong.push(format!(
                "content SHA-256 is {sha256}, expected {}",
                object.sha256
            ));
        }
    }
    match wrong.is_empty() {
        true => Ok(()),
        false => Err(Miss::Problem(wrong.join("; "))),
    }
}

/// The bytes of a small object (the release record).
async fn get(dest: &Destination, key: &str) -> Result<bytes::Bytes, Error> {
    let path = dest.key(key).map_err(Error::usage)?;
    let what = || format!("reading {key}");
    let result = dest.store().get(&path).await;
    let result = result.map_err(|e| Error::store(dest.service(), what(), &e))?;
    result
        .bytes()
        .await
        .map_err(|e| Error::store(dest.service(), what(), &e))
}

/// The SHA-256 of an object's bytes, hashed as they stream in.
async fn content_sha256(dest: &Destination, key: &str) -> Result<String, Miss> {
    let path = dest.key(key).map_err(Miss::Problem)?;
    let failed = |error: object_store::Error| match error {
        object_store::Error::NotFound { .. } => Miss::Problem("missing".into()),
        error if refused(&error) => Miss::Refused(error),
        error => Miss::Problem(format!("cannot download: {}", describe(&error))),
    };
    let mut stream = dest.store().get(&path).await.map_err(failed)?.into_stream();
    let mut hasher = Sha256::new();
    while let Some(chunk) = stream.next().await {
        hasher.update(chunk.map_err(failed)?);
    }
    Ok(crate::dist::hex(&hasher.finalize()))
}

fn wrong_headers(object: &Object, attributes: &Attributes, service: Service) -> Vec<String> {
    let mut wrong = Vec::new();
    for (attribute, expected) in headers::expected(object, service) {
        let found = attributes.get(&attribute).map(|v| v.as_ref());
        if found != expected {
            wrong.push(format!(
                "{} is {}, expected {}",
                headers::name(&attribute),
                quoted(found),
                quoted(expected)
            ));
        }
    }
    wrong
}

/// The size and headers of an object, from a HEAD request.
async fn head(dest: &Destination, key: &str) -> Result<(u64, Attributes), Miss> {
    let path = dest.key(key).map_err(Miss::Problem)?;
    let options = GetOptions {
        head: true,
        ..GetOptions::default()
    };
    match dest.store().get_opts(&path, options).await {
        Ok(result) => Ok((result.meta.size, result.attributes)),
        Err(object_store::Error::NotFound { .. }) => Err(Miss::Problem("missing".into())),
        Err(error) if refused(&error) => Err(Miss::Refused(error)),
        Err(error) => Err(Miss::Problem(format!("cannot check: {}", describe(&error)))),
    }
}

fn quoted(value: Option<&str>) -> String {
    value.map_or_else(|| "absent".to_owned(), |v| format!("`{v}`"))
}
