//! Accounts: users, passwords, roles, sessions, API tokens, settings and the
//! audit log.

use std::sync::Arc;

use ladder_core::access::Role;
use ladder_store::{Actor, RateBucket, RateCount, Store, StoreError, User};
use sqlx::Connection;

both_backends!(users_sessions_tokens_and_settings);

async fn users_sessions_tokens_and_settings(store: Arc<dyn Store>) {
    let actor = Actor::system();
    assert_eq!(store.user_count().await.expect("count"), 0);
    let admin = store
        .create_user(
            "Admin@Example.com ",
            Role::Admin,
            Some("hash"),
            true,
            &actor,
        )
        .await
        .expect("create");
    assert_eq!(admin.email, "admin@example.com");
    assert!(admin.must_change_password);
    let duplicate = store
        .create_user("admin@example.com", Role::Member, None, false, &actor)
        .await;
    assert!(
        matches!(duplicate, Err(StoreError::Conflict(_))),
        "{duplicate:?}"
    );

    let credentials = store
        .credentials("ADMIN@example.com")
        .await
        .expect("read")
        .expect("exists");
    assert_eq!(credentials.password_hash.as_deref(), Some("hash"));
    store
        .set_password(&admin.id, "hash2", false, None, &Actor::user(&admin))
        .await
        .expect("password");
    let credentials = store
        .credentials("admin@example.com")
        .await
        .expect("read")
        .expect("exists");
    assert_eq!(credentials.password_hash.as_deref(), Some("hash2"));
    assert!(!credentials.user.must_change_password);

    let member = store
        .create_user(
            "m@example.com",
            Role::Member,
            None,
            false,
            &Actor::user(&admin),
        )
        .await
        .expect("create");
    let promoted = store
        .set_role(&member.id, Role::HiringManager, &Actor::user(&admin))
        .await
        .expect("role");
    assert_eq!(promoted.role, Role::HiringManager);
    assert!(matches!(
        store.set_role("missing", Role::Admin, &actor).await,
        Err(StoreError::NotFound(_))
    ));

    store
        .create_session("session-hash", &member.id, "csrf-token", i64::MAX)
        .await
        .expect("session");
    let (user, csrf) = store
        .session("session-hash", 0)
        .await
        .expect("read")
        .expect("valid");
    assert_eq!(
        (user.id.as_str(), csrf.as_str()),
        (member.id.as_str(), "csrf-token")
    );
    assert!(
        store
            .session("session-hash", i64::MAX)
            .await
            .expect("read")
            .is_none(),
        "expired"
    );
    store
        .create_api_token(&member.id, "ci", "token-hash", &actor)
        .await
        .expect("token");
    assert_eq!(
        store
            .user_by_api_token("token-hash")
            .await
            .expect("read")
            .map(|u| u.id),
        Some(member.id.clone())
    );

    store
        .set_disabled(&member.id, true, &Actor::user(&admin))
        .await
        .expect("disable");
    assert!(
        store
            .session("session-hash", 0)
            .await
            .expect("read")
            .is_none(),
        "disabled users lose sessions"
    );
    assert!(
        store
            .user_by_api_token("token-hash")
            .await
            .expect("read")
            .is_none(),
        "and tokens"
    );

    store
        .create_session("s2", &admin.id, "c2", i64::MAX)
        .await
        .expect("session");
    store.delete_session("s2").await.expect("logout");
    assert!(store.session("s2", 0).await.expect("read").is_none());

    assert_eq!(store.setting("public_browsing").await.expect("read"), None);
    store
        .set_setting("public_browsing", "true", &Actor::user(&admin))
        .await
        .expect("set");
    store
        .set_setting("public_browsing", "false", &Actor::user(&admin))
        .await
        .expect("set");
    assert_eq!(
        store
            .setting("public_browsing")
            .await
            .expect("read")
            .as_deref(),
        Some("false")
    );

    let audit = store.audit_log(100).await.expect("audit");
    assert!(audit
        .iter()
        .any(|entry| entry.action == "user.role" && entry.actor == "admin@example.com"));
    assert!(audit
        .iter()
        .any(|entry| entry.action == "setting.set" && entry.detail["value"] == "false"));
    store.ping().await.expect("ping");
}

async fn member(store: &dyn Store, email: &str) -> User {
    store
        .create_user(email, Role::Member, Some("hash"), false, &Actor::system())
        .await
        .expect("create")
}

async fn live(store: &dyn Store, session: &str) -> bool {
    store.session(session, 0).await.expect("read").is_some()
}

both_backends!(a_password_change_ends_the_other_sessions);

