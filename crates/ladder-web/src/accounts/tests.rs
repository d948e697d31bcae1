//! The account pages' forms, checked on the hooks the server relies on.

use super::*;
use crate::test_support::{count, element, nav, page};

#[test]
fn login_and_password_forms() {
    let nav = nav();
    let html = login(
        &page(&nav, None),
        Some("Wrong email or password"),
        "/frameworks/x?level=2",
        "login-token",
    );
    let form = element(&html, "<form class=\"stacked\"", "form");
    assert!(form.contains("method=\"post\" action=\"/login\""));
    assert!(form.contains("<input type=\"hidden\" name=\"csrf\" value=\"login-token\">"));
    assert!(form.contains("<input type=\"hidden\" name=\"next\" value=\"/frameworks/x?level=2\">"));
    assert!(form.contains("name=\"email\""));
    assert!(form.contains("name=\"password\""));
    assert!(html.contains("<p class=\"error\" role=\"alert\">Wrong email or password</p>"));
    assert!(!login(&page(&nav, None), None, "/", "t").contains("class=\"error\""));

    let html = change_password(&page(&nav, None), Some("Too short"));
    let form = element(&html, "<form class=\"stacked\"", "form");
    assert!(form.contains("action=\"/account/password\""));
    assert!(form.contains("name=\"csrf\" value=\"tok&#34;en\""));
    assert!(form.contains("name=\"current\""));
    assert!(form.contains("name=\"new_password\""));
    assert!(html.contains("<p class=\"error\" role=\"alert\">Too short</p>"));
}

#[test]
fn users_page_forms() {
    let nav = nav();
    let rows = [
        UserRow {
            id: "u1".into(),
            email: "ada@example.com".into(),
            role: "admin".into(),
            disabled: false,
            created: "2024-01-01".into(),
        },
        UserRow {
            id: "u/2".into(),
            email: "bo@example.com".into(),
            role: "interviewer".into(),
            disabled: true,
            created: "2024-01-02".into(),
        },
    ];
    let roles = ["admin", "hiring_manager", "interviewer", "member"];
    let html = users(&page(&nav, None), &rows, &roles, true);
    assert!(html.contains("<table class=\"users\">"));
    assert!(html.contains("action=\"/admin/users/u1/role\""));
    assert!(html.contains("action=\"/admin/users/u1/disable\""));
    assert!(html.contains("action=\"/admin/users/u%2F2/role\""));
    // A disabled user has no disable button.
    assert!(!html.contains("/admin/users/u%2F2/disable"));
    assert!(html.contains("<option value=\"interviewer\" selected>Interviewer</option>"));
    let add = element(&html, "<form class=\"add-user\"", "form");
    assert!(add.contains("action=\"/admin/users\""));
    assert!(add.contains("name=\"email\""));
    assert!(add.contains("<option value=\"member\" selected>Member</option>"));
    let settings = element(&html, "<form class=\"settings\"", "form");
    assert!(settings.contains("action=\"/admin/settings\""));
    assert!(settings.contains("name=\"public_browsing\" checked"));
    assert!(settings.contains("Anyone can browse frameworks without logging in"));
    // Every POST form carries the CSRF token.
    assert_eq!(
        count(&html, "method=\"post\""),
        count(&html, "name=\"csrf\" value=\"tok&#34;en\"")
    );
    let html = users(&page(&nav, None), &rows, &roles, false);
    assert!(!html.contains("name=\"public_browsing\" checked"));
}

#[test]
fn account_page_lists_tokens_with_revoke_forms() {
    let nav = nav();
    let view = AccountView {
        email: "ada@example.com".into(),
        role: "hiring_manager".into(),
        tokens: vec![
            TokenRow {
                id: "t/1".into(),
                name: "<ci>".into(),
                created: "2024-01-01T00:00:00Z".into(),
                last_used: Some("2024-02-01T10:00:00Z".into()),
            },
            TokenRow {
                id: "t2".into(),
                name: "laptop".into(),
                created: "2024-01-02T00:00:00Z".into(),
                last_used: None,
            },
        ],
    };
    let html = account(&page(&nav, None), &view);
    assert!(
        html.contains("<strong class=\"account-email\">ada@example.com</strong> (Hiring Manager)")
    );
    assert!(html.contains("href=\"/account/password\""));
    let table = element(&html, "<table class=\"tokens\">", "table");
    assert!(
        table.contains("<th scope=\"row\">&#60;ci&#62;</th>"),
        "{table}"
    );
    assert!(
        table.contains("<td><time datetime=\"2024-02-01T10:00:00Z\""),
        "{table}"
    );
    assert!(table.contains("<td>Never</td>"));
    assert!(table.contains("method=\"post\" action=\"/account/tokens/t%2F1/revoke\""));
    assert!(table.contains("action=\"/account/tokens/t2/revoke\""));
    assert_eq!(count(table, "name=\"csrf\" value=\"tok&#34;en\""), 2);
    assert_eq!(count(table, ">Revoke</button>"), 2);

    let empty = AccountView {
        tokens: Vec::new(),
        ..view
    };
    let html = account(&page(&nav, None), &empty);
    assert!(html.contains("You have no API tokens."));
    assert!(!html.contains("<table class=\"tokens\">"));
}
