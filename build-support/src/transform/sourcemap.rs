//! Source maps: chaining an output map through an input map, and `sourceMappingURL` comments.

use parcel_sourcemap::SourceMap;

/// Parses a map, cutting absolute source paths to their file names first so the result holds
/// no machine path.
pub(crate) fn parse(json: &str) -> Result<SourceMap, String> {
    let json = strip_absolute_sources(json)?;
    SourceMap::from_json("/", &json).map_err(|e| format!("{e:?}"))
}

/// Maps `output` (positions in the transformed file -> positions in the file as read) on
/// through `input` (the file as read -> its own sources) when there is one, and returns the
/// JSON of the result.
///
/// # Errors
///
/// When a map does not parse or cannot be chained.
pub fn finish(mut output: SourceMap, input: Option<&str>) -> Result<String, String> {
    if let Some(input) = input {
        let mut input = parse(input)?;
        output.extends(&mut input).map_err(|e| format!("{e:?}"))?;
    }
    output.to_json(None).map_err(|e| format!("{e:?}"))
}

/// [`finish`] for a map given as JSON.
///
/// # Errors
///
/// When a map does not parse or cannot be chained.
pub fn chain(output: &str, input: Option<&str>) -> Result<String, String> {
    finish(parse(output)?, input)
}

fn strip_absolute_sources(json: &str) -> Result<String, String> {
    let mut value: serde_json::Value = serde_json::from_str(json).map_err(|e| e.to_string())?;
    if let Some(sources) = value.get_mut("sources").and_then(|s| s.as_array_mut()) {
        for source in sources {
            if let Some(s) = source.as_str().filter(|s| is_absolute(s)) {
                let name = s.rsplit(['/', '\\']).next().unwrap_or(s).to_string();
                *source = serde_json::Value::String(name);
            }
        }
    }
    if let Some(object) = value.as_object_mut() {
        object.remove("sourceRoot");
    }
    serde_json::to_string(&value).map_err(|e| e.to_string())
}

fn is_absolute(path: &str) -> bool {
    let bytes = path.as_bytes();
    path.starts_with('/')
        || path.starts_with("file:")
        || path.starts_with("\\\\")
        || (bytes.len() > 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':')
}

/// The URL of a `# sourceMappingURL=<url>` (or legacy `@`) comment body, if it is one.
pub(crate) fn comment_url(body: &str) -> Option<&str> {
    let rest = body.trim_start();
    let rest = rest.strip_prefix('#').or_else(|| rest.strip_prefix('@'))?;
    let url = rest.trim_start().strip_prefix("sourceMappingURL=")?;
    let url = url.split_whitespace().next()?;
    Some(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comment_url_reads_both_markers() {
        assert_eq!(
            comment_url("# sourceMappingURL=app.js.map"),
            Some("app.js.map")
        );
        assert_eq!(comment_url("@ sourceMappingURL=a.map "), Some("a.map"));
        assert_eq!(comment_url(" a comment"), None);
        assert_eq!(comment_url("# sourceMappingURL="), None);
    }

    #[test]
    fn chaining_maps_output_positions_to_the_original_source() {
        // input: a.min.js line 0 col 0 <- a.ts line 4 col 2
        let input = r#"{"version":3,"sources":["a.ts"],"names":[],"mappings":"AAIE"}"#;
        // output: line 0 col 0 <- a.min.js line 0 col 0
        let output = r#"{"version":3,"sources":["a.min.js"],"names":[],"mappings":"AAAA"}"#;
        let json = chain(output, Some(input)).unwrap();
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert!(
            value["sources"]
                .as_array()
                .unwrap()
                .contains(&"a.ts".into())
        );
        let mut map = parse(&json).unwrap();
        let index = map.get_source_index("a.ts").unwrap().unwrap();
        let mapping = map.find_closest_mapping(0, 0).unwrap().original.unwrap();
        assert_eq!(
            (
                mapping.source,
                mapping.original_line,
                mapping.original_column
            ),
            (index, 4, 2)
        );
        let _ = map.to_json(None).unwrap();
    }

    #[test]
    fn absolute_sources_become_file_names() {
        let output = r#"{"version":3,"sources":["/home/dev/app/src/a.ts","b.ts"],"names":[],"mappings":"AAAA,CCAA"}"#;
        let json = chain(output, None).unwrap();
        assert!(!json.contains("/home/"), "{json}");
        assert!(json.contains("\"a.ts\""), "{json}");
    }
}
