//! The candidate's link: the secret token it carries (256 random bits,
//! stored only as a hash), its absolute address under the configured public
//! URL, its expiry as people read it, and the two things hiring managers do
//! with it — extend it, or replace it with a new secret.

use axum::http::StatusCode;
use ladder_store::{now_millis, Actor, Interview};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;

use super::dto::InterviewDto;
use super::lookup::interview_or_404;
use crate::http::auth::{random_secret, secret_hash};
use crate::http::error::{ApiError, ApiResult};
use crate::http::idempotency::{responder, IdempotencyClaim};
use crate::http::state::AppState;

pub(super) const DEFAULT_EXPIRY_DAYS: u32 = 14;
pub(super) const MAX_EXPIRY_DAYS: u32 = 90;
pub(super) const DAY_MILLIS: i64 = 86_400_000;

/// When a link made now for `days` days stops working.
pub(super) fn link_expiry(days: u32) -> i64 {
    now_millis().saturating_add(i64::from(days) * DAY_MILLIS)
}

/// `/candidate/{token}`.
pub(super) fn candidate_path(token: &str) -> String {
    format!("/candidate/{token}")
}

/// The link as a candidate opens it: the public URL and the path, or the
/// path alone when no public URL is configured.
pub(super) fn absolute(state: &AppState, path: &str) -> String {
    match &state.config().public_url {
        Some(base) => format!("{base}{path}"),
        None => path.to_string(),
    }
}

/// An interview with its candidate's new link, shown only in this response.
#[derive(Serialize, ToSchema)]
pub(super) struct Invitation {
    pub interview: InterviewDto,
    /// The path of the candidate's private link (`/candidate/…`). Shown only
    /// in this response.
    pub candidate_url: String,
    /// The whole link to send the candidate: the server's public URL and
    /// `candidate_url`.
    pub candidate_link: String,
    /// The secret in `candidate_url`; only its hash is stored.
    pub candidate_token: String,
}

