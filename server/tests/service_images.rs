//! A service's images through the real router, on SQLite and PostgreSQL: upload (PNG and JPEG
//! by content, at most six, each at most 2 MB), remove, move earlier, only while the service
//! may be edited; who may see them before and after the service is Online; the marketplace's
//! cover and detail.

mod common;

use axum::http::StatusCode;
use common::market::{
    active_isv, assert_status, count, create_service, merchant, ok, reviewer, service_call,
    service_input,
};
use common::{error_message, Browser, TestResponse, Upload};
use serde_json::Value;

const UPLOAD: &str = "/api/services/upload_image";
const DELETE: &str = "/api/services/delete_image";
const MOVE: &str = "/api/services/move_image";
const GET: &str = "/api/services/get";

/// A 4×4 PNG and a 4×4 JPEG, drawn and encoded by Chromium.
const PNG: &[u8] = include_bytes!("fixtures/logo.png");
const JPEG: &[u8] = include_bytes!("fixtures/logo.jpg");
const GIF: &[u8] = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01";
const MAX_IMAGE: usize = 2 * 1024 * 1024;

async fn upload(browser: &Browser<'_>, service_id: i64, name: &str, bytes: &[u8]) -> TestResponse {
    let content_type = if name.ends_with(".jpg") {
        "image/jpeg"
    } else {
        "image/png"
    };
    browser
        .call_multipart(
            UPLOAD,
            &[("service_id", &service_id.to_string())],
            &[Upload {
                field: "image",
                file_name: name,
                content_type,
                bytes,
            }],
        )
        .await
}

fn ids(images: &Value) -> Vec<i64> {
    images
        .as_array()
        .unwrap_or_else(|| panic!("not a list: {images}"))
        .iter()
        .map(|image| image["id"].as_i64().unwrap())
        .collect()
}

async fn act(browser: &Browser<'_>, path: &str, service_id: i64, image_id: i64) -> TestResponse {
    browser
        .call(
            path,
            &[
                ("service_id", &service_id.to_string()),
                ("image_id", &image_id.to_string()),
            ],
        )
        .await
}

/// A Draft service of a new active ISV: (owner, workspace id, service id).
async fn draft(app: &common::TestApp) -> (Browser<'_>, i64, i64) {
    let (owner, ws) = active_isv(app, "jane@cloudleaf.example.com", "jane", "Cloudleaf").await;
    let created = ok(&create_service(&owner, ws, &service_input("Restaurant ordering")).await);
    (owner, ws, created["id"].as_i64().unwrap())
}

