//! Text every feature formats the same way: times, sentences, URL pieces and
//! e-mail addresses.

/// Unix milliseconds as RFC 3339 (`2026-11-29T15:18:17.77Z`); empty when the
/// value is outside what a date can hold.
pub(crate) fn rfc3339(millis: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(millis) * 1_000_000)
        .ok()
        .and_then(|at| {
            at.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_default()
}

/// "job spec x not found" -> "Job spec x not found."
pub(crate) fn sentence(text: &str) -> String {
    let mut chars = text.chars();
    let mut out: String = chars
        .next()
        .map(|c| c.to_uppercase().collect())
        .unwrap_or_default();
    out.push_str(chars.as_str());
    if !out.ends_with(['.', '!', '?']) {
        out.push('.');
    }
    out
}

/// Browsers send textarea line breaks as CRLF.
pub(crate) fn normalise(text: &str) -> String {
    text.replace("\r\n", "\n")
}

/// Percent-encodes everything but unreserved characters and `/`, so a value
/// can go into a path or a query string.
pub(crate) fn url_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(byte as char)
            }
            other => out.push_str(&format!("%{other:02X}")),
        }
    }
    out
}

/// A plausible address: something on both sides of one `@`, no spaces, at
/// most 254 characters. Delivery is what proves an address.
pub(crate) fn valid_email(email: &str) -> bool {
    let email = email.trim();
    match email.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.is_empty()
                && !email.contains(char::is_whitespace)
                && email.len() <= 254
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_start_upper_case_and_end_with_a_stop() {
        assert_eq!(sentence("job spec x not found"), "Job spec x not found.");
        assert_eq!(sentence("Done!"), "Done!");
        assert_eq!(sentence(""), ".");
    }

    #[test]
    fn url_pieces_are_encoded() {
        assert_eq!(url_encode("/search?q=a b"), "/search%3Fq%3Da%20b");
        assert_eq!(url_encode("ä"), "%C3%A4");
    }

    #[test]
    fn times_are_rfc3339() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(1_500), "1970-01-01T00:00:01.5Z");
    }

    #[test]
    fn emails_need_both_sides_and_no_spaces() {
        assert!(valid_email("a@b"));
        assert!(!valid_email("a b@c"));
        assert!(!valid_email("@c"));
        assert!(!valid_email("nobody"));
    }
}
