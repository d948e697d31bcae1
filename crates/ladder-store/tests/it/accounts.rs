//! Accounts: users, passwords, roles, sessions, API tokens, settings and the
//! audit log.

use std::sync::Arc;

use ladder_core::access::Role;
use ladder_store::{Actor, Store, StoreError};

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
        .set_password(&admin.id, "hash2", false, &Actor::user(&admin))
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
