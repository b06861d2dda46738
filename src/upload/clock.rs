//! One clock: the store's. Releases are ranked and aged by the modification times the store
//! gives its objects; this machine's clock is only compared with it, to warn.

use std::time::{Duration, SystemTime};

/// The largest difference between this machine's clock and the store's that goes unremarked.
const SKEW_WARNING: Duration = Duration::from_secs(60);

/// The warning for a machine whose clock is more than a minute off the store's, given the
/// store's time now.
pub(crate) fn skew_warning(store_now: SystemTime) -> Option<String> {
    let (skew, direction) = match SystemTime::now().duration_since(store_now) {
        Ok(ahead) => (ahead, "ahead of"),
        Err(behind) => (behind.duration(), "behind"),
    };
    (skew > SKEW_WARNING).then(|| {
        format!(
            "this machine's clock is {} {direction} the store's; assetlock ranks and ages \
             releases by the store's clock only, but check the machine's time",
            humantime::format_duration(Duration::from_secs(skew.as_secs_f64().round() as u64))
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clock_more_than_a_minute_off_is_named() {
        let now = SystemTime::now();
        assert!(skew_warning(now).is_none());
        let slow = skew_warning(now + Duration::from_secs(3 * 24 * 3600)).unwrap();
        assert!(slow.contains("3days behind"), "{slow}");
        let fast = skew_warning(now - Duration::from_secs(600)).unwrap();
        assert!(fast.contains("10m ahead of"), "{fast}");
    }
}
