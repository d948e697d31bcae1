//! Times as people read them: "3 minutes ago", "yesterday at 14:05",
//! "in 6 days", "29 Nov 2026" — with the exact time (UTC) on hover and in
//! the `datetime` attribute, which the page's script turns into the
//! reader's own time zone when JavaScript is on.

use std::fmt;

use askama::filters::HtmlSafe;
use time::OffsetDateTime;

const MINUTE: i64 = 60_000;
const HOUR: i64 = 60 * MINUTE;
const DAY: i64 = 24 * HOUR;

/// A moment, ready to print as a `<time>` element.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Moment {
    /// RFC 3339, for the `datetime` attribute.
    pub iso: String,
    /// How people say it, relative to now when it is near.
    pub text: String,
    /// "29 Nov 2026, 15:18 UTC".
    pub exact: String,
}

impl Moment {
    /// `millis` (Unix milliseconds) as seen at `now` (the same unit). A value
    /// no calendar can hold prints as nothing.
    pub fn at(millis: i64, now: i64) -> Moment {
        let Some(at) = datetime(millis) else {
            return Moment::default();
        };
        let exact = format!("{}, {:02}:{:02} UTC", date(&at), at.hour(), at.minute());
        let iso = at
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default();
        let ago = now.saturating_sub(millis);
        let text = match ago {
            // Past.
            0..MINUTE => "just now".to_string(),
            MINUTE..HOUR => count(ago / MINUTE, "minute", "ago"),
            HOUR..DAY => count(ago / HOUR, "hour", "ago"),
            DAY..=i64::MAX if ago < 2 * DAY && same_day(millis + DAY, now) => {
                format!("yesterday at {:02}:{:02}", at.hour(), at.minute())
            }
            DAY..=i64::MAX if ago < 7 * DAY => count(ago / DAY, "day", "ago"),
            // Future (an expiry): how long is left.
            i64::MIN..0 => {
                let left = -ago;
                if left < HOUR {
                    format!("in {}", count_bare((left + MINUTE - 1) / MINUTE, "minute"))
                } else if left < DAY {
                    format!("in {}", count_bare(left / HOUR, "hour"))
                } else if left < 30 * DAY {
                    format!("in {}", count_bare(left / DAY, "day"))
                } else {
                    date(&at)
                }
            }
            _ => date(&at),
        };
        Moment { iso, text, exact }
    }
}

fn datetime(millis: i64) -> Option<OffsetDateTime> {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(millis) * 1_000_000).ok()
}

fn same_day(a: i64, b: i64) -> bool {
    match (datetime(a), datetime(b)) {
        (Some(a), Some(b)) => a.date() == b.date(),
        _ => false,
    }
}

/// "29 Nov 2026".
fn date(at: &OffsetDateTime) -> String {
    let month = match at.month() {
        time::Month::January => "Jan",
        time::Month::February => "Feb",
        time::Month::March => "Mar",
        time::Month::April => "Apr",
        time::Month::May => "May",
        time::Month::June => "Jun",
        time::Month::July => "Jul",
        time::Month::August => "Aug",
        time::Month::September => "Sep",
        time::Month::October => "Oct",
        time::Month::November => "Nov",
        time::Month::December => "Dec",
    };
    format!("{} {month} {}", at.day(), at.year())
}

fn count_bare(n: i64, unit: &str) -> String {
    if n == 1 {
        format!("1 {unit}")
    } else {
        format!("{n} {unit}s")
    }
}

fn count(n: i64, unit: &str, suffix: &str) -> String {
    format!("{} {suffix}", count_bare(n, unit))
}

/// Escapes text for an HTML attribute or element.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

impl fmt::Display for Moment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.iso.is_empty() {
            return Ok(());
        }
        write!(
            f,
            "<time datetime=\"{}\" title=\"{}\">{}</time>",
            escape(&self.iso),
            escape(&self.exact),
            escape(&self.text)
        )
    }
}

/// Tests write fixed times as text.
#[cfg(test)]
impl From<&str> for Moment {
    fn from(text: &str) -> Moment {
        Moment {
            iso: text.to_string(),
            text: text.to_string(),
            exact: text.to_string(),
        }
    }
}

/// Its `Display` escapes what it prints; the markup is its own.
impl HtmlSafe for Moment {}

#[cfg(test)]
mod tests {
    use super::Moment;

    /// 2026-11-29T15:18:17Z.
    const NOW: i64 = 1_795_965_497_000;

    #[test]
    fn near_times_are_relative_and_far_ones_are_dates() {
        let cases = [
            (NOW - 20_000, "just now"),
            (NOW - 60_000, "1 minute ago"),
            (NOW - 5 * 60_000, "5 minutes ago"),
            (NOW - 3 * 3_600_000, "3 hours ago"),
            (NOW - 26 * 3_600_000, "yesterday at 13:18"),
            (NOW - 3 * 86_400_000, "3 days ago"),
            (NOW - 40 * 86_400_000, "20 Oct 2026"),
            (NOW + 6 * 86_400_000 + 1_000, "in 6 days"),
            (NOW + 90 * 60_000, "in 1 hour"),
            (NOW + 45 * 60_000, "in 45 minutes"),
            (NOW + 60 * 86_400_000, "28 Jan 2027"),
        ];
        for (at, text) in cases {
            assert_eq!(Moment::at(at, NOW).text, text, "{at}");
        }
        let moment = Moment::at(NOW, NOW);
        assert_eq!(moment.exact, "29 Nov 2026, 15:18 UTC");
        assert_eq!(moment.iso, "2026-11-29T15:18:17Z");
        assert_eq!(
            moment.to_string(),
            "<time datetime=\"2026-11-29T15:18:17Z\" title=\"29 Nov 2026, 15:18 UTC\">just now</time>"
        );
    }

    #[test]
    fn an_impossible_time_prints_nothing() {
        assert_eq!(Moment::at(i64::MAX, NOW).to_string(), "");
    }
}
