//! Browser targets: one browserslist query, resolved once per build into what lightningcss
//! (CSS prefixes and lowering) and the oxc minifier (which syntax it may introduce) read.

use lightningcss::targets::{Browsers, Targets as CssTargets};
use oxc_compat::EngineTargets;
use serde::{Serialize, Serializer};

/// The query used when the config names none: browserslist's own default set (`> 0.5%, last
/// 2 versions, Firefox ESR, not dead`).
pub(crate) const DEFAULT_QUERY: &str = "defaults";

/// A resolved browserslist query. Serialized (for cache keys) as the resolved versions, not
/// the query, because a query such as `defaults` resolves differently as browserslist's data
/// ages.
#[derive(Clone, Debug, Default, Serialize)]
pub(crate) struct Targets {
    /// What lightningcss prefixes and lowers for.
    #[serde(serialize_with = "serialize_css")]
    pub css: CssTargets,
    /// The engines whose syntax the JS minifier keeps to: it never rewrites code into syntax
    /// they lack (`a ?? b`, `a ||= b`, ...). Syntax the source already uses is kept as written.
    #[serde(serialize_with = "serialize_js")]
    pub js: EngineTargets,
}

impl Targets {
    /// Resolves `query` for both CSS and JS.
    pub fn resolve(query: &str) -> Result<Targets, String> {
        let browsers = Browsers::from_browserslist([query]).map_err(|e| e.to_string())?;
        let js = EngineTargets::try_from_query(query)?;
        Ok(Targets {
            css: CssTargets::from(browsers.unwrap_or_default()),
            js,
        })
    }

    /// The default query, resolved.
    pub fn default_query() -> Targets {
        // `defaults` is browserslist's own query and always resolves.
        Targets::resolve(DEFAULT_QUERY).unwrap_or_default()
    }
}

/// lightningcss's `Targets` field by field (its own serde support is an optional feature this
/// crate does not enable). The patterns name every field, so a field added upstream fails to
/// compile here instead of being left out of the cache key.
fn serialize_css<S: Serializer>(targets: &CssTargets, serializer: S) -> Result<S::Ok, S::Error> {
    let CssTargets {
        browsers,
        include,
        exclude,
    } = *targets;
    let browsers = browsers.map(|browsers| {
        let Browsers {
            android,
            chrome,
            edge,
            firefox,
            ie,
            ios_saf,
            opera,
            safari,
            samsung,
        } = browsers;
        [
            android, chrome, edge, firefox, ie, ios_saf, opera, safari, samsung,
        ]
    });
    (browsers, include.bits(), exclude.bits()).serialize(serializer)
}

/// oxc's engine map, sorted: a hash map's order is not stable between runs.
fn serialize_js<S: Serializer>(targets: &EngineTargets, serializer: S) -> Result<S::Ok, S::Error> {
    let mut engines: Vec<(String, String)> = targets
        .iter()
        .map(|(engine, version)| (format!("{engine:?}"), format!("{version:?}")))
        .collect();
    engines.sort();
    engines.serialize(serializer)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transform::TransformOptions;
    use crate::transform::testing::{options, parsing, run_with, text};

    fn with_targets(query: &str, minify: bool) -> TransformOptions {
        let mut options = parsing(minify);
        options.targets = Targets::resolve(query).unwrap();
        options
    }

    fn output(options: &TransformOptions, logical: &str, source: &str) -> String {
        text(&run_with(options, logical, source, &[]).unwrap())
    }

    #[test]
    fn css_gets_the_prefixes_and_lowering_of_its_targets_when_minified_or_asked_to() {
        let css = ".a { user-select: none; .b { color: oklch(60% 0.2 30) } }";
        // Unminified and not asked to lower: kept as written.
        assert_eq!(output(&options(false), "a.css", css), css);
        for minify in [false, true] {
            let default = output(&parsing(minify), "a.css", css);
            assert!(default.contains("-webkit-user-select"), "{default}");
            let old = output(&with_targets("safari 12", minify), "a.css", css);
            assert!(!old.contains('&') && !old.contains("oklch"), "{old}");
            let new = output(&with_targets("last 1 chrome version", minify), "a.css", css);
            assert!(!new.contains("-webkit-"), "{new}");
            assert!(new.contains("oklch"), "{new}");
        }
    }

    #[test]
    fn the_js_minifier_introduces_only_syntax_its_targets_have() {
        let js = "export function f(b) { let x = b.v; x = x || 1; let y = b.w; \
                  return [x, y === null || y === void 0 ? 2 : y, y !== null && y !== void 0 ? y.z : void 0]; }";
        let new = output(&options(true), "a.js", js);
        for modern in ["||=", "??", "?."] {
            assert!(new.contains(modern), "defaults: {modern} expected in {new}");
        }
        let old = output(&with_targets("chrome 60", true), "a.js", js);
        for modern in ["||=", "??", "?."] {
            assert!(
                !old.contains(modern),
                "chrome 60: no {modern} expected in {old}"
            );
        }
    }

    #[test]
    fn js_syntax_the_source_uses_is_kept_as_written() {
        let old = output(
            &with_targets("chrome 60", true),
            "a.js",
            "export const f = (a) => a?.b ?? 1;",
        );
        assert!(old.contains("?.") && old.contains("??"), "{old}");
    }

    #[test]
    fn the_default_query_names_current_browsers_for_both_languages() {
        let targets = Targets::default_query();
        assert!(targets.css.browsers.is_some_and(|b| b.chrome.is_some()));
        assert!(!targets.js.is_any_target(), "{:?}", targets.js);
    }

    #[test]
    fn a_bad_query_is_an_error_not_a_panic() {
        assert!(Targets::resolve("not a browser 99").is_err());
    }

    #[test]
    fn the_key_of_a_query_is_stable_and_tells_queries_apart() {
        let key = |query| serde_json::to_string(&Targets::resolve(query).unwrap()).unwrap();
        assert_eq!(key("defaults"), key("defaults"));
        assert_ne!(key("defaults"), key("chrome 60"));
    }
}
