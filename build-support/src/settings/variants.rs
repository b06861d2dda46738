//! The precompressed variants a build makes, and at which levels.

use super::CONFIG;
use crate::Config;
use crate::compress::Compression;
use crate::error::Diagnostic;

/// The variants to make: none with `ASSETLOCK_PRECOMPRESS=0`; the configured levels in release
/// profiles or with `ASSETLOCK_PRECOMPRESS=1`; fast levels in debug profiles.
pub(super) fn resolve_precompress(
    config: &Config,
    flag: Option<bool>,
    release: bool,
    problems: &mut Vec<Diagnostic>,
) -> Vec<(Compression, u32)> {
    if flag == Some(false) {
        return Vec::new();
    }
    let full = flag == Some(true) || release;
    let mut chosen: Vec<(Compression, u32)> = config
        .precompress
        .iter()
        .map(|&c| {
            let level = config
                .levels
                .get(&c)
                .copied()
                .unwrap_or_else(|| c.max_level());
            if !c.levels().contains(&level) {
                problems.push(Diagnostic::new(
                    CONFIG,
                    format!(
                        "{} level must be within {:?}, found {level}",
                        c.token(),
                        c.levels()
                    ),
                ));
            }
            (c, if full { level } else { c.fast_level() })
        })
        .collect();
    chosen.sort();
    chosen.dedup_by_key(|(c, _)| *c);
    chosen
}
