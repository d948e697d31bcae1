//! Credentials: Argon2id password hashes, random secrets stored only as hashes,
//! cookies, and who the caller is.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;
use std::time::Duration;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use axum::http::HeaderMap;
use base64::Engine;
use ladder_store::{User, UserCredentials};
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

/// A hash of a random password nobody knows, made once per process with the
/// same parameters as every stored hash: logins for unknown e-mails and
/// disabled accounts verify against it, so that they take as long as a wrong
/// password for a real account and the time does not tell which e-mails exist.
fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        // If hashing could fail here it fails for real passwords too; an
        // unparsable hash still costs nothing, which is the best left to do.
        hash_password(&random_secret()).unwrap_or_default()
    })
}

/// How many logins verified against the dummy hash (observable in tests).
static DUMMY_VERIFICATIONS: AtomicU64 = AtomicU64::new(0);

/// Whether `password` logs in as the user `credentials` describes (`None`:
/// no user has that e-mail). Exactly one Argon2id verification runs whatever
/// the answer: against the user's hash, or against the dummy hash for an
/// unknown e-mail, a disabled account or an account without a password.
pub fn verify_login(credentials: Option<&UserCredentials>, password: &str) -> bool {
    let real = credentials
        .filter(|credentials| !credentials.user.disabled)
        .and_then(|credentials| credentials.password_hash.as_deref());
    match real {
        Some(hash) => verify_password(password, hash),
        None => {
            DUMMY_VERIFICATIONS.fetch_add(1, Ordering::Relaxed);
            // The answer is no whatever the dummy verification says.
            let _ = verify_password(password, dummy_hash());
            false
        }
    }
}

/// The shortest password a person may choose, in characters.
pub const PASSWORD_MIN_CHARS: usize = 10;
/// The longest, in bytes (Argon2id hashes any length; this bounds the work).
pub const PASSWORD_MAX_BYTES: usize = 1024;
/// zxcvbn's score (0–4) a password must reach: 3 is "safely unguessable:
/// moderate protection from offline slow-hash scenario".
const PASSWORD_MIN_SCORE: u8 = 3;

/// Checks a password a person chose; the sentence says why it is refused
/// and what to do. `user_inputs` are words an attacker would try first (the
/// parts of the user's e-mail address).
pub fn password_problem(password: &str, user_inputs: &[&str]) -> Option<String> {
    if password.chars().count() < PASSWORD_MIN_CHARS {
        return Some(format!(
            "Choose a password of at least {PASSWORD_MIN_CHARS} characters."
        ));
    }
    if password.len() > PASSWORD_MAX_BYTES {
        return Some(format!(
            "Choose a password of at most {PASSWORD_MAX_BYTES} bytes."
        ));
    }
    let estimate = zxcvbn::zxcvbn(password, user_inputs);
    if u8::from(estimate.score()) >= PASSWORD_MIN_SCORE {
        return None;
    }
    let mut sentence = String::from("This password is too easy to guess.");
    if let Some(feedback) = estimate.feedback() {
        if let Some(warning) = feedback.warning() {
            sentence.push(' ');
            sentence.push_str(&warning.to_string());
        }
        for suggestion in feedback.suggestions() {
            sentence.push(' ');
            sentence.push_str(&suggestion.to_string());
        }
    }
    if !sentence.contains("word") {
        sentence.push_str(" A few uncommon words together make a strong password.");
    }
    Some(sentence)
}

/// The words of an e-mail address a password should not be made of: the
/// whole address and each run of letters or digits in it.
pub fn email_words(email: &str) -> Vec<&str> {
    std::iter::once(email)
        .chain(email.split(|c: char| !c.is_alphanumeric()))
        .filter(|word| word.chars().count() >= 3)
        .collect()
}

pub use super::text::parse_email;

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
    fn unknown_and_disabled_accounts_verify_against_the_dummy_hash() {
        let hash = hash_password("correct horse battery").expect("hash");
        let user = User {
            id: "u1".into(),
            email: "ada@example.com".into(),
            role: ladder_core::access::Role::Member,
            must_change_password: false,
            disabled: false,
            created_at: 0,
        };
        let active = UserCredentials {
            user: user.clone(),
            password_hash: Some(hash.clone()),
        };
        let disabled = UserCredentials {
            user: User {
                disabled: true,
                ..user.clone()
            },
            password_hash: Some(hash),
        };
        let without_password = UserCredentials {
            user,
            password_hash: None,
        };
        // The dummy hash is a real Argon2id hash with the parameters every
        // stored hash has, so verifying against it costs the same.
        let dummy = PasswordHash::new(dummy_hash()).expect("the dummy hash parses");
        let real = hash_password("x").expect("hash");
        let real = PasswordHash::new(&real).expect("parses");
        assert_eq!(dummy.algorithm, real.algorithm);
        assert_eq!(dummy.version, real.version);
        assert_eq!(dummy.params, real.params);

        let dummies = || DUMMY_VERIFICATIONS.load(Ordering::Relaxed);
        let before = dummies();
        assert!(verify_login(Some(&active), "correct horse battery"));
        assert!(!verify_login(Some(&active), "wrong"));
        assert_eq!(dummies(), before, "a real account verifies its own hash");
        assert!(!verify_login(None, "correct horse battery"));
        assert!(!verify_login(Some(&disabled), "correct horse battery"));
        assert!(!verify_login(Some(&without_password), "anything at all"));
        // Other tests may log in concurrently; these three at least.
        assert!(dummies() >= before + 3);
    }

    #[test]
    fn weak_and_common_passwords_are_refused_with_a_reason() {
        for weak in ["aaaaaaaaaa", "password123", "qwertyuiop", "1234567890"] {
            let problem = password_problem(weak, &[]).unwrap_or_else(|| panic!("{weak} passed"));
            assert!(
                problem.starts_with("This password is too easy to guess. "),
                "{problem}"
            );
            assert!(problem.ends_with('.'), "{problem}");
        }
        assert_eq!(
            password_problem("password123", &[]).as_deref(),
            Some("This password is too easy to guess. This is a very common password. Add another word or two. Uncommon words are better.")
        );
        assert_eq!(
            password_problem("short", &[]).as_deref(),
            Some("Choose a password of at least 10 characters.")
        );
        assert!(password_problem(&"x".repeat(1025), &[]).is_some());
        // The user's own e-mail makes a weak password.
        let inputs = email_words("zorbulon.quixatrel@vexmoor.example");
        assert_eq!(
            inputs,
            [
                "zorbulon.quixatrel@vexmoor.example",
                "zorbulon",
                "quixatrel",
                "vexmoor",
                "example"
            ]
        );
        assert_eq!(password_problem("zorbulonquixatrel", &[]), None);
        assert!(password_problem("zorbulonquixatrel", &inputs).is_some());
        for strong in [
            "my own long password",
            "correct horse battery staple",
            "Tr0ub4dor&3-kettle-violin",
        ] {
            assert_eq!(password_problem(strong, &[]), None, "{strong}");
        }
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
