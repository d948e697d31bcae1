//! Small pieces every page handler shares: decoded form bodies, messages
//! turned into sentences, and who may edit job specs.

use ladder_core::access::{allowed, Action};

use crate::access::url_decode_pairs;
use crate::auth::Principal;

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

pub(crate) fn can_edit(principal: &Principal) -> bool {
    allowed(
        principal.user.as_ref().map(|user| user.role),
        Action::EditJobSpecs,
        false,
    )
}

/// Browsers send textarea line breaks as CRLF.
pub(crate) fn normalise(text: &str) -> String {
    text.replace("\r\n", "\n")
}

/// A decoded `application/x-www-form-urlencoded` body. Handlers read the raw
/// body so that a malformed form still gets a page, not a plain rejection,
/// and so repeated fields (editor rows) keep their order.
pub(crate) struct Fields(Vec<(String, String)>);

impl Fields {
    pub(crate) fn parse(body: &[u8]) -> Fields {
        Fields(url_decode_pairs(body))
    }

    pub(crate) fn first(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    pub(crate) fn all(&self, name: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
            .collect()
    }

    pub(crate) fn has(&self, name: &str) -> bool {
        self.0.iter().any(|(key, _)| key == name)
    }

    pub(crate) fn text(&self, name: &str) -> String {
        self.first(name).map(normalise).unwrap_or_default()
    }
}

/// One part of a `multipart/form-data` body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Part {
    pub(crate) name: String,
    /// Set for file inputs.
    pub(crate) file_name: Option<String>,
    pub(crate) bytes: Vec<u8>,
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    if needle.is_empty() || from > haystack.len() {
        return None;
    }
    haystack[from..]
        .windows(needle.len())
        .position(|window| window == needle)
        .map(|at| at + from)
}

/// The value of a `key="value"` (or `key=value`) parameter in a header.
fn parameter(header: &str, key: &str) -> Option<String> {
    header.split(';').skip(1).find_map(|part| {
        let (name, value) = part.split_once('=')?;
        if !name.trim().eq_ignore_ascii_case(key) {
            return None;
        }
        let value = value.trim();
        Some(
            value
                .strip_prefix('"')
                .and_then(|v| v.strip_suffix('"'))
                .unwrap_or(value)
                .to_string(),
        )
    })
}

/// The parts of a `multipart/form-data` body (RFC 7578), or `None` when
/// `content_type` is not multipart or names no boundary. Parts that cannot be
/// read are skipped; a truncated body ends the list.
pub(crate) fn multipart(content_type: &str, body: &[u8]) -> Option<Vec<Part>> {
    if !content_type
        .trim_start()
        .to_ascii_lowercase()
        .starts_with("multipart/form-data")
    {
        return None;
    }
    let boundary = parameter(content_type, "boundary").filter(|b| !b.is_empty())?;
    let delimiter = format!("--{boundary}").into_bytes();
    let mut parts = Vec::new();
    let mut at = find(body, &delimiter, 0)? + delimiter.len();
    loop {
        if body[at..].starts_with(b"--") {
            break;
        }
        let Some(headers_end) = find(body, b"\r\n\r\n", at) else {
            break;
        };
        let headers = String::from_utf8_lossy(&body[at..headers_end]).into_owned();
        let content_start = headers_end + 4;
        let mut closing = b"\r\n".to_vec();
        closing.extend_from_slice(&delimiter);
        let Some(content_end) = find(body, &closing, content_start) else {
            break;
        };
        let disposition = headers.lines().find(|line| {
            line.to_ascii_lowercase()
                .starts_with("content-disposition:")
        });
        if let Some(name) = disposition.and_then(|d| parameter(d, "name")) {
            parts.push(Part {
                name,
                file_name: disposition.and_then(|d| parameter(d, "filename")),
                bytes: body[content_start..content_end].to_vec(),
            });
        }
        at = content_end + closing.len();
    }
    Some(parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multipart_bodies_yield_their_fields_and_files() {
        let body = b"--XyZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\nabc\r\n--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"c.csv\"\r\nContent-Type: text/csv\r\n\r\nname,email\r\nA,a@x.io\r\n\r\n--XyZ--\r\n";
        let parts = multipart("multipart/form-data; boundary=XyZ", body).expect("multipart");
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0].name, "csrf");
        assert_eq!(parts[0].bytes, b"abc");
        assert_eq!(parts[1].file_name.as_deref(), Some("c.csv"));
        assert_eq!(parts[1].bytes, b"name,email\r\nA,a@x.io\r\n");
        assert!(multipart("application/x-www-form-urlencoded", body).is_none());
        assert!(multipart("multipart/form-data", body).is_none());
        let quoted = multipart("multipart/form-data; boundary=\"XyZ\"", body).expect("quoted");
        assert_eq!(quoted.len(), 2);
        assert_eq!(
            multipart(
                "multipart/form-data; boundary=XyZ",
                b"--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\ncut off"
            )
            .expect("multipart"),
            vec![]
        );
    }
}