pub(super) fn invitation(state: &AppState, interview: &Interview, token: &str) -> Invitation {
    let path = candidate_path(token);
    Invitation {
        interview: InterviewDto::new(interview),
        candidate_link: absolute(state, &path),
        candidate_url: path,
        candidate_token: token.to_string(),
    }
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// "Tuesday 9 December 2025, 14:30 UTC": a moment as people read it.
pub(super) fn date_text(millis: i64) -> String {
    let Ok(at) = OffsetDateTime::from_unix_timestamp_nanos(i128::from(millis) * 1_000_000) else {
        return String::new();
    };
    let month = MONTHS
        .get(usize::from(u8::from(at.month())).saturating_sub(1))
        .copied()
        .unwrap_or_default();
    format!(
        "{} {} {month} {}, {:02}:{:02} UTC",
        at.weekday(),
        at.day(),
        at.year(),
        at.hour(),
        at.minute()
    )
}

fn counted(n: i64, unit: &str) -> String {
    if n == 1 {
        format!("1 {unit}")
    } else {
        format!("{n} {unit}s")
    }
}

/// "in 6 days", "in 5 hours", "in 12 minutes"; "expired 2 days ago".
/// Rounded to the nearest unit, so a link made for 7 days reads "in 7 days".
pub(super) fn relative_text(millis: i64, now: i64) -> String {
    const MINUTE: i64 = 60_000;
    const HOUR: i64 = 60 * MINUTE;
    let span = |gap: i64| {
        let round = |unit: i64| (gap + unit / 2) / unit;
        if gap < HOUR {
            counted(round(MINUTE).max(1), "minute")
        } else if gap < DAY_MILLIS {
            counted(round(HOUR), "hour")
        } else {
            counted(round(DAY_MILLIS), "day")
        }
    };
    if millis > now {
        format!("in {}", span(millis - now))
    } else {
        format!("expired {} ago", span(now - millis))
    }
}

/// The expiry of a link as the pages show it: the date and how far away.
pub(super) fn expiry_text(millis: i64) -> (String, String) {
    (date_text(millis), relative_text(millis, now_millis()))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct LinkExtension {
    /// How many days later the link stops working, counted from its current
    /// expiry (from now when that has passed). A link runs at most 90 days
    /// from now.
    #[schema(minimum = 1, maximum = 90)]
    pub days: u32,
}

/// Extends an interview's link by `days`; an expired interview opens again.
#[tracing::instrument(skip(state, actor, once))]
pub(super) async fn extend(
    state: &AppState,
    id: &str,
    days: u32,
    actor: &Actor,
    once: Option<&IdempotencyClaim>,
) -> ApiResult<Interview> {
    if !(1..=MAX_EXPIRY_DAYS).contains(&days) {
        return Err(ApiError::unprocessable(format!(
            "extend a link by 1 to {MAX_EXPIRY_DAYS} days, not {days}"
        ))
        .field("days"));
    }
    let interview = interview_or_404(state, id).await?;
    let now = now_millis();
    let latest = now.saturating_add(i64::from(MAX_EXPIRY_DAYS) * DAY_MILLIS);
    let from = interview.expires_at.max(now);
    let by = i64::from(days) * DAY_MILLIS;
    if interview.status.is_open() && from.saturating_add(by) > latest {
        // Said here with the numbers; the store checks again in its
        // transaction.
        let room = (latest - from) / DAY_MILLIS;
        let advice = if room >= 1 {
            format!("extend it by at most {}", counted(room, "day"))
        } else {
            "it cannot run any longer yet".to_string()
        };
        return Err(ApiError::unprocessable(format!(
            "a link runs at most {MAX_EXPIRY_DAYS} days from now and this one already runs until {}; {advice}",
            date_text(interview.expires_at)
        ))
        .field("days"));
    }
    let respond = responder(once, |extended: &Interview| {
        (StatusCode::OK, InterviewDto::new(extended))
    });
    Ok(state
        .store()
        .extend_link(
            id,
            by,
            latest,
            actor,
            once.map(|claim| claim.completion(&respond)),
        )
        .await?)
}

/// Gives an interview a new secret link; the old one stops working at once.
/// A link that had expired runs [`DEFAULT_EXPIRY_DAYS`] from now.
#[tracing::instrument(skip(state, actor, once))]
pub(super) async fn replace(
    state: &AppState,
    id: &str,
    actor: &Actor,
    once: Option<&IdempotencyClaim>,
) -> ApiResult<(Interview, Invitation)> {
    interview_or_404(state, id).await?;
    let token = random_secret();
    let respond = responder(once, |replaced: &Interview| {
        (StatusCode::OK, invitation(state, replaced, &token))
    });
    let replaced = state
        .store()
        .replace_link(
            id,
            &secret_hash(&token),
            link_expiry(DEFAULT_EXPIRY_DAYS),
            actor,
            once.map(|claim| claim.completion(&respond)),
        )
        .await?;
    let shown = invitation(state, &replaced, &token);
    Ok((replaced, shown))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expiry_reads_as_a_date_and_a_distance() {
        // 2025-12-09T14:30:00Z
        let at = 1_765_290_600_000;
        assert_eq!(date_text(at), "Tuesday 9 December 2025, 14:30 UTC");
        let day = DAY_MILLIS;
        assert_eq!(relative_text(at, at - 7 * day + 5_000), "in 7 days");
        assert_eq!(relative_text(at, at - 6 * day), "in 6 days");
        assert_eq!(relative_text(at, at - day - 60_000), "in 1 day");
        assert_eq!(relative_text(at, at - 5 * 3_600_000), "in 5 hours");
        assert_eq!(relative_text(at, at - 12 * 60_000), "in 12 minutes");
        assert_eq!(relative_text(at, at - 1_000), "in 1 minute");
        assert_eq!(relative_text(at, at + 2 * day), "expired 2 days ago");
    }
}
