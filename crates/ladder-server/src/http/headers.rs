//! The security headers every response carries — pages, the API, static
//! files, errors and not-found answers alike — put on by the outermost
//! layers of the router.
//!
//! The content security policy allows only Ladder's own script and
//! stylesheet (`/static/app.js`, `/static/app.css`): no inline script, no
//! `on…=` attributes, no `style=` attributes, no `javascript:` links. The
//! exceptions are what the app really does: `data:` images (none today, but
//! harmless), `blob:` media for the candidate's recording preview, and
//! `connect-src 'self'` for the recording upload and the assessment editor's
//! saves.

use axum::extract::{Request, State};
use axum::http::header::{
    CONTENT_SECURITY_POLICY, REFERRER_POLICY, STRICT_TRANSPORT_SECURITY, X_CONTENT_TYPE_OPTIONS,
    X_FRAME_OPTIONS,
};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use axum::Router;
use tower_http::set_header::SetResponseHeaderLayer;

use super::auth::is_https;

/// The content security policy of every response.
pub(crate) const CONTENT_SECURITY_POLICY_VALUE: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; media-src 'self' blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// `same-origin` rather than `no-referrer`: no address (a candidate's secret
/// link above all) leaves the site, while same-origin form posts keep a real
/// `Origin` header (`no-referrer` makes it `null`).
pub(crate) const REFERRER_POLICY_VALUE: &str = "same-origin";

/// HSTS for a year, sent when the site is reached over HTTPS.
pub(crate) const STRICT_TRANSPORT_SECURITY_VALUE: &str = "max-age=31536000";

/// Adds `Strict-Transport-Security` when cookies are secure: configured so
/// (`secure_cookies`), or the request came over HTTPS (`X-Forwarded-Proto`),
/// the same rule the cookies follow. Browsers ignore it over plain HTTP.
async fn strict_transport(
    State(secure_cookies): State<bool>,
    request: Request,
    next: Next,
) -> Response {
    let https = is_https(request.headers(), secure_cookies);
    let mut response = next.run(request).await;
    if https {
        response.headers_mut().insert(
            STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(STRICT_TRANSPORT_SECURITY_VALUE),
        );
    }
    response
}

/// `router` with the security headers on every response it gives, whatever
/// answered: a handler, a layer that refused, or the fallback.
pub(crate) fn secure(router: Router, secure_cookies: bool) -> Router {
    router
        .layer(axum::middleware::from_fn_with_state(
            secure_cookies,
            strict_transport,
        ))
        .layer(SetResponseHeaderLayer::overriding(
            CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY_VALUE),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            REFERRER_POLICY,
            HeaderValue::from_static(REFERRER_POLICY_VALUE),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policy_allows_no_inline_script_and_no_framing() {
        let directives: Vec<&str> = CONTENT_SECURITY_POLICY_VALUE
            .split(';')
            .map(str::trim)
            .collect();
        assert!(directives.contains(&"script-src 'self'"));
        assert!(directives.contains(&"frame-ancestors 'none'"));
        assert!(directives.contains(&"object-src 'none'"));
        assert!(!CONTENT_SECURITY_POLICY_VALUE.contains("unsafe"));
        assert!(HeaderValue::from_str(CONTENT_SECURITY_POLICY_VALUE).is_ok());
    }
}
