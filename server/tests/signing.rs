//! The platform's RSA2 key pair: created once and kept, one current key even when instances
//! start together, and a rotation's grace period for verification.

mod common;

use app::open::keys;
use app::open::sign::{self, ContentRule};
use std::collections::BTreeMap;

const DAY_MS: i64 = 24 * 60 * 60 * 1000;

fn notification() -> BTreeMap<String, String> {
    [
        ("notify_id", "2026010100222000000000000000000001"),
        ("notify_type", "servicemarket_order_notify"),
        ("app_id", "2021000000000001"),
        ("sign_type", "RSA2"),
        ("title", "点餐小程序"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect()
}

fn signed_by(key: &keys::SigningKey) -> BTreeMap<String, String> {
    let mut params = notification();
    let signature = sign::sign_params(&params, &key.key, ContentRule::V1);
    params.insert("sign".into(), signature);
    params
}

on_both_databases! {
    async fn the_platform_key_is_created_on_first_use_and_kept(app) {
        let db = &app.state.db;
        assert_eq!(app.count("SELECT COUNT(*) FROM platform_keys").await, 0);
        let first = keys::current(db, app.state.clock.now()).await.unwrap();
        let again = keys::current(db, app.state.clock.now()).await.unwrap();
        assert_eq!(first.id, again.id);
        assert_eq!(first.key.public_key(), again.key.public_key());
        assert_eq!(app.count("SELECT COUNT(*) FROM platform_keys").await, 1);
        let (stored,): (String,) =
            sqlx::query_as("SELECT public_key_b64 FROM platform_keys WHERE id = $1")
                .bind(first.id)
                .fetch_one(db.pool())
                .await
                .unwrap();
        assert_eq!(stored, first.key.public_key().to_base64());
    }

    async fn instances_starting_together_end_up_with_one_current_key(app) {
        let db = &app.state.db;
        let now = app.state.clock.now();
        let (a, b, c) = tokio::join!(
            keys::current(db, now),
            keys::current(db, now),
            keys::current(db, now)
        );
        let (a, b, c) = (a.unwrap(), b.unwrap(), c.unwrap());
        assert_eq!(a.id, b.id);
        assert_eq!(b.id, c.id);
        assert_eq!(
            app.count("SELECT COUNT(*) FROM platform_keys WHERE retired_at IS NULL").await,
            1
        );
    }

    async fn a_rotated_key_still_verifies_during_its_grace_period_and_not_after(app) {
        let db = &app.state.db;
        let clock = &app.state.clock;
        let old = keys::current(db, clock.now()).await.unwrap();
        let signed_before = signed_by(&old);
        let (matched, rule) = keys::verify_with_platform_keys(db, &signed_before, clock.now())
            .await
            .unwrap()
            .expect("the current key verifies");
        assert!(matched.is_current());
        assert_eq!(rule, ContentRule::V1);

        let new = keys::rotate(db, clock.now(), 7 * DAY_MS).await.unwrap();
        assert_ne!(new.id, old.id);
        assert_ne!(new.key.public_key(), old.key.public_key());
        assert_eq!(keys::current(db, clock.now()).await.unwrap().id, new.id);
        let (matched, _) = keys::verify_with_platform_keys(db, &signed_before, clock.now())
            .await
            .unwrap()
            .expect("the retired key verifies during the grace period");
        assert_eq!(matched.id, old.id);
        assert_eq!(matched.verify_until, Some(clock.now() + 7 * DAY_MS));
        let signed_after = signed_by(&new);
        assert!(keys::verify_with_platform_keys(db, &signed_after, clock.now())
            .await
            .unwrap()
            .is_some_and(|(key, _)| key.is_current()));

        clock.advance(7 * DAY_MS + 1);
        assert!(keys::verify_with_platform_keys(db, &signed_before, clock.now())
            .await
            .unwrap()
            .is_none());
        assert!(keys::verify_with_platform_keys(db, &signed_after, clock.now())
            .await
            .unwrap()
            .is_some());
        let listed = keys::verification_keys(db, clock.now()).await.unwrap();
        assert_eq!(listed.len(), 1);
        assert_eq!(app.count("SELECT COUNT(*) FROM platform_keys").await, 2);
    }
}
