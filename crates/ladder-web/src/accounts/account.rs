use askama::Template;

use crate::format::{encode_component, role_label};
use crate::moment::Moment;
use crate::view::{render, Layout, Page};

/// The account page: who is logged in and their API tokens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountView {
    pub email: String,
    /// The role's name (`hiring_manager`).
    pub role: String,
    pub tokens: Vec<TokenRow>,
}

/// One API token as the account page lists it (never its secret).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenRow {
    pub id: String,
    pub name: String,
    /// Already formatted for display.
    pub created: Moment,
    /// Already formatted; `None` when never used.
    pub last_used: Option<Moment>,
}

struct TokenRowView<'a> {
    name: &'a str,
    created: &'a Moment,
    last_used: Option<&'a Moment>,
    revoke_action: String,
}

#[derive(Template)]
#[template(path = "accounts/account.html")]
struct AccountTemplate<'a> {
    layout: Layout<'a>,
    account: &'a AccountView,
    role: String,
    tokens: Vec<TokenRowView<'a>>,
}

/// The account page; each token has a Revoke form (POST with the page's CSRF
/// token to `/account/tokens/{id}/revoke`), so it works without JavaScript.
pub fn account(page: &Page, account: &AccountView) -> String {
    let tokens = account
        .tokens
        .iter()
        .map(|token| TokenRowView {
            name: &token.name,
            created: &token.created,
            last_used: token.last_used.as_ref(),
            revoke_action: format!("/account/tokens/{}/revoke", encode_component(&token.id)),
        })
        .collect();
    render(&AccountTemplate {
        layout: Layout::new(page),
        account,
        role: role_label(&account.role),
        tokens,
    })
}
