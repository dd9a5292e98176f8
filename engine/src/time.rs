//! Simulated time: the virtual clock's unit, kubectl's AGE format and RFC 3339 timestamps.
//!
//! The clock counts milliseconds from the start of a simulation. Wall-clock time never
//! enters the engine; a fixed epoch gives every simulation the same calendar timestamps.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Milliseconds since the simulation started.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Time(pub u64);

/// Seconds from 1970-01-01 to the simulation's epoch, 2026-01-05T09:00:00Z (a Monday morning).
pub const EPOCH_UNIX_SECONDS: i64 = 1_767_603_600;

pub const MS: u64 = 1;
pub const SECOND: u64 = 1000;
pub const MINUTE: u64 = 60 * SECOND;

impl Time {
    pub const ZERO: Time = Time(0);

    pub fn from_secs_f64(s: f64) -> Time {
        if s.is_finite() && s > 0.0 {
            Time((s * 1000.0).round().min(u64::MAX as f64 / 2.0) as u64)
        } else {
            Time(0)
        }
    }
    pub fn secs(self) -> f64 {
        self.0 as f64 / 1000.0
    }
    pub fn plus_ms(self, ms: u64) -> Time {
        Time(self.0.saturating_add(ms))
    }
    pub fn plus_secs(self, s: i64) -> Time {
        if s >= 0 {
            self.plus_ms((s as u64).saturating_mul(SECOND))
        } else {
            Time(
                self.0
                    .saturating_sub(s.unsigned_abs().saturating_mul(SECOND)),
            )
        }
    }
    pub fn since(self, earlier: Time) -> u64 {
        self.0.saturating_sub(earlier.0)
    }
    /// RFC 3339 in UTC with second precision, as the API server serialises metav1.Time.
    pub fn rfc3339(self) -> String {
        let unix = EPOCH_UNIX_SECONDS + (self.0 / 1000) as i64;
        format_unix_rfc3339(unix)
    }
    /// The header klog puts before a warning: `W0105 09:00:20.000000       1`, the month,
    /// day, time with microseconds, then the process id in seven columns. The simulated
    /// kubectl has no process; it writes id 1.
    pub fn klog_header(self) -> String {
        let stamp = self.rfc3339();
        format!(
            "W{}{} {}.{:06} {:>7}",
            &stamp[5..7],
            &stamp[8..10],
            &stamp[11..19],
            (self.0 % 1000) * 1000,
            1
        )
    }
    /// `12.5s` style, as the simulator prints clock readings.
    pub fn clock(self) -> String {
        format_seconds(self.0)
    }
}

/// Formats milliseconds as seconds with at most one decimal: `30s`, `2.5s`.
pub fn format_seconds(ms: u64) -> String {
    if ms.is_multiple_of(1000) {
        format!("{}s", ms / 1000)
    } else if ms.is_multiple_of(100) {
        format!("{}.{}s", ms / 1000, (ms % 1000) / 100)
    } else {
        format!("{}.{:03}s", ms / 1000, ms % 1000)
    }
}

fn format_unix_rfc3339(unix: i64) -> String {
    let days = unix.div_euclid(86_400);
    let secs = unix.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        y,
        m,
        d,
        secs / 3600,
        (secs % 3600) / 60,
        secs % 60
    )
}

// Howard Hinnant's days-to-civil conversion (proleptic Gregorian calendar).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Parses `YYYY-MM-DDTHH:MM:SSZ` (fraction ignored) into simulation time; times before the
/// epoch become time zero.
pub fn parse_rfc3339(s: &str) -> Option<Time> {
    let b = s.as_bytes();
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || (b[10] != b'T' && b[10] != b't') {
        return None;
    }
    let num = |r: std::ops::Range<usize>| s.get(r)?.parse::<i64>().ok();
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (h, mi, se) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || se > 60 {
        return None;
    }
    let unix = days_from_civil(y, mo as u32, d as u32) * 86_400 + h * 3600 + mi * 60 + se;
    let rel = unix - EPOCH_UNIX_SECONDS;
    Some(Time(if rel <= 0 { 0 } else { rel as u64 * 1000 }))
}

