//! Reading request bodies: JSON whose errors name the offending field, and
//! the form and multipart bodies pages post. Handlers read form bodies by
//! hand rather than through `axum::Form` so a malformed form still gets a
//! page, not a plain-text rejection, and repeated fields keep their order.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{header, StatusCode};
use serde::de::DeserializeOwned;

use super::error::{ApiError, ApiResult};

/// A JSON request body whose errors name the offending field
/// (`{"error": {"field": "role"}}`) and use the API's error shape.
pub(crate) struct JsonBody<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_json = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json"));
        if !is_json {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "send the body as JSON with `Content-Type: application/json`",
            ));
        }
        let bytes = Bytes::from_request(request, state)
            .await
            .map_err(body_error)?;
        parse_json(&bytes).map(JsonBody)
    }
}

pub(crate) fn body_error(rejection: axum::extract::rejection::BytesRejection) -> ApiError {
    if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            "the request body is larger than this server accepts",
        )
    } else {
        ApiError::bad_request(format!("could not read the request body: {rejection}"))
    }
}

pub(crate) fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> ApiResult<T> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
        let path = error.path().to_string();
        let inner = error.into_inner();
        let (status, code) = if inner.is_syntax() || inner.is_eof() {
            (StatusCode::BAD_REQUEST, "bad_json")
        } else {
            (StatusCode::UNPROCESSABLE_ENTITY, "invalid")
        };
        let api_error = ApiError::new(status, code, format!("{inner}"));
        if path == "." || path.is_empty() {
            api_error
        } else {
            api_error.field(path)
        }
    })
}

/// `application/x-www-form-urlencoded` decoding; malformed escapes are kept
/// literally rather than rejected.
pub(crate) fn url_decode_pairs(body: &[u8]) -> Vec<(String, String)> {
    fn hex_value(byte: u8) -> Option<u8> {
        (byte as char)
            .to_digit(16)
            .and_then(|digit| u8::try_from(digit).ok())
    }
    fn decode(part: &[u8]) -> String {
        let mut out = Vec::with_capacity(part.len());
        let mut index = 0;
        while index < part.len() {
            let byte = part[index];
            let escaped = match (byte, part.get(index + 1), part.get(index + 2)) {
                (b'%', Some(&high), Some(&low)) => {
                    hex_value(high).zip(hex_value(low)).map(|(h, l)| h * 16 + l)
                }
                _ => None,
            };
            match (byte, escaped) {
                (_, Some(decoded)) => {
                    out.push(decoded);
                    index += 3;
                }
                (b'+', None) => {
                    out.push(b' ');
                    index += 1;
                }
                (other, None) => {
                    out.push(other);
                    index += 1;
                }
            }
        }
        String::from_utf8_lossy(&out).into_owned()
    }
    body.split(|b| *b == b'&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let mut split = pair.splitn(2, |b| *b == b'=');
            let key = split.next().unwrap_or(&[]);
            let value = split.next().unwrap_or(&[]);
            (decode(key), decode(value))
        })
        .collect()
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
        self.first(name)
            .map(super::text::normalise)
            .unwrap_or_default()
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
    fn form_bodies_decode() {
        assert_eq!(
            url_decode_pairs(b"csrf=a%2Bb&email=x%40y.z&note=hello+world&bad=%zz&end=%4"),
            vec![
                ("csrf".to_string(), "a+b".to_string()),
                ("email".to_string(), "x@y.z".to_string()),
                ("note".to_string(), "hello world".to_string()),
                ("bad".to_string(), "%zz".to_string()),
                ("end".to_string(), "%4".to_string()),
            ]
        );
    }

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
