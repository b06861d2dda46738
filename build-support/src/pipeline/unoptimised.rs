//! The hint a release build shows when assetlock-build itself was compiled without
//! optimisation.

use std::sync::atomic::Ordering;

use crate::cache::stages::Stages;
use crate::error::Diagnostic;
use crate::settings::Settings;

/// Input bytes of heavy work below which the unoptimised-build hint is not worth showing.
const HEAVY_BYTES: usize = 1 << 20;

/// In a release build whose build script links this crate unoptimised (cargo's default for
/// build dependencies), a hint with the exact lines to add, shown only when the build did heavy
/// uncached work, so a warm rebuild does not repeat it.
pub(crate) fn warning(settings: &Settings, stages: &Stages) -> Option<Diagnostic> {
    let opt_level = env!("ASSETLOCK_BUILD_OPT_LEVEL");
    let heavy = stages.heavy_bytes.load(Ordering::Relaxed);
    unoptimised_hint(opt_level, settings.release, heavy)
}

fn unoptimised_hint(opt_level: &str, release: bool, heavy: usize) -> Option<Diagnostic> {
    (opt_level == "0" && release && heavy >= HEAVY_BYTES).then(|| {
        Diagnostic::new(
            "Cargo.toml",
            format!(
                "assetlock-build was compiled without optimisation (cargo's default for build \
                 dependencies), so minifying and compressing {} MB ran several times slower \
                 than it needs to; add `[profile.release.build-override]` with `opt-level = 3` \
                 to the workspace Cargo.toml",
                heavy >> 20
            ),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hint_only_for_unoptimised_release_builds_with_heavy_uncached_work() {
        assert!(unoptimised_hint("0", true, 5 << 20).is_some());
        assert!(unoptimised_hint("3", true, 5 << 20).is_none(), "optimised");
        assert!(
            unoptimised_hint("0", false, 5 << 20).is_none(),
            "debug profile"
        );
        assert!(unoptimised_hint("0", true, 1000).is_none(), "warm cache");
        let hint = unoptimised_hint("0", true, 5 << 20).unwrap().to_string();
        assert!(
            hint.contains("[profile.release.build-override]") && hint.contains("opt-level = 3")
        );
    }
}
