use askama::Template;

use crate::view::{render, Layout, Page};

#[derive(Template)]
#[template(path = "accounts/login.html")]
struct LoginTemplate<'a> {
    layout: Layout<'a>,
    error: Option<&'a str>,
    next: &'a str,
    login_csrf: &'a str,
}

/// The login form; `next` is where to go after logging in, `login_csrf` the
/// pre-session CSRF token.
pub fn login(page: &Page, error: Option<&str>, next: &str, login_csrf: &str) -> String {
    render(&LoginTemplate {
        layout: Layout::new(page),
        error,
        next,
        login_csrf,
    })
}

#[derive(Template)]
#[template(path = "accounts/change_password.html")]
struct ChangePasswordTemplate<'a> {
    layout: Layout<'a>,
    error: Option<&'a str>,
}

pub fn change_password(page: &Page, error: Option<&str>) -> String {
    render(&ChangePasswordTemplate {
        layout: Layout::new(page),
        error,
    })
}
