//! Account pages: logging in, changing one's password, and the admin's list
//! of users with the instance settings.

mod login;
mod users;

#[cfg(test)]
mod tests;

pub use login::{change_password, login};
pub use users::{users, users_with_settings, ProgressionSettings, UserRow};
