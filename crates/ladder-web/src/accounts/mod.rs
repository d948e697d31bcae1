//! Account pages: logging in, changing one's password, one's account and API
//! tokens, and the admin's list of users with the instance settings.

mod account;
mod login;
mod users;

#[cfg(test)]
mod tests;

pub use account::{account, AccountView, TokenRow};
pub use login::{change_password, login};
pub use users::{users, users_with_settings, ProgressionSettings, UserRow};