async fn a_password_change_ends_the_other_sessions(store: Arc<dyn Store>) {
    let ada = member(store.as_ref(), "ada@example.com").await;
    let bo = member(store.as_ref(), "bo@example.com").await;
    for (session, user) in [
        ("here", &ada),
        ("laptop", &ada),
        ("phone", &ada),
        ("bo", &bo),
    ] {
        store
            .create_session(session, &user.id, "csrf", i64::MAX)
            .await
            .expect("session");
    }
    let ended = store
        .set_password(&ada.id, "new-hash", false, Some("here"), &Actor::user(&ada))
        .await
        .expect("password");
    assert_eq!(ended, 2);
    assert!(
        live(store.as_ref(), "here").await,
        "the session that changed it stays"
    );
    assert!(!live(store.as_ref(), "laptop").await);
    assert!(!live(store.as_ref(), "phone").await);
    assert!(live(store.as_ref(), "bo").await, "other users keep theirs");

    // Without a session to keep (an admin or the CLI), every session ends.
    let ended = store
        .set_password(&ada.id, "newer-hash", true, None, &Actor::cli())
        .await
        .expect("password");
    assert_eq!(ended, 1);
    assert!(!live(store.as_ref(), "here").await);

    let audit = store.audit_log(10).await.expect("audit");
    let changes: Vec<_> = audit
        .iter()
        .filter(|entry| entry.action == "user.password")
        .map(|entry| entry.detail["sessions_ended"].as_u64())
        .collect();
    assert_eq!(changes, [Some(1), Some(2)], "newest first");
}

both_backends!(disabling_revokes_sessions_and_tokens_for_good);

async fn disabling_revokes_sessions_and_tokens_for_good(store: Arc<dyn Store>) {
    let admin = Actor::system();
    let ada = member(store.as_ref(), "ada@example.com").await;
    store
        .create_session("s", &ada.id, "csrf", i64::MAX)
        .await
        .expect("session");
    store
        .create_api_token(&ada.id, "ci", "t", &admin)
        .await
        .expect("token");
    store
        .set_disabled(&ada.id, true, &admin)
        .await
        .expect("disable");
    let enabled = store
        .set_disabled(&ada.id, false, &admin)
        .await
        .expect("enable");
    assert!(!enabled.disabled);
    assert!(!live(store.as_ref(), "s").await, "the session stays ended");
    assert_eq!(
        store.user_by_api_token("t").await.expect("read"),
        None,
        "the token stays revoked"
    );
    assert!(store
        .api_tokens(Some(&ada.id))
        .await
        .expect("list")
        .is_empty());
    let audit = store.audit_log(10).await.expect("audit");
    let disabled = audit
        .iter()
        .find(|entry| entry.action == "user.disable" && entry.detail["disabled"]["to"] == true)
        .expect("disabling is audited");
    assert_eq!(
        (
            disabled.detail["sessions_ended"].as_u64(),
            disabled.detail["api_tokens_revoked"].as_u64()
        ),
        (Some(1), Some(1))
    );
}

both_backends!(api_tokens_are_listed_and_revoked);

async fn api_tokens_are_listed_and_revoked(store: Arc<dyn Store>) {
    let actor = Actor::system();
    let ada = member(store.as_ref(), "ada@example.com").await;
    let bo = member(store.as_ref(), "bo@example.com").await;
    for (user, name, hash) in [
        (&ada, "ci", "h1"),
        (&ada, "laptop", "h2"),
        (&bo, "bot", "h3"),
    ] {
        store
            .create_api_token(&user.id, name, hash, &actor)
            .await
            .expect("token");
    }
    let mine = store.api_tokens(Some(&ada.id)).await.expect("list");
    assert_eq!(
        mine.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(),
        ["ci", "laptop"]
    );
    assert!(mine.iter().all(|t| t.user_email == "ada@example.com"));
    assert!(mine.iter().all(|t| t.last_used_at.is_none()));
    assert_eq!(store.api_tokens(None).await.expect("all").len(), 3);

    let before = ladder_store::now_millis();
    assert_eq!(
        store
            .user_by_api_token("h1")
            .await
            .expect("use")
            .map(|u| u.id),
        Some(ada.id.clone())
    );
    let used = store
        .api_token(&mine[0].id)
        .await
        .expect("read")
        .expect("exists");
    let at = used.last_used_at.expect("the use is recorded");
    assert!(
        at <= ladder_store::now_millis() && at > before - 60_000,
        "recorded to the minute: {at}, used at {before}"
    );
    assert_eq!(at % 60_000, 0);

    let revoked = store
        .revoke_api_token(&mine[0].id, &Actor::user(&ada))
        .await
        .expect("revoke");
    assert_eq!(revoked.name, "ci");
    assert_eq!(store.user_by_api_token("h1").await.expect("read"), None);
    assert!(store.user_by_api_token("h2").await.expect("read").is_some());
    assert_eq!(store.api_token(&mine[0].id).await.expect("read"), None);
    assert!(matches!(
        store.revoke_api_token(&mine[0].id, &actor).await,
        Err(StoreError::NotFound(_))
    ));
    let audit = store.audit_log(10).await.expect("audit");
    let entry = audit
        .iter()
        .find(|entry| entry.action == "token.revoke")
        .expect("revoking is audited");
    assert_eq!(
        (
            entry.actor.as_str(),
            entry.target.as_str(),
            entry.detail["name"].as_str()
        ),
        ("ada@example.com", "ada@example.com", Some("ci"))
    );
}

