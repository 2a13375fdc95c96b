//! The rules of the service form, as pure functions shared by the server (which enforces them)
//! and the page (which may show them early): every field of a service, its plans, and a
//! reviewer's turn-down reason.

use super::{field, ServicesText, Terminal};
use crate::auth::{BiText, FieldErrors};
use crate::catalog::{Category, ServiceType};
use crate::domain::Money;
use crate::onboarding::rules::{check_website, one_line};
use crate::onboarding::IdentityType;
use serde::{Deserialize, Serialize};

/// Longest texts accepted, in characters.
pub const MAX_NAME: usize = 60;
pub const MAX_DESCRIPTION: usize = 2000;
pub const MAX_REASON: usize = 500;
/// Plans per service.
pub const MAX_PLANS: usize = 10;
/// The longest period a plan or an order may have: 10 years.
pub const MAX_PERIOD_DAYS: i64 = 3650;

/// The service form as typed. Lists carry codes ([`Terminal::code`], [`IdentityType::code`]);
/// numbers and prices are text, so a wrong one is reported beside its field.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceInput {
    pub name: String,
    /// A [`Category`] code.
    pub category: String,
    /// A [`ServiceType`] code.
    pub service_type: String,
    pub description: String,
    pub terminals: Vec<String>,
    pub plans: Vec<PlanInput>,
    pub max_order_period_days: String,
    /// Identity type codes; none = anyone may subscribe.
    pub subscriber_restriction: Vec<String>,
    /// Whether the ISV must accept (接单) each order; default no.
    pub needs_acceptance: bool,
    pub mobile_access_url: String,
    pub pc_access_url: String,
    pub preview_url: String,
}

/// One plan as typed: a period in days and a price in yuan with at most two decimals ("0" is
/// free).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanInput {
    pub period_days: String,
    pub price: String,
}

/// A plan once its rules hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Plan {
    pub period_days: i64,
    pub price: Money,
}

/// A service's fields once every rule holds; optional addresses left empty are `None`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceFields {
    pub name: String,
    pub category: Category,
    pub service_type: ServiceType,
    pub description: String,
    pub terminals: Vec<Terminal>,
    pub plans: Vec<Plan>,
    pub max_order_period_days: i64,
    pub subscriber_restriction: Vec<IdentityType>,
    pub needs_acceptance: bool,
    pub mobile_access_url: Option<String>,
    pub pc_access_url: Option<String>,
    pub preview_url: Option<String>,
}

fn too_long(label: (&str, &str), max: usize) -> BiText {
    BiText::new(
        format!("{} must be at most {max} characters.", label.0),
        format!("{}最多 {max} 个字符。", label.1),
    )
}

/// Checks every field at once; the errors name their fields in the form's order.
pub fn check_service(input: &ServiceInput) -> Result<ServiceFields, FieldErrors> {
    let mut errors = FieldErrors::new();
    let name = one_line(&input.name);
    if name.is_empty() {
        errors.push(field::NAME, ServicesText::NameRequired);
    } else if name.chars().count() > MAX_NAME {
        errors.push(
            field::NAME,
            too_long(("Service name", "服务名称"), MAX_NAME),
        );
    }
    let category = Category::from_code(input.category.trim());
    if category.is_none() {
        errors.push(field::CATEGORY, ServicesText::CategoryUnknown);
    }
    let service_type = ServiceType::from_code(input.service_type.trim());
    if service_type.is_none() {
        errors.push(field::SERVICE_TYPE, ServicesText::ServiceTypeUnknown);
    }
    let description = input.description.trim().to_owned();
    if description.is_empty() {
        errors.push(field::DESCRIPTION, ServicesText::DescriptionRequired);
    } else if description.chars().count() > MAX_DESCRIPTION {
        errors.push(
            field::DESCRIPTION,
            too_long(("Description", "服务介绍"), MAX_DESCRIPTION),
        );
    }
    let terminals = check_terminals(&input.terminals)
        .map_err(|text| errors.push(field::TERMINALS, text))
        .ok();
    let max_order_period_days = check_days(&input.max_order_period_days);
    if max_order_period_days.is_none() {
        errors.push(
            field::MAX_ORDER_PERIOD_DAYS,
            ServicesText::MaxOrderPeriodFormat,
        );
    }
    let plans = check_plans(&input.plans, max_order_period_days, &mut errors);
    let subscriber_restriction = codes(&input.subscriber_restriction, IdentityType::from_code)
        .map_err(|()| {
            errors.push(
                field::SUBSCRIBER_RESTRICTION,
                ServicesText::IdentityTypeUnknown,
            )
        })
        .ok();
    let mut url = |name: &str, input: &str| {
        check_url(input)
            .map_err(|text| errors.push(name, text))
            .ok()
    };
    let mobile_access_url = url(field::MOBILE_ACCESS_URL, &input.mobile_access_url);
    let pc_access_url = url(field::PC_ACCESS_URL, &input.pc_access_url);
    let preview_url = url(field::PREVIEW_URL, &input.preview_url);
    match (
        category,
        service_type,
        terminals,
        max_order_period_days,
        subscriber_restriction,
        mobile_access_url,
        pc_access_url,
        preview_url,
    ) {
        (
            Some(category),
            Some(service_type),
            Some(terminals),
            Some(max_order_period_days),
            Some(subscriber_restriction),
            Some(mobile_access_url),
            Some(pc_access_url),
            Some(preview_url),
        ) if errors.is_empty() => Ok(ServiceFields {
            name,
            category,
            service_type,
            description,
            terminals,
            plans,
            max_order_period_days,
            subscriber_restriction,
            needs_acceptance: input.needs_acceptance,
            mobile_access_url,
            pc_access_url,
            preview_url,
        }),
        _ => Err(errors),
    }
}

