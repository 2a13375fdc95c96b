//! The foundation through the real router: health, pages, the marketplace server function, and
//! the schema, on SQLite and PostgreSQL alike.

mod common;

use axum::http::StatusCode;
use common::{Engine, TestApp};

/// Inserts an ISV workspace with one service of the given status and plans; returns its id.
async fn add_service(
    app: &TestApp,
    name: &str,
    category: &str,
    description: &str,
    status: &str,
    plans: &[(i64, i64)],
) -> i64 {
    let now = app.state.clock.now();
    let pool = app.state.db.pool();
    let workspace: (i64,) = sqlx::query_as(
        "INSERT INTO workspaces (kind, name, status, created_at, updated_at) \
         VALUES ('isv', $1, 'active', $2, $2) RETURNING id",
    )
    .bind(format!("ISV of {name}"))
    .bind(now)
    .fetch_one(pool)
    .await
    .unwrap();
    let published_at = (status == "online").then_some(now);
    let service: (i64,) = sqlx::query_as(
        "INSERT INTO services (isv_workspace_id, name, category, service_type, description, \
             max_order_period_days, status, created_at, updated_at, published_at) \
         VALUES ($1, $2, $3, 'normal_template', $4, 365, $5, $6, $6, $7) RETURNING id",
    )
    .bind(workspace.0)
    .bind(name)
    .bind(category)
    .bind(description)
    .bind(status)
    .bind(now)
    .bind(published_at)
    .fetch_one(pool)
    .await
    .unwrap();
    for (period_days, price_cents) in plans {
        sqlx::query(
            "INSERT INTO service_plans (service_id, period_days, price_cents, created_at) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(service.0)
        .bind(period_days)
        .bind(price_cents)
        .bind(now)
        .execute(pool)
        .await
        .unwrap();
    }
    service.0
}

async fn list(app: &TestApp, text: &str, category: Option<&str>) -> Vec<serde_json::Value> {
    let mut form = vec![("text", text)];
    if let Some(category) = category {
        form.push(("category", category));
    }
    let response = app.call("/api/marketplace/services", &form).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    response.json().as_array().unwrap().clone()
}

fn names(cards: &[serde_json::Value]) -> Vec<&str> {
    cards.iter().map(|c| c["name"].as_str().unwrap()).collect()
}

on_both_databases! {
    async fn the_health_check_reports_a_reachable_database(app) {
        let response = app.get("/healthz").await;
        assert_eq!(response.status, StatusCode::OK);
        assert_eq!(response.json()["database"], "ok");
    }

    async fn the_health_check_fails_when_the_database_is_gone(app) {
        app.state.db.close().await;
        let response = app.get("/healthz").await;
        assert_eq!(response.status, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(response.json()["status"], "unavailable");
    }

    async fn the_landing_page_renders_get_started_and_sign_in(app) {
        let response = app.get("/").await;
        assert_eq!(response.status, StatusCode::OK);
        assert!(response.body.contains("GET STARTED"), "{}", response.body);
        assert!(response.body.contains("SIGN IN"));
        assert!(response.body.contains("<html lang=\"en\""));
        assert!(response.body.contains("/pkg/service-market.js"), "the page loads the client");
    }

    async fn the_landing_page_speaks_the_language_of_the_cookie(app) {
        let response = app
            .get_with("/", &[("cookie", "lang=zh-CN"), ("accept-language", "en")])
            .await;
        assert!(response.body.contains("<html lang=\"zh-CN\""));
        assert!(response.body.contains("立即开始"));
        assert!(!response.body.contains("GET STARTED"));
    }

    async fn without_a_cookie_the_page_follows_accept_language(app) {
        let response = app.get_with("/market", &[("accept-language", "zh-CN,zh;q=0.9")]).await;
        assert!(response.body.contains("暂无上架的服务"), "{}", response.body);
    }

    async fn an_empty_marketplace_says_no_services_are_online(app) {
        let response = app.get("/market").await;
        assert_eq!(response.status, StatusCode::OK);
        assert!(response.body.contains("No services are online yet."), "{}", response.body);
        assert!(list(&app, "", None).await.is_empty());
    }

    async fn the_marketplace_lists_only_online_services_with_their_lowest_price(app) {
        add_service(&app, "Ordering", "food_beverage", "Scan to order", "online", &[(30, 1990), (365, 19900)]).await;
        add_service(&app, "Drafted", "retail", "Not yet reviewed", "draft", &[(30, 100)]).await;
        add_service(&app, "Withdrawn one", "retail", "Gone", "withdrawn", &[(30, 100)]).await;
        let cards = list(&app, "", None).await;
        assert_eq!(names(&cards), ["Ordering"]);
        assert_eq!(cards[0]["lowest_price_cents"], 1990);
        assert_eq!(cards[0]["lowest_price_period_days"], 30);
        assert_eq!(cards[0]["isv_name"], "ISV of Ordering");

        let page = app.get("/market").await;
        assert!(page.body.contains("Ordering"));
        assert!(!page.body.contains("Drafted"));
    }

    async fn the_marketplace_searches_names_and_descriptions_case_insensitively(app) {
        add_service(&app, "Restaurant ordering 点餐", "food_beverage", "Tables and takeaway", "online", &[(30, 0)]).await;
        add_service(&app, "Membership", "retail", "Points and COUPONS", "online", &[(30, 0)]).await;
        assert_eq!(names(&list(&app, "restaurant", None).await), ["Restaurant ordering 点餐"]);
        assert_eq!(names(&list(&app, "点餐", None).await), ["Restaurant ordering 点餐"]);
        assert_eq!(names(&list(&app, "coupons", None).await), ["Membership"]);
        assert_eq!(names(&list(&app, "  Points  ", None).await), ["Membership"]);
        assert!(list(&app, "nothing like this", None).await.is_empty());
    }

    async fn search_wildcards_match_only_themselves(app) {
        add_service(&app, "Plain", "retail", "nothing special", "online", &[(30, 0)]).await;
        add_service(&app, "Discount 50% off", "retail", "a_b", "online", &[(30, 0)]).await;
        assert_eq!(names(&list(&app, "%", None).await), ["Discount 50% off"]);
        assert_eq!(names(&list(&app, "_", None).await), ["Discount 50% off"]);
    }

    async fn the_category_filter_narrows_and_an_unknown_one_is_ignored(app) {
        add_service(&app, "Food", "food_beverage", "", "online", &[(30, 0)]).await;
        add_service(&app, "Shop", "retail", "", "online", &[(30, 0)]).await;
        assert_eq!(names(&list(&app, "", Some("retail")).await), ["Shop"]);
        assert_eq!(list(&app, "", Some("not-a-category")).await.len(), 2);
        assert!(list(&app, "food", Some("retail")).await.is_empty());
    }

    async fn the_marketplace_page_renders_a_search_from_the_url(app) {
        add_service(&app, "Food", "food_beverage", "", "online", &[(30, 0)]).await;
        add_service(&app, "Shop", "retail", "", "online", &[(30, 0)]).await;
        let page = app.get("/market?category=retail").await;
        assert!(page.body.contains("Shop"));
        assert!(!page.body.contains(">Food<"));
        let page = app.get("/market?q=zzz").await;
        assert!(page.body.contains("No services match your search."));
    }

    async fn an_unknown_path_is_a_404_page(app) {
        let response = app.get("/no/such/page").await;
        assert_eq!(response.status, StatusCode::NOT_FOUND);
        assert!(response.body.contains("Page not found"));
    }

    async fn responses_are_compressed_and_carry_a_request_id(app) {
        let response = app.get_with("/", &[("accept-encoding", "gzip")]).await;
        assert_eq!(response.headers.get("content-encoding").unwrap(), "gzip");
        assert!(response.headers.get("x-request-id").is_some());
    }

    async fn migrations_can_run_again_without_change(app) {
        app.state.db.migrate().await.unwrap();
        app.state.db.migrate().await.unwrap();
        assert_eq!(app.get("/healthz").await.status, StatusCode::OK);
    }

    async fn an_empty_database_tells_a_newcomer_how_to_load_the_demo(app) {
        let hint = server::first_run_hint(&app.state, "http://127.0.0.1:3000").await.unwrap()
            .expect("a fresh database has no accounts");
        assert!(hint.contains("make demo"), "{hint}");
        assert!(hint.contains("http://127.0.0.1:3000/sign-up"), "{hint}");
        assert!(hint.contains(server::demo::DEMO_PASSWORD), "{hint}");
        for login in [server::demo::REVIEWER_EMAIL, "noodles@demo.service-market.test", "cloudleaf@demo.service-market.test"] {
            assert!(hint.contains(login), "{login} missing from {hint}");
        }
        // The demo prints the same sign-ins.
        let summary = server::demo::seed(&app.state).await.unwrap();
        assert!(summary.contains(&server::demo::sign_ins()), "{summary}");
        assert_eq!(server::first_run_hint(&app.state, "http://127.0.0.1:3000").await.unwrap(), None);
    }

    async fn the_demo_data_fills_the_marketplace_once(app) {
        let summary = server::demo::seed(&app.state).await.unwrap();
        assert!(summary.contains("reviewer@demo.service-market.test"), "{summary}");
        let first = list(&app, "", None).await.len();
        assert_eq!(first, 3);
        let counts = |table: &'static str| {
            let app = &app;
            async move { app.count(&format!("SELECT COUNT(*) FROM {table}")).await }
        };
        // Every service has its cover and screens.
        assert_eq!(counts("service_images").await, 2 * counts("services").await);
        let before = (counts("accounts").await, counts("services").await, counts("orders").await, counts("service_images").await);
        server::demo::seed(&app.state).await.unwrap();
        assert_eq!(list(&app, "", None).await.len(), first);
        let after = (counts("accounts").await, counts("services").await, counts("orders").await, counts("service_images").await);
        assert_eq!(after, before, "a second run adds nothing");
    }

    async fn the_demo_data_has_services_and_orders_in_every_status(app) {
        server::demo::seed(&app.state).await.unwrap();
        let statuses = |sql: &'static str| {
            let app = &app;
            async move {
                let rows: Vec<(String,)> = sqlx::query_as(sql).fetch_all(app.state.db.pool()).await.unwrap();
                rows.into_iter().map(|(s,)| s).collect::<Vec<_>>()
            }
        };
        assert_eq!(
            statuses("SELECT DISTINCT status FROM services ORDER BY status").await,
            ["archived", "draft", "online", "pending_review", "turned_down", "withdrawn"]
        );
        assert_eq!(
            statuses("SELECT DISTINCT status FROM orders ORDER BY status").await,
            ["awaiting_payment", "canceled", "completed", "in_development", "new",
             "pending_confirmation", "under_approval"]
        );
        // The demo sign-ins work.
        let browser = app.browser();
        let signed_in = browser
            .call("/api/auth/sign_in", &[("login", "noodles"), ("password", server::demo::DEMO_PASSWORD)])
            .await;
        assert_eq!(signed_in.status, StatusCode::OK, "{}", signed_in.body);
        let mine = browser.call("/api/ordering/my_services", &[]).await;
        assert_eq!(mine.status, StatusCode::OK, "{}", mine.body);
        assert_eq!(mine.json().as_array().unwrap().len(), 4, "Lucky Noodles ordered for 4 mini programs");

        // Golden Dumplings: its restaurant version is online with a year left, so 续订 is refused.
        let dumplings = app.browser();
        let signed_in = dumplings
            .call("/api/auth/sign_in", &[("login", "dumplings"), ("password", server::demo::DEMO_PASSWORD)])
            .await;
        assert_eq!(signed_in.status, StatusCode::OK, "{}", signed_in.body);
        let mine = dumplings.call("/api/ordering/my_services", &[]).await.json();
        let program = mine
            .as_array()
            .unwrap()
            .iter()
            .find(|program| program["name"] == "Golden Dumplings")
            .expect("the mini program with the online version");
        let service = &program["services"][0];
        assert_eq!(service["renewal"]["kind"], "renew");
        assert_eq!(service["renewal"]["refusal"]["zh"], "该服务您的剩余有效期超过365天，暂时不能续订");
        // Its other mini program has a built version and nothing in progress: it can order,
        // behind the overwrite warning.
        let restaurant: (i64,) = sqlx::query_as("SELECT id FROM services WHERE name LIKE 'Restaurant%'")
            .fetch_one(app.state.db.pool())
            .await
            .unwrap();
        let page = dumplings
            .call("/api/ordering/order_page", &[("service_id", restaurant.0.to_string().as_str())])
            .await
            .json();
        let express = page["mini_programs"]
            .as_array()
            .unwrap()
            .iter()
            .find(|option| option["name"] == "Dumplings Express")
            .expect("listed");
        assert_eq!(express["availability"]["kind"], "selectable");
        assert!(express["overwrite_warning"]["en"].as_str().unwrap().starts_with("High risk"));
    }

    async fn money_and_times_are_stored_as_integers(app) {
        let id = add_service(&app, "Big", "retail", "", "online", &[(365, 99_999_999_999)]).await;
        let (cents, created_at): (i64, i64) = sqlx::query_as(
            "SELECT p.price_cents, s.created_at FROM service_plans p \
             JOIN services s ON s.id = p.service_id WHERE s.id = $1",
        )
        .bind(id)
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
        assert_eq!(cents, 99_999_999_999);
        assert_eq!(created_at, common::TEST_START);
    }

    async fn a_negative_price_is_refused_by_the_schema(app) {
        let id = add_service(&app, "Priced", "retail", "", "online", &[]).await;
        let result = sqlx::query(
            "INSERT INTO service_plans (service_id, period_days, price_cents, created_at) \
             VALUES ($1, 30, -1, 0)",
        )
        .bind(id)
        .execute(app.state.db.pool())
        .await;
        assert!(result.is_err());
    }
}

