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

/// The NUL character as JSON must write it: raw control characters are not
/// allowed in JSON strings, so a NUL can only arrive as this escape.
const JSON_NUL: &[u8] = b"\\u0000";

/// Says that `field` holds a NUL character, which Ladder does not take as
/// text (PostgreSQL cannot store it, and no person types it).
pub(crate) fn nul_message(field: &str) -> String {
    if field.is_empty() {
        "the request contains a NUL character (U+0000), which is not text; remove it".to_string()
    } else {
        format!("`{field}` contains a NUL character (U+0000), which is not text; remove it")
    }
}

/// Whether `value` holds a NUL character in a string or a key; if so,
/// `path` is extended to it (`competencies[2].name`, in the notation of the
/// type errors; empty for a body that is one string).
fn nul_path(value: &serde_json::Value, path: &mut String) -> bool {
    match value {
        serde_json::Value::String(text) => text.contains('\0'),
        serde_json::Value::Array(items) => items.iter().enumerate().any(|(index, item)| {
            let length = path.len();
            path.push_str(&format!("[{index}]"));
            let found = nul_path(item, path);
            if !found {
                path.truncate(length);
            }
            found
        }),
        serde_json::Value::Object(map) => map.iter().any(|(key, item)| {
            let length = path.len();
            if !path.is_empty() {
                path.push('.');
            }
            path.push_str(&key.replace('\0', "\u{2400}"));
            let found = key.contains('\0') || nul_path(item, path);
            if !found {
                path.truncate(length);
            }
            found
        }),
        _ => false,
    }
}

/// A 422 naming the first field of a JSON body that holds a NUL character.
fn refuse_json_nul(bytes: &[u8]) -> ApiResult<()> {
    if !bytes
        .windows(JSON_NUL.len())
        .any(|window| window == JSON_NUL)
    {
        return Ok(());
    }
    // Unreadable JSON is left to the typed parse, which says where.
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(bytes) else {
        return Ok(());
    };
    let mut path = String::new();
    if !nul_path(&value, &mut path) {
        return Ok(());
    }
    let error = ApiError::unprocessable(nul_message(&path));
    Err(if path.is_empty() {
        error
    } else {
        error.field(path)
    })
}

/// A JSON body as `T`; every error names its field: a type error, or a NUL
/// character in any string (422, before the body is read as `T`).
pub(crate) fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> ApiResult<T> {
    refuse_json_nul(bytes)?;
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
        let path = error.path().to_string();
        let inner = error.into_inner();
        let (status, code) = if inner.is_syntax() || inner.is_eof() {
            (StatusCode::BAD_REQUEST, "bad_json")
        } else {
            (StatusCode::UNPROCESSABLE_ENTITY, "invalid")
        };
        let api_error = ApiError::new(status, code, plain_serde_message(&inner.to_string()));
        if path == "." || path.is_empty() {
            api_error
        } else {
            api_error.field(path)
        }
    })
}

