//! Settings an admin changes at run time, stored in the database so every
//! instance sees them: whether frameworks are public, and the share of a
//! level's behaviours that meets it.

use ladder_core::progression::Threshold;
use ladder_store::{Actor, StoreError};

use super::state::{AppState, PUBLIC_BROWSING};

/// The progression threshold in basis points (`"8000"`).
pub(crate) const PROGRESSION_THRESHOLD: &str = "progression_threshold_bp";

/// The threshold in force: the stored one, else the default (80%). An
/// unreadable value falls back to the default rather than failing a page.
pub(crate) async fn progression_threshold(state: &AppState) -> Threshold {
    match state.store().setting(PROGRESSION_THRESHOLD).await {
        Ok(Some(text)) => text
            .parse::<u32>()
            .ok()
            .and_then(Threshold::from_basis_points)
            .unwrap_or_default(),
        _ => Threshold::default(),
    }
}

pub(crate) async fn set_progression_threshold(
    state: &AppState,
    threshold: Threshold,
    actor: &Actor,
) -> Result<(), StoreError> {
    state
        .store()
        .set_setting(
            PROGRESSION_THRESHOLD,
            &threshold.basis_points().to_string(),
            actor,
        )
        .await
}

pub(crate) async fn set_public_browsing(
    state: &AppState,
    public: bool,
    actor: &Actor,
) -> Result<(), StoreError> {
    state
        .store()
        .set_setting(
            PUBLIC_BROWSING,
            if public { "true" } else { "false" },
            actor,
        )
        .await?;
    state.forget_public_browsing();
    Ok(())
}