/// The two migration directories must describe the same tables with the same columns in the
/// same order: the queries are shared, so any drift is a bug on one engine.
#[tokio::test]
async fn both_engines_have_the_same_tables_and_columns() {
    async fn columns(app: &TestApp) -> Vec<(String, String)> {
        let query = match app.engine {
            Engine::Sqlite => {
                "SELECT m.name AS table_name, p.name AS column_name, p.cid AS position \
                 FROM sqlite_master m JOIN pragma_table_info(m.name) p \
                 WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' \
                   AND m.name <> '_sqlx_migrations'"
            }
            Engine::Postgres => {
                "SELECT table_name::TEXT AS table_name, column_name::TEXT AS column_name, \
                        ordinal_position::BIGINT AS position \
                 FROM information_schema.columns \
                 WHERE table_schema = 'public' AND table_name <> '_sqlx_migrations'"
            }
        };
        let mut rows: Vec<(String, String, i64)> = sqlx::query_as(query)
            .fetch_all(app.state.db.pool())
            .await
            .unwrap();
        // Sorted here, not in SQL: the engines' collations order names differently.
        rows.sort_by(|a, b| (&a.0, a.2).cmp(&(&b.0, b.2)));
        rows.into_iter()
            .map(|(table, column, _)| (table, column))
            .collect()
    }
    let sqlite = common::spawn_app(Engine::Sqlite).await;
    let postgres = common::spawn_app(Engine::Postgres).await;
    let (a, b) = (columns(&sqlite).await, columns(&postgres).await);
    assert!(
        a.len() > 100,
        "the whole product's schema: {} columns",
        a.len()
    );
    assert_eq!(a, b);
}