/// serde's messages name Rust types ("expected struct NewJobSpec",
/// "expected u32"); clients know JSON's.
fn plain_serde_message(message: &str) -> String {
    const MARK: &str = "expected ";
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(at) = rest.find(MARK) {
        out.push_str(&rest[..at + MARK.len()]);
        rest = &rest[at + MARK.len()..];
        let word = |text: &str| -> usize {
            text.find(|c: char| !(c.is_alphanumeric() || c == '_'))
                .unwrap_or(text.len())
        };
        let first = &rest[..word(rest)];
        let (plain, skip) = match first {
            "struct" => {
                let name_start = (first.len() + 1).min(rest.len());
                ("a JSON object", name_start + word(&rest[name_start..]))
            }
            "map" => ("a JSON object", first.len()),
            "u8" | "u16" | "u32" | "u64" | "usize" | "i8" | "i16" | "i32" | "i64" | "isize" => {
                ("a whole number", first.len())
            }
            "f32" | "f64" => ("a number", first.len()),
            _ => continue,
        };
        out.push_str(plain);
        rest = &rest[skip..];
    }
    out.push_str(rest);
    out
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

/// The first field of a form body (`application/x-www-form-urlencoded` or
/// `multipart/form-data`) whose name or value holds a NUL character. The
/// contents of uploaded files are not looked at: the reader of each kind of
/// file says where its problems are (a CSV file, by line).
pub(crate) fn nul_field(content_type: &str, body: &[u8]) -> Option<String> {
    let shown = |name: &str| name.replace('\0', "\u{2400}");
    if let Some(parts) = multipart(content_type, body) {
        return parts
            .iter()
            .find(|part| {
                part.name.contains('\0')
                    || match &part.file_name {
                        Some(file_name) => file_name.contains('\0'),
                        None => part.bytes.contains(&0),
                    }
            })
            .map(|part| shown(&part.name));
    }
    url_decode_pairs(body)
        .iter()
        .find(|(key, value)| key.contains('\0') || value.contains('\0'))
        .map(|(key, _)| shown(key))
}

/// Whether a request carries a form (the bodies [`nul_field`] reads).
pub(crate) fn is_form(content_type: &str) -> bool {
    let content_type = content_type.trim_start().to_ascii_lowercase();
    content_type.starts_with("application/x-www-form-urlencoded")
        || content_type.starts_with("multipart/form-data")
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
    #[test]
    fn serde_messages_name_json_types_not_rust_ones() {
        use super::plain_serde_message as plain;
        assert_eq!(
            plain("invalid type: null, expected struct NewJobSpec at line 1 column 4"),
            "invalid type: null, expected a JSON object at line 1 column 4"
        );
        assert_eq!(
            plain("invalid type: string \"x\", expected u32"),
            "invalid type: string \"x\", expected a whole number"
        );
        assert_eq!(
            plain("invalid type: map, expected f64"),
            "invalid type: map, expected a number"
        );
        assert_eq!(
            plain("unknown field `x`, expected one of `a`, `b`"),
            "unknown field `x`, expected one of `a`, `b`"
        );
        assert_eq!(plain("expected map"), "expected a JSON object");
    }

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
    fn nul_characters_in_json_are_refused_naming_the_field() {
        #[derive(serde::Deserialize, Debug)]
        struct Body {
            #[allow(dead_code)]
            competencies: Vec<serde_json::Value>,
        }
        let error = parse_json::<Body>(
            br#"{"competencies": [{"name": "a"}, {"name": "b"}, {"name": "c\u0000d"}]}"#,
        )
        .expect_err("NUL");
        assert_eq!(error.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(error.field.as_deref(), Some("competencies[2].name"));
        assert_eq!(
            error.message,
            "`competencies[2].name` contains a NUL character (U+0000), which is not text; remove it"
        );
        let key = parse_json::<serde_json::Value>(br#"{"a": {"b\u0000": 1}}"#).expect_err("key");
        assert_eq!(key.field.as_deref(), Some("a.b\u{2400}"));
        let whole = parse_json::<String>(br#""\u0000""#).expect_err("whole");
        assert_eq!(whole.field, None);
        // An escaped backslash before "u0000" is text, not a NUL.
        let fine: Body = parse_json(br#"{"competencies": ["\\u0000"]}"#).expect("no NUL");
        assert_eq!(fine.competencies, vec![serde_json::json!("\\u0000")]);
    }

    #[test]
    fn nul_characters_in_forms_name_the_field_but_files_are_left_to_their_readers() {
        let form = "application/x-www-form-urlencoded";
        assert_eq!(
            nul_field(form, b"csrf=x&email=a%00b&name=c"),
            Some("email".into())
        );
        assert_eq!(nul_field(form, b"csrf=x&email=a%2500b"), None);
        let multi = "multipart/form-data; boundary=XyZ";
        let body =
            b"--XyZ\r\nContent-Disposition: form-data; name=\"csv\"\r\n\r\na\x00b\r\n--XyZ--\r\n";
        assert_eq!(nul_field(multi, body), Some("csv".into()));
        let file = b"--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"c.csv\"\r\n\r\na\x00b\r\n--XyZ--\r\n";
        assert_eq!(nul_field(multi, file), None);
        assert!(is_form("multipart/form-data; boundary=x"));
        assert!(is_form("application/x-www-form-urlencoded"));
        assert!(!is_form("application/json"));
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