/// kubectl's AGE column (`apimachinery/pkg/util/duration.HumanDuration`).
pub fn human_duration(ms: i64) -> String {
    let seconds = ms.div_euclid(1000);
    if seconds < -1 {
        return "<invalid>".into();
    }
    if seconds < 0 {
        return "0s".into();
    }
    if seconds < 60 * 2 {
        return format!("{seconds}s");
    }
    let minutes = seconds / 60;
    if minutes < 10 {
        let s = seconds % 60;
        return if s == 0 {
            format!("{minutes}m")
        } else {
            format!("{minutes}m{s}s")
        };
    }
    if minutes < 60 * 3 {
        return format!("{minutes}m");
    }
    let hours = minutes / 60;
    if hours < 8 {
        let m = minutes % 60;
        return if m == 0 {
            format!("{hours}h")
        } else {
            format!("{hours}h{m}m")
        };
    }
    if hours < 48 {
        return format!("{hours}h");
    }
    if hours < 24 * 8 {
        let h = hours % 24;
        return if h == 0 {
            format!("{}d", hours / 24)
        } else {
            format!("{}d{}h", hours / 24, h)
        };
    }
    if hours < 24 * 365 * 2 {
        return format!("{}d", hours / 24);
    }
    if hours < 24 * 365 * 8 {
        let dy = (hours / 24) % 365;
        return if dy == 0 {
            format!("{}y", hours / 24 / 365)
        } else {
            format!("{}y{}d", hours / 24 / 365, dy)
        };
    }
    format!("{}y", hours / 24 / 365)
}

/// Go's `time.Duration.String()` for the durations kubectl prints (`1m30s`, `2.5s`, `300ms`).
pub fn go_duration(ms: u64) -> String {
    if ms == 0 {
        return "0s".into();
    }
    if ms < 1000 {
        return format!("{ms}ms");
    }
    let h = ms / 3_600_000;
    let m = (ms / 60_000) % 60;
    let s_ms = ms % 60_000;
    let secs = if s_ms.is_multiple_of(1000) {
        format!("{}s", s_ms / 1000)
    } else {
        let mut frac = format!("{:03}", s_ms % 1000);
        while frac.ends_with('0') {
            frac.pop();
        }
        format!("{}.{}s", s_ms / 1000, frac)
    };
    if h > 0 {
        format!("{h}h{m}m{secs}")
    } else if m > 0 {
        format!("{m}m{secs}")
    } else {
        secs
    }
}

impl Serialize for Time {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.rfc3339())
    }
}

impl<'de> Deserialize<'de> for Time {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        parse_rfc3339(&s).ok_or_else(|| serde::de::Error::custom(format!("invalid time {s:?}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn human_duration_matches_kubectl_brackets() {
        assert_eq!(human_duration(0), "0s");
        assert_eq!(human_duration(-500), "0s");
        assert_eq!(human_duration(-2500), "<invalid>");
        assert_eq!(human_duration(95_000), "95s");
        assert_eq!(human_duration(119_999), "119s");
        assert_eq!(human_duration(120_000), "2m");
        assert_eq!(human_duration(150_000), "2m30s");
        assert_eq!(human_duration(10 * 60_000), "10m");
        assert_eq!(human_duration(179 * 60_000), "179m");
        assert_eq!(human_duration(3 * 3_600_000), "3h");
        assert_eq!(human_duration(3 * 3_600_000 + 5 * 60_000), "3h5m");
        assert_eq!(human_duration(47 * 3_600_000), "47h");
        assert_eq!(human_duration(50 * 3_600_000), "2d2h");
        assert_eq!(human_duration(10 * 86_400_000), "10d");
        assert_eq!(human_duration(800 * 86_400_000), "2y70d");
    }

    #[test]
    fn rfc3339_round_trips_from_the_epoch() {
        assert_eq!(Time(0).rfc3339(), "2026-01-05T09:00:00Z");
        assert_eq!(Time(90_500).rfc3339(), "2026-01-05T09:01:30Z");
        assert_eq!(parse_rfc3339("2026-01-05T09:01:30Z"), Some(Time(90_000)));
        assert_eq!(parse_rfc3339("2020-01-01T00:00:00Z"), Some(Time(0)));
        assert_eq!(parse_rfc3339("yesterday"), None);
        assert_eq!(Time(86_400_000 * 30).rfc3339(), "2026-02-04T09:00:00Z");
    }

    #[test]
    fn go_duration_formats() {
        assert_eq!(go_duration(2130), "2.13s");
        assert_eq!(go_duration(500), "500ms");
        assert_eq!(go_duration(90_000), "1m30s");
        assert_eq!(go_duration(300_000), "5m0s");
    }
}
