//! What the marketplace shows: service categories and types, and the card of an Online service.

use crate::i18n::Bilingual;
use serde::{Deserialize, Serialize};

/// The industry a service is filed under in the marketplace's category filter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Category {
    Retail,
    FoodAndBeverage,
    LocalServices,
    Education,
    Healthcare,
    Travel,
    Government,
    Tools,
    Other,
}

impl Category {
    pub const ALL: [Category; 9] = [
        Category::Retail,
        Category::FoodAndBeverage,
        Category::LocalServices,
        Category::Education,
        Category::Healthcare,
        Category::Travel,
        Category::Government,
        Category::Tools,
        Category::Other,
    ];

    /// The code stored in `services.category` and used in the marketplace URL.
    pub fn code(self) -> &'static str {
        match self {
            Category::Retail => "retail",
            Category::FoodAndBeverage => "food_beverage",
            Category::LocalServices => "local_services",
            Category::Education => "education",
            Category::Healthcare => "healthcare",
            Category::Travel => "travel",
            Category::Government => "government",
            Category::Tools => "tools",
            Category::Other => "other",
        }
    }

    pub fn from_code(code: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.code() == code)
    }
}

impl Bilingual for Category {
    fn labels(self) -> (&'static str, &'static str) {
        match self {
            Category::Retail => ("Retail", "零售"),
            Category::FoodAndBeverage => ("Food & beverage", "餐饮"),
            Category::LocalServices => ("Local services", "生活服务"),
            Category::Education => ("Education", "教育"),
            Category::Healthcare => ("Healthcare", "医疗健康"),
            Category::Travel => ("Travel", "出行旅游"),
            Category::Government => ("Government services", "政务"),
            Category::Tools => ("Tools", "工具"),
            Category::Other => ("Other", "其他"),
        }
    }
}

/// What an ISV sells: a template to instantiate, or custom development.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ServiceType {
    /// 行业模板
    IndustryTemplate,
    /// 普通模板
    NormalTemplate,
    /// 小程序开发
    MiniProgramDevelopment,
}

impl ServiceType {
    pub const ALL: [ServiceType; 3] = [
        ServiceType::IndustryTemplate,
        ServiceType::NormalTemplate,
        ServiceType::MiniProgramDevelopment,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ServiceType::IndustryTemplate => "industry_template",
            ServiceType::NormalTemplate => "normal_template",
            ServiceType::MiniProgramDevelopment => "mini_program_development",
        }
    }

    pub fn from_code(code: &str) -> Option<ServiceType> {
        ServiceType::ALL.into_iter().find(|t| t.code() == code)
    }
}

impl Bilingual for ServiceType {
    fn labels(self) -> (&'static str, &'static str) {
        match self {
            ServiceType::IndustryTemplate => ("Industry template", "行业模板"),
            ServiceType::NormalTemplate => ("Normal template", "普通模板"),
            ServiceType::MiniProgramDevelopment => ("Mini program development", "小程序开发"),
        }
    }
}

/// A marketplace search: free text over names and descriptions, and an optional category.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceSearch {
    pub text: String,
    pub category: Option<Category>,
}

impl ServiceSearch {
    /// The longest search text accepted; longer input is cut, not refused, as a search box would.
    pub const MAX_TEXT_CHARS: usize = 100;

    /// Builds a search from raw URL query values: trims and bounds the text, ignores an unknown
    /// category (an old or hand-edited link still shows the marketplace).
    pub fn from_query(text: Option<&str>, category: Option<&str>) -> ServiceSearch {
        ServiceSearch {
            text: text
                .unwrap_or_default()
                .trim()
                .chars()
                .take(Self::MAX_TEXT_CHARS)
                .collect(),
            category: category.and_then(Category::from_code),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty() && self.category.is_none()
    }
}

/// One Online service as the marketplace lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceCard {
    pub id: i64,
    pub name: String,
    pub isv_name: String,
    pub category: Category,
    pub service_type: ServiceType,
    pub description: String,
    /// The cheapest plan's price in cents; `None` when the service has no plan yet.
    pub lowest_price_cents: Option<i64>,
    /// The period in days of that cheapest plan.
    pub lowest_price_period_days: Option<i64>,
    /// The service's first image, where it is served; `None` without images.
    pub cover_image_url: Option<String>,
}

/// Formats cents as yuan with two decimals: 1230 → "¥12.30".
pub fn format_yuan(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let cents = cents.unsigned_abs();
    format!("{sign}¥{}.{:02}", cents / 100, cents % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_category_code_reads_back_as_itself() {
        for category in Category::ALL {
            assert_eq!(Category::from_code(category.code()), Some(category));
        }
        assert_eq!(Category::from_code("RETAIL"), None);
    }

    #[test]
    fn every_service_type_code_reads_back_as_itself() {
        for service_type in ServiceType::ALL {
            assert_eq!(
                ServiceType::from_code(service_type.code()),
                Some(service_type)
            );
        }
    }

    #[test]
    fn a_search_is_trimmed_bounded_and_ignores_unknown_categories() {
        let long = "x".repeat(500);
        let search = ServiceSearch::from_query(Some(&format!("  {long} ")), Some("nonsense"));
        assert_eq!(search.text.chars().count(), ServiceSearch::MAX_TEXT_CHARS);
        assert_eq!(search.category, None);
        let search = ServiceSearch::from_query(Some("  点餐 "), Some("food_beverage"));
        assert_eq!(search.text, "点餐");
        assert_eq!(search.category, Some(Category::FoodAndBeverage));
        assert!(ServiceSearch::from_query(Some("   "), None).is_empty());
    }

    #[test]
    fn yuan_are_shown_with_two_decimals() {
        assert_eq!(format_yuan(0), "¥0.00");
        assert_eq!(format_yuan(1230), "¥12.30");
        assert_eq!(format_yuan(5), "¥0.05");
        assert_eq!(format_yuan(100_000_000), "¥1000000.00");
    }
}
