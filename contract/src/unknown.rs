//! The error for an asset name a build does not have, worded the same wherever a name is
//! checked (`asset_url!`, templates), with the nearest known name as a suggestion.

/// The message for `wanted`, a logical path the build does not have, given the build's paths:
/// `no asset named `x`; did you mean `y`?`.
///
/// ```
/// use assetlock_contract::unknown_asset;
///
/// let known = ["css/app.css", "js/app.js"];
/// assert_eq!(
///     unknown_asset("css/ap.css", known),
///     "no asset named `css/ap.css`; did you mean `css/app.css`?"
/// );
/// assert_eq!(unknown_asset("x", [""; 0]), "no asset named `x` (this build has no assets)");
/// ```
pub fn unknown_asset<'a>(wanted: &str, known: impl IntoIterator<Item = &'a str>) -> String {
    let mut known = known.into_iter().peekable();
    let empty = known.peek().is_none();
    let mut message = format!("no asset named `{wanted}`");
    match closest(wanted, known) {
        Some(near) => message.push_str(&format!("; did you mean `{near}`?")),
        None if empty => message.push_str(" (this build has no assets)"),
        None => {}
    }
    message
}

/// The candidate nearest to `wanted` by edit distance, if it is near enough to be a typo.
fn closest<'a>(wanted: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (wanted.chars().count() / 3).max(2);
    candidates
        .map(|c| (edit_distance(wanted, c), c))
        .filter(|&(d, _)| d <= limit)
        .min()
        .map(|(_, c)| c)
}

/// Levenshtein distance over chars.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let substitution = diagonal + usize::from(ca != cb);
            diagonal = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(row[j + 1] + 1);
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_counts_single_edits() {
        assert_eq!(edit_distance("css/ap.css", "css/app.css"), 1);
        assert_eq!(edit_distance("abc", "abc"), 0);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }

    #[test]
    fn closest_picks_nearest_within_limit() {
        let names = ["css/app.css", "js/app.js", "img/logo.svg"];
        assert_eq!(
            closest("css/ap.css", names.into_iter()),
            Some("css/app.css")
        );
        assert_eq!(closest("fonts/x.woff2", names.into_iter()), None);
    }

    #[test]
    fn a_name_far_from_every_asset_gets_no_suggestion() {
        assert_eq!(
            unknown_asset("fonts/x.woff2", ["css/app.css"]),
            "no asset named `fonts/x.woff2`"
        );
    }
}
