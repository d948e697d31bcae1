use askama::Template;

use crate::format::{encode_component, role_label};
use crate::moment::Moment;
use crate::view::{render, Layout, Page};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserRow {
    pub id: String,
    pub email: String,
    pub role: String,
    pub disabled: bool,
    /// Already formatted for display.
    pub created: Moment,
}

#[derive(Template)]
#[template(path = "accounts/users.html")]
struct UsersTemplate<'a> {
    layout: Layout<'a>,
    rows: Vec<UserRowView<'a>>,
    new_user_roles: Vec<RoleOption<'a>>,
    public_browsing: bool,
    progression: &'a ProgressionSettings,
}

/// The progression part of the admin settings form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProgressionSettings {
    /// As typed, or the current threshold ("80%").
    pub threshold: String,
    /// Why the typed threshold was refused.
    pub error: Option<String>,
}

impl Default for ProgressionSettings {
    fn default() -> ProgressionSettings {
        ProgressionSettings {
            threshold: "80%".to_string(),
            error: None,
        }
    }
}

struct UserRowView<'a> {
    /// For element ids: only characters that are safe in one.
    dom_id: String,
    email: &'a str,
    roles: Vec<RoleOption<'a>>,
    disabled: bool,
    created: &'a Moment,
    role_action: String,
    disable_action: String,
}

struct RoleOption<'a> {
    value: &'a str,
    label: String,
    selected: bool,
}

/// The admin's user list, add-user form and settings.
pub fn users(page: &Page, users: &[UserRow], roles: &[&str], public_browsing: bool) -> String {
    users_with_settings(
        page,
        users,
        roles,
        public_browsing,
        &ProgressionSettings::default(),
    )
}

/// [`users`] with the progression threshold as stored (or as typed, with its
/// problem).
pub fn users_with_settings(
    page: &Page,
    users: &[UserRow],
    roles: &[&str],
    public_browsing: bool,
    progression: &ProgressionSettings,
) -> String {
    let options = |chosen: &str| -> Vec<RoleOption<'_>> {
        roles
            .iter()
            .map(|&role| RoleOption {
                value: role,
                label: role_label(role),
                selected: role == chosen,
            })
            .collect()
    };
    // Adding someone as an admin by accident is the costly mistake, so the form
    // starts on the least privileged role the host lists.
    let default_role = roles
        .iter()
        .copied()
        .find(|&r| r == "member")
        .or_else(|| roles.last().copied())
        .unwrap_or_default();
    let rows = users
        .iter()
        .map(|user| {
            let id = encode_component(&user.id);
            UserRowView {
                dom_id: id.replace('%', "_"),
                email: &user.email,
                roles: options(&user.role),
                disabled: user.disabled,
                created: &user.created,
                role_action: format!("/admin/users/{id}/role"),
                disable_action: format!("/admin/users/{id}/disable"),
            }
        })
        .collect();
    render(&UsersTemplate {
        layout: Layout::new(page),
        rows,
        new_user_roles: options(default_role),
        public_browsing,
        progression,
    })
}
