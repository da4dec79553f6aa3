//! Modification times as fixtree keeps, prints and compares them: whole
//! seconds since the Unix epoch, a calendar date in UTC for people (no
//! date crate: a proleptic Gregorian date from a day count is a few lines),
//! and the tolerance of a comparison with the disk.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// How far a file's modification time on disk may be from the expected one
/// and still match, either way: file systems keep times at different
/// resolutions (ext4 and APFS nanoseconds, NTFS 100 ns, HFS+ one second,
/// FAT two seconds), and fixtree's own times are whole seconds.
pub(crate) const TOLERANCE: Duration = Duration::from_secs(1);

/// Seconds since the Unix epoch, rounded down (towards the past, before 1970 too).
pub(crate) fn unix_secs(time: SystemTime) -> i64 {
    let clamp = |secs: u64| i64::try_from(secs).unwrap_or(i64::MAX);
    match time.duration_since(UNIX_EPOCH) {
        Ok(after) => clamp(after.as_secs()),
        Err(before) => {
            let before = before.duration();
            -clamp(before.as_secs()) - i64::from(before.subsec_nanos() > 0)
        }
    }
}

/// The time `secs` seconds after the Unix epoch (before it, if negative);
/// `None` if this system cannot hold it.
pub(crate) fn from_unix_secs(secs: i64) -> Option<SystemTime> {
    let (after, before) = (secs.max(0).unsigned_abs(), secs.min(0).unsigned_abs());
    let after = UNIX_EPOCH.checked_add(Duration::from_secs(after))?;
    after.checked_sub(Duration::from_secs(before))
}

/// `time` rounded down to a whole second, as the spec helpers keep it.
pub(crate) fn whole_second(time: SystemTime) -> SystemTime {
    from_unix_secs(unix_secs(time)).unwrap_or(time)
}

/// Whether `actual` is within [`TOLERANCE`] of `expected`.
pub(crate) fn close_enough(actual: SystemTime, expected: SystemTime) -> bool {
    let apart = actual.duration_since(expected);
    apart.unwrap_or_else(|earlier| earlier.duration()) <= TOLERANCE
}

/// A time for a report: "2026-11-30 10:00:00 UTC (3 h ago)".
pub(crate) struct Described(pub(crate) SystemTime);

impl fmt::Display for Described {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let secs = unix_secs(self.0);
        let now = unix_secs(SystemTime::now());
        write!(f, "{} ({})", Utc(secs), Age(now.saturating_sub(secs)))
    }
}

/// Seconds since the epoch as "2026-11-30 10:00:00 UTC".
pub(crate) struct Utc(pub(crate) i64);

impl fmt::Display for Utc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (days, secs) = (self.0.div_euclid(86_400), self.0.rem_euclid(86_400));
        let (year, month, day) = civil_from_days(days);
        let (hour, minute, second) = (secs / 3600, secs / 60 % 60, secs % 60);
        write!(f, "{year:04}-{month:02}-{day:02} ")?;
        write!(f, "{hour:02}:{minute:02}:{second:02} UTC")
    }
}

/// How long ago, in the largest unit that still shows two digits' worth:
/// "45 s ago", "3 min ago", "5 h ago", "12 d ago"; "in 2 h" for the future.
struct Age(i64);

impl fmt::Display for Age {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let secs = self.0.unsigned_abs();
        let (amount, unit) = match secs {
            0 => return f.write_str("now"),
            1..120 => (secs, "s"),
            120..7_200 => (secs / 60, "min"),
            7_200..172_800 => (secs / 3600, "h"),
            _ => (secs / 86_400, "d"),
        };
        if self.0 > 0 {
            write!(f, "{amount} {unit} ago")
        } else {
            write!(f, "in {amount} {unit}")
        }
    }
}

/// The proleptic Gregorian (year, month, day) of a count of days since
/// 1970-01-01: Howard Hinnant's `civil_from_days`, which counts in 400-year
/// eras that start on March 1st so that the leap day ends a year.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let days = days + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
    // March is 0, so January and February are 10 and 11.
    let month = (shifted_month + 2) % 12 + 1;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    // Both are small and positive by construction.
    (year, month as u32, day as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_utc_across_eras_leap_days_and_the_epoch() {
        let cases = [
            (0, "1970-01-01 00:00:00 UTC"),
            (-1, "1969-12-31 23:59:59 UTC"),
            (951_782_400, "2000-02-29 00:00:00 UTC"),
            (1_798_365_600, "2026-12-27 10:00:00 UTC"),
            (4_107_542_399, "2100-02-28 23:59:59 UTC"),
            (4_107_542_400, "2100-03-01 00:00:00 UTC"),
            (-62_135_596_800, "0001-01-01 00:00:00 UTC"),
        ];
        for (secs, text) in cases {
            assert_eq!(Utc(secs).to_string(), text, "{secs}");
        }
    }

    #[test]
    fn seconds_round_towards_the_past_on_both_sides_of_the_epoch() {
        let half = Duration::from_millis(500);
        assert_eq!(unix_secs(UNIX_EPOCH + half), 0);
        assert_eq!(unix_secs(UNIX_EPOCH - half), -1);
        assert_eq!(
            from_unix_secs(-1),
            Some(UNIX_EPOCH - Duration::from_secs(1))
        );
        assert_eq!(whole_second(UNIX_EPOCH + 3 * half), UNIX_EPOCH + 2 * half);
    }

    #[test]
    fn ages_in_the_largest_unit_that_reads_well() {
        let cases = [
            (0, "now"),
            (45, "45 s ago"),
            (119, "119 s ago"),
            (180, "3 min ago"),
            (3 * 3600, "3 h ago"),
            (-2 * 3600, "in 2 h"),
            (12 * 86_400, "12 d ago"),
        ];
        for (secs, text) in cases {
            assert_eq!(Age(secs).to_string(), text, "{secs}");
        }
    }

    #[test]
    fn the_tolerance_is_one_second_either_way() {
        let t = UNIX_EPOCH + Duration::from_secs(1_000);
        assert!(close_enough(t + TOLERANCE, t));
        assert!(close_enough(t - TOLERANCE, t));
        // A microsecond: Windows keeps times in steps of 100 ns, so 1 ns would vanish.
        assert!(!close_enough(t + TOLERANCE + Duration::from_micros(1), t));
    }
}
