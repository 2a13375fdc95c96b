//! A service's images (PRODUCT.md §2): the screenshots the marketplace shows on the service's
//! card (the first one) and on its detail page (all of them, in order).
//!
//! The ISV uploads them on the console's service page while the service may be edited (Draft,
//! Turn Down, Withdrawn: an Online service shows only reviewed content), at most
//! [`MAX_SERVICE_IMAGES`], each a PNG or JPEG of at most [`MAX_SERVICE_IMAGE_BYTES`] by its
//! content (the Business Logo's check). It can remove one or move it earlier; the first is the
//! cover.
//!
//! `GET /services/{service_id}/images/{image_id}` serves one: to everyone while the service is
//! Online, otherwise only to the workspace's members and to reviewers (a service under review
//! is between the ISV and the platform).

use super::ServiceImage;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::{MultipartData, MultipartFormData};

/// How many images a service shows at most.
pub const MAX_SERVICE_IMAGES: usize = 6;
/// The largest image accepted (the Business Logo's limit).
pub const MAX_SERVICE_IMAGE_BYTES: usize = crate::onboarding::MAX_LOGO_BYTES;

/// The form fields of the upload.
pub mod field {
    pub const SERVICE_ID: &str = "service_id";
    pub const IMAGE: &str = "image";
}

/// Where an image is served.
pub fn image_path(service_id: i64, image_id: i64) -> String {
    format!("/services/{service_id}/images/{image_id}")
}

/// Adds an image to a service, after the others. Sent as `multipart/form-data` with the fields
/// `service_id` and `image` (a PNG or JPEG file). Answers the service's images in order.
///
/// Errors: [`AppError::Unauthenticated`]; [`AppError::NotFound`] for a service of a workspace
/// the caller is not a member of; [`AppError::Fields`] on `image` for an empty, too large or
/// not PNG/JPEG file or one too many, on `form` while the service cannot be edited (Online,
/// Pending Review, Archived). Nothing is stored then.
#[server(prefix = "/api", endpoint = "services/upload_image", input = MultipartFormData)]
pub async fn upload_service_image(data: MultipartData) -> Result<Vec<ServiceImage>, AppError> {
    crate::error::with_status(
        async {
            let account = crate::auth::current_account().await?;
            let state = crate::state::app_state()?;
            let upload = server::read_upload(data).await?;
            server::upload(&state, &account, upload).await
        }
        .await,
    )
}

/// Removes an image from a service that may be edited. Answers the images left, in order.
#[server(prefix = "/api", endpoint = "services/delete_image")]
pub async fn delete_service_image(
    service_id: i64,
    image_id: i64,
) -> Result<Vec<ServiceImage>, AppError> {
    crate::error::with_status(
        async {
            let account = crate::auth::current_account().await?;
            let state = crate::state::app_state()?;
            server::delete(&state, &account, service_id, image_id).await
        }
        .await,
    )
}

/// Moves an image one place earlier (the first is the cover). Answers the images in order.
#[server(prefix = "/api", endpoint = "services/move_image")]
pub async fn move_service_image_earlier(
    service_id: i64,
    image_id: i64,
) -> Result<Vec<ServiceImage>, AppError> {
    crate::error::with_status(
        async {
            let account = crate::auth::current_account().await?;
            let state = crate::state::app_state()?;
            server::move_earlier(&state, &account, service_id, image_id).await
        }
        .await,
    )
}

#[cfg(feature = "ssr")]
pub use server::{add_image, images, service_image};