fn bucket(key: &str, limit: u32) -> RateBucket {
    RateBucket {
        key: key.to_string(),
        limit,
    }
}

const WINDOW: i64 = 15 * 60 * 1000;

both_backends!(login_attempts_are_counted_per_bucket_in_a_window);

async fn login_attempts_are_counted_per_bucket_in_a_window(store: Arc<dyn Store>, url: String) {
    let t0 = 1_000_000_000_000;
    let attempt = |buckets: Vec<RateBucket>, now: i64| {
        let store = Arc::clone(&store);
        async move {
            store
                .count_attempt(&buckets, WINDOW, now)
                .await
                .expect("count")
        }
    };
    for n in 0..3 {
        assert_eq!(
            attempt(vec![bucket("account", 3), bucket("client", 10)], t0 + n).await,
            RateCount::Counted
        );
    }
    assert_eq!(
        attempt(
            vec![bucket("account", 3), bucket("client", 10)],
            t0 + 60_000
        )
        .await,
        RateCount::Refused {
            retry_after_ms: WINDOW - 60_000
        },
        "the window started at the first attempt"
    );
    // A refused attempt counts nowhere: the client bucket still has room
    // for exactly 7 more.
    for n in 0..7 {
        assert_eq!(
            attempt(vec![bucket("other", 100), bucket("client", 10)], t0 + n).await,
            RateCount::Counted,
            "attempt {n}"
        );
    }
    assert!(matches!(
        attempt(vec![bucket("other", 100), bucket("client", 10)], t0).await,
        RateCount::Refused { .. }
    ));

    // Forgiving clears one bucket and takes one attempt back from another.
    store
        .forgive_attempt(&["account".to_string()], &["client".to_string()])
        .await
        .expect("forgive");
    assert_eq!(
        attempt(vec![bucket("account", 3), bucket("client", 10)], t0).await,
        RateCount::Counted
    );
    assert!(matches!(
        attempt(vec![bucket("client", 10)], t0).await,
        RateCount::Refused { .. }
    ));

    // After the window everything is allowed again, and the writes remove
    // what expired.
    let later = t0 + WINDOW;
    assert_eq!(
        attempt(vec![bucket("client", 10)], later).await,
        RateCount::Counted
    );
    let mut raw = sqlx::AnyConnection::connect(&url).await.expect("connect");
    let rows: Vec<(String, i64)> =
        sqlx::query_as("SELECT bucket, attempts FROM login_attempts ORDER BY bucket")
            .fetch_all(&mut raw)
            .await
            .expect("rows");
    assert_eq!(rows, [("client".to_string(), 1)]);
}

both_backends!(login_limits_hold_across_connections);

/// Two stores on one database (two servers) counting at once: exactly the
/// limit is let through.
async fn login_limits_hold_across_connections(store: Arc<dyn Store>, url: String) {
    let other = ladder_store::connect(&url).await.expect("second store");
    let now = ladder_store::now_millis();
    let mut attempts = Vec::new();
    for n in 0..24 {
        let store = if n % 2 == 0 {
            Arc::clone(&store)
        } else {
            Arc::clone(&other)
        };
        attempts.push(tokio::spawn(async move {
            store
                .count_attempt(
                    &[bucket("admin", 10), bucket(&format!("c{}", n % 3), 100)],
                    WINDOW,
                    now,
                )
                .await
                .expect("count")
        }));
    }
    let mut counted = 0;
    for attempt in attempts {
        if attempt.await.expect("task") == RateCount::Counted {
            counted += 1;
        }
    }
    assert_eq!(counted, 10);
}
