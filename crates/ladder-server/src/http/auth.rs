//! Credentials: Argon2id password hashes, random secrets stored only as hashes,
//! cookies, and who the caller is.

use std::time::Duration;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use axum::http::HeaderMap;
use base64::Engine;
use ladder_store::User;
use rand::RngCore;
use sha2::{Digest, Sha256};

pub const SESSION_COOKIE: &str = "ladder_session";
pub const LOGIN_CSRF_COOKIE: &str = "ladder_login_csrf";
pub const SESSION_LIFETIME: Duration = Duration::from_secs(14 * 24 * 3600);

/// A random secret: 256 bits, URL-safe base64.
pub fn random_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// A password people can type once: 20 characters from an unambiguous alphabet.
pub fn random_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut bytes = [0u8; 20];
    rand::rng().fill_bytes(&mut bytes);
    bytes
        .iter()
        .map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char)
        .collect()
}

/// Secrets (session and API tokens) are stored as their SHA-256: they are long
/// and random, so a slow hash adds nothing, and lookups stay indexed.
pub fn secret_hash(secret: &str) -> String {
    let digest = Sha256::digest(secret.as_bytes());
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(digest)
}

pub fn hash_password(password: &str) -> Result<String, String> {
    let mut salt = [0u8; 16];
    rand::rng().fill_bytes(&mut salt);
    let salt = SaltString::encode_b64(&salt).map_err(|error| error.to_string())?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|error| error.to_string())
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    match PasswordHash::new(hash) {
        Ok(parsed) => Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

/// Checks a new password; the message says what to change.
pub fn password_problem(password: &str) -> Option<&'static str> {
    if password.chars().count() < 10 {
        Some("choose a password of at least 10 characters")
    } else if password.len() > 1024 {
        Some("choose a password of at most 1024 bytes")
    } else {
        None
    }
}

pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}

pub fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    let value = headers
        .get(axum::http::header::AUTHORIZATION)?
        .to_str()
        .ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

/// Whether the client reached us over HTTPS (directly or through a proxy that
/// says so), so cookies can be marked `Secure`.
pub fn is_https(headers: &HeaderMap, force_secure: bool) -> bool {
    force_secure
        || headers
            .get("x-forwarded-proto")
            .and_then(|value| value.to_str().ok())
            .is_some_and(|proto| proto.eq_ignore_ascii_case("https"))
}

pub fn set_cookie(
    name: &str,
    value: &str,
    max_age: Duration,
    secure: bool,
    same_site: &str,
) -> String {
    format!(
        "{name}={value}; Path=/; Max-Age={}; HttpOnly; SameSite={same_site}{}",
        max_age.as_secs(),
        if secure { "; Secure" } else { "" }
    )
}

pub fn clear_cookie(name: &str) -> String {
    format!("{name}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax")
}

/// How a request was authenticated.
#[derive(Debug, Clone)]
pub enum Credential {
    Anonymous,
    /// A browser session; state changes need its CSRF token.
    Session {
        token_hash: String,
        csrf: String,
    },
    /// An API token; no cookies are involved, so no CSRF.
    Token,
}

/// The authenticated caller, put in request extensions by the authorisation
/// middleware.
#[derive(Debug, Clone)]
pub struct Principal {
    pub user: Option<User>,
    pub credential: Credential,
}

impl Principal {
    /// Who to name in the audit log for this caller's changes.
    pub fn actor(&self) -> ladder_store::Actor {
        self.user
            .as_ref()
            .map(ladder_store::Actor::user)
            .unwrap_or_else(ladder_store::Actor::system)
    }

    pub fn csrf(&self) -> Option<&str> {
        match &self.credential {
            Credential::Session { csrf, .. } => Some(csrf),
            _ => None,
        }
    }
}

/// Who a request acts for, as the access layer established it: a user, the
/// candidate whose secret link was followed (by the token's hash), or nobody.
/// Layers that key state on the caller (idempotency, rate limits) read this
/// and need not know how the caller was authenticated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Caller {
    User(String),
    Candidate(String),
    Anonymous,
}

impl Caller {
    /// A stable name for keying state, or `None` for an anonymous caller.
    pub(crate) fn scope(&self) -> Option<String> {
        match self {
            Caller::User(id) => Some(format!("user:{id}")),
            Caller::Candidate(token_hash) => Some(format!("candidate:{token_hash}")),
            Caller::Anonymous => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_hash_with_argon2id_and_verify() {
        let hash = hash_password("correct horse battery").expect("hash");
        assert!(hash.starts_with("$argon2id$"), "{hash}");
        assert!(verify_password("correct horse battery", &hash));
        assert!(!verify_password("wrong", &hash));
        assert!(!verify_password("x", "not a hash"));
    }

    #[test]
    fn secrets_are_random_and_hashed() {
        let a = random_secret();
        assert_ne!(a, random_secret());
        assert_eq!(a.len(), 43);
        assert_ne!(secret_hash(&a), a);
        assert_eq!(secret_hash(&a), secret_hash(&a));
        assert_eq!(random_password().len(), 20);
    }

    #[test]
    fn cookies_and_bearer_tokens_are_read_from_headers() {
        let mut headers = HeaderMap::new();
        headers.insert(
            "cookie",
            "a=1; ladder_session=abc; b=2".parse().expect("header"),
        );
        headers.insert("authorization", "Bearer tok123".parse().expect("header"));
        assert_eq!(cookie(&headers, SESSION_COOKIE), Some("abc"));
        assert_eq!(cookie(&headers, "missing"), None);
        assert_eq!(bearer_token(&headers), Some("tok123"));
    }
}
