//! Plain HTTP routes of onboarding (not server functions): `GET /workspaces/{id}/logo` serves a
//! workspace's current Business Logo to its members and to platform reviewers.
//!
//! Not public: until a reviewer approves it, an application (logo included) is between the
//! applicant and the platform. A public logo for the marketplace can be added once a workspace
//! is active, as a separate route.

use super::data;
use crate::auth::{client, sessions};
use crate::state::AppState;
use axum::body::Body;
use axum::extract::{Path, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

fn status(code: StatusCode) -> Response {
    (
        code,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        code.canonical_reason().unwrap_or(""),
    )
        .into_response()
}

/// The logo's bytes with their stored type: 401 without a session, 404 for anyone who is
/// neither a member nor a reviewer (so the workspace's existence is not told), or when there
/// is no logo.
pub async fn workspace_logo(
    State(state): State<AppState>,
    Path(workspace_id): Path<i64>,
    request: Request,
) -> Response {
    let (parts, _) = request.into_parts();
    let now = state.clock.now();
    let caller = match client::session_token(&parts) {
        Some(token) => sessions::find(&state, &token, now).await,
        None => Ok(None),
    };
    let caller = match caller {
        Ok(Some(caller)) => caller,
        Ok(None) => return status(StatusCode::UNAUTHORIZED),
        Err(error) => {
            let _logged = crate::error::AppError::internal(&error);
            return status(StatusCode::INTERNAL_SERVER_ERROR);
        }
    };
    let allowed = caller.account.is_reviewer
        || matches!(
            data::membership(state.db.pool(), workspace_id, caller.account.id).await,
            Ok(Some(_))
        );
    if !allowed {
        return status(StatusCode::NOT_FOUND);
    }
    match data::current_logo(state.db.pool(), workspace_id).await {
        Ok(Some((bytes, content_type))) => {
            let content_type = HeaderValue::from_str(&content_type)
                .unwrap_or(HeaderValue::from_static("application/octet-stream"));
            Response::builder()
                .status(StatusCode::OK)
                .header(header::CONTENT_TYPE, content_type)
                .header(header::CACHE_CONTROL, "private, no-cache")
                .header(header::X_CONTENT_TYPE_OPTIONS, "nosniff")
                .header(header::CONTENT_SECURITY_POLICY, "default-src 'none'")
                .body(Body::from(bytes))
                .unwrap_or_else(|_| status(StatusCode::INTERNAL_SERVER_ERROR))
        }
        Ok(None) => status(StatusCode::NOT_FOUND),
        Err(error) => {
            let _logged = crate::error::AppError::internal(&error);
            status(StatusCode::INTERNAL_SERVER_ERROR)
        }
    }
}
