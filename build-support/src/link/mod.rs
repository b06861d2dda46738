//! Linking transformed files: generated source maps join the build, and every reference is
//! either resolved to an asset or reported as dangling.
//!
//! - this module: [`link`], which resolves the references and makes the graph.
//! - [`graph`]: hashing in dependency order.

pub(crate) mod graph;

use std::collections::{BTreeSet, HashMap};

use crate::error::Diagnostic;
use crate::reference::replace_all;
use crate::settings::Settings;
use crate::transform::{Entry, Transformed};

use graph::Node;

/// The graph to hash, the entries it was made from, problems, and warnings.
pub(crate) struct Linked {
    pub nodes: Vec<Node>,
    pub entries: Vec<Entry>,
    pub problems: Vec<Diagnostic>,
    pub warnings: Vec<Diagnostic>,
}

/// Adds each generated map as `<logical>.map` (replacing the input map of that name, which it
/// was chained through), then resolves references. A reference to no asset is an error at its
/// position, unless the referring file matches `allow_dangling` (kept as written) or
/// `warn_dangling` (kept, with a warning).
pub(crate) fn link(
    settings: &Settings,
    mut entries: Vec<Entry>,
    failed: &BTreeSet<&str>,
) -> Linked {
    let maps: Vec<Entry> = entries
        .iter_mut()
        .filter_map(|e| {
            let json = e.out.map.take()?;
            Some(Entry {
                logical: format!("{}.map", e.logical),
                display: format!("{}.map", e.display),
                out: Transformed {
                    bytes: json.into_bytes(),
                    ..Transformed::default()
                },
                stream: None,
                digest: None,
            })
        })
        .collect();
    for map in maps {
        match entries.binary_search_by(|e| e.logical.cmp(&map.logical)) {
            Ok(i) => entries[i] = map,
            Err(i) => entries.insert(i, map),
        }
    }
    let index: HashMap<String, usize> = entries
        .iter()
        .enumerate()
        .map(|(i, e)| (e.logical.clone(), i))
        .collect();
    let mut problems = Vec::new();
    let mut warnings = Vec::new();
    for entry in &mut entries {
        warnings.append(&mut entry.out.warnings);
        let (allow, warn) = (
            settings.allow_dangling.is_match(&entry.logical),
            settings.warn_dangling.is_match(&entry.logical),
        );
        for r in entry
            .out
            .refs
            .iter()
            .filter(|r| settings.public.is_match(&r.target))
        {
            problems.push(
                Diagnostic::new(
                    r.origin.as_deref().unwrap_or(&entry.display),
                    format!(
                        "`{}` refers to `{}`, a public file served at `/{}`: refer to it by \
                         that URL",
                        r.spec, r.target, r.target
                    ),
                )
                .at(r.line, r.column),
            );
        }
        for r in entry
            .out
            .refs
            .iter()
            .filter(|r| !index.contains_key(&r.target))
        {
            let diagnostic = Diagnostic::new(
                r.origin.as_deref().unwrap_or(&entry.display),
                format!(
                    "`{}` refers to `{}`, which is not an asset of this build",
                    r.spec, r.target
                ),
            )
            .at(r.line, r.column);
            // A source whose transform failed is reported once, by its own error.
            let reported = !allow && !failed.contains(r.target.as_str());
            if reported && warn {
                warnings.push(diagnostic);
            } else if reported {
                problems.push(diagnostic);
            }
            let bytes = replace_all(
                &entry.out.bytes,
                r.marker_url.as_bytes(),
                r.plain_url.as_bytes(),
            );
            entry.out.bytes = bytes;
        }
    }
    let nodes = entries
        .iter_mut()
        .map(|e| Node {
            logical: e.logical.clone(),
            bytes: std::mem::take(&mut e.out.bytes),
            deps: graph::deps(&e.out.refs, |t| index.get(t).copied()),
            digest: e.digest,
        })
        .collect();
    Linked {
        nodes,
        entries,
        problems,
        warnings,
    }
}
