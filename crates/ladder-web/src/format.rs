//! Small formatting helpers every feature uses: links into the app, URL
//! encoding, counted nouns and sub-level ranges.

use ladder_core::text::title_case;

/// "hiring_manager" -> "Hiring Manager".
pub(crate) fn role_label(role: &str) -> String {
    title_case(role)
}

pub(crate) fn framework_href(slug: &str) -> String {
    format!("/frameworks/{}", encode_component(slug))
}

pub(crate) fn criterion_href(slug: &str, level: u32, criterion_id: &str) -> String {
    format!(
        "{}?level={level}#{}",
        framework_href(slug),
        encode_component(criterion_id)
    )
}

pub(crate) fn job_spec_href(id: &str) -> String {
    format!("/job-specs/{}", encode_component(id))
}

/// Percent-encodes everything but RFC 3986 unreserved characters, so a slug, id
/// or fragment can never break out of its place in a URL. Slugs and criterion ids
/// are normally unreserved already and pass through unchanged.
pub(crate) fn encode_component(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// "A–D" for a run of consecutive letters, "A, C, F" otherwise.
pub(crate) fn sublevel_range(letters: &[String]) -> Option<String> {
    let first = letters.first()?;
    let last = letters.last()?;
    let single_chars: Option<Vec<char>> = letters
        .iter()
        .map(|l| {
            let mut chars = l.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) => Some(c),
                _ => None,
            }
        })
        .collect();
    let consecutive = single_chars.is_some_and(|chars| {
        chars.len() > 2
            && chars
                .windows(2)
                .all(|pair| u32::from(pair[1]) == u32::from(pair[0]) + 1)
    });
    Some(if consecutive {
        format!("{first}–{last}")
    } else {
        letters.join(", ")
    })
}

pub(crate) fn plural(count: usize, one: &str, many: &str) -> String {
    if count == 1 {
        format!("1 {one}")
    } else {
        format!("{count} {many}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_encoded() {
        assert_eq!(
            framework_href("engineering-backend"),
            "/frameworks/engineering-backend"
        );
        assert_eq!(framework_href("a/b c"), "/frameworks/a%2Fb%20c");
        assert_eq!(
            criterion_href("x", 3, "mastery.l3.0a1b2c3d4e"),
            "/frameworks/x?level=3#mastery.l3.0a1b2c3d4e"
        );
    }

    #[test]
    fn sublevel_ranges() {
        let letters = |s: &[&str]| s.iter().map(|l| l.to_string()).collect::<Vec<_>>();
        assert_eq!(
            sublevel_range(&letters(&["A", "B", "C", "D"])).as_deref(),
            Some("A–D")
        );
        assert_eq!(
            sublevel_range(&letters(&["A", "C"])).as_deref(),
            Some("A, C")
        );
        assert_eq!(
            sublevel_range(&letters(&["A", "B"])).as_deref(),
            Some("A, B")
        );
        assert_eq!(sublevel_range(&[]), None);
    }
}