on_both_databases! {
    async fn images_are_uploaded_reordered_and_removed_and_the_service_shows_them_in_order(app) {
        let (owner, _, service) = draft(&app).await;
        let first = ids(&ok(&upload(&owner, service, "front.png", PNG).await));
        assert_eq!(first.len(), 1);
        let both = ids(&ok(&upload(&owner, service, "menu.jpg", JPEG).await));
        assert_eq!(both.len(), 2);
        assert_eq!(both[0], first[0], "a new image goes last");

        let editor = ok(&owner.call(GET, &[("service_id", &service.to_string())]).await);
        assert_eq!(ids(&editor["service"]["images"]), both);
        assert_eq!(
            editor["service"]["images"][1]["url"],
            format!("/services/{service}/images/{}", both[1])
        );

        let moved = ids(&ok(&act(&owner, MOVE, service, both[1]).await));
        assert_eq!(moved, [both[1], both[0]], "the JPEG is the cover now");
        let unchanged = ids(&ok(&act(&owner, MOVE, service, both[1]).await));
        assert_eq!(unchanged, moved, "the first stays first");

        let left = ids(&ok(&act(&owner, DELETE, service, both[1]).await));
        assert_eq!(left, [both[0]]);
        assert_eq!(count(&app, "service_images").await, 1);

        let served = owner.get(&format!("/services/{service}/images/{}", both[0])).await;
        assert_status(&served, StatusCode::OK);
        assert_eq!(served.headers["content-type"], "image/png");
        assert_eq!(served.headers["x-content-type-options"], "nosniff");
        let (stored,): (Vec<u8>,) = sqlx::query_as("SELECT image FROM service_images")
            .fetch_one(app.state.db.pool()).await.unwrap();
        assert_eq!(stored, PNG);
    }

    async fn an_image_that_is_not_a_png_or_jpeg_is_empty_or_too_large_is_refused_and_nothing_is_stored(app) {
        let (owner, _, service) = draft(&app).await;
        let gif = upload(&owner, service, "animated.png", GIF).await;
        assert_status(&gif, StatusCode::BAD_REQUEST);
        assert_eq!(error_message(&gif, "image"), "The image must be a PNG or JPEG file.");

        let text = upload(&owner, service, "notes.png", b"not an image at all").await;
        assert_eq!(error_message(&text, "image"), "The image must be a PNG or JPEG file.");

        let empty = owner
            .call_multipart(UPLOAD, &[("service_id", &service.to_string())], &[])
            .await;
        assert_eq!(error_message(&empty, "image"), "Choose an image to upload.");

        let mut large = PNG.to_vec();
        large.resize(MAX_IMAGE + 1, 0);
        let too_large = upload(&owner, service, "huge.png", &large).await;
        assert_status(&too_large, StatusCode::BAD_REQUEST);
        assert_eq!(error_message(&too_large, "image"), "The image is larger than 2 MB. Choose a smaller one.");

        let mut largest = PNG.to_vec();
        largest.resize(MAX_IMAGE, 0);
        ok(&upload(&owner, service, "exactly-2mb.png", &largest).await);
        assert_eq!(count(&app, "service_images").await, 1, "only the one within the limit");
    }

    async fn a_service_has_at_most_six_images(app) {
        let (owner, _, service) = draft(&app).await;
        for _ in 0..6 {
            ok(&upload(&owner, service, "shot.png", PNG).await);
        }
        let seventh = upload(&owner, service, "shot.png", PNG).await;
        assert_eq!(
            error_message(&seventh, "image"),
            "A service can have at most 6 images. Remove one first."
        );
        assert_eq!(count(&app, "service_images").await, 6);
    }

    async fn images_cannot_change_while_the_service_is_pending_review_or_online(app) {
        let (owner, _, service) = draft(&app).await;
        let image = ids(&ok(&upload(&owner, service, "front.png", PNG).await))[0];
        ok(&service_call(&owner, "/api/services/submit", service).await);

        let pending = upload(&owner, service, "more.png", PNG).await;
        assert_status(&pending, StatusCode::CONFLICT);
        assert_status(&act(&owner, DELETE, service, image).await, StatusCode::CONFLICT);

        ok(&service_call(&reviewer(&app).await, "/api/review/approve_service", service).await);
        let online = upload(&owner, service, "more.png", PNG).await;
        assert_eq!(
            error_message(&online, "form"),
            "An Online service cannot be edited. Withdraw it first, then edit it and submit it for review again."
        );
        assert_eq!(count(&app, "service_images").await, 1);

        ok(&service_call(&owner, "/api/services/withdraw", service).await);
        ok(&upload(&owner, service, "more.png", PNG).await);
        assert_eq!(count(&app, "service_images").await, 2, "a withdrawn service is edited again");
    }

    async fn only_members_and_reviewers_see_the_images_of_a_service_not_yet_online_and_everyone_after(app) {
        let (owner, ws, service) = draft(&app).await;
        let image = ids(&ok(&upload(&owner, service, "front.png", PNG).await))[0];
        let path = format!("/services/{service}/images/{image}");
        let (stranger, _) = merchant(&app, "shop@noodles.example.com", "noodles", "enterprise").await;

        assert_status(&app.get(&path).await, StatusCode::NOT_FOUND);
        assert_status(&stranger.get(&path).await, StatusCode::NOT_FOUND);
        let reviewer = reviewer(&app).await;
        assert_status(&reviewer.get(&path).await, StatusCode::OK);
        assert_eq!(owner.get(&path).await.headers["cache-control"], "private, no-cache");
        // Under another service's path, the image does not exist.
        let other = ok(&create_service(&owner, ws, &service_input("Another")).await)["id"].as_i64().unwrap();
        assert_status(&owner.get(&format!("/services/{other}/images/{image}")).await, StatusCode::NOT_FOUND);

        // Nor can a stranger change them.
        assert_status(&upload(&stranger, service, "mine.png", PNG).await, StatusCode::NOT_FOUND);
        assert_status(&act(&stranger, DELETE, service, image).await, StatusCode::NOT_FOUND);
        assert_eq!(count(&app, "service_images").await, 1);

        ok(&service_call(&owner, "/api/services/submit", service).await);
        ok(&service_call(&reviewer, "/api/review/approve_service", service).await);
        let public = app.get(&path).await;
        assert_status(&public, StatusCode::OK);
        assert_eq!(public.headers["cache-control"], "public, max-age=3600");

        let visitor = app.browser();
        let detail = ok(&service_call(&visitor, "/api/marketplace/service", service).await);
        assert_eq!(detail["images"][0]["url"], path);
        let cards = ok(&visitor.call("/api/marketplace/services", &[("text", "")]).await);
        let card = cards.as_array().unwrap().iter().find(|c| c["id"] == service).unwrap();
        assert_eq!(card["cover_image_url"], path);
        let without = cards.as_array().unwrap().iter().any(|c| c["id"] != service && !c["cover_image_url"].is_null());
        assert!(!without, "a service without images has no cover");
    }

    async fn an_upload_that_is_not_multipart_is_refused(app) {
        let (owner, _, service) = draft(&app).await;
        let response = owner.call(UPLOAD, &[("service_id", &service.to_string())]).await;
        assert_status(&response, StatusCode::UNSUPPORTED_MEDIA_TYPE);
        assert_eq!(count(&app, "service_images").await, 0);
    }
}
