//! `ladder user add` and `ladder token create`: secrets are printed once and
//! stored only as hashes.

use std::process::ExitCode;

use anyhow::Context;
use clap::Args;
use ladder_core::access::Role;
use ladder_store::Actor;

use crate::config::{open, runtime, DatabaseArgs};

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
    runtime()?.block_on(async move {
        let store = open(&url).await?;
        let password = ladder_server::auth::random_password();
        let hash = ladder_server::auth::hash_password(&password).map_err(anyhow::Error::msg)?;
        match store.create_user(&args.email, args.role, Some(&hash), true, &Actor::cli()).await {
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
    /// What the token is for (shown in the audit log).
    #[arg(long)]
    pub(crate) name: String,
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
