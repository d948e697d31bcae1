//! `ladder user add` and `ladder token create|list|revoke`: secrets are
//! printed once and stored only as hashes; a token's id names it for
//! revoking.

use std::process::ExitCode;

use anyhow::Context;
use clap::Args;
use ladder_core::access::Role;
use ladder_core::limits;
use ladder_store::Actor;

use crate::config::{open, runtime, DatabaseArgs};
use crate::usage;

#[derive(Args, Debug)]
pub(crate) struct UserAddArgs {
    #[command(flatten)]
    pub(crate) database: DatabaseArgs,
    /// The user's e-mail address (their login).
    pub(crate) email: String,
    /// admin, hiring_manager, interviewer, member or manager.
    #[arg(long, value_parser = parse_role)]
    pub(crate) role: Role,
}

fn parse_role(text: &str) -> Result<Role, String> {
    Role::parse(text)
        .ok_or_else(|| "choose admin, hiring_manager, interviewer, member or manager".to_string())
}

pub(crate) fn user_add(args: UserAddArgs) -> anyhow::Result<ExitCode> {
    let (url, _) = args.database.resolve()?;
    let email = ladder_server::auth::parse_email(&args.email).map_err(usage)?;
    runtime()?.block_on(async move {
        let store = open(&url).await?;
        let password = ladder_server::auth::random_password();
        let hash = ladder_server::auth::hash_password(&password).map_err(anyhow::Error::msg)?;
        match store.create_user(&email, args.role, Some(&hash), true, &Actor::cli()).await {
            Ok(user) => {
                println!("Created {} ({}).", user.email, user.role);
                println!("One-time password: {password}  (shown once; they choose a new one at first login)");
                Ok(ExitCode::SUCCESS)
            }
            Err(ladder_store::StoreError::Conflict(message)) => {
                eprintln!("error: {message}");
                Ok(ExitCode::from(1))
            }
            Err(error) => Err(error).context("cannot create the user"),
        }
    })
}

#[derive(Args, Debug)]
pub(crate) struct TokenCreateArgs {
    #[command(flatten)]
    pub(crate) database: DatabaseArgs,
    /// The user the token acts as.
    pub(crate) email: String,
    /// What the token is for (shown in the audit log and `token list`; at
    /// most 100 characters).
    #[arg(long, value_parser = token_name)]
    pub(crate) name: String,
}

/// A token's name: some text, at most [`limits::API_TOKEN_NAME`] characters,
/// on one line.
fn token_name(name: &str) -> Result<String, String> {
    let name = name.trim();
    if name.is_empty() {
        return Err("a token needs a name saying what it is for, such as \"ci\"".to_string());
    }
    let length = name.chars().count();
    if length > limits::API_TOKEN_NAME {
        return Err(format!(
            "the name is {length} characters long; shorten it to at most {}",
            limits::API_TOKEN_NAME
        ));
    }
    if name.contains(char::is_control) {
        return Err("the name contains a control character; use one line of text".to_string());
    }
    Ok(name.to_string())
}

pub(crate) fn token_create(args: TokenCreateArgs) -> anyhow::Result<ExitCode> {
    let (url, _) = args.database.resolve()?;
    runtime()?.block_on(async move {
        let store = open(&url).await?;
        let Some(credentials) = store
            .credentials(&args.email)
            .await
            .context("cannot look the user up")?
        else {
            eprintln!(
                "error: no user {}; create one with `ladder user add {} --role …`",
                args.email, args.email
            );
            return Ok(ExitCode::from(1));
        };
        let token = ladder_server::auth::random_secret();
        store
            .create_api_token(
                &credentials.user.id,
                &args.name,
                &ladder_server::auth::secret_hash(&token),
                &Actor::cli(),
            )
            .await
            .context("cannot store the token")?;
        println!("{token}");
        eprintln!(
            "API token “{}” for {} ({}). Shown once; send it as `Authorization: Bearer <token>`.",
            args.name, credentials.user.email, credentials.user.role
        );
        Ok(ExitCode::SUCCESS)
    })
}

#[derive(Args, Debug)]
pub(crate) struct TokenListArgs {
    #[command(flatten)]
    pub(crate) database: DatabaseArgs,
    /// The user whose tokens to list.
    pub(crate) email: String,
}

/// Unix milliseconds as `2026-11-29 15:18 UTC`.
fn utc_minute(millis: i64) -> String {
    let minutes = millis.div_euclid(60_000);
    let (days, minute_of_day) = (minutes.div_euclid(1440), minutes.rem_euclid(1440));
    // Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02} UTC",
        minute_of_day / 60,
        minute_of_day % 60
    )
}

pub(crate) fn token_list(args: TokenListArgs) -> anyhow::Result<ExitCode> {
    let (url, _) = args.database.resolve()?;
    runtime()?.block_on(async move {
        let store = open(&url).await?;
        let Some(credentials) = store
            .credentials(&args.email)
            .await
            .context("cannot look the user up")?
        else {
            eprintln!("error: no user {}", args.email);
            return Ok(ExitCode::from(1));
        };
        let tokens = store
            .api_tokens(Some(&credentials.user.id))
            .await
            .context("cannot list the tokens")?;
        if tokens.is_empty() {
            eprintln!("{} has no API tokens.", credentials.user.email);
            return Ok(ExitCode::SUCCESS);
        }
        let width = tokens
            .iter()
            .map(|t| t.name.chars().count())
            .max()
            .unwrap_or(4)
            .max(4);
        println!(
            "{:<36}  {:<width$}  {:<20}  LAST USED",
            "ID", "NAME", "CREATED"
        );
        for token in &tokens {
            println!(
                "{:<36}  {:<width$}  {:<20}  {}",
                token.id,
                token.name,
                utc_minute(token.created_at),
                token
                    .last_used_at
                    .map_or_else(|| "never".to_string(), utc_minute)
            );
        }
        Ok(ExitCode::SUCCESS)
    })
}

#[derive(Args, Debug)]
pub(crate) struct TokenRevokeArgs {
    #[command(flatten)]
    pub(crate) database: DatabaseArgs,
    /// The token's id, as `ladder token list` shows it (not the token itself).
    pub(crate) id: String,
}

pub(crate) fn token_revoke(args: TokenRevokeArgs) -> anyhow::Result<ExitCode> {
    let (url, _) = args.database.resolve()?;
    runtime()?.block_on(async move {
        let store = open(&url).await?;
        match store.revoke_api_token(&args.id, &Actor::cli()).await {
            Ok(token) => {
                println!(
                    "Revoked API token “{}” of {} ({}); it no longer works.",
                    token.name, token.user_email, token.id
                );
                Ok(ExitCode::SUCCESS)
            }
            Err(ladder_store::StoreError::NotFound(_)) => {
                eprintln!(
                    "error: no API token {}; `ladder token list EMAIL` shows a user's tokens and their ids",
                    args.id
                );
                Ok(ExitCode::from(1))
            }
            Err(error) => Err(error).context("cannot revoke the token"),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_shown_to_the_minute_in_utc() {
        assert_eq!(utc_minute(0), "1970-01-01 00:00 UTC");
        assert_eq!(utc_minute(951_782_400_000 + 59_999), "2000-02-29 00:00 UTC");
        assert_eq!(utc_minute(1_795_965_497_770), "2026-11-29 15:18 UTC");
        assert_eq!(utc_minute(-60_000), "1969-12-31 23:59 UTC");
    }
}
