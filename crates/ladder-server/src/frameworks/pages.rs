//! The framework pages: the home page, a framework with its level tabs and
//! versions, what each topic adds between two levels, and search.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Extension;
use ladder_web::FrameworkFacts;
use ladder_web::{SearchHitView, SharedTopic, VersionRow};
use serde::Deserialize;

use crate::http::auth::Principal;
use crate::http::page::{html, notice, Chrome, NoticeQuery, PageError, PageResult};
use crate::http::state::AppState;
use crate::http::text::moment;

pub(crate) async fn home(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Query(query): Query<NoticeQuery>,
) -> Response {
    let chrome = Chrome::new(&state, &principal).await;
    let facts = framework_facts(&state).await;
    html(
        StatusCode::OK,
        ladder_web::home(
            &chrome.page("Frameworks", notice(query.notice.as_deref()), None),
            &facts,
        ),
    )
}

/// Each framework's size and when its current version came in; one that
/// cannot be read is listed without them rather than failing the page.
async fn framework_facts(state: &AppState) -> Vec<FrameworkFacts> {
    let Ok(list) = state.framework_list().await else {
        return Vec::new();
    };
    let mut facts = Vec::with_capacity(list.len());
    for summary in list.iter() {
        let Ok(Some(stored)) = state.framework(&summary.slug, Some(summary.version)).await else {
            continue;
        };
        let framework = &stored.framework;
        facts.push(FrameworkFacts {
            slug: summary.slug.clone(),
            levels: framework
                .topics
                .iter()
                .flat_map(|topic| topic.levels.iter().map(|level| level.number))
                .max()
                .unwrap_or(0),
            topics: framework.topics.len(),
            behaviours: framework.criteria().count(),
            updated: moment(summary.updated_at),
        });
    }
    facts
}

#[derive(Deserialize)]
pub(crate) struct FrameworkQuery {
    level: Option<u32>,
    version: Option<u32>,
}

fn is_generic(slug: &str, title: &str) -> bool {
    slug.contains("generic") || title.to_lowercase().contains("generic")
}

/// Topics this framework shares by key with a generic framework (or, on a
/// generic framework, with the frameworks that use it).
async fn shared_topics(state: &AppState, framework: &ladder_core::Framework) -> Vec<SharedTopic> {
    let Ok(list) = state.framework_list().await else {
        return Vec::new();
    };
    let this_is_generic = is_generic(&framework.slug, &framework.title);
    let mut shared = Vec::new();
    for other in list.iter().filter(|other| other.slug != framework.slug) {
        if !this_is_generic && !is_generic(&other.slug, &other.title) {
            continue;
        }
        let Ok(Some(stored)) = state.framework(&other.slug, Some(other.version)).await else {
            continue;
        };
        for topic in &framework.topics {
            if stored.framework.topics.iter().any(|t| t.key == topic.key) {
                shared.push(SharedTopic {
                    topic_key: topic.key.clone(),
                    framework_slug: other.slug.clone(),
                    framework_title: other.title.clone(),
                });
            }
        }
    }
    shared
}

pub(crate) async fn framework(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(slug): Path<String>,
    Query(query): Query<FrameworkQuery>,
) -> PageResult {
    let stored: Arc<ladder_store::StoredFramework> = state
        .framework(&slug, query.version)
        .await
        .map_err(PageError::failure)?
        .ok_or_else(|| {
            PageError::not_found(format!(
                "There is no framework “{slug}”{}.",
                query
                    .version
                    .map(|v| format!(" version {v}"))
                    .unwrap_or_default()
            ))
        })?;
    let listed = state
        .framework_list()
        .await
        .ok()
        .and_then(|list| list.iter().find(|f| f.slug == slug).map(|f| f.version));
    let current = listed.unwrap_or(stored.version).max(stored.version);
    let versions = state
        .framework_history(&slug, current)
        .await
        .map_err(PageError::failure)?;
    let rows: Vec<VersionRow> = versions
        .iter()
        .map(|v| VersionRow {
            version: v.version,
            created: moment(v.created_at),
            source_file: v.source_file.clone(),
            current: v.version == current,
        })
        .collect();
    let shared = shared_topics(&state, &stored.framework).await;
    let chrome = Chrome::new(&state, &principal).await;
    let title = stored.framework.title.clone();
    let body = ladder_web::framework(
        &chrome.page(&title, None, Some(&slug)),
        &stored.framework,
        stored.version,
        query.level,
        &shared,
        &rows,
    );
    Ok(html(StatusCode::OK, body))
}

#[derive(Deserialize)]
pub(crate) struct CompareQuery {
    from: Option<u32>,
    to: Option<u32>,
}

pub(crate) async fn compare(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(slug): Path<String>,
    Query(query): Query<CompareQuery>,
) -> PageResult {
    let stored = state
        .framework(&slug, None)
        .await
        .map_err(PageError::failure)?
        .ok_or_else(|| PageError::not_found(format!("There is no framework “{slug}”.")))?;
    let levels = stored.framework.level_numbers();
    let from = query.from.or_else(|| levels.first().copied()).unwrap_or(0);
    let to = query
        .to
        .or_else(|| levels.iter().copied().find(|l| *l > from))
        .unwrap_or(from);
    let comparison =
        ladder_core::compare::compare(&stored.framework, from, to).map_err(|error| {
            PageError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "Cannot compare",
                error.to_string(),
            )
        })?;
    let chrome = Chrome::new(&state, &principal).await;
    let title = format!(
        "{}: {} → {}",
        stored.framework.title, comparison.from_label, comparison.to_label
    );
    Ok(html(
        StatusCode::OK,
        ladder_web::compare(
            &chrome.page(&title, None, Some(&slug)),
            &stored.framework,
            &comparison,
        ),
    ))
}

#[derive(Deserialize)]
pub(crate) struct SearchQuery {
    q: Option<String>,
}

pub(crate) async fn search(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Query(query): Query<SearchQuery>,
) -> PageResult {
    let text = query.q.unwrap_or_default();
    let hits = state
        .store()
        .search(&text, 100)
        .await
        .map_err(PageError::failure)?;
    let mut views = Vec::with_capacity(hits.len());
    for hit in hits {
        let level_label = match state.framework(&hit.slug, None).await {
            Ok(Some(stored)) => stored.framework.level_label(hit.level),
            _ => format!("Level {}", hit.level),
        };
        views.push(SearchHitView {
            slug: hit.slug,
            framework_title: hit.framework_title,
            criterion_id: hit.criterion_id,
            topic_title: hit.topic_title,
            level: hit.level,
            level_label,
            text: hit.text,
            examples: hit.examples,
        });
    }
    let chrome = Chrome::new(&state, &principal).await;
    Ok(html(
        StatusCode::OK,
        ladder_web::search(&chrome.page("Search", None, None), &text, &views),
    ))
}
