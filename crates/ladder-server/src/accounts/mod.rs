//! Accounts: logging in and out, one's own password and API tokens, users and
//! roles (admins), run-time settings, API identity and the audit log.

mod account;
mod api;
mod pages;
mod session;
mod tokens;
mod users;

use ladder_core::access::Action::{ManageOwnAccount, ManageUsers, Public, ReadAudit};
use utoipa_axum::routes;

use crate::http::routes::Route;

pub(crate) fn routes() -> Vec<Route> {
    vec![
        Route::api(routes!(api::me), ManageOwnAccount),
        Route::api(routes!(api::tokens), ManageOwnAccount),
        Route::api(routes!(api::delete_token), ManageOwnAccount),
        Route::api(routes!(api::list_users), ManageUsers),
        Route::api(routes!(api::create_user), ManageUsers),
        Route::api(routes!(api::update_user), ManageUsers),
        Route::api(routes!(api::get_settings), ManageUsers),
        Route::api(routes!(api::put_settings), ManageUsers),
        Route::api(routes!(api::audit), ReadAudit),
        Route::get("/login", session::login_form, Public),
        Route::post("/login", session::login, Public),
        Route::post("/logout", session::logout, ManageOwnAccount),
        Route::get("/account", account::page, ManageOwnAccount),
        Route::post(
            "/account/tokens/{id}/revoke",
            account::revoke,
            ManageOwnAccount,
        ),
        Route::get(
            "/account/password",
            session::password_form,
            ManageOwnAccount,
        ),
        Route::post(
            "/account/password",
            session::change_password,
            ManageOwnAccount,
        ),
        Route::get("/admin/users", pages::users, ManageUsers),
        Route::post("/admin/users", pages::create_user, ManageUsers),
        Route::post("/admin/users/{id}/role", pages::set_role, ManageUsers),
        Route::post(
            "/admin/users/{id}/disable",
            pages::disable_user,
            ManageUsers,
        ),
        Route::post("/admin/settings", pages::save_settings, ManageUsers),
    ]
}