#[cfg(feature = "ssr")]
mod server {
    use super::{field, image_path, ServiceImage, MAX_SERVICE_IMAGES, MAX_SERVICE_IMAGE_BYTES};
    use crate::auth::{client, sessions, Account, FieldErrors};
    use crate::error::AppError;
    use crate::onboarding::multipart::{BodyBudget, PartBytes};
    use crate::onboarding::rules::LogoFormat;
    use crate::services::flows::{editable_service, service_of_member};
    use crate::services::{ServiceStatus, ServicesText};
    use crate::state::AppState;
    use axum::body::Body;
    use axum::extract::{Path, Request, State};
    use axum::http::{header, StatusCode};
    use axum::response::{IntoResponse, Response};
    use leptos::server_fn::codec::MultipartData;
    use sqlx::{Any, Executor};

    /// The upload as read from the form.
    #[derive(Debug, Default)]
    pub struct Upload {
        service_id: Option<i64>,
        image: Option<Vec<u8>>,
        too_large: bool,
    }

    fn image_error(text: ServicesText) -> AppError {
        AppError::Fields(FieldErrors::one(field::IMAGE, text))
    }

    fn unreadable(error: impl std::fmt::Display) -> AppError {
        AppError::Invalid(format!(
            "The upload could not be read ({error}). Please choose the image again."
        ))
    }

    /// Reads the form; an image over the limit is noted without being kept in memory, and a
    /// body far over any honest size is cut off.
    pub async fn read_upload(data: MultipartData) -> Result<Upload, AppError> {
        let Some(mut multipart) = data.into_inner() else {
            return Err(unreadable("no form data"));
        };
        let mut upload = Upload::default();
        let mut budget = BodyBudget::new(MAX_SERVICE_IMAGE_BYTES + 64 * 1024);
        while let Some(mut part) = multipart.next_field().await.map_err(unreadable)? {
            let name = part.name().unwrap_or_default().to_owned();
            let keep_up_to = if name == field::IMAGE {
                MAX_SERVICE_IMAGE_BYTES
            } else {
                64
            };
            let mut bytes = PartBytes::default();
            while let Some(chunk) = part.chunk().await.map_err(unreadable)? {
                if !budget.take(&mut bytes, &chunk, keep_up_to) {
                    return Err(image_error(ServicesText::ImageTooLarge));
                }
            }
            match name.as_str() {
                field::IMAGE if bytes.len > MAX_SERVICE_IMAGE_BYTES => upload.too_large = true,
                field::IMAGE => upload.image = Some(bytes.kept),
                field::SERVICE_ID => {
                    upload.service_id = String::from_utf8_lossy(&bytes.kept).trim().parse().ok();
                }
                _ => {}
            }
        }
        Ok(upload)
    }

    /// The content check: not empty, within the limit, a PNG or JPEG by its first bytes.
    fn check_image(upload: &Upload) -> Result<LogoFormat, AppError> {
        if upload.too_large {
            return Err(image_error(ServicesText::ImageTooLarge));
        }
        let bytes = upload.image.as_deref().unwrap_or_default();
        if bytes.is_empty() {
            return Err(image_error(ServicesText::ImageRequired));
        }
        LogoFormat::sniff(bytes).ok_or(image_error(ServicesText::ImageFormat))
    }

    #[derive(sqlx::FromRow)]
    struct ImageRow {
        id: i64,
        sort_order: i64,
    }