/// Codes of a known list, each known, in the list's canonical order without repeats.
fn codes<T: Copy + PartialEq>(
    input: &[String],
    from_code: impl Fn(&str) -> Option<T>,
) -> Result<Vec<T>, ()> {
    let mut chosen: Vec<T> = Vec::new();
    for code in input.iter().filter(|code| !code.trim().is_empty()) {
        let value = from_code(code.trim()).ok_or(())?;
        if !chosen.contains(&value) {
            chosen.push(value);
        }
    }
    Ok(chosen)
}

/// Publishing terminals: at least one, each one of [`Terminal::ALL`]; canonical order.
pub fn check_terminals(input: &[String]) -> Result<Vec<Terminal>, BiText> {
    let chosen = codes(input, Terminal::from_code)
        .map_err(|()| BiText::from(ServicesText::TerminalUnknown))?;
    if chosen.is_empty() {
        return Err(ServicesText::TerminalsRequired.into());
    }
    Ok(Terminal::ALL
        .iter()
        .copied()
        .filter(|terminal| chosen.contains(terminal))
        .collect())
}

/// A whole number of days from 1 to [`MAX_PERIOD_DAYS`].
pub fn check_days(input: &str) -> Option<i64> {
    let text = input.trim();
    if text.is_empty() || text.len() > 4 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let days: i64 = text.parse().ok()?;
    (1..=MAX_PERIOD_DAYS).contains(&days).then_some(days)
}

/// The plans: 1 to [`MAX_PLANS`], each period a whole number of days no longer than the
/// maximum order period and not repeated, each price in yuan (0 allowed).
fn check_plans(
    input: &[PlanInput],
    max_order_period_days: Option<i64>,
    errors: &mut FieldErrors,
) -> Vec<Plan> {
    if input.is_empty() {
        errors.push(field::PLANS, ServicesText::PlansRequired);
        return Vec::new();
    }
    if input.len() > MAX_PLANS {
        errors.push(field::PLANS, ServicesText::TooManyPlans);
        return Vec::new();
    }
    let mut plans = Vec::new();
    let mut periods_seen = Vec::new();
    for (index, plan) in input.iter().enumerate() {
        let period = check_days(&plan.period_days);
        let repeated = period.is_some_and(|days| periods_seen.contains(&days));
        if let Some(days) = period {
            periods_seen.push(days);
        }
        let period = match period {
            None => {
                errors.push(&field::plan_period(index), ServicesText::PlanPeriodFormat);
                None
            }
            Some(_) if repeated => {
                errors.push(&field::plan_period(index), ServicesText::PlanPeriodRepeated);
                None
            }
            Some(days) if max_order_period_days.is_some_and(|max| days > max) => {
                errors.push(
                    &field::plan_period(index),
                    ServicesText::PlanPeriodOverMaximum,
                );
                None
            }
            Some(days) => Some(days),
        };
        let price = errors.check(&field::plan_price(index), Money::parse_yuan(&plan.price));
        if let (Some(period_days), Some(price)) = (period, price) {
            plans.push(Plan { period_days, price });
        }
    }
    plans
}

/// An optional address: empty is `None`, else an absolute `https://` or `http://` address
/// (the scheme and host lower-cased).
pub fn check_url(input: &str) -> Result<Option<String>, BiText> {
    let text = input.trim();
    if text.is_empty() {
        return Ok(None);
    }
    if text.chars().count() > crate::onboarding::rules::MAX_WEBSITE {
        return Err(too_long(
            ("The address", "地址"),
            crate::onboarding::rules::MAX_WEBSITE,
        ));
    }
    check_website(text)
        .map(Some)
        .map_err(|_| ServicesText::UrlFormat.into())
}

