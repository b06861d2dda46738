//! The XML API's bucket listing (`GET /bucket?list-type=2`): prefix, delimiter, start-after,
//! pages of `max-keys` with a continuation token, object names in byte order.

use std::collections::{BTreeMap, BTreeSet};

use super::objects::Object;

/// The query of a listing request.
#[derive(Default)]
pub struct Query {
    pub prefix: String,
    pub delimiter: Option<String>,
    pub after: Option<String>,
    pub max_keys: usize,
}

impl Query {
    pub fn parse(query: &str) -> Query {
        let mut parsed = Query {
            max_keys: 1000,
            ..Query::default()
        };
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            let value = decode(value);
            match name {
                "prefix" => parsed.prefix = value,
                "delimiter" if !value.is_empty() => parsed.delimiter = Some(value),
                // The token is the last name of the previous page.
                "continuation-token" | "start-after" => {
                    parsed.after = parsed.after.max(Some(value));
                }
                "max-keys" => parsed.max_keys = value.parse().unwrap_or(1000).clamp(1, 1000),
                _ => {}
            }
        }
        parsed
    }
}

/// One page of `objects` for `query`, as `ListBucketResult` XML.
pub fn page(bucket: &str, objects: &BTreeMap<String, Object>, query: &Query) -> String {
    let mut contents = String::new();
    let mut prefixes = BTreeSet::new();
    let mut count = 0;
    let mut last = None;
    let mut truncated = false;
    let names = objects
        .range::<str, _>((
            query
                .after
                .as_deref()
                .map_or(std::ops::Bound::Unbounded, std::ops::Bound::Excluded),
            std::ops::Bound::Unbounded,
        ))
        .filter(|(name, _)| name.starts_with(&query.prefix));
    for (name, object) in names {
        let rest = &name[query.prefix.len()..];
        let folder = query.delimiter.as_deref().and_then(|d| {
            rest.find(d)
                .map(|at| &name[..query.prefix.len() + at + d.len()])
        });
        if folder.is_some_and(|f| prefixes.contains(f)) {
            continue;
        }
        if count == query.max_keys {
            truncated = true;
            break;
        }
        count += 1;
        match folder {
            Some(folder) => {
                // The next page starts after every name in the folder.
                last = Some(format!("{folder}\u{10FFFF}"));
                prefixes.insert(folder.to_owned());
            }
            None => contents.push_str(&format!(
                "<Contents><Key>{}</Key><Generation>{}</Generation>\
                 <MetaGeneration>1</MetaGeneration><LastModified>{}</LastModified>\
                 <ETag>{}</ETag><Size>{}</Size></Contents>",
                escape(name),
                object.generation,
                humantime::format_rfc3339_millis(object.updated),
                escape(&object.etag),
                object.data.len()
            )),
        }
        if folder.is_none() {
            last = Some(name.clone());
        }
    }
    let common: String = prefixes
        .iter()
        .map(|p| {
            format!(
                "<CommonPrefixes><Prefix>{}</Prefix></CommonPrefixes>",
                escape(p)
            )
        })
        .collect();
    let next = match (truncated, last) {
        (true, Some(last)) => format!(
            "<NextContinuationToken>{}</NextContinuationToken>",
            escape(&last)
        ),
        _ => String::new(),
    };
    format!(
        "<?xml version='1.0' encoding='UTF-8'?>\
         <ListBucketResult xmlns='http://doc.s3.amazonaws.com/2006-03-01'><Name>{}</Name>\
         <Prefix>{}</Prefix><KeyCount>{count}</KeyCount><MaxKeys>{}</MaxKeys>\
         <IsTruncated>{truncated}</IsTruncated>{contents}{common}{next}</ListBucketResult>",
        escape(bucket),
        escape(&query.prefix),
        query.max_keys
    )
}

/// Text for XML content.
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('\'', "&apos;")
        .replace('"', "&quot;")
}

/// A percent-decoded query value (`+` is a space there).
fn decode(text: &str) -> String {
    decode_path(&text.replace('+', " "))
}

/// A percent-decoded path segment.
pub fn decode_path(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8_lossy()
        .into_owned()
}