    async fn rows<'e>(
        executor: impl Executor<'e, Database = Any>,
        service_id: i64,
    ) -> Result<Vec<ImageRow>, sqlx::Error> {
        sqlx::query_as(
            "SELECT id, sort_order FROM service_images WHERE service_id = $1 \
             ORDER BY sort_order, id",
        )
        .bind(service_id)
        .fetch_all(executor)
        .await
    }

    /// A service's images in order, as the pages link them.
    pub async fn images<'e>(
        executor: impl Executor<'e, Database = Any>,
        service_id: i64,
    ) -> Result<Vec<ServiceImage>, sqlx::Error> {
        Ok(rows(executor, service_id)
            .await?
            .into_iter()
            .map(|row| ServiceImage {
                id: row.id,
                url: image_path(service_id, row.id),
            })
            .collect())
    }

    /// Adds an image the server already holds (the demo data) as an upload by `account`.
    pub async fn add_image(
        state: &AppState,
        account: &Account,
        service_id: i64,
        bytes: &[u8],
    ) -> Result<Vec<ServiceImage>, AppError> {
        let form = Upload {
            service_id: Some(service_id),
            image: Some(bytes.to_vec()),
            too_large: bytes.len() > MAX_SERVICE_IMAGE_BYTES,
        };
        upload(state, account, form).await
    }

    /// Adds the image last, under the service's lock: the edit check and the count hold at
    /// the moment it is stored.
    pub async fn upload(
        state: &AppState,
        account: &Account,
        upload: Upload,
    ) -> Result<Vec<ServiceImage>, AppError> {
        let service_id = upload.service_id.ok_or(AppError::NotFound)?;
        let (_, role) = service_of_member(state, account, service_id).await?;
        let format = check_image(&upload)?;
        let mut tx = state.db.begin().await?;
        editable_service(&mut tx, service_id, role).await?;
        let existing = rows(&mut *tx, service_id).await?;
        if existing.len() >= MAX_SERVICE_IMAGES {
            return Err(image_error(ServicesText::TooManyImages));
        }
        let next = existing.last().map_or(0, |row| row.sort_order + 1);
        sqlx::query(
            "INSERT INTO service_images (service_id, sort_order, content_type, image, created_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(service_id)
        .bind(next)
        .bind(format.content_type())
        .bind(upload.image.unwrap_or_default())
        .bind(state.clock.now())
        .execute(&mut *tx)
        .await?;
        let images = images(&mut *tx, service_id).await?;
        tx.commit().await?;
        Ok(images)
    }

    pub async fn delete(
        state: &AppState,
        account: &Account,
        service_id: i64,
        image_id: i64,
    ) -> Result<Vec<ServiceImage>, AppError> {
        let (_, role) = service_of_member(state, account, service_id).await?;
        let mut tx = state.db.begin().await?;
        editable_service(&mut tx, service_id, role).await?;
        let deleted = sqlx::query("DELETE FROM service_images WHERE id = $1 AND service_id = $2")
            .bind(image_id)
            .bind(service_id)
            .execute(&mut *tx)
            .await?;
        if deleted.rows_affected() == 0 {
            return Err(AppError::NotFound);
        }
        let images = images(&mut *tx, service_id).await?;
        tx.commit().await?;
        Ok(images)
    }

    /// Swaps the image with the one before it; the first stays first.
    pub async fn move_earlier(
        state: &AppState,
        account: &Account,
        service_id: i64,
        image_id: i64,
    ) -> Result<Vec<ServiceImage>, AppError> {
        let (_, role) = service_of_member(state, account, service_id).await?;
        let mut tx = state.db.begin().await?;
        editable_service(&mut tx, service_id, role).await?;
        let mut order = rows(&mut *tx, service_id).await?;
        let at = order
            .iter()
            .position(|row| row.id == image_id)
            .ok_or(AppError::NotFound)?;
        if at > 0 {
            order.swap(at - 1, at);
            // Renumbered densely, so equal or sparse numbers from earlier rows cannot block it.
            for (position, row) in order.iter().enumerate() {
                sqlx::query("UPDATE service_images SET sort_order = $1 WHERE id = $2")
                    .bind(i64::try_from(position).unwrap_or(i64::MAX))
                    .bind(row.id)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        let images = images(&mut *tx, service_id).await?;
        tx.commit().await?;
        Ok(images)
    }

    fn status(code: StatusCode) -> Response {
        (
            code,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            code.canonical_reason().unwrap_or(""),
        )
            .into_response()
    }

    #[derive(sqlx::FromRow)]
    struct StoredImage {
        content_type: String,
        image: Vec<u8>,
        status: String,
        isv_workspace_id: i64,
    }

    /// `GET /services/{service_id}/images/{image_id}`: public while the service is Online
    /// (cacheable: an image's bytes never change under its id), else 404 to anyone but the
    /// workspace's members and reviewers, so a service under review is not told.
    pub async fn service_image(
        State(state): State<AppState>,
        Path((service_id, image_id)): Path<(i64, i64)>,
        request: Request,
    ) -> Response {
        match serve(&state, service_id, image_id, request).await {
            Ok(response) => response,
            // Logged where the database error became an AppError.
            Err(_) => status(StatusCode::INTERNAL_SERVER_ERROR),
        }
    }

    async fn serve(
        state: &AppState,
        service_id: i64,
        image_id: i64,
        request: Request,
    ) -> Result<Response, AppError> {
        let stored: Option<StoredImage> = sqlx::query_as(
            "SELECT i.content_type, i.image, s.status, s.isv_workspace_id \
             FROM service_images i JOIN services s ON s.id = i.service_id \
             WHERE i.id = $1 AND i.service_id = $2",
        )
        .bind(image_id)
        .bind(service_id)
        .fetch_optional(state.db.pool())
        .await?;
        let Some(stored) = stored else {
            return Ok(status(StatusCode::NOT_FOUND));
        };
        let public = stored.status == ServiceStatus::Online.code();
        if !public {
            let (parts, _) = request.into_parts();
            let caller = match client::session_token(&parts) {
                Some(token) => sessions::find(state, &token, state.clock.now()).await?,
                None => None,
            };
            let allowed = match caller {
                Some(caller) if caller.account.is_reviewer => true,
                Some(caller) => crate::onboarding::data::membership(
                    state.db.pool(),
                    stored.isv_workspace_id,
                    caller.account.id,
                )
                .await?
                .is_some(),
                None => false,
            };
            if !allowed {
                return Ok(status(StatusCode::NOT_FOUND));
            }
        }
        let cache = if public {
            "public, max-age=3600"
        } else {
            "private, no-cache"
        };
        Ok(Response::builder()
            .status(StatusCode::OK)
            .header(header::CONTENT_TYPE, stored.content_type)
            .header(header::CACHE_CONTROL, cache)
            .header(header::X_CONTENT_TYPE_OPTIONS, "nosniff")
            .header(header::CONTENT_SECURITY_POLICY, "default-src 'none'")
            .body(Body::from(stored.image))
            .unwrap_or_else(|_| status(StatusCode::INTERNAL_SERVER_ERROR)))
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        fn upload(image: Option<&[u8]>, too_large: bool) -> Upload {
            Upload {
                service_id: Some(1),
                image: image.map(<[u8]>::to_vec),
                too_large,
            }
        }

        fn image_field_error(result: Result<LogoFormat, AppError>) -> String {
            match result {
                Err(AppError::Fields(errors)) => errors
                    .get(field::IMAGE)
                    .map(|text| text.en.clone())
                    .unwrap_or_default(),
                other => panic!("expected a field error, got {other:?}"),
            }
        }

        #[test]
        fn an_image_must_be_a_png_or_jpeg_by_its_content() {
            assert_eq!(
                check_image(&upload(Some(b"\x89PNG\r\n\x1a\nrest"), false)).ok(),
                Some(LogoFormat::Png)
            );
            assert_eq!(
                check_image(&upload(Some(b"\xff\xd8\xff\xe0rest"), false)).ok(),
                Some(LogoFormat::Jpeg)
            );
            assert!(
                image_field_error(check_image(&upload(Some(b"GIF89a"), false)))
                    .contains("PNG or JPEG")
            );
        }

        #[test]
        fn an_empty_or_too_large_image_is_refused() {
            assert!(image_field_error(check_image(&upload(None, false))).contains("Choose"));
            assert!(image_field_error(check_image(&upload(Some(b""), false))).contains("Choose"));
            assert!(image_field_error(check_image(&upload(None, true))).contains("2 MB"));
        }
    }
}
