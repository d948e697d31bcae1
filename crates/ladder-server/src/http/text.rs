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

/// Unix milliseconds as people read them on a page: relative when near
/// ("3 minutes ago", "in 6 days"), a date otherwise, the exact time on hover.
pub(crate) fn moment(millis: i64) -> ladder_web::Moment {
    let now = i64::try_from(time::OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000)
        .unwrap_or(i64::MAX);
    ladder_web::Moment::at(millis, now)
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

/// The longest e-mail address accepted, in bytes (RFC 5321's path limit).
pub(crate) const EMAIL_MAX_BYTES: usize = 254;

/// An e-mail address as Ladder keeps it, or a sentence saying what is wrong.
///
/// Parsed with the `email_address` crate (RFC 5322's addr-spec: a dot-atom or
/// quoted local part, an `@`, and a domain name), without the forms a login
/// has no use for: display names (`Ada <ada@example.com>`), domain literals
/// (`ada@[192.0.2.1]`), whitespace and control characters. Surrounding
/// whitespace is trimmed and the domain is lower-cased (the crate's canonical
/// form: a domain is case-insensitive, a local part need not be).
pub fn parse_email(text: &str) -> Result<String, String> {
    use email_address::{EmailAddress, Error, Options};

    let text = text.trim();
    let shown = if text.chars().count() <= 80 && !text.contains(char::is_control) {
        format!("“{text}”")
    } else {
        "The address".to_string()
    };
    let refuse = |why: &str| Err(format!("{shown} is not an e-mail address: {why}."));
    if text.is_empty() {
        return Err("Enter an e-mail address.".to_string());
    }
    if text.contains(|c: char| c.is_control() || c.is_whitespace()) {
        return refuse("it contains spaces or control characters");
    }
    if text.len() > EMAIL_MAX_BYTES {
        return refuse(&format!("it is longer than {EMAIL_MAX_BYTES} bytes"));
    }
    let options = Options {
        minimum_sub_domains: 1,
        allow_domain_literal: false,
        allow_display_text: false,
        allow_long_local_parts: false,
    };
    match EmailAddress::parse_with_options(text, options) {
        Ok(address) => Ok(format!(
            "{}@{}",
            address.local_part(),
            address.domain().to_ascii_lowercase()
        )),
        Err(error) => refuse(match error {
            Error::MissingSeparator => "it has no @",
            Error::LocalPartEmpty => "nothing comes before the @",
            Error::LocalPartTooLong => "the part before the @ is longer than 64 characters",
            Error::DomainEmpty => "nothing comes after the @",
            Error::DomainTooLong | Error::SubDomainTooLong => "the domain is too long",
            Error::SubDomainEmpty | Error::DomainInvalidSeparator => {
                "the domain has an empty part (two dots in a row, or a dot at either end)"
            }
            Error::UnbalancedQuotes => "a quote is not closed",
            Error::UnsupportedDisplayName
            | Error::MissingDisplayName
            | Error::MissingEndBracket => "write the address alone, without a name or < >",
            Error::UnsupportedDomainLiteral | Error::InvalidIPAddress => {
                "the part after the @ must be a domain name, not an address in brackets"
            }
            Error::DomainTooFew => "the part after the @ is not a domain name",
            Error::InvalidCharacter | Error::InvalidComment => {
                "it contains a character an e-mail address cannot have (such as < > ( ) , ; : or \\)"
            }
        }),
    }
}

/// A list's `limit` parameter: `default` when absent, refused (422 naming
/// `limit`) outside 1..=`max` rather than quietly changed, so a client that
/// asks for more than it can get learns so.
pub(crate) fn list_limit(
    limit: Option<u32>,
    default: u32,
    max: u32,
) -> Result<u32, super::error::ApiError> {
    match limit {
        None => Ok(default),
        Some(value) if (1..=max).contains(&value) => Ok(value),
        Some(value) => Err(super::error::ApiError::unprocessable(format!(
            "`limit` is {value}, outside 1 to {max}; ask for at most {max} at a time"
        ))
        .field("limit")),
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
    fn emails_are_parsed_and_kept_canonical() {
        assert!(parse_email("a@b").is_ok());
        assert!(parse_email("admin@localhost").is_ok());
        assert_eq!(
            parse_email("  Ada.Lovelace+ladder@Example.COM ").as_deref(),
            Ok("Ada.Lovelace+ladder@example.com")
        );
        assert_eq!(
            parse_email("o'brien@ex-ample.io").as_deref(),
            Ok("o'brien@ex-ample.io")
        );
        assert_eq!(
            parse_email("<script>alert(1)</script>@x.test"),
            Err("“<script>alert(1)</script>@x.test” is not an e-mail address: it contains a character an e-mail address cannot have (such as < > ( ) , ; : or \\).".to_string())
        );
        for (bad, why) in [
            ("a b@c", "spaces or control characters"),
            ("a\0b@c.test", "spaces or control characters"),
            ("@c", "nothing comes before the @"),
            ("nobody", "it has no @"),
            ("a@", "nothing comes after the @"),
            ("a@b..c", "an empty part"),
            ("Ada <ada@example.com>", "spaces"),
            ("<ada@example.com>", "cannot have"),
            ("ada@[192.0.2.1]", "domain name"),
            ("a,b@example.com", "cannot have"),
            ("ada@-example.com", "cannot have"),
            ("", "Enter an e-mail address."),
        ] {
            let error = parse_email(bad).expect_err(bad);
            assert!(error.contains(why), "{bad}: {error}");
            assert!(error.ends_with('.'), "{error}");
            assert!(parse_email(bad).is_err());
        }
        let long = format!("{}@example.com", "a".repeat(250));
        assert_eq!(
            parse_email(&long),
            Err("The address is not an e-mail address: it is longer than 254 bytes.".to_string())
        );
    }
}
