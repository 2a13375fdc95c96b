//! Queries about services: what the marketplace lists.

use super::{like_pattern, Db};
use crate::catalog::{Category, ServiceCard, ServiceSearch, ServiceType};

/// How many services one marketplace page shows at most.
pub const MARKETPLACE_LIMIT: i64 = 100;

#[derive(sqlx::FromRow)]
struct ServiceCardRow {
    id: i64,
    name: String,
    isv_name: String,
    category: String,
    service_type: String,
    description: String,
    lowest_price_cents: Option<i64>,
    lowest_price_period_days: Option<i64>,
    cover_image_id: Option<i64>,
}

impl ServiceCardRow {
    /// Rows with a code this build does not know are skipped rather than failing the page.
    fn into_card(self) -> Option<ServiceCard> {
        Some(ServiceCard {
            id: self.id,
            name: self.name,
            isv_name: self.isv_name,
            category: Category::from_code(&self.category)?,
            service_type: ServiceType::from_code(&self.service_type)?,
            description: self.description,
            lowest_price_cents: self.lowest_price_cents,
            lowest_price_period_days: self.lowest_price_period_days,
            cover_image_url: self
                .cover_image_id
                .map(|image_id| crate::services::images::image_path(self.id, image_id)),
        })
    }
}

/// The Online services matching a search, newest first.
pub async fn online_services(
    db: &Db,
    search: &ServiceSearch,
) -> Result<Vec<ServiceCard>, sqlx::Error> {
    let text = search.text.to_lowercase();
    let rows: Vec<ServiceCardRow> = sqlx::query_as(
        "SELECT s.id, s.name, w.name AS isv_name, s.category, s.service_type, s.description, \
                (SELECT p.price_cents FROM service_plans p \
                  WHERE p.service_id = s.id AND p.retired_at IS NULL \
                  ORDER BY p.price_cents, p.period_days LIMIT 1) AS lowest_price_cents, \
                (SELECT p.period_days FROM service_plans p \
                  WHERE p.service_id = s.id AND p.retired_at IS NULL \
                  ORDER BY p.price_cents, p.period_days LIMIT 1) AS lowest_price_period_days, \
                (SELECT i.id FROM service_images i WHERE i.service_id = s.id \
                  ORDER BY i.sort_order, i.id LIMIT 1) AS cover_image_id \
         FROM services s JOIN workspaces w ON w.id = s.isv_workspace_id \
         WHERE s.status = 'online' \
           AND ($1 = '' OR LOWER(s.name) LIKE $2 ESCAPE '\\' \
                        OR LOWER(s.description) LIKE $2 ESCAPE '\\') \
           AND ($3 = '' OR s.category = $3) \
         ORDER BY s.published_at DESC, s.id DESC \
         LIMIT $4",
    )
    .bind(&text)
    .bind(like_pattern(&text))
    .bind(search.category.map(Category::code).unwrap_or_default())
    .bind(MARKETPLACE_LIMIT)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(ServiceCardRow::into_card)
        .collect())
}