/// A reviewer's reason for turning a service down: required, at most 500 characters, line
/// breaks kept.
pub fn check_reason(input: &str) -> Result<String, BiText> {
    let text = input.trim();
    if text.is_empty() {
        return Err(ServicesText::ReasonRequired.into());
    }
    if text.chars().count() > MAX_REASON {
        return Err(too_long(("Reason", "原因"), MAX_REASON));
    }
    Ok(text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    fn good_input() -> ServiceInput {
        ServiceInput {
            name: "  Restaurant   ordering ".into(),
            category: "food_beverage".into(),
            service_type: "industry_template".into(),
            description: " Scan to order.\nTakeaway too. ".into(),
            terminals: vec!["amap".into(), "alipay".into(), "alipay".into()],
            plans: vec![
                PlanInput {
                    period_days: "365".into(),
                    price: "1999".into(),
                },
                PlanInput {
                    period_days: " 30 ".into(),
                    price: "0".into(),
                },
            ],
            max_order_period_days: "730".into(),
            subscriber_restriction: vec!["individual_business".into(), "enterprise".into()],
            needs_acceptance: false,
            mobile_access_url: "HTTPS://Admin.Example.com/m".into(),
            pc_access_url: "".into(),
            preview_url: "https://preview.example.com/try".into(),
        }
    }

    #[test]
    fn a_good_service_is_tidied_and_kept() {
        let fields = check_service(&good_input()).unwrap();
        assert_eq!(fields.name, "Restaurant ordering");
        assert_eq!(fields.category, Category::FoodAndBeverage);
        assert_eq!(fields.description, "Scan to order.\nTakeaway too.");
        assert_eq!(fields.terminals, [Terminal::Alipay, Terminal::Amap]);
        assert_eq!(
            fields.plans,
            [
                Plan {
                    period_days: 365,
                    price: Money::from_cents(199_900).unwrap()
                },
                Plan {
                    period_days: 30,
                    price: Money::ZERO
                }
            ]
        );
        assert_eq!(fields.max_order_period_days, 730);
        assert_eq!(
            fields.subscriber_restriction,
            [IdentityType::IndividualBusiness, IdentityType::Enterprise]
        );
        assert_eq!(
            fields.mobile_access_url.as_deref(),
            Some("https://admin.example.com/m")
        );
        assert_eq!(fields.pc_access_url, None);
    }

    #[test]
    fn an_empty_form_names_every_required_field_in_order() {
        let errors = check_service(&ServiceInput::default()).unwrap_err();
        assert_eq!(
            errors.fields(),
            [
                field::NAME,
                field::CATEGORY,
                field::SERVICE_TYPE,
                field::DESCRIPTION,
                field::TERMINALS,
                field::MAX_ORDER_PERIOD_DAYS,
                field::PLANS,
            ]
        );
        assert_eq!(
            errors.message(field::TERMINALS, Lang::Zh),
            Some("请至少选择一个发布端。")
        );
    }

    #[test]
    fn plans_need_whole_days_within_the_maximum_and_prices_with_two_decimals() {
        let mut input = good_input();
        input.max_order_period_days = "90".into();
        input.plans = vec![
            PlanInput {
                period_days: "30".into(),
                price: "9.999".into(),
            },
            PlanInput {
                period_days: "30".into(),
                price: "-1".into(),
            },
            PlanInput {
                period_days: "1.5".into(),
                price: "abc".into(),
            },
            PlanInput {
                period_days: "365".into(),
                price: "0.00".into(),
            },
        ];
        let errors = check_service(&input).unwrap_err();
        assert_eq!(
            errors.fields(),
            [
                "plans.0.price",
                "plans.1.period_days",
                "plans.1.price",
                "plans.2.period_days",
                "plans.2.price",
                "plans.3.period_days"
            ]
        );
        assert_eq!(
            errors.message("plans.0.price", Lang::En),
            Some("The amount can have at most two decimal places.")
        );
        assert_eq!(
            errors.message("plans.1.period_days", Lang::En),
            Some("Another plan already has this period.")
        );
        assert_eq!(
            errors.message("plans.3.period_days", Lang::En),
            Some("A plan's period cannot exceed the maximum order period.")
        );
    }

    #[test]
    fn more_than_ten_plans_are_refused() {
        let mut input = good_input();
        input.plans = (1..=11)
            .map(|days| PlanInput {
                period_days: days.to_string(),
                price: "1".into(),
            })
            .collect();
        assert_eq!(check_service(&input).unwrap_err().fields(), [field::PLANS]);
    }

    #[test]
    fn unknown_codes_and_bad_addresses_are_refused_beside_their_fields() {
        let mut input = good_input();
        input.category = "Retail".into();
        input.terminals = vec!["wechat".into()];
        input.subscriber_restriction = vec!["company".into()];
        input.pc_access_url = "ftp://example.com".into();
        input.preview_url = "not a url".into();
        input.max_order_period_days = "0".into();
        let errors = check_service(&input).unwrap_err();
        assert_eq!(
            errors.fields(),
            [
                field::CATEGORY,
                field::TERMINALS,
                field::MAX_ORDER_PERIOD_DAYS,
                field::SUBSCRIBER_RESTRICTION,
                field::PC_ACCESS_URL,
                field::PREVIEW_URL
            ]
        );
    }

    #[test]
    fn days_are_whole_numbers_from_one_to_ten_years() {
        assert_eq!(check_days(" 365 "), Some(365));
        assert_eq!(check_days("3650"), Some(3650));
        for bad in ["", "0", "3651", "-1", "1e3", "30.0", "99999"] {
            assert_eq!(check_days(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_turn_down_needs_a_reason() {
        assert!(check_reason("  ").is_err());
        assert_eq!(
            check_reason(" Add screenshots. ").unwrap(),
            "Add screenshots."
        );
        assert!(check_reason(&"x".repeat(501)).is_err());
    }
}
